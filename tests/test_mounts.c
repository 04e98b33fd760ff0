/*
 * test_mounts.c - mountinfo parsing (untrusted text) and the mount a path
 * lives on.
 */
#include <criterion/criterion.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mounts.h"

static struct sw_mounts ms;

static void teardown(void)
{
	sw_mounts_free(&ms);
}

TestSuite(mounts, .fini = teardown);

static void parse(const char *text)
{
	cr_assert_eq(sw_mounts_parse(text, strlen(text), &ms), 0);
}

/* The mount point path is found on, or "" for none. */
static const char *point_of(const char *path)
{
	const struct sw_mount *m = sw_mounts_find(&ms, path);
	return m ? m->point : "";
}

static const char table[] =
	"27 1 254:0 / / rw,relatime - ext4 /dev/vda rw\n"
	"25 27 0:23 / /dev/shm rw,relatime - tmpfs tmpfs rw,size=100k\n"
	"40 27 0:40 / /mnt/a rw shared:7 master:2 - nfs4 srv:/export rw,vers=4.2\n"
	"41 27 0:41 / /mnt/with\\040space rw - fuse.sshfs me@host:/x\\134y rw\n"
	"42 25 0:42 / /dev/shm rw - tmpfs upper rw\n"
	"43 27 0:43 /sub /var/lib/docker/overlay2/m rw - overlay overlay rw,lowerdir=/l\n";

Test(mounts, fields_and_optional_fields_are_parsed)
{
	parse(table);
	cr_assert_eq(ms.n, 6);
	cr_assert_eq(ms.skipped, 0);
	cr_assert_str_eq(ms.mounts[0].point, "/");
	cr_assert_str_eq(ms.mounts[0].fstype, "ext4");
	cr_assert_str_eq(ms.mounts[0].source, "/dev/vda");
	/* two optional fields before the "-" */
	cr_assert_str_eq(ms.mounts[2].point, "/mnt/a");
	cr_assert_str_eq(ms.mounts[2].fstype, "nfs4");
	cr_assert_str_eq(ms.mounts[2].source, "srv:/export");
	cr_assert_str_eq(ms.mounts[5].fstype, "overlay");
}

Test(mounts, octal_escapes_are_decoded)
{
	parse(table);
	cr_assert_str_eq(ms.mounts[3].point, "/mnt/with space");
	cr_assert_str_eq(ms.mounts[3].source, "me@host:/x\\y");
	cr_assert_str_eq(point_of("/mnt/with space/f"), "/mnt/with space");
}

Test(mounts, longest_prefix_in_whole_components)
{
	parse(table);
	cr_assert_str_eq(point_of("/mnt/a"), "/mnt/a");
	cr_assert_str_eq(point_of("/mnt/a/b/c"), "/mnt/a");
	cr_assert_str_eq(point_of("/mnt/ab"), "/", "a string prefix is no mount prefix");
	cr_assert_str_eq(point_of("/mnt/ab/c"), "/");
	cr_assert_str_eq(point_of("/mnt"), "/");
	cr_assert_str_eq(point_of("/etc/passwd"), "/");
	cr_assert_str_eq(point_of("/"), "/");
	/* redundant slashes and "." components do not matter */
	cr_assert_str_eq(point_of("//mnt///a/./x"), "/mnt/a");
	cr_assert_str_eq(point_of("/./dev/shm"), "/dev/shm");
}

Test(mounts, stacked_mounts_the_upper_one_wins)
{
	parse(table);
	const struct sw_mount *m = sw_mounts_find(&ms, "/dev/shm/x");
	cr_assert_not_null(m);
	cr_assert_str_eq(m->source, "upper");
}

Test(mounts, relative_paths_and_empty_tables_have_no_mount)
{
	parse(table);
	cr_assert_null(sw_mounts_find(&ms, "etc/passwd"));
	cr_assert_null(sw_mounts_find(&ms, ""));
	cr_assert_null(sw_mounts_find(&ms, NULL));
	sw_mounts_free(&ms);
	parse("");
	cr_assert_eq(ms.n, 0);
	cr_assert_null(sw_mounts_find(&ms, "/etc"));
}

Test(mounts, garbage_lines_are_skipped_and_counted)
{
	parse("27 1 254:0 / / rw - ext4 /dev/vda rw\n"
	      "\n"
	      "no dash here at all but plenty of fields in it ok\n"
	      "1 2 3 4 relative rw - ext4 src rw\n"
	      "1 2 3 4 /x rw a b c d e -\n"
	      "1 2 3 4 /x rw - ext4\n"
	      "-\n"
	      "\\\\\\ \\0 \\777 \\000 - - - - - -\n"
	      "1 2 3 4 /ok rw - xfs /dev/sdb rw"); /* no final newline */
	cr_assert_eq(ms.n, 2);
	cr_assert_eq(ms.skipped, 6);
	cr_assert_str_eq(ms.mounts[1].point, "/ok");
	cr_assert_str_eq(ms.mounts[1].fstype, "xfs");
}

Test(mounts, bad_escapes_and_nul_bytes_stay_harmless)
{
	static const char text[] = "1 2 3 4 /a\\000b\\08 rw - t\\9 s\\ rw\n"
				   "1 2 3 4 /n\0ul rw - ext4 src rw\n"
				   "1 2 3 4 /after rw - ext4 src rw\n";
	cr_assert_eq(sw_mounts_parse(text, sizeof(text) - 1, &ms), 0);
	cr_assert_eq(ms.n, 2, "n = %zu", ms.n);
	cr_assert_str_eq(ms.mounts[0].point, "/a\\000b\\08");
	cr_assert_str_eq(ms.mounts[0].fstype, "t\\9");
	cr_assert_str_eq(ms.mounts[1].point, "/after");
	cr_assert_eq(ms.skipped, 1, "the line cut by a NUL is malformed");
}

Test(mounts, random_bytes_never_crash)
{
	char buf[4096];
	srand(12345);
	for (int round = 0; round < 2000; round++) {
		size_t n = (size_t)(rand() % (int)sizeof(buf));
		static const char alphabet[] = "0123456789 /\\-\n\tabc\0";
		for (size_t i = 0; i < n; i++)
			buf[i] = alphabet[rand() % (int)(sizeof(alphabet) - 1)];
		cr_assert_eq(sw_mounts_parse(buf, n, &ms), 0);
		for (size_t i = 0; i < ms.n; i++) {
			cr_assert_eq(ms.mounts[i].point[0], '/');
			(void)sw_mounts_find(&ms, ms.mounts[i].point);
		}
		sw_mounts_free(&ms);
	}
}

Test(mounts, this_machines_root_is_found)
{
	int rc = sw_mounts_read(NULL, &ms);
	if (rc == -ENOENT) {
		printf("SKIPPED: no /proc/self/mountinfo\n");
		cr_skip_test("no /proc/self/mountinfo");
	}
	cr_assert_eq(rc, 0, "read: %s", strerror(-rc));
	cr_assert_gt(ms.n, 0);
	cr_assert_not_null(sw_mounts_find(&ms, "/"));
	sw_mounts_free(&ms);
	cr_assert_eq(sw_mounts_read("/nonexistent/mountinfo", &ms), -ENOENT);
	cr_assert_eq(ms.n, 0);
}
