/*
 * e2e.h - helpers of the end-to-end tests: running programs, and reading
 * per-syscall tables from the three sources the tests compare (syswatch's
 * JSON, strace's output, a workload's own tally).
 *
 * Helpers report failure by returning -1 after writing one line to
 * stderr; the tests turn that into an assertion. Nothing here asserts.
 */
#ifndef SW_TESTS_E2E_H
#define SW_TESTS_E2E_H

#include <stddef.h>

#define E2E_MAX_ROWS 512
#define E2E_NAME_LEN 40

/* One row of a per-syscall table. */
struct e2e_row {
	char name[E2E_NAME_LEN]; /* syscall name, strace's spelling */
	long long calls;	 /* calls counted */
	long long errors;	 /* of which failed */
	long long excluded;	 /* strace -y traces: calls left out as the loader's */
	int library;		 /* JSON "library": true (dlopen) */
	int libc_level;		 /* JSON "libc_level": true (getdents64) */
};

/* A per-syscall table, plus what the JSON report says besides. */
struct e2e_table {
	int n;
	struct e2e_row rows[E2E_MAX_ROWS];
	long long dropped_events; /* JSON "dropped_events" */
	int nprocesses;		  /* JSON "processes" entries */
	int failed_processes;	  /* of which exit_status != 0 */
	int has_flag_library;	  /* the JSON has "library" on its rows */
	int has_flag_libc;	  /* the JSON has "libc_level" on its rows */
};

/* The row called name, or NULL. */
const struct e2e_row *e2e_find(const struct e2e_table *t, const char *name);
/* The row called name, added with zeros if missing; NULL when full. */
struct e2e_row *e2e_row(struct e2e_table *t, const char *name);

/* What syswatch's row table (include/syswatch/rows.h) and its JSON say
 * about a row, and so how a test may compare it. */
enum e2e_row_kind {
	E2E_NO_ROW,	 /* syswatch has no such row (brk, clone, ...) */
	E2E_ONE_FOR_ONE, /* one count per syscall, as strace counts */
	E2E_LIBC_LEVEL,	 /* counted at the libc entry point (getdents64) */
	E2E_LIBRARY,	 /* a library call, not a syscall (dlopen) */
	E2E_SLOW_PATH,	 /* lock class: only waits that blocked (futex) */
};
enum e2e_row_kind e2e_row_kind(const char *name, const struct e2e_table *json);
/* A few words saying why a row of that kind is not compared. */
const char *e2e_kind_note(enum e2e_row_kind k);

/* Whether and how a row is compared: NULL to compare it, else the note
 * printed beside it instead (why it is not compared). */
typedef const char *(*e2e_skip_fn)(const char *name, const struct e2e_table *got);
/* Print want and got side by side under the column names (every row
 * either has, zeros left out) and compare calls and errors on the rows
 * skip does not exclude; "<-- differs" marks a difference. Returns how
 * many rows differ; *compared gets how many were compared. */
int e2e_compare(const struct e2e_table *want, const char *want_name,
		const struct e2e_table *got, const char *got_name, e2e_skip_fn skip,
		int *compared);

/* out = a - b, row by row (a row missing on one side counts as zeros). */
void e2e_sub(struct e2e_table *out, const struct e2e_table *a, const struct e2e_table *b);

/* syswatch's `--format json` report. */
int e2e_read_json(const char *path, struct e2e_table *t);
/* A workload's tally: lines "syscall calls errors". */
int e2e_read_tally(const char *path, struct e2e_table *t);
/* strace -c output (with or without -w). */
int e2e_read_strace_c(const char *path, struct e2e_table *t);
/* A full `strace -f -y` trace, counted per syscall, leaving out the
 * dynamic loader's work on shared objects (see e2e.c for the rule). */
int e2e_read_strace_y(const char *path, struct e2e_table *t);

/* Build dir (SW_BUILD_DIR), the syswatch binary (SYSWATCH_BIN or
 * <build>/syswatch). Both return NULL with a message when unusable. */
const char *e2e_build_dir(void);
const char *e2e_syswatch(void);

/* A fresh private directory for one test, under <build>/e2e-tmp. */
int e2e_tmpdir(char *out, size_t cap, const char *tag);
/* Remove a directory tree made by e2e_tmpdir. */
void e2e_rmtree(const char *path);

/* Run argv (argv[0] searched in PATH) with stdout and stderr appended to
 * log (NULL: inherited). Returns the exit status, 128+N when killed by
 * signal N, or -1 when it could not be started. */
int e2e_run(char *const argv[], const char *log);
/* Run a shell command line, stdout and stderr to /dev/null; its status. */
int e2e_sh_quiet(const char *cmd);
/* First line of a command's stdout, without the newline. */
int e2e_capture_line(const char *cmd, char *out, size_t cap);

/* Print the log file (a failed run's stderr) to stderr. */
void e2e_dump(const char *log);

/* Whether `strace -f -c` cannot run here (no strace; ptrace forbidden by
 * capabilities, seccomp or yama). When so it prints "SKIPPED: <why>" on
 * stderr first, and the test is to call cr_skip_test. */
int e2e_no_ptrace(void);

/* Run `workload [OPTS] n DIR TALLY` (opts split at spaces; DIR and TALLY
 * are <tmp>/<tag>-n<n>.d and .tally, tag "strace" or "sw") under
 * `strace -f -c -w` when under_strace, else under `syswatch run --format
 * json`, its output and log in tmp too, and read the per-syscall table
 * it gave into out and, when tally is not NULL, the workload's own tally.
 * Returns 0, or -1 with one line on stderr (after the run's log when the
 * run failed). */
int e2e_run_counted(const char *tmp, int under_strace, const char *workload,
		    const char *opts, long n, struct e2e_table *out, struct e2e_table *tally);

/* The real CPython interpreter (python3's sys.executable, an ELF binary,
 * not a launcher script such as pyenv's) into out. 0; -1 with "SKIPPED:
 * ..." on stderr when there is no python3; -2 with a line on stderr when
 * its executable is not an ELF binary. */
int e2e_find_python(char *out, size_t cap);

/* A CPython import run's files: the interpreter, a fresh directory, the
 * strace output, syswatch's JSON and the log in it. */
struct e2e_py {
	char py[4096], tmp[2048], strace[4096], json[4096], log[4096];
};
/* Find the interpreter (as e2e_find_python, whose results it returns),
 * make the directory (tag) and the paths, set PYTHONDONTWRITEBYTECODE=1
 * (no .pyc written: every run does the same work) and run the imports
 * once untraced (a warm page cache); -2 when any of it fails. */
int e2e_py_prepare(struct e2e_py *p, const char *tag);

/* The imports of the CPython workloads (issue 2's module list). */
#define E2E_PY_IMPORTS                                                                             \
	"import json, decimal, asyncio, email.mime.multipart, http.client, "                       \
	"xml.etree.ElementTree, sqlite3, unittest, argparse, logging"

/* e2e_run_counted with n iterations and with none, under strace and under
 * syswatch: strace's differences into ds, syswatch's into dw and, when dt
 * is not NULL, the workload's tally's (from the strace runs) into dt.
 * Returns 0, or -1 with one line on stderr. */
int e2e_diffs_n_minus_0(const char *tmp, const char *workload, const char *opts, long n,
			struct e2e_table *ds, struct e2e_table *dw, struct e2e_table *dt);

#endif
