/* csv.h - reading CSV files (rosters as offices keep them).
 *
 * The reader streams RFC 4180 CSV: quoted fields with "" escapes, line
 * breaks inside quotes, CRLF, LF or CR line ends, a BOM skipped, blank lines
 * skipped.  A header line with tabs and no commas makes the file
 * TAB-separated.  Input is UTF-8 (validated) or GB18030 (which covers GBK
 * and GB2312, converted with iconv); a UTF-8 BOM means UTF-8 whatever was
 * asked.  There is no guessing otherwise: invalid UTF-8 is an error naming
 * its line and suggesting GB18030.  Records come out as UTF-8, line breaks
 * inside quotes as LF.  Each record carries the physical line it starts on.
 * Excel workbooks and UTF-16 text are recognised and refused by name.
 */
#ifndef TAIZHANG_CSV_H
#define TAIZHANG_CSV_H

#include <stddef.h>
#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

/* Hard limits; input beyond them is refused with a clear error. */
#define TZ_CSV_MAX_FIELD (64 * 1024)    /* bytes of one field, as UTF-8 */
#define TZ_CSV_MAX_FIELDS 256           /* fields of one record */
#define TZ_CSV_MAX_RECORD (1024 * 1024) /* bytes of one record, as UTF-8 */
#define TZ_CSV_MAX_BAD 1000             /* bad lines reported before giving up */

typedef enum { TZ_ENC_UTF8, TZ_ENC_GB18030 } tz_csv_enc;

/* "utf-8"/"utf8" or "gb18030" (also "gbk", "gb2312", "cp936"), any case;
 * -1 if unknown. */
int tz_csv_encoding_parse(const char *name);

typedef struct tz_csv tz_csv;

typedef struct {
	long line;    /* physical line (1-based) the record starts on */
	int n;        /* fields; 0 at the end of the input */
	char **field; /* NUL-terminated UTF-8, valid (and writable) until the next call */
	size_t *len;  /* their lengths in bytes */
} tz_csv_rec;

/* A reader over a stream (not closed by tz_csv_close) or over memory (not
 * copied: buf must outlive the reader). */
tz_status tz_csv_open(tz_csv **out, FILE *f, tz_csv_enc enc, tz_err *err);
tz_status tz_csv_open_mem(tz_csv **out, const char *buf, size_t len, tz_csv_enc enc,
			  tz_err *err);
void tz_csv_close(tz_csv *c);

/* The next non-blank record.  TZ_OK with rec->n > 0, or rec->n == 0 at the
 * end; TZ_EINVAL for malformed or wrongly encoded input (rec->line is the
 * line where it was found, err does not repeat it); TZ_EIO for a read error;
 * TZ_ENOMEM.  After an error every call returns it again. */
tz_status tz_csv_next(tz_csv *c, tz_csv_rec *rec, tz_err *err);

/* The separator in use (',' or '\t'), known after the first record. */
int tz_csv_separator(const tz_csv *c);

/* A bad line: its number (0 when the message concerns no single line) and
 * the reason, one line in the current language. */
typedef void (*tz_csv_bad_fn)(void *ctx, long line, const char *msg);

/* The reader's sticky status, and its message (for TZ_EIO: the read error). */
tz_status tz_csv_status(const tz_csv *c, const char **msg);

#endif
