/*
 * collector/model/: the run in memory: the row names, one aggregate per
 * row, the processes and threads (model.h), and the names of the wrapped
 * functions (fnnames.h). Filled by engine/ (live) or trace/ (a file), read
 * by everything above.
 * May use: util/ (collector/layers.txt).
 */
/*
 * model.h - what the reports are made from: the row names, one aggregate
 * per row, the processes and the threads, all times in nanoseconds.
 *
 * The model is filled the same way whether the data comes from live
 * segments (engine.c) or from a trace file (trace_read.c): each finished
 * thread is added once with sw_model_add_thread() and each process epoch
 * with sw_model_put_process(). That is what makes `syswatch report TRACE`
 * print exactly the table `syswatch run` printed.
 *
 * Per-thread counters are folded into the row aggregates as they are
 * added, so memory does not grow with the number of calls, only (a little)
 * with the number of processes and threads.
 */
#ifndef SW_COLLECTOR_MODEL_H
#define SW_COLLECTOR_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "syswatch/abi.h"

#define SW_NS_HIST 64          /* ns histogram: bucket i = [2^(i-1), 2^i) ns */
#define SW_ROW_NAME_MAX 32     /* longest row name kept, NUL included */
#define SW_MODEL_ROWS_MAX 4096 /* row ids a trace may declare */
#define SW_NO_MIN UINT64_MAX   /* min_ns when no call was timed */

/* One report row as declared by rows.h or by a trace header. */
struct sw_rowdef {
	bool defined;                /* declared at all */
	char name[SW_ROW_NAME_MAX];  /* printed name, [A-Za-z0-9_] */
	uint32_t flags;              /* SW_ROWF_* */
	uint32_t cls;                /* enum sw_class */
};

/* Counters of one row, in nanoseconds. */
struct sw_rowstat {
	uint64_t calls;    /* completed calls */
	uint64_t errors;   /* failed calls */
	uint64_t total_ns; /* time inside the calls */
	uint64_t min_ns;   /* shortest timed call, SW_NO_MIN if none */
	uint64_t max_ns;   /* longest timed call */
	uint64_t untimed;  /* calls counted without their own time */
	uint64_t hist[SW_NS_HIST]; /* calls by duration bucket */
};

/* One row of one thread, as handed to sw_model_add_thread(). */
struct sw_rowval {
	uint32_t row;          /* row id (model->rows index) */
	struct sw_rowstat st;  /* its counters */
};

/* A finished thread (one claim of one slot). */
struct sw_thread_rec {
	int32_t pid;       /* process */
	uint32_t epoch;    /* process image */
	int32_t tid;       /* kernel thread id */
	char name[16];     /* thread name, NUL-terminated */
	uint64_t start_ns; /* monotonic */
	uint64_t end_ns;   /* monotonic, 0 if it never ended */
	uint64_t dropped[SW_DROP_NCAUSES]; /* events lost, by cause */
	uint64_t events;   /* events written by the thread */
	size_t nrows;                  /* entries in rows */
	const struct sw_rowval *rows;  /* rows with calls > 0 */
};

/* Killed by a signal whose number was not seen (its parent reaped it). */
#define SW_SIGNAL_UNKNOWN (-1)

/* One process image (pid, epoch). */
struct sw_proc_rec {
	int32_t pid;
	int32_t ppid;
	uint32_t epoch;
	char command[SW_COMM_LEN]; /* argv[0] basename */
	char exe[SW_EXE_LEN];      /* executable path */
	uint64_t start_ns;         /* monotonic */
	uint64_t end_ns;           /* monotonic, 0 if unknown */
	bool has_exit;             /* exit_status is known */
	int32_t exit_status;       /* exit code, or 128+signal */
	int32_t signal;            /* the signal that killed it, or 0, or
				      SW_SIGNAL_UNKNOWN */
	uint32_t threads_lost;     /* threads that found no free slot */
	char cwd[SW_PATH_MAX];     /* working directory at the image's start,
				      absolute, or "" if unknown */
	uint32_t mode;             /* enum sw_mode: what its shim could see */
};

/* A process as reported: all epochs of one pid merged. */
struct sw_proc_view {
	int32_t pid;
	const char *command; /* of the newest epoch */
	const char *exe;     /* of the newest epoch */
	uint64_t threads;    /* distinct thread ids seen */
	bool has_exit;
	int32_t exit_status;
	int32_t signal;      /* the signal that killed it, or 0 */
	uint32_t threads_lost;
};

/* A row of one thread as kept for --per-process/--per-thread (no
 * histogram: it is kept for every thread, so it stays small). */
struct sw_rowbrief {
	uint32_t row;
	uint64_t calls, errors, total_ns, min_ns, max_ns, untimed;
};

/* One finished thread as kept for the split reports. */
struct sw_model_thread {
	int32_t pid;
	uint32_t epoch;
	int32_t tid;
	char name[16];
	uint64_t dropped[SW_DROP_NCAUSES]; /* its events lost, by cause */
	size_t nrows;
	struct sw_rowbrief *rows; /* owned */
};

/* A child that ran without the shim: an exec, posix_spawn or system whose
 * environment no longer carried it (the shim's event has aux == 1). */
struct sw_untraced {
	int32_t pid;       /* the process that started it */
	int32_t tid;       /* its thread (to pair a failed exec) */
	uint32_t fn;       /* call id (include/syswatch/calls.h) */
	char *path;        /* what it ran (owned) */
	const char *reason; /* static text */
};

struct sw_model {
	struct sw_rowdef *rows;   /* indexed by row id */
	struct sw_rowstat *sums;  /* indexed by row id: all threads added */
	uint32_t nrows;           /* entries in rows and sums */

	struct sw_proc_rec *procs; /* by (pid, epoch), in arrival order */
	size_t nprocs, procs_cap;
	struct { int32_t pid, tid; uint64_t start_ns; } *tids; /* one per thread added */
	size_t ntids, tids_cap;

	uint64_t dropped[SW_DROP_NCAUSES]; /* summed over threads */
	uint64_t events;                   /* summed over threads */

	char **command;           /* what was run */
	size_t ncommand;
	uint64_t start_real_ns;   /* CLOCK_REALTIME at start */
	uint64_t wall_ns;         /* program start to end of the tree */
	bool has_exit;            /* exit_status is known */
	int32_t exit_status;      /* of the root process */

	uint32_t segs_skipped;    /* segments refused (bad header...) */
	char **warnings;          /* "syswatch: ..." lines for the report */
	size_t nwarnings;

	struct sw_model_thread *threads; /* every thread added, for the
					    split reports */
	size_t nthreads, threads_cap;
	struct sw_untraced *untraced;    /* children that ran untraced */
	size_t nuntraced, untraced_cap;
};

/* Initialise an empty model with no rows declared. */
void sw_model_init(struct sw_model *m);

/* Free everything the model owns; it may be initialised again. */
void sw_model_free(struct sw_model *m);

/* Declare the rows of include/syswatch/rows.h; 0 or -ENOMEM. */
int sw_model_builtin_rows(struct sw_model *m);

/* Declare row `id`; -EINVAL for a bad id or name, -EEXIST if declared. */
int sw_model_define_row(struct sw_model *m, uint32_t id, const char *name,
			uint32_t flags, uint32_t cls);

/* Store a process epoch, replacing an earlier record of the same
 * (pid, epoch); 0 or -ENOMEM. */
int sw_model_put_process(struct sw_model *m, const struct sw_proc_rec *p);

/* Set p->cwd from s, untrusted (a segment header, a trace): it is kept
 * only if it starts with '/' and ends within sizeof(p->cwd) bytes, else
 * p->cwd is "". s is read at most sizeof(p->cwd) bytes; NULL means none. */
void sw_proc_set_cwd(struct sw_proc_rec *p, const char *s);

/* Fold a finished thread into the aggregates; -EINVAL if it names an
 * undeclared row (nothing is changed then), -ENOMEM. */
int sw_model_add_thread(struct sw_model *m, const struct sw_thread_rec *t);

/* Replace the command line; 0 or -ENOMEM. */
int sw_model_set_command(struct sw_model *m, char *const *argv, size_t argc);

/* Append a warning line (printf format, no newline); 0 or -ENOMEM. */
int sw_model_warn(struct sw_model *m, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Merge the process epochs by pid, ordered by first appearance; *out is
 * malloc'ed and points into the model; 0 or -ENOMEM. */
int sw_model_processes(const struct sw_model *m, struct sw_proc_view **out,
		       size_t *n);

/* The reason recorded for an exec that dropped the shim. */
#define SW_UNTRACED_ENV "environment cleared"
/* Why an exec'd program made no segment of its own (retire.c). */
#define SW_UNTRACED_STATIC "statically linked: LD_PRELOAD cannot see it"
#define SW_UNTRACED_GO "a Go program: LD_PRELOAD cannot see it"
#define SW_UNTRACED_NOSHIM "it did not load the shim (setuid, or LD_PRELOAD removed)"
#define SW_UNTRACED_UNSEEN \
	"gone before syswatch saw what it ran, and it made no segment: a static, Go or setuid program, or an exec that failed"
/* Every reason, so that a trace's text maps back to the same string. */
#define SW_UNTRACED_REASONS(X) \
	X(SW_UNTRACED_ENV) X(SW_UNTRACED_STATIC) X(SW_UNTRACED_GO) X(SW_UNTRACED_NOSHIM) \
	X(SW_UNTRACED_UNSEEN)

/* Note a child that ran untraced (path may be NULL); 0 or -ENOMEM. */
int sw_model_untraced_add(struct sw_model *m, int32_t pid, int32_t tid,
			  uint32_t fn, const char *path, const char *reason);

/* The exec call fn of thread (pid, tid) came back failed: the child
 * noted just before by the same thread never ran; forget it. */
void sw_model_untraced_failed(struct sw_model *m, int32_t pid, int32_t tid,
			      uint32_t fn);

/* Total events dropped, all causes. */
uint64_t sw_model_dropped_total(const struct sw_model *m);

/* Threads that found no free slot, summed over processes. */
uint64_t sw_model_threads_lost(const struct sw_model *m);
/* The modes of the model's processes: bit (1 << enum sw_mode) for each. */
unsigned sw_model_modes(const struct sw_model *m);

/* "complete", "wrappers", "mixed" or "unknown": what the shims of m's
 * processes could see (enum sw_mode). */
const char *sw_mode_name(const struct sw_model *m);

/* Add src's counters into dst (min/max/hist merged). */
void sw_rowstat_merge(struct sw_rowstat *dst, const struct sw_rowstat *src);

/* A rowstat with no calls (min = SW_NO_MIN). */
void sw_rowstat_zero(struct sw_rowstat *s);

/* The name of signal sig ("SIGPIPE"; "signal 40" for one without a
 * name; "a signal" for SW_SIGNAL_UNKNOWN) in buf, which it returns. */
const char *sw_signal_name(int sig, char buf[static 16]);

#endif
