/*
 * verdicts.c - the rules that turn the numbers into causes (see
 * verdicts.h).
 *
 * A context is built once: the rows folded into a few groups (metadata,
 * data reads, futex, dlopen, sleeps, network, idle waits, waits for
 * children), the time they explain, the wall time and the threads. Each
 * rule is a row of `rules` below: a function that looks at the context
 * and returns its confidence (0: it does not apply) and writes its
 * evidence. With the events (--diagnose) the rules refine the evidence:
 * which directory, which holder, which calls failed before the sleeps.
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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "locks_report.h"
#include "mounts.h"
#include "syswatch/rows.h"

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
 * of the waits spent on holders doing I/O; from the counters alone, half
 * of the run and twice the wall time (at least two threads' worth). */
#define FUTEX_SHARE_LOCKS 0.30
#define FUTEX_SHARE_COUNTERS 0.50
#define FUTEX_AMPLIFIED 0.50
/* Without the holders seen, a lock amplification is a guess: weigh it
 * down so that the --diagnose evidence ranks higher than the guess. */
#define UNCONFIRMED 0.75
/* Where slow calls went: the deepest directory holding this share. */
#define WHERE_SHARE 0.80
#define WHERE_DIRS_MAX 64 /* distinct directories tried */
/* The summed-versus-wall note: when calls over threads add up to this
 * many times the wall time. */
#define SUMMED_NOTE 1.5

/* --- rows, grouped by what they tell ------------------------------------ */

enum grp { G_OTHER, G_META, G_READ, G_FUTEX, G_DLOPEN, G_SLEEP, G_NET, G_IDLE, G_CHILD, NGRP };

/* Rows placed by name; the others by class (file: metadata, network). */
static const struct {
	const char *row;
	enum grp g;
} named_rows[] = {
	{"getdents64", G_META},    {"read", G_READ},
	{"pread64", G_READ},       {"readv", G_READ},
	{"preadv", G_READ},        {"futex", G_FUTEX},
	{"dlopen", G_DLOPEN},      {"clock_nanosleep", G_SLEEP},
	{"epoll_wait", G_IDLE},    {"epoll_pwait", G_IDLE},
	{"poll", G_IDLE},          {"ppoll", G_IDLE},
	{"pselect6", G_IDLE},      {"accept", G_IDLE}, /* a server waiting */
	{"accept4", G_IDLE},       {"wait4", G_CHILD},
	{"waitid", G_CHILD},       {"system", G_CHILD},
};

static enum grp group_of(const struct sw_rowdef *d)
{
	if (!d->defined)
		return G_OTHER;
	for (size_t i = 0; i < sizeof(named_rows) / sizeof(named_rows[0]); i++)
		if (strcmp(named_rows[i].row, d->name) == 0)
			return named_rows[i].g;
	if (d->cls == SW_CLASS_FILE)
		return G_META;
	if (d->cls == SW_CLASS_NETWORK)
		return G_NET;
	return G_OTHER;
}

struct ctx {
	const struct sw_model *m;
	const struct sw_evtrace *t;  /* NULL: counters only */
	const struct sw_locks *l;    /* NULL: no lock analysis */
	struct sw_mounts mounts;     /* with the events: this machine's table */
	bool have_mounts;
	unsigned char *tgrp;         /* group of each row of t->model */
	uint32_t ntgrp;
	struct sw_rowstat g[NGRP];   /* the counters, by group */
	uint64_t summed_ns;          /* all rows but G_CHILD */
	uint64_t wall_ns;
	uint64_t denom_ns;           /* max(summed_ns, wall_ns) */
	uint64_t threads;
};

static double share(const struct ctx *c, uint64_t ns)
{
	if (!c->denom_ns)
		return 0.0;
	double s = (double)ns / (double)c->denom_ns;
	return s > 1.0 ? 1.0 : s;
}

static uint64_t mean(const struct sw_rowstat *s)
{
	return s->calls ? s->total_ns / s->calls : 0;
}

/* The group of an event's row (rows as the trace declared them). */
static enum grp ev_group(const struct ctx *c, const struct sw_ev *ev)
{
	return ev->row < c->ntgrp ? (enum grp)c->tgrp[ev->row] : G_OTHER;
}

/* --- words --------------------------------------------------------------- */

struct ebuf {
	char *s;
	size_t cap, len;
};

static void say(struct ebuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Append to the evidence; what does not fit is cut. */
static void say(struct ebuf *b, const char *fmt, ...)
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

struct dstr {
	char s[24];
};

/* A duration the way a person reads it: 1.23 s, 45.6 ms, 120 us. */
static struct dstr dur(uint64_t ns)
{
	struct dstr d;
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

/* "newfstatat 800, openat 200": the rows of group g with the most time,
 * by calls (at most 3). */
static void say_rows(struct ebuf *b, const struct ctx *c, enum grp g)
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
		say(b, "%s%s %" PRIu64, k ? ", " : "", c->m->rows[best[k]].name,
		    c->m->sums[best[k]].calls);
}

/* --- where the slow calls went ------------------------------------------- */

/* Time by file or by peer. */
struct hit {
	const char *file; /* or peer */
	uint64_t ns;
	uint64_t calls;
};

struct hits {
	struct hit *v;
	size_t n, cap;
};

/* Append a hit of one call; 0 or -ENOMEM. */
static int hits_push(struct hits *h, const char *file, uint64_t ns)
{
	if (h->n == h->cap) {
		size_t cap = h->cap ? 2 * h->cap : 64;
		struct hit *v = realloc(h->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		h->v = v;
		h->cap = cap;
	}
	h->v[h->n++] = (struct hit){file, ns, 1};
	return 0;
}

static int by_file(const void *a, const void *b)
{
	return strcmp(((const struct hit *)a)->file, ((const struct hit *)b)->file);
}

/* Time of the hits at or below directory dir (len bytes). */
static uint64_t covered(const struct hit *h, size_t n, const char *dir, size_t len)
{
	uint64_t ns = 0;
	for (size_t i = 0; i < n; i++)
		if (strncmp(h[i].file, dir, len) == 0 &&
		    (h[i].file[len] == '/' || len == 1))
			ns += h[i].ns;
	return ns;
}

/* The deepest directory that holds WHERE_SHARE of the time of the calls
 * of group g slower than slow_ns, into out; its share in *frac. 0, 1 if
 * no event names a file, -ENOMEM. */
static int where(const struct ctx *c, enum grp g, uint64_t slow_ns, char *out,
		 size_t cap, double *frac)
{
	struct hits hs = {0};
	uint64_t total = 0;
	for (size_t i = 0; i < c->t->nthreads; i++) {
		const struct sw_evthread *th = &c->t->threads[i];
		for (size_t j = 0; j < th->nev; j++) {
			const struct sw_ev *ev = &th->ev[j];
			const char *f = ev->file ? ev->file : ev->path;
			if (ev_group(c, ev) != g || ev->end - ev->start < slow_ns || !f || f[0] != '/')
				continue;
			if (hits_push(&hs, f, ev->end - ev->start) < 0) {
				free(hs.v);
				return -ENOMEM;
			}
			total += ev->end - ev->start;
		}
	}
	struct hit *h = hs.v;
	size_t n = hs.n;
	if (!n) {
		free(h);
		return 1;
	}
	qsort(h, n, sizeof(*h), by_file);
	size_t best = 0, tried = 0;
	uint64_t best_ns = 0;
	const char *prev = NULL;
	size_t prev_len = 0;
	for (size_t i = 0; i < n && tried < WHERE_DIRS_MAX; i++) {
		const char *slash = strrchr(h[i].file, '/');
		size_t len = slash == h[i].file ? 1 : (size_t)(slash - h[i].file);
		if (prev && len == prev_len && strncmp(prev, h[i].file, len) == 0)
			continue; /* same directory as the previous hit */
		prev = h[i].file;
		prev_len = len;
		tried++;
		/* Walk up from this directory until it holds enough. */
		for (;;) {
			uint64_t ns = covered(h, n, h[i].file, len);
			if ((double)ns >= WHERE_SHARE * (double)total) {
				if (len > best) {
					best = len;
					best_ns = ns;
					snprintf(out, cap, "%.*s", (int)len, h[i].file);
				}
				break;
			}
			if (len <= 1)
				break;
			while (len > 1 && h[i].file[len - 1] != '/')
				len--;
			if (len > 1)
				len--; /* drop the slash */
		}
	}
	if (!best) { /* only "/" or nothing holds enough */
		snprintf(out, cap, "/");
		best_ns = total;
	}
	*frac = total ? (double)best_ns / (double)total : 0.0;
	free(h);
	return 0;
}

/* "; 93% of the slow ones under /mnt/x" from the events, if any. */
static int say_where(struct ebuf *b, const struct ctx *c, enum grp g, uint64_t slow_ns)
{
	char dir[512];
	double frac = 0.0;
	if (!c->t)
		return 0;
	int rc = where(c, g, slow_ns, dir, sizeof(dir), &frac);
	if (rc < 0)
		return rc;
	if (rc)
		return 0;
	say(b, "; %.0f%% of the time of the calls slower than %s was under %s",
	    100.0 * frac, dur(slow_ns).s, dir);
	const struct sw_mount *mt = c->have_mounts ? sw_mounts_find(&c->mounts, dir) : NULL;
	if (mt)
		say(b, ", on the %s mount at %s", mt->fstype, mt->point);
	return 0;
}

/* --- the rules ------------------------------------------------------------ */

/* Each returns its confidence (0: the rule does not apply), and may fail
 * with a negative errno (out of memory). */

static double slow_meta(const struct ctx *c, struct ebuf *b, int *err)
{
	const struct sw_rowstat *s = &c->g[G_META];
	if (s->calls < META_MIN_CALLS || mean(s) < META_SLOW_NS ||
	    share(c, s->total_ns) < MIN_SHARE)
		return 0.0;
	say(b, "%" PRIu64 " metadata calls (", s->calls);
	say_rows(b, c, G_META);
	say(b, ") took %s, %s each on average (%s at most; the page cache answers "
	       "in about 10 us)", dur(s->total_ns).s, dur(mean(s)).s, dur(s->max_ns).s);
	*err = say_where(b, c, G_META, META_SLOW_NS);
	return share(c, s->total_ns);
}

/* The share of the read time that went to files (not pipes or sockets),
 * from the events; 1 without them. */
static double file_reads(const struct ctx *c)
{
	uint64_t all = 0, files = 0;
	if (!c->t)
		return 1.0;
	for (size_t i = 0; i < c->t->nthreads; i++)
		for (size_t j = 0; j < c->t->threads[i].nev; j++) {
			const struct sw_ev *ev = &c->t->threads[i].ev[j];
			if (ev_group(c, ev) != G_READ)
				continue;
			all += ev->end - ev->start;
			if (ev->file && ev->file[0] == '/')
				files += ev->end - ev->start;
		}
	return all ? (double)files / (double)all : 1.0;
}

/* Pipes or sockets in the run: then reads may wait for a peer. */
static bool has_streams(const struct ctx *c)
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

static double slow_reads(const struct ctx *c, struct ebuf *b, int *err)
{
	const struct sw_rowstat *s = &c->g[G_READ];
	if (s->calls < READ_MIN_CALLS || mean(s) < READ_SLOW_NS ||
	    share(c, s->total_ns) < MIN_SHARE)
		return 0.0;
	double conf = share(c, s->total_ns), files = file_reads(c);
	if (files < 0.5)
		return 0.0; /* the events show reads of pipes or sockets */
	/* Counters alone cannot tell a slow disk from a read that waits on a
	 * pipe (a shell's $(...), a child's output) or a socket: rather than
	 * guess, no verdict; "none" says --diagnose can tell them apart. */
	if (!c->t && has_streams(c))
		return 0.0;
	say(b, "%" PRIu64 " data reads (", s->calls);
	say_rows(b, c, G_READ);
	say(b, ") took %s, %s each on average (%s at most; the page cache "
	       "answers in microseconds)", dur(s->total_ns).s, dur(mean(s)).s,
	    dur(s->max_ns).s);
	*err = say_where(b, c, G_READ, READ_SLOW_NS);
	return conf;
}

/* Which part of a holder's activity was I/O: file and descriptor calls
 * (files[0]) and network calls (files[1]), over its whole window. */
static double io_part(const struct sw_locks *l, const struct sw_activity *act, uint32_t nact,
		      uint64_t outside_ns, uint64_t io[2])
{
	uint64_t all = outside_ns;
	io[0] = io[1] = 0;
	for (uint32_t i = 0; i < nact; i++) {
		int cls = sw_evtrace_row_class(l->tr, act[i].row);
		all += act[i].ns;
		if (act[i].row == l->tr->row_futex || act[i].row == l->tr->row_sleep)
			continue;
		if (cls == SW_CLASS_FILE || cls == SW_CLASS_DESC)
			io[0] += act[i].ns;
		else if (cls == SW_CLASS_NETWORK)
			io[1] += act[i].ns;
	}
	return all ? (double)(io[0] + io[1]) / (double)all : 0.0;
}

/* The holders' side, from the lock analysis: confidence, or 0. */
static double lock_amp_holders(const struct ctx *c, struct ebuf *b)
{
	const struct sw_locks *l = c->l;
	const struct sw_locks_totals *t = &l->totals;
	double amplified = 0.0;
	for (size_t i = 0; i < l->nculprits; i++) {
		const struct sw_culprit *k = &l->culprits[i];
		uint64_t io[2];
		amplified += (double)k->attributed_ns *
			     io_part(l, l->report_act + k->act0, k->nact, k->outside_ns, io);
	}
	double frac = t->wait_ns ? amplified / (double)t->wait_ns : 0.0;
	double futex = share(c, c->g[G_FUTEX].total_ns);
	if (!l->nculprits || frac < FUTEX_AMPLIFIED || futex < FUTEX_SHARE_LOCKS)
		return 0.0;
	const struct sw_culprit *k = &l->culprits[0];
	const struct sw_activity *act = l->report_act + k->act0;
	uint64_t io[2];
	io_part(l, act, k->nact, k->outside_ns, io);
	say(b, "%" PRIu64 " threads waited %s in total (%s wall) on %" PRIu64
	       " contended locks; %.0f%% of the waiting was for holders doing I/O. "
	       "Thread %" PRId32 " alone was waited for %s", t->waiters, dur(t->wait_ns).s,
	    dur(t->wall_ns).s, t->nlocks, 100.0 * frac,
	    l->tr->threads[k->thread].tid, dur(k->attributed_ns).s);
	if (k->module)
		say(b, " (loading %s)", k->module_name ? k->module_name : k->module);
	say(b, "; in its %s of holds it spent", dur(k->hold_ns).s);
	int shown = 0;
	for (uint32_t i = 0; i < k->nact && shown < 2; i++) {
		int cls = sw_evtrace_row_class(l->tr, act[i].row);
		if (cls != SW_CLASS_FILE && cls != SW_CLASS_DESC && cls != SW_CLASS_NETWORK)
			continue;
		say(b, "%s %s in %" PRIu64 " `%s`", shown ? "," : "", dur(act[i].ns).s,
		    act[i].calls, sw_evtrace_row_name(l->tr, act[i].row));
		if (act[i].top_file)
			say(b, " (slowest on %s)", act[i].top_file);
		shown++;
	}
	bool meta = c->g[G_META].total_ns >= c->g[G_READ].total_ns;
	say(b, ", %s in file calls in all: lock amplification of %s (--locks for "
	       "every holder)", dur(io[0]).s,
	    io[1] > io[0] ? "network waits" : meta ? "slow metadata" : "slow reads");
	return futex * frac;
}

static double lock_amp(const struct ctx *c, struct ebuf *b, int *err)
{
	(void)err;
	const struct sw_rowstat *f = &c->g[G_FUTEX];
	if (c->l && c->l->totals.waits)
		return lock_amp_holders(c, b);
	/* Counters only: waits dominate, and the filesystem is slow. */
	const struct sw_rowstat *m = &c->g[G_META], *r = &c->g[G_READ];
	bool slow_m = m->calls >= META_MIN_CALLS && mean(m) >= META_SLOW_NS;
	bool slow_r = r->calls >= READ_MIN_CALLS && mean(r) >= READ_SLOW_NS;
	double futex = share(c, f->total_ns);
	if (c->l || futex < FUTEX_SHARE_COUNTERS || f->total_ns < 2 * c->wall_ns ||
	    !(slow_m || slow_r))
		return 0.0;
	say(b, "futex waits took %s summed, %.1f times the wall time, while ",
	    dur(f->total_ns).s, (double)f->total_ns / (double)(c->wall_ns ? c->wall_ns : 1));
	if (slow_m)
		say(b, "%" PRIu64 " metadata calls averaged %s", m->calls, dur(mean(m)).s);
	else
		say(b, "%" PRIu64 " reads averaged %s", r->calls, dur(mean(r)).s);
	say(b, ": threads likely waited for lock holders in slow filesystem calls, "
	       "lock amplification of slow %s (--diagnose or --locks names the holders)",
	    slow_m ? "metadata" : "reads");
	return futex * UNCONFIRMED;
}

/* The slowest dlopen()s by name, from the events. */
static void say_libs(struct ebuf *b, const struct ctx *c)
{
	const struct sw_ev *top[3] = {NULL, NULL, NULL};
	for (size_t i = 0; c->t && i < c->t->nthreads; i++)
		for (size_t j = 0; j < c->t->threads[i].nev; j++) {
			const struct sw_ev *ev = &c->t->threads[i].ev[j];
			if (ev_group(c, ev) != G_DLOPEN || !ev->path)
				continue;
			for (int k = 0; k < 3; k++)
				if (!top[k] || ev->end - ev->start > top[k]->end - top[k]->start) {
					memmove(top + k + 1, top + k, (size_t)(2 - k) * sizeof(*top));
					top[k] = ev;
					break;
				}
		}
	for (int k = 0; k < 3 && top[k]; k++) {
		const char *base = strrchr(top[k]->path, '/');
		say(b, "%s%s %s", k ? ", " : "; slowest: ", base ? base + 1 : top[k]->path,
		    dur(top[k]->end - top[k]->start).s);
	}
}

static double lib_loading(const struct ctx *c, struct ebuf *b, int *err)
{
	(void)err;
	const struct sw_rowstat *s = &c->g[G_DLOPEN];
	if (s->total_ns < DLOPEN_MIN_NS || share(c, s->total_ns) < DLOPEN_SHARE)
		return 0.0;
	say(b, "%" PRIu64 " dlopen calls took %s, %s each on average (%s at most), "
	       "%.0f%% of the run: loading, relocating and initialising shared "
	       "libraries",
	    s->calls, dur(s->total_ns).s, dur(mean(s)).s, dur(s->max_ns).s,
	    100.0 * share(c, s->total_ns));
	say_libs(b, c);
	return share(c, s->total_ns);
}

static int by_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

/* From the events: the sleeps' median, the failed call before them, and
 * whether they grew (backoff). */
static int say_sleeps(struct ebuf *b, const struct ctx *c)
{
	size_t n = 0, after_fail = 0, grew = 0, shrank = 0;
	uint64_t *d = malloc((c->g[G_SLEEP].calls + 1) * sizeof(*d));
	const struct sw_ev *fail = NULL;
	if (!d)
		return -ENOMEM;
	for (size_t i = 0; i < c->t->nthreads; i++) {
		const struct sw_evthread *th = &c->t->threads[i];
		const struct sw_ev *prev_sleep = NULL, *failed = NULL;
		for (size_t j = 0; j < th->nev; j++) {
			const struct sw_ev *ev = &th->ev[j];
			if (ev_group(c, ev) != G_SLEEP) {
				if (ev->flags & SW_EVF_FAILED)
					failed = ev; /* since the last sleep */
				continue;
			}
			uint64_t len = ev->end - ev->start;
			if (n <= c->g[G_SLEEP].calls)
				d[n++] = len;
			if (failed) {
				after_fail++;
				fail = failed;
			}
			if (prev_sleep) {
				/* 1.5 times the previous one or more: growing;
				 * under two thirds of it: not a backoff. */
				uint64_t pl = prev_sleep->end - prev_sleep->start;
				grew += len * 2 >= pl * 3;
				shrank += len * 3 < pl * 2;
			}
			prev_sleep = ev;
			failed = NULL;
		}
	}
	if (n) {
		qsort(d, n, sizeof(*d), by_u64);
		say(b, "; the median sleep was %s", dur(d[n / 2]).s);
	}
	bool retry = fail && after_fail * 2 >= n;
	if (retry) {
		const char *e = strerrorname_np((int)fail->err);
		say(b, "; %zu of %zu sleeps came after a failed call (the last: `%s`",
		    after_fail, n, sw_evtrace_row_name(c->t, fail->row));
		if (fail->peer)
			say(b, " to %s", fail->peer);
		say(b, ", %s): a retry loop", e ? e : "error");
	}
	if (n >= 3 && grew >= 2 && !shrank)
		say(b, "%s with a growing backoff, from %s to %s", retry ? "" : "; sleeps",
		    dur(d[0]).s, dur(d[n - 1]).s);
	free(d);
	return 0;
}

static double sleep_backoff(const struct ctx *c, struct ebuf *b, int *err)
{
	const struct sw_rowstat *s = &c->g[G_SLEEP];
	if (share(c, s->total_ns) < SLEEP_SHARE)
		return 0.0;
	say(b, "%" PRIu64 " sleeps took %s, %.0f%% of the run, %s each on average",
	    s->calls, dur(s->total_ns).s, 100.0 * share(c, s->total_ns), dur(mean(s)).s);
	if (s->min_ns != SW_NO_MIN && s->max_ns > s->min_ns)
		say(b, " (%s to %s)", dur(s->min_ns).s, dur(s->max_ns).s);
	uint64_t errors = 0;
	for (int g = 0; g < NGRP; g++)
		if (g != G_SLEEP)
			errors += c->g[g].errors;
	if (c->t)
		*err = say_sleeps(b, c);
	else if (errors * 2 >= s->calls && s->calls >= 2)
		say(b, "; %" PRIu64 " calls failed meanwhile (network: %" PRIu64
		       "): likely a retry loop with backoff", errors, c->g[G_NET].errors);
	return share(c, s->total_ns);
}

/* From the events: the peers the network time went to, most first (at
 * most 2). */
static int say_peers(struct ebuf *b, const struct ctx *c)
{
	struct hits hs = {0};
	for (size_t i = 0; i < c->t->nthreads; i++)
		for (size_t j = 0; j < c->t->threads[i].nev; j++) {
			const struct sw_ev *ev = &c->t->threads[i].ev[j];
			if (ev_group(c, ev) != G_NET || !ev->peer)
				continue;
			size_t k = 0;
			while (k < hs.n && strcmp(hs.v[k].file, ev->peer) != 0)
				k++;
			if (k < hs.n) {
				hs.v[k].ns += ev->end - ev->start;
				hs.v[k].calls++;
			} else if (hits_push(&hs, ev->peer, ev->end - ev->start) < 0) {
				free(hs.v);
				return -ENOMEM;
			}
		}
	struct hit *p = hs.v;
	for (int shown = 0; shown < 2 && hs.n; shown++) {
		size_t top = 0;
		for (size_t k = 1; k < hs.n; k++)
			if (p[k].ns > p[top].ns)
				top = k;
		say(b, "%s %s (%" PRIu64 " calls, %s, %s each)", shown ? "," : "; by peer:",
		    p[top].file, p[top].calls, dur(p[top].ns).s, dur(p[top].ns / p[top].calls).s);
		p[top] = p[--hs.n];
	}
	free(p);
	return 0;
}

static double net_wait(const struct ctx *c, struct ebuf *b, int *err)
{
	const struct sw_rowstat *s = &c->g[G_NET];
	if (s->total_ns < NET_MIN_NS || share(c, s->total_ns) < NET_SHARE)
		return 0.0;
	say(b, "%" PRIu64 " network calls (", s->calls);
	say_rows(b, c, G_NET);
	say(b, ") took %s, %.0f%% of the run, %s each on average (%s at most; "
	       "loopback answers in tens of microseconds): waiting for peers",
	    dur(s->total_ns).s, 100.0 * share(c, s->total_ns), dur(mean(s)).s,
	    dur(s->max_ns).s);
	if (s->errors)
		say(b, "; %" PRIu64 " of them failed", s->errors);
	if (c->t)
		*err = say_peers(b, c);
	return share(c, s->total_ns);
}

static double idle_loop(const struct ctx *c, struct ebuf *b, int *err)
{
	(void)err;
	const struct sw_rowstat *s = &c->g[G_IDLE];
	if (share(c, s->total_ns) < IDLE_SHARE)
		return 0.0;
	say(b, "%" PRIu64 " waits for events (", s->calls);
	say_rows(b, c, G_IDLE);
	say(b, ") took %s, %.0f%% of the run, %s each on average: the program was "
	       "idle, waiting for work; expected for a server, not a slowness",
	    dur(s->total_ns).s, 100.0 * share(c, s->total_ns), dur(mean(s)).s);
	return share(c, s->total_ns);
}

/* The rule table: walked in order, sorted by confidence afterwards (ties
 * keep this order, so put the more specific cause first). */
static const struct rule {
	const char *cause;
	double (*judge)(const struct ctx *c, struct ebuf *b, int *err);
} rules[] = {
	{"lock-amplification", lock_amp},
	{"slow-metadata", slow_meta},
	{"slow-reads", slow_reads},
	{"library-loading", lib_loading},
	{"sleep-backoff", sleep_backoff},
	{"network-wait", net_wait},
	{"idle-event-loop", idle_loop},
};

/* --- building ------------------------------------------------------------- */

static int ctx_init(struct ctx *c, const struct sw_model *m, const struct sw_evtrace *t,
		    const struct sw_locks *l)
{
	memset(c, 0, sizeof(*c));
	c->m = m;
	c->t = t;
	c->l = l;
	for (int g = 0; g < NGRP; g++)
		sw_rowstat_zero(&c->g[g]);
	for (uint32_t r = 0; r < m->nrows; r++) {
		enum grp g = group_of(&m->rows[r]);
		sw_rowstat_merge(&c->g[g], &m->sums[r]);
		if (g != G_CHILD)
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
static double no_cause(const struct ctx *c, struct ebuf *b)
{
	double top = 0.0;
	for (int g = G_META; g < G_CHILD; g++)
		if (share(c, c->g[g].total_ns) > top)
			top = share(c, c->g[g].total_ns);
	say(b, "no clear cause: ");
	if (!c->m->nprocs) {
		say(b, "nothing was recorded");
		return 1.0;
	}
	uint32_t big = UINT32_MAX;
	for (uint32_t r = 0; r < c->m->nrows; r++)
		if (c->m->sums[r].calls && group_of(&c->m->rows[r]) != G_CHILD &&
		    (big == UINT32_MAX || c->m->sums[r].total_ns > c->m->sums[big].total_ns))
			big = r;
	if (c->wall_ns)
		say(b, "%s in calls over %s wall", dur(c->summed_ns).s, dur(c->wall_ns).s);
	else
		say(b, "%s in calls (wall time unknown)", dur(c->summed_ns).s);
	if (c->summed_ns * 2 < c->wall_ns)
		say(b, ": most of the run was spent outside system calls (computing, "
		       "or in calls syswatch does not trace)");
	else if (big != UINT32_MAX)
		say(b, "; the largest row, %s (%" PRIu64 " calls, %s each on average), "
		       "matches no rule%s", c->m->rows[big].name, c->m->sums[big].calls,
		    dur(mean(&c->m->sums[big])).s,
		    group_of(&c->m->rows[big]) == G_FUTEX
			    ? " (--locks shows who held the locks, and what they did)"
		    : group_of(&c->m->rows[big]) == G_READ && !c->t && has_streams(c)
			    ? " (the program used pipes or sockets, whose reads wait for "
			      "a peer; --diagnose tells those from slow files)" : "");
	return 1.0 - top;
}

int sw_verdicts_build(const struct sw_model *m, const struct sw_evtrace *t,
		      const struct sw_locks *l, struct sw_verdicts *out)
{
	struct ctx c;
	int rc = ctx_init(&c, m, t, l);
	out->n = 0;
	out->full = t != NULL;
	for (size_t i = 0; rc == 0 && i < sizeof(rules) / sizeof(rules[0]); i++) {
		struct sw_verdict *v = &out->v[out->n];
		struct ebuf b = {v->evidence, sizeof(v->evidence), 0};
		v->evidence[0] = '\0';
		double conf = rules[i].judge(&c, &b, &rc);
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
		struct ebuf b = {v->evidence, sizeof(v->evidence), 0};
		v->cause = SW_VERDICT_NONE;
		v->confidence = no_cause(&c, &b);
		out->n = 1;
	}
	if (rc == 0 && c.threads > 1 && c.wall_ns &&
	    (double)c.summed_ns > SUMMED_NOTE * (double)c.wall_ns) {
		struct sw_verdict *v = &out->v[0];
		struct ebuf b = {v->evidence, sizeof(v->evidence), strlen(v->evidence)};
		say(&b, " (summed over threads: %s in calls over %" PRIu64
		       " threads, wall %s)", dur(c.summed_ns).s, c.threads, dur(c.wall_ns).s);
	}
	free(c.tgrp);
	if (c.have_mounts)
		sw_mounts_free(&c.mounts);
	return rc;
}
