/* report_verdict.h - the outcomes pxe-report prints, as the plugin decided
 * them: an attempt's outcome is its last pxe.outcome (failed is final, ok can
 * turn failed, an attempt nothing decided is incomplete); a client's verdict
 * folds its attempts with the core's pxe_client_verdict(): the last attempt's
 * outcome, except that an incomplete last attempt that never got an address
 * does not hide a failure before it.  Every output and the exit status use
 * report_client_outcome(), so they cannot disagree.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REPORT_VERDICT_H
#define REPORT_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "report_model.h"

/* pxe_stage_rank() (pxe_stage.h), the core's one ranking of stages. */
unsigned report_stage_rank(unsigned stage);

/* The stage an attempt reached: its furthest progress stage, else the
 * highest stage seen. */
unsigned report_attempt_stage(const report_attempt_t *a);

report_outcome_t report_attempt_outcome(const report_attempt_t *a);

/* "ok", "failed", "incomplete". */
const char *report_outcome_name(report_outcome_t o);

/* The last attempt (every client has one). */
const report_attempt_t *report_client_last(const report_client_t *c);

report_outcome_t report_client_outcome(const report_client_t *c);

#endif
