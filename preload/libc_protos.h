/*
 * libc_protos.h - prototypes of glibc entry points that its 2.36 headers
 * no longer declare (the fortified opens and reads, the legacy __xstat
 * family), for the wrappers and the tests that call them.
 */
#ifndef SW_PRELOAD_LIBC_PROTOS_H
#define SW_PRELOAD_LIBC_PROTOS_H

#include <sys/stat.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/types.h>

/* The headers that declare the other wrapped functions' types, for the
 * wrappers and for the tests that walk the call table. */
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <sys/klog.h>
#include <sys/quota.h>
#include <sys/reboot.h>
#include <sys/fanotify.h>
#include <sys/fsuid.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/mount.h>
#include <sys/msg.h>
#include <sys/personality.h>
#include <sys/pidfd.h>
#include <sys/prctl.h>
#include <sys/random.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/signalfd.h>
#include <sys/statfs.h>
#include <sys/statvfs.h>
#include <sys/swap.h>
#include <sys/sysinfo.h>
#include <sys/time.h>
#include <sys/timerfd.h>
#include <sys/times.h>
#include <sys/timex.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <sys/xattr.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>
#include <utime.h>
#include <sys/epoll.h>

/* The fortified mq_open of two arguments. */
mqd_t __mq_open_2(const char *, int);

/* Exported by glibc, declared by no header of it (libcap's). */
int capget(void *, void *);
int capset(void *, const void *);

ssize_t __recvfrom_chk(int, void *, size_t, size_t, int, __SOCKADDR_ARG, socklen_t *);

int __open_2(const char *, int);
int __open64_2(const char *, int);
int __openat_2(int, const char *, int);
int __openat64_2(int, const char *, int);
ssize_t __read_chk(int, void *, size_t, size_t);
ssize_t __pread_chk(int, void *, size_t, off_t, size_t);
ssize_t __pread64_chk(int, void *, size_t, off64_t, size_t);
ssize_t __readlink_chk(const char *, char *, size_t, size_t);
ssize_t __readlinkat_chk(int, const char *, char *, size_t, size_t);
char *__getcwd_chk(char *, size_t, size_t);
struct pollfd;
struct timespec;
ssize_t __recv_chk(int, void *, size_t, size_t, int);
int __poll_chk(struct pollfd *, unsigned long, int, size_t);
int __ppoll_chk(struct pollfd *, unsigned long, const struct timespec *, const __sigset_t *,
		size_t);
int __xstat(int, const char *, struct stat *);
int __xstat64(int, const char *, struct stat64 *);
int __lxstat(int, const char *, struct stat *);
int __lxstat64(int, const char *, struct stat64 *);
int __fxstat(int, int, struct stat *);
int __fxstat64(int, int, struct stat64 *);
int __fxstatat(int, int, const char *, struct stat *, int);
int __fxstatat64(int, int, const char *, struct stat64 *, int);

#endif
