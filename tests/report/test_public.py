# test_public.py - pxe-report end to end on the public captures in
# ../shared/captures: the real pxe-report runs the real tshark with the
# built plugin, as an unprivileged user.  Verdicts were checked against each
# capture's description in SOURCES.txt and the frames themselves.
# Skips (exit 77) when ../shared/captures is not beside the checkout.
# SPDX-License-Identifier: GPL-2.0-or-later
import csv
import glob
import io
import json
import os
import unittest

from reporttest import (PLUGIN_DIR, SHARED, client, codes, main, pipeline, report, run, shared)

RS = "Qubasa+rs_pxe/"
PIXIE = RS + "uefi_tftp_pixiecore.pcapng"
BZ387 = "tianocore+user-attachments/BZ-387-PXE-UEFI.pcapng"
CRASH = RS + "crash_in_dhcp_request.pcapng"
NO_PXE = "arkime+arkime/wireshark-dhcp.pcap"


VERDICTS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "public-verdicts.tsv")


def public_verdicts():
    with open(VERDICTS, newline="") as f:
        rows = csv.DictReader((l for l in f if not l.startswith("#")), delimiter="\t")
        return list(rows)


class PublicVerdicts(unittest.TestCase):
    """Every public capture: its clients' verdicts as public-verdicts.tsv says."""

    def test_table_covers_every_capture(self):
        listed = {r["capture"] for r in public_verdicts()}
        present = set()
        for ext in ("pcap", "pcapng", "cap"):
            present |= {os.path.relpath(p, SHARED)
                        for p in glob.glob(os.path.join(SHARED, "**", "*." + ext), recursive=True)}
        self.assertEqual(present - listed, set(), "captures without a checked verdict")

    def test_verdicts(self):
        by_capture = {}
        for r in public_verdicts():
            by_capture.setdefault(r["capture"], []).append(r)
        for cap, rows in sorted(by_capture.items()):
            with self.subTest(capture=cap):
                _, doc = report([shared(cap)])
                got = {c["mac"]: c for c in doc["clients"]}
                want = {r["mac"]: r for r in rows if r["mac"] != "-"}
                self.assertEqual(set(got), set(want))
                for mac, r in want.items():
                    c = got[mac]
                    self.assertEqual(c["outcome"], r["outcome"], mac)
                    self.assertEqual(c["stage"], r["stage"], mac)
                    self.assertEqual(len(c["attempts"]), int(r["attempts"]), mac)
                    serious = {d["code"] for a in c["attempts"] for d in a["diagnoses"]
                               if d["severity"] in ("warning", "error")}
                    self.assertEqual(serious, set(r["codes"].split(",")) - {"-"}, mac)


class Verdicts(unittest.TestCase):
    def test_pixiecore_ran_but_capture_ends_first(self):
        # Attempt 1: the router's offers carry no boot file and the proxyDHCP
        # offer comes too late: PXE-E53.  Attempt 2: the NBP (iPXE, named by
        # pixiecore after the client's MAC) arrives complete after a size
        # probe, and iPXE runs: its own DHCP (phase 2) - but the capture ends
        # at iPXE's REQUEST, before any ACK and before iPXE fetches its
        # script over HTTP.  So the boot is undecided: incomplete.
        status, doc = report([shared(PIXIE)])
        self.assertEqual(status, 1)
        c = client(doc, "a8:a1:59:b7:4c:3b")
        self.assertEqual(c["outcome"], "incomplete")
        self.assertEqual(c["attempt"], 2)
        self.assertEqual((c["firmware"], c["arch"], c["arch_code"]), ("UEFI PXE", "EFI x64", 7))
        a1, a2 = c["attempts"]
        self.assertEqual(a1["outcome"], "failed")
        self.assertEqual(codes(c, 1), {"PXE-E53"})
        self.assertEqual(a2["outcome"], "incomplete")
        self.assertEqual(a2["stage"], "tftp-ack")
        self.assertEqual(a2["phases"], 2)
        self.assertEqual(codes(c, 2), {"tsize-probe", "second-stage-dhcp"})
        self.assertEqual(a2["size_probes"], 1)
        self.assertEqual(len(a2["files"]), 1)
        nbp = a2["files"][0]
        self.assertEqual((nbp["name"], nbp["bytes"], nbp["tsize"], nbp["complete"], nbp["nbp"]),
                         ("a8:a1:59:b7:4c:3b/2", 935264, 935264, True, True))
        self.assertAlmostEqual(a2["timings"]["nbp_transfer"], 0.0914, places=3)
        self.assertIn("192.168.178.97", c["servers"]["dhcp"])
        self.assertEqual(a2["servers"]["tftp"], ["192.168.178.97"])
        self.assertEqual(c["address"], "192.168.178.84")

    def test_bz387_proxy_never_answers(self):
        status, doc = report([shared(BZ387)])
        self.assertEqual(status, 1)
        self.assertEqual(len(doc["clients"]), 1)
        c = client(doc, "52:54:00:83:ec:bc")
        self.assertEqual((c["outcome"], c["stage"]), ("failed", "proxy-request"))
        [d] = c["diagnoses"]
        self.assertEqual((d["code"], d["severity"], d["frames"]), ("PXE-E55", "error", [5, 8]))
        self.assertTrue(d["summary"].startswith("PXE-E55: 4 request(s) to proxyDHCP 192.168.122.250"))
        self.assertEqual(c["address"], "192.168.122.63")
        self.assertEqual(c["bootfile"], "ipxe/ipxe-x86-64.efi")
        self.assertEqual(doc["summary"], {"clients": 1, "ok": 0, "failed": 1, "incomplete": 0,
                                          "untracked_frames": 0, "files_not_kept": 0,
                                          "diagnoses_not_kept": 0})

    def test_crash_e55_then_restart(self):
        # the proxy crashed: one REQUEST to 4011, no reply, the ROM starts
        # over; PXE-E55 is proven on the new DISCOVER (frame 13) but belongs
        # to attempt 1; attempt 2 is cut off after two offers
        status, doc = report([shared(CRASH)])
        self.assertEqual(status, 1)
        c = client(doc, "00:01:2e:91:f7:fe")
        # the retry was cut off before an address: the client stays failed
        self.assertEqual(c["outcome"], "failed")
        self.assertEqual([a["outcome"] for a in c["attempts"]], ["failed", "incomplete"])
        self.assertEqual(c["attempts"][0]["stage"], "proxy-request")
        self.assertEqual(codes(c, 1), {"PXE-E55"})
        self.assertEqual(codes(c, 2), set())
        e55 = [d for d in c["diagnoses"] if d["code"] == "PXE-E55"][0]
        self.assertEqual(e55["frames"], [11, 13])

    def test_no_pxe_clients(self):
        status, doc = report([shared(NO_PXE)])
        self.assertEqual(status, 3)
        self.assertEqual(doc["clients"], [])
        p = run(["--plugin-dir", PLUGIN_DIR, shared(NO_PXE)])
        self.assertEqual(p.returncode, 3)
        self.assertEqual(p.stdout, "")
        self.assertIn("no PXE clients found", p.stderr)

    def test_chainload_loop_and_server_abort(self):
        _, doc = report([shared(RS + "history-6dc9d6b4/ipxe_corrupted_packet.pcapng")])
        c = client(doc, "00:01:2e:91:f7:fe")
        self.assertEqual(c["outcome"], "failed")
        self.assertLessEqual({"chainload-loop", "PXE-E36", "tsize-probe"}, codes(c))

    def test_several_captures(self):
        status, doc = report([shared(BZ387), shared(CRASH)])
        self.assertEqual(status, 1)
        self.assertEqual([c["capture"] for c in doc["clients"]], [shared(BZ387), shared(CRASH)])
        self.assertEqual(doc["summary"]["clients"], 2)

    def test_client_filter(self):
        status, doc = report([shared(BZ387), shared(PIXIE)], "--client", "A8-A1-59-B7-4C-3B")
        self.assertEqual([c["mac"] for c in doc["clients"]], ["a8:a1:59:b7:4c:3b"])
        p = run(["--plugin-dir", PLUGIN_DIR, "--client", "00:00:00:00:00:01", shared(BZ387)])
        self.assertEqual(p.returncode, 3)
        self.assertIn("client 00:00:00:00:00:01 not found", p.stderr)


class Forms(unittest.TestCase):
    CAPTURES = [PIXIE, BZ387, CRASH, NO_PXE, RS + "history-a571c5c0/ipxe_full.pcapng",
                RS + "intel_bios_tftp.pcapng", "tianocore+user-attachments/BZ-17-PXE_IP4_Diff_Subnet.pcapng"]

    @staticmethod
    def strip_capture(doc):
        for c in doc["clients"]:
            c.pop("capture")
        return doc

    def test_pipeline_equals_direct(self):
        for path in self.CAPTURES:
            with self.subTest(capture=path):
                cap = shared(path)
                status, direct = report([cap])
                p = pipeline(cap, "--format", "json")
                self.assertEqual(p.returncode, status, p.stderr)
                self.assertEqual(self.strip_capture(json.loads(p.stdout)), self.strip_capture(direct))

    def test_follow_pipeline_same_verdicts(self):
        cap = shared(PIXIE)
        _, direct = report([cap])
        p = pipeline(cap, "--follow", "--format", "jsonl")
        lines = [json.loads(line) for line in p.stdout.splitlines()]
        # printed when attempt 1 failed, then as attempt 2 goes on; the last print is the verdict
        self.assertEqual((lines[0]["attempt"], lines[0]["outcome"]), (1, "failed"))
        self.assertEqual((lines[-1]["attempt"], lines[-1]["outcome"]), (2, "incomplete"))
        # the end of the input: the client's one "final" line, the others updates
        self.assertEqual([d.pop("event") for d in lines], ["update"] * (len(lines) - 1) + ["final"])
        self.assertEqual(self.strip_capture({"clients": [lines[-1]]})["clients"],
                         self.strip_capture(direct)["clients"])

    def test_text_fits_80_columns(self):
        p = run(["--plugin-dir", PLUGIN_DIR, "--color=never", shared(PIXIE), shared(CRASH), shared(BZ387)])
        self.assertEqual(p.returncode, 1, p.stderr)
        lines = p.stdout.splitlines()
        self.assertTrue(lines[0].startswith("CLIENT"))
        for line in lines:
            self.assertLessEqual(len(line), 80, line)
        # crash_in_dhcp_request's retry was cut off at its first OFFER: still failed
        self.assertEqual(lines[-1], "3 clients: 0 ok, 2 failed, 1 incomplete")
        self.assertRegex(p.stdout, r"a8:a1:59:b7:4c:3b\s+incomplete\s+2\s+tftp-ack\s+PXE-E53 \(try 1\)")
        self.assertNotIn("\033[", p.stdout)
        forced = run(["--plugin-dir", PLUGIN_DIR, "--color=always", shared(BZ387)])
        self.assertIn("\033[", forced.stdout)

    def test_csv_and_jsonl(self):
        cap = shared(CRASH)
        p = run(["--plugin-dir", PLUGIN_DIR, "--format", "csv", cap, shared(BZ387)])
        rows = list(csv.DictReader(io.StringIO(p.stdout, newline="")))
        self.assertEqual([r["mac"] for r in rows], ["00:01:2e:91:f7:fe", "52:54:00:83:ec:bc"])
        self.assertEqual(rows[0]["outcome"], "failed")
        self.assertEqual(rows[0]["errors"], "PXE-E55")
        self.assertEqual(rows[1]["stage"], "proxy-request")
        p = run(["--plugin-dir", PLUGIN_DIR, "--format", "jsonl", cap, shared(BZ387)])
        self.assertEqual([json.loads(line)["mac"] for line in p.stdout.splitlines()],
                         ["00:01:2e:91:f7:fe", "52:54:00:83:ec:bc"])



if __name__ == "__main__":
    main(requires=SHARED)
