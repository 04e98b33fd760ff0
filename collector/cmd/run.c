/*
 * run.c - `syswatch run`: check CMD, start it under the shim in a fresh
 * session, collect until the whole process tree is gone, report.
 *
 * We make ourselves a child subreaper, so every descendant, even one
 * whose parent died, is reaped by us: the tree is over exactly when
 * waitpid() says ECHILD, and we learn how every orphan ended. The cost,
 * documented in the README: an orphaned descendant's getppid() returns
 * our pid, not 1, until the tree is over. Signals: runsig.h (CMD starts
 * with the caller's dispositions and mask; what is sent to us reaches
 * CMD, as with env).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "commands.h"
#include "engine.h"
#include "evtrace.h"
#include "exec.h"
#include "analysis.h"
#include "locks.h"
#include "recover.h"
#include "runsig.h"
#include "session.h"

/* LD_PRELOAD for the program: the shim first (so its wrappers win), then
 * what was there already, minus any other copy of the shim. */
static char *preload_value(const char *shim, const char *old)
{
	size_t n = strlen(shim) + (old ? strlen(old) : 0) + 2;
	char *v = malloc(n);
	if (!v)
		return NULL;
	strcpy(v, shim);
	for (const char *p = old; p && *p;) {
		size_t len = strcspn(p, ": ");
		const char *base = memrchr(p, '/', len);
		base = base ? base + 1 : p;
		size_t blen = len - (size_t)(base - p);
		if (len && !(blen == strlen(SW_SHIM_NAME) &&
			     !memcmp(base, SW_SHIM_NAME, blen))) {
			strcat(v, ":");
			strncat(v, p, len);
		}
		p += len;
		p += *p != '\0';
	}
	return v;
}

/*
 * --complete: the audit object next to the shim (libsyswatch_audit.so)
 * goes into LD_AUDIT, so that the loader's own calls are counted too
 * (preload/audit.c). Without it the run starts at the shim's constructor.
 * -1 only when out of memory.
 */
static int set_audit(const char *shim)
{
	const char *slash = strrchr(shim, '/');
	size_t dir = slash ? (size_t)(slash - shim) : 0;
	char *audit = NULL;
	if (asprintf(&audit, "%.*s/libsyswatch_audit.so", (int)dir, shim) < 0)
		return -1;
	int rc = 0;
	if (access(audit, R_OK) == 0) {
		const char *old = getenv("LD_AUDIT");
		char *v = NULL;
		if (old != NULL && *old != 0 ? asprintf(&v, "%s:%s", audit, old) < 0
					     : (v = strdup(audit)) == NULL)
			rc = -1;
		else
			rc = setenv("LD_AUDIT", v, 1);
		free(v);
	}
	free(audit);
	return rc;
}

/* In the child, between fork and exec: the program gets the caller's
 * dispositions and mask back (runsig.h).
 * rows: the shim's SYSWATCH_ROWS for -e trace=, or NULL. */
static void child_exec(const char *exe, char **args, const char *shim,
		       const char *session, bool follow_exec, const char *rows,
		       bool complete, int errfd)
{
	sw_runsig_child();
	char *preload = preload_value(shim, getenv("LD_PRELOAD"));
	char self[24]; /* the shim counts the execve below in this process */
	snprintf(self, sizeof self, "%d", (int)getpid());
	if (!preload || setenv("LD_PRELOAD", preload, 1) < 0 ||
	    setenv("SYSWATCH_ROOT_EXEC", self, 1) < 0 ||
	    setenv("SYSWATCH_SESSION", session, 1) < 0 ||
	    (follow_exec && setenv("SYSWATCH_FOLLOW_EXEC", "1", 1) < 0) ||
	    (complete && (setenv("SYSWATCH_COMPLETE", "1", 1) < 0 || set_audit(shim) < 0)) ||
	    (rows && setenv("SYSWATCH_ROWS", rows, 1) < 0)) {
		int e = ENOMEM;
		(void)!write(errfd, &e, sizeof(e));
		_exit(127);
	}
	execv(exe, args);
	if (errno == ENOEXEC) {
		/* A script without "#!": run it with sh, as execvp would. */
		int n = 0;
		while (args[n])
			n++;
		char **sh = calloc((size_t)n + 2, sizeof(*sh));
		if (sh) {
			sh[0] = "sh";
			sh[1] = (char *)exe;
			for (int i = 1; i < n; i++)
				sh[i + 1] = args[i];
			execv("/bin/sh", sh);
		}
	}
	int e = errno;
	(void)!write(errfd, &e, sizeof(e));
	_exit(e == ENOENT ? 127 : 126);
}

static int status_code(int st)
{
	if (WIFEXITED(st))
		return WEXITSTATUS(st);
	if (WIFSIGNALED(st))
		return 128 + WTERMSIG(st);
	return 1;
}

/* Checks made before anything is started; 0, or the exit status. */
static int preflight(const struct sw_cli *cli, char *shim, char *exe)
{
	const char *cmd = cli->args[0];
	if (sw_find_shim(shim, PATH_MAX) < 0) {
		sw_error("cannot find " SW_SHIM_NAME " next to the syswatch "
			 "binary or in ../lib: build it (make) or reinstall");
		return 1;
	}
	if (strpbrk(shim, " :")) {
		sw_error("the shim's path '%s' has a space or a colon, which "
			 "LD_PRELOAD cannot express: move syswatch elsewhere", shim);
		return 1;
	}
	char why[256];
	if (!cli->complete && sw_filter_check_wrapped(&cli->filter, why, sizeof why) < 0) {
		sw_error("%s", why);
		return 2;
	}
	int rc = sw_resolve_cmd(cmd, exe, PATH_MAX);
	if (rc < 0) {
		sw_error("cannot execute '%s': %s", cmd, strerror(-rc));
		return rc == -EACCES ? 126 : 127;
	}
	/* Go first: a static Go binary is better explained as Go. */
	if (sw_is_go(exe) == 1) {
		sw_error("%s is a Go program: Go programs make their system "
			 "calls directly, not through libc, so syswatch "
			 "(LD_PRELOAD) cannot see it; use strace instead", cmd);
		return 2;
	}
	if (sw_is_static(exe) == 1) {
		sw_error("%s is statically linked: it makes system calls without "
			 "going through libc's dynamic symbols, so syswatch "
			 "(LD_PRELOAD) cannot see it; use strace instead", cmd);
		return 2;
	}
	return 0;
}

/* Reap whatever has ended; true once no child is left (ECHILD). */
static bool reap(struct sw_engine *e, pid_t root, int *root_status,
		 uint64_t *end_ns)
{
	for (;;) {
		int st;
		pid_t pid = waitpid(-1, &st, WNOHANG | __WALL);
		if (pid > 0) {
			sw_engine_reaped(e, pid, st);
			if (pid == root) {
				*root_status = st;
				sw_runsig_target(0); /* its pid may be reused */
			}
			*end_ns = sw_mono_ns();
			continue;
		}
		if (pid == 0)
			return false;
		if (errno == EINTR)
			continue;
		return true; /* ECHILD */
	}
}

/*
 * The rows the shim records, for -e trace=: the rows left out then cost
 * the program one load and a branch per call. Every row stays recorded
 * when a report beyond the table needs the events (--locks, --paths,
 * --net, --diagnose look at rows the table does not show). The shim
 * always records the process rows (fork, exec: the process tree needs
 * them), so the report's own filter still hides what was not selected.
 * NULL when the shim should record everything.
 */
static const char *shim_rows(const struct sw_cli *cli, char *buf, size_t cap)
{
	const struct sw_report_opts *o = &cli->report;
	if (cli->locks || o->paths || o->net || o->diagnose)
		return NULL;
	return sw_filter_shim_rows(&cli->filter, buf, cap) > 0 ? buf : NULL;
}

/* Start the program; its pid, or -1 with the exit status in *status. */
static pid_t spawn(const struct sw_cli *cli, const char *exe, const char *shim,
		   const char *session, int *status)
{
	char rows_buf[4096];
	const char *rows = shim_rows(cli, rows_buf, sizeof(rows_buf));
	int p[2];
	if (pipe2(p, O_CLOEXEC) < 0) {
		sw_error("pipe: %s", strerror(errno));
		*status = 1;
		return -1;
	}
	sw_runsig_block(); /* nothing handled until child's pid is known */
	pid_t pid = fork();
	if (pid < 0) {
		sw_runsig_unblock();
		sw_error("fork: %s", strerror(errno));
		close(p[0]);
		close(p[1]);
		*status = 1;
		return -1;
	}
	if (pid == 0) {
		close(p[0]);
		child_exec(exe, cli->args, shim, session, cli->follow_exec, rows,
			   cli->complete, p[1]);
	}
	sw_runsig_target(pid);
	sw_runsig_unblock();
	close(p[1]);
	int e = 0;
	ssize_t n;
	while ((n = read(p[0], &e, sizeof(e))) < 0 && errno == EINTR)
		;
	close(p[0]);
	if (n == (ssize_t)sizeof(e)) {
		int st;
		waitpid(pid, &st, 0);
		sw_error("cannot execute '%s': %s", cli->args[0], strerror(e));
		*status = e == ENOENT ? 127 : 126;
		return -1;
	}
	return pid;
}

/* The reports beyond the table need the events: without --trace they go
 * to a temporary trace (deleted after the report). Its path into tmp; 0,
 * or -1 after printing why. */
static int temp_trace(char *tmp, size_t cap)
{
	const char *dir = sw_env("TMPDIR");
	snprintf(tmp, cap, "%s/syswatch-XXXXXX.trace", dir ? dir : "/tmp");
	int fd = mkostemps(tmp, 6, O_CLOEXEC);
	if (fd < 0) {
		sw_error("cannot create a temporary trace in %s: %s "
			 "(set TMPDIR, or give --trace FILE)", dir ? dir : "/tmp",
			 strerror(errno));
		return -1;
	}
	close(fd);
	return 0;
}

int sw_cmd_run(const struct sw_cli *cli)
{
	char shim[PATH_MAX], exe[PATH_MAX], userdir[256], err[512];
	struct sw_session sess = {.dirfd = -1};
	struct sw_trace_writer *tw = NULL;
	struct sw_engine *e = NULL;
	struct sw_engine_opts eo = {.session = &sess};
	struct sw_model m;
	struct sw_analysis an;
	struct sw_report_opts opts = cli->report;
	char tmp_trace[PATH_MAX] = "";
	unsigned need = sw_analysis_needs(cli);
	pid_t root = -1;
	int status = preflight(cli, shim, exe);
	if (status)
		return status;

	sw_recover_sweep_stale(); /* what killed collectors left behind */
	sw_model_init(&m);
	sw_analysis_load(&an, NULL, 0); /* empty, so it can always be freed */
	status = 1;
	FILE *out = sw_output_open(cli->output);
	if (!out)
		goto out_model;
	if (sw_model_builtin_rows(&m) < 0 ||
	    sw_model_set_command(&m, cli->args, (size_t)cli->nargs) < 0) {
		sw_error("out of memory");
		goto out_file;
	}
	m.start_real_ns = sw_real_ns();
	const char *trace = cli->trace ? cli->trace : sw_env("SYSWATCH_TRACE");
	if (need && !trace) {
		if (temp_trace(tmp_trace, sizeof(tmp_trace)) < 0)
			goto out_file;
		trace = tmp_trace;
	}
	if (sw_trace_start(trace, &m, &tw) < 0)
		goto out_file;
	if (sw_userdir_path(SW_SHM_BASE, userdir, sizeof(userdir)) < 0 ||
	    sw_userdir_ensure(userdir, err, sizeof(err)) < 0 ||
	    sw_session_create(&sess, userdir, err, sizeof(err)) < 0) {
		sw_error("%s", err);
		goto out_trace;
	}
	eo.model = &m;
	eo.trace = tw;
	eo.userdir = userdir;
	if (sw_engine_new(&e, &eo) < 0) {
		sw_error("out of memory");
		goto out_session;
	}

	prctl(PR_SET_CHILD_SUBREAPER, 1);
	sw_runsig_setup();
	uint64_t start_ns = sw_mono_ns(), end_ns = start_ns;
	root = spawn(cli, exe, shim, sess.path, &status);
	if (root < 0)
		goto out_engine;

	int root_status = 0;
	uint64_t pause = 0, moved = 0;
	bool engine_ok = true;
	for (;;) {
		if (engine_ok && sw_engine_pass(e, &moved) < 0) {
			sw_error("out of memory: no longer collecting");
			engine_ok = false;
		}
		if (reap(e, root, &root_status, &end_ns))
			break;
		pause = sw_pace(moved, pause);
		sw_sleep_ns(pause);
	}
	sw_runsig_target(0);
	if (engine_ok && sw_engine_finish(e) < 0)
		sw_error("out of memory: the report is incomplete");
	status = status_code(root_status);
	m.wall_ns = end_ns - start_ns;
	m.has_exit = true;
	m.exit_status = status;
	int trace_rc = sw_trace_finish(tw, &m);
	tw = NULL;
	if (need && trace_rc == 0) {
		sw_analysis_free(&an);
		sw_analysis_load(&an, trace, need); /* a failure says so */
		sw_analysis_opts(&an, cli->locks, &opts);
	}
	int out_rc = sw_output_finish(out, cli->output, &m, &opts);
	out = NULL;
	if (out_rc == 0)
		sw_session_remove(&sess); /* else leave the data for a look */
	if ((out_rc < 0 || trace_rc < 0) && status == 0)
		status = 1;
out_engine:
	sw_engine_free(e);
out_session:
	if (root < 0)
		sw_session_remove(&sess);
	sw_session_close(&sess);
out_trace:
	if (tw)
		sw_trace_close(tw);
out_file:
	if (out && out != stderr)
		fclose(out);
out_model:
	sw_analysis_free(&an);
	if (tmp_trace[0])
		unlink(tmp_trace);
	sw_model_free(&m);
	return status;
}
