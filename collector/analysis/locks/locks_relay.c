/*
 * locks_relay.c - two questions the attribution asks (locks_attr.c):
 * is a stretch of a process's streams complete (no dropped events), and
 * is a release a relay (locks.h, "Relays")?
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "locks_int.h"

/* --- holes --------------------------------------------------------------- */

static int by_from(const void *a, const void *b)
{
	const struct sw_span *x = a, *y = b;
	return x->from < y->from ? -1 : x->from > y->from;
}

int sw__holes_build(const struct sw_evtrace *tr, struct sw__holeset **out, size_t *nout)
{
	struct sw__holeset *sets = calloc(tr->nprocs ? tr->nprocs : 1, sizeof(*sets));
	if (!sets)
		return -ENOMEM;
	*out = sets;
	*nout = tr->nprocs;
	for (size_t p = 0; p < tr->nprocs; p++) {
		const struct sw_evproc *pr = &tr->procs[p];
		struct sw__holeset *hs = &sets[p];
		size_t n = 0;
		for (size_t k = 0; k < pr->nthreads; k++)
			n += tr->threads[pr->threads[k]].nholes;
		if (n == 0)
			continue;
		/* span.to carries the thread in a parallel array after sorting:
		 * sort (from, to, thread) triples packed in two passes. */
		struct { struct sw_span s; uint32_t t; } *v = malloc(n * sizeof(*v));
		hs->span = malloc(n * sizeof(*hs->span));
		hs->thread = malloc(n * sizeof(*hs->thread));
		hs->max_to = malloc(n * sizeof(*hs->max_to));
		hs->max_thread = malloc(n * sizeof(*hs->max_thread));
		if (!v || !hs->span || !hs->thread || !hs->max_to || !hs->max_thread) {
			free(v);
			return -ENOMEM;
		}
		n = 0;
		for (size_t k = 0; k < pr->nthreads; k++) {
			const struct sw_evthread *th = &tr->threads[pr->threads[k]];
			for (size_t i = 0; i < th->nholes; i++)
				v[n++] = (typeof(*v)){{th->holes[i].from, th->holes[i].to},
						      pr->threads[k]};
		}
		qsort(v, n, sizeof(*v), by_from); /* the span comes first */
		for (size_t i = 0; i < n; i++) {
			hs->span[i] = v[i].s;
			hs->thread[i] = v[i].t;
			bool higher = i == 0 || v[i].s.to > hs->max_to[i - 1];
			hs->max_to[i] = higher ? v[i].s.to : hs->max_to[i - 1];
			hs->max_thread[i] = higher ? v[i].t : hs->max_thread[i - 1];
		}
		hs->n = n;
		free(v);
	}
	return 0;
}

uint32_t sw__hole_over(const struct sw__holeset *hs, uint64_t s, uint64_t e)
{
	size_t lo = 0, hi = hs->n; /* count of spans with from <= e */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (hs->span[mid].from <= e)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || hs->max_to[lo - 1] < s)
		return SW_NONE;
	return hs->max_thread[lo - 1];
}

void sw__holes_free(struct sw__holeset *sets, size_t n)
{
	for (size_t p = 0; sets && p < n; p++) {
		free(sets[p].span);
		free(sets[p].thread);
		free(sets[p].max_to);
		free(sets[p].max_thread);
	}
	free(sets);
}

/* --- relays -------------------------------------------------------------- */

/* The waits index of thread t's wait at event ev, or SW_NONE. */
static uint32_t wait_at(const struct sw_locks *l, uint32_t t, uint32_t ev)
{
	uint32_t lo = l->thread_wait0[t], hi = l->thread_wait0[t + 1];
	uint64_t start = l->tr->threads[t].ev[ev].start;
	while (lo < hi) { /* first wait of t starting at or after start */
		uint32_t mid = lo + (hi - lo) / 2;
		if (l->waits[l->thread_waits[mid]].start < start)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < l->thread_wait0[t + 1]; lo++) {
		uint32_t wi = l->thread_waits[lo];
		if (l->waits[wi].start != start)
			break;
		if (l->waits[wi].ev == ev)
			return wi;
	}
	return SW_NONE;
}

/*
 * Is the releaser's wait `wi` on the same lock as release r? The same
 * primitive generation, or two parking semaphores. Parking semaphores
 * hide the lock they stand for, so one more condition keeps a holder
 * that merely parked on some other lock just before its release (a
 * contended internal lock) from passing for a relay: the lock's queue is
 * FIFO, so whoever a relay wakes queued after the relay did. Every wait
 * on r's semaphore that r may have woken must have started no earlier
 * than wi.
 */
static bool same_lock(const struct sw_locks *l, uint32_t wi, uint32_t r)
{
	uint32_t p = l->waits[wi].prim, q = l->rels[r].prim;
	if (p == q)
		return true;
	if (!l->prims[p].parking || !l->prims[q].parking)
		return false;
	const struct sw_prim *pq = &l->prims[q];
	uint64_t t = l->rels[r].t;
	for (uint32_t k = pq->wait0; k < pq->wait0 + pq->nwaits; k++) {
		const struct sw_wait *x = &l->waits[k];
		if (x->start <= t && t <= x->end &&
		    x->start + SW_RELAY_FIFO_SLACK_NS < l->waits[wi].start)
			return false;
	}
	return true;
}

/*
 * Is release r a relay? Only a semaphore post can be (locks.h says why).
 * Walk the releasing thread's events backwards
 * from the release. Only lock calls (row futex) may come in between;
 * the time between them (outside any call: the thread's own CPU work,
 * or calls syswatch does not see) may add up to SW_RELAY_WORK_NS at most.
 * The walk ends at the thread's last successful acquisition wait on the
 * same lock: a relay. Anything else (another kind of call, too much
 * time, the start of the stream) means the thread did work of its own:
 * not a relay. A hole in the walked stretch leaves it unsure, which
 * makes the waits that depend on it incomplete.
 */
enum sw__relay sw__relay_classify(struct sw_locks *l, uint32_t r)
{
	const struct sw_release *rel = &l->rels[r];
	const struct sw_evthread *th = &l->tr->threads[rel->thread];
	uint64_t covered = rel->t, outside = 0, stop = 0;
	enum sw__relay st = SW__RELAY_NOT;
	if (l->prims[rel->prim].kind != SW_PRIM_SEM)
		return SW__RELAY_NOT; /* an owned lock: its release ends a hold */
	for (uint32_t j = rel->ev; j-- > 0;) {
		const struct sw_ev *e = &th->ev[j];
		stop = e->start;
		if (e->row != l->tr->row_futex)
			break;
		if (covered > e->end)
			outside += covered - e->end;
		if (outside > SW_RELAY_WORK_NS)
			break;
		if (e->start < covered)
			covered = e->start;
		struct sw_lockcls c = sw_lock_classify(e);
		if (c.op != SW_LOP_ACQ || (e->flags & SW_EVF_FAILED))
			continue;
		uint32_t wi = wait_at(l, rel->thread, j);
		if (wi == SW_NONE)
			continue;
		if (same_lock(l, wi, r)) {
			l->rels[r].relay_of = wi;
			stop = e->end;
			st = SW__RELAY_YES;
			break;
		}
		/* The thread's latest parking wait is the one that can make a
		 * parking release a relay: past it, the thread may have held
		 * and waited for anything. */
		if (l->prims[l->waits[wi].prim].parking && l->prims[rel->prim].parking)
			break;
	}
	if (sw_evthread_hole(th, stop, rel->t)) {
		l->rels[r].relay_of = SW_NONE;
		return SW__RELAY_UNSURE;
	}
	return st;
}

