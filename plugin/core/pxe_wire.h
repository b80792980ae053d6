/* pxe_wire.h - read the boot tracker's input straight from packet bytes: the
 * UDP payload of a DHCP or TFTP message, an ARP packet, an ICMPv4
 * destination unreachable.  The plugin hands these functions the bytes the
 * DHCP/TFTP/ARP/ICMP dissectors were given, so no protocol tree is needed.
 *
 * Plain C, no Wireshark, no allocation: strings are copied NUL-terminated
 * (non-printable bytes replaced by '?') into a caller-provided scratch
 * struct, and the const char * of pxe_dhcp_t / pxe_tftp_t point into it, so
 * they stay valid as long as the scratch struct is neither reused nor freed.
 * Every read is bounds-checked against the given length; each parser runs
 * in one pass over its input (no recursion) and returns false for input it
 * cannot read (truncated, malformed, or not the kind it parses).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_WIRE_H
#define PXE_WIRE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pxe_engine.h"

/* Longest strings kept, without the NUL.  A DHCP option holds 255 bytes;
 * RFC 3396 lets a long option span several instances, which are
 * concatenated up to this size.  The file field holds 128.  A TFTP request
 * or error fits in 512 bytes (RFC 1350, RFC 2347). */
#define PXE_WIRE_DHCP_STR_MAX 1023
#define PXE_WIRE_TFTP_STR_MAX 511

typedef struct {
    char vendor_class[PXE_WIRE_DHCP_STR_MAX + 1];
    char host_name[PXE_WIRE_DHCP_STR_MAX + 1];
    char client_fqdn[PXE_WIRE_DHCP_STR_MAX + 1];
    char user_class[PXE_WIRE_DHCP_STR_MAX + 1];
    char uuid[37];           /* 8-4-4-4-12 hex digits and NUL */
    char bootfile[PXE_WIRE_DHCP_STR_MAX + 1];
    char tftp_server_name[PXE_WIRE_DHCP_STR_MAX + 1];
    char tftp_file[PXE_WIRE_TFTP_STR_MAX + 1];
    char tftp_err_msg[PXE_WIRE_TFTP_STR_MAX + 1];
    char relay_info[2 * 255 + 32];   /* option 82 as text */
} pxe_wire_scratch_t;

/* A DHCP/BOOTP message (the UDP payload, from the op byte).  Reads the fixed
 * header (op, xid, ciaddr..giaddr, chaddr), then the options after the magic
 * cookie, then the file and sname fields when option 52 overloads them.
 * Fills msg_type (53), server_id (54), vendor_class (60), arch (93, the first
 * one listed), bootfile (67, else the file field unless overloaded),
 * tftp_server_name (66), ipxe (77 naming "iPXE", raw or RFC 3004, or 175
 * present), has_pxe_options / boot_item (43 decoded as PXE sub-options when
 * option 60 starts with "PXEClient", as Wireshark does; sub-option 71).
 * For the logs a report joins with: host_name (12, concatenated like 60),
 * client_fqdn (81's name, the first instance: ASCII, or DNS labels joined
 * with '.' when the E flag is set), user_class (77, the first instance: RFC
 * 3004 classes joined with ',' when the bytes parse so, else the raw bytes),
 * uuid (97 type 0 with 16 bytes, the first instance: 8-4-4-4-12 lower-case
 * hex, the first three fields little-endian as SMBIOS stores them and
 * Wireshark shows dhcp.client_id.uuid), requested_addr (50) and lease_time
 * (51), each only from a well-formed first instance.
 * Returns false when shorter than the fixed header (236 bytes), when an
 * option runs past the end, or when chaddr is not an Ethernet address
 * (htype 1 or 6, hlen 6): the tracker keys clients by MAC. */
bool pxe_wire_dhcp(const uint8_t *p, size_t len, pxe_dhcp_t *out, pxe_wire_scratch_t *s);

/* A DHCPv6 message (the UDP payload, from the message type), RELAY-FORW /
 * RELAY-REPL unwrapped to the innermost message (the innermost non-zero
 * link-address kept).  Fills the DHCPv6 part of pxe_dhcp_t and, from the
 * options: secs (8, elapsed time), vendor_class (16, the first class after
 * the enterprise number), user_class (15, the first class), ipxe (a class
 * "iPXE" in 15 or 16), bootfile (59, the boot file URL), arch (61, the first
 * listed), the DUID (1, chaddr from a DUID-LL/LLT of Ethernet), the first
 * IA_NA/IA_TA address and the first status code (13).  Returns false for a
 * message shorter than its header, an option running past the end, a relay
 * message without option 9 or nested deeper than 32 relays, and unknown
 * message types. */
bool pxe_wire_dhcp6(const uint8_t *p, size_t len, pxe_dhcp_t *out, pxe_wire_scratch_t *s);

/* The MAC in a modified EUI-64 link-local address (fe80::/64 with ff:fe in
 * the middle), as SLAAC forms it; false for any other address. */
bool pxe_wire_eui64_mac(const uint8_t a[16], uint8_t mac[6]);

/* A TFTP message (the UDP payload).  len is the number of bytes captured,
 * wire_len the payload's length on the wire (the UDP length less 8; >= len,
 * larger when the capture was cut by a snap length): DATA's data_len is
 * wire_len - 4, so a truncated capture still counts the bytes sent.
 * RRQ/WRQ: file and the options tsize, blksize, windowsize (names in any
 * case, decimal values; -1 when absent or not a number); DATA/ACK: block;
 * ERROR: code and message (up to its NUL or the end of the bytes, non-
 * printable bytes replaced); OACK: the options.  Returns false for opcodes
 * other than 1..6 and for a message cut inside its fixed part or inside a
 * request's file name, mode or option. */
bool pxe_wire_tftp(const uint8_t *p, size_t len, size_t wire_len, pxe_tftp_t *out,
                   pxe_wire_scratch_t *s);

/* An ARP packet (from the hardware type).  Ethernet/IPv4 only: false for any
 * other hardware or protocol type or length, or when shorter than 28. */
bool pxe_wire_arp(const uint8_t *p, size_t len, pxe_arp_t *out);

/* An ICMPv4 message (from the type byte).  True for a destination
 * unreachable (type 3, any code) quoting an IPv4 datagram that carries UDP
 * (first fragment), with at least the UDP ports quoted; out gets the quoted
 * datagram's addresses and ports. */
bool pxe_wire_icmp_unreach(const uint8_t *p, size_t len, pxe_icmp_t *out);

/* A UDP header: ports and the length field.  False when shorter than 8. */
bool pxe_wire_udp(const uint8_t *p, size_t len, uint16_t *sport, uint16_t *dport,
                  uint16_t *ulen);

#endif
