/*
 * session.c - per-user and per-session directories (see session.h).
 *
 * Both directories are created 0700 and checked with lstat/O_NOFOLLOW:
 * another user must not be able to plant a symlink that makes us read or
 * remove files elsewhere (DESIGN.md, decision 4).
 */
#include "session.h"

#include "syswatch/dirs.h"

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
	const char *dir = getenv(SW_DIR_ENV);
	int len = dir && *dir ? snprintf(buf, n, "%s", dir)
			      : snprintf(buf, n, "%s/syswatch-%u", base, (unsigned)getuid());
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
	switch (sw_dir_check(st.st_mode, st.st_uid, geteuid())) {
	case SW_DIR_OK:
		break;
	case SW_DIR_NOT_DIR:
		if (S_ISLNK(st.st_mode)) {
			snprintf(err, errlen,
				 "%s is a symbolic link, not a directory: refusing to "
				 "use it (remove it and retry)",
				 path);
			return -ELOOP;
		}
		snprintf(err, errlen, "%s is not a directory: refusing to use it",
			 path);
		return -ENOTDIR;
	case SW_DIR_NOT_OURS:
		snprintf(err, errlen,
			 "%s belongs to uid %u, not to us: refusing to use it",
			 path, (unsigned)st.st_uid);
		return -EPERM;
	case SW_DIR_OPEN:
		snprintf(err, errlen,
			 "%s has mode %04o: group or others have access; refusing "
			 "to use it (chmod go= it, or remove it)",
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
	if (fstat(fd, &st) < 0 ||
	    sw_dir_check(st.st_mode, st.st_uid, geteuid()) != SW_DIR_OK) {
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

/* "<pid>.<epoch>." at the start of name: 0 and *rest after it, or -EINVAL. */
static int parse_pid_epoch(const char *name, int32_t *pid, uint32_t *epoch,
			   const char **rest)
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
	if (v[0] == 0 || v[0] > INT32_MAX)
		return -EINVAL;
	*pid = (int32_t)v[0];
	*epoch = (uint32_t)v[1];
	*rest = p;
	return 0;
}

int sw_seg_name_parse(const char *name, int32_t *pid, uint32_t *epoch)
{
	const char *rest;
	if (parse_pid_epoch(name, pid, epoch, &rest) < 0 || strcmp(rest, "seg") != 0)
		return -EINVAL;
	return 0;
}

int sw_fail_name_parse(const char *name, struct sw_fail_note *f)
{
	const char *rest;
	if (parse_pid_epoch(name, &f->pid, &f->epoch, &rest) < 0)
		return -EINVAL;
	size_t n = strcspn(rest, "-");
	char *end;
	if (n == 0 || n >= sizeof(f->step) || rest[n] != '-' || rest[n + 1] < '0' ||
	    rest[n + 1] > '9')
		return -EINVAL;
	unsigned long e = strtoul(rest + n + 1, &end, 10);
	if (strcmp(end, ".fail") != 0 || e > 4095)
		return -EINVAL;
	memcpy(f->step, rest, n);
	f->step[n] = '\0';
	f->err = (int)e;
	return 0;
}

/* Every entry that is a segment or a failure note: fn(arg, name, note),
 * note NULL for a segment. */
static int scan_all(struct sw_session *s,
		    int (*fn)(void *, const char *, int32_t, uint32_t,
			      const struct sw_fail_note *),
		    void *arg)
{
	struct dirent *de;
	rewinddir(s->dir);
	errno = 0;
	while ((de = readdir(s->dir)) != NULL) {
		struct sw_fail_note f;
		int rc = 0;
		if (sw_seg_name_parse(de->d_name, &f.pid, &f.epoch) == 0)
			rc = fn(arg, de->d_name, f.pid, f.epoch, NULL);
		else if (sw_fail_name_parse(de->d_name, &f) == 0)
			rc = fn(arg, de->d_name, f.pid, f.epoch, &f);
		if (rc)
			return rc;
		errno = 0;
	}
	return errno ? -errno : 0;
}

struct scan_ctx {
	sw_seg_name_fn seg;
	sw_fail_fn fail;
	void *arg;
};

static int scan_one(void *arg, const char *name, int32_t pid, uint32_t epoch,
		    const struct sw_fail_note *f)
{
	const struct scan_ctx *c = arg;
	if (!f)
		return c->seg ? c->seg(c->arg, name, pid, epoch) : 0;
	return c->fail ? c->fail(c->arg, f) : 0;
}

int sw_session_scan(struct sw_session *s, sw_seg_name_fn fn, void *arg)
{
	struct scan_ctx c = {.seg = fn, .arg = arg};
	return scan_all(s, scan_one, &c);
}

int sw_session_scan_fails(struct sw_session *s, sw_fail_fn fn, void *arg)
{
	struct scan_ctx c = {.fail = fn, .arg = arg};
	return scan_all(s, scan_one, &c);
}

static int remove_one(void *arg, const char *name, int32_t pid, uint32_t epoch,
		      const struct sw_fail_note *f)
{
	struct sw_session *s = arg;
	(void)pid;
	(void)epoch;
	(void)f;
	if (unlinkat(s->dirfd, name, 0) < 0 && errno != ENOENT && !s->remove_err)
		s->remove_err = -errno;
	return 0;
}

int sw_session_remove(struct sw_session *s)
{
	if (!s->dir)
		return -EBADF;
	s->remove_err = 0;
	int rc = scan_all(s, remove_one, s);
	int first = s->remove_err ? s->remove_err : rc;
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
