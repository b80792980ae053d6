/* report_output_html.c - the --html page: every client's boot drawn on a
 * time line, one lane per client, in one self-contained HTML file (inline
 * SVG, CSS and a little JS; the page fetches nothing, and says so in its
 * Content-Security-Policy).
 *
 * What is drawn comes from the model: attempts, their outcomes, codes and
 * reasons (the lane's outcome is report_client_outcome(), the fold every
 * output uses), files and diagnoses.  The model keeps times per attempt,
 * not per packet, so while the rows are read a collector notes only where
 * things happened, never what they mean: the time of each DHCP, proxyDHCP,
 * ARP, TFTP and HTTP request/reply packet of a client (a few per attempt,
 * never the DATA/ACK stream), each transfer's first and last frame times, and a
 * coarse frame->time clock (a sample per 50 ms of boot traffic) that
 * places diagnoses at their evidence frames.
 *
 * Layout of a lane: time runs left to right from the client's first packet.
 * Every pause between two things drawn is shortened to a width that grows
 * with the log of its length, so a 1 ms step and a 60 s wait both stay
 * readable; pauses of a second or more are labelled with their length, and
 * a label pushes what follows to the right so labels never overlap.  Exact
 * times, frames and causes are in each element's hover text and in the
 * lane's details (the text format's, folded open by a click).
 *
 * Every string from the capture (file names, server texts) is made valid
 * UTF-8 without control characters and HTML-escaped; the script reads no
 * data but the DOM's attributes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_output.h"

#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "pxe_firmware.h"
#include "pxe_stage.h"
#include "report_util.h"
#include "report_verdict.h"

/* Kept and drawn per client at most: a client that loops for hours must
 * not make its lane (or pxe-report's memory) unbounded. */
#define HTML_MAX_EVENTS 2000
#define HTML_MAX_ATTEMPTS 50
/* Resolution of the frame->time clock, seconds. */
#define HTML_CLOCK_STEP 0.05

/* Lane geometry, px. */
#define LANE_H 36
/* The label column before the time lines (CSS .who) and the lane's border. */
#define LANE_LEFT (330 + 5)
#define PAD_L 8.0
#define PAD_R 12.0
#define LABEL_Y 10
#define TRACK_Y 15
#define TRACK_H 10
#define TRACK_MID (TRACK_Y + TRACK_H / 2)
#define PAUSE_Y 34
/* Label font: 10 px DejaVu Sans Mono advances 6.02 px a character. */
#define CHAR_W 6.1
#define LABEL_GAP 8.0
/* A pause of dt seconds is drawn PAUSE_K * log2(1 + dt / PAUSE_UNIT) px
 * wide: 1 ms 7 px, 1 s 70 px, 60 s 111 px. */
#define PAUSE_K 7.0
#define PAUSE_UNIT 0.001
#define PAUSE_LABEL 1.0
/* Characters of a file name in a label (the hover has it whole). */
#define MAX_NAME 28
/* Marks sit this much after their frame's time: what ends on that frame (a
 * transfer, a DHCP round) is not stretched when a mark's label pushes. */
#define MARK_EPS 1e-6

/* ------------------------------------------------------------ collecting */

/* A DHCP, proxyDHCP, ARP, TFTP or HTTP request/reply packet of a client. */
typedef struct {
    uint32_t frame;
    uint32_t attempt;
    double time;
    uint8_t stage;
    uint8_t phase;
    bool retry;              /* a request sent again in its attempt and DHCP round */
} html_event_t;

typedef struct {
    GArray *events;          /* html_event_t, in input order */
    uint32_t dropped;        /* past HTML_MAX_EVENTS */
} html_client_t;

typedef struct {
    uint32_t first_frame, last_frame;
    double first_time, last_time;
} html_xfer_t;

typedef struct {
    uint32_t frame;
    double time;
} html_sample_t;

/* Frame -> time for one input: every event frame, and between them a
 * sample each HTML_CLOCK_STEP with the frame before a pause, so that
 * interpolating between neighbours is never off by more than a step. */
typedef struct {
    GArray *samples;         /* html_sample_t, ascending frames */
    html_sample_t prev;
    bool has_prev, prev_kept;
} html_clock_t;

struct report_html {
    GPtrArray *clocks;       /* html_clock_t*, one per input */
    GHashTable *clients;     /* gint64* (input << 48 | MAC) -> html_client_t* */
    GHashTable *xfers;       /* gint64* (input << 32 | request_in) -> html_xfer_t* */
};

static void clock_free(gpointer p)
{
    html_clock_t *ck = p;
    g_array_free(ck->samples, TRUE);
    g_free(ck);
}

static void hclient_free(gpointer p)
{
    html_client_t *hc = p;
    g_array_free(hc->events, TRUE);
    g_free(hc);
}

report_html_t *report_html_new(void)
{
    report_html_t *h = g_new0(report_html_t, 1);
    h->clocks = g_ptr_array_new_with_free_func(clock_free);
    h->clients = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, hclient_free);
    h->xfers = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, g_free);
    return h;
}

void report_html_free(report_html_t *h)
{
    if (!h)
        return;
    g_ptr_array_free(h->clocks, TRUE);
    g_hash_table_destroy(h->clients);
    g_hash_table_destroy(h->xfers);
    g_free(h);
}

void report_html_begin_input(report_html_t *h)
{
    html_clock_t *ck = g_new0(html_clock_t, 1);
    ck->samples = g_array_new(FALSE, FALSE, sizeof(html_sample_t));
    g_ptr_array_add(h->clocks, ck);
}

/* The model's client key (report_client_t.key): input and MAC. */
static gint64 client_key(unsigned input, const uint8_t mac[6])
{
    gint64 key = (gint64)input << 48;
    for (int i = 0; i < 6; i++)
        key |= (gint64)mac[i] << (8 * (5 - i));
    return key;
}

static void clock_add(html_clock_t *ck, html_sample_t s)
{
    GArray *a = ck->samples;
    if (a->len && g_array_index(a, html_sample_t, a->len - 1).frame >= s.frame)
        return;   /* hand-written input out of order: keep the clock sorted */
    g_array_append_val(a, s);
}

static void clock_note(html_clock_t *ck, uint32_t frame, double time, bool always)
{
    html_sample_t s = {frame, time};
    GArray *a = ck->samples;
    const html_sample_t *last = a->len ? &g_array_index(a, html_sample_t, a->len - 1) : NULL;
    if (always || !last || time - last->time >= HTML_CLOCK_STEP) {
        if (ck->has_prev && !ck->prev_kept)
            clock_add(ck, ck->prev);   /* the frame before the pause */
        clock_add(ck, s);
        ck->prev_kept = true;
    } else {
        ck->prev_kept = false;
    }
    ck->prev = s;
    ck->has_prev = true;
}

/* Time of a frame of input `input`; false when the clock has nothing. */
static bool clock_time(const report_html_t *h, unsigned input, uint32_t frame, double *t)
{
    if (input >= h->clocks->len)
        return false;
    const GArray *a = ((const html_clock_t *)g_ptr_array_index(h->clocks, input))->samples;
    if (!a->len)
        return false;
    guint lo = 0, hi = a->len;
    while (lo < hi) {   /* first sample with frame >= frame */
        guint mid = (lo + hi) / 2;
        if (g_array_index(a, html_sample_t, mid).frame < frame)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == a->len) {
        *t = g_array_index(a, html_sample_t, a->len - 1).time;
        return true;
    }
    const html_sample_t *b = &g_array_index(a, html_sample_t, lo);
    if (b->frame == frame || lo == 0) {
        *t = b->time;
        return true;
    }
    const html_sample_t *p = &g_array_index(a, html_sample_t, lo - 1);
    *t = p->time + (b->time - p->time) * (double)(frame - p->frame) / (double)(b->frame - p->frame);
    return true;
}

static bool is_request(unsigned stage)
{
    return stage == PXE_STAGE_DISCOVER || stage == PXE_STAGE_REQUEST ||
           stage == PXE_STAGE_PROXY_REQUEST || stage == PXE_STAGE_BOOTSRV_REQUEST;
}

/* A transfer's first request: a TFTP RRQ or an HTTP GET/HEAD. */
static bool is_file_request(unsigned stage)
{
    return stage == PXE_STAGE_TFTP_REQUEST || stage == PXE_STAGE_HTTP_REQUEST;
}

/* The stream of a transfer (TFTP DATA/ACK, HTTP body and TCP segments):
 * drawn as its bar, never packet by packet. */
static bool is_stream(unsigned stage)
{
    return stage == PXE_STAGE_TFTP_DATA || stage == PXE_STAGE_TFTP_ACK ||
           stage == PXE_STAGE_HTTP_DATA || stage == PXE_STAGE_HTTP_ACK;
}

static void note_event(report_html_t *h, unsigned input, const report_row_t *row)
{
    gint64 key = client_key(input, row->mac);
    html_client_t *hc = g_hash_table_lookup(h->clients, &key);
    if (!hc) {
        hc = g_new0(html_client_t, 1);
        hc->events = g_array_new(FALSE, FALSE, sizeof(html_event_t));
        g_hash_table_insert(h->clients, g_memdup2(&key, sizeof key), hc);
    }
    if (hc->events->len >= HTML_MAX_EVENTS) {
        hc->dropped++;
        return;
    }
    html_event_t e = {
        .frame = row->frame, .attempt = row->attempt, .time = row->time, .stage = row->stage,
        .phase = (uint8_t)MIN(row->phase, 255u),
    };
    if (is_file_request(row->stage))
        e.retry = row->tftp_request_in && row->tftp_request_in != row->frame;
    for (guint i = hc->events->len; is_request(e.stage) && i > 0; i--) {
        const html_event_t *p = &g_array_index(hc->events, html_event_t, i - 1);
        if (p->attempt == e.attempt && p->phase == e.phase && p->stage == e.stage) {
            e.retry = true;
            break;
        }
    }
    g_array_append_val(hc->events, e);
}

static void note_xfer(report_html_t *h, unsigned input, const report_row_t *row)
{
    gint64 key = (gint64)input << 32 | row->tftp_request_in;
    html_xfer_t *x = g_hash_table_lookup(h->xfers, &key);
    if (!x) {
        x = g_new(html_xfer_t, 1);
        *x = (html_xfer_t){row->frame, row->frame, row->time, row->time};
        g_hash_table_insert(h->xfers, g_memdup2(&key, sizeof key), x);
    }
    if (row->frame < x->first_frame) {
        x->first_frame = row->frame;
        x->first_time = row->time;
    }
    if (row->frame > x->last_frame) {
        x->last_frame = row->frame;
        x->last_time = row->time;
    }
}

void report_html_row(report_html_t *h, const report_row_t *row)
{
    if (!h->clocks->len)
        report_html_begin_input(h);
    unsigned input = h->clocks->len - 1;
    bool event = row->stage && !is_stream(row->stage);
    clock_note(g_ptr_array_index(h->clocks, input), row->frame, row->time,
               event || row->n_diags || row->n_verdicts);
    if (!row->has_client || !row->stage)
        return;
    if (row->tftp_file && row->tftp_request_in)
        note_xfer(h, input, row);
    if (event)
        note_event(h, input, row);
}

/* --------------------------------------------------------------- strings */

/* Text already clean (valid UTF-8, no controls), HTML-escaped: safe in
 * element content and in quoted attributes. */
static void esc_clean(GString *out, const char *s)
{
    for (const char *p = s; p && *p; p++) {
        switch (*p) {
        case '&': g_string_append(out, "&amp;"); break;
        case '<': g_string_append(out, "&lt;"); break;
        case '>': g_string_append(out, "&gt;"); break;
        case '"': g_string_append(out, "&quot;"); break;
        case '\'': g_string_append(out, "&#39;"); break;
        default: g_string_append_c(out, *p);
        }
    }
}

/* Any string, from the capture or ours: cleaned, then escaped. */
static void esc(GString *out, const char *s)
{
    if (!s)
        return;
    char *clean = report_clean_string(s);
    esc_clean(out, clean);
    g_free(clean);
}

/* A name cut to max characters in the middle, cleaned (not escaped). */
static char *short_name(const char *s, glong max)
{
    char *clean = report_clean_string(s ? s : "");
    glong n = g_utf8_strlen(clean, -1);
    if (n <= max)
        return clean;
    char *head = g_utf8_substring(clean, 0, max / 2);
    char *tail = g_utf8_substring(clean, n - (max - max / 2 - 1), n);
    char *r = g_strconcat(head, "\u2026", tail, NULL);
    g_free(head);
    g_free(tail);
    g_free(clean);
    return r;
}

static void append_size(GString *s, uint64_t bytes)
{
    if (bytes < 1024)
        g_string_append_printf(s, "%" PRIu64 " B", bytes);
    else if (bytes < 1024 * 1024)
        g_string_append_printf(s, "%.1f KiB", (double)bytes / 1024);
    else if (bytes < 1024ull * 1024 * 1024)
        g_string_append_printf(s, "%.1f MiB", (double)bytes / (1024 * 1024));
    else
        g_string_append_printf(s, "%.2f GiB", (double)bytes / (1024.0 * 1024 * 1024));
}

/* Bytes per second, or nothing when the duration is too short to say. */
static bool append_rate(GString *s, const report_file_t *f)
{
    if (!f->bytes || !(f->duration > 1e-6))
        return false;
    double r = (double)f->bytes / f->duration;
    if (r < 1024)
        g_string_append_printf(s, "%.0f B/s", r);
    else if (r < 1024 * 1024)
        g_string_append_printf(s, "%.1f KiB/s", r / 1024);
    else
        g_string_append_printf(s, "%.1f MiB/s", r / (1024 * 1024));
    return true;
}

static void append_pause(GString *s, double dt)
{
    if (dt < 100)
        g_string_append_printf(s, "%.1f s", dt);
    else if (dt < 3600)
        g_string_append_printf(s, "%.0f s", dt);
    else
        g_string_append_printf(s, "%.1f h", dt / 3600);
}

static void append_frames(GString *s, const GArray *frames, bool truncated)
{
    if (!frames->len)
        return;
    g_string_append(s, frames->len == 1 ? "; frame" : "; frames");
    for (guint i = 0; i < frames->len && i < 16; i++)
        g_string_append_printf(s, " %" PRIu32, g_array_index(frames, uint32_t, i));
    if (frames->len > 16 || truncated)
        g_string_append(s, " ...");
}

/* ----------------------------------------------------------------- lanes */

typedef enum {
    K_ATTEMPT,               /* separator and base line */
    K_SPAN,                  /* a DHCP or proxyDHCP round */
    K_FILE,                  /* a TFTP or HTTP transfer */
    K_TICK,                  /* a packet */
    K_MARK                   /* a diagnosis or the attempt's outcome */
} kind_t;

typedef enum {
    SH_BAND,                 /* rounds, transfers, base lines: by kind */
    SH_TALL,                 /* a request */
    SH_SHORT,                /* a reply, a frame on a bar */
    SH_DIAMOND,              /* where an attempt failed */
    SH_TRIANGLE,             /* another error, a warning */
    SH_DOT                   /* ok decided, or undecided at the end */
} shape_t;

typedef struct {
    kind_t kind;
    shape_t shape;
    double t0, t1;
    const char *cls;         /* CSS class of the shape */
    char *label;             /* clean, not escaped; NULL: none */
    const char *label_cls;
    char *title;             /* clean, '\n' between lines; escaped when written */
    bool floating;           /* placed by time only, takes no room (ticks on a bar) */
    double lx;               /* where the label starts */
} item_t;

typedef struct {
    const report_html_t *h;
    const report_client_t *c;
    double t0;               /* the client's first packet */
    GArray *items;           /* item_t */
    GArray *bps;             /* double: the times things start or end, ascending */
    GArray *xs;              /* double: their x */
    double width;
} lane_t;

/* Items keep times from the client's first packet: epoch seconds in a
 * double cannot tell MARK_EPS apart. */
static item_t *add_item(lane_t *l, kind_t kind, double t0, double t1, const char *cls)
{
    t0 -= l->t0;
    t1 -= l->t0;
    item_t it = {.kind = kind, .t0 = t0, .t1 = t1 < t0 ? t0 : t1, .cls = cls};
    g_array_append_val(l->items, it);
    return &g_array_index(l->items, item_t, l->items->len - 1);
}

/* "+12.345 s" from the client's first packet. */
static void append_at(GString *s, const lane_t *l, double t)
{
    g_string_append_printf(s, "+%.3f s", t - l->t0);
}

static const char *stage_title(unsigned stage)
{
    const char *n = pxe_stage_name(stage);
    return n ? n : "?";
}

static void add_ticks(lane_t *l, const report_attempt_t *a, const GArray *events)
{
    for (guint i = 0; i < events->len; i++) {
        const html_event_t *e = &g_array_index(events, html_event_t, i);
        if (e->attempt != a->number)
            continue;
        bool req = is_request(e->stage) || is_file_request(e->stage);
        item_t *it = add_item(l, K_TICK, e->time, e->time, e->retry ? "tx" : req ? "tq" : "tr");
        it->shape = req || e->retry ? SH_TALL : SH_SHORT;
        GString *t = g_string_new(NULL);
        g_string_printf(t, "frame %" PRIu32 ": %s%s, ", e->frame, stage_title(e->stage),
                        e->retry ? " sent again" : "");
        if (e->phase > 1)
            g_string_append_printf(t, "DHCP round %u, ", e->phase);
        append_at(t, l, e->time);
        it->title = g_string_free(t, FALSE);
    }
}

/* One span per DHCP round and kind: the address exchange (port 67) and the
 * proxyDHCP / boot server exchange (port 4011). */
static void add_spans(lane_t *l, const report_attempt_t *a, const GArray *events)
{
    for (unsigned phase = 1; phase <= MIN(a->phases, 255u); phase++) {
        for (int proxy = 0; proxy < 2; proxy++) {
            double lo = INFINITY, hi = -INFINITY;
            unsigned n = 0;
            for (guint i = 0; i < events->len; i++) {
                const html_event_t *e = &g_array_index(events, html_event_t, i);
                bool is_proxy = e->stage >= PXE_STAGE_PROXY_REQUEST && e->stage <= PXE_STAGE_BOOTSRV_ACK;
                bool is_dhcp = e->stage >= PXE_STAGE_DISCOVER && e->stage <= PXE_STAGE_INFORM;
                if (e->attempt != a->number || e->phase != phase || !(proxy ? is_proxy : is_dhcp))
                    continue;
                lo = MIN(lo, e->time);
                hi = MAX(hi, e->time);
                n++;
            }
            if (!n)
                continue;
            item_t *it = add_item(l, K_SPAN, lo, hi, proxy ? "sp" : "sd");
            it->label = phase == 1 ? g_strdup(proxy ? "proxyDHCP" : "DHCP")
                                   : g_strdup_printf(proxy ? "proxyDHCP %u" : "DHCP %u", phase);
            it->label_cls = "l";
            GString *t = g_string_new(NULL);
            g_string_printf(t, "%s, DHCP round %u%s: %u packets over %.3f s, ",
                            proxy ? "proxyDHCP (port 4011)" : "DHCP", phase,
                            phase > 1 ? " (the boot program's own)" : "", n, hi - lo);
            append_at(t, l, lo);
            it->title = g_string_free(t, FALSE);
        }
    }
}

/* A failed transfer a probe-miss note explains (the text format lists it
 * with the note, not as a file). */
static bool is_probe_miss(const report_attempt_t *a, const report_file_t *f)
{
    if (f->complete)
        return false;
    for (guint i = 0; i < a->diags->len; i++) {
        const report_diag_t *d = g_ptr_array_index(a->diags, i);
        for (guint k = 0; d->code == PXE_CODE_PROBE_MISS && k < d->frames->len; k++)
            if (g_array_index(d->frames, uint32_t, k) == f->last_frame)
                return true;
    }
    return false;
}

static void file_times(const lane_t *l, const report_file_t *f, double *t0, double *t1)
{
    gint64 key = (gint64)l->c->capture << 32 | f->request_in;
    const html_xfer_t *x = g_hash_table_lookup(l->h->xfers, &key);
    if (x) {
        *t0 = x->first_time;
        *t1 = x->last_time;
        return;
    }
    /* not seen row by row (a unit test's model): the clock, else nothing */
    if (!clock_time(l->h, l->c->capture, f->first_frame, t0))
        *t0 = l->t0;
    if (!clock_time(l->h, l->c->capture, f->last_frame, t1))
        *t1 = *t0;
}

/* Hover text: name, role, protocol, status, bytes, duration, rate, frames,
 * when. */
static char *file_title(const lane_t *l, const report_file_t *f, bool probe, double t0)
{
    char *name = report_clean_string(f->name ? f->name : "");
    GString *t = g_string_new(name);
    g_free(name);
    if (f->nbp)
        g_string_append(t, " (boot file, NBP)");
    if (f->phase > 1)
        g_string_append_printf(t, " (DHCP round %" PRIu32 ")", f->phase);
    bool missing = probe && f->status != REPORT_XFER_SIZE_PROBE;
    g_string_append_printf(t, "\n%s, %s, %" PRIu64 " bytes", report_proto_label(f->proto),
                           missing ? "probe for an optional file, not there"
                                   : report_xfer_status_name(f->status), f->bytes);
    if (f->has_tsize)
        g_string_append_printf(t, " of %" PRIu64, f->tsize);
    g_string_append_printf(t, ", %.3f s", f->duration);
    GString *rate = g_string_new(NULL);
    if (append_rate(rate, f))
        g_string_append_printf(t, ", %s", rate->str);
    g_string_free(rate, TRUE);
    g_string_append_printf(t, "\nframes %" PRIu32 "-%" PRIu32 ", ", f->first_frame, f->last_frame);
    append_at(t, l, t0);
    return g_string_free(t, FALSE);
}

/* "name \u00b7 size \u00b7 rate", "name \u00b7 14320 of 41.4 KiB",
 * "name \u00b7 failed". */
static char *file_label(const report_file_t *f)
{
    char *sn = short_name(f->name, MAX_NAME);
    GString *lb = g_string_new(sn);
    g_free(sn);
    g_string_append(lb, " \u00b7 ");
    if (!f->complete && !f->bytes) {
        g_string_append(lb, report_xfer_status_name(f->status));
    } else if (f->has_tsize && f->tsize != f->bytes) {
        g_string_append_printf(lb, "%" PRIu64 " of ", f->bytes);
        append_size(lb, f->tsize);
    } else {
        append_size(lb, f->bytes);
    }
    GString *rate = g_string_new(NULL);
    if (f->complete && append_rate(rate, f))
        g_string_append_printf(lb, " \u00b7 %s", rate->str);
    g_string_free(rate, TRUE);
    return g_string_free(lb, FALSE);
}

/* A bar; size probes and probes for optional files unlabelled (the
 * text format lists them with their note, not as files). */
static void add_file(lane_t *l, const report_attempt_t *a, const report_file_t *f)
{
    double t0, t1;
    file_times(l, f, &t0, &t1);
    bool probe = f->status == REPORT_XFER_SIZE_PROBE || is_probe_miss(a, f);
    const char *cls = probe ? "fp" : f->complete ? "fc"
                      : f->status == REPORT_XFER_FAILED ? "ff" : "fi";
    item_t *it = add_item(l, K_FILE, t0, t1, cls);
    it->title = file_title(l, f, probe, t0);
    if (!probe) {
        it->label = file_label(f);
        it->label_cls = f->complete ? "l" : "le";
    }
}

/* Evidence frames of any diagnosis inside a transfer (retransmissions, a
 * repeated ACK): ticks on the bar. */
static void add_bar_ticks(lane_t *l, const report_attempt_t *a, const report_diag_t *d)
{
    for (guint k = 0; k < d->frames->len; k++) {
        uint32_t fr = g_array_index(d->frames, uint32_t, k);
        for (guint i = 0; i < a->files->len; i++) {
            const report_file_t *f = g_ptr_array_index(a->files, i);
            double t;
            if (fr <= f->first_frame || fr >= f->last_frame || !clock_time(l->h, l->c->capture, fr, &t))
                continue;
            item_t *it = add_item(l, K_TICK, t, t, "tb");
            it->shape = SH_SHORT;
            it->floating = true;
            it->title = g_strdup_printf("frame %" PRIu32 ", named by %s", fr, pxe_code_info(d->code)->code);
            break;
        }
    }
}

static const report_diag_t *deciding_diag(const report_attempt_t *a)
{
    if (a->outcome != PXE_OUTCOME_FAILED || a->outcome_code < 0)
        return NULL;
    for (guint i = 0; i < a->diags->len; i++) {
        const report_diag_t *d = g_ptr_array_index(a->diags, i);
        if ((int)d->code == a->outcome_code)
            return d;
    }
    return NULL;
}

static void diag_title(GString *t, const report_diag_t *d)
{
    char *sum = report_clean_string(d->summary ? d->summary : "");
    const char *code = pxe_code_info(d->code)->code;
    /* summaries read "CODE: cause - what to check" */
    if (g_str_has_prefix(sum, code))
        g_string_append_printf(t, "%s: %s", pxe_severity_name(d->severity), sum);
    else
        g_string_append_printf(t, "%s: %s: %s", pxe_severity_name(d->severity), code, sum);
    if (d->count > 1)
        g_string_append_printf(t, " (%" PRIu32 " times)", d->count);
    append_frames(t, d->frames, d->frames_truncated);
    g_free(sum);
}

/* Errors and warnings other than the one that decided the attempt: a
 * triangle at their last evidence frame. */
static void add_diags(lane_t *l, const report_attempt_t *a)
{
    const report_diag_t *decider = deciding_diag(a);
    for (guint i = 0; i < a->diags->len; i++) {
        const report_diag_t *d = g_ptr_array_index(a->diags, i);
        add_bar_ticks(l, a, d);
        if (d == decider || d->severity == PXE_SEV_NOTE)
            continue;
        /* its last evidence frame within the attempt (boot-restart names
         * the next attempt's DISCOVER too) */
        double t = a->last_time;
        uint32_t at = 0;
        for (guint k = 0; k < d->frames->len; k++) {
            uint32_t fr = g_array_index(d->frames, uint32_t, k);
            if (!at || fr <= a->last_frame)
                at = fr;
        }
        if (at)
            clock_time(l->h, l->c->capture, at, &t);
        bool err = d->severity == PXE_SEV_ERROR;
        item_t *it = add_item(l, K_MARK, t + MARK_EPS, t + MARK_EPS, err ? "me" : "mw");
        it->shape = SH_TRIANGLE;
        it->label = g_strdup(pxe_code_info(d->code)->code);
        it->label_cls = err ? "le" : "lw";
        GString *s = g_string_new(NULL);
        diag_title(s, d);
        it->title = g_string_free(s, FALSE);
    }
}

static void add_outcome(lane_t *l, const report_attempt_t *a)
{
    report_outcome_t o = report_attempt_outcome(a);
    double t = o == REPORT_INCOMPLETE || !a->outcome_frame ? a->last_time : a->outcome_time;
    item_t *it = add_item(l, K_MARK, t + MARK_EPS, t + MARK_EPS,
                          o == REPORT_FAILED ? "mf" : o == REPORT_OK ? "mo" : "mi");
    it->shape = o == REPORT_FAILED ? SH_DIAMOND : SH_DOT;
    GString *s = g_string_new(NULL);
    g_string_printf(s, "attempt %" PRIu32 ": %s", a->number, report_outcome_name(o));
    if (a->outcome_frame) {
        char *reason = report_clean_string(a->outcome_reason ? a->outcome_reason : "");
        g_string_append_printf(s, ", decided on frame %" PRIu32 ": %s", a->outcome_frame, reason);
        g_free(reason);
    } else {
        g_string_append_printf(s, ": nothing decided it before the input ended (last frame %" PRIu32 ")",
                               a->last_frame);
    }
    const report_diag_t *d = deciding_diag(a);
    if (d) {
        g_string_append_c(s, '\n');
        diag_title(s, d);
    }
    g_string_append_c(s, '\n');
    append_at(s, l, t);
    it->title = g_string_free(s, FALSE);
    if (o == REPORT_FAILED) {
        it->label = g_strdup(a->outcome_code >= 0 ? pxe_code_info((pxe_code_t)a->outcome_code)->code
                                                  : "failed");
        it->label_cls = "lf";
    }
}

static void add_attempt(lane_t *l, const report_attempt_t *a, const GArray *events)
{
    guint first = l->items->len;
    item_t *it = add_item(l, K_ATTEMPT, a->first_time, a->last_time, "ab");
    if (l->c->attempts->len > 1) {
        it->label = g_strdup_printf("#%" PRIu32, a->number);
        it->label_cls = "la";
    }
    GString *t = g_string_new(NULL);
    g_string_printf(t, "attempt %" PRIu32 ": frames %" PRIu32 "-%" PRIu32 ", %.3f s, ", a->number,
                    a->first_frame, a->last_frame, a->last_time - a->first_time);
    append_at(t, l, a->first_time);
    it->title = g_string_free(t, FALSE);
    if (events) {
        add_spans(l, a, events);
        add_ticks(l, a, events);
    }
    for (guint i = 0; i < a->files->len; i++)
        add_file(l, a, g_ptr_array_index(a->files, i));
    add_diags(l, a);
    add_outcome(l, a);
    /* the base line reaches what is drawn of the attempt (a verdict can
     * come after its last frame, a mark sits just after its frame) */
    item_t *base = &g_array_index(l->items, item_t, first);
    for (guint i = first + 1; i < l->items->len; i++)
        base->t1 = MAX(base->t1, g_array_index(l->items, item_t, i).t1);
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return x < y ? -1 : x > y;
}

static double pause_width(double dt)
{
    return dt > 0 ? PAUSE_K * log2(1.0 + dt / PAUSE_UNIT) : 0.0;
}

static guint bp_index(const lane_t *l, double t)
{
    guint lo = 0, hi = l->bps->len;
    while (lo < hi) {   /* last breakpoint <= t */
        guint mid = (lo + hi) / 2;
        if (g_array_index(l->bps, double, mid) <= t)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo ? lo - 1 : 0;
}

static double x_of(const lane_t *l, double t)
{
    guint i = bp_index(l, t);
    double b0 = g_array_index(l->bps, double, i), x0 = g_array_index(l->xs, double, i);
    if (t <= b0 || i + 1 >= l->bps->len)
        return x0;
    double b1 = g_array_index(l->bps, double, i + 1), x1 = g_array_index(l->xs, double, i + 1);
    return x0 + (x1 - x0) * (t - b0) / (b1 - b0);
}

static double label_width(const char *label)
{
    return CHAR_W * (double)g_utf8_strlen(label, -1);
}

/* Label order at one time: attempt number, rounds, files, marks. */
static int cmp_labelled(const void *a, const void *b)
{
    const item_t *x = *(item_t *const *)a, *y = *(item_t *const *)b;
    if (x->t0 != y->t0)
        return x->t0 < y->t0 ? -1 : 1;
    if (x->kind != y->kind)
        return (int)x->kind - (int)y->kind;
    return x < y ? -1 : x > y;
}

/* x of every breakpoint: the pause before it, pushed right so the labels
 * of what starts there begin after the previous label ends. */
static void layout(lane_t *l)
{
    for (guint i = 0; i < l->items->len; i++) {
        const item_t *it = &g_array_index(l->items, item_t, i);
        if (it->floating)
            continue;
        g_array_append_val(l->bps, it->t0);
        g_array_append_val(l->bps, it->t1);
    }
    if (!l->bps->len) {
        double t = 0;
        g_array_append_val(l->bps, t);
    }
    g_array_sort(l->bps, cmp_double);
    guint n = 0;
    for (guint i = 0; i < l->bps->len; i++) {
        double t = g_array_index(l->bps, double, i);
        if (!n || t > g_array_index(l->bps, double, n - 1))
            g_array_index(l->bps, double, n++) = t;
    }
    g_array_set_size(l->bps, n);
    g_array_set_size(l->xs, n);

    GPtrArray *labelled = g_ptr_array_new();
    for (guint i = 0; i < l->items->len; i++) {
        item_t *it = &g_array_index(l->items, item_t, i);
        if (it->label)
            g_ptr_array_add(labelled, it);
    }
    g_ptr_array_sort(labelled, cmp_labelled);
    double label_end = -LABEL_GAP;
    guint next = 0;
    for (guint i = 0; i < n; i++) {
        double b = g_array_index(l->bps, double, i);
        double x = i ? g_array_index(l->xs, double, i - 1) +
                       pause_width(b - g_array_index(l->bps, double, i - 1))
                     : PAD_L;
        bool first = true;
        for (; next < labelled->len; next++) {
            item_t *it = g_ptr_array_index(labelled, next);
            if (it->t0 > b)
                break;
            if (first && x < label_end + LABEL_GAP)
                x = label_end + LABEL_GAP;
            first = false;
            it->lx = MAX(x, label_end + LABEL_GAP);
            label_end = it->lx + label_width(it->label);
        }
        g_array_index(l->xs, double, i) = x;
    }
    g_ptr_array_free(labelled, TRUE);
    l->width = ceil(MAX(g_array_index(l->xs, double, n - 1), label_end) + PAD_R);
}

/* ----------------------------------------------------------------- SVG */

/* report_clean_string turns '\n' into '?': escaped line by line. */
static void esc_lines(GString *out, const char *text)
{
    char **lines = g_strsplit(text, "\n", -1);
    for (char **p = lines; *p; p++) {
        if (p != lines)
            g_string_append(out, "&#10;");
        esc(out, *p);
    }
    g_strfreev(lines);
}

static void shape_title(GString *out, const item_t *it)
{
    if (!it->title)
        return;
    g_string_append(out, "<title>");
    esc_lines(out, it->title);
    g_string_append(out, "</title>");
}

static bool covered_by_bar(const lane_t *l, double a, double b)
{
    for (guint i = 0; i < l->items->len; i++) {
        const item_t *it = &g_array_index(l->items, item_t, i);
        if (it->kind == K_FILE && it->t0 <= a && it->t1 >= b)
            return true;
    }
    return false;
}

/* A packet or a mark at x. */
static void svg_mark(GString *out, const item_t *it, double x)
{
    switch (it->shape) {
    case SH_TALL:
    case SH_SHORT: {
        bool tall = it->shape == SH_TALL;
        g_string_append_printf(out, "<path class=\"%s\" d=\"M%.1f,%dV%d\">", it->cls, x,
                               tall ? TRACK_Y - 3 : TRACK_Y + 2,
                               tall ? TRACK_Y + TRACK_H + 3 : TRACK_Y + TRACK_H - 2);
        break;
    }
    case SH_DIAMOND:   /* over the track */
        g_string_append_printf(out, "<path class=\"%s\" d=\"M%.1f,%dl6,7l-6,7l-6,-7z\">", it->cls, x,
                               TRACK_MID - 7);
        break;
    case SH_TRIANGLE:   /* pointing down at the track */
        g_string_append_printf(out, "<path class=\"%s\" d=\"M%.1f,%dh9l-4.5,7z\">", it->cls, x - 4.5,
                               TRACK_Y - 2);
        break;
    case SH_DOT:
    case SH_BAND:
        g_string_append_printf(out, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%d\" r=\"4\">", it->cls, x,
                               TRACK_MID);
        shape_title(out, it);
        g_string_append(out, "</circle>");
        return;
    }
    shape_title(out, it);
    g_string_append(out, "</path>");
}

static void svg_item(GString *out, const lane_t *l, const item_t *it)
{
    double x0 = x_of(l, it->t0), x1 = x_of(l, it->t1);
    switch (it->kind) {
    case K_ATTEMPT:
        if (it->label)   /* several attempts: a separator before each */
            g_string_append_printf(out, "<path class=\"as\" d=\"M%.1f,1V%d\"/>", x0 - 3, LANE_H - 4);
        g_string_append_printf(out, "<path class=\"ab\" d=\"M%.1f,%dH%.1f\">", x0, TRACK_MID, x1);
        shape_title(out, it);
        g_string_append(out, "</path>");
        break;
    case K_SPAN:
    case K_FILE:
        g_string_append_printf(out, "<rect class=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\">",
                               it->cls, x0, it->kind == K_SPAN ? TRACK_Y + 1 : TRACK_Y,
                               MAX(x1 - x0, it->kind == K_SPAN ? 2.0 : 3.0),
                               it->kind == K_SPAN ? TRACK_H - 2 : TRACK_H);
        shape_title(out, it);
        g_string_append(out, "</rect>");
        break;
    case K_TICK:
    case K_MARK:
        svg_mark(out, it, x0);
        break;
    }
}

static void svg_lane(GString *out, const lane_t *l)
{
    g_string_append_printf(out, "<svg class=\"tl\" width=\"%.0f\" height=\"%d\">", l->width, LANE_H);
    /* back to front: rounds, base lines, bars, packets, marks, labels */
    static const kind_t order[] = {K_SPAN, K_ATTEMPT, K_FILE, K_TICK, K_MARK};
    for (unsigned k = 0; k < G_N_ELEMENTS(order); k++)
        for (guint i = 0; i < l->items->len; i++) {
            const item_t *it = &g_array_index(l->items, item_t, i);
            if (it->kind == order[k])
                svg_item(out, l, it);
        }
    for (guint i = 0; i < l->items->len; i++) {
        const item_t *it = &g_array_index(l->items, item_t, i);
        if (!it->label)
            continue;
        g_string_append_printf(out, "<text class=\"%s\" x=\"%.1f\" y=\"%d\">", it->label_cls, it->lx,
                               LABEL_Y);
        esc_clean(out, it->label);
        g_string_append(out, "</text>");
    }
    for (guint i = 1; i < l->bps->len; i++) {
        double a = g_array_index(l->bps, double, i - 1), b = g_array_index(l->bps, double, i);
        if (b - a < PAUSE_LABEL || covered_by_bar(l, a, b))
            continue;
        GString *p = g_string_new(NULL);
        append_pause(p, b - a);
        g_string_append_printf(out, "<text class=\"g\" x=\"%.1f\" y=\"%d\">%s</text>",
                               (g_array_index(l->xs, double, i - 1) + g_array_index(l->xs, double, i)) / 2,
                               PAUSE_Y, p->str);
        g_string_free(p, TRUE);
    }
    g_string_append(out, "</svg>");
}

static void lane_init(lane_t *l, const report_html_t *h, const report_client_t *c)
{
    memset(l, 0, sizeof *l);
    l->h = h;
    l->c = c;
    l->items = g_array_new(FALSE, FALSE, sizeof(item_t));
    l->bps = g_array_new(FALSE, FALSE, sizeof(double));
    l->xs = g_array_new(FALSE, FALSE, sizeof(double));
    l->t0 = INFINITY;
    for (guint i = 0; i < c->attempts->len; i++)
        l->t0 = MIN(l->t0, ((const report_attempt_t *)g_ptr_array_index(c->attempts, i))->first_time);
}

static void lane_clear(lane_t *l)
{
    for (guint i = 0; i < l->items->len; i++) {
        item_t *it = &g_array_index(l->items, item_t, i);
        g_free(it->label);
        g_free(it->title);
    }
    g_array_free(l->items, TRUE);
    g_array_free(l->bps, TRUE);
    g_array_free(l->xs, TRUE);
}

/* ------------------------------------------------------------------ page */

/* The code of the failure the lane's outcome stands for: the latest failed
 * attempt's (the fold lets an unfinished last attempt leave it standing). */
static const char *failed_code(const report_client_t *c)
{
    for (guint i = c->attempts->len; i > 0; i--) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i - 1);
        if (a->outcome == PXE_OUTCOME_FAILED)
            return a->outcome_code >= 0 ? pxe_code_info((pxe_code_t)a->outcome_code)->code : "failed";
    }
    return "failed";
}

/* What the filter box matches: MAC, outcome, codes, files, firmware,
 * address, capture; lower case. */
static char *search_key(const report_client_t *c, report_outcome_t o, const char *fw,
                        const char *addr)
{
    GString *k = g_string_new(c->mac_str);
    g_string_append_printf(k, " %s %s %s %s", report_outcome_name(o), fw ? fw : "", addr ? addr : "",
                           c->capture_name ? c->capture_name : "");
    for (guint i = 0; i < c->attempts->len; i++) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i);
        for (guint d = 0; d < a->diags->len; d++)
            g_string_append_printf(k, " %s",
                                   pxe_code_info(((const report_diag_t *)g_ptr_array_index(a->diags, d))->code)->code);
        for (guint f = 0; f < a->files->len; f++)
            g_string_append_printf(k, " %s", ((const report_file_t *)g_ptr_array_index(a->files, f))->name);
    }
    char *clean = report_clean_string(k->str);
    char *low = g_utf8_strdown(clean, -1);
    g_free(clean);
    g_string_free(k, TRUE);
    return low;
}

/* What a client is, as the text format's details: the latest known. */
typedef struct {
    const char *fw, *addr, *bootfile;
    const report_attempt_t *arch;
} known_t;

static void lane_who(GString *out, const report_client_t *c, report_outcome_t o, const known_t *k,
                     double since, bool show_capture)
{
    const char *fw = k->fw, *addr = k->addr;
    const report_attempt_t *arch = k->arch;
    g_string_append_printf(out, "<span class=\"who\"><b class=\"mac\">%s</b> <span class=\"o\">%s</span>",
                           c->mac_str, report_outcome_name(o));
    if (o == REPORT_FAILED)
        g_string_append_printf(out, " <span class=\"c\">%s</span>", failed_code(c));
    GString *s = g_string_new(NULL);
    g_string_append(s, fw ? fw : "unknown firmware");
    if (arch) {
        const char *an = pxe_arch_name(arch->arch);
        g_string_append_printf(s, " \u00b7 %s", an ? an : "arch ?");
    }
    if (addr)
        g_string_append_printf(s, " \u00b7 %s", addr);
    g_string_append_printf(s, " \u00b7 at +%.3f s", since);
    if (c->attempts->len > 1)
        g_string_append_printf(s, " \u00b7 %u attempts", c->attempts->len);
    if (show_capture)
        g_string_append_printf(s, " \u00b7 %s", c->capture_name ? c->capture_name : "standard input");
    g_string_append(out, "<small>");
    esc(out, s->str);
    g_string_append(out, "</small></span>");
    g_string_free(s, TRUE);
}

/* The text format's details of the client, for the folded-open lane. */
static void lane_details(GString *out, const report_client_t *c, bool show_capture)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *mem = open_memstream(&buf, &len);
    if (!mem)
        return;
    report_text_details(mem, c, false, show_capture);
    fclose(mem);
    g_string_append(out, "<pre>");
    esc_lines(out, buf);
    g_string_append(out, "</pre>");
    free(buf);
}

/* Returns the width of the lane's time line. */
static double write_lane(FILE *out, const report_html_t *h, const report_client_t *c, double since,
                         bool show_capture)
{
    report_outcome_t o = report_client_outcome(c);
    known_t kn;
    report_client_known(c, &kn.fw, &kn.addr, &kn.arch, &kn.bootfile);
    GString *s = g_string_sized_new(4096);
    const char *on = report_outcome_name(o);
    g_string_append_printf(s, "<details class=\"lane %s\" data-mac=\"%s\" data-outcome=\"%s\"", on,
                           c->mac_str, on);
    if (o == REPORT_FAILED)
        g_string_append_printf(s, " data-code=\"%s\"", failed_code(c));
    char *k = search_key(c, o, kn.fw, kn.addr);
    g_string_append(s, " data-k=\"");
    esc_clean(s, k);
    g_free(k);
    g_string_append(s, "\"><summary>");
    lane_who(s, c, o, &kn, since, show_capture);

    lane_t l;
    lane_init(&l, h, c);
    gint64 key = client_key(c->capture, c->mac);
    const html_client_t *hc = g_hash_table_lookup(h->clients, &key);
    guint skip = c->attempts->len > HTML_MAX_ATTEMPTS ? c->attempts->len - HTML_MAX_ATTEMPTS : 0;
    for (guint i = skip; i < c->attempts->len; i++)
        add_attempt(&l, g_ptr_array_index(c->attempts, i), hc ? hc->events : NULL);
    layout(&l);
    svg_lane(s, &l);
    double width = l.width;
    lane_clear(&l);
    g_string_append(s, "</summary>");
    if (skip)
        g_string_append_printf(s, "<p class=\"more\">%u earlier attempts are not drawn.</p>", skip);
    if (hc && hc->dropped)
        g_string_append_printf(s, "<p class=\"more\">%" PRIu32 " more packets are not drawn.</p>",
                               hc->dropped);
    lane_details(s, c, show_capture);
    g_string_append(s, "</details>\n");
    fwrite(s->str, 1, s->len, out);
    g_string_free(s, TRUE);
    return width;
}

static const char page_css[] =
    "body{font:13px/1.35 'DejaVu Sans',Arial,sans-serif;margin:0;color:#212529;background:#fff}"
    "header{padding:10px 14px;border-bottom:1px solid #dee2e6;position:sticky;left:0}"
    "h1{font-size:17px;margin:0 0 4px}"
    "p,.meta{margin:3px 0}.inputs{display:inline}.inputs summary{display:inline;cursor:pointer;"
    "text-decoration:underline dotted}.inputs[open]{display:block}"
    ".sum b{font-size:15px}"
    ".n-ok{color:#2b8a3e}.n-failed{color:#c92a2a;font-weight:bold}.n-incomplete{color:#b35c00}"
    ".legend{display:flex;flex-wrap:wrap;gap:2px 14px;margin:6px 0 2px;padding:0;list-style:none;"
    "font-size:12px;color:#495057}"
    ".legend li{display:flex;align-items:center;gap:4px}"
    ".tools{display:flex;flex-wrap:wrap;align-items:center;gap:6px 12px;margin-top:6px}"
    ".tools input[type=search]{width:260px;padding:2px 5px}"
    ".tools button{padding:1px 8px}"
    ".note{font-size:12px;color:#6c757d}"
    "[hidden]{display:none!important}"
    "main{min-width:100%;width:max-content}"
    /* lanes out of sight are not laid out or painted: 1,000 lanes open fast */
    ".lane{border-bottom:1px solid #e9ecef;border-left:5px solid #adb5bd;"
    "content-visibility:auto;contain-intrinsic-size:auto 37px}"
    ".lane.ok{border-left-color:#2f9e44}"
    ".lane.failed{border-left-color:#e03131;background:#fff5f5}"
    ".lane.incomplete{border-left-color:#f59f00;background:#fff9db}"
    ".lane summary{display:flex;align-items:center;cursor:pointer;list-style:none}"
    ".lane summary::-webkit-details-marker{display:none}"
    ".who{position:sticky;left:0;z-index:1;flex:none;box-sizing:border-box;width:330px;"
    "padding:1px 6px 1px 16px;background:inherit;white-space:nowrap;overflow:hidden;"
    "text-overflow:ellipsis}"
    ".lane.failed .who{background:#fff5f5}.lane.incomplete .who{background:#fff9db}"
    ".lane.ok .who{background:#fff}"
    ".who::before{content:'\\25B8';position:absolute;left:4px;color:#868e96}"
    ".lane[open] .who::before{content:'\\25BE'}"
    ".who small{display:block;color:#6c757d;font-size:11px;overflow:hidden;text-overflow:ellipsis}"
    ".mac{font-family:'DejaVu Sans Mono',monospace;font-weight:normal}"
    ".o{font-size:11px;padding:0 5px;border-radius:3px;color:#fff;background:#868e96}"
    ".ok .o{background:#2f9e44}.failed .o{background:#e03131}.incomplete .o{background:#f59f00}"
    ".c{color:#c92a2a;font-weight:bold;font-family:'DejaVu Sans Mono',monospace}"
    ".lane pre{margin:0 0 6px 16px;font:12px/1.3 'DejaVu Sans Mono',monospace;color:#343a40}"
    ".more{margin-left:16px;font-size:12px;color:#6c757d}"
    "svg text{font:10px 'DejaVu Sans Mono',monospace;fill:#343a40;white-space:pre}"
    "svg .lf{fill:#c92a2a;font-weight:bold}svg .le{fill:#c92a2a}svg .lw{fill:#b35c00}"
    "svg .la{fill:#495057;font-weight:bold}"
    "svg .g{fill:#868e96;font-size:9px;font-style:italic;text-anchor:middle}"
    ".sd{fill:#d0ebff;stroke:#74c0fc}.sp{fill:#e5dbff;stroke:#b197fc}"
    ".fc{fill:#1c7ed6}.ff{fill:#ffc9c9;stroke:#e03131}.fi{fill:#ced4da;stroke:#868e96}"
    ".fp{fill:#e9ecef;stroke:#adb5bd}"
    ".tq{stroke:#343a40;stroke-width:1.2}.tr{stroke:#868e96}.tx{stroke:#f08c00;stroke-width:2.4}"
    ".tb{stroke:#fcc419;stroke-width:2}"
    ".ab{stroke:#ced4da;stroke-width:1}.as{stroke:#868e96;stroke-dasharray:3 2}"
    ".mf{fill:#e03131;stroke:#fff;stroke-width:1}.me{fill:#e03131}.mw{fill:#f59f00}"
    ".mo{fill:#2f9e44;stroke:#fff}.mi{fill:#fff;stroke:#868e96;stroke-width:1.5}";

/* Filter (words, all must match), outcome boxes, open/close all, the
 * count; it reads only the lanes' data attributes. */
static const char page_js[] =
    "(function(){'use strict';"
    "var lanes=Array.prototype.slice.call(document.querySelectorAll('details.lane'));"
    "var tools=document.getElementById('tools'),q=document.getElementById('q'),"
    "count=document.getElementById('count'),"
    "boxes=Array.prototype.slice.call(tools.querySelectorAll('input[type=checkbox]'));"
    "function apply(){var words=q.value.toLowerCase().split(/\\s+/).filter(Boolean),on={},n=0;"
    "boxes.forEach(function(b){on[b.value]=b.checked;});"
    "lanes.forEach(function(l){var k=l.getAttribute('data-k'),show=on[l.getAttribute('data-outcome')]"
    "&&words.every(function(w){return k.indexOf(w)>=0;});l.hidden=!show;if(show)n++;});"
    "count.textContent=n+' of '+lanes.length+' clients shown';}"
    "function openAll(v){lanes.forEach(function(l){if(!l.hidden)l.open=v;});}"
    "q.addEventListener('input',apply);"
    "boxes.forEach(function(b){b.addEventListener('change',apply);});"
    "document.getElementById('open').addEventListener('click',function(){openAll(true);});"
    "document.getElementById('close').addEventListener('click',function(){openAll(false);});"
    "tools.hidden=false;apply();})();";

static void legend_item(FILE *out, const char *svg, const char *text)
{
    fprintf(out, "<li><svg width=\"22\" height=\"16\">%s</svg>%s</li>", svg, text);
}

static void write_legend(FILE *out)
{
    fputs("<ul class=\"legend\">", out);
    legend_item(out, "<rect class=\"sd\" x=\"1\" y=\"4\" width=\"20\" height=\"8\"/>", "DHCP round");
    legend_item(out, "<rect class=\"sp\" x=\"1\" y=\"4\" width=\"20\" height=\"8\"/>",
                "proxyDHCP (port 4011)");
    legend_item(out, "<rect class=\"fc\" x=\"1\" y=\"3\" width=\"20\" height=\"10\"/>",
                "TFTP or HTTP transfer: name, size, rate");
    legend_item(out, "<rect class=\"ff\" x=\"1\" y=\"3\" width=\"20\" height=\"10\"/>",
                "transfer failed");
    legend_item(out, "<rect class=\"fi\" x=\"1\" y=\"3\" width=\"20\" height=\"10\"/>",
                "transfer unfinished");
    legend_item(out, "<rect class=\"fp\" x=\"1\" y=\"3\" width=\"20\" height=\"10\"/>",
                "size probe, optional file not there");
    legend_item(out, "<path class=\"tq\" d=\"M11,1V15\"/>", "request");
    legend_item(out, "<path class=\"tr\" d=\"M11,4V12\"/>", "reply");
    legend_item(out, "<path class=\"tx\" d=\"M11,1V15\"/>", "request sent again");
    legend_item(out, "<rect class=\"fc\" x=\"1\" y=\"3\" width=\"20\" height=\"10\"/>"
                     "<path class=\"tb\" d=\"M11,3V13\"/>", "frame a diagnosis names");
    legend_item(out, "<path class=\"mf\" d=\"M11,1l7,7l-7,7l-7,-7z\"/>", "failed here: code");
    legend_item(out, "<path class=\"me\" d=\"M6.5,3h9l-4.5,7z\"/>", "other error");
    legend_item(out, "<path class=\"mw\" d=\"M6.5,3h9l-4.5,7z\"/>", "warning");
    legend_item(out, "<circle class=\"mo\" cx=\"11\" cy=\"8\" r=\"4\"/>", "ok decided");
    legend_item(out, "<circle class=\"mi\" cx=\"11\" cy=\"8\" r=\"4\"/>", "undecided at the end");
    legend_item(out, "<path class=\"as\" d=\"M11,0V16\"/>", "next attempt");
    fputs("</ul>\n", out);
}

/* Inputs named and when the first one's boot traffic starts. */
static void write_inputs(FILE *out, const GPtrArray *clients, double start)
{
    GString *s = g_string_new(NULL);
    GHashTable *seen = g_hash_table_new(g_direct_hash, g_direct_equal);
    for (guint i = 0; i < clients->len; i++) {
        const report_client_t *c = g_ptr_array_index(clients, i);
        if (!g_hash_table_add(seen, GUINT_TO_POINTER(c->capture + 1)))
            continue;
        if (s->len)
            g_string_append(s, ", ");
        esc(s, c->capture_name ? c->capture_name : "standard input");
    }
    guint n = g_hash_table_size(seen);
    g_hash_table_destroy(seen);
    if (!n) {   /* inputs are known by their clients */
        g_string_free(s, TRUE);
        return;
    }
    if (n > 3)   /* a long list folded: the lanes name their capture */
        fprintf(out, "<div class=\"meta\"><details class=\"inputs\"><summary>%u inputs</summary>%s"
                     "</details>", n, s->str);
    else
        fprintf(out, "<div class=\"meta\">%s %s", n > 1 ? "Inputs:" : "Input:", s->str);
    /* any double can arrive: only times GDateTime can hold become a date */
    GDateTime *dt = isfinite(start) && fabs(start) < 1e11
                    ? g_date_time_new_from_unix_utc((gint64)floor(start)) : NULL;
    if (dt) {
        char *when = g_date_time_format(dt, "%Y-%m-%d %H:%M:%S UTC");
        fprintf(out, "%s boot packet %s", n > 3 ? " First" : "; first", when);
        g_free(when);
        g_date_time_unref(dt);
    }
    fputs("</div>\n", out);
    g_string_free(s, TRUE);
}

static int cmp_lanes(gconstpointer a, gconstpointer b)
{
    const report_client_t *x = *(report_client_t *const *)a, *y = *(report_client_t *const *)b;
    return (report_client_outcome(y) == REPORT_FAILED) - (report_client_outcome(x) == REPORT_FAILED);
}

static double client_start(const report_client_t *c)
{
    double t = INFINITY;
    for (guint i = 0; i < c->attempts->len; i++)
        t = MIN(t, ((const report_attempt_t *)g_ptr_array_index(c->attempts, i))->first_time);
    return t;
}

static void write_head(FILE *out, const report_summary_t *s)
{
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
          "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
          "style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">\n"
          "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
          "<link rel=\"icon\" href=\"data:,\">\n", out);
    if (s)
        fprintf(out, "<title>pxe-report: %u clients, %u ok, %u failed, %u incomplete</title>\n",
                s->clients, s->ok, s->failed, s->incomplete);
    else
        fputs("<title>pxe-report: no report</title>\n", out);
    fprintf(out, "<style>%s</style></head>\n<body>\n", page_css);
}

/* Title, summary, inputs, legend, how to read it, the tools. */
static void write_header(FILE *out, const GPtrArray *clients, const report_summary_t *sum)
{
    fputs("<header><h1>PXE boot timeline</h1>\n", out);
    fprintf(out, "<p class=\"sum\"><b>%u client%s</b>: <span class=\"n-ok\">%u ok</span>, "
                 "<span class=\"n-failed\">%u failed</span>, "
                 "<span class=\"n-incomplete\">%u incomplete</span></p>\n",
            sum->clients, sum->clients == 1 ? "" : "s", sum->ok, sum->failed, sum->incomplete);
    double first = INFINITY;
    for (guint i = 0; i < clients->len; i++)
        first = MIN(first, client_start(g_ptr_array_index(clients, i)));
    write_inputs(out, clients, first);
    write_legend(out);
    fputs("<p class=\"note\">One lane per client, failed first. Time runs left to right from the "
          "client's first packet; pauses are shortened (the longer, the more) and those of a second "
          "or more are labelled with their length. Hover over anything for its frames, times and "
          "cause; click a lane for its details.</p>\n"
          "<div class=\"tools\" id=\"tools\" hidden><input type=\"search\" id=\"q\" "
          "placeholder=\"filter: MAC, code, file, address\" aria-label=\"filter\">"
          "<label><input type=\"checkbox\" value=\"failed\" checked> failed</label>"
          "<label><input type=\"checkbox\" value=\"incomplete\" checked> incomplete</label>"
          "<label><input type=\"checkbox\" value=\"ok\" checked> ok</label>"
          "<button type=\"button\" id=\"open\">open all</button>"
          "<button type=\"button\" id=\"close\">close all</button>"
          "<span id=\"count\"></span></div>\n</header>\n<main id=\"lanes\">\n", out);
}

/* The lanes, failed first; returns the widest time line. */
static double write_lanes(FILE *out, const report_html_t *h, const GPtrArray *clients,
                          bool show_capture)
{
    if (!clients->len)
        fputs("<p>No PXE clients found.</p>\n", out);
    /* each capture's first boot packet: lanes say when their client starts */
    GArray *starts = g_array_new(FALSE, FALSE, sizeof(double));
    for (guint i = 0; i < clients->len; i++) {
        const report_client_t *c = g_ptr_array_index(clients, i);
        double inf = INFINITY, t = client_start(c);
        while (starts->len <= c->capture)
            g_array_append_val(starts, inf);
        g_array_index(starts, double, c->capture) = MIN(g_array_index(starts, double, c->capture), t);
    }
    GPtrArray *sorted = g_ptr_array_sized_new(clients->len);
    for (guint i = 0; i < clients->len; i++)
        g_ptr_array_add(sorted, g_ptr_array_index(clients, i));
    g_ptr_array_sort(sorted, cmp_lanes);   /* stable: first-seen order within */
    double widest = 0;
    for (guint i = 0; i < sorted->len; i++) {
        const report_client_t *c = g_ptr_array_index(sorted, i);
        double w = write_lane(out, h, c, client_start(c) - g_array_index(starts, double, c->capture),
                              show_capture);
        widest = MAX(widest, w);
    }
    g_ptr_array_free(sorted, TRUE);
    g_array_free(starts, TRUE);
    return widest;
}

bool report_html_write(const report_html_t *h, FILE *out, const GPtrArray *clients,
                       bool show_capture)
{
    if (!clients) {
        write_head(out, NULL);
        fputs("<header><h1>PXE boot timeline</h1><p>No report: the input could not be read "
              "(pxe-report's messages say why).</p></header>\n</body></html>\n", out);
        return fflush(out) == 0 && !ferror(out);
    }
    report_summary_t sum;
    report_summary_count(clients, &sum);
    write_head(out, &sum);
    write_header(out, clients, &sum);
    double widest = write_lanes(out, h, clients, show_capture);
    /* lanes out of sight have no width (content-visibility): the page is
     * as wide as the widest, known now */
    fprintf(out, "</main>\n<style>#lanes{min-width:%.0fpx}</style>\n<script>%s</script>\n"
                 "</body></html>\n", widest + LANE_LEFT, page_js);
    return fflush(out) == 0 && !ferror(out);
}
