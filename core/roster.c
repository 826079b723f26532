/* roster.c - importing a roster as offices keep it: the header dictionary,
 * households formed from the person rows, re-import without duplicates, all
 * or nothing.  See roster.h for the rules.
 */
#include "taizhang/roster.h"

#include <errno.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "taizhang/buf.h"
#include "taizhang/db_sql.h"
#include "taizhang/hex.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/utf8.h"
#include "taizhang/valid.h"
#include "taizhang/validate.h"

void tz_roster_report_free(tz_roster_report *rep)
{
	if (!rep)
		return;
	free(rep->ids);
	free(rep->cols);
	if (rep->sample)
		for (int i = 0; i < rep->nsample * rep->ncols; i++)
			free(rep->sample[i]);
	free(rep->sample);
	rep->sample = NULL;
	rep->nsample = 0;
	rep->ids = NULL;
	rep->cols = NULL;
	rep->imported = 0;
	rep->ncols = 0;
}

/* Keys already seen in the file (ID numbers, household groups): open
 * addressing over malloc'd keys. */
typedef struct {
	char *key;
	long line;
	char id[33]; /* groups: their household */
} seen_slot;

typedef struct {
	seen_slot *slot;
	size_t n, cap;
} seen_set;

enum { COL_EMPTY, COL_FIELD, COL_HH, COL_SKIP };

typedef struct {
	int kind;
	int f; /* field index in the table (COL_FIELD) or in household (COL_HH) */
} colmap;

#define NHH 8 /* household fields a person roster may carry */

typedef struct {
	tz_db *db;
	const tz_table *t;
	const tz_table *hht; /* household, for a person roster */
	const tz_roster_opts *o;
	tz_csv_bad_fn bad;
	void *ctx;
	tz_roster_report *rep;
	long last_bad;
	int ncol;
	colmap col[TZ_CSV_MAX_FIELDS];
	tz_kv kv[TZ_CSV_MAX_FIELDS];
	int uniq;          /* field index of the ID number, -1 if the table has none */
	int f_hh, f_name, f_rel; /* person: household, name, relation */
	int grouping;      /* person roster with household columns */
	int hh_has[NHH];   /* household field i has a column */
	char *prev[NHH];   /* the last row's household cells, for the fill-down */
	char *prev_hv;     /* ... and its 户 cell */
	char *own;         /* this database's village code, if it is a village's */
	char *own_name;
	seen_set ids, groups;
	size_t capids;
} importer;

/* Report one problem; several on the same line count as one bad line. */
static void problem(importer *im, long line, const char *msg)
{
	if (line != im->last_bad || line == 0) {
		if (im->rep->bad == TZ_CSV_MAX_BAD) {
			im->rep->truncated = 1; /* this one is not counted */
			im->last_bad = line;
			return;
		}
		im->rep->bad++;
	}
	im->last_bad = line;
	if (im->bad)
		im->bad(im->ctx, line, msg);
}

#define PROBLEM(im, line, ...)                             \
	do {                                               \
		tz_err e_;                                 \
		tz_fail(&e_, TZ_EINVAL, __VA_ARGS__);      \
		problem(im, line, e_.msg);                 \
	} while (0)

static void note(importer *im, long line, const char *msg)
{
	if (im->o && im->o->note)
		im->o->note(im->o->note_ctx, line, msg);
}

static uint64_t hash_str(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The slot of key: found (->key set) or where it goes (->key NULL); NULL if
 * out of memory. */
static seen_slot *seen_find(seen_set *s, const char *key)
{
	if (2 * (s->n + 1) > s->cap) {
		size_t cap = s->cap ? 2 * s->cap : 1024;
		seen_slot *n = calloc(cap, sizeof *n);
		if (!n)
			return NULL;
		for (size_t i = 0; i < s->cap; i++) {
			if (!s->slot[i].key)
				continue;
			size_t j = hash_str(s->slot[i].key) & (cap - 1);
			while (n[j].key)
				j = (j + 1) & (cap - 1);
			n[j] = s->slot[i];
		}
		free(s->slot);
		s->slot = n;
		s->cap = cap;
	}
	size_t j = hash_str(key) & (s->cap - 1);
	for (; s->slot[j].key; j = (j + 1) & (s->cap - 1))
		if (!strcmp(s->slot[j].key, key))
			break;
	return &s->slot[j];
}

static int seen_put(seen_set *s, seen_slot *at, const char *key, long line)
{
	if (!(at->key = strdup(key)))
		return -1;
	at->line = line;
	s->n++;
	return 0;
}

static void seen_free(seen_set *s)
{
	for (size_t i = 0; i < s->cap; i++)
		free(s->slot[i].key);
	free(s->slot);
}

/* Trim ASCII white space, U+3000 and U+FEFF; in place. */
static char *trim(char *s)
{
	for (;;) {
		if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
			s++;
		else if (!strncmp(s, "\xe3\x80\x80", 3) || !strncmp(s, "\xef\xbb\xbf", 3))
			s += 3;
		else
			break;
	}
	size_t n = strlen(s);
	for (;;) {
		if (n && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
			n--;
		else if (n >= 3 && (!strncmp(s + n - 3, "\xe3\x80\x80", 3) ||
				    !strncmp(s + n - 3, "\xef\xbb\xbf", 3)))
			n -= 3;
		else
			break;
	}
	s[n] = '\0';
	return s;
}

/* A cell as written: ="0731..." (digits kept as text, as taizhang's own CSV
 * writes them) is its inner text; so is a leading apostrophe. */
static char *cell(char *v)
{
	v = trim(v);
	size_t n = strlen(v);
	if (n >= 3 && v[0] == '=' && v[1] == '"' && v[n - 1] == '"') {
		v[n - 1] = '\0';
		return trim(v + 2);
	}
	if (v[0] == '\'')
		return trim(v + 1);
	return v;
}

/* A header for matching: white space inside removed ("姓  名"), the "*" or
 * "＊" templates put on required columns dropped. */
static void header_key(const char *h, char *out, size_t cap)
{
	size_t o = 0;
	for (const char *p = h; *p && o + 4 < cap;) {
		if (*p == ' ' || (*p >= '\t' && *p <= '\r') || *p == '*') {
			p++;
		} else if (!strncmp(p, "\xe3\x80\x80", 3) || !strncmp(p, "\xef\xbc\x8a", 3)) {
			p += 3;
		} else {
			out[o++] = *p++;
		}
	}
	out[o] = '\0';
}

/* Without a trailing note in brackets: 联系电话(手机) -> 联系电话. */
static int cut_bracket(char *k)
{
	size_t n = strlen(k);
	const char *close[] = {")", "\xef\xbc\x89"}, *open[] = {"(", "\xef\xbc\x88"};
	for (int i = 0; i < 2; i++) {
		size_t cl = strlen(close[i]);
		if (n <= cl || strcmp(k + n - cl, close[i]))
			continue;
		char *o = strstr(k, open[i]);
		if (o && o > k) {
			*o = '\0';
			return 1;
		}
	}
	return 0;
}

static int field_match(const tz_table *t, const char *k)
{
	int i = tz_schema_field_find(t, k);
	if (i >= 0)
		return i;
	for (i = 0; i < t->nfields; i++)
		if (!strcasecmp(t->fields[i].name, k) || !strcasecmp(t->fields[i].en, k) ||
		    tz_schema_aka_has(t->fields[i].aka, k))
			return i;
	return -1;
}

/* A header to a field of t: as written, then without the spaces inside and
 * the required-mark stars, then without a note in brackets; -1 if none. */
static int header_field(const tz_table *t, const char *h)
{
	char k[256];
	int i = field_match(t, h);
	if (i >= 0)
		return i;
	header_key(h, k, sizeof k);
	i = field_match(t, k);
	if (i < 0 && cut_bracket(k))
		i = field_match(t, k);
	return i;
}

/* Columns of row numbers, left alone. */
static int ignored_header(const char *h)
{
	char k[256];
	header_key(h, k, sizeof k);
	static const char *const skip[] = {"序号", "序", "行号", "排序", "顺序号", "No", "No.",
					   "NO", "NO.", "no", "#", "编号序号",
					   /* the first column of taizhang's own lists (record
					    * list --format csv|xlsx): records are matched by
					    * their ID number, household and name */
					   "记录编号", "record id", "recordid"};
	for (size_t i = 0; i < sizeof skip / sizeof skip[0]; i++)
		if (!strcmp(k, skip[i]))
			return 1;
	return 0;
}

/* A cell shown in a message: one line (control characters as \n or \xNN),
 * at most `max` bytes of text, cut at a character boundary. */
static const char *shown(const char *s, char *buf, size_t cap, size_t max)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n + 8 < cap) {
		if (n >= max) {
			memcpy(buf + n, "…", 3);
			n += 3;
			break;
		}
		if (*p < 0x20 || *p == 0x7f) {
			n += (size_t)snprintf(buf + n, cap - n, *p == '\n' ? "\\n" : "\\x%02x", *p);
			p++;
			continue;
		}
		int l = tz_utf8_len((const char *)p, strlen((const char *)p));
		if (l <= 0)
			l = 1;
		memcpy(buf + n, p, (size_t)l);
		n += (size_t)l;
		p += l;
	}
	buf[n] = '\0';
	return buf;
}

/* ---- the closest known field, for an unknown header ---- */

#define MAXCP 48

static int to_cps(const char *s, long *cp)
{
	int n = 0;
	size_t len = strlen(s), used;
	while (len && n < MAXCP) {
		long c = tz_utf8_decode(s, len, &used);
		if (c < 0 || !used)
			break;
		cp[n++] = c;
		s += used;
		len -= used;
	}
	return n;
}

static int distance(const long *a, int na, const long *b, int nb)
{
	int d[MAXCP + 1], prev;
	for (int j = 0; j <= nb; j++)
		d[j] = j;
	for (int i = 1; i <= na; i++) {
		prev = d[0];
		d[0] = i;
		for (int j = 1; j <= nb; j++) {
			int t = d[j];
			int sub = prev + (a[i - 1] != b[j - 1]);
			int del = d[j] + 1, ins = d[j - 1] + 1;
			d[j] = sub < del ? (sub < ins ? sub : ins) : (del < ins ? del : ins);
			prev = t;
		}
	}
	return d[nb];
}

typedef struct {
	const char *h; /* the header, as matched */
	const long *cp;
	int n;
	int best;
	const tz_table *t;
	int f;
} near_ctx;

static void near_try(near_ctx *c, const tz_table *t, int f, const char *name, size_t len)
{
	char buf[128];
	long cp[MAXCP];
	if (len >= sizeof buf || !len)
		return;
	memcpy(buf, name, len);
	buf[len] = '\0';
	int n = to_cps(buf, cp);
	int d = distance(c->cp, c->n, cp, n);
	/* a known name of two characters or more inside the header, or the
	 * header inside it, is as close as their lengths differ */
	if (n >= 2 && c->n >= 2 && (strstr(c->h, buf) || strstr(buf, c->h))) {
		int dl = abs(c->n - n);
		if (dl < d)
			d = dl;
	}
	if (d < c->best) {
		c->best = d;
		c->t = t;
		c->f = f;
	}
}

static void near_table(near_ctx *c, const tz_table *t)
{
	for (int i = 0; i < t->nfields; i++) {
		const tz_field *f = &t->fields[i];
		near_try(c, t, i, f->name, strlen(f->name));
		near_try(c, t, i, f->zh, strlen(f->zh));
		near_try(c, t, i, f->en, strlen(f->en));
		for (const char *p = f->aka; p && *p;) {
			size_t k = strcspn(p, "|");
			near_try(c, t, i, p, k);
			p += k + (p[k] == '|');
		}
	}
}

/* ---- the header ---- */

static void col_target(const importer *im, const colmap *m, char *out, size_t cap)
{
	if (m->kind == COL_FIELD)
		snprintf(out, cap, "%s", im->t->fields[m->f].name);
	else if (m->kind == COL_HH)
		snprintf(out, cap, "household.%s", im->hht->fields[m->f].name);
	else
		snprintf(out, cap, "-");
}

static const char *col_label(const importer *im, const colmap *m)
{
	const tz_field *f = m->kind == COL_FIELD ? &im->t->fields[m->f] : &im->hht->fields[m->f];
	return tz_tr(f->en, f->zh);
}

/* A map target ("name", "住址", "household.phone", "-") to a column. */
static int map_target(const importer *im, const char *to, colmap *m)
{
	if (!strcmp(to, "-") || !*to) {
		m->kind = COL_SKIP;
		return 0;
	}
	if (!strncmp(to, "household.", 10) && im->hht) {
		m->kind = COL_HH;
		return (m->f = header_field(im->hht, to + 10)) < 0 ? -1 : 0;
	}
	if ((m->f = header_field(im->t, to)) >= 0) {
		m->kind = COL_FIELD;
		return 0;
	}
	if (im->hht && (m->f = header_field(im->hht, to)) >= 0) {
		m->kind = COL_HH;
		return 0;
	}
	return -1;
}

/* The user's --map entry for header h: 1 if there is one (m set), 0 if
 * none; -1 if its target is no field (reported). */
static int user_map(importer *im, const char *h, colmap *m, long line, int col, int *used)
{
	if (!im->o)
		return 0;
	char hk[256], mk[256];
	header_key(h, hk, sizeof hk);
	for (int i = 0; i < im->o->nmap; i++) {
		const char *e = im->o->map[i], *eq = strrchr(e, '=');
		if (!eq || (size_t)(eq - e) >= sizeof mk)
			continue;
		memcpy(mk, e, (size_t)(eq - e));
		mk[eq - e] = '\0';
		char k2[256];
		header_key(mk, k2, sizeof k2);
		if (strcmp(k2, hk))
			continue;
		used[i] = 1;
		char to[128];
		snprintf(to, sizeof to, "%s", eq + 1);
		if (map_target(im, trim(to), m)) {
			char sh[96];
			PROBLEM(im, line, "column %d \"%s\": --map names no field \"%s\" of %s",
				"第 %d 列“%s”：--map 指定的“%s”不是%s的字段", col,
				shown(h, sh, sizeof sh, 60), eq + 1, tz_tr(im->t->en, im->t->zh));
			return -1;
		}
		return 1;
	}
	return 0;
}

static void unknown_header(importer *im, long line, int col, const char *h)
{
	char sh[96], k[256];
	header_key(h, k, sizeof k);
	near_ctx c = {.h = k, .best = 1000};
	long cp[MAXCP];
	c.cp = cp;
	c.n = to_cps(k, cp);
	near_table(&c, im->t);
	if (im->hht)
		near_table(&c, im->hht);
	shown(h, sh, sizeof sh, 60);
	tz_roster_col *rc = col >= 1 && col <= im->rep->ncols ? &im->rep->cols[col - 1] : NULL;
	if (rc)
		rc->unknown = 1;
	if (c.t && c.best <= (c.n + 1) / 2) {
		const tz_field *f = &c.t->fields[c.f];
		const char *pre = c.t == im->t ? "" : "household.";
		if (rc)
			snprintf(rc->suggest, sizeof rc->suggest, "%s%s", pre, f->name);
		PROBLEM(im, line,
			"column %d \"%s\": %s has no such field; closest is %s (%s%s): use --map "
			"'%s=%s%s', or --skip '%s'",
			"第 %d 列“%s”：%s没有这个字段，最接近的是“%s”（%s%s）：可用 --map '%s=%s%s'，"
			"或 --skip '%s' 跳过此列",
			col, sh, tz_tr(im->t->en, im->t->zh), tz_tr(f->en, f->zh), pre, f->name, sh,
			pre, f->name, sh);
	} else {
		PROBLEM(im, line,
			"column %d \"%s\": %s has no such field: use --map '%s=FIELD' "
			"('taizhang schema %s' lists the fields), or --skip '%s'",
			"第 %d 列“%s”：%s没有这个字段：可用 --map '%s=字段名'（字段见 taizhang schema %s），"
			"或 --skip '%s' 跳过此列",
			col, sh, tz_tr(im->t->en, im->t->zh), sh, im->t->name, sh);
	}
}

static tz_status header(importer *im, const tz_csv_rec *rec, tz_err *err)
{
	const tz_table *t = im->t;
	int used[64] = {0};
	im->ncol = rec->n;
	if (rec->n <= 0 || rec->n > TZ_CSV_MAX_FIELDS)
		return tz_fail(err, TZ_EINVAL, "no header", "没有表头");
	im->rep->cols = calloc((size_t)rec->n, sizeof *im->rep->cols);
	if (!im->rep->cols)
		return tz_nomem(err);
	im->rep->ncols = rec->n;
	for (int i = 0; i < rec->n; i++) {
		char *h = trim(rec->field[i]);
		colmap *m = &im->col[i];
		m->kind = COL_EMPTY;
		snprintf(im->rep->cols[i].header, sizeof im->rep->cols[i].header, "%s", h);
		snprintf(im->rep->cols[i].target, sizeof im->rep->cols[i].target, "-");
		if (!*h)
			continue; /* no header: the column must stay empty */
		int um = user_map(im, h, m, rec->line, i + 1, used);
		if (um < 0)
			continue;
		if (!um) {
			if (!strcasecmp(h, "id")) {
				PROBLEM(im, rec->line,
					"column %d \"id\": import-csv only adds new records (change existing "
					"ones with 'record set')",
					"第 %d 列“id”：导入只能新增记录（修改已有记录请用 record set）", i + 1);
				continue;
			}
			if (ignored_header(h)) {
				m->kind = COL_SKIP;
			} else if ((m->f = header_field(t, h)) >= 0) {
				m->kind = COL_FIELD;
			} else if (im->hht && (m->f = header_field(im->hht, h)) >= 0) {
				m->kind = COL_HH;
			} else {
				unknown_header(im, rec->line, i + 1, h);
				continue;
			}
		}
		col_target(im, m, im->rep->cols[i].target, sizeof im->rep->cols[i].target);
		if (m->kind == COL_SKIP)
			continue;
		for (int j = 0; j < i; j++)
			if (im->col[j].kind == m->kind && im->col[j].f == m->f) {
				PROBLEM(im, rec->line, "columns %d and %d are both %s",
					"第 %d 列和第 %d 列都是“%s”", j + 1, i + 1, col_label(im, m));
				break;
			}
	}
	if (im->o)
		for (int i = 0; i < im->o->nmap && i < 64; i++)
			if (!used[i]) {
				char sh[96];
				const char *e = im->o->map[i], *eq = strrchr(e, '=');
				int n = eq ? (int)(eq - e) : (int)strlen(e);
				char hd[128];
				snprintf(hd, sizeof hd, "%.*s", n > 120 ? 120 : n, e);
				PROBLEM(im, rec->line, "--map/--skip '%s': no column has that header",
					"--map/--skip “%s”：没有这个表头的列", shown(hd, sh, sizeof sh, 60));
			}
	int any = 0;
	for (int i = 0; i < rec->n; i++) {
		any |= im->col[i].kind == COL_FIELD || im->col[i].kind == COL_HH;
		if (im->col[i].kind == COL_HH) {
			im->grouping = 1;
			if (im->col[i].f < NHH)
				im->hh_has[im->col[i].f] = 1;
		}
		if (im->col[i].kind == COL_FIELD && im->col[i].f == im->f_hh && im->hht)
			im->grouping = 1;
	}
	if (!any && !im->rep->bad)
		PROBLEM(im, rec->line, "the first line must name the columns (%s)",
			"第一行应为表头，写明各列的字段名（%s）", tz_tr(t->en, t->zh));
	/* grouping implies a person roster, so hht is set */
	if (im->grouping && !im->own && !im->rep->bad &&
	    !im->hh_has[tz_schema_field_find(im->hht, "village")] &&
	    (im->hh_has[tz_schema_field_find(im->hht, "address")] ||
	     im->hh_has[tz_schema_field_find(im->hht, "head_name")]))
		PROBLEM(im, rec->line,
			"this database is not a village's: households need a village code column (村代码)",
			"本库不是村级台账：建户需要一列村代码（村代码）");
	return TZ_OK;
}

/* ---- values Excel has damaged ---- */

static int looks_scientific(const char *v)
{
	const char *p = v;
	if (!tz_valid_is_digit(*p))
		return 0;
	while (tz_valid_is_digit(*p))
		p++;
	if (*p == '.')
		for (p++; tz_valid_is_digit(*p); p++)
			;
	if (*p != 'E' && *p != 'e')
		return 0;
	p++;
	if (*p == '+' || *p == '-')
		p++;
	if (!tz_valid_is_digit(*p))
		return 0;
	while (tz_valid_is_digit(*p))
		p++;
	return !*p;
}

/* 1 (and a message) if v, for field f, is a number Excel has mangled. */
static int excel_damage(importer *im, long line, const tz_field *f, const char *v)
{
	char sh[64];
	const char *fix_en = "in Excel, format the column as Text (Format Cells > Text), type the "
			     "numbers in again, and save as CSV again";
	const char *fix_zh = "请在 Excel 中把该列设置为“文本”格式（设置单元格格式 → 文本），重新录入号码后再另存为 CSV";
	if (f->type != TZ_T_IDNUM && f->type != TZ_T_PHONE && f->type != TZ_T_CREDIT &&
	    f->type != TZ_T_REGION)
		return 0;
	shown(v, sh, sizeof sh, 40);
	if (looks_scientific(v) || (strchr(v, '.') && tz_valid_is_digit(v[0]) && strlen(v) > 6 &&
				    strspn(v, "0123456789.") == strlen(v))) {
		PROBLEM(im, line, "%s \"%s\": Excel has turned it into a number and lost digits: %s",
			"%s“%s”：已被 Excel 转成数字，丢失了位数：%s", tz_tr(f->en, f->zh), sh,
			tz_tr(fix_en, fix_zh));
		return 1;
	}
	size_t n = strlen(v);
	int digits = tz_valid_all_digits(v, n);
	tz_err e;
	char out[24];
	if (f->type == TZ_T_IDNUM && digits && n >= 15 && n <= 18 && !strcmp(v + n - 3, "000") &&
	    tz_valid_idnum(v, out, NULL, NULL, &e)) {
		PROBLEM(im, line,
			"%s \"%s\": the last digits look lost to Excel (it keeps 15 digits of a "
			"number): %s",
			"%s“%s”：末几位疑被 Excel 改成了 0（Excel 数字只保留 15 位）：%s",
			tz_tr(f->en, f->zh), sh, tz_tr(fix_en, fix_zh));
		return 1;
	}
	if (f->type == TZ_T_PHONE && digits && n >= 6 && n <= 11 && v[0] != '0' && v[0] != '1' &&
	    tz_valid_phone(v, out, &e)) {
		PROBLEM(im, line, "%s \"%s\": a landline that lost its leading 0 to Excel? %s",
			"%s“%s”：疑为固定电话，开头的 0 被 Excel 去掉了：%s", tz_tr(f->en, f->zh), sh,
			tz_tr(fix_en, fix_zh));
		return 1;
	}
	return 0;
}

/* ---- rows ---- */

static tz_status add_id(importer *im, const char id[33], tz_err *err)
{
	tz_roster_report *rep = im->rep;
	char(*p)[33] = tz_buf_grow(rep->ids, (size_t)rep->imported, &im->capids, sizeof *p);
	if (!p)
		return tz_nomem(err);
	rep->ids = p;
	memcpy(rep->ids[rep->imported++], id, 33);
	return TZ_OK;
}

/* One value as it would be stored (malloc'd or NULL); 1 if it is invalid
 * (reported). */
static int normal(importer *im, long line, const tz_table *t, int f, const char *v, char **out)
{
	tz_err e;
	*out = NULL;
	if (tz_validate_field(t, &t->fields[f], v, out, &e) == TZ_OK)
		return 0;
	problem(im, line, e.msg);
	return 1;
}

/* A live row of `sql` (bound to the given texts, NULL as ""); 1 found (id
 * set), 0 none, -1 database error. */
static int lookup(importer *im, const char *sql, const char *a, const char *b, const char *c,
		  char id[33], tz_err *err)
{
	sqlite3_stmt *s = tz_db_stmt(im->db, sql);
	if (!s) {
		tz_db_fail(im->db, err, "import");
		return -1;
	}
	sqlite3_bind_text(s, 1, a ? a : "", -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(s) >= 2)
		sqlite3_bind_text(s, 2, b ? b : "", -1, SQLITE_STATIC);
	if (sqlite3_bind_parameter_count(s) >= 3)
		sqlite3_bind_text(s, 3, c ? c : "", -1, SQLITE_STATIC);
	int rc = sqlite3_step(s), r = 0;
	if (rc == SQLITE_ROW) {
		snprintf(id, 33, "%s", (const char *)sqlite3_column_text(s, 0));
		r = 1;
	} else if (rc != SQLITE_DONE) {
		tz_db_fail(im->db, err, "import");
		r = -1;
	}
	sqlite3_reset(s);
	return r;
}

/* The row already there that this one describes: 1 (id set), 0, -1 error. */
static int existing(importer *im, long line, const char *idn, const char *hh, const char *name,
		    char id[33], tz_err *err)
{
	const char *t = im->t->name;
	if (!strcmp(t, "person")) {
		if (idn) {
			char norm[19];
			tz_err e;
			if (tz_valid_idnum(idn, norm, NULL, NULL, &e))
				return 0; /* tz_record_add says what is wrong */
			seen_slot *s = seen_find(&im->ids, norm);
			if (!s)
				return tz_nomem(err), -1;
			if (s->key) {
				PROBLEM(im, line, "ID number %s is already on line %ld of the file",
					"身份证号 %s 与文件第 %ld 行重复", norm, s->line);
				return -2;
			}
			if (seen_put(&im->ids, s, norm, line))
				return tz_nomem(err), -1;
			return lookup(im,
				      "SELECT id FROM person WHERE id_number=?1 AND _deleted=0"
				      " ORDER BY id LIMIT 1",
				      norm, NULL, NULL, id, err);
		}
		if (hh && name)
			return lookup(im,
				      "SELECT id FROM person WHERE household=?1 AND name=?2 AND"
				      " id_number IS NULL AND _deleted=0 ORDER BY id LIMIT 1",
				      hh, name, NULL, id, err);
		return 0;
	}
	if (!strcmp(t, "employer") && idn) {
		/* as stored: upper case, full-width and spaces folded */
		char norm[19];
		tz_err e;
		if (tz_valid_credit(idn, norm, &e))
			return 0; /* tz_record_add says what is wrong */
		return lookup(im,
			      "SELECT id FROM employer WHERE credit_code=?1 AND _deleted=0"
			      " ORDER BY id LIMIT 1",
			      norm, NULL, NULL, id, err);
	}
	return 0;
}

/* Compare the row with the record already there; report and, with
 * --update, apply the differences. */
static tz_status compare(importer *im, long line, const tz_table *t, const char *id,
			 const tz_kv *kv, int n, tz_err *err)
{
	tz_row r;
	tz_err e;
	tz_status st = tz_record_get(im->db, t->name, id, &r, &e);
	if (st) {
		*err = e;
		return st;
	}
	char msg[TZ_ERR_MAX];
	size_t o = 0;
	int nd = 0, bad = 0;
	tz_kv diff[TZ_CSV_MAX_FIELDS];
	msg[0] = '\0';
	for (int i = 0; i < n; i++) {
		int f = tz_schema_field_find(t, kv[i].name);
		char *v;
		if (f < 0 || t->fields[f].flags & TZ_F_DERIVED)
			continue;
		if (normal(im, line, t, f, kv[i].value, &v)) {
			bad = 1;
			continue;
		}
		const char *old = r.vals[f];
		if (v && (!old || strcmp(old, v))) {
			const tz_field *fd = &t->fields[f];
			const char *ol = old ? (fd->codes ? tz_schema_code_label(fd->codes, old) : old)
					     : tz_tr("(empty)", "（空）");
			const char *nl = fd->codes ? tz_schema_code_label(fd->codes, v) : v;
			char so[64], sn[64];
			int k = snprintf(msg + o, sizeof msg - o, "%s%s %s → %s", nd ? tz_tr("; ", "；") : "",
					 tz_tr(fd->en, fd->zh), shown(ol, so, sizeof so, 40),
					 shown(nl, sn, sizeof sn, 40));
			if (k > 0 && o + (size_t)k < sizeof msg)
				o += (size_t)k;
			diff[nd++] = kv[i];
		}
		free(v);
	}
	int fn = tz_schema_field_find(t, "name");
	const char *who = fn >= 0 ? r.vals[fn] : NULL;
	char sw[64];
	shown(who ? who : id, sw, sizeof sw, 30);
	tz_record_row_free(&r);
	if (bad)
		return TZ_OK;
	if (!nd) {
		im->rep->same++;
		return TZ_OK;
	}
	im->rep->differ++;
	char line_msg[TZ_ERR_MAX + 128];
	snprintf(line_msg, sizeof line_msg, "%s %s: %s%s", tz_tr("already there,", "已登记，"), sw,
		 msg, im->o && im->o->update ? "" : tz_tr(" (not changed: --update applies it)",
							  "（未修改：加 --update 可更新）"));
	note(im, line, line_msg);
	if (!im->o || !im->o->update)
		return TZ_OK;
	tz_err_clear(&e);
	st = tz_record_set(im->db, t->name, id, diff, nd, &e);
	if (st == TZ_OK) {
		im->rep->updated++;
		return TZ_OK;
	}
	if (tz_status_exit(st) == 1) {
		problem(im, line, e.msg);
		return TZ_OK;
	}
	*err = e;
	return st;
}

static void set_prev(char **slot, const char *v)
{
	if (*slot && !strcmp(*slot, v))
		return;
	free(*slot);
	*slot = strdup(v);
}

/* A household id, as validation takes one (either case of hex). */
static int is_id(const char *v)
{
	uint8_t raw[16];
	return strlen(v) == 32 && tz_hex_decode(v, raw, 16) == 0;
}

/* The household of a person row: hhv are its household cells (NULL for
 * none), hv its 户 cell.  Sets id ("" for none); 1 if the row is bad
 * (reported), -1 on an environment error. */
static int household_of(importer *im, long line, const char **hhv, const char *hv,
			const char *member, char id[33], tz_err *err)
{
	const tz_table *ht = im->hht;
	int fv = tz_schema_field_find(ht, "village"), fa = tz_schema_field_find(ht, "address"),
	    fh = tz_schema_field_find(ht, "head_name");
	id[0] = '\0';
	char *vil = NULL, *addr = NULL, *head = NULL;
	const char *v = hhv[fv];
	if (v && im->own && im->own_name && !strcmp(v, im->own_name))
		v = im->own; /* the village written by name */
	if (!v)
		v = im->own;
	int bad = (v && normal(im, line, ht, fv, v, &vil)) ||
		  (hhv[fa] && normal(im, line, ht, fa, hhv[fa], &addr)) ||
		  (hhv[fh] && normal(im, line, ht, fh, hhv[fh], &head));
	int r = 0;
	if (bad) {
		r = 1;
		goto out;
	}
	if (!hv && !addr && !head)
		goto out; /* a person of no household */
	char key[512];
	if (hv)
		snprintf(key, sizeof key, "#%s", hv);
	else
		snprintf(key, sizeof key, "%s\x1f%s\x1f%s", vil ? vil : "", head ? head : "",
			 addr ? addr : "");
	seen_slot *s = seen_find(&im->groups, key);
	if (!s) {
		r = -1;
		tz_nomem(err);
		goto out;
	}
	if (s->key) {
		memcpy(id, s->id, 33);
		goto out;
	}
	int found = member && *member ? 1 : 0;
	if (found)
		snprintf(id, 33, "%s", member);
	else if (addr) {
		found = lookup(im,
			       "SELECT id FROM household WHERE village=?1 AND address=?2 AND"
			       " coalesce(head_name,'')=?3 AND _deleted=0 ORDER BY id LIMIT 1",
			       vil, addr, head, id, err);
		if (found < 0) {
			r = -1;
			goto out;
		}
	}
	if (found) {
		im->rep->hh_found++;
	} else {
		tz_kv kv[NHH];
		int n = 0;
		for (int i = 0; i < NHH && i < ht->nfields; i++) {
			const char *x = i == fv ? v : hhv[i];
			if (!x)
				continue;
			kv[n].name = ht->fields[i].name;
			kv[n].value = x;
			n++;
		}
		tz_err e;
		tz_err_clear(&e);
		tz_status st = tz_record_add(im->db, "household", kv, n, id, &e);
		if (st) {
			if (tz_status_exit(st) == 1) {
				problem(im, line, e.msg);
				r = 1;
			} else {
				*err = e;
				r = -1;
			}
			goto out;
		}
		im->rep->households++;
	}
	if (seen_put(&im->groups, s, key, line)) {
		r = -1;
		tz_nomem(err);
		goto out;
	}
	memcpy(s->id, id, 33);
out:
	free(vil);
	free(addr);
	free(head);
	return r;
}

/* A date as Excel and offices write it (1990/1/5, 1990.1.5, 1990-1-5,
 * 1990年1月5日, 19900105) in the form the register keeps, YYYY-MM-DD, into
 * out; 0 if v is none of these (it is then validated as it is). */
static int excel_date(const char *v, char out[11])
{
	const char *p = v;
	int y = 0, m = 0, d = 0, k;
	size_t n = strlen(v);
#define DIGITS(max, var)                                               \
	for (k = 0, var = 0; k < (max) && p[k] >= '0' && p[k] <= '9'; k++) \
		var = var * 10 + (p[k] - '0');                                 \
	p += k
	if (n == 8 && strspn(v, "0123456789") == 8) {
		y = (v[0] - '0') * 1000 + (v[1] - '0') * 100 + (v[2] - '0') * 10 + (v[3] - '0');
		m = (v[4] - '0') * 10 + (v[5] - '0');
		d = (v[6] - '0') * 10 + (v[7] - '0');
	} else {
		DIGITS(4, y);
		if (k != 4)
			return 0;
		int cjk = !strncmp(p, "年", 3);
		char sep = *p;
		if (!cjk && sep != '/' && sep != '.' && sep != '-')
			return 0;
		p += cjk ? 3 : 1;
		DIGITS(2, m);
		if (!k)
			return 0;
		if (cjk ? strncmp(p, "月", 3) : *p != sep)
			return 0;
		p += cjk ? 3 : 1;
		DIGITS(2, d);
		if (!k)
			return 0;
		if (cjk && !strncmp(p, "日", 3))
			p += 3;
		if (*p)
			return 0;
	}
#undef DIGITS
	if (m < 1 || m > 12 || d < 1 || d > 31)
		return 0; /* the validator names what is wrong with the cell as written */
	char b[32];
	snprintf(b, sizeof b, "%04d-%02d-%02d", y, m, d);
	memcpy(out, b, 11);
	return 1;
}

/* The first rows as the file has them, for a preview (tz_roster_report). */
static tz_status keep_sample(tz_roster_report *rep, const tz_csv_rec *rec, tz_err *err)
{
	if (rep->nsample >= TZ_ROSTER_SAMPLE || rep->ncols <= 0)
		return TZ_OK;
	if (!rep->sample &&
	    !(rep->sample = calloc((size_t)(TZ_ROSTER_SAMPLE * rep->ncols), sizeof *rep->sample)))
		return tz_nomem(err);
	char **row = rep->sample + rep->nsample * rep->ncols;
	for (int i = 0; i < rep->ncols && i < rec->n; i++)
		if (!(row[i] = strdup(rec->field[i])))
			return tz_nomem(err);
	rep->nsample++;
	return TZ_OK;
}

static tz_status row(importer *im, const tz_csv_rec *rec, tz_err *err)
{
	int n = 0, empty = 1;
	for (int i = 0; i < rec->n && empty; i++)
		empty = !*cell(rec->field[i]);
	if (empty)
		return TZ_OK; /* Excel leaves rows of bare commas behind */
	im->rep->rows++;
	long line = rec->line;
	if (rec->n > im->ncol)
		for (int i = im->ncol; i < rec->n; i++)
			if (*cell(rec->field[i])) {
				PROBLEM(im, line, "%d cells, but the header has only %d columns",
					"有 %d 个单元格，但表头只有 %d 列", rec->n, im->ncol);
				return TZ_OK;
			}
	const char *idv = NULL, *hv = NULL, *name = NULL, *rel = NULL, *hid_given = NULL;
	static char dates[16][11]; /* Excel's dates of this row, as YYYY-MM-DD */
	int ndates = 0;
	const char *hhv[NHH] = {0};
	for (int i = 0; i < rec->n && i < im->ncol; i++) {
		char *v = cell(rec->field[i]);
		const colmap *m = &im->col[i];
		if (!*v || m->kind == COL_SKIP)
			continue;
		if (m->kind == COL_EMPTY) {
			char sh[64];
			PROBLEM(im, line, "column %d has no header but holds \"%s\"",
				"第 %d 列没有表头，却填写了“%s”", i + 1, shown(v, sh, sizeof sh, 40));
			return TZ_OK;
		}
		const tz_field *f = m->kind == COL_FIELD ? &im->t->fields[m->f] : &im->hht->fields[m->f];
		if (excel_damage(im, line, f, v))
			return TZ_OK;
		if (m->kind == COL_HH) {
			if (m->f < NHH)
				hhv[m->f] = v;
			continue;
		}
		if (m->f == im->f_hh && im->grouping && !is_id(v)) {
			hv = v; /* a household number of the roster */
			continue;
		}
		if (m->f == im->f_hh)
			hid_given = v; /* a household's own id (taizhang's own lists) */
		if (f->type == TZ_T_DATE && ndates < (int)(sizeof dates / sizeof *dates) &&
		    excel_date(v, dates[ndates]))
			v = dates[ndates++];
		im->kv[n].name = f->name;
		im->kv[n].value = v;
		n++;
		if (m->f == im->uniq)
			idv = v;
		if (m->f == im->f_name)
			name = v;
		if (m->f == im->f_rel)
			rel = v;
	}
	if (!strcmp(im->t->name, "employer")) {
		int fc = tz_schema_field_find(im->t, "credit_code");
		for (int i = 0; i < n; i++)
			if (!strcmp(im->kv[i].name, im->t->fields[fc].name))
				idv = im->kv[i].value;
	}
	tz_status st;
	char hid[33] = "";
	char old[33];
	int ex = 0;
	if (im->grouping && !hid_given) {
		const tz_code *rc = rel ? tz_schema_code_find(im->t->fields[im->f_rel].codes, rel) : NULL;
		int head_row = rc && !strcmp(rc->code, "head");
		int fh = tz_schema_field_find(im->hht, "head_name");
		/* Excel's merged cells: the empty ones take the value above */
		if (!head_row) {
			for (int i = 0; i < NHH; i++)
				if (im->hh_has[i] && !hhv[i] && im->prev[i])
					hhv[i] = im->prev[i];
			if (!hv && im->prev_hv)
				hv = im->prev_hv;
		}
		if (head_row && !hhv[fh] && name)
			hhv[fh] = name;
		for (int i = 0; i < NHH; i++)
			if (im->hh_has[i]) {
				if (hhv[i])
					set_prev(&im->prev[i], hhv[i]);
				else {
					free(im->prev[i]);
					im->prev[i] = NULL;
				}
			}
		if (hv)
			set_prev(&im->prev_hv, hv);
		/* an ID number already registered names the household too */
		char member[33] = "";
		if ((ex = existing(im, line, idv, NULL, NULL, old, err)) < 0)
			return ex == -2 ? TZ_OK : err->status;
		if (ex) {
			tz_row r;
			tz_err e;
			if (tz_record_get(im->db, "person", old, &r, &e) == TZ_OK) {
				if (r.vals[im->f_hh])
					snprintf(member, sizeof member, "%s", r.vals[im->f_hh]);
				tz_record_row_free(&r);
			}
		}
		int h = household_of(im, line, hhv, hv, member, hid, err);
		if (h)
			return h < 0 ? err->status : TZ_OK;
		if (!ex && !idv && hid[0] && name &&
		    (ex = existing(im, line, NULL, hid, name, old, err)) < 0)
			return err->status;
		if (hid[0]) {
			im->kv[n].name = im->t->fields[im->f_hh].name;
			im->kv[n].value = hid;
			n++;
		}
	} else {
		if ((ex = existing(im, line, idv, NULL, NULL, old, err)) < 0)
			return ex == -2 ? TZ_OK : err->status;
		/* no ID number: the same name in the household given */
		if (!ex && !idv && hid_given && name &&
		    (ex = existing(im, line, NULL, hid_given, name, old, err)) < 0)
			return err->status;
	}
	if (ex)
		return compare(im, line, im->t, old, im->kv, n, err);
	char id[33];
	tz_err e;
	tz_err_clear(&e);
	st = tz_record_add(im->db, im->t->name, im->kv, n, id, &e);
	if (st == TZ_OK)
		return im->rep->bad ? TZ_OK : add_id(im, id, err);
	if (tz_status_exit(st) == 1) {
		problem(im, line, e.msg);
		return TZ_OK;
	}
	*err = e; /* the environment failed: stop */
	return st;
}

static int title_row(const importer *im, const tz_csv_rec *rec)
{
	int cells = 0, at = -1;
	for (int i = 0; i < rec->n; i++)
		if (*trim(rec->field[i])) {
			cells++;
			at = i;
		}
	if (cells != 1)
		return 0;
	const char *h = rec->field[at];
	return header_field(im->t, h) < 0 && (!im->hht || header_field(im->hht, h) < 0) &&
	       strcasecmp(h, "id");
}

/* A totals line under the rows: 合计 or 总计 and figures, no name. */
static int totals_row(const tz_csv_rec *rec)
{
	for (int i = 0; i < rec->n; i++) {
		const char *v = trim(rec->field[i]);
		if (!*v)
			continue;
		return !strncmp(v, "合计", 6) || !strncmp(v, "总计", 6) || !strncmp(v, "小计", 6);
	}
	return 0;
}

static tz_status run(importer *im, tz_csv *c, tz_err *err)
{
	tz_csv_rec rec;
	tz_err e;
	tz_status st = tz_csv_next(c, &rec, &e);
	if (st == TZ_OK && rec.n == 0)
		st = tz_fail(&e, TZ_EINVAL, "the file is empty: the first line must name the columns",
			     "文件是空的：第一行应为表头（列名）");
	/* a title above the header ("某村劳动力花名册", a merged row): one cell
	 * that names no column */
	if (st == TZ_OK && title_row(im, &rec))
		st = tz_csv_next(c, &rec, &e);
	if (st == TZ_OK && rec.n == 0)
		st = tz_fail(&e, TZ_EINVAL, "the file has a title but no header line",
			     "文件只有标题，没有表头行");
	if (st == TZ_OK && (st = header(im, &rec, err)))
		return st;
	if (st == TZ_OK && im->rep->bad) {
		/* rows cannot be read without their columns; a few are kept for a
		 * preview that shows what the unknown columns hold */
		while (im->rep->nsample < TZ_ROSTER_SAMPLE && tz_csv_next(c, &rec, &e) == TZ_OK &&
		       rec.n > 0)
			if (!totals_row(&rec) && (st = keep_sample(im->rep, &rec, err)))
				return st;
		return TZ_OK;
	}
	while (st == TZ_OK) {
		if ((st = tz_csv_next(c, &rec, &e)) || rec.n == 0)
			break;
		if (totals_row(&rec))
			continue;
		if ((st = keep_sample(im->rep, &rec, err)))
			return st;
		if ((st = row(im, &rec, err)))
			return st;
		if (im->rep->truncated)
			return TZ_OK;
	}
	if (st == TZ_EINVAL) {
		problem(im, rec.line, e.msg);
		return TZ_OK;
	}
	if (st)
		*err = e;
	return st;
}

tz_status tz_roster_import_reader(tz_db *db, const char *table, tz_csv *c,
			       const tz_roster_opts *opts, tz_csv_bad_fn bad, void *ctx,
			       tz_roster_report *rep, tz_err *err)
{
	const tz_table *t = tz_schema_table_find(table);
	memset(rep, 0, sizeof *rep);
	if (!t)
		return tz_fail(err, TZ_EUSAGE, "unknown table '%.40s'", "没有名为“%.40s”的表", table);
	if (opts && opts->nmap > 64)
		return tz_fail(err, TZ_EUSAGE, "at most 64 --map and --skip", "--map 和 --skip 最多 64 个");
	importer *im = calloc(1, sizeof *im);
	if (!im)
		return tz_nomem(err);
	im->db = db;
	im->t = t;
	im->o = opts;
	im->bad = bad;
	im->ctx = ctx;
	im->rep = rep;
	im->last_bad = -1;
	im->uniq = -1;
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].type == TZ_T_IDNUM)
			im->uniq = i;
	im->f_hh = im->f_name = im->f_rel = -1;
	if (!strcmp(t->name, "person")) {
		im->hht = tz_schema_table_find("household");
		im->f_hh = tz_schema_field_find(t, "household");
		im->f_name = tz_schema_field_find(t, "name");
		im->f_rel = tz_schema_field_find(t, "relation");
	}
	char *region = tz_db_region(db);
	if (region && strlen(region) == 12 && tz_db_role(db) == TZ_ROLE_VILLAGE) {
		im->own = region;
		im->own_name = tz_db_name(db);
	} else {
		free(region);
	}
	rep->dry_run = opts && opts->dry_run;
	tz_status st = tz_db_begin(db, err);
	if (!st) {
		st = run(im, c, err);
		if (!st && !rep->bad && !rep->dry_run)
			st = tz_db_commit(db, err);
		else
			tz_db_rollback(db);
	}
	if (!st && rep->bad) {
		if (rep->truncated)
			st = tz_fail(err, TZ_EINVAL,
				     "nothing imported: more than %d bad lines, stopped at line %ld",
				     "未导入任何记录：错误超过 %d 行，已在第 %ld 行停止", TZ_CSV_MAX_BAD,
				     im->last_bad);
		else
			st = tz_fail(err, TZ_EINVAL, "nothing imported: %ld bad line%s",
				     "未导入任何记录：%ld 行有误%s", rep->bad,
				     tz_lang_get() == TZ_LANG_ZH || rep->bad == 1 ? "" : "s");
	}
	if (st) {
		free(rep->ids);
		rep->ids = NULL;
		rep->imported = 0;
	}
	for (int i = 0; i < NHH; i++)
		free(im->prev[i]);
	free(im->prev_hv);
	free(im->own);
	free(im->own_name);
	seen_free(&im->ids);
	seen_free(&im->groups);
	free(im);
	return st;
}

tz_status tz_roster_import(tz_db *db, const char *table, const char *path, const char *encoding,
			const tz_roster_opts *opts, tz_csv_bad_fn bad, void *ctx,
			tz_roster_report *rep, tz_err *err)
{
	memset(rep, 0, sizeof *rep);
	int enc = encoding ? tz_csv_encoding_parse(encoding) : TZ_ENC_UTF8;
	if (enc < 0)
		return tz_fail(err, TZ_EUSAGE, "unknown encoding '%.40s' (use utf-8 or gb18030)",
			       "未知编码“%.40s”（可用 utf-8 或 gb18030）", encoding);
	if (!tz_schema_table_find(table))
		return tz_fail(err, TZ_EUSAGE, "unknown table '%.40s'", "没有名为“%.40s”的表", table);
	int std = !strcmp(path, "-");
	FILE *f = std ? stdin : fopen(path, "rb");
	if (!f)
		return tz_fail(err, TZ_EIO, "cannot open %s: %s", "无法打开 %s：%s", path,
			       tz_strerror(errno));
	tz_csv *c;
	tz_status st = tz_csv_open(&c, f, (tz_csv_enc)enc, err);
	if (!st) {
		st = tz_roster_import_reader(db, table, c, opts, bad, ctx, rep, err);
		const char *why;
		if (st == TZ_EIO && tz_csv_status(c, &why) == TZ_EIO)
			tz_fail(err, TZ_EIO, "%s: %s", "%s：%s", path, why);
		tz_csv_close(c);
	}
	if (!std)
		fclose(f);
	return st;
}
