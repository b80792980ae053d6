/* pxe_addr.c - addresses in the boot model: IPv4 addresses are themselves,
 * IPv6 addresses are interned into 24-bit handles that live in 0.0.0.0/8, so
 * every table keyed by address (clients, transfers, offers) serves both
 * families with one 32-bit key (see pxe_engine.h).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"
#include "pxe_files.h"

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

static guint addr6_hash(gconstpointer k)
{
    const uint8_t *a = k;
    guint h = 2166136261u;
    for (int i = 0; i < 16; i++)
        h = (h ^ a[i]) * 16777619u;
    return h;
}

static gboolean addr6_equal(gconstpointer a, gconstpointer b)
{
    return memcmp(a, b, 16) == 0;
}

uint32_t pxe_addr6(pxe_engine_t *e, const uint8_t a[16])
{
    return pxe_addr6_find(e, a, true);
}

uint32_t pxe_addr6_find(pxe_engine_t *e, const uint8_t a[16], bool create)
{
    static const uint8_t zero[16];
    if (memcmp(a, zero, 16) == 0 || (!create && !e->addr6_index))
        return 0;
    if (!e->addr6_index) {
        e->addr6_index = g_hash_table_new(addr6_hash, addr6_equal);
        e->addr6 = g_ptr_array_new();
    }
    gpointer h = g_hash_table_lookup(e->addr6_index, a);
    if (h || !create)
        return GPOINTER_TO_UINT(h);
    if (e->addr6->len >= PXE_ADDR6_MAX)
        return 0;
    uint8_t *kept = pxe_alloc(e, 16);
    memcpy(kept, a, 16);
    g_ptr_array_add(e->addr6, kept);
    uint32_t handle = e->addr6->len;
    g_hash_table_insert(e->addr6_index, kept, GUINT_TO_POINTER(handle));
    return handle;
}

const uint8_t *pxe_engine_addr6(const pxe_engine_t *e, uint32_t handle)
{
    if (!pxe_addr_is_v6(handle) || !e->addr6 || handle > e->addr6->len)
        return NULL;
    return g_ptr_array_index(e->addr6, handle - 1);
}

const char *pxe_addr_str(const pxe_engine_t *e, uint32_t a, char buf[PXE_ADDR_STRLEN])
{
    const uint8_t *b6 = pxe_engine_addr6(e, a);
    if (b6) {
        if (!inet_ntop(AF_INET6, b6, buf, PXE_ADDR_STRLEN))
            g_strlcpy(buf, "?", PXE_ADDR_STRLEN);
        return buf;
    }
    snprintf(buf, PXE_ADDR_STRLEN, "%u.%u.%u.%u", a >> 24, (a >> 16) & 0xff, (a >> 8) & 0xff,
             a & 0xff);
    return buf;
}

void pxe_addr_free(pxe_engine_t *e)
{
    if (e->addr6_index)
        g_hash_table_destroy(e->addr6_index);
    if (e->addr6)
        g_ptr_array_free(e->addr6, TRUE);
}

static uint32_t v4_host(uint32_t a)
{
    return pxe_addr_is_v6(a) ? 0 : a;
}

static void normalize_v4(pxe_pkt_t *p)
{
    p->ip_src = v4_host(p->ip_src);
    p->ip_dst = v4_host(p->ip_dst);
    pxe_dhcp_t *d = &p->dhcp;
    d->ciaddr = v4_host(d->ciaddr);
    d->yiaddr = v4_host(d->yiaddr);
    d->siaddr = v4_host(d->siaddr);
    d->giaddr = v4_host(d->giaddr);
    d->server_id = v4_host(d->server_id);
    d->requested_addr = v4_host(d->requested_addr);
    p->icmp.ip_src = v4_host(p->icmp.ip_src);
    p->icmp.ip_dst = v4_host(p->icmp.ip_dst);
    p->arp.spa = v4_host(p->arp.spa);
    p->arp.tpa = v4_host(p->arp.tpa);
}

/* A reply naming its boot file by URL names its server too: the URL's
 * host stands in for next-server when siaddr says nothing. */
static void url_next_server(pxe_engine_t *e, pxe_dhcp_t *d)
{
    uint8_t a[16];
    pxe_url_t u = pxe_url_split(d->bootfile);
    unsigned n = pxe_url_host_addr(&u, a);
    if (n == 4)
        d->siaddr = v4_host(((uint32_t)a[0] << 24) | ((uint32_t)a[1] << 16) | ((uint32_t)a[2] << 8) | a[3]);
    else if (n == 16)
        d->siaddr = pxe_addr6(e, a);
}

void pxe_addr_normalize(pxe_engine_t *e, pxe_pkt_t *p)
{
    if (p->kind == PXE_PKT_DHCP && p->dhcp.op == 2 && !p->dhcp.siaddr && p->dhcp.bootfile)
        url_next_server(e, &p->dhcp);
    if (!p->ipv6) {
        normalize_v4(p);
        return;
    }
    /* TCP is followed only between addresses boot packets named: look up,
     * never keep, so other TCP costs no memory */
    bool keep = p->kind != PXE_PKT_TCP;
    p->ip_src = pxe_addr6_find(e, p->ip6_src, keep);
    p->ip_dst = pxe_addr6_find(e, p->ip6_dst, keep);
    pxe_dhcp_t *d = &p->dhcp;
    if (p->kind == PXE_PKT_DHCP && d->v6) {
        d->yiaddr = d->op == 2 && d->has_addr6 ? pxe_addr6(e, d->addr6) : 0;
        d->giaddr = d->relayed6 ? pxe_addr6(e, d->link6) : 0;
    }
}
