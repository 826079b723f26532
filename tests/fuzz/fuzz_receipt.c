/* fuzz_receipt.c - receipts (tz_receipt_parse, tz_receipt_check: what a
 * village runs on a receipt from a stick, a server's answer or GET
 * /receipts/...), on every input, from memory.
 *
 * Input: the receipt's text as it is.  The language of the messages follows
 * the input's length (odd: Chinese).  Promises checked: a parsed receipt
 * has seq >= 1 and a signed part shorter than the input; writing it again
 * (signed with the embedded test key) gives a text that parses back to the
 * same fields and checks against that key; a receipt whose signature checks
 * against the test key parsed the same way.
 */
#define TZ_FUZZ_TARGET 1
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "taizhang/keyring.h"
#include "taizhang/receipt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int same(const tz_receipt *a, const tz_receipt *b)
{
	return !memcmp(a->holder, b->holder, 16) && !memcmp(a->device, b->device, 16) &&
	       a->seq == b->seq && !memcmp(a->head, b->head, 32) && a->time == b->time &&
	       !memcmp(a->key_id, b->key_id, 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	tz_err err = {0};
	tz_receipt r, back;
	uint8_t sig[64];
	size_t sl;
	fz_keys_init();
	tz_lang_set(size & 1 ? TZ_LANG_ZH : TZ_LANG_EN);
	tz_keyent k = {0};
	memcpy(k.key_id, fz_key_id, 8);
	memcpy(k.pk, fz_pk, 32);
	memcpy(k.origin, fz_origin, 16);
	k.revoked_after = -1;
	if (tz_receipt_parse(text, size, &r, sig, &sl, &err) != TZ_OK) {
		if (tz_receipt_check(text, size, &k, &back, &err) == TZ_OK)
			abort(); /* checks what does not parse */
		return 0;
	}
	if (r.seq < 1 || sl >= size)
		abort();
	if (tz_receipt_check(text, size, &k, &back, &err) == TZ_OK && !same(&r, &back))
		abort();
	/* the same fields, signed with the test key */
	memcpy(r.key_id, fz_key_id, 8);
	memcpy(r.holder, fz_origin, 16);
	char out[TZ_RECEIPT_MAX];
	size_t n = tz_receipt_format(&r, fz_sk, out);
	if (!n || n >= TZ_RECEIPT_MAX || tz_receipt_check(out, n, &k, &back, &err) != TZ_OK ||
	    !same(&r, &back))
		abort();
	return 0;
}
