/* pxe_codes.c - the table of diagnosis codes.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_codes.h"

#include <string.h>

static const pxe_code_info_t codes[PXE_CODE_COUNT] = {
    [PXE_CODE_E51] = {"PXE-E51", "e51", PXE_SEV_ERROR, "No DHCP or proxyDHCP offers were received"},
    [PXE_CODE_E52] = {"PXE-E52", "e52", PXE_SEV_ERROR, "proxyDHCP offers were received, no DHCP offers"},
    [PXE_CODE_E53] = {"PXE-E53", "e53", PXE_SEV_ERROR, "No boot filename received"},
    [PXE_CODE_E55] = {"PXE-E55", "e55", PXE_SEV_ERROR, "proxyDHCP service did not reply to request on port 4011"},
    [PXE_CODE_E11] = {"PXE-E11", "e11", PXE_SEV_ERROR, "ARP timeout"},
    [PXE_CODE_E32] = {"PXE-E32", "e32", PXE_SEV_ERROR, "TFTP open timeout"},
    [PXE_CODE_E35] = {"PXE-E35", "e35", PXE_SEV_ERROR, "TFTP read timeout"},
    [PXE_CODE_E36] = {"PXE-E36", "e36", PXE_SEV_ERROR, "Error received from TFTP server"},
    [PXE_CODE_E38] = {"PXE-E38", "e38", PXE_SEV_ERROR, "TFTP cannot open connection"},
    [PXE_CODE_E3B] = {"PXE-E3B", "e3b", PXE_SEV_ERROR, "TFTP error - file not found"},
    [PXE_CODE_E3C] = {"PXE-E3C", "e3c", PXE_SEV_ERROR, "TFTP error - access violation"},
    [PXE_CODE_E3F] = {"PXE-E3F", "e3f", PXE_SEV_ERROR, "TFTP packet size is invalid"},
    [PXE_CODE_E7B] = {"PXE-E7B", "e7b", PXE_SEV_ERROR, "Missing MTFTP server IP address"},
    [PXE_CODE_ARCH_MISMATCH] = {"arch-mismatch", "arch_mismatch", PXE_SEV_ERROR,
                                "Boot file built for another firmware than the client's"},
    [PXE_CODE_CHAINLOAD_LOOP] = {"chainload-loop", "chainload_loop", PXE_SEV_ERROR,
                                 "iPXE is handed iPXE again: endless chainload"},
    [PXE_CODE_BOOT_RESTART] = {"boot-restart", "boot_restart", PXE_SEV_ERROR,
                               "Client fetched its boot file and started over: the file did not run"},
    [PXE_CODE_COMPETING_DHCP] = {"competing-dhcp", "competing_dhcp", PXE_SEV_WARNING,
                                 "Several DHCP servers offer addresses with different boot data"},
    [PXE_CODE_OFFER_INCOMPLETE] = {"offer-incomplete", "offer_incomplete", PXE_SEV_WARNING,
                                   "Offer carries only part of the boot data (next-server, boot file)"},
    [PXE_CODE_DHCP_NAK] = {"dhcp-nak", "dhcp_nak", PXE_SEV_WARNING, "DHCP server refused the request (NAK)"},
    [PXE_CODE_DHCP_DECLINE] = {"dhcp-decline", "dhcp_decline", PXE_SEV_WARNING,
                               "Client declined the offered address"},
    [PXE_CODE_PROBE_MISS] = {"probe-miss", "probe_miss", PXE_SEV_NOTE,
                             "Boot loader probed for an optional file that is not there (normal)"},
    [PXE_CODE_TSIZE_PROBE] = {"tsize-probe", "tsize_probe", PXE_SEV_NOTE,
                              "Client asked for the file size and aborted (normal)"},
    [PXE_CODE_TFTP_RETRANSMIT] = {"tftp-retransmit", "tftp_retransmit", PXE_SEV_NOTE,
                                  "TFTP packets were sent again (loss on the path)"},
    [PXE_CODE_SECOND_STAGE_DHCP] = {"second-stage-dhcp", "second_stage_dhcp", PXE_SEV_NOTE,
                                    "The boot program ran and does its own DHCP"},
    [PXE_CODE_NBP_STALLED] = {"nbp-stalled", "nbp_stalled", PXE_SEV_ERROR,
                              "The boot program arrived but did not run or hung"},
    [PXE_CODE_DHCP_RESTART] = {"dhcp-restart", "dhcp_restart", PXE_SEV_ERROR,
                               "The client started DHCP over before its boot file arrived"},
    [PXE_CODE_DUPLICATE] = {"duplicate", "duplicate", PXE_SEV_NOTE,
                            "The same packet captured twice, counted once"},
    [PXE_CODE_FAMILY_UNANSWERED] = {"family-unanswered", "family_unanswered", PXE_SEV_NOTE,
                                    "DHCP of one IP family went unanswered, the other served the client"},
    [PXE_CODE_HTTP_404] = {"http-404", "http_404", PXE_SEV_ERROR, "HTTP server: boot file not found (404)"},
    [PXE_CODE_HTTP_403] = {"http-403", "http_403", PXE_SEV_ERROR, "HTTP server: access to the boot file forbidden (403)"},
    [PXE_CODE_HTTP_ERROR] = {"http-error", "http_error", PXE_SEV_ERROR,
                             "HTTP server answered the boot file request with an error status"},
    [PXE_CODE_HTTP_CUT] = {"http-cut", "http_cut", PXE_SEV_ERROR,
                           "HTTP transfer ended (reset or closed) before the whole file arrived"},
    [PXE_CODE_URL_TO_PXE] = {"url-to-pxe", "url_to_pxe", PXE_SEV_ERROR,
                             "An HTTP URL was handed to a PXE client, which can fetch by TFTP only"},
    [PXE_CODE_WDS_ABORT] = {"wds-abort", "wds_abort", PXE_SEV_ERROR,
                            "WDS / Configuration Manager will not boot this computer (abortpxe.com)"},
    [PXE_CODE_WDS_PENDING] = {"wds-pending-approval", "wds_pending_approval", PXE_SEV_WARNING,
                              "WDS holds the computer until an administrator approves it"},
    [PXE_CODE_E78] = {"PXE-E78", "e78", PXE_SEV_ERROR, "Could not locate boot server"},
    [PXE_CODE_ONE_WAY] = {"one-way-capture", "one_way_capture", PXE_SEV_NOTE,
                          "Only the client's side is captured: its ACKs and next request show the file arrived"},
    [PXE_CODE_HTTPS_SIZES] = {"https-sizes", "https_sizes", PXE_SEV_NOTE,
                              "HTTPS boot file: encrypted, only its size is counted"},
};

const pxe_code_info_t *pxe_code_info(pxe_code_t code)
{
    return (unsigned)code < PXE_CODE_COUNT ? &codes[code] : NULL;
}

const char *pxe_code_edk2_screen(pxe_code_t code)
{
    /* EFI_TIMEOUT -> E18, EFI_NO_RESPONSE -> E16 (offers, none usable, or
     * the boot server silent), EFI_ICMP_ERROR -> E22, EFI_TFTP_ERROR -> E23;
     * as the lab's OVMF consoles show (samples/verdicts.tsv) */
    switch (code) {
    case PXE_CODE_E51: return "PXE-E18: Server response timeout";
    case PXE_CODE_E52:
    case PXE_CODE_E53:
    case PXE_CODE_E55:
    case PXE_CODE_E78: return "PXE-E16: No valid offer received";
    case PXE_CODE_E11:
    case PXE_CODE_E32:
    case PXE_CODE_E35: return "PXE-E18: Server response timeout";
    case PXE_CODE_E38: return "PXE-E22: Client received ICMP error from server";
    case PXE_CODE_E36:
    case PXE_CODE_E3B:
    case PXE_CODE_E3C:
    case PXE_CODE_E3F: return "PXE-E23: Client received TFTP error from server";
    default: return NULL;
    }
}

int pxe_code_from_string(const char *s)
{
    if (!s)
        return -1;
    for (int i = 0; i < PXE_CODE_COUNT; i++)
        if (strcmp(codes[i].code, s) == 0)
            return i;
    return -1;
}

const char *pxe_severity_name(pxe_severity_t sev)
{
    switch (sev) {
    case PXE_SEV_ERROR: return "error";
    case PXE_SEV_WARNING: return "warning";
    case PXE_SEV_NOTE: return "note";
    }
    return "?";
}

int pxe_severity_from_string(const char *s)
{
    if (!s)
        return 0;
    if (strcmp(s, "error") == 0)
        return PXE_SEV_ERROR;
    if (strcmp(s, "warning") == 0)
        return PXE_SEV_WARNING;
    if (strcmp(s, "note") == 0)
        return PXE_SEV_NOTE;
    return 0;
}
