/*
 * retire.c - the end of a segment: when its process image is over (gone,
 * or replaced by exec), read it one last time, release it, report how the
 * process ended, and give its memory back.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "engine_int.h"
#include "proc.h"

static const int *reaped_status(const struct sw_engine *e, int32_t pid)
{
	for (size_t i = e->nreaped; i-- > 0;)
		if (e->reaped[i].pid == pid)
			return &e->reaped[i].status;
	return NULL;
}

static int wait_status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 255;
}

/* p ended with wait status st. */
static void set_status(struct sw_proc_rec *p, int st)
{
	p->has_exit = true;
	p->exit_status = wait_status_code(st);
	p->signal = WIFSIGNALED(st) ? WTERMSIG(st) : 0;
}

/* Fill in how r's process image ended. */
static void proc_end(struct sw_engine *e, struct sw_segrec *r, uint32_t state,
		     int32_t exit_status, uint64_t end_ticks, uint32_t lost)
{
	struct sw_proc_rec *p = &r->proc;
	struct sw_tconv cv = sw__tconv(e, r);
	uint64_t base = r->seg.hdr.base_ticks;
	p->end_ns = end_ticks >= base && end_ticks
			    ? cv.base_ns + sw_ticks_to_ns(&cv, end_ticks - base)
			    : sw_mono_ns();
	p->threads_lost = lost;
	if (state == SW_SEG_EXECED)
		return; /* the process went on in the next epoch */
	const int *st = reaped_status(e, r->pid);
	int zst;
	if (st) {
		set_status(p, *st);
	} else if (state != SW_SEG_EXITED &&
		   (zst = sw_proc_zombie_status(r->pid, r->seg.hdr.proc_start)) >= 0) {
		/* Not ours to reap (a child of a traced shell, or the program
		 * of a plain LD_PRELOAD run) and it never reached exit: read
		 * how it ended while it is a zombie, if its parent is slower
		 * than us. */
		set_status(p, zst);
	} else if (state == SW_SEG_RUNNING &&
		   !sw_proc_alive(r->pid, r->seg.hdr.proc_start)) {
		/* Gone without exit(), _exit() or the destructors: a signal
		 * killed it (a raw exit_group syscall aside), and its parent
		 * reaped it before we could read which one. */
		p->signal = SW_SIGNAL_UNKNOWN;
	} else if (state == SW_SEG_EXITED) {
		p->has_exit = true;
		p->exit_status = exit_status;
	}
}

static int read_live_guarded(void *arg)
{
	struct sw_live_hdr *c = arg;
	struct sw_seg_header *h = sw_seg_live(&c->r->seg);
	c->state = __atomic_load_n(&h->state, __ATOMIC_ACQUIRE);
	c->exit_status = h->exit_status;
	c->end_ticks = h->end_ticks;
	c->lost = h->threads_lost;
	c->nospace = h->threads_nospace;
	c->nomap = h->threads_nomap;
	c->slot_errno = h->slot_errno;
	c->forked_child = __atomic_load_n(&h->forked_child, __ATOMIC_RELAXED);
	if (c->release)
		__atomic_store_n(&h->state, SW_SEG_RELEASED, __ATOMIC_RELEASE);
	return 0;
}

int sw__read_live(struct sw_segrec *r, struct sw_live_hdr *c, bool release)
{
	memset(c, 0, sizeof(*c));
	c->r = r;
	c->release = release;
	return sw_seg_guard(read_live_guarded, c);
}

int sw__retire(struct sw_engine *e, struct sw_segrec *r, uint64_t *moved)
{
	struct sw_live_hdr c = {0};
	int rc = sw__slots_pass(e, r, true, moved);
	if (rc == 0)
		rc = sw__read_live(r, &c, true);
	if (rc == -ENOMEM)
		return rc;
	if (rc == -EFAULT)
		sw_model_warn(e->m, "syswatch: %s/%s: the segment was truncated "
			      "while being read; part of its data is lost",
			      e->sess->path, r->name);
	else if (rc < 0) /* c was not read */
		sw_model_warn(e->m, "syswatch: %s/%s: cannot read the segment: %s; "
			      "part of its data is lost", e->sess->path, r->name,
			      strerror(-rc));
	else
		proc_end(e, r, c.state, c.exit_status, c.end_ticks, c.lost);
	if (rc == 0 && (c.nospace || c.nomap))
		(void)sw__warn_uncounted_threads(e, r, c.nospace, c.nomap, c.slot_errno);
	if (rc == 0 && c.state == SW_SEG_EXECED && sw__untraced_image(e, r) < 0)
		return -ENOMEM;
	free(r->exec_path);
	r->exec_path = NULL;
	if (r->ring_errors > SW_RING_ERRORS_SHOWN)
		sw_model_warn(e->m, "syswatch: %s/%s: %u more corrupt rings",
			      e->sess->path, r->name,
			      r->ring_errors - SW_RING_ERRORS_SHOWN);
	r->state = SW_SEGREC_RETIRED;
	free(r->slots);
	r->slots = NULL;
	r->nviews = 0;
	if (!r->root || rc == -EFAULT) {
		sw__segrec_unmap(r);
		/* Its memory goes back now, not at the end of a long run. */
		unlinkat(e->sess->dirfd, r->name, 0);
	}
	if (e->tw)
		sw_trace_process(e->tw, &r->proc);
	return sw_model_put_process(e->m, &r->proc);
}

/* Has r's process image (whose header state is `state`) ended for good? */
static bool image_over(struct sw_engine *e, struct sw_segrec *r, uint32_t state)
{
	if (state == SW_SEG_EXECED) {
		/* The exec worked once the next image made its segment. */
		for (size_t i = 0; i < e->nsegs; i++)
			if (e->segs[i]->pid == r->pid &&
			    e->segs[i]->epoch > r->epoch &&
			    e->segs[i]->state != SW_SEGREC_WAITING)
				return true;
	}
	return !sw_proc_alive(r->pid, r->seg.hdr.proc_start);
}

int sw__sweep(struct sw_engine *e, uint64_t *moved)
{
	for (size_t i = 0; i < e->nsegs; i++) {
		struct sw_segrec *r = e->segs[i];
		struct sw_live_hdr c;
		if (r->state != SW_SEGREC_OPEN || r->root)
			continue;
		if (sw__read_live(r, &c, false) < 0 || image_over(e, r, c.state)) {
			int rc = sw__retire(e, r, moved);
			if (rc < 0)
				return rc;
		}
	}
	return 0;
}

void sw_engine_reaped(struct sw_engine *e, pid_t pid, int wstatus)
{
	if (e->nreaped == e->reaped_cap) {
		size_t cap = e->reaped_cap ? e->reaped_cap * 2 : 32;
		void *v = realloc(e->reaped, cap * sizeof(*e->reaped));
		if (!v)
			return; /* the header's exit status will do */
		e->reaped = v;
		e->reaped_cap = cap;
	}
	e->reaped[e->nreaped].pid = pid;
	e->reaped[e->nreaped].status = wstatus;
	e->nreaped++;
	e->check_now = true;
	/* Already retired (seen as a zombie before we reaped it)? */
	struct sw_segrec *last = NULL;
	for (size_t i = 0; i < e->nsegs; i++)
		if (e->segs[i]->pid == pid && e->segs[i]->state == SW_SEGREC_RETIRED &&
		    (!last || e->segs[i]->epoch >= last->epoch))
			last = e->segs[i];
	if (last && !(last->proc.has_exit &&
		      last->proc.exit_status == wait_status_code(wstatus))) {
		set_status(&last->proc, wstatus);
		if (e->tw)
			sw_trace_process(e->tw, &last->proc);
		sw_model_put_process(e->m, &last->proc);
	}
}
