/* record.h - validated reads and writes of replicated records.
 *
 * The one way to change data: every write validates, derives, appends an op
 * and folds it in one transaction.  The CLI, import-csv, demo and the TUI
 * all come through here.
 */
#ifndef TAIZHANG_RECORD_H
#define TAIZHANG_RECORD_H

#include "taizhang/err.h"
#include "taizhang/schema.h"
#include "taizhang/db.h"

typedef struct {
	const char *name;  /* field name or label */
	const char *value; /* user's text; "" clears the field */
} tz_kv;

/* A record as strings: vals[i] is field i+1 of the table (NULL = empty). */
typedef struct {
	const tz_table *table;
	char id[33];
	int deleted;
	char **vals; /* table->nfields entries */
} tz_row;

void tz_record_row_free(tz_row *r);

/* Validate, derive (gender and birth date from an ID number) and insert.
 * Writes the new id (32 hex) to id_out. */
tz_status tz_record_add(tz_db *db, const char *table, const tz_kv *kv, int n, char id_out[33],
			tz_err *err);
tz_status tz_record_set(tz_db *db, const char *table, const char *id, const tz_kv *kv, int n,
			tz_err *err);
tz_status tz_record_del(tz_db *db, const char *table, const char *id, tz_err *err);
/* Any row, live or deleted. */
tz_status tz_record_get(tz_db *db, const char *table, const char *id, tz_row *out, tz_err *err);

/* Live rows matching every where (field = normalised value), in id order.
 * A non-zero return from cb stops the walk. */
typedef int (*tz_row_cb)(void *ctx, const tz_row *row);
tz_status tz_record_list(tz_db *db, const char *table, const tz_kv *where, int nwhere,
			 tz_row_cb cb, void *ctx, tz_err *err);

/* Number of live rows in a table (-1 on error). */
long tz_record_count(tz_db *db, const char *table);

/* Validate a whole prospective row (field values already normalised):
 * required fields, cross-field rules (wage_min <= wage_max, age ranges,
 * dates in order, closed case needs closed date), derivations.  vals has
 * t->nfields entries, may be modified (derived values malloc'd). */
tz_status tz_record_check(const tz_table *t, char **vals, tz_err *err);

/* The live person with this national ID number (normalised first);
 * TZ_ENOTFOUND if none, TZ_EINVAL if the number is malformed. */
tz_status tz_record_by_idnum(tz_db *db, const char *idnum, char id_out[33], tz_err *err);

#endif
