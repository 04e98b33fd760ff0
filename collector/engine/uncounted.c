/*
 * uncounted.c - saying why a process or a thread ran uncounted: its
 * segment or its slot could not be made (see preload/segment.c). Each
 * case becomes one warning line of the report that names the cause, the
 * directory and its room, and what to do about it.
 */
#include <errno.h>
#include <inttypes.h>
#include <string.h>
#include <sys/statfs.h>

#include "engine_int.h"
#include "syswatch/dirs.h"

#define TMPFS_MAGIC_ 0x01021994

/* "a 1.0 MiB tmpfs with 12 KiB free" for the session's filesystem. */
static void room(const struct sw_engine *e, char *buf, size_t n)
{
	struct statfs sf;
	if (fstatfs(e->sess->dirfd, &sf) < 0) {
		snprintf(buf, n, "a filesystem whose size is unknown");
		return;
	}
	uint64_t total = (uint64_t)sf.f_blocks * (uint64_t)sf.f_bsize;
	uint64_t avail = (uint64_t)sf.f_bavail * (uint64_t)sf.f_bsize;
	snprintf(buf, n, "a %.1f MiB %s with %" PRIu64 " KiB free", (double)total / 1048576.0,
		 sf.f_type == TMPFS_MAGIC_ ? "tmpfs" : "filesystem", avail / 1024);
}

/* What to do when the segment directory is full. */
static const char *full_advice(const struct sw_engine *e)
{
	if (strncmp(e->sess->path, SW_DIR_BASE "/", sizeof(SW_DIR_BASE)) == 0)
		return "raise its size (mount -o remount,size=512m " SW_DIR_BASE
		       "; docker run --shm-size=512m) or set " SW_DIR_ENV
		       " to a directory of yours with room";
	return "make room there, or set " SW_DIR_ENV " to a directory of yours with room";
}

int sw__warn_fail_note(struct sw_engine *e, const struct sw_fail_note *f)
{
	char where[96];
	if (f->err == ENOSPC && strcmp(f->step, "reserve") == 0) {
		room(e, where, sizeof(where));
		return sw_model_warn(e->m,
				     "syswatch: process %" PRId32 " ran uncounted: "
				     "no room to reserve its segment in %s (%s); %s",
				     f->pid, e->sess->path, where, full_advice(e));
	}
	if (strcmp(f->step, "map") == 0)
		return sw_model_warn(e->m,
				     "syswatch: process %" PRId32 " ran uncounted: "
				     "mapping its segment was refused (%s)%s",
				     f->pid, strerror(f->err),
				     f->err == ENOMEM ? ": its address-space limit "
							"(ulimit -v) is too small"
						      : "");
	return sw_model_warn(e->m,
			     "syswatch: process %" PRId32 " ran uncounted: "
			     "its segment could not be made in %s (%s: %s)",
			     f->pid, e->sess->path, f->step, strerror(f->err));
}

int sw__warn_uncounted_threads(struct sw_engine *e, const struct sw_segrec *r, uint32_t nospace,
			       uint32_t nomap, int err)
{
	const struct sw_seg_header *h = &r->seg.hdr;
	int rc = 0;
	char where[96];
	if (nospace) {
		room(e, where, sizeof(where));
		rc = sw_model_warn(e->m,
				   "syswatch: process %" PRId32 " (%s): %" PRIu32
				   " %s ran uncounted: no room to reserve %s slot "
				   "(%" PRIu32 " KiB each) in %s (%s); %s",
				   h->pid, h->comm, nospace, nospace == 1 ? "thread" : "threads",
				   nospace == 1 ? "its" : "their", h->slot_size / 1024,
				   e->sess->path, where, full_advice(e));
	}
	if (rc == 0 && nomap)
		rc = sw_model_warn(e->m,
				   "syswatch: process %" PRId32 " (%s): %" PRIu32
				   " %s ran uncounted: mapping %s slot (%" PRIu32
				   " KiB) was refused (%s)%s",
				   h->pid, h->comm, nomap, nomap == 1 ? "thread" : "threads",
				   nomap == 1 ? "its" : "their", h->slot_size / 1024,
				   err > 0 ? strerror(err) : "unknown error",
				   err == ENOMEM ? ": the process's address-space limit "
						   "(ulimit -v) is too small"
						 : "");
	return rc;
}
