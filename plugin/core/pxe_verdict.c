/* pxe_verdict.c - outcomes: an attempt is failed from its first error
 * diagnosis on, ok once its boot program showed that it ran, and undecided
 * (incomplete when the capture ends) otherwise; how a client's attempts fold
 * into its verdict.  Every output (the plugin's fields, every pxe-report
 * format, its exit status) uses these and only these.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"

#include <stdarg.h>
#include <string.h>

const char *pxe_outcome_name(pxe_outcome_t o)
{
    switch (o) {
    case PXE_OUTCOME_OK: return "ok";
    case PXE_OUTCOME_FAILED: return "failed";
    case PXE_OUTCOME_INCOMPLETE: return "incomplete";
    case PXE_OUTCOME_NONE: break;
    }
    return "";
}

pxe_outcome_t pxe_outcome_from_name(const char *name)
{
    for (pxe_outcome_t o = PXE_OUTCOME_OK; o <= PXE_OUTCOME_INCOMPLETE; o++)
        if (name && strcmp(name, pxe_outcome_name(o)) == 0)
            return o;
    return PXE_OUTCOME_NONE;
}

const char *pxe_xfer_status_name(pxe_xfer_status_t st)
{
    switch (st) {
    case PXE_XFER_COMPLETE: return "complete";
    case PXE_XFER_SIZE_PROBE: return "size probe";
    case PXE_XFER_FAILED: return "failed";
    case PXE_XFER_REDIRECTED: return "redirected";
    case PXE_XFER_IN_PROGRESS: break;
    }
    return "in progress";
}

bool pxe_xfer_status_from_name(const char *name, pxe_xfer_status_t *out)
{
    for (pxe_xfer_status_t st = PXE_XFER_IN_PROGRESS; st <= PXE_XFER_REDIRECTED; st++) {
        if (name && strcmp(name, pxe_xfer_status_name(st)) == 0) {
            *out = st;
            return true;
        }
    }
    return false;
}

void pxe_attempt_decide(pxe_engine_t *e, pxe_attempt_t *a, pxe_outcome_t outcome, int code,
                        const char *fmt, ...)
{
    if (!a || a->outcome == PXE_OUTCOME_FAILED || a->outcome == outcome)
        return;
    a->outcome = outcome;
    pxe_rec_t *rec = pxe_rec_here(e);
    pxe_verdict_t *v = pxe_alloc(e, sizeof *v);
    v->outcome = outcome;
    memcpy(v->mac, a->client->mac, 6);
    v->attempt = a->number;
    v->code = code;
    va_list ap;
    va_start(ap, fmt);
    char *reason = g_strdup_vprintf(fmt, ap);
    va_end(ap);
    pxe_scrub(reason);
    v->reason = pxe_strdup(e, reason);
    g_free(reason);
    pxe_verdict_t **tail = &rec->verdicts;
    while (*tail)
        tail = &(*tail)->next;
    *tail = v;
}

bool pxe_rec_open_end(const pxe_rec_t *rec)
{
    const pxe_attempt_t *a = rec->attempt_;
    return a && a->outcome == PXE_OUTCOME_NONE && a->last_frame == rec->frame;
}

pxe_outcome_t pxe_client_verdict_fold(pxe_outcome_t last, bool last_got_address, bool earlier_failed)
{
    if (last == PXE_OUTCOME_NONE)
        last = PXE_OUTCOME_INCOMPLETE;
    if (last != PXE_OUTCOME_INCOMPLETE || last_got_address)
        return last;
    return earlier_failed ? PXE_OUTCOME_FAILED : PXE_OUTCOME_INCOMPLETE;
}

pxe_outcome_t pxe_client_verdict(const pxe_outcome_t *outcomes, const bool *got_address, unsigned n)
{
    if (n == 0)
        return PXE_OUTCOME_INCOMPLETE;
    bool earlier_failed = false;
    for (unsigned i = 0; i + 1 < n; i++)
        earlier_failed = earlier_failed || outcomes[i] == PXE_OUTCOME_FAILED;
    return pxe_client_verdict_fold(outcomes[n - 1], got_address[n - 1], earlier_failed);
}
