/* keyring_int.h - what the key files of sync/ share (pubkey.c, keyring.c,
 * keyring_file.c) and nothing else sees: the text helpers of public key
 * files and keyring files, the key blob and encryption key codecs, this
 * device's own key, the keyring table as a sorted tz_keyring.  Names: kr_*. */
#ifndef TZ_SYNC_KEYRING_INT_H
#define TZ_SYNC_KEYRING_INT_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/err.h"
#include "taizhang/keyring.h"
#include "taizhang/db.h"

#define B64_LEN 56
#define ENC_LEN 96 /* X25519 public key || Ed25519 signature */
#define ENC_B64_LEN 128

/* ---- small helpers, files and lines (pubkey.c) ---- */

/* Up to 16 hex digits (either case) into a key id: 0, or -1.  minisign
 * itself prints key ids without leading zeros. */
int kr_keyid_parse(const char *s, size_t n, uint8_t out[8]);
int kr_origin_parse(const char *s, size_t n, uint8_t out[16]);
int kr_all_zero(const uint8_t *p, size_t n);
/* 1 if s[0..n) is UTF-8 without C0/C1 controls, DEL, NUL or U+2028/2029. */
int kr_name_ok(const char *s, size_t n);
/* Copy a name, cut at a character boundary to fit tz_keyent.name. */
void kr_name_copy(char dst[192], const char *s, size_t n);
/* "<path> line N: <reason>" (line 0: no line), status TZ_EREFUSED. */
tz_status kr_bad(tz_err *err, const char *path, int line, const char *en, const char *zh, ...)
	__attribute__((format(printf, 5, 6)));
/* Read a whole regular file of at most max bytes, NUL-terminated. */
tz_status kr_read_file(const char *path, size_t max, char **out, size_t *len, tz_err *err);
/* Text a parser takes: at most max bytes, no NUL byte; name (a path, or
 * what the caller calls the buffer) is what messages show. */
tz_status kr_text_ok(const char *buf, size_t len, size_t max, const char *name, tz_err *err);
/* The same check, then a malloc'd NUL-terminated copy for a parser to split. */
tz_status kr_text_copy(const char *buf, size_t len, size_t max, const char *name, char **out,
		       tz_err *err);

/* Line by line through a NUL-terminated buffer, splitting it in place. */
typedef struct {
	char *p, *end;
	int no;
} kr_line_iter;

void kr_lines_init(kr_line_iter *it, char *buf, size_t len);
/* The next line (without its \n or \r\n) and its length; NULL at the end. */
char *kr_lines_next(kr_line_iter *it, size_t *n);
int kr_blank(const char *s);

/* ---- the key blob and the encryption key (pubkey.c) ---- */

void kr_blob_b64(const tz_keyent *k, char out[B64_LEN + 1]);
/* Decode BASE64 strictly into k->key_id and k->pk; on failure fill err. */
tz_status kr_blob_parse(const char *s, size_t n, tz_keyent *k, const char *path, int line,
			tz_err *err);
void kr_ent_init(tz_keyent *k);
void kr_enc_b64(const tz_keyent *k, char out[ENC_B64_LEN + 1]);
/* ENC into k (not yet checked against the signing key): 0, or -1. */
int kr_enc_parse(const char *s, size_t n, tz_keyent *k);
/* The next space-separated word of *s (NUL-terminated in place); NULL if none. */
char *kr_word(char **s, size_t *n);
/* This device's own key, as a keyring entry. */
tz_status kr_own_key(tz_db *db, tz_keyent *k, tz_err *err);

/* ---- the keyring table (keyring.c) ---- */

int kr_ent_cmp(const void *a, const void *b);
tz_status kr_push(tz_keyring *kr, size_t *cap, const tz_keyent *k, tz_err *err);
/* The keyring table, sorted by key id, optionally with this device's key. */
tz_status kr_load_db(tz_db *db, int with_own, tz_keyring *kr, tz_err *err);

#endif
