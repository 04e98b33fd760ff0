/*
 * evtrace.h - the events of a trace file, one time-ordered stream per
 * thread, ready for the analyses (lock attribution, timeline export).
 *
 * A trace keeps events in EventBatch records as the collector drained
 * them; this gathers them per (pid, epoch, tid), joins each stream with
 * its ThreadCounters (name, lifetime, drops), and works out two things
 * every analysis needs:
 *
 *  - where a stream has holes. The shim drops events when a ring is full
 *    and says so on the next event it manages to write (Event.gap); drops
 *    after a thread's last written event show only in its counters. A
 *    stream is complete over an interval only if no hole overlaps it.
 *  - which file each call touched: paths made absolute through their
 *    directory descriptor or the working directory, and descriptors
 *    mapped back to the path that opened them (per process, in time
 *    order);
 *  - which socket peer each call touched (strace's -y for sockets): the
 *    address a connect, bind or sendto recorded, and descriptors mapped
 *    back to the address their socket was connected or bound to.
 *
 * Usage: sw_evtrace_read() on an open trace (it fills the model too), or,
 * to feed records yourself, sw_evtrace_init(), the sink from
 * sw_evtrace_sink() handed to sw_trace_read_sink(), then sw_evtrace_end().
 * Strings (paths, names) live as long as the evtrace.
 */
#ifndef SW_COLLECTOR_EVTRACE_H
#define SW_COLLECTOR_EVTRACE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "model.h"
#include "strpool.h"
#include "trace.h"

#define SW_NO_ROW UINT32_MAX

/* Which optional fields an event carried. */
enum sw_ev_flags {
	SW_EVF_FD = 1u << 0,     /* fd is set */
	SW_EVF_ADDR = 1u << 1,   /* addr is set */
	SW_EVF_AUX = 1u << 2,    /* aux is set */
	SW_EVF_FAILED = 1u << 3, /* the call failed: err holds the error */
	SW_EVF_SOCK = 1u << 4,   /* fd is known to be a socket */
};

/* What an event's `peer` names. */
enum sw_peer_kind {
	SW_PEER_NONE,     /* no peer: not a socket, or nothing known yet */
	SW_PEER_REMOTE,   /* the remote address (connect, sendto's target) */
	SW_PEER_ACCEPTED, /* a connection accepted on the local address in
			     peer (the shim does not record accept's
			     client address) */
	SW_PEER_LOCAL,    /* the local address of a bound, unconnected
			     socket (a listener, a UDP server) */
};

/* One recorded call. */
struct sw_ev {
	uint64_t start;     /* monotonic ns, taken before the real call */
	uint64_t end;       /* start + duration */
	int64_t result;     /* return value (pointers: 0 or 1) */
	uint64_t addr;      /* primitive or memory address (SW_EVF_ADDR) */
	uint64_t aux;       /* futex operation for raw syscall() (SW_EVF_AUX) */
	uint64_t gap;       /* events of this thread dropped just before it */
	const char *path;   /* path argument as recorded, or NULL */
	const char *file;   /* the file touched: path made absolute through
			       its dirfd, or the path behind fd; NULL if
			       unknown */
	const char *sockaddr; /* the socket address the call recorded
			       (connect, bind, sendto), as text
			       (sw_sockaddr_format); NULL if none */
	const char *peer;   /* the socket peer touched (enum sw_peer_kind
			       says which end), from sockaddr or from the
			       socket behind fd; NULL if none */
	uint32_t row;       /* report row id (model->rows) */
	uint32_t fn;        /* call id (include/syswatch/calls.h) */
	uint32_t err;       /* errno or returned error number (SW_EVF_FAILED) */
	int32_t fd;         /* descriptor argument or dirfd (SW_EVF_FD) */
	uint32_t flags;     /* enum sw_ev_flags */
	uint8_t peer_kind;  /* enum sw_peer_kind of peer */
};

/* Why events are missing from part of a stream. */
enum sw_hole_why {
	SW_HOLE_GAP,         /* ring full: Event.gap said so */
	SW_HOLE_TAIL,        /* drops after the last event (counters say so) */
	SW_HOLE_NO_COUNTERS, /* events without a counters record: unknowable */
	SW_HOLE_MISMATCH,    /* the trace holds fewer events than were written */
};

/* A time interval [from, to] in monotonic ns. */
struct sw_span {
	uint64_t from;
	uint64_t to;
};

/* An interval where a stream may be missing events. */
struct sw_hole {
	uint64_t from;         /* after the last event before it */
	uint64_t to;           /* before the first event after it */
	enum sw_hole_why why;
	uint64_t lost;         /* events lost in it (0 if unknown) */
};

/* One thread's stream (all claims of one (pid, epoch, tid)). */
struct sw_evthread {
	int32_t pid;
	uint32_t epoch;
	int32_t tid;
	char name[16];         /* thread name from its counters, or "" */
	uint64_t start_ns;     /* monotonic, 0 if unknown */
	uint64_t end_ns;       /* monotonic, 0 if unknown */
	bool has_counters;     /* a ThreadCounters record was seen */
	uint64_t dropped;      /* events dropped, all causes (counters) */
	uint64_t written;      /* events the shim wrote (counters) */
	uint64_t gaps;         /* sum of the events' gap fields */
	struct sw_ev *ev;      /* sorted by start */
	size_t nev;
	size_t ev_cap;
	struct sw_hole *holes; /* sorted, disjoint */
	size_t nholes;
	uint32_t proc;         /* index into the evtrace's procs */
};

/* One process image (pid, epoch) and its threads. */
struct sw_evproc {
	int32_t pid;
	uint32_t epoch;
	const char *command;   /* argv[0] basename, or "?" */
	const char *cwd;       /* working directory at its start (absolute),
				  or NULL if unknown (older traces) */
	uint32_t threads_lost; /* threads that found no slot: not traced */
	uint32_t *threads;     /* indices into the evtrace's threads */
	size_t nthreads;
};

struct sw_evtrace {
	const struct sw_model *model; /* row names, processes */
	struct sw_evthread *threads;
	size_t nthreads;
	size_t threads_cap;
	struct sw_evproc *procs;
	size_t nprocs;
	uint32_t row_futex;    /* id of row "futex", or SW_NO_ROW */
	uint32_t row_sleep;    /* id of row "clock_nanosleep", or SW_NO_ROW */
	struct sw_strpool *strs;
	uint32_t *index;       /* thread lookup hash (internal) */
	size_t index_cap;
};

/* Start an empty evtrace whose rows and processes come from m (which
 * must outlive it; it may still be filling). */
void sw_evtrace_init(struct sw_evtrace *t, const struct sw_model *m);

/* The sink that feeds records into t (for sw_trace_read_sink). */
struct sw_trace_sink sw_evtrace_sink(struct sw_evtrace *t);

/* After the last record: order the streams, find their holes, resolve
 * files and peers, group threads by process. 0 or -ENOMEM. */
int sw_evtrace_end(struct sw_evtrace *t);

/* Read the trace in f into m (initialised, no rows declared) and t
 * (uninitialised): 0, or a negative errno with a one-line reason in err.
 * On failure t is already freed; m must be freed by the caller. */
int sw_evtrace_read(FILE *f, struct sw_model *m, struct sw_evtrace *t,
		    char *err, size_t errlen);

/* Free everything t owns. */
void sw_evtrace_free(struct sw_evtrace *t);

/* Add one thread's events by hand (tests, tools): the thread is created
 * if new; events are copied (path and sockaddr interned; file and peer
 * are worked out by sw_evtrace_end). 0 or -ENOMEM. */
int sw_evtrace_add(struct sw_evtrace *t, int32_t pid, uint32_t epoch,
		   int32_t tid, const struct sw_ev *ev, size_t n);

/* Copy a counters record's facts into the thread (created if new), as
 * the reader does: 0 or -ENOMEM. */
int sw_evtrace_counters(struct sw_evtrace *t, int32_t pid, uint32_t epoch,
			int32_t tid, const char *name, uint64_t start_ns,
			uint64_t end_ns, uint64_t dropped, uint64_t written);

/* The first hole of th overlapping [from, to], or NULL if the stream is
 * complete there. */
const struct sw_hole *sw_evthread_hole(const struct sw_evthread *th,
				       uint64_t from, uint64_t to);

/* Index of th's first event that ends after t (nev if none). */
size_t sw_evthread_after(const struct sw_evthread *th, uint64_t t);

/* Name of row id (as the trace declared it), or "?". */
const char *sw_evtrace_row_name(const struct sw_evtrace *t, uint32_t row);

/* Class of row id (enum sw_class), or -1 if undeclared. */
int sw_evtrace_row_class(const struct sw_evtrace *t, uint32_t row);

/* Index of the thread (pid, epoch, tid), or -1. */
long sw_evtrace_find(const struct sw_evtrace *t, int32_t pid, uint32_t epoch,
		     int32_t tid);

/* A string owned by t equal to s (the same pointer for equal strings);
 * NULL if out of memory. Inline, so that the descriptor replay
 * (evfiles.c), which sw_evtrace_end runs, names files without calling
 * back into evtrace.c. */
static inline const char *sw_evtrace_intern(struct sw_evtrace *t, const char *s, size_t len)
{
	if (!t->strs && !(t->strs = sw_strpool_new()))
		return NULL;
	return sw_strpool_intern(t->strs, s, len);
}

/* Text for a hole's cause ("ring full", ...). */
const char *sw_hole_why_text(enum sw_hole_why why);

#endif
