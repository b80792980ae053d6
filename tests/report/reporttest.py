# reporttest.py - shared helpers of pxe-report's end-to-end tests: run the
# real pxe-report (and through it the real tshark with the built plugin) as
# an unprivileged user when root (tshark run as root ignores
# WIRESHARK_PLUGIN_DIR, see tests/lib/as-user), and a runner that exits 77
# (CTest: skipped) when every test of a script was skipped.
# SPDX-License-Identifier: GPL-2.0-or-later
import json
import os
import shlex
import subprocess
import sys
import unittest

HERE = os.path.dirname(os.path.abspath(__file__))
SOURCE_DIR = os.path.abspath(os.path.join(HERE, "..", ".."))
BUILD_DIR = os.environ.get("PXE_BUILD_DIR", os.path.join(SOURCE_DIR, "build"))
PLUGIN_DIR = os.path.join(BUILD_DIR, "plugins")
REPORT = os.environ.get("PXE_REPORT", os.path.join(BUILD_DIR, "postproc", "pxe-report"))
AS_USER = os.path.join(SOURCE_DIR, "tests", "lib", "as-user")
SHARED = os.environ.get("PXE_SHARED_CAPTURES",
                        os.path.abspath(os.path.join(SOURCE_DIR, "..", "shared", "captures")))
SAMPLES = os.path.join(SOURCE_DIR, "samples", "captures")
SKIP = 77


def sample(name):
    """Path of a committed lab capture; skips the test when absent."""
    full = os.path.join(SAMPLES, name)
    if not os.path.exists(full):
        raise unittest.SkipTest(f"lab capture {name} not there")
    return full


def shared(path):
    """Path of a capture in ../shared/captures; skips the test when absent."""
    full = os.path.join(SHARED, path)
    if not os.path.exists(full):
        raise unittest.SkipTest(f"{full} not found: ../shared/captures is not beside this checkout")
    return full


def run(args, stdin=None, as_user=True, plugin_dir=PLUGIN_DIR, timeout=600):
    """Run pxe-report; returns the CompletedProcess (text)."""
    cmd = [REPORT] + list(args)
    if as_user:
        cmd = [AS_USER, plugin_dir] + cmd
    return subprocess.run(cmd, input=stdin, capture_output=True, text=True, timeout=timeout)


def report(captures, *options, check_exit=None):
    """pxe-report --format json with the build's plugin: (exit status, document)."""
    p = run(["--plugin-dir", PLUGIN_DIR, "--format", "json"] + list(options) + list(captures))
    if check_exit is not None and p.returncode != check_exit:
        raise AssertionError(f"exit {p.returncode}, wanted {check_exit}\n{p.stderr}")
    return p.returncode, json.loads(p.stdout)


def tshark_command(capture, *options):
    """The tshark command line pxe-report prints for capture."""
    p = run(["--print-tshark-command"] + list(options) + [capture], as_user=False)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def pipeline(capture, *report_options, tshark_extra=""):
    """tshark ... | pxe-report [options] - : the pipeline form, as the user."""
    cmd = (f"{tshark_command(capture)} {tshark_extra} | "
           f"{shlex.quote(REPORT)} {' '.join(shlex.quote(o) for o in report_options)} -")
    return subprocess.run([AS_USER, PLUGIN_DIR, "sh", "-c", cmd], capture_output=True, text=True,
                          timeout=600)


def client(doc, mac):
    for c in doc["clients"]:
        if c["mac"] == mac:
            return c
    raise AssertionError(f"client {mac} not in the report: {[c['mac'] for c in doc['clients']]}")


def codes(c, attempt=None):
    return {d["code"] for d in c["diagnoses"] if attempt is None or d["attempt"] == attempt}


def main(requires=None):
    """unittest.main, but exit 77 (skipped) when the path `requires` is
    missing or every test was skipped."""
    if requires and not os.path.exists(requires):
        print(f"SKIP: {requires} not found")
        sys.exit(SKIP)
    prog = unittest.main(exit=False, verbosity=2)
    r = prog.result
    if not r.wasSuccessful():
        sys.exit(1)
    if r.testsRun and len(r.skipped) == r.testsRun:
        print("all tests skipped:", "; ".join(sorted({why for _, why in r.skipped})))
        sys.exit(SKIP)
    sys.exit(0)
