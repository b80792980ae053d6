/* packet-pxe.c - the pxe protocol: registration and the pxe subtree.
 *
 * Every DHCP, proxyDHCP and TFTP packet of a network boot gets its stage,
 * client, attempt, links to the frames before and after it, and the
 * diagnoses and verdicts the boot model (core/) decides.  The model runs on
 * the first pass only and sees every frame (time is evidence); later passes
 * (tshark -2, the GUI) show the stored record: the same snapshot, plus the
 * documented forward fields.  This file only formats what the core decided.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <inttypes.h>
#include <stdio.h>

#include <epan/expert.h>
#include <epan/packet.h>
#include <epan/prefs.h>
#include <epan/proto.h>

#include "core/pxe_engine.h"
#include "core/pxe_firmware.h"
#include "pxe_compat.h"
#include "pxe_frame.h"
#include "pxe_hook.h"
#include "pxe_stats.h"

void proto_register_pxe(void);
void proto_reg_handoff_pxe(void);

static int proto_pxe = -1;
static protocol_t *pxe_protocol;   /* for the per-frame "enabled" check */

static int hf_pxe_stage = -1;
static int hf_pxe_client = -1;
static int hf_pxe_client_ip = -1;
static int hf_pxe_client_ip6 = -1;
static int hf_pxe_arch = -1;
static int hf_pxe_firmware = -1;
static int hf_pxe_attempt = -1;
static int hf_pxe_phase = -1;
static int hf_pxe_time = -1;
static int hf_pxe_bootfile = -1;
static int hf_pxe_tftp_server = -1;
static int hf_pxe_tftp_server6 = -1;
static int hf_pxe_dhcp_server = -1;
static int hf_pxe_dhcp_server6 = -1;
static int hf_pxe_request_in = -1;
static int hf_pxe_response_in = -1;
static int hf_pxe_response_count = -1;
static int hf_pxe_prev_in = -1;
static int hf_pxe_duplicate_of = -1;
static int hf_pxe_untracked = -1;
static int hf_pxe_next_in = -1;
static int hf_pxe_offer = -1;
static int hf_pxe_offer_complete = -1;
static int hf_pxe_offer_proxy = -1;
static int hf_pxe_offer_taken = -1;
static int hf_pxe_offer_address = -1;
static int hf_pxe_offer_next_server = -1;
static int hf_pxe_offer_bootfile = -1;
static int hf_pxe_tftp_file = -1;
static int hf_pxe_tftp_nbp = -1;
static int hf_pxe_tftp_transfer = -1;
static int hf_pxe_tftp_status = -1;
static int hf_pxe_tftp_complete = -1;
static int hf_pxe_tftp_bytes = -1;
static int hf_pxe_tftp_tsize = -1;
static int hf_pxe_tftp_blocks = -1;
static int hf_pxe_tftp_blksize = -1;
static int hf_pxe_tftp_retrans = -1;
static int hf_pxe_tftp_duration = -1;
static int hf_pxe_tftp_rate = -1;
static int hf_pxe_diag = -1;
static int hf_pxe_diag_severity = -1;
static int hf_pxe_diag_summary = -1;
static int hf_pxe_diag_screen = -1;
static int hf_pxe_diag_frames = -1;
static int hf_pxe_diag_evidence = -1;
static int hf_pxe_diag_client = -1;
static int hf_pxe_diag_attempt = -1;
static int hf_pxe_tftp_request_in = -1;
static int hf_pxe_outcome = -1;
static int hf_pxe_outcome_client = -1;
static int hf_pxe_outcome_attempt = -1;
static int hf_pxe_outcome_code = -1;
static int hf_pxe_outcome_reason = -1;
static int hf_pxe_dhcp_xid = -1;
static int hf_pxe_dhcp_host_name = -1;
static int hf_pxe_dhcp_client_fqdn = -1;
static int hf_pxe_dhcp_vendor_class = -1;
static int hf_pxe_dhcp_user_class = -1;
static int hf_pxe_dhcp_uuid = -1;
static int hf_pxe_dhcp_requested_addr = -1;
static int hf_pxe_dhcp_assigned_addr = -1;
static int hf_pxe_dhcp_assigned_addr6 = -1;
static int hf_pxe_dhcp_lease_time = -1;
static int hf_pxe_dhcp_relay = -1;
static int hf_pxe_dhcp_relay6 = -1;
static int hf_pxe_dhcp_relay_info = -1;

static gint ett_pxe = -1;
static gint ett_pxe_offer = -1;
static gint ett_pxe_transfer = -1;
static gint ett_pxe_diag = -1;
static gint ett_pxe_outcome = -1;

static expert_field ei_pxe[PXE_CODE_COUNT];
static expert_field ei_pxe_outcome_failed = EI_INIT;
static expert_field ei_pxe_untracked = EI_INIT;

static pxe_pref_bool_t pref_tftp_all = false;
static guint pref_max_clients = PXE_MAX_CLIENTS_DEFAULT;

static pxe_engine_t *engine;

static value_string stage_vals[PXE_STAGE_COUNT + 1];

/* option 93 names, for pxe.arch */
#define PXE_ARCH_NAMED 0x28
static value_string arch_vals[PXE_ARCH_NAMED + 1];

static void pxe_init(void)
{
    pxe_engine_opts_t opts = {.tftp_all = pref_tftp_all, .max_clients = pref_max_clients};
    engine = pxe_engine_new(&opts);
}

static void pxe_cleanup(void)
{
    pxe_engine_free(engine);
    engine = NULL;
}

static nstime_t to_nstime(double s)
{
    nstime_t t;
    t.secs = (time_t)s;
    t.nsecs = (int)((s - (double)t.secs) * 1e9 + 0.5);
    if (t.nsecs >= 1000000000) {
        t.secs++;
        t.nsecs -= 1000000000;
    }
    return t;
}

static void add_frame_link(proto_tree *tree, int hf, tvbuff_t *tvb, uint32_t frame)
{
    if (frame)
        proto_item_set_generated(proto_tree_add_uint(tree, hf, tvb, 0, 0, frame));
}

static proto_item *gen(proto_item *pi)
{
    proto_item_set_generated(pi);
    return pi;
}

static void add_offer(proto_tree *tree, tvbuff_t *tvb, const pxe_rec_t *r)
{
    if (r->stage != PXE_STAGE_OFFER && r->stage != PXE_STAGE_PROXY_OFFER &&
        r->stage != PXE_STAGE_ACK && r->stage != PXE_STAGE_PROXY_ACK &&
        r->stage != PXE_STAGE_BOOTSRV_ACK)
        return;
    bool proxy = (r->offer & PXE_OFFER_PROXY) || r->stage == PXE_STAGE_PROXY_ACK;
    bool has_file = r->offer & PXE_OFFER_BOOTFILE;
    bool has_next = r->offer & PXE_OFFER_NEXT_SERVER;
    bool complete = has_file && has_next && (proxy || (r->offer & PXE_OFFER_ADDRESS) ||
                                             r->stage == PXE_STAGE_PROXY_ACK);
    proto_item *ti = gen(proto_tree_add_boolean_format_value(
        tree, hf_pxe_offer, tvb, 0, 0, complete, "%s%s%s",
        complete ? "complete" : "incomplete", proxy ? ", proxyDHCP" : "",
        (r->offer & PXE_OFFER_TAKEN) ? ", taken by the client" : ""));
    proto_tree *st = proto_item_add_subtree(ti, ett_pxe_offer);
    gen(proto_tree_add_boolean(st, hf_pxe_offer_complete, tvb, 0, 0, complete));
    gen(proto_tree_add_boolean(st, hf_pxe_offer_proxy, tvb, 0, 0, proxy));
    if (r->stage == PXE_STAGE_OFFER || r->stage == PXE_STAGE_PROXY_OFFER)
        gen(proto_tree_add_boolean(st, hf_pxe_offer_taken, tvb, 0, 0, (r->offer & PXE_OFFER_TAKEN) != 0));
    gen(proto_tree_add_boolean(st, hf_pxe_offer_address, tvb, 0, 0, (r->offer & PXE_OFFER_ADDRESS) != 0));
    gen(proto_tree_add_boolean(st, hf_pxe_offer_next_server, tvb, 0, 0, has_next));
    gen(proto_tree_add_boolean(st, hf_pxe_offer_bootfile, tvb, 0, 0, has_file));
}

static void add_transfer(proto_tree *tree, tvbuff_t *tvb, const pxe_xfer_summary_t *x)
{
    const char *status = pxe_xfer_status_name(x->status);
    proto_item *ti = gen(proto_tree_add_string(tree, hf_pxe_tftp_transfer, tvb, 0, 0, x->file));
    proto_tree *st = proto_item_add_subtree(ti, ett_pxe_transfer);
    gen(proto_tree_add_string(st, hf_pxe_tftp_status, tvb, 0, 0, status));
    gen(proto_tree_add_boolean(st, hf_pxe_tftp_complete, tvb, 0, 0, x->complete));
    gen(proto_tree_add_uint64(st, hf_pxe_tftp_bytes, tvb, 0, 0, x->bytes));
    if (x->tsize >= 0)
        gen(proto_tree_add_uint64(st, hf_pxe_tftp_tsize, tvb, 0, 0, (uint64_t)x->tsize));
    gen(proto_tree_add_uint(st, hf_pxe_tftp_blocks, tvb, 0, 0, x->blocks));
    gen(proto_tree_add_uint(st, hf_pxe_tftp_blksize, tvb, 0, 0, x->blksize));
    gen(proto_tree_add_uint(st, hf_pxe_tftp_retrans, tvb, 0, 0, x->retransmissions));
    nstime_t d = to_nstime(x->duration);
    gen(proto_tree_add_time(st, hf_pxe_tftp_duration, tvb, 0, 0, &d));
    if (x->duration > 0)
        gen(proto_tree_add_double(st, hf_pxe_tftp_rate, tvb, 0, 0, (double)x->bytes / x->duration));
}

static void add_diag(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, const pxe_diag_t *d)
{
    const pxe_code_info_t *ci = pxe_code_info(d->code);
    proto_item *ti = gen(proto_tree_add_string_format(tree, hf_pxe_diag, tvb, 0, 0, ci->code,
                                                      "Diagnosis: %s", d->text));
    proto_tree *st = proto_item_add_subtree(ti, ett_pxe_diag);
    gen(proto_tree_add_string(st, hf_pxe_diag_severity, tvb, 0, 0, pxe_severity_name(ci->severity)));
    gen(proto_tree_add_ether(st, hf_pxe_diag_client, tvb, 0, 0, d->mac));
    gen(proto_tree_add_uint(st, hf_pxe_diag_attempt, tvb, 0, 0, d->attempt));
    gen(proto_tree_add_string(st, hf_pxe_diag_summary, tvb, 0, 0, d->text));
    if (d->screen)
        gen(proto_tree_add_string(st, hf_pxe_diag_screen, tvb, 0, 0, d->screen));
    char buf[PXE_DIAG_MAX_FRAMES * 11 + 1];
    size_t used = 0;
    buf[0] = '\0';
    for (unsigned i = 0; i < d->n_frames; i++) {
        int n = snprintf(buf + used, sizeof buf - used, "%s%u", i ? " " : "", d->frames[i]);
        if (n > 0)
            used += (size_t)n;
        if (d->frames[i] != pinfo->num)
            add_frame_link(st, hf_pxe_diag_evidence, tvb, d->frames[i]);
    }
    gen(proto_tree_add_string(st, hf_pxe_diag_frames, tvb, 0, 0, buf));
    /* grouped by code in the Expert dialog and -z expert; this frame's
     * cause and advice are the item's text and pxe.diag.summary */
    expert_add_info(pinfo, ti, &ei_pxe[d->code]);
}

static void add_verdict(proto_tree *tree, packet_info *pinfo, tvbuff_t *tvb, pxe_outcome_t outcome,
                        const uint8_t mac[6], uint32_t attempt, int code, const char *reason)
{
    const char *name = pxe_outcome_name(outcome);
    proto_item *ti = gen(proto_tree_add_string_format(tree, hf_pxe_outcome, tvb, 0, 0, name,
                                                      "Verdict: attempt %u %s: %s", attempt, name, reason));
    proto_tree *st = proto_item_add_subtree(ti, ett_pxe_outcome);
    gen(proto_tree_add_ether(st, hf_pxe_outcome_client, tvb, 0, 0, mac));
    gen(proto_tree_add_uint(st, hf_pxe_outcome_attempt, tvb, 0, 0, attempt));
    gen(proto_tree_add_string(st, hf_pxe_outcome_code, tvb, 0, 0,
                              code >= 0 ? pxe_code_info((pxe_code_t)code)->code : "-"));
    gen(proto_tree_add_string(st, hf_pxe_outcome_reason, tvb, 0, 0, reason));
    if (outcome == PXE_OUTCOME_FAILED)
        expert_add_info(pinfo, ti, &ei_pxe_outcome_failed);
}

/* An address of the model: IPv4 into hf4, an IPv6 handle into hf6. */
static void add_addr_if(proto_tree *pt, int hf4, int hf6, tvbuff_t *tvb, uint32_t a)
{
    const uint8_t *b6 = pxe_engine_addr6(engine, a);
    if (b6) {
        ws_in6_addr v6;
        memcpy(&v6, b6, sizeof v6);
        gen(proto_tree_add_ipv6(pt, hf6, tvb, 0, 0, &v6));
    } else if (a) {
        gen(proto_tree_add_ipv4(pt, hf4, tvb, 0, 0, g_htonl(a)));
    }
}

/* What the frame says about its own client, as it was when seen. */
static void add_client(proto_tree *pt, tvbuff_t *tvb, const pxe_rec_t *r)
{
    gen(proto_tree_add_ether(pt, hf_pxe_client, tvb, 0, 0, r->mac));
    if (r->has_arch)
        gen(proto_tree_add_uint(pt, hf_pxe_arch, tvb, 0, 0, r->arch));
    if (r->family != PXE_FAMILY_UNKNOWN)
        gen(proto_tree_add_string(pt, hf_pxe_firmware, tvb, 0, 0, pxe_family_name((pxe_family_t)r->family)));
    gen(proto_tree_add_uint(pt, hf_pxe_attempt, tvb, 0, 0, r->attempt_no));
    gen(proto_tree_add_uint(pt, hf_pxe_phase, tvb, 0, 0, r->phase));
    add_addr_if(pt, hf_pxe_client_ip, hf_pxe_client_ip6, tvb, r->client_ip);
    if (r->since_discover >= 0) {
        nstime_t t = to_nstime(r->since_discover);
        gen(proto_tree_add_time(pt, hf_pxe_time, tvb, 0, 0, &t));
    }
    if (r->bootfile)
        gen(proto_tree_add_string(pt, hf_pxe_bootfile, tvb, 0, 0, r->bootfile));
    add_addr_if(pt, hf_pxe_tftp_server, hf_pxe_tftp_server6, tvb, r->tftp_server);
    add_addr_if(pt, hf_pxe_dhcp_server, hf_pxe_dhcp_server6, tvb, r->dhcp_server);
}

static void add_string_if(proto_tree *pt, int hf, tvbuff_t *tvb, const char *s)
{
    if (s)
        gen(proto_tree_add_string(pt, hf, tvb, 0, 0, s));
}


/* What the DHCP message itself said, for joins with other logs. */
static void add_dhcp(proto_tree *pt, tvbuff_t *tvb, const pxe_rec_t *r)
{
    const pxe_rec_dhcp_t *d = r->dhcp;
    if (!d)
        return;
    gen(proto_tree_add_uint(pt, hf_pxe_dhcp_xid, tvb, 0, 0, d->xid));
    add_string_if(pt, hf_pxe_dhcp_host_name, tvb, d->host_name);
    add_string_if(pt, hf_pxe_dhcp_client_fqdn, tvb, d->client_fqdn);
    add_string_if(pt, hf_pxe_dhcp_vendor_class, tvb, d->vendor_class);
    add_string_if(pt, hf_pxe_dhcp_user_class, tvb, d->user_class);
    add_string_if(pt, hf_pxe_dhcp_uuid, tvb, d->uuid);
    if (d->requested_addr && !pxe_addr_is_v6(d->requested_addr))   /* DHCPv4 option 50 only */
        gen(proto_tree_add_ipv4(pt, hf_pxe_dhcp_requested_addr, tvb, 0, 0, g_htonl(d->requested_addr)));
    add_addr_if(pt, hf_pxe_dhcp_assigned_addr, hf_pxe_dhcp_assigned_addr6, tvb, d->assigned_addr);
    if (d->has_lease_time)
        gen(proto_tree_add_uint(pt, hf_pxe_dhcp_lease_time, tvb, 0, 0, d->lease_time));
    add_addr_if(pt, hf_pxe_dhcp_relay, hf_pxe_dhcp_relay6, tvb, d->relay);
    add_string_if(pt, hf_pxe_dhcp_relay_info, tvb, d->relay_info);
}

static void add_links(proto_tree *pt, tvbuff_t *tvb, const pxe_rec_t *r)
{
    add_frame_link(pt, hf_pxe_request_in, tvb, r->request_in);
    add_frame_link(pt, hf_pxe_response_in, tvb, r->response_in);
    if (r->n_responses > 1)
        gen(proto_tree_add_uint(pt, hf_pxe_response_count, tvb, 0, 0, r->n_responses));
    add_frame_link(pt, hf_pxe_prev_in, tvb, r->prev_in);
    add_frame_link(pt, hf_pxe_next_in, tvb, r->next_in);
    add_frame_link(pt, hf_pxe_duplicate_of, tvb, r->dup_of);
}

static void add_tftp(proto_tree *pt, tvbuff_t *tvb, const pxe_rec_t *r)
{
    if (!r->tftp_file)
        return;
    gen(proto_tree_add_string(pt, hf_pxe_tftp_file, tvb, 0, 0, r->tftp_file));
    gen(proto_tree_add_boolean(pt, hf_pxe_tftp_nbp, tvb, 0, 0, r->tftp_nbp));
    add_frame_link(pt, hf_pxe_tftp_request_in, tvb, r->tftp_request_in);
    pxe_xfer_summary_t x;
    if (pxe_rec_transfer(r, &x))
        add_transfer(pt, tvb, &x);
}

/* " [PXE <stage>]" per stage, made once: the Info column is filled for
 * every boot frame, tree or not, and formatting it each time costs. */
static char *stage_tags[PXE_STAGE_COUNT];

static void add_info_column(packet_info *pinfo, const pxe_rec_t *r)
{
    if (r->stage)
        col_append_str(pinfo->cinfo, COL_INFO, stage_tags[r->stage]);
    for (const pxe_diag_t *d = r->diags; d; d = d->next) {
        if (pxe_code_info(d->code)->severity >= PXE_SEV_WARNING) {
            col_append_str(pinfo->cinfo, COL_INFO, " ");
            col_append_str(pinfo->cinfo, COL_INFO, pxe_code_info(d->code)->code);
        }
    }
}

/* A packet of a client beyond pxe.max_clients: said on the frame, never
 * silently left out. */
static void add_untracked(proto_tree *pt, packet_info *pinfo, tvbuff_t *tvb)
{
    proto_item *pi = gen(proto_tree_add_boolean(pt, hf_pxe_untracked, tvb, 0, 0, TRUE));
    expert_add_info_format(pinfo, pi, &ei_pxe_untracked,
                           "Client not followed: the plugin follows at most %u clients "
                           "(preference pxe.max_clients)", pref_max_clients);
}

/* The DHCP, TFTP, ARP and ICMP dissectors hand their packets here (pxe_hook.c)
 * straight from their bytes, whether or not a tree is built; the model runs
 * on the first pass only. */
static void on_boot_packet(tvbuff_t *tvb _U_, packet_info *pinfo, proto_tree *tree _U_,
                           const pxe_pkt_t *pkt)
{
    if (engine && !PINFO_FD_VISITED(pinfo))
        pxe_engine_packet(engine, pkt);
}

/* Every other frame only moves time; a frame the hooks handed returns its
 * record. */
static pxe_rec_t *first_pass(packet_info *pinfo)
{
    double ts = (double)pinfo->abs_ts.secs + pinfo->abs_ts.nsecs / 1e9;
    return pxe_engine_tick(engine, pinfo->num, ts);
}

static hf_register_info *pxe_hf;
static unsigned pxe_n_hf;

/* Does anybody look at the pxe fields of this frame: a shown tree, or a
 * filter, column or -e naming one?  Formatting them costs even where
 * Wireshark fakes the items. */
static bool fields_wanted(proto_tree *tree)
{
    if (!tree)
        return false;
    if (PTREE_DATA(tree)->visible)
        return true;
    for (unsigned i = 0; i < pxe_n_hf; i++)
        if (proto_field_is_referenced(tree, *pxe_hf[i].p_id))
            return true;
    return false;
}

/* The end of every frame (pxe_frame.c): the model's clock moves, and a frame
 * of a boot, or one that decides something, gets its pxe tree. */
/* The frame's pxe tree, formatted from the model's record. */
static void pxe_tree(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    if (!engine || !proto_is_protocol_enabled(pxe_protocol))
        return;
    bool visited = PINFO_FD_VISITED(pinfo);
    pxe_rec_t *r = visited ? pxe_engine_record(engine, pinfo->num) : first_pass(pinfo);
    if (!r)
        return;
    add_info_column(pinfo, r);
    /* shown again (tshark -2, the GUI): the attempt nothing decided ends here */
    bool open_end = visited && pxe_rec_open_end(r);
    pxe_stats_queue(pinfo, r, open_end);
    proto_item *ti = proto_tree_add_item(tree, proto_pxe, tvb, 0, 0, ENC_NA);
    proto_tree *pt = proto_item_add_subtree(ti, ett_pxe);
    if (r->untracked)
        add_untracked(pt, pinfo, tvb);
    if (!fields_wanted(tree)) {
        /* no tree, or one nobody shows and no pxe.* field asked for: only
         * the diagnoses and failures, for the expert infos a tap counts */
        for (const pxe_diag_t *d = r->diags; d; d = d->next)
            add_diag(pt, pinfo, tvb, d);
        for (const pxe_verdict_t *v = r->verdicts; v; v = v->next)
            if (v->outcome == PXE_OUTCOME_FAILED)
                add_verdict(pt, pinfo, tvb, v->outcome, v->mac, v->attempt, v->code, v->reason);
        return;
    }
    if (r->stage) {
        proto_item_append_text(ti, ": %s", pxe_stage_name(r->stage));
        gen(proto_tree_add_uint(pt, hf_pxe_stage, tvb, 0, 0, r->stage));
    }
    if (r->has_client)
        add_client(pt, tvb, r);
    add_dhcp(pt, tvb, r);
    add_offer(pt, tvb, r);
    add_links(pt, tvb, r);
    add_tftp(pt, tvb, r);
    for (const pxe_diag_t *d = r->diags; d; d = d->next)
        add_diag(pt, pinfo, tvb, d);
    for (const pxe_verdict_t *v = r->verdicts; v; v = v->next)
        add_verdict(pt, pinfo, tvb, v->outcome, v->mac, v->attempt, v->code, v->reason);
    if (open_end)
        add_verdict(pt, pinfo, tvb, PXE_OUTCOME_INCOMPLETE, r->mac, r->attempt_no, -1,
                    "the capture ends before the boot was decided");

}

/* The end of every frame (pxe_frame.c): the model's clock moves, and a frame
 * of a boot, or one that decides something, gets its pxe tree; its expert
 * infos name the PXE protocol. */
static void dissect_pxe(tvbuff_t *tvb, packet_info *pinfo, proto_tree *tree)
{
    const char *saved = pinfo->current_proto;
    pinfo->current_proto = "PXE";
    pxe_tree(tvb, pinfo, tree);
    pinfo->current_proto = saved;
}

static void register_experts(void)
{
    static ei_register_info ei[PXE_CODE_COUNT + 2];
    for (int i = 0; i < PXE_CODE_COUNT; i++) {
        const pxe_code_info_t *ci = pxe_code_info((pxe_code_t)i);
        int group = PI_SEQUENCE;
        switch ((pxe_code_t)i) {
        case PXE_CODE_E36: case PXE_CODE_E38: case PXE_CODE_E3B: case PXE_CODE_E3C:
        case PXE_CODE_DHCP_NAK: case PXE_CODE_PROBE_MISS:
            group = PI_RESPONSE_CODE;
            break;
        case PXE_CODE_E3F: case PXE_CODE_E7B: case PXE_CODE_ARCH_MISMATCH:
        case PXE_CODE_OFFER_INCOMPLETE: case PXE_CODE_COMPETING_DHCP: case PXE_CODE_E53:
            group = PI_PROTOCOL;
            break;
        default:
            break;
        }
        int sev = ci->severity == PXE_SEV_ERROR ? PI_ERROR
                  : ci->severity == PXE_SEV_WARNING ? PI_WARN : PI_NOTE;
        ei_register_info one = {&ei_pxe[i],
                                {g_strdup_printf("pxe.expert.%s", ci->expert), group, sev,
                                 g_strdup_printf("%s: %s", ci->code, ci->title), EXPFILL}};
        ei[i] = one;
    }
    ei_register_info failed = {&ei_pxe_outcome_failed,
                               {"pxe.expert.attempt_failed", PI_SEQUENCE, PI_ERROR,
                                "Boot attempt failed", EXPFILL}};
    ei[PXE_CODE_COUNT] = failed;
    ei_register_info untracked = {&ei_pxe_untracked,
                                  {"pxe.expert.untracked", PI_SEQUENCE, PI_NOTE,
                                   "Client not followed (pxe.max_clients)", EXPFILL}};
    ei[PXE_CODE_COUNT + 1] = untracked;
    expert_module_t *em = expert_register_protocol(proto_pxe);
    expert_register_field_array(em, ei, PXE_CODE_COUNT + 2);
}

void proto_register_pxe(void)
{
    for (unsigned i = 0; i < PXE_STAGE_COUNT; i++) {
        stage_vals[i].value = i;
        stage_vals[i].strptr = pxe_stage_name(i);
        stage_tags[i] = g_strdup_printf(" [PXE %s]", pxe_stage_name(i));
    }
    unsigned n_arch = 0;
    for (unsigned a = 0; a < PXE_ARCH_NAMED; a++) {
        if (pxe_arch_name((uint16_t)a)) {
            arch_vals[n_arch].value = a;
            arch_vals[n_arch++].strptr = pxe_arch_name((uint16_t)a);
        }
    }
    arch_vals[n_arch].value = 0;
    arch_vals[n_arch].strptr = NULL;
    stage_vals[PXE_STAGE_COUNT].value = 0;
    stage_vals[PXE_STAGE_COUNT].strptr = NULL;

    static hf_register_info hf[] = {
        {&hf_pxe_stage, {"Stage", "pxe.stage", FT_UINT8, BASE_DEC, VALS(stage_vals), 0,
                         "Step of the network boot this packet belongs to", HFILL}},
        {&hf_pxe_client, {"Client", "pxe.client", FT_ETHER, BASE_NONE, NULL, 0,
                          "MAC address of the booting client", HFILL}},
        {&hf_pxe_client_ip, {"Client address", "pxe.client_ip", FT_IPv4, BASE_NONE, NULL, 0,
                             "Address the client was given", HFILL}},
        {&hf_pxe_client_ip6, {"Client IPv6 address", "pxe.client_ip6", FT_IPv6, BASE_NONE, NULL, 0,
                              "IPv6 address the client was given (DHCPv6 IA address)", HFILL}},
        {&hf_pxe_arch, {"Architecture", "pxe.arch", FT_UINT16, BASE_DEC, VALS(arch_vals), 0,
                        "Client system architecture (DHCP option 93)", HFILL}},
        {&hf_pxe_firmware, {"Client type", "pxe.firmware", FT_STRING, BASE_NONE, NULL, 0,
                            "PXE implementation: PXE ROM, UEFI PXE, iPXE, boot program", HFILL}},
        {&hf_pxe_attempt, {"Attempt", "pxe.attempt", FT_UINT32, BASE_DEC, NULL, 0,
                           "Boot attempt of this client, from 1", HFILL}},
        {&hf_pxe_phase, {"Phase", "pxe.phase", FT_UINT32, BASE_DEC, NULL, 0,
                         "DHCP round within the attempt: 1 firmware, 2 the boot program it loaded, ...",
                         HFILL}},
        {&hf_pxe_time, {"Time since first DISCOVER", "pxe.time", FT_RELATIVE_TIME, BASE_NONE, NULL, 0,
                        "Time since this client's first DHCPDISCOVER in the capture", HFILL}},
        {&hf_pxe_bootfile, {"Boot file", "pxe.bootfile", FT_STRING, BASE_NONE, NULL, 0,
                            "Boot file offered or in effect", HFILL}},
        {&hf_pxe_tftp_server, {"TFTP server", "pxe.tftp_server", FT_IPv4, BASE_NONE, NULL, 0,
                               "Next-server for the boot file", HFILL}},
        {&hf_pxe_tftp_server6, {"Boot server (IPv6)", "pxe.tftp_server6", FT_IPv6, BASE_NONE, NULL, 0,
                                "Server of the boot file URL (DHCPv6 option 59)", HFILL}},
        {&hf_pxe_dhcp_server, {"DHCP server", "pxe.dhcp_server", FT_IPv4, BASE_NONE, NULL, 0,
                               "Server identifier (option 54) of the reply, or the server asked", HFILL}},
        {&hf_pxe_dhcp_server6, {"DHCPv6 server", "pxe.dhcp_server6", FT_IPv6, BASE_NONE, NULL, 0,
                                "Source address of the DHCPv6 reply", HFILL}},
        {&hf_pxe_request_in, {"Request in", "pxe.request_in", FT_FRAMENUM, BASE_NONE,
                              FRAMENUM_TYPE(FT_FRAMENUM_REQUEST), 0, "The frame this one answers", HFILL}},
        {&hf_pxe_response_in, {"Response in", "pxe.response_in", FT_FRAMENUM, BASE_NONE,
                               FRAMENUM_TYPE(FT_FRAMENUM_RESPONSE), 0, "The first frame that answers this one",
                               HFILL}},
        {&hf_pxe_response_count, {"Responses", "pxe.response_count", FT_UINT32, BASE_DEC, NULL, 0,
                                  "Number of answers (offers) to this request", HFILL}},
        {&hf_pxe_prev_in, {"Previous step in", "pxe.prev_in", FT_FRAMENUM, BASE_NONE, NULL, 0,
                           "Frame of the boot's previous step", HFILL}},
        {&hf_pxe_next_in, {"Next step in", "pxe.next_in", FT_FRAMENUM, BASE_NONE, NULL, 0,
                           "Frame of the boot's next step", HFILL}},
        {&hf_pxe_untracked, {"Client not followed", "pxe.untracked", FT_BOOLEAN, BASE_NONE, NULL, 0,
                             "A new client's packet beyond the preference pxe.max_clients: "
                             "not part of the boot model", HFILL}},
        {&hf_pxe_duplicate_of, {"Duplicate of", "pxe.duplicate_of", FT_FRAMENUM, BASE_NONE,
                                FRAMENUM_TYPE(FT_FRAMENUM_DUP_ACK), 0,
                                "The same packet captured earlier in this frame; this copy is counted once",
                                HFILL}},
        {&hf_pxe_offer, {"Offer", "pxe.offer", FT_BOOLEAN, BASE_NONE, NULL, 0,
                         "Boot data of this offer or ACK", HFILL}},
        {&hf_pxe_offer_complete, {"Complete", "pxe.offer.complete", FT_BOOLEAN, BASE_NONE, NULL, 0,
                                  "Address (or proxy), next-server and boot file all present", HFILL}},
        {&hf_pxe_offer_proxy, {"proxyDHCP", "pxe.offer.proxy", FT_BOOLEAN, BASE_NONE, NULL, 0,
                               "Boot data only, no address (yiaddr 0.0.0.0)", HFILL}},
        {&hf_pxe_offer_taken, {"Taken", "pxe.offer.taken", FT_BOOLEAN, BASE_NONE, NULL, 0,
                               "The client's REQUEST names this server (option 54)", HFILL}},
        {&hf_pxe_offer_address, {"Has address", "pxe.offer.address", FT_BOOLEAN, BASE_NONE, NULL, 0,
                                 NULL, HFILL}},
        {&hf_pxe_offer_next_server, {"Has next-server", "pxe.offer.next_server", FT_BOOLEAN, BASE_NONE,
                                     NULL, 0, "siaddr or option 66 set", HFILL}},
        {&hf_pxe_offer_bootfile, {"Has boot file", "pxe.offer.bootfile", FT_BOOLEAN, BASE_NONE, NULL, 0,
                                  "Option 67 or file field set", HFILL}},
        {&hf_pxe_tftp_file, {"TFTP file", "pxe.tftp.file", FT_STRING, BASE_NONE, NULL, 0,
                             "File of the transfer this packet belongs to", HFILL}},
        {&hf_pxe_tftp_nbp, {"Boot file transfer", "pxe.tftp.nbp", FT_BOOLEAN, BASE_NONE, NULL, 0,
                            "The transfer of the boot file (NBP) DHCP named", HFILL}},
        {&hf_pxe_tftp_transfer, {"Transfer", "pxe.tftp.transfer", FT_STRING, BASE_NONE, NULL, 0,
                                 "Summary of the transfer, on its last frame", HFILL}},
        {&hf_pxe_tftp_status, {"Status", "pxe.tftp.status", FT_STRING, BASE_NONE, NULL, 0,
                               "complete, size probe, failed, in progress", HFILL}},
        {&hf_pxe_tftp_complete, {"Complete", "pxe.tftp.complete", FT_BOOLEAN, BASE_NONE, NULL, 0,
                                 "The last (short) DATA block arrived", HFILL}},
        {&hf_pxe_tftp_bytes, {"Bytes", "pxe.tftp.bytes", FT_UINT64, BASE_DEC, NULL, 0,
                              "Payload bytes received (each block once)", HFILL}},
        {&hf_pxe_tftp_tsize, {"Announced size", "pxe.tftp.tsize", FT_UINT64, BASE_DEC, NULL, 0,
                              "tsize from the server's OACK", HFILL}},
        {&hf_pxe_tftp_blocks, {"Blocks", "pxe.tftp.blocks", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_pxe_tftp_blksize, {"Block size", "pxe.tftp.blksize", FT_UINT32, BASE_DEC, NULL, 0, NULL, HFILL}},
        {&hf_pxe_tftp_retrans, {"Retransmissions", "pxe.tftp.retransmissions", FT_UINT32, BASE_DEC, NULL, 0,
                                "Packets of this transfer sent again", HFILL}},
        {&hf_pxe_tftp_duration, {"Duration", "pxe.tftp.duration", FT_RELATIVE_TIME, BASE_NONE, NULL, 0,
                                 "From the RRQ to this frame", HFILL}},
        {&hf_pxe_tftp_rate, {"Rate (bytes/s)", "pxe.tftp.rate", FT_DOUBLE, BASE_NONE, NULL, 0, NULL, HFILL}},
        {&hf_pxe_diag, {"Diagnosis", "pxe.diag", FT_STRING, BASE_NONE, NULL, 0,
                        "Diagnosis code: PXE-Exx or a pxediag name", HFILL}},
        {&hf_pxe_diag_severity, {"Severity", "pxe.diag.severity", FT_STRING, BASE_NONE, NULL, 0,
                                 "error, warning or note", HFILL}},
        {&hf_pxe_diag_summary, {"Summary", "pxe.diag.summary", FT_STRING, BASE_NONE, NULL, 0,
                                "Code, cause and what to check", HFILL}},
        {&hf_pxe_diag_screen, {"Client shows", "pxe.diag.screen", FT_STRING, BASE_NONE, NULL, 0,
                               "What this client prints instead of the code (UEFI firmware's own PXE-Exx)",
                               HFILL}},
        {&hf_pxe_diag_frames, {"Frames", "pxe.diag.frames", FT_STRING, BASE_NONE, NULL, 0,
                               "Frames that prove the diagnosis, space separated", HFILL}},
        {&hf_pxe_diag_evidence, {"Evidence in", "pxe.diag.evidence", FT_FRAMENUM, BASE_NONE, NULL, 0,
                                 "A frame that proves the diagnosis", HFILL}},
        {&hf_pxe_diag_client, {"Client", "pxe.diag.client", FT_ETHER, BASE_NONE, NULL, 0,
                               "The client the diagnosis is about", HFILL}},
        {&hf_pxe_diag_attempt, {"Attempt", "pxe.diag.attempt", FT_UINT32, BASE_DEC, NULL, 0,
                                "The boot attempt the diagnosis is about", HFILL}},
        {&hf_pxe_tftp_request_in, {"Transfer requested in", "pxe.tftp.request_in", FT_FRAMENUM, BASE_NONE,
                                   NULL, 0, "The transfer's first read request: its identity", HFILL}},
        {&hf_pxe_outcome, {"Verdict", "pxe.outcome", FT_STRING, BASE_NONE, NULL, 0,
                           "Outcome of a boot attempt decided on this frame: ok, failed, incomplete",
                           HFILL}},
        {&hf_pxe_outcome_client, {"Client", "pxe.outcome.client", FT_ETHER, BASE_NONE, NULL, 0,
                                  "The client whose attempt is decided", HFILL}},
        {&hf_pxe_outcome_attempt, {"Attempt", "pxe.outcome.attempt", FT_UINT32, BASE_DEC, NULL, 0,
                                   "The attempt decided", HFILL}},
        {&hf_pxe_outcome_code, {"Code", "pxe.outcome.code", FT_STRING, BASE_NONE, NULL, 0,
                                "The diagnosis that decided a failed attempt; - for ok and incomplete", HFILL}},
        {&hf_pxe_outcome_reason, {"Reason", "pxe.outcome.reason", FT_STRING, BASE_NONE, NULL, 0,
                                  "Why the attempt is decided so", HFILL}},
        {&hf_pxe_dhcp_xid, {"Transaction ID", "pxe.dhcp.xid", FT_UINT32, BASE_HEX, NULL, 0,
                            "xid of this DHCP message", HFILL}},
        {&hf_pxe_dhcp_host_name, {"Host name", "pxe.dhcp.host_name", FT_STRING, BASE_NONE, NULL, 0,
                                  "Option 12", HFILL}},
        {&hf_pxe_dhcp_client_fqdn, {"Client FQDN", "pxe.dhcp.client_fqdn", FT_STRING, BASE_NONE, NULL, 0,
                                    "Option 81, the name", HFILL}},
        {&hf_pxe_dhcp_vendor_class, {"Vendor class", "pxe.dhcp.vendor_class", FT_STRING, BASE_NONE, NULL, 0,
                                     "Option 60", HFILL}},
        {&hf_pxe_dhcp_user_class, {"User class", "pxe.dhcp.user_class", FT_STRING, BASE_NONE, NULL, 0,
                                   "Option 77: RFC 3004 classes joined with ',', or the raw text", HFILL}},
        {&hf_pxe_dhcp_uuid, {"Client UUID", "pxe.dhcp.uuid", FT_STRING, BASE_NONE, NULL, 0,
                             "Option 97 (client machine identifier), as dhcp.client_id.uuid shows it",
                             HFILL}},
        {&hf_pxe_dhcp_requested_addr, {"Requested address", "pxe.dhcp.requested_addr", FT_IPv4, BASE_NONE,
                                       NULL, 0, "Option 50", HFILL}},
        {&hf_pxe_dhcp_assigned_addr, {"Assigned address", "pxe.dhcp.assigned_addr", FT_IPv4, BASE_NONE,
                                      NULL, 0, "yiaddr of an ACK or BOOTP reply", HFILL}},
        {&hf_pxe_dhcp_assigned_addr6, {"Assigned IPv6 address", "pxe.dhcp.assigned_addr6", FT_IPv6,
                                       BASE_NONE, NULL, 0, "IA address of a DHCPv6 REPLY", HFILL}},
        {&hf_pxe_dhcp_lease_time, {"Lease time", "pxe.dhcp.lease_time", FT_UINT32, BASE_DEC, NULL, 0,
                                   "Option 51, seconds", HFILL}},
        {&hf_pxe_dhcp_relay, {"Relay", "pxe.dhcp.relay", FT_IPv4, BASE_NONE, NULL, 0,
                              "giaddr: the relay agent the message went through", HFILL}},
        {&hf_pxe_dhcp_relay6, {"Relay link (IPv6)", "pxe.dhcp.relay6", FT_IPv6, BASE_NONE, NULL, 0,
                               "link-address of the innermost DHCPv6 relay", HFILL}},
        {&hf_pxe_dhcp_relay_info, {"Relay agent information", "pxe.dhcp.relay_info", FT_STRING, BASE_NONE,
                                   NULL, 0, "Option 82: the relay's circuit-id and remote-id (switch port, switch)",
                                   HFILL}},
    };
    static gint *ett[] = {&ett_pxe, &ett_pxe_offer, &ett_pxe_transfer, &ett_pxe_diag, &ett_pxe_outcome};

    proto_pxe = proto_register_protocol("PXE network boot", "PXE", "pxe");
    proto_register_field_array(proto_pxe, hf, array_length(hf));
    pxe_hf = hf;
    pxe_n_hf = array_length(hf);
    proto_register_subtree_array(ett, array_length(ett));
    register_experts();

    module_t *pm = prefs_register_protocol(proto_pxe, NULL);
    prefs_register_bool_preference(pm, "tftp_all", "Treat every TFTP transfer as part of a boot",
                                   "Without DHCP in the capture, only transfers of files named like "
                                   "boot files (pxelinux.0, *.efi, *.kpxe, ...) are marked",
                                   &pref_tftp_all);
    prefs_register_uint_preference(pm, "max_clients", "Clients followed at most",
                                   "A flood of new MACs must not take all memory (about 1 KB per "
                                   "client): packets of clients beyond this number are marked "
                                   "pxe.untracked and not followed. 0: no limit",
                                   10, &pref_max_clients);

    pxe_stats_register_tap();
    register_init_routine(pxe_init);
    register_cleanup_routine(pxe_cleanup);
}

void proto_reg_handoff_pxe(void)
{
    pxe_protocol = find_protocol_by_id(proto_pxe);
    pxe_hook_handoff(proto_pxe, on_boot_packet);
    pxe_frame_handoff(dissect_pxe);
}
