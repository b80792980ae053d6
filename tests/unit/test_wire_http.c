/* test_wire_http.c - unit tests of the TCP header and HTTP head parsers
 * (plugin/core/pxe_wire_http.c): the request OVMF's HttpBootDxe sends, the
 * responses it gets (a head split across segments, 404, chunked), strict
 * first lines against other protocols, TLS and body bytes, every prefix of
 * each message, TCP headers with options, and mutated copies.
 *
 * Each input is copied into a heap block of exactly its length, so a read
 * past the end shows under valgrind or AddressSanitizer.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <glib.h>

#include <string.h>

#include "pxe_wire_http.h"

/* A string literal's bytes, without its NUL */
#define LIT(s) (const uint8_t *)(s), sizeof(s) - 1

/* OVMF HttpBootDxe: the size probe (HEAD) and the download (GET), with the
 * headers HttpBootClient.c adds, in its order. */
static const char OVMF_HEAD[] =
    "HEAD /snponly.efi HTTP/1.1\r\n"
    "Host: 192.0.2.1\r\n"
    "Accept: */*\r\n"
    "User-Agent: UefiHttpBoot/1.0\r\n"
    "\r\n";
static const char OVMF_GET[] =
    "GET /boot/x64/snponly.efi HTTP/1.1\r\n"
    "Host: 192.0.2.1:8080\r\n"
    "Accept: */*\r\n"
    "User-Agent: UefiHttpBoot/1.0\r\n"
    "\r\n";
/* a server's 200: the segment ends after Content-Length, before the blank line */
static const char OK_SPLIT[] =
    "HTTP/1.1 200 OK\r\n"
    "Server: nginx/1.22.1\r\n"
    "Content-Type: application/efi\r\n"
    "Content-Length: 1026560\r\n";
/* the rest of it, in the next segment */
static const char OK_SPLIT_REST[] =
    "Connection: keep-alive\r\n"
    "\r\n"
    "MZ";
static const char NOT_FOUND[] =
    "HTTP/1.1 404 Not Found\r\n"
    "Content-Type: text/html\r\n"
    "Content-Length: 153\r\n"
    "\r\n"
    "<html>";
static const char CHUNKED[] =
    "HTTP/1.1 200 OK\r\n"
    "Transfer-Encoding: gzip, Chunked\r\n"
    "\r\n"
    "1f4\r\n";
/* LF alone ends lines (some embedded servers and scripts) */
static const char LF_ONLY[] =
    "GET /boot/grubx64.efi HTTP/1.0\n"
    "host: Boot.Example\n"
    "Content-Length: 3\n"
    "\n"
    "abc";
/* a TLS 1.2 ClientHello's first bytes (HTTPS boot) */
static const uint8_t TLS_HELLO[] = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03,
                                    0x47, 0x45, 0x54, 0x20, 0x2f, 0x20, 0x48, 0x54, 0x54, 0x50};
/* a body segment: the start of a PE image */
static const uint8_t PE_BODY[] = {'M', 'Z', 0x90, 0x00, 0x03, 0x00, 0x00, 0x00, 0x04, 0x00, '\r', '\n',
                                  0xff, 0xff, 0x00, 0x00, 0xb8, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00};

/* ---- helpers ---- */

/* A copy of the first n bytes in a block of exactly n bytes. */
static uint8_t *prefix(const uint8_t *p, size_t n)
{
    uint8_t *q = g_malloc(n ? n : 1);
    memcpy(q, p, n);
    return q;
}

static void assert_str_ok(const char *str, const char *buf, size_t cap)
{
    if (!str)
        return;
    g_assert_true(str == buf);
    size_t n = strlen(str);
    g_assert_cmpuint(n, <, cap);
    for (size_t i = 0; i < n; i++)
        g_assert_true(str[i] >= 0x20 && str[i] <= 0x7e);
}

/* What holds for every result, whatever the input. */
static void assert_http_sane(bool ok, const pxe_http_t *h, const pxe_wire_http_scratch_t *s, size_t len)
{
    g_assert_cmpuint(ok, ==, h->kind != PXE_HTTP_NONE);
    assert_str_ok(h->method, s->method, sizeof s->method);
    assert_str_ok(h->target, s->target, sizeof s->target);
    assert_str_ok(h->host, s->host, sizeof s->host);
    g_assert_true(h->head_len == -1 || (h->head_len > 0 && (size_t)h->head_len <= len));
    g_assert_cmpint(h->content_length, >=, -1);
    g_assert_cmpint(h->content_length, <=, (int64_t)1 << 62);
    if (!ok) {
        g_assert_null(h->method);
        g_assert_null(h->target);
        g_assert_null(h->host);
        g_assert_cmpint(h->head_len, ==, -1);
        g_assert_cmpint(h->content_length, ==, -1);
        g_assert_false(h->chunked);
    } else if (h->kind == PXE_HTTP_REQUEST) {
        g_assert_nonnull(h->method);
        g_assert_nonnull(h->target);
        g_assert_cmpuint(h->status, ==, 0);
    } else {
        g_assert_cmpuint(h->kind, ==, PXE_HTTP_RESPONSE);
        g_assert_null(h->method);
        g_assert_null(h->host);
        g_assert_cmpuint(h->status, >=, 100);
        g_assert_cmpuint(h->status, <=, 599);
    }
}

/* pxe_wire_http() on a copy of exactly n bytes; out is filled with junk
 * first, so a field the parser forgets to set shows. */
static bool parse_http(const uint8_t *b, size_t n, pxe_http_t *h, pxe_wire_http_scratch_t *s)
{
    uint8_t *p = prefix(b, n);
    memset(h, 0x5a, sizeof *h);
    memset(s, 0x5a, sizeof *s);
    bool ok = pxe_wire_http(p, n, h, s);
    g_free(p);
    assert_http_sane(ok, h, s, n);
    return ok;
}

static bool parse_text(const char *text, pxe_http_t *h, pxe_wire_http_scratch_t *s)
{
    return parse_http((const uint8_t *)text, strlen(text), h, s);
}

/* Where the first line of text ends, just past its LF. */
static size_t first_line_end(const char *text)
{
    const char *lf = strchr(text, '\n');
    g_assert_nonnull(lf);
    return (size_t)(lf - text) + 1;
}

/* ---- HTTP requests ---- */

static void test_http_ovmf(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    g_assert_true(parse_http(LIT(OVMF_HEAD), &h, &s));
    g_assert_cmpuint(h.kind, ==, PXE_HTTP_REQUEST);
    g_assert_cmpstr(h.method, ==, "HEAD");
    g_assert_cmpstr(h.target, ==, "/snponly.efi");
    g_assert_cmpstr(h.host, ==, "192.0.2.1");
    g_assert_cmpuint(h.status, ==, 0);
    g_assert_cmpint(h.content_length, ==, -1);
    g_assert_false(h.chunked);
    g_assert_cmpint(h.head_len, ==, 90);
    g_assert_cmpint(h.head_len, ==, (int32_t)strlen(OVMF_HEAD));

    g_assert_true(parse_http(LIT(OVMF_GET), &h, &s));
    g_assert_cmpstr(h.method, ==, "GET");
    g_assert_cmpstr(h.target, ==, "/boot/x64/snponly.efi");
    g_assert_cmpstr(h.host, ==, "192.0.2.1:8080");
    g_assert_cmpint(h.head_len, ==, (int32_t)strlen(OVMF_GET));

    /* a request with a body: head_len is where the body starts */
    g_assert_true(parse_text("PUT /log HTTP/1.1\r\nContent-Length: 4\r\n\r\nabcd", &h, &s));
    g_assert_cmpstr(h.method, ==, "PUT");
    g_assert_cmpint(h.content_length, ==, 4);
    g_assert_cmpint(h.head_len, ==, 40);
    g_assert_null(h.host);
}

/* Every prefix of the HEAD request: a request once its first line is
 * whole, the Host once its line is, head_len only with the blank line. */
static void test_http_request_prefixes(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    size_t n = strlen(OVMF_HEAD);
    size_t line1 = first_line_end(OVMF_HEAD);
    size_t host_end = line1 + first_line_end(OVMF_HEAD + line1);
    g_assert_cmpuint(line1, ==, 28);
    g_assert_cmpuint(host_end, ==, 45);
    for (size_t i = 0; i <= n; i++) {
        bool ok = parse_http((const uint8_t *)OVMF_HEAD, i, &h, &s);
        g_assert_cmpuint(ok, ==, i >= line1);
        if (!ok)
            continue;
        g_assert_cmpstr(h.method, ==, "HEAD");
        g_assert_cmpstr(h.target, ==, "/snponly.efi");
        if (i >= host_end)
            g_assert_cmpstr(h.host, ==, "192.0.2.1");
        else
            g_assert_null(h.host);
        g_assert_cmpint(h.head_len, ==, i == n ? (int32_t)n : -1);
    }
}

static void test_http_request_lines(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    /* methods: upper-case letters, 1..15 of them */
    g_assert_true(parse_text("ABCDEFGHIJKLMNO / HTTP/1.1\r\n", &h, &s));
    g_assert_cmpstr(h.method, ==, "ABCDEFGHIJKLMNO");
    g_assert_true(parse_text("X * HTTP/1.1\r\n", &h, &s));
    g_assert_cmpstr(h.method, ==, "X");
    g_assert_cmpstr(h.target, ==, "*");
    g_assert_false(parse_text("ABCDEFGHIJKLMNOP / HTTP/1.1\r\n", &h, &s));
    g_assert_false(parse_text("get / HTTP/1.1\r\n", &h, &s));
    g_assert_false(parse_text("GeT / HTTP/1.1\r\n", &h, &s));
    g_assert_false(parse_text(" GET / HTTP/1.1\r\n", &h, &s));
    /* the spaces and the version exactly */
    g_assert_false(parse_text("GET  / HTTP/1.1\r\n", &h, &s));
    g_assert_false(parse_text("GET /  HTTP/1.1\r\n", &h, &s));
    g_assert_false(parse_text("GET / HTTP/1.1 \r\n", &h, &s));
    g_assert_false(parse_text("GET\t/ HTTP/1.1\r\n", &h, &s));
    g_assert_false(parse_text("GET / http/1.1\r\n", &h, &s));
    g_assert_false(parse_text("GET / HTTP/1.x\r\n", &h, &s));
    g_assert_false(parse_text("GET / HTTP/1.10\r\n", &h, &s));
    g_assert_false(parse_text("GET / HTTP/1.\r\n", &h, &s));
    g_assert_false(parse_text("GET /\r\n", &h, &s));   /* HTTP/0.9 */
    g_assert_false(parse_text("GET / HTTP/2.0\r\n", &h, &s));
    g_assert_false(parse_text("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", &h, &s));   /* HTTP/2 preface */
    g_assert_false(parse_text("GET / HTTP/1.1", &h, &s));   /* no line end */
    g_assert_true(parse_text("GET / HTTP/1.0\r\n", &h, &s));
    g_assert_cmpint(h.head_len, ==, -1);
    /* a NUL or control byte in the target is not HTTP */
    g_assert_false(parse_http(LIT("GET /a\0b HTTP/1.1\r\n"), &h, &s));
    g_assert_false(parse_http(LIT("GET /a\x7f HTTP/1.1\r\n"), &h, &s));
}

/* ---- HTTP responses ---- */

static void test_http_response_split(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    g_assert_true(parse_http(LIT(OK_SPLIT), &h, &s));
    g_assert_cmpuint(h.kind, ==, PXE_HTTP_RESPONSE);
    g_assert_cmpuint(h.status, ==, 200);
    g_assert_cmpint(h.content_length, ==, 1026560);
    g_assert_cmpint(h.head_len, ==, -1);
    g_assert_false(h.chunked);
    g_assert_null(h.method);
    g_assert_null(h.target);
    g_assert_null(h.host);

    /* the segment cut inside the Content-Length line: the partial value
     * ("10265") is not taken */
    size_t cut = strlen(OK_SPLIT) - 4;
    g_assert_true(parse_http((const uint8_t *)OK_SPLIT, cut, &h, &s));
    g_assert_cmpint(h.content_length, ==, -1);
    g_assert_cmpint(h.head_len, ==, -1);

    /* the next segment does not start a message */
    g_assert_false(parse_http(LIT(OK_SPLIT_REST), &h, &s));
    g_assert_cmpuint(h.kind, ==, PXE_HTTP_NONE);

    /* both in one segment: head_len just past the blank line, before "MZ" */
    GString *whole = g_string_new(OK_SPLIT);
    g_string_append(whole, OK_SPLIT_REST);
    g_assert_true(parse_http((const uint8_t *)whole->str, whole->len, &h, &s));
    g_assert_cmpint(h.content_length, ==, 1026560);
    g_assert_cmpint(h.head_len, ==, (int32_t)whole->len - 2);
    g_assert_cmpint(h.head_len, ==, 121);
    g_string_free(whole, TRUE);
}

static void test_http_not_found(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    g_assert_true(parse_http(LIT(NOT_FOUND), &h, &s));
    g_assert_cmpuint(h.kind, ==, PXE_HTTP_RESPONSE);
    g_assert_cmpuint(h.status, ==, 404);
    g_assert_cmpint(h.content_length, ==, 153);
    g_assert_cmpint(h.head_len, ==, (int32_t)strlen(NOT_FOUND) - 6);
    g_assert_false(h.chunked);
    /* a Host header in a response is not kept */
    g_assert_true(parse_text("HTTP/1.1 301 Moved\r\nHost: x\r\nLocation: /a\r\n\r\n", &h, &s));
    g_assert_cmpuint(h.status, ==, 301);
    g_assert_null(h.host);
}

/* Status lines cut short, or not quite status lines. */
static void test_http_status_lines(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    size_t line1 = first_line_end(NOT_FOUND);
    g_assert_cmpuint(line1, ==, 24);
    for (size_t i = 0; i <= strlen(NOT_FOUND); i++) {
        bool ok = parse_http((const uint8_t *)NOT_FOUND, i, &h, &s);
        g_assert_cmpuint(ok, ==, i >= line1);
        if (ok)
            g_assert_cmpuint(h.status, ==, 404);
    }
    g_assert_false(parse_text("HTTP/1.1 404 Not Found", &h, &s));
    g_assert_false(parse_text("HTTP/1.1 404", &h, &s));
    g_assert_false(parse_text("HTTP/1.1 40\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/1.1\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/1.1 2000 OK\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/1.1 200OK\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/1.1  200 OK\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/1.1 2x0 OK\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/1.1 099 Low\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/1.1 600 High\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/2 200\r\n", &h, &s));
    g_assert_false(parse_text("HTTP/1.1 200 OK", &h, &s));
    /* no reason phrase, an empty one, the extremes */
    g_assert_true(parse_text("HTTP/1.0 204\r\n\r\n", &h, &s));
    g_assert_cmpuint(h.status, ==, 204);
    g_assert_cmpint(h.head_len, ==, 16);
    g_assert_true(parse_text("HTTP/1.1 100 \r\n", &h, &s));
    g_assert_cmpuint(h.status, ==, 100);
    g_assert_true(parse_text("HTTP/1.1 599 x\r\n", &h, &s));
    g_assert_cmpuint(h.status, ==, 599);
}

static void test_http_chunked(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    g_assert_true(parse_http(LIT(CHUNKED), &h, &s));
    g_assert_cmpuint(h.status, ==, 200);
    g_assert_true(h.chunked);
    g_assert_cmpint(h.content_length, ==, -1);
    g_assert_cmpint(h.head_len, ==, 53);
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\ntransfer-encoding:chunked\r\n", &h, &s));
    g_assert_true(h.chunked);
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\nTRANSFER-ENCODING: CHUNKED\r\n", &h, &s));
    g_assert_true(h.chunked);
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\nTransfer-Encoding: identity\r\n\r\n", &h, &s));
    g_assert_false(h.chunked);
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunk\r\n\r\n", &h, &s));
    g_assert_false(h.chunked);
    /* "chunked" in another header's value does not count */
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\nX-Note: chunked\r\n\r\n", &h, &s));
    g_assert_false(h.chunked);
    /* nor after the blank line */
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\n\r\nTransfer-Encoding: chunked\r\n", &h, &s));
    g_assert_false(h.chunked);
}

static int64_t length_of(const char *value)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    char *text = g_strdup_printf("HTTP/1.1 200 OK\r\nContent-Length:%s\r\n\r\n", value);
    g_assert_true(parse_text(text, &h, &s));
    g_free(text);
    return h.content_length;
}

static void test_http_content_length(void)
{
    g_assert_cmpint(length_of(" 0"), ==, 0);
    g_assert_cmpint(length_of("173792"), ==, 173792);
    g_assert_cmpint(length_of(" \t42 \t"), ==, 42);
    g_assert_cmpint(length_of(" 0000000000000000000000000000012"), ==, 12);
    g_assert_cmpint(length_of(" 4294967296"), ==, G_GINT64_CONSTANT(4294967296));
    /* 2^62 is the largest taken */
    g_assert_cmpint(length_of(" 4611686018427387904"), ==, G_GINT64_CONSTANT(4611686018427387904));
    g_assert_cmpint(length_of(" 4611686018427387905"), ==, -1);
    g_assert_cmpint(length_of(" 9223372036854775807"), ==, -1);
    g_assert_cmpint(length_of(" 18446744073709551617"), ==, -1);
    g_assert_cmpint(length_of(" 99999999999999999999999999999999"), ==, -1);
    g_assert_cmpint(length_of(""), ==, -1);
    g_assert_cmpint(length_of("  "), ==, -1);
    g_assert_cmpint(length_of(" -1"), ==, -1);
    g_assert_cmpint(length_of(" +5"), ==, -1);
    g_assert_cmpint(length_of(" 12a"), ==, -1);
    g_assert_cmpint(length_of(" 1 2"), ==, -1);
    g_assert_cmpint(length_of(" 5, 5"), ==, -1);
    g_assert_cmpint(length_of(" 0x10"), ==, -1);

    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    /* the first one counts, even when it is malformed */
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\nContent-Length: 5\r\ncontent-length: 7\r\n\r\n", &h, &s));
    g_assert_cmpint(h.content_length, ==, 5);
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\nContent-Length: x\r\nContent-Length: 7\r\n\r\n", &h, &s));
    g_assert_cmpint(h.content_length, ==, -1);
    /* not the name with a space before the colon, nor a longer name */
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\nContent-Length : 5\r\nContent-Lengths: 6\r\n\r\n", &h, &s));
    g_assert_cmpint(h.content_length, ==, -1);
}

static void test_http_lf_only(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    g_assert_true(parse_http(LIT(LF_ONLY), &h, &s));
    g_assert_cmpuint(h.kind, ==, PXE_HTTP_REQUEST);
    g_assert_cmpstr(h.method, ==, "GET");
    g_assert_cmpstr(h.target, ==, "/boot/grubx64.efi");
    g_assert_cmpstr(h.host, ==, "Boot.Example");
    g_assert_cmpint(h.content_length, ==, 3);
    g_assert_cmpint(h.head_len, ==, (int32_t)strlen(LF_ONLY) - 3);
    /* mixed line ends */
    g_assert_true(parse_text("HTTP/1.1 200 OK\nContent-Length: 9\r\n\n", &h, &s));
    g_assert_cmpint(h.content_length, ==, 9);
    g_assert_cmpint(h.head_len, ==, 36);
    g_assert_true(parse_text("HTTP/1.1 200 OK\r\n\n", &h, &s));
    g_assert_cmpint(h.head_len, ==, 18);
    /* a CR alone is not a line end */
    g_assert_false(parse_text("HTTP/1.1 200 OK\rContent-Length: 9\r\r", &h, &s));
}

/* Strings: non-printable bytes replaced, long ones cut, empty Host. */
static void test_http_strings(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    g_assert_true(parse_http(LIT("GET /b\xc3\xa9.efi HTTP/1.1\r\nHost: a\x01" "b\r\n\r\n"), &h, &s));
    g_assert_cmpstr(h.target, ==, "/b??.efi");
    g_assert_cmpstr(h.host, ==, "a?b");

    GString *t = g_string_new("GET /");
    for (unsigned i = 0; i < 2000; i++)
        g_string_append_c(t, (char)('a' + i % 26));
    g_string_append(t, " HTTP/1.1\r\nHost: ");
    for (unsigned i = 0; i < 300; i++)
        g_string_append_c(t, 'h');
    g_string_append(t, "\r\n\r\n");
    g_assert_true(parse_http((const uint8_t *)t->str, t->len, &h, &s));
    g_assert_cmpuint(strlen(h.target), ==, sizeof s.target - 1);
    g_assert_true(strncmp(h.target, t->str + 4, sizeof s.target - 1) == 0);
    g_assert_cmpuint(strlen(h.host), ==, sizeof s.host - 1);
    g_assert_cmpint(h.head_len, ==, (int32_t)t->len);
    g_string_free(t, TRUE);

    /* an empty Host is none; the first Host counts */
    g_assert_true(parse_text("GET / HTTP/1.1\r\nHost:  \r\nHost: b\r\n\r\n", &h, &s));
    g_assert_null(h.host);
    g_assert_true(parse_text("GET / HTTP/1.1\r\nHOST:\tserver\t\r\nHost: b\r\n\r\n", &h, &s));
    g_assert_cmpstr(h.host, ==, "server");
    /* lines that are not "name: value" are skipped */
    g_assert_true(parse_text("GET / HTTP/1.1\r\nno colon here\r\n folded\r\n: x\r\nHost: c\r\n\r\n", &h, &s));
    g_assert_cmpstr(h.host, ==, "c");
}

/* ---- not HTTP ---- */

static void test_http_not_http(void)
{
    pxe_http_t h;
    pxe_wire_http_scratch_t s;
    g_assert_false(parse_http(TLS_HELLO, sizeof TLS_HELLO, &h, &s));
    g_assert_cmpuint(h.kind, ==, PXE_HTTP_NONE);
    g_assert_false(parse_http(PE_BODY, sizeof PE_BODY, &h, &s));
    g_assert_cmpuint(h.kind, ==, PXE_HTTP_NONE);
    static const uint8_t zeros[64] = {0};
    g_assert_false(parse_http(zeros, sizeof zeros, &h, &s));
    g_assert_false(parse_text("SSH-2.0-OpenSSH_9.2p1 Debian-2\r\n", &h, &s));
    g_assert_false(parse_text("220 ftp.example FTP server ready\r\n", &h, &s));
    g_assert_false(parse_text("#!ipxe\nchain http://192.0.2.1/boot.ipxe\n", &h, &s));
    g_assert_false(parse_text("\r\n", &h, &s));
    g_assert_false(parse_text("\n", &h, &s));
    /* a body that happens to start with capitals and a space */
    g_assert_false(parse_text("OK THEN\r\n", &h, &s));
    g_assert_false(parse_http((const uint8_t *)"GET", 0, &h, &s));
    /* NULL input; out is still cleared */
    memset(&h, 0x5a, sizeof h);
    g_assert_false(pxe_wire_http(NULL, 10, &h, &s));
    g_assert_cmpuint(h.kind, ==, PXE_HTTP_NONE);
    g_assert_null(h.method);
    g_assert_cmpint(h.head_len, ==, -1);
    g_assert_cmpint(h.content_length, ==, -1);
    g_assert_false(pxe_wire_http((const uint8_t *)"GET / HTTP/1.1\r\n", 16, &h, NULL));
    g_assert_false(pxe_wire_http((const uint8_t *)"GET / HTTP/1.1\r\n", 16, NULL, &s));
}

/* ---- TCP ---- */

/* OVMF's SYN to port 80: data offset 8, options MSS 1460, NOP, window
 * scale 7, SACK permitted, NOP, NOP; 32 bytes */
static const uint8_t TCP_SYN[] = {0xc0, 0x01, 0x00, 0x50, 0x12, 0x34, 0x56, 0x78, 0x00, 0x00, 0x00, 0x00,
                                  0x80, 0x02, 0xfa, 0xf0, 0xbe, 0xef, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4,
                                  0x01, 0x03, 0x03, 0x07, 0x04, 0x02, 0x01, 0x01};
/* the server's data segment: data offset 5, PSH|ACK */
static const uint8_t TCP_DATA[] = {0x00, 0x50, 0xc0, 0x01, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x79,
                                   0x50, 0x18, 0x01, 0xf5, 0x00, 0x00, 0x00, 0x00};

static bool parse_tcp(const uint8_t *b, size_t caplen, size_t wire, pxe_tcp_t *t, size_t *off)
{
    uint8_t *p = prefix(b, caplen);
    memset(t, 0x5a, sizeof *t);
    *off = 12345;
    bool ok = pxe_wire_tcp(p, caplen, wire, t, off);
    g_free(p);
    if (!ok)
        g_assert_cmpuint(*off, ==, 12345);
    return ok;
}

static void test_tcp_options(void)
{
    pxe_tcp_t t;
    size_t off;
    g_assert_true(parse_tcp(TCP_SYN, sizeof TCP_SYN, sizeof TCP_SYN, &t, &off));
    g_assert_cmpuint(off, ==, 32);
    g_assert_cmphex(t.seq, ==, 0x12345678);
    g_assert_cmphex(t.ack, ==, 0);
    g_assert_cmphex(t.flags, ==, PXE_TCP_SYN);
    g_assert_cmpuint(t.window, ==, 64240);
    g_assert_cmpuint(t.payload_len, ==, 0);
    /* captured up to the options' middle only: the header is still read */
    g_assert_true(parse_tcp(TCP_SYN, 20, sizeof TCP_SYN, &t, &off));
    g_assert_cmpuint(off, ==, 32);
    g_assert_cmpuint(t.payload_len, ==, 0);
    /* every shorter capture */
    for (size_t i = 0; i < 20; i++)
        g_assert_false(parse_tcp(TCP_SYN, i, sizeof TCP_SYN, &t, &off));
    /* payload_off may be NULL */
    g_assert_true(pxe_wire_tcp(TCP_SYN, sizeof TCP_SYN, sizeof TCP_SYN, &t, NULL));
    g_assert_false(pxe_wire_tcp(NULL, 20, 20, &t, &off));
    g_assert_false(pxe_wire_tcp(TCP_SYN, 20, 20 + 12, NULL, &off));
}

static void test_tcp_payload(void)
{
    pxe_tcp_t t;
    size_t off;
    g_assert_true(parse_tcp(TCP_DATA, sizeof TCP_DATA, 20 + 1448, &t, &off));
    g_assert_cmpuint(off, ==, 20);
    g_assert_cmphex(t.seq, ==, 0x9abcdef0);
    g_assert_cmphex(t.ack, ==, 0x12345679);
    g_assert_cmphex(t.flags, ==, PXE_TCP_PSH | PXE_TCP_ACK);
    g_assert_cmpuint(t.window, ==, 501);
    g_assert_cmpuint(t.payload_len, ==, 1448);
    /* a frame with link-layer padding: more captured than the segment */
    g_assert_true(parse_tcp(TCP_DATA, sizeof TCP_DATA, 20, &t, &off));
    g_assert_cmpuint(t.payload_len, ==, 0);
    /* a jumbo segment's length is kept whole */
    g_assert_true(parse_tcp(TCP_DATA, sizeof TCP_DATA, 20 + 65000, &t, &off));
    g_assert_cmpuint(t.payload_len, ==, 65000);
}

static void test_tcp_bad_offset(void)
{
    pxe_tcp_t t;
    size_t off;
    uint8_t h[60];
    memset(h, 0, sizeof h);
    memcpy(h, TCP_DATA, sizeof TCP_DATA);
    /* data offsets 0..4 words are below the fixed header */
    for (unsigned words = 0; words < 5; words++) {
        h[12] = (uint8_t)(words << 4);
        g_assert_false(parse_tcp(h, sizeof h, sizeof h, &t, &off));
    }
    /* 15 words = 60 bytes: beyond a 40-byte segment, exactly a 60-byte one */
    h[12] = 0xf0;
    g_assert_false(parse_tcp(h, 40, 40, &t, &off));
    g_assert_false(parse_tcp(h, 40, 59, &t, &off));
    g_assert_true(parse_tcp(h, 40, 60, &t, &off));
    g_assert_cmpuint(off, ==, 60);
    g_assert_cmpuint(t.payload_len, ==, 0);
    g_assert_true(parse_tcp(h, sizeof h, 61, &t, &off));
    g_assert_cmpuint(t.payload_len, ==, 1);
    /* data offset 8 in a 20-byte segment */
    g_assert_false(parse_tcp(TCP_SYN, 20, 20, &t, &off));
    /* the low nibble (reserved bits, NS) is not part of the offset */
    h[12] = 0x51;
    g_assert_true(parse_tcp(h, 20, 20, &t, &off));
    g_assert_cmpuint(off, ==, 20);
}

static void test_tcp_flags(void)
{
    static const struct {
        uint8_t byte;
        uint8_t flags;
    } cases[] = {
        {0x01, PXE_TCP_FIN},
        {0x02, PXE_TCP_SYN},
        {0x04, PXE_TCP_RST},
        {0x08, PXE_TCP_PSH},
        {0x10, PXE_TCP_ACK},
        {0x12, PXE_TCP_SYN | PXE_TCP_ACK},
        {0x11, PXE_TCP_FIN | PXE_TCP_ACK},
        {0x14, PXE_TCP_RST | PXE_TCP_ACK},
        {0x20, 0},                          /* URG is not kept */
        {0xc2, PXE_TCP_SYN},                /* nor ECE, CWR */
        {0xff, PXE_TCP_FIN | PXE_TCP_SYN | PXE_TCP_RST | PXE_TCP_PSH | PXE_TCP_ACK},
        {0x00, 0},
    };
    uint8_t h[20];
    memcpy(h, TCP_DATA, sizeof h);
    for (size_t i = 0; i < G_N_ELEMENTS(cases); i++) {
        pxe_tcp_t t;
        size_t off;
        h[13] = cases[i].byte;
        g_assert_true(parse_tcp(h, sizeof h, sizeof h, &t, &off));
        g_assert_cmphex(t.flags, ==, cases[i].flags);
    }
}

/* ---- all of them ---- */

/* Mutated copies of every message, at random lengths: memory safety and
 * sane results only. */
static void test_mutations(void)
{
    const char *all[] = {OVMF_HEAD, OVMF_GET, OK_SPLIT, OK_SPLIT_REST, NOT_FOUND, CHUNKED, LF_ONLY};
    GRand *r = g_rand_new_with_seed(20261201);
    for (unsigned round = 0; round < 20000; round++) {
        const char *src = all[round % G_N_ELEMENTS(all)];
        size_t n = strlen(src);
        uint8_t *p = prefix((const uint8_t *)src, n);
        unsigned flips = (unsigned)g_rand_int_range(r, 1, 5);
        for (unsigned i = 0; i < flips; i++) {
            size_t at = (size_t)g_rand_int_range(r, 0, (gint32)n);
            /* favour the bytes the parser branches on */
            static const uint8_t special[] = {0, '\r', '\n', ' ', ':', '\t', '0', '9', 'H', 0x80, 0xff};
            p[at] = g_rand_boolean(r) ? special[g_rand_int_range(r, 0, G_N_ELEMENTS(special))]
                                      : (uint8_t)g_rand_int_range(r, 0, 256);
        }
        size_t len = g_rand_boolean(r) ? n : (size_t)g_rand_int_range(r, 0, (gint32)n + 1);
        pxe_http_t h;
        pxe_wire_http_scratch_t s;
        parse_http(p, len, &h, &s);
        pxe_tcp_t t;
        size_t off;
        if (parse_tcp(p, len, len + (size_t)g_rand_int_range(r, 0, 100), &t, &off))
            g_assert_cmpuint(off, >=, 20);
        g_free(p);
    }
    g_rand_free(r);
}

int main(int argc, char **argv)
{
    g_test_init(&argc, &argv, NULL);
    g_test_add_func("/wire_http/http/ovmf", test_http_ovmf);
    g_test_add_func("/wire_http/http/request-prefixes", test_http_request_prefixes);
    g_test_add_func("/wire_http/http/request-lines", test_http_request_lines);
    g_test_add_func("/wire_http/http/response-split", test_http_response_split);
    g_test_add_func("/wire_http/http/not-found", test_http_not_found);
    g_test_add_func("/wire_http/http/status-lines", test_http_status_lines);
    g_test_add_func("/wire_http/http/chunked", test_http_chunked);
    g_test_add_func("/wire_http/http/content-length", test_http_content_length);
    g_test_add_func("/wire_http/http/lf-only", test_http_lf_only);
    g_test_add_func("/wire_http/http/strings", test_http_strings);
    g_test_add_func("/wire_http/http/not-http", test_http_not_http);
    g_test_add_func("/wire_http/tcp/options", test_tcp_options);
    g_test_add_func("/wire_http/tcp/payload", test_tcp_payload);
    g_test_add_func("/wire_http/tcp/bad-offset", test_tcp_bad_offset);
    g_test_add_func("/wire_http/tcp/flags", test_tcp_flags);
    g_test_add_func("/wire_http/mutations", test_mutations);
    return g_test_run();
}
