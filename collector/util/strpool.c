/*
 * strpool.c - interned strings (see strpool.h): an open-addressing hash
 * table of pointers into big chunks that are never moved.
 */
#include "strpool.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define CHUNK_SIZE ((size_t)64 * 1024)

struct chunk {
	struct chunk *next;
	size_t used, size;
	char bytes[];
};

struct slot {
	const char *s; /* NULL: empty */
	uint64_t hash;
};

struct sw_strpool {
	struct chunk *chunks;
	struct slot *slots;
	size_t cap;   /* a power of two */
	size_t count;
};

static uint64_t hash_of(const char *s, size_t len)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ull;
	}
	return h;
}

struct sw_strpool *sw_strpool_new(void)
{
	struct sw_strpool *p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	p->cap = 1024;
	p->slots = calloc(p->cap, sizeof(*p->slots));
	if (!p->slots) {
		free(p);
		return NULL;
	}
	return p;
}

static char *store(struct sw_strpool *p, const char *s, size_t len)
{
	struct chunk *c = p->chunks;
	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;
		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = p->chunks;
		p->chunks = c;
	}
	char *d = c->bytes + c->used;
	memcpy(d, s, len);
	d[len] = '\0';
	c->used += len + 1;
	return d;
}

static int grow(struct sw_strpool *p)
{
	size_t cap = p->cap * 2;
	struct slot *v = calloc(cap, sizeof(*v));
	if (!v)
		return -1;
	for (size_t i = 0; i < p->cap; i++) {
		if (!p->slots[i].s)
			continue;
		size_t j = p->slots[i].hash & (cap - 1);
		while (v[j].s)
			j = (j + 1) & (cap - 1);
		v[j] = p->slots[i];
	}
	free(p->slots);
	p->slots = v;
	p->cap = cap;
	return 0;
}

const char *sw_strpool_intern(struct sw_strpool *p, const char *s, size_t len)
{
	len = strnlen(s, len);
	if (2 * (p->count + 1) > p->cap && grow(p) < 0)
		return NULL;
	uint64_t h = hash_of(s, len);
	size_t i = h & (p->cap - 1);
	while (p->slots[i].s) {
		if (p->slots[i].hash == h && strncmp(p->slots[i].s, s, len) == 0 &&
		    p->slots[i].s[len] == '\0')
			return p->slots[i].s;
		i = (i + 1) & (p->cap - 1);
	}
	char *d = store(p, s, len);
	if (!d)
		return NULL;
	p->slots[i] = (struct slot){d, h};
	p->count++;
	return d;
}

void sw_strpool_free(struct sw_strpool *p)
{
	if (!p)
		return;
	for (struct chunk *c = p->chunks, *n; c; c = n) {
		n = c->next;
		free(c);
	}
	free(p->slots);
	free(p);
}
