/*
 * gw_scribble - a same-user process that writes garbage into every
 * syswatch segment it finds, the way a buggy or hostile neighbour could.
 *
 *   gw_scribble DIR SECONDS
 *
 * For SECONDS, maps every DIR/<session>/<pid>.<epoch>.seg (DIR is the
 * per-user directory) and, in a loop, overwrites the header's geometry
 * (ring_size, slots_offset, slot_size, nslots, nrows, counter_size,
 * base_ticks) and, in each slot it can reach with the geometry it first
 * saw, the state, head and tail, with random values. Prints how many
 * segments and fields it scribbled.
 */
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

static uint64_t rnd(void)
{
	static uint64_t x = 0x9e3779b97f4a7c15ull;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return x;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long fields;

/* The geometry of each segment as first seen, before we scribbled it. */
static struct seen {
	char path[512];
	uint64_t off, size, n;
} seen[256];
static int nseen;

static struct seen *geometry(const char *path, const struct sw_seg_header *h)
{
	for (int i = 0; i < nseen; i++)
		if (strcmp(seen[i].path, path) == 0)
			return &seen[i];
	if (nseen == 256 || h->magic != SW_SEG_MAGIC)
		return NULL;
	struct seen *g = &seen[nseen++];
	if (snprintf(g->path, sizeof g->path, "%s", path) >= (int)sizeof g->path)
		return NULL;
	g->off = h->slots_offset;
	g->size = h->slot_size;
	g->n = h->nslots;
	return g;
}

/* Scribble over one segment file, mapped as big as it is. */
static int scribble(const char *path)
{
	int fd = open(path, O_RDWR | O_NOFOLLOW);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) < 0 || (size_t)st.st_size < sizeof(struct sw_seg_header)) {
		if (fd >= 0)
			close(fd);
		return 0;
	}
	uint8_t *m = mmap(NULL, (size_t)st.st_size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return 0;
	struct sw_seg_header *h = (struct sw_seg_header *)m;
	struct seen *g = geometry(path, h);
	if (g == NULL) {
		munmap(m, (size_t)st.st_size);
		return 0;
	}
	uint64_t off = g->off, size = g->size, n = g->n;
	uint32_t garbage[] = {0, 1, 63, 4096, 0xffffffffu, 0x7fffffffu, 12345};
	for (int k = 0; k < 64; k++) {
		uint32_t v = garbage[rnd() % (sizeof garbage / sizeof garbage[0])];
		switch (rnd() % 7) {
		case 0:
			h->ring_size = v;
			break;
		case 1:
			h->slots_offset = (uint64_t)v << (rnd() % 20);
			break;
		case 2:
			h->slot_size = v;
			break;
		case 3:
			h->nslots = v;
			break;
		case 4:
			h->nrows = v;
			break;
		case 5:
			h->counter_size = v;
			break;
		default:
			h->base_ticks = rnd();
			break;
		}
		fields++;
	}
	/* Slots, through the geometry seen at first, bounded by the file. */
	for (uint64_t i = 0;
	     size >= 4096 && i < n && i < 64 && off + (i + 1) * size <= (uint64_t)st.st_size; i++) {
		struct sw_slot_header *s = (struct sw_slot_header *)(m + off + i * size);
		s->state = (uint32_t)(rnd() % 4);
		s->tail = rnd() % 3 ? s->head + (rnd() % 100000) : rnd();
		s->head = rnd() % 2 ? s->head : rnd();
		fields += 3;
	}
	munmap(m, (size_t)st.st_size);
	return 1;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: gw_scribble DIR SECONDS\n");
		return 2;
	}
	double end = now() + atof(argv[2]);
	long segs = 0;
	while (now() < end) {
		DIR *d = opendir(argv[1]);
		struct dirent *de, *fe;
		while (d != NULL && (de = readdir(d)) != NULL) {
			char sess[256];
			if (de->d_name[0] == '.')
				continue;
			if (snprintf(sess, sizeof sess, "%s/%s", argv[1], de->d_name) >=
			    (int)sizeof sess)
				continue;
			DIR *s = opendir(sess);
			while (s != NULL && (fe = readdir(s)) != NULL) {
				size_t l = strlen(fe->d_name);
				char path[512];
				if (l < 4 || strcmp(fe->d_name + l - 4, ".seg") != 0)
					continue;
				if (snprintf(path, sizeof path, "%s/%s", sess, fe->d_name) >=
				    (int)sizeof path)
					continue;
				segs += scribble(path);
			}
			if (s != NULL)
				closedir(s);
		}
		if (d != NULL)
			closedir(d);
		usleep(200);
	}
	printf("scribbled %ld times over segments, %ld fields\n", segs, fields);
	return 0;
}
