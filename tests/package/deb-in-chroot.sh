#!/bin/bash
# deb-in-chroot.sh - prove that the pxediag .deb installs and works on a fresh
# Debian 12: a minimal bookworm made by debootstrap (from deb.debian.org),
# `apt-get install ./pxediag_*.deb` there, which must pull tshark and the
# libraries by itself, then the installed tshark must list pxe.so and the
# installed pxe-report must give the lab's verdict on multi-client.pcapng;
# `apt-get purge pxediag` must take the plugin away again.
#
#   sudo tests/package/deb-in-chroot.sh [BUILD_DIR | PACKAGE.deb]
#
# BUILD_DIR (default: ./build) is packed with `cpack -G DEB` first. Not a
# ctest test and not part of CI: it needs root and the network, and takes
# minutes (the first run about 2 more for debootstrap). The pristine
# bookworm is cached in /var/tmp/pxediag-bookworm/base (PXE_CHROOT_CACHE
# moves it), with the .debs apt downloads; each run works on a copy of it
# that it deletes at the end, so every run starts from a fresh system.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
cache=${PXE_CHROOT_CACHE:-/var/tmp/pxediag-bookworm}
mirror=http://deb.debian.org/debian
capture=$here/samples/captures/multi-client.pcapng
expect="3 clients: 1 ok, 2 failed, 0 incomplete"

die() { echo "deb-in-chroot: $*" >&2; exit 1; }
now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.1f s", b - a }'; }

[ "$(id -u)" = 0 ] || die "needs root (debootstrap, chroot): sudo $0 $*"
case "$cache/" in "$here"/*) die "the cache $cache must be outside the repository" ;; esac
[ -f "$capture" ] || die "missing $capture"

# --- the package ---------------------------------------------------------
arg=${1:-$here/build}
if [ -d "$arg" ]; then
    [ -f "$arg/CPackConfig.cmake" ] || die "$arg is not a configured build directory"
    echo "== cpack -G DEB in $arg"
    (cd "$arg" && cpack -G DEB >/dev/null)
    deb=$(ls -t "$arg"/pxediag_*.deb | head -n 1)
else
    deb=$arg
fi
[ -f "$deb" ] || die "no package: $deb"
deb_size=$(stat -c %s "$deb")
echo "== package $deb ($deb_size bytes)"

# --- a pristine bookworm, made once ---------------------------------------
command -v debootstrap >/dev/null || {
    echo "== installing debootstrap"
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap >/dev/null
}
mkdir -p "$cache/archives/partial"
if [ ! -f "$cache/base/.pxediag-complete" ]; then
    echo "== debootstrap bookworm into $cache/base (once)"
    t=$(now)
    rm -rf "$cache/base.tmp"
    debootstrap --variant=minbase bookworm "$cache/base.tmp" "$mirror" >"$cache/debootstrap.log" 2>&1 ||
        die "debootstrap failed, see $cache/debootstrap.log"
    cat >"$cache/base.tmp/etc/apt/sources.list" <<EOF
deb $mirror bookworm main
deb $mirror bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
EOF
    rm -rf "$cache/base.tmp/var/cache/apt/archives/"*.deb
    touch "$cache/base.tmp/.pxediag-complete"
    mv "$cache/base.tmp" "$cache/base"
    echo "   debootstrap: $(since "$t")"
fi

# --- a fresh copy for this run ---------------------------------------------
root=$(mktemp -d "$cache/run.XXXXXX")
cleanup() {
    for m in var/cache/apt/archives proc; do
        mountpoint -q "$root/$m" && umount "$root/$m"
    done
    rm -rf --one-file-system "$root"
}
trap cleanup EXIT
t=$(now)
cp -a "$cache/base/." "$root/"
echo "== fresh bookworm in $root ($(since "$t"))"
cp /etc/resolv.conf "$root/etc/resolv.conf"
mount -t proc proc "$root/proc"
# downloaded .debs survive between runs (apt checks them against the index)
mount --bind "$cache/archives" "$root/var/cache/apt/archives"
cp "$deb" "$capture" "$root/tmp/"
in_root() { chroot "$root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
                DEBIAN_FRONTEND=noninteractive "$@"; }

t=$(now)
in_root apt-get update -q >"$cache/apt.log" 2>&1 || die "apt-get update failed, see $cache/apt.log"
before=$(in_root dpkg-query -W -f='.\n' | wc -l)
in_root apt-get install -y -q "./tmp/$(basename "$deb")" >>"$cache/apt.log" 2>&1 ||
    die "apt-get install ./$(basename "$deb") failed, see $cache/apt.log"
after=$(in_root dpkg-query -W -f='.\n' | wc -l)
echo "== apt-get install ./$(basename "$deb"): $((after - before)) packages, $(since "$t")"
in_root dpkg-query -W -f='   ${Package} ${Version}\n' pxediag tshark libwireshark16

fail=0
check() {   # check WHAT COMMAND...: ok when COMMAND succeeds
    local what=$1
    shift
    if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}

plugins=$(in_root tshark -G plugins 2>&1 || true)
plugin_line=$(grep 'pxe\.so' <<<"$plugins" || true)
echo "   tshark -G plugins: ${plugin_line:-<no pxe.so>}"
check "tshark -G plugins lists the system pxe.so" \
    grep -q '/usr/lib/x86_64-linux-gnu/wireshark/plugins/4\.0/epan/pxe\.so' <<<"$plugin_line"

t=$(now)
report=$(in_root pxe-report /tmp/multi-client.pcapng 2>&1) && rc=0 || rc=$?
echo "   pxe-report /tmp/multi-client.pcapng: exit $rc, $(since "$t"), last line: $(tail -n 1 <<<"$report")"
check "pxe-report prints '$expect'" grep -qxF "$expect" <<<"$report"
check "pxe-report exits 1 (some client failed)" test "$rc" = 1

check "the man page is installed" test -s "$root/usr/share/man/man1/pxe-report.1.gz"

in_root apt-get purge -y -q pxediag >>"$cache/apt.log" 2>&1 || echo "   apt-get purge pxediag failed, see $cache/apt.log"
check "apt-get purge pxediag removes the plugin and pxe-report" \
    test ! -e "$root/usr/lib/x86_64-linux-gnu/wireshark/plugins/4.0/epan/pxe.so" -a ! -e "$root/usr/bin/pxe-report"

echo "== package $deb_size bytes; Depends: $(dpkg-deb -f "$deb" Depends)"
if [ "$fail" = 0 ]; then echo "deb-in-chroot: all checks passed"; else echo "deb-in-chroot: FAILED"; fi
exit "$fail"
