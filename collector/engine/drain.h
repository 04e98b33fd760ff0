/*
 * drain.h - the consumer side of a thread's event ring, and the arena the
 * decoded events live in.
 *
 * Ring (abi.h): SPSC bytes; the producer publishes `head` (bytes ever
 * written) with release order, we own `tail` (bytes ever consumed) and
 * publish it with release order. Records are a varint length, then that
 * many bytes of an sw.Event; a record may wrap around the ring's end.
 * Anything that does not add up is corruption: it is reported, tail jumps
 * to head (the producer can go on), and events decoded before it are kept.
 */
#ifndef SW_COLLECTOR_DRAIN_H
#define SW_COLLECTOR_DRAIN_H

#include <protobuf-c/protobuf-c.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syswatch.pb-c.h"

/* A bump allocator for protobuf-c: freeing is a no-op, reset frees all. */
struct sw_arena {
	ProtobufCAllocator pa; /* hand &pa to the unpack functions */
	uint8_t *buf;
	size_t size;
	size_t used;
	bool overflow;         /* an allocation did not fit */
};

/* Allocate the arena's buffer; 0 or -ENOMEM. */
int sw_arena_init(struct sw_arena *a, size_t size);

/* Forget every allocation. */
void sw_arena_reset(struct sw_arena *a);

/* Bytes still free. */
size_t sw_arena_left(const struct sw_arena *a);

/* Release the buffer. */
void sw_arena_free(struct sw_arena *a);

/* Bytes one event may need in the arena, at most. */
#define SW_ARENA_PER_EVENT (sizeof(Sw__Event) + (size_t)2 * 1200 + 64)

/* Where decoded events go. */
struct sw_event_sink {
	/* Take one event (it lives in the arena until the next flush);
	 * a negative return stops the drain with that error. */
	int (*event)(void *arg, Sw__Event *ev);
	/* The arena is about to be reset: write out what refers to it. */
	int (*flush)(void *arg);
	void *arg;
	/* Optional: which call ids are worth decoding at all (NULL: all).
	 * The id is read from the record's bytes before any decoding, so a
	 * collector without a trace pays for the few events it needs only. */
	bool (*want)(void *arg, uint32_t fn);
};

/* One ring, as the consumer sees it (pointers into the shared mapping). */
struct sw_ring {
	const uint8_t *bytes; /* ring_size bytes */
	uint32_t size;        /* a power of two */
	uint64_t *head;       /* producer position */
	uint64_t *tail;       /* our position */
	uint32_t nrows;       /* events must name a row below this */
};

struct sw_drain_stats {
	uint64_t bytes;   /* bytes consumed (including skipped ones) */
	uint64_t records; /* good records */
};

/* Consume everything between tail and the head read at entry. With an
 * arena, records are decoded and handed to sink (flushing when the arena
 * runs low); without one, only their framing is checked. Returns 0, or
 * -EBADMSG with a one-line reason in err after resyncing tail to head, or
 * the sink's error. */
int sw_ring_drain(struct sw_ring *r, struct sw_arena *arena,
		  const struct sw_event_sink *sink, struct sw_drain_stats *st,
		  char *err, size_t errlen);

#endif
