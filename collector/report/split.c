/*
 * split.c - per-process and per-thread row counters (see split.h).
 */
#include "split.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* Thread indices sorted by (pid, tid), then arrival. */
static const struct sw_model *sort_model;

static int by_pid_tid(const void *a, const void *b)
{
	const struct sw_model_thread *x = &sort_model->threads[*(const size_t *)a];
	const struct sw_model_thread *y = &sort_model->threads[*(const size_t *)b];
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	return *(const size_t *)a < *(const size_t *)b ? -1 : 1;
}

static void fold(const struct sw_model *m, struct sw_rowstat *sums,
		 const struct sw_model_thread *t)
{
	for (size_t k = 0; k < t->nrows; k++) {
		const struct sw_rowbrief *b = &t->rows[k];
		if (b->row >= m->nrows)
			continue; /* the model checked it when it was added */
		struct sw_rowstat st;
		sw_rowstat_zero(&st);
		st.calls = b->calls;
		st.errors = b->errors;
		st.total_ns = b->total_ns;
		st.min_ns = b->min_ns;
		st.max_ns = b->max_ns;
		st.untimed = b->untimed;
		sw_rowstat_merge(&sums[b->row], &st);
	}
}

static void zero_all(struct sw_rowstat *sums, uint32_t n)
{
	for (uint32_t r = 0; r < n; r++)
		sw_rowstat_zero(&sums[r]);
}

int sw_split_each(const struct sw_model *m, bool by_thread,
		  int (*fn)(void *arg, const struct sw_split_group *g),
		  void *arg)
{
	struct sw_proc_view *pv = NULL;
	size_t npv = 0;
	struct sw_rowstat *sums = calloc(m->nrows ? m->nrows : 1, sizeof(*sums));
	size_t *order = malloc((m->nthreads ? m->nthreads : 1) * sizeof(*order));
	int rc = -ENOMEM;
	if (!sums || !order || sw_model_processes(m, &pv, &npv) < 0)
		goto out;
	rc = 0;
	if (!by_thread) {
		for (size_t i = 0; rc == 0 && i < npv; i++) {
			zero_all(sums, m->nrows);
			for (size_t t = 0; t < m->nthreads; t++)
				if (m->threads[t].pid == pv[i].pid)
					fold(m, sums, &m->threads[t]);
			struct sw_split_group g = {
				.pid = pv[i].pid, .command = pv[i].command,
				.has_exit = pv[i].has_exit,
				.exit_status = pv[i].exit_status,
				.signal = pv[i].signal, .sums = sums,
			};
			rc = fn(arg, &g);
		}
		goto out;
	}
	for (size_t t = 0; t < m->nthreads; t++)
		order[t] = t;
	sort_model = m; /* the collector has one thread */
	qsort(order, m->nthreads, sizeof(*order), by_pid_tid);
	for (size_t i = 0; rc == 0 && i < m->nthreads;) {
		const struct sw_model_thread *first = &m->threads[order[i]];
		const char *name = first->name;
		zero_all(sums, m->nrows);
		size_t j = i;
		for (; j < m->nthreads; j++) {
			const struct sw_model_thread *t = &m->threads[order[j]];
			if (t->pid != first->pid || t->tid != first->tid)
				break;
			fold(m, sums, t);
			if (t->name[0])
				name = t->name; /* the latest name */
		}
		struct sw_split_group g = {.pid = first->pid, .tid = first->tid,
					   .name = name, .command = "?", .sums = sums};
		for (size_t p = 0; p < npv; p++)
			if (pv[p].pid == first->pid)
				g.command = pv[p].command;
		rc = fn(arg, &g);
		i = j;
	}
out:
	free(pv);
	free(order);
	free(sums);
	return rc;
}
