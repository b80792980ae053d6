/* report_verdict.c - the outcome rules of pxe-report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_verdict.h"

#include <string.h>

#include "pxe_stage.h"

unsigned report_stage_rank(unsigned stage)
{
    /* ARP right after the ACK: the client resolves the proxyDHCP server,
     * the boot server or the TFTP server, so "reached arp" is only news
     * when nothing after it came */
    static const uint8_t path[] = {
        PXE_STAGE_DISCOVER, PXE_STAGE_OFFER, PXE_STAGE_PROXY_OFFER, PXE_STAGE_REQUEST,
        PXE_STAGE_ACK, PXE_STAGE_ARP, PXE_STAGE_PROXY_REQUEST, PXE_STAGE_PROXY_ACK,
        PXE_STAGE_BOOTSRV_REQUEST, PXE_STAGE_BOOTSRV_ACK, PXE_STAGE_TFTP_REQUEST,
        PXE_STAGE_TFTP_OACK, PXE_STAGE_TFTP_DATA, PXE_STAGE_TFTP_ACK,
    };
    for (unsigned i = 0; i < sizeof path; i++)
        if (path[i] == stage)
            return i + 1;
    return 0;
}

unsigned report_attempt_stage(const report_attempt_t *a)
{
    return a->stage ? a->stage : a->stage_any;
}

/* The plugin flags the phase's first RRQ as the NBP when no DHCP named one;
 * if that was a size probe, the real transfer of the same file that follows
 * is the NBP too. */
static bool is_nbp(const report_attempt_t *a, const report_file_t *f)
{
    if (f->nbp)
        return true;
    for (guint i = 0; i < a->files->len; i++) {
        const report_file_t *o = g_ptr_array_index(a->files, i);
        if (o != f && o->nbp && o->phase == f->phase && strcmp(o->name, f->name) == 0)
            return true;
    }
    return false;
}

void report_verdict_file_complete(report_attempt_t *a, report_file_t *f, uint32_t frame)
{
    if (!a->nbp_done) {
        if (is_nbp(a, f)) {
            a->nbp_done = f;
            a->nbp_done_frame = frame;
        }
        return;
    }
    if (!a->ran && f != a->nbp_done && frame > a->nbp_done_frame) {
        a->ran = true;
        a->ran_frame = frame;
    }
}

void report_verdict_dhcp_ack(report_attempt_t *a, uint32_t phase, uint32_t frame)
{
    if (a->nbp_done && !a->ran && phase > a->nbp_done->phase && frame > a->nbp_done_frame) {
        a->ran = true;
        a->ran_frame = frame;
    }
}

void report_verdict_diag(report_attempt_t *a, pxe_severity_t severity)
{
    if (severity == PXE_SEV_ERROR)
        a->has_error = true;
}

report_outcome_t report_attempt_outcome(const report_attempt_t *a)
{
    if (a->has_error)
        return REPORT_FAILED;
    if (a->nbp_done && a->ran)
        return REPORT_OK;
    return REPORT_INCOMPLETE;
}

const char *report_outcome_name(report_outcome_t o)
{
    switch (o) {
    case REPORT_OK: return "ok";
    case REPORT_FAILED: return "failed";
    case REPORT_INCOMPLETE: return "incomplete";
    }
    return "?";
}

const report_attempt_t *report_client_last(const report_client_t *c)
{
    return g_ptr_array_index(c->attempts, c->attempts->len - 1);
}

report_outcome_t report_client_outcome(const report_client_t *c)
{
    const report_attempt_t *la = report_client_last(c);
    report_outcome_t last = report_attempt_outcome(la);
    if (last != REPORT_INCOMPLETE || la->stage >= report_stage_rank(PXE_STAGE_REQUEST))
        return last;
    for (guint i = 0; i + 1 < c->attempts->len; i++)
        if (report_attempt_outcome(g_ptr_array_index(c->attempts, i)) == REPORT_FAILED)
            return REPORT_FAILED;
    return REPORT_INCOMPLETE;
}
