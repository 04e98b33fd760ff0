/*
 * table.c - strace's `-c -w` summary table (strace 6.1, src/count.c).
 *
 * The layout is a column table: each column has a title, a minimum width,
 * a format and whether it is left-aligned; code walks the columns chosen
 * with -U (strace's default set without it). Widths are measured from the
 * data the way strace measures them, so big numbers widen a column
 * instead of breaking the alignment:
 *
 *   % time     6, always ("100.00")
 *   seconds    11, or the width of the total printed as %.6f
 *   shortest   8, or "%d.000000" of the largest per-row minimum's seconds
 *   longest    7, or "%d.000000" of the largest maximum's seconds
 *   usecs/call 11, or the digits of the largest per-row average
 *   calls      9, or the digits of the total calls
 *   errors     9, or the digits of the total errors (blank when zero)
 *   syscall    16, or the longest name + 1; left-aligned, padded unless
 *              it is the last column
 *   wall-*     the same values as the time columns (syswatch's time is
 *              wall time), under newer strace's headers
 *
 * Columns are separated by one space; rules are dashes over each width.
 * The total line has the total seconds and calls, the shortest and the
 * longest call of any row, and the total time over the total calls.
 */
#include "table.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

enum fmt { F_PCT, F_SEC, F_US, F_COUNT, F_BLANK0, F_NAME };

static const struct {
	const char *title;
	size_t min_width;
	enum fmt fmt;
} cols[SW_NCOLS] = {
	[SW_COL_PCT] = {"% time", 6, F_PCT},
	[SW_COL_TOTAL] = {"seconds", 11, F_SEC},
	[SW_COL_MIN] = {"shortest", 8, F_SEC},
	[SW_COL_MAX] = {"longest", 7, F_SEC},
	[SW_COL_AVG] = {"usecs/call", 11, F_US},
	[SW_COL_CALLS] = {"calls", 9, F_COUNT},
	[SW_COL_ERRORS] = {"errors", 9, F_BLANK0},
	[SW_COL_NAME] = {"syscall", 16, F_NAME},
	[SW_COL_WALL_TOTAL] = {"wall-total", 11, F_SEC},
	[SW_COL_WALL_MIN] = {"wall-min", 8, F_SEC},
	[SW_COL_WALL_MAX] = {"wall-max", 8, F_SEC},
	[SW_COL_WALL_AVG] = {"wall-avg", 11, F_US},
};

/* strace's default columns. */
static const struct sw_columns default_cols = {
	6, {SW_COL_PCT, SW_COL_TOTAL, SW_COL_AVG, SW_COL_CALLS, SW_COL_ERRORS,
	    SW_COL_NAME}};

/* The values of one printed line, by column. */
struct cells {
	double pct;
	double sec;
	double min_sec;
	double max_sec;
	uint64_t avg_us;
	uint64_t calls;
	uint64_t errors;
	const char *name;
};

double sw_ns_to_sec(uint64_t ns)
{
	/* Whole seconds, then the rest, as strace's ts_float: the integer
	 * division is the point. */
	return (double)(ns / 1000000000u) + // NOLINT(bugprone-integer-division)
	       (double)(ns % 1000000000u) / 1e9;
}

uint64_t sw_usecs_per_call(uint64_t total_ns, uint64_t timed_calls)
{
	if (timed_calls == 0)
		return 0;
	/* strace divides the timespec in integer nanoseconds, then goes
	 * through a double; doing the same keeps the truncation identical. */
	return (uint64_t)(sw_ns_to_sec(total_ns / timed_calls) * 1e6);
}

static size_t digits(uint64_t v)
{
	return (size_t)snprintf(NULL, 0, "%" PRIu64, v);
}

static size_t max_sz(size_t a, size_t b)
{
	return a > b ? a : b;
}

/* min_ns/max_ns of a row as printed: 0 when no call was timed. */
static uint64_t row_min(const struct sw_rowstat *st)
{
	return sw_timed_calls(st->calls, st->untimed) && st->min_ns != SW_NO_MIN
		       ? st->min_ns : 0;
}

static uint64_t row_max(const struct sw_rowstat *st)
{
	return sw_timed_calls(st->calls, st->untimed) ? st->max_ns : 0;
}

static void rule(FILE *f, const struct sw_columns *c, const size_t *w)
{
	for (int i = 0; i < c->n; i++) {
		if (i)
			fputc(' ', f);
		for (size_t k = 0; k < w[c->col[i]]; k++)
			fputc('-', f);
	}
	fputc('\n', f);
}

static void header(FILE *f, const struct sw_columns *c, const size_t *w)
{
	for (int i = 0; i < c->n; i++) {
		int k = c->col[i];
		bool last = i == c->n - 1;
		if (i)
			fputc(' ', f);
		if (cols[k].fmt != F_NAME)
			fprintf(f, "%*s", (int)w[k], cols[k].title);
		else if (last)
			fputs(cols[k].title, f);
		else
			fprintf(f, "%-*s", (int)w[k], cols[k].title);
	}
	fputc('\n', f);
}

static void line(FILE *f, const struct sw_columns *c, const size_t *w,
		 const struct cells *v)
{
	for (int i = 0; i < c->n; i++) {
		int k = c->col[i], wd = (int)w[k];
		bool last = i == c->n - 1;
		if (i)
			fputc(' ', f);
		switch (k) {
		case SW_COL_PCT:
			fprintf(f, "%*.2f", wd, v->pct);
			break;
		case SW_COL_TOTAL:
		case SW_COL_WALL_TOTAL:
			fprintf(f, "%*.6f", wd, v->sec);
			break;
		case SW_COL_MIN:
		case SW_COL_WALL_MIN:
			fprintf(f, "%*.6f", wd, v->min_sec);
			break;
		case SW_COL_MAX:
		case SW_COL_WALL_MAX:
			fprintf(f, "%*.6f", wd, v->max_sec);
			break;
		case SW_COL_AVG:
		case SW_COL_WALL_AVG:
			fprintf(f, "%*" PRIu64, wd, v->avg_us);
			break;
		case SW_COL_CALLS:
			fprintf(f, "%*" PRIu64, wd, v->calls);
			break;
		case SW_COL_ERRORS: /* strace's "%.0lu": blank when zero */
			if (v->errors)
				fprintf(f, "%*" PRIu64, wd, v->errors);
			else
				fprintf(f, "%*s", wd, "");
			break;
		case SW_COL_NAME:
			if (last)
				fputs(v->name, f);
			else
				fprintf(f, "%-*s", wd, v->name);
			break;
		}
	}
	fputc('\n', f);
}

/* Width of "%d.000000" for the whole seconds of ns. */
static size_t sec_width(uint64_t ns)
{
	return digits(ns / 1000000000u) + 7;
}

int sw_table_print(FILE *f, const struct sw_summary *s)
{
	const struct sw_columns *c = s->cols && s->cols->n ? s->cols : &default_cols;
	double total_sec = sw_ns_to_sec(s->total_ns);
	uint64_t timed = sw_timed_calls(s->calls, s->untimed);
	/* strace's total average divides the float seconds, not the ns. */
	uint64_t total_avg =
		timed ? (uint64_t)(total_sec / (double)timed * 1e6) : 0;
	size_t w[SW_NCOLS];
	size_t name_max = 0;
	uint64_t avg_max = total_avg, min_max = 0, max_max = 0;
	uint64_t min_all = SW_NO_MIN;

	for (size_t i = 0; i < s->n; i++) {
		const struct sw_rowstat *st = s->lines[i].st;
		uint64_t avg = sw_usecs_per_call(
			st->total_ns, sw_timed_calls(st->calls, st->untimed));
		if (avg > avg_max)
			avg_max = avg;
		if (row_min(st) > min_max)
			min_max = row_min(st);
		if (sw_timed_calls(st->calls, st->untimed) && row_min(st) < min_all)
			min_all = row_min(st); /* rows with no timed call: no minimum */
		if (row_max(st) > max_max)
			max_max = row_max(st);
		name_max = max_sz(name_max, strlen(s->lines[i].name));
	}
	if (min_all == SW_NO_MIN)
		min_all = 0;
	for (int k = 0; k < SW_NCOLS; k++)
		w[k] = cols[k].min_width;
	w[SW_COL_PCT] = max_sz(w[SW_COL_PCT], strlen("100.00"));
	w[SW_COL_TOTAL] = max_sz(w[SW_COL_TOTAL],
				 (size_t)snprintf(NULL, 0, "%.6f", total_sec));
	w[SW_COL_WALL_TOTAL] = max_sz(w[SW_COL_WALL_TOTAL], w[SW_COL_TOTAL]);
	w[SW_COL_MIN] = max_sz(w[SW_COL_MIN], sec_width(min_max));
	w[SW_COL_WALL_MIN] = max_sz(w[SW_COL_WALL_MIN], sec_width(min_max));
	w[SW_COL_MAX] = max_sz(w[SW_COL_MAX], sec_width(max_max));
	w[SW_COL_WALL_MAX] = max_sz(w[SW_COL_WALL_MAX], sec_width(max_max));
	w[SW_COL_AVG] = max_sz(w[SW_COL_AVG], digits(avg_max));
	w[SW_COL_WALL_AVG] = max_sz(w[SW_COL_WALL_AVG], digits(avg_max));
	w[SW_COL_CALLS] = max_sz(w[SW_COL_CALLS], digits(s->calls));
	w[SW_COL_ERRORS] = max_sz(w[SW_COL_ERRORS], digits(s->errors));
	w[SW_COL_NAME] = max_sz(w[SW_COL_NAME], name_max + 1);

	header(f, c, w);
	rule(f, c, w);
	for (size_t i = 0; i < s->n; i++) {
		const struct sw_rowstat *st = s->lines[i].st;
		double sec = sw_ns_to_sec(st->total_ns);
		struct cells v = {
			.pct = 100.0 * sec,
			.sec = sec,
			.min_sec = sw_ns_to_sec(row_min(st)),
			.max_sec = sw_ns_to_sec(row_max(st)),
			.avg_us = sw_usecs_per_call(
				st->total_ns,
				sw_timed_calls(st->calls, st->untimed)),
			.calls = st->calls,
			.errors = st->errors,
			.name = s->lines[i].name,
		};
		if (v.pct != 0.0) /* 0/0 would print nan */
			v.pct /= total_sec;
		line(f, c, w, &v);
	}
	rule(f, c, w);
	struct cells t = {
		.pct = 100.0,
		.sec = total_sec,
		.min_sec = sw_ns_to_sec(min_all),
		.max_sec = sw_ns_to_sec(max_max),
		.avg_us = total_avg,
		.calls = s->calls,
		.errors = s->errors,
		.name = "total",
	};
	line(f, c, w, &t);
	return ferror(f) ? -EIO : 0;
}
