#!/bin/bash
# SPDX-License-Identifier: GPL-2.0-or-later
#
# check-captures.sh - check samples/verdicts.tsv against samples/captures/*.pcapng and print
# what each client did in each capture, read with the stock tshark (no plugins loaded).
#
# Usage: samples/lab/check-captures.sh [-s] [capture.pcapng...]
#   (no option)  check the verdict table: exact header, valid outcome and codes, exactly
#                one row per client MAC (52:54:00:...) present in each capture, no rows
#                for captures or MACs that do not exist
#   -s           also print a per-client summary of every capture (or of those named):
#                DHCP/proxyDHCP and DHCPv6 messages, HTTP requests and answers, unanswered
#                ARP, and one line per TFTP transfer with its result; in a capture of several
#                interfaces (relay-*: client and server segment) the client's own segment,
#                the others counted apart
# Exit status 0 when the table and the captures agree.

set -euo pipefail

LAB_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
SAMPLES_DIR=$(cd "$LAB_DIR/.." && pwd)
CAPTURES_DIR=$SAMPLES_DIR/captures
VERDICTS=$SAMPLES_DIR/verdicts.tsv

HEADER=$'capture\tmac\toutcome\tcodes\tnote'
# the codes pxediag knows: its one code table
CODES=$(sed -n 's/^ *\[PXE_CODE_[A-Z0-9_]*\] = {"\([^"]*\)".*/\1/p' "$(dirname "$0")/../../plugin/core/pxe_codes.c" | tr '\n' ' ')

# tshark without plugins (a pxediag build may sit in the system plugin dir): root ignores
# WIRESHARK_PLUGIN_DIR, so as root run it as nobody and feed the capture on stdin
tshark_plain() {
	local f=$1
	shift
	if [ "$(id -u)" -eq 0 ] && command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			env -i PATH=/usr/bin:/bin HOME=/tmp WIRESHARK_PLUGIN_DIR=/nonexistent tshark -r - "$@" <"$f"
	else
		env HOME="${TMPDIR:-/tmp}" WIRESHARK_PLUGIN_DIR=/nonexistent tshark -r "$f" "$@"
	fi
}

client_macs() {   # client_macs <capture>: MACs of the lab's clients (qemu 52:54:00 prefix)
	tshark_plain "$1" -T fields -e eth.src -e dhcp.hw.mac_addr 2>/dev/null |
		tr '\t,' '\n\n' | grep -i '^52:54:00:' | tr 'A-F' 'a-f' | sort -u
}

summary() {   # summary <capture>: per-client event summary
	local cap=$1 mac
	for mac in $(client_macs "$cap"); do
		echo "  client $mac"
		tshark_plain "$cap" -E separator='|' -E occurrence=f -T fields \
			-e frame.time_relative -e eth.src -e eth.dst -e ip.src -e ip.dst -e udp.srcport -e udp.dstport \
			-e dhcp.option.dhcp -e dhcp.hw.mac_addr -e dhcp.ip.your -e dhcp.option.dhcp_server_id \
			-e dhcp.ip.server -e dhcp.file -e dhcp.option.bootfile_name -e dhcp.option.vendor_class_id \
			-e dhcp.option.client_system_architecture -e tftp.opcode -e tftp.source_file -e tftp.block \
			-e tftp.error.code -e tftp.error.message -e icmp.type -e icmp.code -e arp.opcode \
			-e arp.src.proto_ipv4 -e arp.dst.proto_ipv4 -e dhcp.option.user_class.text -e ipv6.src -e udp.length \
			-e frame.interface_id -e frame.interface_name -e ipv6.dst -e dhcpv6.msgtype \
			-e http.request.method -e http.request.uri -e http.response.code -e http.content_length 2>/dev/null |
			awk -F'|' -v mac="$mac" -f "$LAB_DIR/summary.awk"
	done
}

# frame_count <capture>: "N frames", and per interface when the capture has several (a
# routed or relayed packet is in it once per interface)
frame_count() {
	tshark_plain "$1" -T fields -e frame.interface_name 2>/dev/null | awk '
		!($0 in n) { o[++k] = $0 }
		{ n[$0]++ }
		END {
			s = NR " frames"
			for (i = 1; k > 1 && i <= k; i++) s = s sprintf("%s %d on %s", i > 1 ? "," : ":", n[o[i]], o[i])
			print s
		}'
}

check_table() {
	local rc=0 line n=0 cap mac outcome codes note c f
	declare -A rows=()
	if [ ! -f "$VERDICTS" ]; then
		echo "missing $VERDICTS" >&2
		return 1
	fi
	if [ "$(head -1 "$VERDICTS")" != "$HEADER" ]; then
		echo "verdicts.tsv: header is not exactly: $HEADER" >&2
		rc=1
	fi
	while IFS= read -r line; do
		n=$((n + 1))
		[ "$n" -eq 1 ] && continue
		[ -n "$line" ] || { echo "verdicts.tsv:$n: empty line" >&2; rc=1; continue; }
		IFS=$'\t' read -r cap mac outcome codes note <<<"$line"
		if [ "$(awk -F'\t' '{print NF}' <<<"$line")" -ne 5 ]; then
			echo "verdicts.tsv:$n: not 5 tab-separated fields" >&2
			rc=1
		fi
		[ -f "$CAPTURES_DIR/$cap" ] || { echo "verdicts.tsv:$n: no capture $cap" >&2; rc=1; }
		[[ $mac =~ ^([0-9a-f]{2}:){5}[0-9a-f]{2}$ ]] || { echo "verdicts.tsv:$n: bad mac $mac" >&2; rc=1; }
		case $outcome in ok | failed | incomplete) ;; *) echo "verdicts.tsv:$n: bad outcome $outcome" >&2; rc=1 ;; esac
		if [ "$codes" != "-" ]; then
			for c in ${codes//,/ }; do
				[[ " $CODES " == *" $c "* ]] || { echo "verdicts.tsv:$n: unknown code $c" >&2; rc=1; }
			done
		fi
		[ -n "$note" ] || { echo "verdicts.tsv:$n: empty note" >&2; rc=1; }
		if [ -n "${rows[$cap/$mac]:-}" ]; then
			echo "verdicts.tsv:$n: second row for $cap $mac" >&2
			rc=1
		fi
		rows[$cap/$mac]=$outcome
	done <"$VERDICTS"
	for f in "$CAPTURES_DIR"/*.pcapng; do
		cap=$(basename "$f")
		for mac in $(client_macs "$f"); do
			if [ -z "${rows[$cap/$mac]:-}" ]; then
				echo "$cap: client $mac has no row in verdicts.tsv" >&2
				rc=1
			fi
			unset "rows[$cap/$mac]"
		done
	done
	for c in "${!rows[@]}"; do
		echo "verdicts.tsv: row for ${c#*/} in ${c%%/*}, but that client is not in the capture" >&2
		rc=1
	done
	return "$rc"
}

SUMMARY=0
while getopts "sph" opt; do
	case $opt in
	s) SUMMARY=1 ;;
	p) echo "-p is gone: the former pending set is part of samples/captures/ and verdicts.tsv" >&2; exit 2 ;;
	h) sed -n '/^# Usage/,/^# Exit/{s/^# \{0,1\}//;p}' "$0"; exit 0 ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))

if [ "$SUMMARY" -eq 1 ]; then
	if [ $# -gt 0 ]; then files=("$@"); else files=("$CAPTURES_DIR"/*.pcapng); fi
	for f in "${files[@]}"; do
		[ -f "$f" ] || f=$CAPTURES_DIR/$f
		echo "== $(basename "$f") ($(stat -c %s "$f") bytes, $(frame_count "$f"))"
		summary "$f"
	done
fi

if check_table; then
	echo "verdicts.tsv: $(($(wc -l <"$VERDICTS") - 1)) rows, consistent with $(ls "$CAPTURES_DIR"/*.pcapng | wc -l) captures"
else
	exit 1
fi
