# SPDX-License-Identifier: GPL-2.0-or-later
#
# scenarios.sh - the scenarios of the pxediag capture lab (sourced by make-captures.sh).
#
# Each scenario is a function sc_<name> (dashes become underscores) registered with
# `scenario <number> <name> <description> [server...]`. The number fixes the namespaces
# (pxlNN-*) and the client MACs: 52:54:00:00:NN:CC (NN = number in hex, CC = client index).
# The servers named after the description are those the scenario runs besides dnsmasq
# (dhcpd, dhcrelay, kea-dhcp4, atftpd, tftpd-hpa, http); make-captures.sh checks that they
# are installed before it starts a scenario that needs them.
# A scenario sets up servers and clients, waits for the event that decides the boot,
# records checks of what happened, and calls `finish`.

set -euo pipefail

declare -a SCN_NAMES=()
declare -A SCN_DESCS=() SCN_NUMS=() SCN_NEEDS=()

scenario() {
	SCN_NUMS[$2]=$1
	SCN_NAMES+=("$2")
	SCN_DESCS[$2]=$3
	SCN_NEEDS[$2]=${*:4}
}

# mac <client index>
mac() { printf '52:54:00:00:%02x:%02x' "$SCN_NUM" "$1"; }

# common dnsmasq address pools
POOL1="dhcp-range=192.0.2.100,192.0.2.149,255.255.255.0,10m"
POOL2="dhcp-range=192.0.2.150,192.0.2.199,255.255.255.0,10m"

# typical markers on the client consoles
FAKE_KERNEL='pxediag-fake-kernel: .* entry reached'
IPXE_GAVE_UP='No more network devices|No bootable device'

# ------------------------------------------------------------------------------------

scenario 1 bios-pxelinux-ok "BIOS client (SeaBIOS + iPXE ROM, e1000) boots through pxelinux.0 -> ldlinux.c32 -> pxelinux.cfg/default -> fake kernel + initrd; one dnsmasq for DHCP and TFTP"
sc_bios_pxelinux_ok() {
	net_up 1
	tftp_root 1 pxelinux kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "fake kernel started" serial_has c1 "$FAKE_KERNEL" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	check "server sent initrd.img" srvlog_has 1 'sent /srv/tftp/initrd.img'
	finish 2
}

scenario 2 uefi-syslinux-ok "UEFI client (OVMF, own network stack on virtio-net, no option ROM) boots syslinux.efi -> ldlinux.e64 -> pxelinux.cfg/default -> fake kernel + initrd; one dnsmasq, boot file chosen by client arch (option 93 = 7)"
sc_uefi_syslinux_ok() {
	net_up 1
	tftp_root 1 pxelinux syslinux-efi kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-match=set:efi64,option:client-arch,7
		dhcp-boot=tag:!efi64,pxelinux.0
		dhcp-boot=tag:efi64,syslinux.efi
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "fake kernel started" serial_has c1 "$FAKE_KERNEL" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	check "server sent initrd.img" srvlog_has 1 'sent /srv/tftp/initrd.img'
	finish 2
}

scenario 3 bios-no-bootfile "BIOS client; dnsmasq offers an address but has no dhcp-boot (no option 67, empty file field) and there is no proxyDHCP"
sc_bios_no_bootfile() {
	net_up 1
	tftp_root 1 pxelinux kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client got an address" srvlog_has 1 'DHCPACK'
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	check "no TFTP transfer" not srvlog_has 1 'sent /srv|not found' 
	finish 2
}

scenario 4 uefi-ipxerom-ok "UEFI client (OVMF + the iPXE EFI ROM of an e1000) boots syslinux.efi -> ldlinux.e64 -> config -> fake kernel + initrd; same server as uefi-syslinux-ok"
sc_uefi_ipxerom_ok() {
	net_up 1
	tftp_root 1 pxelinux syslinux-efi kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-match=set:efi64,option:client-arch,7
		dhcp-boot=tag:!efi64,pxelinux.0
		dhcp-boot=tag:efi64,syslinux.efi
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 uefi-ipxe "$(mac 1)"
	wait_until 150 "fake kernel started" serial_has c1 "$FAKE_KERNEL" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	finish 2
}

scenario 5 bios-nbp-not-found "BIOS client; DHCP names pxelinux.0 but the file is missing from the TFTP root (TFTP ERROR 1 to the NBP request)"
sc_bios_nbp_not_found() {
	net_up 1
	tftp_root 1 kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "server answered file not found" srvlog_has 1 'pxelinux.0 not found'
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 6 bios-tftp-port-closed "BIOS client; DHCP names pxelinux.0 on 192.0.2.1, but no TFTP server listens there: the kernel answers each RRQ with ICMP port unreachable"
sc_bios_tftp_port_closed() {
	net_up 1
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0,,192.0.2.1
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 7 bios-tftp-dropped "BIOS client; TFTP server running, but nftables on the server drops udp dport 69 silently"
sc_bios_tftp_dropped() {
	net_up 1
	tftp_root 1 pxelinux kernel
	nft_srv 1 <<-'EOF'
		table inet pxelab {
			chain input {
				type filter hook input priority 0; policy accept;
				udp dport 69 counter drop
			}
		}
	EOF
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	check "server never saw the RRQ" not srvlog_has 1 'sent /srv|not found'
	finish 2
}

scenario 8 bios-no-dhcp "BIOS client alone on the segment: no DHCP server, no proxy"
sc_bios_no_dhcp() {
	net_up 0
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 9 uefi-proxydhcp-ok "UEFI client (OVMF native, virtio-net); addresses from dnsmasq 192.0.2.1 (no boot data), PXE boot from a proxyDHCP dnsmasq 192.0.2.2 (dhcp-range=192.0.2.0,proxy, pxe-service x86-64_EFI syslinux.efi): offer without option 43, REQUEST/ACK on port 4011, TFTP from 192.0.2.2"
sc_uefi_proxydhcp_ok() {
	net_up 2
	tftp_root 2 pxelinux syslinux-efi kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
	EOF
	dnsmasq_start 2 <<-EOF
		dhcp-range=192.0.2.0,proxy
		pxe-service=x86PC,"pxediag lab BIOS",pxelinux
		pxe-service=x86-64_EFI,"pxediag lab UEFI",syslinux.efi
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "fake kernel started" serial_has c1 "$FAKE_KERNEL" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	check "proxy answered on 4011" srvlog_has 2 'PXE\(eth0\)'
	finish 2
}

scenario 10 bios-proxy-only "BIOS client; only a proxyDHCP dnsmasq (192.0.2.2, pxe-service x86PC pxelinux) on the segment, no server hands out addresses"
sc_bios_proxy_only() {
	net_up 2
	tftp_root 2 pxelinux kernel
	dnsmasq_start 2 <<-EOF
		dhcp-range=192.0.2.0,proxy
		pxe-service=x86PC,"pxediag lab BIOS",pxelinux
		pxe-service=x86-64_EFI,"pxediag lab UEFI",syslinux.efi
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 11 uefi-proxy-no-4011 "UEFI client (OVMF native); address server 192.0.2.1 plus proxyDHCP 192.0.2.2 whose port 4011 is silently dropped by nftables: the proxy offers on port 67, the REQUESTs to 4011 go unanswered"
sc_uefi_proxy_no_4011() {
	net_up 2
	tftp_root 2 pxelinux syslinux-efi kernel
	nft_srv 2 <<-'EOF'
		table inet pxelab {
			chain input {
				type filter hook input priority 0; policy accept;
				udp dport 4011 counter drop
			}
		}
	EOF
	dnsmasq_start 1 <<-EOF
		$POOL1
	EOF
	dnsmasq_start 2 <<-EOF
		dhcp-range=192.0.2.0,proxy
		pxe-service=x86PC,"pxediag lab BIOS",pxelinux
		pxe-service=x86-64_EFI,"pxediag lab UEFI",syslinux.efi
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 200 "PXE failure on the console" serial_has c1 'PXE-E[0-9]' || true
	check "client reported a PXE error" serial_has c1 'PXE-E[0-9]'
	finish 2
}

scenario 12 bios-two-dhcp "BIOS client; two DHCP servers: 192.0.2.1 with boot data (pxelinux.0, TFTP) and 192.0.2.2 with addresses only (answers 1 s later); iPXE takes the last offer of equal priority"
sc_bios_two_dhcp() {
	net_up 2
	tftp_root 1 pxelinux kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	dnsmasq_start 2 <<-EOF
		$POOL2
		dhcp-reply-delay=1
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "boot decided" serial_has c1 "$IPXE_GAVE_UP|$FAKE_KERNEL" || true
	check "both servers offered" bash -c "grep -q DHCPOFFER '$W/s1.dnsmasq.log' && grep -q DHCPOFFER '$W/s2.dnsmasq.log'"
	finish 2
}

scenario 13 uefi-bios-nbp "UEFI client (OVMF native, arch 7) handed the BIOS NBP pxelinux.0 (dhcp-boot without an arch match)"
sc_uefi_bios_nbp() {
	net_up 1
	tftp_root 1 pxelinux kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 120 "NBP rejected" serial_has c1 'PXE-E[0-9]|Load Error|Unsupported|failed to load Boot' || true
	check "NBP was sent" srvlog_has 1 'sent /srv/tftp/pxelinux.0'
	finish 3
}

scenario 14 uefi-ipxe-chain-ok "UEFI client (OVMF native) chainloads iPXE: dnsmasq tags requests with user-class iPXE (option 77); the firmware gets snponly.efi, iPXE then gets boot.ipxe, which fetches the fake kernel and initrd"
sc_uefi_ipxe_chain_ok() {
	net_up 1
	tftp_root 1 snponly script-efi kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-userclass=set:ipxe,iPXE
		dhcp-boot=tag:!ipxe,snponly.efi
		dhcp-boot=tag:ipxe,boot.ipxe
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "script fetched kernel and initrd" serial_has c1 'pxediag-ipxe-script: kernel and initrd fetched' || true
	check "script ran" serial_has c1 'pxediag-ipxe-script: kernel and initrd fetched'
	check "boot.ipxe sent" srvlog_has 1 'sent /srv/tftp/boot.ipxe'
	check "snponly.efi sent only for the firmware (size probe + transfer)" test "$(srvlog_count 1 'sent /srv/tftp/snponly.efi')" -le 2
	finish 2
}

scenario 15 bios-ipxe-chain-loop "BIOS client; dnsmasq hands undionly.kpxe to every request (no user-class iPXE rule): each iPXE fetches and starts undionly.kpxe again; the run is stopped after 3 repeats"
sc_bios_ipxe_chain_loop() {
	net_up 1
	tftp_root 1 undionly
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=undionly.kpxe
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	_four_sent() { [ "$(srvlog_count 1 'sent /srv/tftp/undionly.kpxe')" -ge 4 ]; }
	wait_until 200 "undionly.kpxe sent 4 times" _four_sent || true
	check "undionly.kpxe sent 4 times" _four_sent
	finish 3
}

scenario 16 bios-tftp-lossy-ok "BIOS client through pxelinux as in bios-pxelinux-ok, but 20% of the TFTP DATA packets from the server are lost at random on the way (nftables netdev ingress of the server's bridge port, numgen random mod 10 < 2, before the mirror point); retransmissions, then success"
sc_bios_tftp_lossy_ok() {
	net_up 1
	tftp_root 1 pxelinux kernel
	nft_net <<-'EOF'
		table netdev pxelab {
			chain from_server1 {
				type filter hook ingress device "srv1" priority 0; policy accept;
				ip saddr 192.0.2.1 udp sport 1024-65535 @th,64,16 3 numgen random mod 10 < 2 counter drop
			}
		}
	EOF
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 200 "boot decided" serial_has c1 "$FAKE_KERNEL|$IPXE_GAVE_UP" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	ip netns exec "$NS_NET" nft list ruleset >"$W/net.nft.counters"
	finish 2
}

scenario 17 bios-tftp-stall-after-oack "BIOS client; the RRQ for pxelinux.0 is answered by an OACK, but every TFTP DATA packet from the server is lost on the way (nftables netdev ingress of the server's bridge port, before the mirror point; as a path that loses large packets would): the client ACKs block 0 again and again, DATA 1 never comes"
sc_bios_tftp_stall_after_oack() {
	net_up 1
	tftp_root 1 pxelinux kernel
	nft_net <<-'EOF'
		table netdev pxelab {
			chain from_server1 {
				type filter hook ingress device "srv1" priority 0; policy accept;
				ip saddr 192.0.2.1 udp sport 1024-65535 @th,64,16 3 counter drop
			}
		}
	EOF
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 18 bios-tftp-ephemeral-blocked "BIOS client; a firewall between the mirror port and the client (nftables, bridge family) drops UDP from the server's ephemeral ports: the RRQ reaches :69 and the OACK leaves the server (seen on the mirror) but never reaches the client"
sc_bios_tftp_ephemeral_blocked() {
	net_up 1
	tftp_root 1 pxelinux kernel
	nft_net <<-'EOF'
		table bridge pxelab {
			chain forward {
				type filter hook forward priority 0; policy accept;
				ip saddr 192.0.2.1 udp sport 1024-65535 counter drop
			}
		}
	EOF
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 19 multi-client "three clients at once on one segment, one dnsmasq (pxelinux.0 for everyone, no arch rule): c1 BIOS boots; c2 BIOS has a per-MAC boot file (dhcp-host tag) that is missing on the TFTP server; c3 UEFI with the iPXE EFI ROM gets the BIOS NBP pxelinux.0"
sc_multi_client() {
	net_up 1
	tftp_root 1 pxelinux kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-host=$(mac 2),set:host2
		dhcp-boot=tag:host2,hosts/client2/pxelinux.0
		dhcp-boot=tag:!host2,pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	vm_start c2 bios "$(mac 2)"
	vm_start c3 uefi-ipxe "$(mac 3)"
	_all_decided() {
		serial_has c1 "$FAKE_KERNEL|$IPXE_GAVE_UP" && serial_has c2 "$IPXE_GAVE_UP|$FAKE_KERNEL" &&
			serial_has c3 'Exec format error|No more network devices|PXE-E|pxediag-fake'
	}
	wait_until 240 "all three clients decided" _all_decided || true
	check "c1 ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	check "c2 gave up" serial_has c2 "$IPXE_GAVE_UP"
	check "c2 got file not found" srvlog_has 1 'hosts/client2/pxelinux.0 not found'
	check "c3 could not execute pxelinux.0" serial_has c3 'Exec format error|Could not boot'
	finish 3
}

scenario 20 bios-arp-timeout "BIOS client; DHCP names pxelinux.0 on next-server 192.0.2.99, a host that does not exist: ARP requests for it go unanswered"
sc_bios_arp_timeout() {
	net_up 1
	tftp_root 1 pxelinux kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0,,192.0.2.99
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 21 bios-nbp-access-denied "BIOS client; pxelinux.0 exists but is not readable by the TFTP server (mode 0600, dnsmasq serves as nobody): TFTP ERROR 2 access violation"
sc_bios_nbp_access_denied() {
	net_up 1
	tftp_root 1 pxelinux kernel
	chmod 600 "$W/tftp1/pxelinux.0"
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	check "server refused access" srvlog_has 1 'cannot access|ermission'
	finish 2
}

scenario 22 uefi-no-bootfile "UEFI client (OVMF native); dnsmasq offers an address without any boot data, no proxyDHCP: EDK2 ignores the offers and keeps discovering"
sc_uefi_no_bootfile() {
	net_up 1
	dnsmasq_start 1 <<-EOF
		$POOL1
	EOF
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "EDK2 PXE error" serial_has c1 'PXE-E[0-9]' || true
	check "client reported a PXE error" serial_has c1 'PXE-E[0-9]'
	finish 3
}

scenario 23 uefi-no-dhcp "UEFI client (OVMF native) alone on the segment: no DHCP server, no proxy"
sc_uefi_no_dhcp() {
	net_up 0
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "EDK2 PXE error" serial_has c1 'PXE-E[0-9]' || true
	check "client reported a PXE error" serial_has c1 'PXE-E[0-9]'
	finish 3
}

scenario 24 bios-efi-nbp "BIOS client handed the UEFI NBP syslinux.efi (dhcp-boot without an arch match)"
sc_bios_efi_nbp() {
	net_up 1
	tftp_root 1 syslinux-efi kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=syslinux.efi
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE started the NBP" serial_has c1 'syslinux.efi : [0-9]+ bytes' || true
	# the client hangs in the EFI image; give it time to show that nothing else happens
	sleep 15
	check "NBP was sent" srvlog_has 1 'sent /srv/tftp/syslinux.efi'
	check "client did not DHCP again" test "$(srvlog_count 1 'DHCPACK')" -eq 1
	finish 1
}

scenario 25 bios-tftp-server-error "BIOS client; the boot file name points at a directory on the TFTP server, which dnsmasq cannot read: TFTP ERROR with code 0 (not defined) instead of data"
sc_bios_tftp_server_error() {
	net_up 1
	tftp_root 1 kernel
	mkdir -p "$W/tftp1/pxelinux.0"
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 26 bios-next-server-missing "BIOS client; the DHCP server (192.0.2.1, no TFTP) names the TFTP server by a host name it cannot resolve (dhcp-boot=pxelinux.0,,tftp.lab.invalid), so siaddr (next-server) is 0.0.0.0; option 66 = 192.0.2.2 is sent as well; the TFTP server 192.0.2.2 is never asked"
sc_bios_next_server_missing() {
	net_up 2
	tftp_root 2 pxelinux kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0,,tftp.lab.invalid
		dhcp-option=option:tftp-server,192.0.2.2
	EOF
	dnsmasq_start 2 <<-EOF
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "boot decided" serial_has c1 "$IPXE_GAVE_UP|$FAKE_KERNEL" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 27 uefi-two-dhcp-ok "UEFI client (OVMF native); two DHCP servers: 192.0.2.1 with boot data (syslinux.efi) and 192.0.2.2 with addresses only; EDK2 collects all offers and picks the one with a boot file"
sc_uefi_two_dhcp_ok() {
	net_up 2
	tftp_root 1 pxelinux syslinux-efi kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-match=set:efi64,option:client-arch,7
		dhcp-boot=tag:!efi64,pxelinux.0
		dhcp-boot=tag:efi64,syslinux.efi
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	dnsmasq_start 2 <<-EOF
		$POOL2
	EOF
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "fake kernel started" serial_has c1 "$FAKE_KERNEL" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	check "both servers offered" bash -c "grep -q DHCPOFFER '$W/s1.dnsmasq.log' && grep -q DHCPOFFER '$W/s2.dnsmasq.log'"
	finish 2
}

scenario 28 uefi-proxy-only "UEFI client (OVMF native); only a proxyDHCP dnsmasq (192.0.2.2) on the segment, no server hands out addresses"
sc_uefi_proxy_only() {
	net_up 2
	tftp_root 2 syslinux-efi kernel
	dnsmasq_start 2 <<-EOF
		dhcp-range=192.0.2.0,proxy
		pxe-service=x86PC,"pxediag lab BIOS",pxelinux
		pxe-service=x86-64_EFI,"pxediag lab UEFI",syslinux.efi
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "EDK2 PXE error" serial_has c1 'PXE-E[0-9]' || true
	check "client reported a PXE error" serial_has c1 'PXE-E[0-9]'
	finish 3
}

# helper for the two "capture does not cover the whole boot" scenarios
_cut_capture() {   # _cut_capture <editcap -r range>
	local out=$CAPTURES_DIR/$SCN.pcapng
	editcap -F pcapng -r "$out" "$out.tmp" "$1"
	mv "$out.tmp" "$out"
	chmod 644 "$out"
	echo "capture cut with editcap -r (frames $1 of the recording kept)" >>"$W/setup.txt"
	write_evidence
	log "capture cut to frames $1: $(tshark_plain "$out" 2>/dev/null | wc -l) frames"
}

scenario 29 bios-capture-ends-early "BIOS client booting as in bios-pxelinux-ok, but the capture stops in the middle of the ldlinux.c32 transfer (recording cut with editcap)"
sc_bios_capture_ends_early() {
	sc_bios_pxelinux_ok
	local rrq
	rrq=$(tshark_plain "$CAPTURES_DIR/$SCN.pcapng" -Y 'tftp.source_file == "ldlinux.c32"' -T fields -e frame.number 2>/dev/null | awk 'NR == 1')
	[ -n "$rrq" ] || die "no ldlinux.c32 request in the capture"
	_cut_capture "1-$((rrq + 40))"
}

scenario 30 bios-capture-starts-late "BIOS client booting as in bios-pxelinux-ok, but the capture starts only at the TFTP request of pxelinux.0: no DHCP in the recording (cut with editcap)"
sc_bios_capture_starts_late() {
	sc_bios_pxelinux_ok
	local rrq
	rrq=$(tshark_plain "$CAPTURES_DIR/$SCN.pcapng" -Y 'tftp.source_file == "pxelinux.0"' -T fields -e frame.number 2>/dev/null | awk 'NR == 1')
	[ -n "$rrq" ] || die "no pxelinux.0 request in the capture"
	_cut_capture "$rrq-9999999"
}

scenario 31 bios-ldlinux-missing "BIOS client; pxelinux.0 is served, but ldlinux.c32 (which pxelinux.0 needs next) is missing from the TFTP root"
sc_bios_ldlinux_missing() {
	net_up 1
	tftp_root 1 pxelinux kernel
	rm -f "$W/tftp1/ldlinux.c32"
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "pxelinux failed" serial_has c1 'Failed to load ldlinux|Boot failed|press a key' || true
	# pxelinux now waits for a key (no reset within 150 s was seen), nothing more happens on the wire
	check "server answered file not found" srvlog_has 1 'ldlinux.c32 not found'
	finish 3
}

scenario 32 bios-kernel-missing "BIOS client; pxelinux.0, ldlinux.c32 and pxelinux.cfg/default are served, but the kernel named in the config (vmlinuz) is missing"
sc_bios_kernel_missing() {
	net_up 1
	tftp_root 1 pxelinux kernel
	rm -f "$W/tftp1/vmlinuz"
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "pxelinux reported the missing kernel" serial_has c1 'Could not find kernel|boot:' || true
	check "server answered file not found" srvlog_has 1 'vmlinuz not found'
	finish 3
}

# helpers for the scenarios that go on recording after the client went silent: hosts 2 and 3
# are bystanders on the segment (no servers) whose pings show on the mirror that time moves on
# (the trimmed capture ends with its last frame: editcap does not keep dumpcap's end time)
_bystanders_net_up() {   # _bystanders_net_up: net_up 3 (lab_begin clears stale namespaces of servers 1 and 2 only)
	ip netns del "$P-s3" 2>/dev/null || true
	net_up 3
}
_bystander_pings() {   # _bystander_pings <count> <interval>: host 2 pings host 3 in the background
	ip netns exec "$P-s2" ping -n -c "$1" -i "$2" 192.0.2.3 >"$W/ping.log" 2>&1 &
	LAB_PIDS+=("misc:$!")
	echo "hosts 2 (192.0.2.2) and 3 (192.0.2.3): bystanders without servers; 2 pings 3 $1 times, every $2 s, from $(date +%H:%M:%S)" >>"$W/setup.txt"
}

scenario 33 bios-tftp-gives-up-midfile "BIOS client; pxelinux.0 starts to arrive, but from block 11 on every TFTP DATA packet from the server is lost on the way (nftables netdev ingress of the server's bridge port, before the mirror point): the client repeats its ACK of block 10, times out in the middle of the file and goes silent; the recording goes on for ~30 s after it gave up, while two bystander hosts (192.0.2.2, 192.0.2.3) ping each other every 10 s"
sc_bios_tftp_gives_up_midfile() {
	_bystanders_net_up
	tftp_root 1 pxelinux kernel
	nft_net <<-'EOF'
		table netdev pxelab {
			chain from_server1 {
				type filter hook ingress device "srv1" priority 0; policy accept;
				ip saddr 192.0.2.1 udp sport 1024-65535 @th,64,16 3 @th,80,16 11-65535 counter drop
			}
		}
	EOF
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	check "client timed out" serial_has c1 'Connection timed out'
	check "part of pxelinux.0 arrived" serial_has c1 'pxelinux\.0\.\.\..* [1-9][0-9]?%'
	# the client is silent now; keep recording well past its retry window
	_bystander_pings 4 10
	sleep 32
	check "bystander pings answered" grep -q ' 0% packet loss' "$W/ping.log"
	ip netns exec "$NS_NET" nft list ruleset >"$W/net.nft.counters"
	finish 2
}

scenario 34 uefi-ipxe-syslinux-stalled "UEFI client (OVMF native) chainloads iPXE (snponly.efi, user-class rule as in uefi-ipxe-chain-ok); iPXE's boot.ipxe chains syslinux.efi, which arrives complete but never asks for ldlinux.e64 (on iPXE's SNP handle it finds no UDP stack: Failed to load ldlinux.e64, no packet sent); the script then drops to the iPXE shell, the client stays silent; the recording goes on for ~40 s after the transfer, while two bystander hosts (192.0.2.2, 192.0.2.3) ping each other every 10 s"
sc_uefi_ipxe_syslinux_stalled() {
	_bystanders_net_up
	tftp_root 1 snponly syslinux-efi kernel
	cat >"$W/tftp1/boot.ipxe" <<-'EOF'
		#!ipxe
		echo pxediag lab: boot.ipxe running on ${platform}/${buildarch}, chaining syslinux.efi
		chain syslinux.efi || shell
	EOF
	{ echo "boot.ipxe on server 1:"; sed 's/^/    /' "$W/tftp1/boot.ipxe"; } >>"$W/setup.txt"
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-userclass=set:ipxe,iPXE
		dhcp-boot=tag:!ipxe,snponly.efi
		dhcp-boot=tag:ipxe,boot.ipxe
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "syslinux.efi sent" srvlog_has 1 'sent /srv/tftp/syslinux.efi' || true
	# syslinux.efi is on the client; give it time to show that it never fetches its next file
	_bystander_pings 5 10
	sleep 42
	check "syslinux.efi was sent" srvlog_has 1 'sent /srv/tftp/syslinux.efi'
	check "syslinux.efi could not load ldlinux.e64" serial_has c1 'Failed to load ldlinux\.e64'
	check "ldlinux.e64 never asked for" not srvlog_has 1 'ldlinux\.e64'
	check "no DHCP after iPXE's" test "$(srvlog_count 1 'DHCPACK')" -eq 2
	check "bystander pings answered" grep -q ' 0% packet loss' "$W/ping.log"
	finish 1
}

scenario 35 bios-silent-long-capture "BIOS client failing as in bios-tftp-dropped (nftables on the server drops udp dport 69: the RRQs go unanswered, the client times out and goes silent); the recording goes on for ~65 s after the client gave up, while two bystander hosts on the same segment (192.0.2.2 and 192.0.2.3, no servers) ping each other every 10 s"
sc_bios_silent_long_capture() {
	_bystanders_net_up
	tftp_root 1 pxelinux kernel
	nft_srv 1 <<-'EOF'
		table inet pxelab {
			chain input {
				type filter hook input priority 0; policy accept;
				udp dport 69 counter drop
			}
		}
	EOF
	dnsmasq_start 1 <<-EOF
		$POOL1
		dhcp-boot=pxelinux.0
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	check "server never saw the RRQ" not srvlog_has 1 'sent /srv|not found'
	# unrelated traffic while the recording goes on: time moves on, the client stays silent
	_bystander_pings 7 10
	sleep 65
	check "bystander pings answered" grep -q ' 0% packet loss' "$W/ping.log"
	finish 2
}

scenario 36 bios-capture-stops-at-silence "BIOS client failing as in bios-tftp-gives-up-midfile (pxelinux.0 DATA from block 11 on lost before the mirror point), but the recording stops right at the client's last packet, a repeated ACK of block 10 (cut with editcap): the capture ends in the middle of the transfer and does not show the client giving up"
sc_bios_capture_stops_at_silence() {
	sc_bios_tftp_gives_up_midfile
	local last
	last=$(tshark_plain "$CAPTURES_DIR/$SCN.pcapng" -Y "eth.src == $(mac 1)" -T fields -e frame.number 2>/dev/null | awk 'END { print }')
	[ -n "$last" ] || die "no client frame in the capture"
	_cut_capture "1-$last"
}

# ------------------------------------------------------------------------------------
# Other servers than dnsmasq (ISC dhcpd, Kea, tftpd-hpa, atftpd, ISC dhcrelay, an HTTP
# server, each named after the scenario's description), relayed DHCP, lost IP fragments,
# PXE over IPv6, UEFI HTTP boot and a PXE boot menu (scenarios 41-56).

# ISC dhcpd common part (no ping check: the lab has no other hosts, and it would add 1 s)
DHCPD_HEAD="ddns-update-style none;
authoritative;
ping-check false;
default-lease-time 600;
max-lease-time 600;"

scenario 41 bios-dhcpd-tftpd-hpa-ok "BIOS client (SeaBIOS + iPXE ROM) boots pxelinux.0 -> ldlinux.c32 -> config -> fake kernel + initrd from ISC dhcpd (next-server, filename) and tftpd-hpa" dhcpd tftpd-hpa
sc_bios_dhcpd_tftpd_hpa_ok() {
	net_up 1
	tftp_root 1 pxelinux kernel
	dhcpd_start 1 <<-EOF
		$DHCPD_HEAD
		subnet 192.0.2.0 netmask 255.255.255.0 {
			range 192.0.2.100 192.0.2.149;
			next-server 192.0.2.1;
			filename "pxelinux.0";
		}
	EOF
	tftpd_hpa_start 1
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "fake kernel started" serial_has c1 "$FAKE_KERNEL" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	check "dhcpd acknowledged" file_has "$W/s1.dhcpd.log" '^DHCPACK on 192\.0\.2\.1[0-4][0-9]'
	check "tftpd-hpa served initrd.img" file_has "$W/s1.tftpd-hpa.log" 'RRQ from .* filename initrd\.img'
	finish 2
}

scenario 42 bios-dhcpd-no-next-server "BIOS client; ISC dhcpd sends filename \"pxelinux.0\" but has no next-server statement (the classic omission): siaddr stays 0.0.0.0 and there is no option 66; tftpd-hpa on 192.0.2.1 is never asked" dhcpd tftpd-hpa
sc_bios_dhcpd_no_next_server() {
	net_up 1
	tftp_root 1 pxelinux kernel
	dhcpd_start 1 <<-EOF
		$DHCPD_HEAD
		subnet 192.0.2.0 netmask 255.255.255.0 {
			range 192.0.2.100 192.0.2.149;
			filename "pxelinux.0";
		}
	EOF
	tftpd_hpa_start 1
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "dhcpd acknowledged" file_has "$W/s1.dhcpd.log" '^DHCPACK on'
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	check "tftpd-hpa got no request" not file_has "$W/s1.tftpd-hpa.log" 'RRQ'
	finish 2
}

# _kea_conf <boot file for arch 7 clients> [class option-data]: a Kea configuration in the style
# of its PXE examples: a client class on option 93 (client arch 7, x64 UEFI) sets next-server
# and the boot file (and the given option data)
_kea_conf() {
	local data=${2:-}
	[ -z "$data" ] || data=",
		        \"option-data\": [ $data ]"
	cat <<-EOF2
		{
		"Dhcp4": {
		    "interfaces-config": { "interfaces": [ "eth0" ] },
		    "lease-database": { "type": "memfile", "persist": false },
		    "valid-lifetime": 600,
		    "client-classes": [ {
		        "name": "uefi-x64",
		        "test": "option[93].hex == 0x0007",
		        "next-server": "192.0.2.1",
		        "boot-file-name": "$1"$data
		    } ],
		    "subnet4": [ {
		        "subnet": "192.0.2.0/24",
		        "pools": [ { "pool": "192.0.2.100 - 192.0.2.149" } ]
		    } ],
		    "loggers": [ {
		        "name": "kea-dhcp4",
		        "output_options": [ { "output": "$W/s1.kea.log" } ],
		        "severity": "DEBUG",
		        "debuglevel": 40
		    } ]
		}
		}
	EOF2
}

scenario 43 uefi-kea-atftpd-ok "UEFI client (OVMF's own PXE on virtio-net) boots syslinux.efi -> ldlinux.e64 -> config -> fake kernel + initrd from Kea (client class on option 93) and atftpd 0.8, which grants the client's blksize and RFC 7440 windowsize" kea-dhcp4 atftpd
sc_uefi_kea_atftpd_ok() {
	net_up 1
	tftp_root 1 syslinux-efi kernel
	kea_start 1 < <(_kea_conf syslinux.efi)
	atftpd_start 1
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "fake kernel started" serial_has c1 "$FAKE_KERNEL" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	check "Kea leased an address" file_has "$W/s1.kea.log" 'DHCP4_LEASE_ALLOC'
	check "atftpd served syslinux.efi" file_has "$W/s1.atftpd.log" 'Serving syslinux.efi'
	check "windowsize negotiated" file_has "$W/s1.atftpd.log" 'windowsize option -> [0-9]'
	finish 2
}

scenario 44 uefi-kea-pxeclient-no-43 "UEFI client (OVMF's own PXE); Kea's class also sends option 60 PXEClient (a copied proxyDHCP habit) but no option 43: EDK2 takes the ACK for a boot-server (BINL) offer and sends its REQUEST to 192.0.2.1:4011, where nothing listens (ICMP port unreachable); PXE-E16, no TFTP" kea-dhcp4 atftpd
sc_uefi_kea_pxeclient_no_43() {
	net_up 1
	tftp_root 1 syslinux-efi kernel
	kea_start 1 < <(_kea_conf syslinux.efi '{ "name": "vendor-class-identifier", "data": "PXEClient" }')
	atftpd_start 1
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "EDK2 PXE error" serial_has c1 'PXE-E[0-9]' || true
	check "Kea acknowledged" file_has "$W/s1.kea.log" 'DHCP4_LEASE_ALLOC'
	check "client reported PXE-E16" serial_has c1 'PXE-E16'
	check "atftpd got no request" not file_has "$W/s1.atftpd.log" 'Serving'
	finish 3
}

# ISC dhcpd configuration behind the relay: the client segment's subnet (served through the
# relay, giaddr 198.51.100.1) and the server's own, empty
DHCPD_RELAYED="subnet 192.0.2.0 netmask 255.255.255.0 {
}
subnet 198.51.100.0 netmask 255.255.255.0 {
	range 198.51.100.100 198.51.100.149;
	option routers 198.51.100.1;
	next-server 192.0.2.1;
	filename \"pxelinux.0\";
}"

scenario 45 relay-bios-ok "BIOS client on segment 198.51.100.0/24, ISC dhcpd and tftpd-hpa on 192.0.2.1 in another segment; ISC dhcrelay on the router between them relays DHCP (giaddr 198.51.100.1); the client boots pxelinux -> fake kernel through the router; both segments recorded (two interfaces in one pcapng)" dhcpd dhcrelay tftpd-hpa
sc_relay_bios_ok() {
	relay_net_up
	tftp_root 1 pxelinux kernel
	dhcpd_start 1 <<-EOF
		$DHCPD_HEAD
		$DHCPD_RELAYED
	EOF
	tftpd_hpa_start 1
	dhcrelay_start 192.0.2.1
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "fake kernel started" serial_has c1 "$FAKE_KERNEL" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	check "dhcpd answered through the relay" file_has "$W/s1.dhcpd.log" 'DHCPACK on 198\.51\.100\.[0-9]+ .* via 198\.51\.100\.1'
	check "tftpd-hpa served initrd.img" file_has "$W/s1.tftpd-hpa.log" 'RRQ from 198\.51\.100\.[0-9]+ filename initrd\.img'
	finish 2
}

scenario 46 relay-bios-tftp-blocked "BIOS client behind a DHCP relay as in relay-bios-ok; DHCP works through the relay, but the router's firewall (nftables forward) drops UDP to port 69: the RRQs are seen on the client segment only, the client times out" dhcpd dhcrelay tftpd-hpa
sc_relay_bios_tftp_blocked() {
	relay_net_up
	tftp_root 1 pxelinux kernel
	nft_router <<-'EOF'
		table inet pxelab {
			chain forward {
				type filter hook forward priority 0; policy accept;
				udp dport 69 counter drop
			}
		}
	EOF
	dhcpd_start 1 <<-EOF
		$DHCPD_HEAD
		$DHCPD_RELAYED
	EOF
	tftpd_hpa_start 1
	dhcrelay_start 192.0.2.1
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "dhcpd answered through the relay" file_has "$W/s1.dhcpd.log" 'DHCPACK on 198\.51\.100\.[0-9]+ .* via 198\.51\.100\.1'
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	check "client timed out" serial_has c1 'Connection timed out'
	check "tftpd-hpa got no request" not file_has "$W/s1.tftpd-hpa.log" 'RRQ'
	ip netns exec "$P-r" nft list ruleset >"$W/r.nft.counters"
	finish 2
}

scenario 47 uefi-tftp-fragments-lost "UEFI client (OVMF's own PXE asks for blksize 1468) from Kea and atftpd as in uefi-kea-atftpd-ok, but the server's link has MTU 1400 (a tunnel or VLAN hop): each 1500-byte DATA datagram leaves it as two IP fragments, and the second fragments are lost before the mirror (nftables netdev ingress of the server's bridge port drops non-first fragments). The OACK and the size probe pass; DATA 1 never arrives whole, the client times out" kea-dhcp4 atftpd
sc_uefi_tftp_fragments_lost() {
	net_up 1
	tftp_root 1 syslinux-efi kernel
	ip -n "$NS_S1" link set eth0 mtu 1400
	echo "server 1: eth0 MTU 1400" >>"$W/setup.txt"
	nft_net <<-'EOF'
		table netdev pxelab {
			chain from_server1 {
				type filter hook ingress device "srv1" priority 0; policy accept;
				ip saddr 192.0.2.1 ip frag-off & 0x1fff != 0 counter drop
			}
		}
	EOF
	kea_start 1 < <(_kea_conf syslinux.efi)
	atftpd_start 1
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "EDK2 PXE error" serial_has c1 'PXE-E[0-9]' || true
	check "client reported a PXE error" serial_has c1 'PXE-E[0-9]'
	check "atftpd served syslinux.efi" file_has "$W/s1.atftpd.log" 'Serving syslinux.efi'
	check "fragments were dropped" bash -c "ip netns exec '$NS_NET' nft list ruleset | tee '$W/net.nft.counters' | grep -Eq 'packets [1-9]'"
	finish 3
}

# dnsmasq for PXE over IPv6: RA (managed flag) and stateful DHCPv6 with option 59 (boot file
# URL); the firmware gets snponly.efi, iPXE (user class iPXE, DHCPv6 option 15) boot.ipxe
_dnsmasq_pxe6() {
	cat <<-'EOF2'
		enable-ra
		dhcp-range=2001:db8:0:1::100,2001:db8:0:1::1ff,64,10m
		dhcp-userclass=set:ipxe,iPXE
		dhcp-option=tag:!ipxe,option6:bootfile-url,tftp://[2001:db8:0:1::1]/snponly.efi
		dhcp-option=tag:ipxe,option6:bootfile-url,tftp://[2001:db8:0:1::1]/boot.ipxe
		enable-tftp
		tftp-root=/srv/tftp
	EOF2
}

scenario 48 uefi-pxe6-ok "UEFI client (OVMF's own PXE, PXE over IPv4 switched off through fw_cfg) boots over IPv6: dnsmasq sends RAs and answers DHCPv6 with option 59 tftp://[2001:db8:0:1::1]/snponly.efi; iPXE (snponly.efi) configures IPv6 itself, gets boot.ipxe, which fetches the kernel and initrd over TFTP/IPv6; no DHCPv4 server"
sc_uefi_pxe6_ok() {
	net_up 1
	srv_ipv6 1 2001:db8:0:1::1/64
	tftp_root 1 snponly script-efi kernel
	dnsmasq_start 1 < <(_dnsmasq_pxe6)
	capture_start
	vm_start c1 uefi-pxe6 "$(mac 1)"
	wait_until 180 "script fetched kernel and initrd" serial_has c1 'pxediag-ipxe-script: kernel and initrd fetched' || true
	check "firmware started PXE over IPv6" serial_has c1 'Start PXE over IPv6'
	check "script ran" serial_has c1 'pxediag-ipxe-script: kernel and initrd fetched'
	check "DHCPv6 reply sent" srvlog_has 1 'DHCPREPLY'
	check "initrd.img sent" srvlog_has 1 'sent /srv/tftp/initrd.img'
	finish 2
}

scenario 49 uefi-pxe6-nbp-missing "UEFI client booting PXE over IPv6 as in uefi-pxe6-ok, but snponly.efi, named by option 59, is missing from the TFTP root: TFTP ERROR 1 over IPv6"
sc_uefi_pxe6_nbp_missing() {
	net_up 1
	srv_ipv6 1 2001:db8:0:1::1/64
	tftp_root 1 script-efi kernel
	dnsmasq_start 1 < <(_dnsmasq_pxe6)
	capture_start
	vm_start c1 uefi-pxe6 "$(mac 1)"
	wait_until 150 "EDK2 PXE error" serial_has c1 'PXE-E[0-9]' || true
	check "client reported a PXE error" serial_has c1 'PXE-E[0-9]'
	check "server answered file not found" srvlog_has 1 'snponly.efi not found'
	finish 3
}

# dnsmasq for UEFI HTTP boot: clients with vendor class HTTPClient get option 60 HTTPClient
# back (EDK2 takes only such offers for HTTP boot) and a URL as boot file; iPXE gets boot.ipxe
_dnsmasq_http() {
	cat <<-EOF2
		$POOL1
		dhcp-vendorclass=set:http,HTTPClient
		dhcp-userclass=set:ipxe,iPXE
		dhcp-option-force=tag:http,option:vendor-class,HTTPClient
		dhcp-boot=tag:http,tag:!ipxe,$1
		dhcp-boot=tag:ipxe,http://192.0.2.1/boot.ipxe
	EOF2
}

scenario 50 uefi-httpboot-ok "UEFI HTTP boot: OVMF (PXE switched off through fw_cfg, so HTTP boot over IPv4 comes first) sends DHCP with vendor class HTTPClient:Arch:00016; dnsmasq answers with option 60 HTTPClient and the boot file http://192.0.2.1/snponly.efi; the firmware downloads it from a Python HTTP server and runs it; iPXE gets boot.ipxe over HTTP, which fetches the kernel and initrd" http
sc_uefi_httpboot_ok() {
	net_up 1
	tftp_root 1 snponly script-efi kernel
	dnsmasq_start 1 < <(_dnsmasq_http http://192.0.2.1/snponly.efi)
	http_start 1
	capture_start
	vm_start c1 uefi-http "$(mac 1)"
	wait_until 180 "script fetched kernel and initrd" serial_has c1 'pxediag-ipxe-script: kernel and initrd fetched' || true
	check "firmware started HTTP boot" serial_has c1 'Start HTTP Boot over IPv4'
	check "script ran" serial_has c1 'pxediag-ipxe-script: kernel and initrd fetched'
	check "HTTP server sent snponly.efi" file_has "$W/s1.http.log" '"GET /snponly.efi HTTP/1.1" 200'
	check "HTTP server sent initrd.img" file_has "$W/s1.http.log" '"GET /initrd.img HTTP/1.1" 200'
	finish 2
}

scenario 51 uefi-httpboot-404 "UEFI HTTP boot as in uefi-httpboot-ok, but the boot file URL http://192.0.2.1/efi/bootx64.efi does not exist on the HTTP server: 404 Not Found" http
sc_uefi_httpboot_404() {
	net_up 1
	tftp_root 1 snponly script-efi kernel
	dnsmasq_start 1 < <(_dnsmasq_http http://192.0.2.1/efi/bootx64.efi)
	http_start 1
	capture_start
	vm_start c1 uefi-http "$(mac 1)"
	wait_until 150 "HTTP boot failed" serial_has c1 'Error: |failed to load Boot0001' || true
	check "client reported an error" serial_has c1 'Error: '
	check "HTTP server answered 404" file_has "$W/s1.http.log" 'bootx64.efi HTTP/1.1" 404'
	finish 3
}

scenario 52 bios-pxe-menu "BIOS client; dnsmasq sends a PXE boot menu (option 43: discovery control, boot servers, menu, prompt; pxe-service/pxe-prompt): iPXE shows the prompt, takes the first entry after the timeout and asks for its boot file by a boot server discovery (REQUEST with option 43 sub-option 71); pxelinux -> fake kernel"
sc_bios_pxe_menu() {
	net_up 1
	tftp_root 1 pxelinux kernel
	dnsmasq_start 1 <<-EOF
		$POOL1
		pxe-prompt="pxediag lab: press F8 for the boot menu",3
		pxe-service=x86PC,"pxediag lab: pxelinux",pxelinux
		pxe-service=x86PC,"pxediag lab: boot from local disk"
		enable-tftp
		tftp-root=/srv/tftp
	EOF
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "boot decided" serial_has c1 "$FAKE_KERNEL|$IPXE_GAVE_UP" || true
	check "client showed the prompt" serial_has c1 'press F8 for the boot menu'
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	finish 2
}

scenario 53 uefi-kea-class-mismatch "UEFI client (OVMF's own PXE); Kea's client class tests option[93].hex == 0x7, a one-byte string that never equals the two-byte option 93 (00 07): the class never matches, the offers carry an address but no boot file; EDK2 keeps discovering and gives up" kea-dhcp4 atftpd
sc_uefi_kea_class_mismatch() {
	net_up 1
	tftp_root 1 syslinux-efi kernel
	kea_start 1 < <(_kea_conf syslinux.efi | sed 's/0x0007/0x7/')
	atftpd_start 1
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "EDK2 PXE error" serial_has c1 'PXE-E[0-9]' || true
	check "client reported a PXE error" serial_has c1 'PXE-E[0-9]'
	check "Kea offered an address" file_has "$W/s1.kea.log" 'DHCP4_LEASE_ADVERT'
	check "class never matched" not file_has "$W/s1.kea.log" 'class\(es\): .*uefi-x64'
	check "atftpd got no request" not file_has "$W/s1.atftpd.log" 'Serving'
	finish 3
}

scenario 54 uefi-tftp-blksize-capped-ok "UEFI client (OVMF's own PXE asks for blksize 1468) on the path of uefi-tftp-fragments-lost (server link MTU 1400, second fragments lost before the mirror), but the TFTP server is tftpd-hpa capped at blksize 1368 (--blocksize 1368: MTU 1400 - 20 IP - 8 UDP - 4 TFTP): the OACK grants 1368, every DATA fits unfragmented, the client boots syslinux.efi -> fake kernel; Kea for DHCP" kea-dhcp4 tftpd-hpa
sc_uefi_tftp_blksize_capped_ok() {
	net_up 1
	tftp_root 1 syslinux-efi kernel
	ip -n "$NS_S1" link set eth0 mtu 1400
	echo "server 1: eth0 MTU 1400" >>"$W/setup.txt"
	nft_net <<-'EOF'
		table netdev pxelab {
			chain from_server1 {
				type filter hook ingress device "srv1" priority 0; policy accept;
				ip saddr 192.0.2.1 ip frag-off & 0x1fff != 0 counter drop
			}
		}
	EOF
	kea_start 1 < <(_kea_conf syslinux.efi)
	tftpd_hpa_start 1 --blocksize 1368
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "fake kernel started" serial_has c1 "$FAKE_KERNEL" || true
	check "client ran the fake kernel" serial_has c1 "$FAKE_KERNEL"
	check "tftpd-hpa served initrd.img" file_has "$W/s1.tftpd-hpa.log" 'RRQ from .* filename initrd\.img'
	check "no fragment dropped" bash -c "ip netns exec '$NS_NET' nft list ruleset | tee '$W/net.nft.counters' | grep -q 'packets 0 '"
	finish 2
}

scenario 55 relay-dhcpd-unknown-segment "BIOS client behind a DHCP relay as in relay-bios-ok, but ISC dhcpd has no subnet declaration for the relayed segment 198.51.100.0/24 (giaddr): it logs 'unknown network segment' and never offers; the relay forwards every DISCOVER" dhcpd dhcrelay tftpd-hpa
sc_relay_dhcpd_unknown_segment() {
	relay_net_up
	tftp_root 1 pxelinux kernel
	dhcpd_start 1 <<-EOF
		$DHCPD_HEAD
		subnet 192.0.2.0 netmask 255.255.255.0 {
			range 192.0.2.100 192.0.2.149;
			next-server 192.0.2.1;
			filename "pxelinux.0";
		}
	EOF
	tftpd_hpa_start 1
	dhcrelay_start 192.0.2.1
	capture_start
	vm_start c1 bios "$(mac 1)"
	wait_until 120 "iPXE gave up" serial_has c1 "$IPXE_GAVE_UP" || true
	check "dhcpd saw the relayed DISCOVER" file_has "$W/s1.dhcpd.log" 'DHCPDISCOVER from .* via 198\.51\.100\.1'
	check "dhcpd: unknown network segment" file_has "$W/s1.dhcpd.log" 'unknown network segment'
	check "dhcpd never offered" not file_has "$W/s1.dhcpd.log" 'DHCPOFFER'
	check "client gave up" serial_has c1 "$IPXE_GAVE_UP"
	finish 2
}

scenario 56 uefi-tftp-blksize-cap-too-high "as uefi-tftp-blksize-capped-ok (server link MTU 1400, second fragments lost before the mirror, Kea + tftpd-hpa), but the blksize cap is computed without the 4-byte TFTP header: --blocksize 1372 (1400 - 20 - 8); each DATA is 1404 bytes of IP, so it is still fragmented: OACK blksize 1372, DATA 1 never arrives whole, the client times out" kea-dhcp4 tftpd-hpa
sc_uefi_tftp_blksize_cap_too_high() {
	net_up 1
	tftp_root 1 syslinux-efi kernel
	ip -n "$NS_S1" link set eth0 mtu 1400
	echo "server 1: eth0 MTU 1400" >>"$W/setup.txt"
	nft_net <<-'EOF'
		table netdev pxelab {
			chain from_server1 {
				type filter hook ingress device "srv1" priority 0; policy accept;
				ip saddr 192.0.2.1 ip frag-off & 0x1fff != 0 counter drop
			}
		}
	EOF
	kea_start 1 < <(_kea_conf syslinux.efi)
	tftpd_hpa_start 1 --blocksize 1372
	capture_start
	vm_start c1 uefi-native "$(mac 1)"
	wait_until 150 "EDK2 PXE error" serial_has c1 'PXE-E[0-9]' || true
	check "client reported a PXE error" serial_has c1 'PXE-E[0-9]'
	check "tftpd-hpa got the NBP request" file_has "$W/s1.tftpd-hpa.log" 'RRQ from .* filename syslinux\.efi'
	check "fragments were dropped" bash -c "ip netns exec '$NS_NET' nft list ruleset | tee '$W/net.nft.counters' | grep -Eq 'packets [1-9]'"
	finish 3
}
