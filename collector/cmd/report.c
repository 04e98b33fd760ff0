/*
 * report.c - `syswatch report TRACE`: the table of a saved trace, exactly
 * as `syswatch run` printed it; with --locks, --paths, --net or
 * --diagnose, those reports after it.
 */
#include <errno.h>
#include <stdbool.h>

#include "analysis.h"
#include "commands.h"
#include "recover.h"

/* A damaged trace (truncated, or corrupt from some record on): read again
 * what comes before the damage, counters and processes only (the lock,
 * path and network reports need every event). True when that gave
 * anything to report; the report then says where the reading stopped. */
static bool read_partial(struct sw_analysis *an, FILE *f, const char *path,
			 const char *why)
{
	char err[512];
	sw_analysis_free(an);
	rewind(f);
	(void)sw_analysis_read(an, f, 0, err, sizeof(err)); /* fails again */
	if (!an->model.nprocs && !an->model.nthreads)
		return false;
	return sw_model_warn(&an->model, "syswatch: %s: %s: this report is of "
			     "what was read before that point, counters only",
			     path, why) == 0;
}

int sw_cmd_report(const struct sw_cli *cli)
{
	if (cli->recover)
		return sw_cmd_recover(cli);
	const char *path = cli->args[0];
	char err[512];
	struct sw_analysis an;
	struct sw_report_opts opts = cli->report;
	int status = 1;

	FILE *f = sw_trace_fopen(path);
	if (!f)
		return 1;
	int rc = sw_analysis_read(&an, f, sw_analysis_needs(cli), err, sizeof(err));
	bool partial = rc < 0 && rc != -ENOMEM && read_partial(&an, f, path, err);
	fclose(f);
	if (rc < 0 && !partial) {
		sw_error("%s: %s", path, err);
		goto out;
	}
	sw_analysis_opts(&an, cli->locks, &opts);
	FILE *out = sw_output_open(cli->output);
	if (out && sw_output_finish(out, cli->output, &an.model, &opts) == 0)
		status = partial ? 1 : 0;
	if (partial) /* after the report, where it is seen */
		sw_error("%s: %s: the report above is of what was read before "
			 "that point", path, err);
out:
	sw_analysis_free(&an);
	return status;
}
