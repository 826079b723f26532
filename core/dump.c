/* dump.c - the canonical dump, and the escaping its values use. */
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "taizhang/dump.h"
#include "taizhang/validate.h"

void tz_dump_escaped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		unsigned char ch = *p;
		const char *esc = ch == '\n' ? "\\n" : ch == '\t' ? "\\t" : ch == '\r' ? "\\r"
			      : ch == '\\' ? "\\\\" : NULL;
		if (esc) {
			fputs(esc, f);
			p++;
		} else if (ch < 0x20 || ch == 0x7f) {
			fprintf(f, "\\x%02x", ch);
			p++;
		} else if (ch < 0x80) {
			fputc(ch, f);
			p++;
		} else {
			size_t n;
			const char *c = (const char *)p;
			if (tz_utf8_decode(c, strnlen(c, 4), &n) >= 0xa0) { /* C1 controls are escaped */
				fwrite(p, 1, n, f);
				p += n;
			} else {
				fprintf(f, "\\x%02x", ch);
				p++;
			}
		}
	}
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

tz_status tz_dump(tz_db *db, FILE *out, tz_err *err)
{
	/* tables by name, fields by name */
	const tz_table *tabs[64];
	int nt = tz_schema_ntables;
	for (int i = 0; i < nt; i++)
		tabs[i] = tz_schema_tables[i];
	for (int i = 1; i < nt; i++)
		for (int j = i; j > 0 && strcmp(tabs[j - 1]->name, tabs[j]->name) > 0; j--) {
			const tz_table *x = tabs[j];
			tabs[j] = tabs[j - 1];
			tabs[j - 1] = x;
		}
	for (int k = 0; k < nt; k++) {
		const tz_table *t = tabs[k];
		const char *names[64];
		for (int i = 0; i < t->nfields; i++)
			names[i] = t->fields[i].name;
		qsort(names, (size_t)t->nfields, sizeof names[0], cmp_str);
		char sql[2048];
		int len = snprintf(sql, sizeof sql, "SELECT id, _deleted");
		for (int i = 0; i < t->nfields; i++)
			len += snprintf(sql + len, sizeof sql - (size_t)len, ", \"%s\"", names[i]);
		snprintf(sql + len, sizeof sql - (size_t)len, " FROM \"%s\" ORDER BY id", t->name);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
			return tz_db_fail(db, err, t->name);
		int rc;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			const char *id = (const char *)sqlite3_column_text(st, 0);
			fprintf(out, "%s\t%s\t_deleted\t%d\n", t->name, id, sqlite3_column_int(st, 1));
			for (int i = 0; i < t->nfields; i++) {
				if (sqlite3_column_type(st, i + 2) == SQLITE_NULL)
					continue;
				fprintf(out, "%s\t%s\t%s\t", t->name, id, names[i]);
				tz_dump_escaped(out, (const char *)sqlite3_column_text(st, i + 2));
				fputc('\n', out);
			}
		}
		sqlite3_finalize(st);
		if (rc != SQLITE_DONE)
			return tz_db_fail(db, err, t->name);
	}
	if (fflush(out) || ferror(out))
		return tz_fail(err, TZ_EIO, "cannot write the dump", "无法写出数据");
	return TZ_OK;
}
