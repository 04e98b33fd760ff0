/*
 * verdicts_print.c - the verdicts as text (the short form every report
 * ends with, the full form of --diagnose) and as the JSON "verdicts"
 * array (see verdicts.h).
 */
#include "verdicts.h"

#include <errno.h>
#include <string.h>

#include "json_util.h"

#define WIDTH 78

/* Print text after a lead already printed (`col` columns wide), one
 * space after it, breaking between words at WIDTH and indenting the
 * following lines by `indent`. */
static void flow(FILE *f, size_t col, size_t indent, const char *text)
{
	const char *w = text + strspn(text, " ");
	bool line_start = false;
	while (*w) {
		size_t len = strcspn(w, " ");
		if (!line_start && col > indent && col + 1 + len > WIDTH) {
			fprintf(f, "\n%*s", (int)indent, "");
			col = indent;
			line_start = true;
		}
		if (!line_start) {
			fputc(' ', f);
			col++;
		}
		line_start = false;
		fwrite(w, 1, len, f);
		col += len;
		w += len;
		while (*w == ' ')
			w++;
	}
	fputc('\n', f);
}

int sw_verdicts_print(FILE *f, const struct sw_verdicts *v, bool full)
{
	if (!v->n)
		return 0;
	const struct sw_verdict *first = &v->v[0];
	bool none = strcmp(first->cause, SW_VERDICT_NONE) == 0;
	if (!full) {
		/* "none" evidence starts with "no clear cause:" itself. */
		int col = none ? fprintf(f, "verdict:")
			       : fprintf(f, "verdict: %s (%.2f):", first->cause,
					 first->confidence);
		flow(f, (size_t)(col > 0 ? col : 0), 9, first->evidence);
		if (v->n > 1) {
			fputs("         also:", f);
			for (size_t i = 1; i < v->n; i++)
				fprintf(f, "%s %s (%.2f)", i > 1 ? "," : "", v->v[i].cause,
					v->v[i].confidence);
			fputc('\n', f);
		}
		fputs("         (syswatch run|report --diagnose for the evidence)\n", f);
		return ferror(f) ? -EIO : 0;
	}
	fputs("\nVerdicts, strongest first:\n", f);
	for (size_t i = 0; i < v->n; i++) {
		const struct sw_verdict *e = &v->v[i];
		int col = strcmp(e->cause, SW_VERDICT_NONE) == 0
				  ? fprintf(f, "  no clear cause (%.2f):", e->confidence)
				  : fprintf(f, "  %zu. %s (%.2f):", i + 1, e->cause, e->confidence);
		flow(f, (size_t)(col > 0 ? col : 0), 6, e->evidence);
	}
	return ferror(f) ? -EIO : 0;
}

json_object *sw_verdicts_json(const struct sw_verdicts *v)
{
	json_object *arr = json_object_new_array();
	for (size_t i = 0; arr && i < v->n; i++) {
		json_object *o = json_object_new_object();
		bool ok = o && sw_json_put(o, "cause", json_object_new_string(v->v[i].cause)) &&
			  sw_json_put(o, "confidence", sw_json_num(v->v[i].confidence, 2)) &&
			  sw_json_put(o, "evidence", sw_json_str(v->v[i].evidence));
		if (!ok)
			json_object_put(o);
		/* sw_json_push frees o when it fails. */
		if (!ok || !sw_json_push(arr, o)) {
			json_object_put(arr);
			return NULL;
		}
	}
	return arr;
}
