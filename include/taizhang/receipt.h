/* receipt.h - signed receipts: "this township holds your changes up to N"
 * (docs/bundle-format.md, "Receipts").
 *
 * A receipt is a short signed text in the form of a C2SP signed note:
 *
 *   taizhang-receipt v1
 *   holder <device id of the signer, 32 hex>
 *   device <device id whose changes are held, 32 hex>
 *   seq <N: every change 1..N of that device is held>
 *   head <64 hex: body hash of that device's bundle ending at N>
 *   time <YYYY-MM-DDTHH:MM:SSZ, the signer's clock>
 *
 *   — taizhang-<KEYID> <base64 of key id (8) || Ed25519 signature (64)>
 *
 * The signature covers the six lines (with their newlines).  The head is
 * the end of a hash chain (each bundle names its predecessor), so a
 * receipt commits to the whole of 1..N: the device checks it against the
 * bundles it signed itself.  A township (or county) signs them for the
 * devices whose bundles it holds; they travel back in the answer to an
 * upload, from GET /receipts/<device>, and on the stick as
 * <device>.tzr next to the downward bundles.  A device drops a bundle
 * from its outbox only when a receipt it checked covers it.
 */
#ifndef TAIZHANG_RECEIPT_H
#define TAIZHANG_RECEIPT_H
#include <stddef.h>
#include <stdint.h>
#include "taizhang/db.h"
#include "taizhang/err.h"
#include "taizhang/keyring.h"

#define TZ_RECEIPT_EXT ".tzr"
#define TZ_RECEIPT_MAGIC "taizhang-receipt v1"
#define TZ_RECEIPT_MAX 512 /* bytes of a receipt; a file or an answer longer is not one */

typedef struct {
	uint8_t holder[16]; /* the device that signed it */
	uint8_t key_id[8];  /* its key */
	uint8_t device[16]; /* whose changes it holds */
	uint64_t seq;       /* all of 1..seq */
	uint8_t head[32];
	int64_t time;       /* seconds since 1970, the signer's clock */
} tz_receipt;

/* The signed text of r (the key id in r is the signing key's), sk the
 * unlocked secret key.  Returns its length (< TZ_RECEIPT_MAX). */
size_t tz_receipt_format(const tz_receipt *r, const uint8_t *sk, char out[TZ_RECEIPT_MAX]);

/* Parse text[0..len) (any bytes): exactly the form above, nothing before
 * or after but one final newline.  Fills r, the signature and the length
 * of the signed part.  TZ_EREFUSED with a reason. */
tz_status tz_receipt_parse(const char *text, size_t len, tz_receipt *r, uint8_t sig[64],
			   size_t *signed_len, tz_err *err);

/* Parse and check the signature against k (the key r names; its device
 * must be the holder).  An auditor's check: no database.  TZ_EREFUSED. */
tz_status tz_receipt_check(const char *text, size_t len, const tz_keyent *k, tz_receipt *r,
			   tz_err *err);

/* What this database holds of device: the end of its unbroken chain of
 * bundles from seq 1 (*seq 0: none) and that bundle's hash. */
tz_status tz_receipt_held(tz_db *db, const uint8_t device[16], uint64_t *seq,
			  uint8_t head[32], tz_err *err);

/* The signed receipt this database gives for device (*len 0: it holds
 * nothing of it). */
tz_status tz_receipt_make(tz_db *db, const uint8_t *sk, const uint8_t device[16],
			  char out[TZ_RECEIPT_MAX], size_t *len, tz_err *err);

/* Write a receipt <device hex>.tzr into dir for every other device whose
 * bundles this database holds (a township's export to a stick); each file
 * written carefully (temporary name, fsync, rename).  cb sees each path. */
tz_status tz_receipt_export(tz_db *db, const uint8_t *sk, const char *dir,
			    int (*cb)(void *ctx, const char *path), void *ctx, int *n, tz_err *err);

typedef enum {
	TZ_RECEIPT_TAKEN,   /* checked and kept: it says more than what was held */
	TZ_RECEIPT_KNOWN,   /* checked; says nothing new */
	TZ_RECEIPT_REFUSED, /* forged, stale or not ours: reason says why */
	TZ_RECEIPT_OTHER,   /* about a device this database does not deal with: ignored */
	TZ_RECEIPT_STALE,   /* validly signed, but it says less than the same signer said
			     * before: not kept (a server restored from an old backup) */
} tz_receipt_outcome;

/* Check a receipt received and keep it: the signer is enrolled here, not
 * revoked, one level above this device (a county for a township's
 * forwarded bundles too); the device is this one, or one whose bundles it
 * forwards; the head is a bundle of that device this database holds,
 * ending at seq; not older than what the same signer said before.
 * TZ_OK with *outcome; an error status only for the database. */
tz_status tz_receipt_take(tz_db *db, const char *text, size_t len, tz_receipt *r,
			  tz_receipt_outcome *outcome, char reason[TZ_ERR_MAX], tz_err *err);

/* Read a receipt file (at most TZ_RECEIPT_MAX bytes) and take it. */
tz_status tz_receipt_take_file(tz_db *db, const char *path, tz_receipt *r,
			       tz_receipt_outcome *outcome, char reason[TZ_ERR_MAX], tz_err *err);

/* The receipt kept that covers most of device's changes: 1 if any. */
int tz_receipt_best(tz_db *db, const uint8_t device[16], tz_receipt *r);

/* Remove from the outbox every bundle file a kept receipt covers (its
 * origin's receipted seq reaches its last seq); *removed counts them. */
tz_status tz_receipt_prune(tz_db *db, const char *outbox, int *removed, tz_err *err);

/* When a receipt was signed as written in it: YYYY-MM-DDTHH:MM:SSZ. */
void tz_receipt_utc(const tz_receipt *r, char out[21]);

/* The day a receipt was signed, YYYY-MM-DD on this PC's calendar. */
void tz_receipt_day(const tz_receipt *r, char out[16]);

/* The file name a device's receipt has on a stick: <32 hex>.tzr */
void tz_receipt_name(const uint8_t device[16], char out[40]);
#endif
