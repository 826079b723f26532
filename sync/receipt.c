/* receipt.c - signed receipts (receipt.h, docs/bundle-format.md
 * "Receipts"): the township says what it holds of each device, the device
 * checks that against what it signed and forgets nothing on a word that
 * is not signed.
 */
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <fcntl.h>
#include <unistd.h>

#include "taizhang/clock.h"
#include "taizhang/db_sql.h"
#include "taizhang/file.h"
#include "taizhang/hex.h"
#include "taizhang/key.h"
#include "taizhang/oplog.h"
#include "taizhang/bundle.h"
#include "taizhang/receipt.h"

#define SIG_DASH "\xe2\x80\x94 " /* "— ", as in a C2SP signed note */
#define KEY_NAME "taizhang-"
#define SIG_B64_LEN 96            /* base64 of 72 bytes */

static int rank(int role)
{
	return role == TZ_ROLE_VILLAGE ? 0 : role == TZ_ROLE_TOWNSHIP ? 1 : role == TZ_ROLE_COUNTY ? 2 : -1;
}

static tz_status bad(tz_err *err, const char *en, const char *zh)
{
	return tz_fail(err, TZ_EREFUSED, "not a receipt: %s", "不是回执：%s", tz_tr(en, zh));
}

static void utc(int64_t t, char out[21])
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static size_t body(const tz_receipt *r, char *out, size_t cap)
{
	char h[33], d[33], head[65], t[21];
	tz_hex_encode(r->holder, 16, h);
	tz_hex_encode(r->device, 16, d);
	tz_hex_encode(r->head, 32, head);
	utc(r->time, t);
	int n = snprintf(out, cap, TZ_RECEIPT_MAGIC "\nholder %s\ndevice %s\nseq %llu\nhead %s\ntime %s\n",
			 h, d, (unsigned long long)r->seq, head, t);
	return n < 0 ? 0 : (size_t)n;
}

size_t tz_receipt_format(const tz_receipt *r, const uint8_t *sk, char out[TZ_RECEIPT_MAX])
{
	size_t n = body(r, out, TZ_RECEIPT_MAX);
	uint8_t blob[72];
	char kid[17], b64[SIG_B64_LEN + 1];
	memcpy(blob, r->key_id, 8);
	crypto_sign_detached(blob + 8, NULL, (const unsigned char *)out, n, sk);
	sodium_bin2base64(b64, sizeof b64, blob, sizeof blob, sodium_base64_VARIANT_ORIGINAL);
	tz_pubkey_id_hex(r->key_id, kid);
	int m = snprintf(out + n, TZ_RECEIPT_MAX - n, "\n" SIG_DASH KEY_NAME "%s %s\n", kid, b64);
	return m < 0 ? 0 : n + (size_t)m;
}

/* "<key> <value>\n" at *p: value copied (at most cap - 1 bytes) */
static int field(const char **p, const char *end, const char *key, char *val, size_t cap)
{
	size_t kl = strlen(key);
	if ((size_t)(end - *p) < kl + 2 || memcmp(*p, key, kl) || (*p)[kl] != ' ')
		return -1;
	const char *v = *p + kl + 1, *nl = memchr(v, '\n', (size_t)(end - v));
	if (!nl || (size_t)(nl - v) >= cap || nl == v)
		return -1;
	memcpy(val, v, (size_t)(nl - v));
	val[nl - v] = '\0';
	*p = nl + 1;
	return 0;
}

static int parse_time(const char *s, int64_t *out)
{
	struct tm tm = {0};
	char tail;
	if (strlen(s) != 20 || sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%c", &tm.tm_year, &tm.tm_mon,
				      &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &tm.tm_sec, &tail) != 6)
		return -1;
	if (tm.tm_year < 2000 || tm.tm_year > 9999 || tm.tm_mon < 1 || tm.tm_mon > 12 ||
	    tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour > 23 || tm.tm_min > 59 || tm.tm_sec > 60)
		return -1;
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	*out = (int64_t)timegm(&tm);
	return 0;
}

tz_status tz_receipt_parse(const char *text, size_t len, tz_receipt *r, uint8_t sig[64],
			   size_t *signed_len, tz_err *err)
{
	const char *p = text, *end = text + len;
	char v[80];
	memset(r, 0, sizeof *r);
	if (len >= TZ_RECEIPT_MAX || memchr(text, '\0', len))
		return bad(err, "too long, or not text", "过长，或不是文本");
	if (len < sizeof TZ_RECEIPT_MAGIC || memcmp(p, TZ_RECEIPT_MAGIC "\n", sizeof TZ_RECEIPT_MAGIC))
		return bad(err, "it does not begin with \"" TZ_RECEIPT_MAGIC "\"",
			   "开头不是 \"" TZ_RECEIPT_MAGIC "\"");
	p += sizeof TZ_RECEIPT_MAGIC;
	char *e;
	if (field(&p, end, "holder", v, sizeof v) || strlen(v) != 32 || tz_hex_decode(v, r->holder, 16) ||
	    field(&p, end, "device", v, sizeof v) || strlen(v) != 32 || tz_hex_decode(v, r->device, 16))
		return bad(err, "bad holder or device line", "持有方或设备行有误");
	if (field(&p, end, "seq", v, sizeof v) || v[0] < '1' || v[0] > '9' || strlen(v) > 19 ||
	    (r->seq = strtoull(v, &e, 10), *e))
		return bad(err, "bad seq line", "序号行有误");
	if (field(&p, end, "head", v, sizeof v) || strlen(v) != 64 || tz_hex_decode(v, r->head, 32))
		return bad(err, "bad head line", "链头行有误");
	if (field(&p, end, "time", v, sizeof v) || parse_time(v, &r->time))
		return bad(err, "bad time line", "时间行有误");
	*signed_len = (size_t)(p - text);
	/* the signed part is exactly what we would write: one spelling only */
	char again[TZ_RECEIPT_MAX];
	if (body(r, again, sizeof again) != *signed_len || memcmp(again, text, *signed_len))
		return bad(err, "not in the one written form", "不是规定的书写格式");
	size_t sl = sizeof SIG_DASH - 1 + sizeof KEY_NAME - 1 + 16 + 1 + SIG_B64_LEN + 1;
	if ((size_t)(end - p) != 1 + sl || p[0] != '\n' || memcmp(p + 1, SIG_DASH KEY_NAME,
								    sizeof SIG_DASH KEY_NAME - 1))
		return bad(err, "no signature line", "没有签名行");
	p += 1 + sizeof SIG_DASH KEY_NAME - 1;
	char kid[17], want[17];
	memcpy(kid, p, 16);
	kid[16] = '\0';
	if (p[16] != ' ' || end[-1] != '\n')
		return bad(err, "bad signature line", "签名行有误");
	uint8_t blob[72];
	size_t bl;
	if (sodium_base642bin(blob, sizeof blob, p + 17, SIG_B64_LEN, NULL, &bl, NULL,
			      sodium_base64_VARIANT_ORIGINAL) ||
	    bl != sizeof blob)
		return bad(err, "bad signature line", "签名行有误");
	memcpy(r->key_id, blob, 8);
	memcpy(sig, blob + 8, 64);
	tz_pubkey_id_hex(r->key_id, want);
	if (strcmp(kid, want))
		return bad(err, "the key named and the key that signed differ", "署名密钥与签名密钥不一致");
	return TZ_OK;
}

tz_status tz_receipt_check(const char *text, size_t len, const tz_keyent *k, tz_receipt *r,
			   tz_err *err)
{
	uint8_t sig[64];
	size_t sl;
	tz_status st = tz_receipt_parse(text, len, r, sig, &sl, err);
	if (st)
		return st;
	if (memcmp(k->key_id, r->key_id, 8) || memcmp(k->origin, r->holder, 16))
		return tz_fail(err, TZ_EREFUSED, "the receipt's signer is not the key's device",
			       "回执的签署方与密钥的设备不符");
	if (crypto_sign_verify_detached(sig, (const unsigned char *)text, sl, k->pk))
		return tz_fail(err, TZ_EREFUSED, "the receipt's signature is not valid",
			       "回执签名无效");
	return TZ_OK;
}

tz_status tz_receipt_held(tz_db *db, const uint8_t device[16], uint64_t *seq,
			  uint8_t head[32], tz_err *err)
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT first_seq, last_seq, hash, prev FROM bundle"
				      " WHERE origin=?1 AND status='applied' ORDER BY first_seq");
	if (!st)
		return tz_db_fail(db, err, "bundle");
	sqlite3_bind_blob(st, 1, device, 16, SQLITE_STATIC);
	uint8_t prev[32] = {0};
	uint64_t next = 1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		uint64_t first = (uint64_t)sqlite3_column_int64(st, 0),
			 last = (uint64_t)sqlite3_column_int64(st, 1);
		if (first < next)
			continue;
		if (first > next || sqlite3_column_bytes(st, 2) != 32 ||
		    sqlite3_column_bytes(st, 3) != 32 || memcmp(sqlite3_column_blob(st, 3), prev, 32))
			break;
		memcpy(prev, sqlite3_column_blob(st, 2), 32);
		next = last + 1;
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return tz_db_fail(db, err, "bundle");
	*seq = next - 1;
	memcpy(head, prev, 32);
	return TZ_OK;
}

tz_status tz_receipt_make(tz_db *db, const uint8_t *sk, const uint8_t device[16],
			  char out[TZ_RECEIPT_MAX], size_t *len, tz_err *err)
{
	tz_receipt r = {0};
	uint8_t pk[32];
	tz_status st;
	*len = 0;
	if ((st = tz_receipt_held(db, device, &r.seq, r.head, err)))
		return st;
	if (!r.seq)
		return TZ_OK;
	if ((st = tz_key_public(db, pk, r.key_id, err)))
		return st;
	memcpy(r.holder, tz_db_origin(db), 16);
	memcpy(r.device, device, 16);
	r.time = tz_clock_ms() / 1000;
	*len = tz_receipt_format(&r, sk, out);
	return TZ_OK;
}

void tz_receipt_utc(const tz_receipt *r, char out[21])
{
	utc(r->time, out);
}

void tz_receipt_day(const tz_receipt *r, char out[16])
{
	time_t tt = (time_t)r->time;
	struct tm tm;
	localtime_r(&tt, &tm);
	strftime(out, 16, "%Y-%m-%d", &tm);
}

void tz_receipt_name(const uint8_t device[16], char out[40])
{
	char h[33];
	tz_hex_encode(device, 16, h);
	snprintf(out, 40, "%s" TZ_RECEIPT_EXT, h);
}

tz_status tz_receipt_export(tz_db *db, const uint8_t *sk, const char *dir,
			    int (*cb)(void *ctx, const char *path), void *ctx, int *n, tz_err *err)
{
	*n = 0;
	sqlite3_stmt *q;
	/* the devices below this one whose bundles it holds */
	if (sqlite3_prepare_v2(tz_db_sql(db), "SELECT DISTINCT b.origin FROM bundle b JOIN keyring k"
			       " ON k.origin = b.origin WHERE b.status='applied' AND b.origin <> ?1"
			       " AND k.role IN ('village', ?2) ORDER BY b.origin", -1, &q, NULL))
		return tz_db_fail(db, err, "bundle");
	sqlite3_bind_blob(q, 1, tz_db_origin(db), 16, SQLITE_STATIC);
	sqlite3_bind_text(q, 2, tz_db_role(db) == TZ_ROLE_COUNTY ? "township" : "village", -1,
			  SQLITE_STATIC);
	tz_status st = TZ_OK;
	int rc;
	while (!st && (rc = sqlite3_step(q)) == SQLITE_ROW) {
		uint8_t dev[16];
		char text[TZ_RECEIPT_MAX], name[40], path[TZ_PATH_MAX + 48];
		size_t len;
		if (sqlite3_column_bytes(q, 0) != 16)
			continue;
		memcpy(dev, sqlite3_column_blob(q, 0), 16);
		if ((st = tz_receipt_make(db, sk, dev, text, &len, err)) || !len)
			continue;
		tz_receipt_name(dev, name);
		snprintf(path, sizeof path, "%s/%s", dir, name);
		if ((st = tz_file_put(path, text, len, 0644, err)))
			break;
		(*n)++;
		if (cb)
			cb(ctx, path);
	}
	sqlite3_finalize(q);
	return st;
}


/* 1 if k is another PC of this office: the same role, the very same region */
static int same_office(tz_db *db, const tz_keyent *k)
{
	char *mine = tz_db_region(db);
	int r = k->role == tz_db_role(db) && mine && !strcmp(mine, k->region);
	free(mine);
	return r;
}

/* 1 if this database has an applied bundle of device ending at seq with that hash */
static int has_bundle(tz_db *db, const uint8_t device[16], uint64_t seq, const uint8_t head[32])
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT 1 FROM bundle WHERE origin=?1 AND hash=?2"
				      " AND last_seq=?3 AND status='applied'");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, device, 16, SQLITE_STATIC);
	sqlite3_bind_blob(st, 2, head, 32, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, (sqlite3_int64)seq);
	int r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return r;
}

/* 1 if bundles of device (not this one) are held here: forwarded upward */
static int deals_with(tz_db *db, const uint8_t device[16])
{
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT 1 FROM bundle WHERE origin=?1 AND status='applied'"
				      " LIMIT 1");
	if (!st)
		return 0;
	sqlite3_bind_blob(st, 1, device, 16, SQLITE_STATIC);
	int r = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_reset(st);
	return r;
}

static void why(char reason[TZ_ERR_MAX], const char *en, const char *zh, ...)
	__attribute__((format(printf, 2, 0)));
static void why(char reason[TZ_ERR_MAX], const char *en, const char *zh, ...)
{
	va_list ap;
	va_start(ap, zh);
	vsnprintf(reason, TZ_ERR_MAX, tz_tr(en, zh), ap);
	va_end(ap);
}

tz_status tz_receipt_take(tz_db *db, const char *text, size_t len, tz_receipt *r,
			  tz_receipt_outcome *outcome, char reason[TZ_ERR_MAX], tz_err *err)
{
	uint8_t sig[64];
	size_t sl;
	tz_err perr = {0};
	const uint8_t *self = tz_db_origin(db);
	*outcome = TZ_RECEIPT_REFUSED;
	reason[0] = '\0';
	if (tz_receipt_parse(text, len, r, sig, &sl, &perr)) {
		snprintf(reason, TZ_ERR_MAX, "%s", perr.msg);
		return TZ_OK;
	}
	int own = !memcmp(r->device, self, 16);
	if (!own && (tz_db_role(db) == TZ_ROLE_VILLAGE || !deals_with(db, r->device))) {
		*outcome = TZ_RECEIPT_OTHER;
		return TZ_OK;
	}
	tz_keyent k;
	char kid[17];
	tz_pubkey_id_hex(r->key_id, kid);
	if (!memcmp(r->holder, self, 16)) {
		why(reason, "signed by this PC itself", "是本机自己签署的");
		return TZ_OK;
	}
	tz_status st = tz_keyring_find(db, r->key_id, &k, &perr);
	if (!own && (st != TZ_OK || (rank((int)k.role) <= rank((int)tz_db_role(db)) &&
				     !same_office(db, &k)))) {
		/* about a device this one forwards, but not from a level above:
		 * the township's receipts for its villages on a stick going up */
		*outcome = TZ_RECEIPT_OTHER;
		return TZ_OK;
	}
	if (st == TZ_ENOTFOUND) {
		why(reason, "signed by key %s, which is not enrolled here (forged, or enrol the township's key)",
		    "签名密钥 %s 未在本机登记（伪造的回执，或先登记乡镇的公钥）", kid);
		return TZ_OK;
	}
	if (st)
		return tz_fail(err, st, "%s", "%s", perr.msg);
	if (memcmp(k.origin, r->holder, 16)) {
		why(reason, "key %s belongs to another device than the one named", "密钥 %s 属于另一台设备",
		    kid);
		return TZ_OK;
	}
	if (k.revoked_after >= 0) {
		why(reason, "signed by key %s, which is revoked", "签名密钥 %s 已被吊销", kid);
		return TZ_OK;
	}
	tz_authority a = {.role = (int)k.role};
	snprintf(a.region, sizeof a.region, "%s", k.region);
	char *mine = tz_db_region(db);
	/* a level above over this region, or another PC of this office
	 * (which forwards what it holds as this one would) */
	int above = (rank((int)k.role) > rank((int)tz_db_role(db)) && rank((int)tz_db_role(db)) >= 0 &&
		     mine && tz_authority_covers(&a, mine)) ||
		    same_office(db, &k);
	free(mine);
	if (!above) {
		why(reason, "signed by %s %s, which does not hold this PC's changes (not a level above it)",
		    "签署方 %s %s 不是本机的上级，不保管本机的变更", tz_db_role_name(k.role), k.region);
		return TZ_OK;
	}
	if (crypto_sign_verify_detached(sig, (const unsigned char *)text, sl, k.pk)) {
		why(reason, "the signature is not valid (the receipt was changed or forged)",
		    "签名无效（回执被改动或伪造）");
		return TZ_OK;
	}
	if (!has_bundle(db, r->device, r->seq, r->head)) {
		why(reason, "it names changes up to %llu with a head this PC never %s (forged, or another history)",
		    "它所说的至第 %llu 条的链头不是本机%s过的（伪造的，或另一段历史）",
		    (unsigned long long)r->seq, own ? tz_tr("signed", "签署") : tz_tr("received", "收到"));
		return TZ_OK;
	}
	/* not older than what the same key said before */
	sqlite3_stmt *q = tz_db_stmt(db, "SELECT seq, time FROM receipt WHERE key_id=?1 AND device=?2");
	if (!q)
		return tz_db_fail(db, err, "receipt");
	sqlite3_bind_blob(q, 1, r->key_id, 8, SQLITE_STATIC);
	sqlite3_bind_blob(q, 2, r->device, 16, SQLITE_STATIC);
	int64_t held_seq = -1, held_time = 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		held_seq = sqlite3_column_int64(q, 0);
		held_time = sqlite3_column_int64(q, 1);
	}
	sqlite3_reset(q);
	if (held_seq > (int64_t)r->seq || (held_seq == (int64_t)r->seq && held_time > r->time)) {
		why(reason, "stale: the same signer already said it holds up to %lld",
		    "已过时：同一签署方已确认收到至第 %lld 条", (long long)held_seq);
		*outcome = TZ_RECEIPT_STALE;
		return TZ_OK;
	}
	if (held_seq == (int64_t)r->seq && held_time == r->time) {
		*outcome = TZ_RECEIPT_KNOWN;
		return TZ_OK;
	}
	sqlite3_stmt *w = tz_db_stmt(db, "INSERT OR REPLACE INTO receipt(key_id, device, holder, seq,"
				     " head, time, received, text) VALUES(?1,?2,?3,?4,?5,?6,?7,?8)");
	if (!w)
		return tz_db_fail(db, err, "receipt");
	sqlite3_bind_blob(w, 1, r->key_id, 8, SQLITE_STATIC);
	sqlite3_bind_blob(w, 2, r->device, 16, SQLITE_STATIC);
	sqlite3_bind_blob(w, 3, r->holder, 16, SQLITE_STATIC);
	sqlite3_bind_int64(w, 4, (sqlite3_int64)r->seq);
	sqlite3_bind_blob(w, 5, r->head, 32, SQLITE_STATIC);
	sqlite3_bind_int64(w, 6, r->time);
	sqlite3_bind_int64(w, 7, tz_clock_ms());
	sqlite3_bind_text(w, 8, text, (int)len, SQLITE_STATIC);
	int rc = sqlite3_step(w);
	sqlite3_reset(w);
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "receipt");
	*outcome = held_seq == (int64_t)r->seq ? TZ_RECEIPT_KNOWN : TZ_RECEIPT_TAKEN;
	return TZ_OK;
}

tz_status tz_receipt_take_file(tz_db *db, const char *path, tz_receipt *r,
			       tz_receipt_outcome *outcome, char reason[TZ_ERR_MAX], tz_err *err)
{
	char buf[TZ_RECEIPT_MAX];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", path,
			       tz_strerror(errno));
	ssize_t n, got = 0;
	while ((n = read(fd, buf + got, sizeof buf - (size_t)got)) > 0 && got + n < (ssize_t)sizeof buf)
		got += n;
	int e = errno;
	close(fd);
	if (n < 0)
		return tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s", path, tz_strerror(e));
	if (n > 0)
		got = sizeof buf; /* too long: parse refuses it */
	return tz_receipt_take(db, buf, (size_t)got, r, outcome, reason, err);
}

int tz_receipt_best(tz_db *db, const uint8_t device[16], tz_receipt *r)
{
	sqlite3_stmt *q = tz_db_stmt(db, "SELECT r.text FROM receipt r JOIN keyring k"
				     " ON k.key_id = r.key_id WHERE r.device=?1 AND k.revoked_after IS NULL"
				     " ORDER BY r.seq DESC, r.time DESC LIMIT 1");
	if (!q)
		return 0;
	sqlite3_bind_blob(q, 1, device, 16, SQLITE_STATIC);
	int found = 0;
	if (sqlite3_step(q) == SQLITE_ROW) {
		uint8_t sig[64];
		size_t sl;
		tz_err e;
		found = tz_receipt_parse((const char *)sqlite3_column_text(q, 0),
					 (size_t)sqlite3_column_bytes(q, 0), r, sig, &sl, &e) == TZ_OK;
	}
	sqlite3_reset(q);
	return found;
}

tz_status tz_receipt_prune(tz_db *db, const char *outbox, int *removed, tz_err *err)
{
	*removed = 0;
	DIR *d = opendir(outbox);
	if (!d)
		return errno == ENOENT ? TZ_OK
				       : tz_fail(err, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s",
						 outbox, tz_strerror(errno));
	struct dirent *de;
	int any = 0;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (de->d_name[0] == '.' || l < 5 || strcmp(de->d_name + l - 4, TZ_BUNDLE_EXT))
			continue;
		char path[TZ_PATH_MAX + 256];
		tz_bundle_info info;
		tz_receipt r;
		tz_err pe;
		snprintf(path, sizeof path, "%s/%s", outbox, de->d_name);
		if (tz_bundle_peek(path, &info, &pe) || !tz_receipt_best(db, info.origin, &r) ||
		    r.seq < info.last_seq)
			continue;
		if (unlink(path) == 0) {
			(*removed)++;
			any = 1;
		}
	}
	closedir(d);
	if (any)
		tz_file_sync_dir(outbox, NULL);
	return TZ_OK;
}
