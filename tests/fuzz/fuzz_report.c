/* fuzz_report.c - libFuzzer target for pxe-report: one input is one tshark
 * output stream, read as pxe-report reads standard input (line splitting,
 * header, rows, model), then printed in every format, --follow included,
 * and as the HTML page.  Built by the -DPXE_FUZZ=ON build with clang; see
 * tests/fuzz/README.md.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "report_model.h"
#include "report_output.h"
#include "report_run.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *sink(void)
{
    static FILE *null;
    if (!null)
        null = fopen("/dev/null", "w");
    return null;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    /* the first byte picks the format and --follow, so all are reached */
    uint8_t pick = size ? data[0] : 0;
    report_output_opts_t opts = {
        .format = (report_format_t)(pick % 4),
        .follow = (pick & 4) != 0,
        .show_capture = (pick & 8) != 0,
    };
    report_model_t *model = report_model_new(NULL);
    report_output_t *out = report_output_new(sink(), &opts);
    report_run_t run = {
        .model = model,
        .output = opts.follow ? out : NULL,
        .html = report_html_new(),
        .err = sink(),
    };
    report_run_buffer(&run, (const char *)data, size, "fuzz input");
    report_model_settle(model);
    const GPtrArray *clients = report_model_clients(model);
    report_output_finish(out, clients);
    report_html_write(run.html, sink(), clients, opts.show_capture);
    report_html_free(run.html);
    report_output_free(out);
    report_model_free(model);
    return 0;
}
