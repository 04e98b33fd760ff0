/*
 * proc.c - /proc/<pid>/stat and cmdline (see proc.h).
 */
#include "proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Read at most n-1 bytes of a small file; the byte count or -errno. */
static ssize_t read_small(const char *path, char *buf, size_t n)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	size_t got = 0;
	while (got + 1 < n) {
		ssize_t r = read(fd, buf + got, n - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	return (ssize_t)got;
}

int sw_proc_stat(int32_t pid, char *state, uint64_t *starttime)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ssize_t n = read_small(path, buf, sizeof(buf));
	if (n < 0)
		return (int)n;
	/* The command may hold spaces and parentheses: skip to the last ')'. */
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || !p[2])
		return -EINVAL;
	*state = p[2];
	p += 2;
	/* state is field 3; starttime is field 22, 19 fields further on. */
	for (int field = 3; field < 22; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
	}
	*starttime = strtoull(p, NULL, 10);
	return 0;
}

bool sw_proc_alive(int32_t pid, uint64_t proc_start)
{
	char state;
	uint64_t start;
	int rc = sw_proc_stat(pid, &state, &start);
	if (rc == -ENOENT || rc == -ESRCH)
		return false;
	if (rc < 0)
		return true; /* cannot tell: assume it runs */
	if (state == 'Z' || state == 'X' || state == 'x')
		return false;
	return proc_start == 0 || start == proc_start;
}

int sw_proc_zombie_status(int32_t pid, uint64_t proc_start)
{
	char path[64], buf[1024];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	ssize_t n = read_small(path, buf, sizeof(buf));
	if (n < 0)
		return n == -ENOENT ? -ESRCH : (int)n;
	char *p = strrchr(buf, ')');
	if (!p || p[1] != ' ' || p[2] != 'Z')
		return -ESRCH;
	p += 2;
	uint64_t start = 0;
	/* state is field 3, starttime 22, exit_code the 52nd and last. */
	for (int field = 3; field < 52; field++) {
		p = strchr(p, ' ');
		if (!p)
			return -EINVAL;
		p++;
		if (field + 1 == 22)
			start = strtoull(p, NULL, 10);
	}
	if (proc_start && start != proc_start)
		return -ESRCH;
	return (int)strtol(p, NULL, 10);
}

int sw_proc_cmdline(int32_t pid, char ***argv, int *argc)
{
	char path[64];
	char *buf = malloc(65536);
	if (!buf)
		return -ENOMEM;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	ssize_t n = read_small(path, buf, 65536);
	if (n <= 0) {
		free(buf);
		return n < 0 ? (int)n : -ENOENT;
	}
	int count = 0;
	/* read_small() filled buf[0..n): the analyzer cannot see it. */
	for (ssize_t i = 0; i < n; i++)
		if (buf[i] == '\0' || i == n - 1) // NOLINT(clang-analyzer-core.UndefinedBinaryOperatorResult)
			count++;
	/* One block: the pointers, then a copy of the strings. */
	char **v = malloc((size_t)(count + 1) * sizeof(char *) + (size_t)n + 1);
	if (!v) {
		free(buf);
		return -ENOMEM;
	}
	char *s = (char *)(v + count + 1);
	memcpy(s, buf, (size_t)n);
	s[n] = '\0';
	free(buf);
	int k = 0;
	for (char *p = s; p < s + n && k < count; p += strlen(p) + 1)
		v[k++] = p;
	v[k] = NULL;
	*argv = v;
	*argc = k;
	return 0;
}
