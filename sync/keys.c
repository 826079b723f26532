/* keys.c - this device's signing key, sealed under a passphrase. */
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>

#include "core/internal.h"
#include "taizhang/keys.h"

/* Stored seal: version(1) opslimit(8, LE) memlimit(8, LE) salt nonce box. */
#define SEAL_VERSION 1
#define SEAL_LEN (1 + 8 + 8 + crypto_pwhash_SALTBYTES + crypto_secretbox_NONCEBYTES + \
		  crypto_secretbox_MACBYTES + crypto_sign_SEEDBYTES)

/* Interactive limits: an old PC may have 512 MB of RAM. */
#define KDF_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define KDF_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static void put_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static uint64_t get_le64(const uint8_t *p)
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)p[i] << (8 * i);
	return v;
}

static void no_core_dumps(void)
{
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
}

static tz_status seal(const char *pass, const uint8_t *seed, uint8_t out[SEAL_LEN], tz_err *err)
{
	uint8_t *p = out;
	*p++ = SEAL_VERSION;
	put_le64(p, KDF_OPS);
	p += 8;
	put_le64(p, KDF_MEM);
	p += 8;
	uint8_t *salt = p, *nonce = p + crypto_pwhash_SALTBYTES;
	randombytes_buf(salt, crypto_pwhash_SALTBYTES);
	randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
	uint8_t *k = sodium_malloc(crypto_secretbox_KEYBYTES);
	if (!k)
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	if (crypto_pwhash(k, crypto_secretbox_KEYBYTES, pass, strlen(pass), salt, KDF_OPS, KDF_MEM,
			  crypto_pwhash_ALG_ARGON2ID13)) {
		sodium_free(k);
		return tz_fail(err, TZ_ENOMEM, "not enough memory to derive the key",
			       "内存不足，无法计算密钥");
	}
	crypto_secretbox_easy(nonce + crypto_secretbox_NONCEBYTES, seed, crypto_sign_SEEDBYTES,
			      nonce, k);
	sodium_free(k);
	return TZ_OK;
}

static tz_status unseal(const char *pass, const uint8_t in[SEAL_LEN], uint8_t *seed, tz_err *err)
{
	const uint8_t *p = in;
	if (*p++ != SEAL_VERSION)
		return tz_fail(err, TZ_EKEY, "the stored key has an unknown format",
			       "存储的密钥格式无法识别");
	uint64_t ops = get_le64(p), mem = get_le64(p + 8);
	p += 16;
	if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > 16 || mem < crypto_pwhash_MEMLIMIT_MIN ||
	    mem > (1ULL << 30))
		return tz_fail(err, TZ_EKEY, "the stored key is damaged", "存储的密钥已损坏");
	const uint8_t *salt = p, *nonce = p + crypto_pwhash_SALTBYTES;
	uint8_t *k = sodium_malloc(crypto_secretbox_KEYBYTES);
	if (!k)
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	if (crypto_pwhash(k, crypto_secretbox_KEYBYTES, pass, strlen(pass), salt, ops,
			  (size_t)mem, crypto_pwhash_ALG_ARGON2ID13)) {
		sodium_free(k);
		return tz_fail(err, TZ_ENOMEM, "not enough memory to derive the key",
			       "内存不足，无法计算密钥");
	}
	int bad = crypto_secretbox_open_easy(seed, nonce + crypto_secretbox_NONCEBYTES,
					     crypto_secretbox_MACBYTES + crypto_sign_SEEDBYTES,
					     nonce, k);
	sodium_free(k);
	if (bad)
		return tz_fail(err, TZ_EKEY, "wrong passphrase", "口令错误");
	return TZ_OK;
}

tz_status tz_key_create(tz_db *db, const char *passphrase, tz_err *err)
{
	uint8_t pk[TZ_PK_BYTES], keyid[TZ_KEYID_BYTES], sealed[SEAL_LEN];
	if (tz_meta_blob(db, "key_pk", pk, sizeof pk) == 0)
		return tz_fail(err, TZ_EINVAL, "this device already has a key", "本机已有密钥");
	no_core_dumps();
	uint8_t *seed = sodium_malloc(crypto_sign_SEEDBYTES);
	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	tz_status st = TZ_OK;
	if (!seed || !sk) {
		st = tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
		goto out;
	}
	randombytes_buf(seed, crypto_sign_SEEDBYTES);
	crypto_sign_seed_keypair(pk, sk, seed);
	randombytes_buf(keyid, sizeof keyid);
	if ((st = seal(passphrase, seed, sealed, err)))
		goto out;
	if ((st = tz_db_begin(db, err)))
		goto out;
	if ((st = tz_meta_put(db, "key_pk", pk, sizeof pk, 1, err)) ||
	    (st = tz_meta_put(db, "key_id", keyid, sizeof keyid, 1, err)) ||
	    (st = tz_meta_put(db, "key_seed", sealed, sizeof sealed, 1, err))) {
		tz_db_rollback(db);
		goto out;
	}
	st = tz_db_commit(db, err);
out:
	sodium_free(seed);
	sodium_free(sk);
	return st;
}

tz_status tz_key_public(tz_db *db, uint8_t pk[TZ_PK_BYTES], uint8_t keyid[TZ_KEYID_BYTES],
			tz_err *err)
{
	if (tz_meta_blob(db, "key_pk", pk, TZ_PK_BYTES) ||
	    tz_meta_blob(db, "key_id", keyid, TZ_KEYID_BYTES))
		return tz_fail(err, TZ_EKEY, "this device has no key (run 'taizhang init')",
			       "本机没有密钥（请运行 taizhang init）");
	return TZ_OK;
}

tz_status tz_key_unlock(tz_db *db, const char *passphrase, uint8_t *sk, tz_err *err)
{
	uint8_t sealed[SEAL_LEN], pk[TZ_PK_BYTES], pk2[TZ_PK_BYTES];
	if (tz_meta_blob(db, "key_seed", sealed, sizeof sealed) ||
	    tz_meta_blob(db, "key_pk", pk, sizeof pk))
		return tz_fail(err, TZ_EKEY, "this device has no key (run 'taizhang init')",
			       "本机没有密钥（请运行 taizhang init）");
	no_core_dumps();
	uint8_t *seed = sodium_malloc(crypto_sign_SEEDBYTES);
	if (!seed)
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	tz_status st = unseal(passphrase, sealed, seed, err);
	if (!st) {
		crypto_sign_seed_keypair(pk2, sk, seed);
		if (sodium_memcmp(pk, pk2, sizeof pk)) {
			sodium_memzero(sk, TZ_SK_BYTES);
			st = tz_fail(err, TZ_EKEY, "the stored key does not match its public key",
				     "存储的私钥与公钥不符");
		}
	}
	sodium_free(seed);
	return st;
}

tz_status tz_key_rekey(tz_db *db, const char *old_pass, const char *new_pass, tz_err *err)
{
	uint8_t sealed[SEAL_LEN], fresh[SEAL_LEN];
	if (tz_meta_blob(db, "key_seed", sealed, sizeof sealed))
		return tz_fail(err, TZ_EKEY, "this device has no key (run 'taizhang init')",
			       "本机没有密钥（请运行 taizhang init）");
	uint8_t *seed = sodium_malloc(crypto_sign_SEEDBYTES);
	if (!seed)
		return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
	tz_status st = unseal(old_pass, sealed, seed, err);
	if (!st)
		st = seal(new_pass, seed, fresh, err);
	sodium_free(seed);
	if (!st) {
		if ((st = tz_db_begin(db, err)))
			return st;
		if ((st = tz_meta_put(db, "key_seed", fresh, sizeof fresh, 1, err))) {
			tz_db_rollback(db);
			return st;
		}
		st = tz_db_commit(db, err);
	}
	return st;
}

void tz_key_fingerprint(const uint8_t pk[TZ_PK_BYTES], char out[40])
{
	uint8_t h[16];
	crypto_generichash(h, sizeof h, pk, TZ_PK_BYTES, NULL, 0);
	char *p = out;
	for (int i = 0; i < 16; i += 2) {
		p += sprintf(p, "%s%02x%02x", i ? " " : "", h[i], h[i + 1]);
	}
}
