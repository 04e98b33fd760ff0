/*
 * locks.c - lock events (classified by locks_classify.c) keyed: primitive
 * generations, the blocked waits and the releases (see locks.h), and the
 * analysis driver.
 */
#include "locks.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

const char *sw_prim_kind_name(enum sw_prim_kind k)
{
	static const char *const names[SW_PRIM_NKINDS] = {
		[SW_PRIM_MUTEX] = "mutex", [SW_PRIM_RWLOCK] = "rwlock",
		[SW_PRIM_COND] = "cond",   [SW_PRIM_SEM] = "sem",
		[SW_PRIM_THREAD] = "thread", [SW_PRIM_FUTEX] = "futex",
	};
	return (unsigned)k < SW_PRIM_NKINDS ? names[k] : "?";
}

const char *sw_wait_status_text(enum sw_wait_status s)
{
	switch (s) {
	case SW_WAIT_ATTRIBUTED: return "attributed";
	case SW_WAIT_TIMEDOUT: return "timed out";
	case SW_WAIT_INTERRUPTED: return "interrupted";
	case SW_WAIT_FAILED: return "failed";
	case SW_WAIT_UNATTRIBUTED: return "unattributed";
	case SW_WAIT_INCOMPLETE: return "incomplete";
	}
	return "?";
}

const char *sw_wait_why_text(enum sw_wait_why w)
{
	switch (w) {
	case SW_WHY_NONE: return "";
	case SW_WHY_NO_RELEASE:
		return "no release by another thread was recorded during the wait";
	case SW_WHY_JOIN:
		return "a join waits for a thread's exit, which leaves no release event";
	case SW_WHY_HOLE:
		return "events were dropped during the wait";
	case SW_WHY_THREADS_LOST:
		return "some threads of the process were not traced";
	case SW_WHY_DEPENDS:
		return "it was relayed or chained through a wait with dropped events";
	case SW_WHY_CYCLE:
		return "its relays or chains loop (corrupt trace?)";
	}
	return "?";
}

/* --- keying ------------------------------------------------------------- */

struct ref {
	int32_t pid;
	uint32_t epoch;
	uint64_t addr;
	uint64_t start;
	uint32_t thread, ev;
	unsigned char op, kind;
};

static int by_key_time(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->epoch != y->epoch)
		return x->epoch < y->epoch ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	if (x->addr != y->addr)
		return x->addr < y->addr ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	return x->ev < y->ev ? -1 : x->ev > y->ev;
}

static bool same_key(const struct ref *x, const struct ref *y)
{
	return x->pid == y->pid && x->epoch == y->epoch && x->kind == y->kind &&
	       x->addr == y->addr;
}

static enum sw_wait_status status_of(const struct sw_ev *e)
{
	if (!(e->flags & SW_EVF_FAILED) || e->err == EOWNERDEAD)
		return SW_WAIT_ATTRIBUTED; /* acquired (owner died: still ours) */
	if (e->err == ETIMEDOUT)
		return SW_WAIT_TIMEDOUT;
	if (e->err == EINTR)
		return SW_WAIT_INTERRUPTED;
	return SW_WAIT_FAILED;
}

static int collect_refs(const struct sw_evtrace *tr, struct ref **out, size_t *n)
{
	size_t cap = 0, cnt = 0;
	struct ref *v = NULL;
	for (size_t t = 0; t < tr->nthreads; t++) {
		const struct sw_evthread *th = &tr->threads[t];
		for (size_t i = 0; i < th->nev; i++) {
			const struct sw_ev *e = &th->ev[i];
			if (e->row != tr->row_futex)
				continue;
			struct sw_lockcls c = sw_lock_classify(e);
			if (c.op == SW_LOP_NONE)
				continue;
			if (cnt == cap) {
				cap = cap ? cap * 2 : 1024;
				struct ref *w = realloc(v, cap * sizeof(*w));
				if (!w) {
					free(v);
					return -ENOMEM;
				}
				v = w;
			}
			v[cnt++] = (struct ref){th->pid, th->epoch, e->addr, e->start,
						(uint32_t)t, (uint32_t)i,
						(unsigned char)c.op,
						(unsigned char)c.kind};
		}
	}
	if (cnt)
		qsort(v, cnt, sizeof(*v), by_key_time);
	*out = v;
	*n = cnt;
	return 0;
}

static int by_thread_start(const void *a, const void *b, void *arg)
{
	const struct sw_locks *l = arg;
	const struct sw_wait *x = &l->waits[*(const uint32_t *)a];
	const struct sw_wait *y = &l->waits[*(const uint32_t *)b];
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Per thread, its waits by start (for relays and chains). */
static int index_thread_waits(struct sw_locks *l)
{
	size_t nt = l->tr->nthreads;
	l->thread_waits = malloc((l->nwaits ? l->nwaits : 1) * sizeof(uint32_t));
	l->thread_wait0 = calloc(nt + 1, sizeof(uint32_t));
	if (!l->thread_waits || !l->thread_wait0)
		return -ENOMEM;
	for (size_t i = 0; i < l->nwaits; i++)
		l->thread_waits[i] = (uint32_t)i;
	qsort_r(l->thread_waits, l->nwaits, sizeof(uint32_t), by_thread_start, l);
	for (size_t i = 0; i < l->nwaits; i++)
		l->thread_wait0[l->waits[i].thread + 1]++;
	for (size_t t = 0; t < nt; t++)
		l->thread_wait0[t + 1] += l->thread_wait0[t];
	return 0;
}

/* Parking semaphores: initialised by a thread that alone waits on them. */
static void mark_parking(struct sw_locks *l)
{
	for (size_t p = 0; p < l->nprims; p++) {
		struct sw_prim *pr = &l->prims[p];
		if (pr->kind != SW_PRIM_SEM || !pr->born_init ||
		    pr->born_by == SW_NONE || pr->nwaits == 0)
			continue;
		bool own = true;
		for (uint32_t k = 0; k < pr->nwaits && own; k++)
			own = l->waits[pr->wait0 + k].thread == pr->born_by;
		pr->parking = own;
	}
}

static int grow(void **v, size_t *cap, size_t need, size_t size)
{
	if (need <= *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 256;
	while (c < need)
		c *= 2;
	void *w = realloc(*v, c * size);
	if (!w)
		return -ENOMEM;
	*v = w;
	*cap = c;
	return 0;
}

int sw__locks_build(struct sw_locks *l)
{
	struct ref *refs;
	size_t n, prims_cap = 0, waits_cap = 0, rels_cap = 0;
	if (collect_refs(l->tr, &refs, &n) < 0)
		return -ENOMEM;
	int rc = 0;
	uint32_t gen = 0, born_by = SW_NONE, cur = SW_NONE;
	uint64_t born = 0;
	bool born_init = false;
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct ref *r = &refs[i];
		if (i == 0 || !same_key(r, &refs[i - 1])) {
			gen = 0;
			born = 0;
			born_by = cur = SW_NONE;
			born_init = false;
		}
		if (r->op == SW_LOP_INIT || r->op == SW_LOP_DESTROY) {
			gen++;
			born = r->start;
			born_by = r->thread;
			born_init = r->op == SW_LOP_INIT;
			cur = SW_NONE;
			continue;
		}
		if (cur == SW_NONE) {
			if ((rc = grow((void **)&l->prims, &prims_cap, l->nprims + 1,
				       sizeof(*l->prims))) < 0)
				break;
			cur = (uint32_t)l->nprims++;
			l->prims[cur] = (struct sw_prim){
				.pid = r->pid, .epoch = r->epoch, .addr = r->addr,
				.gen = gen, .kind = (enum sw_prim_kind)r->kind,
				.born = born, .born_by = born_by,
				.born_init = born_init,
				.wait0 = (uint32_t)l->nwaits, .rel0 = (uint32_t)l->nrels,
			};
		}
		const struct sw_ev *e = &l->tr->threads[r->thread].ev[r->ev];
		if (r->op == SW_LOP_REL) {
			if ((rc = grow((void **)&l->rels, &rels_cap, l->nrels + 1,
				       sizeof(*l->rels))) < 0)
				break;
			l->rels[l->nrels++] = (struct sw_release){
				.thread = r->thread, .ev = r->ev, .prim = cur,
				.t = e->start, .relay_of = SW_NONE, .hold = SW_NONE,
			};
			l->prims[cur].nrels++;
		} else {
			if ((rc = grow((void **)&l->waits, &waits_cap, l->nwaits + 1,
				       sizeof(*l->waits))) < 0)
				break;
			l->waits[l->nwaits++] = (struct sw_wait){
				.thread = r->thread, .ev = r->ev, .prim = cur,
				.start = e->start, .end = e->end,
				.status = status_of(e), .why_thread = SW_NONE,
				.waker = SW_NONE, .root = SW_NONE,
			};
			l->prims[cur].nwaits++;
		}
	}
	free(refs);
	if (rc < 0)
		return rc;
	mark_parking(l);
	return index_thread_waits(l);
}

/* --- the driver --------------------------------------------------------- */

int sw_locks_analyse(const struct sw_evtrace *tr, struct sw_locks *l)
{
	memset(l, 0, sizeof(*l));
	l->tr = tr;
	int rc = sw__locks_build(l);
	if (rc == 0)
		rc = sw__locks_attribute(l);
	if (rc == 0)
		rc = sw__locks_explain(l);
	if (rc == 0)
		rc = sw__locks_report(l);
	if (rc < 0)
		sw_locks_free(l);
	return rc;
}

void sw_locks_free(struct sw_locks *l)
{
	free(l->prims);
	free(l->waits);
	free(l->rels);
	free(l->pieces);
	free(l->chain);
	free(l->holds);
	free(l->activity);
	free(l->files);
	free(l->thread_waits);
	free(l->thread_wait0);
	free(l->report);
	free(l->report_blk);
	free(l->report_act);
	free(l->report_files);
	free(l->report_holds);
	free(l->culprits);
	free(l->report_spans);
	free(l->work);
	memset(l, 0, sizeof(*l));
}
