/*
 * mounts.h - the mount table (/proc/PID/mountinfo), and which mount a
 * path lives on.
 *
 * The table is read by the collector when it reports: for `syswatch
 * report` of an old trace, or a trace made on another machine or in
 * another mount namespace, it is today's table here, an approximation.
 * mountinfo is treated as untrusted text: bounded in size and count,
 * malformed lines skipped (and counted), never a crash.
 *
 * Usage: sw_mounts_read() (or sw_mounts_parse() on text), then
 * sw_mounts_find() for each path, then sw_mounts_free().
 */
#ifndef SW_COLLECTOR_MOUNTS_H
#define SW_COLLECTOR_MOUNTS_H

#include <stddef.h>

#define SW_MOUNTS_MAX_BYTES (16u << 20) /* larger mountinfo: -EFBIG */
#define SW_MOUNTS_MAX 100000            /* mounts kept; the rest skipped */

/* One mount, strings decoded (\040 is a space again). */
struct sw_mount {
	const char *point;  /* mount point, absolute */
	const char *fstype; /* "ext4", "tmpfs", "fuse.sshfs", "nfs4", ... */
	const char *source; /* "/dev/vda", "tmpfs", "server:/export", ... */
};

struct sw_mounts {
	struct sw_mount *mounts; /* in mountinfo order (parents first) */
	size_t n;
	size_t skipped;          /* malformed lines, and mounts beyond the max */
	char *text;              /* owns the strings */
};

/* Parse len bytes of mountinfo text into ms (uninitialised): 0 or
 * -ENOMEM (ms is then empty, still safe to free). Bad lines are skipped
 * and counted in ms->skipped. */
int sw_mounts_parse(const char *text, size_t len, struct sw_mounts *ms);

/* Read and parse the mountinfo file at path (NULL: /proc/self/mountinfo):
 * 0 or a negative errno (-EFBIG if over SW_MOUNTS_MAX_BYTES); ms is safe
 * to free either way. */
int sw_mounts_read(const char *path, struct sw_mounts *ms);

/* The mount path lives on: the one whose mount point is the longest
 * prefix of path in whole components (/mnt/a holds /mnt/a/x, not
 * /mnt/ab), the later one of mounts stacked on the same point. Empty and
 * "." components are ignored; ".." is taken literally (no symlink or
 * parent resolution). NULL for a relative path or an empty table. */
const struct sw_mount *sw_mounts_find(const struct sw_mounts *ms,
				      const char *path);

/* Free what ms owns (an all-zero ms is fine). */
void sw_mounts_free(struct sw_mounts *ms);

#endif
