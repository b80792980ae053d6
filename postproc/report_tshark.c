/* report_tshark.c - tshark's command line, running it (alone, or fed by
 * mergecap), judging its end.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_tshark.h"

#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "report_input.h"

/* tshark's standard error kept for the message; the rest is drained. */
#define ERR_KEEP (16 * 1024)

char **report_tshark_argv(const report_tshark_opts_t *o, const char *capture, const char *iface)
{
    GPtrArray *a = g_ptr_array_new();
    g_ptr_array_add(a, g_strdup(o->tshark ? o->tshark : "tshark"));
    if (capture) {
        g_ptr_array_add(a, g_strdup("-r"));
        g_ptr_array_add(a, g_strdup(capture));
    } else if (iface) {
        /* -l: flush each row, so verdicts come while the boot happens */
        g_ptr_array_add(a, g_strdup("-l"));
        g_ptr_array_add(a, g_strdup("-i"));
        g_ptr_array_add(a, g_strdup(iface));
    }
    /* no name resolution: no DNS lookups, addresses as numbers */
    g_ptr_array_add(a, g_strdup("-n"));
    if (o->tftp_all) {
        g_ptr_array_add(a, g_strdup("-o"));
        g_ptr_array_add(a, g_strdup("pxe.tftp_all:TRUE"));
    }
    if (o->has_max_clients) {
        g_ptr_array_add(a, g_strdup("-o"));
        g_ptr_array_add(a, g_strdup_printf("pxe.max_clients:%u", o->max_clients));
    }
    static const char *const fixed[] = {
        "-Y", "pxe", "-T", "fields", "-E", "header=y", "-E", "separator=/t",
        "-E", "aggregator=|", "-E", "occurrence=a",
    };
    for (unsigned i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(a, g_strdup(fixed[i]));
    for (int c = 0; c < REPORT_NCOLS; c++) {
        g_ptr_array_add(a, g_strdup("-e"));
        g_ptr_array_add(a, g_strdup(report_column_name((report_col_t)c)));
    }
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, FALSE);
}

static void append_quoted(GString *s, const char *arg)
{
    bool plain = *arg != '\0';
    for (const char *p = arg; *p; p++)
        if (!g_ascii_isalnum(*p) && !strchr("_./:=@%+,-", *p))
            plain = false;
    if (plain) {
        g_string_append(s, arg);
        return;
    }
    char *q = g_shell_quote(arg);
    g_string_append(s, q);
    g_free(q);
}

char *report_tshark_command_line(const report_tshark_opts_t *o, const char *capture,
                                 const char *iface)
{
    GString *s = g_string_new(NULL);
    if (o->plugin_dir) {
        g_string_append(s, "WIRESHARK_PLUGIN_DIR=");
        append_quoted(s, o->plugin_dir);
        g_string_append_c(s, ' ');
    }
    char **argv = report_tshark_argv(o, capture, iface);
    for (char **p = argv; *p; p++) {
        if (p != argv)
            g_string_append_c(s, ' ');
        append_quoted(s, *p);
    }
    g_strfreev(argv);
    return g_string_free(s, FALSE);
}

/* tshark's complaints, without its warning about running as root. */
static char *err_lines(const char *err_text)
{
    GString *s = g_string_new(NULL);
    GString *cur = g_string_new(NULL);
    char **lines = g_strsplit(err_text ? err_text : "", "\n", -1);
    for (char **l = lines;; l++) {
        /* tshark lists bad fields one per indented line: keep them on one */
        if (*l && (**l == '\t' || **l == ' ')) {
            g_string_append_printf(cur, " %s", g_strstrip(*l));
            continue;
        }
        if (cur->len) {
            if (cur->len > 300)
                g_string_overwrite(g_string_truncate(cur, 297), 297, "...");
            g_string_append_printf(s, "  tshark: %s\n", cur->str);
            g_string_truncate(cur, 0);
        }
        if (!*l)
            break;
        if (!**l || strstr(*l, "Running as user") || strstr(*l, "could be dangerous"))
            continue;
        g_string_append(cur, g_str_has_prefix(*l, "tshark: ") ? *l + 8 : *l);
    }
    g_strfreev(lines);
    g_string_free(cur, TRUE);
    return g_string_free(s, FALSE);
}

static bool plugin_missing(const char *err)
{
    return strstr(err, "Some fields aren't valid") || strstr(err, "pxe is neither a field") ||
           (strstr(err, "pxe.tftp_all") && strstr(err, "-o"));
}

/* Is there a pxe.so in DIR/<version>/epan? */
static bool dir_has_plugin(const char *dir)
{
    GDir *d = g_dir_open(dir, 0, NULL);
    if (!d)
        return false;
    bool found = false;
    const char *name;
    while (!found && (name = g_dir_read_name(d))) {
        char *so = g_build_filename(dir, name, "epan", "pxe.so", NULL);
        found = g_file_test(so, G_FILE_TEST_EXISTS);
        g_free(so);
    }
    g_dir_close(d);
    return found;
}

static char *explain_plugin(const report_tshark_opts_t *o, const char *said, bool is_root)
{
    GString *m = g_string_new(
        "tshark did not load the pxe plugin: it does not know the pxe.* fields.\n");
    g_string_append(m, said);
    if (o->plugin_dir && !dir_has_plugin(o->plugin_dir))
        g_string_append_printf(m, "  There is no pxe.so in %s/*/epan/.\n", o->plugin_dir);
    if (is_root) {
        g_string_append(
            m, "  You are root, and tshark run as root ignores WIRESHARK_PLUGIN_DIR (so "
               "--plugin-dir) and the\n  per-user plugin directory. Install the plugin "
               "system-wide with `cmake --install build`\n  (as root it goes into Wireshark's "
               "system plugin directory), or run pxe-report as a normal user.\n");
    } else {
        g_string_append(
            m, "  Give --plugin-dir BUILD/plugins (the directory holding <major.minor>/epan/"
               "pxe.so), or install\n  the plugin with `cmake --install build` (into "
               "~/.local/lib/wireshark/plugins/<major.minor>/epan).\n  The plugin loads only "
               "into the Wireshark series it was built for.\n");
    }
    g_string_append(m, "  `tshark -G plugins` lists the plugins tshark loads.");
    return g_string_free(m, FALSE);
}

report_tshark_status_t report_tshark_judge(const report_tshark_opts_t *o, const char *capture,
                                           int wait_status, const char *err_text, bool got_output,
                                           bool is_root, char **message)
{
    *message = NULL;
    const char *err = err_text ? err_text : "";
    const char *what = capture ? capture : "the capture";
    if (WIFEXITED(wait_status) && WEXITSTATUS(wait_status) == 0)
        return REPORT_TSHARK_OK;
    char *said = err_lines(err);
    report_tshark_status_t st = REPORT_TSHARK_FAILED;
    if (plugin_missing(err)) {
        *message = explain_plugin(o, said, is_root);
    } else if (WIFSIGNALED(wait_status)) {
        *message = g_strdup_printf("tshark was killed by signal %d (%s) while reading %s\n%s",
                                   WTERMSIG(wait_status), g_strsignal(WTERMSIG(wait_status)),
                                   what, said);
    } else if (got_output && (strstr(err, "cut short in the middle of a packet") ||
                              strstr(err, "appears to be damaged or corrupt"))) {
        /* a capture whose writer was killed: the frames before the cut are good */
        st = REPORT_TSHARK_WARNING;
        *message = g_strdup_printf("%s ends in a damaged or cut-off packet; reporting on the "
                                   "frames before it\n%s", what, said);
    } else {
        *message = g_strdup_printf("tshark failed on %s (exit status %d)\n%s", what,
                                   WEXITSTATUS(wait_status), said);
    }
    /* no trailing newline: the caller ends the message */
    g_strchomp(*message);
    g_free(said);
    return st;
}

/* mergecap beside a tshark given by path (the same Wireshark), else in PATH. */
static char *mergecap_program(const report_tshark_opts_t *o)
{
    if (o->tshark && strchr(o->tshark, '/')) {
        char *dir = g_path_get_dirname(o->tshark);
        char *sibling = g_build_filename(dir, "mergecap", NULL);
        g_free(dir);
        if (g_file_test(sibling, G_FILE_TEST_IS_EXECUTABLE))
            return sibling;
        g_free(sibling);
    }
    return g_strdup("mergecap");
}

char **report_mergecap_argv(const report_tshark_opts_t *o, char *const *captures)
{
    GPtrArray *a = g_ptr_array_new();
    g_ptr_array_add(a, mergecap_program(o));
    /* -a: concatenate in the order given, not by time stamp: a ring
     * buffer's files follow each other, and a later file's clock is not
     * second-guessed */
    static const char *const fixed[] = {"-a", "-w", "-"};
    for (unsigned i = 0; i < G_N_ELEMENTS(fixed); i++)
        g_ptr_array_add(a, g_strdup(fixed[i]));
    for (char *const *p = captures; *p; p++)
        g_ptr_array_add(a, g_strdup(*p));
    g_ptr_array_add(a, NULL);
    return (char **)g_ptr_array_free(a, FALSE);
}

char *report_tshark_merge_command_line(const report_tshark_opts_t *o, char *const *captures)
{
    GString *s = g_string_new(NULL);
    char **argv = report_mergecap_argv(o, captures);
    for (char **p = argv; *p; p++) {
        append_quoted(s, *p);
        g_string_append_c(s, ' ');
    }
    g_strfreev(argv);
    char *tshark = report_tshark_command_line(o, "-", NULL);
    g_string_append_printf(s, "| %s", tshark);
    g_free(tshark);
    return g_string_free(s, FALSE);
}

/* One pipe from a child: fed to the caller (tshark's output) or kept for
 * the message (standard error). */
typedef struct {
    int fd;
    bool open;
    GString *keep;   /* NULL: fed */
} stream_t;

static bool read_into(stream_t *s, report_tshark_feed_fn feed, void *user, bool *stop, bool *got)
{
    char buf[65536];
    ssize_t n = read(s->fd, buf, sizeof buf);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    if (n == 0) {
        s->open = false;
        return true;
    }
    if (!s->keep) {
        *got = true;
        if (!*stop && !feed(user, buf, (size_t)n))
            *stop = true;
    } else if (s->keep->len < ERR_KEEP) {
        g_string_append_len(s->keep, buf, (gssize)MIN((size_t)n, ERR_KEEP - s->keep->len));
    }
    return true;
}

/* Read every stream until all are closed; tshark's output (streams[0]) goes
 * to feed.  A feed that asks to stop ends tshark (and its producer). */
static bool pump(stream_t *streams, unsigned n_streams, const GPid *pids, unsigned n_pids,
                 report_tshark_feed_fn feed, void *user, bool *got_output)
{
    bool stop = false;
    for (;;) {
        struct pollfd fds[3];
        stream_t *which[3];
        nfds_t n = 0;
        for (unsigned i = 0; i < n_streams; i++)
            if (streams[i].open) {
                which[n] = &streams[i];
                fds[n++] = (struct pollfd){.fd = streams[i].fd, .events = POLLIN};
            }
        if (!n)
            break;
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (nfds_t i = 0; i < n; i++)
            if ((fds[i].revents & (POLLIN | POLLHUP | POLLERR)) &&
                !read_into(which[i], feed, user, &stop, got_output))
                which[i]->open = false;
        if (stop && streams[0].open) {
            /* the input is unusable: no need for the rest */
            for (unsigned i = 0; i < n_pids; i++)
                kill(pids[i], SIGTERM);
            streams[0].open = false;
        }
    }
    for (unsigned i = 0; i < n_streams; i++)
        close(streams[i].fd);
    return stop;
}

static int reap(GPid pid)
{
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_spawn_close_pid(pid);
    return status;
}

static char *cannot_run(const char *what, const char *program, const GError *error,
                        const char *package, const char *option)
{
    if (g_error_matches(error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
        return g_strdup_printf("cannot run %s: '%s' not found%s. Install it (Debian: apt-get "
                               "install %s)%s", what, program,
                               strchr(program, '/') ? "" : " in PATH", package, option);
    return g_strdup_printf("cannot run %s ('%s'): %s", what, program, error->message);
}

/* Start tshark reading capture; stdin_fd >= 0 becomes its standard input. */
static bool spawn_tshark(const report_tshark_opts_t *o, const char *capture, int stdin_fd,
                         GPid *pid, int *out_fd, int *err_fd, char **message)
{
    char **argv = report_tshark_argv(o, capture, NULL);
    char **envp = g_get_environ();
    if (o->plugin_dir)
        envp = g_environ_setenv(envp, "WIRESHARK_PLUGIN_DIR", o->plugin_dir, TRUE);
    GError *error = NULL;
    gboolean ok = g_spawn_async_with_pipes_and_fds(
        NULL, (const char *const *)argv, (const char *const *)envp,
        G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL, stdin_fd, -1, -1, NULL, NULL,
        0, pid, NULL, out_fd, err_fd, &error);
    g_strfreev(envp);
    if (!ok) {
        *message = cannot_run("tshark", argv[0], error, "tshark",
                              " or give its path with --tshark PATH");
        g_error_free(error);
    }
    g_strfreev(argv);
    return ok;
}

report_tshark_status_t report_tshark_run(const report_tshark_opts_t *o, const char *capture,
                                         report_tshark_feed_fn feed, void *user, bool *stopped,
                                         char **message)
{
    *message = NULL;
    *stopped = false;
    GPid pid;
    stream_t s[2] = {{.open = true}, {.open = true, .keep = g_string_new(NULL)}};
    if (!spawn_tshark(o, capture, -1, &pid, &s[0].fd, &s[1].fd, message)) {
        g_string_free(s[1].keep, TRUE);
        return REPORT_TSHARK_FAILED;
    }
    bool got_output = false;
    *stopped = pump(s, 2, &pid, 1, feed, user, &got_output);
    int status = reap(pid);
    report_tshark_status_t st = REPORT_TSHARK_OK;
    if (!*stopped)
        st = report_tshark_judge(o, capture, status, s[1].keep->str, got_output, geteuid() == 0,
                                 message);
    g_string_free(s[1].keep, TRUE);
    return st;
}

/* mergecap's complaints, one indented line each, as err_lines does tshark's. */
static char *mergecap_said(const char *err)
{
    GString *s = g_string_new(NULL);
    char **lines = g_strsplit(err ? err : "", "\n", -1);
    for (char **l = lines; *l; l++) {
        if (!**l || strstr(*l, "Running as user") || strstr(*l, "could be dangerous"))
            continue;
        g_string_append_printf(s, "  mergecap: %s\n",
                               g_str_has_prefix(*l, "mergecap: ") ? *l + 10 : *l);
    }
    g_strfreev(lines);
    return g_string_free(s, FALSE);
}

report_tshark_status_t report_tshark_judge_merged(const report_tshark_opts_t *o, const char *name,
                                                  int merge_status, const char *merge_err,
                                                  int tshark_status, const char *tshark_err,
                                                  bool got_output, bool is_root, char **message)
{
    *message = NULL;
    const char *merr = merge_err ? merge_err : "";
    /* mergecap ended by tshark going away is tshark's story */
    bool merge_failed = !(WIFEXITED(merge_status) && WEXITSTATUS(merge_status) == 0) &&
                        !strstr(merr, "Broken pipe") &&
                        !(WIFSIGNALED(merge_status) && WTERMSIG(merge_status) == SIGPIPE);
    bool tshark_ok = WIFEXITED(tshark_status) && WEXITSTATUS(tshark_status) == 0;
    /* a cut-off file: mergecap 4.0 exits 2, 4.4 and later exit 0 and say so */
    bool cut = strstr(merr, "cut short in the middle of a packet") ||
               strstr(merr, "appears to be damaged or corrupt");
    if ((!merge_failed && !cut) || (!tshark_ok && plugin_missing(tshark_err ? tshark_err : "")))
        return report_tshark_judge(o, name, tshark_status, tshark_err, got_output, is_root,
                                   message);
    char *said = mergecap_said(merr);
    report_tshark_status_t st = REPORT_TSHARK_FAILED;
    if (got_output && cut) {
        /* a file whose writer was killed (the ring buffer's last, often):
         * the frames before the cut are good */
        st = REPORT_TSHARK_WARNING;
        *message = g_strdup_printf("%s: a file ends in a damaged or cut-off packet; reporting "
                                   "on the frames before it\n%s", name, said);
    } else if (WIFSIGNALED(merge_status)) {
        *message = g_strdup_printf("mergecap was killed by signal %d (%s) while reading %s\n%s",
                                   WTERMSIG(merge_status), g_strsignal(WTERMSIG(merge_status)),
                                   name, said);
    } else {
        *message = g_strdup_printf("mergecap could not read %s: exit status %d\n%s", name,
                                   WEXITSTATUS(merge_status), said);
    }
    g_strchomp(*message);
    g_free(said);
    return st;
}

report_tshark_status_t report_tshark_run_merged(const report_tshark_opts_t *o,
                                                char *const *captures, const char *name,
                                                report_tshark_feed_fn feed, void *user,
                                                bool *stopped, char **message)
{
    *message = NULL;
    *stopped = false;
    char **argv = report_mergecap_argv(o, captures);
    GPid pids[2];
    int pipe_fd = -1;
    stream_t s[3] = {{.open = true}, {.open = true, .keep = g_string_new(NULL)},
                     {.open = true, .keep = g_string_new(NULL)}};
    GError *error = NULL;
    bool ok = g_spawn_async_with_pipes(NULL, argv, NULL,
                                       G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                       NULL, &pids[0], NULL, &pipe_fd, &s[2].fd, &error);
    if (!ok) {
        *message = cannot_run("mergecap (for --merge)", argv[0], error, "wireshark-common", "");
        g_error_free(error);
    } else if (!spawn_tshark(o, "-", pipe_fd, &pids[1], &s[0].fd, &s[1].fd, message)) {
        kill(pids[0], SIGTERM);
        close(s[2].fd);
        reap(pids[0]);
        ok = false;
    }
    g_strfreev(argv);
    if (pipe_fd >= 0)
        close(pipe_fd);   /* tshark's now: mergecap must see tshark go */
    report_tshark_status_t st = REPORT_TSHARK_FAILED;
    if (ok) {
        bool got_output = false;
        *stopped = pump(s, 3, pids, 2, feed, user, &got_output);
        int tshark_status = reap(pids[1]);
        int merge_status = reap(pids[0]);
        st = REPORT_TSHARK_OK;
        if (!*stopped)
            st = report_tshark_judge_merged(o, name, merge_status, s[2].keep->str, tshark_status,
                                            s[1].keep->str, got_output, geteuid() == 0, message);
    }
    g_string_free(s[1].keep, TRUE);
    g_string_free(s[2].keep, TRUE);
    return st;
}
