/* valid.h - the code-like values (base/valid.c): national ID numbers,
 * unified social credit codes, dates and periods, phone numbers, region
 * codes; and the input handling the validators share.
 *
 * Pure functions of the leaf library: no database, no printing.  Each error
 * names the field and the rule in the current language (err.h); normalised
 * output is what is stored.  The *_as variants name the field in messages
 * (a form's label) instead of the default ("ID number", "身份证号"...).
 */
#ifndef TAIZHANG_VALID_H
#define TAIZHANG_VALID_H

#include <stddef.h>

#include "taizhang/date.h"
#include "taizhang/err.h"
#include "taizhang/utf8.h"

/* GB 11643 national ID number.  Accepts 18 characters (last may be x/X) or a
 * legacy 15-digit number (converted: 19 inserted before the year, check
 * character computed).  Checks region prefix (first two digits a valid
 * province code), a real birth date not in the future, and the ISO 7064
 * MOD 11-2 check character.  On success writes the normalised 18 characters
 * to out[19], birth date YYYY-MM-DD to birth[11] (if not NULL) and 'M'/'F'
 * gender to *gender (if not NULL). */
tz_status tz_valid_idnum(const char *in, char out[19], char birth[11], char *gender,
			 tz_err *err);
/* The check character for the first 17 digits. */
char tz_valid_idnum_check(const char *first17);

/* GB 32100 unified social credit code: 18 characters from
 * 0123456789ABCDEFGHJKLMNPQRTUWXY, check character at position 18.
 * Lower case is upper-cased.  out[19]. */
tz_status tz_valid_credit(const char *in, char out[19], tz_err *err);
char tz_valid_credit_check(const char *first17); /* 0 if a character is invalid */

/* YYYY-MM-DD, a real calendar date between 1900-01-01 and 2200-12-31. */
tz_status tz_valid_date(const char *in, char out[11], tz_err *err);
/* YYYY-MM */
tz_status tz_valid_period(const char *in, char out[8], tz_err *err);

/* Mobile (11 digits starting 1[3-9]) or fixed line (0 + area code, 10-12
 * digits, an optional '-' after the area code).  Spaces and dashes are
 * dropped, a leading +86 or 86- removed. out[24]. */
tz_status tz_valid_phone(const char *in, char out[24], tz_err *err);

/* 12-digit statistical division code whose first two digits name a
 * province. out[13]. */
tz_status tz_valid_region(const char *in, char out[13], tz_err *err);
/* 1 if the two-digit province code exists (11..82). */
int tz_valid_province(int code);

tz_status tz_valid_idnum_as(const char *name, const char *in, char out[19], char birth[11],
			    char *gender, tz_err *err);
tz_status tz_valid_credit_as(const char *name, const char *in, char out[19], tz_err *err);
tz_status tz_valid_date_as(const char *name, const char *in, char out[11], tz_err *err);
tz_status tz_valid_phone_as(const char *name, const char *in, char out[24], tz_err *err);
tz_status tz_valid_region_as(const char *name, const char *in, char out[13], tz_err *err);

/* ---- input handling shared by the validators ---- */

/* Input echoed in messages: at most TZ_SHOW_CHARS characters, each escape
 * at most 6 bytes, then "...". */
#define TZ_SHOW_CHARS 40
#define TZ_SHOW_MAX (TZ_SHOW_CHARS * 6 + 8)
/* Folded code-like input; anything longer is refused as too long. */
#define TZ_FOLD_MAX 128

/* One code-like value: trimmed, shown and folded to ASCII (full-width
 * forms ０-９, Ｘ, －, U+3000 as a Chinese input method types them). */
typedef struct {
	const char *s; /* trimmed input */
	size_t n;
	char show[TZ_SHOW_MAX];
	char b[TZ_FOLD_MAX]; /* folded copy, NUL-terminated */
	int len;             /* its length, -1 if it did not fit */
} tz_input;

void tz_valid_input(tz_input *in, const char *s);
/* Trim ASCII white space and U+3000 from both ends of s[0..*n). */
void tz_valid_trim(const char **s, size_t *n);
/* s[0..n) for a message: control characters, C1 characters, line
 * separators and invalid bytes escaped, cut after TZ_SHOW_CHARS characters. */
void tz_valid_show(const char *s, size_t n, char out[TZ_SHOW_MAX]);
/* C0, DEL and C1 controls. */
int tz_valid_is_control(long cp);
int tz_valid_is_digit(char c);
int tz_valid_all_digits(const char *s, size_t n);

#endif
