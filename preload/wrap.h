/*
 * wrap.h - the one wrapper body, expanded for every row of the call table
 * (include/syswatch/calls.h). No wrapper is written by hand except the few
 * that cannot follow this pattern (dl.c, exit.c).
 *
 * Order of work, and why:
 *   1. fetch variadic arguments (they must be read before anything else);
 *   2. save errno, decide whether to record (sw__enter, the row's gate) and
 *      capture arguments, then restore errno: nothing we do before the
 *      real call may change what the real call sees;
 *   3. time the real call, then save its errno before recording, restore
 *      it last. Under complete mode (sud.h) the real call is let through
 *      the dispatch (unless the row is a library row, whose inner calls
 *      are trapped and counted), and compound entry points record nothing.
 */
#ifndef SW_PRELOAD_WRAP_H
#define SW_PRELOAD_WRAP_H

#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/inotify.h>
#include <sys/select.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "shim.h"
#include "sud.h"

int sw__dir_will_refill(DIR *d) SW_HIDDEN;
int sw__file_has_fd(FILE *f) SW_HIDDEN;
int sw__dir_fd(DIR *d) SW_HIDDEN;
int sw__file_fd(FILE *f) SW_HIDDEN;
int sw__sbrk_issues(intptr_t incr) SW_HIDDEN;
int sw__getentropy_issues(size_t len) SW_HIDDEN;
int sw__sig_settable(int sig) SW_HIDDEN;
int sw__timespec_valid(const struct timespec *ts) SW_HIDDEN;
int sw__mq_name_ok(const char *name) SW_HIDDEN;

#include "libc_protos.h"

enum { SW_ROW_none = -1 };

/* How each row's failure shows in its return value. */
#define SW_FAILED_NEG(r, e) ((long)(r) < 0)
#define SW_FAILED_NUL(r, e) ((r) == NULL)
#define SW_FAILED_MAPF(r, e) ((r) == MAP_FAILED)
#define SW_FAILED_NONE(r, e) 0
#define SW_FAILED_POS(r, e) ((r) != 0)
/* signal() and its aliases return SIG_ERR; isatty() returns 0 when its
 * ioctl failed (ENOTTY for a descriptor that is no terminal). */
#define SW_FAILED_SIGERR(r, e) ((r) == SIG_ERR)
#define SW_FAILED_ZERO(r, e) ((r) == 0)
/* fopen: EINVAL (a bad mode) is found before any syscall; fdopendir: only
 * EBADF comes from its fstat, its other errors are glibc's own checks. */
#define SW_FAILED_FOPEN(r, e) ((r) == NULL)
#define SW_FAILED_FDOPENDIR(r, e) ((r) == NULL && (e) == EBADF)
/* The call issued no syscall at all: count nothing. */
#define SW_NOCALL_NEG(r, e) 0
#define SW_NOCALL_NUL(r, e) 0
#define SW_NOCALL_MAPF(r, e) 0
#define SW_NOCALL_NONE(r, e) 0
#define SW_NOCALL_POS(r, e) 0
#define SW_NOCALL_SIGERR(r, e) 0
#define SW_NOCALL_ZERO(r, e) 0
#define SW_NOCALL_FOPEN(r, e) ((r) == NULL && (e) == EINVAL)
#define SW_NOCALL_FDOPENDIR(r, e) 0
#define SW_RESULT_NEG(r) ((int64_t)(r))
#define SW_RESULT_NUL(r) ((int64_t)((r) != NULL))
#define SW_RESULT_MAPF(r) ((int64_t)(uintptr_t)(r))
#define SW_RESULT_NONE(r) ((int64_t)(r))
#define SW_RESULT_POS(r) ((int64_t)(r))
#define SW_RESULT_SIGERR(r) ((int64_t)((r) != SIG_ERR))
#define SW_RESULT_ZERO(r) ((int64_t)(r))
#define SW_RESULT_FOPEN(r) ((int64_t)((r) != NULL))
#define SW_RESULT_FDOPENDIR(r) ((int64_t)((r) != NULL))
/* The error number an event records: errno, or the returned number. */
#define SW_ERRNUM_NEG(r, e) (e)
#define SW_ERRNUM_NUL(r, e) (e)
#define SW_ERRNUM_MAPF(r, e) (e)
#define SW_ERRNUM_NONE(r, e) 0
#define SW_ERRNUM_POS(r, e) ((int)(r))
#define SW_ERRNUM_SIGERR(r, e) (e)
#define SW_ERRNUM_ZERO(r, e) (e)
#define SW_ERRNUM_FOPEN(r, e) (e)
#define SW_ERRNUM_FDOPENDIR(r, e) (e)
/* What a wrapper returns when libc lacks the real function. */
#define SW_NOSYS_NEG(type) ((type)-1)
#define SW_NOSYS_NUL(type) ((type)0)
#define SW_NOSYS_MAPF(type) ((type)MAP_FAILED)
#define SW_NOSYS_NONE(type) ((type)0)
#define SW_NOSYS_POS(type) ((type)ENOSYS)
#define SW_NOSYS_SIGERR(type) (SIG_ERR)
#define SW_NOSYS_ZERO(type) ((type)0)
#define SW_NOSYS_FOPEN(type) ((type)0)
#define SW_NOSYS_FDOPENDIR(type) ((type)0)

/* Captures: fill `cap` from the arguments. */
#define CAP_NONE
#define CAP_FD(x) (cap.fd = (int)(x), cap.has_fd = 1);
#define CAP_PATH(x) (cap.path = (x));
#define CAP_AT(d, x) (cap.path = (x), cap.fd = (d), cap.has_fd = ((d) != AT_FDCWD));
#define CAP_DIR(d) (cap.fd = sw__dir_fd(d), cap.has_fd = 1);
#define CAP_FILE(f) (cap.fd = sw__file_fd(f), cap.has_fd = 1);
#define CAP_ADDR(x) (cap.addr = (uintptr_t)(x), cap.has_addr = 1);
#define CAP_SA(f, addr_, len_) \
	(cap.fd = (f), cap.has_fd = 1, cap.sa = (addr_), cap.sa_len = (addr_) ? (uint32_t)(len_) : 0);

/* Variadic tails. */
#define VA_NONE
#define VA_MODE(last)                                  \
	mode_t va = 0;                                 \
	if (__OPEN_NEEDS_MODE(last)) {                 \
		va_list ap;                            \
		va_start(ap, last);                    \
		va = (mode_t)va_arg(ap, unsigned int); \
		va_end(ap);                            \
	}
#define VA_ARG(last)                  \
	void *va;                     \
	{                             \
		va_list ap;           \
		va_start(ap, last);   \
		va = va_arg(ap, void *); \
		va_end(ap);           \
	}

/* prctl: four more unsigned long arguments, whatever the option uses
 * (the kernel reads all four registers, as glibc's own wrapper passes). */
#define VA_ULONG4(last)                                \
	unsigned long va[4];                           \
	{                                              \
		va_list ap;                            \
		va_start(ap, last);                    \
		for (int i_ = 0; i_ < 4; i_++)         \
			va[i_] = va_arg(ap, unsigned long); \
		va_end(ap);                            \
	}

#define SW_WRAP(name, ret, row, err, capture, vatail, params, args, gate, also, also_n)    \
	typedef ret(*sw_real_##name##_t) params;                                           \
	SW_EXPORT ret name params                                                          \
	{                                                                                  \
		vatail;                                                                    \
		sw_real_##name##_t real = (sw_real_##name##_t)sw__reals[SW_FN_##name];     \
		if (__builtin_expect(real == NULL, 0)) {                                   \
			real = (sw_real_##name##_t)sw__real(SW_FN_##name);                 \
			if (real == NULL) {                                                \
				errno = ENOSYS;                                            \
				return SW_NOSYS_##err(ret);                                \
			}                                                                  \
		}                                                                          \
		if (sw__row_off[SW_ROW_##row])                                             \
			return real args;                                                  \
		struct sw_tls *t = sw__enter();                                            \
		if (t == NULL || sw__sud_leaves(SW_FN_##name, t))                          \
			return real args;                                                  \
		int e0 = errno;                                                            \
		if (!(gate)) {                                                             \
			errno = e0;                                                        \
			return real args;                                                  \
		}                                                                          \
		struct sw_cap cap = {.fd = -1};                                            \
		capture;                                                                   \
		errno = e0;                                                                \
		uint8_t sel = SW_ROWLIB_##row ? t->sel : sw__sud_allow(t);                 \
		uint64_t t0 = sw__ticks();                                                 \
		ret r = real args;                                                         \
		uint64_t t1 = sw__ticks();                                                 \
		sw__sud_restore(t, sel);                                                   \
		int e = errno;                                                             \
		if (SW_NOCALL_##err(r, e)) {                                               \
			errno = e;                                                         \
			return r;                                                          \
		}                                                                          \
		int failed = SW_FAILED_##err(r, e);                                        \
		int whole = !failed && SW_RESULT_##err(r) != 0;                            \
		sw__record(t, SW_FN_##name, SW_ROW_##row, t0, t1, SW_RESULT_##err(r),      \
			   failed, SW_ERRNUM_##err(r, e), &cap,                            \
			   whole ? SW_ROW_##also : SW_ROW_none, also_n);                   \
		errno = e;                                                                 \
		return r;                                                                  \
	}

/*
 * A hand wrapper of an int-returning entry point (0 on success, -1 and
 * errno or another nonzero value on failure) whose row is an expression
 * of its arguments, with a statement run just before the call is recorded
 * (with t, r and e in scope). cap is the capture, as in the table.
 */
#define SW_WRAP_INT(name, params, args, row_expr, capture, before_record)              \
	typedef int (*sw_real_##name##_t) params;                                        \
	SW_EXPORT int name params                                                        \
	{                                                                                \
		sw_real_##name##_t real = (sw_real_##name##_t)sw__real(SW_FN_##name);      \
		if (real == NULL) {                                                      \
			errno = ENOSYS;                                                  \
			return -1;                                                       \
		}                                                                        \
		unsigned row = (row_expr);                                               \
		struct sw_tls *t = sw__row_off[row] ? NULL : sw__enter();                \
		if (t == NULL || sw__sud_armed(t)) /* complete: the traps count */      \
			return real args;                                                \
		struct sw_cap cap = {.fd = -1};                                          \
		capture;                                                                 \
		uint64_t t0 = sw__ticks();                                               \
		int r = real args;                                                       \
		uint64_t t1 = sw__ticks();                                               \
		int e = errno;                                                           \
		before_record;                                                           \
		sw__record(t, SW_FN_##name, row, t0, t1, r, r != 0, r != 0 ? e : 0, &cap, -1, 0); \
		errno = e;                                                               \
		return r;                                                                \
	}

/* An entry point whose syscall depends on its arguments: row_if when cond
 * holds, else row_else (renameat2 without flags is renameat; pkey_mprotect
 * with key -1 is mprotect). */
#define SW_WRAP_CHOOSE(name, params, args, cond, row_if, row_else, capture) \
	SW_WRAP_INT(name, params, args, (cond) ? SW_ROW_##row_if : SW_ROW_##row_else, capture, (void)0)

#endif
