/*
 * segment.c - creating this process's shared-memory segment.
 *
 * The file is <session>/<pid>.<epoch>.seg, created with O_EXCL|O_NOFOLLOW
 * (a planted file or link is never reused), mode 0600, in a session
 * directory that lives in the per-user directory of mode 0700. The header's
 * magic is written last: until then the collector treats the file as not
 * ready. The shim keeps no descriptor open (a program that closes every fd
 * with close_range cannot break it): a thread that needs a slot opens the
 * file again by its path, checks it is the same inode, reserves and maps
 * its slot, and closes it. Mapping slot by slot keeps the address space a
 * process pays for proportional to its threads (a 1 GB `ulimit -v` must
 * not notice us); reserving before mapping keeps a full tmpfs from killing
 * the program with SIGBUS: the thread runs uncounted instead, and says so
 * in the header.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
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
	h->slot_size = sw__g.slot_size;
	h->slots_offset = sw__g.slots_offset;
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
	h->mode = sw__g.complete ? SW_MODE_COMPLETE : SW_MODE_WRAPPERS;
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

/* The slot size for this run: header, every row's counters, the ring,
 * rounded to whole pages so that each slot can be mapped on its own. */
static uint32_t slot_bytes(void)
{
	uint64_t n = sizeof(struct sw_slot_header) + SW_ROW_COUNT * sizeof(struct sw_counter) +
		     sw__g.ring_size;
	return (uint32_t)((n + 4095) & ~4095ull);
}

/* Reserve the file's blocks for [off, off + len) so that no store into
 * its mapping can fault for want of space; 0, or a negative errno
 * (-ENOSPC: full). A filesystem that cannot reserve (EOPNOTSUPP: some
 * network and FUSE ones, where SYSWATCH_DIR may point) is used as it is,
 * unreserved, as before. */
static long reserve(long fd, uint64_t off, uint64_t len)
{
	long r = sw__sys4(SYS_fallocate, fd, 0, (long)off, (long)len);
	return r == -EOPNOTSUPP ? 0 : r;
}

/* Leave a note "<pid>.<epoch>.<why>-<errno>.fail" where the segment would
 * have been: an empty file (no data block, so it can be made in a full
 * tmpfs) whose name tells the collector why this process runs uncounted. */
static void note_failure(char *path, size_t seg_end, const char *why, long err)
{
	char *p = path + seg_end - 4; /* over ".seg" */
	*p++ = '.';
	while (*why)
		*p++ = *why++;
	*p++ = '-';
	p = put_u64(p, (unsigned long long)-err);
	memcpy(p, ".fail", 6);
	long fd = sw__sys4(SYS_openat, AT_FDCWD, path,
			   O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0)
		sw__sys1(SYS_close, fd);
}

/*
 * Create this process's segment: the file is sized for every slot (sparse:
 * a hole costs nothing), but only the header's pages are reserved and
 * mapped now; each slot is reserved and mapped when a thread first needs
 * it (sw__slot_map). A failure leaves a note for the collector and returns
 * a negative errno: the process then runs uncounted. Start-up and fork
 * child only.
 */
int sw__segment_create(void)
{
	int pid = (int)sw__sys0(SYS_getpid);
	sw__g.slot_size = slot_bytes();
	sw__g.slots_offset = (sizeof(struct sw_seg_header) + 4095) & ~4095ull;
	sw__g.hdr_map = sw__g.slots_offset;
	sw__g.seg_size = sw__g.slots_offset + (uint64_t)sw__g.slot_size * sw__g.nslots;
	sw__g.next_slot = 0;

	char *path = sw__g.seg_path;
	size_t sl = strnlen(sw__g.session, sizeof sw__g.session);
	if (sl + 48 > sizeof sw__g.seg_path)
		return -ENAMETOOLONG;
	long fd = -1;
	size_t end = 0;
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
		end = (size_t)(p + 4 - path);
		fd = sw__sys4(SYS_openat, AT_FDCWD, path,
			      O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd != -EEXIST)
			break;
	}
	if (fd < 0) {
		if (end)
			note_failure(path, end, "create", fd);
		return (int)fd;
	}
	const char *why = "size";
	struct stat st = {0}; /* filled by the raw syscall */
	long r = sw__sys2(SYS_ftruncate, fd, sw__g.seg_size);
	if (r == 0) {
		why = "reserve"; /* tmpfs full: ENOSPC now, not SIGBUS later */
		r = reserve(fd, 0, sw__g.hdr_map);
	}
	if (r == 0) {
		why = "stat";
		r = sw__sys2(SYS_fstat, fd, &st);
	}
	void *m = MAP_FAILED;
	if (r == 0) {
		why = "map";
		m = (void *)sw__sys6(SYS_mmap, 0, (long)sw__g.hdr_map, PROT_READ | PROT_WRITE,
				     MAP_SHARED, fd, 0);
		if ((unsigned long)m > -4096ul)
			r = (long)m;
	}
	sw__sys1(SYS_close, fd);
	if (r < 0) {
		sw__sys1(SYS_unlink, path);
		note_failure(path, end, why, r);
		return (int)r;
	}
	sw__g.seg_dev = st.st_dev;
	sw__g.seg_ino = st.st_ino;
	struct sw_seg_header *h = m;
	fill_header(h, pid, epoch);
	sw__g.base_ticks = h->base_ticks;
	__atomic_store_n(&h->magic, SW_SEG_MAGIC, __ATOMIC_RELEASE);
	sw__g.seg = h;
	return 0;
}

/* The slots this process has mapped, by index (each mapped once, kept for
 * the threads that reuse the slot after the collector freed it). */
static struct sw_slot_header *slot_maps[SW_SLOTS_MAX];

struct sw_slot_header *sw__slot_mapped(uint32_t i)
{
	return i < sw__g.nslots ? __atomic_load_n(&slot_maps[i], __ATOMIC_ACQUIRE) : NULL;
}

/* Open the segment file again, checking it is still the one we created
 * (a file put in its place is refused). A descriptor, or a negative errno. */
static long reopen_segment(void)
{
	long fd = sw__sys4(SYS_openat, AT_FDCWD, sw__g.seg_path,
			   O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK, 0);
	if (fd < 0)
		return fd;
	struct stat st = {0}; /* filled by the raw syscall */
	if (sw__sys2(SYS_fstat, fd, &st) != 0 || st.st_dev != sw__g.seg_dev ||
	    st.st_ino != sw__g.seg_ino) {
		sw__sys1(SYS_close, fd);
		return -ESTALE;
	}
	return fd;
}

struct sw_slot_header *sw__slot_map(uint32_t i, int *err)
{
	struct sw_slot_header *s = sw__slot_mapped(i);
	if (s != NULL || i >= sw__g.nslots)
		return s;
	long fd = reopen_segment();
	if (fd < 0) {
		*err = (int)fd;
		return NULL;
	}
	long off = (long)(sw__g.slots_offset + (uint64_t)i * sw__g.slot_size);
	/* Reserve the whole slot before the first store into it: a store
	 * into a page tmpfs cannot provide is a SIGBUS in the program. The
	 * collector reads every counter through its mapping, which would
	 * fill the holes anyway (a read fault on tmpfs allocates a page). */
	long r = reserve(fd, (uint64_t)off, sw__g.slot_size);
	void *m = MAP_FAILED;
	if (r == 0) {
		m = (void *)sw__sys6(SYS_mmap, 0, (long)sw__g.slot_size, PROT_READ | PROT_WRITE,
				     MAP_SHARED, fd, off);
		if ((unsigned long)m > -4096ul)
			r = (long)m;
	}
	sw__sys1(SYS_close, fd);
	if (r < 0) {
		*err = (int)r;
		return NULL;
	}
	struct sw_slot_header *expect = NULL;
	if (!__atomic_compare_exchange_n(&slot_maps[i], &expect, (struct sw_slot_header *)m, 0,
					 __ATOMIC_RELEASE, __ATOMIC_ACQUIRE)) {
		sw__sys2(SYS_munmap, m, sw__g.slot_size); /* mapped meanwhile */
		return expect;
	}
	return m;
}

/* Forget the inherited mappings (in a fork child); the file stays. */
void sw__segment_drop(void)
{
	for (uint32_t i = 0; i < sw__g.nslots; i++) {
		if (slot_maps[i] != NULL)
			sw__sys2(SYS_munmap, slot_maps[i], sw__g.slot_size);
		slot_maps[i] = NULL;
	}
	if (sw__g.seg != NULL)
		sw__sys2(SYS_munmap, sw__g.seg, sw__g.hdr_map);
	sw__g.seg = NULL;
}
