/* report_input.c - parsing tshark's -T fields lines into report_row_t.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_input.h"

#include <stdarg.h>
#include <string.h>

#include <glib.h>

#include "pxe_stage.h"
#include "report_util.h"

static const char *const col_names[REPORT_NCOLS] = {
    [REPORT_COL_FRAME] = "frame.number",
    [REPORT_COL_TIME] = "frame.time_epoch",
    [REPORT_COL_STAGE] = "pxe.stage",
    [REPORT_COL_CLIENT] = "pxe.client",
    [REPORT_COL_CLIENT_IP] = "pxe.client_ip",
    [REPORT_COL_ARCH] = "pxe.arch",
    [REPORT_COL_FIRMWARE] = "pxe.firmware",
    [REPORT_COL_ATTEMPT] = "pxe.attempt",
    [REPORT_COL_PHASE] = "pxe.phase",
    [REPORT_COL_BOOTFILE] = "pxe.bootfile",
    [REPORT_COL_TFTP_SERVER] = "pxe.tftp_server",
    [REPORT_COL_DHCP_SERVER] = "pxe.dhcp_server",
    [REPORT_COL_TFTP_FILE] = "pxe.tftp.file",
    [REPORT_COL_TFTP_NBP] = "pxe.tftp.nbp",
    [REPORT_COL_TFTP_STATUS] = "pxe.tftp.status",
    [REPORT_COL_TFTP_COMPLETE] = "pxe.tftp.complete",
    [REPORT_COL_TFTP_BYTES] = "pxe.tftp.bytes",
    [REPORT_COL_TFTP_TSIZE] = "pxe.tftp.tsize",
    [REPORT_COL_TFTP_DURATION] = "pxe.tftp.duration",
    [REPORT_COL_DIAG] = "pxe.diag",
    [REPORT_COL_DIAG_SEVERITY] = "pxe.diag.severity",
    [REPORT_COL_DIAG_SUMMARY] = "pxe.diag.summary",
    [REPORT_COL_DIAG_FRAMES] = "pxe.diag.frames",
    [REPORT_COL_DIAG_CLIENT] = "pxe.diag.client",
    [REPORT_COL_DIAG_ATTEMPT] = "pxe.diag.attempt",
    [REPORT_COL_TFTP_REQUEST_IN] = "pxe.tftp.request_in",
    [REPORT_COL_OUTCOME] = "pxe.outcome",
    [REPORT_COL_OUTCOME_CLIENT] = "pxe.outcome.client",
    [REPORT_COL_OUTCOME_ATTEMPT] = "pxe.outcome.attempt",
    [REPORT_COL_OUTCOME_CODE] = "pxe.outcome.code",
    [REPORT_COL_OUTCOME_REASON] = "pxe.outcome.reason",
    [REPORT_COL_UNTRACKED] = "pxe.untracked",
    [REPORT_COL_DHCP_XID] = "pxe.dhcp.xid",
    [REPORT_COL_DHCP_HOST_NAME] = "pxe.dhcp.host_name",
    [REPORT_COL_DHCP_CLIENT_FQDN] = "pxe.dhcp.client_fqdn",
    [REPORT_COL_DHCP_VENDOR_CLASS] = "pxe.dhcp.vendor_class",
    [REPORT_COL_DHCP_USER_CLASS] = "pxe.dhcp.user_class",
    [REPORT_COL_DHCP_UUID] = "pxe.dhcp.uuid",
    [REPORT_COL_DHCP_REQUESTED_ADDR] = "pxe.dhcp.requested_addr",
    [REPORT_COL_DHCP_ASSIGNED_ADDR] = "pxe.dhcp.assigned_addr",
    [REPORT_COL_DHCP_LEASE_TIME] = "pxe.dhcp.lease_time",
    [REPORT_COL_DHCP_RELAY] = "pxe.dhcp.relay",
    [REPORT_COL_CLIENT_IP6] = "pxe.client_ip6",
    [REPORT_COL_TFTP_SERVER6] = "pxe.tftp_server6",
    [REPORT_COL_DHCP_SERVER6] = "pxe.dhcp_server6",
    [REPORT_COL_DHCP_ASSIGNED_ADDR6] = "pxe.dhcp.assigned_addr6",
    [REPORT_COL_DHCP_RELAY6] = "pxe.dhcp.relay6",
};

/* Columns older plugins and older pxe-report command lines lack: their
 * output still reads, without what these columns add. */
static bool col_optional(report_col_t c)
{
    return c >= REPORT_COL_UNTRACKED;
}


const char *report_column_name(report_col_t col)
{
    return (unsigned)col < REPORT_NCOLS ? col_names[col] : NULL;
}

struct report_parser {
    bool have_header;
    unsigned n_fields;               /* columns in the header */
    int pos[REPORT_NCOLS];           /* header position of each column */
    GString *line;                   /* the current row, cut in place */
    char **fields;                   /* the columns: char* into line */
    guint n_cols, cap_cols;
    GArray *diags;                   /* report_row_diag_t */
    GArray *frames;                  /* uint32_t, all diagnoses of the row */
    GArray *frame_start;             /* per diagnosis: index into frames */
    GArray *verdicts;                /* report_row_verdict_t */
};

report_parser_t *report_parser_new(void)
{
    report_parser_t *p = g_new0(report_parser_t, 1);
    p->line = g_string_sized_new(1024);
    p->cap_cols = 64;
    p->fields = g_new(char *, p->cap_cols);
    p->diags = g_array_new(FALSE, TRUE, sizeof(report_row_diag_t));
    p->frames = g_array_new(FALSE, FALSE, sizeof(uint32_t));
    p->frame_start = g_array_new(FALSE, FALSE, sizeof(guint));
    p->verdicts = g_array_new(FALSE, TRUE, sizeof(report_row_verdict_t));
    return p;
}

void report_parser_free(report_parser_t *p)
{
    if (!p)
        return;
    g_string_free(p->line, TRUE);
    g_free(p->fields);
    g_array_free(p->diags, TRUE);
    g_array_free(p->frames, TRUE);
    g_array_free(p->frame_start, TRUE);
    g_array_free(p->verdicts, TRUE);
    g_free(p);
}

void report_parser_reset(report_parser_t *p)
{
    p->have_header = false;
}

bool report_parser_has_header(const report_parser_t *p)
{
    return p->have_header;
}

/* A value quoted in a message: short and printable, whatever the input held. */
static char *quote(const char *s)
{
    char buf[44];
    size_t n = strlen(s);
    if (n > 40) {
        memcpy(buf, s, 37);
        memcpy(buf + 37, "...", 4);
    } else {
        memcpy(buf, s, n + 1);
    }
    return report_clean_string(buf);
}

static char *fail(const char *fmt, ...) G_GNUC_PRINTF(1, 2);
static char *fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    return s;
}

/* "'value'" for a message, freed by the caller. */
static char *bad_value(const char *col, const char *value, const char *what)
{
    char *q = quote(value);
    char *m = fail("%s '%s' is not %s", col, q, what);
    g_free(q);
    return m;
}

static void add_col(report_parser_t *p, char *start)
{
    if (p->n_cols == p->cap_cols) {
        p->cap_cols *= 2;
        p->fields = g_renew(char *, p->fields, p->cap_cols);
    }
    p->fields[p->n_cols++] = start;
}

static void split(report_parser_t *p, char sep)
{
    char *s = p->line->str;
    p->n_cols = 0;
    add_col(p, s);
    for (char *c = s; *c; c++) {
        if (*c != sep)
            continue;
        *c = '\0';
        add_col(p, c + 1);
    }
}

static report_parse_result_t parse_header(report_parser_t *p, char **error)
{
    for (int i = 0; i < REPORT_NCOLS; i++)
        p->pos[i] = -1;
    for (guint f = 0; f < p->n_cols; f++) {
        const char *name = p->fields[f];
        for (int i = 0; i < REPORT_NCOLS; i++) {
            if (strcmp(name, col_names[i]) != 0)
                continue;
            if (p->pos[i] >= 0) {
                *error = fail("header names column %s twice", col_names[i]);
                return REPORT_PARSE_FATAL;
            }
            p->pos[i] = (int)f;
        }
    }
    GString *missing = g_string_new(NULL);
    int found = 0;
    for (int i = 0; i < REPORT_NCOLS; i++) {
        if (p->pos[i] >= 0)
            found++;
        else if (!col_optional((report_col_t)i))
            g_string_append_printf(missing, " %s", col_names[i]);
    }
    const char *first = p->fields[0];
    uint64_t dummy;
    if (!found && report_parse_uint(first, UINT32_MAX, &dummy)) {
        *error = fail("this looks like data, not a header line: the first line must name the "
                      "columns (tshark -E header=y, see pxe-report --print-tshark-command)");
        g_string_free(missing, TRUE);
        return REPORT_PARSE_FATAL;
    }
    if (!found) {
        char *q = quote(first);
        *error = fail("'%s' is not a header line of tshark fields output: run tshark as "
                      "pxe-report --print-tshark-command shows (with -E header=y)", q);
        g_free(q);
        g_string_free(missing, TRUE);
        return REPORT_PARSE_FATAL;
    }
    if (missing->len) {
        *error = fail("header lacks required column(s):%s - run tshark as pxe-report "
                      "--print-tshark-command shows", missing->str);
        g_string_free(missing, TRUE);
        return REPORT_PARSE_FATAL;
    }
    g_string_free(missing, TRUE);
    p->n_fields = p->n_cols;
    p->have_header = true;
    return REPORT_PARSE_HEADER;
}

static const char *col(const report_parser_t *p, report_col_t c)
{
    return p->pos[c] >= 0 ? p->fields[p->pos[c]] : "";
}

/* NULL for an empty column. */
static const char *opt(const report_parser_t *p, report_col_t c)
{
    const char *v = col(p, c);
    return *v ? v : NULL;
}

static char *parse_uint_col(const report_parser_t *p, report_col_t c, uint64_t min, uint64_t max,
                            uint64_t *out, const char *what)
{
    const char *v = col(p, c);
    if (!*v)
        return fail("%s is empty; it is required here", col_names[c]);
    if (!report_parse_uint(v, max, out) || *out < min)
        return bad_value(col_names[c], v, what);
    return NULL;
}

static char *parse_ip_col(const report_parser_t *p, report_col_t c, const char **out)
{
    const char *v = opt(p, c);
    if (v && !report_parse_ipv4(v))
        return bad_value(col_names[c], v, "an IPv4 address");
    *out = v;
    return NULL;
}

/* An address that is IPv4 in column c4 or IPv6 in its twin c6: the one
 * place a row's address family is chosen, so every output shows whichever
 * the frame has.  The plugin puts one family on a frame; both would be a
 * row that does not fit the field contract. */
static char *parse_addr_cols(const report_parser_t *p, report_col_t c4, report_col_t c6,
                             const char **out)
{
    char *e = parse_ip_col(p, c4, out);
    const char *v6 = opt(p, c6);
    if (e || !v6)
        return e;
    if (!report_parse_ipv6(v6))
        return bad_value(col_names[c6], v6, "an IPv6 address");
    if (*out)
        return fail("%s and %s both set: a frame carries one address family", col_names[c4],
                    col_names[c6]);
    *out = v6;
    return NULL;
}

static char *parse_stage(const char *v, uint8_t *out)
{
    uint64_t n;
    if (report_parse_uint(v, PXE_STAGE_COUNT - 1, &n) && n > 0) {
        *out = (uint8_t)n;
        return NULL;
    }
    /* a stage name, should a tshark print value_string labels */
    pxe_stage_t st = pxe_stage_from_name(v);
    if (st != PXE_STAGE_NONE) {
        *out = (uint8_t)st;
        return NULL;
    }
    char *m = bad_value("pxe.stage", v, "a stage");
    char *full = fail("%s (1-%u or a name such as discover, tftp-request)", m, PXE_STAGE_COUNT - 1);
    g_free(m);
    return full;
}

static char *parse_client(const report_parser_t *p, report_row_t *row)
{
    const char *v = opt(p, REPORT_COL_CLIENT);
    if (!v)
        return NULL;
    if (!report_parse_mac(v, row->mac))
        return bad_value("pxe.client", v, "a MAC address");
    row->has_client = true;
    uint64_t n;
    char *e = parse_uint_col(p, REPORT_COL_ATTEMPT, 1, UINT32_MAX, &n, "an attempt number");
    if (e)
        return e;
    row->attempt = (uint32_t)n;
    e = parse_uint_col(p, REPORT_COL_PHASE, 1, UINT32_MAX, &n, "a phase number");
    if (e)
        return e;
    row->phase = (uint32_t)n;
    return NULL;
}

static char *parse_transfer(const report_parser_t *p, report_row_t *row)
{
    row->tftp_file = opt(p, REPORT_COL_TFTP_FILE);
    if (row->tftp_file) {
        uint64_t n;
        char *e = parse_uint_col(p, REPORT_COL_TFTP_REQUEST_IN, 1, UINT32_MAX, &n, "a frame number");
        if (e)
            return e;
        row->tftp_request_in = (uint32_t)n;
    }
    const char *v = opt(p, REPORT_COL_TFTP_NBP);
    if (v && !report_parse_bool(v, &row->tftp_nbp))
        return bad_value("pxe.tftp.nbp", v, "a boolean");
    v = opt(p, REPORT_COL_TFTP_STATUS);
    if (!v)
        return NULL;
    if (!pxe_xfer_status_from_name(v, &row->xfer_status))
        return bad_value("pxe.tftp.status", v, "complete, size probe, failed, redirected or in progress");
    if (!row->tftp_file)
        return fail("pxe.tftp.status without pxe.tftp.file");
    row->has_xfer = true;
    v = col(p, REPORT_COL_TFTP_COMPLETE);
    if (!report_parse_bool(v, &row->xfer_complete))
        return bad_value("pxe.tftp.complete", v, "a boolean");
    char *e = parse_uint_col(p, REPORT_COL_TFTP_BYTES, 0, UINT64_MAX, &row->xfer_bytes, "a byte count");
    if (e)
        return e;
    if (opt(p, REPORT_COL_TFTP_TSIZE)) {
        e = parse_uint_col(p, REPORT_COL_TFTP_TSIZE, 0, UINT64_MAX, &row->xfer_tsize, "a size");
        if (e)
            return e;
        row->has_tsize = true;
    }
    v = col(p, REPORT_COL_TFTP_DURATION);
    if (!report_parse_seconds(v, &row->xfer_duration))
        return bad_value("pxe.tftp.duration", v, "a duration in seconds");
    return NULL;
}

static guint count_parts(const char *s)
{
    guint n = 1;
    for (; *s; s++)
        n += *s == '|';
    return n;
}

/* Next '|'-separated part of *s, cut in place. */
static char *next_part(char **s)
{
    char *start = *s;
    char *bar = strchr(start, '|');
    if (bar) {
        *bar = '\0';
        *s = bar + 1;
    } else {
        *s = start + strlen(start);
    }
    return start;
}

static char *parse_frames(report_parser_t *p, char *list)
{
    char *save = NULL;
    for (char *tok = strtok_r(list, " ", &save); tok; tok = strtok_r(NULL, " ", &save)) {
        uint64_t n;
        if (!report_parse_uint(tok, UINT32_MAX, &n) || n == 0)
            return bad_value("pxe.diag.frames", tok, "a frame number");
        uint32_t f = (uint32_t)n;
        g_array_append_val(p->frames, f);
    }
    return NULL;
}

/* Columns whose i-th values belong together (tshark -E aggregator='|'
 * -E occurrence=a): *n items in cols[0] (0 when it is empty), each column's
 * cursor in rest[] for next_part(). */
static char *paired(const report_parser_t *p, const report_col_t *cols, int nc, guint *n,
                    char **rest)
{
    const char *lead = col(p, cols[0]);
    *n = *lead ? count_parts(lead) : 0;
    for (int i = 1; i < nc; i++) {
        const char *v = col(p, cols[i]);
        if (!*n && *v)
            return fail("%s without %s", col_names[cols[i]], col_names[cols[0]]);
        if (*n && count_parts(v) != *n)
            return fail("%s has %u value(s) but %s has %u: they must pair up "
                        "(tshark -E aggregator='|' -E occurrence=a)",
                        col_names[cols[0]], *n, col_names[cols[i]], count_parts(v));
    }
    for (int i = 0; i < nc; i++)
        rest[i] = (char *)col(p, cols[i]);
    return NULL;
}

/* The client and attempt a diagnosis or verdict names. */
static char *client_attempt(report_col_t mac_col, const char *mac, report_col_t att_col,
                            const char *attempt, uint8_t out_mac[6], uint32_t *out_attempt)
{
    uint64_t an;
    if (!report_parse_mac(mac, out_mac))
        return bad_value(col_names[mac_col], mac, "a MAC address");
    if (!report_parse_uint(attempt, UINT32_MAX, &an) || an == 0)
        return bad_value(col_names[att_col], attempt, "an attempt number");
    *out_attempt = (uint32_t)an;
    return NULL;
}

static char *parse_diags(report_parser_t *p, report_row_t *row)
{
    enum { NC = 6 };
    static const report_col_t cols[NC] = {REPORT_COL_DIAG, REPORT_COL_DIAG_SEVERITY,
                                          REPORT_COL_DIAG_SUMMARY, REPORT_COL_DIAG_FRAMES,
                                          REPORT_COL_DIAG_CLIENT, REPORT_COL_DIAG_ATTEMPT};
    g_array_set_size(p->diags, 0);
    g_array_set_size(p->frames, 0);
    g_array_set_size(p->frame_start, 0);
    guint n;
    char *rest[NC];
    char *e = paired(p, cols, NC, &n, rest);
    if (e || !n)
        return e;
    for (guint d = 0; d < n; d++) {
        const char *code = next_part(&rest[0]);
        const char *sev = next_part(&rest[1]);
        const char *summary = next_part(&rest[2]);
        char *frames = next_part(&rest[3]);
        const char *mac = next_part(&rest[4]);
        const char *attempt = next_part(&rest[5]);
        report_row_diag_t rd = {0};
        if ((e = client_attempt(REPORT_COL_DIAG_CLIENT, mac, REPORT_COL_DIAG_ATTEMPT, attempt,
                                rd.mac, &rd.attempt)))
            return e;
        int c = pxe_code_from_string(code);
        if (c < 0) {
            char *q = quote(code);
            char *m = fail("unknown diagnosis code '%s' in pxe.diag (not in pxediag's code table: "
                           "are the plugin and pxe-report from different versions?)", q);
            g_free(q);
            return m;
        }
        rd.code = (pxe_code_t)c;
        rd.severity = (pxe_severity_t)pxe_severity_from_string(sev);
        if (!rd.severity)
            return bad_value("pxe.diag.severity", sev, "error, warning or note");
        if (rd.severity != pxe_code_info(rd.code)->severity)
            return fail("%s has severity %s here but %s in pxediag's code table", code, sev,
                        pxe_severity_name(pxe_code_info(rd.code)->severity));
        if (!*summary)
            return fail("pxe.diag.summary is empty for %s", code);
        rd.summary = summary;
        guint start = p->frames->len;
        if ((e = parse_frames(p, frames)))
            return e;
        rd.n_frames = p->frames->len - start;
        g_array_append_val(p->frame_start, start);
        g_array_append_val(p->diags, rd);
    }
    /* frames has stopped growing: now its addresses hold */
    for (guint d = 0; d < p->diags->len; d++) {
        report_row_diag_t *rd = &g_array_index(p->diags, report_row_diag_t, d);
        guint start = g_array_index(p->frame_start, guint, d);
        rd->frames = rd->n_frames ? &g_array_index(p->frames, uint32_t, start) : NULL;
    }
    row->diags = (const report_row_diag_t *)(void *)p->diags->data;
    row->n_diags = p->diags->len;
    return NULL;
}

static char *parse_verdicts(report_parser_t *p, report_row_t *row)
{
    enum { NC = 5 };
    static const report_col_t cols[NC] = {REPORT_COL_OUTCOME, REPORT_COL_OUTCOME_CLIENT,
                                          REPORT_COL_OUTCOME_ATTEMPT, REPORT_COL_OUTCOME_CODE,
                                          REPORT_COL_OUTCOME_REASON};
    g_array_set_size(p->verdicts, 0);
    guint n;
    char *rest[NC];
    char *e = paired(p, cols, NC, &n, rest);
    if (e || !n)
        return e;
    for (guint k = 0; k < n; k++) {
        const char *o = next_part(&rest[0]);
        const char *mac = next_part(&rest[1]);
        const char *attempt = next_part(&rest[2]);
        const char *code = next_part(&rest[3]);
        report_row_verdict_t v = {0};
        v.outcome = pxe_outcome_from_name(o);
        if (v.outcome == PXE_OUTCOME_NONE)
            return bad_value("pxe.outcome", o, "ok, failed or incomplete");
        if ((e = client_attempt(REPORT_COL_OUTCOME_CLIENT, mac, REPORT_COL_OUTCOME_ATTEMPT, attempt,
                                v.mac, &v.attempt)))
            return e;
        v.code = strcmp(code, "-") == 0 ? -1 : pxe_code_from_string(code);
        if (v.outcome == PXE_OUTCOME_FAILED && v.code < 0)
            return bad_value("pxe.outcome.code", code, "a diagnosis code of pxediag's table");
        v.reason = next_part(&rest[4]);
        g_array_append_val(p->verdicts, v);
    }
    row->verdicts = (const report_row_verdict_t *)(void *)p->verdicts->data;
    row->n_verdicts = p->verdicts->len;
    return NULL;
}

static char *parse_dhcp(const report_parser_t *p, report_row_t *row)
{
    uint64_t n;
    const char *v = opt(p, REPORT_COL_DHCP_XID);
    if (v) {
        /* tshark prints BASE_HEX fields as 0x...; decimal is read too */
        if (!report_parse_uint(v, UINT32_MAX, &n))
            return bad_value("pxe.dhcp.xid", v, "a transaction ID");
        row->has_xid = true;
        row->xid = (uint32_t)n;
    }
    v = opt(p, REPORT_COL_DHCP_LEASE_TIME);
    if (v) {
        if (!report_parse_uint(v, UINT32_MAX, &n))
            return bad_value("pxe.dhcp.lease_time", v, "a lease time in seconds");
        row->has_lease_time = true;
        row->lease_time = (uint32_t)n;
    }
    row->host_name = opt(p, REPORT_COL_DHCP_HOST_NAME);
    row->client_fqdn = opt(p, REPORT_COL_DHCP_CLIENT_FQDN);
    row->vendor_class = opt(p, REPORT_COL_DHCP_VENDOR_CLASS);
    row->user_class = opt(p, REPORT_COL_DHCP_USER_CLASS);
    row->uuid = opt(p, REPORT_COL_DHCP_UUID);
    char *e;
    if ((e = parse_ip_col(p, REPORT_COL_DHCP_REQUESTED_ADDR, &row->requested_addr)) ||
        (e = parse_addr_cols(p, REPORT_COL_DHCP_ASSIGNED_ADDR, REPORT_COL_DHCP_ASSIGNED_ADDR6,
                             &row->assigned_addr)) ||
        (e = parse_addr_cols(p, REPORT_COL_DHCP_RELAY, REPORT_COL_DHCP_RELAY6, &row->relay)))
        return e;
    return NULL;
}

static char *parse_row(report_parser_t *p, report_row_t *row)
{
    if (p->n_cols != p->n_fields)
        return fail("has %u column(s) but the header has %u", p->n_cols, p->n_fields);
    if (strcmp(col(p, REPORT_COL_FRAME), col_names[REPORT_COL_FRAME]) == 0)
        return fail("a second header line: give pxe-report one tshark output per input "
                    "(capture files as arguments, or one '-')");
    uint64_t n;
    char *e = parse_uint_col(p, REPORT_COL_FRAME, 1, UINT32_MAX, &n, "a frame number");
    if (e)
        return e;
    row->frame = (uint32_t)n;
    const char *v = col(p, REPORT_COL_TIME);
    if (!report_parse_seconds(v, &row->time))
        return bad_value("frame.time_epoch", v, "a time in seconds since the epoch");
    v = opt(p, REPORT_COL_STAGE);
    if (v && (e = parse_stage(v, &row->stage)))
        return e;
    if ((e = parse_client(p, row)))
        return e;
    v = opt(p, REPORT_COL_ARCH);
    if (v) {
        if (!report_parse_uint(v, UINT16_MAX, &n))
            return bad_value("pxe.arch", v, "an architecture number (option 93)");
        row->has_arch = true;
        row->arch = (uint16_t)n;
    }
    row->firmware = opt(p, REPORT_COL_FIRMWARE);
    row->bootfile = opt(p, REPORT_COL_BOOTFILE);
    if ((e = parse_addr_cols(p, REPORT_COL_CLIENT_IP, REPORT_COL_CLIENT_IP6, &row->client_ip)) ||
        (e = parse_addr_cols(p, REPORT_COL_TFTP_SERVER, REPORT_COL_TFTP_SERVER6, &row->tftp_server)) ||
        (e = parse_addr_cols(p, REPORT_COL_DHCP_SERVER, REPORT_COL_DHCP_SERVER6, &row->dhcp_server)))
        return e;
    if ((e = parse_transfer(p, row)))
        return e;
    if ((e = parse_diags(p, row)))
        return e;
    if ((e = parse_dhcp(p, row)))
        return e;
    v = opt(p, REPORT_COL_UNTRACKED);
    if (v && !(row->untracked = strcmp(v, "1") == 0 || strcmp(v, "True") == 0) && strcmp(v, "0") != 0)
        return bad_value("pxe.untracked", v, "1 or 0");
    return parse_verdicts(p, row);
}

report_parse_result_t report_parser_line(report_parser_t *p, uint64_t line_no, const char *text,
                                         size_t len, report_row_t *row, char **error)
{
    *error = NULL;
    memset(row, 0, sizeof *row);
    row->line_no = line_no;
    if (memchr(text, '\0', len)) {
        *error = fail("contains a NUL byte: not tshark text output");
        return p->have_header ? REPORT_PARSE_BAD_ROW : REPORT_PARSE_FATAL;
    }
    g_string_assign(p->line, text);
    split(p, '\t');
    if (!p->have_header) {
        if (len == 0) {
            *error = fail("empty line where the tshark header line should be "
                          "(tshark -T fields -E header=y)");
            return REPORT_PARSE_FATAL;
        }
        return parse_header(p, error);
    }
    *error = parse_row(p, row);
    return *error ? REPORT_PARSE_BAD_ROW : REPORT_PARSE_ROW;
}
