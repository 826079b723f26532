/* fuzz_keyring.c - public key files and keyring files (tz_pubkey_parse,
 * tz_keyring_parse: what tz_pubkey_read and tz_keyring_load run on a file's
 * text), both on every input, parsed from memory.
 *
 * Input: the file as it is.  The language of the messages follows the
 * input's length (odd: Chinese), so both sets of format strings run.
 * Promises checked on success: names are valid UTF-8 without control
 * characters and fit; regions are 12 digits; the keyring is sorted by key id
 * without duplicates and every key can be looked up again.
 */
#define TZ_FUZZ_TARGET 1
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "taizhang/keyring.h"
#include "taizhang/validate.h"

static uint64_t kid64(const uint8_t id[8])
{
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v |= (uint64_t)id[i] << (8 * i);
	return v;
}

static void check_ent(const tz_keyent *k)
{
	size_t n = strnlen(k->name, sizeof k->name);
	if (n == sizeof k->name || !tz_utf8_valid(k->name, n))
		abort();
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)k->name[i] < 0x20 || k->name[i] == 0x7f)
			abort();
	n = strnlen(k->region, sizeof k->region);
	if (n != 0 && n != 12)
		abort();
	if ((unsigned)k->role > TZ_ROLE_ESCROW)
		abort();
	/* an encryption key is only ever handed out vouched for by its key */
	if (k->has_enc && !tz_pubkey_enc_ok(k))
		abort();
	char hex[17];
	tz_pubkey_id_hex(k->key_id, hex);
	if (strlen(hex) != 16)
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	tz_err err = {0};
	tz_keyent k;
	tz_lang_set(size & 1 ? TZ_LANG_ZH : TZ_LANG_EN);

	if (tz_pubkey_parse(text, size, "input", &k, &err) == TZ_OK)
		check_ent(&k);

	tz_keyring kr = {0};
	if (tz_keyring_parse(text, size, "input", &kr, &err) == TZ_OK) {
		for (size_t i = 0; i < kr.n; i++) {
			check_ent(&kr.v[i]);
			if (i && kid64(kr.v[i - 1].key_id) >= kid64(kr.v[i].key_id))
				abort(); /* sorted, unique */
			if (tz_keyring_lookup(&kr, kr.v[i].key_id) == NULL)
				abort();
		}
		tz_keyring_free(&kr);
	} else if (kr.v || kr.n) {
		abort(); /* a failed load leaves nothing behind */
	}
	return 0;
}
