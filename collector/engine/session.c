/*
 * session.c - per-user and per-session directories (see session.h).
 *
 * Both directories are created 0700 and checked with lstat/O_NOFOLLOW:
 * another user must not be able to plant a symlink that makes us read or
 * remove files elsewhere (DESIGN.md, decision 4).
 */
#include "session.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

int sw_userdir_path(const char *base, char *buf, size_t n)
{
	int len = snprintf(buf, n, "%s/syswatch-%u", base, (unsigned)getuid());
	return len < 0 || (size_t)len >= n ? -ENAMETOOLONG : 0;
}

int sw_userdir_ensure(const char *path, char *err, size_t errlen)
{
	struct stat st;
	if (mkdir(path, 0700) < 0 && errno != EEXIST) {
		int e = errno;
		snprintf(err, errlen, "cannot create %s: %s", path, strerror(e));
		return -e;
	}
	if (lstat(path, &st) < 0) {
		int e = errno;
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	if (S_ISLNK(st.st_mode)) {
		snprintf(err, errlen,
			 "%s is a symbolic link, not a directory: refusing to "
			 "use it (remove it and retry)",
			 path);
		return -ELOOP;
	}
	if (!S_ISDIR(st.st_mode)) {
		snprintf(err, errlen, "%s is not a directory: refusing to use it",
			 path);
		return -ENOTDIR;
	}
	if (st.st_uid != geteuid()) {
		snprintf(err, errlen,
			 "%s belongs to uid %u, not to us: refusing to use it",
			 path, (unsigned)st.st_uid);
		return -EPERM;
	}
	if ((st.st_mode & 07777) != 0700) {
		snprintf(err, errlen,
			 "%s has mode %04o, expected 0700: refusing to use it "
			 "(chmod 700 it or remove it)",
			 path, (unsigned)(st.st_mode & 07777));
		return -EPERM;
	}
	return 0;
}

/* Open path as a directory of ours that nobody else can write to. */
static int open_dir(struct sw_session *s, const char *path, char *err,
		    size_t errlen)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		/* O_DIRECTORY|O_NOFOLLOW on a symlink says ENOTDIR or ELOOP. */
		if ((e == ELOOP || e == ENOTDIR) && lstat(path, &st) == 0 &&
		    S_ISLNK(st.st_mode))
			e = ELOOP;
		snprintf(err, errlen, "%s: %s", path,
			 e == ELOOP ? "is a symbolic link: refusing to use it"
				    : strerror(e));
		return -e;
	}
	if (fstat(fd, &st) < 0 || st.st_uid != geteuid() ||
	    (st.st_mode & 0022)) {
		snprintf(err, errlen,
			 "%s: not a private directory of ours: refusing to use it",
			 path);
		close(fd);
		return -EPERM;
	}
	int dfd = fcntl(fd, F_DUPFD_CLOEXEC, 0);
	DIR *d = dfd >= 0 ? fdopendir(dfd) : NULL;
	if (!d) {
		int e = errno;
		if (dfd >= 0)
			close(dfd);
		close(fd);
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -e;
	}
	snprintf(s->path, sizeof(s->path), "%s", path);
	s->dirfd = fd;
	s->dir = d;
	return 0;
}

int sw_session_create(struct sw_session *s, const char *userdir, char *err,
		      size_t errlen)
{
	char path[sizeof(s->path)];
	for (int attempt = 0; attempt < 8; attempt++) {
		uint64_t rnd = 0;
		if (getrandom(&rnd, sizeof(rnd), GRND_NONBLOCK) != sizeof(rnd))
			rnd = ((uint64_t)rand() << 32) ^ (uint64_t)rand() ^
			      (uint64_t)getpid();
		int len = snprintf(path, sizeof(path), "%s/s%d-%016" PRIx64,
				   userdir, (int)getpid(), rnd);
		if (len < 0 || (size_t)len >= sizeof(path)) {
			snprintf(err, errlen, "%s: path too long", userdir);
			return -ENAMETOOLONG;
		}
		if (mkdir(path, 0700) == 0)
			return open_dir(s, path, err, errlen);
		if (errno != EEXIST) {
			int e = errno;
			snprintf(err, errlen, "cannot create %s: %s", path,
				 strerror(e));
			return -e;
		}
	}
	snprintf(err, errlen, "cannot create a session directory in %s", userdir);
	return -EEXIST;
}

int sw_session_open(struct sw_session *s, const char *path, char *err,
		    size_t errlen)
{
	if (strlen(path) >= sizeof(s->path)) {
		snprintf(err, errlen, "session path too long");
		return -ENAMETOOLONG;
	}
	return open_dir(s, path, err, errlen);
}

int sw_seg_name_parse(const char *name, int32_t *pid, uint32_t *epoch)
{
	uint64_t v[2] = {0, 0};
	const char *p = name;
	for (int k = 0; k < 2; k++) {
		const char *start = p;
		while (*p >= '0' && *p <= '9') {
			v[k] = v[k] * 10 + (uint64_t)(*p - '0');
			if (v[k] > UINT32_MAX)
				return -EINVAL;
			p++;
		}
		if (p == start || p - start > 10 || *p != '.')
			return -EINVAL;
		p++;
	}
	if (strcmp(p, "seg") != 0 || v[0] == 0 || v[0] > INT32_MAX)
		return -EINVAL;
	*pid = (int32_t)v[0];
	*epoch = (uint32_t)v[1];
	return 0;
}

int sw_session_scan(struct sw_session *s, sw_seg_name_fn fn, void *arg)
{
	struct dirent *de;
	rewinddir(s->dir);
	errno = 0;
	while ((de = readdir(s->dir)) != NULL) {
		int32_t pid;
		uint32_t epoch;
		if (sw_seg_name_parse(de->d_name, &pid, &epoch) < 0)
			continue;
		int rc = fn(arg, de->d_name, pid, epoch);
		if (rc)
			return rc;
		errno = 0;
	}
	return errno ? -errno : 0;
}

int sw_session_remove(struct sw_session *s)
{
	int first = 0;
	struct dirent *de;
	if (!s->dir)
		return -EBADF;
	rewinddir(s->dir);
	while ((de = readdir(s->dir)) != NULL) {
		int32_t pid;
		uint32_t epoch;
		if (sw_seg_name_parse(de->d_name, &pid, &epoch) < 0)
			continue;
		if (unlinkat(s->dirfd, de->d_name, 0) < 0 && errno != ENOENT &&
		    !first)
			first = -errno;
	}
	if (rmdir(s->path) < 0 && !first)
		first = -errno;
	return first;
}

void sw_session_close(struct sw_session *s)
{
	if (!s->dir) /* never opened (dirfd is only valid along with dir) */
		return;
	closedir(s->dir);
	close(s->dirfd);
	s->dir = NULL;
	s->dirfd = -1;
}
