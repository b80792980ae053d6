/* report_verdict.c - the outcomes pxe-report prints, as the plugin decided them.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_verdict.h"

#include <string.h>

#include "pxe_stage.h"

unsigned report_stage_rank(unsigned stage)
{
    return pxe_stage_rank(stage);
}

unsigned report_attempt_stage(const report_attempt_t *a)
{
    return a->stage ? a->stage : a->stage_any;
}

report_outcome_t report_outcome_of(pxe_outcome_t o)
{
    switch (o) {
    case PXE_OUTCOME_OK: return REPORT_OK;
    case PXE_OUTCOME_FAILED: return REPORT_FAILED;
    default: return REPORT_INCOMPLETE;
    }
}

report_outcome_t report_attempt_outcome(const report_attempt_t *a)
{
    return report_outcome_of(a->outcome);
}

const char *report_outcome_name(report_outcome_t o)
{
    return pxe_outcome_name(o == REPORT_OK ? PXE_OUTCOME_OK
                            : o == REPORT_FAILED ? PXE_OUTCOME_FAILED : PXE_OUTCOME_INCOMPLETE);
}

const report_attempt_t *report_client_last(const report_client_t *c)
{
    return c->last;
}

report_outcome_t report_client_outcome(const report_client_t *c)
{
    const report_attempt_t *l = c->last;
    unsigned earlier_failed = c->failed - (l->outcome == PXE_OUTCOME_FAILED);
    return report_outcome_of(pxe_client_verdict_fold(l->outcome, pxe_stage_got_address(l->stage),
                                                     earlier_failed > 0));
}
