# test_plugin.py - the pxe plugin in the real tshark on real captures: it
# loads, marks the frames of a boot with stage and client (and nothing else),
# filters by stage, and diagnoses what the public failure captures show.
# Expectations were checked by hand against each capture (see SOURCES.txt in
# ../shared/captures and the tshark dissection of each frame).
# SPDX-License-Identifier: GPL-2.0-or-later
import unittest

from pxetest import boolean, codes, diagnoses, fields, frames, shared, tshark

RS = "Qubasa+rs_pxe/"


class PluginLoads(unittest.TestCase):
    def test_listed_by_tshark(self):
        out = tshark(["-G", "plugins"]).stdout
        self.assertRegex(out, r"pxe\.so\s+\S+\s+dissector")

    def test_fields_registered(self):
        out = tshark(["-G", "fields"]).stdout
        for f in ("pxe.stage", "pxe.client", "pxe.attempt", "pxe.diag", "pxe.tftp.bytes",
                  "pxe.offer.complete", "pxe.expert.e53"):
            self.assertIn("\t" + f + "\t", out, f)


class Stages(unittest.TestCase):
    def test_intel_bios_proxy_dhcp(self):
        cap = shared(RS + "intel_bios_dhcp.pcapng")
        rows = fields(cap, ["frame.number", "pxe.stage", "pxe.client", "pxe.attempt"])
        # DISCOVER, proxyDHCP offer (yiaddr 0, PXEClient, ipxe.pxe), the router's offer,
        # REQUEST/ACK with the router, then the 4011 exchange
        want = [1, 3, 2, 4, 5, 10, 11]
        self.assertEqual([int(r["pxe.stage"]) for r in rows], want)
        self.assertEqual({r["pxe.client"] for r in rows}, {"00:01:2e:91:f7:fe"})
        self.assertEqual({r["pxe.attempt"] for r in rows}, {"1"})

    def test_filter_by_stage_name_and_order(self):
        cap = shared(RS + "intel_bios_dhcp.pcapng")
        self.assertEqual(frames(cap, 'pxe.stage == "proxy-offer"'), [2])
        self.assertEqual(frames(cap, 'pxe.stage == "proxy-ack"'), [7])
        self.assertEqual(frames(cap, "pxe.stage >= 10"), [6, 7])

    def test_links_two_pass(self):
        cap = shared(RS + "intel_bios_dhcp.pcapng")
        rows = {int(r["frame.number"]): r for r in fields(
            cap, ["frame.number", "pxe.request_in", "pxe.response_in", "pxe.prev_in", "pxe.next_in",
                  "pxe.offer.taken", "pxe.offer.complete", "pxe.offer.proxy"], two_pass=True)}
        self.assertEqual(rows[1]["pxe.response_in"], "2")     # the first OFFER
        self.assertEqual(rows[3]["pxe.offer.taken"], boolean(True))   # REQUEST names the router
        self.assertEqual(rows[2]["pxe.offer.proxy"], boolean(True))
        self.assertEqual(rows[2]["pxe.offer.complete"], boolean(True))
        self.assertEqual(rows[4]["pxe.prev_in"], "3")
        self.assertEqual(rows[5]["pxe.request_in"], "4")
        self.assertEqual(rows[6]["pxe.prev_in"], "5")
        self.assertEqual(rows[7]["pxe.request_in"], "6")

    def test_tftp_ties_to_client_across_ports(self):
        cap = shared(RS + "uefi_tftp_pixiecore.pcapng")
        # the transfers are all of its UDP but DHCP (not "tftp": Wireshark
        # 4.6 dissects the client's ACKs to the transfer port as data)
        rows = fields(cap, ["frame.number", "pxe.stage", "pxe.client"], dfilter="udp && !dhcp")
        self.assertGreater(len(rows), 1290)  # 1298 TFTP frames
        self.assertEqual({r["pxe.client"] for r in rows}, {"a8:a1:59:b7:4c:3b"})
        self.assertTrue(all(14 <= int(r["pxe.stage"]) <= 18 for r in rows))

    def test_nbp_transfer_accounting(self):
        cap = shared(RS + "uefi_tftp_pixiecore.pcapng")
        rows = fields(cap, ["pxe.tftp.file", "pxe.tftp.status", "pxe.tftp.bytes", "pxe.tftp.tsize",
                            "pxe.tftp.nbp"], two_pass=True, dfilter="pxe.tftp.transfer")
        done = [r for r in rows if r["pxe.tftp.status"] == "complete"]
        self.assertEqual(len(done), 1)
        self.assertEqual(done[0]["pxe.tftp.file"], "a8:a1:59:b7:4c:3b/2")
        self.assertEqual(done[0]["pxe.tftp.bytes"], done[0]["pxe.tftp.tsize"])
        self.assertEqual(done[0]["pxe.tftp.nbp"], boolean(True))
        self.assertIn("size probe", [r["pxe.tftp.status"] for r in rows])

    def test_tftp_only_capture_uses_frame_source(self):
        cap = shared(RS + "intel_bios_tftp.pcapng")
        rows = fields(cap, ["frame.number", "pxe.stage", "pxe.client", "eth.src"], dfilter="tftp")
        self.assertEqual(len(rows), 7)
        for r in rows:
            self.assertNotEqual(r["pxe.stage"], "", r)
        clients = {r["pxe.client"] for r in rows}
        self.assertEqual(len(clients), 1)

    def test_info_column_tells_the_story(self):
        cap = shared(RS + "intel_bios_dhcp.pcapng")
        rows = fields(cap, ["_ws.col.Info"])
        self.assertIn("[PXE discover]", rows[0]["_ws.col.Info"])
        self.assertIn("[PXE proxy-ack]", rows[6]["_ws.col.Info"])


class NoBootNoTree(unittest.TestCase):
    def assertNoPxe(self, path, options=()):
        cap = shared(path)
        self.assertEqual(frames(cap, "pxe", options=options), [], path)

    def test_plain_dhcp(self):
        self.assertNoPxe("arkime+arkime/wireshark-dhcp.pcap")
        self.assertNoPxe("OISF+suricata-verify/dhcp-eve-extended-option-60.pcap")
        self.assertNoPxe("zeek+zeek/dhcp.pcap")

    def test_plain_tftp(self):
        self.assertNoPxe("zeek+spicy-tftp/tftp_rrq.pcap")
        self.assertNoPxe("ntop+nDPI/tftp.pcap")
        self.assertNoPxe("pangzhiwang+PcapAnalysis/tftp.pcap")

    def test_malformed_input_no_crash(self):
        cap = shared("the-tcpdump-group+tcpdump/tftp-heapoverflow.pcap")
        p = tshark(["-r", cap, "-2", "-V"], check=False)
        self.assertEqual(p.returncode, 0, p.stderr)


class PublicFailures(unittest.TestCase):
    """The diagnosis each failing public capture must get, on the right frame."""

    def test_bz387_proxy_never_answers(self):
        cap = shared("tianocore+user-attachments/BZ-387-PXE-UEFI.pcapng")
        d = diagnoses(cap)
        # four REQUESTs to 4011 (frames 5-8) at 0/1/3/6 s: EDK2's last try is frame 8
        self.assertEqual(list(d), [8])
        code, sev, summary, ev = d[8][0]
        self.assertEqual((code, sev), ("PXE-E55", "error"))
        self.assertTrue(summary.startswith("PXE-E55: 4 request(s) to proxyDHCP 192.168.122.250"))
        self.assertEqual(ev, [5, 8])

    def test_crashed_proxy_then_restart(self):
        cap = shared(RS + "crash_in_dhcp_request.pcapng")
        d = diagnoses(cap)
        self.assertIn(("PXE-E55", "error"), [(c, s) for c, s, _, _ in d.get(13, [])])
        att = fields(cap, ["frame.number", "pxe.attempt"], dfilter="frame.number in {4, 13}")
        self.assertEqual([a["pxe.attempt"] for a in att], ["1", "2"])

    def test_server_aborts_transfer(self):
        cap = shared(RS + "history-6dc9d6b4/ipxe_corrupted_packet.pcapng")
        d = diagnoses(cap)
        self.assertIn("PXE-E36", [c for c, _, _, _ in d[635]])
        self.assertIn("tsize-probe", [c for c, _, _, _ in d[40]])

    def test_decline(self):
        cap = shared("tianocore+user-attachments/BZ-17-PXE_IP4_Diff_Subnet.pcapng")
        self.assertIn("dhcp-decline", codes(cap))

    def test_not_found_with_tftp_all(self):
        # a plain Windows TFTP client: no boot, unless the user asks for all TFTP
        cap = shared("pangzhiwang+PcapAnalysis/tftp.pcap")
        d = diagnoses(cap, options=["pxe.tftp_all:TRUE"])
        self.assertIn("PXE-E3B", {c for v in d.values() for c, _, _, _ in v})

    def test_good_boots_have_no_warnings(self):
        for path in (RS + "intel_bios_dhcp.pcapng", RS + "intel_efi_dhcp.pcapng",
                     RS + "ipxe_tftp.pcapng", RS + "intel_efi_tftp.pcapng"):
            self.assertEqual(codes(shared(path)), set(), path)

    def test_single_pass_diagnoses_too(self):
        cap = shared("tianocore+user-attachments/BZ-387-PXE-UEFI.pcapng")
        self.assertEqual(list(diagnoses(cap, two_pass=False)), [8])

    def test_expert_info(self):
        cap = shared("tianocore+user-attachments/BZ-387-PXE-UEFI.pcapng")
        out = tshark(["-r", cap, "-2", "-q", "-z", "expert,error"]).stdout
        # grouped by code, the code in the title; the frame's own cause is in the tree
        self.assertIn("PXE-E55: proxyDHCP service did not reply to request on port 4011", out)
        self.assertEqual(frames(cap, "pxe.expert.e55", two_pass=True), [8])


if __name__ == "__main__":
    unittest.main()
