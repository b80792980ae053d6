/* report_verdict.h - when a boot attempt counts as ok, failed or incomplete.
 *
 *  failed      some error-severity diagnosis belongs to the attempt;
 *  ok          no error, the NBP (a transfer with pxe.tftp.nbp=1) arrived
 *              complete, and something after it shows that it ran: another
 *              file arrived complete afterwards, or a later phase's DHCP
 *              reached an ACK;
 *  incomplete  otherwise: the capture ends before the boot was decided.
 *
 * A client's verdict is its last attempt's outcome, except that a retry the
 * capture cut off before it got an address (DISCOVER/OFFER only) does not
 * hide the failure before it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REPORT_VERDICT_H
#define REPORT_VERDICT_H

#include <stdbool.h>
#include <stdint.h>

#include "report_model.h"

/* Rank of a stage along the normal path: DISCOVER, OFFER, proxy OFFER,
 * REQUEST, ACK, ARP (for whichever server comes next), proxy REQUEST/ACK,
 * boot server REQUEST/ACK, TFTP RRQ, OACK, DATA, ACK.  0 for events that are not progress:
 * NAK, DECLINE, RELEASE, INFORM, TFTP ERROR, ICMP unreachable (a finished
 * size probe ends in a TFTP ERROR, and "reached tftp-error" would hide how
 * far the boot got; the diagnoses name these events). */
unsigned report_stage_rank(unsigned stage);

/* The stage an attempt reached: its furthest progress stage, else the
 * highest stage seen. */
unsigned report_attempt_stage(const report_attempt_t *a);

/* Evidence, fed by the model as rows arrive. */
void report_verdict_file_complete(report_attempt_t *a, report_file_t *f, uint32_t frame);
void report_verdict_dhcp_ack(report_attempt_t *a, uint32_t phase, uint32_t frame);
void report_verdict_diag(report_attempt_t *a, pxe_severity_t severity);

report_outcome_t report_attempt_outcome(const report_attempt_t *a);

/* "ok", "failed", "incomplete". */
const char *report_outcome_name(report_outcome_t o);

/* The last attempt (every client has one). */
const report_attempt_t *report_client_last(const report_client_t *c);

report_outcome_t report_client_outcome(const report_client_t *c);

#endif
