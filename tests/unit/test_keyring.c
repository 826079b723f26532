/* test_keyring.c - public key files, the keyring and keyring files: round
 * trips, hostile files, revocation, this device's own key. */
#include <sodium.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/keyring.h"
#include "taizhang/key.h"
#include "taizhang/db.h"
#include "taizhang/db_sql.h"
#include "tz_test.h"
#include "tz_test_keys.h"

#define TEN "一二三四五六七八九十"

static char *path_of(const char *name)
{
	static char p[4][512];
	static int i;
	i = (i + 1) % 4;
	snprintf(p[i], sizeof p[i], "%s/%s", tz_test_tmpdir(), name);
	return p[i];
}

static const char *put(const char *name, const char *data, size_t len)
{
	const char *p = path_of(name);
	FILE *f = fopen(p, "wb");
	if (!f || fwrite(data, 1, len, f) != len)
		exit(2);
	fclose(f);
	return p;
}

static const char *puts_(const char *name, const char *text)
{
	return put(name, text, strlen(text));
}

static char *slurp(const char *path)
{
	static char buf[1 << 16];
	FILE *f = fopen(path, "rb");
	size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
	if (f)
		fclose(f);
	buf[n] = '\0';
	return buf;
}

/* A database with identity and key (Argon2: made once per name). */
static tz_db *make_db(const char *name, tz_role role, const char *region, const char *nm)
{
	tz_err err = {0};
	tz_db *db = NULL;
	if (tz_db_open(&db, path_of(name), TZ_OPEN_CREATE, &err) ||
	    (!tz_db_has_identity(db) && (tz_db_set_identity(db, role, region, nm, &err) ||
					 tz_key_create(db, "pw", &err)))) {
		printf("make_db %s: %s\n", name, err.msg);
		exit(2);
	}
	return db;
}

/* Some other device's key. */
static tz_keyent make_ent(tz_role role, const char *region, const char *name)
{
	tz_keyent k;
	uint8_t sk[64];
	memset(&k, 0, sizeof k);
	crypto_sign_keypair(k.pk, sk);
	randombytes_buf(k.key_id, 8);
	randombytes_buf(k.origin, 16);
	k.role = role;
	snprintf(k.region, sizeof k.region, "%s", region);
	snprintf(k.name, sizeof k.name, "%s", name);
	k.revoked_after = -1;
	return k;
}

static void b64_of(const uint8_t alg[2], const uint8_t id[8], const uint8_t pk[32], char out[57])
{
	uint8_t blob[42];
	memcpy(blob, alg, 2);
	memcpy(blob + 2, id, 8);
	memcpy(blob + 10, pk, 32);
	sodium_bin2base64(out, 57, blob, 42, sodium_base64_VARIANT_ORIGINAL);
}

/* ---- */

TEST(keyid_hex_is_minisign_form)
{
	const uint8_t id[8] = {0x9F, 0x2F, 0x10, 0x74, 0x25, 0xA4, 0x3E, 0x9C};
	char out[17];
	tz_pubkey_id_hex(id, out);
	CHECK_STR(out, "9C3EA42574102F9F");
}

TEST(pubkey_round_trip)
{
	tz_err err = {0};
	tz_db *db = make_db("village.db", TZ_ROLE_VILLAGE, "430181100201", "Shimen Village 石门村");
	const char *p = path_of("village.pub");
	CHECK(tz_pubkey_export(db, p, &err) == TZ_OK);
	tz_keyent k, own;
	uint8_t pk[32], id[8];
	char kid[17], origin[33], want[512], b64[57];
	CHECK(tz_key_public(db, pk, id, &err) == TZ_OK);
	tz_pubkey_id_hex(id, kid);
	tz_hex_encode(tz_db_origin(db), 16, origin);
	b64_of((const uint8_t *)"Ed", id, pk, b64);
	/* the third line: the encryption key and the signing key's signature */
	uint8_t enc[96], stmt[TZ_ENC_STATEMENT_BYTES];
	char eb64[129];
	CHECK(tz_key_enc_public(db, enc, enc + 32, &err) == TZ_OK);
	tz_key_enc_statement(id, tz_db_origin(db), enc, stmt);
	CHECK(crypto_sign_verify_detached(enc + 32, stmt, sizeof stmt, pk) == 0);
	sodium_bin2base64(eb64, sizeof eb64, enc, 96, sodium_base64_VARIANT_ORIGINAL);
	snprintf(want, sizeof want,
		 "untrusted comment: minisign public key %s taizhang %s village 430181100201"
		 " Shimen_Village_石门村\n%s\ntaizhang encryption key: %s\n",
		 kid, origin, b64, eb64);
	CHECK_STR(slurp(p), want);
	struct stat sb;
	CHECK(stat(p, &sb) == 0 && (sb.st_mode & 0777) == 0644);
	CHECK(tz_pubkey_read(p, &k, &err) == TZ_OK);
	CHECK(!memcmp(k.pk, pk, 32));
	CHECK(!memcmp(k.key_id, id, 8));
	CHECK(!memcmp(k.origin, tz_db_origin(db), 16));
	CHECK_INT(k.role, TZ_ROLE_VILLAGE);
	CHECK_STR(k.region, "430181100201");
	CHECK_STR(k.name, "Shimen Village 石门村");
	CHECK_INT(k.added_ms, 0);
	CHECK_INT(k.revoked_after, -1);
	CHECK(k.has_enc && !memcmp(k.epk, enc, 32) && tz_pubkey_enc_ok(&k));
	/* the file's text parsed from memory gives the same entry */
	tz_keyent m;
	const char *text = slurp(p);
	CHECK(tz_pubkey_parse(text, strlen(text), "-", &m, &err) == TZ_OK);
	CHECK(!memcmp(m.pk, k.pk, 32) && !memcmp(m.key_id, k.key_id, 8) &&
	      !memcmp(m.origin, k.origin, 16) && m.role == k.role && m.has_enc &&
	      !memcmp(m.epk, k.epk, 32));
	CHECK_STR(m.name, k.name);
	CHECK_STR(m.region, k.region);
	/* the encryption key's signature covers the key: another key there is refused */
	char *txt = strdup(slurp(p)), *l3 = strstr(txt, "taizhang encryption key: ");
	CHECK(l3 != NULL);
	if (l3) {
		char *c = l3 + 25 + 10;
		*c = *c == 'A' ? 'B' : 'A';
		FILE *f = fopen(path_of("swapped.pub"), "w");
		fputs(txt, f);
		fclose(f);
		CHECK(tz_pubkey_read(path_of("swapped.pub"), &k, &err) == TZ_EREFUSED);
		CHECK(strstr(err.msg, "not signed") != NULL);
	}
	free(txt);
	CHECK(tz_pubkey_read(p, &k, &err) == TZ_OK);
	/* the own key is found by key id */
	CHECK(tz_keyring_find(db, id, &own, &err) == TZ_OK);
	CHECK(!memcmp(own.pk, pk, 32));
	CHECK(!memcmp(own.origin, tz_db_origin(db), 16));
	CHECK_STR(own.name, "Shimen Village 石门村");
	CHECK_STR(own.region, "430181100201");
	/* overwriting is atomic and leaves no temporary file */
	CHECK(tz_pubkey_export(db, p, &err) == TZ_OK);
	CHECK(access(path_of(".village.pub.XXXXXX"), F_OK) != 0);
	/* CRLF line ends and a BOM are fine */
	char crlf[600];
	snprintf(crlf, sizeof crlf,
		 "\xef\xbb\xbfuntrusted comment: minisign public key %s taizhang %s township"
		 " 430181100000 X\r\n%s\r\n\r\n",
		 kid, origin, b64);
	CHECK(tz_pubkey_read(puts_("crlf.pub", crlf), &k, &err) == TZ_OK);
	CHECK_INT(k.role, TZ_ROLE_TOWNSHIP);
	CHECK_STR(k.name, "X");
	/* a directory cannot be written over */
	mkdir(path_of("adir"), 0700);
	CHECK(tz_pubkey_export(db, path_of("adir"), &err) == TZ_EIO);
	CHECK(strstr(err.msg, "adir") != NULL);
	tz_db_close(db);
}

TEST(pubkey_from_stock_minisign)
{
	tz_err err = {0};
	tz_keyent e = make_ent(TZ_ROLE_VILLAGE, "430181100201", ""), k;
	char kid[17], b64[57], text[256];
	tz_pubkey_id_hex(e.key_id, kid);
	b64_of((const uint8_t *)"Ed", e.key_id, e.pk, b64);
	snprintf(text, sizeof text, "untrusted comment: minisign public key %s\n%s\n", kid, b64);
	CHECK(tz_pubkey_read(puts_("stock.pub", text), &k, &err) == TZ_OK);
	CHECK(!memcmp(k.pk, e.pk, 32));
	CHECK(!memcmp(k.key_id, e.key_id, 8));
	static const uint8_t zero[16];
	CHECK(!memcmp(k.origin, zero, 16));
	/* minisign drops the key id's leading zeros */
	e.key_id[7] = 0x0a;
	tz_pubkey_id_hex(e.key_id, kid);
	b64_of((const uint8_t *)"Ed", e.key_id, e.pk, b64);
	snprintf(text, sizeof text, "untrusted comment: minisign public key %s\n%s\n", kid + 1, b64);
	CHECK(tz_pubkey_read(puts_("stock1.pub", text), &k, &err) == TZ_OK);
	CHECK(!memcmp(k.key_id, e.key_id, 8));
	/* any other comment too */
	snprintf(text, sizeof text, "untrusted comment: my key\n%s", b64);
	CHECK(tz_pubkey_read(puts_("stock2.pub", text), &k, &err) == TZ_OK);
	CHECK(!memcmp(k.pk, e.pk, 32));
	/* but it names no device: refused by the keyring */
	tz_db *db = make_db("township.db", TZ_ROLE_TOWNSHIP, "430181100000", "镇");
	snprintf(k.region, sizeof k.region, "430181100201");
	CHECK(tz_keyring_add(db, &k, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	CHECK(strstr(err.msg, "does not name a taizhang device") != NULL);
	tz_db_close(db);
}

typedef struct {
	const char *what, *text, *msg;
	size_t len; /* 0: strlen */
} bad_case;

static void expect_refused(const char *name, const char *data, size_t len, const char *msg,
			   int keyring)
{
	tz_err err = {0};
	tz_keyent k;
	tz_keyring kr = {0};
	const char *p = put(name, data, len);
	tz_status st = keyring ? tz_keyring_load(p, &kr, &err) : tz_pubkey_read(p, &k, &err);
	if (st != TZ_EREFUSED || !strstr(err.msg, msg) || !strstr(err.msg, name) ||
	    strchr(err.msg, '\n')) {
		printf("FAIL %s: status %d, message '%s' (wanted '%s')\n", name, st, err.msg, msg);
		tz_t_cur_failed = 1;
	}
	CHECK(kr.v == NULL && kr.n == 0);
	/* the same text parsed from memory under the same name: the same refusal */
	tz_err merr = {0};
	tz_status mst = keyring ? tz_keyring_parse(data, len, p, &kr, &merr)
				: tz_pubkey_parse(data, len, p, &k, &merr);
	CHECK_INT(mst, st);
	CHECK_STR(merr.msg, err.msg);
	CHECK(kr.v == NULL && kr.n == 0);
}

TEST(pubkey_hostile)
{
	tz_keyent e = make_ent(TZ_ROLE_VILLAGE, "430181100201", "");
	char kid[17], b64[57], b64ed[57], hdr[128], t[4096];
	const uint8_t zero32[32] = {0};
	tz_pubkey_id_hex(e.key_id, kid);
	b64_of((const uint8_t *)"Ed", e.key_id, e.pk, b64);
	snprintf(hdr, sizeof hdr, "untrusted comment: minisign public key %s", kid);
	const char *C = "untrusted comment: x\n";

	expect_refused("empty.pub", "", 0, "empty", 0);
	snprintf(t, sizeof t, "%s\n", b64);
	expect_refused("nocomment.pub", t, strlen(t), "untrusted comment", 0);
	snprintf(t, sizeof t, "%s", C);
	expect_refused("nokey.pub", t, strlen(t), "line 2: the key is missing", 0);
	snprintf(t, sizeof t, "%s%.55s\n", C, b64);
	expect_refused("truncated.pub", t, strlen(t), "line 2: the key is 55 base64", 0);
	snprintf(t, sizeof t, "%s%.52s\n", C, b64);
	expect_refused("truncated4.pub", t, strlen(t), "not 56", 0);
	snprintf(t, sizeof t, "%s%sAAAA\n", C, b64);
	expect_refused("long.pub", t, strlen(t), "not 56", 0);
	snprintf(t, sizeof t, "%s%s\n", C, b64);
	t[strlen(C) + 10] = '!';
	expect_refused("badchar.pub", t, strlen(t), "not valid base64", 0);
	snprintf(t, sizeof t, "%s%s\n", C, b64);
	t[strlen(C) + 54] = '=';
	expect_refused("padding.pub", t, strlen(t), "not valid base64", 0);
	snprintf(t, sizeof t, "%s%.40s %.15s\n", C, b64, b64 + 40);
	expect_refused("space.pub", t, strlen(t), "base64", 0);
	b64_of((const uint8_t *)"ED", e.key_id, e.pk, b64ed);
	snprintf(t, sizeof t, "%s%s\n", C, b64ed);
	expect_refused("alg.pub", t, strlen(t), "algorithm 'ED'", 0);
	b64_of((const uint8_t *)"\x01\xff", e.key_id, e.pk, b64ed);
	snprintf(t, sizeof t, "%s%s\n", C, b64ed);
	expect_refused("alg2.pub", t, strlen(t), "algorithm '?\?'", 0);
	b64_of((const uint8_t *)"Ed", e.key_id, zero32, b64ed);
	snprintf(t, sizeof t, "%s%s\n", C, b64ed);
	expect_refused("point.pub", t, strlen(t), "not a valid Ed25519", 0);
	/* overlong lines */
	memset(t, 'x', 3000);
	memcpy(t, C, strlen(C) - 1);
	snprintf(t + 2000, sizeof t - 2000, "\n%s\n", b64);
	expect_refused("longline.pub", t, strlen(t), "line 1: line too long", 0);
	snprintf(t, sizeof t, "%s", C);
	memset(t + strlen(C), 'A', 1100);
	t[strlen(C) + 1100] = '\0';
	expect_refused("longline2.pub", t, strlen(t), "line 2: line too long", 0);
	/* NUL bytes */
	snprintf(t, sizeof t, "%s%s\n", hdr, b64);
	t[5] = '\0';
	expect_refused("nul.pub", t, strlen(hdr) + 58, "NUL", 0);
	snprintf(t, sizeof t, "%s\n%s\n", hdr, b64);
	expect_refused("nul2.pub", t, strlen(t) + 1, "line 3: contains a NUL", 0);
	/* trailing garbage */
	snprintf(t, sizeof t, "%s\n%s\nmore\n", hdr, b64);
	expect_refused("trailing.pub", t, strlen(t), "line 3: unexpected text", 0);
	/* the comment of a taizhang file is checked */
	uint8_t other[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	char okid[17];
	tz_pubkey_id_hex(other, okid);
	snprintf(t, sizeof t, "untrusted comment: minisign public key %s\n%s\n", okid, b64);
	expect_refused("kidmismatch.pub", t, strlen(t), "names key id 0807060504030201", 0);
	snprintf(t, sizeof t, "%s taizhang 0123456789abcdef0123456789abcdeg village 430181100201 x\n%s\n",
		 hdr, b64);
	expect_refused("badhex.pub", t, strlen(t), "line 1: the comment does not give the device id", 0);
	snprintf(t, sizeof t, "%s taizhang 0123456789abcdef0123456789abcd village 430181100201 x\n%s\n",
		 hdr, b64);
	expect_refused("shorthex.pub", t, strlen(t), "device id", 0);
	snprintf(t, sizeof t, "%s taizhang 0123456789abcdef0123456789abcdef mayor 430181100201 x\n%s\n",
		 hdr, b64);
	expect_refused("badrole.pub", t, strlen(t), "no role", 0);
	snprintf(t, sizeof t, "%s taizhang 0123456789abcdef0123456789abcdef village 99018110020 x\n%s\n",
		 hdr, b64);
	expect_refused("badregion.pub", t, strlen(t), "region", 0);
	snprintf(t, sizeof t, "%s taizhang 0123456789abcdef0123456789abcdef village 430181100201 a\x01z\n%s\n",
		 hdr, b64);
	expect_refused("ctrlname.pub", t, strlen(t), "name", 0);
	snprintf(t, sizeof t, "%s taizhang 0123456789abcdef0123456789abcdef village 430181100201 a\xffz\n%s\n",
		 hdr, b64);
	expect_refused("utf8name.pub", t, strlen(t), "UTF-8", 0);
	snprintf(t, sizeof t, "%s taizhang 0123456789abcdef0123456789abcdef village 430181100201 a\xc2\x85z\n%s\n",
		 hdr, b64);
	expect_refused("c1name.pub", t, strlen(t), "name", 0);
	/* too large */
	char *big = malloc(70000);
	memset(big, '\n', 70000);
	memcpy(big, t, strlen(t));
	expect_refused("big.pub", big, 70000, "too large", 0);
	free(big);
	/* not a file */
	tz_err err = {0};
	tz_keyent k;
	mkdir(path_of("dir.pub"), 0700);
	CHECK(tz_pubkey_read(path_of("dir.pub"), &k, &err) == TZ_EREFUSED);
	CHECK(strstr(err.msg, "not a regular file") != NULL);
	CHECK(tz_pubkey_read(path_of("missing.pub"), &k, &err) == TZ_EIO);
	CHECK(strstr(err.msg, "missing.pub") != NULL);
	/* control characters in the path are not echoed */
	CHECK(tz_pubkey_read(path_of("a\nb.pub"), &k, &err) == TZ_EIO);
	CHECK(strchr(err.msg, '\n') == NULL);
	/* a long name is cut at a character boundary */
	snprintf(t, sizeof t, "%s taizhang 0123456789abcdef0123456789abcdef village 430181100201 "
		 "%s%s%s%s%s%s%s\n%s\n", hdr, TEN, TEN, TEN, TEN, TEN, TEN, TEN, b64);
	CHECK(tz_pubkey_read(puts_("longname.pub", t), &k, &err) == TZ_OK);
	/* 70 characters of 3 bytes: 63 fit in 191 bytes */
	CHECK_STR(k.name, TEN TEN TEN TEN TEN TEN "一二三");
}

static int collect(void *ctx, const tz_keyent *k)
{
	tz_keyring *kr = ctx;
	kr->v = realloc(kr->v, (kr->n + 1) * sizeof *kr->v);
	kr->v[kr->n++] = *k;
	return 0;
}

static int stop_first(void *ctx, const tz_keyent *k)
{
	(void)k;
	++*(int *)ctx;
	return 1;
}

TEST(keyring_add_find_list)
{
	tz_err err = {0};
	setenv("TAIZHANG_NOW", "2026-06-15", 1);
	tz_db *db = make_db("town2.db", TZ_ROLE_TOWNSHIP, "430181100000", "镇");
	tz_keyent a = make_ent(TZ_ROLE_VILLAGE, "430181100201", "甲村");
	tz_keyent b = make_ent(TZ_ROLE_VILLAGE, "430181100202", "乙村");
	a.key_id[7] = 0xF0; /* a sorts after b */
	b.key_id[7] = 0x10;
	CHECK(tz_keyring_add(db, &a, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_add(db, &b, tz_test_sk(db, "pw"), &err) == TZ_OK);
	tz_keyent f;
	CHECK(tz_keyring_find(db, a.key_id, &f, &err) == TZ_OK);
	CHECK(!memcmp(f.pk, a.pk, 32));
	CHECK(!memcmp(f.origin, a.origin, 16));
	CHECK_STR(f.name, "甲村");
	CHECK_STR(f.region, "430181100201");
	CHECK_INT(f.added_ms, 1781524800000LL); /* 2026-06-15T12:00Z */
	CHECK_INT(f.revoked_after, -1);
	tz_keyring kr = {0};
	CHECK(tz_keyring_list(db, collect, &kr, &err) == TZ_OK);
	CHECK_INT(kr.n, 2);
	if (kr.n == 2) {
		CHECK(!memcmp(kr.v[0].key_id, b.key_id, 8));
		CHECK(!memcmp(kr.v[1].key_id, a.key_id, 8));
	}
	tz_keyring_free(&kr);
	int calls = 0;
	CHECK(tz_keyring_list(db, stop_first, &calls, &err) == TZ_OK);
	CHECK_INT(calls, 1);
	/* unknown key */
	uint8_t nope[8] = {0};
	CHECK(tz_keyring_find(db, nope, &f, &err) == TZ_ENOTFOUND);
	CHECK(strstr(err.msg, "0000000000000000") != NULL);
	/* the same key id with another key */
	tz_keyent c = make_ent(TZ_ROLE_VILLAGE, "430181100203", "丙村");
	memcpy(c.key_id, a.key_id, 8);
	CHECK(tz_keyring_add(db, &c, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	CHECK(strstr(err.msg, "already enrolled") != NULL);
	/* the same key under another id */
	c = a;
	c.key_id[0] ^= 1;
	CHECK(tz_keyring_add(db, &c, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	/* the same key, same device: role, region and name change */
	c = a;
	c.role = TZ_ROLE_TOWNSHIP;
	snprintf(c.name, sizeof c.name, "甲村 new");
	c.added_ms = 5;
	CHECK(tz_keyring_add(db, &c, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_find(db, a.key_id, &f, &err) == TZ_OK);
	CHECK_INT(f.role, TZ_ROLE_TOWNSHIP);
	CHECK_STR(f.name, "甲村 new");
	CHECK_INT(f.added_ms, 1781524800000LL);
	/* this device's own key, or a key claiming its origin */
	tz_keyent own;
	uint8_t pk[32], id[8];
	CHECK(tz_key_public(db, pk, id, &err) == TZ_OK);
	CHECK(tz_keyring_find(db, id, &own, &err) == TZ_OK);
	CHECK_INT(own.role, TZ_ROLE_TOWNSHIP);
	CHECK_STR(own.name, "镇");
	CHECK(tz_keyring_add(db, &own, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	CHECK(strstr(err.msg, "own key") != NULL);
	c = make_ent(TZ_ROLE_VILLAGE, "430181100203", "丙村");
	memcpy(c.origin, tz_db_origin(db), 16);
	CHECK(tz_keyring_add(db, &c, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	/* bad fields */
	c = make_ent(TZ_ROLE_VILLAGE, "12345", "丙村");
	CHECK(tz_keyring_add(db, &c, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	c = make_ent(TZ_ROLE_VILLAGE, "430181100203", "a\tb");
	CHECK(tz_keyring_add(db, &c, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	c = make_ent(TZ_ROLE_VILLAGE, "430181100203", "x");
	c.role = (tz_role)7;
	CHECK(tz_keyring_add(db, &c, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	c = make_ent(TZ_ROLE_VILLAGE, "430181100203", "x");
	memset(c.pk, 0, 32);
	CHECK(tz_keyring_add(db, &c, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	/* nothing of that was stored */
	kr = (tz_keyring){0};
	CHECK(tz_keyring_list(db, collect, &kr, &err) == TZ_OK);
	CHECK_INT(kr.n, 2);
	tz_keyring_free(&kr);
	/* persisted */
	tz_db_close(db);
	db = make_db("town2.db", TZ_ROLE_TOWNSHIP, "430181100000", "镇");
	CHECK(tz_keyring_find(db, b.key_id, &f, &err) == TZ_OK);
	CHECK_STR(f.name, "乙村");
	tz_db_close(db);
}

TEST(revoke_semantics)
{
	tz_err err = {0};
	tz_db *db = make_db("town2.db", TZ_ROLE_TOWNSHIP, "430181100000", "镇");
	tz_keyent a = make_ent(TZ_ROLE_VILLAGE, "430181100201", "丁村");
	tz_keyent b = make_ent(TZ_ROLE_VILLAGE, "430181100202", "戊村");
	CHECK(tz_keyring_add(db, &a, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_add(db, &b, tz_test_sk(db, "pw"), &err) == TZ_OK);
	char fp[40], up[40], kid[17];
	tz_key_fingerprint(a.pk, fp);
	/* as printed, upper case, spaces anywhere */
	for (int i = 0; fp[i]; i++)
		up[i] = (char)(fp[i] >= 'a' && fp[i] <= 'f' ? fp[i] - 32 : fp[i]);
	up[39] = '\0';
	CHECK(tz_keyring_revoke(db, up, 100, tz_test_sk(db, "pw"), &err) == TZ_OK);
	tz_keyent f;
	CHECK(tz_keyring_find(db, a.key_id, &f, &err) == TZ_OK);
	CHECK_INT(f.revoked_after, 100);
	/* tightening is fine, loosening is refused, the same again is fine */
	CHECK(tz_keyring_revoke(db, fp, 50, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_revoke(db, fp, 50, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_revoke(db, fp, 80, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	CHECK(strstr(err.msg, "after seq 50") != NULL);
	CHECK(tz_keyring_find(db, a.key_id, &f, &err) == TZ_OK);
	CHECK_INT(f.revoked_after, 50);
	/* after_seq < 0: everything, stored as 0 */
	CHECK(tz_keyring_revoke(db, fp, -1, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_find(db, a.key_id, &f, &err) == TZ_OK);
	CHECK_INT(f.revoked_after, 0);
	/* by key id, lower case; the other key is untouched */
	tz_pubkey_id_hex(b.key_id, kid);
	for (int i = 0; kid[i]; i++)
		kid[i] = (char)(kid[i] >= 'A' && kid[i] <= 'F' ? kid[i] + 32 : kid[i]);
	CHECK(tz_keyring_find(db, b.key_id, &f, &err) == TZ_OK);
	CHECK_INT(f.revoked_after, -1);
	CHECK(tz_keyring_revoke(db, kid, 7, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_find(db, b.key_id, &f, &err) == TZ_OK);
	CHECK_INT(f.revoked_after, 7);
	/* re-enrolling does not lift a revocation */
	CHECK(tz_keyring_add(db, &b, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_find(db, b.key_id, &f, &err) == TZ_OK);
	CHECK_INT(f.revoked_after, 7);
	/* unknown, malformed, own */
	CHECK(tz_keyring_revoke(db, "0123 4567 89ab cdef 0123 4567 89ab cdef", 1, tz_test_sk(db, "pw"), &err) ==
	      TZ_ENOTFOUND);
	CHECK(tz_keyring_revoke(db, "0123456789ABCDEF", 1, tz_test_sk(db, "pw"), &err) == TZ_ENOTFOUND);
	CHECK(tz_keyring_revoke(db, "xyz", 1, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	CHECK(tz_keyring_revoke(db, "0123456789abcdef0", 1, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	CHECK(tz_keyring_revoke(db, "", 1, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	CHECK(tz_keyring_revoke(db, "0123456789abcdef0123456789abcdef00", 1, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	uint8_t pk[32], id[8];
	CHECK(tz_key_public(db, pk, id, &err) == TZ_OK);
	tz_key_fingerprint(pk, fp);
	CHECK(tz_keyring_revoke(db, fp, 1, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	CHECK(strstr(err.msg, "own key") != NULL);
	tz_pubkey_id_hex(id, kid);
	CHECK(tz_keyring_revoke(db, kid, 1, tz_test_sk(db, "pw"), &err) == TZ_EINVAL);
	tz_db_close(db);
}

TEST(keyring_file_round_trip)
{
	tz_err err = {0};
	setenv("TAIZHANG_NOW", "2026-06-15", 1);
	tz_db *db = make_db("town3.db", TZ_ROLE_TOWNSHIP, "430181100000", "Town hall");
	tz_keyent a = make_ent(TZ_ROLE_VILLAGE, "430181100201", "A\\B C 甲");
	tz_keyent b = make_ent(TZ_ROLE_COUNTY, "430181000000", "");
	CHECK(tz_keyring_add(db, &a, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_add(db, &b, tz_test_sk(db, "pw"), &err) == TZ_OK);
	char fp[40];
	tz_key_fingerprint(b.pk, fp);
	CHECK(tz_keyring_revoke(db, fp, 42, tz_test_sk(db, "pw"), &err) == TZ_OK);
	const char *p = path_of("ring.txt");
	CHECK(tz_keyring_export(db, p, &err) == TZ_OK);
	char *text = strdup(slurp(p));
	CHECK(!strncmp(text, "# taizhang keyring v1\n", 22));
	CHECK(strstr(text, " name=A\\\\B\\sC\\s甲\n") != NULL);
	CHECK(strstr(text, " role=county region=430181000000 added=2026-06-15 revoked_after=42 name=\n") != NULL);
	CHECK(strstr(text, " role=township region=430181100000 added=- revoked_after=- enc=") != NULL);
	CHECK(strstr(text, " name=Town\\shall\n") != NULL);
	/* three lines, sorted by key id */
	int lines = 0;
	char prev[17] = "";
	for (char *l = strchr(text, '\n'); l && l[1]; l = strchr(l + 1, '\n')) {
		lines++;
		CHECK(strncmp(prev, l + 1, 16) < 0);
		memcpy(prev, l + 1, 16);
		prev[16] = '\0';
	}
	CHECK_INT(lines, 3);
	tz_keyring kr, want;
	CHECK(tz_keyring_load(p, &kr, &err) == TZ_OK);
	CHECK(tz_keyring_from_db(db, &want, &err) == TZ_OK);
	CHECK_INT(kr.n, 3);
	CHECK_INT(want.n, 3);
	for (size_t i = 0; i < kr.n && i < want.n; i++) {
		const tz_keyent *x = &kr.v[i], *y = &want.v[i];
		CHECK(!memcmp(x->key_id, y->key_id, 8));
		CHECK(!memcmp(x->pk, y->pk, 32));
		CHECK(!memcmp(x->origin, y->origin, 16));
		CHECK_INT(x->role, y->role);
		CHECK_STR(x->region, y->region);
		CHECK_STR(x->name, y->name);
		CHECK_INT(x->added_ms, y->added_ms);
		CHECK_INT(x->revoked_after, y->revoked_after);
	}
	/* the same text parsed from memory */
	tz_keyring mem;
	CHECK(tz_keyring_parse(text, strlen(text), "-", &mem, &err) == TZ_OK);
	CHECK_INT(mem.n, kr.n);
	for (size_t i = 0; i < mem.n && i < kr.n; i++) {
		CHECK(!memcmp(mem.v[i].key_id, kr.v[i].key_id, 8));
		CHECK_STR(mem.v[i].name, kr.v[i].name);
		CHECK_INT(mem.v[i].revoked_after, kr.v[i].revoked_after);
	}
	tz_keyring_free(&mem);
	const tz_keyent *got = tz_keyring_lookup(&kr, a.key_id);
	CHECK(got && !strcmp(got->name, "A\\B C 甲"));
	got = tz_keyring_lookup(&kr, b.key_id);
	CHECK(got && got->revoked_after == 42 && got->role == TZ_ROLE_COUNTY);
	uint8_t pk[32], id[8];
	CHECK(tz_key_public(db, pk, id, &err) == TZ_OK);
	got = tz_keyring_lookup(&kr, id);
	CHECK(got && !memcmp(got->pk, pk, 32) && got->added_ms == 0);
	uint8_t nope[8] = {0};
	CHECK(tz_keyring_lookup(&kr, nope) == NULL);
	/* exporting again gives the same bytes */
	CHECK(tz_keyring_export(db, path_of("ring2.txt"), &err) == TZ_OK);
	CHECK_STR(slurp(path_of("ring2.txt")), text);
	tz_keyring_free(&kr);
	tz_keyring_free(&want);
	tz_keyring_free(&kr); /* twice is harmless */
	free(text);
	tz_db_close(db);
}

TEST(keyring_file_forward_compatible)
{
	tz_err err = {0};
	tz_keyent a = make_ent(TZ_ROLE_VILLAGE, "430181100201", "");
	char kid[17], b64[57], org[33], t[2048];
	tz_pubkey_id_hex(a.key_id, kid);
	b64_of((const uint8_t *)"Ed", a.key_id, a.pk, b64);
	tz_hex_encode(a.origin, 16, org);
	snprintf(t, sizeof t,
		 "\xef\xbb\xbf# taizhang keyring v1\r\n"
		 "\r\n# a comment\n   \n"
		 "%s  %s\tregion=430181100201 future=x=y origin=%s   role=village colour=red\r\n"
		 "# end\n",
		 kid, b64, org);
	tz_keyring kr;
	CHECK(tz_keyring_load(puts_("fwd.txt", t), &kr, &err) == TZ_OK);
	CHECK_INT(kr.n, 1);
	if (kr.n == 1) {
		CHECK(!memcmp(kr.v[0].pk, a.pk, 32));
		CHECK(!memcmp(kr.v[0].origin, a.origin, 16));
		CHECK_STR(kr.v[0].name, "");
		CHECK_INT(kr.v[0].added_ms, 0);
		CHECK_INT(kr.v[0].revoked_after, -1);
	}
	tz_keyring_free(&kr);
	/* lower-case key id, empty keyring */
	for (int i = 0; kid[i]; i++)
		kid[i] = (char)(kid[i] >= 'A' && kid[i] <= 'F' ? kid[i] + 32 : kid[i]);
	snprintf(t, sizeof t, "# taizhang keyring v1\n%s %s origin=%s role=county region=430181000000",
		 kid, b64, org);
	CHECK(tz_keyring_load(puts_("lower.txt", t), &kr, &err) == TZ_OK);
	CHECK_INT(kr.n, 1);
	tz_keyring_free(&kr);
	CHECK(tz_keyring_load(puts_("empty.txt", "# taizhang keyring v1\n"), &kr, &err) == TZ_OK);
	CHECK_INT(kr.n, 0);
	CHECK(tz_keyring_load(path_of("nofile.txt"), &kr, &err) == TZ_EIO);
}

TEST(keyring_file_hostile)
{
	tz_keyent a = make_ent(TZ_ROLE_VILLAGE, "430181100201", "");
	tz_keyent b = make_ent(TZ_ROLE_VILLAGE, "430181100202", "");
	char kid[17], kidb[17], b64[57], b64b[57], b64ed[57], org[33], ok[512], t[8192];
	tz_pubkey_id_hex(a.key_id, kid);
	tz_pubkey_id_hex(b.key_id, kidb);
	b64_of((const uint8_t *)"Ed", a.key_id, a.pk, b64);
	b64_of((const uint8_t *)"Ed", b.key_id, b.pk, b64b);
	tz_hex_encode(a.origin, 16, org);
	const char *H = "# taizhang keyring v1\n";
	snprintf(ok, sizeof ok, "%s %s origin=%s role=village region=430181100201", kid, b64, org);
#define RING(name, msg, ...)                                     \
	do {                                                     \
		snprintf(t, sizeof t, __VA_ARGS__);              \
		expect_refused(name, t, strlen(t), msg, 1);      \
	} while (0)
	RING("k_empty.txt", "not a taizhang keyring", "%s", "");
	RING("k_nohdr.txt", "line 1: not a taizhang keyring", "%s\n", ok);
	RING("k_v2.txt", "line 1: keyring format 'v2' is not supported", "# taizhang keyring v2\n%s\n", ok);
	RING("k_ok_then_bad.txt", "line 3: does not start with a 16-digit key id", "%s%s\nxyz\n", H, ok);
	RING("k_shortid.txt", "line 2: does not start", "%s%.15sX %s\n", H, kid, ok + 17);
	RING("k_longid.txt", "line 2: does not start", "%s0%s %s\n", H, kid, ok + 17);
	RING("k_nokey.txt", "line 2: the key is missing", "%s%s\n", H, kid);
	RING("k_trunc.txt", "line 2: the key is 55 base64", "%s%s %.55s origin=%s role=village region=430181100201\n", H, kid, b64, org);
	RING("k_b64.txt", "not valid base64", "%s%s %.55s* origin=%s role=village region=430181100201\n", H, kid, b64, org);
	b64_of((const uint8_t *)"ED", a.key_id, a.pk, b64ed);
	RING("k_alg.txt", "algorithm 'ED'", "%s%s %s origin=%s role=village region=430181100201\n", H, kid, b64ed, org);
	RING("k_idmismatch.txt", "names key id", "%s%s %s origin=%s role=village region=430181100201\n", H, kidb, b64, org);
	RING("k_dup.txt", "line 4: key id", "%s%s\n%s %s origin=%s role=village region=430181100202\n%s\n", H, ok, kidb, b64b, org, ok);
	RING("k_noorigin.txt", "required", "%s%s %s role=village region=430181100201\n", H, kid, b64);
	RING("k_badorigin.txt", "origin is not 32 hex", "%s%s %s origin=%.31sg role=village region=430181100201\n", H, kid, b64, org);
	RING("k_zeroorigin.txt", "origin", "%s%s %s origin=00000000000000000000000000000000 role=village region=430181100201\n", H, kid, b64);
	RING("k_badrole.txt", "role is not", "%s%s %s origin=%s role=mayor region=430181100201\n", H, kid, b64, org);
	RING("k_tworoles.txt", "role given twice", "%s%s role=county\n", H, ok);
	RING("k_badregion.txt", "region is not", "%s%s %s origin=%s role=village region=43018110020\n", H, kid, b64, org);
	RING("k_badregion2.txt", "region is not", "%s%s %s origin=%s role=village region= 430181100201\n", H, kid, b64, org);
	RING("k_baddate.txt", "added is not", "%s%s added=2026-02-30\n", H, ok);
	RING("k_baddate2.txt", "added is not", "%s%s added=2026-6-1\n", H, ok);
	RING("k_badseq.txt", "revoked_after", "%s%s revoked_after=-5\n", H, ok);
	RING("k_badseq2.txt", "revoked_after", "%s%s revoked_after=99999999999999999999\n", H, ok);
	RING("k_badseq3.txt", "revoked_after", "%s%s revoked_after=\n", H, ok);
	RING("k_bare.txt", "expected key=value", "%s%s bare\n", H, ok);
	RING("k_noname.txt", "expected key=value", "%s%s =x\n", H, ok);
	RING("k_esc.txt", "bad escape", "%s%s name=a\\qb\n", H, ok);
	RING("k_esc2.txt", "bad escape", "%s%s name=ab\\\n", H, ok);
	RING("k_esctab.txt", "control characters", "%s%s name=a\\tb\n", H, ok);
	RING("k_ctrl.txt", "control characters", "%s%s name=a\x1b[31mb\n", H, ok);
	RING("k_utf8.txt", "UTF-8", "%s%s name=\xe4\xb8\n", H, ok);
	/* overlong line */
	int n = snprintf(t, sizeof t, "%s%s name=", H, ok);
	memset(t + n, 'x', 5000);
	t[n + 5000] = '\0';
	expect_refused("k_long.txt", t, strlen(t), "line 2: line too long", 1);
	/* NUL bytes */
	n = snprintf(t, sizeof t, "%s%s\n%s\n", H, ok, ok);
	t[strlen(H) + strlen(ok) + 5] = '\0';
	expect_refused("k_nul.txt", t, (size_t)n, "line 3: contains a NUL", 1);
	/* too large */
	size_t big = (4u << 20) + 10;
	char *buf = malloc(big);
	memset(buf, '#', big);
	memcpy(buf, H, strlen(H));
	expect_refused("k_big.txt", buf, big, "too large", 1);
	/* exactly at the limit: read whole (the buffer is sized from the file),
	 * comment lines of 4000 bytes after the header, ending in a newline */
	size_t lim = 4u << 20, hl = strlen(H);
	memset(buf + hl, '#', lim - hl);
	for (size_t i = hl + 4000; i < lim; i += 4001)
		buf[i] = '\n';
	buf[lim - 1] = '\n';
	{
		tz_err err = {0};
		tz_keyring kr = {0};
		CHECK(tz_keyring_load(put("k_max.txt", buf, lim), &kr, &err) == TZ_OK);
		CHECK(kr.n == 0);
		tz_keyring_free(&kr);
	}
	expect_refused("k_max1.txt", buf, lim + 1, "too large", 1);
	free(buf);
#undef RING
}

/* Rows are signed by this device: a key put in with SQL, or a row edited
 * there, stops every read of the keyring until it is revoked; the rows of a
 * database from before signing are taken until the key is next unlocked,
 * which signs them, and never again after. */
TEST(keyring_rows_signed)
{
	tz_db *db = make_db("signed", TZ_ROLE_TOWNSHIP, "430181100000", "镇");
	tz_keyent a = make_ent(TZ_ROLE_VILLAGE, "430181100201", "甲村"),
		  b = make_ent(TZ_ROLE_VILLAGE, "430181100202", "乙村"), got;
	tz_err err = {0};
	sqlite3 *sql = tz_db_sql(db);
	CHECK(tz_keyring_add(db, &a, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_find(db, a.key_id, &got, &err) == TZ_OK);
	/* an outsider's key inserted with sqlite3 */
	sqlite3_stmt *ins;
	CHECK(sqlite3_prepare_v2(sql, "INSERT INTO keyring(key_id, pk, origin, role, region, name, added)"
				 " VALUES(?1, ?2, ?3, 'village', '430181100202', 'x', 0)", -1, &ins, NULL) == SQLITE_OK);
	sqlite3_bind_blob(ins, 1, b.key_id, 8, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 2, b.pk, 32, SQLITE_STATIC);
	sqlite3_bind_blob(ins, 3, b.origin, 16, SQLITE_STATIC);
	CHECK(sqlite3_step(ins) == SQLITE_DONE);
	sqlite3_finalize(ins);
	CHECK(tz_keyring_find(db, b.key_id, &got, &err) == TZ_EDB);
	CHECK(strstr(err.msg, "changed outside taizhang") != NULL);
	CHECK(tz_keyring_find(db, a.key_id, &got, &err) == TZ_EDB); /* the whole keyring */
	tz_keyring kr = {0};
	CHECK(tz_keyring_from_db(db, &kr, &err) == TZ_EDB);
	CHECK(kr.n == 0);
	/* revoking it puts it out of harm's way, signed */
	char kid[17];
	tz_pubkey_id_hex(b.key_id, kid);
	CHECK(tz_keyring_revoke(db, kid, -1, tz_test_sk(db, "pw"), &err) == TZ_OK);
	CHECK(tz_keyring_find(db, a.key_id, &got, &err) == TZ_OK);
	CHECK(tz_keyring_find(db, b.key_id, &got, &err) == TZ_OK);
	CHECK(got.revoked_after == 0);
	/* a signed row's region, role or revocation edited there */
	const char *edits[] = {"UPDATE keyring SET region='430181100299' WHERE name='甲村'",
			       "UPDATE keyring SET role='county' WHERE name='甲村'",
			       "UPDATE keyring SET revoked_after=NULL WHERE name='x'",
			       "UPDATE keyring SET sig=NULL WHERE name='甲村'"};
	for (size_t i = 0; i < sizeof edits / sizeof *edits; i++) {
		CHECK(sqlite3_exec(sql, "SAVEPOINT e", NULL, NULL, NULL) == SQLITE_OK);
		CHECK(sqlite3_exec(sql, edits[i], NULL, NULL, NULL) == SQLITE_OK);
		CHECK(tz_keyring_find(db, a.key_id, &got, &err) == TZ_EDB);
		CHECK(sqlite3_exec(sql, "ROLLBACK TO e; RELEASE e", NULL, NULL, NULL) == SQLITE_OK);
		CHECK(tz_keyring_find(db, a.key_id, &got, &err) == TZ_OK);
	}
	/* a database from before signing: its rows are taken, then signed at
	 * the next unlock; and the flag set again does not reopen that */
	CHECK(sqlite3_exec(sql, "UPDATE keyring SET sig=NULL; INSERT INTO meta(k, v) VALUES('keyring_adopt', '1')",
			   NULL, NULL, NULL) == SQLITE_OK);
	CHECK(tz_keyring_find(db, a.key_id, &got, &err) == TZ_OK);
	uint8_t *sk = sodium_malloc(TZ_SK_BYTES);
	CHECK(tz_key_unlock(db, "pw", sk, &err) == TZ_OK);
	sodium_free(sk);
	CHECK(sqlite3_exec(sql, "SELECT 1", NULL, NULL, NULL) == SQLITE_OK);
	sqlite3_stmt *q;
	CHECK(sqlite3_prepare_v2(sql, "SELECT count(*) FROM keyring WHERE length(sig) = 64", -1, &q, NULL) ==
	      SQLITE_OK);
	CHECK(sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0) == 2);
	sqlite3_finalize(q);
	CHECK(sqlite3_exec(sql, "INSERT INTO meta(k, v) VALUES('keyring_adopt', '1');"
			   "UPDATE keyring SET sig=NULL WHERE name='x'", NULL, NULL, NULL) == SQLITE_OK);
	CHECK(tz_keyring_find(db, a.key_id, &got, &err) == TZ_EDB);
	tz_db_close(db);
}

int main(void)
{
	if (sodium_init() < 0)
		return 2;
	setenv("TAIZHANG_NOW", "2026-06-15", 1);
	tz_lang_set(TZ_LANG_EN);
	RUN(keyid_hex_is_minisign_form);
	RUN(pubkey_round_trip);
	RUN(pubkey_from_stock_minisign);
	RUN(pubkey_hostile);
	RUN(keyring_add_find_list);
	RUN(revoke_semantics);
	RUN(keyring_rows_signed);
	RUN(keyring_file_round_trip);
	RUN(keyring_file_forward_compatible);
	RUN(keyring_file_hostile);
	return tz_test_done();
}
