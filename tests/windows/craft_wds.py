#!/usr/bin/env python3
# craft_wds.py - Windows Deployment Services (WDS) / Configuration Manager
# (SCCM) network boots written byte by byte, for tests: no Windows server runs
# here, so each boot is built from what the published interfaces and
# dissectors say the wire carries (README.md here lists the sources, field by
# field).  Frames come from tests/fuzz/craft.py's builders; the DHCP messages,
# the WDSNBP option 250, the BCD path option 252 and the TFTP windowing of WDS
# are built here.
#
#   craft_wds.py OUTDIR [--only NAME,...]   writes OUTDIR/NAME.pcap and
#                                           OUTDIR/NAME.expect.json
#   craft_wds.py --list
#
# The sidecar NAME.expect.json is the capture's row of expectations.tsv (the
# committed source of truth) plus the display filters that must match in
# plain tshark (what the capture was built to show).
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import csv
import json
import os
import struct
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "fuzz"))
from craft import ack, data, error, ip4, opt, rrq, udp4, eth, write_pcap  # noqa: E402

EXPECTATIONS = os.path.join(HERE, "expectations.tsv")

# ---- the network: one subnet, a Windows DHCP server (also the router) and a
# WDS server (or a ConfigMgr distribution point, which runs WDS) ----

BCAST_MAC = b"\xff" * 6
DHCP_MAC, DHCP_IP = bytes.fromhex("00155d0a0001"), "192.168.50.1"
WDS_MAC, WDS_IP, WDS_NAME = bytes.fromhex("00155d0a000a"), "192.168.50.10", b"WDS01"
# option66-elsewhere: the WDS server sits on another subnet behind the router
FAR_WDS_IP = "10.20.0.10"
DOMAIN = b"corp.example"

# WDS answers TFTP from its UDP port range, 64001-65000 by default
# (HKLM\...\WDSServer\Parameters UdpPortPolicy / StartPort, EndPort)
WDS_PORT_FIRST = 64001

ARCH_BIOS, ARCH_EFI_X64 = 0, 7
VC_BIOS = b"PXEClient:Arch:00000:UNDI:002001"    # PXE 2.1 ROM, UNDI 2.1
VC_EFI = b"PXEClient:Arch:00007:UNDI:003016"     # EDK2, UNDI 3.16

# WDSNBP options (option 250 sub-options), numbered as wdsbp.h's
# WDSBP_OPT_* (the third byte of WDSBP_MAKE_OPTION) and the values of
# WDSBP_OPTVAL_*
WDSBP_ARCHITECTURE, WDSBP_NEXT_ACTION, WDSBP_POLL_INTERVAL = 1, 2, 3
WDSBP_POLL_RETRY_COUNT, WDSBP_REQUEST_ID, WDSBP_MESSAGE = 4, 5, 6
WDSBP_PXE_PROMPT_DONE, WDSBP_NBP_VER, WDSBP_ACTION_DONE = 12, 13, 14
ACTION_APPROVAL, ACTION_REFERRAL, ACTION_ABORT = 1, 3, 5
PROMPT_OPTIN = 1
NBP_VER_8 = 0x0800
# wdsnbp reports the processor it found in WDS's own numbering, the table of
# KB932447 (0 x86, 2 IA-64, 6 x64; 7 x64 UEFI as the reimplementations add)
WDSNBP_ARCH_X64 = 6


def mac_of(s):
    return bytes.fromhex(s.replace(":", ""))


# ---- DHCP ----

def options(*pairs):
    return b"".join(opt(code, value) for code, value in pairs)


def bootp(op, xid, chaddr, opts, ciaddr="0.0.0.0", yiaddr="0.0.0.0", siaddr="0.0.0.0",
          sname=b"", file=b"", broadcast=True, secs=0):
    """A BOOTP/DHCP message; padded to 300 bytes as PXE ROMs and Windows pad."""
    body = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, 1, 6, 0, xid, secs,
                       0x8000 if broadcast else 0, ip4(ciaddr), ip4(yiaddr), ip4(siaddr),
                       ip4("0.0.0.0"), chaddr + b"\0" * 10, sname.ljust(64, b"\0"),
                       file.ljust(128, b"\0"))
    body += b"\x63\x82\x53\x63" + opts + b"\xff"
    return body.ljust(300, b"\0")


PRL_PXE = bytes([1, 2, 3, 5, 6, 11, 12, 13, 15, 16, 17, 18, 43, 54, 60, 66, 67,
                 128, 129, 130, 131, 132, 133, 134, 135])


class Client:
    """A PXE client: its MAC, GUID, firmware and the address it gets."""

    def __init__(self, mac, arch, addr, guid):
        self.mac = mac_of(mac)
        self.arch = arch
        self.addr = addr
        self.guid = bytes.fromhex(guid)
        self.vc = VC_EFI if arch == ARCH_EFI_X64 else VC_BIOS
        self.undi = b"\x01\x03\x10" if arch == ARCH_EFI_X64 else b"\x01\x02\x01"

    def pxe_opts(self):
        return options((57, b"\x04\xec"), (55, PRL_PXE), (97, b"\0" + self.guid),
                       (94, self.undi), (93, struct.pack("!H", self.arch)), (60, self.vc))

    def discover(self, xid, secs=0):
        return udp4(self.mac, BCAST_MAC, "0.0.0.0", "255.255.255.255", 68, 67,
                    bootp(1, xid, self.mac, options((53, b"\x01")) + self.pxe_opts(), secs=secs))

    def request(self, xid, server, secs=4, opts=b""):
        o = options((53, b"\x03"), (50, ip4(self.addr)), (54, ip4(server))) + self.pxe_opts() + opts
        return udp4(self.mac, BCAST_MAC, "0.0.0.0", "255.255.255.255", 68, 67,
                    bootp(1, xid, self.mac, o, secs=secs))

    def binl_request(self, xid, server, server_mac, secs=4):
        """The firmware's REQUEST to the proxyDHCP (BINL) port 4011, unicast."""
        o = options((53, b"\x03")) + self.pxe_opts()
        return udp4(self.mac, server_mac, self.addr, server, 68, 4011,
                    bootp(1, xid, self.mac, o, ciaddr=self.addr, broadcast=False, secs=secs))

    def wdsnbp_request(self, xid, server, server_mac, arch_code, request_id=None, secs=0):
        """wdsnbp.com's (or wdsmgfw.efi's) own REQUEST to WDS on port 4011:
        53, 60, 97, 93 and 250 in the order (and so at the offsets) the
        open-source WDS reimplementations parse them."""
        sub = [(WDSBP_PXE_PROMPT_DONE, bytes([PROMPT_OPTIN])),
               (WDSBP_NBP_VER, struct.pack("!H", NBP_VER_8)),
               (WDSBP_ARCHITECTURE, struct.pack("!H", arch_code))]
        if request_id is not None:
            sub.append((WDSBP_REQUEST_ID, struct.pack("!I", request_id)))
        o = options((53, b"\x03"), (60, b"PXEClient"), (97, b"\0" + self.guid),
                    (93, struct.pack("!H", self.arch)), (250, wdsbp(sub)))
        return udp4(self.mac, server_mac, self.addr, server, 68, 4011,
                    bootp(1, xid, self.mac, o, ciaddr=self.addr, broadcast=False, secs=secs))


def wdsbp(sub):
    """Option 250's value: WDSNBP sub-options (code, length, value), then 0xff."""
    return b"".join(bytes([c, len(v)]) + v for c, v in sub) + b"\xff"


def dhcp_reply(client, xid, msg, server_mac=DHCP_MAC, server_ip=DHCP_IP, extra=b"",
               siaddr="0.0.0.0", file=b""):
    """The Windows DHCP server's OFFER (2) or ACK (5): an address, no boot data
    unless extra carries options 66/67."""
    o = options((53, bytes([msg])), (54, ip4(server_ip)), (51, struct.pack("!I", 691200)),
                (58, struct.pack("!I", 345600)), (59, struct.pack("!I", 604800)),
                (1, ip4("255.255.255.0")), (3, ip4(DHCP_IP)), (6, ip4(DHCP_IP)),
                (15, DOMAIN)) + extra
    return udp4(server_mac, BCAST_MAC, server_ip, "255.255.255.255", 67, 68,
                bootp(2, xid, client.mac, o, yiaddr=client.addr, siaddr=siaddr, file=file))


def wds_proxy_offer(client, xid, bootfile, server_ip=WDS_IP, server_mac=WDS_MAC, sname=WDS_NAME):
    """WDS's answer to the DISCOVER on port 67: no address (yiaddr 0), option
    60 PXEClient, siaddr = the WDS server, the boot file, no option 43."""
    o = options((53, b"\x02"), (54, ip4(server_ip)), (60, b"PXEClient"), (97, b"\0" + client.guid))
    return udp4(server_mac, BCAST_MAC, server_ip, "255.255.255.255", 67, 68,
                bootp(2, xid, client.mac, o, siaddr=server_ip, sname=sname, file=bootfile))


def wds_ack(client, xid, bootfile, server_ip=WDS_IP, server_mac=WDS_MAC, extra=b"", via=None):
    """WDS's ACK from port 4011, unicast to the client's port 68; extra carries
    options 250 and 252 for the boot program's requests."""
    o = options((53, b"\x05"), (54, ip4(server_ip)), (60, b"PXEClient"),
                (97, b"\0" + client.guid)) + extra
    return udp4(via or server_mac, client.mac, server_ip, client.addr, 4011, 68,
                bootp(2, xid, client.mac, o, ciaddr=client.addr, siaddr=server_ip,
                      sname=WDS_NAME, file=bootfile, broadcast=False))


def wds_reply_250(next_action, request_id, action_done, poll=None, retries=None, message=None):
    """The WDSNBP options of WDS's reply, in the order the open-source
    reimplementations send them."""
    sub = [(WDSBP_NEXT_ACTION, bytes([next_action])),
           (WDSBP_REQUEST_ID, struct.pack("!I", request_id))]
    if poll is not None:
        sub.append((WDSBP_POLL_INTERVAL, struct.pack("!H", poll)))
    if retries is not None:
        sub.append((WDSBP_POLL_RETRY_COUNT, struct.pack("!H", retries)))
    sub.append((WDSBP_ACTION_DONE, bytes([action_done])))
    if message is not None:
        sub.append((WDSBP_MESSAGE, message + b"\0"))
    return opt(250, wdsbp(sub))


# ---- ARP ----

def arp(smac, sip, tip, dmac=BCAST_MAC, reply=False, tmac=b"\0" * 6):
    body = struct.pack("!HHBBH6s4s6s4s", 1, 0x0800, 6, 4, 2 if reply else 1, smac, ip4(sip),
                       tmac, ip4(tip))
    return eth(smac, dmac, 0x0806, body)


def arp_exchange(t, client, ip, mac):
    return [(t, arp(client.mac, client.addr, ip)),
            (t + 0.0004, arp(mac, ip, client.addr, dmac=client.mac, reply=True, tmac=client.mac))]


# ---- TFTP ----

def oack(pairs):
    return struct.pack("!H", 6) + b"".join(k + b"\0" + v + b"\0" for k, v in pairs)


def content(name, size):
    """Crafted file bytes that start like the real file's format."""
    low = name.lower()
    if low.endswith(b".wim"):
        head = b"MSWIM\0\0\0"
    elif low.endswith(b".bcd") or low.endswith(b"\\bcd"):
        head = b"regf"
    elif low.endswith(b".sdi"):
        head = b"$SDI0001"
    elif low.endswith(b".efi") or low.endswith(b".exe"):
        head = b"MZ\x90\0"
    else:
        head = b"\xfa\xfc"     # real-mode code: cli, cld
    body = bytes((i * 7 + 13) & 0xFF for i in range(256))
    return (head + body * (size // 256 + 1))[:size]


class Tftp:
    """Transfers between one client and one server, with the server's ports
    taken one after another from its range."""

    def __init__(self, client, server_ip, server_mac, first_port=WDS_PORT_FIRST, via=None):
        self.c = client
        self.sip = server_ip
        self.smac = via or server_mac      # the router's MAC when the server is elsewhere
        self.next_port = first_port
        self.next_cport = 2070

    def cport(self):
        self.next_cport += 1
        return self.next_cport

    def sport(self):
        self.next_port += 1
        return self.next_port - 1

    def c2s(self, cport, sport, payload):
        return udp4(self.c.mac, self.smac, self.c.addr, self.sip, cport, sport, payload)

    def s2c(self, sport, cport, payload):
        return udp4(self.smac, self.c.mac, self.sip, self.c.addr, sport, cport, payload)

    def size_probe(self, t, name, size, ask=(), code=0, msg=b""):
        """RRQ with tsize 0, OACK with the size, the client's ERROR ending it."""
        cp, sp = self.cport(), self.sport()
        return [(t, self.c2s(cp, 69, rrq(name, [(b"tsize", b"0")] + list(ask)))),
                (t + 0.002, self.s2c(sp, cp, oack([(b"tsize", b"%d" % size)] + list(ask)))),
                (t + 0.003, self.c2s(cp, sp, error(code, msg)))], t + 0.004

    def get(self, t, name, size, ask=(), grant=None, blksize=512, window=1, msft=False,
            step=0.0003):
        """A whole read: RRQ, OACK (when options are asked), DATA and ACK in
        windows of `window` blocks; with msft (Microsoft's variable window
        extension) every ACK carries the size of the next window in one byte
        and the window grows 1, 2, 4, ... up to `window`."""
        cp, sp = self.cport(), self.sport()
        payload = content(name, size)
        out = [(t, self.c2s(cp, 69, rrq(name, list(ask))))]
        t += 0.002
        win = 1 if msft else window
        if ask:
            out.append((t, self.s2c(sp, cp, oack(list(grant if grant is not None else ask)))))
            t += 0.001
            out.append((t, self.c2s(cp, sp, ack(0) + (bytes([win]) if msft else b""))))
        nblocks = size // blksize + 1
        block = 1
        while block <= nblocks:
            last_in_window = min(block + win - 1, nblocks)
            for b in range(block, last_in_window + 1):
                t += step
                out.append((t, self.s2c(sp, cp, data(b, payload[(b - 1) * blksize:b * blksize]))))
            if msft:
                win = min(win * 2, window)
            t += step
            out.append((t, self.c2s(cp, sp, ack(last_in_window) + (bytes([win]) if msft else b""))))
            block = last_in_window + 1
        return out, t + 0.001


def idle(t0, t1, every=10.0):
    """Other traffic on the segment (the router asking for a host that is not
    there) after the boot stopped: the frames that let a reader see that the
    client's give-up time has passed.  The end of a capture is never a timeout."""
    out, t = [], t0
    while t <= t1:
        out.append((t, arp(DHCP_MAC, DHCP_IP, "192.168.50.250")))
        t += every
    return out


# ---- the firmware's part, as WDS answers it ----

def firmware_wds(c, t, xid, bootfile, binl=True, server_ip=WDS_IP, server_mac=WDS_MAC,
                 sname=WDS_NAME):
    """DISCOVER; the DHCP server's address offer; WDS's proxy offer; REQUEST/ACK
    with the DHCP server (a PXE ROM waits about 4 s for offers); then the
    REQUEST to WDS's port 4011 and its ACK naming the boot file."""
    fr = [(t, c.discover(xid)),
          (t + 0.012, dhcp_reply(c, xid, 2)),
          (t + 0.030, wds_proxy_offer(c, xid, bootfile, server_ip, server_mac, sname)),
          (t + 4.0, c.request(xid, DHCP_IP)),
          (t + 4.003, dhcp_reply(c, xid, 5))]
    t += 4.01
    if binl:
        fr += [(t, c.binl_request(xid, server_ip, server_mac)),
               (t + 0.004, wds_ack(c, xid, bootfile, server_ip, server_mac))]
        t += 0.01
    return fr, t


def rom_get_nbp(tf, t, name, size):
    """An Intel PXE ROM fetching its boot file: the size probe (tsize 0,
    aborted after the OACK), then the read with blksize 1456 from a new port."""
    fr, t = tf.size_probe(t, name, size)
    rest, t = tf.get(t + 0.01, name, size, ask=[(b"blksize", b"1456")], blksize=1456)
    return fr + rest, t


BCD_BIOS = b"\\Tmp\\x86x64{6F4C7E53-2B3A-4D1E-9C8A-0E1F2A3B4C5D}.bcd"
BCD_UEFI = b"\\Tmp\\x64uefi{A1B2C3D4-1F2E-4D3C-8B7A-6E5F4D3C2B1A}.bcd"


def bootmgr_files(tf, t, bcd, arch_dir, blksize, wim_size, window, msft):
    """What Windows Boot Manager reads over TFTP once it runs: the BCD store
    named by option 252, the boot font, boot.sdi and the boot image."""
    fr = []
    probe_ask = [(b"tsize", b"0"), (b"blksize", b"%d" % blksize)]
    for name, size in ((bcd, 16384), (b"\\Boot\\Fonts\\wgl4_boot.ttf", 20480),
                       (b"\\Boot\\" + arch_dir + b"\\boot.sdi", 65536)):
        grant = [(b"tsize", b"%d" % size), (b"blksize", b"%d" % blksize)]
        got, t = tf.get(t + 0.05, name, size, ask=probe_ask, grant=grant, blksize=blksize)
        fr += got
    wim = b"\\Boot\\" + arch_dir + b"\\Images\\boot.wim"
    if msft:
        ask = probe_ask + [(b"msftwindow", b"31416")]
        grant = [(b"tsize", b"%d" % wim_size), (b"blksize", b"%d" % blksize),
                 (b"msftwindow", b"27182")]
    else:
        ask = probe_ask + [(b"windowsize", b"%d" % window)]
        grant = [(b"tsize", b"%d" % wim_size), (b"blksize", b"%d" % blksize),
                 (b"windowsize", b"%d" % window)]
    got, t = tf.get(t + 0.2, wim, wim_size, ask=ask, grant=grant, blksize=blksize,
                    window=window, msft=msft, step=0.0002)
    return fr + got, t


# ---- the captures ----

GUIDS = {
    "wds-bios-ok": "4c4c4544003510548031b4c04f4a3232",
    "wds-uefi-ok": "b1c0e3a2d4f54c8e9a7b6c5d4e3f2a10",
    "wds-pending-approval": "0a1b2c3d4e5f40718293a4b5c6d7e8f9",
    "wds-abort": "11223344556677889900aabbccddeeff",
    "wds-tftp-port-range-blocked": "fedcba98765432100123456789abcdef",
    "wds-option66-elsewhere": "2b7e151628aed2a6abf7158809cf4f3c",
    "sccm-no-policy": "3243f6a8885a308d313198a2e0370734",
}


def bios_after_wdsnbp(c, tf, t, xid_nbp, reqid, bcd=BCD_BIOS, server_ip=WDS_IP,
                      server_mac=WDS_MAC, via=None):
    """wdsnbp.com ran: its 4011 REQUEST (architecture x64), WDS's approval with
    the x64 boot file and the BCD path (252); then pxeboot.n12, bootmgr.exe
    (through the PXE ROM's TFTP, lockstep, blksize 1456) and bootmgr's files."""
    smac = via or server_mac
    fr = [(t, c.wdsnbp_request(xid_nbp, server_ip, smac, WDSNBP_ARCH_X64)),
          (t + 0.006, wds_ack(c, xid_nbp, b"boot\\x64\\pxeboot.n12", server_ip, server_mac,
                              wds_reply_250(ACTION_APPROVAL, reqid, 1) + opt(252, bcd), via=via))]
    t += 0.3     # "Press F12 for network service boot" is skipped: pxeboot.n12 does not ask
    for name, size in ((b"boot\\x64\\pxeboot.n12", 25268), (b"boot\\x64\\bootmgr.exe", 409600)):
        got, t = tf.get(t + 0.02, name, size, ask=[(b"blksize", b"1456")], blksize=1456)
        fr += got
    got, t = bootmgr_files(tf, t + 0.5, bcd, b"x64", 1456, 307200, 16, True)
    return fr + got, t


def c_wds_bios_ok(c):
    """BIOS client, WDS on its own server: proxy offer, 4011, wdsnbp.com, its
    WDSNBP exchange (approved), pxeboot.n12, bootmgr.exe, BCD (option 252),
    boot.sdi, boot.wim with Microsoft's variable window extension."""
    tf = Tftp(c, WDS_IP, WDS_MAC)
    fr, t = firmware_wds(c, 1000.0, 0x5DB10001, b"boot\\x86\\wdsnbp.com")
    fr += arp_exchange(t, c, WDS_IP, WDS_MAC)
    got, t = rom_get_nbp(tf, t + 0.01, b"boot\\x86\\wdsnbp.com", 30832)
    fr += got
    got, t = bios_after_wdsnbp(c, tf, t + 0.4, 0x5DB10002, 7)
    return fr + got


def c_wds_uefi_ok(c):
    """UEFI x64 (EDK2): proxy offer, BINL 4011, wdsmgfw.efi (size probe, then
    blksize 1468 windowsize 4), wdsmgfw's WDSNBP exchange, bootmgfw.efi, the
    BCD named by option 252, boot.wim with RFC 7440 windowsize."""
    tf = Tftp(c, WDS_IP, WDS_MAC, first_port=64101)
    fr, t = firmware_wds(c, 2000.0, 0x0E1F0001, b"boot\\x64\\wdsmgfw.efi")
    fr += arp_exchange(t, c, WDS_IP, WDS_MAC)
    edk2 = [(b"blksize", b"1468"), (b"windowsize", b"4")]
    got, t = tf.size_probe(t + 0.01, b"boot\\x64\\wdsmgfw.efi", 262144,
                           ask=[(b"blksize", b"1468")], code=8, msg=b"User aborted the transfer")
    fr += got
    got, t = tf.get(t + 0.01, b"boot\\x64\\wdsmgfw.efi", 262144, ask=edk2, blksize=1468, window=4)
    fr += got
    t += 0.4
    fr += [(t, c.wdsnbp_request(0x0E1F0002, WDS_IP, WDS_MAC, ARCH_EFI_X64)),
           (t + 0.006, wds_ack(c, 0x0E1F0002, b"boot\\x64\\bootmgfw.efi",
                               extra=wds_reply_250(ACTION_APPROVAL, 8, 1) + opt(252, BCD_UEFI)))]
    got, t = tf.get(t + 0.5, b"boot\\x64\\bootmgfw.efi", 204800, ask=edk2, blksize=1468, window=4)
    fr += got
    got, t = bootmgr_files(tf, t + 0.5, BCD_UEFI, b"x64", 1456, 307200, 8, False)
    return fr + got


def c_wds_pending_approval(c):
    """BIOS client; WDS requires approval for unknown computers: wdsnbp.com
    sends its request, WDS answers NextAction approval, ActionDone 0, a poll
    interval of 10 s, a request ID and the administrator's message; wdsnbp
    polls every 10 s with the request ID and the capture ends while it waits."""
    tf = Tftp(c, WDS_IP, WDS_MAC, first_port=64201)
    fr, t = firmware_wds(c, 3000.0, 0x9E0D0001, b"boot\\x86\\wdsnbp.com")
    fr += arp_exchange(t, c, WDS_IP, WDS_MAC)
    got, t = rom_get_nbp(tf, t + 0.01, b"boot\\x86\\wdsnbp.com", 30832)
    fr += got
    xid, reqid = 0x9E0D0002, 12
    reply = wds_reply_250(ACTION_APPROVAL, reqid, 0, poll=10, retries=2160,
                          message=b"This computer is waiting for approval by the deployment team.")
    t += 0.4
    fr += [(t, c.wdsnbp_request(xid, WDS_IP, WDS_MAC, WDSNBP_ARCH_X64)),
           (t + 0.006, wds_ack(c, xid, b"", extra=reply))]
    for poll in range(1, 10):
        tp = t + 10.0 * poll
        fr += [(tp, c.wdsnbp_request(xid, WDS_IP, WDS_MAC, WDSNBP_ARCH_X64, request_id=reqid,
                                     secs=10 * poll)),
               (tp + 0.006, wds_ack(c, xid, b"", extra=reply))]
    return fr


def c_wds_abort(c):
    """BIOS client; WDS (an administrator rejected the pending computer, or
    the PXE provider refuses it) answers wdsnbp's request with NextAction
    abort and boot\\x86\\abortpxe.com; wdsnbp fetches and runs it, the client
    leaves the network boot: no further packet from it."""
    tf = Tftp(c, WDS_IP, WDS_MAC, first_port=64301)
    fr, t = firmware_wds(c, 4000.0, 0xAB0D0001, b"boot\\x86\\wdsnbp.com")
    fr += arp_exchange(t, c, WDS_IP, WDS_MAC)
    got, t = rom_get_nbp(tf, t + 0.01, b"boot\\x86\\wdsnbp.com", 30832)
    fr += got
    t += 0.4
    fr += [(t, c.wdsnbp_request(0xAB0D0002, WDS_IP, WDS_MAC, WDSNBP_ARCH_X64)),
           (t + 0.006, wds_ack(c, 0xAB0D0002, b"boot\\x86\\abortpxe.com",
                               extra=wds_reply_250(ACTION_ABORT, 13, 1)))]
    got, t = tf.get(t + 0.05, b"boot\\x86\\abortpxe.com", 1536, ask=[(b"blksize", b"1456")],
                    blksize=1456)
    return fr + got + idle(t + 30.0, t + 90.0)


def c_wds_tftp_port_range_blocked(c):
    """BIOS client; a firewall between client and WDS passes UDP 67/68/69/4011
    but not WDS's reply port range: every RRQ for wdsnbp.com is answered by an
    OACK from a port in 64001-65000 (seen here, captured on WDS's switch
    port) that never reaches the client, which sends the RRQ again and gives
    up (PXE-E32).  WDS sends each OACK again once."""
    tf = Tftp(c, WDS_IP, WDS_MAC, first_port=64512)
    fr, t = firmware_wds(c, 5000.0, 0xB10C0001, b"boot\\x86\\wdsnbp.com")
    fr += arp_exchange(t, c, WDS_IP, WDS_MAC)
    t += 0.01
    cp = tf.cport()
    name = b"boot\\x86\\wdsnbp.com"
    for delay in (0.0, 1.0, 3.0, 6.0):      # a PXE ROM's retry times are not published
        sp = tf.sport()
        fr += [(t + delay, tf.c2s(cp, 69, rrq(name, [(b"tsize", b"0")]))),
               (t + delay + 0.002, tf.s2c(sp, cp, oack([(b"tsize", b"30832")]))),
               (t + delay + 0.502, tf.s2c(sp, cp, oack([(b"tsize", b"30832")])))]
    return fr + idle(t + 30.0, t + 90.0)


def c_wds_option66_elsewhere(c):
    """BIOS client; no proxyDHCP: the DHCP server hands out options 66 (the WDS
    server's address, on another subnet) and 67 boot\\x64\\wdsnbp.com, siaddr
    0.0.0.0 as the Windows DHCP server sends it; the ROM fetches wdsnbp.com
    through the router, wdsnbp contacts WDS on 4011 and the boot goes on."""
    router = DHCP_MAC
    boot = options((66, FAR_WDS_IP.encode()), (67, b"boot\\x64\\wdsnbp.com"))
    t, xid = 6000.0, 0x66670001
    fr = [(t, c.discover(xid)),
          (t + 0.012, dhcp_reply(c, xid, 2, extra=boot)),
          (t + 4.0, c.request(xid, DHCP_IP)),
          (t + 4.003, dhcp_reply(c, xid, 5, extra=boot))]
    t += 4.01
    fr += arp_exchange(t, c, DHCP_IP, router)        # off-subnet: the router
    tf = Tftp(c, FAR_WDS_IP, None, first_port=64601, via=router)
    got, t = rom_get_nbp(tf, t + 0.01, b"boot\\x64\\wdsnbp.com", 30832)
    fr += got
    got, t = bios_after_wdsnbp(c, tf, t + 0.4, 0x66670002, 21, server_ip=FAR_WDS_IP,
                               server_mac=None, via=router)
    return fr + got


def c_sccm_no_policy(c):
    """BIOS client; a Configuration Manager PXE-enabled distribution point
    (WDS with the SMS PXE provider) has no deployment for this computer and
    answers the firmware's 4011 request with smsboot\\x64\\abortpxe.com; the
    ROM fetches and runs it and the client boots from the next device."""
    tf = Tftp(c, WDS_IP, WDS_MAC, first_port=64701)
    fr, t = firmware_wds(c, 7000.0, 0x5CC30001, b"smsboot\\x64\\abortpxe.com", sname=b"CM01")
    fr += arp_exchange(t, c, WDS_IP, WDS_MAC)
    got, t = rom_get_nbp(tf, t + 0.01, b"smsboot\\x64\\abortpxe.com", 1536)
    return fr + got + idle(t + 30.0, t + 90.0)


# name: (builder, display filters that must each match a frame in plain tshark)
CAPTURES = {
    "wds-bios-ok": (c_wds_bios_ok, [
        'dhcp.option.type == 250 && udp.dstport == 4011',
        'dhcp.option.private_proxy_autodiscovery contains "x86x64"',
        'dhcp.file == "boot\\\\x86\\\\wdsnbp.com" && udp.srcport == 4011',
        'tftp.option.name == "msftwindow" && tftp.option.value == "27182"',
        'tftp.nextwindowsize == 16',
        'tftp.source_file contains "boot.wim"',
        'udp.srcport >= 64001 && udp.srcport <= 65000 && tftp.opcode == 3']),
    "wds-uefi-ok": (c_wds_uefi_ok, [
        'dhcp.option.client_system_architecture == 7',
        'dhcp.file == "boot\\\\x64\\\\wdsmgfw.efi"',
        'dhcp.option.private_proxy_autodiscovery contains "x64uefi"',
        'tftp.option.name == "windowsize" && tftp.opcode == 6',
        'tftp.likely_tsize_probe',
        'tftp.source_file contains "bootmgfw.efi"']),
    "wds-pending-approval": (c_wds_pending_approval, [
        'dhcp.option.type == 250 && udp.srcport == 4011',
        'dhcp.option.value contains "waiting for approval"']),
    "wds-abort": (c_wds_abort, [
        'dhcp.file == "boot\\\\x86\\\\abortpxe.com"',
        'tftp.source_file == "boot\\\\x86\\\\abortpxe.com"']),
    "wds-tftp-port-range-blocked": (c_wds_tftp_port_range_blocked, [
        'tftp.opcode == 6 && udp.srcport >= 64001 && udp.srcport <= 65000',
        'tftp.opcode == 1 && tftp.source_file == "boot\\\\x86\\\\wdsnbp.com"']),
    "wds-option66-elsewhere": (c_wds_option66_elsewhere, [
        'dhcp.option.tftp_server_name == "10.20.0.10"',
        'dhcp.option.bootfile_name == "boot\\\\x64\\\\wdsnbp.com"',
        'ip.dst == 10.20.0.10 && udp.dstport == 4011']),
    "sccm-no-policy": (c_sccm_no_policy, [
        'dhcp.file == "smsboot\\\\x64\\\\abortpxe.com" && udp.srcport == 4011',
        'tftp.source_file == "smsboot\\\\x64\\\\abortpxe.com"']),
}


def expectations():
    """expectations.tsv's rows by capture name."""
    with open(EXPECTATIONS, newline="") as f:
        rows = [r for r in csv.DictReader((line for line in f if not line.startswith("#")),
                                          delimiter="\t")]
    return {r["capture"]: r for r in rows}


def client_of(row):
    """The client a capture boots, built from its expectations row."""
    arch = ARCH_EFI_X64 if row["arch"] == "efi-x64" else ARCH_BIOS
    return Client(row["client_mac"], arch, row["client_ip"], GUIDS[row["capture"]])


def write(outdir, name, row):
    fn, intent = CAPTURES[name]
    frames = sorted(fn(client_of(row)), key=lambda x: x[0])
    path = os.path.join(outdir, name + ".pcap")
    write_pcap(path, frames)
    side = dict(row)
    side["dissection_filters"] = intent
    with open(os.path.join(outdir, name + ".expect.json"), "w") as f:
        json.dump(side, f, indent=1)
    return path


def main():
    ap = argparse.ArgumentParser(description="write crafted WDS/SCCM network-boot captures")
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--only", default="")
    ap.add_argument("--list", action="store_true")
    a = ap.parse_args()
    if a.list:
        for name, (fn, _) in CAPTURES.items():
            print(f"{name:28} {fn.__doc__.split(chr(10))[0]}")
        return 0
    if not a.outdir:
        ap.error("OUTDIR is required")
    rows = expectations()
    only = [x for x in a.only.split(",") if x]
    for x in only:
        if x not in CAPTURES:
            ap.error(f"unknown capture {x!r} (see --list)")
    missing = set(CAPTURES) - set(rows)
    if missing:
        ap.error(f"expectations.tsv has no row for {', '.join(sorted(missing))}")
    os.makedirs(a.outdir, exist_ok=True)
    for name in CAPTURES:
        if not only or name in only:
            print(write(a.outdir, name, rows[name]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
