/*
 * wrap_signal.c - the signal calls of the call table (SW_CALLS_SIGNAL),
 * and raise and sigqueue, which issue more than one syscall each.
 *
 * Kept in a file of their own: complete mode will have to keep the
 * program from blocking or replacing SIGSYS here, and that belongs beside
 * these wrappers, not in the generic body.
 */
#include "wrap.h"

#include <sys/syscall.h>

/* Whether glibc passes a disposition change for sig to the kernel: it
 * refuses numbers out of range and its own two internal signals (32, 33:
 * thread cancellation and set*id broadcast) with EINVAL, no syscall. */
int sw__sig_settable(int sig)
{
	return sig > 0 && sig < _NSIG && sig != 32 && sig != 33;
}

SW_CALLS_SIGNAL(SW_WRAP)

/*
 * raise(sig) in glibc 2.36 is pthread_kill on the calling thread: gettid,
 * getpid, then tgkill (measured with strace; no mask change for the
 * calling thread). The handler of sig runs when tgkill returns, inside the
 * timed interval, and its own calls are counted as usual (nothing is busy
 * while the real call runs). A handler that does not return (longjmp,
 * exit) leaves this raise uncounted.
 */
typedef int (*sw_real_raise_t)(int);
SW_EXPORT int raise(int sig)
{
	sw_real_raise_t real = (sw_real_raise_t)sw__real(SW_FN_raise);
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	struct sw_tls *t = sw__row_off[SW_ROW_tgkill] ? NULL : sw__enter();
	if (t == NULL)
		return real(sig);
	struct sw_cap cap = {.fd = -1};
	uint64_t t0 = sw__ticks();
	int r = real(sig);
	uint64_t t1 = sw__ticks();
	int e = errno;
	sw__count_untimed(t, SW_ROW_gettid, 1, 0);
	sw__count_untimed(t, SW_ROW_getpid, 1, 0);
	sw__record(t, SW_FN_raise, SW_ROW_tgkill, t0, t1, r, r != 0, r != 0 ? e : 0, &cap, -1, 0);
	errno = e;
	return r;
}

/* sigqueue(pid, sig, value): getpid and getuid to fill in the sender,
 * then rt_sigqueueinfo (glibc 2.36, measured with strace). */
typedef int (*sw_real_sigqueue_t)(pid_t, int, const union sigval);
SW_EXPORT int sigqueue(pid_t pid, int sig, const union sigval val)
{
	sw_real_sigqueue_t real = (sw_real_sigqueue_t)sw__real(SW_FN_sigqueue);
	if (real == NULL) {
		errno = ENOSYS;
		return -1;
	}
	struct sw_tls *t = sw__row_off[SW_ROW_rt_sigqueueinfo] ? NULL : sw__enter();
	if (t == NULL)
		return real(pid, sig, val);
	struct sw_cap cap = {.fd = -1};
	uint64_t t0 = sw__ticks();
	int r = real(pid, sig, val);
	uint64_t t1 = sw__ticks();
	int e = errno;
	sw__count_untimed(t, SW_ROW_getpid, 1, 0);
	sw__count_untimed(t, SW_ROW_getuid, 1, 0);
	sw__record(t, SW_FN_sigqueue, SW_ROW_rt_sigqueueinfo, t0, t1, r, r != 0, r != 0 ? e : 0,
		   &cap, -1, 0);
	errno = e;
	return r;
}
