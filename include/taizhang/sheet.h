/* sheet.h - tables for people: lists and reports as a spreadsheet opens them
 * (core/sheet.c).
 *
 * One writer, two forms.  CSV as Excel and LibreOffice read it on a
 * double-click: a UTF-8 BOM, CRLF line ends, RFC 4180 quoting, and every
 * value a spreadsheet would mangle kept as text by writing it ="…" (ID
 * numbers would lose their last three digits, phone numbers their leading
 * 0, codes turn into 4.30181E+11; a name beginning = + - @ would run as a
 * formula).  xlsx through libxlsxwriter: text cells for codes, numbers as
 * numbers, dates as dates, a bold frozen header row with a filter, columns
 * as wide as their text (CJK counted twice), A4 print setup with the title
 * and period in the page header and the header row on every page.
 *
 * Rows stream: CSV is written as it comes, xlsx through libxlsxwriter's
 * constant-memory mode, so a long list costs no more memory than a short one.
 * Errors are sticky and reported once, by tz_sheet_close.
 */
#ifndef TAIZHANG_SHEET_H
#define TAIZHANG_SHEET_H

#include <stdio.h>

#include "taizhang/err.h"

typedef enum { TZ_SHEET_CSV, TZ_SHEET_XLSX } tz_sheet_format;

/* "csv" or "xlsx"; -1 if neither. */
int tz_sheet_format_parse(const char *name);

typedef enum {
	TZ_COL_TEXT, /* free text; kept as text when it would read as a number, a date or a formula */
	TZ_COL_CODE, /* digits that are not a number (ID and phone numbers, region codes,
		      * certificate numbers): always text */
	TZ_COL_NUM,  /* a number (counts, ratios): numeric when it parses, else text */
	TZ_COL_DATE, /* YYYY-MM-DD: a date when it is one, else text */
} tz_col_kind;

typedef struct {
	const char *head; /* in the current language */
	tz_col_kind kind;
} tz_sheet_col;

/* Most rows one xlsx sheet holds below its header (Excel's limit). */
#define TZ_SHEET_XLSX_ROWS 1048575L

typedef struct tz_sheet tz_sheet;

/* A sheet written to path when it is not NULL (safely: a temporary file
 * beside it, renamed when closed; a full disk or a pulled stick leaves no
 * part of a file), else to f (CSV as it comes; xlsx when closed, through a
 * temporary file in $TMPDIR).  title names the sheet and heads every printed
 * page; subtitle (the period, the region; may be NULL) goes beside it.  The
 * columns are the header row. */
tz_status tz_sheet_open(tz_sheet **out, tz_sheet_format fmt, FILE *f, const char *path,
			const char *title, const char *subtitle, const tz_sheet_col *cols, int ncols,
			tz_err *err);

/* The next cell of the current row (NULL or "": empty), and a number. */
void tz_sheet_put(tz_sheet *s, const char *v);
void tz_sheet_putl(tz_sheet *s, long v);
/* Before its first cell: the current row is a total row (bold, a rule above). */
void tz_sheet_total(tz_sheet *s);
/* End the row (cells not put are empty). */
void tz_sheet_row(tz_sheet *s);
/* Rows written so far, header not counted. */
long tz_sheet_rows(const tz_sheet *s);

/* Finish and free: TZ_OK, or the first error (TZ_EIO naming the file; TZ_EINVAL
 * when an xlsx sheet would pass TZ_SHEET_XLSX_ROWS).  After an error nothing is
 * left at path.  tz_sheet_abort frees without finishing (nothing left at path). */
tz_status tz_sheet_close(tz_sheet *s, tz_err *err);
void tz_sheet_abort(tz_sheet *s);

/* One CSV cell as tz_sheet writes it (for tests): into out, NUL-terminated,
 * truncated to n - 1 bytes. */
void tz_sheet_csv_cell(const char *v, tz_col_kind kind, char *out, size_t n);

#endif
