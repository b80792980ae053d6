/* pxe_firmware.c - client architectures, PXE implementations and their clocks.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_firmware.h"

#include <stddef.h>

const char *pxe_arch_name(uint16_t arch)
{
    switch (arch) {
    case 0x00: return "BIOS";
    case 0x01: return "NEC PC98";
    case 0x02: return "EFI Itanium";
    case 0x03: return "DEC Alpha";
    case 0x04: return "Arc x86";
    case 0x05: return "Intel Lean Client";
    case 0x06: return "EFI IA32";
    case 0x07: return "EFI x64";
    case 0x08: return "EFI Xscale";
    case 0x09: return "EFI x64 (BC)";
    case 0x0a: return "EFI ARM32";
    case 0x0b: return "EFI ARM64";
    case 0x0f: return "EFI IA32 HTTP";
    case 0x10: return "EFI x64 HTTP";
    case 0x12: return "EFI ARM32 HTTP";
    case 0x13: return "EFI ARM64 HTTP";
    case 0x19: return "EFI RISC-V 64";
    case 0x1b: return "EFI RISC-V 128";
    case 0x27: return "EFI LoongArch64";
    default: return NULL;
    }
}

int pxe_arch_is_efi(uint16_t arch)
{
    switch (arch) {
    case 0x00:
        return 0;
    case 0x02: case 0x06: case 0x07: case 0x08: case 0x09: case 0x0a: case 0x0b:
    case 0x0f: case 0x10: case 0x12: case 0x13: case 0x19: case 0x1b: case 0x27:
        return 1;
    default:
        return -1;
    }
}

const char *pxe_family_name(pxe_family_t family)
{
    switch (family) {
    case PXE_FAMILY_LEGACY: return "PXE ROM";
    case PXE_FAMILY_EDK2: return "UEFI PXE";
    case PXE_FAMILY_IPXE: return "iPXE";
    case PXE_FAMILY_OTHER: return "boot program";
    default: return "unknown";
    }
}

/* Send times follow the field guide: PXE 2.1 and EDK2 DISCOVER at 0/4/12/28 s,
 * given up at 60 s; proxy and boot-server requests at 0/1/3/6 s, given up
 * about 4 s later; EDK2 MTFTP 6 tries 4 s apart (~24 s); iPXE DISCOVER at
 * 0/1/3/7 s, given up ~15 s, proxy abandoned after 2 s, TFTP retries up to
 * 7.75 s and fails ~15.75 s, ARP gives up ~3.9 s.  The legacy ROM's TFTP and
 * ARP clocks are not published: TFTP gets the boot server clock (4 tries,
 * 0/1/3/6 s) with a generous 12 s to give up; ARP is judged by its 4 tries
 * or 10 s of silence.  Boot programs (pxelinux's TimeoutTable) retry TFTP
 * some 30 times over about two minutes.  A boot program starts asking for
 * its next file, or its own DHCP, within a second or two of arriving; 20 s
 * leaves room for slow (emulated) machines. */
#define NBP_START {1, 0.0, 20.0}
static const pxe_clock_t clocks[] = {
    [PXE_FAMILY_UNKNOWN] = {{4, 28.0, 60.0}, {4, 6.0, 10.0}, {6, 20.0, 24.0}, {4, 1e9, 10.0}, NBP_START},
    [PXE_FAMILY_LEGACY] = {{4, 28.0, 60.0}, {4, 6.0, 10.0}, {4, 6.0, 12.0}, {4, 1e9, 10.0}, NBP_START},
    [PXE_FAMILY_EDK2] = {{4, 28.0, 60.0}, {4, 6.0, 10.0}, {6, 20.0, 24.0}, {4, 1e9, 10.0}, NBP_START},
    [PXE_FAMILY_IPXE] = {{4, 7.0, 15.0}, {2, 1.0, 2.0}, {6, 7.75, 15.75}, {4, 3.0, 3.9}, NBP_START},
    [PXE_FAMILY_OTHER] = {{4, 28.0, 60.0}, {4, 6.0, 10.0}, {30, 120.0, 150.0}, {4, 1e9, 10.0}, NBP_START},
};

const pxe_clock_t *pxe_family_clock(pxe_family_t family)
{
    if ((unsigned)family >= sizeof clocks / sizeof clocks[0])
        family = PXE_FAMILY_UNKNOWN;
    return &clocks[family];
}

int pxe_retry_exhausted(const pxe_retry_t *r, unsigned sends, double elapsed_s)
{
    /* 10% slack: clients' timers are not exact and captures add jitter. */
    return sends >= r->max_sends || (sends >= 2 && elapsed_s >= 0.9 * r->final_s);
}

double pxe_retry_deadline(const pxe_retry_t *r)
{
    return r->give_up_s * 1.1 + 1.0;
}
