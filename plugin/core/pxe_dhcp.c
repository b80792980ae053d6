/* pxe_dhcp.c - DHCP, proxyDHCP and DHCPv6 rules: stages, offers, attempts
 * and phases (one exchange per IP family), and the diagnoses the flow of an
 * exchange proves (PXE-E51/E52/E53/E55/E78, family-unanswered,
 * competing-dhcp, offer-incomplete, dhcp-nak, dhcp-decline, boot-restart,
 * dhcp-restart).  What one reply proves on its own is in pxe_dhcp_checks.c,
 * what only DHCPv6 needs in pxe_dhcp6.c.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_engine_int.h"
#include "pxe_files.h"
#include "pxe_servers.h"

#include <string.h>
#include <strings.h>

enum {
    DHCP_DISCOVER = 1, DHCP_OFFER, DHCP_REQUEST, DHCP_DECLINE,
    DHCP_ACK, DHCP_NAK, DHCP_RELEASE, DHCP_INFORM
};

#define PROXY_PORT 4011

static bool vc_is_pxe(const char *vc)
{
    return vc && (strncmp(vc, "PXEClient", 9) == 0 || strncmp(vc, "HTTPClient", 10) == 0);
}

bool pxe_dhcp_signed(const pxe_dhcp_t *d)
{
    return vc_is_pxe(d->vendor_class) || d->has_arch || d->ipxe;
}

/* "PXEClient:Arch:00007:UNDI:003016" carries the architecture too. */
static int arch_from_vc(const char *vc)
{
    const char *a = vc ? strstr(vc, ":Arch:") : NULL;
    if (!a)
        return -1;
    int v = 0, n = 0;
    for (a += 6; n < 5 && a[n] >= '0' && a[n] <= '9'; n++)
        v = v * 10 + (a[n] - '0');
    return n == 5 ? v : -1;
}

static pxe_family_t family_of(const pxe_dhcp_t *d, int arch)
{
    if (d->ipxe)
        return PXE_FAMILY_IPXE;
    if (!vc_is_pxe(d->vendor_class) && !d->has_arch)
        return PXE_FAMILY_OTHER;
    if (arch >= 0 && pxe_arch_is_efi((uint16_t)arch) == 1)
        return PXE_FAMILY_EDK2;
    return PXE_FAMILY_LEGACY;
}

static bool same_str(const char *a, const char *b)
{
    return (!a && !b) || (a && b && strcmp(a, b) == 0);
}

static pxe_cycle_t *cycle_new(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p)
{
    pxe_cycle_t *cy = pxe_alloc(e, sizeof *cy);
    const pxe_dhcp_t *d = &p->dhcp;
    cy->xid = d->xid;
    cy->pxeclient = vc_is_pxe(d->vendor_class);
    cy->ipxe = d->ipxe;
    cy->vendor_class = pxe_strdup(e, d->vendor_class);
    cy->family = p->dhcp.op == 1 ? family_of(d, d->has_arch ? d->arch : arch_from_vc(d->vendor_class))
                                 : c->family;
    if (!c->attempt)
        pxe_attempt_new(e, c);
    cy->attempt = c->attempt;
    cy->phase = c->attempt->phase;
    cy->v6 = d->v6;
    c->cycle = cy;
    c->cycles[cy->v6] = cy;
    c->last_cycle = cy;
    return cy;
}

/* Evidence frames of a cycle's offers, for a diagnosis. */
static unsigned offer_frames(const pxe_cycle_t *cy, uint32_t *out, unsigned max, bool proxy_only)
{
    unsigned n = 0;
    for (unsigned i = 0; i < cy->n_offers && n < max; i++)
        if (!proxy_only || (cy->offers[i].flags & PXE_OFFER_PROXY))
            out[n++] = cy->offers[i].rec->frame;
    return n;
}

/* The usable offer: an address offer that names a boot file (or a proxy one
 * that does, with any address offer). */
static bool cycle_has_boot_data(const pxe_cycle_t *cy)
{
    for (unsigned i = 0; i < cy->n_offers; i++)
        if ((cy->offers[i].flags & PXE_OFFER_BOOTFILE) ||
            (cy->offers[i].flags & PXE_OFFER_PROXY))
            return true;
    return false;
}

/* The client gave up discovering (its last retry, or its give-up time went
 * by): judge the offers it got. */
void pxe_dhcp_judge_discovers(pxe_engine_t *e, pxe_cycle_t *cy)
{
    if (cy->offers_diagnosed || !cy->pxeclient || cy->requested)
        return;
    pxe_client_t *c = cy->discover.client;
    pxe_attempt_t *a = cy->attempt;
    double span = cy->discover.last_ts - cy->discover.first_ts;
    uint32_t ev[PXE_DIAG_MAX_FRAMES];
    unsigned n = 0;
    ev[n++] = cy->discover.first_frame;
    ev[n++] = cy->discover.last_frame;
    cy->offers_diagnosed = true;
    const pxe_cycle_t *peer = c->cycles[!cy->v6];
    if (cy->n_offers == 0 && cy->relay) {
        char r[PXE_ADDR_STRLEN];
        pxe_diag_add(e, c, a, PXE_CODE_E51, ev, n,
                     "%u DISCOVER(s) over %.1f s, relayed by %s (giaddr), and no DHCP server "
                     "answered - the relay works; check that the DHCP server has a scope "
                     "(subnet declaration) for the relay's segment %s and that its replies "
                     "route back to the relay (ISC dhcpd logs \"unknown network segment\")",
                     cy->discover.sends, span, pxe_addr_str(e, cy->relay, r), r);
    } else if (cy->n_offers == 0 && peer && peer->attempt == a && peer->phase == cy->phase &&
        peer->n_offers) {
        ev[n++] = peer->offers[0].rec->frame;
        pxe_diag_add(e, c, a, PXE_CODE_FAMILY_UNANSWERED, ev, n,
                     "%u %s over %.1f s went unanswered while the client's %s exchange "
                     "was answered - normal on a single-stack network",
                     cy->discover.sends, cy->v6 ? "DHCPv6 SOLICIT(s)" : "DHCPv4 DISCOVER(s)",
                     span, cy->v6 ? "DHCPv4" : "DHCPv6");
    } else if (cy->n_offers == 0) {
        pxe_diag_add(e, c, a, PXE_CODE_E51, ev, n,
                     "%u DISCOVER(s) over %.1f s and no DHCP or proxyDHCP server answered - "
                     "check that a DHCP server serves this segment (relay/ip helper, VLAN, "
                     "switch port in STP listening state)",
                     cy->discover.sends, span);
    } else if (cy->addr_offers == 0 && cy->proxy_offers) {
        n += offer_frames(cy, ev + n, PXE_DIAG_MAX_FRAMES - n, true);
        pxe_diag_add(e, c, a, PXE_CODE_E52, ev, n,
                     "only proxyDHCP offers (no address) in %u DISCOVER(s) - the address DHCP "
                     "server is missing or does not answer this client",
                     cy->discover.sends);
    } else if (!cycle_has_boot_data(cy)) {
        n += offer_frames(cy, ev + n, PXE_DIAG_MAX_FRAMES - n, false);
        pxe_diag_add(e, c, a, PXE_CODE_E53, ev, n,
                     "%u offer(s) but none names a boot file or comes from a proxyDHCP "
                     "server; the client gave up - set the boot file and next-server: %s",
                     cy->n_offers, pxe_server_bootfile_setting(cy->offers[0].server_kind));
    }
}

/* The client gave up on the proxyDHCP server's port 4011. */
void pxe_dhcp_judge_proxy(pxe_engine_t *e, pxe_cycle_t *cy)
{
    if (cy->proxy_answered)
        return;
    char b[PXE_ADDR_STRLEN];
    uint32_t ev[] = {cy->proxy.first_frame, cy->proxy.last_frame};
    if (cy->boot_server_discovery) {
        pxe_diag_add(e, cy->proxy.client, cy->attempt, PXE_CODE_E78, ev, 2,
                     "%u boot server discovery request(s) (option 43 sub-option 71, the chosen "
                     "menu item) to %s port 4011 over %.1f s, no reply - check that a boot server "
                     "answers that item's type, and the boot server list (43.8) and discovery "
                     "control (43.6) the menu came with",
                     cy->proxy.sends, pxe_addr_str(e, cy->proxy_first_rec->dhcp_server, b),
                     cy->proxy.last_ts - cy->proxy.first_ts);
        return;
    }
    pxe_diag_add(e, cy->proxy.client, cy->attempt, PXE_CODE_E55, ev, 2,
                 "%u request(s) to proxyDHCP %s port 4011 over %.1f s, no reply - check that "
                 "the proxyDHCP/WDS service runs and that UDP 4011 is open",
                 cy->proxy.sends, pxe_addr_str(e, cy->proxy_first_rec->dhcp_server, b),
                 cy->proxy.last_ts - cy->proxy.first_ts);
}

typedef enum { CYCLE_SAME_PHASE, CYCLE_NEXT_PHASE, CYCLE_NEW_ATTEMPT, CYCLE_RESTART } cycle_kind_t;

/* The other IP family's exchange of the phase is still under way: the
 * client (iPXE, a dual-stack OS) asks over IPv4 and IPv6 at once. */
static bool peer_under_way(pxe_engine_t *e, const pxe_cycle_t *peer, const pxe_attempt_t *a,
                           const pxe_dhcp_t *d)
{
    if (!peer || peer->attempt != a || peer->phase != a->phase)
        return false;
    /* iPXE configures both families at once (EDK2 tries them in turn):
     * the other family answered first is no reason to start over */
    if (d && d->ipxe && peer->ipxe && peer->acked && a->outcome != PXE_OUTCOME_FAILED)
        return true;
    if (peer->requested || peer->acked || peer->offers_diagnosed || !peer->discover.active)
        return false;
    const pxe_tracker_t *t = &peer->discover;
    return !pxe_retry_exhausted(&t->clock, t->sends, e->now - t->first_ts);
}

/* Is a new DHCP exchange the firmware retrying (new attempt), or the boot
 * program's own DHCP (next phase of the same attempt)?  A family's first
 * exchange is judged against the other family's. */
static cycle_kind_t classify_cycle(pxe_engine_t *e, const pxe_client_t *c, const pxe_dhcp_t *d)
{
    const pxe_cycle_t *old = c->last_cycle;
    const pxe_attempt_t *a = c->attempt;
    if (!a)
        return CYCLE_NEW_ATTEMPT;
    if (peer_under_way(e, c->cycles[!d->v6], a, d))
        return CYCLE_SAME_PHASE;
    bool same_as_last = old && old->ipxe == d->ipxe && same_str(old->vendor_class, d->vendor_class);
    bool firmware_again = a->has_fw_sig && a->fw_ipxe == d->ipxe &&
                          same_str(a->fw_vendor_class, d->vendor_class) && vc_is_pxe(d->vendor_class);
    bool nbp_done = a->nbp && a->nbp->complete;
    bool ipxe_next = nbp_done && pxe_file_is_ipxe(a->nbp->file);
    if (a->outcome == PXE_OUTCOME_OK)
        /* the boot ran: the firmware again is a reboot, anything else the
         * next stage (a chainloaded iPXE, a loader's or the OS's DHCP) */
        return (firmware_again && !ipxe_next) ? CYCLE_NEW_ATTEMPT : CYCLE_NEXT_PHASE;
    if (nbp_done) {
        /* an NBP built for other firmware cannot have run: whatever DHCP
         * follows is the firmware starting over */
        if (!a->arch_mismatch && (ipxe_next || !same_as_last))
            return CYCLE_NEXT_PHASE;
        return CYCLE_RESTART;
    }
    if (old && (old->acked || old->requested || old->offers_diagnosed))
        return CYCLE_NEW_ATTEMPT;    /* the firmware gave up on the last exchange */
    return CYCLE_SAME_PHASE;
}

static void next_phase(pxe_engine_t *e, pxe_client_t *c, const pxe_dhcp_t *d)
{
    pxe_attempt_t *a = c->attempt;
    pxe_xfer_t *nbp = a->nbp;
    a->phase++;
    a->bootfile = NULL;
    a->bootfile_rec = NULL;
    a->nbp = NULL;
    if (!nbp || !nbp->complete)
        return;
    a->last_nbp_done = nbp->file;
    a->last_nbp_frame = nbp->last_frame;
    /* the boot program runs its own DHCP: the proof that it ran */
    const char *who = d->ipxe ? "iPXE" : vc_is_pxe(d->vendor_class) ? "PXE client" : "boot program";
    uint32_t ev[] = {nbp->last_frame};
    pxe_diag_add(e, c, a, PXE_CODE_SECOND_STAGE_DHCP, ev, 1, "%s ran and starts its own DHCP (%s)",
                 nbp->file, who);
    pxe_nbp_ran(a->loader ? a->loader : nbp);
}

/* The old attempt ends as the client starts over; whatever nothing else
 * decided is decided now. */
static void end_attempt(pxe_engine_t *e, pxe_client_t *c, pxe_attempt_t *a, bool restart)
{
    pxe_xfer_t *nbp = a->nbp;
    if (restart) {
        uint32_t ev[] = {nbp->rrq_frame, nbp->last_frame};
        pxe_track_answer(&nbp->run);
        pxe_diag_add(e, c, a, PXE_CODE_BOOT_RESTART, ev, 2,
                     "the client received %s completely (%" G_GUINT64_FORMAT " bytes) and then "
                     "started DHCP over: the file did not run - check that it is a valid boot "
                     "program for this client's firmware",
                     nbp->file, nbp->bytes);
    } else if (a->outcome == PXE_OUTCOME_NONE && a->requested) {
        uint32_t ev[] = {a->bootfile_rec ? a->bootfile_rec->frame : 0};
        pxe_diag_add(e, c, a, PXE_CODE_DHCP_RESTART, ev, 1,
                     "the client started DHCP over%s%s without a visible cause - check the "
                     "client's screen; the boot file may be missing or refused",
                     a->bootfile ? " after being given " : "", a->bootfile ? a->bootfile : "");
    }
}

/* A DHCP exchange begins. */
static pxe_rec_t *begin_cycle(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p)
{
    const pxe_dhcp_t *d = &p->dhcp;
    /* the other family's DISCOVERs, past their last retry, are over: the
     * client moved on to this family (a firmware's boot order) */
    pxe_cycle_t *peer = c->cycles[!d->v6];
    if (peer && peer->discover.active && c->attempt && !peer_under_way(e, peer, c->attempt, NULL))
        pxe_track_expire(e, &peer->discover);
    cycle_kind_t what = classify_cycle(e, c, d);
    /* what the client left pending has now failed (E32, E35, E55) */
    if (c->cycle || c->pending_xfer)
        pxe_settle_pending(e, c, true);
    if (what == CYCLE_NEW_ATTEMPT || what == CYCLE_RESTART) {
        if (c->attempt)
            end_attempt(e, c, c->attempt, what == CYCLE_RESTART);
        pxe_attempt_new(e, c);
    } else if (what == CYCLE_NEXT_PHASE) {
        next_phase(e, c, d);
    }
    pxe_attempt_t *a = c->attempt;
    if (!a->has_fw_sig && d->op == 1) {
        a->has_fw_sig = true;
        a->fw_ipxe = d->ipxe;
        a->fw_vendor_class = pxe_strdup(e, d->vendor_class);
    }
    cycle_new(e, c, p);
    return pxe_rec_new(e, p, d->msg_type == DHCP_REQUEST ? PXE_STAGE_REQUEST : PXE_STAGE_DISCOVER, c);
}

static pxe_rec_t *client_discover(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p)
{
    pxe_cycle_t *cy = c->cycle;
    pxe_rec_t *rec;
    bool again = cy && cy->discover.sends && !cy->requested && !cy->acked && !cy->offers_diagnosed;
    if (again) {
        rec = pxe_rec_new(e, p, PXE_STAGE_DISCOVER, c);
    } else {
        rec = begin_cycle(e, c, p);
        cy = c->cycle;
    }
    if (!c->seen_discover) {
        c->seen_discover = true;
        c->first_discover_ts = p->ts;
        rec->since_discover = 0.0;
    }
    cy->xid = p->dhcp.xid;
    cy->last_discover_rec = rec;
    if (!again) {
        cy->first_discover_rec = rec;
        pxe_track_start(e, &cy->discover, PXE_TRACK_DISCOVER, cy, c, cy->attempt,
                        &pxe_family_clock(cy->family)->dhcp, p);
    } else if (pxe_track_again(e, &cy->discover, p)) {
        pxe_track_expire(e, &cy->discover);
    }
    return rec;
}

static pxe_offer_t *find_offer(pxe_cycle_t *cy, uint32_t server)
{
    for (unsigned i = cy->n_offers; i-- > 0;)
        if (cy->offers[i].server == server && !(cy->offers[i].flags & PXE_OFFER_PROXY))
            return &cy->offers[i];
    return NULL;
}

static void note_client_facts(pxe_engine_t *e, pxe_client_t *c, const pxe_dhcp_t *d)
{
    if (d->has_arch) {
        c->has_arch = true;
        c->arch = d->arch;
    } else if (!c->has_arch) {
        int arch = arch_from_vc(d->vendor_class);
        c->has_arch = arch >= 0;
        c->arch = arch >= 0 ? (uint16_t)arch : 0;
    }
    if (pxe_dhcp_signed(d))
        c->family = family_of(d, c->has_arch ? c->arch : -1);
    if (d->ciaddr)
        pxe_client_set_ip(e, c, d->ciaddr);
}

static void next_phase(pxe_engine_t *e, pxe_client_t *c, const pxe_dhcp_t *d);

/* wdsnbp.com (wdsmgfw.efi) runs and asks the WDS server on port 4011, with
 * option 250: that is the boot program's own exchange, the next phase. */
static bool wdsnbp_asks(const pxe_client_t *c, const pxe_dhcp_t *d)
{
    const pxe_attempt_t *a = c->attempt;
    const pxe_cycle_t *cy = c->cycle;
    return d->wds && a && a->nbp && a->nbp->complete && cy && cy->phase == a->phase &&
           pxe_file_is_wds_nbp(a->nbp->file);
}

/* A REQUEST (or INFORM) to the proxyDHCP server's port 4011. */
static pxe_rec_t *proxy_request(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p)
{
    if (wdsnbp_asks(c, &p->dhcp)) {
        pxe_settle_pending(e, c, true);
        next_phase(e, c, &p->dhcp);
        cycle_new(e, c, p);
    }
    pxe_cycle_t *cy = c->cycle ? c->cycle : cycle_new(e, c, p);
    /* with option 43.71, a boot server discovery of a menu item */
    bool bootsrv = p->dhcp.boot_item;
    pxe_rec_t *rec = pxe_rec_new(e, p, bootsrv ? PXE_STAGE_BOOTSRV_REQUEST : PXE_STAGE_PROXY_REQUEST, c);
    rec->dhcp_server = p->ip_dst;
    cy->boot_server_discovery |= bootsrv;
    if (!cy->proxy_first_rec) {
        cy->proxy_first_rec = rec;
        if (cy->ack_rec) {
            rec->prev_in = cy->ack_rec->frame;
            cy->ack_rec->next_in = rec->frame;
        }
        cy->proxy_last_rec = rec;
        pxe_track_start(e, &cy->proxy, PXE_TRACK_PROXY, cy, c, cy->attempt,
                        &pxe_family_clock(cy->family)->proxy, p);
        return rec;
    }
    rec->prev_in = cy->proxy_last_rec->frame;
    cy->proxy_last_rec = rec;
    if (pxe_track_again(e, &cy->proxy, p))
        pxe_track_expire(e, &cy->proxy);
    return rec;
}

/* The client takes an offer without boot data while another server offered
 * some: two servers compete, the wrong one won. */
static void check_competing(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const pxe_offer_t *o)
{
    if ((o->flags & PXE_OFFER_BOOTFILE) || cy->proxy_offers || cy->competing_reported)
        return;
    for (unsigned i = 0; i < cy->n_offers; i++) {
        const pxe_offer_t *other = &cy->offers[i];
        if ((other->flags & (PXE_OFFER_PROXY | PXE_OFFER_BOOTFILE)) != PXE_OFFER_BOOTFILE ||
            other->server == o->server)
            continue;
        char b1[PXE_ADDR_STRLEN], b2[PXE_ADDR_STRLEN];
        uint32_t ev[] = {other->rec->frame, o->rec->frame};
        cy->competing_reported = true;
        pxe_diag_add(e, c, cy->attempt, PXE_CODE_COMPETING_DHCP, ev, 2,
                     "the client takes the offer of %s, which has no boot data, while %s "
                     "offered %s - remove or restrict one of the DHCP servers",
                     pxe_addr_str(e, o->server, b1), pxe_addr_str(e, other->server, b2), other->bootfile);
        return;
    }
}

static pxe_rec_t *client_request(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p)
{
    const pxe_dhcp_t *d = &p->dhcp;
    pxe_cycle_t *cy = c->cycle;
    pxe_rec_t *rec;
    bool resent = cy && cy->request_rec && cy->request_xid == d->xid && d->v6;
    if (!resent && (!cy || cy->acked)) {
        /* REQUEST without DISCOVER (INIT-REBOOT, renewal): a cycle of its own;
         * a DHCPv6 REQUEST sent again with its xid after a refusal is not */
        rec = begin_cycle(e, c, p);
        cy = c->cycle;
    } else {
        rec = pxe_rec_new(e, p, PXE_STAGE_REQUEST, c);
    }
    if (d->boot_item)
        rec->stage = PXE_STAGE_BOOTSRV_REQUEST;
    if (!cy->request_rec || rec->stage == PXE_STAGE_REQUEST) {
        cy->request_rec = rec;
        cy->request_xid = d->xid;
    }
    cy->requested = true;
    cy->attempt->requested = true;
    pxe_track_answer(&cy->discover);
    pxe_offer_t *o = d->has_server_id ? find_offer(cy, d->server_id) : NULL;
    if (o && rec->stage == PXE_STAGE_REQUEST) {
        check_competing(e, c, cy, o);
        o->flags |= PXE_OFFER_TAKEN;
        o->rec->offer |= PXE_OFFER_TAKEN;
        rec->prev_in = o->rec->frame;
        o->rec->next_in = rec->frame;
        rec->dhcp_server = d->server_id;
    }
    return rec;
}

static pxe_rec_t *client_decline(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p)
{
    pxe_cycle_t *cy = c->cycle;
    pxe_rec_t *rec = pxe_rec_new(e, p, PXE_STAGE_DECLINE, c);
    uint32_t ev[1] = {cy && cy->ack_rec ? cy->ack_rec->frame : 0};
    char b[PXE_ADDR_STRLEN];
    pxe_diag_add(e, c, c->attempt, PXE_CODE_DHCP_DECLINE, ev, 1,
                 "the client declined the address %s it was given (address conflict, or "
                 "an address/netmask it cannot use) - check the DHCP scope",
                 pxe_addr_str(e, cy && cy->ack_rec ? cy->ack_rec->client_ip : 0, b));
    if (cy)
        cy->acked = cy->requested = true;
    return rec;
}

/* The stage of a message outside the boot's own exchange. */
static pxe_stage_t stack_stage(const pxe_dhcp_t *d)
{
    switch (d->msg_type) {
    case DHCP_DISCOVER: return PXE_STAGE_DISCOVER;
    case DHCP_OFFER: return PXE_STAGE_OFFER;
    case DHCP_ACK: return PXE_STAGE_ACK;
    case DHCP_NAK: return PXE_STAGE_NAK;
    case DHCP_RELEASE: return PXE_STAGE_RELEASE;
    case DHCP_INFORM: return PXE_STAGE_INFORM;
    default: return PXE_STAGE_REQUEST;
    }
}

/* The client a message is about, its current exchange the one of the
 * message's IP family. */
static pxe_client_t *dhcp_client(pxe_engine_t *e, const pxe_pkt_t *p, bool create)
{
    const pxe_dhcp_t *d = &p->dhcp;
    pxe_client_t *c = d->v6 ? pxe_dhcp6_client(e, p, create) : pxe_client_get(e, d->chaddr, create);
    if (c)
        c->cycle = c->cycles[d->v6];
    return c;
}

static pxe_rec_t *client_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_dhcp_t *d = &p->dhcp;
    pxe_client_t *c = dhcp_client(e, p, pxe_dhcp_signed(d));
    if (!c)
        return NULL;
    if (d->v6)
        pxe_dhcp6_bookkeeping(c, p);
    if (d->v6 && pxe_dhcp6_stack_exchange(c, p))
        return pxe_rec_new(e, p, stack_stage(d), c);
    note_client_facts(e, c, d);
    bool to_proxy = p->dport == PROXY_PORT;

    if (d->msg_type == DHCP_DISCOVER || (d->msg_type == 0 && !to_proxy))
        return client_discover(e, c, p);
    if (to_proxy && (d->msg_type == DHCP_REQUEST || d->msg_type == DHCP_INFORM))
        return proxy_request(e, c, p);
    switch (d->msg_type) {
    case DHCP_REQUEST: return client_request(e, c, p);
    case DHCP_DECLINE: return client_decline(e, c, p);
    case DHCP_RELEASE: return pxe_rec_new(e, p, PXE_STAGE_RELEASE, c);
    case DHCP_INFORM: return pxe_rec_new(e, p, PXE_STAGE_INFORM, c);
    default: return pxe_rec_new(e, p, PXE_STAGE_REQUEST, c);
    }
}

/* The boot file and server named by a reply become the phase's boot file. */
static void take_bootfile(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, pxe_rec_t *rec,
                          const char *file, uint32_t server)
{
    pxe_attempt_t *a = c->attempt;
    a->bootfile = file;
    a->bootfile_rec = rec;
    a->tftp_server = server;
    rec->bootfile = file;       /* the boot file in effect from this reply on */
    rec->tftp_server = server;
    pxe_dhcp_check_bootfile(e, c, cy, rec, file);
}

static uint8_t offer_flags(const pxe_dhcp_t *d)
{
    uint8_t flags = 0;
    if (d->yiaddr)
        flags |= PXE_OFFER_ADDRESS;
    if (d->siaddr || (d->tftp_server_name && *d->tftp_server_name))
        flags |= PXE_OFFER_NEXT_SERVER;
    if (d->bootfile)
        flags |= PXE_OFFER_BOOTFILE;
    if (vc_is_pxe(d->vendor_class))
        flags |= PXE_OFFER_PXECLIENT;
    return flags;
}

/* A reply's record: what it offers, as it offers it. */
static pxe_rec_t *reply_rec(pxe_engine_t *e, pxe_client_t *c, const pxe_pkt_t *p, pxe_stage_t st,
                            uint32_t server)
{
    const pxe_dhcp_t *d = &p->dhcp;
    pxe_rec_t *rec = pxe_rec_new(e, p, st, c);
    pxe_dhcp_check_wds(e, c, d, server);
    rec->offer = offer_flags(d);
    rec->bootfile = pxe_strdup(e, d->bootfile);
    rec->tftp_server = d->siaddr;
    rec->dhcp_server = server;
    if (d->yiaddr)
        rec->client_ip = d->yiaddr;
    return rec;
}

static pxe_rec_t *server_offer(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy,
                               const pxe_pkt_t *p, uint32_t server)
{
    const pxe_dhcp_t *d = &p->dhcp;
    /* DHCPv6 knows no proxy; an ADVERTISE without an address is a boot
     * server's (EDK2 takes one with a boot file URL) or a refusal */
    bool proxy = !d->yiaddr && (!d->v6 || d->bootfile);
    pxe_rec_t *rec = reply_rec(e, c, p, proxy ? PXE_STAGE_PROXY_OFFER : PXE_STAGE_OFFER, server);
    if (proxy)
        rec->offer |= PXE_OFFER_PROXY;
    pxe_link(cy->last_discover_rec, rec);
    if (cy->n_offers < PXE_MAX_OFFERS) {
        pxe_offer_t *o = &cy->offers[cy->n_offers++];
        o->server = server;
        o->flags = rec->offer;
        o->bootfile = rec->bootfile;
        o->next_server = d->siaddr;
        o->server_kind = (uint8_t)pxe_server_kind(d);
        o->rec = rec;
    }
    if (proxy) {
        cy->proxy_offers++;
        return rec;
    }
    if (!d->yiaddr)
        return rec;
    cy->addr_offers++;
    char b[PXE_ADDR_STRLEN];
    if (d->bootfile && !(rec->offer & PXE_OFFER_NEXT_SERVER)) {
        pxe_diag_add(e, c, cy->attempt, PXE_CODE_OFFER_INCOMPLETE, NULL, 0,
                     "offer from %s names %s but no next-server (siaddr 0.0.0.0, no "
                     "option 66) - set next-server to the TFTP server: %s",
                     pxe_addr_str(e, server, b), d->bootfile,
                     pxe_server_bootfile_setting(pxe_server_kind(d)));
    }
    return rec;
}

/* The proxyDHCP server's answer to the 4011 request. */
static pxe_rec_t *server_proxy_ack(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy,
                                   const pxe_pkt_t *p, uint32_t server)
{
    const pxe_dhcp_t *d = &p->dhcp;
    pxe_rec_t *rec = reply_rec(e, c, p, PXE_STAGE_PROXY_ACK, server);
    cy->proxy_answered = true;
    pxe_track_answer(&cy->proxy);
    pxe_link(cy->proxy_last_rec, rec);
    if (d->bootfile)
        take_bootfile(e, c, cy, rec, rec->bootfile, d->siaddr ? d->siaddr : p->ip_src);
    return rec;
}

/* An ACK without a boot file: a proxy offer may carry it, else PXE-E53. */
static void ack_without_bootfile(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, pxe_rec_t *rec,
                                 const pxe_dhcp_t *d, uint32_t server)
{
    for (unsigned i = 0; i < cy->n_offers; i++) {
        pxe_offer_t *o = &cy->offers[i];
        if ((o->flags & PXE_OFFER_PROXY) && o->bootfile) {
            take_bootfile(e, c, cy, rec, o->bootfile, o->next_server ? o->next_server : o->server);
            return;
        }
    }
    if (rec->stage != PXE_STAGE_ACK || !cy->pxeclient || c->attempt->phase != 1 ||
        cy->proxy_offers || (rec->offer & PXE_OFFER_PXECLIENT) || d->has_pxe_options)
        return;
    char b[PXE_ADDR_STRLEN];
    uint32_t ev[2] = {cy->request_rec ? cy->request_rec->frame : 0, 0};
    for (unsigned i = 0; i < cy->n_offers; i++)
        if (cy->offers[i].flags & PXE_OFFER_TAKEN)
            ev[1] = cy->offers[i].rec->frame;
    pxe_diag_add(e, c, cy->attempt, PXE_CODE_E53, ev, 2,
                 "ACK from %s names no boot file (no option 67, empty file field) and no "
                 "proxyDHCP server answered - set the boot file on the DHCP server: %s",
                 pxe_addr_str(e, server, b), pxe_server_bootfile_setting(pxe_server_kind(d)));
}

static pxe_rec_t *server_ack(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const pxe_pkt_t *p,
                             uint32_t server)
{
    const pxe_dhcp_t *d = &p->dhcp;
    /* proxyDHCP answers from 4011; some servers answer the 4011 request from 67 */
    if (p->sport == PROXY_PORT ||
        (cy->proxy.sends && !cy->proxy_answered && p->ip_src == cy->proxy_first_rec->dhcp_server))
        return server_proxy_ack(e, c, cy, p, server);
    pxe_stage_t st = d->boot_item ? PXE_STAGE_BOOTSRV_ACK : PXE_STAGE_ACK;
    if (d->yiaddr) {
        pxe_client_set_ip(e, c, d->yiaddr);
        c->attempt->dhcp_server = server;
        c->attempt->relay = d->giaddr ? d->giaddr : cy->relay;
    }
    pxe_rec_t *rec = reply_rec(e, c, p, st, server);
    pxe_link(st == PXE_STAGE_BOOTSRV_ACK ? NULL : cy->request_rec, rec);
    if (st == PXE_STAGE_ACK) {
        cy->acked = true;
        cy->ack_rec = rec;
        if (c->attempt->phase > 1)
            pxe_boot_progressed(e, c->attempt, "its own DHCP got an address");
    }
    if (!d->bootfile) {
        ack_without_bootfile(e, c, cy, rec, d, server);
        return rec;
    }
    take_bootfile(e, c, cy, rec, rec->bootfile, d->siaddr ? d->siaddr : server);
    pxe_dhcp_check_next_server(e, c, cy, p, server);
    return rec;
}

static pxe_rec_t *server_nak(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const pxe_pkt_t *p,
                             uint32_t server)
{
    pxe_rec_t *rec = pxe_rec_new(e, p, PXE_STAGE_NAK, c);
    rec->dhcp_server = server;
    pxe_link(cy->request_rec, rec);
    char b[PXE_ADDR_STRLEN];
    uint32_t ev[1] = {cy->request_rec ? cy->request_rec->frame : 0};
    const pxe_dhcp_t *d = &p->dhcp;
    if (d->v6) {
        static const char *const status[] = {"Success", "UnspecFail", "NoAddrsAvail", "NoBinding",
                                             "NotOnLink", "UseMulticast"};
        pxe_diag_add(e, c, cy->attempt, PXE_CODE_DHCP_NAK, ev, 1,
                     "%s refused the client's REQUEST (REPLY with status %u %s) - check the "
                     "DHCPv6 pool, and whether the address is bound to another DUID or IAID "
                     "of the same machine (the firmware's IPv6 stack and its PXE client)",
                     pxe_addr_str(e, server, b), d->status6,
                     d->status6 < G_N_ELEMENTS(status) ? status[d->status6] : "");
    } else {
        pxe_diag_add(e, c, cy->attempt, PXE_CODE_DHCP_NAK, ev, 1,
                     "%s refused the client's REQUEST (NAK): the address is wrong for this "
                     "network or another server's lease - check for a second DHCP server "
                     "or an authoritative server with a stale lease",
                     pxe_addr_str(e, server, b));
    }
    cy->acked = true;
    return rec;
}

static pxe_rec_t *server_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    const pxe_dhcp_t *d = &p->dhcp;
    pxe_client_t *c = dhcp_client(e, p, vc_is_pxe(d->vendor_class));
    if (!c)
        return NULL;
    if (d->v6 && pxe_dhcp6_bookkeeping(c, p))
        return pxe_rec_new(e, p, PXE_STAGE_RELEASE, c);    /* confirms a RELEASE */
    if (d->v6 && pxe_dhcp6_stack_exchange(c, p))
        return pxe_rec_new(e, p, stack_stage(d), c);
    pxe_cycle_t *cy = c->cycle ? c->cycle : cycle_new(e, c, p);
    uint32_t server = d->has_server_id ? d->server_id : p->ip_src;
    switch (d->msg_type) {
    case DHCP_OFFER: return server_offer(e, c, cy, p, server);
    case DHCP_ACK: return server_ack(e, c, cy, p, server);
    case DHCP_NAK: return server_nak(e, c, cy, p, server);
    default: {
        /* ACK to INFORM without message type, BOOTP replies */
        pxe_rec_t *rec = pxe_rec_new(e, p, PXE_STAGE_ACK, c);
        rec->bootfile = pxe_strdup(e, d->bootfile);
        rec->dhcp_server = server;
        return rec;
    }
    }
}

/* A string from the packet, interned; '|' (tshark's aggregator) made a
 * space like the other pxe strings, so a field value is one value. */
static const char *intern_clean(pxe_engine_t *e, const char *s)
{
    if (!s || !strchr(s, '|'))
        return pxe_strdup(e, s);
    char *copy = g_strdup(s);
    pxe_scrub(copy);
    const char *r = pxe_strdup(e, copy);
    g_free(copy);
    return r;
}

/* What the message itself said, for joins with other logs: on the records
 * of DHCP frames of a known client only, so other records stay small. */
static void note_dhcp_facts(pxe_engine_t *e, pxe_rec_t *rec, const pxe_pkt_t *p)
{
    if (!rec || !rec->has_client || rec->dhcp)
        return;
    const pxe_dhcp_t *d = &p->dhcp;
    pxe_rec_dhcp_t *f = pxe_alloc(e, sizeof *f);
    f->xid = d->xid;
    f->relay = d->giaddr;
    f->relay_info = intern_clean(e, d->relay_info);
    if (d->op == 1) {
        /* the client's own words: who it is and what it asks for (a
         * server's option 60 "PXEClient" or 12 says nothing of the client) */
        f->requested_addr = d->has_requested_addr ? d->requested_addr : 0;
        f->host_name = intern_clean(e, d->host_name);
        f->client_fqdn = intern_clean(e, d->client_fqdn);
        f->vendor_class = intern_clean(e, d->vendor_class);
        f->user_class = intern_clean(e, d->user_class);
        f->uuid = pxe_strdup(e, d->uuid);
    } else {
        /* an OFFER's yiaddr is only offered (pxe.client_ip says so) */
        if (d->msg_type == DHCP_ACK || d->msg_type == 0)
            f->assigned_addr = d->yiaddr;
        f->has_lease_time = d->has_lease_time;
        f->lease_time = d->lease_time;
    }
    rec->dhcp = f;
}

void pxe_dhcp_note_relay(pxe_engine_t *e, const pxe_pkt_t *p)
{
    if (p->kind != PXE_PKT_DHCP || !p->dhcp.giaddr || p->dhcp.v6)
        return;
    pxe_client_t *c = pxe_client_get(e, p->dhcp.chaddr, false);
    if (c && c->cycles[0])
        c->cycles[0]->relay = p->dhcp.giaddr;
}

pxe_rec_t *pxe_dhcp_packet(pxe_engine_t *e, const pxe_pkt_t *p)
{
    pxe_rec_t *rec = p->dhcp.op == 1 ? client_packet(e, p) : server_packet(e, p);
    pxe_dhcp_note_relay(e, p);
    note_dhcp_facts(e, rec, p);
    return rec;
}
