/*
 * common.c - what the commands share: report destination, trace start
 * and end, loop pacing (see commands.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"

/* Pacing: a 512 KiB ring filled at ~1 M events/s (about 30 MB/s) lasts
 * ~17 ms, so even the idle period leaves a wide margin, and a busy ring
 * is visited every 200 µs. */
#define PACE_BUSY_NS 200000u
#define PACE_SOME_NS 500000u
#define PACE_IDLE_MAX_NS 5000000u
#define PACE_BUSY_BYTES 16384u

/* What a file that is not a trace is, for the error line. */
static const char *file_kind(mode_t mode)
{
	if (S_ISFIFO(mode))
		return "a FIFO";
	if (S_ISSOCK(mode))
		return "a socket";
	if (S_ISCHR(mode) || S_ISBLK(mode))
		return "a device";
	return "not a regular file";
}

/* Opened without blocking: a FIFO with no writer would block open()
 * forever. Only regular files are read: a trace is a file --trace wrote. */
FILE *sw_trace_fopen(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		sw_error("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0) {
		sw_error("%s: %s", path, strerror(errno));
		close(fd);
		return NULL;
	}
	if (S_ISDIR(st.st_mode)) {
		sw_error("%s: %s", path, strerror(EISDIR));
		close(fd);
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		sw_error("%s: %s, not a trace file: syswatch report reads the "
			 "file that --trace wrote (copy a stream to a file first)",
			 path, file_kind(st.st_mode));
		close(fd);
		return NULL;
	}
	FILE *f = fcntl(fd, F_SETFL, 0) == 0 ? fdopen(fd, "r") : NULL;
	if (!f) {
		sw_error("%s: %s", path, strerror(errno));
		close(fd);
	}
	return f;
}

FILE *sw_output_open(const char *path)
{
	if (!path || !*path)
		return stderr;
	FILE *f = fopen(path, "we");
	if (!f)
		sw_error("%s: %s", path, strerror(errno));
	return f;
}

int sw_output_finish(FILE *out, const char *path, const struct sw_model *m,
		     const struct sw_report_opts *o)
{
	int rc = sw_report_write(out, m, o);
	if (out != stderr && fclose(out) != 0 && rc == 0)
		rc = -errno;
	if (rc < 0) {
		sw_error("cannot write the report to %s: %s",
			 out == stderr ? "stderr" : path, strerror(-rc));
		return -1;
	}
	return 0;
}

int sw_trace_start(const char *path, const struct sw_model *m,
		   struct sw_trace_writer **tw)
{
	char err[512];
	*tw = NULL;
	if (!path || !*path)
		return 0;
	if (sw_trace_create(tw, path, err, sizeof(err)) < 0) {
		sw_error("%s", err);
		return -1;
	}
	sw_trace_header(*tw, m); /* errors are sticky: seen at the end */
	return 0;
}

int sw_trace_finish(struct sw_trace_writer *tw, const struct sw_model *m)
{
	if (!tw)
		return 0;
	char path[4096];
	snprintf(path, sizeof(path), "%s", sw_trace_path(tw));
	sw_trace_summary(tw, m);
	int rc = sw_trace_close(tw);
	if (rc < 0) {
		sw_error("%s: cannot write the trace: %s", path, strerror(-rc));
		return -1;
	}
	return 0;
}

uint64_t sw_pace(uint64_t moved, uint64_t prev_ns)
{
	if (moved >= PACE_BUSY_BYTES)
		return PACE_BUSY_NS;
	if (moved > 0)
		return PACE_SOME_NS;
	uint64_t next = prev_ns < PACE_SOME_NS ? PACE_SOME_NS : prev_ns * 2;
	return next > PACE_IDLE_MAX_NS ? PACE_IDLE_MAX_NS : next;
}

void sw_sleep_ns(uint64_t ns)
{
	struct timespec ts = {(time_t)(ns / 1000000000u), (long)(ns % 1000000000u)};
	nanosleep(&ts, NULL);
}

const char *sw_env(const char *name)
{
	const char *v = getenv(name);
	return v && *v ? v : NULL;
}
