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

#include "syswatch/dirs.h"

#define SW_SHM_BASE SW_DIR_BASE

struct sw_session {
	char path[256]; /* the session directory */
	int dirfd;      /* open on it (O_DIRECTORY|O_NOFOLLOW) */
	DIR *dir;       /* for scanning, on a dup of dirfd */
	int remove_err; /* sw_session_remove's first error */
};

/* A note "<pid>.<epoch>.<step>-<errno>.fail" the shim leaves instead of
 * a segment it could not make: that process runs uncounted. */
struct sw_fail_note {
	int32_t pid;
	uint32_t epoch;
	char step[16]; /* create, size, reserve, stat, map */
	int err;       /* the errno of that step */
};

/* Write the per-user directory into buf: $SYSWATCH_DIR when set, else
 * "<base>/syswatch-<uid>"; -ENAMETOOLONG if it does not fit. */
int sw_userdir_path(const char *base, char *buf, size_t n);

/* Create the per-user directory (mode 0700) or check an existing one
 * against sw_dir_check (syswatch/dirs.h, the shim's rule too). On refusal,
 * returns a negative errno and a one-line reason in err. */
int sw_userdir_ensure(const char *path, char *err, size_t errlen);

/* Create a fresh session directory s<pid>-<hex> under userdir and open
 * it; 0 or a negative errno with err set. */
int sw_session_create(struct sw_session *s, const char *userdir, char *err,
		      size_t errlen);

/* Open an existing session directory (collect mode) that passes
 * sw_dir_check; 0 or negative errno, err set. */
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

/* Parse a failure note's name; -EINVAL if it is not one. */
int sw_fail_name_parse(const char *name, struct sw_fail_note *f);

/* Call fn for every failure note of the session (as sw_session_scan). */
typedef int (*sw_fail_fn)(void *arg, const struct sw_fail_note *f);
int sw_session_scan_fails(struct sw_session *s, sw_fail_fn fn, void *arg);

/* Remove the session's segment files, failure notes and the directory
 * itself; 0 or the
 * first negative errno met (it keeps going). */
int sw_session_remove(struct sw_session *s);

/* Close the session's descriptors (the directory stays). */
void sw_session_close(struct sw_session *s);

#endif
