/*
 * net_addr.h - socket addresses and error codes as text: what the events
 * of a trace recorded (evtrace.c names each event's peer with it) and
 * what the --net report prints (analysis/net/).
 *
 * Addresses in a trace are untrusted bytes: sw_sockaddr_format() checks
 * the family and the length before reading anything and never reads past
 * len.
 */
#ifndef SW_COLLECTOR_NET_ADDR_H
#define SW_COLLECTOR_NET_ADDR_H

#include <stdbool.h>
#include <stddef.h>

/* Room for any text sw_sockaddr_format() writes (an abstract unix name
 * of 108 bytes, each escaped as \xNN, and then some). */
#define SW_SOCKADDR_TEXT 512

/* Write the raw socket address sa (len bytes, as the shim recorded it)
 * as text into out (cap > 0 bytes, always NUL-terminated, cut if short):
 * "127.0.0.1:8080", "[::1]:53", "[fe80::1%2]:22", "unix:/run/x.sock",
 * "unix:@abstract", "unix:(unnamed)", "netlink:0", "unspec",
 * "family 17" for families it does not decode. Bytes of unix names that
 * are not printable come out as \xNN. Returns 0, or -EINVAL when the
 * bytes are too short for their family (out then says "invalid ...").
 * Pure: safe on any input. */
int sw_sockaddr_format(const void *sa, size_t len, char *out, size_t cap);

/* The name of getaddrinfo's error code (EAI_NONAME, ...), or NULL for a
 * code it does not know. */
const char *sw_eai_name(int code);

/* The name of an error code: an errno's ("ECONNREFUSED"), or with eai
 * getaddrinfo's ("EAI_NONAME"); a code with no name is written as a
 * number into buf (cap bytes). */
const char *sw__net_err_name(int code, bool eai, char *buf, size_t cap);

#endif
