/* report_run.c - one input through the line splitter, the parser and the
 * model, with every bad line reported by number; which captures make one
 * input (a dumpcap ring buffer's files) and what that input is called.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_run.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

volatile int report_run_interrupted;

typedef struct {
    report_run_t *run;
    const char *name;
    report_parser_t *parser;
    report_lines_t *lines;
    unsigned messages;
    uint64_t bad;
    bool header_seen;
} input_t;

static void complain(input_t *in, uint64_t line_no, const char *what)
{
    in->bad++;
    in->run->bad_lines++;
    if (in->messages < REPORT_MAX_MESSAGES)
        fprintf(in->run->err, "pxe-report: %s, line %" PRIu64 ": %s\n", in->name, line_no, what);
    else if (in->messages == REPORT_MAX_MESSAGES)
        fprintf(in->run->err, "pxe-report: %s: more bad lines follow, not shown\n", in->name);
    in->messages++;
}

static bool on_line(void *user, uint64_t line_no, report_line_kind_t kind, const char *text,
                    size_t len)
{
    input_t *in = user;
    if (kind == REPORT_LINE_TOO_LONG) {
        char msg[96];
        snprintf(msg, sizeof msg, "longer than %u MiB: not tshark fields output",
                 REPORT_MAX_LINE / (1024 * 1024));
        complain(in, line_no, msg);
        if (!in->header_seen)
            in->run->fatal = true;
        return in->header_seen;
    }
    if (kind == REPORT_LINE_TRUNCATED && text && memchr(text, '\0', len)) {
        complain(in, line_no, "contains NUL bytes: binary data, not tshark text output");
        if (!in->header_seen)
            in->run->fatal = true;
        return false;
    }
    if (kind == REPORT_LINE_TRUNCATED && in->header_seen) {
        /* a live pipeline or a copy cut short: the lines before stand */
        in->run->cut_lines++;
        fprintf(in->run->err, "pxe-report: %s, line %" PRIu64 ": no newline at the end: the input "
                              "was cut off in this line; it is left out, the lines before it are "
                              "reported\n", in->name, line_no);
        return false;
    }
    if (kind == REPORT_LINE_TRUNCATED) {
        complain(in, line_no, "no newline at the end: the input was cut off in this line");
        in->run->fatal = true;
        return false;
    }
    /* a UTF-8 byte order mark (tshark -E bom=y) before the header */
    if (line_no == 1 && len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0) {
        text += 3;
        len -= 3;
    }
    report_row_t row;
    char *error = NULL;
    switch (report_parser_line(in->parser, line_no, text, len, &row, &error)) {
    case REPORT_PARSE_HEADER:
        in->header_seen = true;
        break;
    case REPORT_PARSE_ROW: {
        if (in->run->html)
            report_html_row(in->run->html, &row);
        report_client_t *c = report_model_add(in->run->model, &row);
        if (c && in->run->output)
            report_output_update(in->run->output, c);
        break;
    }
    case REPORT_PARSE_BAD_ROW:
        complain(in, line_no, error);
        break;
    case REPORT_PARSE_FATAL:
        complain(in, line_no, error);
        in->run->fatal = true;
        g_free(error);
        return false;
    }
    g_free(error);
    return true;
}

static void input_begin(input_t *in, report_run_t *r, const char *name, const char *model_name)
{
    memset(in, 0, sizeof *in);
    in->run = r;
    in->name = name;
    in->parser = report_parser_new();
    in->lines = report_lines_new(REPORT_MAX_LINE, on_line, in);
    report_model_begin_input(r->model, model_name);
    if (r->html)
        report_html_begin_input(r->html);
}

static void input_end(input_t *in, bool finished)
{
    if (finished)
        report_lines_finish(in->lines);
    if (!in->header_seen && !in->run->fatal) {
        fprintf(in->run->err, "pxe-report: %s: %s: expected tshark -T fields output with a header "
                              "line (see pxe-report --print-tshark-command)\n", in->name,
                report_lines_count(in->lines) ? "no header line" : "empty input");
        in->run->fatal = true;
    }
    if (in->messages > REPORT_MAX_MESSAGES)
        fprintf(in->run->err, "pxe-report: %s: %" PRIu64 " bad lines in all\n", in->name, in->bad);
    report_lines_free(in->lines);
    report_parser_free(in->parser);
}

/* A capture file given where tshark's output belongs. */
static bool is_capture_file(const unsigned char *b, size_t n)
{
    static const unsigned char magic[][4] = {
        {0x0a, 0x0d, 0x0d, 0x0a},                           /* pcapng */
        {0xd4, 0xc3, 0xb2, 0xa1}, {0xa1, 0xb2, 0xc3, 0xd4}, /* pcap */
        {0x4d, 0x3c, 0xb2, 0xa1}, {0xa1, 0xb2, 0x3c, 0x4d}, /* pcap, nanoseconds */
    };
    for (unsigned i = 0; n >= 4 && i < G_N_ELEMENTS(magic); i++)
        if (memcmp(b, magic[i], 4) == 0)
            return true;
    return false;
}

void report_run_fd(report_run_t *r, int fd, const char *name)
{
    input_t in;
    input_begin(&in, r, name, NULL);
    char *buf = g_malloc(65536);
    bool finished = true, first = true;
    for (;;) {
        ssize_t n = read(fd, buf, 65536);
        if (n > 0 && first && is_capture_file((const unsigned char *)buf, (size_t)n)) {
            fprintf(r->err, "pxe-report: %s is a capture file, not tshark output: give the "
                            "file as an argument (pxe-report FILE)\n", name);
            r->fatal = true;
            finished = false;
            break;
        }
        first = false;
        if (n > 0) {
            if (!report_lines_feed(in.lines, buf, (size_t)n))
                break;
            continue;
        }
        if (n == 0)
            break;
        if (errno == EINTR) {
            if (report_run_interrupted >= 2) {
                /* asked twice: what was read is all there is; the line
                 * under way is not an error */
                finished = false;
                break;
            }
            continue;
        }
        fprintf(r->err, "pxe-report: %s: read error: %s\n", name, g_strerror(errno));
        r->fatal = true;
        break;
    }
    g_free(buf);
    input_end(&in, finished);
}

void report_run_buffer(report_run_t *r, const char *data, size_t len, const char *name)
{
    input_t in;
    input_begin(&in, r, name, NULL);
    report_lines_feed(in.lines, data, len);
    input_end(&in, true);
}

static bool feed_lines(void *user, const char *data, size_t len)
{
    input_t *in = user;
    return report_lines_feed(in->lines, data, len);
}

/* One capture (captures NULL), or several as one through mergecap. */
static void run_tshark(report_run_t *r, const report_tshark_opts_t *o, const char *capture,
                       char *const *captures)
{
    char *name = g_strdup_printf("tshark output for %s", capture);
    input_t in;
    input_begin(&in, r, name, capture);
    bool stopped = false;
    char *message = NULL;
    report_tshark_status_t st =
        captures
            ? report_tshark_run_merged(o, captures, capture, feed_lines, &in, &stopped, &message)
            : report_tshark_run(o, capture, feed_lines, &in, &stopped, &message);
    if (st == REPORT_TSHARK_FAILED) {
        fprintf(r->err, "pxe-report: %s\n", message);
        r->fatal = true;
    } else if (st == REPORT_TSHARK_WARNING) {
        fprintf(r->err, "pxe-report: warning: %s\n", message);
    }
    g_free(message);
    input_end(&in, !stopped && st != REPORT_TSHARK_FAILED);
    g_free(name);
}

void report_run_capture(report_run_t *r, const report_tshark_opts_t *o, const char *capture)
{
    run_tshark(r, o, capture, NULL);
}

void report_run_captures(report_run_t *r, const report_tshark_opts_t *o, char *const *captures,
                         const char *name)
{
    run_tshark(r, o, name, captures);
}

/* A file name dumpcap -b (or editcap -c) writes: PREFIX_NNNNN_YYYYMMDDhhmmss.EXT,
 * or PREFIX_YYYYMMDDhhmmss_NNNNN.EXT (newer dumpcap's -b nametimenum:2). */
typedef struct {
    char *key;      /* directory, prefix, form and extension: one ring buffer */
    char *head;     /* the path up to the number: DIR/PREFIX_ */
    char *num;      /* the number as written */
    uint32_t n;
    char *stamp;
    const char *path;
} ring_name_t;

static bool ring_name_parse(const char *path, ring_name_t *rn)
{
    static const char *const forms[] = {
        "^(?<prefix>.+)_(?<num>[0-9]{5,6})_(?<stamp>[0-9]{14})(?<ext>\\..*)?$",
        "^(?<prefix>.+)_(?<stamp>[0-9]{14})_(?<num>[0-9]{5,6})(?<ext>\\..*)?$",
    };
    char *dir = g_path_get_dirname(path);
    char *base = g_path_get_basename(path);
    bool found = false;
    for (unsigned f = 0; f < G_N_ELEMENTS(forms) && !found; f++) {
        GRegex *re = g_regex_new(forms[f], 0, 0, NULL);
        GMatchInfo *m = NULL;
        if (g_regex_match(re, base, 0, &m)) {
            char *prefix = g_match_info_fetch_named(m, "prefix");
            char *ext = g_match_info_fetch_named(m, "ext");
            rn->num = g_match_info_fetch_named(m, "num");
            rn->stamp = g_match_info_fetch_named(m, "stamp");
            rn->n = (uint32_t)g_ascii_strtoull(rn->num, NULL, 10);
            rn->key = g_strdup_printf("%s/%s/%u/%s", dir, prefix, f, ext ? ext : "");
            /* the path as given, up to the base name's prefix */
            rn->head = g_strdup_printf("%.*s%s_", (int)(strlen(path) - strlen(base)), path, prefix);
            rn->path = path;
            g_free(prefix);
            g_free(ext);
            found = true;
        }
        g_match_info_free(m);
        g_regex_unref(re);
    }
    g_free(dir);
    g_free(base);
    return found;
}

static void ring_name_clear(ring_name_t *rn)
{
    g_free(rn->key);
    g_free(rn->head);
    g_free(rn->num);
    g_free(rn->stamp);
}

static int ring_cmp(const void *a, const void *b)
{
    const ring_name_t *x = a, *y = b;
    return x->n < y->n ? -1 : x->n > y->n;
}

/* Numbers in a row, allowing one wrap (dumpcap counts modulo 100000):
 * the index the ring starts at, or -1. */
static int ring_start(const ring_name_t *rn, unsigned count)
{
    int start = 0, gaps = 0;
    for (unsigned i = 0; i + 1 < count; i++) {
        if (rn[i + 1].n == rn[i].n + 1)
            continue;
        gaps++;
        start = (int)i + 1;
    }
    if (gaps == 0)
        return 0;
    if (gaps == 1 && rn[0].n == 0 && rn[count - 1].n == 99999)
        return start;
    return -1;
}

bool report_ring_detect(char *const *captures, char ***ordered, char **name)
{
    unsigned count = captures ? g_strv_length((char **)captures) : 0;
    if (count < 2)
        return false;
    ring_name_t *rn = g_new0(ring_name_t, count);
    bool one = true;
    for (unsigned i = 0; i < count && one; i++)
        one = ring_name_parse(captures[i], &rn[i]) && strcmp(rn[i].key, rn[0].key) == 0;
    int start = -1;
    if (one) {
        qsort(rn, count, sizeof *rn, ring_cmp);
        start = ring_start(rn, count);
    }
    /* each file begun no earlier than the one before it */
    for (unsigned i = 1; start >= 0 && i < count; i++)
        if (strcmp(rn[(start + i) % count].stamp, rn[(start + i - 1) % count].stamp) < 0)
            start = -1;
    if (start >= 0) {
        *ordered = g_new0(char *, count + 1);
        for (unsigned i = 0; i < count; i++)
            (*ordered)[i] = g_strdup(rn[(start + i) % count].path);
        const ring_name_t *first = &rn[start], *last = &rn[(start + count - 1) % count];
        *name = g_strdup_printf("%s%s..%s (%u files)", first->head, first->num, last->num, count);
    }
    for (unsigned i = 0; i < count; i++)
        ring_name_clear(&rn[i]);
    g_free(rn);
    return start >= 0;
}

char *report_capture_set_name(char *const *captures)
{
    unsigned count = g_strv_length((char **)captures);
    if (count == 1)
        return g_strdup(captures[0]);
    const char *first = captures[0], *last = captures[count - 1];
    char *d1 = g_path_get_dirname(first), *d2 = g_path_get_dirname(last);
    /* the last file's directory only when it differs */
    const char *slash = strrchr(last, '/');
    const char *tail = strcmp(d1, d2) == 0 && slash ? slash + 1 : last;
    char *name = g_strdup_printf("%s..%s (%u files)", first, tail, count);
    g_free(d1);
    g_free(d2);
    return name;
}
