/* report_tshark.h - running tshark with the pxe plugin, and telling the
 * user what to do when that does not work.
 *
 * The same argument list serves the direct form (pxe-report runs tshark on
 * each capture) and the pipeline form (--print-tshark-command prints it), so
 * both read identical columns.  tshark runs single-pass, as it must live,
 * so a capture file and a live pipe give the same rows.  Several files read
 * as one (--merge) go through mergecap into tshark's standard input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REPORT_TSHARK_H
#define REPORT_TSHARK_H

#include <stdbool.h>
#include <stddef.h>

#include <glib.h>

typedef struct {
    const char *tshark;      /* program; "tshark" searches PATH */
    const char *plugin_dir;  /* WIRESHARK_PLUGIN_DIR for tshark, or NULL */
    bool tftp_all;           /* -o pxe.tftp_all:TRUE */
    bool has_max_clients;
    unsigned max_clients;    /* with has_max_clients: -o pxe.max_clients:N */
} report_tshark_opts_t;

/* tshark's arguments (argv[0] included, NULL-terminated) reading capture
 * (-r), or capturing live on iface (-l -i), or neither when both are NULL.
 * Free with g_strfreev. */
char **report_tshark_argv(const report_tshark_opts_t *o, const char *capture, const char *iface);

/* The command as a shell line, WIRESHARK_PLUGIN_DIR=... first when set. */
char *report_tshark_command_line(const report_tshark_opts_t *o, const char *capture,
                                 const char *iface);

typedef enum {
    REPORT_TSHARK_OK,
    REPORT_TSHARK_WARNING,   /* finished with a complaint worth passing on (a cut capture) */
    REPORT_TSHARK_FAILED
} report_tshark_status_t;

/* Judge a finished tshark run from its wait status and standard error.
 * got_output: it printed lines.  *message (caller frees) says what
 * happened and how to fix it, for WARNING and FAILED. */
report_tshark_status_t report_tshark_judge(const report_tshark_opts_t *o, const char *capture,
                                           int wait_status, const char *err_text, bool got_output,
                                           bool is_root, char **message);

/* Feeds tshark's standard output; false stops tshark. */
typedef bool (*report_tshark_feed_fn)(void *user, const char *data, size_t len);

/* Run tshark on capture, streaming its output to feed.  *message as for
 * report_tshark_judge (also when tshark cannot be started at all).
 * stopped: feed asked to stop, tshark was ended and is not judged. */
report_tshark_status_t report_tshark_run(const report_tshark_opts_t *o, const char *capture,
                                         report_tshark_feed_fn feed, void *user, bool *stopped,
                                         char **message);

/* Several captures read as one (--merge): `mergecap -a -w - CAPTURES...`
 * (concatenated in the order given) piped into `tshark -r -`, so the plugin
 * sees one continuous capture.  mergecap is the one beside o->tshark when
 * that is a path, else the one in PATH.  argv[0] included, NULL-terminated;
 * free with g_strfreev. */
char **report_mergecap_argv(const report_tshark_opts_t *o, char *const *captures);

/* That pipeline as a shell line. */
char *report_tshark_merge_command_line(const report_tshark_opts_t *o, char *const *captures);

/* Judge the pipeline: mergecap's failure (a file that is not a capture, or
 * is missing) comes first, unless tshark did not load the plugin; a file
 * cut off in a packet is a WARNING when rows came.  name: the capture set. */
report_tshark_status_t report_tshark_judge_merged(const report_tshark_opts_t *o, const char *name,
                                                  int merge_status, const char *merge_err,
                                                  int tshark_status, const char *tshark_err,
                                                  bool got_output, bool is_root, char **message);

/* Run that pipeline, streaming tshark's output to feed; as report_tshark_run. */
report_tshark_status_t report_tshark_run_merged(const report_tshark_opts_t *o,
                                                char *const *captures, const char *name,
                                                report_tshark_feed_fn feed, void *user,
                                                bool *stopped, char **message);

#endif
