/*
 * paths.c - the --paths report (see paths.h): the events aggregated.
 *
 * One pass over the events aggregates per file, and per (file, errno),
 * in hash tables keyed by the file's pointer: the evtrace interns its
 * strings, so equal paths are one pointer and a key costs no string
 * work, whatever the number of events. Directories and mounts are then
 * summed from the files, so their cost grows with the distinct files.
 * The printers (paths_text.c, paths_json.c) walk sorted views of it.
 */
#include "paths.h"

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "paths_int.h"

/* A 64-bit finalizer: spreads pointer and FNV bits over the slot index. */
static uint64_t mix(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdull;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ull;
	return x ^ (x >> 33);
}

/* The hash of key (p, len, err) in s: of the pointer, or of the bytes
 * when s is keyed by content. */
static uint64_t key_hash(const struct sw__paths_set *s, const char *p, size_t len, uint32_t err)
{
	uint64_t h = 14695981039346656037ull;
	if (!s->by_content)
		h = (uint64_t)(uintptr_t)p;
	else
		for (size_t i = 0; i < len; i++)
			h = (h ^ (unsigned char)p[i]) * 1099511628211ull;
	return mix(h ^ ((uint64_t)err << 40));
}

/* Whether entry e holds key (p, len, err) in s. */
static bool key_eq(const struct sw__paths_set *s, const struct sw__paths_entry *e, const char *p,
		   size_t len, uint32_t err)
{
	if (e->err != err)
		return false;
	if (!s->by_content)
		return e->path == p;
	return e->len == len && memcmp(e->path, p, len) == 0;
}

/* Index slot i of s's table holds for its entry's key. */
static size_t home(const struct sw__paths_set *s, const struct sw__paths_entry *e)
{
	return key_hash(s, e->path, e->len, e->err) & (s->nslots - 1);
}

/* Double the hash table (or make the first one): 0 or -ENOMEM. */
static int rehash(struct sw__paths_set *s)
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
static struct sw__paths_entry *set_get(struct sw__paths_set *s, const char *p, size_t len,
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
	struct sw__paths_entry *e = &s->v[s->n];
	*e = (struct sw__paths_entry){.path = p, .len = len, .err = err};
	if (s->by_content && !(e->path = strndup(p, len)))
		return NULL;
	s->slot[i] = (uint32_t)++s->n;
	return e;
}

/* Free s's entries, their per-row calls and (keyed by content) paths. */
static void set_free(struct sw__paths_set *s)
{
	for (size_t i = 0; i < s->n; i++) {
		free(s->v[i].by.v);
		if (s->by_content)
			free((char *)s->v[i].path);
	}
	free(s->v);
	free(s->slot);
}

/* Count one call of row in c: 0 or -ENOMEM. */
static int calls_add(struct sw__paths_calls *c, uint32_t row, const struct sw__paths_agg *one)
{
	for (uint32_t i = 0; i < c->n; i++)
		if (c->v[i].row == row) {
			sw__paths_agg_add(&c->v[i].a, one);
			return 0;
		}
	size_t cap = c->cap;
	if (c->n == UINT32_MAX ||
	    room((void **)&c->v, &cap, c->n, sizeof(*c->v)) < 0)
		return -ENOMEM;
	c->cap = (uint32_t)(cap > UINT32_MAX ? UINT32_MAX : cap);
	c->v[c->n++] = (struct sw__paths_bycall){row, *one};
	return 0;
}

/* Count event e (it names a file) for its file, and for its (file,
 * errno) when it failed: 0 or -ENOMEM. */
static int add_event(struct sw__paths_report *r, const struct sw_ev *e)
{
	bool failed = e->flags & SW_EVF_FAILED;
	struct sw__paths_agg one = {1, failed, e->end > e->start ? e->end - e->start : 0};
	struct sw__paths_entry *f = set_get(&r->files, e->file, 0, 0);
	if (!f || calls_add(&f->by, e->row, &one) < 0)
		return -ENOMEM;
	sw__paths_agg_add(&f->a, &one);
	sw__paths_agg_add(&r->total, &one);
	if (!failed)
		return 0;
	struct sw__paths_entry *x = set_get(&r->errs, e->file, 0, e->err);
	if (!x || calls_add(&x->by, e->row, &one) < 0)
		return -ENOMEM;
	sw__paths_agg_add(&x->a, &one);
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

/* Per-row calls: the most first, then by row. */
static int by_calls_desc(const void *a, const void *b)
{
	const struct sw__paths_bycall *x = a, *y = b;
	if (x->a.calls != y->a.calls)
		return x->a.calls > y->a.calls ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

/* Directories and mounts from the files; each entry's calls sorted. */
static int sum_files(struct sw__paths_report *r)
{
	for (size_t i = 0; i < r->files.n; i++) {
		struct sw__paths_entry *f = &r->files.v[i];
		size_t dl = dir_len(f->path);
		struct sw__paths_entry *d =
		    dl ? set_get(&r->dirs, f->path, dl, 0) : set_get(&r->dirs, ".", 1, 0);
		if (!d)
			return -ENOMEM;
		sw__paths_agg_add(&d->a, &f->a);
		d->files++;
		const struct sw_mount *m = r->ms ? sw_mounts_find(r->ms, f->path) : NULL;
		struct sw__paths_entry *me =
		    &r->mounts[m ? (size_t)(m - r->ms->mounts) : r->nmounts - 1];
		me->mount = m;
		sw__paths_agg_add(&me->a, &f->a);
		me->files++;
		qsort(f->by.v, f->by.n, sizeof(*f->by.v), by_calls_desc);
	}
	for (size_t i = 0; i < r->errs.n; i++)
		qsort(r->errs.v[i].by.v, r->errs.v[i].by.n, sizeof(*r->errs.v[i].by.v),
		      by_calls_desc);
	return 0;
}

/* See paths_int.h: frees the sets and the mounts of r. */
void sw__paths_free(struct sw__paths_report *r)
{
	set_free(&r->files);
	set_free(&r->errs);
	set_free(&r->dirs);
	free(r->mounts);
}

/* Aggregate t's events into r: 0 or -ENOMEM (r freed). */
int sw__paths_build(struct sw__paths_report *r, const struct sw_evtrace *t,
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
		sw__paths_free(r);
	return rc;
}

/* Orders of the entries in the report. */
static int cmp_path(const struct sw__paths_entry *x, const struct sw__paths_entry *y)
{
	int c = strcmp(x->path ? x->path : "", y->path ? y->path : "");
	return c ? c : (x->err > y->err) - (x->err < y->err);
}

/* Compare x and y on the keys of order (each largest first), then by
 * path. */
enum key { K_NS, K_CALLS, K_END };

static int cmp_keys(const void *a, const void *b, const enum key *order)
{
	const struct sw__paths_entry *x = *(const struct sw__paths_entry *const *)a;
	const struct sw__paths_entry *y = *(const struct sw__paths_entry *const *)b;
	for (; *order != K_END; order++) {
		uint64_t u = *order == K_NS ? x->a.ns : x->a.calls;
		uint64_t v = *order == K_NS ? y->a.ns : y->a.calls;
		if (u != v)
			return u > v ? -1 : 1;
	}
	return cmp_path(x, y);
}

/* Time first, then calls, then path. */
static int by_time(const void *a, const void *b)
{
	static const enum key order[] = {K_NS, K_CALLS, K_END};
	return cmp_keys(a, b, order);
}

/* Calls first, then time, then path. */
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
static struct sw__paths_entry **sorted(struct sw__paths_entry *v, size_t n,
				       int (*cmp)(const void *, const void *), size_t *out_n)
{
	struct sw__paths_entry **o = malloc((n ? n : 1) * sizeof(*o));
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
const char *sw__paths_errno_name(uint32_t e, char *buf, size_t cap)
{
	const char *s = e <= INT32_MAX ? strerrorname_np((int)e) : NULL;
	if (s)
		return s;
	snprintf(buf, cap, "errno %" PRIu32, e);
	return buf;
}

/* See paths_int.h. */
void sw__paths_views_free(struct sw__paths_views *w)
{
	free(w->time);
	free(w->calls);
	free(w->errs);
	free(w->dirs);
	free(w->mounts);
}

/* See paths_int.h: files by time and by calls, errors by count,
 * directories and mounts by time. */
int sw__paths_views_make(const struct sw__paths_report *r, struct sw__paths_views *w)
{
	memset(w, 0, sizeof(*w));
	w->time = sorted(r->files.v, r->files.n, by_time, &w->nfiles);
	w->calls = sorted(r->files.v, r->files.n, by_calls, &w->nfiles);
	w->errs = sorted(r->errs.v, r->errs.n, by_count, &w->nerrs);
	w->dirs = sorted(r->dirs.v, r->dirs.n, by_time, &w->ndirs);
	w->mounts = sorted(r->mounts, r->nmounts, by_time, &w->nmounts);
	if (w->time && w->calls && w->errs && w->dirs && w->mounts)
		return 0;
	sw__paths_views_free(w);
	return -ENOMEM;
}
