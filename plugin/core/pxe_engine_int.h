/* pxe_engine_int.h - the boot model's private state: clients, attempts, DHCP
 * cycles, transfers and the retry tracker they share.  Only the core's own
 * files include it; the glue sees records (pxe_engine.h).
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

struct pxe_client;

/* ---- the retry tracker: one for every repeated request ---- */

typedef enum {
    PXE_TRACK_DISCOVER,      /* owner: pxe_cycle_t; judged: E51/E52/E53 */
    PXE_TRACK_PROXY,         /* owner: pxe_cycle_t; E55 */
    PXE_TRACK_ARP,           /* owner: pxe_client_t; E11 */
    PXE_TRACK_RRQ,           /* owner: pxe_xfer_t; E32 */
    PXE_TRACK_ACK,           /* owner: pxe_xfer_t; E35 */
    PXE_TRACK_NBP_RUN,       /* owner: pxe_xfer_t (the boot program); nbp-stalled */
    PXE_TRACK_FETCH          /* owner: pxe_cycle_t; an ACK with option 66 only: E7B */
} pxe_track_kind_t;

/* A request the client repeats until it is answered or gives up. */
typedef struct pxe_tracker {
    uint8_t kind;            /* pxe_track_kind_t */
    bool active;             /* sent, not answered, not judged */
    bool in_heap;
    unsigned sends;
    uint32_t first_frame, last_frame;
    double first_ts, last_ts;
    double deadline;         /* the client has given up by then */
    pxe_retry_t clock;
    void *owner;
    struct pxe_client *client;
    struct pxe_attempt *attempt;     /* the attempt a failure belongs to */
} pxe_tracker_t;

/* ---- the model ---- */

typedef struct {
    uint32_t server;         /* option 54, else the source address */
    uint8_t flags;           /* PXE_OFFER_* */
    const char *bootfile;
    uint32_t next_server;
    uint8_t server_kind;     /* pxe_server_kind_t */
    pxe_rec_t *rec;
} pxe_offer_t;

/* One DHCP exchange of one client: DISCOVERs (with their retransmissions),
 * offers, REQUEST/ACK and the proxyDHCP exchange that follows. */
typedef struct pxe_cycle {
    uint32_t xid;
    bool v6;                 /* DHCPv6 */
    uint32_t phase;          /* the attempt's phase it began in */
    pxe_family_t family;
    bool pxeclient;          /* option 60 PXEClient/HTTPClient */
    bool ipxe;
    const char *vendor_class;
    struct pxe_attempt *attempt;
    pxe_tracker_t discover;
    pxe_rec_t *first_discover_rec, *last_discover_rec;
    pxe_offer_t offers[PXE_MAX_OFFERS];
    unsigned n_offers, addr_offers, proxy_offers;
    bool offers_diagnosed, competing_reported;
    pxe_rec_t *request_rec, *ack_rec;
    uint32_t request_xid;
    bool requested, acked;
    pxe_tracker_t proxy;     /* REQUESTs to port 4011 */
    pxe_rec_t *proxy_first_rec, *proxy_last_rec;
    bool proxy_answered;
    bool boot_server_discovery;      /* the 4011 requests carry 43.71: a menu item's server */
    uint32_t relay;          /* a giaddr seen on the exchange (a relay's copy included) */
    pxe_tracker_t fetch;     /* after an ACK naming its server by option 66 only */
    uint32_t e7b_server;
    uint8_t e7b_server_kind;
} pxe_cycle_t;

/* One TFTP transfer: one RRQ's client address and port. */
typedef struct pxe_xfer {
    const char *file;
    uint32_t client_ip, server_ip;
    uint16_t client_port, server_port;
    uint32_t rrq_frame, first_reply_frame, last_frame;
    double rrq_ts, first_reply_ts, last_ts;
    int64_t tsize;           /* announced in the OACK, -1 unknown */
    uint32_t blksize;
    uint32_t windowsize;
    uint64_t bytes;
    uint32_t blocks;         /* blocks received, wraps counted */
    uint32_t retransmissions;
    bool oack, complete, aborted_probe, failed, acked_once;
    bool nbp;                /* the boot file named by DHCP (or the phase's first RRQ) */
    bool http;               /* an HTTP transfer (pxe_http.c), else TFTP */
    bool redirected;         /* HTTP 3xx */
    uint16_t last_block, last_ack;
    bool data_since_ack;     /* DATA arrived since the client's last ACK */
    pxe_tracker_t rrq, ack, run;
    struct pxe_client *client;
    struct pxe_attempt *attempt;
    uint32_t phase;
    pxe_rec_t *last_rec;
} pxe_xfer_t;

typedef struct pxe_client {
    uint8_t mac[6];
    bool has_arch;
    uint16_t arch;
    pxe_family_t family;
    bool seen_discover;
    double first_discover_ts;
    uint32_t ip;             /* last address the client was given */
    uint32_t n_attempts;
    struct pxe_attempt *attempt;     /* current */
    pxe_cycle_t *cycle;              /* current DHCP cycle (of the latest message's IP family) */
    pxe_cycle_t *cycles[2];          /* the current DHCPv4 and DHCPv6 cycles */
    pxe_cycle_t *last_cycle;         /* the latest to begin, of either family */
    bool has_release6;
    uint32_t release6_xid;           /* a DHCPv6 RELEASE/DECLINE whose REPLY only confirms it */
    bool has_stack6;
    uint32_t stack6_xid;             /* the firmware IPv6 stack's latest DHCPv6 exchange */
    pxe_xfer_t *pending_xfer;        /* latest transfer, while unanswered or unfinished */
    uint32_t arp_target;             /* address the client is resolving */
    pxe_tracker_t arp;
} pxe_client_t;

/* One boot attempt: firmware DHCP, NBP, what the NBP fetched, chainloads. */
typedef struct pxe_attempt {
    uint32_t number;
    uint32_t phase;          /* DHCP cycles within the attempt: 1 firmware, 2 NBP ... */
    pxe_client_t *client;
    const char *bootfile;    /* current phase's boot file */
    pxe_rec_t *bootfile_rec; /* the reply that named it */
    uint32_t tftp_server;
    uint32_t dhcp_server;
    pxe_xfer_t *nbp;         /* current phase's NBP transfer */
    pxe_xfer_t *loader;      /* the latest boot program that arrived complete */
    const char *last_nbp_done;       /* file of the last complete NBP */
    uint32_t last_nbp_frame;
    const char *ipxe_seen[4];        /* iPXE images fetched complete this attempt */
    unsigned n_ipxe_seen;
    bool loop_reported;
    bool arch_mismatch;      /* the boot file cannot run on this firmware */
    bool requested;          /* a REQUEST was sent in this attempt */
    bool has_fw_sig;         /* the firmware's DHCP signature, from the first cycle */
    bool fw_ipxe;
    const char *fw_vendor_class;
    const char *ran;         /* the boot program that showed it runs, NULL before */
    uint32_t relay;          /* giaddr of the ACK that gave the address: a relayed boot */
    pxe_outcome_t outcome;   /* NONE until decided */
    uint32_t last_frame;     /* the attempt's own last frame */
} pxe_attempt_t;

typedef struct {
    double deadline;
    pxe_tracker_t *t;
} pxe_deadline_t;

struct pxe_engine {
    pxe_engine_opts_t opts;
    GHashTable *clients;     /* MAC as uint64 -> pxe_client_t */
    GHashTable *by_ip;       /* IPv4 -> pxe_client_t */
    GHashTable *xfers;       /* (client IPv4 << 16 | client port) -> pxe_xfer_t; also
                              * the candidate size probes under keys with bit 63
                              * set (pxe_tftp.c) */
    struct pxe_probe *probes;        /* ring of PXE_PROBE_MAX candidate probes, NULL until one */
    unsigned probe_next;             /* the ring's oldest entry, reused next */
    GHashTable *records;     /* frame -> pxe_rec_t */
    GArray *deadlines;       /* min-heap of pxe_deadline_t */
    double now;              /* latest frame time seen */
    uint32_t cur_frame;      /* the frame being processed */
    pxe_rec_t *cur_rec;      /* its record, NULL while it has none */
    GHashTable *dup_index;   /* recent packets' keys -> entry (pxe_dup.c) */
    GQueue dup_queue;        /* the same entries, oldest first */
    bool cur_untracked;      /* this frame named a client beyond max_clients */
    pxe_rec_t untracked_rec; /* the record such frames share */
    uint64_t untracked_frames;
    GHashTable *http_flows;  /* (client address << 16 | port) -> pxe_http_flow_t */
    GHashTable *by_duid;     /* digest of a DHCPv6 client DUID -> MAC as uint64 */
    GHashTable *addr6_index; /* 16 address bytes -> handle */
    GPtrArray *addr6;        /* handle - 1 -> the 16 bytes */
    GStringChunk *strings;
    GSList *blocks;          /* arena: the current block first */
    GSList *big;             /* allocations too large for a block */
    size_t block_used, block_size;
};

void *pxe_alloc(pxe_engine_t *e, size_t size);
const char *pxe_strdup(pxe_engine_t *e, const char *s);

/* pxe_dup.c: copies of a packet within PXE_DUP_WINDOW_S are counted once. */
#define PXE_DUP_WINDOW_S 0.1
#define PXE_DUP_MAX_KEYS 65536
bool pxe_dup_seen(pxe_engine_t *e, const pxe_pkt_t *p, uint32_t *original);
void pxe_dup_record(pxe_engine_t *e, uint32_t original);
void pxe_dup_free(pxe_engine_t *e);

pxe_client_t *pxe_client_get(pxe_engine_t *e, const uint8_t mac[6], bool create);
pxe_client_t *pxe_client_by_ip(pxe_engine_t *e, uint32_t ip);
void pxe_client_set_ip(pxe_engine_t *e, pxe_client_t *c, uint32_t ip);
pxe_attempt_t *pxe_attempt_new(pxe_engine_t *e, pxe_client_t *c);

/* The record of the frame being processed, created bare when needed. */
pxe_rec_t *pxe_rec_here(pxe_engine_t *e);

/* The frame's record as a packet of client c (NULL: no client) at this
 * stage, with the client's state as of now. */
pxe_rec_t *pxe_rec_new(pxe_engine_t *e, const pxe_pkt_t *p, pxe_stage_t stage, pxe_client_t *c);

/* The same for a frame that belongs to attempt a (which may be an earlier
 * attempt than the client's current one: a late packet of an old transfer). */
pxe_rec_t *pxe_rec_of(pxe_engine_t *e, const pxe_pkt_t *p, pxe_stage_t stage, pxe_attempt_t *a);

/* Add a diagnosis about (c, a) to the frame being processed.  frames: the
 * evidence (0 entries are skipped; the frame itself is always included).  The
 * text is "<code>: " + the formatted cause.  An error decides a failed
 * attempt. */
pxe_diag_t *pxe_diag_add(pxe_engine_t *e, pxe_client_t *c, pxe_attempt_t *a, pxe_code_t code,
                         const uint32_t *frames, unsigned n_frames,
                         const char *fmt, ...) G_GNUC_PRINTF(7, 8);

/* Decide attempt a on the frame being processed (pxe_verdict.c). */
void pxe_attempt_decide(pxe_engine_t *e, pxe_attempt_t *a, pxe_outcome_t outcome, int code,
                        const char *fmt, ...) G_GNUC_PRINTF(5, 6);

/* Link a request record and its answer. */
void pxe_link(pxe_rec_t *request, pxe_rec_t *response);

/* Blank what would break pxe-report's columns (tshark's separators: tab,
 * newline, '|') in a text the plugin exports. */
void pxe_scrub(char *s);

/* ---- addresses (pxe_addr.c) ---- */

/* The handle of an IPv6 address, interned on first sight; 0 for :: or
 * when PXE_ADDR6_MAX addresses are taken. */
uint32_t pxe_addr6(pxe_engine_t *e, const uint8_t a[16]);
/* The same, or only a lookup (0 when unknown) when !create. */
uint32_t pxe_addr6_find(pxe_engine_t *e, const uint8_t a[16], bool create);
void pxe_addr_free(pxe_engine_t *e);

/* The packet as the rules read it: IPv6 addresses as handles (ip_src,
 * ip_dst, and a DHCPv6 message's address as yiaddr, its relay's link as
 * giaddr); IPv4 addresses in 0.0.0.0/8 but 0.0.0.0, which are no host's
 * (RFC 1122 3.2.1.3) and would read as handles, as 0. */
void pxe_addr_normalize(pxe_engine_t *e, pxe_pkt_t *p);

/* ---- trackers (pxe_track.c) ---- */

/* The first send of a request. */
void pxe_track_start(pxe_engine_t *e, pxe_tracker_t *t, pxe_track_kind_t kind, void *owner,
                     pxe_client_t *c, pxe_attempt_t *a, const pxe_retry_t *clock,
                     const pxe_pkt_t *p);

/* A repeat.  True when this was the client's last try: judge it now. */
bool pxe_track_again(pxe_engine_t *e, pxe_tracker_t *t, const pxe_pkt_t *p);

/* Answered: nothing to judge. */
void pxe_track_answer(pxe_tracker_t *t);

/* Judge an unanswered request now (the client gave up). */
void pxe_track_expire(pxe_engine_t *e, pxe_tracker_t *t);

/* The client moved on (DHCP again, another file): what it repeated at least
 * min_sends times without an answer has failed; the rest is dropped. */
void pxe_track_settle(pxe_engine_t *e, pxe_tracker_t *t, unsigned min_sends);

/* Time moved to now: judge every request whose client has given up. */
void pxe_track_tick(pxe_engine_t *e, double now);

/* The client did something new: settle what it left pending.  dhcp_again:
 * it starts DHCP over (an unanswered proxyDHCP request has then failed);
 * else it asks for another file (it got what it needed elsewhere). */
void pxe_settle_pending(pxe_engine_t *e, pxe_client_t *c, bool dhcp_again);

/* The boot program nbp (complete) showed that it runs (its own DHCP, a
 * request for the next file): it did not stall. */
void pxe_nbp_ran(pxe_xfer_t *nbp);

/* What the running boot program asked for arrived (the next file complete,
 * its own DHCP's ACK): the attempt is ok unless something failed. */
void pxe_boot_progressed(pxe_engine_t *e, pxe_attempt_t *a, const char *what);

/* Judgements, one per tracker kind, in the rule files. */
void pxe_dhcp_judge_discovers(pxe_engine_t *e, pxe_cycle_t *cy);
void pxe_dhcp_judge_proxy(pxe_engine_t *e, pxe_cycle_t *cy);
void pxe_dhcp_judge_fetch(pxe_engine_t *e, pxe_cycle_t *cy);

/* pxe_dhcp_checks.c: what one reply proves on its own.  The boot file a
 * reply names (arch-mismatch, chainload-loop, url-to-pxe, wds-abort); WDS's
 * option 250 (wds-pending-approval); an ACK without next-server (PXE-E7B,
 * at once or after the client's wait, pxe_dhcp_judge_fetch()). */
void pxe_dhcp_check_bootfile(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const pxe_rec_t *rec,
                             const char *file);
void pxe_dhcp_check_wds(pxe_engine_t *e, pxe_client_t *c, const pxe_dhcp_t *d, uint32_t server);
void pxe_dhcp_check_next_server(pxe_engine_t *e, pxe_client_t *c, pxe_cycle_t *cy, const pxe_pkt_t *p,
                                uint32_t server);
void pxe_arp_judge(pxe_engine_t *e, pxe_client_t *c);
void pxe_tftp_judge_open(pxe_engine_t *e, pxe_xfer_t *x);
void pxe_tftp_judge_read(pxe_engine_t *e, pxe_xfer_t *x);
void pxe_tftp_judge_run(pxe_engine_t *e, pxe_xfer_t *x);

pxe_rec_t *pxe_dhcp_packet(pxe_engine_t *e, const pxe_pkt_t *p);
/* A PXE client's signature: vendor class PXEClient/HTTPClient, option 93
 * (DHCPv6: 61) or iPXE's user class. */
bool pxe_dhcp_signed(const pxe_dhcp_t *d);
/* A relayed DHCPv4 message (or a relay's copy counted as a duplicate):
 * its client's exchange went through that relay. */
void pxe_dhcp_note_relay(pxe_engine_t *e, const pxe_pkt_t *p);

/* pxe_dhcp6.c: the client a DHCPv6 message is about (NULL when unknown and
 * not to be created); and the bookkeeping of RELEASE/DECLINE, true for a
 * server REPLY that only confirms one. */
pxe_client_t *pxe_dhcp6_client(pxe_engine_t *e, const pxe_pkt_t *p, bool create);
bool pxe_dhcp6_bookkeeping(pxe_client_t *c, const pxe_pkt_t *p);
/* True for a message of the firmware IPv6 stack's own DHCPv6 (see
 * pxe_dhcp6.c): recorded, but no part of the PXE exchange. */
bool pxe_dhcp6_stack_exchange(pxe_client_t *c, const pxe_pkt_t *p);
pxe_rec_t *pxe_tftp_packet(pxe_engine_t *e, const pxe_pkt_t *p);
pxe_rec_t *pxe_http_packet(pxe_engine_t *e, const pxe_pkt_t *p);

/* pxe_http.c: whether a TCP segment is to or from a known client (only
 * those are followed: the cost of TCP stays with boot clients). */
bool pxe_http_relevant(pxe_engine_t *e, const pxe_pkt_t *p);
void pxe_http_free(pxe_engine_t *e);

/* Transfers of either protocol (pxe_tftp.c): the request p of client c for
 * file starts x (allocated by the caller) and returns the request's record;
 * a frame of x gets its record; x arrived whole. */
pxe_rec_t *pxe_xfer_start(pxe_engine_t *e, pxe_client_t *c, pxe_xfer_t *x, const pxe_pkt_t *p,
                          pxe_stage_t stage, const char *file);
pxe_rec_t *pxe_xfer_rec(pxe_engine_t *e, const pxe_pkt_t *p, pxe_stage_t st, pxe_xfer_t *x);
void pxe_xfer_complete(pxe_engine_t *e, pxe_xfer_t *x, const pxe_pkt_t *p);
pxe_rec_t *pxe_icmp_packet(pxe_engine_t *e, const pxe_pkt_t *p);
pxe_rec_t *pxe_arp_packet(pxe_engine_t *e, const pxe_pkt_t *p);

#endif
