/* report_run.h - reading one input (a capture through tshark, several
 * captures merged into one, or tshark output on standard input) line by
 * line into the model, reporting bad lines with their line numbers.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REPORT_RUN_H
#define REPORT_RUN_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "report_input.h"
#include "report_lines.h"
#include "report_model.h"
#include "report_output.h"
#include "report_tshark.h"

/* Longest input line kept; a longer one is an error, not a memory hog. */
#define REPORT_MAX_LINE (16u * 1024 * 1024)
/* Bad lines described per input; the rest are counted. */
#define REPORT_MAX_MESSAGES 20

typedef struct {
    report_model_t *model;
    report_output_t *output;     /* NULL: nothing printed while reading */
    report_html_t *html;         /* NULL: no --html page */
    FILE *err;                   /* messages */
    uint64_t bad_lines;          /* over all inputs */
    uint64_t cut_lines;          /* last lines cut off (left out, reported on stderr) */
    bool fatal;                  /* an input could not be read at all */
} report_run_t;

/* Read tshark output from fd (standard input) until its end.  name: what
 * messages call it.  Interrupt handling is the caller's (see
 * report_run_interrupted). */
void report_run_fd(report_run_t *r, int fd, const char *name);

/* Run tshark on capture and read its output. */
void report_run_capture(report_run_t *r, const report_tshark_opts_t *o, const char *capture);

/* Run mergecap and tshark on captures read as one input (--merge); name:
 * the set's name, for messages and the clients' capture. */
void report_run_captures(report_run_t *r, const report_tshark_opts_t *o, char *const *captures,
                         const char *name);

/* Are captures (two or more) the files of one dumpcap ring buffer (-b):
 * one directory, prefix and extension, numbers in a row (one wrap after
 * 99999 allowed), time stamps in the same order?  Then *ordered (g_strfreev)
 * lists them in ring order and *name (g_free) names the set,
 * "DIR/PREFIX_00001..00003 (3 files)". */
bool report_ring_detect(char *const *captures, char ***ordered, char **name);

/* The name of captures read as one: "FIRST..LAST (N files)". */
char *report_capture_set_name(char *const *captures);

/* Read a buffer as one whole input (tests). */
void report_run_buffer(report_run_t *r, const char *data, size_t len, const char *name);

/* Set by a SIGINT handler: the count of interrupts.  One lets the producer
 * (tshark, interrupted too) finish its output; two end reading at once. */
extern volatile int report_run_interrupted;

#endif
