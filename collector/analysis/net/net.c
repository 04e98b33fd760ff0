/*
 * net.c - the --net report's numbers (see net.h): the events added up
 * per peer and per DNS lookup; net_text.c and net_json.c print them.
 *
 * The report walks every event once. An event belongs to a peer when
 * evfiles.c named one (its own address, or its socket's); events on a
 * socket with no address yet go to one "(no address)" line per kind. Of
 * each peer it keeps: connects (count, time, errors by name), accepts,
 * bytes sent and received (the results of the calls that return bytes;
 * sendmmsg and recvmmsg return messages, counted apart), the time spent
 * in receiving calls, and the errors of every other call. getaddrinfo
 * events are the DNS lookups: their path is the node name, their error
 * an EAI code (negative, kept in the unsigned err field).
 */
#include "net.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "net_int.h"
#include "syswatch/calls.h"

/* How a call moves data: the direction, and whether its result counts
 * bytes or messages. read and write count only on sockets. */
enum dir { D_NONE, D_SEND, D_RECV };
enum unit { U_BYTES, U_MSGS };

static const struct {
	uint32_t fn;
	enum dir dir;
	enum unit unit;
} io_calls[] = {
	{SW_FN_send, D_SEND, U_BYTES},         {SW_FN_sendto, D_SEND, U_BYTES},
	{SW_FN_sendmsg, D_SEND, U_BYTES},      {SW_FN_write, D_SEND, U_BYTES},
	{SW_FN_writev, D_SEND, U_BYTES},       {SW_FN_sendmmsg, D_SEND, U_MSGS},
	{SW_FN_recv, D_RECV, U_BYTES},         {SW_FN___recv_chk, D_RECV, U_BYTES},
	{SW_FN_recvfrom, D_RECV, U_BYTES},     {SW_FN___recvfrom_chk, D_RECV, U_BYTES},
	{SW_FN_recvmsg, D_RECV, U_BYTES},      {SW_FN_read, D_RECV, U_BYTES},
	{SW_FN___read_chk, D_RECV, U_BYTES},   {SW_FN_readv, D_RECV, U_BYTES},
	{SW_FN_recvmmsg, D_RECV, U_MSGS},
};

/* Append a zeroed element of sz bytes to the array *v of *n: the new
 * element, or NULL if out of memory (the array unchanged). */
static void *append_zeroed(void **v, size_t *n, size_t sz)
{
	char *p = realloc(*v, (*n + 1) * sz);
	if (!p)
		return NULL;
	*v = p;
	p += (*n)++ * sz;
	memset(p, 0, sz);
	return p;
}

/* Count one more of code in e: 0 or -ENOMEM. */
static int errs_add(struct sw__net_errs *e, int code)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].code == code) {
			e->v[i].n++;
			return 0;
		}
	struct sw__net_errcount *c = append_zeroed((void **)&e->v, &e->n, sizeof(*c));
	if (!c)
		return -ENOMEM;
	*c = (struct sw__net_errcount){code, 1};
	return 0;
}

/* See net_int.h. */
uint64_t sw__net_errs_total(const struct sw__net_errs *e)
{
	uint64_t n = 0;
	for (size_t i = 0; i < e->n; i++)
		n += e->v[i].n;
	return n;
}

/* See net_int.h. */
const char *sw__net_kind_name(uint8_t kind)
{
	switch (kind) {
	case SW_PEER_REMOTE:
		return "remote";
	case SW_PEER_ACCEPTED:
		return "accepted";
	case SW_PEER_LOCAL:
		return "local";
	}
	return "unknown";
}

/* The peer (name, kind) of n, added zeroed if new; NULL if out of
 * memory. The latest peers are the likeliest, so the search runs back. */
static struct sw__net_peer *peer_get(struct sw__net *n, const char *name, uint8_t kind)
{
	for (size_t i = n->npeers; i-- > 0;)
		if (n->peers[i].name == name && n->peers[i].kind == kind)
			return &n->peers[i];
	struct sw__net_peer *p = append_zeroed((void **)&n->peers, &n->npeers, sizeof(*p));
	if (p) {
		p->name = name;
		p->kind = kind;
	}
	return p;
}

/* The lookup of node (interned) in n, added zeroed if new; NULL if out
 * of memory. */
static struct sw__net_lookup *lookup_get(struct sw__net *n, const char *node)
{
	for (size_t i = 0; i < n->ndns; i++)
		if (n->dns[i].node == node)
			return &n->dns[i];
	struct sw__net_lookup *l = append_zeroed((void **)&n->dns, &n->ndns, sizeof(*l));
	if (l)
		l->node = node;
	return l;
}

/* Count getaddrinfo event e for its node: 0 or -ENOMEM. */
static int add_lookup(struct sw__net *n, const struct sw_ev *e)
{
	struct sw__net_lookup *l = lookup_get(n, e->path);
	if (!l)
		return -ENOMEM;
	uint64_t ns = e->end - e->start;
	l->calls++;
	l->ns += ns;
	if (ns > l->max_ns)
		l->max_ns = ns;
	return (e->flags & SW_EVF_FAILED) ? errs_add(&l->fails, (int32_t)e->err) : 0;
}

/* Count event e (on a socket, or naming a peer) for its peer: 0 or
 * -ENOMEM. */
static int add_peer_event(struct sw__net *n, const struct sw_ev *e)
{
	struct sw__net_peer *p = peer_get(n, e->peer, e->peer_kind);
	if (!p)
		return -ENOMEM;
	bool failed = (e->flags & SW_EVF_FAILED) != 0;
	uint64_t ns = e->end - e->start;
	if (e->fn == SW_FN_connect) {
		p->connects++;
		p->connect_ns += ns;
		if (ns > p->connect_max_ns)
			p->connect_max_ns = ns;
		return failed ? errs_add(&p->connect_errs, (int)e->err) : 0;
	}
	if (e->fn == SW_FN_accept || e->fn == SW_FN_accept4)
		p->accepts += !failed;
	for (size_t i = 0; i < sizeof(io_calls) / sizeof(io_calls[0]); i++) {
		if (io_calls[i].fn != e->fn)
			continue;
		uint64_t got = !failed && e->result > 0 ? (uint64_t)e->result : 0;
		bool msgs = io_calls[i].unit == U_MSGS;
		if (io_calls[i].dir == D_SEND) {
			p->sends++;
			*(msgs ? &p->msgs_sent : &p->sent) += got;
		} else {
			p->recvs++;
			p->recv_ns += ns;
			*(msgs ? &p->msgs_received : &p->received) += got;
		}
	}
	return failed ? errs_add(&p->errs, (int)e->err) : 0;
}

/* Peers by time spent connecting, then by bytes, then by name. */
static int by_connect(const void *a, const void *b)
{
	const struct sw__net_peer *x = a, *y = b;
	if (x->connect_ns != y->connect_ns)
		return x->connect_ns > y->connect_ns ? -1 : 1;
	uint64_t bx = x->sent + x->received, by = y->sent + y->received;
	if (bx != by)
		return bx > by ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

/* Lookups by time, then by node. */
static int by_lookup_time(const void *a, const void *b)
{
	const struct sw__net_lookup *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	return strcmp(x->node ? x->node : "", y->node ? y->node : "");
}

/* See net_int.h. */
void sw__net_free(struct sw__net *n)
{
	for (size_t i = 0; i < n->npeers; i++) {
		free(n->peers[i].connect_errs.v);
		free(n->peers[i].errs.v);
	}
	for (size_t i = 0; i < n->ndns; i++)
		free(n->dns[i].fails.v);
	free(n->peers);
	free(n->dns);
	memset(n, 0, sizeof(*n));
}

/* See net_int.h. */
int sw__net_build(const struct sw_evtrace *t, struct sw__net *n)
{
	memset(n, 0, sizeof(*n));
	int rc = 0;
	for (size_t i = 0; i < t->nthreads && rc == 0; i++) {
		const struct sw_evthread *th = &t->threads[i];
		for (size_t k = 0; k < th->nev && rc == 0; k++) {
			const struct sw_ev *e = &th->ev[k];
			if (e->fn == SW_FN_getaddrinfo)
				rc = add_lookup(n, e);
			else if (e->peer || (e->flags & SW_EVF_SOCK))
				rc = add_peer_event(n, e);
		}
	}
	if (rc < 0) {
		sw__net_free(n);
		return rc;
	}
	if (n->npeers)
		qsort(n->peers, n->npeers, sizeof(*n->peers), by_connect);
	if (n->ndns)
		qsort(n->dns, n->ndns, sizeof(*n->dns), by_lookup_time);
	return 0;
}
