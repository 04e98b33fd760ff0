/*
 * ring.h - the producer side of a thread's event ring.
 *
 * Single producer (the owning thread), single consumer (the collector, in
 * another process). Positions are free-running byte counts; the byte at
 * position p lives at ring[p & (size - 1)]. The producer never waits: a
 * record that does not fit is dropped and counted.
 */
#ifndef SW_PRELOAD_RING_H
#define SW_PRELOAD_RING_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "syswatch/abi.h"

/*
 * Append len bytes as one record. Returns 0, or -1 when the ring lacks
 * room (the caller counts the drop). Safe against a concurrent consumer;
 * not against a second producer on the same ring. size is the caller's
 * own copy (a power of two); whatever head and tail say, the bytes
 * written stay inside ring[0, size).
 */
static inline int sw__ring_push(struct sw_slot_header *h, uint8_t *ring, uint32_t size,
				const uint8_t *rec, size_t len)
{
	uint64_t head = h->head; /* only this thread writes head */
	uint64_t tail = __atomic_load_n(&h->tail, __ATOMIC_ACQUIRE);
	uint64_t used = head - tail;
	/* Both positions are in shared memory, which another process may
	 * write: a tail beyond head (used wraps) or too far behind reads as
	 * "no room". The copy below is bounded by size and the mask alone. */
	if (used > size || len > size - used)
		return -1;
	uint32_t at = (uint32_t)head & (size - 1);
	uint32_t first = size - at;
	if (first >= len) {
		memcpy(ring + at, rec, len);
	} else {
		memcpy(ring + at, rec, first);
		memcpy(ring, rec + first, len - first);
	}
	__atomic_store_n(&h->head, head + len, __ATOMIC_RELEASE);
	return 0;
}

#endif
