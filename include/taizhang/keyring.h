/* keyring.h - public keys: this device's export file, the township's
 * keyring of enrolled devices, and keyring files for auditors.
 *
 * A public key file is minisign-compatible (docs/bundle-format.md):
 *   untrusted comment: minisign public key <KEYID> taizhang <origin> <role> <region> <name>
 *   <base64 of "Ed" || key id (8) || public key (32)>
 *   taizhang encryption key: <base64 of X25519 public key (32) || signature (64)>
 * so `minisign -V -p FILE` reads it as it is (it reads two lines).  The third
 * line is the device's encryption key, signed by the signing key over
 * tz_key_enc_statement; files written before encryption lack it.
 */
#ifndef TAIZHANG_KEYRING_H
#define TAIZHANG_KEYRING_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

typedef struct {
	uint8_t key_id[8];
	uint8_t pk[32];
	uint8_t origin[16]; /* the device whose ops this key signs */
	tz_role role;
	char region[13];
	char name[192];          /* UTF-8, no control characters */
	int64_t added_ms;        /* when enrolled (0 in a public key file) */
	int64_t revoked_after;   /* seqs above this are refused; -1: not revoked */
	int has_enc;             /* epk and esig hold the device's encryption key */
	uint8_t epk[32];         /* X25519 public key bundles are encrypted to */
	uint8_t esig[64];        /* pk's signature over tz_key_enc_statement */
} tz_keyent;

/* 1 if k's encryption key is vouched for by its signing key. */
int tz_pubkey_enc_ok(const tz_keyent *k);

/* minisign prints key ids as 16 upper-case hex digits of the little-endian
 * 64-bit number: write that form (out[17]). */
void tz_pubkey_id_hex(const uint8_t key_id[8], char out[17]);

/* This device's public key file. */
tz_status tz_pubkey_export(tz_db *db, const char *path, tz_err *err);
/* Parse a public key file held in memory: text[0..len), any bytes (at most
 * 64 KiB); name is what messages call it (a path, "-").  Role and region in
 * its comment are hints only. */
tz_status tz_pubkey_parse(const char *text, size_t len, const char *name, tz_keyent *out,
			  tz_err *err);
/* The same, read from the file at path. */
tz_status tz_pubkey_read(const char *path, tz_keyent *out, tz_err *err);

/* The database's keyring (township and county enrol devices; villages enrol
 * their township).  add refuses a key id already present with another key. */
tz_status tz_keyring_add(tz_db *db, const tz_keyent *k, const uint8_t *sk, tz_err *err);
/* Revoke by fingerprint (as `key show` prints it, spaces optional) or key id;
 * ops with seq > after_seq are refused from then on (after_seq < 0: all). */
tz_status tz_keyring_revoke(tz_db *db, const char *which, int64_t after_seq, const uint8_t *sk,
			    tz_err *err);
/* Rows are signed by this device (sk, the unlocked signing key, in add and
 * revoke): a row added or edited outside taizhang makes every read of the
 * keyring (find, from_db, list, export) fail with TZ_EDB naming it.  The
 * rows of a database from before signing are signed here, once, when its
 * key is first unlocked (tz_key_unlock calls it). */
tz_status tz_keyring_adopt(tz_db *db, const uint8_t *sk, tz_err *err);
typedef int (*tz_keyent_cb)(void *ctx, const tz_keyent *k);
tz_status tz_keyring_list(tz_db *db, tz_keyent_cb cb, void *ctx, tz_err *err);
/* Look up a key id: the keyring, or this device's own key.  TZ_ENOTFOUND. */
tz_status tz_keyring_find(tz_db *db, const uint8_t key_id[8], tz_keyent *out, tz_err *err);

/* Keyring files: text, one key per line, for auditors (no database). */
typedef struct {
	tz_keyent *v;
	size_t n;
} tz_keyring;
tz_status tz_keyring_export(tz_db *db, const char *path, tz_err *err); /* includes own key */
/* Parse a keyring file held in memory: text[0..len), any bytes (at most
 * 4 MiB); name is what messages call it.  On failure kr is left empty. */
tz_status tz_keyring_parse(const char *text, size_t len, const char *name, tz_keyring *kr,
			   tz_err *err);
/* The same, read from the file at path. */
tz_status tz_keyring_load(const char *path, tz_keyring *kr, tz_err *err);
tz_status tz_keyring_from_db(tz_db *db, tz_keyring *kr, tz_err *err);
const tz_keyent *tz_keyring_lookup(const tz_keyring *kr, const uint8_t key_id[8]);
void tz_keyring_free(tz_keyring *kr);

#endif
