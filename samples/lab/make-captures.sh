#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# make-captures.sh - regenerate the pxediag sample captures (samples/captures/*.pcapng).
#
# Each scenario builds its own private network out of network namespaces (bridge,
# taps, veths; nothing routed out), starts real servers (dnsmasq; in some scenarios ISC
# dhcpd and dhcrelay, Kea, atftpd, tftpd-hpa or Python's http.server), boots real PXE
# clients in qemu (software emulation: SeaBIOS + iPXE ROM, OVMF + iPXE EFI ROM, OVMF's own
# network stack), records the bridge(s) with dumpcap and tears it all down again, also on
# failure or Ctrl-C.
#
# Usage: sudo samples/lab/make-captures.sh [-j N] [-l] [scenario...]
#   -j N   run N scenarios at the same time (default 2; each VM needs about one core)
#   -l     list the scenarios and exit ([needs: ...] names the servers a scenario runs
#          besides dnsmasq)
#   no scenario names: all scenarios
# The servers of the scenarios to run must be installed (samples/README.md, Prerequisites):
# the script checks them first and names what is missing.
# Output: samples/captures/<scenario>.pcapng and <scenario>.log (evidence excerpt); work files
# (server/client logs, raw captures, TFTP roots) in samples/lab/work/<scenario>/.

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
		if [ -n "${SCN_NEEDS[$n]}" ]; then
			printf '%-30s [needs: %s] %s\n' "$n" "${SCN_NEEDS[$n]}" "${SCN_DESCS[$n]}"
		else
			printf '%-30s %s\n' "$n" "${SCN_DESCS[$n]}"
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

# The servers a scenario may need besides dnsmasq (scenarios.sh: `scenario ... [server...]`):
# the programs each one runs (lib.sh; tftpd-hpa's syslog stand-in is python3) and where they
# come from on Debian 12
declare -A NEED_PROGS=([dhcpd]="$DHCPD" [dhcrelay]="$DHCRELAY" [kea-dhcp4]="$KEA_DHCP4"
	[atftpd]="$ATFTPD" [tftpd-hpa]="${TFTPD_HPA:-in.tftpd} $PYTHON3" [http]="$PYTHON3")
declare -A NEED_FROM=([dhcpd]="apt-get install isc-dhcp-server" [dhcrelay]="apt-get install isc-dhcp-relay"
	[kea-dhcp4]="apt-get install kea-dhcp4-server" [atftpd]="apt-get install atftpd"
	[tftpd-hpa]="tftpd-hpa unpacked into samples/lab/work/opt/tftpd-hpa, or TFTPD_HPA=<in.tftpd>"
	[http]="apt-get install python3")

# check_needs <scenario...>: every server the given scenarios need is there, else name what is
# missing and which scenarios need it, and exit
check_needs() {
	local n s f bad=0
	declare -A users=()
	for n in "$@"; do
		for s in ${SCN_NEEDS[$n]}; do
			[ -n "${NEED_PROGS[$s]+x}" ] || { echo "scenarios.sh: $n needs unknown server $s" >&2; exit 2; }
			users[$s]="${users[$s]:-}${users[$s]:+ }$n"
		done
	done
	for s in "${!users[@]}"; do
		for f in ${NEED_PROGS[$s]}; do
			[ -x "$f" ] && continue
			echo "missing $f for $s (${NEED_FROM[$s]}), needed by: ${users[$s]}" >&2
			bad=1
		done
	done
	if [ "$bad" -eq 1 ]; then
		echo "install it (samples/README.md, Prerequisites) or run other scenarios (-l lists what each needs)" >&2
		exit 1
	fi
}

while getopts "j:lph" opt; do
	case $opt in
	j) JOBS=$OPTARG ;;
	p)
		echo "-p is gone: scenarios 41-56 (the former pending set) are ordinary scenarios now," \
			"written to samples/captures/; name them to run only them (see -l)" >&2
		exit 2
		;;
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
check_needs "${SELECTED[@]}"

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
