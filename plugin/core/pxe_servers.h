/* pxe_servers.h - which DHCP server software answered, from how it lays out
 * its replies, so a diagnosis can name the setting to change in that
 * server's own terms (and stay generic when the layout tells nothing).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_SERVERS_H
#define PXE_SERVERS_H

#include "pxe_engine.h"

typedef enum {
    PXE_SERVER_UNKNOWN = 0,
    PXE_SERVER_DNSMASQ,
    PXE_SERVER_ISC_DHCPD,
    PXE_SERVER_KEA,
    PXE_SERVER_WINDOWS
} pxe_server_kind_t;

/* The server behind a DHCPv4 reply. */
pxe_server_kind_t pxe_server_kind(const pxe_dhcp_t *reply);

/* "dnsmasq", "ISC dhcpd", "Kea", "Windows DHCP/WDS", NULL for UNKNOWN. */
const char *pxe_server_name(pxe_server_kind_t kind);

/* Where that server sets the boot file and its TFTP server, for "what to
 * check": "dhcp-boot=<file>,<name>,<tftp server>" ...; a generic text for
 * UNKNOWN. */
const char *pxe_server_bootfile_setting(pxe_server_kind_t kind);

#endif
