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

#define SW_RING_ERRORS_SHOWN 3 /* ring errors reported per segment */

/* What we know of one thread slot between passes. */
struct sw_slotview {
	bool tracked;         /* a live thread holds it */
	uint32_t gen;         /* its claim generation */
	int32_t tid;          /* its thread id */
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
};

/* The header fields the writer keeps updating. */
struct sw_live_hdr {
	struct sw_segrec *r;
	bool release;         /* also store state RELEASED */
	uint32_t state;       /* enum sw_seg_state */
	int32_t exit_status;
	uint64_t end_ticks;
	uint32_t lost;        /* threads_lost */
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

/* slots.c: the tick conversion of a segment with the current estimate. */
struct sw_tconv sw__tconv(const struct sw_engine *e, const struct sw_segrec *r);

#endif
