/*
 * collect.c - `syswatch collect --session DIR --root-pid PID`: the
 * collector the shim starts by itself when a program runs with a plain
 * LD_PRELOAD=libsyswatch.so and no session exists.
 *
 * We are not the program's parent, so the end of the tree is read from
 * the segments and /proc (sw_engine_tree_done). The root process waits,
 * for a bounded time, until report_done is set in its segment, so the
 * table is on the terminal before the shell prompt comes back: 1 once it
 * is printed, 2 meanwhile if other processes of the tree still run.
 * The shim has detached us: own process group, stdout on /dev/null,
 * LD_PRELOAD removed; the report goes to the inherited stderr.
 */
#include <signal.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "clock.h"
#include "commands.h"
#include "engine.h"
#include "proc.h"
#include "session.h"

#define QUIET_NS 50000000ull      /* no new segment for this long */
#define DONE_CHECK_NS 10000000ull /* how often the end is checked */

/* The command line of the root, for the trace header. */
static void root_command(struct sw_model *m, pid_t root)
{
	char **argv;
	int argc;
	if (sw_proc_cmdline(root, &argv, &argc) == 0) {
		sw_model_set_command(m, argv, (size_t)argc);
		free(argv);
	}
}

/* The exit status of the root's newest process image, if known. */
static void root_exit(struct sw_model *m, pid_t root)
{
	uint32_t best = 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct sw_proc_rec *p = &m->procs[i];
		if (p->pid != root || !p->has_exit || (m->has_exit && p->epoch < best))
			continue;
		m->has_exit = true;
		m->exit_status = p->exit_status;
		best = p->epoch;
	}
}

int sw_cmd_collect(const struct sw_cli *cli)
{
	struct sw_report_opts ro = cli->report;
	const char *out_path = cli->output ? cli->output : sw_env("SYSWATCH_OUTPUT");
	const char *report = sw_env("SYSWATCH_REPORT");
	struct sw_session sess = {.dirfd = -1};
	struct sw_trace_writer *tw = NULL;
	struct sw_engine *e = NULL;
	struct sw_model m;
	char err[512];
	int status = 1;

	if (!cli->format_set && report && sw_format_parse(report, &ro.format) < 0)
		sw_error("SYSWATCH_REPORT=%s: unknown format (text or json); "
			 "using text", report);
	signal(SIGHUP, SIG_IGN);
	signal(SIGINT, SIG_IGN);
	signal(SIGQUIT, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);

	sw_model_init(&m);
	uint64_t start_ns = sw_mono_ns();
	m.start_real_ns = sw_real_ns();
	FILE *out = sw_output_open(out_path);
	if (!out)
		goto out_model;
	if (sw_model_builtin_rows(&m) < 0) {
		sw_error("out of memory");
		goto out_file;
	}
	root_command(&m, cli->root_pid);
	if (sw_session_open(&sess, cli->session, err, sizeof(err)) < 0) {
		sw_error("%s", err);
		goto out_file;
	}
	if (sw_trace_start(cli->trace ? cli->trace : sw_env("SYSWATCH_TRACE"), &m,
			   &tw) < 0)
		goto out_session;
	char userdir[256];
	struct sw_engine_opts eo = {
		.session = &sess, .model = &m, .trace = tw, .root_pid = cli->root_pid,
	};
	/* The shim made the session in the per-user directory: the TSC
	 * reference of this boot is kept there. */
	if (sw_userdir_path(SW_SHM_BASE, userdir, sizeof(userdir)) == 0)
		eo.userdir = userdir;
	if (sw_engine_new(&e, &eo) < 0) {
		sw_error("out of memory");
		goto out_trace;
	}

	uint64_t pause = 0, moved = 0, last_check = 0;
	for (;;) {
		if (sw_engine_pass(e, &moved) < 0) {
			sw_error("out of memory: no longer collecting");
			break;
		}
		uint64_t now = sw_mono_ns();
		if (now - last_check >= DONE_CHECK_NS) {
			last_check = now;
			if (sw_engine_tree_done(e, QUIET_NS))
				break;
		}
		pause = sw_pace(moved, pause);
		sw_sleep_ns(pause);
	}
	uint64_t end_ns = sw_mono_ns();
	if (sw_engine_finish(e) < 0)
		sw_error("out of memory: the report is incomplete");
	/* Wall time: from the first segment to the last process end. */
	uint64_t first = sw_engine_start_ns(e), last = 0;
	if (first && first < start_ns)
		start_ns = first;
	for (size_t i = 0; i < m.nprocs; i++)
		if (m.procs[i].end_ns > last)
			last = m.procs[i].end_ns;
	if (last > start_ns && last < end_ns)
		end_ns = last;
	m.wall_ns = end_ns - start_ns;
	root_exit(&m, cli->root_pid);
	int trace_rc = sw_trace_finish(tw, &m);
	tw = NULL;
	int out_rc = sw_output_finish(out, out_path, &m, &ro);
	out = NULL;
	sw_engine_report_done(e, 1);
	if (out_rc == 0)
		sw_session_remove(&sess);
	status = out_rc < 0 || trace_rc < 0;
	sw_engine_free(e);
out_trace:
	if (tw)
		sw_trace_close(tw);
out_session:
	sw_session_close(&sess);
out_file:
	if (out && out != stderr)
		fclose(out);
out_model:
	sw_model_free(&m);
	return status;
}
