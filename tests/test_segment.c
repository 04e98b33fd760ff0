/*
 * test_segment.c - segment files and their directories are untrusted:
 * every malformed header field is refused with a message naming it, a
 * header still being written is "not ready", and symlinks, FIFOs, foreign
 * modes planted as the per-user directory or as a segment are refused.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "segment.h"
#include "session.h"
#include "syswatch/rows.h"

static char dir[] = "/tmp/sw_test_segment_XXXXXX";
static int tdirfd;

static void setup(void)
{
	cr_assert_not_null(mkdtemp(dir));
	tdirfd = open(dir, O_RDONLY | O_DIRECTORY);
	cr_assert_geq(tdirfd, 0);
}

static void teardown(void)
{
	close(tdirfd);
	char cmd[256];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	cr_assert_eq(system(cmd), 0);
}

TestSuite(segment, .init = setup, .fini = teardown);
TestSuite(session, .init = setup, .fini = teardown);

/* A header a correct shim would write (2 slots of 4 KiB rings). */
static struct sw_seg_header good(void)
{
	struct sw_seg_header h;
	memset(&h, 0, sizeof(h));
	h.magic = SW_SEG_MAGIC;
	h.abi_version = SW_ABI_VERSION;
	h.header_size = sizeof(struct sw_seg_header);
	h.slot_header_size = sizeof(struct sw_slot_header);
	h.counter_size = sizeof(struct sw_counter);
	h.nrows = SW_ROW_COUNT;
	h.nslots = 2;
	h.ring_size = SW_RING_MIN;
	h.slot_size = (uint32_t)((sizeof(struct sw_slot_header) +
				  SW_ROW_COUNT * sizeof(struct sw_counter) +
				  SW_RING_MIN + 63) & ~63ul);
	h.slots_offset = 4096;
	h.segment_size = h.slots_offset + (uint64_t)h.nslots * h.slot_size;
	h.pid = 1234;
	h.ppid = 1;
	h.clock = SW_CLOCK_MONOTONIC;
	h.state = SW_SEG_RUNNING;
	strcpy(h.comm, "prog");
	return h;
}

Test(segment, a_good_header_is_accepted)
{
	struct sw_seg_header h = good();
	char err[256] = "";
	cr_assert_eq(sw_seg_check_header(&h, h.segment_size, err, sizeof(err)), 0,
		     "%s", err);
}

Test(segment, magic_zero_is_not_ready_yet)
{
	struct sw_seg_header h = good();
	h.magic = 0;
	char err[256];
	cr_assert_eq(sw_seg_check_header(&h, h.segment_size, err, sizeof(err)),
		     -EAGAIN);
}

static void set_magic(struct sw_seg_header *h) { h->magic = 0x1234; }
/* An older segment (version 1, before the cwd was added) is refused by name. */
static void set_version(struct sw_seg_header *h) { h->abi_version = 1; }
static void set_hsize(struct sw_seg_header *h) { h->header_size = 8; }
static void set_shsize(struct sw_seg_header *h) { h->slot_header_size += 64; }
static void set_csize(struct sw_seg_header *h) { h->counter_size = 16; }
static void set_nrows(struct sw_seg_header *h) { h->nrows = SW_ROW_COUNT + 1; }
static void set_nrows0(struct sw_seg_header *h) { h->nrows = 0; }
static void set_nslots(struct sw_seg_header *h) { h->nslots = SW_SLOTS_MAX + 1; }
static void set_nslots0(struct sw_seg_header *h) { h->nslots = 0; }
static void set_ring_pow2(struct sw_seg_header *h) { h->ring_size = 5000; }
static void set_ring_small(struct sw_seg_header *h) { h->ring_size = 2048; }
static void set_ring_big(struct sw_seg_header *h) { h->ring_size = 2 * SW_RING_MAX; }
static void set_slot_small(struct sw_seg_header *h) { h->slot_size -= 64; }
static void set_slot_align(struct sw_seg_header *h) { h->slot_size += 8; }
static void set_off_align(struct sw_seg_header *h) { h->slots_offset = 4100; }
static void set_off_inside(struct sw_seg_header *h) { h->slots_offset = 0; }
static void set_off_huge(struct sw_seg_header *h) { h->slots_offset = ~0ull & ~63ull; }
static void set_segsize(struct sw_seg_header *h) { h->segment_size -= 1; }
static void set_clock(struct sw_seg_header *h) { h->clock = 9; }
static void set_state(struct sw_seg_header *h) { h->state = 0; }
static void set_pid(struct sw_seg_header *h) { h->pid = -5; }

Test(segment, each_malformed_field_is_refused_by_name)
{
	static const struct {
		void (*mutate)(struct sw_seg_header *);
		const char *says;
	} cases[] = {
		{set_magic, "bad magic"},
		{set_version, "ABI version 1,"},
		{set_hsize, "header_size"},
		{set_shsize, "slot_header_size"},
		{set_csize, "counter_size"},
		{set_nrows, "nrows"},
		{set_nrows0, "nrows"},
		{set_nslots, "nslots"},
		{set_nslots0, "nslots"},
		{set_ring_pow2, "ring_size"},
		{set_ring_small, "ring_size"},
		{set_ring_big, "ring_size"},
		{set_slot_small, "slot_size"},
		{set_slot_align, "slot_size"},
		{set_off_align, "slots_offset"},
		{set_off_inside, "slots_offset"},
		{set_off_huge, "do not fit"},
		{set_segsize, "do not fit"},
		{set_clock, "clock"},
		{set_state, "state"},
		{set_pid, "pid"},
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct sw_seg_header h = good();
		char err[256] = "";
		cases[i].mutate(&h);
		cr_assert_eq(sw_seg_check_header(&h, 1ull << 40, err, sizeof(err)),
			     -EINVAL, "case %zu (%s) accepted", i, cases[i].says);
		cr_assert(strstr(err, cases[i].says), "case %zu: '%s' lacks '%s'", i,
			  err, cases[i].says);
	}
}

Test(segment, segment_beyond_the_file_is_refused)
{
	struct sw_seg_header h = good();
	char err[256];
	cr_assert_eq(sw_seg_check_header(&h, h.segment_size - 1, err, sizeof(err)),
		     -EINVAL);
	cr_assert(strstr(err, "beyond the file size"), "%s", err);
}

/* Write a segment file `name` holding h, sized to its segment_size. */
static void write_seg(const char *name, const struct sw_seg_header *h,
		      mode_t mode)
{
	int fd = openat(tdirfd, name, O_RDWR | O_CREAT | O_EXCL, 0600);
	cr_assert_geq(fd, 0);
	cr_assert_eq(ftruncate(fd, (off_t)h->segment_size), 0);
	cr_assert_eq(pwrite(fd, h, sizeof(*h), 0), (ssize_t)sizeof(*h));
	cr_assert_eq(fchmod(fd, mode), 0);
	close(fd);
}

Test(segment, opens_and_maps_a_good_file)
{
	struct sw_seg_header h = good();
	write_seg("1234.0.seg", &h, 0600);
	struct sw_seg s;
	char err[256] = "";
	cr_assert_eq(sw_seg_open(&s, tdirfd, "1234.0.seg", 1234, 0, err, sizeof(err)),
		     0, "%s", err);
	cr_assert_eq(s.map_len, h.segment_size);
	cr_assert_str_eq(sw_seg_live(&s)->comm, "prog");
	/* Slot 1's ring ends exactly inside the mapping. */
	uint8_t *end = sw_seg_ring(&s, 1) + h.ring_size;
	cr_assert_leq(end, s.map + s.map_len);
	cr_assert_eq(sw_seg_slots_used(&s), 0);
	sw_seg_live(&s)->slots_used = 99; /* clamped to nslots */
	cr_assert_eq(sw_seg_slots_used(&s), 2);
	sw_seg_close(&s);
}

Test(segment, a_symlink_planted_as_a_segment_is_refused)
{
	struct sw_seg_header h = good();
	write_seg("target", &h, 0600);
	cr_assert_eq(symlinkat("target", tdirfd, "1234.0.seg"), 0);
	struct sw_seg s;
	char err[256] = "";
	cr_assert_lt(sw_seg_open(&s, tdirfd, "1234.0.seg", 1234, 0, err, sizeof(err)), 0);
	cr_assert(strstr(err, "symbolic link"), "%s", err);
}

Test(segment, a_fifo_is_refused_without_hanging)
{
	cr_assert_eq(mkfifoat(tdirfd, "1234.0.seg", 0600), 0);
	struct sw_seg s;
	char err[256] = "";
	cr_assert_lt(sw_seg_open(&s, tdirfd, "1234.0.seg", 1234, 0, err, sizeof(err)), 0);
	cr_assert(strstr(err, "not a regular file"), "%s", err);
}

Test(segment, a_file_others_can_write_is_refused)
{
	struct sw_seg_header h = good();
	write_seg("1234.0.seg", &h, 0666);
	struct sw_seg s;
	char err[256] = "";
	cr_assert_eq(sw_seg_open(&s, tdirfd, "1234.0.seg", 1234, 0, err, sizeof(err)),
		     -EPERM);
	cr_assert(strstr(err, "0666"), "%s", err);
}

Test(segment, a_short_file_is_not_ready)
{
	int fd = openat(tdirfd, "1234.0.seg", O_RDWR | O_CREAT, 0600);
	cr_assert_eq(ftruncate(fd, 100), 0);
	close(fd);
	struct sw_seg s;
	char err[256] = "";
	cr_assert_eq(sw_seg_open(&s, tdirfd, "1234.0.seg", 1234, 0, err, sizeof(err)),
		     -EAGAIN);
}

Test(segment, the_name_must_match_the_header)
{
	struct sw_seg_header h = good();
	write_seg("999.0.seg", &h, 0600);
	struct sw_seg s;
	char err[256] = "";
	cr_assert_eq(sw_seg_open(&s, tdirfd, "999.0.seg", 999, 0, err, sizeof(err)),
		     -EINVAL);
	cr_assert(strstr(err, "pid 1234"), "%s", err);
}

static int touch_past_end(void *arg)
{
	volatile uint8_t *p = arg;
	return p[0];
}

Test(segment, a_file_truncated_under_us_is_caught)
{
	struct sw_seg_header h = good();
	write_seg("1234.0.seg", &h, 0600);
	struct sw_seg s;
	char err[256] = "";
	cr_assert_eq(sw_seg_open(&s, tdirfd, "1234.0.seg", 1234, 0, err, sizeof(err)), 0);
	cr_assert_eq(ftruncate(s.fd, 4096), 0);
	/* The last page is now beyond the end of the file: SIGBUS. */
	cr_assert_eq(sw_seg_guard(touch_past_end, s.map + s.map_len - 1), -EFAULT);
	/* And the guard still works a second time. */
	cr_assert_eq(sw_seg_guard(touch_past_end, s.map + s.map_len - 1), -EFAULT);
	sw_seg_close(&s);
}

Test(session, segment_names_parse)
{
	int32_t pid;
	uint32_t epoch;
	cr_assert_eq(sw_seg_name_parse("1234.0.seg", &pid, &epoch), 0);
	cr_assert_eq(pid, 1234);
	cr_assert_eq(epoch, 0);
	cr_assert_eq(sw_seg_name_parse("7.12.seg", &pid, &epoch), 0);
	cr_assert_eq(epoch, 12);
	static const char *const bad[] = {
		"", ".seg", "1234.seg", "1234.0.seg.tmp", "a.0.seg", "0.0.seg",
		"1234..seg", "1234.0.sex", "99999999999.0.seg", "-1.0.seg",
		"1234.0.seg/", "1234.99999999999.seg",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		cr_assert_eq(sw_seg_name_parse(bad[i], &pid, &epoch), -EINVAL,
			     "'%s' accepted", bad[i]);
}

Test(session, the_user_dir_is_created_private)
{
	char path[512], err[256] = "";
	snprintf(path, sizeof(path), "%s/user", dir);
	cr_assert_eq(sw_userdir_ensure(path, err, sizeof(err)), 0, "%s", err);
	struct stat st;
	cr_assert_eq(lstat(path, &st), 0);
	cr_assert(S_ISDIR(st.st_mode));
	cr_assert_eq(st.st_mode & 07777, 0700);
	/* Again: it exists and is fine. */
	cr_assert_eq(sw_userdir_ensure(path, err, sizeof(err)), 0, "%s", err);
}

Test(session, a_symlink_planted_as_the_user_dir_is_refused)
{
	char path[512], target[512], err[256] = "";
	snprintf(target, sizeof(target), "%s/elsewhere", dir);
	snprintf(path, sizeof(path), "%s/user", dir);
	cr_assert_eq(mkdir(target, 0700), 0);
	cr_assert_eq(symlink(target, path), 0);
	cr_assert_eq(sw_userdir_ensure(path, err, sizeof(err)), -ELOOP);
	cr_assert(strstr(err, "symbolic link"), "%s", err);
}

Test(session, a_user_dir_with_a_loose_mode_is_refused)
{
	char path[512], err[256] = "";
	snprintf(path, sizeof(path), "%s/user", dir);
	cr_assert_eq(mkdir(path, 0700), 0);
	cr_assert_eq(chmod(path, 0777), 0);
	cr_assert_eq(sw_userdir_ensure(path, err, sizeof(err)), -EPERM);
	cr_assert(strstr(err, "0777"), "%s", err);
}

Test(session, a_file_as_the_user_dir_is_refused)
{
	char path[512], err[256] = "";
	snprintf(path, sizeof(path), "%s/user", dir);
	int fd = open(path, O_CREAT | O_WRONLY, 0600);
	close(fd);
	cr_assert_eq(sw_userdir_ensure(path, err, sizeof(err)), -ENOTDIR);
}

static int count_names(void *arg, const char *name, int32_t pid, uint32_t epoch)
{
	(void)name;
	(void)pid;
	(void)epoch;
	(*(int *)arg)++;
	return 0;
}

Test(session, create_scan_and_remove)
{
	struct sw_session s = {.dirfd = -1};
	char err[256] = "";
	cr_assert_eq(sw_session_create(&s, dir, err, sizeof(err)), 0, "%s", err);
	struct stat st;
	cr_assert_eq(lstat(s.path, &st), 0);
	cr_assert_eq(st.st_mode & 07777, 0700);
	struct sw_seg_header h = good();
	int fd = openat(s.dirfd, "1234.0.seg", O_CREAT | O_WRONLY, 0600);
	cr_assert_eq(pwrite(fd, &h, sizeof(h), 0), (ssize_t)sizeof(h));
	close(fd);
	close(openat(s.dirfd, "notes.txt", O_CREAT | O_WRONLY, 0600));
	int n = 0;
	cr_assert_eq(sw_session_scan(&s, count_names, &n), 0);
	cr_assert_eq(n, 1, "only segment names are reported");
	unlinkat(s.dirfd, "notes.txt", 0);
	cr_assert_eq(sw_session_remove(&s), 0);
	cr_assert_neq(lstat(s.path, &st), 0);
	sw_session_close(&s);
}

Test(session, a_symlink_as_the_session_is_refused)
{
	char path[512], target[512], err[256] = "";
	snprintf(target, sizeof(target), "%s/real", dir);
	snprintf(path, sizeof(path), "%s/s1-abc", dir);
	cr_assert_eq(mkdir(target, 0700), 0);
	cr_assert_eq(symlink(target, path), 0);
	struct sw_session s = {.dirfd = -1};
	cr_assert_lt(sw_session_open(&s, path, err, sizeof(err)), 0);
	cr_assert(strstr(err, "symbolic link"), "%s", err);
}
