/* test_bundle.c - bundles as hostile input: round trip, every single-byte
 * flip, every truncation, bombs and lying headers, unknown and revoked
 * keys, replays, forks and gaps; encryption: recipients, non-recipients,
 * stripped and re-signed bundles, unencrypted bundles only where allowed.
 * The database is unchanged after every refusal.  Hand-made bundles are
 * built here from docs/bundle-format.md, independently of sync/bundle.c. */
#include <sodium.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/internal.h"
#include "sync/bundle_int.h"
#include "taizhang/bundle.h"
#include "taizhang/dump.h"
#include "taizhang/keyring.h"
#include "taizhang/key.h"
#include "taizhang/record.h"
#include "taizhang/settings.h"
#include "taizhang/db.h"
#include "tz_test.h"
#include "tz_test_keys.h"

static const char *PASS = "pass phrase";

static tz_db *mkdb(tz_role role, const char *region)
{
	return tz_test_mkdb("b", role, region, PASS);
}

static char *dump_of(tz_db *db)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tz_err err = {0};
	tz_dump(db, f, &err);
	fclose(f);
	return buf;
}

static void enrol(tz_db *at, tz_db *who, tz_role role, const char *region)
{
	tz_test_enrol(at, who, role, region, PASS);
}

static char paths[16][4200];
static int npaths;
static int got_path(void *ctx, const char *p)
{
	(void)ctx;
	if (npaths < 16)
		snprintf(paths[npaths++], sizeof paths[0], "%s", p);
	return 0;
}

static int export_to(tz_db *db, const char *dir, size_t max)
{
	tz_err err = {0};
	uint8_t *sk = sodium_malloc(64);
	int n = 0;
	mkdir(dir, 0700);
	npaths = 0;
	if (tz_key_unlock(db, PASS, sk, &err) ||
	    tz_bundle_export(db, sk, dir, max, got_path, NULL, &n, &err))
		printf("export: %s\n", err.msg);
	sodium_free(sk);
	return n;
}

/* Each database's encryption secret key, unlocked once (Argon2id is slow
 * on purpose). */
static struct {
	uint8_t origin[16];
	uint8_t esk[32];
} esks[32];
static int nesks;

static const uint8_t *esk_of(tz_db *db)
{
	for (int i = 0; i < nesks; i++)
		if (!memcmp(esks[i].origin, tz_db_origin(db), 16))
			return esks[i].esk;
	tz_err err = {0};
	if (nesks == 32 || tz_key_unlock_enc(db, PASS, esks[nesks].esk, &err)) {
		printf("unlock: %s\n", err.msg);
		exit(2);
	}
	memcpy(esks[nesks].origin, tz_db_origin(db), 16);
	return esks[nesks++].esk;
}

static tz_import_outcome import(tz_db *db, const char *path, tz_import_result *res)
{
	tz_err err = {0};
	tz_import_result r;
	if (!res)
		res = &r;
	if (tz_bundle_import(db, path, esk_of(db), res, &err)) {
		printf("import error: %s\n", err.msg);
		return (tz_import_outcome)-1;
	}
	return res->outcome;
}

static void add_household(tz_db *db, const char *addr)
{
	tz_kv kv[] = {{"village", "430181100201"}, {"address", addr}};
	char id[33];
	tz_err err = {0};
	if (tz_record_add(db, "household", kv, 2, id, &err))
		printf("add: %s\n", err.msg);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	*len = (size_t)ftell(f);
	rewind(f);
	char *b = malloc(*len + 1);
	if (fread(b, 1, *len, f) != *len)
		*len = 0;
	fclose(f);
	return b;
}

static void spit(const char *path, const void *b, size_t len)
{
	FILE *f = fopen(path, "wb");
	fwrite(b, 1, len, f);
	fclose(f);
}

static char dir[512];

TEST(round_trip_and_replay)
{
	tz_db *v = mkdb(TZ_ROLE_VILLAGE, "430181100201"), *t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	enrol(t, v, TZ_ROLE_VILLAGE, "430181100201");
	enrol(v, t, TZ_ROLE_TOWNSHIP, "430181100000");
	add_household(v, "一组1号");
	add_household(v, "一组2号");
	snprintf(dir, sizeof dir, "%s/rt", tz_test_tmpdir());
	CHECK_INT(export_to(v, dir, 0), 1);
	CHECK_INT(export_to(v, dir, 0), 0); /* nothing new */
	tz_import_result res;
	CHECK_INT(import(t, paths[0], &res), TZ_IMPORT_APPLIED);
	CHECK_INT(res.applied, 2);
	CHECK_INT(res.gap, 0);
	CHECK_INT(import(t, paths[0], &res), TZ_IMPORT_PRESENT);
	char *dv = dump_of(v), *dt = dump_of(t);
	CHECK_STR(dt, dv);
	free(dv);
	free(dt);
	/* the village's own bundle coming back is harmless */
	CHECK_INT(import(v, paths[0], &res), TZ_IMPORT_PRESENT);
	tz_db_close(v);
	tz_db_close(t);
}

/* A bundle is applied from what its first reading verified when its ops
 * fit one batch; a larger one is read again and applied batch by batch.
 * Both give the same database (the limit set low to take the second path). */
TEST(batches_kept_or_read_again)
{
	tz_db *v = mkdb(TZ_ROLE_VILLAGE, "430181100201");
	tz_db *t1 = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	tz_db *t2 = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	enrol(t1, v, TZ_ROLE_VILLAGE, "430181100201");
	enrol(t2, v, TZ_ROLE_VILLAGE, "430181100201");
	for (tz_db **t = (tz_db *[]){t1, t2, NULL}; *t; t++)
		enrol(v, *t, TZ_ROLE_TOWNSHIP, "430181100000");
	char addr[32];
	for (int i = 0; i < 25; i++) {
		snprintf(addr, sizeof addr, "二组%d号", i + 1);
		add_household(v, addr);
	}
	snprintf(dir, sizeof dir, "%s/batches", tz_test_tmpdir());
	CHECK_INT(export_to(v, dir, 0), 1);
	tz_import_result res;
	CHECK_INT(import(t1, paths[0], &res), TZ_IMPORT_APPLIED);
	CHECK_INT(res.applied, 25);
	tz_bundle_batch_limit(4);
	CHECK_INT(import(t2, paths[0], &res), TZ_IMPORT_APPLIED);
	tz_bundle_batch_limit(0);
	CHECK_INT(res.applied, 25);
	CHECK_INT(import(t2, paths[0], &res), TZ_IMPORT_PRESENT);
	char *dv = dump_of(v), *d1 = dump_of(t1), *d2 = dump_of(t2);
	CHECK_STR(d1, dv);
	CHECK_STR(d2, dv);
	free(dv);
	free(d1);
	free(d2);
	tz_db_close(v);
	tz_db_close(t1);
	tz_db_close(t2);
}

TEST(every_flip_and_truncation_refused)
{
	tz_db *v = mkdb(TZ_ROLE_VILLAGE, "430181100201"), *t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	enrol(t, v, TZ_ROLE_VILLAGE, "430181100201");
	enrol(v, t, TZ_ROLE_TOWNSHIP, "430181100000");
	add_household(v, "二组3号");
	snprintf(dir, sizeof dir, "%s/flip", tz_test_tmpdir());
	CHECK_INT(export_to(v, dir, 0), 1);
	tz_bundle_info vi;
	tz_err verr = {0};
	CHECK(tz_bundle_peek(paths[0], &vi, &verr) == TZ_OK);
	CHECK_INT(vi.version, 2); /* encrypted: flips of the recipients and chunks too */
	size_t len = 0;
	char *orig = slurp(paths[0], &len), *before = dump_of(t);
	char bad[4300];
	snprintf(bad, sizeof bad, "%s/bad.tzb", dir);
	int accepted = 0;
	for (size_t i = 0; i < len; i++) {
		orig[i] ^= 0x01;
		spit(bad, orig, len);
		orig[i] ^= 0x01;
		if (import(t, bad, NULL) != TZ_IMPORT_REFUSED) {
			printf("flip at %zu accepted\n", i);
			accepted++;
		}
	}
	CHECK_INT(accepted, 0);
	for (size_t l = 0; l < len; l++) {
		spit(bad, orig, l);
		if (import(t, bad, NULL) != TZ_IMPORT_REFUSED) {
			printf("truncation to %zu accepted\n", l);
			accepted++;
		}
	}
	CHECK_INT(accepted, 0);
	/* trailing garbage */
	char *more = malloc(len + 1);
	memcpy(more, orig, len);
	more[len] = '\n';
	spit(bad, more, len + 1);
	CHECK_INT(import(t, bad, NULL), TZ_IMPORT_REFUSED);
	free(more);
	char *after = dump_of(t);
	CHECK_STR(after, before);
	CHECK_INT(import(t, paths[0], NULL), TZ_IMPORT_APPLIED);
	free(orig);
	free(before);
	free(after);
	tz_db_close(v);
	tz_db_close(t);
}

/* ---- hand-made bundles, per docs/bundle-format.md ---- */

static void le(uint8_t *p, uint64_t v, int n)
{
	for (int i = 0; i < n; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* Sign body[0..blen) as a bundle of origin, first..last (version v) and
 * write it with its trailer. */
static void sign_write(const char *path, const uint8_t *body, size_t blen, int v,
		       const uint8_t origin[16], const uint8_t kid[8], const uint8_t *sk,
		       uint64_t first, uint64_t last)
{
	uint8_t h64[64], h32[32], blk[74], global[64], sigtc[64 + 200];
	crypto_generichash(h64, 64, body, blen, NULL, 0);
	crypto_generichash(h32, 32, body, blen, NULL, 0);
	blk[0] = 'E';
	blk[1] = 'D';
	memcpy(blk + 2, kid, 8);
	crypto_sign_detached(blk + 10, NULL, h64, 64, sk);
	char o[33], hh[65], tc[200], b1[120], b2[100];
	tz_hex_encode(origin, 16, o);
	tz_hex_encode(h32, 32, hh);
	int tcl = snprintf(tc, sizeof tc, "taizhang-bundle v%d %s %020llu %020llu %s", v, o,
			   (unsigned long long)first, (unsigned long long)last, hh);
	memcpy(sigtc, blk + 10, 64);
	memcpy(sigtc + 64, tc, (size_t)tcl);
	crypto_sign_detached(global, NULL, sigtc, 64 + (size_t)tcl, sk);
	sodium_bin2base64(b1, sizeof b1, blk, 74, sodium_base64_VARIANT_ORIGINAL);
	sodium_bin2base64(b2, sizeof b2, global, 64, sodium_base64_VARIANT_ORIGINAL);
	FILE *f = fopen(path, "wb");
	fwrite(body, 1, blen, f);
	fprintf(f, "untrusted comment: taizhang bundle signature\n%s\ntrusted comment: %s\n%s\n", b1,
		tc, b2);
	fclose(f);
}

/* Recipients for hand-made bundles: none writes version 1; otherwise
 * version 2, encrypted to these X25519 keys. */
static uint8_t hm_epk[4][32];
static int hm_nrec;

static int id_cmp(const void *a, const void *b) { return memcmp(a, b, 32); }

/* Version 2 per the spec, with libsodium's own random crypto_box_seal and
 * crypto_secretstream_xchacha20poly1305_init_push (so the reader does not
 * depend on how taizhang's writer derives them). */
static size_t encrypt_v2(uint8_t **bodyp, const uint8_t *z, size_t zlen)
{
	size_t nch = (zlen + 65535) / 65536, plen = 24 + zlen + 17 * nch;
	size_t hl = 136 + 112 * (size_t)hm_nrec;
	uint8_t *body = calloc(1, hl + plen), key[32];
	memcpy(body, *bodyp, 136);
	le(body + 8, 2, 2);
	le(body + 10, 1, 2);
	le(body + 12, hl, 4);
	le(body + 112, plen, 8);
	le(body + 132, (uint64_t)hm_nrec, 2);
	crypto_secretstream_xchacha20poly1305_keygen(key);
	uint8_t ids[4][32 + 32];
	for (int i = 0; i < hm_nrec; i++) {
		crypto_generichash(ids[i], 32, hm_epk[i], 32, NULL, 0);
		memcpy(ids[i] + 32, hm_epk[i], 32);
	}
	qsort(ids, (size_t)hm_nrec, sizeof ids[0], id_cmp);
	for (int i = 0; i < hm_nrec; i++) {
		memcpy(body + 136 + 112 * i, ids[i], 32);
		crypto_box_seal(body + 136 + 112 * i + 32, key, 32, ids[i] + 32);
	}
	crypto_secretstream_xchacha20poly1305_state st;
	uint8_t *out = body + hl;
	crypto_secretstream_xchacha20poly1305_init_push(&st, out, key);
	out += 24;
	for (size_t off = 0; off < zlen; off += 65536) {
		size_t n = zlen - off < 65536 ? zlen - off : 65536;
		int last = off + n == zlen;
		crypto_secretstream_xchacha20poly1305_push(
			&st, out, NULL, z + off, n, last ? body : NULL, last ? hl : 0,
			last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
		out += n + 17;
	}
	free(*bodyp);
	*bodyp = body;
	return hl + plen;
}

/* Write a bundle from header fields and a raw (uncompressed) payload,
 * signed with sk.  declared_inflated 0 = the real length. */
static void handmade(const char *path, const uint8_t origin[16], const uint8_t kid[8],
		     const uint8_t *sk, uint64_t first, uint64_t last, uint64_t hmin, uint64_t hmax,
		     uint32_t count, const uint8_t *raw, size_t rawlen, uint64_t declared_inflated)
{
	uLongf clen = compressBound(rawlen);
	uint8_t *body = malloc(136 + clen);
	compress2(body + 136, &clen, raw, rawlen, 9);
	memset(body, 0, 136);
	memcpy(body, "TZBUNDLE", 8);
	le(body + 8, 1, 2);
	le(body + 12, 136, 4);
	memcpy(body + 16, origin, 16);
	memcpy(body + 32, kid, 8);
	le(body + 40, first, 8);
	le(body + 48, last, 8);
	le(body + 56, hmin, 8);
	le(body + 64, hmax, 8);
	le(body + 104, hmax >> 16, 8);
	le(body + 112, clen, 8);
	le(body + 120, declared_inflated ? declared_inflated : rawlen, 8);
	le(body + 128, count, 4);
	size_t blen = 136 + clen;
	if (hm_nrec) {
		uint8_t *z = malloc(clen);
		memcpy(z, body + 136, clen);
		blen = encrypt_v2(&body, z, clen);
		free(z);
	}
	sign_write(path, body, blen, hm_nrec ? 2 : 1, origin, kid, sk, first, last);
	free(body);
}

/* One op: household row `rb` whole, in the signer's village (what a
 * village may write: core/authority.c), with address text. */
static size_t op_bytes(uint8_t *out, uint64_t hlc_delta, uint8_t rb, const char *addr)
{
	size_t n = 0;
	out[n++] = (uint8_t)hlc_delta; /* < 128 */
	out[n++] = 0;                  /* table household */
	memset(out + n, rb, 16);
	n += 16;
	out[n++] = 1; /* flags: a whole row */
	size_t al = strlen(addr);
	out[n++] = (uint8_t)(15 + 3 + al); /* data length */
	out[n++] = 1;                      /* field village */
	out[n++] = 2;                      /* text */
	out[n++] = 12;
	memcpy(out + n, "430181100201", 12);
	n += 12;
	out[n++] = 2; /* field address */
	out[n++] = 2;                 /* text */
	out[n++] = (uint8_t)al;
	memcpy(out + n, addr, al);
	return n + al;
}

/* A township to import hand-made bundles: version 2 ones are encrypted to
 * it; version 1 ones are allowed there. */
static void hm_target(tz_db *t, int enc)
{
	tz_err err = {0};
	hm_nrec = 0;
	if (enc) {
		CHECK(tz_key_enc_public(t, hm_epk[0], NULL, &err) == TZ_OK);
		hm_nrec = 1;
	} else {
		CHECK(tz_settings_set(t, "sync.accept_plaintext", "1", &err) == TZ_OK);
	}
}

static void handmade_suite(int enc)
{
	tz_db *v = mkdb(TZ_ROLE_VILLAGE, "430181100201"), *t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	enrol(t, v, TZ_ROLE_VILLAGE, "430181100201");
	hm_target(t, enc);
	tz_err err = {0};
	uint8_t pk[32], kid[8], *sk = sodium_malloc(64);
	CHECK(tz_key_public(v, pk, kid, &err) == TZ_OK);
	CHECK(tz_key_unlock(v, PASS, sk, &err) == TZ_OK);
	const uint8_t *origin = tz_db_origin(v);
	uint8_t raw[256];
	size_t n = op_bytes(raw, 0, 0xab, "hand made");
	n += op_bytes(raw + n, 5, 0xac, "second");
	uint64_t h0 = (uint64_t)1767225600000ULL << 16; /* 2026-01-01 */
	char p[4300];
	snprintf(p, sizeof p, "%s/hand.tzb", tz_test_tmpdir());
	char *before = dump_of(t);

	/* a well-formed one is accepted: the spec and the code agree */
	handmade(p, origin, kid, sk, 1, 2, h0, h0 + 5, 2, raw, n, 0);
	tz_import_result res;
	CHECK_INT(import(t, p, &res), TZ_IMPORT_APPLIED);
	CHECK_INT(res.applied, 2);
	char *after = dump_of(t);
	CHECK(strstr(after, "hand made") != NULL);
	free(after);
	tz_db_close(t);
	t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	enrol(t, v, TZ_ROLE_VILLAGE, "430181100201");
	hm_target(t, enc);
	free(before);
	before = dump_of(t);

	/* header claims more inflated bytes than there are, or fewer (a bomb) */
	handmade(p, origin, kid, sk, 1, 2, h0, h0 + 5, 2, raw, n, n + 1);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	handmade(p, origin, kid, sk, 1, 2, h0, h0 + 5, 2, raw, n, n - 1);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	CHECK(strstr(res.reason, "declared") != NULL || strstr(res.reason, "声明") != NULL);
	/* a real bomb: 64 MiB of zeros declared as 1 KiB */
	size_t big = 64u << 20;
	uint8_t *zeros = calloc(1, big);
	handmade(p, origin, kid, sk, 1, 1, h0, h0, 1, zeros, big, 1024);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	free(zeros);
	/* huge counts */
	handmade(p, origin, kid, sk, 1, 4000000000ULL, h0, h0 + 5, 4000000000U, raw, n, 0);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	handmade(p, origin, kid, sk, 1, 3, h0, h0 + 5, 3, raw, n, 0); /* claims 3, holds 2 */
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	handmade(p, origin, kid, sk, 1, 1, h0, h0, 1, raw, n, 0); /* claims 1, holds 2 */
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	/* clock range that does not match the ops */
	handmade(p, origin, kid, sk, 1, 2, h0, h0 + 9, 2, raw, n, 0);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	/* signed by a key nobody enrolled */
	uint8_t pk2[32], sk2[64];
	crypto_sign_keypair(pk2, sk2);
	uint8_t kid2[8] = {1, 2, 3, 4, 5, 6, 7, 8};
	handmade(p, origin, kid2, sk2, 1, 2, h0, h0 + 5, 2, raw, n, 0);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	CHECK(strstr(res.reason, "unknown key") != NULL || strstr(res.reason, "未知密钥") != NULL);
	/* re-signed by an unenrolled key but claiming the enrolled key id */
	handmade(p, origin, kid, sk2, 1, 2, h0, h0 + 5, 2, raw, n, 0);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	after = dump_of(t);
	CHECK_STR(after, before);
	free(after);
	free(before);

	/* clock far ahead: quarantined, not applied */
	uint64_t future = (uint64_t)(tz_clock_ms() + 400LL * 86400000) << 16;
	handmade(p, origin, kid, sk, 1, 2, future, future + 5, 2, raw, n, 0);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_APPLIED);
	CHECK_INT(res.quarantined, 2);
	CHECK_INT(res.applied, 0);
	after = dump_of(t);
	CHECK(strstr(after, "hand made") == NULL);
	free(after);
	/* nothing to release while the clock is still behind */
	size_t released = 99;
	CHECK(tz_bundle_quarantine_release(t, &released, &err) == TZ_OK);
	CHECK_INT(released, 0);
	/* once this PC's date is right, the held-back changes go in */
	char when[32];
	snprintf(when, sizeof when, "%lld", (long long)(tz_clock_ms() + 401LL * 86400000));
	setenv("TAIZHANG_NOW", when, 1);
	CHECK(tz_bundle_quarantine_release(t, &released, &err) == TZ_OK);
	CHECK_INT(released, 2);
	after = dump_of(t);
	CHECK(strstr(after, "hand made") != NULL);
	free(after);
	CHECK(tz_bundle_quarantine_release(t, &released, &err) == TZ_OK);
	CHECK_INT(released, 0);
	unsetenv("TAIZHANG_NOW");
	sodium_free(sk);
	tz_db_close(v);
	tz_db_close(t);
	hm_nrec = 0;
}

TEST(handmade_bundles_follow_the_spec) { handmade_suite(0); }
TEST(handmade_encrypted_bundles_follow_the_spec) { handmade_suite(1); }

TEST(gaps_forks_revocation_roles)
{
	tz_db *v = mkdb(TZ_ROLE_VILLAGE, "430181100201"), *t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	tz_db *v2 = mkdb(TZ_ROLE_VILLAGE, "430181100202");
	enrol(t, v, TZ_ROLE_VILLAGE, "430181100201");
	enrol(v, t, TZ_ROLE_TOWNSHIP, "430181100000");
	snprintf(dir, sizeof dir, "%s/chain", tz_test_tmpdir());
	add_household(v, "a");
	CHECK_INT(export_to(v, dir, 0), 1);
	char b1[4200], b2[4200], b3[4200];
	snprintf(b1, sizeof b1, "%s", paths[0]);
	add_household(v, "b");
	CHECK_INT(export_to(v, dir, 0), 1);
	snprintf(b2, sizeof b2, "%s", paths[0]);
	add_household(v, "c");
	CHECK_INT(export_to(v, dir, 0), 1);
	snprintf(b3, sizeof b3, "%s", paths[0]);
	tz_import_result res;
	/* the second bundle is missing: the third still applies, with a gap */
	CHECK_INT(import(t, b1, &res), TZ_IMPORT_APPLIED);
	CHECK_INT(import(t, b3, &res), TZ_IMPORT_APPLIED);
	CHECK_INT(res.gap, 1);
	CHECK_INT(import(t, b2, &res), TZ_IMPORT_APPLIED);
	CHECK_INT(res.gap, 0);
	char *dv = dump_of(v), *dt = dump_of(t);
	CHECK_STR(dt, dv);
	free(dv);
	free(dt);

	/* a fork: the same seq range signed twice with different content */
	tz_err err = {0};
	uint8_t pk[32], kid[8], *sk = sodium_malloc(64);
	CHECK(tz_key_public(v, pk, kid, &err) == TZ_OK);
	CHECK(tz_key_unlock(v, PASS, sk, &err) == TZ_OK);
	uint8_t raw[128];
	size_t n = op_bytes(raw, 0, 0xee, "equivocation");
	char p[4300];
	snprintf(p, sizeof p, "%s/fork.tzb", dir);
	hm_target(t, 1);
	handmade(p, tz_db_origin(v), kid, sk, 2, 2, (uint64_t)1767225600000ULL << 16,
		 (uint64_t)1767225600000ULL << 16, 1, raw, n, 0);
	hm_nrec = 0;
	char *before = dump_of(t);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	CHECK_INT(res.fork, 1);
	CHECK(strstr(res.reason, "FORK") != NULL || strstr(res.reason, "分叉") != NULL);
	char *after = dump_of(t);
	CHECK_STR(after, before);
	free(before);
	free(after);

	/* revoked after seq 3: a bundle with seq 4 is refused */
	add_household(v, "d");
	CHECK_INT(export_to(v, dir, 0), 1);
	char kidhex[17];
	tz_pubkey_id_hex(kid, kidhex);
	CHECK(tz_keyring_revoke(t, kidhex, 3, tz_test_sk(t, PASS), &err) == TZ_OK);
	CHECK_INT(import(t, paths[0], &res), TZ_IMPORT_REFUSED);
	CHECK(strstr(res.reason, "revoked") != NULL || strstr(res.reason, "吊销") != NULL);

	/* a village does not take another village's bundles */
	enrol(v2, v, TZ_ROLE_VILLAGE, "430181100201");
	CHECK_INT(import(v2, b1, &res), TZ_IMPORT_REFUSED);
	sodium_free(sk);
	tz_db_close(v);
	tz_db_close(v2);
	tz_db_close(t);
}

TEST(export_splits_and_chains)
{
	tz_db *v = mkdb(TZ_ROLE_VILLAGE, "430181100201"), *t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	enrol(t, v, TZ_ROLE_VILLAGE, "430181100201");
	enrol(v, t, TZ_ROLE_TOWNSHIP, "430181100000");
	tz_err err = {0};
	CHECK(tz_db_begin(v, &err) == TZ_OK);
	for (int i = 0; i < 3000; i++) {
		char addr[64];
		snprintf(addr, sizeof addr, "%d号 random %u", i, randombytes_random());
		add_household(v, addr);
	}
	CHECK(tz_db_commit(v, &err) == TZ_OK);
	snprintf(dir, sizeof dir, "%s/split", tz_test_tmpdir());
	int nb = export_to(v, dir, 16 << 10); /* 16 KiB bundles */
	CHECK(nb > 3);
	tz_bundle_info prev = {0};
	for (int i = 0; i < npaths && i < 16; i++) {
		tz_bundle_info info;
		CHECK(tz_bundle_peek(paths[i], &info, &err) == TZ_OK);
		if (i) {
			CHECK_INT(info.first_seq, prev.last_seq + 1);
		}
		prev = info;
	}
	/* import in reverse order: same state */
	for (int i = nb - 1; i >= 0 && i < 16; i--)
		CHECK_INT(import(t, paths[i], NULL), TZ_IMPORT_APPLIED);
	char *dv = dump_of(v), *dt = dump_of(t);
	CHECK_STR(dt, dv);
	free(dv);
	free(dt);
	tz_db_close(v);
	tz_db_close(t);
}

TEST(plaintext_only_where_allowed)
{
	tz_db *v = mkdb(TZ_ROLE_VILLAGE, "430181100201"), *t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	enrol(t, v, TZ_ROLE_VILLAGE, "430181100201");
	tz_err err = {0};
	add_household(v, "明文");
	snprintf(dir, sizeof dir, "%s/plain", tz_test_tmpdir());
	/* nobody but the village could read it: refused, nothing written */
	uint8_t *sk = sodium_malloc(64);
	int n = -1;
	mkdir(dir, 0700);
	CHECK(tz_key_unlock(v, PASS, sk, &err) == TZ_OK);
	CHECK(tz_bundle_export(v, sk, dir, 0, NULL, NULL, &n, &err) == TZ_EREFUSED);
	CHECK(strstr(err.msg, "keyring add") != NULL);
	CHECK_INT(n, 0);
	CHECK_INT(tz_bundle_exported(v), 0);
	sodium_free(sk);
	/* encryption off: a version 1 bundle */
	CHECK(tz_settings_set(v, "sync.encrypt", "0", &err) == TZ_OK);
	CHECK_INT(export_to(v, dir, 0), 1);
	tz_bundle_info info;
	CHECK(tz_bundle_peek(paths[0], &info, &err) == TZ_OK);
	CHECK_INT(info.version, 1);
	CHECK_INT(info.nrecipients, 0);
	char *before = dump_of(t);
	tz_import_result res;
	CHECK_INT(import(t, paths[0], &res), TZ_IMPORT_REFUSED);
	CHECK(strstr(res.reason, "not encrypted") != NULL);
	char *after = dump_of(t);
	CHECK_STR(after, before);
	free(after);
	free(before);
	CHECK(tz_settings_set(t, "sync.accept_plaintext", "1", &err) == TZ_OK);
	CHECK_INT(import(t, paths[0], &res), TZ_IMPORT_APPLIED);
	CHECK_INT(res.applied, 1);
	/* and back on: the next bundle is encrypted, and chains on */
	CHECK(tz_settings_set(v, "sync.encrypt", NULL, &err) == TZ_OK);
	enrol(v, t, TZ_ROLE_TOWNSHIP, "430181100000");
	add_household(v, "密文");
	CHECK_INT(export_to(v, dir, 0), 1);
	CHECK(tz_bundle_peek(paths[0], &info, &err) == TZ_OK);
	CHECK_INT(info.version, 2);
	CHECK_INT(info.nrecipients, 2);
	CHECK(tz_settings_set(t, "sync.accept_plaintext", "0", &err) == TZ_OK);
	CHECK_INT(import(t, paths[0], &res), TZ_IMPORT_APPLIED);
	CHECK_INT(res.gap, 0);
	char *dv = dump_of(v), *dt = dump_of(t);
	CHECK_STR(dt, dv);
	free(dv);
	free(dt);
	/* without the key, an encrypted bundle is refused, not misread */
	CHECK(tz_bundle_import(t, paths[0], NULL, &res, &err) == TZ_OK);
	CHECK_INT(res.outcome, TZ_IMPORT_REFUSED);
	CHECK(strstr(res.reason, "passphrase") != NULL);
	tz_db_close(v);
	tz_db_close(t);
}

TEST(recipients_and_strangers)
{
	tz_db *v = mkdb(TZ_ROLE_VILLAGE, "430181100201"), *t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	tz_db *c = mkdb(TZ_ROLE_COUNTY, "430181000000"), *c2 = mkdb(TZ_ROLE_COUNTY, "430182000000");
	tz_db *t2 = mkdb(TZ_ROLE_TOWNSHIP, "430181100000"), *e = mkdb(TZ_ROLE_COUNTY, "430181000000");
	tz_db *t3 = mkdb(TZ_ROLE_TOWNSHIP, "430181200000"), *v2 = mkdb(TZ_ROLE_VILLAGE, "430181100202");
	tz_err err = {0};
	/* the village knows its township, its county, another county, a
	 * township elsewhere, a village, and an escrow key */
	enrol(v, t, TZ_ROLE_TOWNSHIP, "430181100000");
	enrol(v, c, TZ_ROLE_COUNTY, "430181000000");
	enrol(v, c2, TZ_ROLE_COUNTY, "430182000000");
	enrol(v, t3, TZ_ROLE_TOWNSHIP, "430181200000");
	enrol(v, v2, TZ_ROLE_VILLAGE, "430181100202");
	enrol(v, e, TZ_ROLE_ESCROW, "430181000000");
	tz_db *readers[] = {t, c, t2, c2, e, t3};
	for (int i = 0; i < 6; i++)
		enrol(readers[i], v, TZ_ROLE_VILLAGE, "430181100201");
	add_household(v, "收件人");
	snprintf(dir, sizeof dir, "%s/recip", tz_test_tmpdir());
	CHECK_INT(export_to(v, dir, 0), 1);
	tz_bundle_info info;
	CHECK(tz_bundle_peek(paths[0], &info, &err) == TZ_OK);
	CHECK_INT(info.version, 2);
	CHECK_INT(info.flags, 1);
	CHECK_INT(info.nrecipients, 4); /* itself, its township, its county, the escrow key */
	tz_import_result res;
	CHECK_INT(import(t, paths[0], &res), TZ_IMPORT_APPLIED);
	CHECK_INT(import(c, paths[0], &res), TZ_IMPORT_APPLIED);
	CHECK_INT(import(e, paths[0], &res), TZ_IMPORT_APPLIED);
	/* not among the recipients: clearly refused, nothing changed */
	tz_db *strangers[] = {t2, c2, t3};
	for (int i = 0; i < 3; i++) {
		char *before = dump_of(strangers[i]);
		CHECK_INT(import(strangers[i], paths[0], &res), TZ_IMPORT_REFUSED);
		CHECK(strstr(res.reason, "not among the bundle's 4 recipients") != NULL);
		char *after = dump_of(strangers[i]);
		CHECK_STR(after, before);
		free(before);
		free(after);
	}
	/* stripped and re-signed: another enrolled village puts its own
	 * origin and key id in the header and signs the bundle anew */
	enrol(t, v2, TZ_ROLE_VILLAGE, "430181100202");
	size_t len = 0;
	uint8_t *b = (uint8_t *)slurp(paths[0], &len), kid2[8], pk2[32];
	uint8_t *sk2 = sodium_malloc(64);
	CHECK(tz_key_public(v2, pk2, kid2, &err) == TZ_OK);
	CHECK(tz_key_unlock(v2, PASS, sk2, &err) == TZ_OK);
	memcpy(b + 16, tz_db_origin(v2), 16);
	memcpy(b + 32, kid2, 8);
	char p[4300];
	snprintf(p, sizeof p, "%s/resigned.tzb", tz_test_tmpdir());
	sign_write(p, b, len - 411, 2, tz_db_origin(v2), kid2, sk2, 1, 1);
	tz_db *t4 = mkdb(TZ_ROLE_TOWNSHIP, "430181100000");
	enrol(t4, v2, TZ_ROLE_VILLAGE, "430181100202");
	char *before = dump_of(t);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	CHECK(strstr(res.reason, "does not authenticate") != NULL);
	char *after = dump_of(t);
	CHECK_STR(after, before);
	free(before);
	free(after);
	/* the signature itself is good: an auditor sees a valid bundle of v2
	 * whose payload it cannot check; only a recipient finds the lie */
	CHECK(tz_bundle_verify(p, pk2, NULL, &info, NULL, NULL, &err) == TZ_OK);
	CHECK(tz_bundle_verify(p, pk2, esk_of(t), &info, NULL, NULL, &err) == TZ_EREFUSED);
	/* the same with the township's sealed file key replaced by one the
	 * attacker knows: the key opens, the payload does not */
	uint8_t tid[32], tepk[32], fake[32];
	CHECK(tz_key_enc_public(t, tepk, NULL, &err) == TZ_OK);
	tz_bundle_recipient_id(tepk, tid);
	crypto_secretstream_xchacha20poly1305_keygen(fake);
	int found = 0;
	for (int i = 0; i < 4; i++)
		if (!memcmp(b + 136 + 112 * i, tid, 32)) {
			crypto_box_seal(b + 136 + 112 * i + 32, fake, 32, tepk);
			found = 1;
		}
	CHECK(found);
	sign_write(p, b, len - 411, 2, tz_db_origin(v2), kid2, sk2, 1, 1);
	CHECK_INT(import(t, p, &res), TZ_IMPORT_REFUSED);
	CHECK(strstr(res.reason, "does not authenticate") != NULL);
	free(b);
	sodium_free(sk2);
	/* a revoked key gets nothing new */
	uint8_t cpk[32], ckid[8];
	char ckhex[17];
	CHECK(tz_key_public(c, cpk, ckid, &err) == TZ_OK);
	tz_pubkey_id_hex(ckid, ckhex);
	CHECK(tz_keyring_revoke(v, ckhex, 0, tz_test_sk(v, PASS), &err) == TZ_OK);
	add_household(v, "吊销之后");
	CHECK_INT(export_to(v, dir, 0), 1);
	CHECK(tz_bundle_peek(paths[0], &info, &err) == TZ_OK);
	CHECK_INT(info.nrecipients, 3);
	CHECK_INT(import(c, paths[0], &res), TZ_IMPORT_REFUSED);
	CHECK(strstr(res.reason, "not among") != NULL);
	CHECK_INT(import(t, paths[0], &res), TZ_IMPORT_APPLIED);
	tz_db_close(v);
	tz_db_close(v2);
	tz_db_close(t);
	tz_db_close(t2);
	tz_db_close(t3);
	tz_db_close(t4);
	tz_db_close(c);
	tz_db_close(c2);
	tz_db_close(e);
}

int main(void)
{
	tz_lang_set(TZ_LANG_EN);
	if (sodium_init() < 0)
		return 2;
	RUN(round_trip_and_replay);
	RUN(batches_kept_or_read_again);
	RUN(every_flip_and_truncation_refused);
	RUN(handmade_bundles_follow_the_spec);
	RUN(handmade_encrypted_bundles_follow_the_spec);
	RUN(plaintext_only_where_allowed);
	RUN(recipients_and_strangers);
	RUN(gaps_forks_revocation_roles);
	RUN(export_splits_and_chains);
	return tz_test_done();
}
