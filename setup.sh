#!/bin/bash
# setup.sh - set up pxediag on Debian 12 and run it.
#
#   ./setup.sh          install what is missing, build, install the plugin,
#                       and report on a bundled capture (the main job)
#   ./setup.sh --test   install what is missing, build, run every test
#
# Installing packages needs root (or sudo).  As root the plugin goes into
# Wireshark's system plugin directory, because tshark run as root ignores the
# per-user one and WIRESHARK_PLUGIN_DIR; as a normal user everything goes
# under ~/.local.  One copy of pxe.so at a time: a copy in the other scope
# makes Wireshark warn that the plugin "was found in multiple directories".
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
          libwiretap-dev wireshark-dev python3 util-linux dpkg-dev)
# the tests also render the --html page in Chromium and fuzz pxe-report with
# clang's libFuzzer
[ "$mode" = test ] && packages+=(chromium fonts-dejavu-core clang libclang-rt-14-dev)
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
    rc=0
    ctest --test-dir "$build" --output-on-failure -j 2 || rc=1
    # the same suites again on an ASan+UBSan build (tests/lib/as-user preloads
    # the runtime into tshark), plus the bounded fuzz runs
    echo "setup.sh: the tests again with -DPXE_SANITIZE=ON in $build-sanitize"
    cmake -S "$here" -B "$build-sanitize" -DPXE_SANITIZE=ON >/dev/null
    cmake --build "$build-sanitize" -j "$(nproc)"
    ctest --test-dir "$build-sanitize" --output-on-failure -j 2 -E '^package\.' || rc=1
    # pxe-report's reader and model under libFuzzer for two minutes, seeded with
    # the plugin's output for the lab captures (tests/fuzz/README.md)
    echo "setup.sh: libFuzzer on pxe-report in $build-fuzz"
    CC=clang cmake -S "$here" -B "$build-fuzz" -DPXE_FUZZ=ON \
        -DPXE_CORPUS_PLUGINS="$build/plugins" >/dev/null
    cmake --build "$build-fuzz" -j "$(nproc)" --target fuzz_report pxe-report
    ctest --test-dir "$build-fuzz" --output-on-failure -R '^fuzz\.report' || rc=1
    exit $rc
fi

# cache_get NAME: a value from the build's CMakeCache.txt
cache_get() { sed -n "s/^$1:[A-Z]*=//p" "$build/CMakeCache.txt"; }
scope=$(cache_get PXE_INSTALL_SCOPE)
plugin=$(cache_get PXE_PLUGIN_DIR)/pxe.so
system_plugin=$(cache_get PXE_PLUGIN_SYSTEM_DIR)/pxe.so
user_subdir=$(cache_get PXE_PLUGIN_USER_SUBDIR)
prefix=$(cache_get CMAKE_INSTALL_PREFIX)
demo_plugin_dir=("--plugin-dir" "$build/plugins")

# install_plugin: install in the build's scope (root: system, others:
# ~/.local) and leave one copy of pxe.so, saying which.
install_plugin() {
    if [ "$scope" = system ]; then
        if owner=$(dpkg-query -S "$system_plugin" 2>/dev/null); then
            echo "setup.sh: note: $system_plugin belongs to the Debian package ${owner%%:*};" \
                 "this build replaces it until the package is reinstalled or removed"
        fi
        cmake --install "$build" >/dev/null || return 1
        echo "setup.sh: installed for the system: $plugin, $prefix/bin/pxe-report"
        # root's Wireshark reads only the system directory; the invoking user's
        # would find both copies
        local homes=("$HOME") h
        if [ -n "${SUDO_USER:-}" ]; then homes+=("$(getent passwd "$SUDO_USER" | cut -d: -f6)"); fi
        for h in "${homes[@]}"; do
            if [ -n "$h" ] && [ -e "$h/$user_subdir/pxe.so" ] && [ "$h/$user_subdir/pxe.so" != "$plugin" ]; then
                rm -f "$h/$user_subdir/pxe.so"
                echo "setup.sh: removed the per-user copy $h/$user_subdir/pxe.so (kept the system one)"
            fi
        done
    elif [ -e "$system_plugin" ]; then
        # keep the system copy (a user cannot remove it), add no second one
        cmake --install "$build" --component report >/dev/null || return 1
        if [ -e "$HOME/$user_subdir/pxe.so" ]; then
            rm -f "$HOME/$user_subdir/pxe.so"
            echo "setup.sh: removed the per-user copy $HOME/$user_subdir/pxe.so"
        fi
        echo "setup.sh: kept the system copy $system_plugin (sudo ./setup.sh replaces it);" \
             "installed only pxe-report, into $prefix/bin"
    else
        cmake --install "$build" >/dev/null || return 1
        echo "setup.sh: installed for $(id -un) alone: $plugin, $prefix/bin/pxe-report"
        # tshark reads ~/.local after WIRESHARK_PLUGIN_DIR: the demo uses that copy
        demo_plugin_dir=()
    fi
}
install_plugin || echo "setup.sh: the install failed (see above); the report below uses the build tree"
capture=${PXE_DEMO_CAPTURE:-}
if [ -z "$capture" ]; then
    for c in multi-client bios-no-bootfile; do
        capture=$here/samples/captures/$c.pcapng
        [ -f "$capture" ] && break
    done
fi
if [ -x "$build/postproc/pxe-report" ]; then
    echo "pxe-report $capture"
    "$build/postproc/pxe-report" "${demo_plugin_dir[@]}" "$capture" || true
else
    # the plugin's view of the boot, and its diagnoses
    tshark -r "$capture" -2 -Y pxe -T fields -e frame.number -e pxe.client -e _ws.col.Info \
        -e pxe.diag.summary
fi
