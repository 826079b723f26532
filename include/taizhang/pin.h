/* staffpin.h - a local PIN per staff member, for the start screen.
 *
 * The PIN is stored as an Argon2id hash (crypto_pwhash_str, interactive
 * limits) in the local, not replicated, `setting` table under the key
 * "pin.<staff record id>".  A PIN is 4 to 12 digits.
 */
#ifndef TAIZHANG_STAFFPIN_H
#define TAIZHANG_STAFFPIN_H

#include "taizhang/err.h"
#include "taizhang/db.h"

#define TZ_PIN_MIN 4
#define TZ_PIN_MAX 12

/* 1 if pin is 4 to 12 ASCII digits. */
int tz_pin_valid(const char *pin);
/* Hash and store a PIN for a staff record (TZ_EINVAL: not 4-12 digits or
 * no such live staff record).  pin NULL or "" removes it. */
tz_status tz_pin_set(tz_db *db, const char *staff_id, const char *pin, tz_err *err);
/* TZ_OK if pin is right; TZ_EKEY if wrong or no PIN is set. */
tz_status tz_pin_check(tz_db *db, const char *staff_id, const char *pin, tz_err *err);
/* 1 if the staff record has a PIN. */
int tz_pin_has(tz_db *db, const char *staff_id);
/* 1 if at least one live staff record has a PIN (the start screen asks). */
int tz_pin_any(tz_db *db);

#endif
