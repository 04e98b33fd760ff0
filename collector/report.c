/*
 * report.c - `syswatch report TRACE`: the table of a saved trace, exactly
 * as `syswatch run` printed it; with --locks, --paths, --net or
 * --diagnose, those reports after it.
 */
#include <errno.h>
#include <string.h>

#include "commands.h"
#include "analysis.h"
#include "evtrace.h"
#include "locks.h"
#include "recover.h"

int sw_cmd_report(const struct sw_cli *cli)
{
	if (cli->recover)
		return sw_cmd_recover(cli);
	const char *path = cli->args[0];
	char err[512];
	struct sw_model m;
	struct sw_evtrace tr;
	struct sw_locks locks;
	struct sw_report_opts opts = cli->report;
	unsigned need = sw_analysis_needs(cli);
	bool have_tr = false, have_locks = false;
	int status = 1, rc;

	FILE *f = sw_trace_fopen(path);
	if (!f)
		return 1;
	sw_model_init(&m);
	if (need) /* the events are needed too */
		have_tr = (rc = sw_evtrace_read(f, &m, &tr, err, sizeof(err))) == 0;
	else
		rc = sw_trace_read(f, &m, err, sizeof(err));
	fclose(f);
	if (rc < 0) {
		sw_error("%s: %s", path, err);
		goto out;
	}
	if (have_tr)
		opts.events = &tr;
	if (need & SW_NEED_LOCKS) {
		if (sw_locks_analyse(&tr, &locks) < 0) {
			sw_error("out of memory analysing the locks of %s", path);
			goto out;
		}
		have_locks = true;
		opts.lockinfo = &locks;
		if (cli->locks)
			opts.locks = &locks;
	}
	FILE *out = sw_output_open(cli->output);
	if (out && sw_output_finish(out, cli->output, &m, &opts) == 0)
		status = 0;
out:
	if (have_locks)
		sw_locks_free(&locks);
	if (have_tr)
		sw_evtrace_free(&tr);
	sw_model_free(&m);
	return status;
}
