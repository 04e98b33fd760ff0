/*
 * test_decode.c - the ring consumer: records are decoded across the end of
 * the ring, and every kind of corruption is reported (never a crash),
 * keeps the good records before it and resynchronises tail to head.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <string.h>

#include "drain.h"
#include "syswatch/abi.h"
#include "syswatch/rows.h"

#define RING 4096u

static uint8_t bytes[RING];
static uint64_t head, tail;
static struct sw_arena arena;
static struct sw_ring ring;

/* What the sink saw. */
static uint32_t rows_seen[4096];
static uint64_t starts_seen[4096];
static size_t nseen, nflush;

static int on_event(void *arg, Sw__Event *ev)
{
	(void)arg;
	rows_seen[nseen] = ev->row;
	starts_seen[nseen] = ev->start;
	nseen++;
	return 0;
}

static int on_flush(void *arg)
{
	(void)arg;
	nflush++;
	return 0;
}

static const struct sw_event_sink sink = {on_event, on_flush, NULL, NULL};

/* An empty ring whose positions start at `at` (to place the end). */
static void setup_at(uint64_t at)
{
	memset(bytes, 0xee, sizeof(bytes));
	head = tail = at;
	nseen = nflush = 0;
	ring = (struct sw_ring){bytes, RING, &head, &tail, SW_ROW_COUNT};
	sw_arena_free(&arena); /* tests may start over several times */
	cr_assert_eq(sw_arena_init(&arena, 1 << 20), 0);
}

static void setup(void)
{
	setup_at(0);
}

static void teardown(void)
{
	sw_arena_free(&arena);
}

TestSuite(decode, .init = setup, .fini = teardown);

static void put(const uint8_t *b, size_t n)
{
	for (size_t i = 0; i < n; i++)
		bytes[(head + i) & (RING - 1)] = b[i];
	head += n;
}

static void put_varint(uint64_t v)
{
	uint8_t b[10];
	size_t n = 0;
	do {
		b[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			b[n] |= 0x80;
		n++;
	} while (v);
	put(b, n);
}

/* Write one length-prefixed event, as the shim does. */
static void put_event(uint32_t row, uint64_t start, const char *path)
{
	Sw__Event ev = SW__EVENT__INIT;
	uint8_t buf[SW_EVENT_MAX];
	ev.has_row = ev.has_start = ev.has_dur = true;
	ev.row = row;
	ev.start = start;
	ev.dur = 1234;
	if (path) {
		ev.has_path = true;
		ev.path.data = (uint8_t *)path;
		ev.path.len = strlen(path);
	}
	size_t n = sw__event__pack(&ev, buf);
	put_varint(n);
	put(buf, n);
}

static int drain(bool decode, char *err, size_t errlen)
{
	struct sw_drain_stats st = {0, 0};
	err[0] = '\0';
	return sw_ring_drain(&ring, decode ? &arena : NULL, &sink, &st, err, errlen);
}

Test(decode, records_in_order)
{
	char err[200];
	for (uint32_t i = 0; i < 10; i++)
		put_event(i % SW_ROW_COUNT, 1000 + i, NULL);
	cr_assert_eq(drain(true, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(nseen, 10);
	for (uint32_t i = 0; i < 10; i++) {
		cr_assert_eq(rows_seen[i], i);
		cr_assert_eq(starts_seen[i], 1000 + i);
	}
	cr_assert_eq(tail, head);
}

Test(decode, records_that_wrap_the_end)
{
	char err[200];
	/* Every split point: the prefix or the body crosses the end. */
	for (uint64_t at = RING - 40; at <= RING; at++) {
		setup_at(at);
		put_event(SW_ROW_openat, at, "/some/path/that/is/long/enough");
		put_event(SW_ROW_read, at + 1, NULL);
		cr_assert_eq(drain(true, err, sizeof(err)), 0, "at %lu: %s",
			     (unsigned long)at, err);
		cr_assert_eq(nseen, 2);
		cr_assert_eq(rows_seen[0], SW_ROW_openat);
		cr_assert_eq(starts_seen[1], at + 1);
		cr_assert_eq(tail, head);
	}
}

Test(decode, length_prefix_split_by_the_end)
{
	char err[200];
	/* A path long enough for a two-byte length prefix, starting on the
	 * ring's last byte. */
	char path[300];
	memset(path, 'p', sizeof(path) - 1);
	path[sizeof(path) - 1] = '\0';
	setup_at(RING - 1);
	put_event(SW_ROW_openat, 7, path);
	cr_assert_eq(drain(true, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(nseen, 1);
	cr_assert_eq(starts_seen[0], 7);
}

Test(decode, framing_only_without_an_arena)
{
	char err[200];
	for (int i = 0; i < 50; i++)
		put_event(SW_ROW_close, (uint64_t)i, NULL);
	struct sw_drain_stats st = {0, 0};
	cr_assert_eq(sw_ring_drain(&ring, NULL, &sink, &st, err, sizeof(err)), 0);
	cr_assert_eq(st.records, 50);
	cr_assert_eq(st.bytes, head);
	cr_assert_eq(nseen, 0);
	cr_assert_eq(tail, head);
}

Test(decode, truncated_record_past_head)
{
	char err[200];
	put_event(SW_ROW_read, 1, NULL);
	put_event(SW_ROW_read, 2, NULL);
	put_varint(50); /* says 50 bytes, only 10 follow */
	put((const uint8_t *)"0123456789", 10);
	cr_assert_eq(drain(true, err, sizeof(err)), -EBADMSG);
	cr_assert(strstr(err, "runs past head"), "%s", err);
	cr_assert_eq(nseen, 2, "the good records before it are kept");
	cr_assert_eq(tail, head, "resynchronised");
}

Test(decode, length_prefix_cut_short)
{
	char err[200];
	put_event(SW_ROW_read, 1, NULL);
	uint8_t b = 0x80; /* a varint that never ends */
	put(&b, 1);
	cr_assert_eq(drain(true, err, sizeof(err)), -EBADMSG);
	cr_assert(strstr(err, "cut short"), "%s", err);
	cr_assert_eq(nseen, 1);
	cr_assert_eq(tail, head);
}

Test(decode, corrupt_protobuf_bytes)
{
	char err[200];
	put_event(SW_ROW_read, 1, NULL);
	/* Field 1 with wire type 7 (invalid), then garbage. */
	static const uint8_t junk[] = {0x0f, 0xff, 0xff, 0xff, 0xff};
	put_varint(sizeof(junk));
	put(junk, sizeof(junk));
	put_event(SW_ROW_read, 3, NULL);
	cr_assert_eq(drain(true, err, sizeof(err)), -EBADMSG);
	cr_assert(strstr(err, "undecodable"), "%s", err);
	cr_assert_eq(nseen, 1);
	cr_assert_eq(tail, head);
}

Test(decode, length_over_event_max)
{
	char err[200];
	put_event(SW_ROW_read, 1, NULL);
	put_varint(SW_EVENT_MAX + 1);
	static uint8_t big[SW_EVENT_MAX + 1];
	put(big, sizeof(big));
	cr_assert_eq(drain(true, err, sizeof(err)), -EBADMSG);
	cr_assert(strstr(err, "exceeds"), "%s", err);
	cr_assert_eq(nseen, 1);
	cr_assert_eq(tail, head);
}

Test(decode, head_and_tail_further_apart_than_the_ring)
{
	char err[200];
	head = tail + RING + 1;
	cr_assert_eq(drain(true, err, sizeof(err)), -EBADMSG);
	cr_assert(strstr(err, "more than the ring size"), "%s", err);
	cr_assert_eq(nseen, 0);
	cr_assert_eq(tail, head);
	/* tail past head (a producer that went backwards) is the same. */
	tail = head + 8;
	cr_assert_eq(drain(true, err, sizeof(err)), -EBADMSG);
	cr_assert_eq(tail, head);
}

Test(decode, row_out_of_range_is_corruption)
{
	char err[200];
	put_event(SW_ROW_read, 1, NULL);
	put_event(SW_ROW_COUNT + 5, 2, NULL);
	cr_assert_eq(drain(true, err, sizeof(err)), -EBADMSG);
	cr_assert(strstr(err, "out-of-range"), "%s", err);
	cr_assert_eq(nseen, 1);
}

Test(decode, random_bytes_never_crash)
{
	char err[200];
	uint32_t x = 12345;
	for (int round = 0; round < 2000; round++) {
		head = tail = (uint64_t)round * 977;
		size_t n = (size_t)(x % RING);
		for (size_t i = 0; i < n; i++) {
			x = x * 1103515245u + 12345u;
			uint8_t b = (uint8_t)(x >> 16);
			put(&b, 1);
		}
		int rc = drain(true, err, sizeof(err));
		cr_assert(rc == 0 || rc == -EBADMSG);
		cr_assert_eq(tail, head);
		sw_arena_reset(&arena);
	}
}

Test(decode, small_arena_is_flushed_not_overrun)
{
	char err[200];
	setup_at(0);
	sw_arena_free(&arena);
	cr_assert_eq(sw_arena_init(&arena, 2 * SW_ARENA_PER_EVENT), 0);
	for (int i = 0; i < 100; i++)
		put_event(SW_ROW_openat, (uint64_t)i, "/a/path/to/decode");
	cr_assert_leq(head, RING);
	cr_assert_eq(drain(true, err, sizeof(err)), 0, "%s", err);
	cr_assert_eq(nseen, 100);
	cr_assert_geq(nflush, 3);
	cr_assert_not(arena.overflow);
}
