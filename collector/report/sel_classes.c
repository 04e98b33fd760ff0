/*
 * sel_classes.c - strace's syscall classes for syswatch's rows (see
 * filter.h): one line per row of include/syswatch/rows.h, with the class
 * flags strace 6.1 gives the syscall in src/linux/x86_64/syscallent.h
 * (TD desc, TF file, TN network, TP process, TS signal, TI ipc, TM memory,
 * TFST/TSTA fstat and %%stat) and its number, which orders `-S none`.
 * A row missing here has no class (tests/test_cli.c checks that every
 * syscall row of rows.h has a line).
 */
#include <errno.h>
#include <string.h>
#include <sys/syscall.h>

#include "filter.h"

enum {
	TD = SW_SEL_DESC,
	TF = SW_SEL_FILE,
	TN = SW_SEL_NETWORK,
	TP = SW_SEL_PROCESS,
	TS = SW_SEL_SIGNAL,
	TM = SW_SEL_MEMORY,
	TFST = SW_SEL_FSTAT | SW_SEL_STAT_ANY,
};

#define S(name, cls) {#name, SYS_##name, cls},
#define LIB(name) {#name, -1, 0},

static const struct {
	const char *name;
	int nr;            /* x86-64 syscall number, -1: library row */
	unsigned classes;  /* enum sw_sel_class */
} sel[] = {
	S(openat, TD | TF) S(creat, TD | TF) S(read, TD) S(pread64, TD)
	S(readv, TD) S(preadv, TD) S(write, TD) S(pwrite64, TD) S(writev, TD)
	S(close, TD) S(lseek, TD) S(newfstatat, TD | TF | TFST)
	S(statx, TD | TF | TFST) S(access, TF) S(faccessat2, TD | TF)
	S(readlink, TF) S(readlinkat, TD | TF) S(getcwd, TF) S(getdents64, TD)
	S(unlink, TF) S(unlinkat, TD | TF) S(rename, TF) S(renameat, TD | TF)
	S(mkdir, TF) S(mkdirat, TD | TF) S(rmdir, TF) S(fsync, TD)
	S(fdatasync, TD) S(ftruncate, TD) S(fcntl, TD) S(ioctl, TD) S(dup, TD)
	S(dup2, TD) S(dup3, TD) S(pipe2, TD) S(mmap, TD | TM) S(munmap, TM)
	S(mprotect, TM) S(madvise, TM) LIB(dlopen) S(exit_group, TP)
	S(futex, 0) S(clock_nanosleep, 0) S(clone3, TP) S(clone, TP)
	S(vfork, TP) S(execve, TF | TP) S(execveat, TD | TF | TP) S(wait4, TP)
	S(waitid, TP) S(kill, TS | TP) LIB(system) S(socket, TN)
	S(socketpair, TN) S(connect, TN) S(accept, TN) S(accept4, TN)
	S(bind, TN) S(listen, TN) S(shutdown, TN) S(getsockname, TN)
	S(getpeername, TN) S(sendto, TN) S(sendmsg, TN) S(sendmmsg, TN)
	S(recvfrom, TN) S(recvmsg, TN) S(recvmmsg, TN) S(getsockopt, TN)
	S(setsockopt, TN) LIB(getaddrinfo) S(poll, TD) S(ppoll, TD)
	S(pselect6, TD) S(epoll_create, TD) S(epoll_create1, TD)
	S(epoll_ctl, TD) S(epoll_wait, TD) S(epoll_pwait, TD) S(chdir, TF)
	S(fchdir, TD) S(chmod, TF) S(fchmod, TD) S(fchmodat, TD | TF)
	S(chown, TF) S(lchown, TF) S(fchown, TD) S(symlink, TF) S(link, TF)
	S(truncate, TF) S(sendfile, TD | TN) S(copy_file_range, TD)
	S(splice, TD) S(eventfd2, TD) S(inotify_init, TD)
	S(inotify_init1, TD) S(inotify_add_watch, TD | TF)
	S(inotify_rm_watch, TD)
};

#undef S
#undef LIB

int sw_sel_lookup(const char *name, unsigned *classes, int *nr)
{
	for (size_t i = 0; i < sizeof(sel) / sizeof(sel[0]); i++) {
		if (strcmp(sel[i].name, name) == 0) {
			*classes = sel[i].classes;
			*nr = sel[i].nr;
			return 0;
		}
	}
	return -ENOENT;
}

/* strace's class names (without the leading '%'); legacy: also valid
 * without the '%' (deprecated in strace, still accepted). */
static const struct {
	const char *name;
	unsigned classes;
	bool legacy;
} class_names[] = {
	{"desc", SW_SEL_DESC, true},         {"file", SW_SEL_FILE, true},
	{"network", SW_SEL_NETWORK, true},   {"net", SW_SEL_NETWORK, false},
	{"process", SW_SEL_PROCESS, true},   {"signal", SW_SEL_SIGNAL, true},
	{"ipc", SW_SEL_IPC, true},           {"memory", SW_SEL_MEMORY, true},
	{"creds", SW_SEL_CREDS, false},      {"clock", SW_SEL_CLOCK, false},
	{"pure", SW_SEL_PURE, false},        {"stat", SW_SEL_STAT, false},
	{"lstat", SW_SEL_LSTAT, false},      {"fstat", SW_SEL_FSTAT, false},
	{"%stat", SW_SEL_STAT_ANY, false},   {"statfs", SW_SEL_STATFS, false},
	{"fstatfs", SW_SEL_FSTATFS, false},  {"%statfs", SW_SEL_STATFS_ANY, false},
};

const char *sw_sel_class_name(size_t i)
{
	return i < sizeof(class_names) / sizeof(class_names[0]) ? class_names[i].name : NULL;
}

unsigned sw_sel_class_parse(const char *name, bool legacy)
{
	for (size_t i = 0; i < sizeof(class_names) / sizeof(class_names[0]); i++)
		if (strcmp(class_names[i].name, name) == 0 &&
		    (!legacy || class_names[i].legacy))
			return class_names[i].classes;
	return 0;
}
