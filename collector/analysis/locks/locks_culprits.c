/*
 * locks_culprits.c - the summary's material: totals over all waits (lock
 * contention apart from condition waits), and the threads others waited
 * for most, over all locks together, with what they did meanwhile.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "locks_int.h"

struct scratch {
	uint32_t *threads;     /* waiters, for counting distinct ones */
	struct sw_span *spans; /* intervals, for unions */
	size_t spans_cap;
	struct sw__explainer x;
};

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int spans_room(struct scratch *t, size_t n)
{
	return sw__spans_room(&t->spans, &t->spans_cap, n);
}

/* Totals over all waits, lock contention apart from condition waits. */
static void totals(struct sw_locks *l, struct scratch *t)
{
	struct sw_locks_totals *to = &l->totals;
	for (int cond = 0; cond < 2; cond++) {
		size_t n = 0;
		for (size_t i = 0; i < l->nwaits; i++) {
			const struct sw_wait *w = &l->waits[i];
			if ((l->prims[w->prim].kind == SW_PRIM_COND) != cond)
				continue;
			t->threads[n] = w->thread;
			t->spans[n++] = (struct sw_span){w->start, w->end};
			if (cond) {
				to->cond_wait_ns += w->end - w->start;
				continue;
			}
			to->wait_ns += w->end - w->start;
			if (w->status == SW_WAIT_INCOMPLETE) {
				to->incomplete++;
				to->incomplete_ns += w->end - w->start;
			}
		}
		qsort(t->threads, n, sizeof(*t->threads), by_u32);
		uint64_t waiters = 0;
		for (size_t i = 0; i < n; i++)
			waiters += i == 0 || t->threads[i] != t->threads[i - 1];
		uint64_t wall = sw__span_union(t->spans, n, NULL);
		if (cond) {
			to->cond_waits = n;
			to->cond_waiters = waiters;
			to->cond_wall_ns = wall;
		} else {
			to->waits = n;
			to->waiters = waiters;
			to->wall_ns = wall;
		}
	}
	for (size_t e = 0; e < l->nreport; e++) {
		const struct sw_lockrep *r = &l->report[e];
		if (r->kind == SW_PRIM_COND) {
			to->ncond++;
			continue;
		}
		to->nlocks++;
		to->attributed_ns += r->attributed_ns;
		to->blamed_ns += r->blamed_ns;
		to->latency_ns += r->latency_ns;
	}
	uint64_t accounted = to->attributed_ns + to->incomplete_ns;
	to->unattributed_ns = to->wait_ns > accounted ? to->wait_ns - accounted : 0;
}

struct modsum {
	uint32_t thread;
	const char *module, *module_name;
	uint64_t ns;
};

static int by_thread_module(const void *a, const void *b)
{
	const struct modsum *x = a, *y = b;
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	return x->module < y->module ? -1 : x->module > y->module;
}

static int culprit_desc(const void *a, const void *b)
{
	const struct sw_culprit *x = a, *y = b;
	if (x->attributed_ns != y->attributed_ns)
		return x->attributed_ns > y->attributed_ns ? -1 : 1;
	return x->thread < y->thread ? -1 : x->thread > y->thread;
}

/* The threads others waited for, over all locks but condition variables:
 * what they were attributed, which module most, what they did in all
 * their holds together. */
static int culprits(struct sw_locks *l, struct scratch *t)
{
	size_t nb = 0, nm = 0, cap = 0;
	for (size_t e = 0; e < l->nreport; e++)
		if (l->report[e].kind != SW_PRIM_COND)
			nb += l->report[e].nblk;
	struct modsum *ms = malloc((nb ? nb : 1) * sizeof(*ms));
	if (!ms)
		return -ENOMEM;
	for (size_t e = 0; e < l->nreport; e++) {
		const struct sw_lockrep *r = &l->report[e];
		if (r->kind == SW_PRIM_COND)
			continue;
		for (uint32_t k = 0; k < r->nblk; k++) {
			const struct sw_blocker *b = &l->report_blk[r->blk0 + k];
			ms[nm++] = (struct modsum){b->thread, b->module, b->module_name,
						   b->attributed_ns};
		}
	}
	qsort(ms, nm, sizeof(*ms), by_thread_module);
	for (size_t i = 0; i < nm;) {
		struct sw_culprit c = {.thread = ms[i].thread};
		uint64_t best = 0;
		for (; i < nm && ms[i].thread == c.thread;) {
			const char *mod = ms[i].module;
			uint64_t ns = 0;
			const char *name = ms[i].module_name;
			for (; i < nm && ms[i].thread == c.thread && ms[i].module == mod; i++)
				ns += ms[i].ns;
			c.attributed_ns += ns;
			if (mod) {
				c.nmodules++;
				if (ns > best) {
					best = ns;
					c.module = mod;
					c.module_name = name;
					c.module_ns = ns;
				}
			}
		}
		/* Its windows over all locks together: the holding ones (its
		 * holds, as far as others waited through them), then all. */
		size_t merged = 0;
		for (int after = 0; after < 2; after++) {
			for (size_t e = 0; e < l->nreport; e++) {
				const struct sw_lockrep *r = &l->report[e];
				if (r->kind == SW_PRIM_COND)
					continue;
				for (uint32_t k = 0; k < r->nblk; k++) {
					const struct sw_blocker *b = &l->report_blk[r->blk0 + k];
					if (b->thread != c.thread || b->after_release != after ||
					    !b->nspan)
						continue;
					if (spans_room(t, merged + b->nspan) < 0)
						goto nomem;
					memcpy(t->spans + merged, l->report_spans + b->span0,
					       b->nspan * sizeof(*t->spans));
					merged += b->nspan;
				}
			}
			if (!after)
				c.hold_ns = sw__span_union(t->spans, merged, &merged);
		}
		c.window_ns = sw__span_union(t->spans, merged, &merged);
		struct sw__explained ex;
		if (sw__locks_spans(l, &t->x, c.thread, t->spans, merged, &ex) < 0)
			goto nomem;
		c.complete = ex.complete;
		c.outside_ns = ex.outside_ns;
		c.act0 = ex.act0;
		c.nact = ex.nact;
		c.file0 = ex.file0;
		c.nfile = ex.nfile;
		if (l->nculprits == cap) {
			cap = cap ? cap * 2 : 16;
			struct sw_culprit *v = realloc(l->culprits, cap * sizeof(*v));
			if (!v)
				goto nomem;
			l->culprits = v;
		}
		l->culprits[l->nculprits++] = c;
	}
	if (l->nculprits)
		qsort(l->culprits, l->nculprits, sizeof(*l->culprits), culprit_desc);
	free(ms);
	return 0;
nomem:
	free(ms);
	return -ENOMEM;
}


int sw__locks_totals(struct sw_locks *l)
{
	struct scratch t = {0};
	t.x = (struct sw__explainer){
		.act = &l->report_act, .nact = &l->nreport_act,
		.file = &l->report_files, .nfile = &l->nreport_files,
	};
	int rc = -ENOMEM;
	t.threads = malloc((l->nwaits ? l->nwaits : 1) * sizeof(*t.threads));
	if (t.threads && spans_room(&t, l->nwaits + 1) == 0 &&
	    sw__explainer_init(&t.x) == 0) {
		totals(l, &t);
		rc = culprits(l, &t);
	}
	sw__explainer_free(&t.x);
	free(t.threads);
	free(t.spans);
	return rc;
}
