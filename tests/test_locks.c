/*
 * test_locks.c - lock-holder attribution on synthetic event streams:
 * relays, chains, address reuse, timeouts, stolen wake-ups, dropped
 * stretches, the holder's explanation (module, files, time outside
 * calls), summed vs wall wait, and the report's JSON names.
 *
 * Each test writes its threads' events with the trace writer, reads the
 * file back (sw_evtrace_read) and analyses it, so the trace format, the
 * event streams and the attribution are exercised together. Times are
 * given in milliseconds from an arbitrary origin.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "evtrace.h"
#include "fnnames.h"
#include "locks.h"
#include "locks_report.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"
#include "trace.h"

#define PID 4000
#define T0 1000000000000ull /* origin of the synthetic clock, ns */
#define NS(ms) ((uint64_t)((ms) * 1000000.0 + 0.5))
#define MAX_THREADS 8
#define MAX_EVENTS 64

/* Addresses of the primitives. */
#define W 0x1000  /* a semaphore (CPython's module lock "wakeup") */
#define M1 0x2000 /* mutexes */
#define M2 0x3000
#define CV 0x4000 /* a condition variable */

struct th {
	int32_t tid;
	Sw__Event ev[MAX_EVENTS];
	size_t n;
	uint64_t pending_gap; /* for the next event */
	uint64_t tail_drops;  /* drops after the last event */
};

static struct {
	struct th th[MAX_THREADS];
	int nth;
	uint32_t threads_lost;
	char path[64];
	struct sw_model m;
	struct sw_evtrace tr;
	struct sw_locks l;
	bool analysed;
} tb;

static void setup(void)
{
	memset(&tb, 0, sizeof(tb));
}

static void teardown(void)
{
	if (tb.analysed) {
		sw_locks_free(&tb.l);
		sw_evtrace_free(&tb.tr);
		sw_model_free(&tb.m);
	}
	if (tb.path[0])
		unlink(tb.path);
}

TestSuite(locks, .init = setup, .fini = teardown);

static struct th *thread(int32_t tid)
{
	for (int i = 0; i < tb.nth; i++)
		if (tb.th[i].tid == tid)
			return &tb.th[i];
	cr_assert_lt(tb.nth, MAX_THREADS);
	tb.th[tb.nth].tid = tid;
	return &tb.th[tb.nth++];
}

/* A new event of thread tid: row, call, [start, start + dur] in ms. */
static Sw__Event *ev(int32_t tid, uint32_t row, uint32_t fn, double start, double dur)
{
	struct th *t = thread(tid);
	cr_assert_lt(t->n, MAX_EVENTS);
	Sw__Event *e = &t->ev[t->n++];
	sw__event__init(e);
	e->has_row = e->has_fn = e->has_start = e->has_dur = e->has_result = true;
	e->row = row;
	e->fn = fn;
	e->start = T0 + NS(start);
	e->dur = NS(dur);
	if (t->pending_gap) {
		e->has_gap = true;
		e->gap = t->pending_gap;
		t->pending_gap = 0;
	}
	return e;
}

/* A lock call on addr from start to end (ms). */
static Sw__Event *lk(int32_t tid, uint32_t fn, uint64_t addr, double start, double end)
{
	Sw__Event *e = ev(tid, SW_ROW_futex, fn, start, end - start);
	e->has_addr = true;
	e->addr = addr;
	return e;
}

/* Make e a failure with error number err (as the call reports it). */
static void failed(Sw__Event *e, int err, bool returns_error)
{
	e->has_err = true;
	e->err = (uint32_t)err;
	e->result = returns_error ? err : -1;
}

/* A file call with a path (or fd < 0: none) and its result. */
static Sw__Event *file(int32_t tid, uint32_t row, uint32_t fn, const char *path, int fd,
		       int64_t result, double start, double end)
{
	Sw__Event *e = ev(tid, row, fn, start, end - start);
	if (path) {
		e->has_path = true;
		e->path.data = (uint8_t *)path;
		e->path.len = strlen(path);
	}
	if (fd >= 0) {
		e->has_fd = true;
		e->fd = fd;
	}
	e->result = result;
	return e;
}

/* Some real work of its own: a read of an unnamed descriptor. */
static void work(int32_t tid, double start, double end)
{
	file(tid, SW_ROW_read, SW_FN_read, NULL, 99, 10, start, end);
}

/* Write the trace, read it back, analyse it. */
static void analyse(void)
{
	struct sw_model src;
	sw_model_init(&src);
	cr_assert_eq(sw_model_builtin_rows(&src), 0);
	snprintf(tb.path, sizeof(tb.path), "/tmp/sw_test_locks_XXXXXX");
	int fd = mkstemp(tb.path);
	cr_assert_geq(fd, 0);
	close(fd);
	struct sw_trace_writer *w;
	char err[256];
	cr_assert_eq(sw_trace_create(&w, tb.path, err, sizeof(err)), 0, "%s", err);
	sw_trace_header(w, &src);
	struct sw_proc_rec p = {.pid = PID, .ppid = 1, .command = "python3",
				.exe = "/usr/bin/python3", .start_ns = T0,
				.threads_lost = tb.threads_lost};
	sw_trace_process(w, &p);
	for (int i = 0; i < tb.nth; i++) {
		struct th *t = &tb.th[i];
		Sw__Event *ptrs[MAX_EVENTS];
		uint64_t gaps = 0;
		for (size_t k = 0; k < t->n; k++) {
			ptrs[k] = &t->ev[k];
			gaps += t->ev[k].gap;
		}
		if (t->n)
			sw_trace_events(w, PID, 0, t->tid, ptrs, t->n);
		struct sw_thread_rec r = {.pid = PID, .tid = t->tid, .start_ns = T0,
					  .end_ns = T0 + NS(1000), .events = t->n};
		snprintf(r.name, sizeof(r.name), "t%d", (int)t->tid);
		r.dropped[SW_DROP_RING_FULL] = gaps + t->tail_drops;
		sw_trace_thread(w, &r);
	}
	sw_trace_summary(w, &src);
	cr_assert_eq(sw_trace_close(w), 0);
	sw_model_free(&src);

	FILE *f = fopen(tb.path, "re");
	cr_assert_not_null(f);
	sw_model_init(&tb.m);
	cr_assert_eq(sw_evtrace_read(f, &tb.m, &tb.tr, err, sizeof(err)), 0, "%s", err);
	fclose(f);
	cr_assert_eq(sw_locks_analyse(&tb.tr, &tb.l), 0);
	tb.analysed = true;
}

static int32_t tid_of(uint32_t thread)
{
	return tb.tr.threads[thread].tid;
}

/* The wait of tid that started at start (ms). */
static const struct sw_wait *wait_of(int32_t tid, double start)
{
	for (size_t i = 0; i < tb.l.nwaits; i++) {
		const struct sw_wait *w = &tb.l.waits[i];
		if (tid_of(w->thread) == tid && w->start == T0 + NS(start))
			return w;
	}
	cr_assert_fail("no wait of thread %d at %g ms", (int)tid, start);
	return NULL;
}

static const struct sw_piece *piece(const struct sw_wait *w, uint32_t i)
{
	cr_assert_lt(i, w->npieces, "wait has %u pieces, not %u", w->npieces, i + 1);
	return &tb.l.pieces[w->piece0 + i];
}

/* Piece i of w is [from, to] ms of kind k, blamed on (HOLD) or after the
 * release of (LATENCY) thread tid. */
static void expect_piece(const struct sw_wait *w, uint32_t i, double from, double to,
			 enum sw_piece_kind k, int32_t tid)
{
	const struct sw_piece *p = piece(w, i);
	cr_expect_eq(p->from, T0 + NS(from), "piece %u starts at %g ms, not %g", i,
		     (double)(p->from - T0) / 1e6, from);
	cr_expect_eq(p->to, T0 + NS(to), "piece %u ends at %g ms, not %g", i,
		     (double)(p->to - T0) / 1e6, to);
	cr_expect_eq(p->kind, k, "piece %u is of kind %d, not %d", i, p->kind, k);
	if (tid) {
		cr_assert_neq(p->hold, SW_NONE);
		cr_expect_eq(tid_of(tb.l.holds[p->hold].thread), tid,
			     "piece %u goes to thread %d, not %d", i,
			     (int)tid_of(tb.l.holds[p->hold].thread), (int)tid);
	}
}

static const struct sw_lockrep *lock_at(uint64_t addr)
{
	for (size_t i = 0; i < tb.l.nreport; i++)
		if (tb.l.report[i].addr == addr)
			return &tb.l.report[i];
	cr_assert_fail("no lock at %#llx in the report", (unsigned long long)addr);
	return NULL;
}

static const struct sw_blocker *blocker(const struct sw_lockrep *r, int32_t tid)
{
	for (uint32_t k = 0; k < r->nblk; k++)
		if (tid_of(tb.l.report_blk[r->blk0 + k].thread) == tid)
			return &tb.l.report_blk[r->blk0 + k];
	cr_assert_fail("thread %d is no blocker of lock %#llx", (int)tid,
		       (unsigned long long)r->addr);
	return NULL;
}

static void expect_ms(uint64_t ns, double ms, const char *what)
{
	cr_expect_eq(ns, NS(ms), "%s: %g ms, expected %g", what, (double)ns / 1e6, ms);
}

/* The classic CPython relay: A (1) holds the module and reads; B (2) and
 * C (3) wait on the wakeup semaphore; A's post wakes B, whose post (after
 * nothing but lock calls) wakes C. C is blamed on A, not on B. */
static void relay_scenario(void)
{
	lk(1, SW_FN_sem_init, W, 0, 0.001);
	file(1, SW_ROW_openat, SW_FN_openat, "/slow/pkg/mod.py", -1, 7, 1, 60);
	work(1, 61, 99);
	lk(1, SW_FN_sem_post, W, 100, 100.01);
	lk(2, SW_FN_sem_wait, W, 10, 101);
	lk(2, SW_FN_pthread_mutex_lock, M1, 101.02, 101.1); /* the GIL */
	lk(2, SW_FN_sem_post, W, 101.12, 101.13);
	lk(3, SW_FN_sem_wait, W, 20, 103);
}

Test(locks, relay_is_collapsed_to_the_root)
{
	relay_scenario();
	analyse();
	const struct sw_wait *c = wait_of(3, 20), *b = wait_of(2, 10);
	cr_assert_eq(c->status, SW_WAIT_ATTRIBUTED);
	cr_expect_eq(tid_of(tb.l.rels[c->waker].thread), 2, "C's waker is B's relay");
	cr_expect_eq(tid_of(tb.l.rels[c->root].thread), 1, "C's root is A");
	cr_assert_eq(c->npieces, 3);
	expect_piece(c, 0, 20, 100, SW_PIECE_HOLD, 1);
	expect_piece(c, 1, 100, 101.12, SW_PIECE_RELAY, 1);
	expect_piece(c, 2, 101.12, 103, SW_PIECE_LATENCY, 1);
	cr_assert_eq(b->npieces, 2);
	expect_piece(b, 0, 10, 100, SW_PIECE_HOLD, 1);
	expect_piece(b, 1, 100, 101, SW_PIECE_LATENCY, 1);
	const struct sw_release *relay = &tb.l.rels[c->waker];
	cr_expect_neq(relay->relay_of, SW_NONE, "B's post is a relay");

	const struct sw_lockrep *r = lock_at(W);
	cr_assert_eq(r->nblk, 2, "only A blocks W: its hold, and after its release");
	const struct sw_blocker *a = &tb.l.report_blk[r->blk0];
	const struct sw_blocker *after = &tb.l.report_blk[r->blk0 + 1];
	cr_expect(!a->after_release && after->after_release);
	cr_expect_eq(tid_of(after->thread), 1);
	expect_ms(a->blamed_ns, 170, "blamed on A");
	expect_ms(a->latency_ns, 2.88, "the waiters waking up after A");
	expect_ms(after->attributed_ns, 1.12, "the relay after A's release");
	expect_ms(after->hold_ns, 1.12, "the stretch after A's release");
	expect_ms(a->hold_ns, 90, "A's hold as far as others waited through it");
	/* A created the semaphore itself just before: its hold started there
	 * (which names the module it was loading). */
	const struct sw_hold *h = &tb.l.holds[tb.l.report_holds[a->hold0]];
	cr_expect_eq(h->start, T0, "the hold starts at A's sem_init");
	cr_expect_str_eq(h->module, "/slow/pkg/mod.py");
	cr_expect_eq(after->nhold, 0);
}

Test(locks, real_work_between_wake_and_release_is_no_relay)
{
	relay_scenario();
	work(2, 101.104, 101.114); /* B did something of its own in between */
	analyse();
	const struct sw_wait *c = wait_of(3, 20);
	cr_expect_eq(tb.l.rels[c->waker].relay_of, SW_NONE);
	expect_piece(c, 0, 20, 100, SW_PIECE_HOLD, 1);
	expect_piece(c, 1, 100, 101.12, SW_PIECE_HOLD, 2);
	expect_piece(c, 2, 101.12, 103, SW_PIECE_LATENCY, 2);
}

/* Chains: A holds M1 while blocked on M2, which D holds while reading.
 * C waits on M1: the stretch A spent blocked is blamed on D, via A. */
Test(locks, chain_moves_blame_to_the_holders_blocker)
{
	lk(3, SW_FN_pthread_mutex_lock, M1, 10, 90);
	work(1, 0, 29);
	lk(1, SW_FN_pthread_mutex_lock, M2, 30, 60);
	work(1, 61, 79);
	lk(1, SW_FN_pthread_mutex_unlock, M1, 80, 80.01);
	work(4, 0, 58);
	lk(4, SW_FN_pthread_mutex_unlock, M2, 59, 59.01);
	analyse();

	const struct sw_wait *c = wait_of(3, 10);
	cr_assert_eq(c->status, SW_WAIT_ATTRIBUTED);
	cr_assert_eq(c->npieces, 4);
	expect_piece(c, 0, 10, 30, SW_PIECE_HOLD, 1);
	expect_piece(c, 1, 30, 59, SW_PIECE_HOLD, 4);
	const struct sw_piece *p = piece(c, 1);
	cr_assert_eq(p->nchain, 1);
	cr_expect_eq(tid_of(tb.l.holds[tb.l.chain[p->chain0]].thread), 1, "through A");
	expect_piece(c, 2, 59, 80, SW_PIECE_HOLD, 1);
	expect_piece(c, 3, 80, 90, SW_PIECE_LATENCY, 1);

	const struct sw_lockrep *r = lock_at(M1);
	const struct sw_blocker *d = blocker(r, 4);
	cr_expect_eq(tid_of(d->via), 1, "D is reached through A");
	expect_ms(d->attributed_ns, 29, "M1's wait blamed on D");
	expect_ms(blocker(r, 1)->attributed_ns, 51, "M1's wait on A");
}

/* An address reused: B waited on W (generation 1), then W is destroyed and
 * initialised again (another module's lock at the same address) and B
 * posts the new W with no work in between. Same address, other
 * primitive: not a relay, so C is blamed on B, not on A. */
Test(locks, a_new_generation_is_another_primitive)
{
	lk(1, SW_FN_sem_init, W, 0, 0.001);
	work(1, 1, 29);
	lk(1, SW_FN_sem_post, W, 30, 30.01);
	lk(2, SW_FN_sem_wait, W, 5, 31);
	lk(1, SW_FN_sem_destroy, W, 31.1, 31.2);
	lk(2, SW_FN_sem_init, W, 32, 32.01);
	lk(3, SW_FN_sem_wait, W, 32.5, 40);
	lk(2, SW_FN_sem_post, W, 33, 33.01);
	analyse();

	const struct sw_wait *b = wait_of(2, 5), *c = wait_of(3, 32.5);
	cr_expect_neq(b->prim, c->prim, "two generations, two primitives");
	cr_expect_eq(tb.l.prims[b->prim].gen, 1);
	cr_expect_eq(tb.l.prims[c->prim].gen, 3);
	cr_expect_eq(tb.l.rels[c->waker].relay_of, SW_NONE);
	expect_piece(c, 0, 32.5, 33, SW_PIECE_HOLD, 2);
	expect_piece(b, 0, 5, 30, SW_PIECE_HOLD, 1);
}

/* A release stamped in the old generation never matches a wait of the
 * new one, even when its stamp falls inside that wait: the destroy and
 * init came between in time. */
Test(locks, old_generation_release_never_matches)
{
	lk(2, SW_FN_sem_wait, W, 0, 10);
	lk(1, SW_FN_sem_post, W, 9, 9.01);
	lk(1, SW_FN_sem_destroy, W, 12, 12.01);
	lk(3, SW_FN_sem_init, W, 13, 13.01);
	lk(3, SW_FN_sem_wait, W, 14, 30);
	lk(1, SW_FN_sem_post, W, 20, 20.01); /* this one is the new W */
	analyse();
	const struct sw_wait *c = wait_of(3, 14);
	cr_assert_eq(c->status, SW_WAIT_ATTRIBUTED);
	cr_expect_eq(tb.l.rels[c->waker].t, T0 + NS(20));
	cr_expect_eq(tb.l.prims[tb.l.rels[c->waker].prim].gen, 2);
	expect_piece(c, 0, 14, 20, SW_PIECE_HOLD, 1);
	expect_piece(wait_of(2, 0), 0, 0, 9, SW_PIECE_HOLD, 1);
}

Test(locks, timeouts_and_interruptions_are_reported_not_attributed)
{
	failed(lk(2, SW_FN_sem_timedwait, W, 0, 50), ETIMEDOUT, false);
	failed(lk(3, SW_FN_sem_wait, W, 5, 40), EINTR, false);
	failed(lk(4, SW_FN_pthread_mutex_timedlock, M1, 0, 30), ETIMEDOUT, true);
	work(1, 0, 19);
	lk(1, SW_FN_sem_post, W, 20, 20.01);
	lk(1, SW_FN_pthread_mutex_unlock, M1, 21, 21.01);
	analyse();
	cr_expect_eq(wait_of(2, 0)->status, SW_WAIT_TIMEDOUT);
	cr_expect_eq(wait_of(3, 5)->status, SW_WAIT_INTERRUPTED);
	cr_expect_eq(wait_of(4, 0)->status, SW_WAIT_TIMEDOUT);
	cr_expect_eq(wait_of(2, 0)->npieces, 0);
	const struct sw_lockrep *r = lock_at(W);
	cr_expect_eq(r->timed_out, 1);
	cr_expect_eq(r->interrupted, 1);
	expect_ms(r->timed_out_ns, 50, "timed out");
	cr_expect_eq(r->nblk, 0, "nobody is blamed");
	cr_expect_eq(r->attributed_ns, 0);
}

/* A stolen wake-up: A's release wakes X, but Y barges in first and holds
 * the mutex (doing real work) until its own release; X sleeps again. X's
 * wait is A's until A's release, Y's until Y's. */
Test(locks, stolen_wakeup_splits_the_wait_between_the_holders)
{
	lk(9, SW_FN_pthread_mutex_lock, M1, 10, 70);
	work(1, 0, 29);
	lk(1, SW_FN_pthread_mutex_unlock, M1, 30, 30.01);
	work(2, 31, 59);
	lk(2, SW_FN_pthread_mutex_unlock, M1, 60, 60.01);
	analyse();
	const struct sw_wait *x = wait_of(9, 10);
	cr_expect_eq(tid_of(tb.l.rels[x->waker].thread), 2, "Y woke X in the end");
	cr_expect_eq(tid_of(tb.l.rels[x->root].thread), 2);
	cr_assert_eq(x->npieces, 3);
	expect_piece(x, 0, 10, 30, SW_PIECE_HOLD, 1);
	expect_piece(x, 1, 30, 60, SW_PIECE_HOLD, 2);
	expect_piece(x, 2, 60, 70, SW_PIECE_LATENCY, 2);
}

/* The same, but the thread that got the mutex first was itself woken by
 * A and did nothing with it: it owned the mutex all the same, so the
 * stretch until its unlock is its own. */
Test(locks, a_mutex_is_owned_by_whoever_got_it_however_briefly)
{
	lk(9, SW_FN_pthread_mutex_lock, M1, 10, 70);
	work(1, 0, 29);
	lk(1, SW_FN_pthread_mutex_unlock, M1, 30, 30.01);
	lk(2, SW_FN_pthread_mutex_lock, M1, 20, 31);
	lk(2, SW_FN_pthread_mutex_unlock, M1, 31.05, 31.06);
	analyse();
	const struct sw_wait *x = wait_of(9, 10);
	cr_expect_eq(tb.l.rels[x->waker].relay_of, SW_NONE, "no relay on a mutex");
	cr_assert_eq(x->npieces, 3);
	expect_piece(x, 0, 10, 30, SW_PIECE_HOLD, 1);
	expect_piece(x, 1, 30, 31.05, SW_PIECE_HOLD, 2);
	expect_piece(x, 2, 31.05, 70, SW_PIECE_LATENCY, 2);
}

/* On a semaphore, a thread that was woken by A's post and posts again
 * at once (CPython's wakeup relay) passes the baton: its stretch is
 * wake-up latency after A, and X's root is A. */
Test(locks, stolen_wakeup_by_a_relay_stays_with_the_holder)
{
	lk(9, SW_FN_sem_wait, W, 10, 70);
	work(1, 0, 29);
	lk(1, SW_FN_sem_post, W, 30, 30.01);
	lk(2, SW_FN_sem_wait, W, 20, 31);
	lk(2, SW_FN_sem_post, W, 31.05, 31.06);
	analyse();
	const struct sw_wait *x = wait_of(9, 10);
	cr_expect_neq(tb.l.rels[x->waker].relay_of, SW_NONE);
	cr_expect_eq(tid_of(tb.l.rels[x->root].thread), 1);
	cr_assert_eq(x->npieces, 3);
	expect_piece(x, 0, 10, 30, SW_PIECE_HOLD, 1);
	expect_piece(x, 1, 30, 31.05, SW_PIECE_RELAY, 1);
	expect_piece(x, 2, 31.05, 70, SW_PIECE_LATENCY, 1);
}

/* A post after more CPU time than a relay takes ends a hold. */
Test(locks, cpu_work_before_the_post_is_a_hold)
{
	lk(9, SW_FN_sem_wait, W, 10, 70);
	work(1, 0, 29);
	lk(1, SW_FN_sem_post, W, 30, 30.01);
	lk(2, SW_FN_sem_wait, W, 20, 31);
	lk(2, SW_FN_sem_post, W, 31.5, 31.51); /* 0.5 ms of its own CPU */
	analyse();
	const struct sw_wait *x = wait_of(9, 10);
	cr_expect_eq(tb.l.rels[x->waker].relay_of, SW_NONE);
	expect_piece(x, 1, 30, 31.5, SW_PIECE_HOLD, 2);
}

/* Dropped events: the relay's stream has a hole during C's wait. Its
 * dropped stretch could hold anything (another post, real work), so C's
 * wait is incomplete: no holder is named for it, neither A nor B. */
Test(locks, a_gap_makes_the_wait_incomplete_never_a_guess)
{
	relay_scenario();
	thread(2)->pending_gap = 3;
	lk(2, SW_FN_pthread_mutex_lock, M2, 102, 102.5); /* after 3 dropped */
	analyse();
	const struct sw_wait *c = wait_of(3, 20);
	cr_expect_eq(c->status, SW_WAIT_INCOMPLETE);
	cr_expect_eq(c->why, SW_WHY_HOLE);
	cr_expect_eq(tid_of(c->why_thread), 2);
	cr_expect_eq(c->npieces, 0);
	const struct sw_lockrep *r = lock_at(W);
	cr_expect_eq(r->incomplete, 1);
	expect_ms(r->incomplete_ns, 83, "incomplete");
	for (uint32_t k = 0; k < r->nblk; k++)
		expect_ms(tb.l.report_blk[r->blk0 + k].attributed_ns, 91,
			  "only B's complete wait is attributed");
}

Test(locks, drops_after_the_last_event_make_later_waits_incomplete)
{
	relay_scenario();
	thread(2)->tail_drops = 5; /* B's last events, after 101.13, are lost */
	lk(4, SW_FN_sem_wait, W, 110, 120);
	lk(1, SW_FN_sem_post, W, 115, 115.01);
	analyse();
	cr_expect_eq(wait_of(2, 10)->status, SW_WAIT_ATTRIBUTED, "over before the drops");
	cr_expect_eq(wait_of(3, 20)->status, SW_WAIT_INCOMPLETE, "overlaps them");
	cr_expect_eq(wait_of(4, 110)->status, SW_WAIT_INCOMPLETE);
}

Test(locks, lost_threads_make_every_wait_incomplete)
{
	relay_scenario();
	tb.threads_lost = 1;
	analyse();
	cr_expect_eq(wait_of(3, 20)->status, SW_WAIT_INCOMPLETE);
	cr_expect_eq(wait_of(3, 20)->why, SW_WHY_THREADS_LOST);
	cr_expect_eq(lock_at(W)->nblk, 0);
}

Test(locks, a_wait_without_release_is_unattributed_with_the_reason)
{
	lk(2, SW_FN_sem_wait, W, 0, 10);
	lk(3, SW_FN_pthread_join, 0x7000, 0, 20);
	analyse();
	cr_expect_eq(wait_of(2, 0)->status, SW_WAIT_UNATTRIBUTED);
	cr_expect_eq(wait_of(2, 0)->why, SW_WHY_NO_RELEASE);
	cr_expect_eq(wait_of(3, 0)->status, SW_WAIT_UNATTRIBUTED);
	cr_expect_eq(wait_of(3, 0)->why, SW_WHY_JOIN);
	cr_expect_eq(lock_at(W)->unattributed, 1);
}

/* What the holder did: the module is the first module file it touched
 * (a failed stat of an extension does not count; the .pyc maps to its
 * .py; the package is known from its __init__), reads are named through
 * their descriptor, sleeping shows, and the rest is outside calls. */
Test(locks, the_hold_is_explained_by_module_files_and_outside_time)
{
	lk(2, SW_FN_sem_wait, W, 5, 95);
	file(1, SW_ROW_newfstatat, SW_FN_stat, "/slow/pkg/__init__.py", -1, 0, 0, 1);
	failed(file(1, SW_ROW_newfstatat, SW_FN_stat,
		    "/slow/pkg/mod.cpython-311-x86_64-linux-gnu.so", -1, -1, 6, 8),
	       ENOENT, false);
	file(1, SW_ROW_openat, SW_FN_openat, "__pycache__/mod.cpython-311.pyc", 3, 5, 10, 20);
	file(1, SW_ROW_read, SW_FN_read, NULL, 5, 4096, 25, 65);
	file(1, SW_ROW_close, SW_FN_close, NULL, 5, 0, 66, 67);
	ev(1, SW_ROW_clock_nanosleep, SW_FN_nanosleep, 70, 10);
	lk(1, SW_FN_sem_post, W, 90, 90.01);
	/* the directory descriptor the .pyc was opened through */
	file(3, SW_ROW_openat, SW_FN_openat, "/slow/pkg", -1, 3, 0, 0.5);
	analyse();

	const struct sw_blocker *a = blocker(lock_at(W), 1);
	cr_expect_str_eq(a->module, "/slow/pkg/mod.py");
	cr_expect_str_eq(a->module_name, "pkg.mod");
	expect_ms(a->hold_ns, 85, "hold from the first wait to the release");
	bool read_seen = false, sleep_seen = false;
	uint64_t sum = a->outside_ns;
	for (uint32_t i = 0; i < a->nact; i++) {
		const struct sw_activity *x = &tb.l.report_act[a->act0 + i];
		sum += x->ns;
		if (x->row == SW_ROW_read) {
			read_seen = true;
			expect_ms(x->ns, 40, "read");
			cr_expect_str_eq(x->top_file, "/slow/pkg/__pycache__/mod.cpython-311.pyc");
		}
		if (x->row == SW_ROW_clock_nanosleep) {
			sleep_seen = true;
			expect_ms(x->ns, 10, "sleeping");
		}
	}
	cr_expect(read_seen && sleep_seen);
	/* Calls cover 2 (the failed stat) + 10 + 40 + 1 + 10 of 5..90 */
	expect_ms(sum, 85, "rows and outside time add up to the hold");
	expect_ms(a->outside_ns, 22, "outside calls");
	cr_expect_eq(a->nfile, 2, "the .pyc and the failed .so stat");
	cr_expect_str_eq(tb.l.report_files[a->file0].file,
			 "/slow/pkg/__pycache__/mod.cpython-311.pyc");
	const char *v = sw_locks_verdict(&tb.l, tb.l.report_act + a->act0, a->nact,
					 a->outside_ns);
	cr_expect_str_eq(v, "the filesystem is the root cause");
}

Test(locks, summed_and_wall_wait)
{
	lk(2, SW_FN_pthread_mutex_lock, M1, 0, 10);
	lk(3, SW_FN_pthread_mutex_lock, M1, 5, 15);
	lk(4, SW_FN_pthread_mutex_lock, M1, 20, 30);
	lk(1, SW_FN_pthread_mutex_unlock, M1, 9, 9.01);
	lk(2, SW_FN_pthread_mutex_unlock, M1, 14, 14.01);
	lk(1, SW_FN_pthread_mutex_unlock, M1, 29, 29.01);
	analyse();
	const struct sw_lockrep *r = lock_at(M1);
	cr_expect_eq(r->waits, 3);
	cr_expect_eq(r->waiters, 3);
	expect_ms(r->wait_ns, 30, "summed");
	expect_ms(r->wall_ns, 25, "wall");
	expect_ms(tb.l.totals.wait_ns, 30, "total summed");
	expect_ms(tb.l.totals.wall_ns, 25, "total wall");
}

/* Condition waits are told apart: kind cond, the signaller is their
 * waker, a timed-out one is reported as such, and the lock totals do not
 * count them. */
Test(locks, condition_waits_are_apart)
{
	lk(2, SW_FN_sw__cond_wait_232, CV, 0, 50);
	lk(1, SW_FN_sw__cond_signal_232, CV, 40, 40.01);
	failed(lk(3, SW_FN_sw__cond_timedwait_232, CV, 0, 5), ETIMEDOUT, true);
	lk(4, SW_FN_sw__cond_wait_225, CV, 60, 70);
	lk(1, SW_FN_sw__cond_broadcast_225, CV, 65, 65.01);
	analyse();
	const struct sw_lockrep *r = lock_at(CV);
	cr_expect_eq(r->kind, SW_PRIM_COND);
	cr_expect_eq(r->waits, 3);
	cr_expect_eq(r->timed_out, 1);
	expect_piece(wait_of(2, 0), 0, 0, 40, SW_PIECE_HOLD, 1);
	expect_piece(wait_of(4, 60), 0, 60, 65, SW_PIECE_HOLD, 1);
	cr_expect_eq(tb.l.totals.waits, 0, "no lock contention");
	cr_expect_eq(tb.l.totals.cond_waits, 3);
}

/* CPython 3.13: each waiter parks on a semaphore of its own (initialised
 * just before, on its stack). A's post wakes B, B's relay post wakes C on
 * another semaphore: still a relay, C is blamed on A. */
Test(locks, parking_semaphores_relay_across_addresses)
{
	lk(2, SW_FN_sem_init, 0xb000, 9, 9.01);
	lk(2, SW_FN_sem_wait, 0xb000, 10, 51);
	lk(3, SW_FN_sem_init, 0xc000, 11, 11.01);
	lk(3, SW_FN_sem_wait, 0xc000, 12, 53);
	work(1, 0, 49);
	lk(1, SW_FN_sem_post, 0xb000, 50, 50.01);
	lk(2, SW_FN_sem_destroy, 0xb000, 51.01, 51.011);
	lk(2, SW_FN_sem_post, 0xc000, 51.05, 51.06);
	analyse();
	const struct sw_wait *c = wait_of(3, 12);
	cr_expect(tb.l.prims[c->prim].parking);
	cr_expect_eq(tid_of(tb.l.rels[c->root].thread), 1);
	expect_piece(c, 0, 12, 50, SW_PIECE_HOLD, 1);
	expect_piece(c, 1, 50, 51.05, SW_PIECE_RELAY, 1);
	expect_piece(c, 2, 51.05, 53, SW_PIECE_LATENCY, 1);
	const struct sw_lockrep *r = lock_at(0);
	cr_expect(r->parking, "parking semaphores are one entry");
	cr_expect_eq(r->nprims, 2);
	cr_expect_eq(r->waits, 2);
}

/* ... but a holder that parked on some other lock just before its
 * release (queued long after C) is no relay: C stays with the holder. */
Test(locks, a_holder_parking_just_before_its_release_is_no_relay)
{
	lk(3, SW_FN_sem_init, 0xc000, 11, 11.01);
	lk(3, SW_FN_sem_wait, 0xc000, 12, 53);
	work(1, 0, 40);
	lk(1, SW_FN_sem_init, 0xa000, 44, 44.01);
	lk(1, SW_FN_sem_wait, 0xa000, 45, 49);
	work(4, 0, 47);
	lk(4, SW_FN_sem_post, 0xa000, 48, 48.01);
	lk(1, SW_FN_sem_post, 0xc000, 50, 50.01);
	analyse();
	const struct sw_wait *c = wait_of(3, 12);
	cr_expect_eq(tb.l.rels[c->waker].relay_of, SW_NONE);
	cr_expect_eq(tid_of(tb.l.rels[c->root].thread), 1);
	expect_piece(c, 0, 12, 45, SW_PIECE_HOLD, 1);
	/* while A was parked, the blame follows A's own wait to D */
	expect_piece(c, 1, 45, 48, SW_PIECE_HOLD, 4);
}

Test(locks, raw_futex_calls_are_waits_and_wakes_by_operation)
{
	Sw__Event *w1 = lk(2, SW_FN_syscall, 0x5000, 0, 30);
	w1->has_aux = true;
	w1->aux = 0 | 128; /* FUTEX_WAIT_PRIVATE */
	Sw__Event *w2 = lk(3, SW_FN_syscall, 0x5000, 1, 1.001);
	w2->has_aux = true;
	w2->aux = 9; /* FUTEX_WAIT_BITSET, failed EAGAIN: never blocked */
	failed(w2, EAGAIN, false);
	work(1, 0, 19);
	Sw__Event *k = lk(1, SW_FN_syscall, 0x5000, 20, 20.01);
	k->has_aux = true;
	k->aux = 1 | 128; /* FUTEX_WAKE_PRIVATE */
	k->result = 1;
	analyse();
	const struct sw_lockrep *r = lock_at(0x5000);
	cr_expect_eq(r->kind, SW_PRIM_FUTEX);
	cr_expect_eq(r->waits, 1, "the EAGAIN wait did not block");
	expect_piece(wait_of(2, 0), 0, 0, 20, SW_PIECE_HOLD, 1);
}

/* The report's JSON keeps issue 3's field names. */
Test(locks, json_has_the_contract_fields)
{
	relay_scenario();
	analyse();
	json_object *locks = sw_locks_json(&tb.l);
	cr_assert_not_null(locks);
	json_object *l0 = json_object_array_get_idx(locks, 0), *v;
	const char *lk_keys[] = {"address", "kind", "waits", "waiters", "wait_seconds",
				 "wall_wait_seconds", "blockers"};
	for (size_t i = 0; i < sizeof(lk_keys) / sizeof(lk_keys[0]); i++)
		cr_expect(json_object_object_get_ex(l0, lk_keys[i], &v), "lock has no %s",
			  lk_keys[i]);
	cr_assert(json_object_object_get_ex(l0, "blockers", &v));
	json_object *b0 = json_object_array_get_idx(v, 0);
	const char *b_keys[] = {"tid", "module", "hold_seconds", "attributed_wait_seconds",
				"activity"};
	for (size_t i = 0; i < sizeof(b_keys) / sizeof(b_keys[0]); i++)
		cr_expect(json_object_object_get_ex(b0, b_keys[i], &v), "blocker has no %s",
			  b_keys[i]);
	cr_assert(json_object_object_get_ex(b0, "activity", &v));
	size_t n = json_object_array_length(v);
	cr_assert_gt(n, 0);
	json_object *last = json_object_array_get_idx(v, n - 1), *s;
	cr_assert(json_object_object_get_ex(last, "syscall", &s));
	cr_expect_str_eq(json_object_get_string(s), SW_OUTSIDE_CALLS);
	const char *a_keys[] = {"syscall", "seconds", "calls", "top_path"};
	for (size_t i = 0; i < sizeof(a_keys) / sizeof(a_keys[0]); i++)
		cr_expect(json_object_object_get_ex(json_object_array_get_idx(v, 0), a_keys[i],
						    &s), "activity has no %s", a_keys[i]);
	json_object_put(locks);

	char *text = sw_locks_summary(&tb.l);
	cr_assert_not_null(text);
	cr_expect(strstr(text, "2 threads waited") != NULL, "%s", text);
	cr_expect(strstr(text, "thread 1 ") != NULL, "%s", text);
	free(text);
}

/* A trace names its call ids, so a build with a different call table
 * reads it right; every id has a name. */
Test(locks, every_call_id_has_a_name)
{
	for (uint32_t i = 0; i < SW_FN_COUNT; i++) {
		cr_assert_not_null(sw_fn_name(i), "call id %u has no name (fnnames.c)", i);
		cr_expect_eq(sw_fn_by_name(sw_fn_name(i)), i);
	}
}
