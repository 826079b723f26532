/* query.c - the small helpers that the record-reading modules of core/
 * share (event, notice, calllist, perf, platform): statements prepared
 * once per call, a live row, a field's value, the output written. */
#include "query.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/db_sql.h"

const char *tz_query_col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

char *tz_query_dup(const char *s) { return s ? strdup(s) : NULL; }

tz_status tz_query_fail(tz_db *db, sqlite3_stmt *st, tz_err *err, const char *what)
{
	tz_status s = tz_db_fail(db, err, what);
	sqlite3_finalize(st);
	return s;
}

sqlite3_stmt *tz_query_prep(tz_db *db, const char *sql, tz_err *err, const char *what)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(tz_db_sql(db), sql, -1, &st, NULL) != SQLITE_OK) {
		tz_db_fail(db, err, what);
		return NULL;
	}
	return st;
}

/* A live row or TZ_EINVAL naming what is missing (the record's own error). */
tz_status tz_query_live_row(tz_db *db, const char *table, const char *id, tz_row *r, tz_err *err)
{
	tz_status st = tz_record_get(db, table, id, r, err);
	if (st == TZ_ENOTFOUND && err)
		err->status = st = TZ_EINVAL;
	if (st)
		return st;
	if (r->deleted) {
		const tz_table *t = r->table;
		tz_record_row_free(r);
		return tz_fail(err, TZ_EINVAL, "%s %s has been deleted", "%s %s 已被删除",
			       tz_tr(t->en, t->zh), id);
	}
	return TZ_OK;
}

const char *tz_query_val(const tz_row *r, const char *field)
{
	int i = tz_schema_field_find(r->table, field);
	return i >= 0 ? r->vals[i] : NULL;
}

tz_status tz_query_written(FILE *f, tz_err *err)
{
	if (fflush(f) || ferror(f))
		return tz_fail(err, TZ_EIO, "writing the output failed", "写出结果失败");
	return TZ_OK;
}
