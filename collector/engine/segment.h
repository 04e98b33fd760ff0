/*
 * segment.h - open, validate and map one process's segment file.
 *
 * Everything in a segment is untrusted: the header is copied and checked
 * once (sizes, offsets, limits); afterwards only the checked copy's sizes
 * are used to find slots, counters and rings, so a writer that changes
 * them later cannot send us out of bounds. A file truncated under us is
 * caught by sw_seg_guard() (SIGBUS becomes -EFAULT).
 */
#ifndef SW_COLLECTOR_SEGMENT_H
#define SW_COLLECTOR_SEGMENT_H

#include <stddef.h>
#include <stdint.h>

#include "syswatch/abi.h"

struct sw_seg {
	char name[64];            /* file name in the session directory */
	int fd;                   /* open read-write */
	uint8_t *map;             /* MAP_SHARED, read-write */
	size_t map_len;           /* header + all slots */
	struct sw_seg_header hdr; /* the header as checked at open */
};

/* Check a header read from a file of file_size bytes. 0 if usable,
 * -EAGAIN if the writer has not finished it (magic still 0), otherwise
 * -EINVAL with the reason in err. */
int sw_seg_check_header(const struct sw_seg_header *h, uint64_t file_size,
			char *err, size_t errlen);

/* Open, check and map segment `name` of the session directory dirfd,
 * whose name says it belongs to (pid, epoch). 0; -EAGAIN if the file is
 * not ready yet (retry later); otherwise a negative errno and the reason
 * in err (symlink, not ours, not a regular file, bad header...). */
int sw_seg_open(struct sw_seg *s, int dirfd, const char *name, int32_t pid,
		uint32_t epoch, char *err, size_t errlen);

/* Unmap and close; safe on a segment that failed to open. */
void sw_seg_close(struct sw_seg *s);

/* The live header (fields the writer updates are read atomically). */
static inline struct sw_seg_header *sw_seg_live(const struct sw_seg *s)
{
	return (struct sw_seg_header *)s->map;
}

/* Slot i's header; i < hdr.nslots. */
static inline struct sw_slot_header *sw_seg_slot(const struct sw_seg *s,
						 uint32_t i)
{
	return (struct sw_slot_header *)(s->map + s->hdr.slots_offset +
					 (uint64_t)i * s->hdr.slot_size);
}

/* Slot i's counters (hdr.nrows of them). */
static inline struct sw_counter *sw_seg_counters(const struct sw_seg *s,
						 uint32_t i)
{
	return (struct sw_counter *)((uint8_t *)sw_seg_slot(s, i) +
				     s->hdr.slot_header_size);
}

/* Slot i's ring (hdr.ring_size bytes). */
static inline uint8_t *sw_seg_ring(const struct sw_seg *s, uint32_t i)
{
	return (uint8_t *)sw_seg_counters(s, i) +
	       (size_t)s->hdr.nrows * s->hdr.counter_size;
}

/* Slots possibly in use: the writer's high-water mark, clamped. */
uint32_t sw_seg_slots_used(const struct sw_seg *s);

/* Run fn(arg) so that a SIGBUS (segment truncated under us) makes it
 * return -EFAULT instead of killing the collector. fn must not leave
 * anything half-done that matters if it is abandoned at any access to a
 * mapping. Not reentrant across threads (the collector has one). */
int sw_seg_guard(int (*fn)(void *), void *arg);

#endif
