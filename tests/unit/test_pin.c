/* test_staffpin.c - staff PINs: set, check, wrong PIN, bad PINs, removal,
 * deleted staff, and that only a hash is stored. */
#include <sodium.h>
#include <stdlib.h>

#include "core/internal.h"
#include "taizhang/record.h"
#include "taizhang/pin.h"
#include "taizhang/db.h"
#include "tz_test.h"

static tz_db *db;
static char zhang[33], li[33];

static void setup(void)
{
	tz_err err = {0};
	char p[512];
	snprintf(p, sizeof p, "%s/pin.db", tz_test_tmpdir());
	if (tz_db_open(&db, p, TZ_OPEN_CREATE, &err) ||
	    tz_db_set_identity(db, TZ_ROLE_VILLAGE, "430181100201", "演示村", &err)) {
		printf("setup: %s\n", err.msg);
		exit(2);
	}
	tz_kv a[] = {{"name", "张专干"}}, b[] = {{"name", "李干事"}};
	if (tz_record_add(db, "staff", a, 1, zhang, &err) ||
	    tz_record_add(db, "staff", b, 1, li, &err)) {
		printf("setup: %s\n", err.msg);
		exit(2);
	}
}

TEST(valid_pins)
{
	CHECK(tz_pin_valid("1234"));
	CHECK(tz_pin_valid("123456789012"));
	CHECK(!tz_pin_valid("123"));
	CHECK(!tz_pin_valid("1234567890123"));
	CHECK(!tz_pin_valid("12a4"));
	CHECK(!tz_pin_valid(" 1234"));
	CHECK(!tz_pin_valid("１２３４")); /* full-width digits */
	CHECK(!tz_pin_valid(""));
	CHECK(!tz_pin_valid(NULL));
}

TEST(none_at_first)
{
	tz_err err;
	CHECK(!tz_pin_any(db));
	CHECK(!tz_pin_has(db, zhang));
	CHECK_INT(tz_pin_check(db, zhang, "1234", &err), TZ_EKEY);
}

TEST(set_and_check)
{
	tz_err err = {0};
	CHECK_INT(tz_pin_set(db, zhang, "2468", &err), TZ_OK);
	CHECK(tz_pin_has(db, zhang));
	CHECK(!tz_pin_has(db, li));
	CHECK(tz_pin_any(db));
	CHECK_INT(tz_pin_check(db, zhang, "2468", &err), TZ_OK);
	CHECK_INT(tz_pin_check(db, zhang, "2469", &err), TZ_EKEY);
	CHECK_STR(err.msg, "wrong PIN");
	CHECK_INT(tz_pin_check(db, zhang, "", &err), TZ_EKEY);
	CHECK_INT(tz_pin_check(db, zhang, NULL, &err), TZ_EKEY);
	/* another member's PIN does not open this one */
	CHECK_INT(tz_pin_set(db, li, "13579", &err), TZ_OK);
	CHECK_INT(tz_pin_check(db, zhang, "13579", &err), TZ_EKEY);
	CHECK_INT(tz_pin_check(db, li, "13579", &err), TZ_OK);
}

TEST(only_a_hash_is_stored)
{
	char key[64];
	snprintf(key, sizeof key, "pin.%s", zhang);
	char *v = tz_db_setting_get(db, key);
	CHECK(v != NULL);
	CHECK(v && !strncmp(v, "$argon2id$", 10));
	CHECK(v && !strstr(v, "2468"));
	free(v);
}

TEST(bad_pins_refused)
{
	tz_err err = {0};
	CHECK_INT(tz_pin_set(db, zhang, "12", &err), TZ_EINVAL);
	CHECK_INT(tz_pin_set(db, zhang, "abcd", &err), TZ_EINVAL);
	CHECK_INT(tz_pin_set(db, "0123456789abcdef0123456789abcdef", "1234", &err), TZ_EINVAL);
	/* the old PIN still works */
	CHECK_INT(tz_pin_check(db, zhang, "2468", &err), TZ_OK);
}

TEST(change_and_remove)
{
	tz_err err = {0};
	CHECK_INT(tz_pin_set(db, zhang, "1111", &err), TZ_OK);
	CHECK_INT(tz_pin_check(db, zhang, "2468", &err), TZ_EKEY);
	CHECK_INT(tz_pin_check(db, zhang, "1111", &err), TZ_OK);
	CHECK_INT(tz_pin_set(db, zhang, "", &err), TZ_OK);
	CHECK(!tz_pin_has(db, zhang));
	CHECK_INT(tz_pin_check(db, zhang, "1111", &err), TZ_EKEY);
}

TEST(deleted_staff_do_not_count)
{
	tz_err err = {0};
	CHECK(tz_pin_any(db)); /* li still has one */
	CHECK_INT(tz_record_del(db, "staff", li, &err), TZ_OK);
	CHECK(!tz_pin_any(db));
	CHECK_INT(tz_pin_set(db, li, "1234", &err), TZ_EINVAL);
}

int main(void)
{
	if (sodium_init() < 0)
		return 2;
	setenv("TAIZHANG_NOW", "2026-06-15", 1);
	tz_lang_set(TZ_LANG_EN);
	setup();
	RUN(valid_pins);
	RUN(none_at_first);
	RUN(set_and_check);
	RUN(only_a_hash_is_stored);
	RUN(bad_pins_refused);
	RUN(change_and_remove);
	RUN(deleted_staff_do_not_count);
	tz_db_close(db);
	return tz_test_done();
}
