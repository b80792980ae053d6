#!/bin/bash
# hostile-bench.sh - the cost of hostile volumes, each at N/10 and N so that
# linearity shows: a flood of 1M distinct MACs sending DISCOVER, 100k
# attempts of one client, 100k files of one client, 100k distinct
# diagnoses (tests/fuzz/craft.py --bench writes them).  For each: tshark
# reading it without and with the plugin (CPU seconds, peak RSS), the
# diagnoses case also with -z expert, and pxe-report on the plugin's output
# (read from a file, as in a pipeline).  A benchmark, not a test: it prints
# figures and fails only when something is broken.
#
#   tests/bench/hostile-bench.sh [--quick] [--build DIR] [--cache DIR]
#
#   --quick   N/10 and N/100 instead of N and N/10
#   --build   build tree (default: the checkout's build/)
#   --cache   where the inputs are kept (default /tmp/pxe-bench-cache/hostile)
#
# CPU is user+sys and peak RSS ru_maxrss, from /usr/bin/time; tshark runs as
# an unprivileged user (tests/lib/as-user), "without" meaning an empty plugin
# directory.  The plugin follows at most pxe.max_clients clients (default
# 200000): the flood's later MACs are marked pxe.untracked.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build=$top/build cache=/tmp/pxe-bench-cache/hostile div=1
while [ $# -gt 0 ]; do
    case $1 in
        --quick) div=10; shift ;;
        --build) build=$2; shift 2 ;;
        --cache) cache=$2; shift 2 ;;
        -h|--help) sed -n '2,21p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "hostile-bench.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
as_user=$top/tests/lib/as-user
report=$build/postproc/pxe-report
[ -x "$report" ] || { echo "hostile-bench.sh: build first ($report missing)" >&2; exit 2; }
mkdir -p "$cache" && chmod 755 "$cache"
work=$(mktemp -d /tmp/pxe-hostile.XXXXXX)
chmod 755 "$work"
trap 'rm -rf "$work"' EXIT
empty=$work/no-plugins
mkdir -p "$empty" && chmod 755 "$empty"
plugins=$work/plugins
cp -r "$build/plugins" "$plugins"   # a rebuild meanwhile changes nothing
chmod -R a+rX "$plugins"

# measure CMD...: prints "CPU_S PEAK_MB" of the command, output discarded
measure() {
    measure_to /dev/null "$@"
}

# measure_to OUT CMD...: the same, the command's output kept in OUT
measure_to() {
    local out=$1
    shift
    /usr/bin/time -o "$work/time" -f '%U %S %M' "$@" > "$out" 2> "$work/err" || {
        echo "hostile-bench.sh: failed: $*" >&2; tail -5 "$work/err" >&2; exit 1; }
    awk '{printf "%.1f %.0f\n", $1 + $2, $3 / 1024}' "$work/time"
}

cmd=$("$report" --print-tshark-command)
printf '%-9s %8s %8s | %14s | %14s %6s | %14s | %14s\n' case N frames "tshark s / MB" \
    "+plugin s / MB" "x" "report in s/MB" "pxe-report s/MB"
for spec in flood:1000000 attempts:100000 files:100000 diags:100000; do
    name=${spec%%:*}
    full=${spec##*:}
    for n in $((full / 10 / div)) $((full / div)); do
        f=$cache/bench-$name-$n.pcap
        [ -f "$f" ] || python3 "$top/tests/fuzz/craft.py" --bench "$name" --count "$n" "$cache" > /dev/null
        chmod 644 "$f"
        frames=$(capinfos -c -M "$f" | awk '/Number of packets/ {print $NF}')
        read -r p_s p_mb < <(measure "$as_user" "$empty" tshark -r "$f" -Y 'udp.port == 1')
        read -r w_s w_mb < <(measure "$as_user" "$plugins" tshark -r "$f" -Y 'udp.port == 1')
        # the report's tshark run (tree and pxe fields), then pxe-report on its output
        # shellcheck disable=SC2086
        read -r r_s r_mb < <(measure_to "$work/fields.txt" "$as_user" "$plugins" sh -c "$cmd -r '$f'")
        # exit 1 (some client not ok) and 3 (no client) are results; 2 is a failure
        read -r x_s x_mb < <(measure sh -c '"$0" - < "$1"; [ $? -ne 2 ]' "$report" "$work/fields.txt")
        printf '%-9s %8d %8d | %6s / %5s | %6s / %5s %6s | %6s / %5s | %6s / %5s\n' "$name" "$n" \
            "$frames" "$p_s" "$p_mb" "$w_s" "$w_mb" \
            "$(awk -v a="$w_s" -v b="$p_s" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')" \
            "$r_s" "$r_mb" "$x_s" "$x_mb"
        if [ "$name" = diags ]; then
            read -r e0_s e0_mb < <(measure "$as_user" "$empty" tshark -r "$f" -q -z expert)
            read -r e1_s e1_mb < <(measure "$as_user" "$plugins" tshark -r "$f" -q -z expert)
            printf '%-9s %8d %8s | %6s / %5s | %6s / %5s %6s |   (-z expert)\n' "$name" "$n" "" \
                "$e0_s" "$e0_mb" "$e1_s" "$e1_mb" \
                "$(awk -v a="$e1_s" -v b="$e0_s" 'BEGIN {printf "%.2f", (b > 0 ? a / b : 0)}')"
        fi
    done
done
