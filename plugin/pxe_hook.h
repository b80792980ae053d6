/* pxe_hook.h - hand the boot tracker every DHCP, TFTP, ARP and ICMP
 * destination unreachable packet without asking for a protocol tree.
 *
 * The hook wraps three dissector table entries: "ip.proto" 17 (UDP),
 * "ip.proto" 1 (ICMP) and "ethertype" 0x0806 (ARP).  Each wrapper calls the
 * dissector it replaced, unchanged, then reads the packet's own bytes with
 * core/pxe_wire.c.  A UDP datagram is handed over when the protocol
 * Wireshark dissected directly on top of UDP was DHCP or TFTP (pinfo->layers),
 * so port preferences, Decode As, the TFTP transfer conversations on
 * ephemeral ports and the TFTP heuristic all decide exactly as they do
 * without the plugin.  One exception: Wireshark 4.6 dissects the client's
 * side of a transfer (its ACKs to the server's transfer port) as data, so
 * there a datagram between the two ends of a datagram dissected as TFTP is
 * handed as TFTP too (PXE_TFTP_CLIENT_AS_DATA).  ICMP unreachables are
 * handed when the datagram they quote was dissected as DHCP or TFTP (or
 * quotes no UDP payload to tell).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_HOOK_H
#define PXE_HOOK_H

#include <epan/packet.h>

#include "core/pxe_engine.h"

/* Called once per boot-relevant packet, on every dissection pass (check
 * PINFO_FD_VISITED to run the tracker once), with pkt filled: kind, the
 * dhcp/tftp/arp/icmp part, frame, ts, eth_src, ip_src/ip_dst (host order;
 * for ICMP those of the ICMP message), sport/dport (UDP).  pkt and its
 * strings are valid during the call only.  tvb is the buffer the wrapped
 * dissector was given (UDP header on, ICMP message, ARP packet), for
 * generated items; tree is the frame's tree (NULL without one).
 * Packets quoted inside ICMP errors are not handed on their own.
 * Only IPv4: DHCPv6 and TFTP over IPv6 are not handed (yet). */
typedef void (*pxe_hook_fn)(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree, const pxe_pkt_t *pkt);

/* Install the wrappers (from proto_reg_handoff; plugin handoffs run after
 * all built-in ones, so the entries to wrap exist).  proto: the plugin's
 * protocol; while it is disabled, nothing is parsed or handed (-1: always
 * on).  Calling it again only changes fn and proto. */
void pxe_hook_handoff(int proto, pxe_hook_fn fn);

#endif
