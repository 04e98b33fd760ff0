/*
 * tsc_ref.c - the boot-long TSC reference pair (see tsc_ref.h).
 *
 * The file is one line: "<boot id> <ticks> <monotonic ns> <suspend ns>",
 * the last the CLOCK_BOOTTIME - CLOCK_MONOTONIC gap when the pair was
 * taken. It is replaced atomically (a temporary file, then rename).
 */
#include "tsc_ref.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define BOOT_ID_LEN 36             /* a UUID */
/* The gap jitters by the bracket of its reading (microseconds, more if
 * preempted); a suspend and resume takes seconds. */
#define SUSPEND_SLACK_NS 50000000ull
#define LINE_MAX_LEN 128

/* The kernel's boot id into id (BOOT_ID_LEN + 1 bytes); 0 or -1. */
static int boot_id(char *id)
{
	int fd = open("/proc/sys/kernel/random/boot_id", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, id, BOOT_ID_LEN);
	close(fd);
	if (n != BOOT_ID_LEN)
		return -1;
	id[BOOT_ID_LEN] = '\0';
	for (int i = 0; i < BOOT_ID_LEN; i++)
		if (!(id[i] == '-' || (id[i] >= '0' && id[i] <= '9') ||
		      (id[i] >= 'a' && id[i] <= 'f')))
			return -1;
	return 0;
}

/* Time the machine spent suspended since boot, in ns: CLOCK_BOOTTIME -
 * CLOCK_MONOTONIC, read inside the tightest of three brackets so that a
 * preemption between the two readings does not look like a suspend. */
static uint64_t suspended_ns(void)
{
	uint64_t best = UINT64_MAX, gap = 0;
	for (int i = 0; i < 3; i++) {
		uint64_t b0 = sw_clock_ns(CLOCK_BOOTTIME);
		uint64_t m = sw_clock_ns(CLOCK_MONOTONIC);
		uint64_t b1 = sw_clock_ns(CLOCK_BOOTTIME);
		if (b1 - b0 < best) {
			best = b1 - b0;
			gap = b0 + (b1 - b0) / 2 > m ? b0 + (b1 - b0) / 2 - m : 0;
		}
	}
	return gap;
}

/* Read and check the saved pair; 0 with *ticks, *ns set, or -1. */
static int read_ref(const char *dir, uint64_t *ticks, uint64_t *ns)
{
	char path[512], line[LINE_MAX_LEN + 1], id[BOOT_ID_LEN + 1], want[BOOT_ID_LEN + 1];
	uint64_t susp;
	if (boot_id(want) < 0 ||
	    snprintf(path, sizeof(path), "%s/" SW_TSC_REF_NAME, dir) >= (int)sizeof(path))
		return -1;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, line, LINE_MAX_LEN);
	close(fd);
	if (n <= 0)
		return -1;
	line[n] = '\0';
	if (sscanf(line, "%36s %" SCNu64 " %" SCNu64 " %" SCNu64, id, ticks, ns, &susp) != 4 ||
	    strcmp(id, want) != 0)
		return -1;
	uint64_t now = suspended_ns();
	if (now > susp + SUSPEND_SLACK_NS || susp > now + SUSPEND_SLACK_NS)
		return -1; /* a suspend since: the TSC and monotonic parted */
	return 0;
}

bool sw_tsc_ref_load(struct sw_tsc_cal *c, const char *dir)
{
	uint64_t ticks, ns;
	if (read_ref(dir, &ticks, &ns) < 0)
		return false;
	return sw_tsc_cal_adopt(c, ticks, ns);
}

void sw_tsc_ref_save(const struct sw_tsc_cal *c, const char *dir, bool bad)
{
	char path[512], tmp[512], id[BOOT_ID_LEN + 1];
	uint64_t t, n;
	if (!bad && read_ref(dir, &t, &n) == 0)
		return; /* a valid older pair is there: keep it */
	if (boot_id(id) < 0 || c->own_ticks == 0 ||
	    snprintf(path, sizeof(path), "%s/" SW_TSC_REF_NAME, dir) >= (int)sizeof(path) ||
	    snprintf(tmp, sizeof(tmp), "%s/" SW_TSC_REF_NAME ".%d", dir, (int)getpid()) >=
		    (int)sizeof(tmp))
		return;
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		return;
	char line[LINE_MAX_LEN];
	int len = snprintf(line, sizeof(line), "%s %" PRIu64 " %" PRIu64 " %" PRIu64 "\n", id,
			   c->own_ticks, c->own_ns, suspended_ns());
	bool ok = len > 0 && len < (int)sizeof(line) && write(fd, line, (size_t)len) == len;
	ok = close(fd) == 0 && ok;
	if (!ok || rename(tmp, path) < 0)
		unlink(tmp);
}
