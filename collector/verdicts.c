/* verdicts.c - placeholder until the rules are written. */
#include "verdicts.h"

int sw_verdicts_build(const struct sw_model *m, const struct sw_evtrace *t,
		      const struct sw_locks *l, struct sw_verdicts *out)
{
	(void)m;
	(void)t;
	(void)l;
	out->n = 0;
	return 0;
}

int sw_verdicts_print(FILE *f, const struct sw_verdicts *v, bool full)
{
	(void)f;
	(void)v;
	(void)full;
	return 0;
}

json_object *sw_verdicts_json(const struct sw_verdicts *v)
{
	(void)v;
	return json_object_new_array();
}
