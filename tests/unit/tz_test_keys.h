/* tz_test_keys.h - for the unit tests that enrol keys: a database with an
 * identity and a key (tz_test_mkdb), its unlocked signing key (keyring rows
 * are signed with it: unlocked once per device, Argon2 is slow, and kept
 * for the rest of the run), and one device enrolled at another
 * (tz_test_enrol).  After tz_test.h. */
#ifndef TZ_TEST_KEYS_H
#define TZ_TEST_KEYS_H
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/db.h"
#include "taizhang/key.h"
#include "taizhang/keyring.h"

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
/* A new database "<tmp>/<prefix><n>.db" with identity and key (passphrase pass). */
static inline tz_db *tz_test_mkdb(const char *prefix, tz_role role, const char *region,
				  const char *pass)
{
	static int n;
	char path[512];
	tz_db *db;
	tz_err err = {0};
	snprintf(path, sizeof path, "%s/%s%d.db", tz_test_tmpdir(), prefix, n++);
	if (tz_db_open(&db, path, TZ_OPEN_CREATE, &err) ||
	    tz_db_set_identity(db, role, region, "x", &err) || tz_key_create(db, pass, &err)) {
		printf("mkdb: %s\n", err.msg);
		exit(2);
	}
	return db;
}

/* Enrol who's key at at (whose passphrase is pass) with role and region. */
static inline void tz_test_enrol(tz_db *at, tz_db *who, tz_role role, const char *region,
				 const char *pass)
{
	tz_keyent k = {0};
	tz_err err = {0};
	CHECK(tz_key_public(who, k.pk, k.key_id, &err) == TZ_OK);
	k.has_enc = tz_key_enc_public(who, k.epk, k.esig, &err) == TZ_OK;
	memcpy(k.origin, tz_db_origin(who), 16);
	k.role = role;
	snprintf(k.region, sizeof k.region, "%s", region);
	snprintf(k.name, sizeof k.name, "enrolled");
	k.revoked_after = -1;
	if (tz_keyring_add(at, &k, tz_test_sk(at, pass), &err))
		printf("enrol: %s\n", err.msg);
}
#endif
