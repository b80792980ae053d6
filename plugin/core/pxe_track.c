/* pxe_track.c - the one retry tracker behind every repeated request
 * (DISCOVER, proxyDHCP REQUEST, ARP, RRQ, the repeated ACK of a stalled
 * transfer, the boot program's first request), and the deadline heap that
 * lets time decide: a request is judged on the client's last try, when the
 * client moves on, or on the first frame after the client has given up.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"

#include "pxe_files.h"

/* ---- the deadline heap: one entry per tracker at most ---- */

static bool earlier(const pxe_deadline_t *a, const pxe_deadline_t *b)
{
    return a->deadline < b->deadline;
}

static void heap_push(GArray *h, pxe_deadline_t d)
{
    g_array_append_val(h, d);
    guint i = h->len - 1;
    pxe_deadline_t *v = (pxe_deadline_t *)(void *)h->data;
    while (i > 0) {
        guint up = (i - 1) / 2;
        if (!earlier(&v[i], &v[up]))
            break;
        pxe_deadline_t tmp = v[i];
        v[i] = v[up];
        v[up] = tmp;
        i = up;
    }
}

static pxe_deadline_t heap_pop(GArray *h)
{
    pxe_deadline_t *v = (pxe_deadline_t *)(void *)h->data;
    pxe_deadline_t top = v[0];
    v[0] = v[h->len - 1];
    g_array_set_size(h, h->len - 1);
    v = (pxe_deadline_t *)(void *)h->data;
    guint i = 0, n = h->len;
    for (;;) {
        guint l = 2 * i + 1, r = l + 1, m = i;
        if (l < n && earlier(&v[l], &v[m]))
            m = l;
        if (r < n && earlier(&v[r], &v[m]))
            m = r;
        if (m == i)
            break;
        pxe_deadline_t tmp = v[i];
        v[i] = v[m];
        v[m] = tmp;
        i = m;
    }
    return top;
}

static void schedule(pxe_engine_t *e, pxe_tracker_t *t)
{
    if (t->in_heap)
        return;     /* its entry is re-pushed with the new deadline when it comes due */
    pxe_deadline_t d = {t->deadline, t};
    t->in_heap = true;
    heap_push(e->deadlines, d);
}

/* ---- trackers ---- */

void pxe_track_start(pxe_engine_t *e, pxe_tracker_t *t, pxe_track_kind_t kind, void *owner,
                     pxe_client_t *c, pxe_attempt_t *a, const pxe_retry_t *clock,
                     const pxe_pkt_t *p)
{
    t->kind = (uint8_t)kind;
    t->owner = owner;
    t->client = c;
    t->attempt = a;
    t->clock = *clock;
    t->active = true;
    t->sends = 1;
    t->first_frame = t->last_frame = p->frame;
    t->first_ts = t->last_ts = p->ts;
    /* from the engine's clock, which never goes back: a frame dated before
     * its predecessors must not expire at once */
    t->deadline = (e->now > p->ts ? e->now : p->ts) + pxe_retry_deadline(clock);
    schedule(e, t);
}

bool pxe_track_again(pxe_engine_t *e, pxe_tracker_t *t, const pxe_pkt_t *p)
{
    if (!t->active)
        return false;
    t->sends++;
    t->last_frame = p->frame;
    t->last_ts = p->ts;
    return pxe_retry_exhausted(&t->clock, t->sends, p->ts - t->first_ts) != 0;
}

void pxe_track_answer(pxe_tracker_t *t)
{
    t->active = false;
}

static void judge(pxe_engine_t *e, pxe_tracker_t *t)
{
    switch ((pxe_track_kind_t)t->kind) {
    case PXE_TRACK_DISCOVER: pxe_dhcp_judge_discovers(e, t->owner); break;
    case PXE_TRACK_PROXY: pxe_dhcp_judge_proxy(e, t->owner); break;
    case PXE_TRACK_ARP: pxe_arp_judge(e, t->owner); break;
    case PXE_TRACK_RRQ: pxe_tftp_judge_open(e, t->owner); break;
    case PXE_TRACK_ACK: pxe_tftp_judge_read(e, t->owner); break;
    case PXE_TRACK_NBP_RUN: pxe_tftp_judge_run(e, t->owner); break;
    case PXE_TRACK_FETCH: pxe_dhcp_judge_fetch(e, t->owner); break;
    }
}

void pxe_track_expire(pxe_engine_t *e, pxe_tracker_t *t)
{
    if (!t->active)
        return;
    t->active = false;
    judge(e, t);
}

void pxe_track_settle(pxe_engine_t *e, pxe_tracker_t *t, unsigned min_sends)
{
    if (!t->active)
        return;
    if (t->sends >= min_sends)
        pxe_track_expire(e, t);
    else
        t->active = false;
}

void pxe_track_tick(pxe_engine_t *e, double now)
{
    GArray *h = e->deadlines;
    while (h->len && ((pxe_deadline_t *)(void *)h->data)[0].deadline < now) {
        pxe_deadline_t d = heap_pop(h);
        pxe_tracker_t *t = d.t;
        t->in_heap = false;
        if (!t->active)
            continue;
        if (t->deadline >= now) {
            schedule(e, t);     /* restarted since it was pushed */
            continue;
        }
        pxe_track_expire(e, t);
    }
}

void pxe_settle_pending(pxe_engine_t *e, pxe_client_t *c, bool dhcp_again)
{
    pxe_xfer_t *x = c->pending_xfer;
    if (x) {
        pxe_track_settle(e, &x->rrq, 2);
        pxe_track_settle(e, &x->ack, 2);
    }
    if (c->cycle && dhcp_again) {
        pxe_track_settle(e, &c->cycle->proxy, 1);
        pxe_track_settle(e, &c->cycle->fetch, 1);
    } else if (c->cycle) {
        pxe_track_answer(&c->cycle->proxy);
        pxe_track_answer(&c->cycle->fetch);   /* it fetches: it found its server */
    }
    /* a new request is the proof the ARP was answered, or was for something else */
    pxe_track_answer(&c->arp);
}

void pxe_nbp_ran(pxe_xfer_t *nbp)
{
    pxe_attempt_t *a = nbp ? nbp->attempt : NULL;
    if (!a || !nbp->complete || !nbp->run.active)
        return;
    pxe_track_answer(&nbp->run);
    if (!a->ran)
        a->ran = nbp->file;
}

void pxe_boot_progressed(pxe_engine_t *e, pxe_attempt_t *a, const char *what)
{
    if (a->ran && a->outcome == PXE_OUTCOME_NONE)
        pxe_attempt_decide(e, a, PXE_OUTCOME_OK, -1, "%s ran and %s", a->ran, what);
}
