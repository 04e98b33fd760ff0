/*
 * rb_sigstorm - a signal storm against a thread in write().
 *
 *   rb_sigstorm NWRITES NOTES
 *
 * The writer thread writes NWRITES chunks of 64 bytes into a pipe; a
 * reader thread drains the pipe (so the writer blocks in write() whenever
 * the pipe is full) and checksums what it reads; a third thread sends the
 * writer SIGUSR1 with pthread_kill as fast as it can until the writer is
 * done. The handler (SA_RESTART) itself calls write() on /dev/null and
 * restores errno. stdout gets only what does not depend on timing:
 * bytes and checksum read, that every write wrote its 64 bytes, that the
 * handler ran, that errno survived every call. NOTES gets the counts that
 * do depend on timing: handler runs, signals sent, the reader's reads.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>

#include "rb_tally.h"

static struct rb_tally *tally;
static int devnull, pipefd[2];
static volatile sig_atomic_t handled, handler_bad;
static volatile int writer_done;

static void on_usr1(int sig)
{
	(void)sig;
	int saved = errno;
	if (write(devnull, "s", 1) != 1)
		handler_bad = 1;
	handled++;
	errno = saved;
}

static void *writer(void *arg)
{
	long n = (long)arg;
	char chunk[64];
	for (int i = 0; i < 64; i++)
		chunk[i] = (char)('a' + i % 26);
	uint64_t calls = 0, bad = 0, errno_bad = 0;
	for (long i = 0; i < n; i++) {
		chunk[0] = (char)i;
		errno = 4242;
		ssize_t w = write(pipefd[1], chunk, sizeof chunk);
		calls++;
		if (w != (ssize_t)sizeof chunk)
			bad++;
		else if (errno != 4242)
			errno_bad++;
	}
	rb_did(tally, RB_write, calls, 0);
	__atomic_store_n(&writer_done, 1, __ATOMIC_RELEASE);
	close(pipefd[1]);
	rb_did(tally, RB_close, 1, 0);
	return (void *)(bad * 2 + (errno_bad ? 1 : 0));
}

struct rd {
	uint64_t bytes, sum, calls;
};

static void *reader(void *arg)
{
	struct rd *r = arg;
	char buf[4096];
	for (;;) {
		ssize_t k = read(pipefd[0], buf, sizeof buf);
		r->calls++;
		if (k <= 0)
			break;
		for (ssize_t i = 0; i < k; i++)
			r->sum = r->sum * 31 + (unsigned char)buf[i];
		r->bytes += (uint64_t)k;
	}
	return NULL;
}

int main(int argc, char **argv)
{
	if (argc != 3)
		return 2;
	long n = atol(argv[1]);
	tally = rb_tally_new();
	devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
	rb_did(tally, RB_openat, 1, devnull < 0);
	int r = pipe(pipefd);
	rb_did(tally, RB_pipe2, 1, r != 0);
	if (devnull < 0 || r != 0)
		return 3;
	struct sigaction sa;
	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_usr1;
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);

	struct rd rd = {0, 0, 0};
	pthread_t tw, tr;
	pthread_create(&tr, NULL, reader, &rd);
	pthread_create(&tw, NULL, writer, (void *)n);
	long sent = 0;
	while (!__atomic_load_n(&writer_done, __ATOMIC_ACQUIRE)) {
		if (pthread_kill(tw, SIGUSR1) != 0)
			break;
		sent++;
		if (sent % 64 == 0)
			syscall(SYS_sched_yield); /* the harness pacing: raw, not counted */
	}
	void *wres;
	pthread_join(tw, &wres);
	pthread_join(tr, NULL);
	rb_did(tally, RB_read, rd.calls, 0);
	/* The handler's writes: counted or passed through, so not tallied
	 * here; NOTES says how many there were. */
	printf("bytes %llu checksum %016llx\n", (unsigned long long)rd.bytes,
	       (unsigned long long)rd.sum);
	printf("every write complete: %s\n", ((long)wres >> 1) == 0 ? "yes" : "no");
	printf("errno kept by write: %s\n", ((long)wres & 1) == 0 ? "yes" : "no");
	printf("handler ran: %s, its writes complete: %s\n", handled > 0 ? "yes" : "no",
	       handler_bad ? "no" : "yes");
	char notes[128];
	int k = snprintf(notes, sizeof notes, "handled %ld\nsent %ld\n", (long)handled, sent);
	int fd = rb_raw_open_append(argv[2]);
	rb_raw_write(fd, notes, (size_t)k);
	syscall(SYS_close, fd);
	char tally_path[4096];
	snprintf(tally_path, sizeof tally_path, "%s.tally", argv[2]);
	rb_tally_write(tally_path, tally);
	return 0;
}
