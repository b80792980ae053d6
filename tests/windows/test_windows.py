# test_windows.py - crafted Windows Deployment Services / Configuration
# Manager boots (craft_wds.py writes them at test time) through the real
# tshark: first that plain tshark dissects every capture cleanly and shows
# what it was built to show (option 250 and 252, msftwindow, windowsize, the
# WDS port range), then that the plugin's verdict, codes and advice for each
# client are what a real client does (expectations.tsv, with its sources in
# README.md here).
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from pxetest import AS_USER, fields, tshark_version  # noqa: E402

# tftp fields only the client's packets to the server's transfer port carry
CLIENT_TFTP_FIELDS = ("tftp.nextwindowsize", "tftp.likely_tsize_probe")

sys.path.insert(0, HERE)
import craft_wds  # noqa: E402

CAPS = tempfile.mkdtemp(prefix="pxediag-windows-")
# a plugin directory with nothing in it: tshark as it comes
NO_PLUGINS = os.path.join(CAPS, "no-plugins")
RANK = {"note": 1, "warning": 2, "error": 3}


def setUpModule():
    os.makedirs(NO_PLUGINS)
    for d in (CAPS, NO_PLUGINS):
        os.chmod(d, 0o755)
    subprocess.run([sys.executable, os.path.join(HERE, "craft_wds.py"), CAPS],
                   check=True, capture_output=True)
    for f in os.listdir(CAPS):
        if f.endswith(".pcap") or f.endswith(".json"):
            os.chmod(os.path.join(CAPS, f), 0o644)


def tearDownModule():
    shutil.rmtree(CAPS, ignore_errors=True)


def cap(name):
    return os.path.join(CAPS, name + ".pcap")


def sidecar(name):
    with open(os.path.join(CAPS, name + ".expect.json")) as f:
        return json.load(f)


def plain_tshark(args):
    """tshark without the plugin: the dissection as Wireshark ships it."""
    p = subprocess.run([AS_USER, NO_PLUGINS, "tshark"] + list(args), capture_output=True,
                       text=True, timeout=600)
    if p.returncode != 0:
        raise AssertionError(f"tshark {' '.join(args)} failed ({p.returncode}): {p.stderr}")
    return p.stdout


def client_verdict(capture, mac):
    """The outcome the plugin gives the client's last attempt (-2: an attempt
    nothing decided is 'incomplete' on its last frame)."""
    rows = fields(capture, ["pxe.outcome.client", "pxe.outcome.attempt", "pxe.outcome"],
                  two_pass=True, dfilter="pxe.outcome")
    last = {}
    for r in rows:
        for client, attempt, outcome in zip(*(r[k].split("|") for k in
                                              ("pxe.outcome.client", "pxe.outcome.attempt",
                                               "pxe.outcome"))):
            if client == mac:
                last[int(attempt)] = outcome
    return last[max(last)] if last else "(none)"


def client_diags(capture, mac, min_severity="warning"):
    """[(code, severity, summary)] of the client's diagnoses at min_severity or above."""
    rows = fields(capture, ["pxe.diag.client", "pxe.diag", "pxe.diag.severity", "pxe.diag.summary"],
                  two_pass=True, dfilter="pxe.diag")
    out = []
    for r in rows:
        for client, code, sev, summary in zip(*(r[k].split("|") for k in
                                                ("pxe.diag.client", "pxe.diag",
                                                 "pxe.diag.severity", "pxe.diag.summary"))):
            if client == mac and RANK[sev] >= RANK[min_severity]:
                out.append((code, sev, summary))
    return out


class Dissection(unittest.TestCase):
    """Every capture is sound for Wireshark itself and shows what it was built for."""


class Verdicts(unittest.TestCase):
    """The plugin's verdict on each capture against what a real client does."""


def add_tests(name):
    def test_clean(self):
        text = plain_tshark(["-r", cap(name), "-V"])
        self.assertNotIn("Malformed", text)
        expert = plain_tshark(["-r", cap(name), "-q", "-z", "expert"])
        self.assertNotIn("Errors (", expert)
        self.assertNotIn("Warns (", expert)

    def test_shows_intent(self):
        for flt in sidecar(name)["dissection_filters"]:
            with self.subTest(filter=flt):
                if tshark_version() >= (4, 6) and any(f in flt for f in CLIENT_TFTP_FIELDS):
                    # 4.6 shows the client's packets to a transfer port as data
                    # (the plugin hands them on itself, pxe_hook.c): these
                    # fields of the client's ACKs and ERRORs are not there
                    continue
                out = plain_tshark(["-r", cap(name), "-Y", flt])
                self.assertTrue(out.strip(), f"no frame matches {flt}")

    def test_outcome(self):
        want = sidecar(name)
        self.assertEqual(client_verdict(cap(name), want["client_mac"]), want["outcome"],
                         f"screen: {want['screen']}")

    def test_codes(self):
        want = sidecar(name)
        expected = set() if want["codes"] == "-" else set(want["codes"].split(","))
        got = {code for code, _, _ in client_diags(cap(name), want["client_mac"])}
        self.assertEqual(got, expected, f"codes of {name} ({want['code_status']})")

    def test_advice(self):
        want = sidecar(name)
        if want["advice_contains"] == "-":
            self.skipTest("no advice expected")
        expected = set(want["codes"].split(","))
        summaries = [s for code, _, s in client_diags(cap(name), want["client_mac"])
                     if code in expected]
        self.assertTrue(summaries, f"no {want['codes']} diagnosis to read advice from")
        for s in summaries:
            self.assertIn(want["advice_contains"].lower(), s.lower(), s)

    slug = name.replace("-", "_")
    setattr(Dissection, f"test_{slug}_dissects_cleanly", test_clean)
    setattr(Dissection, f"test_{slug}_shows_what_it_was_built_for", test_shows_intent)
    setattr(Verdicts, f"test_{slug}_outcome", test_outcome)
    setattr(Verdicts, f"test_{slug}_codes", test_codes)
    setattr(Verdicts, f"test_{slug}_advice", test_advice)


class Sidecars(unittest.TestCase):
    def test_every_capture_has_an_expectation_and_a_source(self):
        rows = craft_wds.expectations()
        self.assertEqual(set(rows), set(craft_wds.CAPTURES))
        for name, row in rows.items():
            self.assertIn(row["outcome"], ("ok", "failed", "incomplete"), name)
            self.assertTrue(row["screen"] and row["screen_source"], name)
            self.assertIn(row["code_status"], ("existing", "proposed", "-"), name)

    def test_proposed_codes_are_not_in_the_engine_yet(self):
        """A code marked proposed must really be missing (and an existing one
        present): when the engine learns one, expectations.tsv must say so."""
        with open(os.path.join(HERE, "..", "..", "plugin", "core", "pxe_codes.c")) as f:
            known = f.read()
        for name, row in craft_wds.expectations().items():
            for code in ([] if row["codes"] == "-" else row["codes"].split(",")):
                with self.subTest(capture=name, code=code):
                    self.assertEqual(f'"{code}"' in known, row["code_status"] == "existing")


for _name in craft_wds.CAPTURES:
    add_tests(_name)

if __name__ == "__main__":
    unittest.main()
