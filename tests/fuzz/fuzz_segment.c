/*
 * fuzz_segment.c - libFuzzer target for the shared-memory reader: the
 * input is a segment file image. Like the collector, the header is
 * copied and checked with sw_seg_check_header() against the image's
 * size; only a usable header leads on to the slot walk (high-water mark
 * clamped by sw_seg_slots_used(), slot states, counters, drops) and a
 * full decoding drain of every live slot's ring with sw_ring_drain().
 * All of it runs on a private copy, so a drain that moves `tail` writes
 * only there. Corruption must be reported, never followed out of bounds.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "drain.h"
#include "segment.h"

/* A sink that touches every decoded field the engine reads. */
struct fuzz_sink {
	uint64_t sum;
};

static int sink_event(void *arg, Sw__Event *ev)
{
	struct fuzz_sink *s = arg;
	s->sum += ev->fn + ev->row + ev->start + ev->dur + ev->aux;
	if (ev->has_path && ev->path.len)
		s->sum += ev->path.data[ev->path.len - 1];
	return 0;
}

static int sink_flush(void *arg)
{
	(void)arg;
	return 0;
}

/* Read what a harvest would read from slot i, then drain its ring. */
static void walk_slot(const struct sw_seg *s, uint32_t i,
		      struct sw_arena *arena, struct fuzz_sink *fs)
{
	struct sw_slot_header *sh = sw_seg_slot(s, i);
	uint32_t state = __atomic_load_n(&sh->state, __ATOMIC_ACQUIRE);
	if (state != SW_SLOT_ACTIVE && state != SW_SLOT_EXITED)
		return;
	const struct sw_counter *c = sw_seg_counters(s, i);
	for (uint32_t k = 0; k < s->hdr.nrows; k++)
		fs->sum += c[k].calls + c[k].hist[SW_HIST_BUCKETS - 1];
	for (int k = 0; k < SW_DROP_NCAUSES; k++)
		fs->sum += sh->dropped[k];

	struct sw_ring ring = {
		.bytes = sw_seg_ring(s, i),
		.size = s->hdr.ring_size,
		.head = &sh->head,
		.tail = &sh->tail,
		.nrows = s->hdr.nrows,
	};
	struct sw_event_sink sink = {sink_event, sink_flush, fs, NULL};
	struct sw_drain_stats st = {0, 0};
	char err[200];
	sw_arena_reset(arena);
	(void)sw_ring_drain(&ring, arena, &sink, &st, err, sizeof(err));
	/* A second drain must find nothing left (tail reached head). */
	(void)sw_ring_drain(&ring, arena, &sink, &st, err, sizeof(err));
}

static volatile uint64_t keep;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct sw_arena arena; /* reused: one buffer for the run */
	struct fuzz_sink fs = {0};
	struct sw_seg s;
	char err[512];

	if (size < sizeof(struct sw_seg_header))
		return 0;
	if (!arena.buf && sw_arena_init(&arena, 64 * SW_ARENA_PER_EVENT) < 0)
		abort();
	memset(&s, 0, sizeof(s));
	s.fd = -1;
	memcpy(&s.hdr, data, sizeof(s.hdr));
	if (sw_seg_check_header(&s.hdr, size, err, sizeof(err)) < 0)
		return 0;
	/* Exactly the bytes sw_seg_open() would map, in a private buffer
	 * (aligned like a mapping; the header check bounds the size). */
	s.map_len = s.hdr.slots_offset + (size_t)s.hdr.nslots * s.hdr.slot_size;
	s.map = aligned_alloc(64, (s.map_len + 63) & ~(size_t)63);
	if (!s.map)
		abort();
	memcpy(s.map, data, s.map_len);

	uint32_t used = sw_seg_slots_used(&s);
	for (uint32_t i = 0; i < used; i++)
		walk_slot(&s, i, &arena, &fs);
	free(s.map);
	keep = fs.sum; /* so the reads are not optimised away */
	return 0;
}
