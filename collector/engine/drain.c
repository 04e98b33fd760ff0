/*
 * drain.c - ring consumer and protobuf arena (see drain.h).
 */
#include "drain.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syswatch/abi.h"

static void *arena_alloc(void *data, size_t size)
{
	struct sw_arena *a = data;
	size_t off = (a->used + 15) & ~(size_t)15;
	if (off > a->size || size > a->size - off) {
		a->overflow = true;
		return NULL;
	}
	a->used = off + size;
	return a->buf + off;
}

static void arena_free(void *data, void *p)
{
	(void)data;
	(void)p;
}

int sw_arena_init(struct sw_arena *a, size_t size)
{
	memset(a, 0, sizeof(*a));
	a->buf = malloc(size);
	if (!a->buf)
		return -ENOMEM;
	a->size = size;
	a->pa.alloc = arena_alloc;
	a->pa.free = arena_free;
	a->pa.allocator_data = a;
	return 0;
}

void sw_arena_reset(struct sw_arena *a)
{
	a->used = 0;
	a->overflow = false;
}

size_t sw_arena_left(const struct sw_arena *a)
{
	return a->size - a->used;
}

void sw_arena_free(struct sw_arena *a)
{
	free(a->buf);
	memset(a, 0, sizeof(*a));
}

/* Copy n bytes starting at ring position pos (wrapping) into out. */
static void ring_copy(const struct sw_ring *r, uint64_t pos, uint8_t *out,
		      size_t n)
{
	size_t at = (size_t)(pos & (r->size - 1));
	size_t first = r->size - at;
	if (first > n)
		first = n;
	memcpy(out, r->bytes + at, first);
	memcpy(out + first, r->bytes, n - first);
}

/* Read a varint at pos with at most `avail` bytes left; returns the
 * number of bytes it took, or 0 if it is cut short or too long. */
static unsigned ring_varint(const struct sw_ring *r, uint64_t pos,
			    uint64_t avail, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 10 && i < avail; i++) {
		uint8_t b = r->bytes[(pos + i) & (r->size - 1)];
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			*out = v;
			return i + 1;
		}
	}
	return 0;
}

/* The call id (field 2) of the record of len bytes at pos, read without
 * decoding it: true with *fn, or false if it is not found in a
 * well-formed prefix (then the record is decoded and judged in full). */
static bool ring_fn(const struct sw_ring *r, uint64_t pos, uint64_t len,
		    uint32_t *fn)
{
	uint64_t at = 0;
	while (at < len) {
		uint64_t key, v;
		unsigned n = ring_varint(r, pos + at, len - at, &key);
		if (n == 0)
			return false;
		at += n;
		switch (key & 7) {
		case 0: /* varint */
			n = ring_varint(r, pos + at, len - at, &v);
			if (n == 0)
				return false;
			at += n;
			if ((key >> 3) == 2) {
				*fn = v > UINT32_MAX ? UINT32_MAX : (uint32_t)v;
				return true;
			}
			break;
		case 1:
			at += 8;
			break;
		case 2:
			n = ring_varint(r, pos + at, len - at, &v);
			if (n == 0 || v > len)
				return false;
			at += n + v;
			break;
		case 5:
			at += 4;
			break;
		default:
			return false;
		}
	}
	return false;
}

static int corrupt(struct sw_ring *r, uint64_t head, struct sw_drain_stats *st,
		   uint64_t tail, char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 7, 8)));

/* Report corruption and resynchronise: everything up to head is skipped. */
static int corrupt(struct sw_ring *r, uint64_t head, struct sw_drain_stats *st,
		   uint64_t tail, char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	st->bytes += head - tail;
	__atomic_store_n(r->tail, head, __ATOMIC_RELEASE);
	return -EBADMSG;
}

int sw_ring_drain(struct sw_ring *r, struct sw_arena *arena,
		  const struct sw_event_sink *sink, struct sw_drain_stats *st,
		  char *err, size_t errlen)
{
	uint8_t rec[SW_EVENT_MAX];
	uint64_t head = __atomic_load_n(r->head, __ATOMIC_ACQUIRE);
	uint64_t tail = __atomic_load_n(r->tail, __ATOMIC_RELAXED);
	uint64_t start = tail;
	int rc = 0;

	if (head - tail > r->size)
		return corrupt(r, head, st, tail, err, errlen,
			       "ring positions head %" PRIu64 " tail %" PRIu64
			       " are more than the ring size %" PRIu32 " apart",
			       head, tail, r->size);
	while (tail != head) {
		uint64_t avail = head - tail, len;
		unsigned n = ring_varint(r, tail, avail, &len);
		if (n == 0)
			return corrupt(r, head, st, start, err, errlen,
				       "record length cut short at ring "
				       "position %" PRIu64, tail);
		if (len > SW_EVENT_MAX)
			return corrupt(r, head, st, start, err, errlen,
				       "record of %" PRIu64 " bytes at ring "
				       "position %" PRIu64 " exceeds %u",
				       len, tail, SW_EVENT_MAX);
		if (len > avail - n)
			return corrupt(r, head, st, start, err, errlen,
				       "record of %" PRIu64 " bytes at ring "
				       "position %" PRIu64 " runs past head "
				       "%" PRIu64, len, tail, head);
		uint32_t fn;
		/* Records the sink does not want: framing checked, skipped. */
		bool skip = arena && sink->want &&
			    ring_fn(r, tail + n, len, &fn) &&
			    !sink->want(sink->arg, fn);
		if (arena && !skip) {
			if (sw_arena_left(arena) < SW_ARENA_PER_EVENT) {
				rc = sink->flush(sink->arg);
				sw_arena_reset(arena);
				if (rc < 0)
					break;
			}
			ring_copy(r, tail + n, rec, (size_t)len);
			Sw__Event *ev = sw__event__unpack(&arena->pa, (size_t)len,
							  rec);
			if (!ev)
				return corrupt(r, head, st, start, err, errlen,
					       "undecodable event of %" PRIu64
					       " bytes at ring position %" PRIu64,
					       len, tail);
			if ((ev->has_row && ev->row >= r->nrows) ||
			    (ev->has_path && ev->path.len > SW_PATH_MAX))
				return corrupt(r, head, st, start, err, errlen,
					       "event at ring position %" PRIu64
					       " has an out-of-range field", tail);
			rc = sink->event(sink->arg, ev);
			if (rc < 0)
				break;
		}
		tail += n + len;
		st->records++;
	}
	st->bytes += tail - start;
	__atomic_store_n(r->tail, tail, __ATOMIC_RELEASE);
	return rc;
}
