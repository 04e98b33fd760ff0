/*
 * report.c - `syswatch report TRACE`: the table of a saved trace, exactly
 * as `syswatch run` printed it.
 */
#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"

int sw_cmd_report(const struct sw_cli *cli)
{
	const char *path = cli->args[0];
	char err[512];
	struct stat st;
	struct sw_model m;
	int status = 1;

	FILE *f = fopen(path, "re");
	if (!f) {
		sw_error("%s: %s", path, strerror(errno));
		return 1;
	}
	if (fstat(fileno(f), &st) == 0 && S_ISDIR(st.st_mode)) {
		sw_error("%s: %s", path, strerror(EISDIR));
		fclose(f);
		return 1;
	}
	sw_model_init(&m);
	int rc = sw_trace_read(f, &m, err, sizeof(err));
	fclose(f);
	if (rc < 0) {
		sw_error("%s: %s", path, err);
		goto out;
	}
	FILE *out = sw_output_open(cli->output);
	if (out && sw_output_finish(out, cli->output, &m, &cli->report) == 0)
		status = 0;
out:
	sw_model_free(&m);
	return status;
}
