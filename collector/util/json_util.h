/*
 * json_util.h - the small json-c helpers every JSON printer uses.
 */
#ifndef SW_COLLECTOR_JSON_UTIL_H
#define SW_COLLECTOR_JSON_UTIL_H

#include <json-c/json.h>
#include <stdbool.h>

/* A double written with at most `decimals` decimals, trailing zeros cut
 * (json-c would otherwise print 17 significant digits); NULL if out of
 * memory. */
json_object *sw_json_num(double v, int decimals);

/* A JSON string from bytes that may not be UTF-8 (a command name, a
 * path): invalid bytes become '?', so the document stays valid JSON. */
json_object *sw_json_str(const char *s);

/* Add key → val to obj; false (and val freed) on failure, or when val is
 * NULL (a failed constructor). */
bool sw_json_put(json_object *obj, const char *key, json_object *val);

/* Add key → null to obj. */
bool sw_json_put_null(json_object *obj, const char *key);

/* Append val to arr; false (and val freed) on failure or NULL val. */
bool sw_json_push(json_object *arr, json_object *val);

#endif
