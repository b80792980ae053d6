#!/usr/bin/env python3
# craft.py - hostile and odd network-boot captures, written byte by byte:
# the classes of input a dissector meets on real wires and in files people
# send (counters that wrap, odd names, malformed options, clocks going
# backwards, duplicated frames, several link types, floods). The fuzz run
# (fuzz-plugin.sh) uses them as seeds; tests/fuzz/test_hostile.py asserts what
# the plugin makes of each.
#
#   craft.py OUTDIR [--only NAME,...] [--scale F]   writes OUTDIR/NAME.pcap(ng)
#   craft.py --list
#
# --scale shrinks the big ones (flood, wrap) for quick runs.
# SPDX-License-Identifier: GPL-2.0-or-later
import argparse
import os
import struct
import sys

# ---- frames ----

SERVER_MAC = bytes.fromhex("525400aa0001")
SERVER_IP = "192.0.2.1"
BCAST_MAC = b"\xff" * 6


def mac(n):
    """A client MAC from a number: 52:54:00 + 24 bits."""
    return bytes([0x52, 0x54, 0x00, (n >> 16) & 0xFF, (n >> 8) & 0xFF, n & 0xFF])


def ip4(s):
    return bytes(int(x) for x in s.split("."))


def csum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack(f"!{len(data) // 2}H", data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def ipv4(src, dst, proto, payload, ident=0):
    hdr = struct.pack("!BBHHHBBH4s4s", 0x45, 0, 20 + len(payload), ident, 0, 64, proto, 0,
                      ip4(src), ip4(dst))
    hdr = hdr[:10] + struct.pack("!H", csum(hdr)) + hdr[12:]
    return hdr + payload


def udp(sport, dport, payload):
    return struct.pack("!HHHH", sport, dport, 8 + len(payload), 0) + payload


def eth(src, dst, ethertype, payload):
    return dst + src + struct.pack("!H", ethertype) + payload


def udp4(smac, dmac, sip, dip, sport, dport, payload):
    return eth(smac, dmac, 0x0800, ipv4(sip, dip, 17, udp(sport, dport, payload)))


def ipv6_udp(smac, dmac, sip, dip, sport, dport, payload):
    u = udp(sport, dport, payload)
    hdr = struct.pack("!IHBB16s16s", 6 << 28, len(u), 17, 64, sip, dip)
    return eth(smac, dmac, 0x86DD, hdr + u)


# ---- DHCP ----

def opt(code, value):
    return bytes([code, len(value)]) + value


def dhcp(op, xid, chaddr, msg_type=None, options=b"", yiaddr="0.0.0.0", siaddr="0.0.0.0",
         giaddr="0.0.0.0", ciaddr="0.0.0.0", sname=b"", file=b"", hops=0, end=True):
    body = struct.pack("!BBBBIHH4s4s4s4s16s64s128s", op, 1, 6, hops, xid, 0, 0x8000,
                       ip4(ciaddr), ip4(yiaddr), ip4(siaddr), ip4(giaddr),
                       chaddr + b"\0" * 10, sname.ljust(64, b"\0")[:64], file.ljust(128, b"\0")[:128])
    body += b"\x63\x82\x53\x63"
    if msg_type is not None:
        body += opt(53, bytes([msg_type]))
    body += options
    if end:
        body += b"\xff"
    return body


PXE_CLIENT = opt(60, b"PXEClient:Arch:00000:UNDI:002001") + opt(93, b"\0\0") + \
    opt(97, b"\0" + bytes(range(16))) + opt(94, b"\x01\x02\x01")


def discover(n, xid, options=PXE_CLIENT, **kw):
    return udp4(mac(n), BCAST_MAC, "0.0.0.0", "255.255.255.255", 68, 67,
                dhcp(1, xid, mac(n), 1, options, **kw))


def request(n, xid, addr, options=PXE_CLIENT):
    return udp4(mac(n), BCAST_MAC, "0.0.0.0", "255.255.255.255", 68, 67,
                dhcp(1, xid, mac(n), 3, options + opt(50, ip4(addr)) + opt(54, ip4(SERVER_IP))))


def reply(n, xid, msg, addr, bootfile=b"pxelinux.0", extra=b"", **kw):
    o = opt(54, ip4(SERVER_IP)) + opt(51, struct.pack("!I", 3600)) + opt(1, ip4("255.255.255.0"))
    o += opt(60, b"PXEClient") + extra
    if bootfile is not None:
        o += opt(67, bootfile)
    return udp4(SERVER_MAC, BCAST_MAC, SERVER_IP, "255.255.255.255", 67, 68,
                dhcp(2, xid, mac(n), msg, o, yiaddr=addr, siaddr=SERVER_IP, **kw))


def dora(n, t, addr, bootfile=b"pxelinux.0", xid=None):
    xid = xid if xid is not None else 0x1000 + n
    return [(t, discover(n, xid)), (t + 0.01, reply(n, xid, 2, addr, bootfile)),
            (t + 0.02, request(n, xid, addr)), (t + 0.03, reply(n, xid, 5, addr, bootfile))]


# ---- TFTP ----

def rrq(name, options=()):
    body = struct.pack("!H", 1) + name + b"\0" + b"octet\0"
    for k, v in options:
        body += k + b"\0" + v + b"\0"
    return body


def tftp_c(n, addr, cport, payload, sport=69):
    return udp4(mac(n), SERVER_MAC, addr, SERVER_IP, cport, sport, payload)


def tftp_s(n, addr, cport, sport, payload):
    return udp4(SERVER_MAC, mac(n), SERVER_IP, addr, sport, cport, payload)


def data(block, payload):
    return struct.pack("!HH", 3, block & 0xFFFF) + payload


def ack(block):
    return struct.pack("!HH", 4, block & 0xFFFF)


def error(code, msg):
    return struct.pack("!HH", 5, code) + msg + b"\0"


def transfer(n, addr, t, name, blocks, blksize=512, cport=2000, sport=40000, last_short=True):
    """RRQ, then DATA/ACK for every block; the last block is short."""
    out = [(t, tftp_c(n, addr, cport, rrq(name)))]
    for b in range(1, blocks + 1):
        size = blksize if (b < blocks or not last_short) else blksize // 2
        t += 0.0005
        out.append((t, tftp_s(n, addr, cport, sport, data(b, b"\xaa" * size))))
        t += 0.0005
        out.append((t, tftp_c(n, addr, cport, ack(b), sport)))
    return out


# ---- files ----

def write_pcap(path, frames, linktype=1):
    with open(path, "wb") as f:
        f.write(struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, linktype))
        for t, frame, *rest in frames:
            caplen = rest[0] if rest else len(frame)
            sec = int(t // 1)
            usec = int(round((t - sec) * 1e6))
            f.write(struct.pack("<IIII", sec & 0xFFFFFFFF, usec, caplen, len(frame)))
            f.write(frame[:caplen])


def write_pcapng(path, interfaces, frames, tsoffset=0):
    """interfaces: [linktype...]; frames: (time, interface, bytes); tsoffset:
    the interfaces' if_tsoffset in seconds (how pcapng dates before 1970)."""
    def block(btype, body):
        body += b"\0" * (-len(body) % 4)
        return struct.pack("<II", btype, len(body) + 12) + body + struct.pack("<I", len(body) + 12)
    with open(path, "wb") as f:
        f.write(block(0x0A0D0D0A, struct.pack("<IHHq", 0x1A2B3C4D, 1, 0, -1)))
        for lt in interfaces:
            opts = b""
            if tsoffset:
                opts = struct.pack("<HHq", 14, 8, tsoffset) + struct.pack("<HH", 0, 0)
            f.write(block(1, struct.pack("<HHI", lt, 0, 262144) + opts))
        for t, iface, frame in frames:
            ts = int((t - tsoffset) * 1e6)
            f.write(block(6, struct.pack("<IIIII", iface, ts >> 32, ts & 0xFFFFFFFF, len(frame),
                                         len(frame)) + frame))


# ---- the classes ----

def boot_ok(n, t, addr, name=b"pxelinux.0", blocks=4):
    return dora(n, t, addr, name) + transfer(n, addr, t + 1, name, blocks)


def c_block_wrap(scale):
    """A transfer past block 65535 with blksize 8: the block number wraps to 0."""
    blocks = max(300, int(70000 * scale))
    n, addr = 1, "192.0.2.101"
    fr = dora(n, 0.0, addr, b"big.img")
    fr.append((1.0, tftp_c(n, addr, 2000, rrq(b"big.img", [(b"blksize", b"8")]))))
    fr.append((1.001, tftp_s(n, addr, 2000, 40000, struct.pack("!H", 6) + b"blksize\x008\0")))
    fr.append((1.002, tftp_c(n, addr, 2000, ack(0), 40000)))
    t = 1.002
    for b in range(1, blocks + 1):
        t += 0.00001
        fr.append((t, tftp_s(n, addr, 2000, 40000, data(b, b"x" * (8 if b < blocks else 3)))))
        fr.append((t, tftp_c(n, addr, 2000, ack(b), 40000)))
    return fr


def c_odd_names(scale):
    """File names: huge, not UTF-8, control characters, empty, no terminator."""
    fr = dora(2, 0.0, "192.0.2.102", b"A" * 127)
    names = [b"A" * 1400, b"\xff\xfe\x80bad\x01\x02", b"", b"pxelinux.cfg/\x1b[31mred", b"../../etc/passwd"]
    t = 1.0
    for i, nm in enumerate(names):
        fr.append((t, tftp_c(2, "192.0.2.102", 2000 + i, rrq(nm))))
        fr.append((t + 0.01, tftp_s(2, "192.0.2.102", 2000 + i, 41000 + i, error(1, b"not found"))))
        t += 1
    # an RRQ whose strings are not terminated
    fr.append((t, tftp_c(2, "192.0.2.102", 2100, struct.pack("!H", 1) + b"no-terminator")))
    return fr


def c_options(scale):
    """DHCP options: overload (52) into file and sname, zero-length and overlong
    options, no end option, pad runs, option 67 of length 0, a huge vendor class."""
    n, addr = 3, "192.0.2.103"
    fr = [(0.0, discover(n, 0x3001, PXE_CLIENT + opt(12, b"") + b"\0" * 40))]
    over = opt(52, b"\x03")
    fr.append((0.01, udp4(SERVER_MAC, BCAST_MAC, SERVER_IP, "255.255.255.255", 67, 68,
                          dhcp(2, 0x3001, mac(n), 2, opt(54, ip4(SERVER_IP)) + over + opt(60, b"PXEClient"),
                               yiaddr=addr, siaddr=SERVER_IP,
                               file=opt(67, b"overloaded.0") + b"\xff",
                               sname=opt(66, b"192.0.2.1") + b"\xff"))))
    fr.append((0.02, request(n, 0x3001, addr)))
    # ACK whose last option claims more bytes than the packet has
    body = dhcp(2, 0x3001, mac(n), 5, opt(54, ip4(SERVER_IP)) + opt(60, b"PXEClient") + b"\x43\xf0abc",
                yiaddr=addr, siaddr=SERVER_IP, end=False)
    fr.append((0.03, udp4(SERVER_MAC, BCAST_MAC, SERVER_IP, "255.255.255.255", 67, 68, body)))
    # option 67 empty, vendor class 255 bytes, option 93 of length 1
    fr.append((1.0, discover(4, 0x4001, opt(60, b"P" * 255) + opt(93, b"\x07"))))
    fr.append((1.01, reply(4, 0x4001, 2, "192.0.2.104", b"")))
    # a DHCP packet cut inside the fixed header, and one with no magic cookie
    fr.append((1.1, udp4(mac(5), BCAST_MAC, "0.0.0.0", "255.255.255.255", 68, 67, b"\x01\x01\x06")))
    fr.append((1.2, udp4(mac(5), BCAST_MAC, "0.0.0.0", "255.255.255.255", 68, 67,
                         dhcp(1, 0x5001, mac(5), None, b"")[:236])))
    return fr


def c_reused_xid(scale):
    """Two clients with the same xid at the same time."""
    a = dora(6, 0.0, "192.0.2.106", xid=0xABCD)
    b = dora(7, 0.005, "192.0.2.107", xid=0xABCD)
    return sorted(a + b, key=lambda x: x[0]) + transfer(6, "192.0.2.106", 1, b"pxelinux.0", 3)


def c_time_backwards(scale):
    """Timestamps that go backwards inside one boot (a badly merged capture)."""
    fr = boot_ok(8, 100.0, "192.0.2.108")
    return [(t if i % 3 else t - 50.0, f) for i, (t, f) in enumerate(fr)]


def c_before_1970(scale):
    """A boot dated before 1970 (negative times): pcapng can hold them."""
    frames = [(t - 1e6, 0, f) for t, f in boot_ok(9, 0.0, "192.0.2.109")]
    return frames


def c_address_change(scale):
    """The client's address changes between the ACK and the TFTP transfer."""
    return dora(10, 0.0, "192.0.2.110") + transfer(10, "192.0.2.210", 1.0, b"pxelinux.0", 3)


def c_relayed(scale):
    """DHCP relayed: giaddr and option 82 set, hops 1, unicast to the relay."""
    n, addr, relay = 11, "198.51.100.11", "198.51.100.1"
    o82 = opt(82, opt(1, b"eth0/1") + opt(2, b"rack7"))
    fr = [(0.0, udp4(mac(99), SERVER_MAC, relay, SERVER_IP, 67, 67,
                     dhcp(1, 0x1111, mac(n), 1, PXE_CLIENT + o82, giaddr=relay, hops=1))),
          (0.01, udp4(SERVER_MAC, mac(99), SERVER_IP, relay, 67, 67,
                      dhcp(2, 0x1111, mac(n), 2, opt(54, ip4(SERVER_IP)) + opt(67, b"pxelinux.0") + o82,
                           yiaddr=addr, siaddr=SERVER_IP, giaddr=relay, hops=1)))]
    return fr + transfer(n, addr, 1.0, b"pxelinux.0", 3)


def c_duplicates(scale):
    """Every frame captured twice (a bridge and its member port)."""
    out = []
    for t, f in boot_ok(12, 0.0, "192.0.2.112"):
        out += [(t, f), (t + 0.000001, f)]
    return out


def c_nonascii_error(scale):
    """A TFTP ERROR whose message is not printable ASCII (Latin-1, control bytes)."""
    n, addr = 13, "192.0.2.113"
    return dora(n, 0.0, addr) + [
        (1.0, tftp_c(n, addr, 2000, rrq(b"pxelinux.0"))),
        (1.01, tftp_s(n, addr, 2000, 40000, error(1, b"Fichier introuvable \xe9\x01\x02")))]


def c_tftp_only(scale):
    """TFTP without any DHCP: a size probe then the real read, as a PXE ROM does."""
    n, addr = 14, "192.0.2.114"
    fr = [(0.0, tftp_c(n, addr, 2000, rrq(b"boot/loader.0", [(b"tsize", b"0")]))),
          (0.01, tftp_s(n, addr, 2000, 40000, struct.pack("!H", 6) + b"tsize\x001800\0")),
          (0.02, tftp_c(n, addr, 2000, error(0, b"abort"), 40000))]
    return fr + transfer(n, addr, 0.1, b"boot/loader.0", 4, cport=2001, sport=40001)


def c_flood(scale):
    """Distinct MACs sending one DISCOVER each."""
    count = max(500, int(5000 * scale))
    return [(i * 0.0001, discover(0x100000 + i, i)) for i in range(count)]


def c_truncated(scale):
    """Frames captured with a short snap length (caplen < length)."""
    fr = boot_ok(15, 0.0, "192.0.2.115")
    return [(t, f, min(len(f), 60 + (i * 37) % 300)) for i, (t, f) in enumerate(fr)]


def c_dhcpv6(scale):
    """DHCPv6 SOLICIT/ADVERTISE with a boot file URL (59) and arch (61),
    and one with an option length past the end."""
    cm = mac(16)
    cll = bytes.fromhex("fe80000000000000") + bytes([cm[0] ^ 2]) + cm[1:3] + b"\xff\xfe" + cm[3:]
    sll = bytes.fromhex("fe800000000000005054fffe00aa0001")
    mc = bytes.fromhex("ff020000000000000000000000010002")
    duid = struct.pack("!HH", 3, 1) + cm

    def o6(code, val):
        return struct.pack("!HH", code, len(val)) + val
    sol = b"\x01\x00\x12\x34" + o6(1, duid) + o6(61, b"\x00\x07") + o6(16, b"\0\0\x01\x37\x00\x09PXEClient")
    adv = b"\x02\x00\x12\x34" + o6(1, duid) + o6(59, b"tftp://[2001:db8::1]/bootx64.efi")
    bad = b"\x01\x00\x55\x55" + struct.pack("!HH", 1, 4000) + b"short"
    return [(0.0, ipv6_udp(cm, bytes.fromhex("333300010002"), cll, mc, 546, 547, sol)),
            (0.01, ipv6_udp(SERVER_MAC, cm, sll, cll, 547, 546, adv)),
            (0.02, ipv6_udp(cm, bytes.fromhex("333300010002"), cll, mc, 546, 547, bad))]


def c_link_types(scale):
    """One pcapng with three interfaces: Ethernet, Linux cooked (SLL) and raw IP."""
    frames = []
    for t, f in boot_ok(17, 0.0, "192.0.2.117"):
        frames.append((t, 0, f))
    for t, f in boot_ok(18, 5.0, "192.0.2.118"):
        sll = struct.pack("!HHH", 0, 1, 6) + f[6:12] + b"\0\0" + f[12:14]
        frames.append((t, 1, sll + f[14:]))
    for t, f in boot_ok(19, 10.0, "192.0.2.119"):
        frames.append((t, 2, f[14:]))
    return frames


# ---- benchmark inputs (tests/bench/hostile-bench.sh): N is --count ----

def b_flood(n):
    """N distinct MACs sending one DISCOVER each (a flood)."""
    return [(i * 0.0001, discover(0x100000 + i, i)) for i in range(n)]


def b_attempts(n):
    """One client, N boot attempts: DHCP, the boot file refused, again."""
    fr, t, addr = [], 0.0, "192.0.2.50"
    for i in range(n):
        fr += dora(50, t, addr, xid=0x50000000 + i)
        fr.append((t + 0.5, tftp_c(50, addr, 2000 + i % 60000, rrq(b"pxelinux.0"))))
        fr.append((t + 0.51, tftp_s(50, addr, 2000 + i % 60000, 40000, error(1, b"not found"))))
        t += 1.0
    return fr


def b_files(n):
    """One client fetching N distinct files, each a one-block transfer."""
    addr = "192.0.2.51"
    fr = boot_ok(51, 0.0, addr)
    t = 2.0
    for i in range(n):
        port = 1024 + i % 60000
        name = b"files/f%07d.bin" % i
        fr.append((t, tftp_c(51, addr, port, rrq(name))))
        fr.append((t + 0.0002, tftp_s(51, addr, port, 40000, data(1, b"z" * 100))))
        fr.append((t + 0.0004, tftp_c(51, addr, port, ack(1), 40000)))
        t += 0.001
    return fr


def b_diags(n):
    """One client whose boot program asks for N distinct missing files: N
    distinct diagnoses (the -z expert case)."""
    addr = "192.0.2.52"
    fr = boot_ok(52, 0.0, addr)
    t = 2.0
    for i in range(n):
        port = 1024 + i % 60000
        fr.append((t, tftp_c(52, addr, port, rrq(b"missing/m%07d.c32" % i))))
        fr.append((t + 0.0002, tftp_s(52, addr, port, 40000, error(1, b"File not found"))))
        t += 0.001
    return fr


BENCH = {"flood": b_flood, "attempts": b_attempts, "files": b_files, "diags": b_diags}


CLASSES = {
    "block-wrap": (c_block_wrap, "pcap"),
    "odd-names": (c_odd_names, "pcap"),
    "options": (c_options, "pcap"),
    "reused-xid": (c_reused_xid, "pcap"),
    "time-backwards": (c_time_backwards, "pcap"),
    "before-1970": (c_before_1970, "pcapng"),
    "address-change": (c_address_change, "pcap"),
    "relayed": (c_relayed, "pcap"),
    "duplicates": (c_duplicates, "pcap"),
    "nonascii-error": (c_nonascii_error, "pcap"),
    "tftp-only": (c_tftp_only, "pcap"),
    "flood": (c_flood, "pcap"),
    "truncated": (c_truncated, "pcap"),
    "dhcpv6": (c_dhcpv6, "pcap"),
    "link-types": (c_link_types, "pcapng-multi"),
}


def main():
    ap = argparse.ArgumentParser(description="write hostile network-boot captures")
    ap.add_argument("outdir", nargs="?")
    ap.add_argument("--only", default="")
    ap.add_argument("--scale", type=float, default=1.0)
    ap.add_argument("--list", action="store_true")
    ap.add_argument("--bench", choices=sorted(BENCH), help="write one benchmark input instead")
    ap.add_argument("--count", type=int, default=1000, help="N of --bench")
    a = ap.parse_args()
    if a.bench:
        if not a.outdir:
            ap.error("OUTDIR is required")
        os.makedirs(a.outdir, exist_ok=True)
        path = os.path.join(a.outdir, f"bench-{a.bench}-{a.count}.pcap")
        write_pcap(path, BENCH[a.bench](a.count))
        print(path)
        return 0
    if a.list:
        for name, (fn, _) in CLASSES.items():
            print(f"{name:16} {fn.__doc__.split(chr(10))[0]}")
        return 0
    if not a.outdir:
        ap.error("OUTDIR is required")
    os.makedirs(a.outdir, exist_ok=True)
    only = [x for x in a.only.split(",") if x]
    for x in only:
        if x not in CLASSES:
            ap.error(f"unknown class {x!r} (see --list)")
    for name, (fn, kind) in CLASSES.items():
        if only and name not in only:
            continue
        frames = fn(a.scale)
        if kind == "pcap":
            path = os.path.join(a.outdir, name + ".pcap")
            write_pcap(path, frames)
        elif kind == "pcapng":
            path = os.path.join(a.outdir, name + ".pcapng")
            write_pcapng(path, [1], frames, tsoffset=-2000000)
        else:
            path = os.path.join(a.outdir, name + ".pcapng")
            write_pcapng(path, [1, 113, 101], frames)
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
