/* pxe_compat.h - the few epan interfaces that differ between Wireshark 4.0
 * (Debian 12) and 4.2+ (4.4 in Debian 13, 4.6), so packet-pxe.c builds on all.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_COMPAT_H
#define PXE_COMPAT_H

#include <stdbool.h>

#include <glib.h>
#include <ws_version.h>

#define PXE_WS_AT_LEAST(maj, min) \
    (WIRESHARK_VERSION_MAJOR > (maj) || \
     (WIRESHARK_VERSION_MAJOR == (maj) && WIRESHARK_VERSION_MINOR >= (min)))

/* field_info.value: embedded fvalue_t in 4.0, a pointer from 4.2 on */
#if PXE_WS_AT_LEAST(4, 2)
#define PXE_FI_VALUE(fi) ((fi)->value)
#else
#define PXE_FI_VALUE(fi) (&(fi)->value)
#endif

/* prefs_register_bool_preference() stores through a gboolean * up to 4.2 and
 * a bool * from 4.4 on: declare boolean preferences with this type. */
#if PXE_WS_AT_LEAST(4, 4)
typedef bool pxe_pref_bool_t;
#else
typedef gboolean pxe_pref_bool_t;
#endif

/* 4.4 added tvb_get_uint8() and deprecated tvb_get_guint8(): use the new
 * name, mapped onto the old one before 4.4. */
#if !PXE_WS_AT_LEAST(4, 4)
#define tvb_get_uint8 tvb_get_guint8
#endif

/* 4.6 dissects the client's side of a TFTP transfer (its packets to the
 * server's transfer port: the ACKs, the ERROR ending a size probe) as data,
 * not TFTP; pxe_hook.c then recognises them by the transfer's two ends, as
 * 4.4 and older dissect them. */
#define PXE_TFTP_CLIENT_AS_DATA PXE_WS_AT_LEAST(4, 6)

#endif
