/*
 * verdicts_int.h - what the verdict files share internally: the row
 * groups, the context the rules read, and the evidence's words.
 * verdicts.c builds the context from the counters and walks the rules;
 * verdicts_ev.c adds what the events and the lock analysis tell.
 */
#ifndef SW_COLLECTOR_VERDICTS_INT_H
#define SW_COLLECTOR_VERDICTS_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "mounts.h"
#include "verdicts.h"

/* The rows, grouped by what they tell. */
enum sw__grp {
	SW__G_OTHER,
	SW__G_META,   /* metadata: open, stat, access, readdir */
	SW__G_READ,   /* data reads */
	SW__G_FUTEX,
	SW__G_DLOPEN,
	SW__G_SLEEP,
	SW__G_NET,
	SW__G_IDLE,   /* waits for events: epoll, poll, accept */
	SW__G_CHILD,  /* waits for children: wait4, waitid, system */
	SW__NGRP
};

/* What the rules look at, built once by sw_verdicts_build. */
struct sw__vctx {
	const struct sw_model *m;
	const struct sw_evtrace *t;     /* NULL: counters only */
	const struct sw_locks *l;       /* NULL: no lock analysis */
	struct sw_mounts mounts;        /* with the events: this machine's table */
	bool have_mounts;
	unsigned char *tgrp;            /* group of each row of t->model */
	uint32_t ntgrp;
	struct sw_rowstat g[SW__NGRP];  /* the counters, by group */
	uint64_t summed_ns;             /* all rows but SW__G_CHILD */
	uint64_t wall_ns;
	uint64_t denom_ns;              /* max(summed_ns, wall_ns) */
	uint64_t threads;
};

/* A verdict's evidence being written. */
struct sw__ebuf {
	char *s;
	size_t cap, len;
};

/* Append to the evidence; what does not fit is cut (verdicts_say.c). */
void sw__say(struct sw__ebuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

struct sw__dstr {
	char s[24];
};

/* A duration the way a person reads it: 1.23 s, 45.6 ms, 120 us
 * (verdicts_say.c). */
struct sw__dstr sw__dur(uint64_t ns);

/* --- the evidence from the events and the lock analysis (verdicts_ev.c) */

/* "; 93% of the time of the calls slower than ... was under /mnt/x" (and
 * its mount) for the calls of group g slower than slow_ns, when c has the
 * events; 0 or -ENOMEM. */
int sw__say_where(struct sw__ebuf *b, const struct sw__vctx *c, enum sw__grp g,
		  uint64_t slow_ns);

/* The share of the read time that went to files (not pipes or sockets),
 * from the events; 1 without them. */
double sw__file_reads(const struct sw__vctx *c);

/* What lock holders did while others waited for them. */
enum sw__hold_kind {
	SW__HK_FILE,  /* file and descriptor calls */
	SW__HK_NET,   /* network calls */
	SW__HK_SLEEP, /* sleeps */
	SW__HK_CPU,   /* outside calls: computing, or untraced calls */
	SW__HK_LOCK,  /* waiting for another lock (a chain) */
	SW__HK_OTHER, /* any other call */
	SW__HK_N
};

/* The share of all the lock waits of l that went to holders doing each
 * kind of thing: each culprit's attributed wait, split by its activity. */
void sw__holders_mix(const struct sw_locks *l, double frac[SW__HK_N]);

/* The first culprit of c->l (there must be one): who was waited for,
 * what it did while holding, what the waiting amplified (the largest
 * kind of mix, from sw__holders_mix). */
void sw__say_holders(struct sw__ebuf *b, const struct sw__vctx *c, const double mix[SW__HK_N]);

/* "; slowest: libx.so 12 ms, ...": the slowest dlopen()s by name, from
 * the events if c has them. */
void sw__say_libs(struct sw__ebuf *b, const struct sw__vctx *c);

/* The sleeps' median, the failed call before them, and whether they grew
 * (backoff); c must have the events. 0 or -ENOMEM. */
int sw__say_sleeps(struct sw__ebuf *b, const struct sw__vctx *c);

/* The peers the network time went to, most first (at most 2); c must
 * have the events. 0 or -ENOMEM. */
int sw__say_peers(struct sw__ebuf *b, const struct sw__vctx *c);

#endif
