/* test_store.c - opening, migrations from every older version, nested
 * transactions, persistence of identity, clock and sequence. */
#include <sodium.h>
#include <sqlite3.h>
#include <stdint.h>
#include <unistd.h>

#include "core/internal.h"
#include "taizhang/key.h"
#include "taizhang/oplog.h"
#include "taizhang/record.h"
#include "taizhang/db.h"
#include "tz_test.h"

static char *path_of(const char *name)
{
	static char p[512];
	snprintf(p, sizeof p, "%s/%s", tz_test_tmpdir(), name);
	return p;
}

/* The schema (sqlite_master) as one string, for comparison. */
static char *schema_of(const char *path)
{
	sqlite3 *s;
	sqlite3_stmt *st;
	char *out = calloc(1, 1);
	size_t len = 0;
	if (sqlite3_open(path, &s) != SQLITE_OK)
		return out;
	sqlite3_prepare_v2(s, "SELECT type, name, sql FROM sqlite_master ORDER BY type, name", -1, &st, NULL);
	while (sqlite3_step(st) == SQLITE_ROW) {
		for (int i = 0; i < 3; i++) {
			const char *v = (const char *)sqlite3_column_text(st, i);
			size_t n = v ? strlen(v) : 0;
			out = realloc(out, len + n + 2);
			memcpy(out + len, v ? v : "", n);
			len += n;
			out[len++] = i == 2 ? '\n' : '|';
			out[len] = 0;
		}
	}
	sqlite3_finalize(st);
	sqlite3_close(s);
	return out;
}

TEST(migrates_from_every_older_version)
{
	tz_err err = {0};
	tz_db *db;
	CHECK(tz_db_open(&db, path_of("fresh.db"), TZ_OPEN_CREATE, &err) == TZ_OK);
	CHECK_INT(tz_db_user_version(db), TZ_SCHEMA_VERSION);
	tz_db_close(db);
	char *want = schema_of(path_of("fresh.db"));
	for (int v = 0; v < TZ_SCHEMA_VERSION; v++) {
		char name[32];
		snprintf(name, sizeof name, "v%d.db", v);
		/* a file left at version v by an older taizhang */
		tz_db *old = NULL;
		CHECK(tz_db_open(&old, path_of(name), TZ_OPEN_CREATE | TZ_OPEN_NOMIGRATE, &err) == TZ_OK);
		if (v > 0)
			CHECK(tz_db_migrate_to(old, v, &err) == TZ_OK);
		CHECK_INT(tz_db_user_version(old), v);
		tz_db_close(old);
		CHECK(tz_db_open(&db, path_of(name), 0, &err) == TZ_OK);
		CHECK_INT(tz_db_user_version(db), TZ_SCHEMA_VERSION);
		tz_db_close(db);
		char *got = schema_of(path_of(name));
		CHECK_STR(got, want);
		free(got);
	}
	free(want);
}

TEST(refuses_newer_and_foreign_files)
{
	tz_err err = {0};
	tz_db *db;
	sqlite3 *s;
	CHECK(sqlite3_open(path_of("newer.db"), &s) == SQLITE_OK);
	sqlite3_exec(s, "PRAGMA user_version=999", NULL, NULL, NULL);
	sqlite3_close(s);
	CHECK(tz_db_open(&db, path_of("newer.db"), 0, &err) == TZ_EDB);
	CHECK(strstr(err.msg, "newer") != NULL);

	FILE *f = fopen(path_of("text.db"), "w");
	fputs("this is not a database, it is a shopping list\n", f);
	fclose(f);
	CHECK(tz_db_open(&db, path_of("text.db"), 0, &err) != TZ_OK);
	CHECK(tz_status_exit(err.status) == 3);

	CHECK(tz_db_open(&db, path_of("missing.db"), 0, &err) == TZ_EIO);
	CHECK(access(path_of("missing.db"), F_OK) != 0);
}

TEST(identity_clock_and_seq_persist)
{
	tz_err err = {0};
	tz_db *db;
	setenv("TAIZHANG_NOW", "2026-01-10", 1);
	CHECK(tz_db_open(&db, path_of("p.db"), TZ_OPEN_CREATE, &err) == TZ_OK);
	CHECK(!tz_db_has_identity(db));
	CHECK(tz_db_set_identity(db, TZ_ROLE_TOWNSHIP, "430181100000", "镇", &err) == TZ_OK);
	CHECK(tz_db_set_identity(db, TZ_ROLE_TOWNSHIP, "430181100000", "镇", &err) == TZ_EINVAL);
	uint8_t origin[16];
	memcpy(origin, tz_db_origin(db), 16);
	tz_kv kv[] = {{"village", "430181100201"}, {"address", "a"}};
	char id[33];
	CHECK(tz_record_add(db, "household", kv, 2, id, &err) == TZ_OK);
	CHECK(tz_record_add(db, "household", kv, 2, id, &err) == TZ_OK);
	uint64_t hlc = tz_oplog_hlc_last(db);
	tz_db_close(db);

	/* the clock went back (dead CMOS battery): HLC still moves forward */
	setenv("TAIZHANG_NOW", "2025-01-01", 1);
	CHECK(tz_db_open(&db, path_of("p.db"), 0, &err) == TZ_OK);
	CHECK(tz_db_has_identity(db));
	CHECK(tz_db_role(db) == TZ_ROLE_TOWNSHIP);
	CHECK(memcmp(origin, tz_db_origin(db), 16) == 0);
	CHECK_INT(tz_oplog_hlc_last(db), hlc);
	CHECK(tz_record_add(db, "household", kv, 2, id, &err) == TZ_OK);
	CHECK(tz_oplog_hlc_last(db) > hlc);
	CHECK_INT(tz_oplog_high_water(db, origin), 3);
	tz_db_close(db);
	unsetenv("TAIZHANG_NOW");
}

/* Two processes on one database (serve beside the TUI or a command): each
 * transaction starts from the seq and clock the other committed. */
TEST(two_handles_share_seq_and_clock)
{
	tz_err err = {0};
	tz_db *a, *b;
	CHECK(tz_db_open(&a, path_of("two.db"), TZ_OPEN_CREATE, &err) == TZ_OK);
	CHECK(tz_db_set_identity(a, TZ_ROLE_TOWNSHIP, "430181100000", "镇", &err) == TZ_OK);
	CHECK(tz_db_open(&b, path_of("two.db"), 0, &err) == TZ_OK);
	tz_kv kv[] = {{"village", "430181100201"}, {"address", "a"}};
	char id[33];
	CHECK(tz_record_add(b, "household", kv, 2, id, &err) == TZ_OK);
	CHECK(tz_record_add(b, "household", kv, 2, id, &err) == TZ_OK);
	uint64_t hb = tz_oplog_hlc_last(b);
	/* a commits something of its own (as the server's import worker does) */
	CHECK(tz_db_setting_set(a, "net.url", "http://x", &err) == TZ_OK);
	CHECK(tz_db_begin(a, &err) == TZ_OK);
	CHECK(tz_db_commit(a, &err) == TZ_OK);
	CHECK(tz_record_add(a, "household", kv, 2, id, &err) == TZ_OK);
	CHECK(tz_oplog_hlc_last(a) > hb);
	CHECK_INT(tz_oplog_high_water(a, tz_db_origin(a)), 3);
	CHECK(tz_record_add(b, "household", kv, 2, id, &err) == TZ_OK);
	CHECK_INT(tz_oplog_high_water(b, tz_db_origin(b)), 4);
	tz_db_close(a);
	tz_db_close(b);
}

TEST(nested_transactions_roll_back_inner_only)
{
	tz_err err = {0};
	tz_db *db;
	CHECK(tz_db_open(&db, path_of("n.db"), TZ_OPEN_CREATE, &err) == TZ_OK);
	CHECK(tz_db_set_identity(db, TZ_ROLE_VILLAGE, "430181100201", "村", &err) == TZ_OK);
	tz_kv kv[] = {{"village", "430181100201"}, {"address", "a"}};
	char id[33];
	CHECK(tz_db_begin(db, &err) == TZ_OK);
	CHECK(tz_record_add(db, "household", kv, 2, id, &err) == TZ_OK);
	CHECK(tz_db_begin(db, &err) == TZ_OK);
	CHECK(tz_record_add(db, "household", kv, 2, id, &err) == TZ_OK);
	tz_db_rollback(db); /* inner */
	CHECK(tz_db_commit(db, &err) == TZ_OK);
	int n = 0;
	uint8_t origin[16];
	memcpy(origin, tz_db_origin(db), 16);
	CHECK_INT(tz_oplog_high_water(db, origin), 1);
	/* an outer rollback forgets the seq it used */
	CHECK(tz_db_begin(db, &err) == TZ_OK);
	CHECK(tz_record_add(db, "household", kv, 2, id, &err) == TZ_OK);
	tz_db_rollback(db);
	CHECK(tz_record_add(db, "household", kv, 2, id, &err) == TZ_OK);
	CHECK_INT(tz_oplog_high_water(db, origin), 2);
	(void)n;
	tz_db_close(db);
}

TEST(settings_roundtrip)
{
	tz_err err = {0};
	tz_db *db;
	CHECK(tz_db_open(&db, path_of("s.db"), TZ_OPEN_CREATE, &err) == TZ_OK);
	CHECK_INT(tz_db_setting_int(db, "visit_interval_days", 90), 90);
	CHECK(tz_db_setting_set(db, "visit_interval_days", "30", &err) == TZ_OK);
	CHECK_INT(tz_db_setting_int(db, "visit_interval_days", 90), 30);
	CHECK(tz_db_setting_set(db, "visit_interval_days", "x", &err) == TZ_OK);
	CHECK_INT(tz_db_setting_int(db, "visit_interval_days", 90), 90);
	CHECK(tz_db_setting_set(db, "visit_interval_days", NULL, &err) == TZ_OK);
	char *v = tz_db_setting_get(db, "visit_interval_days");
	CHECK(v == NULL);
	tz_db_close(db);
}

TEST(key_sealed_under_passphrase)
{
	tz_err err = {0};
	tz_db *db;
	CHECK(tz_db_open(&db, path_of("k.db"), TZ_OPEN_CREATE, &err) == TZ_OK);
	CHECK(tz_key_create(db, "correct horse", &err) == TZ_OK);
	CHECK(tz_key_create(db, "again", &err) == TZ_EINVAL);
	uint8_t pk[32], kid[8], *sk = malloc(64);
	CHECK(tz_key_public(db, pk, kid, &err) == TZ_OK);
	CHECK(tz_key_unlock(db, "wrong", sk, &err) == TZ_EKEY);
	CHECK(strstr(err.msg, "passphrase") != NULL);
	CHECK(tz_key_unlock(db, "correct horse", sk, &err) == TZ_OK);
	CHECK(memcmp(sk + 32, pk, 32) == 0);
	CHECK(tz_key_rekey(db, "correct horse", "battery staple", &err) == TZ_OK);
	CHECK(tz_key_unlock(db, "correct horse", sk, &err) == TZ_EKEY);
	CHECK(tz_key_unlock(db, "battery staple", sk, &err) == TZ_OK);
	char fp[40];
	tz_key_fingerprint(pk, fp);
	CHECK_INT(strlen(fp), 39);
	CHECK(fp[4] == ' ' && fp[34] == ' ');
	free(sk);
	tz_db_close(db);
}

/* The encryption key pair: made by init beside the signing key, sealed
 * under the same passphrase, vouched for by the signing key; a database
 * from before encryption gets one on its first unlock. */
TEST(encryption_key_beside_signing_key)
{
	tz_err err = {0};
	tz_db *db;
	CHECK(tz_db_open(&db, path_of("e.db"), TZ_OPEN_CREATE, &err) == TZ_OK);
	CHECK(tz_key_create(db, "pw one", &err) == TZ_OK);
	uint8_t pk[32], kid[8], epk[32], epk2[32], sig[64], stmt[TZ_ENC_STATEMENT_BYTES];
	uint8_t *sk = malloc(64), *esk = malloc(32);
	CHECK(tz_key_public(db, pk, kid, &err) == TZ_OK);
	CHECK(tz_key_enc_public(db, epk, sig, &err) == TZ_OK);
	tz_key_enc_statement(kid, tz_db_origin(db), epk, stmt);
	CHECK(crypto_sign_verify_detached(sig, stmt, sizeof stmt, pk) == 0);
	CHECK(memcmp(epk, pk, 32) != 0);
	CHECK(tz_key_unlock_enc(db, "wrong", esk, &err) == TZ_EKEY);
	CHECK(tz_key_unlock_enc(db, "pw one", esk, &err) == TZ_OK);
	crypto_scalarmult_base(epk2, esk);
	CHECK(memcmp(epk, epk2, 32) == 0);
	/* a passphrase change re-seals both */
	CHECK(tz_key_rekey(db, "pw one", "pw two", &err) == TZ_OK);
	CHECK(tz_key_unlock_enc(db, "pw one", esk, &err) == TZ_EKEY);
	CHECK(tz_key_unlock_enc(db, "pw two", esk, &err) == TZ_OK);
	crypto_scalarmult_base(epk2, esk);
	CHECK(memcmp(epk, epk2, 32) == 0);
	/* an older database: no encryption key until the first unlock */
	CHECK(tz_db_exec(db, "DELETE FROM meta WHERE k IN ('enc_pk', 'enc_seed', 'enc_sig')", &err) ==
	      TZ_OK);
	CHECK(tz_key_enc_public(db, epk2, NULL, &err) == TZ_EKEY);
	CHECK(tz_key_unlock(db, "pw one", sk, &err) == TZ_EKEY);
	CHECK(tz_key_enc_public(db, epk2, NULL, &err) == TZ_EKEY);
	CHECK(tz_key_unlock(db, "pw two", sk, &err) == TZ_OK);
	CHECK(tz_key_enc_public(db, epk2, sig, &err) == TZ_OK);
	CHECK(memcmp(epk, epk2, 32) != 0);
	tz_key_enc_statement(kid, tz_db_origin(db), epk2, stmt);
	CHECK(crypto_sign_verify_detached(sig, stmt, sizeof stmt, pk) == 0);
	CHECK(tz_key_unlock_enc(db, "pw two", esk, &err) == TZ_OK);
	crypto_scalarmult_base(epk, esk);
	CHECK(memcmp(epk, epk2, 32) == 0);
	/* the signing key is unchanged */
	CHECK(tz_key_public(db, epk, kid, &err) == TZ_OK && memcmp(epk, pk, 32) == 0);
	/* also through tz_key_unlock_enc and tz_key_rekey */
	CHECK(tz_db_exec(db, "DELETE FROM meta WHERE k IN ('enc_pk', 'enc_seed', 'enc_sig')", &err) ==
	      TZ_OK);
	CHECK(tz_key_unlock_enc(db, "pw two", esk, &err) == TZ_OK);
	CHECK(tz_key_enc_public(db, epk2, NULL, &err) == TZ_OK);
	CHECK(tz_db_exec(db, "DELETE FROM meta WHERE k IN ('enc_pk', 'enc_seed', 'enc_sig')", &err) ==
	      TZ_OK);
	CHECK(tz_key_rekey(db, "pw two", "pw three", &err) == TZ_OK);
	CHECK(tz_key_unlock_enc(db, "pw three", esk, &err) == TZ_OK);
	CHECK(tz_key_unlock(db, "pw three", sk, &err) == TZ_OK);
	free(sk);
	free(esk);
	tz_db_close(db);
}

int main(void)
{
	tz_lang_set(TZ_LANG_EN);
	RUN(migrates_from_every_older_version);
	RUN(refuses_newer_and_foreign_files);
	RUN(encryption_key_beside_signing_key);
	RUN(identity_clock_and_seq_persist);
	RUN(two_handles_share_seq_and_clock);
	RUN(nested_transactions_roll_back_inner_only);
	RUN(settings_roundtrip);
	RUN(key_sealed_under_passphrase);
	return tz_test_done();
}
