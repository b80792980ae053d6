/* pxe_engine.c - the boot tracker's bookkeeping: clients, attempts, records,
 * diagnoses.  The protocol rules live in pxe_dhcp.c and pxe_tftp.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#define ARENA_BLOCK (64 * 1024)

void *pxe_alloc(pxe_engine_t *e, size_t size)
{
    size = (size + 7) & ~(size_t)7;
    if (size > ARENA_BLOCK / 4) {
        void *b = g_malloc0(size);   /* large: a block of its own */
        e->big = g_slist_prepend(e->big, b);
        return b;
    }
    if (!e->blocks || e->block_used + size > e->block_size) {
        e->blocks = g_slist_prepend(e->blocks, g_malloc0(ARENA_BLOCK));
        e->block_used = 0;
        e->block_size = ARENA_BLOCK;
    }
    void *p = (char *)e->blocks->data + e->block_used;
    e->block_used += size;
    return p;
}

const char *pxe_strdup(pxe_engine_t *e, const char *s)
{
    return s ? g_string_chunk_insert_const(e->strings, s) : NULL;
}

static guint64 mac_key(const uint8_t mac[6])
{
    guint64 k = 0;
    for (int i = 0; i < 6; i++)
        k = (k << 8) | mac[i];
    return k;
}

pxe_engine_t *pxe_engine_new(const pxe_engine_opts_t *opts)
{
    pxe_engine_t *e = g_new0(pxe_engine_t, 1);
    if (opts)
        e->opts = *opts;
    e->clients = g_hash_table_new(g_int64_hash, g_int64_equal);
    e->by_ip = g_hash_table_new(g_direct_hash, g_direct_equal);
    e->xfers = g_hash_table_new(g_int64_hash, g_int64_equal);
    e->records = g_hash_table_new(g_direct_hash, g_direct_equal);
    e->strings = g_string_chunk_new(16 * 1024);
    return e;
}

void pxe_engine_free(pxe_engine_t *e)
{
    if (!e)
        return;
    g_hash_table_destroy(e->clients);
    g_hash_table_destroy(e->by_ip);
    g_hash_table_destroy(e->xfers);
    g_hash_table_destroy(e->records);
    g_string_chunk_free(e->strings);
    g_slist_free_full(e->blocks, g_free);
    g_slist_free_full(e->big, g_free);
    g_free(e);
}

/* Clients and xfers embed their hash keys, so the tables own nothing. */
typedef struct {
    guint64 key;
    pxe_client_t c;
} client_slot_t;

pxe_client_t *pxe_client_get(pxe_engine_t *e, const uint8_t mac[6], bool create)
{
    guint64 key = mac_key(mac);
    client_slot_t *slot = g_hash_table_lookup(e->clients, &key);
    if (slot || !create)
        return slot ? &slot->c : NULL;
    slot = pxe_alloc(e, sizeof *slot);
    slot->key = key;
    memcpy(slot->c.mac, mac, 6);
    g_hash_table_insert(e->clients, &slot->key, slot);
    return &slot->c;
}

void pxe_client_set_ip(pxe_engine_t *e, pxe_client_t *c, uint32_t ip)
{
    if (!ip)
        return;
    c->ip = ip;
    g_hash_table_insert(e->by_ip, GUINT_TO_POINTER(ip), c);
}

pxe_attempt_t *pxe_attempt_new(pxe_engine_t *e, pxe_client_t *c)
{
    pxe_attempt_t *a = pxe_alloc(e, sizeof *a);
    a->number = ++c->n_attempts;
    a->phase = 1;
    c->attempt = a;
    return a;
}

unsigned pxe_engine_client_count(const pxe_engine_t *e)
{
    return g_hash_table_size(e->clients);
}

pxe_rec_t *pxe_rec_new(pxe_engine_t *e, const pxe_pkt_t *p, pxe_stage_t stage, pxe_client_t *c)
{
    pxe_rec_t *r = pxe_alloc(e, sizeof *r);
    r->frame = p->frame;
    r->stage = (uint8_t)stage;
    r->client = c;
    r->since_discover = -1.0;
    if (c) {
        if (!c->attempt)
            pxe_attempt_new(e, c);
        r->attempt = c->attempt;
        r->attempt_no = (uint16_t)c->attempt->number;
        r->phase = (uint16_t)c->attempt->phase;
        r->client_ip = c->ip;
        if (c->seen_discover)
            r->since_discover = p->ts - c->first_discover_ts;
    }
    g_hash_table_insert(e->records, GUINT_TO_POINTER(p->frame), r);
    return r;
}

pxe_rec_t *pxe_engine_record(pxe_engine_t *e, uint32_t frame)
{
    return g_hash_table_lookup(e->records, GUINT_TO_POINTER(frame));
}

static void add_frame(pxe_diag_t *d, uint32_t f)
{
    if (!f)
        return;
    unsigned i = 0;
    while (i < d->n_frames && d->frames[i] < f)
        i++;
    if (i < d->n_frames && d->frames[i] == f)
        return;
    if (d->n_frames == PXE_DIAG_MAX_FRAMES) {
        /* keep the first evidence and the newest: drop the second-to-last */
        if (i == d->n_frames)
            d->frames[d->n_frames - 1] = f;
        return;
    }
    memmove(&d->frames[i + 1], &d->frames[i], (d->n_frames - i) * sizeof f);
    d->frames[i] = f;
    d->n_frames++;
}

/* Characters that would break pxe-report's columns (tshark's separators). */
static void scrub(char *s)
{
    for (; *s; s++)
        if (*s == '\t' || *s == '\n' || *s == '\r' || *s == '|')
            *s = ' ';
}

pxe_diag_t *pxe_diag_add(pxe_engine_t *e, pxe_rec_t *rec, pxe_code_t code,
                         const uint32_t *frames, unsigned n_frames, const char *fmt, ...)
{
    for (pxe_diag_t *d = rec->diags; d; d = d->next)
        if (d->code == code)
            return d;    /* one of each code per frame */
    pxe_diag_t *d = pxe_alloc(e, sizeof *d);
    d->code = code;
    va_list ap;
    va_start(ap, fmt);
    char *cause = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    char *text = g_strdup_printf("%s: %s", pxe_code_info(code)->code, cause);
    scrub(text);
    d->text = pxe_strdup(e, text);
    g_free(text);
    g_free(cause);
    for (unsigned i = 0; i < n_frames; i++)
        add_frame(d, frames[i]);
    add_frame(d, rec->frame);
    pxe_diag_t **tail = &rec->diags;
    while (*tail)
        tail = &(*tail)->next;
    *tail = d;
    return d;
}

void pxe_link(pxe_rec_t *request, pxe_rec_t *response)
{
    if (!request || !response)
        return;
    response->request_in = request->frame;
    if (!request->response_in)
        request->response_in = response->frame;
    if (request->n_responses < UINT16_MAX)
        request->n_responses++;
}

const char *pxe_ip_str(uint32_t ip, char buf[16])
{
    snprintf(buf, 16, "%u.%u.%u.%u", ip >> 24, (ip >> 16) & 0xff, (ip >> 8) & 0xff, ip & 0xff);
    return buf;
}

pxe_rec_t *pxe_engine_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    pxe_rec_t *old = pxe_engine_record(e, p->frame);
    if (old)
        return old;  /* a frame is processed once; later passes read its record */
    switch (p->kind) {
    case PXE_PKT_DHCP: return pxe_dhcp_packet(e, p);
    case PXE_PKT_TFTP: return pxe_tftp_packet(e, p);
    case PXE_PKT_ICMP_UNREACH: return pxe_icmp_packet(e, p);
    case PXE_PKT_ARP: return pxe_arp_packet(e, p);
    }
    return NULL;
}
