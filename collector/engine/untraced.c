/*
 * untraced.c - children that run without the shim although their
 * environment carries it: a static or Go program, a setuid one. Their
 * own segment never appears, so the collector notices from the parent's
 * side: an image that exec'd and has no successor segment, or a vfork
 * child (whose exec the shim cannot record) found running a static
 * program. The environment case is the shim's own mark (slots.c).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine_int.h"
#include "exec.h"
#include "syswatch/calls.h"

/* Why the program at file cannot be traced, if the file itself says so. */
static const char *file_reason(const char *file)
{
	if (sw_is_go(file) == 1)
		return SW_UNTRACED_GO;
	if (sw_is_static(file) == 1)
		return SW_UNTRACED_STATIC;
	return NULL;
}

void sw__exec_seen(struct sw_segrec *r, uint32_t fn, int32_t tid, const uint8_t *path,
		   size_t len, bool failed)
{
	free(r->exec_path);
	r->exec_path = NULL;
	if (failed || !path || !len || len > SW_PATH_MAX || memchr(path, '\0', len))
		return;
	r->exec_path = strndup((const char *)path, len); /* NULL: not named */
	r->exec_fn = fn;
	r->exec_tid = tid;
}

/* The exec'd program r->exec_path as the collector can open it: relative
 * to the process's working directory, or searched in PATH for a bare
 * name (execvp); false if it cannot be found. */
static bool exec_file(const struct sw_segrec *r, char *buf, size_t cap)
{
	const char *p = r->exec_path;
	if (p[0] == '/')
		return snprintf(buf, cap, "%s", p) < (int)cap;
	if (strchr(p, '/'))
		return r->proc.cwd[0] &&
		       snprintf(buf, cap, "%s/%s", r->proc.cwd, p) < (int)cap;
	return sw_resolve_cmd(p, buf, cap) == 0;
}

int sw__untraced_image(struct sw_engine *e, struct sw_segrec *r)
{
	for (size_t i = 0; i < e->nsegs; i++)
		if (e->segs[i]->pid == r->pid && e->segs[i]->epoch > r->epoch)
			return 0; /* it did (or tried to) */
	if (!r->exec_path)
		return 0;
	char file[PATH_MAX];
	const char *why = exec_file(r, file, sizeof(file)) ? file_reason(file) : NULL;
	if (!why)
		why = SW_UNTRACED_NOSHIM;
	return sw_model_untraced_add(e->m, r->pid, r->exec_tid, r->exec_fn, r->exec_path, why);
}

int sw__vfork_child(struct sw_engine *e, int32_t pid)
{
	char link[64], exe[PATH_MAX];
	snprintf(link, sizeof(link), "/proc/%d/exe", (int)pid);
	ssize_t n = readlink(link, exe, sizeof(exe) - 1);
	if (n <= 0) {
		/* Gone already: whether it made a segment is known at the end. */
		if (e->nunseen < SW_UNSEEN_MAX)
			e->unseen[e->nunseen++] = (typeof(e->unseen[0])){pid, e->cur->pid,
									  e->cur_tid};
		return 0;
	}
	exe[n] = '\0';
	const char *why = file_reason(exe);
	if (!why)
		return 0; /* a dynamic program makes its own segment */
	return sw_model_untraced_add(e->m, e->cur->pid, e->cur_tid, SW_FN_vfork, exe, why);
}

int sw__untraced_finish(struct sw_engine *e)
{
	for (size_t i = 0; i < e->nunseen; i++) {
		bool seg = false;
		for (size_t k = 0; !seg && k < e->nsegs; k++)
			seg = e->segs[k]->pid == e->unseen[i].pid;
		if (seg)
			continue;
		char what[64];
		snprintf(what, sizeof(what), "pid %d", (int)e->unseen[i].pid);
		int rc = sw_model_untraced_add(e->m, e->unseen[i].ppid, e->unseen[i].tid,
					       SW_FN_vfork, what, SW_UNTRACED_UNSEEN);
		if (rc < 0)
			return rc;
	}
	e->nunseen = 0;
	return 0;
}
