/*
 * wl_sys.h - the issue 9 workload's own account of what it did (see
 * wl_sys.c): beside every call, the syscalls glibc 2.36 issues for it on
 * x86-64, by strace's name, written here independently of
 * include/syswatch/ (probed with strace; the strace test says which side
 * is right when they disagree).
 */
#ifndef SW_WL_SYS_H
#define SW_WL_SYS_H

#include <stdint.h>

#define WLS_MAX_ROWS 256

struct wls_row {
	const char *name; /* strace's name, or a name the tests know */
	uint64_t calls;
	uint64_t errors;
};

struct wls {
	struct wls_row rows[WLS_MAX_ROWS];
	int n;
	const char *dir; /* the fixtures' directory */
	int counting;	 /* 0 while setting up: nothing is tallied */
};

/* Stop the workload (exit status 2) with a message and errno. */
__attribute__((noreturn, format(printf, 1, 2))) void wls_die(const char *fmt, ...);

/* Tally one call of syscall row, failed or not. */
void wls_did(struct wls *w, const char *row, int failed);

/* One call of row whose failure is read from the call; planned says
 * whether it must fail (1), succeed (0), or may do either (-1: depends on
 * the file system or privileges, the same under strace and syswatch). */
#define WLS(w, row, failed_expr, planned)                                                          \
	do {                                                                                       \
		int f_ = (failed_expr) ? 1 : 0;                                                    \
		wls_did((w), #row, f_);                                                            \
		if ((planned) >= 0 && f_ != (planned))                                             \
			wls_die("%s:%d: %s %s", __FILE__, __LINE__, #row,                          \
				f_ ? "failed" : "succeeded unexpectedly");                         \
	} while (0)
#define WLS_OK(w, row, failed_expr)    WLS(w, row, failed_expr, 0)
#define WLS_FAILS(w, row, failed_expr) WLS(w, row, failed_expr, 1)
#define WLS_ANY(w, row, failed_expr)   WLS(w, row, failed_expr, -1)

/* The families (wl_sys.c, wl_sys_fs.c), one iteration each. */
void wls_signals(struct wls *w);
void wls_task(struct wls *w);
void wls_time_ipc(struct wls *w);
void wls_syscall(struct wls *w);
void wls_files(struct wls *w);
void wls_memory(struct wls *w);

#endif
