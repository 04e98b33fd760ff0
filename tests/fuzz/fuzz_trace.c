/*
 * fuzz_trace.c - libFuzzer target for the trace-file reader: the input is
 * a whole trace file, read the way `syswatch report` reads one (a FILE on
 * a real descriptor, into a fresh model with no rows declared). Any input
 * may be refused with an error; none may crash, leak or hang the reader.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "model.h"
#include "trace.h"

/* Copy the input into an anonymous file and open it as a stream. */
static FILE *input_file(const uint8_t *data, size_t size)
{
	int fd = memfd_create("fuzz_trace", MFD_CLOEXEC);
	if (fd < 0)
		return NULL;
	size_t off = 0;
	while (off < size) {
		ssize_t n = write(fd, data + off, size - off);
		if (n <= 0) {
			close(fd);
			return NULL;
		}
		off += (size_t)n;
	}
	FILE *f = fdopen(fd, "r");
	if (!f) {
		close(fd);
		return NULL;
	}
	rewind(f);
	return f;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[512];
	struct sw_model m;
	FILE *f = input_file(data, size);
	if (!f)
		abort(); /* the harness itself failed: not a finding */
	sw_model_init(&m);
	(void)sw_trace_read(f, &m, err, sizeof(err));
	fclose(f);
	sw_model_free(&m);
	return 0;
}
