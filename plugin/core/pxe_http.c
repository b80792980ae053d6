/* pxe_http.c - HTTP boot rules: a boot client's GET/HEAD over TCP, the
 * server's answer, and the body counted by sequence number, as a transfer
 * like a TFTP one (the same NBP, progress and verdict rules apply).
 *
 * Only TCP segments to or from an address a known client was given are
 * looked at, and a connection is followed once the client sends an HTTP
 * request head on it: O(1) work and state per boot connection, none for
 * any other TCP.  The body is counted without reassembly: the highest
 * sequence number the server sent past the head, so a retransmitted
 * segment counts once.  https cannot be read: a client whose boot file is
 * an https URL has its first connection to port 443 followed for sizes
 * only, its server's bytes counted and a normal close taken for the whole
 * file (note https-sizes).
 *
 * Codes: http-404, http-403, http-error (other 4xx, 5xx), http-cut (the
 * connection reset or closed, by either side, before Content-Length bytes
 * came, or before any answer).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"
#include "pxe_files.h"

#include <string.h>

/* One followed connection: its current request. */
typedef struct {
    guint64 key;
    pxe_xfer_t *x;           /* the current request's transfer, NULL before one */
    bool head_only;          /* the request is a HEAD */
    bool answered;           /* its status line came */
    bool decided;            /* complete, failed, refused or redirected: nothing more to judge */
    bool head_open;          /* the response head goes on in the next segment */
    bool tls;                /* https: sizes only */
    uint32_t req_seq;        /* the request's sequence number: the same again is a resend */
    uint16_t status;
    int64_t content_length;
    uint32_t body_seq;       /* sequence number of the body's first byte */
    uint32_t seen_end;       /* body bytes seen so far (highest end - body_seq) */
} pxe_http_flow_t;

static guint64 flow_key(uint32_t client_ip, uint16_t client_port)
{
    return ((guint64)client_ip << 16) | client_port;
}

bool pxe_http_relevant(pxe_engine_t *e, const pxe_pkt_t *p)
{
    return pxe_client_by_ip(e, p->ip_src) || pxe_client_by_ip(e, p->ip_dst);
}

void pxe_http_free(pxe_engine_t *e)
{
    if (e->http_flows)
        g_hash_table_destroy(e->http_flows);
}

static pxe_http_flow_t *flow_get(pxe_engine_t *e, uint32_t ip, uint16_t port, bool create)
{
    if (!e->http_flows) {
        if (!create)
            return NULL;
        e->http_flows = g_hash_table_new(g_int64_hash, g_int64_equal);
    }
    guint64 k = flow_key(ip, port);
    pxe_http_flow_t *f = g_hash_table_lookup(e->http_flows, &k);
    if (f || !create)
        return f;
    f = pxe_alloc(e, sizeof *f);
    f->key = k;
    g_hash_table_insert(e->http_flows, &f->key, f);
    return f;
}

/* The client sent its unanswered request again (TCP retransmission). */
static bool resent(const pxe_http_flow_t *f, const pxe_pkt_t *p)
{
    return f->x && !f->answered && f->req_seq == p->tcp.seq;
}

#define HTTPS_PORT 443

/* The client's first connection to port 443 while its boot file is an
 * https URL: the transfer of that file, as far as sizes tell. */
static pxe_rec_t *on_tls_start(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p)
{
    const pxe_attempt_t *a = c->attempt;
    if (p->dport != HTTPS_PORT || !a || !a->bootfile || !(p->tcp.flags & PXE_TCP_SYN) ||
        pxe_url_split(a->bootfile).scheme != PXE_URL_HTTPS || (a->nbp && a->nbp->http))
        return NULL;
    pxe_http_flow_t *f = flow_get(e, p->ip_src, p->sport, true);
    pxe_xfer_t *x = pxe_alloc(e, sizeof *x);
    x->http = true;
    x->server_port = p->dport;
    pxe_rec_t *rec = pxe_xfer_start(e, c, x, p, PXE_STAGE_HTTP_REQUEST, a->bootfile);
    f->x = x;
    f->tls = f->answered = true;
    f->decided = f->head_open = false;
    f->content_length = -1;
    f->seen_end = 0;
    f->body_seq = 0;
    c->pending_xfer = NULL;
    uint32_t ev[] = {p->frame};
    pxe_diag_add(e, c, x->attempt, PXE_CODE_HTTPS_SIZES, ev, 1,
                 "%s is fetched over https: the transfer is encrypted, so only its size is "
                 "counted and a normal close taken for the whole file",
                 a->bootfile);
    return rec;
}

/* A request head from the client: a new transfer on the connection. */
static pxe_rec_t *on_request(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p)
{
    const pxe_http_t *h = &p->http;
    pxe_http_flow_t *f = flow_get(e, p->ip_src, p->sport, true);
    if (resent(f, p)) {
        pxe_rec_t *rec = pxe_xfer_rec(e, p, PXE_STAGE_HTTP_REQUEST, f->x);
        rec->prev_in = f->x->rrq_frame;
        f->x->retransmissions++;
        return rec;
    }
    bool head_only = h->method && strcmp(h->method, "HEAD") == 0;
    pxe_xfer_t *x = pxe_alloc(e, sizeof *x);
    x->http = true;
    x->server_port = p->dport;
    pxe_rec_t *rec = pxe_xfer_start(e, c, x, p, PXE_STAGE_HTTP_REQUEST, h->target ? h->target : "/");
    if (f->x && f->x->last_rec && !f->decided)
        rec->prev_in = f->x->rrq_frame;  /* the connection's earlier request */
    f->x = x;
    f->head_only = head_only;
    f->req_seq = p->tcp.seq;
    f->answered = f->decided = f->head_open = false;
    f->status = 0;
    f->content_length = -1;
    f->seen_end = 0;
    c->pending_xfer = NULL;  /* TFTP's pending-transfer rules do not apply */
    return rec;
}

/* The file the status refuses, as its diagnosis. */
static void refused(pxe_engine_t *e, pxe_http_flow_t *f)
{
    pxe_xfer_t *x = f->x;
    uint32_t ev[] = {x->rrq_frame};
    char b[PXE_ADDR_STRLEN];
    x->failed = true;
    f->decided = true;
    if (pxe_file_is_probe(x->file)) {
        pxe_diag_add(e, x->client, x->attempt, PXE_CODE_PROBE_MISS, ev, 1,
                     "%s answers %u for %s, an optional file the boot loader probes for (normal)",
                     pxe_addr_str(e, x->server_ip, b), f->status, x->file);
        return;
    }
    pxe_code_t code = f->status == 404 ? PXE_CODE_HTTP_404
                      : f->status == 403 ? PXE_CODE_HTTP_403 : PXE_CODE_HTTP_ERROR;
    pxe_diag_add(e, x->client, x->attempt, code, ev, 1,
                 "HTTP server %s answers %u to %s %s%s - %s",
                 pxe_addr_str(e, x->server_ip, b), f->status, f->head_only ? "HEAD" : "GET", x->file,
                 x->nbp ? ", the boot file itself" : "",
                 f->status == 404 ? "put the file under the web server's root, or fix the URL "
                                    "(option 67 / option 59)"
                 : f->status == 403 ? "let the web server's user read the file and its directory"
                                    : "check the web server's error log");
}

/* A 3xx: the file is elsewhere; when it was the boot file, the request
 * that follows the redirect is. */
static void redirected(pxe_http_flow_t *f)
{
    pxe_xfer_t *x = f->x;
    x->redirected = true;
    f->decided = true;
    if (x->nbp && x->attempt->nbp == x) {
        x->attempt->nbp = NULL;
        x->attempt->bootfile = NULL;
    }
}

static void on_body(pxe_engine_t *e, pxe_http_flow_t *f, const pxe_pkt_t *p);

/* The status line and headers of the answer to the current request. */
static void on_response(pxe_engine_t *e, pxe_http_flow_t *f, const pxe_pkt_t *p, pxe_rec_t *rec)
{
    const pxe_http_t *h = &p->http;
    pxe_xfer_t *x = f->x;
    f->answered = true;
    f->status = h->status;
    f->content_length = h->content_length;
    rec->stage = PXE_STAGE_HTTP_RESPONSE;
    pxe_link(pxe_engine_record(e, x->rrq_frame), rec);
    f->head_open = h->head_len < 0;
    f->body_seq = p->tcp.seq + (uint32_t)(h->head_len >= 0 ? h->head_len : 0);
    if (h->content_length >= 0 && h->status < 300)
        x->tsize = h->content_length;    /* an error page's length is not the file's */
    if (h->status >= 400)
        refused(e, f);
    else if (h->status >= 300)
        redirected(f);
    else if (f->head_only) {
        x->aborted_probe = true;  /* a size probe, as a TFTP tsize request */
        f->decided = true;
    } else if (!f->head_open) {
        on_body(e, f, p);         /* body bytes in the head's own segment */
    }
}

/* A head that did not end in its first segment ends in this one: its
 * blank line places the body. */
static bool head_ends_here(pxe_http_flow_t *f, const pxe_pkt_t *p)
{
    const uint8_t *b = p->tcp.payload;
    uint32_t n = p->tcp.payload_caplen;
    for (uint32_t i = 0; b && i + 1 < n; i++) {
        uint32_t end = b[i] == '\n' && b[i + 1] == '\n' ? i + 2
                       : i + 3 < n && memcmp(b + i, "\r\n\r\n", 4) == 0 ? i + 4 : 0;
        if (end) {
            f->body_seq = p->tcp.seq + end;
            f->head_open = false;
            return true;
        }
    }
    return false;
}

/* Body bytes: the highest end the server reached. */
static void on_body(pxe_engine_t *e, pxe_http_flow_t *f, const pxe_pkt_t *p)
{
    pxe_xfer_t *x = f->x;
    uint32_t end = p->tcp.seq + p->tcp.payload_len - f->body_seq;
    if (p->tcp.payload_len == 0 || (int32_t)end <= 0)
        return;   /* no data, or bytes of the head only */
    if (end <= f->seen_end)
        x->retransmissions++;
    else
        f->seen_end = end;
    x->bytes = f->seen_end;
    x->blocks++;
    if (f->content_length >= 0 && (int64_t)x->bytes >= f->content_length) {
        f->decided = true;
        pxe_xfer_complete(e, x, p);
    }
}

/* The server closed or reset: complete when the body had no length, cut
 * when it had one that did not arrive. */
static void on_close(pxe_engine_t *e, pxe_http_flow_t *f, const pxe_pkt_t *p, bool reset)
{
    pxe_xfer_t *x = f->x;
    if (f->decided || !f->answered)
        return;
    f->decided = true;
    if (f->content_length < 0 && !reset) {
        pxe_xfer_complete(e, x, p);
        return;
    }
    char b[PXE_ADDR_STRLEN];
    uint32_t ev[] = {x->rrq_frame};
    x->failed = true;
    pxe_diag_add(e, x->client, x->attempt, PXE_CODE_HTTP_CUT, ev, 1,
                 "the connection to %s %s after %" G_GUINT64_FORMAT " of %" G_GINT64_FORMAT
                 " bytes of %s - check the web server's log and any proxy or firewall "
                 "between (idle or size limits)",
                 pxe_addr_str(e, x->server_ip, b), reset ? "was reset" : "closed", x->bytes,
                 f->content_length, x->file);
}

/* The client closed or reset before its file was whole: the server's
 * data stopped coming (a stalled window) or never came. */
static void client_gave_up(pxe_engine_t *e, pxe_http_flow_t *f, const pxe_pkt_t *p)
{
    pxe_xfer_t *x = f->x;
    if (f->decided)
        return;
    f->decided = true;
    bool reset = (p->tcp.flags & PXE_TCP_RST) != 0;
    if (f->tls && !reset && x->bytes) {
        pxe_xfer_complete(e, x, p);   /* https: a normal close after data is all we see */
        return;
    }
    x->failed = true;
    char b[PXE_ADDR_STRLEN];
    uint32_t ev[] = {x->rrq_frame};
    if (!f->answered) {
        pxe_diag_add(e, x->client, x->attempt, PXE_CODE_HTTP_CUT, ev, 1,
                     "%s sent no answer to the request for %s before the client %s the "
                     "connection - check the web server (hung, overloaded) and any proxy between",
                     pxe_addr_str(e, x->server_ip, b), x->file, reset ? "reset" : "closed");
        return;
    }
    pxe_diag_add(e, x->client, x->attempt, PXE_CODE_HTTP_CUT, ev, 1,
                 "the client %s the connection after %" G_GUINT64_FORMAT " bytes of %s from %s: "
                 "the server's data stopped coming (a stalled window) - check the path's MTU "
                 "and any firewall or proxy between, then the web server",
                 reset ? "reset" : "closed", x->bytes, x->file, pxe_addr_str(e, x->server_ip, b));
}

static pxe_rec_t *from_server(pxe_engine_t *e, pxe_http_flow_t *f, const pxe_pkt_t *p)
{
    pxe_xfer_t *x = f->x;
    pxe_rec_t *rec = pxe_xfer_rec(e, p, PXE_STAGE_HTTP_DATA, x);
    if (f->tls && !f->body_seq && p->tcp.payload_len)
        f->body_seq = p->tcp.seq;    /* the server's first bytes (its TLS hello) */
    if (p->http.kind == PXE_HTTP_RESPONSE && !f->answered)
        on_response(e, f, p, rec);
    else if (f->answered && !f->decided && (!f->head_open || head_ends_here(f, p)))
        on_body(e, f, p);
    if (p->tcp.flags & (PXE_TCP_FIN | PXE_TCP_RST))
        on_close(e, f, p, (p->tcp.flags & PXE_TCP_RST) != 0);
    return rec;
}

pxe_rec_t *pxe_http_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    pxe_http_flow_t *f = flow_get(e, p->ip_src, p->sport, false);
    if (p->http.kind == PXE_HTTP_REQUEST) {
        pxe_client_t *c = pxe_client_by_ip(e, p->ip_src);
        return c ? on_request(e, c, p) : NULL;
    }
    if (!f && p->dport == HTTPS_PORT) {
        pxe_client_t *c = pxe_client_by_ip(e, p->ip_src);
        pxe_rec_t *rec = c ? on_tls_start(e, c, p) : NULL;
        if (rec)
            return rec;
    }
    if (f && f->x) {
        pxe_rec_t *rec = pxe_xfer_rec(e, p, PXE_STAGE_HTTP_ACK, f->x);
        if (p->tcp.flags & (PXE_TCP_FIN | PXE_TCP_RST))
            client_gave_up(e, f, p);
        return rec;
    }
    f = flow_get(e, p->ip_dst, p->dport, false);
    if (f && f->x)
        return from_server(e, f, p);
    return NULL;
}
