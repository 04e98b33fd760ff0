/*
 * engine.c - segments of a session: discovery, liveness, retirement, and
 * the end of the traced tree (see engine.h; slots are in slots.c).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "engine_int.h"
#include "tsc_ref.h"
#include "proc.h"

#define LIVENESS_EVERY_NS 50000000ull  /* /proc sweep period */
#define FORK_GRACE_NS 2000000000ull    /* wait for a forked child's segment */
#define ARENA_SIZE (1u << 20)

/* --- the (pid, epoch) index ---------------------------------------------- */

static size_t hash_key(int32_t pid, uint32_t epoch, size_t size)
{
	uint64_t k = ((uint64_t)(uint32_t)pid << 32) | epoch;
	k *= 0x9e3779b97f4a7c15ull;
	return (size_t)(k >> 20) & (size - 1);
}

static struct sw_segrec *find(const struct sw_engine *e, int32_t pid,
			      uint32_t epoch)
{
	if (!e->hash_size)
		return NULL;
	for (size_t h = hash_key(pid, epoch, e->hash_size);; h = (h + 1) & (e->hash_size - 1)) {
		uint32_t idx = e->hash[h];
		if (!idx)
			return NULL;
		struct sw_segrec *r = e->segs[idx - 1];
		if (r->pid == pid && r->epoch == epoch)
			return r;
	}
}

/* Point (pid, epoch) at segs[idx], replacing an older incarnation. */
static void hash_put(struct sw_engine *e, size_t idx)
{
	const struct sw_segrec *r = e->segs[idx];
	for (size_t h = hash_key(r->pid, r->epoch, e->hash_size);; h = (h + 1) & (e->hash_size - 1)) {
		uint32_t cur = e->hash[h];
		if (!cur || (e->segs[cur - 1]->pid == r->pid &&
			     e->segs[cur - 1]->epoch == r->epoch)) {
			e->hash[h] = (uint32_t)idx + 1;
			return;
		}
	}
}

static int add_segrec(struct sw_engine *e, struct sw_segrec *r)
{
	if (e->nsegs == e->segs_cap) {
		size_t cap = e->segs_cap ? e->segs_cap * 2 : 64;
		struct sw_segrec **v = realloc(e->segs, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		e->segs = v;
		e->segs_cap = cap;
	}
	if ((e->nsegs + 1) * 2 > e->hash_size) {
		size_t size = e->hash_size ? e->hash_size * 2 : 256;
		uint32_t *h = calloc(size, sizeof(*h));
		if (!h)
			return -ENOMEM;
		free(e->hash);
		e->hash = h;
		e->hash_size = size;
		for (size_t i = 0; i < e->nsegs; i++)
			hash_put(e, i);
	}
	e->segs[e->nsegs] = r;
	hash_put(e, e->nsegs);
	e->nsegs++;
	return 0;
}

/* --- lifecycle ----------------------------------------------------------- */

int sw_engine_new(struct sw_engine **out, const struct sw_engine_opts *o)
{
	struct sw_engine *e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	e->sess = o->session;
	e->m = o->model;
	e->tw = o->trace;
	e->root_pid = o->root_pid;
	sw_tsc_cal_init(&e->cal);
	if (o->userdir && strlen(o->userdir) < sizeof(e->userdir))
		strcpy(e->userdir, o->userdir);
	if (e->userdir[0])
		sw_tsc_ref_load(&e->cal, e->userdir);
	/* The arena is needed without a trace too: exec events are always
	 * decoded (untraced children). */
	if (sw_arena_init(&e->arena, ARENA_SIZE) < 0) {
		free(e);
		return -ENOMEM;
	}
	e->last_new_ns = sw_mono_ns();
	*out = e;
	return 0;
}

void sw_engine_free(struct sw_engine *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nsegs; i++) {
		sw__segrec_unmap(e->segs[i]);
		free(e->segs[i]->slots);
		if (e->segs[i]->fold)
			free(e->segs[i]->fold->rows);
		free(e->segs[i]->fold);
		free(e->segs[i]->exec_path);
		free(e->segs[i]);
	}
	for (size_t i = 0; i < e->nfins; i++)
		free(e->fins[i].rows);
	free(e->segs);
	free(e->hash);
	free(e->fins);
	free(e->reaped);
	free(e->evs);
	sw_arena_free(&e->arena);
	free(e);
}

/* --- discovery ----------------------------------------------------------- */

static void proc_from_header(struct sw_segrec *r)
{
	const struct sw_seg_header *h = &r->seg.hdr;
	struct sw_proc_rec *p = &r->proc;
	memset(p, 0, sizeof(*p));
	p->pid = h->pid;
	p->ppid = h->ppid;
	p->epoch = h->epoch;
	memcpy(p->command, h->comm, sizeof(p->command));
	memcpy(p->exe, h->exe, sizeof(p->exe));
	p->start_ns = h->base_mono_ns;
	sw_proc_set_cwd(p, h->cwd);
	uint64_t mode = h->mode;
	p->mode = mode <= SW_MODE_COMPLETE ? (uint32_t)mode : SW_MODE_UNKNOWN;
}

/* Try to open r's file; it may not be ready yet. */
static int try_open(struct sw_engine *e, struct sw_segrec *r)
{
	char err[200];
	int rc = sw_seg_open(&r->seg, e->sess->dirfd, r->name, r->pid, r->epoch,
			     err, sizeof(err));
	if (rc == -EAGAIN)
		return 0;
	struct stat st;
	if (fstatat(e->sess->dirfd, r->name, &st, AT_SYMLINK_NOFOLLOW) == 0)
		r->ino = st.st_ino;
	if (rc < 0) {
		r->state = SW_SEGREC_BAD;
		e->m->segs_skipped++;
		return sw_model_warn(e->m, "syswatch: %s/%s: %s; segment skipped",
				     e->sess->path, r->name, err);
	}
	r->state = SW_SEGREC_OPEN;
	r->mapped = true;
	/* The root polls for report_done only while its collector lives. */
	__atomic_store_n(&sw_seg_live(&r->seg)->collector_pid, (int32_t)getpid(),
			 __ATOMIC_RELEASE);
	r->root = e->root_pid && r->pid == e->root_pid;
	proc_from_header(r);
	if (r->seg.hdr.clock == SW_CLOCK_TSC) {
		e->any_tsc = true;
		sw_tsc_cal_offer(&e->cal, r->seg.hdr.base_ticks,
				 r->seg.hdr.base_mono_ns);
	}
	if (!e->start_ns || r->seg.hdr.base_mono_ns < e->start_ns)
		e->start_ns = r->seg.hdr.base_mono_ns;
	e->last_new_ns = sw_mono_ns();
	if (e->tw)
		sw_trace_process(e->tw, &r->proc);
	return sw_model_put_process(e->m, &r->proc);
}

/* A name that refers to a segment we are done with, or to a new file
 * under the same name (the pid was reused after we removed the old one)? */
static bool same_file(struct sw_engine *e, const struct sw_segrec *r)
{
	struct stat st;
	if (fstatat(e->sess->dirfd, r->name, &st, AT_SYMLINK_NOFOLLOW) < 0)
		return true;
	return (uint64_t)st.st_ino == r->ino;
}

static int on_name(void *arg, const char *name, int32_t pid, uint32_t epoch)
{
	struct sw_engine *e = arg;
	struct sw_segrec *r = find(e, pid, epoch);
	if (r && (r->state == SW_SEGREC_OPEN ||
		  ((r->state == SW_SEGREC_RETIRED || r->state == SW_SEGREC_BAD) &&
		   same_file(e, r))))
		return 0;
	if (!r || r->state != SW_SEGREC_WAITING) {
		r = calloc(1, sizeof(*r));
		if (!r)
			return -ENOMEM;
		r->pid = pid;
		r->epoch = epoch;
		r->state = SW_SEGREC_WAITING;
		r->seg.fd = -1;
		r->first_seen_ns = sw_mono_ns();
		snprintf(r->name, sizeof(r->name), "%s", name);
		int rc = add_segrec(e, r);
		if (rc < 0) {
			free(r);
			return rc;
		}
	}
	return try_open(e, r);
}

/* --- passes -------------------------------------------------------------- */

int sw_engine_pass(struct sw_engine *e, uint64_t *moved)
{
	*moved = 0;
	if (e->fatal)
		return e->fatal;
	sw_tsc_cal_sample(&e->cal);
	int rc = sw_session_scan(e->sess, on_name, e);
	if (rc < 0 && rc != -ENOMEM)
		rc = 0; /* a failed scan is retried next pass */
	for (size_t i = 0; rc == 0 && i < e->nsegs; i++) {
		struct sw_segrec *r = e->segs[i];
		if (r->state != SW_SEGREC_OPEN) /* WAITING: retried by the scan */
			continue;
		rc = sw__slots_pass(e, r, false, moved);
		if (rc == -EFAULT)
			rc = sw__retire(e, r, moved);
	}
	uint64_t now = sw_mono_ns();
	if (rc == 0 && (e->check_now || now - e->last_live_ns >= LIVENESS_EVERY_NS)) {
		e->check_now = false;
		e->last_live_ns = now;
		rc = sw__sweep(e, moved);
	}
	if (rc == 0)
		rc = sw__fins_freeze(e, false);
	if (rc < 0)
		e->fatal = rc;
	return rc;
}

/* --- the end ------------------------------------------------------------- */

static struct sw_segrec *root_latest(const struct sw_engine *e)
{
	struct sw_segrec *best = NULL;
	for (size_t i = 0; i < e->nsegs; i++) {
		struct sw_segrec *r = e->segs[i];
		if (r->root && (r->state == SW_SEGREC_OPEN || r->state == SW_SEGREC_RETIRED) &&
		    (!best || r->epoch >= best->epoch))
			best = r;
	}
	return best;
}

bool sw_engine_tree_done(struct sw_engine *e, uint64_t quiet_ns)
{
	uint64_t now = sw_mono_ns();
	struct sw_segrec *root = root_latest(e);
	bool root_over;
	if (!root || !root->mapped) {
		root_over = !sw_proc_alive(e->root_pid, 0);
	} else {
		struct sw_live_hdr c;
		root_over = sw__read_live(root, &c, false) < 0 ||
			    c.state == SW_SEG_EXITED || c.state == SW_SEG_RELEASED ||
			    !sw_proc_alive(root->pid, root->seg.hdr.proc_start);
	}
	if (!root_over)
		return false;

	bool waiting = false;
	for (size_t i = 0; i < e->nsegs && !waiting; i++) {
		struct sw_segrec *r = e->segs[i];
		struct sw_live_hdr c;
		/* A process whose segment is still being written counts. */
		if (r->state == SW_SEGREC_WAITING && sw_proc_alive(r->pid, 0))
			waiting = true;
		if (r->state != SW_SEGREC_OPEN || sw__read_live(r, &c, false) < 0)
			continue;
		if (!r->root && sw_proc_alive(r->pid, r->seg.hdr.proc_start))
			waiting = true;
		/* A child forked moments ago may not have its segment yet. */
		int32_t child = c.forked_child;
		if (!waiting && child > 0 && now - e->last_new_ns < FORK_GRACE_NS &&
		    !find(e, child, 0) && sw_proc_alive(child, 0))
			waiting = true;
	}
	if (waiting) {
		if (!e->root_told_wait)
			sw_engine_report_done(e, 2);
		e->root_told_wait = true;
		return false;
	}
	return now - e->last_new_ns >= quiet_ns;
}

/* A process that ran uncounted: say why (once per note). */
static int fail_note(void *arg, const struct sw_fail_note *f)
{
	return sw__warn_fail_note(arg, f);
}

int sw_engine_finish(struct sw_engine *e)
{
	uint64_t moved = 0;
	if (e->fatal)
		return e->fatal;
	sw_tsc_cal_sample(&e->cal);
	if (e->any_tsc && e->userdir[0])
		sw_tsc_ref_save(&e->cal, e->userdir, e->cal.ref_bad);
	uint64_t span = sw_tsc_cal_span(&e->cal);
	if (e->any_tsc && span < SW_CAL_MIN_NS) {
		uint64_t left = SW_CAL_MIN_NS - span;
		struct timespec ts = {0, (long)left};
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
	int rc = sw_engine_pass(e, &moved);
	for (size_t i = 0; rc == 0 && i < e->nsegs; i++) {
		struct sw_segrec *r = e->segs[i];
		if (r->state == SW_SEGREC_OPEN)
			rc = sw__retire(e, r, &moved);
		else if (r->state == SW_SEGREC_WAITING && ++e->m->segs_skipped)
			rc = sw_model_warn(e->m, "syswatch: %s/%s: its process "
					   "never finished writing the header; "
					   "segment skipped", e->sess->path,
					   r->name);
	}
	if (rc == 0)
		rc = sw__fins_freeze(e, true);
	if (rc == 0)
		rc = sw__untraced_finish(e);
	if (rc == 0) {
		rc = sw_session_scan_fails(e->sess, fail_note, e);
		if (rc != -ENOMEM)
			rc = 0; /* unreadable directory: no note to tell */
	}
	if (rc < 0)
		e->fatal = rc;
	return rc;
}

struct done_ctx {
	struct sw_segrec *r;
	uint32_t value;
};

static int report_done_guarded(void *arg)
{
	struct done_ctx *c = arg;
	__atomic_store_n(&sw_seg_live(&c->r->seg)->report_done, c->value,
			 __ATOMIC_RELEASE);
	return 0;
}

void sw_engine_report_done(struct sw_engine *e, uint32_t value)
{
	for (size_t i = 0; i < e->nsegs; i++) {
		struct sw_segrec *r = e->segs[i];
		if (!r->root || !r->mapped)
			continue;
		struct done_ctx c = {.r = r, .value = value};
		sw_seg_guard(report_done_guarded, &c);
	}
}

uint64_t sw_engine_start_ns(const struct sw_engine *e)
{
	return e->start_ns;
}
