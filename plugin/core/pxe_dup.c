/* pxe_dup.c - the same packet captured twice: a capture on a bridge and its
 * member port, a pcapng with two interfaces on one segment, or a relay's copy
 * of a DHCP message seen on both of its sides.  Counted once: the copy gets
 * the original's record and a note, and changes nothing in the model (no
 * retry, no retransmission, no second transfer).
 *
 * A copy is recognised by a key: for DHCP the fields a relay leaves alone
 * (op, message type, xid, client MAC, secs, ciaddr, offered address, server
 * id, and the server's port: 67 or 4011, the destination of a request, the
 * source of a reply; a client's REQUEST to a proxy on 4011 often follows its
 * broadcast REQUEST within milliseconds with the same xid and secs), for
 * everything else a digest of the datagram's bytes, with its addresses and
 * ports.  Real retransmissions are never that close: clients put the elapsed
 * time in DHCP's secs and wait at least a quarter of a second before sending
 * TFTP or ARP again (iPXE's shortest retry timer; PXE ROMs and EDK2 wait
 * longer), while copies arrive within microseconds to a few milliseconds.
 * Keys live for PXE_DUP_WINDOW_S in a queue, so the memory is bounded by
 * the packets of the last window (and by PXE_DUP_MAX_KEYS).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <math.h>
#include <string.h>

#include "pxe_engine_int.h"

typedef struct {
    uint64_t key;
    uint32_t frame;
    double ts;
} dup_entry_t;

static uint64_t mix(uint64_t h, uint64_t v)
{
    /* FNV-1a over the 8 bytes of v */
    for (int i = 0; i < 8; i++) {
        h ^= (v >> (8 * i)) & 0xff;
        h *= 0x100000001b3ULL;
    }
    return h;
}

uint64_t pxe_digest(const uint8_t *p, size_t len)
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ULL;
    }
    return h ? h : 1;
}

static uint64_t dup_key(const pxe_pkt_t *p)
{
    uint64_t h = mix(0xcbf29ce484222325ULL, p->kind);
    if (p->kind == PXE_PKT_DHCP) {
        const pxe_dhcp_t *d = &p->dhcp;
        uint64_t m = 0;
        for (int i = 0; i < 6; i++)
            m = m << 8 | d->chaddr[i];
        h = mix(h, (uint64_t)d->op << 56 | (uint64_t)d->msg_type << 48 | (uint64_t)d->secs << 32 | d->xid);
        h = mix(h, m);
        h = mix(h, (uint64_t)d->yiaddr << 32 | (d->has_server_id ? d->server_id : 0));
        h = mix(h, (uint64_t)d->ciaddr << 16 | (d->op == 1 ? p->dport : p->sport));
        return h ? h : 1;
    }
    if (!p->digest)
        return 0;
    h = mix(h, (uint64_t)p->ip_src << 32 | p->ip_dst);
    h = mix(h, (uint64_t)p->sport << 16 | p->dport);
    h = mix(h, p->digest);
    return h ? h : 1;
}

static void expire(pxe_engine_t *e)
{
    dup_entry_t *d;
    while ((d = g_queue_peek_head(&e->dup_queue)) &&
           (d->ts < e->now - PXE_DUP_WINDOW_S || e->dup_queue.length > PXE_DUP_MAX_KEYS)) {
        g_queue_pop_head(&e->dup_queue);
        if (g_hash_table_lookup(e->dup_index, &d->key) == d)
            g_hash_table_remove(e->dup_index, &d->key);
        g_free(d);
    }
}

bool pxe_dup_seen(pxe_engine_t *e, const pxe_pkt_t *p, uint32_t *original)
{
    uint64_t key = dup_key(p);
    if (!key)
        return false;
    expire(e);
    dup_entry_t *d = g_hash_table_lookup(e->dup_index, &key);
    if (d && fabs(p->ts - d->ts) <= PXE_DUP_WINDOW_S) {
        *original = d->frame;
        return true;
    }
    d = g_new(dup_entry_t, 1);
    d->key = key;
    d->frame = p->frame;
    d->ts = p->ts;
    g_hash_table_replace(e->dup_index, &d->key, d);
    g_queue_push_tail(&e->dup_queue, d);
    return false;
}

void pxe_dup_free(pxe_engine_t *e)
{
    g_hash_table_destroy(e->dup_index);
    g_queue_clear_full(&e->dup_queue, g_free);
}

/* The copy's record: what the original showed of its client, and a note. */
void pxe_dup_record(pxe_engine_t *e, uint32_t original)
{
    const pxe_rec_t *o = pxe_engine_record(e, original);
    if (!o || !o->stage)
        return;   /* the original was no boot packet: neither is the copy */
    pxe_rec_t *r = pxe_rec_here(e);
    uint32_t frame = r->frame;
    *r = *o;
    r->frame = frame;
    r->dup_of = original;
    r->diags = NULL;
    r->verdicts = NULL;
    r->xfer_ = NULL;
    r->request_in = r->response_in = r->n_responses = r->prev_in = r->next_in = 0;
    pxe_attempt_t *a = o->attempt_;
    if (a)
        pxe_diag_add(e, a->client, a, PXE_CODE_DUPLICATE, &original, 1,
                     "the same packet captured twice (a bridge and its port, two capture "
                     "interfaces on one segment, or a relay's copy): counted once");
}
