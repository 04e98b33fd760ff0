/*
 * evfiles.c - name the file behind each event (see evfiles.h).
 *
 * Descriptors belong to the process, so each process's events are merged
 * by start time and replayed against one descriptor table: an open's
 * result gets its path, dup copies, close forgets. opendir() and fopen()
 * return a DIR or FILE, not the descriptor inside; the next unknown
 * descriptor the same thread uses (its readdir, its fclose) is taken to be
 * that one, which is how those calls are always used.
 */
#include "evfiles.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "syswatch/calls.h"

#define FD_MAX (1 << 20) /* descriptors above this are not tracked */

enum fkind { F_OTHER, F_OPEN, F_PENDING, F_DUP, F_CLOSE };

static enum fkind kind_of(uint32_t fn)
{
	switch (fn) {
	case SW_FN_open:
	case SW_FN_open64:
	case SW_FN_openat:
	case SW_FN_openat64:
	case SW_FN___open_2:
	case SW_FN___open64_2:
	case SW_FN___openat_2:
	case SW_FN___openat64_2:
	case SW_FN_creat:
	case SW_FN_creat64:
		return F_OPEN;
	case SW_FN_opendir:
	case SW_FN_fopen:
	case SW_FN_fopen64:
		return F_PENDING;
	case SW_FN_dup:
	case SW_FN_dup2:
	case SW_FN_dup3:
		return F_DUP;
	case SW_FN_close:
	case SW_FN_closedir:
	case SW_FN_fclose:
		return F_CLOSE;
	default:
		return F_OTHER;
	}
}

struct ref {
	uint64_t start;
	uint32_t thread;
	uint32_t ev;
};

static int by_time(const void *a, const void *b)
{
	const struct ref *x = a, *y = b;
	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->thread != y->thread)
		return x->thread < y->thread ? -1 : 1;
	return x->ev < y->ev ? -1 : x->ev > y->ev;
}

struct fdtab {
	const char **path; /* indexed by fd */
	size_t cap;
};

static const char *fdtab_get(const struct fdtab *ft, int32_t fd)
{
	return fd >= 0 && (size_t)fd < ft->cap ? ft->path[fd] : NULL;
}

static int fdtab_set(struct fdtab *ft, int64_t fd, const char *path)
{
	if (fd < 0 || fd >= FD_MAX)
		return 0;
	if ((size_t)fd >= ft->cap) {
		size_t cap = ft->cap ? ft->cap : 64;
		while (cap <= (size_t)fd)
			cap *= 2;
		const char **v = realloc(ft->path, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		memset(v + ft->cap, 0, (cap - ft->cap) * sizeof(*v));
		ft->path = v;
		ft->cap = cap;
	}
	ft->path[fd] = path;
	return 0;
}

/* The file an event names: its path (joined to its dirfd's path when
 * relative), else its descriptor's path. */
static int name_file(struct sw_evtrace *t, struct fdtab *ft, struct sw_ev *e,
		     const char **pending)
{
	bool has_fd = (e->flags & SW_EVF_FD) && e->fd >= 0;
	if (e->path) {
		const char *dir = has_fd ? fdtab_get(ft, e->fd) : NULL;
		if (e->path[0] == '/' || !dir) {
			e->file = e->path;
			return 0;
		}
		size_t n = strlen(dir) + strlen(e->path) + 2;
		char *buf = malloc(n);
		if (!buf)
			return -ENOMEM;
		snprintf(buf, n, "%s/%s", dir, e->path);
		e->file = sw_evtrace_intern(t, buf, n);
		free(buf);
		return e->file ? 0 : -ENOMEM;
	}
	if (!has_fd)
		return 0;
	e->file = fdtab_get(ft, e->fd);
	if (!e->file && *pending) {
		e->file = *pending; /* the DIR or FILE opened just before */
		*pending = NULL;
		return fdtab_set(ft, e->fd, e->file);
	}
	return 0;
}

static int one_process(struct sw_evtrace *t, const struct sw_evproc *p,
		       const char **pending)
{
	size_t n = 0;
	for (size_t k = 0; k < p->nthreads; k++)
		n += t->threads[p->threads[k]].nev;
	struct ref *refs = malloc((n ? n : 1) * sizeof(*refs));
	struct fdtab ft = {NULL, 0};
	int rc = 0;
	if (!refs)
		return -ENOMEM;
	n = 0;
	for (size_t k = 0; k < p->nthreads; k++) {
		const struct sw_evthread *th = &t->threads[p->threads[k]];
		for (size_t i = 0; i < th->nev; i++) {
			if (th->ev[i].row == t->row_futex)
				continue; /* locks carry no files */
			refs[n++] = (struct ref){th->ev[i].start, p->threads[k],
						 (uint32_t)i};
		}
	}
	qsort(refs, n, sizeof(*refs), by_time);
	for (size_t i = 0; i < n && rc == 0; i++) {
		struct sw_ev *e = &t->threads[refs[i].thread].ev[refs[i].ev];
		rc = name_file(t, &ft, e, &pending[refs[i].thread]);
		if (rc < 0)
			break;
		bool ok = !(e->flags & SW_EVF_FAILED);
		switch (kind_of(e->fn)) {
		case F_OPEN:
			if (ok && e->result >= 0)
				rc = fdtab_set(&ft, e->result, e->file);
			break;
		case F_PENDING:
			if (ok && e->result != 0)
				pending[refs[i].thread] = e->file;
			break;
		case F_DUP:
			if (ok && e->result >= 0 && (e->flags & SW_EVF_FD))
				rc = fdtab_set(&ft, e->result, fdtab_get(&ft, e->fd));
			break;
		case F_CLOSE:
			if (ok && (e->flags & SW_EVF_FD))
				rc = fdtab_set(&ft, e->fd, NULL);
			break;
		case F_OTHER:
			break;
		}
	}
	free(ft.path);
	free(refs);
	return rc;
}

int sw__evtrace_files(struct sw_evtrace *t)
{
	const char **pending = calloc(t->nthreads ? t->nthreads : 1,
				      sizeof(*pending));
	if (!pending)
		return -ENOMEM;
	int rc = 0;
	for (size_t p = 0; p < t->nprocs && rc == 0; p++)
		rc = one_process(t, &t->procs[p], pending);
	free(pending);
	return rc;
}
