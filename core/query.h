/* query.h - helpers shared by the record-reading modules of core/
 * (core/query.c); internal to core/. */
#ifndef TAIZHANG_QUERY_H
#define TAIZHANG_QUERY_H

#include <sqlite3.h>
#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/record.h"
#include "taizhang/db.h"

/* A statement prepared for one use (finalize it), or NULL with err set
 * naming what. */
sqlite3_stmt *tz_query_prep(tz_db *db, const char *sql, tz_err *err, const char *what);
/* err from the last SQLite error, naming what; st finalized. */
tz_status tz_query_fail(tz_db *db, sqlite3_stmt *st, tz_err *err, const char *what);
/* Column i as text (NULL for NULL). */
const char *tz_query_col(sqlite3_stmt *st, int i);
/* strdup, NULL for NULL. */
char *tz_query_dup(const char *s);
/* A live row or TZ_EINVAL naming what is missing or deleted. */
tz_status tz_query_live_row(tz_db *db, const char *table, const char *id, tz_row *r, tz_err *err);
/* A field's value in a row, NULL if empty or unknown. */
const char *tz_query_val(const tz_row *r, const char *field);
/* Flush f: TZ_OK, or TZ_EIO "writing the output failed". */
tz_status tz_query_written(FILE *f, tz_err *err);

#endif
