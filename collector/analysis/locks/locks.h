/*
 * collector/analysis/locks/: lock-holder attribution; locks.h (the
 * analysis) and locks_report.h (its text and JSON) are its public headers,
 * locks_int.h is private to the folder.
 * May use: trace/, model/, util/ (collector/layers.txt).
 */
/*
 * locks.h - lock-holder attribution (DESIGN.md, "Lock-holder attribution"):
 * who made each blocked wait wait, and what that thread was doing.
 *
 * Input: a trace's event streams (evtrace.h). Output, all in one
 * struct sw_locks that owns it:
 *
 *   prims     each primitive generation: (pid, epoch, kind, address,
 *             generation), the generation bumped by every init/destroy of
 *             that address (all threads of the process merged by time);
 *   waits     every blocked wait (mutex/rwlock/sem/join acquisitions that
 *             really blocked, condition waits, raw futex waits), with its
 *             status, its waker, its root, and its pieces;
 *   rels      every release that may have woken a waiter;
 *   pieces    a wait cut into [from, to] intervals, each blamed on a hold
 *             (possibly reached through a chain of holds), or the time
 *             after the root's release (relays passing the lock on, the
 *             waiter waking up);
 *   holds     a root thread's hold of a primitive, ended by one of its
 *             releases: window, module being loaded, activity by row,
 *             slowest files, time outside calls;
 *   report    the per-lock view the reports print (locks_report.c,
 *             locks_json.c): waits, waiters, summed and wall wait, and the
 *             blockers with what they did while blamed; then the threads
 *             others waited for most (culprits) and the totals, for the
 *             summary paragraph.
 *
 * A timeline export walks, per thread, the evtrace's events; for lock
 * slices, the waits (thread, start, end, status) and the holds (thread,
 * start, end, module); for flow arrows, each wait's waker and root
 * (rels[].thread, rels[].t); for the blame, its pieces.
 *
 * The rules (each is explained where it is implemented, locks_attr.c):
 *
 *  Matching. A wait [s, e] on a primitive generation is matched against
 *  the releases of that generation by *other* threads stamped inside
 *  [s, e] (stamps are taken before the real release, so the release that
 *  woke the wait always lies inside it). The latest is the waker. Every
 *  such release ends a segment: [s, r1] was spent behind r1's thread,
 *  [r1, r2] behind r2's, ..., [rk, e] is wake-up latency. For a mutex
 *  this is exact: a blocked waiter is always queued behind the current
 *  owner, and each release while it waits is recorded. It also handles
 *  stolen wake-ups (A's release wakes X, Y barges in first, X sleeps
 *  again until Y releases: [s, rA] is A's, [rA, rY] is Y's). Condition
 *  waits are not lock contention: their waker (the signal or broadcast)
 *  gets [s, r] without segments, relays or chains.
 *
 *  Relays. Only semaphores relay: a mutex, rwlock or futex lock that a
 *  thread got by waiting is owned by it until it unlocks, however little
 *  it did meanwhile. A semaphore post by T is a relay when T did nothing
 *  but pass the baton: T's most recent wait on the same semaphore
 *  succeeded, that wait had a waker, and between its end and the post T
 *  made only lock calls (row futex: GIL waits and the like) and spent at
 *  most SW_RELAY_WORK_NS outside calls, with no hole in its stream.
 *  "The same semaphore" is the same primitive generation, or, for
 *  thread-private parking semaphores (initialised by the thread that
 *  alone waits on it, as CPython 3.13's parking lot does), any other
 *  parking semaphore queued no later (see same_lock()). A relay segment
 *  is blamed on the relay's root (followed through relays back to a
 *  release that is not one) up to the root's release, and is wake-up
 *  latency after it. The threshold errs on the side of "not a relay":
 *  a relay taken for a hold costs little, since the relayer's own wait
 *  then chains to the same root, while a hold taken for a relay would
 *  pass its blame down a whole convoy. CPython's relays spend a few
 *  microseconds (3.11, 3.12: 99% under 45 us; 3.13 up to a few hundred).
 *
 *  Chains. When the blamed thread X was itself blocked during a blamed
 *  interval (an acquisition wait on another primitive, not a condition
 *  wait), that portion is blamed on whoever X's wait is blamed on, with
 *  X recorded in the piece's chain; up to SW_CHAIN_MAX holds deep.
 *
 *  Nothing invented. A wait is SW_WAIT_INCOMPLETE, with no pieces, when
 *  any thread of its process has a hole (dropped events) overlapping it,
 *  when its process lost threads (untraced threads may have released),
 *  or when a relay or chain it depends on is incomplete. Timed-out,
 *  interrupted and failed waits are reported as such, not attributed. A
 *  wait with no release by another thread inside it is
 *  SW_WAIT_UNATTRIBUTED, with the reason.
 */
#ifndef SW_COLLECTOR_LOCKS_H
#define SW_COLLECTOR_LOCKS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "evtrace.h"

#define SW_RELAY_WORK_NS 200000u /* time outside calls a relay may spend */
#define SW_RELAY_FIFO_SLACK_NS 1000000u /* queue-order tolerance, parking */
#define SW_CHAIN_MAX 8            /* holds a chain may pass through */
#define SW_NONE UINT32_MAX        /* "no such index" */

/* --- classifying events ------------------------------------------------- */

enum sw_prim_kind {
	SW_PRIM_MUTEX,
	SW_PRIM_RWLOCK,
	SW_PRIM_COND,
	SW_PRIM_SEM,
	SW_PRIM_THREAD, /* pthread_join waits for a thread's exit */
	SW_PRIM_FUTEX,  /* raw syscall(SYS_futex, ...) */
	SW_PRIM_NKINDS
};

enum sw_lock_op {
	SW_LOP_NONE,    /* not a lock event (or one we do not use) */
	SW_LOP_ACQ,     /* an acquisition that blocked */
	SW_LOP_WAIT,    /* a condition wait */
	SW_LOP_REL,     /* a release that may wake a waiter */
	SW_LOP_INIT,    /* starts a new generation */
	SW_LOP_DESTROY, /* starts a new generation too */
};

/* What a lock event is. */
struct sw_lockcls {
	enum sw_lock_op op;
	enum sw_prim_kind kind;
};

/* Classify ev: the lock calls of the call table by their kind, raw
 * futex syscalls by their operation (waits: WAIT, WAIT_BITSET, LOCK_PI,
 * LOCK_PI2, WAIT_REQUEUE_PI, unless they failed with EAGAIN, which did
 * not block; releases: the wakes that woke someone, and UNLOCK_PI).
 * Returns op SW_LOP_NONE for everything else. */
struct sw_lockcls sw_lock_classify(const struct sw_ev *ev);

/* "mutex", "rwlock", "cond", "sem", "thread", "futex". */
const char *sw_prim_kind_name(enum sw_prim_kind k);

/* --- the analysis ------------------------------------------------------- */

/* One generation of one primitive. */
struct sw_prim {
	int32_t pid;
	uint32_t epoch;
	uint64_t addr;        /* its address (pthread_t value for joins) */
	uint32_t gen;         /* inits/destroys of addr seen before it */
	enum sw_prim_kind kind;
	uint64_t born;        /* start of the init/destroy that began it, or 0 */
	uint32_t born_by;     /* thread index that did it, or SW_NONE */
	bool born_init;       /* it began with an init (not a destroy) */
	bool parking;         /* a semaphore initialised by the one thread that
				 waits on it: a thread-private sleeping place */
	uint32_t wait0, nwaits; /* its waits: waits[wait0 ..], by start */
	uint32_t rel0, nrels;   /* its releases: rels[rel0 ..], by stamp */
};

enum sw_wait_status {
	SW_WAIT_ATTRIBUTED,  /* pieces explain it */
	SW_WAIT_TIMEDOUT,    /* ETIMEDOUT: reported, not attributed */
	SW_WAIT_INTERRUPTED, /* EINTR */
	SW_WAIT_FAILED,      /* any other error */
	SW_WAIT_UNATTRIBUTED, /* no release to match: see why */
	SW_WAIT_INCOMPLETE,  /* events were dropped: see why */
};

enum sw_wait_why {
	SW_WHY_NONE,
	SW_WHY_NO_RELEASE,   /* no release by another thread inside the wait */
	SW_WHY_JOIN,         /* a join waits for an exit, which is no event */
	SW_WHY_HOLE,         /* why_thread's stream has a hole over it */
	SW_WHY_THREADS_LOST, /* its process had threads that were not traced */
	SW_WHY_DEPENDS,      /* a relay or chain it follows is incomplete */
	SW_WHY_CYCLE,        /* the relays or chains loop (a corrupt trace) */
};

/* One blocked wait. */
struct sw_wait {
	uint32_t thread;       /* index into the evtrace's threads */
	uint32_t ev;           /* index into that thread's events */
	uint32_t prim;         /* index into prims */
	uint64_t start, end;   /* the blocked interval */
	enum sw_wait_status status;
	enum sw_wait_why why;  /* for UNATTRIBUTED and INCOMPLETE */
	uint32_t why_thread;   /* SW_WHY_HOLE: the thread with the hole */
	uint32_t waker;        /* rels index: latest release inside, or SW_NONE */
	uint32_t root;         /* rels index: the waker with relays collapsed
				  (the last segment's root), or SW_NONE */
	uint64_t blamed_ns;    /* in hold pieces */
	uint64_t latency_ns;   /* in latency pieces */
	uint64_t unknown_ns;   /* in unknown pieces */
	uint32_t piece0, npieces; /* pieces[piece0 ..], in time order */
};

/* A release that may have woken someone. */
struct sw_release {
	uint32_t thread;       /* releasing thread */
	uint32_t ev;           /* its event */
	uint32_t prim;
	uint64_t t;            /* stamp, taken before the real release */
	uint32_t relay_of;     /* the releaser's own wait that makes this a
				  relay (waits index), or SW_NONE */
	uint32_t hold;         /* the hold it ends, if blamed, or SW_NONE */
};

enum sw_piece_kind {
	SW_PIECE_HOLD,    /* blamed on `hold` (through `chain`) */
	SW_PIECE_LATENCY, /* after the release of `hold` (the root): the
			     waiter waking up */
	SW_PIECE_RELAY,   /* after the release of `hold` (the root): relays
			     passing the lock on until the waiter's turn */
	SW_PIECE_UNKNOWN, /* a relay whose own wake-up has no release */
};

/* A part of a wait. */
struct sw_piece {
	uint64_t from, to;
	enum sw_piece_kind kind;
	uint32_t hold;           /* HOLD: holds index of the blamed hold */
	uint32_t chain0, nchain; /* HOLD: holds passed through on the way,
				    outermost first (chain[chain0 ..]);
				    nchain 0 when the waker's root is blamed */
};

/* Time of one report row inside a hold. */
struct sw_activity {
	uint32_t row;          /* row id */
	uint64_t ns;           /* time inside calls of that row, clipped */
	uint64_t calls;        /* calls overlapping the window */
	const char *top_file;  /* file with the most time in that row, or NULL */
	uint64_t top_file_ns;
};

/* Time spent on one file inside a hold. */
struct sw_filetime {
	const char *file;
	uint64_t ns;
	uint64_t calls;
};

/* A hold: a thread held a primitive until one of its releases, and others
 * waited for it. */
struct sw_hold {
	uint32_t thread;       /* the holder */
	uint32_t prim;         /* what it held */
	uint32_t rel;          /* the release that ended it */
	uint64_t start, end;   /* window: from the earliest instant blamed on
				  it (or the holder's own init of the primitive
				  just before, see locks_hold.c) to the release;
				  the module is looked for in it */
	bool complete;         /* the holder's stream has no hole in it */
	const char *module;    /* module source being loaded (first .py, .pyc
				  or .so touched; a .pyc mapped to its .py,
				  a package to its __init__.py), or NULL */
	const char *module_name; /* its dotted name as far as the trace tells
				    (packages seen), or NULL */
	const char *module_file; /* the file that named it, as touched */
	uint64_t blamed_ns;    /* wait time blamed on it, all waits */
	uint64_t latency_ns;   /* wake-up latency after it, in the waits it
				  made wait */
	uint64_t outside_ns;   /* window time covered by no recorded call */
	uint32_t act0, nact;   /* activity[act0 ..], by time, descending */
	uint32_t file0, nfile; /* files[file0 ..], slowest first (at most 5) */
};

/* A blocker of one lock, as reported: holds of one thread (and module)
 * that waits on the lock were attributed to. A wait is attributed to its
 * root (through relays, and chains for the stretches the root was itself
 * blocked): the part up to the root's release is "blamed", the rest is
 * the wake-up latency after it. What the blocker did is explained over
 * the stretches blamed on it (hold_ns in all): its holds as far as others
 * waited through them, without the stretches chained on to others. A
 * thread's latency in waits it also blamed goes with that entry; relay
 * stretches and convoys go to a second entry, after_release, explained
 * over those stretches (locks_view.c says why). */
struct sw_blocker {
	uint32_t thread;       /* the blamed thread */
	const char *module;    /* of its first hold with one, or NULL */
	const char *module_name;
	uint32_t via;          /* first thread of the chain that led here
				  (the lock's own holder), or SW_NONE */
	bool after_release;    /* this entry is the time after the thread's
				  releases that waits spent on relays, or
				  that began only after them (a convoy);
				  hold_ns is then those stretches */
	uint64_t hold_ns;      /* the stretches explained, merged */
	uint64_t attributed_ns; /* blamed_ns + latency_ns */
	uint64_t blamed_ns;    /* this lock's wait time before its releases */
	uint64_t latency_ns;   /* wake-up latency after its releases */
	uint32_t span0, nspan; /* those stretches (report_spans[span0 ..]) */
	bool complete;         /* its stream has no hole in the window */
	uint64_t outside_ns;   /* window time covered by no recorded call */
	uint32_t act0, nact;   /* merged activity (report_act[act0 ..]) */
	uint32_t file0, nfile; /* merged slowest files (report_files[..]) */
	uint32_t hold0, nhold; /* its holds (report_holds[hold0 ..]); none
				  for an after_release entry */
};

/* One contended lock (a primitive generation, or all the parking
 * semaphores of a process taken together), as reported. */
struct sw_lockrep {
	int32_t pid;
	uint32_t epoch;
	enum sw_prim_kind kind;
	uint64_t addr;         /* 0 for the merged parking semaphores */
	uint32_t gen;
	bool parking;          /* the merged parking semaphores */
	uint32_t nprims;       /* primitive generations in it */
	uint64_t waits;        /* blocked waits */
	uint64_t waiters;      /* distinct waiting threads */
	uint64_t wait_ns;      /* summed */
	uint64_t wall_ns;      /* union of the waits' intervals */
	uint64_t attributed_ns; /* blamed_ns + latency_ns */
	uint64_t blamed_ns;    /* up to the roots' releases */
	uint64_t latency_ns;   /* after them */
	uint64_t unknown_ns;   /* attributed waits' stretches with no root */
	uint64_t convoy_ns;    /* latency spent on relays, or in waits that
				  began after their root's release: what the
				  after_release blockers carry */
	uint64_t timed_out, timed_out_ns;
	uint64_t interrupted, interrupted_ns;
	uint64_t failed, failed_ns;
	uint64_t unattributed, unattributed_ns;
	uint64_t incomplete, incomplete_ns;
	enum sw_wait_why unattributed_why; /* most common reason */
	uint32_t blk0, nblk;   /* report_blk[blk0 ..], by attributed time */
};

/* A thread that others waited for, over all locks (not condition
 * variables): the summary's material. */
struct sw_culprit {
	uint32_t thread;
	uint64_t attributed_ns; /* wait time attributed to it, all locks */
	uint64_t hold_ns;      /* its holding entries' stretches, merged */
	uint64_t window_ns;    /* with its after_release stretches: what the
				  activity below is over */
	uint32_t nmodules;     /* distinct modules named by its holds */
	const char *module;    /* the one with the most wait attributed */
	const char *module_name;
	uint64_t module_ns;    /* that wait */
	bool complete;
	uint64_t outside_ns;
	uint32_t act0, nact;   /* report_act[act0 ..] */
	uint32_t file0, nfile; /* report_files[file0 ..] */
};

/* Totals over all waits, lock contention apart from condition waits. */
struct sw_locks_totals {
	uint64_t waits, waiters, wait_ns, wall_ns; /* not condition waits */
	uint64_t attributed_ns, blamed_ns, latency_ns;
	uint64_t incomplete, incomplete_ns;
	uint64_t unattributed_ns; /* unattributed, unknown, timed out, ... */
	uint64_t nlocks;          /* report entries that are not cond */
	uint64_t cond_waits, cond_waiters, cond_wait_ns, cond_wall_ns;
	uint64_t ncond;           /* cond entries */
};

struct sw_locks {
	const struct sw_evtrace *tr;
	struct sw_prim *prims;
	size_t nprims;
	struct sw_wait *waits;     /* by (prim, start) */
	size_t nwaits;
	struct sw_release *rels;   /* by (prim, t) */
	size_t nrels;
	struct sw_piece *pieces;
	size_t npieces, pieces_cap;
	uint32_t *chain;           /* holds, for the pieces' chains */
	size_t nchain, chain_cap;
	struct sw_hold *holds;
	size_t nholds, holds_cap;
	struct sw_activity *activity;
	size_t nactivity;
	struct sw_filetime *files;
	size_t nfiles;
	uint32_t *thread_waits;    /* waits indices by (thread, start) */
	uint32_t *thread_wait0;    /* per thread: first thread_waits entry,
				      nthreads + 1 entries */

	/* The report view (sw_locks_report). */
	struct sw_lockrep *report; /* by wait_ns, descending */
	size_t nreport;
	struct sw_blocker *report_blk;
	size_t nreport_blk;
	struct sw_activity *report_act;
	size_t nreport_act;
	struct sw_filetime *report_files;
	size_t nreport_files;
	uint32_t *report_holds;
	size_t nreport_holds;
	struct sw_span *report_spans;
	size_t nreport_spans;
	struct sw_culprit *culprits; /* by attributed time, descending */
	size_t nculprits;
	struct sw_locks_totals totals;

	void *work;                /* internal scratch (locks_attr.c) */
};

/* Analyse tr (which must outlive l): classify, key, match, attribute,
 * explain the holds, and build the report view. 0 or -ENOMEM (l is then
 * freed). */
int sw_locks_analyse(const struct sw_evtrace *tr, struct sw_locks *l);

/* Free everything l owns. */
void sw_locks_free(struct sw_locks *l);

/* The evtrace thread a wait, release or hold belongs to. */
static inline const struct sw_evthread *sw_locks_thread(const struct sw_locks *l,
							 uint32_t thread)
{
	return &l->tr->threads[thread];
}

/* Text for a wait status ("attributed", "timed out", ...). */
const char *sw_wait_status_text(enum sw_wait_status s);

/* Text for a reason ("no release by another thread during the wait"...). */
const char *sw_wait_why_text(enum sw_wait_why w);

/* Internal steps of sw_locks_analyse, in order (one file each). */
int sw__locks_build(struct sw_locks *l);     /* locks.c: prims, waits, rels */
int sw__locks_attribute(struct sw_locks *l); /* locks_attr.c */
int sw__locks_explain(struct sw_locks *l);   /* locks_hold.c: holds */
int sw__locks_report(struct sw_locks *l);    /* locks_view.c: the view */

#endif
