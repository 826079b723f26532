/* authority_bench.c - what the import's authority checks cost
 * (core/authority.c), for bench/bench.sh.
 *
 * Usage: authority_bench DB ORIGIN ROLE REGION
 * Reads every op of device ORIGIN (32 hex digits) from DB's op log (not
 * timed), then, timed, runs tz_authority_check on each as an import does
 * for a device of ROLE (village, township, county) and REGION, against the
 * state as it stands.  Prints "ops=N allowed=N wall=S cpu=S".
 *
 * Not part of `make test`: timings belong in benchmarks.
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/db.h"
#include "taizhang/db_sql.h"
#include "taizhang/hex.h"
#include "taizhang/oplog.h"

typedef struct {
	tz_op *v;
	size_t n, cap;
} ops;

static int keep(void *ctx, const tz_op *op)
{
	ops *s = ctx;
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 4096;
		tz_op *v = realloc(s->v, s->cap * sizeof *v);
		if (!v)
			return 1;
		s->v = v;
	}
	tz_op *o = &s->v[s->n++];
	*o = *op;
	uint8_t *d = malloc(op->len + 1);
	if (!d)
		return 1;
	memcpy(d, op->data, op->len);
	o->data = d;
	return 0;
}

static double now(clockid_t c)
{
	struct timespec t;
	clock_gettime(c, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: authority_bench DB ORIGIN ROLE REGION\n");
		return 2;
	}
	tz_db *db = NULL;
	tz_err err = {0};
	uint8_t origin[16];
	if (tz_hex_decode(argv[2], origin, 16)) {
		fprintf(stderr, "authority_bench: ORIGIN is 32 hex digits\n");
		return 2;
	}
	if (tz_db_open(&db, argv[1], 0, &err)) {
		fprintf(stderr, "authority_bench: %s\n", err.msg);
		return 1;
	}
	tz_authority a = {.role = tz_db_role_parse(argv[3])};
	snprintf(a.region, sizeof a.region, "%s", argv[4]);
	ops s = {0};
	if (tz_oplog_read(db, origin, 1, UINT64_MAX, keep, &s, &err)) {
		fprintf(stderr, "authority_bench: %s\n", err.msg);
		return 1;
	}
	int64_t idx = tz_db_origin_idx(db, origin, 0);
	size_t allowed = 0;
	char why[300];
	double w0 = now(CLOCK_MONOTONIC), c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	for (size_t i = 0; i < s.n; i++)
		allowed += tz_authority_check(db, &a, &s.v[i], idx, why, sizeof why) == 0;
	double w1 = now(CLOCK_MONOTONIC), c1 = now(CLOCK_PROCESS_CPUTIME_ID);
	printf("ops=%zu allowed=%zu wall=%.3f cpu=%.3f\n", s.n, allowed, w1 - w0, c1 - c0);
	for (size_t i = 0; i < s.n; i++)
		free((void *)s.v[i].data);
	free(s.v);
	tz_db_close(db);
	return 0;
}
