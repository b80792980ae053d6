/* test_wire_dhcp6.c - unit tests of the DHCPv6 reader (pxe_wire_dhcp6() in
 * plugin/core/pxe_wire_dhcp6.c), of pxe_wire_eui64_mac(), and of the boot
 * file URL rules (pxe_url_split(), pxe_url_host_addr(), pxe_file_same() in
 * plugin/core/pxe_files.c).
 *
 * Inputs: real DHCPv6 messages from samples/captures/uefi-pxe6-ok.pcapng
 * (OVMF's IPv6 stack and PXE client, dnsmasq, then iPXE), and messages built
 * byte by byte here (relays, DUID kinds, status codes, broken lengths).
 * Each input is copied into a heap block of exactly its length, so a read
 * past the end shows under valgrind or AddressSanitizer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include <string.h>

#include "pxe_files.h"
#include "pxe_wire.h"

/* DHCPv4 message types pxe_wire_dhcp6() maps the v6 ones to */
enum { V4_DISCOVER = 1, V4_OFFER, V4_REQUEST, V4_DECLINE, V4_ACK, V4_NAK, V4_RELEASE, V4_INFORM };

/* ---- real messages (UDP payloads, as hex) from uefi-pxe6-ok.pcapng ---- */

/* frame 6: the firmware IPv6 stack's own SOLICIT: DUID-UUID, elapsed 0,
 * IA_NA, ORO 23 only; no vendor class, no option 61 */
static const char STACK_SOLICIT[] =
    "01e4859400010012000400003f8d0000004080005254000030010008000200000003000c0041dffeffffffffffffffff"
    "000600020017";
/* frame 17: the PXE client's SOLICIT: ORO 59/60/23/16, option 62 (NII 1.3.0),
 * 61 = 7, 16 = enterprise 343 "PXEClient:Arch:00007:UNDI:003000" */
static const char EDK2_SOLICIT[] =
    "01e6859400010012000400003f8d0000004080005254000030010008000200000003000c075ad572ffffffffffffffff"
    "00060008003b003c00170010003e0003010300003d0002000700100026000001570020505845436c69656e743a417263"
    "683a30303030373a554e44493a303033303030";
/* frame 18: dnsmasq's ADVERTISE: IA_NA with 2001:db8:0:1::197 and status
 * Success, preference, option 59 tftp://[2001:db8:0:1::1]/snponly.efi */
static const char EDK2_ADVERTISE[] =
    "02e6859400010012000400003f8d0000004080005254000030010002000e0001000132a1d2a402000000020100030028"
    "075ad5720000012c0000020d0005001820010db80000000100000000000001970000025800000258000d000900007375"
    "63636573730007000100003b0024746674703a2f2f5b323030313a6462383a303a313a3a315d2f736e706f6e6c792e65"
    "6669";
/* frame 22: the REPLY to the PXE client's REQUEST */
static const char EDK2_REPLY[] =
    "07e7859400010012000400003f8d0000004080005254000030010002000e0001000132a1d2a402000000020100030028"
    "075ad5720000012c0000020d0005001820010db80000000100000000000001970000025800000258000d000900007375"
    "6363657373003b0024746674703a2f2f5b323030313a6462383a303a313a3a315d2f736e706f6e6c792e656669";
/* frame 324: the PXE client releases its address once snponly.efi arrived */
static const char EDK2_RELEASE[] =
    "08e9859400010012000400003f8d0000004080005254000030010002000e0001000132a1d2a402000000020100080002"
    "000000030028075ad572ffffffffffffffff0005001820010db80000000100000000000001970000025800000258";
/* frame 325: its REPLY: status Success "release received" */
static const char RELEASE_REPLY[] =
    "07e9859400010012000400003f8d0000004080005254000030010002000e0001000132a1d2a4020000000201000d0012"
    "000072656c65617365207265636569766564";
/* frame 330: iPXE's SOLICIT: its own DUID-UUID byte order, vendor class
 * "PXEClient:Arch:00007:UNDI:003010", 61 = 7, 62, user class "iPXE" */
static const char IPXE_SOLICIT[] =
    "0154bbec0001001200048d3f00000000400080005254000030010003000c2494c6920000000000000000000600080017"
    "0018003b003c00100026000001570020505845436c69656e743a417263683a30303030373a554e44493a303033303130"
    "003d00020007003e000301030a000f0006000469505845000800020000";

/* ---- helpers ---- */

static uint8_t *unhex(const char *hex, size_t *len)
{
    size_t n = strlen(hex) / 2;
    uint8_t *p = g_malloc(n ? n : 1);
    for (size_t i = 0; i < n; i++) {
        int hi = g_ascii_xdigit_value(hex[2 * i]);
        int lo = g_ascii_xdigit_value(hex[2 * i + 1]);
        g_assert_true(hi >= 0 && lo >= 0);
        p[i] = (uint8_t)(hi << 4 | lo);
    }
    *len = n;
    return p;
}

/* pxe_wire_dhcp6() on a copy of exactly n bytes; the strings it returns
 * must point into the scratch struct. */
static bool parse6(const uint8_t *b, size_t n, pxe_dhcp_t *d, pxe_wire_scratch_t *s)
{
    uint8_t *p = g_malloc(n ? n : 1);
    memcpy(p, b, n);
    bool ok = pxe_wire_dhcp6(p, n, d, s);
    g_free(p);
    if (ok) {
        g_assert_true(d->v6);
        g_assert_true(!d->vendor_class || d->vendor_class == s->vendor_class);
        g_assert_true(!d->user_class || d->user_class == s->user_class);
        g_assert_true(!d->bootfile || d->bootfile == s->bootfile);
        g_assert_cmpuint(d->duid_len, <=, sizeof d->duid);
    }
    return ok;
}

static bool parse6_hex(const char *hex, pxe_dhcp_t *d, pxe_wire_scratch_t *s)
{
    size_t n;
    uint8_t *p = unhex(hex, &n);
    bool ok = parse6(p, n, d, s);
    g_free(p);
    return ok;
}

static bool parse6_ba(const GByteArray *m, pxe_dhcp_t *d, pxe_wire_scratch_t *s)
{
    return parse6(m->data, m->len, d, s);
}

static void put16(GByteArray *m, uint16_t v)
{
    uint8_t b[2] = {(uint8_t)(v >> 8), (uint8_t)v};
    g_byte_array_append(m, b, 2);
}

static void put32(GByteArray *m, uint32_t v)
{
    put16(m, (uint16_t)(v >> 16));
    put16(m, (uint16_t)v);
}

/* A client or server message: type and 24-bit transaction id. */
static GByteArray *msg6(uint8_t type, uint32_t xid)
{
    GByteArray *m = g_byte_array_new();
    uint8_t h[4] = {type, (uint8_t)(xid >> 16), (uint8_t)(xid >> 8), (uint8_t)xid};
    g_byte_array_append(m, h, 4);
    return m;
}

static void opt6(GByteArray *m, uint16_t code, const void *v, size_t len)
{
    put16(m, code);
    put16(m, (uint16_t)len);
    if (len)
        g_byte_array_append(m, v, (guint)len);
}

static void opt6_str(GByteArray *m, uint16_t code, const char *s)
{
    opt6(m, code, s, strlen(s));
}

/* Option 15 / 16 items: each a 2-byte length and the bytes; for 16 the
 * enterprise number first. */
static void opt6_classes(GByteArray *m, uint16_t code, bool vendor, uint32_t enterprise,
                         const char *const *items, unsigned n)
{
    GByteArray *v = g_byte_array_new();
    if (vendor)
        put32(v, enterprise);
    for (unsigned i = 0; i < n; i++) {
        put16(v, (uint16_t)strlen(items[i]));
        g_byte_array_append(v, (const uint8_t *)items[i], (guint)strlen(items[i]));
    }
    opt6(m, code, v->data, v->len);
    g_byte_array_free(v, TRUE);
}

/* A RELAY-FORW (12) or RELAY-REPL (13) around inner, with option 79 when
 * mac is not NULL. */
static GByteArray *relay6(uint8_t type, uint8_t hops, const uint8_t link[16], const uint8_t peer[16],
                          const GByteArray *inner, const uint8_t *mac)
{
    GByteArray *m = g_byte_array_new();
    g_byte_array_append(m, &type, 1);
    g_byte_array_append(m, &hops, 1);
    g_byte_array_append(m, link, 16);
    g_byte_array_append(m, peer, 16);
    if (mac) {
        uint8_t v[8] = {0, 1};
        memcpy(v + 2, mac, 6);
        opt6(m, 79, v, 8);
    }
    opt6(m, 9, inner->data, inner->len);
    return m;
}

static const uint8_t MAC1[6] = {0x52, 0x54, 0x00, 0x00, 0x00, 0x01};
static const uint8_t MAC_RELAY[6] = {0x52, 0x54, 0x00, 0x00, 0x00, 0xfe};
static const uint8_t UUID[16] = {0x8d, 0x3f, 0, 0, 0, 0, 0x40, 0, 0x80, 0, 0x52, 0x54, 0, 0, 0, 0x01};
/* 2001:db8::1, 2001:db8::100, 2001:db8:1::1 (a relay's link) */
static const uint8_t A_SERVER[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01};
static const uint8_t A_CLIENT[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0x01, [15] = 0x00};
static const uint8_t A_LINK[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x01, [15] = 0x01};
static const uint8_t A_LINK2[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x02, [15] = 0x01};
static const uint8_t ZERO16[16];
/* fe80::5054:ff:fe00:1, the SLAAC link-local of MAC1 */
static const uint8_t LL_MAC1[16] = {0xfe, 0x80, [8] = 0x50, 0x54, 0x00, 0xff, 0xfe, 0x00, 0x00, 0x01};
/* fe80::5054:ff:fe00:fe, of MAC_RELAY */
static const uint8_t LL_RELAY[16] = {0xfe, 0x80, [8] = 0x50, 0x54, 0x00, 0xff, 0xfe, 0x00, 0x00, 0xfe};
/* fe80::1234:5678:9abc:def0: a link-local that is no EUI-64 (privacy, RFC 7217) */
static const uint8_t LL_PRIVACY[16] = {0xfe, 0x80, [8] = 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};

static void opt_duid_uuid(GByteArray *m)
{
    uint8_t v[18] = {0, 4};
    memcpy(v + 2, UUID, 16);
    opt6(m, 1, v, sizeof v);
}

/* The SOLICIT of EDK2's PXE client as the brief describes it. */
static GByteArray *edk2_solicit(uint32_t xid, uint16_t elapsed)
{
    GByteArray *m = msg6(1, xid);
    opt_duid_uuid(m);
    uint8_t el[2] = {(uint8_t)(elapsed >> 8), (uint8_t)elapsed};
    opt6(m, 8, el, 2);
    uint8_t ia[12] = {0x07, 0x5a, 0xd5, 0x72, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
    opt6(m, 3, ia, sizeof ia);
    uint8_t oro[8] = {0, 59, 0, 60, 0, 23, 0, 16};
    opt6(m, 6, oro, sizeof oro);
    uint8_t nii[3] = {1, 3, 0};
    opt6(m, 62, nii, sizeof nii);
    uint8_t arch[2] = {0, 7};
    opt6(m, 61, arch, sizeof arch);
    const char *vc[] = {"PXEClient:Arch:00007:UNDI:003016"};
    opt6_classes(m, 16, true, 343, vc, 1);
    return m;
}

/* IA_NA (IAID 1, T1/T2) with one IAADDR and, when status is not 0xffff, a
 * status code inside it. */
static void opt_ia_na(GByteArray *m, const uint8_t *addr, uint16_t status)
{
    GByteArray *ia = g_byte_array_new();
    put32(ia, 1);
    put32(ia, 300);
    put32(ia, 525);
    if (addr) {
        uint8_t a[24];
        memcpy(a, addr, 16);
        memset(a + 16, 0, 8);
        a[19] = 0x58;
        a[23] = 0x58;
        opt6(ia, 5, a, sizeof a);
    }
    if (status != 0xffff) {
        uint8_t st[2] = {(uint8_t)(status >> 8), (uint8_t)status};
        opt6(ia, 13, st, 2);
    }
    opt6(m, 3, ia->data, ia->len);
    g_byte_array_free(ia, TRUE);
}

static GByteArray *server_msg6(uint8_t type, uint32_t xid, const uint8_t *addr, const char *url)
{
    GByteArray *m = msg6(type, xid);
    opt_duid_uuid(m);
    uint8_t sid[14] = {0, 1, 0, 1, 0x32, 0xa1, 0xd2, 0xa4, 0x02, 0, 0, 0, 0x02, 0x01};
    opt6(m, 2, sid, sizeof sid);
    if (addr)
        opt_ia_na(m, addr, 0xffff);
    if (url)
        opt6_str(m, 59, url);
    return m;
}

/* ---- real messages ---- */

static void test_real_edk2(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    static const uint8_t duid[18] = {0x00, 0x04, 0x00, 0x00, 0x3f, 0x8d, 0x00, 0x00, 0x00,
                                     0x40, 0x80, 0x00, 0x52, 0x54, 0x00, 0x00, 0x30, 0x01};
    static const uint8_t ia197[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0x01, [14] = 0x01, [15] = 0x97};

    g_assert_true(parse6_hex(EDK2_SOLICIT, &d, &s));
    g_assert_cmpuint(d.msg6, ==, 1);
    g_assert_cmpuint(d.msg_type, ==, V4_DISCOVER);
    g_assert_cmpuint(d.op, ==, 1);
    g_assert_cmphex(d.xid, ==, 0xe68594);
    g_assert_cmpuint(d.secs, ==, 0);
    g_assert_cmpstr(d.vendor_class, ==, "PXEClient:Arch:00007:UNDI:003000");
    g_assert_true(d.has_arch);
    g_assert_cmpuint(d.arch, ==, 7);
    g_assert_false(d.ipxe);
    g_assert_null(d.user_class);
    g_assert_null(d.bootfile);
    g_assert_cmpmem(d.duid, d.duid_len, duid, sizeof duid);
    g_assert_true(d.chaddr_unknown);      /* DUID-UUID names no MAC */
    g_assert_false(d.has_addr6);          /* a client's IA_NA has no address */
    g_assert_false(d.relayed6);
    g_assert_cmpuint(d.status6, ==, 0);
    g_assert_cmpuint(d.yiaddr | d.siaddr | d.giaddr | d.ciaddr, ==, 0);

    g_assert_true(parse6_hex(STACK_SOLICIT, &d, &s));
    g_assert_cmphex(d.xid, ==, 0xe48594);
    g_assert_null(d.vendor_class);
    g_assert_false(d.has_arch);
    g_assert_cmpmem(d.duid, d.duid_len, duid, sizeof duid);

    g_assert_true(parse6_hex(EDK2_ADVERTISE, &d, &s));
    g_assert_cmpuint(d.msg6, ==, 2);
    g_assert_cmpuint(d.msg_type, ==, V4_OFFER);
    g_assert_cmpuint(d.op, ==, 2);
    g_assert_cmphex(d.xid, ==, 0xe68594);
    g_assert_true(d.has_addr6);
    g_assert_cmpmem(d.addr6, 16, ia197, 16);
    g_assert_cmpstr(d.bootfile, ==, "tftp://[2001:db8:0:1::1]/snponly.efi");
    g_assert_cmpuint(d.status6, ==, 0);
    /* option 1 is the client's DUID; option 2 (the server's) is not it */
    g_assert_cmpmem(d.duid, d.duid_len, duid, sizeof duid);

    g_assert_true(parse6_hex(EDK2_REPLY, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, V4_ACK);
    g_assert_cmphex(d.xid, ==, 0xe78594);
    g_assert_cmpmem(d.addr6, 16, ia197, 16);
    g_assert_cmpstr(d.bootfile, ==, "tftp://[2001:db8:0:1::1]/snponly.efi");

    g_assert_true(parse6_hex(EDK2_RELEASE, &d, &s));
    g_assert_cmpuint(d.msg6, ==, 8);
    g_assert_cmpuint(d.msg_type, ==, V4_RELEASE);
    g_assert_cmpuint(d.op, ==, 1);
    g_assert_cmphex(d.xid, ==, 0xe98594);
    /* the parser reads a client's IA address too; the engine takes
     * has_addr6 from server replies only (pxe_addr_normalize()) */
    g_assert_true(d.has_addr6);
    g_assert_cmpmem(d.addr6, 16, ia197, 16);

    g_assert_true(parse6_hex(RELEASE_REPLY, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, V4_ACK);   /* status 0 with a message is success */
    g_assert_cmpuint(d.status6, ==, 0);
    g_assert_cmphex(d.xid, ==, 0xe98594);
    g_assert_false(d.has_addr6);
    g_assert_null(d.bootfile);
}

static void test_real_ipxe(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    static const uint8_t duid[18] = {0x00, 0x04, 0x8d, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x40,
                                     0x00, 0x80, 0x00, 0x52, 0x54, 0x00, 0x00, 0x30, 0x01};
    g_assert_true(parse6_hex(IPXE_SOLICIT, &d, &s));
    g_assert_cmphex(d.xid, ==, 0x54bbec);
    g_assert_true(d.ipxe);
    g_assert_cmpstr(d.user_class, ==, "iPXE");
    g_assert_cmpstr(d.vendor_class, ==, "PXEClient:Arch:00007:UNDI:003010");
    g_assert_true(d.has_arch);
    g_assert_cmpuint(d.arch, ==, 7);
    g_assert_cmpmem(d.duid, d.duid_len, duid, sizeof duid);
    g_assert_true(d.chaddr_unknown);
}

/* ---- built messages ---- */

static void test_built_solicit(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    GByteArray *m = edk2_solicit(0xabcdef, 250);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmphex(d.xid, ==, 0xabcdef);
    g_assert_cmpuint(d.secs, ==, 2);      /* 250 hundredths of a second */
    g_assert_cmpstr(d.vendor_class, ==, "PXEClient:Arch:00007:UNDI:003016");
    g_assert_cmpuint(d.arch, ==, 7);
    g_assert_cmpuint(d.duid_len, ==, 18);
    g_assert_cmpuint(d.duid[1], ==, 4);
    g_assert_cmpmem(d.duid + 2, 16, UUID, 16);
    g_assert_true(d.chaddr_unknown);
    g_byte_array_free(m, TRUE);

    /* the longest elapsed time: 0xffff hundredths */
    m = edk2_solicit(1, 0xffff);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.secs, ==, 655);
    g_byte_array_free(m, TRUE);

    /* option 61 lists several architectures: the first one counts */
    m = msg6(1, 2);
    uint8_t arch[4] = {0, 0x10, 0, 7};
    opt6(m, 61, arch, 4);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.arch, ==, 16);
    g_byte_array_free(m, TRUE);
}

static void test_built_advertise(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    GByteArray *m = server_msg6(2, 0x123456, A_CLIENT, "tftp://[2001:db8::1]/boot.efi");
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, V4_OFFER);
    g_assert_cmpuint(d.op, ==, 2);
    g_assert_true(d.has_addr6);
    g_assert_cmpmem(d.addr6, 16, A_CLIENT, 16);
    g_assert_cmpstr(d.bootfile, ==, "tftp://[2001:db8::1]/boot.efi");
    g_assert_cmpuint(d.duid_len, ==, 18);
    g_assert_cmpmem(d.duid + 2, 16, UUID, 16);
    g_byte_array_free(m, TRUE);

    /* a URL with a NUL inside ends there */
    m = server_msg6(2, 1, NULL, NULL);
    opt6(m, 59, "http://h/a\0junk", 15);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpstr(d.bootfile, ==, "http://h/a");
    g_assert_false(d.has_addr6);
    g_byte_array_free(m, TRUE);

    /* an IAADDR shorter than address + lifetimes is no address; IA_TA's is */
    m = msg6(2, 1);
    GByteArray *ia = g_byte_array_new();
    put32(ia, 1);
    put32(ia, 0);
    put32(ia, 0);
    opt6(ia, 5, A_CLIENT, 16);
    opt6(m, 3, ia->data, ia->len);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_false(d.has_addr6);
    g_byte_array_free(ia, TRUE);
    ia = g_byte_array_new();
    put32(ia, 7);
    uint8_t a[24] = {0};
    memcpy(a, A_SERVER, 16);
    opt6(ia, 5, a, 24);
    opt6(m, 4, ia->data, ia->len);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_true(d.has_addr6);
    g_assert_cmpmem(d.addr6, 16, A_SERVER, 16);
    g_byte_array_free(ia, TRUE);
    g_byte_array_free(m, TRUE);
}

static void test_built_reply_status(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    /* top-level NoAddrsAvail: a refusal */
    GByteArray *m = server_msg6(7, 0x10, NULL, NULL);
    uint8_t st[] = {0, 2, 'n', 'o'};
    opt6(m, 13, st, sizeof st);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.msg6, ==, 7);
    g_assert_cmpuint(d.status6, ==, 2);
    g_assert_cmpuint(d.msg_type, ==, V4_NAK);
    g_byte_array_free(m, TRUE);

    /* inside the IA_NA (how dnsmasq and Kea refuse one IA) */
    m = server_msg6(7, 0x11, NULL, NULL);
    opt_ia_na(m, NULL, 2);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.status6, ==, 2);
    g_assert_cmpuint(d.msg_type, ==, V4_NAK);
    g_byte_array_free(m, TRUE);

    /* NotOnLink (4) */
    m = server_msg6(7, 0x12, NULL, NULL);
    uint8_t nol[] = {0, 4};
    opt6(m, 13, nol, 2);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, V4_NAK);
    g_assert_cmpuint(d.status6, ==, 4);
    g_byte_array_free(m, TRUE);

    /* explicit Success with an address: an ACK */
    m = server_msg6(7, 0x13, A_CLIENT, "tftp://[2001:db8::1]/boot.efi");
    uint8_t ok[] = {0, 0};
    opt6(m, 13, ok, 2);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, V4_ACK);
    g_assert_true(d.has_addr6);
    g_byte_array_free(m, TRUE);

    /* an ADVERTISE with NoAddrsAvail stays an offer (EDK2 may still take a
     * boot file from it) */
    m = server_msg6(2, 0x14, NULL, "tftp://[2001:db8::1]/boot.efi");
    opt6(m, 13, st, sizeof st);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, V4_OFFER);
    g_assert_cmpuint(d.status6, ==, 2);
    g_byte_array_free(m, TRUE);
}

static void test_message_types(void)
{
    static const struct {
        uint8_t t;
        uint8_t v4;
        uint8_t op;
    } map[] = {
        {1, V4_DISCOVER, 1}, {2, V4_OFFER, 2},   {3, V4_REQUEST, 1}, {4, V4_REQUEST, 1},
        {5, V4_REQUEST, 1},  {6, V4_REQUEST, 1}, {7, V4_ACK, 2},     {8, V4_RELEASE, 1},
        {9, V4_DECLINE, 1},  {10, 0, 2},         {11, V4_INFORM, 1},
    };
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    for (size_t i = 0; i < G_N_ELEMENTS(map); i++) {
        GByteArray *m = msg6(map[i].t, 0x42);
        opt_duid_uuid(m);
        g_assert_true(parse6_ba(m, &d, &s));
        g_assert_cmpuint(d.msg6, ==, map[i].t);
        g_assert_cmpuint(d.msg_type, ==, map[i].v4);
        g_assert_cmpuint(d.op, ==, map[i].op);
        g_byte_array_free(m, TRUE);
    }
    /* 0, LEASEQUERY (14) and later, and garbage types are no message we read */
    static const uint8_t bad[] = {0, 14, 15, 20, 35, 128, 255};
    for (size_t i = 0; i < G_N_ELEMENTS(bad); i++) {
        GByteArray *m = msg6(bad[i], 0x42);
        opt_duid_uuid(m);
        g_assert_false(parse6_ba(m, &d, &s));
        g_byte_array_free(m, TRUE);
    }
    g_assert_false(pxe_wire_dhcp6(NULL, 4, &d, &s));
    uint8_t four[4] = {1, 0, 0, 1};
    g_assert_false(pxe_wire_dhcp6(four, 4, NULL, &s));
    g_assert_false(pxe_wire_dhcp6(four, 4, &d, NULL));
    /* the bare header is a message */
    g_assert_true(parse6(four, 4, &d, &s));
    g_assert_cmphex(d.xid, ==, 1);
}

static void test_duid_kinds(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    /* DUID-LLT of an Ethernet interface: type 1, hw 1, time, MAC */
    GByteArray *m = msg6(1, 1);
    uint8_t llt[14] = {0, 1, 0, 1, 0x32, 0xa1, 0xd2, 0xa4};
    memcpy(llt + 8, MAC1, 6);
    opt6(m, 1, llt, sizeof llt);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_false(d.chaddr_unknown);
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
    g_assert_cmpuint(d.duid_len, ==, 14);
    g_byte_array_free(m, TRUE);

    /* DUID-LL: type 3, hw 1, MAC */
    m = msg6(1, 1);
    uint8_t ll[10] = {0, 3, 0, 1};
    memcpy(ll + 4, MAC1, 6);
    opt6(m, 1, ll, sizeof ll);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_false(d.chaddr_unknown);
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
    g_byte_array_free(m, TRUE);

    /* DUID-LL of another hardware type (InfiniBand 32, 20 bytes): no MAC */
    m = msg6(1, 1);
    uint8_t ib[24] = {0, 3, 0, 32};
    opt6(m, 1, ib, sizeof ib);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_true(d.chaddr_unknown);
    g_byte_array_free(m, TRUE);

    /* DUID-EN (type 2): no MAC, though its bytes may hold one */
    m = msg6(1, 1);
    uint8_t en[10] = {0, 2, 0, 0, 0x01, 0x57};
    opt6(m, 1, en, sizeof en);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_true(d.chaddr_unknown);
    g_assert_cmpuint(d.duid_len, ==, 10);
    g_byte_array_free(m, TRUE);

    /* the first option 1 is the DUID; a DUID of 200 bytes is kept up to 130 */
    m = msg6(1, 1);
    uint8_t big[200];
    memset(big, 0xab, sizeof big);
    big[0] = 0;
    big[1] = 4;
    opt6(m, 1, big, sizeof big);
    opt6(m, 1, ll, sizeof ll);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.duid_len, ==, 130);
    g_assert_cmpmem(d.duid, 130, big, 130);
    g_assert_true(d.chaddr_unknown);
    g_byte_array_free(m, TRUE);
}

static void test_classes(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    /* user class with several classes: the first is user_class, "iPXE" anywhere sets ipxe */
    GByteArray *m = msg6(1, 1);
    const char *uc[] = {"foo", "iPXE"};
    opt6_classes(m, 15, false, 0, uc, 2);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_true(d.ipxe);
    g_assert_cmpstr(d.user_class, ==, "foo");
    g_byte_array_free(m, TRUE);

    /* "iPXE" as a vendor class item (iPXE's option 16 in some builds) */
    m = msg6(1, 1);
    const char *vc[] = {"iPXE"};
    opt6_classes(m, 16, true, 10015, vc, 1);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_true(d.ipxe);
    g_assert_cmpstr(d.vendor_class, ==, "iPXE");
    g_byte_array_free(m, TRUE);

    /* "ipxe" in another case, or "iPXE2", is not iPXE */
    m = msg6(1, 1);
    const char *other[] = {"ipxe", "iPXE2"};
    opt6_classes(m, 15, false, 0, other, 2);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_false(d.ipxe);
    g_assert_cmpstr(d.user_class, ==, "ipxe");
    g_byte_array_free(m, TRUE);

    /* HTTPClient over DHCPv6 (UEFI HTTP boot): vendor class and arch 16 */
    m = msg6(1, 1);
    const char *http[] = {"HTTPClient:Arch:00016:UNDI:003001"};
    opt6_classes(m, 16, true, 343, http, 1);
    uint8_t arch[2] = {0, 16};
    opt6(m, 61, arch, 2);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpstr(d.vendor_class, ==, "HTTPClient:Arch:00016:UNDI:003001");
    g_assert_cmpuint(d.arch, ==, 16);
    g_byte_array_free(m, TRUE);

    /* non-printable bytes become '?'; a class longer than its option is dropped */
    m = msg6(1, 1);
    const char *odd[] = {"PXE\x01" "Client"};
    opt6_classes(m, 16, true, 343, odd, 1);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpstr(d.vendor_class, ==, "PXE?Client");
    g_byte_array_free(m, TRUE);
    m = msg6(1, 1);
    uint8_t cut[] = {0, 0, 1, 0x57, 0, 40, 'a', 'b'};
    opt6(m, 16, cut, sizeof cut);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_null(d.vendor_class);
    g_byte_array_free(m, TRUE);
}

/* ---- relays ---- */

static void test_relay_forw_option79(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    GByteArray *in = edk2_solicit(0x777777, 100);
    GByteArray *m = relay6(12, 0, A_LINK, LL_PRIVACY, in, MAC1);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.msg6, ==, 1);
    g_assert_cmpuint(d.msg_type, ==, V4_DISCOVER);
    g_assert_cmphex(d.xid, ==, 0x777777);
    g_assert_cmpuint(d.secs, ==, 1);
    g_assert_true(d.relayed6);
    g_assert_cmpmem(d.link6, 16, A_LINK, 16);
    g_assert_false(d.chaddr_unknown);
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
    g_assert_cmpstr(d.vendor_class, ==, "PXEClient:Arch:00007:UNDI:003016");
    g_assert_cmpuint(d.arch, ==, 7);
    g_byte_array_free(m, TRUE);

    /* option 79 of another hardware type (6) names no Ethernet MAC */
    m = relay6(12, 0, A_LINK, LL_PRIVACY, in, NULL);
    uint8_t v[8] = {0, 6};
    memcpy(v + 2, MAC1, 6);
    opt6(m, 79, v, 8);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_true(d.chaddr_unknown);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(in, TRUE);
}

static void test_relay_eui64_peer(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    GByteArray *in = edk2_solicit(0x1, 0);
    GByteArray *m = relay6(12, 0, A_LINK, LL_MAC1, in, NULL);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_false(d.chaddr_unknown);
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
    g_byte_array_free(m, TRUE);

    /* a peer that is no EUI-64 and no option 79: the MAC stays unknown */
    m = relay6(12, 0, A_LINK, LL_PRIVACY, in, NULL);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_true(d.chaddr_unknown);
    g_assert_true(d.relayed6);
    g_byte_array_free(m, TRUE);

    /* option 79 and an EUI-64 peer of one relay: option 79 is read after the
     * peer, so it names the client */
    static const uint8_t mac9[6] = {0x52, 0x54, 0, 0, 0, 0x09};
    m = relay6(12, 0, A_LINK, LL_MAC1, in, mac9);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpmem(d.chaddr, 6, mac9, 6);
    g_byte_array_free(m, TRUE);

    /* option 79 outranks a DUID-LL in the client's message */
    GByteArray *ll_in = msg6(1, 5);
    uint8_t ll[10] = {0, 3, 0, 1};
    memcpy(ll + 4, mac9, 6);
    opt6(ll_in, 1, ll, sizeof ll);
    m = relay6(12, 0, A_LINK, LL_PRIVACY, ll_in, MAC1);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
    g_byte_array_free(m, TRUE);
    g_byte_array_free(ll_in, TRUE);

    /* RELAY-REPL around an ADVERTISE: a server message, for the client at the peer */
    GByteArray *adv = server_msg6(2, 0x1, A_CLIENT, "tftp://[2001:db8::1]/boot.efi");
    m = relay6(13, 0, A_LINK, LL_MAC1, adv, NULL);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.op, ==, 2);
    g_assert_cmpuint(d.msg_type, ==, V4_OFFER);
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
    g_assert_true(d.has_addr6);
    g_assert_cmpstr(d.bootfile, ==, "tftp://[2001:db8::1]/boot.efi");
    g_byte_array_free(m, TRUE);
    g_byte_array_free(adv, TRUE);
    g_byte_array_free(in, TRUE);
}

static void test_relay_nested(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    GByteArray *in = edk2_solicit(0x2, 0);
    /* first-hop relay on the client's link; the second relay's link address
     * is 0 (it forwards between relays): the innermost non-zero one counts */
    GByteArray *r1 = relay6(12, 0, A_LINK, LL_MAC1, in, NULL);
    GByteArray *r2 = relay6(12, 1, ZERO16, A_LINK2, r1, NULL);
    g_assert_true(parse6_ba(r2, &d, &s));
    g_assert_true(d.relayed6);
    g_assert_cmpmem(d.link6, 16, A_LINK, 16);
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
    g_assert_cmpuint(d.msg_type, ==, V4_DISCOVER);
    g_byte_array_free(r2, TRUE);
    g_byte_array_free(r1, TRUE);

    /* the outer relay has a link, the inner (first-hop) one none: the outer's stays */
    r1 = relay6(12, 0, ZERO16, LL_MAC1, in, NULL);
    r2 = relay6(12, 1, A_LINK2, A_LINK, r1, NULL);
    g_assert_true(parse6_ba(r2, &d, &s));
    g_assert_cmpmem(d.link6, 16, A_LINK2, 16);
    g_byte_array_free(r2, TRUE);
    g_byte_array_free(r1, TRUE);

    /* both links non-zero: the inner one (the client's link) */
    r1 = relay6(12, 0, A_LINK, LL_PRIVACY, in, MAC1);
    r2 = relay6(12, 1, A_LINK2, A_LINK, r1, NULL);
    g_assert_true(parse6_ba(r2, &d, &s));
    g_assert_cmpmem(d.link6, 16, A_LINK, 16);
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
    g_byte_array_free(r2, TRUE);
    g_byte_array_free(r1, TRUE);
    g_byte_array_free(in, TRUE);
}

/* The outer relay's peer address is the inner relay's own address (RFC
 * 8415 9: "the address of the client or relay agent from which the message
 * to be relayed was received"); when that is an EUI-64 link-local, it names
 * the relay's MAC, not the client's. */
static void test_relay_nested_relay_eui64(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    /* client with a DUID-LL of MAC1 and a privacy link-local; first-hop relay
     * without option 79; the second relay received it from the first relay's
     * EUI-64 link-local */
    GByteArray *in = msg6(1, 3);
    uint8_t ll[10] = {0, 3, 0, 1};
    memcpy(ll + 4, MAC1, 6);
    opt6(in, 1, ll, sizeof ll);
    GByteArray *r1 = relay6(12, 0, A_LINK, LL_PRIVACY, in, NULL);
    GByteArray *r2 = relay6(12, 1, ZERO16, LL_RELAY, r1, NULL);
    g_assert_true(parse6_ba(r2, &d, &s));
    bool right = !d.chaddr_unknown && memcmp(d.chaddr, MAC1, 6) == 0;
    bool relay_mac = memcmp(d.chaddr, MAC_RELAY, 6) == 0;
    g_byte_array_free(r2, TRUE);
    g_byte_array_free(r1, TRUE);
    g_byte_array_free(in, TRUE);
    /* the outer relay's peer is the inner relay, not the client */
    g_assert_false(relay_mac);
    g_assert_true(right);
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
}

/* A chain of n RELAY-FORWs around a SOLICIT. */
static GByteArray *relay_chain(unsigned n)
{
    GByteArray *m = edk2_solicit(0x3, 0);
    for (unsigned i = 0; i < n; i++) {
        GByteArray *r = relay6(12, (uint8_t)(n - 1 - i), i == 0 ? A_LINK : ZERO16,
                               i == 0 ? LL_MAC1 : A_LINK, m, NULL);
        g_byte_array_free(m, TRUE);
        m = r;
    }
    return m;
}

static void test_relay_depth_and_broken(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    GByteArray *m = relay_chain(32);
    g_assert_true(parse6_ba(m, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, V4_DISCOVER);
    g_assert_cmpmem(d.link6, 16, A_LINK, 16);
    g_assert_cmpmem(d.chaddr, 6, MAC1, 6);
    g_byte_array_free(m, TRUE);
    m = relay_chain(33);
    g_assert_false(parse6_ba(m, &d, &s));
    g_byte_array_free(m, TRUE);
    m = relay_chain(200);
    g_assert_false(parse6_ba(m, &d, &s));
    g_byte_array_free(m, TRUE);

    /* a relay without option 9 */
    GByteArray *in = edk2_solicit(0x4, 0);
    m = relay6(12, 0, A_LINK, LL_MAC1, in, NULL);
    GByteArray *no9 = g_byte_array_new();
    g_byte_array_append(no9, m->data, 34);
    opt6(no9, 18, "eth0", 4);       /* interface-id only */
    g_assert_false(parse6_ba(no9, &d, &s));
    g_byte_array_free(no9, TRUE);
    /* every cut of the relay message before the end of its option 9 */
    for (guint n = 0; n < m->len; n++)
        g_assert_false(parse6(m->data, n, &d, &s));
    g_assert_true(parse6_ba(m, &d, &s));
    g_byte_array_free(m, TRUE);
    /* option 9 empty, or holding only 3 bytes */
    GByteArray *tiny = g_byte_array_new();
    m = relay6(12, 0, A_LINK, LL_MAC1, tiny, NULL);
    g_assert_false(parse6_ba(m, &d, &s));
    g_byte_array_free(m, TRUE);
    g_byte_array_append(tiny, (const uint8_t *)"\x01\x00\x00", 3);
    m = relay6(12, 0, A_LINK, LL_MAC1, tiny, NULL);
    g_assert_false(parse6_ba(m, &d, &s));
    g_byte_array_free(m, TRUE);
    g_byte_array_free(tiny, TRUE);
    /* a relay around a message of an unknown type */
    GByteArray *odd = msg6(14, 1);
    m = relay6(12, 0, A_LINK, LL_MAC1, odd, NULL);
    g_assert_false(parse6_ba(m, &d, &s));
    g_byte_array_free(m, TRUE);
    g_byte_array_free(odd, TRUE);
    g_byte_array_free(in, TRUE);
}

/* ---- broken input ---- */

static void test_truncated_and_overlong(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    GByteArray *m = edk2_solicit(0x5, 0);
    /* the option boundaries of the message */
    GArray *bounds = g_array_new(FALSE, FALSE, sizeof(guint));
    for (guint o = 4; o + 4 <= m->len;) {
        g_array_append_val(bounds, o);
        o += 4 + ((guint)m->data[o + 2] << 8 | m->data[o + 3]);
    }
    for (guint n = 0; n < 4; n++)
        g_assert_false(parse6(m->data, n, &d, &s));
    /* a cut past an option's header, inside its value, is an option running
     * past the end: false; a cut on a boundary is a shorter message */
    for (guint i = 0; i < bounds->len; i++) {
        guint start = g_array_index(bounds, guint, i);
        guint end = i + 1 < bounds->len ? g_array_index(bounds, guint, i + 1) : m->len;
        g_assert_true(parse6(m->data, start, &d, &s));
        for (guint n = start + 4; n < end; n++)
            if (end - start > 4)
                g_assert_false(parse6(m->data, n, &d, &s));
    }
    g_array_free(bounds, TRUE);

    /* an option length of 0xffff in a short message, and one byte too long */
    GByteArray *o = msg6(1, 1);
    put16(o, 16);
    put16(o, 0xffff);
    g_byte_array_append(o, (const uint8_t *)"\0\0\1\x57\0\4iPXE", 10);
    g_assert_false(parse6_ba(o, &d, &s));
    g_byte_array_free(o, TRUE);
    GByteArray *exact = msg6(1, 1);
    opt6_str(exact, 59, "tftp://[2001:db8::1]/boot.efi");
    exact->data[7] += 1;       /* the length field's low byte */
    g_assert_false(parse6_ba(exact, &d, &s));
    exact->data[7] -= 1;
    g_assert_true(parse6_ba(exact, &d, &s));
    g_byte_array_free(exact, TRUE);
    /* an overlong option inside the relayed message */
    GByteArray *bad_in = msg6(1, 1);
    put16(bad_in, 61);
    put16(bad_in, 100);
    put16(bad_in, 7);
    GByteArray *r = relay6(12, 0, A_LINK, LL_MAC1, bad_in, NULL);
    g_assert_false(parse6_ba(r, &d, &s));
    g_byte_array_free(r, TRUE);
    g_byte_array_free(bad_in, TRUE);
    g_byte_array_free(m, TRUE);
}

/* Random bytes and mutated real messages: no crash, no read past the end
 * (valgrind), strings within bounds and printable. */
static void test_garbage(void)
{
    GRand *rnd = g_rand_new_with_seed(0x6d6);
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    const char *reals[] = {EDK2_SOLICIT, EDK2_ADVERTISE, EDK2_REPLY, IPXE_SOLICIT, RELEASE_REPLY};
    for (unsigned i = 0; i < 4000; i++) {
        size_t n;
        uint8_t *p;
        if (i % 2) {
            p = unhex(reals[i % G_N_ELEMENTS(reals)], &n);
            for (int k = g_rand_int_range(rnd, 1, 6); k > 0; k--)
                p[g_rand_int_range(rnd, 0, (gint32)n)] = (uint8_t)g_rand_int(rnd);
            n = (size_t)g_rand_int_range(rnd, 0, (gint32)n + 1);
        } else {
            n = (size_t)g_rand_int_range(rnd, 0, 300);
            p = g_malloc(n ? n : 1);
            for (size_t k = 0; k < n; k++)
                p[k] = (uint8_t)g_rand_int(rnd);
            if (n)
                p[0] = (uint8_t)g_rand_int_range(rnd, 0, 16);
        }
        if (parse6(p, n, &d, &s)) {
            g_assert_cmpuint(d.msg6, >=, 1);
            g_assert_cmpuint(d.msg6, <=, 11);
            for (const char *str = d.vendor_class; str && *str; str++)
                g_assert_true(*str >= 0x20 && *str <= 0x7e);
            for (const char *str = d.bootfile; str && *str; str++)
                g_assert_true(*str >= 0x20 && *str <= 0x7e);
            g_assert_true(!d.bootfile || strlen(d.bootfile) <= PXE_WIRE_DHCP_STR_MAX);
        }
        g_free(p);
    }
    g_rand_free(rnd);
}

/* ---- EUI-64 ---- */

static void test_eui64(void)
{
    uint8_t mac[6];
    g_assert_true(pxe_wire_eui64_mac(LL_MAC1, mac));
    g_assert_cmpmem(mac, 6, MAC1, 6);
    /* the universal/local bit: 02:00:00:00:02:01 is fe80::ff:fe00:201 */
    static const uint8_t ll_dnsmasq[16] = {0xfe, 0x80, [8] = 0x00, 0x00, 0x00, 0xff, 0xfe, 0x00, 0x02, 0x01};
    static const uint8_t mac_dnsmasq[6] = {0x02, 0x00, 0x00, 0x00, 0x02, 0x01};
    g_assert_true(pxe_wire_eui64_mac(ll_dnsmasq, mac));
    g_assert_cmpmem(mac, 6, mac_dnsmasq, 6);
    /* a global address with an EUI-64 interface id is not taken */
    uint8_t global[16];
    memcpy(global, LL_MAC1, 16);
    global[0] = 0x20;
    global[1] = 0x01;
    memset(mac, 0x77, 6);
    g_assert_false(pxe_wire_eui64_mac(global, mac));
    g_assert_cmpuint(mac[0], ==, 0x77);      /* untouched */
    /* fe80:0:0:1::/64 is no link-local /64 of the form SLAAC uses */
    uint8_t odd[16];
    memcpy(odd, LL_MAC1, 16);
    odd[7] = 1;
    g_assert_false(pxe_wire_eui64_mac(odd, mac));
    g_assert_false(pxe_wire_eui64_mac(LL_PRIVACY, mac));
    g_assert_false(pxe_wire_eui64_mac(ZERO16, mac));
    /* ff:fe in the wrong place */
    uint8_t shifted[16] = {0xfe, 0x80, [8] = 0x50, 0x54, 0xff, 0xfe, 0x00, 0x00, 0x00, 0x01};
    g_assert_false(pxe_wire_eui64_mac(shifted, mac));
}

/* ---- URLs ---- */

static void assert_url(const char *s, pxe_url_scheme_t scheme, const char *host, const char *path)
{
    pxe_url_t u = pxe_url_split(s);
    g_assert_cmpint(u.scheme, ==, scheme);
    g_assert_cmpuint(u.host_len, ==, strlen(host));
    g_assert_true(strncmp(u.host, host, u.host_len) == 0);
    g_assert_cmpstr(u.path, ==, path);
}

static void test_url_split(void)
{
    assert_url("tftp://[2001:db8::1]/boot.efi", PXE_URL_TFTP, "2001:db8::1", "/boot.efi");
    assert_url("tftp://192.0.2.1/pxelinux.0", PXE_URL_TFTP, "192.0.2.1", "/pxelinux.0");
    assert_url("http://192.0.2.1/boot.efi", PXE_URL_HTTP, "192.0.2.1", "/boot.efi");
    assert_url("HTTP://Boot.Example:8080/efi/x.efi", PXE_URL_HTTP, "Boot.Example", "/efi/x.efi");
    assert_url("https://boot.example.com:8443/x/y.efi", PXE_URL_HTTPS, "boot.example.com", "/x/y.efi");
    assert_url("http://[2001:db8::1]:8080/boot.efi", PXE_URL_HTTP, "2001:db8::1", "/boot.efi");
    assert_url("ftp://192.0.2.1/f", PXE_URL_OTHER, "192.0.2.1", "/f");
    assert_url("nfs://server/export/boot", PXE_URL_OTHER, "server", "/export/boot");
    assert_url("httpx://h/p", PXE_URL_OTHER, "h", "/p");
    /* no path */
    assert_url("http://192.0.2.1", PXE_URL_HTTP, "192.0.2.1", "");
    assert_url("http://192.0.2.1:8080", PXE_URL_HTTP, "192.0.2.1", "");
    assert_url("tftp://[2001:db8::1]", PXE_URL_TFTP, "2001:db8::1", "");
    assert_url("http://", PXE_URL_HTTP, "", "");
    /* a bracket that does not close */
    assert_url("http://[2001:db8::1/boot.efi", PXE_URL_HTTP, "", "/boot.efi");
    /* not URLs */
    assert_url("pxelinux.0", PXE_URL_NONE, "", "");
    assert_url("C:\\x://y", PXE_URL_NONE, "", "");
    assert_url("boot\\x64\\wdsnbp.com", PXE_URL_NONE, "", "");
    assert_url("boot/tftp://x/y", PXE_URL_NONE, "", "");
    assert_url("://host/p", PXE_URL_NONE, "", "");
    assert_url("", PXE_URL_NONE, "", "");
    assert_url(NULL, PXE_URL_NONE, "", "");
    assert_url("ht tp://h/p", PXE_URL_NONE, "", "");
}

static void test_url_host_addr(void)
{
    uint8_t a[16];
    pxe_url_t u = pxe_url_split("tftp://[2001:db8::1]/boot.efi");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 16);
    g_assert_cmpmem(a, 16, A_SERVER, 16);
    u = pxe_url_split("http://[2001:db8::1]:8080/boot.efi");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 16);
    g_assert_cmpmem(a, 16, A_SERVER, 16);
    u = pxe_url_split("http://192.0.2.1/boot.efi");
    static const uint8_t v4[4] = {192, 0, 2, 1};
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 4);
    g_assert_cmpmem(a, 4, v4, 4);
    u = pxe_url_split("http://192.0.2.1:8080");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 4);
    g_assert_cmpmem(a, 4, v4, 4);
    u = pxe_url_split("https://boot.example.com/x.efi");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 0);
    u = pxe_url_split("http://x/boot.efi");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 0);
    u = pxe_url_split("pxelinux.0");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 0);
    u = pxe_url_split("C:\\x://y");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 0);
    u = pxe_url_split("http://[2001:db8::1/boot.efi");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 0);
    /* a link-local with a zone is no literal inet_pton takes */
    u = pxe_url_split("http://[fe80::1%eth0]/boot.efi");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 0);
    /* 300.1.1.1 is no address */
    u = pxe_url_split("http://300.1.1.1/boot.efi");
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 0);
    /* a host longer than any literal */
    char longurl[200];
    g_snprintf(longurl, sizeof longurl, "http://%0100d/x", 1);
    u = pxe_url_split(longurl);
    g_assert_cmpuint(u.host_len, ==, 100);
    g_assert_cmpuint(pxe_url_host_addr(&u, a), ==, 0);
}

static void test_file_same_urls(void)
{
    g_assert_true(pxe_file_same("tftp://[2001:db8::1]/snponly.efi", "snponly.efi"));
    g_assert_true(pxe_file_same("snponly.efi", "tftp://[2001:db8::1]/snponly.efi"));
    g_assert_true(pxe_file_same("tftp://[2001:db8::1]/snponly.efi", "/snponly.efi"));
    g_assert_true(pxe_file_same("http://192.0.2.1/boot/x.efi", "/boot/x.efi"));
    g_assert_true(pxe_file_same("http://192.0.2.1/boot/x.efi", "boot/x.efi"));
    g_assert_true(pxe_file_same("http://192.0.2.1/boot.efi", "http://[2001:db8::1]/boot.efi"));
    g_assert_false(pxe_file_same("http://192.0.2.1/boot/x.efi", "x.efi"));
    g_assert_false(pxe_file_same("tftp://[2001:db8::1]/snponly.efi", "ipxe.efi"));
    g_assert_false(pxe_file_same("tftp://[2001:db8::1]/snponly.efi", NULL));
    /* a URL without a path names no file */
    g_assert_false(pxe_file_same("http://192.0.2.1", "192.0.2.1"));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/wire_dhcp6/real/edk2", test_real_edk2);
    g_test_add_func("/wire_dhcp6/real/ipxe", test_real_ipxe);
    g_test_add_func("/wire_dhcp6/built/solicit", test_built_solicit);
    g_test_add_func("/wire_dhcp6/built/advertise", test_built_advertise);
    g_test_add_func("/wire_dhcp6/built/reply-status", test_built_reply_status);
    g_test_add_func("/wire_dhcp6/built/message-types", test_message_types);
    g_test_add_func("/wire_dhcp6/built/duid-kinds", test_duid_kinds);
    g_test_add_func("/wire_dhcp6/built/classes", test_classes);
    g_test_add_func("/wire_dhcp6/relay/option79", test_relay_forw_option79);
    g_test_add_func("/wire_dhcp6/relay/eui64-peer", test_relay_eui64_peer);
    g_test_add_func("/wire_dhcp6/relay/nested", test_relay_nested);
    g_test_add_func("/wire_dhcp6/relay/nested-relay-eui64", test_relay_nested_relay_eui64);
    g_test_add_func("/wire_dhcp6/relay/depth-and-broken", test_relay_depth_and_broken);
    g_test_add_func("/wire_dhcp6/broken/truncated-overlong", test_truncated_and_overlong);
    g_test_add_func("/wire_dhcp6/broken/garbage", test_garbage);
    g_test_add_func("/wire_dhcp6/eui64", test_eui64);
    g_test_add_func("/wire_dhcp6/url/split", test_url_split);
    g_test_add_func("/wire_dhcp6/url/host-addr", test_url_host_addr);
    g_test_add_func("/wire_dhcp6/url/file-same", test_file_same_urls);
    return g_test_run();
}
