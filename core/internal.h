/* internal.h - the store's struct and what only core/ uses of it.  Included
 * by the files of core/ alone (make layers); what sync/ needs of the store is in
 * taizhang/sqlstore.h. */
#ifndef TAIZHANG_INTERNAL_H
#define TAIZHANG_INTERNAL_H

#include <sqlite3.h>
#include <stdint.h>

#include "taizhang/err.h"
#include "taizhang/oplog.h"
#include "taizhang/schema.h"
#include "taizhang/db_sql.h"
#include "taizhang/db.h"

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
	/* the signer of the ops being applied (tz_oplog_authority) */
	int auth_on;
	tz_authority auth;
	size_t denied, waiting;
};



/* The raw local key-value table under the settings (core/settings.c, the
 * one settings API, reads and writes through these, as do the staff PIN
 * hashes of core/pin.c).  Returned strings are malloc'd. */
char *tz_db_setting_get(tz_db *db, const char *key);
long tz_db_setting_int(tz_db *db, const char *key, long dflt);
tz_status tz_db_setting_set(tz_db *db, const char *key, const char *val, tz_err *err);

/* Write the clock and seq to the database (called at the outer commit). */
tz_status tz_db_clock_save(tz_db *db, tz_err *err);


/* Per-table SQL, built once from the descriptors. */
const char *tz_db_sql_select_row(int table);
const char *tz_db_sql_insert_row(int table);
const char *tz_db_sql_update_row(int table);


/* The deferred search keys (taizhang/sqlstore.h): fold() calls
 * tz_search_touch before it first writes a person or household row (which
 * removes the row's keys, if it had any). */
tz_status tz_search_touch(tz_db *db, int table, const char idhex[33], int existed, tz_err *err);



#endif
