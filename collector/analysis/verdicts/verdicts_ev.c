/*
 * verdicts_ev.c - what the events and the lock analysis (--diagnose) add
 * to the verdicts' evidence: where the slow calls went, which holders
 * the threads waited for, the failed call before the sleeps, the peers,
 * the libraries loaded (see verdicts_int.h). The rules and their
 * thresholds are in verdicts.c; these only look and say.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "locks.h"
#include "syswatch/rows.h"
#include "verdicts_int.h"

/* Where slow calls went: the deepest directory holding this share. */
#define WHERE_SHARE 0.80
#define WHERE_DIRS_MAX 64 /* distinct directories tried */

/* The group of an event's row (rows as the trace declared them). */
static enum sw__grp ev_group(const struct sw__vctx *c, const struct sw_ev *ev)
{
	return ev->row < c->ntgrp ? (enum sw__grp)c->tgrp[ev->row] : SW__G_OTHER;
}

/* --- where the slow calls went ------------------------------------------ */

/* Time by file or by peer. */
struct hit {
	const char *file; /* or peer */
	uint64_t ns;
	uint64_t calls;
};

struct hits {
	struct hit *v;
	size_t n, cap;
};

/* Append a hit of one call; 0 or -ENOMEM. */
static int hits_push(struct hits *h, const char *file, uint64_t ns)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 64;
		struct hit *v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = (struct hit){file, ns, 1};
	return 0;
}

static int by_file(const void *a, const void *b)
{
	return strcmp(((const struct hit *)a)->file, ((const struct hit *)b)->file);
}

/* Time of the hits at or below directory dir (len bytes). */
static uint64_t covered(const struct hit *h, size_t n, const char *dir, size_t len)
{
	uint64_t ns = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(h[i].file, dir, len) == 0 &&
		    (h[i].file[len] == '/' || len == 1))
			ns += h[i].ns;
	return ns;
}

/* The deepest directory that holds WHERE_SHARE of the time of the calls
 * of group g slower than slow_ns, into out; its share in *frac. 0, 1 if
 * no event names a file, -ENOMEM. */
static int where(const struct sw__vctx *c, enum sw__grp g, uint64_t slow_ns, char *out,
		 size_t cap, double *frac)
{
	struct hits hs = {0};
	uint64_t total = 0;
	for (size_t i = 0; i < c->t->nthreads; i++) {
		const struct sw_evthread *th = &c->t->threads[i];
		for (size_t j = 0; j < th->nev; j++) {
			const struct sw_ev *ev = &th->ev[j];
			const char *f = ev->file ? ev->file : ev->path;
			if (ev_group(c, ev) != g || ev->end - ev->start < slow_ns || !f || f[0] != '/')
				continue;
			if (hits_push(&hs, f, ev->end - ev->start) < 0) {
				free(hs.v);
				return -ENOMEM;
			}
			total += ev->end - ev->start;
		}
	}
	struct hit *h = hs.v;
	size_t n = hs.n;
	if (!n) {
		free(h);
		return 1;
	}
	qsort(h, n, sizeof(*h), by_file);
	size_t best = 0, tried = 0;
	uint64_t best_ns = 0;
	const char *prev = NULL;
	size_t prev_len = 0;
	for (size_t i = 0; i < n && tried < WHERE_DIRS_MAX; i++) {
		const char *slash = strrchr(h[i].file, '/');
		size_t len = slash == h[i].file ? 1 : (size_t)(slash - h[i].file);
		if (prev && len == prev_len && strncmp(prev, h[i].file, len) == 0)
			continue; /* same directory as the previous hit */
		prev = h[i].file;
		prev_len = len;
		tried++;
		/* Walk up from this directory until it holds enough. */
		for (;;) {
			uint64_t ns = covered(h, n, h[i].file, len);
			if ((double)ns >= WHERE_SHARE * (double)total) {
				if (len > best) {
					best = len;
					best_ns = ns;
					snprintf(out, cap, "%.*s", (int)len, h[i].file);
				}
				break;
			}
			if (len <= 1)
				break;
			while (len > 1 && h[i].file[len - 1] != '/')
				len--;
			if (len > 1)
				len--; /* drop the slash */
		}
	}
	if (!best) { /* only "/" or nothing holds enough */
		snprintf(out, cap, "/");
		best_ns = total;
	}
	*frac = total ? (double)best_ns / (double)total : 0.0;
	free(h);
	return 0;
}

/* "; 93% of the slow ones under /mnt/x" from the events, if any. */
int sw__say_where(struct sw__ebuf *b, const struct sw__vctx *c, enum sw__grp g, uint64_t slow_ns)
{
	char dir[512];
	double frac = 0.0;
	if (!c->t)
		return 0;
	int rc = where(c, g, slow_ns, dir, sizeof(dir), &frac);
	if (rc < 0)
		return rc;
	if (rc)
		return 0;
	sw__say(b, "; %.0f%% of the time of the calls slower than %s was under %s",
		100.0 * frac, sw__dur(slow_ns).s, dir);
	const struct sw_mount *mt = c->have_mounts ? sw_mounts_find(&c->mounts, dir) : NULL;
	if (mt)
		sw__say(b, ", on the %s mount at %s", mt->fstype, mt->point);
	return 0;
}

/* The share of the read time that went to files (not pipes or sockets),
 * from the events; 1 without them. */
double sw__file_reads(const struct sw__vctx *c)
{
	uint64_t all = 0, files = 0;
	if (!c->t)
		return 1.0;
	for (size_t i = 0; i < c->t->nthreads; i++)
		for (size_t j = 0; j < c->t->threads[i].nev; j++) {
			const struct sw_ev *ev = &c->t->threads[i].ev[j];
			if (ev_group(c, ev) != SW__G_READ)
				continue;
			all += ev->end - ev->start;
			if (ev->file && ev->file[0] == '/')
				files += ev->end - ev->start;
		}
	return all ? (double)files / (double)all : 1.0;
}

/* --- the lock holders --------------------------------------------------- */

/* What a holder's window was made of, by kind (enum sw__hold_kind). */
static void holder_mix(const struct sw_locks *l, const struct sw_activity *act, uint32_t nact,
		       uint64_t outside_ns, uint64_t ns[SW__HK_N])
{
	memset(ns, 0, SW__HK_N * sizeof(*ns));
	ns[SW__HK_CPU] = outside_ns;
	for (uint32_t i = 0; i < nact; i++) {
		int cls = sw_evtrace_row_class(l->tr, act[i].row);
		enum sw__hold_kind k = SW__HK_OTHER;
		if (act[i].row == l->tr->row_sleep)
			k = SW__HK_SLEEP;
		else if (act[i].row == l->tr->row_futex)
			k = SW__HK_LOCK;
		else if (cls == SW_CLASS_FILE || cls == SW_CLASS_DESC)
			k = SW__HK_FILE;
		else if (cls == SW_CLASS_NETWORK)
			k = SW__HK_NET;
		ns[k] += act[i].ns;
	}
}

void sw__holders_mix(const struct sw_locks *l, double frac[SW__HK_N])
{
	double w[SW__HK_N] = {0};
	for (size_t i = 0; i < l->nculprits; i++) {
		const struct sw_culprit *k = &l->culprits[i];
		uint64_t ns[SW__HK_N], all = 0;
		holder_mix(l, l->report_act + k->act0, k->nact, k->outside_ns, ns);
		for (int h = 0; h < SW__HK_N; h++)
			all += ns[h];
		for (int h = 0; all && h < SW__HK_N; h++)
			w[h] += (double)k->attributed_ns * (double)ns[h] / (double)all;
	}
	for (int h = 0; h < SW__HK_N; h++)
		frac[h] = l->totals.wait_ns ? w[h] / (double)l->totals.wait_ns : 0.0;
}

/* What the holders' kind of activity amplified, in the verdict's words. */
static const char *const amplified[SW__HK_N] = {
	[SW__HK_FILE] = NULL, /* slow metadata or slow reads: see below */
	[SW__HK_NET] = "network waits",
	[SW__HK_SLEEP] = "sleeps in the holders",
	[SW__HK_CPU] = "computing in the holders (CPU, or calls syswatch does not trace)",
	[SW__HK_LOCK] = "waits of the holders for other locks",
	[SW__HK_OTHER] = "other calls of the holders",
};

/* The first culprit's figures: threads, waits, what it did holding, and
 * what the holders did overall (mix: sw__holders_mix). */
void sw__say_holders(struct sw__ebuf *b, const struct sw__vctx *c, const double mix[SW__HK_N])
{
	const struct sw_locks *l = c->l;
	const struct sw_locks_totals *t = &l->totals;
	const struct sw_culprit *k = &l->culprits[0];
	const struct sw_activity *act = l->report_act + k->act0;
	uint64_t ns[SW__HK_N];
	holder_mix(l, act, k->nact, k->outside_ns, ns);
	int top = 0;
	for (int h = 1; h < SW__HK_N; h++)
		if (mix[h] > mix[top])
			top = h;
	double held = t->wait_ns ? (double)t->attributed_ns / (double)t->wait_ns : 0.0;
	sw__say(b, "%" PRIu64 " threads waited %s in total (%s wall) on %" PRIu64
		   " contended locks; %.0f%% of the waiting is attributed to lock holders, "
		   "%.0f%% to holders doing I/O. Thread %" PRId32 " alone was waited for %s",
		t->waiters, sw__dur(t->wait_ns).s, sw__dur(t->wall_ns).s, t->nlocks,
		100.0 * held, 100.0 * (mix[SW__HK_FILE] + mix[SW__HK_NET]),
		l->tr->threads[k->thread].tid, sw__dur(k->attributed_ns).s);
	if (k->module)
		sw__say(b, " (loading %s)", k->module_name ? k->module_name : k->module);
	sw__say(b, "; in its %s of holds it spent", sw__dur(k->hold_ns).s);
	/* Its calls by time, whatever they were, then the time outside calls. */
	int shown = 0;
	for (uint32_t i = 0; i < k->nact && shown < 2; i++, shown++) {
		sw__say(b, "%s %s in %" PRIu64 " `%s`", shown ? "," : "", sw__dur(act[i].ns).s,
			act[i].calls, sw_evtrace_row_name(l->tr, act[i].row));
		if (act[i].top_file)
			sw__say(b, " (slowest on %s)", act[i].top_file);
	}
	if (k->outside_ns)
		sw__say(b, "%s %s outside calls", shown ? "," : "", sw__dur(k->outside_ns).s);
	bool meta = c->g[SW__G_META].total_ns >= c->g[SW__G_READ].total_ns;
	sw__say(b, ", %s in file calls in all: lock amplification of %s (--locks=full "
		   "for every holder)", sw__dur(ns[SW__HK_FILE]).s,
		top == SW__HK_FILE ? (meta ? "slow metadata" : "slow reads") : amplified[top]);
}

/* --- libraries, sleeps, peers ------------------------------------------- */

/* The slowest dlopen()s by name, from the events. */
void sw__say_libs(struct sw__ebuf *b, const struct sw__vctx *c)
{
	const struct sw_ev *top[3] = {NULL, NULL, NULL};
	for (size_t i = 0; c->t && i < c->t->nthreads; i++)
		for (size_t j = 0; j < c->t->threads[i].nev; j++) {
			const struct sw_ev *ev = &c->t->threads[i].ev[j];
			if (ev_group(c, ev) != SW__G_DLOPEN || !ev->path)
				continue;
			for (int k = 0; k < 3; k++)
				if (!top[k] || ev->end - ev->start > top[k]->end - top[k]->start) {
					memmove(top + k + 1, top + k, (size_t)(2 - k) * sizeof(*top));
					top[k] = ev;
					break;
				}
		}
	for (int k = 0; k < 3 && top[k]; k++) {
		const char *base = strrchr(top[k]->path, '/');
		sw__say(b, "%s%s %s", k ? ", " : "; slowest: ", base ? base + 1 : top[k]->path,
			sw__dur(top[k]->end - top[k]->start).s);
	}
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* From the events: the sleeps' median, the failed call before them, and
 * whether they grew (backoff). */
int sw__say_sleeps(struct sw__ebuf *b, const struct sw__vctx *c)
{
	size_t n = 0, after_fail = 0, grew = 0, shrank = 0;
	uint64_t *d = malloc((c->g[SW__G_SLEEP].calls + 1) * sizeof(*d));
	const struct sw_ev *fail = NULL;
	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < c->t->nthreads; i++) {
		const struct sw_evthread *th = &c->t->threads[i];
		const struct sw_ev *prev_sleep = NULL, *failed = NULL;
		for (size_t j = 0; j < th->nev; j++) {
			const struct sw_ev *ev = &th->ev[j];
			if (ev_group(c, ev) != SW__G_SLEEP) {
				if (ev->flags & SW_EVF_FAILED)
					failed = ev; /* since the last sleep */
				continue;
			}
			uint64_t len = ev->end - ev->start;
			if (n <= c->g[SW__G_SLEEP].calls)
				d[n++] = len;
			if (failed) {
				after_fail++;
				fail = failed;
			}
			if (prev_sleep) {
				/* 1.5 times the previous one or more: growing;
				 * under two thirds of it: not a backoff. */
				uint64_t pl = prev_sleep->end - prev_sleep->start;
				grew += len * 2 >= pl * 3;
				shrank += len * 3 < pl * 2;
			}
			prev_sleep = ev;
			failed = NULL;
		}
	}
	if (n) {
		qsort(d, n, sizeof(*d), by_u64);
		sw__say(b, "; the median sleep was %s", sw__dur(d[n / 2]).s);
	}
	bool retry = fail && after_fail * 2 >= n;
	if (retry) {
		const char *e = strerrorname_np((int)fail->err);
		sw__say(b, "; %zu of %zu sleeps came after a failed call (the last: `%s`",
			after_fail, n, sw_evtrace_row_name(c->t, fail->row));
		if (fail->peer)
			sw__say(b, " to %s", fail->peer);
		sw__say(b, ", %s): a retry loop", e ? e : "error");
	}
	if (n >= 3 && grew >= 2 && !shrank)
		sw__say(b, "%s with a growing backoff, from %s to %s", retry ? "" : "; sleeps",
			sw__dur(d[0]).s, sw__dur(d[n - 1]).s);
	free(d);
	return 0;
}

/* From the events: the peers the network time went to, most first (at
 * most 2). */
int sw__say_peers(struct sw__ebuf *b, const struct sw__vctx *c)
{
	struct hits hs = {0};
	for (size_t i = 0; i < c->t->nthreads; i++)
		for (size_t j = 0; j < c->t->threads[i].nev; j++) {
			const struct sw_ev *ev = &c->t->threads[i].ev[j];
			if (ev_group(c, ev) != SW__G_NET || !ev->peer)
				continue;
			size_t k = 0;
			while (k < hs.n && strcmp(hs.v[k].file, ev->peer) != 0)
				k++;
			if (k < hs.n) {
				hs.v[k].ns += ev->end - ev->start;
				hs.v[k].calls++;
			} else if (hits_push(&hs, ev->peer, ev->end - ev->start) < 0) {
				free(hs.v);
				return -ENOMEM;
			}
		}
	struct hit *p = hs.v;
	for (int shown = 0; shown < 2 && hs.n; shown++) {
		size_t top = 0;
		for (size_t k = 1; k < hs.n; k++)
			if (p[k].ns > p[top].ns)
				top = k;
		sw__say(b, "%s %s (%" PRIu64 " calls, %s, %s each)", shown ? "," : "; by peer:",
			p[top].file, p[top].calls, sw__dur(p[top].ns).s,
			sw__dur(p[top].ns / p[top].calls).s);
		p[top] = p[--hs.n];
	}
	free(p);
	return 0;
}
