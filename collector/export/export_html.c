/*
 * export_html.c - the lock timeline as one self-contained HTML page.
 *
 * The page (export_html.tmpl.html, compiled in by embed.cmake) holds the
 * CSS and the script that draws; this file writes the data it draws into
 * the page's <script type="application/json"> element, in place of the
 * marker DATA_MARKER, streaming one bar at a time:
 *
 *   {"v": 1, "title", "tool", "headline", "summary", "origin_ns",
 *    "span_ns", "threads_total", "statuses": [text by status code],
 *    "threads": [[pid, tid, name, blamed_ns, waited_ns, waits]],   (rows)
 *    "holds":   [[row, start, end, lock, module, blamed_ns, latency_ns,
 *                 complete, activity]],
 *    "waits":   [[row, start, end, status, lock, cond, waker_row,
 *                 wake_t, root_row, root_t, hold]],
 *    "calls":   [[row, start, end, name, file, result, errno, class]],
 *    "dropped": {"waits", "conds", "holds", "calls"}}
 *
 * Times are ns from the trace's origin; rows index "threads"; -1 means
 * none; "hold" indexes "holds" (the hold the wait's root release ended).
 * The rows are the threads that held or waited, holders first (most
 * waited-for on top), then waiters by their first wait.
 *
 * The page must stay light enough to draw: it carries the longest
 * MAX_WAITS lock waits, MAX_CONDS condition waits, MAX_HOLDS holds and, of
 * each holder, the CALLS_PER_HOLDER longest calls inside its holds, and
 * says how many it left out.
 *
 * Everything written into the script element is JSON from json-c with '/'
 * escaped, and every '<' written as \u003c: no "</script" or "<!--" can
 * end it early, whatever a path contains.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "export.h"
#include "json_util.h"
#include "locks_report.h"

#ifndef SW_VERSION
#define SW_VERSION "0.0.0"
#endif

#define DATA_MARKER "@SW_DATA@"
#define MAX_WAITS 20000
#define MAX_CONDS 3000
#define MAX_HOLDS 20000
#define CALLS_PER_HOLDER 400
#define MAX_CALLS 40000

/* The page, generated from export_html.tmpl.html at build time. */
extern const unsigned char sw__export_html_tmpl[];
extern const size_t sw__export_html_tmpl_len;

struct page {
	FILE *f;
	const struct sw_locks *l;
	uint64_t origin;
	int err;             /* first error: -ENOMEM or -EIO */
	int32_t *row;        /* per thread: its row, or -1 */
	uint32_t *rows;      /* row → thread */
	uint32_t nrows;
	uint32_t *waits;     /* lock waits carried */
	size_t nwaits;
	uint32_t *conds;     /* condition waits carried */
	size_t nconds;
	size_t nholds;       /* holds carried: holds[0 .. nholds) */
	uint32_t *holds_by_thread;
};

static void fail(struct page *p, int err)
{
	if (!p->err)
		p->err = err;
}

static void put_raw(struct page *p, const char *s, size_t n)
{
	if (!p->err && n && fwrite(s, 1, n, p->f) != n)
		fail(p, -EIO);
}

static void put_str(struct page *p, const char *s)
{
	put_raw(p, s, strlen(s));
}

/* Write o (taken) as JSON safe inside a script element. */
static void put_json(struct page *p, json_object *o)
{
	if (!o) {
		fail(p, -ENOMEM);
		return;
	}
	const char *s = json_object_to_json_string_ext(o, JSON_C_TO_STRING_PLAIN);
	if (!s)
		fail(p, -ENOMEM);
	while (s && *s && !p->err) {
		size_t n = strcspn(s, "<");
		put_raw(p, s, n);
		s += n;
		if (*s == '<') {
			put_str(p, "\\u003c");
			s++;
		}
	}
	json_object_put(o);
}

/* ,"key":value */
static void put_field(struct page *p, const char *key, json_object *val)
{
	put_str(p, ",\"");
	put_str(p, key);
	put_str(p, "\":");
	put_json(p, val);
}

static json_object *rel(const struct page *p, uint64_t ns)
{
	return json_object_new_int64(ns > p->origin ? (int64_t)(ns - p->origin) : 0);
}

static json_object *str_or_null(const char *s)
{
	return s ? sw_json_str(s) : NULL;
}

/* Append to a tuple; json-c's null is a NULL value, so a NULL is allowed
 * where nullable says so (a failed constructor is caught by *ok only
 * where it is not). */
static void tup(json_object *a, json_object *v, bool nullable, bool *ok)
{
	if (!*ok)
		json_object_put(v);
	else if (!v && !nullable)
		*ok = false;
	else if (json_object_array_add(a, v) != 0) {
		json_object_put(v);
		*ok = false;
	}
}

/* Put the tuple a (taken) as the next array element. */
static void put_elem(struct page *p, json_object *a, bool ok, bool *first)
{
	if (!ok) {
		json_object_put(a);
		fail(p, -ENOMEM);
		return;
	}
	if (!*first)
		put_str(p, ",\n");
	*first = false;
	put_json(p, a);
}

/* --- what to carry -------------------------------------------------------- */

static int longer_wait(const void *a, const void *b, void *arg)
{
	const struct sw_locks *l = arg;
	const struct sw_wait *x = &l->waits[*(const uint32_t *)a];
	const struct sw_wait *y = &l->waits[*(const uint32_t *)b];
	uint64_t dx = x->end - x->start, dy = y->end - y->start;
	return dx != dy ? (dx > dy ? -1 : 1) : (x->start < y->start ? -1 : x->start > y->start);
}

/* The waits to carry: lock waits (cond false) or condition waits, the
 * longest `max` of them. */
static int pick_waits(struct page *p, bool cond, size_t max, uint32_t **out, size_t *n)
{
	const struct sw_locks *l = p->l;
	*n = 0;
	*out = malloc((l->nwaits ? l->nwaits : 1) * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	for (size_t i = 0; i < l->nwaits; i++)
		if ((l->prims[l->waits[i].prim].kind == SW_PRIM_COND) == cond)
			(*out)[(*n)++] = (uint32_t)i;
	if (*n > max) {
		qsort_r(*out, *n, sizeof(**out), longer_wait, (void *)l);
		*n = max;
	}
	return 0;
}

struct rowkey {
	uint32_t thread;
	uint32_t proc;
	int group;     /* 0: held something others waited for; 1: only waited */
	uint64_t key;  /* group 0: blamed ns (descending); 1: first wait */
};

static int rowkey_cmp(const void *a, const void *b)
{
	const struct rowkey *x = a, *y = b;
	if (x->proc != y->proc)
		return x->proc < y->proc ? -1 : 1;
	if (x->group != y->group)
		return x->group - y->group;
	if (x->key != y->key)
		return (x->key < y->key) == (x->group == 1) ? -1 : 1;
	return x->thread < y->thread ? -1 : x->thread > y->thread;
}

/* Rows: the threads with a hold or a carried wait, ordered (see top). */
static int pick_rows(struct page *p)
{
	const struct sw_locks *l = p->l;
	size_t nt = l->tr->nthreads;
	struct rowkey *k = calloc(nt ? nt : 1, sizeof(*k));
	bool *used = calloc(nt ? nt : 1, sizeof(*used));
	p->row = malloc((nt ? nt : 1) * sizeof(*p->row));
	p->rows = malloc((nt ? nt : 1) * sizeof(*p->rows));
	if (!k || !used || !p->row || !p->rows) {
		free(k);
		free(used);
		return -ENOMEM;
	}
	for (size_t t = 0; t < nt; t++) {
		k[t] = (struct rowkey){.thread = (uint32_t)t, .proc = l->tr->threads[t].proc,
				       .group = 1, .key = UINT64_MAX};
	}
	for (size_t h = 0; h < p->nholds; h++) {
		struct rowkey *r = &k[l->holds[h].thread];
		if (r->group == 1)
			r->key = 0;
		r->group = 0;
		r->key += l->holds[h].blamed_ns;
		used[l->holds[h].thread] = true;
	}
	for (int pass = 0; pass < 2; pass++) {
		const uint32_t *w = pass ? p->conds : p->waits;
		size_t n = pass ? p->nconds : p->nwaits;
		for (size_t i = 0; i < n; i++) {
			const struct sw_wait *x = &l->waits[w[i]];
			struct rowkey *r = &k[x->thread];
			if (r->group == 1 && x->start < r->key)
				r->key = x->start;
			used[x->thread] = true;
		}
	}
	size_t n = 0;
	for (size_t t = 0; t < nt; t++)
		if (used[t])
			k[n++] = k[t];
	qsort(k, n, sizeof(*k), rowkey_cmp);
	for (size_t t = 0; t < nt; t++)
		p->row[t] = -1;
	for (size_t i = 0; i < n; i++) {
		p->row[k[i].thread] = (int32_t)i;
		p->rows[i] = k[i].thread;
	}
	p->nrows = (uint32_t)n;
	free(k);
	free(used);
	return 0;
}

/* --- the sections --------------------------------------------------------- */

static void put_threads(struct page *p)
{
	const struct sw_locks *l = p->l;
	uint64_t *waited = calloc(p->nrows ? p->nrows : 1, sizeof(*waited));
	uint64_t *blamed = calloc(p->nrows ? p->nrows : 1, sizeof(*blamed));
	uint32_t *nw = calloc(p->nrows ? p->nrows : 1, sizeof(*nw));
	if (!waited || !blamed || !nw) {
		fail(p, -ENOMEM);
		goto out;
	}
	for (size_t i = 0; i < p->nwaits; i++) {
		const struct sw_wait *w = &l->waits[p->waits[i]];
		waited[p->row[w->thread]] += w->end - w->start;
		nw[p->row[w->thread]]++;
	}
	for (size_t h = 0; h < p->nholds; h++)
		blamed[p->row[l->holds[h].thread]] += l->holds[h].blamed_ns;
	put_str(p, ",\"threads\":[");
	bool first = true;
	for (uint32_t r = 0; r < p->nrows && !p->err; r++) {
		const struct sw_evthread *th = &l->tr->threads[p->rows[r]];
		const char *name = th->name[0] ? th->name : l->tr->procs[th->proc].command;
		json_object *a = json_object_new_array();
		bool ok = a != NULL;
		tup(a, json_object_new_int(th->pid), false, &ok);
		tup(a, json_object_new_int(th->tid), false, &ok);
		tup(a, sw_json_str(name), false, &ok);
		tup(a, json_object_new_uint64(blamed[r]), false, &ok);
		tup(a, json_object_new_uint64(waited[r]), false, &ok);
		tup(a, json_object_new_uint64(nw[r]), false, &ok);
		put_elem(p, a, ok, &first);
	}
	put_str(p, "]");
out:
	free(waited);
	free(blamed);
	free(nw);
}

/* The top lines of a hold's activity, "read 21.2 ms (2 calls) on /x". */
static char *activity_text(const struct sw_locks *l, const struct sw_hold *h)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return NULL;
	for (uint32_t i = 0; i < h->nact && i < 4; i++) {
		const struct sw_activity *a = &l->activity[h->act0 + i];
		fprintf(m, "%s%s %.3f ms (%" PRIu64 " call%s)%s%s", i ? "\n" : "",
			sw_evtrace_row_name(l->tr, a->row), (double)a->ns / 1e6, a->calls,
			a->calls == 1 ? "" : "s", a->top_file ? " on " : "",
			a->top_file ? a->top_file : "");
	}
	fprintf(m, "%s%s %.3f ms", h->nact ? "\n" : "", SW_OUTSIDE_CALLS,
		(double)h->outside_ns / 1e6);
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void put_holds(struct page *p)
{
	const struct sw_locks *l = p->l;
	put_str(p, ",\"holds\":[");
	bool first = true;
	for (size_t i = 0; i < p->nholds && !p->err; i++) {
		const struct sw_hold *h = &l->holds[i];
		char lock[64];
		sw__export_prim_name(lock, sizeof(lock), &l->prims[h->prim]);
		char *act = activity_text(l, h);
		json_object *a = json_object_new_array();
		bool ok = a != NULL && act != NULL;
		tup(a, json_object_new_int(p->row[h->thread]), false, &ok);
		tup(a, rel(p, h->start), false, &ok);
		tup(a, rel(p, h->end), false, &ok);
		tup(a, json_object_new_string(lock), false, &ok);
		tup(a, str_or_null(h->module_name ? h->module_name : h->module), true, &ok);
		tup(a, json_object_new_uint64(h->blamed_ns), false, &ok);
		tup(a, json_object_new_uint64(h->latency_ns), false, &ok);
		tup(a, json_object_new_boolean(h->complete), false, &ok);
		tup(a, act ? sw_json_str(act) : NULL, false, &ok);
		free(act);
		put_elem(p, a, ok, &first);
	}
	put_str(p, "]");
}

static void put_wait(struct page *p, const struct sw_wait *w, bool cond, bool *first)
{
	const struct sw_locks *l = p->l;
	char lock[64];
	sw__export_prim_name(lock, sizeof(lock), &l->prims[w->prim]);
	int32_t waker_row = -1, root_row = -1;
	int64_t wake_t = -1, root_t = -1, hold = -1;
	if (w->waker != SW_NONE) {
		const struct sw_release *r = &l->rels[w->waker];
		waker_row = p->row[r->thread];
		wake_t = r->t > p->origin ? (int64_t)(r->t - p->origin) : 0;
	}
	if (w->root != SW_NONE) {
		const struct sw_release *r = &l->rels[w->root];
		root_row = p->row[r->thread];
		root_t = r->t > p->origin ? (int64_t)(r->t - p->origin) : 0;
		if (r->hold != SW_NONE && r->hold < p->nholds)
			hold = r->hold;
	}
	json_object *a = json_object_new_array();
	bool ok = a != NULL;
	tup(a, json_object_new_int(p->row[w->thread]), false, &ok);
	tup(a, rel(p, w->start), false, &ok);
	tup(a, rel(p, w->end), false, &ok);
	tup(a, json_object_new_int((int)w->status), false, &ok);
	tup(a, json_object_new_string(lock), false, &ok);
	tup(a, json_object_new_int(cond), false, &ok);
	tup(a, json_object_new_int(waker_row), false, &ok);
	tup(a, json_object_new_int64(wake_t), false, &ok);
	tup(a, json_object_new_int(root_row), false, &ok);
	tup(a, json_object_new_int64(root_t), false, &ok);
	tup(a, json_object_new_int64(hold), false, &ok);
	put_elem(p, a, ok, first);
}

static void put_waits(struct page *p)
{
	put_str(p, ",\"waits\":[");
	bool first = true;
	for (size_t i = 0; i < p->nwaits && !p->err; i++)
		put_wait(p, &p->l->waits[p->waits[i]], false, &first);
	for (size_t i = 0; i < p->nconds && !p->err; i++)
		put_wait(p, &p->l->waits[p->conds[i]], true, &first);
	put_str(p, "]");
}

static int longer_call(const void *a, const void *b, void *arg)
{
	const struct sw_evthread *th = arg;
	const struct sw_ev *x = &th->ev[*(const uint32_t *)a];
	const struct sw_ev *y = &th->ev[*(const uint32_t *)b];
	uint64_t dx = x->end - x->start, dy = y->end - y->start;
	return dx != dy ? (dx > dy ? -1 : 1) : (x->start < y->start ? -1 : x->start > y->start);
}

/* The longest calls of thread t inside its holds (ix[h0 .. h1), by start):
 * their event indices in *out, at most CALLS_PER_HOLDER. */
static int hold_calls(struct page *p, uint32_t t, size_t h0, size_t h1, uint32_t **out,
		      size_t *n)
{
	const struct sw_locks *l = p->l;
	const struct sw_evthread *th = &l->tr->threads[t];
	size_t cap = 64;
	*n = 0;
	*out = malloc(cap * sizeof(**out));
	if (!*out)
		return -ENOMEM;
	size_t h = h0;
	uint64_t to = 0; /* end of the merged windows so far */
	for (size_t i = 0; i < th->nev; i++) {
		const struct sw_ev *ev = &th->ev[i];
		/* windows that started before this call, merged */
		while (h < h1 && l->holds[p->holds_by_thread[h]].start < ev->end) {
			const struct sw_hold *x = &l->holds[p->holds_by_thread[h++]];
			if (x->end > to)
				to = x->end;
		}
		if (ev->start >= to || ev->row == l->tr->row_futex || ev->end == ev->start)
			continue;
		if (*n == cap) {
			uint32_t *v = realloc(*out, 2 * cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			*out = v;
			cap *= 2;
		}
		(*out)[(*n)++] = (uint32_t)i;
	}
	/* A call that ends before the first window it overlaps started is
	 * not in it: holds start at the first wait, not at a call boundary. */
	size_t k = 0;
	for (size_t i = 0; i < *n; i++) {
		const struct sw_ev *ev = &th->ev[(*out)[i]];
		if (ev->end > l->holds[p->holds_by_thread[h0]].start)
			(*out)[k++] = (*out)[i];
	}
	*n = k;
	if (*n > CALLS_PER_HOLDER) {
		qsort_r(*out, *n, sizeof(**out), longer_call, (void *)th);
		*n = CALLS_PER_HOLDER;
	}
	return 0;
}

static void put_calls(struct page *p, size_t *dropped)
{
	const struct sw_locks *l = p->l;
	put_str(p, ",\"calls\":[");
	bool first = true;
	size_t total = 0;
	for (size_t h0 = 0; h0 < l->nholds && !p->err;) {
		uint32_t t = l->holds[p->holds_by_thread[h0]].thread;
		size_t h1 = h0;
		while (h1 < l->nholds && l->holds[p->holds_by_thread[h1]].thread == t)
			h1++;
		uint32_t *ev = NULL;
		size_t n = 0;
		if (hold_calls(p, t, h0, h1, &ev, &n) < 0)
			fail(p, -ENOMEM);
		const struct sw_evthread *th = &l->tr->threads[t];
		for (size_t i = 0; i < n && !p->err && p->row[t] >= 0; i++) {
			if (total == MAX_CALLS) {
				(*dropped)++;
				continue;
			}
			const struct sw_ev *e = &th->ev[ev[i]];
			const char *file = e->file ? e->file : e->path;
			const char *err = (e->flags & SW_EVF_FAILED) ? strerrorname_np((int)e->err)
								     : NULL;
			json_object *a = json_object_new_array();
			bool ok = a != NULL;
			tup(a, json_object_new_int(p->row[t]), false, &ok);
			tup(a, rel(p, e->start), false, &ok);
			tup(a, rel(p, e->end), false, &ok);
			tup(a, sw_json_str(sw_evtrace_row_name(l->tr, e->row)), false, &ok);
			tup(a, str_or_null(file), true, &ok);
			tup(a, json_object_new_int64(e->result), false, &ok);
			tup(a, str_or_null(err), true, &ok);
			tup(a, json_object_new_string(sw__export_class_name(
				       sw_evtrace_row_class(l->tr, e->row))), false, &ok);
			put_elem(p, a, ok, &first);
			total++;
		}
		free(ev);
		h0 = h1;
	}
	put_str(p, "]");
}

/* --- the page ------------------------------------------------------------- */

static void put_data(struct page *p, const struct sw_model *m)
{
	const struct sw_locks *l = p->l;
	char *cmd = sw__export_command(m);
	char *summary = sw_locks_summary(l);
	char *head = sw__export_headline(l);
	size_t dropped_calls = 0;
	uint64_t span = 0;
	for (size_t t = 0; t < l->tr->nthreads; t++) {
		const struct sw_evthread *th = &l->tr->threads[t];
		uint64_t end = th->nev ? th->ev[th->nev - 1].end : 0;
		if (th->end_ns > end)
			end = th->end_ns;
		if (end > p->origin && end - p->origin > span)
			span = end - p->origin;
	}
	if (!cmd || !summary || !head) {
		fail(p, -ENOMEM);
		goto out;
	}
	json_object *statuses = json_object_new_array();
	bool ok = statuses != NULL;
	for (int s = SW_WAIT_ATTRIBUTED; s <= SW_WAIT_INCOMPLETE; s++)
		tup(statuses, json_object_new_string(sw_wait_status_text(s)), false, &ok);
	if (!ok) {
		json_object_put(statuses);
		statuses = NULL;
	}
	put_str(p, "{\"v\":1");
	put_field(p, "title", sw_json_str(cmd));
	put_field(p, "tool", json_object_new_string("syswatch " SW_VERSION));
	put_field(p, "headline", sw_json_str(head));
	put_field(p, "summary", sw_json_str(summary));
	put_field(p, "origin_ns", json_object_new_uint64(p->origin));
	put_field(p, "span_ns", json_object_new_uint64(span));
	put_field(p, "threads_total", json_object_new_uint64(l->tr->nthreads));
	put_field(p, "statuses", statuses);
	put_threads(p);
	put_holds(p);
	put_waits(p);
	put_calls(p, &dropped_calls);
	size_t lock_waits = 0;
	for (size_t i = 0; i < l->nwaits; i++)
		lock_waits += l->prims[l->waits[i].prim].kind != SW_PRIM_COND;
	json_object *d = json_object_new_object();
	if (d && !(sw_json_put(d, "waits", json_object_new_uint64(lock_waits - p->nwaits)) &&
		   sw_json_put(d, "conds", json_object_new_uint64(l->nwaits - lock_waits -
								   p->nconds)) &&
		   sw_json_put(d, "holds", json_object_new_uint64(l->nholds - p->nholds)) &&
		   sw_json_put(d, "calls", json_object_new_uint64(dropped_calls)))) {
		json_object_put(d);
		d = NULL;
	}
	put_field(p, "dropped", d);
	put_str(p, "}");
out:
	free(cmd);
	free(summary);
	free(head);
}

int sw_export_html(FILE *f, const struct sw_locks *l, const struct sw_model *m)
{
	struct page p = {.f = f, .l = l, .origin = sw__export_origin(l->tr)};
	const char *tmpl = (const char *)sw__export_html_tmpl;
	const char *mark = strstr(tmpl, DATA_MARKER);
	if (!mark)
		return -EINVAL; /* a broken build: the page lost its marker */
	p.nholds = l->nholds < MAX_HOLDS ? l->nholds : MAX_HOLDS;
	p.holds_by_thread = sw__export_holds_by_thread(l);
	if ((l->nholds && !p.holds_by_thread) ||
	    pick_waits(&p, false, MAX_WAITS, &p.waits, &p.nwaits) < 0 ||
	    pick_waits(&p, true, MAX_CONDS, &p.conds, &p.nconds) < 0 || pick_rows(&p) < 0) {
		p.err = -ENOMEM;
		goto out;
	}
	put_raw(&p, tmpl, (size_t)(mark - tmpl));
	put_data(&p, m);
	const char *rest = mark + strlen(DATA_MARKER);
	put_raw(&p, rest, sw__export_html_tmpl_len - (size_t)(rest - tmpl));
out:
	free(p.holds_by_thread);
	free(p.waits);
	free(p.conds);
	free(p.row);
	free(p.rows);
	return p.err;
}
