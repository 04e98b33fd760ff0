/*
 * wl_sigsys.c - a program with its own SIGSYS handler (complete mode must
 * not get in its way, issue 9 acceptance 3): it installs the handler and
 * reads it back, raises SIGSYS twice, blocks SIGSYS around a syscall, then
 * installs a seccomp filter that traps getppid and emulates it in the
 * handler (RAX = 4242). Exits 0 when every step behaved as without the
 * shim.
 */
#define _GNU_SOURCE
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <ucontext.h>
#include <unistd.h>

static volatile int hits, seccomp_hits;

static void on_sigsys(int s, siginfo_t *si, void *u)
{
	ucontext_t *uc = u;
	(void)s;
	if (si->si_code == 1 /* SYS_SECCOMP */) {
		seccomp_hits++;
		uc->uc_mcontext.gregs[REG_RAX] = 4242;
	} else {
		hits++;
	}
}

int main(void)
{
	struct sigaction sa, old;
	memset(&sa, 0, sizeof sa);
	sa.sa_sigaction = on_sigsys;
	sa.sa_flags = SA_SIGINFO;
	if (sigaction(SIGSYS, &sa, NULL) != 0 || sigaction(SIGSYS, NULL, &old) != 0)
		return 1;
	if (old.sa_sigaction != on_sigsys) {
		puts("the handler read back is not ours");
		return 2;
	}
	raise(SIGSYS);
	kill(getpid(), SIGSYS);
	sigset_t m;
	sigemptyset(&m);
	sigaddset(&m, SIGSYS);
	sigprocmask(SIG_BLOCK, &m, NULL);
	(void)getppid();
	sigset_t cur;
	sigprocmask(SIG_UNBLOCK, &m, &cur);
	if (!sigismember(&cur, SIGSYS)) {
		puts("SIGSYS was not reported blocked");
		return 3;
	}
	struct sock_filter f[] = {
	    BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getppid, 0, 1),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
	    BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = {sizeof f / sizeof f[0], f};
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) != 0) {
		puts("SKIPPED: seccomp filters are not allowed here");
		return hits == 2 ? 0 : 4;
	}
	long r = syscall(SYS_getppid);
	printf("hits=%d seccomp_hits=%d getppid=%ld\n", hits, seccomp_hits, r);
	return hits == 2 && seccomp_hits == 1 && r == 4242 ? 0 : 5;
}
