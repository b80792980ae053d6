/* pxe_dhcp_checks.c - what a DHCP reply can prove wrong on its own, apart
 * from the exchange's flow (pxe_dhcp.c): the boot file against the firmware
 * (arch-mismatch), iPXE handed itself (chainload-loop), a URL for a TFTP-only
 * client (url-to-pxe), WDS's abort and pending approval, and a boot file
 * without a TFTP server (PXE-E7B).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"
#include "pxe_files.h"
#include "pxe_servers.h"

#include <string.h>
#include <strings.h>

/* Firmware against the NBP's build. */
static void check_arch(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const char *file)
{
    pxe_attempt_t *a = c->attempt;
    if (!c->has_arch || a->phase != 1)
        return;
    int efi = pxe_arch_is_efi(c->arch), fefi = pxe_file_is_efi(file);
    if (efi < 0 || fefi < 0 || efi == fefi)
        return;
    const char *an = pxe_arch_name(c->arch);
    a->arch_mismatch = true;
    uint32_t ev[1] = {cy->first_discover_rec ? cy->first_discover_rec->frame : 0};
    pxe_diag_add(e, c, a, PXE_CODE_ARCH_MISMATCH, ev, 1,
                 "%s client (option 93 = %u) is handed %s, a %s boot file - serve "
                 "the %s build (dhcp-match on option 93 / client arch)",
                 an ? an : "this", c->arch, file, fefi ? "UEFI" : "BIOS", efi ? "UEFI" : "BIOS");
}

/* iPXE handed an iPXE image it already ran. */
static void check_loop(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const pxe_rec_t *rec,
                       const char *file)
{
    pxe_attempt_t *a = c->attempt;
    if (!cy->ipxe || !pxe_file_is_ipxe(file) || a->loop_reported)
        return;
    for (unsigned i = 0; i < a->n_ipxe_seen; i++) {
        if (!pxe_file_same(a->ipxe_seen[i], file))
            continue;
        char b[PXE_ADDR_STRLEN];
        uint32_t ev[1] = {a->last_nbp_frame};
        a->loop_reported = true;
        pxe_diag_add(e, c, a, PXE_CODE_CHAINLOAD_LOOP, ev, 1,
                     "iPXE (DHCP with user class iPXE) is handed %s again by %s - match "
                     "option 77 \"iPXE\" on the DHCP server and give iPXE its script "
                     "or the next file instead",
                     file, pxe_addr_str(e, rec->dhcp_server, b));
        return;
    }
}

/* An http:// boot file handed to a PXE client, which speaks TFTP only
 * (HTTPClient and iPXE fetch URLs). */
static void check_url(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const char *file)
{
    pxe_url_scheme_t scheme = pxe_url_split(file).scheme;
    const char *vc = cy->vendor_class;
    if ((scheme != PXE_URL_HTTP && scheme != PXE_URL_HTTPS) || cy->ipxe || !vc ||
        strncmp(vc, "PXEClient", 9) != 0)
        return;
    uint32_t ev[1] = {cy->first_discover_rec ? cy->first_discover_rec->frame : 0};
    pxe_diag_add(e, c, c->attempt, PXE_CODE_URL_TO_PXE, ev, 1,
                 "the PXE client (vendor class PXEClient) is handed the URL %s, but PXE fetches "
                 "by TFTP only - serve a TFTP file name to PXEClient and the URL only to "
                 "HTTPClient (UEFI HTTP boot) or iPXE (option 77)",
                 file);
}

/* WDS and Configuration Manager answer a computer they will not boot
 * with abortpxe.com (their NextAction "abort" in option 250): the ROM
 * then boots the next device. */
static void check_abort(pxe_engine_t *e, pxe_client_t *c, const pxe_rec_t *rec, const char *file)
{
    if (strncasecmp(pxe_file_base(file), "abortpxe.", 9) != 0)
        return;
    char b[PXE_ADDR_STRLEN];
    pxe_diag_add(e, c, c->attempt, PXE_CODE_WDS_ABORT, NULL, 0,
                 "%s hands the client %s: the WDS / Configuration Manager server will not boot "
                 "this computer (WDS option 250 NextAction abort: unknown computers refused, "
                 "not approved; ConfigMgr: no deployment for this computer, see SMSPXE.log) - "
                 "approve or prestage the computer, or deploy a task sequence to it",
                 pxe_addr_str(e, rec->dhcp_server, b), file);
}

/* WDS holds a computer it does not know until an administrator approves
 * it: its reply to wdsnbp says so (option 250 NextAction 1), and wdsnbp
 * polls until approved or timed out. */
void pxe_dhcp_check_wds(pxe_engine_t *e, pxe_client_t *c, const pxe_dhcp_t *d, uint32_t server)
{
    char b[PXE_ADDR_STRLEN];
    if (d->op == 2 && d->wds_next_action == 5) {
        pxe_diag_add(e, c, c->attempt, PXE_CODE_WDS_ABORT, NULL, 0,
                     "WDS %s tells wdsnbp.com to abort (option 250 NextAction 5): the computer "
                     "was rejected in Pending Devices, or WDS answers known computers only - "
                     "approve or prestage it",
                     pxe_addr_str(e, server, b));
        return;
    }
    if (d->wds_next_action != 1 || d->wds_action_done || d->op != 2)
        return;
    pxe_diag_add(e, c, c->attempt, PXE_CODE_WDS_PENDING, NULL, 0,
                 "WDS %s holds this computer pending approval (option 250 NextAction 1, request "
                 "ID %u); wdsnbp.com polls until an administrator approves it - approve it "
                 "(WDSUTIL /Approve-AutoAddDevices /RequestId:%u) or prestage the computer",
                 pxe_addr_str(e, server, b), d->wds_request_id, d->wds_request_id);
}

/* An ACK without next-server: only UEFI firmware falls back to option 54's
 * server.  Without option 66 either, a PXE ROM has no server to ask
 * (PXE-E7B at once); iPXE ignores option 66 (the lab's console: "Nothing to
 * boot"); vendor PXE ROMs differ (many use it), so such a client fails only
 * when it then fetches nothing. */
void pxe_dhcp_check_next_server(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const pxe_pkt_t *p,
                                uint32_t server)
{
    const pxe_dhcp_t *d = &p->dhcp;
    if (d->siaddr || c->family == PXE_FAMILY_EDK2 || d->has_pxe_options || cy->proxy_offers ||
        c->attempt->phase != 1 || pxe_url_split(d->bootfile).scheme != PXE_URL_NONE)
        return;
    cy->e7b_server = server;
    cy->e7b_server_kind = (uint8_t)pxe_server_kind(d);
    if (d->tftp_server_name && *d->tftp_server_name && c->family != PXE_FAMILY_IPXE) {
        pxe_track_start(e, &cy->fetch, PXE_TRACK_FETCH, cy, c, cy->attempt,
                        &pxe_family_clock(c->family)->nbp, p);
        return;
    }
    char b[PXE_ADDR_STRLEN];
    pxe_diag_add(e, c, cy->attempt, PXE_CODE_E7B, NULL, 0,
                 "ACK from %s names %s but no TFTP server: siaddr is 0.0.0.0%s; the client "
                 "has no server to ask - set next-server: %s",
                 pxe_addr_str(e, server, b), d->bootfile,
                 d->tftp_server_name ? " (iPXE does not use option 66)" : " and there is no option 66",
                 pxe_server_bootfile_setting(pxe_server_kind(d)));
}

void pxe_dhcp_judge_fetch(pxe_engine_t *e, pxe_cycle_t *cy)
{
    char b[PXE_ADDR_STRLEN];
    pxe_attempt_t *a = cy->attempt;
    uint32_t ev[1] = {cy->ack_rec ? cy->ack_rec->frame : 0};
    pxe_diag_add(e, cy->fetch.client, a, PXE_CODE_E7B, ev, 1,
                 "ACK from %s names %s but gives the TFTP server only as option 66, and the "
                 "client fetched nothing within %.0f s: a PXE ROM needs next-server (siaddr) - "
                 "set next-server: %s",
                 pxe_addr_str(e, cy->e7b_server, b), a->bootfile ? a->bootfile : "a boot file",
                 e->now - cy->fetch.first_ts,
                 pxe_server_bootfile_setting((pxe_server_kind_t)cy->e7b_server_kind));
}

void pxe_dhcp_check_bootfile(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const pxe_rec_t *rec,
                             const char *file)
{
    check_arch(e, c, cy, file);
    check_loop(e, c, cy, rec, file);
    check_url(e, c, cy, file);
    check_abort(e, c, rec, file);
}
