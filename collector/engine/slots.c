/*
 * slots.c - what the engine does with each thread slot of a segment:
 * drain its ring, harvest it when its thread has exited, and turn
 * finished threads (in ticks) into model threads (in nanoseconds).
 *
 * Slot lifecycle (abi.h): the producer claims FREE → ACTIVE and, when its
 * thread ends, stores EXITED. Only we move EXITED → FREE, after draining
 * the ring, copying the counters and zeroing them; so every claim of a
 * slot is seen exactly once, and a reused slot is a new thread.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "engine_int.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"

struct sw_tconv sw__tconv(const struct sw_engine *e, const struct sw_segrec *r)
{
	struct sw_tconv cv = {
		.clock = r->seg.hdr.clock,
		.ns_per_tick = e->cal.ns_per_tick > 0.0 ? e->cal.ns_per_tick : 1.0,
		.base_ns = r->seg.hdr.base_mono_ns,
	};
	return cv;
}

/* --- events ------------------------------------------------------------ */

static int sink_flush(void *arg)
{
	struct sw_engine *e = arg;
	if (e->nevs && e->tw)
		sw_trace_events(e->tw, e->cur->pid, e->cur->epoch, e->cur_tid,
				e->evs, e->nevs); /* errors are sticky in tw */
	e->nevs = 0;
	return 0;
}

/* The calls that start another program: the shim marks (aux == 1) those
 * whose environment no longer carries it. */
static bool starts_program(uint32_t fn)
{
	switch (fn) {
	case SW_FN_execve:
	case SW_FN_execv:
	case SW_FN_execvp:
	case SW_FN_execvpe:
	case SW_FN_execl:
	case SW_FN_execlp:
	case SW_FN_execle:
	case SW_FN_fexecve:
	case SW_FN_execveat:
	case SW_FN_posix_spawn:
	case SW_FN_posix_spawnp:
	case SW_FN_system:
		return true;
	default:
		return false;
	}
}

static bool is_spawn(uint32_t fn)
{
	return fn == SW_FN_posix_spawn || fn == SW_FN_posix_spawnp ||
	       fn == SW_FN_system;
}

/* Without a trace, only the calls that start programs are decoded. */
static bool sink_want(void *arg, uint32_t fn)
{
	(void)arg;
	return starts_program(fn) || fn == SW_FN_vfork;
}

/* Children that ran untraced. An exec is recorded before it is tried
 * (success does not come back) and a failure follows as its own event;
 * posix_spawn and system are recorded once, after the fact. */
static int note_untraced(struct sw_engine *e, const Sw__Event *ev)
{
	if (ev->has_fn && ev->fn == SW_FN_vfork && ev->has_result && ev->result > 0 &&
	    ev->result <= INT32_MAX)
		return sw__vfork_child(e, (int32_t)ev->result);
	if (!ev->has_fn || !starts_program(ev->fn))
		return 0;
	bool failed = ev->has_err;
	bool lost = ev->has_aux && ev->aux == 1;
	if (!is_spawn(ev->fn) && !lost)
		sw__exec_seen(e->cur, ev->fn, e->cur_tid, ev->has_path ? ev->path.data : NULL,
			      ev->has_path ? ev->path.len : 0, failed);
	if (failed && !is_spawn(ev->fn)) {
		sw_model_untraced_failed(e->m, e->cur->pid, e->cur_tid, ev->fn);
		return 0;
	}
	if (!lost || failed)
		return 0;
	/* Each costs memory, and the ring is the process's to write. */
	if (e->cur->untraced >= SW_SEG_UNTRACED_KEPT) {
		if (e->cur->untraced > SW_SEG_UNTRACED_KEPT)
			return 0; /* said once */
		e->cur->untraced++;
		return sw_model_warn(e->m, "syswatch: process %d (%s): more than %u children "
				     "ran untraced; the others are not named",
				     (int)e->cur->pid, e->cur->proc.command, SW_SEG_UNTRACED_KEPT);
	}
	e->cur->untraced++;
	char path[SW_PATH_MAX + 1];
	size_t n = ev->has_path ? ev->path.len : 0;
	if (n > SW_PATH_MAX)
		n = SW_PATH_MAX;
	if (n)
		memcpy(path, ev->path.data, n);
	path[n] = '\0';
	return sw_model_untraced_add(e->m, e->cur->pid, e->cur_tid, ev->fn,
				     n ? path : NULL, SW_UNTRACED_ENV);
}

static int sink_event(void *arg, Sw__Event *ev)
{
	struct sw_engine *e = arg;
	if (note_untraced(e, ev) < 0)
		return -ENOMEM;
	if (!e->tw)
		return 0; /* decoded for note_untraced only */
	if (e->nevs == e->evs_cap) {
		size_t cap = e->evs_cap ? e->evs_cap * 2 : 1024;
		Sw__Event **v = cap <= 65536 ? realloc(e->evs, cap * sizeof(*v))
					     : NULL;
		if (!v) {
			sink_flush(e); /* write what we have, keep going */
		} else {
			e->evs = v;
			e->evs_cap = cap;
		}
	}
	/* Event times become monotonic nanoseconds in the trace. */
	ev->start = e->cur_cv.base_ns + sw_ticks_to_ns(&e->cur_cv, ev->start);
	ev->dur = sw_ticks_to_ns(&e->cur_cv, ev->dur);
	e->evs[e->nevs++] = ev;
	return 0;
}

/* Drain slot i's ring into the trace (or just past it without a trace). */
static void drain_slot(struct sw_engine *e, struct sw_segrec *r, uint32_t i,
		       int32_t tid, uint64_t *moved)
{
	struct sw_slot_header *sh = sw_seg_slot(&r->seg, i);
	struct sw_ring ring = {
		.bytes = sw_seg_ring(&r->seg, i),
		.size = r->seg.hdr.ring_size,
		.head = &sh->head,
		.tail = &sh->tail,
		.nrows = r->seg.hdr.nrows,
	};
	struct sw_event_sink sink = {sink_event, sink_flush, e,
				     e->tw ? NULL : sink_want};
	struct sw_drain_stats st = {0, 0};
	char err[200];

	/* A drain cut short by SIGBUS may have left events behind: drop them. */
	e->nevs = 0;
	sw_arena_reset(&e->arena);
	e->cur = r;
	e->cur_tid = tid;
	e->cur_cv = sw__tconv(e, r);
	int rc = sw_ring_drain(&ring, &e->arena, &sink, &st, err, sizeof(err));
	sink_flush(e);
	sw_arena_reset(&e->arena);
	*moved += st.bytes;
	if (rc == -EBADMSG && ++r->ring_errors <= SW_RING_ERRORS_SHOWN)
		sw_model_warn(e->m, "syswatch: %s: slot %u (thread %d): corrupt "
			      "event ring: %s; the events after it were skipped",
			      r->name, i, (int)tid, err);
}

/* --- harvesting ---------------------------------------------------------- */

/* Room for one more finished thread; 0 or -ENOMEM. */
static int fins_room(struct sw_engine *e)
{
	if (e->nfins < e->fins_cap)
		return 0;
	size_t cap = e->fins_cap ? e->fins_cap * 2 : 16;
	struct sw_fin *v = realloc(e->fins, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	e->fins = v;
	e->fins_cap = cap;
	return 0;
}

/* Keep the checked copy f (e->fins[e->nfins]) as a thread of its own, or
 * sum it into the segment's "more threads" record once the segment has
 * made as many thread records as we keep for one (slotcheck.c). */
static int keep(struct sw_engine *e, struct sw_segrec *r, struct sw_fin *f)
{
	if (r->threads_kept < SW_SEG_THREADS_KEPT &&
	    r->rows_kept + f->nrows <= SW_SEG_ROWS_KEPT) {
		r->threads_kept++;
		r->rows_kept += f->nrows;
		e->nfins++;
		return 0;
	}
	int rc = sw__fold_thread(r, f, r->seg.hdr.nrows);
	free(f->rows);
	return rc;
}

/* The summed record of the threads beyond the kept ones, as a finished
 * thread, when r's last pass is over; 0 or -ENOMEM. */
static int keep_fold(struct sw_engine *e, struct sw_segrec *r)
{
	if (!r->fold || fins_room(e) < 0)
		return r->fold ? -ENOMEM : 0;
	uint64_t n = r->folded;
	struct sw_fin *d = sw__fold_take(r);
	e->fins[e->nfins++] = *d;
	free(d);
	return sw_model_warn(e->m, "syswatch: process %d (%s): %" PRIu64 " threads beyond the "
			     "first %u are counted together (thread %d/%d, \"more threads\")",
			     (int)r->pid, r->proc.command, n, r->threads_kept, (int)r->pid,
			     SW_TID_FOLDED);
}

/* Copy slot i (counters, drops, identity) into a new finished thread,
 * if that copy is plausible (else say so and leave it out). */
static int snapshot(struct sw_engine *e, struct sw_segrec *r, uint32_t i)
{
	struct sw_slot_header *sh = sw_seg_slot(&r->seg, i);
	const struct sw_counter *c = sw_seg_counters(&r->seg, i);
	uint32_t nrows = r->seg.hdr.nrows, n = 0;

	if (fins_room(e) < 0)
		return -ENOMEM;
	struct sw_fin *f = &e->fins[e->nfins];
	memset(f, 0, sizeof(*f));
	for (uint32_t k = 0; k < nrows; k++)
		n += c[k].calls != 0;
	f->rows = calloc(n ? n : 1, sizeof(*f->rows));
	if (!f->rows)
		return -ENOMEM;
	for (uint32_t k = 0; k < nrows && f->nrows < n; k++) {
		if (!c[k].calls)
			continue;
		f->rows[f->nrows].row = k;
		memcpy(&f->rows[f->nrows].c, &c[k], sizeof(c[k]));
		f->nrows++;
	}
	f->pid = r->pid;
	f->epoch = r->epoch;
	f->tid = __atomic_load_n(&sh->tid, __ATOMIC_RELAXED);
	memcpy(f->name, sh->name, sizeof(f->name));
	f->name[sizeof(f->name) - 1] = '\0';
	f->clock = r->seg.hdr.clock;
	f->base_ticks = r->seg.hdr.base_ticks;
	f->base_mono_ns = r->seg.hdr.base_mono_ns;
	f->start_ticks = sh->start_ticks;
	f->end_ticks = sh->end_ticks;
	for (int k = 0; k < SW_DROP_NCAUSES; k++)
		f->dropped[k] = sh->dropped[k];
	f->events = sh->events;
	/* Checked on our copy: the segment may change under us. */
	char buf[96];
	const char *why = sw__fin_wrong(f, sw__seg_age_ticks(r), buf, sizeof(buf));
	if (why) {
		sw__slot_refused(e, r, i, f->tid, why);
		free(f->rows);
		return 0;
	}
	if (!f->nrows && !f->events && !sw__fin_drops(f)) {
		free(f->rows); /* claimed, nothing counted: adds nothing */
		return 0;
	}
	return keep(e, r, f);
}

/* The thread of slot i has exited: keep its data and give the slot back. */
static int harvest(struct sw_engine *e, struct sw_segrec *r, uint32_t i)
{
	struct sw_slot_header *sh = sw_seg_slot(&r->seg, i);
	int rc = snapshot(e, r, i);
	if (rc < 0)
		return rc;
	/* Nobody writes an EXITED slot: zero it, then publish FREE. */
	memset(sw_seg_counters(&r->seg, i), 0,
	       (size_t)r->seg.hdr.nrows * r->seg.hdr.counter_size);
	memset(sh->dropped, 0, sizeof(sh->dropped));
	sh->events = 0;
	__atomic_store_n(&sh->head, 0, __ATOMIC_RELAXED);
	__atomic_store_n(&sh->tail, 0, __ATOMIC_RELAXED);
	uint32_t expect = SW_SLOT_EXITED;
	__atomic_compare_exchange_n(&sh->state, &expect, SW_SLOT_FREE, false,
				    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
	return 0;
}

/* Make room for views of slots [0, used). */
static int grow_views(struct sw_segrec *r, uint32_t used)
{
	if (used <= r->nviews)
		return 0;
	struct sw_slotview *v = realloc(r->slots, used * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(v + r->nviews, 0, (used - r->nviews) * sizeof(*v));
	r->slots = v;
	r->nviews = used;
	return 0;
}

struct pass_ctx {
	struct sw_engine *e;
	struct sw_segrec *r;
	bool final;
	uint64_t *moved;
};

/* Runs under the SIGBUS guard: only touches the mapping, the views, the
 * engine's finished-thread list (whose entries are complete before they
 * are counted), the segment's summed record and the model's warnings
 * (neither is touched while the mapping is being read). */
static int pass_guarded(void *arg)
{
	struct pass_ctx *p = arg;
	struct sw_engine *e = p->e;
	struct sw_segrec *r = p->r;
	uint32_t used = sw_seg_slots_used(&r->seg);
	int rc = grow_views(r, used);
	if (rc < 0)
		return rc;
	for (uint32_t i = 0; i < used; i++) {
		struct sw_slot_header *sh = sw_seg_slot(&r->seg, i);
		struct sw_slotview *v = &r->slots[i];
		uint32_t state = __atomic_load_n(&sh->state, __ATOMIC_ACQUIRE);
		if (state != SW_SLOT_ACTIVE && state != SW_SLOT_EXITED) {
			v->tracked = false;
			continue;
		}
		uint32_t gen = __atomic_load_n(&sh->gen, __ATOMIC_RELAXED);
		int32_t tid = __atomic_load_n(&sh->tid, __ATOMIC_RELAXED);
		/* A claim seen half-way may show the old gen or no tid yet:
		 * the view only names the events' thread, and is corrected
		 * on the next pass; counters are read only at harvest. */
		if (!v->tracked || v->gen != gen || v->tid != tid) {
			v->tracked = true;
			v->gen = gen;
			v->tid = tid;
		}
		drain_slot(e, r, i, tid, p->moved);
		if (state == SW_SLOT_EXITED && v->harvested && v->hgen == gen) {
			/* Harvested, and EXITED again without a new claim: no
			 * thread of the shim does that. Once is enough to say. */
			if (!v->refused)
				sw__slot_refused(e, r, i, tid, "set to exited again "
						 "without a new thread");
			v->refused = true;
			continue;
		}
		if (state == SW_SLOT_EXITED) {
			rc = harvest(e, r, i);
			v->tracked = false;
			v->harvested = true;
			v->refused = false;
			v->hgen = gen;
		} else if (p->final) {
			rc = snapshot(e, r, i);
			v->tracked = false;
		}
		if (rc < 0)
			return rc;
	}
	return p->final ? keep_fold(e, r) : 0;
}

int sw__slots_pass(struct sw_engine *e, struct sw_segrec *r, bool final,
		   uint64_t *moved)
{
	struct pass_ctx p = {e, r, final, moved};
	return sw_seg_guard(pass_guarded, &p);
}

/* --- conversion ---------------------------------------------------------- */

/* Ticks of an absolute segment time → monotonic ns. */
static uint64_t abs_ns(const struct sw_tconv *cv, uint64_t base_ticks,
		       uint64_t ticks)
{
	if (ticks == 0)
		return 0;
	if (ticks < base_ticks)
		return cv->base_ns;
	return cv->base_ns + sw_ticks_to_ns(cv, ticks - base_ticks);
}

static int freeze_one(struct sw_engine *e, struct sw_fin *f)
{
	struct sw_tconv cv = {
		.clock = f->clock,
		.ns_per_tick = e->cal.ns_per_tick > 0.0 ? e->cal.ns_per_tick : 1.0,
		.base_ns = f->base_mono_ns,
	};
	struct sw_rowval *rows = calloc(f->nrows ? f->nrows : 1, sizeof(*rows));
	if (!rows)
		return -ENOMEM;
	for (uint32_t k = 0; k < f->nrows; k++) {
		rows[k].row = f->rows[k].row;
		sw_counter_to_rowstat(&f->rows[k].c, &cv, &rows[k].st);
	}
	struct sw_thread_rec t = {
		.pid = f->pid,
		.epoch = f->epoch,
		.tid = f->tid,
		.start_ns = abs_ns(&cv, f->base_ticks, f->start_ticks),
		.end_ns = abs_ns(&cv, f->base_ticks, f->end_ticks),
		.events = f->events,
		.nrows = f->nrows,
		.rows = rows,
	};
	memcpy(t.name, f->name, sizeof(t.name));
	memcpy(t.dropped, f->dropped, sizeof(t.dropped));
	if (e->tw)
		sw_trace_thread(e->tw, &t); /* errors are sticky in tw */
	int rc = sw_model_add_thread(e->m, &t);
	free(rows);
	return rc;
}

int sw__fins_freeze(struct sw_engine *e, bool force)
{
	bool tsc_ok = sw_tsc_cal_span(&e->cal) >= SW_CAL_MIN_NS;
	size_t keep = 0;
	int rc = 0;
	for (size_t i = 0; i < e->nfins; i++) {
		struct sw_fin *f = &e->fins[i];
		if (rc == 0 && (force || tsc_ok || f->clock != SW_CLOCK_TSC)) {
			rc = freeze_one(e, f);
			free(f->rows);
			continue;
		}
		e->fins[keep++] = *f;
	}
	e->nfins = keep;
	return rc;
}
