/*
 * rb_hostile - a same-user process attacking the segments of a running
 * syswatch session (issue 10, point 6): it cannot be kept out (the files
 * are its user's), so the collector must not believe it.
 *
 *   rb_hostile USERDIR SECONDS
 *
 * For SECONDS, over and over, every slot of every segment under USERDIR
 * (the files SESSION/PID.EPOCH.seg of /dev/shm/syswatch-UID) is, in turn:
 *   - flipped to EXITED, as it is (a harvested slot "exiting" again);
 *   - flipped to EXITED with a new generation (a phantom thread);
 *   - filled with impossible counters (errors > calls, 64-bit garbage
 *     counts and times, min > max, a histogram that does not add up, a
 *     negative thread id, huge drop counts), then flipped to EXITED.
 * Only slot contents are written, never the header (the shim's trust in
 * the header is another point of the issue). Prints what it did.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "syswatch/abi.h"

/* 64 bits of garbage from random() (seeded: a run can be replayed). */
static uint64_t next(void)
{
	return ((uint64_t)random() << 33) ^ ((uint64_t)random() << 11) ^ (uint64_t)random();
}

static unsigned long flips, phantoms, garbage;

static void attack_slot(uint8_t *base, const struct sw_seg_header *h, uint32_t i, unsigned round)
{
	uint8_t *slot = base + h->slots_offset + (uint64_t)i * h->slot_size;
	struct sw_slot_header *sh = (struct sw_slot_header *)slot;
	struct sw_counter *c = (struct sw_counter *)(slot + h->slot_header_size);
	switch (round % 3) {
	case 0:
		flips++;
		break;
	case 1:
		__atomic_fetch_add(&sh->gen, 1, __ATOMIC_RELAXED);
		phantoms++;
		break;
	default: {
		uint32_t row = (uint32_t)(next() % h->nrows);
		c[row].calls = next();
		c[row].errors = c[row].calls + 1 + (next() & 0xff);
		c[row].total = next();
		c[row].min = next() | 1;
		c[row].max = c[row].min >> 1;
		c[row].untimed = 0;
		for (unsigned k = 0; k < SW_HIST_BUCKETS; k++)
			c[row].hist[k] = next() >> 8;
		if (next() & 1)
			sh->tid = -(int32_t)(next() & 0xffff) - 1;
		sh->dropped[0] = next();
		__atomic_fetch_add(&sh->gen, 1, __ATOMIC_RELAXED);
		garbage++;
	}
	}
	__atomic_store_n(&sh->state, SW_SLOT_EXITED, __ATOMIC_RELEASE);
}

static void attack_file(int dirfd, const char *name, unsigned round)
{
	int fd = openat(dirfd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	struct stat st;
	if (fd < 0)
		return;
	if (fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(struct sw_seg_header)) {
		close(fd);
		return;
	}
	void *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return;
	/* A private copy of the header: the sizes we address by. */
	struct sw_seg_header h;
	memcpy(&h, m, sizeof(h));
	uint32_t used = __atomic_load_n(&((struct sw_seg_header *)m)->slots_used, __ATOMIC_RELAXED);
	if (h.magic == SW_SEG_MAGIC && h.nrows && h.slot_size &&
	    h.slot_header_size >= sizeof(struct sw_slot_header) &&
	    h.counter_size == sizeof(struct sw_counter)) {
		for (uint32_t i = 0; i < used && i < h.nslots; i++) {
			uint64_t end = h.slots_offset + (uint64_t)(i + 1) * h.slot_size;
			if (end <= (uint64_t)st.st_size)
				attack_slot(m, &h, i, round + i);
		}
	}
	munmap(m, (size_t)st.st_size);
}

static void attack_dir(const char *path, unsigned round, int depth)
{
	DIR *d = opendir(path);
	if (!d)
		return;
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		size_t n = strlen(de->d_name);
		if (de->d_type == DT_DIR && depth == 0) {
			char sub[4096];
			snprintf(sub, sizeof sub, "%s/%s", path, de->d_name);
			attack_dir(sub, round, 1);
		} else if (de->d_type == DT_REG && n > 4 && !strcmp(de->d_name + n - 4, ".seg")) {
			attack_file(dirfd(d), de->d_name, round);
		}
	}
	closedir(d);
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: rb_hostile USERDIR SECONDS\n");
		return 2;
	}
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	double limit = atof(argv[2]);
	srandom(42);
	unsigned round = 0;
	do {
		attack_dir(argv[1], round++, 0);
		usleep(200);
		clock_gettime(CLOCK_MONOTONIC, &t);
	} while ((double)(t.tv_sec - t0.tv_sec) + (double)(t.tv_nsec - t0.tv_nsec) / 1e9 < limit);
	printf("rb_hostile: %u rounds, %lu flips, %lu phantom threads, %lu garbage slots\n", round,
	       flips, phantoms, garbage);
	return 0;
}
