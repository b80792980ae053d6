/* report_output.c - when what is printed: all at the end, or per client as
 * verdicts are decided (--follow).
 *
 * JSON lines carry an "event": with --follow a client is printed as
 * "update" when its verdict is decided or changes while input continues,
 * and at the end of the input every client gets exactly one "final" line,
 * printed before or not, so a pipeline can take the final lines alone.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_output.h"

#include <string.h>

#include "report_verdict.h"

struct report_output {
    FILE *out;
    report_output_opts_t opts;
    bool started;            /* table or CSV header printed */
    report_limits_t limits;
};

void report_limits_note(FILE *out, const report_limits_t *l)
{
    if (l->untracked_frames)
        fprintf(out, "pxe-report: note: %" G_GUINT64_FORMAT " boot frame(s) of clients the plugin did "
                     "not follow: more clients than its limit, pxe.max_clients (default %u; "
                     "pxe-report --max-clients N, or tshark -o pxe.max_clients:N)\n",
                l->untracked_frames, (unsigned)PXE_MAX_CLIENTS_DEFAULT);
    if (l->files_dropped)
        fprintf(out, "pxe-report: note: %" G_GUINT64_FORMAT " file request(s) beyond %u per attempt "
                     "not listed\n", l->files_dropped, (unsigned)REPORT_MAX_FILES);
    if (l->diags_dropped)
        fprintf(out, "pxe-report: note: %" G_GUINT64_FORMAT " diagnosis(es) beyond %u distinct per "
                     "attempt not listed\n", l->diags_dropped, (unsigned)REPORT_MAX_DIAGS);
}

void report_output_set_limits(report_output_t *o, const report_limits_t *l)
{
    o->limits = *l;
}

bool report_format_parse(const char *name, report_format_t *fmt)
{
    static const struct {
        const char *name;
        report_format_t fmt;
    } names[] = {
        {"text", REPORT_FMT_TEXT}, {"json", REPORT_FMT_JSON},
        {"jsonl", REPORT_FMT_JSONL}, {"csv", REPORT_FMT_CSV},
    };
    for (unsigned i = 0; i < G_N_ELEMENTS(names); i++) {
        if (strcmp(name, names[i].name) == 0) {
            *fmt = names[i].fmt;
            return true;
        }
    }
    return false;
}

void report_summary_count(const GPtrArray *clients, report_summary_t *s)
{
    memset(s, 0, sizeof *s);
    for (guint i = 0; i < clients->len; i++) {
        const report_client_t *c = g_ptr_array_index(clients, i);
        s->clients++;
        switch (report_client_outcome(c)) {
        case REPORT_OK: s->ok++; break;
        case REPORT_FAILED: s->failed++; break;
        case REPORT_INCOMPLETE: s->incomplete++; break;
        }
    }
}

report_output_t *report_output_new(FILE *out, const report_output_opts_t *opts)
{
    report_output_t *o = g_new0(report_output_t, 1);
    o->out = out;
    o->opts = *opts;
    return o;
}

void report_output_free(report_output_t *o)
{
    g_free(o);
}

/* One client, streaming formats; event: "update" or "final" (JSON lines). */
static void emit(report_output_t *o, report_client_t *c, const char *event)
{
    report_client_settle(c);
    switch (o->opts.format) {
    case REPORT_FMT_TEXT:
        if (!o->started)
            report_text_header(o->out, o->opts.color);
        report_text_row(o->out, c, o->opts.color);
        report_text_details(o->out, c, o->opts.color, o->opts.show_capture);
        fputc('\n', o->out);
        break;
    case REPORT_FMT_CSV:
        if (!o->started)
            report_csv_header(o->out);
        report_csv_row(o->out, c);
        break;
    case REPORT_FMT_JSONL:
        report_json_line(o->out, c, event);
        break;
    case REPORT_FMT_JSON:
        /* one document: nothing can be printed before the end */
        return;
    }
    o->started = true;
    c->printed = true;
    c->printed_attempt = report_client_last(c)->number;
    c->printed_outcome = report_client_outcome(c);
    c->printed_items = report_client_items(c);
    fflush(o->out);
}

static bool changed(const report_client_t *c)
{
    return !c->printed || c->printed_attempt != report_client_last(c)->number ||
           c->printed_outcome != report_client_outcome(c);
}

void report_output_update(report_output_t *o, report_client_t *c)
{
    if (!o->opts.follow || !c)
        return;
    if (report_client_outcome(c) != REPORT_INCOMPLETE && changed(c))
        emit(o, c, "update");
}

void report_output_finish(report_output_t *o, const GPtrArray *clients)
{
    report_summary_t s;
    report_summary_count(clients, &s);
    s.limits = o->limits;
    if (o->opts.format == REPORT_FMT_JSON) {
        report_json_document(o->out, clients, &s);
        fflush(o->out);
        return;
    }
    if (o->opts.format == REPORT_FMT_TEXT && !o->opts.follow && clients->len) {
        /* the table first, to be read at a glance; the details below */
        report_text_header(o->out, o->opts.color);
        for (guint i = 0; i < clients->len; i++)
            report_text_row(o->out, g_ptr_array_index(clients, i), o->opts.color);
        for (guint i = 0; i < clients->len; i++) {
            fputc('\n', o->out);
            report_text_details(o->out, g_ptr_array_index(clients, i), o->opts.color,
                                o->opts.show_capture);
        }
        fputc('\n', o->out);
        report_text_summary(o->out, &s, o->opts.color);
        fflush(o->out);
        return;
    }
    if (o->opts.format == REPORT_FMT_CSV && !o->started) {
        report_csv_header(o->out);
        o->started = true;
    }
    for (guint i = 0; i < clients->len; i++) {
        report_client_t *c = g_ptr_array_index(clients, i);
        /* --follow: what was not printed, or grew after it was; JSON lines:
         * every client's final line */
        if (!o->opts.follow || o->opts.format == REPORT_FMT_JSONL || changed(c) ||
            c->printed_items != report_client_items(c))
            emit(o, c, "final");
    }
    if (o->opts.format == REPORT_FMT_TEXT && clients->len)
        report_text_summary(o->out, &s, o->opts.color);
    fflush(o->out);
}

void report_client_known(const report_client_t *c, const char **firmware, const char **address,
                         const report_attempt_t **arch, const char **bootfile)
{
    *firmware = *address = *bootfile = NULL;
    *arch = NULL;
    for (guint i = c->attempts->len; i > 0; i--) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i - 1);
        if (!*firmware)
            *firmware = a->firmware;
        if (!*bootfile)
            *bootfile = a->bootfile;
        if (!*address)
            *address = a->address ? a->address : a->offered_address;
        if (!*arch && a->has_arch)
            *arch = a;
    }
}
