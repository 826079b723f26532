/* roster.h - importing a CSV roster into a table, all or nothing
 * (core/roster.c).
 */
#ifndef TAIZHANG_ROSTER_H
#define TAIZHANG_ROSTER_H

#include "taizhang/csv.h"
#include "taizhang/db.h"
#include "taizhang/err.h"

typedef struct {
	long rows;        /* data records read (blank and all-empty rows skipped) */
	long imported;    /* records written: rows, or 0 if anything was bad */
	long bad;         /* bad lines found */
	int truncated;    /* stopped after TZ_CSV_MAX_BAD bad lines */
	char (*ids)[33];  /* the new ids in file order: `imported` entries */
} tz_csv_report;

void tz_csv_report_free(tz_csv_report *rep);

/* Import a CSV roster into table: the header row names the columns (field
 * names or their Chinese or English labels), each further row becomes a
 * record through tz_record_add.  A person's ID number may not appear twice in
 * the file nor belong to a live person already.  All in one transaction:
 * every bad line goes to bad(ctx, line, msg) and, if there was any, nothing
 * is written and TZ_EINVAL returned (err: "nothing imported: N bad lines").
 * path "-" reads standard input.  encoding NULL means utf-8.  A missing or
 * unreadable file is TZ_EIO; an unknown table or encoding TZ_EUSAGE. */
tz_status tz_csv_import(tz_db *db, const char *table, const char *path, const char *encoding,
			tz_csv_bad_fn bad, void *ctx, tz_csv_report *rep, tz_err *err);

/* The same on an open reader (the caller closes it). */
tz_status tz_csv_import_reader(tz_db *db, const char *table, tz_csv *c, tz_csv_bad_fn bad,
			       void *ctx, tz_csv_report *rep, tz_err *err);

#endif
