/*
 * report.c - `syswatch report TRACE`: the table of a saved trace, exactly
 * as `syswatch run` printed it; with --locks, --paths, --net or
 * --diagnose, those reports after it.
 */
#include "analysis.h"
#include "commands.h"
#include "recover.h"

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
	fclose(f);
	if (rc < 0) {
		sw_error("%s: %s", path, err);
		goto out;
	}
	sw_analysis_opts(&an, cli->locks, &opts);
	FILE *out = sw_output_open(cli->output);
	if (out && sw_output_finish(out, cli->output, &an.model, &opts) == 0)
		status = 0;
out:
	sw_analysis_free(&an);
	return status;
}
