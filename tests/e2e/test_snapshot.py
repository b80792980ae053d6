# test_snapshot.py - what the plugin says about a frame is what was true when
# the frame was seen: one pass (tshark -r) and two passes (tshark -2, the way
# the GUI shows a clicked frame again) give identical values for every
# snapshot field on every frame of every committed and public capture.  The
# forward fields (response_in, next_in, response_count, offer.taken, the
# transfer summary, and the "incomplete" verdict shown on an undecided
# attempt's last frame) are documented as learned later and left out.
# SPDX-License-Identifier: GPL-2.0-or-later
import glob
import os
import unittest

from pxetest import SAMPLES, SHARED, fields

SNAPSHOT = [
    "frame.number", "pxe.stage", "pxe.client", "pxe.client_ip", "pxe.client_ip6", "pxe.arch",
    "pxe.firmware", "pxe.tftp_server6", "pxe.dhcp_server6", "pxe.diag.screen",
    "pxe.attempt", "pxe.phase", "pxe.time", "pxe.bootfile", "pxe.tftp_server",
    "pxe.dhcp_server", "pxe.offer.complete", "pxe.offer.proxy", "pxe.offer.address",
    "pxe.offer.next_server", "pxe.offer.bootfile", "pxe.request_in", "pxe.prev_in",
    "pxe.tftp.file", "pxe.tftp.nbp", "pxe.tftp.request_in", "pxe.diag", "pxe.diag.severity",
    "pxe.diag.summary", "pxe.diag.frames", "pxe.diag.client", "pxe.diag.attempt",
]
VERDICT = ["pxe.outcome", "pxe.outcome.client", "pxe.outcome.attempt", "pxe.outcome.code",
           "pxe.outcome.reason"]


def captures():
    found = sorted(glob.glob(os.path.join(SAMPLES, "*.pcapng")))
    for ext in ("pcap", "pcapng", "cap"):
        found += sorted(glob.glob(os.path.join(SHARED, "**", "*." + ext), recursive=True))
    return found


def verdicts(row, drop_incomplete):
    """The verdict items of a row as tuples; -2 adds "incomplete" ones."""
    cols = [row[k].split("|") if row[k] else [] for k in VERDICT]
    items = list(zip(*cols))
    return [v for v in items if not (drop_incomplete and v[0] == "incomplete")]


class Snapshot(unittest.TestCase):
    def test_one_pass_equals_two_passes(self):
        caps = captures()
        self.assertGreater(len(caps), 20)
        checked = 0
        for cap in caps:
            one = fields(cap, SNAPSHOT + VERDICT, dfilter="pxe")
            two = fields(cap, SNAPSHOT + VERDICT, dfilter="pxe", two_pass=True)
            one = {r["frame.number"]: r for r in one}
            two = {r["frame.number"]: r for r in two}
            # -2 may show a frame more: an undecided attempt's last frame
            # carrying nothing but its "incomplete" verdict
            for f in set(two) - set(one):
                self.assertEqual(verdicts(two[f], True), [], f"{cap} frame {f}")
            self.assertLessEqual(set(one), set(two), cap)
            for f, r1 in one.items():
                r2 = two[f]
                for k in SNAPSHOT:
                    self.assertEqual(r1[k], r2[k], f"{os.path.basename(cap)} frame {f}: {k}")
                counts = {len(r1[k].split("|")) if r1[k] else 0 for k in VERDICT}
                self.assertEqual(len(counts), 1, f"{cap} frame {f}: verdict columns pair up")
                self.assertEqual(verdicts(r1, False), verdicts(r2, True),
                                 f"{os.path.basename(cap)} frame {f}: verdicts")
                checked += 1
        self.assertGreater(checked, 1000)


if __name__ == "__main__":
    unittest.main()
