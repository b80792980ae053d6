# pxetest.py - shared helpers of the end-to-end tests: run the real tshark
# with the built plugin (as an unprivileged user when root, see
# tests/lib/as-user) and read its -T fields output.
# SPDX-License-Identifier: GPL-2.0-or-later
import functools
import os
import re
import subprocess
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD_DIR = os.environ.get("PXE_BUILD_DIR", os.path.join(SOURCE_DIR, "build"))
PLUGIN_DIR = os.path.join(BUILD_DIR, "plugins")
AS_USER = os.path.join(SOURCE_DIR, "tests", "lib", "as-user")
SHARED = os.environ.get("PXE_SHARED_CAPTURES",
                        os.path.abspath(os.path.join(SOURCE_DIR, "..", "shared", "captures")))
SAMPLES = os.path.join(SOURCE_DIR, "samples", "captures")


def shared(path):
    """Path of a capture in ../shared/captures; skips the test when absent."""
    full = os.path.join(SHARED, path)
    if not os.path.exists(full):
        raise unittest.SkipTest(f"{full} not found: ../shared/captures is not beside this checkout")
    return full


def sample(name):
    full = os.path.join(SAMPLES, name)
    if not os.path.exists(full):
        raise unittest.SkipTest(f"lab capture {name} not committed yet")
    return full


def tshark(args, check=True):
    cmd = [AS_USER, PLUGIN_DIR, "tshark"] + list(args)
    p = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if check and p.returncode != 0:
        raise AssertionError(f"tshark failed ({p.returncode}): {' '.join(cmd)}\n{p.stderr}")
    return p


@functools.lru_cache(maxsize=None)
def tshark_version():
    """(major, minor) of the tshark the tests run."""
    out = tshark(["--version"]).stdout
    m = re.search(r"\(Wireshark\) (\d+)\.(\d+)\.", out)
    if not m:
        raise AssertionError(f"no version in tshark --version: {out[:200]!r}")
    return int(m.group(1)), int(m.group(2))


@functools.lru_cache(maxsize=None)
def value_names(field):
    """{number: name} of a field's value string, from tshark -G values."""
    names = {}
    for line in tshark(["-G", "values"]).stdout.splitlines():
        cols = line.split("\t")
        if len(cols) == 4 and cols[0] == "V" and cols[1] == field:
            names[int(cols[2])] = cols[3]
    if not names:
        raise AssertionError(f"tshark -G values lists no values for {field}")
    return names


def boolean(value):
    """How -T fields prints a boolean field of this tshark: 1/0 in 4.0,
    True/False from 4.2's field formatting on (4.4 and 4.6 checked)."""
    if tshark_version() >= (4, 2):
        return "True" if value else "False"
    return "1" if value else "0"


def fields(capture, names, two_pass=False, dfilter=None, options=()):
    """Rows of dicts, one per frame (matching dfilter), keyed by field name."""
    args = ["-r", capture, "-T", "fields", "-E", "header=n", "-E", "separator=/t",
            "-E", "aggregator=|", "-E", "occurrence=a"]
    if two_pass:
        args.append("-2")
    if dfilter:
        args += ["-Y", dfilter]
    for o in options:
        args += ["-o", o]
    for n in names:
        args += ["-e", n]
    out = tshark(args).stdout
    rows = []
    for line in out.splitlines():
        cols = line.split("\t")
        cols += [""] * (len(names) - len(cols))
        rows.append(dict(zip(names, cols)))
    return rows


def frames(capture, dfilter, two_pass=False, options=()):
    return [int(r["frame.number"]) for r in
            fields(capture, ["frame.number"], two_pass=two_pass, dfilter=dfilter, options=options)]


def diagnoses(capture, two_pass=True, options=()):
    """{frame: [(code, severity, summary, [frames])]} for every diagnosed frame."""
    out = {}
    for r in fields(capture, ["frame.number", "pxe.diag", "pxe.diag.severity", "pxe.diag.summary",
                              "pxe.diag.frames"], two_pass=two_pass, dfilter="pxe.diag",
                    options=options):
        parts = [r[k].split("|") for k in ("pxe.diag", "pxe.diag.severity", "pxe.diag.summary",
                                           "pxe.diag.frames")]
        out[int(r["frame.number"])] = [(c, s, m, [int(x) for x in f.split()])
                                       for c, s, m, f in zip(*parts)]
    return out


def codes(capture, min_severity="warning", two_pass=True):
    rank = {"note": 1, "warning": 2, "error": 3}
    found = set()
    for diags in diagnoses(capture, two_pass).values():
        for code, sev, _, _ in diags:
            if rank[sev] >= rank[min_severity]:
                found.add(code)
    return found
