/*
 * segment.c - segment files: checks, mapping, SIGBUS guard (segment.h).
 */
#include "segment.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "syswatch/rows.h"

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

int sw_seg_check_header(const struct sw_seg_header *h, uint64_t file_size,
			char *err, size_t errlen)
{
	if (h->magic == 0)
		return -EAGAIN;
	if (h->magic != SW_SEG_MAGIC)
		return bad(err, errlen, "bad magic 0x%016" PRIx64
			   " (not a syswatch segment)", (uint64_t)h->magic);
	if (h->abi_version != SW_ABI_VERSION)
		return bad(err, errlen, "ABI version %" PRIu32 ", this collector "
			   "reads version %u", h->abi_version, SW_ABI_VERSION);
	if (h->header_size != sizeof(struct sw_seg_header))
		return bad(err, errlen, "header_size %" PRIu32 ", expected %zu",
			   h->header_size, sizeof(struct sw_seg_header));
	if (h->slot_header_size != sizeof(struct sw_slot_header))
		return bad(err, errlen, "slot_header_size %" PRIu32
			   ", expected %zu", h->slot_header_size,
			   sizeof(struct sw_slot_header));
	if (h->counter_size != sizeof(struct sw_counter))
		return bad(err, errlen, "counter_size %" PRIu32 ", expected %zu",
			   h->counter_size, sizeof(struct sw_counter));
	if (h->nrows == 0 || h->nrows > SW_ROW_COUNT)
		return bad(err, errlen, "nrows %" PRIu32 " out of range 1..%d",
			   h->nrows, SW_ROW_COUNT);
	if (h->nslots == 0 || h->nslots > SW_SLOTS_MAX)
		return bad(err, errlen, "nslots %" PRIu32 " out of range 1..%u",
			   h->nslots, SW_SLOTS_MAX);
	if (h->ring_size < SW_RING_MIN || h->ring_size > SW_RING_MAX ||
	    (h->ring_size & (h->ring_size - 1)))
		return bad(err, errlen, "ring_size %" PRIu32 " is not a power "
			   "of two in %u..%u", h->ring_size, SW_RING_MIN,
			   SW_RING_MAX);
	uint64_t need = (uint64_t)h->slot_header_size +
			(uint64_t)h->nrows * h->counter_size + h->ring_size;
	if (h->slot_size % 64 || h->slot_size < need)
		return bad(err, errlen, "slot_size %" PRIu32 " must be a multiple "
			   "of 64 and at least %" PRIu64, h->slot_size, need);
	if (h->slots_offset < h->header_size || h->slots_offset % 64)
		return bad(err, errlen, "slots_offset %" PRIu64 " must be a "
			   "multiple of 64 past the header", h->slots_offset);
	/* Both factors are bounded above, so this cannot overflow. */
	uint64_t end = h->slots_offset + (uint64_t)h->nslots * h->slot_size;
	if (h->slots_offset > (1ull << 40) || end > h->segment_size)
		return bad(err, errlen, "%" PRIu32 " slots of %" PRIu32
			   " bytes at offset %" PRIu64 " do not fit in "
			   "segment_size %" PRIu64, h->nslots, h->slot_size,
			   h->slots_offset, h->segment_size);
	if (h->segment_size > file_size)
		return bad(err, errlen, "segment_size %" PRIu64 " is beyond the "
			   "file size %" PRIu64, h->segment_size, file_size);
	if (h->clock != SW_CLOCK_MONOTONIC && h->clock != SW_CLOCK_TSC)
		return bad(err, errlen, "unknown clock %" PRIu32, h->clock);
	if (h->state < SW_SEG_RUNNING || h->state > SW_SEG_RELEASED)
		return bad(err, errlen, "unknown state %" PRIu32, h->state);
	if (h->pid <= 0)
		return bad(err, errlen, "bad pid %" PRId32, h->pid);
	return 0;
}

int sw_seg_open(struct sw_seg *s, int dirfd, const char *name, int32_t pid,
		uint32_t epoch, char *err, size_t errlen)
{
	struct stat st;
	memset(s, 0, sizeof(*s));
	s->fd = -1;
	snprintf(s->name, sizeof(s->name), "%s", name);

	/* O_NONBLOCK: a FIFO planted under a segment name must not hang us. */
	int fd = openat(dirfd, name,
			O_RDWR | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		int e = errno;
		if (e == ELOOP)
			snprintf(err, errlen, "is a symbolic link: refused");
		else
			snprintf(err, errlen, "%s", strerror(e));
		return e == ENOENT ? -EAGAIN : -e;
	}
	int rc = -EINVAL;
	if (fstat(fd, &st) < 0) {
		rc = -errno;
		snprintf(err, errlen, "%s", strerror(errno));
		goto err_close;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "not a regular file: refused");
		goto err_close;
	}
	if (st.st_uid != geteuid()) {
		rc = -EPERM;
		snprintf(err, errlen, "owned by uid %u, not by us: refused",
			 (unsigned)st.st_uid);
		goto err_close;
	}
	if (st.st_mode & 0077) {
		rc = -EPERM;
		snprintf(err, errlen, "mode %04o, expected 0600: refused",
			 (unsigned)(st.st_mode & 07777));
		goto err_close;
	}
	if ((uint64_t)st.st_size < sizeof(struct sw_seg_header)) {
		rc = -EAGAIN; /* created, not yet sized */
		goto err_close;
	}
	ssize_t n = pread(fd, &s->hdr, sizeof(s->hdr), 0);
	if (n != (ssize_t)sizeof(s->hdr)) {
		rc = n < 0 ? -errno : -EAGAIN;
		snprintf(err, errlen, "cannot read the header");
		goto err_close;
	}
	rc = sw_seg_check_header(&s->hdr, (uint64_t)st.st_size, err, errlen);
	if (rc < 0)
		goto err_close;
	if (s->hdr.pid != pid || s->hdr.epoch != epoch) {
		rc = bad(err, errlen, "header says pid %" PRId32 " epoch %" PRIu32
			 ", the file name says otherwise", s->hdr.pid,
			 s->hdr.epoch);
		goto err_close;
	}
	s->map_len = s->hdr.slots_offset + (size_t)s->hdr.nslots * s->hdr.slot_size;
	void *map = mmap(NULL, s->map_len, PROT_READ | PROT_WRITE, MAP_SHARED,
			 fd, 0);
	if (map == MAP_FAILED) {
		rc = -errno;
		snprintf(err, errlen, "mmap: %s", strerror(errno));
		goto err_close;
	}
	s->map = map;
	s->fd = fd;
	s->hdr.comm[SW_COMM_LEN - 1] = '\0';
	s->hdr.exe[SW_EXE_LEN - 1] = '\0';
	return 0;

err_close:
	close(fd);
	return rc;
}

void sw_seg_close(struct sw_seg *s)
{
	if (s->map)
		munmap(s->map, s->map_len);
	if (s->fd >= 0)
		close(s->fd);
	s->map = NULL;
	s->fd = -1;
}

uint32_t sw_seg_slots_used(const struct sw_seg *s)
{
	uint32_t n = __atomic_load_n(&sw_seg_live(s)->slots_used,
				     __ATOMIC_ACQUIRE);
	return n < s->hdr.nslots ? n : s->hdr.nslots;
}

/* The guard in force, if any; the collector is single-threaded. */
static sigjmp_buf *volatile guard_jb;

static void on_sigbus(int sig, siginfo_t *si, void *uc)
{
	(void)si;
	(void)uc;
	if (guard_jb)
		siglongjmp(*guard_jb, 1);
	/* A SIGBUS outside any guard is a real bug: die of it. */
	signal(sig, SIG_DFL);
	raise(sig);
}

int sw_seg_guard(int (*fn)(void *), void *arg)
{
	static bool installed;
	if (!installed) {
		struct sigaction sa;
		memset(&sa, 0, sizeof(sa));
		sa.sa_sigaction = on_sigbus;
		sa.sa_flags = SA_SIGINFO | SA_NODEFER;
		sigemptyset(&sa.sa_mask);
		if (sigaction(SIGBUS, &sa, NULL) < 0)
			return -errno;
		installed = true;
	}
	sigjmp_buf jb;
	sigjmp_buf *prev = guard_jb;
	if (sigsetjmp(jb, 1)) {
		guard_jb = prev;
		return -EFAULT;
	}
	guard_jb = &jb;
	int rc = fn(arg);
	guard_jb = prev;
	return rc;
}
