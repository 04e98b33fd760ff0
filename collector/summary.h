/*
 * summary.h - the rows of one report: every row with calls, sorted by the
 * -S key, and their totals. Both printers (table.c, json.c) start here.
 */
#ifndef SW_COLLECTOR_SUMMARY_H
#define SW_COLLECTOR_SUMMARY_H

#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* -S: what the rows are sorted by (ties by name). */
enum sw_sort {
	SW_SORT_TIME,   /* seconds, descending (the default) */
	SW_SORT_CALLS,  /* calls, descending */
	SW_SORT_ERRORS, /* errors, descending */
	SW_SORT_NAME,   /* name, ascending */
	SW_SORT_COUNT
};

/* One printed row. */
struct sw_line {
	const char *name;          /* row name (points into the model) */
	uint32_t flags;            /* SW_ROWF_* */
	const struct sw_rowstat *st; /* its counters (points into the model) */
};

struct sw_summary {
	struct sw_line *lines; /* rows with calls > 0, sorted */
	size_t n;
	uint64_t calls;        /* sum over the rows */
	uint64_t errors;
	uint64_t total_ns;
	uint64_t untimed;
	uint32_t flags;        /* SW_ROWF_* of any printed row, or'ed */
};

/* Parse a -S key (time, calls, errors, name); -EINVAL if unknown. */
int sw_sort_parse(const char *s, enum sw_sort *out);

/* Collect and sort the rows of m; 0 or -ENOMEM. */
int sw_summary_build(const struct sw_model *m, enum sw_sort key,
		     struct sw_summary *out);

/* The same from other counters than m's totals: sums is indexed by row
 * id, m->nrows entries (a part of the report: one process, one thread). */
int sw_summary_build_sums(const struct sw_model *m,
			  const struct sw_rowstat *sums, enum sw_sort key,
			  struct sw_summary *out);

/* Free what sw_summary_build allocated. */
void sw_summary_free(struct sw_summary *s);

/* Calls that carry their own time: calls - untimed (0 if none). */
uint64_t sw_timed_calls(uint64_t calls, uint64_t untimed);

#endif
