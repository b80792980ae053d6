/* pxe_firmware.h - what the client is: architecture (DHCP option 93), which
 * PXE implementation (legacy ROM, EDK2, iPXE) and that implementation's retry
 * clock, from ../shared/pxe-field-guide.md section 4.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_FIRMWARE_H
#define PXE_FIRMWARE_H

#include <stdint.h>

/* Name of an option 93 architecture ("BIOS", "EFI x64", ...), or NULL. */
const char *pxe_arch_name(uint16_t arch);

/* 1 for the UEFI architectures, 0 for BIOS, -1 unknown. */
int pxe_arch_is_efi(uint16_t arch);

typedef enum {
    PXE_FAMILY_UNKNOWN = 0,
    PXE_FAMILY_LEGACY,       /* PXE 2.1 option ROM */
    PXE_FAMILY_EDK2,         /* UEFI firmware's own network stack */
    PXE_FAMILY_IPXE,         /* iPXE, as ROM or chainloaded */
    PXE_FAMILY_OTHER         /* a DHCP client without a PXE signature: NBP, OS */
} pxe_family_t;

const char *pxe_family_name(pxe_family_t family);

/* How a client retries one kind of request: it sends at most max_sends
 * times, its last try goes out final_s seconds after the first, and by
 * give_up_s after the first it has given up waiting. */
typedef struct {
    unsigned max_sends;
    double final_s;
    double give_up_s;
} pxe_retry_t;

typedef struct {
    pxe_retry_t dhcp;        /* DISCOVER */
    pxe_retry_t proxy;       /* REQUEST to port 4011 */
    pxe_retry_t tftp;        /* RRQ, and one ACK during a transfer */
    pxe_retry_t arp;         /* who-has for the TFTP server or router */
    pxe_retry_t nbp;         /* a boot program it loaded makes its first request */
} pxe_clock_t;

const pxe_clock_t *pxe_family_clock(pxe_family_t family);

/* 1 once a request sent `sends` times, the first `elapsed_s` ago, has had
 * the client's last retry: no answer after that means the client gives up. */
int pxe_retry_exhausted(const pxe_retry_t *r, unsigned sends, double elapsed_s);

/* Seconds after the first send by which a request is surely given up: the
 * clock's give-up time with slack for timer and capture jitter. */
double pxe_retry_deadline(const pxe_retry_t *r);

#endif
