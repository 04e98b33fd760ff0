/*
 * ev_fixture.h - hand-made events for the collector's unit tests: one
 * call at a time on a test's own clock, with the fields the shim fills
 * for every call. Shared by test_paths.c and test_net.c.
 */
#ifndef SW_TESTS_EV_FIXTURE_H
#define SW_TESTS_EV_FIXTURE_H

#include <stdint.h>

#include "evtrace.h"

/* A call of fn, counted in row, on descriptor fd (-1: none), starting at
 * *now and lasting us microseconds; *now moves past its end and one more
 * microsecond. err 0: it succeeded and returned result; else it failed
 * with errno err and returned -1. What else the call recorded (a path,
 * an address) the caller sets before sw_evtrace_add. */
static inline struct sw_ev evfx_call(uint64_t *now, uint32_t row, uint32_t fn, int fd,
				     int64_t result, int err, uint64_t us)
{
	struct sw_ev e = {.start = *now, .end = *now + us * 1000, .result = result,
			  .row = row, .fn = fn, .fd = fd};
	if (fd != -1)
		e.flags |= SW_EVF_FD;
	if (err) {
		e.flags |= SW_EVF_FAILED;
		e.err = (uint32_t)err;
		e.result = -1;
	}
	*now += us * 1000 + 1000;
	return e;
}

#endif
