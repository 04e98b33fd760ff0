/*
 * json_util.c - json-c helpers (see json_util.h).
 */
#include "json_util.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

json_object *sw_json_num(double v, int decimals)
{
	char buf[64];
	snprintf(buf, sizeof(buf), "%.*f", decimals, v);
	char *dot = strchr(buf, '.');
	if (dot) {
		char *end = buf + strlen(buf) - 1;
		while (end > dot + 1 && *end == '0')
			*end-- = '\0';
	}
	return json_object_new_double_s(v, buf);
}

/* Length of the valid UTF-8 sequence at s, or 0 if it is not one. */
static size_t utf8_len(const unsigned char *s)
{
	size_t n = s[0] < 0x80 ? 1 : (s[0] & 0xe0) == 0xc0 ? 2
		 : (s[0] & 0xf0) == 0xe0 ? 3 : (s[0] & 0xf8) == 0xf0 ? 4 : 0;
	if (n == 2 && s[0] < 0xc2)
		return 0; /* overlong */
	for (size_t i = 1; i < n; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	return n;
}

json_object *sw_json_str(const char *s)
{
	size_t len = strlen(s);
	char *copy = malloc(len + 1);
	if (!copy)
		return NULL;
	const unsigned char *p = (const unsigned char *)s;
	size_t o = 0;
	while (*p) {
		size_t n = utf8_len(p);
		if (n == 0) {
			copy[o++] = '?';
			p++;
			continue;
		}
		memcpy(copy + o, p, n);
		o += n;
		p += n;
	}
	copy[o] = '\0';
	json_object *j = json_object_new_string(copy);
	free(copy);
	return j;
}

bool sw_json_put(json_object *obj, const char *key, json_object *val)
{
	if (!val)
		return false;
	if (json_object_object_add(obj, key, val) != 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

bool sw_json_push(json_object *arr, json_object *val)
{
	if (!val)
		return false;
	if (json_object_array_add(arr, val) != 0) {
		json_object_put(val);
		return false;
	}
	return true;
}

bool sw_json_put_null(json_object *obj, const char *key)
{
	/* json-c's null is a NULL object */
	return json_object_object_add(obj, key, NULL) == 0;
}
