/*
 * wrap_syscall.c - syscall(): every number is counted under its own row
 * (sw_sysno_row in rows.h; syscall_unknown for numbers the table does not
 * know). Rust's and C++'s runtimes issue futex this way, libuv statx and
 * close, other programs getrandom, gettid, openat2, pidfd_open...
 *
 * futex keeps the lock class's meaning (the operation goes into the
 * event's aux, the word's address into addr); every other number is a
 * plain call, failed when syscall() returns -1, with its descriptor or
 * path captured for the common ones.
 *
 * Numbers that create or end a process or thread, or replace its image,
 * pass through uncounted: a child made by a raw clone or fork would
 * return into this frame and write into its parent's counters (the
 * segment is shared memory), and exit never returns.
 *
 * Under complete mode (preload/sud.c) nothing is recorded here: the
 * syscall instruction inside libc's syscall() traps and is counted by the
 * handler like any other.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <sys/syscall.h>

#include "clock.h"
#include "shim.h"
#include "sud.h"

typedef long (*sw_real_syscall_t)(long, ...);

/* Fill cap from the arguments of syscall n: a descriptor, a path, or
 * both (the *at calls), for the calls programs most often make directly. */
static void capture(long n, const long a[6], struct sw_cap *cap)
{
	switch (n) {
	case SYS_futex:
		cap->addr = (uintptr_t)a[0];
		cap->has_addr = 1;
		cap->aux = (uint64_t)a[1];
		cap->has_aux = 1;
		break;
	case SYS_openat:
	case SYS_openat2:
	case SYS_newfstatat:
	case SYS_statx:
	case SYS_faccessat:
	case SYS_faccessat2:
	case SYS_unlinkat:
	case SYS_mkdirat:
	case SYS_readlinkat:
		cap->path = (const char *)a[1];
		cap->fd = (int)a[0];
		cap->has_fd = (int)a[0] != AT_FDCWD;
		break;
	case SYS_open:
	case SYS_stat:
	case SYS_lstat:
	case SYS_access:
	case SYS_unlink:
	case SYS_mkdir:
	case SYS_readlink:
		cap->path = (const char *)a[0];
		break;
	case SYS_read:
	case SYS_write:
	case SYS_close:
	case SYS_fstat:
	case SYS_lseek:
	case SYS_pread64:
	case SYS_pwrite64:
	case SYS_ioctl:
	case SYS_fcntl:
	case SYS_getdents64:
	case SYS_fsync:
	case SYS_fdatasync:
		cap->fd = (int)a[0];
		cap->has_fd = 1;
		break;
	default:
		break;
	}
}

/* The numbers passed through uncounted (see the top of this file). */
static int passes_through(long n)
{
	return n == SYS_clone || n == SYS_clone3 || n == SYS_fork || n == SYS_vfork ||
	       n == SYS_exit || n == SYS_exit_group || n == SYS_execve || n == SYS_execveat ||
	       n == SYS_rt_sigreturn;
}

SW_EXPORT long syscall(long n, ...)
{
	va_list ap;
	long a[6];
	va_start(ap, n);
	for (int i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);
	sw_real_syscall_t real = (sw_real_syscall_t)sw__real(SW_FN_syscall);
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	unsigned row = sw_sysno_row(n);
	struct sw_tls *t = sw__row_off[row] || passes_through(n) ? NULL : sw__enter();
	/* Under complete mode the raw syscall inside traps and is counted
	 * there, with the handler's care for signals, clone and exec. */
	if (t == NULL || sw__sud_armed(t))
		return real(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	int e0 = errno;
	struct sw_cap cap = {.fd = -1};
	capture(n, a, &cap);
	errno = e0;
	uint64_t t0 = sw__ticks();
	long r = real(n, a[0], a[1], a[2], a[3], a[4], a[5]);
	uint64_t t1 = sw__ticks();
	int e = errno;
	int failed = r == -1;
	sw__record(t, SW_FN_syscall, row, t0, t1, r, failed, failed ? e : 0, &cap, -1, 0);
	errno = e;
	return r;
}
