#!/bin/bash
# fuzz-plugin.sh - tshark with the pxe plugin (the sanitizer build's, see
# tests/lib/as-user) on mutated and crafted captures, one pass and -2, with a
# timeout.  Seeds: the lab captures (samples/captures), the public ones
# (../shared/captures, when beside the tree) and the hostile classes of
# craft.py.  Each mutated capture is one seed through editcap: random byte
# errors at a rate of 0.1 %, 1 % or 5 % (editcap -E), or every frame cut to a
# random snap length (editcap -s).  --batch B concatenates B mutated captures
# into one file (mergecap -a, several link types become several interfaces)
# so that tshark's start-up is paid once per batch.
#
#   fuzz-plugin.sh --build DIR --out DIR [--count N] [--batch B] [--seed S]
#                  [--jobs J] [--timeout SECONDS]
#
#   --count    mutated captures (default 60; the documented long run: 10000)
#   --batch    mutated captures per tshark run (default 5)
#   --jobs     tshark runs at once (default 1)
#   --timeout  per tshark run (default 300 s): a hang is a finding
#
# A finding: a sanitizer report, a crash, a timeout, or a "Dissector bug"
# naming PXE.  A batch that fails the same way without the plugin is
# Wireshark's own problem: counted and kept apart, not a finding.  Findings
# go to OUT/found/ with their logs; keep each, once fixed, as a regression
# (tests/fuzz/test_hostile.py).  Exit 0: nothing found; 1: findings; 77: skipped.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
build="" out="" count=60 batch=5 seed=1 jobs=1 timeout_s=300
while [ $# -gt 0 ]; do
    case $1 in
        --build) build=$2; shift 2 ;;
        --out) out=$2; shift 2 ;;
        --count) count=$2; shift 2 ;;
        --batch) batch=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --jobs) jobs=$2; shift 2 ;;
        --timeout) timeout_s=$2; shift 2 ;;
        *) echo "fuzz-plugin.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -n "$build" ] && [ -n "$out" ] || { echo "fuzz-plugin.sh: --build and --out are required" >&2; exit 2; }
for tool in tshark editcap mergecap python3; do
    command -v $tool >/dev/null || { echo "fuzz-plugin.sh: SKIP: $tool not found" >&2; exit 77; }
done
plugins=$build/plugins
as_user=$top/tests/lib/as-user
rm -rf "$out"
mkdir -p "$out/seeds" "$out/work" "$out/found" "$out/wireshark-own"
chmod 755 "$out" "$out/work"
if ! "$as_user" "$plugins" tshark -G plugins 2>/dev/null | grep -q 'pxe\.so'; then
    echo "fuzz-plugin.sh: the pxe plugin in $plugins does not load into tshark" >&2
    exit 2
fi
empty=$out/no-plugins
mkdir -p "$empty" && chmod 755 "$empty"

# ---- seeds ----
python3 "$here/craft.py" --scale 0.01 "$out/seeds" > /dev/null
seeds=("$out"/seeds/* "$top"/samples/captures/*.pcapng)
shared=${PXE_SHARED_CAPTURES:-$top/../shared/captures}
if [ -d "$shared" ]; then
    while IFS= read -r f; do seeds+=("$f"); done < <(find "$shared" -type f \
        \( -name '*.pcap' -o -name '*.pcapng' -o -name '*.cap' \) -size -20M | sort)
fi
echo "fuzz-plugin.sh: ${#seeds[@]} seeds, $count mutated captures in batches of $batch, seed $seed"

# ---- one batch: make it, run it twice ----
RANDOM=$seed
mutate() {   # mutate SEED OUTFILE
    local kind=$((RANDOM % 4)) s=$RANDOM
    case $kind in
        0) editcap -E 0.001 --seed "$s" "$1" "$2" ;;
        1) editcap -E 0.01 --seed "$s" "$1" "$2" ;;
        2) editcap -E 0.05 --seed "$s" "$1" "$2" ;;
        3) editcap -s $((20 + s % 300)) "$1" "$2" ;;
    esac
}

# run_tshark PLUGINS FILE LOG [-2]: exit status of tshark (124: timeout)
run_tshark() {
    local plugdir=$1 file=$2 log=$3
    shift 3
    local rc=0
    timeout -k 10 "$timeout_s" "$as_user" "$plugdir" tshark -r "$file" "$@" -T fields \
        -e frame.number -e pxe.stage -e pxe.client -e pxe.diag -e pxe.outcome -e _ws.col.Info \
        > "$log.out" 2> "$log.err" || rc=$?
    return $rc
}

finding() {   # finding FILE LOG: is this run's output a finding?
    grep -qE 'AddressSanitizer|runtime error|LeakSanitizer' "$2.err" && return 0
    grep -qiE 'Dissector bug, protocol PXE|pxe.*dissector bug' "$2.out" && return 0
    return 1
}

check_batch() {   # check_batch N FILE
    local n=$1 file=$2 log=$out/work/b$1
    local pass
    for pass in one two; do
        local extra=()
        [ $pass = two ] && extra=(-2)
        local rc=0
        run_tshark "$plugins" "$file" "$log.$pass" "${extra[@]}" || rc=$?
        if [ $rc -eq 0 ] && ! finding "$file" "$log.$pass"; then
            continue
        fi
        # the same without the plugin: Wireshark's own?
        local rc0=0
        PXE_SANITIZER_PRELOAD="" run_tshark "$empty" "$file" "$log.$pass.bare" "${extra[@]}" || rc0=$?
        if [ $rc -ne 0 ] && [ $rc0 -eq $rc ] && ! finding "$file" "$log.$pass"; then
            cp "$file" "$out/wireshark-own/batch-$n.pcapng"
            echo "batch $n ($pass pass): tshark exits $rc with and without the plugin" \
                >> "$out/wireshark-own/list.txt"
            continue
        fi
        cp "$file" "$out/found/batch-$n-$pass.pcapng"
        cp "$log.$pass.err" "$out/found/batch-$n-$pass.stderr"
        echo "FOUND batch $n ($pass pass): tshark exit $rc (without the plugin: $rc0)" | tee -a "$out/found/list.txt"
    done
    rm -f "$file" "$log".*
}

start=$(date +%s)
made=0 n=0
while [ $made -lt "$count" ]; do
    n=$((n + 1))
    parts=()
    for ((k = 0; k < batch && made < count; k++)); do
        s=${seeds[$((RANDOM % ${#seeds[@]}))]}
        part=$out/work/m$n-$k.pcapng
        if mutate "$s" "$part" 2> /dev/null; then
            parts+=("$part")
        fi
        made=$((made + 1))
    done
    [ ${#parts[@]} -gt 0 ] || continue
    mergecap -a -F pcapng -w "$out/work/batch$n.pcapng" "${parts[@]}"
    rm -f "${parts[@]}"
    check_batch "$n" "$out/work/batch$n.pcapng" &
    while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
    if [ $((made % 500)) -lt "$batch" ]; then
        echo "fuzz-plugin.sh: $made mutated captures, $(($(date +%s) - start)) s"
    fi
done
wait
found=0
[ -f "$out/found/list.txt" ] && found=$(wc -l < "$out/found/list.txt")
own=0
[ -f "$out/wireshark-own/list.txt" ] && own=$(wc -l < "$out/wireshark-own/list.txt")
echo "fuzz-plugin.sh: $made mutated captures in $n batches, one pass and -2 each, in" \
     "$(($(date +%s) - start)) s: $found finding(s), $own failure(s) of Wireshark's own"
[ "$found" -eq 0 ] || { cat "$out/found/list.txt" >&2; exit 1; }
