/*
 * export_chrome.c - the trace-event JSON of a trace (the format of
 * chrome://tracing, which ui.perfetto.dev opens too):
 *
 *   {"displayTimeUnit": "ns", "otherData": {...}, "traceEvents": [...]}
 *
 * Tracks are (pid, tid). Every thread gets one, named by "M" metadata,
 * with an "X" slice per recorded call (name: the report row, "openat";
 * cat: the row's class; args: fn, path, file, fd, socket peer, result,
 * errno, address)
 * and, around each call that blocked on a lock, a slice of the same bounds
 * naming the wait ("wait sem 0x7f...", cat "wait"; args: status, kind,
 * address, generation, waker and root). A stretch where the shim dropped
 * events is a slice "events dropped" (cat "gap"), so nobody reads a quiet
 * track as an idle thread.
 *
 * A root's holds ("hold sem 0x7f... (module slowpkg.mod3)", cat "hold")
 * cannot share the holder's track: a hold's window starts at the first
 * wait blamed on it, which may be in the middle of one of the holder's
 * calls, and the viewers drop slices that do not nest. So they go on a
 * track of their own beside the holder's, with tid HOLD_TID(lane, tid);
 * nested holds (imports inside imports) share a lane, holds that overlap
 * without nesting take the next one.
 *
 * Each wait that a release woke gets a flow ("s" on the release, "f" with
 * bp "e" on the wait, same id): the arrow from waker to waiter. Relays
 * show as the chain of arrows they are.
 *
 * Times are microseconds (the format's unit) from the trace's origin,
 * written with three decimals, exact to the nanosecond.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "fnnames.h"
#include "json_util.h"
#include "locks_report.h"

#ifndef SW_VERSION
#define SW_VERSION "0.0.0"
#endif

/* Hold tracks: tids no kernel hands out (pid_max is at most 2^22). */
#define TID_LIMIT (1 << 22)
#define HOLD_TID(lane, tid) ((int64_t)(1 << 30) + (int64_t)(lane) * TID_LIMIT + (tid))
#define MAX_LANES 64  /* hold tracks per thread (the last one takes the rest) */
#define MAX_NEST 32   /* nested holds a lane keeps track of */

struct out {
	FILE *f;
	const struct sw_locks *l;
	uint64_t origin;
	size_t n;  /* events written */
	int err;   /* first error: -ENOMEM or -EIO */
};

/* Microseconds since the origin, exact ("1234.567"). */
static json_object *usec(const struct out *o, uint64_t ns)
{
	ns = ns > o->origin ? ns - o->origin : 0;
	char buf[40];
	snprintf(buf, sizeof(buf), "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
	return json_object_new_double_s((double)ns / 1000.0, buf);
}

static json_object *dur_us(uint64_t ns)
{
	char buf[40];
	snprintf(buf, sizeof(buf), "%" PRIu64 ".%03" PRIu64, ns / 1000, ns % 1000);
	return json_object_new_double_s((double)ns / 1000.0, buf);
}

static json_object *hex(uint64_t v)
{
	char buf[24];
	snprintf(buf, sizeof(buf), "%#" PRIx64, v);
	return json_object_new_string(buf);
}

/* Write ev (taking it) as the next element of traceEvents; a NULL ev is a
 * failed construction. */
static void emit(struct out *o, json_object *ev)
{
	if (!ev) {
		if (!o->err)
			o->err = -ENOMEM;
		return;
	}
	if (!o->err) {
		const char *s = json_object_to_json_string_ext(
			ev, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
		if (!s)
			o->err = -ENOMEM;
		else if (fprintf(o->f, "%s%s", o->n ? ",\n" : "\n", s) < 0)
			o->err = -EIO;
		o->n++;
	}
	json_object_put(ev);
}

/* A new event with its common fields; NULL if out of memory. */
static json_object *event(const char *ph, const char *name, const char *cat,
			  int32_t pid, int64_t tid)
{
	json_object *e = json_object_new_object();
	if (!e)
		return NULL;
	bool ok = sw_json_put(e, "ph", json_object_new_string(ph)) &&
		  sw_json_put(e, "name", sw_json_str(name)) &&
		  (!cat || sw_json_put(e, "cat", json_object_new_string(cat))) &&
		  sw_json_put(e, "pid", json_object_new_int(pid)) &&
		  sw_json_put(e, "tid", json_object_new_int64(tid));
	if (!ok) {
		json_object_put(e);
		return NULL;
	}
	return e;
}

/* e with ts (and dur, unless it is UINT64_MAX); NULL (e freed) on
 * failure or if e is NULL. */
static json_object *timed(const struct out *o, json_object *e, uint64_t ts, uint64_t dur)
{
	if (e && sw_json_put(e, "ts", usec(o, ts)) &&
	    (dur == UINT64_MAX || sw_json_put(e, "dur", dur_us(dur))))
		return e;
	json_object_put(e);
	return NULL;
}

/* e with args; both are taken, NULL if either is NULL or on failure. */
static json_object *with_args(json_object *e, json_object *args)
{
	if (!e || !args) {
		json_object_put(e);
		json_object_put(args);
		return NULL;
	}
	if (!sw_json_put(e, "args", args)) {
		json_object_put(e);
		return NULL;
	}
	return e;
}

/* "M" metadata: name (process_name, thread_name, ...) → {key: val}. */
static void meta(struct out *o, const char *name, int32_t pid, int64_t tid,
		 const char *key, json_object *val)
{
	json_object *args = json_object_new_object();
	if (!args || !sw_json_put(args, key, val)) {
		if (!args)
			json_object_put(val);
		json_object_put(args);
		emit(o, NULL);
		return;
	}
	emit(o, with_args(event("M", name, NULL, pid, tid), args));
}

/* --- slices ------------------------------------------------------------- */

static json_object *call_args(const struct sw_ev *ev)
{
	json_object *a = json_object_new_object();
	if (!a)
		return NULL;
	const char *fn = sw_fn_name(ev->fn);
	bool ok = (!fn || sw_json_put(a, "fn", json_object_new_string(fn))) &&
		  (!ev->path || sw_json_put(a, "path", sw_json_str(ev->path))) &&
		  (!ev->file || (ev->path && !strcmp(ev->file, ev->path)) ||
		   sw_json_put(a, "file", sw_json_str(ev->file))) &&
		  (!(ev->flags & SW_EVF_FD) || sw_json_put(a, "fd", json_object_new_int(ev->fd))) &&
		  (!ev->peer || sw_json_put(a, "peer", sw_json_str(ev->peer))) &&
		  sw_json_put(a, "result", json_object_new_int64(ev->result)) &&
		  (!(ev->flags & SW_EVF_ADDR) || sw_json_put(a, "address", hex(ev->addr))) &&
		  (!(ev->flags & SW_EVF_AUX) || sw_json_put(a, "futex_op", json_object_new_uint64(ev->aux))) &&
		  (!ev->gap || sw_json_put(a, "dropped_before", json_object_new_uint64(ev->gap)));
	if (ok && (ev->flags & SW_EVF_FAILED)) {
		const char *name = strerrorname_np((int)ev->err);
		char num[16];
		snprintf(num, sizeof(num), "%" PRIu32, ev->err);
		ok = sw_json_put(a, "errno", json_object_new_string(name ? name : num));
	}
	if (!ok) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

static void call_slice(struct out *o, const struct sw_evthread *th, const struct sw_ev *ev)
{
	const struct sw_evtrace *tr = o->l->tr;
	json_object *e = event("X", sw_evtrace_row_name(tr, ev->row),
			       sw__export_class_name(sw_evtrace_row_class(tr, ev->row)),
			       th->pid, th->tid);
	emit(o, with_args(timed(o, e, ev->start, ev->end - ev->start), call_args(ev)));
}

static int32_t tid_of(const struct sw_locks *l, uint32_t thread)
{
	return l->tr->threads[thread].tid;
}

static json_object *wait_args(const struct sw_locks *l, const struct sw_wait *w)
{
	const struct sw_prim *p = &l->prims[w->prim];
	json_object *a = json_object_new_object();
	if (!a)
		return NULL;
	bool ok = sw_json_put(a, "status", json_object_new_string(sw_wait_status_text(w->status))) &&
		  sw_json_put(a, "kind", json_object_new_string(sw_prim_kind_name(p->kind))) &&
		  sw_json_put(a, "address", hex(p->addr)) &&
		  sw_json_put(a, "generation", json_object_new_uint64(p->gen));
	if (ok && (w->status == SW_WAIT_UNATTRIBUTED || w->status == SW_WAIT_INCOMPLETE))
		ok = sw_json_put(a, "why", json_object_new_string(sw_wait_why_text(w->why)));
	if (ok && w->waker != SW_NONE)
		ok = sw_json_put(a, "waker_tid",
				 json_object_new_int(tid_of(l, l->rels[w->waker].thread)));
	if (ok && w->root != SW_NONE) {
		const struct sw_release *r = &l->rels[w->root];
		ok = sw_json_put(a, "root_tid", json_object_new_int(tid_of(l, r->thread)));
		if (ok && r->hold != SW_NONE) {
			char name[512];
			sw__export_hold_name(name, sizeof(name), l, &l->holds[r->hold]);
			ok = sw_json_put(a, "root_hold", sw_json_str(name));
		}
	}
	if (ok && w->status == SW_WAIT_ATTRIBUTED)
		ok = sw_json_put(a, "blamed_us", dur_us(w->blamed_ns)) &&
		     sw_json_put(a, "wakeup_latency_us", dur_us(w->latency_ns)) &&
		     (!w->unknown_ns || sw_json_put(a, "unknown_us", dur_us(w->unknown_ns)));
	if (!ok) {
		json_object_put(a);
		return NULL;
	}
	return a;
}

static void wait_slice(struct out *o, const struct sw_evthread *th, const struct sw_wait *w)
{
	char prim[64], name[80];
	sw__export_prim_name(prim, sizeof(prim), &o->l->prims[w->prim]);
	snprintf(name, sizeof(name), "wait %s", prim);
	json_object *e = event("X", name, "wait", th->pid, th->tid);
	emit(o, with_args(timed(o, e, w->start, w->end - w->start), wait_args(o->l, w)));
}

static void hole_slice(struct out *o, const struct sw_evthread *th, const struct sw_hole *h)
{
	uint64_t to = h->to;
	if (to == UINT64_MAX) /* a tail: up to the thread's end, if known */
		to = th->end_ns > h->from ? th->end_ns : h->from;
	json_object *a = json_object_new_object();
	if (a && !(sw_json_put(a, "why", json_object_new_string(sw_hole_why_text(h->why))) &&
		   sw_json_put(a, "lost", json_object_new_uint64(h->lost)))) {
		json_object_put(a);
		a = NULL;
	}
	json_object *e = event("X", "events dropped", "gap", th->pid, th->tid);
	emit(o, with_args(timed(o, e, h->from, to - h->from), a));
}

/* The thread's calls, waits and holes, in time order. */
static void thread_slices(struct out *o, uint32_t t)
{
	const struct sw_locks *l = o->l;
	const struct sw_evthread *th = &l->tr->threads[t];
	uint32_t wi = l->thread_wait0[t], wend = l->thread_wait0[t + 1];
	size_t hi = 0;
	for (size_t i = 0; i < th->nev && !o->err; i++) {
		const struct sw_ev *ev = &th->ev[i];
		while (hi < th->nholes && th->holes[hi].from <= ev->start)
			hole_slice(o, th, &th->holes[hi++]);
		while (wi < wend && l->waits[l->thread_waits[wi]].ev < i)
			wi++;
		if (wi < wend && l->waits[l->thread_waits[wi]].ev == i)
			wait_slice(o, th, &l->waits[l->thread_waits[wi++]]);
		call_slice(o, th, ev);
	}
	while (hi < th->nholes && !o->err)
		hole_slice(o, th, &th->holes[hi++]);
}

/* --- holds --------------------------------------------------------------- */

struct lane {
	uint64_t end[MAX_NEST]; /* ends of the holds open in it, innermost last */
	int depth;
};

/* The lane a hold [s, e] fits in: one where it nests in (or follows)
 * what is open. *nlanes grows when none fits. */
static int lane_for(struct lane *lanes, int *nlanes, uint64_t s, uint64_t e)
{
	for (int k = 0; k < *nlanes; k++) {
		struct lane *ln = &lanes[k];
		while (ln->depth && ln->end[ln->depth - 1] <= s)
			ln->depth--;
		if (ln->depth < MAX_NEST && (!ln->depth || ln->end[ln->depth - 1] >= e)) {
			ln->end[ln->depth++] = e;
			return k;
		}
	}
	if (*nlanes < MAX_LANES) {
		struct lane *ln = &lanes[(*nlanes)++];
		ln->end[0] = e;
		ln->depth = 1;
		return *nlanes - 1;
	}
	return MAX_LANES - 1; /* pathological: let the viewer sort it out */
}

static json_object *hold_args(const struct sw_locks *l, const struct sw_hold *h)
{
	const struct sw_prim *p = &l->prims[h->prim];
	json_object *a = json_object_new_object();
	json_object *act = json_object_new_array();
	if (!a || !act)
		goto fail;
	bool ok = sw_json_put(a, "kind", json_object_new_string(sw_prim_kind_name(p->kind))) &&
		  sw_json_put(a, "address", hex(p->addr)) &&
		  sw_json_put(a, "holder_tid", json_object_new_int(tid_of(l, h->thread))) &&
		  (!h->module || sw_json_put(a, "module", sw_json_str(h->module))) &&
		  (!h->module_name || sw_json_put(a, "module_name", sw_json_str(h->module_name))) &&
		  sw_json_put(a, "blamed_wait_us", dur_us(h->blamed_ns)) &&
		  sw_json_put(a, "wakeup_latency_us", dur_us(h->latency_ns)) &&
		  sw_json_put(a, "outside_calls_us", dur_us(h->outside_ns)) &&
		  sw_json_put(a, "complete", json_object_new_boolean(h->complete));
	for (uint32_t i = 0; ok && i < h->nact; i++) {
		const struct sw_activity *x = &l->activity[h->act0 + i];
		char line[600];
		snprintf(line, sizeof(line), "%s: %.3f ms in %" PRIu64 " call%s%s%s",
			 sw_evtrace_row_name(l->tr, x->row), (double)x->ns / 1e6, x->calls,
			 x->calls == 1 ? "" : "s", x->top_file ? ", most on " : "",
			 x->top_file ? x->top_file : "");
		ok = sw_json_push(act, sw_json_str(line));
	}
	if (!ok) {
		json_object_put(act);
		json_object_put(a);
		return NULL;
	}
	if (!sw_json_put(a, "activity", act)) { /* act is freed */
		json_object_put(a);
		return NULL;
	}
	return a;
fail:
	json_object_put(act);
	json_object_put(a);
	return NULL;
}

/* Position of thread t's first hold in ix (holds by thread). */
static size_t first_hold(const struct sw_locks *l, const uint32_t *ix, uint32_t t)
{
	size_t lo = 0, hi = l->nholds;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (l->holds[ix[mid]].thread < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The holds of thread t (ix[*pos ..] while they are its), on their
 * tracks; the tracks are named as they appear. */
static void thread_holds(struct out *o, uint32_t t, const uint32_t *ix, size_t *pos,
			 int sort_index)
{
	const struct sw_locks *l = o->l;
	const struct sw_evthread *th = &l->tr->threads[t];
	struct lane lanes[MAX_LANES];
	int nlanes = 0;
	while (*pos < l->nholds && l->holds[ix[*pos]].thread == t && !o->err) {
		const struct sw_hold *h = &l->holds[ix[(*pos)++]];
		int had = nlanes;
		int k = lane_for(lanes, &nlanes, h->start, h->end);
		int64_t tid = HOLD_TID(k, th->tid);
		if (k >= had) {
			char name[64];
			if (k)
				snprintf(name, sizeof(name), "holds of %" PRId32 " #%d", th->tid,
					 k + 1);
			else
				snprintf(name, sizeof(name), "holds of %" PRId32, th->tid);
			meta(o, "thread_name", th->pid, tid, "name", json_object_new_string(name));
			meta(o, "thread_sort_index", th->pid, tid, "sort_index",
			     json_object_new_int(sort_index));
		}
		char name[512];
		sw__export_hold_name(name, sizeof(name), l, h);
		json_object *e = event("X", name, "hold", th->pid, tid);
		emit(o, with_args(timed(o, e, h->start, h->end - h->start), hold_args(l, h)));
	}
}

/* --- flows --------------------------------------------------------------- */

/* One arrow per woken wait: from the middle of the release call (so the
 * flow binds to it) to just before the waiter's wait ends. */
static void flows(struct out *o)
{
	const struct sw_locks *l = o->l;
	for (size_t i = 0; i < l->nwaits && !o->err; i++) {
		const struct sw_wait *w = &l->waits[i];
		if (w->waker == SW_NONE)
			continue;
		const struct sw_release *r = &l->rels[w->waker];
		if (r->thread == w->thread)
			continue;
		const struct sw_evthread *rt = &l->tr->threads[r->thread];
		const struct sw_evthread *wt = &l->tr->threads[w->thread];
		const struct sw_ev *rev = &rt->ev[r->ev];
		uint64_t from = rev->start + (rev->end - rev->start) / 2;
		uint64_t to = w->end - w->start >= 2 ? w->end - 1 : w->start;
		const char *cat = l->prims[w->prim].kind == SW_PRIM_COND ? "signal" : "wake";
		json_object *s = event("s", "wakes", cat, rt->pid, rt->tid);
		if (s && !sw_json_put(s, "id", json_object_new_uint64(i + 1))) {
			json_object_put(s);
			s = NULL;
		}
		emit(o, timed(o, s, from, UINT64_MAX));
		json_object *f = event("f", "wakes", cat, wt->pid, wt->tid);
		if (f && !(sw_json_put(f, "id", json_object_new_uint64(i + 1)) &&
			   sw_json_put(f, "bp", json_object_new_string("e")))) {
			json_object_put(f);
			f = NULL;
		}
		emit(o, timed(o, f, to, UINT64_MAX));
	}
}

/* --- the document ------------------------------------------------------- */

static json_object *other_data(const struct out *o, const struct sw_model *m)
{
	json_object *d = json_object_new_object();
	char *cmd = sw__export_command(m);
	char *summary = sw_locks_summary(o->l);
	char *head = sw__export_headline(o->l);
	char origin[32];
	snprintf(origin, sizeof(origin), "%" PRIu64, o->origin);
	bool ok = d && cmd && summary && head &&
		  sw_json_put(d, "tool", json_object_new_string("syswatch " SW_VERSION)) &&
		  sw_json_put(d, "command", sw_json_str(cmd)) &&
		  sw_json_put(d, "origin_monotonic_ns", json_object_new_string(origin)) &&
		  sw_json_put(d, "locks_summary", sw_json_str(summary)) &&
		  sw_json_put(d, "most_contended_lock", sw_json_str(head));
	free(cmd);
	free(summary);
	free(head);
	if (!ok) {
		json_object_put(d);
		return NULL;
	}
	return d;
}

int sw_export_chrome(FILE *f, const struct sw_locks *l, const struct sw_model *m)
{
	const struct sw_evtrace *tr = l->tr;
	struct out o = {.f = f, .l = l, .origin = sw__export_origin(tr)};
	uint32_t *holds = sw__export_holds_by_thread(l);
	if (l->nholds && !holds)
		return -ENOMEM;
	json_object *od = other_data(&o, m);
	if (!od) {
		free(holds);
		return -ENOMEM;
	}
	const char *ods = json_object_to_json_string_ext(
		od, JSON_C_TO_STRING_PLAIN | JSON_C_TO_STRING_NOSLASHESCAPE);
	if (!ods)
		o.err = -ENOMEM;
	else if (fprintf(f, "{\"displayTimeUnit\":\"ns\",\"otherData\":%s,\"traceEvents\":[",
			 ods) < 0)
		o.err = -EIO;
	json_object_put(od);

	for (size_t p = 0; p < tr->nprocs && !o.err; p++) {
		const struct sw_evproc *pr = &tr->procs[p];
		char pname[128];
		snprintf(pname, sizeof(pname), "%s", pr->command);
		meta(&o, "process_name", pr->pid, 0, "name", sw_json_str(pname));
		meta(&o, "process_sort_index", pr->pid, 0, "sort_index",
		     json_object_new_int((int)p));
		for (size_t k = 0; k < pr->nthreads && !o.err; k++) {
			uint32_t t = pr->threads[k];
			const struct sw_evthread *th = &tr->threads[t];
			meta(&o, "thread_name", th->pid, th->tid, "name",
			     sw_json_str(th->name[0] ? th->name : pr->command));
			meta(&o, "thread_sort_index", th->pid, th->tid, "sort_index",
			     json_object_new_int((int)(2 * k)));
			thread_slices(&o, t);
			size_t at = first_hold(l, holds, t);
			thread_holds(&o, t, holds, &at, (int)(2 * k + 1));
		}
	}
	flows(&o);
	if (!o.err && fputs("\n]}\n", f) < 0)
		o.err = -EIO;
	free(holds);
	return o.err;
}
