/*
 * exec.c - shim lookup, PATH resolution and the static-binary check
 * (see exec.h).
 *
 * A statically linked program never calls libc through dynamic symbols,
 * so LD_PRELOAD cannot interpose anything: the run would print an empty
 * table. The tell is the ELF program header table: a dynamically linked
 * program has a PT_INTERP entry naming its loader.
 */
#include "exec.h"

#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PHDRS_MAX 4096 /* more program headers than any real binary has */

static bool is_file(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

int sw_find_shim_in(const char *bindir, char *buf, size_t n)
{
	static const char *const rel[] = {
		"",
		"/../lib",
		"/../lib/x86_64-linux-gnu",
	};
	for (size_t i = 0; i < sizeof(rel) / sizeof(rel[0]); i++) {
		char path[PATH_MAX];
		int len = snprintf(path, sizeof(path), "%s%s/" SW_SHIM_NAME,
				   bindir, rel[i]);
		if (len < 0 || (size_t)len >= sizeof(path) || !is_file(path))
			continue;
		char *real = realpath(path, NULL);
		if (!real)
			continue;
		len = snprintf(buf, n, "%s", real);
		free(real);
		if (len >= 0 && (size_t)len < n)
			return 0;
	}
	return -ENOENT;
}

int sw_find_shim(char *buf, size_t n)
{
	char self[PATH_MAX];
	ssize_t len = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (len <= 0)
		return -ENOENT;
	self[len] = '\0';
	return sw_find_shim_in(dirname(self), buf, n);
}

/* 0 if path is an executable regular file, else -EACCES / -ENOENT. */
static int check_exec(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0)
		return errno == ENOENT || errno == ENOTDIR ? -ENOENT : -errno;
	if (S_ISDIR(st.st_mode) || access(path, X_OK) < 0)
		return -EACCES;
	return 0;
}

int sw_resolve_cmd(const char *cmd, char *buf, size_t n)
{
	if (!*cmd)
		return -ENOENT;
	if (strchr(cmd, '/')) {
		int rc = check_exec(cmd);
		if (rc == 0 && (size_t)snprintf(buf, n, "%s", cmd) >= n)
			return -ENAMETOOLONG;
		return rc;
	}
	const char *path = getenv("PATH");
	if (!path)
		path = "/bin:/usr/bin"; /* what execvp assumes */
	int found = -ENOENT;
	for (const char *p = path;; ) {
		const char *end = strchr(p, ':');
		size_t dlen = end ? (size_t)(end - p) : strlen(p);
		char cand[PATH_MAX];
		/* An empty entry means the current directory. */
		int len = dlen ? snprintf(cand, sizeof(cand), "%.*s/%s", (int)dlen, p, cmd)
			       : snprintf(cand, sizeof(cand), "%s", cmd);
		if (len > 0 && (size_t)len < sizeof(cand)) {
			int rc = check_exec(cand);
			if (rc == 0) {
				if ((size_t)snprintf(buf, n, "%s", cand) >= n)
					return -ENAMETOOLONG;
				return 0;
			}
			if (rc == -EACCES)
				found = -EACCES; /* keep looking, as execvp does */
		}
		if (!end)
			break;
		p = end + 1;
	}
	return found;
}

/* Does the ELF image in fd have a PT_INTERP? 1 static, 0 dynamic, 2 not
 * an ELF file, negative errno on a read error. */
static int elf_static(int fd)
{
	unsigned char ident[EI_NIDENT];
	if (pread(fd, ident, sizeof(ident), 0) != (ssize_t)sizeof(ident) ||
	    memcmp(ident, ELFMAG, SELFMAG) != 0)
		return 2;
	uint64_t phoff;
	size_t phnum, phentsize;
	if (ident[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr eh;
		if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
			return 2;
		phoff = eh.e_phoff;
		phnum = eh.e_phnum;
		phentsize = eh.e_phentsize;
		if (phentsize < sizeof(Elf64_Phdr))
			return 2;
	} else if (ident[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr eh;
		if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh))
			return 2;
		phoff = eh.e_phoff;
		phnum = eh.e_phnum;
		phentsize = eh.e_phentsize;
		if (phentsize < sizeof(Elf32_Phdr))
			return 2;
	} else {
		return 2;
	}
	if (phnum > PHDRS_MAX)
		return 2;
	for (size_t i = 0; i < phnum; i++) {
		uint32_t type;
		off_t at = (off_t)(phoff + i * phentsize);
		if (pread(fd, &type, sizeof(type), at) != (ssize_t)sizeof(type))
			return 2;
		if (type == PT_INTERP)
			return 0;
	}
	return 1;
}

/* The interpreter named by a "#!" line, if fd starts with one. */
static bool shebang(int fd, char *interp, size_t n)
{
	char line[256];
	ssize_t len = pread(fd, line, sizeof(line) - 1, 0);
	if (len < 3 || line[0] != '#' || line[1] != '!')
		return false;
	line[len] = '\0';
	char *p = line + 2;
	while (*p == ' ' || *p == '\t')
		p++;
	size_t k = strcspn(p, " \t\n");
	if (k == 0 || k >= n)
		return false;
	memcpy(interp, p, k);
	interp[k] = '\0';
	return true;
}

int sw_is_static(const char *path)
{
	char interp[256];
	for (int depth = 0; depth < 2; depth++) {
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			return -errno;
		int rc = elf_static(fd);
		bool script = rc == 2 && depth == 0 && shebang(fd, interp, sizeof(interp));
		close(fd);
		if (rc < 0)
			return rc;
		if (!script)
			return rc == 1;
		path = interp; /* one level: the script's interpreter */
	}
	return 0;
}

#define SHSTRTAB_MAX (1u << 20)

/* Is one of the section names in the string table names[0..n) one of
 * the Go toolchain's? */
static bool go_section(const char *names, size_t n, uint32_t at)
{
	static const char *const go[] = {".go.buildinfo", ".note.go.buildid"};
	if (at >= n)
		return false;
	for (size_t i = 0; i < sizeof(go) / sizeof(go[0]); i++)
		if (strnlen(names + at, n - at) == strlen(go[i]) &&
		    strcmp(names + at, go[i]) == 0)
			return true;
	return false;
}

int sw_is_go(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	Elf64_Ehdr eh;
	Elf64_Shdr strtab;
	char *names = NULL;
	int rc = 0;
	if (pread(fd, &eh, sizeof(eh), 0) != (ssize_t)sizeof(eh) ||
	    memcmp(eh.e_ident, ELFMAG, SELFMAG) != 0 ||
	    eh.e_ident[EI_CLASS] != ELFCLASS64 ||
	    eh.e_shentsize < sizeof(Elf64_Shdr) ||
	    eh.e_shstrndx >= eh.e_shnum ||
	    pread(fd, &strtab, sizeof(strtab),
		  (off_t)(eh.e_shoff + (uint64_t)eh.e_shstrndx * eh.e_shentsize)) !=
		    (ssize_t)sizeof(strtab) ||
	    strtab.sh_size == 0 || strtab.sh_size > SHSTRTAB_MAX)
		goto out; /* not a 64-bit ELF with section names: not Go */
	names = malloc(strtab.sh_size);
	if (!names) {
		rc = -ENOMEM;
		goto out;
	}
	if (pread(fd, names, strtab.sh_size, (off_t)strtab.sh_offset) !=
	    (ssize_t)strtab.sh_size)
		goto out;
	for (size_t i = 0; i < eh.e_shnum && rc == 0; i++) {
		Elf64_Shdr sh;
		if (pread(fd, &sh, sizeof(sh),
			  (off_t)(eh.e_shoff + i * eh.e_shentsize)) != (ssize_t)sizeof(sh))
			break;
		rc = go_section(names, strtab.sh_size, sh.sh_name);
	}
out:
	free(names);
	close(fd);
	return rc;
}
