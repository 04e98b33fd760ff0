/*
 * wrap_fsx.c - the file calls beyond wrap_fs.c (SW_CALLS_FSX), and sync
 * and closefrom, which return nothing and so are wrapped by hand.
 *
 * Rows as glibc 2.36 issues them (measured with strace): statvfs is one
 * statfs, the utime/utimes/futimes/lutimes/futimesat family one utimensat,
 * mknod and mkfifo one mknodat, lockf one fcntl, isatty and the tc* calls
 * one ioctl each. posix_fallocate falls back to writing the file itself
 * when the file system has no fallocate; those pwrite64 calls are made
 * inside libc and not seen.
 */
#include "wrap.h"

SW_CALLS_FSX(SW_WRAP)

/* A function returning nothing, counted as one call of row that cannot
 * fail: sync and closefrom (close_range, whose failure closefrom hides). */
#define SW_WRAP_VOID(name, row, params, args)                                                      \
	typedef void(*sw_real_##name##_t) params;                                                  \
	SW_EXPORT void name params                                                                 \
	{                                                                                          \
		sw_real_##name##_t real = (sw_real_##name##_t)sw__real(SW_FN_##name);              \
		if (real == NULL)                                                                  \
			return;                                                                    \
		struct sw_tls *t = sw__row_off[SW_ROW_##row] ? NULL : sw__enter();                 \
		if (t == NULL || sw__sud_armed(t)) { /* complete: the traps count */              \
			real args;                                                                 \
			return;                                                                    \
		}                                                                                  \
		struct sw_cap cap = {.fd = -1};                                                    \
		uint64_t t0 = sw__ticks();                                                         \
		real args;                                                                         \
		uint64_t t1 = sw__ticks();                                                         \
		int e = errno;                                                                     \
		sw__record(t, SW_FN_##name, SW_ROW_##row, t0, t1, 0, 0, 0, &cap, -1, 0);           \
		errno = e;                                                                         \
	}

SW_WRAP_VOID(sync, sync, (void), ())
SW_WRAP_VOID(closefrom, close_range, (int a0), (a0))

/* renameat2 with no flags is glibc 2.36's renameat (the renameat
 * syscall); with flags, the renameat2 syscall. */
SW_WRAP_CHOOSE(renameat2, (int a0, const char *a1, int a2, const char *a3, unsigned int a4),
	       (a0, a1, a2, a3, a4), a4 == 0, renameat, renameat2, CAP_AT(a0, a1))
