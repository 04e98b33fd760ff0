/*
 * slotcheck.c - what a thread slot may make the collector believe and
 * keep (issue 10, point 6). A segment is writable by any process of its
 * user, so a slot's counters are a claim to check, not a fact: every
 * copy is checked for plausibility before it is added in, and what one
 * segment can make us allocate is bounded.
 *
 * The checks hold for any slot the shim writes (preload/record.c), even
 * one read half-way through a call of a killed thread: count() bumps
 * calls first and the histogram last, and an "also" row its calls before
 * its untimed, so a torn copy is off by at most SLACK calls. A recording
 * that a signal handler left with siglongjmp (drop cause SW_DROP_JUMPED)
 * is torn for good in the same way, so each such loss adds SLACK more.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"

/* Calls a torn copy may be off by (one call, plus fdopendir's 2 "also"
 * calls). */
#define SLACK 4u
/* A row's time may exceed the thread's life when calls of that row nest
 * (a dlopen from a library constructor run by dlopen): a few levels. */
#define NEST_MAX 4u
/* Linux's largest pid (PID_MAX_LIMIT on 64-bit). */
#define TID_MAX 4194304

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a + b < a ? UINT64_MAX : a + b;
}

uint64_t sw__seg_age_ticks(const struct sw_segrec *r)
{
	uint64_t now = r->seg.hdr.clock == SW_CLOCK_TSC ? sw_rdtsc() : sw_mono_ns();
	uint64_t base = r->seg.hdr.base_ticks;
	uint64_t age = now > base ? now - base : 0;
	/* A margin for clocks read on two CPUs. */
	return sat_add(age, age / 64 + 1000000u);
}

/* Why row c (of a thread that lived at most age ticks) is impossible, or
 * NULL. */
static const char *row_wrong(const struct sw_counter *c, uint64_t age, uint64_t slack)
{
	if (c->calls > age)
		return "more calls than clock ticks";
	if (c->errors > c->calls)
		return "more errors than calls";
	if (c->untimed > c->calls)
		return "more untimed calls than calls";
	uint64_t timed = c->calls - c->untimed, hist = 0;
	for (unsigned i = 0; i < SW_HIST_BUCKETS; i++)
		hist = sat_add(hist, c->hist[i]);
	if (hist > sat_add(timed, slack) || timed > sat_add(hist, slack))
		return "latency histogram does not add up to the calls";
	/* A zero-tick call is stored as min 1, max 0 (record.c). */
	if (c->min > (c->max ? c->max : 1))
		return "shortest call longer than the longest";
	if (c->max > c->total)
		return "longest call longer than all calls together";
	if (c->total / NEST_MAX > age)
		return "more time in calls than the thread lived";
	return NULL;
}

uint64_t sw__fin_drops(const struct sw_fin *f)
{
	uint64_t n = 0;
	for (int k = 0; k < SW_DROP_NCAUSES; k++)
		n = sat_add(n, f->dropped[k]);
	return n;
}

const char *sw__fin_wrong(const struct sw_fin *f, uint64_t age, char *buf, size_t cap)
{
	if (f->tid <= 0 || f->tid > TID_MAX)
		return "impossible thread id";
	if (sat_add(f->events, sw__fin_drops(f)) > age)
		return "more events than clock ticks";
	uint64_t torn = f->dropped[SW_DROP_JUMPED];
	uint64_t slack = sat_add(SLACK, torn > UINT64_MAX / SLACK ? UINT64_MAX : torn * SLACK);
	for (uint32_t k = 0; k < f->nrows; k++) {
		const char *why = row_wrong(&f->rows[k].c, age, slack);
		if (why) {
			snprintf(buf, cap, "row %" PRIu32 ": %s", f->rows[k].row, why);
			return buf;
		}
	}
	return NULL;
}

/* Add row counters src into dst (the same row). */
static void counter_add(struct sw_counter *dst, const struct sw_counter *src)
{
	dst->calls = sat_add(dst->calls, src->calls);
	dst->errors = sat_add(dst->errors, src->errors);
	dst->total = sat_add(dst->total, src->total);
	dst->untimed = sat_add(dst->untimed, src->untimed);
	if (src->min && (!dst->min || src->min < dst->min))
		dst->min = src->min;
	if (src->max > dst->max)
		dst->max = src->max;
	for (unsigned i = 0; i < SW_HIST_BUCKETS; i++)
		dst->hist[i] = sat_add(dst->hist[i], src->hist[i]);
}

int sw__fold_thread(struct sw_segrec *r, const struct sw_fin *f, uint32_t nrows)
{
	struct sw_fin *d = r->fold;
	if (!d) {
		d = calloc(1, sizeof(*d));
		struct sw_rawrow *rows = calloc(nrows ? nrows : 1, sizeof(*rows));
		if (!d || !rows) {
			free(d);
			free(rows);
			return -ENOMEM;
		}
		*d = *f;
		d->rows = rows;
		d->nrows = nrows;
		d->tid = SW_TID_FOLDED;
		snprintf(d->name, sizeof(d->name), "(more threads)");
		memset(d->dropped, 0, sizeof(d->dropped));
		d->events = 0;
		d->end_ticks = 0;
		for (uint32_t k = 0; k < nrows; k++)
			rows[k].row = k;
		r->fold = d;
	}
	for (uint32_t k = 0; k < f->nrows; k++)
		if (f->rows[k].row < d->nrows)
			counter_add(&d->rows[f->rows[k].row].c, &f->rows[k].c);
	for (int k = 0; k < SW_DROP_NCAUSES; k++)
		d->dropped[k] = sat_add(d->dropped[k], f->dropped[k]);
	d->events = sat_add(d->events, f->events);
	if (f->start_ticks < d->start_ticks)
		d->start_ticks = f->start_ticks;
	if (f->end_ticks > d->end_ticks)
		d->end_ticks = f->end_ticks;
	r->folded++;
	return 0;
}

struct sw_fin *sw__fold_take(struct sw_segrec *r)
{
	struct sw_fin *d = r->fold;
	if (!d)
		return NULL;
	r->fold = NULL;
	uint32_t n = 0;
	for (uint32_t k = 0; k < d->nrows; k++)
		if (d->rows[k].c.calls)
			d->rows[n++] = d->rows[k];
	d->nrows = n;
	return d;
}

void sw__slot_refused(struct sw_engine *e, struct sw_segrec *r, uint32_t slot, int32_t tid,
		      const char *why)
{
	if (++r->corrupt_slots <= SW_CORRUPT_SHOWN)
		sw_model_warn(e->m, "syswatch: %s: process %d (%s): slot %" PRIu32
			      " (thread %d) is corrupt (%s): its counts are not added in; "
			      "another process of this user wrote into the segment",
			      r->name, (int)r->pid, r->proc.command, slot, (int)tid, why);
}
