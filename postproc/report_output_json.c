/* report_output_json.c - the JSON and JSON-lines formats, built with
 * json-glib so every string is escaped right.
 *
 * A client object carries its verdict (outcome, stage, timings of the last
 * attempt), what is known about the machine, the diagnoses and files of all
 * its attempts (each tagged with its attempt), the servers involved, and
 * "attempts" with the same details per attempt.  Times come twice, as
 * epoch seconds ("ts") and ISO 8601 UTC ("ts_iso"); DHCP facts and a
 * stable "uid" per attempt let the report be joined with other logs
 * (Zeek's dhcp.log names where it has one).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_output.h"

#include <inttypes.h>

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

/* "<name>_ts" / "<name>_iso" ("ts" / "ts_iso" for the NULL name): epoch
 * seconds and ISO 8601 UTC, both null when unknown. */
static void add_time(JsonBuilder *b, const char *name, bool has, double t)
{
    char *ts = name ? g_strconcat(name, "_ts", NULL) : g_strdup("ts");
    char *iso = g_strconcat(name ? name : "ts", "_iso", NULL);
    char buf[REPORT_ISO_SIZE];
    add_seconds(b, ts, has, t);
    add_string(b, iso, has ? report_iso_time(t, buf) : NULL);
    g_free(ts);
    g_free(iso);
}

static void add_uint_or_null(JsonBuilder *b, const char *member, bool has, uint32_t v)
{
    json_builder_set_member_name(b, member);
    if (has)
        json_builder_add_int_value(b, v);
    else
        json_builder_add_null_value(b);
}

/* "0x1a2b3c4d", as tshark prints dhcp.id. */
static void add_xid(JsonBuilder *b, const report_attempt_t *a)
{
    char xid[11];
    if (a->has_xid)
        g_snprintf(xid, sizeof xid, "0x%08" PRIx32, a->xid);
    add_string(b, "xid", a->has_xid ? xid : NULL);
}

/* What the attempt's DHCP said, Zeek's dhcp.log names where it has one. */
static void add_dhcp_facts(JsonBuilder *b, const report_attempt_t *a)
{
    add_xid(b, a);
    add_string(b, "host_name", a->host_name);
    add_string(b, "client_fqdn", a->client_fqdn);
    add_string(b, "vendor_class", a->vendor_class);
    add_string(b, "user_class", a->user_class);
    add_string(b, "uuid", a->uuid);
    add_string(b, "relay", a->relay);
    add_string(b, "requested_addr", a->requested_addr);
    add_string(b, "assigned_addr", a->assigned_addr);
    add_uint_or_null(b, "lease_time", a->has_lease_time, a->lease_time);
}

static void add_uid(JsonBuilder *b, const report_client_t *c, const report_attempt_t *a)
{
    char uid[REPORT_UID_SIZE];
    report_attempt_uid(c, a, uid);
    add_string(b, "uid", uid);
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
    add_string(b, "protocol", report_proto_name(f->proto));
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
    add_time(b, NULL, f->first_frame != 0, f->first_time);
    add_time(b, "last", f->last_frame != 0, f->last_time);
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
    add_seconds(b, "ack_to_bootserver", t.has_menu, t.menu);
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
    add_uid(b, c, a);
    add_string(b, "outcome", report_outcome_name(report_attempt_outcome(a)));
    add_string(b, "reason", a->outcome_reason);
    if (a->outcome_frame)
        add_int(b, "decided_frame", a->outcome_frame);
    add_time(b, "decided", a->outcome_frame != 0, a->outcome_time);
    add_string(b, "stage", pxe_stage_name(report_attempt_stage(a)));
    add_int(b, "phases", a->phases);
    add_int(b, "first_frame", a->first_frame);
    add_int(b, "last_frame", a->last_frame);
    add_time(b, NULL, true, a->first_time);
    add_time(b, "last", true, a->last_time);
    add_dhcp_facts(b, a);
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

/* The attempt whose outcome is the client's verdict: the last one, or,
 * when an incomplete last attempt does not hide an earlier failure, the
 * latest failed one; NULL while undecided. */
static const report_attempt_t *deciding_attempt(const report_client_t *c)
{
    report_outcome_t o = report_client_outcome(c);
    if (o == REPORT_INCOMPLETE)
        return NULL;
    for (guint i = c->attempts->len; i > 0; i--) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i - 1);
        if (report_attempt_outcome(a) == o)
            return a;
    }
    return NULL;
}

/* The client's DHCP facts: each as its latest attempt that has it says
 * (the xid: the last attempt's, its uid's). */
static void add_client_dhcp_facts(JsonBuilder *b, const report_client_t *c,
                                  const report_attempt_t *last)
{
    const char *host = NULL, *fqdn = NULL, *vc = NULL, *uc = NULL, *uuid = NULL, *relay = NULL;
    const char *req = NULL, *assigned = NULL;
    const report_attempt_t *lease = NULL;
    for (guint i = c->attempts->len; i > 0; i--) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i - 1);
        host = host ? host : a->host_name;
        fqdn = fqdn ? fqdn : a->client_fqdn;
        vc = vc ? vc : a->vendor_class;
        uc = uc ? uc : a->user_class;
        uuid = uuid ? uuid : a->uuid;
        relay = relay ? relay : a->relay;
        req = req ? req : a->requested_addr;
        assigned = assigned ? assigned : a->assigned_addr;
        lease = lease ? lease : (a->has_lease_time ? a : NULL);
    }
    add_xid(b, last);
    add_string(b, "host_name", host);
    add_string(b, "client_fqdn", fqdn);
    add_string(b, "vendor_class", vc);
    add_string(b, "user_class", uc);
    add_string(b, "uuid", uuid);
    add_string(b, "relay", relay);
    add_string(b, "requested_addr", req);
    add_string(b, "assigned_addr", assigned);
    add_uint_or_null(b, "lease_time", lease != NULL, lease ? lease->lease_time : 0);
}

static JsonNode *client_node(const report_client_t *c, const char *event)
{
    JsonBuilder *b = json_builder_new();
    const report_attempt_t *last = report_client_last(c);
    double first_time = last->first_time;
    for (guint i = 0; i < c->attempts->len; i++) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i);
        first_time = MIN(first_time, a->first_time);
    }
    const report_attempt_t *decided = deciding_attempt(c);
    const char *fw = NULL, *addr = NULL, *bootfile = NULL;
    const report_attempt_t *arch = NULL;
    report_client_known(c, &fw, &addr, &arch, &bootfile);

    json_builder_begin_object(b);
    if (event)
        add_string(b, "event", event);
    add_string(b, "mac", c->mac_str);
    add_string(b, "capture", c->capture_name);
    add_uid(b, c, last);
    add_time(b, NULL, true, first_time);
    add_time(b, "last", true, last->last_time);
    add_string(b, "outcome", report_outcome_name(report_client_outcome(c)));
    add_time(b, "decided", decided && decided->outcome_frame, decided ? decided->outcome_time : 0);
    add_string(b, "stage", pxe_stage_name(report_attempt_stage(last)));
    add_int(b, "attempt", last->number);
    add_machine(b, fw, arch, addr);
    add_client_dhcp_facts(b, c, last);
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

JsonNode *report_json_client(const report_client_t *c)
{
    return client_node(c, NULL);
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

void report_json_line(FILE *out, const report_client_t *c, const char *event)
{
    JsonNode *root = client_node(c, event);
    write_node(out, root, false);
    json_node_unref(root);
}
