/* pxe_stage.c - names of the PXE boot stages.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_stage.h"

#include <string.h>

static const char *const stage_names[PXE_STAGE_COUNT] = {
    [PXE_STAGE_NONE] = "none",
    [PXE_STAGE_DISCOVER] = "discover",
    [PXE_STAGE_OFFER] = "offer",
    [PXE_STAGE_PROXY_OFFER] = "proxy-offer",
    [PXE_STAGE_REQUEST] = "request",
    [PXE_STAGE_ACK] = "ack",
    [PXE_STAGE_NAK] = "nak",
    [PXE_STAGE_DECLINE] = "decline",
    [PXE_STAGE_RELEASE] = "release",
    [PXE_STAGE_INFORM] = "inform",
    [PXE_STAGE_PROXY_REQUEST] = "proxy-request",
    [PXE_STAGE_PROXY_ACK] = "proxy-ack",
    [PXE_STAGE_BOOTSRV_REQUEST] = "bootserver-request",
    [PXE_STAGE_BOOTSRV_ACK] = "bootserver-ack",
    [PXE_STAGE_TFTP_REQUEST] = "tftp-request",
    [PXE_STAGE_TFTP_OACK] = "tftp-oack",
    [PXE_STAGE_TFTP_DATA] = "tftp-data",
    [PXE_STAGE_TFTP_ACK] = "tftp-ack",
    [PXE_STAGE_TFTP_ERROR] = "tftp-error",
    [PXE_STAGE_TFTP_UNREACHABLE] = "tftp-unreachable",
    [PXE_STAGE_ARP] = "arp",
};

const char *pxe_stage_name(unsigned stage)
{
    return stage < PXE_STAGE_COUNT ? stage_names[stage] : NULL;
}

pxe_stage_t pxe_stage_from_name(const char *name)
{
    if (!name)
        return PXE_STAGE_NONE;
    for (unsigned i = 1; i < PXE_STAGE_COUNT; i++)
        if (strcmp(stage_names[i], name) == 0)
            return (pxe_stage_t)i;
    return PXE_STAGE_NONE;
}

int pxe_stage_is_tftp(unsigned stage)
{
    return stage >= PXE_STAGE_TFTP_REQUEST && stage <= PXE_STAGE_TFTP_UNREACHABLE;
}
