/*
 * runsig.c - how `syswatch run` treats signals (runsig.h).
 *
 * The model is env(1): `env CMD` becomes CMD, so CMD keeps every ignored
 * signal and the caller's mask, and a signal sent to that pid reaches CMD.
 * syswatch stays in between as CMD's parent, so it:
 *   - hands the child the caller's saved dispositions and mask, untouched;
 *   - forwards to the child each signal of the table below that the caller
 *     did not ignore, when it was sent to syswatch by a process (kill,
 *     sigqueue) - then syswatch reports and exits as the child did;
 *   - does not forward what the kernel sent to the whole foreground
 *     process group (Ctrl-C, Ctrl-\, a hangup of the terminal): the child
 *     got its own copy, and forwarding would deliver it twice;
 *   - keeps ignored what the caller ignored (nohup's SIGHUP, a shell's
 *     `trap '' INT`): neither dies of it nor forwards it.
 * SIGPIPE raised by our own write to a closed stdout/stderr is not
 * forwarded: it becomes a write error of the report.
 */
#include "runsig.h"

#include <signal.h>
#include <stdbool.h>
#include <string.h>
#include <unistd.h>

/* The signals a user sends to stop or poke a program. */
static const int forwarded[] = {SIGHUP,	 SIGINT,  SIGQUIT, SIGTERM,
				SIGALRM, SIGUSR1, SIGUSR2, SIGPIPE};
#define NFWD (sizeof(forwarded) / sizeof(forwarded[0]))

static struct sigaction saved[NFWD]; /* the caller's dispositions */
static struct sigaction saved_chld;
static sigset_t saved_mask;	     /* the caller's mask */
static volatile sig_atomic_t target; /* pid to forward to, or 0 */

/* Sent by a process (kill, sigqueue, tgkill), not raised by the kernel. */
static bool sent_by_process(const siginfo_t *si)
{
	return si->si_code <= 0;
}

static void forward(int sig, siginfo_t *si, void *uc)
{
	(void)uc;
	pid_t to = (pid_t)target;
	if (to <= 0 || !sent_by_process(si))
		return;
	if (sig == SIGPIPE && si->si_pid == getpid())
		return; /* our own write to a closed pipe */
	kill(to, sig);
}

/* SIGCHLD only interrupts the collector's pause (no SA_RESTART), so that
 * the end of the program is seen at once rather than after up to a whole
 * idle pause: `syswatch run` then adds little to a short program's time. */
static void wake(int sig)
{
	(void)sig;
}

void sw_runsig_setup(void)
{
	sigprocmask(SIG_SETMASK, NULL, &saved_mask);
	sigaction(SIGCHLD, NULL, &saved_chld);
	for (size_t i = 0; i < NFWD; i++) {
		sigaction(forwarded[i], NULL, &saved[i]);
		if (saved[i].sa_handler == SIG_IGN)
			continue; /* ignored it stays, for us and for the child */
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = forward;
		sigemptyset(&sa.sa_mask);
		sa.sa_flags = SA_SIGINFO | SA_RESTART;
		sigaction(forwarded[i], &sa, NULL);
	}
	struct sigaction sa;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = wake;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_NOCLDSTOP;
	sigaction(SIGCHLD, &sa, NULL);
}

static void handled_set(sigset_t *s)
{
	sigemptyset(s);
	for (size_t i = 0; i < NFWD; i++)
		sigaddset(s, forwarded[i]);
	sigaddset(s, SIGCHLD);
}

void sw_runsig_block(void)
{
	sigset_t s;
	handled_set(&s);
	sigprocmask(SIG_BLOCK, &s, NULL);
}

void sw_runsig_unblock(void)
{
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

void sw_runsig_child(void)
{
	/* The handlers we installed would survive as SIG_DFL across exec
	 * anyway; restoring the saved actions also brings back SIG_IGN. */
	for (size_t i = 0; i < NFWD; i++)
		sigaction(forwarded[i], &saved[i], NULL);
	sigaction(SIGCHLD, &saved_chld, NULL);
	sigprocmask(SIG_SETMASK, &saved_mask, NULL);
}

void sw_runsig_target(pid_t pid)
{
	target = pid;
}
