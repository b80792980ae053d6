/* pxe_dhcp6.c - what DHCPv6 needs beyond the DHCP rules it shares with
 * DHCPv4 (pxe_dhcp.c): which client a message is about when the message
 * names it only by a DUID, and the REPLYs that merely confirm a RELEASE.
 *
 * UEFI firmware runs two DHCPv6 clients with one DUID: its IPv6 stack's
 * (plain, for an address) and the PXE driver's (vendor class PXEClient,
 * option 61).  The stack's exchanges during the firmware's PXE are kept
 * apart so they neither end the PXE exchange nor start a phase.
 *
 * A client is its MAC across both families.  DHCPv6 carries no chaddr, so
 * the MAC comes from, in order: the frame's Ethernet source (a client's own
 * message, not relayed), the relay's client link-layer address (RFC 6939)
 * or its link-local peer address, a DUID-LL/LLT, the DUID seen before in
 * one of the client's own messages, and for a server's reply the EUI-64 of
 * its link-local destination.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"
#include "pxe_wire.h"

#include <string.h>

/* DUIDs remembered at most: two or three per client are normal. */
#define DUID_MAX (4u * PXE_MAX_CLIENTS_DEFAULT)

static guint64 duid_key(const pxe_dhcp_t *d)
{
    return pxe_digest(d->duid, d->duid_len);
}

static void learn_duid(pxe_engine_t *e, const pxe_dhcp_t *d, const uint8_t mac[6])
{
    if (!d->duid_len || g_hash_table_size(e->by_duid) >= DUID_MAX)
        return;
    guint64 *k = g_new(guint64, 1);
    guint64 *v = g_new0(guint64, 1);
    *k = duid_key(d);
    memcpy(v, mac, 6);
    g_hash_table_replace(e->by_duid, k, v);
}

static bool known_duid(pxe_engine_t *e, const pxe_dhcp_t *d, uint8_t mac[6])
{
    if (!d->duid_len)
        return false;
    guint64 k = duid_key(d);
    const guint64 *v = g_hash_table_lookup(e->by_duid, &k);
    if (v)
        memcpy(mac, v, 6);
    return v != NULL;
}

static bool message_mac(pxe_engine_t *e, const pxe_pkt_t *p, uint8_t mac[6])
{
    const pxe_dhcp_t *d = &p->dhcp;
    if (d->op == 1 && p->has_eth && !d->relayed6) {
        memcpy(mac, p->eth_src, 6);
        return true;
    }
    if (!d->chaddr_unknown) {
        memcpy(mac, d->chaddr, 6);
        return true;
    }
    if (known_duid(e, d, mac))
        return true;
    return d->op == 2 && p->ipv6 && pxe_wire_eui64_mac(p->ip6_dst, mac);
}

pxe_client_t *pxe_dhcp6_client(pxe_engine_t *e, const pxe_pkt_t *p, bool create)
{
    uint8_t mac[6];
    if (!message_mac(e, p, mac))
        return NULL;
    pxe_client_t *c = pxe_client_get(e, mac, create);
    if (c && p->dhcp.op == 1)
        learn_duid(e, &p->dhcp, mac);
    return c;
}

bool pxe_dhcp6_bookkeeping(pxe_client_t *c, const pxe_pkt_t *p)
{
    const pxe_dhcp_t *d = &p->dhcp;
    if (d->op == 1) {
        bool release = d->msg6 == 8 || d->msg6 == 9;    /* RELEASE, DECLINE */
        if (release) {
            c->has_release6 = true;
            c->release6_xid = d->xid;
        }
        return false;
    }
    return c->has_release6 && d->xid == c->release6_xid;
}

bool pxe_dhcp6_stack_exchange(pxe_client_t *c, const pxe_pkt_t *p)
{
    const pxe_dhcp_t *d = &p->dhcp;
    if (d->op == 2)
        return c->has_stack6 && d->xid == c->stack6_xid;
    const pxe_attempt_t *a = c->attempt;
    bool firmware = c->family == PXE_FAMILY_EDK2 && a && a->phase == 1 && !(a->nbp && a->nbp->complete);
    if (!firmware || pxe_dhcp_signed(d))
        return false;
    c->has_stack6 = true;
    c->stack6_xid = d->xid;
    return true;
}
