/* net.c - placeholder until the --net report is written. */
#include "net.h"

int sw_net_print(FILE *f, const struct sw_evtrace *t)
{
	(void)f;
	(void)t;
	return 0;
}

json_object *sw_net_json(const struct sw_evtrace *t)
{
	(void)t;
	return json_object_new_object();
}
