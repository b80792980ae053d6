/* pxe_arp.c - ARP rules: a booting client that cannot resolve its TFTP
 * server or router (PXE-E11).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"

#include <string.h>

void pxe_arp_judge(pxe_engine_t *e, pxe_client_t *c)
{
    const pxe_tracker_t *t = &c->arp;
    if (!t->attempt || t->attempt->outcome != PXE_OUTCOME_NONE)
        return;   /* after the boot ran, the OS's ARP is not ours to judge */
    char b[PXE_ADDR_STRLEN];
    uint32_t ev[] = {t->first_frame, t->last_frame};
    pxe_diag_add(e, c, t->attempt, PXE_CODE_E11, ev, 2,
                 "ARP for %s asked %u time(s) over %.1f s, no reply - the TFTP server (or the "
                 "router to it) is down, on another segment, or next-server is wrong",
                 pxe_addr_str(e, c->arp_target, b), t->sends, t->last_ts - t->first_ts);
}

static pxe_rec_t *arp_request(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_arp_t *a = &p->arp;
    /* only boot clients: a who-has from a MAC or address DHCP gave */
    pxe_client_t *c = pxe_client_get(e, a->sha, false);
    if (!c && a->spa)
        c = pxe_client_by_ip(e, a->spa);
    if (!c || !c->attempt || a->spa == a->tpa)
        return NULL;   /* gratuitous ARP proves nothing */
    pxe_rec_t *rec = pxe_rec_new(e, p, PXE_STAGE_ARP, c);
    if (a->tpa != c->arp_target || !c->arp.active) {
        c->arp_target = a->tpa;
        if (c->attempt->outcome == PXE_OUTCOME_NONE)
            pxe_track_start(e, &c->arp, PXE_TRACK_ARP, c, c, c->attempt,
                            &pxe_family_clock(c->family)->arp, p);
        return rec;
    }
    if (pxe_track_again(e, &c->arp, p))
        pxe_track_expire(e, &c->arp);
    return rec;
}

static pxe_rec_t *arp_reply(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_arp_t *a = &p->arp;
    pxe_client_t *c = pxe_client_by_ip(e, a->tpa);
    if (!c || !c->arp.sends || c->arp_target != a->spa)
        return NULL;
    pxe_track_answer(&c->arp);
    pxe_rec_t *rec = pxe_rec_new(e, p, PXE_STAGE_ARP, c);
    rec->request_in = c->arp.first_frame;
    return rec;
}

pxe_rec_t *pxe_arp_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    switch (p->arp.opcode) {
    case 1: return arp_request(e, p);
    case 2: return arp_reply(e, p);
    default: return NULL;
    }
}
