/* pxe_engine_int.h - engine internals shared by the DHCP and TFTP rule files.
 * Not part of the interface: only pxe_engine.c, pxe_dhcp.c and pxe_tftp.c
 * include it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_ENGINE_INT_H
#define PXE_ENGINE_INT_H

#include <glib.h>

#include "pxe_engine.h"

/* Offers remembered per DHCP cycle; more than this many servers answering one
 * client is already a diagnosis of its own. */
#define PXE_MAX_OFFERS 8

typedef struct {
    uint32_t server;         /* option 54, else the source address */
    uint8_t flags;           /* PXE_OFFER_* */
    const char *bootfile;
    uint32_t next_server;
    pxe_rec_t *rec;
} pxe_offer_t;

/* One DHCP exchange of one client: DISCOVERs (with their retransmissions),
 * offers, REQUEST/ACK and the proxyDHCP exchange that follows. */
typedef struct pxe_cycle {
    uint32_t xid;
    pxe_family_t family;
    bool pxeclient;          /* option 60 PXEClient/HTTPClient */
    bool ipxe;
    const char *vendor_class;
    unsigned discovers;
    double first_discover_ts;
    pxe_rec_t *first_discover_rec, *last_discover_rec;
    pxe_offer_t offers[PXE_MAX_OFFERS];
    unsigned n_offers, addr_offers, proxy_offers;
    bool offers_diagnosed, competing_reported;
    pxe_rec_t *request_rec, *ack_rec;
    bool requested, acked;
    /* proxyDHCP on 4011 */
    unsigned proxy_sends;
    double proxy_first_ts;
    pxe_rec_t *proxy_first_rec, *proxy_last_rec;
    bool proxy_answered, proxy_diagnosed;
} pxe_cycle_t;

struct pxe_engine {
    pxe_engine_opts_t opts;
    GHashTable *clients;     /* MAC as uint64 -> pxe_client_t */
    GHashTable *by_ip;       /* IPv4 -> pxe_client_t */
    GHashTable *xfers;       /* (client IPv4 << 16 | client port) -> pxe_xfer_t */
    GHashTable *records;     /* frame -> pxe_rec_t */
    GStringChunk *strings;
    GSList *blocks;          /* arena: the current block first */
    GSList *big;             /* allocations too large for a block */
    size_t block_used, block_size;
};

void *pxe_alloc(pxe_engine_t *e, size_t size);
const char *pxe_strdup(pxe_engine_t *e, const char *s);

pxe_client_t *pxe_client_get(pxe_engine_t *e, const uint8_t mac[6], bool create);
void pxe_client_set_ip(pxe_engine_t *e, pxe_client_t *c, uint32_t ip);
pxe_attempt_t *pxe_attempt_new(pxe_engine_t *e, pxe_client_t *c);

pxe_rec_t *pxe_rec_new(pxe_engine_t *e, const pxe_pkt_t *p, pxe_stage_t stage, pxe_client_t *c);

/* Add a diagnosis to rec.  frames: the evidence (0 entries are skipped; rec's
 * own frame is always included).  The text is "<code>: " + the formatted cause. */
pxe_diag_t *pxe_diag_add(pxe_engine_t *e, pxe_rec_t *rec, pxe_code_t code,
                         const uint32_t *frames, unsigned n_frames,
                         const char *fmt, ...) G_GNUC_PRINTF(6, 7);

/* Link a request record and its answer. */
void pxe_link(pxe_rec_t *request, pxe_rec_t *response);

/* Dotted quad of a host-order address into buf (16 bytes). */
const char *pxe_ip_str(uint32_t ip, char buf[16]);

/* The client did something new (DHCP again, another TFTP file): what it left
 * unanswered is now known to have failed; diagnose it on rec. */
void pxe_settle_pending(pxe_engine_t *e, pxe_client_t *c, pxe_rec_t *rec);

pxe_rec_t *pxe_dhcp_packet(pxe_engine_t *e, const pxe_pkt_t *p);
pxe_rec_t *pxe_tftp_packet(pxe_engine_t *e, const pxe_pkt_t *p);
pxe_rec_t *pxe_icmp_packet(pxe_engine_t *e, const pxe_pkt_t *p);
pxe_rec_t *pxe_arp_packet(pxe_engine_t *e, const pxe_pkt_t *p);

#endif
