/*
 * analysis.c - load the events and the lock analysis (see analysis.h).
 */
#include "analysis.h"

#include <errno.h>
#include <string.h>

#include "cli.h"

unsigned sw_analysis_needs(const struct sw_cli *cli)
{
	unsigned need = 0;
	if (cli->report.paths || cli->report.net)
		need |= SW_NEED_EVENTS;
	if (sw_filter_by_status(&cli->filter)) /* statuses: from the events */
		need |= SW_NEED_EVENTS;
	if (cli->locks || cli->report.diagnose)
		need |= SW_NEED_EVENTS | SW_NEED_LOCKS;
	return need;
}

int sw_analysis_read(struct sw_analysis *a, FILE *f, unsigned need, char *err,
		     size_t errlen)
{
	memset(a, 0, sizeof(*a));
	sw_model_init(&a->model);
	if (!need)
		return sw_trace_read(f, &a->model, err, errlen);
	int rc = sw_evtrace_read(f, &a->model, &a->tr, err, errlen);
	if (rc < 0)
		return rc;
	a->have_tr = true;
	if (need & SW_NEED_LOCKS) {
		if (sw_locks_analyse(&a->tr, &a->locks) < 0) {
			snprintf(err, errlen, "out of memory analysing the locks");
			return -ENOMEM;
		}
		a->have_locks = true;
	}
	return 0;
}

int sw_analysis_load(struct sw_analysis *a, const char *path, unsigned need)
{
	char err[512];
	memset(a, 0, sizeof(*a));
	sw_model_init(&a->model);
	if (!need)
		return 0;
	FILE *f = fopen(path, "re");
	if (!f) {
		sw_error("%s: %s: no report beyond the table", path, strerror(errno));
		return -1;
	}
	int rc = sw_analysis_read(a, f, need, err, sizeof(err));
	fclose(f);
	if (rc < 0) {
		sw_error("%s: %s: no report beyond the table", path, err);
		return -1;
	}
	return 0;
}

void sw_analysis_opts(const struct sw_analysis *a, bool print_locks,
		      struct sw_report_opts *o)
{
	if (a->have_tr)
		o->events = &a->tr;
	if (a->have_locks) {
		o->lockinfo = &a->locks;
		if (print_locks)
			o->locks = &a->locks;
	}
}

void sw_analysis_free(struct sw_analysis *a)
{
	if (a->have_locks)
		sw_locks_free(&a->locks);
	if (a->have_tr)
		sw_evtrace_free(&a->tr);
	sw_model_free(&a->model);
	a->have_locks = a->have_tr = false;
}
