/* pxe_wire_dhcp6.c - read a DHCPv6 message (RFC 8415, RFC 5970 boot options)
 * into the boot tracker's DHCP input, so the DHCPv4 rules serve IPv6 PXE and
 * HTTP boot too (see pxe_wire.h).
 *
 * Relay messages are unwrapped (bounded by the hop limit and the bytes);
 * every read is checked against the length; no allocation.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_wire.h"

#include <string.h>

enum {
    D6_SOLICIT = 1, D6_ADVERTISE, D6_REQUEST, D6_CONFIRM, D6_RENEW, D6_REBIND, D6_REPLY,
    D6_RELEASE, D6_DECLINE, D6_RECONFIGURE, D6_INFO_REQUEST, D6_RELAY_FORW, D6_RELAY_REPL
};

enum {
    O6_CLIENTID = 1, O6_IA_NA = 3, O6_IA_TA = 4, O6_IAADDR = 5, O6_ELAPSED = 8,
    O6_RELAY_MSG = 9, O6_STATUS = 13, O6_USER_CLASS = 15, O6_VENDOR_CLASS = 16,
    O6_BOOTFILE_URL = 59, O6_CLIENT_ARCH = 61, O6_CLIENT_LINKADDR = 79
};

/* DHCPv4 message types the v6 ones stand for */
enum { V4_DISCOVER = 1, V4_OFFER, V4_REQUEST, V4_DECLINE, V4_ACK, V4_NAK, V4_RELEASE, V4_INFORM };

#define HOP_LIMIT 32             /* a bound well above RFC 8415's HOP_COUNT_LIMIT (8) */
#define RELAY_HEAD 34            /* type, hop count, link and peer address */

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

/* Copy n bytes as a printable string (up to a NUL or the buffer's end). */
static const char *copy_text(char *buf, size_t cap, const uint8_t *v, size_t n)
{
    size_t o = 0;
    for (size_t i = 0; i < n && v[i] && o + 1 < cap; i++)
        buf[o++] = (v[i] >= 0x20 && v[i] <= 0x7e) ? (char)v[i] : '?';
    buf[o] = '\0';
    return o ? buf : NULL;
}

bool pxe_wire_eui64_mac(const uint8_t a[16], uint8_t mac[6])
{
    static const uint8_t link_local[8] = {0xfe, 0x80};
    if (memcmp(a, link_local, 8) != 0 || a[11] != 0xff || a[12] != 0xfe)
        return false;
    mac[0] = a[8] ^ 0x02;        /* the universal/local bit, inverted in EUI-64 */
    mac[1] = a[9];
    mac[2] = a[10];
    mac[3] = a[13];
    mac[4] = a[14];
    mac[5] = a[15];
    return true;
}

/* The option area of a relay message's inner message, or of the message
 * itself: on return *p and *len are the innermost client or server message. */
static bool unwrap_relays(const uint8_t **p, size_t *len, pxe_dhcp_t *out)
{
    for (unsigned hop = 0; hop <= HOP_LIMIT; hop++) {
        if (*len < 4)
            return false;
        if ((*p)[0] != D6_RELAY_FORW && (*p)[0] != D6_RELAY_REPL)
            return true;
        if (*len < RELAY_HEAD)
            return false;
        static const uint8_t zero[16];
        if (memcmp(*p + 2, zero, 16) != 0) {
            out->relayed6 = true;        /* the last one read is the client's link */
            memcpy(out->link6, *p + 2, 16);
        }
        /* only the innermost relay saw the client: each hop's peer (and
         * option 79 below) replaces what an outer hop said */
        out->chaddr_unknown = !pxe_wire_eui64_mac(*p + 18, out->chaddr);
        const uint8_t *o = *p + RELAY_HEAD, *end = *p + *len;
        const uint8_t *inner = NULL;
        size_t inner_len = 0;
        while (end - o >= 4) {
            uint16_t code = get16(o), l = get16(o + 2);
            if ((size_t)(end - o - 4) < l)
                return false;
            if (code == O6_RELAY_MSG) {
                inner = o + 4;
                inner_len = l;
            } else if (code == O6_CLIENT_LINKADDR && l == 8 && get16(o + 4) == 1) {
                memcpy(out->chaddr, o + 6, 6);       /* RFC 6939, Ethernet */
                out->chaddr_unknown = false;
            }
            o += 4 + l;
        }
        if (!inner)
            return false;
        *p = inner;
        *len = inner_len;
    }
    return false;
}

/* Option 1: keep the DUID; a DUID-LLT (1) or DUID-LL (3) of an Ethernet
 * interface names the client's MAC. */
static void take_duid(pxe_dhcp_t *out, const uint8_t *v, size_t n)
{
    if (out->duid_len || n == 0)
        return;
    size_t keep = n < sizeof out->duid ? n : sizeof out->duid;
    memcpy(out->duid, v, keep);
    out->duid_len = (uint8_t)keep;
    if (n < 4 || get16(v + 2) != 1)
        return;
    uint16_t type = get16(v);
    size_t mac_off = type == 1 ? 8 : type == 3 ? 4 : 0;
    if (mac_off && n == mac_off + 6 && out->chaddr_unknown) {
        memcpy(out->chaddr, v + mac_off, 6);
        out->chaddr_unknown = false;
    }
}

/* IA_NA / IA_TA: the first address, and a status inside. */
static void take_ia(pxe_dhcp_t *out, const uint8_t *v, size_t n, size_t head)
{
    if (n < head)
        return;
    const uint8_t *o = v + head, *end = v + n;
    while (end - o >= 4) {
        uint16_t code = get16(o), l = get16(o + 2);
        if ((size_t)(end - o - 4) < l)
            return;
        if (code == O6_IAADDR && l >= 24 && !out->has_addr6) {
            out->has_addr6 = true;
            memcpy(out->addr6, o + 4, 16);
        } else if (code == O6_STATUS && l >= 2 && !out->status6) {
            out->status6 = get16(o + 4);
        }
        o += 4 + l;
    }
}

/* Option 15 (user class) or 16 (vendor class, after its enterprise
 * number): length-prefixed items; returns the first, sets *ipxe when one of
 * them is "iPXE". */
static const uint8_t *class_items(const uint8_t *v, size_t n, size_t *first_len, bool *ipxe)
{
    const uint8_t *first = NULL;
    size_t off = 0;
    while (n - off >= 2) {
        size_t l = get16(v + off);
        if (l > n - off - 2)
            break;
        if (!first) {
            first = v + off + 2;
            *first_len = l;
        }
        if (l == 4 && memcmp(v + off + 2, "iPXE", 4) == 0)
            *ipxe = true;
        off += 2 + l;
    }
    return first;
}

static void take_option(pxe_dhcp_t *out, pxe_wire_scratch_t *s, uint16_t code, const uint8_t *v,
                        size_t l)
{
    const uint8_t *item;
    size_t il = 0;
    switch (code) {
    case O6_CLIENTID: take_duid(out, v, l); break;
    case O6_IA_NA: take_ia(out, v, l, 12); break;
    case O6_IA_TA: take_ia(out, v, l, 4); break;
    case O6_ELAPSED:
        if (l == 2)
            out->secs = (uint16_t)(get16(v) / 100);
        break;
    case O6_STATUS:
        if (l >= 2 && !out->status6)
            out->status6 = get16(v);
        break;
    case O6_USER_CLASS:
        item = class_items(v, l, &il, &out->ipxe);
        if (item && !out->user_class)
            out->user_class = copy_text(s->user_class, sizeof s->user_class, item, il);
        break;
    case O6_VENDOR_CLASS:
        item = l > 4 ? class_items(v + 4, l - 4, &il, &out->ipxe) : NULL;
        if (item && !out->vendor_class)
            out->vendor_class = copy_text(s->vendor_class, sizeof s->vendor_class, item, il);
        break;
    case O6_BOOTFILE_URL:
        if (!out->bootfile)
            out->bootfile = copy_text(s->bootfile, sizeof s->bootfile, v, l);
        break;
    case O6_CLIENT_ARCH:
        if (l >= 2 && !out->has_arch) {
            out->has_arch = true;
            out->arch = get16(v);
        }
        break;
    }
}

/* The DHCPv4 counterpart of a message type; 0 for RECONFIGURE. */
static uint8_t v4_type(uint8_t t, uint16_t status)
{
    static const uint8_t map[] = {
        [D6_SOLICIT] = V4_DISCOVER, [D6_ADVERTISE] = V4_OFFER, [D6_REQUEST] = V4_REQUEST,
        [D6_CONFIRM] = V4_REQUEST, [D6_RENEW] = V4_REQUEST, [D6_REBIND] = V4_REQUEST,
        [D6_REPLY] = V4_ACK, [D6_RELEASE] = V4_RELEASE, [D6_DECLINE] = V4_DECLINE,
        [D6_INFO_REQUEST] = V4_INFORM,
    };
    if (t == D6_REPLY && status != 0)
        return V4_NAK;   /* NoAddrsAvail, NotOnLink, ... refuse the request */
    return t < sizeof map ? map[t] : 0;
}

bool pxe_wire_dhcp6(const uint8_t *p, size_t len, pxe_dhcp_t *out, pxe_wire_scratch_t *s)
{
    if (!p || !out || !s)
        return false;
    memset(out, 0, sizeof *out);
    out->v6 = true;
    out->chaddr_unknown = true;
    if (!unwrap_relays(&p, &len, out) || len < 4)
        return false;
    uint8_t t = p[0];
    if (t < D6_SOLICIT || t > D6_INFO_REQUEST)
        return false;
    out->msg6 = t;
    out->xid = get32(p) & 0xffffff;
    bool server = t == D6_ADVERTISE || t == D6_REPLY || t == D6_RECONFIGURE;
    out->op = server ? 2 : 1;
    const uint8_t *o = p + 4, *end = p + len;
    while (end - o >= 4) {
        uint16_t code = get16(o), l = get16(o + 2);
        if ((size_t)(end - o - 4) < l)
            return false;
        take_option(out, s, code, o + 4, l);
        o += 4 + l;
    }
    if (o != end)
        return false;    /* bytes left that are no whole option */
    out->msg_type = v4_type(t, out->status6);
    return true;
}
