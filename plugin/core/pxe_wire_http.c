/* pxe_wire_http.c - parse a TCP header and an HTTP/1.x message head from
 * their bytes into the boot tracker's input (see pxe_wire_http.h).
 *
 * The HTTP parser reads lines left to right with memchr() and never goes
 * back, so it is linear in its input.  It recognises a head by its first
 * line alone, and strictly: a segment in the middle of a body, TLS, or any
 * other protocol on the port must not pass for one.  The header lines after
 * it are read leniently (lines that are not "name: value" are skipped), as
 * a wrong header costs less than missing the status of a boot file.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_wire_http.h"

#include <glib.h>
#include <string.h>

#define TCP_MIN_HDR 20
/* FIN, SYN, RST, PSH, ACK: the flags pxe_tcp_t keeps */
#define TCP_FLAG_MASK 0x1f

#define HTTP_METHOD_MAX 15
#define HTTP_VERSION_LEN 8       /* "HTTP/1.x" */
#define HTTP_STATUS_LINE_MIN 12  /* "HTTP/1.x 200" */
#define HTTP_LENGTH_MAX ((uint64_t)1 << 62)

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

bool pxe_wire_tcp(const uint8_t *p, size_t caplen, size_t wire_len, pxe_tcp_t *out, size_t *payload_off)
{
    if (!p || !out || caplen < TCP_MIN_HDR)
        return false;
    size_t doff = (size_t)(p[12] >> 4) * 4;
    if (doff < TCP_MIN_HDR || doff > wire_len)
        return false;
    memset(out, 0, sizeof *out);
    out->seq = get32(p + 4);
    out->ack = get32(p + 8);
    out->flags = p[13] & TCP_FLAG_MASK;
    out->window = get16(p + 14);
    size_t payload = wire_len - doff;
    out->payload_len = payload > UINT32_MAX ? UINT32_MAX : (uint32_t)payload;
    if (payload_off)
        *payload_off = doff;
    return true;
}

/* ---- HTTP ---- */

typedef struct {
    pxe_http_t *h;
    pxe_wire_http_scratch_t *s;
    bool seen_host, seen_length;
} http_head_t;

/* A copy of n bytes, cut to fit dst, non-printable bytes replaced. */
static const char *copy_str(char *dst, size_t cap, const uint8_t *v, size_t n)
{
    size_t m = n < cap - 1 ? n : cap - 1;
    for (size_t i = 0; i < m; i++)
        dst[i] = (v[i] >= 0x20 && v[i] <= 0x7e) ? (char)v[i] : '?';
    dst[m] = '\0';
    return dst;
}

/* The line at *off: its bytes without the LF and a CR before it; *off moves
 * past the LF.  False when no LF ends a line within len. */
static bool next_line(const uint8_t *p, size_t len, size_t *off, const uint8_t **line, size_t *n)
{
    if (*off >= len)
        return false;
    const uint8_t *lf = memchr(p + *off, '\n', len - *off);
    if (!lf)
        return false;
    size_t end = (size_t)(lf - p);
    *line = p + *off;
    *n = end - *off;
    if (*n > 0 && (*line)[*n - 1] == '\r')
        (*n)--;
    *off = end + 1;
    return true;
}

static bool is_version(const uint8_t *v, size_t n)
{
    return n == HTTP_VERSION_LEN && memcmp(v, "HTTP/1.", 7) == 0 && g_ascii_isdigit(v[7]);
}

/* A request-target byte: visible, not a space (bytes past ASCII are let
 * through, as some clients send raw UTF-8; the copy shows them as '?'). */
static bool is_target_byte(uint8_t c)
{
    return c > 0x20 && c != 0x7f;
}

/* "METHOD SP target SP HTTP/1.x"; out is written only when it is one. */
static bool request_line(const uint8_t *l, size_t n, pxe_http_t *out, pxe_wire_http_scratch_t *s)
{
    size_t m = 0;
    while (m < n && m <= HTTP_METHOD_MAX && g_ascii_isupper(l[m]))
        m++;
    if (m == 0 || m > HTTP_METHOD_MAX || m >= n || l[m] != ' ')
        return false;
    size_t t = m + 1, te = t;
    while (te < n && is_target_byte(l[te]))
        te++;
    if (te == t || te >= n || l[te] != ' ' || !is_version(l + te + 1, n - te - 1))
        return false;
    out->method = copy_str(s->method, sizeof s->method, l, m);
    out->target = copy_str(s->target, sizeof s->target, l + t, te - t);
    return true;
}

/* "HTTP/1.x SP 3DIGIT [SP reason]"; out is written only when it is one. */
static bool status_line(const uint8_t *l, size_t n, pxe_http_t *out)
{
    if (n < HTTP_STATUS_LINE_MIN || !is_version(l, HTTP_VERSION_LEN) || l[8] != ' ')
        return false;
    if (!g_ascii_isdigit(l[9]) || !g_ascii_isdigit(l[10]) || !g_ascii_isdigit(l[11]))
        return false;
    if (n > HTTP_STATUS_LINE_MIN && l[12] != ' ')
        return false;
    unsigned status = (unsigned)(l[9] - '0') * 100 + (unsigned)(l[10] - '0') * 10 + (unsigned)(l[11] - '0');
    if (status < 100 || status > 599)
        return false;
    out->status = (uint16_t)status;
    return true;
}

/* Leading and trailing spaces and tabs off a header value (RFC 9110 OWS). */
static void trim_ows(const uint8_t **v, size_t *n)
{
    while (*n > 0 && (**v == ' ' || **v == '\t')) {
        (*v)++;
        (*n)--;
    }
    while (*n > 0 && ((*v)[*n - 1] == ' ' || (*v)[*n - 1] == '\t'))
        (*n)--;
}

/* Whether the n bytes are name, in any case. */
static bool name_is(const uint8_t *l, size_t n, const char *name)
{
    return n == strlen(name) && g_ascii_strncasecmp((const char *)l, name, n) == 0;
}

/* A Content-Length value: digits only, at most 2^62; else -1. */
static int64_t content_length(const uint8_t *v, size_t n)
{
    if (n == 0)
        return -1;
    uint64_t x = 0;
    for (size_t i = 0; i < n; i++) {
        if (!g_ascii_isdigit(v[i]))
            return -1;
        uint64_t d = (uint64_t)(v[i] - '0');
        if (x > (HTTP_LENGTH_MAX - d) / 10)
            return -1;
        x = x * 10 + d;
    }
    return (int64_t)x;
}

/* Whether the n bytes contain word, in any case. */
static bool contains_ci(const uint8_t *v, size_t n, const char *word)
{
    size_t k = strlen(word);
    for (size_t i = 0; i + k <= n; i++)
        if (g_ascii_strncasecmp((const char *)v + i, word, k) == 0)
            return true;
    return false;
}

/* One "name: value" line; anything else is skipped. */
static void header_line(http_head_t *st, const uint8_t *l, size_t n)
{
    const uint8_t *colon = memchr(l, ':', n);
    if (!colon)
        return;
    size_t name_len = (size_t)(colon - l);
    const uint8_t *v = colon + 1;
    size_t vn = n - name_len - 1;
    trim_ows(&v, &vn);
    pxe_http_t *h = st->h;
    if (name_is(l, name_len, "host")) {
        if (h->kind == PXE_HTTP_REQUEST && !st->seen_host && vn > 0)
            h->host = copy_str(st->s->host, sizeof st->s->host, v, vn);
        st->seen_host = true;
    } else if (name_is(l, name_len, "content-length")) {
        if (!st->seen_length)
            h->content_length = content_length(v, vn);
        st->seen_length = true;
    } else if (name_is(l, name_len, "transfer-encoding")) {
        if (contains_ci(v, vn, "chunked"))
            h->chunked = true;
    }
}

/* The header lines from off up to the blank line (setting head_len) or to
 * the last complete line. */
static void header_lines(http_head_t *st, const uint8_t *p, size_t len, size_t off)
{
    const uint8_t *line;
    size_t n;
    while (next_line(p, len, &off, &line, &n)) {
        if (n == 0) {
            st->h->head_len = (int32_t)off;
            return;
        }
        header_line(st, line, n);
    }
}

/* What the first bytes can start: a response, a request, or neither; a
 * quick test so binary data is not searched for a line end. */
static pxe_http_kind_t first_bytes(const uint8_t *p, size_t len)
{
    if (len >= 5 && memcmp(p, "HTTP/", 5) == 0)
        return PXE_HTTP_RESPONSE;
    return g_ascii_isupper(p[0]) ? PXE_HTTP_REQUEST : PXE_HTTP_NONE;
}

bool pxe_wire_http(const uint8_t *p, size_t len, pxe_http_t *out, pxe_wire_http_scratch_t *s)
{
    if (!out)
        return false;
    memset(out, 0, sizeof *out);
    out->kind = PXE_HTTP_NONE;
    out->content_length = -1;
    out->head_len = -1;
    if (!p || !s || len == 0)
        return false;
    /* head_len is an int32_t: a head is never near that long */
    if (len > INT32_MAX)
        len = INT32_MAX;
    pxe_http_kind_t kind = first_bytes(p, len);
    size_t off = 0, n;
    const uint8_t *line;
    if (kind == PXE_HTTP_NONE || !next_line(p, len, &off, &line, &n))
        return false;
    bool ok = kind == PXE_HTTP_REQUEST ? request_line(line, n, out, s) : status_line(line, n, out);
    if (!ok)
        return false;
    out->kind = (uint8_t)kind;
    http_head_t st = {.h = out, .s = s};
    header_lines(&st, p, len, off);
    return true;
}
