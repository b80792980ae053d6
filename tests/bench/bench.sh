#!/bin/bash
# bench.sh - what the pxe plugin costs tshark: time and peak memory of plain
# tshark against tshark with the plugin, on the same capture, in one run.
# Prints figures and ratios; it is a benchmark, not a test (nothing fails on
# a number).
#
#   tests/bench/bench.sh [BUILD_DIR] [CAPTURE] [COPIES]
#
# Without CAPTURE it builds one: COPIES (default 200) time-shifted copies of
# the lab's multi-client capture appended with mergecap, i.e. a busy PXE
# segment where most packets belong to boots (the plugin's worst case).
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=${1:-$top/build}
capture=${2:-}
copies=${3:-200}
as_user=$top/tests/lib/as-user
work=$(mktemp -d /tmp/pxe-bench.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/noplugins" "$work/out"
chmod 1777 "$work/out"   # tshark runs as nobody when we are root

if [ -z "$capture" ]; then
    seed=$top/samples/captures/multi-client.pcapng
    [ -f "$seed" ] || seed=$top/samples/captures/bios-pxelinux-ok.pcapng
    parts=()
    for i in $(seq 1 "$copies"); do
        editcap -t $((i * 120)) "$seed" "$work/part$i.pcapng"
        parts+=("$work/part$i.pcapng")
    done
    mergecap -a -w "$work/bench.pcapng" "${parts[@]}"
    rm -f "${parts[@]}"
    capture=$work/bench.pcapng
fi
chmod 644 "$capture" 2>/dev/null || true
packets=$(capinfos -c -M "$capture" | awk -F': *' '/Number of packets/ {print $2}')
echo "capture: $capture ($packets packets)"

# run LABEL PLUGIN_DIR ARGS... -> seconds and max RSS (KiB), best of 3
run() {
    local label=$1 plugdir=$2
    shift 2
    local best=999999 rss=0
    for _ in 1 2 3; do
        "$as_user" "$plugdir" /usr/bin/time -f "%e %M" -o "$work/out/time" tshark "$@" >/dev/null 2>"$work/err" ||
            { cat "$work/err" >&2; exit 1; }
        read -r t m <"$work/out/time"
        best=$(awk -v a="$t" -v b="$best" 'BEGIN {print (a < b) ? a : b}')
        rss=$m
    done
    echo "$best $rss"
}

printf '%-28s %10s %10s %10s %8s %8s\n' workload "plain s" "pxe s" "ratio" "plain MB" "pxe MB"
bench() {
    local label=$1
    shift
    read -r t0 m0 < <(run plain "$work/noplugins" "$@")
    read -r t1 m1 < <(run pxe "$build/plugins" "$@")
    awk -v l="$label" -v t0="$t0" -v t1="$t1" -v m0="$m0" -v m1="$m1" 'BEGIN {
        printf "%-28s %10.2f %10.2f %9.3fx %8.1f %8.1f\n", l, t0, t1, (t0 > 0 ? t1 / t0 : 0), m0 / 1024, m1 / 1024 }'
}
bench "read, no tree (-r)" -r "$capture"
bench "filter 'dhcp or tftp'" -r "$capture" -Y "dhcp or tftp"
bench "fields, 2 passes" -r "$capture" -2 -T fields -e frame.number -e udp.srcport
