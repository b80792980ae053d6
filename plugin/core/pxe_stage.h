/* pxe_stage.h - the ordered PXE boot stages that pxe.stage carries.
 *
 * The numbers are part of the user interface (pxe.stage >= 14 selects all
 * TFTP with <= 19) and of the tshark output pxe-report reads: append, never renumber.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_STAGE_H
#define PXE_STAGE_H

#include <stdint.h>

typedef enum {
    PXE_STAGE_NONE = 0,
    PXE_STAGE_DISCOVER = 1,
    PXE_STAGE_OFFER,
    PXE_STAGE_PROXY_OFFER,
    PXE_STAGE_REQUEST,
    PXE_STAGE_ACK,
    PXE_STAGE_NAK,
    PXE_STAGE_DECLINE,
    PXE_STAGE_RELEASE,
    PXE_STAGE_INFORM,
    PXE_STAGE_PROXY_REQUEST,
    PXE_STAGE_PROXY_ACK,
    PXE_STAGE_BOOTSRV_REQUEST,
    PXE_STAGE_BOOTSRV_ACK,
    PXE_STAGE_TFTP_REQUEST,
    PXE_STAGE_TFTP_OACK,
    PXE_STAGE_TFTP_DATA,
    PXE_STAGE_TFTP_ACK,
    PXE_STAGE_TFTP_ERROR,
    PXE_STAGE_TFTP_UNREACHABLE,
    PXE_STAGE_ARP,           /* the client resolving the TFTP server or router */
    PXE_STAGE_HTTP_REQUEST,  /* HTTP boot: the client's GET/HEAD */
    PXE_STAGE_HTTP_RESPONSE, /* the server's status line and headers */
    PXE_STAGE_HTTP_DATA,     /* the server's body segments */
    PXE_STAGE_HTTP_ACK,      /* the client's other segments of the transfer */
    PXE_STAGE_COUNT
} pxe_stage_t;

/* Filter name of a stage ("tftp-request"), or NULL when out of range. */
const char *pxe_stage_name(unsigned stage);

/* Stage number for a filter name, PXE_STAGE_NONE when unknown. */
pxe_stage_t pxe_stage_from_name(const char *name);

/* Rank of a stage along the normal path: DISCOVER, OFFER, proxy OFFER,
 * REQUEST, ACK, ARP (for whichever server comes next), proxy REQUEST/ACK,
 * boot server REQUEST/ACK, TFTP RRQ, OACK, DATA, ACK.  0 for events that are
 * not progress: NAK, DECLINE, RELEASE, INFORM, TFTP ERROR, ICMP unreachable
 * (a finished size probe ends in a TFTP ERROR, and "reached tftp-error"
 * would hide how far the boot got; the diagnoses name these events). */
unsigned pxe_stage_rank(unsigned stage);

/* 1 when an attempt that reached this stage (its furthest progress) got as
 * far as asking for an address: the client verdict's fold needs it. */
int pxe_stage_got_address(unsigned stage);

/* 1 for the TFTP stages. */
int pxe_stage_is_tftp(unsigned stage);

#endif
