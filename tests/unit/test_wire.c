/* test_wire.c - unit tests of the byte parsers (plugin/core/pxe_wire.c) on
 * real packets taken from samples/captures (the lab captures), on
 * variants of them (option overload, RFC 3004 user class, non-ASCII TFTP
 * error text), on every truncation of each, and on mutated copies.
 *
 * Each input is copied into a heap block of exactly its length, so a read
 * past the end shows under valgrind or AddressSanitizer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include <string.h>

#include "pxe_wire.h"

#define IP4(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))

/* ---- real payloads (UDP payload, ARP packet, ICMP message), as hex ---- */

/* All from samples/captures (the project's own lab captures). */
/* bios-pxelinux-ok frame 1: iPXE ROM DISCOVER: option 77 raw "iPXE", 175, 93 = 0, 60 PXEClient */
static const char IPXE_DISCOVER[] =
    "010106005f0a067000040000000000000000000000000000000000005254000001010000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363"
    "350101390205c05d0200005e030102013c20505845436c69656e743a417263683a30303030303a554e44493a30303230"
    "30314d04695058453717010306070c0f111a2b3c4243778081828384858687afcbaf30b105018086100eeb0301000017"
    "01012201011301011101012701011901012901011001022101011501011801011201013d070152540000010161110000"
    "003f8d000000408000525400000101ff"
    ;
/* uefi-proxydhcp-ok frame 1: OVMF DISCOVER, option 93 = 7 */
static const char EFI_DISCOVER[] =
    "0101060027a9494600008000000000000000000000000000000000005254000009010000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363"
    "350101390205c037230102030405060c0d0f111216171c28292a2b3233363a3b3c424361808182838485868761110000"
    "003f8d0000004080005254000009015e030103005d0200073c20505845436c69656e743a417263683a30303030373a55"
    "4e44493a303033303030ff"
    ;
/* bios-proxy-only frame 2: dnsmasq proxyDHCP OFFER, option 43 sub-options 6, 10, 8, 9 */
static const char PROXY_OFFER[] =
    "0201060065e75d650004800000000000000000000000000000000000525400000a010000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363"
    "3501023604c00002023c09505845436c69656e7461110000003f8d000000408000525400000a012b280601030a040050"
    "58450807800001c0000202091380001070786564696167206c61622042494f53ffff"
    ;
/* uefi-proxydhcp-ok frame 10: REQUEST to port 4011 */
static const char PROXY_REQUEST[] =
    "010106003cf4f66200000000c000027e0000000000000000000000005254000009010000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363"
    "35010337230102030405060c0d0f111216171c28292a2b3233363a3b3c4243618081828384858687390205c03c205058"
    "45436c69656e743a417263683a30303030373a554e44493a3030333030305d0200075e0301030061110000003f8d0000"
    "00408000525400000901ff"
    ;
/* uefi-proxydhcp-ok frame 11: proxyDHCP ACK from port 4011, file field syslinux.efi */
static const char PROXY_ACK[] =
    "020106003cf4f66200000000c000027e00000000c000020200000000525400000901000000000000000000003139322e"
    "302e322e3200000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "0000000000000000000000007379736c696e75782e656669000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363"
    "3501053604c00002023c09505845436c69656e7461110000003f8d000000408000525400000901ff0000000000000000"
    "000000000000000000000000"
    ;
/* uefi-ipxe-chain-ok frame 254: dnsmasq OFFER, option 67 boot.ipxe */
static const char LAB_OFFER[] =
    "02010600846a8c3c0004000000000000c0000279c000020100000000525400000e010000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363"
    "3501023604c0000201330400000258430a626f6f742e69707865003a040000012c3b040000020d0104ffffff001c04c0"
    "0002ffff0000000000000000"
    ;
/* uefi-ipxe-chain-ok frame 5: OVMF REQUEST, option 50 = 192.0.2.121, 97 = UUID */
static const char EFI_REQUEST[] =
    "0101060094eeb74b0000800000000000000000000000000000000000525400000e010000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363"
    "3501033604c00002013204c00002793902ff0037230102030405060c0d0f111216171c28292a2b3233363a3b3c424361"
    "808182838485868761110000003f8d000000408000525400000e015e030103005d0200073c20505845436c69656e743a"
    "417263683a30303030373a554e44493a303033303030ff"
    ;
/* frame 6: dnsmasq ACK, yiaddr 192.0.2.121, option 51 = 600 */
static const char EFI_ACK[] =
    "0201060094eeb74b0000800000000000c0000279c000020100000000525400000e010000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "000000000000000000000000000000000000000000000000000000000000000000000000000000000000000063825363"
    "3501053604c0000201330400000258430c736e706f6e6c792e656669003a040000012c3b040000020d0104ffffff001c"
    "04c00002ffff000000000000"
    ;
/* uefi-ipxe-chain-ok frame 9: RRQ snponly.efi octet tsize=0 blksize=1468 windowsize=4 */
static const char TFTP_RRQ_TSIZE[] =
    "0001736e706f6e6c792e656669006f63746574007473697a65003000626c6b73697a6500313436380077696e646f7773"
    "697a65003400"
    ;
/* frame 10: OACK blksize=1468 tsize=173792 */
static const char TFTP_OACK_TSIZE[] =
    "0006626c6b73697a650031343638007473697a650031373337393200"
    ;
/* frame 11: ERROR 8 "User aborted the transfer" (the size probe's end) */
static const char TFTP_ERROR_ABORT[] =
    "00050008557365722061626f7274656420746865207472616e7366657200"
    ;
/* frame 12: RRQ snponly.efi octet blksize=1468 windowsize=4 */
static const char TFTP_RRQ_BLKSIZE[] =
    "0001736e706f6e6c792e656669006f6374657400626c6b73697a6500313436380077696e646f7773697a65003400"
    ;
/* frame 13: OACK blksize=1468 */
static const char TFTP_OACK_BLKSIZE[] =
    "0006626c6b73697a65003134363800"
    ;
/* frame 14: ACK 0 */
static const char TFTP_ACK0[] =
    "00040000"
    ;
/* bios-tftp-server-error frame 21: ERROR 0 from dnsmasq */
static const char TFTP_ERROR_DIR[] =
    "0005000063616e6e6f742072656164202f7372762f746674702f7078656c696e75782e303a2049732061206469726563"
    "746f727900"
    ;
/* bios-tftp-port-closed frame 19: ICMP port unreachable quoting the RRQ to port 69 */
static const char ICMP_PORT_UNREACH[] =
    "030381c10000000045000044040400004011f222c0000281c0000201868d0045003013f500017078656c696e75782e30"
    "006f6374657400626c6b73697a650031343332007473697a65003000"
    ;
/* bios-arp-timeout frame 14: who-has 192.0.2.115 tell 192.0.2.1 */
static const char ARP_REQUEST[] =
    "0001080006040001020000000201c0000201000000000000c0000273"
    ;
/* bios-arp-timeout frame 15: 192.0.2.115 is at 52:54:00:00:14:01 (Ethernet padding included) */
static const char ARP_REPLY[] =
    "0001080006040002525400001401c0000273020000000201c0000201000000000000000000000000000000000000"
    ;
/* uefi-ipxe-chain-ok frame 15: DATA block 1, first 16 of 1472 bytes (udp.length 1480): as in a
 * capture cut by a snap length */
static const char TFTP_DATA1_CUT[] = "000300014d5a00000000000000000000";

/* ---- helpers ---- */

/* The bytes of a hex string, in a block of exactly that size. */
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

/* A copy of the first n bytes in a block of exactly n bytes. */
static uint8_t *prefix(const uint8_t *p, size_t n)
{
    uint8_t *q = g_malloc(n ? n : 1);
    memcpy(q, p, n);
    return q;
}

static void assert_str_ok(const char *s, size_t max)
{
    if (!s)
        return;
    size_t n = strlen(s);
    g_assert_cmpuint(n, >, 0);
    g_assert_cmpuint(n, <=, max);
    for (size_t i = 0; i < n; i++)
        g_assert_true(s[i] >= 0x20 && s[i] <= 0x7e);
}

static void assert_dhcp_sane(const pxe_dhcp_t *d, const pxe_wire_scratch_t *s)
{
    assert_str_ok(d->vendor_class, PXE_WIRE_DHCP_STR_MAX);
    assert_str_ok(d->bootfile, PXE_WIRE_DHCP_STR_MAX);
    assert_str_ok(d->tftp_server_name, PXE_WIRE_DHCP_STR_MAX);
    g_assert_true(!d->vendor_class || d->vendor_class == s->vendor_class);
    g_assert_true(!d->bootfile || d->bootfile == s->bootfile);
    g_assert_true(!d->tftp_server_name || d->tftp_server_name == s->tftp_server_name);
    assert_str_ok(d->host_name, PXE_WIRE_DHCP_STR_MAX);
    assert_str_ok(d->client_fqdn, PXE_WIRE_DHCP_STR_MAX);
    assert_str_ok(d->user_class, PXE_WIRE_DHCP_STR_MAX);
    g_assert_true(!d->host_name || d->host_name == s->host_name);
    g_assert_true(!d->client_fqdn || d->client_fqdn == s->client_fqdn);
    g_assert_true(!d->user_class || d->user_class == s->user_class);
    g_assert_true(!d->uuid || (d->uuid == s->uuid && strlen(d->uuid) == 36));
}

static bool parse_dhcp_hex(const char *hex, pxe_dhcp_t *d, pxe_wire_scratch_t *s)
{
    size_t n;
    uint8_t *p = unhex(hex, &n);
    bool ok = pxe_wire_dhcp(p, n, d, s);
    g_free(p);
    if (ok)
        assert_dhcp_sane(d, s);
    return ok;
}

static const uint8_t MAGIC[4] = {0x63, 0x82, 0x53, 0x63};

/* A DHCP message: the fixed header of a real one (cookie included), with
 * the given options, file and sname fields. */
static uint8_t *dhcp_with(const char *base_hex, const uint8_t *opts, size_t n_opts, const uint8_t *file,
                          size_t n_file, const uint8_t *sname, size_t n_sname, size_t *len)
{
    size_t n;
    uint8_t *base = unhex(base_hex, &n);
    g_assert_cmpuint(n, >=, 240);
    g_assert_true(memcmp(base + 236, MAGIC, 4) == 0);
    uint8_t *p = g_malloc(240 + n_opts);
    memcpy(p, base, 240);
    memcpy(p + 240, opts, n_opts);
    g_free(base);
    g_assert_cmpuint(n_file, <=, 128);
    g_assert_cmpuint(n_sname, <=, 64);
    memset(p + 108, 0, 128);
    memset(p + 44, 0, 64);
    if (file)
        memcpy(p + 108, file, n_file);
    if (sname)
        memcpy(p + 44, sname, n_sname);
    *len = 240 + n_opts;
    return p;
}

static bool parse_dhcp_opts(const uint8_t *opts, size_t n_opts, pxe_dhcp_t *d, pxe_wire_scratch_t *s)
{
    size_t n;
    uint8_t *p = dhcp_with(LAB_OFFER, opts, n_opts, NULL, 0, NULL, 0, &n);
    bool ok = pxe_wire_dhcp(p, n, d, s);
    g_free(p);
    if (ok)
        assert_dhcp_sane(d, s);
    return ok;
}

static bool parse_tftp_bytes(const uint8_t *b, size_t n, size_t wire, pxe_tftp_t *t, pxe_wire_scratch_t *s)
{
    uint8_t *p = prefix(b, n);
    bool ok = pxe_wire_tftp(p, n, wire, t, s);
    g_free(p);
    if (ok) {
        assert_str_ok(t->file, PXE_WIRE_TFTP_STR_MAX);
        g_assert_true(!t->file || t->file == s->tftp_file);
        g_assert_true(!t->err_msg || t->err_msg == s->tftp_err_msg);
        if (t->err_msg)
            g_assert_cmpuint(strlen(t->err_msg), <=, PXE_WIRE_TFTP_STR_MAX);
    }
    return ok;
}

static bool parse_tftp_hex(const char *hex, pxe_tftp_t *t, pxe_wire_scratch_t *s)
{
    size_t n;
    uint8_t *p = unhex(hex, &n);
    bool ok = parse_tftp_bytes(p, n, n, t, s);
    g_free(p);
    return ok;
}

/* ---- DHCP ---- */

static void test_dhcp_discover(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    static const uint8_t mac[6] = {0x52, 0x54, 0x00, 0x00, 0x01, 0x01};
    g_assert_true(parse_dhcp_hex(IPXE_DISCOVER, &d, &s));
    g_assert_cmpuint(d.op, ==, 1);
    g_assert_cmpuint(d.msg_type, ==, 1);
    g_assert_cmphex(d.xid, ==, 0x5f0a0670);
    g_assert_true(memcmp(d.chaddr, mac, 6) == 0);
    g_assert_cmpuint(d.ciaddr | d.yiaddr | d.siaddr | d.giaddr, ==, 0);
    g_assert_cmpstr(d.vendor_class, ==, "PXEClient:Arch:00000:UNDI:002001");
    g_assert_true(d.has_arch);
    g_assert_cmpuint(d.arch, ==, 0);
    g_assert_false(d.has_server_id);
    g_assert_null(d.bootfile);
    g_assert_null(d.tftp_server_name);
    g_assert_true(d.ipxe);   /* option 77 "iPXE" and option 175 */
    g_assert_false(d.has_pxe_options);
    g_assert_false(d.boot_item);

    g_assert_true(parse_dhcp_hex(EFI_DISCOVER, &d, &s));
    g_assert_cmphex(d.xid, ==, 0x27a94946);
    g_assert_cmpstr(d.vendor_class, ==, "PXEClient:Arch:00007:UNDI:003000");
    g_assert_true(d.has_arch);
    g_assert_cmpuint(d.arch, ==, 7);
    g_assert_false(d.ipxe);
}

static void test_dhcp_proxy(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    g_assert_true(parse_dhcp_hex(PROXY_OFFER, &d, &s));
    g_assert_cmpuint(d.op, ==, 2);
    g_assert_cmpuint(d.msg_type, ==, 2);
    g_assert_cmphex(d.xid, ==, 0x65e75d65);
    g_assert_true(d.has_server_id);
    g_assert_cmphex(d.server_id, ==, IP4(192, 0, 2, 2));
    g_assert_cmpuint(d.yiaddr | d.siaddr, ==, 0);
    g_assert_cmpstr(d.vendor_class, ==, "PXEClient");
    g_assert_true(d.has_pxe_options);   /* sub-options 6, 10, 8, 9 */
    g_assert_false(d.boot_item);
    g_assert_null(d.bootfile);

    g_assert_true(parse_dhcp_hex(PROXY_REQUEST, &d, &s));
    g_assert_cmpuint(d.op, ==, 1);
    g_assert_cmpuint(d.msg_type, ==, 3);
    g_assert_cmphex(d.xid, ==, 0x3cf4f662);
    g_assert_cmphex(d.ciaddr, ==, IP4(192, 0, 2, 126));
    g_assert_cmpuint(d.arch, ==, 7);
    g_assert_false(d.boot_item);

    g_assert_true(parse_dhcp_hex(PROXY_ACK, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, 5);
    g_assert_cmphex(d.ciaddr, ==, IP4(192, 0, 2, 126));
    g_assert_cmphex(d.siaddr, ==, IP4(192, 0, 2, 2));
    g_assert_cmphex(d.server_id, ==, IP4(192, 0, 2, 2));
    g_assert_cmpstr(d.vendor_class, ==, "PXEClient");
    g_assert_cmpstr(d.bootfile, ==, "syslinux.efi");   /* the file field */
}

static void test_dhcp_lab_offer(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    g_assert_true(parse_dhcp_hex(LAB_OFFER, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, 2);
    g_assert_cmphex(d.yiaddr, ==, IP4(192, 0, 2, 121));
    g_assert_cmphex(d.siaddr, ==, IP4(192, 0, 2, 1));
    g_assert_cmphex(d.server_id, ==, IP4(192, 0, 2, 1));
    g_assert_cmpstr(d.bootfile, ==, "boot.ipxe");   /* option 67 */
    g_assert_null(d.vendor_class);
    g_assert_false(d.has_pxe_options);
    g_assert_false(d.ipxe);
}

/* Option 52 = 3: file and sname hold options (here option 56 messages),
 * so neither is a name; without option 52 the file field is one. */
static void test_dhcp_overload_message(void)
{
    static const uint8_t opts[] = {53, 1, 1, 52, 1, 3, 255};
    static const uint8_t file[] = {56, 5, 'h', 'e', 'l', 'l', 'o', 255};
    static const uint8_t sname[] = {56, 2, 'h', 'i', 255};
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    size_t n;
    uint8_t *p = dhcp_with(LAB_OFFER, opts, sizeof opts, file, sizeof file, sname, sizeof sname, &n);
    g_assert_true(pxe_wire_dhcp(p, n, &d, &s));
    g_assert_null(d.bootfile);
    g_assert_cmpuint(d.msg_type, ==, 1);
    p[245] = 0;   /* option 52 = 0 */
    g_assert_true(pxe_wire_dhcp(p, n, &d, &s));
    g_assert_cmpstr(d.bootfile, ==, "8?hello?");
    g_free(p);
}

static void test_dhcp_overload_fields(void)
{
    static const uint8_t opts[] = {53, 1, 2, 54, 4, 192, 0, 2, 1, 60, 3, 'P', 'X', 'E', 52, 1, 3, 255};
    static const uint8_t file[] = {67, 10, 'p', 'x', 'e', 'l', 'i', 'n', 'u', 'x', '.', '0',
                                   60, 6, 'C', 'l', 'i', 'e', 'n', 't', 255};
    static const uint8_t sname[] = {0, 0, 66, 4, 't', 'f', 't', 'p', 255};
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    size_t n;
    uint8_t *p = dhcp_with(LAB_OFFER, opts, sizeof opts, file, sizeof file, sname, sizeof sname, &n);
    g_assert_true(pxe_wire_dhcp(p, n, &d, &s));
    g_assert_cmpstr(d.bootfile, ==, "pxelinux.0");
    g_assert_cmpstr(d.tftp_server_name, ==, "tftp");
    g_assert_cmpstr(d.vendor_class, ==, "PXEClient");
    g_assert_cmphex(d.server_id, ==, IP4(192, 0, 2, 1));
    g_free(p);

    /* overload = 1: sname is a name field again, not read for options */
    static const uint8_t opts1[] = {53, 1, 2, 52, 1, 1, 255};
    p = dhcp_with(LAB_OFFER, opts1, sizeof opts1, file, sizeof file, sname, sizeof sname, &n);
    g_assert_true(pxe_wire_dhcp(p, n, &d, &s));
    g_assert_cmpstr(d.bootfile, ==, "pxelinux.0");
    g_assert_null(d.tftp_server_name);
    g_free(p);

    /* an option running past the end of the file field is malformed */
    static const uint8_t bad_file[] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
                                       0, 0, 0, 0, 0, 67, 9, 'x'};
    p = dhcp_with(LAB_OFFER, opts1, sizeof opts1, bad_file, sizeof bad_file, NULL, 0, &n);
    g_assert_false(pxe_wire_dhcp(p, n, &d, &s));
    g_free(p);
}

static void test_dhcp_user_class(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    static const uint8_t rfc3004[] = {53, 1, 1, 77, 5, 4, 'i', 'P', 'X', 'E', 255};
    g_assert_true(parse_dhcp_opts(rfc3004, sizeof rfc3004, &d, &s));
    g_assert_true(d.ipxe);
    static const uint8_t second[] = {53, 1, 1, 77, 9, 3, 'a', 'b', 'c', 4, 'i', 'P', 'X', 'E', 255};
    g_assert_true(parse_dhcp_opts(second, sizeof second, &d, &s));
    g_assert_true(d.ipxe);
    static const uint8_t raw[] = {53, 1, 1, 77, 4, 'i', 'P', 'X', 'E', 255};
    g_assert_true(parse_dhcp_opts(raw, sizeof raw, &d, &s));
    g_assert_true(d.ipxe);
    static const uint8_t other[] = {53, 1, 1, 77, 6, 5, 'i', 'P', 'X', 'E', '2', 255};
    g_assert_true(parse_dhcp_opts(other, sizeof other, &d, &s));
    g_assert_false(d.ipxe);
    static const uint8_t gpxe[] = {53, 1, 1, 77, 4, 'g', 'P', 'X', 'E', 255};
    g_assert_true(parse_dhcp_opts(gpxe, sizeof gpxe, &d, &s));
    g_assert_false(d.ipxe);
    static const uint8_t zero_len[] = {53, 1, 1, 77, 0, 255};
    g_assert_true(parse_dhcp_opts(zero_len, sizeof zero_len, &d, &s));
    g_assert_false(d.ipxe);
    static const uint8_t etherboot[] = {53, 1, 1, 175, 3, 177, 1, 1, 255};
    g_assert_true(parse_dhcp_opts(etherboot, sizeof etherboot, &d, &s));
    g_assert_true(d.ipxe);
}

/* What a report joins on: the lab's real REQUEST/ACK and DISCOVERs. */
static void test_dhcp_join_real(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    g_assert_true(parse_dhcp_hex(EFI_REQUEST, &d, &s));
    g_assert_cmphex(d.xid, ==, 0x94eeb74b);
    g_assert_true(d.has_requested_addr);
    g_assert_cmphex(d.requested_addr, ==, IP4(192, 0, 2, 121));
    /* as tshark shows dhcp.client_id.uuid for these bytes: 00003f8d 0000 0040 8000 ... */
    g_assert_cmpstr(d.uuid, ==, "8d3f0000-0000-4000-8000-525400000e01");
    g_assert_null(d.host_name);
    g_assert_null(d.user_class);
    g_assert_false(d.has_lease_time);

    g_assert_true(parse_dhcp_hex(EFI_ACK, &d, &s));
    g_assert_cmphex(d.yiaddr, ==, IP4(192, 0, 2, 121));
    g_assert_cmphex(d.giaddr, ==, 0);
    g_assert_true(d.has_lease_time);
    g_assert_cmpuint(d.lease_time, ==, 600);
    g_assert_false(d.has_requested_addr);
    g_assert_null(d.uuid);

    g_assert_true(parse_dhcp_hex(IPXE_DISCOVER, &d, &s));
    g_assert_cmpstr(d.user_class, ==, "iPXE");   /* raw, not RFC 3004 */
    g_assert_cmpstr(d.uuid, ==, "8d3f0000-0000-4000-8000-525400000101");
    g_assert_true(parse_dhcp_hex(EFI_DISCOVER, &d, &s));
    g_assert_cmpstr(d.uuid, ==, "8d3f0000-0000-4000-8000-525400000901");
}

/* Options 12, 50, 51, 77, 81, 97 built by hand: encodings, bad lengths,
 * repeats, bytes that are not text. */
static void test_dhcp_join_options(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    static const uint8_t names[] = {53, 1, 3, 12, 4, 'l', 'a', 'b', '-', 12, 3, 'p', 'c', 1,
                                    81, 9, 0x00, 0, 0, 'h', '.', 'l', 'a', 'b', 0,
                                    77, 9, 3, 'a', 'b', 'c', 4, 'i', 'P', 'X', 'E', 255};
    g_assert_true(parse_dhcp_opts(names, sizeof names, &d, &s));
    g_assert_cmpstr(d.host_name, ==, "lab-pc?");     /* RFC 3396: concatenated; \1 is no text */
    g_assert_cmpstr(d.client_fqdn, ==, "h.lab");     /* ASCII, up to its NUL */
    g_assert_cmpstr(d.user_class, ==, "abc,iPXE");   /* RFC 3004 */
    g_assert_true(d.ipxe);

    /* flag E: DNS labels; the second instance of 81 and 77 is not read */
    static const uint8_t wire[] = {53, 1, 3, 81, 12, 0x05, 255, 255, 2, 'p', 'c', 3, 'l', 'a', 'b', 0, 1,
                                   81, 4, 0, 0, 0, 'x', 77, 3, 'a', 'b', 'c', 77, 2, 'd', 'e', 255};
    g_assert_true(parse_dhcp_opts(wire, sizeof wire, &d, &s));
    g_assert_cmpstr(d.client_fqdn, ==, "pc.lab");
    g_assert_cmpstr(d.user_class, ==, "abc");        /* 'a' is no length that fits: raw */
    g_assert_null(d.host_name);

    /* option 82: circuit-id and remote-id as text, other sub-options left out */
    static const uint8_t agent[] = {53, 1, 3, 82, 18, 1, 6, 'e', 't', '0', '/', '1', 0, 9, 1, 'x',
                                    2, 5, 's', 'w', '-', '0', '7', 255};
    g_assert_true(parse_dhcp_opts(agent, sizeof agent, &d, &s));
    g_assert_cmpstr(d.relay_info, ==, "circuit-id et0/1?, remote-id sw-07");

    /* a label running past the option ends the name */
    static const uint8_t cut_label[] = {53, 1, 3, 81, 7, 0x04, 0, 0, 2, 'p', 'c', 9, 255};
    g_assert_true(parse_dhcp_opts(cut_label, sizeof cut_label, &d, &s));
    g_assert_cmpstr(d.client_fqdn, ==, "pc");
    static const uint8_t short_fqdn[] = {53, 1, 3, 81, 2, 0, 0, 255};
    g_assert_true(parse_dhcp_opts(short_fqdn, sizeof short_fqdn, &d, &s));
    g_assert_null(d.client_fqdn);

    /* 50 and 51 need 4 bytes; the first instance counts */
    static const uint8_t addrs[] = {53, 1, 3, 50, 3, 192, 0, 2, 50, 4, 192, 0, 2, 9,
                                    51, 4, 0, 1, 0x51, 0x80, 51, 4, 0, 0, 0, 1, 255};
    g_assert_true(parse_dhcp_opts(addrs, sizeof addrs, &d, &s));
    g_assert_false(d.has_requested_addr);
    g_assert_true(d.has_lease_time);
    g_assert_cmpuint(d.lease_time, ==, 86400);

    /* 97: type 0 and 16 bytes only */
    static const uint8_t uuid_type1[] = {53, 1, 1, 97, 17, 1, 0, 0, 0, 0, 0, 0, 0, 0,
                                         0, 0, 0, 0, 0, 0, 0, 0, 255};
    g_assert_true(parse_dhcp_opts(uuid_type1, sizeof uuid_type1, &d, &s));
    g_assert_null(d.uuid);
    static const uint8_t uuid_short[] = {53, 1, 1, 97, 16, 0, 1, 2, 3, 4, 5, 6, 7, 8,
                                         9, 10, 11, 12, 13, 14, 15, 255};
    g_assert_true(parse_dhcp_opts(uuid_short, sizeof uuid_short, &d, &s));
    g_assert_null(d.uuid);
    static const uint8_t uuid_ok[] = {53, 1, 1, 97, 17, 0, 0x33, 0x22, 0x11, 0x00, 0x55, 0x44,
                                      0x77, 0x66, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff, 255};
    g_assert_true(parse_dhcp_opts(uuid_ok, sizeof uuid_ok, &d, &s));
    g_assert_cmpstr(d.uuid, ==, "00112233-4455-6677-8899-aabbccddeeff");

    /* a host name as long as the option allows, twice: kept up to the bound */
    uint8_t longname[2 * 257 + 4];
    size_t n = 0;
    longname[n++] = 53, longname[n++] = 1, longname[n++] = 3;
    for (int k = 0; k < 2; k++) {
        longname[n++] = 12;
        longname[n++] = 255;
        memset(longname + n, 'h', 255);
        n += 255;
    }
    longname[n++] = 255;
    g_assert_true(parse_dhcp_opts(longname, n, &d, &s));
    g_assert_cmpuint(strlen(d.host_name), ==, 510);
}

static void test_dhcp_vendor_options(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    /* PXE sub-options only for PXEClient, whichever comes first */
    static const uint8_t pxe[] = {53, 1, 2, 43, 7, 6, 1, 8, 71, 0, 255, 0, 60, 9, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't', 255};
    g_assert_true(parse_dhcp_opts(pxe, sizeof pxe, &d, &s));
    g_assert_true(d.has_pxe_options);
    g_assert_true(d.boot_item);
    static const uint8_t other[] = {53, 1, 2, 43, 4, 71, 2, 0, 0, 60, 4, 'M', 'S', 'F', 'T', 255};
    g_assert_true(parse_dhcp_opts(other, sizeof other, &d, &s));
    g_assert_false(d.has_pxe_options);
    g_assert_false(d.boot_item);
    /* pad and end only: no sub-option */
    static const uint8_t empty[] = {60, 9, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't', 43, 2, 0, 255, 255};
    g_assert_true(parse_dhcp_opts(empty, sizeof empty, &d, &s));
    g_assert_false(d.has_pxe_options);
    /* sub-option 71 split across two option 43 instances (RFC 3396) */
    static const uint8_t split[] = {60, 9, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't',
                                    43, 3, 71, 4, 0x80, 43, 3, 0, 0, 0, 43, 1, 255, 255};
    g_assert_true(parse_dhcp_opts(split, sizeof split, &d, &s));
    g_assert_true(d.boot_item);
    /* a sub-option cut short still counts; its value is not read */
    static const uint8_t cut[] = {60, 9, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't', 43, 3, 71, 9, 1, 255};
    g_assert_true(parse_dhcp_opts(cut, sizeof cut, &d, &s));
    g_assert_true(d.boot_item);
    static const uint8_t no_len[] = {60, 9, 'P', 'X', 'E', 'C', 'l', 'i', 'e', 'n', 't', 43, 1, 71, 255};
    g_assert_true(parse_dhcp_opts(no_len, sizeof no_len, &d, &s));
    g_assert_false(d.boot_item);
}

static void test_dhcp_strings(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    /* a NUL ends a string; non-printable bytes become '?' */
    static const uint8_t nul[] = {67, 12, 'p', 'x', 'e', 'l', 'i', 'n', 'u', 'x', '.', '0', 0, 'x',
                                  66, 5, 't', 0xc3, 0xa4, '\t', 'x', 255};
    g_assert_true(parse_dhcp_opts(nul, sizeof nul, &d, &s));
    g_assert_cmpstr(d.bootfile, ==, "pxelinux.0");
    g_assert_cmpstr(d.tftp_server_name, ==, "t???x");
    /* an empty option 67 falls back to the file field (empty here) */
    static const uint8_t empty[] = {67, 0, 66, 1, 0, 255};
    g_assert_true(parse_dhcp_opts(empty, sizeof empty, &d, &s));
    g_assert_null(d.bootfile);
    g_assert_null(d.tftp_server_name);
    /* many instances of option 60: concatenated up to the buffer, NUL-terminated */
    size_t n_opts = 60 * 257 + 1;
    uint8_t *big = g_malloc(n_opts);
    for (size_t i = 0; i < 60; i++) {
        big[i * 257] = 60;
        big[i * 257 + 1] = 255;
        memset(big + i * 257 + 2, 'A' + (int)(i % 26), 255);
    }
    big[n_opts - 1] = 255;
    g_assert_true(parse_dhcp_opts(big, n_opts, &d, &s));
    g_assert_cmpuint(strlen(d.vendor_class), ==, PXE_WIRE_DHCP_STR_MAX);
    g_assert_cmpint(d.vendor_class[0], ==, 'A');
    g_assert_cmpint(d.vendor_class[255], ==, 'B');
    g_free(big);
    /* option 54 of the wrong size and option 93 too short are ignored */
    static const uint8_t sizes[] = {54, 3, 1, 2, 3, 93, 1, 7, 53, 1, 5, 255};
    g_assert_true(parse_dhcp_opts(sizes, sizeof sizes, &d, &s));
    g_assert_false(d.has_server_id);
    g_assert_false(d.has_arch);
    g_assert_cmpuint(d.msg_type, ==, 5);
    /* the first option 53, 54 and 93 win */
    static const uint8_t twice[] = {53, 1, 1, 53, 1, 3, 93, 2, 0, 7, 93, 2, 0, 9, 255};
    g_assert_true(parse_dhcp_opts(twice, sizeof twice, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, 1);
    g_assert_cmpuint(d.arch, ==, 7);
    /* no END: the options stop at the end of the message */
    static const uint8_t no_end[] = {53, 1, 3, 0, 0};
    g_assert_true(parse_dhcp_opts(no_end, sizeof no_end, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, 3);
}

static void test_dhcp_bootp_and_hw(void)
{
    pxe_dhcp_t d;
    pxe_wire_scratch_t s;
    size_t n;
    uint8_t *p = unhex(PROXY_ACK, &n);
    /* without the magic cookie: plain BOOTP, no options */
    p[236] = 0;
    g_assert_true(pxe_wire_dhcp(p, n, &d, &s));
    g_assert_cmpuint(d.msg_type, ==, 0);
    g_assert_false(d.has_server_id);
    g_assert_cmpstr(d.bootfile, ==, "syslinux.efi");
    /* the fixed header alone is enough */
    g_assert_true(pxe_wire_dhcp(p, 236, &d, &s));
    p[236] = 0x63;
    g_assert_true(pxe_wire_dhcp(p, 236, &d, &s));
    /* IEEE 802 (6) is Ethernet-addressed too; others are not */
    p[1] = 6;
    g_assert_true(pxe_wire_dhcp(p, n, &d, &s));
    p[1] = 32;
    g_assert_false(pxe_wire_dhcp(p, n, &d, &s));
    p[1] = 1;
    p[2] = 16;
    g_assert_false(pxe_wire_dhcp(p, n, &d, &s));
    g_assert_false(pxe_wire_dhcp(NULL, n, &d, &s));
    g_free(p);
}

/* Every prefix of every real message: nothing read past the end, false
 * before the fixed header and when cut inside an option, and the full
 * result once the END option is in. */
static void test_dhcp_truncated(void)
{
    const char *all[] = {IPXE_DISCOVER, EFI_DISCOVER, PROXY_OFFER, PROXY_REQUEST, PROXY_ACK, LAB_OFFER,
                         EFI_REQUEST, EFI_ACK};
    for (size_t k = 0; k < G_N_ELEMENTS(all); k++) {
        size_t n;
        uint8_t *full = unhex(all[k], &n);
        pxe_dhcp_t want, got;
        pxe_wire_scratch_t sw, sg;
        g_assert_true(pxe_wire_dhcp(full, n, &want, &sw));
        /* where the END option is */
        size_t end = 240;
        while (end < n && full[end] != 255)
            end = full[end] == 0 ? end + 1 : end + 2 + full[end + 1];
        g_assert_cmpuint(end, <, n);
        for (size_t i = 0; i < n; i++) {
            uint8_t *p = prefix(full, i);
            bool ok = pxe_wire_dhcp(p, i, &got, &sg);
            g_free(p);
            if (i < 236)
                g_assert_false(ok);
            if (!ok)
                continue;
            assert_dhcp_sane(&got, &sg);
            g_assert_cmphex(got.xid, ==, want.xid);
            if (i > end) {
                g_assert_cmpuint(got.msg_type, ==, want.msg_type);
                g_assert_cmpstr(got.vendor_class, ==, want.vendor_class);
                g_assert_cmpstr(got.bootfile, ==, want.bootfile);
                g_assert_cmpuint(got.has_pxe_options, ==, want.has_pxe_options);
                g_assert_cmpuint(got.boot_item, ==, want.boot_item);
                g_assert_cmpuint(got.ipxe, ==, want.ipxe);
                g_assert_cmpstr(got.user_class, ==, want.user_class);
                g_assert_cmpstr(got.uuid, ==, want.uuid);
                g_assert_cmpuint(got.has_requested_addr, ==, want.has_requested_addr);
                g_assert_cmphex(got.requested_addr, ==, want.requested_addr);
                g_assert_cmpuint(got.has_lease_time, ==, want.has_lease_time);
                g_assert_cmpuint(got.lease_time, ==, want.lease_time);
            }
        }
        /* cut inside the first option (53): its length byte is missing */
        if (full[240] != 0) {
            uint8_t *p = prefix(full, 241);
            g_assert_false(pxe_wire_dhcp(p, 241, &got, &sg));
            g_free(p);
        }
        g_free(full);
    }
}

/* ---- TFTP ---- */

static void test_tftp_real(void)
{
    pxe_tftp_t t;
    pxe_wire_scratch_t s;
    g_assert_true(parse_tftp_hex(TFTP_RRQ_TSIZE, &t, &s));
    g_assert_cmpuint(t.opcode, ==, 1);
    g_assert_cmpstr(t.file, ==, "snponly.efi");
    g_assert_cmpint(t.opt_tsize, ==, 0);
    g_assert_cmpint(t.opt_blksize, ==, 1468);
    g_assert_cmpint(t.opt_windowsize, ==, 4);

    g_assert_true(parse_tftp_hex(TFTP_OACK_TSIZE, &t, &s));
    g_assert_cmpuint(t.opcode, ==, 6);
    g_assert_null(t.file);
    g_assert_cmpint(t.opt_tsize, ==, 173792);
    g_assert_cmpint(t.opt_blksize, ==, 1468);
    g_assert_cmpint(t.opt_windowsize, ==, -1);

    g_assert_true(parse_tftp_hex(TFTP_ERROR_ABORT, &t, &s));
    g_assert_cmpuint(t.opcode, ==, 5);
    g_assert_cmpuint(t.err_code, ==, 8);
    g_assert_cmpstr(t.err_msg, ==, "User aborted the transfer");

    g_assert_true(parse_tftp_hex(TFTP_RRQ_BLKSIZE, &t, &s));
    g_assert_cmpstr(t.file, ==, "snponly.efi");
    g_assert_cmpint(t.opt_blksize, ==, 1468);
    g_assert_cmpint(t.opt_windowsize, ==, 4);
    g_assert_cmpint(t.opt_tsize, ==, -1);

    g_assert_true(parse_tftp_hex(TFTP_OACK_BLKSIZE, &t, &s));
    g_assert_cmpint(t.opt_blksize, ==, 1468);
    g_assert_cmpint(t.opt_tsize, ==, -1);

    g_assert_true(parse_tftp_hex(TFTP_ACK0, &t, &s));
    g_assert_cmpuint(t.opcode, ==, 4);
    g_assert_cmpuint(t.block, ==, 0);

    g_assert_true(parse_tftp_hex(TFTP_ERROR_DIR, &t, &s));
    g_assert_cmpuint(t.err_code, ==, 0);
    g_assert_cmpstr(t.err_msg, ==, "cannot read /srv/tftp/pxelinux.0: Is a directory");
}

/* A DATA packet cut by the snap length: the length on the wire counts. */
static void test_tftp_data(void)
{
    pxe_tftp_t t;
    pxe_wire_scratch_t s;
    size_t n;
    uint8_t *p = unhex(TFTP_DATA1_CUT, &n);
    g_assert_cmpuint(n, ==, 16);
    g_assert_true(parse_tftp_bytes(p, n, 1472, &t, &s));
    g_assert_cmpuint(t.opcode, ==, 3);
    g_assert_cmpuint(t.block, ==, 1);
    g_assert_cmpuint(t.data_len, ==, 1468);
    /* whole: the bytes there are */
    g_assert_true(parse_tftp_bytes(p, n, 0, &t, &s));
    g_assert_cmpuint(t.data_len, ==, 12);
    g_assert_true(parse_tftp_bytes(p, 4, 4, &t, &s));
    g_assert_cmpuint(t.data_len, ==, 0);
    g_assert_false(parse_tftp_bytes(p, 3, 1472, &t, &s));
    g_free(p);
}

/* Error text that is not ASCII, and not NUL-terminated. */
static void test_tftp_error_text(void)
{
    pxe_tftp_t t;
    pxe_wire_scratch_t s;
    size_t n;
    uint8_t *p = unhex(TFTP_ERROR_DIR, &n);
    /* "cannot read" -> "c\xc3\xa4not\x07read" (UTF-8 a-umlaut, a BEL) */
    p[5] = 0xc3;
    p[6] = 0xa4;
    p[10] = 0x07;
    g_assert_true(parse_tftp_bytes(p, n, n, &t, &s));
    g_assert_cmpstr(t.err_msg, ==, "c??not?read /srv/tftp/pxelinux.0: Is a directory");
    /* no NUL: up to the end of the bytes */
    g_assert_true(parse_tftp_bytes(p, n - 1, n - 1, &t, &s));
    g_assert_cmpstr(t.err_msg, ==, "c??not?read /srv/tftp/pxelinux.0: Is a directory");
    g_assert_true(parse_tftp_bytes(p, 20, n, &t, &s));
    g_assert_cmpstr(t.err_msg, ==, "c??not?read /srv");
    /* bytes after the NUL are not part of it */
    p[15] = 0;
    g_assert_true(parse_tftp_bytes(p, n, n, &t, &s));
    g_assert_cmpstr(t.err_msg, ==, "c??not?read");
    /* no text at all */
    g_assert_true(parse_tftp_bytes(p, 4, 4, &t, &s));
    g_assert_null(t.err_msg);
    g_assert_cmpuint(t.err_code, ==, 0);
    g_free(p);

    /* a long message is cut to the buffer, still NUL-terminated */
    uint8_t big[2000];
    memset(big, 0xff, sizeof big);
    big[0] = 0;
    big[1] = 5;
    big[2] = 0;
    big[3] = 2;
    g_assert_true(parse_tftp_bytes(big, sizeof big, sizeof big, &t, &s));
    g_assert_cmpuint(t.err_code, ==, 2);
    g_assert_cmpuint(strlen(t.err_msg), ==, PXE_WIRE_TFTP_STR_MAX);
}

static void test_tftp_options(void)
{
    pxe_tftp_t t;
    pxe_wire_scratch_t s;
    static const uint8_t rrq[] = "\0\1/boot/x.efi\0OCTET\0TSIZE\0" "0\0BlkSize\0" "1468\0WindowSize\0" "4\0"
                                 "multicast\0\0";
    g_assert_true(parse_tftp_bytes(rrq, sizeof rrq - 1, sizeof rrq - 1, &t, &s));
    g_assert_cmpstr(t.file, ==, "/boot/x.efi");
    g_assert_cmpint(t.opt_tsize, ==, 0);
    g_assert_cmpint(t.opt_blksize, ==, 1468);
    g_assert_cmpint(t.opt_windowsize, ==, 4);
    /* values that are not numbers */
    static const uint8_t bad[] = "\0\6tsize\0-1\0blksize\0" "12a\0windowsize\0\0";
    g_assert_true(parse_tftp_bytes(bad, sizeof bad - 1, sizeof bad - 1, &t, &s));
    g_assert_cmpint(t.opt_tsize, ==, -1);
    g_assert_cmpint(t.opt_blksize, ==, -1);
    g_assert_cmpint(t.opt_windowsize, ==, -1);
    static const uint8_t huge[] = "\0\6tsize\0" "99999999999999999999\0";
    g_assert_true(parse_tftp_bytes(huge, sizeof huge - 1, sizeof huge - 1, &t, &s));
    g_assert_cmpint(t.opt_tsize, ==, -1);
    static const uint8_t big[] = "\0\6tsize\0" "4294967296000\0";
    g_assert_true(parse_tftp_bytes(big, sizeof big - 1, sizeof big - 1, &t, &s));
    g_assert_cmpint(t.opt_tsize, ==, G_GINT64_CONSTANT(4294967296000));
    /* a long option name is skipped, not mistaken for a short one */
    static const uint8_t longname[] = "\0\6tsizetsizetsizetsize\0" "5\0";
    g_assert_true(parse_tftp_bytes(longname, sizeof longname - 1, sizeof longname - 1, &t, &s));
    g_assert_cmpint(t.opt_tsize, ==, -1);
    /* WRQ has a file too; an empty file name is NULL */
    static const uint8_t wrq[] = "\0\2up.bin\0octet\0";
    g_assert_true(parse_tftp_bytes(wrq, sizeof wrq - 1, sizeof wrq - 1, &t, &s));
    g_assert_cmpuint(t.opcode, ==, 2);
    g_assert_cmpstr(t.file, ==, "up.bin");
    static const uint8_t noname[] = "\0\1\0octet\0";
    g_assert_true(parse_tftp_bytes(noname, sizeof noname - 1, sizeof noname - 1, &t, &s));
    g_assert_null(t.file);
    /* unknown opcodes */
    static const uint8_t op0[] = {0, 0, 0, 1}, op7[] = {0, 7, 0, 1}, op256[] = {1, 3, 0, 1};
    g_assert_false(parse_tftp_bytes(op0, 4, 4, &t, &s));
    g_assert_false(parse_tftp_bytes(op7, 4, 4, &t, &s));
    g_assert_false(parse_tftp_bytes(op256, 4, 4, &t, &s));
    g_assert_false(pxe_wire_tftp(NULL, 4, 4, &t, &s));
    /* an empty OACK is fine */
    static const uint8_t oack[] = {0, 6};
    g_assert_true(parse_tftp_bytes(oack, 2, 2, &t, &s));
    g_assert_cmpint(t.opt_tsize, ==, -1);
}

/* Every prefix of each real TFTP message. */
static void test_tftp_truncated(void)
{
    pxe_tftp_t t;
    pxe_wire_scratch_t s;
    size_t n;
    uint8_t *p = unhex(TFTP_RRQ_TSIZE, &n);
    /* 00 01 "snponly.efi" 00 "octet" 00 "tsize" 00 "0" 00 "blksize" 00 "1468" 00
     * "windowsize" 00 "4" 00: whole at 2 + 12 + 6 = 20, 28, 41 and 54 bytes */
    g_assert_cmpuint(n, ==, 54);
    for (size_t i = 0; i <= n; i++) {
        bool ok = parse_tftp_bytes(p, i, i, &t, &s);
        g_assert_cmpuint(ok, ==, i == 20 || i == 28 || i == 41 || i == 54);
        if (ok) {
            g_assert_cmpstr(t.file, ==, "snponly.efi");
            g_assert_cmpint(t.opt_tsize, ==, i >= 28 ? 0 : -1);
            g_assert_cmpint(t.opt_blksize, ==, i >= 41 ? 1468 : -1);
            g_assert_cmpint(t.opt_windowsize, ==, i >= 54 ? 4 : -1);
        }
    }
    g_free(p);

    const char *all[] = {TFTP_OACK_TSIZE, TFTP_ERROR_ABORT, TFTP_RRQ_BLKSIZE, TFTP_OACK_BLKSIZE, TFTP_ACK0,
                         TFTP_ERROR_DIR, TFTP_DATA1_CUT};
    for (size_t k = 0; k < G_N_ELEMENTS(all); k++) {
        p = unhex(all[k], &n);
        for (size_t i = 0; i < n; i++) {
            bool ok = parse_tftp_bytes(p, i, i, &t, &s);
            if (i < 2 || (i < 4 && p[1] >= 3 && p[1] <= 5))
                g_assert_false(ok);
            if (ok && p[1] == 5 && i > 4)
                g_assert_cmpuint(strlen(t.err_msg), ==, i - 4);
        }
        g_free(p);
    }
}

/* ---- ARP, ICMP, UDP ---- */

static void test_arp(void)
{
    pxe_arp_t a;
    size_t n;
    uint8_t *p = unhex(ARP_REQUEST, &n);
    static const uint8_t server[6] = {0x02, 0, 0, 0, 0x02, 0x01};
    static const uint8_t client[6] = {0x52, 0x54, 0, 0, 0x14, 0x01};
    g_assert_true(pxe_wire_arp(p, n, &a));
    g_assert_cmpuint(a.opcode, ==, 1);
    g_assert_true(memcmp(a.sha, server, 6) == 0);
    g_assert_cmphex(a.spa, ==, IP4(192, 0, 2, 1));
    g_assert_cmphex(a.tpa, ==, IP4(192, 0, 2, 115));
    for (size_t i = 0; i < n; i++) {
        uint8_t *q = prefix(p, i);
        g_assert_false(pxe_wire_arp(q, i, &a));
        g_free(q);
    }
    p[1] = 6;   /* IEEE 802 hardware: not Ethernet/IPv4 */
    g_assert_false(pxe_wire_arp(p, n, &a));
    p[1] = 1;
    p[3] = 0xdd;   /* protocol type 0x08dd */
    g_assert_false(pxe_wire_arp(p, n, &a));
    g_free(p);

    p = unhex(ARP_REPLY, &n);
    g_assert_cmpuint(n, >, 28);   /* Ethernet padding */
    g_assert_true(pxe_wire_arp(p, n, &a));
    g_assert_cmpuint(a.opcode, ==, 2);
    g_assert_true(memcmp(a.sha, client, 6) == 0);
    g_assert_cmphex(a.spa, ==, IP4(192, 0, 2, 115));
    g_assert_cmphex(a.tpa, ==, IP4(192, 0, 2, 1));
    g_free(p);
}

static void test_icmp(void)
{
    pxe_icmp_t q;
    size_t n;
    uint8_t *p = unhex(ICMP_PORT_UNREACH, &n);
    g_assert_true(pxe_wire_icmp_unreach(p, n, &q));
    g_assert_cmphex(q.ip_src, ==, IP4(192, 0, 2, 129));
    g_assert_cmphex(q.ip_dst, ==, IP4(192, 0, 2, 1));
    g_assert_cmpuint(q.sport, ==, 34445);
    g_assert_cmpuint(q.dport, ==, 69);
    /* the ports are the least it needs */
    for (size_t i = 0; i < n; i++) {
        uint8_t *c = prefix(p, i);
        g_assert_cmpuint(pxe_wire_icmp_unreach(c, i, &q), ==, i >= 8 + 20 + 4);
        g_free(c);
    }
    p[0] = 11;   /* time exceeded */
    g_assert_false(pxe_wire_icmp_unreach(p, n, &q));
    p[0] = 3;
    p[8 + 9] = 6;   /* quoting TCP */
    g_assert_false(pxe_wire_icmp_unreach(p, n, &q));
    p[8 + 9] = 17;
    p[8 + 7] = 0x10;   /* not the first fragment */
    g_assert_false(pxe_wire_icmp_unreach(p, n, &q));
    p[8 + 7] = 0;
    p[8] = 0x46;   /* IP options: the ports move 4 bytes on */
    g_assert_true(pxe_wire_icmp_unreach(p, n, &q));
    g_assert_cmpuint(q.sport, ==, 0x0030);   /* the UDP length field */
    g_assert_false(pxe_wire_icmp_unreach(p, 8 + 24 + 3, &q));
    p[8] = 0x44;   /* header length below 20 */
    g_assert_false(pxe_wire_icmp_unreach(p, n, &q));
    p[8] = 0x65;   /* IPv6 version nibble */
    g_assert_false(pxe_wire_icmp_unreach(p, n, &q));
    g_free(p);
}

static void test_udp(void)
{
    static const uint8_t h[8] = {0x86, 0x8d, 0x00, 0x45, 0x00, 0x30, 0x13, 0xf5};
    uint16_t sp = 0, dp = 0, ul = 0;
    g_assert_true(pxe_wire_udp(h, 8, &sp, &dp, &ul));
    g_assert_cmpuint(sp, ==, 34445);
    g_assert_cmpuint(dp, ==, 69);
    g_assert_cmpuint(ul, ==, 48);
    g_assert_false(pxe_wire_udp(h, 7, &sp, &dp, &ul));
}

/* Mutated copies of every real message: random bytes changed, random
 * lengths.  Only memory safety and sane strings are checked. */
static void test_mutations(void)
{
    const char *all[] = {IPXE_DISCOVER, EFI_DISCOVER, PROXY_OFFER, PROXY_REQUEST, PROXY_ACK, LAB_OFFER, TFTP_RRQ_TSIZE,
                         TFTP_OACK_TSIZE, TFTP_ERROR_ABORT, TFTP_RRQ_BLKSIZE, TFTP_ERROR_DIR,
                         ICMP_PORT_UNREACH, ARP_REQUEST, ARP_REPLY};
    GRand *r = g_rand_new_with_seed(20261201);
    for (unsigned round = 0; round < 20000; round++) {
        size_t n;
        uint8_t *p = unhex(all[round % G_N_ELEMENTS(all)], &n);
        unsigned flips = (unsigned)g_rand_int_range(r, 1, 9);
        for (unsigned i = 0; i < flips; i++) {
            size_t at = (size_t)g_rand_int_range(r, 0, (gint32)n);
            /* favour the bytes parsers branch on */
            static const uint8_t special[] = {0, 1, 3, 5, 6, 43, 52, 60, 67, 71, 77, 255};
            p[at] = g_rand_boolean(r) ? special[g_rand_int_range(r, 0, G_N_ELEMENTS(special))]
                                      : (uint8_t)g_rand_int_range(r, 0, 256);
        }
        size_t len = g_rand_boolean(r) ? n : (size_t)g_rand_int_range(r, 0, (gint32)n + 1);
        uint8_t *q = prefix(p, len);
        pxe_wire_scratch_t s;
        pxe_dhcp_t d;
        pxe_tftp_t t;
        pxe_arp_t a;
        pxe_icmp_t c;
        if (pxe_wire_dhcp(q, len, &d, &s))
            assert_dhcp_sane(&d, &s);
        if (pxe_wire_tftp(q, len, len + (size_t)g_rand_int_range(r, 0, 3), &t, &s)) {
            assert_str_ok(t.file, PXE_WIRE_TFTP_STR_MAX);
            g_assert_true(!t.err_msg || strlen(t.err_msg) <= PXE_WIRE_TFTP_STR_MAX);
        }
        pxe_wire_arp(q, len, &a);
        pxe_wire_icmp_unreach(q, len, &c);
        g_free(q);
        g_free(p);
    }
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/wire/dhcp/discover", test_dhcp_discover);
    g_test_add_func("/wire/dhcp/proxy", test_dhcp_proxy);
    g_test_add_func("/wire/dhcp/lab-offer", test_dhcp_lab_offer);
    g_test_add_func("/wire/dhcp/overload-message", test_dhcp_overload_message);
    g_test_add_func("/wire/dhcp/overload-fields", test_dhcp_overload_fields);
    g_test_add_func("/wire/dhcp/user-class", test_dhcp_user_class);
    g_test_add_func("/wire/dhcp/join-real", test_dhcp_join_real);
    g_test_add_func("/wire/dhcp/join-options", test_dhcp_join_options);
    g_test_add_func("/wire/dhcp/vendor-options", test_dhcp_vendor_options);
    g_test_add_func("/wire/dhcp/strings", test_dhcp_strings);
    g_test_add_func("/wire/dhcp/bootp-and-hw", test_dhcp_bootp_and_hw);
    g_test_add_func("/wire/dhcp/truncated", test_dhcp_truncated);
    g_test_add_func("/wire/tftp/real", test_tftp_real);
    g_test_add_func("/wire/tftp/data", test_tftp_data);
    g_test_add_func("/wire/tftp/error-text", test_tftp_error_text);
    g_test_add_func("/wire/tftp/options", test_tftp_options);
    g_test_add_func("/wire/tftp/truncated", test_tftp_truncated);
    g_test_add_func("/wire/arp", test_arp);
    g_test_add_func("/wire/icmp", test_icmp);
    g_test_add_func("/wire/udp", test_udp);
    g_test_add_func("/wire/mutations", test_mutations);
    return g_test_run();
}
