/*
 * collector/engine/: the live side: the session directory, segment checks,
 * thread slots, ring drain, retirement of finished threads and processes,
 * the clock; it drains the segments into the model and the trace writer.
 * Only cmd/ uses it.
 * May use: trace/, model/, util/ (collector/layers.txt).
 */
/*
 * engine.h - the collect loop's state: the session's segments, what each
 * thread slot holds, and the model they feed.
 *
 * One pass (sw_engine_pass) scans the session directory for new segment
 * files, drains every ring, harvests EXITED slots (drain, snapshot, zero,
 * free) and retires segments whose process is gone. The caller decides
 * when the traced tree is over and then calls sw_engine_finish().
 */
#ifndef SW_COLLECTOR_ENGINE_H
#define SW_COLLECTOR_ENGINE_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "model.h"
#include "session.h"
#include "trace.h"

struct sw_engine;

struct sw_engine_opts {
	struct sw_session *session;    /* where the segments appear */
	struct sw_model *model;        /* receives processes and threads */
	struct sw_trace_writer *trace; /* events and counters, or NULL */
	int32_t root_pid;   /* collect mode: the root, whose segments stay
			       mapped until report_done is set; else 0 */
	const char *userdir; /* the per-user directory, where the TSC
				reference of this boot is kept (tsc_ref.h);
				NULL: none kept */
};

/* Create an engine; 0 or -ENOMEM. */
int sw_engine_new(struct sw_engine **out, const struct sw_engine_opts *o);

/* One pass; *moved gets the ring bytes consumed (to pace the loop).
 * Returns 0 or a negative errno for a fatal error (out of memory);
 * problems with single segments become warnings in the model. */
int sw_engine_pass(struct sw_engine *e, uint64_t *moved);

/* Run mode: waitpid() returned `pid` with `wstatus`; its segments get
 * this exit status and are retired at the next pass. */
void sw_engine_reaped(struct sw_engine *e, pid_t pid, int wstatus);

/* Collect mode: is the tree over? The root's latest segment is EXITED
 * (or the root is gone), every other process is gone, no forked child
 * is still on its way, and no segment appeared for quiet_ns. Sets the
 * root's report_done to 2 while it has to wait for others. */
bool sw_engine_tree_done(struct sw_engine *e, uint64_t quiet_ns);

/* Final pass: wait (sleeping) until the TSC estimate spans 20 ms, drain
 * everything, retire every segment (RELEASED), convert all threads into
 * the model. Returns 0 or a negative errno (fatal). */
int sw_engine_finish(struct sw_engine *e);

/* Collect mode: store value into report_done of the root's segments. */
void sw_engine_report_done(struct sw_engine *e, uint32_t value);

/* Earliest segment creation (monotonic ns), or 0 if none was seen. */
uint64_t sw_engine_start_ns(const struct sw_engine *e);

/* Unmap everything and free the engine (the model stays). */
void sw_engine_free(struct sw_engine *e);

#endif
