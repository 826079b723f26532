/* fuzz_validate.c - field validation (core/validate.c) and packed op data
 * (core/oplog.c tz_oplog_data_valid / tz_oplog_data_next).
 *
 * Input: one selector byte, then the text.
 *   bit 7      messages in Chinese
 *   bits 0-6   which table's fields get tz_validate_field first (mod the number
 *              of tables; all tables' fields are run on every input)
 * The text (cut at its first NUL, as a C string) goes through
 * tz_valid_idnum, tz_valid_credit, tz_valid_date, tz_valid_period,
 * tz_valid_phone, tz_valid_region and tz_validate_field for every field of
 * every table; the raw bytes after the selector go through tz_oplog_data_next
 * and tz_oplog_data_valid for every table index (and -1 and tz_schema_ntables).
 *
 * Promises checked: an accepted value is normalised (validating the output
 * again gives the same output); an ID number's birth date is a valid date
 * and its gender M or F; messages are one line; well-formed op data walks
 * to its end and re-encodes to data that decodes the same.
 */
#define TZ_FUZZ_TARGET 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "fuzz_common.h"
#include "taizhang/oplog.h"
#include "taizhang/schema.h"
#include "taizhang/validate.h"

static void one_line(const tz_err *err)
{
	if (memchr(err->msg, '\n', sizeof err->msg) || !memchr(err->msg, 0, sizeof err->msg))
		abort();
}

#define SAME(fn, out, size)                                        \
	do {                                                       \
		char again_[size];                                 \
		tz_err e2_ = {0};                                  \
		if (fn(out, again_, &e2_) || strcmp(out, again_)) { \
			fprintf(stderr, #fn ": \"%s\" not stable\n", out); \
			abort();                                   \
		}                                                  \
	} while (0)

static void basic(const char *s)
{
	tz_err err = {0};
	char id[19], birth[11], gender = 0, credit[19], date[11], period[8], phone[24], region[13];

	if (tz_valid_idnum(s, id, birth, &gender, &err) == TZ_OK) {
		char id2[19], b2[11], g2;
		if (strlen(id) != 18 || (gender != 'M' && gender != 'F'))
			abort();
		if (tz_valid_idnum(id, id2, b2, &g2, &err) || strcmp(id, id2) || strcmp(birth, b2) ||
		    g2 != gender)
			abort();
		char d2[11];
		if (tz_valid_date(birth, d2, &err) || strcmp(birth, d2))
			abort();
		if (tz_valid_idnum_check(id) != id[17])
			abort();
	} else {
		one_line(&err);
	}
	if (tz_valid_credit(s, credit, &err) == TZ_OK) {
		if (strlen(credit) != 18 || tz_valid_credit_check(credit) != credit[17])
			abort();
		SAME(tz_valid_credit, credit, 19);
	} else {
		one_line(&err);
	}
	if (tz_valid_date(s, date, &err) == TZ_OK) {
		SAME(tz_valid_date, date, 11);
		char d2[11];
		tz_date_from_days(tz_date_days(date), d2);
		if (strcmp(date, d2))
			abort();
	} else {
		one_line(&err);
	}
	if (tz_valid_period(s, period, &err) == TZ_OK)
		SAME(tz_valid_period, period, 8);
	else
		one_line(&err);
	if (tz_valid_phone(s, phone, &err) == TZ_OK)
		SAME(tz_valid_phone, phone, 24);
	else
		one_line(&err);
	if (tz_valid_region(s, region, &err) == TZ_OK)
		SAME(tz_valid_region, region, 13);
	else
		one_line(&err);
}

static void fields_of(const tz_table *t, const char *s)
{
	for (int i = 0; i < t->nfields; i++) {
		const tz_field *f = &t->fields[i];
		char *out = NULL;
		tz_err err = {0};
		if (tz_validate_field(t, f, s, &out, &err) == TZ_OK) {
			if (!out)
				continue; /* empty: no value */
			char *again = NULL;
			if (tz_validate_field(t, f, out, &again, &err) || !again || strcmp(out, again)) {
				fprintf(stderr, "tz_validate_field %s.%s: \"%s\" -> \"%s\" -> \"%s\" (%s)\n",
					t->name, f->name, s, out, again ? again : "(null)", err.msg);
				abort();
			}
			if (!tz_utf8_valid(out, strlen(out)))
				abort();
			free(again);
			free(out);
		} else {
			one_line(&err);
			if (out)
				abort();
		}
	}
}

static void opdata(const uint8_t *d, size_t n)
{
	size_t pos = 0, last = 0;
	tz_colval cv;
	int r;
	tz_buf b = {0};
	while ((r = tz_oplog_data_next(d, n, &pos, &cv)) == 1) {
		if (pos <= last || pos > n)
			abort(); /* progress, in bounds */
		last = pos;
		if (cv.tag == TZ_VAL_TEXT && (cv.s < (const char *)d || cv.s + cv.len > (const char *)d + n))
			abort();
		if (cv.tag == TZ_VAL_NULL)
			tz_oplog_data_null(&b, cv.field);
		else if (cv.tag == TZ_VAL_INT)
			tz_oplog_data_int(&b, cv.field, cv.i);
		else
			tz_oplog_data_text(&b, cv.field, cv.s, cv.len);
	}
	if (r != 0 && r != -1)
		abort();
	if (r == 0 && pos != n)
		abort();
	/* the re-encoding (canonical varints) decodes to the same values */
	if (r == 0 && !b.failed) {
		size_t p1 = 0, p2 = 0;
		tz_colval a, c;
		int r1, r2;
		for (;;) {
			r1 = tz_oplog_data_next(d, n, &p1, &a);
			r2 = tz_oplog_data_next(b.buf, b.len, &p2, &c);
			if (r1 != r2)
				abort();
			if (r1 != 1)
				break;
			if (a.field != c.field || a.tag != c.tag || a.i != c.i || a.len != c.len ||
			    (a.len && memcmp(a.s, c.s, a.len)))
				abort();
		}
	}
	for (int t = -1; t <= tz_schema_ntables; t++) {
		int ok = tz_oplog_data_valid(t, d, n);
		if (ok && (t < 0 || t >= tz_schema_ntables || r != 0))
			abort(); /* valid data walks to its end */
		if (ok && !b.failed && !tz_oplog_data_valid(t, b.buf, b.len))
			abort(); /* and its re-encoding is valid too */
	}
	tz_buf_free(&b);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	tz_lang_set(data[0] & 0x80 ? TZ_LANG_ZH : TZ_LANG_EN);
	int first = (data[0] & 0x7f) % tz_schema_ntables;
	char *s = malloc(size);
	if (!s)
		return 0;
	memcpy(s, data + 1, size - 1);
	s[size - 1] = '\0';

	basic(s);
	fields_of(tz_schema_tables[first], s);
	for (int t = 0; t < tz_schema_ntables; t++)
		if (t != first)
			fields_of(tz_schema_tables[t], s);
	free(s);

	/* op data: a copy of exactly the bytes, so ASan sees any overread */
	size_t n = size - 1;
	uint8_t *d = malloc(n ? n : 1);
	if (!d)
		return 0;
	memcpy(d, data + 1, n);
	opdata(d, n);
	free(d);
	return 0;
}
