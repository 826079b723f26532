/* roster.c - the all-or-nothing import of a CSV roster into a table.
 *
 * The header row names the columns; every further row becomes one record
 * through tz_record_add, all in one transaction.
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
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/utf8.h"
#include "taizhang/validate.h"


void tz_csv_report_free(tz_csv_report *rep)
{
	if (!rep)
		return;
	free(rep->ids);
	rep->ids = NULL;
	rep->imported = 0;
}

/* National ID numbers already seen in the file: open addressing. */
typedef struct {
	char key[19];
	long line;
} seen_slot;

typedef struct {
	tz_db *db;
	const tz_table *t;
	tz_csv_bad_fn bad;
	void *ctx;
	tz_csv_report *rep;
	long last_bad;
	int ncol;
	int col[TZ_CSV_MAX_FIELDS]; /* field index per column, -1 for none */
	tz_kv kv[TZ_CSV_MAX_FIELDS];
	int uniq; /* field index of the ID number, -1 if the table has none */
	seen_slot *seen;
	size_t nseen, capseen;
	sqlite3_stmt *live;
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

static uint64_t hash19(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The line a key was first seen on, or 0 after adding it with `line`; -1 if
 * out of memory. */
static long seen_add(importer *im, const char *key, long line)
{
	if (2 * (im->nseen + 1) > im->capseen) {
		size_t cap = im->capseen ? 2 * im->capseen : 1024;
		seen_slot *n = calloc(cap, sizeof *n);
		if (!n)
			return -1;
		for (size_t i = 0; i < im->capseen; i++) {
			if (!im->seen[i].key[0])
				continue;
			size_t j = hash19(im->seen[i].key) & (cap - 1);
			while (n[j].key[0])
				j = (j + 1) & (cap - 1);
			n[j] = im->seen[i];
		}
		free(im->seen);
		im->seen = n;
		im->capseen = cap;
	}
	size_t j = hash19(key) & (im->capseen - 1);
	for (; im->seen[j].key[0]; j = (j + 1) & (im->capseen - 1))
		if (!strcmp(im->seen[j].key, key))
			return im->seen[j].line;
	memcpy(im->seen[j].key, key, 19);
	im->seen[j].line = line;
	im->nseen++;
	return 0;
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

/* A header cell to a field: name or label, then ignoring case, then without
 * the "*" that templates put on required columns. */
static int header_field(const tz_table *t, char *h)
{
	int i = tz_schema_field_find(t, h);
	if (i >= 0)
		return i;
	for (i = 0; i < t->nfields; i++)
		if (!strcasecmp(t->fields[i].name, h) || !strcasecmp(t->fields[i].en, h))
			return i;
	size_t n = strlen(h);
	if (n > 1 && (h[0] == '*' || h[n - 1] == '*')) {
		if (h[n - 1] == '*')
			h[n - 1] = '\0';
		return header_field(t, trim(h[0] == '*' ? h + 1 : h));
	}
	if (n > 3 && (!strncmp(h, "\xef\xbc\x8a", 3) || !strcmp(h + n - 3, "\xef\xbc\x8a"))) {
		if (!strcmp(h + n - 3, "\xef\xbc\x8a")) /* full-width asterisk */
			h[n - 3] = '\0';
		return header_field(t, trim(!strncmp(h, "\xef\xbc\x8a", 3) ? h + 3 : h));
	}
	return -1;
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

/* The table's columns for an error message, cut to fit. */
static void field_list(const tz_table *t, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < t->nfields; i++) {
		const tz_field *f = &t->fields[i];
		const char *s = tz_lang_get() == TZ_LANG_ZH ? f->zh : f->name;
		size_t l = strlen(s) + (i ? 2 : 0);
		if (n + l + 4 >= cap) {
			snprintf(buf + n, cap - n, "%s", "…");
			return;
		}
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? (tz_lang_get() == TZ_LANG_ZH ? "、" : ", ") : "", s);
	}
}

static void header(importer *im, const tz_csv_rec *rec)
{
	const tz_table *t = im->t;
	im->ncol = rec->n;
	for (int i = 0; i < rec->n; i++) {
		char *h = trim(rec->field[i]);
		im->col[i] = -1;
		if (!*h)
			continue; /* no header: the column must stay empty */
		if (!strcasecmp(h, "id")) {
			PROBLEM(im, rec->line,
				"column %d \"id\": import-csv only adds new records (change existing ones "
				"with 'record set')",
				"第 %d 列“id”：导入只能新增记录（修改已有记录请用 record set）", i + 1);
			continue;
		}
		int f = header_field(t, h);
		if (f < 0) {
			char known[300];
			field_list(t, known, sizeof known);
			char sh[96];
			PROBLEM(im, rec->line, "column %d \"%s\": %s has no such field (fields: %s)",
				"第 %d 列“%s”：%s没有这个字段（可用：%s）", i + 1,
				shown(h, sh, sizeof sh, 60),
				tz_tr(t->en, t->zh), known);
			continue;
		}
		for (int j = 0; j < i; j++)
			if (im->col[j] == f) {
				PROBLEM(im, rec->line, "columns %d and %d are both %s",
					"第 %d 列和第 %d 列都是“%s”", j + 1, i + 1,
					tz_tr(t->fields[f].en, t->fields[f].zh));
				break;
			}
		im->col[i] = f;
	}
	int any = 0;
	for (int i = 0; i < rec->n; i++)
		any |= im->col[i] >= 0;
	if (!any && !im->rep->bad)
		PROBLEM(im, rec->line, "the first line must name the columns (%s)",
			"第一行应为表头，写明各列的字段名（%s）", tz_tr(t->en, t->zh));
}

/* Uniqueness of the ID number: within the file and against live records. */
static tz_status check_unique(importer *im, long line, const char *v, int *dup, tz_err *err)
{
	char norm[19];
	tz_err e;
	*dup = 0;
	if (tz_valid_idnum(v, norm, NULL, NULL, &e))
		return TZ_OK; /* tz_record_add says what is wrong */
	long first = seen_add(im, norm, line);
	if (first < 0)
		return tz_nomem(err);
	if (first) {
		*dup = 1;
		PROBLEM(im, line, "ID number %s is already on line %ld of the file",
			"身份证号 %s 与文件第 %ld 行重复", norm, first);
		return TZ_OK;
	}
	sqlite3_stmt *s = im->live;
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*dup = 1;
		PROBLEM(im, line, "ID number %s is already registered (%s %s)",
			"身份证号 %s 已登记（%s %s）", norm, tz_tr(im->t->en, im->t->zh),
			(const char *)sqlite3_column_text(s, 0));
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return tz_db_fail(im->db, err, tz_tr(im->t->en, im->t->zh));
	}
	sqlite3_reset(s);
	return TZ_OK;
}

static tz_status add_id(importer *im, const char id[33], tz_err *err)
{
	tz_csv_report *rep = im->rep;
	char(*p)[33] = tz_buf_grow(rep->ids, (size_t)rep->imported, &im->capids, sizeof *p);
	if (!p)
		return tz_nomem(err);
	rep->ids = p;
	memcpy(rep->ids[rep->imported++], id, 33);
	return TZ_OK;
}

static tz_status row(importer *im, const tz_csv_rec *rec, tz_err *err)
{
	int n = 0, empty = 1;
	for (int i = 0; i < rec->n && empty; i++)
		empty = !*trim(rec->field[i]);
	if (empty)
		return TZ_OK; /* Excel leaves rows of bare commas behind */
	im->rep->rows++;
	if (rec->n > im->ncol)
		for (int i = im->ncol; i < rec->n; i++)
			if (*trim(rec->field[i])) {
				PROBLEM(im, rec->line, "%d cells, but the header has only %d columns",
					"有 %d 个单元格，但表头只有 %d 列", rec->n, im->ncol);
				return TZ_OK;
			}
	const char *idv = NULL;
	for (int i = 0; i < rec->n && i < im->ncol; i++) {
		char *v = rec->field[i];
		if (!*v)
			continue;
		if (im->col[i] < 0) {
			if (*trim(v)) {
				char sh[64];
				PROBLEM(im, rec->line, "column %d has no header but holds \"%s\"",
					"第 %d 列没有表头，却填写了“%s”", i + 1, shown(v, sh, sizeof sh, 40));
				return TZ_OK;
			}
			continue;
		}
		im->kv[n].name = im->t->fields[im->col[i]].name;
		im->kv[n].value = v;
		n++;
		if (im->col[i] == im->uniq)
			idv = v;
	}
	tz_status st;
	if (idv) {
		int dup;
		if ((st = check_unique(im, rec->line, idv, &dup, err)))
			return st;
		if (dup)
			return TZ_OK;
	}
	char id[33];
	tz_err e;
	tz_err_clear(&e);
	st = tz_record_add(im->db, im->t->name, im->kv, n, id, &e);
	if (st == TZ_OK)
		return im->rep->bad ? TZ_OK : add_id(im, id, err);
	if (tz_status_exit(st) == 1) {
		problem(im, rec->line, e.msg);
		return TZ_OK;
	}
	*err = e; /* the environment failed: stop */
	return st;
}

static tz_status run(importer *im, tz_csv *c, tz_err *err)
{
	tz_csv_rec rec;
	tz_err e;
	tz_status st = tz_csv_next(c, &rec, &e);
	if (st == TZ_OK && rec.n == 0)
		st = tz_fail(&e, TZ_EINVAL, "the file is empty: the first line must name the columns",
			     "文件是空的：第一行应为表头（列名）");
	if (st == TZ_OK)
		header(im, &rec);
	if (st == TZ_OK && im->rep->bad)
		return TZ_OK; /* rows cannot be read without their columns */
	while (st == TZ_OK) {
		if ((st = tz_csv_next(c, &rec, &e)) || rec.n == 0)
			break;
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

tz_status tz_csv_import_reader(tz_db *db, const char *table, tz_csv *c, tz_csv_bad_fn bad,
			       void *ctx, tz_csv_report *rep, tz_err *err)
{
	const tz_table *t = tz_schema_table_find(table);
	memset(rep, 0, sizeof *rep);
	if (!t)
		return tz_fail(err, TZ_EUSAGE, "unknown table '%.40s'", "没有名为“%.40s”的表", table);
	importer *im = calloc(1, sizeof *im);
	if (!im)
		return tz_nomem(err);
	im->db = db;
	im->t = t;
	im->bad = bad;
	im->ctx = ctx;
	im->rep = rep;
	im->last_bad = -1;
	im->uniq = -1;
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].type == TZ_T_IDNUM)
			im->uniq = i;
	tz_status st = TZ_OK;
	if (im->uniq >= 0) {
		char sql[160];
		snprintf(sql, sizeof sql,
			 "SELECT id FROM \"%s\" WHERE \"%s\"=?1 AND _deleted=0 ORDER BY id LIMIT 1",
			 t->name, t->fields[im->uniq].name);
		if (sqlite3_prepare_v2(tz_db_sql(db), sql, -1, &im->live, NULL) != SQLITE_OK)
			st = tz_db_fail(db, err, tz_tr(t->en, t->zh));
	}
	if (!st && !(st = tz_db_begin(db, err))) {
		st = run(im, c, err);
		if (!st && !rep->bad)
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
	if (st)
		tz_csv_report_free(rep);
	sqlite3_finalize(im->live);
	free(im->seen);
	free(im);
	return st;
}

tz_status tz_csv_import(tz_db *db, const char *table, const char *path, const char *encoding,
			tz_csv_bad_fn bad, void *ctx, tz_csv_report *rep, tz_err *err)
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
		st = tz_csv_import_reader(db, table, c, bad, ctx, rep, err);
		const char *why;
		if (st == TZ_EIO && tz_csv_status(c, &why) == TZ_EIO)
			tz_fail(err, TZ_EIO, "%s: %s", "%s：%s", path, why);
		tz_csv_close(c);
	}
	if (!std)
		fclose(f);
	return st;
}
