/*
 * locks_report.c - the text lock report (see locks_report.h): a summary
 * paragraph a person can act on, the contended locks ranked by total
 * wait, each with its blockers and what they did while others waited,
 * then the condition waits, which are not lock contention.
 */
#include "locks_report.h"

#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "syswatch/rows.h"

#define LOCKS_SHOWN 10 /* rows of the lock table */
#define WRAP 78        /* summary paragraph width */

/* How much of the detail each level prints. The short form is what a
 * person reads first (make demo's report fits on two screens): the
 * summary and the lock table are whole, the detail is cut to the few
 * blockers that matter; full is the report as it always was. */
static const struct detail {
	uint32_t locks;    /* locks described in detail */
	uint32_t blockers; /* blockers per lock */
	uint32_t rows;     /* activity rows per blocker */
	uint32_t conds;    /* condition variables listed (0: no section) */
} details[] = {
	[SW_LOCKS_SHORT] = {3, 3, 3, 0},
	[SW_LOCKS_FULL] = {LOCKS_SHOWN, 5, 6, 3},
};

/* A printing pass: its level, and whether it left anything out. */
struct pass {
	const struct detail *d;
	bool cut;
};

static double sec(uint64_t ns)
{
	return (double)ns / 1e9;
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* --- verdicts ------------------------------------------------------------ */

enum cat { CAT_FILE, CAT_NET, CAT_SLEEP, CAT_LOCK, CAT_CPU, CAT_OTHER, NCAT };

/* What dominates a hold, and what that means. The first rule whose
 * category has at least half of the hold wins. */
static const struct {
	enum cat cat;
	const char *verdict;
} verdicts[] = {
	{CAT_FILE, "the filesystem is the root cause"},
	{CAT_NET, "the network is the root cause"},
	{CAT_SLEEP, "it was sleeping: that sleep is the root cause"},
	{CAT_CPU, "it was computing (CPU) or in calls syswatch does not trace: "
		  "its own work is the root cause"},
	{CAT_LOCK, "it was itself waiting on other locks or condition variables"},
};

static enum cat cat_of(const struct sw_locks *l, uint32_t row)
{
	if (row == l->tr->row_futex)
		return CAT_LOCK;
	if (row == l->tr->row_sleep)
		return CAT_SLEEP;
	switch (sw_evtrace_row_class(l->tr, row)) {
	case SW_CLASS_FILE:
	case SW_CLASS_DESC:
		return CAT_FILE;
	case SW_CLASS_NETWORK:
		return CAT_NET;
	case SW_CLASS_TIME:
		return CAT_SLEEP;
	default:
		return CAT_OTHER;
	}
}

static void by_cat(const struct sw_locks *l, const struct sw_activity *act,
		   uint32_t nact, uint64_t outside_ns, uint64_t cat[NCAT])
{
	memset(cat, 0, NCAT * sizeof(*cat));
	for (uint32_t i = 0; i < nact; i++)
		cat[cat_of(l, act[i].row)] += act[i].ns;
	cat[CAT_CPU] += outside_ns;
}

const char *sw_locks_verdict(const struct sw_locks *l, const struct sw_activity *act,
			     uint32_t nact, uint64_t outside_ns)
{
	uint64_t cat[NCAT], total = 0;
	by_cat(l, act, nact, outside_ns, cat);
	for (int c = 0; c < NCAT; c++)
		total += cat[c];
	for (size_t i = 0; i < sizeof(verdicts) / sizeof(verdicts[0]); i++)
		if (total && 2 * cat[verdicts[i].cat] >= total)
			return verdicts[i].verdict;
	return NULL;
}

/* --- the summary ---------------------------------------------------------- */

struct buf {
	char *s;
	size_t len, cap;
	bool oom;
};

static void add(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void add(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || b->oom)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		char *s = realloc(b->s, cap);
		if (!s) {
			b->oom = true;
			return;
		}
		b->s = s;
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

static const char *thread_name(const struct sw_locks *l, uint32_t t)
{
	const struct sw_evthread *th = &l->tr->threads[t];
	if (th->name[0])
		return th->name;
	return l->tr->procs[th->proc].command;
}

static const char *module_label(const char *name, const char *path)
{
	return name ? name : path;
}

/* What the culprit did, in a few words: its largest activity row, and
 * the category total when it adds up to more than the row. */
static void did(struct buf *b, const struct sw_locks *l, const struct sw_culprit *c)
{
	const struct sw_activity *act = l->report_act + c->act0;
	uint64_t cat[NCAT];
	by_cat(l, act, c->nact, c->outside_ns, cat);
	if (c->nact == 0 || c->outside_ns > act[0].ns) {
		add(b, "%.3g s %s", sec(c->outside_ns), SW_OUTSIDE_CALLS);
		return;
	}
	add(b, "%.3g s in `%s`", sec(act[0].ns), sw_evtrace_row_name(l->tr, act[0].row));
	if (act[0].top_file)
		add(b, " on `%s`", act[0].top_file);
	enum cat k = cat_of(l, act[0].row);
	if (k == CAT_FILE && cat[k] > act[0].ns + act[0].ns / 10)
		add(b, " (%.3g s in file calls in all)", sec(cat[k]));
}

char *sw_locks_summary(const struct sw_locks *l)
{
	const struct sw_locks_totals *t = &l->totals;
	struct buf b = {0};
	if (t->waits == 0) {
		add(&b, "No thread was blocked on a lock.");
	} else {
		add(&b, "%" PRIu64 " thread%s waited %.1f s in total (%.1f s wall) on %" PRIu64
			" contended lock%s", t->waiters, t->waiters == 1 ? "" : "s",
		    sec(t->wait_ns), sec(t->wall_ns), t->nlocks, t->nlocks == 1 ? "" : "s");
		if (t->incomplete)
			add(&b, " (%.3g s of it not attributed: events were dropped)",
			    sec(t->incomplete_ns));
		add(&b, ".");
	}
	if (l->nculprits && l->culprits[0].attributed_ns) {
		const struct sw_culprit *c = &l->culprits[0];
		uint32_t tid = (uint32_t)l->tr->threads[c->thread].tid;
		add(&b, " %.0f%% of it (%.1f s) was waiting for thread %" PRIu32 " (%s)",
		    pct(c->attributed_ns, t->wait_ns), sec(c->attributed_ns), tid,
		    thread_name(l, c->thread));
		if (c->module && c->nmodules > 1)
			add(&b, ", loading %" PRIu32 " modules, the most waited-for `%s` (%.1f s)",
			    c->nmodules, module_label(c->module_name, c->module), sec(c->module_ns));
		else if (c->module)
			add(&b, " on the import of `%s`", module_label(c->module_name, c->module));
		add(&b, "; during its %.3g s of holds", sec(c->hold_ns));
		if (c->window_ns > c->hold_ns + c->hold_ns / 20)
			add(&b, " (%.3g s with the relays after them)", sec(c->window_ns));
		add(&b, " thread %" PRIu32 " spent ", tid);
		did(&b, l, c);
		const char *v = sw_locks_verdict(l, l->report_act + c->act0, c->nact,
						 c->outside_ns);
		add(&b, "%s%s.", v ? ": " : "", v ? v : "");
		if (!c->complete)
			add(&b, " (Events of it were dropped: the breakdown is partial.)");
		if (l->nculprits > 1 && l->culprits[1].attributed_ns)
			add(&b, " Next: thread %" PRIu32 " (%.1f s).",
			    (uint32_t)l->tr->threads[l->culprits[1].thread].tid,
			    sec(l->culprits[1].attributed_ns));
	}
	if (t->cond_waits)
		add(&b, " Apart from that, %" PRIu64 " thread%s spent %.1f s in condition waits "
			"(waiting for a signal, not for a lock).", t->cond_waiters,
		    t->cond_waiters == 1 ? "" : "s", sec(t->cond_wait_ns));
	if (b.oom) {
		free(b.s);
		return NULL;
	}
	return b.s;
}

/* --- the report ------------------------------------------------------------ */

/* Print text wrapped at WRAP columns. */
static void wrap(FILE *f, const char *s)
{
	while (*s) {
		size_t n = strlen(s);
		if (n <= WRAP) {
			fprintf(f, "%s\n", s);
			return;
		}
		size_t cut = WRAP;
		while (cut > 0 && s[cut] != ' ')
			cut--;
		if (cut == 0) { /* one long word (a path): break after it */
			cut = strcspn(s, " ");
			if (!s[cut]) {
				fprintf(f, "%s\n", s);
				return;
			}
		}
		fprintf(f, "%.*s\n", (int)cut, s);
		s += cut + 1;
	}
}

static void lock_name(char *out, size_t cap, const struct sw_lockrep *r)
{
	if (r->parking)
		snprintf(out, cap, "%s (per-thread parking)", sw_prim_kind_name(r->kind));
	else
		snprintf(out, cap, "%s %#" PRIx64, sw_prim_kind_name(r->kind), r->addr);
}

static void activity(FILE *f, struct pass *p, const struct sw_locks *l,
		     const struct sw_blocker *b)
{
	uint32_t shown = 0;
	bool outside_done = false;
	uint32_t i = 0;
	for (; i < b->nact && shown < p->d->rows; i++) {
		const struct sw_activity *a = &l->report_act[b->act0 + i];
		if (!outside_done && b->outside_ns > a->ns) {
			fprintf(f, "        %9.6f s  %s\n", sec(b->outside_ns), SW_OUTSIDE_CALLS);
			outside_done = true;
			shown++;
		}
		fprintf(f, "        %9.6f s  %-16s %7" PRIu64 " %s", sec(a->ns),
			sw_evtrace_row_name(l->tr, a->row), a->calls,
			a->calls == 1 ? "call" : "calls");
		if (a->top_file)
			fprintf(f, "%s  %s", a->calls == 1 ? " " : "", a->top_file);
		fputc('\n', f);
		shown++;
	}
	if (!outside_done)
		fprintf(f, "        %9.6f s  %s\n", sec(b->outside_ns), SW_OUTSIDE_CALLS);
	if (i < b->nact)
		p->cut = true;
}

static void unattributed(FILE *f, const struct sw_lockrep *r)
{
	if (!r->timed_out && !r->interrupted && !r->failed && !r->unattributed &&
	    !r->incomplete && !r->unknown_ns)
		return;
	fprintf(f, "    not attributed:");
	const char *sep = " ";
	if (r->timed_out)
		fprintf(f, "%s%" PRIu64 " timed out (%.6f s)", sep, r->timed_out,
			sec(r->timed_out_ns)), sep = ", ";
	if (r->interrupted)
		fprintf(f, "%s%" PRIu64 " interrupted (%.6f s)", sep, r->interrupted,
			sec(r->interrupted_ns)), sep = ", ";
	if (r->failed)
		fprintf(f, "%s%" PRIu64 " failed (%.6f s)", sep, r->failed, sec(r->failed_ns)),
			sep = ", ";
	if (r->incomplete)
		fprintf(f, "%s%" PRIu64 " incomplete (%.6f s: events were dropped)", sep,
			r->incomplete, sec(r->incomplete_ns)), sep = ", ";
	if (r->unattributed)
		fprintf(f, "%s%" PRIu64 " unmatched (%.6f s: %s)", sep, r->unattributed,
			sec(r->unattributed_ns), sw_wait_why_text(r->unattributed_why)),
			sep = ", ";
	if (r->unknown_ns)
		fprintf(f, "%s%.6f s relayed by a thread whose own wake-up has no release",
			sep, sec(r->unknown_ns));
	fputc('\n', f);
}

static void one_lock(FILE *f, struct pass *ps, const struct sw_locks *l,
		     const struct sw_lockrep *r)
{
	char name[64];
	lock_name(name, sizeof(name), r);
	const struct sw_evproc *pr = NULL;
	for (size_t p = 0; p < l->tr->nprocs; p++)
		if (l->tr->procs[p].pid == r->pid && l->tr->procs[p].epoch == r->epoch)
			pr = &l->tr->procs[p];
	fprintf(f, "\n  %s, pid %" PRId32 " (%s)", name, r->pid, pr ? pr->command : "?");
	if (r->parking)
		fprintf(f, ", %" PRIu32 " semaphores", r->nprims);
	else if (r->gen)
		fprintf(f, ", generation %" PRIu32, r->gen);
	fprintf(f, ": %" PRIu64 " wait%s by %" PRIu64 " thread%s, %.6f s summed, %.6f s wall\n",
		r->waits, r->waits == 1 ? "" : "s", r->waiters, r->waiters == 1 ? "" : "s",
		sec(r->wait_ns), sec(r->wall_ns));
	if (r->attributed_ns) {
		fprintf(f, "    attributed %.6f s: %.6f s until the holders' releases, "
			"%.6f s wake-up latency after them", sec(r->attributed_ns),
			sec(r->blamed_ns), sec(r->latency_ns));
		if (r->convoy_ns)
			fprintf(f, " (%.6f s of it queued behind relays)", sec(r->convoy_ns));
		fputc('\n', f);
	}
	unattributed(f, r);
	uint64_t rest_ns = 0;
	uint32_t rest = 0;
	for (uint32_t k = 0; k < r->nblk; k++) {
		const struct sw_blocker *b = &l->report_blk[r->blk0 + k];
		if (k >= ps->d->blockers) {
			ps->cut = true;
			rest++;
			rest_ns += b->attributed_ns;
			continue;
		}
		const struct sw_evthread *th = &l->tr->threads[b->thread];
		fprintf(f, "    thread %" PRId32 " (%s)", th->tid, thread_name(l, b->thread));
		if (b->module)
			fprintf(f, " loading %s", module_label(b->module_name, b->module));
		if (b->via != SW_NONE)
			fprintf(f, ", blocking thread %" PRId32 " that held it",
				l->tr->threads[b->via].tid);
		if (b->after_release)
			fprintf(f, ", after its releases: waits attributed %.6f s while relays "
				   "passed the lock on (%.6f s wall)",
				sec(b->attributed_ns), sec(b->hold_ns));
		else
			fprintf(f, ": hold %.6f s, waits attributed %.6f s", sec(b->hold_ns),
				sec(b->attributed_ns));
		if (b->latency_ns && !b->after_release)
			fprintf(f, " (%.6f s of it wake-up latency)", sec(b->latency_ns));
		fprintf(f, "%s\n", b->complete ? "" : " [events dropped: partial]");
		if (b->module && b->module_name)
			fprintf(f, "      module %s\n", b->module);
		if (b->after_release)
			fprintf(f, "      meanwhile:\n");
		activity(f, ps, l, b);
	}
	if (rest)
		fprintf(f, "    ... and %" PRIu32 " more blocker%s (%.6f s)\n", rest,
			rest == 1 ? "" : "s", sec(rest_ns));
}

static void conds(FILE *f, struct pass *p, const struct sw_locks *l)
{
	const struct sw_locks_totals *t = &l->totals;
	if (!t->cond_waits)
		return;
	if (!p->d->conds) {
		p->cut = true; /* the summary gives their totals */
		return;
	}
	fprintf(f, "\nCondition waits (pthread_cond_*: waiting for a signal, not lock "
		   "contention): %" PRIu64 " waits by %" PRIu64 " threads, %.6f s summed, "
		   "%.6f s wall, on %" PRIu64 " condition variable%s\n",
		t->cond_waits, t->cond_waiters, sec(t->cond_wait_ns), sec(t->cond_wall_ns),
		t->ncond, t->ncond == 1 ? "" : "s");
	uint32_t shown = 0;
	for (size_t e = 0; e < l->nreport && shown < p->d->conds; e++) {
		const struct sw_lockrep *r = &l->report[e];
		if (r->kind != SW_PRIM_COND)
			continue;
		shown++;
		fprintf(f, "  cond %#" PRIx64 ", pid %" PRId32 ": %" PRIu64 " waits by %" PRIu64
			   " threads, %.6f s summed (%" PRIu64 " timed out)", r->addr, r->pid,
			r->waits, r->waiters, sec(r->wait_ns), r->timed_out);
		if (r->nblk)
			fprintf(f, "; signalled most by thread %" PRId32 " (%.6f s)",
				l->tr->threads[l->report_blk[r->blk0].thread].tid,
				sec(l->report_blk[r->blk0].attributed_ns));
		fputc('\n', f);
	}
}

int sw_locks_print(FILE *f, const struct sw_locks *l, enum sw_locks_detail level)
{
	struct pass p = {&details[level], false};
	char *summary = sw_locks_summary(l);
	if (!summary)
		return -ENOMEM;
	fprintf(f, "\nLocks (syswatch --locks)\n");
	wrap(f, summary);
	free(summary);

	const struct sw_locks_totals *t = &l->totals;
	if (t->nlocks) {
		fprintf(f, "\n%% wait    seconds      wall   waits waiters lock\n"
			   "------ ---------- --------- ------- ------- ------------------------\n");
		uint32_t shown = 0;
		for (size_t e = 0; e < l->nreport && shown < LOCKS_SHOWN; e++) {
			const struct sw_lockrep *r = &l->report[e];
			if (r->kind == SW_PRIM_COND)
				continue;
			char name[64];
			lock_name(name, sizeof(name), r);
			fprintf(f, "%6.2f %10.6f %9.6f %7" PRIu64 " %7" PRIu64 " %s\n",
				pct(r->wait_ns, t->wait_ns), sec(r->wait_ns), sec(r->wall_ns),
				r->waits, r->waiters, name);
			shown++;
		}
		if (t->nlocks > shown)
			fprintf(f, "   ... %" PRIu64 " more\n", t->nlocks - shown);
		uint32_t listed = shown;
		shown = 0;
		for (size_t e = 0; e < l->nreport && shown < p.d->locks; e++) {
			if (l->report[e].kind == SW_PRIM_COND)
				continue;
			one_lock(f, &p, l, &l->report[e]);
			shown++;
		}
		if (shown < listed)
			p.cut = true;
	}
	conds(f, &p, l);
	if (p.cut && level == SW_LOCKS_SHORT)
		fprintf(f, "\n%s\n", SW_LOCKS_MORE);
	return 0;
}
