/* keys.h - this device's Ed25519 signing key and X25519 encryption key.
 *
 * Only the 32-byte seed is stored, encrypted under a key derived from the
 * passphrase (Argon2id, crypto_pwhash) with crypto_secretbox.  The secret
 * key lives in sodium_malloc'd memory while loaded and is wiped after use.
 * The X25519 encryption key pair (bundles are encrypted to it) is a separate
 * random key, its secret sealed the same way under the same passphrase; its
 * public key is signed by the signing key so that it travels with the
 * signing key's fingerprint (docs/bundle-format.md).
 */
#ifndef TAIZHANG_KEYS_H
#define TAIZHANG_KEYS_H

#include <stdint.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

#define TZ_KEYID_BYTES 8 /* minisign key id */
#define TZ_PK_BYTES 32
#define TZ_SK_BYTES 64
#define TZ_EPK_BYTES 32 /* X25519 public key */
#define TZ_ESK_BYTES 32 /* X25519 secret key */
#define TZ_ENC_STATEMENT_BYTES 82

/* Create and store this device's keys (init): signing and encryption.
 * Refuses if a signing key exists. */
tz_status tz_key_create(tz_db *db, const char *passphrase, tz_err *err);
/* The public key and its minisign key id. */
tz_status tz_key_public(tz_db *db, uint8_t pk[TZ_PK_BYTES], uint8_t keyid[TZ_KEYID_BYTES],
			tz_err *err);
/* The most memory a stored key may ask Argon2 for (a 512 MB PC). */
#define TZ_KEY_KDF_MEM_MAX (256ull << 20)

/* Decrypt the secret key into sk (TZ_SK_BYTES, which the caller allocated
 * with sodium_malloc).  A wrong passphrase is TZ_EKEY.  A database made
 * before encryption gets its encryption key pair here (a migration). */
tz_status tz_key_unlock(tz_db *db, const char *passphrase, uint8_t *sk, tz_err *err);
/* The encryption public key and the signing key's signature over
 * tz_key_enc_statement (sig may be NULL).  TZ_EKEY if there is none yet. */
tz_status tz_key_enc_public(tz_db *db, uint8_t epk[TZ_EPK_BYTES], uint8_t sig[64], tz_err *err);
/* Decrypt the encryption secret key into esk (TZ_ESK_BYTES, sodium_malloc'd
 * by the caller); creates the key pair first in an older database. */
tz_status tz_key_unlock_enc(tz_db *db, const char *passphrase, uint8_t *esk, tz_err *err);
/* What the signing key signs to vouch for an encryption key:
 * "taizhang-encryption-key-v1" (26 bytes) || key id (8) || origin (16) || epk (32). */
void tz_key_enc_statement(const uint8_t key_id[TZ_KEYID_BYTES], const uint8_t origin[16],
			  const uint8_t epk[TZ_EPK_BYTES], uint8_t out[TZ_ENC_STATEMENT_BYTES]);
/* Re-encrypt both secrets under a new passphrase. */
tz_status tz_key_rekey(tz_db *db, const char *old_pass, const char *new_pass, tz_err *err);
/* Fingerprint for reading aloud: 8 groups of 4 hex digits of
 * BLAKE2b with a 16-byte output (crypto_generichash) of the public key, e.g. "3f2a 91c0 ...".  out[40]. */
void tz_key_fingerprint(const uint8_t pk[TZ_PK_BYTES], char out[40]);

#endif
