/* report_lines.c - the line splitter.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_lines.h"

#include <string.h>

#include <glib.h>

struct report_lines {
    size_t max_len;
    report_line_fn fn;
    void *user;
    GString *buf;
    bool overlong;           /* the current line passed max_len: skipping to its end */
    bool stopped;
    uint64_t line_no;
};

report_lines_t *report_lines_new(size_t max_len, report_line_fn fn, void *user)
{
    report_lines_t *l = g_new0(report_lines_t, 1);
    l->max_len = max_len;
    l->fn = fn;
    l->user = user;
    l->buf = g_string_sized_new(4096);
    return l;
}

void report_lines_free(report_lines_t *l)
{
    if (!l)
        return;
    g_string_free(l->buf, TRUE);
    g_free(l);
}

static bool emit(report_lines_t *l, report_line_kind_t kind)
{
    l->line_no++;
    bool go;
    if (l->overlong) {
        go = l->fn(l->user, l->line_no, REPORT_LINE_TOO_LONG, NULL, 0);
    } else {
        if (l->buf->len && l->buf->str[l->buf->len - 1] == '\r')
            g_string_truncate(l->buf, l->buf->len - 1);
        go = l->fn(l->user, l->line_no, kind, l->buf->str, l->buf->len);
    }
    g_string_truncate(l->buf, 0);
    l->overlong = false;
    if (!go)
        l->stopped = true;
    return go;
}

bool report_lines_feed(report_lines_t *l, const char *data, size_t len)
{
    while (len && !l->stopped) {
        const char *nl = memchr(data, '\n', len);
        size_t part = nl ? (size_t)(nl - data) : len;
        if (!l->overlong) {
            if (l->buf->len + part > l->max_len) {
                /* drop what we have: memory stays bounded whatever comes */
                l->overlong = true;
                g_string_truncate(l->buf, 0);
            } else {
                g_string_append_len(l->buf, data, (gssize)part);
            }
        }
        if (!nl)
            break;
        emit(l, REPORT_LINE_OK);
        data = nl + 1;
        len -= part + 1;
    }
    return !l->stopped;
}

void report_lines_finish(report_lines_t *l)
{
    if (l->stopped)
        return;
    if (l->buf->len || l->overlong)
        emit(l, REPORT_LINE_TRUNCATED);
}

uint64_t report_lines_count(const report_lines_t *l)
{
    return l->line_no;
}
