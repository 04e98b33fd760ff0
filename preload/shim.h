/*
 * shim.h - state shared by the shim's files (never exported).
 *
 * Layout only and the inline fast path; the slow paths live in thread.c,
 * segment.c and init.c.
 */
#ifndef SW_PRELOAD_SHIM_H
#define SW_PRELOAD_SHIM_H

#include <stddef.h>
#include <stdint.h>

#include "syswatch/abi.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"

#define SW_HIDDEN __attribute__((visibility("hidden")))
#define SW_EXPORT __attribute__((visibility("default")))

/* Process-wide state. gen is 0 while the shim is off; it changes whenever
 * every thread must claim a new slot (start-up, after fork). Everything the
 * shim computes an address from is kept here, never read back from the
 * shared header: another process of the same user can write that header
 * (DESIGN.md, decision 4), and must not be able to steer our stores. */
struct sw_global {
	uint32_t gen;                 /* 0: inert; else current generation */
	int on;                       /* recording enabled */
	struct sw_seg_header *seg;    /* this process's segment header, or NULL */
	uint64_t seg_size;            /* bytes of the segment file */
	uint64_t hdr_map;             /* bytes of the header mapping */
	uint64_t slots_offset;        /* file offset of slot 0 */
	uint64_t base_ticks;          /* the header's base_ticks, as written */
	uint32_t slot_size;           /* bytes per slot, a multiple of 4096 */
	uint32_t ring_size;           /* from the environment, power of two */
	uint32_t nslots;              /* from the environment */
	uint32_t next_slot;           /* slots handed out so far (atomic) */
	uint64_t seg_dev, seg_ino;    /* the segment file, to reopen it safely */
	int auto_root;                /* we started the collector: wait for it */
	int exit_status;              /* set by exit()/_exit() */
	int have_exit_status;         /* exit_status is valid */
	int follow_exec;              /* run --follow-exec: keep the shim in execs */
	int complete;                 /* complete mode (sud.c): every syscall traps */
	char session[256];            /* session directory */
	char seg_path[320];           /* <session>/<pid>.<epoch>.seg */
	char self_path[512];          /* this library's path, for --follow-exec */
};

/* Per-thread state, initial-exec TLS so that access never allocates. */
struct sw_tls {
	uint32_t gen;                 /* == sw__g.gen when slot is valid */
	uint32_t busy;                /* hold depth (fork, vfork): pass through */
	struct sw_slot_header *slot;  /* NULL: no slot (lost or not claimed) */
	struct sw_counter *counters;  /* slot's counter array */
	uint8_t *ring;                /* slot's ring bytes */
	int32_t tid;                  /* tid at claim time */
	uint32_t gap;                 /* events dropped since the last pushed */
	uintptr_t rec_sp;             /* stack pointer of the frame recording
					 now (sw__rec_begin), 0 when none */
	uint64_t passed;              /* calls passed through while rec_sp
					 was set (see sw__enter_busy) */
	uint8_t sel;                  /* complete mode's selector byte, read by the
					 kernel on every syscall: 0 allow, 1 trap */
	uint8_t sud;                  /* our dispatch is on for this thread */
	uint8_t sigsys_masked;        /* the program asked to block SIGSYS: what
					 its mask queries see (never applied) */
};

extern struct sw_global sw__g SW_HIDDEN;

/* Rows switched off with SYSWATCH_ROWS (run -e trace=...): their calls pass
 * straight through, uncounted, at the cost of one load. */
extern uint8_t sw__row_off[SW_ROW_COUNT] SW_HIDDEN;
extern __thread struct sw_tls sw__t __attribute__((tls_model("initial-exec"))) SW_HIDDEN;

/* What an event captures of the call's arguments. */
struct sw_cap {
	const char *path; /* NULL: none */
	int fd;           /* valid when has_fd */
	int has_fd;
	uintptr_t addr;   /* valid when has_addr */
	int has_addr;
	uint64_t aux;     /* valid when has_aux: futex op */
	int has_aux;
	const void *sa;   /* socket address, or NULL */
	uint32_t sa_len;
};

/* sp: the stack pointer of the wrapper calling (see sw__enter_busy). */
struct sw_tls *sw__enter_slow(struct sw_tls *t, uintptr_t sp) SW_HIDDEN;
struct sw_tls *sw__enter_busy(struct sw_tls *t, uintptr_t sp) SW_HIDDEN;

/* The current stack pointer. */
static inline __attribute__((always_inline)) uintptr_t sw__sp(void)
{
	uintptr_t sp;
	__asm__ volatile("mov %%rsp, %0" : "=r"(sp));
	return sp;
}

/* The thread's state when this call may be recorded, else NULL (shim off,
 * nested in our own recording, no slot). Signal-safe. A recording that a
 * signal handler left with siglongjmp is noticed and recovered here. */
static inline struct sw_tls *sw__enter(void)
{
	struct sw_tls *t = &sw__t;
	if (__builtin_expect(t->gen != sw__g.gen || t->gen == 0, 0))
		return sw__enter_slow(t, sw__sp());
	if (__builtin_expect(t->busy | t->rec_sp | (t->slot == NULL), 0))
		return sw__enter_busy(t, sw__sp());
	return t;
}

/*
 * Bracket every write into the thread's slot. The mark is the stack
 * pointer of the recording frame: a wrapper entered while it is set runs
 * either nested inside that frame (a signal handler; its stack is deeper)
 * or after the frame was abandoned by a siglongjmp out of a handler (its
 * stack is shallower), and sw__enter_busy tells which. Signal-safe.
 */
static inline __attribute__((always_inline)) void sw__rec_begin(struct sw_tls *t)
{
	t->rec_sp = sw__sp();
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
}

static inline __attribute__((always_inline)) void sw__rec_end(struct sw_tls *t)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	t->rec_sp = 0;
	t->passed = 0;
}

/* Count one completed call and push its event. Signal-safe, never blocks. */
void sw__record(struct sw_tls *t, unsigned fn, unsigned row, uint64_t t0, uint64_t t1,
		int64_t result, int failed, int err, const struct sw_cap *cap, int also_row,
		unsigned also_n) SW_HIDDEN;

/* Count n more calls of row with no time, errors of them failed (the
 * other syscalls of an entry point that issues several, e.g. raise's
 * getpid and gettid; a vfork child's exec). Leaves the busy flag as it
 * found it (a vfork child runs with it raised). Signal-safe. */
void sw__count_untimed(struct sw_tls *t, unsigned row, unsigned n, unsigned errors) SW_HIDDEN;

/* Push an event without counting it (init/destroy of a primitive). */
void sw__event_only(struct sw_tls *t, unsigned fn, unsigned row, uint64_t t0, uint64_t t1,
		    int64_t result, int failed, int err, const struct sw_cap *cap) SW_HIDDEN;

/* The real function for call id fn, resolving it on first use; NULL if
 * libc has no such symbol. */
void *sw__real(unsigned fn) SW_HIDDEN;
extern void *sw__reals[SW_FN_COUNT] SW_HIDDEN;
void sw__resolve_all(void) SW_HIDDEN;

/* Segment management (segment.c). */
int sw__segment_create(void) SW_HIDDEN;
void sw__segment_drop(void) SW_HIDDEN;
/* Map slot i of this process's segment with its pages reserved; the
 * slot's address, or NULL with *err set (-ENOSPC: no room to reserve it,
 * -ENOMEM: the mapping was refused, other: the file is gone or not ours).
 * Slow path only (a thread's first call); signal-safe. */
struct sw_slot_header *sw__slot_map(uint32_t i, int *err) SW_HIDDEN;
/* The slot i if it is mapped already in this process, else NULL. */
struct sw_slot_header *sw__slot_mapped(uint32_t i) SW_HIDDEN;

/* Thread-exit hook (thread.c). */
int sw__thread_init(void) SW_HIDDEN;
/* Give the thread's slot back (it is ending): the collector harvests it.
 * Signal-safe. */
void sw__thread_release(struct sw_tls *t) SW_HIDDEN;

/* Whether an exec environment still carries the shim (proc.c); one that
 * does not starts an untraced child, which the exec's event says. */
int sw__env_keeps_shim(char *const env[]) SW_HIDDEN;

/* An exec attempt (counted before: a success does not return; lost: its
 * environment drops the shim) and its failure (proc.c). Signal-safe. */
void sw__exec_note_start(struct sw_tls *t, unsigned fn, unsigned row, const char *path,
			 int lost) SW_HIDDEN;
void sw__exec_note_failed(struct sw_tls *t, unsigned fn, unsigned row, uint64_t t0,
			  int err) SW_HIDDEN;

/* Process end: mark the segment, wait for the collector if we own it. */
void sw__process_end(int status, int have_status) SW_HIDDEN;

#endif
