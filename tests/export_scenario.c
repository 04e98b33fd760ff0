/*
 * export_scenario.c - the synthetic convoy trace (see export_scenario.h),
 * written with the collector's own trace writer.
 */
#include "export_scenario.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"
#include "trace.h"

#define US(x) ((uint64_t)((x) * 1000.0 + 0.5)) /* µs → ns */

struct th {
	Sw__Event *ev;
	size_t n, cap;
	char **paths; /* owned copies, freed at the end */
	size_t npaths;
	uint64_t pending_gap;
};

static struct th *threads;

void exs_module_path(char *out, size_t cap, int m)
{
	if (m == 0)
		snprintf(out, cap, "/slow/pkg/</script><!--m0.py");
	else
		snprintf(out, cap, "/slow/pkg/mod%d.py", m);
}

/* A new event of thread t (1-based): [start, start + dur] ns. */
static Sw__Event *ev(int t, uint32_t row, uint32_t fn, uint64_t start, uint64_t dur)
{
	struct th *x = &threads[t - 1];
	if (x->n == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 64;
		Sw__Event *v = realloc(x->ev, cap * sizeof(*v));
		if (!v)
			abort();
		x->ev = v;
		x->cap = cap;
	}
	Sw__Event *e = &x->ev[x->n++];
	sw__event__init(e);
	e->has_row = e->has_fn = e->has_start = e->has_dur = e->has_result = true;
	e->row = row;
	e->fn = fn;
	e->start = start;
	e->dur = dur;
	if (x->pending_gap) {
		e->has_gap = true;
		e->gap = x->pending_gap;
		x->pending_gap = 0;
	}
	return e;
}

static Sw__Event *lk(int t, uint32_t fn, uint64_t addr, uint64_t start, uint64_t end)
{
	Sw__Event *e = ev(t, SW_ROW_futex, fn, start, end - start);
	e->has_addr = true;
	e->addr = addr;
	return e;
}

static Sw__Event *file(int t, uint32_t row, uint32_t fn, const char *path, int fd,
		       int64_t result, uint64_t start, uint64_t end)
{
	Sw__Event *e = ev(t, row, fn, start, end - start);
	if (path) {
		struct th *x = &threads[t - 1];
		char **v = realloc(x->paths, (x->npaths + 1) * sizeof(*v));
		if (!v || !(v[x->npaths] = strdup(path)))
			abort();
		x->paths = v;
		e->has_path = true;
		e->path.data = (uint8_t *)v[x->npaths];
		e->path.len = strlen(path);
		x->npaths++;
	}
	if (fd >= 0) {
		e->has_fd = true;
		e->fd = fd;
	}
	e->result = result;
	return e;
}

static void failed(Sw__Event *e, int err)
{
	e->has_err = true;
	e->err = (uint32_t)err;
	e->result = -1;
}

static void module(int nthreads, int nmodules, int m)
{
	uint64_t b = EXS_T0 + (uint64_t)m * EXS_MODULE_NS;
	uint64_t sem = EXS_SEM(m);
	char path[64];
	exs_module_path(path, sizeof(path), m);
	lk(1, SW_FN_sem_init, sem, b, b + US(1));
	file(1, SW_ROW_newfstatat, SW_FN_stat, path, -1, 0, b + US(100), b + US(1800));
	file(1, SW_ROW_openat, SW_FN_openat, path, -1, 5, b + US(1900), b + US(4500));
	file(1, SW_ROW_read, SW_FN_read, NULL, 5, 4096, b + US(4600), b + US(8200));
	file(1, SW_ROW_close, SW_FN_close, NULL, 5, 0, b + US(8250), b + US(8300));
	uint64_t post = b + US(8800);
	lk(1, SW_FN_sem_post, sem, post, post + US(2));
	/* the convoy: waiter k wakes 30 µs after k-1 posts, then posts */
	uint64_t wake = post;
	for (int k = 2; k <= nthreads; k++) {
		uint64_t start = b + US(300) + (uint64_t)k * US(40);
		if (k == nthreads && k > 2 && m == nmodules - 1)
			threads[k - 1].pending_gap = 2; /* events lost just before */
		uint64_t end = wake + US(30);
		lk(k, SW_FN_sem_wait, sem, start, end);
		lk(k, SW_FN_sem_post, sem, end + US(3), end + US(5));
		wake = end + US(3);
	}
}

static void extras(int nthreads, int nmodules)
{
	uint64_t b = EXS_T0 + (uint64_t)nmodules * EXS_MODULE_NS;
	/* a condition wait, signalled by thread 1 */
	if (nthreads >= 2) {
		lk(2, SW_FN_sw__cond_wait_232, EXS_CV, b + US(100), b + US(2100));
		lk(1, SW_FN_sw__cond_signal_232, EXS_CV, b + US(2000), b + US(2010));
	}
	/* a wait that times out */
	if (nthreads >= 3)
		failed(lk(3, SW_FN_sem_timedwait, EXS_TIMED, b + US(200), b + US(3200)), ETIMEDOUT);
}

int exs_write(const char *path, int nthreads, int nmodules, char *err, size_t errlen)
{
	struct sw_model src;
	struct sw_trace_writer *w;
	int rc;
	threads = calloc((size_t)nthreads, sizeof(*threads));
	if (!threads)
		return -ENOMEM;
	for (int m = 0; m < nmodules; m++)
		module(nthreads, nmodules, m);
	extras(nthreads, nmodules);

	sw_model_init(&src);
	if ((rc = sw_model_builtin_rows(&src)) < 0)
		goto out;
	if ((rc = sw_trace_create(&w, path, err, errlen)) < 0)
		goto out;
	sw_trace_header(w, &src);
	struct sw_proc_rec p = {.pid = EXS_PID, .ppid = 1, .command = "python3",
				.exe = "/usr/bin/python3", .start_ns = EXS_T0};
	sw_trace_process(w, &p);
	uint64_t end = EXS_T0 + (uint64_t)(nmodules + 1) * EXS_MODULE_NS;
	for (int t = 1; t <= nthreads; t++) {
		struct th *x = &threads[t - 1];
		Sw__Event **ptrs = malloc((x->n ? x->n : 1) * sizeof(*ptrs));
		if (!ptrs)
			abort();
		uint64_t gaps = 0;
		for (size_t k = 0; k < x->n; k++) {
			ptrs[k] = &x->ev[k];
			gaps += x->ev[k].gap;
		}
		if (x->n)
			sw_trace_events(w, EXS_PID, 0, EXS_PID + t - 1, ptrs, x->n);
		free(ptrs);
		struct sw_thread_rec r = {.pid = EXS_PID, .tid = EXS_PID + t - 1,
					  .start_ns = EXS_T0, .end_ns = end, .events = x->n};
		snprintf(r.name, sizeof(r.name), "%s", t == 1 ? "python3" : "worker");
		r.dropped[SW_DROP_RING_FULL] = gaps;
		sw_trace_thread(w, &r);
	}
	sw_trace_summary(w, &src);
	if ((rc = sw_trace_close(w)) < 0)
		snprintf(err, errlen, "%s: cannot write the trace", path);
out:
	sw_model_free(&src);
	for (int t = 0; t < nthreads; t++) {
		for (size_t k = 0; k < threads[t].npaths; k++)
			free(threads[t].paths[k]);
		free(threads[t].paths);
		free(threads[t].ev);
	}
	free(threads);
	threads = NULL;
	return rc;
}
