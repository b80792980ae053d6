/* pxe_wire_http.h - read a TCP header and the head of an HTTP/1.x message
 * straight from packet bytes, for UEFI HTTP boot (the firmware's
 * HttpBootDxe, or iPXE, fetching the boot program over HTTP).
 *
 * Plain C, no Wireshark, no allocation, like pxe_wire.h: the strings of an
 * HTTP head are copied NUL-terminated (non-printable bytes replaced by '?',
 * cut to fit) into a caller-provided scratch struct, and the const char * of
 * pxe_http_t point into it, so they stay valid as long as the scratch struct
 * is neither reused nor freed.  Every read is bounds-checked against the
 * given length and each parser runs in one forward pass over its input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_WIRE_HTTP_H
#define PXE_WIRE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pxe_engine.h"

/* The strings of one HTTP head. */
typedef struct {
    char method[16];
    char target[1024];
    char host[256];
} pxe_wire_http_scratch_t;

/* A TCP header from its first byte.  caplen: bytes captured from the header
 * on; wire_len: the segment's length on the wire (header + payload, from the
 * IP layer), >= caplen when a snap length cut it (less when the capture has
 * link-layer padding after the segment).  Fills seq, ack, flags (FIN, SYN,
 * RST, PSH, ACK), window (unscaled), payload_len = wire_len - data offset.
 * *payload_off (when not NULL) gets the data offset, the header's length; it
 * may lie beyond caplen when the capture ends inside the options.  False when
 * caplen < 20, the data offset is < 20, or it lies beyond wire_len. */
bool pxe_wire_tcp(const uint8_t *p, size_t caplen, size_t wire_len, pxe_tcp_t *out, size_t *payload_off);

/* The head of an HTTP/1.x message starting at p[0] (a segment's payload,
 * len bytes captured).  Request: "METHOD SP request-target SP HTTP/1.x CRLF"
 * (method: 1..15 upper-case letters); response: "HTTP/1.x SP 3DIGIT
 * [SP reason] CRLF" with a status of 100..599.  LF alone is accepted as a
 * line end.  The first line must end within len.  Then the complete header
 * lines up to the blank line or the end of the bytes (a line cut by the end
 * is ignored): Host (requests; the first one, NULL when absent or empty),
 * Content-Length (decimal, the first one; -1 if absent, malformed or
 * > 2^62), Transfer-Encoding containing "chunked" (names and value in any
 * case).  head_len = the offset just past the blank line, or -1 when the
 * blank line is not within len.
 * kind = PXE_HTTP_NONE, and false, for anything else: other protocols, TLS,
 * binary data, a body segment, a first line cut by the end of the bytes. */
bool pxe_wire_http(const uint8_t *p, size_t len, pxe_http_t *out, pxe_wire_http_scratch_t *s);

#endif
