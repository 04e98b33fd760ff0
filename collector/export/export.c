/*
 * export.c - the few names and orderings both exporters share (see
 * export.h). The command, which picks the exporter, is cmd/export_cmd.c.
 */
#include "export.h"

#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "evtrace.h"
#include "locks_report.h"
#include "syswatch/rows.h"

uint64_t sw__export_origin(const struct sw_evtrace *t)
{
	uint64_t o = UINT64_MAX;
	for (size_t i = 0; i < t->nthreads; i++) {
		const struct sw_evthread *th = &t->threads[i];
		if (th->nev && th->ev[0].start < o)
			o = th->ev[0].start;
		if (th->start_ns && th->start_ns < o)
			o = th->start_ns;
	}
	return o == UINT64_MAX ? 0 : o;
}

void sw__export_prim_name(char *out, size_t cap, const struct sw_prim *p)
{
	snprintf(out, cap, "%s %#" PRIx64, sw_prim_kind_name(p->kind), p->addr);
}

void sw__export_hold_name(char *out, size_t cap, const struct sw_locks *l,
			  const struct sw_hold *h)
{
	char prim[64];
	sw__export_prim_name(prim, sizeof(prim), &l->prims[h->prim]);
	const char *mod = h->module_name ? h->module_name : h->module;
	if (mod)
		snprintf(out, cap, "hold %s (module %s)", prim, mod);
	else
		snprintf(out, cap, "hold %s", prim);
}

const char *sw__export_class_name(int cls)
{
	static const char *const names[] = {
		[SW_CLASS_FILE] = "file",       [SW_CLASS_DESC] = "desc",
		[SW_CLASS_NETWORK] = "network", [SW_CLASS_PROCESS] = "process",
		[SW_CLASS_MEMORY] = "memory",   [SW_CLASS_LOCK] = "lock",
		[SW_CLASS_TIME] = "time",       [SW_CLASS_LIB] = "library",
		[SW_CLASS_SIGNAL] = "signal",   [SW_CLASS_OTHER] = "other",
	};
	if (cls < 0 || (size_t)cls >= sizeof(names) / sizeof(names[0]) || !names[cls])
		return "other";
	return names[cls];
}

static int by_thread_start(const void *a, const void *b, void *arg)
{
	const struct sw_locks *l = arg;
	const struct sw_hold *x = &l->holds[*(const uint32_t *)a];
	const struct sw_hold *y = &l->holds[*(const uint32_t *)b];
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->end != y->end)
		return x->end > y->end ? -1 : 1;
	return 0;
}

uint32_t *sw__export_holds_by_thread(const struct sw_locks *l)
{
	if (!l->nholds)
		return NULL;
	uint32_t *ix = malloc(l->nholds * sizeof(*ix));
	if (!ix)
		return NULL;
	for (size_t i = 0; i < l->nholds; i++)
		ix[i] = (uint32_t)i;
	qsort_r(ix, l->nholds, sizeof(*ix), by_thread_start, (void *)l);
	return ix;
}

char *sw__export_command(const struct sw_model *m)
{
	size_t len = 1;
	for (size_t i = 0; i < m->ncommand; i++)
		len += strlen(m->command[i]) + 1;
	char *s = malloc(len);
	if (!s)
		return NULL;
	s[0] = '\0';
	for (size_t i = 0; i < m->ncommand; i++) {
		if (i)
			strcat(s, " ");
		strcat(s, m->command[i]);
	}
	return s;
}

static void dur(FILE *m, uint64_t ns)
{
	if (ns >= 1000000000u)
		fprintf(m, "%.2f s", (double)ns / 1e9);
	else if (ns >= 1000000u)
		fprintf(m, "%.1f ms", (double)ns / 1e6);
	else
		fprintf(m, "%.0f µs", (double)ns / 1e3);
}

/* The blocker entries of a lock (one per module its thread held it for)
 * are added up per thread here; sw_locks_summary tells what the thread
 * did, this says which lock it was. */
char *sw__export_headline(const struct sw_locks *l)
{
	const struct sw_lockrep *r = NULL;
	for (size_t i = 0; i < l->nreport && !r; i++)
		if (l->report[i].kind != SW_PRIM_COND)
			r = &l->report[i];
	char *buf = NULL;
	size_t len = 0;
	FILE *m = open_memstream(&buf, &len);
	if (!m)
		return NULL;
	if (!r) {
		fputs("No thread was blocked on a lock.", m);
		goto out;
	}
	const char *cmd = "?";
	for (size_t i = 0; i < l->tr->nprocs; i++)
		if (l->tr->procs[i].pid == r->pid && l->tr->procs[i].epoch == r->epoch)
			cmd = l->tr->procs[i].command;
	if (r->parking)
		fprintf(m, "Most contended lock: the per-thread parking semaphores (%" PRIu32
			   ") of pid %" PRId32 " (%s): ", r->nprims, r->pid, cmd);
	else
		fprintf(m, "Most contended lock: %s %#" PRIx64 " in pid %" PRId32 " (%s): ",
			sw_prim_kind_name(r->kind), r->addr, r->pid, cmd);
	fprintf(m, "%" PRIu64 " wait%s by %" PRIu64 " thread%s, ", r->waits,
		r->waits == 1 ? "" : "s", r->waiters, r->waiters == 1 ? "" : "s");
	dur(m, r->wait_ns);
	fputs(" in total (", m);
	dur(m, r->wall_ns);
	fputs(" wall clock).", m);

	/* The thread most waited for: its entries added up. */
	uint32_t top = SW_NONE;
	uint64_t top_ns = 0;
	for (uint32_t i = 0; i < r->nblk; i++) {
		uint32_t t = l->report_blk[r->blk0 + i].thread;
		uint64_t ns = 0;
		for (uint32_t k = 0; k < r->nblk; k++)
			if (l->report_blk[r->blk0 + k].thread == t)
				ns += l->report_blk[r->blk0 + k].attributed_ns;
		if (ns > top_ns)
			top = t, top_ns = ns;
	}
	if (top == SW_NONE)
		goto out;
	const struct sw_blocker *first = NULL; /* its largest entry with a hold */
	uint64_t hold_ns = 0;
	uint32_t holds = 0, modules = 0;
	for (uint32_t k = 0; k < r->nblk; k++) {
		const struct sw_blocker *b = &l->report_blk[r->blk0 + k];
		if (b->thread != top || b->after_release)
			continue;
		if (!first)
			first = b;
		hold_ns += b->hold_ns;
		holds += b->nhold;
		modules += b->module != NULL;
	}
	const struct sw_evthread *th = &l->tr->threads[top];
	fprintf(m, " %.0f%% of that (", r->wait_ns ? 100.0 * (double)top_ns / (double)r->wait_ns
						  : 0.0);
	dur(m, top_ns);
	fprintf(m, ") was waiting for thread %" PRId32 " (%s)", th->tid,
		th->name[0] ? th->name : cmd);
	if (!first) {
		fputs(", passing the lock on after its release.", m);
		goto out;
	}
	fprintf(m, ", which held it %" PRIu32 " time%s for ", holds, holds == 1 ? "" : "s");
	dur(m, hold_ns);
	fputs(" in all", m);
	const char *mod = first->module_name ? first->module_name : first->module;
	if (modules > 1 && mod)
		fprintf(m, ", loading %" PRIu32 " modules (the most waited-for: %s)", modules, mod);
	else if (mod)
		fprintf(m, ", loading %s", mod);
	fputs(".", m);
out:
	if (fclose(m) != 0) {
		free(buf);
		return NULL;
	}
	return buf;
}
