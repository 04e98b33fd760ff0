/*
 * model.c - the report model: row table, row aggregates, processes,
 * threads and warnings (see model.h).
 */
#include "model.h"

#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syswatch/rows.h"

/* Grow *p (n used, *cap allocated, elements of size sz) to hold one more. */
static int grow(void **p, size_t n, size_t *cap, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t ncap = *cap ? *cap * 2 : 16;
	void *q = realloc(*p, ncap * sz);
	if (!q)
		return -ENOMEM;
	*p = q;
	*cap = ncap;
	return 0;
}

void sw_rowstat_zero(struct sw_rowstat *s)
{
	memset(s, 0, sizeof(*s));
	s->min_ns = SW_NO_MIN;
}

void sw_rowstat_merge(struct sw_rowstat *dst, const struct sw_rowstat *src)
{
	dst->calls += src->calls;
	dst->errors += src->errors;
	dst->total_ns += src->total_ns;
	dst->untimed += src->untimed;
	if (src->min_ns < dst->min_ns)
		dst->min_ns = src->min_ns;
	if (src->max_ns > dst->max_ns)
		dst->max_ns = src->max_ns;
	for (int i = 0; i < SW_NS_HIST; i++)
		dst->hist[i] += src->hist[i];
}

void sw_model_init(struct sw_model *m)
{
	memset(m, 0, sizeof(*m));
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void sw_model_free(struct sw_model *m)
{
	free(m->rows);
	free(m->sums);
	free(m->procs);
	free(m->tids);
	free_strv(m->command, m->ncommand);
	free_strv(m->warnings, m->nwarnings);
	for (size_t i = 0; i < m->nthreads; i++)
		free(m->threads[i].rows);
	free(m->threads);
	for (size_t i = 0; i < m->nuntraced; i++)
		free(m->untraced[i].path);
	free(m->untraced);
	sw_model_init(m);
}

/* Row names end up in a fixed-width table and in JSON: keep them plain. */
static bool name_ok(const char *name)
{
	size_t len = strlen(name);
	if (len == 0 || len >= SW_ROW_NAME_MAX)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = name[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

int sw_model_define_row(struct sw_model *m, uint32_t id, const char *name,
			uint32_t flags, uint32_t cls)
{
	if (id >= SW_MODEL_ROWS_MAX || !name || !name_ok(name))
		return -EINVAL;
	if (id >= m->nrows) {
		uint32_t n = id + 1;
		struct sw_rowdef *r = realloc(m->rows, n * sizeof(*r));
		if (!r)
			return -ENOMEM;
		m->rows = r;
		struct sw_rowstat *s = realloc(m->sums, n * sizeof(*s));
		if (!s)
			return -ENOMEM;
		m->sums = s;
		for (uint32_t i = m->nrows; i < n; i++) {
			memset(&m->rows[i], 0, sizeof(m->rows[i]));
			sw_rowstat_zero(&m->sums[i]);
		}
		m->nrows = n;
	}
	struct sw_rowdef *d = &m->rows[id];
	if (d->defined)
		return -EEXIST;
	d->defined = true;
	snprintf(d->name, sizeof(d->name), "%s", name);
	d->flags = flags;
	d->cls = cls;
	return 0;
}

int sw_model_builtin_rows(struct sw_model *m)
{
	static const struct {
		const char *name;
		uint32_t flags, cls;
	} builtin[] = {
#define SW_ROW_DEF(id, name, cls, flags) {name, flags, cls},
		SW_ROWS(SW_ROW_DEF)
#undef SW_ROW_DEF
	};
	for (uint32_t i = 0; i < SW_ROW_COUNT; i++) {
		int rc = sw_model_define_row(m, i, builtin[i].name,
					     builtin[i].flags, builtin[i].cls);
		if (rc < 0)
			return rc;
	}
	return 0;
}

int sw_model_put_process(struct sw_model *m, const struct sw_proc_rec *p)
{
	for (size_t i = 0; i < m->nprocs; i++) {
		if (m->procs[i].pid == p->pid && m->procs[i].epoch == p->epoch) {
			m->procs[i] = *p;
			return 0;
		}
	}
	if (grow((void **)&m->procs, m->nprocs, &m->procs_cap,
		 sizeof(*m->procs)) < 0)
		return -ENOMEM;
	m->procs[m->nprocs++] = *p;
	return 0;
}

void sw_proc_set_cwd(struct sw_proc_rec *p, const char *s)
{
	size_t n = s ? strnlen(s, sizeof(p->cwd)) : 0;
	if (n == 0 || n == sizeof(p->cwd) || s[0] != '/')
		n = 0;
	memcpy(p->cwd, s ? s : "", n);
	p->cwd[n] = 0;
}

int sw_model_add_thread(struct sw_model *m, const struct sw_thread_rec *t)
{
	for (size_t i = 0; i < t->nrows; i++) {
		uint32_t r = t->rows[i].row;
		if (r >= m->nrows || !m->rows[r].defined)
			return -EINVAL;
	}
	if (grow((void **)&m->tids, m->ntids, &m->tids_cap, sizeof(*m->tids)) < 0 ||
	    grow((void **)&m->threads, m->nthreads, &m->threads_cap,
		 sizeof(*m->threads)) < 0)
		return -ENOMEM;
	struct sw_model_thread *mt = &m->threads[m->nthreads];
	memset(mt, 0, sizeof(*mt));
	mt->rows = calloc(t->nrows ? t->nrows : 1, sizeof(*mt->rows));
	if (!mt->rows)
		return -ENOMEM;
	mt->pid = t->pid;
	mt->epoch = t->epoch;
	mt->tid = t->tid;
	memcpy(mt->name, t->name, sizeof(mt->name));
	mt->name[sizeof(mt->name) - 1] = '\0';
	memcpy(mt->dropped, t->dropped, sizeof(mt->dropped));
	mt->nrows = t->nrows;
	for (size_t i = 0; i < t->nrows; i++) {
		const struct sw_rowstat *st = &t->rows[i].st;
		mt->rows[i] = (struct sw_rowbrief){t->rows[i].row, st->calls,
			st->errors, st->total_ns, st->min_ns, st->max_ns, st->untimed};
	}
	m->nthreads++;
	m->tids[m->ntids].pid = t->pid;
	m->tids[m->ntids].tid = t->tid;
	m->tids[m->ntids].start_ns = t->start_ns;
	m->ntids++;
	for (size_t i = 0; i < t->nrows; i++)
		sw_rowstat_merge(&m->sums[t->rows[i].row], &t->rows[i].st);
	for (int c = 0; c < SW_DROP_NCAUSES; c++)
		m->dropped[c] += t->dropped[c];
	m->events += t->events;
	return 0;
}

int sw_model_set_command(struct sw_model *m, char *const *argv, size_t argc)
{
	char **v = calloc(argc ? argc : 1, sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (size_t i = 0; i < argc; i++) {
		v[i] = strdup(argv[i] ? argv[i] : "");
		if (!v[i]) {
			free_strv(v, i);
			return -ENOMEM;
		}
	}
	free_strv(m->command, m->ncommand);
	m->command = v;
	m->ncommand = argc;
	return 0;
}

int sw_model_warn(struct sw_model *m, const char *fmt, ...)
{
	char *line = NULL;
	va_list ap;
	va_start(ap, fmt);
	int n = vasprintf(&line, fmt, ap);
	va_end(ap);
	if (n < 0)
		return -ENOMEM;
	size_t cap = m->nwarnings; /* exact-size growth: warnings are rare */
	char **w = realloc(m->warnings, (cap + 1) * sizeof(*w));
	if (!w) {
		free(line);
		return -ENOMEM;
	}
	m->warnings = w;
	m->warnings[m->nwarnings++] = line;
	return 0;
}

/* One thread identity, for counting a process's threads. */
struct tid_key {
	int32_t pid, tid;
	uint64_t start_ns;
};

static int cmp_tid(const void *a, const void *b)
{
	const struct tid_key *x = a, *y = b;
	if (x->pid != y->pid)
		return x->pid < y->pid ? -1 : 1;
	if (x->tid != y->tid)
		return x->tid < y->tid ? -1 : 1;
	if (x->start_ns != y->start_ns)
		return x->start_ns < y->start_ns ? -1 : 1;
	return 0;
}

/*
 * Threads of process pid in a sorted key array. A thread is (tid, start):
 * tids are reused, and 500 short threads that got the same tid are 500
 * threads. The main thread (tid == pid) is one thread however many
 * records it has: it lives on through execs, one record per image.
 */
static uint64_t count_tids(const struct tid_key *k, size_t n, int32_t pid)
{
	uint64_t count = 0;
	for (size_t i = 0; i < n; i++) {
		if (k[i].pid != pid)
			continue;
		bool same = i > 0 && k[i - 1].pid == pid && k[i - 1].tid == k[i].tid &&
			    (k[i].tid == pid || k[i - 1].start_ns == k[i].start_ns);
		count += !same;
	}
	return count;
}

int sw_model_processes(const struct sw_model *m, struct sw_proc_view **out,
		       size_t *n)
{
	size_t np = m->nprocs ? m->nprocs : 1;
	struct sw_proc_view *v = calloc(np, sizeof(*v));
	uint32_t(*ep)[2] = calloc(np, sizeof(*ep)); /* naming, exit epoch */
	struct tid_key *tids = malloc((m->ntids ? m->ntids : 1) * sizeof(*tids));
	if (!v || !ep || !tids) {
		free(v);
		free(ep);
		free(tids);
		return -ENOMEM;
	}
	for (size_t i = 0; i < m->ntids; i++)
		tids[i] = (struct tid_key){m->tids[i].pid, m->tids[i].tid, m->tids[i].start_ns};
	qsort(tids, m->ntids, sizeof(*tids), cmp_tid);

	size_t nv = 0;
	for (size_t i = 0; i < m->nprocs; i++) {
		const struct sw_proc_rec *p = &m->procs[i];
		size_t j;
		for (j = 0; j < nv && v[j].pid != p->pid; j++)
			;
		struct sw_proc_view *pv = &v[j];
		if (j == nv) {
			nv++;
			pv->pid = p->pid;
			pv->threads = count_tids(tids, m->ntids, p->pid);
		}
		/* The newest epoch names the process (exec replaced the
		 * older ones); the exit status too, when it has one. */
		if (!pv->command || p->epoch >= ep[j][0]) {
			pv->command = p->command;
			pv->exe = p->exe;
			ep[j][0] = p->epoch;
		}
		if (p->has_exit && (!pv->has_exit || p->epoch >= ep[j][1])) {
			pv->has_exit = true;
			pv->exit_status = p->exit_status;
			pv->signal = p->signal;
			ep[j][1] = p->epoch;
		} else if (!pv->has_exit && p->signal) {
			pv->signal = p->signal; /* killed, status not seen */
		}
		pv->threads_lost += p->threads_lost;
	}
	free(ep);
	free(tids);
	*out = v;
	*n = nv;
	return 0;
}

int sw_model_untraced_add(struct sw_model *m, int32_t pid, int32_t tid,
			  uint32_t fn, const char *path, const char *reason)
{
	char *p = strdup(path ? path : "?");
	if (!p || grow((void **)&m->untraced, m->nuntraced, &m->untraced_cap,
		       sizeof(*m->untraced)) < 0) {
		free(p);
		return -ENOMEM;
	}
	m->untraced[m->nuntraced++] = (struct sw_untraced){pid, tid, fn, p, reason};
	/* cppcheck-suppress memleak ; p is owned by m->untraced now */
	return 0;
}

void sw_model_untraced_failed(struct sw_model *m, int32_t pid, int32_t tid,
			      uint32_t fn)
{
	for (size_t i = m->nuntraced; i-- > 0;) {
		struct sw_untraced *u = &m->untraced[i];
		if (u->pid != pid || u->tid != tid)
			continue;
		if (u->fn == fn) { /* the latest child of this thread */
			free(u->path);
			memmove(u, u + 1, (m->nuntraced - i - 1) * sizeof(*u));
			m->nuntraced--;
		}
		return;
	}
}

uint64_t sw_model_dropped_total(const struct sw_model *m)
{
	uint64_t n = 0;
	for (int c = 0; c < SW_DROP_NCAUSES; c++)
		n += m->dropped[c];
	return n;
}

unsigned sw_model_modes(const struct sw_model *m)
{
	unsigned bits = 0;
	for (size_t i = 0; i < m->nprocs; i++)
		bits |= 1u << (m->procs[i].mode <= SW_MODE_COMPLETE ? m->procs[i].mode : 0);
	return bits;
}

const char *sw_mode_name(const struct sw_model *m)
{
	unsigned bits = sw_model_modes(m) & ~(1u << SW_MODE_UNKNOWN);
	if (bits == 1u << SW_MODE_COMPLETE)
		return "complete";
	if (bits == 1u << SW_MODE_WRAPPERS)
		return "wrappers";
	return bits ? "mixed" : "unknown";
}

uint64_t sw_model_threads_lost(const struct sw_model *m)
{
	uint64_t n = 0;
	for (size_t i = 0; i < m->nprocs; i++)
		n += m->procs[i].threads_lost;
	return n;
}

const char *sw_signal_name(int sig, char buf[static 16])
{
	const char *abbrev = sig > 0 ? sigabbrev_np(sig) : NULL;
	if (sig == SW_SIGNAL_UNKNOWN)
		snprintf(buf, 16, "a signal");
	else if (abbrev)
		snprintf(buf, 16, "SIG%s", abbrev);
	else
		snprintf(buf, 16, "signal %d", sig);
	return buf;
}
