/* pxe_stats.h - the "pxe" tap and its statistics tree (tshark -z pxe,tree,
 * Statistics > PXE in Wireshark): what the boot model decided for each frame,
 * counted.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef PXE_STATS_H
#define PXE_STATS_H

#include <epan/packet_info.h>

#include "core/pxe_engine.h"

/* What the "pxe" tap hands its listeners for a frame of a boot: the core's
 * decisions for that frame, valid while the listener runs. */
typedef struct {
    uint8_t stage;           /* pxe_stage_t, NONE on frames that only carry decisions */
    uint8_t family;          /* pxe_family_t of the frame's client, snapshot */
    bool has_client;
    bool has_arch;
    uint8_t mac[6];
    uint16_t arch;           /* option 93, snapshot */
    uint32_t attempt;        /* the client's attempt, snapshot */
    const pxe_diag_t *diags;         /* raised on this frame (the core's list) */
    const pxe_verdict_t *verdicts;   /* decided on this frame (the core's list) */
    bool open_end;           /* shown again (-2, GUI): the frame ends an attempt
                              * nothing decided, pxe.outcome "incomplete" */
} pxe_tap_info_t;

/* Registers the "pxe" tap: call from proto_register. */
void pxe_stats_register_tap(void);

/* Registers the statistics tree: the tap-listener plugin entry (plugin.c). */
void pxe_stats_register_tree(void);

/* Queues the frame's record to the tap, when anybody listens. */
void pxe_stats_queue(packet_info *pinfo, const pxe_rec_t *rec, bool open_end);

#endif
