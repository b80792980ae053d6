# test_stats.py - the PXE statistics tree (tshark -q -z pxe,tree) counted by
# the real tshark with the built plugin, checked against sources that do not
# go through the tree: the frames' own pxe.* fields (-T fields) and
# samples/verdicts.tsv (the truth from the lab's server and client logs).
# Also checks that the configuration profile in doc/profile-pxe compiles.
# SPDX-License-Identifier: GPL-2.0-or-later
import collections
import csv
import os
import pty
import re
import shutil
import subprocess
import tempfile
import unittest

from pxetest import AS_USER, PLUGIN_DIR, SOURCE_DIR, fields, sample, tshark, value_names

VERDICTS = os.path.join(SOURCE_DIR, "samples", "verdicts.tsv")
PROFILE = os.path.join(SOURCE_DIR, "doc", "profile-pxe")
# a few captures with different shapes: three clients, a capture cut short
# (an attempt nothing decides), a chainload, a boot that turned failed, a
# relayed boot recorded on two interfaces (every routed packet twice)
CAPTURES = ["multi-client.pcapng", "bios-capture-ends-early.pcapng",
            "uefi-ipxe-chain-ok.pcapng", "bios-kernel-missing.pcapng",
            "uefi-proxydhcp-ok.pcapng", "relay-bios-ok.pcapng"]
OUTCOMES = ("ok", "failed", "incomplete", "undecided")


def stats_tree(capture, two_pass=False):
    """The pxe,tree output as {path tuple: count}, path from the top node."""
    args = ["-r", capture, "-q", "-z", "pxe,tree"]
    if two_pass:
        args.append("-2")
    out = tshark(args).stdout
    lines = out.splitlines()
    head = next(i for i, l in enumerate(lines) if l.startswith("Topic / Item"))
    col = lines[head].index("Count")
    tree, path = {}, []
    for line in lines[head + 2:]:
        if not line.strip() or line.startswith("---") or line.startswith("==="):
            continue
        name = line[:col].rstrip()
        depth = len(name) - len(name.lstrip(" "))
        path[depth:] = [name.strip()]
        tree[tuple(path)] = int(line[col:].split()[0])
    if not tree:
        raise AssertionError(f"no pxe,tree output for {capture}:\n{out}")
    return tree


def children(tree, *parent):
    return {p[-1]: n for p, n in tree.items() if p[:-1] == parent}


def split(value):
    return value.split("|") if value else []


def truth():
    if not os.path.exists(VERDICTS):
        raise unittest.SkipTest("samples/verdicts.tsv not committed yet")
    by_capture = collections.defaultdict(dict)
    with open(VERDICTS, newline="") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            codes = set() if row["codes"] in ("", "-") else set(row["codes"].split(","))
            by_capture[row["capture"]][row["mac"]] = (row["outcome"], codes)
    return by_capture


class Listed(unittest.TestCase):
    def test_help_lists_the_tree(self):
        p = tshark(["-z", "help"], check=False)
        self.assertIn("pxe,tree", (p.stdout + p.stderr).split())


class AgainstFields(unittest.TestCase):
    """Each count of the tree against the same frames' -T fields output."""

    @classmethod
    def setUpClass(cls):
        cls.stage_names = value_names("pxe.stage")
        cls.arch_names = value_names("pxe.arch")

    def rows(self, cap):
        return fields(cap, ["frame.number", "pxe.stage", "pxe.client", "pxe.firmware", "pxe.arch",
                            "pxe.diag", "pxe.diag.severity", "pxe.outcome", "pxe.outcome.client",
                            "pxe.outcome.attempt"], two_pass=True, dfilter="pxe")

    def test_frames_by_stage(self):
        for name in CAPTURES:
            cap = sample(name)
            want = collections.Counter(self.stage_names[int(r["pxe.stage"])]
                                       for r in self.rows(cap) if r["pxe.stage"])
            for two_pass in (False, True):
                with self.subTest(capture=name, two_pass=two_pass):
                    tree = stats_tree(cap, two_pass)
                    self.assertGreater(sum(want.values()), 0)
                    self.assertEqual(children(tree, "Frames by stage"), dict(want))
                    self.assertEqual(tree[("Frames by stage",)], sum(want.values()))

    def test_diagnoses_by_code(self):
        for name in CAPTURES:
            cap = sample(name)
            want = collections.Counter()
            for r in self.rows(cap):
                for code, sev in zip(split(r["pxe.diag"]), split(r["pxe.diag.severity"])):
                    want[(sev, code)] += 1
            tree = stats_tree(cap, True)
            got = {(p[1], p[2]): n for p, n in tree.items() if len(p) == 3 and p[0] == "Diagnoses"}
            with self.subTest(capture=name):
                self.assertEqual(got, dict(want))
                self.assertEqual(tree[("Diagnoses",)], sum(want.values()))

    def test_attempt_verdicts(self):
        # the last pxe.outcome shown for each (client, attempt): ok may turn failed
        for name in CAPTURES:
            cap = sample(name)
            last = {}
            for r in self.rows(cap):
                for o, c, a in zip(split(r["pxe.outcome"]), split(r["pxe.outcome.client"]),
                                   split(r["pxe.outcome.attempt"])):
                    last[(c, a)] = o
            want = collections.Counter(last.values())
            tree = stats_tree(cap, True)
            with self.subTest(capture=name):
                got = children(tree, "Attempt verdicts")
                self.assertEqual({o: n for o, n in got.items() if n}, dict(want))
                self.assertEqual(got.get("undecided"), 0, "-2 decides every attempt")

    def test_clients_by_firmware_and_arch(self):
        for name in CAPTURES:
            cap = sample(name)
            rows = [r for r in self.rows(cap) if r["pxe.client"]]
            firmware = collections.Counter(f for f in {(r["pxe.client"], r["pxe.firmware"])
                                                       for r in rows if r["pxe.firmware"]})
            arch = {(r["pxe.client"], self.arch_names[int(r["pxe.arch"])]) for r in rows if r["pxe.arch"]}
            frames = collections.Counter(r["pxe.client"] for r in rows)
            tree = stats_tree(cap, True)
            with self.subTest(capture=name):
                self.assertEqual(children(tree, "Clients by firmware"),
                                 dict(collections.Counter(f for _, f in firmware)))
                self.assertEqual(children(tree, "Clients by architecture"),
                                 dict(collections.Counter(a for _, a in arch)))
                self.assertEqual(children(tree, "Clients"), dict(frames))


class AgainstTruth(unittest.TestCase):
    """Each client's verdict and code against samples/verdicts.tsv."""

    def check(self, capture, clients, two_pass):
        tree = stats_tree(sample(capture), two_pass)
        totals = children(tree, "Client verdicts")
        self.assertEqual(tree[("Client verdicts",)], len(clients))
        want_totals = collections.Counter(o for o, _ in clients.values())
        for mac, (outcome, codes) in clients.items():
            rows = children(tree, "Clients", mac)
            if not two_pass and not rows and outcome == "incomplete":
                # one pass: nothing decided any of its attempts yet
                continue
            current = [r for r, n in rows.items() if n == 1]
            self.assertEqual(len(current), 1, f"{mac}: one verdict row counts 1: {rows}")
            self.assertEqual(set(rows.values()) - {0, 1}, set(), f"{mac}: {rows}")
            words = current[0].split()
            self.assertEqual(words[0], outcome, mac)
            if outcome == "failed":
                self.assertEqual(len(words), 2, f"{mac}: failed names its code")
                self.assertIn(words[1], codes, mac)
            else:
                self.assertEqual(len(words), 1, mac)
        if not two_pass:
            # the "incomplete" of an undecided attempt is decided on a second pass
            want_totals["undecided"] = want_totals.pop("incomplete", 0)
        self.assertEqual({o: n for o, n in totals.items() if n}, {o: n for o, n in want_totals.items() if n})

    def test_every_lab_capture_two_pass(self):
        for capture, clients in sorted(truth().items()):
            with self.subTest(capture=capture):
                self.check(capture, clients, True)

    def test_one_pass(self):
        for capture, clients in sorted(truth().items()):
            if capture in CAPTURES:
                with self.subTest(capture=capture):
                    self.check(capture, clients, False)


class OnePassAndTwo(unittest.TestCase):
    """A frame is counted once whether tshark makes one pass or two; only the
    'incomplete' the second pass decides differs."""

    def test_same_counts(self):
        for name in CAPTURES:
            cap = sample(name)
            one, two = stats_tree(cap), stats_tree(cap, True)
            with self.subTest(capture=name):
                for top in ("Frames by stage", "Diagnoses", "Clients by firmware",
                            "Clients by architecture", "Clients"):
                    self.assertEqual({p: n for p, n in one.items() if p[0] == top and len(p) < 3},
                                     {p: n for p, n in two.items() if p[0] == top and len(p) < 3}, top)
                a1, a2 = children(one, "Attempt verdicts"), children(two, "Attempt verdicts")
                for o in ("ok", "failed"):
                    self.assertEqual(a1[o], a2[o], o)
                self.assertEqual(a1["incomplete"], 0, "one pass never shows incomplete")
                self.assertEqual(a1["undecided"], a2["incomplete"])
                self.assertEqual(a2["undecided"], 0)


class Filtered(unittest.TestCase):
    def test_tree_with_display_filter(self):
        cap = sample("multi-client.pcapng")
        mac = "52:54:00:00:13:02"
        out = tshark(["-r", cap, "-q", "-2", "-z", f"pxe,tree,pxe.client == {mac}"]).stdout
        self.assertIn(mac, out)
        self.assertNotIn("52:54:00:00:13:01", out)


def compiles(expr, capture):
    p = tshark(["-r", capture, "-Y", expr, "-c", "1"], check=False)
    return p.returncode == 0, p.stderr.strip()


def read_rules(path):
    """[(name, filter, background (r, g, b) in 8 bits)] of a colorfilters file."""
    rules = []
    with open(path) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            m = re.match(r"^@([^@]+)@([^@]+)@\[(\d+),(\d+),(\d+)\]\[(\d+),(\d+),(\d+)\]$", line.rstrip("\n"))
            if not m:
                raise AssertionError(f"{path}: not a colouring rule: {line!r}")
            rules.append((m.group(1), m.group(2), tuple(int(m.group(i)) // 257 for i in (3, 4, 5))))
    return rules


def with_profile(args):
    """tshark with doc/profile-pxe installed as profile PXE, as a user would
    (~/.config/wireshark/profiles/PXE, here under XDG_CONFIG_HOME), on a
    pseudo-terminal so that --color paints: returns (status, output)."""
    conf = tempfile.mkdtemp(prefix="pxediag-profile.")
    try:
        shutil.copytree(PROFILE, os.path.join(conf, "wireshark", "profiles", "PXE"))
        for root, _, files in os.walk(conf):
            os.chmod(root, 0o755)
            for f in files:
                os.chmod(os.path.join(root, f), 0o644)
        cmd = [AS_USER, PLUGIN_DIR, "env", f"XDG_CONFIG_HOME={conf}", "TERM=xterm-256color",
               "COLORTERM=truecolor", "tshark", "-C", "PXE"] + list(args)
        master, slave = pty.openpty()
        proc = subprocess.Popen(cmd, stdout=slave, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)
        os.close(slave)
        chunks = []
        while True:
            try:
                data = os.read(master, 65536)
            except OSError:      # EIO: the other side is closed
                break
            if not data:
                break
            chunks.append(data)
        os.close(master)
        err = proc.stderr.read().decode()
        proc.stderr.close()
        proc.wait(timeout=600)
        return proc.returncode, b"".join(chunks).decode(errors="replace"), err
    finally:
        shutil.rmtree(conf, ignore_errors=True)


PAINTED = re.compile(r"\x1b\[38;2;\d+;\d+;\d+m\x1b\[48;2;(\d+);(\d+);(\d+)m\s*(\d+) ")


class Profile(unittest.TestCase):
    """doc/profile-pxe: every colouring rule is a display filter that
    compiles; loaded by tshark -C PXE, its columns show the pxe fields and its
    rules paint each frame as its pxe fields say (failures, warnings,
    verdicts, then the stages)."""

    def setUp(self):
        if not os.path.isdir(PROFILE):
            self.fail(f"{PROFILE} missing")
        self.rules = read_rules(os.path.join(PROFILE, "colorfilters"))

    def test_snippet_is_the_profile_rules(self):
        self.assertEqual(read_rules(os.path.join(SOURCE_DIR, "doc", "colorfilters.pxe")), self.rules)

    def test_filters_compile(self):
        cap = sample("multi-client.pcapng")
        self.assertGreaterEqual(len(self.rules), 4)
        exprs = [(n, e) for n, e, _ in self.rules]
        with open(os.path.join(PROFILE, "dfilter_buttons")) as f:
            for line in f:
                if line.startswith('"'):
                    cols = re.findall(r'"((?:[^"\\]|\\.)*)"', line)
                    exprs.append((cols[1], cols[2].replace("\\x22", '"')))
        for name, expr in exprs:
            ok, err = compiles(expr, cap)
            self.assertTrue(ok, f"{name!r}: {expr!r}: {err}")

    def test_columns_and_colours(self):
        cap = sample("multi-client.pcapng")
        status, out, err = with_profile(["--color", "-2", "-r", cap])
        self.assertEqual(status, 0, err)
        self.assertRegex(out, r" tftp-error 52:54:00:00:13:02 1 ", "Stage, Client and Try columns")
        painted = {int(m.group(4)): tuple(int(m.group(i)) for i in (1, 2, 3)) for m in PAINTED.finditer(out)}
        colour = {n: c for n, _, c in self.rules}
        want = {}
        for r in fields(cap, ["frame.number", "pxe.stage", "pxe.diag.severity", "pxe.outcome"],
                        two_pass=True, dfilter="pxe"):
            sev, outcome = split(r["pxe.diag.severity"]), split(r["pxe.outcome"])
            stage = int(r["pxe.stage"]) if r["pxe.stage"] else 0
            if "error" in sev or "failed" in outcome:
                rule = "PXE failure"
            elif "warning" in sev:
                rule = "PXE warning"
            elif "incomplete" in outcome:
                rule = "PXE incomplete"
            elif "ok" in outcome:
                rule = "PXE boot ok"
            elif "note" in sev:
                rule = "PXE note"
            elif 1 <= stage <= 13:
                rule = "PXE DHCP"
            elif 14 <= stage <= 19:
                rule = "PXE TFTP"
            else:
                rule = "PXE ARP"
            want[int(r["frame.number"])] = colour[rule]
        self.assertIn(colour["PXE failure"], want.values())
        self.assertIn(colour["PXE boot ok"], want.values())
        self.assertEqual({n: painted.get(n) for n in want}, want)


if __name__ == "__main__":
    unittest.main()
