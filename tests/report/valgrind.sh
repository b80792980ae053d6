#!/bin/sh
# valgrind.sh - pxe-report under valgrind on one real capture (direct form:
# pxe-report runs tshark itself) and on bad input: no definite or indirect
# leak, no invalid read or write.  Skips (77) without a capture.
# Usage: valgrind.sh VALGRIND PXE-REPORT PLUGIN_DIR SOURCE_DIR
# SPDX-License-Identifier: GPL-2.0-or-later
set -u
valgrind=$1 report=$2 plugins=$3 src=$4
capture=
for c in "$src/../shared/captures/Qubasa+rs_pxe/uefi_tftp_pixiecore.pcapng" \
         "$src/samples/captures/multi-client.pcapng"; do
    [ -r "$c" ] && { capture=$c; break; }
done
if [ -z "$capture" ]; then
    echo "no capture to run on (../shared/captures and samples/captures absent)"
    exit 77
fi
vg="$valgrind -q --leak-check=full --errors-for-leak-kinds=definite,indirect --error-exitcode=99"
fail=0
for fmt in text json csv; do
    "$src/tests/lib/as-user" "$plugins" $vg "$report" --plugin-dir "$plugins" --format $fmt \
        "$capture" >/dev/null
    rc=$?
    echo "valgrind pxe-report --format $fmt $(basename "$capture"): exit $rc"
    # 0 or 1 are verdicts; 99 is valgrind's
    [ $rc -le 1 ] || fail=1
done
printf 'frame.number\tpxe.stage\nnot\ttshark\n' | $vg "$report" - >/dev/null 2>&1
rc=$?
echo "valgrind pxe-report on bad input: exit $rc"
[ $rc -eq 2 ] || fail=1
exit $fail
