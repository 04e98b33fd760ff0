/*
 * rb_static - built with -static: no libc calls through dynamic symbols.
 *
 *   rb_static MARKER
 *
 * Creates MARKER when it runs, so a test can tell whether it was started.
 */
#include <fcntl.h>
#include <stdio.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	if (argc > 1) {
		int fd = open(argv[1], O_WRONLY | O_CREAT, 0644);
		if (fd >= 0)
			close(fd);
	}
	printf("static program ran\n");
	return 0;
}
