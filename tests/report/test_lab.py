# test_lab.py - pxe-report end to end on the lab's own captures
# (samples/captures): every client listed in samples/verdicts.tsv (the truth
# from the lab's server and client logs: capture, mac, outcome, codes, note)
# gets that outcome and at least those diagnosis codes; a good boot exits 0;
# the pipeline and direct forms agree.  Skips (exit 77) while the captures
# and samples/verdicts.tsv are not there.
# SPDX-License-Identifier: GPL-2.0-or-later
import csv
import glob
import io
import json
import os
import re
import subprocess
import unittest

from reporttest import (sample, AS_USER, PLUGIN_DIR, SAMPLES, SOURCE_DIR, client, codes, main, pipeline,
                        report, run, tshark_command)

VERDICTS = os.environ.get("PXE_VERDICTS", os.path.join(SOURCE_DIR, "samples", "verdicts.tsv"))



class Verdicts(unittest.TestCase):
    def test_every_listed_client(self):
        if not os.path.exists(VERDICTS):
            self.skipTest("samples/verdicts.tsv not there yet")
        with open(VERDICTS, newline="") as f:
            rows = [r for r in csv.DictReader(f, delimiter="\t")
                    if r.get("capture") and not r["capture"].startswith("#")]
        self.assertGreater(len(rows), 0, "samples/verdicts.tsv lists no capture")
        docs = {}
        for v in rows:
            name = v["capture"].strip()
            path = name if os.path.isabs(name) else os.path.join(SAMPLES, name)
            if not os.path.exists(path):
                path = os.path.join(SOURCE_DIR, "samples", name)
            with self.subTest(capture=name, mac=v["mac"]):
                self.assertTrue(os.path.exists(path), f"{name} is listed but not there")
                if path not in docs:
                    docs[path] = report([path])[1]
                c = client(docs[path], v["mac"].strip().lower().replace("-", ":"))
                self.assertEqual(c["outcome"], v["outcome"].strip(),
                                 f"{name} {v['mac']}: {v.get('note', '')}")
                want = {x for x in re.split(r"[,\s]+", v.get("codes") or "") if x and x != "-"}
                self.assertLessEqual(want, codes(c), f"{name} {v['mac']}: {v.get('note', '')}")


class GoodBoot(unittest.TestCase):
    def test_ok_exits_zero(self):
        status, doc = report([sample("bios-pxelinux-ok.pcapng")])
        self.assertEqual(status, 0)
        [c] = doc["clients"]
        self.assertEqual((c["outcome"], c["stage"], c["firmware"]), ("ok", "tftp-ack", "iPXE"))
        names = [f["name"] for f in c["files"] if f["complete"]]
        self.assertEqual(names[:2], ["pxelinux.0", "ldlinux.c32"])
        self.assertTrue(c["files"][0]["nbp"])
        self.assertEqual(c["files"][0]["bytes"], 42430)
        self.assertNotIn("error", {d["severity"] for d in c["diagnoses"]})

    def test_pipeline_equals_direct(self):
        for name in ("multi-client.pcapng", "uefi-syslinux-ok.pcapng"):
            with self.subTest(capture=name):
                cap = sample(name)
                status, direct = report([cap])
                p = pipeline(cap, "--format", "json")
                self.assertEqual(p.returncode, status, p.stderr)
                piped = json.loads(p.stdout)
                for d in (direct, piped):
                    for c in d["clients"]:
                        c.pop("capture")
                self.assertEqual(piped, direct)


def saved_fields(cap):
    """tshark's output for cap, produced once, as pxe-report would read it."""
    cmd = tshark_command(cap)
    p = subprocess.run([AS_USER, PLUGIN_DIR, "sh", "-c", cmd], capture_output=True, text=True,
                       timeout=600)
    assert p.returncode == 0, p.stderr
    return p.stdout


def folded(text, *options):
    p = run(list(options) + ["-"], stdin=text, as_user=False)
    return p.returncode, p.stdout


class OutputsAgree(unittest.TestCase):
    """Table, details, summary, JSON, JSON lines, CSV and the exit status give
    every client of every committed capture the same outcome."""

    def test_every_capture(self):
        caps = sorted(glob.glob(os.path.join(SAMPLES, "*.pcapng")))
        self.assertGreater(len(caps), 20)
        for cap in caps:
            with self.subTest(capture=os.path.basename(cap)):
                text = saved_fields(cap)
                st_json, out = folded(text, "--format", "json")
                want = {c["mac"]: c["outcome"] for c in json.loads(out)["clients"]}
                self.assertTrue(want)
                st_csv, out = folded(text, "--format", "csv")
                rows = list(csv.DictReader(io.StringIO(out)))
                self.assertEqual({r["mac"]: r["outcome"] for r in rows}, want)
                st_jsonl, out = folded(text, "--format", "jsonl")
                got = {}
                for line in out.splitlines():
                    d = json.loads(line)
                    if "mac" in d:
                        got[d["mac"]] = d["outcome"]
                self.assertEqual(got, want)
                st_text, out = folded(text, "--color=never")
                table = {}
                details = {}
                mac_re = r"([0-9a-f]{2}(?::[0-9a-f]{2}){5})"
                for line in out.splitlines():
                    m = re.match(mac_re + r"\s+(ok|failed|incomplete)\s+\d+\s", line)
                    if m:
                        table[m.group(1)] = m.group(2)
                self.assertEqual(table, want)
                counts = {o: list(want.values()).count(o) for o in ("ok", "failed", "incomplete")}
                summary = (f"{len(want)} clients: {counts['ok']} ok, {counts['failed']} failed, "
                           f"{counts['incomplete']} incomplete")
                self.assertIn(summary, out)
                every_ok = all(o == "ok" for o in want.values())
                for st in (st_json, st_csv, st_jsonl, st_text):
                    self.assertEqual(st, 0 if every_ok else 1)


class ReadmeDemo(unittest.TestCase):
    """The README shows what ./setup.sh prints: pxe-report on multi-client.pcapng."""

    def test_readme_table_is_current(self):
        cap = sample("multi-client.pcapng")
        p = run(["--plugin-dir", PLUGIN_DIR, "--color=never", cap])
        table = "\n".join("    " + line for line in p.stdout.split("\n\n")[0].strip().splitlines())
        with open(os.path.join(SOURCE_DIR, "README.md")) as f:
            readme = f.read()
        self.assertIn(table, readme, "README's demo table is not what ./setup.sh prints now")
        summary = p.stdout.strip().splitlines()[-1]
        self.assertIn(summary, readme)


if __name__ == "__main__":
    main(requires=SAMPLES)
