# test_errors.py - pxe-report on bad input and in bad setups: every bad line
# is named by number on standard error, nothing partial is printed, exit
# status 2; tshark missing or not loading the plugin is explained; usage
# errors.  The input is synthetic (built from the columns pxe-report asks
# tshark for), so only the tshark tests need tshark.
# SPDX-License-Identifier: GPL-2.0-or-later
import os
import pty
import re
import shutil
import signal
import subprocess
import tempfile
import time
import unittest

from reporttest import PLUGIN_DIR, REPORT, main, run

SAMPLE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "samples",
                      "captures", "bios-pxelinux-ok.pcapng")


def columns():
    p = run(["--print-tshark-command"], as_user=False)
    args = p.stdout.split()
    return [args[i + 1] for i, a in enumerate(args) if a == "-e"]


COLS = columns()


def line(**values):
    vals = {k.replace("__", "."): v for k, v in values.items()}
    return "\t".join(vals.pop(c, "") for c in COLS) + "\n"


HEADER = "\t".join(COLS) + "\n"
GOOD = (HEADER +
        line(frame__number="1", frame__time_epoch="100.0", pxe__stage="1",
             pxe__client="52:54:00:00:00:01", pxe__attempt="1", pxe__phase="1") +
        line(frame__number="2", frame__time_epoch="100.5", pxe__stage="5",
             pxe__client="52:54:00:00:00:01", pxe__attempt="1", pxe__phase="1",
             pxe__diag="PXE-E53", pxe__diag__severity="error",
             pxe__diag__summary="PXE-E53: no boot file", pxe__diag__frames="1 2",
             pxe__diag__client="52:54:00:00:00:01", pxe__diag__attempt="1",
             pxe__outcome="failed", pxe__outcome__client="52:54:00:00:00:01",
             pxe__outcome__attempt="1", pxe__outcome__code="PXE-E53",
             pxe__outcome__reason="PXE-E53: No boot filename received") +
        line(frame__number="3", frame__time_epoch="101.0"))


def stdin(text):
    return run(["-"], stdin=text, as_user=False)


class BadInput(unittest.TestCase):
    def assertBad(self, text, *needles):
        p = stdin(text)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertEqual(p.stdout, "", "a report was printed despite bad input")
        for n in needles:
            self.assertIn(n, p.stderr)
        return p

    def test_good_input_works(self):
        p = stdin(GOOD)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("52:54:00:00:00:01  failed", p.stdout)

    def test_empty(self):
        self.assertBad("", "empty input")

    def test_garbage(self):
        self.assertBad("hello world\nfoo\n", "line 1:", "not a header line")

    def test_no_header(self):
        self.assertBad(GOOD.split("\n", 1)[1], "line 1:", "looks like data", "header=y")

    def test_missing_column(self):
        head = "\t".join(c for c in COLS if c != "pxe.attempt") + "\n"
        self.assertBad(head, "line 1:", "pxe.attempt")

    def test_wrong_column_count(self):
        self.assertBad(GOOD + "4\t102.0\t1\n", "line 5:", "has 3 column(s) but the header has")

    def test_truncated_last_line(self):
        # a cut-off last line is left out and said so; the lines before stand
        p = stdin(GOOD + line(frame__number="4", frame__time_epoch="1")[:-1])
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("line 5: no newline at the end", p.stderr)
        self.assertIn("the lines before it are reported", p.stderr)
        self.assertIn("52:54:00:00:00:01", p.stdout)
        self.assertIn("failed", p.stdout)

    def test_bom_before_header(self):
        p = stdin("\ufeff" + GOOD)
        self.assertEqual(p.returncode, 1, p.stderr)
        self.assertIn("52:54:00:00:00:01", p.stdout)

    def test_binary_input(self):
        self.assertBad("\x00" * 100000, "line 1:", "NUL bytes: binary data")

    def test_unknown_code(self):
        bad = GOOD.replace("PXE-E53\terror", "PXE-E99\terror")
        self.assertBad(bad, "line 3:", "unknown diagnosis code 'PXE-E99'")

    def test_non_numeric_frame(self):
        self.assertBad(GOOD + line(frame__number="abc", frame__time_epoch="1"),
                       "line 5:", "frame.number 'abc' is not a frame number")

    def test_nul_byte(self):
        self.assertBad(GOOD + "4\x00\n", "line 5:", "NUL")

    def test_megabyte_line(self):
        self.assertBad(GOOD + "x" * (1 << 20) + "\n" + line(frame__number="5", frame__time_epoch="1"),
                       "line 5:")

    def test_huge_line_is_refused_not_kept(self):
        p = self.assertBad(GOOD + "y" * (17 << 20) + "\n", "line 5:", "longer than 16 MiB")
        self.assertLess(len(p.stderr), 2000)

    def test_many_bad_lines_reported_briefly(self):
        p = self.assertBad(GOOD + "bad\n" * 1000, "line 5:", "line 24:", "1000 bad lines in all")
        self.assertNotIn("line 25:", p.stderr)

    def test_capture_on_stdin(self):
        # pcapng and pcap magic numbers
        for data in (b"\x0a\x0d\x0d\x0a\x1c\x00\x00\x00\x4d\x3c\x2b\x1a", b"\xd4\xc3\xb2\xa1\x02\x00"):
            p = subprocess.run([REPORT, "-"], input=data, capture_output=True)
            self.assertEqual(p.returncode, 2)
            self.assertEqual(p.stdout, b"")
            self.assertIn(b"is a capture file", p.stderr)

    def test_interrupted_pipeline_still_reports(self):
        # Ctrl-C reaches tshark and pxe-report: pxe-report reads on until
        # tshark closes the pipe, then reports
        proc = subprocess.Popen([REPORT, "--format", "jsonl", "-"], stdin=subprocess.PIPE,
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        proc.stdin.write(GOOD.encode())
        proc.stdin.flush()
        # wait until it catches SIGINT (Linux: SigCgt in /proc/PID/status)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with open(f"/proc/{proc.pid}/status") as st:
                caught = [ln for ln in st if ln.startswith("SigCgt:")]
            if caught and int(caught[0].split()[1], 16) & (1 << (signal.SIGINT - 1)):
                break
            time.sleep(0.01)
        proc.send_signal(signal.SIGINT)
        proc.stdin.close()
        proc.wait(timeout=60)
        out, err = proc.stdout.read(), proc.stderr.read()
        proc.stdout.close()
        proc.stderr.close()
        self.assertEqual(proc.returncode, 1, err)
        self.assertIn(b'"outcome":"failed"', out)

    def test_header_only_is_no_clients(self):
        # exit 3, not 1: nothing was judged, no boot failed
        p = stdin(HEADER)
        self.assertEqual(p.returncode, 3)
        self.assertIn("no PXE clients found", p.stderr)

    def test_crlf_and_extra_columns(self):
        text = "".join("_ws.col.Info\t" + ln.replace("\n", "\r\n") for ln in GOOD.splitlines(True))
        p = stdin(text)
        self.assertEqual(p.returncode, 1, p.stderr)


class Color(unittest.TestCase):
    """Colour only on a terminal without NO_COLOR, unless --color says."""

    def on_tty(self, args, env_extra=None):
        env = dict(os.environ)
        env.pop("NO_COLOR", None)
        env.update(env_extra or {})
        master, slave = pty.openpty()
        with tempfile.TemporaryFile("w+") as inp:
            inp.write(GOOD)
            inp.seek(0)
            p = subprocess.Popen([REPORT] + args + ["-"], stdin=inp, stdout=slave,
                                 stderr=subprocess.DEVNULL, env=env)
            os.close(slave)
            out = b""
            while True:
                try:
                    chunk = os.read(master, 65536)
                except OSError:
                    break
                if not chunk:
                    break
                out += chunk
            p.wait(timeout=60)
        os.close(master)
        return out.decode()

    def test_auto(self):
        self.assertIn("\033[1;31mfailed", self.on_tty([]))
        self.assertNotIn("\033[", self.on_tty([], {"NO_COLOR": "1"}))
        self.assertNotIn("\033[", self.on_tty(["--color=never"]))
        self.assertIn("\033[", self.on_tty(["--color=always"], {"NO_COLOR": "1"}))
        # not a terminal: no colour
        self.assertNotIn("\033[", stdin(GOOD).stdout)


class Usage(unittest.TestCase):
    def assertUsage(self, args, needle):
        p = run(args, as_user=False)
        self.assertEqual(p.returncode, 2, p.stderr)
        self.assertIn(needle, p.stderr)

    def test_errors(self):
        self.assertUsage([], "no CAPTURE given")
        self.assertUsage(["--format", "xml", "-"], "--format")
        self.assertUsage(["--color=sometimes", "-"], "--color")
        self.assertUsage(["--client", "52:54:00", "-"], "--client")
        self.assertUsage(["--follow", "--format", "json", "-"], "jsonl")
        self.assertUsage(["-", "-"], "once")
        self.assertUsage(["--bogus"], "Unknown option")

    def test_tshark_command_printed(self):
        p = run(["--print-tshark-command"], as_user=False)
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.stdout.startswith("tshark -n -Y pxe -T fields -E header=y"))
        for field in ("frame.number", "pxe.stage", "pxe.client", "pxe.attempt", "pxe.diag.frames"):
            self.assertRegex(p.stdout, rf"-e {re.escape(field)}\b")
        p = run(["--print-tshark-command", "--tftp-all", "--plugin-dir", "/x y", "a.pcap", "-"],
                as_user=False)
        # one line per capture ('-' has none)
        self.assertEqual(len(p.stdout.splitlines()), 1)
        self.assertTrue(p.stdout.startswith("WIRESHARK_PLUGIN_DIR='/x y' tshark -r a.pcap -n -o "
                                            "pxe.tftp_all:TRUE -Y pxe "), p.stdout)

    def test_version_and_help(self):
        p = run(["--version"], as_user=False)
        self.assertEqual(p.returncode, 0)
        self.assertTrue(p.stdout.startswith("pxe-report (pxediag) "))
        p = run(["--help"], as_user=False)
        self.assertEqual(p.returncode, 0)
        self.assertIn("Exit status: 0 every client ok", p.stdout)


class Tshark(unittest.TestCase):
    def setUp(self):
        if not shutil.which("tshark"):
            self.skipTest("tshark is not installed")
        if not os.path.exists(SAMPLE):
            self.skipTest(f"{SAMPLE} not there")

    def test_missing_tshark(self):
        p = run(["--tshark", "/nonexistent/tshark", SAMPLE], as_user=False)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stdout, "")
        self.assertIn("'/nonexistent/tshark' not found", p.stderr)
        p = subprocess.run([REPORT, SAMPLE], capture_output=True, text=True,
                           env={"PATH": "/nonexistent"})
        self.assertEqual(p.returncode, 2)
        self.assertIn("not found in PATH", p.stderr)

    def test_plugin_not_loaded(self):
        with tempfile.TemporaryDirectory() as empty:
            os.chmod(empty, 0o755)
            p = run(["--plugin-dir", empty, SAMPLE], plugin_dir=empty)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stdout, "")
        self.assertIn("did not load the pxe plugin", p.stderr)
        self.assertIn("There is no pxe.so in", p.stderr)
        self.assertIn("cmake --install build", p.stderr)

    def test_root_trap_explained(self):
        if os.geteuid() != 0:
            self.skipTest("not root")
        check = subprocess.run(["tshark", "-G", "plugins"], capture_output=True, text=True)
        if "pxe.so" in check.stdout:
            self.skipTest("the pxe plugin is installed system-wide: root loads it")
        p = run(["--plugin-dir", PLUGIN_DIR, SAMPLE], as_user=False)
        self.assertEqual(p.returncode, 2)
        self.assertEqual(p.stdout, "")
        self.assertIn("You are root", p.stderr)
        self.assertIn("ignores WIRESHARK_PLUGIN_DIR", p.stderr)

    def test_capture_missing(self):
        p = run(["--plugin-dir", PLUGIN_DIR, "/nonexistent.pcapng"])
        self.assertEqual(p.returncode, 2)
        self.assertIn("doesn't exist", p.stderr)


if __name__ == "__main__":
    main()
