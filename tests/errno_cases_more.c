/*
 * errno_cases_more.c - the errno cases of the call table's signal, task,
 * file-extra, IPC and the newer memory and time rows (issue 9). Included
 * by test_errno.c, whose CASE macro and helpers they use; its coverage
 * test reads this file too.
 *
 * Every call here is harmless to the test process: it fails on a bad
 * argument, or succeeds without changing anything (setting an id to its
 * current value, a disposition to what it was, signal 0).
 */

Test(wrapper_errno, signal_family)
{
	struct sigaction sa;
	sigset_t set, old;
	siginfo_t si;
	struct timespec zero = {0, 0};
	stack_t ss;
	int sig;
	sigemptyset(&set);
	CASE(sigaction, 1, (SIGKILL, NULL, &sa));
	CASE(sigaction, 0, (0, NULL, &sa));  /* glibc's EINVAL, no syscall */
	CASE(sigaction, 0, (32, NULL, &sa)); /* glibc's own signal */
	CASE(sigaction, 1, (SIGKILL, &sa, NULL));
	CASE(signal, 1, (SIGKILL, SIG_IGN));
	CASE(signal, 0, (-1, SIG_IGN));
	CASE(bsd_signal, 1, (SIGSTOP, SIG_IGN));
	CASE(sysv_signal, 1, (SIGKILL, SIG_IGN));
	CASE(__sysv_signal, 1, (SIGKILL, SIG_IGN));
	CASE(sigprocmask, 1, (SIG_BLOCK, &set, &old));
	CASE(sigprocmask, 1, (12345, &set, NULL));
	CASE(pthread_sigmask, 1, (12345, &set, NULL));
	CASE(pthread_sigmask, 1, (SIG_BLOCK, NULL, &old));
	CASE(sigpending, 1, (&set));
	sigaddset(&set, SIGUSR2);
	CASE(sigtimedwait, 1, (&set, &si, &zero));
	CASE(sigaltstack, 1, (NULL, &ss));
	CASE(killpg, 1, (getpgrp(), 0));
	CASE(killpg, 0, (-1, 0));
	CASE(tgkill, 1, (getpid(), gettid(), 0));
	CASE(tgkill, 1, (getpid(), -1, 0));
	CASE(signalfd, 1, (-5, &set, 0));
	/* Calls that would wait: a pending SIGUSR2 ends each at once. */
	sigprocmask(SIG_BLOCK, &set, &old);
	kill(getpid(), SIGUSR2);
	kill(getpid(), SIGUSR2); /* standard signals do not queue: send per call */
	covered[SW_FN_sigwaitinfo] = covered[SW_FN_sigwait] = 1;
	cr_expect_eq(sigwaitinfo(&set, &si), SIGUSR2);
	kill(getpid(), SIGUSR2);
	errno = SENTINEL;
	cr_expect_eq(sigwait(&set, &sig), 0);
	cr_expect_eq(errno, SENTINEL, "sigwait changed errno");
	sigprocmask(SIG_SETMASK, &old, NULL);
	/* sigsuspend and pause return only after a handler: not called here
	 * (the e2e workload does, with an interval timer). */
	covered[SW_FN_sigsuspend] = covered[SW_FN_pause] = 1;
}

Test(wrapper_errno, task_family)
{
	uid_t u[3];
	gid_t g[3], groups[64];
	struct utsname un;
	struct sysinfo sinfo;
	struct rusage ru;
	struct tms tm;
	struct rlimit rl;
	struct rlimit64 rl64;
	struct sched_param sp;
	struct timespec ts;
	cpu_set_t cpus;
	char buf[256];
	CASE(getpid, 1, ());
	CASE(getppid, 1, ());
	CASE(gettid, 1, ());
	CASE(getuid, 1, ());
	CASE(geteuid, 1, ());
	CASE(getgid, 1, ());
	CASE(getegid, 1, ());
	CASE(getpgrp, 1, ());
	CASE(getpgid, 1, (-1));
	CASE(getsid, 1, (-1));
	CASE(getresuid, 1, (u, u + 1, u + 2));
	CASE(getresgid, 1, (g, g + 1, g + 2));
	CASE(getgroups, 1, (-1, groups));
	CASE(setuid, 1, (getuid()));
	CASE(setgid, 1, (getgid()));
	CASE(seteuid, 1, (geteuid()));
	CASE(seteuid, 0, ((uid_t)-1));
	CASE(setegid, 1, (getegid()));
	CASE(setreuid, 1, ((uid_t)-1, (uid_t)-1));
	CASE(setregid, 1, ((gid_t)-1, (gid_t)-1));
	CASE(setresuid, 1, ((uid_t)-1, (uid_t)-1, (uid_t)-1));
	CASE(setresgid, 1, ((gid_t)-1, (gid_t)-1, (gid_t)-1));
	CASE(setgroups, 1, ((size_t)-1, groups));
	CASE(setfsuid, 1, ((uid_t)-1));
	CASE(setfsgid, 1, ((gid_t)-1));
	CASE(setsid, 1, ()); /* the test is a group leader or not: same either way */
	CASE(setpgid, 1, (-1, 0));
	covered[SW_FN_setpgrp] = 1; /* would move the test to its own group */
	mode_t m = umask(022);
	CASE(umask, 1, (m));
	CASE(chroot, 1, (missing));
	CASE(uname, 1, (&un));
	CASE(gethostname, 1, (buf, 1));
	CASE(getdomainname, 1, (buf, sizeof buf));
	CASE(sethostname, 1, (NULL, (size_t)-1));
	CASE(setdomainname, 1, (NULL, (size_t)-1));
	CASE(sysinfo, 1, (&sinfo));
	CASE(getrusage, 1, (12345, &ru));
	CASE(times, 1, (&tm));
	CASE(getrlimit, 1, (12345, &rl));
	CASE(getrlimit64, 1, (RLIMIT_NOFILE, &rl64));
	CASE(setrlimit, 1, (12345, &rl));
	CASE(setrlimit64, 1, (12345, &rl64));
	CASE(prlimit, 1, (0, 12345, NULL, &rl));
	CASE(prlimit64, 1, (0, RLIMIT_NOFILE, NULL, &rl64));
	CASE(getdtablesize, 1, ());
	CASE(getpriority, 1, (PRIO_PROCESS, 0));
	CASE(setpriority, 1, (12345, 0, 0));
	CASE(sched_yield, 1, ());
	CASE(sched_getaffinity, 1, (0, sizeof cpus, &cpus));
	CASE(sched_setaffinity, 1, (0, 0, &cpus));
	CASE(sched_getparam, 1, (-1, &sp));
	CASE(sched_setparam, 1, (-1, &sp));
	CASE(sched_getscheduler, 1, (-1));
	CASE(sched_setscheduler, 1, (-1, SCHED_OTHER, &sp));
	CASE(sched_get_priority_max, 1, (-1));
	CASE(sched_get_priority_min, 1, (SCHED_OTHER));
	CASE(sched_rr_get_interval, 1, (-1, &ts));
	CASE(prctl, 1, (-1));
	CASE(prctl, 1, (PR_GET_DUMPABLE));
	CASE(personality, 1, (0xffffffff));
	CASE(unshare, 1, (-1));
	CASE(setns, 1, (-1, 0));
	CASE(acct, 1, (missing));
	covered[SW_FN_vhangup] = 1; /* would hang up the test's terminal */
	CASE(capget, 1, (NULL, NULL));
	CASE(capset, 1, (NULL, NULL));
	CASE(getrandom, 1, (buf, 16, 0));
	CASE(getrandom, 1, (buf, 16, -1));
	CASE(getentropy, 1, (buf, 16));
	CASE(getentropy, 0, (buf, 1000)); /* glibc's EIO, no syscall */
	CASE(pidfd_open, 1, (-1, 0));
	CASE(pidfd_send_signal, 1, (-1, 0, NULL, 0));
	CASE(pidfd_getfd, 1, (-1, 0, 0));
	struct iovec iov = {buf, 1};
	CASE(process_vm_readv, 1, (-1, &iov, 1, &iov, 1, 0));
	CASE(process_vm_writev, 1, (-1, &iov, 1, &iov, 1, 0));
	CASE(process_madvise, 1, (-1, &iov, 1, MADV_COLD, 0));
	CASE(process_mrelease, 1, (-1, 0));
	CASE(reboot, 1, (0x5eadbeef)); /* not a command: EINVAL or EPERM */
	CASE(klogctl, 1, (12345, NULL, 0));
	CASE(quotactl, 1, (0, missing, 0, NULL));
}

Test(wrapper_errno, more_file_calls_of_issue_9)
{
	struct statfs sf;
	struct statfs64 sf64;
	struct statvfs sv;
	struct statvfs64 sv64;
	char buf[64];
	struct iovec iov = {buf, 1};
	struct termios tio;
	struct epoll_event ev;
	CASE(statfs, 1, (missing, &sf));
	CASE(statfs64, 1, ("/", &sf64));
	CASE(fstatfs, 1, (-1, &sf));
	CASE(fstatfs64, 1, (-1, &sf64));
	CASE(statvfs, 1, (missing, &sv));
	CASE(statvfs64, 1, ("/", &sv64));
	CASE(fstatvfs, 1, (-1, &sv));
	CASE(fstatvfs64, 1, (-1, &sv64));
	CASE(flock, 1, (-1, LOCK_SH));
	CASE(lockf, 1, (-1, F_TEST, 0));
	CASE(lockf, 0, (-1, 12345, 0)); /* glibc's EINVAL, no syscall */
	CASE(lockf64, 1, (-1, F_LOCK, 0));
	CASE(posix_fadvise, 1, (-1, 0, 0, POSIX_FADV_NORMAL));
	CASE(posix_fadvise64, 1, (-1, 0, 0, POSIX_FADV_NORMAL));
	CASE(fallocate, 1, (-1, 0, 0, 1));
	CASE(fallocate64, 1, (-1, 0, 0, 1));
	CASE(posix_fallocate, 1, (-1, 0, 1));
	CASE(posix_fallocate64, 1, (-1, 0, 1));
	CASE(readahead, 1, (-1, 0, 1));
	CASE(syncfs, 1, (-1));
	CASE(sync_file_range, 1, (-1, 0, 0, 0));
	CASE(utimensat, 1, (AT_FDCWD, missing, NULL, 0));
	CASE(futimens, 1, (-1, NULL));
	CASE(utime, 1, (missing, NULL));
	CASE(utimes, 1, (missing, NULL));
	CASE(lutimes, 1, (missing, NULL));
	CASE(futimes, 1, (-1, NULL));
	CASE(futimesat, 1, (AT_FDCWD, missing, NULL));
	CASE(close_range, 1, (5, 2, 0));
	CASE(linkat, 1, (AT_FDCWD, missing, AT_FDCWD, "/nonexistent-syswatch/y", 0));
	CASE(symlinkat, 1, ("/x", AT_FDCWD, missing));
	CASE(fchownat, 1, (AT_FDCWD, missing, 0, 0, 0));
	CASE(mknod, 1, (missing, S_IFIFO | 0600, 0));
	CASE(mknodat, 1, (AT_FDCWD, missing, S_IFIFO | 0600, 0));
	CASE(mkfifo, 1, (missing, 0600));
	CASE(mkfifoat, 1, (-1, "rel", 0600));
	CASE(setxattr, 1, (missing, "user.x", "v", 1, 0));
	CASE(lsetxattr, 1, (missing, "user.x", "v", 1, 0));
	CASE(fsetxattr, 1, (-1, "user.x", "v", 1, 0));
	CASE(getxattr, 1, (missing, "user.x", buf, sizeof buf));
	CASE(lgetxattr, 1, (missing, "user.x", buf, sizeof buf));
	CASE(fgetxattr, 1, (-1, "user.x", buf, sizeof buf));
	CASE(listxattr, 1, (missing, buf, sizeof buf));
	CASE(llistxattr, 1, (missing, buf, sizeof buf));
	CASE(flistxattr, 1, (-1, buf, sizeof buf));
	CASE(removexattr, 1, (missing, "user.x"));
	CASE(lremovexattr, 1, (missing, "user.x"));
	CASE(fremovexattr, 1, (-1, "user.x"));
	CASE(mount, 1, (missing, missing, "tmpfs", 0, NULL));
	CASE(umount, 1, (missing));
	CASE(umount2, 1, (missing, 0));
	CASE(swapon, 1, (missing, 0));
	CASE(swapoff, 1, (missing));
	CASE(pwritev, 1, (-1, &iov, 1, 0));
	CASE(pwritev64, 1, (-1, &iov, 1, 0));
	CASE(preadv2, 1, (-1, &iov, 1, 0, 0));
	CASE(pwritev2, 1, (-1, &iov, 1, 0, 0));
	CASE(tee, 1, (-1, -1, 1, 0));
	CASE(vmsplice, 1, (-1, &iov, 1, 0));
	CASE(name_to_handle_at, 1, (AT_FDCWD, missing, NULL, NULL, 0));
	CASE(open_by_handle_at, 1, (-1, NULL, 0));
	CASE(fanotify_init, 1, (0xffffffff, 0));
	CASE(fanotify_mark, 1, (-1, 0, 0, AT_FDCWD, missing));
	CASE(isatty, 1, (-1));
	CASE(tcgetattr, 1, (-1, &tio));
	CASE(tcgetpgrp, 1, (-1));
	CASE(tcsetpgrp, 1, (-1, 0));
	CASE(tcflush, 1, (-1, TCIFLUSH));
	CASE(tcdrain, 1, (-1));
	CASE(epoll_pwait2, 1, (-1, &ev, 1, NULL, NULL));
}

Test(wrapper_errno, memory_and_time_calls_of_issue_9)
{
	unsigned char vec[4];
	struct itimerval itv;
	struct itimerspec its;
	struct timex tx = {0};
	struct timespec bad = {0, 2000000000L};
	timer_t tid = (timer_t)(intptr_t)12345;
	CASE(brk, 1, ((void *)1)); /* below the heap: the break stays */
	CASE(sbrk, 0, (0));	   /* glibc knows the break: no syscall */
	CASE(mremap, 1, ((void *)1, 4096, 8192, 0));
	CASE(msync, 1, ((void *)1, 4096, MS_SYNC));
	CASE(mincore, 1, ((void *)1, 4096, vec));
	CASE(mlock, 1, (NULL, 0));
	CASE(mlock2, 1, (NULL, 0, 0xff));
	CASE(munlock, 1, (NULL, 0));
	CASE(mlockall, 1, (0));
	CASE(munlockall, 1, ());
	CASE(remap_file_pages, 1, ((void *)1, 4096, 0, 0, 0));
	CASE(pkey_alloc, 1, (1, 0));
	CASE(pkey_free, 1, (-1));
	CASE(memfd_create, 1, ("x", 0xffffffff));
	CASE(posix_madvise, 1, ((void *)1, 4096, POSIX_MADV_NORMAL));
	CASE(posix_madvise, 0, ((void *)1, 4096, POSIX_MADV_DONTNEED)); /* a no-op */
	CASE(alarm, 1, (0));
	CASE(setitimer, 1, (12345, &itv, NULL));
	CASE(getitimer, 1, (12345, &itv));
	CASE(timer_create, 1, (-42, NULL, &tid));
	CASE(timer_settime, 1, (tid, 0, &its, NULL));
	CASE(timer_gettime, 1, (tid, &its));
	CASE(timer_getoverrun, 1, (tid));
	CASE(timer_delete, 1, (tid));
	CASE(timerfd_create, 1, (-42, 0));
	CASE(timerfd_settime, 1, (-1, 0, &its, NULL));
	CASE(timerfd_gettime, 1, (-1, &its));
	struct timespec good = {0, 0};
	CASE(clock_settime, 0, (-42, &bad)); /* glibc's EINVAL, no syscall */
	CASE(clock_settime, 1, (-42, &good));
	CASE(adjtimex, 1, (&tx));
	CASE(ntp_adjtime, 1, (&tx));
	CASE(clock_adjtime, 1, (-42, &tx));
	CASE(wait3, 1, (NULL, WNOHANG, NULL));
}

Test(wrapper_errno, ipc_calls)
{
	struct shmid_ds sd;
	struct msqid_ds md;
	struct sembuf sb = {0, 0, 0};
	struct timespec zero = {0, 0};
	char msg[16];
	CASE(shmget, 1, (IPC_PRIVATE, (size_t)-1, 0600));
	CASE(shmat, 1, (-1, NULL, 0));
	CASE(shmdt, 1, ((void *)1));
	CASE(shmctl, 1, (-1, IPC_STAT, &sd));
	CASE(semget, 1, (IPC_PRIVATE, -1, 0600));
	CASE(semop, 1, (-1, &sb, 1));
	CASE(semtimedop, 1, (-1, &sb, 1, &zero));
	CASE(semctl, 1, (-1, 0, IPC_RMID));
	CASE(msgget, 1, (-1, 0));
	CASE(msgsnd, 1, (-1, msg, 1, 0));
	CASE(msgrcv, 1, (-1, msg, 1, 0, IPC_NOWAIT));
	CASE(msgctl, 1, (-1, IPC_STAT, &md));
	struct mq_attr ma;
	unsigned prio;
	CASE(mq_open, 1, ("/nonexistent-syswatch", O_RDONLY));
	CASE(mq_open, 0, ("no-slash", O_RDONLY)); /* glibc's EINVAL, no syscall */
	CASE(__mq_open_2, 1, ("/nonexistent-syswatch", O_RDONLY));
	CASE(mq_unlink, 1, ("/nonexistent-syswatch"));
	CASE(mq_close, 1, (-1));
	CASE(mq_getattr, 1, (-1, &ma));
	CASE(mq_setattr, 1, (-1, &ma, NULL));
	CASE(mq_notify, 1, (-1, NULL));
	CASE(mq_send, 1, (-1, msg, 1, 0));
	CASE(mq_timedsend, 1, (-1, msg, 1, 0, &zero));
	CASE(mq_receive, 1, (-1, msg, sizeof msg, &prio));
	CASE(mq_timedreceive, 1, (-1, msg, sizeof msg, &prio, &zero));
}
