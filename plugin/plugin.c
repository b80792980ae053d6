/* plugin.c - the entry points Wireshark looks for in a plugin library: the
 * pxe protocol and its statistics tree (a tap listener).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/proto.h>
#include <epan/tap.h>

#include "pxe_compat.h"
#include "pxe_stats.h"

#if PXE_WS_AT_LEAST(4, 4)
#include <wsutil/plugins.h>   /* WS_PLUGIN_DESC_DISSECTOR, from 4.4 on */
#endif

#ifndef PXEDIAG_VERSION
#define PXEDIAG_VERSION "0.0.0"
#endif

void proto_register_pxe(void);
void proto_reg_handoff_pxe(void);

WS_DLL_PUBLIC_DEF const gchar plugin_version[] = PXEDIAG_VERSION;
WS_DLL_PUBLIC_DEF const int plugin_want_major = WIRESHARK_VERSION_MAJOR;
WS_DLL_PUBLIC_DEF const int plugin_want_minor = WIRESHARK_VERSION_MINOR;

WS_DLL_PUBLIC void plugin_register(void);
#if PXE_WS_AT_LEAST(4, 4)
WS_DLL_PUBLIC uint32_t plugin_describe(void);

uint32_t plugin_describe(void)
{
    return WS_PLUGIN_DESC_DISSECTOR | WS_PLUGIN_DESC_TAP_LISTENER;
}
#endif

void plugin_register(void)
{
    static proto_plugin plug_pxe;

    plug_pxe.register_protoinfo = proto_register_pxe;
    plug_pxe.register_handoff = proto_reg_handoff_pxe;
    proto_register_plugin(&plug_pxe);

    /* the statistics tree (tshark -z pxe,tree, Statistics > PXE) */
    static tap_plugin plug_stats;

    plug_stats.register_tap_listener = pxe_stats_register_tree;
    tap_register_plugin(&plug_stats);
}
