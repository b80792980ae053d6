/* pxe_files.c - boot file name rules.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "pxe_files.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <stddef.h>
#include <string.h>
#include <strings.h>

const char *pxe_file_base(const char *name)
{
    const char *b = name;
    for (const char *p = name; *p; p++)
        if (*p == '/' || *p == '\\')
            b = p + 1;
    return b;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t ls = strlen(s), lx = strlen(suffix);
    return ls >= lx && strcasecmp(s + ls - lx, suffix) == 0;
}

int pxe_file_is_efi(const char *name)
{
    if (!name || !*name)
        return -1;
    const char *b = pxe_file_base(name);
    if (ends_with(b, ".efi"))
        return 1;
    if (ends_with(b, ".0") || ends_with(b, ".kpxe") || ends_with(b, ".kkpxe") ||
        ends_with(b, ".kkkpxe") || ends_with(b, ".pxe") || ends_with(b, ".com") ||
        ends_with(b, ".n12") || ends_with(b, ".lkrn"))
        return 0;
    return -1;
}

int pxe_file_is_ipxe(const char *name)
{
    if (!name)
        return 0;
    const char *b = pxe_file_base(name);
    return ends_with(b, ".kpxe") || ends_with(b, ".kkpxe") || ends_with(b, ".kkkpxe") ||
           strcasecmp(b, "ipxe.efi") == 0 || strcasecmp(b, "snponly.efi") == 0 ||
           strcasecmp(b, "snp.efi") == 0 || strcasecmp(b, "ipxe.pxe") == 0 ||
           strcasecmp(b, "ipxe.lkrn") == 0 || strncasecmp(b, "ipxe-", 5) == 0;
}

static int all_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i]))
            return 0;
    return 1;
}

/* 01-aa-bb-cc-dd-ee-ff (pxelinux) or 01-aa:bb:... (GRUB) */
static int is_mac_name(const char *b)
{
    if (strlen(b) != 20 || strncmp(b, "01-", 3) != 0)
        return 0;
    for (int i = 0; i < 6; i++) {
        const char *p = b + 3 + 3 * i;
        if (!all_hex(p, 2) || (i < 5 && p[2] != '-' && p[2] != ':'))
            return 0;
    }
    return 1;
}

/* 8-4-4-4-12 hex digits */
static int is_uuid_name(const char *b)
{
    static const int groups[] = {8, 4, 4, 4, 12};
    const char *p = b;
    for (int i = 0; i < 5; i++) {
        if (!all_hex(p, (size_t)groups[i]))
            return 0;
        p += groups[i];
        if (i < 4 && *p++ != '-')
            return 0;
    }
    return *p == '\0';
}

int pxe_file_is_probe(const char *name)
{
    if (!name)
        return 0;
    const char *b = pxe_file_base(name);
    size_t n = strlen(b);
    if (strcasecmp(b, "autoexec.ipxe") == 0 || strcasecmp(b, "bootsig.bin") == 0)
        return 1;
    if (strncmp(b, "grub.cfg-", 9) == 0)
        return is_mac_name(b + 9) || is_uuid_name(b + 9) ||
               (strlen(b + 9) >= 1 && strlen(b + 9) <= 8 && all_hex(b + 9, strlen(b + 9)));
    if (strstr(name, "pxelinux.cfg/") || strstr(name, "pxelinux.cfg\\"))
        return is_mac_name(b) || is_uuid_name(b) || (n >= 1 && n <= 8 && all_hex(b, n));
    return 0;
}

int pxe_file_is_wds_nbp(const char *name)
{
    const char *b = name ? pxe_file_base(name) : "";
    return strcasecmp(b, "wdsnbp.com") == 0 || strcasecmp(b, "wdsmgfw.efi") == 0;
}

const char *pxe_file_next_step(const char *name)
{
    if (!name)
        return NULL;
    const char *b = pxe_file_base(name);
    if (pxe_file_is_ipxe(name))
        return "its own DHCP";
    if (pxe_file_is_wds_nbp(name))
        return "the WDS server (port 4011)";
    if (strcasecmp(b, "pxelinux.0") == 0 || strcasecmp(b, "lpxelinux.0") == 0 ||
        strcasecmp(b, "gpxelinux.0") == 0 || strncasecmp(b, "syslinux", 8) == 0)
        return "ldlinux.*";
    if (strncasecmp(b, "ldlinux.", 8) == 0)
        return "its configuration (pxelinux.cfg/...)";
    if (strncasecmp(b, "shim", 4) == 0 && ends_with(b, ".efi"))
        return "grub (grubx64.efi)";
    if ((strncasecmp(b, "grub", 4) == 0 && (ends_with(b, ".efi") || ends_with(b, ".pxe") ||
                                             ends_with(b, ".0"))) ||
        strcasecmp(b, "core.0") == 0 || strcasecmp(b, "core.efi") == 0)
        return "grub.cfg";
    return NULL;
}

static const char *strip(const char *s)
{
    while (*s == '/' || *s == '\\' || (s[0] == '.' && (s[1] == '/' || s[1] == '\\')))
        s += (*s == '.') ? 2 : 1;
    return s;
}

/* A name, or a URL's path. */
static const char *path_of(const char *s)
{
    pxe_url_t u = pxe_url_split(s);
    return u.scheme == PXE_URL_NONE ? s : u.path;
}

int pxe_file_same(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    return strcmp(strip(path_of(a)), strip(path_of(b))) == 0;
}

static pxe_url_scheme_t scheme_of(const char *s, size_t n)
{
    if (n == 4 && strncasecmp(s, "tftp", 4) == 0)
        return PXE_URL_TFTP;
    if (n == 4 && strncasecmp(s, "http", 4) == 0)
        return PXE_URL_HTTP;
    if (n == 5 && strncasecmp(s, "https", 5) == 0)
        return PXE_URL_HTTPS;
    return PXE_URL_OTHER;
}

pxe_url_t pxe_url_split(const char *s)
{
    pxe_url_t u = {PXE_URL_NONE, "", 0, ""};
    const char *sep = s ? strstr(s, "://") : NULL;
    if (!sep || sep == s || strcspn(s, "/") < (size_t)(sep - s))
        return u;
    for (const char *c = s; c < sep; c++)
        if (!isalnum((unsigned char)*c) && *c != '+' && *c != '-' && *c != '.')
            return u;
    u.scheme = scheme_of(s, (size_t)(sep - s));
    const char *h = sep + 3;
    const char *path = h + strcspn(h, "/");
    u.path = path;
    if (*h == '[') {
        const char *close = memchr(h, ']', (size_t)(path - h));
        u.host = h + 1;
        u.host_len = close ? (unsigned)(close - h - 1) : 0;
    } else {
        u.host = h;
        u.host_len = (unsigned)strcspn(h, ":/");
    }
    return u;
}

unsigned pxe_url_host_addr(const pxe_url_t *u, uint8_t out[16])
{
    char host[64];
    if (u->scheme == PXE_URL_NONE || u->host_len == 0 || u->host_len >= sizeof host)
        return 0;
    memcpy(host, u->host, u->host_len);
    host[u->host_len] = '\0';
    if (inet_pton(AF_INET, host, out) == 1)
        return 4;
    if (inet_pton(AF_INET6, host, out) == 1)
        return 16;
    return 0;
}
