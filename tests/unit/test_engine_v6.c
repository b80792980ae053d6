/* test_engine_v6.c - unit tests of the boot model (plugin/core) for IPv6 PXE
 * (DHCPv6, TFTP over IPv6, addresses as handles), UEFI HTTP boot (HTTP over
 * TCP as transfers), the URL and WDS rules and PXE-E7B, fed packet by packet
 * as the plugin's hook feeds the engine: DHCPv6 fields as pxe_wire_dhcp6()
 * fills them, TCP/HTTP fields as pxe_wire_tcp()/pxe_wire_http() do, and for
 * IPv6 packets the 32-bit stand-ins the hook leaves in ip_src/ip_dst.
 *
 * The sequences follow samples/captures/uefi-pxe6-ok.pcapng and
 * uefi-httpboot-ok.pcapng (OVMF, dnsmasq, iPXE) where those show the client's
 * behaviour.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include "pkt_builder.h"
#include "pxe_files.h"

enum { DISCOVER = 1, OFFER, REQUEST, DECLINE, ACK, NAK, RELEASE, INFORM };
enum { RRQ = 1, DATA = 3, TACK = 4, ERR = 5, OACK = 6 };
enum { SOLICIT6 = 1, ADVERTISE6 = 2, REQUEST6 = 3, REPLY6 = 7, RELEASE6 = 8 };

/* 2001:db8::1 (the DHCPv6 and TFTP server), 2001:db8::100 and ::101 (the
 * addresses the client gets), the server's link-local fe80::ff:fe00:201,
 * All_DHCP_Relay_Agents_and_Servers, a relay's link 2001:db8:1::1 */
static const uint8_t SRV6[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 0x01};
static const uint8_t CLI6[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0x01, [15] = 0x00};
static const uint8_t CLI6B[16] = {0x20, 0x01, 0x0d, 0xb8, [14] = 0x01, [15] = 0x01};
static const uint8_t SRV_LL[16] = {0xfe, 0x80, [11] = 0xff, 0xfe, 0x00, 0x02, 0x01};
static const uint8_t ALL_DHCP6[16] = {0xff, 0x02, [13] = 0x01, 0x00, 0x02};
static const uint8_t LINK6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0x01, [15] = 0x01};
static const uint8_t LL_PRIVACY[16] = {0xfe, 0x80, [8] = 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0};
static const uint8_t SRV_MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x02, 0x01};
static const uint8_t RELAY_MAC[6] = {0x02, 0x00, 0x00, 0x00, 0x09, 0x09};
/* OVMF's DUID-UUID and iPXE's (the same UUID, other byte order) */
static const uint8_t DUID_EDK2[18] = {0x00, 0x04, 0x00, 0x00, 0x3f, 0x8d, 0x00, 0x00, 0x00,
                                      0x40, 0x80, 0x00, 0x52, 0x54, 0x00, 0x00, 0x00, 0x01};
static const uint8_t DUID_IPXE[18] = {0x00, 0x04, 0x8d, 0x3f, 0x00, 0x00, 0x00, 0x00, 0x40,
                                      0x00, 0x80, 0x00, 0x52, 0x54, 0x00, 0x00, 0x00, 0x01};

#define URL6 "tftp://[2001:db8::1]/snponly.efi"
#define VC_EDK2 "PXEClient:Arch:00007:UNDI:003016"
#define VC_IPXE_BIOS "PXEClient:Arch:00000:UNDI:002001"
#define VC_HTTP "HTTPClient:Arch:00016:UNDI:003001"

/* ---- helpers ---- */

static feed_t fixture(void)
{
    feed_t f = {pxe_engine_new(NULL), 0, 1000.0};
    return f;
}

/* The SLAAC link-local address of a MAC (modified EUI-64). */
static void ll_of(const uint8_t mac[6], uint8_t out[16])
{
    memset(out, 0, 16);
    out[0] = 0xfe;
    out[1] = 0x80;
    out[8] = mac[0] ^ 0x02;
    out[9] = mac[1];
    out[10] = mac[2];
    out[11] = 0xff;
    out[12] = 0xfe;
    out[13] = mac[3];
    out[14] = mac[4];
    out[15] = mac[5];
}

/* An IPv6 packet as the hook hands it: ip_src/ip_dst hold stand-ins the
 * engine must replace with handles of ip6_src/ip6_dst. */
static pxe_pkt_t v6_pkt(feed_t *f, pxe_pkt_kind_t kind, const uint8_t src[16], const uint8_t dst[16])
{
    pxe_pkt_t p = new_pkt(f, kind);
    p.ipv6 = true;
    memcpy(p.ip6_src, src, 16);
    memcpy(p.ip6_dst, dst, 16);
    p.ip_src = 0xc0000201u;      /* would read as IPv4 192.0.2.1 if not replaced */
    p.ip_dst = 0x5eed5eedu;
    return p;
}

static uint8_t v4_of(uint8_t msg6, uint16_t status)
{
    switch (msg6) {
    case SOLICIT6: return DISCOVER;
    case ADVERTISE6: return OFFER;
    case REQUEST6: return REQUEST;
    case REPLY6: return status ? NAK : ACK;
    case RELEASE6: return RELEASE;
    default: return 0;
    }
}

/* A DHCPv6 message of the client with this MAC, sent from its link-local
 * address on its own Ethernet frame. */
static pxe_pkt_t c6(feed_t *f, const uint8_t mac[6], uint8_t msg6, uint32_t xid, const uint8_t duid[18])
{
    uint8_t ll[16];
    ll_of(mac, ll);
    pxe_pkt_t p = v6_pkt(f, PXE_PKT_DHCP, ll, ALL_DHCP6);
    p.has_eth = true;
    memcpy(p.eth_src, mac, 6);
    p.sport = 546;
    p.dport = 547;
    pxe_dhcp_t *d = &p.dhcp;
    d->v6 = true;
    d->op = 1;
    d->msg6 = msg6;
    d->msg_type = v4_of(msg6, 0);
    d->xid = xid;
    d->chaddr_unknown = true;
    d->duid_len = 18;
    memcpy(d->duid, duid, 18);
    return p;
}

/* EDK2's PXE client: vendor class PXEClient, option 61 = 7. */
static pxe_pkt_t c6_edk2(feed_t *f, uint8_t msg6, uint32_t xid)
{
    pxe_pkt_t p = c6(f, MAC1, msg6, xid, DUID_EDK2);
    p.dhcp.vendor_class = VC_EDK2;
    p.dhcp.has_arch = true;
    p.dhcp.arch = 7;
    return p;
}

/* iPXE: user class iPXE, its own DUID; arch 7 (snponly.efi) or 0 (ROM). */
static pxe_pkt_t c6_ipxe(feed_t *f, uint8_t msg6, uint32_t xid, uint16_t arch)
{
    pxe_pkt_t p = c6(f, MAC1, msg6, xid, DUID_IPXE);
    p.dhcp.vendor_class = arch ? "PXEClient:Arch:00007:UNDI:003010" : VC_IPXE_BIOS;
    p.dhcp.user_class = "iPXE";
    p.dhcp.ipxe = true;
    p.dhcp.has_arch = true;
    p.dhcp.arch = arch;
    return p;
}

/* The server's answer, from its link-local address to the client's. */
static pxe_pkt_t s6(feed_t *f, const uint8_t mac[6], uint8_t msg6, uint32_t xid, const uint8_t duid[18],
                    const uint8_t *addr, const char *url)
{
    uint8_t ll[16];
    ll_of(mac, ll);
    pxe_pkt_t p = v6_pkt(f, PXE_PKT_DHCP, SRV_LL, ll);
    p.has_eth = true;
    memcpy(p.eth_src, SRV_MAC, 6);
    p.sport = 547;
    p.dport = 546;
    pxe_dhcp_t *d = &p.dhcp;
    d->v6 = true;
    d->op = 2;
    d->msg6 = msg6;
    d->msg_type = v4_of(msg6, 0);
    d->xid = xid;
    d->chaddr_unknown = true;
    d->duid_len = 18;
    memcpy(d->duid, duid, 18);
    if (addr) {
        d->has_addr6 = true;
        memcpy(d->addr6, addr, 16);
    }
    d->bootfile = url;
    return p;
}

/* SOLICIT, ADVERTISE, REQUEST, REPLY of EDK2's PXE client; returns the REPLY. */
static pxe_rec_t *sarr_edk2(feed_t *f, uint32_t xid, const char *url)
{
    pxe_pkt_t p = c6_edk2(f, SOLICIT6, xid);
    feed(f, &p);
    f->t += 0.002;
    p = s6(f, MAC1, ADVERTISE6, xid, DUID_EDK2, CLI6, url);
    feed(f, &p);
    f->t += 1.0;
    p = c6_edk2(f, REQUEST6, xid + 1);
    feed(f, &p);
    f->t += 0.001;
    p = s6(f, MAC1, REPLY6, xid + 1, DUID_EDK2, CLI6, url);
    return feed(f, &p);
}

/* iPXE's DHCPv6 exchange; returns the REPLY. */
static pxe_rec_t *sarr_ipxe(feed_t *f, uint32_t xid, uint16_t arch, const uint8_t *addr, const char *url)
{
    pxe_pkt_t p = c6_ipxe(f, SOLICIT6, xid, arch);
    feed(f, &p);
    f->t += 0.001;
    p = s6(f, MAC1, ADVERTISE6, xid, DUID_IPXE, addr, url);
    feed(f, &p);
    f->t += 0.008;
    p = c6_ipxe(f, REQUEST6, xid, arch);
    feed(f, &p);
    f->t += 0.001;
    p = s6(f, MAC1, REPLY6, xid, DUID_IPXE, addr, url);
    return feed(f, &p);
}

/* TFTP over IPv6 between the client's address and 2001:db8::1. */
static pxe_pkt_t t6(feed_t *f, const uint8_t *client, bool from_client, uint16_t cport, uint16_t sport,
                    uint16_t opcode)
{
    pxe_pkt_t p = from_client ? v6_pkt(f, PXE_PKT_TFTP, client, SRV6) : v6_pkt(f, PXE_PKT_TFTP, SRV6, client);
    p.has_eth = true;
    memcpy(p.eth_src, from_client ? MAC1 : SRV_MAC, 6);
    p.sport = from_client ? cport : sport;
    p.dport = from_client ? sport : cport;
    p.tftp.opcode = opcode;
    p.tftp.opt_tsize = p.tftp.opt_blksize = p.tftp.opt_windowsize = -1;
    return p;
}

/* A whole transfer over IPv6: RRQ, OACK with blksize (and tsize), ACK 0,
 * DATA/ACK lockstep; returns the last ACK's record. */
static pxe_rec_t *transfer6(feed_t *f, const uint8_t *client, uint16_t cport, const char *file,
                            uint32_t size, uint32_t blksize)
{
    pxe_pkt_t p = t6(f, client, true, cport, 69, RRQ);
    p.tftp.file = file;
    p.tftp.opt_blksize = blksize;
    feed(f, &p);
    f->t += 0.001;
    p = t6(f, client, false, cport, 50000, OACK);
    p.tftp.opt_blksize = blksize;
    feed(f, &p);
    p = t6(f, client, true, cport, 50000, TACK);
    p.tftp.block = 0;
    pxe_rec_t *last = feed(f, &p);
    uint32_t left = size;
    for (uint16_t b = 1;; b++) {
        uint32_t n = left < blksize ? left : blksize;
        f->t += 0.001;
        p = t6(f, client, false, cport, 50000, DATA);
        p.tftp.block = b;
        p.tftp.data_len = n;
        feed(f, &p);
        p = t6(f, client, true, cport, 50000, TACK);
        p.tftp.block = b;
        last = feed(f, &p);
        left -= n;
        if (n < blksize)
            break;
    }
    return last;
}

/* DHCPv4 DORA of MAC1 with this DHCP server and boot file; returns the ACK. */
static pxe_rec_t *dora4(feed_t *f, uint16_t arch, bool ipxe, uint32_t siaddr, const char *file)
{
    pxe_pkt_t p = client_msg(f, MAC1, DISCOVER, arch, ipxe);
    feed(f, &p);
    f->t += 0.01;
    p = server_msg(f, MAC1, OFFER, SERVER, CLIENT_IP, siaddr, file);
    feed(f, &p);
    f->t += 1;
    p = client_msg(f, MAC1, REQUEST, arch, ipxe);
    p.dhcp.has_server_id = true;
    p.dhcp.server_id = SERVER;
    feed(f, &p);
    f->t += 0.01;
    p = server_msg(f, MAC1, ACK, SERVER, CLIENT_IP, siaddr, file);
    return feed(f, &p);
}

/* UEFI HTTP boot's DHCPv4: vendor class HTTPClient, arch 16; the DHCP
 * server is `server`, it answers with option 60 HTTPClient, siaddr 0 and
 * the URL. */
static pxe_rec_t *dora_http(feed_t *f, uint32_t server, const char *url)
{
    pxe_pkt_t p = dhcp_pkt(f, MAC1, 1, DISCOVER);
    p.dhcp.vendor_class = VC_HTTP;
    p.dhcp.has_arch = true;
    p.dhcp.arch = 16;
    feed(f, &p);
    f->t += 0.01;
    p = server_msg(f, MAC1, OFFER, server, CLIENT_IP, 0, url);
    p.dhcp.vendor_class = "HTTPClient";
    feed(f, &p);
    f->t += 1;
    p = dhcp_pkt(f, MAC1, 1, REQUEST);
    p.dhcp.vendor_class = VC_HTTP;
    p.dhcp.has_arch = true;
    p.dhcp.arch = 16;
    p.dhcp.has_server_id = true;
    p.dhcp.server_id = server;
    feed(f, &p);
    f->t += 0.01;
    p = server_msg(f, MAC1, ACK, server, CLIENT_IP, 0, url);
    p.dhcp.vendor_class = "HTTPClient";
    return feed(f, &p);
}

/* A TCP segment between CLIENT_IP:cport and SERVER:80. */
static pxe_pkt_t tcp4(feed_t *f, bool from_client, uint16_t cport, uint8_t flags, uint32_t seq, uint32_t len)
{
    pxe_pkt_t p = new_pkt(f, PXE_PKT_TCP);
    p.ip_src = from_client ? CLIENT_IP : SERVER;
    p.ip_dst = from_client ? SERVER : CLIENT_IP;
    p.sport = from_client ? cport : 80;
    p.dport = from_client ? 80 : cport;
    p.tcp.seq = seq;
    p.tcp.flags = flags;
    p.tcp.window = 64240;
    p.tcp.payload_len = len;
    p.http.content_length = -1;
    p.http.head_len = -1;
    return p;
}

static pxe_rec_t *tcp_handshake(feed_t *f, uint16_t cport)
{
    pxe_pkt_t p = tcp4(f, true, cport, PXE_TCP_SYN, 0, 0);
    pxe_rec_t *r = feed(f, &p);
    p = tcp4(f, false, cport, PXE_TCP_SYN | PXE_TCP_ACK, 0, 0);
    feed(f, &p);
    p = tcp4(f, true, cport, PXE_TCP_ACK, 1, 0);
    feed(f, &p);
    return r;
}

/* The client's request head (OVMF's: 89 bytes). */
static pxe_rec_t *http_req(feed_t *f, uint16_t cport, const char *method, const char *target)
{
    pxe_pkt_t p = tcp4(f, true, cport, PXE_TCP_PSH | PXE_TCP_ACK, 1, 89);
    p.http.kind = PXE_HTTP_REQUEST;
    p.http.method = method;
    p.http.target = target;
    p.http.host = "192.0.2.1";
    p.http.head_len = 89;
    return feed(f, &p);
}

/* The server's response head at seq 1, head_len bytes of head and extra
 * body bytes in the same segment. */
static pxe_rec_t *http_resp(feed_t *f, uint16_t cport, uint16_t status, int64_t cl, uint32_t head_len,
                            uint32_t extra, uint8_t flags)
{
    pxe_pkt_t p = tcp4(f, false, cport, PXE_TCP_PSH | PXE_TCP_ACK | flags, 1, head_len + extra);
    p.http.kind = PXE_HTTP_RESPONSE;
    p.http.status = status;
    p.http.content_length = cl;
    p.http.head_len = (int32_t)head_len;
    return feed(f, &p);
}

/* Body bytes [off, off + len) after a head of head_len bytes at seq 1. */
static pxe_rec_t *http_body(feed_t *f, uint16_t cport, uint32_t head_len, uint32_t off, uint32_t len,
                            uint8_t flags)
{
    pxe_pkt_t p = tcp4(f, false, cport, PXE_TCP_ACK | flags, 1 + head_len + off, len);
    return feed(f, &p);
}

static pxe_rec_t *tcp_ack(feed_t *f, uint16_t cport)
{
    pxe_pkt_t p = tcp4(f, true, cport, PXE_TCP_ACK, 90, 0);
    return feed(f, &p);
}

#define HEAD_LEN 195     /* Python http.server's 200 head in uefi-httpboot-ok */
#define MSS 1448

/* GET target, 200 with Content-Length size, the body in MSS segments with
 * the client's ACKs; returns the last record. */
static pxe_rec_t *http_get_ok(feed_t *f, uint16_t cport, const char *target, uint32_t size)
{
    tcp_handshake(f, cport);
    http_req(f, cport, "GET", target);
    f->t += 0.004;
    http_resp(f, cport, 200, size, HEAD_LEN, 0, 0);
    pxe_rec_t *last = NULL;
    for (uint32_t off = 0; off < size; off += MSS) {
        f->t += 0.0005;
        http_body(f, cport, HEAD_LEN, off, size - off < MSS ? size - off : MSS, PXE_TCP_PSH);
        last = tcp_ack(f, cport);
    }
    return last;
}

/* ---- what the engine said ---- */

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

/* The first diagnosis of this code on any frame, NULL when none. */
static const pxe_diag_t *find_diag(feed_t *f, pxe_code_t code, uint32_t *frame)
{
    for (uint32_t i = 1; i <= f->frame; i++) {
        pxe_rec_t *r = pxe_engine_record(f->e, i);
        for (pxe_diag_t *d = r ? r->diags : NULL; d; d = d->next) {
            if (d->code == code) {
                if (frame)
                    *frame = i;
                return d;
            }
        }
    }
    return NULL;
}

/* The latest verdict on MAC1's attempt over all frames, NULL when none. */
static const pxe_verdict_t *last_verdict(feed_t *f, uint32_t attempt, uint32_t *frame)
{
    const pxe_verdict_t *found = NULL;
    for (uint32_t i = 1; i <= f->frame; i++) {
        pxe_rec_t *r = pxe_engine_record(f->e, i);
        for (const pxe_verdict_t *v = r ? r->verdicts : NULL; v; v = v->next) {
            if (memcmp(v->mac, MAC1, 6) == 0 && v->attempt == attempt) {
                found = v;
                if (frame)
                    *frame = i;
            }
        }
    }
    return found;
}

static void assert_outcome(feed_t *f, uint32_t attempt, pxe_outcome_t outcome, int code)
{
    const pxe_verdict_t *v = last_verdict(f, attempt, NULL);
    g_assert_nonnull(v);
    g_assert_cmpint(v->outcome, ==, outcome);
    g_assert_cmpint(v->code, ==, code);
}

static void assert_addr6(feed_t *f, uint32_t handle, const uint8_t want[16], const char *text)
{
    g_assert_true(pxe_addr_is_v6(handle));
    const uint8_t *b = pxe_engine_addr6(f->e, handle);
    g_assert_nonnull(b);
    g_assert_cmpmem(b, 16, want, 16);
    char buf[PXE_ADDR_STRLEN];
    g_assert_cmpstr(pxe_addr_str(f->e, handle, buf), ==, text);
}

/* ---- (a) IPv6 PXE ---- */

static void test_v6_pxe_boot_ok(void)
{
    feed_t f = fixture();
    pxe_pkt_t p = c6_edk2(&f, SOLICIT6, 0xe68594);
    pxe_rec_t *sol = feed(&f, &p);
    g_assert_nonnull(sol);
    g_assert_cmpuint(sol->stage, ==, PXE_STAGE_DISCOVER);
    g_assert_cmpmem(sol->mac, 6, MAC1, 6);
    g_assert_cmpuint(sol->attempt_no, ==, 1);
    g_assert_cmpuint(sol->family, ==, PXE_FAMILY_EDK2);
    g_assert_true(sol->has_arch);
    g_assert_cmpuint(sol->arch, ==, 7);
    g_assert_cmpfloat(sol->since_discover, ==, 0.0);
    g_assert_nonnull(sol->dhcp);
    g_assert_cmphex(sol->dhcp->xid, ==, 0xe68594);
    g_assert_cmpstr(sol->dhcp->vendor_class, ==, VC_EDK2);

    f.t += 0.002;
    p = s6(&f, MAC1, ADVERTISE6, 0xe68594, DUID_EDK2, CLI6, URL6);
    pxe_rec_t *adv = feed(&f, &p);
    g_assert_nonnull(adv);
    g_assert_cmpuint(adv->stage, ==, PXE_STAGE_OFFER);
    g_assert_cmpmem(adv->mac, 6, MAC1, 6);     /* not the server's Ethernet source */
    g_assert_cmpuint(adv->request_in, ==, sol->frame);
    g_assert_cmpuint(sol->response_in, ==, adv->frame);
    g_assert_cmpuint(adv->offer &
                         (PXE_OFFER_ADDRESS | PXE_OFFER_NEXT_SERVER | PXE_OFFER_BOOTFILE | PXE_OFFER_PROXY),
                     ==, PXE_OFFER_ADDRESS | PXE_OFFER_NEXT_SERVER | PXE_OFFER_BOOTFILE);
    g_assert_cmpstr(adv->bootfile, ==, URL6);
    assert_addr6(&f, adv->client_ip, CLI6, "2001:db8::100");
    assert_addr6(&f, adv->tftp_server, SRV6, "2001:db8::1");
    assert_addr6(&f, adv->dhcp_server, SRV_LL, "fe80::ff:fe00:201");
    g_assert_null(adv->diags);

    f.t += 1.0;
    p = c6_edk2(&f, REQUEST6, 0xe78594);
    pxe_rec_t *req = feed(&f, &p);
    g_assert_cmpuint(req->stage, ==, PXE_STAGE_REQUEST);
    g_assert_cmpuint(req->attempt_no, ==, 1);
    f.t += 0.001;
    p = s6(&f, MAC1, REPLY6, 0xe78594, DUID_EDK2, CLI6, URL6);
    pxe_rec_t *rep = feed(&f, &p);
    g_assert_cmpuint(rep->stage, ==, PXE_STAGE_ACK);
    g_assert_cmpuint(rep->request_in, ==, req->frame);
    g_assert_cmpstr(rep->bootfile, ==, URL6);
    assert_addr6(&f, rep->tftp_server, SRV6, "2001:db8::1");
    assert_addr6(&f, rep->client_ip, CLI6, "2001:db8::100");
    g_assert_cmpuint(rep->dhcp->assigned_addr, ==, rep->client_ip);
    g_assert_null(rep->diags);
    g_assert_null(rep->verdicts);

    /* EDK2: the size probe (RRQ tsize, OACK, ERROR 8), then the transfer */
    f.t += 10;
    p = t6(&f, CLI6, true, 1001, 69, RRQ);
    p.tftp.file = "snponly.efi";
    p.tftp.opt_tsize = 0;
    p.tftp.opt_blksize = 1228;
    pxe_rec_t *probe = feed(&f, &p);
    g_assert_nonnull(probe);
    g_assert_cmpuint(probe->prev_in, ==, rep->frame);
    p = t6(&f, CLI6, false, 1001, 50000, OACK);
    p.tftp.opt_tsize = 5000;
    p.tftp.opt_blksize = 1228;
    feed(&f, &p);
    p = t6(&f, CLI6, true, 1001, 50000, ERR);
    p.tftp.err_code = 8;
    g_assert_true(has_code(feed(&f, &p), PXE_CODE_TSIZE_PROBE));
    uint32_t first_tftp = f.frame + 1;
    pxe_rec_t *last = transfer6(&f, CLI6, 1002, "snponly.efi", 5000, 1228);
    for (uint32_t i = probe->frame; i <= f.frame; i++) {
        pxe_rec_t *r = pxe_engine_record(f.e, i);
        g_assert_nonnull(r);
        g_assert_true(pxe_stage_is_tftp(r->stage));
        g_assert_true(r->has_client);
        g_assert_cmpmem(r->mac, 6, MAC1, 6);
        g_assert_cmpuint(r->attempt_no, ==, 1);
        g_assert_cmpuint(r->phase, ==, 1);
        g_assert_cmpstr(r->tftp_file, ==, "snponly.efi");
        assert_addr6(&f, r->tftp_server, SRV6, "2001:db8::1");
        assert_addr6(&f, r->client_ip, CLI6, "2001:db8::100");
    }
    pxe_rec_t *rrq = pxe_engine_record(f.e, first_tftp);
    g_assert_cmpuint(rrq->stage, ==, PXE_STAGE_TFTP_REQUEST);
    g_assert_true(rrq->tftp_nbp);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(last, &x));
    g_assert_true(x.complete);
    g_assert_cmpuint(x.bytes, ==, 5000);
    g_assert_cmpint(x.tsize, ==, 5000);       /* from the size probe */
    g_assert_cmpuint(x.blocks, ==, 5);
    g_assert_cmpuint(x.blksize, ==, 1228);
    g_assert_cmpuint(x.request_in, ==, first_tftp);
    g_assert_null(last_verdict(&f, 1, NULL));  /* it arrived; nothing shows it runs yet */

    /* snponly.efi (iPXE) runs: DHCPv4 DISCOVER first, then DHCPv6, as in uefi-pxe6-ok */
    f.t += 2;
    double t_v4 = f.t;
    p = client_msg(&f, MAC1, DISCOVER, 7, true);
    pxe_rec_t *d4 = feed(&f, &p);
    g_assert_cmpuint(d4->attempt_no, ==, 1);
    g_assert_cmpuint(d4->phase, ==, 2);
    g_assert_true(has_code(d4, PXE_CODE_SECOND_STAGE_DHCP));
    f.t += 0.01;
    pxe_rec_t *rep2 = sarr_ipxe(&f, 0x54bbec, 7, CLI6B, "tftp://[2001:db8::1]/boot.ipxe");
    g_assert_cmpuint(rep2->stage, ==, PXE_STAGE_ACK);
    g_assert_cmpuint(rep2->attempt_no, ==, 1);
    g_assert_cmpuint(rep2->phase, ==, 2);
    g_assert_cmpuint(rep2->family, ==, PXE_FAMILY_IPXE);
    assert_addr6(&f, rep2->client_ip, CLI6B, "2001:db8::101");
    const pxe_verdict_t *v = rep2->verdicts;
    g_assert_nonnull(v);
    g_assert_cmpint(v->outcome, ==, PXE_OUTCOME_OK);
    g_assert_cmpuint(v->attempt, ==, 1);
    g_assert_cmpmem(v->mac, 6, MAC1, 6);

    /* iPXE's DHCPv4 goes on unanswered: a note, the verdict stays ok */
    static const double again[] = {1.05, 3.1, 7.4};
    pxe_rec_t *r = NULL;
    for (int i = 0; i < 3; i++) {
        f.t = t_v4 + again[i];
        p = client_msg(&f, MAC1, DISCOVER, 7, true);
        r = feed(&f, &p);
        g_assert_cmpuint(r->attempt_no, ==, 1);
    }
    g_assert_true(has_code(r, PXE_CODE_FAMILY_UNANSWERED));
    g_assert_cmpuint(r->diags->attempt, ==, 1);
    g_assert_true(g_str_has_prefix(r->diags->text, "family-unanswered: 4 DHCPv4 DISCOVER(s) over 7.4 s went "
                                                   "unanswered while the client's DHCPv6 exchange was answered"));
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    assert_outcome(&f, 1, PXE_OUTCOME_OK, -1);
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 1);
    pxe_engine_free(f.e);
}

/* ---- (b) ---- */

static void test_v6_pxe_nbp_missing(void)
{
    feed_t f = fixture();
    sarr_edk2(&f, 0x100, URL6);
    f.t += 10;
    pxe_pkt_t p = t6(&f, CLI6, true, 1001, 69, RRQ);
    p.tftp.file = "snponly.efi";
    p.tftp.opt_blksize = 1228;
    pxe_rec_t *rrq = feed(&f, &p);
    g_assert_true(rrq->tftp_nbp);
    p = t6(&f, CLI6, false, 1001, 50000, ERR);
    p.tftp.err_code = 1;
    p.tftp.err_msg = "file /srv/tftp/snponly.efi not found";
    pxe_rec_t *err = feed(&f, &p);
    g_assert_cmpuint(err->stage, ==, PXE_STAGE_TFTP_ERROR);
    g_assert_cmpuint(err->attempt_no, ==, 1);
    g_assert_cmpuint(err->request_in, ==, rrq->frame);
    g_assert_true(has_code(err, PXE_CODE_E3B));
    g_assert_true(g_str_has_prefix(err->diags->text,
                                   "PXE-E3B: 2001:db8::1 answers \"file /srv/tftp/snponly.efi not found\" "
                                   "for snponly.efi, the boot file itself"));
    g_assert_nonnull(err->verdicts);
    g_assert_cmpint(err->verdicts->outcome, ==, PXE_OUTCOME_FAILED);
    g_assert_cmpint(err->verdicts->code, ==, PXE_CODE_E3B);
    pxe_engine_free(f.e);
}

/* ---- (c) dual-stack iPXE ---- */

/* iPXE as the ROM: DHCPv4 and DHCPv6 at once, only DHCPv6 answered. */
static void test_dual_stack_v4_unanswered(void)
{
    feed_t f = fixture();
    double t0 = f.t;
    pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 0, true);
    uint32_t first = feed(&f, &p)->frame;
    f.t += 0.01;
    uint32_t adv_frame = f.frame + 2;
    pxe_rec_t *rep = sarr_ipxe(&f, 0x4242, 0, CLI6, "tftp://[2001:db8::1]/boot.ipxe");
    g_assert_cmpuint(rep->stage, ==, PXE_STAGE_ACK);
    g_assert_cmpuint(pxe_engine_record(f.e, adv_frame)->stage, ==, PXE_STAGE_OFFER);
    g_assert_cmpstr(rep->bootfile, ==, "tftp://[2001:db8::1]/boot.ipxe");
    f.t = t0 + 1;
    p = client_msg(&f, MAC1, DISCOVER, 0, true);
    g_assert_cmpuint(feed(&f, &p)->attempt_no, ==, 1);
    f.t += 0.2;
    transfer6(&f, CLI6, 2001, "boot.ipxe", 300, 1432);
    f.t = t0 + 3;
    p = client_msg(&f, MAC1, DISCOVER, 0, true);
    g_assert_cmpuint(feed(&f, &p)->attempt_no, ==, 1);
    f.t += 0.1;
    transfer6(&f, CLI6, 2002, "vmlinuz", 3000, 1432);
    uint32_t ok_frame = 0;
    const pxe_verdict_t *v = last_verdict(&f, 1, &ok_frame);
    g_assert_nonnull(v);
    g_assert_cmpint(v->outcome, ==, PXE_OUTCOME_OK);
    f.t = t0 + 7;
    p = client_msg(&f, MAC1, DISCOVER, 0, true);
    pxe_rec_t *fourth = feed(&f, &p);
    g_assert_true(has_code(fourth, PXE_CODE_FAMILY_UNANSWERED));
    const pxe_diag_t *d = fourth->diags;
    g_assert_cmpuint(d->attempt, ==, 1);
    /* evidence: the first and last DISCOVER and the DHCPv6 ADVERTISE */
    g_assert_cmpuint(d->n_frames, ==, 3);
    g_assert_cmpuint(d->frames[0], ==, first);
    g_assert_cmpuint(d->frames[1], ==, adv_frame);
    g_assert_cmpuint(d->frames[2], ==, fourth->frame);
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    g_assert_null(find_diag(&f, PXE_CODE_E51, NULL));
    for (uint32_t i = 1; i <= f.frame; i++) {
        pxe_rec_t *r = pxe_engine_record(f.e, i);
        if (r && r->has_client)
            g_assert_cmpuint(r->attempt_no, ==, 1);
    }
    assert_outcome(&f, 1, PXE_OUTCOME_OK, -1);
    pxe_engine_free(f.e);

    /* the same, but iPXE stops after 3 DISCOVERs: time decides, on the
     * first frame after its give-up time (15 s, +10 % +1 s) */
    f = fixture();
    t0 = f.t;
    p = client_msg(&f, MAC1, DISCOVER, 0, true);
    feed(&f, &p);
    f.t += 0.01;
    sarr_ipxe(&f, 0x4343, 0, CLI6, "tftp://[2001:db8::1]/boot.ipxe");
    for (int i = 1; i <= 2; i++) {
        f.t = t0 + (i == 1 ? 1 : 3);
        p = client_msg(&f, MAC1, DISCOVER, 0, true);
        feed(&f, &p);
    }
    g_assert_null(pxe_engine_tick(f.e, ++f.frame, t0 + 17));
    pxe_rec_t *r = pxe_engine_tick(f.e, ++f.frame, t0 + 18);
    g_assert_nonnull(r);
    g_assert_true(has_code(r, PXE_CODE_FAMILY_UNANSWERED));
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    pxe_engine_free(f.e);
}

/* The other way round: DHCPv6 unanswered, DHCPv4 served. */
static void test_dual_stack_v6_unanswered(void)
{
    feed_t f = fixture();
    double t0 = f.t;
    pxe_pkt_t p = c6_ipxe(&f, SOLICIT6, 0x5151, 0);
    uint32_t first = feed(&f, &p)->frame;
    f.t += 0.01;
    pxe_rec_t *ack = dora4(&f, 0, true, SERVER, "boot.ipxe");
    g_assert_cmpuint(ack->attempt_no, ==, 1);
    g_assert_cmpuint(ack->stage, ==, PXE_STAGE_ACK);
    pxe_rec_t *r = NULL;
    static const double at[] = {1, 3, 7};
    for (int i = 0; i < 3; i++) {
        f.t = t0 + at[i];
        p = c6_ipxe(&f, SOLICIT6, 0x5151, 0);
        p.dhcp.secs = (uint16_t)at[i];
        r = feed(&f, &p);
        g_assert_cmpuint(r->attempt_no, ==, 1);
        g_assert_cmpuint(r->stage, ==, PXE_STAGE_DISCOVER);
    }
    g_assert_true(has_code(r, PXE_CODE_FAMILY_UNANSWERED));
    g_assert_true(g_str_has_prefix(r->diags->text, "family-unanswered: 4 DHCPv6 SOLICIT(s) over 7.0 s"));
    g_assert_cmpuint(r->diags->frames[0], ==, first);
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    pxe_engine_free(f.e);
}

/* A dual-stack iPXE whose DHCPv4 is answered (REQUEST/ACK) before its
 * first DHCPv6 SOLICIT goes out (the SOLICIT waits for the router's RA):
 * one boot, both families in the same phase. */
static void test_dual_stack_v4_acked_first(void)
{
    feed_t f = fixture();
    pxe_rec_t *ack = dora4(&f, 0, true, SERVER, "boot.ipxe");
    g_assert_cmpuint(ack->attempt_no, ==, 1);
    f.t += 0.005;
    pxe_pkt_t p = c6_ipxe(&f, SOLICIT6, 0x5252, 0);
    pxe_rec_t *sol = feed(&f, &p);
    uint32_t attempt = sol->attempt_no;
    bool restart = find_diag(&f, PXE_CODE_DHCP_RESTART, NULL) != NULL;
    const pxe_verdict_t *v = last_verdict(&f, 1, NULL);
    g_test_message("SOLICIT after the DHCPv4 ACK: attempt %u, phase %u, dhcp-restart %d, attempt 1 verdict %s",
                   attempt, sol->phase, restart, v ? pxe_outcome_name(v->outcome) : "none");
    g_assert_false(attempt != 1 || restart);
    f.t += 0.001;
    p = s6(&f, MAC1, ADVERTISE6, 0x5252, DUID_IPXE, CLI6, NULL);
    g_assert_cmpuint(feed(&f, &p)->attempt_no, ==, 1);
    g_assert_cmpuint(count_severity(&f, PXE_SEV_ERROR), ==, 0);
    pxe_engine_free(f.e);
}

/* ---- (d) firmware boot order: PXEv4 fails, then PXEv6 ---- */

static void test_firmware_v4_then_v6(void)
{
    feed_t f = fixture();
    double t0 = f.t;
    static const double at[] = {0, 4, 12, 28};
    pxe_rec_t *r = NULL;
    for (int i = 0; i < 4; i++) {
        f.t = t0 + at[i];
        pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 7, false);
        r = feed(&f, &p);
    }
    g_assert_true(has_code(r, PXE_CODE_E51));
    uint32_t e51_frame = r->frame;
    f.t = t0 + 62;
    pxe_pkt_t p = c6_edk2(&f, SOLICIT6, 0x600);
    pxe_rec_t *sol = feed(&f, &p);
    g_assert_cmpuint(sol->stage, ==, PXE_STAGE_DISCOVER);
    g_assert_cmpuint(sol->attempt_no, ==, 2);
    g_assert_cmpuint(sol->phase, ==, 1);
    g_assert_null(sol->diags);     /* attempt 1 failed before: no dhcp-restart */
    uint32_t fail_frame = 0;
    const pxe_verdict_t *v = last_verdict(&f, 1, &fail_frame);
    g_assert_nonnull(v);
    g_assert_cmpint(v->outcome, ==, PXE_OUTCOME_FAILED);
    g_assert_cmpint(v->code, ==, PXE_CODE_E51);
    g_assert_cmpuint(fail_frame, ==, e51_frame);
    /* attempt 2 goes on over IPv6 */
    f.t += 0.002;
    p = s6(&f, MAC1, ADVERTISE6, 0x600, DUID_EDK2, CLI6, URL6);
    pxe_rec_t *adv = feed(&f, &p);
    g_assert_cmpuint(adv->attempt_no, ==, 2);
    g_assert_cmpuint(adv->request_in, ==, sol->frame);
    g_assert_null(last_verdict(&f, 2, NULL));
    pxe_engine_free(f.e);

    /* only three DISCOVERs seen (the capture began late): the SOLICIT, past
     * the last retry time, shows the firmware gave up on IPv4 */
    f = fixture();
    t0 = f.t;
    for (int i = 1; i < 4; i++) {
        f.t = t0 + at[i];
        pxe_pkt_t q = client_msg(&f, MAC1, DISCOVER, 7, false);
        g_assert_null(feed(&f, &q)->diags);
    }
    f.t = t0 + 61;
    p = c6_edk2(&f, SOLICIT6, 0x601);
    sol = feed(&f, &p);
    g_assert_cmpuint(sol->attempt_no, ==, 2);
    g_assert_true(has_code(sol, PXE_CODE_E51));
    g_assert_cmpuint(sol->diags->attempt, ==, 1);
    g_assert_nonnull(sol->verdicts);
    g_assert_cmpuint(sol->verdicts->attempt, ==, 1);
    g_assert_cmpint(sol->verdicts->outcome, ==, PXE_OUTCOME_FAILED);
    pxe_engine_free(f.e);
}

/* ---- (e) a REPLY that confirms a RELEASE ---- */

static void test_release_reply(void)
{
    /* control: a REPLY without a boot file to the PXE client's REQUEST is PXE-E53 */
    feed_t f = fixture();
    pxe_rec_t *rep = sarr_edk2(&f, 0x700, NULL);
    g_assert_true(has_code(rep, PXE_CODE_E53));
    pxe_engine_free(f.e);

    f = fixture();
    sarr_edk2(&f, 0x710, URL6);
    f.t += 10;
    transfer6(&f, CLI6, 1001, "snponly.efi", 3000, 1228);
    f.t += 0.2;
    pxe_pkt_t p = c6_edk2(&f, RELEASE6, 0x9985);
    pxe_rec_t *rel = feed(&f, &p);
    g_assert_cmpuint(rel->stage, ==, PXE_STAGE_RELEASE);
    f.t += 0.0005;
    p = s6(&f, MAC1, REPLY6, 0x9985, DUID_EDK2, NULL, NULL);
    pxe_rec_t *conf = feed(&f, &p);
    g_assert_nonnull(conf);
    g_assert_cmpuint(conf->stage, ==, PXE_STAGE_RELEASE);
    g_assert_cmpuint(conf->attempt_no, ==, 1);
    g_assert_null(conf->diags);
    g_assert_null(conf->verdicts);
    g_assert_null(last_verdict(&f, 1, NULL));
    /* the boot goes on and is ok */
    f.t += 2;
    pxe_rec_t *rep2 = sarr_ipxe(&f, 0x720, 7, CLI6B, "tftp://[2001:db8::1]/boot.ipxe");
    g_assert_cmpuint(rep2->phase, ==, 2);
    assert_outcome(&f, 1, PXE_OUTCOME_OK, -1);
    /* iPXE releases too (before booting the OS): ok stays ok */
    f.t += 5;
    p = c6_ipxe(&f, RELEASE6, 0x721, 7);
    feed(&f, &p);
    p = s6(&f, MAC1, REPLY6, 0x721, DUID_IPXE, NULL, NULL);
    conf = feed(&f, &p);
    g_assert_cmpuint(conf->stage, ==, PXE_STAGE_RELEASE);
    g_assert_null(conf->diags);
    g_assert_null(conf->verdicts);
    g_assert_null(find_diag(&f, PXE_CODE_E53, NULL));
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    assert_outcome(&f, 1, PXE_OUTCOME_OK, -1);
    pxe_engine_free(f.e);
}

/* ---- more DHCPv6 rules ---- */

/* OVMF's IPv6 stack runs its own DHCPv6 beside the PXE client's (frames
 * 6-13 of uefi-pxe6-ok): kept apart from the PXE exchange. */
static void test_v6_stack_exchange_apart(void)
{
    feed_t f = fixture();
    pxe_pkt_t p = c6_edk2(&f, SOLICIT6, 0xa00);
    pxe_rec_t *sol = feed(&f, &p);
    f.t += 0.01;
    p = c6(&f, MAC1, SOLICIT6, 0xb00, DUID_EDK2);      /* the stack: no vendor class, no arch */
    pxe_rec_t *st = feed(&f, &p);
    g_assert_nonnull(st);
    g_assert_cmpuint(st->stage, ==, PXE_STAGE_DISCOVER);
    g_assert_cmpuint(st->attempt_no, ==, 1);
    f.t += 0.01;
    p = s6(&f, MAC1, ADVERTISE6, 0xb00, DUID_EDK2, CLI6B, NULL);
    pxe_rec_t *st_adv = feed(&f, &p);
    g_assert_cmpuint(st_adv->stage, ==, PXE_STAGE_OFFER);
    g_assert_cmpuint(st_adv->request_in, ==, 0);
    p = s6(&f, MAC1, ADVERTISE6, 0xa00, DUID_EDK2, CLI6, URL6);
    pxe_rec_t *adv = feed(&f, &p);
    g_assert_cmpuint(adv->request_in, ==, sol->frame);
    g_assert_cmpuint(sol->n_responses, ==, 1);
    f.t += 0.01;
    p = c6(&f, MAC1, REQUEST6, 0xb01, DUID_EDK2);
    feed(&f, &p);
    p = s6(&f, MAC1, REPLY6, 0xb01, DUID_EDK2, CLI6B, NULL);
    pxe_rec_t *st_rep = feed(&f, &p);
    g_assert_cmpuint(st_rep->stage, ==, PXE_STAGE_ACK);
    g_assert_null(st_rep->diags);          /* no PXE-E53: not the PXE client's ACK */
    f.t += 1;
    p = c6_edk2(&f, REQUEST6, 0xa01);
    pxe_rec_t *req = feed(&f, &p);
    g_assert_cmpuint(req->attempt_no, ==, 1);
    p = s6(&f, MAC1, REPLY6, 0xa01, DUID_EDK2, CLI6, URL6);
    pxe_rec_t *rep = feed(&f, &p);
    g_assert_cmpuint(rep->request_in, ==, req->frame);
    g_assert_cmpuint(rep->attempt_no, ==, 1);
    g_assert_cmpuint(rep->phase, ==, 1);
    g_assert_cmpstr(rep->bootfile, ==, URL6);
    assert_addr6(&f, rep->client_ip, CLI6, "2001:db8::100");
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    pxe_engine_free(f.e);
}

/* A REQUEST refused (REPLY NoAddrsAvail) and sent again with its xid is
 * the same exchange, not a new attempt. */
static void test_v6_request_resent(void)
{
    feed_t f = fixture();
    pxe_pkt_t p = c6_edk2(&f, SOLICIT6, 0xc00);
    feed(&f, &p);
    p = s6(&f, MAC1, ADVERTISE6, 0xc00, DUID_EDK2, CLI6, URL6);
    feed(&f, &p);
    f.t += 1;
    p = c6_edk2(&f, REQUEST6, 0xc01);
    pxe_rec_t *req = feed(&f, &p);
    p = s6(&f, MAC1, REPLY6, 0xc01, DUID_EDK2, NULL, NULL);
    p.dhcp.status6 = 2;
    p.dhcp.msg_type = NAK;
    pxe_rec_t *nak = feed(&f, &p);
    g_assert_cmpuint(nak->stage, ==, PXE_STAGE_NAK);
    g_assert_cmpuint(nak->request_in, ==, req->frame);
    g_assert_true(has_code(nak, PXE_CODE_DHCP_NAK));
    g_assert_nonnull(strstr(nak->diags->text, "fe80::ff:fe00:201 refused the client's REQUEST (REPLY with "
                                              "status 2 NoAddrsAvail)"));
    f.t += 1;
    p = c6_edk2(&f, REQUEST6, 0xc01);
    p.dhcp.secs = 1;
    pxe_rec_t *again = feed(&f, &p);
    g_assert_cmpuint(again->stage, ==, PXE_STAGE_REQUEST);
    g_assert_cmpuint(again->attempt_no, ==, 1);
    g_assert_null(again->diags);           /* no dhcp-restart */
    p = s6(&f, MAC1, REPLY6, 0xc01, DUID_EDK2, CLI6, URL6);
    pxe_rec_t *rep = feed(&f, &p);
    g_assert_cmpuint(rep->stage, ==, PXE_STAGE_ACK);
    g_assert_cmpuint(rep->attempt_no, ==, 1);
    g_assert_cmpuint(rep->request_in, ==, again->frame);
    g_assert_cmpstr(rep->bootfile, ==, URL6);
    g_assert_null(last_verdict(&f, 1, NULL));
    pxe_engine_free(f.e);
}

/* Which client a DHCPv6 message is about: a relay's client link-layer
 * address, the DUID seen before, the EUI-64 of a reply's destination. */
static void test_v6_client_identity(void)
{
    feed_t f = fixture();
    /* relayed SOLICIT seen on the server's side: the Ethernet source is the relay */
    pxe_pkt_t p = c6_edk2(&f, SOLICIT6, 0xd00);
    memcpy(p.eth_src, RELAY_MAC, 6);
    memcpy(p.ip6_src, LINK6, 16);
    memcpy(p.ip6_dst, SRV6, 16);
    p.dhcp.relayed6 = true;
    memcpy(p.dhcp.link6, LINK6, 16);
    p.dhcp.chaddr_unknown = false;           /* option 79 */
    memcpy(p.dhcp.chaddr, MAC1, 6);
    pxe_rec_t *sol = feed(&f, &p);
    g_assert_nonnull(sol);
    g_assert_cmpmem(sol->mac, 6, MAC1, 6);
    g_assert_nonnull(sol->dhcp);
    assert_addr6(&f, sol->dhcp->relay, LINK6, "2001:db8:1::1");
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 1);
    /* the server's reply to the relay names the client by its DUID only */
    p = s6(&f, MAC1, ADVERTISE6, 0xd00, DUID_EDK2, CLI6, URL6);
    memcpy(p.ip6_dst, LINK6, 16);
    pxe_rec_t *adv = feed(&f, &p);
    g_assert_nonnull(adv);
    g_assert_cmpmem(adv->mac, 6, MAC1, 6);
    g_assert_cmpuint(adv->request_in, ==, sol->frame);
    pxe_engine_free(f.e);

    /* a reply with a DUID never seen, to an EUI-64 link-local: its MAC */
    f = fixture();
    p = c6_edk2(&f, SOLICIT6, 0xd10);
    feed(&f, &p);
    static const uint8_t other_duid[18] = {0, 4, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9};
    p = s6(&f, MAC1, ADVERTISE6, 0xd10, other_duid, CLI6, URL6);
    pxe_rec_t *r = feed(&f, &p);
    g_assert_nonnull(r);
    g_assert_cmpmem(r->mac, 6, MAC1, 6);
    /* ... and to an address that names no MAC: nobody's (a second later:
     * within 0.1 s it would be taken for a copy of the one before) */
    f.t += 1;
    p = s6(&f, MAC1, ADVERTISE6, 0xd10, other_duid, CLI6, URL6);
    memcpy(p.ip6_dst, LL_PRIVACY, 16);
    g_assert_null(feed(&f, &p));
    /* a plain SOLICIT (no PXE signature) of an unknown MAC is not followed */
    static const uint8_t mac3[6] = {0x52, 0x54, 0, 0, 0, 3};
    p = c6(&f, mac3, SOLICIT6, 0xd20, other_duid);
    g_assert_null(feed(&f, &p));
    g_assert_cmpuint(pxe_engine_client_count(f.e), ==, 1);
    pxe_engine_free(f.e);
}

/* ---- (f) - (i) HTTP boot ---- */

static void test_http_boot_ok(void)
{
    feed_t f = fixture();
    pxe_rec_t *ack = dora_http(&f, SERVER2, "http://192.0.2.1/boot.efi");
    g_assert_cmpuint(ack->stage, ==, PXE_STAGE_ACK);
    g_assert_cmpuint(ack->family, ==, PXE_FAMILY_EDK2);
    g_assert_cmphex(ack->tftp_server, ==, SERVER);    /* the URL's host, not option 54 */
    g_assert_cmphex(ack->dhcp_server, ==, SERVER2);
    g_assert_cmphex(pxe_engine_record(f.e, 2)->tftp_server, ==, SERVER);
    g_assert_true(pxe_engine_record(f.e, 2)->offer & PXE_OFFER_NEXT_SERVER);
    g_assert_null(ack->diags);
    g_assert_null(find_diag(&f, PXE_CODE_OFFER_INCOMPLETE, NULL));

    f.t += 0.05;
    g_assert_null(tcp_handshake(&f, 1167));     /* no request yet: nothing to follow */
    pxe_rec_t *get = http_req(&f, 1167, "GET", "/boot.efi");
    g_assert_nonnull(get);
    g_assert_cmpuint(get->stage, ==, PXE_STAGE_HTTP_REQUEST);
    g_assert_cmpmem(get->mac, 6, MAC1, 6);
    g_assert_cmpuint(get->attempt_no, ==, 1);
    g_assert_true(get->tftp_nbp);
    g_assert_cmpstr(get->tftp_file, ==, "/boot.efi");
    g_assert_cmpuint(get->prev_in, ==, ack->frame);
    g_assert_cmpuint(get->tftp_request_in, ==, get->frame);
    f.t += 0.004;
    pxe_rec_t *resp = http_resp(&f, 1167, 200, 10000, HEAD_LEN, 0, 0);
    g_assert_cmpuint(resp->stage, ==, PXE_STAGE_HTTP_RESPONSE);
    g_assert_cmpuint(resp->request_in, ==, get->frame);
    g_assert_cmpuint(get->response_in, ==, resp->frame);
    /* the body: 7 segments, the third sent twice */
    pxe_rec_t *r = NULL;
    uint32_t off[] = {0, 1448, 2896, 4344, 2896, 5792, 7240, 8688};
    for (size_t i = 0; i < G_N_ELEMENTS(off); i++) {
        f.t += 0.0005;
        uint32_t len = 10000 - off[i] < MSS ? 10000 - off[i] : MSS;
        r = http_body(&f, 1167, HEAD_LEN, off[i], len, 0);
        g_assert_cmpuint(r->stage, ==, PXE_STAGE_HTTP_DATA);
        g_assert_cmpuint(r->attempt_no, ==, 1);
        g_assert_true(r->tftp_nbp);
    }
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(r, &x));
    g_assert_true(x.complete);
    g_assert_cmpint(x.status, ==, PXE_XFER_COMPLETE);
    g_assert_cmpuint(x.bytes, ==, 10000);
    g_assert_cmpint(x.tsize, ==, 10000);
    g_assert_cmpuint(x.retransmissions, ==, 1);
    g_assert_cmpuint(x.request_in, ==, get->frame);
    g_assert_cmpstr(x.file, ==, "/boot.efi");
    pxe_rec_t *cack = tcp_ack(&f, 1167);
    g_assert_cmpuint(cack->stage, ==, PXE_STAGE_HTTP_ACK);
    g_assert_true(pxe_rec_transfer(cack, &x));     /* the summary moves to the last frame */
    g_assert_false(pxe_rec_transfer(r, &x));
    g_assert_cmpuint(x.bytes, ==, 10000);
    g_assert_true(has_code(r, PXE_CODE_TFTP_RETRANSMIT));
    g_assert_null(last_verdict(&f, 1, NULL));

    /* the boot program's own DHCP (no PXE signature) gets an address: ok */
    f.t += 3;
    pxe_pkt_t p = dhcp_pkt(&f, MAC1, 1, DISCOVER);
    pxe_rec_t *nd = feed(&f, &p);
    g_assert_cmpuint(nd->phase, ==, 2);
    g_assert_cmpuint(nd->attempt_no, ==, 1);
    p = server_msg(&f, MAC1, OFFER, SERVER2, CLIENT_IP, 0, NULL);
    feed(&f, &p);
    p = dhcp_pkt(&f, MAC1, 1, REQUEST);
    feed(&f, &p);
    p = server_msg(&f, MAC1, ACK, SERVER2, CLIENT_IP, 0, NULL);
    pxe_rec_t *ack2 = feed(&f, &p);
    g_assert_nonnull(ack2->verdicts);
    g_assert_cmpint(ack2->verdicts->outcome, ==, PXE_OUTCOME_OK);
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    pxe_engine_free(f.e);
}

/* OVMF's HEAD (a size probe), then the GET on another connection. */
static void test_http_head_then_get(void)
{
    feed_t f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
    tcp_handshake(&f, 1166);
    pxe_rec_t *head = http_req(&f, 1166, "HEAD", "/boot.efi");
    pxe_rec_t *resp = http_resp(&f, 1166, 200, 4000, HEAD_LEN, 0, 0);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(resp, &x));
    g_assert_cmpint(x.status, ==, PXE_XFER_SIZE_PROBE);
    g_assert_cmpint(x.tsize, ==, 4000);
    g_assert_cmpuint(x.request_in, ==, head->frame);
    pxe_pkt_t p = tcp4(&f, false, 1166, PXE_TCP_FIN | PXE_TCP_ACK, 1 + HEAD_LEN, 0);
    g_assert_null(feed(&f, &p)->diags);    /* closing after a HEAD is no cut */
    pxe_rec_t *last = http_get_ok(&f, 1167, "/boot.efi", 4000);
    g_assert_true(pxe_rec_transfer(last, &x));
    g_assert_true(x.complete);
    g_assert_cmpuint(x.bytes, ==, 4000);
    g_assert_true(last->tftp_nbp);
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    pxe_engine_free(f.e);
}

static void test_http_errors(void)
{
    static const struct {
        uint16_t status;
        pxe_code_t code;
        const char *prefix;
    } cases[] = {
        {404, PXE_CODE_HTTP_404,
         "http-404: HTTP server 192.0.2.1 answers 404 to GET /boot.efi, the boot file itself"},
        {403, PXE_CODE_HTTP_403,
         "http-403: HTTP server 192.0.2.1 answers 403 to GET /boot.efi, the boot file itself"},
        {500, PXE_CODE_HTTP_ERROR, "http-error: HTTP server 192.0.2.1 answers 500 to GET /boot.efi"},
        {410, PXE_CODE_HTTP_ERROR, "http-error: HTTP server 192.0.2.1 answers 410"},
    };
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        feed_t f = fixture();
        dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
        tcp_handshake(&f, 1167);
        http_req(&f, 1167, "GET", "/boot.efi");
        pxe_rec_t *resp = http_resp(&f, 1167, cases[i].status, 153, 130, 0, 0);
        g_assert_true(has_code(resp, cases[i].code));
        g_assert_true(g_str_has_prefix(resp->diags->text, cases[i].prefix));
        g_assert_nonnull(resp->verdicts);
        g_assert_cmpint(resp->verdicts->outcome, ==, PXE_OUTCOME_FAILED);
        g_assert_cmpint(resp->verdicts->code, ==, cases[i].code);
        /* the error page's bytes and the client's reset add nothing */
        pxe_rec_t *b = http_body(&f, 1167, 130, 0, 153, PXE_TCP_PSH);
        g_assert_null(b->diags);
        pxe_pkt_t p = tcp4(&f, true, 1167, PXE_TCP_RST, 90, 0);
        g_assert_null(feed(&f, &p)->diags);
        pxe_xfer_summary_t x;
        g_assert_true(pxe_rec_transfer(pxe_engine_record(f.e, f.frame), &x));
        g_assert_cmpint(x.status, ==, PXE_XFER_FAILED);
        g_assert_cmpint(x.tsize, ==, -1);      /* an error page's length is not the file's */
        g_assert_cmpuint(count_severity(&f, PXE_SEV_ERROR), ==, 1);
        pxe_engine_free(f.e);
    }
}

/* 404 on a name the boot loader only probes for: a note. */
static void test_http_404_probe(void)
{
    feed_t f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/lpxelinux.efi");
    http_get_ok(&f, 1167, "/lpxelinux.efi", 3000);
    f.t += 0.5;
    tcp_handshake(&f, 1168);
    http_req(&f, 1168, "GET", "/pxelinux.cfg/01-52-54-00-00-00-01");
    pxe_rec_t *resp = http_resp(&f, 1168, 404, 153, 130, 0, 0);
    g_assert_true(has_code(resp, PXE_CODE_PROBE_MISS));
    g_assert_false(has_code(resp, PXE_CODE_HTTP_404));
    g_assert_null(resp->verdicts);
    g_assert_true(g_str_has_prefix(resp->diags->text, "probe-miss: 192.0.2.1 answers 404 for "
                                                      "/pxelinux.cfg/01-52-54-00-00-00-01"));
    /* the next request on the same kept-alive connection */
    f.t += 0.01;
    pxe_pkt_t p = tcp4(&f, true, 1168, PXE_TCP_PSH | PXE_TCP_ACK, 90, 89);
    p.http.kind = PXE_HTTP_REQUEST;
    p.http.method = "GET";
    p.http.target = "/pxelinux.cfg/default";
    p.http.head_len = 89;
    p.http.content_length = -1;
    pxe_rec_t *get2 = feed(&f, &p);
    g_assert_cmpuint(get2->stage, ==, PXE_STAGE_HTTP_REQUEST);
    g_assert_cmpstr(get2->tftp_file, ==, "/pxelinux.cfg/default");
    p = tcp4(&f, false, 1168, PXE_TCP_PSH | PXE_TCP_ACK, 1000, 150);
    p.http.kind = PXE_HTTP_RESPONSE;
    p.http.status = 200;
    p.http.content_length = 500;
    p.http.head_len = 150;
    pxe_rec_t *resp2 = feed(&f, &p);
    g_assert_cmpuint(resp2->request_in, ==, get2->frame);
    p = tcp4(&f, false, 1168, PXE_TCP_PSH | PXE_TCP_ACK, 1150, 500);
    pxe_rec_t *body = feed(&f, &p);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(body, &x));
    g_assert_true(x.complete);
    g_assert_cmpuint(x.bytes, ==, 500);
    g_assert_nonnull(body->verdicts);
    g_assert_cmpint(body->verdicts->outcome, ==, PXE_OUTCOME_OK);
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    pxe_engine_free(f.e);
}

static void test_http_cut(void)
{
    static const uint8_t ends[] = {PXE_TCP_RST, PXE_TCP_FIN | PXE_TCP_ACK};
    for (int i = 0; i < 2; i++) {
        feed_t f = fixture();
        dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
        tcp_handshake(&f, 1167);
        http_req(&f, 1167, "GET", "/boot.efi");
        http_resp(&f, 1167, 200, 10000, HEAD_LEN, 0, 0);
        for (uint32_t off = 0; off < 5000; off += 1000)
            http_body(&f, 1167, HEAD_LEN, off, 1000, 0);
        f.t += 5;
        pxe_pkt_t p = tcp4(&f, false, 1167, ends[i], 1 + HEAD_LEN + 5000, 0);
        pxe_rec_t *r = feed(&f, &p);
        g_assert_true(has_code(r, PXE_CODE_HTTP_CUT));
        g_assert_true(g_str_has_prefix(r->diags->text, i == 0 ? "http-cut: the connection to 192.0.2.1 was reset "
                                                                "after 5000 of 10000 bytes of /boot.efi"
                                                              : "http-cut: the connection to 192.0.2.1 closed "
                                                                "after 5000 of 10000 bytes of /boot.efi"));
        g_assert_nonnull(r->verdicts);
        g_assert_cmpint(r->verdicts->outcome, ==, PXE_OUTCOME_FAILED);
        g_assert_cmpint(r->verdicts->code, ==, PXE_CODE_HTTP_CUT);
        pxe_xfer_summary_t x;
        g_assert_true(pxe_rec_transfer(r, &x));
        g_assert_cmpint(x.status, ==, PXE_XFER_FAILED);
        g_assert_cmpuint(x.bytes, ==, 5000);
        pxe_engine_free(f.e);
    }

    /* no Content-Length (HTTP/1.0, close-delimited): the FIN ends it complete */
    feed_t f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
    tcp_handshake(&f, 1167);
    http_req(&f, 1167, "GET", "/boot.efi");
    http_resp(&f, 1167, 200, -1, HEAD_LEN, 0, 0);
    http_body(&f, 1167, HEAD_LEN, 0, 1000, 0);
    pxe_rec_t *r = http_body(&f, 1167, HEAD_LEN, 1000, 700, PXE_TCP_FIN);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(r, &x));
    g_assert_true(x.complete);
    g_assert_cmpuint(x.bytes, ==, 1700);
    g_assert_cmpint(x.tsize, ==, -1);
    g_assert_cmpuint(count_severity(&f, PXE_SEV_WARNING), ==, 0);
    pxe_engine_free(f.e);
}

/* The client's request head sent again (a TCP retransmission, same
 * sequence number, seconds later): the same request, not a second one. */
static void test_http_request_retransmitted(void)
{
    feed_t f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
    tcp_handshake(&f, 1167);
    pxe_rec_t *get = http_req(&f, 1167, "GET", "/boot.efi");
    f.t += 1.0;
    pxe_rec_t *again = http_req(&f, 1167, "GET", "/boot.efi");
    g_assert_cmpuint(again->stage, ==, PXE_STAGE_HTTP_REQUEST);
    http_resp(&f, 1167, 200, 2000, HEAD_LEN, 0, 0);
    http_body(&f, 1167, HEAD_LEN, 0, 1448, 0);
    pxe_rec_t *last = http_body(&f, 1167, HEAD_LEN, 1448, 552, 0);
    pxe_xfer_summary_t x, first;
    g_assert_true(pxe_rec_transfer(last, &x));
    g_assert_true(x.complete);
    bool first_open = pxe_rec_transfer(get, &first) && first.status == PXE_XFER_IN_PROGRESS;
    g_test_message("complete transfer's request_in %u (first GET %u, resent GET %u); first GET the end of an "
                   "open transfer: %d", x.request_in, get->frame, again->frame, first_open);
    bool same_request = x.request_in == get->frame;
    pxe_engine_free(f.e);
    g_assert_false(!same_request || first_open);
}

/* A small file whose head and body come in one segment (nginx, Apache
 * with a short file), the server closing the connection in it or after. */
static void test_http_small_file_one_segment(void)
{
    feed_t f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/lpxelinux.efi");
    http_get_ok(&f, 1167, "/lpxelinux.efi", 3000);
    tcp_handshake(&f, 1168);
    http_req(&f, 1168, "GET", "/pxelinux.cfg/default");
    pxe_rec_t *resp = http_resp(&f, 1168, 200, 300, 160, 300, 0);
    pxe_xfer_summary_t x;
    bool summary = pxe_rec_transfer(resp, &x);
    bool complete_at_once = summary && x.complete && x.bytes == 300;
    pxe_pkt_t p = tcp4(&f, false, 1168, PXE_TCP_FIN | PXE_TCP_ACK, 1 + 460, 0);
    pxe_rec_t *fin = feed(&f, &p);
    bool cut = has_code(fin, PXE_CODE_HTTP_CUT);
    g_test_message("after the head+body segment: summary %d, status \"%s\", bytes %" G_GUINT64_FORMAT
                   "; after the FIN: http-cut %d%s%s", summary, summary ? pxe_xfer_status_name(x.status) : "",
                   summary ? x.bytes : 0, cut, cut ? ", " : "", cut ? fin->diags->text : "");
    pxe_engine_free(f.e);
    g_assert_false(!complete_at_once || cut);
    g_assert_false(cut);
}

/* A head split over two segments: the second one's head bytes are no body. */
static void test_http_head_split(void)
{
    feed_t f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
    tcp_handshake(&f, 1167);
    http_req(&f, 1167, "GET", "/boot.efi");
    /* 100 bytes of head without its blank line (head_len -1) */
    pxe_pkt_t p = tcp4(&f, false, 1167, PXE_TCP_ACK, 1, 100);
    p.http.kind = PXE_HTTP_RESPONSE;
    p.http.status = 200;
    p.http.content_length = 1000;
    p.http.head_len = -1;
    feed(&f, &p);
    /* the rest of the head (26 bytes, its blank line last) and 500 body
     * bytes; then 490 more */
    static uint8_t rest[526];
    memset(rest, 'x', sizeof rest);
    memcpy(rest + 22, "\r\n\r\n", 4);
    p = tcp4(&f, false, 1167, PXE_TCP_ACK, 101, 526);
    p.tcp.payload = rest;
    p.tcp.payload_caplen = sizeof rest;
    feed(&f, &p);
    p = tcp4(&f, false, 1167, PXE_TCP_ACK, 627, 490);
    pxe_rec_t *r = feed(&f, &p);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(r, &x));
    uint64_t bytes = x.bytes;
    bool complete = x.complete;
    /* the server resets with 10 body bytes missing */
    p = tcp4(&f, false, 1167, PXE_TCP_RST, 1117, 0);
    bool cut = has_code(feed(&f, &p), PXE_CODE_HTTP_CUT);
    g_test_message("after 990 body bytes: complete %d, bytes %" G_GUINT64_FORMAT "; http-cut on the RST %d",
                   complete, bytes, cut);
    pxe_engine_free(f.e);
    g_assert_false(complete || bytes != 990 || !cut);
}

/* A redirect is not the boot file. */
static void test_http_client_gives_up(void)
{
    /* a stalled window: half the body, then the client resets */
    feed_t f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
    tcp_handshake(&f, 1167);
    http_req(&f, 1167, "GET", "/boot.efi");
    http_resp(&f, 1167, 200, 4000, HEAD_LEN, 0, 0);
    http_body(&f, 1167, HEAD_LEN, 0, 2000, 0);
    f.t += 30.0;
    pxe_pkt_t p = tcp4(&f, true, 1167, PXE_TCP_RST, 90, 0);
    pxe_rec_t *r = feed(&f, &p);
    g_assert_true(has_code(r, PXE_CODE_HTTP_CUT));
    g_assert_nonnull(strstr(r->diags->text, "stalled window"));
    g_assert_cmpint(last_verdict(&f, 1, NULL)->outcome, ==, PXE_OUTCOME_FAILED);
    pxe_engine_free(f.e);

    /* no answer at all: the client closes */
    f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
    tcp_handshake(&f, 1168);
    http_req(&f, 1168, "GET", "/boot.efi");
    f.t += 60.0;
    p = tcp4(&f, true, 1168, PXE_TCP_FIN | PXE_TCP_ACK, 90, 0);
    r = feed(&f, &p);
    g_assert_true(has_code(r, PXE_CODE_HTTP_CUT));
    g_assert_nonnull(strstr(r->diags->text, "no answer"));
    pxe_engine_free(f.e);
}

static void test_https_sizes_only(void)
{
    feed_t f = fixture();
    dora_http(&f, SERVER, "https://192.0.2.1/boot.efi");
    pxe_pkt_t p = tcp4(&f, true, 1200, PXE_TCP_SYN, 0, 0);
    p.dport = 443;
    pxe_rec_t *syn = feed(&f, &p);
    g_assert_cmpuint(syn->stage, ==, PXE_STAGE_HTTP_REQUEST);
    g_assert_true(has_code(syn, PXE_CODE_HTTPS_SIZES));
    /* the server's encrypted bytes: two segments, one sent twice */
    for (unsigned i = 0; i < 3; i++) {
        p = tcp4(&f, false, 1200, PXE_TCP_ACK, 5000 + (i == 2 ? 0 : i) * 1000, 1000);
        p.sport = 443;
        feed(&f, &p);
    }
    p = tcp4(&f, false, 1200, PXE_TCP_FIN | PXE_TCP_ACK, 7000, 0);
    p.sport = 443;
    pxe_rec_t *fin = feed(&f, &p);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(fin, &x));
    g_assert_true(x.complete);
    g_assert_cmpuint(x.bytes, ==, 2000);
    g_assert_cmpuint(x.retransmissions, ==, 1);
    pxe_engine_free(f.e);

    /* TCP to 443 from a client whose boot file is no https URL: not followed */
    f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
    p = tcp4(&f, true, 1201, PXE_TCP_SYN, 0, 0);
    p.dport = 443;
    g_assert_null(feed(&f, &p));
    pxe_engine_free(f.e);
}

static void test_http_redirect_not_the_file(void)
{
    feed_t f = fixture();
    dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
    tcp_handshake(&f, 1167);
    http_req(&f, 1167, "GET", "/boot.efi");
    http_resp(&f, 1167, 302, 145, 200, 0, 0);
    pxe_rec_t *r = http_body(&f, 1167, 200, 0, 145, PXE_TCP_PSH);
    pxe_xfer_summary_t x;
    g_assert_true(pxe_rec_transfer(r, &x));
    bool complete = x.complete;
    g_test_message("302 with a 145-byte body: status \"%s\", bytes %" G_GUINT64_FORMAT ", tsize %" G_GINT64_FORMAT
                   ", nbp %d", pxe_xfer_status_name(x.status), x.bytes, x.tsize, r->tftp_nbp);
    /* the client follows the Location: the real boot file arrives, and
     * nothing yet shows that it runs */
    http_get_ok(&f, 1168, "/real/boot.efi", 3000);
    const pxe_verdict_t *v = last_verdict(&f, 1, NULL);
    g_test_message("after the redirected GET arrived complete: verdict %s%s%s",
                   v ? pxe_outcome_name(v->outcome) : "none", v ? ", " : "", v ? v->reason : "");
    complete = complete || v != NULL;
    pxe_engine_free(f.e);
    g_assert_false(complete);
    g_assert_cmpint(x.status, !=, PXE_XFER_COMPLETE);
    g_assert_null(v);
}

static void test_tcp_unrelated(void)
{
    feed_t f = fixture();
    /* before any client */
    pxe_pkt_t p = tcp4(&f, true, 1167, PXE_TCP_PSH | PXE_TCP_ACK, 1, 89);
    p.http.kind = PXE_HTTP_REQUEST;
    p.http.method = "GET";
    p.http.target = "/boot.efi";
    g_assert_null(feed(&f, &p));
    dora_http(&f, SERVER, "http://192.0.2.1/boot.efi");
    /* between two hosts no client was given */
    static const uint32_t a = IP(198, 51, 100, 7), b = IP(198, 51, 100, 8);
    p = tcp4(&f, true, 40000, PXE_TCP_PSH | PXE_TCP_ACK, 1, 89);
    p.ip_src = a;
    p.ip_dst = b;
    p.http.kind = PXE_HTTP_REQUEST;
    p.http.method = "GET";
    p.http.target = "/boot.efi";
    g_assert_null(feed(&f, &p));
    p = tcp4(&f, false, 40000, PXE_TCP_PSH | PXE_TCP_ACK, 1, 300);
    p.ip_src = b;
    p.ip_dst = a;
    p.http.kind = PXE_HTTP_RESPONSE;
    p.http.status = 404;
    g_assert_null(feed(&f, &p));
    /* IPv6 TCP of unknown addresses (the hook leaves ip_src/ip_dst 0) */
    p = v6_pkt(&f, PXE_PKT_TCP, SRV6, CLI6);
    p.ip_src = p.ip_dst = 0;
    p.sport = 80;
    p.dport = 1000;
    p.tcp.payload_len = 100;
    p.http.kind = PXE_HTTP_RESPONSE;
    p.http.status = 404;
    p.http.content_length = -1;
    p.http.head_len = -1;
    g_assert_null(feed(&f, &p));
    /* the client's own TCP before any HTTP request, and a server segment of
     * a connection with no request: nothing to follow */
    g_assert_null(tcp_handshake(&f, 1200));
    p = tcp4(&f, false, 1200, PXE_TCP_ACK, 1, 1000);
    g_assert_null(feed(&f, &p));
    g_assert_cmpuint(count_severity(&f, PXE_SEV_NOTE), ==, 0);
    pxe_engine_free(f.e);
}

/* HTTP boot over IPv6: the client's TCP from its DHCPv6 address. */
static void test_http_over_v6(void)
{
    feed_t f = fixture();
    pxe_pkt_t p = c6(&f, MAC1, SOLICIT6, 0xe00, DUID_EDK2);
    p.dhcp.vendor_class = VC_HTTP;
    p.dhcp.has_arch = true;
    p.dhcp.arch = 16;
    feed(&f, &p);
    p = s6(&f, MAC1, ADVERTISE6, 0xe00, DUID_EDK2, CLI6, "http://[2001:db8::1]/boot.efi");
    p.dhcp.vendor_class = "HTTPClient";
    feed(&f, &p);
    p = c6(&f, MAC1, REQUEST6, 0xe01, DUID_EDK2);
    p.dhcp.vendor_class = VC_HTTP;
    p.dhcp.has_arch = true;
    p.dhcp.arch = 16;
    feed(&f, &p);
    p = s6(&f, MAC1, REPLY6, 0xe01, DUID_EDK2, CLI6, "http://[2001:db8::1]/boot.efi");
    pxe_rec_t *rep = feed(&f, &p);
    assert_addr6(&f, rep->tftp_server, SRV6, "2001:db8::1");
    g_assert_null(rep->diags);
    p = v6_pkt(&f, PXE_PKT_TCP, CLI6, SRV6);
    p.ip_src = p.ip_dst = 0;
    p.sport = 1167;
    p.dport = 80;
    p.tcp.seq = 1;
    p.tcp.flags = PXE_TCP_PSH | PXE_TCP_ACK;
    p.tcp.payload_len = 89;
    p.http.kind = PXE_HTTP_REQUEST;
    p.http.method = "GET";
    p.http.target = "/boot.efi";
    p.http.content_length = -1;
    p.http.head_len = 89;
    pxe_rec_t *get = feed(&f, &p);
    g_assert_nonnull(get);
    g_assert_true(get->tftp_nbp);
    g_assert_cmpmem(get->mac, 6, MAC1, 6);
    p = v6_pkt(&f, PXE_PKT_TCP, SRV6, CLI6);
    p.ip_src = p.ip_dst = 0;
    p.sport = 80;
    p.dport = 1167;
    p.tcp.seq = 1;
    p.tcp.flags = PXE_TCP_PSH | PXE_TCP_ACK;
    p.tcp.payload_len = HEAD_LEN;
    p.http.kind = PXE_HTTP_RESPONSE;
    p.http.status = 404;
    p.http.content_length = 153;
    p.http.head_len = HEAD_LEN;
    pxe_rec_t *resp = feed(&f, &p);
    g_assert_true(has_code(resp, PXE_CODE_HTTP_404));
    g_assert_true(g_str_has_prefix(resp->diags->text,
                                   "http-404: HTTP server 2001:db8::1 answers 404 to GET /boot.efi"));
    pxe_engine_free(f.e);
}

/* ---- (j) url-to-pxe ---- */

static void test_url_to_pxe(void)
{
    feed_t f = fixture();
    pxe_rec_t *ack = dora4(&f, 7, false, SERVER, "http://x/boot.efi");
    g_assert_true(has_code(ack, PXE_CODE_URL_TO_PXE));
    g_assert_true(g_str_has_prefix(ack->diags->text, "url-to-pxe: the PXE client (vendor class PXEClient) is "
                                                     "handed the URL http://x/boot.efi"));
    g_assert_cmpint(ack->verdicts->outcome, ==, PXE_OUTCOME_FAILED);
    g_assert_cmpint(ack->verdicts->code, ==, PXE_CODE_URL_TO_PXE);
    pxe_engine_free(f.e);

    /* https as well; not tftp:// */
    f = fixture();
    g_assert_true(has_code(dora4(&f, 7, false, SERVER, "https://x/boot.efi"), PXE_CODE_URL_TO_PXE));
    pxe_engine_free(f.e);
    f = fixture();
    g_assert_null(dora4(&f, 7, false, SERVER, "tftp://192.0.2.1/boot.efi")->diags);
    pxe_engine_free(f.e);
    /* iPXE (user class) fetches URLs */
    f = fixture();
    g_assert_null(dora4(&f, 7, true, SERVER, "http://x/boot.efi")->diags);
    pxe_engine_free(f.e);
    /* HTTPClient is HTTP boot */
    f = fixture();
    g_assert_null(dora_http(&f, SERVER, "http://x/boot.efi")->diags);
    pxe_engine_free(f.e);
    /* a PXEClient over DHCPv6 handed an http:// URL */
    f = fixture();
    pxe_rec_t *rep = sarr_edk2(&f, 0xf00, "http://[2001:db8::1]/boot.efi");
    g_assert_true(has_code(rep, PXE_CODE_URL_TO_PXE));
    pxe_engine_free(f.e);
}

/* ---- (k) WDS ---- */

static void test_wds_abort(void)
{
    feed_t f = fixture();
    pxe_rec_t *ack = dora4(&f, 0, false, SERVER, "boot\\x64\\abortpxe.com");
    g_assert_true(has_code(ack, PXE_CODE_WDS_ABORT));
    g_assert_true(g_str_has_prefix(ack->diags->text,
                                   "wds-abort: 192.0.2.1 hands the client boot\\x64\\abortpxe.com"));
    g_assert_cmpint(ack->verdicts->outcome, ==, PXE_OUTCOME_FAILED);
    g_assert_cmpint(ack->verdicts->code, ==, PXE_CODE_WDS_ABORT);
    pxe_engine_free(f.e);

    /* from the proxyDHCP port 4011 (ConfigMgr without a deployment) */
    f = fixture();
    pxe_pkt_t p = client_msg(&f, MAC1, DISCOVER, 0, false);
    feed(&f, &p);
    p = server_msg(&f, MAC1, OFFER, SERVER, CLIENT_IP, 0, NULL);
    feed(&f, &p);
    p = server_msg(&f, MAC1, OFFER, SERVER2, 0, SERVER2, "smsboot\\x64\\wdsnbp.com");
    p.dhcp.vendor_class = "PXEClient";
    feed(&f, &p);
    p = client_msg(&f, MAC1, REQUEST, 0, false);
    p.dhcp.has_server_id = true;
    p.dhcp.server_id = SERVER;
    feed(&f, &p);
    p = server_msg(&f, MAC1, ACK, SERVER, CLIENT_IP, 0, NULL);
    g_assert_null(feed(&f, &p)->diags);
    p = client_msg(&f, MAC1, REQUEST, 0, false);
    p.ip_src = CLIENT_IP;
    p.ip_dst = SERVER2;
    p.dport = 4011;
    p.dhcp.ciaddr = CLIENT_IP;
    feed(&f, &p);
    p = server_msg(&f, MAC1, ACK, SERVER2, CLIENT_IP, SERVER2, "smsboot\\x64\\abortpxe.com");
    p.sport = 4011;
    p.ip_dst = CLIENT_IP;
    pxe_rec_t *pack = feed(&f, &p);
    g_assert_cmpuint(pack->stage, ==, PXE_STAGE_PROXY_ACK);
    g_assert_true(has_code(pack, PXE_CODE_WDS_ABORT));
    g_assert_cmpint(pack->verdicts->code, ==, PXE_CODE_WDS_ABORT);
    pxe_engine_free(f.e);

    /* a file that only ends like it is no abort */
    f = fixture();
    g_assert_false(has_code(dora4(&f, 0, false, SERVER, "boot\\x64\\noabortpxe.com"), PXE_CODE_WDS_ABORT));
    pxe_engine_free(f.e);
}

/* wdsnbp's 4011 request and WDS's answer with option 250. */
static pxe_rec_t *wds_reply(feed_t *f, uint8_t next_action, bool done)
{
    dora4(f, 0, false, SERVER, "boot\\x86\\wdsnbp.com");
    f->t += 0.5;
    pxe_pkt_t p = tftp_pkt(f, true, 2000, 69, RRQ);
    p.tftp.file = "boot\\x86\\wdsnbp.com";
    feed(f, &p);
    p = tftp_pkt(f, false, 2000, 64001, DATA);
    p.tftp.block = 1;
    p.tftp.data_len = 100;
    feed(f, &p);
    p = tftp_pkt(f, true, 2000, 64001, TACK);
    p.tftp.block = 1;
    feed(f, &p);
    f->t += 0.3;
    p = client_msg(f, MAC1, REQUEST, 0, false);
    p.ip_src = CLIENT_IP;
    p.ip_dst = SERVER;
    p.dport = 4011;
    p.dhcp.ciaddr = CLIENT_IP;
    p.dhcp.xid = 0x5678;
    feed(f, &p);
    p = server_msg(f, MAC1, ACK, SERVER, CLIENT_IP, SERVER, "boot\\x64\\pxeboot.n12");
    p.sport = 4011;
    p.ip_dst = CLIENT_IP;
    p.dhcp.xid = 0x5678;
    p.dhcp.wds_next_action = next_action;
    p.dhcp.wds_request_id = 12;
    p.dhcp.wds_action_done = done;
    return feed(f, &p);
}

static void test_wds_pending(void)
{
    feed_t f = fixture();
    pxe_rec_t *r = wds_reply(&f, 1, false);
    g_assert_true(has_code(r, PXE_CODE_WDS_PENDING));
    g_assert_cmpint(pxe_code_info(PXE_CODE_WDS_PENDING)->severity, ==, PXE_SEV_WARNING);
    g_assert_true(g_str_has_prefix(r->diags->text, "wds-pending-approval: WDS 192.0.2.1 holds this computer "
                                                   "pending approval (option 250 NextAction 1, request ID 12)"));
    g_assert_null(r->verdicts);      /* a warning decides nothing */
    g_assert_cmpuint(count_severity(&f, PXE_SEV_ERROR), ==, 0);
    pxe_engine_free(f.e);

    f = fixture();
    r = wds_reply(&f, 1, true);
    g_assert_false(has_code(r, PXE_CODE_WDS_PENDING));
    g_assert_null(find_diag(&f, PXE_CODE_WDS_PENDING, NULL));
    pxe_engine_free(f.e);

    /* NextAction referral (3) is no pending approval */
    f = fixture();
    r = wds_reply(&f, 3, false);
    g_assert_null(find_diag(&f, PXE_CODE_WDS_PENDING, NULL));
    pxe_engine_free(f.e);
}

/* ---- (l) PXE-E7B ---- */

/* DORA of a PXE ROM (no iPXE) or iPXE with siaddr 0 and option 66 or none. */
static pxe_rec_t *dora_no_siaddr(feed_t *f, bool ipxe, const char *opt66)
{
    pxe_pkt_t p = client_msg(f, MAC1, DISCOVER, 0, ipxe);
    feed(f, &p);
    p = server_msg(f, MAC1, OFFER, SERVER, CLIENT_IP, 0, "pxelinux.0");
    p.dhcp.tftp_server_name = opt66;
    feed(f, &p);
    f->t += 1;
    p = client_msg(f, MAC1, REQUEST, 0, ipxe);
    p.dhcp.has_server_id = true;
    p.dhcp.server_id = SERVER;
    feed(f, &p);
    p = server_msg(f, MAC1, ACK, SERVER, CLIENT_IP, 0, "pxelinux.0");
    p.dhcp.tftp_server_name = opt66;
    return feed(f, &p);
}

static void test_e7b(void)
{
    /* no siaddr, no option 66: at once */
    feed_t f = fixture();
    pxe_rec_t *ack = dora_no_siaddr(&f, false, NULL);
    g_assert_true(has_code(ack, PXE_CODE_E7B));
    g_assert_true(g_str_has_prefix(ack->diags->text, "PXE-E7B: ACK from 192.0.2.1 names pxelinux.0 but no TFTP "
                                                     "server: siaddr is 0.0.0.0 and there is no option 66"));
    g_assert_cmpint(ack->verdicts->code, ==, PXE_CODE_E7B);
    g_assert_true(has_code(pxe_engine_record(f.e, 2), PXE_CODE_OFFER_INCOMPLETE));
    pxe_engine_free(f.e);

    /* option 66 only, the ROM fetches from it: fine */
    f = fixture();
    ack = dora_no_siaddr(&f, false, "192.0.2.2");
    g_assert_null(ack->diags);
    g_assert_null(pxe_engine_record(f.e, 2)->diags);      /* option 66 is a next server */
    f.t += 0.5;
    pxe_pkt_t p = tftp_pkt(&f, true, 2000, 69, RRQ);
    p.ip_dst = SERVER2;
    p.tftp.file = "pxelinux.0";
    pxe_rec_t *rrq = feed(&f, &p);
    g_assert_true(rrq->tftp_nbp);
    /* (the RRQ stays unanswered: PXE-E32 then, which is not the point here) */
    pxe_engine_tick(f.e, ++f.frame, f.t + 30);
    g_assert_null(find_diag(&f, PXE_CODE_E7B, NULL));
    g_assert_nonnull(find_diag(&f, PXE_CODE_E32, NULL));
    pxe_engine_free(f.e);

    /* option 66 only, and the ROM fetches nothing: decided by time */
    f = fixture();
    ack = dora_no_siaddr(&f, false, "192.0.2.2");
    double t_ack = f.t;
    g_assert_null(pxe_engine_tick(f.e, ++f.frame, t_ack + 10));
    pxe_rec_t *r = pxe_engine_tick(f.e, ++f.frame, t_ack + 30);
    g_assert_nonnull(r);
    g_assert_true(has_code(r, PXE_CODE_E7B));
    g_assert_true(g_str_has_prefix(r->diags->text, "PXE-E7B: ACK from 192.0.2.1 names pxelinux.0 but gives the "
                                                   "TFTP server only as option 66, and the client fetched "
                                                   "nothing within 30 s"));
    g_assert_cmpuint(r->diags->frames[0], ==, ack->frame);
    g_assert_cmpuint(r->diags->attempt, ==, 1);
    g_assert_nonnull(r->verdicts);
    g_assert_cmpint(r->verdicts->code, ==, PXE_CODE_E7B);
    pxe_engine_free(f.e);

    /* option 66 only, and the ROM starts DHCP over: E7B for attempt 1 */
    f = fixture();
    dora_no_siaddr(&f, false, "192.0.2.2");
    f.t += 5;
    p = client_msg(&f, MAC1, DISCOVER, 0, false);
    p.dhcp.xid = 0x9999;
    r = feed(&f, &p);
    g_assert_true(has_code(r, PXE_CODE_E7B));
    g_assert_cmpuint(r->diags->attempt, ==, 1);
    g_assert_cmpuint(r->attempt_no, ==, 2);
    pxe_engine_free(f.e);

    /* iPXE ignores option 66: at once */
    f = fixture();
    ack = dora_no_siaddr(&f, true, "192.0.2.2");
    g_assert_true(has_code(ack, PXE_CODE_E7B));
    g_assert_nonnull(strstr(ack->diags->text, "(iPXE does not use option 66)"));
    pxe_engine_free(f.e);

    /* EDK2 falls back to the DHCP server: no E7B */
    f = fixture();
    ack = dora4(&f, 7, false, 0, "snponly.efi");
    g_assert_false(has_code(ack, PXE_CODE_E7B));
    g_assert_cmphex(ack->tftp_server, ==, SERVER);
    pxe_engine_free(f.e);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/engine_v6/pxe6/boot-ok", test_v6_pxe_boot_ok);
    g_test_add_func("/engine_v6/pxe6/nbp-missing", test_v6_pxe_nbp_missing);
    g_test_add_func("/engine_v6/pxe6/stack-exchange-apart", test_v6_stack_exchange_apart);
    g_test_add_func("/engine_v6/pxe6/request-resent", test_v6_request_resent);
    g_test_add_func("/engine_v6/pxe6/client-identity", test_v6_client_identity);
    g_test_add_func("/engine_v6/pxe6/release-reply", test_release_reply);
    g_test_add_func("/engine_v6/dual/v4-unanswered", test_dual_stack_v4_unanswered);
    g_test_add_func("/engine_v6/dual/v6-unanswered", test_dual_stack_v6_unanswered);
    g_test_add_func("/engine_v6/dual/v4-acked-first", test_dual_stack_v4_acked_first);
    g_test_add_func("/engine_v6/dual/firmware-v4-then-v6", test_firmware_v4_then_v6);
    g_test_add_func("/engine_v6/http/boot-ok", test_http_boot_ok);
    g_test_add_func("/engine_v6/http/client-gives-up", test_http_client_gives_up);
    g_test_add_func("/engine_v6/http/https-sizes", test_https_sizes_only);
    g_test_add_func("/engine_v6/http/head-then-get", test_http_head_then_get);
    g_test_add_func("/engine_v6/http/errors", test_http_errors);
    g_test_add_func("/engine_v6/http/404-probe", test_http_404_probe);
    g_test_add_func("/engine_v6/http/cut", test_http_cut);
    g_test_add_func("/engine_v6/http/request-retransmitted", test_http_request_retransmitted);
    g_test_add_func("/engine_v6/http/small-file-one-segment", test_http_small_file_one_segment);
    g_test_add_func("/engine_v6/http/head-split", test_http_head_split);
    g_test_add_func("/engine_v6/http/redirect", test_http_redirect_not_the_file);
    g_test_add_func("/engine_v6/http/unrelated-tcp", test_tcp_unrelated);
    g_test_add_func("/engine_v6/http/over-v6", test_http_over_v6);
    g_test_add_func("/engine_v6/url-to-pxe", test_url_to_pxe);
    g_test_add_func("/engine_v6/wds/abort", test_wds_abort);
    g_test_add_func("/engine_v6/wds/pending", test_wds_pending);
    g_test_add_func("/engine_v6/e7b", test_e7b);
    return g_test_run();
}
