#!/bin/bash
# user-install.sh - ctest package.user_install: the install rules of
# cmake/PxeInstall.cmake as a normal user would meet them. In a fresh build
# of a copy of the sources, configured and built by an unprivileged user with
# a throw-away HOME (uid 65534 through setpriv when run as root):
#   - `cmake --install` exits 0 and puts the plugin, pxe-report and its man
#     page under HOME/.local and nowhere else; Wireshark finds the plugin
#     there and the installed pxe-report gives the lab capture's verdict;
#   - `--target uninstall` removes them again;
#   - an explicit -DCMAKE_INSTALL_PREFIX moves pxe-report, not the plugin;
#   - as root, installing that user's build is refused with what to pass;
#   - `cpack -G DEB` run by that user still gives the system layout.
# Usage: user-install.sh SOURCE_DIR CMAKE CPACK
# PXE_TEST_JOBS (default 1) sets the build's parallelism.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

src=$1
cmake=$2
cpack=$3
jobs=${PXE_TEST_JOBS:-1}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/pxediag-pkgtest.XXXXXX")
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
home=$tmp/home
build=$tmp/build
mkdir "$home" "$build" "$tmp/src"
# a copy the unprivileged user can read: CI's clone may sit in a directory
# they cannot enter
tar -C "$src" -cf - CMakeLists.txt LICENSE cmake plugin postproc tests | tar -C "$tmp/src" -xf -
chmod -R a+rX "$tmp/src"
capture=$src/samples/captures/multi-client.pcapng
[ -f "$capture" ] && cp "$capture" "$tmp/"

uid=$(id -u)
if [ "$uid" = 0 ]; then
    chown 65534:65534 "$home" "$build"
fi
path="$(dirname "$cmake"):/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin"
as_user() {
    if [ "$uid" = 0 ]; then
        setpriv --reuid=65534 --regid=65534 --clear-groups \
            env -i PATH="$path" HOME="$home" LANG=C.UTF-8 TZ=UTC "$@"
    else
        env -i PATH="$path" HOME="$home" LANG=C.UTF-8 TZ=UTC "$@"
    fi
}

fails=0
passes=0
check() {   # check WHAT COMMAND...: passes when COMMAND succeeds
    local what=$1
    shift
    if "$@"; then
        echo "ok   $what"
        passes=$((passes + 1))
    else
        echo "FAIL $what"
        fails=$((fails + 1))
    fi
}
secs() { awk -v a="$1" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f s", b - a }'; }
manifest_under() {   # every line of the manifest starts with DIR/
    [ -s "$build/install_manifest.txt" ] &&
        ! grep -v "^$1/" "$build/install_manifest.txt"
}

# --- configure and build as the user -----------------------------------
t=$(date +%s.%N)
# CMAKE_SKIP_INSTALL_ALL_DEPENDENCY: cpack's "preinstall" step then does not
# build the test programs this test does not need
as_user "$cmake" -S "$tmp/src" -B "$build" -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    -DCMAKE_SKIP_INSTALL_ALL_DEPENDENCY=ON >"$tmp/configure.log" 2>&1 ||
    { cat "$tmp/configure.log"; exit 1; }
echo "configure: $(secs "$t")"
t=$(date +%s.%N)
as_user "$cmake" --build "$build" -j "$jobs" --target pxe pxe-report pxe-report-man-gz \
    >"$tmp/build.log" 2>&1 || { cat "$tmp/build.log"; exit 1; }
echo "build (pxe, pxe-report; -j$jobs): $(secs "$t")"

series=$(cd "$build/plugins" && ls -d [0-9]*.[0-9]* | head -n 1)
user_plugin=$home/.local/lib/wireshark/plugins/$series/epan/pxe.so
files=("$home/.local/bin/pxe-report" "$home/.local/share/man/man1/pxe-report.1" "$user_plugin")
check "configure as a user chose the prefix ~/.local" \
    grep -qx "CMAKE_INSTALL_PREFIX:PATH=$home/.local" "$build/CMakeCache.txt"

# --- root must not install a user's build into that user's home ----------
if [ "$uid" = 0 ]; then
    out=$(env -u DESTDIR "$cmake" --install "$build" 2>&1) && rc=0 || rc=$?
    check "root installing the user's build is refused" test "$rc" != 0
    check "... saying what to pass" grep -q "PXE_PLUGIN_SCOPE=system" <<<"$out"
    check "... before writing anything" test ! -e "$home/.local"
fi

# --- install, use, uninstall as the user ---------------------------------
out=$(as_user "$cmake" --install "$build" 2>&1) && rc=0 || rc=$?
check "cmake --install as a user exits 0" test "$rc" = 0
[ "$rc" = 0 ] || echo "$out"
for f in "${files[@]}"; do
    check "installed ${f#"$home"/}" test -s "$f"
done
check "pxe-report is executable" test -x "$home/.local/bin/pxe-report"
check "install_manifest.txt lists only files under HOME/.local" manifest_under "$home/.local"

# Wireshark itself must find the plugin in the per-user directory. An empty
# WIRESHARK_PLUGIN_DIR stands in for the system directory, which may hold a
# copy installed by root on this machine.
mkdir -p "$tmp/no-plugins"
plugins=$(as_user env WIRESHARK_PLUGIN_DIR="$tmp/no-plugins" tshark -G plugins 2>&1 || true)
check "tshark -G plugins lists ~/.local/.../pxe.so" grep -qF "$user_plugin" <<<"$plugins"
if [ -f "$tmp/multi-client.pcapng" ]; then
    report=$(as_user env WIRESHARK_PLUGIN_DIR="$tmp/no-plugins" \
             "$home/.local/bin/pxe-report" "$tmp/multi-client.pcapng" 2>&1 || true)
    check "the installed pxe-report, with the installed plugin, gives the lab's verdict" \
        grep -qx "3 clients: 1 ok, 2 failed, 0 incomplete" <<<"$report"
else
    echo "skip the installed pxe-report's run: no samples/captures/multi-client.pcapng"
fi

out=$(as_user "$cmake" --build "$build" --target uninstall 2>&1) && rc=0 || rc=$?
check "--target uninstall exits 0" test "$rc" = 0
[ "$rc" = 0 ] || echo "$out"
for f in "${files[@]}"; do
    check "uninstall removed ${f#"$home"/}" test ! -e "$f"
done

# --- an explicit prefix moves pxe-report and its man page, not the plugin --
as_user "$cmake" -DCMAKE_INSTALL_PREFIX="$home/opt" "$build" >/dev/null
out=$(as_user "$cmake" --install "$build" 2>&1) && rc=0 || rc=$?
check "-DCMAKE_INSTALL_PREFIX=HOME/opt: install exits 0" test "$rc" = 0
check "... pxe-report in HOME/opt/bin" test -x "$home/opt/bin/pxe-report"
check "... man page in HOME/opt/share/man/man1" test -s "$home/opt/share/man/man1/pxe-report.1"
check "... the plugin still where Wireshark looks" test -s "$user_plugin"
as_user "$cmake" --build "$build" --target uninstall >/dev/null 2>&1 || true
check "... and uninstall removes them" \
    test ! -e "$home/opt/bin/pxe-report" -a ! -e "$user_plugin"

# --- the package has the system layout whoever runs cpack ------------------
if command -v dpkg-shlibdeps >/dev/null && command -v dpkg-deb >/dev/null; then
    t=$(date +%s.%N)
    out=$(cd "$build" && as_user "$cpack" -G DEB 2>&1) && rc=0 || rc=$?
    check "cpack -G DEB as a user exits 0" test "$rc" = 0
    [ "$rc" = 0 ] || echo "$out"
    deb=$(ls "$build"/pxediag_*_*.deb 2>/dev/null | head -n 1)
    echo "cpack: $(secs "$t"), ${deb##*/}"
    if [ -n "$deb" ]; then
        contents=$(dpkg-deb -c "$deb")
        sysdir=$(pkg-config --variable=plugindir wireshark)
        check "the .deb has the plugin in $sysdir/epan" grep -q " \.$sysdir/epan/pxe\.so$" <<<"$contents"
        check "the .deb has /usr/bin/pxe-report" grep -q " \./usr/bin/pxe-report$" <<<"$contents"
        check "the .deb has the man page" grep -q " \./usr/share/man/man1/pxe-report\.1\.gz$" <<<"$contents"
        check "the .deb has nothing under a home" bash -c '! grep -q "/home\|/tmp\|\.local" <<<"$1"' _ "$contents"
        depends=$(dpkg-deb -f "$deb" Depends)
        check "the .deb depends on libwireshark and tshark ($depends)" \
            bash -c 'grep -q "libwireshark[0-9]" <<<"$1" && grep -qw tshark <<<"$1"' _ "$depends"
    fi
else
    echo "skip the .deb checks: dpkg-shlibdeps (dpkg-dev) is not installed"
fi

echo "$passes passed, $fails failed"
[ "$fails" = 0 ]
