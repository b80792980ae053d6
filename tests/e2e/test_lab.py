# test_lab.py - the plugin on the lab's own captures (samples/captures):
# every DHCP/TFTP frame of a boot carries stage and client, stage filters
# return those frames, and each client's diagnoses match samples/verdicts.tsv
# (the truth taken from server and client logs, not from pxediag).
# SPDX-License-Identifier: GPL-2.0-or-later
import csv
import os
import unittest

from pxetest import SOURCE_DIR, codes, diagnoses, fields, frames, sample, value_names

VERDICTS = os.path.join(SOURCE_DIR, "samples", "verdicts.tsv")


def verdicts():
    if not os.path.exists(VERDICTS):
        raise unittest.SkipTest("samples/verdicts.tsv not committed yet")
    with open(VERDICTS, newline="") as f:
        return list(csv.DictReader(f, delimiter="\t"))


class BiosPxelinux(unittest.TestCase):
    CAPTURE = "bios-pxelinux-ok.pcapng"

    def test_every_boot_frame_marked(self):
        cap = sample(self.CAPTURE)
        rows = fields(cap, ["frame.number", "pxe.stage", "pxe.client"], dfilter="dhcp or tftp")
        self.assertGreater(len(rows), 10)
        for r in rows:
            self.assertNotEqual(r["pxe.stage"], "", f"frame {r['frame.number']} has no stage")
            self.assertRegex(r["pxe.client"], r"^52:54:00(:[0-9a-f]{2}){3}$", r["frame.number"])

    def test_filter_each_stage_name(self):
        cap = sample(self.CAPTURE)
        rows = fields(cap, ["frame.number", "pxe.stage"], dfilter="pxe")
        by_stage = {}
        for r in rows:
            by_stage.setdefault(int(r["pxe.stage"]), []).append(int(r["frame.number"]))
        names = {1: "discover", 2: "offer", 4: "request", 5: "ack", 14: "tftp-request",
                 15: "tftp-oack", 16: "tftp-data", 17: "tftp-ack"}
        for num, name in names.items():
            self.assertIn(num, by_stage, f"no {name} in the capture")
            self.assertEqual(frames(cap, f'pxe.stage == "{name}"'), by_stage[num], name)

    def test_no_warnings(self):
        self.assertEqual(codes(sample(self.CAPTURE)), set())


class Verdicts(unittest.TestCase):
    def test_codes_per_client(self):
        rows = verdicts()
        self.assertGreater(len(rows), 0)
        for v in rows:
            cap = sample(v["capture"])
            got = {}
            for r in fields(cap, ["pxe.diag.client", "pxe.diag", "pxe.diag.severity"],
                            two_pass=True, dfilter="pxe.diag"):
                for m, c, s in zip(r["pxe.diag.client"].split("|"), r["pxe.diag"].split("|"),
                                   r["pxe.diag.severity"].split("|")):
                    got.setdefault(m, set()).add((c, s))
            mine = got.get(v["mac"], set())
            want = set() if v["codes"] in ("", "-") else set(v["codes"].split(","))
            with self.subTest(capture=v["capture"], mac=v["mac"]):
                for code in want:
                    self.assertIn(code, {c for c, _ in mine}, f"{v['capture']} {v['mac']}")
                if v["outcome"] == "ok":
                    bad = {c for c, s in mine if s in ("warning", "error")}
                    self.assertEqual(bad, set(), f"good boot {v['capture']} {v['mac']}")


# The stage of the frame a code is raised on: the frame where the evidence
# becomes conclusive.
RAISED_ON = {
    "PXE-E51": {"discover"}, "PXE-E52": {"discover"}, "PXE-E53": {"ack", "discover"},
    "PXE-E55": {"proxy-request", "discover", "request"}, "PXE-E32": {"tftp-request", "discover"},
    "PXE-E35": {"tftp-ack", "discover", "tftp-request"}, "PXE-E38": {"tftp-unreachable"},
    "PXE-E11": {"arp"}, "PXE-E7B": {"ack"}, "PXE-E3B": {"tftp-error"}, "PXE-E3C": {"tftp-error"}, "PXE-E36": {"tftp-error"},
    "arch-mismatch": {"ack", "proxy-ack", "bootserver-ack"}, "chainload-loop": {"ack", "proxy-ack"},
    "boot-restart": {"discover", "request"}, "competing-dhcp": {"request"},
    "nbp-stalled": {"none"},
    "offer-incomplete": {"offer"}, "dhcp-nak": {"nak"}, "dhcp-decline": {"decline"},
    "http-404": {"http-response"}, "http-403": {"http-response"}, "http-error": {"http-response"},
    "http-cut": {"http-data"}, "url-to-pxe": {"ack", "proxy-ack"}, "PXE-E78": {"bootserver-request", "discover"},
    "wds-abort": {"ack", "proxy-ack", "bootserver-ack"},
}


# What OVMF's own PXE stack printed on the serial console (the .log of each
# capture): the code pxediag names and the line the client shows instead.
EDK2_SCREENS = {
    "uefi-tftp-fragments-lost.pcapng": ("PXE-E35", "PXE-E18"),
    "uefi-tftp-blksize-cap-too-high.pcapng": ("PXE-E35", "PXE-E18"),
    "uefi-pxe6-nbp-missing.pcapng": ("PXE-E3B", "PXE-E23"),
    "uefi-kea-class-mismatch.pcapng": ("PXE-E53", "PXE-E16"),
    "uefi-kea-pxeclient-no-43.pcapng": ("PXE-E55", "PXE-E16"),
}


class Edk2Screens(unittest.TestCase):
    def test_the_line_the_console_shows(self):
        for name, (code, screen) in EDK2_SCREENS.items():
            with self.subTest(capture=name):
                log = open(sample(name)[:-len(".pcapng")] + ".log", errors="replace").read()
                self.assertIn(screen + ":", log)       # the console's own line
                rows = fields(sample(name), ["pxe.diag", "pxe.diag.screen"], two_pass=True,
                              dfilter=f'pxe.diag == "{code}"')
                self.assertTrue(rows, code)
                self.assertTrue(all(r["pxe.diag.screen"].startswith(screen) for r in rows), rows)


class DiagnosisFrames(unittest.TestCase):
    def test_raised_on_conclusive_frame_with_own_evidence(self):
        stages = value_names("pxe.stage")   # the plugin's own names of its stage numbers
        caps = sorted({v["capture"] for v in verdicts()})
        for name in caps:
            cap = sample(name)
            rows = {int(r["frame.number"]): r for r in fields(
                cap, ["frame.number", "pxe.stage", "pxe.client", "pxe.diag.client"],
                two_pass=True, dfilter="pxe")}
            for frame, diags in diagnoses(cap).items():
                clients = rows[frame]["pxe.diag.client"].split("|")
                for (code, _, summary, evidence), client in zip(diags, clients):
                    with self.subTest(capture=name, frame=frame, code=code):
                        self.assertTrue(summary.startswith(code + ": "), summary)
                        self.assertIn(frame, evidence)
                        # a frame of no boot decides a client that went silent (time)
                        stage = stages[int(rows[frame]["pxe.stage"] or 0)]
                        if code in RAISED_ON and stage != "none":
                            self.assertIn(stage, RAISED_ON[code])
                        if stage == "none":
                            self.assertEqual(rows[frame]["pxe.client"], "")
                        for f in evidence:   # the evidence is this client's own traffic
                            if f == frame and stage == "none":
                                continue
                            self.assertIn(f, rows, f"evidence frame {f} is not a boot frame")
                            self.assertEqual(rows[f]["pxe.client"], client)

    def test_failing_captures_named_in_expert_info(self):
        from pxetest import tshark
        for v in verdicts():
            if v["codes"] in ("", "-"):
                continue
            out = tshark(["-r", sample(v["capture"]), "-2", "-q", "-z", "expert"]).stdout
            for code in v["codes"].split(","):
                with self.subTest(capture=v["capture"], code=code):
                    self.assertIn(code + ":", out)
