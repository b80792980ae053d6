/* pxe_files.h - what a boot file name says: which firmware it is built for,
 * whether it is iPXE, and whether a boot loader merely probes for it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_FILES_H
#define PXE_FILES_H

#include <stdint.h>

/* 1 built for UEFI (".efi"), 0 for BIOS (pxelinux.0, *.kpxe, *.com, *.n12,
 * *.pxe), -1 when the name does not tell. */
int pxe_file_is_efi(const char *name);

/* 1 for an iPXE image (undionly.kpxe, ipxe.efi, snponly.efi, ipxe.pxe ...). */
int pxe_file_is_ipxe(const char *name);

/* The name after its last '/' or '\\'. */
const char *pxe_file_base(const char *name);

/* 1 for WDS's network boot programs (wdsnbp.com, wdsmgfw.efi), which ask
 * the WDS server on port 4011 before the next file. */
int pxe_file_is_wds_nbp(const char *name);

/* 1 for names boot loaders try and expect to miss: pxelinux.cfg/<uuid>,
 * 01-<mac>, hex IP prefixes, grub.cfg-*, autoexec.ipxe, bootsig.bin. */
int pxe_file_is_probe(const char *name);

/* What a boot program always asks for next, once it runs ("ldlinux.*",
 * "grub.cfg", "its own DHCP"...), or NULL when the name does not tell: such a
 * program that arrived complete and then sends nothing has hung. */
const char *pxe_file_next_step(const char *name);

/* 1 when two names denote one file: leading slashes and "./" ignored; a
 * URL (tftp://server/path) denotes its path. */
int pxe_file_same(const char *a, const char *b);

typedef enum {
    PXE_URL_NONE = 0,        /* not a URL: a plain file name */
    PXE_URL_TFTP,
    PXE_URL_HTTP,
    PXE_URL_HTTPS,
    PXE_URL_OTHER            /* ftp://, nfs://, iscsi: ... */
} pxe_url_scheme_t;

/* A boot file URL (RFC 5970 option 59, an HTTP boot's option 67, iPXE's
 * filename) cut into its parts, pointing into the string. */
typedef struct {
    pxe_url_scheme_t scheme;
    const char *host;        /* without brackets */
    unsigned host_len;
    const char *path;        /* from its '/', "" when none */
} pxe_url_t;

/* Cut s ("scheme://host[:port]/path"); scheme NONE when s is no URL. */
pxe_url_t pxe_url_split(const char *s);

/* The URL's host as a binary address when it is a literal: 4 bytes for
 * IPv4, 16 for IPv6 ("[2001:db8::1]"); 0 when it is a name or absent. */
unsigned pxe_url_host_addr(const pxe_url_t *u, uint8_t out[16]);

#endif
