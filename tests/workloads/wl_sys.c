/*
 * wl_sys - N iterations of the libc entry points issue 9 wraps, called
 * directly, and the workload's own tally of the syscalls they issue.
 *
 *   wl_sys N DIR TALLY
 *
 * DIR must not exist: the workload makes it with its fixtures, runs N
 * iterations, writes its tally to TALLY ("syscall calls errors" per row,
 * zeros included, iterations only, like wl_rows) and removes DIR.
 * Families (one iteration each): signals (dispositions, masks, waits,
 * raise, sigqueue, pause and sigsuspend ended by a handler), the
 * process's attributes (ids, limits, scheduling, names, randomness),
 * timers and System V IPC, syscall() with several numbers (this file);
 * the file calls beyond wl_files and wl_rows, the memory calls and the
 * legacy __xstat family as a binary built against an old glibc calls it
 * (wl_sys_fs.c). Nothing in the loop starts a process or a thread, so
 * strace's N - 0 and syswatch's compare row by row.
 *
 * The returns of signal handlers (rt_sigreturn, made by the kernel's
 * restorer) are tallied too: strace counts them, no wrapper sees them.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <grp.h>
#include <sys/fsuid.h>
#include <mqueue.h>
#include <sys/ipc.h>
#include <sys/klog.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <sys/personality.h>
#include <sys/reboot.h>
#include <sys/msg.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "wl_sys.h"

/* glibc exports these; its 2.36 headers do not declare them (libcap's
 * headers declare the first two). */
int capget(void *, void *);
int capset(void *, const void *);
__sighandler_t bsd_signal(int, __sighandler_t);

static volatile sig_atomic_t handled;

static void on_signal(int sig)
{
	(void)sig;
	handled++;
}

void wls_die(const char *fmt, ...)
{
	va_list ap;
	int e = errno;
	va_start(ap, fmt);
	fprintf(stderr, "wl_sys: ");
	vfprintf(stderr, fmt, ap);
	fprintf(stderr, " (errno %d: %s)\n", e, strerror(e));
	va_end(ap);
	_exit(2);
}

void wls_did(struct wls *w, const char *row, int failed)
{
	if (!w->counting)
		return;
	for (int i = 0; i < w->n; i++) {
		if (strcmp(w->rows[i].name, row) == 0) {
			w->rows[i].calls++;
			w->rows[i].errors += (uint64_t)failed;
			return;
		}
	}
	if (w->n == WLS_MAX_ROWS)
		wls_die("too many rows");
	w->rows[w->n++] = (struct wls_row){row, 1, (uint64_t)failed};
}

/* Handlers ran and returned since handled was before: one rt_sigreturn
 * each, at least one. rt_sigreturn returns what the interrupted call
 * returned: -1 (EINTR) for the first when it ended a wait (interrupted). */
static void handler_returned(struct wls *w, sig_atomic_t before, int interrupted)
{
	if (handled == before)
		wls_die("no handler ran");
	for (sig_atomic_t i = before; i < handled; i++)
		wls_did(w, "rt_sigreturn", i == before && interrupted);
}

void wls_signals(struct wls *w)
{
	struct sigaction old;
	sigset_t usr1, usr2, none, saved, pend;
	siginfo_t si;
	struct timespec zero = {0, 0};
	stack_t ss;
	int sig;
	sigemptyset(&none);
	sigemptyset(&usr1);
	sigaddset(&usr1, SIGUSR1);
	sigemptyset(&usr2);
	sigaddset(&usr2, SIGUSR2);
	WLS_OK(w, rt_sigaction, sigaction(SIGUSR1, NULL, &old) != 0);
	WLS_FAILS(w, rt_sigaction, sigaction(SIGKILL, &old, NULL) != 0); /* the kernel's EINVAL */
	WLS_OK(w, rt_sigaction, signal(SIGUSR1, on_signal) == SIG_ERR);
	WLS_OK(w, rt_sigaction, bsd_signal(SIGUSR2, SIG_IGN) == SIG_ERR);
	WLS_OK(w, rt_sigaction, sysv_signal(SIGUSR2, SIG_DFL) == SIG_ERR);
	WLS_OK(w, rt_sigprocmask, sigprocmask(SIG_BLOCK, &usr1, &saved) != 0);
	WLS_OK(w, rt_sigprocmask, pthread_sigmask(SIG_BLOCK, &usr2, NULL) != 0);
	WLS_FAILS(w, rt_sigprocmask, sigprocmask(12345, &usr1, NULL) != 0);
	/* raise is gettid, getpid, tgkill; SIGUSR1 is blocked: it waits */
	sig_atomic_t before = handled;
	WLS_OK(w, tgkill, raise(SIGUSR1) != 0);
	wls_did(w, "gettid", 0);
	wls_did(w, "getpid", 0);
	WLS_OK(w, rt_sigpending, sigpending(&pend) != 0 || !sigismember(&pend, SIGUSR1));
	WLS_FAILS(w, rt_sigsuspend, sigsuspend(&none) != 0); /* the handler ends it */
	handler_returned(w, before, 1);
	/* SIGUSR2 stays blocked: the waits take it */
	pid_t me = getpid();
	WLS_OK(w, getpid, me <= 0);
	WLS_OK(w, kill, kill(me, SIGUSR2) != 0);
	WLS_OK(w, rt_sigtimedwait, sigwaitinfo(&usr2, &si) != SIGUSR2);
	WLS_OK(w, kill, kill(me, SIGUSR2) != 0);
	WLS_OK(w, rt_sigtimedwait, sigwait(&usr2, &sig) != 0 || sig != SIGUSR2);
	WLS_FAILS(w, rt_sigtimedwait, sigtimedwait(&usr2, &si, &zero) < 0); /* EAGAIN */
	WLS_OK(w, rt_sigprocmask, sigprocmask(SIG_SETMASK, &saved, NULL) != 0);
	/* raise with the handler on: it runs before raise returns */
	before = handled;
	WLS_OK(w, tgkill, raise(SIGUSR1) != 0);
	wls_did(w, "gettid", 0);
	wls_did(w, "getpid", 0);
	handler_returned(w, before, 0);
	/* pause, ended by an interval timer's SIGALRM: periodic, so that a
	 * first one that comes before pause does not leave it waiting */
	struct itimerval soon = {{0, 2000}, {0, 2000}}, off = {{0, 0}, {0, 0}};
	before = handled;
	WLS_OK(w, setitimer, setitimer(ITIMER_REAL, &soon, NULL) != 0);
	WLS_FAILS(w, pause, pause() == -1 && errno == EINTR);
	WLS_OK(w, setitimer, setitimer(ITIMER_REAL, &off, NULL) != 0);
	handler_returned(w, before, 1);
	WLS_OK(w, alarm, alarm(0) != 0);
	WLS_OK(w, sigaltstack, sigaltstack(NULL, &ss) != 0);
	pid_t pg = getpgrp();
	WLS_OK(w, getpgrp, pg <= 0);
	WLS_OK(w, kill, killpg(pg, 0) != 0);
	pid_t tid = gettid();
	WLS_OK(w, gettid, tid <= 0);
	WLS_OK(w, tgkill, tgkill(me, tid, 0) != 0);
	WLS_FAILS(w, tgkill, tgkill(me, -1, 0) != 0);
	int fd = signalfd(-1, &usr2, SFD_CLOEXEC);
	WLS_OK(w, signalfd4, fd < 0);
	WLS_OK(w, close, close(fd) != 0);
	/* sigqueue: getpid and getuid fill in the sender, then the call */
	WLS_OK(w, rt_sigqueueinfo, sigqueue(me, 0, (union sigval){0}) != 0);
	wls_did(w, "getpid", 0);
	wls_did(w, "getuid", 0);
}

void wls_task(struct wls *w)
{
	uid_t u[3];
	gid_t g[3], groups[256];
	struct utsname un;
	struct sysinfo si;
	struct rusage ru;
	struct tms tm;
	struct rlimit rl;
	struct rlimit64 rl64;
	struct sched_param sp;
	struct timespec ts;
	cpu_set_t cpus;
	char buf[256];
	WLS_OK(w, getppid, getppid() <= 0);
	uid_t uid = getuid(), euid = geteuid();
	gid_t gid = getgid(), egid = getegid();
	wls_did(w, "getuid", 0);
	wls_did(w, "geteuid", 0);
	wls_did(w, "getgid", 0);
	wls_did(w, "getegid", 0);
	WLS_OK(w, getpgid, getpgid(0) <= 0);
	WLS_OK(w, getsid, getsid(0) <= 0);
	WLS_OK(w, getresuid, getresuid(u, u + 1, u + 2) != 0);
	WLS_OK(w, getresgid, getresgid(g, g + 1, g + 2) != 0);
	int ng = getgroups(256, groups);
	WLS_OK(w, getgroups, ng < 0);
	volatile int negative = -1;
	WLS_FAILS(w, getgroups, getgroups(negative, groups) < 0);
	WLS_OK(w, setuid, setuid(uid) != 0);
	WLS_OK(w, setgid, setgid(gid) != 0);
	WLS_OK(w, setresuid, seteuid(euid) != 0);
	WLS_OK(w, setresgid, setegid(egid) != 0);
	WLS_OK(w, setreuid, setreuid((uid_t)-1, (uid_t)-1) != 0);
	WLS_OK(w, setregid, setregid((gid_t)-1, (gid_t)-1) != 0);
	WLS_OK(w, setresuid, setresuid((uid_t)-1, (uid_t)-1, (uid_t)-1) != 0);
	WLS_OK(w, setresgid, setresgid((gid_t)-1, (gid_t)-1, (gid_t)-1) != 0);
	WLS_ANY(w, setgroups, setgroups((size_t)ng, groups) != 0); /* EPERM unprivileged */
	WLS_OK(w, setfsuid, setfsuid((uid_t)-1) < 0);
	WLS_OK(w, setfsgid, setfsgid((gid_t)-1) < 0);
	WLS_OK(w, setpgid, setpgid(0, 0) != 0); /* the group leader already (main) */
	WLS_OK(w, setpgid, setpgrp() != 0);
	WLS_FAILS(w, setsid, setsid() < 0); /* EPERM: a group leader */
	mode_t m = umask(022);
	wls_did(w, "umask", 0);
	umask(m);
	wls_did(w, "umask", 0);
	WLS_FAILS(w, chroot, chroot("/nonexistent-wl-sys/x") != 0);
	WLS_OK(w, uname, uname(&un) != 0);
	WLS_OK(w, uname, gethostname(buf, sizeof buf) != 0);
	WLS_OK(w, uname, getdomainname(buf, sizeof buf) != 0);
	WLS_FAILS(w, sethostname, sethostname(buf, sizeof buf) != 0);
	WLS_FAILS(w, setdomainname, setdomainname(buf, sizeof buf) != 0);
	WLS_OK(w, sysinfo, sysinfo(&si) != 0);
	WLS_OK(w, getrusage, getrusage(RUSAGE_SELF, &ru) != 0);
	WLS_OK(w, times, times(&tm) == (clock_t)-1);
	WLS_OK(w, prlimit64, getrlimit(RLIMIT_NOFILE, &rl) != 0);
	WLS_OK(w, prlimit64, getrlimit64(RLIMIT_NOFILE, &rl64) != 0);
	WLS_OK(w, prlimit64, setrlimit(RLIMIT_NOFILE, &rl) != 0);
	WLS_OK(w, prlimit64, setrlimit64(RLIMIT_NOFILE, &rl64) != 0);
	WLS_OK(w, prlimit64, prlimit(0, RLIMIT_CORE, NULL, &rl) != 0);
	WLS_FAILS(w, prlimit64, prlimit64(0, 12345, NULL, &rl64) != 0);
	WLS_OK(w, prlimit64, getdtablesize() <= 0);
	errno = 0;
	int prio = getpriority(PRIO_PROCESS, 0);
	WLS_OK(w, getpriority, prio == -1 && errno != 0);
	WLS_OK(w, setpriority, setpriority(PRIO_PROCESS, 0, prio) != 0);
	WLS_OK(w, sched_yield, sched_yield() != 0);
	WLS_OK(w, sched_getaffinity, sched_getaffinity(0, sizeof cpus, &cpus) != 0);
	WLS_OK(w, sched_setaffinity, sched_setaffinity(0, sizeof cpus, &cpus) != 0);
	WLS_OK(w, sched_getparam, sched_getparam(0, &sp) != 0);
	WLS_OK(w, sched_setparam, sched_setparam(0, &sp) != 0);
	int pol = sched_getscheduler(0);
	WLS_OK(w, sched_getscheduler, pol < 0);
	WLS_OK(w, sched_setscheduler, sched_setscheduler(0, pol, &sp) != 0);
	WLS_OK(w, sched_get_priority_max, sched_get_priority_max(SCHED_FIFO) < 0);
	WLS_OK(w, sched_get_priority_min, sched_get_priority_min(SCHED_FIFO) < 0);
	WLS_OK(w, sched_rr_get_interval, sched_rr_get_interval(0, &ts) != 0);
	WLS_OK(w, prctl, prctl(PR_GET_DUMPABLE) < 0);
	WLS_FAILS(w, prctl, prctl(-1) != 0);
	WLS_OK(w, personality, personality(0xffffffff) == -1);
	WLS_OK(w, unshare, unshare(0) != 0);
	WLS_FAILS(w, setns, setns(-1, 0) != 0);
	WLS_FAILS(w, acct, acct("/nonexistent-wl-sys/x") != 0);
	WLS_FAILS(w, capset, capset(NULL, NULL) != 0);
	WLS_FAILS(w, capget, capget(NULL, NULL) != 0);
	WLS_OK(w, getrandom, getrandom(buf, 16, 0) != 16);
	WLS_OK(w, getrandom, getentropy(buf, 16) != 0);
	WLS_FAILS(w, wait4, wait3(NULL, WNOHANG, NULL) < 0); /* ECHILD */
	struct iovec iov = {buf, 16}, remote = {buf + 16, 16};
	pid_t me = getpid();
	wls_did(w, "getpid", 0);
	WLS_OK(w, process_vm_readv, process_vm_readv(me, &iov, 1, &remote, 1, 0) != 16);
	WLS_OK(w, process_vm_writev, process_vm_writev(me, &remote, 1, &iov, 1, 0) != 16);
	WLS_FAILS(w, process_madvise, process_madvise(-1, &iov, 1, MADV_COLD, 0) < 0);
	WLS_FAILS(w, process_mrelease, process_mrelease(-1, 0) != 0);
	WLS_FAILS(w, reboot, reboot(0x5eadbeef) != 0); /* not a command */
	WLS_FAILS(w, syslog, klogctl(12345, NULL, 0) < 0);
	int pfd = pidfd_open(getpid(), 0);
	wls_did(w, "getpid", 0);
	WLS_ANY(w, pidfd_open, pfd < 0); /* kernel 5.3+ */
	if (pfd >= 0) {
		WLS_OK(w, pidfd_send_signal, pidfd_send_signal(pfd, 0, NULL, 0) != 0);
		WLS_FAILS(w, pidfd_getfd, pidfd_getfd(pfd, -1, 0) < 0);
		WLS_OK(w, close, close(pfd) != 0);
	}
}

void wls_time_ipc(struct wls *w)
{
	struct itimerval itv;
	struct itimerspec its = {{0, 0}, {100, 0}}, old;
	struct timex tx = {0};
	struct sigevent sev = {.sigev_notify = SIGEV_NONE};
	struct timespec epoch = {0, 0};
	timer_t tid;
	WLS_OK(w, getitimer, getitimer(ITIMER_REAL, &itv) != 0);
	WLS_FAILS(w, setitimer, setitimer(12345, &itv, NULL) != 0);
	WLS_OK(w, timer_create, timer_create(CLOCK_MONOTONIC, &sev, &tid) != 0);
	WLS_OK(w, timer_settime, timer_settime(tid, 0, &its, &old) != 0);
	WLS_OK(w, timer_gettime, timer_gettime(tid, &old) != 0);
	WLS_OK(w, timer_getoverrun, timer_getoverrun(tid) < 0);
	WLS_OK(w, timer_delete, timer_delete(tid) != 0);
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC);
	WLS_OK(w, timerfd_create, fd < 0);
	WLS_OK(w, timerfd_settime, timerfd_settime(fd, 0, &its, NULL) != 0);
	WLS_OK(w, timerfd_gettime, timerfd_gettime(fd, &old) != 0);
	WLS_OK(w, close, close(fd) != 0);
	WLS_FAILS(w, clock_settime, clock_settime(-42, &epoch) != 0); /* no such clock */
	WLS_OK(w, clock_adjtime, adjtimex(&tx) < 0);
	WLS_OK(w, clock_adjtime, ntp_adjtime(&tx) < 0);
	WLS_OK(w, clock_adjtime, clock_adjtime(CLOCK_REALTIME, &tx) < 0);

	int shm = shmget(IPC_PRIVATE, 4096, IPC_CREAT | 0600);
	WLS_OK(w, shmget, shm < 0);
	void *p = shmat(shm, NULL, 0);
	WLS_OK(w, shmat, p == (void *)-1);
	WLS_OK(w, shmdt, shmdt(p) != 0);
	WLS_OK(w, shmctl, shmctl(shm, IPC_RMID, NULL) != 0);
	int sem = semget(IPC_PRIVATE, 1, IPC_CREAT | 0600);
	WLS_OK(w, semget, sem < 0);
	struct sembuf up = {0, 1, 0}, down = {0, -1, 0};
	struct timespec zero = {0, 0};
	WLS_OK(w, semtimedop, semop(sem, &up, 1) != 0); /* glibc: semtimedop, no timeout */
	WLS_OK(w, semtimedop, semtimedop(sem, &down, 1, &zero) != 0);
	WLS_FAILS(w, semtimedop, semtimedop(sem, &down, 1, &zero) != 0); /* EAGAIN */
	WLS_OK(w, semctl, semctl(sem, 0, GETVAL) != 0);
	WLS_OK(w, semctl, semctl(sem, 0, IPC_RMID) != 0);
	int q = msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	WLS_OK(w, msgget, q < 0);
	struct {
		long type;
		char text[8];
	} msg = {1, "x"};
	WLS_OK(w, msgsnd, msgsnd(q, &msg, sizeof msg.text, 0) != 0);
	WLS_OK(w, msgrcv, msgrcv(q, &msg, sizeof msg.text, 0, IPC_NOWAIT) < 0);
	WLS_FAILS(w, msgrcv, msgrcv(q, &msg, sizeof msg.text, 0, IPC_NOWAIT) < 0);
	WLS_OK(w, msgctl, msgctl(q, IPC_RMID, NULL) != 0);

	/* POSIX message queues (the kernel is given the name without '/') */
	struct mq_attr qa = {.mq_maxmsg = 4, .mq_msgsize = 16};
	char qname[64], qbuf[16];
	unsigned qprio;
	snprintf(qname, sizeof qname, "/wl_sys.%d", (int)getpid());
	wls_did(w, "getpid", 0);
	mqd_t mq = mq_open(qname, O_RDWR | O_CREAT | O_EXCL, 0600, &qa);
	WLS_ANY(w, mq_open, mq == (mqd_t)-1); /* no mqueue file system: ENOSYS */
	if (mq != (mqd_t)-1) {
		WLS_OK(w, mq_getsetattr, mq_getattr(mq, &qa) != 0);
		WLS_OK(w, mq_getsetattr, mq_setattr(mq, &qa, NULL) != 0);
		WLS_OK(w, mq_notify, mq_notify(mq, NULL) != 0); /* none registered: a no-op */
		WLS_OK(w, mq_timedsend, mq_send(mq, "x", 1, 0) != 0);
		WLS_OK(w, mq_timedsend, mq_timedsend(mq, "y", 1, 0, &zero) != 0);
		WLS_OK(w, mq_timedreceive, mq_receive(mq, qbuf, sizeof qbuf, &qprio) != 1);
		WLS_OK(w, mq_timedreceive,
		       mq_timedreceive(mq, qbuf, sizeof qbuf, &qprio, &zero) != 1);
		WLS_OK(w, close, mq_close(mq) != 0);
		WLS_OK(w, mq_unlink, mq_unlink(qname) != 0);
	}
	WLS_FAILS(w, mq_unlink, mq_unlink(qname) != 0);
}

/* syscall(): each number is counted under its own row. */
void wls_syscall(struct wls *w)
{
	struct open_how how = {.flags = O_RDONLY | O_DIRECTORY};
	struct statx sx;
	WLS_OK(w, getppid, syscall(SYS_getppid) <= 0);
	WLS_OK(w, gettid, syscall(SYS_gettid) <= 0);
	long fd = syscall(SYS_openat2, AT_FDCWD, w->dir, &how, sizeof how);
	WLS_ANY(w, openat2, fd < 0); /* kernel 5.6+ */
	WLS_OK(w, statx, syscall(SYS_statx, AT_FDCWD, w->dir, 0, STATX_BASIC_STATS, &sx) != 0);
	if (fd >= 0)
		WLS_OK(w, close, syscall(SYS_close, fd) != 0);
	WLS_FAILS(w, close, syscall(SYS_close, -1) != 0);
	WLS_FAILS(w, newfstatat, syscall(SYS_newfstatat, -1, "x", &sx, 0) != 0);
}

int main(int argc, char **argv)
{
	static struct wls w;
	if (argc != 4) {
		fprintf(stderr, "usage: wl_sys N DIR TALLY\n");
		return 2;
	}
	long n = atol(argv[1]);
	w.dir = argv[2];
	if (mkdir(w.dir, 0700) != 0)
		wls_die("mkdir %s", w.dir);
	/* Set up outside the count: handlers, our own process group, and the
	 * break known to glibc (the first sbrk asks the kernel; malloc would
	 * too), so that sbrk(0) in the loop asks nobody. */
	struct sigaction sa = {.sa_handler = on_signal};
	if (sigaction(SIGALRM, &sa, NULL) != 0 || setpgid(0, 0) != 0)
		wls_die("setup");
	(void)sbrk(0);
	w.counting = 1;
	for (long i = 0; i < n; i++) {
		wls_signals(&w);
		wls_task(&w);
		wls_time_ipc(&w);
		wls_syscall(&w);
		wls_files(&w);
		wls_memory(&w);
	}
	w.counting = 0;
	/* One write, whatever N: the tally's length never changes the count. */
	static char text[WLS_MAX_ROWS * 64];
	size_t len = 0;
	for (int i = 0; i < w.n; i++)
		len += (size_t)snprintf(text + len, sizeof text - len, "%s %llu %llu\n",
					w.rows[i].name, (unsigned long long)w.rows[i].calls,
					(unsigned long long)w.rows[i].errors);
	int fd = open(argv[3], O_WRONLY | O_CREAT | O_TRUNC, 0644);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len || close(fd) != 0)
		wls_die("%s", argv[3]);
	if (rmdir(w.dir) != 0)
		wls_die("rmdir %s", w.dir);
	return 0;
}
