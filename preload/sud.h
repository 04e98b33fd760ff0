/*
 * sud.h - complete mode: every system call through Syscall User Dispatch
 * (sud.c, sud_trap.c, sud_sig.c; the design and its corner cases are in
 * the comment at the top of sud.c).
 *
 * What the wrappers need from it is inline here: a wrapper that records
 * its call lets it through the dispatch (the selector byte says "allow")
 * for the length of the real call, so the call is counted once, by the
 * wrapper, with its richer capture.
 */
#ifndef SW_PRELOAD_SUD_H
#define SW_PRELOAD_SUD_H

#include <signal.h>
#include <stdint.h>

#include "shim.h"
#include "sud_text.h"

/*
 * Entry points whose glibc implementation does more than the one syscall
 * of their row (stdio and dirent allocate, fclose flushes, opendir also
 * fstats, getcwd(NULL) mallocs): under complete mode they record nothing
 * and let the traps count what they really issue. Wrappers of the signal
 * calls (sigaction, signal, sigprocmask, pthread_sigmask, sigsuspend...)
 * belong here too: their raw calls must trap, so that the handler keeps
 * SIGSYS the shim's and unblocked (sud_sig.c); let through, a blocked
 * SIGSYS would outlive the wrapper and the next trap would kill.
 */
#define SW_SUD_COMPOUND(X)                                                                         \
	X(fopen)                                                                                   \
	X(fopen64) X(fclose) X(opendir) X(fdopendir) X(readdir) X(readdir64) X(closedir) X(getcwd) \
	    X(__getcwd_chk) X(sigaction) X(signal) X(bsd_signal) X(sysv_signal) X(__sysv_signal)       \
	    X(sigprocmask) X(pthread_sigmask) X(sigsuspend) X(ppoll) X(__ppoll_chk) X(pselect)     \
	    X(epoll_pwait) X(epoll_pwait2)

/* Whether row is a library row (its inner syscalls are trapped, so a
 * wrapper of it never lets them through). Compile-time. */
enum sw_sud_rowlib {
#define SW_SUD_ROWLIB(id, name, cls, flags) SW_ROWLIB_##id = ((flags)&SW_ROWF_LIBRARY) != 0,
	SW_ROWS(SW_SUD_ROWLIB)
#undef SW_SUD_ROWLIB
};

/* Whether this thread traps right now (complete mode on, not inside a
 * wrapper's real call). */
static inline int sw__sud_armed(const struct sw_tls *t)
{
	return t->sel == SW_SEL_BLOCK;
}

/* Under complete mode, whether wrapper fn should pass its call through
 * unrecorded (a compound entry point: the traps count it). */
static inline int sw__sud_leaves(unsigned fn, const struct sw_tls *t)
{
	switch (fn) {
#define SW_SUD_CASE(n) case SW_FN_##n:
		SW_SUD_COMPOUND(SW_SUD_CASE)
#undef SW_SUD_CASE
		return sw__sud_armed(t);
	default:
		return 0;
	}
}

/* Let this thread's syscalls through; returns what to restore after. */
static inline uint8_t sw__sud_allow(struct sw_tls *t)
{
	uint8_t s = t->sel;
	__atomic_store_n(&t->sel, SW_SEL_ALLOW, __ATOMIC_RELAXED);
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	return s;
}

static inline void sw__sud_restore(struct sw_tls *t, uint8_t s)
{
	__atomic_signal_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&t->sel, s, __ATOMIC_RELAXED);
}

/* Start complete mode in this process if SYSWATCH_COMPLETE=1 asks for it
 * (constructor only; prints one line when it cannot). */
void sw__sud_start(void) SW_HIDDEN;

/* Turn complete mode off again (the shim stays inert); constructor only. */
void sw__sud_stop(void) SW_HIDDEN;

/* Add what the audit object counted before the shim started (init.c,
 * once recording is on). */
void sw__sud_adopt_early(void) SW_HIDDEN;

/* Turn dispatch on for the calling thread (a new thread, a fork child),
 * when the process is in complete mode. force: even if the thread's TLS
 * says it is on (a CLONE_VM child sharing its parent's TLS). Signal-safe. */
void sw__sud_thread_on(int force) SW_HIDDEN;

/* The SIGSYS handler (sud_trap.c) and the program's own SIGSYS action
 * (sud_sig.c), which the handler chains to. */
void sw__sud_sigsys(int sig, siginfo_t *si, void *uc) SW_HIDDEN;
void sw__sud_chain(int sig, siginfo_t *si, void *uc) SW_HIDDEN;

/* Trapped signal calls, sanitised so that SIGSYS stays ours and never
 * blocked (sud_sig.c). Each returns the syscall's result. */
long sw__sud_rt_sigaction(long sig, const struct sw_ksigaction *act, struct sw_ksigaction *old,
			  long size) SW_HIDDEN;
long sw__sud_rt_sigprocmask(long how, const uint64_t *set, uint64_t *old, long size,
			    uint64_t *frame_mask) SW_HIDDEN;
/* Rewrite the handlers installed before complete mode started. */
void sw__sud_adopt_handlers(void) SW_HIDDEN;

/* Restorers and stubs in the shim's own code (sud_asm.c). */
void sw__sud_restore_counted(void) SW_HIDDEN;
__attribute__((noreturn)) void sw__sud_sigreturn(void *frame_sp) SW_HIDDEN;

/* A 32-bit call (int $0x80) from the shim's text: r = eax, ebx, ecx,
 * edx, esi, edi, ebp of the interrupted context. Its result. */
long sw__sud_int80(const long r[7]) SW_HIDDEN;

/* A clone that gives the child a new stack, issued from the handler: the
 * child starts on its stack with the interrupted registers (regs: rbx,
 * rbp, r12-r15, rdi, rsi, rdx, r10, r8, r9, rip) and does not come back
 * through the handler. Returns the parent's result. */
long sw__sud_clone_stack(long nr, const long args[6], uintptr_t child_sp,
			 const long *regs) SW_HIDDEN;

#endif
