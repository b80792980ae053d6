/* pxe_tftp.c - TFTP rules: tie each transfer to its client and boot attempt,
 * account for it (bytes against tsize, blocks, retransmissions, duration),
 * and diagnose what a transfer can prove: PXE-E32 open timeout, PXE-E35 read
 * timeout, PXE-E36/E3B/E3C server errors, PXE-E38 ICMP unreachable, PXE-E3F
 * oversized DATA, tsize probes and probe misses (normal).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"
#include "pxe_files.h"

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

static const pxe_clock_t *client_clock(const pxe_client_t *c)
{
    return pxe_family_clock(c ? c->family : PXE_FAMILY_UNKNOWN);
}

/* Files the NBP fetches (pxelinux, syslinux, GRUB) run on the NBP's clock,
 * not the firmware's: pxelinux retries about 30 times over two minutes. */
static const pxe_clock_t *xfer_clock(const pxe_xfer_t *x, const pxe_client_t *c)
{
    const pxe_attempt_t *a = x->attempt;
    if (a && !x->nbp && a->nbp && a->nbp->complete && !pxe_file_is_ipxe(a->nbp->file))
        return pxe_family_clock(PXE_FAMILY_OTHER);
    if (a && a->phase > 1 && a->last_nbp_done && !pxe_file_is_ipxe(a->last_nbp_done))
        return pxe_family_clock(PXE_FAMILY_OTHER);
    return client_clock(c);
}

/* Does an RRQ from an unknown address still belong to a boot? */
static bool looks_like_boot_file(const char *f)
{
    return f && (pxe_file_is_efi(f) >= 0 || pxe_file_is_ipxe(f) || pxe_file_is_probe(f) ||
                 strstr(f, "pxelinux") || strstr(f, "ldlinux") || strstr(f, "bootmgr") ||
                 strstr(f, "grub") || strstr(f, "\\Boot\\"));
}

static void diag_open_timeout(pxe_engine_t *e, pxe_xfer_t *x, pxe_rec_t *rec, double now)
{
    char b[16];
    uint32_t ev[] = {x->rrq_frame, x->rrq_rec ? x->rrq_rec->frame : 0};
    x->diagnosed = x->failed = true;
    if (x->first_reply_frame) {
        pxe_diag_add(e, rec, PXE_CODE_E32, ev, 2,
                     "RRQ for %s sent %u times over %.1f s; %s answered from port %u but the "
                     "client never acknowledged - a firewall or NAT drops the server's replies "
                     "from its ephemeral port (open the TFTP port range / conntrack helper)",
                     x->file, x->rrq_sends, now - x->rrq_ts, pxe_ip_str(x->server_ip, b),
                     x->server_port);
    } else {
        pxe_diag_add(e, rec, PXE_CODE_E32, ev, 2,
                     "RRQ for %s to %s sent %u times over %.1f s, never answered - check that "
                     "the TFTP server runs on next-server and that UDP 69 is not filtered",
                     x->file, pxe_ip_str(x->server_ip, b), x->rrq_sends, now - x->rrq_ts);
    }
}

static void diag_read_timeout(pxe_engine_t *e, pxe_xfer_t *x, pxe_rec_t *rec, double now)
{
    uint32_t ev[] = {x->rrq_frame, x->first_reply_frame, x->ack_first_frame};
    x->diagnosed = x->failed = true;
    pxe_diag_add(e, rec, PXE_CODE_E35, ev, 3,
                 "transfer of %s stalled after block %u (%" G_GUINT64_FORMAT " bytes): the client "
                 "repeated ACK %u for %.1f s and no DATA followed - %s",
                 x->file, x->blocks, x->bytes, x->last_ack, now - x->ack_first_ts,
                 x->blocks == 0 && x->blksize > 1468
                     ? "the negotiated blksize is larger than the path carries; lower the "
                       "server's max blksize or fix the MTU"
                     : x->blocks == 0 ? "DATA from the server's ephemeral port does not arrive "
                                        "(blksize above the path MTU, or a filter on the "
                                        "server's data port)"
                                      : "packets are lost on the path or the server stopped");
}

void pxe_settle_pending(pxe_engine_t *e, pxe_client_t *c, pxe_rec_t *rec)
{
    pxe_xfer_t *x = c->pending_xfer;
    if (!x || x->diagnosed || x->complete || x->failed || x->aborted_probe)
        return;
    if (!x->first_reply_frame && x->rrq_sends >= 2)
        diag_open_timeout(e, x, rec, x->last_ts);
    else if (x->first_reply_frame && x->ack_repeats >= 1)
        diag_read_timeout(e, x, rec, x->last_ts);
}

static void mark_last(pxe_xfer_t *x, pxe_rec_t *rec, const pxe_pkt_t *p)
{
    if (x->last_rec)
        x->last_rec->xfer_last = false;
    x->last_rec = rec;
    x->last_frame = p->frame;
    x->last_ts = p->ts;
    rec->xfer = x;
    rec->xfer_last = true;
}

/* A record for a frame of transfer x: same client and attempt as its RRQ. */
static pxe_rec_t *xfer_rec(pxe_engine_t *e, const pxe_pkt_t *p, pxe_stage_t st, pxe_xfer_t *x)
{
    const pxe_rec_t *r0 = x->rrq_rec;
    pxe_rec_t *rec = pxe_rec_new(e, p, st, NULL);
    rec->client = r0->client;
    rec->attempt = r0->attempt;
    rec->attempt_no = r0->attempt_no;
    rec->phase = r0->phase;
    rec->client_ip = x->client_ip;
    if (rec->client && rec->client->seen_discover)
        rec->since_discover = p->ts - rec->client->first_discover_ts;
    mark_last(x, rec, p);
    return rec;
}

static pxe_rec_t *rrq(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_tftp_t *t = &p->tftp;
    if (!t->file)
        return NULL;
    pxe_xfer_t *x = xfer_lookup(e, p->ip_src, p->sport);
    if (x && pxe_file_same(x->file, t->file) && !x->complete && !x->aborted_probe) {
        /* retransmitted RRQ */
        pxe_rec_t *rec = xfer_rec(e, p, PXE_STAGE_TFTP_REQUEST, x);
        pxe_client_t *c = rec->client;
        rec->prev_in = x->rrq_frame;
        x->rrq_sends++;
        x->retransmissions++;
        if (!x->diagnosed && !x->ack_first_frame &&
            pxe_retry_exhausted(&xfer_clock(x, c)->tftp, x->rrq_sends, p->ts - x->rrq_ts))
            diag_open_timeout(e, x, rec, p->ts);
        return rec;
    }

    pxe_client_t *c = g_hash_table_lookup(e->by_ip, GUINT_TO_POINTER(p->ip_src));
    if (!c) {
        if (!e->opts.tftp_all && !looks_like_boot_file(t->file))
            return NULL;
        if (!p->has_eth)
            return NULL;
        /* no DHCP in the capture: the frame's source MAC is the best name */
        c = pxe_client_get(e, p->eth_src, true);
        pxe_client_set_ip(e, c, p->ip_src);
    }
    pxe_rec_t *rec = pxe_rec_new(e, p, PXE_STAGE_TFTP_REQUEST, c);
    pxe_settle_pending(e, c, rec);
    pxe_xfer_t *probe = c->pending_xfer;

    x = xfer_new(e, p->ip_src, p->sport);
    x->file = pxe_strdup(e, t->file);
    x->client_ip = p->ip_src;
    x->client_port = p->sport;
    x->server_ip = p->ip_dst;
    x->rrq_frame = p->frame;
    x->rrq_ts = p->ts;
    x->rrq_sends = 1;
    x->rrq_rec = rec;
    x->tsize = -1;
    x->blksize = 512;
    x->windowsize = 1;
    x->attempt = c->attempt;
    if (probe && probe->aborted_probe && pxe_file_same(probe->file, x->file))
        x->tsize = probe->tsize;  /* EDK2 asks the size once, then fetches without tsize */
    mark_last(x, rec, p);

    pxe_attempt_t *a = c->attempt;
    bool named = a->bootfile && pxe_file_same(a->bootfile, t->file);
    bool nbp_free = !a->nbp || a->nbp->aborted_probe || (a->nbp->failed && pxe_file_same(a->nbp->file, t->file));
    bool after_probe = a->nbp && a->nbp->aborted_probe && pxe_file_same(a->nbp->file, t->file);
    if (named || (!a->bootfile && (!a->nbp || after_probe))) {
        if (nbp_free || named) {
            x->nbp = true;
            a->nbp = x;
            if (a->bootfile_rec) {
                rec->prev_in = a->bootfile_rec->frame;
                if (!a->bootfile_rec->next_in)
                    a->bootfile_rec->next_in = rec->frame;
            }
        }
    }
    c->pending_xfer = x;
    return rec;
}

/* A packet of an existing transfer, from either side. */
static pxe_rec_t *xfer_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_tftp_t *t = &p->tftp;
    bool from_server = true;
    pxe_xfer_t *x = xfer_lookup(e, p->ip_dst, p->dport);
    if (!x || x->server_ip != p->ip_src || (x->server_port && x->server_port != p->sport && p->sport != 69)) {
        pxe_xfer_t *y = xfer_lookup(e, p->ip_src, p->sport);
        if (y && y->server_ip == p->ip_dst) {
            x = y;
            from_server = false;
        } else if (!x || x->server_ip != p->ip_src) {
            return NULL;
        }
    }
    pxe_client_t *c = x->rrq_rec->client;
    pxe_stage_t st;
    switch (t->opcode) {
    case TFTP_OACK: st = PXE_STAGE_TFTP_OACK; break;
    case TFTP_DATA: st = PXE_STAGE_TFTP_DATA; break;
    case TFTP_ACK: st = PXE_STAGE_TFTP_ACK; break;
    case TFTP_ERROR: st = PXE_STAGE_TFTP_ERROR; break;
    default: return NULL;
    }
    pxe_rec_t *rec = xfer_rec(e, p, st, x);
    char b[16];

    if (from_server && !x->first_reply_frame) {
        x->first_reply_frame = p->frame;
        x->first_reply_ts = p->ts;
        x->server_port = p->sport;
        pxe_link(x->rrq_rec, rec);
    } else if (from_server && (st == PXE_STAGE_TFTP_OACK || st == PXE_STAGE_TFTP_ERROR)) {
        rec->request_in = x->rrq_frame;
    }

    switch (t->opcode) {
    case TFTP_OACK:
        if (x->oack)
            x->retransmissions++;
        x->oack = true;
        if (t->opt_tsize >= 0)
            x->tsize = t->opt_tsize;
        if (t->opt_blksize > 0)
            x->blksize = (uint32_t)t->opt_blksize;
        if (t->opt_windowsize > 0)
            x->windowsize = (uint32_t)t->opt_windowsize;
        break;
    case TFTP_DATA: {
        uint16_t next = (uint16_t)(x->last_block + 1);
        /* past block 65535 servers roll over to 0 or to 1 */
        x->data_since_ack = true;
        if (t->block == next || (x->last_block == 65535 && t->block == 1)) {
            x->last_block = t->block;
            x->blocks++;
            x->bytes += t->data_len;
            if (t->data_len < x->blksize) {
                x->complete = true;
                if (x->nbp && x->attempt && pxe_file_is_ipxe(x->file) &&
                    x->attempt->n_ipxe_seen < G_N_ELEMENTS(x->attempt->ipxe_seen))
                    x->attempt->ipxe_seen[x->attempt->n_ipxe_seen++] = x->file;
                if (x->retransmissions) {
                    uint32_t ev[] = {x->rrq_frame};
                    pxe_diag_add(e, rec, PXE_CODE_TFTP_RETRANSMIT, ev, 1,
                                 "%s arrived complete after %u retransmissions - some loss on "
                                 "the path", x->file, x->retransmissions);
                }
            }
        } else {
            x->retransmissions++;
        }
        uint32_t limit = x->oack ? x->blksize : 512;
        if (t->data_len > limit || (c && c->family == PXE_FAMILY_LEGACY && t->data_len > PXE_MAX_BLKSIZE)) {
            uint32_t ev[] = {x->first_reply_frame};
            x->failed = true;
            pxe_diag_add(e, rec, PXE_CODE_E3F, ev, 1,
                         "DATA block %u of %s carries %u bytes, more than %s %u - cap the "
                         "server's blksize",
                         t->block, x->file, t->data_len,
                         t->data_len > limit ? "the negotiated blksize" : "a PXE ROM accepts,",
                         t->data_len > limit ? limit : PXE_MAX_BLKSIZE);
        }
        break;
    }
    case TFTP_ACK:
        if (from_server)
            break;
        if (x->ack_first_frame && t->block == x->last_ack && x->data_since_ack) {
            /* the answer to a duplicate DATA, not a timeout */
            x->retransmissions++;
        } else if (x->ack_first_frame && t->block == x->last_ack && t->block == x->last_block) {
            x->ack_repeats++;
            x->retransmissions++;
            if (!x->diagnosed && !x->complete &&
                pxe_retry_exhausted(&xfer_clock(x, c)->tftp, x->ack_repeats + 1, p->ts - x->ack_first_ts))
                diag_read_timeout(e, x, rec, p->ts);
        } else {
            x->last_ack = t->block;
            x->ack_first_frame = p->frame;
            x->ack_first_ts = p->ts;
            x->ack_repeats = 0;
        }
        x->data_since_ack = false;
        break;
    case TFTP_ERROR: {
        uint32_t ev[] = {x->rrq_frame};
        const char *msg = t->err_msg ? t->err_msg : "";
        if (!from_server) {
            if ((t->err_code == 0 || t->err_code == 8) && x->oack && x->blocks == 0) {
                x->aborted_probe = true;
                pxe_diag_add(e, rec, PXE_CODE_TSIZE_PROBE, ev, 1,
                             "the client asked for the size of %s (tsize %" G_GINT64_FORMAT
                             ") and aborted as planned; the real transfer follows",
                             x->file, x->tsize);
            } else {
                x->failed = true;
            }
            break;
        }
        x->failed = true;
        x->diagnosed = true;
        if (t->err_code == 1 && !x->nbp && pxe_file_is_probe(x->file)) {
            pxe_diag_add(e, rec, PXE_CODE_PROBE_MISS, ev, 1,
                         "%s is not on the server: the boot loader probes for it and moves on "
                         "(normal)", x->file);
        } else if (t->err_code == 1) {
            pxe_diag_add(e, rec, PXE_CODE_E3B, ev, 1,
                         "%s answers \"%s\" for %s%s - put the file under the TFTP root, or "
                         "fix the name (case, path) in the %s",
                         pxe_ip_str(x->server_ip, b), msg, x->file,
                         x->nbp ? ", the boot file itself" : "", x->nbp ? "DHCP boot file" : "boot loader's configuration");
        } else if (t->err_code == 2) {
            pxe_diag_add(e, rec, PXE_CODE_E3C, ev, 1,
                         "%s refuses %s: \"%s\" (access violation) - fix the file's permissions "
                         "or the TFTP server's secure/root settings",
                         pxe_ip_str(x->server_ip, b), x->file, msg);
        } else {
            pxe_diag_add(e, rec, PXE_CODE_E36, ev, 1,
                         "%s aborted %s with TFTP error %u \"%s\"%s",
                         pxe_ip_str(x->server_ip, b), x->file, t->err_code, msg,
                         x->blocks ? " in mid-transfer" : "");
        }
        break;
    }
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
    pxe_rec_t *rec = xfer_rec(e, p, PXE_STAGE_TFTP_UNREACHABLE, x);
    rec->request_in = x->rrq_frame;
    if (!x->diagnosed) {
        char b[16];
        uint32_t ev[] = {x->rrq_frame};
        x->diagnosed = x->failed = true;
        pxe_diag_add(e, rec, PXE_CODE_E38, ev, 1,
                     "%s answers the RRQ for %s with ICMP port unreachable: nothing listens on "
                     "UDP %u there - start the TFTP server or point next-server at the right host",
                     pxe_ip_str(p->ip_src, b), x->file, q->dport);
    }
    return rec;
}
