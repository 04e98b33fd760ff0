/*
 * verdicts_say.c - the evidence's words that every verdict file writes
 * with (see verdicts_int.h): below the rules (verdicts.c) and the
 * evidence from the events (verdicts_ev.c), which both call them.
 */
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>

#include "verdicts_int.h"

/* Append to the evidence; what does not fit is cut. */
void sw__say(struct sw__ebuf *b, const char *fmt, ...)
{
	if (b->len + 1 >= b->cap)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n > 0)
		b->len = b->len + (size_t)n < b->cap ? b->len + (size_t)n : b->cap - 1;
}

/* A duration the way a person reads it: 1.23 s, 45.6 ms, 120 us. */
struct sw__dstr sw__dur(uint64_t ns)
{
	struct sw__dstr d;
	double v = (double)ns;
	if (ns >= 1000000000ull)
		snprintf(d.s, sizeof(d.s), "%.2f s", v / 1e9);
	else if (ns >= 1000000ull)
		snprintf(d.s, sizeof(d.s), "%.*f ms", ns >= 100000000ull ? 0 : 1, v / 1e6);
	else if (ns >= 1000ull)
		snprintf(d.s, sizeof(d.s), "%.0f us", v / 1e3);
	else
		snprintf(d.s, sizeof(d.s), "%" PRIu64 " ns", ns);
	return d;
}
