/*
 * mounts.c - parse mountinfo, find a path's mount (see mounts.h).
 *
 * A mountinfo line (proc(5)):
 *   36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw
 *   (1)(2)(3)   (4)   (5)         (6)       (7...)   (-) (8)  (9)     (10)
 * Field 5 is the mount point; optional fields run up to a lone "-", then
 * come the filesystem type and the source. Spaces, tabs, newlines and
 * backslashes inside fields are written as octal escapes (\040).
 */
#include "mounts.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAX_FIELDS 64 /* a line with more is malformed */

/* Decode the octal escapes of s in place (the text only shrinks). A
 * backslash not followed by three octal digits, or encoding NUL, stays
 * as it is. */
static void unescape(char *s)
{
	char *out = s;
	while (*s) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' && s[2] >= '0' &&
		    s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			int v = (s[1] - '0') * 64 + (s[2] - '0') * 8 + (s[3] - '0');
			if (v != 0) {
				*out++ = (char)v;
				s += 4;
				continue;
			}
		}
		*out++ = *s++;
	}
	*out = '\0';
}

/* Split the NUL-terminated line into space-separated fields in place;
 * the number of fields, or -1 if there are more than cap. */
static int split(char *line, char **field, int cap)
{
	int n = 0;
	char *s = line;
	for (;;) {
		while (*s == ' ' || *s == '\t')
			*s++ = '\0';
		if (!*s)
			return n;
		if (n == cap)
			return -1;
		field[n++] = s;
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
}

/* Parse one line into m; false if it is not a well-formed mount. */
static bool parse_line(char *line, struct sw_mount *m)
{
	char *f[MAX_FIELDS];
	int n = split(line, f, MAX_FIELDS);
	if (n < 10)
		return false;
	int dash = 6;
	while (dash < n && strcmp(f[dash], "-") != 0)
		dash++;
	if (dash + 2 >= n) /* no "-", or no type and source after it */
		return false;
	unescape(f[4]);
	unescape(f[dash + 1]);
	unescape(f[dash + 2]);
	if (f[4][0] != '/' || !f[dash + 1][0])
		return false;
	*m = (struct sw_mount){f[4], f[dash + 1], f[dash + 2]};
	return true;
}

static int push(struct sw_mounts *ms, size_t *cap, const struct sw_mount *m)
{
	if (ms->n == *cap) {
		size_t c = *cap ? *cap * 2 : 32;
		struct sw_mount *v = realloc(ms->mounts, c * sizeof(*v));
		if (!v)
			return -ENOMEM;
		ms->mounts = v;
		*cap = c;
	}
	ms->mounts[ms->n++] = *m;
	return 0;
}

int sw_mounts_parse(const char *text, size_t len, struct sw_mounts *ms)
{
	size_t cap = 0;
	memset(ms, 0, sizeof(*ms));
	ms->text = malloc(len + 1);
	if (!ms->text)
		return -ENOMEM;
	if (len)
		memcpy(ms->text, text, len);
	ms->text[len] = '\0';
	char *line = ms->text, *end = ms->text + len;
	while (line < end) {
		char *nl = memchr(line, '\n', (size_t)(end - line));
		char *next = nl ? nl + 1 : end;
		if (nl)
			*nl = '\0';
		struct sw_mount m;
		if (line[strspn(line, " \t")] == '\0') {
			/* a blank line: nothing */
		} else if (!parse_line(line, &m) || ms->n >= SW_MOUNTS_MAX) {
			ms->skipped++;
		} else if (push(ms, &cap, &m) < 0) {
			sw_mounts_free(ms);
			return -ENOMEM;
		}
		line = next;
	}
	return 0;
}

/* Read all of fd, at most max bytes (-EFBIG beyond); /proc files have no
 * size, so the buffer grows as it fills. */
static int slurp(int fd, size_t max, char **out, size_t *len)
{
	size_t cap = 16384, n = 0;
	char *buf = malloc(cap);
	if (!buf)
		return -ENOMEM;
	for (;;) {
		if (n == cap) {
			if (cap > max) {
				free(buf);
				return -EFBIG;
			}
			char *b = realloc(buf, cap * 2);
			if (!b) {
				free(buf);
				return -ENOMEM;
			}
			buf = b;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			int e = errno;
			free(buf);
			return -e;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	if (n > max) {
		free(buf);
		return -EFBIG;
	}
	*out = buf;
	*len = n;
	return 0;
}

int sw_mounts_read(const char *path, struct sw_mounts *ms)
{
	char *text = NULL;
	size_t len = 0;
	memset(ms, 0, sizeof(*ms));
	int fd = open(path ? path : "/proc/self/mountinfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = slurp(fd, SW_MOUNTS_MAX_BYTES, &text, &len);
	close(fd);
	if (rc < 0)
		return rc;
	rc = sw_mounts_parse(text, len, ms);
	free(text);
	return rc;
}

/* The next component of the path at *p (runs of '/' and "." components
 * skipped): its start, its length in *len, *p moved past it; NULL at the
 * end. */
static const char *component(const char **p, size_t *len)
{
	const char *s = *p;
	for (;;) {
		while (*s == '/')
			s++;
		if (!*s) {
			*p = s;
			return NULL;
		}
		size_t n = strcspn(s, "/");
		if (n == 1 && s[0] == '.') {
			s += 1;
			continue;
		}
		*p = s + n;
		*len = n;
		return s;
	}
}

/* How many components point has if they begin path, else -1. */
static long prefix_depth(const char *point, const char *path)
{
	long depth = 0;
	size_t a, b;
	for (;;) {
		const char *x = component(&point, &a);
		if (!x)
			return depth;
		const char *y = component(&path, &b);
		if (!y || a != b || memcmp(x, y, a) != 0)
			return -1;
		depth++;
	}
}

const struct sw_mount *sw_mounts_find(const struct sw_mounts *ms,
				      const char *path)
{
	const struct sw_mount *best = NULL;
	long best_depth = -1;
	if (!path || path[0] != '/')
		return NULL;
	for (size_t i = 0; i < ms->n; i++) {
		long d = prefix_depth(ms->mounts[i].point, path);
		if (d >= 0 && d >= best_depth) { /* >=: the later stacked one */
			best = &ms->mounts[i];
			best_depth = d;
		}
	}
	return best;
}

void sw_mounts_free(struct sw_mounts *ms)
{
	free(ms->mounts);
	free(ms->text);
	memset(ms, 0, sizeof(*ms));
}
