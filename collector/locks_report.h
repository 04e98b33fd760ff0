/*
 * locks_report.h - the lock report (`--locks`): the plain-language
 * summary, the text report printed after the syscall table, and the
 * "locks" part of the JSON report.
 */
#ifndef SW_COLLECTOR_LOCKS_REPORT_H
#define SW_COLLECTOR_LOCKS_REPORT_H

#include <json-c/json.h>
#include <stdio.h>

#include "locks.h"

#define SW_OUTSIDE_CALLS "outside calls (CPU or untraced)"

/* The one-paragraph summary ("31 threads waited 172.7 s in total (5.4 s
 * wall) on ..."), malloc'ed, without a trailing newline; NULL if out of
 * memory. */
char *sw_locks_summary(const struct sw_locks *l);

/* Print the lock report to f: the summary, the contended locks ranked by
 * total wait with their blockers and what those did, then the condition
 * waits. 0 or -ENOMEM. */
int sw_locks_print(FILE *f, const struct sw_locks *l);

/* The "locks" array of the JSON report (see locks_json.c for the fields),
 * or NULL if out of memory. */
json_object *sw_locks_json(const struct sw_locks *l);

/* The "locks_summary" object: totals and the summary text; NULL if out
 * of memory. */
json_object *sw_locks_summary_json(const struct sw_locks *l);

/* The verdict on what a holder did (the summary's last words): "the
 * filesystem is the root cause" ...; NULL if nothing dominates. */
const char *sw_locks_verdict(const struct sw_locks *l, const struct sw_activity *act,
			     uint32_t nact, uint64_t outside_ns);

#endif
