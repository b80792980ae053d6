/* report_model.c - folding rows into clients and attempts.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_model.h"

#include <math.h>
#include <string.h>

#include "pxe_stage.h"
#include "report_util.h"
#include "report_verdict.h"

/* Two summaries of one file whose derived RRQ times differ by less than
 * this are one transfer.  The plugin's duration and the frame time are
 * doubles near 1.7e9 s (error < 1 us); two RRQs of one file from one client
 * this close together do not happen. */
#define RRQ_TOLERANCE 1e-4

struct report_model {
    bool has_only;
    uint8_t only[6];
    GPtrArray *inputs;       /* char* names (NULL: standard input) */
    unsigned input;
    GHashTable *by_key;      /* "input/mac" -> report_client_t* */
    GPtrArray *clients;
    uint64_t unattributed;
};

static void diag_free(gpointer p)
{
    report_diag_t *d = p;
    g_free(d->summary);
    g_array_free(d->frames, TRUE);
    g_free(d);
}

static void file_free(gpointer p)
{
    report_file_t *f = p;
    g_free(f->name);
    g_free(f);
}

static void attempt_free(gpointer p)
{
    report_attempt_t *a = p;
    g_free(a->firmware);
    g_free(a->address);
    g_free(a->offered_address);
    g_free(a->bootfile);
    g_ptr_array_free(a->dhcp_servers, TRUE);
    g_ptr_array_free(a->tftp_servers, TRUE);
    g_hash_table_destroy(a->diag_index);
    g_ptr_array_free(a->diags, TRUE);
    g_ptr_array_free(a->files, TRUE);
    g_free(a);
}

static void client_free(gpointer p)
{
    report_client_t *c = p;
    g_ptr_array_free(c->attempts, TRUE);
    g_free(c);
}

report_model_t *report_model_new(const uint8_t *only)
{
    report_model_t *m = g_new0(report_model_t, 1);
    if (only) {
        m->has_only = true;
        memcpy(m->only, only, 6);
    }
    m->inputs = g_ptr_array_new_with_free_func(g_free);
    m->by_key = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    m->clients = g_ptr_array_new_with_free_func(client_free);
    return m;
}

void report_model_free(report_model_t *m)
{
    if (!m)
        return;
    g_hash_table_destroy(m->by_key);
    g_ptr_array_free(m->clients, TRUE);
    g_ptr_array_free(m->inputs, TRUE);
    g_free(m);
}

void report_model_begin_input(report_model_t *m, const char *name)
{
    g_ptr_array_add(m->inputs, g_strdup(name));
    m->input = m->inputs->len - 1;
}

const GPtrArray *report_model_clients(const report_model_t *m)
{
    return m->clients;
}

uint64_t report_model_unattributed(const report_model_t *m)
{
    return m->unattributed;
}

static report_client_t *client_get(report_model_t *m, const uint8_t mac[6])
{
    char ms[18];
    report_format_mac(mac, ms);
    char *key = g_strdup_printf("%u/%s", m->input, ms);
    report_client_t *c = g_hash_table_lookup(m->by_key, key);
    if (c) {
        g_free(key);
        return c;
    }
    c = g_new0(report_client_t, 1);
    c->capture = m->input;
    c->capture_name = m->inputs->len ? g_ptr_array_index(m->inputs, m->input) : NULL;
    memcpy(c->mac, mac, 6);
    memcpy(c->mac_str, ms, sizeof ms);
    c->attempts = g_ptr_array_new_with_free_func(attempt_free);
    g_hash_table_insert(m->by_key, key, c);
    g_ptr_array_add(m->clients, c);
    return c;
}

static report_attempt_t *attempt_get(report_client_t *c, uint32_t number, const report_row_t *row)
{
    guint i = c->attempts->len;
    /* rows almost always belong to the latest attempt */
    while (i > 0) {
        report_attempt_t *a = g_ptr_array_index(c->attempts, i - 1);
        if (a->number == number)
            return a;
        if (a->number < number)
            break;
        i--;
    }
    report_attempt_t *a = g_new0(report_attempt_t, 1);
    a->number = number;
    a->first_frame = a->last_frame = row->frame;
    a->first_time = a->last_time = row->time;
    a->dhcp_servers = g_ptr_array_new_with_free_func(g_free);
    a->tftp_servers = g_ptr_array_new_with_free_func(g_free);
    a->diags = g_ptr_array_new_with_free_func(diag_free);
    a->diag_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    a->files = g_ptr_array_new_with_free_func(file_free);
    g_ptr_array_insert(c->attempts, (gint)i, a);
    return a;
}

static void set_string(char **dst, const char *src)
{
    if (src && (!*dst || strcmp(*dst, src) != 0)) {
        g_free(*dst);
        *dst = g_strdup(src);
    }
}

static void add_server(GPtrArray *set, const char *ip)
{
    if (!ip || set->len >= REPORT_MAX_SERVERS)
        return;
    for (guint i = 0; i < set->len; i++)
        if (strcmp(g_ptr_array_index(set, i), ip) == 0)
            return;
    g_ptr_array_add(set, g_strdup(ip));
}

static bool is_ack(unsigned stage)
{
    return stage == PXE_STAGE_ACK || stage == PXE_STAGE_PROXY_ACK || stage == PXE_STAGE_BOOTSRV_ACK;
}

static void note_dhcp(report_attempt_t *a, const report_row_t *row)
{
    unsigned st = row->stage;
    if (row->client_ip) {
        if (st == PXE_STAGE_OFFER || st == PXE_STAGE_PROXY_OFFER)
            set_string(&a->offered_address, row->client_ip);
        else
            set_string(&a->address, row->client_ip);
    }
    add_server(a->dhcp_servers, row->dhcp_server);
    if (is_ack(st)) {
        add_server(a->tftp_servers, row->tftp_server);
        if (row->phase == 1)
            set_string(&a->bootfile, row->bootfile);
        if (!a->has_rrq) {
            a->has_ack = true;
            a->ack_time = row->time;
        }
        report_verdict_dhcp_ack(a, row->phase, row->frame);
    }
    if (st == PXE_STAGE_DISCOVER && row->phase == 1 && !a->has_discover) {
        a->has_discover = true;
        a->discover_time = row->time;
    }
    if ((st == PXE_STAGE_OFFER || st == PXE_STAGE_PROXY_OFFER) && row->phase == 1 &&
        a->has_discover && !a->has_offer) {
        a->has_offer = true;
        a->offer_time = row->time;
    }
    if (st == PXE_STAGE_TFTP_REQUEST && !a->has_rrq) {
        a->has_rrq = true;
        a->rrq_time = row->time;
    }
}

static report_file_t *file_find(report_attempt_t *a, const char *name, double rrq_time,
                                bool any_time)
{
    for (guint i = a->files->len; i > 0; i--) {
        report_file_t *f = g_ptr_array_index(a->files, i - 1);
        if (strcmp(f->name, name) == 0 && (any_time || fabs(f->rrq_time - rrq_time) < RRQ_TOLERANCE))
            return f;
    }
    return NULL;
}

static void note_transfer(report_attempt_t *a, const report_row_t *row)
{
    if (!row->tftp_file)
        return;
    if (!row->has_xfer) {
        /* two-pass output puts the summary on the last frame only */
        report_file_t *f = file_find(a, row->tftp_file, 0, true);
        if (f && row->frame > f->last_frame)
            f->last_frame = row->frame;
        return;
    }
    double rrq = row->time - row->xfer_duration;
    report_file_t *f = file_find(a, row->tftp_file, rrq, false);
    if (!f) {
        f = g_new0(report_file_t, 1);
        f->name = g_strdup(row->tftp_file);
        f->phase = row->phase;
        f->rrq_time = rrq;
        f->first_frame = row->frame;
        g_ptr_array_add(a->files, f);
    }
    f->nbp = f->nbp || row->tftp_nbp;
    f->status = row->xfer_status;
    f->complete = row->xfer_complete;
    f->bytes = row->xfer_bytes;
    f->has_tsize = row->has_tsize;
    f->tsize = row->xfer_tsize;
    f->duration = row->xfer_duration;
    if (row->frame > f->last_frame)
        f->last_frame = row->frame;
    if (f->complete && !f->complete_frame) {
        f->complete_frame = row->frame;
        report_verdict_file_complete(a, f, row->frame);
    }
}

/* The attempt a diagnosis is about: the one its first evidence frame
 * belongs to.  A failure is often proven only when the client starts over
 * (PXE-E55, boot-restart, timeouts), on a frame of the next attempt. */
static report_attempt_t *diag_attempt(report_client_t *c, report_attempt_t *row_attempt,
                                      const report_row_diag_t *d)
{
    if (!d->n_frames)
        return row_attempt;
    uint32_t first = d->frames[0];
    for (guint i = c->attempts->len; i > 0; i--) {
        report_attempt_t *a = g_ptr_array_index(c->attempts, i - 1);
        if (a->first_frame <= first)
            return a->number <= row_attempt->number ? a : row_attempt;
    }
    return row_attempt;
}

static void frames_merge(report_diag_t *d, const uint32_t *frames, unsigned n)
{
    for (unsigned i = 0; i < n; i++) {
        GArray *fa = d->frames;
        guint pos = 0;
        while (pos < fa->len && g_array_index(fa, uint32_t, pos) < frames[i])
            pos++;
        if (pos < fa->len && g_array_index(fa, uint32_t, pos) == frames[i])
            continue;
        if (fa->len >= REPORT_MAX_DIAG_FRAMES) {
            d->frames_truncated = true;
            continue;
        }
        g_array_insert_val(fa, pos, frames[i]);
    }
}

static void note_diag(report_attempt_t *a, const report_row_diag_t *rd)
{
    const char *code = pxe_code_info(rd->code)->code;
    char *key = g_strconcat(code, "\t", rd->summary, NULL);
    report_diag_t *d = g_hash_table_lookup(a->diag_index, key);
    if (d) {
        g_free(key);
    } else {
        d = g_new0(report_diag_t, 1);
        d->code = rd->code;
        d->severity = rd->severity;
        d->summary = g_strdup(rd->summary);
        d->frames = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        g_hash_table_insert(a->diag_index, key, d);
        g_ptr_array_add(a->diags, d);
    }
    d->count++;
    frames_merge(d, rd->frames, rd->n_frames);
    report_verdict_diag(a, rd->severity);
}

report_client_t *report_model_add(report_model_t *m, const report_row_t *row)
{
    if (!row->stage)
        return NULL;
    if (!row->has_client) {
        m->unattributed++;
        return NULL;
    }
    if (m->has_only && memcmp(row->mac, m->only, 6) != 0)
        return NULL;
    if (!m->inputs->len)
        report_model_begin_input(m, NULL);
    report_client_t *c = client_get(m, row->mac);
    report_attempt_t *a = attempt_get(c, row->attempt, row);

    if (row->frame < a->first_frame) {
        a->first_frame = row->frame;
        a->first_time = row->time;
    }
    if (row->frame > a->last_frame) {
        a->last_frame = row->frame;
        a->last_time = row->time;
    }
    if (row->phase > a->phases)
        a->phases = row->phase;
    if (row->stage > a->stage_any)
        a->stage_any = row->stage;
    if (report_stage_rank(row->stage) > report_stage_rank(a->stage))
        a->stage = row->stage;
    if (!a->firmware && row->firmware)
        a->firmware = g_strdup(row->firmware);
    if (!a->has_arch && row->has_arch) {
        a->has_arch = true;
        a->arch = row->arch;
    }
    note_dhcp(a, row);
    note_transfer(a, row);
    for (unsigned i = 0; i < row->n_diags; i++)
        note_diag(diag_attempt(c, a, &row->diags[i]), &row->diags[i]);
    return c;
}

const report_file_t *report_attempt_nbp(const report_attempt_t *a)
{
    if (a->nbp_done)
        return a->nbp_done;
    const report_file_t *best = NULL;
    for (guint i = 0; i < a->files->len; i++) {
        const report_file_t *f = g_ptr_array_index(a->files, i);
        if (!f->nbp || f->status == REPORT_XFER_SIZE_PROBE)
            continue;
        if (!best || f->phase <= best->phase)
            best = f;   /* the lowest phase, and in it the latest try */
    }
    return best;
}

void report_attempt_timings(const report_attempt_t *a, report_timings_t *t)
{
    memset(t, 0, sizeof *t);
    if (a->has_discover && a->has_offer) {
        t->has_discover_offer = true;
        t->discover_offer = a->offer_time - a->discover_time;
    }
    if (a->has_ack && a->has_rrq) {
        t->has_ack_rrq = true;
        t->ack_rrq = a->rrq_time - a->ack_time;
    }
    const report_file_t *nbp = report_attempt_nbp(a);
    if (nbp) {
        t->has_nbp = true;
        t->nbp = nbp->duration;
    }
    t->total = a->last_time - a->first_time;
}

unsigned report_client_items(const report_client_t *c)
{
    unsigned n = 0;
    for (guint i = 0; i < c->attempts->len; i++) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i);
        n += a->diags->len + a->files->len;
    }
    return n;
}
