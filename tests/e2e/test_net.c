/*
 * test_net.c - `syswatch run --net` and `syswatch report --net` on the rows
 * workload (tests/workloads/wl_rows.c) show its peers as it tallied them.
 *
 * The workload writes its network facts (TALLY.net): the TCP listener's
 * port, its successful connects and the bytes each side sent and
 * received, the accepts, the refused port and its connects, the name
 * lookups. The JSON report's "net" must show, for the remote peer
 * 127.0.0.1:PORT, that connect count and the client's exact bytes both
 * ways; for the connections accepted on it, the server's bytes; for the
 * listener, the accepts; for the refused port, ECONNREFUSED once per
 * connect; and the lookups of "localhost". `report --net` on the trace of
 * the same run gives the same "net" object.
 *
 * The report comes from the events, which are best effort: the test
 * insists that none were dropped, or the sums could not be exact.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "e2e.h"

struct facts {
	long long tcp_port, tcp_connects, client_sent, client_recvd, accepts, server_sent,
		server_recvd, refused_port, refused, lookups;
};

static void read_facts(const char *path, struct facts *f)
{
	static const struct {
		const char *key;
		size_t off;
	} keys[] = {
#define K(name) {#name, offsetof(struct facts, name)}
		K(tcp_port), K(tcp_connects), K(client_sent), K(client_recvd), K(accepts),
		K(server_sent), K(server_recvd), K(refused_port), K(refused), K(lookups),
#undef K
	};
	FILE *in = fopen(path, "r");
	cr_assert_not_null(in, "no %s", path);
	char key[64];
	long long v;
	int seen = 0;
	memset(f, 0xff, sizeof(*f));
	while (fscanf(in, "%63s %lld", key, &v) == 2)
		for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
			if (strcmp(keys[i].key, key) == 0) {
				*(long long *)((char *)f + keys[i].off) = v;
				seen++;
			}
	fclose(in);
	cr_assert_eq(seen, (int)(sizeof(keys) / sizeof(keys[0])), "%s: incomplete", path);
}

static json_object *get(json_object *o, const char *key)
{
	json_object *v = NULL;
	cr_assert(o && json_object_object_get_ex(o, key, &v), "no \"%s\" in %s", key,
		  o ? json_object_to_json_string(o) : "(null)");
	return v;
}

static long long num(json_object *o, const char *key)
{
	return json_object_get_int64(get(o, key));
}

/* The entry of net.peers with that address and kind. */
static json_object *peer(json_object *net, const char *addr, const char *kind)
{
	json_object *peers = get(net, "peers");
	for (size_t i = 0; i < json_object_array_length(peers); i++) {
		json_object *p = json_object_array_get_idx(peers, i), *a = get(p, "peer");
		if (a && strcmp(json_object_get_string(a), addr) == 0 &&
		    strcmp(json_object_get_string(get(p, "kind")), kind) == 0)
			return p;
	}
	cr_assert_fail("no %s peer %s in %s", kind, addr, json_object_to_json_string(peers));
	return NULL;
}

static void check_net(json_object *net, const struct facts *f, const char *what)
{
	char tcp[64], refused[64];
	snprintf(tcp, sizeof tcp, "127.0.0.1:%lld", f->tcp_port);
	snprintf(refused, sizeof refused, "127.0.0.1:%lld", f->refused_port);

	json_object *cli = peer(net, tcp, "remote");
	cr_expect_eq(num(get(cli, "connect"), "calls"), f->tcp_connects, "%s: connects", what);
	cr_expect_eq(json_object_object_length(get(get(cli, "connect"), "errors")), 0);
	cr_expect_eq(num(cli, "bytes_sent"), f->client_sent, "%s: client sent", what);
	cr_expect_eq(num(cli, "bytes_received"), f->client_recvd, "%s: client received", what);

	json_object *srv = peer(net, tcp, "accepted");
	cr_expect_eq(num(srv, "bytes_sent"), f->server_sent, "%s: server sent", what);
	cr_expect_eq(num(srv, "bytes_received"), f->server_recvd, "%s: server received", what);
	cr_expect_eq(num(peer(net, tcp, "local"), "accepts"), f->accepts, "%s: accepts", what);

	json_object *ref = peer(net, refused, "remote");
	cr_expect_eq(num(get(ref, "connect"), "calls"), f->refused, "%s: refused connects", what);
	cr_expect_eq(num(get(get(ref, "connect"), "errors"), "ECONNREFUSED"), f->refused,
		     "%s: ECONNREFUSED", what);

	json_object *dns = get(net, "dns"), *localhost = NULL;
	for (size_t i = 0; i < json_object_array_length(dns); i++) {
		json_object *d = json_object_array_get_idx(dns, i), *node = get(d, "node");
		if (node && strcmp(json_object_get_string(node), "localhost") == 0)
			localhost = d;
	}
	cr_assert_not_null(localhost, "%s: no lookup of localhost", what);
	cr_expect_eq(num(localhost, "calls"), f->lookups, "%s: lookups", what);
	cr_expect_eq(num(localhost, "failed"), 0);
}

Test(net, peers_bytes_refusals_and_lookups_as_the_workload_tallied, .timeout = 300)
{
	const char *sw = e2e_syswatch();
	cr_assert_not_null(sw, "no syswatch binary");
	char tmp[4096], out[4200], trace[4200], dir[4200], tally[4200], netf[4300], log[4200],
		rep[4200];
	cr_assert_eq(e2e_tmpdir(tmp, sizeof tmp, "net"), 0);
	snprintf(out, sizeof out, "%s/run.json", tmp);
	snprintf(trace, sizeof trace, "%s/run.trace", tmp);
	snprintf(dir, sizeof dir, "%s/d", tmp);
	snprintf(tally, sizeof tally, "%s/tally", tmp);
	snprintf(netf, sizeof netf, "%s.net", tally);
	snprintf(log, sizeof log, "%s/log", tmp);
	snprintf(rep, sizeof rep, "%s/report.json", tmp);

	char *run[] = {(char *)sw, "run", "--net", "--format", "json", "-o", out, "--trace",
		       trace, "--", WL_ROWS, "10", dir, tally, NULL};
	int st = e2e_run(run, log);
	if (st != 0)
		e2e_dump(log);
	cr_assert_eq(st, 0, "syswatch run --net ... wl_rows exited with %d", st);
	struct facts f;
	read_facts(netf, &f);
	cr_assert_gt(f.tcp_connects, 0);

	json_object *j = json_object_from_file(out);
	cr_assert_not_null(j, "%s is not JSON", out);
	cr_assert_eq(num(j, "dropped_events"), 0, "events were dropped: sums cannot be exact");
	check_net(get(j, "net"), &f, "run");

	char *report[] = {(char *)sw, "report", "--net", "--format", "json", "-o", rep, trace,
			  NULL};
	st = e2e_run(report, log);
	if (st != 0)
		e2e_dump(log);
	cr_assert_eq(st, 0, "syswatch report --net exited with %d", st);
	json_object *r = json_object_from_file(rep);
	cr_assert_not_null(r, "%s is not JSON", rep);
	check_net(get(r, "net"), &f, "report");
	cr_expect(json_object_equal(get(j, "net"), get(r, "net")),
		  "run and report disagree:\n%s\n%s", json_object_to_json_string(get(j, "net")),
		  json_object_to_json_string(get(r, "net")));
	json_object_put(j);
	json_object_put(r);
	e2e_rmtree(tmp);
}
