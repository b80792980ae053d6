# test_hostile.py - what the plugin and pxe-report make of hostile and odd
# captures (tests/fuzz/craft.py writes them at test time): the real tshark
# with the built plugin (the sanitizer build's under -DPXE_SANITIZE=ON), one
# pass and -2, and pxe-report on the same.  Each class once broke or fooled
# an earlier version, or is a case the issue names.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import subprocess
import sys
import tempfile
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "e2e"))
from pxetest import AS_USER, BUILD_DIR, PLUGIN_DIR, fields  # noqa: E402

REPORT = os.path.join(BUILD_DIR, "postproc", "pxe-report")
CAPS = tempfile.mkdtemp(prefix="pxediag-hostile-")


def setUpModule():
    os.chmod(CAPS, 0o755)
    subprocess.run([sys.executable, os.path.join(HERE, "craft.py"), "--scale", "0.1", CAPS],
                   check=True, capture_output=True)
    # the wrap needs more than 65535 blocks whatever the scale
    subprocess.run([sys.executable, os.path.join(HERE, "craft.py"), "--only", "block-wrap", CAPS],
                   check=True, capture_output=True)
    for f in os.listdir(CAPS):
        os.chmod(os.path.join(CAPS, f), 0o644)


def tearDownModule():
    for f in os.listdir(CAPS):
        os.unlink(os.path.join(CAPS, f))
    os.rmdir(CAPS)


def cap(name):
    for ext in (".pcap", ".pcapng"):
        p = os.path.join(CAPS, name + ext)
        if os.path.exists(p):
            return p
    raise AssertionError(f"craft.py wrote no {name}")


def errors(client):
    return {d["code"] for d in client["diagnoses"] if d["severity"] == "error"}


def report(name, *options):
    p = subprocess.run([AS_USER, PLUGIN_DIR, REPORT, "--plugin-dir", PLUGIN_DIR, "--format", "json"]
                       + list(options) + [cap(name)], capture_output=True, text=True, timeout=600)
    if p.returncode not in (0, 1, 3):
        raise AssertionError(f"pxe-report exit {p.returncode}: {p.stderr}")
    return json.loads(p.stdout), p.stderr


class Duplicates(unittest.TestCase):
    def test_every_copy_names_its_original_and_counts_once(self):
        rows = fields(cap("duplicates"), ["frame.number", "pxe.duplicate_of", "pxe.diag",
                                          "pxe.stage"], two_pass=True, dfilter="pxe")
        self.assertEqual(len(rows), 26)
        for r in rows:
            n = int(r["frame.number"])
            if n % 2 == 0:
                self.assertEqual(r["pxe.duplicate_of"], str(n - 1), r)
                self.assertIn("duplicate", r["pxe.diag"].split("|"))
            else:
                self.assertEqual(r["pxe.duplicate_of"], "", r)
                self.assertNotIn("tftp-retransmit", r["pxe.diag"])

    def test_report_sees_one_transfer_without_retransmissions(self):
        doc, _ = report("duplicates")
        (c,) = doc["clients"]
        codes = {d["code"] for d in c["diagnoses"]}
        self.assertEqual(codes, {"duplicate"})
        self.assertEqual([f["name"] for f in c["files"]], ["pxelinux.0"])
        self.assertTrue(c["files"][0]["complete"])


class Counters(unittest.TestCase):
    def test_block_numbers_past_65535_complete_the_transfer(self):
        rows = fields(cap("block-wrap"), ["pxe.tftp.status", "pxe.tftp.bytes", "pxe.tftp.blocks",
                                          "pxe.diag"], two_pass=True, dfilter="pxe.tftp.status")
        self.assertEqual(rows[-1]["pxe.tftp.status"], "complete")
        self.assertEqual(rows[-1]["pxe.tftp.blocks"], "70000")
        self.assertEqual(rows[-1]["pxe.tftp.bytes"], str(69999 * 8 + 3))
        self.assertEqual(rows[-1]["pxe.diag"], "")


class Time(unittest.TestCase):
    def test_backwards_time_gives_no_negative_duration(self):
        rows = fields(cap("time-backwards"), ["pxe.tftp.duration"], two_pass=True,
                      dfilter="pxe.tftp.duration")
        self.assertTrue(rows)
        for r in rows:
            self.assertGreaterEqual(float(r["pxe.tftp.duration"]), 0.0)
        doc, _ = report("time-backwards")
        for a in doc["clients"][0]["attempts"]:
            known = {k: v for k, v in a.get("timings", {}).items() if v is not None}
            self.assertIn("total", known)
            for k, v in known.items():
                self.assertGreaterEqual(v, 0.0, k)

    def test_before_1970_is_reported(self):
        doc, err = report("before-1970")
        self.assertEqual(len(doc["clients"]), 1, err)
        self.assertEqual(doc["clients"][0]["files"][0]["name"], "pxelinux.0")


class Flood(unittest.TestCase):
    def test_clients_beyond_the_limit_are_marked_and_counted(self):
        rows = fields(cap("flood"), ["pxe.client", "pxe.untracked"], dfilter="pxe",
                      options=("pxe.max_clients:100",))
        followed = {r["pxe.client"] for r in rows if r["pxe.client"]}
        untracked = [r for r in rows if r["pxe.untracked"] in ("1", "True")]
        self.assertEqual(len(followed), 100)
        self.assertEqual(len(untracked), len(rows) - 100)
        self.assertGreater(len(untracked), 0)
        doc, err = report("flood", "--max-clients", "100")
        self.assertEqual(doc["summary"]["clients"], 100)
        self.assertEqual(doc["summary"]["untracked_frames"], len(untracked))
        self.assertIn("did not follow", err)


class Odd(unittest.TestCase):
    def test_tftp_error_text_not_ascii_still_fails_the_boot(self):
        doc, _ = report("nonascii-error")
        (c,) = doc["clients"]
        self.assertEqual(c["outcome"], "failed")
        self.assertEqual(errors(c), {"PXE-E3B"})
        self.assertIn("Fichier introuvable", c["diagnoses"][0]["summary"])

    def test_odd_file_names_are_followed_and_kept_printable(self):
        rows = fields(cap("odd-names"), ["pxe.tftp.file", "pxe.diag"], two_pass=True,
                      dfilter="pxe.stage == 14")
        self.assertGreaterEqual(len(rows), 4)
        for r in rows:
            self.assertTrue(r["pxe.tftp.file"].isprintable(), r)
        doc, _ = report("odd-names")
        self.assertEqual(errors(doc["clients"][0]), {"PXE-E3B"})

    def test_overloaded_options_give_the_boot_file(self):
        rows = fields(cap("options"), ["pxe.client", "pxe.bootfile"], dfilter="pxe.stage == 2")
        self.assertIn("overloaded.0", [r["pxe.bootfile"] for r in rows])

    def test_relayed_dhcp_is_the_client_not_the_relay(self):
        rows = fields(cap("relayed"), ["pxe.client", "pxe.client_ip"], dfilter="pxe")
        self.assertEqual({r["pxe.client"] for r in rows}, {"52:54:00:00:00:0b"})
        self.assertIn("198.51.100.11", {r["pxe.client_ip"] for r in rows})

    def test_three_link_types_in_one_file(self):
        rows = fields(cap("link-types"), ["pxe.client"], dfilter="pxe")
        self.assertEqual({r["pxe.client"] for r in rows},
                         {"52:54:00:00:00:11", "52:54:00:00:00:12", "52:54:00:00:00:13"})

    def test_tftp_without_dhcp_is_a_boot(self):
        doc, _ = report("tftp-only")
        (c,) = doc["clients"]
        self.assertIn("tsize-probe", {d["code"] for d in c["diagnoses"]})

    def test_cut_frames_and_dhcpv6_do_not_break_anything(self):
        for name in ("truncated", "dhcpv6", "reused-xid", "address-change"):
            fields(cap(name), ["frame.number", "pxe.stage"], two_pass=True)
            report(name)


if __name__ == "__main__":
    unittest.main(verbosity=2)
