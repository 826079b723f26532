/* demo.h - realistic synthetic data, deterministic for a seed.
 *
 * Fills an initialised database with villages of households, persons,
 * visits, assistance cases, employers, vacancies, referrals, registrations
 * and staff.  Every value is valid by construction (the unit test re-checks
 * every field and row) and written as ordinary local ops, so the data
 * replicates like any other.  Row ids come from the generator too: the
 * same seed, options and reference date give the same dump.
 *
 * The reference "today" is tz_clock_ms() (TAIZHANG_NOW fixes it).  Villages
 * are numbered from the county: village i has code
 *   CCCCCC TTT VVV  with TTT = 100 + i / 25 and VVV = 201 + i % 25,
 * so the first village of county 430181 is 430181100201.  One transaction
 * per village; memory does not grow with the number of villages.
 *
 * Running demo again on the same database: the same seed rewrites the same
 * rows (nothing is duplicated); another seed adds more households to the
 * same villages, and national ID numbers are only unique within one run.
 */
#ifndef TAIZHANG_DEMO_H
#define TAIZHANG_DEMO_H

#include <stdint.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

#define TZ_DEMO_MAX_VILLAGES 2000
#define TZ_DEMO_MAX_HOUSEHOLDS 10000 /* per village */
#define TZ_DEMO_MAX_TABLES 32

typedef struct {
	uint64_t seed;
	int villages;       /* 0: 3 */
	int households;     /* per village; 0: 300 */
	const char *region; /* county: the first 6 digits of a region code; NULL: this
			     * database's own region, else 430181 */
	/* called after each village (may be NULL) */
	void (*progress)(void *ctx, int done, int total);
	void *progress_ctx;
} tz_demo_opts;

typedef struct {
	long count[TZ_DEMO_MAX_TABLES]; /* rows written, by table index (tz_schema_tables) */
	long ops;                       /* all ops written */
	int villages;
	char county[7];
} tz_demo_stats;

/* Fill the database (which must have an identity).  o may be NULL for the
 * defaults; out may be NULL.  On failure the village in progress is rolled
 * back; villages already committed stay. */
tz_status tz_demo_fill(tz_db *db, const tz_demo_opts *o, tz_demo_stats *out, tz_err *err);

#endif
