/*
 * sud_sig.c - complete mode and the program's signals: SIGSYS stays the
 * shim's and is never blocked, the program's own SIGSYS action is kept
 * here and chained to, and every handler returns through the shim's
 * restorer (sud.c explains why). All of it runs in the SIGSYS handler or
 * in a wrapper: signal-safe, raw syscalls only.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "clock.h"
#include "sud.h"
#include "sys.h"

/* The SIGSYS action the program believes it has. */
struct sw_ksigaction sw__sud_prog_sigsys SW_HIDDEN;

#define SIGBIT(s) (1ull << ((s)-1))

/* What the shim makes of a handler the program installs: the counted
 * restorer, and SIGSYS never in its mask. */
static void adopt(struct sw_ksigaction *a)
{
	a->mask &= ~SIGBIT(SIGSYS);
	if (a->handler != (void *)SIG_DFL && a->handler != (void *)SIG_IGN &&
	    (a->flags & SA_RESTORER))
		a->restorer = (void *)sw__sud_restore_counted;
}

long sw__sud_rt_sigaction(long sig, const struct sw_ksigaction *act, struct sw_ksigaction *old,
			  long size)
{
	if (size != 8)
		return -EINVAL;
	if (sig == SIGSYS) {
		struct sw_ksigaction prev = sw__sud_prog_sigsys;
		if (act != NULL)
			sw__sud_prog_sigsys = *act;
		if (old != NULL)
			*old = prev;
		return 0;
	}
	if (act == NULL)
		return sw__sys4(SYS_rt_sigaction, sig, 0, old, size);
	struct sw_ksigaction mine = *act;
	adopt(&mine);
	return sw__sys4(SYS_rt_sigaction, sig, &mine, old, size);
}

long sw__sud_rt_sigprocmask(long how, const uint64_t *set, uint64_t *old, long size,
			    uint64_t *frame_mask)
{
	if (size != 8)
		return -EINVAL;
	/* The program sees the mask it asked for, SIGSYS included (glibc's
	 * posix_spawn child resets the signals it finds blocked), while the
	 * real one never has it. */
	uint64_t cur = *frame_mask | (sw__t.sigsys_masked ? SIGBIT(SIGSYS) : 0), next = cur;
	if (set != NULL) {
		switch (how) {
		case SIG_BLOCK:
			next = cur | *set;
			break;
		case SIG_UNBLOCK:
			next = cur & ~*set;
			break;
		case SIG_SETMASK:
			next = *set;
			break;
		default:
			return -EINVAL;
		}
	}
	if (old != NULL)
		*old = cur;
	sw__t.sigsys_masked = (next & SIGBIT(SIGSYS)) != 0;
	/* The mask takes effect when the handler returns through the frame. */
	*frame_mask = next & ~(SIGBIT(SIGSYS) | SIGBIT(SIGKILL) | SIGBIT(SIGSTOP));
	return 0;
}

void sw__sud_adopt_handlers(void)
{
	for (int s = 1; s <= 64; s++) {
		if (s == SIGSYS || s == SIGKILL || s == SIGSTOP)
			continue;
		struct sw_ksigaction a;
		if (sw__sys4(SYS_rt_sigaction, s, 0, &a, 8) != 0)
			continue;
		struct sw_ksigaction b = a;
		adopt(&b);
		if (memcmp(&a, &b, sizeof a) != 0)
			(void)sw__sys4(SYS_rt_sigaction, s, &b, 0, 8);
	}
}

void sw__sud_chain(int sig, siginfo_t *si, void *uc)
{
	struct sw_ksigaction a = sw__sud_prog_sigsys;
	if (a.handler == (void *)SIG_IGN)
		return;
	if (a.handler == (void *)SIG_DFL) {
		/* What the kernel would have done: the default action (core). */
		struct sw_ksigaction dfl = {.handler = (void *)SIG_DFL};
		(void)sw__sys4(SYS_rt_sigaction, SIGSYS, &dfl, 0, 8);
		(void)sw__sys6(SYS_prctl, 59, 0, 0, 0, 0, 0);
		(void)sw__sys3(SYS_tgkill, sw__sys0(SYS_getpid), sw__gettid(), SIGSYS);
		return;
	}
	if (a.flags & SA_SIGINFO)
		((void (*)(int, siginfo_t *, void *))a.handler)(sig, si, uc);
	else
		((void (*)(int))a.handler)(sig);
}

void sw__sud_note_sigreturn(void)
{
	struct sw_tls *t = sw__row_off[SW_ROW_rt_sigreturn] ? NULL : sw__enter();
	if (t == NULL)
		return;
	uint64_t now = sw__ticks();
	struct sw_cap cap = {.fd = -1};
	sw__record(t, SW_FN_syscall_trap, SW_ROW_rt_sigreturn, now, now, 0, 0, 0, &cap, -1, 0);
}
