/* test_report_model.c - unit tests of the model on synthetic rows: outcomes
 * are the plugin's (pxe.outcome), folded per client by the core's rule;
 * diagnoses go to the attempt the plugin names (pxe.diag.attempt), also when
 * another client's frame carries them; transfers are told apart by
 * pxe.tftp.request_in and tell their protocol (TFTP, HTTP) by their stages;
 * stage, timings, servers, filters, and memory that does not grow with
 * packets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <stdio.h>
#include <string.h>

#include <glib.h>

#include "pxe_stage.h"
#include "report_model.h"
#include "report_verdict.h"
#include "rows.h"

#define MAC "52:54:00:12:34:56"

/* One row of the client MAC: frame, time, stage, attempt, phase, then
 * further (field, value) pairs. */
static report_client_t *step_kv(feeder_t *f, const char *mac, unsigned frame, double t,
                                unsigned stage, unsigned attempt, unsigned phase,
                                const char *const *extra)
{
    char fb[16], tb[32], sb[8], ab[16], pb[16];
    snprintf(fb, sizeof fb, "%u", frame);
    snprintf(tb, sizeof tb, "%.6f", t);
    snprintf(sb, sizeof sb, "%u", stage);
    snprintf(ab, sizeof ab, "%u", attempt);
    snprintf(pb, sizeof pb, "%u", phase);
    const char *kv[64] = {"frame.number", fb, "frame.time_epoch", tb, "pxe.stage", sb,
                          "pxe.client", mac, "pxe.attempt", ab, "pxe.phase", pb};
    unsigned n = 12;
    for (const char *const *p = extra; p && *p; p++)
        kv[n++] = *p;
    kv[n] = NULL;
    return feed(f, rows_line(kv));
}

#define STEP(f, frame, t, stage, attempt, phase, ...) \
    step_kv(f, MAC, frame, t, stage, attempt, phase, (const char *const[]){__VA_ARGS__, NULL})
#define STEP0(f, frame, t, stage, attempt, phase) \
    step_kv(f, MAC, frame, t, stage, attempt, phase, NULL)

/* A transfer summary row. */
static report_client_t *xfer_in(feeder_t *f, unsigned frame, double t, unsigned stage,
                                unsigned attempt, unsigned phase, const char *file, bool nbp,
                                const char *status, unsigned bytes, double duration, unsigned rrq)
{
    char bb[16], db[32], rb[16];
    snprintf(bb, sizeof bb, "%u", bytes);
    snprintf(db, sizeof db, "%.9f", duration);
    snprintf(rb, sizeof rb, "%u", rrq);
    return STEP(f, frame, t, stage, attempt, phase, "pxe.tftp.request_in", rb, "pxe.tftp.file", file, "pxe.tftp.nbp",
                nbp ? "1" : "0", "pxe.tftp.status", status, "pxe.tftp.complete",
                strcmp(status, "complete") == 0 ? "1" : "0", "pxe.tftp.bytes", bb,
                "pxe.tftp.duration", db);
}

/* A transfer summary row of the transfer requested in this very frame. */
static report_client_t *xfer(feeder_t *f, unsigned frame, double t, unsigned stage,
                             unsigned attempt, unsigned phase, const char *file, bool nbp,
                             const char *status, unsigned bytes, double duration)
{
    return xfer_in(f, frame, t, stage, attempt, phase, file, nbp, status, bytes, duration, frame);
}

/* A whole transfer: RRQ at t, then DATA frames, complete or not. */
static unsigned transfer(feeder_t *f, unsigned frame, double t, unsigned attempt, unsigned phase,
                         const char *file, bool nbp, unsigned blocks, bool complete)
{
    unsigned rrq = frame;
    xfer(f, frame++, t, PXE_STAGE_TFTP_REQUEST, attempt, phase, file, nbp, "in progress", 0, 0);
    for (unsigned b = 1; b <= blocks; b++) {
        bool last = b == blocks && complete;
        xfer_in(f, frame++, t + b * 0.001, PXE_STAGE_TFTP_DATA, attempt, phase, file, nbp,
                last ? "complete" : "in progress", b * 512, b * 0.001, rrq);
    }
    return frame;
}

/* The plugin's verdict on attempt `attempt` of MAC, on this frame. */
static report_client_t *verdict(feeder_t *f, unsigned frame, double t, unsigned attempt,
                                const char *outcome, const char *code)
{
    char fb[16], tb[32], ab[16];
    snprintf(fb, sizeof fb, "%u", frame);
    snprintf(tb, sizeof tb, "%.6f", t);
    snprintf(ab, sizeof ab, "%u", attempt);
    return feed(f, ROW("frame.number", fb, "frame.time_epoch", tb, "pxe.outcome", outcome,
                       "pxe.outcome.client", MAC, "pxe.outcome.attempt", ab, "pxe.outcome.code",
                       code, "pxe.outcome.reason", "because"));
}

#define DIAG(code, sev, summary, frames, attempt) \
    "pxe.diag", code, "pxe.diag.severity", sev, "pxe.diag.summary", summary, "pxe.diag.frames", \
        frames, "pxe.diag.client", MAC, "pxe.diag.attempt", attempt

static unsigned dora(feeder_t *f, unsigned frame, double t, unsigned attempt, unsigned phase,
                     const char *bootfile)
{
    STEP(f, frame++, t, PXE_STAGE_DISCOVER, attempt, phase, "pxe.firmware", "PXE ROM", "pxe.arch", "0");
    STEP(f, frame++, t + 0.25, PXE_STAGE_OFFER, attempt, phase, "pxe.client_ip", "10.0.0.50",
         "pxe.dhcp_server", "10.0.0.1", "pxe.bootfile", bootfile, "pxe.tftp_server", "10.0.0.2");
    STEP(f, frame++, t + 1, PXE_STAGE_REQUEST, attempt, phase, "pxe.dhcp_server", "10.0.0.1");
    STEP(f, frame++, t + 1.5, PXE_STAGE_ACK, attempt, phase, "pxe.client_ip", "10.0.0.50",
         "pxe.dhcp_server", "10.0.0.1", "pxe.bootfile", bootfile, "pxe.tftp_server", "10.0.0.2");
    return frame;
}

static const report_attempt_t *attempt(const report_client_t *c, unsigned i)
{
    g_assert_cmpuint(i, <, c->attempts->len);
    return g_ptr_array_index(c->attempts, i);
}

static void test_outcome_is_the_plugins(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    unsigned fr = dora(&f, 1, 100, 1, 1, "pxelinux.0");
    fr = transfer(&f, fr, 102, 1, 1, "pxelinux.0", true, 3, true);
    report_client_t *c = f.last;
    /* nothing decided: incomplete, whatever the rows look like */
    g_assert_cmpint(report_client_outcome(c), ==, REPORT_INCOMPLETE);
    verdict(&f, fr, 103, 1, "ok", "-");
    g_assert_cmpint(report_client_outcome(c), ==, REPORT_OK);
    g_assert_cmpuint(attempt(c, 0)->outcome_frame, ==, fr);
    g_assert_cmpstr(attempt(c, 0)->outcome_reason, ==, "because");
    /* ok turns failed; failed is final; a two-pass "incomplete" changes nothing */
    verdict(&f, fr + 1, 104, 1, "failed", "PXE-E3B");
    g_assert_cmpint(report_client_outcome(c), ==, REPORT_FAILED);
    g_assert_cmpint(attempt(c, 0)->outcome_code, ==, PXE_CODE_E3B);
    verdict(&f, fr + 2, 105, 1, "ok", "-");
    verdict(&f, fr + 3, 106, 1, "incomplete", "-");
    g_assert_cmpint(report_client_outcome(c), ==, REPORT_FAILED);
    g_assert_cmpuint(report_attempt_stage(attempt(c, 0)), ==, PXE_STAGE_TFTP_DATA);
    g_assert_cmpstr(attempt(c, 0)->address, ==, "10.0.0.50");
    g_assert_cmpstr(attempt(c, 0)->bootfile, ==, "pxelinux.0");
    g_assert_cmpstr(attempt(c, 0)->firmware, ==, "PXE ROM");
    feeder_free(&f);
}

static void test_warning_and_note_do_not_fail(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    STEP(&f, 1, 100, PXE_STAGE_OFFER, 1, 1, "pxe.diag", "competing-dhcp|offer-incomplete",
         "pxe.diag.severity", "warning|warning", "pxe.diag.summary", "competing-dhcp: a|offer-incomplete: b",
         "pxe.diag.frames", "1|1", "pxe.diag.client", MAC "|" MAC, "pxe.diag.attempt", "1|1");
    g_assert_cmpint(report_client_outcome(f.last), ==, REPORT_INCOMPLETE);
    g_assert_cmpuint(attempt(f.last, 0)->diags->len, ==, 2);
    feeder_free(&f);
}

/* PXE-E55 is proven when the client starts over: the row is attempt 2's,
 * the plugin says the diagnosis and the verdict are about attempt 1. */
static void test_diag_goes_to_named_attempt(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    dora(&f, 4, 100, 1, 1, "ipxe.pxe");
    STEP(&f, 11, 101, PXE_STAGE_PROXY_REQUEST, 1, 1, "pxe.dhcp_server", "10.0.0.21");
    STEP(&f, 13, 105, PXE_STAGE_DISCOVER, 2, 1,
         DIAG("PXE-E55", "error", "PXE-E55: no reply on 4011", "11 13", "1"));
    verdict(&f, 13, 105, 1, "failed", "PXE-E55");
    STEP0(&f, 14, 105.5, PXE_STAGE_OFFER, 2, 1);
    report_client_t *c = f.last;
    g_assert_cmpuint(c->attempts->len, ==, 2);
    g_assert_cmpint(report_attempt_outcome(attempt(c, 0)), ==, REPORT_FAILED);
    g_assert_cmpuint(attempt(c, 0)->diags->len, ==, 1);
    g_assert_cmpuint(attempt(c, 1)->diags->len, ==, 0);
    g_assert_cmpint(report_attempt_outcome(attempt(c, 1)), ==, REPORT_INCOMPLETE);
    /* a retry cut off before its address does not hide the failure */
    g_assert_cmpint(report_client_outcome(c), ==, REPORT_FAILED);
    STEP0(&f, 15, 106, PXE_STAGE_REQUEST, 2, 1);
    /* past its REQUEST the retry is the client's verdict */
    g_assert_cmpint(report_client_outcome(c), ==, REPORT_INCOMPLETE);
    g_assert_cmpuint(report_attempt_stage(attempt(c, 0)), ==, PXE_STAGE_PROXY_REQUEST);
    g_assert_cmpuint(report_attempt_stage(attempt(c, 1)), ==, PXE_STAGE_REQUEST);
    feeder_free(&f);
}

/* Time decides: another client's frame (or a frame of no boot at all)
 * carries the timeout of a silent client. */
static void test_decided_on_foreign_frame(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    dora(&f, 1, 100, 1, 1, "pxelinux.0");
    report_client_t *c = f.last;
    feed(&f, ROW("frame.number", "90", "frame.time_epoch", "200", "pxe.diag", "PXE-E32",
                 "pxe.diag.severity", "error", "pxe.diag.summary", "PXE-E32: gave up",
                 "pxe.diag.frames", "5 90", "pxe.diag.client", MAC, "pxe.diag.attempt", "1"));
    verdict(&f, 90, 200, 1, "failed", "PXE-E32");
    g_assert_cmpuint(report_model_unattributed(f.model), ==, 0);
    g_assert_cmpuint(report_model_clients(f.model)->len, ==, 1);
    g_assert_cmpint(report_client_outcome(c), ==, REPORT_FAILED);
    g_assert_cmpuint(attempt(c, 0)->diags->len, ==, 1);
    feeder_free(&f);
}

static void test_diag_merged(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    for (unsigned i = 0; i < 3; i++) {
        char frames[32];
        snprintf(frames, sizeof frames, "%u %u", 10 - i, 20 + i);
        STEP(&f, 20 + i, 100 + i, PXE_STAGE_TFTP_DATA, 1, 1, "pxe.diag", "tftp-retransmit",
             "pxe.diag.severity", "note", "pxe.diag.summary", "tftp-retransmit: same",
             "pxe.diag.frames", frames, "pxe.diag.client", MAC, "pxe.diag.attempt", "1");
    }
    STEP(&f, 30, 110, PXE_STAGE_TFTP_DATA, 1, 1, "pxe.diag", "tftp-retransmit",
         "pxe.diag.severity", "note", "pxe.diag.summary", "tftp-retransmit: other",
         "pxe.diag.frames", "30", "pxe.diag.client", MAC, "pxe.diag.attempt", "1");
    const report_attempt_t *a = attempt(f.last, 0);
    g_assert_cmpuint(a->diags->len, ==, 2);
    const report_diag_t *d = g_ptr_array_index(a->diags, 0);
    g_assert_cmpuint(d->count, ==, 3);
    const uint32_t want[] = {8, 9, 10, 20, 21, 22};
    g_assert_cmpuint(d->frames->len, ==, G_N_ELEMENTS(want));
    for (unsigned i = 0; i < G_N_ELEMENTS(want); i++)
        g_assert_cmpuint(g_array_index(d->frames, uint32_t, i), ==, want[i]);
    feeder_free(&f);
}

static void test_diag_frames_capped(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    for (unsigned i = 1; i <= REPORT_MAX_DIAG_FRAMES + 10; i++) {
        char frames[16];
        snprintf(frames, sizeof frames, "%u", i);
        STEP(&f, i, 100 + i, PXE_STAGE_TFTP_DATA, 1, 1, "pxe.diag", "tftp-retransmit",
             "pxe.diag.severity", "note", "pxe.diag.summary", "tftp-retransmit: x",
             "pxe.diag.frames", frames, "pxe.diag.client", MAC, "pxe.diag.attempt", "1");
    }
    const report_diag_t *d = g_ptr_array_index(attempt(f.last, 0)->diags, 0);
    g_assert_cmpuint(d->frames->len, ==, REPORT_MAX_DIAG_FRAMES);
    g_assert_true(d->frames_truncated);
    g_assert_cmpuint(d->count, ==, REPORT_MAX_DIAG_FRAMES + 10);
    feeder_free(&f);
}

/* EDK2: a size probe, then the real transfer of the same file; a repeated
 * RRQ stays one transfer. */
static void test_transfers_told_apart(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    xfer(&f, 33, 1000.5, PXE_STAGE_TFTP_REQUEST, 1, 1, "x.efi", true, "in progress", 0, 0);
    xfer_in(&f, 34, 1000.5005, PXE_STAGE_TFTP_OACK, 1, 1, "x.efi", true, "in progress", 0, 0.0005, 33);
    xfer_in(&f, 35, 1000.5006, PXE_STAGE_TFTP_ERROR, 1, 1, "x.efi", true, "size probe", 0, 0.0006, 33);
    xfer(&f, 36, 1000.547, PXE_STAGE_TFTP_REQUEST, 1, 1, "x.efi", true, "in progress", 0, 0);
    xfer_in(&f, 37, 1001.547, PXE_STAGE_TFTP_REQUEST, 1, 1, "x.efi", true, "in progress", 0, 1.0, 36);
    xfer_in(&f, 38, 1001.6, PXE_STAGE_TFTP_DATA, 1, 1, "x.efi", true, "complete", 100, 1.053, 36);
    const report_attempt_t *a = attempt(f.last, 0);
    g_assert_cmpuint(a->files->len, ==, 2);
    const report_file_t *probe = g_ptr_array_index(a->files, 0);
    const report_file_t *real = g_ptr_array_index(a->files, 1);
    g_assert_cmpint(probe->status, ==, REPORT_XFER_SIZE_PROBE);
    g_assert_cmpint(real->status, ==, REPORT_XFER_COMPLETE);
    g_assert_cmpuint(real->first_frame, ==, 36);
    g_assert_cmpuint(real->last_frame, ==, 38);
    g_assert_true(report_attempt_nbp(a) == real);
    feeder_free(&f);
}

/* A transfer's protocol is what its frames' stages say; the boot file
 * server is named by the protocols of the attempt's files. */
static void test_file_protocol(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    unsigned fr = dora(&f, 1, 100, 1, 1, "http://10.0.0.2/boot.efi");
    const report_attempt_t *a = attempt(f.last, 0);
    g_assert_cmpstr(report_attempt_server_label(a), ==, "HTTP");   /* nothing fetched: the URL */
    xfer(&f, fr, 102, PXE_STAGE_HTTP_REQUEST, 1, 1, "/boot.efi", true, "in progress", 0, 0);
    xfer_in(&f, fr + 1, 102.01, PXE_STAGE_HTTP_RESPONSE, 1, 1, "/boot.efi", true, "in progress", 0, 0.01, fr);
    xfer_in(&f, fr + 2, 102.2, PXE_STAGE_HTTP_DATA, 1, 1, "/boot.efi", true, "complete", 4096, 0.2, fr);
    g_assert_cmpuint(a->files->len, ==, 1);
    const report_file_t *http = g_ptr_array_index(a->files, 0);
    g_assert_cmpint(http->proto, ==, REPORT_PROTO_HTTP);
    g_assert_cmpstr(report_proto_name(http->proto), ==, "http");
    g_assert_cmpstr(report_attempt_server_label(a), ==, "HTTP");
    /* the boot program fetches by TFTP: both protocols */
    transfer(&f, fr + 3, 103, 1, 2, "boot.ipxe", false, 2, true);
    g_assert_cmpuint(a->files->len, ==, 2);
    const report_file_t *tftp = g_ptr_array_index(a->files, 1);
    g_assert_cmpint(tftp->proto, ==, REPORT_PROTO_TFTP);
    g_assert_cmpstr(report_proto_label(tftp->proto), ==, "TFTP");
    g_assert_cmpint(http->proto, ==, REPORT_PROTO_HTTP);
    g_assert_cmpstr(report_attempt_server_label(a), ==, "boot server");
    feeder_free(&f);

    /* TFTP only, and a TFTP boot file before any transfer */
    feeder_init(&f, NULL);
    fr = dora(&f, 1, 100, 1, 1, "pxelinux.0");
    a = attempt(f.last, 0);
    g_assert_cmpstr(report_attempt_server_label(a), ==, "TFTP");
    transfer(&f, fr, 102, 1, 1, "pxelinux.0", true, 3, true);
    g_assert_cmpint(((const report_file_t *)g_ptr_array_index(a->files, 0))->proto, ==,
                    REPORT_PROTO_TFTP);
    g_assert_cmpstr(report_attempt_server_label(a), ==, "TFTP");
    feeder_free(&f);
}

static void test_stage_rank(void)
{
    g_assert_cmpuint(report_stage_rank(PXE_STAGE_TFTP_ERROR), ==, 0);
    g_assert_cmpuint(report_stage_rank(PXE_STAGE_TFTP_UNREACHABLE), ==, 0);
    g_assert_cmpuint(report_stage_rank(PXE_STAGE_NAK), ==, 0);
    g_assert_cmpuint(report_stage_rank(PXE_STAGE_INFORM), ==, 0);
    g_assert_cmpuint(report_stage_rank(PXE_STAGE_ARP), >, report_stage_rank(PXE_STAGE_ACK));
    g_assert_cmpuint(report_stage_rank(PXE_STAGE_ARP), <, report_stage_rank(PXE_STAGE_PROXY_REQUEST));
    g_assert_cmpuint(report_stage_rank(PXE_STAGE_TFTP_ACK), >, report_stage_rank(PXE_STAGE_TFTP_REQUEST));
    /* every stage the plugin knows is either progress or an event: a new
     * stage must be placed here deliberately */
    unsigned ranked = 0;
    for (unsigned s = 1; s < PXE_STAGE_COUNT; s++)
        ranked += report_stage_rank(s) > 0;
    g_assert_cmpuint(ranked, ==, 18);
    g_assert_cmpuint(report_stage_rank(PXE_STAGE_HTTP_DATA), >, report_stage_rank(PXE_STAGE_HTTP_REQUEST));

    feeder_t f;
    feeder_init(&f, NULL);
    STEP0(&f, 1, 1, PXE_STAGE_DISCOVER, 1, 1);
    STEP0(&f, 2, 2, PXE_STAGE_INFORM, 1, 1);
    g_assert_cmpuint(report_attempt_stage(attempt(f.last, 0)), ==, PXE_STAGE_DISCOVER);
    /* only events: the highest of them */
    STEP0(&f, 3, 3, PXE_STAGE_RELEASE, 2, 1);
    g_assert_cmpuint(report_attempt_stage(attempt(f.last, 1)), ==, PXE_STAGE_RELEASE);
    feeder_free(&f);
}

static void test_timings_and_servers(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    unsigned fr = dora(&f, 1, 100, 1, 1, "pxelinux.0");
    STEP(&f, fr++, 101.6, PXE_STAGE_PROXY_ACK, 1, 1, "pxe.dhcp_server", "10.0.0.9", "pxe.tftp_server",
         "10.0.0.2");
    transfer(&f, fr, 102, 1, 1, "pxelinux.0", true, 4, true);
    const report_attempt_t *a = attempt(f.last, 0);
    report_timings_t t;
    report_attempt_timings(a, &t);
    g_assert_true(t.has_discover_offer);
    g_assert_cmpfloat_with_epsilon(t.discover_offer, 0.25, 1e-6);
    g_assert_true(t.has_ack_rrq);
    g_assert_cmpfloat_with_epsilon(t.ack_rrq, 0.4, 1e-6);
    g_assert_true(t.has_nbp);
    g_assert_cmpfloat_with_epsilon(t.nbp, 0.004, 1e-6);
    g_assert_cmpfloat_with_epsilon(t.total, 2.004, 1e-6);
    g_assert_cmpuint(a->dhcp_servers->len, ==, 2);
    g_assert_cmpstr(g_ptr_array_index(a->dhcp_servers, 1), ==, "10.0.0.9");
    g_assert_cmpuint(a->tftp_servers->len, ==, 1);
    feeder_free(&f);

    /* nothing known: no timings but the total */
    feeder_init(&f, NULL);
    STEP0(&f, 1, 5, PXE_STAGE_OFFER, 1, 1);
    report_attempt_timings(attempt(f.last, 0), &t);
    g_assert_false(t.has_discover_offer || t.has_ack_rrq || t.has_nbp);
    feeder_free(&f);
}

static void test_clients_filter_and_inputs(void)
{
    uint8_t only[6] = {0x52, 0x54, 0, 0x12, 0x34, 0x56};
    feeder_t f;
    feeder_init(&f, only);
    STEP0(&f, 1, 1, PXE_STAGE_DISCOVER, 1, 1);
    step_kv(&f, "52:54:00:00:00:01", 2, 1, PXE_STAGE_DISCOVER, 1, 1, NULL);
    g_assert_null(f.last);
    /* a boot frame without a client is counted, not dropped silently */
    feed(&f, ROW("frame.number", "3", "frame.time_epoch", "2", "pxe.stage", "14"));
    g_assert_cmpuint(report_model_unattributed(f.model), ==, 1);
    /* frames and attempts start over in another input: another client */
    report_model_begin_input(f.model, "second.pcap");
    STEP0(&f, 1, 1, PXE_STAGE_DISCOVER, 1, 1);
    const GPtrArray *cl = report_model_clients(f.model);
    g_assert_cmpuint(cl->len, ==, 2);
    g_assert_cmpstr(((report_client_t *)g_ptr_array_index(cl, 1))->capture_name, ==, "second.pcap");
    g_assert_cmpstr(((report_client_t *)g_ptr_array_index(cl, 0))->mac_str, ==, MAC);
    feeder_free(&f);
}

/* Streaming: a long transfer leaves one file and no more memory behind. */
static void test_memory_follows_clients(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    dora(&f, 1, 100, 1, 1, "big.img");
    transfer(&f, 5, 101, 1, 1, "big.img", true, 50000, false);
    const report_attempt_t *a = attempt(f.last, 0);
    g_assert_cmpuint(a->files->len, ==, 1);
    g_assert_cmpuint(a->diags->len, ==, 0);
    g_assert_cmpuint(a->dhcp_servers->len, ==, 1);
    g_assert_cmpuint(report_client_items(f.last), ==, 1);
    feeder_free(&f);
}

static void test_attempts_out_of_order(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    STEP0(&f, 10, 1, PXE_STAGE_DISCOVER, 2, 1);
    STEP0(&f, 11, 1, PXE_STAGE_DISCOVER, 1, 1);
    STEP0(&f, 12, 1, PXE_STAGE_DISCOVER, 3, 1);
    g_assert_cmpuint(f.last->attempts->len, ==, 3);
    g_assert_cmpuint(report_client_last(f.last)->number, ==, 3);
    report_client_settle(f.last);
    for (unsigned i = 0; i < 3; i++)
        g_assert_cmpuint(attempt(f.last, i)->number, ==, i + 1);
    g_assert_cmpuint(report_client_last(f.last)->number, ==, 3);
    feeder_free(&f);
}

/* Attempt numbers counting down (input written by hand): the last is still
 * the highest, and one settle puts them in order. */
static void test_attempts_descending(void)
{
    feeder_t f;
    feeder_init(&f, NULL);
    const unsigned n = 20000;
    for (unsigned i = 0; i < n; i++)
        STEP0(&f, 10 + i, 1, PXE_STAGE_DISCOVER, n - i, 1);
    g_assert_cmpuint(f.last->attempts->len, ==, n);
    g_assert_cmpuint(report_client_last(f.last)->number, ==, n);
    report_client_settle(f.last);
    for (unsigned i = 0; i < n; i++)
        g_assert_cmpuint(attempt(f.last, i)->number, ==, i + 1);
    feeder_free(&f);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/verdict/outcome-is-the-plugins", test_outcome_is_the_plugins);
    g_test_add_func("/model/attempts-descending", test_attempts_descending);
    g_test_add_func("/verdict/warning-and-note-do-not-fail", test_warning_and_note_do_not_fail);
    g_test_add_func("/verdict/diag-goes-to-named-attempt", test_diag_goes_to_named_attempt);
    g_test_add_func("/verdict/decided-on-foreign-frame", test_decided_on_foreign_frame);
    g_test_add_func("/verdict/stage-rank", test_stage_rank);
    g_test_add_func("/model/diag-merged", test_diag_merged);
    g_test_add_func("/model/diag-frames-capped", test_diag_frames_capped);
    g_test_add_func("/model/transfers-told-apart", test_transfers_told_apart);
    g_test_add_func("/model/file-protocol", test_file_protocol);
    g_test_add_func("/model/timings-and-servers", test_timings_and_servers);
    g_test_add_func("/model/clients-filter-and-inputs", test_clients_filter_and_inputs);
    g_test_add_func("/model/memory-follows-clients", test_memory_follows_clients);
    g_test_add_func("/model/attempts-out-of-order", test_attempts_out_of_order);
    return g_test_run();
}
