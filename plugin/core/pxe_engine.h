/* pxe_engine.h - the boot tracker: feed it the DHCP, TFTP and ICMP packets of
 * a capture in order, get back per-frame records (stage, client, attempt,
 * links between frames, diagnoses).
 *
 * Plain C on GLib, no Wireshark: the plugin fills pxe_pkt_t from the dissected
 * fields, the unit tests fill it by hand.  Every lookup is a hash map keyed by
 * MAC, IPv4 address or (address, port); no per-client lists are scanned.
 * Records stay valid, and keep being updated with facts learned later (the
 * OFFER that answered a DISCOVER, the end of a transfer), until the engine is
 * freed.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_ENGINE_H
#define PXE_ENGINE_H

#include <stdbool.h>
#include <stdint.h>

#include "pxe_codes.h"
#include "pxe_firmware.h"
#include "pxe_stage.h"

/* ---- input ---- */

typedef enum {
    PXE_PKT_DHCP = 1,
    PXE_PKT_TFTP,
    PXE_PKT_ICMP_UNREACH,    /* ICMP destination unreachable quoting UDP */
    PXE_PKT_ARP
} pxe_pkt_kind_t;

typedef struct {
    uint8_t op;              /* 1 request, 2 reply */
    uint8_t msg_type;        /* option 53; 0 for plain BOOTP */
    uint32_t xid;
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
    uint32_t ip_src, ip_dst; /* host byte order */
    uint16_t sport, dport;
    pxe_pkt_kind_t kind;
    pxe_dhcp_t dhcp;
    pxe_tftp_t tftp;
    pxe_icmp_t icmp;
    pxe_arp_t arp;
} pxe_pkt_t;

/* ---- output ---- */

#define PXE_DIAG_MAX_FRAMES 8

typedef struct pxe_diag {
    pxe_code_t code;
    const char *text;        /* "PXE-E53: ACK from ... - set the boot file ..." */
    uint32_t frames[PXE_DIAG_MAX_FRAMES];      /* the evidence, ascending */
    unsigned n_frames;
    struct pxe_diag *next;
} pxe_diag_t;

/* One TFTP transfer: one RRQ's client address and port. */
typedef struct pxe_xfer {
    const char *file;
    uint32_t client_ip, server_ip;
    uint16_t client_port, server_port;
    uint32_t rrq_frame, first_reply_frame, last_frame;
    double rrq_ts, first_reply_ts, last_ts;
    unsigned rrq_sends;
    int64_t tsize;           /* announced in the OACK, -1 unknown */
    uint32_t blksize;
    uint32_t windowsize;
    uint64_t bytes;
    uint32_t blocks;         /* highest block number seen, wraps counted */
    uint32_t retransmissions;
    bool oack, complete, aborted_probe, failed;
    bool nbp;                /* the boot file named by DHCP (or the phase's first RRQ) */
    bool diagnosed;
    uint16_t last_block, last_ack;
    bool data_since_ack;     /* DATA arrived since the client's last ACK */
    unsigned ack_repeats;
    double ack_first_ts;
    uint32_t ack_first_frame;
    struct pxe_attempt *attempt;
    struct pxe_rec *rrq_rec, *last_rec;
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
    struct pxe_cycle *cycle;         /* current DHCP cycle */
    pxe_xfer_t *pending_xfer;        /* latest transfer, while unanswered or unfinished */
    uint32_t arp_target;             /* address the client is resolving */
    unsigned arp_sends;
    double arp_first_ts;
    uint32_t arp_first_frame;
    bool arp_answered, arp_diagnosed;
} pxe_client_t;

/* One boot attempt: firmware DHCP, NBP, what the NBP fetched, chainloads. */
typedef struct pxe_attempt {
    uint32_t number;
    uint32_t phase;          /* DHCP cycles within the attempt: 1 firmware, 2 NBP ... */
    const char *bootfile;    /* current phase's boot file */
    struct pxe_rec *bootfile_rec;    /* the reply that named it */
    uint32_t tftp_server;
    uint32_t dhcp_server;
    pxe_xfer_t *nbp;         /* current phase's NBP transfer */
    const char *last_nbp_done;       /* file of the last complete NBP */
    uint32_t last_nbp_frame;
    const char *ipxe_seen[4];        /* iPXE images fetched complete this attempt */
    unsigned n_ipxe_seen;
    bool loop_reported;
    bool arch_mismatch;      /* the boot file cannot run on this firmware */
} pxe_attempt_t;

/* Offer data used in displays */
enum {
    PXE_OFFER_ADDRESS = 1 << 0,
    PXE_OFFER_NEXT_SERVER = 1 << 1,
    PXE_OFFER_BOOTFILE = 1 << 2,
    PXE_OFFER_PROXY = 1 << 3,
    PXE_OFFER_TAKEN = 1 << 4,
    PXE_OFFER_PXECLIENT = 1 << 5
};

typedef struct pxe_rec {
    uint32_t frame;
    uint8_t stage;           /* pxe_stage_t */
    uint8_t offer;           /* PXE_OFFER_* on offers and ACKs */
    uint16_t attempt_no, phase;
    pxe_client_t *client;    /* NULL when the client is not known */
    pxe_attempt_t *attempt;
    double since_discover;   /* < 0 when no DISCOVER was seen */
    uint32_t request_in;     /* the frame this one answers */
    uint32_t response_in;    /* the first frame that answers this one */
    uint16_t n_responses;
    uint32_t prev_in;        /* previous step of the boot (ACK naming the file -> RRQ) */
    uint32_t next_in;
    const char *bootfile;    /* offered / named boot file on DHCP replies */
    uint32_t tftp_server;    /* offered next-server, 0 if none */
    uint32_t dhcp_server;    /* option 54 of a reply */
    uint32_t client_ip;
    pxe_xfer_t *xfer;        /* TFTP frames */
    bool xfer_last;          /* the transfer's last frame so far: carries its summary */
    pxe_diag_t *diags;
} pxe_rec_t;

/* ---- API ---- */

typedef struct pxe_engine pxe_engine_t;

typedef struct {
    bool tftp_all;           /* treat every TFTP transfer as part of a boot */
} pxe_engine_opts_t;

pxe_engine_t *pxe_engine_new(const pxe_engine_opts_t *opts);
void pxe_engine_free(pxe_engine_t *e);

/* Process one packet (frames in capture order).  Returns its record, or NULL
 * when the packet is not part of a network boot. */
pxe_rec_t *pxe_engine_packet(pxe_engine_t *e, const pxe_pkt_t *pkt);

/* The record of a frame already processed, or NULL. */
pxe_rec_t *pxe_engine_record(pxe_engine_t *e, uint32_t frame);

/* Number of clients seen. */
unsigned pxe_engine_client_count(const pxe_engine_t *e);

#endif
