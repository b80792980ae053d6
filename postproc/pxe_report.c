/* pxe_report.c - pxe-report's command line: options, inputs, exit status.
 *
 * pxe-report runs tshark with the pxe plugin on each capture (or reads that
 * tshark output from standard input) and prints one verdict per client:
 * ok, failed or incomplete, with the stage reached, the diagnoses, the files
 * and the timings.  See pxe-report(1).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <glib.h>

#include "pxe_codes.h"
#include "report_output.h"
#include "report_run.h"
#include "report_tshark.h"
#include "report_util.h"
#include "report_verdict.h"

#ifndef PXEDIAG_VERSION
#define PXEDIAG_VERSION "unknown"
#endif

/* 3 apart from 1: a script told "some boot failed" must not also be told
 * that about a capture of the wrong wire, a filter that missed, or a
 * client that is not there: nothing was judged */
enum { EXIT_ALL_OK = 0, EXIT_NOT_OK = 1, EXIT_ERROR = 2, EXIT_NO_CLIENT = 3 };

typedef struct {
    char *format, *color, *client, *tshark, *plugin_dir, *html;
    gboolean follow, tftp_all, print_command, version, merge, no_merge;
    int max_clients;
    char **inputs;
} options_t;

static void on_sigint(int sig)
{
    (void)sig;
    report_run_interrupted++;
}

static char *help_description(const report_tshark_opts_t *o)
{
    GString *s = g_string_new(NULL);
    char *file_cmd = report_tshark_command_line(o, "CAPTURE", NULL);
    char *live = report_tshark_command_line(o, NULL, "IFACE");
    g_string_append_printf(
        s,
        "pxe-report runs tshark with the pxe plugin on each CAPTURE and prints one verdict\n"
        "per client and boot attempt: ok, failed or incomplete, the stage reached, the\n"
        "diagnoses with their frames, the files fetched, timings and servers.\n"
        "\n"
        "With '-' it reads the output of this tshark command from standard input:\n"
        "\n  %s\n\n"
        "so it works in pipelines and live (--follow prints each verdict when decided):\n"
        "\n  %s | pxe-report --follow -\n\n"
        "tshark ignores WIRESHARK_PLUGIN_DIR (--plugin-dir) and the per-user plugin\n"
        "directory when run as root: as root, install the plugin with `cmake --install\n"
        "build`, or run as a normal user.\n"
        "\n"
        "Several CAPTUREs are read apart (frame numbers start over in each), except\n"
        "with --merge, or when they are the files of one dumpcap ring buffer\n"
        "(PREFIX_00001_DATE.pcapng, PREFIX_00002_...; --no-merge reads those apart):\n"
        "then `mergecap -a -w - CAPTURE...` feeds one tshark, and a boot split\n"
        "across files is one boot.\n"
        "\n"
        "Exit status: 0 every client ok; 1 some client failed or incomplete; 2 usage\n"
        "error, bad input, or tshark (or mergecap) missing or failing; 3 no PXE client\n"
        "found (or not the --client asked for).\n"
        "\n"
        "Diagnosis codes (pxe.diag):\n",
        file_cmd, live);
    for (int i = 0; i < PXE_CODE_COUNT; i++) {
        const pxe_code_info_t *ci = pxe_code_info((pxe_code_t)i);
        g_string_append_printf(s, "  %-18s %-8s %s\n", ci->code, pxe_severity_name(ci->severity),
                               ci->title);
    }
    g_string_append(s, "\nSee pxe-report(1).");
    g_free(file_cmd);
    g_free(live);
    return g_string_free(s, FALSE);
}

static int usage_error(const char *msg)
{
    fprintf(stderr, "pxe-report: %s\nTry 'pxe-report --help'.\n", msg);
    return EXIT_ERROR;
}

static bool want_color(const char *when, bool *out)
{
    if (!when || strcmp(when, "auto") == 0) {
        *out = isatty(STDOUT_FILENO) && !getenv("NO_COLOR");
        return true;
    }
    if (strcmp(when, "always") == 0 || strcmp(when, "never") == 0) {
        *out = strcmp(when, "always") == 0;
        return true;
    }
    return false;
}

/* Captures read as one input (--merge, or one ring buffer's files). */
typedef struct {
    char **merged;   /* in reading order; NULL: each capture apart */
    char *name;      /* the set's name: the clients' capture */
} merge_plan_t;

static int plan_merge(const options_t *opt, merge_plan_t *plan)
{
    unsigned files = 0;
    bool has_stdin = false;
    for (char **p = opt->inputs; p && *p; p++) {
        if (strcmp(*p, "-") == 0)
            has_stdin = true;
        else
            files++;
    }
    if (opt->merge && opt->no_merge)
        return usage_error("--merge and --no-merge exclude each other");
    if (opt->merge && has_stdin)
        return usage_error("--merge joins capture files; '-' (tshark output) cannot be merged");
    if (opt->no_merge || has_stdin || files < 2)
        return EXIT_ALL_OK;
    if (report_ring_detect(opt->inputs, &plan->merged, &plan->name)) {
        /* said, as it changes what a client's boot is */
        if (!opt->merge)
            fprintf(stderr, "pxe-report: note: %s are one dumpcap ring buffer: read as one "
                            "capture, in ring order (--no-merge reads each file apart)\n",
                    plan->name);
    } else if (opt->merge) {
        plan->merged = g_strdupv(opt->inputs);
        plan->name = report_capture_set_name(opt->inputs);
    }
    return EXIT_ALL_OK;
}

static int print_commands(const report_tshark_opts_t *o, char **inputs, const merge_plan_t *plan)
{
    if (plan->merged) {
        char *cmd = report_tshark_merge_command_line(o, plan->merged);
        printf("%s\n", cmd);
        g_free(cmd);
        return EXIT_ALL_OK;
    }
    bool any = false;
    for (char **p = inputs; p && *p; p++) {
        if (strcmp(*p, "-") == 0)
            continue;
        char *cmd = report_tshark_command_line(o, *p, NULL);
        printf("%s\n", cmd);
        g_free(cmd);
        any = true;
    }
    if (!any) {
        /* no input option: add -r FILE, or -l -i IFACE to capture live */
        char *cmd = report_tshark_command_line(o, NULL, NULL);
        printf("%s\n", cmd);
        g_free(cmd);
    }
    return EXIT_ALL_OK;
}

static int run(const options_t *opt, const report_tshark_opts_t *to, report_format_t fmt,
               bool color, const uint8_t *only, const merge_plan_t *plan)
{
    unsigned n_inputs = 0, n_stdin = 0;
    for (char **p = opt->inputs; *p; p++) {
        n_inputs++;
        n_stdin += strcmp(*p, "-") == 0;
    }
    if (plan->merged)
        n_inputs = 1;
    if (n_stdin > 1)
        return usage_error("'-' (standard input) can be given once");
    /* opened first: a page that cannot be written fails before the reading */
    FILE *html_out = opt->html ? fopen(opt->html, "w") : NULL;
    if (opt->html && !html_out) {
        fprintf(stderr, "pxe-report: %s: %s\n", opt->html, g_strerror(errno));
        return EXIT_ERROR;
    }

    report_output_opts_t oo = {
        .format = fmt, .color = color, .follow = opt->follow, .show_capture = n_inputs > 1,
    };
    report_model_t *model = report_model_new(only);
    report_output_t *output = report_output_new(stdout, &oo);
    report_run_t r = {.model = model, .output = opt->follow ? output : NULL,
                      .html = html_out ? report_html_new() : NULL, .err = stderr};

    if (plan->merged)
        report_run_captures(&r, to, plan->merged, plan->name);
    for (char **p = opt->inputs; *p && !r.fatal && !plan->merged; p++) {
        if (strcmp(*p, "-") == 0) {
            /* Ctrl-C in a live pipeline stops tshark too: read on until it
             * closes the pipe, then report (twice: stop now) */
            struct sigaction sa = {0}, old;
            sa.sa_handler = on_sigint;
            sigemptyset(&sa.sa_mask);
            sigaction(SIGINT, &sa, &old);
            report_run_fd(&r, STDIN_FILENO, "standard input");
            sigaction(SIGINT, &old, NULL);
        } else {
            report_run_capture(&r, to, *p);
        }
    }

    int status;
    bool html_ok = true;
    report_model_settle(model);
    const GPtrArray *clients = report_model_clients(model);
    if (r.fatal || r.bad_lines) {
        if (r.bad_lines)
            fprintf(stderr, "pxe-report: %" G_GUINT64_FORMAT " bad input line(s)%s\n", r.bad_lines,
                    opt->follow ? "" : ": no report printed");
        if (!r.bad_lines && !opt->follow)
            fprintf(stderr, "pxe-report: no report printed\n");
        status = EXIT_ERROR;
        if (html_out)
            report_html_write(r.html, html_out, NULL, false);
    } else {
        report_limits_t limits;
        report_model_limits(model, &limits);
        report_output_set_limits(output, &limits);
        report_output_finish(output, clients);
        errno = 0;
        html_ok = !html_out || report_html_write(r.html, html_out, clients, n_inputs > 1);
        report_summary_t s;
        report_summary_count(clients, &s);
        if (report_model_unattributed(model))
            fprintf(stderr, "pxe-report: note: %" G_GUINT64_FORMAT " boot frame(s) without a "
                            "known client are not counted\n", report_model_unattributed(model));
        report_limits_note(stderr, &limits);
        if (!s.clients) {
            if (only) {
                char ms[18];
                fprintf(stderr, "pxe-report: client %s not found\n", report_format_mac(only, ms));
            } else {
                fprintf(stderr, "pxe-report: no PXE clients found\n");
            }
            status = EXIT_NO_CLIENT;
        } else {
            status = s.ok == s.clients ? EXIT_ALL_OK : EXIT_NOT_OK;
        }
    }
    /* a full disk shows at the latest when the page is closed */
    if (html_out && fclose(html_out) != 0)
        html_ok = false;
    if (!html_ok) {
        fprintf(stderr, "pxe-report: %s: %s\n", opt->html, errno ? g_strerror(errno) : "write error");
        status = EXIT_ERROR;
    }
    report_html_free(r.html);
    report_output_free(output);
    report_model_free(model);
    return status;
}

int main(int argc, char **argv)
{
    options_t opt = {0};
    GOptionEntry entries[] = {
        {"format", 'f', 0, G_OPTION_ARG_STRING, &opt.format,
         "Output: text (default), json, jsonl or csv", "FORMAT"},
        {"color", 0, 0, G_OPTION_ARG_STRING, &opt.color,
         "Colour the text: auto (default: a terminal and no NO_COLOR), always, never", "WHEN"},
        {"client", 'c', 0, G_OPTION_ARG_STRING, &opt.client,
         "Report only this client (MAC, : or - separated, any case)", "MAC"},
        {"html", 0, 0, G_OPTION_ARG_FILENAME, &opt.html,
         "Also write every client's boot as a timeline to FILE, one self-contained HTML page",
         "FILE"},
        {"follow", 0, 0, G_OPTION_ARG_NONE, &opt.follow,
         "Print each client as soon as its verdict is decided (text, jsonl, csv)", NULL},
        {"tshark", 0, 0, G_OPTION_ARG_FILENAME, &opt.tshark, "The tshark to run (default: tshark in PATH)",
         "PATH"},
        {"plugin-dir", 0, 0, G_OPTION_ARG_FILENAME, &opt.plugin_dir,
         "WIRESHARK_PLUGIN_DIR for tshark: the directory holding <major.minor>/epan/pxe.so",
         "DIR"},
        {"tftp-all", 0, 0, G_OPTION_ARG_NONE, &opt.tftp_all,
         "Treat every TFTP transfer as part of a boot (plugin preference pxe.tftp_all)", NULL},
        {"max-clients", 0, 0, G_OPTION_ARG_INT, &opt.max_clients,
         "Clients the plugin follows at most, 0 no limit (plugin preference pxe.max_clients, "
         "default 200000)", "N"},
        {"merge", 'm', 0, G_OPTION_ARG_NONE, &opt.merge,
         "Read the CAPTUREs as one capture, in the order given (or in ring-buffer order), "
         "through mergecap -a: a boot split across files is one boot", NULL},
        {"no-merge", 0, 0, G_OPTION_ARG_NONE, &opt.no_merge,
         "Read the files of a dumpcap ring buffer apart (they are merged by default)", NULL},
        {"print-tshark-command", 0, 0, G_OPTION_ARG_NONE, &opt.print_command,
         "Print the tshark command (for each CAPTURE) and exit", NULL},
        {"version", 'V', 0, G_OPTION_ARG_NONE, &opt.version, "Print the version and exit", NULL},
        {G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &opt.inputs, NULL, "CAPTURE... | -"},
        {NULL, 0, 0, 0, NULL, NULL, NULL},
    };

    /* the help names the tshark command, which depends on --tshark and
     * --plugin-dir: look at those before GOption prints it */
    report_tshark_opts_t to = {.tshark = "tshark"};
    opt.max_clients = -1;
    for (int i = 1; i < argc; i++) {
        if (g_str_has_prefix(argv[i], "--tshark="))
            to.tshark = argv[i] + 9;
        else if (strcmp(argv[i], "--tshark") == 0 && i + 1 < argc)
            to.tshark = argv[i + 1];
        else if (g_str_has_prefix(argv[i], "--plugin-dir="))
            to.plugin_dir = argv[i] + 13;
        else if (strcmp(argv[i], "--plugin-dir") == 0 && i + 1 < argc)
            to.plugin_dir = argv[i + 1];
        else if (strcmp(argv[i], "--tftp-all") == 0)
            to.tftp_all = true;
    }
    GOptionContext *ctx = g_option_context_new(NULL);
    g_option_context_set_summary(ctx, "One verdict per PXE client from captures of network boots.");
    char *desc = help_description(&to);
    g_option_context_set_description(ctx, desc);
    g_option_context_add_main_entries(ctx, entries, NULL);
    GError *error = NULL;
    int status;
    merge_plan_t plan = {0};
    if (!g_option_context_parse(ctx, &argc, &argv, &error)) {
        status = usage_error(error->message);
        g_error_free(error);
        goto out;
    }
    to.tshark = opt.tshark ? opt.tshark : "tshark";
    to.plugin_dir = opt.plugin_dir;
    to.tftp_all = opt.tftp_all;
    if (opt.max_clients < -1) {
        status = usage_error("--max-clients wants a number >= 0");
        goto out;
    }
    to.has_max_clients = opt.max_clients >= 0;
    to.max_clients = opt.max_clients >= 0 ? (unsigned)opt.max_clients : 0;

    if (opt.version) {
        printf("pxe-report (pxediag) %s\n", PXEDIAG_VERSION);
        status = EXIT_ALL_OK;
        goto out;
    }
    if ((status = plan_merge(&opt, &plan)) != EXIT_ALL_OK)
        goto out;
    if (opt.print_command) {
        status = print_commands(&to, opt.inputs, &plan);
        goto out;
    }
    report_format_t fmt = REPORT_FMT_TEXT;
    if (opt.format && !report_format_parse(opt.format, &fmt)) {
        status = usage_error("--format takes text, json, jsonl or csv");
        goto out;
    }
    bool color = false;
    if (!want_color(opt.color, &color)) {
        status = usage_error("--color takes auto, always or never");
        goto out;
    }
    if (fmt != REPORT_FMT_TEXT)
        color = false;
    if (opt.follow && fmt == REPORT_FMT_JSON) {
        status = usage_error("--follow cannot stream one JSON document: use --format jsonl");
        goto out;
    }
    uint8_t only[6];
    if (opt.client && !report_parse_mac(opt.client, only)) {
        status = usage_error("--client takes a MAC address like 52:54:00:12:34:56");
        goto out;
    }
    if (opt.html && (!*opt.html || strcmp(opt.html, "-") == 0)) {
        status = usage_error("--html takes the name of the page to write (the report still goes "
                             "to standard output)");
        goto out;
    }
    if (!opt.inputs || !opt.inputs[0]) {
        status = usage_error("no CAPTURE given (use '-' to read tshark output from standard input)");
        goto out;
    }
    status = run(&opt, &to, fmt, color, opt.client ? only : NULL, &plan);

out:
    g_free(desc);
    g_option_context_free(ctx);
    g_free(opt.format);
    g_free(opt.color);
    g_free(opt.client);
    g_free(opt.tshark);
    g_free(opt.plugin_dir);
    g_free(opt.html);
    g_strfreev(opt.inputs);
    g_strfreev(plan.merged);
    g_free(plan.name);
    return status;
}
