/* staffpin.c - staff PINs as Argon2id hashes in local settings. */
#include "taizhang/pin.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "taizhang/record.h"

static void pin_key(const char *staff_id, char out[64])
{
	snprintf(out, 64, "pin.%.40s", staff_id ? staff_id : "");
}

int tz_pin_valid(const char *pin)
{
	size_t n = pin ? strlen(pin) : 0;
	if (n < TZ_PIN_MIN || n > TZ_PIN_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (pin[i] < '0' || pin[i] > '9')
			return 0;
	return 1;
}

static int staff_live(tz_db *db, const char *staff_id)
{
	tz_row r = {0};
	tz_err err;
	if (!staff_id || tz_record_get(db, "staff", staff_id, &r, &err) != TZ_OK)
		return 0;
	int live = !r.deleted;
	tz_record_row_free(&r);
	return live;
}

tz_status tz_pin_set(tz_db *db, const char *staff_id, const char *pin, tz_err *err)
{
	char key[64];
	pin_key(staff_id, key);
	if (!pin || !*pin)
		return tz_db_setting_set(db, key, NULL, err);
	if (!tz_pin_valid(pin))
		return tz_fail(err, TZ_EINVAL, "a PIN is %d to %d digits", "PIN 应为 %d 到 %d 位数字",
			       TZ_PIN_MIN, TZ_PIN_MAX);
	if (!staff_live(db, staff_id))
		return tz_fail(err, TZ_EINVAL, "no such staff member", "没有这名工作人员");
	if (sodium_init() < 0)
		return tz_fail(err, TZ_ECRYPTO, "libsodium did not start", "libsodium 无法初始化");
	char hash[crypto_pwhash_STRBYTES];
	if (crypto_pwhash_str(hash, pin, strlen(pin), crypto_pwhash_OPSLIMIT_INTERACTIVE,
			      crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
		return tz_fail(err, TZ_ENOMEM, "not enough memory to hash the PIN",
			       "内存不足，无法处理 PIN");
	tz_status st = tz_db_setting_set(db, key, hash, err);
	sodium_memzero(hash, sizeof hash);
	return st;
}

tz_status tz_pin_check(tz_db *db, const char *staff_id, const char *pin, tz_err *err)
{
	char key[64];
	pin_key(staff_id, key);
	char *hash = tz_db_setting_get(db, key);
	int ok = 0;
	if (hash && pin && sodium_init() >= 0 && strlen(hash) < crypto_pwhash_STRBYTES)
		ok = crypto_pwhash_str_verify(hash, pin, strlen(pin)) == 0;
	free(hash);
	if (!ok)
		return tz_fail(err, TZ_EKEY, "wrong PIN", "PIN 错误");
	return TZ_OK;
}

int tz_pin_has(tz_db *db, const char *staff_id)
{
	char key[64];
	pin_key(staff_id, key);
	char *hash = tz_db_setting_get(db, key);
	int has = hash && *hash;
	free(hash);
	return has;
}

static int any_cb(void *ctx, const tz_row *r)
{
	struct {
		tz_db *db;
		int any;
	} *a = ctx;
	a->any = tz_pin_has(a->db, r->id);
	return a->any;
}

int tz_pin_any(tz_db *db)
{
	struct {
		tz_db *db;
		int any;
	} a = {db, 0};
	tz_err err;
	tz_record_list(db, "staff", NULL, 0, any_cb, &a, &err);
	return a.any;
}
