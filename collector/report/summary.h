/*
 * summary.h - the rows of one report: every row with calls, sorted by the
 * -S key, and their totals. Both printers (table.c, json.c) start here.
 *
 * sw_summary_select() is the entry point of the reports: it applies the
 * selectors of the report options (-e trace=, -e status=, -z, -Z; see
 * filter.h) and carries the -U columns to the table printer. The
 * sw_summary_build*() functions build the unfiltered summary.
 */
#ifndef SW_COLLECTOR_SUMMARY_H
#define SW_COLLECTOR_SUMMARY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model.h"

/* -S: what the rows are sorted by (ties by name). */
enum sw_sort {
	SW_SORT_TIME,   /* seconds, descending (the default) */
	SW_SORT_CALLS,  /* calls, descending */
	SW_SORT_ERRORS, /* errors, descending */
	SW_SORT_NAME,   /* name, ascending */
	SW_SORT_MIN,    /* shortest call, descending */
	SW_SORT_MAX,    /* longest call, descending */
	SW_SORT_AVG,    /* time per call, descending */
	SW_SORT_NONE,   /* syscall number, as strace's unsorted table */
	SW_SORT_COUNT
};

/* The columns of strace's -c table (-U), in strace's numbering. syswatch
 * times are always wall time: the wall columns show the same values as
 * the time columns, under their own headers. */
enum sw_col {
	SW_COL_NONE,       /* -S none: no column */
	SW_COL_PCT,        /* % time */
	SW_COL_TOTAL,      /* seconds */
	SW_COL_MIN,        /* shortest */
	SW_COL_MAX,        /* longest */
	SW_COL_AVG,        /* usecs/call */
	SW_COL_CALLS,      /* calls */
	SW_COL_ERRORS,     /* errors */
	SW_COL_NAME,       /* syscall */
	SW_COL_WALL_TOTAL, /* wall-total */
	SW_COL_WALL_MIN,   /* wall-min */
	SW_COL_WALL_MAX,   /* wall-max */
	SW_COL_WALL_AVG,   /* wall-avg */
	SW_NCOLS
};

/* The printed columns, in order; n == 0: strace's default set. */
struct sw_columns {
	uint8_t n;
	uint8_t col[SW_NCOLS]; /* enum sw_col, each at most once */
};

/* One printed row. */
struct sw_line {
	const char *name;          /* row name (points into the model) */
	uint32_t flags;            /* SW_ROWF_* */
	const struct sw_rowstat *st; /* its counters (model, or owned) */
};

struct sw_summary {
	struct sw_line *lines; /* rows with calls > 0, sorted */
	size_t n;
	uint64_t calls;        /* sum over the rows */
	uint64_t errors;
	uint64_t total_ns;
	uint64_t untimed;
	uint32_t flags;        /* SW_ROWF_* of any printed row, or'ed */
	const struct sw_columns *cols; /* -U, or NULL: the default columns */
	bool lower_bound;      /* status-filtered from events, and events of
				  a printed row were lost: counts are a
				  lower bound */
	struct sw_rowstat *owned; /* status-filtered counters (freed) */
};

struct sw_report_opts;
struct sw_split_group;

/* The warning printed after a summary whose lower_bound is set. */
#define SW_SUMMARY_LOWER_BOUND                                                 \
	"syswatch: events of selected rows were dropped: the counts of the "  \
	"status-filtered table above are a lower bound"

/* Collect and sort the rows of m; 0 or -ENOMEM. */
int sw_summary_build(const struct sw_model *m, enum sw_sort key,
		     struct sw_summary *out);

/* The same from other counters than m's totals: sums is indexed by row
 * id, m->nrows entries (a part of the report: one process, one thread). */
int sw_summary_build_sums(const struct sw_model *m,
			  const struct sw_rowstat *sums, enum sw_sort key,
			  struct sw_summary *out);

/* The summary of m as the report options o select it (sort, rows,
 * statuses, columns); g: only that part (a process or a thread of
 * split.h), or NULL for the whole report. 0 or -ENOMEM. */
int sw_summary_select(const struct sw_model *m, const struct sw_split_group *g,
		      const struct sw_report_opts *o, struct sw_summary *out);

/* Free what sw_summary_build allocated. */
void sw_summary_free(struct sw_summary *s);

/* Calls that carry their own time: calls - untimed (0 if none). */
uint64_t sw_timed_calls(uint64_t calls, uint64_t untimed);

#endif
