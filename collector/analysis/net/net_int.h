/*
 * net_int.h - what the --net files share: the events added up per peer
 * and per DNS lookup (net.c), walked by the text (net_text.c) and JSON
 * (net_json.c) printers.
 */
#ifndef SW_COLLECTOR_NET_INT_H
#define SW_COLLECTOR_NET_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evtrace.h"
#include "net_addr.h"

/* A count per error code. */
struct sw__net_errcount {
	int code;
	uint64_t n;
};

/* Error codes in the order first seen, each with its count. */
struct sw__net_errs {
	struct sw__net_errcount *v;
	size_t n;
};

/* One peer (address and kind) and what the calls on it did. */
struct sw__net_peer {
	const char *name;    /* interned: equal names, equal pointers */
	uint8_t kind;        /* enum sw_peer_kind */
	uint64_t connects, connect_ns, connect_max_ns;
	struct sw__net_errs connect_errs;
	uint64_t accepts;
	uint64_t sends, sent, msgs_sent;
	uint64_t recvs, received, msgs_received, recv_ns;
	struct sw__net_errs errs;    /* of the calls other than connect */
};

/* The getaddrinfo calls for one node. */
struct sw__net_lookup {
	const char *node;    /* NULL: getaddrinfo(NULL, service) */
	uint64_t calls, ns, max_ns;
	struct sw__net_errs fails;   /* EAI codes */
};

/* The report: peers by time spent connecting, lookups by time. */
struct sw__net {
	struct sw__net_peer *peers;
	size_t npeers;
	struct sw__net_lookup *dns;
	size_t ndns;
};

/* Add up t's events into n, both lists sorted: 0, or -ENOMEM with n
 * already freed. */
int sw__net_build(const struct sw_evtrace *t, struct sw__net *n);

/* Free what sw__net_build allocated in n (n is zeroed). */
void sw__net_free(struct sw__net *n);

/* The sum of the counts of e. */
uint64_t sw__net_errs_total(const struct sw__net_errs *e);

/* "remote", "accepted", "local" or "unknown" for enum sw_peer_kind. */
const char *sw__net_kind_name(uint8_t kind);

#endif
