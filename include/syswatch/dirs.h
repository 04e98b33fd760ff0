/*
 * dirs.h - where segments live, and the one rule for trusting a directory
 * there. Shared by the shim (preload/init.c) and the CLI
 * (collector/session.c) so that they never disagree about a directory.
 */
#ifndef SYSWATCH_DIRS_H
#define SYSWATCH_DIRS_H

#include <sys/stat.h>
#include <sys/types.h>

/* The per-user directory: $SYSWATCH_DIR when set and not empty, else
 * SW_DIR_BASE "/syswatch-<uid>". */
#define SW_DIR_ENV  "SYSWATCH_DIR"
#define SW_DIR_BASE "/dev/shm"

enum sw_dir_verdict {
	SW_DIR_OK = 0,
	SW_DIR_NOT_DIR,	 /* a symbolic link or not a directory at all */
	SW_DIR_NOT_OURS, /* owned by another user */
	SW_DIR_OPEN,	 /* group or others have some permission on it */
};

/*
 * Whether a directory with this lstat() mode and owner may hold our
 * segments: a real directory, owned by euid, with no permission bit for
 * group or others (mode & 077 == 0). The set-user-id, set-group-id and
 * sticky bits (4700, 2700, 1700) give nobody any access and are accepted:
 * a setgid bit inherited from a parent directory must not turn tracing
 * off. Pure; safe anywhere.
 */
static inline enum sw_dir_verdict sw_dir_check(mode_t mode, uid_t owner, uid_t euid)
{
	if (!S_ISDIR(mode))
		return SW_DIR_NOT_DIR;
	if (owner != euid)
		return SW_DIR_NOT_OURS;
	if (mode & 077)
		return SW_DIR_OPEN;
	return SW_DIR_OK;
}

#endif
