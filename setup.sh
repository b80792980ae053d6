#!/bin/bash
# setup.sh - set up pxediag on Debian 12 and run it.
#
#   ./setup.sh          install what is missing, build, install the plugin,
#                       and report on a bundled capture (the main job)
#   ./setup.sh --test   install what is missing, build, run every test
#
# Installing packages needs root (or sudo).  As root the plugin goes into
# Wireshark's system plugin directory, because tshark run as root ignores the
# per-user one and WIRESHARK_PLUGIN_DIR.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
build=${PXE_BUILD_DIR:-$here/build}
mode=demo
case "${1:-}" in
    "") ;;
    --test) mode=test ;;
    -h|--help) sed -n '2,12p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) echo "setup.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
esac

packages=(gcc make cmake pkg-config libglib2.0-dev libjson-glib-dev tshark libwireshark-dev
          libwiretap-dev wireshark-dev python3 util-linux)
missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "setup.sh: installing ${missing[*]}"
    sudo=""
    [ "$(id -u)" = 0 ] || sudo=sudo
    export DEBIAN_FRONTEND=noninteractive
    $sudo apt-get update -q
    $sudo apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

cmake -S "$here" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
cmake --build "$build" -j "$(nproc)"

if [ "$mode" = test ]; then
    ctest --test-dir "$build" --output-on-failure -j 2
    exit $?
fi

if [ "$(id -u)" = 0 ] || [ -w "$(dirname "$(cmake -L -N "$build" | sed -n 's/^PXE_PLUGIN_DIR:PATH=//p')")" ]; then
    cmake --install "$build" >/dev/null
fi
capture=${PXE_DEMO_CAPTURE:-}
if [ -z "$capture" ]; then
    for c in multi-client bios-no-bootfile; do
        capture=$here/samples/captures/$c.pcapng
        [ -f "$capture" ] && break
    done
fi
if [ -x "$build/postproc/pxe-report" ]; then
    echo "pxe-report $capture"
    "$build/postproc/pxe-report" --plugin-dir "$build/plugins" "$capture" || true
else
    # the plugin's view of the boot, and its diagnoses
    tshark -r "$capture" -2 -Y pxe -T fields -e frame.number -e pxe.client -e _ws.col.Info \
        -e pxe.diag.summary
fi
