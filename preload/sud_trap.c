/*
 * sud_trap.c - complete mode's SIGSYS handler: a syscall instruction
 * outside the shim trapped; perform it from the shim's text, count it
 * under its row and hand the result back in the interrupted RAX.
 *
 * Runs in signal context on the program's stack, with the program's
 * signal mask (SA_NODEFER): no allocation, no lock, no stdio, errno
 * untouched; other signals may interrupt it, and the program's handlers
 * then trap into it again, which is fine (the busy flag keeps a nested
 * call from recording over a half-written one; it is still performed).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/audit.h>
#include <linux/sched.h>
#include <signal.h>
#include <string.h>
#include <ucontext.h>

#include "clock.h"
#include "sud.h"
#include "sys.h"

#ifndef SYS_USER_DISPATCH
#define SYS_USER_DISPATCH 2
#endif

/* How a trapped call is handled (the plain ones: perform and record). */
enum trap_kind {
	TK_PLAIN,
	TK_SIGRETURN, /* a restorer outside the shim: emulate */
	TK_SIGACTION, /* SIGSYS stays ours */
	TK_SIGMASK,   /* never block SIGSYS */
	TK_MASKARG,   /* a temporary mask argument: drop SIGSYS from it */
	TK_CLONE,     /* process or thread creation */
	TK_EXEC,      /* counted before: a success does not return */
	TK_EXIT,      /* counted before: does not return */
	TK_PRCTL,     /* the program may take dispatch over */
};

/* Calls that are not plain; arg: the mask argument's index (TK_MASKARG;
 * pselect6's is a pointer to {sigset *, size}). */
#define SW_TRAP_SPECIAL(X)                                                                         \
	X(rt_sigreturn, TK_SIGRETURN, 0)                                                           \
	X(rt_sigaction, TK_SIGACTION, 0)                                                           \
	X(rt_sigprocmask, TK_SIGMASK, 0)                                                           \
	X(rt_sigsuspend, TK_MASKARG, 0)                                                            \
	X(ppoll, TK_MASKARG, 3)                                                                    \
	X(pselect6, TK_MASKARG, 5)                                                                 \
	X(epoll_pwait, TK_MASKARG, 4)                                                              \
	X(epoll_pwait2, TK_MASKARG, 4)                                                             \
	X(clone, TK_CLONE, 0)                                                                      \
	X(clone3, TK_CLONE, 0)                                                                     \
	X(fork, TK_CLONE, 0)                                                                       \
	X(vfork, TK_CLONE, 0)                                                                      \
	X(execve, TK_EXEC, 0)                                                                      \
	X(execveat, TK_EXEC, 0)                                                                    \
	X(exit, TK_EXIT, 0)                                                                        \
	X(exit_group, TK_EXIT, 0)                                                                  \
	X(prctl, TK_PRCTL, 0)

static enum trap_kind kind_of(unsigned row, int *arg)
{
	switch (row) {
#define SW_TRAP_CASE(id, k, a)                                                                     \
	case SW_ROW_##id:                                                                          \
		*arg = (a);                                                                        \
		return k;
		SW_TRAP_SPECIAL(SW_TRAP_CASE)
#undef SW_TRAP_CASE
	default:
		return TK_PLAIN;
	}
}

/* Rows whose first argument is a descriptor, and the *at rows whose
 * second is a path: what an event can capture without a table per row. */
static const unsigned char row_class[SW_ROW_COUNT] = {
#define SW_TRAP_CLS(id, name, cls, flags) [SW_ROW_##id] = (cls),
    SW_ROWS(SW_TRAP_CLS)
#undef SW_TRAP_CLS
};

static void capture(unsigned row, const long *a, long r, struct sw_cap *cap)
{
	if (row == SW_ROW_openat || row == SW_ROW_newfstatat || row == SW_ROW_statx ||
	    row == SW_ROW_faccessat2 || row == SW_ROW_readlinkat || row == SW_ROW_unlinkat ||
	    row == SW_ROW_mkdirat) {
		/* The path is read only when the kernel could read it. */
		if (r != -EFAULT && a[1] != 0)
			cap->path = (const char *)a[1];
		if ((int)a[0] != AT_FDCWD) {
			cap->fd = (int)a[0];
			cap->has_fd = 1;
		}
	} else if (row_class[row] == SW_CLASS_DESC || row_class[row] == SW_CLASS_NETWORK) {
		cap->fd = (int)a[0];
		cap->has_fd = 1;
	} else if (row_class[row] == SW_CLASS_LOCK || row_class[row] == SW_CLASS_MEMORY) {
		cap->addr = (uintptr_t)a[0];
		cap->has_addr = 1;
		cap->aux = (uint64_t)a[1];
		cap->has_aux = row == SW_ROW_futex;
	}
}

static struct sw_tls *may_record(unsigned row)
{
	return sw__row_off[row] ? NULL : sw__enter();
}

static void record(struct sw_tls *t, unsigned row, const long *a, uint64_t t0, uint64_t t1, long r)
{
	if (t == NULL)
		return;
	int failed = r < 0 && r > -4096;
	struct sw_cap cap = {.fd = -1};
	capture(row, a, r, &cap);
	sw__record(t, SW_FN_syscall_trap, row, t0, t1, r, failed, failed ? (int)-r : 0, &cap, -1,
		   0);
}

/* Whether this process owns the segment (not a vfork-style child). */
static int own_segment(void)
{
	return sw__g.seg != NULL && sw__g.seg->pid == (int)sw__sys0(SYS_getpid);
}

/* A registers' snapshot the clone stub gives the child. */
static void clone_regs(const greg_t *g, long *regs)
{
	static const int order[] = {REG_RBX, REG_RBP, REG_R12, REG_R13, REG_R14, REG_R15, REG_RDI,
				    REG_RSI, REG_RDX, REG_R10, REG_R8,	REG_R9,	 REG_RIP};
	for (unsigned i = 0; i < sizeof order / sizeof order[0]; i++)
		regs[i] = (long)g[order[i]];
}

static long do_clone(unsigned row, long *a, const greg_t *g)
{
	unsigned long flags;
	uintptr_t sp = 0;
	struct clone_args ca;
	if (row == SW_ROW_clone3) {
		if ((unsigned long)a[1] < 64 || (unsigned long)a[1] > sizeof ca + 64)
			return sw__sys2(SYS_clone3, a[0], a[1]);
		memset(&ca, 0, sizeof ca);
		memcpy(&ca, (const void *)a[0],
		       (size_t)a[1] < sizeof ca ? (size_t)a[1] : sizeof ca);
		flags = ca.flags;
		if (ca.stack != 0)
			sp = (uintptr_t)(ca.stack + ca.stack_size);
	} else if (row == SW_ROW_clone) {
		flags = (unsigned long)a[0];
		sp = (uintptr_t)a[1];
	} else {
		/* fork, or vfork issued as a fork (see sud.c). */
		return sw__sys0(SYS_fork);
	}
	if ((flags & CLONE_VM) && sp != 0) {
		long regs[13];
		clone_regs(g, regs);
		return sw__sud_clone_stack(row == SW_ROW_clone3 ? SYS_clone3 : SYS_clone, a, sp,
					   regs);
	}
	if (flags & CLONE_VM) {
		/* CLONE_VM on the same stack (vfork-like): as a fork. */
		if (row == SW_ROW_clone3) {
			ca.flags &= ~(unsigned long)(CLONE_VM | CLONE_VFORK);
			return sw__sys2(SYS_clone3, &ca, sizeof ca);
		}
		a[0] &= ~(long)(CLONE_VM | CLONE_VFORK);
	}
	return sw__sys6(row == SW_ROW_clone3 ? SYS_clone3 : SYS_clone, a[0], a[1], a[2], a[3], a[4],
			a[5]);
}

/* Count an exit before it is issued (it does not return). */
static void note_exit(struct sw_tls *t, unsigned row, uint64_t now)
{
	if (t == NULL)
		return;
	struct sw_cap cap = {.fd = -1};
	sw__record(t, SW_FN_syscall_trap, row, now, now, 0, 0, 0, &cap, -1, 0);
}

/* An execve or execveat, recorded as the exec wrappers record theirs
 * (proc.c): counted before it is issued, marked when its environment
 * drops the shim (the report names the child that runs untraced), its
 * failure added when it comes back. The segment is marked EXECED when it
 * is this process's own (not a vfork-style child's). */
static long do_exec(struct sw_tls *t, unsigned row, long nr, const long *a, uint64_t t0)
{
	int own = own_segment();
	int at = row == SW_ROW_execveat;
	unsigned fn = at ? SW_FN_execveat : SW_FN_execve;
	if (t != NULL)
		sw__exec_note_start(t, fn, row, (const char *)a[at],
				    !sw__env_keeps_shim((char *const *)a[2 + at]));
	if (own) {
		__atomic_store_n(&sw__g.seg->end_ticks, t0, __ATOMIC_RELAXED);
		__atomic_store_n(&sw__g.seg->state, SW_SEG_EXECED, __ATOMIC_RELEASE);
	}
	long r = sw__sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	if (t != NULL)
		sw__exec_note_failed(t, fn, row, t0, (int)-r);
	else if (own)
		__atomic_store_n(&sw__g.seg->state, SW_SEG_RUNNING, __ATOMIC_RELEASE);
	return r;
}

static long handle(unsigned row, long nr, long *a, ucontext_t *uc)
{
	greg_t *g = uc->uc_mcontext.gregs;
	int arg = 0;
	enum trap_kind k = kind_of(row, &arg);
	struct sw_tls *t = may_record(row);
	uint64_t t0 = sw__ticks();
	long r;
	switch (k) {
	case TK_SIGRETURN:
		record(t, row, a, t0, t0, 0);
		sw__sud_sigreturn((void *)g[REG_RSP]);
	case TK_SIGACTION:
		r = sw__sud_rt_sigaction(a[0], (const struct sw_ksigaction *)a[1],
					 (struct sw_ksigaction *)a[2], a[3]);
		break;
	case TK_SIGMASK:
		r = sw__sud_rt_sigprocmask(a[0], (const uint64_t *)a[1], (uint64_t *)a[2], a[3],
					   (uint64_t *)&uc->uc_sigmask);
		break;
	case TK_MASKARG: {
		uint64_t m = 0;
		long b[6];
		memcpy(b, a, sizeof b);
		struct {
			const uint64_t *set;
			long size;
		} ps = {0};
		if (row == SW_ROW_pselect6 && a[5] != 0) {
			memcpy(&ps, (const void *)a[5], sizeof ps);
			if (ps.set != NULL) {
				m = *ps.set & ~(1ull << (SIGSYS - 1));
				ps.set = &m;
				b[5] = (long)&ps;
			}
		} else if (row != SW_ROW_pselect6 && a[arg] != 0) {
			m = *(const uint64_t *)a[arg] & ~(1ull << (SIGSYS - 1));
			b[arg] = (long)&m;
		}
		r = sw__sys6(nr, b[0], b[1], b[2], b[3], b[4], b[5]);
		break;
	}
	case TK_CLONE:
		r = do_clone(row, a, g);
		if (r == 0) { /* a fork-like child, back in this frame */
			sw__sud_thread_on(1);
			return 0;
		}
		if (r > 0 && sw__g.seg != NULL)
			__atomic_store_n(&sw__g.seg->forked_child, (int)r, __ATOMIC_RELEASE);
		break;
	case TK_EXEC:
		return do_exec(t, row, nr, a, t0);
	case TK_EXIT:
		if (row == SW_ROW_exit_group && own_segment()) {
			sw__process_end((int)a[0], 1); /* counts exit_group once */
		} else {
			note_exit(t, row, t0);
			/* The thread's last call: calls after its exit hook
			 * claimed a fresh slot, which must not stay taken. */
			if (row == SW_ROW_exit && t != NULL)
				sw__thread_release(t);
		}
		return sw__sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	case TK_PRCTL:
		r = sw__sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		if (a[0] == 59 && r == 0) {
			/* The program runs its own dispatch on this thread now. */
			sw__t.sud = 0;
			__atomic_store_n(&sw__t.sel, SW_SEL_ALLOW, __ATOMIC_RELAXED);
			static const char msg[] =
			    "syswatch: the program uses Syscall User Dispatch "
			    "itself; this thread is counted at the libc entry "
			    "points only\n";
			(void)sw__sys3(SYS_write, 2, msg, sizeof msg - 1);
		}
		break;
	default:
		r = sw__sys6(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
		break;
	}
	record(t, row, a, t0, sw__ticks(), r);
	return r;
}

void sw__sud_sigsys(int sig, siginfo_t *si, void *ctx)
{
	ucontext_t *uc = ctx;
	if (si->si_code != SYS_USER_DISPATCH || !sw__t.sud) {
		sw__sud_chain(sig, si, ctx);
		return;
	}
	int e0 = errno;
	greg_t *g = uc->uc_mcontext.gregs;
	if (si->si_arch != AUDIT_ARCH_X86_64) {
		/* int $0x80 in a 64-bit program: the i386 table, which the
		 * rows do not name; performed, not counted. */
		const long r[7] = {(long)(uint32_t)g[REG_RAX], (long)(uint32_t)g[REG_RBX],
				   (long)(uint32_t)g[REG_RCX], (long)(uint32_t)g[REG_RDX],
				   (long)(uint32_t)g[REG_RSI], (long)(uint32_t)g[REG_RDI],
				   (long)(uint32_t)g[REG_RBP]};
		g[REG_RAX] = (greg_t)sw__sud_int80(r);
		errno = e0;
		return;
	}
	long nr = (long)g[REG_RAX];
	long a[6] = {(long)g[REG_RDI], (long)g[REG_RSI], (long)g[REG_RDX],
		     (long)g[REG_R10], (long)g[REG_R8],	 (long)g[REG_R9]};
	g[REG_RAX] = (greg_t)handle(sw_sysno_row(nr), nr, a, uc);
	errno = e0;
}
