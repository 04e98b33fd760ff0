/*
 * net.h - socket addresses as text, and the --net report: the peers a
 * program talked to (connect latency and errors, bytes each way, time
 * waiting to receive) and its DNS lookups (getaddrinfo: node, latency,
 * failures by EAI name).
 *
 * Peers come from the events (evtrace.h): each event's `peer` is the
 * address its connect/bind/sendto recorded, or the one behind its socket
 * descriptor. Addresses in a trace are untrusted bytes:
 * sw_sockaddr_format() checks the family and the length before reading
 * anything and never reads past len.
 */
#ifndef SW_COLLECTOR_NET_H
#define SW_COLLECTOR_NET_H

#include <json-c/json.h>
#include <stddef.h>
#include <stdio.h>

#include "evtrace.h"

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

/* Print the --net report of the events in t; 0 or a negative errno. */
int sw_net_print(FILE *f, const struct sw_evtrace *t);

/* The same as JSON (for the "net" key), or NULL if out of memory. */
json_object *sw_net_json(const struct sw_evtrace *t);

#endif
