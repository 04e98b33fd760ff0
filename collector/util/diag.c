/*
 * diag.c - the CLI's error line (see diag.h).
 */
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>

void sw_error(const char *fmt, ...)
{
	char line[1024];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	fprintf(stderr, "syswatch: %s\n", line);
}
