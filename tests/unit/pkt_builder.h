/* pkt_builder.h - build pxe_pkt_t values for the engine's unit tests, the
 * way the plugin would from a real capture.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PKT_BUILDER_H
#define PKT_BUILDER_H

#include <string.h>

#include "pxe_engine.h"

#define IP(a, b, c, d) (((uint32_t)(a) << 24) | ((uint32_t)(b) << 16) | ((uint32_t)(c) << 8) | (uint32_t)(d))
#define SERVER IP(192, 0, 2, 1)
#define SERVER2 IP(192, 0, 2, 2)
#define CLIENT_IP IP(192, 0, 2, 100)

static const uint8_t MAC1[6] = {0x52, 0x54, 0x00, 0x00, 0x00, 0x01};
static const uint8_t MAC2[6] = {0x52, 0x54, 0x00, 0x00, 0x00, 0x02};

typedef struct {
    pxe_engine_t *e;
    uint32_t frame;
    double t;
} feed_t;

/* The next frame of the feed, of this kind, at the feed's time. */
static inline pxe_pkt_t new_pkt(feed_t *f, pxe_pkt_kind_t kind)
{
    pxe_pkt_t p;
    memset(&p, 0, sizeof p);
    p.frame = ++f->frame;
    p.ts = f->t;
    p.kind = kind;
    return p;
}

static inline pxe_pkt_t dhcp_pkt(feed_t *f, const uint8_t mac[6], uint8_t op, uint8_t msg)
{
    pxe_pkt_t p = new_pkt(f, PXE_PKT_DHCP);
    p.has_eth = true;
    memcpy(p.eth_src, mac, 6);
    p.dhcp.op = op;
    p.dhcp.msg_type = msg;
    p.dhcp.xid = 0x1234;
    memcpy(p.dhcp.chaddr, mac, 6);
    if (op == 1) {
        p.sport = 68;
        p.dport = 67;
        p.ip_dst = 0xffffffff;
    } else {
        p.sport = 67;
        p.dport = 68;
        p.ip_src = SERVER;
        p.ip_dst = 0xffffffff;
    }
    return p;
}

/* A PXE client message: option 60 PXEClient and option 93. */
static inline pxe_pkt_t client_msg(feed_t *f, const uint8_t mac[6], uint8_t msg, uint16_t arch, bool ipxe)
{
    pxe_pkt_t p = dhcp_pkt(f, mac, 1, msg);
    p.dhcp.vendor_class = arch ? "PXEClient:Arch:00007:UNDI:003016" : "PXEClient:Arch:00000:UNDI:002001";
    p.dhcp.has_arch = true;
    p.dhcp.arch = arch;
    p.dhcp.ipxe = ipxe;
    return p;
}

static inline pxe_pkt_t server_msg(feed_t *f, const uint8_t mac[6], uint8_t msg, uint32_t server,
                                   uint32_t yiaddr, uint32_t siaddr, const char *file)
{
    pxe_pkt_t p = dhcp_pkt(f, mac, 2, msg);
    p.ip_src = server;
    p.dhcp.has_server_id = true;
    p.dhcp.server_id = server;
    p.dhcp.yiaddr = yiaddr;
    p.dhcp.siaddr = siaddr;
    p.dhcp.bootfile = file;
    return p;
}

static inline pxe_pkt_t tftp_pkt(feed_t *f, bool from_client, uint16_t cport, uint16_t sport, uint16_t opcode)
{
    pxe_pkt_t p = new_pkt(f, PXE_PKT_TFTP);
    p.tftp.opcode = opcode;
    p.tftp.opt_tsize = p.tftp.opt_blksize = p.tftp.opt_windowsize = -1;
    if (from_client) {
        p.ip_src = CLIENT_IP;
        p.ip_dst = SERVER;
        p.sport = cport;
        p.dport = sport;
    } else {
        p.ip_src = SERVER;
        p.ip_dst = CLIENT_IP;
        p.sport = sport;
        p.dport = cport;
    }
    return p;
}

static inline pxe_pkt_t arp_pkt(feed_t *f, uint16_t op, const uint8_t *sha, uint32_t spa, uint32_t tpa)
{
    pxe_pkt_t p = new_pkt(f, PXE_PKT_ARP);
    p.arp.opcode = op;
    memcpy(p.arp.sha, sha, 6);
    p.arp.spa = spa;
    p.arp.tpa = tpa;
    return p;
}

static inline pxe_rec_t *feed(feed_t *f, const pxe_pkt_t *p)
{
    return pxe_engine_packet(f->e, p);
}

static inline bool has_code(const pxe_rec_t *r, pxe_code_t code)
{
    for (const pxe_diag_t *d = r ? r->diags : NULL; d; d = d->next)
        if (d->code == code)
            return true;
    return false;
}

#endif
