/*
 * locks_view.c - the per-lock view the reports print (struct sw_lockrep):
 * each contended primitive generation with its waits, waiters, summed
 * and wall wait, and its blockers, ranked by total wait.
 *
 * The parking semaphores of a process (thread-private, one per waiting
 * thread: CPython 3.13's parking lot) are one entry: listed one by one
 * they would be as many one-waiter "locks" as there were waits, and their
 * addresses (on the waiters' stacks) mean nothing to the reader.
 *
 * A blocker is one thread (and module) that waits on the lock were
 * blamed on, directly or at the end of a chain; its hold time and
 * activity are over the union of its holds' windows, each counted once
 * however many threads waited.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "locks_int.h"

struct hb {
	uint32_t blk;  /* local blocker index */
	uint32_t hold;
};

struct bspan {
	uint32_t blk;
	struct sw_span s;
};

struct tmp {
	uint32_t *threads;     /* waiters, for counting distinct ones */
	struct sw_span *spans; /* intervals, for unions */
	size_t spans_cap;
	struct hb *hb;
	size_t nhb, hb_cap;
	struct bspan *lat;     /* latency stretches by local blocker */
	size_t nlat, lat_cap;
	size_t holds_cap;      /* of l->report_holds */
	size_t kept_cap;       /* of l->report_spans */
	struct sw__explainer x;
};

static int by_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static int by_hb(const void *a, const void *b)
{
	const struct hb *x = a, *y = b;
	if (x->blk != y->blk)
		return x->blk < y->blk ? -1 : 1;
	return x->hold < y->hold ? -1 : x->hold > y->hold;
}

/* The blocker (thread, module, via, after) of the entry whose blockers
 * start at blk0, created if new; SW_NONE if out of memory. */
static uint32_t blocker(struct sw_locks *l, size_t *cap, uint32_t blk0,
			uint32_t thread, const struct sw_hold *h, uint32_t via, bool after)
{
	for (size_t i = blk0; i < l->nreport_blk; i++) {
		const struct sw_blocker *b = &l->report_blk[i];
		if (b->thread == thread && b->via == via && b->module == h->module &&
		    b->after_release == after)
			return (uint32_t)(i - blk0);
	}
	if (l->nreport_blk == *cap) {
		size_t c = *cap ? *cap * 2 : 64;
		struct sw_blocker *v = realloc(l->report_blk, c * sizeof(*v));
		if (!v)
			return SW_NONE;
		l->report_blk = v;
		*cap = c;
	}
	struct sw_blocker *b = &l->report_blk[l->nreport_blk++];
	memset(b, 0, sizeof(*b));
	b->thread = thread;
	b->module = h->module;
	b->module_name = h->module_name;
	b->via = via;
	b->after_release = after;
	return (uint32_t)(l->nreport_blk - 1 - blk0);
}

static int note_hold(struct tmp *t, uint32_t blk, uint32_t hold)
{
	if (t->nhb == t->hb_cap) {
		size_t c = t->hb_cap ? t->hb_cap * 2 : 256;
		struct hb *v = realloc(t->hb, c * sizeof(*v));
		if (!v)
			return -ENOMEM;
		t->hb = v;
		t->hb_cap = c;
	}
	t->hb[t->nhb++] = (struct hb){blk, hold};
	return 0;
}

static int note_span(struct tmp *t, uint32_t blk, uint64_t from, uint64_t to)
{
	if (t->nlat == t->lat_cap) {
		size_t c = t->lat_cap ? t->lat_cap * 2 : 256;
		struct bspan *v = realloc(t->lat, c * sizeof(*v));
		if (!v)
			return -ENOMEM;
		t->lat = v;
		t->lat_cap = c;
	}
	t->lat[t->nlat++] = (struct bspan){blk, {from, to}};
	return 0;
}

static int by_bspan(const void *a, const void *b)
{
	const struct bspan *x = a, *y = b;
	if (x->blk != y->blk)
		return x->blk < y->blk ? -1 : 1;
	return x->s.from < y->s.from ? -1 : x->s.from > y->s.from;
}

/* Room for n spans in t->spans. */
static int spans_room(struct tmp *t, size_t n)
{
	return sw__spans_room(&t->spans, &t->spans_cap, n);
}

/* Keep the merged spans a blocker was explained over. */
static int keep_spans(struct sw_locks *l, struct tmp *t, const struct sw_span *v,
		      size_t n, uint32_t *span0, uint32_t *nspan)
{
	if (l->nreport_spans + n > t->kept_cap) {
		size_t c = t->kept_cap ? t->kept_cap : 256;
		while (c < l->nreport_spans + n)
			c *= 2;
		struct sw_span *w = realloc(l->report_spans, c * sizeof(*w));
		if (!w)
			return -ENOMEM;
		l->report_spans = w;
		t->kept_cap = c;
	}
	struct sw_span *w = l->report_spans;
	memcpy(w + l->nreport_spans, v, n * sizeof(*v));
	*span0 = (uint32_t)l->nreport_spans;
	*nspan = (uint32_t)n;
	l->nreport_spans += n;
	return 0;
}

static void count_status(struct sw_lockrep *r, const struct sw_wait *w,
			 unsigned *why_count)
{
	uint64_t d = w->end - w->start;
	switch (w->status) {
	case SW_WAIT_ATTRIBUTED:
		break; /* by piece, in blockers() */
	case SW_WAIT_TIMEDOUT:
		r->timed_out++;
		r->timed_out_ns += d;
		break;
	case SW_WAIT_INTERRUPTED:
		r->interrupted++;
		r->interrupted_ns += d;
		break;
	case SW_WAIT_FAILED:
		r->failed++;
		r->failed_ns += d;
		break;
	case SW_WAIT_UNATTRIBUTED:
		r->unattributed++;
		r->unattributed_ns += d;
		why_count[w->why]++;
		break;
	case SW_WAIT_INCOMPLETE:
		r->incomplete++;
		r->incomplete_ns += d;
		break;
	}
}

/* Did the wait blame hold h directly (the latency after h's release is
 * then h's too)? */
static bool blamed_in(const struct sw_locks *l, const struct sw_wait *w, uint32_t h)
{
	for (uint32_t k = 0; k < w->npieces; k++) {
		const struct sw_piece *p = &l->pieces[w->piece0 + k];
		if (p->kind == SW_PIECE_HOLD && p->hold == h && p->nchain == 0)
			return true;
	}
	return false;
}

/*
 * Blockers of entry r from the pieces of its waits `ws`. A hold piece
 * goes to its holder (through its chain); the waiter's own wake-up after
 * the root's release goes with the root's holding entry when the wait
 * blamed that root. The rest after a release, the relays passing the
 * lock on, and the whole of a wait that began only after its root's
 * release (a convoy), goes to a second entry of the root, after_release,
 * whose window is those stretches: what the root did while the relays
 * crawled. Under a GIL they crawl as fast as the thread that keeps the
 * interpreter busy lets them, and that is often the root itself, back
 * at its own work. Each entry's activity then adds up to its hold_ns.
 */
static int blockers(struct sw_locks *l, struct tmp *t, struct sw_lockrep *r,
		    const uint32_t *ws, size_t nw, size_t *blk_cap)
{
	r->blk0 = (uint32_t)l->nreport_blk;
	t->nhb = 0;
	t->nlat = 0;
	for (size_t i = 0; i < nw; i++) {
		const struct sw_wait *w = &l->waits[ws[i]];
		for (uint32_t k = 0; k < w->npieces; k++) {
			const struct sw_piece *p = &l->pieces[w->piece0 + k];
			uint64_t d = p->to - p->from;
			if (p->hold == SW_NONE || p->kind == SW_PIECE_UNKNOWN) {
				r->unknown_ns += d; /* a relay with no root */
				continue;
			}
			const struct sw_hold *h = &l->holds[p->hold];
			bool after = p->kind == SW_PIECE_RELAY ||
				     (p->kind == SW_PIECE_LATENCY && !blamed_in(l, w, p->hold));
			uint32_t via = p->nchain ? l->holds[l->chain[p->chain0]].thread : SW_NONE;
			uint32_t b = blocker(l, blk_cap, r->blk0, h->thread, h, via, after);
			if (b == SW_NONE)
				return -ENOMEM;
			struct sw_blocker *x = &l->report_blk[r->blk0 + b];
			if (p->kind == SW_PIECE_HOLD) {
				x->blamed_ns += d;
				r->blamed_ns += d;
				if (note_hold(t, b, p->hold) < 0 ||
				    note_span(t, b, p->from, p->to) < 0)
					return -ENOMEM;
			} else {
				x->latency_ns += d;
				r->latency_ns += d;
				if (after)
					r->convoy_ns += d;
				if (after && note_span(t, b, p->from, p->to) < 0)
					return -ENOMEM;
			}
			x->attributed_ns += d;
			r->attributed_ns += d;
		}
	}
	r->nblk = (uint32_t)(l->nreport_blk - r->blk0);

	/* Each blocker's window (its holds, once each, or its stretches
	 * after release) and what it did in it. */
	if (t->nhb)
		qsort(t->hb, t->nhb, sizeof(*t->hb), by_hb);
	if (t->nlat)
		qsort(t->lat, t->nlat, sizeof(*t->lat), by_bspan);
	size_t hi = 0, li = 0;
	for (uint32_t bi = 0; bi < r->nblk; bi++) {
		struct sw_blocker *b = &l->report_blk[r->blk0 + bi];
		size_t n = 0;
		b->hold0 = (uint32_t)l->nreport_holds;
		for (size_t h0 = hi; hi < t->nhb && t->hb[hi].blk == bi; hi++) {
			if (hi > h0 && t->hb[hi].hold == t->hb[hi - 1].hold)
				continue;
			if (l->nreport_holds == t->holds_cap) {
				size_t c = t->holds_cap ? t->holds_cap * 2 : 256;
				uint32_t *v = realloc(l->report_holds, c * sizeof(*v));
				if (!v)
					return -ENOMEM;
				l->report_holds = v;
				t->holds_cap = c;
			}
			l->report_holds[l->nreport_holds++] = t->hb[hi].hold;
		}
		b->nhold = (uint32_t)(l->nreport_holds - b->hold0);
		for (; li < t->nlat && t->lat[li].blk == bi; li++) {
			if (spans_room(t, n + 1) < 0)
				return -ENOMEM;
			t->spans[n++] = t->lat[li].s;
		}
		size_t merged;
		b->hold_ns = sw__span_union(t->spans, n, &merged);
		if (keep_spans(l, t, t->spans, merged, &b->span0, &b->nspan) < 0)
			return -ENOMEM;
		struct sw__explained ex;
		if (sw__locks_spans(l, &t->x, b->thread, t->spans, merged, &ex) < 0)
			return -ENOMEM;
		b->complete = ex.complete;
		b->outside_ns = ex.outside_ns;
		b->act0 = ex.act0;
		b->nact = ex.nact;
		b->file0 = ex.file0;
		b->nfile = ex.nfile;
	}
	return 0;
}

static int blk_desc(const void *a, const void *b)
{
	const struct sw_blocker *x = a, *y = b;
	if (x->attributed_ns != y->attributed_ns)
		return x->attributed_ns > y->attributed_ns ? -1 : 1;
	return x->thread < y->thread ? -1 : x->thread > y->thread;
}

static int rep_desc(const void *a, const void *b)
{
	const struct sw_lockrep *x = a, *y = b;
	if (x->wait_ns != y->wait_ns)
		return x->wait_ns > y->wait_ns ? -1 : 1;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	return x->addr < y->addr ? -1 : x->addr > y->addr;
}

/* One entry from its waits. */
static int entry(struct sw_locks *l, struct tmp *t, struct sw_lockrep *r,
		 const uint32_t *ws, size_t nw, size_t *blk_cap)
{
	unsigned why_count[SW_WHY_CYCLE + 1] = {0};
	for (size_t i = 0; i < nw; i++) {
		/* ws[0..nw) was filled by the counting sort in the caller. */
		const struct sw_wait *w = &l->waits[ws[i]]; // NOLINT(clang-analyzer-core.uninitialized.ArraySubscript)
		t->threads[i] = w->thread;
		t->spans[i] = (struct sw_span){w->start, w->end};
		r->wait_ns += w->end - w->start;
		count_status(r, w, why_count);
	}
	r->waits = nw;
	qsort(t->threads, nw, sizeof(*t->threads), by_u32);
	for (size_t i = 0; i < nw; i++)
		r->waiters += i == 0 || t->threads[i] != t->threads[i - 1];
	r->wall_ns = sw__span_union(t->spans, nw, NULL);
	for (int k = 1; k <= SW_WHY_CYCLE; k++)
		if (why_count[k] > why_count[r->unattributed_why])
			r->unattributed_why = (enum sw_wait_why)k;
	if (blockers(l, t, r, ws, nw, blk_cap) < 0)
		return -ENOMEM;
	if (r->nblk)
		qsort(l->report_blk + r->blk0, r->nblk, sizeof(*l->report_blk), blk_desc);
	return 0;
}

int sw__locks_report(struct sw_locks *l)
{
	size_t np = l->nprims, nw = l->nwaits, blk_cap = 0, rep_cap = 0;
	uint32_t *entry_of = malloc((np ? np : 1) * sizeof(*entry_of));
	uint32_t *ws = malloc((nw ? nw : 1) * sizeof(*ws));
	uint32_t *count = NULL, *first = NULL, *park = NULL;
	size_t npark = 0;
	struct tmp t = {0};
	t.x = (struct sw__explainer){
		.act = &l->report_act, .nact = &l->nreport_act,
		.file = &l->report_files, .nfile = &l->nreport_files,
	};
	t.threads = malloc((nw ? nw : 1) * sizeof(*t.threads));
	/* spans: the waits of an entry, or the holds of a blocker */
	t.spans_cap = nw + l->nholds + 1;
	t.spans = malloc(t.spans_cap * sizeof(*t.spans));
	int rc = -ENOMEM;
	if (!entry_of || !ws || !t.threads || !t.spans || sw__explainer_init(&t.x) < 0)
		goto out;

	/* Entries: each prim with waits, the parking ones merged by process. */
	size_t ne = 0;
	for (size_t p = 0; p < np; p++) {
		const struct sw_prim *pr = &l->prims[p];
		entry_of[p] = SW_NONE;
		if (!pr->nwaits)
			continue;
		if (pr->parking) { /* few processes: a linear look is fine */
			for (size_t k = 0; k < npark && entry_of[p] == SW_NONE; k++)
				if (l->report[park[k]].pid == pr->pid &&
				    l->report[park[k]].epoch == pr->epoch)
					entry_of[p] = park[k];
			if (entry_of[p] != SW_NONE) {
				l->report[entry_of[p]].nprims++;
				continue;
			}
			uint32_t *v = realloc(park, (npark + 1) * sizeof(*v));
			if (!v)
				goto out;
			park = v;
			park[npark++] = (uint32_t)ne;
		}
		if (ne == rep_cap) {
			rep_cap = rep_cap ? rep_cap * 2 : 64;
			struct sw_lockrep *v = realloc(l->report, rep_cap * sizeof(*v));
			if (!v)
				goto out;
			l->report = v;
		}
		struct sw_lockrep *v = l->report;
		memset(&v[ne], 0, sizeof(v[ne]));
		v[ne].pid = pr->pid;
		v[ne].epoch = pr->epoch;
		v[ne].kind = pr->kind;
		v[ne].addr = pr->parking ? 0 : pr->addr;
		v[ne].gen = pr->parking ? 0 : pr->gen;
		v[ne].parking = pr->parking;
		v[ne].nprims = 1;
		entry_of[p] = (uint32_t)ne++;
	}
	l->nreport = ne;

	/* The waits of each entry, contiguous. */
	count = calloc(ne + 1, sizeof(*count));
	first = calloc(ne + 1, sizeof(*first));
	if (!count || !first)
		goto out;
	for (size_t i = 0; i < nw; i++)
		count[entry_of[l->waits[i].prim]]++;
	for (size_t e = 0; e < ne; e++)
		first[e + 1] = first[e] + count[e];
	memset(count, 0, (ne + 1) * sizeof(*count));
	for (size_t i = 0; i < nw; i++) {
		uint32_t e = entry_of[l->waits[i].prim];
		ws[first[e] + count[e]++] = (uint32_t)i;
	}
	rc = 0;
	for (size_t e = 0; e < ne && rc == 0; e++)
		rc = entry(l, &t, &l->report[e], ws + first[e], count[e], &blk_cap);
	if (rc == 0)
		if (ne)
			qsort(l->report, ne, sizeof(*l->report), rep_desc);
	if (rc == 0) {
		rc = sw__locks_totals(l);
	}
out:
	sw__explainer_free(&t.x);
	free(t.threads);
	free(t.spans);
	free(t.hb);
	free(t.lat);
	free(entry_of);
	free(ws);
	free(count);
	free(first);
	free(park);
	return rc;
}
