/*
 * exec.h - what `syswatch run` checks before it starts anything: where the
 * shim is, what CMD resolves to, and whether the shim can see it at all.
 */
#ifndef SW_COLLECTOR_EXEC_H
#define SW_COLLECTOR_EXEC_H

#include <stddef.h>

#define SW_SHIM_NAME "libsyswatch.so"

/* Find the shim next to the running syswatch binary, else in ../lib or
 * ../lib/x86_64-linux-gnu; 0 with the path in buf, or -ENOENT. */
int sw_find_shim(char *buf, size_t n);

/* Find the shim relative to a given directory (as sw_find_shim does for
 * the binary's own directory); 0 or -ENOENT. */
int sw_find_shim_in(const char *bindir, char *buf, size_t n);

/* Resolve cmd like execvp would: as a path if it has a '/', else through
 * $PATH. 0 with the file in buf; -ENOENT if nowhere, -EACCES if found
 * but not executable (or a directory). */
int sw_resolve_cmd(const char *cmd, char *buf, size_t n);

/* Is the program at path statically linked (an ELF without PT_INTERP),
 * following one "#!" interpreter? 1 yes, 0 no (or not ELF: let exec
 * decide), negative errno if it cannot be read. */
int sw_is_static(const char *path);

/* Is path a Go program (an ELF file with a .go.buildinfo or
 * .note.go.buildid section)? Go makes its system calls itself, not
 * through libc, whether linked statically or not. 1 yes, 0 no (or not
 * ELF), negative errno if it cannot be read. */
int sw_is_go(const char *path);

#endif
