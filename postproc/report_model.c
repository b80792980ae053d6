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

struct report_model {
    bool has_only;
    uint8_t only[6];
    GPtrArray *inputs;       /* char* names (NULL: standard input) */
    unsigned input;
    GHashTable *by_key;      /* input << 48 | MAC (report_client_t.key) -> report_client_t* */
    GPtrArray *clients;
    uint64_t unattributed;
    report_limits_t limits;
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
    g_free(a->outcome_reason);
    g_free(a->vendor_class);
    g_free(a->user_class);
    g_free(a->uuid);
    g_free(a->host_name);
    g_free(a->client_fqdn);
    g_free(a->requested_addr);
    g_free(a->assigned_addr);
    g_free(a->relay);
    g_hash_table_destroy(a->file_index);
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
    g_hash_table_destroy(c->attempt_index);
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
    m->by_key = g_hash_table_new(g_int64_hash, g_int64_equal);
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

void report_model_limits(const report_model_t *m, report_limits_t *out)
{
    *out = m->limits;
}

static report_client_t *client_get(report_model_t *m, const uint8_t mac[6])
{
    gint64 key = (gint64)m->input << 48;
    for (int i = 0; i < 6; i++)
        key |= (gint64)mac[i] << (8 * (5 - i));
    report_client_t *c = g_hash_table_lookup(m->by_key, &key);
    if (c)
        return c;
    c = g_new0(report_client_t, 1);
    c->key = key;
    c->capture = m->input;
    c->capture_name = m->inputs->len ? g_ptr_array_index(m->inputs, m->input) : NULL;
    memcpy(c->mac, mac, 6);
    report_format_mac(mac, c->mac_str);
    c->attempts = g_ptr_array_new_with_free_func(attempt_free);
    c->attempt_index = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_insert(m->by_key, &c->key, c);
    g_ptr_array_add(m->clients, c);
    return c;
}

static report_attempt_t *attempt_get(report_client_t *c, uint32_t number, const report_row_t *row)
{
    report_attempt_t *a = g_hash_table_lookup(c->attempt_index, GUINT_TO_POINTER(number));
    if (a)
        return a;
    a = g_new0(report_attempt_t, 1);
    a->number = number;
    a->first_frame = a->last_frame = row->frame;
    a->first_time = a->last_time = row->time;
    a->outcome_code = -1;
    a->dhcp_servers = g_ptr_array_new_with_free_func(g_free);
    a->tftp_servers = g_ptr_array_new_with_free_func(g_free);
    a->diags = g_ptr_array_new_with_free_func(diag_free);
    a->diag_index = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    a->files = g_ptr_array_new_with_free_func(file_free);
    a->file_index = g_hash_table_new(g_direct_hash, g_direct_equal);
    g_hash_table_insert(c->attempt_index, GUINT_TO_POINTER(number), a);
    /* tshark numbers attempts in order: appended; out of order (input written
     * by hand) they are sorted once, when an output asks */
    if (c->last && number < c->last->number)
        c->unsorted = true;
    else
        c->last = a;
    g_ptr_array_add(c->attempts, a);
    return a;
}

static gint attempt_cmp(gconstpointer x, gconstpointer y)
{
    uint32_t a = (*(report_attempt_t *const *)x)->number, b = (*(report_attempt_t *const *)y)->number;
    return a < b ? -1 : a > b;
}

void report_client_settle(report_client_t *c)
{
    if (!c->unsorted)
        return;
    g_ptr_array_sort(c->attempts, attempt_cmp);
    c->unsorted = false;
}

void report_model_settle(report_model_t *m)
{
    for (guint i = 0; i < m->clients->len; i++)
        report_client_settle(g_ptr_array_index(m->clients, i));
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

/* Sets *dst once: the first value seen. */
static void first_string(char **dst, const char *src)
{
    if (src && !*dst)
        *dst = g_strdup(src);
}

/* What the plugin says the attempt's DHCP messages said (pxe.dhcp.*): the
 * client's identity as it first gave it, names and leases as last given. */
static void note_dhcp_facts(report_attempt_t *a, const report_row_t *row)
{
    if (row->has_xid && !a->has_xid) {
        a->has_xid = true;
        a->xid = row->xid;
    }
    first_string(&a->vendor_class, row->vendor_class);
    first_string(&a->user_class, row->user_class);
    first_string(&a->uuid, row->uuid);
    set_string(&a->host_name, row->host_name);
    set_string(&a->client_fqdn, row->client_fqdn);
    set_string(&a->requested_addr, row->requested_addr);
    set_string(&a->assigned_addr, row->assigned_addr);
    set_string(&a->relay, row->relay);
    if (row->has_lease_time) {
        a->has_lease_time = true;
        a->lease_time = row->lease_time;
    }
}

/* Seconds from one time to a later one; 0 when it is not later. */
static double span(double from, double to)
{
    return to > from ? to - from : 0.0;
}

static bool is_ack(unsigned stage)
{
    return stage == PXE_STAGE_ACK || stage == PXE_STAGE_PROXY_ACK || stage == PXE_STAGE_BOOTSRV_ACK;
}

static void note_dhcp(report_attempt_t *a, const report_row_t *row)
{
    unsigned st = row->stage;
    note_dhcp_facts(a, row);
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
    if (st == PXE_STAGE_BOOTSRV_REQUEST && row->phase == 1 && a->has_ack && !a->has_bootsrv) {
        a->has_bootsrv = true;
        a->bootsrv_wait = span(a->ack_time, row->time);   /* from the ACK before it */
    }
    /* the first file request, TFTP or HTTP: "ACK-RRQ" is the wait for it */
    if ((st == PXE_STAGE_TFTP_REQUEST || st == PXE_STAGE_HTTP_REQUEST) && !a->has_rrq) {
        a->has_rrq = true;
        a->rrq_time = row->time;
    }
}

static bool is_http(unsigned stage)
{
    return stage >= PXE_STAGE_HTTP_REQUEST && stage <= PXE_STAGE_HTTP_ACK;
}

/* A transfer's protocol, from the first of its frames whose stage tells
 * (with a current plugin every one does); counted per attempt once known. */
static void note_proto(report_attempt_t *a, report_file_t *f, unsigned stage)
{
    if (f->proto_known)
        return;
    if (is_http(stage)) {
        f->proto = REPORT_PROTO_HTTP;
        a->http_files++;
    } else if (pxe_stage_is_tftp(stage)) {
        f->proto = REPORT_PROTO_TFTP;
        a->tftp_files++;
    } else {
        return;
    }
    f->proto_known = true;
}

static void note_transfer(report_model_t *m, report_client_t *c, report_attempt_t *a,
                          const report_row_t *row)
{
    if (!row->tftp_file)
        return;
    report_file_t *f = g_hash_table_lookup(a->file_index, GUINT_TO_POINTER(row->tftp_request_in));
    if (!f && a->files->len >= REPORT_MAX_FILES) {
        if (row->frame == row->tftp_request_in)
            m->limits.files_dropped++;   /* counted once, on the request */
        return;
    }
    if (!f) {
        f = g_new0(report_file_t, 1);
        f->name = g_strdup(row->tftp_file);
        f->phase = row->phase;
        f->request_in = row->tftp_request_in;
        f->first_frame = row->frame;
        f->first_time = row->time;
        g_hash_table_insert(a->file_index, GUINT_TO_POINTER(f->request_in), f);
        g_ptr_array_add(a->files, f);
        c->items++;
    }
    f->nbp = f->nbp || row->tftp_nbp;
    note_proto(a, f, row->stage);
    if (row->frame > f->last_frame) {
        f->last_frame = row->frame;
        f->last_time = row->time;
    }
    if (!row->has_xfer)
        return;   /* two-pass output puts the summary on the last frame only */
    f->status = row->xfer_status;
    f->complete = row->xfer_complete;
    f->bytes = row->xfer_bytes;
    f->has_tsize = row->has_tsize;
    f->tsize = row->xfer_tsize;
    f->duration = row->xfer_duration;
    if (f->complete && !f->complete_frame)
        f->complete_frame = row->frame;
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

static void note_diag(report_model_t *m, report_client_t *c, report_attempt_t *a,
                      const report_row_diag_t *rd)
{
    const char *code = pxe_code_info(rd->code)->code;
    char *key = g_strconcat(code, "\t", rd->summary, NULL);
    report_diag_t *d = g_hash_table_lookup(a->diag_index, key);
    if (d) {
        g_free(key);
    } else if (a->diags->len >= REPORT_MAX_DIAGS) {
        g_free(key);
        m->limits.diags_dropped++;
        return;
    } else {
        d = g_new0(report_diag_t, 1);
        d->code = rd->code;
        d->severity = rd->severity;
        d->summary = g_strdup(rd->summary);
        d->frames = g_array_new(FALSE, FALSE, sizeof(uint32_t));
        g_hash_table_insert(a->diag_index, key, d);
        g_ptr_array_add(a->diags, d);
        c->items++;
    }
    d->count++;
    frames_merge(d, rd->frames, rd->n_frames);
}

/* The plugin decided an attempt: failed is final, ok can still turn failed,
 * incomplete (two-pass output) only says nothing decided it. */
static void note_verdict(report_client_t *c, report_attempt_t *a, const report_row_t *row,
                         const report_row_verdict_t *v)
{
    if (a->outcome == PXE_OUTCOME_FAILED || a->outcome == v->outcome ||
        (v->outcome == PXE_OUTCOME_INCOMPLETE && a->outcome != PXE_OUTCOME_NONE))
        return;
    if (v->outcome == PXE_OUTCOME_FAILED)
        c->failed++;
    a->outcome = v->outcome;
    a->outcome_code = v->code;
    g_free(a->outcome_reason);
    a->outcome_reason = g_strdup(v->reason);
    a->outcome_frame = row->frame;
    a->outcome_time = row->time;
}

static bool wanted(const report_model_t *m, const uint8_t mac[6])
{
    return !m->has_only || memcmp(mac, m->only, 6) == 0;
}

/* What a frame says about its own client. */
static report_client_t *note_frame(report_model_t *m, const report_row_t *row)
{
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
    note_transfer(m, c, a, row);
    return c;
}

report_client_t *report_model_add(report_model_t *m, const report_row_t *row)
{
    if (row->untracked)
        m->limits.untracked_frames++;
    if (!row->has_client && !row->n_diags && !row->n_verdicts) {
        if (row->stage)
            m->unattributed++;
        return NULL;
    }
    if (!m->inputs->len)
        report_model_begin_input(m, NULL);
    report_client_t *last = NULL;
    if (row->has_client && row->stage && wanted(m, row->mac))
        last = note_frame(m, row);
    /* diagnoses and verdicts name their own client and attempt: a frame can
     * decide another client's attempt (time went by) */
    for (unsigned i = 0; i < row->n_diags; i++) {
        const report_row_diag_t *d = &row->diags[i];
        if (!wanted(m, d->mac))
            continue;
        last = client_get(m, d->mac);
        note_diag(m, last, attempt_get(last, d->attempt, row), d);
    }
    for (unsigned i = 0; i < row->n_verdicts; i++) {
        const report_row_verdict_t *v = &row->verdicts[i];
        if (!wanted(m, v->mac))
            continue;
        last = client_get(m, v->mac);
        note_verdict(last, attempt_get(last, v->attempt, row), row, v);
    }
    return last;
}

const report_file_t *report_attempt_nbp(const report_attempt_t *a)
{
    const report_file_t *best = NULL;
    for (guint i = 0; i < a->files->len; i++) {
        const report_file_t *f = g_ptr_array_index(a->files, i);
        if (!f->nbp || f->phase != 1 || f->status == REPORT_XFER_SIZE_PROBE)
            continue;
        if (!best || !best->complete)
            best = f;   /* the first complete one, else the latest try */
    }
    return best;
}

/* A span between two frame times; clocks that go backwards (a capture
 * merged badly, a clock set back) give 0, never a negative duration. */

void report_attempt_timings(const report_attempt_t *a, report_timings_t *t)
{
    memset(t, 0, sizeof *t);
    if (a->has_discover && a->has_offer) {
        t->has_discover_offer = true;
        t->discover_offer = span(a->discover_time, a->offer_time);
    }
    if (a->has_bootsrv) {
        t->has_menu = true;
        t->menu = a->bootsrv_wait;
    }
    if (a->has_ack && a->has_rrq) {
        t->has_ack_rrq = true;
        t->ack_rrq = span(a->ack_time, a->rrq_time);
    }
    const report_file_t *nbp = report_attempt_nbp(a);
    if (nbp) {
        t->has_nbp = true;
        t->nbp = nbp->duration > 0 ? nbp->duration : 0.0;
    }
    t->total = span(a->first_time, a->last_time);
}

const char *report_proto_name(report_proto_t p)
{
    return p == REPORT_PROTO_HTTP ? "http" : "tftp";
}

const char *report_proto_label(report_proto_t p)
{
    return p == REPORT_PROTO_HTTP ? "HTTP" : "TFTP";
}

const char *report_attempt_server_label(const report_attempt_t *a)
{
    if (a->tftp_files && a->http_files)
        return "boot server";
    if (a->tftp_files || a->http_files)
        return report_proto_label(a->http_files ? REPORT_PROTO_HTTP : REPORT_PROTO_TFTP);
    /* nothing fetched yet: the scheme of the boot file DHCP named */
    const char *b = a->bootfile;
    bool url = b && (g_ascii_strncasecmp(b, "http://", 7) == 0 ||
                     g_ascii_strncasecmp(b, "https://", 8) == 0);
    return report_proto_label(url ? REPORT_PROTO_HTTP : REPORT_PROTO_TFTP);
}

unsigned report_client_items(const report_client_t *c)
{
    return c->items;
}

void report_attempt_uid(const report_client_t *c, const report_attempt_t *a,
                        char out[REPORT_UID_SIZE])
{
    char first[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(first, sizeof first, "%.6f", a->first_time);
    char *key = g_strdup_printf("%s\t%" G_GUINT32_FORMAT "\t%s", c->mac_str, a->number, first);
    char *sum = g_compute_checksum_for_string(G_CHECKSUM_SHA256, key, -1);
    out[0] = 'P';
    g_strlcpy(out + 1, sum, REPORT_UID_SIZE - 1);
    g_free(sum);
    g_free(key);
}

const char *report_iso_time(double t, char out[REPORT_ISO_SIZE])
{
    /* the double's exact decimal value rounded to microseconds, as the uid
     * has it (t * 1e6 would round twice) */
    char num[G_ASCII_DTOSTR_BUF_SIZE];
    g_ascii_formatd(num, sizeof num, "%.6f", t);
    const char *dot = strchr(num, '.');
    gint64 secs = g_ascii_strtoll(num, NULL, 10);
    GDateTime *dt = (t >= 0 && dot) ? g_date_time_new_from_unix_utc(secs) : NULL;
    if (!dt) {
        out[0] = '\0';
        return out;
    }
    char *day = g_date_time_format(dt, "%Y-%m-%dT%H:%M:%S");
    g_snprintf(out, REPORT_ISO_SIZE, "%s%sZ", day, dot);
    g_free(day);
    g_date_time_unref(dt);
    return out;
}
