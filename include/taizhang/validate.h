/* validate.h - field validation and normalisation.
 *
 * Pure functions: no database.  Each error names the field and the rule in
 * the current language (err.h).  Normalised output is what is stored.
 */
#ifndef TAIZHANG_VALIDATE_H
#define TAIZHANG_VALIDATE_H

#include <stddef.h>

#include "taizhang/err.h"
#include "taizhang/schema.h"

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
char tz_idnum_check_char(const char *first17);

/* GB 32100 unified social credit code: 18 characters from
 * 0123456789ABCDEFGHJKLMNPQRTUWXY, check character at position 18.
 * Lower case is upper-cased.  out[19]. */
tz_status tz_valid_credit(const char *in, char out[19], tz_err *err);
char tz_credit_check_char(const char *first17); /* 0 if a character is invalid */

/* YYYY-MM-DD, a real calendar date between 1900-01-01 and 2200-12-31. */
tz_status tz_valid_date(const char *in, char out[11], tz_err *err);
/* YYYY-MM */
tz_status tz_valid_period(const char *in, char out[8], tz_err *err);
/* Days since 1970-01-01 for a valid YYYY-MM-DD (no check). */
long tz_date_days(const char *ymd);
void tz_days_date(long days, char out[11]);

/* Mobile (11 digits starting 1[3-9]) or fixed line (0 + area code, 10-12
 * digits, an optional '-' after the area code).  Spaces and dashes are
 * dropped, a leading +86 or 86- removed. out[24]. */
tz_status tz_valid_phone(const char *in, char out[24], tz_err *err);

/* 12-digit statistical division code whose first two digits name a
 * province. out[13]. */
tz_status tz_valid_region(const char *in, char out[13], tz_err *err);
/* 1 if the two-digit province code exists (11..82). */
int tz_province_valid(int code);

/* Validate and normalise one value for field f.  `in` is the user's text
 * (leading/trailing white space is trimmed); an empty result means "no
 * value".  Text must be valid UTF-8 without control characters (newline
 * and tab allowed only for multi-line fields).  *out is malloc'd (NULL for
 * empty).  Enum and set fields accept codes or labels in either language. */
tz_status tz_valid_field(const tz_table *t, const tz_field *f, const char *in, char **out,
			 tz_err *err);

/* 1 if s is valid UTF-8. */
int tz_utf8_valid(const char *s, size_t len);

#endif
