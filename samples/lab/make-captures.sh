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
# Usage: sudo samples/lab/make-captures.sh [-j N] [-l] [-p] [scenario...]
#   -j N   run N scenarios at the same time (default 2; each VM needs about one core)
#   -l     list the scenarios and exit ([pending] marks the pending set)
#   -p     run the pending set (other servers: ISC dhcpd, Kea, tftpd-hpa, atftpd, dhcrelay,
#          HTTP; IPv6, HTTP boot), written to samples/pending/ instead of samples/captures/
#   no scenario names: all scenarios of samples/captures/ (the pending set only with -p)
# Output: samples/captures/<scenario>.pcapng and <scenario>.log (evidence excerpt), for the
# pending set samples/pending/; work files (server/client logs, raw captures, TFTP roots) in
# samples/lab/work/<scenario>/.

set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
# shellcheck source=lib.sh
. "$LAB_DIR/lib.sh"
# shellcheck source=scenarios.sh
. "$LAB_DIR/scenarios.sh"

JOBS=2
PENDING=0
PENDING_DIR=$SAMPLES_DIR/pending

usage() {
	sed -n '2,/^$/{s/^# \{0,1\}//;p}' "$0" | sed -n '/^Usage/,$p'
	exit "${1:-0}"
}

list_scenarios() {
	local n
	for n in "${SCN_NAMES[@]}"; do
		if [ -n "${SCN_PENDING[$n]:-}" ]; then
			printf '%-28s [pending] %s\n' "$n" "${SCN_DESCS[$n]}"
		else
			printf '%-28s %s\n' "$n" "${SCN_DESCS[$n]}"
		fi
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

# the pending set needs more servers (Debian packages isc-dhcp-server, isc-dhcp-relay,
# kea-dhcp4-server, atftpd, tftpd-hpa; python3 for HTTP and the syslog stand-in)
check_pending_prereqs() {
	local missing=() f
	for f in "$DHCPD" "$DHCRELAY" "$KEA_DHCP4" "$ATFTPD" "$TFTPD_HPA" "$PYTHON3"; do
		[ -x "$f" ] || missing+=("${f:-in.tftpd of tftpd-hpa}")
	done
	if [ ${#missing[@]} -gt 0 ]; then
		echo "missing for the pending set: ${missing[*]} (see samples/README.md, pending set)" >&2
		exit 1
	fi
}

while getopts "j:lph" opt; do
	case $opt in
	j) JOBS=$OPTARG ;;
	p) PENDING=1 ;;
	l) list_scenarios; exit 0 ;;
	h) usage 0 ;;
	*) usage 2 ;;
	esac
done
shift $((OPTIND - 1))

[ "$(id -u)" -eq 0 ] || { echo "run as root (network namespaces, taps, nftables)" >&2; exit 1; }
check_prereqs

if [ $# -gt 0 ]; then
	[ "$PENDING" -eq 0 ] || { echo "-p takes no scenario names (name pending scenarios alone)" >&2; exit 2; }
	SELECTED=("$@")
	for n in "${SELECTED[@]}"; do
		[ -n "${SCN_DESCS[$n]+x}" ] || { echo "unknown scenario: $n (see -l)" >&2; exit 2; }
	done
else
	# a plain full run regenerates samples/captures/ only; -p the pending set only
	SELECTED=()
	for n in "${SCN_NAMES[@]}"; do
		if [ -n "${SCN_PENDING[$n]:-}" ]; then p=1; else p=0; fi
		[ "$p" -eq "$PENDING" ] && SELECTED+=("$n")
	done
fi
for n in "${SELECTED[@]}"; do
	if [ -n "${SCN_PENDING[$n]:-}" ]; then
		check_pending_prereqs
		break
	fi
done

mkdir -p "$WORK_ROOT" "$CAPTURES_DIR" "$PENDING_DIR"

# run_one <name>: one scenario in its own shell (its own EXIT trap tears its lab down)
run_one() {
	local name=$1 fn
	fn=sc_${name//-/_}
	[ -z "${SCN_PENDING[$name]:-}" ] || CAPTURES_DIR=$PENDING_DIR
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
