/*
 * net_json.c - the --net report as JSON (see net.h): the "net" object,
 * {"peers": [...], "dns": [...]} in the order of the text report.
 */
#include "net.h"

#include <stdbool.h>

#include "json_util.h"
#include "net_int.h"

/* o when ok, else NULL with o freed: how every builder here ends. */
static json_object *done(json_object *o, bool ok)
{
	if (ok)
		return o;
	json_object_put(o);
	return NULL;
}

/* Put key → s into o, or key → null when s is NULL; false if out of
 * memory. */
static bool put_str(json_object *o, const char *key, const char *s)
{
	return s ? sw_json_put(o, key, sw_json_str(s)) : sw_json_put_null(o, key);
}

/* {"ECONNREFUSED": 2, ...} (EAI names with eai); NULL if out of memory. */
static json_object *errs_json(const struct sw__net_errs *e, bool eai)
{
	json_object *o = json_object_new_object();
	bool ok = o != NULL;
	for (size_t i = 0; ok && i < e->n; i++) {
		char buf[16];
		const char *name = sw__net_err_name(e->v[i].code, eai, buf, sizeof(buf));
		ok = sw_json_put(o, name, json_object_new_uint64(e->v[i].n));
	}
	return done(o, ok);
}

/* A peer's "connect" object: calls, errors by name, time; NULL if out of
 * memory. */
static json_object *connect_json(const struct sw__net_peer *p)
{
	double avg = p->connects ? (double)p->connect_ns / 1e3 / (double)p->connects : 0;
	json_object *c = json_object_new_object();
	bool ok = c && sw_json_put(c, "calls", json_object_new_uint64(p->connects)) &&
		  sw_json_put(c, "errors", errs_json(&p->connect_errs, false)) &&
		  sw_json_put(c, "seconds", sw_json_num((double)p->connect_ns / 1e9, 6)) &&
		  sw_json_put(c, "avg_us", sw_json_num(avg, 3)) &&
		  sw_json_put(c, "max_us", sw_json_num((double)p->connect_max_ns / 1e3, 3));
	return done(c, ok);
}

/* One element of "peers"; NULL if out of memory. */
static json_object *peer_json(const struct sw__net_peer *p)
{
	json_object *o = json_object_new_object();
	bool ok = o && sw_json_put(o, "connect", connect_json(p)) &&
		  sw_json_put(o, "kind", json_object_new_string(sw__net_kind_name(p->kind))) &&
		  put_str(o, "peer", p->name) &&
		  sw_json_put(o, "accepts", json_object_new_uint64(p->accepts)) &&
		  sw_json_put(o, "send_calls", json_object_new_uint64(p->sends)) &&
		  sw_json_put(o, "bytes_sent", json_object_new_uint64(p->sent)) &&
		  sw_json_put(o, "messages_sent", json_object_new_uint64(p->msgs_sent)) &&
		  sw_json_put(o, "recv_calls", json_object_new_uint64(p->recvs)) &&
		  sw_json_put(o, "bytes_received", json_object_new_uint64(p->received)) &&
		  sw_json_put(o, "messages_received",
			      json_object_new_uint64(p->msgs_received)) &&
		  sw_json_put(o, "recv_wait_seconds", sw_json_num((double)p->recv_ns / 1e9, 6)) &&
		  sw_json_put(o, "errors", errs_json(&p->errs, false));
	return done(o, ok);
}

/* One element of "dns"; NULL if out of memory. */
static json_object *lookup_json(const struct sw__net_lookup *l)
{
	json_object *o = json_object_new_object();
	bool ok = o && put_str(o, "node", l->node) &&
		  sw_json_put(o, "calls", json_object_new_uint64(l->calls)) &&
		  sw_json_put(o, "failed", json_object_new_uint64(sw__net_errs_total(&l->fails))) &&
		  sw_json_put(o, "seconds", sw_json_num((double)l->ns / 1e9, 6)) &&
		  sw_json_put(o, "max_us", sw_json_num((double)l->max_ns / 1e3, 3)) &&
		  sw_json_put(o, "failures", errs_json(&l->fails, true));
	return done(o, ok);
}

/* See net.h. Each array is made as it is put into root, so root owns it
 * from then on (or it was never made), and is filled after. */
json_object *sw_net_json(const struct sw_evtrace *t)
{
	struct sw__net n;
	if (sw__net_build(t, &n) < 0)
		return NULL;
	json_object *root = json_object_new_object(), *peers = NULL, *dns = NULL;
	bool ok = root && sw_json_put(root, "peers", peers = json_object_new_array()) &&
		  sw_json_put(root, "dns", dns = json_object_new_array());
	for (size_t i = 0; ok && i < n.npeers; i++)
		ok = sw_json_push(peers, peer_json(&n.peers[i]));
	for (size_t i = 0; ok && i < n.ndns; i++)
		ok = sw_json_push(dns, lookup_json(&n.dns[i]));
	sw__net_free(&n);
	return done(root, ok);
}
