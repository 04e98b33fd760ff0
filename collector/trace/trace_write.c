/*
 * trace_write.c - write a trace file (see trace.h).
 *
 * Errors are sticky: the first one is kept and returned by every later
 * call and by sw_trace_close(), so callers may check only at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fnnames.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"
#include "trace.h"

struct sw_trace_writer {
	FILE *f;
	char *path;
	uint8_t *buf; /* packing buffer */
	size_t cap;
	int error;    /* first negative errno, or 0 */
};

int sw_trace_create(struct sw_trace_writer **out, const char *path, char *err,
		    size_t errlen)
{
	struct sw_trace_writer *w = calloc(1, sizeof(*w));
	if (!w || !(w->path = strdup(path))) {
		free(w);
		snprintf(err, errlen, "out of memory");
		return -ENOMEM;
	}
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || !(w->f = fdopen(fd, "w"))) {
		int e = errno;
		if (fd >= 0)
			close(fd);
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		free(w->path);
		free(w);
		return -e;
	}
	setvbuf(w->f, NULL, _IOFBF, 1 << 18);
	if (fwrite(SW_TRACE_MAGIC, 1, 8, w->f) != 8)
		w->error = -EIO;
	*out = w;
	return 0;
}

const char *sw_trace_path(const struct sw_trace_writer *w)
{
	return w->path;
}

static int put_record(struct sw_trace_writer *w, const Sw__TraceRecord *r)
{
	if (w->error)
		return w->error;
	size_t len = sw__trace_record__get_packed_size(r);
	if (len > SW_TRACE_RECORD_MAX)
		return w->error = -E2BIG;
	if (len + 10 > w->cap) {
		size_t cap = len + 10 > 4096 ? len + 10 : 4096;
		uint8_t *b = realloc(w->buf, cap);
		if (!b)
			return w->error = -ENOMEM;
		w->buf = b;
		w->cap = cap;
	}
	size_t n = 0;
	for (uint64_t v = len; ; v >>= 7) {
		w->buf[n++] = (uint8_t)((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
		if (v <= 0x7f)
			break;
	}
	n += sw__trace_record__pack(r, w->buf + n);
	if (fwrite(w->buf, 1, n, w->f) != n)
		return w->error = errno ? -errno : -EIO;
	return 0;
}

int sw_trace_header(struct sw_trace_writer *w, const struct sw_model *m)
{
	Sw__TraceHeader h = SW__TRACE_HEADER__INIT;
	Sw__RowName *names = calloc(m->nrows ? m->nrows : 1, sizeof(*names));
	Sw__RowName **ptrs = calloc(m->nrows ? m->nrows : 1, sizeof(*ptrs));
	Sw__FnName *fns = calloc(SW_FN_COUNT, sizeof(*fns));
	Sw__FnName **fptrs = calloc(SW_FN_COUNT, sizeof(*fptrs));
	if (!names || !ptrs || !fns || !fptrs) {
		free(names);
		free(ptrs);
		free(fns);
		free(fptrs);
		return w->error = w->error ? w->error : -ENOMEM;
	}
	/* The call ids of the events, by name: they move with the table. */
	for (uint32_t i = 0; i < SW_FN_COUNT; i++) {
		if (!sw_fn_name(i))
			continue;
		Sw__FnName *f = &fns[h.n_fns];
		sw__fn_name__init(f);
		f->has_id = true;
		f->id = i;
		f->name = (char *)sw_fn_name(i);
		fptrs[h.n_fns++] = f;
	}
	h.fns = fptrs;
	for (uint32_t i = 0; i < m->nrows; i++) {
		const struct sw_rowdef *d = &m->rows[i];
		if (!d->defined)
			continue;
		Sw__RowName *r = &names[h.n_rows];
		sw__row_name__init(r);
		r->has_id = true;
		r->id = i;
		r->name = (char *)d->name;
		r->has_library = r->has_libc = true;
		r->library = (d->flags & SW_ROWF_LIBRARY) != 0;
		r->libc = (d->flags & SW_ROWF_LIBC) != 0;
		r->has_cls = true;
		r->cls = d->cls;
		ptrs[h.n_rows++] = r;
	}
	h.has_version = true;
	h.version = SW_TRACE_VERSION;
	h.rows = ptrs;
	h.has_start_real_ns = true;
	h.start_real_ns = m->start_real_ns;
	h.n_command = m->ncommand;
	h.command = m->command;
	Sw__TraceRecord rec = SW__TRACE_RECORD__INIT;
	rec.rec_case = SW__TRACE_RECORD__REC_HEADER;
	rec.header = &h;
	int rc = put_record(w, &rec);
	free(names);
	free(ptrs);
	free(fns);
	free(fptrs);
	return rc;
}

int sw_trace_process(struct sw_trace_writer *w, const struct sw_proc_rec *p)
{
	Sw__Process pr = SW__PROCESS__INIT;
	pr.has_pid = pr.has_ppid = pr.has_epoch = true;
	pr.pid = p->pid;
	pr.ppid = p->ppid;
	pr.epoch = p->epoch;
	pr.command = (char *)p->command;
	pr.exe = (char *)p->exe;
	pr.has_start_ns = true;
	pr.start_ns = p->start_ns;
	pr.has_end_ns = p->end_ns != 0;
	pr.end_ns = p->end_ns;
	pr.has_has_exit = true;
	pr.has_exit = p->has_exit;
	pr.has_exit_status = p->has_exit;
	pr.exit_status = p->exit_status;
	pr.has_signal = p->signal != 0;
	pr.signal = p->signal;
	pr.has_threads_lost = true;
	pr.threads_lost = p->threads_lost;
	pr.cwd = p->cwd[0] ? (char *)p->cwd : NULL;
	pr.has_mode = p->mode != SW_MODE_UNKNOWN;
	pr.mode = p->mode;
	Sw__TraceRecord rec = SW__TRACE_RECORD__INIT;
	rec.rec_case = SW__TRACE_RECORD__REC_PROCESS;
	rec.process = &pr;
	return put_record(w, &rec);
}

int sw_trace_events(struct sw_trace_writer *w, int32_t pid, uint32_t epoch,
		    int32_t tid, Sw__Event **ev, size_t n)
{
	Sw__EventBatch b = SW__EVENT_BATCH__INIT;
	b.has_pid = b.has_epoch = b.has_tid = true;
	b.pid = pid;
	b.epoch = epoch;
	b.tid = tid;
	b.n_events = n;
	b.events = ev;
	Sw__TraceRecord rec = SW__TRACE_RECORD__INIT;
	rec.rec_case = SW__TRACE_RECORD__REC_EVENTS;
	rec.events = &b;
	return put_record(w, &rec);
}

int sw_trace_thread(struct sw_trace_writer *w, const struct sw_thread_rec *t)
{
	size_t n = t->nrows ? t->nrows : 1;
	Sw__RowCounter *rows = calloc(n, sizeof(*rows));
	Sw__RowCounter **ptrs = calloc(n, sizeof(*ptrs));
	uint64_t dropped[SW_DROP_NCAUSES];
	if (!rows || !ptrs) {
		free(rows);
		free(ptrs);
		return w->error = w->error ? w->error : -ENOMEM;
	}
	for (size_t i = 0; i < t->nrows; i++) {
		const struct sw_rowstat *st = &t->rows[i].st;
		Sw__RowCounter *r = &rows[i];
		sw__row_counter__init(r);
		r->has_row = r->has_calls = r->has_errors = true;
		r->row = t->rows[i].row;
		r->calls = st->calls;
		r->errors = st->errors;
		r->has_total_ns = r->has_untimed = r->has_max_ns = true;
		r->total_ns = st->total_ns;
		r->untimed = st->untimed;
		r->max_ns = st->max_ns;
		r->has_min_ns = st->min_ns != SW_NO_MIN;
		r->min_ns = st->min_ns;
		size_t nh = SW_NS_HIST;
		while (nh > 0 && st->hist[nh - 1] == 0)
			nh--;
		r->n_hist = nh;
		r->hist = (uint64_t *)st->hist;
		ptrs[i] = r;
	}
	memcpy(dropped, t->dropped, sizeof(dropped));
	Sw__ThreadCounters tc = SW__THREAD_COUNTERS__INIT;
	tc.has_pid = tc.has_epoch = tc.has_tid = true;
	tc.pid = t->pid;
	tc.epoch = t->epoch;
	tc.tid = t->tid;
	tc.name = (char *)t->name;
	tc.has_start_ns = true;
	tc.start_ns = t->start_ns;
	tc.has_end_ns = t->end_ns != 0;
	tc.end_ns = t->end_ns;
	tc.n_rows = t->nrows;
	tc.rows = ptrs;
	tc.n_dropped = SW_DROP_NCAUSES;
	tc.dropped = dropped;
	tc.has_events = true;
	tc.events = t->events;
	Sw__TraceRecord rec = SW__TRACE_RECORD__INIT;
	rec.rec_case = SW__TRACE_RECORD__REC_COUNTERS;
	rec.counters = &tc;
	int rc = put_record(w, &rec);
	free(rows);
	free(ptrs);
	return rc;
}

int sw_trace_summary(struct sw_trace_writer *w, const struct sw_model *m)
{
	Sw__Summary s = SW__SUMMARY__INIT;
	s.has_wall_ns = s.has_dropped_events = true;
	s.wall_ns = m->wall_ns;
	s.dropped_events = sw_model_dropped_total(m);
	s.has_exit_status = m->has_exit;
	s.exit_status = m->exit_status;
	s.has_segments_skipped = m->segs_skipped != 0;
	s.segments_skipped = m->segs_skipped;
	size_t nu = m->nuntraced;
	Sw__UntracedChild *u = calloc(nu ? nu : 1, sizeof(*u));
	Sw__UntracedChild **up = calloc(nu ? nu : 1, sizeof(*up));
	if (!u || !up) {
		free(u);
		free(up);
		return w->error = w->error ? w->error : -ENOMEM;
	}
	for (size_t i = 0; i < nu; i++) {
		const struct sw_untraced *c = &m->untraced[i];
		sw__untraced_child__init(&u[i]);
		u[i].has_pid = u[i].has_path = true;
		u[i].pid = c->pid;
		u[i].path.data = (uint8_t *)c->path;
		u[i].path.len = strlen(c->path);
		u[i].reason = (char *)c->reason;
		up[i] = &u[i];
	}
	s.n_untraced = nu;
	s.untraced = up;
	Sw__TraceRecord rec = SW__TRACE_RECORD__INIT;
	rec.rec_case = SW__TRACE_RECORD__REC_SUMMARY;
	rec.summary = &s;
	int rc = put_record(w, &rec);
	free(u);
	free(up);
	return rc;
}

int sw_trace_close(struct sw_trace_writer *w)
{
	int rc = w->error;
	if (fflush(w->f) != 0 && !rc)
		rc = errno ? -errno : -EIO;
	if (fclose(w->f) != 0 && !rc)
		rc = errno ? -errno : -EIO;
	free(w->buf);
	free(w->path);
	free(w);
	return rc;
}
