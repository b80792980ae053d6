/* report_util.h - small parsers and string helpers pxe-report's modules share:
 * MAC addresses, numbers as tshark prints them, and making foreign strings
 * (file names from packets) safe to print.
 *
 * SPDX-License-Identifier: GPL-2.0-or-later
 */
#ifndef REPORT_UTIL_H
#define REPORT_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "52:54:00:12:34:56", "52-54-00-12-34-56" or upper case: true and mac set. */
bool report_parse_mac(const char *s, uint8_t mac[6]);

/* Lower-case colon form into buf (18 bytes). */
const char *report_format_mac(const uint8_t mac[6], char buf[18]);

/* Decimal (or 0x hex) unsigned integer no larger than max, nothing else. */
bool report_parse_uint(const char *s, uint64_t max, uint64_t *out);

/* Seconds as tshark prints times and durations: "1692631038.503543617",
 * "0.091389418", optionally followed by " seconds" (newer tshark). */
bool report_parse_seconds(const char *s, double *out);

/* tshark booleans: 1/0, True/False (any case). */
bool report_parse_bool(const char *s, bool *out);

/* Dotted-quad IPv4. */
bool report_parse_ipv4(const char *s);

/* IPv6 in any of its text forms ("2001:db8::1", "::ffff:192.0.2.1"). */
bool report_parse_ipv6(const char *s);

/* A copy that is valid UTF-8 and holds no control characters (replaced by
 * '?'), so packet-borne names cannot garble a terminal or a JSON document. */
char *report_clean_string(const char *s);

/* Seconds rounded to microseconds: timings carry no false precision, and the
 * same input always prints the same digits. */
double report_round_us(double s);

#endif
