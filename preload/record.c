/*
 * record.c - counting a call and pushing its event.
 *
 * Runs on the wrapper path of every recorded call: no allocation, no lock,
 * no stdio, errno untouched. The recording mark (sw__rec_begin) makes a
 * wrapper that interrupts us (a signal handler calling write) pass its
 * call through unrecorded rather than interleave with a half-written
 * counter or record; a handler that jumps out of us is noticed at the
 * thread's next call (sw__enter_busy). Sizes come from sw__g, never from
 * the shared header.
 */
#define _GNU_SOURCE
#include <string.h>

#include "encode.h"
#include "ring.h"
#include "shim.h"

static inline unsigned hist_bucket(uint64_t d)
{
	unsigned b = d ? 64u - (unsigned)__builtin_clzll(d) : 0u;
	return b < SW_HIST_BUCKETS ? b : SW_HIST_BUCKETS - 1;
}

#define BUMP(field, by) __atomic_store_n(&(field), (field) + (by), __ATOMIC_RELAXED)

static inline void count(struct sw_counter *c, uint64_t d, int failed)
{
	BUMP(c->calls, 1);
	if (failed)
		BUMP(c->errors, 1);
	BUMP(c->total, d);
	/* 0 means "no timed call yet"; a zero-tick call is stored as 1 tick. */
	uint64_t v = d ? d : 1;
	if (c->min == 0 || v < c->min)
		__atomic_store_n(&c->min, v, __ATOMIC_RELAXED);
	if (d > c->max)
		__atomic_store_n(&c->max, d, __ATOMIC_RELAXED);
	BUMP(c->hist[hist_bucket(d)], 1);
}

static void push_event(struct sw_tls *t, unsigned fn, unsigned row, uint64_t t0, uint64_t t1,
		       int64_t result, int failed, int err, const struct sw_cap *cap)
{
	struct sw_event ev = {
		.row = row,
		.fn = fn,
		.start = t0 - sw__g.base_ticks,
		.dur = t1 - t0,
		.result = result,
	};
	if (failed) {
		ev.err = (uint32_t)err;
		ev.has_err = 1;
	}
	if (cap->has_fd) {
		ev.fd = cap->fd;
		ev.has_fd = 1;
	}
	if (cap->path != NULL) {
		ev.path = cap->path;
		ev.path_len = (uint32_t)strnlen(cap->path, SW_PATH_MAX);
		ev.has_path = 1;
	}
	if (cap->has_addr) {
		ev.addr = cap->addr;
		ev.has_addr = 1;
	}
	if (cap->has_aux) {
		ev.aux = cap->aux;
		ev.has_aux = 1;
	}
	if (cap->sa != NULL && cap->sa_len > 0) {
		ev.sa = cap->sa;
		ev.sa_len = cap->sa_len < SW_SOCKADDR_MAX ? cap->sa_len : SW_SOCKADDR_MAX;
		ev.has_sa = 1;
	}
	if (t->gap != 0) {
		ev.gap = t->gap;
		ev.has_gap = 1;
	}
	uint8_t buf[SW_EVENT_MAX];
	uint8_t *body = buf + 2; /* room for a two-byte length prefix */
	size_t n = sw__encode_event(body, &ev);
	uint8_t *rec;
	if (n < 0x80) {
		rec = body - 1;
		rec[0] = (uint8_t)n;
	} else {
		rec = buf;
		rec[0] = (uint8_t)(n | 0x80);
		rec[1] = (uint8_t)(n >> 7); /* n < SW_EVENT_MAX < 2^14 */
	}
	size_t len = n + (size_t)(body - rec);
	uint32_t size = sw__g.ring_size; /* ours, not the header's */
	if (len > size) {
		BUMP(t->slot->dropped[SW_DROP_TOO_BIG], 1);
		t->gap++;
	} else if (sw__ring_push(t->slot, t->ring, size, rec, len) != 0) {
		BUMP(t->slot->dropped[SW_DROP_RING_FULL], 1);
		t->gap++;
	} else {
		BUMP(t->slot->events, 1);
		t->gap = 0;
	}
}

void sw__record(struct sw_tls *t, unsigned fn, unsigned row, uint64_t t0, uint64_t t1,
		int64_t result, int failed, int err, const struct sw_cap *cap, int also_row,
		unsigned also_n)
{
	sw__rec_begin(t);
	uint64_t d = t1 > t0 ? t1 - t0 : 0;
	count(&t->counters[row], d, failed);
	if (also_row >= 0 && !failed && !sw__row_off[also_row]) {
		struct sw_counter *c = &t->counters[also_row];
		BUMP(c->calls, also_n);
		BUMP(c->untimed, also_n);
	}
	push_event(t, fn, row, t0, t1, result, failed, err, cap);
	sw__rec_end(t);
}

void sw__event_only(struct sw_tls *t, unsigned fn, unsigned row, uint64_t t0, uint64_t t1,
		    int64_t result, int failed, int err, const struct sw_cap *cap)
{
	sw__rec_begin(t);
	push_event(t, fn, row, t0, t1, result, failed, err, cap);
	sw__rec_end(t);
}

void sw__count_untimed(struct sw_tls *t, unsigned row, unsigned n, unsigned errors)
{
	if (sw__row_off[row])
		return;
	/* The busy flag is left alone: a vfork child runs with it raised. */
	sw__rec_begin(t);
	BUMP(t->counters[row].calls, n);
	BUMP(t->counters[row].untimed, n);
	BUMP(t->counters[row].errors, errors);
	sw__rec_end(t);
}
