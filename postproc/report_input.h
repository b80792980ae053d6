/* report_input.h - the tshark fields pxe-report reads, and the parser of
 * `tshark -T fields -E header=y -E separator=/t -E aggregator='|'
 * -E occurrence=a` output into rows.
 *
 * The column list here is also the list of -e options pxe-report gives
 * tshark (report_tshark.c), so the direct and the pipeline forms read the
 * same columns.  Columns are found by their header name: extra and
 * reordered columns are fine, a missing one is an error.  Every value is
 * checked against doc/fields.md; a row that does not fit is an error naming
 * the line, never guessed at.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REPORT_INPUT_H
#define REPORT_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "pxe_codes.h"
#include "pxe_engine.h"

typedef enum {
    REPORT_COL_FRAME,
    REPORT_COL_TIME,
    REPORT_COL_STAGE,
    REPORT_COL_CLIENT,
    REPORT_COL_CLIENT_IP,
    REPORT_COL_ARCH,
    REPORT_COL_FIRMWARE,
    REPORT_COL_ATTEMPT,
    REPORT_COL_PHASE,
    REPORT_COL_BOOTFILE,
    REPORT_COL_TFTP_SERVER,
    REPORT_COL_DHCP_SERVER,
    REPORT_COL_TFTP_FILE,
    REPORT_COL_TFTP_NBP,
    REPORT_COL_TFTP_STATUS,
    REPORT_COL_TFTP_COMPLETE,
    REPORT_COL_TFTP_BYTES,
    REPORT_COL_TFTP_TSIZE,
    REPORT_COL_TFTP_DURATION,
    REPORT_COL_DIAG,
    REPORT_COL_DIAG_SEVERITY,
    REPORT_COL_DIAG_SUMMARY,
    REPORT_COL_DIAG_FRAMES,
    REPORT_COL_DIAG_CLIENT,
    REPORT_COL_DIAG_ATTEMPT,
    REPORT_COL_TFTP_REQUEST_IN,
    REPORT_COL_OUTCOME,
    REPORT_COL_OUTCOME_CLIENT,
    REPORT_COL_OUTCOME_ATTEMPT,
    REPORT_COL_OUTCOME_CODE,
    REPORT_COL_OUTCOME_REASON,
    REPORT_COL_UNTRACKED,    /* optional: output of older pxe-report commands lacks it */
    /* optional as well: what a DHCP message said, for joins with other logs */
    REPORT_COL_DHCP_XID,
    REPORT_COL_DHCP_HOST_NAME,
    REPORT_COL_DHCP_CLIENT_FQDN,
    REPORT_COL_DHCP_VENDOR_CLASS,
    REPORT_COL_DHCP_USER_CLASS,
    REPORT_COL_DHCP_UUID,
    REPORT_COL_DHCP_REQUESTED_ADDR,
    REPORT_COL_DHCP_ASSIGNED_ADDR,
    REPORT_COL_DHCP_LEASE_TIME,
    REPORT_COL_DHCP_RELAY,
    /* optional: the IPv6 twins of the address columns (older plugins lack
     * them); a frame carries one family or the other */
    REPORT_COL_CLIENT_IP6,
    REPORT_COL_TFTP_SERVER6,
    REPORT_COL_DHCP_SERVER6,
    REPORT_COL_DHCP_ASSIGNED_ADDR6,
    REPORT_COL_DHCP_RELAY6,
    REPORT_NCOLS
} report_col_t;

/* tshark field name of a column ("pxe.stage"). */
const char *report_column_name(report_col_t col);

/* A transfer's status, as the plugin's core names it (pxe.tftp.status). */
typedef pxe_xfer_status_t report_xfer_status_t;
#define REPORT_XFER_IN_PROGRESS PXE_XFER_IN_PROGRESS
#define REPORT_XFER_COMPLETE PXE_XFER_COMPLETE
#define REPORT_XFER_SIZE_PROBE PXE_XFER_SIZE_PROBE
#define REPORT_XFER_FAILED PXE_XFER_FAILED
#define report_xfer_status_name pxe_xfer_status_name

/* One diagnosis of a row (one occurrence of pxe.diag and its siblings). */
typedef struct {
    uint8_t mac[6];          /* the client and attempt it is about */
    uint32_t attempt;
    pxe_code_t code;
    pxe_severity_t severity;
    const char *summary;
    const uint32_t *frames;  /* evidence, as printed (ascending) */
    unsigned n_frames;
} report_row_diag_t;

/* One verdict of a row (pxe.outcome and its siblings). */
typedef struct {
    pxe_outcome_t outcome;
    uint8_t mac[6];
    uint32_t attempt;
    int code;                /* pxe_code_t of a failed attempt, else -1 */
    const char *reason;
} report_row_verdict_t;

/* One frame.  Strings are NULL when the column is empty; they and the diag
 * arrays live in the parser until its next call. */
typedef struct {
    uint64_t line_no;
    uint32_t frame;
    double time;             /* seconds since the epoch */
    uint8_t stage;           /* pxe_stage_t; 0: not a frame of a boot */
    bool has_client;
    uint8_t mac[6];
    uint32_t attempt, phase; /* set with has_client */
    bool has_arch;
    uint16_t arch;
    const char *firmware, *bootfile;
    /* addresses as text, IPv4 or IPv6: pxe.client_ip or pxe.client_ip6 and
     * so on, whichever the frame has (report_input.c decides, once) */
    const char *client_ip, *tftp_server, *dhcp_server;
    const char *tftp_file;   /* TFTP and HTTP transfer frames */
    uint32_t tftp_request_in;        /* with tftp_file: the transfer's identity */
    bool tftp_nbp;
    bool has_xfer;           /* the transfer summary is on this frame */
    report_xfer_status_t xfer_status;
    bool xfer_complete;
    uint64_t xfer_bytes;
    bool has_tsize;
    uint64_t xfer_tsize;
    double xfer_duration;
    unsigned n_diags;
    const report_row_diag_t *diags;
    unsigned n_verdicts;
    const report_row_verdict_t *verdicts;
    bool untracked;          /* a client beyond the plugin's pxe.max_clients */
    /* pxe.dhcp.*: what a DHCP frame said (NULL / false when absent) */
    bool has_xid;
    uint32_t xid;
    const char *host_name, *client_fqdn, *vendor_class, *user_class, *uuid;
    const char *requested_addr, *assigned_addr, *relay;   /* IPv4 or IPv6 text, as above */
    bool has_lease_time;
    uint32_t lease_time;
} report_row_t;

typedef enum {
    REPORT_PARSE_HEADER,     /* the header line: columns found */
    REPORT_PARSE_ROW,        /* row filled */
    REPORT_PARSE_BAD_ROW,    /* error set; later rows can still be read */
    REPORT_PARSE_FATAL       /* error set; the input cannot be read (no usable header) */
} report_parse_result_t;

typedef struct report_parser report_parser_t;

report_parser_t *report_parser_new(void);
void report_parser_free(report_parser_t *p);

/* Parse the next line of one tshark output: the first must be the header.
 * *error (set on BAD_ROW and FATAL, caller frees) names what is wrong,
 * without the line number. */
report_parse_result_t report_parser_line(report_parser_t *p, uint64_t line_no, const char *text,
                                         size_t len, report_row_t *row, char **error);

/* Forget the header: the next line starts another tshark output. */
void report_parser_reset(report_parser_t *p);

/* True once a header was read since the last reset. */
bool report_parser_has_header(const report_parser_t *p);

#endif
