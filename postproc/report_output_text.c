/* report_output_text.c - the human format: a table of one line per client
 * that fits 80 columns, then each client's details (attempts, diagnoses with
 * their frames, files with the protocol they came by, timings, servers),
 * then the summary line.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_output.h"

#include <inttypes.h>
#include <string.h>

#include "pxe_firmware.h"
#include "pxe_stage.h"
#include "report_util.h"
#include "report_verdict.h"

#define W REPORT_TEXT_WIDTH
/* table columns; DIAGNOSES takes the rest of the 80 */
#define COL_MAC 17
#define COL_OUTCOME 10
#define COL_TRY 3
#define COL_STAGE 18
#define COL_GAP 2
#define COL_DIAG (W - COL_MAC - COL_OUTCOME - COL_TRY - COL_STAGE - 4 * COL_GAP)
/* details: "    label     text" */
#define DETAIL_INDENT 14
/* frames listed per diagnosis before "..." */
#define TEXT_MAX_FRAMES 8

static const char *outcome_color(report_outcome_t o)
{
    switch (o) {
    case REPORT_OK: return "\033[32m";
    case REPORT_FAILED: return "\033[1;31m";
    case REPORT_INCOMPLETE: return "\033[33m";
    }
    return "";
}

static const char *severity_color(pxe_severity_t s)
{
    switch (s) {
    case PXE_SEV_ERROR: return "\033[31m";
    case PXE_SEV_WARNING: return "\033[33m";
    case PXE_SEV_NOTE: return "\033[36m";
    }
    return "";
}

#define RESET "\033[0m"

/* Print s padded to width, coloured when esc is given. */
static void cell(FILE *out, const char *s, int width, const char *esc)
{
    if (esc)
        fputs(esc, out);
    fputs(s, out);
    if (esc)
        fputs(RESET, out);
    long pad = width - (long)g_utf8_strlen(s, -1);
    for (long i = 0; i < pad; i++)
        fputc(' ', out);
}

/* Word-wrap text within W columns.  The cursor stands at column `at`; later
 * lines start at column `indent`.  Words too long for a line are cut. */
static void wrap(FILE *out, size_t at, size_t indent, const char *text)
{
    char *clean = report_clean_string(text);
    size_t col = at;
    bool line_has_word = false;
    char *save = NULL;
    for (char *w = strtok_r(clean, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
        size_t len = (size_t)g_utf8_strlen(w, -1);
        if (line_has_word && col + 1 + len > W) {
            fprintf(out, "\n%*s", (int)indent, "");
            col = indent;
            line_has_word = false;
        }
        if (line_has_word) {
            fputc(' ', out);
            col++;
        }
        const char *p = w;
        while (len > W - col && W > col) {
            /* cut at a character boundary, go on on the next line */
            const char *cut = g_utf8_offset_to_pointer(p, (glong)(W - col));
            fwrite(p, 1, (size_t)(cut - p), out);
            fprintf(out, "\n%*s", (int)indent, "");
            len -= W - col;
            col = indent;
            p = cut;
        }
        fputs(p, out);
        col += len;
        line_has_word = true;
    }
    fputc('\n', out);
    g_free(clean);
}

static void label(FILE *out, const char *name, const char *esc)
{
    fputs("    ", out);
    cell(out, name, DETAIL_INDENT - 4, esc);
}

void report_text_header(FILE *out, bool color)
{
    const char *b = color ? "\033[1m" : NULL;
    cell(out, "CLIENT", COL_MAC + COL_GAP, b);
    cell(out, "OUTCOME", COL_OUTCOME + COL_GAP, b);
    cell(out, "TRY", COL_TRY + COL_GAP, b);
    cell(out, "STAGE", COL_STAGE + COL_GAP, b);
    if (b)
        fputs(b, out);
    fputs("DIAGNOSES", out);
    if (b)
        fputs(RESET, out);
    fputc('\n', out);
}

/* The error and warning codes of a client: the last attempt's plain, the
 * earlier attempts' marked with their try; as many as fit in width. */
static void diag_codes(const report_client_t *c, size_t width, GString *outs)
{
    GPtrArray *items = g_ptr_array_new_with_free_func(g_free);
    GHashTable *seen = g_hash_table_new_full(g_str_hash, g_str_equal, g_free, NULL);
    const report_attempt_t *last = report_client_last(c);
    for (int pass = 0; pass < 2; pass++) {
        for (guint i = c->attempts->len; i > 0; i--) {
            const report_attempt_t *a = g_ptr_array_index(c->attempts, i - 1);
            if ((pass == 0) != (a == last))
                continue;
            for (int sev = PXE_SEV_ERROR; sev >= PXE_SEV_WARNING; sev--) {
                for (guint d = 0; d < a->diags->len; d++) {
                    const report_diag_t *dg = g_ptr_array_index(a->diags, d);
                    const char *code = pxe_code_info(dg->code)->code;
                    if ((int)dg->severity != sev)
                        continue;
                    char *key = g_strdup_printf("%u %s", a == last ? 0 : a->number, code);
                    if (g_hash_table_add(seen, key))
                        g_ptr_array_add(items, a == last ? g_strdup(code)
                                                         : g_strdup_printf("%s (try %u)", code,
                                                                           a->number));
                }
            }
        }
    }
    g_hash_table_destroy(seen);
    for (guint i = 0; i < items->len; i++) {
        const char *it = g_ptr_array_index(items, i);
        char more[16];
        snprintf(more, sizeof more, "+%u", items->len - i);
        size_t need = (outs->len ? 2 : 0) + strlen(it);
        /* room for this one, and for "+N" should more follow; the first
         * code is always shown */
        size_t reserve = i + 1 < items->len ? 2 + strlen(more) : 0;
        if (i > 0 && outs->len + need + reserve > width) {
            g_string_append_printf(outs, "%s%s", outs->len ? ", " : "", more);
            break;
        }
        g_string_append_printf(outs, "%s%s", outs->len ? ", " : "", it);
    }
    if (!outs->len)
        g_string_assign(outs, "-");
    g_ptr_array_free(items, TRUE);
}

void report_text_row(FILE *out, const report_client_t *c, bool color)
{
    const report_attempt_t *last = report_client_last(c);
    report_outcome_t o = report_client_outcome(c);
    char num[16];
    snprintf(num, sizeof num, "%3u", last->number);
    const char *stage = pxe_stage_name(report_attempt_stage(last));
    GString *codes = g_string_new(NULL);
    diag_codes(c, COL_DIAG, codes);

    cell(out, c->mac_str, COL_MAC + COL_GAP, NULL);
    fputs(color ? outcome_color(o) : "", out);
    fputs(report_outcome_name(o), out);
    fputs(color ? RESET : "", out);
    cell(out, "", COL_OUTCOME + COL_GAP - (int)strlen(report_outcome_name(o)), NULL);
    cell(out, num, COL_TRY + COL_GAP, NULL);
    cell(out, stage ? stage : "?", COL_STAGE + COL_GAP, NULL);
    fputs(codes->str, out);
    fputc('\n', out);
    g_string_free(codes, TRUE);
}

static void frames_text(GString *s, const GArray *frames, bool truncated)
{
    if (!frames->len)
        return;
    g_string_append(s, frames->len == 1 ? " [frame" : " [frames");
    for (guint i = 0; i < frames->len && i < TEXT_MAX_FRAMES; i++)
        g_string_append_printf(s, " %" PRIu32, g_array_index(frames, uint32_t, i));
    if (frames->len > TEXT_MAX_FRAMES || truncated)
        g_string_append(s, " ...");
    g_string_append_c(s, ']');
}

static void print_diag(FILE *out, const report_diag_t *d, bool color)
{
    label(out, pxe_severity_name(d->severity), color ? severity_color(d->severity) : NULL);
    GString *s = g_string_new(d->summary);
    if (d->count > 1)
        g_string_append_printf(s, " (%" PRIu32 " times)", d->count);
    frames_text(s, d->frames, d->frames_truncated);
    wrap(out, DETAIL_INDENT, DETAIL_INDENT, s->str);
    g_string_free(s, TRUE);
}

/* Notes that repeat with different summaries (probe-miss for every file a
 * boot loader probes) as one line: how many, what the code means, where. */
static void print_note_group(FILE *out, const report_attempt_t *a, pxe_code_t code, bool color)
{
    GArray *frames = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    unsigned n = 0;
    for (guint i = 0; i < a->diags->len; i++) {
        const report_diag_t *d = g_ptr_array_index(a->diags, i);
        if (d->code != code)
            continue;
        n += d->count;
        if (d->frames->len)
            g_array_append_val(frames, g_array_index(d->frames, uint32_t, 0));
    }
    const pxe_code_info_t *ci = pxe_code_info(code);
    label(out, "note", color ? severity_color(PXE_SEV_NOTE) : NULL);
    GString *s = g_string_new(NULL);
    g_string_printf(s, "%u x %s: %s", n, ci->code, ci->title);
    frames_text(s, frames, false);
    wrap(out, DETAIL_INDENT, DETAIL_INDENT, s->str);
    g_string_free(s, TRUE);
    g_array_free(frames, TRUE);
}

static unsigned count_code(const report_attempt_t *a, pxe_code_t code)
{
    unsigned n = 0;
    for (guint i = 0; i < a->diags->len; i++)
        n += ((const report_diag_t *)g_ptr_array_index(a->diags, i))->code == code;
    return n;
}

static void print_diags(FILE *out, const report_attempt_t *a, bool color)
{
    bool grouped[PXE_CODE_COUNT] = {false};
    for (int sev = PXE_SEV_ERROR; sev >= PXE_SEV_NOTE; sev--) {
        for (guint i = 0; i < a->diags->len; i++) {
            const report_diag_t *d = g_ptr_array_index(a->diags, i);
            if ((int)d->severity != sev)
                continue;
            if (sev == PXE_SEV_NOTE && count_code(a, d->code) > 1) {
                if (!grouped[d->code])
                    print_note_group(out, a, d->code, color);
                grouped[d->code] = true;
                continue;
            }
            print_diag(out, d, color);
        }
    }
}

/* A failed transfer a probe-miss note explains: listed by the note. */
static bool is_probe_miss(const report_attempt_t *a, const report_file_t *f)
{
    if (f->complete)
        return false;
    for (guint i = 0; i < a->diags->len; i++) {
        const report_diag_t *d = g_ptr_array_index(a->diags, i);
        if (d->code != PXE_CODE_PROBE_MISS)
            continue;
        for (guint k = 0; k < d->frames->len; k++)
            if (g_array_index(d->frames, uint32_t, k) == f->last_frame)
                return true;
    }
    return false;
}

static void print_files(FILE *out, const report_attempt_t *a)
{
    for (guint i = 0; i < a->files->len; i++) {
        const report_file_t *f = g_ptr_array_index(a->files, i);
        if (f->status == REPORT_XFER_SIZE_PROBE || is_probe_miss(a, f))
            continue;
        GString *s = g_string_new(f->name);
        g_string_append_printf(s, " %" PRIu64, f->bytes);
        if (f->has_tsize && f->tsize != f->bytes)
            g_string_append_printf(s, " of %" PRIu64, f->tsize);
        g_string_append_printf(s, " bytes, %s, %.3f s", report_xfer_status_name(f->status),
                               f->duration);
        if (f->nbp)
            g_string_append(s, ", boot file (NBP)");
        if (f->phase > 1)
            g_string_append_printf(s, ", phase %" PRIu32, f->phase);
        g_string_append_printf(s, ", %s", report_proto_label(f->proto));
        label(out, "file", NULL);
        wrap(out, DETAIL_INDENT, DETAIL_INDENT, s->str);
        g_string_free(s, TRUE);
    }
}

static void join(GString *s, const GPtrArray *list)
{
    for (guint i = 0; i < list->len; i++)
        g_string_append_printf(s, "%s%s", i ? ", " : "", (const char *)g_ptr_array_index(list, i));
}

static void print_servers(FILE *out, const report_attempt_t *a)
{
    if (a->bootfile) {
        label(out, "boot file", NULL);
        wrap(out, DETAIL_INDENT, DETAIL_INDENT, a->bootfile);
    }
    if (!a->dhcp_servers->len && !a->tftp_servers->len)
        return;
    GString *s = g_string_new(NULL);
    if (a->dhcp_servers->len) {
        g_string_append(s, "DHCP ");
        join(s, a->dhcp_servers);
    }
    if (a->tftp_servers->len) {
        /* the boot file's server: named by what the files came by */
        g_string_append_printf(s, "%s%s ", s->len ? "; " : "", report_attempt_server_label(a));
        join(s, a->tftp_servers);
    }
    label(out, "servers", NULL);
    wrap(out, DETAIL_INDENT, DETAIL_INDENT, s->str);
    g_string_free(s, TRUE);
}

static void print_timings(FILE *out, const report_attempt_t *a)
{
    report_timings_t t;
    report_attempt_timings(a, &t);
    GString *s = g_string_new(NULL);
    if (t.has_discover_offer)
        g_string_append_printf(s, "DISCOVER-OFFER %.3f s, ", t.discover_offer);
    if (t.has_menu)
        g_string_append_printf(s, "menu %.3f s, ", t.menu);
    if (t.has_ack_rrq)
        g_string_append_printf(s, "ACK-RRQ %.3f s, ", t.ack_rrq);
    if (t.has_nbp)
        g_string_append_printf(s, "NBP transfer %.3f s, ", t.nbp);
    g_string_append_printf(s, "total %.3f s", t.total);
    label(out, "timings", NULL);
    wrap(out, DETAIL_INDENT, DETAIL_INDENT, s->str);
    g_string_free(s, TRUE);
}

/* Firmware, architecture, address: the last attempt's, else the latest known. */
static void client_line(FILE *out, const report_client_t *c, bool show_capture)
{
    const char *fw = NULL, *addr = NULL;
    const report_attempt_t *arch = NULL;
    const char *bootfile = NULL;
    report_client_known(c, &fw, &addr, &arch, &bootfile);
    GString *s = g_string_new(NULL);
    g_string_append(s, fw ? fw : "unknown firmware");
    if (arch) {
        const char *an = pxe_arch_name(arch->arch);
        g_string_append_printf(s, ", %s (arch %u)", an ? an : "unknown", arch->arch);
    }
    if (addr)
        g_string_append_printf(s, ", address %s", addr);
    if (show_capture)
        g_string_append_printf(s, ", capture %s", c->capture_name ? c->capture_name : "-");
    fprintf(out, "%s  ", c->mac_str);
    wrap(out, COL_MAC + 2, 4, s->str);
    g_string_free(s, TRUE);
}

void report_text_details(FILE *out, const report_client_t *c, bool color, bool show_capture)
{
    client_line(out, c, show_capture);
    for (guint i = 0; i < c->attempts->len; i++) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i);
        report_outcome_t o = report_attempt_outcome(a);
        const char *stage = pxe_stage_name(report_attempt_stage(a));
        char head[48];
        int head_len = snprintf(head, sizeof head, "  attempt %" PRIu32 ": ", a->number);
        fputs(head, out);
        fputs(color ? outcome_color(o) : "", out);
        fputs(report_outcome_name(o), out);
        fputs(color ? RESET : "", out);
        GString *s = g_string_new(NULL);
        g_string_printf(s, "at %s, frames %" PRIu32 "-%" PRIu32, stage ? stage : "?",
                        a->first_frame, a->last_frame);
        if (a->phases > 1)
            g_string_append_printf(s, ", %" PRIu32 " DHCP phases", a->phases);
        if (a->outcome_frame)
            g_string_append_printf(s, "; decided on frame %" PRIu32 ": %s", a->outcome_frame,
                                   a->outcome_reason ? a->outcome_reason : "");
        fputc(' ', out);
        wrap(out, (size_t)head_len + strlen(report_outcome_name(o)) + 1, 4, s->str);
        g_string_free(s, TRUE);
        print_servers(out, a);
        print_timings(out, a);
        print_files(out, a);
        print_diags(out, a, color);
    }
}

void report_text_summary(FILE *out, const report_summary_t *s, bool color)
{
    fprintf(out, "%u clients: ", s->clients);
    const struct {
        unsigned n;
        report_outcome_t o;
    } parts[] = {{s->ok, REPORT_OK}, {s->failed, REPORT_FAILED}, {s->incomplete, REPORT_INCOMPLETE}};
    for (unsigned i = 0; i < G_N_ELEMENTS(parts); i++) {
        bool hl = color && parts[i].n;
        fprintf(out, "%s%s%u %s%s", i ? ", " : "", hl ? outcome_color(parts[i].o) : "", parts[i].n,
                report_outcome_name(parts[i].o), hl ? RESET : "");
    }
    fputc('\n', out);
}
