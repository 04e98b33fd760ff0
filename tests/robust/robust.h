/*
 * robust.h - helpers of the robustness tests (issue 4): running programs
 * with a chosen environment and user, reading the parts of syswatch's JSON
 * report that tests/e2e/e2e.h does not (processes, warnings, threads_lost),
 * and comparing a report with a workload's own tally.
 *
 * Like e2e.h, nothing here asserts: helpers return -1 after one line on
 * stderr and the tests turn that into an assertion.
 */
#ifndef SW_TESTS_ROBUST_H
#define SW_TESTS_ROBUST_H

#include <stddef.h>
#include <sys/types.h>

#include "e2e.h"

#define RB_MAX_PROCS 256
#define RB_MAX_WARNINGS 32

/* One entry of the report's "processes". */
struct rb_proc {
	int pid;
	char command[64];
	long long threads;
	int has_exit;	 /* exit_status is a number (not null) */
	int exit_status;
};

/* Everything a robustness test reads from one JSON report. */
struct rb_report {
	struct e2e_table table;	 /* per-syscall rows, as e2e reads them */
	int nprocs;
	struct rb_proc procs[RB_MAX_PROCS];
	long long threads_lost;	 /* JSON "threads_lost" (-1: absent) */
	long long dropped;	 /* JSON "dropped_events" */
	int nwarnings;
	char warnings[RB_MAX_WARNINGS][512];
};

int rb_read_report(const char *path, struct rb_report *r);
/* The process with this pid in the report, or NULL. */
const struct rb_proc *rb_proc_find(const struct rb_report *r, int pid);
/* Calls (or errors) of a row; 0 when the row is absent. */
long long rb_calls(const struct e2e_table *t, const char *row);
long long rb_errors(const struct e2e_table *t, const char *row);

/*
 * A program to run: argv, extra environment ("K=V" sets, "K" alone
 * removes), files for stdout and stderr (NULL: /dev/null), and a user to
 * become (0: stay root). Started with fork and execve, stdin /dev/null.
 */
struct rb_cmd {
	char *const *argv;
	const char *const *env; /* NULL-terminated, or NULL */
	const char *out;
	const char *err;
	uid_t uid; /* 0: unchanged; else setresgid/setresuid to it */
	gid_t gid;
	int clear_env; /* start from an empty environment (plus env) */
};

/* Start cmd; its pid or -1. */
pid_t rb_start(const struct rb_cmd *cmd);
/* Wait for pid at most timeout_ms: exit status, 128+N for signal N,
 * -2 on timeout (the process is then killed with SIGKILL and reaped). */
int rb_wait(pid_t pid, int timeout_ms);
/* Start and wait. */
int rb_run(const struct rb_cmd *cmd, int timeout_ms);

/* The whole content of a file, NUL-terminated (malloc'd), or NULL. */
char *rb_slurp(const char *path);
/* Number of lines of a text (a last line without '\n' counts). */
int rb_count_lines(const char *text);
/* Write a string to a file. */
int rb_write_file(const char *path, const char *text);

/* A fresh directory under <build>/robust-tmp, mode 0755 (so that the
 * unprivileged user of the security tests can reach it). */
int rb_tmpdir(char *out, size_t cap, const char *tag);

/* A workload binary of the build: <build>/tests/<name>. */
const char *rb_bin(const char *name);
/* The shim: <build>/libsyswatch.so. */
const char *rb_shim(void);

/*
 * Compare (report n - report 0) with (tally n - tally 0) on every row but
 * the lock rows (they count the waits that blocked: timing, DESIGN.md 7).
 * Prints the table; returns the number of rows that differ. Rows listed in
 * `skip` (NULL-terminated) are printed but not compared: the caller checks
 * them itself and says why.
 */
int rb_expect_exact(const char *what, const struct e2e_table *rep_n,
		    const struct e2e_table *rep_0, const struct e2e_table *tally_n,
		    const struct e2e_table *tally_0, const char *const *skip);

/*
 * Run `syswatch run [opts...] --format json -o DIR/TAG.json -- prog...`
 * with stdout to DIR/TAG.out and stderr to DIR/TAG.err, extra environment
 * env. Returns syswatch's exit status (see rb_wait). The report is read
 * into rep when rep is not NULL and the file exists (rep->nprocs is -1
 * when it does not).
 */
int rb_syswatch(const char *dir, const char *tag, const char *const *opts,
		char *const *prog, const char *const *env, struct rb_report *rep,
		int timeout_ms);

/* The pid written by a workload into a file (first number), or -1. */
int rb_read_pid(const char *path);

/* Whether any warning of the report contains every one of the strings
 * (NULL-terminated). */
int rb_warning_has(const struct rb_report *r, const char *const *words);

#endif
