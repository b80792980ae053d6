/* pxe_frame.h - run a step at the end of every frame's dissection, after
 * every protocol in it, without registering a postdissector (pxe_frame.c).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_FRAME_H
#define PXE_FRAME_H

#include <epan/packet.h>

/* tree: the frame's tree (NULL without one). */
typedef void (*pxe_frame_fn)(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree);

/* Wrap every "wtap_encap" entry (from proto_reg_handoff: plugins hand off
 * after all built-in dissectors, so the entries exist). */
void pxe_frame_handoff(pxe_frame_fn fn);

#endif
