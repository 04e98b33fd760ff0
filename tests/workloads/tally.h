/*
 * tally.h - a workload's own account of the system calls it made.
 *
 * The end-to-end tests compare syswatch's table with what the workload
 * did. "What it did" must not come from syswatch (or from the shim's call
 * table): each workload says, next to every libc call it makes, which
 * system call glibc 2.36 on x86-64 issues for it and whether it failed
 * (read from the call's own return value). That knowledge is written here
 * once more, on purpose independently of include/syswatch/; where the two
 * disagree, the strace test shows which one is right.
 *
 * Tallies live in a MAP_SHARED mapping made before any thread or child
 * exists, so threads and forked children add to one table. Each worker
 * keeps a private tally and adds it with atomics when it is done.
 */
#ifndef SW_WL_TALLY_H
#define SW_WL_TALLY_H

#include <stdint.h>

/* The syscalls the workloads issue, by strace's name. */
/* clang-format off */
#define WL_SYSCALLS(X) \
	X(openat) X(creat) X(read) X(pread64) X(readv) X(preadv) X(write) \
	X(pwrite64) X(writev) X(close) X(lseek) X(newfstatat) X(statx) \
	X(access) X(faccessat2) X(readlink) X(readlinkat) X(getcwd) \
	X(getdents64) X(unlink) X(unlinkat) X(rename) X(renameat) X(mkdir) \
	X(mkdirat) X(rmdir) X(fsync) X(fdatasync) X(ftruncate) X(fcntl) \
	X(ioctl) X(dup) X(dup2) X(dup3) X(pipe2) X(mmap) X(munmap) \
	X(mprotect) X(madvise)

enum wl_sys {
#define WL_ENUM(name) WL_##name,
	WL_SYSCALLS(WL_ENUM)
#undef WL_ENUM
	WL_NSYS
};
/* clang-format on */

struct wl_tally {
	uint64_t calls[WL_NSYS];
	uint64_t errors[WL_NSYS];
};

/* Count n calls of syscall s; `failed` of them failed (0 or n). */
static inline void wl_did(struct wl_tally *t, enum wl_sys s, int n, int failed)
{
	t->calls[s] += (uint64_t)n;
	if (failed)
		t->errors[s] += (uint64_t)n;
}

/* Add a worker's private tally into the shared one. */
static inline void wl_tally_add(struct wl_tally *into, const struct wl_tally *from)
{
	for (int i = 0; i < WL_NSYS; i++) {
		__atomic_fetch_add(&into->calls[i], from->calls[i], __ATOMIC_RELAXED);
		__atomic_fetch_add(&into->errors[i], from->errors[i], __ATOMIC_RELAXED);
	}
}

#endif
