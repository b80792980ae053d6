/* pxe_codes.h - the diagnosis codes pxediag names, with their severity.
 *
 * One table shared by the plugin (pxe.diag, expert infos) and pxe-report
 * (which checks every code it reads against it).  Codes are the client's
 * own screen code where one exists, else a stable lower-case name.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_CODES_H
#define PXE_CODES_H

typedef enum {
    PXE_SEV_NOTE = 1,
    PXE_SEV_WARNING,
    PXE_SEV_ERROR
} pxe_severity_t;

typedef enum {
    PXE_CODE_E51,            /* no DHCP or proxyDHCP offers */
    PXE_CODE_E52,            /* only proxyDHCP offers */
    PXE_CODE_E53,            /* no boot filename */
    PXE_CODE_E55,            /* proxyDHCP no reply on 4011 */
    PXE_CODE_E11,            /* ARP timeout */
    PXE_CODE_E32,            /* TFTP open timeout */
    PXE_CODE_E35,            /* TFTP read timeout */
    PXE_CODE_E36,            /* error from TFTP server */
    PXE_CODE_E38,            /* TFTP cannot open connection */
    PXE_CODE_E3B,            /* TFTP file not found */
    PXE_CODE_E3C,            /* TFTP access violation */
    PXE_CODE_E3F,            /* TFTP packet size invalid */
    PXE_CODE_E7B,            /* missing MTFTP server IP */
    PXE_CODE_ARCH_MISMATCH,
    PXE_CODE_CHAINLOAD_LOOP,
    PXE_CODE_BOOT_RESTART,
    PXE_CODE_COMPETING_DHCP,
    PXE_CODE_OFFER_INCOMPLETE,
    PXE_CODE_DHCP_NAK,
    PXE_CODE_DHCP_DECLINE,
    PXE_CODE_PROBE_MISS,
    PXE_CODE_TSIZE_PROBE,
    PXE_CODE_TFTP_RETRANSMIT,
    PXE_CODE_SECOND_STAGE_DHCP,
    PXE_CODE_NBP_STALLED,    /* the boot program arrived and never asked for its next file */
    PXE_CODE_DHCP_RESTART,   /* the client started over before its boot file arrived */
    PXE_CODE_DUPLICATE,      /* the same packet captured twice, counted once */
    PXE_CODE_FAMILY_UNANSWERED, /* one IP family unanswered, the other served the client */
    PXE_CODE_HTTP_404,       /* HTTP boot: file not found */
    PXE_CODE_HTTP_403,       /* HTTP boot: forbidden */
    PXE_CODE_HTTP_ERROR,     /* HTTP boot: another 4xx or a 5xx */
    PXE_CODE_HTTP_CUT,       /* the connection ended before the whole body came */
    PXE_CODE_URL_TO_PXE,     /* an http:// boot file handed to a PXE (TFTP-only) client */
    PXE_CODE_WDS_ABORT,      /* WDS / ConfigMgr hands abortpxe.com: it will not boot this computer */
    PXE_CODE_WDS_PENDING,    /* WDS holds the computer pending an administrator's approval */
    PXE_CODE_E78,            /* could not locate boot server (menu item's discovery unanswered) */
    PXE_CODE_ONE_WAY,        /* only the client's side captured: its ACKs and next request prove a file */
    PXE_CODE_HTTPS_SIZES,    /* an https boot file: encrypted, sizes only */
    PXE_CODE_COUNT
} pxe_code_t;

typedef struct {
    const char *code;        /* "PXE-E53", "arch-mismatch": the pxe.diag value */
    const char *expert;      /* suffix of the expert field name: pxe.diag.<expert> */
    pxe_severity_t severity;
    const char *title;       /* what the code means, one line */
} pxe_code_info_t;

const pxe_code_info_t *pxe_code_info(pxe_code_t code);

/* What an EDK2 (UEFI firmware) client prints for a failure the code
 * names: its LoadFile reports the status with its own PXE-Exx line
 * (NetworkPkg/UefiPxeBcDxe), e.g. "PXE-E18: Server response timeout." for
 * PXE-E32.  NULL when the code is no such failure or EDK2 prints the same. */
const char *pxe_code_edk2_screen(pxe_code_t code);

/* Code for a pxe.diag string, or -1 when unknown. */
int pxe_code_from_string(const char *s);

/* "error", "warning", "note". */
const char *pxe_severity_name(pxe_severity_t sev);

/* Severity for its name, 0 when unknown. */
int pxe_severity_from_string(const char *s);

#endif
