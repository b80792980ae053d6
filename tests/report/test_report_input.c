/* test_report_input.c - unit tests of pxe-report's input side: the line
 * splitter (chunks, CR, long and cut-off lines) and the tshark fields parser
 * (columns by name, every kind of bad value, diagnosis columns, the IPv6
 * address columns).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <string.h>

#include <glib.h>

#include "report_input.h"
#include "report_lines.h"
#include "report_util.h"
#include "rows.h"

/* ---- line splitter ---- */

typedef struct {
    GPtrArray *lines;        /* "kind:line_no:text" */
    int stop_after;          /* stop once this many lines came (0: never) */
} collect_t;

static bool collect(void *user, uint64_t line_no, report_line_kind_t kind, const char *text,
                    size_t len)
{
    collect_t *c = user;
    GString *s = g_string_new(NULL);
    g_string_printf(s, "%d:%" G_GUINT64_FORMAT ":", kind, line_no);
    if (text)
        g_string_append_len(s, text, (gssize)len);
    g_ptr_array_add(c->lines, g_string_free(s, FALSE));
    return !c->stop_after || (int)c->lines->len < c->stop_after;
}

static collect_t *collect_new(void)
{
    collect_t *c = g_new0(collect_t, 1);
    c->lines = g_ptr_array_new_with_free_func(g_free);
    return c;
}

static void collect_free(collect_t *c)
{
    g_ptr_array_free(c->lines, TRUE);
    g_free(c);
}

#define LINE(c, i) ((const char *)g_ptr_array_index((c)->lines, (i)))

static void test_lines_chunks(void)
{
    collect_t *c = collect_new();
    report_lines_t *l = report_lines_new(100, collect, c);
    const char *text = "one\r\ntwo\n\nthree\n";
    /* byte by byte: lines must not depend on how the pipe delivers them */
    for (size_t i = 0; i < strlen(text); i++)
        report_lines_feed(l, text + i, 1);
    report_lines_finish(l);
    g_assert_cmpuint(c->lines->len, ==, 4);
    g_assert_cmpstr(LINE(c, 0), ==, "0:1:one");
    g_assert_cmpstr(LINE(c, 1), ==, "0:2:two");
    g_assert_cmpstr(LINE(c, 2), ==, "0:3:");
    g_assert_cmpstr(LINE(c, 3), ==, "0:4:three");
    report_lines_free(l);
    collect_free(c);
}

static void test_lines_truncated_and_empty(void)
{
    collect_t *c = collect_new();
    report_lines_t *l = report_lines_new(100, collect, c);
    report_lines_finish(l);
    g_assert_cmpuint(c->lines->len, ==, 0);
    report_lines_free(l);

    l = report_lines_new(100, collect, c);
    report_lines_feed(l, "a\nb", 3);
    report_lines_finish(l);
    g_assert_cmpuint(c->lines->len, ==, 2);
    g_assert_cmpstr(LINE(c, 1), ==, "2:2:b");
    report_lines_free(l);
    collect_free(c);
}

static void test_lines_too_long(void)
{
    collect_t *c = collect_new();
    report_lines_t *l = report_lines_new(10, collect, c);
    char big[1000];
    memset(big, 'x', sizeof big);
    report_lines_feed(l, "ok\n", 3);
    report_lines_feed(l, big, sizeof big);
    report_lines_feed(l, big, sizeof big);
    report_lines_feed(l, "\nafter\n", 7);
    report_lines_finish(l);
    g_assert_cmpuint(c->lines->len, ==, 3);
    g_assert_cmpstr(LINE(c, 1), ==, "1:2:");
    g_assert_cmpstr(LINE(c, 2), ==, "0:3:after");
    report_lines_free(l);
    collect_free(c);
}

static void test_lines_nul_and_stop(void)
{
    collect_t *c = collect_new();
    c->stop_after = 1;
    report_lines_t *l = report_lines_new(100, collect, c);
    g_assert_false(report_lines_feed(l, "a\0b\nc\nd\n", 8));
    report_lines_finish(l);
    g_assert_cmpuint(c->lines->len, ==, 1);
    g_assert_cmpint(memcmp(LINE(c, 0), "0:1:a\0b", 7), ==, 0);
    report_lines_free(l);
    collect_free(c);
}

/* ---- parser ---- */

static report_parse_result_t parse(report_parser_t *p, const char *line, report_row_t *row,
                                   char **err)
{
    return report_parser_line(p, 7, line, strlen(line), row, err);
}

static report_parser_t *parser_with_header(void)
{
    report_parser_t *p = report_parser_new();
    char *h = rows_header();
    report_row_t row;
    char *err = NULL;
    g_assert_cmpint(parse(p, h, &row, &err), ==, REPORT_PARSE_HEADER);
    g_assert_true(report_parser_has_header(p));
    g_free(h);
    return p;
}

static void assert_bad(report_parser_t *p, char *line, const char *needle)
{
    report_row_t row;
    char *err = NULL;
    report_parse_result_t r = parse(p, line, &row, &err);
    if (r != REPORT_PARSE_BAD_ROW || !err || !strstr(err, needle))
        g_error("'%s': expected an error with '%s', got %d '%s'", line, needle, r, err ? err : "");
    g_free(err);
    g_free(line);
}

static void test_full_row(void)
{
    report_parser_t *p = parser_with_header();
    char *line = ROW("frame.number", "33", "frame.time_epoch", "1692631038.503543617",
                     "pxe.stage", "18", "pxe.client", "A8:A1:59:B7:4C:3B", "pxe.client_ip",
                     "192.168.178.84", "pxe.arch", "7", "pxe.firmware", "UEFI PXE", "pxe.attempt",
                     "2", "pxe.phase", "1", "pxe.tftp.file", "boot/x.efi", "pxe.tftp.request_in", "31", "pxe.tftp.nbp", "True",
                     "pxe.tftp.status", "size probe", "pxe.tftp.complete", "0", "pxe.tftp.bytes",
                     "0", "pxe.tftp.tsize", "935264", "pxe.tftp.duration", "0.000642061 seconds",
                     "pxe.diag", "tsize-probe|probe-miss", "pxe.diag.severity", "note|note",
                     "pxe.diag.summary", "tsize-probe: a|probe-miss: b", "pxe.diag.frames",
                     "33 35|35", "pxe.diag.client", "52:54:00:00:00:01|52:54:00:00:00:01", "pxe.diag.attempt", "1|1");
    report_row_t row;
    char *err = NULL;
    g_assert_cmpint(parse(p, line, &row, &err), ==, REPORT_PARSE_ROW);
    g_assert_null(err);
    g_assert_cmpuint(row.frame, ==, 33);
    g_assert_cmpfloat_with_epsilon(row.time, 1692631038.5035436, 1e-6);
    g_assert_cmpuint(row.stage, ==, 18);
    g_assert_true(row.has_client);
    char ms[18];
    g_assert_cmpstr(report_format_mac(row.mac, ms), ==, "a8:a1:59:b7:4c:3b");
    g_assert_cmpuint(row.attempt, ==, 2);
    g_assert_cmpuint(row.arch, ==, 7);
    g_assert_cmpstr(row.firmware, ==, "UEFI PXE");
    g_assert_null(row.bootfile);
    g_assert_true(row.tftp_nbp);
    g_assert_true(row.has_xfer);
    g_assert_cmpint(row.xfer_status, ==, REPORT_XFER_SIZE_PROBE);
    g_assert_true(row.has_tsize);
    g_assert_cmpuint(row.xfer_tsize, ==, 935264);
    g_assert_cmpfloat_with_epsilon(row.xfer_duration, 0.000642061, 1e-12);
    g_assert_cmpuint(row.n_diags, ==, 2);
    g_assert_cmpint(row.diags[0].code, ==, PXE_CODE_TSIZE_PROBE);
    g_assert_cmpuint(row.diags[0].n_frames, ==, 2);
    g_assert_cmpuint(row.diags[0].frames[1], ==, 35);
    g_assert_cmpstr(row.diags[1].summary, ==, "probe-miss: b");
    g_assert_cmpuint(row.diags[1].n_frames, ==, 1);
    g_free(line);
    report_parser_free(p);
}

static void test_not_a_boot_frame(void)
{
    report_parser_t *p = parser_with_header();
    char *line = ROW("frame.number", "1", "frame.time_epoch", "5.25");
    report_row_t row;
    char *err = NULL;
    g_assert_cmpint(parse(p, line, &row, &err), ==, REPORT_PARSE_ROW);
    g_assert_cmpuint(row.stage, ==, 0);
    g_assert_false(row.has_client);
    g_free(line);
    /* stage names are accepted as well as numbers */
    line = ROW("frame.number", "2", "frame.time_epoch", "5.5", "pxe.stage", "tftp-oack");
    g_assert_cmpint(parse(p, line, &row, &err), ==, REPORT_PARSE_ROW);
    g_assert_cmpuint(row.stage, ==, 15);
    g_free(line);
    report_parser_free(p);
}

static void test_header_by_name(void)
{
    /* reordered, with extra columns */
    GString *h = g_string_new("_ws.col.Info");
    for (int c = REPORT_NCOLS - 1; c >= 0; c--)
        g_string_append_printf(h, "\t%s", report_column_name((report_col_t)c));
    g_string_append(h, "\tip.src");
    report_parser_t *p = report_parser_new();
    report_row_t row;
    char *err = NULL;
    g_assert_cmpint(parse(p, h->str, &row, &err), ==, REPORT_PARSE_HEADER);
    GString *r = g_string_new("DHCP Discover");
    for (int c = REPORT_NCOLS - 1; c >= 0; c--) {
        const char *v = c == REPORT_COL_FRAME ? "9" : c == REPORT_COL_TIME ? "1.5" :
                        c == REPORT_COL_STAGE ? "1" : "";
        g_string_append_printf(r, "\t%s", v);
    }
    g_string_append(r, "\t10.0.0.1");
    g_assert_cmpint(parse(p, r->str, &row, &err), ==, REPORT_PARSE_ROW);
    g_assert_cmpuint(row.frame, ==, 9);
    g_assert_cmpuint(row.stage, ==, 1);
    g_string_free(h, TRUE);
    g_string_free(r, TRUE);
    report_parser_free(p);
}

static void test_header_errors(void)
{
    report_parser_t *p = report_parser_new();
    report_row_t row;
    char *err = NULL;
    g_assert_cmpint(parse(p, "hello world", &row, &err), ==, REPORT_PARSE_FATAL);
    g_assert_nonnull(strstr(err, "not a header line"));
    g_free(err);
    g_assert_cmpint(parse(p, "frame.number\tpxe.stage", &row, &err), ==, REPORT_PARSE_FATAL);
    g_assert_nonnull(strstr(err, "pxe.diag.frames"));
    g_assert_null(strstr(err, " pxe.stage "));
    g_free(err);
    g_assert_cmpint(parse(p, "", &row, &err), ==, REPORT_PARSE_FATAL);
    g_free(err);
    g_assert_cmpint(report_parser_line(p, 1, "a\0b", 3, &row, &err), ==, REPORT_PARSE_FATAL);
    g_assert_nonnull(strstr(err, "NUL"));
    g_free(err);
    /* data where the header belongs: say so */
    char *line = ROW("frame.number", "1", "frame.time_epoch", "1");
    g_assert_cmpint(parse(p, line, &row, &err), ==, REPORT_PARSE_FATAL);
    g_free(err);
    g_free(line);
    char *h = rows_header();
    char *twice = g_strconcat(h, "\tpxe.stage", NULL);
    g_assert_cmpint(parse(p, twice, &row, &err), ==, REPORT_PARSE_FATAL);
    g_assert_nonnull(strstr(err, "twice"));
    g_free(err);
    g_free(twice);
    g_free(h);
    g_assert_false(report_parser_has_header(p));
    report_parser_free(p);
}

static void test_bad_rows(void)
{
    report_parser_t *p = parser_with_header();
    const char *mac = "52:54:00:12:34:56";
#define BASE "frame.number", "12", "frame.time_epoch", "100.5", "pxe.stage", "5", "pxe.client", mac, \
             "pxe.attempt", "1", "pxe.phase", "1"
    assert_bad(p, g_strdup("12\t100.5\t5"), "column");
    assert_bad(p, ROW("frame.number", "x12", "frame.time_epoch", "1"), "frame.number 'x12'");
    assert_bad(p, ROW("frame.number", "-3", "frame.time_epoch", "1"), "frame.number");
    assert_bad(p, ROW("frame.number", "0", "frame.time_epoch", "1"), "frame.number");
    assert_bad(p, ROW("frame.number", "99999999999", "frame.time_epoch", "1"), "frame.number");
    assert_bad(p, ROW("frame.number", "", "frame.time_epoch", "1"), "frame.number is empty");
    assert_bad(p, ROW("frame.number", "1", "frame.time_epoch", "soon"), "frame.time_epoch");
    assert_bad(p, ROW("frame.number", "1", "frame.time_epoch", "1e9"), "frame.time_epoch");
    assert_bad(p, ROW("frame.number", "1", "frame.time_epoch", "1", "pxe.stage", "99"), "pxe.stage");
    assert_bad(p, ROW("frame.number", "1", "frame.time_epoch", "1", "pxe.stage", "1", "pxe.client",
                      "52:54:00:12:34"), "pxe.client");
    assert_bad(p, ROW("frame.number", "1", "frame.time_epoch", "1", "pxe.stage", "1", "pxe.client",
                      mac), "pxe.attempt is empty");
    assert_bad(p, ROW(BASE, "pxe.client_ip", "10.0.0.300"), "pxe.client_ip");
    assert_bad(p, ROW(BASE, "pxe.dhcp_server", "1.2.3.4|5.6.7.8"), "pxe.dhcp_server");
    assert_bad(p, ROW(BASE, "pxe.arch", "65536"), "pxe.arch");
    assert_bad(p, ROW(BASE, "pxe.tftp.file", "f", "pxe.tftp.request_in", "1", "pxe.tftp.nbp", "maybe"), "pxe.tftp.nbp");
    assert_bad(p, ROW(BASE, "pxe.tftp.file", "f", "pxe.tftp.request_in", "1", "pxe.tftp.status", "done"), "pxe.tftp.status");
    assert_bad(p, ROW(BASE, "pxe.tftp.file", "f", "pxe.tftp.request_in", "1", "pxe.tftp.status", "complete",
                      "pxe.tftp.complete", "1", "pxe.tftp.duration", "0.5"), "pxe.tftp.bytes");
    assert_bad(p, ROW(BASE, "pxe.diag", "PXE-E99", "pxe.diag.severity", "error",
                      "pxe.diag.summary", "PXE-E99: x", "pxe.diag.frames", "12", "pxe.diag.client", "52:54:00:00:00:01", "pxe.diag.attempt", "1"),
               "unknown diagnosis code 'PXE-E99'");
    assert_bad(p, ROW(BASE, "pxe.diag", "PXE-E53", "pxe.diag.severity", "note",
                      "pxe.diag.summary", "PXE-E53: x", "pxe.diag.frames", "12", "pxe.diag.client", "52:54:00:00:00:01", "pxe.diag.attempt", "1"), "severity");
    assert_bad(p, ROW(BASE, "pxe.diag", "PXE-E53", "pxe.diag.severity", "fatal",
                      "pxe.diag.summary", "PXE-E53: x", "pxe.diag.frames", "12", "pxe.diag.client", "52:54:00:00:00:01", "pxe.diag.attempt", "1"), "severity");
    assert_bad(p, ROW(BASE, "pxe.diag", "PXE-E53|dhcp-nak", "pxe.diag.severity", "error",
                      "pxe.diag.summary", "PXE-E53: x", "pxe.diag.frames", "12", "pxe.diag.client", "52:54:00:00:00:01", "pxe.diag.attempt", "1"), "pair up");
    assert_bad(p, ROW(BASE, "pxe.diag", "PXE-E53", "pxe.diag.severity", "error",
                      "pxe.diag.summary", "PXE-E53: x", "pxe.diag.frames", "12 b", "pxe.diag.client", "52:54:00:00:00:01", "pxe.diag.attempt", "1"),
               "pxe.diag.frames");
    assert_bad(p, ROW(BASE, "pxe.diag.summary", "x"), "without pxe.diag");
    assert_bad(p, ROW(BASE, "pxe.diag", "PXE-E53", "pxe.diag.severity", "error",
                      "pxe.diag.summary", "", "pxe.diag.frames", "12", "pxe.diag.client", "52:54:00:00:00:01", "pxe.diag.attempt", "1"), "summary is empty");
    /* a second header in the middle of the input */
    char *h = rows_header();
    assert_bad(p, h, "second header");
    /* garbage of any length is quoted short */
    char *big = g_malloc(100001);
    memset(big, 'z', 100000);
    big[100000] = '\0';
    char *line = ROW("frame.number", big, "frame.time_epoch", "1");
    report_row_t row;
    char *err = NULL;
    g_assert_cmpint(parse(p, line, &row, &err), ==, REPORT_PARSE_BAD_ROW);
    g_assert_cmpuint(strlen(err), <, 200);
    g_free(err);
    g_free(line);
    g_free(big);
    /* the parser goes on after bad rows */
    line = ROW(BASE);
    g_assert_cmpint(parse(p, line, &row, &err), ==, REPORT_PARSE_ROW);
    g_free(line);
    g_assert_cmpint(report_parser_line(p, 8, "1\0", 2, &row, &err), ==, REPORT_PARSE_BAD_ROW);
    g_free(err);
#undef BASE
    report_parser_free(p);
}

/* The IPv6 twins (pxe.client_ip6, ...) give the same row fields as the IPv4
 * columns; a header without them (an older plugin) still reads. */
static void test_ipv6_columns(void)
{
    report_parser_t *p = parser_with_header();
#define BASE "frame.number", "22", "frame.time_epoch", "100.5", "pxe.stage", "5", "pxe.client", \
             "52:54:00:00:30:01", "pxe.attempt", "1", "pxe.phase", "1"
    char *line = ROW(BASE, "pxe.client_ip6", "2001:db8:0:1::197", "pxe.tftp_server6", "2001:db8:0:1::1",
                     "pxe.dhcp_server6", "fe80::ff:fe00:201", "pxe.dhcp.assigned_addr6",
                     "2001:db8:0:1::197", "pxe.dhcp.relay6", "2001:db8:0:2::1");
    report_row_t row;
    char *err = NULL;
    g_assert_cmpint(parse(p, line, &row, &err), ==, REPORT_PARSE_ROW);
    g_assert_cmpstr(row.client_ip, ==, "2001:db8:0:1::197");
    g_assert_cmpstr(row.tftp_server, ==, "2001:db8:0:1::1");
    g_assert_cmpstr(row.dhcp_server, ==, "fe80::ff:fe00:201");
    g_assert_cmpstr(row.assigned_addr, ==, "2001:db8:0:1::197");
    g_assert_cmpstr(row.relay, ==, "2001:db8:0:2::1");
    g_free(line);
    /* IPv4 still lands in the same fields */
    line = ROW(BASE, "pxe.client_ip", "10.0.0.50", "pxe.dhcp.relay", "10.0.1.1");
    g_assert_cmpint(parse(p, line, &row, &err), ==, REPORT_PARSE_ROW);
    g_assert_cmpstr(row.client_ip, ==, "10.0.0.50");
    g_assert_cmpstr(row.relay, ==, "10.0.1.1");
    g_assert_null(row.tftp_server);
    g_free(line);
    assert_bad(p, ROW(BASE, "pxe.client_ip6", "2001:db8::x"), "pxe.client_ip6 '2001:db8::x'");
    assert_bad(p, ROW(BASE, "pxe.tftp_server6", "10.0.0.2"), "pxe.tftp_server6");
    assert_bad(p, ROW(BASE, "pxe.dhcp_server", "10.0.0.1", "pxe.dhcp_server6", "fe80::1"), "both set");
    assert_bad(p, ROW(BASE, "pxe.dhcp.relay6", "2001:db8::1|2001:db8::2"), "pxe.dhcp.relay6");
    report_parser_free(p);

    /* an older plugin's header: no v6 column at all */
    p = report_parser_new();
    GString *h = g_string_new(NULL), *r = g_string_new(NULL);
    for (int c = 0; c < REPORT_NCOLS; c++) {
        const char *name = report_column_name((report_col_t)c);
        if (g_str_has_suffix(name, "6"))
            continue;
        const char *v = c == REPORT_COL_FRAME ? "23" : c == REPORT_COL_TIME ? "101" :
                        c == REPORT_COL_STAGE ? "5" : c == REPORT_COL_CLIENT ? "52:54:00:00:30:01" :
                        c == REPORT_COL_ATTEMPT || c == REPORT_COL_PHASE ? "1" :
                        c == REPORT_COL_CLIENT_IP ? "10.0.0.50" : "";
        g_string_append_printf(h, "%s%s", h->len ? "\t" : "", name);
        g_string_append_printf(r, "%s%s", c ? "\t" : "", v);
    }
    g_assert_cmpint(parse(p, h->str, &row, &err), ==, REPORT_PARSE_HEADER);
    g_assert_cmpint(parse(p, r->str, &row, &err), ==, REPORT_PARSE_ROW);
    g_assert_cmpstr(row.client_ip, ==, "10.0.0.50");
    g_assert_null(row.tftp_server);
    g_string_free(h, TRUE);
    g_string_free(r, TRUE);
    report_parser_free(p);
#undef BASE
}

static void test_util(void)
{
    uint8_t mac[6];
    char ms[18];
    g_assert_true(report_parse_mac("52-54-00-AB-cd-0F", mac));
    g_assert_cmpstr(report_format_mac(mac, ms), ==, "52:54:00:ab:cd:0f");
    g_assert_false(report_parse_mac("52:54-00:ab:cd:0f", mac));
    g_assert_false(report_parse_mac("52:54:00:ab:cd:0g", mac));
    g_assert_false(report_parse_mac("52:54:00:ab:cd", mac));
    uint64_t v;
    g_assert_true(report_parse_uint("0x1b", 0xffff, &v));
    g_assert_cmpuint(v, ==, 27);
    g_assert_true(report_parse_uint("09", 100, &v));
    g_assert_false(report_parse_uint("18446744073709551616", UINT64_MAX, &v));
    g_assert_false(report_parse_uint(" 1", 10, &v));
    bool b;
    g_assert_true(report_parse_bool("FALSE", &b) && !b);
    g_assert_false(report_parse_bool("2", &b));
    g_assert_true(report_parse_ipv6("2001:db8:0:1::1"));
    g_assert_true(report_parse_ipv6("::ffff:192.0.2.1"));
    g_assert_false(report_parse_ipv6("192.0.2.1"));
    g_assert_false(report_parse_ipv6("2001:db8::1::2"));
    char *c = report_clean_string("a\x1b[31mb\xff\xc2\x9b");
    g_assert_true(g_utf8_validate(c, -1, NULL));
    g_assert_null(strchr(c, '\x1b'));
    g_assert_true(g_str_has_prefix(c, "a?[31mb"));
    g_free(c);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/lines/chunks", test_lines_chunks);
    g_test_add_func("/lines/truncated-and-empty", test_lines_truncated_and_empty);
    g_test_add_func("/lines/too-long", test_lines_too_long);
    g_test_add_func("/lines/nul-and-stop", test_lines_nul_and_stop);
    g_test_add_func("/parser/full-row", test_full_row);
    g_test_add_func("/parser/not-a-boot-frame", test_not_a_boot_frame);
    g_test_add_func("/parser/header-by-name", test_header_by_name);
    g_test_add_func("/parser/header-errors", test_header_errors);
    g_test_add_func("/parser/bad-rows", test_bad_rows);
    g_test_add_func("/parser/ipv6-columns", test_ipv6_columns);
    g_test_add_func("/util", test_util);
    return g_test_run();
}
