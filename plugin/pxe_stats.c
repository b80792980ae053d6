/* pxe_stats.c - the "pxe" tap and the PXE statistics tree: tshark -z pxe,tree
 * and Statistics > PXE in Wireshark.
 *
 * packet-pxe.c queues, for every frame of a boot, what the boot model
 * (core/) decided for it: stage, client, firmware, architecture, diagnoses
 * and verdicts.  This file only counts those decisions; every name comes
 * from the core (pxe_stage_name, pxe_code_info, pxe_outcome_name,
 * pxe_family_name, pxe_arch_name) and a client's verdict is the core's fold
 * of its attempts (pxe_client_verdict), as pxe-report prints it.
 *
 * Taps run once per frame on the pass that shows the frames (tshark's only
 * pass, or its second with -2; the GUI's retap), so each frame is counted
 * once.  The "incomplete" verdict of an attempt nothing decided exists only
 * where frames are shown again (-2, the GUI), as pxe.outcome does.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#define WS_BUILD_DLL
#include <wireshark.h>

#include <epan/packet.h>
#include <epan/stats_tree.h>
#include <epan/tap.h>
#include <epan/to_str.h>

#include "core/pxe_engine.h"
#include "pxe_compat.h"
#include "pxe_stats.h"

static int pxe_tap = -1;

void pxe_stats_register_tap(void)
{
    pxe_tap = register_tap("pxe");
}

void pxe_stats_queue(packet_info *pinfo, const pxe_rec_t *rec, bool open_end)
{
    if (pxe_tap < 0 || !have_tap_listener(pxe_tap))
        return;
    pxe_tap_info_t *t = wmem_new0(pinfo->pool, pxe_tap_info_t);
    t->stage = rec->stage;
    t->family = rec->family;
    t->has_client = rec->has_client;
    t->has_arch = rec->has_arch;
    memcpy(t->mac, rec->mac, sizeof t->mac);
    t->arch = rec->arch;
    t->attempt = rec->attempt_no;
    t->diags = rec->diags;
    t->verdicts = rec->verdicts;
    t->open_end = open_end;   /* shown as pxe.outcome "incomplete" */
    tap_queue_packet(pxe_tap, pinfo, t);
}

/* ---- the tree ---- */

#define N_OUTCOMES (PXE_OUTCOME_INCOMPLETE + 1)

/* Top-level nodes: their names are also the stats_tree's parent names. */
#define ST_STAGES "Frames by stage"
#define ST_DIAGS "Diagnoses"
#define ST_ATTEMPTS "Attempt verdicts"
#define ST_CLIENT_VERDICTS "Client verdicts"
#define ST_FIRMWARE "Clients by firmware"
#define ST_ARCH "Clients by architecture"
#define ST_CLIENTS "Clients"
#define ST_UNDECIDED "undecided"

typedef struct {
    pxe_outcome_t outcome;   /* the attempt's latest verdict; NONE while undecided */
    int code;                /* its deciding diagnosis, -1 */
    uint8_t stage;           /* furthest stage along the boot (pxe_stage_rank) */
} st_attempt_t;

typedef struct {
    char name[18];           /* the MAC as text: the client's node */
    int node;
    GArray *attempts;        /* st_attempt_t; index attempt - 1 */
    unsigned n_decided;      /* attempts with a verdict */
    pxe_outcome_t verdict;   /* as counted now; NONE until an attempt is decided */
    char *row;               /* its verdict row that counts 1 now, or NULL */
} st_client_t;

/* One per open tree (tshark -z, each Wireshark dialog). */
typedef struct {
    int stages, diags, sev[PXE_SEV_ERROR + 1], attempts, failed, clients_by_verdict;
    int firmware, arch, clients;
    GHashTable *clients_by_mac;      /* uint64 MAC -> st_client_t */
    GHashTable *firmware_seen;       /* (MAC, firmware) already counted */
    GHashTable *arch_seen;           /* (MAC, architecture) already counted */
    unsigned n_attempts[N_OUTCOMES]; /* [NONE] is "undecided" */
    unsigned n_clients[N_OUTCOMES];  /* [NONE] is "undecided" */
    unsigned n_total_attempts;
    uint32_t last_frame;
} st_state_t;

static GHashTable *states;   /* stats_tree * -> st_state_t */

static void client_free(gpointer p)
{
    st_client_t *c = p;
    g_array_free(c->attempts, TRUE);
    g_free(c->row);
    g_free(c);
}

static uint64_t mac_key(const uint8_t mac[6])
{
    uint64_t k = 0;
    for (int i = 0; i < 6; i++)
        k = (k << 8) | mac[i];
    return k;
}

static void state_clear(st_state_t *s)
{
    g_hash_table_remove_all(s->clients_by_mac);
    g_hash_table_remove_all(s->firmware_seen);
    g_hash_table_remove_all(s->arch_seen);
    memset(s->n_attempts, 0, sizeof s->n_attempts);
    memset(s->n_clients, 0, sizeof s->n_clients);
    s->n_total_attempts = 0;
    s->last_frame = 0;
}

static st_state_t *state_of(stats_tree *st)
{
    if (!states)
        states = g_hash_table_new(g_direct_hash, g_direct_equal);
    st_state_t *s = g_hash_table_lookup(states, st);
    if (!s) {
        s = g_new0(st_state_t, 1);
        s->clients_by_mac = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, client_free);
        s->firmware_seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
        s->arch_seen = g_hash_table_new_full(g_int64_hash, g_int64_equal, g_free, NULL);
        g_hash_table_insert(states, st, s);
    }
    return s;
}

static int top_node(stats_tree *st, const char *name)
{
    return stats_tree_create_node(st, name, 0, STAT_DT_INT, TRUE);
}

/* Called when a tree opens and again when Wireshark recounts (retap). */
static void pxe_stats_init(stats_tree *st)
{
    st_state_t *s = state_of(st);
    state_clear(s);
    s->stages = top_node(st, ST_STAGES);
    s->diags = top_node(st, ST_DIAGS);
    for (int sev = PXE_SEV_ERROR; sev >= PXE_SEV_NOTE; sev--)
        s->sev[sev] = stats_tree_create_node(st, pxe_severity_name((pxe_severity_t)sev), s->diags,
                                             STAT_DT_INT, TRUE);
    s->attempts = top_node(st, ST_ATTEMPTS);
    stats_tree_create_node(st, pxe_outcome_name(PXE_OUTCOME_OK), s->attempts, STAT_DT_INT, FALSE);
    s->failed = stats_tree_create_node(st, pxe_outcome_name(PXE_OUTCOME_FAILED), s->attempts,
                                       STAT_DT_INT, TRUE);
    stats_tree_create_node(st, pxe_outcome_name(PXE_OUTCOME_INCOMPLETE), s->attempts, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, ST_UNDECIDED, s->attempts, STAT_DT_INT, FALSE);
    s->clients_by_verdict = top_node(st, ST_CLIENT_VERDICTS);
    for (pxe_outcome_t o = PXE_OUTCOME_OK; o <= PXE_OUTCOME_INCOMPLETE; o++)
        stats_tree_create_node(st, pxe_outcome_name(o), s->clients_by_verdict, STAT_DT_INT, FALSE);
    stats_tree_create_node(st, ST_UNDECIDED, s->clients_by_verdict, STAT_DT_INT, FALSE);
    s->firmware = top_node(st, ST_FIRMWARE);
    s->arch = top_node(st, ST_ARCH);
    s->clients = top_node(st, ST_CLIENTS);
}

static void pxe_stats_cleanup(stats_tree *st)
{
    st_state_t *s = states ? g_hash_table_lookup(states, st) : NULL;
    if (!s)
        return;
    g_hash_table_destroy(s->clients_by_mac);
    g_hash_table_destroy(s->firmware_seen);
    g_hash_table_destroy(s->arch_seen);
    g_hash_table_remove(states, st);
    g_free(s);
}

/* True the first time this (client, 16-bit value) pair is seen. */
static bool first_pair(GHashTable *seen, const uint8_t mac[6], uint16_t what)
{
    uint64_t k = (mac_key(mac) << 16) | what;
    if (g_hash_table_contains(seen, &k))
        return false;
    g_hash_table_add(seen, g_memdup2(&k, sizeof k));
    return true;
}

static st_client_t *client_of(stats_tree *st, st_state_t *s, const uint8_t mac[6])
{
    uint64_t k = mac_key(mac);
    st_client_t *c = g_hash_table_lookup(s->clients_by_mac, &k);
    if (c)
        return c;
    c = g_new0(st_client_t, 1);
    c->attempts = g_array_new(FALSE, TRUE, sizeof(st_attempt_t));
    g_snprintf(c->name, sizeof c->name, "%02x:%02x:%02x:%02x:%02x:%02x",
               mac[0], mac[1], mac[2], mac[3], mac[4], mac[5]);
    /* found again after a recount that did not go through init */
    c->node = increase_stat_node(st, c->name, s->clients, TRUE, 0);
    g_hash_table_insert(s->clients_by_mac, g_memdup2(&k, sizeof k), c);
    s->n_clients[PXE_OUTCOME_NONE]++;
    set_stat_node(st, ST_CLIENT_VERDICTS, 0, TRUE, (int)g_hash_table_size(s->clients_by_mac));
    set_stat_node(st, ST_UNDECIDED, s->clients_by_verdict, FALSE, (int)s->n_clients[PXE_OUTCOME_NONE]);
    return c;
}

static void set_outcome_counts(stats_tree *st, int parent, const unsigned *n)
{
    for (pxe_outcome_t o = PXE_OUTCOME_OK; o <= PXE_OUTCOME_INCOMPLETE; o++)
        set_stat_node(st, pxe_outcome_name(o), parent, FALSE, (int)n[o]);
    set_stat_node(st, ST_UNDECIDED, parent, FALSE, (int)n[PXE_OUTCOME_NONE]);
}

/* The client's attempt `number`, made (undecided) when first seen; *made
 * tells whether it is new, which changes the client's fold. */
static st_attempt_t *attempt_of(stats_tree *st, st_state_t *s, st_client_t *c, uint32_t number, bool *made)
{
    *made = false;
    if (number == 0)
        return NULL;
    if (number > c->attempts->len) {
        /* the core numbers attempts from 1 without gaps */
        guint from = c->attempts->len;
        s->n_attempts[PXE_OUTCOME_NONE] += number - from;
        s->n_total_attempts += number - from;
        g_array_set_size(c->attempts, number);
        for (guint i = from; i < number; i++)
            g_array_index(c->attempts, st_attempt_t, i).code = -1;
        set_stat_node(st, ST_ATTEMPTS, 0, TRUE, (int)s->n_total_attempts);
        set_stat_node(st, ST_UNDECIDED, s->attempts, FALSE, (int)s->n_attempts[PXE_OUTCOME_NONE]);
        *made = true;
    }
    return &g_array_index(c->attempts, st_attempt_t, number - 1);
}

/* The client's verdict by the core's fold, and the deciding code of the
 * attempt it comes from: the last one, or the last failed one when the fold
 * keeps an earlier failure over an attempt cut off before its REQUEST. */
static pxe_outcome_t client_verdict(const st_client_t *c, int *code)
{
    guint n = c->attempts->len;
    pxe_outcome_t *outcomes = g_new(pxe_outcome_t, n);
    bool *got_address = g_new(bool, n);
    for (guint i = 0; i < n; i++) {
        const st_attempt_t *a = &g_array_index(c->attempts, st_attempt_t, i);
        outcomes[i] = a->outcome;
        got_address[i] = pxe_stage_got_address(a->stage);
    }
    pxe_outcome_t v = pxe_client_verdict(outcomes, got_address, n);
    guint from = n - 1;
    if (v == PXE_OUTCOME_FAILED)
        while (from > 0 && outcomes[from] != PXE_OUTCOME_FAILED)
            from--;
    *code = g_array_index(c->attempts, st_attempt_t, from).code;
    g_free(outcomes);
    g_free(got_address);
    return v;
}

/* Recount the client's verdict once one of its attempts is decided: its
 * row under its MAC counts 1; a verdict it had before (ok turned failed, an
 * earlier failure before a new attempt) stays listed with 0. */
static void update_client(stats_tree *st, st_state_t *s, st_client_t *c)
{
    if (c->n_decided == 0)
        return;
    int code;
    pxe_outcome_t v = client_verdict(c, &code);
    char *row = code >= 0 ? g_strdup_printf("%s %s", pxe_outcome_name(v), pxe_code_info((pxe_code_t)code)->code)
                          : g_strdup(pxe_outcome_name(v));
    if (c->row && strcmp(c->row, row) == 0) {
        g_free(row);
        return;
    }
    if (c->row)
        set_stat_node(st, c->row, c->node, FALSE, 0);
    set_stat_node(st, row, c->node, FALSE, 1);
    g_free(c->row);
    c->row = row;
    s->n_clients[c->verdict]--;
    s->n_clients[v]++;
    c->verdict = v;
    set_outcome_counts(st, s->clients_by_verdict, s->n_clients);
}

static void count_verdict(stats_tree *st, st_state_t *s, const pxe_verdict_t *v)
{
    st_client_t *c = client_of(st, s, v->mac);
    bool made;
    st_attempt_t *a = attempt_of(st, s, c, v->attempt, &made);
    if (!a || a->outcome == v->outcome)
        return;
    if (a->outcome == PXE_OUTCOME_NONE)
        c->n_decided++;
    s->n_attempts[a->outcome]--;
    s->n_attempts[v->outcome]++;
    a->outcome = v->outcome;
    a->code = v->code;
    set_outcome_counts(st, s->attempts, s->n_attempts);
    if (v->outcome == PXE_OUTCOME_FAILED && v->code >= 0)
        tick_stat_node(st, pxe_code_info((pxe_code_t)v->code)->code, s->failed, FALSE);
    update_client(st, s, c);
}

static void count_client(stats_tree *st, st_state_t *s, const pxe_tap_info_t *t)
{
    st_client_t *c = client_of(st, s, t->mac);
    tick_stat_node(st, ST_CLIENTS, 0, TRUE);
    tick_stat_node(st, c->name, s->clients, TRUE);
    if (t->family != PXE_FAMILY_UNKNOWN && first_pair(s->firmware_seen, t->mac, t->family)) {
        tick_stat_node(st, ST_FIRMWARE, 0, TRUE);
        tick_stat_node(st, pxe_family_name((pxe_family_t)t->family), s->firmware, FALSE);
    }
    if (t->has_arch && first_pair(s->arch_seen, t->mac, t->arch)) {
        const char *name = pxe_arch_name(t->arch);
        char buf[16];
        if (!name) {
            g_snprintf(buf, sizeof buf, "arch %u", t->arch);
            name = buf;
        }
        tick_stat_node(st, ST_ARCH, 0, TRUE);
        tick_stat_node(st, name, s->arch, FALSE);
    }
    if (!t->stage)
        return;
    bool made;
    st_attempt_t *a = attempt_of(st, s, c, t->attempt, &made);
    if (!a)
        return;
    bool further = pxe_stage_rank(t->stage) > pxe_stage_rank(a->stage);
    if (further)
        a->stage = t->stage;
    if (made || further)
        update_client(st, s, c);
}

static tap_packet_status pxe_stats_packet(stats_tree *st, packet_info *pinfo, epan_dissect_t *edt _U_,
                                          const void *data, tap_flags_t flags _U_)
{
    const pxe_tap_info_t *t = data;
    st_state_t *s = state_of(st);
    /* a recount that did not go through init: start over with the counters */
    if (pinfo->num < s->last_frame)
        state_clear(s);
    s->last_frame = pinfo->num;
    if (t->stage) {
        tick_stat_node(st, ST_STAGES, 0, TRUE);
        tick_stat_node(st, pxe_stage_name(t->stage), s->stages, FALSE);
    }
    if (t->has_client)
        count_client(st, s, t);
    for (const pxe_diag_t *d = t->diags; d; d = d->next) {
        const pxe_code_info_t *ci = pxe_code_info(d->code);
        tick_stat_node(st, ST_DIAGS, 0, TRUE);
        tick_stat_node(st, pxe_severity_name(ci->severity), s->diags, TRUE);
        tick_stat_node(st, ci->code, s->sev[ci->severity], FALSE);
    }
    for (const pxe_verdict_t *v = t->verdicts; v; v = v->next)
        count_verdict(st, s, v);
    if (t->open_end && t->has_client) {
        pxe_verdict_t end = {.outcome = PXE_OUTCOME_INCOMPLETE, .attempt = t->attempt, .code = -1};
        memcpy(end.mac, t->mac, sizeof end.mac);
        count_verdict(st, s, &end);
    }
    return TAP_PACKET_REDRAW;
}

void pxe_stats_register_tree(void)
{
    /* largest counts first in tshark (Wireshark 4.0's dialog starts sorted
     * by name all the same) */
    stats_tree_register_plugin("pxe", "pxe", "PXE",
                               (ST_SORT_COL_COUNT << ST_FLG_SRTCOL_SHIFT) | ST_FLG_SORT_DESC,
                               pxe_stats_packet, pxe_stats_init, pxe_stats_cleanup);
}
