/* pxe_fields.h - reading the DHCP, TFTP and ICMP fields other dissectors
 * produced into the engine's pxe_pkt_t.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_FIELDS_H
#define PXE_FIELDS_H

#include <epan/packet.h>

#include "core/pxe_engine.h"

/* Look up the hf ids of the fields we read (handoff time). */
void pxe_fields_init(void);

/* A new array of those ids for set_postdissector_wanted_hfids(). */
GArray *pxe_fields_wanted(void);

/* Fill pkt from the tree of the current packet.  Strings point into the
 * packet's fields: valid until the packet is done.  Returns false when the
 * packet is neither DHCP, TFTP nor an ICMP error about UDP. */
bool pxe_fields_extract(proto_tree *tree, packet_info *pinfo, pxe_pkt_t *pkt);

#endif
