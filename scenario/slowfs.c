/*
 * slowfs - a read-only FUSE passthrough that makes a directory slow on purpose.
 *
 * Why: syswatch's demo and its lock-attribution tests need what users really
 * hit: many Python threads importing a package from a slow filesystem (NFS, a
 * network-backed venv), where `strace -c` shows only futex. A real filesystem
 * is the honest way to get there: every lookup, open and read reaches this
 * process through the kernel, and sleeps here for a configured time.
 *
 * Usage: slowfs SRC_DIR MOUNTPOINT [--lookup-ms N] [--open-ms N] [--read-ms N]
 *               [-f] [other FUSE options]
 *
 * Choices, each made so the latency is really paid on every call:
 *  - entry, attribute and negative timeouts are 0: the kernel revalidates each
 *    path component on every walk, so each component of every stat() or
 *    open() costs one --lookup-ms (getattr is where the high-level API does
 *    lookups);
 *  - files are opened direct_io with keep_cache=0: no page cache, every read()
 *    reaches read() here and costs --read-ms;
 *  - the mount is read-only ("-o ro"), so write calls get EROFS from the
 *    kernel before they reach us; open() for writing is refused with EROFS too;
 *  - the loop is multithreaded with up to 64 workers, all kept when idle
 *    (libfuse's defaults are 10 and 10)
 *    so 32 importing threads are never serialized by the filesystem itself;
 *  - SRC_DIR is held as a directory fd and every call is relative to it, so
 *    daemonizing (chdir "/") or mounting over SRC_DIR itself changes nothing.
 * Directory listing, readlink, statfs and access pay no extra latency beyond
 * the lookups of the path that leads to them.
 *
 * It exits 0 when unmounted (`fusermount3 -u MOUNTPOINT`, or SIGINT/SIGTERM).
 */
#define FUSE_USE_VERSION 31
#define _GNU_SOURCE
#include <fuse.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <time.h>
#include <unistd.h>

#define UNUSED __attribute__((unused))  /* FUSE callbacks ignore some arguments */

/* The configuration fixed at start-up; read-only once the loop runs. */
static struct {
	int src_fd;            /* O_DIRECTORY fd of SRC_DIR, base of every call */
	unsigned lookup_ms;    /* sleep per getattr (each lookup, each stat) */
	unsigned open_ms;      /* sleep per open of a regular file */
	unsigned read_ms;      /* sleep per read request */
} cfg = { .src_fd = -1 };

/* Sleeps ms milliseconds, resuming after signals; safe from any worker. */
static void delay_ms(unsigned ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };

	while (ms && nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/* Maps a FUSE path ("/a/b", "/") to a path relative to cfg.src_fd. */
static const char *rel(const char *path)
{
	while (*path == '/')
		path++;
	return *path ? path : ".";
}

/* Sets up the connection: no kernel caching of entries, attributes or data. */
static void *sfs_init(struct fuse_conn_info *conn UNUSED, struct fuse_config *fc)
{
	fc->entry_timeout = 0;
	fc->attr_timeout = 0;
	fc->negative_timeout = 0;
	fc->kernel_cache = 0;
	fc->direct_io = 1;
	fc->use_ino = 1;      /* same st_ino as the source, for honest comparisons */
	return NULL;
}

/* stat() of a path (or of an open file when fi is set); pays --lookup-ms. */
static int sfs_getattr(const char *path, struct stat *st, struct fuse_file_info *fi)
{
	int rc;

	delay_ms(cfg.lookup_ms);
	if (fi)
		rc = fstat((int)fi->fh, st);
	else
		rc = fstatat(cfg.src_fd, rel(path), st, AT_SYMLINK_NOFOLLOW);
	return rc == -1 ? -errno : 0;
}

/* access(): the source decides, except that nothing is writable here. */
static int sfs_access(const char *path, int mask)
{
	if (mask & W_OK)
		return -EROFS;
	return faccessat(cfg.src_fd, rel(path), mask, 0) == -1 ? -errno : 0;
}

/* readlink(): copies the target, NUL-terminated and truncated to size. */
static int sfs_readlink(const char *path, char *buf, size_t size)
{
	ssize_t n;

	if (size == 0)
		return -EINVAL;
	n = readlinkat(cfg.src_fd, rel(path), buf, size - 1);
	if (n == -1)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/* opendir(): keeps a DIR * of the source directory in fi->fh. */
static int sfs_opendir(const char *path, struct fuse_file_info *fi)
{
	int fd = openat(cfg.src_fd, rel(path), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (fd == -1)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		int err = errno;

		close(fd);
		return -err;
	}
	fi->fh = (uint64_t)(uintptr_t)d;
	return 0;
}

/* readdir(): hands over the whole directory at once (offsets 0). */
static int sfs_readdir(const char *path UNUSED, void *buf, fuse_fill_dir_t fill,
		       off_t off UNUSED, struct fuse_file_info *fi,
		       enum fuse_readdir_flags flags UNUSED)
{
	DIR *d = (DIR *)(uintptr_t)fi->fh;
	struct dirent *de;

	rewinddir(d);
	errno = 0;
	while ((de = readdir(d)) != NULL) {
		struct stat st = { .st_ino = de->d_ino, .st_mode = (mode_t)DTTOIF(de->d_type) };

		if (fill(buf, de->d_name, &st, 0, 0))
			return 0;        /* buffer full: libfuse asks again */
	}
	return errno ? -errno : 0;
}

/* releasedir(): closes the DIR * opened by sfs_opendir. */
static int sfs_releasedir(const char *path UNUSED, struct fuse_file_info *fi)
{
	closedir((DIR *)(uintptr_t)fi->fh);
	return 0;
}

/* open(): read-only, uncached; pays --open-ms and keeps the fd in fi->fh. */
static int sfs_open(const char *path, struct fuse_file_info *fi)
{
	int fd;

	if ((fi->flags & O_ACCMODE) != O_RDONLY)
		return -EROFS;
	delay_ms(cfg.open_ms);
	fd = openat(cfg.src_fd, rel(path), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd == -1)
		return -errno;
	fi->fh = (uint64_t)fd;
	fi->direct_io = 1;
	fi->keep_cache = 0;
	return 0;
}

/* read(): one request, one --read-ms, then pread of the source file. */
static int sfs_read(const char *path UNUSED, char *buf, size_t size, off_t off,
		    struct fuse_file_info *fi)
{
	ssize_t n;

	delay_ms(cfg.read_ms);
	n = pread((int)fi->fh, buf, size, off);
	return n == -1 ? -errno : (int)n;
}

/* release(): closes the source fd of an open file. */
static int sfs_release(const char *path UNUSED, struct fuse_file_info *fi)
{
	close((int)fi->fh);
	return 0;
}

/* statfs(): the source filesystem's figures. */
static int sfs_statfs(const char *path UNUSED, struct statvfs *sv)
{
	return fstatvfs(cfg.src_fd, sv) == -1 ? -errno : 0;
}

static const struct fuse_operations sfs_ops = {
	.init       = sfs_init,
	.getattr    = sfs_getattr,
	.access     = sfs_access,
	.readlink   = sfs_readlink,
	.opendir    = sfs_opendir,
	.readdir    = sfs_readdir,
	.releasedir = sfs_releasedir,
	.open       = sfs_open,
	.read       = sfs_read,
	.release    = sfs_release,
	.statfs     = sfs_statfs,
};

/* Prints the usage on stream. */
static void usage(FILE *stream, const char *argv0)
{
	fprintf(stream,
		"usage: %s SRC_DIR MOUNTPOINT [--lookup-ms N] [--open-ms N] [--read-ms N] [-f] [FUSE options]\n"
		"  Mirrors SRC_DIR read-only at MOUNTPOINT, sleeping N ms on each lookup/getattr,\n"
		"  open and read request. Unmount with: fusermount3 -u MOUNTPOINT\n",
		argv0);
}

/* Parses a latency in ms (0..60000) into *out; 0 on success, -1 if invalid. */
static int parse_ms(const char *s, unsigned *out)
{
	char *end;
	unsigned long v;

	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || end == s || *end || *s == '-' || v > 60000)
		return -1;
	*out = (unsigned)v;
	return 0;
}

/*
 * If argv[*i] is --NAME N or --NAME=N, stores N in *out, advances *i past it
 * and returns 1; returns 0 if it is another argument, -1 (after printing one
 * line) if the value is missing or invalid.
 */
static int take_ms(int argc, char **argv, int *i, const char *name, unsigned *out)
{
	size_t len = strlen(name);
	const char *a = argv[*i], *val;

	if (strncmp(a, name, len) != 0)
		return 0;
	if (a[len] == '=')
		val = a + len + 1;
	else if (a[len] == '\0' && *i + 1 < argc)
		val = argv[++*i];
	else if (a[len] == '\0')
		val = "";
	else
		return 0;
	if (parse_ms(val, out) == 0)
		return 1;
	fprintf(stderr, "slowfs: %s needs a number of milliseconds from 0 to 60000, got '%s'\n",
		name, val);
	return -1;
}

int main(int argc, char **argv)
{
	/* Our defaults go first so that options given later override them. */
	char *fargv[argc + 4];
	int fargc = 0, npos = 0, rc, i;
	const char *src = NULL, *mnt = NULL;

	fargv[fargc++] = argv[0];
	fargv[fargc++] = "-o";
	fargv[fargc++] = "ro,max_threads=64,max_idle_threads=64,fsname=slowfs,subtype=slowfs";
	for (i = 1; i < argc; i++) {
		int took = take_ms(argc, argv, &i, "--lookup-ms", &cfg.lookup_ms);

		if (!took)
			took = take_ms(argc, argv, &i, "--open-ms", &cfg.open_ms);
		if (!took)
			took = take_ms(argc, argv, &i, "--read-ms", &cfg.read_ms);
		if (took < 0)
			return 2;
		if (took)
			continue;
		if (!strcmp(argv[i], "-h") || !strcmp(argv[i], "--help")) {
			usage(stdout, argv[0]);
			return 0;
		}
		if (argv[i][0] != '-' && npos < 2) {
			if (npos++ == 0)
				src = argv[i];
			else
				mnt = fargv[fargc++] = argv[i];
			continue;
		}
		fargv[fargc++] = argv[i];
		if (!strcmp(argv[i], "-o") && i + 1 < argc)
			fargv[fargc++] = argv[++i];   /* keep "-o OPTS" together */
	}
	fargv[fargc] = NULL;
	if (!src || !mnt) {
		usage(stderr, argv[0]);
		return 2;
	}
	cfg.src_fd = open(src, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cfg.src_fd == -1) {
		fprintf(stderr, "slowfs: cannot open source directory '%s': %s\n", src, strerror(errno));
		return 1;
	}
	fprintf(stderr, "slowfs: %s -> %s (lookup %u ms, open %u ms, read %u ms)\n",
		src, mnt, cfg.lookup_ms, cfg.open_ms, cfg.read_ms);
	rc = fuse_main(fargc, fargv, &sfs_ops, NULL);
	close(cfg.src_fd);
	return rc;
}
