/*
 * net_text.c - the --net report as text (see net.h): one line per peer
 * (a second for accepts, messages and errors), one per DNS node.
 */
#include "net.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>

#include "net_int.h"

/* " ECONNREFUSED 2, EINPROGRESS 1" after label, or nothing. */
static void print_errs(FILE *f, const char *label, const struct sw__net_errs *e, bool eai)
{
	if (!e->n)
		return;
	fprintf(f, "%s", label);
	for (size_t i = 0; i < e->n; i++) {
		char buf[16];
		const char *name = sw__net_err_name(e->v[i].code, eai, buf, sizeof(buf));
		fprintf(f, "%s%s %" PRIu64, i ? ", " : " ", name, e->v[i].n);
	}
}

/* The peer's address, or what stands for a socket that had none. */
static const char *peer_text(const struct sw__net_peer *p)
{
	return p->name ? p->name : "(no address)";
}

/* The peers section: a line per peer, a second one for its accepts,
 * messages and errors when it has any. */
static void peers_text(FILE *f, const struct sw__net *n)
{
	fprintf(f, "\nnetwork peers, by time spent connecting:\n");
	if (!n->npeers)
		fprintf(f, "  (no socket calls)\n");
	else
		fprintf(f, "%9s %7s %11s %11s %12s %12s %12s  %-9s %s\n", "connects",
			"errors", "conn avg us", "conn max us", "bytes sent", "bytes recvd",
			"recv wait s", "kind", "peer");
	for (size_t i = 0; i < n->npeers; i++) {
		const struct sw__net_peer *p = &n->peers[i];
		double avg = p->connects ? (double)p->connect_ns / 1e3 / (double)p->connects : 0;
		fprintf(f, "%9" PRIu64 " %7" PRIu64 " %11.1f %11.1f %12" PRIu64 " %12" PRIu64
			   " %12.6f  %-9s %s\n",
			p->connects, sw__net_errs_total(&p->connect_errs), avg,
			(double)p->connect_max_ns / 1e3, p->sent, p->received,
			(double)p->recv_ns / 1e9, sw__net_kind_name(p->kind), peer_text(p));
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
}

/* The DNS section: a line per node, its failures by EAI name. */
static void dns_text(FILE *f, const struct sw__net *n)
{
	fprintf(f, "\nDNS lookups (getaddrinfo), by time:\n");
	if (!n->ndns)
		fprintf(f, "  (none)\n");
	else
		fprintf(f, "%9s %7s %11s %11s  %s\n", "calls", "failed", "seconds", "max us",
			"node");
	for (size_t i = 0; i < n->ndns; i++) {
		const struct sw__net_lookup *l = &n->dns[i];
		fprintf(f, "%9" PRIu64 " %7" PRIu64 " %11.6f %11.1f  %s", l->calls,
			sw__net_errs_total(&l->fails), (double)l->ns / 1e9, (double)l->max_ns / 1e3,
			l->node ? l->node : "(no node)");
		print_errs(f, " -", &l->fails, true);
		fputc('\n', f);
	}
}

/* See net.h. */
int sw_net_print(FILE *f, const struct sw_evtrace *t)
{
	struct sw__net n;
	int rc = sw__net_build(t, &n);
	if (rc < 0)
		return rc;
	peers_text(f, &n);
	dns_text(f, &n);
	fprintf(f, "* kind: remote = the address connected or sent to; accepted = "
		   "connections accepted on that local address (the client's is not "
		   "recorded); local = a bound socket's own address. socketpair's and "
		   "inherited descriptors are not followed.\n");
	sw__net_free(&n);
	return ferror(f) ? -EIO : 0;
}
