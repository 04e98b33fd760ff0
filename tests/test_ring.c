/*
 * test_ring.c - the event ring, producer (preload/ring.h) against consumer
 * (collector/engine/drain.c): records that wrap the end, a full ring dropping and
 * counting, and a producer and consumer racing on separate threads. The
 * last test also runs the real shim with a tiny ring and no collector, and
 * checks that counters stay exact while events are dropped and counted.
 */
#define _GNU_SOURCE
#include <criterion/criterion.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "drain.h"
#include "preload/encode.h"
#include "preload/ring.h"
#include "syswatch/abi.h"
#include "syswatch/rows.h"

struct ring_fixture {
	struct sw_slot_header hdr;
	uint8_t *bytes;
	uint32_t size;
	struct sw_ring view;
	struct sw_arena arena;
};

static void fixture_init(struct ring_fixture *f, uint32_t size)
{
	memset(&f->hdr, 0, sizeof f->hdr);
	f->size = size;
	f->bytes = aligned_alloc(64, size);
	cr_assert_not_null(f->bytes);
	memset(f->bytes, 0xAA, size);
	f->view = (struct sw_ring){.bytes = f->bytes, .size = size, .head = &f->hdr.head,
				   .tail = &f->hdr.tail, .nrows = SW_ROW_COUNT};
	cr_assert_eq(sw_arena_init(&f->arena, 1 << 20), 0);
}

static void fixture_fini(struct ring_fixture *f)
{
	sw_arena_free(&f->arena);
	free(f->bytes);
}

/* Encode an event whose start is seq, with a path of plen bytes, framed. */
static size_t make_record(uint8_t *out, uint64_t seq, uint32_t plen)
{
	static char path[SW_PATH_MAX];
	memset(path, 'p', sizeof path);
	struct sw_event ev = {.row = SW_ROW_read, .fn = 1, .start = seq, .dur = seq * 3,
			      .result = (int64_t)seq, .has_path = plen > 0, .path = path,
			      .path_len = plen};
	uint8_t body[SW_EVENT_MAX];
	size_t n = sw__encode_event(body, &ev);
	uint8_t *p = sw__put_varint(out, n);
	memcpy(p, body, n);
	return (size_t)(p - out) + n;
}

struct collect {
	uint64_t next;   /* next sequence number expected, at least */
	uint64_t got;
	int out_of_order;
};

static int on_event(void *arg, Sw__Event *ev)
{
	struct collect *c = arg;
	if (ev->start < c->next || ev->dur != ev->start * 3 || ev->result != (int64_t)ev->start)
		c->out_of_order++;
	c->next = ev->start + 1;
	c->got++;
	return 0;
}

static int on_flush(void *arg)
{
	(void)arg;
	return 0;
}

static int drain(struct ring_fixture *f, struct collect *c)
{
	struct sw_event_sink sink = {.event = on_event, .flush = on_flush, .arg = c};
	struct sw_drain_stats st = {0};
	char err[256] = "";
	int r = sw_ring_drain(&f->view, &f->arena, &sink, &st, err, sizeof err);
	sw_arena_reset(&f->arena);
	cr_assert_eq(r, 0, "drain failed: %s", err);
	return r;
}

Test(ring, records_that_wrap_the_end_come_back_whole)
{
	struct ring_fixture f;
	fixture_init(&f, 4096);
	struct collect c = {0};
	uint8_t rec[SW_EVENT_MAX];
	uint64_t seq = 0;
	/* Odd-sized records walk the split point across every offset. */
	for (int round = 0; round < 2000; round++) {
		size_t n = make_record(rec, seq, (uint32_t)(round * 7 % 300));
		cr_assert_eq(sw__ring_push(&f.hdr, f.bytes, f.size, rec, n), 0);
		seq++;
		if (round % 3 == 2)
			drain(&f, &c);
	}
	drain(&f, &c);
	cr_expect_eq(c.got, seq);
	cr_expect_eq(c.out_of_order, 0);
	cr_expect_eq(f.hdr.head, f.hdr.tail);
	cr_expect_gt(f.hdr.head, 10 * f.size, "the test must wrap many times");
	fixture_fini(&f);
}

Test(ring, refuses_a_record_when_full_and_keeps_what_it_has)
{
	struct ring_fixture f;
	fixture_init(&f, 4096);
	uint8_t rec[SW_EVENT_MAX];
	uint64_t seq = 0, pushed = 0, refused = 0;
	for (int i = 0; i < 1000; i++) {
		size_t n = make_record(rec, seq++, 100);
		if (sw__ring_push(&f.hdr, f.bytes, f.size, rec, n) == 0)
			pushed++;
		else
			refused++;
	}
	cr_expect_gt(refused, 0);
	cr_expect_leq(f.hdr.head - f.hdr.tail, f.size);
	struct collect c = {0};
	drain(&f, &c);
	cr_expect_eq(c.got, pushed, "every accepted record is read back");
	/* Room again after the consumer moved on. */
	size_t n = make_record(rec, seq, 100);
	cr_expect_eq(sw__ring_push(&f.hdr, f.bytes, f.size, rec, n), 0);
	fixture_fini(&f);
}

struct race {
	struct ring_fixture *f;
	uint64_t produced, dropped;
	volatile int done;
};

static void *producer(void *arg)
{
	struct race *r = arg;
	uint8_t rec[SW_EVENT_MAX];
	for (uint64_t seq = 0; seq < 300000; seq++) {
		size_t n = make_record(rec, seq, (uint32_t)(seq % 61));
		if (sw__ring_push(&r->f->hdr, r->f->bytes, r->f->size, rec, n) != 0)
			r->dropped++;
		r->produced++;
	}
	__atomic_store_n(&r->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

Test(ring, concurrent_producer_and_consumer_lose_nothing_uncounted)
{
	struct ring_fixture f;
	fixture_init(&f, 16384);
	struct race r = {.f = &f};
	struct collect c = {0};
	pthread_t th;
	pthread_create(&th, NULL, producer, &r);
	while (!__atomic_load_n(&r.done, __ATOMIC_ACQUIRE))
		drain(&f, &c);
	pthread_join(th, NULL);
	drain(&f, &c);
	cr_expect_eq(c.got + r.dropped, r.produced, "got %llu + dropped %llu != produced %llu",
		     (unsigned long long)c.got, (unsigned long long)r.dropped,
		     (unsigned long long)r.produced);
	cr_expect_eq(c.out_of_order, 0, "records arrive in order and intact");
	fixture_fini(&f);
}

/* The real shim, a 4 KiB ring, nobody draining: calls stay exact, every
 * event is either in the ring or counted as dropped. */
Test(ring, shim_with_a_tiny_ring_counts_every_call_and_every_drop)
{
	const char *build = getenv("SW_BUILD_DIR");
	cr_assert_not_null(build, "SW_BUILD_DIR must name the build directory");
	char shim[PATH_MAX], sess[] = "/tmp/sw-ring-XXXXXX";
	snprintf(shim, sizeof shim, "%s/libsyswatch.so", build);
	cr_assert_not_null(mkdtemp(sess));
	const int N = 20000;
	pid_t pid = fork();
	if (pid == 0) {
		setenv("LD_PRELOAD", shim, 1);
		setenv("SYSWATCH_SESSION", sess, 1);
		setenv("SYSWATCH_RING_KB", "4", 1);
		char n[16];
		snprintf(n, sizeof n, "%d", N);
		/* dd does exactly N reads of /dev/zero and N writes to /dev/null. */
		char count[32];
		snprintf(count, sizeof count, "count=%s", n);
		execlp("dd", "dd", "if=/dev/zero", "of=/dev/null", "bs=1", count, "status=none",
		       (char *)NULL);
		_exit(127);
	}
	int status;
	waitpid(pid, &status, 0);
	cr_assert(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	char seg[PATH_MAX];
	snprintf(seg, sizeof seg, "%s/%d.0.seg", sess, pid);
	int fd = open(seg, O_RDONLY);
	cr_assert_geq(fd, 0, "no segment %s", seg);
	struct stat st;
	fstat(fd, &st);
	uint8_t *m = mmap(NULL, st.st_size, PROT_READ, MAP_SHARED, fd, 0);
	close(fd);
	const struct sw_seg_header *h = (const void *)m;
	cr_assert_eq(h->ring_size, 4096u);
	uint64_t reads = 0, writes = 0, calls = 0, events = 0, dropped = 0;
	for (uint32_t i = 0; i < h->slots_used; i++) {
		const uint8_t *s = m + h->slots_offset + (uint64_t)i * h->slot_size;
		const struct sw_slot_header *sh = (const void *)s;
		const struct sw_counter *c = (const void *)(s + h->slot_header_size);
		reads += c[SW_ROW_read].calls;
		writes += c[SW_ROW_write].calls;
		for (uint32_t r = 0; r < h->nrows; r++)
			calls += c[r].calls - c[r].untimed;
		events += sh->events;
		dropped += sh->dropped[SW_DROP_RING_FULL] + sh->dropped[SW_DROP_TOO_BIG];
	}
	munmap(m, st.st_size);
	cr_expect_geq(reads, (uint64_t)N, "dd read %d times, counted %llu", N,
		      (unsigned long long)reads);
	cr_expect_leq(reads, (uint64_t)N + 3);
	cr_expect_eq(writes, (uint64_t)N);
	cr_expect_gt(dropped, 0, "a 4 KiB ring must overflow");
	cr_expect_eq(events + dropped, calls, "every timed call is an event or a counted drop");
	char cmd[PATH_MAX + 16];
	snprintf(cmd, sizeof cmd, "rm -rf %s", sess);
	cr_expect_eq(system(cmd), 0);
}
