/* bundle_int.h - what the bundle files of sync/ share (bundle_format.c,
 * bundle_read.c, bundle_write.c, bundle_import.c, ledger.c) and nothing
 * else sees.  The layout is docs/bundle-format.md.  Names: bundle_* for
 * the file and its format, ledger_* for the bundle table. */
#ifndef TZ_SYNC_BUNDLE_INT_H
#define TZ_SYNC_BUNDLE_INT_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "taizhang/bundle.h"
#include "taizhang/err.h"
#include "taizhang/oplog.h"
#include "taizhang/db.h"

#define MAGIC "TZBUNDLE"
#define FIXED_HEADER TZ_BUNDLE_HEADER_BYTES
#define RECIPIENT_BYTES TZ_BUNDLE_RECIPIENT_BYTES
#define SEALED_BYTES 80     /* crypto_box_seal of the 32-byte file key */
#define SS_HEADER crypto_secretstream_xchacha20poly1305_HEADERBYTES
#define SS_ABYTES crypto_secretstream_xchacha20poly1305_ABYTES
#define SS_CHUNK (64u << 10) /* plaintext bytes per encrypted chunk (the last: 1 ... this) */
#define MAX_OP_DATA (1u << 20)
#define CHUNK (64u << 10)

#define UNTRUSTED "untrusted comment: taizhang bundle signature\n"
#define TRUSTED_PREFIX "trusted comment: "
#define TC_FMT "taizhang-bundle v%u %s %020llu %020llu %s"
#define TC_LEN (19 + 32 + 1 + 20 + 1 + 20 + 1 + 64)
#define SIG_B64 100    /* base64 of "ED" || key id || signature (74 bytes) */
#define GLOBAL_B64 88  /* base64 of the 64-byte comment signature */
#define TRAILER_LEN (sizeof UNTRUSTED - 1 + SIG_B64 + 1 + sizeof TRUSTED_PREFIX - 1 + TC_LEN + 1 + \
		     GLOBAL_B64 + 1)

/* A bundle refused, for the reason given in both languages. */
static inline tz_status refuse(tz_err *err, const char *en, const char *zh)
{
	return tz_fail(err, TZ_EREFUSED, "%s", "%s", tz_tr(en, zh));
}

/* ---- the format (bundle_format.c) ---- */

/* Version 2 payload length for a zlib stream of z bytes (z >= 1). */
uint64_t bundle_sealed_len(uint64_t z);
void bundle_encode_header(const tz_bundle_info *h, uint8_t out[FIXED_HEADER]);
tz_status bundle_decode_header(const uint8_t in[FIXED_HEADER], uint64_t file_len,
			       tz_bundle_info *h, tz_err *err);

/* the signature trailer */
typedef struct {
	uint8_t key_id[8];
	uint8_t sig[64];
	uint8_t global[64];
	char tc[TC_LEN + 1];
} bundle_trailer;

void bundle_trusted_comment(const tz_bundle_info *h, char out[TC_LEN + 1]);
void bundle_build_trailer(const tz_bundle_info *h, const uint8_t *sk, const uint8_t prehash[64],
			  char out[TRAILER_LEN + 1]);
tz_status bundle_parse_trailer(const char *t, bundle_trailer *tr, tz_err *err);

/* BLAKE2b-512 (the signature's prehash, may be NULL) and the body hash of
 * the first len bytes of the file open as fd. */
tz_status bundle_hash_body(int fd, uint64_t len, uint8_t prehash[64], uint8_t hash[32],
			   tz_err *err);

/* ---- reading (bundle_read.c) ---- */

tz_status bundle_read_full(int fd, void *buf, size_t n, uint64_t off, tz_err *err);

typedef struct {
	int fd;
	tz_bundle_info info;
	bundle_trailer tr;
	uint8_t hdr[FIXED_HEADER]; /* as read: with the recipients, the final chunk's AD */
	uint8_t *recips;           /* version 2: the recipients section (malloc'd) */
	uint8_t key[32];           /* version 2: the file key, once known */
	int keyed;
} bundle_file;

void bundle_close(bundle_file *b);
tz_status bundle_open(const char *path, bundle_file *b, tz_err *err);
/* Version 2: find this device among the recipients and open its sealed
 * copy of the file key. */
tz_status bundle_open_file_key(bundle_file *b, const uint8_t *esk, tz_err *err);
/* Read the body, hashing it, and (if decode) decrypt, inflate and decode
 * the payload.  On success hash256/prehash hold the body's hashes. */
tz_status bundle_scan_body(bundle_file *b, int decode, tz_op_cb cb, void *ctx,
			   uint8_t prehash[64], tz_err *err);
tz_status bundle_check_signature(const bundle_file *b, const uint8_t pk[32],
				 const uint8_t prehash[64], tz_err *err);
/* Verify a file: with file_key (the writer's read-back) or esk the whole
 * payload; with neither, an encrypted payload only as far as an auditor can. */
tz_status bundle_verify_file(const char *path, const uint8_t pk[32], const uint8_t *esk,
			     const uint8_t *file_key, tz_bundle_info *info, tz_op_cb cb, void *ctx,
			     tz_err *err);

/* ---- the bundle table (ledger.c) ---- */

tz_status ledger_store(tz_db *db, const bundle_file *b, const char *status, int keep_data,
		       tz_err *err);
int ledger_has(tz_db *db, const uint8_t hash[32], const char *status);
/* A different applied bundle of the same origin overlapping this range. */
int ledger_overlapping(tz_db *db, const tz_bundle_info *h);
/* The hash of the applied bundle ending right before this one, if known. */
int ledger_predecessor(tz_db *db, const tz_bundle_info *h, uint8_t out[32]);
/* The applied bundle starting right after this one must name this one as
 * its predecessor: 1 if one exists and does not. */
int ledger_successor_disowns(tz_db *db, const tz_bundle_info *h);

/* For tests: at most ops ops per import batch (0: the default), so that
 * small bundles take the paths of large ones (sync/bundle_import.c). */
void tz_bundle_batch_limit(size_t ops);

#endif
