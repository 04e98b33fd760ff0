/*
 * table.c - strace's `-c -w` summary table (strace 6.1, src/count.c).
 *
 * The layout is a column table: each column has a title, a minimum width
 * and a kind; widths are measured from the data the way strace measures
 * them, so big numbers widen a column instead of breaking the alignment:
 *
 *   % time   6, always ("100.00")
 *   seconds  11, or the width of the total printed as %.6f
 *   usecs/call 11, or the digits of the largest per-row average
 *   calls    9, or the digits of the total calls
 *   errors   9, or the digits of the total errors (blank when zero)
 *   syscall  16, or the longest name + 1; last column, never padded
 *
 * Columns are separated by one space; rules are dashes over each width.
 */
#include "table.h"

#include <errno.h>
#include <inttypes.h>
#include <string.h>

enum col { COL_PCT, COL_SEC, COL_AVG, COL_CALLS, COL_ERR, COL_NAME, NCOLS };

static const struct {
	const char *title;
	size_t min_width;
} cols[NCOLS] = {
	[COL_PCT] = {"% time", 6},      [COL_SEC] = {"seconds", 11},
	[COL_AVG] = {"usecs/call", 11}, [COL_CALLS] = {"calls", 9},
	[COL_ERR] = {"errors", 9},      [COL_NAME] = {"syscall", 16},
};

/* The values of one printed line. */
struct cells {
	double pct;
	double sec;
	uint64_t avg_us;
	uint64_t calls;
	uint64_t errors;
	const char *name;
};

double sw_ns_to_sec(uint64_t ns)
{
	return (double)(ns / 1000000000u) + (double)(ns % 1000000000u) / 1e9;
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

static void rule(FILE *f, const size_t *w)
{
	for (int c = 0; c < NCOLS; c++) {
		if (c)
			fputc(' ', f);
		for (size_t i = 0; i < w[c]; i++)
			fputc('-', f);
	}
	fputc('\n', f);
}

static void line(FILE *f, const size_t *w, const struct cells *v)
{
	fprintf(f, "%*.2f %*.6f %*" PRIu64 " %*" PRIu64 " ", (int)w[COL_PCT],
		v->pct, (int)w[COL_SEC], v->sec, (int)w[COL_AVG], v->avg_us,
		(int)w[COL_CALLS], v->calls);
	if (v->errors)
		fprintf(f, "%*" PRIu64, (int)w[COL_ERR], v->errors);
	else
		fprintf(f, "%*s", (int)w[COL_ERR], "");
	fprintf(f, " %s\n", v->name);
}

int sw_table_print(FILE *f, const struct sw_summary *s)
{
	double total_sec = sw_ns_to_sec(s->total_ns);
	uint64_t timed = sw_timed_calls(s->calls, s->untimed);
	/* strace's total average divides the float seconds, not the ns. */
	uint64_t total_avg =
		timed ? (uint64_t)(total_sec / (double)timed * 1e6) : 0;
	size_t w[NCOLS];
	size_t name_max = 0;
	uint64_t avg_max = total_avg;

	for (size_t i = 0; i < s->n; i++) {
		const struct sw_rowstat *st = s->lines[i].st;
		uint64_t avg = sw_usecs_per_call(
			st->total_ns, sw_timed_calls(st->calls, st->untimed));
		if (avg > avg_max)
			avg_max = avg;
		name_max = max_sz(name_max, strlen(s->lines[i].name));
	}
	w[COL_PCT] = max_sz(cols[COL_PCT].min_width, strlen("100.00"));
	w[COL_SEC] = max_sz(cols[COL_SEC].min_width,
			    (size_t)snprintf(NULL, 0, "%.6f", total_sec));
	w[COL_AVG] = max_sz(cols[COL_AVG].min_width, digits(avg_max));
	w[COL_CALLS] = max_sz(cols[COL_CALLS].min_width, digits(s->calls));
	w[COL_ERR] = max_sz(cols[COL_ERR].min_width, digits(s->errors));
	w[COL_NAME] = max_sz(cols[COL_NAME].min_width, name_max + 1);

	for (int c = 0; c < NCOLS; c++) {
		if (c == COL_NAME)
			fprintf(f, " %s\n", cols[c].title);
		else
			fprintf(f, "%s%*s", c ? " " : "", (int)w[c], cols[c].title);
	}
	rule(f, w);
	for (size_t i = 0; i < s->n; i++) {
		const struct sw_rowstat *st = s->lines[i].st;
		double sec = sw_ns_to_sec(st->total_ns);
		struct cells v = {
			.pct = 100.0 * sec,
			.sec = sec,
			.avg_us = sw_usecs_per_call(
				st->total_ns,
				sw_timed_calls(st->calls, st->untimed)),
			.calls = st->calls,
			.errors = st->errors,
			.name = s->lines[i].name,
		};
		if (v.pct != 0.0) /* 0/0 would print nan */
			v.pct /= total_sec;
		line(f, w, &v);
	}
	rule(f, w);
	struct cells t = {
		.pct = 100.0,
		.sec = total_sec,
		.avg_us = total_avg,
		.calls = s->calls,
		.errors = s->errors,
		.name = "total",
	};
	line(f, w, &t);
	return ferror(f) ? -EIO : 0;
}
