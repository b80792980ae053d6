/* test_report_docs.c - pxe-report --help and the man page name every
 * diagnosis code of pxecore's table (iterated here, so a new code without
 * documentation fails), and the man page documents every option --help
 * lists.
 *
 * Usage: test_report_docs PXE-REPORT MAN-PAGE
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "pxe_codes.h"

static const char *report_bin, *man_page;

static char *run_help(void)
{
    char *argv[] = {(char *)report_bin, "--help", NULL};
    char *out = NULL, *err = NULL;
    int status = 0;
    GError *error = NULL;
    g_assert_true(g_spawn_sync(NULL, argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                               &error));
    g_assert_no_error(error);
    g_assert_true(g_spawn_check_wait_status(status, NULL));
    g_free(err);
    return out;
}

/* The man page's text with troff's escaped hyphens made plain. */
static char *man_text(void)
{
    char *raw = NULL;
    GError *error = NULL;
    g_assert_true(g_file_get_contents(man_page, &raw, NULL, &error));
    GString *s = g_string_new(NULL);
    for (const char *p = raw; *p; p++) {
        if (p[0] == '\\' && p[1] == '-') {
            g_string_append_c(s, '-');
            p++;
        } else {
            g_string_append_c(s, *p);
        }
    }
    g_free(raw);
    return g_string_free(s, FALSE);
}

static void test_help_lists_codes(void)
{
    char *help = run_help();
    for (int i = 0; i < PXE_CODE_COUNT; i++) {
        const pxe_code_info_t *ci = pxe_code_info((pxe_code_t)i);
        char *line = g_strdup_printf("  %-18s %-8s %s\n", ci->code, pxe_severity_name(ci->severity),
                                     ci->title);
        if (!strstr(help, line))
            g_error("--help lacks the line for %s:\n%s", ci->code, line);
        g_free(line);
    }
    g_assert_nonnull(strstr(help, "-e pxe.diag.frames"));
    g_assert_nonnull(strstr(help, "| pxe-report --follow -"));
    g_free(help);
}

static void test_man_lists_codes(void)
{
    char *man = man_text();
    for (int i = 0; i < PXE_CODE_COUNT; i++) {
        const pxe_code_info_t *ci = pxe_code_info((pxe_code_t)i);
        /* ".BR CODE " (severity)": the code's own entry with its severity */
        char *entry = g_strdup_printf(".BR %s \" (%s)\"\n", ci->code, pxe_severity_name(ci->severity));
        if (!strstr(man, entry))
            g_error("%s lacks the entry '%s'", man_page, entry);
        g_free(entry);
    }
    g_free(man);
}

static void test_man_lists_options(void)
{
    char *help = run_help();
    char *man = man_text();
    GRegex *re = g_regex_new("^\\s+(?:-\\w, )?(--[a-z-]+)", G_REGEX_MULTILINE, 0, NULL);
    GMatchInfo *mi = NULL;
    unsigned n = 0;
    for (g_regex_match(re, help, 0, &mi); g_match_info_matches(mi); g_match_info_next(mi, NULL)) {
        char *opt = g_match_info_fetch(mi, 1);
        if (!strstr(man, opt))
            g_error("%s does not document %s", man_page, opt);
        g_free(opt);
        n++;
    }
    g_assert_cmpuint(n, >=, 9);
    g_match_info_free(mi);
    g_regex_unref(re);
    g_free(man);
    g_free(help);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    if (argc != 3)
        g_error("usage: %s PXE-REPORT MAN-PAGE", argv[0]);
    report_bin = argv[1];
    man_page = argv[2];
    g_test_add_func("/docs/help-lists-codes", test_help_lists_codes);
    g_test_add_func("/docs/man-lists-codes", test_man_lists_codes);
    g_test_add_func("/docs/man-lists-options", test_man_lists_options);
    return g_test_run();
}
