/*
 * session.h - where segments live: the per-user directory
 * (/dev/shm/syswatch-<uid>, 0700) and one session directory per traced
 * program tree (s<pid>-<random hex>, 0700) holding <pid>.<epoch>.seg files.
 */
#ifndef SW_COLLECTOR_SESSION_H
#define SW_COLLECTOR_SESSION_H

#include <dirent.h>
#include <stddef.h>
#include <stdint.h>

#define SW_SHM_BASE "/dev/shm"

struct sw_session {
	char path[256]; /* the session directory */
	int dirfd;      /* open on it (O_DIRECTORY|O_NOFOLLOW) */
	DIR *dir;       /* for scanning, on a dup of dirfd */
};

/* Write "<base>/syswatch-<uid>" into buf; -ENAMETOOLONG if it does not fit. */
int sw_userdir_path(const char *base, char *buf, size_t n);

/* Create the per-user directory (mode 0700) or check an existing one: a
 * real directory (not a symlink), owned by us, mode 0700. On refusal,
 * returns a negative errno and a one-line reason in err. */
int sw_userdir_ensure(const char *path, char *err, size_t errlen);

/* Create a fresh session directory s<pid>-<hex> under userdir and open
 * it; 0 or a negative errno with err set. */
int sw_session_create(struct sw_session *s, const char *userdir, char *err,
		      size_t errlen);

/* Open an existing session directory (collect mode): a real directory
 * owned by us and not writable by others; 0 or negative errno, err set. */
int sw_session_open(struct sw_session *s, const char *path, char *err,
		    size_t errlen);

/* Called for each segment file name; a non-zero return stops the scan. */
typedef int (*sw_seg_name_fn)(void *arg, const char *name, int32_t pid,
			      uint32_t epoch);

/* Call fn for every "<pid>.<epoch>.seg" entry of the session; returns
 * fn's first non-zero value, 0, or a negative errno. */
int sw_session_scan(struct sw_session *s, sw_seg_name_fn fn, void *arg);

/* Parse a segment file name "<pid>.<epoch>.seg"; -EINVAL if it is not one. */
int sw_seg_name_parse(const char *name, int32_t *pid, uint32_t *epoch);

/* Remove the session's segment files and the directory itself; 0 or the
 * first negative errno met (it keeps going). */
int sw_session_remove(struct sw_session *s);

/* Close the session's descriptors (the directory stays). */
void sw_session_close(struct sw_session *s);

#endif
