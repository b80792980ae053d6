/* pxe_hook.c - dissector wrappers that hand DHCP, TFTP, ARP and ICMP
 * unreachable packets to the boot tracker straight from their bytes, so
 * tshark need not build a protocol tree for every packet (see pxe_hook.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <string.h>

#include <epan/etypes.h>
#include <epan/exceptions.h>
#include <epan/ipproto.h>
#include <epan/packet.h>
#include <epan/proto.h>

#include "core/pxe_wire.h"
#include "core/pxe_wire_http.h"
#include "pxe_compat.h"
#include "pxe_hook.h"

static pxe_hook_fn hook_fn;
static protocol_t *hook_owner;
static int proto_dhcp = -1;
static int proto_dhcpv6 = -1;
static int proto_tftp = -1;

/* the handles the wrappers stand in for */
static dissector_handle_t orig_udp, orig_icmp, orig_arp, orig_tcp;

/* While an ICMP message is dissected: what its quoted datagram was. */
typedef struct {
    bool active;
    pxe_pkt_kind_t quoted;
} icmp_ctx_t;
static icmp_ctx_t icmp_ctx;

/* strings of the packet being handed */
static pxe_wire_scratch_t scratch;
static pxe_wire_http_scratch_t http_scratch;

/* Bytes of a TCP segment's payload that go into its digest: with the
 * header (sequence numbers, checksum) they tell a copy from a new segment. */
#define TCP_DIGEST_PAYLOAD 64

static bool hook_on(void)
{
    return hook_fn && (!hook_owner || proto_is_protocol_enabled(hook_owner));
}

static bool addr_ipv4(const address *a, uint32_t *out)
{
    if (a->type != AT_IPv4 || a->len != 4)
        return false;
    const uint8_t *b = (const uint8_t *)a->data;
    *out = ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
    return true;
}

static bool addr_ipv6(const address *a, uint8_t out[16])
{
    if (a->type != AT_IPv6 || a->len != 16)
        return false;
    memcpy(out, a->data, 16);
    return true;
}

static void pkt_init(pxe_pkt_t *pkt, packet_info *pinfo, pxe_pkt_kind_t kind)
{
    memset(pkt, 0, sizeof *pkt);
    pkt->kind = kind;
    pkt->frame = pinfo->num;
    pkt->ts = (double)pinfo->abs_ts.secs + pinfo->abs_ts.nsecs / 1e9;
    if (pinfo->dl_src.type == AT_ETHER && pinfo->dl_src.len == 6) {
        pkt->has_eth = true;
        memcpy(pkt->eth_src, pinfo->dl_src.data, 6);
    }
}

/* The protocol dissected directly on top of the layer at index depth. */
static int layer_above(packet_info *pinfo, guint depth)
{
    if (wmem_list_count(pinfo->layers) <= depth + 1)
        return -1;
    wmem_list_frame_t *f = wmem_list_head(pinfo->layers);
    for (guint i = 0; f && i <= depth; i++)
        f = wmem_list_frame_next(f);
    return f ? GPOINTER_TO_INT(wmem_list_frame_data(f)) : -1;
}

typedef struct {
    guint depth;             /* layers before UDP's */
    bool ipv4, ipv6;
    uint32_t src, dst;       /* IPv4 */
    uint8_t src6[16], dst6[16];
} udp_call_t;

#if PXE_TFTP_CLIENT_AS_DATA
/* Wireshark 4.6 no longer takes the client's packets to a TFTP server's
 * transfer port (the ACKs, the ERROR that ends a size probe) for TFTP: it
 * shows them as data, though it dissects the server's side of the same
 * transfer.  The two ends of every datagram it did dissect as TFTP are kept,
 * and a datagram left to "data" between two such ends is handed as TFTP, as
 * Wireshark 4.4 and older decide it. */
typedef struct {
    uint32_t ip_a, ip_b;
    uint16_t port_a, port_b;
} xfer_key_t;

static wmem_map_t *xfers;        /* xfer_key_t -> itself, emptied with each file */
static int proto_data = -1;

/* The same key for both directions. */
static xfer_key_t xfer_key(const udp_call_t *c, uint16_t sport, uint16_t dport)
{
    bool swap = c->src > c->dst || (c->src == c->dst && sport > dport);
    xfer_key_t k;
    memset(&k, 0, sizeof k);
    k.ip_a = swap ? c->dst : c->src;
    k.ip_b = swap ? c->src : c->dst;
    k.port_a = swap ? dport : sport;
    k.port_b = swap ? sport : dport;
    return k;
}

static guint xfer_hash(gconstpointer p)
{
    const xfer_key_t *k = p;
    return k->ip_a ^ (k->ip_b * 31u) ^ (((guint)k->port_a << 16) | k->port_b);
}

static gboolean xfer_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, sizeof(xfer_key_t)) == 0;
}

static void xfer_learn(const udp_call_t *c, uint16_t sport, uint16_t dport)
{
    xfer_key_t k = xfer_key(c, sport, dport);
    if (!wmem_map_contains(xfers, &k)) {
        xfer_key_t *kept = wmem_memdup(wmem_file_scope(), &k, sizeof k);
        wmem_map_insert(xfers, kept, kept);
    }
}

static bool xfer_known(const udp_call_t *c, uint16_t sport, uint16_t dport)
{
    xfer_key_t k = xfer_key(c, sport, dport);
    return wmem_map_contains(xfers, &k);
}
#endif

/* After the UDP dissector (and what it called) ran on tvb. */
static void udp_done(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const udp_call_t *c)
{
    int above = layer_above(pinfo, c->depth);
    pxe_pkt_kind_t kind = above < 0 ? 0
                          : above == proto_dhcp || above == proto_dhcpv6 ? PXE_PKT_DHCP
                          : above == proto_tftp ? PXE_PKT_TFTP : 0;
    if (pinfo->flags.in_error_pkt) {
        /* a datagram quoted by an ICMP error: the ICMP wrapper decides */
        if (icmp_ctx.active)
            icmp_ctx.quoted = kind;
        return;
    }
    bool as_data = false;
#if PXE_TFTP_CLIENT_AS_DATA
    as_data = !kind && above == proto_data && wmem_map_size(xfers) > 0;
#endif
    if ((!kind && !as_data) || (!c->ipv4 && !c->ipv6))
        return;

    guint caplen = tvb_captured_length(tvb);
    const uint8_t *u = caplen >= 8 ? tvb_get_ptr(tvb, 0, (gint)caplen) : NULL;
    uint16_t sport, dport, ulen;
    if (!pxe_wire_udp(u, caplen, &sport, &dport, &ulen))
        return;
#if PXE_TFTP_CLIENT_AS_DATA
    if (as_data) {
        if (!xfer_known(c, sport, dport))
            return;
        kind = PXE_PKT_TFTP;
    } else if (kind == PXE_PKT_TFTP) {
        xfer_learn(c, sport, dport);
    }
#endif
    /* the payload as the UDP dissector cut it: by the UDP length when
     * that is sane, else by what the IP layer says */
    guint wire = tvb_reported_length(tvb) - 8;
    if (ulen >= 8 && (guint)ulen - 8 < wire)
        wire = (guint)ulen - 8;
    guint have = caplen - 8 < wire ? caplen - 8 : wire;
    const uint8_t *p = u + 8;

    pxe_pkt_t pkt;
    pkt_init(&pkt, pinfo, kind);
    pkt.ip_src = c->src;
    pkt.ip_dst = c->dst;
    pkt.ipv6 = c->ipv6;
    memcpy(pkt.ip6_src, c->src6, 16);
    memcpy(pkt.ip6_dst, c->dst6, 16);
    pkt.sport = sport;
    pkt.dport = dport;
    pkt.digest = pxe_digest(u, caplen);
    bool ok = kind == PXE_PKT_TFTP ? pxe_wire_tftp(p, have, wire, &pkt.tftp, &scratch)
              : above == proto_dhcpv6 ? pxe_wire_dhcp6(p, have, &pkt.dhcp, &scratch)
                                      : pxe_wire_dhcp(p, have, &pkt.dhcp, &scratch);
    if (ok)
        hook_fn(tvb, pinfo, tree, &pkt);
}

/* The UDP dissector, then udp_done(), also when an exception ends the
 * dissection: a DHCP or TFTP message Wireshark finds malformed (a TFTP
 * error text without its NUL, say) may still tell enough. */
static int call_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data, const udp_call_t *c)
{
    volatile int ret = 0;
    TRY {
        ret = call_dissector_only(orig_udp, tvb, pinfo, tree, data);
    }
    CATCH_ALL {
        udp_done(tvb, pinfo, tree, c);
        RETHROW;
    }
    ENDTRY;
    if (ret > 0)
        udp_done(tvb, pinfo, tree, c);
    return ret;
}

static int hook_udp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (!hook_on())
        return call_dissector_only(orig_udp, tvb, pinfo, tree, data);
    udp_call_t c;
    memset(&c, 0, sizeof c);
    c.depth = wmem_list_count(pinfo->layers);
    c.ipv4 = addr_ipv4(&pinfo->net_src, &c.src) && addr_ipv4(&pinfo->net_dst, &c.dst);
    c.ipv6 = !c.ipv4 && addr_ipv6(&pinfo->net_src, c.src6) && addr_ipv6(&pinfo->net_dst, c.dst6);
    if (c.ipv6) {
        /* a 32-bit stand-in for the hook's own keys; the engine reads src6/dst6 */
        c.src = (uint32_t)pxe_digest(c.src6, 16);
        c.dst = (uint32_t)pxe_digest(c.dst6, 16);
    }
    return call_udp(tvb, pinfo, tree, data, &c);
}

/* Whether the quoted UDP datagram carries no payload bytes: then Wireshark
 * cannot tell what it was, and neither can we. */
static bool quote_is_bare(const uint8_t *p, guint len)
{
    if (len < 8 + 20)
        return false;
    guint ihl = (guint)(p[8] & 0x0f) * 4;
    return len <= 8 + ihl + 8;
}

/* The ICMP dissector with icmp_ctx collecting what the quoted datagram
 * was; icmp_ctx is put back if an exception ends the dissection. */
static int call_icmp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data, const icmp_ctx_t *saved)
{
    icmp_ctx.active = true;
    icmp_ctx.quoted = 0;
    volatile int ret = 0;
    TRY {
        ret = call_dissector_only(orig_icmp, tvb, pinfo, tree, data);
    }
    CATCH_ALL {
        icmp_ctx = *saved;
        RETHROW;
    }
    ENDTRY;
    return ret;
}

static int hook_icmp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (!hook_on() || pinfo->flags.in_error_pkt)
        return call_dissector_only(orig_icmp, tvb, pinfo, tree, data);
    uint32_t src = 0, dst = 0;
    bool ipv4 = addr_ipv4(&pinfo->net_src, &src) && addr_ipv4(&pinfo->net_dst, &dst);
    icmp_ctx_t saved = icmp_ctx;
    int ret = call_icmp(tvb, pinfo, tree, data, &saved);
    pxe_pkt_kind_t quoted = icmp_ctx.quoted;
    icmp_ctx = saved;
    if (ret <= 0 || !ipv4)
        return ret;

    guint len = tvb_captured_length(tvb);
    const uint8_t *p = len ? tvb_get_ptr(tvb, 0, (gint)len) : NULL;
    pxe_pkt_t pkt;
    pkt_init(&pkt, pinfo, PXE_PKT_ICMP_UNREACH);
    if (!pxe_wire_icmp_unreach(p, len, &pkt.icmp))
        return ret;
    if (quoted != PXE_PKT_DHCP && quoted != PXE_PKT_TFTP && !quote_is_bare(p, len))
        return ret;
    pkt.ip_src = src;
    pkt.ip_dst = dst;
    pkt.digest = pxe_digest(p, len);
    hook_fn(tvb, pinfo, tree, &pkt);
    return ret;
}

static int hook_arp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    int ret = call_dissector_only(orig_arp, tvb, pinfo, tree, data);
    if (ret <= 0 || !hook_on() || pinfo->flags.in_error_pkt)
        return ret;
    guint len = tvb_captured_length(tvb);
    const uint8_t *p = len ? tvb_get_ptr(tvb, 0, (gint)len) : NULL;
    pxe_pkt_t pkt;
    pkt_init(&pkt, pinfo, PXE_PKT_ARP);
    pkt.digest = pxe_digest(p, len);
    if (pxe_wire_arp(p, len, &pkt.arp))
        hook_fn(tvb, pinfo, tree, &pkt);
    return ret;
}

/* A TCP segment, read from the bytes the TCP dissector got: the engine
 * follows it only when it is a boot client's (HTTP boot). */
static void tcp_done(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    uint32_t src = 0, dst = 0;
    pxe_pkt_t pkt;
    pkt_init(&pkt, pinfo, PXE_PKT_TCP);
    if (addr_ipv4(&pinfo->net_src, &src) && addr_ipv4(&pinfo->net_dst, &dst)) {
        pkt.ip_src = src;
        pkt.ip_dst = dst;
    } else if (addr_ipv6(&pinfo->net_src, pkt.ip6_src) && addr_ipv6(&pinfo->net_dst, pkt.ip6_dst)) {
        pkt.ipv6 = true;
    } else {
        return;
    }
    guint caplen = tvb_captured_length(tvb);
    const uint8_t *t = caplen >= 20 ? tvb_get_ptr(tvb, 0, (gint)caplen) : NULL;
    size_t off;
    guint wire = tvb_reported_length(tvb);
    if (!t || !pxe_wire_tcp(t, caplen, wire, &pkt.tcp, &off) || off > caplen)
        return;
    pkt.sport = (uint16_t)((t[0] << 8) | t[1]);
    pkt.dport = (uint16_t)((t[2] << 8) | t[3]);
    guint have = (wire < caplen ? wire : caplen) - (guint)off;
    pxe_wire_http(t + off, have, &pkt.http, &http_scratch);
    pkt.tcp.payload = t + off;
    pkt.tcp.payload_caplen = have;
    pkt.digest = pxe_digest(t, off + (have < TCP_DIGEST_PAYLOAD ? have : TCP_DIGEST_PAYLOAD));
    hook_fn(tvb, pinfo, tree, &pkt);
}

static int hook_tcp(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    if (!hook_on() || pinfo->flags.in_error_pkt)
        return call_dissector_only(orig_tcp, tvb, pinfo, tree, data);
    volatile int ret = 0;
    TRY {
        ret = call_dissector_only(orig_tcp, tvb, pinfo, tree, data);
    }
    CATCH_ALL {
        tcp_done(tvb, pinfo, tree);
        RETHROW;
    }
    ENDTRY;
    tcp_done(tvb, pinfo, tree);
    return ret;
}

/* Put a wrapper in place of the handle at table/key; false when there is
 * nothing to wrap. */
static bool wrap(const char *table, guint32 key, dissector_handle_t *orig, dissector_t fn,
                 const char *name, const char *description)
{
    dissector_table_t t = find_dissector_table(table);
    dissector_handle_t h = t ? dissector_get_uint_handle(t, key) : NULL;
    if (!h)
        return false;
    *orig = h;
    /* protocol -1: call_dissector_work() adds no layer and checks no
     * "enabled" flag for the wrapper itself; the wrapped dissector does
     * both as before.  The description must be unique in the table's
     * Decode As list. */
    dissector_add_uint(table, key, create_dissector_handle_with_name_and_description(fn, -1, name, description));
    return true;
}

void pxe_hook_handoff(int proto, pxe_hook_fn fn)
{
    static bool installed;
    hook_fn = fn;
    hook_owner = proto > 0 ? find_protocol_by_id(proto) : NULL;
    proto_dhcp = proto_get_id_by_filter_name("dhcp");
    proto_dhcpv6 = proto_get_id_by_filter_name("dhcpv6");
    proto_tftp = proto_get_id_by_filter_name("tftp");
#if PXE_TFTP_CLIENT_AS_DATA
    proto_data = proto_get_id_by_filter_name("data");
    if (!xfers)
        xfers = wmem_map_new_autoreset(wmem_epan_scope(), wmem_file_scope(), xfer_hash, xfer_equal);
#endif
    if (installed)
        return;
    installed = true;
    wrap("ip.proto", IP_PROTO_UDP, &orig_udp, hook_udp, "pxe_hook_udp", "UDP (PXE hook)");
    wrap("ip.proto", IP_PROTO_ICMP, &orig_icmp, hook_icmp, "pxe_hook_icmp", "ICMP (PXE hook)");
    wrap("ip.proto", IP_PROTO_TCP, &orig_tcp, hook_tcp, "pxe_hook_tcp", "TCP (PXE hook)");
    wrap("ethertype", ETHERTYPE_ARP, &orig_arp, hook_arp, "pxe_hook_arp", "ARP (PXE hook)");
}
