/*
 * clock.c - time sources, TSC calibration, tick conversion (see clock.h).
 */
#include "clock.h"

#include <math.h>
#include <string.h>
#include <time.h>
#if defined(__x86_64__) || defined(__i386__)
#include <x86intrin.h>
#endif

/* Plausible TSC rates: 100 MHz .. 20 GHz. */
#define NS_PER_TICK_MIN 0.05
#define NS_PER_TICK_MAX 10.0

uint64_t sw_clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

uint64_t sw_mono_ns(void)
{
	return sw_clock_ns(CLOCK_MONOTONIC);
}

uint64_t sw_real_ns(void)
{
	return sw_clock_ns(CLOCK_REALTIME);
}

uint64_t sw_rdtsc(void)
{
#if defined(__x86_64__) || defined(__i386__)
	return __rdtsc();
#else
	return 0;
#endif
}

/* A (TSC, monotonic) pair taken as close together as we can: the best of
 * three brackets, so a preemption in between does not skew it. */
static void pair_now(uint64_t *ticks, uint64_t *ns)
{
	uint64_t best = UINT64_MAX;
	for (int i = 0; i < 3; i++) {
		uint64_t t0 = sw_rdtsc();
		uint64_t n = sw_mono_ns();
		uint64_t t1 = sw_rdtsc();
		if (t1 - t0 <= best) { /* the first try always counts */
			best = t1 - t0;
			*ticks = t0 + (t1 - t0) / 2;
			*ns = n;
		}
	}
}

void sw_tsc_cal_init(struct sw_tsc_cal *c)
{
	memset(c, 0, sizeof(*c));
	pair_now(&c->ref_ticks, &c->ref_ns);
	c->last_ticks = c->own_ticks = c->ref_ticks;
	c->last_ns = c->own_ns = c->ref_ns;
}

static double rate(uint64_t t0, uint64_t n0, uint64_t t1, uint64_t n1)
{
	if (t1 <= t0 || n1 <= n0)
		return 0.0;
	return (double)(n1 - n0) / (double)(t1 - t0);
}

void sw_tsc_cal_offer(struct sw_tsc_cal *c, uint64_t ticks, uint64_t mono_ns)
{
	if (mono_ns >= c->ref_ns)
		return;
	uint64_t t, n;
	pair_now(&t, &n);
	/* Too close to now to judge, or implausible: ignore the pair. */
	if (n - mono_ns < 1000000u)
		return;
	double r = rate(ticks, mono_ns, t, n);
	if (r < NS_PER_TICK_MIN || r > NS_PER_TICK_MAX)
		return;
	/* It must agree with our own estimate (1%), once ours is good. */
	if (c->ns_per_tick > 0.0 && sw_tsc_cal_span(c) >= 5000000u &&
	    fabs(r / c->ns_per_tick - 1.0) > 0.01)
		return;
	c->ref_ticks = ticks;
	c->ref_ns = mono_ns;
	c->last_ticks = t;
	c->last_ns = n;
	c->ns_per_tick = r;
}

bool sw_tsc_cal_adopt(struct sw_tsc_cal *c, uint64_t ticks, uint64_t mono_ns)
{
	uint64_t t, n;
	pair_now(&t, &n);
	if (mono_ns >= c->ref_ns || n - mono_ns < SW_CAL_MIN_NS)
		return false;
	double r = rate(ticks, mono_ns, t, n);
	if (r < NS_PER_TICK_MIN || r > NS_PER_TICK_MAX)
		return false;
	c->ref_ticks = ticks;
	c->ref_ns = mono_ns;
	c->last_ticks = t;
	c->last_ns = n;
	c->ns_per_tick = r;
	return true;
}

/* An adopted reference against the own pairs (see sw_tsc_cal_sample). */
static void check_adopted(struct sw_tsc_cal *c)
{
	if (c->ref_ns == c->own_ns || c->last_ns - c->own_ns < SW_CAL_MIN_NS)
		return;
	double own = rate(c->own_ticks, c->own_ns, c->last_ticks, c->last_ns);
	if (own <= 0.0 || fabs(c->ns_per_tick / own - 1.0) <= 0.001)
		return;
	c->ref_ticks = c->own_ticks;
	c->ref_ns = c->own_ns;
	c->ns_per_tick = own;
	c->ref_bad = true;
}

void sw_tsc_cal_sample(struct sw_tsc_cal *c)
{
	pair_now(&c->last_ticks, &c->last_ns);
	double r = rate(c->ref_ticks, c->ref_ns, c->last_ticks, c->last_ns);
	if (r >= NS_PER_TICK_MIN && r <= NS_PER_TICK_MAX)
		c->ns_per_tick = r;
	check_adopted(c);
}

uint64_t sw_tsc_cal_span(const struct sw_tsc_cal *c)
{
	return c->last_ns > c->ref_ns ? c->last_ns - c->ref_ns : 0;
}

uint64_t sw_ticks_to_ns(const struct sw_tconv *cv, uint64_t ticks)
{
	if (cv->clock != SW_CLOCK_TSC)
		return ticks;
	double ns = (double)ticks * cv->ns_per_tick + 0.5;
	return ns >= 18446744073709551615.0 ? UINT64_MAX : (uint64_t)ns;
}

unsigned sw_ns_bucket(uint64_t ns)
{
	if (ns == 0)
		return 0;
	unsigned b = 64u - (unsigned)__builtin_clzll(ns); /* floor(log2) + 1 */
	return b < SW_NS_HIST ? b : SW_NS_HIST - 1;
}

void sw_counter_to_rowstat(const struct sw_counter *c, const struct sw_tconv *cv,
			   struct sw_rowstat *out)
{
	sw_rowstat_zero(out);
	out->calls = c->calls;
	out->errors = c->errors;
	out->untimed = c->untimed;
	out->total_ns = sw_ticks_to_ns(cv, c->total);
	/* abi.h: min 0 means no timed call yet (UINT64_MAX is taken the same
	 * way, as an older writer might use it). */
	if (c->min != 0 && c->min != UINT64_MAX && c->calls > c->untimed) {
		out->min_ns = sw_ticks_to_ns(cv, c->min);
		out->max_ns = sw_ticks_to_ns(cv, c->max);
	}
	for (unsigned i = 0; i < SW_HIST_BUCKETS; i++) {
		if (!c->hist[i])
			continue;
		/* Bucket i holds [2^(i-1), 2^i) ticks; 0 holds exactly 0. */
		uint64_t mid = i == 0 ? 0 : i == 1 ? 1 : 3ull << (i - 2);
		unsigned b = cv->clock == SW_CLOCK_TSC
				     ? sw_ns_bucket(sw_ticks_to_ns(cv, mid))
				     : (i < SW_NS_HIST ? i : SW_NS_HIST - 1);
		out->hist[b] += c->hist[i];
	}
}
