/*
 * recover.c - sessions left behind by a collector that died:
 * `syswatch report --recover` reports and removes them, and every
 * `syswatch run` removes the ones older than an hour (stale segments must
 * not fill /dev/shm).
 *
 * A session is abandoned only when nothing of it can still be running:
 * the process named in its directory name (the `syswatch run` that made
 * it, or the root program of a plain LD_PRELOAD run), every process that
 * wrote a segment, and every collector that attached to one are gone.
 * Only real directories of ours directly under our own per-user directory
 * are considered; nothing is followed through a symlink, and only segment
 * files are removed (the directory itself only once it is empty).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "commands.h"
#include "engine.h"
#include "proc.h"
#include "recover.h"
#include "segment.h"
#include "session.h"

/* The pid in a session directory name "s<pid>-<hex>" or "a<pid>-<hex>";
 * 0 if the name is not one of ours. */
static int32_t session_pid(const char *name)
{
	if (name[0] != 's' && name[0] != 'a')
		return 0;
	char *end;
	errno = 0;
	long v = strtol(name + 1, &end, 10);
	if (errno || end == name + 1 || *end != '-' || v <= 0 || v > INT32_MAX)
		return 0;
	return (int32_t)v;
}

struct live_ctx {
	struct sw_session *s;
	bool live;
};

static int seg_live(void *arg, const char *name, int32_t pid, uint32_t epoch)
{
	struct live_ctx *c = arg;
	struct sw_seg seg = {.fd = -1};
	char err[200];
	if (sw_seg_open(&seg, c->s->dirfd, name, pid, epoch, err, sizeof(err)) < 0) {
		/* Unreadable or unfinished: only its process can tell. */
		c->live = sw_proc_alive(pid, 0);
		return c->live;
	}
	int32_t coll = __atomic_load_n(&sw_seg_live(&seg)->collector_pid,
				       __ATOMIC_ACQUIRE);
	c->live = sw_proc_alive(pid, seg.hdr.proc_start) ||
		  (coll > 0 && coll != (int32_t)getpid() && sw_proc_alive(coll, 0));
	sw_seg_close(&seg);
	return c->live;
}

/* Is anything of the session (opened in s, named name) still running? */
static bool session_live(struct sw_session *s, const char *name)
{
	int32_t pid = session_pid(name);
	if (pid && pid != (int32_t)getpid() && sw_proc_alive(pid, 0))
		return true;
	struct live_ctx c = {s, false};
	if (sw_session_scan(s, seg_live, &c) < 0)
		return true; /* cannot tell: leave it */
	return c.live;
}

/* Open entry `name` of the user directory as a session of ours. */
static int open_entry(int userfd, const char *userdir, const char *name,
		      struct sw_session *s, struct stat *st)
{
	char path[sizeof(s->path)], err[300];
	if (!session_pid(name) ||
	    fstatat(userfd, name, st, AT_SYMLINK_NOFOLLOW) < 0)
		return -ENOENT;
	if (S_ISLNK(st->st_mode))
		return -ELOOP;
	if (!S_ISDIR(st->st_mode))
		return -ENOTDIR;
	if (st->st_uid != geteuid())
		return -EPERM;
	int n = snprintf(path, sizeof(path), "%s/%s", userdir, name);
	if (n < 0 || (size_t)n >= sizeof(path))
		return -ENAMETOOLONG;
	s->dirfd = -1;
	return sw_session_open(s, path, err, sizeof(err));
}

/* Call fn for each abandoned session older than min_age_s seconds. A
 * user directory that is not ours to use (a planted symlink, another
 * owner, open to others) is refused: -errno, with what and why in err.
 * With tell, the entries refused inside it are named there. */
static int each_abandoned(time_t min_age_s,
			  int (*fn)(void *arg, struct sw_session *s), void *arg,
			  FILE *tell, char *err, size_t errlen)
{
	char userdir[256];
	struct stat ust;
	if (sw_userdir_path(SW_SHM_BASE, userdir, sizeof(userdir)) < 0) {
		snprintf(err, errlen, "the user directory's path is too long");
		return -ENAMETOOLONG;
	}
	if (lstat(userdir, &ust) < 0 && errno == ENOENT)
		return 0; /* nothing was ever left */
	int rc = sw_userdir_ensure(userdir, err, errlen); /* says why not */
	if (rc < 0)
		return rc;
	int fd = open(userdir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s: %s", userdir, strerror(-rc));
		return rc;
	}
	/* Checked again on what we opened: it may have been swapped. */
	if (fstat(fd, &ust) < 0 || ust.st_uid != geteuid() ||
	    (ust.st_mode & 0077)) {
		close(fd); /* not our private directory: touch nothing */
		snprintf(err, errlen, "%s changed while being opened: refusing "
			 "to use it", userdir);
		return -EPERM;
	}
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -errno;
	}
	time_t now = time(NULL);
	struct dirent *de;
	while (rc == 0 && (de = readdir(d)) != NULL) {
		struct sw_session s = {.dirfd = -1};
		struct stat st;
		int e = open_entry(dirfd(d), userdir, de->d_name, &s, &st);
		if (e < 0 && e != -ENOENT && tell)
			fprintf(tell, "syswatch: refused %s/%s: %s; left alone\n", userdir,
				de->d_name, e == -ELOOP ? "a symbolic link, never followed"
				: e == -ENOTDIR ? "not a directory"
				: e == -EPERM ? "not ours (another owner)" : strerror(-e));
		if (e < 0)
			continue;
		if (now - st.st_mtime >= min_age_s && !session_live(&s, de->d_name))
			rc = fn(arg, &s);
		sw_session_close(&s);
	}
	closedir(d);
	return rc;
}

static int remove_one(void *arg, struct sw_session *s)
{
	(void)arg;
	sw_session_remove(s);
	return 0;
}

void sw_recover_sweep_stale(void)
{
	char err[512];
	each_abandoned(SW_STALE_AGE_S, remove_one, NULL, NULL, err, sizeof(err));
}

struct recover_ctx {
	const struct sw_cli *cli;
	FILE *out;
	int found;
	int failed;
};

/* Read what the session's segments hold, as a collector would have. */
static int salvage(void *arg, struct sw_session *s)
{
	struct recover_ctx *c = arg;
	struct sw_engine *e = NULL;
	struct sw_model m;
	sw_model_init(&m);
	struct sw_engine_opts eo = {.session = s, .model = &m};
	uint64_t moved;
	int rc = sw_model_builtin_rows(&m);
	if (rc == 0)
		rc = sw_engine_new(&e, &eo);
	if (rc == 0)
		rc = sw_engine_pass(e, &moved);
	if (rc == 0)
		rc = sw_engine_finish(e);
	if (rc < 0) {
		sw_error("%s: out of memory; left in place", s->path);
		c->failed++;
		goto out;
	}
	if (c->found++)
		fputc('\n', c->out);
	fprintf(c->out, "syswatch: recovered %s:\n", s->path);
	if (sw_report_write(c->out, &m, &c->cli->report) < 0) {
		sw_error("cannot write the report of %s; left in place", s->path);
		c->failed++;
		goto out;
	}
	sw_session_remove(s);
out:
	sw_engine_free(e);
	sw_model_free(&m);
	return 0;
}

int sw_cmd_recover(const struct sw_cli *cli)
{
	struct recover_ctx c = {.cli = cli};
	c.out = sw_output_open(cli->output);
	if (!c.out)
		return 1;
	char err[512];
	int rc = each_abandoned(0, salvage, &c, c.out, err, sizeof(err));
	if (rc < 0)
		sw_error("nothing recovered: %s", err);
	else if (!c.found && !c.failed)
		fprintf(c.out, "syswatch: nothing to recover\n");
	if (c.out != stderr && fclose(c.out) != 0)
		rc = -EIO;
	return rc < 0 || c.failed ? 1 : 0;
}
