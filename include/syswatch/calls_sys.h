/*
 * calls_sys.h - the second half of the call table (see calls.h for the
 * columns): signals, the process's own attributes, more file calls, and
 * IPC, the entry points issue 9 added. Included by calls.h only.
 */
#ifndef SYSWATCH_CALLS_SYS_H
#define SYSWATCH_CALLS_SYS_H

/* clang-format off */
/* Signals (preload/wrap_signal.c): dispositions, masks, waits. raise and
 * sigqueue issue more than one syscall and are wrapped by hand there. */
#define SW_CALLS_SIGNAL(X) \
 X(sigaction, int, rt_sigaction, NEG, CAP_NONE, VA_NONE, (int a0, const struct sigaction *a1, struct sigaction *a2), (a0, a1, a2), sw__sig_settable(a0), none, 0) \
 X(signal, __sighandler_t, rt_sigaction, SIGERR, CAP_NONE, VA_NONE, (int a0, __sighandler_t a1), (a0, a1), sw__sig_settable(a0) && (a1) != SIG_ERR, none, 0) \
 X(bsd_signal, __sighandler_t, rt_sigaction, SIGERR, CAP_NONE, VA_NONE, (int a0, __sighandler_t a1), (a0, a1), sw__sig_settable(a0) && (a1) != SIG_ERR, none, 0) \
 X(sysv_signal, __sighandler_t, rt_sigaction, SIGERR, CAP_NONE, VA_NONE, (int a0, __sighandler_t a1), (a0, a1), sw__sig_settable(a0) && (a1) != SIG_ERR, none, 0) \
 X(__sysv_signal, __sighandler_t, rt_sigaction, SIGERR, CAP_NONE, VA_NONE, (int a0, __sighandler_t a1), (a0, a1), sw__sig_settable(a0) && (a1) != SIG_ERR, none, 0) \
 X(sigprocmask, int, rt_sigprocmask, NEG, CAP_NONE, VA_NONE, (int a0, const sigset_t *a1, sigset_t *a2), (a0, a1, a2), 1, none, 0) \
 X(pthread_sigmask, int, rt_sigprocmask, POS, CAP_NONE, VA_NONE, (int a0, const __sigset_t *a1, __sigset_t *a2), (a0, a1, a2), 1, none, 0) \
 X(sigsuspend, int, rt_sigsuspend, NEG, CAP_NONE, VA_NONE, (const sigset_t *a0), (a0), 1, none, 0) \
 X(sigpending, int, rt_sigpending, NEG, CAP_NONE, VA_NONE, (sigset_t *a0), (a0), 1, none, 0) \
 X(sigtimedwait, int, rt_sigtimedwait, NEG, CAP_NONE, VA_NONE, (const sigset_t *a0, siginfo_t *a1, const struct timespec *a2), (a0, a1, a2), 1, none, 0) \
 X(sigwaitinfo, int, rt_sigtimedwait, NEG, CAP_NONE, VA_NONE, (const sigset_t *a0, siginfo_t *a1), (a0, a1), 1, none, 0) \
 X(sigwait, int, rt_sigtimedwait, POS, CAP_NONE, VA_NONE, (const sigset_t *a0, int *a1), (a0, a1), 1, none, 0) \
 X(sigaltstack, int, sigaltstack, NEG, CAP_NONE, VA_NONE, (const stack_t *a0, stack_t *a1), (a0, a1), 1, none, 0) \
 X(pause, int, pause, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(killpg, int, kill, NEG, CAP_NONE, VA_NONE, (__pid_t a0, int a1), (a0, a1), (a0) >= 0, none, 0) \
 X(tgkill, int, tgkill, NEG, CAP_NONE, VA_NONE, (__pid_t a0, __pid_t a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(signalfd, int, signalfd4, NEG, CAP_FD(a0), VA_NONE, (int a0, const sigset_t *a1, int a2), (a0, a1, a2), 1, none, 0)

/* The process's own attributes (preload/wrap_task.c): ids and
 * credentials, limits, scheduling, names, randomness. */
#define SW_CALLS_TASK(X) \
 X(getpid, __pid_t, getpid, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(getppid, __pid_t, getppid, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(gettid, __pid_t, gettid, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(getuid, __uid_t, getuid, NONE, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(geteuid, __uid_t, geteuid, NONE, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(getgid, __gid_t, getgid, NONE, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(getegid, __gid_t, getegid, NONE, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(getpgrp, __pid_t, getpgrp, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(getpgid, __pid_t, getpgid, NEG, CAP_NONE, VA_NONE, (__pid_t a0), (a0), 1, none, 0) \
 X(getsid, __pid_t, getsid, NEG, CAP_NONE, VA_NONE, (__pid_t a0), (a0), 1, none, 0) \
 X(getresuid, int, getresuid, NEG, CAP_NONE, VA_NONE, (__uid_t *a0, __uid_t *a1, __uid_t *a2), (a0, a1, a2), 1, none, 0) \
 X(getresgid, int, getresgid, NEG, CAP_NONE, VA_NONE, (__gid_t *a0, __gid_t *a1, __gid_t *a2), (a0, a1, a2), 1, none, 0) \
 X(getgroups, int, getgroups, NEG, CAP_NONE, VA_NONE, (int a0, __gid_t *a1), (a0, a1), 1, none, 0) \
 X(setuid, int, setuid, NEG, CAP_NONE, VA_NONE, (__uid_t a0), (a0), 1, none, 0) \
 X(setgid, int, setgid, NEG, CAP_NONE, VA_NONE, (__gid_t a0), (a0), 1, none, 0) \
 X(seteuid, int, setresuid, NEG, CAP_NONE, VA_NONE, (__uid_t a0), (a0), (a0) != (__uid_t)-1, none, 0) \
 X(setegid, int, setresgid, NEG, CAP_NONE, VA_NONE, (__gid_t a0), (a0), (a0) != (__gid_t)-1, none, 0) \
 X(setreuid, int, setreuid, NEG, CAP_NONE, VA_NONE, (__uid_t a0, __uid_t a1), (a0, a1), 1, none, 0) \
 X(setregid, int, setregid, NEG, CAP_NONE, VA_NONE, (__gid_t a0, __gid_t a1), (a0, a1), 1, none, 0) \
 X(setresuid, int, setresuid, NEG, CAP_NONE, VA_NONE, (__uid_t a0, __uid_t a1, __uid_t a2), (a0, a1, a2), 1, none, 0) \
 X(setresgid, int, setresgid, NEG, CAP_NONE, VA_NONE, (__gid_t a0, __gid_t a1, __gid_t a2), (a0, a1, a2), 1, none, 0) \
 X(setgroups, int, setgroups, NEG, CAP_NONE, VA_NONE, (size_t a0, const __gid_t *a1), (a0, a1), 1, none, 0) \
 X(setfsuid, int, setfsuid, NONE, CAP_NONE, VA_NONE, (__uid_t a0), (a0), 1, none, 0) \
 X(setfsgid, int, setfsgid, NONE, CAP_NONE, VA_NONE, (__gid_t a0), (a0), 1, none, 0) \
 X(setsid, __pid_t, setsid, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(setpgid, int, setpgid, NEG, CAP_NONE, VA_NONE, (__pid_t a0, __pid_t a1), (a0, a1), 1, none, 0) \
 X(setpgrp, int, setpgid, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(umask, __mode_t, umask, NONE, CAP_NONE, VA_NONE, (__mode_t a0), (a0), 1, none, 0) \
 X(chroot, int, chroot, NEG, CAP_PATH(a0), VA_NONE, (const char *a0), (a0), 1, none, 0) \
 X(uname, int, uname, NEG, CAP_NONE, VA_NONE, (struct utsname *a0), (a0), 1, none, 0) \
 X(gethostname, int, uname, NEG, CAP_NONE, VA_NONE, (char *a0, size_t a1), (a0, a1), 1, none, 0) \
 X(getdomainname, int, uname, NEG, CAP_NONE, VA_NONE, (char *a0, size_t a1), (a0, a1), 1, none, 0) \
 X(sethostname, int, sethostname, NEG, CAP_NONE, VA_NONE, (const char *a0, size_t a1), (a0, a1), 1, none, 0) \
 X(setdomainname, int, setdomainname, NEG, CAP_NONE, VA_NONE, (const char *a0, size_t a1), (a0, a1), 1, none, 0) \
 X(sysinfo, int, sysinfo, NEG, CAP_NONE, VA_NONE, (struct sysinfo *a0), (a0), 1, none, 0) \
 X(getrusage, int, getrusage, NEG, CAP_NONE, VA_NONE, (__rusage_who_t a0, struct rusage *a1), (a0, a1), 1, none, 0) \
 X(times, clock_t, times, NEG, CAP_NONE, VA_NONE, (struct tms *a0), (a0), 1, none, 0) \
 X(getrlimit, int, prlimit64, NEG, CAP_NONE, VA_NONE, (__rlimit_resource_t a0, struct rlimit *a1), (a0, a1), 1, none, 0) \
 X(getrlimit64, int, prlimit64, NEG, CAP_NONE, VA_NONE, (__rlimit_resource_t a0, struct rlimit64 *a1), (a0, a1), 1, none, 0) \
 X(setrlimit, int, prlimit64, NEG, CAP_NONE, VA_NONE, (__rlimit_resource_t a0, const struct rlimit *a1), (a0, a1), 1, none, 0) \
 X(setrlimit64, int, prlimit64, NEG, CAP_NONE, VA_NONE, (__rlimit_resource_t a0, const struct rlimit64 *a1), (a0, a1), 1, none, 0) \
 X(prlimit, int, prlimit64, NEG, CAP_NONE, VA_NONE, (__pid_t a0, __rlimit_resource_t a1, const struct rlimit *a2, struct rlimit *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(prlimit64, int, prlimit64, NEG, CAP_NONE, VA_NONE, (__pid_t a0, __rlimit_resource_t a1, const struct rlimit64 *a2, struct rlimit64 *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(getdtablesize, int, prlimit64, NONE, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(getpriority, int, getpriority, NONE, CAP_NONE, VA_NONE, (__priority_which_t a0, id_t a1), (a0, a1), 1, none, 0) \
 X(setpriority, int, setpriority, NEG, CAP_NONE, VA_NONE, (__priority_which_t a0, id_t a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(sched_yield, int, sched_yield, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(sched_getaffinity, int, sched_getaffinity, NEG, CAP_NONE, VA_NONE, (__pid_t a0, size_t a1, cpu_set_t *a2), (a0, a1, a2), 1, none, 0) \
 X(sched_setaffinity, int, sched_setaffinity, NEG, CAP_NONE, VA_NONE, (__pid_t a0, size_t a1, const cpu_set_t *a2), (a0, a1, a2), 1, none, 0) \
 X(sched_getparam, int, sched_getparam, NEG, CAP_NONE, VA_NONE, (__pid_t a0, struct sched_param *a1), (a0, a1), 1, none, 0) \
 X(sched_setparam, int, sched_setparam, NEG, CAP_NONE, VA_NONE, (__pid_t a0, const struct sched_param *a1), (a0, a1), 1, none, 0) \
 X(sched_getscheduler, int, sched_getscheduler, NEG, CAP_NONE, VA_NONE, (__pid_t a0), (a0), 1, none, 0) \
 X(sched_setscheduler, int, sched_setscheduler, NEG, CAP_NONE, VA_NONE, (__pid_t a0, int a1, const struct sched_param *a2), (a0, a1, a2), 1, none, 0) \
 X(sched_get_priority_max, int, sched_get_priority_max, NEG, CAP_NONE, VA_NONE, (int a0), (a0), 1, none, 0) \
 X(sched_get_priority_min, int, sched_get_priority_min, NEG, CAP_NONE, VA_NONE, (int a0), (a0), 1, none, 0) \
 X(sched_rr_get_interval, int, sched_rr_get_interval, NEG, CAP_NONE, VA_NONE, (__pid_t a0, struct timespec *a1), (a0, a1), 1, none, 0) \
 X(prctl, int, prctl, NEG, CAP_NONE, VA_ULONG4(a0), (int a0, ...), (a0, va[0], va[1], va[2], va[3]), 1, none, 0) \
 X(personality, int, personality, NEG, CAP_NONE, VA_NONE, (unsigned long a0), (a0), 1, none, 0) \
 X(unshare, int, unshare, NEG, CAP_NONE, VA_NONE, (int a0), (a0), 1, none, 0) \
 X(setns, int, setns, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1), (a0, a1), 1, none, 0) \
 X(acct, int, acct, NEG, CAP_PATH(a0), VA_NONE, (const char *a0), (a0), 1, none, 0) \
 X(vhangup, int, vhangup, NEG, CAP_NONE, VA_NONE, (void), (), 1, none, 0) \
 X(capget, int, capget, NEG, CAP_NONE, VA_NONE, (void *a0, void *a1), (a0, a1), 1, none, 0) \
 X(capset, int, capset, NEG, CAP_NONE, VA_NONE, (void *a0, const void *a1), (a0, a1), 1, none, 0) \
 X(getrandom, ssize_t, getrandom, NEG, CAP_NONE, VA_NONE, (void *a0, size_t a1, unsigned int a2), (a0, a1, a2), 1, none, 0) \
 X(getentropy, int, getrandom, NEG, CAP_NONE, VA_NONE, (void *a0, size_t a1), (a0, a1), sw__getentropy_issues(a1), none, 0) \
 X(pidfd_open, int, pidfd_open, NEG, CAP_NONE, VA_NONE, (__pid_t a0, unsigned int a1), (a0, a1), 1, none, 0) \
 X(pidfd_send_signal, int, pidfd_send_signal, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, siginfo_t *a2, unsigned int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(pidfd_getfd, int, pidfd_getfd, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, unsigned int a2), (a0, a1, a2), 1, none, 0) \
 X(process_vm_readv, ssize_t, process_vm_readv, NEG, CAP_NONE, VA_NONE, (pid_t a0, const struct iovec *a1, unsigned long a2, const struct iovec *a3, unsigned long a4, unsigned long a5), (a0, a1, a2, a3, a4, a5), 1, none, 0) \
 X(process_vm_writev, ssize_t, process_vm_writev, NEG, CAP_NONE, VA_NONE, (pid_t a0, const struct iovec *a1, unsigned long a2, const struct iovec *a3, unsigned long a4, unsigned long a5), (a0, a1, a2, a3, a4, a5), 1, none, 0) \
 X(process_madvise, ssize_t, process_madvise, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, size_t a2, int a3, unsigned int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(process_mrelease, int, process_mrelease, NEG, CAP_FD(a0), VA_NONE, (int a0, unsigned int a1), (a0, a1), 1, none, 0) \
 X(reboot, int, reboot, NEG, CAP_NONE, VA_NONE, (int a0), (a0), 1, none, 0) \
 X(klogctl, int, syslog, NEG, CAP_NONE, VA_NONE, (int a0, char *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(quotactl, int, quotactl, NEG, CAP_PATH(a1), VA_NONE, (int a0, const char *a1, int a2, caddr_t a3), (a0, a1, a2, a3), 1, none, 0)

/* More file calls (preload/wrap_fsx.c): file systems, attributes and
 * times, advice and space, the remaining *at calls, terminals. */
#define SW_CALLS_FSX(X) \
 X(statfs, int, statfs, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, struct statfs *a1), (a0, a1), 1, none, 0) \
 X(statfs64, int, statfs, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, struct statfs64 *a1), (a0, a1), 1, none, 0) \
 X(fstatfs, int, fstatfs, NEG, CAP_FD(a0), VA_NONE, (int a0, struct statfs *a1), (a0, a1), 1, none, 0) \
 X(fstatfs64, int, fstatfs, NEG, CAP_FD(a0), VA_NONE, (int a0, struct statfs64 *a1), (a0, a1), 1, none, 0) \
 X(statvfs, int, statfs, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, struct statvfs *a1), (a0, a1), 1, none, 0) \
 X(statvfs64, int, statfs, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, struct statvfs64 *a1), (a0, a1), 1, none, 0) \
 X(fstatvfs, int, fstatfs, NEG, CAP_FD(a0), VA_NONE, (int a0, struct statvfs *a1), (a0, a1), 1, none, 0) \
 X(fstatvfs64, int, fstatfs, NEG, CAP_FD(a0), VA_NONE, (int a0, struct statvfs64 *a1), (a0, a1), 1, none, 0) \
 X(flock, int, flock, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1), (a0, a1), 1, none, 0) \
 X(lockf, int, fcntl, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, off_t a2), (a0, a1, a2), (unsigned)(a1) <= 3, none, 0) \
 X(lockf64, int, fcntl, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, off64_t a2), (a0, a1, a2), (unsigned)(a1) <= 3, none, 0) \
 X(posix_fadvise, int, fadvise64, POS, CAP_FD(a0), VA_NONE, (int a0, off_t a1, off_t a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(posix_fadvise64, int, fadvise64, POS, CAP_FD(a0), VA_NONE, (int a0, off64_t a1, off64_t a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(fallocate, int, fallocate, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, off_t a2, off_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(fallocate64, int, fallocate, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, off64_t a2, off64_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(posix_fallocate, int, fallocate, POS, CAP_FD(a0), VA_NONE, (int a0, off_t a1, off_t a2), (a0, a1, a2), 1, none, 0) \
 X(posix_fallocate64, int, fallocate, POS, CAP_FD(a0), VA_NONE, (int a0, off64_t a1, off64_t a2), (a0, a1, a2), 1, none, 0) \
 X(readahead, ssize_t, readahead, NEG, CAP_FD(a0), VA_NONE, (int a0, off64_t a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(syncfs, int, syncfs, NEG, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, none, 0) \
 X(sync_file_range, int, sync_file_range, NEG, CAP_FD(a0), VA_NONE, (int a0, off64_t a1, off64_t a2, unsigned int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(utimensat, int, utimensat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, const struct timespec a2[2], int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(futimens, int, utimensat, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct timespec a1[2]), (a0, a1), 1, none, 0) \
 X(utime, int, utimensat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const struct utimbuf *a1), (a0, a1), 1, none, 0) \
 X(utimes, int, utimensat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const struct timeval a1[2]), (a0, a1), 1, none, 0) \
 X(lutimes, int, utimensat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const struct timeval a1[2]), (a0, a1), 1, none, 0) \
 X(futimes, int, utimensat, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct timeval a1[2]), (a0, a1), 1, none, 0) \
 X(futimesat, int, utimensat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, const struct timeval a2[2]), (a0, a1, a2), 1, none, 0) \
 X(close_range, int, close_range, NEG, CAP_FD(a0), VA_NONE, (unsigned int a0, unsigned int a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(linkat, int, linkat, NEG, CAP_AT(a2, a3), VA_NONE, (int a0, const char *a1, int a2, const char *a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(symlinkat, int, symlinkat, NEG, CAP_AT(a1, a2), VA_NONE, (const char *a0, int a1, const char *a2), (a0, a1, a2), 1, none, 0) \
 X(fchownat, int, fchownat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, __uid_t a2, __gid_t a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(mknod, int, mknodat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, __mode_t a1, __dev_t a2), (a0, a1, a2), 1, none, 0) \
 X(mknodat, int, mknodat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, __mode_t a2, __dev_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(mkfifo, int, mknodat, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, __mode_t a1), (a0, a1), 1, none, 0) \
 X(mkfifoat, int, mknodat, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, __mode_t a2), (a0, a1, a2), 1, none, 0) \
 X(setxattr, int, setxattr, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1, const void *a2, size_t a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(lsetxattr, int, lsetxattr, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1, const void *a2, size_t a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(fsetxattr, int, fsetxattr, NEG, CAP_FD(a0), VA_NONE, (int a0, const char *a1, const void *a2, size_t a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(getxattr, ssize_t, getxattr, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1, void *a2, size_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(lgetxattr, ssize_t, lgetxattr, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1, void *a2, size_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(fgetxattr, ssize_t, fgetxattr, NEG, CAP_FD(a0), VA_NONE, (int a0, const char *a1, void *a2, size_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(listxattr, ssize_t, listxattr, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, char *a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(llistxattr, ssize_t, llistxattr, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, char *a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(flistxattr, ssize_t, flistxattr, NEG, CAP_FD(a0), VA_NONE, (int a0, char *a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(removexattr, int, removexattr, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1), (a0, a1), 1, none, 0) \
 X(lremovexattr, int, lremovexattr, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, const char *a1), (a0, a1), 1, none, 0) \
 X(fremovexattr, int, fremovexattr, NEG, CAP_FD(a0), VA_NONE, (int a0, const char *a1), (a0, a1), 1, none, 0) \
 X(mount, int, mount, NEG, CAP_PATH(a1), VA_NONE, (const char *a0, const char *a1, const char *a2, unsigned long a3, const void *a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(umount, int, umount2, NEG, CAP_PATH(a0), VA_NONE, (const char *a0), (a0), 1, none, 0) \
 X(umount2, int, umount2, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, int a1), (a0, a1), 1, none, 0) \
 X(swapon, int, swapon, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, int a1), (a0, a1), 1, none, 0) \
 X(swapoff, int, swapoff, NEG, CAP_PATH(a0), VA_NONE, (const char *a0), (a0), 1, none, 0) \
 X(pwritev, ssize_t, pwritev, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, int a2, off_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(pwritev64, ssize_t, pwritev, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, int a2, off64_t a3), (a0, a1, a2, a3), 1, none, 0) \
 X(preadv2, ssize_t, preadv2, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, int a2, off_t a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(pwritev2, ssize_t, pwritev2, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, int a2, off_t a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(tee, ssize_t, tee, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1, size_t a2, unsigned int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(vmsplice, ssize_t, vmsplice, NEG, CAP_FD(a0), VA_NONE, (int a0, const struct iovec *a1, size_t a2, unsigned int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(name_to_handle_at, int, name_to_handle_at, NEG, CAP_AT(a0, a1), VA_NONE, (int a0, const char *a1, struct file_handle *a2, int *a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(open_by_handle_at, int, open_by_handle_at, NEG, CAP_FD(a0), VA_NONE, (int a0, struct file_handle *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(fanotify_init, int, fanotify_init, NEG, CAP_NONE, VA_NONE, (unsigned int a0, unsigned int a1), (a0, a1), 1, none, 0) \
 X(fanotify_mark, int, fanotify_mark, NEG, CAP_AT(a3, a4), VA_NONE, (int a0, unsigned int a1, uint64_t a2, int a3, const char *a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(isatty, int, ioctl, ZERO, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, none, 0) \
 X(tcgetattr, int, ioctl, NEG, CAP_FD(a0), VA_NONE, (int a0, struct termios *a1), (a0, a1), 1, none, 0) \
 X(tcgetpgrp, __pid_t, ioctl, NEG, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, none, 0) \
 X(tcsetpgrp, int, ioctl, NEG, CAP_FD(a0), VA_NONE, (int a0, __pid_t a1), (a0, a1), 1, none, 0) \
 X(tcflush, int, ioctl, NEG, CAP_FD(a0), VA_NONE, (int a0, int a1), (a0, a1), 1, none, 0) \
 X(tcdrain, int, ioctl, NEG, CAP_FD(a0), VA_NONE, (int a0), (a0), 1, none, 0) \
 X(epoll_pwait2, int, epoll_pwait2, NEG, CAP_FD(a0), VA_NONE, (int a0, struct epoll_event *a1, int a2, const struct timespec *a3, const __sigset_t *a4), (a0, a1, a2, a3, a4), 1, none, 0)

/* System V IPC and POSIX message queues (preload/wrap_ipc.c). */
#define SW_CALLS_IPC(X) \
 X(shmget, int, shmget, NEG, CAP_NONE, VA_NONE, (key_t a0, size_t a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(shmat, void *, shmat, MAPF, CAP_NONE, VA_NONE, (int a0, const void *a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(shmdt, int, shmdt, NEG, CAP_ADDR(a0), VA_NONE, (const void *a0), (a0), 1, none, 0) \
 X(shmctl, int, shmctl, NEG, CAP_NONE, VA_NONE, (int a0, int a1, struct shmid_ds *a2), (a0, a1, a2), 1, none, 0) \
 X(semget, int, semget, NEG, CAP_NONE, VA_NONE, (key_t a0, int a1, int a2), (a0, a1, a2), 1, none, 0) \
 X(semop, int, semtimedop, NEG, CAP_NONE, VA_NONE, (int a0, struct sembuf *a1, size_t a2), (a0, a1, a2), 1, none, 0) \
 X(semtimedop, int, semtimedop, NEG, CAP_NONE, VA_NONE, (int a0, struct sembuf *a1, size_t a2, const struct timespec *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(semctl, int, semctl, NEG, CAP_NONE, VA_ARG(a2), (int a0, int a1, int a2, ...), (a0, a1, a2, va), 1, none, 0) \
 X(msgget, int, msgget, NEG, CAP_NONE, VA_NONE, (key_t a0, int a1), (a0, a1), 1, none, 0) \
 X(msgsnd, int, msgsnd, NEG, CAP_NONE, VA_NONE, (int a0, const void *a1, size_t a2, int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(msgrcv, ssize_t, msgrcv, NEG, CAP_NONE, VA_NONE, (int a0, void *a1, size_t a2, long a3, int a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(msgctl, int, msgctl, NEG, CAP_NONE, VA_NONE, (int a0, int a1, struct msqid_ds *a2), (a0, a1, a2), 1, none, 0) \
 X(mq_open, mqd_t, mq_open, NEG, CAP_PATH(a0), VA_ULONG4(a1), (const char *a0, int a1, ...), (a0, a1, va[0], va[1], va[2], va[3]), sw__mq_name_ok(a0), none, 0) \
 X(__mq_open_2, mqd_t, mq_open, NEG, CAP_PATH(a0), VA_NONE, (const char *a0, int a1), (a0, a1), sw__mq_name_ok(a0) && !((a1) & O_CREAT), none, 0) \
 X(mq_unlink, int, mq_unlink, NEG, CAP_PATH(a0), VA_NONE, (const char *a0), (a0), sw__mq_name_ok(a0), none, 0) \
 X(mq_close, int, close, NEG, CAP_FD(a0), VA_NONE, (mqd_t a0), (a0), 1, none, 0) \
 X(mq_getattr, int, mq_getsetattr, NEG, CAP_FD(a0), VA_NONE, (mqd_t a0, struct mq_attr *a1), (a0, a1), 1, none, 0) \
 X(mq_setattr, int, mq_getsetattr, NEG, CAP_FD(a0), VA_NONE, (mqd_t a0, const struct mq_attr *a1, struct mq_attr *a2), (a0, a1, a2), 1, none, 0) \
 X(mq_notify, int, mq_notify, NEG, CAP_FD(a0), VA_NONE, (mqd_t a0, const struct sigevent *a1), (a0, a1), 1, none, 0) \
 X(mq_send, int, mq_timedsend, NEG, CAP_FD(a0), VA_NONE, (mqd_t a0, const char *a1, size_t a2, unsigned int a3), (a0, a1, a2, a3), 1, none, 0) \
 X(mq_timedsend, int, mq_timedsend, NEG, CAP_FD(a0), VA_NONE, (mqd_t a0, const char *a1, size_t a2, unsigned int a3, const struct timespec *a4), (a0, a1, a2, a3, a4), 1, none, 0) \
 X(mq_receive, ssize_t, mq_timedreceive, NEG, CAP_FD(a0), VA_NONE, (mqd_t a0, char *a1, size_t a2, unsigned int *a3), (a0, a1, a2, a3), 1, none, 0) \
 X(mq_timedreceive, ssize_t, mq_timedreceive, NEG, CAP_FD(a0), VA_NONE, (mqd_t a0, char *a1, size_t a2, unsigned int *a3, const struct timespec *a4), (a0, a1, a2, a3, a4), 1, none, 0)
/* clang-format on */

#endif
