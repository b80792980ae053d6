/* pxe_arp.c - ARP rules: a booting client that cannot resolve its TFTP
 * server or router (PXE-E11).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"

#include <string.h>

pxe_rec_t *pxe_arp_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_arp_t *a = &p->arp;
    char b[16];
    if (a->opcode == 1) {
        /* only boot clients: a who-has from a MAC or address DHCP gave */
        pxe_client_t *c = pxe_client_get(e, a->sha, false);
        if (!c && a->spa)
            c = g_hash_table_lookup(e->by_ip, GUINT_TO_POINTER(a->spa));
        if (!c || !c->attempt || a->spa == a->tpa)
            return NULL;   /* gratuitous ARP proves nothing */
        pxe_rec_t *rec = pxe_rec_new(e, p, PXE_STAGE_ARP, c);
        if (a->tpa != c->arp_target || c->arp_answered) {
            c->arp_target = a->tpa;
            c->arp_sends = 0;
            c->arp_first_ts = p->ts;
            c->arp_first_frame = p->frame;
            c->arp_answered = c->arp_diagnosed = false;
        }
        c->arp_sends++;
        if (!c->arp_diagnosed &&
            pxe_retry_exhausted(&pxe_family_clock(c->family)->arp, c->arp_sends, p->ts - c->arp_first_ts)) {
            uint32_t ev[] = {c->arp_first_frame};
            c->arp_diagnosed = true;
            pxe_diag_add(e, rec, PXE_CODE_E11, ev, 1,
                         "ARP for %s asked %u times over %.1f s, no reply - the TFTP server (or the "
                         "router to it) is down, on another segment, or next-server is wrong",
                         pxe_ip_str(a->tpa, b), c->arp_sends, p->ts - c->arp_first_ts);
        }
        return rec;
    }
    if (a->opcode == 2) {
        pxe_client_t *c = g_hash_table_lookup(e->by_ip, GUINT_TO_POINTER(a->tpa));
        if (!c || !c->arp_sends || c->arp_target != a->spa)
            return NULL;
        c->arp_answered = true;
        pxe_rec_t *rec = pxe_rec_new(e, p, PXE_STAGE_ARP, c);
        rec->request_in = c->arp_first_frame;
        return rec;
    }
    return NULL;
}
