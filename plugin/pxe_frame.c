/* pxe_frame.c - the plugin's step at the end of every frame (move the boot
 * model's clock, add the pxe tree) without a postdissector: Wireshark's call
 * of a postdissector costs about 700 instructions a packet, boot traffic or
 * not, this wrapper about 120.  Every entry of the "wtap_encap" table (the
 * link layer the frame dissector hands each packet to) is wrapped; the real
 * link-layer dissector runs unchanged, then the step runs, also when that
 * dissector ended in an exception (a malformed packet).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/exceptions.h>
#include <epan/packet.h>
#include <wiretap/wtap.h>

#include "pxe_frame.h"

static pxe_frame_fn frame_fn;
static GPtrArray *orig;      /* encapsulation -> the dissector_handle_t it had */

static int frame_step(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, void *data)
{
    int encap = pinfo->rec ? pinfo->rec->rec_header.packet_header.pkt_encap : -1;
    dissector_handle_t h = encap >= 0 && (guint)encap < orig->len ? g_ptr_array_index(orig, encap) : NULL;
    if (!h)
        return 0;
    volatile int ret = 0;
    TRY {
        ret = call_dissector_only(h, tvb, pinfo, tree, data);
    }
    CATCH_ALL {
        frame_fn(tvb, pinfo, tree);
        RETHROW;
    }
    ENDTRY;
    frame_fn(tvb, pinfo, tree);
    return ret;
}

static void collect(const gchar *table _U_, ftenum_t type _U_, gpointer key, gpointer value,
                    gpointer user_data)
{
    dissector_handle_t h = dtbl_entry_get_handle((dtbl_entry_t *)value);
    guint encap = GPOINTER_TO_UINT(key);
    GPtrArray *a = user_data;
    if (!h || encap > 4096)
        return;
    if (encap >= a->len)
        g_ptr_array_set_size(a, encap + 1);
    g_ptr_array_index(a, encap) = h;
}

void pxe_frame_handoff(pxe_frame_fn fn)
{
    frame_fn = fn;
    if (orig)
        return;
    orig = g_ptr_array_new();
    dissector_table_foreach("wtap_encap", collect, orig);
    /* protocol -1: no layer of its own, never "disabled" (see pxe_hook.c) */
    dissector_handle_t wrapper = create_dissector_handle_with_name_and_description(
        frame_step, -1, "pxe_frame", "Link layer (PXE frame step)");
    for (guint encap = 0; encap < orig->len; encap++)
        if (g_ptr_array_index(orig, encap))
            dissector_add_uint("wtap_encap", encap, wrapper);
}
