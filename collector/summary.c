/*
 * summary.c - select, total and sort the report rows (see summary.h).
 */
#include "summary.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *const sort_names[SW_SORT_COUNT] = {
	[SW_SORT_TIME] = "time",
	[SW_SORT_CALLS] = "calls",
	[SW_SORT_ERRORS] = "errors",
	[SW_SORT_NAME] = "name",
};

int sw_sort_parse(const char *s, enum sw_sort *out)
{
	for (int i = 0; i < SW_SORT_COUNT; i++) {
		if (strcmp(s, sort_names[i]) == 0) {
			*out = (enum sw_sort)i;
			return 0;
		}
	}
	return -EINVAL;
}

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

static int by_time(const void *a, const void *b)
{
	const struct sw_line *x = a, *y = b;
	int c = cmp_u64_desc(x->st->total_ns, y->st->total_ns);
	return c ? c : by_name(a, b);
}

static int by_calls(const void *a, const void *b)
{
	const struct sw_line *x = a, *y = b;
	int c = cmp_u64_desc(x->st->calls, y->st->calls);
	return c ? c : by_name(a, b);
}

static int by_errors(const void *a, const void *b)
{
	const struct sw_line *x = a, *y = b;
	int c = cmp_u64_desc(x->st->errors, y->st->errors);
	return c ? c : by_name(a, b);
}

/* The comparator of each -S key, as strace's count.c indexes its own. */
static int (*const sorters[SW_SORT_COUNT])(const void *, const void *) = {
	[SW_SORT_TIME] = by_time,
	[SW_SORT_CALLS] = by_calls,
	[SW_SORT_ERRORS] = by_errors,
	[SW_SORT_NAME] = by_name,
};

int sw_summary_build(const struct sw_model *m, enum sw_sort key,
		     struct sw_summary *out)
{
	return sw_summary_build_sums(m, m->sums, key, out);
}

int sw_summary_build_sums(const struct sw_model *m,
			  const struct sw_rowstat *sums, enum sw_sort key,
			  struct sw_summary *out)
{
	memset(out, 0, sizeof(*out));
	out->lines = calloc(m->nrows ? m->nrows : 1, sizeof(*out->lines));
	if (!out->lines)
		return -ENOMEM;
	for (uint32_t r = 0; r < m->nrows; r++) {
		const struct sw_rowstat *st = &sums[r];
		if (!m->rows[r].defined || st->calls == 0)
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

void sw_summary_free(struct sw_summary *s)
{
	free(s->lines);
	memset(s, 0, sizeof(*s));
}
