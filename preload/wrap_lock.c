/*
 * wrap_lock.c - the synchronisation calls of the call table
 * (SW_CALLS_LOCK in include/syswatch/calls.h), expanded by kind.
 *
 * The uncontended paths touch neither the thread's slot nor the clock: an
 * acquisition costs one non-blocking try through a function pointer, a
 * release one relaxed load of the primitive. Only a wait that really
 * blocks, or a release that may wake a waiter, is timed and recorded; both
 * are counted under the futex row, as strace would see them. A release is
 * stamped before the real call, so the woken thread's wait always ends
 * after its waker's stamp.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <semaphore.h>
#include <stdint.h>
#include <time.h>

#include "clock.h"
#include "lockpeek.h"
#include "shim.h"
#include "sud.h"


/* Symbol versions: the exported name of each C function. */
#define SYMVER_V_DEFAULT(cname, sym)
#define SYMVER_V_2_3_2(cname, sym) __asm__(".symver " #cname "," #sym "@@GLIBC_2.3.2");
#define SYMVER_V_2_2_5(cname, sym) __asm__(".symver " #cname "," #sym "@GLIBC_2.2.5");

/* Would the non-blocking try have had to wait? */
#define WOULD_BLOCK_PTH(r) ((r) == EBUSY)
#define WOULD_BLOCK_NEG(r) ((r) == -1 && errno == EAGAIN)
#define FAILED_PTH(r) ((r) != 0)
#define FAILED_NEG(r) ((r) != 0)
#define ERRNUM_PTH(r, e) (r)
#define ERRNUM_NEG(r, e) (e)
#define NOSYS_PTH ENOSYS
#define NOSYS_NEG (errno = ENOSYS, -1)

/* The non-blocking form, straight from the resolved table (the
 * constructor filled it; sw__real is the fallback before that). */
#define TRY(tryname, targs)                                                          \
	((sw_real_##tryname##_t)(__builtin_expect(sw__reals[SW_FN_##tryname] != NULL, 1) \
					 ? sw__reals[SW_FN_##tryname]                    \
					 : sw__real(SW_FN_##tryname)))targs
/* Only the -1/errno convention can have errno changed by the try. */
#define SAVE_ERRNO_PTH(e0) (void)(e0)
#define SAVE_ERRNO_NEG(e0) e0 = errno
#define RESTORE_ERRNO_PTH(e0) (void)0
#define RESTORE_ERRNO_NEG(e0) errno = e0

/* The primitive's address as an event records it. */
#define PRIM_ADDR(a0) ((uintptr_t)(a0))

#define REAL_OR_NOSYS(cname, err)                                                 \
	sw_real_##cname##_t real = (sw_real_##cname##_t)sw__reals[SW_FN_##cname];  \
	if (__builtin_expect(real == NULL, 0)) {                                   \
		real = (sw_real_##cname##_t)sw__real(SW_FN_##cname);               \
		if (real == NULL)                                                  \
			return NOSYS_##err;                                        \
	}

/*
 * A release is recorded when glibc itself will wake someone: for a mutex,
 * when a waiter is asleep on it. A thread that takes the lock on its fast
 * path between a wake-up and the woken thread's return to the CPU
 * releases without waking anyone, and is not recorded: it did not keep
 * the woken thread waiting (that thread was waiting for a CPU, which the
 * report shows as wake-up latency after the waker's release). An earlier
 * version counted in-flight waiters per address to record those releases
 * too; on a hot mutex (8 threads, 20 ns critical sections) that recorded
 * nearly every unlock and made the program 2.5x slower.
 */
#define WAITING_MUTEX(a0) 0
#define WAITING_RWLOCK(a0) 0
#define WAITING_COND(a0) 0
#define WAITING_SEM(a0) 0
#define WAITING_THREAD(a0) 0
#define WAIT_ENTER_MUTEX(a0) (void)0
#define WAIT_LEAVE_MUTEX(a0) (void)0
#define WAIT_ENTER_RWLOCK(a0) (void)0
#define WAIT_LEAVE_RWLOCK(a0) (void)0
#define WAIT_ENTER_COND(a0) (void)0
#define WAIT_LEAVE_COND(a0) (void)0
#define WAIT_ENTER_SEM(a0) (void)0
#define WAIT_LEAVE_SEM(a0) (void)0
#define WAIT_ENTER_THREAD(a0) (void)0
#define WAIT_LEAVE_THREAD(a0) (void)0

/* Time the real call and record it under the futex row. Under complete
 * mode the raw futex (and clone3) calls inside are trapped and counted with
 * their real number and errors (EAGAIN included); the wrapper then leaves
 * only its event, which the lock analysis needs. */
#define TIMED_CALL(cname, row, err, args, a0, counted) \
	TIMED_CALL_AROUND(cname, row, err, args, a0, counted, (void)0, (void)0)
#define TIMED_CALL_AROUND(cname, row, err, args, a0, counted, pre, post)                  \
	struct sw_cap cap = {.fd = -1, .addr = PRIM_ADDR(a0), .has_addr = 1};              \
	pre;                                                                               \
	uint64_t t0 = sw__ticks();                                                         \
	int r = real args;                                                                 \
	uint64_t t1 = sw__ticks();                                                         \
	post;                                                                              \
	int e = errno;                                                                     \
	if ((counted) && !sw__sud_armed(t))                                                \
		sw__record(t, SW_FN_##cname, SW_ROW_##row, t0, t1, r, FAILED_##err(r),     \
			   FAILED_##err(r) ? ERRNUM_##err(r, e) : 0, &cap, -1, 0);         \
	else                                                                               \
		sw__event_only(t, SW_FN_##cname, SW_ROW_##row, t0, t1, r, FAILED_##err(r), \
			       FAILED_##err(r) ? ERRNUM_##err(r, e) : 0, &cap);            \
	errno = e;                                                                         \
	return r;

#define FIRST_ARG(a0, ...) a0

/*
 * Acquisitions and releases are split: the exported function is the fast
 * path only (no frame to set up, a tail call into libc), the timing lives
 * in a separate cold function that re-reads the resolved pointer.
 */
#define LOCK_ACQ(cname, sym, prim, err, params, args, aux)                  \
	__attribute__((noinline, cold)) static int cname##_slow params      \
	{                                                                   \
		sw_real_##cname##_t real = (sw_real_##cname##_t)sw__real(SW_FN_##cname); \
		struct sw_tls *t = sw__row_off[SW_ROW_futex] ? NULL : sw__enter(); \
		if (t == NULL)                                              \
			return real args;                                   \
		TIMED_CALL_AROUND(cname, futex, err, args, FIRST_ARG args, 1, \
				  WAIT_ENTER_##prim(FIRST_ARG args),        \
				  WAIT_LEAVE_##prim(FIRST_ARG args))        \
	}                                                                   \
	SW_EXPORT int cname params                                          \
	{                                                                   \
		REAL_OR_NOSYS(cname, err)                                   \
		int e0 = 0;                                                 \
		SAVE_ERRNO_##err(e0);                                       \
		int tr = aux;                                               \
		if (!WOULD_BLOCK_##err(tr))                                 \
			return tr;                                          \
		RESTORE_ERRNO_##err(e0);                                    \
		return cname##_slow args;                                   \
	}

/* Always timed (waits that always block, thread creation, and init or
 * destroy, which only leave an event: counted is 0 for those). */
#define LOCK_TIMED(cname, err, params, args, row, counted)              \
	SW_EXPORT int cname params                                      \
	{                                                               \
		REAL_OR_NOSYS(cname, err)                               \
		struct sw_tls *t = sw__row_off[SW_ROW_##row] ? NULL : sw__enter(); \
		if (t == NULL)                                          \
			return real args;                               \
		TIMED_CALL(cname, row, err, args, FIRST_ARG args, counted) \
	}

#define LOCK_WAIT(cname, sym, prim, err, params, args, aux) LOCK_TIMED(cname, err, params, args, futex, 1)
#define LOCK_LIFE(cname, sym, prim, err, params, args, aux) LOCK_TIMED(cname, err, params, args, futex, 0)
#define LOCK_CREATE(cname, sym, prim, err, params, args, aux) \
	LOCK_TIMED(cname, err, params, args, clone3, 1)

#define LOCK_REL(cname, sym, prim, err, params, args, aux)                  \
	__attribute__((noinline, cold)) static int cname##_slow params      \
	{                                                                   \
		sw_real_##cname##_t real = (sw_real_##cname##_t)sw__real(SW_FN_##cname); \
		struct sw_tls *t = sw__enter();                             \
		if (t == NULL)                                              \
			return real args;                                   \
		TIMED_CALL(cname, futex, err, args, FIRST_ARG args, 1)      \
	}                                                                   \
	SW_EXPORT int cname params                                          \
	{                                                                   \
		REAL_OR_NOSYS(cname, err)                                   \
		if (__builtin_expect((!(aux) && !WAITING_##prim(FIRST_ARG args)) || \
				     sw__row_off[SW_ROW_futex], 1))           \
			return real args;                                   \
		return cname##_slow args;                                   \
	}

#define LOCK_INIT LOCK_LIFE
#define LOCK_DESTROY LOCK_LIFE

#define LOCK_PASS(cname, sym, prim, err, params, args, aux) \
	SW_EXPORT int cname params                    \
	{                                             \
		REAL_OR_NOSYS(cname, err)             \
		return real args;                     \
	}

#define SW_LOCK_TYPEDEF(cname, sym, ver, kind, prim, err, params, args, aux) \
	typedef int(*sw_real_##cname##_t) params;
#define SW_LOCK_DEFINE(cname, sym, ver, kind, prim, err, params, args, aux) \
	LOCK_##kind(cname, sym, prim, err, params, args, aux) SYMVER_##ver(cname, sym)

SW_CALLS_LOCK(SW_LOCK_TYPEDEF)
SW_CALLS_LOCK(SW_LOCK_DEFINE)

/* pthread_exit: the thread's slot is closed by the thread-exit hook
 * (thread.c) that pthread_exit runs; this wrapper only forwards. */
SW_EXPORT void pthread_exit(void *ret)
{
	typedef void (*exit_t)(void *);
	exit_t real = (exit_t)sw__real(SW_FN_pthread_exit);
	if (real != NULL)
		real(ret);
	__builtin_trap(); /* libc without pthread_exit: nothing sane to do */
}
