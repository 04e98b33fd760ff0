/*
 * locks_int.h - what the lock analysis files share internally.
 */
#ifndef SW_COLLECTOR_LOCKS_INT_H
#define SW_COLLECTOR_LOCKS_INT_H

#include "locks.h"

#define SW_SLOW_FILES 5 /* slowest files kept per explanation */

/* Where explanations are appended (the hold arrays, or the report's).
 * The caps are this explainer's knowledge of the arrays' room: several
 * explainers may append to the same arrays, one after the other. */
struct sw__explainer {
	struct sw_activity **act;
	size_t *nact;
	size_t act_cap;
	struct sw_filetime **file;
	size_t *nfile;
	size_t file_cap;
	void *cells;  /* scratch */
};

/* One explanation: where its rows and files were appended. */
struct sw__explained {
	uint64_t window_ns;   /* the spans' total */
	uint64_t outside_ns;  /* of it, covered by no call */
	bool complete;        /* no hole of the thread in the spans */
	uint32_t act0, nact;
	uint32_t file0, nfile;
};

int sw__explainer_init(struct sw__explainer *x);
void sw__explainer_free(struct sw__explainer *x);

/* Explain thread's time over the disjoint spans: time by row (each row's
 * top file), the slowest files, the time outside calls. 0 or -ENOMEM. */
int sw__locks_spans(struct sw_locks *l, struct sw__explainer *x, uint32_t thread,
		    const struct sw_span *spans, size_t nspans,
		    struct sw__explained *out);

/* Sort and merge v in place (locks_span.c); the length of the union,
 * and in *merged (if not NULL) the spans left. */
uint64_t sw__span_union(struct sw_span *v, size_t n, size_t *merged);

/* Room for n spans in *v (capacity *cap, doubled from 256); 0 or -ENOMEM. */
int sw__spans_room(struct sw_span **v, size_t *cap, size_t n);

/* The totals and the culprits, from the report view (locks_culprits.c);
 * 0 or -ENOMEM. */
int sw__locks_totals(struct sw_locks *l);

/* A process's holes, all threads merged, for "any hole over [s, e]?". */
struct sw__holeset {
	struct sw_span *span;  /* sorted by from */
	uint32_t *thread;
	uint64_t *max_to;      /* max_to[i] = max(span[0..i].to) */
	uint32_t *max_thread;  /* whose hole that is */
	size_t n;
};

/* One holeset per process of tr (indexed like tr->procs); 0 or -ENOMEM
 * (with what was built left in *out for sw__holes_free). */
int sw__holes_build(const struct sw_evtrace *tr, struct sw__holeset **out, size_t *nout);

/* A thread of the process with a hole over [s, e] (closed), or SW_NONE. */
uint32_t sw__hole_over(const struct sw__holeset *hs, uint64_t s, uint64_t e);

void sw__holes_free(struct sw__holeset *sets, size_t n);

enum sw__relay {
	SW__RELAY_UNKNOWN_YET, /* not classified yet (attribution's cache) */
	SW__RELAY_NOT,
	SW__RELAY_YES,         /* rels[r].relay_of is set */
	SW__RELAY_UNSURE,      /* a hole in the stretch that decides */
};

/* Classify release r (sets rels[r].relay_of for a relay). */
enum sw__relay sw__relay_classify(struct sw_locks *l, uint32_t r);

#endif
