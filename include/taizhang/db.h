/* store.h - the database: opening, migrations, transactions, identity.
 *
 * One SQLite file per installation, WAL, synchronous=FULL.  Replicated
 * tables (schema.h) hold the folded state; the op log (oplog.h) holds every
 * change.  Local tables hold the device identity, settings and the clock.
 */
#ifndef TAIZHANG_STORE_H
#define TAIZHANG_STORE_H

#include <stdint.h>

#include "taizhang/hex.h"
#include "taizhang/err.h"

typedef struct tz_db tz_db;
struct sqlite3;

#define TZ_SCHEMA_VERSION 11

enum {
	TZ_OPEN_CREATE = 1 << 0, /* create the file if missing */
	TZ_OPEN_READONLY = 1 << 1,
	TZ_OPEN_NOMIGRATE = 1 << 2, /* tests: leave the schema as found */
};

/* Open (and migrate) the database at path. */
tz_status tz_db_open(tz_db **out, const char *path, unsigned flags, tz_err *err);
void tz_db_close(tz_db *db);
/* Migrate an open database up to `version` only (tests of older versions). */
tz_status tz_db_migrate_to(tz_db *db, int version, tz_err *err);
int tz_db_user_version(tz_db *db);

/* Nested transactions: the outermost is BEGIN IMMEDIATE, inner ones are
 * savepoints.  The clock and sequence are persisted at the outermost commit. */
tz_status tz_db_begin(tz_db *db, tz_err *err);
tz_status tz_db_commit(tz_db *db, tz_err *err);
void tz_db_rollback(tz_db *db);

/* Device identity, set once by init. */
/* TZ_ROLE_ESCROW is a keyring role only (a key bundles are also encrypted
 * to, for recovery; docs/bundle-format.md), never a database's own. */
typedef enum { TZ_ROLE_VILLAGE, TZ_ROLE_TOWNSHIP, TZ_ROLE_COUNTY, TZ_ROLE_ESCROW } tz_role;
const char *tz_db_role_name(tz_role r);
int tz_db_role_parse(const char *s); /* -1 if unknown */

tz_status tz_db_set_identity(tz_db *db, tz_role role, const char *region,
			     const char *name, tz_err *err);
/* 1 if init has run on this database. */
int tz_db_has_identity(tz_db *db);
/* This device's 16-byte origin id; zero if not initialised. */
const uint8_t *tz_db_origin(tz_db *db);
tz_role tz_db_role(tz_db *db);
/* This device's region code and name as given to init (malloc'd, or NULL). */
char *tz_db_region(tz_db *db);
char *tz_db_name(tz_db *db);


/* A new random 16-byte record id (hex: taizhang/bytes.h). */
void tz_db_new_id(uint8_t out[16]);

#endif
