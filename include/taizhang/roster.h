/* roster.h - importing a roster (花名册) as offices keep it in Excel, saved
 * as CSV, into a table: all or nothing, and idempotent (core/roster.c).
 *
 * Columns.  The header row names them: a field's name, its Chinese or
 * English label, or one of the other headers offices use for it (the
 * field's `aka` in the schema: 身份证号码, 联系电话, 家庭住址, ...).  序号-like
 * columns are ignored.  opts->map settles the rest ("HEADER=field", or
 * "HEADER=-" to skip the column); unknown headers are all reported at once,
 * each with the closest known field.
 *
 * Households.  A person roster may carry household columns (住址, 户主姓名,
 * 户类别, 村代码) and a 户/户号 column.  A 32-hex 户 value is an existing
 * household; any other value is a household number that groups the rows
 * sharing it; without one, rows are grouped by head-of-household name and
 * address.  Empty household cells below a filled one take its value (Excel's
 * merged cells save that way), except on a head's row.  A group becomes an
 * existing household when a member's ID number, or the village, address and
 * head name, match one; otherwise a new household in the database's own
 * village (or the row's village code).
 *
 * Re-importing.  A row whose person is already registered (same ID number,
 * or same name in the same existing household) adds nothing: it is "same",
 * or "differs" (each difference reported through opts->note) and with
 * opts->update its differing fields are set as an ordinary edit.
 *
 * Values.  Cells go through tz_record_add's validation, so codes accept
 * their labels and the names rosters use for them (大专, 长子, 在家务农).
 * A cell ="..." (how taizhang's own CSV keeps digits as text) is its inner
 * text.  ID and phone numbers that Excel has turned into numbers
 * (4.30181E+17, a lost leading 0) are refused with how to fix the column.
 */
#ifndef TAIZHANG_ROSTER_H
#define TAIZHANG_ROSTER_H

#include "taizhang/csv.h"
#include "taizhang/db.h"
#include "taizhang/err.h"

typedef struct {
	const char *const *map; /* "HEADER=field" / "HEADER=-" entries */
	int nmap;
	int dry_run;       /* do everything, then roll back */
	int update;        /* apply the differences of rows already there */
	tz_csv_bad_fn note; /* a row already there that differs (may be NULL) */
	void *note_ctx;
} tz_roster_opts;

/* How one column was read: its header and what it fills ("name",
 * "household.address", or "-" for a column ignored). */
typedef struct {
	char header[96];
	char target[48];
	int unknown;      /* a header no field answers to (reported as bad) */
	char suggest[48]; /* then the closest field, as a --map target; "" if none is close */
} tz_roster_col;

#define TZ_ROSTER_SAMPLE 3 /* data rows kept for a preview */

typedef struct {
	long rows;        /* data records read (blank and all-empty rows skipped) */
	long imported;    /* records added: 0 if anything was bad */
	long same;        /* rows already there, as the roster has them */
	long differ;      /* rows already there with other values */
	long updated;     /* of those, changed (opts->update) */
	long households;  /* households added */
	long hh_found;    /* households of the roster that were already there */
	long bad;         /* bad lines found */
	int truncated;    /* stopped after TZ_CSV_MAX_BAD bad lines */
	int dry_run;      /* nothing was written */
	char (*ids)[33];  /* the new ids in file order: `imported` entries */
	int ncols;
	tz_roster_col *cols; /* the header as read */
	int nsample;         /* the first data rows as the file has them, for a preview */
	char **sample;       /* nsample * ncols cells (NULL where a row is short) */
} tz_roster_report;

void tz_roster_report_free(tz_roster_report *rep);

/* Import a CSV roster into table as described above.  All in one
 * transaction: every bad line goes to bad(ctx, line, msg) and, if there was
 * any, nothing is written and TZ_EINVAL returned (err: "nothing imported: N
 * bad lines").  path "-" reads standard input.  encoding NULL means utf-8.
 * opts NULL means none.  A missing or unreadable file is TZ_EIO; an unknown
 * table or encoding, or a bad map entry, TZ_EUSAGE. */
tz_status tz_roster_import(tz_db *db, const char *table, const char *path, const char *encoding,
			const tz_roster_opts *opts, tz_csv_bad_fn bad, void *ctx,
			tz_roster_report *rep, tz_err *err);

/* The same on an open reader (the caller closes it). */
tz_status tz_roster_import_reader(tz_db *db, const char *table, tz_csv *c,
			       const tz_roster_opts *opts, tz_csv_bad_fn bad, void *ctx,
			       tz_roster_report *rep, tz_err *err);

#endif
