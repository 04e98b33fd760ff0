/*
 * test_engine.c - the collect loop against a fake producer: segment files
 * written here exactly as the shim writes them (header, slots, counters,
 * protobuf events in the rings), then drained, harvested and retired by
 * the engine.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "engine.h"
#include "proc.h"
#include "syswatch.pb-c.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"
#include "trace.h"

#define NSLOTS 4u
#define RING SW_RING_MIN

static char dir[] = "/tmp/sw_test_engine_XXXXXX";
static struct sw_session sess = {.dirfd = -1};
static struct sw_model model;
static struct sw_engine *eng;

static void setup(void)
{
	char err[256];
	cr_assert_not_null(mkdtemp(dir));
	cr_assert_eq(sw_session_open(&sess, dir, err, sizeof(err)), 0, "%s", err);
	sw_model_init(&model);
	cr_assert_eq(sw_model_builtin_rows(&model), 0);
}

static void start_engine(struct sw_trace_writer *tw)
{
	struct sw_engine_opts o = {.session = &sess, .model = &model, .trace = tw};
	cr_assert_eq(sw_engine_new(&eng, &o), 0);
}

static void teardown(void)
{
	sw_engine_free(eng);
	sw_model_free(&model);
	sw_session_close(&sess);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	(void)!system(cmd);
}

TestSuite(engine, .init = setup, .fini = teardown);

/* --- the fake producer -------------------------------------------------- */

struct fake {
	uint8_t *map;
	size_t len;
	int fd;
	struct sw_seg_header *h;
};

static size_t slot_size(void)
{
	return (sizeof(struct sw_slot_header) +
		SW_ROW_COUNT * sizeof(struct sw_counter) + RING + 63) & ~(size_t)63;
}

static struct sw_slot_header *slot(struct fake *f, uint32_t i)
{
	return (struct sw_slot_header *)(f->map + f->h->slots_offset + i * slot_size());
}

static struct sw_counter *counters(struct fake *f, uint32_t i)
{
	return (struct sw_counter *)((uint8_t *)slot(f, i) + sizeof(struct sw_slot_header));
}

static uint8_t *ring(struct fake *f, uint32_t i)
{
	return (uint8_t *)(counters(f, i) + SW_ROW_COUNT);
}

/* Create <pid>.<epoch>.seg; with ready, store the magic last. */
static struct fake make_seg(int32_t pid, uint32_t epoch, uint64_t proc_start,
			    bool ready)
{
	struct fake f;
	char name[64];
	snprintf(name, sizeof(name), "%d.%u.seg", (int)pid, epoch);
	f.fd = openat(sess.dirfd, name, O_RDWR | O_CREAT | O_EXCL, 0600);
	cr_assert_geq(f.fd, 0);
	f.len = 4096 + NSLOTS * slot_size();
	cr_assert_eq(ftruncate(f.fd, (off_t)f.len), 0);
	f.map = mmap(NULL, f.len, PROT_READ | PROT_WRITE, MAP_SHARED, f.fd, 0);
	cr_assert_neq(f.map, MAP_FAILED);
	f.h = (struct sw_seg_header *)f.map;
	struct sw_seg_header *h = f.h;
	h->abi_version = SW_ABI_VERSION;
	h->header_size = sizeof(*h);
	h->slot_header_size = sizeof(struct sw_slot_header);
	h->counter_size = sizeof(struct sw_counter);
	h->nrows = SW_ROW_COUNT;
	h->nslots = NSLOTS;
	h->ring_size = RING;
	h->slot_size = (uint32_t)slot_size();
	h->slots_offset = 4096;
	h->segment_size = f.len;
	h->pid = pid;
	h->epoch = epoch;
	h->clock = SW_CLOCK_MONOTONIC;
	h->base_ticks = h->base_mono_ns = sw_mono_ns();
	h->proc_start = proc_start;
	h->state = SW_SEG_RUNNING;
	strcpy(h->comm, "fake");
	strcpy(h->exe, "/bin/fake");
	if (ready)
		__atomic_store_n(&h->magic, SW_SEG_MAGIC, __ATOMIC_RELEASE);
	return f;
}

static void drop_seg(struct fake *f)
{
	munmap(f->map, f->len);
	close(f->fd);
}

static void claim(struct fake *f, uint32_t i, int32_t tid)
{
	struct sw_slot_header *s = slot(f, i);
	s->state = SW_SLOT_ACTIVE;
	s->tid = tid;
	s->gen++;
	s->start_ticks = sw_mono_ns();
	strcpy(s->name, "worker");
	if (f->h->slots_used < i + 1)
		f->h->slots_used = i + 1;
}

/* One call of `row` on slot i taking ns, failing or not, with its event. */
static void call(struct fake *f, uint32_t i, uint32_t row, uint64_t ns, bool fail)
{
	struct sw_counter *c = &counters(f, i)[row];
	c->calls++;
	c->errors += fail;
	c->total += ns;
	if (c->min == 0 || ns < c->min) /* 0: no timed call yet */
		c->min = ns ? ns : 1;
	c->max = ns > c->max ? ns : c->max;
	c->hist[ns ? 64 - __builtin_clzll(ns) : 0]++;

	Sw__Event ev = SW__EVENT__INIT;
	uint8_t buf[SW_EVENT_MAX + 10];
	ev.has_row = ev.has_dur = ev.has_start = true;
	ev.row = row;
	ev.dur = ns;
	ev.start = 1000;
	size_t n = sw__event__pack(&ev, buf + 1);
	buf[0] = (uint8_t)n; /* events here are < 128 bytes */
	struct sw_slot_header *s = slot(f, i);
	for (size_t k = 0; k <= n; k++)
		ring(f, i)[(s->head + k) & (RING - 1)] = buf[k];
	__atomic_store_n(&s->head, s->head + n + 1, __ATOMIC_RELEASE);
	s->events++;
}

static uint64_t pass(void)
{
	uint64_t moved = 0;
	cr_assert_eq(sw_engine_pass(eng, &moved), 0);
	return moved;
}

static uint64_t my_start(void)
{
	char state;
	uint64_t start = 0;
	cr_assert_eq(sw_proc_stat(getpid(), &state, &start), 0);
	return start;
}

static bool warned(const char *what)
{
	for (size_t i = 0; i < model.nwarnings; i++)
		if (strstr(model.warnings[i], what))
			return true;
	return false;
}

/* --- tests -------------------------------------------------------------- */

Test(engine, active_slots_are_drained_and_read_at_the_end)
{
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	claim(&f, 0, 4242);
	for (int k = 0; k < 5; k++)
		call(&f, 0, SW_ROW_openat, 1000, k < 2);
	cr_assert_gt(pass(), 0, "the ring was drained");
	cr_assert_eq(slot(&f, 0)->tail, slot(&f, 0)->head);
	cr_assert_eq(model.sums[SW_ROW_openat].calls, 0, "live counters wait");
	call(&f, 0, SW_ROW_openat, 3000, false);
	cr_assert_eq(sw_engine_finish(eng), 0);
	const struct sw_rowstat *st = &model.sums[SW_ROW_openat];
	cr_assert_eq(st->calls, 6);
	cr_assert_eq(st->errors, 2);
	cr_assert_eq(st->total_ns, 8000);
	cr_assert_eq(st->min_ns, 1000);
	cr_assert_eq(st->max_ns, 3000);
	cr_assert_eq(model.nprocs, 1);
	cr_assert_str_eq(model.procs[0].command, "fake");
	cr_assert_eq(f.h->state, SW_SEG_RELEASED);
	cr_assert_eq(f.h->collector_pid, getpid());
	drop_seg(&f);
}

Test(engine, exited_slots_are_harvested_zeroed_and_freed)
{
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	claim(&f, 0, 100);
	call(&f, 0, SW_ROW_read, 500, false);
	call(&f, 0, SW_ROW_read, 700, true);
	slot(&f, 0)->dropped[SW_DROP_RING_FULL] = 3;
	slot(&f, 0)->end_ticks = sw_mono_ns();
	__atomic_store_n(&slot(&f, 0)->state, SW_SLOT_EXITED, __ATOMIC_RELEASE);
	pass();
	struct sw_slot_header *s = slot(&f, 0);
	cr_assert_eq(s->state, SW_SLOT_FREE);
	cr_assert_eq(s->head, 0);
	cr_assert_eq(s->tail, 0);
	cr_assert_eq(s->events, 0);
	cr_assert_eq(s->dropped[SW_DROP_RING_FULL], 0);
	cr_assert_eq(counters(&f, 0)[SW_ROW_read].calls, 0);
	/* Monotonic ticks need no calibration: already in the model. */
	cr_assert_eq(model.sums[SW_ROW_read].calls, 2);
	cr_assert_eq(model.dropped[SW_DROP_RING_FULL], 3);

	/* The slot is claimed again by a new thread: a new identity. */
	claim(&f, 0, 101);
	call(&f, 0, SW_ROW_read, 900, false);
	cr_assert_eq(sw_engine_finish(eng), 0);
	cr_assert_eq(model.sums[SW_ROW_read].calls, 3);
	cr_assert_eq(model.sums[SW_ROW_read].errors, 1);
	cr_assert_eq(model.ntids, 2);
	drop_seg(&f);
}

Test(engine, a_segment_not_ready_is_retried)
{
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), false);
	pass();
	cr_assert_eq(model.nprocs, 0);
	cr_assert_eq(model.nwarnings, 0);
	__atomic_store_n(&f.h->magic, SW_SEG_MAGIC, __ATOMIC_RELEASE);
	pass();
	cr_assert_eq(model.nprocs, 1);
	drop_seg(&f);
}

Test(engine, a_malformed_segment_is_skipped_the_others_reported)
{
	start_engine(NULL);
	struct fake bad = make_seg(77777, 0, 0, true);
	bad.h->nslots = 0;
	struct fake good = make_seg(getpid(), 0, my_start(), true);
	claim(&good, 0, 5);
	call(&good, 0, SW_ROW_close, 100, false);
	cr_assert_eq(sw_engine_finish(eng), 0);
	cr_assert(warned("77777.0.seg: nslots 0 out of range"),
		  "warning: %s", model.nwarnings ? model.warnings[0] : "(none)");
	cr_assert_eq(model.sums[SW_ROW_close].calls, 1);
	drop_seg(&bad);
	drop_seg(&good);
}

Test(engine, a_corrupt_ring_is_reported_and_collection_goes_on)
{
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	claim(&f, 0, 9);
	call(&f, 0, SW_ROW_write, 100, false);
	struct sw_slot_header *s = slot(&f, 0);
	ring(&f, 0)[s->head & (RING - 1)] = 0x7f; /* 127 bytes that are not there */
	s->head += 1;
	pass();
	cr_assert(warned("corrupt event ring"));
	cr_assert_eq(s->tail, s->head);
	call(&f, 0, SW_ROW_write, 100, false);
	pass();
	cr_assert_eq(s->tail, s->head);
	cr_assert_eq(sw_engine_finish(eng), 0);
	cr_assert_eq(model.sums[SW_ROW_write].calls, 2, "counters are unaffected");
	drop_seg(&f);
}

Test(engine, a_segment_truncated_under_us_does_not_crash)
{
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	claim(&f, 0, 9);
	call(&f, 0, SW_ROW_write, 100, false);
	pass();
	drop_seg(&f);
	char name[64];
	snprintf(name, sizeof(name), "%d.0.seg", (int)getpid());
	int fd = openat(sess.dirfd, name, O_RDWR);
	cr_assert_eq(ftruncate(fd, 4096), 0); /* the slots are gone */
	close(fd);
	pass();
	cr_assert(warned("truncated"), "%s", model.nwarnings ? model.warnings[0] : "");
	cr_assert_eq(sw_engine_finish(eng), 0);
}

Test(engine, a_dead_process_is_retired_and_its_file_removed)
{
	start_engine(NULL);
	pid_t child = fork();
	if (child == 0)
		_exit(0);
	waitpid(child, NULL, 0);
	struct fake f = make_seg(child, 0, 0, true);
	claim(&f, 0, child);
	call(&f, 0, SW_ROW_mmap, 100, false);
	f.h->exit_status = 7;
	__atomic_store_n(&f.h->state, SW_SEG_EXITED, __ATOMIC_RELEASE);
	pass(); /* the first pass also checks liveness */
	cr_assert_eq(f.h->state, SW_SEG_RELEASED);
	char name[64];
	struct stat st;
	snprintf(name, sizeof(name), "%d.0.seg", (int)child);
	cr_assert_neq(fstatat(sess.dirfd, name, &st, 0), 0, "file removed");
	cr_assert_eq(model.sums[SW_ROW_mmap].calls, 1);
	cr_assert_eq(model.nprocs, 1);
	cr_assert(model.procs[0].has_exit);
	cr_assert_eq(model.procs[0].exit_status, 7);
	/* A status from waitpid() wins: killed by SIGKILL. */
	sw_engine_reaped(eng, child, 9);
	cr_assert_eq(model.procs[0].exit_status, 128 + 9);
	drop_seg(&f);
}

Test(engine, tsc_ticks_are_converted_to_nanoseconds)
{
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), false);
	f.h->clock = SW_CLOCK_TSC;
	f.h->base_mono_ns = sw_mono_ns();
	f.h->base_ticks = sw_rdtsc();
	__atomic_store_n(&f.h->magic, SW_SEG_MAGIC, __ATOMIC_RELEASE);
	claim(&f, 0, 9);
	uint64_t t0 = sw_rdtsc(), n0 = sw_mono_ns();
	usleep(30000);
	uint64_t ticks = sw_rdtsc() - t0, ns = sw_mono_ns() - n0;
	call(&f, 0, SW_ROW_fsync, ticks, false);
	pass();
	cr_assert_eq(sw_engine_finish(eng), 0);
	double got = (double)model.sums[SW_ROW_fsync].total_ns;
	cr_assert(got > ns * 0.99 && got < ns * 1.01, "%f ns for %lu ns", got,
		  (unsigned long)ns);
	drop_seg(&f);
}

Test(engine, the_trace_gets_events_and_the_same_counters)
{
	char path[512], err[256];
	snprintf(path, sizeof(path), "%s.trace", dir);
	struct sw_trace_writer *tw;
	cr_assert_eq(sw_trace_create(&tw, path, err, sizeof(err)), 0, "%s", err);
	sw_trace_header(tw, &model);
	start_engine(tw);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	claim(&f, 0, 11);
	for (int k = 0; k < 50; k++)
		call(&f, 0, SW_ROW_lseek, 10 + k, k % 5 == 0);
	pass();
	cr_assert_eq(sw_engine_finish(eng), 0);
	sw_trace_summary(tw, &model);
	cr_assert_eq(sw_trace_close(tw), 0);

	FILE *t = fopen(path, "r");
	struct sw_model back;
	sw_model_init(&back);
	cr_assert_eq(sw_trace_read(t, &back, err, sizeof(err)), 0, "%s", err);
	fclose(t);
	unlink(path);
	cr_assert_eq(memcmp(&back.sums[SW_ROW_lseek], &model.sums[SW_ROW_lseek],
			    sizeof(struct sw_rowstat)), 0);
	cr_assert_eq(back.sums[SW_ROW_lseek].calls, 50);
	cr_assert_eq(back.sums[SW_ROW_lseek].errors, 10);
	cr_assert_eq(back.events, 50);
	sw_model_free(&back);
	drop_seg(&f);
}

/* --- hostile slots (issue 10, point 6) ------------------------------------ */

/* The thread of slot i ends (as the shim's thread exit does). */
static void exit_slot(struct fake *f, uint32_t i)
{
	slot(f, i)->end_ticks = sw_mono_ns();
	__atomic_store_n(&slot(f, i)->state, SW_SLOT_EXITED, __ATOMIC_RELEASE);
}

Test(engine, impossible_counters_are_left_out_and_named)
{
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	claim(&f, 0, 100);
	call(&f, 0, SW_ROW_read, 500, false);
	call(&f, 0, SW_ROW_openat, 700, true);
	counters(&f, 0)[SW_ROW_openat].errors = 5; /* 1 call */
	exit_slot(&f, 0);
	claim(&f, 1, 101);
	call(&f, 1, SW_ROW_read, 900, false);
	exit_slot(&f, 1);
	pass();
	cr_assert_eq(slot(&f, 0)->state, SW_SLOT_FREE, "the corrupt slot is given back");
	cr_assert_eq(model.sums[SW_ROW_openat].calls, 0, "the corrupt slot is not added in");
	cr_assert_eq(model.sums[SW_ROW_read].calls, 1, "the plausible one is");
	cr_assert(warned("slot 0 (thread 100) is corrupt (row"), "not named");
	cr_assert(warned("more errors than calls"));
	char who[64];
	snprintf(who, sizeof(who), "process %d (fake)", (int)getpid());
	cr_assert(warned(who), "the process is not named");
	cr_assert_eq(sw_engine_finish(eng), 0);
	drop_seg(&f);
}

/* A recording left with siglongjmp leaves its row torn for good (calls
 * bumped, histogram not): each loss counted under SW_DROP_JUMPED buys that
 * much slack, and no more. */
Test(engine, a_histogram_torn_by_siglongjmp_is_accepted_only_with_its_drops)
{
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	claim(&f, 0, 100);
	call(&f, 0, SW_ROW_read, 500, false);
	counters(&f, 0)[SW_ROW_read].calls += 10; /* ten recordings cut short */
	slot(&f, 0)->dropped[SW_DROP_JUMPED] = 1;
	exit_slot(&f, 0);
	claim(&f, 1, 101);
	call(&f, 1, SW_ROW_read, 900, false);
	counters(&f, 1)[SW_ROW_read].calls += 10;
	slot(&f, 1)->dropped[SW_DROP_JUMPED] = 2;
	exit_slot(&f, 1);
	pass();
	cr_assert_eq(model.sums[SW_ROW_read].calls, 11, "only the slot whose drops explain it");
	cr_assert(warned("slot 0 (thread 100) is corrupt (row"), "the unexplained tear is kept");
	cr_assert(!warned("slot 1 (thread 101) is corrupt"), "the explained tear is refused wrongly");
	cr_assert_eq(sw_engine_finish(eng), 0);
	drop_seg(&f);
}

Test(engine, a_slot_exited_again_without_a_new_claim_is_refused)
{
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	claim(&f, 0, 100);
	call(&f, 0, SW_ROW_read, 500, false);
	exit_slot(&f, 0);
	pass();
	cr_assert_eq(model.sums[SW_ROW_read].calls, 1);
	/* Another process writes counters and flips it, same generation. */
	for (int k = 0; k < 3; k++) {
		slot(&f, 0)->tid = 100;
		call(&f, 0, SW_ROW_read, 500, false);
		exit_slot(&f, 0);
		pass();
	}
	cr_assert_eq(sw_engine_finish(eng), 0);
	cr_assert_eq(model.sums[SW_ROW_read].calls, 1, "phantom threads were added in");
	cr_assert_eq(model.ntids, 1);
	cr_assert(warned("set to exited again without a new thread"));
	drop_seg(&f);
}

Test(engine, threads_beyond_what_a_segment_may_keep_are_summed, .timeout = 60)
{
	enum { N = 4200 };
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	for (int k = 0; k < N; k++) {
		claim(&f, 0, 1000 + k);
		call(&f, 0, SW_ROW_read, 500, false);
		exit_slot(&f, 0);
		pass();
	}
	cr_assert_eq(sw_engine_finish(eng), 0);
	cr_assert_eq(model.sums[SW_ROW_read].calls, N, "every call is still counted");
	cr_assert_leq(model.nthreads, 4096 + 1, "%zu thread records", model.nthreads);
	cr_assert(warned("threads beyond the first 4096 are counted together"));
	drop_seg(&f);
}

/* An exec by slot i whose environment lost the shim (the shim's aux 1). */
static void exec_lost(struct fake *f, uint32_t i, const char *path)
{
	Sw__Event ev = SW__EVENT__INIT;
	uint8_t buf[SW_EVENT_MAX + 10];
	ev.has_row = ev.has_fn = ev.has_start = ev.has_aux = ev.has_path = true;
	ev.row = SW_ROW_execve;
	ev.fn = SW_FN_execve;
	ev.start = 1000;
	ev.aux = 1;
	ev.path.data = (uint8_t *)path;
	ev.path.len = strlen(path);
	size_t n = sw__event__pack(&ev, buf + 1);
	buf[0] = (uint8_t)n; /* < 128 bytes */
	struct sw_slot_header *s = slot(f, i);
	for (size_t k = 0; k <= n; k++)
		ring(f, i)[(s->head + k) & (RING - 1)] = buf[k];
	__atomic_store_n(&s->head, s->head + n + 1, __ATOMIC_RELEASE);
	s->events++;
}

/* The ring is the process's to write: it cannot make us keep more than
 * a bounded number of untraced children's names. */
Test(engine, untraced_children_named_per_segment_are_bounded)
{
	enum { N = 1000 };
	start_engine(NULL);
	struct fake f = make_seg(getpid(), 0, my_start(), true);
	claim(&f, 0, 100);
	for (int k = 0; k < N; k++) {
		exec_lost(&f, 0, "/bin/child");
		if (k % 50 == 49)
			pass();
	}
	cr_assert_eq(sw_engine_finish(eng), 0);
	cr_assert_eq(model.nuntraced, 256, "%zu untraced children kept", model.nuntraced);
	cr_assert(warned("more than 256 children ran untraced; the others are not named"));
	drop_seg(&f);
}
