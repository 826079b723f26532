/* bundle.h - signed, compressed, encrypted files of changes
 * (docs/bundle-format.md).
 *
 * A bundle holds a contiguous seq range of ops from ONE origin device: a
 * fixed header, a zlib payload and a minisign-compatible Ed25519 signature
 * ("ED": Ed25519 over BLAKE2b-512 of the body).  Version 2 encrypts the
 * payload to its recipients' X25519 keys (a file key sealed to each, the
 * payload in crypto_secretstream chunks); the signature covers the
 * ciphertext, so auditors verify without any secret.  Version 1 is the
 * same without encryption.  Every bundle is hostile
 * input to the reader: bounds on every length and count, a hard cap on the
 * inflated size, nothing applied unless everything checks out.
 */
#ifndef TAIZHANG_BUNDLE_H
#define TAIZHANG_BUNDLE_H

#include <stddef.h>
#include <stdint.h>

#include "taizhang/err.h"
#include "taizhang/oplog.h"
#include "taizhang/db.h"
#include "taizhang/receipt.h"

#define TZ_BUNDLE_VERSION 2       /* encrypted; the newest this taizhang reads and writes */
#define TZ_BUNDLE_VERSION_PLAIN 1 /* unencrypted (sync.encrypt 0, or older writers) */
#define TZ_BUNDLE_EXT ".tzb"
#define TZ_BUNDLE_HASH_BYTES 32 /* BLAKE2b-256 of the body names a bundle */
#define TZ_BUNDLE_HEADER_BYTES 136  /* the fixed header (the recipients section follows) */
#define TZ_BUNDLE_TRAILER_BYTES 411 /* the signature trailer after the body */
#define TZ_BUNDLE_MIN_FILE (TZ_BUNDLE_HEADER_BYTES + TZ_BUNDLE_TRAILER_BYTES) /* smallest file */

/* Reader limits (also refused by the writer). */
#define TZ_BUNDLE_MAX_PAYLOAD (64u << 20)   /* compressed bytes */
#define TZ_BUNDLE_MAX_INFLATED (256u << 20) /* declared inflated bytes */
#define TZ_BUNDLE_MAX_OPS 4000000u
#define TZ_BUNDLE_MAX_RECIPIENTS 16     /* version 1 (never used there) */
#define TZ_BUNDLE_MAX_RECIPIENTS_V2 1024 /* version 2: a county writes to all its villages */
#define TZ_BUNDLE_SHOW_RECIPIENTS 16     /* recipient ids kept in tz_bundle_info */
#define TZ_BUNDLE_RECIPIENT_BYTES 112    /* recipient id (32) + sealed file key (80) */
/* The largest file a reader can accept: what a list or a peer says beyond it is a lie. */
#define TZ_BUNDLE_MAX_FILE                                                                  \
	((uint64_t)TZ_BUNDLE_MIN_FILE + (uint64_t)TZ_BUNDLE_MAX_RECIPIENTS_V2 *              \
	 TZ_BUNDLE_RECIPIENT_BYTES + TZ_BUNDLE_MAX_PAYLOAD)

enum { TZ_BUNDLE_F_ENCRYPTED = 1 << 0 }; /* payload encrypted to recipients (version 2) */

typedef struct {
	uint16_t version, flags;
	uint8_t origin[16];
	uint8_t key_id[8];
	uint64_t first_seq, last_seq;
	uint64_t hlc_min, hlc_max;
	uint8_t prev[TZ_BUNDLE_HASH_BYTES]; /* hash of the origin's previous bundle; 0s if first */
	int64_t created_ms;
	uint64_t payload_len, inflated_len;
	uint32_t count;
	uint16_t nrecipients;
	uint32_t header_len;                /* bytes before the payload */
	uint64_t file_len;                  /* header + payload + signature trailer */
	uint8_t hash[TZ_BUNDLE_HASH_BYTES]; /* filled once the body has been read */
	/* version 2: the first recipients' ids (BLAKE2b-256 of their X25519
	 * public keys, ascending), TZ_BUNDLE_SHOW_RECIPIENTS at most */
	uint8_t recipient[TZ_BUNDLE_SHOW_RECIPIENTS][32];
} tz_bundle_info;

/* The body hash: BLAKE2b-256 of the body (the file but its trailer).  It
 * names a bundle (its file name, its address on a server, the next
 * bundle's prev), so it is computed here only.  Streamed: init, update with
 * the body's bytes in order, final.  The state is libsodium's
 * crypto_generichash_state, opaque here (bundle_format.c checks it fits). */
typedef struct {
	_Alignas(64) unsigned char opaque[384];
} tz_bundle_hasher;
void tz_bundle_hash_init(tz_bundle_hasher *h);
void tz_bundle_hash_update(tz_bundle_hasher *h, const void *p, size_t n);
void tz_bundle_hash_final(tz_bundle_hasher *h, uint8_t hash[TZ_BUNDLE_HASH_BYTES]);
/* The body hash of the file at path, file_len bytes long (a bundle's
 * file_len; at least TZ_BUNDLE_TRAILER_BYTES).  TZ_EIO or TZ_EREFUSED (the
 * file is shorter) with a reason. */
tz_status tz_bundle_body_hash(const char *path, uint64_t file_len,
			      uint8_t hash[TZ_BUNDLE_HASH_BYTES], tz_err *err);

/* The id a recipient has in a bundle: BLAKE2b-256 of its X25519 key. */
void tz_bundle_recipient_id(const uint8_t epk[32], uint8_t id[32]);

/* Parse and bound-check the header and signature trailer of the file at
 * path (no signature check yet).  TZ_EREFUSED with a reason for a file
 * that is not a well-formed bundle. */
tz_status tz_bundle_peek(const char *path, tz_bundle_info *info, tz_err *err);

/* Verify the whole bundle against the public key pk: signature over the
 * body, trusted comment, inflate within bounds, every op well formed.  An
 * encrypted bundle is decrypted with esk (this device's X25519 secret key,
 * keys.h); with esk NULL only its header, layout and signature are checked
 * (what an auditor can check) and cb must be NULL.  cb
 * (may be NULL) sees each op in seq order; it runs before the signature is
 * known to be good only if the caller passes it — callers that apply ops
 * must first call with cb == NULL, or apply inside a transaction they roll
 * back on failure.  Fills info (hash included). */
tz_status tz_bundle_verify(const char *path, const uint8_t pk[32], const uint8_t *esk,
			   tz_bundle_info *info, tz_op_cb cb, void *ctx, tz_err *err);

/* The name a bundle file gets: <origin 8 hex>-<first>-<last>-<hash 16 hex>.tzb */
void tz_bundle_name(const tz_bundle_info *info, char out[128]);

/* Export this device's ops not yet exported into dir, split into bundles
 * whose payload stays under max_bytes (0: the default, 4 MiB).  With the
 * setting sync.encrypt (default 1) each bundle is encrypted to this device
 * and the keyring's devices that may read it (docs/bundle-format.md,
 * "Recipients"); if none but this device could, the export is refused.
 * Re-exporting the same range gives the same bytes.  Each file
 * is written under a temporary name, fsynced, renamed, the directory
 * fsynced, then read back and verified; only then does the export state
 * advance.  sk is the unlocked secret key (keys.h).  cb receives each final
 * path.  *nbundles counts them (0: nothing to export). */
typedef int (*tz_path_cb)(void *ctx, const char *path);
tz_status tz_bundle_export(tz_db *db, const uint8_t *sk, const char *dir, size_t max_bytes,
			   tz_path_cb cb, void *ctx, int *nbundles, tz_err *err);

/* Export to a stick (the CLI's `export` and the sync screen): as
 * tz_bundle_export, and each bundle is also kept in outbox (when not NULL)
 * until a receipt covers it, so that `push` sends what a lost stick
 * carried.  A township or county with forward set also forwards the
 * bundles received and not yet forwarded (tz_bundle_forward, *nforwarded),
 * keeping copies in the outbox the same way; it writes a receipt for
 * every device below it whose bundles it holds (receipt.h, *nreceipts),
 * and a township relays the county's bundles (tz_bundle_relay). */
tz_status tz_bundle_export_stick(tz_db *db, const uint8_t *sk, const char *dir, size_t max_bytes,
				 const char *outbox, int forward, tz_path_cb cb, void *ctx,
				 int *nbundles, int *nforwarded, int *nreceipts, tz_err *err);
/* Relay (a township): copy the stored original bundles of the county's
 * keys into dir (the stick, the server's downward folder), unchanged, each
 * once per folder: the county's vacancies and corrections reach the
 * villages, which take county bundles (they are encrypted to them). */
tz_status tz_bundle_relay(tz_db *db, const char *dir, tz_path_cb cb, void *ctx, int *nbundles,
			  tz_err *err);
/* Send a range again: write into dir this device's bundles from the one
 * holding change `from` on, cut exactly as they were first exported (the
 * same bytes while the recipients are the same; a receiver that holds
 * them calls them present either way).  The export state does not move. */
tz_status tz_bundle_reexport(tz_db *db, const uint8_t *sk, const char *dir, uint64_t from,
			     tz_path_cb cb, void *ctx, int *nbundles, tz_err *err);
/* Forward (township/county): copy the stored original bundles received
 * from other devices and not yet forwarded into dir, unchanged. */
tz_status tz_bundle_forward(tz_db *db, const char *dir, tz_path_cb cb, void *ctx, int *nbundles,
			    tz_err *err);

typedef enum {
	TZ_IMPORT_APPLIED,
	TZ_IMPORT_PRESENT, /* already imported: nothing to do */
	TZ_IMPORT_REFUSED, /* nothing changed; reason says why */
} tz_import_outcome;

typedef struct {
	tz_import_outcome outcome;
	tz_bundle_info info;
	size_t applied;     /* new ops folded in */
	size_t quarantined; /* ops held back: clock far ahead */
	size_t unauthorized; /* ops held back: outside the signer's authority */
	size_t waiting;      /* ops held back: the record they change is not here yet */
	size_t rechecked;    /* ops held earlier that waited for a record now here: applied */
	int gap;            /* the origin's earlier changes are missing */
	int fork;           /* evidence of equivocation was stored */
	int recut;          /* PRESENT: another bundle of the very same changes is held */
	int reviews;        /* business conflicts put on the review list */
	char reason[TZ_ERR_MAX];
} tz_import_result;

/* Verify and merge one bundle file: key known to the keyring (or this
 * device's own), not revoked for its seq range, signature, chain rules, the
 * whole payload (decrypted with esk, this device's X25519 secret key; NULL
 * refuses encrypted bundles); an unencrypted bundle only if the setting
 * sync.accept_plaintext allows it; then all ops in one transaction.  Returns TZ_OK with
 * res->outcome for anything decided about the file (refusals included);
 * an error status only for environment failures (I/O, database). */
tz_status tz_bundle_import(tz_db *db, const char *path, const uint8_t *esk,
			   tz_import_result *res, tz_err *err);

/* The import workflow of `taizhang import` and of the full-screen program's
 * sync screen (USB stick), in one place (sync/bundle_files.c):
 *   1. the quarantined ops this PC's clock has caught up with are released
 *      (tz_bundle_quarantine_release), before anything else;
 *   2. each path is a bundle file, or a folder whose *.tzb files (not
 *      hidden) are taken in chain order (tz_bundle_sort);
 *   3. if any of those is encrypted, unlock is asked once for this device's
 *      encryption key, before the first file is imported;
 *   4. each file in turn: one the process cannot read is skipped
 *      (status TZ_EIO), the others go through tz_bundle_import.
 * It stops at the first environment failure (the release, the key, an
 * import's I/O or database error) and returns it; refusals are results. */
typedef struct {
	char *path;      /* as given, or FOLDER/NAME.tzb (or .tzr) */
	int from_folder; /* found in a folder the paths name */
	int receipt;     /* a receipt file (*.tzr): rc and routcome say what it was; res.outcome
			  * APPLIED for one kept, PRESENT for nothing new, REFUSED (res.reason) */
	tz_receipt rc;
	tz_receipt_outcome routcome;
	tz_status status; /* TZ_OK: res is what tz_bundle_import decided; TZ_EIO: the file
			   * cannot be read, res.reason says why (res.outcome REFUSED) */
	tz_import_result res;
} tz_import_file;

typedef struct {
	/* Fill esk (TZ_ESK_BYTES, sodium_malloc'd here) with this device's
	 * encryption secret key (tz_key_unlock_enc), asking for the passphrase.
	 * Another status than TZ_OK stops the import before any file and is
	 * returned; err may stay empty (the caller already said why, or the
	 * user backed out).  NULL: encrypted bundles are refused. */
	tz_status (*unlock)(void *ctx, uint8_t *esk, tz_err *err);
	/* after step 1, with the number of ops released (may be 0); may be NULL */
	void (*released)(void *ctx, size_t n);
	/* each file once done, in order; may be NULL */
	void (*file)(void *ctx, const tz_import_file *f);
	void *ctx;
	/* this PC's outbox: after the files, the bundles a receipt now
	 * covers are removed from it (NULL: left alone) */
	const char *outbox;
} tz_import_opts;

typedef struct {
	size_t released;       /* quarantined ops applied before the files */
	tz_import_file *files; /* in import order, nfiles of them (those done so far after a
				* failure) */
	int nfiles;
	int found;             /* files the paths name (0: no bundle file at all) */
	int unlisted;          /* folders that could not be listed (they add no files) */
	int applied, present, refused, unreadable; /* refused counts receipts refused too */
	int receipts;          /* receipts checked and kept (or saying nothing new) */
	int pruned;            /* outbox bundles a receipt covers, removed */
} tz_import_report;

tz_status tz_bundle_import_files(tz_db *db, char *const *paths, int npaths,
				 const tz_import_opts *o, tz_import_report *rep, tz_err *err);
void tz_bundle_import_report_free(tz_import_report *rep);

/* Order bundle paths for import: each device's bundles in chain order
 * (file names sort 10 before 5); unreadable files last, by name. */
void tz_bundle_sort(char **paths, int n);

/* The last seq of this device already exported (0 if none). */
uint64_t tz_bundle_exported(tz_db *db);

/* Apply the quarantined ops whose clock this PC has now caught up with
 * (after its date was put right); *released counts them. */
tz_status tz_bundle_quarantine_release(tz_db *db, size_t *released, tz_err *err);

#endif
