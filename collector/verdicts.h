/*
 * verdicts.h - the causes the numbers point to (placeholder: being
 * written).
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

struct sw_verdict {
	const char *cause;  /* "slow-metadata", ... (static) */
	double confidence;  /* 0..1 */
	char evidence[512]; /* the figures, in words */
};

struct sw_verdicts {
	struct sw_verdict v[SW_VERDICTS_MAX]; /* strongest first */
	size_t n;                             /* 0: no clear cause */
};

/* Apply the rules to m (the counters), and to t and l when given (NULL:
 * the rules that need events or the lock analysis use counters only);
 * 0 or -ENOMEM. */
int sw_verdicts_build(const struct sw_model *m, const struct sw_evtrace *t,
		      const struct sw_locks *l, struct sw_verdicts *out);

/* Print them: in full (--diagnose), or the short form every report ends
 * with; 0 or a negative errno. */
int sw_verdicts_print(FILE *f, const struct sw_verdicts *v, bool full);

/* The "verdicts" array, or NULL if out of memory. */
json_object *sw_verdicts_json(const struct sw_verdicts *v);

#endif
