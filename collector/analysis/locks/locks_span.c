/*
 * locks_span.c - sets of time intervals (struct sw_span): room for more,
 * and their union. The views and the culprits both measure with them
 * (locks_int.h).
 */
#include <errno.h>
#include <stdlib.h>

#include "locks_int.h"

static int by_span(const void *a, const void *b)
{
	const struct sw_span *x = a, *y = b;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->to < y->to ? -1 : x->to > y->to;
}

int sw__spans_room(struct sw_span **v, size_t *cap, size_t n)
{
	if (n <= *cap)
		return 0;
	size_t c = *cap ? *cap : 256;
	while (c < n)
		c *= 2;
	struct sw_span *nv = realloc(*v, c * sizeof(*nv));
	if (!nv)
		return -ENOMEM;
	*v = nv;
	*cap = c;
	return 0;
}

uint64_t sw__span_union(struct sw_span *v, size_t n, size_t *merged)
{
	qsort(v, n, sizeof(*v), by_span);
	size_t m = 0;
	uint64_t total = 0;
	for (size_t i = 0; i < n; i++) {
		if (m && v[i].from <= v[m - 1].to) {
			if (v[i].to > v[m - 1].to)
				v[m - 1].to = v[i].to;
		} else {
			v[m++] = v[i];
		}
	}
	for (size_t i = 0; i < m; i++)
		total += v[i].to - v[i].from;
	if (merged)
		*merged = m;
	return total;
}
