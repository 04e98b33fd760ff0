/*
 * filter.c - parse strace's selectors and answer what they select (see
 * filter.h). Parsing works on the rows of include/syswatch/rows.h; a
 * trace read later is matched by row name.
 */
#include "filter.h"
#include "syswatch/calls.h"

#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

static const struct {
	const char *name;
	uint32_t cls;   /* enum sw_class */
	uint32_t flags; /* SW_ROWF_* */
} rows[SW_ROW_COUNT] = {
#define ROW_DEF(id, name, cls, flags) [SW_ROW_##id] = {name, cls, flags},
	SW_ROWS(ROW_DEF)
#undef ROW_DEF
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return -EINVAL;
}

static int row_id(const char *name)
{
	for (int r = 0; r < SW_ROW_COUNT; r++)
		if (strcmp(rows[r].name, name) == 0)
			return r;
	return -1;
}

/* Select into sel the rows one VALUE of a trace set names (its '?' and
 * '@' already stripped): 1 if the value is valid (a class, a regex or all
 * may select none of our rows), 0 for an unknown name, or -EINVAL. */
static int trace_value(const char *v, uint8_t *sel, bool *others, char *err,
		       size_t errlen)
{
	if (strcmp(v, "all") == 0) {
		memset(sel, 1, SW_ROW_COUNT);
		*others = true;
		return SW_ROW_COUNT;
	}
	if (strcmp(v, "none") == 0)
		return 1; /* valid, and selects nothing */
	if (v[0] == '/') {
		regex_t re;
		int rc = regcomp(&re, v + 1, REG_EXTENDED | REG_NOSUB);
		if (rc != 0) {
			char why[128];
			regerror(rc, &re, why, sizeof(why));
			return fail(err, errlen, "-e trace: bad regular expression "
				    "'%s': %s", v + 1, why);
		}
		for (int r = 0; r < SW_ROW_COUNT; r++)
			if (regexec(&re, rows[r].name, 0, NULL, 0) == 0)
				sel[r] = 1;
		regfree(&re);
		return 1; /* valid even if it matches none of our rows */
	}
	bool pct = v[0] == '%';
	if (pct && strcmp(v + 1, "lock") == 0) {
		for (int r = 0; r < SW_ROW_COUNT; r++)
			if (rows[r].cls == SW_CLASS_LOCK)
				sel[r] = 1;
		return 1;
	}
	unsigned cls = sw_sel_class_parse(pct ? v + 1 : v, !pct);
	if (cls) {
		for (int r = 0; r < SW_ROW_COUNT; r++) {
			unsigned c;
			int nr;
			if (sw_sel_lookup(rows[r].name, &c, &nr) == 0 && (c & cls))
				sel[r] = 1;
		}
		return 1; /* a known class is valid even if no row is in it */
	}
	if (pct)
		return fail(err, errlen, "-e trace: unknown class '%s' (%%file, "
			    "%%desc, %%network, %%process, %%memory, %%ipc, "
			    "%%signal, %%lock, ...)", v);
	int r = row_id(v);
	if (r < 0)
		return 0;
	sel[r] = 1;
	return 1;
}

int sw_filter_trace(struct sw_filter *f, const char *set, char *err,
		    size_t errlen)
{
	uint8_t sel[SW_ROW_COUNT] = {0};
	bool others = false, negate = set[0] == '!';
	char v[256];
	const char *p = set + negate;
	if (*p == '\0')
		return fail(err, errlen, "-e trace: empty set");
	for (;;) {
		size_t len = strcspn(p, ",");
		if (len == 0 || len >= sizeof(v))
			return fail(err, errlen, "-e trace: %s value in '%s'",
				    len ? "overlong" : "empty", set);
		memcpy(v, p, len);
		v[len] = '\0';
		bool quiet = v[0] == '?';
		char *val = v + quiet, *at = strrchr(val, '@');
		bool other_arch = false;
		if (at && val[0] != '/') {
			if (strcmp(at, "@64") != 0 && strcmp(at, "@32") != 0 &&
			    strcmp(at, "@x32") != 0)
				return fail(err, errlen, "-e trace: unknown personality "
					    "'%s' (@64, @32 or @x32)", at);
			other_arch = strcmp(at, "@64") != 0;
			*at = '\0';
		}
		uint8_t one[SW_ROW_COUNT] = {0};
		bool one_others = false;
		int n = trace_value(val, one, &one_others, err, errlen);
		if (n < 0)
			return n;
		if (n == 0 && !quiet)
			return fail(err, errlen, "-e trace: syswatch has no row '%s' "
				    "(rows are named as strace names syscalls; "
				    "'?%s' ignores it)", val, val);
		if (!other_arch) { /* x86-64 only: @32, @x32 select nothing */
			for (int r = 0; r < SW_ROW_COUNT; r++)
				sel[r] |= one[r];
			others |= one_others;
		}
		p += len;
		if (*p == '\0')
			break;
		p++;
	}
	for (int r = 0; r < SW_ROW_COUNT; r++)
		f->rows[r] = negate ? !sel[r] : sel[r];
	f->others = negate ? !others : others;
	f->trace_set = true;
	return 0;
}

static const struct {
	const char *name;
	unsigned bits;
} statuses[] = {
	{"successful", SW_ST_SUCCESSFUL}, {"failed", SW_ST_FAILED},
	{"unfinished", SW_ST_UNFINISHED}, {"unavailable", SW_ST_UNAVAILABLE},
	{"detached", SW_ST_DETACHED},     {"all", SW_ST_ALL},
	{"none", 0},
};

int sw_filter_status(struct sw_filter *f, const char *set, char *err,
		     size_t errlen)
{
	bool negate = set[0] == '!';
	unsigned bits = 0;
	const char *p = set + negate;
	for (;;) {
		size_t len = strcspn(p, ",");
		size_t i, n = sizeof(statuses) / sizeof(statuses[0]);
		for (i = 0; i < n; i++)
			if (strlen(statuses[i].name) == len &&
			    strncmp(statuses[i].name, p, len) == 0)
				break;
		if (i == n)
			return fail(err, errlen, "-e status: unknown status '%.*s' "
				    "(successful, failed, unfinished, unavailable, "
				    "detached, all or none)", (int)len, p);
		bits |= statuses[i].bits;
		p += len;
		if (*p == '\0')
			break;
		p++;
	}
	f->status = negate ? SW_ST_ALL & ~bits : bits;
	f->status_set = true;
	return 0;
}

int sw_filter_expr(struct sw_filter *f, const char *expr, char *err,
		   size_t errlen)
{
	static const struct {
		const char *prefix;
		int (*parse)(struct sw_filter *, const char *, char *, size_t);
	} quals[] = {
		{"trace=", sw_filter_trace}, {"t=", sw_filter_trace},
		{"status=", sw_filter_status},
	};
	for (size_t i = 0; i < sizeof(quals) / sizeof(quals[0]); i++) {
		size_t len = strlen(quals[i].prefix);
		if (strncmp(expr, quals[i].prefix, len) == 0)
			return quals[i].parse(f, expr + len, err, errlen);
	}
	const char *eq = strchr(expr, '=');
	if (eq)
		return fail(err, errlen, "-e %.*s: not supported (syswatch "
			    "prints the summary table: -e trace= and -e status= "
			    "apply)", (int)(eq - expr), expr);
	return sw_filter_trace(f, expr, err, errlen);
}

/* strace's -U and -S names (src/count.c), plus min, max and avg. */
static const struct {
	const char *name;
	enum sw_col col;
} col_names[] = {
	{"time", SW_COL_PCT},           {"time_percent", SW_COL_PCT},
	{"time-percent", SW_COL_PCT},   {"time_total", SW_COL_TOTAL},
	{"time-total", SW_COL_TOTAL},   {"total_time", SW_COL_TOTAL},
	{"total-time", SW_COL_TOTAL},   {"min_time", SW_COL_MIN},
	{"min-time", SW_COL_MIN},       {"shortest", SW_COL_MIN},
	{"time_min", SW_COL_MIN},       {"time-min", SW_COL_MIN},
	{"min", SW_COL_MIN},            {"longest", SW_COL_MAX},
	{"max_time", SW_COL_MAX},       {"max-time", SW_COL_MAX},
	{"time_max", SW_COL_MAX},       {"time-max", SW_COL_MAX},
	{"max", SW_COL_MAX},            {"avg_time", SW_COL_AVG},
	{"avg-time", SW_COL_AVG},       {"time_avg", SW_COL_AVG},
	{"time-avg", SW_COL_AVG},       {"avg", SW_COL_AVG},
	{"calls", SW_COL_CALLS},        {"count", SW_COL_CALLS},
	{"error", SW_COL_ERRORS},       {"errors", SW_COL_ERRORS},
	{"name", SW_COL_NAME},          {"syscall", SW_COL_NAME},
	{"syscall_name", SW_COL_NAME},  {"syscall-name", SW_COL_NAME},
	{"wall_total", SW_COL_WALL_TOTAL}, {"wall-total", SW_COL_WALL_TOTAL},
	{"total_wall", SW_COL_WALL_TOTAL}, {"total-wall", SW_COL_WALL_TOTAL},
	{"wall_min", SW_COL_WALL_MIN},  {"wall-min", SW_COL_WALL_MIN},
	{"min_wall", SW_COL_WALL_MIN},  {"min-wall", SW_COL_WALL_MIN},
	{"wall_max", SW_COL_WALL_MAX},  {"wall-max", SW_COL_WALL_MAX},
	{"max_wall", SW_COL_WALL_MAX},  {"max-wall", SW_COL_WALL_MAX},
	{"wall_avg", SW_COL_WALL_AVG},  {"wall-avg", SW_COL_WALL_AVG},
	{"avg_wall", SW_COL_WALL_AVG},  {"avg-wall", SW_COL_WALL_AVG},
	{"none", SW_COL_NONE},          {"nothing", SW_COL_NONE},
};

/* The sort key of each column (syswatch's wall time is its time). */
static const enum sw_sort sort_of_col[SW_NCOLS] = {
	[SW_COL_NONE] = SW_SORT_NONE,     [SW_COL_PCT] = SW_SORT_TIME,
	[SW_COL_TOTAL] = SW_SORT_TIME,    [SW_COL_MIN] = SW_SORT_MIN,
	[SW_COL_MAX] = SW_SORT_MAX,       [SW_COL_AVG] = SW_SORT_AVG,
	[SW_COL_CALLS] = SW_SORT_CALLS,   [SW_COL_ERRORS] = SW_SORT_ERRORS,
	[SW_COL_NAME] = SW_SORT_NAME,     [SW_COL_WALL_TOTAL] = SW_SORT_TIME,
	[SW_COL_WALL_MIN] = SW_SORT_MIN,  [SW_COL_WALL_MAX] = SW_SORT_MAX,
	[SW_COL_WALL_AVG] = SW_SORT_AVG,
};

const char *sw_col_name(size_t i)
{
	return i < sizeof(col_names) / sizeof(col_names[0]) ? col_names[i].name : NULL;
}

int sw_col_parse(const char *name, size_t len, enum sw_col *out)
{
	for (size_t i = 0; i < sizeof(col_names) / sizeof(col_names[0]); i++) {
		if (strlen(col_names[i].name) == len &&
		    strncmp(col_names[i].name, name, len) == 0) {
			*out = col_names[i].col;
			return 0;
		}
	}
	return -EINVAL;
}

int sw_sort_parse(const char *s, enum sw_sort *out)
{
	enum sw_col c;
	if (sw_col_parse(s, strlen(s), &c) < 0)
		return -EINVAL;
	*out = sort_of_col[c];
	return 0;
}

int sw_filter_columns(struct sw_filter *f, const char *list, char *err,
		      size_t errlen)
{
	struct sw_columns c = {0};
	bool seen[SW_NCOLS] = {false};
	const char *p = list;
	for (;;) {
		size_t len = strcspn(p, ",");
		enum sw_col col;
		if (sw_col_parse(p, len, &col) < 0 || col == SW_COL_NONE)
			return fail(err, errlen, "-U: unknown column '%.*s'",
				    (int)len, p);
		if (seen[col])
			return fail(err, errlen, "-U: column '%.*s' given more "
				    "than once", (int)len, p);
		seen[col] = true;
		c.col[c.n++] = (uint8_t)col;
		p += len;
		if (*p == '\0')
			break;
		p++;
	}
	if (!seen[SW_COL_NAME]) /* as strace: a table needs its names */
		c.col[c.n++] = SW_COL_NAME;
	f->cols = c;
	return 0;
}

bool sw_filter_row(const struct sw_filter *f, const char *name)
{
	if (!f || !f->trace_set)
		return true;
	int r = row_id(name);
	return r < 0 ? f->others : f->rows[r] != 0;
}

bool sw_filter_by_status(const struct sw_filter *f)
{
	const unsigned both = SW_ST_SUCCESSFUL | SW_ST_FAILED;
	return f && f->status_set && (f->status & both) != both;
}

bool sw_filter_call(const struct sw_filter *f, bool failed)
{
	if (!sw_filter_by_status(f))
		return true;
	return (f->status & (failed ? SW_ST_FAILED : SW_ST_SUCCESSFUL)) != 0;
}

int sw_filter_shim_rows(const struct sw_filter *f, char *buf, size_t cap)
{
	size_t len = 0;
	int n = 0;
	if (!f || !f->trace_set)
		return 0;
	for (int r = 0; r < SW_ROW_COUNT; r++)
		n += f->rows[r] != 0;
	if (n == SW_ROW_COUNT)
		return 0;
	if (cap < 2)
		return -ENOSPC;
	strcpy(buf, "-");
	for (int r = 0; r < SW_ROW_COUNT; r++) {
		if (!f->rows[r])
			continue;
		int w = snprintf(buf + len, cap - len, "%s%s", len ? "," : "",
				 rows[r].name);
		if (w < 0 || (size_t)w >= cap - len)
			return -ENOSPC;
		len += (size_t)w;
	}
	return 1;
}

int sw_filter_check_wrapped(const struct sw_filter *f, char *err, size_t errlen)
{
	static const unsigned short wrapped_rows[] = {
#define SW_WRAPPED_ROW(name, ret, row, ...) SW_ROW_##row,
		SW_CALLS(SW_WRAPPED_ROW)
#undef SW_WRAPPED_ROW
#define SW_HAND_ROW(row) SW_ROW_##row,
		SW_CALLS_HAND_ROWS(SW_HAND_ROW)
#undef SW_HAND_ROW
	};
	_Static_assert(SW_ROW_COUNT <= 65536, "row ids");
	if (!f->trace_set || f->others)
		return 0;
	bool any = false;
	for (size_t i = 0; i < sizeof(wrapped_rows) / sizeof(wrapped_rows[0]) && !any; i++)
		any = f->rows[wrapped_rows[i]] != 0;
	for (int r = 0; r < SW_ROW_COUNT && !any; r++)
		if (f->rows[r])
			return fail(err, errlen, "-e trace: syswatch sees none of the "
				    "selected calls at the libc entry points (e.g. %s): "
				    "add --complete to count every system call",
				    rows[r].name);
	return 0;
}
