/*
 * test_encode.c - the shim's hand-written event encoder writes exactly the
 * bytes protobuf-c's generated pack writes for the same sw.Event.
 */
#include <criterion/criterion.h>
#include <stdlib.h>
#include <string.h>

#include "preload/encode.h"
#include "syswatch/abi.h"
#include "syswatch.pb-c.h"

/* A deterministic generator, so a failure can be replayed. */
static uint64_t rng_state = 0x9e3779b97f4a7c15ull;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/* Values spread over every varint length, with the edges. */
static uint64_t rnd_u64(void)
{
	static const uint64_t edges[] = {0, 1, 127, 128, 16383, 16384, UINT32_MAX,
					 (uint64_t)UINT32_MAX + 1, INT64_MAX, UINT64_MAX};
	switch (rnd() % 4) {
	case 0:
		return edges[rnd() % (sizeof edges / sizeof edges[0])];
	case 1:
		return rnd() % 300;
	default:
		return rnd() >> (rnd() % 64);
	}
}

static void check_one(const struct sw_event *ev)
{
	Sw__Event m = SW__EVENT__INIT;
	m.has_row = m.has_fn = m.has_start = m.has_dur = m.has_result = 1;
	m.row = ev->row;
	m.fn = ev->fn;
	m.start = ev->start;
	m.dur = ev->dur;
	m.result = ev->result;
	m.has_err = ev->has_err;
	m.err = ev->err;
	m.has_fd = ev->has_fd;
	m.fd = ev->fd;
	m.has_path = ev->has_path;
	m.path.data = (uint8_t *)ev->path;
	m.path.len = ev->path_len;
	m.has_addr = ev->has_addr;
	m.addr = ev->addr;
	m.has_aux = ev->has_aux;
	m.aux = ev->aux;
	m.has_gap = ev->has_gap;
	m.gap = ev->gap;
	m.has_sockaddr = ev->has_sa;
	m.sockaddr.data = (uint8_t *)ev->sa;
	m.sockaddr.len = ev->sa_len;

	uint8_t want[2048], got[2048];
	size_t wn = sw__event__pack(&m, want);
	cr_assert_eq(wn, sw__event__get_packed_size(&m));
	size_t gn = sw__encode_event(got, ev);
	cr_assert_eq(gn, wn, "length %zu, protobuf-c %zu", gn, wn);
	cr_assert_arr_eq(got, want, wn, "bytes differ from protobuf-c pack");

	Sw__Event *back = sw__event__unpack(NULL, gn, got);
	cr_assert_not_null(back, "protobuf-c cannot read our bytes");
	cr_expect_eq(back->row, ev->row);
	cr_expect_eq(back->result, ev->result);
	cr_expect_eq(back->has_path, ev->has_path);
	sw__event__free_unpacked(back, NULL);
}

Test(encode, matches_protobuf_c_pack_on_randomized_events)
{
	static char path[SW_PATH_MAX + 1];
	for (int i = 0; i < 200000; i++) {
		struct sw_event ev = {
			.row = (uint32_t)rnd_u64(),
			.fn = (uint32_t)rnd_u64(),
			.start = rnd_u64(),
			.dur = rnd_u64(),
			.result = (int64_t)rnd_u64(),
			.has_err = rnd() & 1,
			.has_fd = rnd() & 1,
			.has_path = rnd() & 1,
			.has_addr = rnd() & 1,
			.has_aux = rnd() & 1,
			.has_gap = rnd() & 1,
			.has_sa = rnd() & 1,
		};
		ev.aux = ev.has_aux ? rnd_u64() : 0;
		ev.gap = ev.has_gap ? rnd_u64() : 0;
		static uint8_t sa[SW_SOCKADDR_MAX];
		if (ev.has_sa) {
			ev.sa_len = (uint32_t)(rnd() % (SW_SOCKADDR_MAX + 1));
			for (uint32_t k = 0; k < ev.sa_len; k++)
				sa[k] = (uint8_t)rnd();
			ev.sa = sa;
		}
		ev.err = ev.has_err ? (uint32_t)rnd_u64() : 0;
		ev.fd = ev.has_fd ? (int32_t)rnd_u64() : 0;
		ev.addr = ev.has_addr ? rnd_u64() : 0;
		if (ev.has_path) {
			ev.path_len = (uint32_t)(rnd() % (rnd() & 1 ? 40 : SW_PATH_MAX + 1));
			for (uint32_t k = 0; k < ev.path_len; k++)
				path[k] = (char)(rnd() & 0xff);
			ev.path = path;
		}
		check_one(&ev);
	}
}

Test(encode, negative_results_and_fds_use_zigzag)
{
	struct sw_event ev = {.result = -2, .has_fd = 1, .fd = -100};
	check_one(&ev);
	ev.result = INT64_MIN;
	ev.fd = INT32_MIN;
	check_one(&ev);
}

Test(encode, largest_event_fits_the_shims_buffer)
{
	static char path[SW_PATH_MAX];
	static uint8_t sa[SW_SOCKADDR_MAX];
	memset(path, 'x', sizeof path);
	struct sw_event ev = {.row = UINT32_MAX, .fn = UINT32_MAX, .start = UINT64_MAX,
			      .dur = UINT64_MAX, .result = INT64_MIN, .has_err = 1,
			      .err = UINT32_MAX, .has_fd = 1, .fd = INT32_MIN, .has_path = 1,
			      .path = path, .path_len = SW_PATH_MAX, .has_addr = 1,
			      .addr = UINT64_MAX, .has_aux = 1, .aux = UINT64_MAX,
			      .has_gap = 1, .gap = UINT64_MAX, .has_sa = 1, .sa = sa,
			      .sa_len = SW_SOCKADDR_MAX};
	uint8_t buf[4096];
	size_t n = sw__encode_event(buf, &ev);
	cr_expect_leq(n + 2, SW_EVENT_MAX, "max event %zu + prefix exceeds SW_EVENT_MAX", n);
	check_one(&ev);
}
