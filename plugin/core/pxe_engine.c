/* pxe_engine.c - the boot model's bookkeeping: clients, attempts, records,
 * diagnoses, and the frame loop that moves time before each packet.  The
 * protocol rules live in pxe_dhcp.c, pxe_tftp.c and pxe_arp.c, the retry
 * tracker in pxe_track.c, outcomes in pxe_verdict.c.
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
    e->dup_index = g_hash_table_new(g_int64_hash, g_int64_equal);
    e->by_duid = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    g_queue_init(&e->dup_queue);
    e->deadlines = g_array_new(FALSE, FALSE, sizeof(pxe_deadline_t));
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
    pxe_dup_free(e);
    pxe_addr_free(e);
    pxe_http_free(e);
    g_hash_table_destroy(e->by_duid);
    g_array_free(e->deadlines, TRUE);
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
    if (e->opts.max_clients && g_hash_table_size(e->clients) >= e->opts.max_clients) {
        e->cur_untracked = true;
        return NULL;
    }
    slot = pxe_alloc(e, sizeof *slot);
    slot->key = key;
    memcpy(slot->c.mac, mac, 6);
    g_hash_table_insert(e->clients, &slot->key, slot);
    return &slot->c;
}

pxe_client_t *pxe_client_by_ip(pxe_engine_t *e, uint32_t ip)
{
    return ip ? g_hash_table_lookup(e->by_ip, GUINT_TO_POINTER(ip)) : NULL;
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
    a->client = c;
    c->attempt = a;
    return a;
}

uint64_t pxe_engine_untracked_frames(const pxe_engine_t *e)
{
    return e->untracked_frames;
}

unsigned pxe_engine_client_count(const pxe_engine_t *e)
{
    return g_hash_table_size(e->clients);
}

pxe_rec_t *pxe_rec_here(pxe_engine_t *e)
{
    if (e->cur_rec)
        return e->cur_rec;
    pxe_rec_t *r = pxe_alloc(e, sizeof *r);
    e->cur_rec = r;
    r->frame = e->cur_frame;
    r->since_discover = -1.0;
    g_hash_table_insert(e->records, GUINT_TO_POINTER(e->cur_frame), r);
    return r;
}

pxe_rec_t *pxe_rec_of(pxe_engine_t *e, const pxe_pkt_t *p, pxe_stage_t stage, pxe_attempt_t *a)
{
    pxe_rec_t *r = pxe_rec_here(e);
    r->stage = (uint8_t)stage;
    if (!a)
        return r;
    pxe_client_t *c = a->client;
    r->has_client = true;
    memcpy(r->mac, c->mac, 6);
    r->has_arch = c->has_arch;
    r->arch = c->arch;
    r->family = (uint8_t)c->family;
    r->attempt_ = a;
    r->attempt_no = a->number;
    r->phase = a->phase;
    r->client_ip = c->ip;
    r->bootfile = a->bootfile;
    r->tftp_server = a->bootfile ? a->tftp_server : 0;
    if (c->seen_discover)
        r->since_discover = p->ts - c->first_discover_ts;
    a->last_frame = p->frame;
    return r;
}

pxe_rec_t *pxe_rec_new(pxe_engine_t *e, const pxe_pkt_t *p, pxe_stage_t stage, pxe_client_t *c)
{
    if (c && !c->attempt)
        pxe_attempt_new(e, c);
    return pxe_rec_of(e, p, stage, c ? c->attempt : NULL);
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

void pxe_scrub(char *s)
{
    for (; *s; s++)
        if (*s == '\t' || *s == '\n' || *s == '\r' || *s == '|')
            *s = ' ';
}

pxe_diag_t *pxe_diag_add(pxe_engine_t *e, pxe_client_t *c, pxe_attempt_t *a, pxe_code_t code,
                         const uint32_t *frames, unsigned n_frames, const char *fmt, ...)
{
    pxe_rec_t *rec = pxe_rec_here(e);
    for (pxe_diag_t *d = rec->diags; d; d = d->next)
        if (d->code == code && memcmp(d->mac, c->mac, 6) == 0)
            return d;    /* one of each code per client and frame */
    pxe_diag_t *d = pxe_alloc(e, sizeof *d);
    d->code = code;
    memcpy(d->mac, c->mac, 6);
    d->attempt = a ? a->number : 0;
    va_list ap;
    va_start(ap, fmt);
    char *cause = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    const pxe_code_info_t *ci = pxe_code_info(code);
    /* the client's own screen, where it differs from the code's */
    const char *screen = c->family == PXE_FAMILY_EDK2 ? pxe_code_edk2_screen(code) : NULL;
    d->screen = screen;
    char *text = g_strdup_printf("%s: %s%s%s%s", ci->code, cause,
                                 screen ? " (this UEFI client shows " : "", screen ? screen : "",
                                 screen ? ")" : "");
    pxe_scrub(text);
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
    if (ci->severity == PXE_SEV_ERROR)
        pxe_attempt_decide(e, a, PXE_OUTCOME_FAILED, (int)code, "%s: %s", ci->code, ci->title);
    return d;
}

void pxe_link(pxe_rec_t *request, pxe_rec_t *response)
{
    if (!request || !response)
        return;
    response->request_in = request->frame;
    if (!request->response_in)
        request->response_in = response->frame;
    if (request->n_responses < UINT32_MAX)
        request->n_responses++;
}

/* A frame enters: time moves first, so what its client gave up on before it
 * is decided before the frame is read. */
static void enter_frame(pxe_engine_t *e, uint32_t frame, double ts)
{
    e->cur_frame = frame;
    e->cur_rec = NULL;
    e->cur_untracked = false;
    if (ts > e->now)
        e->now = ts;
    pxe_track_tick(e, e->now);
}

/* A frame is processed once: the one in hand, or an earlier one, returns
 * its record as it stands (no hash lookup for the frame in hand). */
static bool seen(pxe_engine_t *e, uint32_t frame, pxe_rec_t **rec)
{
    if (frame == e->cur_frame && e->cur_frame) {
        *rec = e->cur_rec;
        return true;
    }
    if (frame < e->cur_frame) {
        *rec = pxe_engine_record(e, frame);
        return true;
    }
    return false;
}

pxe_rec_t *pxe_engine_tick(pxe_engine_t *e, uint32_t frame, double ts)
{
    pxe_rec_t *rec;
    if (seen(e, frame, &rec))
        return rec;
    enter_frame(e, frame, ts);
    return e->cur_rec;
}

/* A packet of a client the model could not take: the frame says so, at
 * the cost of a hash entry (one record serves them all) unless the frame
 * has a record of its own already (time decided something on it). */
static void untracked(pxe_engine_t *e)
{
    e->untracked_frames++;
    if (e->cur_rec) {
        e->cur_rec->untracked = true;
        return;
    }
    e->untracked_rec.untracked = true;
    e->untracked_rec.since_discover = -1.0;
    e->cur_rec = &e->untracked_rec;
    g_hash_table_insert(e->records, GUINT_TO_POINTER(e->cur_frame), e->cur_rec);
}

pxe_rec_t *pxe_engine_packet(pxe_engine_t *e, const pxe_pkt_t *in)
{
    pxe_rec_t *rec;
    if (seen(e, in->frame, &rec))
        return rec;
    enter_frame(e, in->frame, in->ts);
    pxe_pkt_t pkt = *in;
    const pxe_pkt_t *p = &pkt;
    pxe_addr_normalize(e, &pkt);
    if (pkt.kind == PXE_PKT_TCP && !pxe_http_relevant(e, p))
        pkt.kind = PXE_PKT_NONE;     /* TCP of no boot client: time only */
    uint32_t original;
    if (p->kind != PXE_PKT_NONE && pxe_dup_seen(e, p, &original)) {
        pxe_dup_record(e, original);
        pxe_dhcp_note_relay(e, p);   /* a relay's copy still says the path */
        return e->cur_rec;
    }
    switch (p->kind) {
    case PXE_PKT_DHCP: pxe_dhcp_packet(e, p); break;
    case PXE_PKT_TFTP: pxe_tftp_packet(e, p); break;
    case PXE_PKT_ICMP_UNREACH: pxe_icmp_packet(e, p); break;
    case PXE_PKT_ARP: pxe_arp_packet(e, p); break;
    case PXE_PKT_TCP: pxe_http_packet(e, p); break;
    case PXE_PKT_NONE: break;
    }
    if (e->cur_untracked)
        untracked(e);
    return e->cur_rec;
}

bool pxe_rec_transfer(const pxe_rec_t *rec, pxe_xfer_summary_t *out)
{
    const pxe_xfer_t *x = rec->xfer_;
    if (!x || x->last_rec != rec)
        return false;
    out->file = x->file;
    out->status = x->complete ? PXE_XFER_COMPLETE
                  : x->redirected ? PXE_XFER_REDIRECTED
                  : x->aborted_probe ? PXE_XFER_SIZE_PROBE
                  : x->failed ? PXE_XFER_FAILED : PXE_XFER_IN_PROGRESS;
    out->complete = x->complete;
    out->bytes = x->bytes;
    out->tsize = x->tsize;
    out->blocks = x->blocks;
    out->blksize = x->blksize;
    out->retransmissions = x->retransmissions;
    out->duration = x->last_ts > x->rrq_ts ? x->last_ts - x->rrq_ts : 0.0;
    out->request_in = x->rrq_frame;
    return true;
}
