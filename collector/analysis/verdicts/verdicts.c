/*
 * verdicts.c - the rules that turn the numbers into causes (see
 * verdicts.h).
 *
 * A context is built once: the rows folded into a few groups (metadata,
 * data reads, futex, dlopen, sleeps, network, idle waits, waits for
 * children), the time they explain, the wall time and the threads. Each
 * rule is a row of `rules` below: a function that looks at the context
 * and returns its confidence (0: it does not apply) and writes its
 * evidence. With the events (--diagnose) the rules refine the evidence
 * (verdicts_ev.c): which directory, which holder, which calls failed
 * before the sleeps.
 *
 * Confidence is the share of the run the cause explains: the time in its
 * calls over max(summed time in calls, wall time). The wall time stands
 * in when the calls cover less than the run (the rest is computing), the
 * summed time when many threads waited at once. Waits for children
 * (wait4, waitid, system) are left out of the sum: they count the
 * children's time a second time.
 */
#include "verdicts.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "mounts.h"
#include "syswatch/rows.h"
#include "verdicts_int.h"

/* --- thresholds, and why ------------------------------------------------ */

/* A metadata call (open, stat, access, readdir) served from the dentry
 * cache or a local disk's page cache takes 1-10 us; averaging 250 us is
 * 25x that: a network or FUSE filesystem, a cold or overloaded disk. 20
 * calls at least: one slow open is not a pattern. */
#define META_SLOW_NS 250000ull
#define META_MIN_CALLS 20
/* A read from the page cache costs microseconds even for 1 MB (10 GB/s);
 * averaging 500 us is a disk, a network filesystem or a slowed one. */
#define READ_SLOW_NS 500000ull
#define READ_MIN_CALLS 5
/* Below a tenth of the run a cause is not what makes it slow. */
#define MIN_SHARE 0.10
/* A program start loads a few libraries in a few ms; loading is a cause
 * when it is a quarter of the run and at least 5 ms. */
#define DLOPEN_SHARE 0.25
#define DLOPEN_MIN_NS 5000000ull
/* Sleeping a fifth of the run is deliberate, not incidental. */
#define SLEEP_SHARE 0.20
/* Time in network calls is time waiting for a peer (or for buffer room):
 * a fifth of the run, and 10 ms at least (a loopback exchange is 20 us). */
#define NET_SHARE 0.20
#define NET_MIN_NS 10000000ull
/* An event loop waiting for work: only a verdict when it dominates. */
#define IDLE_SHARE 0.50
/* Lock waits dominate: with the lock analysis, 30% of the run and half
 * of the waits attributed to holders, whatever the holders did (I/O,
 * sleeping, computing: the evidence says which); from the counters
 * alone, half of the run and twice the wall time (at least two threads'
 * worth) while the filesystem was slow. */
#define FUTEX_SHARE_LOCKS 0.30
#define FUTEX_SHARE_COUNTERS 0.50
#define FUTEX_AMPLIFIED 0.50
/* Without the holders seen, a lock amplification is a guess: weigh it
 * down so that the --diagnose evidence ranks higher than the guess. */
#define UNCONFIRMED 0.75
/* Waiting for children (wait4, waitid, system) half of the wall time:
 * the program mostly waited for the programs it started. */
#define CHILD_SHARE 0.50
#define CHILD_CMDS_SCAN 256 /* processes looked at to name the usual child */
/* The summed-versus-wall note: when calls over threads add up to this
 * many times the wall time. */
#define SUMMED_NOTE 1.5

/* --- rows, grouped by what they tell ------------------------------------ */

/* Rows placed by name; the others by class (file: metadata, network). */
static const struct {
	const char *row;
	enum sw__grp g;
} named_rows[] = {
	{"getdents64", SW__G_META},      {"read", SW__G_READ},
	{"pread64", SW__G_READ},         {"readv", SW__G_READ},
	{"preadv", SW__G_READ},          {"futex", SW__G_FUTEX},
	{"dlopen", SW__G_DLOPEN},        {"clock_nanosleep", SW__G_SLEEP},
	{"epoll_wait", SW__G_IDLE},      {"epoll_pwait", SW__G_IDLE},
	{"poll", SW__G_IDLE},            {"ppoll", SW__G_IDLE},
	{"pselect6", SW__G_IDLE},        {"accept", SW__G_IDLE}, /* a server waiting */
	{"accept4", SW__G_IDLE},         {"wait4", SW__G_CHILD},
	{"waitid", SW__G_CHILD},         {"system", SW__G_CHILD},
};

static enum sw__grp group_of(const struct sw_rowdef *d)
{
	if (!d->defined)
		return SW__G_OTHER;
	for (size_t i = 0; i < sizeof(named_rows) / sizeof(named_rows[0]); i++)
		if (strcmp(named_rows[i].row, d->name) == 0)
			return named_rows[i].g;
	if (d->cls == SW_CLASS_FILE)
		return SW__G_META;
	if (d->cls == SW_CLASS_NETWORK)
		return SW__G_NET;
	return SW__G_OTHER;
}

/* The share of the run ns explains, at most 1 (see the top). */
static double share(const struct sw__vctx *c, uint64_t ns)
{
	if (!c->denom_ns)
		return 0.0;
	double s = (double)ns / (double)c->denom_ns;
	return s > 1.0 ? 1.0 : s;
}

/* The time a call of s took on average. */
static uint64_t mean(const struct sw_rowstat *s)
{
	return s->calls ? s->total_ns / s->calls : 0;
}

/* --- words --------------------------------------------------------------- */

/* "newfstatat 800, openat 200": the rows of group g with the most time,
 * by calls (at most 3). */
static void say_rows(struct sw__ebuf *b, const struct sw__vctx *c, enum sw__grp g)
{
	uint32_t best[3] = {UINT32_MAX, UINT32_MAX, UINT32_MAX};
	for (uint32_t r = 0; r < c->m->nrows; r++) {
		if (group_of(&c->m->rows[r]) != g || !c->m->sums[r].calls)
			continue;
		for (int k = 0; k < 3; k++) {
			if (best[k] == UINT32_MAX ||
			    c->m->sums[r].total_ns > c->m->sums[best[k]].total_ns) {
				memmove(best + k + 1, best + k, (size_t)(2 - k) * sizeof(*best));
				best[k] = r;
				break;
			}
		}
	}
	for (int k = 0; k < 3 && best[k] != UINT32_MAX; k++)
		sw__say(b, "%s%s %" PRIu64, k ? ", " : "", c->m->rows[best[k]].name,
			c->m->sums[best[k]].calls);
}

/* --- the rules ------------------------------------------------------------ */

/* Each returns its confidence (0: the rule does not apply), and may fail
 * with a negative errno (out of memory). */

static double slow_meta(const struct sw__vctx *c, struct sw__ebuf *b, int *err)
{
	const struct sw_rowstat *s = &c->g[SW__G_META];
	if (s->calls < META_MIN_CALLS || mean(s) < META_SLOW_NS ||
	    share(c, s->total_ns) < MIN_SHARE)
		return 0.0;
	sw__say(b, "%" PRIu64 " metadata calls (", s->calls);
	say_rows(b, c, SW__G_META);
	sw__say(b, ") took %s, %s each on average (%s at most; the page cache answers "
		   "in about 10 us)", sw__dur(s->total_ns).s, sw__dur(mean(s)).s,
		sw__dur(s->max_ns).s);
	*err = sw__say_where(b, c, SW__G_META, META_SLOW_NS);
	return share(c, s->total_ns);
}

/* Pipes or sockets in the run: then reads may wait for a peer. */
static bool has_streams(const struct sw__vctx *c)
{
	static const char *const rows[] = {"pipe2", "socket", "socketpair", "accept",
					   "accept4", "connect"};
	for (uint32_t r = 0; r < c->m->nrows; r++)
		for (size_t k = 0; k < sizeof(rows) / sizeof(rows[0]); k++)
			if (c->m->rows[r].defined && c->m->sums[r].calls &&
			    strcmp(c->m->rows[r].name, rows[k]) == 0)
				return true;
	return false;
}

static double slow_reads(const struct sw__vctx *c, struct sw__ebuf *b, int *err)
{
	const struct sw_rowstat *s = &c->g[SW__G_READ];
	if (s->calls < READ_MIN_CALLS || mean(s) < READ_SLOW_NS ||
	    share(c, s->total_ns) < MIN_SHARE)
		return 0.0;
	double conf = share(c, s->total_ns), files = sw__file_reads(c);
	if (files < 0.5)
		return 0.0; /* the events show reads of pipes or sockets */
	/* Counters alone cannot tell a slow disk from a read that waits on a
	 * pipe (a shell's $(...), a child's output) or a socket: rather than
	 * guess, no verdict; "none" says --diagnose can tell them apart. */
	if (!c->t && has_streams(c))
		return 0.0;
	sw__say(b, "%" PRIu64 " data reads (", s->calls);
	say_rows(b, c, SW__G_READ);
	sw__say(b, ") took %s, %s each on average (%s at most; the page cache "
		   "answers in microseconds)", sw__dur(s->total_ns).s, sw__dur(mean(s)).s,
		sw__dur(s->max_ns).s);
	*err = sw__say_where(b, c, SW__G_READ, READ_SLOW_NS);
	return conf;
}

static double lock_amp(const struct sw__vctx *c, struct sw__ebuf *b, int *err)
{
	(void)err;
	const struct sw_rowstat *f = &c->g[SW__G_FUTEX];
	if (c->l && c->l->totals.waits) {
		/* The lock analysis: waits dominate, and it names the holders
		 * they were for; what the holders did is the evidence. */
		const struct sw_locks_totals *t = &c->l->totals;
		double held = t->wait_ns ? (double)t->attributed_ns / (double)t->wait_ns : 0.0;
		double futex = share(c, f->total_ns), mix[SW__HK_N];
		if (!c->l->nculprits || held < FUTEX_AMPLIFIED || futex < FUTEX_SHARE_LOCKS)
			return 0.0;
		sw__holders_mix(c->l, mix);
		sw__say_holders(b, c, mix);
		return futex * (held > 1.0 ? 1.0 : held);
	}
	/* Counters only: waits dominate, and the filesystem is slow. */
	const struct sw_rowstat *m = &c->g[SW__G_META], *r = &c->g[SW__G_READ];
	bool slow_m = m->calls >= META_MIN_CALLS && mean(m) >= META_SLOW_NS;
	bool slow_r = r->calls >= READ_MIN_CALLS && mean(r) >= READ_SLOW_NS;
	double futex = share(c, f->total_ns);
	if (c->l || futex < FUTEX_SHARE_COUNTERS || f->total_ns < 2 * c->wall_ns ||
	    !(slow_m || slow_r))
		return 0.0;
	sw__say(b, "futex waits took %s summed, %.1f times the wall time, while ",
		sw__dur(f->total_ns).s,
		(double)f->total_ns / (double)(c->wall_ns ? c->wall_ns : 1));
	if (slow_m)
		sw__say(b, "%" PRIu64 " metadata calls averaged %s", m->calls, sw__dur(mean(m)).s);
	else
		sw__say(b, "%" PRIu64 " reads averaged %s", r->calls, sw__dur(mean(r)).s);
	sw__say(b, ": threads likely waited for lock holders in slow filesystem calls, "
		   "lock amplification of slow %s (--diagnose or --locks names the holders)",
		slow_m ? "metadata" : "reads");
	return futex * UNCONFIRMED;
}

static double lib_loading(const struct sw__vctx *c, struct sw__ebuf *b, int *err)
{
	(void)err;
	const struct sw_rowstat *s = &c->g[SW__G_DLOPEN];
	if (s->total_ns < DLOPEN_MIN_NS || share(c, s->total_ns) < DLOPEN_SHARE)
		return 0.0;
	sw__say(b, "%" PRIu64 " dlopen calls took %s, %s each on average (%s at most), "
		   "%.0f%% of the run: loading, relocating and initialising shared "
		   "libraries",
		s->calls, sw__dur(s->total_ns).s, sw__dur(mean(s)).s, sw__dur(s->max_ns).s,
		100.0 * share(c, s->total_ns));
	sw__say_libs(b, c);
	return share(c, s->total_ns);
}

static double sleep_backoff(const struct sw__vctx *c, struct sw__ebuf *b, int *err)
{
	const struct sw_rowstat *s = &c->g[SW__G_SLEEP];
	if (share(c, s->total_ns) < SLEEP_SHARE)
		return 0.0;
	sw__say(b, "%" PRIu64 " sleeps took %s, %.0f%% of the run, %s each on average",
		s->calls, sw__dur(s->total_ns).s, 100.0 * share(c, s->total_ns),
		sw__dur(mean(s)).s);
	if (s->min_ns != SW_NO_MIN && s->max_ns > s->min_ns)
		sw__say(b, " (%s to %s)", sw__dur(s->min_ns).s, sw__dur(s->max_ns).s);
	uint64_t errors = 0;
	for (int g = 0; g < SW__NGRP; g++)
		if (g != SW__G_SLEEP)
			errors += c->g[g].errors;
	if (c->t)
		*err = sw__say_sleeps(b, c);
	else if (errors * 2 >= s->calls && s->calls >= 2)
		sw__say(b, "; %" PRIu64 " calls failed meanwhile (network: %" PRIu64
			   "): likely a retry loop with backoff", errors, c->g[SW__G_NET].errors);
	return share(c, s->total_ns);
}

static double net_wait(const struct sw__vctx *c, struct sw__ebuf *b, int *err)
{
	const struct sw_rowstat *s = &c->g[SW__G_NET];
	if (s->total_ns < NET_MIN_NS || share(c, s->total_ns) < NET_SHARE)
		return 0.0;
	sw__say(b, "%" PRIu64 " network calls (", s->calls);
	say_rows(b, c, SW__G_NET);
	sw__say(b, ") took %s, %.0f%% of the run, %s each on average (%s at most; "
		   "loopback answers in tens of microseconds): waiting for peers",
		sw__dur(s->total_ns).s, 100.0 * share(c, s->total_ns), sw__dur(mean(s)).s,
		sw__dur(s->max_ns).s);
	if (s->errors)
		sw__say(b, "; %" PRIu64 " of them failed", s->errors);
	if (c->t)
		*err = sw__say_peers(b, c);
	return share(c, s->total_ns);
}

static double idle_loop(const struct sw__vctx *c, struct sw__ebuf *b, int *err)
{
	(void)err;
	const struct sw_rowstat *s = &c->g[SW__G_IDLE];
	if (share(c, s->total_ns) < IDLE_SHARE)
		return 0.0;
	sw__say(b, "%" PRIu64 " waits for events (", s->calls);
	say_rows(b, c, SW__G_IDLE);
	sw__say(b, ") took %s, %.0f%% of the run, %s each on average: the program was "
		   "idle, waiting for work; expected for a server, not a slowness",
		sw__dur(s->total_ns).s, 100.0 * share(c, s->total_ns), sw__dur(mean(s)).s);
	return share(c, s->total_ns);
}

/* The share of the wall time spent waiting for children. The waits are
 * left out of the summed time (they count the children's time twice), so
 * the wall time is the measure: a parent waiting 96% of its run. A
 * residual rule: when the children's own calls explain the run (slow
 * reads in the child), that cause comes first. */
static double child_wait(const struct sw__vctx *c, struct sw__ebuf *b, int *err)
{
	(void)err;
	const struct sw_rowstat *s = &c->g[SW__G_CHILD];
	double part = c->wall_ns ? (double)s->total_ns / (double)c->wall_ns : 0.0;
	if (part < CHILD_SHARE)
		return 0.0;
	part = part > 1.0 ? 1.0 : part;
	/* The children: process images after the first (the program),
	 * and the command most of them ran (among the first few hundred). */
	size_t nproc = 0, best = 0;
	const char *cmd = NULL;
	for (size_t i = 1; i < c->m->nprocs; i++) {
		const char *ci = c->m->procs[i].command;
		nproc += c->m->procs[i].epoch == 0;
		size_t n = 0;
		for (size_t j = 1; i < CHILD_CMDS_SCAN && j < c->m->nprocs && j < CHILD_CMDS_SCAN; j++)
			n += strcmp(c->m->procs[j].command, ci) == 0;
		if (n > best) {
			best = n;
			cmd = ci;
		}
	}
	sw__say(b, "%" PRIu64 " waits for child processes (", s->calls);
	say_rows(b, c, SW__G_CHILD);
	sw__say(b, ") took %s, %.0f%% of the wall time: the program mostly waited for "
		   "the programs it started", sw__dur(s->total_ns).s, 100.0 * part);
	if (nproc)
		sw__say(b, "; %zu child processes were traced%s%s%s (--per-process shows "
			   "each one's calls)", nproc, cmd ? ", most of them `" : "",
			cmd ? cmd : "", cmd ? "`" : "");
	else
		sw__say(b, "; the children ran untraced or were not seen");
	return part;
}

/* The rule table: walked in order, sorted by confidence afterwards (ties
 * keep this order, so put the more specific cause first). A residual
 * rule explains what the others leave: it comes last, its confidence
 * scaled by 1 - the strongest cause's. */
static const struct rule {
	const char *cause;
	double (*judge)(const struct sw__vctx *c, struct sw__ebuf *b, int *err);
	bool residual;
} rules[] = {
	{"lock-amplification", lock_amp, false},
	{"slow-metadata", slow_meta, false},
	{"slow-reads", slow_reads, false},
	{"library-loading", lib_loading, false},
	{"sleep-backoff", sleep_backoff, false},
	{"network-wait", net_wait, false},
	{"idle-event-loop", idle_loop, false},
	{"waiting-for-children", child_wait, true},
};

/* --- building ------------------------------------------------------------- */

/* Fold the counters of m into the groups; with t, the group of each of its
 * rows and the mount table. 0 or -ENOMEM (c can be freed either way). */
static int ctx_init(struct sw__vctx *c, const struct sw_model *m, const struct sw_evtrace *t,
		    const struct sw_locks *l)
{
	memset(c, 0, sizeof(*c));
	c->m = m;
	c->t = t;
	c->l = l;
	for (int g = 0; g < SW__NGRP; g++)
		sw_rowstat_zero(&c->g[g]);
	for (uint32_t r = 0; r < m->nrows; r++) {
		enum sw__grp g = group_of(&m->rows[r]);
		sw_rowstat_merge(&c->g[g], &m->sums[r]);
		if (g != SW__G_CHILD)
			c->summed_ns += m->sums[r].total_ns;
	}
	c->wall_ns = m->wall_ns;
	c->denom_ns = c->summed_ns > c->wall_ns ? c->summed_ns : c->wall_ns;
	c->threads = m->ntids;
	if (t) {
		c->ntgrp = t->model->nrows;
		c->tgrp = malloc(c->ntgrp ? c->ntgrp : 1);
		if (!c->tgrp)
			return -ENOMEM;
		for (uint32_t r = 0; r < c->ntgrp; r++)
			c->tgrp[r] = (unsigned char)group_of(&t->model->rows[r]);
		/* Without the mount table the evidence names directories only. */
		c->have_mounts = sw_mounts_read(NULL, &c->mounts) == 0;
		if (!c->have_mounts)
			sw_mounts_free(&c->mounts);
	}
	return 0;
}

/* "no clear cause: ..." with the figures that show nothing stands out. */
static double no_cause(const struct sw__vctx *c, struct sw__ebuf *b)
{
	double top = 0.0;
	for (int g = SW__G_META; g < SW__G_CHILD; g++)
		if (share(c, c->g[g].total_ns) > top)
			top = share(c, c->g[g].total_ns);
	sw__say(b, "no clear cause: ");
	if (!c->m->nprocs) {
		sw__say(b, "nothing was recorded");
		return 1.0;
	}
	uint32_t big = UINT32_MAX;
	for (uint32_t r = 0; r < c->m->nrows; r++)
		if (c->m->sums[r].calls && group_of(&c->m->rows[r]) != SW__G_CHILD &&
		    (big == UINT32_MAX || c->m->sums[r].total_ns > c->m->sums[big].total_ns))
			big = r;
	if (c->wall_ns)
		sw__say(b, "%s in calls over %s wall", sw__dur(c->summed_ns).s,
			sw__dur(c->wall_ns).s);
	else
		sw__say(b, "%s in calls (wall time unknown)", sw__dur(c->summed_ns).s);
	if (c->summed_ns * 2 < c->wall_ns)
		sw__say(b, ": most of the run was spent outside system calls (computing, "
			   "or in calls syswatch does not trace)");
	else if (big != UINT32_MAX)
		sw__say(b, "; the largest row, %s (%" PRIu64 " calls, %s each on average), "
			   "matches no rule%s", c->m->rows[big].name, c->m->sums[big].calls,
			sw__dur(mean(&c->m->sums[big])).s,
			group_of(&c->m->rows[big]) == SW__G_FUTEX
				? " (--locks shows who held the locks, and what they did)"
			: group_of(&c->m->rows[big]) == SW__G_READ && !c->t && has_streams(c)
				? " (the program used pipes or sockets, whose reads wait for "
				  "a peer; --diagnose tells those from slow files)" : "");
	return 1.0 - top;
}

int sw_verdicts_build(const struct sw_model *m, const struct sw_evtrace *t,
		      const struct sw_locks *l, struct sw_verdicts *out)
{
	struct sw__vctx c;
	int rc = ctx_init(&c, m, t, l);
	out->n = 0;
	out->full = t != NULL;
	for (size_t i = 0; rc == 0 && i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct sw_verdict *v = &out->v[out->n];
		struct sw__ebuf b = {v->evidence, sizeof(v->evidence), 0};
		v->evidence[0] = '\0';
		double conf = rules[i].judge(&c, &b, &rc);
		if (rules[i].residual && out->n)
			conf *= 1.0 - out->v[0].confidence;
		if (conf <= 0.0 || rc < 0)
			continue;
		v->cause = rules[i].cause;
		v->confidence = conf > 1.0 ? 1.0 : conf;
		/* Insert by confidence, ties after their equals. */
		size_t k = out->n++;
		struct sw_verdict tmp = *v;
		while (k > 0 && out->v[k - 1].confidence < tmp.confidence) {
			out->v[k] = out->v[k - 1];
			k--;
		}
		out->v[k] = tmp;
	}
	if (rc == 0 && out->n == 0) {
		struct sw_verdict *v = &out->v[0];
		struct sw__ebuf b = {v->evidence, sizeof(v->evidence), 0};
		v->cause = SW_VERDICT_NONE;
		v->confidence = no_cause(&c, &b);
		out->n = 1;
	}
	if (rc == 0 && c.threads > 1 && c.wall_ns &&
	    (double)c.summed_ns > SUMMED_NOTE * (double)c.wall_ns) {
		struct sw_verdict *v = &out->v[0];
		struct sw__ebuf b = {v->evidence, sizeof(v->evidence), strlen(v->evidence)};
		sw__say(&b, " (summed over threads: %s in calls over %" PRIu64
			   " threads, wall %s)", sw__dur(c.summed_ns).s, c.threads,
			sw__dur(c.wall_ns).s);
	}
	free(c.tgrp);
	if (c.have_mounts)
		sw_mounts_free(&c.mounts);
	return rc;
}
