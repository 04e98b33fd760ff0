/*
 * engine_int.h - the engine's internals, shared by engine.c (segments,
 * liveness, the end of the tree) and slots.c (what happens to each thread
 * slot). Not for use outside the engine.
 */
#ifndef SW_COLLECTOR_ENGINE_INT_H
#define SW_COLLECTOR_ENGINE_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "clock.h"
#include "drain.h"
#include "engine.h"
#include "segment.h"
#include "session.h"

#define SW_RING_ERRORS_SHOWN 3 /* ring errors reported per segment */
#define SW_CORRUPT_SHOWN 3     /* corrupt slots reported per segment */
/* What one segment can make us keep (slotcheck.c): thread records, and
 * their rows; the threads beyond are summed into one record. */
#define SW_SEG_THREADS_KEPT 4096u
#define SW_SEG_ROWS_KEPT 131072u
#define SW_TID_FOLDED (-1) /* the tid of that record */
#define SW_UNSEEN_MAX 64   /* vfork children checked at the end */
#define SW_SEG_UNTRACED_KEPT 256u /* untraced children named per segment */

/* What we know of one thread slot between passes. */
struct sw_slotview {
	bool tracked;         /* a live thread holds it */
	uint32_t gen;         /* its claim generation */
	int32_t tid;          /* its thread id */
	bool harvested;       /* claim hgen was harvested already */
	bool refused;         /* and said so, for this claim */
	uint32_t hgen;
};

enum sw_segstate {
	SW_SEGREC_WAITING, /* file seen, header not finished yet */
	SW_SEGREC_OPEN,    /* mapped and drained every pass */
	SW_SEGREC_RETIRED, /* fully read, released (root: still mapped) */
	SW_SEGREC_BAD,     /* malformed or unreadable: skipped */
};

struct sw_segrec {
	int32_t pid;
	uint32_t epoch;
	enum sw_segstate state;
	char name[64];              /* file name */
	uint64_t ino;               /* inode once opened or refused */
	uint64_t first_seen_ns;     /* when the scan first saw it */
	struct sw_seg seg;          /* valid while OPEN (and root RETIRED) */
	struct sw_slotview *slots;  /* one per slot up to slots_used */
	uint32_t nviews;
	struct sw_proc_rec proc;    /* what the report says about it */
	bool root;                  /* collect mode: a segment of the root */
	bool mapped;                /* seg is mapped */
	uint32_t ring_errors;       /* corrupt rings met */
	uint32_t corrupt_slots;     /* slots refused as implausible */
	uint32_t threads_kept;      /* thread records made from it */
	uint64_t rows_kept;         /* their rows */
	struct sw_fin *fold;        /* the threads beyond, summed, or NULL */
	uint64_t folded;            /* how many threads that is */
	uint32_t untraced;          /* untraced children named from it */
	char *exec_path;            /* its last exec not known to fail, or NULL */
	uint32_t exec_fn;
	int32_t exec_tid;
};

/* A finished thread in ticks, waiting for a good TSC estimate. */
struct sw_fin {
	int32_t pid;
	uint32_t epoch;
	int32_t tid;
	char name[16];
	uint32_t clock;         /* enum sw_clock of its segment */
	uint64_t base_ticks;    /* its segment's base pair */
	uint64_t base_mono_ns;
	uint64_t start_ticks;
	uint64_t end_ticks;     /* 0 if it never ended */
	uint64_t dropped[SW_DROP_NCAUSES];
	uint64_t events;
	uint32_t nrows;
	struct sw_rawrow {
		uint32_t row;
		struct sw_counter c;
	} *rows;                /* rows with calls > 0 */
};

struct sw_engine {
	struct sw_session *sess;
	struct sw_model *m;
	struct sw_trace_writer *tw;
	int32_t root_pid;

	struct sw_segrec **segs;   /* every segment ever seen */
	size_t nsegs, segs_cap;
	uint32_t *hash;            /* (pid, epoch) → index + 1, 0 empty */
	size_t hash_size;          /* a power of two */

	struct sw_fin *fins;       /* finished threads not yet converted */
	size_t nfins, fins_cap;

	struct { int32_t pid; int status; } *reaped; /* run mode */
	size_t nreaped, reaped_cap;
	bool check_now;            /* a child was reaped: check liveness */

	struct sw_tsc_cal cal;
	char userdir[256];         /* per-user directory (tsc_ref.h), or "" */
	bool any_tsc;              /* some segment counts in TSC cycles */
	struct sw_arena arena;     /* decoded events (trace only) */
	Sw__Event **evs;           /* the batch being collected */
	size_t nevs, evs_cap;
	/* the ring being drained, for the event sink */
	struct sw_segrec *cur;
	int32_t cur_tid;
	struct sw_tconv cur_cv;

	uint64_t last_live_ns;     /* last liveness sweep */
	uint64_t last_new_ns;      /* last time a new segment appeared */
	uint64_t start_ns;         /* earliest segment base */
	bool root_told_wait;       /* report_done = 2 was stored */
	int fatal;                 /* first fatal error */
	/* vfork children gone before we could see what they ran (untraced.c) */
	struct { int32_t pid, ppid, tid; } unseen[SW_UNSEEN_MAX];
	size_t nunseen;
};

/* The header fields the writer keeps updating. */
struct sw_live_hdr {
	struct sw_segrec *r;
	bool release;         /* also store state RELEASED */
	uint32_t state;       /* enum sw_seg_state */
	int32_t exit_status;
	uint64_t end_ticks;
	uint32_t lost;        /* threads_lost */
	uint32_t nospace;     /* threads_nospace */
	uint32_t nomap;       /* threads_nomap */
	int32_t slot_errno;
	int32_t forked_child;
};

/* retire.c: read r's live header fields (and with release, store state
 * RELEASED); 0 or -EFAULT (truncated under us). */
int sw__read_live(struct sw_segrec *r, struct sw_live_hdr *c, bool release);

/* retire.c: read r for the last time, release it and report its process.
 * The root of collect mode stays mapped: report_done is still to come.
 * 0 or -ENOMEM. */
int sw__retire(struct sw_engine *e, struct sw_segrec *r, uint64_t *moved);

/* retire.c: retire the open segments whose process image has ended;
 * 0 or -ENOMEM. */
int sw__sweep(struct sw_engine *e, uint64_t *moved);

/* uncounted.c: one warning for a process that left a failure note
 * instead of a segment; 0 or -ENOMEM. */
int sw__warn_fail_note(struct sw_engine *e, const struct sw_fail_note *f);

/* uncounted.c: one warning per cause for the threads of r that ran
 * uncounted (their slot could not be reserved or mapped); 0 or -ENOMEM. */
int sw__warn_uncounted_threads(struct sw_engine *e, const struct sw_segrec *r,
			       uint32_t nospace, uint32_t nomap, int err);

/* Unmap r's segment if it is mapped. */
static inline void sw__segrec_unmap(struct sw_segrec *r)
{
	if (r->mapped)
		sw_seg_close(&r->seg);
	r->mapped = false;
}

/* slots.c: one pass over the slots of an open segment: drain rings,
 * harvest EXITED slots. With final, also take every ACTIVE slot as a
 * finished thread (the process is gone). Returns 0 or -EFAULT (SIGBUS),
 * or -ENOMEM. */
int sw__slots_pass(struct sw_engine *e, struct sw_segrec *r, bool final,
		   uint64_t *moved);

/* slots.c: convert finished threads into the model (and the trace):
 * those whose conversion is reliable now, or all of them with force. */
int sw__fins_freeze(struct sw_engine *e, bool force);

/* slotcheck.c: an upper bound of the ticks r's process has lived (its
 * base to now, with a margin): no thread of it can count more. */
uint64_t sw__seg_age_ticks(const struct sw_segrec *r);

/* slotcheck.c: why the copy f of a slot is impossible for a thread that
 * lived at most age ticks (a static reason, or one written in buf), or
 * NULL when it is plausible. */
const char *sw__fin_wrong(const struct sw_fin *f, uint64_t age, char *buf, size_t cap);

/* slotcheck.c: the events f lost, all causes. */
uint64_t sw__fin_drops(const struct sw_fin *f);

/* slotcheck.c: sum f (whose rows are < nrows) into r->fold; 0 or -ENOMEM. */
int sw__fold_thread(struct sw_segrec *r, const struct sw_fin *f, uint32_t nrows);

/* slotcheck.c: r's summed record (rows with calls only), now the
 * caller's; NULL if none. */
struct sw_fin *sw__fold_take(struct sw_segrec *r);

/* slotcheck.c: warn (the first few per segment) that slot `slot` of r,
 * thread tid, was not added in, and why. */
void sw__slot_refused(struct sw_engine *e, struct sw_segrec *r, uint32_t slot, int32_t tid,
		      const char *why);

/* untraced.c: r's thread tid called exec-family fn on path (len bytes, not
 * NUL-terminated; NULL: not captured); failed: the call came back. After
 * a successful exec the next image makes its own segment, unless the
 * shim could not load into it. */
void sw__exec_seen(struct sw_segrec *r, uint32_t fn, int32_t tid, const uint8_t *path,
		   size_t len, bool failed);

/* untraced.c: r's image, which exec'd, is over: if the program it exec'd
 * made no segment, note it as untraced, with the reason the file gives.
 * 0 or -ENOMEM. */
int sw__untraced_image(struct sw_engine *e, struct sw_segrec *r);

/* untraced.c: a vfork of the segment being drained (e->cur) started
 * child pid, which has exec'd or exited by now: if it runs a static or
 * Go program, note it as untraced. 0 or -ENOMEM. */
int sw__vfork_child(struct sw_engine *e, int32_t pid);

/* untraced.c: at the end, the vfork children gone before we looked that
 * never made a segment ran something we could not see; 0 or -ENOMEM. */
int sw__untraced_finish(struct sw_engine *e);

/* slots.c: the tick conversion of a segment with the current estimate. */
struct sw_tconv sw__tconv(const struct sw_engine *e, const struct sw_segrec *r);

#endif
