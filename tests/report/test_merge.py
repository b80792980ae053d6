# test_merge.py - pxe-report on one capture split into several files (a
# dumpcap ring buffer, or editcap -c): with --merge, or with dumpcap's file
# names found on their own, the files are one capture and every client gets
# the verdict of the whole capture, frame numbers and all; read apart, a
# boot split across files is not one boot.  Also mergecap's errors, exit
# status 3 when no PXE client is in the input, and postproc/pxe-report-parallel
# (many captures side by side, one summary).  Needs editcap and mergecap
# (Debian: wireshark-common); skips (77) without them.
# SPDX-License-Identifier: GPL-2.0-or-later
import glob
import json
import os
import random
import shutil
import subprocess
import tempfile
import unittest

from reporttest import sample, AS_USER, PLUGIN_DIR, REPORT, SAMPLES, SOURCE_DIR, main, report, run

CAPTURES = {   # capture: frames per file, so that a boot is cut across files
    "multi-client.pcapng": 100,
    "bios-pxelinux-ok.pcapng": 120,
    "bios-tftp-lossy-ok.pcapng": 200,
}



def without_capture(doc):
    """A copy of the report without what names the input: the capture and
    the uid derived from it."""
    doc = json.loads(json.dumps(doc))
    for c in doc["clients"]:
        c.pop("capture")
        for o in [c] + c.get("attempts", []):
            o.pop("uid", None)
    return doc


class Split(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        for tool in ("editcap", "mergecap"):
            if not shutil.which(tool):
                raise unittest.SkipTest(f"{tool} not installed (Debian: wireshark-common)")
        cls.tmp = tempfile.mkdtemp(prefix="pxe-merge-")
        os.chmod(cls.tmp, 0o755)   # pxe-report runs as nobody when we are root
        cls.whole = {}
        cls.parts = {}
        for name, n in CAPTURES.items():
            cap = sample(name)
            stem = name.split(".")[0]
            # editcap -c names the files as dumpcap -b does: STEM_00000_DATE.pcapng, ...
            subprocess.run(["editcap", "-c", str(n), cap, os.path.join(cls.tmp, stem + ".pcapng")],
                           check=True, capture_output=True)
            cls.parts[name] = sorted(glob.glob(os.path.join(cls.tmp, stem + "_*.pcapng")))
            assert len(cls.parts[name]) >= 2, cls.parts[name]
            cls.whole[name] = report([cap])
        for f in os.listdir(cls.tmp):
            os.chmod(os.path.join(cls.tmp, f), 0o644)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def assertSameAsWhole(self, name, status, doc):
        want_status, whole = self.whole[name]
        self.assertGreater(len(whole["clients"]), 0)
        self.assertEqual(status, want_status)
        # clients, outcomes, attempts, codes, files, frame numbers, timings
        self.assertEqual(without_capture(doc), without_capture(whole))

    def test_merge_equals_whole(self):
        for name in CAPTURES:
            with self.subTest(capture=name):
                status, doc = report(self.parts[name], "--merge")
                self.assertSameAsWhole(name, status, doc)
                n = len(self.parts[name])
                stem = name.split(".")[0]
                want = os.path.join(self.tmp, f"{stem}_00000..{n - 1:05d} ({n} files)")
                self.assertEqual({c["capture"] for c in doc["clients"]}, {want})

    def test_apart_differs(self):
        # the same files read apart: boots cut in pieces, so merging matters
        for name in CAPTURES:
            with self.subTest(capture=name):
                status, doc = report(self.parts[name], "--no-merge")
                whole = self.whole[name][1]
                self.assertNotEqual(without_capture(doc), without_capture(whole))
                self.assertTrue({c["capture"] for c in doc["clients"]} <= set(self.parts[name]))
                verdicts = {(c["mac"], c["outcome"]) for c in doc["clients"]}
                self.assertNotEqual(verdicts, {(c["mac"], c["outcome"]) for c in whole["clients"]})

    def test_ring_buffer_names_found(self):
        # no option: dumpcap's names are recognised, said on stderr, and
        # read in ring order whatever the order given
        name = "multi-client.pcapng"
        files = list(self.parts[name])
        random.Random(7).shuffle(files)
        p = run(["--plugin-dir", PLUGIN_DIR, "--format", "json"] + files)
        self.assertIn("one dumpcap ring buffer", p.stderr)
        self.assertIn("--no-merge", p.stderr)
        self.assertSameAsWhole(name, p.returncode, json.loads(p.stdout))

    def test_dumpcap_numbering(self):
        # dumpcap counts from 00001; its own names, in a copy
        name = "bios-pxelinux-ok.pcapng"
        ring = []
        for i, f in enumerate(self.parts[name]):
            stamp = os.path.basename(f).split("_")[-1]
            dest = os.path.join(self.tmp, f"ring_{i + 1:05d}_{stamp}")
            shutil.copy(f, dest)
            os.chmod(dest, 0o644)
            ring.append(dest)
        p = run(["--plugin-dir", PLUGIN_DIR, "--format", "json"] + ring)
        self.assertIn("one dumpcap ring buffer", p.stderr)
        doc = json.loads(p.stdout)
        self.assertSameAsWhole(name, p.returncode, doc)
        self.assertEqual(doc["clients"][0]["capture"],
                         os.path.join(self.tmp, f"ring_00001..{len(ring):05d} ({len(ring)} files)"))

    def test_ring_number_wraps(self):
        # dumpcap counts modulo 100000: 99998, 99999, 00000, ... is one ring
        name = "multi-client.pcapng"
        ring = []
        for i, f in enumerate(self.parts[name]):
            stamp = os.path.basename(f).split("_")[-1]
            dest = os.path.join(self.tmp, f"wrap_{(99998 + i) % 100000:05d}_{stamp}")
            shutil.copy(f, dest)
            os.chmod(dest, 0o644)
            ring.append(dest)
        p = run(["--plugin-dir", PLUGIN_DIR, "--format", "json"] + sorted(ring))
        self.assertIn("one dumpcap ring buffer", p.stderr)
        doc = json.loads(p.stdout)
        self.assertSameAsWhole(name, p.returncode, doc)
        self.assertEqual(doc["clients"][0]["capture"],
                         os.path.join(self.tmp, f"wrap_99998..{len(ring) - 3:05d} ({len(ring)} files)"))

    def test_not_a_ring_is_not_merged(self):
        # a gap in the numbers, or other names: read apart unless --merge
        files = self.parts["multi-client.pcapng"]
        for given in ([files[0], files[2]],
                      [files[0], self.parts["bios-pxelinux-ok.pcapng"][1]]):
            with self.subTest(files=[os.path.basename(f) for f in given]):
                p = run(["--plugin-dir", PLUGIN_DIR, "--format", "json"] + given)
                self.assertNotIn("ring buffer", p.stderr)
                caps = {c["capture"] for c in json.loads(p.stdout)["clients"]}
                self.assertTrue(caps <= set(given), caps)

    def test_merge_keeps_given_order(self):
        # names that are no ring buffer: --merge reads them in the order given
        name = "bios-tftp-lossy-ok.pcapng"
        parts = []
        for i, f in enumerate(self.parts[name]):
            dest = os.path.join(self.tmp, f"piece-{'cba'[i % 3]}{i}.pcapng")
            shutil.copy(f, dest)
            os.chmod(dest, 0o644)
            parts.append(dest)
        status, doc = report(parts, "--merge")
        self.assertSameAsWhole(name, status, doc)
        self.assertEqual(doc["clients"][0]["capture"],
                         f"{parts[0]}..{os.path.basename(parts[-1])} ({len(parts)} files)")
        # backwards it is not the same capture
        _, back = report(parts[::-1], "--merge")
        self.assertNotEqual(without_capture(back), without_capture(self.whole[name][1]))

    def test_other_link_type(self):
        # a file of another link type (raw IP) in the set: mergecap keeps
        # each file's interface, the Ethernet boots are judged as before
        raw = os.path.join(self.tmp, "raw.pcapng")
        subprocess.run(["editcap", "-r", "-T", "rawip", sample("bios-pxelinux-ok.pcapng"), raw,
                        "1-5"], check=True, capture_output=True)
        os.chmod(raw, 0o644)
        name = "multi-client.pcapng"
        status, doc = report(self.parts[name] + [raw], "--merge")
        self.assertSameAsWhole(name, status, doc)

    def test_cut_off_last_file(self):
        # dumpcap killed mid-packet: the frames before the cut are reported
        name = "multi-client.pcapng"
        last = self.parts[name][-1]
        cut = os.path.join(self.tmp, "cut.pcapng")
        with open(last, "rb") as f, open(cut, "wb") as out:
            data = f.read()
            out.write(data[:len(data) - 7])
        os.chmod(cut, 0o644)
        p = run(["--plugin-dir", PLUGIN_DIR, "--format", "json", "--merge"] +
                self.parts[name][:-1] + [cut])
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("cut-off packet; reporting on the frames before it", p.stderr)
        self.assertIn("cut short in the middle of a packet", p.stderr)
        self.assertEqual(len(json.loads(p.stdout)["clients"]), 3)

    def test_not_a_capture(self):
        junk = os.path.join(self.tmp, "junk.bin")
        with open(junk, "wb") as f:
            f.write(bytes(range(256)) * 20)
        os.chmod(junk, 0o644)
        p = run(["--plugin-dir", PLUGIN_DIR, "--merge", self.parts["multi-client.pcapng"][0], junk])
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertIn("mergecap could not read", p.stderr)
        self.assertIn('mergecap: The file "' + junk + '" isn\'t a capture file', p.stderr)
        p = run(["--plugin-dir", PLUGIN_DIR, "--merge", self.parts["multi-client.pcapng"][0],
                 os.path.join(self.tmp, "absent.pcapng")])
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("absent.pcapng\" doesn't exist", p.stderr)

    def test_mergecap_missing(self):
        # tshark by path, no mergecap beside it nor in PATH
        bindir = os.path.join(self.tmp, "bin")
        os.makedirs(bindir, exist_ok=True)
        os.chmod(bindir, 0o755)
        tshark = os.path.join(bindir, "tshark")
        if not os.path.exists(tshark):
            os.symlink(shutil.which("tshark"), tshark)
        p = subprocess.run([AS_USER, PLUGIN_DIR, "env", f"PATH={bindir}", REPORT, "--plugin-dir",
                            PLUGIN_DIR, "--tshark", tshark, "--merge"] + self.parts["multi-client.pcapng"],
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stdout, "")
        self.assertIn("cannot run mergecap (for --merge): 'mergecap' not found in PATH", p.stderr)
        self.assertIn("apt-get install wireshark-common", p.stderr)

    def test_usage(self):
        files = self.parts["multi-client.pcapng"]
        p = run(["--merge", files[0], "-"], as_user=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("'-' (tshark output) cannot be merged", p.stderr)
        p = run(["--merge", "--no-merge"] + files, as_user=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("exclude each other", p.stderr)
        # the pipeline it runs, printed
        p = run(["--print-tshark-command", "--merge"] + files[::-1], as_user=False)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertTrue(p.stdout.startswith("mergecap -a -w - " + " ".join(files) + " | "), p.stdout)
        self.assertIn(" tshark -r - ", p.stdout)


class Parallel(unittest.TestCase):
    """postproc/pxe-report-parallel: the verdicts of pxe-report on each
    capture, one summary, the exit status of the whole."""

    SCRIPT = os.path.join(SOURCE_DIR, "postproc", "pxe-report-parallel")

    def run_script(self, *args, env=None):
        cmd = [AS_USER, PLUGIN_DIR, "env", f"PXE_REPORT_PARALLEL={env or 'xargs'}", self.SCRIPT,
               "-p", REPORT, f"--plugin-dir={PLUGIN_DIR}"] + list(args)
        return subprocess.run(cmd, capture_output=True, text=True, timeout=600)

    def test_summary_and_status(self):
        if not shutil.which("python3") or not shutil.which("xargs"):
            self.skipTest("needs python3 and xargs")
        caps = [sample(n) for n in ("multi-client.pcapng", "bios-pxelinux-ok.pcapng",
                                    "bios-no-dhcp.pcapng", "uefi-proxy-only.pcapng")]
        with tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o777)
            out = os.path.join(tmp, "all.jsonl")
            p = self.run_script("-j", "2", "-o", out, *caps)
            self.assertEqual(p.returncode, 1, p.stderr)
            with open(out) as f:
                got = [json.loads(line) for line in f]
        # the same clients, in the captures' order, as pxe-report on each
        want = []
        for cap in caps:
            want += report([cap])[1]["clients"]
        self.assertEqual([(c["capture"], c["mac"], c["outcome"]) for c in got],
                         [(c["capture"], c["mac"], c["outcome"]) for c in want])
        n = {o: sum(c["outcome"] == o for c in want) for o in ("ok", "failed", "incomplete")}
        self.assertIn(f"4 capture(s), 2 at a time (xargs -P): {len(want)} clients: {n['ok']} ok, "
                      f"{n['failed']} failed, {n['incomplete']} incomplete", p.stdout)
        self.assertRegex(p.stdout, r"bios-no-dhcp.pcapng\s+52:54:00:00:08:01\s+failed\s+1\s+PXE-E51")
        self.assertRegex(p.stdout, r"multi-client.pcapng\s+52:54:00:00:13:03\s+failed\s+2\s+"
                                   r"arch-mismatch \(try 1\)")
        self.assertNotIn("bios-pxelinux-ok", p.stdout)   # ok clients are counted, not listed

    def test_error_and_no_client(self):
        p = self.run_script(sample("bios-pxelinux-ok.pcapng"), "/nonexistent/x.pcapng")
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn("/nonexistent/x.pcapng (exit 2)", p.stdout)
        self.assertIn("1 clients: 1 ok", p.stdout)
        with tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o755)
            raw = os.path.join(tmp, "raw.pcapng")
            subprocess.run(["editcap", "-r", "-T", "rawip", sample("bios-pxelinux-ok.pcapng"), raw,
                            "1-20"], check=True, capture_output=True)
            os.chmod(raw, 0o644)
            p = self.run_script(raw)
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("1 capture(s) without a PXE client", p.stdout)
            p = self.run_script(raw, sample("bios-pxelinux-ok.pcapng"))
            self.assertEqual(p.returncode, 0, p.stderr)
        p = self.run_script("--format=csv", sample("bios-pxelinux-ok.pcapng"))
        self.assertEqual(p.returncode, 2)


class NoClient(unittest.TestCase):
    def test_exit_3_without_pxe_client(self):
        # frames, but no PXE boot among them: exit 3, not 1 (nothing failed)
        if not shutil.which("editcap"):
            self.skipTest("editcap not installed")
        with tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o755)
            raw = os.path.join(tmp, "raw.pcapng")
            subprocess.run(["editcap", "-r", "-T", "rawip", sample("bios-pxelinux-ok.pcapng"), raw,
                            "1-20"], check=True, capture_output=True)
            os.chmod(raw, 0o644)
            p = run(["--plugin-dir", PLUGIN_DIR, raw])
            self.assertEqual(p.returncode, 3, p.stderr)
            self.assertIn("no PXE clients found", p.stderr)
            status, doc = report([raw, sample("bios-pxelinux-ok.pcapng")])
            self.assertEqual((status, len(doc["clients"])), (0, 1))


if __name__ == "__main__":
    main(requires=SAMPLES)
