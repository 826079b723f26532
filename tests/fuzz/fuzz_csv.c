/* fuzz_csv.c - the CSV reader (core/csv.c) in UTF-8 and GB18030.
 *
 * Input: one mode byte, then the file.
 *   bit 0  encoding: 0 UTF-8, 1 GB18030
 *   bit 1  read through a FILE (fmemopen) instead of tz_csv_open_mem
 *   bits 2-6 all set (0x7c): put (64 KiB - the next byte) newlines in
 *          front, so that the file's text straddles the reader's 64 KiB read
 *          boundary (a multi-byte character or a CRLF cut in two by a read);
 *          blank lines are skipped, so the records stay the same.  Such runs
 *          are ~50 times slower, hence five bits (1 in 32 mode bytes), and
 *          they skip the FILE reader.
 *   bit 7  messages in Chinese
 * Every record is read to the end.  Promises checked: each field is
 * NUL-terminated at its length, holds no NUL, and is valid UTF-8 whatever
 * the input encoding; lines never go backwards; an error is sticky; the
 * memory and FILE readers agree.
 */
#define TZ_FUZZ_TARGET 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "taizhang/csv.h"
#include "taizhang/validate.h"

#define RAW_CAP (64 * 1024) /* core/csv.c */

/* Read all records; returns a hash of what was read (fields, lines, the
 * final status) so that two readers can be compared. */
static uint64_t read_all(tz_csv *c)
{
	tz_csv_rec rec;
	tz_err err = {0};
	tz_status st;
	long last_line = 0;
	uint64_t h = 1469598103934665603u;
#define MIX(v) (h = (h ^ (uint64_t)(v)) * 1099511628211u)
	for (;;) {
		st = tz_csv_next(c, &rec, &err);
		if (st || rec.n == 0)
			break;
		if (rec.n < 0 || rec.n > TZ_CSV_MAX_FIELDS || rec.line < last_line || rec.line < 1)
			abort();
		last_line = rec.line;
		MIX(rec.line);
		MIX(rec.n);
		for (int i = 0; i < rec.n; i++) {
			const char *f = rec.field[i];
			size_t n = rec.len[i];
			if (n > TZ_CSV_MAX_FIELD || f[n] != '\0' || memchr(f, 0, n) ||
			    !tz_utf8_valid(f, n))
				abort();
			MIX(n);
			for (size_t j = 0; j < n; j++)
				MIX((unsigned char)f[j]);
		}
	}
	MIX(st);
	if (st) {
		/* sticky: the same error again */
		tz_err again = {0};
		if (tz_csv_next(c, &rec, &again) != st || rec.n != 0 || strcmp(again.msg, err.msg))
			abort();
		MIX(rec.line);
	}
	int sep = tz_csv_separator(c);
	if (sep != ',' && sep != '\t')
		abort();
	return h;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	unsigned mode = data[0];
	tz_csv_enc enc = mode & 1 ? TZ_ENC_GB18030 : TZ_ENC_UTF8;
	const char *buf = (const char *)data + 1;
	size_t len = size - 1;
	char *padded = NULL;
	if ((mode & 0x7c) == 0x7c && len >= 1) {
		size_t pad = RAW_CAP - (unsigned char)buf[0];
		padded = malloc(pad + len - 1);
		if (!padded)
			return 0;
		memset(padded, '\n', pad);
		memcpy(padded + pad, buf + 1, len - 1);
		buf = padded;
		len = pad + len - 1;
	}
	tz_lang_set(mode & 0x80 ? TZ_LANG_ZH : TZ_LANG_EN);

	tz_csv *c;
	tz_err err = {0};
	uint64_t h1 = 0, h2 = 0;
	if (tz_csv_open_mem(&c, buf, len, enc, &err) == TZ_OK) {
		h1 = read_all(c);
		tz_csv_close(c);
	}
	if (mode & 2 && len && !padded) { /* fmemopen refuses a size of 0 */
		FILE *f = fmemopen((void *)buf, len, "rb");
		if (f && tz_csv_open(&c, f, enc, &err) == TZ_OK) {
			h2 = read_all(c);
			tz_csv_close(c);
			if (h1 != h2) {
				fprintf(stderr, "fuzz_csv: memory and FILE readers disagree\n");
				abort();
			}
		}
		if (f)
			fclose(f);
	}
	free(padded);
	return 0;
}
