/*
 * collector/analysis/verdicts/: the verdicts; verdicts.h is its public
 * header, verdicts_int.h is private to the folder.
 * May use: analysis/locks/, trace/, model/, util/ (collector/layers.txt).
 */
/*
 * verdicts.h - the causes the numbers point to, as an expert would name
 * them: a table of rules (verdicts.c) walked over the counters, and over
 * the events and the lock analysis when --diagnose loaded them.
 *
 * Causes (the JSON names, kept stable): "slow-metadata", "slow-reads",
 * "lock-amplification", "library-loading", "sleep-backoff",
 * "network-wait", "idle-event-loop", and "none" when no rule applies.
 * Each verdict carries a confidence in 0..1 (the share of the run's time
 * the cause explains) and its evidence in words and figures.
 */
#ifndef SW_COLLECTOR_VERDICTS_H
#define SW_COLLECTOR_VERDICTS_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdio.h>

#include "evtrace.h"
#include "locks.h"
#include "model.h"

#define SW_VERDICTS_MAX 16
#define SW_VERDICT_NONE "none"

struct sw_verdict {
	const char *cause;   /* "slow-metadata", ..., "none" (static) */
	double confidence;   /* 0..1 */
	char evidence[1024]; /* the figures, in words (no newline) */
};

struct sw_verdicts {
	struct sw_verdict v[SW_VERDICTS_MAX]; /* strongest first */
	size_t n;   /* at least 1 after sw_verdicts_build: a "none" entry
		       when no rule applies */
	bool full;  /* built with the events (--diagnose): the evidence
		       names directories, holders, peers */
};

/* Apply the rules to m (the counters), and to t and l when given (NULL:
 * the rules that need events or the lock analysis use counters only);
 * 0 or -ENOMEM. */
int sw_verdicts_build(const struct sw_model *m, const struct sw_evtrace *t,
		      const struct sw_locks *l, struct sw_verdicts *out);

/* Print them: in full (--diagnose: every verdict with its evidence), or
 * the short form every text report ends with (the first verdict and a
 * hint); 0 or -EIO. */
int sw_verdicts_print(FILE *f, const struct sw_verdicts *v, bool full);

/* The "verdicts" array ({"cause", "confidence", "evidence"}, strongest
 * first), or NULL if out of memory. */
json_object *sw_verdicts_json(const struct sw_verdicts *v);

#endif
