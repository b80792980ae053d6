# test_lab.py - pxe-report end to end on the lab's own captures
# (samples/captures): every client listed in samples/verdicts.tsv (the truth
# from the lab's server and client logs: capture, mac, outcome, codes, note)
# gets that outcome and at least those diagnosis codes; a good boot exits 0;
# the pipeline and direct forms agree; IPv6 PXE and UEFI HTTP boot show
# their IPv6 address and servers and each file's protocol in every output.
# Skips (exit 77) while the captures and samples/verdicts.tsv are not there.
# SPDX-License-Identifier: GPL-2.0-or-later
import csv
import glob
import io
import ipaddress
import json
import os
import re
import subprocess
import tempfile
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


V6_COLUMNS = ("pxe.client_ip6", "pxe.tftp_server6", "pxe.dhcp_server6", "pxe.dhcp.assigned_addr6",
              "pxe.dhcp.relay6")


def without_columns(text, names):
    """tshark fields output without the named columns: an older plugin's."""
    rows = [line.split("\t") for line in text.splitlines()]
    keep = [i for i, name in enumerate(rows[0]) if name not in names]
    return "".join("\t".join(r[i] for i in keep) + "\n" for r in rows)


def flat(text):
    """The text report with its wrapping undone: one space between words."""
    return " ".join(text.split())


class OneWayCapture(unittest.TestCase):
    """A mirror of the client's port in one direction: only the client's own
    frames of a good boot (bios-pxelinux-ok) are kept; its ACKs and its next
    requests prove each file, so the boot is still ok."""

    def test_client_side_only_is_ok(self):
        full = sample("bios-pxelinux-ok.pcapng")
        mac = "52:54:00:00:01:01"
        with tempfile.TemporaryDirectory() as tmp:
            os.chmod(tmp, 0o755)
            oneway = os.path.join(tmp, "oneway.pcapng")
            subprocess.run(["tshark", "-r", full, "-Y", f"eth.src == {mac}", "-w", oneway],
                           check=True, capture_output=True)
            os.chmod(oneway, 0o644)
            _, doc = report([oneway], check_exit=0)
        c = client(doc, mac)
        self.assertEqual(c["outcome"], "ok")
        self.assertIn("one-way-capture", codes(c))
        self.assertFalse({d["code"] for d in c["diagnoses"] if d["severity"] != "note"})


class RelayBlame(unittest.TestCase):
    """Boots through dhcrelay: the diagnosis names the relay and points at the
    path or the server's scope, as the lab's logs show the cause."""

    def summary(self, name, mac, code):
        _, doc = report([sample(name)])
        found = [d["summary"] for d in client(doc, mac)["diagnoses"] if d["code"] == code]
        self.assertTrue(found, f"{code} in {name}")
        return found[0]

    def test_tftp_blocked_between_segments(self):
        s = self.summary("relay-bios-tftp-blocked.pcapng", "52:54:00:00:2e:01", "PXE-E32")
        self.assertIn("relay 198.51.100.1", s)
        self.assertIn("path between", s)

    def test_unknown_segment(self):
        s = self.summary("relay-dhcpd-unknown-segment.pcapng", "52:54:00:00:37:01", "PXE-E51")
        self.assertIn("relayed by 198.51.100.1", s)
        self.assertIn("scope", s)


class Ipv6AndHttp(unittest.TestCase):
    """IPv6 PXE and UEFI HTTP boot from the lab: the IPv6 address and servers
    (pxe.*6 columns) in every output, each file's protocol, the boot server
    named by it; output of a plugin without the IPv6 columns still reads."""

    PREFIX = ipaddress.ip_network("2001:db8:0:1::/64")
    SNP = 173792   # snponly.efi's size in the lab (the server's file)

    def check_v6_address(self, addr):
        self.assertIsNotNone(addr)
        self.assertIn(ipaddress.ip_address(addr), self.PREFIX)

    def test_pxe6_json(self):
        status, doc = report([sample("uefi-pxe6-ok.pcapng")])
        self.assertEqual(status, 0)
        c = client(doc, "52:54:00:00:30:01")
        self.assertEqual(c["outcome"], "ok")
        self.check_v6_address(c["address"])
        self.check_v6_address(c["assigned_addr"])
        self.assertEqual(c["servers"]["tftp"], ["2001:db8:0:1::1"])
        self.assertTrue(c["servers"]["dhcp"])
        for s in c["servers"]["dhcp"]:
            self.assertEqual(ipaddress.ip_address(s).version, 6)
        for a in c["attempts"]:
            self.check_v6_address(a["address"])
        files = [(f["name"], f["protocol"], f["complete"]) for f in c["files"]]
        self.assertEqual(files, [(n, "tftp", True)
                                 for n in ("snponly.efi", "boot.ipxe", "vmlinuz", "initrd.img")])
        self.assertEqual(c["files"][0]["bytes"], self.SNP)

    def test_pxe6_text_csv_follow_html(self):
        text = saved_fields(sample("uefi-pxe6-ok.pcapng"))
        _, out = folded(text, "--format", "json")
        addr = client(json.loads(out), "52:54:00:00:30:01")["address"]
        self.check_v6_address(addr)
        _, out = folded(text, "--color=never")
        details = flat(out)
        self.assertIn(f"52:54:00:00:30:01 UEFI PXE, EFI x64 (arch 7), address {addr}", details)
        self.assertRegex(details, r"servers DHCP fe80::[0-9a-f:]+; TFTP 2001:db8:0:1::1 ")
        self.assertRegex(details, rf"file snponly\.efi {self.SNP} bytes, complete, [\d.]+ s, "
                                  r"boot file \(NBP\), TFTP ")
        _, out = folded(text, "--format", "csv")
        [row] = list(csv.DictReader(io.StringIO(out)))
        self.assertEqual((row["address"], row["tftp_servers"], row["nbp_protocol"]),
                         (addr, "2001:db8:0:1::1", "tftp"))
        self.check_v6_address(row["assigned_addr"])
        _, out = folded(text, "--follow", "--format", "jsonl")
        finals = [json.loads(line) for line in out.splitlines() if '"final"' in line]
        self.assertEqual([d["address"] for d in finals], [addr])
        _, out = folded(text, "--follow", "--color=never")
        self.assertIn(f"address {addr}", flat(out))
        with tempfile.TemporaryDirectory() as tmp:
            page = os.path.join(tmp, "pxe6.html")
            st, _ = folded(text, "--html", page)
            self.assertEqual(st, 0)
            with open(page) as f:
                html = f.read()
        self.assertRegex(html, r'<span class="who"><b class="mac">52:54:00:00:30:01</b>.*?'
                               rf'<small>[^<]*{re.escape(addr)}')

    def test_httpboot_ok(self):
        cap = sample("uefi-httpboot-ok.pcapng")
        status, doc = report([cap])
        self.assertEqual(status, 0)
        c = client(doc, "52:54:00:00:32:01")
        self.assertEqual(c["outcome"], "ok")
        files = [(f["name"], f["protocol"], f["complete"]) for f in c["files"]]
        self.assertEqual(files, [(n, "http", True)
                                 for n in ("/snponly.efi", "/boot.ipxe", "/vmlinuz", "/initrd.img")])
        nbp = c["files"][0]
        self.assertEqual((nbp["bytes"], nbp["nbp"]), (self.SNP, True))
        self.assertEqual(ipaddress.ip_address(c["address"]).version, 4)
        p = run(["--plugin-dir", PLUGIN_DIR, "--color=never", cap])
        details = flat(p.stdout)
        self.assertIn("servers DHCP 192.0.2.1; HTTP 192.0.2.1 ", details)
        self.assertNotIn("; TFTP ", details)
        self.assertRegex(details, rf"file /snponly\.efi {self.SNP} bytes, complete, [\d.]+ s, "
                                  r"boot file \(NBP\), HTTP ")
        for name in ("/vmlinuz", "/initrd.img"):
            self.assertRegex(details, rf"file {re.escape(name)} \d+ bytes, complete, [\d.]+ s, "
                                      r"phase 2, HTTP ")

    def test_httpboot_404(self):
        cap = sample("uefi-httpboot-404.pcapng")
        status, doc = report([cap])
        self.assertEqual(status, 1)
        c = client(doc, "52:54:00:00:33:01")
        self.assertEqual(c["outcome"], "failed")
        self.assertIn("http-404", codes(c))
        first = c["attempts"][0]
        self.assertEqual(first["outcome"], "failed")
        self.assertTrue(first["reason"].startswith("http-404"), first["reason"])
        self.assertTrue(first["files"])
        for f in first["files"]:
            self.assertEqual((f["name"], f["protocol"], f["complete"], f["status"]),
                             ("/efi/bootx64.efi", "http", False, "failed"))
        p = run(["--plugin-dir", PLUGIN_DIR, "--color=never", cap])
        self.assertIn("servers DHCP 192.0.2.1; HTTP 192.0.2.1 ", flat(p.stdout))

    def test_older_plugin_columns(self):
        """Without the pxe.*6 columns the IPv6 boot still reads: same
        verdict and files, no address."""
        text = saved_fields(sample("uefi-pxe6-ok.pcapng"))
        st_new, new = folded(text, "--format", "json")
        st_old, old = folded(without_columns(text, V6_COLUMNS), "--format", "json")
        self.assertEqual((st_old, st_new), (0, 0))
        new_c = client(json.loads(new), "52:54:00:00:30:01")
        old_c = client(json.loads(old), "52:54:00:00:30:01")
        self.assertIsNone(old_c["address"])
        self.assertEqual(old_c["servers"]["tftp"], [])
        self.assertEqual(old_c["outcome"], new_c["outcome"])
        self.assertEqual([f["name"] for f in old_c["files"]], [f["name"] for f in new_c["files"]])


if __name__ == "__main__":
    main(requires=SAMPLES)
