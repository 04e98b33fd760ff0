/*
 * summary.c - select, total and sort the report rows (see summary.h).
 */
#include "summary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evtrace.h"
#include "filter.h"
#include "output.h"
#include "split.h"
#include "syswatch/rows.h"

uint64_t sw_timed_calls(uint64_t calls, uint64_t untimed)
{
	return untimed < calls ? calls - untimed : 0;
}

static int cmp_u64_desc(uint64_t a, uint64_t b)
{
	return a > b ? -1 : a < b ? 1 : 0;
}

static int by_name(const void *a, const void *b)
{
	const struct sw_line *x = a, *y = b;
	return strcmp(x->name, y->name);
}

/* The value a line is sorted by, for the numeric keys. */
static uint64_t key_of(const struct sw_line *l, enum sw_sort key)
{
	const struct sw_rowstat *st = l->st;
	uint64_t timed = sw_timed_calls(st->calls, st->untimed);
	switch (key) {
	case SW_SORT_CALLS:
		return st->calls;
	case SW_SORT_ERRORS:
		return st->errors;
	case SW_SORT_MIN:
		return timed && st->min_ns != SW_NO_MIN ? st->min_ns : 0;
	case SW_SORT_MAX:
		return timed ? st->max_ns : 0;
	case SW_SORT_AVG:
		return timed ? st->total_ns / timed : 0;
	default:
		return st->total_ns;
	}
}

#define BY_KEY(fn, key)                                                       \
	static int fn(const void *a, const void *b)                           \
	{                                                                     \
		int c = cmp_u64_desc(key_of(a, key), key_of(b, key));         \
		return c ? c : by_name(a, b);                                 \
	}
BY_KEY(by_time, SW_SORT_TIME)
BY_KEY(by_calls, SW_SORT_CALLS)
BY_KEY(by_errors, SW_SORT_ERRORS)
BY_KEY(by_min, SW_SORT_MIN)
BY_KEY(by_max, SW_SORT_MAX)
BY_KEY(by_avg, SW_SORT_AVG)
#undef BY_KEY

/* -S none: strace leaves its table in syscall-number order; rows strace
 * has no number for (library rows, unknown rows) come last, by name. */
static int by_number(const void *a, const void *b)
{
	const struct sw_line *x = a, *y = b;
	unsigned cls;
	int nx = -1, ny = -1;
	if (sw_sel_lookup(x->name, &cls, &nx) < 0)
		nx = -1;
	if (sw_sel_lookup(y->name, &cls, &ny) < 0)
		ny = -1;
	if (nx != ny)
		return nx < 0 ? 1 : ny < 0 ? -1 : nx < ny ? -1 : 1;
	return by_name(a, b);
}

/* The comparator of each -S key, as strace's count.c indexes its own. */
static int (*const sorters[SW_SORT_COUNT])(const void *, const void *) = {
	[SW_SORT_TIME] = by_time,     [SW_SORT_CALLS] = by_calls,
	[SW_SORT_ERRORS] = by_errors, [SW_SORT_NAME] = by_name,
	[SW_SORT_MIN] = by_min,       [SW_SORT_MAX] = by_max,
	[SW_SORT_AVG] = by_avg,       [SW_SORT_NONE] = by_number,
};

/* The rows of sums with calls that f selects, totalled and sorted. */
static int collect(const struct sw_model *m, const struct sw_rowstat *sums,
		   const struct sw_filter *f, enum sw_sort key,
		   struct sw_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->lines = calloc(m->nrows ? m->nrows : 1, sizeof(*out->lines));
	if (!out->lines)
		return -ENOMEM;
	for (uint32_t r = 0; r < m->nrows; r++) {
		const struct sw_rowstat *st = &sums[r];
		if (!m->rows[r].defined || st->calls == 0 ||
		    !sw_filter_row(f, m->rows[r].name))
			continue;
		out->lines[out->n++] = (struct sw_line){
			.name = m->rows[r].name,
			.flags = m->rows[r].flags,
			.st = st,
		};
		out->calls += st->calls;
		out->errors += st->errors;
		out->total_ns += st->total_ns;
		out->untimed += st->untimed < st->calls ? st->untimed : st->calls;
		out->flags |= m->rows[r].flags;
	}
	if ((unsigned)key >= SW_SORT_COUNT)
		key = SW_SORT_TIME;
	qsort(out->lines, out->n, sizeof(*out->lines), sorters[key]);
	return 0;
}

int sw_summary_build(const struct sw_model *m, enum sw_sort key,
		     struct sw_summary *out)
{
	return collect(m, m->sums, NULL, key, out);
}

int sw_summary_build_sums(const struct sw_model *m,
			  const struct sw_rowstat *sums, enum sw_sort key,
			  struct sw_summary *out)
{
	return collect(m, sums, NULL, key, out);
}

/* m's row id for each row id of the events' model (SW_NO_ROW if m has no
 * row of that name); malloc'ed, NULL if out of memory. */
static uint32_t *row_map(const struct sw_model *m, const struct sw_evtrace *tr)
{
	uint32_t n = tr->model->nrows;
	uint32_t *map = malloc((n ? n : 1) * sizeof(*map));
	for (uint32_t r = 0; map && r < n; r++) {
		map[r] = SW_NO_ROW;
		if (tr->model == m) {
			map[r] = r;
			continue;
		}
		for (uint32_t k = 0; tr->model->rows[r].defined && k < m->nrows; k++)
			if (m->rows[k].defined &&
			    strcmp(m->rows[k].name, tr->model->rows[r].name) == 0)
				map[r] = k;
	}
	return map;
}

/* An exec is counted before it is attempted (a zero-length event that
 * looks successful); when it comes back, failed, a second event says so.
 * True if ev[k] is such an attempt, superseded by ev[k + 1]. */
static bool exec_attempt(const struct sw_model *m, const uint32_t *map,
			 const struct sw_evthread *th, size_t k)
{
	const struct sw_ev *e = &th->ev[k], *next = k + 1 < th->nev ? e + 1 : NULL;
	uint32_t r = map[e->row];
	return next && next->row == e->row && next->fn == e->fn &&
	       (next->flags & SW_EVF_FAILED) && !(e->flags & SW_EVF_FAILED) &&
	       e->end == e->start && r != SW_NO_ROW &&
	       m->rows[r].cls == SW_CLASS_PROCESS;
}

static void add_call(struct sw_rowstat *st, uint64_t ns, bool failed)
{
	st->calls++;
	st->errors += failed;
	st->total_ns += ns;
	if (ns < st->min_ns)
		st->min_ns = ns;
	if (ns > st->max_ns)
		st->max_ns = ns;
}

/*
 * The status-filtered counters of part g (NULL: all) from the events,
 * into out (m->nrows entries). Calls counted without an event of their
 * own (untimed: the newfstatat of opendir) are successful by definition
 * (the shim adds them only to a call that succeeded). Returns 1 when a
 * selected row has fewer events than its timed counters (events were
 * dropped: a lower bound), 0, or -ENOMEM.
 */
static int from_events(const struct sw_model *m, const struct sw_split_group *g,
		       const struct sw_report_opts *o, struct sw_rowstat *out)
{
	const struct sw_evtrace *tr = o->events;
	const struct sw_rowstat *sums = g ? g->sums : m->sums;
	uint64_t *seen = calloc(m->nrows ? m->nrows : 1, sizeof(*seen));
	uint32_t *map = row_map(m, tr);
	int rc = -ENOMEM;
	if (!seen || !map)
		goto out;
	for (uint32_t r = 0; r < m->nrows; r++)
		sw_rowstat_zero(&out[r]);
	for (size_t i = 0; i < tr->nthreads; i++) {
		const struct sw_evthread *th = &tr->threads[i];
		if (g && (th->pid != g->pid || (g->tid && th->tid != g->tid)))
			continue;
		for (size_t k = 0; k < th->nev; k++) {
			const struct sw_ev *e = &th->ev[k];
			uint32_t r = e->row < tr->model->nrows ? map[e->row] : SW_NO_ROW;
			if (r == SW_NO_ROW || exec_attempt(m, map, th, k))
				continue;
			bool failed = (e->flags & SW_EVF_FAILED) != 0;
			seen[r]++;
			if (sw_filter_call(o->filter, failed))
				add_call(&out[r], e->end - e->start, failed);
		}
	}
	rc = 0;
	for (uint32_t r = 0; r < m->nrows; r++) {
		uint64_t untimed = sums[r].untimed < sums[r].calls ? sums[r].untimed
								  : sums[r].calls;
		if (sw_filter_call(o->filter, false)) {
			out[r].calls += untimed;
			out[r].untimed += untimed;
		}
		if (m->rows[r].defined && sw_filter_row(o->filter, m->rows[r].name) &&
		    seen[r] < sums[r].calls - untimed)
			rc = 1;
	}
out:
	free(map);
	free(seen);
	return rc;
}

int sw_summary_select(const struct sw_model *m, const struct sw_split_group *g,
		      const struct sw_report_opts *o, struct sw_summary *out)
{
	const struct sw_filter *f = o->filter;
	const struct sw_rowstat *sums = g ? g->sums : m->sums;
	struct sw_rowstat *own = NULL;
	int lower = 0;
	/* Without the events (they could not be read: said already), the
	 * table falls back to the counters of every status. */
	if (sw_filter_by_status(f) && o->events) {
		own = calloc(m->nrows ? m->nrows : 1, sizeof(*own));
		if (!own)
			return -ENOMEM;
		lower = from_events(m, g, o, own);
		if (lower < 0) {
			free(own);
			return lower;
		}
		sums = own;
	}
	int rc = collect(m, sums, f, o->sort, out);
	if (rc < 0) {
		free(own);
		return rc;
	}
	out->owned = own;
	out->lower_bound = lower > 0;
	out->cols = f && f->cols.n ? &f->cols : NULL;
	return 0;
}

void sw_summary_free(struct sw_summary *s)
{
	free(s->lines);
	free(s->owned);
	memset(s, 0, sizeof(*s));
}
