/* report_output.h - printing the verdicts: the text table, JSON, JSON lines
 * and CSV, all at the end or, with --follow, each client as soon as its
 * verdict is decided; and the HTML timeline page (--html), at the end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REPORT_OUTPUT_H
#define REPORT_OUTPUT_H

#include <stdbool.h>
#include <stdio.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "report_model.h"

typedef enum {
    REPORT_FMT_TEXT,
    REPORT_FMT_JSON,
    REPORT_FMT_JSONL,
    REPORT_FMT_CSV
} report_format_t;

/* "text", "json", "jsonl", "csv": true and *fmt set. */
bool report_format_parse(const char *name, report_format_t *fmt);

typedef struct {
    unsigned clients, ok, failed, incomplete;
    report_limits_t limits;  /* what was not kept (report_model_limits) */
} report_summary_t;

void report_summary_count(const GPtrArray *clients, report_summary_t *s);

/* What is known of a client, latest attempt first: firmware, address (given,
 * else offered) and the attempt that carries the architecture (NULL when none). */
void report_client_known(const report_client_t *c, const char **firmware, const char **address,
                         const report_attempt_t **arch, const char **bootfile);

/* ---- text (report_output_text.c) ---- */

/* Width the table and the details keep within. */
#define REPORT_TEXT_WIDTH 80

void report_text_header(FILE *out, bool color);
void report_text_row(FILE *out, const report_client_t *c, bool color);
/* show_capture: name the input (several inputs). */
void report_text_details(FILE *out, const report_client_t *c, bool color, bool show_capture);
/* "N clients: X ok, Y failed, Z incomplete" */
void report_text_summary(FILE *out, const report_summary_t *s, bool color);

/* ---- JSON (report_output_json.c) ---- */

/* The client object; the caller unrefs it. */
JsonNode *report_json_client(const report_client_t *c);
/* {"clients":[...],"summary":{...}} */
void report_json_document(FILE *out, const GPtrArray *clients, const report_summary_t *s);
/* One client object on one line; event (NULL: none) is its "event" member:
 * "update" (--follow, before the end of the input) or "final". */
void report_json_line(FILE *out, const report_client_t *c, const char *event);

/* ---- CSV, RFC 4180 (report_output_csv.c) ---- */

void report_csv_header(FILE *out);
void report_csv_row(FILE *out, const report_client_t *c);
/* One field, quoted when it holds a comma, quote, CR or LF. */
void report_csv_field(GString *line, const char *value);

/* ---- the HTML page (report_output_html.c) ---- */

/* What the page needs beyond the model, noted while the rows are read:
 * where each client's requests and replies fall in time, each transfer's
 * first and last frame times, and a frame->time clock. */
typedef struct report_html report_html_t;

report_html_t *report_html_new(void);
void report_html_free(report_html_t *h);
/* Rows that follow come from the next input (as report_model_begin_input). */
void report_html_begin_input(report_html_t *h);
void report_html_row(report_html_t *h, const report_row_t *row);
/* The page, one lane per client, failed first.  clients NULL: a page that
 * says no report could be made.  False on a write error. */
bool report_html_write(const report_html_t *h, FILE *out, const GPtrArray *clients,
                       bool show_capture);

/* ---- the driver (report_output.c) ---- */

typedef struct report_output report_output_t;

typedef struct {
    report_format_t format;
    bool color;
    bool follow;             /* print clients as their verdicts are decided */
    bool show_capture;       /* several inputs: name each client's */
} report_output_opts_t;

report_output_t *report_output_new(FILE *out, const report_output_opts_t *opts);
void report_output_free(report_output_t *o);
/* One line on out per kind of thing not kept (nothing when all was). */
void report_limits_note(FILE *out, const report_limits_t *l);
/* What the summary says was not kept; before report_output_finish. */
void report_output_set_limits(report_output_t *o, const report_limits_t *l);

/* A row changed client c (--follow: prints it once its verdict is decided
 * or changes). */
void report_output_update(report_output_t *o, report_client_t *c);

/* End of input: print everything (or, with --follow, what is left). */
void report_output_finish(report_output_t *o, const GPtrArray *clients);

#endif
