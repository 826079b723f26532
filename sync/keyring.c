/* keyring.c - the database's keyring: the devices enrolled here (township
 * and county enrol villages; villages enrol their township), each with its
 * role, region, enrolment date and revocation; looking a key id up.
 */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/db_sql.h"
#include "keyring_int.h"
#include "taizhang/buf.h"
#include "taizhang/keyring.h"
#include "taizhang/key.h"
#include "taizhang/oplog.h"
#include "taizhang/validate.h"

/* ---- the database's keyring ---- */

static const char SQL_GET[] =
	"SELECT key_id, pk, origin, role, region, name, added, revoked_after, enc FROM keyring"
	" WHERE key_id=?1";
static const char SQL_ALL[] =
	"SELECT key_id, pk, origin, role, region, name, added, revoked_after, enc FROM keyring";
static const char SQL_BY_PK[] = "SELECT key_id FROM keyring WHERE pk=?1";
/* one live key per device: another key of the origin, not revoked */
static const char SQL_LIVE[] =
	"SELECT key_id, name FROM keyring WHERE origin=?1 AND key_id<>?2 AND revoked_after IS NULL";
static const char SQL_INSERT[] =
	"INSERT INTO keyring(key_id, pk, origin, role, region, name, added, revoked_after, enc)"
	" VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)";
static const char SQL_UPDATE[] =
	"UPDATE keyring SET role=?2, region=?3, name=?4, enc=coalesce(?5, enc) WHERE key_id=?1";
static const char SQL_REVOKE[] = "UPDATE keyring SET revoked_after=?2 WHERE key_id=?1";
static const char SQL_ALL_SIG[] =
	"SELECT key_id, pk, origin, role, region, name, added, revoked_after, enc, sig FROM keyring";
static const char SQL_SIGN[] = "UPDATE keyring SET sig=?2 WHERE key_id=?1";

/* A row of SQL_GET/SQL_ALL into k: 0, or -1 if the row is damaged. */
static int row_ent(sqlite3_stmt *s, tz_keyent *k)
{
	kr_ent_init(k);
	if (sqlite3_column_bytes(s, 0) != 8 || sqlite3_column_bytes(s, 1) != 32 ||
	    sqlite3_column_bytes(s, 2) != 16)
		return -1;
	memcpy(k->key_id, sqlite3_column_blob(s, 0), 8);
	memcpy(k->pk, sqlite3_column_blob(s, 1), 32);
	memcpy(k->origin, sqlite3_column_blob(s, 2), 16);
	int r = tz_db_role_parse((const char *)sqlite3_column_text(s, 3));
	const char *region = (const char *)sqlite3_column_text(s, 4);
	const char *name = (const char *)sqlite3_column_text(s, 5);
	if (r < 0 || !region || strlen(region) != 12 || !name)
		return -1;
	k->role = (tz_role)r;
	memcpy(k->region, region, 13);
	kr_name_copy(k->name, name, strlen(name));
	k->added_ms = sqlite3_column_int64(s, 6);
	k->revoked_after =
		sqlite3_column_type(s, 7) == SQLITE_NULL ? -1 : sqlite3_column_int64(s, 7);
	if (k->revoked_after < -1)
		return -1;
	if (sqlite3_column_bytes(s, 8) == ENC_LEN) {
		const uint8_t *e = sqlite3_column_blob(s, 8);
		memcpy(k->epk, e, 32);
		memcpy(k->esig, e + 32, 64);
		k->has_enc = 1;
	}
	return 0;
}

static tz_status damaged(tz_err *err)
{
	return tz_fail(err, TZ_EDB, "the keyring in the database is damaged",
		       "数据库中的密钥环已损坏");
}

static uint64_t keyid_u64(const uint8_t id[8])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)id[i] << (8 * i);
	return v;
}

int kr_ent_cmp(const void *a, const void *b)
{
	uint64_t x = keyid_u64(((const tz_keyent *)a)->key_id);
	uint64_t y = keyid_u64(((const tz_keyent *)b)->key_id);
	return x < y ? -1 : x > y;
}

tz_status kr_push(tz_keyring *kr, size_t *cap, const tz_keyent *k, tz_err *err)
{
	tz_keyent *v = tz_buf_grow(kr->v, kr->n, cap, sizeof *v);
	if (!v)
		return tz_nomem(err);
	kr->v = v;
	kr->v[kr->n++] = *k;
	return TZ_OK;
}

static tz_status kr_trusted(tz_db *db, tz_err *err);

/* The keyring table, sorted by key id, optionally with this device's key. */
tz_status kr_load_db(tz_db *db, int with_own, tz_keyring *kr, tz_err *err)
{
	size_t cap = 0;
	tz_keyent k;
	tz_status st = TZ_OK;
	kr->v = NULL;
	kr->n = 0;
	if ((st = kr_trusted(db, err)))
		return st;
	sqlite3_stmt *s = tz_db_stmt(db, SQL_ALL);
	if (!s)
		return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (row_ent(s, &k)) {
			st = damaged(err);
			break;
		}
		if ((st = kr_push(kr, &cap, &k, err)))
			break;
	}
	if (!st && rc != SQLITE_DONE)
		st = tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	sqlite3_reset(s);
	if (!st && with_own && kr_own_key(db, &k, NULL) == TZ_OK)
		st = kr_push(kr, &cap, &k, err);
	if (st) {
		tz_keyring_free(kr);
		return st;
	}
	if (kr->n > 1)
		qsort(kr->v, kr->n, sizeof *kr->v, kr_ent_cmp);
	return TZ_OK;
}

/* ---- every row signed by this device (#14 item 10) ----
 *
 * A row is trusted only with this device's signature over what it says
 * (row_statement), made by keyring add and revoke, which need the
 * passphrase.  A key put into the table with sqlite3, or a row whose role,
 * region or revocation was edited there, has no valid signature: the whole
 * keyring is then refused (imports, serve, receipts, verify on the
 * database) until the row is revoked or the database restored.  Rows from
 * before signing (migration 11 sets meta keyring_adopt) are taken as they
 * are until this device's key is next unlocked, which signs them
 * (tz_keyring_adopt) -- and only while no row is signed yet. */

#define ROW_MAGIC "taizhang-keyring-row v1"
#define ROW_MAX (sizeof ROW_MAGIC + 8 + 32 + 16 + 1 + 12 + 2 + 192 + 8 + 8 + 1 + ENC_LEN + 16)

static void le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static size_t row_statement(const tz_keyent *k, const uint8_t holder[16], uint8_t out[ROW_MAX])
{
	size_t n = 0, nl = strnlen(k->name, sizeof k->name - 1);
	memcpy(out, ROW_MAGIC, sizeof ROW_MAGIC); /* with its NUL */
	n += sizeof ROW_MAGIC;
	memcpy(out + n, k->key_id, 8), n += 8;
	memcpy(out + n, k->pk, 32), n += 32;
	memcpy(out + n, k->origin, 16), n += 16;
	out[n++] = (uint8_t)k->role;
	memcpy(out + n, k->region, 12), n += 12;
	out[n++] = (uint8_t)(nl & 0xff);
	out[n++] = (uint8_t)(nl >> 8);
	memcpy(out + n, k->name, nl), n += nl;
	le64(out + n, (uint64_t)k->added_ms), n += 8;
	le64(out + n, (uint64_t)k->revoked_after), n += 8;
	out[n++] = (uint8_t)(k->has_enc != 0);
	memset(out + n, 0, ENC_LEN);
	if (k->has_enc) {
		memcpy(out + n, k->epk, 32);
		memcpy(out + n + 32, k->esig, 64);
	}
	n += ENC_LEN;
	memcpy(out + n, holder, 16), n += 16;
	return n;
}

/* Sign the row of key_id as it now stands (inside the caller's transaction). */
static tz_status sign_row(tz_db *db, const uint8_t key_id[8], const uint8_t *sk, tz_err *err)
{
	tz_keyent k;
	uint8_t stmt[ROW_MAX], sig[64];
	sqlite3_stmt *s = tz_db_stmt(db, SQL_GET);
	if (!s)
		return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	sqlite3_bind_blob(s, 1, key_id, 8, SQLITE_STATIC);
	int rc = sqlite3_step(s), bad = rc == SQLITE_ROW ? row_ent(s, &k) : -1;
	sqlite3_reset(s);
	if (bad)
		return damaged(err);
	size_t n = row_statement(&k, tz_db_origin(db), stmt);
	crypto_sign_detached(sig, NULL, stmt, n, sk);
	if (!(s = tz_db_stmt(db, SQL_SIGN)))
		return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	sqlite3_bind_blob(s, 1, key_id, 8, SQLITE_STATIC);
	sqlite3_bind_blob(s, 2, sig, 64, SQLITE_STATIC);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	return rc == SQLITE_DONE ? TZ_OK : tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
}

/* Rows whose signature was checked: BLAKE2b-256 of statement || signature,
 * in a small open-addressed set (cleared when full), and when the whole
 * table was last found good. */
#define SEEN_SLOTS 8192
static uint8_t (*seen)[16];
static size_t nseen;
static struct {
	tz_db *db;
	long long data_version;
	long long changes;
	int ok;
} last;

static int seen_has(const uint8_t d[16], int add)
{
	if (!seen && !(seen = calloc(SEEN_SLOTS, sizeof *seen)))
		return 0;
	static const uint8_t zero[16];
	size_t i = (d[0] | (size_t)d[1] << 8 | (size_t)d[2] << 16) % SEEN_SLOTS;
	for (size_t probe = 0; probe < SEEN_SLOTS; probe++, i = (i + 1) % SEEN_SLOTS) {
		if (!memcmp(seen[i], d, 16))
			return 1;
		if (!memcmp(seen[i], zero, 16)) {
			if (add) {
				if (nseen >= SEEN_SLOTS / 2) {
					memset(seen, 0, SEEN_SLOTS * sizeof *seen);
					nseen = 0;
					return seen_has(d, 1);
				}
				memcpy(seen[i], d, 16);
				nseen++;
			}
			return 0;
		}
	}
	return 0;
}

static tz_status tampered(tz_err *err, const char *kid)
{
	return tz_fail(err, TZ_EDB,
		       "the keyring was changed outside taizhang: the entry for key %s is not signed"
		       " by this PC (revoke it with taizhang keyring revoke, or restore a backup)",
		       "密钥环在台账之外被改动：密钥 %s 的条目没有本机的签名（请用 taizhang keyring"
		       " revoke 吊销它，或恢复备份）",
		       kid);
}

static int adopting(tz_db *db)
{
	char *v = tz_db_meta_get(db, "keyring_adopt");
	int r = v != NULL;
	free(v);
	return r;
}

/* TZ_OK if every row of the keyring carries this device's signature over
 * what it says (or the keyring is still being adopted), else TZ_EDB
 * naming the first row that does not. */
static tz_status kr_trusted(tz_db *db, tz_err *err)
{
	sqlite3_stmt *v = tz_db_stmt(db, "PRAGMA data_version");
	long long dv = -1;
	if (v && sqlite3_step(v) == SQLITE_ROW)
		dv = sqlite3_column_int64(v, 0);
	if (v)
		sqlite3_reset(v);
	long long ch = sqlite3_total_changes(tz_db_sql(db));
	if (last.ok && last.db == db && last.data_version == dv && last.changes == ch)
		return TZ_OK;
	uint8_t pk[32], kid[8];
	int have_pk = tz_key_public(db, pk, kid, NULL) == TZ_OK;
	sqlite3_stmt *s = tz_db_stmt(db, SQL_ALL_SIG);
	if (!s)
		return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	tz_status st = TZ_OK;
	int rc, unsigned_rows = 0, signed_rows = 0;
	char bad[17] = "";
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		tz_keyent k;
		if (row_ent(s, &k)) {
			st = damaged(err);
			break;
		}
		if (sqlite3_column_bytes(s, 9) != 64) {
			unsigned_rows++;
			if (!bad[0])
				tz_pubkey_id_hex(k.key_id, bad);
			continue;
		}
		uint8_t stmt[ROW_MAX], d[16];
		size_t n = row_statement(&k, tz_db_origin(db), stmt);
		crypto_generichash_state hs;
		crypto_generichash_init(&hs, NULL, 0, sizeof d);
		crypto_generichash_update(&hs, stmt, n);
		crypto_generichash_update(&hs, sqlite3_column_blob(s, 9), 64);
		crypto_generichash_final(&hs, d, sizeof d);
		if (seen_has(d, 0)) {
			signed_rows++;
			continue;
		}
		if (!have_pk || crypto_sign_verify_detached(sqlite3_column_blob(s, 9), stmt, n, pk)) {
			tz_pubkey_id_hex(k.key_id, bad);
			st = tampered(err, bad);
			break;
		}
		seen_has(d, 1);
		signed_rows++;
	}
	sqlite3_reset(s);
	if (!st && rc != SQLITE_DONE)
		st = tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	if (!st && unsigned_rows && (signed_rows || !adopting(db)))
		st = tampered(err, bad);
	last.db = db;
	last.data_version = dv;
	last.changes = sqlite3_total_changes(tz_db_sql(db));
	last.ok = st == TZ_OK;
	return st;
}

tz_status tz_keyring_adopt(tz_db *db, const uint8_t *sk, tz_err *err)
{
	if (!adopting(db))
		return TZ_OK;
	/* only a keyring no row of which is signed yet: the one the upgrade found */
	sqlite3_stmt *q = tz_db_stmt(db, "SELECT count(sig) FROM keyring");
	int any_signed = q && sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) > 0;
	if (q)
		sqlite3_reset(q);
	tz_status st = tz_db_begin(db, err);
	if (st)
		return st;
	if (!any_signed) {
		sqlite3_stmt *s;
		if (sqlite3_prepare_v2(tz_db_sql(db), "SELECT key_id FROM keyring WHERE sig IS NULL", -1,
				       &s, NULL)) {
			tz_db_rollback(db);
			return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
		}
		while (!st && sqlite3_step(s) == SQLITE_ROW)
			if (sqlite3_column_bytes(s, 0) == 8)
				st = sign_row(db, sqlite3_column_blob(s, 0), sk, err);
		sqlite3_finalize(s);
	}
	if (!st && sqlite3_exec(tz_db_sql(db), "DELETE FROM meta WHERE k = 'keyring_adopt'", NULL, NULL,
				NULL) != SQLITE_OK)
		st = tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	if (st) {
		tz_db_rollback(db);
		return st;
	}
	return tz_db_commit(db, err);
}

tz_status tz_keyring_add(tz_db *db, const tz_keyent *k, const uint8_t *sk, tz_err *err)
{
	char kid[17], reg[13], other[17];
	tz_pubkey_id_hex(k->key_id, kid);
	if (kr_all_zero(k->origin, 16))
		return tz_fail(err, TZ_EINVAL,
			       "this public key file does not name a taizhang device (key id %s)",
			       "该公钥文件没有注明台账设备（密钥编号 %s）", kid);
	if ((unsigned)k->role > TZ_ROLE_ESCROW)
		return tz_fail(err, TZ_EINVAL, "unknown role", "未知角色");
	if (tz_valid_region(k->region, reg, err))
		return err ? err->status : TZ_EINVAL;
	if (!memchr(k->name, 0, sizeof k->name) || !kr_name_ok(k->name, strlen(k->name)))
		return tz_fail(err, TZ_EINVAL, "the device name is not valid UTF-8 text",
			       "设备名称不是有效的 UTF-8 文本");
	if (!crypto_core_ed25519_is_valid_point(k->pk))
		return tz_fail(err, TZ_EINVAL, "not a valid Ed25519 public key",
			       "不是有效的 Ed25519 公钥");
	if (k->has_enc && !tz_pubkey_enc_ok(k))
		return tz_fail(err, TZ_EINVAL,
			       "the encryption key of key %s is not signed by it (altered?)",
			       "密钥 %s 的加密密钥没有它的有效签名（被改动？）", kid);
	uint8_t enc[ENC_LEN];
	memcpy(enc, k->epk, 32);
	memcpy(enc + 32, k->esig, 64);
	uint8_t own_pk[32], own_id[8];
	if (tz_key_public(db, own_pk, own_id, NULL) == TZ_OK &&
	    (!memcmp(own_pk, k->pk, 32) || !memcmp(own_id, k->key_id, 8)))
		return tz_fail(err, TZ_EINVAL, "key %s is this device's own key",
			       "密钥 %s 是本机自己的密钥", kid);
	if (tz_db_has_identity(db) && !memcmp(tz_db_origin(db), k->origin, 16))
		return tz_fail(err, TZ_EINVAL, "key %s claims to belong to this device",
			       "密钥 %s 声称属于本机", kid);

	tz_status st = tz_db_begin(db, err);
	if (st)
		return st;
	tz_keyent old;
	int found = 0, rc;
	sqlite3_stmt *s = tz_db_stmt(db, SQL_GET);
	if (!s)
		goto dbfail;
	sqlite3_bind_blob(s, 1, k->key_id, 8, SQLITE_STATIC);
	if ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		found = 1;
		if (row_ent(s, &old)) {
			sqlite3_reset(s);
			st = damaged(err);
			goto fail;
		}
	}
	sqlite3_reset(s);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		goto dbfail;
	if (found && (memcmp(old.pk, k->pk, 32) || memcmp(old.origin, k->origin, 16))) {
		st = tz_fail(err, TZ_EINVAL,
			     "key id %s is already enrolled with another key or device",
			     "密钥编号 %s 已登记为另一个密钥或设备", kid);
		goto fail;
	}
	if (!found) {
		if (!(s = tz_db_stmt(db, SQL_BY_PK)))
			goto dbfail;
		sqlite3_bind_blob(s, 1, k->pk, 32, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW && sqlite3_column_bytes(s, 0) == 8)
			tz_pubkey_id_hex(sqlite3_column_blob(s, 0), other);
		sqlite3_reset(s);
		if (rc == SQLITE_ROW) {
			st = tz_fail(err, TZ_EINVAL,
				     "this public key is already enrolled under key id %s",
				     "该公钥已以密钥编号 %s 登记", other);
			goto fail;
		}
		if (rc != SQLITE_DONE)
			goto dbfail;
		/* a device id is whatever the key file's writer put there: a
		 * second live key for it would sign as that device */
		if (!(s = tz_db_stmt(db, SQL_LIVE)))
			goto dbfail;
		sqlite3_bind_blob(s, 1, k->origin, 16, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, k->key_id, 8, SQLITE_STATIC);
		rc = sqlite3_step(s);
		if (rc == SQLITE_ROW) {
			char dev[33], nm[80];
			if (sqlite3_column_bytes(s, 0) == 8)
				tz_pubkey_id_hex(sqlite3_column_blob(s, 0), other);
			snprintf(nm, sizeof nm, "%s", (const char *)sqlite3_column_text(s, 1));
			sqlite3_reset(s);
			tz_hex_encode(k->origin, 16, dev);
			st = tz_fail(err, TZ_EINVAL,
				     "device %s already has a live key, %s (%s): revoke it first"
				     " (taizhang keyring revoke %s --after-seq N) to enrol a new one",
				     "设备 %s 已有一个有效密钥 %s（%s）：如需换用新密钥，请先吊销它"
				     "（taizhang keyring revoke %s --after-seq N）",
				     dev, other, nm, other);
			goto fail;
		}
		sqlite3_reset(s);
		if (rc != SQLITE_DONE)
			goto dbfail;
		if (!(s = tz_db_stmt(db, SQL_INSERT)))
			goto dbfail;
		sqlite3_bind_blob(s, 1, k->key_id, 8, SQLITE_STATIC);
		sqlite3_bind_blob(s, 2, k->pk, 32, SQLITE_STATIC);
		sqlite3_bind_blob(s, 3, k->origin, 16, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, tz_db_role_name(k->role), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 5, reg, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 6, k->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(s, 7, k->added_ms > 0 ? k->added_ms : tz_clock_ms());
		if (k->revoked_after >= 0)
			sqlite3_bind_int64(s, 8, k->revoked_after);
		if (k->has_enc)
			sqlite3_bind_blob(s, 9, enc, ENC_LEN, SQLITE_STATIC);
	} else {
		/* enrolled again: new role, region and name; enrolment date and
		 * any revocation stay */
		if (!(s = tz_db_stmt(db, SQL_UPDATE)))
			goto dbfail;
		sqlite3_bind_blob(s, 1, k->key_id, 8, SQLITE_STATIC);
		sqlite3_bind_text(s, 2, tz_db_role_name(k->role), -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 3, reg, -1, SQLITE_STATIC);
		sqlite3_bind_text(s, 4, k->name, -1, SQLITE_STATIC);
		if (k->has_enc)
			sqlite3_bind_blob(s, 5, enc, ENC_LEN, SQLITE_STATIC);
	}
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto dbfail;
	if ((st = sign_row(db, k->key_id, sk, err)))
		goto fail;
	return tz_db_commit(db, err);
dbfail:
	st = tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
fail:
	tz_db_rollback(db);
	return st;
}

tz_status tz_keyring_revoke(tz_db *db, const char *which, int64_t after_seq, const uint8_t *sk,
			    tz_err *err)
{
	char norm[33], show[40];
	size_t n = 0;
	for (const char *p = which ? which : ""; *p; p++) {
		if (*p == ' ')
			continue;
		if (n == 32 || tz_hex_digit(*p) < 0) {
			n = 0;
			break;
		}
		norm[n++] = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
	}
	norm[n] = '\0';
	if (n != 32 && n != 16)
		return tz_fail(err, TZ_EINVAL,
			       "'%.40s' is not a key fingerprint (32 hex digits) or key id (16)",
			       "“%.40s”不是密钥指纹（32 位十六进制）或密钥编号（16 位）",
			       which ? which : "");
	/* this device's key is not in the keyring */
	tz_keyent own;
	if (kr_own_key(db, &own, NULL) == TZ_OK) {
		tz_key_fingerprint(own.pk, show);
		char mine[33], *o = mine;
		for (const char *p = show; *p; p++)
			if (*p != ' ')
				*o++ = *p;
		*o = '\0';
		tz_pubkey_id_hex(own.key_id, show);
		for (char *p = show; *p; p++)
			*p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
		if (!strcmp(norm, n == 32 ? mine : show))
			return tz_fail(err, TZ_EINVAL,
				       "that is this device's own key; it is not in the keyring",
				       "这是本机自己的密钥，不在密钥环中");
	}
	tz_status st = tz_db_begin(db, err);
	if (st)
		return st;
	tz_keyent k, hit;
	int found = 0, rc;
	sqlite3_stmt *s = tz_db_stmt(db, SQL_ALL);
	if (!s)
		goto dbfail;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		if (row_ent(s, &k)) {
			sqlite3_reset(s);
			st = damaged(err);
			goto fail;
		}
		char id[40], *o = id;
		if (n == 32) {
			tz_key_fingerprint(k.pk, show);
			for (const char *p = show; *p; p++)
				if (*p != ' ')
					*o++ = *p;
			*o = '\0';
		} else {
			tz_pubkey_id_hex(k.key_id, id);
			for (char *p = id; *p; p++)
				*p = (char)(*p >= 'A' && *p <= 'F' ? *p - 'A' + 'a' : *p);
		}
		if (!strcmp(id, norm)) {
			hit = k;
			found = 1;
			break;
		}
	}
	sqlite3_reset(s);
	if (!found && rc != SQLITE_DONE)
		goto dbfail;
	if (!found) {
		st = tz_fail(err, TZ_ENOTFOUND, "no key %s in the keyring",
			     "密钥环中没有密钥 %s", norm);
		goto fail;
	}
	int64_t to = after_seq < 0 ? 0 : after_seq;
	if (hit.revoked_after >= 0 && to > hit.revoked_after) {
		st = tz_fail(err, TZ_EINVAL,
			     "the key is already revoked after seq %lld; a revocation can only"
			     " be tightened",
			     "该密钥已从序号 %lld 之后吊销；吊销只能收紧，不能放宽",
			     (long long)hit.revoked_after);
		goto fail;
	}
	if (!(s = tz_db_stmt(db, SQL_REVOKE)))
		goto dbfail;
	sqlite3_bind_blob(s, 1, hit.key_id, 8, SQLITE_STATIC);
	sqlite3_bind_int64(s, 2, to);
	rc = sqlite3_step(s);
	sqlite3_reset(s);
	if (rc != SQLITE_DONE)
		goto dbfail;
	/* signed as revoked: also how a row changed outside taizhang is put
	 * out of harm's way */
	if ((st = sign_row(db, hit.key_id, sk, err)))
		goto fail;
	return tz_db_commit(db, err);
dbfail:
	st = tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
fail:
	tz_db_rollback(db);
	return st;
}

tz_status tz_keyring_list(tz_db *db, tz_keyent_cb cb, void *ctx, tz_err *err)
{
	tz_keyring kr;
	tz_status st = kr_load_db(db, 0, &kr, err);
	if (st)
		return st;
	for (size_t i = 0; i < kr.n; i++)
		if (cb(ctx, &kr.v[i]))
			break;
	tz_keyring_free(&kr);
	return TZ_OK;
}

tz_status tz_keyring_find(tz_db *db, const uint8_t key_id[8], tz_keyent *out, tz_err *err)
{
	char kid[17];
	tz_status tst = kr_trusted(db, err);
	if (tst)
		return tst;
	sqlite3_stmt *s = tz_db_stmt(db, SQL_GET);
	if (!s)
		return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	sqlite3_bind_blob(s, 1, key_id, 8, SQLITE_STATIC);
	int rc = sqlite3_step(s), bad_row = 0;
	if (rc == SQLITE_ROW)
		bad_row = row_ent(s, out);
	sqlite3_reset(s);
	if (rc == SQLITE_ROW)
		return bad_row ? damaged(err) : TZ_OK;
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, tz_tr("keyring", "密钥环"));
	tz_keyent own;
	if (kr_own_key(db, &own, NULL) == TZ_OK && !memcmp(own.key_id, key_id, 8)) {
		*out = own;
		return TZ_OK;
	}
	tz_pubkey_id_hex(key_id, kid);
	return tz_fail(err, TZ_ENOTFOUND, "unknown key id %s (not in the keyring)",
		       "未知密钥编号 %s（不在密钥环中）", kid);
}

tz_status tz_keyring_from_db(tz_db *db, tz_keyring *kr, tz_err *err)
{
	return kr_load_db(db, 1, kr, err);
}

const tz_keyent *tz_keyring_lookup(const tz_keyring *kr, const uint8_t key_id[8])
{
	for (size_t i = 0; kr && i < kr->n; i++)
		if (!memcmp(kr->v[i].key_id, key_id, 8))
			return &kr->v[i];
	return NULL;
}

void tz_keyring_free(tz_keyring *kr)
{
	if (!kr)
		return;
	free(kr->v);
	kr->v = NULL;
	kr->n = 0;
}
