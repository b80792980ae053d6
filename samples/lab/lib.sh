# SPDX-License-Identifier: GPL-2.0-or-later
#
# lib.sh - building blocks of the pxediag capture lab (sourced by make-captures.sh).
#
# One scenario = one private network made of network namespaces:
#   <P>-net : bridge br0 (no address), one tap per client VM, one veth per server;
#             dumpcap records br0 in promiscuous mode, i.e. every frame the bridge
#             forwards (what a mirror port would see).
#   <P>-s1  : eth0 192.0.2.1/24, dnsmasq "server 1" (DHCP and/or TFTP, proxyDHCP)
#   <P>-s2  : eth0 192.0.2.2/24, dnsmasq "server 2" (second DHCP server or proxy)
# Only 192.0.2.0/24 is used, no namespace has a default route, IPv6 is off on the
# lab side, and no link of the lab ever exists in the host's own namespace.
# Clients are qemu VMs (accel=tcg) started inside <P>-net on a tap of br0.
#
# Everything a scenario produces goes to $W (samples/lab/work/<scenario>/), the
# final capture and an evidence excerpt to samples/captures/.

set -euo pipefail

LAB_DIR=${LAB_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)}
SAMPLES_DIR=${SAMPLES_DIR:-$(cd "$LAB_DIR/.." && pwd)}
CAPTURES_DIR=${CAPTURES_DIR:-$SAMPLES_DIR/captures}
WORK_ROOT=${WORK_ROOT:-$LAB_DIR/work}

OVMF_CODE=${OVMF_CODE:-/usr/share/OVMF/OVMF_CODE.fd}
OVMF_VARS=${OVMF_VARS:-/usr/share/OVMF/OVMF_VARS.fd}
PXELINUX_0=/usr/lib/PXELINUX/pxelinux.0
LDLINUX_C32=/usr/lib/syslinux/modules/bios/ldlinux.c32
SYSLINUX_EFI=/usr/lib/SYSLINUX.EFI/efi64/syslinux.efi
LDLINUX_E64=/usr/lib/syslinux/modules/efi64/ldlinux.e64
UNDIONLY_KPXE=/usr/lib/ipxe/undionly.kpxe
SNPONLY_EFI=/usr/lib/ipxe/snponly.efi

# VM limits: a safety net only, scenarios stop their VMs as soon as the boot is decided.
VM_MAX_SECONDS=${VM_MAX_SECONDS:-400}

# tshark without plugins. The system plugin dir may hold a (work in progress) pxediag build; as
# root tshark ignores WIRESHARK_PLUGIN_DIR, so run it as nobody with an empty plugin dir,
# reading the capture from stdin. tshark_plain <capture> <tshark args...>
tshark_plain() {
	local f=$1
	shift
	if command -v setpriv >/dev/null 2>&1; then
		setpriv --reuid=65534 --regid=65534 --clear-groups \
			env -i PATH=/usr/bin:/bin HOME=/tmp WIRESHARK_PLUGIN_DIR=/nonexistent tshark -r - "$@" <"$f"
	else
		tshark -r "$f" "$@"
	fi
}

log() { printf '%s [%s] %s\n' "$(date +%H:%M:%S)" "${SCN:-lab}" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }

# ---------------------------------------------------------------- lifecycle

# lab_begin <scenario-name> <number 1..254>
lab_begin() {
	SCN=$1
	SCN_NUM=$2
	P=$(printf 'pxl%02d' "$SCN_NUM")
	NS_NET=$P-net
	NS_S1=$P-s1
	NS_S2=$P-s2
	W=$WORK_ROOT/$SCN
	LAB_PIDS=()       # "kind:pid" of everything started, killed in reverse order
	LAB_NS=()
	VM_IDS=()
	CAPTURE_IFS=(br0) # bridges dumpcap records (one pcapng interface each)
	EVIDENCE_LOGS=()  # "title|file|regex" of the non-dnsmasq server logs (scenarios 41-56)
	CHECKS_FAILED=0
	CHECK_LOG=$W/checks.txt
	rm -rf "$W"
	mkdir -p "$W" "$CAPTURES_DIR"
	: >"$CHECK_LOG"
	printf '\xf8\x03' >"$W/sercon-port.bin"   # SeaBIOS: mirror the text console to COM1 (0x3f8)
	trap 'lab_cleanup' EXIT
	trap 'log "interrupted"; exit 130' INT TERM
	# leftovers of an interrupted earlier run of the same scenario
	local ns
	for ns in "$NS_NET" "$NS_S1" "$NS_S2" "$P-r"; do
		if ip netns list | grep -w "^$ns" >/dev/null; then
			log "removing stale namespace $ns"
			ip netns pids "$ns" 2>/dev/null | while read -r pid; do kill -TERM "$pid" 2>/dev/null || true; done
			sleep 0.5
			ip netns del "$ns" || true
		fi
	done
	log "work dir $W"
}

_kill_pid() {   # _kill_pid <pid>: TERM, wait up to 5 s, then KILL
	local pid=$1 i
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for i in $(seq 1 50); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		kill -KILL "$pid" 2>/dev/null || true
	fi
	wait "$pid" 2>/dev/null || true
}

# kill_kind <kind>: stop every process of one kind (qemu, dumpcap, dnsmasq), newest first
kill_kind() {
	local kind=$1 i entry
	for ((i = ${#LAB_PIDS[@]} - 1; i >= 0; i--)); do
		entry=${LAB_PIDS[$i]}
		[ "${entry%%:*}" = "$kind" ] || continue
		_kill_pid "${entry#*:}"
	done
}

lab_cleanup() {
	local rc=$?
	trap - EXIT INT TERM
	set +e
	# qemu first (stops traffic), then the capture, then the servers
	local id pf
	for id in "${VM_IDS[@]}"; do
		pf=$W/$id.qemu.pid
		[ -s "$pf" ] && kill -TERM "$(cat "$pf")" 2>/dev/null
	done
	kill_kind qemu
	kill_kind dumpcap
	kill_kind dnsmasq
	kill_kind server
	kill_kind misc
	local ns
	for ((i = ${#LAB_NS[@]} - 1; i >= 0; i--)); do
		ns=${LAB_NS[$i]}
		ip netns del "$ns" 2>/dev/null
	done
	[ "$rc" -eq 0 ] || log "scenario ended with status $rc (cleaned up)"
	exit "$rc"
}

# ---------------------------------------------------------------- network

_ns_add() {
	ip netns add "$1"
	LAB_NS+=("$1")
	ip netns exec "$1" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 \
		net.ipv6.conf.default.disable_ipv6=1 net.ipv4.ip_forward=0
	ip -n "$1" link set lo up
}

# net_up <number of servers 0..2>
net_up() {
	local nsrv=${1:-1} i ns
	_ns_add "$NS_NET"
	ip -n "$NS_NET" link add br0 type bridge stp_state 0 mcast_snooping 0
	ip -n "$NS_NET" link set br0 up
	for ((i = 1; i <= nsrv; i++)); do
		ns=$P-s$i
		_ns_add "$ns"
		ip -n "$NS_NET" link add "srv$i" type veth peer name eth0 address "02:00:00:00:02:0$i" netns "$ns"
		ip -n "$NS_NET" link set "srv$i" master br0 up
		ip -n "$ns" addr add "192.0.2.$i/24" dev eth0
		ip -n "$ns" link set eth0 up
	done
	# no default route anywhere, nothing is forwarded anywhere but on br0
	echo "network: bridge br0 in $NS_NET, $nsrv server namespace(s)" >>"$W/setup.txt"
}

# nft_srv <server index> : ruleset on stdin, loaded in that server's namespace
nft_srv() {
	local ns=$P-s$1 f=$W/s$1.nft
	cat >"$f"
	ip netns exec "$ns" nft -f "$f"
	{ echo "nftables in server $1 ($ns):"; sed 's/^/    /' "$f"; } >>"$W/setup.txt"
}

# nft_net : ruleset on stdin, loaded in the bridge namespace (family bridge for the path to a client)
nft_net() {
	local f=$W/net.nft
	cat >"$f"
	ip netns exec "$NS_NET" nft -f "$f"
	{ echo "nftables on the bridge ($NS_NET):"; sed 's/^/    /' "$f"; } >>"$W/setup.txt"
}

# ---------------------------------------------------------------- boot files

# mk_fake_kernel <file> [size]: a tiny bzImage (boot protocol 2.10, relocatable) whose
# real-mode, 32-bit and 64-bit entry points print a line on COM1 and halt, padded
# with random bytes. Lets pxelinux/syslinux.efi "boot" it and shows that they did.
mk_fake_kernel() {
	local out=$1 size=${2:-32768}
	_put() { local off=$1 s="" b; shift; for b in "$@"; do s+="\\x$b"; done; printf "$s" | dd of="$out" bs=1 seek=$((off)) conv=notrunc status=none; }
	_le32() { printf '%02x %02x %02x %02x' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)); }
	_str() { printf '%s\0' "$2" | dd of="$out" bs=1 seek=$(($1)) conv=notrunc status=none; }
	head -c "$size" /dev/urandom >"$out"
	dd if=/dev/zero of="$out" bs=1 count=2048 conv=notrunc status=none
	_put 0x1f1 01                               # setup_sects
	_put 0x1f4 $(_le32 $(((size - 1024) / 16)))  # syssize
	_put 0x1fa ff ff                            # vid_mode
	_put 0x1fe 55 aa                            # boot_flag
	_put 0x200 eb 7e                            # jmp to 0x280
	_put 0x202 48 64 72 53                      # "HdrS"
	_put 0x206 0a 02                            # protocol 2.10
	_put 0x211 81                               # loadflags LOADED_HIGH|CAN_USE_HEAP
	_put 0x214 $(_le32 0x100000)                # code32_start
	_put 0x22c $(_le32 0x37ffffff)              # initrd_addr_max
	_put 0x230 $(_le32 0x200000)                # kernel_alignment
	_put 0x234 01                               # relocatable_kernel
	_put 0x238 $(_le32 2047)                    # cmdline_size
	_put 0x258 $(_le32 0x1000000) 00 00 00 00   # pref_address
	_put 0x260 $(_le32 0x100000)                # init_size
	# real mode (pxelinux): push cs/pop ds/mov si,msg/mov dx,3f8/lodsb loop/out/cli;hlt
	_put 0x280 0e 1f be a0 00 ba f8 03 ac 84 c0 74 03 ee eb f8 fa f4 eb fc
	_str 0x2a0 $'\r\npxediag-fake-kernel: real-mode entry reached, halting\r\n'
	# 32-bit entry at the start of the protected-mode part (syslinux.efi jumps here)
	_put 0x400 66 ba f8 03 e8 00 00 00 00 5e 83 c6 17 ac 84 c0 74 03 ee eb f8 fa f4 eb fc
	_str 0x420 $'\r\npxediag-fake-kernel: 32-bit entry reached, halting\r\n'
	# 64-bit entry (startup_64, +0x200)
	_put 0x600 66 ba f8 03 48 8d 35 15 00 00 00 ac 84 c0 74 03 ee eb f8 fa f4 eb fc
	_str 0x620 $'\r\npxediag-fake-kernel: 64-bit entry reached, halting\r\n'
}

# tftp_root <server index> <item...>: fill $W/tftp<i> (served as /srv/tftp)
# items: pxelinux syslinux-efi kernel undionly snponly script-efi script-bios, or src=dst copies
tftp_root() {
	local d=$W/tftp$1 item
	shift
	mkdir -p "$d"
	for item in "$@"; do
		case $item in
		pxelinux) cp "$PXELINUX_0" "$LDLINUX_C32" "$d/"; _pxelinux_cfg "$d" ;;
		syslinux-efi) cp "$SYSLINUX_EFI" "$LDLINUX_E64" "$d/"; _pxelinux_cfg "$d" ;;
		kernel)
			mk_fake_kernel "$d/vmlinuz" 32768
			head -c 16384 /dev/urandom >"$d/initrd.img"
			;;
		undionly) cp "$UNDIONLY_KPXE" "$d/" ;;
		snponly) cp "$SNPONLY_EFI" "$d/" ;;
		script-efi)
			cat >"$d/boot.ipxe" <<-'EOF'
				#!ipxe
				echo pxediag lab: boot.ipxe running on ${platform}/${buildarch}, fetching kernel and initrd
				imgfetch vmlinuz
				imgfetch initrd.img
				imgstat
				echo pxediag-ipxe-script: kernel and initrd fetched
				shell
			EOF
			;;
		script-bios)
			cat >"$d/boot.ipxe" <<-'EOF'
				#!ipxe
				echo pxediag lab: boot.ipxe running on ${platform}/${buildarch}
				kernel vmlinuz pxediag=lab
				initrd initrd.img
				boot
			EOF
			;;
		*=*) cp "${item%%=*}" "$d/${item#*=}" ;;
		*) die "tftp_root: unknown item $item" ;;
		esac
	done
}

_pxelinux_cfg() {
	mkdir -p "$1/pxelinux.cfg"
	cat >"$1/pxelinux.cfg/default" <<-'EOF'
		# pxediag lab: boot the (fake) kernel right away
		DEFAULT fake
		PROMPT 0
		TIMEOUT 1
		LABEL fake
		  KERNEL vmlinuz
		  INITRD initrd.img
		  APPEND pxediag=lab
	EOF
}

# ---------------------------------------------------------------- servers

# dnsmasq_start <server index> : scenario-specific configuration on stdin.
# The common part: no DNS, logs to a file, leases in the work dir, no router/DNS options.
# If $W/tftp<i> exists it is bind-mounted on /srv/tftp inside the server's private mount
# namespace, so the paths dnsmasq puts in TFTP errors and logs are /srv/tftp/...
dnsmasq_start() {
	local i=$1 ns=$P-s$1 conf=$W/s$1.dnsmasq.conf logf=$W/s$1.dnsmasq.log n body
	body=$(cat)
	{
		echo "# generated by pxediag samples/lab for scenario $SCN, server $i (192.0.2.$i)"
		echo "port=0"
		echo "interface=eth0"
		echo "bind-interfaces"
		echo "log-dhcp"
		echo "log-queries"
		echo "log-facility=$logf"
		echo "pid-file=$W/s$i.dnsmasq.pid"
		echo "dhcp-leasefile=$W/s$i.leases"
		echo "no-ping"
		echo "dhcp-option=option:router"
		echo "$body"
	} >"$conf"
	{
		echo "dnsmasq server $i (192.0.2.$i): dnsmasq --no-daemon --conf-file=<generated>, common part:"
		echo "    port=0 interface=eth0 bind-interfaces log-dhcp log-queries no-ping dhcp-option=option:router (none)"
		echo "  scenario part:"
		echo "$body" | sed 's/^[[:space:]]*/    /'
	} >>"$W/setup.txt"
	: >"$logf"
	local mnt=":"
	if [ -d "$W/tftp$i" ]; then
		mnt="mount -t tmpfs -o size=1m,mode=755 pxelab /srv && mkdir /srv/tftp && mount --bind '$W/tftp$i' /srv/tftp"
	fi
	ip netns exec "$ns" sh -c "$mnt && exec /usr/sbin/dnsmasq --no-daemon --conf-file='$conf'" \
		>"$W/s$i.dnsmasq.stderr" 2>&1 &
	LAB_PIDS+=("dnsmasq:$!")
	for n in $(seq 1 50); do
		grep -q 'started, version' "$logf" && return 0
		kill -0 "$!" 2>/dev/null || break
		sleep 0.1
	done
	cat "$W/s$i.dnsmasq.stderr" >&2
	die "dnsmasq $i did not start"
}

# ---------------------------------------------------------------- capture

capture_start() {
	local n ifs=() i
	for i in "${CAPTURE_IFS[@]}"; do ifs+=(-i "$i"); done
	ip netns exec "$NS_NET" dumpcap -q "${ifs[@]}" -w "$W/raw.pcapng" >"$W/dumpcap.log" 2>&1 &
	LAB_PIDS+=("dumpcap:$!")
	for n in $(seq 1 50); do
		[ -s "$W/raw.pcapng" ] && { sleep 0.3; return 0; }
		sleep 0.1
	done
	cat "$W/dumpcap.log" >&2
	die "dumpcap did not start"
}

capture_stop() {
	kill_kind dumpcap
}

# ---------------------------------------------------------------- clients

# vm_start <id> <kind> <mac> : kind = bios (SeaBIOS + iPXE ROM of an e1000),
#   uefi-ipxe (OVMF + iPXE EFI ROM of an e1000), uefi-native (OVMF's own stack on virtio-net, no ROM),
#   uefi-pxe6 (as uefi-native, PXE over IPv4 switched off: the firmware starts with PXE over IPv6),
#   uefi-http (as uefi-native, PXE over IPv4 and IPv6 off: the firmware starts with HTTP boot over IPv4)
vm_start() {
	local id=$1 kind=$2 mac=$3 tap uuid
	tap=tap-$id
	uuid=$(printf '8d3f0000-0000-4000-8000-%s' "$(echo "$mac" | tr -d ':')")
	ip -n "$NS_NET" tuntap add dev "$tap" mode tap
	ip -n "$NS_NET" link set "$tap" master br0 up
	local -a q=(qemu-system-x86_64 -nodefaults -no-user-config -display none -m 256
		-name "$SCN-$id" -uuid "$uuid" -pidfile "$W/$id.qemu.pid"
		-serial "file:$W/$id.serial"
		-netdev "tap,id=n0,ifname=$tap,script=no,downscript=no")
	case $kind in
	bios)
		q+=(-machine pc,accel=tcg -boot n
			-fw_cfg "name=etc/sercon-port,file=$W/sercon-port.bin"
			-debugcon "file:$W/$id.debugcon" -global isa-debugcon.iobase=0x402
			-device "e1000,netdev=n0,mac=$mac")
		;;
	uefi-ipxe | uefi-native | uefi-pxe6 | uefi-http)
		cp "$OVMF_VARS" "$W/$id.OVMF_VARS.fd"
		q+=(-machine q35,accel=tcg -m 512
			-drive "if=pflash,format=raw,unit=0,readonly=on,file=$OVMF_CODE"
			-drive "if=pflash,format=raw,unit=1,file=$W/$id.OVMF_VARS.fd")
		if [ "$kind" = uefi-ipxe ]; then
			q+=(-device "e1000,netdev=n0,mac=$mac")
		else
			q+=(-device "virtio-net-pci,netdev=n0,mac=$mac,romfile=")
		fi
		# OVMF's fw_cfg knobs for its boot options (edk2 PcdIPv4PXESupport/PcdIPv6PXESupport)
		case $kind in
		uefi-pxe6) q+=(-fw_cfg "name=opt/org.tianocore/IPv4PXESupport,string=n") ;;
		uefi-http)
			q+=(-fw_cfg "name=opt/org.tianocore/IPv4PXESupport,string=n"
				-fw_cfg "name=opt/org.tianocore/IPv6PXESupport,string=n")
			;;
		esac
		;;
	*) die "vm_start: unknown kind $kind" ;;
	esac
	echo "client $id: $kind, MAC $mac, tap $tap" >>"$W/setup.txt"
	echo "${q[*]}" >"$W/$id.cmdline"
	: >"$W/$id.serial"
	ip netns exec "$NS_NET" timeout -s TERM "$VM_MAX_SECONDS" "${q[@]}" >"$W/$id.qemu.log" 2>&1 &
	LAB_PIDS+=("qemu:$!")
	VM_IDS+=("$id")
	eval "VM_MAC_$id=\$mac VM_KIND_$id=\$kind VM_START_$id=\$(date +%s)"
	log "started $id ($kind, $mac)"
}

vm_stop() {
	local id=$1 pf=$W/$1.qemu.pid
	[ -s "$pf" ] && kill -TERM "$(cat "$pf")" 2>/dev/null || true
}

vm_running() {
	local pf=$W/$1.qemu.pid
	[ -s "$pf" ] && kill -0 "$(cat "$pf")" 2>/dev/null
}

# ---------------------------------------------------------------- waiting and checks

# plain text of a client console: no ANSI sequences, no CR, no backspace spinners
console_text() {
	sed -e 's/\x1b\[[0-9;?=]*[A-Za-z]//g' -e 's/\x1b[c78]//g' -e 's/\x1b[()][0-9A-Za-z]//g' \
		-e 's/\x08 \x08//g' -e 's/\x08//g' -e 's/\r$//' -e 's/\r/\n/g' "$W/$1.serial" 2>/dev/null |
		sed -e 's/[^[:print:]\t]//g' | grep -v '^[[:space:]]*$' || true
}

# (no "producer | grep -q": with pipefail a producer killed by SIGPIPE would turn a match into a failure)
serial_has() { local t; t=$(console_text "$1"); grep -Eq -- "$2" <<<"$t"; }
serial_count() { local t; t=$(console_text "$1"); grep -Ec -- "$2" <<<"$t" || true; }
srvlog_count() { grep -Ec -- "$2" "$W/s$1.dnsmasq.log" 2>/dev/null || true; }
srvlog_has() { grep -Eq -- "$2" "$W/s$1.dnsmasq.log" 2>/dev/null; }
not() { ! "$@"; }

# wait_until <timeout seconds> <what> <command...> : poll every 0.5 s; 0 when seen, 1 on timeout
wait_until() {
	local t=$1 what=$2 start now
	shift 2
	start=$(date +%s)
	while :; do
		if "$@"; then
			log "seen after $(($(date +%s) - start))s: $what"
			return 0
		fi
		now=$(date +%s)
		if ((now - start >= t)); then
			log "WARNING: not seen within ${t}s: $what"
			echo "TIMEOUT waiting for: $what" >>"$CHECK_LOG"
			return 1
		fi
		sleep 0.5
	done
}

# check <what> <command...> : record whether the run did what the scenario expects
check() {
	local what=$1
	shift
	if "$@"; then
		echo "ok   $what" >>"$CHECK_LOG"
	else
		echo "FAIL $what" >>"$CHECK_LOG"
		CHECKS_FAILED=$((CHECKS_FAILED + 1))
		log "CHECK FAILED: $what"
	fi
}

# ---------------------------------------------------------------- finishing

# finish [grace seconds]: stop VMs, let the last packets pass, stop the capture and servers,
# write samples/captures/$SCN.pcapng (trimmed) and the evidence excerpt $SCN.log
finish() {
	local grace=${1:-2} id
	sleep "$grace"
	for id in "${VM_IDS[@]}"; do vm_stop "$id"; done
	kill_kind qemu
	sleep 0.5
	capture_stop
	kill_kind dnsmasq
	kill_kind server
	finalize_capture
	write_evidence
	if [ "$CHECKS_FAILED" -gt 0 ]; then
		log "$CHECKS_FAILED check(s) failed, see $CHECK_LOG"
	fi
}

# cut idle time: the capture starts 1 s before the first frame a client sent (firmware start-up
# time is dropped) and ends where the scenario stopped the VMs, i.e. once the boot was decided
finalize_capture() {
	local raw=$W/raw.pcapng out=$CAPTURES_DIR/$SCN.pcapng first macs filter count
	macs=$(for id in "${VM_IDS[@]}"; do eval "printf '%s ' \$VM_MAC_$id"; done)
	filter=$(for m in $macs; do printf 'eth.src == %s || ' "$m"; done)
	filter="(${filter% || })"
	first=$(tshark_plain "$raw" -Y "$filter" -T fields -e frame.time_epoch 2>/dev/null | awk 'NR == 1') || true
	if [ -z "$first" ]; then
		log "WARNING: no client frame in the capture"
		cp "$raw" "$out"
	else
		editcap -F pcapng -A "$(awk -v t="$first" 'BEGIN{printf "%.6f", t-1}')" "$raw" "$out"
	fi
	chmod 644 "$out"
	# frames per interface too: with two interfaces (relay) a routed packet is there twice
	count=$(tshark_plain "$out" -T fields -e frame.interface_name 2>/dev/null | awk '
		!($0 in n) { o[++k] = $0 }
		{ n[$0]++ }
		END {
			s = NR " frames"
			for (i = 1; k > 1 && i <= k; i++) s = s sprintf("%s %d on %s", i > 1 ? "," : ":", n[o[i]], o[i])
			print s
		}')
	log "capture $(basename "$out"): $count, $(stat -c %s "$out") bytes"
}

# _squeeze: indent lines, fold runs of identical lines
_squeeze() {
	awk '{ if ($0 == prev) { n++; next } if (n) print "  ... (repeated " n "x)"; n=0; prev=$0; print "  " $0 } END { if (n) print "  ... (repeated " n "x)" }'
}

# evidence excerpt: what was configured, the relevant server log lines, the client consoles
write_evidence() {
	local out=$CAPTURES_DIR/$SCN.log i id
	{
		echo "# pxediag lab evidence for $SCN.pcapng (generated by samples/lab/make-captures.sh)"
		echo "# $SCN_DESC"
		echo
		echo "## setup"
		sed 's/^/  /' "$W/setup.txt"
		for i in 1 2; do
			[ -f "$W/s$i.dnsmasq.log" ] || continue
			echo
			echo "## dnsmasq server $i (192.0.2.$i) log, filtered"
			grep -E 'DHCP(DISCOVER|OFFER|REQUEST|ACK|NAK|DECLINE|INFORM|RELEASE|SOLICIT|ADVERTISE|REPLY)|RTR-ADVERT|PXE\(|proxy|tags:|vendor class|user class|next server|bootfile|option: 43|option: 60|option: 66|option: 67|TFTP|tftp|failed|error|not found|cannot|ignoring|no address|address found' \
				"$W/s$i.dnsmasq.log" | grep -v 'requested options' |
				grep -v 'compile time options' |
				sed -E 's/^[A-Z][a-z]{2} +[0-9]+ //; s/dnsmasq(-([a-z]+))?\[[0-9]+\]: /\2: /; s/ : / dnsmasq: /' |
				awk '{ if ($0 == prev) { n++; next } if (n) print "  ... (repeated " n "x)"; n=0; prev=$0; print "  " $0 } END { if (n) print "  ... (repeated " n "x)" }' |
				awk 'NR <= 250'
		done
		local entry title file re
		for entry in "${EVIDENCE_LOGS[@]}"; do
			IFS='|' read -r title file re <<<"$entry"
			[ -f "$file" ] || continue
			echo
			echo "## $title log, filtered"
			# (Kea and atftpd prefix every line with logger and thread ids: dropped)
			{ grep -E -- "$re" "$file" || echo "(nothing matched: $re)"; } |
				sed -E 's/ \[kea-dhcp4\.[a-z0-9-]+\/[0-9.]+\]//; s/ [^ ]+ atftpd\[[0-9.]+\]:/ atftpd:/' |
				_squeeze | awk 'NR <= 250'
		done
		for id in "${VM_IDS[@]}"; do
			echo
			eval "echo \"## client $id (\$VM_KIND_$id, \$VM_MAC_$id) console\""
			# (EDK2's HTTP boot prints a "Downloading...NN%" line per percent: dropped)
			console_text "$id" | grep -v -E 'Press Ctrl-B|^ *Downloading\.\.\.[0-9]+%$' | awk '{ if ($0 == prev) { n++; next } if (n) print "  ... (repeated " n "x)"; n=0; prev=$0; print "  " $0 } END { if (n) print "  ... (repeated " n "x)" }' | tail -45
		done
		echo
		echo "## lab checks"
		sed 's/^/  /' "$CHECK_LOG"
	} >"$out"
	chmod 644 "$out"
}

# ---------------------------------------------------------------- other servers (scenarios 41-56)
# ISC dhcpd, ISC dhcrelay, Kea, tftpd-hpa, atftpd and a Python HTTP server, each run in the
# foreground in a namespace of the lab with a generated configuration in $W, its log in $W and
# stopped by PID (kind "server"). As for dnsmasq, $W/tftp<i> is bind-mounted on /srv/tftp in the
# server's private mount namespace (ip netns exec gives each command its own).

DHCPD=/usr/sbin/dhcpd
DHCRELAY=/usr/sbin/dhcrelay
KEA_DHCP4=/usr/sbin/kea-dhcp4
ATFTPD=/usr/sbin/atftpd
PYTHON3=/usr/bin/python3
# tftpd-hpa and atftpd conflict as Debian packages (and atftpd installs its own in.tftpd): take
# a copy unpacked from the .deb into lab/work/opt (see samples/README.md), else the installed one
TFTPD_HPA=${TFTPD_HPA:-}
if [ -z "$TFTPD_HPA" ]; then
	for TFTPD_HPA in "$WORK_ROOT/opt/tftpd-hpa/usr/sbin/in.tftpd" /usr/sbin/in.tftpd; do
		[ -x "$TFTPD_HPA" ] && "$TFTPD_HPA" -V 2>&1 | grep -q tftp-hpa && break
		TFTPD_HPA=
	done
fi

# _srv_mnt <server index>: shell commands that mount $W/tftp<i> on /srv/tftp (or ":")
_srv_mnt() {
	if [ -d "$W/tftp$1" ]; then
		echo "mount -t tmpfs -o size=1m,mode=755 pxelab /srv && mkdir /srv/tftp && mount --bind '$W/tftp$1' /srv/tftp"
	else
		echo ":"
	fi
}

# _srv_run <namespace> <stdout/stderr file> <shell command ending in exec>: start a server
_srv_run() {
	ip netns exec "$1" sh -c "$3" >>"$2" 2>&1 &
	LAB_PIDS+=("server:$!")
	SRV_PID=$!
}

# _srv_wait <what> <file> <regex>: wait up to 5 s for a server's start-up line
_srv_wait() {
	local n
	for n in $(seq 1 50); do
		grep -Eq -- "$3" "$2" 2>/dev/null && return 0
		kill -0 "$SRV_PID" 2>/dev/null || break
		sleep 0.1
	done
	cat "$2" >&2
	die "$1 did not start"
}

# _setup_conf <title> <file>: copy a configuration into the evidence
_setup_conf() {
	{ echo "$1:"; sed 's/^/    /' "$2"; } >>"$W/setup.txt"
}

# file_has <file> <regex>, file_count <file> <regex>: checks on any server log
file_has() { grep -Eq -- "$2" "$1" 2>/dev/null; }
file_count() { grep -Ec -- "$2" "$1" 2>/dev/null || true; }

# dhcpd_start <server index> [namespace]: ISC dhcpd, configuration on stdin, log on stderr (-d)
dhcpd_start() {
	local i=$1 ns=${2:-$P-s$1} conf=$W/s$1.dhcpd.conf logf=$W/s$1.dhcpd.log
	cat >"$conf"
	: >"$W/s$i.dhcpd.leases"
	: >"$logf"
	_setup_conf "ISC dhcpd server $i: dhcpd -f -d -4 -cf <this> eth0" "$conf"
	_srv_run "$ns" "$logf" "exec $DHCPD -f -d -4 -cf '$conf' -lf '$W/s$i.dhcpd.leases' -pf '$W/s$i.dhcpd.pid' eth0"
	_srv_wait "dhcpd $i" "$logf" '^Sending on +Socket'
	EVIDENCE_LOGS+=("ISC dhcpd server $i|$logf|DHCP[A-Z]+|[Ee]rror|[Nn]o free|[Nn]ot |unknown")
}

# dhcrelay_start <server address>: ISC dhcrelay in the router namespace, client side eth0 (-id),
# server side eth1 (-iu)
dhcrelay_start() {
	local logf=$W/r.dhcrelay.log
	: >"$logf"
	echo "ISC dhcrelay in the router ($P-r): dhcrelay -d -4 -id eth0 -iu eth1 $1" >>"$W/setup.txt"
	_srv_run "$P-r" "$logf" "exec $DHCRELAY -d -4 -id eth0 -iu eth1 $1"
	_srv_wait dhcrelay "$logf" '^Sending on +Socket'
	EVIDENCE_LOGS+=("ISC dhcrelay (router)|$logf|[Ff]orward|[Ee]rror|[Dd]rop|[Dd]iscard")
}

# kea_start <server index>: kea-dhcp4, its whole JSON configuration on stdin (it names its log
# file, $W/s<i>.kea.log)
kea_start() {
	local i=$1 ns=$P-s$1 conf=$W/s$1.kea-dhcp4.json logf=$W/s$1.kea.log
	cat >"$conf"
	: >"$logf"
	_setup_conf "Kea server $i: kea-dhcp4 -c <this>" "$conf"
	_srv_run "$ns" "$W/s$i.kea.stderr" \
		"KEA_LOCKFILE_DIR='$W' KEA_PIDFILE_DIR='$W' exec $KEA_DHCP4 -c '$conf'"
	_srv_wait "kea-dhcp4 $i" "$logf" 'DHCP4_STARTED'
	EVIDENCE_LOGS+=("Kea server $i|$logf|DHCP4_(LEASE|PACKET_SEND|PACKET_RECEIVED|CLASS|INIT_REPLY|NO_|DISCOVER|REQUEST)|ERROR|WARN")
}

# atftpd_start <server index> [atftpd options]: atftpd on 192.0.2.<i>:69, root /srv/tftp, as nobody
atftpd_start() {
	local i=$1 ns=$P-s$1 logf=$W/s$1.atftpd.log
	shift
	: >"$logf"
	chmod 666 "$logf"   # written after atftpd dropped to nobody
	echo "atftpd server $i: atftpd --daemon --no-fork --bind-address 192.0.2.$i --logfile <log> --verbose=7 --user nobody.nogroup $* /srv/tftp" >>"$W/setup.txt"
	_srv_run "$ns" "$W/s$i.atftpd.stderr" "$(_srv_mnt "$i") && exec $ATFTPD --daemon --no-fork \
		--bind-address 192.0.2.$i --logfile '$logf' --verbose=7 --user nobody.nogroup $* /srv/tftp"
	_srv_wait "atftpd $i" "$logf" 'atftpd|[Aa]dvanced'
	EVIDENCE_LOGS+=("atftpd server $i|$logf|[Ss]erving|[Nn]ot found|[Ee]rror|[Oo]ption|blksize|windowsize|tsize|timeout|[Ee]nd of transfer|[Aa]borting|[Ss]ent")
}

# tftpd_hpa_start <server index> [in.tftpd options]: tftpd-hpa on 192.0.2.<i>:69 (--secure, as
# nobody). It logs only to syslog: a small receiver on a socket in $W stands in for /dev/log,
# which the server sees on a private /dev (tmpfs with null, zero, random, urandom bound in).
tftpd_hpa_start() {
	local i=$1 ns=$P-s$1 logf=$W/s$1.tftpd-hpa.log sock=$W/s$1.devlog n
	shift
	[ -x "$TFTPD_HPA" ] || die "tftpd-hpa (in.tftpd) not found, see samples/README.md"
	: >"$logf"
	rm -f "$sock"
	$PYTHON3 -c 'import re, socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as out:
    while True:
        msg = s.recv(8192).decode("utf-8", "replace").rstrip("\n\0")
        out.write(re.sub(r"^<[0-9]+>", "", msg) + "\n")' "$sock" "$logf" &
	LAB_PIDS+=("misc:$!")
	for n in $(seq 1 50); do [ -S "$sock" ] && break; sleep 0.1; done
	echo "tftpd-hpa server $i: in.tftpd --listen --foreground --address 192.0.2.$i:69 --secure --user nobody -vvv $* /srv/tftp (syslog to the log)" >>"$W/setup.txt"
	_srv_run "$ns" "$W/s$i.tftpd-hpa.stderr" "$(_srv_mnt "$i") && mkdir /srv/dev && mount --bind /dev /srv/dev &&
		mount -t tmpfs -o size=64k,mode=755 pxedev /dev &&
		for d in null zero random urandom; do touch /dev/\$d && mount --bind /srv/dev/\$d /dev/\$d; done &&
		ln -s '$sock' /dev/log &&
		exec $TFTPD_HPA --listen --foreground --address 192.0.2.$i:69 --secure --user nobody -v -v -v $* /srv/tftp"
	sleep 0.5
	kill -0 "$SRV_PID" 2>/dev/null || { cat "$W/s$i.tftpd-hpa.stderr" >&2; die "tftpd-hpa $i did not start"; }
	EVIDENCE_LOGS+=("tftpd-hpa server $i (syslog)|$logf|RRQ|WRQ|[Ee]rror|[Nn]ot found|[Oo]ption|denied|timeout|refused")
}

# http_start <server index>: Python's http.server on 192.0.2.<i>:80 serving /srv/tftp
http_start() {
	local i=$1 ns=$P-s$1 logf=$W/s$1.http.log
	: >"$logf"
	echo "HTTP server $i: python3 -m http.server 80 --bind 192.0.2.$i --directory /srv/tftp (log: one line per request)" >>"$W/setup.txt"
	_srv_run "$ns" "$logf" "$(_srv_mnt "$i") && exec $PYTHON3 -u -m http.server 80 --bind 192.0.2.$i --directory /srv/tftp"
	_srv_wait "http server $i" "$logf" 'Serving HTTP'
	EVIDENCE_LOGS+=("HTTP server $i|$logf|GET|HEAD|code|[Ee]rror")
}

# srv_ipv6 <server index> <address/prefix length>: IPv6 on for one server (the rest of the lab
# keeps it off; the bridge forwards IPv6 frames all the same)
srv_ipv6() {
	local ns=$P-s$1
	ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=0 net.ipv6.conf.eth0.disable_ipv6=0
	ip -n "$ns" -6 addr add "$2" dev eth0 nodad
	echo "server $1: IPv6 on, eth0 $2" >>"$W/setup.txt"
}

# relay_net_up: two segments joined by a router namespace <P>-r running dhcrelay
#   client segment: bridge br0 (client taps), router eth0 198.51.100.1/24 (02:00:00:00:03:01)
#   server segment: bridge br1, router eth1 192.0.2.254/24 (02:00:00:00:03:02), server 1 eth0
#                   192.0.2.1/24 with a route to 198.51.100.0/24 through the router
# dumpcap records both bridges (two interfaces in one pcapng).
relay_net_up() {
	_ns_add "$NS_NET"
	local b
	for b in br0 br1; do
		ip -n "$NS_NET" link add "$b" type bridge stp_state 0 mcast_snooping 0
		ip -n "$NS_NET" link set "$b" up
	done
	_ns_add "$P-r"
	ip netns exec "$P-r" sysctl -qw net.ipv4.ip_forward=1
	ip -n "$NS_NET" link add rtr0 type veth peer name eth0 address 02:00:00:00:03:01 netns "$P-r"
	ip -n "$NS_NET" link add rtr1 type veth peer name eth1 address 02:00:00:00:03:02 netns "$P-r"
	ip -n "$NS_NET" link set rtr0 master br0 up
	ip -n "$NS_NET" link set rtr1 master br1 up
	ip -n "$P-r" addr add 198.51.100.1/24 dev eth0
	ip -n "$P-r" addr add 192.0.2.254/24 dev eth1
	ip -n "$P-r" link set eth0 up
	ip -n "$P-r" link set eth1 up
	_ns_add "$NS_S1"
	ip -n "$NS_NET" link add srv1 type veth peer name eth0 address 02:00:00:00:02:01 netns "$NS_S1"
	ip -n "$NS_NET" link set srv1 master br1 up
	ip -n "$NS_S1" addr add 192.0.2.1/24 dev eth0
	ip -n "$NS_S1" link set eth0 up
	ip -n "$NS_S1" route add 198.51.100.0/24 via 192.0.2.254
	CAPTURE_IFS=(br0 br1)
	echo "network: client segment br0 (198.51.100.0/24) -- router $P-r (eth0 198.51.100.1, eth1 192.0.2.254, forwarding, dhcrelay) -- server segment br1 (192.0.2.0/24, server 192.0.2.1); dumpcap records br0 and br1" >>"$W/setup.txt"
}

# nft_router: ruleset on stdin, loaded in the router namespace
nft_router() {
	local f=$W/r.nft
	cat >"$f"
	ip netns exec "$P-r" nft -f "$f"
	{ echo "nftables in the router ($P-r):"; sed 's/^/    /' "$f"; } >>"$W/setup.txt"
}
