/* fuzz_import.c - importing a bundle from an enrolled device
 * (tz_bundle_import): key and role checks, chain and fork rules, and
 * merging arbitrary, validly signed ops into a township database.
 *
 * A hostile or broken village PC holds a key the township enrolled, so the
 * signature protects nothing here: every op it signs reaches the merge.
 * The database is in memory; it holds the embedded test key, enrolled as a
 * village, and that device's bundles of seqs 1-2 and 5-6 (fuzz_common.h
 * fz_chain), so that chaining, gap filling, overlapping and disowning
 * (forks), gaps and quarantine are reachable.  Each input is imported
 * inside an outer transaction that is rolled back afterwards, so runs do
 * not influence each other.  Unencrypted (version 1) bundles are allowed
 * there (sync.accept_plaintext): the merge is what this target is for;
 * decryption is fuzz_bundle's.
 *
 * Input: the framing of fuzz_bundle.c, except that mode & 3 == 0 also
 * re-signs (raw files could only carry the seeds' own signatures), and the
 * header's origin and key id are set to those of the enrolled test device
 * unless bit 2 of the mode byte is set.  An applied bundle is imported
 * again (must be "already present"), then its ops once more as the next
 * bundle, their clocks shifted after the originals (bit 3 of the mode byte:
 * before them), so that every op also goes through the merge with the row
 * it created.
 */
#define TZ_FUZZ_TARGET 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "taizhang/bundle.h"
#include "taizhang/key.h"
#include "taizhang/keyring.h"
#include "taizhang/settings.h"
#include "taizhang/db.h"

static tz_db *db;
static int verbose; /* FUZZ_VERBOSE=1: say what became of each input */

static void die(const char *what, const tz_err *err)
{
	fprintf(stderr, "fuzz_import: %s: %s\n", what, err->msg);
	abort();
}

/* The bundle following `file` (just applied) with the same payload: seqs
 * after its last, naming it as predecessor, the clock shifted past its
 * last op, or (older) shifted back before its first so that every column
 * loses.  NULL if the numbers would overflow.  Same length as file. */
static uint8_t *continuation(const uint8_t *file, size_t flen, int older)
{
	size_t blen = flen - FZ_TRAILER;
	uint64_t first = fz_get64(file + 40), last = fz_get64(file + 48);
	uint64_t hmin = fz_get64(file + 56), hmax = fz_get64(file + 64);
	uint64_t count = last - first + 1, shift = hmax - hmin + 1;
	if (last + count > (uint64_t)INT64_MAX || (!older && hmax + shift > (uint64_t)INT64_MAX) ||
	    (older && hmin <= shift))
		return NULL;
	uint8_t *next = malloc(flen + 1), prev[32];
	if (!next)
		return NULL;
	memcpy(next, file, blen);
	crypto_generichash(prev, 32, file, blen, NULL, 0);
	fz_put64(next + 40, last + 1);
	fz_put64(next + 48, last + count);
	fz_put64(next + 56, older ? hmin - shift : hmin + shift);
	fz_put64(next + 64, older ? hmax - shift : hmax + shift);
	memcpy(next + 72, prev, 32);
	fz_put64(next + 104, fz_get64(next + 64) >> 16);
	char tr[FZ_TRAILER + 1];
	fz_trailer(next, blen, tr);
	memcpy(next + blen, tr, FZ_TRAILER);
	return next;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	tz_err err = {0};
	setenv("TAIZHANG_NOW", "2026-03-01T12:00:00", 1);
	tz_lang_set(TZ_LANG_EN);
	fz_keys_init();
	verbose = getenv("FUZZ_VERBOSE") != NULL;
	if (tz_db_open(&db, ":memory:", TZ_OPEN_CREATE, &err))
		die("open", &err);
	if (tz_db_set_identity(db, TZ_ROLE_TOWNSHIP, "430181100000", "fuzz township", &err))
		die("identity", &err);
	if (tz_settings_set(db, "sync.accept_plaintext", "1", &err))
		die("setting", &err);
	tz_keyent k = {0};
	memcpy(k.key_id, fz_key_id, 8);
	memcpy(k.pk, fz_pk, 32);
	memcpy(k.origin, fz_origin, 16);
	k.role = TZ_ROLE_VILLAGE;
	snprintf(k.region, sizeof k.region, "430181100201");
	snprintf(k.name, sizeof k.name, "fuzz village");
	k.revoked_after = -1;
	/* the township's own key signs its keyring rows (Argon2 once, here) */
	uint8_t *tsk = sodium_malloc(64);
	if (!tsk || tz_key_create(db, "fuzz", &err) || tz_key_unlock(db, "fuzz", tsk, &err))
		die("key", &err);
	if (tz_keyring_add(db, &k, tsk, &err))
		die("enrol", &err);
	sodium_free(tsk);

	/* the test device's seqs 1-2 and 5-6: seedgen's seeds fill the gap
	 * (3-4) or continue (7-) */
	uint8_t in[FZ_HEADER + 128], h12[32], h34[32], h56[32];
	fz_chain(h12, h34, h56);
	for (int i = 0; i < 2; i++) {
		size_t n = i == 0 ? fz_two_ops(in, 1, NULL, 0) : fz_two_ops(in, 5, h34, 0), flen;
		uint8_t *file = fz_make_bundle(in, n, FZ_DEFLATE, 1, &flen);
		tz_import_result res;
		if (!file || tz_bundle_import(db, fz_file(file, flen), NULL, &res, &err))
			die("first bundles", &err);
		if (res.outcome != TZ_IMPORT_APPLIED) {
			fprintf(stderr, "fuzz_import: first bundles refused: %s\n", res.reason);
			abort();
		}
		free(file);
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int mode = data[0] & 3;
	if (mode == FZ_RAW)
		mode = FZ_RESIGN;
	size_t flen;
	uint8_t *file = fz_make_bundle(data + 1, size - 1, mode, !(data[0] & 4), &flen);
	if (!file)
		return 0;
	const char *path = fz_file(file, flen);
	tz_lang_set(data[0] & 0x80 ? TZ_LANG_ZH : TZ_LANG_EN);

	tz_err err = {0};
	tz_import_result res;
	if (tz_db_begin(db, &err))
		die("begin", &err);
	/* "an error status only for environment failures": the database is in
	 * memory, so any error status is the file's doing */
	if (tz_bundle_import(db, path, NULL, &res, &err))
		die("import returned an error status", &err);
	if (verbose)
		fprintf(stderr, "fuzz_import: outcome %d applied %zu quarantined %zu gap %d fork %d"
			" reviews %d: %s\n", res.outcome, res.applied, res.quarantined, res.gap,
			res.fork, res.reviews, res.reason);
	if (res.outcome == TZ_IMPORT_APPLIED) {
		if (res.applied + res.quarantined > res.info.count)
			abort();
		/* a replay of what was just applied is "already present" */
		tz_import_result again;
		if (tz_bundle_import(db, path, NULL, &again, &err))
			die("re-import returned an error status", &err);
		if (again.outcome != TZ_IMPORT_PRESENT) {
			fprintf(stderr, "fuzz_import: re-import: outcome %d: %s\n", again.outcome,
				again.reason);
			abort();
		}
		/* the same ops again as the next bundle, so that every op meets the
		 * row it made: the merge (last writer wins per column) */
		uint8_t *next = continuation(file, flen, data[0] & 8);
		if (next) {
			path = fz_file(next, flen);
			if (tz_bundle_import(db, path, NULL, &again, &err))
				die("continuation returned an error status", &err);
			if (verbose)
				fprintf(stderr, "fuzz_import: continuation: outcome %d applied %zu: %s\n",
					again.outcome, again.applied, again.reason);
			free(next);
		}
	}
	free(file);
	tz_db_rollback(db);
	return 0;
}
