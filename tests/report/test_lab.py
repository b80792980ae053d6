# test_lab.py - pxe-report end to end on the lab's own captures
# (samples/captures): every client listed in samples/verdicts.tsv (the truth
# from the lab's server and client logs: capture, mac, outcome, codes, note)
# gets that outcome and at least those diagnosis codes; a good boot exits 0;
# the pipeline and direct forms agree.  Skips (exit 77) while the captures
# and samples/verdicts.tsv are not there.
# SPDX-License-Identifier: GPL-2.0-or-later
import csv
import json
import os
import re
import unittest

from reporttest import SAMPLES, SOURCE_DIR, client, codes, main, pipeline, report

VERDICTS = os.environ.get("PXE_VERDICTS", os.path.join(SOURCE_DIR, "samples", "verdicts.tsv"))


def sample(name):
    full = os.path.join(SAMPLES, name)
    if not os.path.exists(full):
        raise unittest.SkipTest(f"lab capture {name} not there yet")
    return full


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


if __name__ == "__main__":
    main(requires=SAMPLES)
