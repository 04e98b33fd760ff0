/*
 * output.c - assemble a report (see output.h). The legend and the
 * warnings come after the table, never inside it, so that anything that
 * parses strace's table parses ours.
 */
#include "output.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "split.h"
#include "locks_report.h"
#include "net.h"
#include "paths.h"
#include "syswatch/rows.h"
#include "table.h"
#include "verdicts.h"

int sw_format_parse(const char *s, enum sw_format *out)
{
	if (strcmp(s, "text") == 0)
		*out = SW_FORMAT_TEXT;
	else if (strcmp(s, "json") == 0)
		*out = SW_FORMAT_JSON;
	else
		return -EINVAL;
	return 0;
}

/* What the legend says about particular rows; others get the generic text. */
static const struct {
	const char *row;
	const char *note;
} row_notes[] = {
	{"getdents64", "readdir refills"},
	{"dlopen", "its loader work is not in the other rows"},
	{"futex", "waits that really blocked and wakes of a waiter"},
};

static const char *note_of(const char *row)
{
	for (size_t i = 0; i < sizeof(row_notes) / sizeof(row_notes[0]); i++)
		if (strcmp(row_notes[i].row, row) == 0)
			return row_notes[i].note;
	return NULL;
}

/* What the mode(s) of the run could not see: one line of the legend. */
static const char *const mode_notes[] = {
	[SW_MODE_WRAPPERS] = "* mode: libc entry points; not seen: calls glibc makes inside "
			     "(stdio, malloc, NSS, locale), the loader's, vfork children's "
			     "before their exec (syswatch run --complete sees them)",
	[SW_MODE_COMPLETE] = "* mode: complete (every system call, through Syscall User "
			     "Dispatch); not seen: the kernel's and the loader's first calls "
			     "(execve, arch_prctl, set_tid_address, set_robust_list, rseq)",
};

static void legend(FILE *f, const struct sw_summary *s, const struct sw_model *m)
{
	unsigned bits = sw_model_modes(m);
	for (unsigned k = SW_MODE_WRAPPERS; k <= SW_MODE_COMPLETE; k++)
		if (bits & (1u << k))
			fprintf(f, "%s%s\n", mode_notes[k],
				bits & ~(1u << k) & ~1u ? " (some processes)" : "");
	/* Under complete mode alone every row is the real syscall count. */
	if ((s->flags & SW_ROWF_LIBC) && bits != 1u << SW_MODE_COMPLETE) {
		fputs("* counted at the libc entry point; strace may show more:", f);
		const char *sep = " ";
		for (size_t i = 0; i < s->n; i++) {
			if (!(s->lines[i].flags & SW_ROWF_LIBC))
				continue;
			const char *note = note_of(s->lines[i].name);
			fprintf(f, "%s%s", sep, s->lines[i].name);
			if (note)
				fprintf(f, " (%s)", note);
			sep = ", ";
		}
		fputc('\n', f);
	}
	for (size_t i = 0; i < s->n; i++) {
		if (!(s->lines[i].flags & SW_ROWF_LIBRARY))
			continue;
		const char *note = note_of(s->lines[i].name);
		fprintf(f, "* %s: library call, not a syscall; %s\n",
			s->lines[i].name,
			note ? note : "the system calls it makes are not in the other rows");
	}
}

static int add_line(char ***v, size_t *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int add_line(char ***v, size_t *n, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;
	va_start(ap, fmt);
	int len = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (len < 0)
		return -ENOMEM;
	char **w = realloc(*v, (*n + 1) * sizeof(*w));
	if (!w) {
		free(line);
		return -ENOMEM;
	}
	*v = w;
	w[(*n)++] = line;
	return 0;
}

static const char *const drop_causes[SW_DROP_NCAUSES] = {
	[SW_DROP_RING_FULL] = "ring full (the collector fell behind)",
	[SW_DROP_TOO_BIG] = "event larger than the ring",
	[SW_DROP_JUMPED] = "a signal handler left the shim with siglongjmp while it "
			   "was recording",
};
/* Causes whose lost records are calls missing from the counts too. */
static const bool drop_uncounted[SW_DROP_NCAUSES] = {[SW_DROP_JUMPED] = true};

#define UNTRACED_SHOWN 3 /* paths named in the untraced line */

/* What to do about each reason a child ran untraced (model.h). */
static const char *untraced_advice(const char *reason)
{
	if (reason == (const char *)SW_UNTRACED_ENV || !strcmp(reason, SW_UNTRACED_ENV))
		return " (use syswatch run --follow-exec)";
	if (!strcmp(reason, SW_UNTRACED_STATIC) || !strcmp(reason, SW_UNTRACED_GO))
		return " (use strace for it)";
	return "";
}

/* "syswatch: 2 children ran untraced: /a, /b, environment cleared
 * (use syswatch run --follow-exec)": one line per reason, in the order
 * the reasons first appear. */
static int untraced_line(const struct sw_model *m, char ***v, size_t *nv)
{
	int rc = 0;
	for (size_t r = 0; rc == 0 && r < m->nuntraced; r++) {
		const char *reason = m->untraced[r].reason;
		size_t seen = 0, n = 0;
		for (size_t i = 0; i < r; i++)
			seen += strcmp(m->untraced[i].reason, reason) == 0;
		if (seen)
			continue; /* its line is out */
		char *paths = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&paths, &len);
		if (!f)
			return -ENOMEM;
		for (size_t i = r; i < m->nuntraced; i++) {
			if (strcmp(m->untraced[i].reason, reason) != 0)
				continue;
			if (n < UNTRACED_SHOWN)
				fprintf(f, "%s%s", n ? ", " : "", m->untraced[i].path);
			n++;
		}
		if (n > UNTRACED_SHOWN)
			fprintf(f, " and %zu more", n - UNTRACED_SHOWN);
		if (fclose(f) != 0 || !paths) {
			free(paths);
			return -ENOMEM;
		}
		rc = add_line(v, nv, "syswatch: %zu %s ran untraced: %s, %s%s", n,
			      n == 1 ? "child" : "children", paths, reason,
			      untraced_advice(reason));
		free(paths);
	}
	return rc;
}

static uint64_t thread_drops(const struct sw_model_thread *t)
{
	uint64_t sum = 0;
	for (int c = 0; c < SW_DROP_NCAUSES; c++)
		sum += t->dropped[c];
	return sum;
}

static const struct sw_model *drop_sort_model;

static int by_drops(const void *a, const void *b)
{
	uint64_t x = thread_drops(&drop_sort_model->threads[*(const size_t *)a]);
	uint64_t y = thread_drops(&drop_sort_model->threads[*(const size_t *)b]);
	if (x != y)
		return x > y ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

/* One line per thread that lost events, most first, at most 8. */
static int thread_drop_lines(const struct sw_model *m, char ***v, size_t *nv)
{
	size_t *idx = malloc((m->nthreads ? m->nthreads : 1) * sizeof(*idx));
	size_t k = 0;
	int rc = 0;
	if (idx == NULL)
		return -ENOMEM;
	for (size_t i = 0; i < m->nthreads; i++)
		if (thread_drops(&m->threads[i]))
			idx[k++] = i;
	drop_sort_model = m;
	qsort(idx, k, sizeof(*idx), by_drops);
	for (size_t i = 0; rc == 0 && i < k && i < 8; i++) {
		const struct sw_model_thread *t = &m->threads[idx[i]];
		char jumped[48] = "";
		if (t->dropped[SW_DROP_JUMPED])
			snprintf(jumped, sizeof(jumped), ", siglongjmp %" PRIu64,
				 t->dropped[SW_DROP_JUMPED]);
		rc = add_line(v, nv,
			      "syswatch:   thread %" PRId32 "/%" PRId32 " (%s): %" PRIu64
			      " events dropped (ring full %" PRIu64 ", too big %" PRIu64 "%s)",
			      t->pid, t->tid, t->name[0] ? t->name : "?", thread_drops(t),
			      t->dropped[SW_DROP_RING_FULL], t->dropped[SW_DROP_TOO_BIG], jumped);
	}
	if (rc == 0 && k > 8)
		rc = add_line(v, nv, "syswatch:   and %zu more threads that dropped events", k - 8);
	free(idx);
	return rc;
}

int sw_report_warnings(const struct sw_model *m, char ***out, size_t *n)
{
	char **v = NULL;
	size_t nv = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && i < m->nwarnings; i++)
		rc = add_line(&v, &nv, "%s", m->warnings[i]);
	for (int c = 0; rc == 0 && c < SW_DROP_NCAUSES; c++) {
		if (!m->dropped[c])
			continue;
		if (drop_causes[c] && drop_uncounted[c])
			rc = add_line(&v, &nv,
				      "syswatch: %" PRIu64 " calls lost: %s; at most "
				      "that many calls are missing from the counts above",
				      m->dropped[c], drop_causes[c]);
		else if (drop_causes[c])
			rc = add_line(&v, &nv,
				      "syswatch: %" PRIu64 " events dropped: %s; "
				      "the counts above are still exact",
				      m->dropped[c], drop_causes[c]);
		else
			rc = add_line(&v, &nv,
				      "syswatch: %" PRIu64 " events dropped "
				      "(cause %d); the counts above are still exact",
				      m->dropped[c], c);
	}
	if (rc == 0)
		rc = thread_drop_lines(m, &v, &nv);
	if (rc == 0 && m->nuntraced)
		rc = untraced_line(m, &v, &nv);
	uint64_t lost = sw_model_threads_lost(m);
	if (rc == 0 && lost)
		rc = add_line(&v, &nv,
			      "syswatch: %" PRIu64 " threads found no free slot "
			      "in their process's segment: their calls are not "
			      "counted",
			      lost);
	if (rc == 0 && m->nprocs == 0 && m->segs_skipped)
		rc = add_line(&v, &nv,
			      "syswatch: no process could be reported: %" PRIu32
			      " segment%s refused (a bad header, or unreadable); "
			      "the shim was loaded", m->segs_skipped,
			      m->segs_skipped == 1 ? " was" : "s were");
	/* A process that could not make its segment said why in a warning. */
	else if (rc == 0 && m->nprocs == 0 && m->nwarnings == 0)
		rc = add_line(&v, &nv,
			      "syswatch: no process reported anything: the "
			      "program did not load the shim (setuid, or "
			      "LD_PRELOAD removed from its environment?)");
	if (rc < 0) {
		for (size_t i = 0; i < nv; i++)
			free(v[i]);
		free(v);
		return rc;
	}
	*out = v;
	*n = nv;
	return 0;
}

struct split_ctx {
	FILE *f;
	const struct sw_model *m;
	const struct sw_report_opts *o;
};

/* One sub-table: a header line naming the part, then strace's table. */
static int split_one(void *arg, const struct sw_split_group *g)
{
	struct split_ctx *c = arg;
	struct sw_summary s;
	int rc = sw_summary_select(c->m, g, c->o, &s);
	if (rc < 0)
		return rc;
	fputc('\n', c->f);
	if (g->tid)
		fprintf(c->f, "thread %d/%d (%s) of %s:\n", (int)g->pid,
			(int)g->tid, g->name && g->name[0] ? g->name : "?",
			g->command ? g->command : "?");
	else if (g->signal != 0) {
		char sig[16];
		fprintf(c->f, "process %d (%s), killed by %s:\n", (int)g->pid,
			g->command ? g->command : "?", sw_signal_name(g->signal, sig));
	} else if (g->has_exit)
		fprintf(c->f, "process %d (%s), exit status %d:\n", (int)g->pid,
			g->command ? g->command : "?", (int)g->exit_status);
	else
		fprintf(c->f, "process %d (%s), exit status unknown:\n",
			(int)g->pid, g->command ? g->command : "?");
	rc = sw_table_print(c->f, &s);
	sw_summary_free(&s);
	return rc;
}

int sw_report_write(FILE *f, const struct sw_model *m,
		    const struct sw_report_opts *o)
{
	struct sw_summary s;
	struct sw_verdicts verdicts;
	char **warn = NULL;
	size_t nwarn = 0;
	int rc = sw_summary_select(m, NULL, o, &s);
	if (rc < 0)
		return rc;
	rc = sw_report_warnings(m, &warn, &nwarn);
	if (rc == 0 && s.lower_bound) /* -e status= from incomplete events */
		rc = add_line(&warn, &nwarn, "%s", SW_SUMMARY_LOWER_BOUND);
	if (rc < 0)
		goto out_summary;
	rc = sw_verdicts_build(m, o->events, o->lockinfo, &verdicts);
	if (rc < 0)
		goto out_warn;
	if (o->format == SW_FORMAT_JSON) {
		rc = sw_json_print(f, m, &s, warn, nwarn, &verdicts, o);
	} else {
		rc = sw_table_print(f, &s);
		legend(f, &s, m);
		for (size_t i = 0; i < nwarn; i++)
			fprintf(f, "%s\n", warn[i]);
		struct split_ctx c = {f, m, o};
		if (o->per_process && rc == 0)
			rc = sw_split_each(m, false, split_one, &c);
		if (o->per_thread && rc == 0)
			rc = sw_split_each(m, true, split_one, &c);
		if (o->locks && rc == 0)
			rc = sw_locks_print(f, o->locks,
					    o->locks_full ? SW_LOCKS_FULL : SW_LOCKS_SHORT);
		if (o->paths && o->events && rc == 0)
			rc = sw_paths_print(f, o->events);
		if (o->net && o->events && rc == 0)
			rc = sw_net_print(f, o->events);
		if (rc == 0)
			rc = sw_verdicts_print(f, &verdicts, o->diagnose);
	}
	if (fflush(f) != 0 || ferror(f))
		rc = rc ? rc : -EIO;
out_warn:
	for (size_t i = 0; i < nwarn; i++)
		free(warn[i]);
	free(warn);
out_summary:
	sw_summary_free(&s);
	return rc;
}
