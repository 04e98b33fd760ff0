/*
 * rows.h - the rows of the report: one per syscall name (as strace prints
 * it) plus the library rows that have no single syscall.
 *
 * SW_ROW(id, name, class, flags)
 *   id     C identifier, gives SW_ROW_<id>
 *   name   the name printed in the table (strace's spelling)
 *   class  SW_CLASS_* (file, desc, network, process, memory, lock, time, lib)
 *   flags  SW_ROWF_LIBRARY: a library call, not a syscall (dlopen)
 *          SW_ROWF_LIBC:    counted at the libc entry point; strace may see
 *                           more (directory reads; futex: only waits that
 *                           really blocked and wakes of a waiter, not the
 *                           futex calls glibc makes inside its own locks)
 *
 * SW_ROWS_HAND lists the rows written by hand (their classes and flags
 * chosen per row); sysrows.h adds a row for every other syscall number,
 * generated from the kernel's list by gen_sysrows.sh, which must be run
 * again whenever a hand row is added here.
 *
 * Row ids are part of the shared-memory ABI and of the trace format: add new
 * rows at the end only. Trace files carry the names, so old traces stay
 * readable when rows are added.
 */
#ifndef SYSWATCH_ROWS_H
#define SYSWATCH_ROWS_H

#include "sysrows.h"

#define SW_ROWS_HAND(X)                                                         \
	X(openat, "openat", SW_CLASS_FILE, 0)                                \
	X(creat, "creat", SW_CLASS_FILE, 0)                                  \
	X(read, "read", SW_CLASS_DESC, 0)                                    \
	X(pread64, "pread64", SW_CLASS_DESC, 0)                              \
	X(readv, "readv", SW_CLASS_DESC, 0)                                  \
	X(preadv, "preadv", SW_CLASS_DESC, 0)                                \
	X(write, "write", SW_CLASS_DESC, 0)                                  \
	X(pwrite64, "pwrite64", SW_CLASS_DESC, 0)                            \
	X(writev, "writev", SW_CLASS_DESC, 0)                                \
	X(close, "close", SW_CLASS_DESC, 0)                                  \
	X(lseek, "lseek", SW_CLASS_DESC, 0)                                  \
	X(newfstatat, "newfstatat", SW_CLASS_FILE, 0)                        \
	X(statx, "statx", SW_CLASS_FILE, 0)                                  \
	X(access, "access", SW_CLASS_FILE, 0)                                \
	X(faccessat2, "faccessat2", SW_CLASS_FILE, 0)                        \
	X(readlink, "readlink", SW_CLASS_FILE, 0)                            \
	X(readlinkat, "readlinkat", SW_CLASS_FILE, 0)                        \
	X(getcwd, "getcwd", SW_CLASS_FILE, 0)                                \
	X(getdents64, "getdents64", SW_CLASS_DESC, SW_ROWF_LIBC)             \
	X(unlink, "unlink", SW_CLASS_FILE, 0)                                \
	X(unlinkat, "unlinkat", SW_CLASS_FILE, 0)                            \
	X(rename, "rename", SW_CLASS_FILE, 0)                                \
	X(renameat, "renameat", SW_CLASS_FILE, 0)                            \
	X(mkdir, "mkdir", SW_CLASS_FILE, 0)                                  \
	X(mkdirat, "mkdirat", SW_CLASS_FILE, 0)                              \
	X(rmdir, "rmdir", SW_CLASS_FILE, 0)                                  \
	X(fsync, "fsync", SW_CLASS_DESC, 0)                                  \
	X(fdatasync, "fdatasync", SW_CLASS_DESC, 0)                          \
	X(ftruncate, "ftruncate", SW_CLASS_DESC, 0)                          \
	X(fcntl, "fcntl", SW_CLASS_DESC, 0)                                  \
	X(ioctl, "ioctl", SW_CLASS_DESC, 0)                                  \
	X(dup, "dup", SW_CLASS_DESC, 0)                                      \
	X(dup2, "dup2", SW_CLASS_DESC, 0)                                    \
	X(dup3, "dup3", SW_CLASS_DESC, 0)                                    \
	X(pipe2, "pipe2", SW_CLASS_DESC, 0)                                  \
	X(mmap, "mmap", SW_CLASS_MEMORY, 0)                                  \
	X(munmap, "munmap", SW_CLASS_MEMORY, 0)                              \
	X(mprotect, "mprotect", SW_CLASS_MEMORY, 0)                          \
	X(madvise, "madvise", SW_CLASS_MEMORY, 0)                            \
	X(dlopen, "dlopen", SW_CLASS_LIB, SW_ROWF_LIBRARY)                   \
	X(exit_group, "exit_group", SW_CLASS_PROCESS, 0)                     \
	X(futex, "futex", SW_CLASS_LOCK, SW_ROWF_LIBC)                                  \
	X(clock_nanosleep, "clock_nanosleep", SW_CLASS_TIME, 0)              \
	X(clone3, "clone3", SW_CLASS_PROCESS, 0)                             \
	X(clone, "clone", SW_CLASS_PROCESS, 0)                               \
	X(vfork, "vfork", SW_CLASS_PROCESS, 0)                               \
	X(execve, "execve", SW_CLASS_PROCESS, 0)                             \
	X(execveat, "execveat", SW_CLASS_PROCESS, 0)                         \
	X(wait4, "wait4", SW_CLASS_PROCESS, 0)                               \
	X(waitid, "waitid", SW_CLASS_PROCESS, 0)                             \
	X(kill, "kill", SW_CLASS_PROCESS, 0)                                 \
	X(system, "system", SW_CLASS_LIB, SW_ROWF_LIBRARY)                   \
	X(socket, "socket", SW_CLASS_NETWORK, 0) \
	X(socketpair, "socketpair", SW_CLASS_NETWORK, 0) \
	X(connect, "connect", SW_CLASS_NETWORK, 0) \
	X(accept, "accept", SW_CLASS_NETWORK, 0) \
	X(accept4, "accept4", SW_CLASS_NETWORK, 0) \
	X(bind, "bind", SW_CLASS_NETWORK, 0) \
	X(listen, "listen", SW_CLASS_NETWORK, 0) \
	X(shutdown, "shutdown", SW_CLASS_NETWORK, 0) \
	X(getsockname, "getsockname", SW_CLASS_NETWORK, 0) \
	X(getpeername, "getpeername", SW_CLASS_NETWORK, 0) \
	X(sendto, "sendto", SW_CLASS_NETWORK, 0) \
	X(sendmsg, "sendmsg", SW_CLASS_NETWORK, 0) \
	X(sendmmsg, "sendmmsg", SW_CLASS_NETWORK, 0) \
	X(recvfrom, "recvfrom", SW_CLASS_NETWORK, 0) \
	X(recvmsg, "recvmsg", SW_CLASS_NETWORK, 0) \
	X(recvmmsg, "recvmmsg", SW_CLASS_NETWORK, 0) \
	X(getsockopt, "getsockopt", SW_CLASS_NETWORK, 0) \
	X(setsockopt, "setsockopt", SW_CLASS_NETWORK, 0) \
	X(getaddrinfo, "getaddrinfo", SW_CLASS_LIB, SW_ROWF_LIBRARY) \
	X(poll, "poll", SW_CLASS_DESC, 0) \
	X(ppoll, "ppoll", SW_CLASS_DESC, 0) \
	X(pselect6, "pselect6", SW_CLASS_DESC, 0) \
	X(epoll_create, "epoll_create", SW_CLASS_DESC, 0) \
	X(epoll_create1, "epoll_create1", SW_CLASS_DESC, 0) \
	X(epoll_ctl, "epoll_ctl", SW_CLASS_DESC, 0) \
	X(epoll_wait, "epoll_wait", SW_CLASS_DESC, 0) \
	X(epoll_pwait, "epoll_pwait", SW_CLASS_DESC, 0) \
	X(chdir, "chdir", SW_CLASS_FILE, 0) \
	X(fchdir, "fchdir", SW_CLASS_DESC, 0) \
	X(chmod, "chmod", SW_CLASS_FILE, 0) \
	X(fchmod, "fchmod", SW_CLASS_DESC, 0) \
	X(fchmodat, "fchmodat", SW_CLASS_FILE, 0) \
	X(chown, "chown", SW_CLASS_FILE, 0) \
	X(lchown, "lchown", SW_CLASS_FILE, 0) \
	X(fchown, "fchown", SW_CLASS_DESC, 0) \
	X(symlink, "symlink", SW_CLASS_FILE, 0) \
	X(link, "link", SW_CLASS_FILE, 0) \
	X(truncate, "truncate", SW_CLASS_FILE, 0) \
	X(sendfile, "sendfile", SW_CLASS_DESC, 0) \
	X(copy_file_range, "copy_file_range", SW_CLASS_DESC, 0) \
	X(splice, "splice", SW_CLASS_DESC, 0) \
	X(eventfd2, "eventfd2", SW_CLASS_DESC, 0) \
	X(inotify_init, "inotify_init", SW_CLASS_DESC, 0) \
	X(inotify_init1, "inotify_init1", SW_CLASS_DESC, 0) \
	X(inotify_add_watch, "inotify_add_watch", SW_CLASS_DESC, 0) \
	X(inotify_rm_watch, "inotify_rm_watch", SW_CLASS_DESC, 0)

/* Every row: the hand rows above, one generated row for each other x86-64
 * syscall (sysrows.h), and one for numbers the table does not know. */
#define SW_ROWS(X)                                                           \
	SW_ROWS_HAND(X)                                                      \
	SW_ROWS_SYS(X)                                                       \
	X(syscall_unknown, "syscall_unknown", SW_CLASS_OTHER, 0)

enum sw_class {
	SW_CLASS_FILE,
	SW_CLASS_DESC,
	SW_CLASS_NETWORK,
	SW_CLASS_PROCESS,
	SW_CLASS_MEMORY,
	SW_CLASS_LOCK,
	SW_CLASS_TIME,
	SW_CLASS_LIB,
	SW_CLASS_SIGNAL,
	SW_CLASS_OTHER,
};

enum sw_row_flags {
	SW_ROWF_LIBRARY = 1u << 0,
	SW_ROWF_LIBC = 1u << 1,
};

enum sw_row_id {
#define SW_ROW_ENUM(id, name, cls, flags) SW_ROW_##id,
	SW_ROWS(SW_ROW_ENUM)
#undef SW_ROW_ENUM
	SW_ROW_COUNT
};

/* The row a syscall number is counted under: the row of the same name, or
 * syscall_unknown for a number this table does not know. Signal-safe; used
 * by syscall() and by complete mode to name what they see. */
static inline unsigned sw_sysno_row(long nr)
{
	static const unsigned short rows[SW_SYSNO_MAX + 1] = {
#define SW_SYSNO_ROW(nr, id) [nr] = SW_ROW_##id + 1,
		SW_SYSNOS(SW_SYSNO_ROW)
#undef SW_SYSNO_ROW
	};
	if (nr < 0 || nr > SW_SYSNO_MAX || rows[nr] == 0)
		return SW_ROW_syscall_unknown;
	return rows[nr] - 1u;
}

#endif
