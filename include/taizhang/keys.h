/* keys.h - this device's Ed25519 signing key.
 *
 * Only the 32-byte seed is stored, encrypted under a key derived from the
 * passphrase (Argon2id, crypto_pwhash) with crypto_secretbox.  The secret
 * key lives in sodium_malloc'd memory while loaded and is wiped after use.
 */
#ifndef TAIZHANG_KEYS_H
#define TAIZHANG_KEYS_H

#include <stdint.h>

#include "taizhang/err.h"
#include "taizhang/store.h"

#define TZ_KEYID_BYTES 8 /* minisign key id */
#define TZ_PK_BYTES 32
#define TZ_SK_BYTES 64

/* Create and store this device's key (init).  Refuses if one exists. */
tz_status tz_key_create(tz_db *db, const char *passphrase, tz_err *err);
/* The public key and its minisign key id. */
tz_status tz_key_public(tz_db *db, uint8_t pk[TZ_PK_BYTES], uint8_t keyid[TZ_KEYID_BYTES],
			tz_err *err);
/* Decrypt the secret key into sk (TZ_SK_BYTES, which the caller allocated
 * with sodium_malloc).  A wrong passphrase is TZ_EKEY. */
tz_status tz_key_unlock(tz_db *db, const char *passphrase, uint8_t *sk, tz_err *err);
/* Re-encrypt the seed under a new passphrase. */
tz_status tz_key_rekey(tz_db *db, const char *old_pass, const char *new_pass, tz_err *err);
/* Fingerprint for reading aloud: 8 groups of 4 hex digits of
 * BLAKE2b with a 16-byte output (crypto_generichash) of the public key, e.g. "3f2a 91c0 ...".  out[40]. */
void tz_key_fingerprint(const uint8_t pk[TZ_PK_BYTES], char out[40]);

#endif
