/* rows.h - building synthetic tshark -T fields lines for the pxe-report unit
 * tests: a header line, and rows given as (field, value) pairs with every
 * other column empty, in the column order pxe-report asks tshark for.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef TEST_ROWS_H
#define TEST_ROWS_H

#include <string.h>

#include <glib.h>

#include "report_input.h"
#include "report_model.h"

/* The header line, without newline.  Caller frees. */
static inline char *rows_header(void)
{
    GString *s = g_string_new(NULL);
    for (int c = 0; c < REPORT_NCOLS; c++)
        g_string_append_printf(s, "%s%s", c ? "\t" : "", report_column_name((report_col_t)c));
    return g_string_free(s, FALSE);
}

/* A row from NULL-terminated pairs: "pxe.stage", "1", ...  Caller frees. */
static inline char *rows_line(const char *const *kv)
{
    const char *val[REPORT_NCOLS] = {0};
    for (const char *const *p = kv; *p; p += 2) {
        int found = 0;
        for (int c = 0; c < REPORT_NCOLS; c++) {
            if (strcmp(report_column_name((report_col_t)c), p[0]) == 0) {
                val[c] = p[1];
                found = 1;
            }
        }
        g_assert_true(found);
    }
    GString *s = g_string_new(NULL);
    for (int c = 0; c < REPORT_NCOLS; c++)
        g_string_append_printf(s, "%s%s", c ? "\t" : "", val[c] ? val[c] : "");
    return g_string_free(s, FALSE);
}

#define ROW(...) rows_line((const char *const[]){__VA_ARGS__, NULL})

/* Feeds synthetic lines through a parser into a model. */
typedef struct {
    report_parser_t *parser;
    report_model_t *model;
    uint64_t line_no;
    report_client_t *last;   /* client of the last row */
} feeder_t;

static inline void feeder_init(feeder_t *f, const uint8_t *only)
{
    f->parser = report_parser_new();
    f->model = report_model_new(only);
    f->line_no = 1;
    char *h = rows_header();
    report_row_t row;
    char *err = NULL;
    g_assert_cmpint(report_parser_line(f->parser, 1, h, strlen(h), &row, &err), ==,
                    REPORT_PARSE_HEADER);
    g_free(h);
}

/* Feed one line (freed here); asserts it parses. */
static inline report_client_t *feed(feeder_t *f, char *line)
{
    report_row_t row;
    char *err = NULL;
    report_parse_result_t r = report_parser_line(f->parser, ++f->line_no, line, strlen(line), &row, &err);
    if (r != REPORT_PARSE_ROW)
        g_error("line %s: %s", line, err ? err : "?");
    g_free(line);
    f->last = report_model_add(f->model, &row);
    return f->last;
}

static inline void feeder_free(feeder_t *f)
{
    report_parser_free(f->parser);
    report_model_free(f->model);
}

#endif
