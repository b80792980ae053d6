#!/bin/bash
# ws44-chroot.sh - build pxediag against Wireshark 4.4 and run all its tests
# there: a Debian trixie chroot in /var/tmp/pxediag-trixie (made once with
# mmdebstrap from deb.debian.org, re-used), a copy of the checkout and
# ../shared (bound read-only) beside it, a fresh build, then ctest with
# trixie's tshark.
#
#   sudo tests/compat/ws44-chroot.sh                    # build + full ctest
#   sudo tests/compat/ws44-chroot.sh -- -R 'e2e|report' # only those tests
#
# Options (--update, --shell, --no-test, --root DIR, ...) and details:
# tests/compat/chroot-test.sh --help.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
exec "$(dirname "$0")/chroot-test.sh" --suite trixie --expect 4.4 "$@"
