#!/bin/bash
# ws46-check.sh - build pxediag against Wireshark 4.6 and run all its tests
# there: a Debian forky chroot (testing; sid has the same 4.6) in
# /var/tmp/pxediag-forky, made once with mmdebstrap from deb.debian.org and
# re-used, a copy of the checkout and ../shared beside it, a fresh build
# (every plugin and core source compiled with the project's -Werror flags
# against the 4.6 headers, linked against libwireshark 4.6), then ctest with
# forky's tshark.
#
#   sudo tests/compat/ws46-check.sh                  # build + full ctest
#   sudo tests/compat/ws46-check.sh --no-test        # compile check only
#   sudo tests/compat/ws46-check.sh --suite sid      # sid instead of forky
#
# Options and details: tests/compat/chroot-test.sh --help.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
exec "$(dirname "$0")/chroot-test.sh" --suite forky --expect 4.6 "$@"
