/* test_engine.c - unit tests of the boot tracker (plugin/core) without
 * Wireshark: stages, client tracking across DHCP and TFTP, attempts, links,
 * and every diagnosis rule, fed packet by packet as the plugin feeds it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include "pkt_builder.h"
#include "pxe_files.h"

enum { DISCOVER = 1, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM };
enum { RRQ = 1, DATA = 3, TACK = 4, ERR = 5, OACK = 6 };

static feed_t fixture(void)
{
    feed_t f = {pxe_engine_new(NULL), 0, 1000.0};
    return f;
}

static unsigned count_severity(feed_t *f, pxe_severity_t min)
{
    unsigned n = 0;
    for (uint32_t i = 1; i <= f->frame; i++) {
        pxe_rec_t *r = pxe_engine_record(f->e, i);
        for (pxe_diag_t *d = r ? r->diags : NULL; d; d = d->next)
            if (pxe_code_info(d->code)->severity >= min)
                n++;
    }
    return n;
}

/* DORA with a boot file; returns the ACK. */
static pxe_rec_t *dora(feed_t *f, const uint8_t *mac, uint16_t arch, bool ipxe, const char *file)
{
    pxe_pkt_t p = client_msg(f, mac, DISCOVER, arch, ipxe);
    feed(f, &p);
    f->t += 0.01;
    p = server_msg(f, mac, OFFER, SERVER, CLIENT_IP, SERVER, file);
    feed(f, &p);
    f->t += 1;
    p = client_msg(f, mac, REQUEST, arch, ipxe);
    p.dhcp.has_server_id = true;
    p.dhcp.server_id = SERVER;
    feed(f, &p);
    f->t += 0.01;
    p = server_msg(f, mac, ACK, SERVER, CLIENT_IP, SERVER, file);
    return feed(f, &p);
}

/* A whole TFTP transfer of `blocks` blocks of 512 (last one short). */
static pxe_rec_t *transfer(feed_t *f, uint16_t cport, const char *file, unsigned blocks)
{
    pxe_pkt_t p = tftp_pkt(f, true, cport, 69, RRQ);
    p.tftp.file = file;
    feed(f, &p);
    pxe_rec_t *last = NULL;
    for (unsigned b = 1; b <= blocks; b++) {
        f->t += 0.001;
        p = tftp_pkt(f, false, cport, 40000, DATA);
        p.tftp.block = (uint16_t)b;
        p.tftp.data_len = b == blocks ? 100 : 512;
        last = feed(f, &p);
        p = tftp_pkt(f, true, cport, 40000, TACK);
        p.tftp.block = (uint16_t)b;
        feed(f, &p);
    }
    return last;
}

static void test_stage_names(void)
{
    g_assert_cmpstr(pxe_stage_name(PXE_STAGE_DISCOVER), ==, "discover");
    g_assert_cmpstr(pxe_stage_name(PXE_STAGE_TFTP_REQUEST), ==, "tftp-request");
    for (unsigned i = 1; i < PXE_STAGE_COUNT; i++)
        g_assert_cmpuint(pxe_stage_from_name(pxe_stage_name(i)), ==, i);
    g_assert_cmpuint(pxe_stage_from_name("bogus"), ==, PXE_STAGE_NONE);
    g_assert_null(pxe_stage_name(PXE_STAGE_COUNT));
    g_assert_true(PXE_STAGE_ACK < PXE_STAGE_PROXY_REQUEST && PXE_STAGE_PROXY_ACK < PXE_STAGE_TFTP_REQUEST);
}

static void test_codes(void)
{
    for (int i = 0; i < PXE_CODE_COUNT; i++) {
        const pxe_code_info_t *ci = pxe_code_info((pxe_code_t)i);
        g_assert_nonnull(ci->code);
        g_assert_cmpint(pxe_code_from_string(ci->code), ==, i);
        g_assert_cmpint(pxe_severity_from_string(pxe_severity_name(ci->severity)), ==, ci->severity);
    }
    g_assert_cmpint(pxe_code_from_string("PXE-E99"), ==, -1);
}

static void test_files(void)
{
    g_assert_cmpint(pxe_file_is_efi("pxelinux.0"), ==, 0);
    g_assert_cmpint(pxe_file_is_efi("/boot/undionly.kpxe"), ==, 0);
    g_assert_cmpint(pxe_file_is_efi("EFI/BOOT/bootx64.EFI"), ==, 1);
    g_assert_cmpint(pxe_file_is_efi("boot.ipxe"), ==, -1);
    g_assert_true(pxe_file_is_ipxe("undionly.kpxe"));
    g_assert_true(pxe_file_is_ipxe("ipxe.efi"));
    g_assert_false(pxe_file_is_ipxe("syslinux.efi"));
    g_assert_true(pxe_file_is_probe("pxelinux.cfg/01-52-54-00-00-00-01"));
    g_assert_true(pxe_file_is_probe("pxelinux.cfg/C000026"));
    g_assert_true(pxe_file_is_probe("pxelinux.cfg/b3c4a2d1-0000-4000-8000-123456789abc"));
    g_assert_false(pxe_file_is_probe("pxelinux.cfg/default"));
    g_assert_false(pxe_file_is_probe("ldlinux.c32"));
    g_assert_true(pxe_file_is_probe("grub.cfg-01-52:54:00:00:00:01"));
    g_assert_true(pxe_file_is_probe("autoexec.ipxe"));
    g_assert_true(pxe_file_same("/pxelinux.0", "pxelinux.0"));
    g_assert_false(pxe_file_same("pxelinux.0", "pxelinux.1"));
}

static void test_retry_clock(void)
{
    const pxe_clock_t *ipxe = pxe_family_clock(PXE_FAMILY_IPXE);
    g_assert_false(pxe_retry_exhausted(&ipxe->tftp, 5, 3.75));
    g_assert_true(pxe_retry_exhausted(&ipxe->tftp, 6, 7.75));
    const pxe_clock_t *rom = pxe_family_clock(PXE_FAMILY_LEGACY);
    g_assert_false(pxe_retry_exhausted(&rom->dhcp, 3, 12.0));
    g_assert_true(pxe_retry_exhausted(&rom->dhcp, 4, 28.0));
}

static void test_good_boot(void)
{
    feed_t f = fixture();
    pxe_rec_t *ack = dora(&f, MAC1, 0, false, "pxelinux.0");
    g_assert_nonnull(ack);
    g_assert_cmpuint(ack->stage, ==, PXE_STAGE_ACK);
    g_assert_cmpuint(ack->request_in, ==, 3);
    pxe_rec_t *offer = pxe_engine_record(f.e, 2);
    g_assert_cmpuint(offer->stage, ==, PXE_STAGE_OFFER);
    g_assert_cmpuint(offer->request_in, ==, 1);
    g_assert_true(offer->offer & PXE_OFFER_TAKEN);
    g_assert_cmpuint(pxe_engine_record(f.e, 1)->response_in, ==, 2);

    f.t += 0.2;
    pxe_rec_t *last = transfer(&f, 2000, "pxelinux.0", 3);
    pxe_rec_t *rrq = pxe_engine_record(f.e, 5);
    g_assert_cmpuint(rrq->stage, ==, PXE_STAGE_TFTP_REQUEST);
    g_assert_cmpuint(rrq->prev_in, ==, ack->frame);
    g_assert_cmpuint(ack->next_in, ==, rrq->frame);
    g_assert_true(rrq->tftp_nbp);
    g_assert_cmpuint(rrq->tftp_request_in, ==, rrq->frame);
    g_assert_true(rrq->has_client && memcmp(rrq->mac, MAC1, 6) == 0);
    g_assert_cmpuint(last->stage, ==, PXE_STAGE_TFTP_DATA);
    g_assert_cmpuint(last->tftp_request_in, ==, rrq->frame);
    /* the summary sits on the transfer's last frame: the final ACK */
    pxe_xfer_summary_t x;
    g_assert_false(pxe_rec_transfer(last, &x));
    g_assert_true(pxe_rec_transfer(pxe_engine_record(f.e, f.frame), &x));
    g_assert_true(x.complete);
    g_assert_cmpuint(x.bytes, ==, 1124);
    g_assert_cmpuint(x.blocks, ==, 3);
    g_assert_cmpuint(x.request_in, ==, rrq->frame);

    /* pxelinux probes: not-found on the MAC file is normal */
    pxe_pkt_t p = tftp_pkt(&f, true, 2001, 69, RRQ);
    p.tftp.file = "pxelinux.cfg/01-52-54-00-00-00-01";
    feed(&f, &p);
    p = tftp_pkt(&f, false, 2001, 40001, ERR);
    p.tftp.err_code = 1;
    p.tftp.err_msg = "file not found";
    pxe_rec_t *miss = feed(&f, &p);
    g_assert_true(has_code(miss, PXE_CODE_PROBE_MISS));
    transfer(&f, 2002, "pxelinux.cfg/default", 1);
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 1);
    pxe_engine_free(f.e);
}

static void test_not_pxe(void)
{
    feed_t f = fixture();
    pxe_pkt_t p = dhcp_pkt(&f, MAC1, 1, DISCOVER);
    p.dhcp.vendor_class = "MSFT 5.0";
    g_assert_null(feed(&f, &p));
    p = server_msg(&f, MAC1, OFFER, SERVER, CLIENT_IP, 0, NULL);
    g_assert_null(feed(&f, &p));
    /* plain TFTP of a text file: not a boot */
    p = tftp_pkt(&f, true, 3000, 69, RRQ);
    p.tftp.file = "rfc1350.txt";
    p.has_eth = true;
    g_assert_null(feed(&f, &p));
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 0);
    pxe_engine_free(f.e);
}

static void test_e51_by_client_clock(void)
{
    feed_t f = fixture();
    static const double at[] = {0, 4, 12, 28};
    pxe_rec_t *r[4];
    for (int i = 0; i < 4; i++) {
        f.t = 1000 + at[i];
        pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 0, false);
        r[i] = feed(&f, &p);
    }
    g_assert_false(has_code(r[2], PXE_CODE_E51));
    g_assert_true(has_code(r[3], PXE_CODE_E51));
    g_assert_cmpuint(r[3]->diags->frames[0], ==, 1);
    /* the firmware starts over: attempt 2 */
    f.t += 32;
    pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 0, false);
    g_assert_cmpuint(feed(&f, &p)->attempt_no, ==, 2);
    pxe_engine_free(f.e);
}

static void test_capture_end_is_no_timeout(void)
{
    feed_t f = fixture();
    pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 0, false);
    feed(&f, &p);
    f.t += 4;
    p = client_msg(&f, MAC1, DISCOVER, 0, false);
    pxe_rec_t *r = feed(&f, &p);
    g_assert_null(r->diags);
    pxe_engine_free(f.e);
}

static void test_e52_proxy_only(void)
{
    feed_t f = fixture();
    for (int i = 0; i < 4; i++) {
        f.t = 1000 + (double[]){0, 4, 12, 28}[i];
        pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 0, false);
        feed(&f, &p);
        p = server_msg(&f, MAC1, OFFER, SERVER, 0, SERVER, "pxelinux.0");
        p.dhcp.vendor_class = "PXEClient";
        g_assert_cmpuint(feed(&f, &p)->stage, ==, PXE_STAGE_PROXY_OFFER);
    }
    g_assert_true(has_code(pxe_engine_record(f.e, 7), PXE_CODE_E52));
    pxe_engine_free(f.e);
}

static void test_e53_ack_without_file(void)
{
    feed_t f = fixture();
    pxe_rec_t *ack = dora(&f, MAC1, 0, false, NULL);
    g_assert_true(has_code(ack, PXE_CODE_E53));
    g_assert_cmpstr(pxe_code_info(ack->diags->code)->code, ==, "PXE-E53");
    g_assert_true(g_str_has_prefix(ack->diags->text, "PXE-E53: ACK from 192.0.2.1 names no boot file"));
    pxe_engine_free(f.e);
}

static void test_e55_proxy_silent(void)
{
    feed_t f = fixture();
    pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 7, false);
    feed(&f, &p);
    p = server_msg(&f, MAC1, OFFER, SERVER, CLIENT_IP, 0, NULL);
    feed(&f, &p);
    p = server_msg(&f, MAC1, OFFER, SERVER2, 0, SERVER2, NULL);
    p.dhcp.vendor_class = "PXEClient";
    feed(&f, &p);
    p = client_msg(&f, MAC1, REQUEST, 7, false);
    feed(&f, &p);
    p = server_msg(&f, MAC1, ACK, SERVER, CLIENT_IP, 0, NULL);
    pxe_rec_t *ack = feed(&f, &p);
    g_assert_false(has_code(ack, PXE_CODE_E53));   /* a proxy offered: the 4011 step follows */
    pxe_rec_t *r = NULL;
    static const double at[] = {0, 1, 3, 6};
    double t0 = f.t;
    for (int i = 0; i < 4; i++) {
        f.t = t0 + at[i];
        p = client_msg(&f, MAC1, REQUEST, 7, false);
        p.ip_src = CLIENT_IP;
        p.ip_dst = SERVER2;
        p.dport = 4011;
        r = feed(&f, &p);
        g_assert_cmpuint(r->stage, ==, PXE_STAGE_PROXY_REQUEST);
        if (i < 3)
            g_assert_false(has_code(r, PXE_CODE_E55));
    }
    g_assert_true(has_code(r, PXE_CODE_E55));
    pxe_engine_free(f.e);
}

static void test_e32_open_timeout(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 0, true, "undionly.kpxe");
    static const double at[] = {0, 0.25, 0.75, 1.75, 3.75, 7.75};
    double t0 = f.t;
    pxe_rec_t *r = NULL;
    for (int i = 0; i < 6; i++) {
        f.t = t0 + at[i];
        pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
        p.tftp.file = "undionly.kpxe";
        r = feed(&f, &p);
        g_assert_cmpuint(r->stage, ==, PXE_STAGE_TFTP_REQUEST);
        if (i < 5)
            g_assert_null(r->diags);
    }
    g_assert_true(has_code(r, PXE_CODE_E32));
    g_assert_cmpuint(r->diags->frames[0], ==, 5);
    pxe_engine_free(f.e);
}

static void test_e35_read_timeout(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 7, false, "bootx64.efi");
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "bootx64.efi";
    feed(&f, &p);
    p = tftp_pkt(&f, false, 2000, 40000, OACK);
    p.tftp.opt_blksize = 1468;
    p.tftp.opt_tsize = 100000;
    feed(&f, &p);
    double t0 = f.t;
    pxe_rec_t *r = NULL;
    for (int i = 0; i < 6; i++) {
        f.t = t0 + 4.0 * i;
        p = tftp_pkt(&f, true, 2000, 40000, TACK);
        p.tftp.block = 0;
        r = feed(&f, &p);
        if (i < 5)
            g_assert_false(has_code(r, PXE_CODE_E35));
    }
    g_assert_true(has_code(r, PXE_CODE_E35));
    pxe_engine_free(f.e);

    /* a lossy path: the server repeats DATA, the client re-ACKs each copy;
     * that is loss, not a stall */
    f = fixture();
    dora(&f, MAC1, 0, true, "undionly.kpxe");
    p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "undionly.kpxe";
    feed(&f, &p);
    for (int i = 0; i < 8; i++) {
        f.t += 1.0;
        p = tftp_pkt(&f, false, 2000, 40000, DATA);
        p.tftp.block = 1;
        p.tftp.data_len = 512;
        feed(&f, &p);
        p = tftp_pkt(&f, true, 2000, 40000, TACK);
        p.tftp.block = 1;
        g_assert_false(has_code(feed(&f, &p), PXE_CODE_E35));
    }
    p = tftp_pkt(&f, false, 2000, 40000, DATA);
    p.tftp.block = 2;
    p.tftp.data_len = 10;
    pxe_rec_t *last = feed(&f, &p);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(last, &x));
    g_assert_true(x.complete);
    g_assert_true(has_code(last, PXE_CODE_TFTP_RETRANSMIT));
    pxe_engine_free(f.e);
}

static void test_e38_icmp(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 0, false, "pxelinux.0");
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "pxelinux.0";
    feed(&f, &p);
    pxe_pkt_t icmp = new_pkt(&f, PXE_PKT_ICMP_UNREACH);
    icmp.ip_src = SERVER;
    icmp.ip_dst = CLIENT_IP;
    icmp.icmp.ip_src = CLIENT_IP;
    icmp.icmp.ip_dst = SERVER;
    icmp.icmp.sport = 2000;
    icmp.icmp.dport = 69;
    pxe_rec_t *r = feed(&f, &icmp);
    g_assert_cmpuint(r->stage, ==, PXE_STAGE_TFTP_UNREACHABLE);
    g_assert_true(has_code(r, PXE_CODE_E38));
    g_assert_cmpuint(r->request_in, ==, 5);
    pxe_engine_free(f.e);
}

static void test_tftp_errors(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 0, false, "pxelinux.0");
    /* size probe: OACK then the client's ERROR 8 */
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "pxelinux.0";
    p.tftp.opt_tsize = 0;
    feed(&f, &p);
    p = tftp_pkt(&f, false, 2000, 40000, OACK);
    p.tftp.opt_tsize = 42000;
    feed(&f, &p);
    p = tftp_pkt(&f, true, 2000, 40000, ERR);
    p.tftp.err_code = 8;
    pxe_rec_t *probe = feed(&f, &p);
    g_assert_true(has_code(probe, PXE_CODE_TSIZE_PROBE));
    /* the real request: not found -> PXE-E3B on the NBP */
    p = tftp_pkt(&f, true, 2001, 69, RRQ);
    p.tftp.file = "pxelinux.0";
    pxe_rec_t *rrq = feed(&f, &p);
    g_assert_true(rrq->tftp_nbp);
    p = tftp_pkt(&f, false, 2001, 40001, ERR);
    p.tftp.err_code = 1;
    p.tftp.err_msg = "File not found";
    pxe_rec_t *err = feed(&f, &p);
    g_assert_true(has_code(err, PXE_CODE_E3B));
    g_assert_cmpuint(err->request_in, ==, rrq->frame);
    /* access violation */
    p = tftp_pkt(&f, true, 2002, 69, RRQ);
    p.tftp.file = "ldlinux.c32";
    feed(&f, &p);
    p = tftp_pkt(&f, false, 2002, 40002, ERR);
    p.tftp.err_code = 2;
    g_assert_true(has_code(feed(&f, &p), PXE_CODE_E3C));
    pxe_engine_free(f.e);
}

static void test_arch_mismatch_and_restart(void)
{
    feed_t f = fixture();
    pxe_rec_t *ack = dora(&f, MAC1, 7, false, "pxelinux.0");
    g_assert_true(has_code(ack, PXE_CODE_ARCH_MISMATCH));
    transfer(&f, 2000, "pxelinux.0", 2);
    f.t += 5;
    pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 7, false);
    pxe_rec_t *again = feed(&f, &p);
    g_assert_true(has_code(again, PXE_CODE_BOOT_RESTART));
    g_assert_cmpuint(again->attempt_no, ==, 2);
    pxe_engine_free(f.e);
}

static void test_chainload(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 0, true, "undionly.kpxe");
    transfer(&f, 2000, "undionly.kpxe", 2);
    /* iPXE's own DHCP: next phase of the same attempt */
    f.t += 2;
    pxe_rec_t *ack = dora(&f, MAC1, 0, true, "boot.ipxe");
    g_assert_cmpuint(ack->attempt_no, ==, 1);
    g_assert_cmpuint(ack->phase, ==, 2);
    g_assert_false(has_code(ack, PXE_CODE_CHAINLOAD_LOOP));
    g_assert_true(has_code(pxe_engine_record(f.e, ack->frame - 3), PXE_CODE_SECOND_STAGE_DHCP));
    pxe_engine_free(f.e);

    f = fixture();
    dora(&f, MAC1, 0, true, "undionly.kpxe");
    transfer(&f, 2000, "undionly.kpxe", 2);
    f.t += 2;
    ack = dora(&f, MAC1, 0, true, "undionly.kpxe");
    g_assert_true(has_code(ack, PXE_CODE_CHAINLOAD_LOOP));
    pxe_engine_free(f.e);
}

static void test_e11_arp(void)
{
    static const uint8_t server_mac[6] = {0x52, 0x54, 0, 0, 0, 0xfe};
    feed_t f = fixture();
    dora(&f, MAC1, 0, false, "pxelinux.0");
    pxe_rec_t *r = NULL;
    for (int i = 0; i < 4; i++) {
        f.t += 1;
        pxe_pkt_t p = arp_pkt(&f, 1, MAC1, CLIENT_IP, SERVER);
        r = feed(&f, &p);
        g_assert_cmpuint(r->stage, ==, PXE_STAGE_ARP);
        if (i < 3)
            g_assert_false(has_code(r, PXE_CODE_E11));
    }
    g_assert_true(has_code(r, PXE_CODE_E11));
    /* answered: no diagnosis; the reply is linked */
    pxe_engine_free(f.e);
    f = fixture();
    dora(&f, MAC1, 0, false, "pxelinux.0");
    pxe_pkt_t p = arp_pkt(&f, 1, MAC1, CLIENT_IP, SERVER);
    uint32_t ask = feed(&f, &p)->frame;
    p = arp_pkt(&f, 2, server_mac, SERVER, CLIENT_IP);
    g_assert_cmpuint(feed(&f, &p)->request_in, ==, ask);
    /* another host's ARP is not a boot's */
    p = arp_pkt(&f, 1, server_mac, SERVER, IP(192, 0, 2, 9));
    g_assert_null(feed(&f, &p));
    pxe_engine_free(f.e);
}

static void test_competing_dhcp(void)
{
    feed_t f = fixture();
    pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 0, false);
    feed(&f, &p);
    p = server_msg(&f, MAC1, OFFER, SERVER, CLIENT_IP, SERVER, "pxelinux.0");
    g_assert_null(feed(&f, &p)->diags);
    p = server_msg(&f, MAC1, OFFER, SERVER2, CLIENT_IP + 1, 0, NULL);
    g_assert_null(feed(&f, &p)->diags);   /* a risk only once the client picks */
    p = client_msg(&f, MAC1, REQUEST, 0, false);
    p.dhcp.has_server_id = true;
    p.dhcp.server_id = SERVER2;
    pxe_rec_t *req = feed(&f, &p);
    g_assert_true(has_code(req, PXE_CODE_COMPETING_DHCP));
    g_assert_cmpuint(req->diags->frames[0], ==, 2);
    pxe_engine_free(f.e);

    /* the client picks the server with boot data: nothing to say */
    f = fixture();
    p = client_msg(&f, MAC1, DISCOVER, 0, false);
    feed(&f, &p);
    p = server_msg(&f, MAC1, OFFER, SERVER, CLIENT_IP, SERVER, "pxelinux.0");
    feed(&f, &p);
    p = server_msg(&f, MAC1, OFFER, SERVER2, CLIENT_IP + 1, 0, NULL);
    feed(&f, &p);
    p = client_msg(&f, MAC1, REQUEST, 0, false);
    p.dhcp.has_server_id = true;
    p.dhcp.server_id = SERVER;
    g_assert_null(feed(&f, &p)->diags);
    pxe_engine_free(f.e);
}

static void test_two_clients_apart(void)
{
    feed_t f = fixture();
    pxe_rec_t *a1 = dora(&f, MAC1, 0, false, "pxelinux.0");
    pxe_rec_t *a2 = dora(&f, MAC2, 7, false, "bootx64.efi");
    g_assert_true(memcmp(a1->mac, a2->mac, 6) != 0);
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 2);
    g_assert_cmpuint(a2->arch, ==, 7);
    pxe_engine_free(f.e);
}

/* The verdict items of a record about (mac, attempt). */
static const pxe_verdict_t *verdict_of(const pxe_rec_t *r, const uint8_t *mac, uint32_t attempt)
{
    for (const pxe_verdict_t *v = r ? r->verdicts : NULL; v; v = v->next)
        if (memcmp(v->mac, mac, 6) == 0 && v->attempt == attempt)
            return v;
    return NULL;
}

/* ok only once what the running boot program asked for arrived. */
static void test_verdict_ok(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 0, true, "pxelinux.0");
    f.t += 0.2;
    transfer(&f, 2000, "pxelinux.0", 3);
    pxe_pkt_t p = tftp_pkt(&f, true, 2001, 69, RRQ);
    p.tftp.file = "ldlinux.c32";
    g_assert_null(feed(&f, &p)->verdicts);   /* asking proves it runs, not that it boots */
    f.t += 0.1;
    p = tftp_pkt(&f, false, 2001, 40001, DATA);
    p.tftp.block = 1;
    p.tftp.data_len = 10;
    pxe_rec_t *r = feed(&f, &p);
    const pxe_verdict_t *v = verdict_of(r, MAC1, 1);
    g_assert_nonnull(v);
    g_assert_cmpint(v->outcome, ==, PXE_OUTCOME_OK);
    g_assert_cmpint(v->code, ==, -1);
    /* a later error of the same boot turns it failed, on its own frame */
    p = tftp_pkt(&f, true, 2002, 69, RRQ);
    p.tftp.file = "vmlinuz";
    feed(&f, &p);
    p = tftp_pkt(&f, false, 2002, 40002, ERR);
    p.tftp.err_code = 1;
    v = verdict_of(feed(&f, &p), MAC1, 1);
    g_assert_nonnull(v);
    g_assert_cmpint(v->outcome, ==, PXE_OUTCOME_FAILED);
    g_assert_cmpint(v->code, ==, PXE_CODE_E3B);
    pxe_engine_free(f.e);
}

/* A client that stops acknowledging mid-file is decided by the first frame
 * (of anything) after its give-up time, never by the end of the input. */
static void test_time_decides_read_timeout(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 0, true, "pxelinux.0");
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "pxelinux.0";
    feed(&f, &p);
    for (uint16_t b = 1; b <= 3; b++) {
        f.t += 0.001;
        p = tftp_pkt(&f, false, 2000, 40000, DATA);
        p.tftp.block = b;
        p.tftp.data_len = 512;
        feed(&f, &p);
        if (b < 3) {
            p = tftp_pkt(&f, true, 2000, 40000, TACK);
            p.tftp.block = b;
            feed(&f, &p);
        }
    }
    uint32_t last = f.frame;
    /* 10 s on: inside iPXE's window, nothing decided */
    g_assert_null(pxe_engine_tick(f.e, ++f.frame, f.t + 10));
    g_assert_null(pxe_engine_record(f.e, last)->verdicts);
    /* 20 s on, an unrelated frame: the client has given up */
    pxe_rec_t *r = pxe_engine_tick(f.e, ++f.frame, f.t + 20);
    g_assert_nonnull(r);
    g_assert_cmpuint(r->stage, ==, PXE_STAGE_NONE);
    g_assert_false(r->has_client);
    g_assert_true(has_code(r, PXE_CODE_E35));
    g_assert_true(memcmp(r->diags->mac, MAC1, 6) == 0);
    g_assert_cmpuint(r->diags->attempt, ==, 1);
    const pxe_verdict_t *v = verdict_of(r, MAC1, 1);
    g_assert_nonnull(v);
    g_assert_cmpint(v->outcome, ==, PXE_OUTCOME_FAILED);
    /* seen again, a frame keeps what it showed */
    g_assert_true(pxe_engine_tick(f.e, f.frame, f.t + 20) == r);
    pxe_engine_free(f.e);
}

/* A boot program that always asks for its next file and never does. */
static void test_nbp_stalled(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 0, true, "pxelinux.0");
    transfer(&f, 2000, "pxelinux.0", 3);
    uint32_t done = f.frame;
    g_assert_true(pxe_rec_open_end(pxe_engine_record(f.e, done)));
    pxe_rec_t *r = pxe_engine_tick(f.e, ++f.frame, f.t + 30);
    g_assert_nonnull(r);
    g_assert_true(has_code(r, PXE_CODE_NBP_STALLED));
    g_assert_cmpint(verdict_of(r, MAC1, 1)->outcome, ==, PXE_OUTCOME_FAILED);
    g_assert_false(pxe_rec_open_end(pxe_engine_record(f.e, done)));
    pxe_engine_free(f.e);

    /* a kernel is not a boot program that must ask for anything */
    f = fixture();
    dora(&f, MAC1, 0, true, "vmlinuz");
    transfer(&f, 2000, "vmlinuz", 3);
    g_assert_null(pxe_engine_tick(f.e, ++f.frame, f.t + 300));
    pxe_engine_free(f.e);
}

/* What a record says about its client is a snapshot. */
static void test_snapshot(void)
{
    feed_t f = fixture();
    pxe_rec_t *ack = dora(&f, MAC1, 7, false, "snponly.efi");
    pxe_rec_t *discover = pxe_engine_record(f.e, 1);
    g_assert_cmpuint(discover->family, ==, PXE_FAMILY_EDK2);
    g_assert_null(discover->bootfile);
    transfer(&f, 2000, "snponly.efi", 3);
    f.t += 1;
    pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 7, true);
    pxe_rec_t *again = feed(&f, &p);
    g_assert_cmpuint(again->family, ==, PXE_FAMILY_IPXE);
    g_assert_cmpuint(again->phase, ==, 2);
    g_assert_cmpuint(discover->family, ==, PXE_FAMILY_EDK2);
    g_assert_null(discover->bootfile);
    g_assert_cmpuint(ack->phase, ==, 1);
    g_assert_cmpstr(ack->bootfile, ==, "snponly.efi");
    pxe_engine_free(f.e);
}

static void test_client_fold(void)
{
    pxe_outcome_t o[3] = {PXE_OUTCOME_FAILED, PXE_OUTCOME_NONE, PXE_OUTCOME_OK};
    bool addr[3] = {true, false, true};
    g_assert_cmpint(pxe_client_verdict(o, addr, 1), ==, PXE_OUTCOME_FAILED);
    /* a retry cut off before its address does not hide the failure */
    g_assert_cmpint(pxe_client_verdict(o, addr, 2), ==, PXE_OUTCOME_FAILED);
    addr[1] = true;
    g_assert_cmpint(pxe_client_verdict(o, addr, 2), ==, PXE_OUTCOME_INCOMPLETE);
    /* otherwise the last attempt decides */
    g_assert_cmpint(pxe_client_verdict(o, addr, 3), ==, PXE_OUTCOME_OK);
    g_assert_cmpint(pxe_client_verdict(o, addr, 0), ==, PXE_OUTCOME_INCOMPLETE);
}

/* The same packet captured twice: a relay's copy of a DISCOVER (other
 * addresses, same xid/secs/MAC) within 0.1 s names its original, and the
 * client's next DISCOVER, seconds later, is a retry again. */
static void test_dup_dhcp_relay_copy(void)
{
    feed_t f = fixture();
    pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 0, false);
    pxe_rec_t *first = feed(&f, &p);
    f.t += 0.002;
    pxe_pkt_t copy = client_msg(&f, MAC1, DISCOVER, 0, false);
    copy.ip_src = IP(198, 51, 100, 1);
    copy.ip_dst = SERVER;
    copy.sport = 67;
    pxe_rec_t *r = feed(&f, &copy);
    g_assert_cmpuint(r->dup_of, ==, first->frame);
    g_assert_true(has_code(r, PXE_CODE_DUPLICATE));
    g_assert_cmpuint(r->stage, ==, PXE_STAGE_DISCOVER);
    g_assert_cmpmem(r->mac, 6, MAC1, 6);
    f.t += 4;
    p = client_msg(&f, MAC1, DISCOVER, 0, false);
    r = feed(&f, &p);
    g_assert_cmpuint(r->dup_of, ==, 0);
    g_assert_false(has_code(r, PXE_CODE_DUPLICATE));
    pxe_engine_free(f.e);
}

/* A REQUEST to the proxy on 4011 right after the broadcast REQUEST, same xid
 * and secs, is the next step, not a copy. */
static void test_dup_not_the_proxy_request(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 0, false, "pxelinux.0");
    f.t += 0.003;
    pxe_pkt_t p = client_msg(&f, MAC1, REQUEST, 0, false);
    p.ip_src = CLIENT_IP;
    p.ip_dst = SERVER2;
    p.dport = 4011;
    p.dhcp.ciaddr = CLIENT_IP;
    pxe_rec_t *r = feed(&f, &p);
    g_assert_cmpuint(r->dup_of, ==, 0);
    g_assert_cmpuint(r->stage, ==, PXE_STAGE_PROXY_REQUEST);
    pxe_engine_free(f.e);
}

/* A DATA packet seen twice within a millisecond is one packet: no
 * retransmission; sent again after 0.3 s it is a retransmission. */
static void test_dup_tftp_data(void)
{
    feed_t f = fixture();
    dora(&f, MAC1, 0, false, "pxelinux.0");
    f.t += 1;
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "pxelinux.0";
    p.digest = 11;
    feed(&f, &p);
    f.t += 0.001;
    pxe_pkt_t d = tftp_pkt(&f, false, 2000, 40000, DATA);
    d.tftp.block = 1;
    d.tftp.data_len = 512;
    d.digest = 12;
    pxe_rec_t *orig = feed(&f, &d);
    f.t += 0.0005;
    d.frame = ++f.frame;
    d.ts = f.t;
    pxe_rec_t *copy = feed(&f, &d);
    g_assert_cmpuint(copy->dup_of, ==, orig->frame);
    f.t += 0.3;
    d.frame = ++f.frame;
    d.ts = f.t;
    pxe_rec_t *again = feed(&f, &d);
    g_assert_cmpuint(again->dup_of, ==, 0);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(again, &x));
    g_assert_cmpuint(x.retransmissions, ==, 1);
    pxe_engine_free(f.e);
}

/* Beyond max_clients a new client's packets are marked, not followed. */
static void test_max_clients(void)
{
    pxe_engine_opts_t o = {.max_clients = 2};
    feed_t f = {pxe_engine_new(&o), 0, 1000.0};
    static const uint8_t mac3[6] = {0x52, 0x54, 0x00, 0x00, 0x00, 0x03};
    const uint8_t *macs[] = {MAC1, MAC2, mac3};
    pxe_rec_t *r = NULL;
    for (int i = 0; i < 3; i++) {
        pxe_pkt_t p = client_msg(&f, macs[i], DISCOVER, 0, false);
        p.dhcp.xid = (uint32_t)i + 1;
        r = feed(&f, &p);
        f.t += 1;
    }
    g_assert_true(r->untracked);
    g_assert_false(r->has_client);
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 2);
    g_assert_cmpuint(pxe_engine_untracked_frames(f.e), ==, 1);
    g_assert_true(pxe_engine_record(f.e, 3)->untracked);
    g_assert_false(pxe_engine_record(f.e, 1)->untracked);
    pxe_engine_free(f.e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/stage/names", test_stage_names);
    g_test_add_func("/codes/table", test_codes);
    g_test_add_func("/files/rules", test_files);
    g_test_add_func("/firmware/retry-clock", test_retry_clock);
    g_test_add_func("/engine/good-boot", test_good_boot);
    g_test_add_func("/engine/not-pxe", test_not_pxe);
    g_test_add_func("/engine/two-clients", test_two_clients_apart);
    g_test_add_func("/diag/e51-client-clock", test_e51_by_client_clock);
    g_test_add_func("/diag/capture-end-no-timeout", test_capture_end_is_no_timeout);
    g_test_add_func("/diag/e52", test_e52_proxy_only);
    g_test_add_func("/diag/e53", test_e53_ack_without_file);
    g_test_add_func("/diag/e55", test_e55_proxy_silent);
    g_test_add_func("/diag/e32", test_e32_open_timeout);
    g_test_add_func("/diag/e35", test_e35_read_timeout);
    g_test_add_func("/diag/e38", test_e38_icmp);
    g_test_add_func("/diag/tftp-errors", test_tftp_errors);
    g_test_add_func("/diag/arch-mismatch-restart", test_arch_mismatch_and_restart);
    g_test_add_func("/diag/chainload", test_chainload);
    g_test_add_func("/diag/competing-dhcp", test_competing_dhcp);
    g_test_add_func("/diag/e11-arp", test_e11_arp);
    g_test_add_func("/verdict/ok", test_verdict_ok);
    g_test_add_func("/verdict/time-decides-read-timeout", test_time_decides_read_timeout);
    g_test_add_func("/verdict/nbp-stalled", test_nbp_stalled);
    g_test_add_func("/verdict/client-fold", test_client_fold);
    g_test_add_func("/engine/snapshot", test_snapshot);
    g_test_add_func("/dup/dhcp-relay-copy", test_dup_dhcp_relay_copy);
    g_test_add_func("/dup/not-the-proxy-request", test_dup_not_the_proxy_request);
    g_test_add_func("/dup/tftp-data", test_dup_tftp_data);
    g_test_add_func("/engine/max-clients", test_max_clients);
    return g_test_run();
}
