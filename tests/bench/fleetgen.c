/* fleetgen - synthetic captures for benchmarking pxediag: a fleet of PXE
 * clients multiplied from real lab boot captures, ordinary traffic with no
 * PXE at all (DNS, HTTP over TCP, ARP), or a mix of both.
 *
 *   fleetgen [OPTIONS] -o OUT.pcap [TEMPLATE.pcapng[=WEIGHT]...]
 *
 * Each client is a copy of one template boot (chosen by weight) with its own
 * MAC address (Ethernet, ARP, DHCP chaddr, client id and UUID options,
 * ICMPv6 link-layer options, EUI-64 link-local address and solicited-node
 * multicast, MAC-named pxelinux.cfg files), its own IPv4 address (IP and
 * ARP headers, DHCP ciaddr/yiaddr/option 50, ICMP quotes, hex-IP config file
 * names, TFTP error texts), its own DHCP xids and TFTP client ports, and a
 * start time drawn from a Poisson process over a window so that boots
 * overlap. Checksums (IPv4, UDP, ICMP, ICMPv6, TCP) are recomputed.
 * Background sessions (DNS query/answer, HTTP GET over a full TCP
 * connection, ARP request/reply) are generated the same way. All sources are
 * merged in timestamp order through a heap: only the templates and the
 * sessions in flight are held in memory, packets stream out.
 *
 * Output: classic pcap with nanosecond timestamps, Ethernet. The output is a
 * function of the options, the seed and the template files only.
 * A summary goes to stderr as "key=value" lines and one "template" line per
 * template (name, clients, packets).
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <pcap/pcap.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_IPS 8
#define MAX_XIDS 16
#define MAX_FRAME 70000
#define NS 1000000000ULL
#define BASE_EPOCH 1704103200ULL /* 2024-01-01 10:00:00 UTC */

/* ---------------------------------------------------------------- utils */

static void die(const char *msg, const char *arg)
{
    fprintf(stderr, "fleetgen: %s%s%s\n", msg, arg ? ": " : "", arg ? arg : "");
    exit(2);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p)
        die("out of memory", NULL);
    return p;
}

static uint16_t get16(const uint8_t *p) { return (uint16_t)(p[0] << 8 | p[1]); }
static uint32_t get32(const uint8_t *p)
{
    return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}
static void put16(uint8_t *p, uint16_t v)
{
    p[0] = (uint8_t)(v >> 8);
    p[1] = (uint8_t)v;
}
static void put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* splitmix64: small, fast, fully deterministic */
typedef struct {
    uint64_t s;
} rng_t;

static uint64_t rng_next(rng_t *r)
{
    uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
}

static uint32_t rng_below(rng_t *r, uint32_t n) /* 0..n-1 */
{
    return n ? (uint32_t)((rng_next(r) >> 32) * n >> 32) : 0;
}

static double rng_unit(rng_t *r) /* (0, 1] */
{
    return ((double)(rng_next(r) >> 11) + 1.0) / 9007199254740992.0;
}

static uint64_t rng_exp_ns(rng_t *r, double mean_s)
{
    return (uint64_t)(-log(rng_unit(r)) * mean_s * 1e9);
}

/* an invertible 32-bit mixer (murmur3 finaliser): unique in, unique out */
static uint32_t mix32(uint32_t x)
{
    x ^= x >> 16;
    x *= 0x85ebca6bU;
    x ^= x >> 13;
    x *= 0xc2b2ae35U;
    x ^= x >> 16;
    return x;
}

/* ------------------------------------------------------------ checksums */

static uint32_t csum_add(uint32_t sum, const uint8_t *p, size_t n)
{
    while (n > 1) {
        sum += get16(p);
        p += 2;
        n -= 2;
    }
    if (n)
        sum += (uint32_t)p[0] << 8;
    return sum;
}

static uint16_t csum_fold(uint32_t sum)
{
    while (sum >> 16)
        sum = (sum & 0xffff) + (sum >> 16);
    return (uint16_t)~sum;
}

static void ipv4_fix_header(uint8_t *ip)
{
    size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
    put16(ip + 10, 0);
    put16(ip + 10, csum_fold(csum_add(0, ip, ihl)));
}

/* checksum of a TCP/UDP segment over IPv4; l4len bytes at l4 */
static uint16_t l4_csum_v4(const uint8_t *ip, const uint8_t *l4, size_t l4len, uint8_t proto)
{
    uint32_t s = csum_add(0, ip + 12, 8);
    s += proto;
    s += (uint32_t)l4len;
    s = csum_add(s, l4, l4len);
    uint16_t c = csum_fold(s);
    return (proto == 17 && c == 0) ? 0xffff : c;
}

static uint16_t l4_csum_v6(const uint8_t *ip6, const uint8_t *l4, size_t l4len, uint8_t proto)
{
    uint32_t s = csum_add(0, ip6 + 8, 32);
    s += (uint32_t)(l4len >> 16);
    s += (uint32_t)(l4len & 0xffff);
    s += proto;
    s = csum_add(s, l4, l4len);
    uint16_t c = csum_fold(s);
    return (proto == 17 && c == 0) ? 0xffff : c;
}

/* ------------------------------------------------------------ templates */

typedef struct {
    uint64_t ts; /* ns since the template's first packet */
    uint32_t caplen, origlen;
    uint8_t *data;
} tpkt_t;

typedef struct {
    char *path, *name;
    double weight;
    tpkt_t *pkts;
    size_t npkts;
    uint8_t mac[6];
    uint32_t ips[MAX_IPS];
    int nips;
    uint32_t xids[MAX_XIDS];
    int nxids;
    /* statistics of the run */
    uint64_t clients, packets;
} template_t;

static bool is_dhcp_port(uint16_t p) { return p == 67 || p == 68 || p == 4011; }

/* the BOOTP header of a UDP payload, or NULL */
static const uint8_t *bootp_of(const uint8_t *udp, size_t udplen)
{
    if (udplen < 8 + 240)
        return NULL;
    if (!is_dhcp_port(get16(udp)) && !is_dhcp_port(get16(udp + 2)))
        return NULL;
    const uint8_t *b = udp + 8;
    if (get32(b + 236) != 0x63825363 || b[1] != 1 || b[2] != 6)
        return NULL;
    return b;
}

/* IPv4 header and UDP header of an Ethernet frame (after VLAN tags) */
typedef struct {
    size_t l3;     /* offset of the network header */
    uint16_t type; /* ethertype */
    size_t l4;     /* offset of the transport header, 0 if none */
    uint8_t proto; /* IPv4 protocol / IPv6 upper-layer header */
    size_t end;    /* end of the IP datagram within the frame (capped by caplen) */
    bool complete; /* the whole IP datagram is in the frame */
} layers_t;

static bool parse_layers(const uint8_t *f, size_t len, layers_t *L)
{
    memset(L, 0, sizeof *L);
    if (len < 14)
        return false;
    size_t off = 12;
    uint16_t et = get16(f + off);
    off += 2;
    while ((et == 0x8100 || et == 0x88a8) && len >= off + 4) {
        et = get16(f + off + 2);
        off += 4;
    }
    L->l3 = off;
    L->type = et;
    L->end = len;
    if (et == 0x0800 && len >= off + 20) {
        const uint8_t *ip = f + off;
        size_t ihl = (size_t)(ip[0] & 0x0f) * 4;
        size_t tot = get16(ip + 2);
        if ((ip[0] >> 4) != 4 || ihl < 20 || len < off + ihl)
            return true;
        if (off + tot < L->end)
            L->end = off + tot;
        L->complete = off + tot <= len && tot >= ihl;
        if ((get16(ip + 6) & 0x1fff) != 0) /* not a first fragment */
            return true;
        L->proto = ip[9];
        L->l4 = off + ihl;
    } else if (et == 0x86dd && len >= off + 40) {
        const uint8_t *ip6 = f + off;
        size_t plen = get16(ip6 + 4);
        if (off + 40 + plen < L->end)
            L->end = off + 40 + plen;
        L->complete = off + 40 + plen <= len;
        uint8_t nh = ip6[6];
        size_t p = off + 40;
        while ((nh == 0 || nh == 43 || nh == 60) && p + 8 <= L->end) {
            nh = f[p];
            p += ((size_t)f[p + 1] + 1) * 8;
        }
        if (p > L->end)
            return true;
        L->proto = nh;
        L->l4 = p;
    }
    return true;
}

static void template_note_ip(template_t *t, uint32_t ip)
{
    if (ip == 0 || ip == 0xffffffff)
        return;
    for (int i = 0; i < t->nips; i++)
        if (t->ips[i] == ip)
            return;
    if (t->nips == MAX_IPS)
        die("too many client addresses in template", t->path);
    t->ips[t->nips++] = ip;
}

static void template_note_xid(template_t *t, uint32_t xid)
{
    for (int i = 0; i < t->nxids; i++)
        if (t->xids[i] == xid)
            return;
    if (t->nxids == MAX_XIDS)
        die("too many DHCP transactions in template", t->path);
    t->xids[t->nxids++] = xid;
}

/* the client: the chaddr of the first BOOTREQUEST, unless given as FILE@MAC;
 * its addresses: yiaddr of replies to it, its ciaddr and option 50, its ARP
 * sender address and the IPv4 source of its frames */
static void template_analyse(template_t *t, bool have_mac)
{
    static const uint8_t zero6[6];
    for (size_t i = 0; i < t->npkts && !have_mac; i++) {
        const tpkt_t *p = &t->pkts[i];
        layers_t L;
        if (!parse_layers(p->data, p->caplen, &L) || L.type != 0x0800 || L.proto != 17)
            continue;
        const uint8_t *b = bootp_of(p->data + L.l4, L.end - L.l4);
        if (b && b[0] == 1 && memcmp(b + 28, zero6, 6) != 0) {
            memcpy(t->mac, b + 28, 6);
            have_mac = true;
        }
    }
    if (!have_mac)
        die("no DHCP client in template (give FILE@MAC)", t->path);
    for (size_t i = 0; i < t->npkts; i++) {
        const tpkt_t *p = &t->pkts[i];
        const uint8_t *f = p->data;
        layers_t L;
        if (!parse_layers(f, p->caplen, &L))
            continue;
        bool from_client = memcmp(f + 6, t->mac, 6) == 0;
        if (L.type == 0x0806 && p->caplen >= L.l3 + 28 && get16(f + L.l3) == 1 &&
            get16(f + L.l3 + 2) == 0x0800 && memcmp(f + L.l3 + 8, t->mac, 6) == 0)
            template_note_ip(t, get32(f + L.l3 + 14));
        if (L.type != 0x0800 || !L.l4)
            continue;
        if (from_client)
            template_note_ip(t, get32(f + L.l3 + 12));
        if (L.proto != 17)
            continue;
        const uint8_t *b = bootp_of(f + L.l4, L.end - L.l4);
        if (!b || memcmp(b + 28, t->mac, 6) != 0)
            continue;
        template_note_xid(t, get32(b + 4));
        template_note_ip(t, get32(b + 12));
        template_note_ip(t, get32(b + 16));
        const uint8_t *o = b + 240, *e = f + L.end;
        while (o < e && *o != 255) {
            if (*o == 0) {
                o++;
                continue;
            }
            if (o + 2 > e || o + 2 + o[1] > e)
                break;
            if (o[0] == 50 && o[1] == 4)
                template_note_ip(t, get32(o + 2));
            o += 2 + o[1];
        }
    }
    if (t->nips == 0)
        die("no client address in template", t->path);
}

static bool parse_mac(const char *s, uint8_t mac[6])
{
    unsigned v[6];
    if (sscanf(s, "%x%*[:-]%x%*[:-]%x%*[:-]%x%*[:-]%x%*[:-]%x", &v[0], &v[1], &v[2], &v[3], &v[4], &v[5]) != 6)
        return false;
    for (int i = 0; i < 6; i++) {
        if (v[i] > 255)
            return false;
        mac[i] = (uint8_t)v[i];
    }
    return true;
}

/* TEMPLATE is PATH[@MAC][=WEIGHT] */
static void template_load(template_t *t, const char *spec)
{
    memset(t, 0, sizeof *t);
    char *s = strdup(spec);
    if (!s)
        die("out of memory", NULL);
    t->weight = 1.0;
    char *eq = strrchr(s, '=');
    if (eq) {
        char *end;
        *eq = 0;
        t->weight = strtod(eq + 1, &end);
        if (*end || !(t->weight >= 0))
            die("bad template weight", spec);
    }
    bool have_mac = false;
    char *at = strrchr(s, '@');
    if (at) {
        *at = 0;
        if (!parse_mac(at + 1, t->mac))
            die("bad template MAC", spec);
        have_mac = true;
    }
    t->path = s;
    const char *base = strrchr(s, '/');
    base = base ? base + 1 : s;
    t->name = strdup(base);
    if (!t->name)
        die("out of memory", NULL);
    char *dot = strchr(t->name, '.');
    if (dot)
        *dot = 0;

    char err[PCAP_ERRBUF_SIZE];
    pcap_t *pc = pcap_open_offline_with_tstamp_precision(s, PCAP_TSTAMP_PRECISION_NANO, err);
    if (!pc)
        die(err, s);
    if (pcap_datalink(pc) != DLT_EN10MB)
        die("template is not Ethernet", s);
    struct pcap_pkthdr *h;
    const u_char *d;
    size_t cap = 0;
    uint64_t first = 0;
    int rc;
    while ((rc = pcap_next_ex(pc, &h, &d)) == 1) {
        if (t->npkts == cap) {
            cap = cap ? cap * 2 : 256;
            t->pkts = xrealloc(t->pkts, cap * sizeof *t->pkts);
        }
        uint64_t ts = (uint64_t)h->ts.tv_sec * NS + (uint64_t)h->ts.tv_usec; /* tv_usec holds ns here */
        if (t->npkts == 0)
            first = ts;
        tpkt_t *p = &t->pkts[t->npkts++];
        /* a packet stamped before its predecessor keeps its place, at the same time */
        p->ts = ts < first ? 0 : ts - first;
        if (t->npkts > 1 && p->ts < t->pkts[t->npkts - 2].ts)
            p->ts = t->pkts[t->npkts - 2].ts;
        p->caplen = h->caplen;
        p->origlen = h->len;
        p->data = xmalloc(h->caplen);
        memcpy(p->data, d, h->caplen);
    }
    if (rc == -1)
        die(pcap_geterr(pc), s);
    pcap_close(pc);
    if (t->npkts == 0)
        die("empty template", s);
    template_analyse(t, have_mac);
}

/* -------------------------------------------------------------- clients */

typedef struct {
    template_t *t;
    uint32_t index;
    uint8_t mac[6];
    uint32_t ip0; /* t->ips[j] becomes ip0 + j */
    uint32_t xid_key;
    uint32_t port_off;
} client_t;

static uint32_t client_ip(const client_t *c, uint32_t old, bool *hit)
{
    for (int j = 0; j < c->t->nips; j++)
        if (c->t->ips[j] == old) {
            if (hit)
                *hit = true;
            return c->ip0 + (uint32_t)j;
        }
    return old;
}

static uint32_t client_xid(const client_t *c, uint32_t old)
{
    for (int j = 0; j < c->t->nxids; j++)
        if (c->t->xids[j] == old)
            return mix32(c->index << 4 | (uint32_t)j) ^ c->xid_key;
    return old;
}

/* client ports: ephemeral ports rotate within their band (1024-49151 without
 * 4011, 49152-65535), a bijection per client; well-known ports stay */
static uint16_t client_port(const client_t *c, uint16_t p)
{
    if (p < 1024 || p == 4011)
        return p;
    if (p >= 49152)
        return (uint16_t)(49152 + (p - 49152 + c->port_off) % 16384);
    uint32_t rank = p - 1024u - (p > 4011 ? 1u : 0u); /* 0..48126 */
    rank = (rank + c->port_off) % 48127;
    uint32_t q = 1024 + rank;
    if (q >= 4011)
        q++;
    return (uint16_t)q;
}

static void replace_all(uint8_t *buf, size_t len, const uint8_t *from, const uint8_t *to, size_t n)
{
    if (len < n)
        return;
    for (size_t i = 0; i + n <= len; i++)
        if (buf[i] == from[0] && memcmp(buf + i, from, n) == 0) {
            memcpy(buf + i, to, n);
            i += n - 1;
        }
}

static void mac_text(char *out, const uint8_t m[6], char sep, bool upper)
{
    static const char lo[] = "0123456789abcdef", up[] = "0123456789ABCDEF";
    const char *hx = upper ? up : lo;
    char *o = out;
    for (int i = 0; i < 6; i++) {
        if (i && sep)
            *o++ = sep;
        *o++ = hx[m[i] >> 4];
        *o++ = hx[m[i] & 15];
    }
    *o = 0;
}

static bool is_hexup(uint8_t ch) { return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'F'); }
static bool is_alnum(uint8_t ch)
{
    return (ch >= '0' && ch <= '9') || (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z');
}

/* TFTP request/error texts that name the client: MAC-named config files
 * (01-52-54-...), pxelinux's hex-IP prefixes (C0000286, C000028, ... C), the
 * dotted address in a server's error message. Returns the new payload length. */
static size_t rewrite_tftp_text(const client_t *c, uint8_t *pl, size_t len, size_t room)
{
    const template_t *t = c->t;
    static const char seps[] = {'-', ':', 0};
    for (int s = 0; s < 3; s++)
        for (int u = 0; u < 2; u++) {
            char a[20], b[20];
            mac_text(a, t->mac, seps[s], u);
            mac_text(b, c->mac, seps[s], u);
            replace_all(pl, len, (const uint8_t *)a, (const uint8_t *)b, strlen(a));
        }
    for (int j = 0; j < t->nips; j++) {
        char oh[9], nh[9];
        snprintf(oh, sizeof oh, "%08" PRIX32, t->ips[j]);
        snprintf(nh, sizeof nh, "%08" PRIX32, c->ip0 + (uint32_t)j);
        static const char *const dirs[] = {"pxelinux.cfg/", "grub.cfg-"};
        for (int d = 0; d < 2; d++) {
            size_t dl = strlen(dirs[d]);
            for (size_t i = 0; i + dl < len; i++) {
                if (memcmp(pl + i, dirs[d], dl) != 0)
                    continue;
                size_t k = i + dl, r = 0;
                while (k + r < len && is_hexup(pl[k + r]))
                    r++;
                if (r >= 1 && r <= 8 && (k + r == len || !is_alnum(pl[k + r])) && memcmp(pl + k, oh, r) == 0)
                    memcpy(pl + k, nh, r);
            }
        }
        /* the dotted address, whole, in texts (error messages): may change length */
        char od[16], nd[16];
        uint32_t o = t->ips[j], n = c->ip0 + (uint32_t)j;
        snprintf(od, sizeof od, "%u.%u.%u.%u", o >> 24, (o >> 16) & 255, (o >> 8) & 255, o & 255);
        snprintf(nd, sizeof nd, "%u.%u.%u.%u", n >> 24, (n >> 16) & 255, (n >> 8) & 255, n & 255);
        size_t ol = strlen(od), nl = strlen(nd);
        for (size_t i = 0; i + ol <= len; i++) {
            if (memcmp(pl + i, od, ol) != 0)
                continue;
            bool lb = i == 0 || !(pl[i - 1] == '.' || (pl[i - 1] >= '0' && pl[i - 1] <= '9'));
            bool rb = i + ol == len || !(pl[i + ol] == '.' || (pl[i + ol] >= '0' && pl[i + ol] <= '9'));
            if (!lb || !rb || len - ol + nl > room)
                continue;
            memmove(pl + i + nl, pl + i + ol, len - i - ol);
            memcpy(pl + i, nd, nl);
            len = len - ol + nl;
            i += nl - 1;
        }
    }
    return len;
}

/* the client's copy of a template packet into out; returns caplen, sets *origlen */
static size_t rewrite_pxe(const client_t *c, const tpkt_t *p, uint8_t *out, uint32_t *origlen)
{
    const template_t *t = c->t;
    size_t len = p->caplen;
    memcpy(out, p->data, len);
    *origlen = p->origlen;
    layers_t L;
    if (!parse_layers(out, len, &L))
        return len;

    /* how far the MAC may be replaced wherever it occurs: not into TFTP DATA */
    size_t limit = len;
    if (L.type == 0x0800 && L.proto == 17 && L.l4 && L.end >= L.l4 + 12) {
        const uint8_t *u = out + L.l4;
        if (!is_dhcp_port(get16(u)) && !is_dhcp_port(get16(u + 2)) && u[8] == 0 && u[9] == 3)
            limit = L.l4 + 8;
    }
    replace_all(out, limit, t->mac, c->mac, 6);
    if (L.type == 0x86dd) {
        uint8_t oi[8] = {t->mac[0] ^ 2, t->mac[1], t->mac[2], 0xff, 0xfe, t->mac[3], t->mac[4], t->mac[5]};
        uint8_t ni[8] = {c->mac[0] ^ 2, c->mac[1], c->mac[2], 0xff, 0xfe, c->mac[3], c->mac[4], c->mac[5]};
        replace_all(out + L.l3, limit - L.l3, oi, ni, 8);
        uint8_t os[16] = {0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, t->mac[3], t->mac[4], t->mac[5]};
        uint8_t nsn[16] = {0xff, 2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xff, c->mac[3], c->mac[4], c->mac[5]};
        replace_all(out + L.l3, limit - L.l3, os, nsn, 16);
    }
    if (out[0] == 0x33 && out[1] == 0x33 && out[2] == 0xff && memcmp(out + 3, t->mac + 3, 3) == 0)
        memcpy(out + 3, c->mac + 3, 3);

    if (L.type == 0x0806 && len >= L.l3 + 28 && get16(out + L.l3 + 2) == 0x0800) {
        uint8_t *a = out + L.l3;
        put32(a + 14, client_ip(c, get32(a + 14), NULL));
        put32(a + 24, client_ip(c, get32(a + 24), NULL));
        return len;
    }
    if (L.type == 0x86dd && L.l4) {
        size_t l4len = L.end - L.l4;
        uint8_t *ip6 = out + L.l3;
        if (L.complete) {
            if (L.proto == 58 && l4len >= 4) {
                put16(out + L.l4 + 2, 0);
                put16(out + L.l4 + 2, l4_csum_v6(ip6, out + L.l4, l4len, 58));
            } else if (L.proto == 17 && l4len >= 8 && get16(out + L.l4 + 6) != 0) {
                put16(out + L.l4 + 6, 0);
                put16(out + L.l4 + 6, l4_csum_v6(ip6, out + L.l4, l4len, 17));
            }
        }
        return len;
    }
    if (L.type != 0x0800 || !L.l4)
        return len;

    uint8_t *ip = out + L.l3;
    bool src_client = false, dst_client = false;
    put32(ip + 12, client_ip(c, get32(ip + 12), &src_client));
    put32(ip + 16, client_ip(c, get32(ip + 16), &dst_client));
    bool whole = L.complete;

    if (L.proto == 17 && L.end >= L.l4 + 8) {
        uint8_t *u = out + L.l4;
        if (src_client)
            put16(u, client_port(c, get16(u)));
        if (dst_client)
            put16(u + 2, client_port(c, get16(u + 2)));
        size_t ulen = L.end - L.l4;
        uint8_t *b = (uint8_t *)bootp_of(u, ulen);
        if (b) {
            put32(b + 4, client_xid(c, get32(b + 4)));
            put32(b + 12, client_ip(c, get32(b + 12), NULL));
            put32(b + 16, client_ip(c, get32(b + 16), NULL));
            uint8_t *o = b + 240, *e = out + L.end;
            while (o < e && *o != 255) {
                if (*o == 0) {
                    o++;
                    continue;
                }
                if (o + 2 > e || o + 2 + o[1] > e)
                    break;
                if (o[0] == 50 && o[1] == 4)
                    put32(o + 2, client_ip(c, get32(o + 2), NULL));
                o += 2 + o[1];
            }
        } else if (whole && ulen >= 10 && u[8] == 0 && u[9] >= 1 && u[9] <= 6 && u[9] != 3 && u[9] != 4) {
            size_t pl = ulen - 8;
            size_t npl = rewrite_tftp_text(c, u + 8, pl, MAX_FRAME - (L.l4 + 8));
            if (npl != pl) {
                size_t nulen = npl + 8;
                put16(u + 4, (uint16_t)nulen);
                put16(ip + 2, (uint16_t)(get16(ip + 2) + nulen - ulen));
                len = L.l4 + nulen;
                L.end = len;
                *origlen = (uint32_t)len;
                ulen = nulen;
            }
        }
        if (whole && get16(u + 6) != 0) {
            put16(u + 6, 0);
            put16(u + 6, l4_csum_v4(ip, u, ulen, 17));
        }
    } else if (L.proto == 1 && L.end >= L.l4 + 8 + 20) {
        uint8_t *icmp = out + L.l4;
        uint8_t type = icmp[0];
        if (type == 3 || type == 4 || type == 5 || type == 11 || type == 12) {
            uint8_t *in = icmp + 8;
            size_t inlen = L.end - (L.l4 + 8);
            size_t ihl = (size_t)(in[0] & 0x0f) * 4;
            if ((in[0] >> 4) == 4 && ihl >= 20 && inlen >= ihl) {
                bool isrc = false, idst = false;
                put32(in + 12, client_ip(c, get32(in + 12), &isrc));
                put32(in + 16, client_ip(c, get32(in + 16), &idst));
                ipv4_fix_header(in);
                if (in[9] == 17 && inlen >= ihl + 8) {
                    uint8_t *iu = in + ihl;
                    if (isrc)
                        put16(iu, client_port(c, get16(iu)));
                    if (idst)
                        put16(iu + 2, client_port(c, get16(iu + 2)));
                    size_t iul = get16(iu + 4);
                    if (get16(iu + 6) != 0 && iul >= 8 && inlen >= ihl + iul) {
                        put16(iu + 6, 0);
                        put16(iu + 6, l4_csum_v4(in, iu, iul, 17));
                    }
                }
            }
        }
        if (whole) {
            put16(icmp + 2, 0);
            put16(icmp + 2, csum_fold(csum_add(0, icmp, L.end - L.l4)));
        }
    }
    ipv4_fix_header(ip);
    return len;
}

/* ----------------------------------------------------------- background */

typedef struct {
    uint64_t ts; /* absolute ns since the capture's start */
    uint32_t off, len;
} bpkt_t;

typedef struct {
    bpkt_t *pkts;
    size_t n, cap;
    uint8_t *buf;
    size_t used, bufcap;
} session_t;

static const uint8_t ROUTER_MAC[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x01};
static const uint8_t DNS_MAC[6] = {0x02, 0x00, 0x5e, 0x10, 0x00, 0x35};
#define BG_NET 0xac100000U   /* 172.16.0.0/16, the office LAN */
#define ROUTER_IP 0xac100001U /* 172.16.0.1 */
#define DNS_IP 0xac100035U   /* 172.16.0.53 */
#define BG_HOSTS 4000
static uint8_t payload_block[65536];

static uint32_t host_ip(uint32_t h) { return BG_NET + 256 + (h / 250) * 256 + (h % 250) + 2; }
static void host_mac(uint32_t h, uint8_t m[6])
{
    m[0] = 0x02;
    m[1] = 0x42;
    put32(m + 2, host_ip(h));
}

static uint8_t *session_add(session_t *s, uint64_t ts, size_t len)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 16;
        s->pkts = xrealloc(s->pkts, s->cap * sizeof *s->pkts);
    }
    size_t padded = len < 60 ? 60 : len;
    if (s->used + padded > s->bufcap) {
        s->bufcap = (s->used + padded) * 2;
        s->buf = xrealloc(s->buf, s->bufcap);
    }
    if (s->n && ts < s->pkts[s->n - 1].ts)
        ts = s->pkts[s->n - 1].ts;
    bpkt_t *p = &s->pkts[s->n++];
    p->ts = ts;
    p->off = (uint32_t)s->used;
    p->len = (uint32_t)len;
    memset(s->buf + s->used, 0, padded);
    s->used += padded;
    return s->buf + p->off;
}

static void eth_hdr(uint8_t *f, const uint8_t dst[6], const uint8_t src[6], uint16_t type)
{
    memcpy(f, dst, 6);
    memcpy(f + 6, src, 6);
    put16(f + 12, type);
}

static uint16_t ip_id_counter;

static void ipv4_hdr(uint8_t *ip, uint32_t src, uint32_t dst, uint8_t proto, size_t l4len, uint8_t ttl)
{
    ip[0] = 0x45;
    ip[1] = 0;
    put16(ip + 2, (uint16_t)(20 + l4len));
    put16(ip + 4, ip_id_counter++);
    put16(ip + 6, 0x4000);
    ip[8] = ttl;
    ip[9] = proto;
    put32(ip + 12, src);
    put32(ip + 16, dst);
    ipv4_fix_header(ip);
}

static void add_udp(session_t *s, uint64_t ts, const uint8_t dmac[6], const uint8_t smac[6], uint32_t sip,
                    uint32_t dip, uint16_t sport, uint16_t dport, const uint8_t *pl, size_t pln, uint8_t ttl)
{
    uint8_t *f = session_add(s, ts, 14 + 20 + 8 + pln);
    eth_hdr(f, dmac, smac, 0x0800);
    uint8_t *u = f + 34;
    put16(u, sport);
    put16(u + 2, dport);
    put16(u + 4, (uint16_t)(8 + pln));
    memcpy(u + 8, pl, pln);
    ipv4_hdr(f + 14, sip, dip, 17, 8 + pln, ttl);
    put16(u + 6, l4_csum_v4(f + 14, u, 8 + pln, 17));
}

static void add_tcp(session_t *s, uint64_t ts, const uint8_t dmac[6], const uint8_t smac[6], uint32_t sip,
                    uint32_t dip, uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags,
                    const uint8_t *pl, size_t pln, uint8_t ttl)
{
    size_t hl = (flags & 0x02) ? 24 : 20;
    uint8_t *f = session_add(s, ts, 14 + 20 + hl + pln);
    eth_hdr(f, dmac, smac, 0x0800);
    uint8_t *t = f + 34;
    put16(t, sport);
    put16(t + 2, dport);
    put32(t + 4, seq);
    put32(t + 8, ack);
    t[12] = (uint8_t)((hl / 4) << 4);
    t[13] = flags;
    put16(t + 14, (flags & 0x02) ? 64240 : 8192);
    if (hl == 24) {
        t[20] = 2; /* MSS 1460 */
        t[21] = 4;
        put16(t + 22, 1460);
    }
    if (pln)
        memcpy(t + hl, pl, pln);
    ipv4_hdr(f + 14, sip, dip, 6, hl + pln, ttl);
    put16(t + 16, l4_csum_v4(f + 14, t, hl + pln, 6));
}

static size_t dns_name(uint8_t *o, const char *name)
{
    size_t n = 0;
    while (*name) {
        const char *dot = strchr(name, '.');
        size_t l = dot ? (size_t)(dot - name) : strlen(name);
        o[n++] = (uint8_t)l;
        memcpy(o + n, name, l);
        n += l;
        name += l + (dot ? 1 : 0);
    }
    o[n++] = 0;
    return n;
}

static const char *const dns_words[] = {"www", "api", "mail", "cdn", "login", "update", "files", "wiki", "git", "chat"};
static const char *const dns_domains[] = {"example.com", "example.net", "example.org", "corp.example"};

static void gen_dns(session_t *s, rng_t *r, uint64_t t0, uint32_t h)
{
    uint8_t hm[6], q[512], a[512];
    host_mac(h, hm);
    uint32_t hip = host_ip(h);
    char name[96];
    snprintf(name, sizeof name, "%s%u.%s", dns_words[rng_below(r, 10)], rng_below(r, 200),
             dns_domains[rng_below(r, 4)]);
    int nq = rng_below(r, 3) == 0 ? 2 : 1; /* A, sometimes A and AAAA */
    uint64_t t = t0;
    for (int k = 0; k < nq; k++) {
        uint16_t qtype = k == 0 ? 1 : 28;
        uint16_t id = (uint16_t)rng_below(r, 65536), sport = (uint16_t)(32768 + rng_below(r, 28000));
        size_t n = 0;
        put16(q, id);
        put16(q + 2, 0x0100);
        put16(q + 4, 1);
        memset(q + 6, 0, 6);
        n = 12 + dns_name(q + 12, name);
        put16(q + n, qtype);
        put16(q + n + 2, 1);
        n += 4;
        add_udp(s, t, DNS_MAC, hm, hip, DNS_IP, sport, 53, q, n, 64);
        t += 200000 + rng_exp_ns(r, 0.004);
        bool nx = rng_below(r, 20) == 0;
        int na = nx ? 0 : 1 + (int)rng_below(r, 3);
        memcpy(a, q, n);
        put16(a + 2, nx ? 0x8183 : 0x8180);
        put16(a + 6, (uint16_t)na);
        size_t m = n;
        for (int i = 0; i < na; i++) {
            put16(a + m, 0xc00c);
            put16(a + m + 2, qtype);
            put16(a + m + 4, 1);
            put32(a + m + 6, 300);
            m += 10;
            if (qtype == 1) {
                put16(a + m, 4);
                put32(a + m + 2, 0xcb007100U + 1 + rng_below(r, 254)); /* 203.0.113.x */
                m += 6;
            } else {
                put16(a + m, 16);
                uint8_t v6[16] = {0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0};
                put32(v6 + 12, rng_below(r, 1u << 31));
                memcpy(a + m + 2, v6, 16);
                m += 18;
            }
        }
        add_udp(s, t, hm, DNS_MAC, DNS_IP, hip, 53, sport, a, m, 64);
        t += 20000 + rng_below(r, 200000);
    }
}

static void gen_arp(session_t *s, rng_t *r, uint64_t t0, uint32_t h)
{
    uint8_t hm[6], tm[6];
    static const uint8_t bcast[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff}, zero[6] = {0};
    host_mac(h, hm);
    uint32_t tip;
    if (rng_below(r, 2)) {
        memcpy(tm, ROUTER_MAC, 6);
        tip = ROUTER_IP;
    } else {
        uint32_t o = rng_below(r, BG_HOSTS);
        if (o == h)
            o = (o + 1) % BG_HOSTS;
        host_mac(o, tm);
        tip = host_ip(o);
    }
    uint8_t *f = session_add(s, t0, 60); /* padded to the Ethernet minimum */
    eth_hdr(f, bcast, hm, 0x0806);
    uint8_t *a = f + 14;
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, 1);
    memcpy(a + 8, hm, 6);
    put32(a + 14, host_ip(h));
    memcpy(a + 18, zero, 6);
    put32(a + 24, tip);
    f = session_add(s, t0 + 50000 + rng_below(r, 500000), 60);
    eth_hdr(f, hm, tm, 0x0806);
    a = f + 14;
    put16(a, 1);
    put16(a + 2, 0x0800);
    a[4] = 6;
    a[5] = 4;
    put16(a + 6, 2);
    memcpy(a + 8, tm, 6);
    put32(a + 14, tip);
    memcpy(a + 18, hm, 6);
    put32(a + 24, host_ip(h));
}

static void gen_http(session_t *s, rng_t *r, uint64_t t0, uint32_t h)
{
    uint8_t hm[6];
    host_mac(h, hm);
    uint32_t cip = host_ip(h), sip = 0xcb007100U + 1 + rng_below(r, 254);
    uint16_t cport = (uint16_t)(32768 + rng_below(r, 28000));
    uint32_t cseq = (uint32_t)rng_next(r), sseq = (uint32_t)rng_next(r);
    uint64_t rtt = 1000000 + rng_below(r, 60000000); /* 1-61 ms */
    uint64_t t = t0;
    const uint8_t *R = ROUTER_MAC;
    add_tcp(s, t, R, hm, cip, sip, cport, 80, cseq, 0, 0x02, NULL, 0, 64);
    t += rtt;
    add_tcp(s, t, hm, R, sip, cip, 80, cport, sseq, cseq + 1, 0x12, NULL, 0, 52);
    cseq++;
    sseq++;
    t += 30000;
    add_tcp(s, t, R, hm, cip, sip, cport, 80, cseq, sseq, 0x10, NULL, 0, 64);
    char req[256];
    int rl = snprintf(req, sizeof req,
                      "GET /static/%u/%u.bin HTTP/1.1\r\nHost: www%u.example.com\r\nUser-Agent: fleetgen/1\r\n"
                      "Accept: */*\r\n\r\n",
                      rng_below(r, 100), rng_below(r, 100000), rng_below(r, 50));
    t += 20000;
    add_tcp(s, t, R, hm, cip, sip, cport, 80, cseq, sseq, 0x18, (const uint8_t *)req, (size_t)rl, 64);
    cseq += (uint32_t)rl;
    /* response: headers and a body of 200 B .. ~30 kB */
    size_t body = 200 + (size_t)(-log(rng_unit(r)) * 6000) % 30000;
    char hdr[256];
    int hl = snprintf(hdr, sizeof hdr,
                      "HTTP/1.1 200 OK\r\nServer: nginx\r\nContent-Type: application/octet-stream\r\n"
                      "Content-Length: %zu\r\nConnection: close\r\n\r\n",
                      body);
    size_t total = (size_t)hl + body, sent = 0, off0 = rng_below(r, 32768);
    t += rtt + rng_exp_ns(r, 0.005);
    int unacked = 0;
    uint8_t seg[1448];
    while (sent < total) {
        size_t n = total - sent < 1448 ? total - sent : 1448;
        for (size_t i = 0; i < n; i++) {
            size_t pos = sent + i;
            seg[i] = pos < (size_t)hl ? (uint8_t)hdr[pos] : payload_block[(off0 + pos) & 0xffff];
        }
        add_tcp(s, t, hm, R, sip, cip, 80, cport, sseq, cseq, sent + n == total ? 0x18 : 0x10, seg, n, 52);
        sseq += (uint32_t)n;
        sent += n;
        t += 12000 + rng_below(r, 20000);
        if (++unacked == 2 || sent == total) {
            add_tcp(s, t, R, hm, cip, sip, cport, 80, cseq, sseq, 0x10, NULL, 0, 64);
            unacked = 0;
            t += 5000;
        }
    }
    /* the server closes (Connection: close), the client follows */
    t += 100000;
    add_tcp(s, t, hm, R, sip, cip, 80, cport, sseq, cseq, 0x11, NULL, 0, 52);
    sseq++;
    t += 40000 + rng_below(r, 1000000);
    add_tcp(s, t, R, hm, cip, sip, cport, 80, cseq, sseq, 0x11, NULL, 0, 64);
    cseq++;
    t += rtt;
    add_tcp(s, t, hm, R, sip, cip, 80, cport, sseq, cseq, 0x10, NULL, 0, 52);
}

/* one background session: 50% DNS, 30% HTTP, 20% ARP by sessions */
static void gen_session(session_t *s, rng_t *r, uint64_t t0)
{
    s->n = 0;
    s->used = 0;
    uint32_t h = rng_below(r, BG_HOSTS), k = rng_below(r, 100);
    if (k < 50)
        gen_dns(s, r, t0, h);
    else if (k < 80)
        gen_http(s, r, t0, h);
    else
        gen_arp(s, r, t0, h);
}

/* ---------------------------------------------------------------- merge */

typedef struct source {
    uint64_t ts;  /* of the next packet, ns since the capture's start */
    uint64_t seq; /* admission order: ties in time keep it */
    bool bg;
    size_t next;
    uint64_t start;
    client_t c;
    session_t s;
    struct source *free_next;
} source_t;

typedef struct {
    source_t **a;
    size_t n, cap;
} heap_t;

static bool src_less(const source_t *x, const source_t *y)
{
    return x->ts < y->ts || (x->ts == y->ts && x->seq < y->seq);
}

static void heap_push(heap_t *h, source_t *s)
{
    if (h->n == h->cap) {
        h->cap = h->cap ? h->cap * 2 : 1024;
        h->a = xrealloc(h->a, h->cap * sizeof *h->a);
    }
    size_t i = h->n++;
    while (i && src_less(s, h->a[(i - 1) / 2])) {
        h->a[i] = h->a[(i - 1) / 2];
        i = (i - 1) / 2;
    }
    h->a[i] = s;
}

static source_t *heap_pop(heap_t *h)
{
    source_t *top = h->a[0], *last = h->a[--h->n];
    size_t i = 0;
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        const source_t *best = last;
        if (l < h->n && src_less(h->a[l], best)) {
            m = l;
            best = h->a[l];
        }
        if (l + 1 < h->n && src_less(h->a[l + 1], best))
            m = l + 1;
        if (m == i)
            break;
        h->a[i] = h->a[m];
        i = m;
    }
    if (h->n)
        h->a[i] = last;
    return top;
}

/* ----------------------------------------------------------------- main */

static FILE *out;

static void write_pkt(uint64_t ts, const uint8_t *d, uint32_t caplen, uint32_t origlen)
{
    uint8_t h[16];
    uint64_t abs = BASE_EPOCH * NS + ts;
    uint32_t sec = (uint32_t)(abs / NS), nsec = (uint32_t)(abs % NS);
    /* little-endian record header */
    uint32_t v[4] = {sec, nsec, caplen, origlen};
    for (int i = 0; i < 4; i++)
        for (int b = 0; b < 4; b++)
            h[i * 4 + b] = (uint8_t)(v[i] >> (8 * b));
    if (fwrite(h, 16, 1, out) != 1 || fwrite(d, caplen, 1, out) != 1)
        die("write failed", strerror(errno));
}

static void usage(FILE *f)
{
    fputs("Usage: fleetgen [OPTIONS] -o OUT.pcap [TEMPLATE[@MAC][=WEIGHT]...]\n"
          "\n"
          "  -n, --clients N        PXE clients (default 1000; needs templates)\n"
          "  -s, --seed S           seed (default 1)\n"
          "  -w, --window SECONDS   clients (and sessions) start over this window\n"
          "                         (default: max(60, clients/20), or max(60, background/2000))\n"
          "  -b, --background N     about N packets of ordinary traffic (DNS, HTTP, ARP)\n"
          "  -p, --pxe-share F      add ordinary traffic so that about F of all packets are PXE\n"
          "  -o, --output FILE      pcap to write ('-': stdout)\n"
          "  -h, --help\n"
          "\n"
          "TEMPLATE: a capture of one client's boot (pcap or pcapng, Ethernet); the client is\n"
          "the sender of the first DHCP request unless @MAC names it; WEIGHT (default 1) is the\n"
          "template's share of the clients. The summary goes to stderr.\n",
          f);
}

int main(int argc, char **argv)
{
    uint64_t nclients = 1000, seed = 1, bg_target = 0;
    double window = -1, pxe_share = 0;
    const char *outpath = NULL;
    bool clients_given = false;
    static const struct option opts[] = {
        {"clients", required_argument, NULL, 'n'},   {"seed", required_argument, NULL, 's'},
        {"window", required_argument, NULL, 'w'},    {"background", required_argument, NULL, 'b'},
        {"pxe-share", required_argument, NULL, 'p'}, {"output", required_argument, NULL, 'o'},
        {"help", no_argument, NULL, 'h'},            {NULL, 0, NULL, 0},
    };
    int ch;
    while ((ch = getopt_long(argc, argv, "n:s:w:b:p:o:h", opts, NULL)) != -1) {
        char *end = NULL;
        switch (ch) {
        case 'n':
            nclients = strtoull(optarg, &end, 10);
            clients_given = true;
            break;
        case 's':
            seed = strtoull(optarg, &end, 10);
            break;
        case 'w':
            window = strtod(optarg, &end);
            break;
        case 'b':
            bg_target = strtoull(optarg, &end, 10);
            break;
        case 'p':
            pxe_share = strtod(optarg, &end);
            if (!(pxe_share > 0 && pxe_share <= 1))
                die("--pxe-share wants 0 < F <= 1", optarg);
            break;
        case 'o':
            outpath = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        default:
            usage(stderr);
            return 2;
        }
        if (end && *end)
            die("bad number", optarg);
    }
    if (!outpath) {
        usage(stderr);
        return 2;
    }
    size_t ntpl = (size_t)(argc - optind);
    if (ntpl == 0 && !clients_given)
        nclients = 0;
    if (nclients > 0 && ntpl == 0)
        die("clients need templates", NULL);
    if (nclients > (1u << 28))
        die("too many clients", NULL);
    template_t *tpl = xmalloc((ntpl ? ntpl : 1) * sizeof *tpl);
    double wsum = 0, exp_pkts = 0;
    for (size_t i = 0; i < ntpl; i++) {
        template_load(&tpl[i], argv[optind + (int)i]);
        wsum += tpl[i].weight;
        exp_pkts += tpl[i].weight * (double)tpl[i].npkts;
    }
    if (ntpl && !(wsum > 0))
        die("template weights sum to 0", NULL);
    exp_pkts = ntpl ? exp_pkts / wsum * (double)nclients : 0;
    if (pxe_share > 0 && pxe_share < 1)
        bg_target = (uint64_t)(exp_pkts * (1 - pxe_share) / pxe_share);
    if (window < 0)
        window = nclients ? fmax(60, (double)nclients / 20) : fmax(60, (double)bg_target / 2000);
    if (!(window > 0))
        window = 1;

    rng_t rp = {seed * 0x2545f4914f6cdd1dULL ^ 0x5058450000000001ULL}; /* PXE clients */
    rng_t rb = {seed * 0x2545f4914f6cdd1dULL ^ 0x4247000000000002ULL}; /* background */
    for (size_t i = 0; i < sizeof payload_block; i += 8) {
        uint64_t v = rng_next(&rb);
        memcpy(payload_block + i, &v, 8);
    }
    uint32_t xid_key = (uint32_t)rng_next(&rp);

    /* average packets of a background session, measured on a throw-away stream */
    double bg_mean_pkts = 1;
    if (bg_target) {
        rng_t rt = {seed ^ 0x7e57};
        session_t tmp = {0};
        uint64_t tot = 0;
        for (int i = 0; i < 20000; i++) {
            gen_session(&tmp, &rt, 0);
            tot += tmp.n;
        }
        free(tmp.pkts);
        free(tmp.buf);
        bg_mean_pkts = (double)tot / 20000;
    }
    double pxe_gap = nclients ? window / (double)nclients : 0;
    double bg_gap = bg_target ? window / ((double)bg_target / bg_mean_pkts) : 0;

    if (strcmp(outpath, "-") == 0)
        out = stdout;
    else if (!(out = fopen(outpath, "wb")))
        die(strerror(errno), outpath);
    static char obuf[1 << 20];
    setvbuf(out, obuf, _IOFBF, sizeof obuf);
    /* classic pcap, little endian, nanosecond timestamps, version 2.4, Ethernet */
    static const uint8_t gh[24] = {0x4d, 0x3c, 0xb2, 0xa1, 2, 0, 4, 0, 0, 0, 0, 0,
                                   0,    0,    0,    0,    0, 0, 4, 0, 1, 0, 0, 0};
    if (fwrite(gh, 24, 1, out) != 1)
        die("write failed", strerror(errno));

    heap_t heap = {0};
    source_t *freelist = NULL;
    uint64_t seqno = 0, admitted = 0, next_pxe = 0, next_bg = 0, bg_pkts = 0, pxe_pkts = 0, sessions = 0;
    uint32_t next_ip = 0x0a000000U; /* 10.0.0.0/8 */
    bool more_pxe = nclients > 0, more_bg = bg_target > 0;
    if (more_pxe)
        next_pxe = rng_exp_ns(&rp, pxe_gap);
    if (more_bg)
        next_bg = rng_exp_ns(&rb, bg_gap);
    static uint8_t frame[MAX_FRAME];
    uint64_t max_active = 0;

    for (;;) {
        /* admit every source that starts before the earliest pending packet */
        for (;;) {
            bool take_pxe = more_pxe && (!more_bg || next_pxe <= next_bg);
            bool take_bg = !take_pxe && more_bg;
            if (!take_pxe && !take_bg)
                break;
            uint64_t t = take_pxe ? next_pxe : next_bg;
            if (heap.n && t > heap.a[0]->ts)
                break;
            source_t *s = freelist;
            if (s)
                freelist = s->free_next;
            else
                s = calloc(1, sizeof *s);
            if (!s)
                die("out of memory", NULL);
            s->seq = seqno++;
            s->next = 0;
            s->start = t;
            if (take_pxe) {
                s->bg = false;
                double u = rng_unit(&rp) * wsum, acc = 0;
                size_t k = 0;
                for (k = 0; k + 1 < ntpl; k++) {
                    acc += tpl[k].weight;
                    if (u <= acc)
                        break;
                }
                client_t *c = &s->c;
                c->t = &tpl[k];
                c->index = (uint32_t)admitted;
                uint32_t id = (uint32_t)admitted + 1;
                uint8_t m[6] = {0x52, 0x55, (uint8_t)(id >> 24), (uint8_t)(id >> 16), (uint8_t)(id >> 8), (uint8_t)id};
                memcpy(c->mac, m, 6);
                /* addresses ending in .0 or .255 are skipped */
                for (;;) {
                    bool ok = true;
                    for (int j = 0; j <= c->t->nips - 1; j++) {
                        uint8_t lo = (uint8_t)(next_ip + (uint32_t)j);
                        if (lo == 0 || lo == 255)
                            ok = false;
                    }
                    if (ok)
                        break;
                    next_ip++;
                }
                c->ip0 = next_ip;
                next_ip += (uint32_t)c->t->nips;
                c->xid_key = xid_key;
                c->port_off = rng_below(&rp, 48127);
                tpl[k].clients++;
                s->ts = t + c->t->pkts[0].ts;
                admitted++;
                if (admitted < nclients)
                    next_pxe += rng_exp_ns(&rp, pxe_gap);
                else
                    more_pxe = false;
            } else {
                s->bg = true;
                gen_session(&s->s, &rb, t);
                sessions++;
                bg_pkts += s->s.n;
                s->ts = s->s.pkts[0].ts;
                if (bg_pkts < bg_target)
                    next_bg += rng_exp_ns(&rb, bg_gap);
                else
                    more_bg = false;
            }
            heap_push(&heap, s);
            if (heap.n > max_active)
                max_active = heap.n;
        }
        if (!heap.n)
            break;
        source_t *s = heap_pop(&heap);
        bool done;
        if (s->bg) {
            const bpkt_t *p = &s->s.pkts[s->next++];
            write_pkt(p->ts, s->s.buf + p->off, p->len, p->len);
            done = s->next == s->s.n;
            if (!done)
                s->ts = s->s.pkts[s->next].ts;
        } else {
            template_t *t = s->c.t;
            uint32_t origlen;
            size_t cl = rewrite_pxe(&s->c, &t->pkts[s->next], frame, &origlen);
            write_pkt(s->ts, frame, (uint32_t)cl, origlen);
            t->packets++;
            pxe_pkts++;
            s->next++;
            done = s->next == t->npkts;
            if (!done)
                s->ts = s->start + t->pkts[s->next].ts;
        }
        if (done) {
            s->free_next = freelist;
            freelist = s;
        } else {
            heap_push(&heap, s);
        }
    }
    if (fflush(out) != 0 || (out != stdout && fclose(out) != 0))
        die("write failed", strerror(errno));

    fprintf(stderr, "clients=%" PRIu64 "\npackets=%" PRIu64 "\npxe_packets=%" PRIu64 "\nbackground_packets=%" PRIu64
                    "\nbackground_sessions=%" PRIu64 "\nwindow=%.1f\nmax_active=%" PRIu64 "\nseed=%" PRIu64 "\n",
            admitted, pxe_pkts + bg_pkts, pxe_pkts, bg_pkts, sessions, window, max_active, seed);
    for (size_t i = 0; i < ntpl; i++)
        fprintf(stderr, "template\t%s\t%" PRIu64 "\t%" PRIu64 "\n", tpl[i].name, tpl[i].clients, tpl[i].packets);
    return 0;
}
