/* keys.c - this device's signing key and encryption key, each sealed under
 * the passphrase.
 *
 * meta rows: key_pk, key_id, key_seed (the signing key); enc_pk (X25519
 * public key), enc_seed (its secret key, sealed like key_seed) and enc_sig
 * (the signing key's signature binding enc_pk to this device, see
 * tz_key_enc_statement).  A database made before encryption has no enc_*
 * rows: the first tz_key_unlock with the right passphrase adds them. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

#include "taizhang/db_sql.h"
#include "taizhang/le.h"
#include "taizhang/key.h"
#include "taizhang/keyring.h"

/* Stored seal: version(1) opslimit(8, LE) memlimit(8, LE) salt nonce box. */
#define SEAL_VERSION 1
#define SEAL_LEN (1 + 8 + 8 + crypto_pwhash_SALTBYTES + crypto_secretbox_NONCEBYTES + \
		  crypto_secretbox_MACBYTES + crypto_sign_SEEDBYTES)

/* Interactive limits: an old PC may have 512 MB of RAM. */
#define KDF_OPS crypto_pwhash_OPSLIMIT_INTERACTIVE
#define KDF_MEM crypto_pwhash_MEMLIMIT_INTERACTIVE

static void no_core_dumps(void)
{
	struct rlimit rl = {0, 0};
	setrlimit(RLIMIT_CORE, &rl);
}

static tz_status seal(const char *pass, const uint8_t *seed, uint8_t out[SEAL_LEN], tz_err *err)
{
	uint8_t *p = out;
	*p++ = SEAL_VERSION;
	tz_le_put64(p, KDF_OPS);
	p += 8;
	tz_le_put64(p, KDF_MEM);
	p += 8;
	uint8_t *salt = p, *nonce = p + crypto_pwhash_SALTBYTES;
	randombytes_buf(salt, crypto_pwhash_SALTBYTES);
	randombytes_buf(nonce, crypto_secretbox_NONCEBYTES);
	uint8_t *k = sodium_malloc(crypto_secretbox_KEYBYTES);
	if (!k)
		return tz_nomem(err);
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
	uint64_t ops = tz_le_get64(p), mem = tz_le_get64(p + 8);
	p += 16;
	/* what seal() writes is 64 MiB; a stored figure past 256 MiB is an
	 * edited database making a 512 MB PC run out of memory, not ours */
	if (ops < crypto_pwhash_OPSLIMIT_MIN || ops > 16 || mem < crypto_pwhash_MEMLIMIT_MIN ||
	    mem > TZ_KEY_KDF_MEM_MAX)
		return tz_fail(err, TZ_EKEY, "the stored key is damaged", "存储的密钥已损坏");
	const uint8_t *salt = p, *nonce = p + crypto_pwhash_SALTBYTES;
	uint8_t *k = sodium_malloc(crypto_secretbox_KEYBYTES);
	if (!k)
		return tz_nomem(err);
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

void tz_key_enc_statement(const uint8_t key_id[TZ_KEYID_BYTES], const uint8_t origin[16],
			  const uint8_t epk[TZ_EPK_BYTES], uint8_t out[TZ_ENC_STATEMENT_BYTES])
{
	memcpy(out, "taizhang-encryption-key-v1", 26);
	memcpy(out + 26, key_id, 8);
	memcpy(out + 34, origin, 16);
	memcpy(out + 50, epk, 32);
}

/* Make an encryption key pair, seal its secret under pass, sign its public
 * key with sk (this device's unlocked signing key) and store all three, in
 * the caller's transaction. */
static tz_status enc_create(tz_db *db, const char *pass, const uint8_t *sk, tz_err *err)
{
	uint8_t epk[TZ_EPK_BYTES], keyid[TZ_KEYID_BYTES], sealed[SEAL_LEN], sig[64];
	uint8_t stmt[TZ_ENC_STATEMENT_BYTES];
	if (tz_db_meta_blob(db, "key_id", keyid, sizeof keyid))
		return tz_fail(err, TZ_EKEY, "this device has no key (run 'taizhang init')",
			       "本机没有密钥（请运行 taizhang init）");
	uint8_t *esk = sodium_malloc(TZ_ESK_BYTES);
	if (!esk)
		return tz_nomem(err);
	crypto_box_keypair(epk, esk);
	tz_status st = seal(pass, esk, sealed, err);
	sodium_free(esk);
	if (st)
		return st;
	tz_key_enc_statement(keyid, tz_db_origin(db), epk, stmt);
	crypto_sign_detached(sig, NULL, stmt, sizeof stmt, sk);
	if ((st = tz_db_meta_put(db, "enc_pk", epk, sizeof epk, 1, err)) ||
	    (st = tz_db_meta_put(db, "enc_seed", sealed, sizeof sealed, 1, err)) ||
	    (st = tz_db_meta_put(db, "enc_sig", sig, sizeof sig, 1, err)))
		return st;
	return TZ_OK;
}

tz_status tz_key_create(tz_db *db, const char *passphrase, tz_err *err)
{
	uint8_t pk[TZ_PK_BYTES], keyid[TZ_KEYID_BYTES], sealed[SEAL_LEN];
	if (tz_db_meta_blob(db, "key_pk", pk, sizeof pk) == 0)
		return tz_fail(err, TZ_EINVAL, "this device already has a key", "本机已有密钥");
	no_core_dumps();
	uint8_t *seed = sodium_malloc(crypto_sign_SEEDBYTES);
	uint8_t *sk = sodium_malloc(crypto_sign_SECRETKEYBYTES);
	tz_status st = TZ_OK;
	if (!seed || !sk) {
		st = tz_nomem(err);
		goto out;
	}
	randombytes_buf(seed, crypto_sign_SEEDBYTES);
	crypto_sign_seed_keypair(pk, sk, seed);
	randombytes_buf(keyid, sizeof keyid);
	if ((st = seal(passphrase, seed, sealed, err)))
		goto out;
	if ((st = tz_db_begin(db, err)))
		goto out;
	if ((st = tz_db_meta_put(db, "key_pk", pk, sizeof pk, 1, err)) ||
	    (st = tz_db_meta_put(db, "key_id", keyid, sizeof keyid, 1, err)) ||
	    (st = tz_db_meta_put(db, "key_seed", sealed, sizeof sealed, 1, err)) ||
	    (st = enc_create(db, passphrase, sk, err))) {
		tz_db_rollback(db);
		goto out;
	}
	st = tz_db_commit(db, err);
out:
	sodium_free(seed);
	sodium_free(sk);
	return st;
}

tz_status tz_key_enc_public(tz_db *db, uint8_t epk[TZ_EPK_BYTES], uint8_t sig[64], tz_err *err)
{
	uint8_t s[64];
	if (tz_db_meta_blob(db, "enc_pk", epk, TZ_EPK_BYTES) || tz_db_meta_blob(db, "enc_sig", s, 64))
		return tz_fail(err, TZ_EKEY,
			       "this device has no encryption key yet: unlock it once (e.g. taizhang"
			       " export) to create one",
			       "本机尚无加密密钥：请先解锁一次（例如 taizhang export）以生成");
	if (sig)
		memcpy(sig, s, 64);
	return TZ_OK;
}

tz_status tz_key_public(tz_db *db, uint8_t pk[TZ_PK_BYTES], uint8_t keyid[TZ_KEYID_BYTES],
			tz_err *err)
{
	if (tz_db_meta_blob(db, "key_pk", pk, TZ_PK_BYTES) ||
	    tz_db_meta_blob(db, "key_id", keyid, TZ_KEYID_BYTES))
		return tz_fail(err, TZ_EKEY, "this device has no key (run 'taizhang init')",
			       "本机没有密钥（请运行 taizhang init）");
	return TZ_OK;
}

tz_status tz_key_unlock(tz_db *db, const char *passphrase, uint8_t *sk, tz_err *err)
{
	uint8_t sealed[SEAL_LEN], pk[TZ_PK_BYTES], pk2[TZ_PK_BYTES];
	if (tz_db_meta_blob(db, "key_seed", sealed, sizeof sealed) ||
	    tz_db_meta_blob(db, "key_pk", pk, sizeof pk))
		return tz_fail(err, TZ_EKEY, "this device has no key (run 'taizhang init')",
			       "本机没有密钥（请运行 taizhang init）");
	no_core_dumps();
	uint8_t *seed = sodium_malloc(crypto_sign_SEEDBYTES);
	if (!seed)
		return tz_nomem(err);
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
	uint8_t epk[TZ_EPK_BYTES];
	if (!st && tz_db_meta_blob(db, "enc_pk", epk, sizeof epk)) {
		/* a database from before encryption: add the encryption key,
		 * sealed under the same passphrase */
		if (!(st = tz_db_begin(db, err))) {
			if ((st = enc_create(db, passphrase, sk, err)))
				tz_db_rollback(db);
			else
				st = tz_db_commit(db, err);
		}
		if (st)
			sodium_memzero(sk, TZ_SK_BYTES);
	}
	/* a keyring from before its rows were signed: sign them now */
	if (!st && (st = tz_keyring_adopt(db, sk, err)))
		sodium_memzero(sk, TZ_SK_BYTES);
	return st;
}

tz_status tz_key_unlock_enc(tz_db *db, const char *passphrase, uint8_t *esk, tz_err *err)
{
	uint8_t sealed[SEAL_LEN], epk[TZ_EPK_BYTES], epk2[TZ_EPK_BYTES];
	char *adopt = tz_db_meta_get(db, "keyring_adopt");
	if (adopt || tz_db_meta_blob(db, "enc_seed", sealed, sizeof sealed)) {
		/* none yet: unlocking the signing key creates it; the keyring's
		 * rows from before signing are signed by it too */
		free(adopt);
		uint8_t *sk = sodium_malloc(TZ_SK_BYTES);
		if (!sk)
			return tz_nomem(err);
		tz_status st = tz_key_unlock(db, passphrase, sk, err);
		sodium_free(sk);
		if (st)
			return st;
		if (tz_db_meta_blob(db, "enc_seed", sealed, sizeof sealed))
			return tz_fail(err, TZ_EKEY, "the encryption key could not be stored",
				       "无法保存加密密钥");
	}
	if (tz_db_meta_blob(db, "enc_pk", epk, sizeof epk))
		return tz_fail(err, TZ_EKEY, "the stored encryption key is damaged",
			       "存储的加密密钥已损坏");
	no_core_dumps();
	tz_status st = unseal(passphrase, sealed, esk, err);
	if (!st) {
		crypto_scalarmult_base(epk2, esk);
		if (sodium_memcmp(epk, epk2, sizeof epk)) {
			sodium_memzero(esk, TZ_ESK_BYTES);
			st = tz_fail(err, TZ_EKEY,
				     "the stored encryption key does not match its public key",
				     "存储的加密私钥与公钥不符");
		}
	}
	return st;
}

/* Re-seal the secret in meta row `row` from old_pass to new_pass into fresh. */
static tz_status reseal(tz_db *db, const char *row, const char *old_pass, const char *new_pass,
			uint8_t fresh[SEAL_LEN], tz_err *err)
{
	uint8_t sealed[SEAL_LEN];
	if (tz_db_meta_blob(db, row, sealed, sizeof sealed))
		return tz_fail(err, TZ_EKEY, "this device has no key (run 'taizhang init')",
			       "本机没有密钥（请运行 taizhang init）");
	uint8_t *secret = sodium_malloc(crypto_sign_SEEDBYTES);
	if (!secret)
		return tz_nomem(err);
	tz_status st = unseal(old_pass, sealed, secret, err);
	if (!st)
		st = seal(new_pass, secret, fresh, err);
	sodium_free(secret);
	return st;
}

tz_status tz_key_rekey(tz_db *db, const char *old_pass, const char *new_pass, tz_err *err)
{
	uint8_t fresh[SEAL_LEN], efresh[SEAL_LEN], epk[TZ_EPK_BYTES];
	/* an older database gets its encryption key first, under the old passphrase */
	uint8_t *esk = sodium_malloc(TZ_ESK_BYTES);
	if (!esk)
		return tz_nomem(err);
	tz_status st = tz_db_meta_blob(db, "enc_pk", epk, sizeof epk)
			       ? tz_key_unlock_enc(db, old_pass, esk, err)
			       : TZ_OK;
	sodium_free(esk);
	if (st || (st = reseal(db, "key_seed", old_pass, new_pass, fresh, err)) ||
	    (st = reseal(db, "enc_seed", old_pass, new_pass, efresh, err)))
		return st;
	if ((st = tz_db_begin(db, err)))
		return st;
	if ((st = tz_db_meta_put(db, "key_seed", fresh, sizeof fresh, 1, err)) ||
	    (st = tz_db_meta_put(db, "enc_seed", efresh, sizeof efresh, 1, err))) {
		tz_db_rollback(db);
		return st;
	}
	return tz_db_commit(db, err);
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
