/* test_report_tshark.c - unit tests of how pxe-report builds tshark's command
 * and judges its end: every column requested, shell quoting, the plugin
 * not loaded (as root and not), a cut-off capture, a crash.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "report_input.h"
#include "report_tshark.h"

/* wait(2) statuses, as Linux encodes them */
#define EXITED(n) ((n) << 8)
#define SIGNALED(s) (s)

static void test_argv(void)
{
    report_tshark_opts_t o = {.tshark = "tshark"};
    char **argv = report_tshark_argv(&o, "x.pcap", NULL);
    char *joined = g_strjoinv(" ", argv);
    g_assert_true(g_str_has_prefix(joined, "tshark -r x.pcap -n -Y pxe -T fields -E header=y "
                                           "-E separator=/t -E aggregator=| -E occurrence=a "));
    for (int c = 0; c < REPORT_NCOLS; c++) {
        char *e = g_strdup_printf(" -e %s", report_column_name((report_col_t)c));
        g_assert_nonnull(strstr(joined, e));
        g_free(e);
    }
    g_assert_null(strstr(joined, " -2"));
    g_free(joined);
    g_strfreev(argv);

    argv = report_tshark_argv(&o, NULL, "eth0");
    g_assert_cmpstr(argv[1], ==, "-l");
    g_assert_cmpstr(argv[3], ==, "eth0");
    g_strfreev(argv);
}

static void test_command_line(void)
{
    report_tshark_opts_t o = {.tshark = "/opt/ws bin/tshark", .plugin_dir = "/p", .tftp_all = true};
    char *cmd = report_tshark_command_line(&o, "it's.pcap", NULL);
    g_assert_true(g_str_has_prefix(cmd, "WIRESHARK_PLUGIN_DIR=/p '/opt/ws bin/tshark' -r 'it'\\''s.pcap' "
                                        "-n -o pxe.tftp_all:TRUE -Y pxe"));
    g_assert_nonnull(strstr(cmd, " -E 'aggregator=|' "));
    /* the shell gives back exactly the arguments */
    int argc = 0;
    char **back = NULL;
    g_assert_true(g_shell_parse_argv(cmd, &argc, &back, NULL));
    g_assert_cmpstr(back[1], ==, "/opt/ws bin/tshark");
    g_assert_cmpstr(back[3], ==, "it's.pcap");
    g_strfreev(back);
    g_free(cmd);
}

static void test_judge(void)
{
    report_tshark_opts_t o = {.tshark = "tshark"};
    char *m = NULL;
    g_assert_cmpint(report_tshark_judge(&o, "c", EXITED(0), "Running as user \"root\"", true,
                                        true, &m), ==, REPORT_TSHARK_OK);
    g_assert_null(m);

    const char *fields = "tshark: Some fields aren't valid:\n\tpxe.stage\n\tpxe.client\n";
    g_assert_cmpint(report_tshark_judge(&o, "c", EXITED(1), fields, false, true, &m), ==,
                    REPORT_TSHARK_FAILED);
    g_assert_nonnull(strstr(m, "did not load the pxe plugin"));
    g_assert_nonnull(strstr(m, "You are root"));
    g_assert_nonnull(strstr(m, "cmake --install build"));
    g_assert_nonnull(strstr(m, "Some fields aren't valid: pxe.stage pxe.client"));
    g_free(m);

    o.plugin_dir = "/nonexistent/plugins";
    g_assert_cmpint(report_tshark_judge(&o, "c", EXITED(1), fields, false, false, &m), ==,
                    REPORT_TSHARK_FAILED);
    g_assert_null(strstr(m, "You are root"));
    g_assert_nonnull(strstr(m, "There is no pxe.so in /nonexistent/plugins"));
    g_assert_nonnull(strstr(m, "--plugin-dir"));
    g_free(m);
    o.plugin_dir = NULL;

    const char *cut = "tshark: The file \"c\" appears to have been cut short in the middle of a packet.\n";
    g_assert_cmpint(report_tshark_judge(&o, "c", EXITED(2), cut, true, false, &m), ==,
                    REPORT_TSHARK_WARNING);
    g_free(m);
    /* no rows at all: nothing to report on */
    g_assert_cmpint(report_tshark_judge(&o, "c", EXITED(2), cut, false, false, &m), ==,
                    REPORT_TSHARK_FAILED);
    g_free(m);

    g_assert_cmpint(report_tshark_judge(&o, "c", SIGNALED(11), "", true, false, &m), ==,
                    REPORT_TSHARK_FAILED);
    g_assert_nonnull(strstr(m, "killed by signal 11"));
    g_free(m);

    g_assert_cmpint(report_tshark_judge(&o, "c.pcap", EXITED(2),
                                        "tshark: The file \"c.pcap\" doesn't exist.\n", false,
                                        false, &m), ==, REPORT_TSHARK_FAILED);
    g_assert_nonnull(strstr(m, "tshark failed on c.pcap (exit status 2)"));
    g_assert_nonnull(strstr(m, "doesn't exist"));
    g_free(m);
}

static bool count_bytes(void *user, const char *data, size_t len)
{
    (void)data;
    *(size_t *)user += len;
    return true;
}

static void test_run_missing_program(void)
{
    report_tshark_opts_t o = {.tshark = "/nonexistent/tshark"};
    size_t n = 0;
    bool stopped = false;
    char *m = NULL;
    g_assert_cmpint(report_tshark_run(&o, "x", count_bytes, &n, &stopped, &m), ==,
                    REPORT_TSHARK_FAILED);
    g_assert_nonnull(strstr(m, "'/nonexistent/tshark' not found"));
    g_free(m);
}

/* A stand-in tshark (sh) that prints to both pipes more than a pipe holds:
 * read both at once or hang. */
static void test_run_reads_both_pipes(void)
{
    report_tshark_opts_t o = {0};
    char *script = NULL;
    int fd = g_file_open_tmp("pxe-report-test-XXXXXX", &script, NULL);
    g_assert_cmpint(fd, >=, 0);
    const char *body = "#!/bin/sh\n"
                       "i=0; while [ $i -lt 3000 ]; do\n"
                       "  echo 'some complaint on standard error, long enough' >&2\n"
                       "  echo 'row of output on standard output, long enough too'\n"
                       "  i=$((i+1)); done\n"
                       "exit 0\n";
    g_assert_cmpint(write(fd, body, strlen(body)), ==, (ssize_t)strlen(body));
    close(fd);
    g_assert_cmpint(g_chmod(script, 0755), ==, 0);
    o.tshark = script;
    size_t n = 0;
    bool stopped = false;
    char *m = NULL;
    g_assert_cmpint(report_tshark_run(&o, "x", count_bytes, &n, &stopped, &m), ==, REPORT_TSHARK_OK);
    g_assert_cmpuint(n, ==, 3000 * strlen("row of output on standard output, long enough too\n"));
    g_assert_false(stopped);
    g_remove(script);
    g_free(script);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/tshark/argv", test_argv);
    g_test_add_func("/tshark/command-line", test_command_line);
    g_test_add_func("/tshark/judge", test_judge);
    g_test_add_func("/tshark/run-missing-program", test_run_missing_program);
    g_test_add_func("/tshark/run-reads-both-pipes", test_run_reads_both_pipes);
    return g_test_run();
}
