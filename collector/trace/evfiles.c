/*
 * evfiles.c - name the file behind each event (see evfiles.h).
 *
 * Descriptors belong to the process, so each process's events are merged
 * by start time and replayed against one descriptor table: an open's
 * result gets its path, dup copies, close forgets. opendir() and fopen()
 * return a DIR or FILE, not the descriptor inside; the next unknown
 * descriptor the same thread uses (its readdir, its fclose) is taken to be
 * that one, which is how those calls are always used.
 *
 * The same replay names socket peers: socket() makes a descriptor known
 * as a socket, connect gives it its peer (also while a non-blocking
 * connect is in progress), bind its local address, accept's result is a
 * connection on the listener's address; dup copies, close forgets.
 * Descriptors made where no event shows them (socketpair's and pipe's
 * pairs, which the shim does not record; descriptors inherited across
 * fork or exec) stay unknown.
 *
 * The same replay follows the working directory: it starts at the one the
 * shim recorded when the image began (a fork child records its own), and
 * a successful chdir or fchdir moves it. A relative path given without a
 * directory descriptor (or with AT_FDCWD, which the shim does not record
 * as a descriptor) is joined to it. Joining drops "." components and
 * empty ones, and nothing else: ".." stays as given, since a lexical
 * collapse is wrong across symbolic links.
 */
#include "evfiles.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "syswatch/calls.h"

#define FD_MAX (1 << 20) /* descriptors above this are not tracked */

/* What a call does to the descriptor table. */
enum fkind {
	F_OTHER,
	F_OPEN,    /* result: a descriptor for the path */
	F_PENDING, /* opendir, fopen: the descriptor shows up later */
	F_DUP,     /* result: a copy of fd */
	F_CLOSE,   /* fd is gone */
	F_NEWFD,   /* result: a new descriptor of no path (epoll, eventfd) */
	F_SOCKET,  /* result: a new socket, no address yet */
	F_CONNECT, /* fd's peer is the call's address */
	F_BIND,    /* fd's local address is the call's address */
	F_ACCEPT,  /* result: a connection accepted on listener fd */
	F_SENDTO,  /* the call's address is its peer, for this call only */
	F_CHDIR,   /* the working directory becomes the call's file */
};

static const struct {
	uint32_t fn;
	enum fkind kind;
} kinds[] = {
	{SW_FN_open, F_OPEN},           {SW_FN_open64, F_OPEN},
	{SW_FN_openat, F_OPEN},         {SW_FN_openat64, F_OPEN},
	{SW_FN___open_2, F_OPEN},       {SW_FN___open64_2, F_OPEN},
	{SW_FN___openat_2, F_OPEN},     {SW_FN___openat64_2, F_OPEN},
	{SW_FN_creat, F_OPEN},          {SW_FN_creat64, F_OPEN},
	{SW_FN_opendir, F_PENDING},     {SW_FN_fopen, F_PENDING},
	{SW_FN_fopen64, F_PENDING},     {SW_FN_dup, F_DUP},
	{SW_FN_dup2, F_DUP},            {SW_FN_dup3, F_DUP},
	{SW_FN_close, F_CLOSE},         {SW_FN_closedir, F_CLOSE},
	{SW_FN_fclose, F_CLOSE},        {SW_FN_epoll_create, F_NEWFD},
	{SW_FN_epoll_create1, F_NEWFD}, {SW_FN_eventfd, F_NEWFD},
	{SW_FN_inotify_init, F_NEWFD},  {SW_FN_inotify_init1, F_NEWFD},
	{SW_FN_socket, F_SOCKET},       {SW_FN_connect, F_CONNECT},
	{SW_FN_bind, F_BIND},           {SW_FN_accept, F_ACCEPT},
	{SW_FN_accept4, F_ACCEPT},      {SW_FN_sendto, F_SENDTO},
	{SW_FN_chdir, F_CHDIR},         {SW_FN_fchdir, F_CHDIR},
};

/* Calls whose path argument is not a file relative to the working
 * directory: a host name, a shell command, a name searched in PATH or the
 * library path (unless it has a slash), a path relative to execveat's
 * dirfd (which the shim does not record). */
static const struct {
	uint32_t fn;
	bool slash_is_file; /* a path with a '/' is a file after all */
} not_cwd[] = {
	{SW_FN_getaddrinfo, false}, {SW_FN_system, false},
	{SW_FN_execveat, false},    {SW_FN_dlopen, true},
	{SW_FN_execvp, true},       {SW_FN_execvpe, true},
	{SW_FN_execlp, true},       {SW_FN_posix_spawnp, true},
};

/* Whether e's relative path is to be read against the working directory. */
static bool cwd_relative(const struct sw_ev *e)
{
	for (size_t i = 0; i < sizeof(not_cwd) / sizeof(not_cwd[0]); i++)
		if (not_cwd[i].fn == e->fn)
			return not_cwd[i].slash_is_file && strchr(e->path, '/');
	return true;
}

static enum fkind kind_of(uint32_t fn)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (kinds[i].fn == fn)
			return kinds[i].kind;
	return F_OTHER;
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

/* What the process's descriptor fd refers to, as far as the events say. */
struct fdent {
	const char *path;  /* the file it was opened on, or NULL */
	const char *peer;  /* sockets: see enum sw_peer_kind, or NULL */
	const char *local; /* sockets: the address it was bound to, or NULL */
	uint8_t kind;      /* enum sw_peer_kind of peer */
	bool sock;         /* known to be a socket */
};

/* A process's state as the replay knows it. */
struct fdtab {
	struct fdent *ent; /* indexed by fd */
	size_t cap;
	const char *cwd;   /* working directory (absolute), or NULL */
};

static const struct fdent no_ent;

static const struct fdent *fdtab_get(const struct fdtab *ft, int64_t fd)
{
	return fd >= 0 && (uint64_t)fd < ft->cap ? &ft->ent[fd] : &no_ent;
}

static int fdtab_set(struct fdtab *ft, int64_t fd, const struct fdent *ent)
{
	if (fd < 0 || fd >= FD_MAX)
		return 0;
	if ((size_t)fd >= ft->cap) {
		size_t cap = ft->cap ? ft->cap : 64;
		while (cap <= (size_t)fd)
			cap *= 2;
		struct fdent *v = realloc(ft->ent, cap * sizeof(*v));
		if (!v)
			return -ENOMEM;
		memset(v + ft->cap, 0, (cap - ft->cap) * sizeof(*v));
		ft->ent = v;
		ft->cap = cap;
	}
	ft->ent[fd] = *ent;
	return 0;
}

/* The interned path of relative path rel under directory dir (see the
 * top of the file: "." and empty components dropped, ".." kept); NULL if
 * out of memory. */
static const char *join(struct sw_evtrace *t, const char *dir, const char *rel)
{
	size_t n = strlen(dir) + strlen(rel) + 2;
	char *buf = malloc(n);
	if (!buf)
		return NULL;
	size_t len = strlen(dir);
	memcpy(buf, dir, len);
	while (len > 1 && buf[len - 1] == '/')
		len--;
	for (const char *c = rel; *c;) {
		size_t cl = strcspn(c, "/");
		if (cl && !(cl == 1 && c[0] == '.')) {
			if (len == 0 || buf[len - 1] != '/')
				buf[len++] = '/';
			memcpy(buf + len, c, cl);
			len += cl;
		}
		c += cl + (c[cl] == '/');
	}
	buf[len] = 0;
	const char *s = sw_evtrace_intern(t, buf, len);
	free(buf);
	return s;
}

/* The file an event names: its path (joined, when relative, to its
 * dirfd's path, or to the working directory when it has no dirfd), else
 * its descriptor's path. */
static int name_file(struct sw_evtrace *t, struct fdtab *ft, struct sw_ev *e,
		     const char **pending)
{
	bool has_fd = (e->flags & SW_EVF_FD) && e->fd >= 0;
	if (e->path) {
		const char *dir = has_fd ? fdtab_get(ft, e->fd)->path
			: cwd_relative(e) ? ft->cwd : NULL;
		if (e->path[0] == '/' || !e->path[0] || !dir) {
			e->file = e->path;
			return 0;
		}
		e->file = join(t, dir, e->path);
		return e->file ? 0 : -ENOMEM;
	}
	if (!has_fd)
		return 0;
	const struct fdent *ent = fdtab_get(ft, e->fd);
	e->file = ent->path;
	if (!e->file && !ent->sock && *pending) {
		e->file = *pending; /* the DIR or FILE opened just before */
		*pending = NULL;
		return fdtab_set(ft, e->fd, &(struct fdent){.path = e->file});
	}
	return 0;
}

/* The socket peer an event touched: the address it recorded, else the
 * one behind its descriptor. */
static void name_peer(const struct fdtab *ft, struct sw_ev *e, enum fkind k)
{
	const struct fdent *ent = (e->flags & SW_EVF_FD) ? fdtab_get(ft, e->fd) : &no_ent;
	if (ent->sock)
		e->flags |= SW_EVF_SOCK;
	if (e->sockaddr && (k == F_CONNECT || k == F_SENDTO || k == F_BIND)) {
		e->peer = e->sockaddr;
		e->peer_kind = k == F_BIND ? SW_PEER_LOCAL : SW_PEER_REMOTE;
		e->flags |= SW_EVF_SOCK;
	} else if (ent->sock) {
		e->peer = ent->peer;
		e->peer_kind = ent->kind;
	}
}

/* Apply what event e (of kind k) did to the descriptor table. */
static int update(struct sw_evtrace *t, struct fdtab *ft, const struct sw_ev *e,
		  enum fkind k, const char **pending)
{
	bool ok = !(e->flags & SW_EVF_FAILED);
	bool has_fd = (e->flags & SW_EVF_FD) != 0;
	struct fdent ent = has_fd ? *fdtab_get(ft, e->fd) : no_ent;
	switch (k) {
	case F_OPEN:
		return ok ? fdtab_set(ft, e->result, &(struct fdent){.path = e->file}) : 0;
	case F_PENDING:
		if (ok && e->result != 0)
			*pending = e->file;
		return 0;
	case F_DUP:
		return ok && has_fd ? fdtab_set(ft, e->result, &ent) : 0;
	case F_CLOSE:
		return ok && has_fd ? fdtab_set(ft, e->fd, &no_ent) : 0;
	case F_NEWFD:
		return ok ? fdtab_set(ft, e->result, &no_ent) : 0;
	case F_SOCKET:
		return ok ? fdtab_set(ft, e->result, &(struct fdent){.sock = true}) : 0;
	case F_CONNECT:
		/* A non-blocking connect is under way: the socket has its peer. */
		if (!has_fd || !(ok || e->err == EINPROGRESS))
			return 0;
		ent.sock = true;
		ent.path = NULL;
		/* connect(AF_UNSPEC) dissolves a datagram socket's association */
		bool unspec = !e->sockaddr || strcmp(e->sockaddr, "unspec") == 0;
		ent.peer = unspec ? ent.local : e->sockaddr;
		ent.kind = unspec ? (ent.local ? SW_PEER_LOCAL : SW_PEER_NONE) : SW_PEER_REMOTE;
		return fdtab_set(ft, e->fd, &ent);
	case F_BIND:
		if (!ok || !has_fd || !e->sockaddr)
			return 0;
		ent.sock = true;
		ent.path = NULL;
		ent.local = e->sockaddr;
		if (ent.kind != SW_PEER_REMOTE) {
			ent.peer = e->sockaddr;
			ent.kind = SW_PEER_LOCAL;
		}
		return fdtab_set(ft, e->fd, &ent);
	case F_ACCEPT:
		if (!ok)
			return 0;
		const char *on = ent.local;
		if (!on && !(on = sw_evtrace_intern(t, "(unknown listener)", SIZE_MAX)))
			return -ENOMEM;
		return fdtab_set(ft, e->result, &(struct fdent){
			.peer = on, .kind = SW_PEER_ACCEPTED, .sock = true});
	case F_CHDIR:
		/* Relative to an unknown directory: now unknown too. */
		if (ok)
			ft->cwd = e->file && e->file[0] == '/' ? e->file : NULL;
		return 0;
	case F_SENDTO:
	case F_OTHER:
		break;
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
	struct fdtab ft = {NULL, 0, p->cwd};
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
		enum fkind k = kind_of(e->fn);
		rc = name_file(t, &ft, e, &pending[refs[i].thread]);
		if (rc == 0) {
			name_peer(&ft, e, k);
			rc = update(t, &ft, e, k, &pending[refs[i].thread]);
		}
	}
	free(ft.ent);
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
