/*
 * locks_attr.c - who each blocked wait waited for (the rules are stated
 * in locks.h; this file is where they are implemented and argued).
 *
 * Waits are attributed in order of their end. Everything a wait depends
 * on ended no later than it did: a relay's own wait ended before the
 * relay's release, which lies inside the wait; a chained holder's wait
 * ended before that holder's release, which lies inside the wait too.
 * So the dependencies are done by the time a wait is reached, and the
 * recursion that remains (for equal end times) stays shallow.
 *
 * While a wait is being attributed its pieces name releases, not holds;
 * holds are created when the wait is committed, so a wait that turns out
 * incomplete half-way leaves nothing behind.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "locks_int.h"

enum { TODO, BUSY, DONE };

/* A piece under construction: rel and chain are release indices. */
struct tpiece {
	uint64_t from, to;
	enum sw_piece_kind kind;
	uint32_t rel;                   /* blamed release (HOLD), root (LATENCY) */
	uint32_t chain[SW_CHAIN_MAX];   /* releases of the holds passed through */
	uint32_t nchain;
};

struct tbuf {
	struct tpiece *v;
	size_t n, cap;
};

struct work {
	unsigned char *state;  /* per wait */
	unsigned char *relay;  /* per release: enum sw__relay */
	struct sw__holeset *holes; /* per process */
	size_t nprocs;
};

/* Failure of one wait's attribution (not an error of the program). */
enum verdict { V_OK, V_DEPENDS, V_CYCLE };

static int attribute(struct sw_locks *l, struct work *w, uint32_t wi);

/* --- pieces -------------------------------------------------------------- */

static int emit(struct tbuf *b, uint64_t from, uint64_t to, enum sw_piece_kind k,
		uint32_t rel, const uint32_t *chain, uint32_t nchain)
{
	if (to <= from)
		return 0;
	if (b->n == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;
		struct tpiece *v = realloc(b->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		b->v = v;
		b->cap = cap;
	}
	struct tpiece *p = &b->v[b->n++];
	p->from = from;
	p->to = to;
	p->kind = k;
	p->rel = rel;
	p->nchain = nchain;
	if (nchain)
		memcpy(p->chain, chain, nchain * sizeof(*chain));
	return 0;
}

static uint32_t hold_of(struct sw_locks *l, uint32_t rel)
{
	struct sw_release *r = &l->rels[rel];
	if (r->hold != SW_NONE)
		return r->hold;
	if (l->nholds == l->holds_cap) {
		size_t cap = l->holds_cap ? l->holds_cap * 2 : 256;
		struct sw_hold *v = realloc(l->holds, cap * sizeof(*v));
		if (!v)
			return SW_NONE;
		l->holds = v;
		l->holds_cap = cap;
	}
	struct sw_hold *h = &l->holds[l->nholds];
	memset(h, 0, sizeof(*h));
	h->thread = r->thread;
	h->prim = r->prim;
	h->rel = rel;
	h->start = UINT64_MAX;
	h->end = r->t;
	r->hold = (uint32_t)l->nholds++;
	return r->hold;
}

static bool same_piece(const struct sw_piece *a, const struct tpiece *b,
		       uint32_t hold, const struct sw_locks *l)
{
	if (a->kind != b->kind || a->hold != hold || a->nchain != b->nchain ||
	    a->to != b->from)
		return false;
	for (uint32_t i = 0; i < b->nchain; i++)
		if (l->holds[l->chain[a->chain0 + i]].rel != b->chain[i])
			return false;
	return true;
}

/* Store the wait's pieces (merging neighbours that say the same thing),
 * turning releases into holds. */
static int commit(struct sw_locks *l, struct sw_wait *wt, const struct tbuf *b)
{
	wt->piece0 = (uint32_t)l->npieces;
	wt->npieces = 0;
	for (size_t i = 0; i < b->n; i++) {
		const struct tpiece *t = &b->v[i];
		uint32_t hold = t->rel == SW_NONE ? SW_NONE : hold_of(l, t->rel);
		if (t->rel != SW_NONE && hold == SW_NONE)
			return -ENOMEM;
		if (wt->npieces && same_piece(&l->pieces[l->npieces - 1], t, hold, l)) {
			l->pieces[l->npieces - 1].to = t->to;
			continue;
		}
		if (l->npieces == l->pieces_cap) {
			size_t cap = l->pieces_cap ? l->pieces_cap * 2 : 1024;
			struct sw_piece *v = realloc(l->pieces, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			l->pieces = v;
			l->pieces_cap = cap;
		}
		if (l->nchain + t->nchain > l->chain_cap) {
			size_t cap = l->chain_cap ? l->chain_cap * 2 : 256;
			while (cap < l->nchain + t->nchain)
				cap *= 2;
			uint32_t *v = realloc(l->chain, cap * sizeof(*v));
			if (!v)
				return -ENOMEM;
			l->chain = v;
			l->chain_cap = cap;
		}
		struct sw_piece *p = &l->pieces[l->npieces++];
		*p = (struct sw_piece){t->from, t->to, t->kind, hold,
				       (uint32_t)l->nchain, t->nchain};
		for (uint32_t k = 0; k < t->nchain; k++) {
			uint32_t h = hold_of(l, t->chain[k]);
			if (h == SW_NONE)
				return -ENOMEM;
			l->chain[l->nchain++] = h;
		}
		wt->npieces++;
	}
	for (uint32_t i = 0; i < wt->npieces; i++) {
		const struct sw_piece *p = &l->pieces[wt->piece0 + i];
		uint64_t d = p->to - p->from;
		if (p->kind == SW_PIECE_HOLD)
			wt->blamed_ns += d;
		else if (p->kind == SW_PIECE_LATENCY || p->kind == SW_PIECE_RELAY)
			wt->latency_ns += d;
		else
			wt->unknown_ns += d;
	}
	return 0;
}

static enum sw__relay relay_state(struct sw_locks *l, struct work *w, uint32_t r)
{
	if (w->relay[r] == SW__RELAY_UNKNOWN_YET)
		w->relay[r] = (unsigned char)sw__relay_classify(l, r);
	return (enum sw__relay)w->relay[r];
}

/* --- blame -------------------------------------------------------------- */

/* Is wait wi one a chain may pass through: a blocked acquisition (not a
 * condition wait) on another primitive than `held`? */
static bool chains_through(const struct sw_locks *l, uint32_t wi, uint32_t held)
{
	const struct sw_wait *x = &l->waits[wi];
	return l->prims[x->prim].kind != SW_PRIM_COND && x->prim != held;
}

/*
 * Blame [a, b] on the holder of release r (reached through chain). Where
 * that holder was itself blocked in an acquisition wait inside [a, b],
 * the blame for that stretch follows its wait's own pieces: hold pieces
 * move on (the holder joins the chain), latency and unknown stretches,
 * and waits that were not attributed (timed out, no release), stay with
 * the holder, who did hold the lock then.
 */
static enum verdict blame(struct sw_locks *l, struct work *w, struct tbuf *b,
			  uint64_t a, uint64_t bend, uint32_t r,
			  const uint32_t *chain, uint32_t nchain, int *err)
{
	const struct sw_release *rel = &l->rels[r];
	uint32_t x = rel->thread;
	uint64_t cur = a;
	if (nchain + 1 < SW_CHAIN_MAX) {
		/* x's waits do not overlap: sorted by start, so by end too */
		uint32_t lo = l->thread_wait0[x], hi = l->thread_wait0[x + 1];
		for (uint32_t n = hi - lo; n > 0;) {
			uint32_t half = n / 2;
			if (l->waits[l->thread_waits[lo + half]].end <= a) {
				lo += half + 1;
				n -= half + 1;
			} else {
				n = half;
			}
		}
		for (uint32_t k = lo; k < hi; k++) {
			uint32_t wi = l->thread_waits[k];
			const struct sw_wait *xw = &l->waits[wi];
			if (xw->end <= cur)
				continue;
			if (xw->start >= bend)
				break;
			if (!chains_through(l, wi, rel->prim))
				continue;
			uint64_t oa = xw->start > cur ? xw->start : cur;
			uint64_t ob = xw->end < bend ? xw->end : bend;
			if (oa >= ob)
				continue;
			if (w->state[wi] == BUSY)
				return V_CYCLE;
			if ((*err = attribute(l, w, wi)) < 0)
				return V_OK;
			xw = &l->waits[wi];
			if (xw->status == SW_WAIT_INCOMPLETE)
				return V_DEPENDS;
			if ((*err = emit(b, cur, oa, SW_PIECE_HOLD, r, chain, nchain)) < 0)
				return V_OK;
			cur = oa;
			if (xw->status == SW_WAIT_ATTRIBUTED) {
				uint32_t ch[SW_CHAIN_MAX];
				for (uint32_t i = 0; i < xw->npieces; i++) {
					const struct sw_piece *p = &l->pieces[xw->piece0 + i];
					uint64_t pa = p->from > oa ? p->from : oa;
					uint64_t pb = p->to < ob ? p->to : ob;
					if (pa >= pb)
						continue;
					uint32_t n = nchain + 1 + p->nchain;
					if (p->kind != SW_PIECE_HOLD || n > SW_CHAIN_MAX) {
						*err = emit(b, pa, pb, SW_PIECE_HOLD, r, chain, nchain);
					} else {
						for (uint32_t c = 0; c < nchain; c++)
							ch[c] = chain[c];
						ch[nchain] = r;
						for (uint32_t c = 0; c < p->nchain; c++)
							ch[nchain + 1 + c] =
								l->holds[l->chain[p->chain0 + c]].rel;
						*err = emit(b, pa, pb, SW_PIECE_HOLD,
							    l->holds[p->hold].rel, ch, n);
					}
					if (*err < 0)
						return V_OK;
				}
			}
			/* An attributed wait's pieces cover all of it; any other
			 * (timed out, no release) stays with the holder. */
			if (xw->status != SW_WAIT_ATTRIBUTED &&
			    (*err = emit(b, cur, ob, SW_PIECE_HOLD, r, chain, nchain)) < 0)
				return V_OK;
			cur = ob;
		}
	}
	*err = emit(b, cur, bend, SW_PIECE_HOLD, r, chain, nchain);
	return V_OK;
}

/* The first release of prim p stamped at or after t. */
static uint32_t first_rel_at(const struct sw_locks *l, const struct sw_prim *p,
			     uint64_t t)
{
	uint32_t lo = p->rel0, hi = p->rel0 + p->nrels;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (l->rels[mid].t < t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The segments of a lock wait (see locks.h, "Matching" and "Relays"). */
static enum verdict segments(struct sw_locks *l, struct work *w, uint32_t wi,
			     struct tbuf *b, int *err)
{
	const struct sw_prim *p = &l->prims[l->waits[wi].prim];
	uint64_t s = l->waits[wi].start, e = l->waits[wi].end, prev = s;
	uint32_t me = l->waits[wi].thread, last_root = SW_NONE;
	for (uint32_t r = first_rel_at(l, p, s); r < p->rel0 + p->nrels; r++) {
		const struct sw_release *rel = &l->rels[r];
		if (rel->t > e)
			break;
		if (rel->thread == me)
			continue;
		enum sw__relay rs = relay_state(l, w, r);
		if (rs == SW__RELAY_UNSURE)
			return V_DEPENDS;
		if (rs == SW__RELAY_NOT) {
			enum verdict v = blame(l, w, b, prev, rel->t, r, NULL, 0, err);
			if (v != V_OK || *err < 0)
				return v;
			last_root = r;
		} else {
			uint32_t via = l->rels[r].relay_of;
			if (w->state[via] == BUSY)
				return V_CYCLE;
			if ((*err = attribute(l, w, via)) < 0)
				return V_OK;
			const struct sw_wait *vw = &l->waits[via];
			if (vw->status == SW_WAIT_INCOMPLETE)
				return V_DEPENDS;
			uint32_t root = vw->status == SW_WAIT_ATTRIBUTED ? vw->root : SW_NONE;
			if (root == SW_NONE) {
				*err = emit(b, prev, rel->t, SW_PIECE_UNKNOWN, SW_NONE, NULL, 0);
			} else {
				uint64_t tr = l->rels[root].t;
				if (tr > prev) {
					uint64_t to = tr < rel->t ? tr : rel->t;
					enum verdict v = blame(l, w, b, prev, to, root,
							       NULL, 0, err);
					if (v != V_OK || *err < 0)
						return v;
				}
				*err = emit(b, tr > prev ? tr : prev, rel->t,
					    SW_PIECE_RELAY, root, NULL, 0);
			}
			if (*err < 0)
				return V_OK;
			last_root = root;
		}
		prev = rel->t; /* releases come in stamp order */
		l->waits[wi].waker = r;
	}
	if (l->waits[wi].waker == SW_NONE)
		return V_OK; /* the caller sees no waker */
	*err = emit(b, prev, e, SW_PIECE_LATENCY, last_root, NULL, 0);
	l->waits[wi].root = last_root;
	return V_OK;
}

/* A condition wait: its waker (the latest signal or broadcast by another
 * thread inside it) gets [s, r], the rest is latency. */
static void cond_wait(struct sw_locks *l, uint32_t wi, struct tbuf *b, int *err)
{
	struct sw_wait *wt = &l->waits[wi];
	const struct sw_prim *p = &l->prims[wt->prim];
	uint32_t waker = SW_NONE;
	for (uint32_t r = first_rel_at(l, p, wt->start); r < p->rel0 + p->nrels; r++) {
		if (l->rels[r].t > wt->end)
			break;
		if (l->rels[r].thread != wt->thread)
			waker = r;
	}
	if (waker == SW_NONE)
		return;
	wt->waker = wt->root = waker;
	if ((*err = emit(b, wt->start, l->rels[waker].t, SW_PIECE_HOLD, waker,
			 NULL, 0)) == 0)
		*err = emit(b, l->rels[waker].t, wt->end, SW_PIECE_LATENCY, waker,
			    NULL, 0);
}

static void incomplete(struct sw_wait *wt, enum sw_wait_why why, uint32_t thread)
{
	wt->status = SW_WAIT_INCOMPLETE;
	wt->why = why;
	wt->why_thread = thread;
	wt->waker = wt->root = SW_NONE;
}

static int attribute(struct sw_locks *l, struct work *w, uint32_t wi)
{
	if (w->state[wi] != TODO)
		return 0;
	w->state[wi] = BUSY;
	struct sw_wait *wt = &l->waits[wi];
	const struct sw_prim *p = &l->prims[wt->prim];
	const struct sw_evthread *th = &l->tr->threads[wt->thread];
	const struct sw_evproc *pr = &l->tr->procs[th->proc];
	struct tbuf b = {NULL, 0, 0};
	int err = 0;
	uint32_t hole;

	if (wt->status != SW_WAIT_ATTRIBUTED) {
		/* timed out, interrupted, failed: reported, not attributed */
	} else if (pr->threads_lost) {
		incomplete(wt, SW_WHY_THREADS_LOST, SW_NONE);
	} else if ((hole = sw__hole_over(&w->holes[th->proc], wt->start, wt->end)) !=
		   SW_NONE) {
		incomplete(wt, SW_WHY_HOLE, hole);
	} else if (p->kind == SW_PRIM_THREAD) {
		wt->status = SW_WAIT_UNATTRIBUTED;
		wt->why = SW_WHY_JOIN;
	} else {
		enum verdict v = V_OK;
		if (p->kind == SW_PRIM_COND)
			cond_wait(l, wi, &b, &err);
		else
			v = segments(l, w, wi, &b, &err);
		wt = &l->waits[wi];
		if (err < 0)
			goto out;
		if (v != V_OK) {
			incomplete(wt, v == V_CYCLE ? SW_WHY_CYCLE : SW_WHY_DEPENDS, SW_NONE);
		} else if (wt->waker == SW_NONE) {
			wt->status = SW_WAIT_UNATTRIBUTED;
			wt->why = SW_WHY_NO_RELEASE;
		} else {
			err = commit(l, wt, &b);
		}
	}
out:
	free(b.v);
	w->state[wi] = DONE;
	return err;
}

static int by_end(const void *a, const void *b, void *arg)
{
	const struct sw_wait *v = arg;
	const struct sw_wait *x = &v[*(const uint32_t *)a], *y = &v[*(const uint32_t *)b];
	if (x->end != y->end)
		return x->end < y->end ? -1 : 1;
	return x->start < y->start ? -1 : x->start > y->start;
}

/* Hold windows and totals from the committed pieces. */
static void total_holds(struct sw_locks *l)
{
	for (size_t i = 0; i < l->nwaits; i++) {
		const struct sw_wait *wt = &l->waits[i];
		for (uint32_t k = 0; k < wt->npieces; k++) {
			const struct sw_piece *p = &l->pieces[wt->piece0 + k];
			if (p->hold == SW_NONE)
				continue;
			struct sw_hold *h = &l->holds[p->hold];
			if (p->kind == SW_PIECE_LATENCY || p->kind == SW_PIECE_RELAY) {
				for (uint32_t j = 0; j < wt->npieces; j++) {
					const struct sw_piece *q = &l->pieces[wt->piece0 + j];
					if (q->kind == SW_PIECE_HOLD && q->hold == p->hold &&
					    q->nchain == 0) {
						h->latency_ns += p->to - p->from;
						break;
					}
				}
				continue;
			}
			h->blamed_ns += p->to - p->from;
			if (p->from < h->start)
				h->start = p->from;
			for (uint32_t c = 0; c < p->nchain; c++) {
				struct sw_hold *ch = &l->holds[l->chain[p->chain0 + c]];
				if (p->from < ch->start)
					ch->start = p->from;
			}
		}
	}
	for (size_t i = 0; i < l->nholds; i++)
		if (l->holds[i].start > l->holds[i].end)
			l->holds[i].start = l->holds[i].end; /* latency only */
}

int sw__locks_attribute(struct sw_locks *l)
{
	struct work w = {0};
	uint32_t *order = malloc((l->nwaits ? l->nwaits : 1) * sizeof(*order));
	w.state = calloc(l->nwaits ? l->nwaits : 1, 1);
	w.relay = calloc(l->nrels ? l->nrels : 1, 1);
	int rc = -ENOMEM;
	if (!order || !w.state || !w.relay || sw__holes_build(l->tr, &w.holes, &w.nprocs) < 0)
		goto out;
	for (size_t i = 0; i < l->nwaits; i++)
		order[i] = (uint32_t)i;
	qsort_r(order, l->nwaits, sizeof(*order), by_end, l->waits);
	rc = 0;
	for (size_t i = 0; i < l->nwaits && rc == 0; i++)
		rc = attribute(l, &w, order[i]);
	if (rc == 0)
		total_holds(l);
out:
	sw__holes_free(w.holes, w.nprocs);
	free(w.state);
	free(w.relay);
	free(order);
	return rc;
}
