/*
 * net.c - socket addresses as text, and the --net report (see net.h).
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

#include <arpa/inet.h>
#include <errno.h>
#include <inttypes.h>
#include <netdb.h>
#include <netinet/in.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>

#include "json_util.h"
#include "syswatch/calls.h"

/* --- addresses ------------------------------------------------------------ */

/* Append the bytes p[0..n) to out at *at, printable ASCII as is, the rest
 * as \xNN; stops at cap - 1. */
static void put_escaped(char *out, size_t cap, size_t *at, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n && *at + 1 < cap; i++) {
		int w;
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			w = snprintf(out + *at, cap - *at, "%c", p[i]);
		else
			w = snprintf(out + *at, cap - *at, "\\x%02x", p[i]);
		if (w < 0 || (size_t)w >= cap - *at) {
			out[*at] = 0;
			return;
		}
		*at += (size_t)w;
	}
}

static int fmt_unix(const uint8_t *b, size_t len, char *out, size_t cap)
{
	size_t off = offsetof(struct sockaddr_un, sun_path);
	size_t n = len - off; /* len >= off: checked by the caller */
	if (n > sizeof(((struct sockaddr_un *)0)->sun_path))
		n = sizeof(((struct sockaddr_un *)0)->sun_path);
	const uint8_t *p = b + off;
	size_t at = (size_t)snprintf(out, cap, "unix:");
	if (at >= cap)
		return 0;
	if (n == 0) {
		snprintf(out + at, cap - at, "(unnamed)");
	} else if (p[0] == 0) {
		/* abstract: every byte of the length counts, NULs too */
		put_escaped(out, cap, &at, (const uint8_t *)"@", 1);
		put_escaped(out, cap, &at, p + 1, n - 1);
	} else {
		const uint8_t *z = memchr(p, 0, n);
		put_escaped(out, cap, &at, p, z ? (size_t)(z - p) : n);
	}
	return 0;
}

int sw_sockaddr_format(const void *sa, size_t len, char *out, size_t cap)
{
	const uint8_t *b = sa;
	sa_family_t fam;
	if (!cap)
		return -EINVAL;
	if (!sa || len < sizeof(fam)) {
		snprintf(out, cap, "invalid address (%zu bytes)", len);
		return -EINVAL;
	}
	memcpy(&fam, b, sizeof(fam)); /* no alignment is promised */
	switch (fam) {
	case AF_UNSPEC:
		snprintf(out, cap, "unspec");
		return 0;
	case AF_INET: {
		struct sockaddr_in in;
		char ip[INET_ADDRSTRLEN];
		if (len < sizeof(in))
			break;
		memcpy(&in, b, sizeof(in));
		inet_ntop(AF_INET, &in.sin_addr, ip, sizeof(ip));
		snprintf(out, cap, "%s:%u", ip, (unsigned)ntohs(in.sin_port));
		return 0;
	}
	case AF_INET6: {
		/* the kernel takes the RFC 2133 size, without sin6_scope_id */
		struct sockaddr_in6 in6;
		char ip[INET6_ADDRSTRLEN];
		size_t min = offsetof(struct sockaddr_in6, sin6_scope_id);
		if (len < min)
			break;
		memset(&in6, 0, sizeof(in6));
		memcpy(&in6, b, len < sizeof(in6) ? len : sizeof(in6));
		inet_ntop(AF_INET6, &in6.sin6_addr, ip, sizeof(ip));
		if (in6.sin6_scope_id)
			snprintf(out, cap, "[%s%%%" PRIu32 "]:%u", ip,
				 (uint32_t)in6.sin6_scope_id, (unsigned)ntohs(in6.sin6_port));
		else
			snprintf(out, cap, "[%s]:%u", ip, (unsigned)ntohs(in6.sin6_port));
		return 0;
	}
	case AF_UNIX:
		return fmt_unix(b, len, out, cap);
	case AF_NETLINK: {
		uint32_t pid; /* struct sockaddr_nl: family, pad, pid, groups */
		if (len < 12)
			break;
		memcpy(&pid, b + 4, sizeof(pid));
		snprintf(out, cap, "netlink:%" PRIu32, pid);
		return 0;
	}
	default:
		snprintf(out, cap, "family %u", (unsigned)fam);
		return 0;
	}
	snprintf(out, cap, "invalid address (family %u, %zu bytes)", (unsigned)fam, len);
	return -EINVAL;
}

static const struct {
	int code;
	const char *name;
} eai_names[] = {
	{EAI_BADFLAGS, "EAI_BADFLAGS"}, {EAI_NONAME, "EAI_NONAME"},
	{EAI_AGAIN, "EAI_AGAIN"},       {EAI_FAIL, "EAI_FAIL"},
	{EAI_FAMILY, "EAI_FAMILY"},     {EAI_SOCKTYPE, "EAI_SOCKTYPE"},
	{EAI_SERVICE, "EAI_SERVICE"},   {EAI_MEMORY, "EAI_MEMORY"},
	{EAI_SYSTEM, "EAI_SYSTEM"},     {EAI_OVERFLOW, "EAI_OVERFLOW"},
	{EAI_NODATA, "EAI_NODATA"},     {EAI_ADDRFAMILY, "EAI_ADDRFAMILY"},
	{EAI_INPROGRESS, "EAI_INPROGRESS"}, {EAI_CANCELED, "EAI_CANCELED"},
	{EAI_NOTCANCELED, "EAI_NOTCANCELED"}, {EAI_ALLDONE, "EAI_ALLDONE"},
	{EAI_INTR, "EAI_INTR"},         {EAI_IDN_ENCODE, "EAI_IDN_ENCODE"},
};

const char *sw_eai_name(int code)
{
	for (size_t i = 0; i < sizeof(eai_names) / sizeof(eai_names[0]); i++)
		if (eai_names[i].code == code)
			return eai_names[i].name;
	return NULL;
}

/* --- what the events add up to -------------------------------------------- */

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

/* A count per error code. */
struct errcount {
	int code;
	uint64_t n;
};

struct errs {
	struct errcount *v;
	size_t n;
};

static int errs_add(struct errs *e, int code)
{
	for (size_t i = 0; i < e->n; i++)
		if (e->v[i].code == code) {
			e->v[i].n++;
			return 0;
		}
	struct errcount *v = realloc(e->v, (e->n + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	e->v = v;
	e->v[e->n++] = (struct errcount){code, 1};
	return 0;
}

static uint64_t errs_total(const struct errs *e)
{
	uint64_t n = 0;
	for (size_t i = 0; i < e->n; i++)
		n += e->v[i].n;
	return n;
}

struct peer {
	const char *name;    /* interned: equal names, equal pointers */
	uint8_t kind;        /* enum sw_peer_kind */
	uint64_t connects, connect_ns, connect_max_ns;
	struct errs connect_errs;
	uint64_t accepts;
	uint64_t sends, sent, msgs_sent;
	uint64_t recvs, received, msgs_received, recv_ns;
	struct errs errs;    /* of the calls other than connect */
};

struct lookup {
	const char *node;    /* NULL: getaddrinfo(NULL, service) */
	uint64_t calls, ns, max_ns;
	struct errs fails;   /* EAI codes */
};

struct net {
	struct peer *peers;
	size_t npeers;
	struct lookup *dns;
	size_t ndns;
};

static const char *kind_name(uint8_t kind)
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

static struct peer *peer_get(struct net *n, const char *name, uint8_t kind)
{
	for (size_t i = n->npeers; i-- > 0;)
		if (n->peers[i].name == name && n->peers[i].kind == kind)
			return &n->peers[i];
	struct peer *v = realloc(n->peers, (n->npeers + 1) * sizeof(*v));
	if (!v)
		return NULL;
	n->peers = v;
	memset(&v[n->npeers], 0, sizeof(*v));
	v[n->npeers].name = name;
	v[n->npeers].kind = kind;
	return &v[n->npeers++];
}

static struct lookup *lookup_get(struct net *n, const char *node)
{
	for (size_t i = 0; i < n->ndns; i++)
		if (n->dns[i].node == node)
			return &n->dns[i];
	struct lookup *v = realloc(n->dns, (n->ndns + 1) * sizeof(*v));
	if (!v)
		return NULL;
	n->dns = v;
	memset(&v[n->ndns], 0, sizeof(*v));
	v[n->ndns].node = node;
	return &v[n->ndns++];
}

static int add_lookup(struct net *n, const struct sw_ev *e)
{
	struct lookup *l = lookup_get(n, e->path);
	if (!l)
		return -ENOMEM;
	uint64_t ns = e->end - e->start;
	l->calls++;
	l->ns += ns;
	if (ns > l->max_ns)
		l->max_ns = ns;
	return (e->flags & SW_EVF_FAILED) ? errs_add(&l->fails, (int32_t)e->err) : 0;
}

static int add_peer_event(struct net *n, const struct sw_ev *e)
{
	struct peer *p = peer_get(n, e->peer, e->peer_kind);
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
	const struct peer *x = a, *y = b;
	if (x->connect_ns != y->connect_ns)
		return x->connect_ns > y->connect_ns ? -1 : 1;
	uint64_t bx = x->sent + x->received, by = y->sent + y->received;
	if (bx != by)
		return bx > by ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

static int by_lookup_time(const void *a, const void *b)
{
	const struct lookup *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	return strcmp(x->node ? x->node : "", y->node ? y->node : "");
}

static void net_free(struct net *n)
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

static int net_build(const struct sw_evtrace *t, struct net *n)
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
		net_free(n);
		return rc;
	}
	if (n->npeers)
		qsort(n->peers, n->npeers, sizeof(*n->peers), by_connect);
	if (n->ndns)
		qsort(n->dns, n->ndns, sizeof(*n->dns), by_lookup_time);
	return 0;
}

/* --- text ------------------------------------------------------------------ */

static const char *errno_name(int code, char *buf, size_t cap)
{
	const char *s = strerrorname_np(code);
	if (s)
		return s;
	snprintf(buf, cap, "%d", code);
	return buf;
}

static const char *eai_text(int code, char *buf, size_t cap)
{
	const char *s = sw_eai_name(code);
	if (s)
		return s;
	snprintf(buf, cap, "%d", code);
	return buf;
}

/* " ECONNREFUSED 2, EINPROGRESS 1" after label, or nothing. */
static void print_errs(FILE *f, const char *label, const struct errs *e, bool eai)
{
	if (!e->n)
		return;
	fprintf(f, "%s", label);
	for (size_t i = 0; i < e->n; i++) {
		char buf[16];
		const char *name = eai ? eai_text(e->v[i].code, buf, sizeof(buf))
				       : errno_name(e->v[i].code, buf, sizeof(buf));
		fprintf(f, "%s%s %" PRIu64, i ? ", " : " ", name, e->v[i].n);
	}
}

static const char *peer_text(const struct peer *p)
{
	return p->name ? p->name : "(no address)";
}

int sw_net_print(FILE *f, const struct sw_evtrace *t)
{
	struct net n;
	int rc = net_build(t, &n);
	if (rc < 0)
		return rc;
	fprintf(f, "\nnetwork peers, by time spent connecting:\n");
	if (!n.npeers)
		fprintf(f, "  (no socket calls)\n");
	else
		fprintf(f, "%9s %7s %11s %11s %12s %12s %12s  %-9s %s\n", "connects",
			"errors", "conn avg us", "conn max us", "bytes sent", "bytes recvd",
			"recv wait s", "kind", "peer");
	for (size_t i = 0; i < n.npeers; i++) {
		const struct peer *p = &n.peers[i];
		double avg = p->connects ? (double)p->connect_ns / 1e3 / (double)p->connects : 0;
		fprintf(f, "%9" PRIu64 " %7" PRIu64 " %11.1f %11.1f %12" PRIu64 " %12" PRIu64
			   " %12.6f  %-9s %s\n",
			p->connects, errs_total(&p->connect_errs), avg,
			(double)p->connect_max_ns / 1e3, p->sent, p->received,
			(double)p->recv_ns / 1e9, kind_name(p->kind), peer_text(p));
		if (p->connect_errs.n || p->errs.n || p->accepts || p->msgs_sent ||
		    p->msgs_received) {
			fprintf(f, "%9s", "");
			if (p->accepts)
				fprintf(f, " accepted %" PRIu64 ";", p->accepts);
			if (p->msgs_sent || p->msgs_received)
				fprintf(f, " messages (sendmmsg/recvmmsg) %" PRIu64
					   " sent, %" PRIu64 " received;",
					p->msgs_sent, p->msgs_received);
			print_errs(f, " connect errors:", &p->connect_errs, false);
			print_errs(f, p->connect_errs.n ? "; other errors:" : " errors:",
				   &p->errs, false);
			fputc('\n', f);
		}
	}
	fprintf(f, "\nDNS lookups (getaddrinfo), by time:\n");
	if (!n.ndns)
		fprintf(f, "  (none)\n");
	else
		fprintf(f, "%9s %7s %11s %11s  %s\n", "calls", "failed", "seconds", "max us",
			"node");
	for (size_t i = 0; i < n.ndns; i++) {
		const struct lookup *l = &n.dns[i];
		fprintf(f, "%9" PRIu64 " %7" PRIu64 " %11.6f %11.1f  %s", l->calls,
			errs_total(&l->fails), (double)l->ns / 1e9, (double)l->max_ns / 1e3,
			l->node ? l->node : "(no node)");
		print_errs(f, " -", &l->fails, true);
		fputc('\n', f);
	}
	fprintf(f, "* kind: remote = the address connected or sent to; accepted = "
		   "connections accepted on that local address (the client's is not "
		   "recorded); local = a bound socket's own address. socketpair's and "
		   "inherited descriptors are not followed.\n");
	net_free(&n);
	return ferror(f) ? -EIO : 0;
}

/* --- JSON ------------------------------------------------------------------ */

/* {"ECONNREFUSED": 2, ...}; NULL if out of memory. */
static json_object *errs_json(const struct errs *e, bool eai)
{
	json_object *o = json_object_new_object();
	for (size_t i = 0; o && i < e->n; i++) {
		char buf[16];
		const char *name = eai ? eai_text(e->v[i].code, buf, sizeof(buf))
				       : errno_name(e->v[i].code, buf, sizeof(buf));
		if (!sw_json_put(o, name, json_object_new_uint64(e->v[i].n))) {
			json_object_put(o);
			return NULL;
		}
	}
	return o;
}

static json_object *peer_json(const struct peer *p)
{
	json_object *o = json_object_new_object();
	json_object *c = json_object_new_object();
	bool ok = o && c &&
		  sw_json_put(c, "calls", json_object_new_uint64(p->connects)) &&
		  sw_json_put(c, "errors", errs_json(&p->connect_errs, false)) &&
		  sw_json_put(c, "seconds", sw_json_num((double)p->connect_ns / 1e9, 6)) &&
		  sw_json_put(c, "avg_us", sw_json_num(p->connects ? (double)p->connect_ns /
							   1e3 / (double)p->connects : 0, 3)) &&
		  sw_json_put(c, "max_us", sw_json_num((double)p->connect_max_ns / 1e3, 3));
	if (!ok) {
		json_object_put(c);
		json_object_put(o);
		return NULL;
	}
	ok = sw_json_put(o, "connect", c) &&
	     sw_json_put(o, "kind", json_object_new_string(kind_name(p->kind))) &&
	     (p->name ? sw_json_put(o, "peer", sw_json_str(p->name))
		      : sw_json_put_null(o, "peer")) &&
	     sw_json_put(o, "accepts", json_object_new_uint64(p->accepts)) &&
	     sw_json_put(o, "send_calls", json_object_new_uint64(p->sends)) &&
	     sw_json_put(o, "bytes_sent", json_object_new_uint64(p->sent)) &&
	     sw_json_put(o, "messages_sent", json_object_new_uint64(p->msgs_sent)) &&
	     sw_json_put(o, "recv_calls", json_object_new_uint64(p->recvs)) &&
	     sw_json_put(o, "bytes_received", json_object_new_uint64(p->received)) &&
	     sw_json_put(o, "messages_received", json_object_new_uint64(p->msgs_received)) &&
	     sw_json_put(o, "recv_wait_seconds", sw_json_num((double)p->recv_ns / 1e9, 6)) &&
	     sw_json_put(o, "errors", errs_json(&p->errs, false));
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

static json_object *lookup_json(const struct lookup *l)
{
	json_object *o = json_object_new_object();
	bool ok = o &&
		  (l->node ? sw_json_put(o, "node", sw_json_str(l->node))
			   : sw_json_put_null(o, "node")) &&
		  sw_json_put(o, "calls", json_object_new_uint64(l->calls)) &&
		  sw_json_put(o, "failed", json_object_new_uint64(errs_total(&l->fails))) &&
		  sw_json_put(o, "seconds", sw_json_num((double)l->ns / 1e9, 6)) &&
		  sw_json_put(o, "max_us", sw_json_num((double)l->max_ns / 1e3, 3)) &&
		  sw_json_put(o, "failures", errs_json(&l->fails, true));
	if (!ok) {
		json_object_put(o);
		return NULL;
	}
	return o;
}

json_object *sw_net_json(const struct sw_evtrace *t)
{
	struct net n;
	if (net_build(t, &n) < 0)
		return NULL;
	json_object *root = json_object_new_object();
	json_object *peers = json_object_new_array();
	json_object *dns = json_object_new_array();
	bool ok = root && peers && dns;
	for (size_t i = 0; ok && i < n.npeers; i++)
		ok = sw_json_push(peers, peer_json(&n.peers[i]));
	for (size_t i = 0; ok && i < n.ndns; i++)
		ok = sw_json_push(dns, lookup_json(&n.dns[i]));
	net_free(&n);
	if (!ok) {
		json_object_put(peers);
		json_object_put(dns);
		json_object_put(root);
		return NULL;
	}
	if (!sw_json_put(root, "peers", peers)) {
		json_object_put(dns);
		json_object_put(root);
		return NULL;
	}
	if (sw_json_put(root, "dns", dns))
		return root;
	json_object_put(root);
	return NULL;
}
