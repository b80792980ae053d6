/* report_output_json.c - the JSON and JSON-lines formats, built with
 * json-glib so every string is escaped right.
 *
 * A client object carries its verdict (outcome, stage, timings of the last
 * attempt), what is known about the machine, the diagnoses and files of all
 * its attempts (each tagged with its attempt), the servers involved, and
 * "attempts" with the same details per attempt.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_output.h"

#include "pxe_firmware.h"
#include "pxe_stage.h"
#include "report_util.h"
#include "report_verdict.h"

/* Strings from packets may be anything; JSON wants UTF-8. */
static void add_string(JsonBuilder *b, const char *member, const char *value)
{
    json_builder_set_member_name(b, member);
    if (!value) {
        json_builder_add_null_value(b);
        return;
    }
    char *clean = g_utf8_make_valid(value, -1);
    json_builder_add_string_value(b, clean);
    g_free(clean);
}

static void add_int(JsonBuilder *b, const char *member, int64_t value)
{
    json_builder_set_member_name(b, member);
    json_builder_add_int_value(b, value);
}

static void add_seconds(JsonBuilder *b, const char *member, bool has, double value)
{
    json_builder_set_member_name(b, member);
    if (has)
        json_builder_add_double_value(b, report_round_us(value));
    else
        json_builder_add_null_value(b);
}

static void add_frames(JsonBuilder *b, const GArray *frames)
{
    json_builder_set_member_name(b, "frames");
    json_builder_begin_array(b);
    for (guint i = 0; i < frames->len; i++)
        json_builder_add_int_value(b, g_array_index(frames, uint32_t, i));
    json_builder_end_array(b);
}

static void add_diag(JsonBuilder *b, const report_attempt_t *a, const report_diag_t *d)
{
    json_builder_begin_object(b);
    if (a)
        add_int(b, "attempt", a->number);
    add_string(b, "code", pxe_code_info(d->code)->code);
    add_string(b, "severity", pxe_severity_name(d->severity));
    add_string(b, "summary", d->summary);
    add_frames(b, d->frames);
    add_int(b, "count", d->count);
    json_builder_end_object(b);
}

static void add_file(JsonBuilder *b, const report_attempt_t *a, const report_file_t *f)
{
    json_builder_begin_object(b);
    if (a)
        add_int(b, "attempt", a->number);
    add_string(b, "name", f->name);
    json_builder_set_member_name(b, "bytes");
    json_builder_add_int_value(b, (gint64)f->bytes);
    json_builder_set_member_name(b, "tsize");
    if (f->has_tsize)
        json_builder_add_int_value(b, (gint64)f->tsize);
    else
        json_builder_add_null_value(b);
    json_builder_set_member_name(b, "complete");
    json_builder_add_boolean_value(b, f->complete);
    add_string(b, "status", report_xfer_status_name(f->status));
    add_seconds(b, "duration", true, f->duration);
    json_builder_set_member_name(b, "nbp");
    json_builder_add_boolean_value(b, f->nbp);
    add_int(b, "phase", f->phase);
    add_int(b, "first_frame", f->first_frame);
    add_int(b, "last_frame", f->last_frame);
    json_builder_end_object(b);
}

/* Size probes are the client asking a file's size, not a file it fetched. */
static bool listed(const report_file_t *f)
{
    return f->status != REPORT_XFER_SIZE_PROBE;
}

static void add_timings(JsonBuilder *b, const report_attempt_t *a)
{
    report_timings_t t;
    report_attempt_timings(a, &t);
    json_builder_set_member_name(b, "timings");
    json_builder_begin_object(b);
    add_seconds(b, "discover_to_offer", t.has_discover_offer, t.discover_offer);
    add_seconds(b, "ack_to_rrq", t.has_ack_rrq, t.ack_rrq);
    add_seconds(b, "nbp_transfer", t.has_nbp, t.nbp);
    add_seconds(b, "total", true, t.total);
    json_builder_end_object(b);
}

static void add_list(JsonBuilder *b, const char *member, GPtrArray *const *lists, guint n)
{
    json_builder_set_member_name(b, member);
    json_builder_begin_array(b);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint l = 0; l < n; l++)
        for (guint i = 0; i < lists[l]->len; i++)
            if (g_hash_table_add(seen, g_ptr_array_index(lists[l], i)))
                json_builder_add_string_value(b, g_ptr_array_index(lists[l], i));
    g_hash_table_destroy(seen);
    json_builder_end_array(b);
}

/* servers of all the given attempts, each listed once */
static void add_servers(JsonBuilder *b, const report_client_t *c, const report_attempt_t *only)
{
    guint n = only ? 1 : c->attempts->len;
    GPtrArray **dhcp = g_new(GPtrArray *, n), **tftp = g_new(GPtrArray *, n);
    for (guint i = 0; i < n; i++) {
        const report_attempt_t *a = only ? only : g_ptr_array_index(c->attempts, i);
        dhcp[i] = a->dhcp_servers;
        tftp[i] = a->tftp_servers;
    }
    json_builder_set_member_name(b, "servers");
    json_builder_begin_object(b);
    add_list(b, "dhcp", dhcp, n);
    add_list(b, "tftp", tftp, n);
    json_builder_end_object(b);
    g_free(dhcp);
    g_free(tftp);
}

static void add_machine(JsonBuilder *b, const char *firmware, const report_attempt_t *arch,
                        const char *address)
{
    add_string(b, "firmware", firmware);
    const char *an = arch ? pxe_arch_name(arch->arch) : NULL;
    add_string(b, "arch", arch ? (an ? an : "unknown") : NULL);
    json_builder_set_member_name(b, "arch_code");
    if (arch)
        json_builder_add_int_value(b, arch->arch);
    else
        json_builder_add_null_value(b);
    add_string(b, "address", address);
}

static void add_attempt(JsonBuilder *b, const report_attempt_t *a, const report_client_t *c)
{
    json_builder_begin_object(b);
    add_int(b, "attempt", a->number);
    add_string(b, "outcome", report_outcome_name(report_attempt_outcome(a)));
    add_string(b, "reason", a->outcome_reason);
    if (a->outcome_frame)
        add_int(b, "decided_frame", a->outcome_frame);
    add_string(b, "stage", pxe_stage_name(report_attempt_stage(a)));
    add_int(b, "phases", a->phases);
    add_int(b, "first_frame", a->first_frame);
    add_int(b, "last_frame", a->last_frame);
    add_machine(b, a->firmware, a->has_arch ? a : NULL,
                a->address ? a->address : a->offered_address);
    add_string(b, "bootfile", a->bootfile);
    add_timings(b, a);
    add_servers(b, c, a);
    json_builder_set_member_name(b, "diagnoses");
    json_builder_begin_array(b);
    for (guint i = 0; i < a->diags->len; i++)
        add_diag(b, NULL, g_ptr_array_index(a->diags, i));
    json_builder_end_array(b);
    json_builder_set_member_name(b, "files");
    json_builder_begin_array(b);
    unsigned probes = 0;
    for (guint i = 0; i < a->files->len; i++) {
        const report_file_t *f = g_ptr_array_index(a->files, i);
        if (listed(f))
            add_file(b, NULL, f);
        else
            probes++;
    }
    json_builder_end_array(b);
    add_int(b, "size_probes", probes);
    json_builder_end_object(b);
}

JsonNode *report_json_client(const report_client_t *c)
{
    JsonBuilder *b = json_builder_new();
    const report_attempt_t *last = report_client_last(c);
    const char *fw = NULL, *addr = NULL, *bootfile = NULL;
    const report_attempt_t *arch = NULL;
    report_client_known(c, &fw, &addr, &arch, &bootfile);

    json_builder_begin_object(b);
    add_string(b, "mac", c->mac_str);
    add_string(b, "capture", c->capture_name);
    add_string(b, "outcome", report_outcome_name(report_client_outcome(c)));
    add_string(b, "stage", pxe_stage_name(report_attempt_stage(last)));
    add_int(b, "attempt", last->number);
    add_machine(b, fw, arch, addr);
    add_string(b, "bootfile", bootfile);
    add_timings(b, last);
    add_servers(b, c, NULL);
    json_builder_set_member_name(b, "diagnoses");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->attempts->len; i++) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i);
        for (guint d = 0; d < a->diags->len; d++)
            add_diag(b, a, g_ptr_array_index(a->diags, d));
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "files");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->attempts->len; i++) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i);
        for (guint f = 0; f < a->files->len; f++)
            if (listed(g_ptr_array_index(a->files, f)))
                add_file(b, a, g_ptr_array_index(a->files, f));
    }
    json_builder_end_array(b);
    json_builder_set_member_name(b, "attempts");
    json_builder_begin_array(b);
    for (guint i = 0; i < c->attempts->len; i++)
        add_attempt(b, g_ptr_array_index(c->attempts, i), c);
    json_builder_end_array(b);
    json_builder_end_object(b);

    JsonNode *root = json_builder_get_root(b);
    g_object_unref(b);
    return root;
}

static void write_node(FILE *out, JsonNode *root, bool pretty)
{
    JsonGenerator *g = json_generator_new();
    json_generator_set_pretty(g, pretty);
    json_generator_set_indent(g, 2);
    json_generator_set_root(g, root);
    gsize len = 0;
    char *text = json_generator_to_data(g, &len);
    fwrite(text, 1, len, out);
    fputc('\n', out);
    g_free(text);
    g_object_unref(g);
}

/* The node as pretty text, its lines indented by `indent` (the first one
 * only when indent_first). */
static void write_indented(FILE *out, JsonNode *node, const char *indent, bool indent_first)
{
    JsonGenerator *g = json_generator_new();
    json_generator_set_pretty(g, TRUE);
    json_generator_set_indent(g, 2);
    json_generator_set_root(g, node);
    char *text = json_generator_to_data(g, NULL);
    if (indent_first)
        fputs(indent, out);
    for (const char *p = text; *p; p++) {
        fputc(*p, out);
        if (*p == '\n' && p[1])
            fputs(indent, out);
    }
    g_free(text);
    g_object_unref(g);
}

/* One document, written client by client: memory stays that of one client's
 * JSON, whatever the number of clients. */
void report_json_document(FILE *out, const GPtrArray *clients, const report_summary_t *s)
{
    fputs("{\n  \"clients\" : [", out);
    for (guint i = 0; i < clients->len; i++) {
        JsonNode *node = report_json_client(g_ptr_array_index(clients, i));
        fputs(i ? ",\n" : "\n", out);
        write_indented(out, node, "    ", true);
        json_node_unref(node);
    }
    fputs(clients->len ? "\n  ],\n" : "],\n", out);
    JsonBuilder *b = json_builder_new();
    json_builder_begin_object(b);
    add_int(b, "clients", s->clients);
    add_int(b, "ok", s->ok);
    add_int(b, "failed", s->failed);
    add_int(b, "incomplete", s->incomplete);
    /* never silently: what the plugin did not follow, what was not kept */
    add_int(b, "untracked_frames", (gint64)s->limits.untracked_frames);
    add_int(b, "files_not_kept", (gint64)s->limits.files_dropped);
    add_int(b, "diagnoses_not_kept", (gint64)s->limits.diags_dropped);
    json_builder_end_object(b);
    JsonNode *summary = json_builder_get_root(b);
    fputs("  \"summary\" : ", out);
    write_indented(out, summary, "  ", false);
    fputs("\n}\n", out);
    json_node_unref(summary);
    g_object_unref(b);
}

void report_json_line(FILE *out, const report_client_t *c)
{
    JsonNode *root = report_json_client(c);
    write_node(out, root, false);
    json_node_unref(root);
}
