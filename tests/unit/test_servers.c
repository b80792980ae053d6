/* test_servers.c - which DHCP server answered, from its reply's option
 * layout (pxe_servers.c), on the layouts the lab's captures show.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>
#include <string.h>

#include "pxe_servers.h"

static pxe_dhcp_t reply(const uint8_t *codes, unsigned n)
{
    pxe_dhcp_t d;
    memset(&d, 0, sizeof d);
    d.op = 2;
    memcpy(d.opt_order, codes, n);
    d.n_opt_order = (uint8_t)n;
    return d;
}

static void test_layouts(void)
{
    /* samples/captures/bios-pxelinux-ok (dnsmasq), bios-dhcpd-tftpd-hpa-ok,
     * relay-bios-ok (ISC dhcpd), uefi-kea-atftpd-ok (Kea) */
    static const uint8_t dnsmasq[] = {53, 54, 51, 67, 58, 59, 1, 28};
    static const uint8_t dhcpd[] = {53, 54, 51, 1, 3};
    static const uint8_t kea[] = {53, 1, 51, 54};
    static const uint8_t other[] = {53, 1, 58, 59, 51, 54};
    pxe_dhcp_t d = reply(dnsmasq, sizeof dnsmasq);
    g_assert_cmpint(pxe_server_kind(&d), ==, PXE_SERVER_DNSMASQ);
    d = reply(dhcpd, sizeof dhcpd);
    g_assert_cmpint(pxe_server_kind(&d), ==, PXE_SERVER_ISC_DHCPD);
    d = reply(kea, sizeof kea);
    g_assert_cmpint(pxe_server_kind(&d), ==, PXE_SERVER_KEA);
    d = reply(other, sizeof other);
    g_assert_cmpint(pxe_server_kind(&d), ==, PXE_SERVER_UNKNOWN);
    g_assert_nonnull(strstr(pxe_server_bootfile_setting(PXE_SERVER_UNKNOWN), "option 67"));
    /* WDS's own options win over the layout */
    d = reply(dhcpd, sizeof dhcpd);
    d.wds_next_action = 3;
    g_assert_cmpint(pxe_server_kind(&d), ==, PXE_SERVER_WINDOWS);
    /* a client message, a DHCPv6 message, too few options: unknown */
    d = reply(dnsmasq, sizeof dnsmasq);
    d.op = 1;
    g_assert_cmpint(pxe_server_kind(&d), ==, PXE_SERVER_UNKNOWN);
    d = reply(dnsmasq, 2);
    g_assert_cmpint(pxe_server_kind(&d), ==, PXE_SERVER_UNKNOWN);
    g_assert_cmpstr(pxe_server_name(PXE_SERVER_KEA), ==, "Kea");
    g_assert_null(pxe_server_name(PXE_SERVER_UNKNOWN));
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/servers/layouts", test_layouts);
    return g_test_run();
}
