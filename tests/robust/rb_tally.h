/*
 * rb_tally.h - a robustness workload's own account of what it did.
 *
 * As in tests/workloads/tally.h, the workload says next to each libc call
 * which syscall glibc 2.36 on x86-64 issues for it (fork is clone,
 * posix_spawn is clone3, waitpid is wait4, _exit/exit is exit_group) and
 * whether it failed, from the call's own return value. Nothing here comes
 * from syswatch.
 *
 * The tally lives in a MAP_SHARED anonymous mapping made at start, so
 * threads and forked children add to one table with atomics. Everything
 * the workload does for its own bookkeeping (writing the tally file, its
 * pid, its progress) goes through a raw syscall instruction, which no
 * wrapper sees, so that bookkeeping never shows in the report. The shim
 * counts syscall(2) itself since issue 9, so syscall is redefined below
 * to that raw instruction for every file that includes this header.
 */
#ifndef SW_RB_TALLY_H
#define SW_RB_TALLY_H

#define _GNU_SOURCE
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <errno.h>
#include <stdarg.h>
#include <sys/syscall.h>
#include <unistd.h>

/* syscall(2) without libc: the syscall instruction here, -1 and errno on
 * failure as syscall(2) does. */
static inline long rb_raw_syscall(long n, ...)
{
	va_list ap;
	long a[6];
	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	register long r10 __asm__("r10") = a[3];
	register long r8 __asm__("r8") = a[4];
	register long r9 __asm__("r9") = a[5];
	long r;
	__asm__ volatile("syscall"
			 : "=a"(r)
			 : "0"(n), "D"(a[0]), "S"(a[1]), "d"(a[2]), "r"(r10), "r"(r8), "r"(r9)
			 : "rcx", "r11", "memory");
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}
#define syscall rb_raw_syscall

/* clang-format off */
#define RB_ROWS(X) \
	X(getcwd) X(access) X(faccessat2) X(write) X(read) X(openat) X(close) \
	X(clone) X(clone3) X(vfork) X(wait4) X(execve) X(exit_group) X(kill) \
	X(pipe2) X(newfstatat) X(readlinkat) X(lseek) X(system)

enum rb_row {
#define RB_ENUM(n) RB_##n,
	RB_ROWS(RB_ENUM)
#undef RB_ENUM
	RB_NROWS
};
/* clang-format on */

static const char *const rb_row_names[RB_NROWS] = {
#define RB_NAME(n) #n,
    RB_ROWS(RB_NAME)
#undef RB_NAME
};

struct rb_tally {
	uint64_t calls[RB_NROWS];
	uint64_t errors[RB_NROWS];
};

/* A tally shared with threads and forked children; exits on failure
 * (through the raw exit_group, which is not counted either). */
static inline struct rb_tally *rb_tally_new(void)
{
	void *p = (void *)syscall(SYS_mmap, 0, sizeof(struct rb_tally), PROT_READ | PROT_WRITE,
				  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED || ((long)p < 0 && (long)p > -4096)) {
		syscall(SYS_write, 2, "rb_tally: mmap failed\n", 22);
		syscall(SYS_exit_group, 99);
	}
	return p;
}

/* Count n calls of row r; all failed when failed != 0. */
static inline void rb_did(struct rb_tally *t, enum rb_row r, uint64_t n, int failed)
{
	__atomic_fetch_add(&t->calls[r], n, __ATOMIC_RELAXED);
	if (failed)
		__atomic_fetch_add(&t->errors[r], n, __ATOMIC_RELAXED);
}

/* Raw write of a whole buffer. */
static inline void rb_raw_write(int fd, const char *s, size_t n)
{
	while (n > 0) {
		long w = syscall(SYS_write, fd, s, n);
		if (w <= 0)
			return;
		s += w;
		n -= (size_t)w;
	}
}

/* Raw open for appending (the shim does not see it). */
static inline int rb_raw_open_append(const char *path)
{
	return (int)syscall(SYS_openat, AT_FDCWD, path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
			    0644);
}

/* Append the tally as "row calls errors" lines (only non-zero rows). */
static inline void rb_tally_write(const char *path, const struct rb_tally *t)
{
	char buf[64 * RB_NROWS];
	size_t n = 0;
	for (int i = 0; i < RB_NROWS; i++)
		if (t->calls[i] || t->errors[i])
			n += (size_t)snprintf(buf + n, sizeof buf - n, "%s %llu %llu\n",
					      rb_row_names[i], (unsigned long long)t->calls[i],
					      (unsigned long long)t->errors[i]);
	int fd = rb_raw_open_append(path);
	if (fd < 0)
		return;
	rb_raw_write(fd, buf, n);
	syscall(SYS_close, fd);
}

/* Append "tag value\n" to a file (pids, progress notes). */
static inline void rb_note(const char *path, const char *tag, long value)
{
	char buf[128];
	int n = snprintf(buf, sizeof buf, "%s %ld\n", tag, value);
	int fd = rb_raw_open_append(path);
	if (fd < 0)
		return;
	rb_raw_write(fd, buf, (size_t)n);
	syscall(SYS_close, fd);
}

/* Raw exit_group: a process end the shim does not see. */
static inline void rb_raw_exit(int status)
{
	for (;;)
		syscall(SYS_exit_group, status);
}

#endif
