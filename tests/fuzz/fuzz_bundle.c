/* fuzz_bundle.c - the bundle reader: header, recipients, signature
 * trailer, decryption, inflate, op decoding (tz_bundle_peek,
 * tz_bundle_verify with and without the recipient's key).
 *
 * Input: one mode byte, then the rest.
 *   mode & 3 == 0  the rest is the bundle file as it is (signed by the
 *                  embedded test key for the seeds, so unmutated seeds pass;
 *                  version 2 seeds are encrypted to the embedded recipient key)
 *   mode & 3 == 1  header || zlib payload [|| trailer]: re-signed with the
 *                  embedded key after fixing the payload length, so mutated
 *                  headers and payloads get past the signature
 *   mode & 3 == 2  header || raw ops: compressed, both lengths fixed, signed
 *   mode & 3 == 3  the same, keeping the header's declared inflated length
 *   mode & 4       modes 1-3: then encrypt the payload (version 2) to the
 *                  embedded recipient key and mode >> 5 & 1 more decoy keys,
 *                  so that mutated payloads reach inflate through decryption
 *   mode >> 3 & 3  stop the op callback after that many ops (0: never)
 *   mode & 0x80    messages in Chinese
 * The op callback checks what the reader promises about every op it hands
 * out; a broken promise aborts (and so is reported as a crash).  Whatever
 * the recipient reads in full, an auditor (no key) must accept too.
 */
#define TZ_FUZZ_TARGET 1
#include <stdint.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "taizhang/bundle.h"
#include "taizhang/oplog.h"
#include "taizhang/schema.h"

typedef struct {
	const tz_bundle_info *h;
	uint64_t seen, stop_after, prev_hlc;
} ctx_t;

static int op_cb(void *vctx, const tz_op *op)
{
	ctx_t *c = vctx;
	/* promises: seqs in order within the header's range, clock strictly
	 * increasing within [hlc_min, hlc_max], table known, data valid */
	if (op->seq != c->h->first_seq + c->seen || op->seq > c->h->last_seq)
		abort();
	if (op->hlc < c->h->hlc_min || op->hlc > c->h->hlc_max || (c->seen && op->hlc <= c->prev_hlc))
		abort();
	if (op->table < 0 || op->table >= tz_schema_ntables || op->flags > TZ_OP_FULL)
		abort();
	if (memcmp(op->origin, c->h->origin, 16))
		abort();
	if (!tz_oplog_data_valid(op->table, op->data, op->len))
		abort();
	size_t pos = 0;
	tz_colval cv;
	int r;
	while ((r = tz_oplog_data_next(op->data, op->len, &pos, &cv)) == 1)
		if (cv.tag == TZ_VAL_TEXT && cv.len && !cv.s)
			abort();
	if (r != 0)
		abort();
	c->prev_hlc = op->hlc;
	c->seen++;
	return c->stop_after && c->seen >= c->stop_after;
}

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	fz_keys_init();
	tz_lang_set(TZ_LANG_EN);
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	int mode = data[0] & 3, enc = data[0] & 4 ? 1 + (data[0] >> 5 & 1) : 0;
	uint64_t stop_after = data[0] >> 3 & 3;
	size_t flen;
	uint8_t *file = fz_make_bundle_enc(data + 1, size - 1, mode, 0, enc, &flen);
	if (!file)
		return 0;
	const char *path = fz_file(file, flen);
	free(file);

	tz_bundle_info info, vinfo;
	tz_err err = {0};
	char name[128];
	tz_lang_set(data[0] & 0x80 ? TZ_LANG_ZH : TZ_LANG_EN);
	tz_status pst = tz_bundle_peek(path, &info, &err);
	if (pst == TZ_OK) {
		if (info.file_len != flen || info.header_len > flen)
			abort();
		tz_bundle_name(&info, name);
	}
	ctx_t c = {.h = &info, .stop_after = stop_after};
	tz_status vst = tz_bundle_verify(path, fz_pk, fz_esk, &vinfo, op_cb, &c, &err);
	if (vst == TZ_OK) {
		/* whatever verifies must also peek, and agree */
		if (pst != TZ_OK || vinfo.count != info.count || vinfo.first_seq != info.first_seq)
			abort();
		if (!stop_after && c.seen != vinfo.count)
			abort();
		tz_bundle_name(&vinfo, name);
	}
	/* and without a callback */
	tz_status vst2 = tz_bundle_verify(path, fz_pk, fz_esk, NULL, NULL, NULL, &err);
	if ((vst2 == TZ_OK) != (vst == TZ_OK))
		abort();
	/* the auditor's check (no key) accepts whatever the recipient does;
	 * for an unencrypted bundle it is the same check */
	tz_status ast = tz_bundle_verify(path, fz_pk, NULL, &vinfo, NULL, NULL, &err);
	if (vst == TZ_OK && ast != TZ_OK)
		abort();
	if (pst == TZ_OK && info.version == 1 && (ast == TZ_OK) != (vst == TZ_OK))
		abort();
	return 0;
}
