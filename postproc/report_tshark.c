/* report_tshark.c - tshark's command line, running it, judging its end.
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

static bool read_into(int fd, bool *open, report_tshark_feed_fn feed, void *user, GString *keep,
                      bool *stop, bool *got)
{
    char buf[65536];
    ssize_t n = read(fd, buf, sizeof buf);
    if (n < 0)
        return errno == EINTR || errno == EAGAIN;
    if (n == 0) {
        *open = false;
        return true;
    }
    *got = true;
    if (feed) {
        if (!*stop && !feed(user, buf, (size_t)n))
            *stop = true;
    } else if (keep->len < ERR_KEEP) {
        g_string_append_len(keep, buf, (gssize)MIN((size_t)n, ERR_KEEP - keep->len));
    }
    return true;
}

report_tshark_status_t report_tshark_run(const report_tshark_opts_t *o, const char *capture,
                                         report_tshark_feed_fn feed, void *user, bool *stopped,
                                         char **message)
{
    *message = NULL;
    *stopped = false;
    char **argv = report_tshark_argv(o, capture, NULL);
    char **envp = g_get_environ();
    if (o->plugin_dir)
        envp = g_environ_setenv(envp, "WIRESHARK_PLUGIN_DIR", o->plugin_dir, TRUE);
    GPid pid;
    int out_fd = -1, err_fd = -1;
    GError *error = NULL;
    gboolean ok = g_spawn_async_with_pipes(NULL, argv, envp,
                                           G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD, NULL,
                                           NULL, &pid, NULL, &out_fd, &err_fd, &error);
    g_strfreev(envp);
    if (!ok) {
        if (g_error_matches(error, G_SPAWN_ERROR, G_SPAWN_ERROR_NOENT))
            *message = g_strdup_printf(
                "cannot run tshark: '%s' not found%s. Install it (Debian: apt-get install "
                "tshark) or give its path with --tshark PATH", argv[0],
                strchr(argv[0], '/') ? "" : " in PATH");
        else
            *message = g_strdup_printf("cannot run tshark ('%s'): %s", argv[0], error->message);
        g_error_free(error);
        g_strfreev(argv);
        return REPORT_TSHARK_FAILED;
    }
    g_strfreev(argv);

    GString *err = g_string_new(NULL);
    bool out_open = true, err_open = true, stop = false, got_output = false;
    while (out_open || err_open) {
        struct pollfd fds[2];
        nfds_t n = 0;
        if (out_open)
            fds[n++] = (struct pollfd){.fd = out_fd, .events = POLLIN};
        if (err_open)
            fds[n++] = (struct pollfd){.fd = err_fd, .events = POLLIN};
        if (poll(fds, n, -1) < 0) {
            if (errno == EINTR)
                continue;
            break;
        }
        for (nfds_t i = 0; i < n; i++) {
            if (!(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            bool is_out = fds[i].fd == out_fd;
            bool *open = is_out ? &out_open : &err_open;
            bool got_err = false;
            if (!read_into(fds[i].fd, open, is_out ? feed : NULL, user, err, &stop,
                           is_out ? &got_output : &got_err))
                *open = false;
        }
        if (stop && out_open) {
            /* the input is unusable: no need for the rest */
            kill(pid, SIGTERM);
            out_open = false;
        }
    }
    close(out_fd);
    close(err_fd);
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    g_spawn_close_pid(pid);
    report_tshark_status_t st = REPORT_TSHARK_OK;
    if (stop)
        *stopped = true;
    else
        st = report_tshark_judge(o, capture, status, err->str, got_output, geteuid() == 0, message);
    g_string_free(err, TRUE);
    return st;
}
