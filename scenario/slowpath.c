/*
 * libslowpath.so - TEST-ONLY preload that makes one directory tree slow.
 *
 * Why: the demo and the lock-attribution tests want a slow filesystem. slowfs
 * (a FUSE mount) is the real thing; where FUSE is unavailable (no /dev/fuse,
 * no fusermount3, a container that forbids mounts) this preload is the
 * fallback: calls on paths under SLOWPATH_PREFIX, and on fds opened there,
 * sleep before doing the real work, so a syswatch shim loaded *before* it
 * (LD_PRELOAD="libsyswatch.so:libslowpath.so") times the delay as part of
 * the call, as it would time a slow disk.
 *
 * Environment (read once, at load):
 *   SLOWPATH_PREFIX     absolute directory; unset or empty = do nothing
 *   SLOWPATH_LOOKUP_MS  per stat/lstat/fstatat/statx/fstat/opendir (default 0)
 *   SLOWPATH_OPEN_MS    per open/openat, added to one lookup (default 0)
 *   SLOWPATH_READ_MS    per read/pread (default 0)
 *
 * Limits, on purpose (it is a test tool, not a filesystem): relative paths
 * count only through a dirfd opened under the prefix, not through the cwd;
 * fds above SP_MAX_FD and fds made by dup() are not tracked; glibc-internal
 * calls (the open inside fopen, readdir's getdents) are not seen, nor calls
 * made before this library's constructor ran. No allocation and no lock:
 * the fd table is a fixed array of flags updated atomically.
 */
#define _GNU_SOURCE
#undef _FORTIFY_SOURCE   /* we define open/read ourselves */
#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SP_EXPORT __attribute__((visibility("default")))
#define SP_MAX_FD 4096          /* fds at or above this are never slowed */
#define SP_MAX_PREFIX 4096

static char prefix[SP_MAX_PREFIX];          /* without trailing '/' */
static size_t prefix_len;                   /* 0 = inactive */
static unsigned lookup_ms, open_ms, read_ms;
static unsigned char slow_fd[SP_MAX_FD];    /* 1 = fd opened under prefix */

/* Reads an unsigned ms count from the environment; 0 if unset or invalid. */
static unsigned env_ms(const char *name)
{
	const char *s = getenv(name);
	char *end;
	unsigned long v;

	if (!s || !*s)
		return 0;
	v = strtoul(s, &end, 10);
	return (*end || v > 60000) ? 0 : (unsigned)v;
}

/* Reads the configuration; runs once at load, before main(). */
__attribute__((constructor)) static void sp_init(void)
{
	const char *p = getenv("SLOWPATH_PREFIX");
	size_t n;

	lookup_ms = env_ms("SLOWPATH_LOOKUP_MS");
	open_ms = env_ms("SLOWPATH_OPEN_MS");
	read_ms = env_ms("SLOWPATH_READ_MS");
	if (!p || p[0] != '/' || (n = strlen(p)) >= SP_MAX_PREFIX)
		return;
	while (n > 1 && p[n - 1] == '/')
		n--;
	memcpy(prefix, p, n);
	prefix[n] = '\0';
	prefix_len = n;
}

/* True if path names the prefix directory or something below it. */
static int under_prefix(const char *path)
{
	if (!prefix_len || !path || strncmp(path, prefix, prefix_len) != 0)
		return 0;
	return path[prefix_len] == '\0' || path[prefix_len] == '/' || prefix_len == 1;
}

/* True if fd was opened under the prefix. */
static int fd_is_slow(int fd)
{
	return fd >= 0 && fd < SP_MAX_FD && __atomic_load_n(&slow_fd[fd], __ATOMIC_RELAXED);
}

/* True if (dirfd, path) as given to an *at() call lies under the prefix. */
static int at_is_slow(int dirfd, const char *path)
{
	if (path && path[0] == '/')
		return under_prefix(path);
	return dirfd != AT_FDCWD && fd_is_slow(dirfd);
}

/* Like at_is_slow, also counting fstatat/statx(fd, "", AT_EMPTY_PATH). */
static int stat_at_is_slow(int dirfd, const char *path, int flags)
{
	if ((flags & AT_EMPTY_PATH) && (!path || !*path))
		return fd_is_slow(dirfd);
	return at_is_slow(dirfd, path);
}

/* Records whether a freshly returned fd is under the prefix (fd < 0: no-op). */
static void track_fd(int fd, int slow)
{
	if (fd >= 0 && fd < SP_MAX_FD)
		__atomic_store_n(&slow_fd[fd], (unsigned char)slow, __ATOMIC_RELAXED);
}

/*
 * NEXT(name) yields the next definition of name (libc's, or another preload's
 * after us), resolved on first use; the race is benign (same value stored).
 */
#define NEXT(name) \
	({ static __typeof__(&name) real_; \
	   __typeof__(&name) r_ = __atomic_load_n(&real_, __ATOMIC_RELAXED); \
	   if (!r_) { r_ = (__typeof__(&name))dlsym(RTLD_NEXT, #name); \
	              __atomic_store_n(&real_, r_, __ATOMIC_RELAXED); } \
	   r_; })

/*
 * Sleeps ms milliseconds, keeping errno. The clock calls go to libc's
 * definitions through RTLD_NEXT, past any syswatch wrapper loaded before
 * us, so the delay is seen only as part of the slowed call.
 */
static void delay_ms(unsigned ms)
{
	struct timespec end;
	int saved = errno;

	if (!ms)
		return;
	NEXT(clock_gettime)(CLOCK_MONOTONIC, &end);
	end.tv_sec += ms / 1000;
	end.tv_nsec += (long)(ms % 1000) * 1000000L;
	if (end.tv_nsec >= 1000000000L) {
		end.tv_sec++;
		end.tv_nsec -= 1000000000L;
	}
	while (NEXT(clock_nanosleep)(CLOCK_MONOTONIC, TIMER_ABSTIME, &end, NULL) == EINTR)
		;
	errno = saved;
}

/* mode argument of open-like calls: only present with O_CREAT/O_TMPFILE. */
#define OPEN_MODE(flags, last) \
	({ mode_t m_ = 0; \
	   if ((flags) & (O_CREAT | __O_TMPFILE)) { va_list ap_; va_start(ap_, last); \
	       m_ = (mode_t)va_arg(ap_, int); va_end(ap_); } \
	   m_; })

/* Open wrappers: delay (lookup + open) under the prefix, then track the fd. */
#define WRAP_OPEN(name) \
	SP_EXPORT int name(const char *path, int flags, ...) \
	{ int slow = under_prefix(path), fd; \
	  if (slow) delay_ms(lookup_ms + open_ms); \
	  fd = NEXT(name)(path, flags, OPEN_MODE(flags, flags)); \
	  track_fd(fd, slow); return fd; }
#define WRAP_OPENAT(name) \
	SP_EXPORT int name(int dirfd, const char *path, int flags, ...) \
	{ int slow = at_is_slow(dirfd, path), fd; \
	  if (slow) delay_ms(lookup_ms + open_ms); \
	  fd = NEXT(name)(dirfd, path, flags, OPEN_MODE(flags, flags)); \
	  track_fd(fd, slow); return fd; }
#define WRAP_OPEN_2(name) \
	SP_EXPORT int name(const char *path, int flags) \
	{ int slow = under_prefix(path), fd; \
	  if (slow) delay_ms(lookup_ms + open_ms); \
	  fd = NEXT(name)(path, flags); track_fd(fd, slow); return fd; }

int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);

WRAP_OPEN(open)
WRAP_OPEN(open64)
WRAP_OPENAT(openat)
WRAP_OPENAT(openat64)
WRAP_OPEN_2(__open_2)
WRAP_OPEN_2(__open64_2)

/* Path stat wrappers: one lookup delay under the prefix. */
#define WRAP_STAT(name, st_t) \
	SP_EXPORT int name(const char *path, struct st_t *st) \
	{ if (under_prefix(path)) delay_ms(lookup_ms); return NEXT(name)(path, st); }
#define WRAP_FSTATAT(name, st_t) \
	SP_EXPORT int name(int dirfd, const char *path, struct st_t *st, int fl) \
	{ if (stat_at_is_slow(dirfd, path, fl)) delay_ms(lookup_ms); \
	  return NEXT(name)(dirfd, path, st, fl); }
#define WRAP_FSTAT(name, st_t) \
	SP_EXPORT int name(int fd, struct st_t *st) \
	{ if (fd_is_slow(fd)) delay_ms(lookup_ms); return NEXT(name)(fd, st); }

WRAP_STAT(stat, stat)
WRAP_STAT(stat64, stat64)
WRAP_STAT(lstat, stat)
WRAP_STAT(lstat64, stat64)
WRAP_FSTATAT(fstatat, stat)
WRAP_FSTATAT(fstatat64, stat64)
WRAP_FSTAT(fstat, stat)
WRAP_FSTAT(fstat64, stat64)

/* statx(): one lookup delay, like fstatat. */
SP_EXPORT int statx(int dirfd, const char *path, int fl, unsigned mask, struct statx *stx)
{
	if (stat_at_is_slow(dirfd, path, fl))
		delay_ms(lookup_ms);
	return NEXT(statx)(dirfd, path, fl, mask, stx);
}

/* opendir(): one lookup delay (the walk to the directory). */
SP_EXPORT DIR *opendir(const char *path)
{
	if (under_prefix(path))
		delay_ms(lookup_ms);
	return NEXT(opendir)(path);
}

/* Read wrappers: one read delay on fds opened under the prefix. */
SP_EXPORT ssize_t read(int fd, void *buf, size_t n)
{
	if (fd_is_slow(fd))
		delay_ms(read_ms);
	return NEXT(read)(fd, buf, n);
}

ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen);

SP_EXPORT ssize_t __read_chk(int fd, void *buf, size_t n, size_t buflen)
{
	if (fd_is_slow(fd))
		delay_ms(read_ms);
	return NEXT(__read_chk)(fd, buf, n, buflen);
}

SP_EXPORT ssize_t pread(int fd, void *buf, size_t n, off_t off)
{
	if (fd_is_slow(fd))
		delay_ms(read_ms);
	return NEXT(pread)(fd, buf, n, off);
}

SP_EXPORT ssize_t pread64(int fd, void *buf, size_t n, off64_t off)
{
	if (fd_is_slow(fd))
		delay_ms(read_ms);
	return NEXT(pread64)(fd, buf, n, off);
}

/* close(): forgets the fd before the number can be reused. */
SP_EXPORT int close(int fd)
{
	track_fd(fd, 0);
	return NEXT(close)(fd);
}
