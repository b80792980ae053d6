/* report_output_csv.c - one row per client, RFC 4180: CRLF line ends, a
 * field quoted (quotes doubled) when it holds a comma, quote, CR or LF.
 * Lists inside a field are space separated.  Verdict columns describe the
 * last attempt; the code columns list every attempt's codes.  Columns
 * added later come after the first ones, so that readers of the earlier
 * columns by position keep working: those for joins with other logs
 * (uid .. lease_time), then nbp_protocol; they describe the last attempt
 * too.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_output.h"

#include <inttypes.h>
#include <string.h>

#include "pxe_firmware.h"
#include "pxe_stage.h"
#include "report_util.h"
#include "report_verdict.h"

static const char *const columns[] = {
    "capture", "mac", "outcome", "stage", "attempt", "firmware", "arch", "arch_code", "address",
    "bootfile", "dhcp_servers", "tftp_servers", "errors", "warnings", "notes", "nbp", "nbp_bytes",
    "nbp_complete", "discover_to_offer", "ack_to_rrq", "nbp_transfer", "total",
    "uid", "ts", "ts_iso", "decided_ts", "decided_iso", "xid", "host_name", "client_fqdn",
    "vendor_class", "user_class", "uuid", "relay", "requested_addr", "assigned_addr", "lease_time",
    "nbp_protocol", "ack_to_bootserver",
};

void report_csv_field(GString *line, const char *value)
{
    if (!value)
        value = "";
    char *clean = g_utf8_make_valid(value, -1);
    if (strpbrk(clean, ",\"\r\n")) {
        g_string_append_c(line, '"');
        for (const char *p = clean; *p; p++) {
            if (*p == '"')
                g_string_append_c(line, '"');
            g_string_append_c(line, *p);
        }
        g_string_append_c(line, '"');
    } else {
        g_string_append(line, clean);
    }
    g_free(clean);
}

static void end_line(FILE *out, GString *line)
{
    g_string_append(line, "\r\n");
    fwrite(line->str, 1, line->len, out);
}

void report_csv_header(FILE *out)
{
    GString *line = g_string_new(NULL);
    for (unsigned i = 0; i < G_N_ELEMENTS(columns); i++) {
        if (i)
            g_string_append_c(line, ',');
        report_csv_field(line, columns[i]);
    }
    end_line(out, line);
    g_string_free(line, TRUE);
}

/* Distinct codes of one severity over all attempts, space separated. */
static char *codes(const report_client_t *c, pxe_severity_t sev)
{
    GString *s = g_string_new(NULL);
    bool seen[PXE_CODE_COUNT] = {false};
    for (guint i = 0; i < c->attempts->len; i++) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i);
        for (guint d = 0; d < a->diags->len; d++) {
            const report_diag_t *dg = g_ptr_array_index(a->diags, d);
            if (dg->severity != sev || seen[dg->code])
                continue;
            seen[dg->code] = true;
            g_string_append_printf(s, "%s%s", s->len ? " " : "", pxe_code_info(dg->code)->code);
        }
    }
    return g_string_free(s, FALSE);
}

static char *servers(const report_client_t *c, bool tftp)
{
    GString *s = g_string_new(NULL);
    GHashTable *seen = g_hash_table_new(g_str_hash, g_str_equal);
    for (guint i = 0; i < c->attempts->len; i++) {
        const report_attempt_t *a = g_ptr_array_index(c->attempts, i);
        const GPtrArray *list = tftp ? a->tftp_servers : a->dhcp_servers;
        for (guint k = 0; k < list->len; k++)
            if (g_hash_table_add(seen, g_ptr_array_index(list, k)))
                g_string_append_printf(s, "%s%s", s->len ? " " : "",
                                       (const char *)g_ptr_array_index(list, k));
    }
    g_hash_table_destroy(seen);
    return g_string_free(s, FALSE);
}

static char *seconds(bool has, double v)
{
    if (!has)
        return g_strdup("");
    char buf[G_ASCII_DTOSTR_BUF_SIZE];
    return g_strdup(g_ascii_formatd(buf, sizeof buf, "%.6f", v));
}

static char *or_empty(const char *s)
{
    return g_strdup(s ? s : "");
}

/* uid .. lease_time of one attempt into v[]; returns the count. */
static unsigned join_columns(const report_client_t *c, const report_attempt_t *a, char **v)
{
    unsigned n = 0;
    char uid[REPORT_UID_SIZE], iso[REPORT_ISO_SIZE];
    report_attempt_uid(c, a, uid);
    v[n++] = g_strdup(uid);
    v[n++] = seconds(true, a->first_time);
    v[n++] = g_strdup(report_iso_time(a->first_time, iso));
    v[n++] = seconds(a->outcome_frame != 0, a->outcome_time);
    v[n++] = g_strdup(a->outcome_frame ? report_iso_time(a->outcome_time, iso) : "");
    v[n++] = a->has_xid ? g_strdup_printf("0x%08" PRIx32, a->xid) : g_strdup("");
    v[n++] = or_empty(a->host_name);
    v[n++] = or_empty(a->client_fqdn);
    v[n++] = or_empty(a->vendor_class);
    v[n++] = or_empty(a->user_class);
    v[n++] = or_empty(a->uuid);
    v[n++] = or_empty(a->relay);
    v[n++] = or_empty(a->requested_addr);
    v[n++] = or_empty(a->assigned_addr);
    v[n++] = a->has_lease_time ? g_strdup_printf("%" PRIu32, a->lease_time) : g_strdup("");
    return n;
}

void report_csv_row(FILE *out, const report_client_t *c)
{
    const report_attempt_t *last = report_client_last(c);
    const char *fw = NULL, *addr = NULL, *bootfile = NULL;
    const report_attempt_t *arch = NULL;
    report_client_known(c, &fw, &addr, &arch, &bootfile);
    report_timings_t t;
    report_attempt_timings(last, &t);
    const report_file_t *nbp = report_attempt_nbp(last);
    const char *an = arch ? pxe_arch_name(arch->arch) : NULL;

    char *v[G_N_ELEMENTS(columns)];
    unsigned n = 0;
    v[n++] = g_strdup(c->capture_name ? c->capture_name : "");
    v[n++] = g_strdup(c->mac_str);
    v[n++] = g_strdup(report_outcome_name(report_client_outcome(c)));
    v[n++] = g_strdup(pxe_stage_name(report_attempt_stage(last)));
    v[n++] = g_strdup_printf("%" PRIu32, last->number);
    v[n++] = g_strdup(fw ? fw : "");
    v[n++] = g_strdup(arch ? (an ? an : "unknown") : "");
    v[n++] = arch ? g_strdup_printf("%u", arch->arch) : g_strdup("");
    v[n++] = g_strdup(addr ? addr : "");
    v[n++] = g_strdup(bootfile ? bootfile : "");
    v[n++] = servers(c, false);
    v[n++] = servers(c, true);
    v[n++] = codes(c, PXE_SEV_ERROR);
    v[n++] = codes(c, PXE_SEV_WARNING);
    v[n++] = codes(c, PXE_SEV_NOTE);
    v[n++] = g_strdup(nbp ? nbp->name : "");
    v[n++] = nbp ? g_strdup_printf("%" PRIu64, nbp->bytes) : g_strdup("");
    v[n++] = g_strdup(nbp ? (nbp->complete ? "true" : "false") : "");
    v[n++] = seconds(t.has_discover_offer, t.discover_offer);
    v[n++] = seconds(t.has_ack_rrq, t.ack_rrq);
    v[n++] = seconds(t.has_nbp, t.nbp);
    v[n++] = seconds(true, t.total);
    n += join_columns(c, last, v + n);
    v[n++] = g_strdup(nbp ? report_proto_name(nbp->proto) : "");
    v[n++] = seconds(t.has_menu, t.menu);
    g_assert(n == G_N_ELEMENTS(columns));

    GString *line = g_string_new(NULL);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            g_string_append_c(line, ',');
        report_csv_field(line, v[i]);
        g_free(v[i]);
    }
    end_line(out, line);
    g_string_free(line, TRUE);
}
