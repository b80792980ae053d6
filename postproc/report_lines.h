/* report_lines.h - cut a byte stream into lines as it arrives.
 *
 * Input comes in chunks (a pipe from tshark, standard input, live), so lines
 * are pushed to a callback the moment their newline arrives.  A line longer
 * than the limit is not kept in memory: it is reported as too long and the
 * rest of it skipped.  The last line without a newline is reported as
 * truncated: tshark always ends its lines, so that line was cut off.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REPORT_LINES_H
#define REPORT_LINES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef enum {
    REPORT_LINE_OK,
    REPORT_LINE_TOO_LONG,    /* text is NULL */
    REPORT_LINE_TRUNCATED    /* no newline at the end of the input; text is what came */
} report_line_kind_t;

/* line_no counts from 1.  text is NUL-terminated but may hold NUL bytes of
 * its own: len is the real length.  A trailing CR is removed.  Return false
 * to stop reading. */
typedef bool (*report_line_fn)(void *user, uint64_t line_no, report_line_kind_t kind,
                               const char *text, size_t len);

typedef struct report_lines report_lines_t;

/* max_len: longest line kept (bytes, without the newline). */
report_lines_t *report_lines_new(size_t max_len, report_line_fn fn, void *user);
void report_lines_free(report_lines_t *l);

/* Feed bytes; false once the callback asked to stop. */
bool report_lines_feed(report_lines_t *l, const char *data, size_t len);

/* End of input: reports a last line that had no newline. */
void report_lines_finish(report_lines_t *l);

/* Lines seen so far. */
uint64_t report_lines_count(const report_lines_t *l);

#endif
