/*
 * locks_hold.c - what a holder did while others waited: each hold's
 * window, the module it was loading, its time by row, its slowest files,
 * and the time no recorded call covers ("outside calls": its own CPU
 * work, or calls syswatch does not trace). Nothing is dropped: the rows
 * and the outside time add up to the window.
 *
 * A hold's window runs from the earliest instant blamed on it (a wait's
 * start, or the release before it in that wait) to its release: the
 * stretch others spent behind it, which for a holder that had to wait
 * itself includes its own wake-up. One exception moves the start earlier:
 * when the holder
 * itself initialised the primitive (the init event began its generation)
 * and nobody waited on or released that generation before the window,
 * the holder held it from (just after) the init. This is CPython's
 * _ModuleLock up to 3.12: the thread that first needs a module creates
 * its lock and takes it at once. Without it, a module's files may all
 * have been read before the first waiter arrived, and the first path in
 * the window would name a submodule instead.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "locks_int.h"

/* --- modules ------------------------------------------------------------ */

static bool ends_with(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);
	return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* Is file a module file: .py, .pyc or a .so? */
static bool module_file(const char *file)
{
	size_t n = strlen(file);
	return ends_with(file, n, ".py") || ends_with(file, n, ".pyc") ||
	       ends_with(file, n, ".so");
}

/* The source path of a module file: D/__pycache__/N.TAG.pyc → D/N.py,
 * X.pyc → X.py, anything else as is. Interned; NULL if out of memory. */
static const char *module_source(struct sw_evtrace *tr, const char *file)
{
	size_t n = strlen(file);
	if (!ends_with(file, n, ".pyc"))
		return file;
	char *buf = malloc(n + 1);
	if (!buf)
		return NULL;
	const char *base = strrchr(file, '/');
	base = base ? base + 1 : file;
	size_t dirlen = (size_t)(base - file); /* with its '/' */
	if (dirlen >= 13 && memcmp(base - 13, "/__pycache__/", 13) == 0) {
		const char *dot = strchr(base, '.'); /* N.TAG.pyc: cut at N */
		size_t stem = dot ? (size_t)(dot - base) : strlen(base);
		snprintf(buf, n + 1, "%.*s%.*s.py", (int)(dirlen - 12), file,
			 (int)stem, base);
	} else {
		snprintf(buf, n + 1, "%.*s.py", (int)(n - 4), file);
	}
	const char *s = sw_evtrace_intern(tr, buf, n + 1);
	free(buf);
	return s;
}

/* A pointer set of interned directory paths: the packages seen. */
struct dirset {
	const char **v;
	size_t cap, n;
};

static size_t ptr_hash(const void *p, size_t cap)
{
	uint64_t h = (uint64_t)(uintptr_t)p * 0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 20) & (cap - 1);
}

static bool dirset_has(const struct dirset *d, const char *s)
{
	if (!d->cap)
		return false;
	for (size_t i = ptr_hash(s, d->cap); d->v[i]; i = (i + 1) & (d->cap - 1))
		if (d->v[i] == s)
			return true;
	return false;
}

static int dirset_add(struct dirset *d, const char *s)
{
	if (dirset_has(d, s))
		return 0;
	if (2 * (d->n + 1) > d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		const char **v = calloc(cap, sizeof(*v));
		if (!v)
			return -ENOMEM;
		for (size_t i = 0; i < d->cap; i++) {
			if (!d->v[i])
				continue;
			size_t j = ptr_hash(d->v[i], cap);
			while (v[j])
				j = (j + 1) & (cap - 1);
			v[j] = d->v[i];
		}
		free(d->v);
		d->v = v;
		d->cap = cap;
	}
	size_t j = ptr_hash(s, d->cap);
	while (d->v[j])
		j = (j + 1) & (d->cap - 1);
	d->v[j] = s;
	d->n++;
	return 0;
}

/* The interned directory part of path (without the last '/'), or NULL
 * if it has none. *err is set if out of memory. */
static const char *dir_of(struct sw_evtrace *tr, const char *path, int *err)
{
	const char *slash = strrchr(path, '/');
	if (!slash || slash == path)
		return NULL;
	const char *d = sw_evtrace_intern(tr, path, (size_t)(slash - path));
	if (!d)
		*err = -ENOMEM;
	return d;
}

/* Packages: directories whose __init__ (source or cached) was touched. */
static int find_packages(struct sw_evtrace *tr, struct dirset *pk)
{
	int err = 0;
	for (size_t t = 0; t < tr->nthreads && !err; t++) {
		const struct sw_evthread *th = &tr->threads[t];
		for (size_t i = 0; i < th->nev && !err; i++) {
			const struct sw_ev *e = &th->ev[i];
			if (!e->file || (e->flags & SW_EVF_FAILED))
				continue;
			const char *base = strrchr(e->file, '/');
			if (!base || strncmp(base, "/__init__.", 10) != 0 ||
			    !module_file(e->file))
				continue;
			const char *src = module_source(tr, e->file);
			const char *d = src ? dir_of(tr, src, &err) : NULL;
			if (!src)
				err = -ENOMEM;
			if (d && !err)
				err = dirset_add(pk, d);
		}
	}
	return err;
}

/* Dotted name of a module source: its stem (or its package directory
 * for an __init__.py), preceded by every enclosing package seen. */
static const char *dotted(struct sw_evtrace *tr, const struct dirset *pk,
			  const char *src, int *err)
{
	char name[1024] = "";
	const char *dir = dir_of(tr, src, err);
	const char *base = strrchr(src, '/');
	base = base ? base + 1 : src;
	if (strncmp(base, "__init__.", 9) == 0) {
		if (!dir)
			return NULL;
		src = dir; /* the package itself */
		base = strrchr(src, '/');
		base = base ? base + 1 : src;
		dir = dir_of(tr, src, err);
	}
	size_t stem = strcspn(base, ".");
	snprintf(name, sizeof(name), "%.*s", (int)stem, base);
	while (dir && !*err && dirset_has(pk, dir)) {
		char tmp[1024];
		const char *b = strrchr(dir, '/');
		b = b ? b + 1 : dir;
		snprintf(tmp, sizeof(tmp), "%s.%s", b, name);
		memcpy(name, tmp, sizeof(name));
		dir = dir_of(tr, dir, err);
	}
	if (*err)
		return NULL;
	const char *s = sw_evtrace_intern(tr, name, sizeof(name));
	if (!s)
		*err = -ENOMEM;
	return s;
}

/* --- activity ----------------------------------------------------------- */

/* (row, file) → time, for one explanation. */
struct cell {
	uint32_t row;
	const char *file;
	uint64_t ns, calls;
};

struct cells {
	struct cell *v;
	size_t n, cap;
	uint32_t *slot; /* open addressing into v, SW_NONE: empty */
	size_t nslot;
};

static size_t cell_hash(uint32_t row, const char *file, size_t cap)
{
	uint64_t h = ((uint64_t)(uintptr_t)file ^ ((uint64_t)row << 48)) *
		     0x9e3779b97f4a7c15ull;
	return (size_t)(h >> 17) & (cap - 1);
}

static int cells_add(struct cells *c, uint32_t row, const char *file, uint64_t ns)
{
	if (2 * (c->n + 1) > c->nslot) {
		size_t cap = c->nslot ? c->nslot * 2 : 64;
		uint32_t *s = malloc(cap * sizeof(*s));
		if (!s)
			return -ENOMEM;
		memset(s, 0xff, cap * sizeof(*s));
		for (size_t i = 0; i < c->n; i++) {
			size_t j = cell_hash(c->v[i].row, c->v[i].file, cap);
			while (s[j] != SW_NONE)
				j = (j + 1) & (cap - 1);
			s[j] = (uint32_t)i;
		}
		free(c->slot);
		c->slot = s;
		c->nslot = cap;
	}
	size_t j = cell_hash(row, file, c->nslot);
	for (; c->slot[j] != SW_NONE; j = (j + 1) & (c->nslot - 1)) {
		struct cell *x = &c->v[c->slot[j]];
		if (x->row == row && x->file == file) {
			x->ns += ns;
			x->calls++;
			return 0;
		}
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct cell *v = realloc(c->v, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n] = (struct cell){row, file, ns, 1};
	c->slot[j] = (uint32_t)c->n++;
	return 0;
}

static void cells_reset(struct cells *c)
{
	c->n = 0;
	if (c->slot)
		memset(c->slot, 0xff, c->nslot * sizeof(*c->slot));
}

static int by_ns_desc(const void *a, const void *b)
{
	const struct sw_activity *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	return x->row < y->row ? -1 : x->row > y->row;
}

static int files_desc(const void *a, const void *b)
{
	const struct sw_filetime *x = a, *y = b;
	if (x->ns != y->ns)
		return x->ns > y->ns ? -1 : 1;
	return strcmp(x->file, y->file);
}

static int push_act(struct sw_activity **v, size_t *n, size_t *cap,
		    const struct sw_activity *a)
{
	if (*n >= *cap) { /* cap may not know what another explainer added */
		size_t c = 2 * (*n > *cap ? *n : *cap);
		c = c < 256 ? 256 : c;
		struct sw_activity *w = realloc(*v, c * sizeof(*w));
		if (!w)
			return -ENOMEM;
		*v = w;
		*cap = c;
	}
	(*v)[(*n)++] = *a;
	return 0;
}

static int push_file(struct sw_filetime **v, size_t *n, size_t *cap,
		     const struct sw_filetime *f)
{
	if (*n >= *cap) { /* cap may not know what another explainer added */
		size_t c = 2 * (*n > *cap ? *n : *cap);
		c = c < 256 ? 256 : c;
		struct sw_filetime *w = realloc(*v, c * sizeof(*w));
		if (!w)
			return -ENOMEM;
		*v = w;
		*cap = c;
	}
	(*v)[(*n)++] = *f;
	return 0;
}

int sw__locks_spans(struct sw_locks *l, struct sw__explainer *x, uint32_t thread,
		    const struct sw_span *spans, size_t nspans,
		    struct sw__explained *out)
{
	const struct sw_evthread *th = &l->tr->threads[thread];
	struct cells *c = x->cells;
	uint64_t covered = 0, total = 0;
	cells_reset(c);
	out->complete = true;
	for (size_t k = 0; k < nspans; k++) {
		uint64_t a = spans[k].from, b = spans[k].to;
		total += b - a;
		if (sw_evthread_hole(th, a, b))
			out->complete = false;
		for (size_t i = sw_evthread_after(th, a); i < th->nev; i++) {
			const struct sw_ev *e = &th->ev[i];
			if (e->start >= b)
				break;
			uint64_t from = e->start > a ? e->start : a;
			uint64_t to = e->end < b ? e->end : b;
			if (to < from)
				continue;
			covered += to - from;
			if (cells_add(c, e->row, e->file, to - from) < 0)
				return -ENOMEM;
		}
	}
	out->outside_ns = total > covered ? total - covered : 0;
	out->window_ns = total;

	/* Rows: sums, and each row's top file. */
	out->act0 = *x->nact;
	for (size_t i = 0; i < c->n; i++) {
		const struct cell *ce = &c->v[i];
		size_t k = out->act0;
		while (k < *x->nact && (*x->act)[k].row != ce->row)
			k++;
		if (k == *x->nact) {
			struct sw_activity a = {ce->row, 0, 0, NULL, 0};
			if (push_act(x->act, x->nact, &x->act_cap, &a) < 0)
				return -ENOMEM;
		}
		struct sw_activity *a = &(*x->act)[k];
		a->ns += ce->ns;
		a->calls += ce->calls;
		if (ce->file && ce->ns >= a->top_file_ns &&
		    (ce->ns > a->top_file_ns || !a->top_file ||
		     strcmp(ce->file, a->top_file) < 0)) {
			a->top_file = ce->file;
			a->top_file_ns = ce->ns;
		}
	}
	out->nact = (uint32_t)(*x->nact - out->act0);
	if (out->nact)
		qsort(*x->act + out->act0, out->nact, sizeof(**x->act), by_ns_desc);

	/* Files: summed over rows, the slowest few kept. */
	size_t f0 = *x->nfile;
	for (size_t i = 0; i < c->n; i++) {
		const struct cell *ce = &c->v[i];
		if (!ce->file || ce->row == l->tr->row_futex)
			continue;
		size_t k = f0;
		while (k < *x->nfile && (*x->file)[k].file != ce->file)
			k++;
		if (k == *x->nfile) {
			struct sw_filetime f = {ce->file, 0, 0};
			if (push_file(x->file, x->nfile, &x->file_cap, &f) < 0)
				return -ENOMEM;
		}
		(*x->file)[k].ns += ce->ns;
		(*x->file)[k].calls += ce->calls;
	}
	size_t nf = *x->nfile - f0;
	if (nf)
		qsort(*x->file + f0, nf, sizeof(**x->file), files_desc);
	if (nf > SW_SLOW_FILES)
		nf = SW_SLOW_FILES;
	*x->nfile = f0 + nf;
	out->file0 = (uint32_t)f0;
	out->nfile = (uint32_t)nf;
	return 0;
}

int sw__explainer_init(struct sw__explainer *x)
{
	x->cells = calloc(1, sizeof(struct cells));
	return x->cells ? 0 : -ENOMEM;
}

void sw__explainer_free(struct sw__explainer *x)
{
	struct cells *c = x->cells;
	if (c) {
		free(c->v);
		free(c->slot);
	}
	free(c);
	x->cells = NULL;
}

/* --- holds -------------------------------------------------------------- */

/* Did anything happen on the hold's primitive before `before`? */
static bool prim_used_before(const struct sw_locks *l, const struct sw_prim *p,
			     uint64_t before)
{
	return (p->nwaits && l->waits[p->wait0].start < before) ||
	       (p->nrels && l->rels[p->rel0].t < before);
}

/* The module a hold was loading: the first module file the holder
 * touched successfully in the window. */
static int find_module(struct sw_locks *l, struct sw_hold *h,
		       const struct dirset *pk)
{
	struct sw_evtrace *tr = (struct sw_evtrace *)l->tr;
	const struct sw_evthread *th = &tr->threads[h->thread];
	int err = 0;
	for (size_t i = sw_evthread_after(th, h->start); i < th->nev; i++) {
		const struct sw_ev *e = &th->ev[i];
		if (e->start >= h->end)
			break;
		if (!e->file || (e->flags & SW_EVF_FAILED) || !module_file(e->file))
			continue;
		h->module_file = e->file;
		h->module = module_source(tr, e->file);
		if (!h->module)
			return -ENOMEM;
		h->module_name = dotted(tr, pk, h->module, &err);
		return err;
	}
	return 0;
}

int sw__locks_explain(struct sw_locks *l)
{
	struct dirset pk = {NULL, 0, 0};
	struct sw__explainer x = {
		.act = &l->activity, .nact = &l->nactivity,
		.file = &l->files, .nfile = &l->nfiles,
	};
	int rc = sw__explainer_init(&x);
	if (rc == 0)
		rc = find_packages((struct sw_evtrace *)l->tr, &pk);
	for (size_t i = 0; i < l->nholds && rc == 0; i++) {
		struct sw_hold *h = &l->holds[i];
		const struct sw_prim *p = &l->prims[h->prim];
		if (h->start >= h->end)
			continue; /* only latency after it: nothing held */
		if (p->born_init && p->born_by == h->thread && p->born < h->start &&
		    !prim_used_before(l, p, h->start))
			h->start = p->born;
		struct sw_span span = {h->start, h->end};
		struct sw__explained ex;
		rc = sw__locks_spans(l, &x, h->thread, &span, 1, &ex);
		if (rc < 0)
			break;
		h->complete = ex.complete;
		h->outside_ns = ex.outside_ns;
		h->act0 = ex.act0;
		h->nact = ex.nact;
		h->file0 = ex.file0;
		h->nfile = ex.nfile;
		rc = find_module(l, h, &pk);
	}
	sw__explainer_free(&x);
	free(pk.v);
	return rc;
}
