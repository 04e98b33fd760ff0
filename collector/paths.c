/* paths.c - placeholder until the --paths report is written. */
#include "paths.h"

int sw_paths_print(FILE *f, const struct sw_evtrace *t)
{
	(void)f;
	(void)t;
	return 0;
}

json_object *sw_paths_json(const struct sw_evtrace *t)
{
	(void)t;
	return json_object_new_object();
}
