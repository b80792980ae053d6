/* pxe_wire.c - parse DHCP, TFTP, ARP and ICMPv4 unreachable messages from
 * their bytes into the boot tracker's input (see pxe_wire.h).
 *
 * Every access is checked against the length given; loops only move
 * forward, so each parser is linear in its input.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_wire.h"

#include <string.h>

/* BOOTP fixed header (RFC 951, RFC 2131) */
#define DHCP_SNAME_OFF 44
#define DHCP_SNAME_LEN 64
#define DHCP_FILE_OFF 108
#define DHCP_FILE_LEN 128
#define DHCP_FIXED_LEN 236
#define DHCP_COOKIE 0x63825363u

#define OVERLOAD_FILE 1
#define OVERLOAD_SNAME 2

/* option 43 instances kept for sub-option parsing (RFC 3396 concatenation) */
#define MAX_VENDOR_PARTS 8

static uint16_t get16(const uint8_t *p)
{
    return (uint16_t)((p[0] << 8) | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
    return ((uint32_t)p[0] << 24) | ((uint32_t)p[1] << 16) | ((uint32_t)p[2] << 8) | p[3];
}

static char printable(uint8_t c)
{
    return (c >= 0x20 && c <= 0x7e) ? (char)c : '?';
}

/* A string built from one or more pieces of bytes: it ends at the first NUL
 * byte, or when the buffer is full (the rest is dropped). */
typedef struct {
    char *buf;
    size_t cap;              /* buffer size, NUL included */
    size_t len;
    bool seen;               /* at least one piece, possibly empty */
    bool done;               /* a NUL byte ended it */
} strbuild_t;

static void sb_init(strbuild_t *b, char *buf, size_t cap)
{
    b->buf = buf;
    b->cap = cap;
    b->len = 0;
    b->seen = false;
    b->done = false;
    buf[0] = '\0';
}

static void sb_add(strbuild_t *b, const uint8_t *p, size_t n)
{
    b->seen = true;
    for (size_t i = 0; i < n && !b->done; i++) {
        if (p[i] == 0) {
            b->done = true;
        } else if (b->len + 1 < b->cap) {
            b->buf[b->len++] = printable(p[i]);
        }
    }
    b->buf[b->len] = '\0';
}

/* The string, or NULL when absent or empty. */
static const char *sb_get(const strbuild_t *b)
{
    return b->len ? b->buf : NULL;
}

static bool bytes_contain(const uint8_t *p, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = 0; i + k <= n; i++)
        if (memcmp(p + i, needle, k) == 0)
            return true;
    return false;
}

/* Option 77: RFC 3004 length-prefixed user classes, or, when the bytes do
 * not parse that way, one raw string (iPXE sends "iPXE" unprefixed). */
static bool user_class_is_ipxe(const uint8_t *v, size_t n)
{
    size_t off = 0;
    while (off < n) {
        size_t l = v[off];
        if (l == 0 || l > n - off - 1)
            return bytes_contain(v + off, n - off, "iPXE");
        if (l == 4 && memcmp(v + off + 1, "iPXE", 4) == 0)
            return true;
        off += 1 + l;
    }
    return false;
}

/* Option 77 as text: RFC 3004 classes joined with ',' when every
 * length-prefixed class fits exactly, else the raw bytes. */
static void user_class_text(strbuild_t *b, const uint8_t *v, size_t n)
{
    size_t off = 0;
    while (off < n && v[off] != 0 && v[off] <= n - off - 1)
        off += 1 + v[off];
    if (off != n || n == 0) {
        sb_add(b, v, n);
        return;
    }
    for (off = 0; off < n; off += 1 + v[off]) {
        if (off)
            sb_add(b, (const uint8_t *)",", 1);
        sb_add(b, v + off + 1, v[off]);
    }
}

/* Option 81 (RFC 4702): flags, two RCODEs, then the name: ASCII, or DNS
 * wire format (flag E) whose labels are joined with '.'.  A label that runs
 * past the end ends the name. */
static void fqdn_text(strbuild_t *b, const uint8_t *v, size_t n)
{
    if (n < 3)
        return;
    if (!(v[0] & 0x04)) {
        sb_add(b, v + 3, n - 3);
        return;
    }
    size_t off = 3;
    while (off < n && v[off] != 0 && v[off] <= n - off - 1) {
        if (b->len)
            sb_add(b, (const uint8_t *)".", 1);
        sb_add(b, v + off + 1, v[off]);
        off += 1 + v[off];
    }
}

/* Option 97 type 0 (PXE spec, RFC 4578): the SMBIOS UUID, its first three
 * fields little-endian; written as canonical 8-4-4-4-12 lower-case hex. */
static void uuid_text(char out[37], const uint8_t *v, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    /* byte order of the text: fields 1-3 swapped, the rest as sent */
    static const uint8_t order[16] = {3, 2, 1, 0, 5, 4, 7, 6, 8, 9, 10, 11, 12, 13, 14, 15};
    if (n != 17 || v[0] != 0)
        return;
    size_t o = 0;
    for (unsigned i = 0; i < 16; i++) {
        if (i == 4 || i == 6 || i == 8 || i == 10)
            out[o++] = '-';
        uint8_t c = v[1 + order[i]];
        out[o++] = hex[c >> 4];
        out[o++] = hex[c & 0x0f];
    }
    out[o] = '\0';
}

typedef struct {
    pxe_dhcp_t *d;
    pxe_wire_scratch_t *s;
    strbuild_t vendor_class, bootfile, tftp_server_name, host_name, client_fqdn, user_class;
    uint8_t overload;
    bool has_msg_type;
    bool seen_fqdn, seen_user_class, seen_uuid, seen_requested, seen_lease;
    const uint8_t *vendor_part[MAX_VENDOR_PARTS];
    size_t vendor_part_len[MAX_VENDOR_PARTS];
    unsigned n_vendor_parts;
} dhcp_state_t;

/* Option 82 (RFC 3046): the relay's circuit-id (1) and remote-id (2), the
 * switch port and switch a client hangs on, as text (non-printable bytes
 * as '?'). */
static void relay_info(pxe_dhcp_t *d, pxe_wire_scratch_t *s, const uint8_t *v, size_t n)
{
    strbuild_t b;
    sb_init(&b, s->relay_info, sizeof s->relay_info);
    size_t off = 0;
    while (off + 2 <= n) {
        uint8_t code = v[off], l = v[off + 1];
        if (l > n - off - 2)
            break;
        if (code == 1 || code == 2) {
            const char *name = code == 1 ? "circuit-id " : "remote-id ";
            if (b.len)
                sb_add(&b, (const uint8_t *)", ", 2);
            sb_add(&b, (const uint8_t *)name, strlen(name));
            for (size_t i = 0; i < l; i++) {
                uint8_t c = v[off + 2 + i] ? v[off + 2 + i] : '?';
                sb_add(&b, &c, 1);
            }
        }
        off += 2 + (size_t)l;
    }
    d->relay_info = sb_get(&b);
}

/* Option 250 of WDS's boot program (wdsnbp) and server: sub-options
 * (code, length, value) up to 0xff; NextAction (2), RequestID (5),
 * ActionDone (14). */
static void wds_options(pxe_dhcp_t *d, const uint8_t *v, size_t n)
{
    size_t off = 0;
    while (off + 2 <= n && v[off] != 0xff) {
        uint8_t code = v[off], l = v[off + 1];
        if (l > n - off - 2)
            return;
        if (code == 2 && l == 1)
            d->wds_next_action = v[off + 2];
        else if (code == 5 && l == 4)
            d->wds_request_id = get32(v + off + 2);
        else if (code == 14 && l == 1)
            d->wds_action_done = v[off + 2] != 0;
        off += 2 + (size_t)l;
    }
}

static void dhcp_option(dhcp_state_t *st, uint8_t code, const uint8_t *v, size_t l, bool main_area)
{
    pxe_dhcp_t *d = st->d;
    switch (code) {
    case 43:
        if (st->n_vendor_parts < MAX_VENDOR_PARTS) {
            st->vendor_part[st->n_vendor_parts] = v;
            st->vendor_part_len[st->n_vendor_parts] = l;
            st->n_vendor_parts++;
        }
        break;
    case 52:
        if (main_area && l >= 1)
            st->overload = v[0];
        break;
    case 12:
        sb_add(&st->host_name, v, l);
        break;
    case 50:
        if (!st->seen_requested && l == 4) {
            d->has_requested_addr = true;
            d->requested_addr = get32(v);
        }
        st->seen_requested = true;
        break;
    case 51:
        if (!st->seen_lease && l == 4) {
            d->has_lease_time = true;
            d->lease_time = get32(v);
        }
        st->seen_lease = true;
        break;
    case 53:
        if (!st->has_msg_type && l >= 1) {
            st->has_msg_type = true;
            d->msg_type = v[0];
        }
        break;
    case 54:
        if (!d->has_server_id && l == 4) {
            d->has_server_id = true;
            d->server_id = get32(v);
        }
        break;
    case 60:
        sb_add(&st->vendor_class, v, l);
        break;
    case 66:
        sb_add(&st->tftp_server_name, v, l);
        break;
    case 67:
        sb_add(&st->bootfile, v, l);
        break;
    case 77:
        if (user_class_is_ipxe(v, l))
            d->ipxe = true;
        if (!st->seen_user_class)
            user_class_text(&st->user_class, v, l);
        st->seen_user_class = true;
        break;
    case 81:
        if (!st->seen_fqdn)
            fqdn_text(&st->client_fqdn, v, l);
        st->seen_fqdn = true;
        break;
    case 93:
        if (!d->has_arch && l >= 2) {
            d->has_arch = true;
            d->arch = get16(v);
        }
        break;
    case 97:
        if (!st->seen_uuid)
            uuid_text(st->s->uuid, v, l);
        st->seen_uuid = true;
        break;
    case 175:
        d->ipxe = true;
        break;
    case 250:
        d->wds = true;
        wds_options(d, v, l);
        break;
    case 82:
        if (!d->relay_info)
            relay_info(d, st->s, v, l);
        break;
    default:
        break;
    }
}

/* The options in p[start, end): false when one runs past end. */
static bool dhcp_options(dhcp_state_t *st, const uint8_t *p, size_t start, size_t end, bool main_area)
{
    size_t off = start;
    while (off < end) {
        uint8_t code = p[off];
        if (code == 0) {
            off++;
            continue;
        }
        if (code == 255)
            return true;
        if (end - off < 2)
            return false;
        size_t l = p[off + 1];
        if (l > end - off - 2)
            return false;
        dhcp_option(st, code, p + off + 2, l, main_area);
        if (main_area && st->d->n_opt_order < PXE_OPT_ORDER_MAX)
            st->d->opt_order[st->d->n_opt_order++] = code;
        off += 2 + l;
    }
    return true;
}

/* Option 43 as PXE sub-options (PXE 2.1 spec), its instances concatenated
 * (RFC 3396).  A sub-option cut short ends the scan. */
static void pxe_suboptions(dhcp_state_t *st)
{
    size_t part = 0, off = 0;
    /* walk the concatenation without copying it: (part, off) is the
     * position; next_byte() reads one byte and moves on */
    for (;;) {
        while (part < st->n_vendor_parts && off >= st->vendor_part_len[part]) {
            part++;
            off = 0;
        }
        if (part >= st->n_vendor_parts)
            return;
        uint8_t code = st->vendor_part[part][off++];
        if (code == 0)
            continue;
        if (code == 255)
            return;
        while (part < st->n_vendor_parts && off >= st->vendor_part_len[part]) {
            part++;
            off = 0;
        }
        if (part >= st->n_vendor_parts)
            return;   /* no length byte */
        size_t l = st->vendor_part[part][off++];
        st->d->has_pxe_options = true;
        if (code == 71)
            st->d->boot_item = true;
        /* skip the value across parts */
        while (l > 0 && part < st->n_vendor_parts) {
            size_t avail = st->vendor_part_len[part] - off;
            size_t step = l < avail ? l : avail;
            off += step;
            l -= step;
            if (l > 0) {
                part++;
                off = 0;
            }
        }
        if (l > 0)
            return;   /* value cut short */
    }
}

bool pxe_wire_dhcp(const uint8_t *p, size_t len, pxe_dhcp_t *out, pxe_wire_scratch_t *s)
{
    if (!p || !out || !s || len < DHCP_FIXED_LEN)
        return false;
    uint8_t htype = p[1], hlen = p[2];
    if ((htype != 1 && htype != 6) || hlen != 6)
        return false;

    memset(out, 0, sizeof *out);
    dhcp_state_t st;
    memset(&st, 0, sizeof st);
    st.d = out;
    st.s = s;
    s->uuid[0] = '\0';
    sb_init(&st.vendor_class, s->vendor_class, sizeof s->vendor_class);
    sb_init(&st.host_name, s->host_name, sizeof s->host_name);
    sb_init(&st.client_fqdn, s->client_fqdn, sizeof s->client_fqdn);
    sb_init(&st.user_class, s->user_class, sizeof s->user_class);
    sb_init(&st.bootfile, s->bootfile, sizeof s->bootfile);
    sb_init(&st.tftp_server_name, s->tftp_server_name, sizeof s->tftp_server_name);

    out->op = p[0];
    out->xid = get32(p + 4);
    out->secs = get16(p + 8);
    out->ciaddr = get32(p + 12);
    out->yiaddr = get32(p + 16);
    out->siaddr = get32(p + 20);
    out->giaddr = get32(p + 24);
    memcpy(out->chaddr, p + 28, 6);

    if (len >= DHCP_FIXED_LEN + 4 && get32(p + DHCP_FIXED_LEN) == DHCP_COOKIE) {
        if (!dhcp_options(&st, p, DHCP_FIXED_LEN + 4, len, true))
            return false;
        /* RFC 2131 4.1: the file field, then sname, when option 52 says so */
        if ((st.overload & OVERLOAD_FILE) &&
            !dhcp_options(&st, p, DHCP_FILE_OFF, DHCP_FILE_OFF + DHCP_FILE_LEN, false))
            return false;
        if ((st.overload & OVERLOAD_SNAME) &&
            !dhcp_options(&st, p, DHCP_SNAME_OFF, DHCP_SNAME_OFF + DHCP_SNAME_LEN, false))
            return false;
    }

    out->vendor_class = sb_get(&st.vendor_class);
    out->host_name = sb_get(&st.host_name);
    out->client_fqdn = sb_get(&st.client_fqdn);
    out->user_class = sb_get(&st.user_class);
    out->uuid = s->uuid[0] ? s->uuid : NULL;
    out->tftp_server_name = sb_get(&st.tftp_server_name);
    out->bootfile = sb_get(&st.bootfile);
    if (!out->bootfile && !(st.overload & OVERLOAD_FILE)) {
        sb_init(&st.bootfile, s->bootfile, sizeof s->bootfile);
        sb_add(&st.bootfile, p + DHCP_FILE_OFF, DHCP_FILE_LEN);
        out->bootfile = sb_get(&st.bootfile);
    }
    /* Wireshark decodes option 43 as PXE sub-options for PXE clients and
     * servers only: those send option 60 "PXEClient..." */
    if (st.n_vendor_parts && out->vendor_class && strncmp(out->vendor_class, "PXEClient", 9) == 0)
        pxe_suboptions(&st);
    return true;
}

/* A NUL-terminated string at p[*off, len): copied into b (when b is not
 * NULL); *off moves past the NUL.  False when there is no NUL. */
static bool tftp_string(const uint8_t *p, size_t len, size_t *off, strbuild_t *b)
{
    const uint8_t *nul = *off < len ? memchr(p + *off, 0, len - *off) : NULL;
    if (!nul)
        return false;
    size_t n = (size_t)(nul - (p + *off));
    if (b)
        sb_add(b, p + *off, n);
    *off += n + 1;
    return true;
}

/* A decimal option value, -1 unless all digits (at most 18). */
static int64_t tftp_number(const char *s)
{
    int64_t v = 0;
    size_t i = 0;
    for (; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || i >= 18)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return i ? v : -1;
}

static bool ascii_caseeq(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = (*a >= 'A' && *a <= 'Z') ? (char)(*a + 32) : *a;
        char y = (*b >= 'A' && *b <= 'Z') ? (char)(*b + 32) : *b;
        if (x != y)
            return false;
    }
    return *a == *b;
}

/* name\0value\0 pairs up to the end (RFC 2347).  False when one is cut. */
static bool tftp_options(const uint8_t *p, size_t len, size_t off, pxe_tftp_t *t)
{
    while (off < len) {
        char name[16], value[24];
        strbuild_t nb, vb;
        sb_init(&nb, name, sizeof name);
        sb_init(&vb, value, sizeof value);
        if (!tftp_string(p, len, &off, &nb) || !tftp_string(p, len, &off, &vb))
            return false;
        /* a name or value longer than the buffer was cut: not one of ours */
        if (nb.len + 1 >= sizeof name || vb.len + 1 >= sizeof value)
            continue;
        if (ascii_caseeq(name, "tsize"))
            t->opt_tsize = tftp_number(value);
        else if (ascii_caseeq(name, "blksize"))
            t->opt_blksize = tftp_number(value);
        else if (ascii_caseeq(name, "windowsize"))
            t->opt_windowsize = tftp_number(value);
    }
    return true;
}

bool pxe_wire_tftp(const uint8_t *p, size_t len, size_t wire_len, pxe_tftp_t *out,
                   pxe_wire_scratch_t *s)
{
    if (!p || !out || !s || len < 2)
        return false;
    if (wire_len < len)
        wire_len = len;
    uint16_t opcode = get16(p);
    if (opcode < 1 || opcode > 6)
        return false;
    memset(out, 0, sizeof *out);
    out->opcode = opcode;
    out->opt_tsize = out->opt_blksize = out->opt_windowsize = -1;
    size_t off = 2;
    strbuild_t b;
    switch (opcode) {
    case 1:   /* RRQ */
    case 2:   /* WRQ */
        sb_init(&b, s->tftp_file, sizeof s->tftp_file);
        if (!tftp_string(p, len, &off, &b) || !tftp_string(p, len, &off, NULL))
            return false;
        out->file = sb_get(&b);
        return tftp_options(p, len, off, out);
    case 3:   /* DATA */
        if (len < 4)
            return false;
        out->block = get16(p + 2);
        out->data_len = (uint32_t)(wire_len - 4 > UINT32_MAX ? UINT32_MAX : wire_len - 4);
        return true;
    case 4:   /* ACK */
        if (len < 4)
            return false;
        out->block = get16(p + 2);
        return true;
    case 5:   /* ERROR */
        if (len < 4)
            return false;
        out->err_code = get16(p + 2);
        /* the message up to its NUL, or all the bytes there are */
        sb_init(&b, s->tftp_err_msg, sizeof s->tftp_err_msg);
        sb_add(&b, p + 4, len - 4);
        out->err_msg = sb_get(&b);
        return true;
    default:  /* 6 OACK */
        return tftp_options(p, len, off, out);
    }
}

bool pxe_wire_arp(const uint8_t *p, size_t len, pxe_arp_t *out)
{
    if (!p || !out || len < 28)
        return false;
    if (get16(p) != 1 || get16(p + 2) != 0x0800 || p[4] != 6 || p[5] != 4)
        return false;
    memset(out, 0, sizeof *out);
    out->opcode = get16(p + 6);
    memcpy(out->sha, p + 8, 6);
    out->spa = get32(p + 14);
    out->tpa = get32(p + 24);
    return true;
}

bool pxe_wire_icmp_unreach(const uint8_t *p, size_t len, pxe_icmp_t *out)
{
    /* type, code, checksum, 4 unused bytes, then the quoted datagram */
    if (!p || !out || len < 8 + 20 || p[0] != 3)
        return false;
    const uint8_t *ip = p + 8;
    size_t iplen = len - 8;
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    if ((ip[0] >> 4) != 4 || ihl < 20 || ip[9] != 17 || (get16(ip + 6) & 0x1fff) != 0 ||
        iplen < ihl + 4)
        return false;
    memset(out, 0, sizeof *out);
    out->ip_src = get32(ip + 12);
    out->ip_dst = get32(ip + 16);
    out->sport = get16(ip + ihl);
    out->dport = get16(ip + ihl + 2);
    return true;
}

bool pxe_wire_udp(const uint8_t *p, size_t len, uint16_t *sport, uint16_t *dport, uint16_t *ulen)
{
    if (!p || len < 8)
        return false;
    if (sport)
        *sport = get16(p);
    if (dport)
        *dport = get16(p + 2);
    if (ulen)
        *ulen = get16(p + 4);
    return true;
}
