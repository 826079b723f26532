/* tz_test_keys.h - a database's unlocked signing key for the unit tests
 * that enrol keys (keyring rows are signed with it): unlocked once per
 * device (Argon2 is slow) and kept for the rest of the run. */
#ifndef TZ_TEST_KEYS_H
#define TZ_TEST_KEYS_H
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/db.h"
#include "taizhang/key.h"

static inline const uint8_t *tz_test_sk(tz_db *db, const char *pass)
{
	static struct {
		uint8_t origin[16];
		uint8_t *sk;
	} cache[64];
	static int n;
	for (int i = 0; i < n; i++)
		if (!memcmp(cache[i].origin, tz_db_origin(db), 16))
			return cache[i].sk;
	uint8_t *sk = sodium_malloc(TZ_SK_BYTES);
	tz_err err = {0};
	if (!sk || tz_key_unlock(db, pass, sk, &err)) {
		printf("tz_test_sk: %s\n", err.msg);
		exit(2);
	}
	if (n < 64) {
		memcpy(cache[n].origin, tz_db_origin(db), 16);
		cache[n++].sk = sk;
	}
	return sk;
}
#endif
