#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make-captures.sh - regenerate the pxediag sample captures (samples/captures/*.pcapng).
#
# Each scenario builds its own private network out of network namespaces (bridge,
# taps, veths; 192.0.2.0/24 only, nothing routed out), starts real dnsmasq servers,
# boots real PXE clients in qemu (software emulation: SeaBIOS + iPXE ROM, OVMF + iPXE
# EFI ROM, OVMF's own network stack), records the bridge with dumpcap and tears it
# all down again, also on failure or Ctrl-C.
#
# Usage: sudo samples/lab/make-captures.sh [-j N] [-l] [scenario...]
#   -j N   run N scenarios at the same time (default 2; each VM needs about one core)
#   -l     list the scenarios and exit
#   no scenario names: all of them
# Output: samples/captures/<scenario>.pcapng and <scenario>.log (evidence excerpt);
# work files (server/client logs, raw captures, TFTP roots) in samples/lab/work/<scenario>/.

set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$LAB_DIR/lib.sh"
# shellcheck source=scenarios.sh
. "$LAB_DIR/scenarios.sh"

JOBS=2

usage() {
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0" | sed -n '/^Usage/,$p'
	exit "${1:-0}"
}

list_scenarios() {
	local n
	for n in "${SCN_NAMES[@]}"; do
		printf '%-28s %s\n' "$n" "${SCN_DESCS[$n]}"
	done
}

check_prereqs() {
	local missing=() c f
	for c in qemu-system-x86_64 /usr/sbin/dnsmasq dumpcap editcap tshark nft ip timeout; do
		command -v "$c" >/dev/null 2>&1 || missing+=("$c")
	done
	for f in "$OVMF_CODE" "$OVMF_VARS" "$PXELINUX_0" "$LDLINUX_C32" "$SYSLINUX_EFI" "$LDLINUX_E64" \
		"$UNDIONLY_KPXE" "$SNPONLY_EFI" /usr/lib/ipxe/qemu/efi-e1000.rom; do
		[ -e "$f" ] || missing+=("$f")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "missing: ${missing[*]}" >&2
		echo "install: apt-get install qemu-system-x86 ovmf ipxe-qemu ipxe pxelinux syslinux-efi syslinux-common dnsmasq-base tshark nftables iproute2" >&2
		exit 1
	fi
}

while getopts "j:lh" opt; do
	case $opt in
	j) JOBS=$OPTARG ;;
	l) list_scenarios; exit 0 ;;
	h) usage 0 ;;
	*) usage 2 ;;
	esac
done
shift $((OPTIND - 1))

[ "$(id -u)" -eq 0 ] || { echo "run as root (network namespaces, taps, nftables)" >&2; exit 1; }
check_prereqs

if [ $# -gt 0 ]; then
	SELECTED=("$@")
	for n in "${SELECTED[@]}"; do
		[ -n "${SCN_DESCS[$n]+x}" ] || { echo "unknown scenario: $n (see -l)" >&2; exit 2; }
	done
else
	SELECTED=("${SCN_NAMES[@]}")
fi

mkdir -p "$WORK_ROOT" "$CAPTURES_DIR"

# run_one <name>: one scenario in its own shell (its own EXIT trap tears its lab down)
run_one() {
	local name=$1 fn
	fn=sc_${name//-/_}
	lab_begin "$name" "${SCN_NUMS[$name]}"
	SCN_DESC=${SCN_DESCS[$name]}
	: >"$W/setup.txt"
	"$fn"
	[ "$CHECKS_FAILED" -eq 0 ]
}

declare -A RUNNING=()   # pid -> name
declare -A STARTED=()   # name -> epoch
declare -A RESULT=()    # name -> "ok 42s" ...

reap_one() {
	local pid name rc=0 t
	wait -n -p pid "${!RUNNING[@]}" || rc=$?
	name=${RUNNING[$pid]}
	unset "RUNNING[$pid]"
	t=$(($(date +%s) - ${STARTED[$name]}))
	if [ "$rc" -eq 0 ]; then RESULT[$name]="ok ${t}s"; else RESULT[$name]="FAILED(rc=$rc) ${t}s"; fi
	echo "$(date +%H:%M:%S) finished $name: ${RESULT[$name]} (log: $WORK_ROOT/$name.out)"
}

on_signal() {
	local pid
	trap - INT TERM
	echo "interrupted: stopping running scenarios" >&2
	for pid in "${!RUNNING[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
	wait || true
	exit 130
}
trap on_signal INT TERM

T0=$(date +%s)
echo "$(date +%H:%M:%S) regenerating ${#SELECTED[@]} scenario(s), $JOBS at a time"
ORDERED=("${SELECTED[@]}")
for name in "${ORDERED[@]}"; do
	while [ ${#RUNNING[@]} -ge "$JOBS" ]; do reap_one; done
	STARTED[$name]=$(date +%s)
	echo "$(date +%H:%M:%S) starting $name"
	(run_one "$name") >"$WORK_ROOT/$name.out" 2>&1 &
	RUNNING[$!]=$name
done
while [ ${#RUNNING[@]} -gt 0 ]; do reap_one; done

TOTAL=$(($(date +%s) - T0))
{
	echo "# pxediag capture lab run $(date -u +%Y-%m-%dT%H:%M:%SZ), jobs=$JOBS, total ${TOTAL}s"
	for name in "${ORDERED[@]}"; do
		printf '%-28s %s\n' "$name" "${RESULT[$name]}"
	done
} | tee "$WORK_ROOT/timing.txt"
bad=0
for name in "${ORDERED[@]}"; do
	case ${RESULT[$name]} in ok*) ;; *) bad=$((bad + 1)) ;; esac
done
if [ "$bad" -gt 0 ]; then
	echo "$bad scenario(s) did not behave as expected; see samples/lab/work/<name>.out and <name>/checks.txt" >&2
	exit 1
fi
