/* pxe_servers.c - DHCP server software from its replies' option layout.
 *
 * The layouts, as the lab's captures and the servers' sources show them:
 * dnsmasq sends 53, 54, 51 and then its renewal times 58 and 59 before the
 * rest; ISC dhcpd sends 53, 54, 51 and no 58/59 unless configured; Kea
 * sends 53 and then every option in ascending code order; Windows WDS
 * adds its own options 250/252.  Anything else stays unknown: the advice is
 * then generic.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_servers.h"

#include <stddef.h>

static bool has(const pxe_dhcp_t *d, uint8_t code)
{
    for (unsigned i = 0; i < d->n_opt_order; i++)
        if (d->opt_order[i] == code)
            return true;
    return false;
}

/* 53 first, then strictly ascending codes (at least three of them). */
static bool ascending_after_53(const pxe_dhcp_t *d)
{
    if (d->n_opt_order < 4 || d->opt_order[0] != 53)
        return false;
    for (unsigned i = 2; i < d->n_opt_order; i++)
        if (d->opt_order[i] <= d->opt_order[i - 1])
            return false;
    return true;
}

pxe_server_kind_t pxe_server_kind(const pxe_dhcp_t *d)
{
    if (d->v6 || d->op != 2 || d->n_opt_order < 3)
        return PXE_SERVER_UNKNOWN;
    if (d->wds_next_action || has(d, 252) || has(d, 250))
        return PXE_SERVER_WINDOWS;
    bool dhcpd_head = d->opt_order[0] == 53 && d->opt_order[1] == 54 && d->opt_order[2] == 51;
    if (dhcpd_head && has(d, 58) && has(d, 59))
        return PXE_SERVER_DNSMASQ;
    if (dhcpd_head)
        return PXE_SERVER_ISC_DHCPD;
    if (ascending_after_53(d))
        return PXE_SERVER_KEA;
    return PXE_SERVER_UNKNOWN;
}

const char *pxe_server_name(pxe_server_kind_t kind)
{
    switch (kind) {
    case PXE_SERVER_DNSMASQ: return "dnsmasq";
    case PXE_SERVER_ISC_DHCPD: return "ISC dhcpd";
    case PXE_SERVER_KEA: return "Kea";
    case PXE_SERVER_WINDOWS: return "Windows DHCP/WDS";
    case PXE_SERVER_UNKNOWN: break;
    }
    return NULL;
}

const char *pxe_server_bootfile_setting(pxe_server_kind_t kind)
{
    switch (kind) {
    case PXE_SERVER_DNSMASQ:
        return "dnsmasq: dhcp-boot=<file>,,<tftp server address> (or pxe-service=), "
               "with dhcp-match/tag for the client's architecture";
    case PXE_SERVER_ISC_DHCPD:
        return "ISC dhcpd: filename \"<file>\"; and next-server <tftp server>; in the "
               "subnet, host or class (dhcpd.conf)";
    case PXE_SERVER_KEA:
        return "Kea: \"boot-file-name\" and \"next-server\" in the subnet or client class "
               "(kea-dhcp4.conf; check the class test matches)";
    case PXE_SERVER_WINDOWS:
        return "Windows DHCP: scope options 066 (boot server) and 067 (boot file name), or "
               "let WDS answer PXE (its PXE Response settings)";
    case PXE_SERVER_UNKNOWN: break;
    }
    return "the DHCP server's boot file (option 67 / filename) and next-server (siaddr)";
}
