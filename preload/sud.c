/*
 * sud.c - complete mode: every system call of the program, through
 * Syscall User Dispatch (Linux >= 5.11, no privilege), without ptrace.
 *
 * prctl(PR_SET_SYSCALL_USER_DISPATCH, ON, start, len, &selector) is per
 * thread. Syscall instructions whose *following* address lies in
 * [start, start + len) always run (the shim's whole text, plus 2 bytes so
 * that a syscall ending the text still counts as inside); every other one
 * raises SIGSYS in the thread that made it when the thread's selector byte
 * (struct sw_tls.sel, in TLS) says BLOCK. sud_trap.c's handler times the
 * call, issues it from the shim's text, records it under sw_sysno_row(nr)
 * and puts the result in the interrupted RAX. A wrapper that records its
 * call sets the selector to ALLOW around the real call (and restores the
 * previous value, so a handler interrupting a wrapper nests correctly):
 * the call is counted once, by the wrapper. How the hard cases go
 * (measured or read in the kernel's kernel/entry/syscall_user_dispatch.c,
 * kernel/signal.c and glibc 2.36's sysdeps/unix/sysv/linux/x86_64):
 *
 * - Not inherited: fork, clone and execve all start the child with
 *   dispatch off (checked here: a fork child and a pthread do not trap,
 *   an exec'd image runs). So every new thread turns it on itself: a
 *   thread created through a trapped clone/clone3 in the clone stub
 *   (sud_asm.c), a fork child in the handler or in the atfork handler,
 *   an exec'd image in its constructor; threads that existed before the
 *   shim started (or were made while their creator's calls were let
 *   through) on their first wrapped call (thread.c claims their slot).
 * - rt_sigreturn: glibc's restorer (__restore_rt) is in libc and would
 *   trap. The shim's SIGSYS handler returns through its own restorer
 *   (sud_asm.c, inside the allowed text), and every rt_sigaction the
 *   program makes is rewritten to use the shim's counted restorer (and
 *   those installed before the start are rewritten at start). A restorer
 *   the shim did not see (a raw syscall made while let through) traps
 *   with nr 15: the handler counts it and does the sigreturn itself from
 *   the interrupted stack pointer, as that restorer would have; the
 *   handler's own frame is dropped. Never loops.
 * - SIGSYS must never be blocked or ignored while a thread traps: the
 *   kernel forces a blocked SIGSYS to its default action and kills the
 *   process. glibc blocks every signal around clone (pthread_create,
 *   posix_spawn). So the handler runs with SA_NODEFER and an empty
 *   sa_mask (its mask is the interrupted code's), and trapped
 *   rt_sigprocmask calls are applied to the interrupted context's saved
 *   mask without SIGSYS (sud_sig.c); the masks of rt_sigsuspend, ppoll,
 *   pselect6 and epoll_pwait lose SIGSYS the same way; sa_mask of every
 *   handler the program installs loses SIGSYS.
 * - The program's own SIGSYS action is kept by the shim, never installed:
 *   rt_sigaction(SIGSYS) is answered from and stored in sud_sig.c. A
 *   SIGSYS that is not ours (si_code other than SYS_USER_DISPATCH: a
 *   seccomp SECCOMP_RET_TRAP, a kill) goes to that action: its handler is
 *   called with the same arguments, SIG_IGN returns, SIG_DFL kills the
 *   process as the kernel would have. A seccomp filter sees the shim's
 *   re-issued call exactly as it would have seen the program's, and a
 *   program handler that emulates the call (sets RAX) is honoured.
 *   A program that turns on dispatch itself (Wine, gVisor-like runtimes)
 *   takes the thread over: the shim says so in one line and that thread
 *   goes back to the wrappers.
 * - clone/clone3 with CLONE_VM and a new stack (threads, posix_spawn):
 *   issued from the handler the child would come back in the handler's
 *   frame on a stack that is not its own. The clone stub copies the
 *   interrupted registers below the child's stack top and the child
 *   jumps straight back to the interrupted code with them (rax = 0),
 *   after turning its own dispatch on. fork-like clones (no CLONE_VM)
 *   are issued from the handler: the child has its own copy of the frame
 *   and returns through it. A raw vfork (or CLONE_VM|CLONE_VFORK without a
 *   stack) would let the child reuse the handler's frame while the parent
 *   still needs it: it is issued as a fork (same semantics for a child
 *   that only execs or exits; written down as a limit). glibc's vfork()
 *   is the shim's own trampoline (proc.c), whose syscall is allowed.
 * - execve: counted before it is issued (it does not return), the
 *   segment marked EXECED; a failure is added when it returns. The new
 *   image starts without dispatch and turns it on in its constructor.
 * - Signal handlers interrupting a wrapper run with the selector the
 *   wrapper set (ALLOW): their unwrapped calls are not trapped.
 * - A call trapped while the thread records (busy) is still performed,
 *   just not recorded (sw__enter returns NULL): same as a nested wrapper.
 * - The vfork child and posix_spawn's child share their parent's memory
 *   and TLS: their calls are recorded in the parent's slot (the parent is
 *   suspended until they exec or exit); the vfork trampoline (proc.c)
 *   lowers the busy flag for its child under complete mode and turns its
 *   dispatch on.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <link.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>

#include "clock.h"
#include "sud.h"
#include "sys.h"

static uintptr_t text_lo, text_len;
extern struct sw_ksigaction sw__sud_prog_sigsys SW_HIDDEN; /* sud_sig.c */

/* The audit object's table, when its SIGSYS handler was the one we
 * replaced (sw__sud_start). */
static struct sw_audit_early *early;

/* Whether the SIGSYS handler in old is the audit object's: then take its
 * table over, and the program's action it had kept. */
static void find_audit(struct sw_ksigaction *old)
{
	Dl_info info;
	struct link_map *map = NULL;
	if (old->handler == (void *)SIG_DFL || old->handler == (void *)SIG_IGN ||
	    dladdr1(old->handler, &info, (void **)&map, RTLD_DL_LINKMAP) == 0 || map == NULL ||
	    info.dli_fname == NULL || strstr(info.dli_fname, "libsyswatch_audit.so") == NULL)
		return;
	/* A handle is a link map in glibc, whatever its namespace. */
	struct sw_audit_early *a = dlsym(map, "sw_audit_table");
	if (a == NULL || a->magic != SW_AUDIT_MAGIC)
		return;
	__atomic_store_n(&a->taken, 1, __ATOMIC_RELEASE);
	*old = a->old;
	/* Our own prctl that took dispatch over trapped into the audit
	 * object's handler: not the program's. */
	if (a->calls[SYS_prctl] > 0)
		a->calls[SYS_prctl]--;
	early = a;
}

_Static_assert(SW_AUDIT_NR == SW_SYSNO_MAX + 1, "audit table size");

void sw__sud_adopt_early(void)
{
	struct sw_audit_early *a = early;
	early = NULL;
	struct sw_tls *t = sw__enter();
	if (a == NULL || t == NULL)
		return;
	sw__rec_begin(t);
	for (unsigned nr = 0; nr < SW_AUDIT_NR; nr++) {
		uint64_t self = a->self[nr] < a->calls[nr] ? a->self[nr] : a->calls[nr];
		a->calls[nr] -= self; /* the loader's work on the shim itself */
		if (a->calls[nr] == 0)
			continue;
		unsigned row = sw_sysno_row(nr);
		if (sw__row_off[row])
			continue;
		struct sw_counter *c = &t->counters[row];
		c->calls += a->calls[nr];
		c->errors += a->errors[nr];
		/* The audit object's ticks are TSC cycles: kept as time only
		 * when the shim's are too. */
		if (sw__use_tsc) {
			/* The audit object keeps a sum per number, not each call:
			 * the calls go into the histogram bucket of their mean, so
			 * that the histogram still adds up to the timed calls (the
			 * collector checks it). */
			uint64_t mean = a->ticks[nr] / a->calls[nr];
			unsigned b = mean ? 64u - (unsigned)__builtin_clzll(mean) : 0u;
			c->total += a->ticks[nr];
			c->hist[b < SW_HIST_BUCKETS ? b : SW_HIST_BUCKETS - 1] += a->calls[nr];
			if (c->min == 0 || mean < c->min)
				c->min = mean ? mean : 1;
			if (mean > c->max)
				c->max = mean;
		} else {
			c->untimed += a->calls[nr];
		}
	}
	sw__rec_end(t);
}

void sw__sud_stop(void)
{
	if (!sw__g.complete)
		return;
	__atomic_store_n(&sw__t.sel, SW_SEL_ALLOW, __ATOMIC_RELAXED);
	(void)sw__sys6(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_OFF, 0, 0, 0, 0);
	(void)sw__sys4(SYS_rt_sigaction, SIGSYS, &sw__sud_prog_sigsys, 0, 8);
	sw__t.sud = 0;
	sw__g.complete = 0;
	early = NULL;
}

static long dispatch_on(void)
{
	return sw__sys6(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, PR_SYS_DISPATCH_ON, (long)text_lo,
			(long)text_len, (long)&sw__t.sel, 0);
}

void sw__sud_thread_on(int force)
{
	struct sw_tls *t = &sw__t;
	if (!sw__g.complete || (t->sud && !force))
		return;
	if (dispatch_on() != 0)
		return;
	t->sud = 1;
	__atomic_store_n(&t->sel, SW_SEL_BLOCK, __ATOMIC_RELAXED);
}

/* Complete mode cannot start: say why, once for the whole process tree
 * (the children inherit SYSWATCH_COMPLETE=0 and do not try again). */
static void say(const char *msg)
{
	(void)sw__sys3(SYS_write, 2, msg, strlen(msg));
	(void)setenv("SYSWATCH_COMPLETE", "0", 1);
}

void sw__sud_start(void)
{
	const char *want = getenv("SYSWATCH_COMPLETE");
	if (want == NULL || strcmp(want, "1") != 0)
		return;
	if (sw__text_range((const void *)&sw__sud_start, &text_lo, &text_len) != 0) {
		say("syswatch: complete mode: cannot find the shim's own code; counting at the "
		    "libc entry points only\n");
		return;
	}
	/* Probe first, with the selector allowing: EINVAL means no kernel
	 * support (before 5.11, or CONFIG_SYSCALL_USER_DISPATCH off). */
	long r = dispatch_on();
	if (r != 0) {
		say(r == -EINVAL
			? "syswatch: complete mode needs Syscall User Dispatch (Linux "
			  "5.11 or later), which this kernel lacks; counting at the libc "
			  "entry points only\n"
			: "syswatch: complete mode: Syscall User Dispatch refused; counting "
			  "at the libc entry points only\n");
		return;
	}
	struct sw_ksigaction sa = {
	    .handler = (void *)sw__sud_sigsys,
	    .flags = SA_SIGINFO | SA_NODEFER | SA_RESTORER | SA_RESTART,
	    .restorer = (void *)sw__sud_restore_quiet,
	    .mask = 0,
	};
	if (sw__sys4(SYS_rt_sigaction, SIGSYS, &sa, &sw__sud_prog_sigsys, 8) != 0) {
		(void)sw__sys6(SYS_prctl, PR_SET_SYSCALL_USER_DISPATCH, 0, 0, 0, 0, 0);
		say("syswatch: complete mode: cannot install the SIGSYS handler; counting at the "
		    "libc entry points only\n");
		return;
	}
	find_audit(&sw__sud_prog_sigsys);
	uint64_t sigsys = 1ull << (SIGSYS - 1);
	(void)sw__sys4(SYS_rt_sigprocmask, SIG_UNBLOCK, &sigsys, 0, 8);
	sw__g.complete = 1;
	sw__sud_adopt_handlers();
	sw__t.sud = 1;
	__atomic_store_n(&sw__t.sel, SW_SEL_BLOCK, __ATOMIC_RELAXED);
}
