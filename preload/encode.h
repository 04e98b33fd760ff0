/*
 * encode.h - the inline protobuf encoder for sw.Event (proto/syswatch.proto).
 *
 * The hot path cannot call protobuf-c (it would allocate and link a library
 * into every traced program), so the few fields of an event are written by
 * hand, in field-number order, exactly as protobuf-c's pack writes them:
 * tests/test_encode.c proves the bytes identical over randomized events.
 */
#ifndef SW_PRELOAD_ENCODE_H
#define SW_PRELOAD_ENCODE_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

enum { SW_WT_VARINT = 0, SW_WT_LEN = 2 };

/* The fields of one event; has_* say which optional fields are present. */
struct sw_event {
	uint32_t row;
	uint32_t fn;
	uint64_t start;
	uint64_t dur;
	int64_t result;
	uint32_t err;
	int32_t fd;
	uint64_t addr;
	uint64_t aux;
	uint64_t gap;
	const char *path;
	uint32_t path_len;
	const void *sa;
	uint32_t sa_len;
	unsigned has_err : 1, has_fd : 1, has_path : 1, has_addr : 1, has_aux : 1, has_gap : 1, has_sa : 1;
};

static inline uint8_t *sw__put_varint(uint8_t *p, uint64_t v)
{
	while (v >= 0x80) {
		*p++ = (uint8_t)(v | 0x80);
		v >>= 7;
	}
	*p++ = (uint8_t)v;
	return p;
}

static inline uint64_t sw__zigzag64(int64_t v)
{
	return ((uint64_t)v << 1) ^ (0u - ((uint64_t)v >> 63));
}

static inline uint32_t sw__zigzag32(int32_t v)
{
	return ((uint32_t)v << 1) ^ (0u - ((uint32_t)v >> 31));
}

static inline uint8_t *sw__put_key(uint8_t *p, unsigned field, unsigned wt)
{
	*p++ = (uint8_t)((field << 3) | wt); /* every field number is < 16 */
	return p;
}

/*
 * Encode ev as a message body into buf (no length prefix); returns the
 * number of bytes written. buf must hold 100 + path_len + sa_len bytes.
 */
static inline size_t sw__encode_event(uint8_t *buf, const struct sw_event *ev)
{
	uint8_t *p = buf;
	p = sw__put_varint(sw__put_key(p, 1, SW_WT_VARINT), ev->row);
	p = sw__put_varint(sw__put_key(p, 2, SW_WT_VARINT), ev->fn);
	p = sw__put_varint(sw__put_key(p, 3, SW_WT_VARINT), ev->start);
	p = sw__put_varint(sw__put_key(p, 4, SW_WT_VARINT), ev->dur);
	p = sw__put_varint(sw__put_key(p, 5, SW_WT_VARINT), sw__zigzag64(ev->result));
	if (ev->has_err)
		p = sw__put_varint(sw__put_key(p, 6, SW_WT_VARINT), ev->err);
	if (ev->has_fd)
		p = sw__put_varint(sw__put_key(p, 7, SW_WT_VARINT), sw__zigzag32(ev->fd));
	if (ev->has_path) {
		p = sw__put_varint(sw__put_key(p, 8, SW_WT_LEN), ev->path_len);
		memcpy(p, ev->path, ev->path_len);
		p += ev->path_len;
	}
	if (ev->has_addr)
		p = sw__put_varint(sw__put_key(p, 9, SW_WT_VARINT), ev->addr);
	if (ev->has_aux)
		p = sw__put_varint(sw__put_key(p, 10, SW_WT_VARINT), ev->aux);
	if (ev->has_gap)
		p = sw__put_varint(sw__put_key(p, 11, SW_WT_VARINT), ev->gap);
	if (ev->has_sa) {
		p = sw__put_varint(sw__put_key(p, 12, SW_WT_LEN), ev->sa_len);
		memcpy(p, ev->sa, ev->sa_len);
		p += ev->sa_len;
	}
	return (size_t)(p - buf);
}

#endif
