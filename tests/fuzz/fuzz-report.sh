#!/bin/bash
# fuzz-report.sh - libFuzzer run of pxe-report's reader and model
# (tests/fuzz/fuzz_report.c), seeded with the real tshark output of the
# committed lab captures, cut into pieces of a header and up to 40 rows.
#
#   fuzz-report.sh --fuzzer PATH --plugins DIR --work DIR [--seconds N] [-- LIBFUZZER-ARGS]
#
#   --fuzzer   the fuzz_report binary (the -DPXE_FUZZ=ON build)
#   --plugins  plugins/ of a normal build: makes the seed corpus (tshark with
#              the plugin, the command pxe-report --print-tshark-command gives)
#   --work     corpus/ (kept between runs), artifacts/, the log
#   --seconds  how long to fuzz (default 120; the documented long run: 3600)
#
# First the inputs that once crashed it (tests/fuzz/report-regressions/) run
# once each; then libFuzzer mutates the corpus for the given time. Exit 0:
# nothing found; 1: a crash, leak, timeout or out-of-memory (the input is in
# WORK/artifacts/; keep it in report-regressions/ once fixed); 77: skipped.
# SPDX-License-Identifier: GPL-2.0-or-later
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
fuzzer="" plugins="" work="" seconds=120
while [ $# -gt 0 ]; do
    case $1 in
        --fuzzer) fuzzer=$2; shift 2 ;;
        --plugins) plugins=$2; shift 2 ;;
        --work) work=$2; shift 2 ;;
        --seconds) seconds=$2; shift 2 ;;
        --) shift; break ;;
        *) echo "fuzz-report.sh: unknown argument '$1'" >&2; exit 2 ;;
    esac
done
[ -x "$fuzzer" ] || { echo "fuzz-report.sh: no fuzzer binary '$fuzzer'" >&2; exit 2; }
[ -n "$work" ] || { echo "fuzz-report.sh: --work is required" >&2; exit 2; }
mkdir -p "$work/corpus" "$work/artifacts"

make_corpus() {
    if [ -z "$plugins" ] || [ ! -d "$plugins" ]; then
        echo "fuzz-report.sh: SKIP: no --plugins directory of a normal build to make the corpus" \
             "(configure with -DPXE_CORPUS_PLUGINS=BUILD/plugins)" >&2
        exit 77
    fi
    local report=$plugins/../postproc/pxe-report cmd n=0
    cmd=$("$report" --print-tshark-command)
    for cap in "$top"/samples/captures/*.pcapng; do
        local out=$work/tshark.txt
        # shellcheck disable=SC2086  # the printed command is a word list
        "$top/tests/lib/as-user" "$plugins" sh -c "$cmd -r '$cap'" > "$out"
        # the header line, then pieces of 40 rows
        local header rows
        header=$(head -n 1 "$out")
        rows=$(($(wc -l < "$out") - 1))
        for ((start = 2; start <= rows + 1; start += 40)); do
            { printf '%s\n' "$header"; sed -n "${start},$((start + 39))p" "$out"; } \
                > "$work/corpus/$(basename "$cap" .pcapng)-$start"
            n=$((n + 1))
        done
    done
    rm -f "$work/tshark.txt"
    echo "fuzz-report.sh: corpus of $n pieces from $(ls "$top"/samples/captures/*.pcapng | wc -l) captures"
}
[ -n "$(ls -A "$work/corpus")" ] || make_corpus

regressions=("$here"/report-regressions/*)
if [ -e "${regressions[0]}" ]; then
    echo "fuzz-report.sh: ${#regressions[@]} regression inputs"
    "$fuzzer" "${regressions[@]}" 2>&1 | tail -n 2
fi
echo "fuzz-report.sh: fuzzing for $seconds s"
set +e
"$fuzzer" -max_total_time="$seconds" -max_len=65536 -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$work/artifacts/" -print_final_stats=1 "$@" "$work/corpus" \
    > "$work/fuzz.log" 2>&1
rc=$?
set -e
grep -E '^#[0-9]+.*(DONE|pulse)|stat::number_of_executed_units|stat::peak_rss_mb|ERROR|SUMMARY' \
    "$work/fuzz.log" | tail -n 6
if [ $rc -ne 0 ]; then
    echo "fuzz-report.sh: FOUND something (exit $rc): $work/fuzz.log, $work/artifacts/" >&2
    exit 1
fi
echo "fuzz-report.sh: nothing found"
