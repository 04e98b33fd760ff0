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

/* An entry point that issues two other syscalls before its own (row):
 * each counted once, untimed, beside the timed call. */
#define SW_WRAP_AFTER_TWO(name, params, args, row, first, second)                                  \
	SW_WRAP_INT(name, params, args, SW_ROW_##row, CAP_NONE,                                    \
		    (sw__count_untimed(t, SW_ROW_##first, 1, 0),                                   \
		     sw__count_untimed(t, SW_ROW_##second, 1, 0)))

/*
 * raise(sig) in glibc 2.36 is pthread_kill on the calling thread: gettid,
 * getpid, then tgkill (measured with strace; no mask change for the
 * calling thread). The handler of sig runs when tgkill returns, inside the
 * timed interval, and its own calls are counted as usual (nothing is busy
 * while the real call runs). A handler that does not return (longjmp,
 * exit) leaves this raise uncounted.
 */
SW_WRAP_AFTER_TWO(raise, (int sig), (sig), tgkill, gettid, getpid)

/* sigqueue(pid, sig, value): getpid and getuid to fill in the sender,
 * then rt_sigqueueinfo (glibc 2.36, measured with strace). */
SW_WRAP_AFTER_TWO(sigqueue, (pid_t pid, int sig, const union sigval val), (pid, sig, val),
		  rt_sigqueueinfo, getpid, getuid)
