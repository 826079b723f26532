/* internal.h - what core/ and sync/ share and nothing else sees. */
#ifndef TAIZHANG_INTERNAL_H
#define TAIZHANG_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "taizhang/err.h"
#include "taizhang/oplog.h"
#include "taizhang/schema.h"
#include "taizhang/store.h"

#define TZ_STMT_CACHE 96

struct tz_db {
	sqlite3 *sql;
	int depth; /* transaction nesting */
	int readonly;
	int has_identity;
	uint8_t origin[16];
	int64_t origin_idx; /* this device in the origin table */
	tz_role role;
	uint64_t hlc; /* greatest HLC seen or made */
	uint64_t seq; /* last local seq */
	int clock_dirty;
	uint64_t saved_seq[32]; /* seq at each open savepoint */
	/* origin index -> 16-byte id */
	uint8_t (*origins)[16];
	int64_t norigins;
	/* prepared statements by SQL text */
	struct {
		const char *sql;
		sqlite3_stmt *stmt;
	} cache[TZ_STMT_CACHE];
	int ncache;
	/* search keys written after the apply, not by the triggers
	 * (tz_search_defer in core/search.c) */
	int search_deferred;
};

/* A cached prepared statement for sql (a string literal or other string
 * that lives as long as the db), reset and unbound; NULL on error. */
sqlite3_stmt *tz_stmt(tz_db *db, const char *sql);
/* Run sql with no results; TZ_OK or TZ_EDB/TZ_EIO. */
tz_status tz_exec(tz_db *db, const char *sql, tz_err *err);

/* Origin index for a 16-byte id, created if new (inside a transaction). */
int64_t tz_origin_idx(tz_db *db, const uint8_t id[16], int create);
/* The 16-byte id of an origin index, from a cache that the next call may
 * reload: copy it before looking up another. */
const uint8_t *tz_origin_id(tz_db *db, int64_t idx);

/* Write the clock and seq to the database (called at the outer commit). */
tz_status tz_clock_save(tz_db *db, tz_err *err);

/* A local meta value (identity: role, region, name), malloc'd or NULL. */
char *tz_meta_get(tz_db *db, const char *key);
/* A meta blob of exactly len bytes into out: 0, or -1 if absent. */
int tz_meta_blob(tz_db *db, const char *key, void *out, int len);
tz_status tz_meta_put(tz_db *db, const char *k, const void *v, int len, int blob, tz_err *err);

/* Per-table SQL, built once from the descriptors. */
const char *tz_sql_select_row(int table);
const char *tz_sql_insert_row(int table);
const char *tz_sql_update_row(int table);

/* Bulk writing (a merge): statement journals in memory and a 64 MiB page
 * cache while on; call outside a transaction. */
void tz_db_bulk(tz_db *db, int on);

/* Deferred search keys (core/search.c), inside a transaction: after
 * tz_search_defer the triggers leave the index alone; fold() calls
 * tz_search_touch before it first writes a person or household row (which
 * removes the row's keys, if it had any), and tz_search_flush writes the
 * keys of every row touched from its final state, in key order, and ends
 * the deferral; tz_search_cancel ends it before a rollback. */
tz_status tz_search_defer(tz_db *db, tz_err *err);
tz_status tz_search_touch(tz_db *db, int table, const char idhex[33], int existed, tz_err *err);
tz_status tz_search_flush(tz_db *db, tz_err *err);
void tz_search_cancel(tz_db *db);

/* Column type in SQL for a field. */
int tz_field_is_int(const tz_field *f);

/* Text layout shared by the reports (core/report.c): no wider than 80
 * columns, CJK characters counted as two. */
#include <stdio.h>
typedef struct {
	const char *head;
	int left; /* left-aligned (text); numbers are right-aligned */
} tz_tcol;
/* s in exactly cols columns, cut with ".." or padded (right: on the left) */
void tz_put_fit(FILE *f, const char *s, int cols, int right);
void tz_put_line(FILE *f, const char *s);
void tz_put_rule(FILE *f, int cols);
/* wrapped at 80 columns */
void tz_put_wrapped(FILE *f, const char *s);
/* a key column and columns cut into chunks no wider than 80, each
 * repeating the key column; cells[r * ncols + c]; has_total: the last row
 * is set off by a rule */
void tz_put_table(FILE *f, const char *keyhead, char **keys, int nrows, const tz_tcol *cols,
		  int ncols, char **cells, int has_total);
/* a CSV field, quoted when needed */
void tz_csv_put(FILE *f, const char *s);

/* For tests (sync/bundle.c): at most ops ops per import batch (0: the
 * default), so that small bundles take the paths of large ones. */
void tz_bundle_batch_limit(size_t ops);

#endif
