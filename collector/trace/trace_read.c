/*
 * trace_read.c - read a trace file into a model (see trace.h).
 *
 * Every record is checked before it touches the model; the first problem
 * ends the read with a message naming the byte offset of the record.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "fnnames.h"
#include "syswatch/calls.h"
#include "syswatch/rows.h"
#include "trace.h"

struct reader {
	FILE *f;
	uint64_t off;      /* bytes consumed so far */
	uint64_t rec_off;  /* offset of the record being handled */
	bool have_header;
	bool have_summary;
	struct sw_model *m;
	const struct sw_trace_sink *sink; /* or NULL */
	uint32_t *fn_map;  /* the trace's call ids → this build's, or NULL */
	uint32_t nfn_map;
	char *err;
	size_t errlen;
};

static int fail(struct reader *r, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(struct reader *r, int rc, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(r->err, r->errlen, fmt, ap);
	va_end(ap);
	return rc;
}

/* Read the next length prefix: 1 and *len, 0 at a clean end of file, or
 * a negative errno. */
static int read_len(struct reader *r, uint64_t *len)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < 10; i++) {
		int c = getc(r->f);
		if (c == EOF) {
			if (ferror(r->f))
				return fail(r, -EIO, "read error at offset %" PRIu64,
					    r->off);
			if (i == 0)
				return 0;
			return fail(r, -EBADMSG,
				    "truncated record at offset %" PRIu64,
				    r->rec_off);
		}
		r->off++;
		v |= (uint64_t)(c & 0x7f) << (7 * i);
		if (!(c & 0x80)) {
			*len = v;
			return 1;
		}
	}
	return fail(r, -EBADMSG, "bad record length at offset %" PRIu64,
		    r->rec_off);
}

static void copy_str(char *dst, size_t n, const char *src)
{
	snprintf(dst, n, "%s", src ? src : "");
}

/* Call ids move when calls are added to the table: a trace that names
 * its ids has them translated to this build's (unknown ones to
 * SW_FN_COUNT, which nothing matches). Without names, ids are taken as
 * they are. */
static int map_fns(struct reader *r, const Sw__TraceHeader *h)
{
	uint32_t n = 0;
	for (size_t i = 0; i < h->n_fns; i++)
		if (h->fns[i]->has_id && h->fns[i]->id < SW_TRACE_FNS_MAX &&
		    h->fns[i]->id + 1 > n)
			n = h->fns[i]->id + 1;
	r->fn_map = malloc((n ? n : 1) * sizeof(*r->fn_map));
	if (!r->fn_map)
		return -ENOMEM;
	for (uint32_t i = 0; i < n; i++)
		r->fn_map[i] = SW_FN_COUNT;
	for (size_t i = 0; i < h->n_fns; i++)
		if (h->fns[i]->has_id && h->fns[i]->id < n)
			r->fn_map[h->fns[i]->id] = sw_fn_by_name(h->fns[i]->name);
	r->nfn_map = n;
	return 0;
}

static int on_header(struct reader *r, const Sw__TraceHeader *h)
{
	if (r->have_header)
		return fail(r, -EBADMSG, "second header at offset %" PRIu64,
			    r->rec_off);
	if (!h->has_version || h->version != SW_TRACE_VERSION)
		return fail(r, -EPROTONOSUPPORT,
			    "trace format version %" PRIu32 ", this syswatch "
			    "reads version %u", h->has_version ? h->version : 0,
			    SW_TRACE_VERSION);
	for (size_t i = 0; i < h->n_rows; i++) {
		const Sw__RowName *n = h->rows[i];
		uint32_t flags = (n->has_library && n->library ? SW_ROWF_LIBRARY : 0) |
				 (n->has_libc && n->libc ? SW_ROWF_LIBC : 0);
		int rc = n->has_id ? sw_model_define_row(r->m, n->id, n->name,
							 flags, n->cls)
				   : -EINVAL;
		if (rc == -ENOMEM)
			return fail(r, rc, "out of memory");
		if (rc < 0)
			return fail(r, -EBADMSG, "bad row declaration (id %" PRIu32
				    ") in the header at offset %" PRIu64,
				    n->id, r->rec_off);
	}
	if (sw_model_set_command(r->m, h->command, h->n_command) < 0)
		return fail(r, -ENOMEM, "out of memory");
	if (h->n_fns && map_fns(r, h) < 0)
		return fail(r, -ENOMEM, "out of memory");
	r->m->start_real_ns = h->start_real_ns;
	r->have_header = true;
	return 0;
}

static int on_process(struct reader *r, const Sw__Process *p)
{
	struct sw_proc_rec pr;
	if (!p->has_pid || p->pid <= 0)
		return fail(r, -EBADMSG, "process record without a pid at "
			    "offset %" PRIu64, r->rec_off);
	memset(&pr, 0, sizeof(pr));
	pr.pid = p->pid;
	pr.ppid = p->ppid;
	pr.epoch = p->epoch;
	copy_str(pr.command, sizeof(pr.command), p->command);
	copy_str(pr.exe, sizeof(pr.exe), p->exe);
	pr.start_ns = p->start_ns;
	pr.end_ns = p->end_ns;
	pr.has_exit = p->has_has_exit && p->has_exit && p->has_exit_status;
	pr.exit_status = p->exit_status;
	pr.signal = p->has_signal && p->signal >= SW_SIGNAL_UNKNOWN && p->signal < 65
			    ? p->signal : 0;
	pr.threads_lost = p->threads_lost;
	sw_proc_set_cwd(&pr, p->cwd); /* NULL in traces from before it */
	pr.mode = p->has_mode && p->mode <= SW_MODE_COMPLETE ? p->mode : SW_MODE_UNKNOWN;
	if (sw_model_put_process(r->m, &pr) < 0)
		return fail(r, -ENOMEM, "out of memory");
	return 0;
}

/* A sink's verdict on a record, as the reader reports it. */
static int to_sink(struct reader *r, int rc)
{
	if (rc >= 0)
		return 0;
	if (rc == -ENOMEM)
		return fail(r, rc, "out of memory");
	return fail(r, rc, "record at offset %" PRIu64 ": %s", r->rec_off,
		    strerror(-rc));
}

static int on_events(struct reader *r, const Sw__EventBatch *b)
{
	if (!r->sink || !r->sink->events)
		return 0; /* the table is made from the counters */
	if (!b->has_pid || b->pid <= 0)
		return fail(r, -EBADMSG, "event batch without a pid at offset "
			    "%" PRIu64, r->rec_off);
	for (size_t i = 0; r->fn_map && i < b->n_events; i++) {
		Sw__Event *ev = b->events[i];
		ev->fn = ev->fn < r->nfn_map ? r->fn_map[ev->fn] : SW_FN_COUNT;
	}
	return to_sink(r, r->sink->events(r->sink->arg, b));
}

static int on_counters(struct reader *r, const Sw__ThreadCounters *tc)
{
	if (!tc->has_pid || tc->pid <= 0)
		return fail(r, -EBADMSG, "thread record without a pid at "
			    "offset %" PRIu64, r->rec_off);
	if (tc->n_dropped > SW_DROP_NCAUSES)
		return fail(r, -EBADMSG, "thread record at offset %" PRIu64
			    " has %zu drop causes (at most %d)", r->rec_off,
			    tc->n_dropped, SW_DROP_NCAUSES);
	struct sw_rowval *rows = calloc(tc->n_rows ? tc->n_rows : 1, sizeof(*rows));
	if (!rows)
		return fail(r, -ENOMEM, "out of memory");
	int rc = 0;
	for (size_t i = 0; i < tc->n_rows; i++) {
		const Sw__RowCounter *c = tc->rows[i];
		struct sw_rowstat *st = &rows[i].st;
		if (!c->has_row || c->row >= r->m->nrows ||
		    !r->m->rows[c->row].defined) {
			rc = fail(r, -EBADMSG, "unknown row id %" PRIu32
				  " in the thread record at offset %" PRIu64,
				  c->row, r->rec_off);
			goto out;
		}
		if (c->n_hist > SW_NS_HIST) {
			rc = fail(r, -EBADMSG, "histogram of %zu buckets in the "
				  "thread record at offset %" PRIu64, c->n_hist,
				  r->rec_off);
			goto out;
		}
		rows[i].row = c->row;
		sw_rowstat_zero(st);
		st->calls = c->calls;
		st->errors = c->errors;
		st->total_ns = c->total_ns;
		st->untimed = c->untimed;
		if (c->has_min_ns) {
			st->min_ns = c->min_ns;
			st->max_ns = c->max_ns;
		}
		if (c->n_hist)
			memcpy(st->hist, c->hist, c->n_hist * sizeof(uint64_t));
	}
	struct sw_thread_rec t;
	memset(&t, 0, sizeof(t));
	t.pid = tc->pid;
	t.epoch = tc->epoch;
	t.tid = tc->tid;
	copy_str(t.name, sizeof(t.name), tc->name);
	t.start_ns = tc->start_ns;
	t.end_ns = tc->end_ns;
	if (tc->n_dropped)
		memcpy(t.dropped, tc->dropped, tc->n_dropped * sizeof(uint64_t));
	t.events = tc->events;
	t.nrows = tc->n_rows;
	t.rows = rows;
	rc = sw_model_add_thread(r->m, &t);
	if (rc < 0)
		rc = fail(r, rc, "thread record at offset %" PRIu64 ": %s",
			  r->rec_off, strerror(-rc));
	else if (r->sink && r->sink->counters)
		rc = to_sink(r, r->sink->counters(r->sink->arg, tc));
out:
	free(rows);
	return rc;
}

/* The model keeps static reasons: the one of ours the trace names (the
 * environment one for older traces and unknown text). */
static const char *known_reason(const char *text)
{
	static const char *const reasons[] = {
#define REASON(s) s,
		SW_UNTRACED_REASONS(REASON)
#undef REASON
	};
	for (size_t i = 0; text && i < sizeof(reasons) / sizeof(reasons[0]); i++)
		if (strcmp(text, reasons[i]) == 0)
			return reasons[i];
	return SW_UNTRACED_ENV;
}

static int on_summary(struct reader *r, const Sw__Summary *s)
{
	r->m->wall_ns = s->wall_ns;
	r->m->has_exit = s->has_exit_status;
	r->m->exit_status = s->exit_status;
	r->m->segs_skipped = s->has_segments_skipped ? s->segments_skipped : 0;
	for (size_t i = 0; i < s->n_untraced; i++) {
		const Sw__UntracedChild *u = s->untraced[i];
		char path[SW_PATH_MAX + 1];
		size_t n = u->has_path ? u->path.len : 0;
		if (n > SW_PATH_MAX || (n && memchr(u->path.data, '\0', n)))
			return fail(r, -EBADMSG, "bad untraced child in the "
				    "summary at offset %" PRIu64, r->rec_off);
		if (n)
			memcpy(path, u->path.data, n);
		path[n] = '\0';
		if (sw_model_untraced_add(r->m, u->pid, 0, SW_FN_COUNT,
					  n ? path : NULL, known_reason(u->reason)) < 0)
			return fail(r, -ENOMEM, "out of memory");
	}
	r->have_summary = true;
	return 0;
}

static int on_record(struct reader *r, const Sw__TraceRecord *rec)
{
	if (r->have_summary)
		return fail(r, -EBADMSG, "record after the summary at offset "
			    "%" PRIu64, r->rec_off);
	if (!r->have_header && rec->rec_case != SW__TRACE_RECORD__REC_HEADER)
		return fail(r, -EBADMSG, "the first record (offset %" PRIu64
			    ") is not a header", r->rec_off);
	switch (rec->rec_case) {
	case SW__TRACE_RECORD__REC_HEADER:
		return on_header(r, rec->header);
	case SW__TRACE_RECORD__REC_PROCESS:
		return on_process(r, rec->process);
	case SW__TRACE_RECORD__REC_COUNTERS:
		return on_counters(r, rec->counters);
	case SW__TRACE_RECORD__REC_EVENTS:
		return on_events(r, rec->events);
	case SW__TRACE_RECORD__REC_SUMMARY:
		return on_summary(r, rec->summary);
	default:
		return fail(r, -EBADMSG, "record of unknown kind at offset "
			    "%" PRIu64, r->rec_off);
	}
}

int sw_trace_read(FILE *f, struct sw_model *m, char *err, size_t errlen)
{
	return sw_trace_read_sink(f, m, NULL, err, errlen);
}

int sw_trace_read_sink(FILE *f, struct sw_model *m,
		       const struct sw_trace_sink *sink, char *err,
		       size_t errlen)
{
	struct reader r = {.f = f, .m = m, .sink = sink, .err = err,
			   .errlen = errlen};
	char magic[8];
	size_t got = fread(magic, 1, sizeof(magic), f);
	if (got == 0 && !ferror(f))
		return fail(&r, -EBADMSG, "empty file, not a syswatch trace");
	if (got != sizeof(magic) || memcmp(magic, SW_TRACE_MAGIC, 8) != 0)
		return fail(&r, -EBADMSG, "not a syswatch trace (bad magic)");
	r.off = 8;

	uint8_t *buf = NULL;
	size_t cap = 0;
	int rc;
	for (;;) {
		uint64_t len = 0;
		r.rec_off = r.off;
		rc = read_len(&r, &len);
		if (rc <= 0)
			break;
		if (len > SW_TRACE_RECORD_MAX) {
			rc = fail(&r, -EBADMSG, "record of %" PRIu64 " bytes at "
				  "offset %" PRIu64 " is over the %u-byte limit",
				  len, r.rec_off, SW_TRACE_RECORD_MAX);
			break;
		}
		if (len > cap) {
			uint8_t *b = realloc(buf, (size_t)len);
			if (!b) {
				rc = fail(&r, -ENOMEM, "out of memory");
				break;
			}
			buf = b;
			cap = (size_t)len;
		}
		if (fread(buf, 1, (size_t)len, f) != len) {
			rc = fail(&r, ferror(f) ? -EIO : -EBADMSG,
				  "truncated record at offset %" PRIu64, r.rec_off);
			break;
		}
		r.off += len;
		Sw__TraceRecord *rec = sw__trace_record__unpack(NULL, (size_t)len,
								buf);
		if (!rec) {
			rc = fail(&r, -EBADMSG, "corrupt record at offset %" PRIu64,
				  r.rec_off);
			break;
		}
		rc = on_record(&r, rec);
		sw__trace_record__free_unpacked(rec, NULL);
		if (rc < 0)
			break;
	}
	free(buf);
	free(r.fn_map);
	if (rc < 0)
		return rc;
	if (!r.have_header)
		return fail(&r, -EBADMSG, "truncated trace: no header record");
	if (!r.have_summary)
		return fail(&r, -EBADMSG, "truncated trace at offset %" PRIu64
			    ": no summary record (the writer did not finish)",
			    r.off);
	return 0;
}
