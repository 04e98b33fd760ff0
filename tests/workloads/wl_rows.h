/*
 * wl_rows.h - the rows workload's own account of what it did (see
 * wl_rows.c): the syscall each of its calls issues (glibc 2.36, x86-64),
 * written here independently of include/syswatch/, and the network facts
 * the --net report must show.
 */
#ifndef SW_WL_ROWS_H
#define SW_WL_ROWS_H

#include <stdint.h>

/* The rows the workload issues, by strace's name. The last ones are
 * calls made where no preload can see them, tallied apart so the tests
 * can say so: a vfork child's _exit (it borrows its parent's memory, and
 * the shim passes its calls through, DESIGN.md decision 1) and the
 * execve inside posix_spawn's child (made by libc itself). */
/* clang-format off */
#define WLR_ROWS(X) \
	X(socket) X(socketpair) X(connect) X(accept) X(accept4) X(bind) \
	X(listen) X(shutdown) X(getsockname) X(getpeername) X(sendto) \
	X(sendmsg) X(sendmmsg) X(recvfrom) X(recvmsg) X(recvmmsg) \
	X(getsockopt) X(setsockopt) X(getaddrinfo) \
	X(poll) X(ppoll) X(pselect6) X(epoll_create1) X(epoll_ctl) \
	X(epoll_wait) X(epoll_pwait) X(eventfd2) X(inotify_init1) \
	X(inotify_add_watch) X(inotify_rm_watch) \
	X(clock_nanosleep) \
	X(clone) X(vfork) X(clone3) X(execve) X(wait4) X(waitid) X(kill) \
	X(getpid) X(getuid) X(getgid) \
	X(exit_group) \
	X(chdir) X(fchdir) X(chmod) X(fchmod) X(chown) X(fchown) \
	X(symlink) X(link) X(truncate) X(getdents64) X(sendfile) \
	X(copy_file_range) X(splice) \
	X(openat) X(read) X(write) X(close) X(unlink) X(pipe2) \
	X(vfork_child_exit_group) X(spawn_child_execve)
/* clang-format on */

enum wlr_row {
#define WLR_ENUM(name) WLR_##name,
	WLR_ROWS(WLR_ENUM)
#undef WLR_ENUM
	WLR_NROWS
};

/* The network facts (whole run, not only the iterations). */
struct wlr_net {
	unsigned tcp_port;       /* the listener's port */
	uint64_t tcp_connects;   /* successful connects to it */
	uint64_t client_sent;    /* bytes the clients sent on those */
	uint64_t client_recvd;   /* bytes they received */
	uint64_t accepts;        /* connections the listener accepted */
	uint64_t server_sent;    /* bytes the server sent on them */
	uint64_t server_recvd;   /* bytes it received */
	unsigned refused_port;   /* a bound port nobody listens on */
	uint64_t refused;        /* connects to it (all ECONNREFUSED) */
	uint64_t lookups;        /* getaddrinfo("localhost") calls */
};

struct wlr_tally {
	uint64_t calls[WLR_NROWS];
	uint64_t errors[WLR_NROWS];
	struct wlr_net net;
};

/* What the iterations run with (wl_rows.c). */
struct wlr_ctx {
	struct wlr_tally *t;
	const char *dir;         /* the fixtures' directory */
	const char *self;        /* this program, for exec and spawn */
	int strace_mode;         /* -x: nothing that starts processes or
				    resolves names in the loop */
};

/* Stop the workload (exit status 2) with a message and errno. */
__attribute__((noreturn, format(printf, 1, 2))) void wlr_die(const char *fmt, ...);

/* Record one call of row r and insist it failed or not as planned. */
#define WLR_DID(ctx, row, failed, planned)                                          \
	do {                                                                        \
		int f_ = (failed) ? 1 : 0;                                          \
		(ctx)->t->calls[WLR_##row]++;                                       \
		(ctx)->t->errors[WLR_##row] += (uint64_t)f_;                        \
		if (f_ != (planned))                                                \
			wlr_die("%s:%d: %s %s", __FILE__, __LINE__, #row,           \
				f_ ? "failed" : "succeeded unexpectedly");          \
	} while (0)
#define WLR_OK(ctx, row, failed)    WLR_DID(ctx, row, failed, 0)
#define WLR_FAILS(ctx, row, failed) WLR_DID(ctx, row, failed, 1)

/* The network fixtures (made once, before the iterations). */
void wlr_net_setup(struct wlr_ctx *c);
/* One iteration of the network and waiting families. */
void wlr_net_iteration(struct wlr_ctx *c);
void wlr_wait_iteration(struct wlr_ctx *c);

#endif
