/* test_report_output.c - unit tests of the output formats on a synthetic
 * model: the text table and details stay within 80 columns and colour only
 * when asked, JSON parses back with the documented members, JSON lines hold
 * one client each, CSV quotes per RFC 4180, and --follow prints a client
 * when its verdict is decided.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "pxe_stage.h"
#include "report_output.h"
#include "report_verdict.h"
#include "rows.h"

#define MAC1 "52:54:00:00:00:01"
#define MAC2 "52:54:00:00:00:02"

static void row(feeder_t *f, const char *mac, unsigned frame, unsigned stage, unsigned attempt,
                const char *const *extra)
{
    char fb[16], tb[32], sb[8], ab[16];
    snprintf(fb, sizeof fb, "%u", frame);
    snprintf(tb, sizeof tb, "%u.5", 1000 + frame);
    snprintf(sb, sizeof sb, "%u", stage);
    snprintf(ab, sizeof ab, "%u", attempt);
    const char *kv[64] = {"frame.number", fb, "frame.time_epoch", tb, "pxe.stage", sb,
                          "pxe.client", mac, "pxe.attempt", ab, "pxe.phase", "1"};
    unsigned n = 12;
    for (const char *const *p = extra; p && *p; p++)
        kv[n++] = *p;
    kv[n] = NULL;
    feed(f, rows_line(kv));
}

#define ROWX(f, mac, frame, stage, attempt, ...) \
    row(f, mac, frame, stage, attempt, (const char *const[]){__VA_ARGS__, NULL})
#define ROWX0(f, mac, frame, stage, attempt) row(f, mac, frame, stage, attempt, NULL)

/* Two clients: MAC1 failed twice over with long summaries and a nasty file
 * name, then ok; MAC2 incomplete. */
static void build(feeder_t *f)
{
    feeder_init(f, NULL);
    ROWX(f, MAC1, 1, PXE_STAGE_DISCOVER, 1, "pxe.firmware", "UEFI PXE", "pxe.arch", "7");
    ROWX(f, MAC1, 2, PXE_STAGE_ACK, 1, "pxe.client_ip", "10.0.0.5", "pxe.dhcp_server", "10.0.0.1",
         "pxe.diag", "PXE-E53", "pxe.diag.severity", "error", "pxe.diag.summary",
         "PXE-E53: ACK from 10.0.0.1 names no boot file (no option 67, empty file field) and no "
         "proxyDHCP server answered - set the boot file on the DHCP server, averyveryveryveryvery"
         "veryveryveryveryveryveryveryveryveryveryveryveryveryveryverylongword",
         "pxe.diag.frames", "1 2", "pxe.diag.client", MAC1, "pxe.diag.attempt", "1");
    ROWX0(f, MAC2, 3, PXE_STAGE_DISCOVER, 1);
    ROWX0(f, MAC1, 4, PXE_STAGE_DISCOVER, 2);
    ROWX(f, MAC1, 5, PXE_STAGE_ACK, 2, "pxe.bootfile", "we\"ird,na\\me\x1b[31m.efi",
         "pxe.tftp_server", "10.0.0.2");
    ROWX(f, MAC1, 6, PXE_STAGE_TFTP_DATA, 2, "pxe.tftp.request_in", "6", "pxe.tftp.file", "we\"ird,na\\me\x1b[31m.efi",
         "pxe.tftp.nbp", "1", "pxe.tftp.status", "complete", "pxe.tftp.complete", "1",
         "pxe.tftp.bytes", "1000", "pxe.tftp.tsize", "1000", "pxe.tftp.duration", "0.5");
    ROWX(f, MAC1, 7, PXE_STAGE_TFTP_DATA, 2, "pxe.tftp.request_in", "7", "pxe.tftp.file", "grub.cfg", "pxe.tftp.nbp", "0",
         "pxe.tftp.status", "complete", "pxe.tftp.complete", "1", "pxe.tftp.bytes", "10",
         "pxe.tftp.duration", "0.25");
    for (unsigned i = 0; i < 3; i++) {
        char name[40], summary[80];
        snprintf(name, sizeof name, "pxelinux.cfg/C0%u", i);
        snprintf(summary, sizeof summary, "probe-miss: %s is not there", name);
        ROWX(f, MAC1, 8 + i, PXE_STAGE_TFTP_ERROR, 2, "pxe.tftp.file", name, "pxe.tftp.status",
             "failed", "pxe.tftp.complete", "0", "pxe.tftp.bytes", "0", "pxe.tftp.duration", "0.1",
             "pxe.diag", "probe-miss", "pxe.diag.severity", "note", "pxe.diag.summary", summary,
             "pxe.diag.frames", i == 0 ? "8" : i == 1 ? "9" : "10", "pxe.diag.client", MAC1,
             "pxe.diag.attempt", "2", "pxe.tftp.request_in", i == 0 ? "8" : i == 1 ? "9" : "10");
    }
    /* the plugin's verdicts: attempt 1 failed on frame 2, attempt 2 ok on frame 7 */
    feed(f, ROW("frame.number", "2", "frame.time_epoch", "1002.5", "pxe.outcome", "failed",
                "pxe.outcome.client", MAC1, "pxe.outcome.attempt", "1", "pxe.outcome.code", "PXE-E53",
                "pxe.outcome.reason", "PXE-E53: No boot filename received"));
    feed(f, ROW("frame.number", "7", "frame.time_epoch", "1007", "pxe.outcome", "ok",
                "pxe.outcome.client", MAC1, "pxe.outcome.attempt", "2", "pxe.outcome.code", "-",
                "pxe.outcome.reason", "the boot file arrived and ran"));
}

static char *render(void (*fn)(FILE *, void *), void *arg)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    fn(out, arg);
    fclose(out);
    return buf;
}

/* Visible width of a line: UTF-8 characters, colour escapes not counted. */
static long visible(const char *line)
{
    long n = 0;
    for (const char *p = line; *p;) {
        if (*p == '\033') {
            while (*p && *p != 'm')
                p++;
            if (*p)
                p++;
            continue;
        }
        n++;
        p = g_utf8_next_char(p);
    }
    return n;
}

typedef struct {
    const GPtrArray *clients;
    bool color;
} text_arg_t;

static void text_all(FILE *out, void *arg)
{
    text_arg_t *t = arg;
    report_output_opts_t o = {.format = REPORT_FMT_TEXT, .color = t->color};
    report_output_t *ro = report_output_new(out, &o);
    report_output_finish(ro, t->clients);
    report_output_free(ro);
}

static void test_text(void)
{
    feeder_t f;
    build(&f);
    text_arg_t arg = {report_model_clients(f.model), false};
    char *text = render(text_all, &arg);
    char **lines = g_strsplit(text, "\n", -1);
    for (char **l = lines; *l; l++)
        if (visible(*l) > REPORT_TEXT_WIDTH)
            g_error("longer than %d columns: '%s'", REPORT_TEXT_WIDTH, *l);
    g_assert_true(g_str_has_prefix(lines[0], "CLIENT "));
    g_assert_nonnull(strstr(lines[1], MAC1));
    g_assert_nonnull(strstr(lines[1], "ok"));
    g_assert_nonnull(strstr(lines[1], "PXE-E53 (try 1)"));
    g_assert_nonnull(strstr(lines[2], "incomplete"));
    g_assert_nonnull(strstr(text, "2 clients: 1 ok, 0 failed, 1 incomplete\n"));
    g_assert_nonnull(strstr(text, "3 x probe-miss"));
    g_assert_nonnull(strstr(text, "[frames 1 2]"));
    g_assert_null(strstr(text, "pxelinux.cfg/C00 0 bytes"));
    g_assert_null(strchr(text, '\033'));
    g_strfreev(lines);
    g_free(text);

    arg.color = true;
    text = render(text_all, &arg);
    g_assert_nonnull(strstr(text, "\033[32mok"));
    g_assert_nonnull(strstr(text, "\033[33mincomplete"));
    /* colour never comes from the data: the ESC in the file name is gone */
    g_assert_null(strstr(text, "\033[31m.efi"));
    g_free(text);
    feeder_free(&f);
}

static void json_doc(FILE *out, void *arg)
{
    report_summary_t s;
    report_summary_count(arg, &s);
    report_json_document(out, arg, &s);
}

static JsonObject *member_obj(JsonObject *o, const char *name)
{
    g_assert_true(json_object_has_member(o, name));
    return json_object_get_object_member(o, name);
}

static void test_json(void)
{
    feeder_t f;
    build(&f);
    char *text = render(json_doc, (void *)report_model_clients(f.model));
    JsonParser *p = json_parser_new();
    GError *err = NULL;
    g_assert_true(json_parser_load_from_data(p, text, -1, &err));
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    JsonArray *clients = json_object_get_array_member(root, "clients");
    g_assert_cmpuint(json_array_get_length(clients), ==, 2);
    JsonObject *c = json_array_get_object_element(clients, 0);
    g_assert_cmpstr(json_object_get_string_member(c, "mac"), ==, MAC1);
    g_assert_cmpstr(json_object_get_string_member(c, "outcome"), ==, "ok");
    g_assert_cmpstr(json_object_get_string_member(c, "stage"), ==, "tftp-data");
    g_assert_cmpstr(json_object_get_string_member(c, "firmware"), ==, "UEFI PXE");
    g_assert_cmpstr(json_object_get_string_member(c, "arch"), ==, "EFI x64");
    g_assert_cmpint(json_object_get_int_member(c, "arch_code"), ==, 7);
    g_assert_cmpstr(json_object_get_string_member(c, "address"), ==, "10.0.0.5");
    g_assert_true(json_object_get_null_member(c, "capture"));
    /* the file name survives intact: JSON escapes what needs it */
    g_assert_cmpstr(json_object_get_string_member(c, "bootfile"), ==, "we\"ird,na\\me\x1b[31m.efi");
    JsonArray *diags = json_object_get_array_member(c, "diagnoses");
    g_assert_cmpuint(json_array_get_length(diags), ==, 4);
    JsonObject *d = json_array_get_object_element(diags, 0);
    g_assert_cmpint(json_object_get_int_member(d, "attempt"), ==, 1);
    g_assert_cmpstr(json_object_get_string_member(d, "code"), ==, "PXE-E53");
    g_assert_cmpstr(json_object_get_string_member(d, "severity"), ==, "error");
    JsonArray *fr = json_object_get_array_member(d, "frames");
    g_assert_cmpuint(json_array_get_length(fr), ==, 2);
    g_assert_cmpint(json_array_get_int_element(fr, 1), ==, 2);
    JsonArray *files = json_object_get_array_member(c, "files");
    g_assert_cmpuint(json_array_get_length(files), ==, 5);
    JsonObject *nbp = json_array_get_object_element(files, 0);
    g_assert_cmpint(json_object_get_int_member(nbp, "bytes"), ==, 1000);
    g_assert_true(json_object_get_boolean_member(nbp, "complete"));
    g_assert_true(json_object_get_boolean_member(nbp, "nbp"));
    JsonObject *cfg = json_array_get_object_element(files, 1);
    g_assert_true(json_object_get_null_member(cfg, "tsize"));
    JsonObject *t = member_obj(c, "timings");
    g_assert_true(json_object_get_null_member(t, "discover_to_offer"));
    g_assert_cmpfloat_with_epsilon(json_object_get_double_member(t, "nbp_transfer"), 0.5, 1e-9);
    JsonObject *srv = member_obj(c, "servers");
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(srv, "dhcp")), ==, 1);
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(srv, "tftp")), ==, 1);
    JsonArray *att = json_object_get_array_member(c, "attempts");
    g_assert_cmpuint(json_array_get_length(att), ==, 2);
    JsonObject *a1 = json_array_get_object_element(att, 0);
    g_assert_cmpstr(json_object_get_string_member(a1, "outcome"), ==, "failed");
    g_assert_cmpstr(json_object_get_string_member(a1, "stage"), ==, "ack");
    g_assert_cmpint(json_object_get_int_member(a1, "size_probes"), ==, 0);
    JsonObject *sum = member_obj(root, "summary");
    g_assert_cmpint(json_object_get_int_member(sum, "clients"), ==, 2);
    g_assert_cmpint(json_object_get_int_member(sum, "ok"), ==, 1);
    g_assert_cmpint(json_object_get_int_member(sum, "incomplete"), ==, 1);
    g_object_unref(p);
    g_free(text);
    feeder_free(&f);
}

static void json_empty(FILE *out, void *arg)
{
    report_summary_t s;
    report_summary_count(arg, &s);
    report_json_document(out, arg, &s);
}

static void test_json_no_clients(void)
{
    GPtrArray *none = g_ptr_array_new();
    char *text = render(json_empty, none);
    JsonParser *p = json_parser_new();
    g_assert_true(json_parser_load_from_data(p, text, -1, NULL));
    JsonObject *root = json_node_get_object(json_parser_get_root(p));
    g_assert_cmpuint(json_array_get_length(json_object_get_array_member(root, "clients")), ==, 0);
    g_object_unref(p);
    g_free(text);
    g_ptr_array_free(none, TRUE);
}

static void jsonl_all(FILE *out, void *arg)
{
    report_output_opts_t o = {.format = REPORT_FMT_JSONL};
    report_output_t *ro = report_output_new(out, &o);
    report_output_finish(ro, arg);
    report_output_free(ro);
}

static void test_jsonl(void)
{
    feeder_t f;
    build(&f);
    char *text = render(jsonl_all, (void *)report_model_clients(f.model));
    char **lines = g_strsplit(text, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 3);
    g_assert_cmpstr(lines[2], ==, "");
    for (int i = 0; i < 2; i++) {
        JsonParser *p = json_parser_new();
        g_assert_true(json_parser_load_from_data(p, lines[i], -1, NULL));
        JsonObject *o = json_node_get_object(json_parser_get_root(p));
        g_assert_cmpstr(json_object_get_string_member(o, "mac"), ==, i ? MAC2 : MAC1);
        g_object_unref(p);
    }
    g_strfreev(lines);
    g_free(text);
    feeder_free(&f);
}

static void csv_all(FILE *out, void *arg)
{
    report_output_opts_t o = {.format = REPORT_FMT_CSV};
    report_output_t *ro = report_output_new(out, &o);
    report_output_finish(ro, arg);
    report_output_free(ro);
}

/* Split one RFC 4180 record; NULL when the quoting is broken. */
static GPtrArray *csv_split(const char *rec)
{
    GPtrArray *f = g_ptr_array_new_with_free_func(g_free);
    GString *cur = g_string_new(NULL);
    const char *p = rec;
    for (;;) {
        if (*p == '"') {
            for (p++;; p++) {
                if (!*p) {
                    g_string_free(cur, TRUE);
                    g_ptr_array_free(f, TRUE);
                    return NULL;
                }
                if (*p == '"' && p[1] == '"') {
                    g_string_append_c(cur, '"');
                    p++;
                } else if (*p == '"') {
                    p++;
                    break;
                } else {
                    g_string_append_c(cur, *p);
                }
            }
        } else {
            while (*p && *p != ',')
                g_string_append_c(cur, *p++);
        }
        g_ptr_array_add(f, g_strdup(cur->str));
        g_string_truncate(cur, 0);
        if (*p != ',')
            break;
        p++;
    }
    g_string_free(cur, TRUE);
    return f;
}

static void test_csv(void)
{
    GString *s = g_string_new(NULL);
    report_csv_field(s, "plain");
    g_string_append_c(s, ',');
    report_csv_field(s, "a,b");
    g_string_append_c(s, ',');
    report_csv_field(s, "say \"hi\"");
    g_string_append_c(s, ',');
    report_csv_field(s, "two\r\nlines");
    g_assert_cmpstr(s->str, ==, "plain,\"a,b\",\"say \"\"hi\"\"\",\"two\r\nlines\"");
    g_string_free(s, TRUE);

    feeder_t f;
    build(&f);
    char *text = render(csv_all, (void *)report_model_clients(f.model));
    g_assert_true(g_str_has_suffix(text, "\r\n"));
    char **recs = g_strsplit(text, "\r\n", -1);
    g_assert_cmpuint(g_strv_length(recs), ==, 4);
    GPtrArray *head = csv_split(recs[0]);
    g_assert_cmpstr(g_ptr_array_index(head, 1), ==, "mac");
    for (int i = 1; i < 3; i++) {
        GPtrArray *r = csv_split(recs[i]);
        g_assert_nonnull(r);
        g_assert_cmpuint(r->len, ==, head->len);
        if (i == 1) {
            g_assert_cmpstr(g_ptr_array_index(r, 2), ==, "ok");
            g_assert_cmpstr(g_ptr_array_index(r, 12), ==, "PXE-E53");
            g_assert_cmpstr(g_ptr_array_index(r, 14), ==, "probe-miss");
            g_assert_cmpstr(g_ptr_array_index(r, 9), ==, "we\"ird,na\\me\x1b[31m.efi");
        }
        g_ptr_array_free(r, TRUE);
    }
    g_ptr_array_free(head, TRUE);
    g_strfreev(recs);
    g_free(text);
    feeder_free(&f);
}

/* --follow: a client is printed ("update") when decided, again when a later
 * attempt is decided, and at the end every client once more ("final"). */
static void test_follow(void)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *out = open_memstream(&buf, &len);
    report_output_opts_t o = {.format = REPORT_FMT_JSONL, .follow = true};
    report_output_t *ro = report_output_new(out, &o);
    feeder_t f;
    feeder_init(&f, NULL);
    ROWX0(&f, MAC1, 1, PXE_STAGE_DISCOVER, 1);
    report_output_update(ro, f.last);
    ROWX0(&f, MAC2, 2, PXE_STAGE_DISCOVER, 1);
    report_output_update(ro, f.last);
    fflush(out);
    g_assert_cmpuint(len, ==, 0);
    ROWX(&f, MAC1, 3, PXE_STAGE_ACK, 1, "pxe.diag", "PXE-E53", "pxe.diag.severity", "error",
         "pxe.diag.summary", "PXE-E53: x", "pxe.diag.frames", "3", "pxe.diag.client", MAC1,
         "pxe.diag.attempt", "1", "pxe.outcome", "failed", "pxe.outcome.client", MAC1,
         "pxe.outcome.attempt", "1", "pxe.outcome.code", "PXE-E53", "pxe.outcome.reason", "x");
    report_output_update(ro, f.last);
    fflush(out);
    g_assert_nonnull(strstr(buf, "\"outcome\":\"failed\""));
    size_t first = len;
    /* nothing new decided: nothing printed */
    ROWX0(&f, MAC1, 4, PXE_STAGE_ACK, 1);
    report_output_update(ro, f.last);
    fflush(out);
    g_assert_cmpuint(len, ==, first);
    g_assert_nonnull(strstr(buf, "\"event\":\"update\""));
    g_assert_null(strstr(buf, "\"event\":\"final\""));
    report_output_finish(ro, report_model_clients(f.model));
    fflush(out);
    /* the end: one "final" line per client, MAC1 (printed, unchanged) too */
    char **lines = g_strsplit(buf + first, "\n", -1);
    g_assert_cmpuint(g_strv_length(lines), ==, 3);
    for (int i = 0; i < 2; i++) {
        g_assert_nonnull(strstr(lines[i], "\"event\":\"final\""));
        g_assert_nonnull(strstr(lines[i], i ? MAC2 : MAC1));
    }
    g_strfreev(lines);
    report_output_free(ro);
    fclose(out);
    free(buf);
    feeder_free(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/output/text", test_text);
    g_test_add_func("/output/json", test_json);
    g_test_add_func("/output/json-no-clients", test_json_no_clients);
    g_test_add_func("/output/jsonl", test_jsonl);
    g_test_add_func("/output/csv", test_csv);
    g_test_add_func("/output/follow", test_follow);
    return g_test_run();
}
