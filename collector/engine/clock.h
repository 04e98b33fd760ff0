/*
 * clock.h - time sources and the tick → nanosecond conversion.
 *
 * A segment counts time in "ticks": CLOCK_MONOTONIC nanoseconds or TSC
 * cycles (abi.h, enum sw_clock). The TSC frequency is estimated by the
 * collector from two (TSC, CLOCK_MONOTONIC) pairs: the oldest trustworthy
 * one (a segment's base pair, or the collector's own first sample) and a
 * fresh one taken at every pass. The longer apart they are, the better the
 * estimate; the final report waits until they are >= SW_CAL_MIN_NS apart.
 */
#ifndef SW_COLLECTOR_CLOCK_H
#define SW_COLLECTOR_CLOCK_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "model.h"
#include "syswatch/abi.h"

#define SW_CAL_MIN_NS 20000000ull /* 20 ms between calibration points */

/* Clock id now, in ns. */
uint64_t sw_clock_ns(clockid_t id);

/* CLOCK_MONOTONIC now, in ns. */
uint64_t sw_mono_ns(void);

/* CLOCK_REALTIME now, in ns. */
uint64_t sw_real_ns(void);

/* The TSC now (0 where there is none). */
uint64_t sw_rdtsc(void);

struct sw_tsc_cal {
	uint64_t ref_ticks;  /* TSC of the reference pair */
	uint64_t ref_ns;     /* CLOCK_MONOTONIC of the reference pair */
	uint64_t last_ticks; /* TSC of the latest sample */
	uint64_t last_ns;    /* CLOCK_MONOTONIC of the latest sample */
	double ns_per_tick;  /* current estimate (0 before two samples) */
	uint64_t own_ticks;  /* TSC of the collector's own first pair */
	uint64_t own_ns;     /* CLOCK_MONOTONIC of the collector's own first pair */
	bool ref_bad;        /* an adopted reference disagreed with the own
				pairs and was dropped (sw_tsc_cal_sample) */
};

/* Start with the collector's own (TSC, monotonic) pair as reference. */
void sw_tsc_cal_init(struct sw_tsc_cal *c);

/* Offer a segment's base pair; it becomes the reference if it is older
 * than the current one and gives a plausible frequency (untrusted input). */
void sw_tsc_cal_offer(struct sw_tsc_cal *c, uint64_t ticks, uint64_t mono_ns);

/* Adopt a pair an earlier collector of this boot took (tsc_ref.h) as the
 * reference if it is older than ours and gives a plausible rate; true if
 * adopted. */
bool sw_tsc_cal_adopt(struct sw_tsc_cal *c, uint64_t ticks, uint64_t mono_ns);

/* Take a fresh sample and re-estimate the frequency. Once the collector's
 * own pairs are SW_CAL_MIN_NS apart, an adopted reference is checked
 * against them: if the two rates differ by more than 0.1% it was wrong
 * (a clock change tsc_ref.c could not see); the own pair replaces it and
 * ref_bad is set. */
void sw_tsc_cal_sample(struct sw_tsc_cal *c);

/* Monotonic ns between the reference pair and the latest sample. */
uint64_t sw_tsc_cal_span(const struct sw_tsc_cal *c);

/* How one segment's ticks become nanoseconds. */
struct sw_tconv {
	uint32_t clock;     /* enum sw_clock */
	double ns_per_tick; /* used when clock is SW_CLOCK_TSC */
	uint64_t base_ns;   /* monotonic ns at tick 0 of event starts */
};

/* A duration in ticks as nanoseconds (rounded). */
uint64_t sw_ticks_to_ns(const struct sw_tconv *cv, uint64_t ticks);

/* A tick counter as a ns rowstat; the log2 tick histogram is re-binned by
 * each bucket's midpoint. A counter min of 0 means "no timed call". */
void sw_counter_to_rowstat(const struct sw_counter *c, const struct sw_tconv *cv,
			   struct sw_rowstat *out);

/* The ns histogram bucket of a duration: floor(log2(ns)) + 1, 0 for 0. */
unsigned sw_ns_bucket(uint64_t ns);

#endif
