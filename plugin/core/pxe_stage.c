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
    [PXE_STAGE_HTTP_REQUEST] = "http-request",
    [PXE_STAGE_HTTP_RESPONSE] = "http-response",
    [PXE_STAGE_HTTP_DATA] = "http-data",
    [PXE_STAGE_HTTP_ACK] = "http-ack",
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

unsigned pxe_stage_rank(unsigned stage)
{
    /* ARP right after the ACK: the client resolves the proxyDHCP server,
     * the boot server or the TFTP server, so "reached arp" is only news
     * when nothing after it came */
    static const uint8_t path[] = {
        PXE_STAGE_DISCOVER, PXE_STAGE_OFFER, PXE_STAGE_PROXY_OFFER, PXE_STAGE_REQUEST,
        PXE_STAGE_ACK, PXE_STAGE_ARP, PXE_STAGE_PROXY_REQUEST, PXE_STAGE_PROXY_ACK,
        PXE_STAGE_BOOTSRV_REQUEST, PXE_STAGE_BOOTSRV_ACK, PXE_STAGE_TFTP_REQUEST,
        PXE_STAGE_TFTP_OACK, PXE_STAGE_TFTP_DATA, PXE_STAGE_TFTP_ACK,
        PXE_STAGE_HTTP_REQUEST, PXE_STAGE_HTTP_RESPONSE, PXE_STAGE_HTTP_DATA, PXE_STAGE_HTTP_ACK,
    };
    for (unsigned i = 0; i < sizeof path; i++)
        if (path[i] == stage)
            return i + 1;
    return 0;
}

int pxe_stage_got_address(unsigned stage)
{
    return pxe_stage_rank(stage) >= pxe_stage_rank(PXE_STAGE_REQUEST);
}
