/*
 * export_cmd.c - `syswatch export --format chrome|html [-o FILE] TRACE`:
 * read the trace, attribute its locks, and hand both to one exporter
 * (export/export.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "commands.h"
#include "evtrace.h"
#include "export.h"

/* The exporters, chosen here by the command (an exporter never calls
 * back up to it). */
static const struct {
	const char *name;
	enum sw_export_format fmt;
	int (*write)(FILE *f, const struct sw_locks *l, const struct sw_model *m);
} formats[] = {
	{"chrome", SW_EXPORT_CHROME, sw_export_chrome},
	{"html", SW_EXPORT_HTML, sw_export_html},
};
#define NFORMATS (sizeof(formats) / sizeof(formats[0]))

int sw_export_format_parse(const char *s, enum sw_export_format *out)
{
	for (size_t i = 0; i < NFORMATS; i++) {
		if (!strcmp(s, formats[i].name)) {
			*out = formats[i].fmt;
			return 0;
		}
	}
	return -EINVAL;
}

static int pick_format(const struct sw_cli *cli, enum sw_export_format *fmt)
{
	*fmt = cli->export_format;
	if (*fmt != SW_EXPORT_NONE)
		return 0;
	/* No --format: the output file's extension may say it. */
	const char *dot = cli->output ? strrchr(cli->output, '.') : NULL;
	if (dot && (!strcmp(dot, ".html") || !strcmp(dot, ".htm")))
		*fmt = SW_EXPORT_HTML;
	else if (dot && !strcmp(dot, ".json"))
		*fmt = SW_EXPORT_CHROME;
	else
		return -EINVAL;
	return 0;
}

int sw_cmd_export(const struct sw_cli *cli)
{
	const char *path = cli->args[0];
	const char *dest = cli->output && *cli->output ? cli->output : NULL;
	enum sw_export_format fmt;
	char err[512];
	struct sw_model m;
	struct sw_evtrace tr;
	struct sw_locks locks;
	bool have_tr = false, have_locks = false;
	int status = 1, rc;

	if (pick_format(cli, &fmt) < 0) {
		sw_error("export: say which format: --format chrome (Perfetto, "
			 "chrome://tracing) or --format html");
		return 2;
	}
	FILE *f = sw_trace_fopen(path);
	if (!f)
		return 1;
	sw_model_init(&m);
	rc = sw_evtrace_read(f, &m, &tr, err, sizeof(err));
	fclose(f);
	if (rc < 0) {
		sw_error("%s: %s", path, err);
		goto out;
	}
	have_tr = true;
	if (sw_locks_analyse(&tr, &locks) < 0) {
		sw_error("out of memory analysing the locks of %s", path);
		goto out;
	}
	have_locks = true;

	FILE *out = dest ? fopen(dest, "we") : stdout;
	if (!out) {
		sw_error("%s: %s", dest, strerror(errno));
		goto out;
	}
	for (size_t i = 0; i < NFORMATS; i++)
		if (formats[i].fmt == fmt)
			rc = formats[i].write(out, &locks, &m);
	if (fflush(out) != 0 || ferror(out))
		rc = rc < 0 ? rc : -EIO;
	int saved = errno;
	if (dest && fclose(out) != 0 && rc == 0)
		rc = -EIO, saved = errno;
	if (rc == -ENOMEM) {
		sw_error("out of memory exporting %s", path);
	} else if (rc < 0) {
		sw_error("%s: cannot write: %s", dest ? dest : "standard output",
			 strerror(saved ? saved : EIO));
	} else {
		status = 0;
	}
	if (rc < 0 && dest)
		unlink(dest); /* no half-written file left behind */
out:
	if (have_locks)
		sw_locks_free(&locks);
	if (have_tr)
		sw_evtrace_free(&tr);
	sw_model_free(&m);
	return status;
}
