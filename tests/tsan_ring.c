/*
 * tsan_ring.c - the ring's producer (preload/ring.h) and consumer
 * (collector/engine/drain.c) racing on two threads, built with ThreadSanitizer
 * (make test-tsan). A plain program rather than a Criterion test: Criterion's
 * runner cannot set up its shared arena inside TSan's address layout.
 * Exit 0 when every record came back intact and in order, or was refused
 * and counted; TSan itself fails the run on a data race.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "preload/encode.h"
#include "preload/ring.h"
#include "syswatch/abi.h"
#include "syswatch/rows.h"

#define RING 8192u
#define RECORDS 200000u

static struct sw_slot_header hdr;
static uint8_t *bytes;
static uint64_t produced, dropped, got, bad, next;
static int done;

static void *producer(void *arg)
{
	uint8_t rec[SW_EVENT_MAX], body[SW_EVENT_MAX];
	static char path[64];
	memset(path, 'p', sizeof path);
	for (uint64_t seq = 0; seq < RECORDS; seq++) {
		struct sw_event ev = {.row = SW_ROW_read, .fn = 1, .start = seq, .dur = seq * 3,
				      .result = (int64_t)seq, .has_path = 1, .path = path,
				      .path_len = (uint32_t)(seq % 61)};
		size_t n = sw__encode_event(body, &ev);
		uint8_t *p = sw__put_varint(rec, n);
		memcpy(p, body, n);
		if (sw__ring_push(&hdr, bytes, RING, rec, (size_t)(p - rec) + n) != 0)
			dropped++;
		produced++;
	}
	__atomic_store_n(&done, 1, __ATOMIC_RELEASE);
	return arg;
}

static int on_event(void *arg, Sw__Event *ev)
{
	(void)arg;
	if (ev->start < next || ev->dur != ev->start * 3 || ev->result != (int64_t)ev->start)
		bad++;
	next = ev->start + 1;
	got++;
	return 0;
}

static int on_flush(void *arg)
{
	(void)arg;
	return 0;
}

static void drain(struct sw_arena *arena)
{
	struct sw_ring view = {.bytes = bytes, .size = RING, .head = &hdr.head, .tail = &hdr.tail,
			       .nrows = SW_ROW_COUNT};
	struct sw_event_sink sink = {.event = on_event, .flush = on_flush};
	struct sw_drain_stats st = {0};
	char err[256] = "";
	if (sw_ring_drain(&view, arena, &sink, &st, err, sizeof err) != 0) {
		fprintf(stderr, "tsan_ring: drain failed: %s\n", err);
		exit(1);
	}
	sw_arena_reset(arena);
}

int main(void)
{
	bytes = aligned_alloc(64, RING);
	struct sw_arena arena;
	if (bytes == NULL || sw_arena_init(&arena, 1 << 20) != 0)
		return 1;
	pthread_t th;
	pthread_create(&th, NULL, producer, NULL);
	while (!__atomic_load_n(&done, __ATOMIC_ACQUIRE))
		drain(&arena);
	pthread_join(th, NULL);
	drain(&arena);
	sw_arena_free(&arena);
	free(bytes);
	printf("tsan_ring: produced %llu, read %llu, refused %llu, out of order %llu\n",
	       (unsigned long long)produced, (unsigned long long)got,
	       (unsigned long long)dropped, (unsigned long long)bad);
	return got + dropped == produced && bad == 0 ? 0 : 1;
}
