/*
 * collector/analysis/net/: the --net analysis; net.h is its public header,
 * net_int.h is private to the folder.
 * May use: trace/, model/, util/ (collector/layers.txt).
 */
/*
 * net.h - socket addresses as text, and the --net report: the peers a
 * program talked to (connect latency and errors, bytes each way, time
 * waiting to receive) and its DNS lookups (getaddrinfo: node, latency,
 * failures by EAI name).
 * (The addresses as text are util/net_addr.h's, included here.)
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
#include "net_addr.h"

/* Print the --net report of the events in t; 0 or a negative errno. */
int sw_net_print(FILE *f, const struct sw_evtrace *t);

/* The same as JSON (for the "net" key), or NULL if out of memory. */
json_object *sw_net_json(const struct sw_evtrace *t);

#endif
