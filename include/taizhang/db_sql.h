/* sqlstore.h - the store below the record API (core/db.c, core/search.c):
 * its SQLite handle and prepared statements, local meta values, the origin
 * table, bulk mode and the deferred search keys.
 *
 * For the layers that keep their own tables in the same file or fold
 * bundles into it (sync/: the keyring, the received bundles, the merge).
 * The TUI and the command line never use it: they go through the record,
 * search and report APIs (make layers: tui/ may not call sqlite3_*).
 */
#ifndef TAIZHANG_SQLSTORE_H
#define TAIZHANG_SQLSTORE_H

#include <sqlite3.h>
#include <stdint.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

/* The SQLite handle. */
struct sqlite3 *tz_db_sql(tz_db *db);
/* Translate the last SQLite error into err (status TZ_EDB, or TZ_EIO for
 * disk-full and I/O errors). */
tz_status tz_db_fail(tz_db *db, tz_err *err, const char *what);

/* A cached prepared statement for sql (a string literal or other string
 * that lives as long as the db), reset and unbound; NULL on error. */
sqlite3_stmt *tz_db_stmt(tz_db *db, const char *sql);
/* Run sql with no results; TZ_OK or TZ_EDB/TZ_EIO. */
tz_status tz_db_exec(tz_db *db, const char *sql, tz_err *err);

/* A local meta value (identity: role, region, name), malloc'd or NULL. */
char *tz_db_meta_get(tz_db *db, const char *key);
/* A meta blob of exactly len bytes into out: 0, or -1 if absent. */
int tz_db_meta_blob(tz_db *db, const char *key, void *out, int len);
tz_status tz_db_meta_put(tz_db *db, const char *k, const void *v, int len, int blob, tz_err *err);

/* Origin index for a 16-byte id, created if new (inside a transaction). */
int64_t tz_db_origin_idx(tz_db *db, const uint8_t id[16], int create);
/* The 16-byte id of an origin index, from a cache that the next call may
 * reload: copy it before looking up another. */
const uint8_t *tz_db_origin_id(tz_db *db, int64_t idx);

/* A held op as the quarantine table stores it: columns origin, seq, hlc,
 * tbl, row, flags, data in that order from the statement's first; op.data
 * points into the statement's row.  0, or -1 for a row that is not one. */
struct tz_op;
int tz_oplog_held_op(sqlite3_stmt *st, struct tz_op *op);

/* Bulk writing (a merge): statement journals in memory and a 64 MiB page
 * cache while on; call outside a transaction. */
void tz_db_bulk(tz_db *db, int on);

/* Deferred search keys (core/search.c), inside a transaction: after
 * tz_search_defer the triggers leave the index alone; the fold of the
 * records marks each person and household row it writes, and
 * tz_search_flush writes the keys of every row touched from its final
 * state, in key order, and ends the deferral; tz_search_cancel ends it
 * before a rollback. */
tz_status tz_search_defer(tz_db *db, tz_err *err);
tz_status tz_search_flush(tz_db *db, tz_err *err);
void tz_search_cancel(tz_db *db);

#endif
