/*
 * paths_probe - what a program looking for its configuration does: probe
 * a list of config files that are not there, open the few that are; and
 * a tally of every call it made on each path.
 *
 *   paths_probe K TALLY DIR...
 *
 * In each DIR (which must exist), each missing name is probed K times
 * with open, stat and access (each must fail with ENOENT); each present
 * name is created, written and closed, then opened, read to the end and
 * closed once per its position in the list (1, 2, 3 times). Then, in each
 * DIR again, it chdir()s there and probes other missing names K times by
 * RELATIVE path (their names start with "rel-"), and at the end fchdir()s
 * back to where it started and probes one more relative name there. A
 * relative probe is tallied under the absolute path the kernel gives for
 * the working directory (getcwd), joined to the name without its "./".
 * TALLY gets one line per (path, syscall):
 *
 *   PATH \t SYSCALL \t CALLS \t ERRORS \t ERRNO-NAME or -
 *
 * The syscall names are the ones glibc 2.36 issues on x86-64 (open() is
 * openat, stat() is newfstatat), written here on purpose independently
 * of syswatch (see tally.h). A call that does not go as planned stops the
 * workload with exit status 2: a tally nobody planned proves nothing.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const missing[] = {
	"app.conf", ".apprc", "my app.conf", "conf.d/10-local.conf", "settings.ini",
	"app.yaml", "app.json", "defaults/app.toml",
};
static const char *const present[] = {"present-1.conf", "present-2.conf", "present-3.conf"};
/* Probed relative to the working directory; "conf.d" does not exist. */
static const char *const relative[] = {"rel-app.conf", "./rel-dot.conf", "conf.d/rel-sub.conf"};

#define NMISSING (sizeof(missing) / sizeof(missing[0]))
#define NPRESENT (sizeof(present) / sizeof(present[0]))
#define NRELATIVE (sizeof(relative) / sizeof(relative[0]))
#define MAX_ROWS 1024

struct row {
	char path[4096];
	const char *sys;
	long calls;
	long errors;
	const char *err; /* "ENOENT", or NULL */
};

static struct row rows[MAX_ROWS];
static int nrows;

static __attribute__((noreturn, format(printf, 1, 2))) void die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;
	va_start(ap, fmt);
	fprintf(stderr, "paths_probe: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d: %s)\n", e, strerror(e));
	va_end(ap);
	_exit(2);
}

/* Count one call of sys on path: it failed with ENOENT when `enoent`,
 * else it succeeded (anything else stops the workload). */
static void did(const char *path, const char *sys, int failed, int enoent)
{
	if (failed != enoent || (failed && errno != ENOENT))
		die("%s %s %s", sys, path, failed ? "failed" : "succeeded unexpectedly");
	int i = 0;
	while (i < nrows && (strcmp(rows[i].path, path) || strcmp(rows[i].sys, sys)))
		i++;
	if (i == nrows) {
		if (nrows == MAX_ROWS)
			die("too many rows");
		snprintf(rows[i].path, sizeof(rows[i].path), "%s", path);
		rows[i].sys = sys;
		nrows++;
	}
	rows[i].calls++;
	rows[i].errors += failed;
	if (failed)
		rows[i].err = "ENOENT";
}

/* Probe the missing name p, tallied as path (p itself when absolute). */
static void probe_as(const char *p, const char *path)
{
	struct stat st;
	did(path, "openat", open(p, O_RDONLY) < 0, 1);
	did(path, "newfstatat", stat(p, &st) != 0, 1);
	did(path, "access", access(p, R_OK) != 0, 1);
}

static void probe_missing(const char *p)
{
	probe_as(p, p);
}

/* Probe the relative name rel k times from the working directory. */
static void probe_relative(const char *rel, long k)
{
	char cwd[4096], p[8192];
	if (!getcwd(cwd, sizeof(cwd)))
		die("getcwd");
	const char *name = strncmp(rel, "./", 2) ? rel : rel + 2;
	if ((size_t)snprintf(p, sizeof(p), "%s%s%s", cwd, strcmp(cwd, "/") ? "/" : "", name) >=
	    sizeof(p))
		die("path too long");
	for (long i = 0; i < k; i++)
		probe_as(rel, p);
}

static void create(const char *p)
{
	int fd = open(p, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	did(p, "openat", fd < 0, 0);
	did(p, "write", write(fd, "key = value\n", 12) != 12, 0);
	did(p, "close", close(fd) != 0, 0);
}

static void read_all(const char *p)
{
	char buf[64];
	ssize_t n;
	int fd = open(p, O_RDONLY);
	did(p, "openat", fd < 0, 0);
	do {
		n = read(fd, buf, sizeof(buf));
		did(p, "read", n < 0, 0);
	} while (n > 0);
	did(p, "close", close(fd) != 0, 0);
}

static void path_in(char *out, size_t cap, const char *dir, const char *name)
{
	if ((size_t)snprintf(out, cap, "%s/%s", dir, name) >= cap)
		die("path too long");
}

int main(int argc, char **argv)
{
	char p[4096];
	if (argc < 4)
		die("usage: paths_probe K TALLY DIR...");
	long k = atol(argv[1]);
	int start = open(".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (start < 0)
		die("open .");
	for (int d = 3; d < argc; d++) {
		for (long i = 0; i < k; i++)
			for (size_t m = 0; m < NMISSING; m++) {
				path_in(p, sizeof(p), argv[d], missing[m]);
				probe_missing(p);
			}
		for (size_t e = 0; e < NPRESENT; e++) {
			path_in(p, sizeof(p), argv[d], present[e]);
			create(p);
			for (size_t r = 0; r <= e; r++)
				read_all(p);
		}
	}
	for (int d = 3; d < argc; d++) {
		if (chdir(argv[d]) != 0)
			die("chdir %s", argv[d]);
		for (size_t r = 0; r < NRELATIVE; r++)
			probe_relative(relative[r], k);
	}
	if (fchdir(start) != 0 || close(start) != 0)
		die("fchdir back");
	probe_relative("rel-back.conf", 1);
	FILE *f = fopen(argv[2], "w");
	if (!f)
		die("%s", argv[2]);
	for (int i = 0; i < nrows; i++)
		fprintf(f, "%s\t%s\t%ld\t%ld\t%s\n", rows[i].path, rows[i].sys, rows[i].calls,
			rows[i].errors, rows[i].err ? rows[i].err : "-");
	if (fclose(f) != 0)
		die("%s", argv[2]);
	return 0;
}
