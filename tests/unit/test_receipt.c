/* test_receipt.c - signed receipts (sync/receipt.c) as hostile input: a
 * round trip from the township's database to the village's, every single
 * byte flipped and every truncation refused, receipts the township really
 * signed but naming a history the village never signed, a stale one, a
 * revoked key, a signer that is not a level above; what the township
 * holds when its chain has a gap; the outbox emptied only by a receipt. */
#include <dirent.h>
#include <sodium.h>
#include <stdint.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/bundle.h"
#include "taizhang/key.h"
#include "taizhang/keyring.h"
#include "taizhang/receipt.h"
#include "taizhang/record.h"
#include "taizhang/db.h"
#include "tz_test.h"
#include "tz_test_keys.h"

static const char *PASS = "pass phrase";

static tz_db *mkdb(tz_role role, const char *region)
{
	return tz_test_mkdb("r", role, region, PASS);
}

static void enrol(tz_db *at, tz_db *who, tz_role role, const char *region)
{
	tz_test_enrol(at, who, role, region, PASS);
}

static uint8_t *unlock(tz_db *db)
{
	uint8_t *sk = sodium_malloc(TZ_SK_BYTES);
	tz_err err = {0};
	CHECK(tz_key_unlock(db, PASS, sk, &err) == TZ_OK);
	return sk;
}

static void add_household(tz_db *v)
{
	const tz_kv kv[] = {{"village", "430181100201"}, {"address", "一组"}};
	char id[33];
	tz_err err = {0};
	CHECK(tz_record_add(v, "household", kv, 2, id, &err) == TZ_OK);
}

static int count_bundles(const char *dir)
{
	DIR *d = opendir(dir);
	int n = 0;
	struct dirent *e;
	while (d && (e = readdir(d)))
		n += strstr(e->d_name, ".tzb") != NULL;
	if (d)
		closedir(d);
	return n;
}

/* village v exports to a fresh stick (keeping a copy in outbox); township t imports it */
static void round_trip(tz_db *v, tz_db *t, const char *outbox, int n)
{
	char dir[512];
	tz_err err = {0};
	int nb = 0, nr = 0, nf = 0;
	snprintf(dir, sizeof dir, "%s/stick%d", tz_test_tmpdir(), n);
	mkdir(dir, 0700);
	uint8_t *sk = unlock(v);
	CHECK(tz_bundle_export_stick(v, sk, dir, 0, outbox, 0, NULL, NULL, &nb, &nf, &nr, &err) == TZ_OK);
	CHECK_INT(nb, 1);
	sodium_free(sk);
	uint8_t *esk = sodium_malloc(TZ_ESK_BYTES);
	CHECK(tz_key_unlock_enc(t, PASS, esk, &err) == TZ_OK);
	/* the file's own import needs the township's encryption key */
	DIR *d = opendir(dir);
	struct dirent *e;
	while (d && (e = readdir(d))) {
		if (!strstr(e->d_name, ".tzb"))
			continue;
		char p[1024];
		tz_import_result res;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		CHECK(tz_bundle_import(t, p, esk, &res, &err) == TZ_OK);
		CHECK_INT(res.outcome, TZ_IMPORT_APPLIED);
	}
	if (d)
		closedir(d);
	sodium_free(esk);
}

static tz_receipt_outcome take(tz_db *v, const char *text, size_t len, char reason[TZ_ERR_MAX])
{
	tz_receipt r;
	tz_receipt_outcome oc;
	tz_err err = {0};
	CHECK(tz_receipt_take(v, text, len, &r, &oc, reason, &err) == TZ_OK);
	return oc;
}

TEST(round_trip_and_hostile_receipts)
{
	tz_db *t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000"), *v = mkdb(TZ_ROLE_VILLAGE, "430181100201"),
	      *v2 = mkdb(TZ_ROLE_VILLAGE, "430181100202");
	enrol(t, v, TZ_ROLE_VILLAGE, "430181100201");
	enrol(v, t, TZ_ROLE_TOWNSHIP, "430181100000");
	char outbox[512], reason[TZ_ERR_MAX], text[TZ_RECEIPT_MAX];
	tz_err err = {0};
	size_t len;
	snprintf(outbox, sizeof outbox, "%s/outbox", tz_test_tmpdir());
	add_household(v);
	add_household(v);
	round_trip(v, t, outbox, 1);
	CHECK_INT(count_bundles(outbox), 1);

	uint8_t *tsk = unlock(t);
	CHECK(tz_receipt_make(t, tsk, tz_db_origin(v), text, &len, &err) == TZ_OK);
	CHECK(len > 0 && len < TZ_RECEIPT_MAX);
	/* nothing held of the township's own device at the township: no receipt */
	char none[TZ_RECEIPT_MAX];
	size_t nlen = 99;
	CHECK(tz_receipt_make(t, tsk, tz_db_origin(v2), none, &nlen, &err) == TZ_OK);
	CHECK_INT(nlen, 0);

	/* every single-byte change and every truncation is refused, and keeps nothing */
	for (size_t i = 0; i < len; i++) {
		char bad[TZ_RECEIPT_MAX];
		memcpy(bad, text, len);
		bad[i] ^= 0x01;
		tz_receipt_outcome oc = take(v, bad, len, reason);
		CHECK(oc == TZ_RECEIPT_REFUSED || oc == TZ_RECEIPT_OTHER);
		if (oc != TZ_RECEIPT_REFUSED && oc != TZ_RECEIPT_OTHER)
			printf("  flip at %zu taken\n", i);
	}
	for (size_t l = 0; l < len; l++)
		CHECK_INT(take(v, text, l, reason), TZ_RECEIPT_REFUSED);
	tz_receipt best;
	CHECK(!tz_receipt_best(v, tz_db_origin(v), &best));
	CHECK_INT(count_bundles(outbox), 1);

	/* the real one */
	CHECK_INT(take(v, text, len, reason), TZ_RECEIPT_TAKEN);
	CHECK(tz_receipt_best(v, tz_db_origin(v), &best));
	CHECK_INT(best.seq, 2);
	CHECK_INT(take(v, text, len, reason), TZ_RECEIPT_KNOWN);
	int removed = 0;
	CHECK(tz_receipt_prune(v, outbox, &removed, &err) == TZ_OK);
	CHECK_INT(removed, 1);
	CHECK_INT(count_bundles(outbox), 0);

	/* signed by the real township key, but naming a history the village never signed */
	tz_receipt r, old;
	uint8_t sig[64];
	size_t sl;
	CHECK(tz_receipt_parse(text, len, &r, sig, &sl, &err) == TZ_OK);
	old = r;
	char forged[TZ_RECEIPT_MAX];
	r.head[0] ^= 1;
	size_t fl = tz_receipt_format(&r, tsk, forged);
	CHECK_INT(take(v, forged, fl, reason), TZ_RECEIPT_REFUSED);
	CHECK(strstr(reason, "never") != NULL);
	r = old;
	r.seq = 3; /* more than the village ever exported */
	fl = tz_receipt_format(&r, tsk, forged);
	CHECK_INT(take(v, forged, fl, reason), TZ_RECEIPT_REFUSED);

	/* stale: the township's receipt for 1-2, after one for 1-3 */
	add_household(v);
	round_trip(v, t, outbox, 2);
	char text3[TZ_RECEIPT_MAX];
	size_t len3;
	CHECK(tz_receipt_make(t, tsk, tz_db_origin(v), text3, &len3, &err) == TZ_OK);
	CHECK_INT(take(v, text3, len3, reason), TZ_RECEIPT_TAKEN);
	CHECK_INT(take(v, text, len, reason), TZ_RECEIPT_STALE);
	CHECK(strstr(reason, "stale") != NULL);
	CHECK(tz_receipt_best(v, tz_db_origin(v), &best));
	CHECK_INT(best.seq, 3);

	/* a receipt from a device that is not a level above (another village, enrolled) */
	enrol(v, v2, TZ_ROLE_VILLAGE, "430181100202");
	uint8_t *v2sk = unlock(v2);
	tz_receipt rv = old;
	memcpy(rv.holder, tz_db_origin(v2), 16);
	uint8_t pk[32];
	CHECK(tz_key_public(v2, pk, rv.key_id, &err) == TZ_OK);
	fl = tz_receipt_format(&rv, v2sk, forged);
	CHECK_INT(take(v, forged, fl, reason), TZ_RECEIPT_REFUSED);
	CHECK(strstr(reason, "level above") != NULL);
	/* the township's key claimed by the other village's receipt: the key is not its device's */
	tz_receipt rk = old;
	memcpy(rk.holder, tz_db_origin(v2), 16);
	fl = tz_receipt_format(&rk, tsk, forged);
	CHECK_INT(take(v, forged, fl, reason), TZ_RECEIPT_REFUSED);

	/* a revoked township key vouches for nothing, and its receipts count no more */
	char fp[40];
	uint8_t tpk[32], tkid[8];
	CHECK(tz_key_public(t, tpk, tkid, &err) == TZ_OK);
	tz_key_fingerprint(tpk, fp);
	CHECK(tz_keyring_revoke(v, fp, -1, tz_test_sk(v, PASS), &err) == TZ_OK);
	CHECK(!tz_receipt_best(v, tz_db_origin(v), &best));
	CHECK_INT(take(v, text3, len3, reason), TZ_RECEIPT_REFUSED);
	CHECK(strstr(reason, "revoked") != NULL);

	sodium_free(tsk);
	sodium_free(v2sk);
	tz_db_close(t);
	tz_db_close(v);
	tz_db_close(v2);
}

TEST(held_stops_at_a_gap)
{
	tz_db *t = mkdb(TZ_ROLE_TOWNSHIP, "430181100000"), *v = mkdb(TZ_ROLE_VILLAGE, "430181100201");
	enrol(t, v, TZ_ROLE_VILLAGE, "430181100201");
	enrol(v, t, TZ_ROLE_TOWNSHIP, "430181100000");
	char outbox[512], d1[512], d2[512];
	tz_err err = {0};
	snprintf(outbox, sizeof outbox, "%s/outbox-g", tz_test_tmpdir());
	snprintf(d1, sizeof d1, "%s/g1", tz_test_tmpdir());
	snprintf(d2, sizeof d2, "%s/g2", tz_test_tmpdir());
	mkdir(d1, 0700);
	mkdir(d2, 0700);
	uint8_t *sk = unlock(v);
	int nb, nr, nf;
	add_household(v);
	CHECK(tz_bundle_export_stick(v, sk, d1, 0, outbox, 0, NULL, NULL, &nb, &nf, &nr, &err) == TZ_OK);
	add_household(v);
	CHECK(tz_bundle_export_stick(v, sk, d2, 0, outbox, 0, NULL, NULL, &nb, &nf, &nr, &err) == TZ_OK);
	CHECK_INT(count_bundles(outbox), 2);
	uint8_t *esk = sodium_malloc(TZ_ESK_BYTES);
	CHECK(tz_key_unlock_enc(t, PASS, esk, &err) == TZ_OK);
	/* only the second stick arrives */
	DIR *d = opendir(d2);
	struct dirent *e;
	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ".tzb")) {
			char p[1024];
			tz_import_result res;
			snprintf(p, sizeof p, "%s/%s", d2, e->d_name);
			CHECK(tz_bundle_import(t, p, esk, &res, &err) == TZ_OK);
			CHECK(res.gap);
		}
	if (d)
		closedir(d);
	uint64_t seq = 99;
	uint8_t head[32];
	CHECK(tz_receipt_held(t, tz_db_origin(v), &seq, head, &err) == TZ_OK);
	CHECK_INT(seq, 0);
	/* the village then imports its copies from the outbox at the township
	 * (as push would send them): the chain is whole */
	d = opendir(outbox);
	while (d && (e = readdir(d)))
		if (strstr(e->d_name, ".tzb")) {
			char p[1024];
			tz_import_result res;
			snprintf(p, sizeof p, "%s/%s", outbox, e->d_name);
			CHECK(tz_bundle_import(t, p, esk, &res, &err) == TZ_OK);
		}
	if (d)
		closedir(d);
	CHECK(tz_receipt_held(t, tz_db_origin(v), &seq, head, &err) == TZ_OK);
	CHECK_INT(seq, 2);
	sodium_free(esk);
	sodium_free(sk);
	tz_db_close(t);
	tz_db_close(v);
}

int main(void)
{
	tz_lang_set(TZ_LANG_EN);
	RUN(round_trip_and_hostile_receipts);
	RUN(held_stops_at_a_gap);
	return tz_test_done();
}
