/* pxe_fields.c - extract what the boot tracker needs from the fields of the
 * DHCP, TFTP, IP/UDP and ICMP dissectors.
 *
 * Values are read from the field's bytes (addresses) or through the fvalue
 * getters that exist unchanged from 4.0 to 4.6.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <string.h>

#include <epan/packet.h>
#include <epan/proto.h>
#include <epan/address.h>
#include <epan/ftypes/ftypes.h>

#include "pxe_compat.h"
#include "pxe_fields.h"

enum {
    F_UDP_LENGTH, F_ICMP_TYPE,
    F_DHCP_OP, F_DHCP_MSG, F_DHCP_XID, F_DHCP_MAC, F_DHCP_CIADDR, F_DHCP_YIADDR,
    F_DHCP_SIADDR, F_DHCP_GIADDR, F_DHCP_SERVER_ID, F_DHCP_VENDOR, F_DHCP_ARCH,
    F_DHCP_BOOTFILE, F_DHCP_FILE, F_DHCP_TFTP_SERVER, F_DHCP_UC_TEXT, F_DHCP_UC_DATA,
    F_DHCP_OPT_TYPE, F_DHCP_PXE_SUBOPT, F_DHCP_BOOT_ITEM,
    F_TFTP_OPCODE, F_TFTP_FILE, F_TFTP_BLOCK, F_TFTP_ERR_CODE, F_TFTP_ERR_MSG,
    F_TFTP_OPT_NAME, F_TFTP_OPT_VALUE,
    F_ARP_OPCODE, F_ARP_SHA, F_ARP_SPA, F_ARP_TPA,
    F_COUNT
};

static const char *const field_names[F_COUNT] = {
    [F_UDP_LENGTH] = "udp.length",
    [F_ICMP_TYPE] = "icmp.type",
    [F_DHCP_OP] = "dhcp.type",
    [F_DHCP_MSG] = "dhcp.option.dhcp",
    [F_DHCP_XID] = "dhcp.id",
    [F_DHCP_MAC] = "dhcp.hw.mac_addr",
    [F_DHCP_CIADDR] = "dhcp.ip.client",
    [F_DHCP_YIADDR] = "dhcp.ip.your",
    [F_DHCP_SIADDR] = "dhcp.ip.server",
    [F_DHCP_GIADDR] = "dhcp.ip.relay",
    [F_DHCP_SERVER_ID] = "dhcp.option.dhcp_server_id",
    [F_DHCP_VENDOR] = "dhcp.option.vendor_class_id",
    [F_DHCP_ARCH] = "dhcp.option.client_system_architecture",
    [F_DHCP_BOOTFILE] = "dhcp.option.bootfile_name",
    [F_DHCP_FILE] = "dhcp.file",
    [F_DHCP_TFTP_SERVER] = "dhcp.option.tftp_server_name",
    [F_DHCP_UC_TEXT] = "dhcp.option.user_class.text",
    [F_DHCP_UC_DATA] = "dhcp.option.user_class.data",
    [F_DHCP_OPT_TYPE] = "dhcp.option.type",
    [F_DHCP_PXE_SUBOPT] = "dhcp.option.vendor.pxeclient.suboption",
    [F_DHCP_BOOT_ITEM] = "dhcp.option.vendor.pxeclient.boot_item",
    [F_TFTP_OPCODE] = "tftp.opcode",
    [F_TFTP_FILE] = "tftp.source_file",
    [F_TFTP_BLOCK] = "tftp.block",
    [F_TFTP_ERR_CODE] = "tftp.error.code",
    [F_TFTP_ERR_MSG] = "tftp.error.message",
    [F_TFTP_OPT_NAME] = "tftp.option.name",
    [F_TFTP_OPT_VALUE] = "tftp.option.value",
    [F_ARP_OPCODE] = "arp.opcode",
    [F_ARP_SHA] = "arp.src.hw_mac",
    [F_ARP_SPA] = "arp.src.proto_ipv4",
    [F_ARP_TPA] = "arp.dst.proto_ipv4",
};

static int hf_ids[F_COUNT];

void pxe_fields_init(void)
{
    for (int i = 0; i < F_COUNT; i++)
        hf_ids[i] = proto_registrar_get_id_byname(field_names[i]);
}

GArray *pxe_fields_wanted(void)
{
    GArray *a = g_array_sized_new(FALSE, FALSE, (guint)sizeof(int), F_COUNT);
    for (int i = 0; i < F_COUNT; i++)
        if (hf_ids[i] > 0)
            g_array_append_val(a, hf_ids[i]);
    return a;
}

static GPtrArray *fields(proto_tree *tree, int f)
{
    if (hf_ids[f] <= 0)
        return NULL;
    GPtrArray *a = proto_get_finfo_ptr_array(tree, hf_ids[f]);
    return (a && a->len) ? a : NULL;
}

static field_info *field_at(proto_tree *tree, int f, guint i)
{
    GPtrArray *a = fields(tree, f);
    return (a && i < a->len) ? (field_info *)g_ptr_array_index(a, i) : NULL;
}

static bool get_uint(field_info *fi, uint32_t *out)
{
    if (!fi)
        return false;
    *out = fvalue_get_uinteger(PXE_FI_VALUE(fi));
    return true;
}

/* Addresses come from the field's own bytes: the fvalue accessors for
 * IPv4 and Ethernet changed between Wireshark 4.0 and 4.2. */
static bool get_ipv4(field_info *fi, uint32_t *out)
{
    if (!fi || !fi->ds_tvb || fi->length != 4)
        return false;
    *out = g_ntohl(tvb_get_ipv4(fi->ds_tvb, fi->start));
    return true;
}

static bool get_ether(field_info *fi, uint8_t out[6])
{
    if (!fi || !fi->ds_tvb || fi->length != 6)
        return false;
    tvb_memcpy(fi->ds_tvb, out, fi->start, 6);
    return true;
}

static const char *get_string(field_info *fi)
{
    if (!fi)
        return NULL;
    const char *s = fvalue_get_string(PXE_FI_VALUE(fi));
    return (s && *s) ? s : NULL;
}

static bool bytes_are(field_info *fi, const char *text)
{
    size_t n = strlen(text);
    return fi && fi->ds_tvb && (size_t)fi->length == n &&
           tvb_memeql(fi->ds_tvb, fi->start, (const guint8 *)text, n) == 0;
}

static void extract_dhcp(proto_tree *tree, pxe_pkt_t *pkt)
{
    pxe_dhcp_t *d = &pkt->dhcp;
    uint32_t v;
    pkt->kind = PXE_PKT_DHCP;
    if (get_uint(field_at(tree, F_DHCP_OP, 0), &v))
        d->op = (uint8_t)v;
    if (get_uint(field_at(tree, F_DHCP_MSG, 0), &v))
        d->msg_type = (uint8_t)v;
    get_uint(field_at(tree, F_DHCP_XID, 0), &d->xid);
    get_ether(field_at(tree, F_DHCP_MAC, 0), d->chaddr);
    get_ipv4(field_at(tree, F_DHCP_CIADDR, 0), &d->ciaddr);
    get_ipv4(field_at(tree, F_DHCP_YIADDR, 0), &d->yiaddr);
    get_ipv4(field_at(tree, F_DHCP_SIADDR, 0), &d->siaddr);
    get_ipv4(field_at(tree, F_DHCP_GIADDR, 0), &d->giaddr);
    d->has_server_id = get_ipv4(field_at(tree, F_DHCP_SERVER_ID, 0), &d->server_id);
    d->vendor_class = get_string(field_at(tree, F_DHCP_VENDOR, 0));
    if (get_uint(field_at(tree, F_DHCP_ARCH, 0), &v)) {
        d->has_arch = true;
        d->arch = (uint16_t)v;
    }
    d->bootfile = get_string(field_at(tree, F_DHCP_BOOTFILE, 0));
    if (!d->bootfile)
        d->bootfile = get_string(field_at(tree, F_DHCP_FILE, 0));
    d->tftp_server_name = get_string(field_at(tree, F_DHCP_TFTP_SERVER, 0));

    const char *uc = get_string(field_at(tree, F_DHCP_UC_TEXT, 0));
    d->ipxe = (uc && strstr(uc, "iPXE")) || bytes_are(field_at(tree, F_DHCP_UC_DATA, 0), "iPXE");
    GPtrArray *types = fields(tree, F_DHCP_OPT_TYPE);
    for (guint i = 0; types && i < types->len; i++) {
        if (get_uint(g_ptr_array_index(types, i), &v) && v == 175)
            d->ipxe = true;
    }
    d->has_pxe_options = fields(tree, F_DHCP_PXE_SUBOPT) != NULL;
    d->boot_item = fields(tree, F_DHCP_BOOT_ITEM) != NULL;
}

static int64_t parse_opt(const char *s)
{
    if (!s)
        return -1;
    char *end = NULL;
    gint64 v = g_ascii_strtoll(s, &end, 10);
    return (end && end != s && v >= 0) ? v : -1;
}

static void extract_tftp(proto_tree *tree, pxe_pkt_t *pkt)
{
    pxe_tftp_t *t = &pkt->tftp;
    uint32_t v;
    pkt->kind = PXE_PKT_TFTP;
    t->opt_tsize = t->opt_blksize = t->opt_windowsize = -1;
    if (get_uint(field_at(tree, F_TFTP_OPCODE, 0), &v))
        t->opcode = (uint16_t)v;
    t->file = get_string(field_at(tree, F_TFTP_FILE, 0));
    if (get_uint(field_at(tree, F_TFTP_BLOCK, 0), &v))
        t->block = (uint16_t)v;
    if (get_uint(field_at(tree, F_TFTP_ERR_CODE, 0), &v))
        t->err_code = (uint16_t)v;
    t->err_msg = get_string(field_at(tree, F_TFTP_ERR_MSG, 0));
    if (get_uint(field_at(tree, F_UDP_LENGTH, 0), &v) && v >= 12)
        t->data_len = v - 12;   /* UDP header 8, TFTP opcode and block 4 */
    GPtrArray *names = fields(tree, F_TFTP_OPT_NAME);
    GPtrArray *values = fields(tree, F_TFTP_OPT_VALUE);
    for (guint i = 0; names && values && i < names->len && i < values->len; i++) {
        const char *n = get_string(g_ptr_array_index(names, i));
        int64_t val = parse_opt(get_string(g_ptr_array_index(values, i)));
        if (!n)
            continue;
        if (g_ascii_strcasecmp(n, "tsize") == 0)
            t->opt_tsize = val;
        else if (g_ascii_strcasecmp(n, "blksize") == 0)
            t->opt_blksize = val;
        else if (g_ascii_strcasecmp(n, "windowsize") == 0)
            t->opt_windowsize = val;
    }
}

static bool addr_ipv4(const address *a, uint32_t *out)
{
    if (a->type != AT_IPv4 || a->len != 4)
        return false;
    uint32_t v;
    memcpy(&v, a->data, 4);
    *out = g_ntohl(v);
    return true;
}

/* The datagram an ICMP destination unreachable quotes: IPv4 header after
 * the 8-byte ICMP header, then the UDP ports. */
static bool quoted_udp(field_info *icmp_type, pxe_icmp_t *q)
{
    tvbuff_t *tvb = icmp_type->ds_tvb;
    int ip = icmp_type->start + 8;
    if (!tvb || !tvb_bytes_exist(tvb, ip, 20))
        return false;
    guint8 vhl = tvb_get_uint8(tvb, ip);
    int ihl = (vhl & 0x0f) * 4;
    if ((vhl >> 4) != 4 || ihl < 20 || tvb_get_uint8(tvb, ip + 9) != 17 ||
        !tvb_bytes_exist(tvb, ip + ihl, 4))
        return false;
    q->ip_src = g_ntohl(tvb_get_ipv4(tvb, ip + 12));
    q->ip_dst = g_ntohl(tvb_get_ipv4(tvb, ip + 16));
    q->sport = tvb_get_ntohs(tvb, ip + ihl);
    q->dport = tvb_get_ntohs(tvb, ip + ihl + 2);
    return true;
}

bool pxe_fields_extract(proto_tree *tree, packet_info *pinfo, pxe_pkt_t *pkt)
{
    uint32_t v;
    bool dhcp = fields(tree, F_DHCP_OP) && fields(tree, F_DHCP_MAC);
    bool tftp = !dhcp && fields(tree, F_TFTP_OPCODE);
    field_info *icmp = field_at(tree, F_ICMP_TYPE, 0);
    field_info *arp = (!dhcp && !tftp && !icmp) ? field_at(tree, F_ARP_OPCODE, 0) : NULL;
    /* most packets are none of these: leave before touching anything else */
    if (!dhcp && !tftp && !icmp && !arp)
        return false;

    memset(pkt, 0, sizeof *pkt);
    pkt->frame = pinfo->num;
    pkt->ts = (double)pinfo->abs_ts.secs + pinfo->abs_ts.nsecs / 1e9;
    if (pinfo->dl_src.type == AT_ETHER && pinfo->dl_src.len == 6) {
        pkt->has_eth = true;
        memcpy(pkt->eth_src, pinfo->dl_src.data, 6);
    }
    if (arp) {
        pkt->kind = PXE_PKT_ARP;
        get_uint(arp, &v);
        pkt->arp.opcode = (uint16_t)v;
        return get_ether(field_at(tree, F_ARP_SHA, 0), pkt->arp.sha) &&
               get_ipv4(field_at(tree, F_ARP_SPA, 0), &pkt->arp.spa) &&
               get_ipv4(field_at(tree, F_ARP_TPA, 0), &pkt->arp.tpa);
    }
    /* the innermost network addresses: DHCPv6 and TFTP over IPv6 are not tracked */
    if (!addr_ipv4(&pinfo->net_src, &pkt->ip_src) || !addr_ipv4(&pinfo->net_dst, &pkt->ip_dst))
        return false;

    if (icmp) {
        /* destination unreachable (port, or administratively prohibited:
         * both refuse the datagram) quoting a UDP datagram */
        if (!get_uint(icmp, &v) || v != 3 || !quoted_udp(icmp, &pkt->icmp))
            return false;
        pkt->kind = PXE_PKT_ICMP_UNREACH;
        return true;
    }
    if (pinfo->ptype != PT_UDP)
        return false;
    pkt->sport = (uint16_t)pinfo->srcport;
    pkt->dport = (uint16_t)pinfo->destport;
    if (dhcp)
        extract_dhcp(tree, pkt);
    else
        extract_tftp(tree, pkt);
    return true;
}
