/*
 * locks.h - helpers of the lock-attribution acceptance tests (issue 3):
 * reading the "locks" part of syswatch's JSON report, the scenario's exec
 * log, a workload's tally, and turning a blocker's module path into the
 * dotted name the exec log uses.
 *
 * Like tests/e2e/e2e.h, helpers report failure by returning -1 (or NULL)
 * after one line on stderr; only the tests assert.
 */
#ifndef SW_TESTS_LOCKS_H
#define SW_TESTS_LOCKS_H

#include <json-c/json.h>
#include <stddef.h>

/* ---- the JSON report --------------------------------------------------- */

/* The parsed report (json_object_put it), or NULL. */
json_object *lk_load(const char *path);
/* Member key of o, or NULL when o is not an object or has no such key. */
json_object *lk_get(json_object *o, const char *key);
/* Member key as a number; dflt when absent or not a number. */
double lk_num(json_object *o, const char *key, double dflt);
/* Member key as a string; "" when absent, null or not a string. */
const char *lk_str(json_object *o, const char *key);
/* Member key as a boolean: 1, 0, or -1 when absent. */
int lk_bool(json_object *o, const char *key);
/* Length of the array member key; 0 when absent. */
size_t lk_len(json_object *o, const char *key);
/* Element i of the array member key. */
json_object *lk_at(json_object *o, const char *key, size_t i);
/* A lock's "address" (a number, or a string like "0x7f..."); 0 if none. */
unsigned long long lk_addr(json_object *lock);
/* The row of "syscalls" called name, or NULL. */
json_object *lk_row(json_object *report, const char *name);
/* The lock whose address is addr (and, kind non-NULL, of that kind). */
json_object *lk_lock_at(json_object *report, unsigned long long addr, const char *kind);

/* The keys of an object, comma-separated, into out (for messages). */
const char *lk_keys(json_object *o, char *out, size_t cap);

/* ---- the exec log ------------------------------------------------------ */

/* module -> native tid, from SCENARIO_EXEC_LOG lines "<module> <tid>". */
struct lk_exec {
	int n;
	int dup; /* modules that appear more than once */
	struct lk_exec_line {
		char module[256];
		long tid;
	} * lines;
};
int lk_exec_read(const char *path, struct lk_exec *x);
/* The tid that executed module, or 0 when the log does not name it. */
long lk_exec_tid(const struct lk_exec *x, const char *module);
/* Does the log name tid at all (did that thread execute anything)? */
int lk_exec_has_tid(const struct lk_exec *x, long tid);
void lk_exec_free(struct lk_exec *x);

/* Turn a blocker's "module" into the dotted name of the exec log.
 * Accepts paths (".../slowpkg/core/foo.py", ".../slowpkg/core/__init__.py",
 * ".../slowpkg/core/__pycache__/foo.cpython-311.pyc", "...foo.so") and
 * dotted names ("slowpkg.core.foo"). Returns 0, or -1 when the string
 * names no module of package `pkg`. */
int lk_module_name(const char *s, const char *pkg, char *out, size_t cap);

/* ---- workloads ---------------------------------------------------------- */

/* A workload's tally: "key value..." lines. lk_tally_num gives the first
 * value of key (dflt if missing); lk_tally_list walks every line of key. */
struct lk_tally {
	int n;
	struct lk_tally_line {
		char key[64];
		char val[192];
	} * lines;
};
int lk_tally_read(const char *path, struct lk_tally *t);
double lk_tally_num(const struct lk_tally *t, const char *key, double dflt);
unsigned long long lk_tally_hex(const struct lk_tally *t, const char *key);
/* The i-th value of key, or NULL. */
const char *lk_tally_nth(const struct lk_tally *t, const char *key, int i);
void lk_tally_free(struct lk_tally *t);

/* Run argv with stdout+stderr appended to log, killed after limit_s
 * seconds. Exit status, 128+N if killed by signal N, 124 on timeout,
 * -1 if it could not start. */
int lk_run(char *const argv[], const char *log, int limit_s);
/* Whole file into a malloc'ed string (NULL on error). */
char *lk_slurp(const char *path);

/* ---- Python ------------------------------------------------------------- */

/* The real interpreter binary of version "3.11" etc.: python3's
 * sys.executable when it has that version, else the newest
 * $(pyenv root)/versions/<ver>.*\/bin/python3. 0, or -1 with the reason
 * in why. */
int lk_find_python(const char *ver, char *out, size_t cap, char *why, size_t whycap);

#endif

/* ---- reading a blocker ----------------------------------------------------- */

/* Is row name a file or descriptor call (class FILE or DESC in
 * include/syswatch/rows.h)? */
int lk_is_file_row(const char *name);
/* Is this activity entry the "outside calls (CPU or untraced)" one? */
int lk_is_outside(const char *syscall);

/* A blocker's activity, summed by kind. */
struct lk_act {
	double total;	   /* all entries */
	double file;	   /* file/descriptor calls */
	double file_under; /* of which with top_path under the prefix given */
	double sleep;	   /* clock_nanosleep */
	double outside;	   /* outside calls (CPU or untraced) */
	double futex;	   /* futex (the holder itself blocked) */
	const char *top;   /* syscall of the largest entry ("" if none) */
	double top_seconds;
};
/* Sum blocker b's "activity"; prefix may be NULL. */
void lk_activity(json_object *b, const char *prefix, struct lk_act *a);

/* Print the report's locks (at most max_locks, max_blockers each), for
 * the log of a test. */
void lk_print_locks(json_object *report, int max_locks, int max_blockers);

/* Remove a directory tree (a test's private work directory). */
void lk_rmtree(const char *path);

/* Nothing silently dropped: for every lock, attributed + unattributed +
 * incomplete wait = wait_seconds, its blockers' attributed times add up to
 * its attributed time, and every blocker's activity adds up to its
 * hold_seconds (each within the JSON's rounding). Prints each mismatch;
 * returns how many there were. */
int lk_check_sums(json_object *report);
