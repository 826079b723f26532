/* store.c - opening the database, migrations, transactions, identity. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "internal.h"
#include "taizhang/search.h"

/* how long a write waits for another program holding the database */
#define BUSY_TIMEOUT_MS 5000

/* Ordered migrations; index i brings user_version from i to i + 1.  The
 * replicated tables are not here: tz_reconcile() creates them and adds any
 * new field from the descriptors, since fields are only ever appended. */
/* Live-row counters kept by triggers, so that counting a table is one
 * lookup instead of a scan of a million rows (migration 6). */
#define COUNTED(t)                                                                          \
	"CREATE TRIGGER count_" t "_ins AFTER INSERT ON \"" t "\" WHEN NEW._deleted = 0 BEGIN"   \
	" UPDATE live_count SET n = n + 1 WHERE tbl = '" t "'; END;"                             \
	"CREATE TRIGGER count_" t "_upd AFTER UPDATE OF _deleted ON \"" t "\""                   \
	" WHEN OLD._deleted <> NEW._deleted BEGIN UPDATE live_count SET n = n +"                 \
	" (CASE WHEN NEW._deleted = 0 THEN 1 ELSE -1 END) WHERE tbl = '" t "'; END;"             \
	"CREATE TRIGGER count_" t "_del AFTER DELETE ON \"" t "\" WHEN OLD._deleted = 0 BEGIN"   \
	" UPDATE live_count SET n = n - 1 WHERE tbl = '" t "'; END;"                             \
	"INSERT INTO live_count SELECT '" t "', count(*) FROM \"" t "\" WHERE _deleted = 0;"

static const char *const migrations[] = {
	/* 1: local tables */
	"CREATE TABLE meta(k TEXT PRIMARY KEY, v) WITHOUT ROWID;"
	"CREATE TABLE setting(k TEXT PRIMARY KEY, v TEXT) WITHOUT ROWID;"
	"CREATE TABLE origin(idx INTEGER PRIMARY KEY, id BLOB NOT NULL UNIQUE);"
	"CREATE TABLE op(origin INTEGER NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL,"
	" tbl INTEGER NOT NULL, row BLOB NOT NULL, flags INTEGER NOT NULL, data BLOB NOT NULL,"
	" PRIMARY KEY(origin, seq)) WITHOUT ROWID;"
	"CREATE TABLE quarantine(origin BLOB NOT NULL, seq INTEGER NOT NULL, hlc INTEGER NOT NULL,"
	" tbl INTEGER NOT NULL, row BLOB NOT NULL, flags INTEGER NOT NULL, data BLOB NOT NULL,"
	" received INTEGER NOT NULL, PRIMARY KEY(origin, seq)) WITHOUT ROWID;"
	"CREATE TABLE review(id INTEGER PRIMARY KEY, kind TEXT NOT NULL, tbl TEXT NOT NULL,"
	" row TEXT NOT NULL, other TEXT, detail TEXT, created INTEGER NOT NULL,"
	" resolved INTEGER NOT NULL DEFAULT 0, UNIQUE(kind, tbl, row, other));",
	/* 2: the keyring of enrolled devices' public keys (sync/keyring.c) */
	"CREATE TABLE keyring(key_id BLOB PRIMARY KEY, pk BLOB NOT NULL, origin BLOB NOT NULL,"
	" role TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, added INTEGER NOT NULL,"
	" revoked_after INTEGER) WITHOUT ROWID;",
	/* 3: bundles seen (sync/bundle.c): chain and fork evidence, originals
	 * kept for forwarding upward */
	"CREATE TABLE bundle(id INTEGER PRIMARY KEY, hash BLOB NOT NULL, origin BLOB NOT NULL,"
	" first_seq INTEGER NOT NULL, last_seq INTEGER NOT NULL, prev BLOB NOT NULL,"
	" key_id BLOB NOT NULL, received INTEGER NOT NULL, status TEXT NOT NULL,"
	" forwarded INTEGER NOT NULL DEFAULT 0, data BLOB, UNIQUE(hash, status));"
	"CREATE INDEX bundle_origin ON bundle(origin, first_seq);",
	/* 4: the search index (core/search.c), kept by triggers on person and
	 * household through tz_search_keys() and tz_search_id(), which
	 * tz_db_open registers on every connection; tz_search_backfill()
	 * indexes the rows of an older file. */
	"CREATE TABLE search(kind INTEGER NOT NULL, key TEXT NOT NULL, tbl INTEGER NOT NULL,"
	" id BLOB NOT NULL, PRIMARY KEY(kind, key, tbl, id)) WITHOUT ROWID;"
	"CREATE TRIGGER search_person_add AFTER INSERT ON person WHEN NEW._deleted = 0 BEGIN"
	" INSERT OR IGNORE INTO search(kind, key, tbl, id)"
	" SELECT value, key, 1, tz_search_id(NEW.id)"
	" FROM json_each(tz_search_keys(NEW.name, NEW.id_number, NEW.phone)); END;"
	"CREATE TRIGGER search_person_set AFTER UPDATE ON person"
	" WHEN OLD._deleted IS NOT NEW._deleted OR OLD.name IS NOT NEW.name"
	" OR OLD.id_number IS NOT NEW.id_number OR OLD.phone IS NOT NEW.phone BEGIN"
	" DELETE FROM search WHERE (key, kind) IN (SELECT key, value"
	" FROM json_each(tz_search_keys(OLD.name, OLD.id_number, OLD.phone))"
	" WHERE OLD._deleted = 0) AND tbl = 1 AND id = tz_search_id(OLD.id);"
	" INSERT OR IGNORE INTO search(kind, key, tbl, id)"
	" SELECT value, key, 1, tz_search_id(NEW.id)"
	" FROM json_each(tz_search_keys(NEW.name, NEW.id_number, NEW.phone))"
	" WHERE NEW._deleted = 0; END;"
	"CREATE TRIGGER search_person_del AFTER DELETE ON person BEGIN"
	" DELETE FROM search WHERE (key, kind) IN (SELECT key, value"
	" FROM json_each(tz_search_keys(OLD.name, OLD.id_number, OLD.phone)))"
	" AND tbl = 1 AND id = tz_search_id(OLD.id); END;"
	"CREATE TRIGGER search_household_add AFTER INSERT ON household WHEN NEW._deleted = 0"
	" BEGIN INSERT OR IGNORE INTO search(kind, key, tbl, id)"
	" SELECT value, key, 0, tz_search_id(NEW.id)"
	" FROM json_each(tz_search_keys(NEW.head_name, NULL, NEW.phone)); END;"
	"CREATE TRIGGER search_household_set AFTER UPDATE ON household"
	" WHEN OLD._deleted IS NOT NEW._deleted OR OLD.head_name IS NOT NEW.head_name"
	" OR OLD.phone IS NOT NEW.phone BEGIN"
	" DELETE FROM search WHERE (key, kind) IN (SELECT key, value"
	" FROM json_each(tz_search_keys(OLD.head_name, NULL, OLD.phone))"
	" WHERE OLD._deleted = 0) AND tbl = 0 AND id = tz_search_id(OLD.id);"
	" INSERT OR IGNORE INTO search(kind, key, tbl, id)"
	" SELECT value, key, 0, tz_search_id(NEW.id)"
	" FROM json_each(tz_search_keys(NEW.head_name, NULL, NEW.phone))"
	" WHERE NEW._deleted = 0; END;"
	"CREATE TRIGGER search_household_del AFTER DELETE ON household BEGIN"
	" DELETE FROM search WHERE (key, kind) IN (SELECT key, value"
	" FROM json_each(tz_search_keys(OLD.head_name, NULL, OLD.phone)))"
	" AND tbl = 0 AND id = tz_search_id(OLD.id); END;"
	"SELECT tz_search_backfill();",
	/* 5: indexes for the follow-up schedule and matching (core/due.c,
	 * core/match.c) */
	"CREATE INDEX IF NOT EXISTS due_visit ON visit(household, date, next_visit, _deleted);"
	"CREATE INDEX IF NOT EXISTS due_aid_action ON aid_action(aid_case, date, next_due, kind,"
	" _deleted);"
	"CREATE INDEX IF NOT EXISTS due_keygroup ON person(household, birth_date, gender, _deleted,"
	" name, key_groups) WHERE key_groups IS NOT NULL;"
	"CREATE INDEX IF NOT EXISTS match_status ON person(employment_status, birth_date);"
	"CREATE INDEX IF NOT EXISTS match_want ON person(want_work, birth_date);",
	/* 6: live-row counters */
	"CREATE TABLE live_count(tbl TEXT PRIMARY KEY, n INTEGER NOT NULL) WITHOUT ROWID;"
	COUNTED("household") COUNTED("person") COUNTED("visit") COUNTED("aid_case")
	COUNTED("aid_action") COUNTED("employer") COUNTED("vacancy") COUNTED("referral")
	COUNTED("registration") COUNTED("staff"),
	/* 7: the platform's own records (issue 8): events and sign-ins,
	 * complaints, staff certificates, training, annual filing, the
	 * platform record; their counters and the due list's indexes */
	COUNTED("event") COUNTED("event_offer") COUNTED("attendance") COUNTED("complaint")
	COUNTED("staff_cert") COUNTED("training") COUNTED("staff_filing") COUNTED("platform")
	"CREATE INDEX IF NOT EXISTS due_complaint ON complaint(status, received, deadline,"
	" _deleted);"
	"CREATE INDEX IF NOT EXISTS due_staff_cert ON staff_cert(expiry, _deleted);",
	/* 8: enrolled devices' encryption keys (X25519 public key || the
	 * signing key's signature over it, sync/keyring.c) */
	"ALTER TABLE keyring ADD COLUMN enc BLOB;",
	/* 9: why a change is held: NULL for a clock far ahead (released when
	 * this PC's clock reaches it), else the authority it lacked
	 * (core/authority.c): held until the township decides, or, pending,
	 * until the record it changes arrives; the authority its signer had */
	"ALTER TABLE quarantine ADD COLUMN reason TEXT;"
	"ALTER TABLE quarantine ADD COLUMN pending INTEGER NOT NULL DEFAULT 0;"
	"ALTER TABLE quarantine ADD COLUMN auth_role INTEGER;"
	"ALTER TABLE quarantine ADD COLUMN auth_region TEXT;",
	/* 10: receipts received (sync/receipt.c): what a level above signed
	 * that it holds of this device's (or a forwarded device's) changes */
	"CREATE TABLE receipt(key_id BLOB NOT NULL, device BLOB NOT NULL, holder BLOB NOT NULL,"
	" seq INTEGER NOT NULL, head BLOB NOT NULL, time INTEGER NOT NULL,"
	" received INTEGER NOT NULL, text TEXT NOT NULL, PRIMARY KEY(key_id, device))"
	" WITHOUT ROWID;",
	/* 11: every keyring row signed by this device (sync/keyring.c); the
	 * rows already there are signed when the key is next unlocked */
	"ALTER TABLE keyring ADD COLUMN sig BLOB;"
	"INSERT INTO meta(k, v) SELECT 'keyring_adopt', '1' WHERE EXISTS(SELECT 1 FROM keyring);",
};
#define NMIGRATIONS ((int)(sizeof migrations / sizeof migrations[0]))

_Static_assert(NMIGRATIONS == TZ_SCHEMA_VERSION, "TZ_SCHEMA_VERSION matches migrations");

void tz_db_new_id(uint8_t out[16])
{
	randombytes_buf(out, 16);
}

tz_status tz_db_fail(tz_db *db, tz_err *err, const char *what)
{
	int code = db && db->sql ? sqlite3_errcode(db->sql) : SQLITE_ERROR;
	const char *m = db && db->sql ? sqlite3_errmsg(db->sql) : "no database";
	/* the operating system's reason behind an I/O error: a full disk shows
	 * up as SQLITE_IOERR when the WAL index cannot grow */
	int os = db && db->sql ? sqlite3_system_errno(db->sql) : 0;
	switch (code & 0xff) {
	case SQLITE_FULL:
		return tz_fail(err, TZ_EIO, "%s: disk full", "%s：磁盘已满", what);
	case SQLITE_IOERR:
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		if (os == ENOSPC || os == EDQUOT)
			return tz_fail(err, TZ_EIO, "%s: disk full", "%s：磁盘已满", what);
		if (os)
			return tz_fail(err, TZ_EIO, "%s: I/O error: %s", "%s：读写错误：%s", what,
				       tz_strerror(os));
		return tz_fail(err, TZ_EIO, "%s: I/O error: %s", "%s：读写错误：%s", what, m);
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return tz_fail(err, TZ_EDB,
			       "%s: the database is locked by another program (waited %d s); "
			       "close it and try again",
			       "%s：数据库被另一个程序锁定（已等待 %d 秒），请关闭该程序后重试", what,
			       BUSY_TIMEOUT_MS / 1000);
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		return tz_fail(err, TZ_EDB, "%s: not a taizhang database or damaged: %s",
			       "%s：不是台账数据库或文件已损坏：%s", what, m);
	default:
		return tz_fail(err, TZ_EDB, "%s: database error: %s", "%s：数据库错误：%s", what, m);
	}
}

sqlite3_stmt *tz_db_stmt(tz_db *db, const char *sql)
{
	for (int i = 0; i < db->ncache; i++) {
		if (db->cache[i].sql == sql) {
			sqlite3_stmt *s = db->cache[i].stmt;
			sqlite3_reset(s);
			sqlite3_clear_bindings(s);
			return s;
		}
	}
	sqlite3_stmt *s = NULL;
	if (sqlite3_prepare_v3(db->sql, sql, -1, SQLITE_PREPARE_PERSISTENT, &s, NULL) != SQLITE_OK)
		return NULL;
	if (db->ncache < TZ_STMT_CACHE) {
		db->cache[db->ncache].sql = sql;
		db->cache[db->ncache].stmt = s;
		db->ncache++;
	} else {
		/* cache full: evict the oldest entry (statements are few in practice) */
		sqlite3_finalize(db->cache[0].stmt);
		memmove(&db->cache[0], &db->cache[1], sizeof db->cache[0] * (TZ_STMT_CACHE - 1));
		db->cache[TZ_STMT_CACHE - 1].sql = sql;
		db->cache[TZ_STMT_CACHE - 1].stmt = s;
	}
	return s;
}

void tz_db_bulk(tz_db *db, int on)
{
	/* Inside a transaction each statement that fires triggers keeps a
	 * statement journal; once one outgrows its 64 KiB buffer, SQLite moves
	 * it to a temporary file for the rest of the transaction, and a merge
	 * then spends half its time in pwrite() (2 million calls for 76,000
	 * ops).  A larger page cache: random-key inserts into big tables
	 * otherwise spill to the WAL again and again. */
	tz_db_exec(db, on ? "PRAGMA temp_store=MEMORY; PRAGMA cache_size=-65536"
		       : "PRAGMA temp_store=DEFAULT; PRAGMA cache_size=-16000",
		NULL);
}

tz_status tz_db_exec(tz_db *db, const char *sql, tz_err *err)
{
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, tz_tr("database", "数据库"));
	return TZ_OK;
}

/* ---- per-table SQL built from the descriptors ---- */

static char *sql_select[32], *sql_insert[32], *sql_update[32];

static char *xasprintf_cat(char *s, const char *add)
{
	size_t a = s ? strlen(s) : 0, b = strlen(add);
	char *r = realloc(s, a + b + 1);
	if (!r)
		abort();
	memcpy(r + a, add, b + 1);
	return r;
}

static void build_sql(void)
{
	char tmp[256];
	if (sql_select[0])
		return;
	for (int t = 0; t < tz_schema_ntables; t++) {
		const tz_table *tb = tz_schema_tables[t];
		char *sel = xasprintf_cat(NULL, "SELECT _deleted,_hlc,_origin,_v");
		char *ins = xasprintf_cat(NULL, "INSERT INTO \"");
		ins = xasprintf_cat(ins, tb->name);
		ins = xasprintf_cat(ins, "\"(id,_deleted,_hlc,_origin,_v");
		char *upd = xasprintf_cat(NULL, "UPDATE \"");
		upd = xasprintf_cat(upd, tb->name);
		upd = xasprintf_cat(upd, "\" SET _deleted=?2,_hlc=?3,_origin=?4,_v=?5");
		for (int i = 0; i < tb->nfields; i++) {
			snprintf(tmp, sizeof tmp, ",\"%s\"", tb->fields[i].name);
			sel = xasprintf_cat(sel, tmp);
			ins = xasprintf_cat(ins, tmp);
			snprintf(tmp, sizeof tmp, ",\"%s\"=?%d", tb->fields[i].name, i + 6);
			upd = xasprintf_cat(upd, tmp);
		}
		snprintf(tmp, sizeof tmp, " FROM \"%s\" WHERE id=?1", tb->name);
		sel = xasprintf_cat(sel, tmp);
		ins = xasprintf_cat(ins, ") VALUES(?1,?2,?3,?4,?5");
		for (int i = 0; i < tb->nfields; i++) {
			snprintf(tmp, sizeof tmp, ",?%d", i + 6);
			ins = xasprintf_cat(ins, tmp);
		}
		ins = xasprintf_cat(ins, ")");
		upd = xasprintf_cat(upd, " WHERE id=?1");
		sql_select[t] = sel;
		sql_insert[t] = ins;
		sql_update[t] = upd;
	}
}

const char *tz_db_sql_select_row(int t) { build_sql(); return sql_select[t]; }
const char *tz_db_sql_insert_row(int t) { build_sql(); return sql_insert[t]; }
const char *tz_db_sql_update_row(int t) { build_sql(); return sql_update[t]; }

/* Create the replicated tables, add fields new since the file was made,
 * and the indexes on references and ID numbers. */
static tz_status reconcile(tz_db *db, tz_err *err)
{
	char sql[512];
	for (int t = 0; t < tz_schema_ntables; t++) {
		const tz_table *tb = tz_schema_tables[t];
		snprintf(sql, sizeof sql,
			 "CREATE TABLE IF NOT EXISTS \"%s\"(id TEXT PRIMARY KEY,"
			 " _deleted INTEGER NOT NULL DEFAULT 0, _hlc INTEGER NOT NULL DEFAULT 0,"
			 " _origin INTEGER NOT NULL DEFAULT 0, _v BLOB) WITHOUT ROWID",
			 tb->name);
		if (tz_db_exec(db, sql, err))
			return err ? err->status : TZ_EDB;
		/* which fields exist already */
		snprintf(sql, sizeof sql, "SELECT name FROM pragma_table_info('%s')", tb->name);
		sqlite3_stmt *st;
		if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
			return tz_db_fail(db, err, "schema");
		char have[64] = {0};
		while (sqlite3_step(st) == SQLITE_ROW) {
			const char *n = (const char *)sqlite3_column_text(st, 0);
			int i = n ? tz_schema_field_find(tb, n) : -1;
			if (i >= 0 && i < 64 && strcmp(tb->fields[i].name, n) == 0)
				have[i] = 1;
		}
		sqlite3_finalize(st);
		for (int i = 0; i < tb->nfields; i++) {
			const tz_field *f = &tb->fields[i];
			if (have[i])
				continue;
			snprintf(sql, sizeof sql, "ALTER TABLE \"%s\" ADD COLUMN \"%s\" %s", tb->name,
				 f->name, tz_schema_field_is_int(f) ? "INTEGER" : "TEXT");
			if (tz_db_exec(db, sql, err))
				return err ? err->status : TZ_EDB;
		}
		for (int i = 0; i < tb->nfields; i++) {
			const tz_field *f = &tb->fields[i];
			if (f->type != TZ_T_REF && f->type != TZ_T_IDNUM && f->type != TZ_T_CREDIT)
				continue;
			snprintf(sql, sizeof sql,
				 "CREATE INDEX IF NOT EXISTS \"%s_%s\" ON \"%s\"(\"%s\")"
				 " WHERE \"%s\" IS NOT NULL",
				 tb->name, f->name, tb->name, f->name, f->name);
			if (tz_db_exec(db, sql, err))
				return err ? err->status : TZ_EDB;
		}
	}
	return TZ_OK;
}

int tz_db_user_version(tz_db *db)
{
	sqlite3_stmt *st;
	int v = -1;
	if (sqlite3_prepare_v2(db->sql, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK) {
		if (sqlite3_step(st) == SQLITE_ROW)
			v = sqlite3_column_int(st, 0);
		sqlite3_finalize(st);
	}
	return v;
}

tz_status tz_db_migrate_to(tz_db *db, int version, tz_err *err)
{
	int v = tz_db_user_version(db);
	if (v < 0)
		return tz_db_fail(db, err, tz_tr("database", "数据库"));
	if (v > TZ_SCHEMA_VERSION)
		return tz_fail(err, TZ_EDB,
			       "the database was made by a newer taizhang (schema %d, this one knows %d)",
			       "数据库由更新版本的台账创建（结构版本 %d，本程序支持 %d）", v,
			       TZ_SCHEMA_VERSION);
	if (v >= version && v > 0)
		return TZ_OK;
	if (db->readonly)
		return tz_fail(err, TZ_EDB, "the database needs an upgrade; open it writable",
			       "数据库需要升级，请以可写方式打开");
	tz_status st = tz_db_begin(db, err);
	if (st)
		return st;
	/* the replicated tables first, so that migrations may index them */
	if ((st = reconcile(db, err)))
		goto fail;
	for (; v < version; v++) {
		if ((st = tz_db_exec(db, migrations[v], err)))
			goto fail;
		char sql[64];
		snprintf(sql, sizeof sql, "PRAGMA user_version=%d", v + 1);
		if ((st = tz_db_exec(db, sql, err)))
			goto fail;
	}
	if ((st = reconcile(db, err)))
		goto fail;
	return tz_db_commit(db, err);
fail:
	tz_db_rollback(db);
	return st;
}

static tz_status load_state(tz_db *db, tz_err *err)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT k, v FROM meta");
	if (!st)
		return tz_db_fail(db, err, "meta");
	db->has_identity = 0;
	db->hlc = db->seq = 0;
	while (sqlite3_step(st) == SQLITE_ROW) {
		const char *k = (const char *)sqlite3_column_text(st, 0);
		if (!k)
			continue;
		if (!strcmp(k, "origin") && sqlite3_column_bytes(st, 1) == 16) {
			memcpy(db->origin, sqlite3_column_blob(st, 1), 16);
			db->has_identity = 1;
		} else if (!strcmp(k, "role")) {
			int r = tz_db_role_parse((const char *)sqlite3_column_text(st, 1));
			db->role = r < 0 || r == TZ_ROLE_ESCROW ? TZ_ROLE_VILLAGE : (tz_role)r;
		} else if (!strcmp(k, "hlc")) {
			db->hlc = (uint64_t)sqlite3_column_int64(st, 1);
		} else if (!strcmp(k, "seq")) {
			db->seq = (uint64_t)sqlite3_column_int64(st, 1);
		}
	}
	sqlite3_reset(st);
	db->origin_idx = db->has_identity ? tz_db_origin_idx(db, db->origin, 0) : 0;
	return TZ_OK;
}

tz_status tz_db_open(tz_db **out, const char *path, unsigned flags, tz_err *err)
{
	*out = NULL;
	struct stat sb;
	int exists = stat(path, &sb) == 0;
	if (!exists && !(flags & TZ_OPEN_CREATE))
		return tz_fail(err, TZ_EIO, "no database at %s (run 'taizhang init' first)",
			       "找不到数据库 %s（请先运行 taizhang init）", path);
	if (exists && !S_ISREG(sb.st_mode))
		return tz_fail(err, TZ_EIO, "%s is not a file", "%s 不是文件", path);
	if (sodium_init() < 0)
		return tz_fail(err, TZ_ECRYPTO, "libsodium failed to start", "libsodium 初始化失败");
	tz_db *db = calloc(1, sizeof *db);
	if (!db)
		return tz_nomem(err);
	db->readonly = !!(flags & TZ_OPEN_READONLY);
	int oflags = db->readonly ? SQLITE_OPEN_READONLY
				  : SQLITE_OPEN_READWRITE | (flags & TZ_OPEN_CREATE ? SQLITE_OPEN_CREATE : 0);
	tz_status st;
	if (sqlite3_open_v2(path, &db->sql, oflags | SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		st = tz_fail(err, TZ_EIO, "cannot open %s: %s", "无法打开 %s：%s", path,
			     db->sql ? sqlite3_errmsg(db->sql) : "?");
		goto fail;
	}
	if (tz_search_register(db->sql, &db->search_deferred) != SQLITE_OK) {
		st = tz_db_fail(db, err, "search");
		goto fail;
	}
	sqlite3_extended_result_codes(db->sql, 0);
	sqlite3_busy_timeout(db->sql, BUSY_TIMEOUT_MS);
	if (!db->readonly) {
		if ((st = tz_db_exec(db, "PRAGMA journal_mode=WAL", err)))
			goto fail;
	}
	if ((st = tz_db_exec(db, "PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON;"
			      " PRAGMA cache_size=-16000", err)))
		goto fail;
	if (!(flags & TZ_OPEN_NOMIGRATE) && (st = tz_db_migrate_to(db, TZ_SCHEMA_VERSION, err)))
		goto fail;
	if (flags & TZ_OPEN_NOMIGRATE) {
		*out = db;
		return TZ_OK;
	}
	if ((st = load_state(db, err)))
		goto fail;
	*out = db;
	return TZ_OK;
fail:
	tz_db_close(db);
	return st;
}

void tz_db_close(tz_db *db)
{
	if (!db)
		return;
	if (db->depth > 0) {
		db->depth = 1;
		tz_db_rollback(db);
	}
	for (int i = 0; i < db->ncache; i++)
		sqlite3_finalize(db->cache[i].stmt);
	sqlite3_close(db->sql);
	free(db->origins);
	free(db);
}

struct sqlite3 *tz_db_sql(tz_db *db) { return db->sql; }

tz_status tz_db_begin(tz_db *db, tz_err *err)
{
	char sql[48];
	if (db->depth >= 32)
		return tz_fail(err, TZ_EDB, "internal: transactions nested too deep",
			       "内部错误：事务嵌套过深");
	if (db->depth == 0)
		snprintf(sql, sizeof sql, "BEGIN IMMEDIATE");
	else
		snprintf(sql, sizeof sql, "SAVEPOINT tz%d", db->depth);
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK)
		return tz_db_fail(db, err, tz_tr("cannot start a transaction", "无法开始事务"));
	if (db->depth == 0) {
		/* another process (the TUI beside `serve`, a CLI command) may have
		 * committed changes since: never write back a clock or seq behind them */
		sqlite3_stmt *st = tz_db_stmt(db, "SELECT k, v FROM meta WHERE k IN ('hlc', 'seq')");
		while (st && sqlite3_step(st) == SQLITE_ROW) {
			const char *k = (const char *)sqlite3_column_text(st, 0);
			uint64_t v = (uint64_t)sqlite3_column_int64(st, 1);
			if (k && !strcmp(k, "hlc") && v > db->hlc)
				db->hlc = v;
			else if (k && !strcmp(k, "seq") && v > db->seq)
				db->seq = v;
		}
		if (st)
			sqlite3_reset(st);
	}
	db->saved_seq[db->depth] = db->seq;
	db->depth++;
	return TZ_OK;
}

tz_status tz_db_clock_save(tz_db *db, tz_err *err)
{
	if (!db->clock_dirty)
		return TZ_OK;
	sqlite3_stmt *st = tz_db_stmt(db, "INSERT OR REPLACE INTO meta(k, v) VALUES('hlc', ?1), ('seq', ?2)");
	if (!st)
		return tz_db_fail(db, err, "clock");
	sqlite3_bind_int64(st, 1, (sqlite3_int64)db->hlc);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)db->seq);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "clock");
	db->clock_dirty = 0;
	return TZ_OK;
}

tz_status tz_db_commit(tz_db *db, tz_err *err)
{
	char sql[48];
	tz_status st;
	if (db->depth <= 0)
		return TZ_OK;
	if (db->depth == 1) {
		if ((st = tz_db_clock_save(db, err))) {
			tz_db_rollback(db);
			return st;
		}
		snprintf(sql, sizeof sql, "COMMIT");
	} else {
		snprintf(sql, sizeof sql, "RELEASE tz%d", db->depth - 1);
	}
	if (sqlite3_exec(db->sql, sql, NULL, NULL, NULL) != SQLITE_OK) {
		st = tz_db_fail(db, err, tz_tr("cannot save", "无法保存"));
		tz_db_rollback(db);
		return st;
	}
	db->depth--;
	return TZ_OK;
}

void tz_db_rollback(tz_db *db)
{
	char sql[64];
	if (db->depth <= 0)
		return;
	if (db->depth == 1) {
		sqlite3_exec(db->sql, "ROLLBACK", NULL, NULL, NULL);
		db->depth = 0;
		/* the in-memory clock may have moved: reload what was committed */
		load_state(db, NULL);
		db->clock_dirty = 0;
		free(db->origins);
		db->origins = NULL;
		db->norigins = 0;
	} else {
		snprintf(sql, sizeof sql, "ROLLBACK TO tz%d; RELEASE tz%d", db->depth - 1,
			 db->depth - 1);
		sqlite3_exec(db->sql, sql, NULL, NULL, NULL);
		db->depth--;
		/* the rolled-back ops gave up their seqs; the clock may stay ahead */
		db->seq = db->saved_seq[db->depth];
	}
}

/* ---- origins ---- */

int64_t tz_db_origin_idx(tz_db *db, const uint8_t id[16], int create)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT idx FROM origin WHERE id=?1");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
	int64_t idx = 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		idx = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (idx || !create)
		return idx;
	st = tz_db_stmt(db, "INSERT INTO origin(id) VALUES(?1)");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, id, 16, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_DONE)
		idx = sqlite3_last_insert_rowid(db->sql);
	sqlite3_reset(st);
	return idx;
}

const uint8_t *tz_db_origin_id(tz_db *db, int64_t idx)
{
	static const uint8_t zero[16];
	if (idx <= 0)
		return zero;
	if (idx > db->norigins) {
		sqlite3_stmt *st = tz_db_stmt(db, "SELECT idx, id FROM origin ORDER BY idx");
		if (!st)
			return zero;
		free(db->origins);
		db->origins = NULL;
		db->norigins = 0;
		int64_t cap = 0;
		while (sqlite3_step(st) == SQLITE_ROW) {
			int64_t i = sqlite3_column_int64(st, 0);
			if (i > cap) {
				int64_t ncap = i + 16;
				void *p = realloc(db->origins, (size_t)ncap * 16);
				if (!p)
					break;
				db->origins = p;
				memset(db->origins[cap], 0, (size_t)(ncap - cap) * 16);
				cap = ncap;
			}
			if (sqlite3_column_bytes(st, 1) == 16)
				memcpy(db->origins[i - 1], sqlite3_column_blob(st, 1), 16);
			if (i > db->norigins)
				db->norigins = i;
		}
		sqlite3_reset(st);
		if (idx > db->norigins)
			return zero;
	}
	return db->origins[idx - 1];
}

/* ---- identity and settings ---- */

static const char *const role_names[] = {"village", "township", "county", "escrow"};

const char *tz_db_role_name(tz_role r)
{
	return (unsigned)r < 4 ? role_names[r] : "?";
}

int tz_db_role_parse(const char *s)
{
	for (int i = 0; s && i < 4; i++)
		if (!strcmp(s, role_names[i]))
			return i;
	return -1;
}

tz_status tz_db_meta_put(tz_db *db, const char *k, const void *v, int len, int blob, tz_err *err)
{
	sqlite3_stmt *st = tz_db_stmt(db, "INSERT OR REPLACE INTO meta(k, v) VALUES(?1, ?2)");
	if (!st)
		return tz_db_fail(db, err, "meta");
	sqlite3_bind_text(st, 1, k, -1, SQLITE_STATIC);
	if (blob)
		sqlite3_bind_blob(st, 2, v, len, SQLITE_STATIC);
	else
		sqlite3_bind_text(st, 2, v, len, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TZ_OK : tz_db_fail(db, err, "meta");
}

tz_status tz_db_set_identity(tz_db *db, tz_role role, const char *region, const char *name,
			     tz_err *err)
{
	if (db->has_identity)
		return tz_fail(err, TZ_EINVAL, "this database is already initialised",
			       "该数据库已经初始化过");
	uint8_t origin[16];
	tz_db_new_id(origin);
	tz_status st = tz_db_begin(db, err);
	if (st)
		return st;
	if ((st = tz_db_meta_put(db, "origin", origin, 16, 1, err)) ||
	    (st = tz_db_meta_put(db, "role", tz_db_role_name(role), -1, 0, err)) ||
	    (st = tz_db_meta_put(db, "region", region, -1, 0, err)) ||
	    (st = tz_db_meta_put(db, "name", name, -1, 0, err))) {
		tz_db_rollback(db);
		return st;
	}
	int64_t idx = tz_db_origin_idx(db, origin, 1);
	if (!idx) {
		st = tz_db_fail(db, err, "origin");
		tz_db_rollback(db);
		return st;
	}
	if ((st = tz_db_commit(db, err)))
		return st;
	memcpy(db->origin, origin, 16);
	db->origin_idx = idx;
	db->role = role;
	db->has_identity = 1;
	return TZ_OK;
}

int tz_db_has_identity(tz_db *db) { return db->has_identity; }
const uint8_t *tz_db_origin(tz_db *db) { return db->origin; }
tz_role tz_db_role(tz_db *db) { return db->role; }

char *tz_db_meta_get(tz_db *db, const char *key)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT v FROM meta WHERE k=?1");
	char *r = NULL;
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
		r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return r;
}

char *tz_db_region(tz_db *db) { return tz_db_meta_get(db, "region"); }
char *tz_db_name(tz_db *db) { return tz_db_meta_get(db, "name"); }

int tz_db_meta_blob(tz_db *db, const char *key, void *out, int len)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT v FROM meta WHERE k=?1");
	int r = -1;
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_BLOB &&
	    sqlite3_column_bytes(st, 0) == len) {
		memcpy(out, sqlite3_column_blob(st, 0), (size_t)len);
		r = 0;
	}
	sqlite3_reset(st);
	return r;
}

char *tz_db_setting_get(tz_db *db, const char *key)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT v FROM setting WHERE k=?1");
	char *r = NULL;
	if (!st)
		return NULL;
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW && sqlite3_column_text(st, 0))
		r = strdup((const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return r;
}

long tz_db_setting_int(tz_db *db, const char *key, long dflt)
{
	char *v = tz_db_setting_get(db, key), *end;
	long r = dflt;
	if (v) {
		errno = 0;
		long x = strtol(v, &end, 10);
		if (!errno && end != v && !*end)
			r = x;
		free(v);
	}
	return r;
}

tz_status tz_db_setting_set(tz_db *db, const char *key, const char *val, tz_err *err)
{
	sqlite3_stmt *st = tz_db_stmt(db, val ? "INSERT OR REPLACE INTO setting(k, v) VALUES(?1, ?2)"
					   : "DELETE FROM setting WHERE k=?1");
	if (!st)
		return tz_db_fail(db, err, "setting");
	sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
	if (val)
		sqlite3_bind_text(st, 2, val, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? TZ_OK : tz_db_fail(db, err, "setting");
}
