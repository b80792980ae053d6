/* pxe_tftp.c - TFTP rules: tie each transfer to its client and boot attempt,
 * account for it (bytes against tsize, blocks, retransmissions, duration),
 * and diagnose what a transfer can prove: PXE-E32 open timeout, PXE-E35 read
 * timeout, PXE-E36/E3B/E3C server errors, PXE-E38 ICMP unreachable, PXE-E3F
 * oversized DATA, a boot program that arrived and never ran (nbp-stalled),
 * tsize probes and probe misses (normal); stalls named by their shape (at
 * the block-number wrap, right after an OACK granting a blksize the path
 * cannot carry); and boots without DHCP in the capture, by file name or by
 * the client's size probe.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"
#include "pxe_files.h"

#include <math.h>
#include <string.h>

enum { TFTP_RRQ = 1, TFTP_WRQ, TFTP_DATA, TFTP_ACK, TFTP_ERROR, TFTP_OACK };

/* Largest DATA payload a PXE 2.1 ROM accepts. */
#define PXE_MAX_BLKSIZE 1456

static guint64 xfer_key(uint32_t ip, uint16_t port)
{
    return ((guint64)ip << 16) | port;
}

typedef struct {
    guint64 key;
    pxe_xfer_t x;
} xfer_slot_t;

static pxe_xfer_t *xfer_lookup(pxe_engine_t *e, uint32_t ip, uint16_t port)
{
    guint64 k = xfer_key(ip, port);
    xfer_slot_t *s = g_hash_table_lookup(e->xfers, &k);
    return s ? &s->x : NULL;
}

static pxe_xfer_t *xfer_new(pxe_engine_t *e, uint32_t ip, uint16_t port)
{
    xfer_slot_t *s = pxe_alloc(e, sizeof *s);
    s->key = xfer_key(ip, port);
    g_hash_table_replace(e->xfers, &s->key, s);
    return &s->x;
}

/* Files the NBP fetches (pxelinux, syslinux, GRUB) run on the NBP's clock,
 * not the firmware's: pxelinux retries about 30 times over two minutes. */
static const pxe_clock_t *xfer_clock(const pxe_xfer_t *x)
{
    const pxe_attempt_t *a = x->attempt;
    if (!x->nbp && a->nbp && a->nbp->complete && !pxe_file_is_ipxe(a->nbp->file))
        return pxe_family_clock(PXE_FAMILY_OTHER);
    if (x->phase > 1 && a->last_nbp_done && !pxe_file_is_ipxe(a->last_nbp_done))
        return pxe_family_clock(PXE_FAMILY_OTHER);
    return pxe_family_clock(x->client->family);
}

/* Does an RRQ from an unknown address still belong to a boot? */
static bool looks_like_boot_file(const char *f)
{
    return f && (pxe_file_is_efi(f) >= 0 || pxe_file_is_ipxe(f) || pxe_file_is_probe(f) ||
                 strstr(f, "pxelinux") || strstr(f, "ldlinux") || strstr(f, "bootmgr") ||
                 strstr(f, "grub") || strstr(f, "\\Boot\\"));
}

/* ---- boots recognised by behaviour ----
 *
 * Captured at the TFTP server, with DHCP elsewhere, an RRQ from an address no
 * DHCP gave counts as a boot when its name looks like a boot file, or when
 * the client behaves as PXE firmware does: EDK2 and iPXE first ask for the
 * file's size (RRQ with tsize 0), abort after the OACK with ERROR 0 or 8,
 * then ask for the same file again.  A plain tftp client does not abort an
 * OACK and ask again.  Candidate probes live in a ring of PXE_PROBE_MAX
 * entries (the oldest reused first), indexed in the transfers' table under
 * keys of their own, so a packet costs one lookup and the memory is fixed.
 * The probe's own frames stay unmarked: when they pass nothing says yet that
 * they are a boot, and a frame must show the same in one pass and two; the
 * recognised RRQ names them as its evidence. */

#define PXE_PROBE_MAX 128
/* EDK2 sends the real RRQ milliseconds after the abort */
#define PXE_PROBE_RETRY_S 10.0
/* no (address << 16 | port) key has it */
#define PROBE_KEY_BIT (G_GUINT64_CONSTANT(1) << 63)

typedef enum { PROBE_FREE, PROBE_ASKED, PROBE_OACKED, PROBE_ABORTED } probe_state_t;

typedef struct pxe_probe {
    guint64 key;             /* the table's key points here */
    uint8_t state;           /* probe_state_t */
    uint32_t client_ip, server_ip;
    int64_t tsize;           /* the OACK's, -1 when it had none */
    uint32_t frames[3];      /* RRQ, OACK, the client's ERROR */
    double abort_ts;
    char file[256];          /* a longer name is not followed */
} pxe_probe_t;

/* Port 0, which no client sends from, keys an aborted probe by address. */
static pxe_probe_t *probe_lookup(pxe_engine_t *e, uint32_t ip, uint16_t port)
{
    guint64 k = xfer_key(ip, port) | PROBE_KEY_BIT;
    return e->probes ? g_hash_table_lookup(e->xfers, &k) : NULL;
}

static void probe_unindex(pxe_engine_t *e, pxe_probe_t *pr)
{
    /* a newer probe under the same key took it over: leave that one */
    if (pr->state != PROBE_FREE && g_hash_table_lookup(e->xfers, &pr->key) == pr)
        g_hash_table_remove(e->xfers, &pr->key);
    pr->state = PROBE_FREE;
}

static void probe_index(pxe_engine_t *e, pxe_probe_t *pr, uint8_t state, uint32_t ip,
                        uint16_t port)
{
    probe_unindex(e, pr);
    pr->state = state;
    pr->key = xfer_key(ip, port) | PROBE_KEY_BIT;
    g_hash_table_replace(e->xfers, &pr->key, pr);
}

/* An RRQ with tsize 0 from an unknown address: maybe a size probe. */
static void probe_asked(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_tftp_t *t = &p->tftp;
    if (t->opt_tsize != 0 || strlen(t->file) >= sizeof e->probes->file)
        return;
    if (!e->probes)
        e->probes = pxe_alloc(e, PXE_PROBE_MAX * sizeof *e->probes);
    pxe_probe_t *pr = &e->probes[e->probe_next];
    e->probe_next = (e->probe_next + 1) % PXE_PROBE_MAX;
    probe_index(e, pr, PROBE_ASKED, p->ip_src, p->sport);
    pr->client_ip = p->ip_src;
    pr->server_ip = p->ip_dst;
    pr->tsize = -1;
    pr->frames[0] = p->frame;
    pr->frames[1] = pr->frames[2] = 0;
    g_strlcpy(pr->file, t->file, sizeof pr->file);
}

/* An OACK or ERROR of no known transfer: a candidate probe's progress. */
static void probe_reply(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_tftp_t *t = &p->tftp;
    pxe_probe_t *pr;
    if (t->opcode == TFTP_OACK) {
        pr = probe_lookup(e, p->ip_dst, p->dport);
        if (pr && pr->state == PROBE_ASKED && pr->server_ip == p->ip_src) {
            pr->state = PROBE_OACKED;
            pr->tsize = t->opt_tsize;
            pr->frames[1] = p->frame;
        }
        return;
    }
    pr = probe_lookup(e, p->ip_src, p->sport);
    if (t->opcode != TFTP_ERROR || !pr || pr->server_ip != p->ip_dst)
        return;
    if (pr->state == PROBE_OACKED && (t->err_code == 0 || t->err_code == 8)) {
        pr->frames[2] = p->frame;
        pr->abort_ts = p->ts;
        probe_index(e, pr, PROBE_ABORTED, p->ip_src, 0);
    } else {
        probe_unindex(e, pr);
    }
}

/* The aborted size probe an RRQ repeats, or NULL. */
static pxe_probe_t *probe_repeated(pxe_engine_t *e, const pxe_pkt_t *p)
{
    pxe_probe_t *pr = probe_lookup(e, p->ip_src, 0);
    if (!pr || pr->state != PROBE_ABORTED || pr->server_ip != p->ip_dst ||
        p->ts - pr->abort_ts > PXE_PROBE_RETRY_S || !pxe_file_same(pr->file, p->tftp.file))
        return NULL;
    return pr;
}

/* The RRQ that repeated probe pr started transfer x of a new client. */
static void probe_recognised(pxe_engine_t *e, pxe_probe_t *pr, pxe_xfer_t *x)
{
    char b[PXE_ADDR_STRLEN];
    if (x->tsize < 0)
        x->tsize = pr->tsize;
    pxe_diag_add(e, x->client, x->attempt, PXE_CODE_TSIZE_PROBE, pr->frames, 3,
                 "%s asked for the size of %s (tsize %" G_GINT64_FORMAT "), aborted after the "
                 "OACK and asks for it again: a PXE client's size probe (EDK2, iPXE), so this "
                 "is its boot file though no DHCP for it is in the capture",
                 pxe_addr_str(e, x->client_ip, b), x->file, pr->tsize);
    probe_unindex(e, pr);
}

/* ---- judgements (called by the tracker) ---- */

void pxe_tftp_judge_open(pxe_engine_t *e, pxe_xfer_t *x)
{
    char b[PXE_ADDR_STRLEN];
    const pxe_tracker_t *t = &x->rrq;
    uint32_t ev[] = {t->first_frame, t->last_frame};
    double span = e->now - t->first_ts;
    x->failed = true;
    if (x->first_reply_frame) {
        pxe_diag_add(e, x->client, x->attempt, PXE_CODE_E32, ev, 2,
                     "RRQ for %s sent %u time(s), the client gave up after %.1f s; %s answered "
                     "from port %u but the client never acknowledged - a firewall or NAT drops "
                     "the server's replies from its ephemeral port (open the TFTP port range / "
                     "conntrack helper)%s",
                     x->file, t->sends, span, pxe_addr_str(e, x->server_ip, b), x->server_port,
                     x->server_port >= 64001 && x->server_port <= 65000
                         ? "; this is WDS's UDP port range 64001-65000 (WDSServer\\Parameters "
                           "UdpPortPolicy, StartPort, EndPort): let it through"
                         : "");
    } else if (x->attempt->relay) {
        /* DHCP crossed the relay both ways: the segments are joined for
         * DHCP, so the path is the first suspect for TFTP */
        char r[PXE_ADDR_STRLEN];
        pxe_diag_add(e, x->client, x->attempt, PXE_CODE_E32, ev, 2,
                     "RRQ for %s to %s sent %u time(s), never answered; the client gave up "
                     "after %.1f s.  DHCP reached this client through the relay %s, so the "
                     "TFTP server is on another segment - check the path between them first "
                     "(a router ACL or firewall dropping UDP 69 or the replies, the server's "
                     "route back to the client's subnet), then that the TFTP server runs",
                     x->file, pxe_addr_str(e, x->server_ip, b), t->sends, span,
                     pxe_addr_str(e, x->attempt->relay, r));
    } else {
        pxe_diag_add(e, x->client, x->attempt, PXE_CODE_E32, ev, 2,
                     "RRQ for %s to %s sent %u time(s), never answered; the client gave up "
                     "after %.1f s - check that the TFTP server runs on next-server and that "
                     "UDP 69 is not filtered",
                     x->file, pxe_addr_str(e, x->server_ip, b), t->sends, span);
    }
}

/* Bytes a DATA datagram adds to its blksize: IP, UDP and TFTP headers. */
static uint32_t datagram_overhead(const pxe_xfer_t *x)
{
    return pxe_addr_is_v6(x->client_ip) ? 40 + 8 + 4 : 20 + 8 + 4;
}

/* Stalled at the first window after an OACK that granted a blksize a path
 * narrower than Ethernet (a tunnel, VLAN, VPN) cannot carry whole: the small
 * OACK reached the client (it acknowledged it) and the large DATA from the
 * same server port did not, so the size is what differs.  Up to 1024 bytes a
 * DATA fits every path a boot runs over. */
static bool stalled_after_oack(const pxe_xfer_t *x)
{
    return x->oack && x->last_ack == 0 && x->blocks <= x->windowsize && x->blksize > 1024;
}

static void judge_read_mtu(pxe_engine_t *e, pxe_xfer_t *x, const uint32_t *ev, double span)
{
    pxe_diag_add(e, x->client, x->attempt, PXE_CODE_E35, ev, 4,
                 "transfer of %s stalled right after the OACK granted blksize %u: DATA of %u "
                 "bytes does not fit the path MTU (IP fragments lost?) - lower the server's max "
                 "blksize (tftpd-hpa --blocksize 1468, dnsmasq tftp-mtu) or fix the MTU/fragment "
                 "filtering (blksize + %u must fit the path MTU); the client acknowledged the "
                 "OACK, then sent ACK 0 %u time(s) over %.1f s and %s",
                 x->file, x->blksize, x->blksize, datagram_overhead(x), x->ack.sends, span,
                 x->blocks ? "never acknowledged the DATA the server sent"
                           : "no DATA arrived whole");
}

/* The client acknowledged block 65535 and nothing after it came through. */
static void judge_read_wrap(pxe_engine_t *e, pxe_xfer_t *x, const uint32_t *ev, double span)
{
    uint32_t mb = (uint32_t)((65535ull * x->blksize + (1u << 19)) >> 20);
    pxe_diag_add(e, x->client, x->attempt, PXE_CODE_E35, ev, 4,
                 "transfer of %s (%" G_GUINT64_FORMAT " bytes; the client sent ACK 65535 %u "
                 "time(s) over %.1f s, %s) stalled at the block-number wrap (block 65535 of a "
                 "file over %u MB at blksize %u): the server or client does not roll over block "
                 "numbers - raise blksize (so fewer than 65536 blocks) or use a server that wraps",
                 x->file, x->bytes, x->ack.sends, span,
                 x->last_block == 65535 ? "the server sent no block after it"
                                        : "it did not take the rolled-over block the server sent",
                 mb, x->blksize);
}

void pxe_tftp_judge_read(pxe_engine_t *e, pxe_xfer_t *x)
{
    if (x->complete || x->failed)
        return;
    const pxe_tracker_t *t = &x->ack;
    uint32_t ev[] = {x->rrq_frame, x->first_reply_frame, t->first_frame, t->last_frame};
    double span = e->now - t->first_ts;
    x->failed = true;
    if (x->last_ack == 65535 && x->blocks >= 65535) {
        judge_read_wrap(e, x, ev, span);
        return;
    }
    if (stalled_after_oack(x)) {
        judge_read_mtu(e, x, ev, span);
        return;
    }
    if (x->data_since_ack) {
        pxe_diag_add(e, x->client, x->attempt, PXE_CODE_E35, ev, 4,
                     "transfer of %s stopped after block %u (%" G_GUINT64_FORMAT " bytes): DATA "
                     "%u was sent but the client never acknowledged it, silent for %.1f s - the "
                     "DATA does not reach the client (a filter or MTU between here and the "
                     "client) or the client stopped",
                     x->file, x->last_ack, x->bytes, x->last_block, span);
        return;
    }
    pxe_diag_add(e, x->client, x->attempt, PXE_CODE_E35, ev, 4,
                 "transfer of %s stalled after block %u (%" G_GUINT64_FORMAT " bytes): the client "
                 "sent ACK %u %u time(s) over %.1f s and no DATA followed - %s",
                 x->file, x->blocks, x->bytes, x->last_ack, t->sends, span,
                 x->blocks == 0 && x->blksize + datagram_overhead(x) > 1500
                     ? "the negotiated blksize is larger than the path carries; lower the "
                       "server's max blksize or fix the MTU"
                 : x->blocks == 0 ? "DATA from the server's ephemeral port does not arrive "
                                    "(blksize above the path MTU, or a filter on the "
                                    "server's data port)"
                                  : "packets are lost on the path or the server stopped");
}

void pxe_tftp_judge_run(pxe_engine_t *e, pxe_xfer_t *x)
{
    const char *next = pxe_file_next_step(x->file);
    if (!next || x->attempt->outcome == PXE_OUTCOME_FAILED || x->attempt != x->client->attempt)
        return;
    uint32_t ev[] = {x->rrq_frame, x->last_frame};
    pxe_diag_add(e, x->client, x->attempt, PXE_CODE_NBP_STALLED, ev, 2,
                 "%s arrived complete (%" G_GUINT64_FORMAT " bytes) but the client sent nothing "
                 "for %.1f s; once running it always asks for %s - it did not start or it hung "
                 "(wrong build for this firmware or NIC driver, Secure Boot, a corrupt file)",
                 x->file, x->bytes, e->now - x->last_ts, next);
}

/* ---- packets ---- */

static void mark_last(pxe_xfer_t *x, pxe_rec_t *rec, const pxe_pkt_t *p)
{
    x->last_rec = rec;
    x->last_frame = p->frame;
    x->last_ts = p->ts;
    rec->xfer_ = x;
    rec->tftp_file = x->file;
    rec->tftp_nbp = x->nbp;
    rec->tftp_request_in = x->rrq_frame;
}

/* A record for a frame of transfer x: the client and attempt of its RRQ. */
pxe_rec_t *pxe_xfer_rec(pxe_engine_t *e, const pxe_pkt_t *p, pxe_stage_t st, pxe_xfer_t *x)
{
    pxe_rec_t *rec = pxe_rec_of(e, p, st, x->attempt);
    rec->client_ip = x->client_ip;
    mark_last(x, rec, p);
    return rec;
}

/* Is the new transfer the phase's boot program? */
static void mark_nbp(pxe_xfer_t *x, pxe_rec_t *rec)
{
    pxe_attempt_t *a = x->attempt;
    bool named = a->bootfile && pxe_file_same(a->bootfile, x->file);
    bool after_probe = a->nbp && a->nbp->aborted_probe && pxe_file_same(a->nbp->file, x->file);
    /* without DHCP naming it, the phase's first file (after a size probe) */
    if (!named && (a->bootfile || (a->nbp && !after_probe)))
        return;
    x->nbp = true;
    rec->tftp_nbp = true;
    a->nbp = x;
    if (a->bootfile_rec) {
        rec->prev_in = a->bootfile_rec->frame;
        if (!a->bootfile_rec->next_in)
            a->bootfile_rec->next_in = rec->frame;
    }
}

static pxe_rec_t *rrq_again(pxe_engine_t *e, const pxe_pkt_t *p, pxe_xfer_t *x)
{
    pxe_rec_t *rec = pxe_xfer_rec(e, p, PXE_STAGE_TFTP_REQUEST, x);
    rec->prev_in = x->rrq_frame;
    x->retransmissions++;
    if (pxe_track_again(e, &x->rrq, p))
        pxe_track_expire(e, &x->rrq);
    return rec;
}

static pxe_rec_t *rrq(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_tftp_t *t = &p->tftp;
    if (!t->file)
        return NULL;
    pxe_xfer_t *x = xfer_lookup(e, p->ip_src, p->sport);
    if (x && pxe_file_same(x->file, t->file) && !x->complete && !x->aborted_probe)
        return rrq_again(e, p, x);

    pxe_client_t *c = pxe_client_by_ip(e, p->ip_src);
    pxe_probe_t *repeated = NULL;
    if (!c) {
        if (!p->has_eth)
            return NULL;
        repeated = probe_repeated(e, p);
        if (!repeated && !e->opts.tftp_all && !looks_like_boot_file(t->file)) {
            probe_asked(e, p);
            return NULL;
        }
        /* no DHCP in the capture: the frame's source MAC is the best name */
        c = pxe_client_get(e, p->eth_src, true);
        if (!c)
            return NULL;   /* beyond max_clients */
        pxe_client_set_ip(e, c, p->ip_src);
    }
    pxe_xfer_t *probe = c->pending_xfer;
    x = xfer_new(e, p->ip_src, p->sport);
    x->blksize = 512;
    x->windowsize = 1;
    pxe_rec_t *rec = pxe_xfer_start(e, c, x, p, PXE_STAGE_TFTP_REQUEST, t->file);
    if (probe && probe->aborted_probe && pxe_file_same(probe->file, x->file))
        x->tsize = probe->tsize;  /* EDK2 asks the size once, then fetches without tsize */
    if (repeated)
        probe_recognised(e, repeated, x);
    pxe_track_start(e, &x->rrq, PXE_TRACK_RRQ, x, c, x->attempt, &xfer_clock(x)->tftp, p);
    c->pending_xfer = x;
    return rec;
}

/* A capture of the client's side only (a mirror of its port in one
 * direction): no server packet of its last transfer was seen, but the
 * client acknowledged data blocks and now asks for another file, so that
 * file arrived whole (a PXE client does not move on from a file it lacks). */
static void one_way_arrived(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p)
{
    pxe_xfer_t *x = c->pending_xfer;
    if (!x || x->http || x->complete || x->failed || x->aborted_probe || x->first_reply_frame ||
        !x->acked_once || x->last_ack == 0)
        return;
    uint32_t ev[] = {x->rrq_frame, x->last_frame};
    pxe_diag_add(e, c, x->attempt, PXE_CODE_ONE_WAY, ev, 2,
                 "only the client's side of %s is in the capture: its ACKs up to block %u and "
                 "its next request show the file arrived",
                 x->file, x->last_ack);
    pxe_xfer_complete(e, x, p);
}

pxe_rec_t *pxe_xfer_start(pxe_engine_t *e, pxe_client_t *c, pxe_xfer_t *x, const pxe_pkt_t *p,
                          pxe_stage_t stage, const char *file)
{
    one_way_arrived(e, c, p);
    pxe_settle_pending(e, c, false);
    pxe_rec_t *rec = pxe_rec_new(e, p, stage, c);
    pxe_attempt_t *a = c->attempt;
    if (a->loader && !pxe_file_same(a->loader->file, file))
        pxe_nbp_ran(a->loader);  /* it asks for its next file */
    x->file = pxe_strdup(e, file);
    x->client_ip = p->ip_src;
    x->client_port = p->sport;
    x->server_ip = p->ip_dst;
    x->rrq_frame = p->frame;
    x->rrq_ts = p->ts;
    x->tsize = -1;
    x->client = c;
    x->attempt = a;
    x->phase = a->phase;
    mark_last(x, rec, p);
    mark_nbp(x, rec);
    return rec;
}

static void stop_tracking(pxe_xfer_t *x)
{
    pxe_track_answer(&x->rrq);
    pxe_track_answer(&x->ack);
}

void pxe_xfer_complete(pxe_engine_t *e, pxe_xfer_t *x, const pxe_pkt_t *p)
{
    pxe_attempt_t *a = x->attempt;
    x->complete = true;
    stop_tracking(x);
    if (!x->nbp || a->ran) {
        char what[160];
        g_snprintf(what, sizeof what, "%s arrived", x->file);
        pxe_boot_progressed(e, a, what);
    }
    if (x->retransmissions) {
        uint32_t ev[] = {x->rrq_frame};
        pxe_diag_add(e, x->client, a, PXE_CODE_TFTP_RETRANSMIT, ev, 1,
                     "%s arrived complete after %u retransmissions - some loss on the path",
                     x->file, x->retransmissions);
    }
    const char *next = pxe_file_next_step(x->file);
    if (!x->nbp && !next)
        return;   /* a kernel, a config file: nothing it must do at once */
    if (x->nbp && pxe_file_is_ipxe(x->file) && a->n_ipxe_seen < G_N_ELEMENTS(a->ipxe_seen))
        a->ipxe_seen[a->n_ipxe_seen++] = x->file;
    /* a boot program must now show that it runs; only programs known to ask
     * for something at once are timed */
    static const pxe_retry_t untimed = {1, 0.0, INFINITY};
    pxe_track_start(e, &x->run, PXE_TRACK_NBP_RUN, x, x->client, a,
                    next ? &xfer_clock(x)->nbp : &untimed, p);
    a->loader = x;
}

static void check_data_size(pxe_engine_t *e, pxe_xfer_t *x, const pxe_tftp_t *t)
{
    uint32_t limit = x->oack ? x->blksize : 512;
    bool rom = x->client->family == PXE_FAMILY_LEGACY;
    if (t->data_len <= limit && !(rom && t->data_len > PXE_MAX_BLKSIZE))
        return;
    uint32_t ev[] = {x->first_reply_frame};
    x->failed = true;
    stop_tracking(x);
    pxe_diag_add(e, x->client, x->attempt, PXE_CODE_E3F, ev, 1,
                 "DATA block %u of %s carries %u bytes, more than %s %u - cap the server's blksize",
                 t->block, x->file, t->data_len,
                 t->data_len > limit ? "the negotiated blksize" : "a PXE ROM accepts,",
                 t->data_len > limit ? limit : PXE_MAX_BLKSIZE);
}

static void on_data(pxe_engine_t *e, pxe_xfer_t *x, const pxe_pkt_t *p)
{
    const pxe_tftp_t *t = &p->tftp;
    uint16_t next = (uint16_t)(x->last_block + 1);
    x->data_since_ack = true;
    /* past block 65535 servers roll over to 0 or to 1 */
    if (t->block == next || (x->last_block == 65535 && t->block == 1)) {
        x->last_block = t->block;
        x->blocks++;
        x->bytes += t->data_len;
        if (t->data_len < x->blksize && !x->complete)
            pxe_xfer_complete(e, x, p);
    } else {
        x->retransmissions++;
    }
    check_data_size(e, x, t);
}

/* The client answers the block after 65535 (0 or 1) with ACK 65535 again: it
 * does not take the rolled-over block, and each such ACK is its retry. */
static bool wrap_refused(const pxe_xfer_t *x)
{
    return x->last_ack == 65535 && x->last_block != 65535 && x->blocks >= 65535;
}

static void on_client_ack(pxe_engine_t *e, pxe_xfer_t *x, const pxe_pkt_t *p)
{
    const pxe_tftp_t *t = &p->tftp;
    bool repeat = x->acked_once && t->block == x->last_ack;
    x->acked_once = true;
    pxe_track_answer(&x->rrq);     /* the transfer is open */
    if (repeat && x->data_since_ack && !wrap_refused(x)) {
        x->retransmissions++;      /* the answer to a duplicate DATA, not a timeout */
    } else if (repeat) {
        x->retransmissions++;
        if (!x->complete && pxe_track_again(e, &x->ack, p))
            pxe_track_expire(e, &x->ack);
    } else {
        x->last_ack = t->block;
        if (!x->complete)
            pxe_track_start(e, &x->ack, PXE_TRACK_ACK, x, x->client, x->attempt,
                            &xfer_clock(x)->tftp, p);
    }
    x->data_since_ack = false;
}

static void on_client_error(pxe_engine_t *e, pxe_xfer_t *x, const pxe_tftp_t *t)
{
    stop_tracking(x);
    if ((t->err_code == 0 || t->err_code == 8) && x->oack && x->blocks == 0) {
        uint32_t ev[] = {x->rrq_frame};
        x->aborted_probe = true;
        pxe_diag_add(e, x->client, x->attempt, PXE_CODE_TSIZE_PROBE, ev, 1,
                     "the client asked for the size of %s (tsize %" G_GINT64_FORMAT
                     ") and aborted as planned; the real transfer follows",
                     x->file, x->tsize);
    } else {
        x->failed = true;
    }
}

static void on_server_error(pxe_engine_t *e, pxe_xfer_t *x, const pxe_tftp_t *t)
{
    char b[PXE_ADDR_STRLEN];
    uint32_t ev[] = {x->rrq_frame};
    const char *msg = t->err_msg ? t->err_msg : "";
    pxe_client_t *c = x->client;
    stop_tracking(x);
    x->failed = true;
    if (t->err_code == 1 && !x->nbp && pxe_file_is_probe(x->file)) {
        pxe_diag_add(e, c, x->attempt, PXE_CODE_PROBE_MISS, ev, 1,
                     "%s is not on the server: the boot loader probes for it and moves on "
                     "(normal)", x->file);
    } else if (t->err_code == 1) {
        pxe_diag_add(e, c, x->attempt, PXE_CODE_E3B, ev, 1,
                     "%s answers \"%s\" for %s%s - put the file under the TFTP root, or "
                     "fix the name (case, path) in the %s",
                     pxe_addr_str(e, x->server_ip, b), msg, x->file,
                     x->nbp ? ", the boot file itself" : "",
                     x->nbp ? "DHCP boot file" : "boot loader's configuration");
    } else if (t->err_code == 2) {
        pxe_diag_add(e, c, x->attempt, PXE_CODE_E3C, ev, 1,
                     "%s refuses %s: \"%s\" (access violation) - fix the file's permissions "
                     "or the TFTP server's secure/root settings",
                     pxe_addr_str(e, x->server_ip, b), x->file, msg);
    } else if (x->blocks >= 65535 && x->last_block == 65535) {
        /* servers that cannot roll over give up here ("File too large") */
        pxe_diag_add(e, c, x->attempt, PXE_CODE_E36, ev, 1,
                     "%s aborted %s with TFTP error %u \"%s\" at the block-number wrap "
                     "(after block 65535 at blksize %u): the server does not roll over block "
                     "numbers - raise blksize (so fewer than 65536 blocks) or use a server that "
                     "wraps",
                     pxe_addr_str(e, x->server_ip, b), x->file, t->err_code, msg, x->blksize);
    } else {
        pxe_diag_add(e, c, x->attempt, PXE_CODE_E36, ev, 1,
                     "%s aborted %s with TFTP error %u \"%s\"%s",
                     pxe_addr_str(e, x->server_ip, b), x->file, t->err_code, msg,
                     x->blocks ? " in mid-transfer" : "");
    }
}

/* The transfer a non-RRQ packet belongs to, and which side sent it. */
static pxe_xfer_t *find_xfer(pxe_engine_t *e, const pxe_pkt_t *p, bool *from_server)
{
    pxe_xfer_t *x = xfer_lookup(e, p->ip_dst, p->dport);
    *from_server = true;
    if (x && x->server_ip == p->ip_src &&
        (!x->server_port || x->server_port == p->sport || p->sport == 69))
        return x;
    pxe_xfer_t *y = xfer_lookup(e, p->ip_src, p->sport);
    if (y && y->server_ip == p->ip_dst) {
        *from_server = false;
        return y;
    }
    return (x && x->server_ip == p->ip_src) ? x : NULL;
}

static pxe_stage_t stage_of(uint16_t opcode)
{
    switch (opcode) {
    case TFTP_OACK: return PXE_STAGE_TFTP_OACK;
    case TFTP_DATA: return PXE_STAGE_TFTP_DATA;
    case TFTP_ACK: return PXE_STAGE_TFTP_ACK;
    case TFTP_ERROR: return PXE_STAGE_TFTP_ERROR;
    default: return PXE_STAGE_NONE;
    }
}

static void on_oack(pxe_xfer_t *x, const pxe_tftp_t *t)
{
    if (x->oack)
        x->retransmissions++;
    x->oack = true;
    if (t->opt_tsize >= 0)
        x->tsize = t->opt_tsize;
    if (t->opt_blksize > 0)
        x->blksize = (uint32_t)t->opt_blksize;
    if (t->opt_windowsize > 0)
        x->windowsize = (uint32_t)t->opt_windowsize;
}

/* A packet of an existing transfer, from either side. */
static pxe_rec_t *xfer_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_tftp_t *t = &p->tftp;
    bool from_server;
    pxe_stage_t st = stage_of(t->opcode);
    pxe_xfer_t *x = st ? find_xfer(e, p, &from_server) : NULL;
    if (!x) {
        if (e->probes && (t->opcode == TFTP_OACK || t->opcode == TFTP_ERROR))
            probe_reply(e, p);
        return NULL;
    }
    pxe_rec_t *rec = pxe_xfer_rec(e, p, st, x);
    if (from_server && !x->first_reply_frame) {
        x->first_reply_frame = p->frame;
        x->first_reply_ts = p->ts;
        x->server_port = p->sport;
        /* the RRQ counts as answered only once the client ACKs */
        pxe_link(pxe_engine_record(e, x->rrq_frame), rec);
    } else if (from_server && (st == PXE_STAGE_TFTP_OACK || st == PXE_STAGE_TFTP_ERROR)) {
        rec->request_in = x->rrq_frame;
    }
    switch (t->opcode) {
    case TFTP_OACK: on_oack(x, t); break;
    case TFTP_DATA: on_data(e, x, p); break;
    case TFTP_ACK:
        if (!from_server)
            on_client_ack(e, x, p);
        break;
    case TFTP_ERROR:
        if (from_server)
            on_server_error(e, x, t);
        else
            on_client_error(e, x, t);
        break;
    }
    return rec;
}

pxe_rec_t *pxe_tftp_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    switch (p->tftp.opcode) {
    case TFTP_RRQ:
        return rrq(e, p);
    case TFTP_WRQ:
        return NULL;  /* uploads are not part of a boot */
    default:
        return xfer_packet(e, p);
    }
}

pxe_rec_t *pxe_icmp_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_icmp_t *q = &p->icmp;
    pxe_xfer_t *x = xfer_lookup(e, q->ip_src, q->sport);
    if (!x || x->server_ip != q->ip_dst)
        return NULL;
    pxe_rec_t *rec = pxe_xfer_rec(e, p, PXE_STAGE_TFTP_UNREACHABLE, x);
    rec->request_in = x->rrq_frame;
    if (x->failed || x->complete)
        return rec;
    char b[PXE_ADDR_STRLEN];
    uint32_t ev[] = {x->rrq_frame};
    stop_tracking(x);
    x->failed = true;
    pxe_diag_add(e, x->client, x->attempt, PXE_CODE_E38, ev, 1,
                 "%s answers the RRQ for %s with ICMP port unreachable: nothing listens on "
                 "UDP %u there - start the TFTP server or point next-server at the right host",
                 pxe_addr_str(e, p->ip_src, b), x->file, q->dport);
    return rec;
}
