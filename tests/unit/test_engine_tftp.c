/* test_engine_tftp.c - unit tests of the boot model's TFTP rules
 * (plugin/core/pxe_tftp.c): boots without DHCP recognised by the client's
 * size probe, block numbers past 65535 (both wrap styles and a stall at the
 * wrap), a blksize above the path MTU, and RFC 7440 windowsize accounting.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include "pkt_builder.h"

enum { DISCOVER = 1, OFFER, REQUEST, DECLINE, ACK };
enum { RRQ = 1, DATA = 3, TACK = 4, ERR = 5, OACK = 6 };

static feed_t fixture(void)
{
    feed_t f = {pxe_engine_new(NULL), 0, 1000.0};
    return f;
}

/* The text of rec's diagnosis of this code, or NULL. */
static const char *diag_text(const pxe_rec_t *r, pxe_code_t code)
{
    for (const pxe_diag_t *d = r ? r->diags : NULL; d; d = d->next)
        if (d->code == code)
            return d->text;
    return NULL;
}

static const pxe_diag_t *diag_of(const pxe_rec_t *r, pxe_code_t code)
{
    for (const pxe_diag_t *d = r ? r->diags : NULL; d; d = d->next)
        if (d->code == code)
            return d;
    return NULL;
}

static bool any_record(feed_t *f, uint32_t from)
{
    for (uint32_t i = from; i <= f->frame; i++)
        if (pxe_engine_record(f->e, i))
            return true;
    return false;
}

/* DISCOVER, OFFER, REQUEST, ACK naming file; arch 7 is EDK2's clock. */
static void dora(feed_t *f, uint16_t arch, const char *file)
{
    pxe_pkt_t p = client_msg(f, MAC1, DISCOVER, arch, false);
    feed(f, &p);
    f->t += 0.01;
    p = server_msg(f, MAC1, OFFER, SERVER, CLIENT_IP, SERVER, file);
    feed(f, &p);
    f->t += 1;
    p = client_msg(f, MAC1, REQUEST, arch, false);
    p.dhcp.has_server_id = true;
    p.dhcp.server_id = SERVER;
    feed(f, &p);
    f->t += 0.01;
    p = server_msg(f, MAC1, ACK, SERVER, CLIENT_IP, SERVER, file);
    feed(f, &p);
    f->t += 0.1;
}

/* A TFTP packet of a client seen only at the TFTP server: with its MAC. */
static pxe_pkt_t tftp_eth(feed_t *f, bool from_client, uint16_t cport, uint16_t sport,
                          uint16_t opcode)
{
    pxe_pkt_t p = tftp_pkt(f, from_client, cport, sport, opcode);
    p.has_eth = true;
    memcpy(p.eth_src, from_client ? MAC1 : MAC2, 6);
    return p;
}

static pxe_rec_t *rrq(feed_t *f, uint16_t cport, const char *file, int64_t tsize)
{
    pxe_pkt_t p = tftp_eth(f, true, cport, 69, RRQ);
    p.tftp.file = file;
    p.tftp.opt_tsize = tsize;
    return feed(f, &p);
}

static pxe_rec_t *oack(feed_t *f, uint16_t cport, uint16_t sport, int64_t tsize,
                       int64_t blksize, int64_t windowsize)
{
    pxe_pkt_t p = tftp_eth(f, false, cport, sport, OACK);
    p.tftp.opt_tsize = tsize;
    p.tftp.opt_blksize = blksize;
    p.tftp.opt_windowsize = windowsize;
    return feed(f, &p);
}

static pxe_rec_t *client_error(feed_t *f, uint16_t cport, uint16_t sport, uint16_t code)
{
    pxe_pkt_t p = tftp_eth(f, true, cport, sport, ERR);
    p.tftp.err_code = code;
    p.tftp.err_msg = "User aborted the transfer";
    return feed(f, &p);
}

static pxe_rec_t *data(feed_t *f, uint16_t cport, uint16_t sport, uint16_t block, uint32_t len)
{
    pxe_pkt_t p = tftp_eth(f, false, cport, sport, DATA);
    p.tftp.block = block;
    p.tftp.data_len = len;
    return feed(f, &p);
}

static pxe_rec_t *ack(feed_t *f, uint16_t cport, uint16_t sport, uint16_t block)
{
    pxe_pkt_t p = tftp_eth(f, true, cport, sport, TACK);
    p.tftp.block = block;
    return feed(f, &p);
}

/* DATA 1..blocks of 512 bytes (the last one 100), each acknowledged. */
static pxe_rec_t *lockstep(feed_t *f, uint16_t cport, uint16_t sport, unsigned blocks)
{
    pxe_rec_t *last = NULL;
    for (unsigned b = 1; b <= blocks; b++) {
        f->t += 0.0005;
        data(f, cport, sport, (uint16_t)b, b == blocks ? 100 : 512);
        last = ack(f, cport, sport, (uint16_t)b);
    }
    return last;
}

/* ---- 1. a boot without DHCP, recognised by the size probe ---- */

/* EDK2's probe, then the real RRQ from a new port, for a file whose name
 * says nothing: the second RRQ starts attempt 1's boot program. */
static void probe_then_fetch(const char *file, uint16_t abort_code)
{
    feed_t f = fixture();
    g_assert_null(rrq(&f, 1295, file, 0));
    f.t += 0.004;
    g_assert_null(oack(&f, 1295, 56524, 171456, 1468, -1));
    f.t += 0.002;
    g_assert_null(client_error(&f, 1295, 56524, abort_code));
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 0);
    f.t += 0.006;
    pxe_rec_t *r = rrq(&f, 1296, file, -1);
    g_assert_nonnull(r);
    g_assert_true(r->has_client);
    g_assert_cmpmem(r->mac, 6, MAC1, 6);
    g_assert_cmpuint(r->attempt_no, ==, 1);
    g_assert_true(r->tftp_nbp);
    g_assert_cmpuint(r->stage, ==, PXE_STAGE_TFTP_REQUEST);
    const pxe_diag_t *d = diag_of(r, PXE_CODE_TSIZE_PROBE);
    g_assert_nonnull(d);
    /* the probe's frames are its evidence */
    g_assert_cmpuint(d->n_frames, ==, 4);
    g_assert_cmpuint(d->frames[0], ==, 1);
    g_assert_cmpuint(d->frames[2], ==, 3);
    g_assert_cmpuint(d->frames[3], ==, r->frame);
    f.t += 0.004;
    pxe_rec_t *o = oack(&f, 1296, 37381, -1, 1468, -1);
    g_assert_true(o->tftp_nbp);
    ack(&f, 1296, 37381, 0);
    for (unsigned b = 1; b <= 3; b++) {
        data(&f, 1296, 37381, (uint16_t)b, b == 3 ? 10 : 1468);
        ack(&f, 1296, 37381, (uint16_t)b);
    }
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(pxe_engine_record(f.e, f.frame), &x));
    g_assert_true(x.complete);
    g_assert_cmpuint(x.bytes, ==, 2 * 1468 + 10);
    g_assert_cmpint(x.tsize, ==, 171456);   /* from the probe's OACK */
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 1);
    pxe_engine_free(f.e);
}

static void test_probe_recognised(void)
{
    probe_then_fetch("images/foo.img", 8);
    probe_then_fetch("images/foo.img", 0);
    probe_then_fetch("winpe/sources/boot.wim", 8);
}

/* A name that looks like a boot file was a boot already; it stays one, and
 * the fetch after the probe is still the boot program. */
static void test_probe_boot_name(void)
{
    feed_t f = fixture();
    g_assert_nonnull(rrq(&f, 1295, "winpe/efi/boot/bootx64.efi", 0));
    oack(&f, 1295, 56524, 4096, -1, -1);
    client_error(&f, 1295, 56524, 8);
    pxe_rec_t *r = rrq(&f, 1296, "winpe/efi/boot/bootx64.efi", -1);
    g_assert_true(r->has_client);
    g_assert_true(r->tftp_nbp);
    g_assert_cmpuint(r->attempt_no, ==, 1);
    pxe_engine_free(f.e);
}

/* Plain tftp clients stay unmarked: no tsize; tsize fetched whole (curl);
 * an abort not followed by the same file soon; another abort code. */
static void test_plain_clients_unmarked(void)
{
    feed_t f = fixture();
    /* tftp -c get images/foo.img */
    g_assert_null(rrq(&f, 3000, "images/foo.img", -1));
    lockstep(&f, 3000, 40000, 3);
    /* curl: tsize and blksize asked, OACK, the whole file, then again */
    rrq(&f, 3001, "images/foo.img", 0);
    oack(&f, 3001, 40001, 1124, 512, -1);
    ack(&f, 3001, 40001, 0);
    lockstep(&f, 3001, 40001, 3);
    rrq(&f, 3002, "images/foo.img", 0);
    oack(&f, 3002, 40002, 1124, 512, -1);
    ack(&f, 3002, 40002, 0);
    lockstep(&f, 3002, 40002, 3);
    /* an aborted probe, then another file, then the file 30 s later */
    rrq(&f, 3003, "images/foo.img", 0);
    oack(&f, 3003, 40003, 1124, -1, -1);
    client_error(&f, 3003, 40003, 8);
    g_assert_null(rrq(&f, 3004, "images/bar.img", -1));
    f.t += 30;
    g_assert_null(rrq(&f, 3005, "images/foo.img", -1));
    /* aborted with "access violation": no probe */
    rrq(&f, 3006, "images/baz.img", 0);
    oack(&f, 3006, 40006, 1124, -1, -1);
    client_error(&f, 3006, 40006, 2);
    g_assert_null(rrq(&f, 3007, "images/baz.img", -1));
    /* no OACK (the server ignores options), the client gives up */
    rrq(&f, 3008, "images/qux.img", 0);
    data(&f, 3008, 40008, 1, 512);
    client_error(&f, 3008, 40008, 0);
    g_assert_null(rrq(&f, 3009, "images/qux.img", -1));
    g_assert_false(any_record(&f, 1));
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 0);
    pxe_engine_free(f.e);
}

/* The candidate table is bounded: the oldest probe is forgotten once many
 * newer ones came, the newest is still recognised. */
static void test_probe_table_bounded(void)
{
    feed_t f = fixture();
    for (uint32_t i = 0; i < 1000; i++) {
        uint32_t ip = IP(10, 0, i >> 8, i & 0xff);
        pxe_pkt_t p = tftp_eth(&f, true, 1295, 69, RRQ);
        p.ip_src = ip;
        p.tftp.file = "images/foo.img";
        p.tftp.opt_tsize = 0;
        g_assert_null(feed(&f, &p));
        p = tftp_eth(&f, false, 1295, 50000, OACK);
        p.ip_dst = ip;
        p.tftp.opt_tsize = 100;
        g_assert_null(feed(&f, &p));
        p = tftp_eth(&f, true, 1295, 50000, ERR);
        p.ip_src = ip;
        p.tftp.err_code = 8;
        g_assert_null(feed(&f, &p));
    }
    pxe_pkt_t p = tftp_eth(&f, true, 1296, 69, RRQ);
    p.ip_src = IP(10, 0, 0, 0);
    p.tftp.file = "images/foo.img";
    g_assert_null(feed(&f, &p));
    p = tftp_eth(&f, true, 1296, 69, RRQ);
    p.ip_src = IP(10, 0, 999 >> 8, 999 & 0xff);
    p.tftp.file = "images/foo.img";
    pxe_rec_t *r = feed(&f, &p);
    g_assert_nonnull(r);
    g_assert_true(r->tftp_nbp);
    pxe_engine_free(f.e);
}

/* ---- 2. block numbers past 65535 ---- */

/* 65535 + 10 blocks of 512 (the last 100 bytes) from a server that rolls
 * over to first_after (0 or 1). */
static void wrapped_transfer(uint16_t first_after)
{
    const uint32_t total = 65535 + 10;
    feed_t f = fixture();
    dora(&f, 0, "images/big.img");
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "images/big.img";
    feed(&f, &p);
    pxe_rec_t *last = NULL;
    for (uint32_t n = 1; n <= total; n++) {
        uint16_t block = n <= 65535 ? (uint16_t)n : (uint16_t)(n - 65536 + first_after);
        f.t += 0.0001;
        data(&f, 2000, 40000, block, n == total ? 100 : 512);
        last = ack(&f, 2000, 40000, block);
    }
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(last, &x));
    g_assert_true(x.complete);
    g_assert_cmpuint(x.blocks, ==, total);
    g_assert_cmpuint(x.bytes, ==, (uint64_t)(total - 1) * 512 + 100);
    g_assert_cmpuint(x.retransmissions, ==, 0);
    g_assert_null(diag_text(last, PXE_CODE_E35));
    pxe_engine_free(f.e);
}

static void test_wrap_to_0(void)
{
    wrapped_transfer(0);
}

static void test_wrap_to_1(void)
{
    wrapped_transfer(1);
}

/* 65535 blocks acknowledged, then the client's ACK 65535 repeats on EDK2's
 * clock; server_sends: the rolled-over block the client does not take. */
static void wrap_stall(int server_sends)
{
    feed_t f = fixture();
    dora(&f, 7, "images/big.img");
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "images/big.img";
    feed(&f, &p);
    for (uint32_t n = 1; n <= 65535; n++) {
        f.t += 0.0001;
        data(&f, 2000, 40000, (uint16_t)n, 512);
        ack(&f, 2000, 40000, (uint16_t)n);
    }
    double t0 = f.t;
    pxe_rec_t *r = NULL;
    for (int i = 1; i < 6; i++) {
        f.t = t0 + 4.0 * i - 3.0;
        if (server_sends >= 0)
            g_assert_null(diag_text(data(&f, 2000, 40000, (uint16_t)server_sends, 512),
                                    PXE_CODE_E35));
        f.t = t0 + 4.0 * i;
        r = ack(&f, 2000, 40000, 65535);
        if (i < 5)
            g_assert_null(diag_text(r, PXE_CODE_E35));
    }
    const char *text = diag_text(r, PXE_CODE_E35);
    g_assert_nonnull(text);
    g_assert_nonnull(strstr(text, "stalled at the block-number wrap (block 65535 of a file "
                                  "over 32 MB at blksize 512): the server or client does not "
                                  "roll over block numbers - raise blksize (so fewer than "
                                  "65536 blocks) or use a server that wraps"));
    g_assert_nonnull(strstr(text, server_sends >= 0 ? "did not take the rolled-over block"
                                                    : "the server sent no block after it"));
    g_assert_null(strstr(text, "not running"));
    for (uint32_t i = 1; i <= f.frame; i++)
        g_assert_false(has_code(pxe_engine_record(f.e, i), PXE_CODE_E32));
    pxe_engine_free(f.e);
}

/* A server that cannot roll over says so with an ERROR after block 65535. */
static void test_wrap_server_error(void)
{
    feed_t f = fixture();
    dora(&f, 0, "images/big.img");
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "images/big.img";
    feed(&f, &p);
    for (uint32_t n = 1; n <= 65535; n++) {
        f.t += 0.0001;
        data(&f, 2000, 40000, (uint16_t)n, 512);
        ack(&f, 2000, 40000, (uint16_t)n);
    }
    p = tftp_pkt(&f, false, 2000, 40000, ERR);
    p.tftp.err_code = 0;
    p.tftp.err_msg = "File too large";
    const char *text = diag_text(feed(&f, &p), PXE_CODE_E36);
    g_assert_nonnull(text);
    g_assert_nonnull(strstr(text, "\"File too large\" at the block-number wrap (after block "
                                  "65535 at blksize 512): the server does not roll over"));
    pxe_engine_free(f.e);
}

static void test_wrap_stall_silent(void)
{
    wrap_stall(-1);
}

static void test_wrap_stall_block0_refused(void)
{
    wrap_stall(0);
}

/* ---- 3. blksize above the path MTU ---- */

/* RRQ, OACK granting blksize (and windowsize 4), ACK 0 repeated six times
 * on EDK2's clock; data: the server's first window is in the capture. */
static pxe_rec_t *stall_after_oack(feed_t *f, int64_t blksize, bool data_seen)
{
    dora(f, 7, "bootx64.efi");
    pxe_pkt_t p = tftp_pkt(f, true, 2000, 69, RRQ);
    p.tftp.file = "bootx64.efi";
    p.tftp.opt_blksize = 1468;
    p.tftp.opt_windowsize = 4;
    feed(f, &p);
    oack(f, 2000, 40000, -1, blksize, 4);
    double t0 = f->t;
    pxe_rec_t *r = NULL;
    for (int i = 0; i < 6; i++) {
        f->t = t0 + 4.0 * i;
        r = ack(f, 2000, 40000, 0);
        if (data_seen)
            for (uint16_t b = 1; b <= 4; b++)
                data(f, 2000, 40000, b, blksize > 0 ? (uint32_t)blksize : 512);
    }
    if (data_seen)
        r = pxe_engine_tick(f->e, ++f->frame, t0 + 60);
    return r;
}

static void test_mtu_stall(void)
{
    static const int64_t sizes[] = {1468, 1372, 1432};
    for (unsigned i = 0; i < G_N_ELEMENTS(sizes); i++) {
        feed_t f = fixture();
        const char *text = diag_text(stall_after_oack(&f, sizes[i], false), PXE_CODE_E35);
        g_assert_nonnull(text);
        char *want = g_strdup_printf("stalled right after the OACK granted blksize %d: DATA of %d "
                                     "bytes does not fit the path MTU (IP fragments lost?) - "
                                     "lower the server's max blksize (tftpd-hpa --blocksize 1468, "
                                     "dnsmasq tftp-mtu) or fix the MTU/fragment filtering",
                                     (int)sizes[i], (int)sizes[i]);
        g_assert_nonnull(strstr(text, want));
        g_assert_nonnull(strstr(text, "blksize + 32 must fit"));
        g_assert_nonnull(strstr(text, "no DATA arrived whole"));
        g_free(want);
        pxe_engine_free(f.e);
    }
    /* seen at the server: DATA 1..4 left whole, the client never took them */
    feed_t f = fixture();
    const char *text = diag_text(stall_after_oack(&f, 1468, true), PXE_CODE_E35);
    g_assert_nonnull(text);
    g_assert_nonnull(strstr(text, "granted blksize 1468: DATA of 1468 bytes does not fit"));
    g_assert_nonnull(strstr(text, "never acknowledged the DATA the server sent"));
    pxe_engine_free(f.e);
}

/* A small blksize that stalls is no MTU matter. */
static void test_small_blksize_stall_not_mtu(void)
{
    static const int64_t sizes[] = {-1, 512, 1024};
    for (unsigned i = 0; i < G_N_ELEMENTS(sizes); i++) {
        feed_t f = fixture();
        const char *text = diag_text(stall_after_oack(&f, sizes[i], false), PXE_CODE_E35);
        g_assert_nonnull(text);
        g_assert_null(strstr(text, "path MTU (IP fragments lost?)"));
        g_assert_nonnull(strstr(text, "stalled after block 0"));
        pxe_engine_free(f.e);
    }
}

/* Over IPv6 a DATA datagram carries 52 bytes of headers. */
static void test_mtu_stall_ipv6(void)
{
    static const uint8_t c6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x64};
    static const uint8_t s6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01};
    feed_t f = fixture();
    pxe_rec_t *r = NULL;
    for (int i = -2; i < 6; i++) {
        pxe_pkt_t p = tftp_eth(&f, i != -1, 2000, i == -2 ? 69 : 40000,
                               i == -2 ? RRQ : i == -1 ? OACK : TACK);
        p.ipv6 = true;
        memcpy(p.ip6_src, i == -1 ? s6 : c6, 16);
        memcpy(p.ip6_dst, i == -1 ? c6 : s6, 16);
        p.ip_src = p.ip_dst = 0;
        p.tftp.file = "bootx64.efi";
        p.tftp.opt_blksize = i == -1 ? 1432 : -1;
        p.tftp.block = 0;
        f.t = 1000 + 4.0 * (i > 0 ? i : 0);
        r = feed(&f, &p);
        g_assert_nonnull(r);
    }
    const char *text = diag_text(r, PXE_CODE_E35);
    g_assert_nonnull(text);
    g_assert_nonnull(strstr(text, "granted blksize 1432: DATA of 1432 bytes does not fit"));
    g_assert_nonnull(strstr(text, "blksize + 52 must fit"));
    pxe_engine_free(f.e);
}

/* ---- RFC 7440 windowsize ---- */

/* Windows of 4, one ACK each; a block lost after the capture point makes
 * the client ACK the last block it has and the server send the window
 * again: the blocks seen twice are retransmissions, the bytes count once. */
static void test_windowsize_accounting(void)
{
    feed_t f = fixture();
    dora(&f, 7, "bootx64.efi");
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.tftp.file = "bootx64.efi";
    p.tftp.opt_windowsize = 4;
    feed(&f, &p);
    oack(&f, 2000, 40000, -1, -1, 4);
    ack(&f, 2000, 40000, 0);
    for (uint16_t b = 1; b <= 4; b++)
        data(&f, 2000, 40000, b, 512);
    ack(&f, 2000, 40000, 4);
    for (uint16_t b = 5; b <= 8; b++)
        data(&f, 2000, 40000, b, 512);
    f.t += 0.5;
    ack(&f, 2000, 40000, 5);      /* 6 was lost on the way to the client */
    for (uint16_t b = 6; b <= 9; b++)
        data(&f, 2000, 40000, b, 512);
    ack(&f, 2000, 40000, 9);
    data(&f, 2000, 40000, 10, 100);
    pxe_rec_t *last = ack(&f, 2000, 40000, 10);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(last, &x));
    g_assert_true(x.complete);
    g_assert_cmpuint(x.blocks, ==, 10);
    g_assert_cmpuint(x.bytes, ==, 9 * 512 + 100);
    g_assert_cmpuint(x.retransmissions, ==, 3);
    g_assert_true(has_code(pxe_engine_record(f.e, last->frame - 1), PXE_CODE_TFTP_RETRANSMIT));
    pxe_engine_free(f.e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tftp/probe/recognised", test_probe_recognised);
    g_test_add_func("/tftp/probe/boot-name", test_probe_boot_name);
    g_test_add_func("/tftp/probe/plain-clients-unmarked", test_plain_clients_unmarked);
    g_test_add_func("/tftp/probe/table-bounded", test_probe_table_bounded);
    g_test_add_func("/tftp/wrap/to-0", test_wrap_to_0);
    g_test_add_func("/tftp/wrap/to-1", test_wrap_to_1);
    g_test_add_func("/tftp/wrap/stall-silent", test_wrap_stall_silent);
    g_test_add_func("/tftp/wrap/stall-block0-refused", test_wrap_stall_block0_refused);
    g_test_add_func("/tftp/wrap/server-error", test_wrap_server_error);
    g_test_add_func("/tftp/mtu/stall-after-oack", test_mtu_stall);
    g_test_add_func("/tftp/mtu/small-blksize-not-mtu", test_small_blksize_stall_not_mtu);
    g_test_add_func("/tftp/mtu/ipv6", test_mtu_stall_ipv6);
    g_test_add_func("/tftp/windowsize/accounting", test_windowsize_accounting);
    return g_test_run();
}
