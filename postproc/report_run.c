/* report_run.c - one input through the line splitter, the parser and the
 * model, with every bad line reported by number.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_run.h"

#include <errno.h>
#include <inttypes.h>
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

void report_run_capture(report_run_t *r, const report_tshark_opts_t *o, const char *capture)
{
    char *name = g_strdup_printf("tshark output for %s", capture);
    input_t in;
    input_begin(&in, r, name, capture);
    bool stopped = false;
    char *message = NULL;
    report_tshark_status_t st = report_tshark_run(o, capture, feed_lines, &in, &stopped, &message);
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
