# test_json.py - pxe-report's JSON joins with other logs, on the lab's own
# captures (samples/captures): per attempt the xid, times, client identity
# (vendor/user class, UUID, host name), requested/assigned address and lease
# equal what tshark's own DHCP dissector shows on that attempt's frames (the
# attempts as the plugin numbers them, pxe.attempt); the uid follows its
# documented scheme, is the same on every run and differs per attempt;
# --follow's JSON lines say "update" or "final", one final line per client;
# tshark output without the pxe.dhcp.* columns still reads.  relay-bios-ok
# is a relayed boot recorded on both segments (every DHCP message twice, the
# relay's copy with giaddr); the lab has no host name or FQDN: a boot written
# byte by byte has them.
# Skips (exit 77) while the captures are not there.
# SPDX-License-Identifier: GPL-2.0-or-later
import datetime
import hashlib
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import unittest
from decimal import Decimal

from reporttest import (sample, AS_USER, PLUGIN_DIR, SAMPLES, SOURCE_DIR, main, pipeline, report, run,
                        tshark_command)

sys.path.insert(0, os.path.join(SOURCE_DIR, "tests", "fuzz"))
import craft  # noqa: E402  (the byte-by-byte capture writer of the fuzz seeds)

CAPTURES = ("uefi-ipxe-chain-ok.pcapng", "multi-client.pcapng", "bios-pxelinux-ok.pcapng",
            "bios-proxy-only.pcapng", "relay-bios-ok.pcapng")
ISO_RE = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
UID_RE = re.compile(r"^P[0-9a-f]{16}$")
# a time rounded to the microsecond from pxe-report's double: half a
# microsecond, plus the double's own error near 2**31 s (0.12 us) for
# nanosecond captures
US_ROUNDED = Decimal("0.00000062")
# tshark's names for what pxe-report reports (Wireshark 4.0)
DHCP_FIELDS = ("frame.number", "frame.time_epoch", "pxe.client", "pxe.attempt", "dhcp.type",
               "dhcp.option.dhcp", "dhcp.id", "dhcp.option.hostname", "dhcp.fqdn.name",
               "dhcp.option.vendor_class_id", "dhcp.option.user_class.text",
               "dhcp.client_id.uuid", "dhcp.option.requested_ip_address", "dhcp.ip.your",
               "dhcp.option.ip_address_lease_time", "dhcp.ip.relay")



def tshark_rows(cap):
    """Every frame with a pxe tree: tshark's fields, first occurrence of each."""
    cmd = [AS_USER, PLUGIN_DIR, "tshark", "-r", cap, "-n", "-Y", "pxe", "-T", "fields",
           "-E", "occurrence=f"]
    for f in DHCP_FIELDS:
        cmd += ["-e", f]
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    assert p.returncode == 0, p.stderr
    return [dict(zip(DHCP_FIELDS, line.split("\t"))) for line in p.stdout.splitlines()]


def iso_epoch(iso):
    """Seconds since the epoch of "2026-12-01T18:15:26.123456Z", exactly."""
    day, frac = iso[:-1].split(".")
    t = datetime.datetime.strptime(day, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc)
    return Decimal(int(t.timestamp())) + Decimal("0." + frac)


def attempts_of(doc):
    return {(c["mac"], a["attempt"]): a for c in doc["clients"] for a in c["attempts"]}


def by_attempt(rows):
    """tshark rows per (client, attempt), in frame order."""
    out = {}
    for r in rows:
        if not r["pxe.client"]:
            continue   # a frame that only decides (time went by)
        out.setdefault((r["pxe.client"], int(r["pxe.attempt"])), []).append(r)
    return out


def first(rows, field, pred=lambda r: True):
    return next((r[field] for r in rows if r[field] and pred(r)), None)


def last(rows, field, pred=lambda r: True):
    return first(list(reversed(rows)), field, pred)


def client_msg(r):
    return r["dhcp.type"] == "1"


def ack(r):
    return r["dhcp.option.dhcp"] == "5"


class JoinFields(unittest.TestCase):
    """What the JSON says of each attempt is what tshark's DHCP dissector shows."""

    def check_capture(self, name):
        cap = sample(name)
        _, doc = report([cap])
        got = attempts_of(doc)
        all_rows = tshark_rows(cap)
        time_of = {int(r["frame.number"]): Decimal(r["frame.time_epoch"]) for r in all_rows}
        want = by_attempt(all_rows)
        self.assertEqual(set(got), set(want))
        for key, rows in want.items():
            a = got[key]
            dhcp = [r for r in rows if r["dhcp.id"]]
            with self.subTest(capture=name, client=key[0], attempt=key[1]):
                # the attempt's first DHCP message's xid, as tshark prints dhcp.id
                self.assertEqual(a["xid"], dhcp[0]["dhcp.id"] if dhcp else None)
                # times: the first and last frame, to the microsecond
                for member, row in (("ts", rows[0]), ("last", rows[-1])):
                    iso = a["ts_iso" if member == "ts" else "last_iso"]
                    self.assertRegex(iso, ISO_RE)
                    epoch = Decimal(row["frame.time_epoch"])
                    self.assertLessEqual(abs(iso_epoch(iso) - epoch), US_ROUNDED)
                    num = a["ts" if member == "ts" else "last_ts"]
                    self.assertLess(abs(Decimal(repr(num)) - epoch), Decimal("0.000001"))
                # the client's identity as it first gave it, names as last given
                self.assertEqual(a["vendor_class"],
                                 first(dhcp, "dhcp.option.vendor_class_id", client_msg))
                self.assertEqual(a["user_class"],
                                 first(dhcp, "dhcp.option.user_class.text", client_msg))
                self.assertEqual(a["uuid"], first(dhcp, "dhcp.client_id.uuid", client_msg))
                self.assertEqual(a["host_name"], last(dhcp, "dhcp.option.hostname", client_msg))
                self.assertEqual(a["client_fqdn"], last(dhcp, "dhcp.fqdn.name", client_msg))
                self.assertEqual(a["requested_addr"],
                                 last(dhcp, "dhcp.option.requested_ip_address", client_msg))
                yi = last(dhcp, "dhcp.ip.your", lambda r: ack(r) and r["dhcp.ip.your"] != "0.0.0.0")
                self.assertEqual(a["assigned_addr"], yi)
                lease = last(dhcp, "dhcp.option.ip_address_lease_time",
                             lambda r: not client_msg(r))
                self.assertEqual(a["lease_time"], int(lease) if lease else None)
                relay = last(dhcp, "dhcp.ip.relay", lambda r: r["dhcp.ip.relay"] != "0.0.0.0")
                self.assertEqual(a["relay"], relay)
                # the deciding frame's time
                if "decided_frame" in a:
                    self.assertRegex(a["decided_iso"], ISO_RE)
                    self.assertLessEqual(abs(iso_epoch(a["decided_iso"]) - time_of[a["decided_frame"]]),
                                         US_ROUNDED)
                else:
                    self.assertIsNone(a["decided_iso"])
        return doc

    def test_lab_captures(self):
        seen = {"uuid": 0, "user_class": 0, "lease_time": 0, "assigned_addr": 0, "relay": 0}
        for name in CAPTURES:
            doc = self.check_capture(name)
            for a in attempts_of(doc).values():
                for k in seen:
                    seen[k] += a[k] is not None
        # the captures hold these: the comparison above compared something
        self.assertTrue(all(seen.values()), seen)

    def test_client_object(self):
        cap = sample("multi-client.pcapng")
        _, doc = report([cap])
        for c in doc["clients"]:
            with self.subTest(client=c["mac"]):
                last_attempt = c["attempts"][-1]
                self.assertEqual(c["capture"], cap)
                self.assertEqual(c["uid"], last_attempt["uid"])
                self.assertEqual(c["xid"], last_attempt["xid"])
                self.assertEqual(c["ts_iso"], c["attempts"][0]["ts_iso"])
                self.assertEqual(c["last_iso"], last_attempt["last_iso"])
                if c["outcome"] != "incomplete":
                    self.assertIn(c["decided_iso"], [a["decided_iso"] for a in c["attempts"]])
                for f in c["files"]:
                    self.assertRegex(f["ts_iso"], ISO_RE)
                    self.assertLessEqual(iso_epoch(f["ts_iso"]), iso_epoch(f["last_iso"]))


class Crafted(unittest.TestCase):
    """A relayed boot whose client names itself: what the lab lacks."""

    RELAY = "192.0.2.254"

    def capture(self, path):
        n, xid = 7, 0x1a2b3c4d
        ident = (craft.opt(60, b"PXEClient:Arch:00000:UNDI:002001") + craft.opt(93, b"\0\0") +
                 craft.opt(97, b"\0" + bytes(range(16))) +
                 craft.opt(77, b"\x03lab\x03pxe") +                        # RFC 3004
                 craft.opt(81, b"\x04\0\0\x02pc\x03lab\0"))             # DNS wire form
        client = dict(smac=craft.mac(n), dmac=craft.BCAST_MAC, sip="0.0.0.0",
                      dip="255.255.255.255", sport=68, dport=67)
        server = dict(smac=craft.SERVER_MAC, dmac=craft.BCAST_MAC, sip=craft.SERVER_IP,
                      dip="255.255.255.255", sport=67, dport=68)

        def reply(msg, lease, extra=b""):
            o = (craft.opt(54, craft.ip4(craft.SERVER_IP)) + craft.opt(51, struct.pack("!I", lease)) +
                 craft.opt(60, b"PXEClient") + craft.opt(12, b"server-says") + extra)
            return craft.udp4(**server, payload=craft.dhcp(2, xid, craft.mac(n), msg, o,
                                                           yiaddr="192.0.2.50",
                                                           siaddr=craft.SERVER_IP, giaddr=self.RELAY))
        discover = craft.dhcp(1, xid, craft.mac(n), 1, ident + craft.opt(12, b"lab|pc"),
                              giaddr=self.RELAY, hops=1)
        request = craft.dhcp(1, xid, craft.mac(n), 3, ident + craft.opt(12, b"lab-pc2") +
                             craft.opt(50, craft.ip4("192.0.2.50")) +
                             craft.opt(54, craft.ip4(craft.SERVER_IP)), giaddr=self.RELAY, hops=1)
        t = 1796000000.25
        craft.write_pcap(path, [(t, craft.udp4(**client, payload=discover)),
                                (t + 0.01, reply(2, 3600, craft.opt(67, b"pxelinux.0"))),
                                (t + 0.02, craft.udp4(**client, payload=request)),
                                (t + 0.03, reply(5, 7200, craft.opt(67, b"pxelinux.0")))])

    def test_relayed_named_boot(self):
        tmp = tempfile.mkdtemp()
        self.addCleanup(shutil.rmtree, tmp)
        os.chmod(tmp, 0o755)   # read by the unprivileged user
        cap = os.path.join(tmp, "relayed.pcap")
        self.capture(cap)
        os.chmod(cap, 0o644)
        _, doc = report([cap])
        [c] = doc["clients"]
        [a] = c["attempts"]
        want = {"xid": "0x1a2b3c4d", "host_name": "lab-pc2", "client_fqdn": "pc.lab",
                "vendor_class": "PXEClient:Arch:00000:UNDI:002001", "user_class": "lab,pxe",
                "uuid": "03020100-0504-0706-0809-0a0b0c0d0e0f", "relay": self.RELAY,
                "requested_addr": "192.0.2.50", "assigned_addr": "192.0.2.50", "lease_time": 7200,
                "ts_iso": "2026-11-30T00:53:20.250000Z"}
        for obj in (a, c):
            self.assertEqual({k: obj[k] for k in want}, want)
        # the plugin's fields per frame: the client's words on client
        # messages only ('|' made a space), the lease on replies only
        cmd = [AS_USER, PLUGIN_DIR, "tshark", "-r", cap, "-T", "fields", "-e", "pxe.dhcp.xid",
               "-e", "pxe.dhcp.host_name", "-e", "pxe.dhcp.lease_time", "-e", "pxe.dhcp.assigned_addr",
               "-e", "pxe.dhcp.relay", "-e", "pxe.dhcp.uuid"]
        p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        uuid = want["uuid"]
        self.assertEqual([line.split("\t") for line in p.stdout.splitlines()],
                         [["0x1a2b3c4d", "lab pc", "", "", self.RELAY, uuid],
                          ["0x1a2b3c4d", "", "3600", "", self.RELAY, ""],
                          ["0x1a2b3c4d", "lab-pc2", "", "", self.RELAY, uuid],
                          ["0x1a2b3c4d", "", "7200", "192.0.2.50", self.RELAY, ""]])


class Uid(unittest.TestCase):
    def test_stable_distinct_documented(self):
        cap = sample("multi-client.pcapng")
        runs = [attempts_of(report([cap])[1]) for _ in range(2)]
        uids = {k: a["uid"] for k, a in runs[0].items()}
        self.assertEqual(uids, {k: a["uid"] for k, a in runs[1].items()})
        self.assertGreater(len(uids), len({mac for mac, _ in uids}), "want a client with 2 attempts")
        self.assertEqual(len(set(uids.values())), len(uids))
        rows = by_attempt(tshark_rows(cap))
        for (mac, n), uid in uids.items():
            self.assertRegex(uid, UID_RE)
            first_time = Decimal(rows[(mac, n)][0]["frame.time_epoch"]).quantize(Decimal("0.000001"))
            key = f"{mac}\t{n}\t{first_time}".encode()
            self.assertEqual(uid, "P" + hashlib.sha256(key).hexdigest()[:16])

    def test_pipe_gives_the_same_uids(self):
        cap = sample("uefi-ipxe-chain-ok.pcapng")
        direct = attempts_of(report([cap])[1])
        p = pipeline(cap, "--format", "json")
        piped = attempts_of(json.loads(p.stdout))
        self.assertEqual({k: a["uid"] for k, a in piped.items()},
                         {k: a["uid"] for k, a in direct.items()})


class Follow(unittest.TestCase):
    def test_events(self):
        cap = sample("multi-client.pcapng")
        _, doc = report([cap])
        p = pipeline(cap, "--follow", "--format", "jsonl")
        lines = [json.loads(line) for line in p.stdout.splitlines()]
        events = [d["event"] for d in lines]
        self.assertLessEqual(set(events), {"update", "final"})
        self.assertIn("update", events)
        # the final lines come last, one per client, and say what the document says
        n_final = events.count("final")
        self.assertEqual(events[-n_final:], ["final"] * n_final)
        finals = [d for d in lines if d["event"] == "final"]
        self.assertEqual(sorted(d["mac"] for d in finals), sorted(c["mac"] for c in doc["clients"]))
        for d in finals:
            want = next(c for c in doc["clients"] if c["mac"] == d["mac"])
            self.assertEqual((d["outcome"], d["uid"]), (want["outcome"], want["uid"]))
        # without --follow every line is final
        p = pipeline(cap, "--format", "jsonl")
        self.assertEqual({json.loads(line)["event"] for line in p.stdout.splitlines()}, {"final"})


class OlderTshark(unittest.TestCase):
    def test_without_dhcp_columns(self):
        """Output of a command line from before pxe.dhcp.* still reads."""
        cap = sample("uefi-ipxe-chain-ok.pcapng")
        cmd = re.sub(r" -e pxe\.dhcp\.\w+", "", tshark_command(cap))
        self.assertNotIn("pxe.dhcp.", cmd)
        t = subprocess.run([AS_USER, PLUGIN_DIR, "sh", "-c", cmd], capture_output=True, text=True,
                           timeout=600)
        self.assertEqual(t.returncode, 0, t.stderr)
        p = run(["--format", "json", "-"], stdin=t.stdout, as_user=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        [c] = json.loads(p.stdout)["clients"]
        self.assertEqual(c["outcome"], "ok")
        self.assertIsNone(c["xid"])
        self.assertRegex(c["ts_iso"], ISO_RE)


if __name__ == "__main__":
    main(requires=SAMPLES)
