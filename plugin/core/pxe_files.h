/* pxe_files.h - what a boot file name says: which firmware it is built for,
 * whether it is iPXE, and whether a boot loader merely probes for it.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_FILES_H
#define PXE_FILES_H

/* 1 built for UEFI (".efi"), 0 for BIOS (pxelinux.0, *.kpxe, *.com, *.n12,
 * *.pxe), -1 when the name does not tell. */
int pxe_file_is_efi(const char *name);

/* 1 for an iPXE image (undionly.kpxe, ipxe.efi, snponly.efi, ipxe.pxe ...). */
int pxe_file_is_ipxe(const char *name);

/* 1 for names boot loaders try and expect to miss: pxelinux.cfg/<uuid>,
 * 01-<mac>, hex IP prefixes, grub.cfg-*, autoexec.ipxe, bootsig.bin. */
int pxe_file_is_probe(const char *name);

/* What a boot program always asks for next, once it runs ("ldlinux.*",
 * "grub.cfg", "its own DHCP"...), or NULL when the name does not tell: such a
 * program that arrived complete and then sends nothing has hung. */
const char *pxe_file_next_step(const char *name);

/* 1 when two names denote one file: leading slashes and "./" ignored. */
int pxe_file_same(const char *a, const char *b);

#endif
