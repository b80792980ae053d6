/* pxe_engine.h - the boot model: feed it every frame of a capture in order,
 * get back per-frame records (stage, client, attempt, links, diagnoses and
 * the verdicts decided on that frame).
 *
 * Plain C on GLib, no Wireshark: the plugin fills pxe_pkt_t from the frame,
 * the unit tests fill it by hand.  Every lookup is a hash map keyed by MAC,
 * IPv4 address, (address, port) or frame; deadlines sit in a heap.
 *
 * What a record says about its client (firmware, architecture, attempt,
 * phase, address, boot file in effect, offer facts) is a snapshot taken when
 * the frame was seen, so one pass and two passes show the same.  Facts learned
 * later are the documented forward fields only: request_in/response_in/
 * n_responses/next_in, PXE_OFFER_TAKEN, the transfer summary (on the
 * transfer's last frame so far) and pxe_rec_open_end().
 *
 * Time is evidence: every frame (of any protocol) moves the engine's clock,
 * and a client silent past its own retry window is decided on the first
 * frame after that window, whoever sent it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_ENGINE_H
#define PXE_ENGINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pxe_codes.h"
#include "pxe_firmware.h"
#include "pxe_stage.h"

/* ---- input ---- */

typedef enum {
    PXE_PKT_NONE = 0,        /* a frame that is no boot packet: it only moves time */
    PXE_PKT_DHCP,
    PXE_PKT_TFTP,
    PXE_PKT_ICMP_UNREACH,    /* ICMP destination unreachable quoting UDP */
    PXE_PKT_ARP,
    PXE_PKT_TCP              /* a TCP segment (HTTP boot), with pxe_tcp_t and pxe_http_t */
} pxe_pkt_kind_t;

#define PXE_OPT_ORDER_MAX 12

typedef struct {
    uint8_t op;              /* 1 request, 2 reply */
    uint8_t msg_type;        /* option 53; 0 for plain BOOTP */
    uint32_t xid;
    uint16_t secs;           /* seconds since the client began */
    uint8_t chaddr[6];
    uint32_t ciaddr, yiaddr, siaddr, giaddr;   /* host byte order */
    bool has_server_id;
    uint32_t server_id;      /* option 54 */
    const char *vendor_class;        /* option 60 or NULL */
    bool has_arch;
    uint16_t arch;           /* option 93 */
    const char *bootfile;    /* option 67, else the file field (NULL if empty) */
    const char *tftp_server_name;    /* option 66 */
    bool ipxe;               /* option 77 "iPXE" or option 175 present */
    bool has_pxe_options;    /* option 43 with PXE suboptions */
    bool boot_item;          /* option 43.71: boot server discovery */
    /* for joining with other logs (pxe_wire_dhcp() says how each is read) */
    const char *host_name;   /* option 12 */
    const char *client_fqdn; /* option 81, the name */
    const char *user_class;  /* option 77 */
    const char *uuid;        /* option 97, "8d3f0000-0000-4000-8000-525400000e01" */
    bool has_requested_addr;
    uint32_t requested_addr; /* option 50 */
    bool has_lease_time;
    uint32_t lease_time;     /* option 51, seconds */
    const char *relay_info;  /* option 82 (relay agent): "circuit-id ..., remote-id ..." */
    bool wds;                /* option 250 present: WDS's boot program (wdsnbp) or server */
    uint8_t wds_next_action; /* option 250 (WDS) sub-option 2: 1 approval pending, 3 referral, 5 abort */
    uint32_t wds_request_id; /* option 250 sub-option 5 */
    bool wds_action_done;    /* option 250 sub-option 14: the action (approval) is done */
    /* the first option codes in the order sent: which server software
     * answered (pxe_server_kind()) */
    uint8_t opt_order[PXE_OPT_ORDER_MAX];
    uint8_t n_opt_order;
    /* DHCPv6 (pxe_wire_dhcp6()): msg_type is the DHCPv4 counterpart
     * (SOLICIT as DISCOVER, ADVERTISE as OFFER, REQUEST/RENEW/REBIND/CONFIRM
     * as REQUEST, REPLY as ACK or, refusing, NAK ...), op 1 from the client,
     * 2 from the server; the addresses above stay 0 and the engine takes
     * them from these. */
    bool v6;
    uint8_t msg6;            /* the DHCPv6 message type */
    bool chaddr_unknown;     /* v6: no DUID-LL/LLT, chaddr is not the client's MAC */
    uint8_t duid_len;        /* option 1, the client's DUID (0: absent) */
    uint8_t duid[130];
    bool has_addr6;          /* IA_NA/IA_TA address of a server reply */
    uint8_t addr6[16];
    bool relayed6;           /* came through RELAY-FORW/REPL: the innermost link-address */
    uint8_t link6[16];
    uint16_t status6;        /* status code (option 13, top level or in the IA), 0 success */
} pxe_dhcp_t;

typedef struct {
    uint16_t opcode;         /* 1 RRQ .. 6 OACK */
    const char *file;        /* RRQ/WRQ */
    uint16_t block;
    uint32_t data_len;       /* DATA payload bytes */
    uint16_t err_code;
    const char *err_msg;
    int64_t opt_tsize, opt_blksize, opt_windowsize;   /* -1 when absent */
} pxe_tftp_t;

/* TCP header flags */
enum {
    PXE_TCP_FIN = 0x01,
    PXE_TCP_SYN = 0x02,
    PXE_TCP_RST = 0x04,
    PXE_TCP_PSH = 0x08,
    PXE_TCP_ACK = 0x10
};

typedef struct {
    uint32_t seq, ack;
    uint8_t flags;           /* PXE_TCP_* */
    uint32_t window;         /* the window field, unscaled */
    uint32_t payload_len;    /* payload bytes on the wire (the segment less its header) */
    const uint8_t *payload;  /* the captured payload bytes, valid during the call; may be NULL */
    uint32_t payload_caplen;
} pxe_tcp_t;

typedef enum {
    PXE_HTTP_NONE = 0,       /* the segment does not start an HTTP message */
    PXE_HTTP_REQUEST,
    PXE_HTTP_RESPONSE
} pxe_http_kind_t;

/* The head of an HTTP/1.x message that starts at a segment's first payload
 * byte (pxe_wire_http()). */
typedef struct {
    uint8_t kind;            /* pxe_http_kind_t */
    const char *method;      /* request: "GET", "HEAD" ... */
    const char *target;      /* request: the request-target as sent */
    const char *host;        /* request: the Host header, NULL when absent */
    uint16_t status;         /* response: 100..599 */
    int64_t content_length;  /* -1 when absent or not a number */
    bool chunked;            /* Transfer-Encoding: chunked */
    int32_t head_len;        /* bytes of the head up to and including its blank
                              * line; -1 when it does not end in this segment */
} pxe_http_t;

typedef struct {
    uint32_t ip_src, ip_dst;         /* of the quoted datagram */
    uint16_t sport, dport;
} pxe_icmp_t;

typedef struct {
    uint16_t opcode;         /* 1 request, 2 reply */
    uint8_t sha[6];
    uint32_t spa, tpa;       /* host byte order */
} pxe_arp_t;

typedef struct {
    uint32_t frame;
    double ts;               /* seconds, absolute */
    bool has_eth;
    uint8_t eth_src[6];
    /* IPv4 addresses in host byte order; for IPv6 (ipv6 set) the engine
     * replaces them with handles of ip6_src/ip6_dst (pxe_addr_is_v6()) */
    uint32_t ip_src, ip_dst;
    bool ipv6;
    uint8_t ip6_src[16], ip6_dst[16];
    uint16_t sport, dport;
    pxe_pkt_kind_t kind;
    pxe_dhcp_t dhcp;
    pxe_tftp_t tftp;
    pxe_icmp_t icmp;
    pxe_arp_t arp;
    pxe_tcp_t tcp;
    pxe_http_t http;
    /* pxe_digest() of the datagram (UDP header on), ICMP message or ARP
     * packet; 0 unknown.  Recognises the same packet captured twice. */
    uint64_t digest;
} pxe_pkt_t;

/* A digest of bytes for pxe_pkt_t.digest (never 0). */
uint64_t pxe_digest(const uint8_t *p, size_t len);

/* ---- output ---- */

#define PXE_DIAG_MAX_FRAMES 8

/* A diagnosis, raised on the frame where its evidence became conclusive. */
typedef struct pxe_diag {
    pxe_code_t code;
    const char *text;        /* "PXE-E53: ACK from ... - set the boot file ..." */
    uint8_t mac[6];          /* the client it is about */
    uint32_t attempt;        /* and that client's attempt */
    const char *screen;      /* what the client prints instead of code, NULL when the same */
    uint32_t frames[PXE_DIAG_MAX_FRAMES];      /* the evidence, ascending */
    unsigned n_frames;
    struct pxe_diag *next;
} pxe_diag_t;

typedef enum {
    PXE_OUTCOME_NONE = 0,    /* not decided (yet) */
    PXE_OUTCOME_OK,
    PXE_OUTCOME_FAILED,
    PXE_OUTCOME_INCOMPLETE   /* never decided: the capture ends first */
} pxe_outcome_t;

/* "ok", "failed", "incomplete" ("" for NONE). */
const char *pxe_outcome_name(pxe_outcome_t o);

/* The outcome of a name, NONE when it is none of them. */
pxe_outcome_t pxe_outcome_from_name(const char *name);

/* A verdict on one attempt, on the frame that decides it.  ok may later turn
 * into failed (a later step of the same boot fails); failed is final. */
typedef struct pxe_verdict {
    pxe_outcome_t outcome;
    uint8_t mac[6];
    uint32_t attempt;
    int code;                /* the deciding diagnosis (pxe_code_t), -1 for ok */
    const char *reason;
    struct pxe_verdict *next;
} pxe_verdict_t;

/* Offer facts, on offers and ACKs. */
enum {
    PXE_OFFER_ADDRESS = 1 << 0,
    PXE_OFFER_NEXT_SERVER = 1 << 1,
    PXE_OFFER_BOOTFILE = 1 << 2,
    PXE_OFFER_PROXY = 1 << 3,
    PXE_OFFER_TAKEN = 1 << 4,        /* forward: set when the client's REQUEST names it */
    PXE_OFFER_PXECLIENT = 1 << 5
};

/* What a DHCP frame itself said, for joining the report with other logs
 * (Zeek's dhcp.log, a DHCP server's lease log): only on records of DHCP
 * frames of a known client, strings interned ('|' made a space), NULL / 0
 * when the message lacks them.  The client's facts come from client
 * messages only, the lease from server replies only. */
typedef struct {
    uint32_t xid;
    uint32_t relay;          /* giaddr; 0 when not relayed */
    const char *relay_info;  /* option 82's circuit-id and remote-id, as text; NULL */
    /* client messages (op 1) */
    uint32_t requested_addr; /* option 50; 0 absent */
    const char *host_name, *client_fqdn, *vendor_class, *user_class, *uuid;
    /* server replies (op 2) */
    uint32_t assigned_addr;  /* yiaddr of an ACK (or BOOTP reply); 0 */
    bool has_lease_time;
    uint32_t lease_time;     /* option 51, seconds */
} pxe_rec_dhcp_t;

struct pxe_attempt;
struct pxe_xfer;

/* One frame's record: a read-only view for the glue and the tests. */
typedef struct pxe_rec {
    uint32_t frame;
    uint8_t stage;           /* pxe_stage_t; NONE on frames that only carry decisions */
    uint8_t offer;           /* PXE_OFFER_* on offers and ACKs */
    uint8_t family;          /* pxe_family_t, snapshot */
    bool has_client;
    bool has_arch;
    bool tftp_nbp;           /* TFTP frames: the transfer is the phase's boot file */
    uint8_t mac[6];
    uint16_t arch;           /* snapshot */
    uint32_t attempt_no, phase;      /* snapshot */
    double since_discover;   /* < 0 when no DISCOVER was seen */
    uint32_t client_ip;      /* snapshot: the address given (offered, on offers) */
    const char *bootfile;    /* offered/named on DHCP replies, else the one in effect */
    uint32_t tftp_server;    /* next-server with bootfile */
    uint32_t dhcp_server;    /* option 54 of a reply, the server asked */
    const char *tftp_file;   /* TFTP frames */
    uint32_t tftp_request_in;        /* TFTP frames: the transfer's first RRQ */
    /* links; response_in, n_responses and next_in are forward */
    uint32_t request_in, response_in, n_responses, prev_in, next_in;
    uint32_t dup_of;         /* a copy of this earlier frame, counted once; 0 */
    bool untracked;          /* a new client's packet beyond opts.max_clients */
    const pxe_rec_dhcp_t *dhcp;      /* DHCP frames of a known client; else NULL */
    pxe_diag_t *diags;
    pxe_verdict_t *verdicts;
    /* private to the core */
    struct pxe_attempt *attempt_;
    struct pxe_xfer *xfer_;
} pxe_rec_t;

typedef enum {
    PXE_XFER_IN_PROGRESS,
    PXE_XFER_COMPLETE,
    PXE_XFER_SIZE_PROBE,
    PXE_XFER_FAILED,
    PXE_XFER_REDIRECTED      /* HTTP 3xx: the file is elsewhere */
} pxe_xfer_status_t;

/* "in progress", "complete", "size probe", "failed", "redirected". */
const char *pxe_xfer_status_name(pxe_xfer_status_t st);

/* The status of a name; false when it is none of them. */
bool pxe_xfer_status_from_name(const char *name, pxe_xfer_status_t *out);

typedef struct {
    const char *file;
    pxe_xfer_status_t status;
    bool complete;
    uint64_t bytes;
    int64_t tsize;           /* -1 unknown */
    uint32_t blocks, blksize, retransmissions;
    double duration;         /* RRQ to the last frame, >= 0 */
    uint32_t request_in;
} pxe_xfer_summary_t;

/* ---- API ---- */

typedef struct pxe_engine pxe_engine_t;

typedef struct {
    bool tftp_all;           /* treat every TFTP transfer as part of a boot */
    /* clients followed at most (0: no limit): the model's memory grows with
     * clients, so a flood of MACs must not take the whole machine.  Frames
     * of clients beyond it get a record with only `untracked` set. */
    uint32_t max_clients;
} pxe_engine_opts_t;

/* Default of max_clients: about 1 KB each, so some 200 MB at most. */
#define PXE_MAX_CLIENTS_DEFAULT 200000

pxe_engine_t *pxe_engine_new(const pxe_engine_opts_t *opts);
void pxe_engine_free(pxe_engine_t *e);

/* Process one frame (frames in capture order; PXE_PKT_NONE for frames that
 * are no boot packet).  Returns its record, or NULL when the frame is not part
 * of a boot and decides nothing.  A frame already processed returns its
 * record unchanged. */
pxe_rec_t *pxe_engine_packet(pxe_engine_t *e, const pxe_pkt_t *pkt);

/* The same for a frame that is no boot packet: only time moves. */
pxe_rec_t *pxe_engine_tick(pxe_engine_t *e, uint32_t frame, double ts);

/* The record of a frame already processed, or NULL. */
pxe_rec_t *pxe_engine_record(pxe_engine_t *e, uint32_t frame);

/* True when rec is its transfer's last frame so far; fills *out. */
bool pxe_rec_transfer(const pxe_rec_t *rec, pxe_xfer_summary_t *out);

/* True when rec is the last frame so far of an attempt that nothing has
 * decided: shown as "incomplete" when the frame is displayed again. */
bool pxe_rec_open_end(const pxe_rec_t *rec);

/* Frames of clients beyond opts.max_clients. */
uint64_t pxe_engine_untracked_frames(const pxe_engine_t *e);

/* Addresses: records and packets hold IPv4 addresses as themselves (host
 * byte order) and IPv6 addresses as handles in 0.0.0.1 .. PXE_ADDR6_MAX,
 * a range no IPv4 host uses (RFC 1122 3.2.1.3).  The glue shows a handle
 * as the IPv6 address pxe_engine_addr6() returns. */
#define PXE_ADDR6_MAX 0x00ffffffu
#define PXE_ADDR_STRLEN 46

static inline bool pxe_addr_is_v6(uint32_t a)
{
    return a != 0 && a <= PXE_ADDR6_MAX;
}

/* The 16 bytes of a handle, NULL when it is none. */
const uint8_t *pxe_engine_addr6(const pxe_engine_t *e, uint32_t handle);

/* An address as text (dotted quad, or RFC 5952 IPv6) into buf. */
const char *pxe_addr_str(const pxe_engine_t *e, uint32_t a, char buf[PXE_ADDR_STRLEN]);

/* Number of clients seen. */
unsigned pxe_engine_client_count(const pxe_engine_t *e);

/* How a client's attempts fold into its verdict, the one rule every output
 * uses: the last attempt's outcome (undecided counts as incomplete), except
 * that an incomplete last attempt that never got an address (DISCOVER/OFFER
 * only, cut off by the end of the capture) does not hide a failure before
 * it.  outcomes[i], got_address[i]: attempt i+1. */
pxe_outcome_t pxe_client_verdict(const pxe_outcome_t *outcomes, const bool *got_address, unsigned n);
/* The same rule kept up to date as attempts arrive, in O(1): the last
 * attempt's outcome and whether it got an address, and whether any attempt
 * before it failed. */
pxe_outcome_t pxe_client_verdict_fold(pxe_outcome_t last, bool last_got_address, bool earlier_failed);

#endif
