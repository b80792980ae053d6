/* report_model.h - clients, their boot attempts, the files they fetched and
 * the diagnoses and verdicts they got, folded row by row from the plugin's
 * fields.  Nothing is decided here: attempts, transfers (pxe.tftp.request_in),
 * the attempt of each diagnosis (pxe.diag.attempt) and each attempt's outcome
 * (pxe.outcome) are the plugin's; only how attempts fold into a client's
 * verdict is applied, through the core's pxe_client_verdict().
 *
 * Streaming: a row updates its client and attempt and is forgotten, so
 * memory grows with clients, attempts, transfers and distinct diagnoses,
 * never with packets.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REPORT_MODEL_H
#define REPORT_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include <glib.h>

#include "pxe_codes.h"
#include "report_input.h"

/* Evidence frames kept per diagnosis after merging repeats. */
#define REPORT_MAX_DIAG_FRAMES 64
/* Distinct DHCP / TFTP servers kept per attempt. */
#define REPORT_MAX_SERVERS 8
/* Files and distinct diagnoses kept per attempt: a client that asks for
 * 100,000 files is reported, its memory is not.  What is left out is
 * counted (report_model_limits) and said on stderr and in JSON. */
#define REPORT_MAX_FILES 10000
#define REPORT_MAX_DIAGS 1000

typedef enum {
    REPORT_OK,
    REPORT_FAILED,
    REPORT_INCOMPLETE
} report_outcome_t;

/* The plugin's outcome as the report's. */
report_outcome_t report_outcome_of(pxe_outcome_t o);

/* A diagnosis of one attempt; repeats (same code and summary) merged. */
typedef struct {
    pxe_code_t code;
    pxe_severity_t severity;
    char *summary;
    GArray *frames;          /* uint32_t, ascending, unique */
    bool frames_truncated;   /* more than REPORT_MAX_DIAG_FRAMES */
    uint32_t count;          /* times the plugin reported it */
} report_diag_t;

/* What a file came by, as the stages of its frames say (pxe_stage_is_tftp,
 * the core's HTTP stages). */
typedef enum {
    REPORT_PROTO_TFTP,       /* also a transfer no frame told (older plugins: TFTP only) */
    REPORT_PROTO_HTTP
} report_proto_t;

/* "tftp", "http": the JSON value. */
const char *report_proto_name(report_proto_t p);
/* "TFTP", "HTTP": the text. */
const char *report_proto_label(report_proto_t p);

/* One transfer (one TFTP RRQ and its retransmissions, or one HTTP request
 * and its response: pxe.tftp.request_in), as its latest transfer summary
 * describes it. */
typedef struct {
    char *name;
    report_proto_t proto;
    bool proto_known;        /* a frame's stage told proto */
    uint32_t phase;
    bool nbp;
    uint32_t request_in;
    report_xfer_status_t status;
    bool complete;
    uint64_t bytes;
    bool has_tsize;
    uint64_t tsize;
    double duration;
    uint32_t first_frame, last_frame;
    double first_time, last_time;    /* of those frames, seconds since the epoch */
    uint32_t complete_frame; /* 0 until complete */
} report_file_t;

typedef struct {
    uint32_t number;
    uint32_t first_frame, last_frame;
    double first_time, last_time;
    uint32_t phases;         /* highest pxe.phase seen */
    uint8_t stage;           /* furthest step of the normal path (report_stage_rank) */
    uint8_t stage_any;       /* highest stage of any kind */
    char *firmware;
    bool has_arch;
    uint16_t arch;
    char *address;           /* given (ACK, TFTP); IPv4 or IPv6 text */
    char *offered_address;   /* else offered */
    char *bootfile;          /* named by the firmware phase's ACK */
    GPtrArray *dhcp_servers, *tftp_servers;  /* char*, in order seen; tftp_servers: the
                                              * boot file's server, TFTP or HTTP */
    unsigned tftp_files, http_files;         /* transfers by protocol, size probes included */
    GPtrArray *diags;        /* report_diag_t*, in order reported */
    GHashTable *diag_index;  /* "code\tsummary" -> report_diag_t* */
    GPtrArray *files;        /* report_file_t*, size probes included */
    GHashTable *file_index;  /* request_in -> report_file_t* */
    /* timings, seconds since the epoch */
    bool has_discover, has_offer, has_ack, has_rrq, has_bootsrv;
    double discover_time, offer_time, ack_time, rrq_time, bootsrv_wait;
    /* the plugin's verdict (pxe.outcome): NONE until one arrives */
    pxe_outcome_t outcome;
    int outcome_code;        /* pxe_code_t of a failed attempt, else -1 */
    char *outcome_reason;
    uint32_t outcome_frame;  /* the deciding frame */
    double outcome_time;
    /* what its DHCP messages said (pxe.dhcp.*), for joins with other logs:
     * NULL / false while unknown */
    bool has_xid;
    uint32_t xid;            /* of the attempt's first DHCP message */
    char *vendor_class, *user_class, *uuid;  /* the first the client sent */
    char *host_name, *client_fqdn;           /* the latest the client sent */
    char *requested_addr;    /* the latest option 50 */
    char *assigned_addr;     /* the latest ACK's yiaddr */
    bool has_lease_time;
    uint32_t lease_time;     /* the latest option 51 of a reply, seconds */
    char *relay;             /* the latest giaddr */
} report_attempt_t;

typedef struct {
    gint64 key;              /* the model's lookup key: input and MAC */
    unsigned capture;        /* index of the input it came from */
    const char *capture_name;   /* NULL for standard input */
    uint8_t mac[6];
    char mac_str[18];
    GPtrArray *attempts;     /* report_attempt_t*, by number once settled */
    GHashTable *attempt_index;   /* number -> report_attempt_t* */
    /* kept up to date as rows arrive, so that folding a client is O(1) */
    report_attempt_t *last;  /* the highest-numbered attempt */
    unsigned failed;         /* attempts whose outcome is failed */
    unsigned items;          /* diagnoses and files of all attempts */
    bool unsorted;           /* an attempt arrived out of order */
    /* what --follow printed last */
    bool printed;
    uint32_t printed_attempt;
    report_outcome_t printed_outcome;
    unsigned printed_items;
} report_client_t;

typedef struct report_model report_model_t;

/* only: keep just this client (NULL: all). */
report_model_t *report_model_new(const uint8_t *only);
void report_model_free(report_model_t *m);

/* Rows that follow come from this input (NULL name: standard input).
 * Frame and attempt numbers start over with each input, so clients are
 * kept apart per input. */
void report_model_begin_input(report_model_t *m, const char *name);

/* Fold one valid row in.  Returns the client it updated, or NULL (not a
 * boot frame, no client, or filtered out). */
report_client_t *report_model_add(report_model_t *m, const report_row_t *row);

/* Put a client's attempts in order of number (input written by hand can
 * number them in any order; tshark's never does). Outputs call it before
 * they walk c->attempts; O(1) when nothing arrived out of order. */
void report_client_settle(report_client_t *c);
/* The same for every client: before the final outputs. */
void report_model_settle(report_model_t *m);

/* Clients in order of first appearance. */
const GPtrArray *report_model_clients(const report_model_t *m);

/* Boot frames whose client the plugin did not know. */
uint64_t report_model_unattributed(const report_model_t *m);

/* What was not kept: frames of clients the plugin did not follow (beyond its
 * pxe.max_clients), files and diagnoses beyond the caps above. */
typedef struct {
    uint64_t untracked_frames, files_dropped, diags_dropped;
} report_limits_t;
void report_model_limits(const report_model_t *m, report_limits_t *out);

typedef struct {
    bool has_discover_offer, has_ack_rrq, has_nbp, has_menu;
    double discover_offer;   /* first DISCOVER to first OFFER (firmware phase) */
    double menu;             /* the firmware's ACK (or proxy ACK) to its first boot server
                              * REQUEST: the boot menu's prompt and choice */
    double ack_rrq;          /* last ACK before the first RRQ to that RRQ */
    double nbp;              /* the NBP transfer */
    double total;            /* first to last frame of the attempt */
} report_timings_t;

void report_attempt_timings(const report_attempt_t *a, report_timings_t *t);

/* The transfer of the firmware's boot program: the firmware phase's
 * transfer the plugin marked as the NBP, a complete one first, never a size
 * probe; NULL. */
const report_file_t *report_attempt_nbp(const report_attempt_t *a);

/* What to call the attempt's boot file server (tftp_servers): "TFTP" or
 * "HTTP" when its files came by that protocol alone, "boot server" when by
 * both; with no file, "HTTP" for an http:// or https:// boot file, else
 * "TFTP". */
const char *report_attempt_server_label(const report_attempt_t *a);

/* Diagnoses, files, in one count: --follow prints a client again at the
 * end when this grew after its verdict was printed. */
unsigned report_client_items(const report_client_t *c);

/* A stable id of one attempt, for joins with other logs (as Zeek's uid):
 * "P" and the first 16 hex digits of the SHA-256 of "MAC<tab>attempt<tab>
 * first frame time" (aa:bb:..., decimal, epoch seconds with 6 decimals).
 * The same boot always gets the same id: from the capture file, through a
 * pipe, or live with --follow; the file's name is left out on purpose, so
 * a live report and a later one on the saved capture join. */
#define REPORT_UID_SIZE 18
void report_attempt_uid(const report_client_t *c, const report_attempt_t *a,
                        char out[REPORT_UID_SIZE]);

/* Seconds since the epoch as ISO 8601 UTC with microseconds,
 * "2026-12-01T18:15:26.123456Z". */
#define REPORT_ISO_SIZE 40
const char *report_iso_time(double t, char out[REPORT_ISO_SIZE]);

#endif
