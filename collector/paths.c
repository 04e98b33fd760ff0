/*
 * paths.c - the --paths report (see paths.h).
 *
 * One pass over the events aggregates per file, and per (file, errno),
 * in hash tables keyed by the file's pointer: the evtrace interns its
 * strings, so equal paths are one pointer and a key costs no string
 * work, whatever the number of events. Directories and mounts are then
 * summed from the files, so their cost grows with the distinct files.
 */
#include "paths.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "json_util.h"

#define TOP 15 /* rows of a ranked text section */
/* Said with the mounts: the table is the collector's, not the trace's. */
#define MOUNTS_NOTE                                                        \
	"this machine's /proc/self/mountinfo at report time; for an older " \
	"trace, or one made elsewhere, an approximation"

struct agg {
	uint64_t calls;
	uint64_t errors;
	uint64_t ns; /* time inside the calls */
};

/* Calls of one row (syscall). */
struct bycall {
	uint32_t row;
	struct agg a;
};

struct calls {
	struct bycall *v; /* sorted by calls, most first, once built */
	uint32_t n;
	uint32_t cap;
};

/* A file, a (file, errno), a directory or a mount. */
struct entry {
	const char *path;  /* file or directory (a directory's is a copy) */
	size_t len;        /* directories: length of path */
	uint32_t err;      /* the errno of an error entry, else 0 */
	const struct sw_mount *mount; /* mounts: which, NULL: unknown */
	struct agg a;
	uint64_t files;    /* directories and mounts: distinct files */
	struct calls by;   /* files and errors: per row */
};

/* Entries found by key through open addressing. */
struct set {
	struct entry *v;
	size_t n;
	size_t cap;
	uint32_t *slot;   /* entry index + 1; 0: empty */
	size_t nslots;    /* a power of two, over twice n */
	bool by_content;  /* keys compared (and paths owned) as strings,
			     not as interned pointers */
};

struct report {
	const struct sw_evtrace *t;
	const struct sw_mounts *ms; /* NULL: no mount table */
	struct set files;
	struct set errs;
	struct set dirs;
	struct entry *mounts; /* one per mount of ms, then "unknown" */
	size_t nmounts;
	struct agg total;
};

static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

static uint64_t key_hash(const struct set *s, const char *p, size_t len,
			 uint32_t err)
{
	uint64_t h = 14695981039346656037ull;
	if (!s->by_content)
		h = (uint64_t)(uintptr_t)p;
	else
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return mix(h ^ ((uint64_t)err << 40));
}

static bool key_eq(const struct set *s, const struct entry *e, const char *p,
		   size_t len, uint32_t err)
{
	if (e->err != err)
		return false;
	if (!s->by_content)
		return e->path == p;
	return e->len == len && memcmp(e->path, p, len) == 0;
}

/* Index slot i of s's table holds for its entry's key. */
static size_t home(const struct set *s, const struct entry *e)
{
	return key_hash(s, e->path, e->len, e->err) & (s->nslots - 1);
}

/* Double the hash table (or make the first one): 0 or -ENOMEM. */
static int rehash(struct set *s)
{
	size_t n = s->nslots ? s->nslots * 2 : 256;
	uint32_t *slot = calloc(n, sizeof(*slot));
	if (!slot)
		return -ENOMEM;
	free(s->slot);
	s->slot = slot;
	s->nslots = n;
	for (size_t k = 0; k < s->n; k++) {
		size_t i = home(s, &s->v[k]);
		while (slot[i])
			i = (i + 1) & (n - 1);
		slot[i] = (uint32_t)k + 1;
	}
	return 0;
}

/* Grow the array *v of *cap elements of size sz to hold one more than n:
 * 0 or -ENOMEM. */
static int room(void **v, size_t *cap, size_t n, size_t sz)
{
	if (n < *cap)
		return 0;
	size_t c = *cap ? *cap * 2 : 16;
	void *p = realloc(*v, c * sz);
	if (!p)
		return -ENOMEM;
	*v = p;
	*cap = c;
	return 0;
}

/* The entry of key (p, len, err) in s, added zeroed if new; NULL if out
 * of memory. len counts only for sets keyed by content. */
static struct entry *set_get(struct set *s, const char *p, size_t len,
			     uint32_t err)
{
	if ((s->n + 1) * 2 > s->nslots && rehash(s) < 0)
		return NULL;
	size_t i = key_hash(s, p, len, err) & (s->nslots - 1);
	for (; s->slot[i]; i = (i + 1) & (s->nslots - 1))
		if (key_eq(s, &s->v[s->slot[i] - 1], p, len, err))
			return &s->v[s->slot[i] - 1];
	if (s->n >= UINT32_MAX - 1 ||
	    room((void **)&s->v, &s->cap, s->n, sizeof(*s->v)) < 0)
		return NULL;
	struct entry *e = &s->v[s->n];
	*e = (struct entry){.path = p, .len = len, .err = err};
	if (s->by_content && !(e->path = strndup(p, len)))
		return NULL;
	s->slot[i] = (uint32_t)++s->n;
	return e;
}

static void set_free(struct set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].by.v);
		if (s->by_content)
			free((char *)s->v[i].path);
	}
	free(s->v);
	free(s->slot);
}

static void agg_add(struct agg *a, const struct agg *b)
{
	a->calls += b->calls;
	a->errors += b->errors;
	a->ns += b->ns;
}

/* Count one call of row in c: 0 or -ENOMEM. */
static int calls_add(struct calls *c, uint32_t row, const struct agg *one)
{
	for (uint32_t i = 0; i < c->n; i++)
		if (c->v[i].row == row) {
			agg_add(&c->v[i].a, one);
			return 0;
		}
	size_t cap = c->cap;
	if (c->n == UINT32_MAX ||
	    room((void **)&c->v, &cap, c->n, sizeof(*c->v)) < 0)
		return -ENOMEM;
	c->cap = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
	c->v[c->n++] = (struct bycall){row, *one};
	return 0;
}

static int add_event(struct report *r, const struct sw_ev *e)
{
	bool failed = e->flags & SW_EVF_FAILED;
	struct agg one = {1, failed, e->end > e->start ? e->end - e->start : 0};
	struct entry *f = set_get(&r->files, e->file, 0, 0);
	if (!f || calls_add(&f->by, e->row, &one) < 0)
		return -ENOMEM;
	agg_add(&f->a, &one);
	agg_add(&r->total, &one);
	if (!failed)
		return 0;
	struct entry *x = set_get(&r->errs, e->file, 0, e->err);
	if (!x || calls_add(&x->by, e->row, &one) < 0)
		return -ENOMEM;
	agg_add(&x->a, &one);
	return 0;
}

/* Length of the directory part of path ("/a/b" → "/a", "/a" → "/"),
 * trailing slashes ignored; 0 for a bare relative name. */
static size_t dir_len(const char *p)
{
	size_t n = strlen(p);
	while (n > 1 && p[n - 1] == '/')
		n--;
	while (n > 0 && p[n - 1] != '/')
		n--;
	while (n > 1 && p[n - 1] == '/')
		n--;
	return n;
}

static int by_calls_desc(const void *a, const void *b)
{
	const struct bycall *x = a, *y = b;
	if (x->a.calls != y->a.calls)
		return x->a.calls > y->a.calls ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Directories and mounts from the files; each entry's calls sorted. */
static int sum_files(struct report *r)
{
	for (size_t i = 0; i < r->files.n; i++) {
		struct entry *f = &r->files.v[i];
		size_t dl = dir_len(f->path);
		struct entry *d = dl ? set_get(&r->dirs, f->path, dl, 0)
				     : set_get(&r->dirs, ".", 1, 0);
		if (!d)
			return -ENOMEM;
		agg_add(&d->a, &f->a);
		d->files++;
		const struct sw_mount *m = r->ms ? sw_mounts_find(r->ms, f->path) : NULL;
		struct entry *me = &r->mounts[m ? (size_t)(m - r->ms->mounts) : r->nmounts - 1];
		me->mount = m;
		agg_add(&me->a, &f->a);
		me->files++;
		qsort(f->by.v, f->by.n, sizeof(*f->by.v), by_calls_desc);
	}
	for (size_t i = 0; i < r->errs.n; i++)
		qsort(r->errs.v[i].by.v, r->errs.v[i].by.n, sizeof(*r->errs.v[i].by.v),
		      by_calls_desc);
	return 0;
}

static void report_free(struct report *r)
{
	set_free(&r->files);
	set_free(&r->errs);
	set_free(&r->dirs);
	free(r->mounts);
}

/* Aggregate t's events into r: 0 or -ENOMEM (r freed). */
static int report_build(struct report *r, const struct sw_evtrace *t,
			const struct sw_mounts *ms)
{
	memset(r, 0, sizeof(*r));
	r->t = t;
	r->ms = ms;
	r->dirs.by_content = true;
	r->nmounts = (ms ? ms->n : 0) + 1;
	r->mounts = calloc(r->nmounts, sizeof(*r->mounts));
	int rc = r->mounts ? 0 : -ENOMEM;
	for (size_t k = 0; k < t->nthreads && rc == 0; k++) {
		const struct sw_evthread *th = &t->threads[k];
		for (size_t i = 0; i < th->nev && rc == 0; i++)
			if (th->ev[i].file)
				rc = add_event(r, &th->ev[i]);
	}
	if (rc == 0)
		rc = sum_files(r);
	if (rc < 0)
		report_free(r);
	return rc;
}

/* Orders of the entries in the report. */
static int cmp_path(const struct entry *x, const struct entry *y)
{
	int c = strcmp(x->path ? x->path : "", y->path ? y->path : "");
	return c ? c : (x->err > y->err) - (x->err < y->err);
}

/* Compare x and y on the keys of order (each largest first), then by
 * path. */
enum key { K_NS, K_CALLS, K_END };

static int cmp_keys(const void *a, const void *b, const enum key *order)
{
	const struct entry *x = *(const struct entry *const *)a;
	const struct entry *y = *(const struct entry *const *)b;
	for (; *order != K_END; order++) {
		uint64_t u = *order == K_NS ? x->a.ns : x->a.calls;
		uint64_t v = *order == K_NS ? y->a.ns : y->a.calls;
		if (u != v)
			return u > v ? -1 : 1;
	}
	return cmp_path(x, y);
}

static int by_time(const void *a, const void *b)
{
	static const enum key order[] = {K_NS, K_CALLS, K_END};
	return cmp_keys(a, b, order);
}

static int by_calls(const void *a, const void *b)
{
	static const enum key order[] = {K_CALLS, K_NS, K_END};
	return cmp_keys(a, b, order);
}

/* Errors: the most frequent first, then by path. */
static int by_count(const void *a, const void *b)
{
	static const enum key order[] = {K_CALLS, K_END};
	return cmp_keys(a, b, order);
}

/* The n entries of v that have calls, in the order of cmp (malloc'ed;
 * NULL if out of memory), their number in *out_n. */
static struct entry **sorted(struct entry *v, size_t n,
			     int (*cmp)(const void *, const void *), size_t *out_n)
{
	struct entry **o = malloc((n ? n : 1) * sizeof(*o));
	size_t k = 0;
	if (!o)
		return NULL;
	for (size_t i = 0; i < n; i++)
		if (v[i].a.calls)
			o[k++] = &v[i];
	qsort(o, k, sizeof(*o), cmp);
	*out_n = k;
	return o;
}

/* The name of errno e ("ENOENT"), in buf if glibc has none. */
static const char *errno_name(uint32_t e, char *buf, size_t cap)
{
	const char *s = e <= INT32_MAX ? strerrorname_np((int)e) : NULL;
	if (s)
		return s;
	snprintf(buf, cap, "errno %" PRIu32, e);
	return buf;
}

static double sec(uint64_t ns)
{
	return (double)ns / 1e9;
}

/* ---- text ---- */

/* Write the n bytes at s to f (f NULL: only count) with backslashes and
 * control bytes escaped (\\, \n, \t, \xHH), as a path from an untrusted
 * trace must be; the number of bytes that takes. */
static size_t put_esc(FILE *f, const char *s, size_t n)
{
	size_t w = 0;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		char buf[8];
		if (c == '\\')
			snprintf(buf, sizeof(buf), "\\\\");
		else if (c == '\n')
			snprintf(buf, sizeof(buf), "\\n");
		else if (c == '\t')
			snprintf(buf, sizeof(buf), "\\t");
		else if (c < 0x20 || c == 0x7f)
			snprintf(buf, sizeof(buf), "\\x%02x", c);
		else
			snprintf(buf, sizeof(buf), "%c", c);
		w += strlen(buf);
		if (f)
			fputs(buf, f);
	}
	return w;
}

/* put_esc of a string, padded with spaces to width. */
static void put_col(FILE *f, const char *s, size_t width)
{
	size_t w = put_esc(f, s, strlen(s));
	fprintf(f, "%*s", (int)(width > w ? width - w : 0), "");
}

static void agg_cols(FILE *f, const struct agg *a)
{
	fprintf(f, "  %10.6f %9" PRIu64 " %9" PRIu64 "  ", sec(a->ns), a->calls,
		a->errors);
}

/* A ranked section: the first TOP of the n entries in v (column head
 * over the paths), and a line summing the rest (n - TOP more nouns). */
static void ranked(FILE *f, const char *title, const char *head,
		   const char *noun, struct entry *const *v, size_t n)
{
	fprintf(f, "\n%s (", title);
	if (n > TOP)
		fprintf(f, "top %d of ", TOP);
	fprintf(f, "%zu):\n  %10s %9s %9s  %s\n", n, "seconds", "calls", "errors", head);
	struct agg rest = {0, 0, 0};
	for (size_t i = 0; i < n; i++) {
		if (i >= TOP) {
			agg_add(&rest, &v[i]->a);
			continue;
		}
		agg_cols(f, &v[i]->a);
		put_esc(f, v[i]->path, strlen(v[i]->path));
		fputc('\n', f);
	}
	if (n > TOP) {
		agg_cols(f, &rest);
		fprintf(f, "... and %zu more %s\n", n - TOP, noun);
	}
}

/* "openat 3, access 3" for the calls of e, into buf (cut to fit). */
static const char *calls_text(const struct report *r, const struct entry *e,
			      char *buf, size_t cap)
{
	size_t w = 0;
	buf[0] = '\0';
	for (uint32_t i = 0; i < e->by.n && w < cap; i++) {
		int k = snprintf(buf + w, cap - w, "%s%s %" PRIu64, i ? ", " : "",
				 sw_evtrace_row_name(r->t, e->by.v[i].row), e->by.v[i].a.calls);
		w += k > 0 ? (size_t)k : 0;
	}
	return buf;
}

static void errors_text(FILE *f, const struct report *r, struct entry *const *v,
			size_t n)
{
	char eb[32], cb[256];
	size_t ew = 5, cw = 5;
	for (size_t i = 0; i < n; i++) {
		size_t a = strlen(errno_name(v[i]->err, eb, sizeof(eb)));
		size_t b = strlen(calls_text(r, v[i], cb, sizeof(cb)));
		ew = a > ew ? a : ew;
		cw = b > cw ? b : cw;
	}
	fprintf(f, "\nerrors: every failing path (%zu):\n  %9s  %-*s  %-*s  path\n", n,
		"count", (int)ew, "errno", (int)cw, "calls");
	for (size_t i = 0; i < n; i++) {
		fprintf(f, "  %9" PRIu64 "  %-*s  %-*s  ", v[i]->a.calls, (int)ew,
			errno_name(v[i]->err, eb, sizeof(eb)), (int)cw,
			calls_text(r, v[i], cb, sizeof(cb)));
		put_esc(f, v[i]->path, strlen(v[i]->path));
		fputc('\n', f);
	}
}

/* The three text columns of a mount entry. */
static void mount_cols(const struct entry *e, const char *col[3])
{
	col[0] = e->mount ? e->mount->point : "(unknown)";
	col[1] = e->mount ? e->mount->fstype : "?";
	col[2] = e->mount ? e->mount->source : "?";
}

static void mounts_text(FILE *f, struct entry *const *v, size_t n)
{
	static const char *const head[3] = {"mount point", "fs type", "source"};
	size_t w[3] = {0, 0, 0};
	for (size_t i = 0; i <= n; i++) {
		const char *col[3];
		if (i < n)
			mount_cols(v[i], col);
		for (int c = 0; c < 3; c++) {
			size_t l = i < n ? put_esc(NULL, col[c], strlen(col[c])) : strlen(head[c]);
			w[c] = l > w[c] ? l : w[c];
		}
	}
	fprintf(f, "\nby mount (%zu):\n  ", n);
	for (int c = 0; c < 3; c++)
		fprintf(f, "%-*s  ", (int)w[c], head[c]);
	fprintf(f, "%7s %10s %9s %9s\n", "files", "seconds", "calls", "errors");
	for (size_t i = 0; i < n; i++) {
		const char *col[3];
		mount_cols(v[i], col);
		fputs("  ", f);
		for (int c = 0; c < 3; c++) {
			put_col(f, col[c], w[c]);
			fputs("  ", f);
		}
		fprintf(f, "%7" PRIu64 " %10.6f %9" PRIu64 " %9" PRIu64 "\n", v[i]->files,
			sec(v[i]->a.ns), v[i]->a.calls, v[i]->a.errors);
	}
}

/* The sorted views the printers walk. */
struct views {
	struct entry **time, **calls, **errs, **dirs, **mounts;
	size_t nfiles, nerrs, ndirs, nmounts;
};

static void views_free(struct views *w)
{
	free(w->time);
	free(w->calls);
	free(w->errs);
	free(w->dirs);
	free(w->mounts);
}

static int views_make(const struct report *r, struct views *w)
{
	memset(w, 0, sizeof(*w));
	w->time = sorted(r->files.v, r->files.n, by_time, &w->nfiles);
	w->calls = sorted(r->files.v, r->files.n, by_calls, &w->nfiles);
	w->errs = sorted(r->errs.v, r->errs.n, by_count, &w->nerrs);
	w->dirs = sorted(r->dirs.v, r->dirs.n, by_time, &w->ndirs);
	w->mounts = sorted(r->mounts, r->nmounts, by_time, &w->nmounts);
	if (w->time && w->calls && w->errs && w->dirs && w->mounts)
		return 0;
	views_free(w);
	return -ENOMEM;
}

static void print_report(FILE *f, const struct report *r, const struct views *w)
{
	fprintf(f, "\npaths: %zu files in %zu directories on %zu mounts: %" PRIu64
		   " calls, %" PRIu64 " failed (%zu path and errno pairs), %.6f s\n",
		w->nfiles, w->ndirs, w->nmounts, r->total.calls, r->total.errors, w->nerrs,
		sec(r->total.ns));
	fprintf(f, "(mounts: %s)\n", r->ms ? MOUNTS_NOTE : "no mount table could be read");
	if (!w->nfiles)
		return;
	ranked(f, "files by time", "path", "files", w->time, w->nfiles);
	ranked(f, "files by calls", "path", "files", w->calls, w->nfiles);
	if (w->nerrs)
		errors_text(f, r, w->errs, w->nerrs);
	ranked(f, "directories by time", "directory", "directories", w->dirs, w->ndirs);
	mounts_text(f, w->mounts, w->nmounts);
}

int sw_paths_print_with(FILE *f, const struct sw_evtrace *t,
			const struct sw_mounts *ms)
{
	struct report r;
	struct views w;
	int rc = report_build(&r, t, ms);
	if (rc < 0)
		return rc;
	rc = views_make(&r, &w);
	if (rc == 0) {
		print_report(f, &r, &w);
		views_free(&w);
	}
	report_free(&r);
	return rc;
}

/* ---- JSON ---- */

#define SECS(ns) sw_json_num(sec(ns), 6)

static bool put_agg(json_object *o, const struct agg *a)
{
	return sw_json_put(o, "calls", json_object_new_uint64(a->calls)) &&
	       sw_json_put(o, "errors", json_object_new_uint64(a->errors)) &&
	       sw_json_put(o, "seconds", SECS(a->ns));
}

/* {"openat": 3, ...}, most first. */
static json_object *by_call_json(const struct report *r, const struct entry *e)
{
	json_object *o = json_object_new_object();
	bool ok = o != NULL;
	for (uint32_t i = 0; ok && i < e->by.n; i++)
		ok = sw_json_put(o, sw_evtrace_row_name(r->t, e->by.v[i].row),
				 json_object_new_uint64(e->by.v[i].a.calls));
	if (!ok)
		json_object_put(o);
	return ok ? o : NULL;
}

static json_object *file_json(const struct report *r, const struct entry *e)
{
	json_object *o = json_object_new_object();
	if (o && sw_json_put(o, "path", sw_json_str(e->path)) && put_agg(o, &e->a) &&
	    sw_json_put(o, "by_call", by_call_json(r, e)))
		return o;
	json_object_put(o);
	return NULL;
}

static json_object *error_json(const struct report *r, const struct entry *e)
{
	char eb[32];
	json_object *o = json_object_new_object(), *calls = json_object_new_array();
	bool ok = o && calls && sw_json_put(o, "path", sw_json_str(e->path)) &&
		  sw_json_put(o, "errno", sw_json_str(errno_name(e->err, eb, sizeof(eb)))) &&
		  sw_json_put(o, "count", json_object_new_uint64(e->a.calls)) &&
		  sw_json_put(o, "seconds", SECS(e->a.ns));
	for (uint32_t i = 0; ok && i < e->by.n; i++)
		ok = sw_json_push(calls, sw_json_str(sw_evtrace_row_name(r->t, e->by.v[i].row)));
	ok = ok && sw_json_put(o, "calls", calls);
	calls = NULL;
	if (ok && sw_json_put(o, "by_call", by_call_json(r, e)))
		return o;
	json_object_put(calls);
	json_object_put(o);
	return NULL;
}

static json_object *dir_json(const struct report *r, const struct entry *e)
{
	(void)r;
	json_object *o = json_object_new_object();
	if (o && sw_json_put(o, "path", sw_json_str(e->path)) &&
	    sw_json_put(o, "files", json_object_new_uint64(e->files)) && put_agg(o, &e->a))
		return o;
	json_object_put(o);
	return NULL;
}

/* A string or null. */
static bool put_str(json_object *o, const char *key, const char *s)
{
	return s ? sw_json_put(o, key, sw_json_str(s)) : sw_json_put_null(o, key);
}

static json_object *mount_json(const struct report *r, const struct entry *e)
{
	(void)r;
	const struct sw_mount *m = e->mount;
	json_object *o = json_object_new_object();
	if (o && put_str(o, "mount_point", m ? m->point : NULL) &&
	    put_str(o, "fs_type", m ? m->fstype : NULL) &&
	    put_str(o, "source", m ? m->source : NULL) &&
	    sw_json_put(o, "files", json_object_new_uint64(e->files)) && put_agg(o, &e->a))
		return o;
	json_object_put(o);
	return NULL;
}

static json_object *list_json(const struct report *r, struct entry *const *v, size_t n,
			      json_object *(*one)(const struct report *, const struct entry *))
{
	json_object *a = json_object_new_array();
	bool ok = a != NULL;
	for (size_t i = 0; ok && i < n; i++)
		ok = sw_json_push(a, one(r, v[i]));
	if (!ok)
		json_object_put(a);
	return ok ? a : NULL;
}

static json_object *report_json(const struct report *r, const struct views *w)
{
	json_object *o = json_object_new_object(), *total = json_object_new_object();
	bool ok = o && total && sw_json_put(total, "files", json_object_new_uint64(w->nfiles)) &&
		  put_agg(total, &r->total);
	ok = ok && sw_json_put(o, "total", total);
	total = NULL;
	ok = ok && put_str(o, "mount_table", r->ms ? MOUNTS_NOTE : NULL) &&
	     sw_json_put(o, "files", list_json(r, w->time, w->nfiles, file_json)) &&
	     sw_json_put(o, "errors", list_json(r, w->errs, w->nerrs, error_json)) &&
	     sw_json_put(o, "directories", list_json(r, w->dirs, w->ndirs, dir_json)) &&
	     sw_json_put(o, "mounts", list_json(r, w->mounts, w->nmounts, mount_json));
	if (ok)
		return o;
	json_object_put(total);
	json_object_put(o);
	return NULL;
}

json_object *sw_paths_json_with(const struct sw_evtrace *t, const struct sw_mounts *ms)
{
	struct report r;
	struct views w;
	json_object *o = NULL;
	if (report_build(&r, t, ms) < 0)
		return NULL;
	if (views_make(&r, &w) == 0) {
		o = report_json(&r, &w);
		views_free(&w);
	}
	report_free(&r);
	return o;
}

/* ---- with this machine's mount table ---- */

int sw_paths_print(FILE *f, const struct sw_evtrace *t)
{
	struct sw_mounts ms;
	int rc = sw_mounts_read(NULL, &ms);
	rc = sw_paths_print_with(f, t, rc == 0 ? &ms : NULL);
	sw_mounts_free(&ms);
	return rc;
}

json_object *sw_paths_json(const struct sw_evtrace *t)
{
	struct sw_mounts ms;
	int rc = sw_mounts_read(NULL, &ms);
	json_object *o = sw_paths_json_with(t, rc == 0 ? &ms : NULL);
	sw_mounts_free(&ms);
	return o;
}
