/* validate.h - field validation and normalisation (core/validate.c): one
 * value for one field of the schema.  The code-like values (ID numbers,
 * dates, phones...) are base's (valid.h, included here).
 *
 * Pure functions: no database.  Each error names the field and the rule in
 * the current language (err.h).  Normalised output is what is stored.
 */
#ifndef TAIZHANG_VALIDATE_H
#define TAIZHANG_VALIDATE_H

#include <stddef.h>

#include "taizhang/err.h"
#include "taizhang/schema.h"
#include "taizhang/valid.h"

/* Validate and normalise one value for field f.  `in` is the user's text
 * (leading/trailing white space is trimmed); an empty result means "no
 * value".  Text must be valid UTF-8 without control characters (newline
 * and tab allowed only for multi-line fields).  *out is malloc'd (NULL for
 * empty).  Enum and set fields accept codes or labels in either language. */
tz_status tz_validate_field(const tz_table *t, const tz_field *f, const char *in, char **out,
			 tz_err *err);

#endif
