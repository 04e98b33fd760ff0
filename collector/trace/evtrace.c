/*
 * evtrace.c - per-thread event streams of a trace (see evtrace.h).
 */
#include "evtrace.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "evfiles.h"
#include "net_addr.h"
#include "strpool.h"

#define NO_INDEX UINT32_MAX

void sw_evtrace_init(struct sw_evtrace *t, const struct sw_model *m)
{
	memset(t, 0, sizeof(*t));
	t->model = m;
	t->row_futex = t->row_sleep = SW_NO_ROW;
}

static uint64_t thread_hash(int32_t pid, uint32_t epoch, int32_t tid)
{
	uint64_t h = ((uint64_t)(uint32_t)pid << 32) ^ (uint64_t)(uint32_t)tid ^
		     ((uint64_t)epoch << 20);
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdull;
	h ^= h >> 33;
	return h;
}

static int index_grow(struct sw_evtrace *t)
{
	size_t cap = t->index_cap ? t->index_cap * 2 : 256;
	uint32_t *v = malloc(cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	memset(v, 0xff, cap * sizeof(*v));
	for (size_t i = 0; i < t->nthreads; i++) {
		const struct sw_evthread *th = &t->threads[i];
		size_t j = thread_hash(th->pid, th->epoch, th->tid) & (cap - 1);
		while (v[j] != NO_INDEX)
			j = (j + 1) & (cap - 1);
		v[j] = (uint32_t)i;
	}
	free(t->index);
	t->index = v;
	t->index_cap = cap;
	return 0;
}

long sw_evtrace_find(const struct sw_evtrace *t, int32_t pid, uint32_t epoch,
		     int32_t tid)
{
	if (!t->index_cap)
		return -1;
	size_t j = thread_hash(pid, epoch, tid) & (t->index_cap - 1);
	for (; t->index[j] != NO_INDEX; j = (j + 1) & (t->index_cap - 1)) {
		const struct sw_evthread *th = &t->threads[t->index[j]];
		if (th->pid == pid && th->epoch == epoch && th->tid == tid)
			return (long)t->index[j];
	}
	return -1;
}

/* The thread (pid, epoch, tid), created if new; NULL if out of memory. */
static struct sw_evthread *thread_get(struct sw_evtrace *t, int32_t pid,
				      uint32_t epoch, int32_t tid)
{
	long i = sw_evtrace_find(t, pid, epoch, tid);
	if (i >= 0)
		return &t->threads[i];
	if (t->nthreads == t->threads_cap) {
		size_t cap = t->threads_cap ? t->threads_cap * 2 : 64;
		struct sw_evthread *v = realloc(t->threads, cap * sizeof(*v));
		if (!v)
			return NULL;
		t->threads = v;
		t->threads_cap = cap;
	}
	if (2 * (t->nthreads + 1) > t->index_cap && index_grow(t) < 0)
		return NULL;
	struct sw_evthread *th = &t->threads[t->nthreads];
	memset(th, 0, sizeof(*th));
	th->pid = pid;
	th->epoch = epoch;
	th->tid = tid;
	size_t j = thread_hash(pid, epoch, tid) & (t->index_cap - 1);
	while (t->index[j] != NO_INDEX)
		j = (j + 1) & (t->index_cap - 1);
	t->index[j] = (uint32_t)t->nthreads++;
	return th;
}

static int reserve(struct sw_evthread *th, size_t more)
{
	if (th->nev + more <= th->ev_cap)
		return 0;
	size_t cap = th->ev_cap ? th->ev_cap : 256;
	while (cap < th->nev + more)
		cap *= 2;
	struct sw_ev *v = realloc(th->ev, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	th->ev = v;
	th->ev_cap = cap;
	return 0;
}

int sw_evtrace_add(struct sw_evtrace *t, int32_t pid, uint32_t epoch,
		   int32_t tid, const struct sw_ev *ev, size_t n)
{
	struct sw_evthread *th = thread_get(t, pid, epoch, tid);
	if (!th || reserve(th, n) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		struct sw_ev e = ev[i];
		if (e.path && !(e.path = sw_evtrace_intern(t, e.path, SIZE_MAX)))
			return -ENOMEM;
		if (e.sockaddr &&
		    !(e.sockaddr = sw_evtrace_intern(t, e.sockaddr, SIZE_MAX)))
			return -ENOMEM;
		e.file = NULL;
		e.peer = NULL;
		e.peer_kind = SW_PEER_NONE;
		e.flags &= ~(uint32_t)SW_EVF_SOCK;
		th->gaps += e.gap;
		th->ev[th->nev++] = e;
	}
	return 0;
}

int sw_evtrace_counters(struct sw_evtrace *t, int32_t pid, uint32_t epoch,
			int32_t tid, const char *name, uint64_t start_ns,
			uint64_t end_ns, uint64_t dropped, uint64_t written)
{
	struct sw_evthread *th = thread_get(t, pid, epoch, tid);
	if (!th)
		return -ENOMEM;
	/* A tid reused within one process image: the claims add up. */
	if (!th->has_counters || (start_ns && start_ns < th->start_ns))
		th->start_ns = start_ns;
	if (!th->has_counters || end_ns == 0 || (th->end_ns && end_ns > th->end_ns))
		th->end_ns = end_ns;
	if (name && *name)
		snprintf(th->name, sizeof(th->name), "%s", name);
	th->dropped += dropped;
	th->written += written;
	th->has_counters = true;
	return 0;
}

/* --- the reader's sink ------------------------------------------------- */

static int on_batch(void *arg, const Sw__EventBatch *b)
{
	struct sw_evtrace *t = arg;
	struct sw_evthread *th = thread_get(t, b->pid, b->epoch, b->tid);
	if (!th || reserve(th, b->n_events) < 0)
		return -ENOMEM;
	for (size_t i = 0; i < b->n_events; i++) {
		const Sw__Event *s = b->events[i];
		struct sw_ev e;
		memset(&e, 0, sizeof(e));
		if (!s->has_row || !s->has_start)
			return -EBADMSG;
		e.start = s->start;
		e.end = s->start + s->dur;
		if (e.end < e.start)
			return -EBADMSG;
		e.result = s->result;
		e.row = s->row;
		e.fn = s->fn;
		if (s->has_err) {
			e.err = s->err;
			e.flags |= SW_EVF_FAILED;
		}
		if (s->has_fd) {
			e.fd = s->fd;
			e.flags |= SW_EVF_FD;
		}
		if (s->has_addr) {
			e.addr = s->addr;
			e.flags |= SW_EVF_ADDR;
		}
		if (s->has_aux) {
			e.aux = s->aux;
			e.flags |= SW_EVF_AUX;
		}
		e.gap = s->has_gap ? s->gap : 0;
		if (s->has_path && s->path.len > 0 &&
		    !(e.path = sw_evtrace_intern(t, (const char *)s->path.data,
						 s->path.len)))
			return -ENOMEM;
		if (s->has_sockaddr && s->sockaddr.len > 0) {
			/* untrusted bytes: formatted (or "invalid ...") here */
			char text[SW_SOCKADDR_TEXT];
			sw_sockaddr_format(s->sockaddr.data, s->sockaddr.len,
					   text, sizeof(text));
			if (!(e.sockaddr = sw_evtrace_intern(t, text, SIZE_MAX)))
				return -ENOMEM;
		}
		th->gaps += e.gap;
		th->ev[th->nev++] = e;
	}
	return 0;
}

static int on_counters(void *arg, const Sw__ThreadCounters *tc)
{
	uint64_t dropped = 0;
	for (size_t i = 0; i < tc->n_dropped; i++)
		dropped += tc->dropped[i];
	return sw_evtrace_counters(arg, tc->pid, tc->epoch, tc->tid, tc->name,
				   tc->start_ns, tc->has_end_ns ? tc->end_ns : 0,
				   dropped, tc->events);
}

struct sw_trace_sink sw_evtrace_sink(struct sw_evtrace *t)
{
	return (struct sw_trace_sink){on_batch, on_counters, t};
}

/* --- finishing ---------------------------------------------------------- */

static int by_start(const void *a, const void *b)
{
	const struct sw_ev *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	return x->end < y->end ? -1 : x->end > y->end;
}

static int add_hole(struct sw_evthread *th, uint64_t from, uint64_t to,
		    enum sw_hole_why why, uint64_t lost)
{
	struct sw_hole *v = realloc(th->holes, (th->nholes + 1) * sizeof(*v));
	if (!v)
		return -ENOMEM;
	th->holes = v;
	th->holes[th->nholes++] = (struct sw_hole){from, to, why, lost};
	return 0;
}

/* Where th's stream is missing events (DESIGN.md: nothing invented). A
 * gap on an event: the hole runs from the end of the event before it (or
 * the thread's start) to its start. Drops the gaps do not account for
 * came after the last event. Anything that does not add up makes the
 * whole stream unreliable. */
static int find_holes(struct sw_evthread *th)
{
	bool sorted = true;
	for (size_t i = 1; i < th->nev && sorted; i++)
		sorted = th->ev[i - 1].start <= th->ev[i].start;
	if (!sorted)
		qsort(th->ev, th->nev, sizeof(*th->ev), by_start);

	if (!th->has_counters)
		return add_hole(th, 0, UINT64_MAX, SW_HOLE_NO_COUNTERS, 0);
	if (th->gaps > th->dropped || th->nev != th->written)
		return add_hole(th, 0, UINT64_MAX, SW_HOLE_MISMATCH,
				th->written > th->nev ? th->written - th->nev : 0);
	uint64_t prev_end = th->start_ns;
	for (size_t i = 0; i < th->nev; i++) {
		const struct sw_ev *e = &th->ev[i];
		if (e->gap && add_hole(th, prev_end, e->start, SW_HOLE_GAP, e->gap) < 0)
			return -ENOMEM;
		if (e->end > prev_end)
			prev_end = e->end;
	}
	if (th->dropped > th->gaps)
		return add_hole(th, prev_end, UINT64_MAX, SW_HOLE_TAIL,
				th->dropped - th->gaps);
	return 0;
}

static uint32_t row_by_name(const struct sw_model *m, const char *name)
{
	for (uint32_t r = 0; m && r < m->nrows; r++)
		if (m->rows[r].defined && strcmp(m->rows[r].name, name) == 0)
			return r;
	return SW_NO_ROW;
}

/* Group the threads by process image, in order of first appearance. */
static int group_procs(struct sw_evtrace *t)
{
	for (size_t i = 0; i < t->nthreads; i++) {
		struct sw_evthread *th = &t->threads[i];
		size_t p = 0;
		while (p < t->nprocs && !(t->procs[p].pid == th->pid &&
					  t->procs[p].epoch == th->epoch))
			p++;
		if (p == t->nprocs) {
			struct sw_evproc *v = realloc(t->procs, (p + 1) * sizeof(*v));
			if (!v)
				return -ENOMEM;
			t->procs = v;
			struct sw_evproc *pr = &t->procs[t->nprocs++];
			memset(pr, 0, sizeof(*pr));
			pr->pid = th->pid;
			pr->epoch = th->epoch;
			pr->command = "?";
			for (size_t k = 0; t->model && k < t->model->nprocs; k++) {
				const struct sw_proc_rec *r = &t->model->procs[k];
				if (r->pid != th->pid || r->epoch != th->epoch)
					continue;
				pr->command = sw_evtrace_intern(t, r->command,
								sizeof(r->command));
				if (!pr->command)
					return -ENOMEM;
				pr->threads_lost = r->threads_lost;
				pr->cwd = NULL;
				if (r->cwd[0] == '/' &&
				    !(pr->cwd = sw_evtrace_intern(t, r->cwd, sizeof(r->cwd))))
					return -ENOMEM;
			}
		}
		struct sw_evproc *pr = &t->procs[p];
		uint32_t *v = realloc(pr->threads, (pr->nthreads + 1) * sizeof(*v));
		if (!v)
			return -ENOMEM;
		pr->threads = v;
		pr->threads[pr->nthreads++] = (uint32_t)i;
		th->proc = (uint32_t)p;
	}
	return 0;
}

int sw_evtrace_end(struct sw_evtrace *t)
{
	t->row_futex = row_by_name(t->model, "futex");
	t->row_sleep = row_by_name(t->model, "clock_nanosleep");
	for (size_t i = 0; i < t->nthreads; i++)
		if (find_holes(&t->threads[i]) < 0)
			return -ENOMEM;
	if (group_procs(t) < 0)
		return -ENOMEM;
	return sw__evtrace_files(t);
}

int sw_evtrace_read(FILE *f, struct sw_model *m, struct sw_evtrace *t,
		    char *err, size_t errlen)
{
	sw_evtrace_init(t, m);
	struct sw_trace_sink sink = sw_evtrace_sink(t);
	int rc = sw_trace_read_sink(f, m, &sink, err, errlen);
	if (rc == 0 && (rc = sw_evtrace_end(t)) < 0)
		snprintf(err, errlen, "out of memory");
	if (rc < 0)
		sw_evtrace_free(t);
	return rc;
}

void sw_evtrace_free(struct sw_evtrace *t)
{
	for (size_t i = 0; i < t->nthreads; i++) {
		free(t->threads[i].ev);
		free(t->threads[i].holes);
	}
	for (size_t i = 0; i < t->nprocs; i++)
		free(t->procs[i].threads);
	free(t->threads);
	free(t->procs);
	free(t->index);
	sw_strpool_free(t->strs);
	memset(t, 0, sizeof(*t));
}

/* --- queries ------------------------------------------------------------ */

const struct sw_hole *sw_evthread_hole(const struct sw_evthread *th,
				       uint64_t from, uint64_t to)
{
	for (size_t i = 0; i < th->nholes; i++) {
		const struct sw_hole *h = &th->holes[i];
		if (h->from < to && from < h->to)
			return h;
		if (h->from == h->to && h->from >= from && h->from <= to)
			return h;
	}
	return NULL;
}

size_t sw_evthread_after(const struct sw_evthread *th, uint64_t t)
{
	/* Calls of one thread do not overlap, so ends are sorted too. */
	size_t lo = 0, hi = th->nev;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (th->ev[mid].end <= t)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

const char *sw_evtrace_row_name(const struct sw_evtrace *t, uint32_t row)
{
	if (!t->model || row >= t->model->nrows || !t->model->rows[row].defined)
		return "?";
	return t->model->rows[row].name;
}

int sw_evtrace_row_class(const struct sw_evtrace *t, uint32_t row)
{
	if (!t->model || row >= t->model->nrows || !t->model->rows[row].defined)
		return -1;
	return (int)t->model->rows[row].cls;
}

const char *sw_hole_why_text(enum sw_hole_why why)
{
	switch (why) {
	case SW_HOLE_GAP:
		return "events dropped (ring full)";
	case SW_HOLE_TAIL:
		return "events dropped at the end of the thread";
	case SW_HOLE_NO_COUNTERS:
		return "no counters record for the thread";
	case SW_HOLE_MISMATCH:
		return "the trace holds fewer events than the thread wrote";
	}
	return "events missing";
}
