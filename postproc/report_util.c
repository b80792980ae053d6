/* report_util.c - MAC, number and string helpers of pxe-report.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#include "report_util.h"

#include <arpa/inet.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include <glib.h>

bool report_parse_mac(const char *s, uint8_t mac[6])
{
    if (!s || strlen(s) != 17)
        return false;
    char sep = s[2];
    if (sep != ':' && sep != '-')
        return false;
    for (int i = 0; i < 6; i++) {
        const char *p = s + 3 * i;
        int hi = g_ascii_xdigit_value(p[0]);
        int lo = g_ascii_xdigit_value(p[1]);
        if (hi < 0 || lo < 0)
            return false;
        /* one separator throughout: "52:54-00..." is a typo, not a MAC */
        if (i < 5 && p[2] != sep)
            return false;
        mac[i] = (uint8_t)(hi << 4 | lo);
    }
    return true;
}

const char *report_format_mac(const uint8_t mac[6], char buf[18])
{
    snprintf(buf, 18, "%02x:%02x:%02x:%02x:%02x:%02x", mac[0], mac[1], mac[2], mac[3], mac[4],
             mac[5]);
    return buf;
}

bool report_parse_uint(const char *s, uint64_t max, uint64_t *out)
{
    if (!s || !*s)
        return false;
    uint64_t v = 0;
    if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
        s += 2;
        if (!*s)
            return false;
        for (const char *p = s; *p; p++) {
            int d = g_ascii_xdigit_value(*p);
            if (d < 0 || v > (UINT64_MAX - (uint64_t)d) / 16)
                return false;
            v = v * 16 + (uint64_t)d;
        }
    } else {
        for (const char *p = s; *p; p++) {
            unsigned d = (unsigned)(*p - '0');
            if (d > 9 || v > (UINT64_MAX - d) / 10)
                return false;
            v = v * 10 + d;
        }
    }
    if (v > max)
        return false;
    *out = v;
    return true;
}

bool report_parse_seconds(const char *s, double *out)
{
    if (!s || !*s)
        return false;
    /* [-]digits[.digits][" seconds"]: strtod alone would take "inf", "1e9",
     * hex floats and leading blanks.  A frame may be dated before 1970. */
    static const double pow10[] = {1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9,
                                   1e10, 1e11, 1e12, 1e13, 1e14, 1e15};
    const char *p = s;
    bool neg = *p == '-';
    if (neg)
        p++;
    if (!g_ascii_isdigit(*p))
        return false;
    uint64_t ip = 0, frac = 0;
    unsigned int_digits = 0, frac_digits = 0;
    for (; g_ascii_isdigit(*p); p++, int_digits++)
        ip = ip * 10 + (uint64_t)(*p - '0');
    if (*p == '.') {
        for (p++; g_ascii_isdigit(*p); p++, frac_digits++)
            if (frac_digits < 15)
                frac = frac * 10 + (uint64_t)(*p - '0');
    }
    if (*p && strcmp(p, " seconds") != 0)
        return false;
    double v;
    if (int_digits > 15)
        v = g_ascii_strtod(neg ? s + 1 : s, NULL);   /* rare: let strtod round it */
    else
        v = (double)ip + (double)frac / pow10[frac_digits < 15 ? frac_digits : 15];
    *out = neg ? -v : v;
    return isfinite(*out);
}

bool report_parse_bool(const char *s, bool *out)
{
    if (!s)
        return false;
    if (strcmp(s, "1") == 0 || g_ascii_strcasecmp(s, "true") == 0) {
        *out = true;
        return true;
    }
    if (strcmp(s, "0") == 0 || g_ascii_strcasecmp(s, "false") == 0) {
        *out = false;
        return true;
    }
    return false;
}

bool report_parse_ipv4(const char *s)
{
    struct in_addr a;
    return s && inet_pton(AF_INET, s, &a) == 1;
}

bool report_parse_ipv6(const char *s)
{
    struct in6_addr a;
    return s && inet_pton(AF_INET6, s, &a) == 1;
}

char *report_clean_string(const char *s)
{
    if (!s)
        return NULL;
    char *valid = g_utf8_make_valid(s, -1);
    GString *out = g_string_sized_new(strlen(valid));
    /* C1 controls (U+0080..U+009F) too: some terminals take U+009B as CSI */
    for (const char *p = valid; *p; p = g_utf8_next_char(p)) {
        gunichar c = g_utf8_get_char(p);
        if (g_unichar_iscntrl(c))
            g_string_append_c(out, '?');
        else
            g_string_append_unichar(out, c);
    }
    g_free(valid);
    return g_string_free(out, FALSE);
}

double report_round_us(double s)
{
    return round(s * 1e6) / 1e6;
}
