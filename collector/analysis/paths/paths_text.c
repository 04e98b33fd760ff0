/*
 * paths_text.c - the --paths report as text (see paths.h): ranked files,
 * every failing (path, errno), directories and mounts, every path from
 * the trace escaped.
 */
#include "paths.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "paths_int.h"

#define TOP 15 /* rows of a ranked text section */

/* Write the n bytes at s to f (f NULL: only count) with backslashes and
 * control bytes escaped (\\, \n, \t, \xHH), as a path from an untrusted
 * trace must be; the number of bytes that takes. */
static size_t put_esc(FILE *f, const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char buf[8];
		if (c == '\\')
			snprintf(buf, sizeof(buf), "\\\\");
		else if (c == '\n')
			snprintf(buf, sizeof(buf), "\\n");
		else if (c == '\t')
			snprintf(buf, sizeof(buf), "\\t");
		else if (c < 0x20 || c == 0x7f)
			snprintf(buf, sizeof(buf), "\\x%02x", c);
		else
			snprintf(buf, sizeof(buf), "%c", c);
		w += strlen(buf);
		if (f)
			fputs(buf, f);
	}
	return w;
}

/* put_esc of a string, padded with spaces to width. */
static void put_col(FILE *f, const char *s, size_t width)
{
	size_t w = put_esc(f, s, strlen(s));
	fprintf(f, "%*s", (int)(width > w ? width - w : 0), "");
}

/* The seconds, calls and errors columns of a. */
static void agg_cols(FILE *f, const struct sw__paths_agg *a)
{
	fprintf(f, "  %10.6f %9" PRIu64 " %9" PRIu64 "  ", sw__paths_sec(a->ns), a->calls,
		a->errors);
}

/* A ranked section: the first TOP of the n entries in v (column head
 * over the paths), and a line summing the rest (n - TOP more nouns). */
static void ranked(FILE *f, const char *title, const char *head, const char *noun,
		   struct sw__paths_entry *const *v, size_t n)
{
	fprintf(f, "\n%s (", title);
	if (n > TOP)
		fprintf(f, "top %d of ", TOP);
	fprintf(f, "%zu):\n  %10s %9s %9s  %s\n", n, "seconds", "calls", "errors", head);
	struct sw__paths_agg rest = {0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		if (i >= TOP) {
			sw__paths_agg_add(&rest, &v[i]->a);
			continue;
		}
		agg_cols(f, &v[i]->a);
		put_esc(f, v[i]->path, strlen(v[i]->path));
		fputc('\n', f);
	}
	if (n > TOP) {
		agg_cols(f, &rest);
		fprintf(f, "... and %zu more %s\n", n - TOP, noun);
	}
}

/* "openat 3, access 3" for the calls of e, into buf (cut to fit). */
static const char *calls_text(const struct sw__paths_report *r, const struct sw__paths_entry *e,
			      char *buf, size_t cap)
{
	size_t w = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < e->by.n && w < cap; i++) {
		int k = snprintf(buf + w, cap - w, "%s%s %" PRIu64, i ? ", " : "",
				 sw_evtrace_row_name(r->t, e->by.v[i].row), e->by.v[i].a.calls);
		w += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

/* The section of every failing (path, errno), column widths measured. */
static void errors_text(FILE *f, const struct sw__paths_report *r, struct sw__paths_entry *const *v,
			size_t n)
{
	char eb[32], cb[256];
	size_t ew = 5, cw = 5;
	for (size_t i = 0; i < n; i++) {
		size_t a = strlen(sw__paths_errno_name(v[i]->err, eb, sizeof(eb)));
		size_t b = strlen(calls_text(r, v[i], cb, sizeof(cb)));
		ew = a > ew ? a : ew;
		cw = b > cw ? b : cw;
	}
	fprintf(f, "\nerrors: every failing path (%zu):\n  %9s  %-*s  %-*s  path\n", n,
		"count", (int)ew, "errno", (int)cw, "calls");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %9" PRIu64 "  %-*s  %-*s  ", v[i]->a.calls, (int)ew,
			sw__paths_errno_name(v[i]->err, eb, sizeof(eb)), (int)cw,
			calls_text(r, v[i], cb, sizeof(cb)));
		put_esc(f, v[i]->path, strlen(v[i]->path));
		fputc('\n', f);
	}
}

/* The three text columns of a mount entry. */
static void mount_cols(const struct sw__paths_entry *e, const char *col[3])
{
	col[0] = e->mount ? e->mount->point : "(unknown)";
	col[1] = e->mount ? e->mount->fstype : "?";
	col[2] = e->mount ? e->mount->source : "?";
}

/* The mounts section, the first three columns as wide as their text. */
static void mounts_text(FILE *f, struct sw__paths_entry *const *v, size_t n)
{
	static const char *const head[3] = {"mount point", "fs type", "source"};
	size_t w[3] = {0, 0, 0};
	for (size_t i = 0; i <= n; i++) {
		const char *col[3];
		if (i < n)
			mount_cols(v[i], col);
		for (int c = 0; c < 3; c++) {
			size_t l = i < n ? put_esc(NULL, col[c], strlen(col[c])) : strlen(head[c]);
			w[c] = l > w[c] ? l : w[c];
		}
	}
	fprintf(f, "\nby mount (%zu):\n  ", n);
	for (int c = 0; c < 3; c++)
		fprintf(f, "%-*s  ", (int)w[c], head[c]);
	fprintf(f, "%7s %10s %9s %9s\n", "files", "seconds", "calls", "errors");
	for (size_t i = 0; i < n; i++) {
		const char *col[3];
		mount_cols(v[i], col);
		fputs("  ", f);
		for (int c = 0; c < 3; c++) {
			put_col(f, col[c], w[c]);
			fputs("  ", f);
		}
		fprintf(f, "%7" PRIu64 " %10.6f %9" PRIu64 " %9" PRIu64 "\n", v[i]->files,
			sw__paths_sec(v[i]->a.ns), v[i]->a.calls, v[i]->a.errors);
	}
}

/* The whole text report of r, through its views w. */
static void print_report(FILE *f, const struct sw__paths_report *r,
			 const struct sw__paths_views *w)
{
	fprintf(f, "\npaths: %zu files in %zu directories on %zu mounts: %" PRIu64
		   " calls, %" PRIu64 " failed (%zu path and errno pairs), %.6f s\n",
		w->nfiles, w->ndirs, w->nmounts, r->total.calls, r->total.errors, w->nerrs,
		sw__paths_sec(r->total.ns));
	fprintf(f, "(mounts: %s)\n",
		r->ms ? SW__PATHS_MOUNTS_NOTE : "no mount table could be read");
	if (!w->nfiles)
		return;
	ranked(f, "files by time", "path", "files", w->time, w->nfiles);
	ranked(f, "files by calls", "path", "files", w->calls, w->nfiles);
	if (w->nerrs)
		errors_text(f, r, w->errs, w->nerrs);
	ranked(f, "directories by time", "directory", "directories", w->dirs, w->ndirs);
	mounts_text(f, w->mounts, w->nmounts);
}

/* See paths.h. */
int sw_paths_print_with(FILE *f, const struct sw_evtrace *t,
			const struct sw_mounts *ms)
{
	struct sw__paths_report r;
	struct sw__paths_views w;
	int rc = sw__paths_build(&r, t, ms);
	if (rc < 0)
		return rc;
	rc = sw__paths_views_make(&r, &w);
	if (rc == 0) {
		print_report(f, &r, &w);
		sw__paths_views_free(&w);
	}
	sw__paths_free(&r);
	return rc;
}

/* ---- with this machine's mount table ---- */

/* See paths.h: the report with this machine's mount table, or none
 * when it cannot be read. */
int sw_paths_print(FILE *f, const struct sw_evtrace *t)
{
	struct sw_mounts ms;
	int rc = sw_mounts_read(NULL, &ms);
	rc = sw_paths_print_with(f, t, rc == 0 ? &ms : NULL);
	sw_mounts_free(&ms);
	return rc;
}
