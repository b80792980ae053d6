# test_html.py - pxe-report --html end to end: the page of the lab's
# multi-client capture and of a one-client capture, loaded in headless
# Chromium (driven over the DevTools protocol on a pipe, stdlib only): every
# client of the report is a lane with the report's outcome, a failed lane
# shows its code and a failure mark, the script ran (it fills the counter and
# its filter hides lanes) without an exception or console error, nothing but
# the page itself was loaded and the page names no external URL.  A file name
# full of markup stays text.  The page comes with another output, from
# standard input, and as a "no report" page after bad input.
# The browser tests skip when chromium is not installed (Debian: apt-get
# install chromium); the whole script exits 77 when all of them skipped.
# SPDX-License-Identifier: GPL-2.0-or-later
import fcntl
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
import unittest

from reporttest import sample, AS_USER, PLUGIN_DIR, REPORT, SAMPLES, main, run, tshark_command

CHROMIUM = (os.environ.get("PXE_CHROMIUM") or shutil.which("chromium")
            or shutil.which("chromium-browser") or shutil.which("google-chrome"))
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-extensions", "--remote-debugging-pipe"]
HOSTILE = "<img src=x onerror=alert(1)><script>alert(2)</script>\"'&amp;.efi"



def need_chromium():
    if not CHROMIUM:
        raise unittest.SkipTest("chromium not installed (Debian: apt-get install chromium)")


class Browser:
    """Headless Chromium over --remote-debugging-pipe: commands and events
    are NUL-terminated JSON on fds 3 (to the browser) and 4 (from it)."""

    def __init__(self):
        self.profile = tempfile.mkdtemp(prefix="pxe-html-chromium.")
        to_r, self.to_w = os.pipe()
        self.from_r, from_w = os.pipe()
        # the browser's ends on 5-9 (sh knows one-digit fds), so that moving
        # them to 3 and 4 cannot close them
        to_r, from_w = (self._high(fd) for fd in (to_r, from_w))
        cmd = ["sh", "-c", f'exec "$0" "$@" 3<&{to_r} 4>&{from_w} {to_r}<&- {from_w}>&-', CHROMIUM,
               *CHROMIUM_FLAGS, f"--user-data-dir={self.profile}", "about:blank"]
        self.proc = subprocess.Popen(cmd, pass_fds=(to_r, from_w), stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self.buf = b""
        self.next_id = 0
        self.events = []
        try:
            target = self.call("Target.createTarget", url="about:blank")["targetId"]
            self.session = self.call("Target.attachToTarget", targetId=target,
                                     flatten=True)["sessionId"]
            for domain in ("Runtime", "Log", "Network", "Page"):
                self.call(f"{domain}.enable", session=True)
        except BaseException:
            self.close()
            raise

    @staticmethod
    def _high(fd):
        high = fcntl.fcntl(fd, fcntl.F_DUPFD, 5)
        os.close(fd)
        if high > 9:
            raise AssertionError(f"no free descriptor below 10 for chromium's pipe ({high})")
        return high

    def _read(self, deadline):
        while b"\0" not in self.buf:
            if time.monotonic() > deadline:
                raise AssertionError("chromium did not answer within the time limit")
            chunk = os.read(self.from_r, 65536)
            if not chunk:
                raise AssertionError("chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, session=False, timeout=120, **params):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params}
        if session:
            msg["sessionId"] = self.session
        os.write(self.to_w, json.dumps(msg).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            m = self._read(deadline)
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise AssertionError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def wait_event(self, method, timeout=120):
        deadline = time.monotonic() + timeout
        for i, m in enumerate(self.events):
            if m.get("method") == method:
                return self.events.pop(i)
        while True:
            m = self._read(deadline)
            if m.get("method") == method:
                return m
            self.events.append(m)

    def load(self, path):
        """Navigate to a file; seconds from the start to two painted frames."""
        self.events.clear()
        start = time.monotonic()
        self.call("Page.navigate", session=True, url="file://" + os.path.abspath(path))
        self.wait_event("Page.loadEventFired")
        self.js("new Promise(r => requestAnimationFrame(() => requestAnimationFrame(r)))")
        return time.monotonic() - start

    def js(self, expression):
        r = self.call("Runtime.evaluate", session=True, expression=expression, returnByValue=True,
                      awaitPromise=True)
        if "exceptionDetails" in r:
            raise AssertionError(f"{expression}: {r['exceptionDetails']}")
        return r["result"].get("value")

    def problems(self):
        """Exceptions, console errors/warnings, dialogs, and URLs loaded
        other than file: and data: ones, since the last load."""
        out = []
        for m in self.events:
            p, method = m.get("params", {}), m.get("method")
            if method == "Runtime.exceptionThrown":
                out.append(f"exception: {p['exceptionDetails']}")
            elif method == "Runtime.consoleAPICalled" and p.get("type") in ("error", "warning", "assert"):
                out.append(f"console {p['type']}: {p.get('args')}")
            elif method == "Log.entryAdded" and p["entry"]["level"] in ("error", "warning"):
                out.append(f"log {p['entry']['level']}: {p['entry'].get('text')}")
            elif method == "Page.javascriptDialogOpening":
                out.append(f"dialog: {p.get('message')}")
            elif method == "Network.requestWillBeSent":
                url = p["request"]["url"]
                if not url.startswith(("file:", "data:")):
                    out.append(f"request: {url}")
        return out

    def close(self):
        try:
            self.call("Browser.close", timeout=20)
        except AssertionError:
            pass
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        os.close(self.to_w)
        os.close(self.from_r)
        shutil.rmtree(self.profile, ignore_errors=True)


# What a page shows of its lanes, read from the DOM after the script ran.
LANES_JS = """Array.from(document.querySelectorAll('details.lane')).map(l => ({
  mac: l.dataset.mac, outcome: l.dataset.outcome, code: l.dataset.code || null,
  badge: l.querySelector('.o').textContent, shown_code: (l.querySelector('.c') || {}).textContent || null,
  fail_marks: l.querySelectorAll('svg .mf').length,
  fail_labels: Array.from(l.querySelectorAll('svg text.lf')).map(t => t.textContent),
  bars: l.querySelectorAll('svg rect.fc, svg rect.ff, svg rect.fi').length,
  hidden: l.hidden, details: l.querySelector('pre').textContent}))"""


def expected_code(client):
    """The code of the client's latest failed attempt (its reason reads
    'CODE: ...'), as the text and JSON outputs give it."""
    for a in reversed(client["attempts"]):
        if a["outcome"] == "failed":
            return a["reason"].split(":", 1)[0]
    return None


class Page(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        need_chromium()
        cls.tmp = tempfile.mkdtemp(prefix="pxe-html.")
        os.chmod(cls.tmp, 0o777)   # pxe-report runs as nobody when we are root
        cls.browser = Browser()

    @classmethod
    def tearDownClass(cls):
        cls.browser.close()
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def render(self, capture):
        """pxe-report --format json --html: (JSON document, lanes, page text)."""
        page = os.path.join(self.tmp, os.path.basename(capture) + ".html")
        p = run(["--plugin-dir", PLUGIN_DIR, "--format", "json", "--html", page, capture])
        self.assertIn(p.returncode, (0, 1), p.stderr)
        doc = json.loads(p.stdout)
        self.browser.load(page)
        self.assertEqual(self.browser.problems(), [])
        with open(page, encoding="utf-8") as f:
            text = f.read()
        return doc, self.browser.js(LANES_JS), text

    def check_lanes(self, doc, lanes):
        self.assertEqual(sorted(l["mac"] for l in lanes), sorted(c["mac"] for c in doc["clients"]))
        # failed first, then in the order the report lists them (first seen)
        failed = [c["mac"] for c in doc["clients"] if c["outcome"] == "failed"]
        rest = [c["mac"] for c in doc["clients"] if c["outcome"] != "failed"]
        self.assertEqual([l["mac"] for l in lanes], failed + rest)
        for c in doc["clients"]:
            lane = next(l for l in lanes if l["mac"] == c["mac"])
            with self.subTest(mac=c["mac"]):
                self.assertEqual((lane["outcome"], lane["badge"]), (c["outcome"], c["outcome"]))
                self.assertFalse(lane["hidden"])
                self.assertIn(c["mac"], lane["details"])
                if c["outcome"] == "failed":
                    code = expected_code(c)
                    self.assertEqual((lane["code"], lane["shown_code"]), (code, code))
                    self.assertIn(code, lane["fail_labels"])
                    self.assertGreaterEqual(lane["fail_marks"], 1)
                else:
                    self.assertEqual((lane["code"], lane["fail_marks"]), (None, 0))
                files = [f for f in c["files"] if f["status"] != "size probe"]
                if files:
                    self.assertGreater(lane["bars"], 0)

    def check_self_contained(self, text):
        self.assertEqual(re.findall(r"(?i)(?:https?|ftp|wss?):|//[a-z0-9.-]+\.[a-z]{2,}/", text), [])
        self.assertEqual(re.findall(r"(?i)\s(?:src|srcset|action|formaction)=|url\(|@import", text), [])
        self.assertEqual(re.findall(r'(?i)href="(?!data:)', text), [])
        self.assertIn("Content-Security-Policy", text)

    def test_multi_client(self):
        doc, lanes, text = self.render(sample("multi-client.pcapng"))
        self.assertEqual(len(lanes), 3)
        self.check_lanes(doc, lanes)
        self.check_self_contained(text)
        b = self.browser
        self.assertEqual(b.js("document.getElementById('count').textContent"), "3 of 3 clients shown")
        summary = b.js("document.querySelector('.sum').textContent")
        self.assertEqual(summary, "3 clients: 1 ok, 2 failed, 0 incomplete")
        # the filter: words must all match; the outcome boxes
        b.js("(q => { q.value = 'pxe-e3b'; q.dispatchEvent(new Event('input')); })"
             "(document.getElementById('q'))")
        shown = b.js("Array.from(document.querySelectorAll('details.lane:not([hidden])'))"
                     ".map(l => l.dataset.mac)")
        self.assertEqual(shown, ["52:54:00:00:13:02"])
        b.js("(q => { q.value = ''; q.dispatchEvent(new Event('input')); })(document.getElementById('q'));"
             "document.querySelector('input[value=failed]').click()")
        shown = b.js("Array.from(document.querySelectorAll('details.lane:not([hidden])'))"
                     ".map(l => l.dataset.mac)")
        self.assertEqual(shown, [c["mac"] for c in doc["clients"] if c["outcome"] != "failed"])
        self.assertEqual(b.problems(), [])

    def test_one_client(self):
        doc, lanes, text = self.render(sample("bios-pxelinux-ok.pcapng"))
        self.assertEqual(len(lanes), 1)
        self.check_lanes(doc, lanes)
        self.check_self_contained(text)
        # every complete transfer is a bar with its name in a label
        labels = self.browser.js("Array.from(document.querySelectorAll('svg text.l'))"
                                 ".map(t => t.textContent)")
        for f in doc["clients"][0]["files"]:
            if f["complete"]:
                self.assertTrue(any(l.startswith(f["name"] + " \u00b7 ") for l in labels), (f, labels))

    def test_hostile_names_stay_text(self):
        """A boot file name made of markup, on standard input: shown as
        text, nothing of it runs or loads."""
        cap = sample("multi-client.pcapng")
        p = subprocess.run([AS_USER, PLUGIN_DIR, "sh", "-c", tshark_command(cap)],
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(p.returncode, 0, p.stderr)
        self.assertIn("hosts/client2/pxelinux.0", p.stdout)
        tsv = p.stdout.replace("hosts/client2/pxelinux.0", HOSTILE)
        page = os.path.join(self.tmp, "hostile.html")
        r = subprocess.run([REPORT, "--format", "csv", "--html", page, "-"], input=tsv,
                           capture_output=True, text=True, timeout=600)
        self.assertEqual(r.returncode, 1, r.stderr)
        self.assertIn(HOSTILE.replace('"', '""'), r.stdout)   # the CSV came too
        b = self.browser
        b.load(page)
        self.assertEqual(b.problems(), [])
        self.assertEqual(b.js("document.querySelectorAll('img').length"), 0)
        self.assertEqual(b.js("document.scripts.length"), 1)
        self.assertTrue(b.js(f"document.documentElement.textContent.includes({json.dumps(HOSTILE)})"))
        self.assertEqual(b.js("document.querySelectorAll('details.lane').length"), 3)


class Options(unittest.TestCase):
    """The page's plumbing; no browser needed."""

    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix="pxe-html.")
        os.chmod(self.tmp, 0o777)

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_dash_is_refused(self):
        p = run(["--html", "-", "-"], stdin="", as_user=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn("--html takes", p.stderr)

    def test_unwritable_page_fails_first(self):
        page = os.path.join(self.tmp, "missing-dir", "page.html")
        p = run(["--html", page, "-"], stdin="", as_user=False)
        self.assertEqual(p.returncode, 2)
        self.assertIn(page, p.stderr)
        self.assertEqual(p.stdout, "")

    def test_bad_input_gives_a_no_report_page(self):
        page = os.path.join(self.tmp, "page.html")
        p = run(["--html", page, "-"], stdin="not tshark output\n", as_user=False)
        self.assertEqual(p.returncode, 2)
        with open(page, encoding="utf-8") as f:
            text = f.read()
        self.assertIn("No report", text)
        self.assertNotIn("<details", text)

    def test_follow_and_page_agree(self):
        """--follow --format jsonl streams; the page at the end has every
        client the lines named."""
        cap = sample("multi-client.pcapng")
        page = os.path.join(self.tmp, "follow.html")
        p = run(["--plugin-dir", PLUGIN_DIR, "--follow", "--format", "jsonl", "--html", page, cap])
        self.assertEqual(p.returncode, 1, p.stderr)
        macs = {json.loads(line)["mac"] for line in p.stdout.splitlines()}
        with open(page, encoding="utf-8") as f:
            lanes = set(re.findall(r'<details class="lane \w+" data-mac="([0-9a-f:]{17})"', f.read()))
        self.assertEqual(lanes, macs)
        self.assertEqual(len(lanes), 3)


if __name__ == "__main__":
    main()
