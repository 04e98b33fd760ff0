/*
 * segment.c - creating this process's shared-memory segment.
 *
 * The file is <session>/<pid>.<epoch>.seg, created with O_EXCL|O_NOFOLLOW
 * (a planted file or link is never reused), mode 0600, in a session
 * directory that lives in the per-user directory of mode 0700. The header's
 * magic is written last: until then the collector treats the file as not
 * ready. The shim keeps no descriptor open (a program that closes every fd
 * with close_range cannot break it).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "shim.h"
#include "sud.h"
#include "sys.h"

/* Append the decimal form of v to p; returns the new end. */
static char *put_u64(char *p, unsigned long long v)
{
	char tmp[24];
	int n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

/* Field 22 (starttime) of /proc/self/stat: with the pid, names a process. */
static uint64_t proc_start_time(void)
{
	char buf[1024];
	long fd = sw__sys4(SYS_openat, AT_FDCWD, "/proc/self/stat", O_RDONLY | O_CLOEXEC, 0);
	if (fd < 0)
		return 0;
	long n = sw__sys3(SYS_read, fd, buf, sizeof buf - 1);
	sw__sys1(SYS_close, fd);
	if (n <= 0)
		return 0;
	buf[n] = 0;
	char *p = strrchr(buf, ')'); /* comm may contain spaces */
	if (p == NULL)
		return 0;
	int field = 2;
	for (; *p && field < 22; p++)
		if (*p == ' ')
			field++;
	uint64_t v = 0;
	while (*p >= '0' && *p <= '9')
		v = v * 10 + (uint64_t)(*p++ - '0');
	return v;
}

/* Fill a fresh (zeroed) header. Runs at start-up, after exec (the new
 * image's constructor) and in a fork child (init.c's atfork handler), never
 * on a wrapper path, so each image records its own working directory. */
static void fill_header(struct sw_seg_header *h, int pid, uint32_t epoch)
{
	h->abi_version = SW_ABI_VERSION;
	h->header_size = sizeof *h;
	h->slot_header_size = sizeof(struct sw_slot_header);
	h->counter_size = sizeof(struct sw_counter);
	h->nrows = SW_ROW_COUNT;
	h->nslots = sw__g.nslots;
	h->ring_size = sw__g.ring_size;
	h->slot_size = (uint32_t)((sizeof(struct sw_slot_header) +
				   SW_ROW_COUNT * sizeof(struct sw_counter) + sw__g.ring_size + 63) &
				  ~63ull);
	h->slots_offset = (sizeof *h + 4095) & ~4095ull;
	h->segment_size = sw__g.seg_size;
	h->pid = pid;
	h->ppid = (int)sw__sys0(SYS_getppid);
	h->epoch = epoch;
	h->clock = sw__use_tsc ? SW_CLOCK_TSC : SW_CLOCK_MONOTONIC;
	h->base_ticks = sw__ticks();
	h->base_mono_ns = clock_ns(CLOCK_MONOTONIC);
	h->base_real_ns = clock_ns(CLOCK_REALTIME);
	h->proc_start = proc_start_time();
	h->state = SW_SEG_RUNNING;
	h->exit_status = 0;
	h->reserved[SW_SEG_MODE_SLOT] = sw__g.complete ? SW_MODE_COMPLETE : SW_MODE_WRAPPERS;
	extern char *program_invocation_short_name;
	if (program_invocation_short_name != NULL)
		strncpy(h->comm, program_invocation_short_name, sizeof h->comm - 1);
	long n = sw__sys3(SYS_readlink, "/proc/self/exe", h->exe, sizeof h->exe - 1);
	if (n < 0)
		h->exe[0] = 0;
	/* The raw syscall: the kernel writes the path and its NUL, or fails
	 * (ERANGE when longer than cwd, ENOENT when removed) and leaves the
	 * fresh, zeroed field empty. An unreachable directory comes back as
	 * "(unreachable)/...": not a path, so dropped too. */
	n = sw__sys2(SYS_getcwd, h->cwd, sizeof h->cwd);
	if (n <= 0 || h->cwd[0] != '/')
		memset(h->cwd, 0, sizeof h->cwd);
}

int sw__segment_create(void)
{
	int pid = (int)sw__sys0(SYS_getpid);
	uint64_t slot_size = (sizeof(struct sw_slot_header) +
			      SW_ROW_COUNT * sizeof(struct sw_counter) + sw__g.ring_size + 63) &
			     ~63ull;
	uint64_t off = (sizeof(struct sw_seg_header) + 4095) & ~4095ull;
	sw__g.seg_size = off + slot_size * sw__g.nslots;

	char path[sizeof sw__g.session + 64];
	size_t sl = strnlen(sw__g.session, sizeof sw__g.session);
	long fd = -1;
	uint32_t epoch;
	for (epoch = 0; epoch < 1000; epoch++) {
		char *p = path;
		memcpy(p, sw__g.session, sl);
		p += sl;
		*p++ = '/';
		p = put_u64(p, (unsigned)pid);
		*p++ = '.';
		p = put_u64(p, epoch);
		memcpy(p, ".seg", 5);
		fd = sw__sys4(SYS_openat, AT_FDCWD, path,
			      O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd != -EEXIST)
			break;
	}
	if (fd < 0)
		return (int)fd;
	long r = sw__sys2(SYS_ftruncate, fd, sw__g.seg_size);
	void *m = r < 0 ? MAP_FAILED
			: (void *)sw__sys6(SYS_mmap, 0, (long)sw__g.seg_size, PROT_READ | PROT_WRITE,
					   MAP_SHARED, fd, 0);
	sw__sys1(SYS_close, fd);
	if (r < 0 || (unsigned long)m > -4096ul) {
		sw__sys1(SYS_unlink, path);
		return r < 0 ? (int)r : (int)(long)m;
	}
	struct sw_seg_header *h = m;
	fill_header(h, pid, epoch);
	__atomic_store_n(&h->magic, SW_SEG_MAGIC, __ATOMIC_RELEASE);
	sw__g.seg = h;
	return 0;
}

/* Forget the inherited mapping (in a fork child); the file stays. */
void sw__segment_drop(void)
{
	if (sw__g.seg != NULL)
		sw__sys2(SYS_munmap, sw__g.seg, sw__g.seg_size);
	sw__g.seg = NULL;
}
