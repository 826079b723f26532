/* authority_bench.c - what the import's authority checks cost
 * (core/authority.c), for bench/bench.sh.
 *
 * Usage: authority_bench SRC ORIGIN ROLE REGION DIR
 * Reads every op of device ORIGIN (32 hex digits) from SRC's op log (not
 * timed), then applies them all, as one import does (one transaction, the
 * import's page cache, batches of 262,144 ops), to two new township
 * databases in DIR: once as a device of ROLE and REGION, every op checked,
 * and once without the checks (as a device's own bundles are restored).
 * Prints "ops=N held=N checked_cpu=S unchecked_cpu=S" (CPU seconds of the
 * applies alone).
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

/* Apply every op to a new database at path, checked as a (or not); the
 * CPU seconds it took, or -1. */
static double apply_all(const char *path, const ops *s, const tz_authority *a, size_t *held)
{
	tz_db *db = NULL;
	tz_err err = {0};
	remove(path);
	if (tz_db_open(&db, path, TZ_OPEN_CREATE, &err) ||
	    tz_db_set_identity(db, TZ_ROLE_TOWNSHIP, "430181100000", "bench", &err)) {
		fprintf(stderr, "authority_bench: %s\n", err.msg);
		return -1;
	}
	tz_db_bulk(db, 1);
	double c0 = now(CLOCK_PROCESS_CPUTIME_ID);
	if (tz_db_begin(db, &err))
		return -1;
	tz_oplog_authority(db, a);
	for (size_t i = 0; i < s->n; i += 262144) {
		size_t n = s->n - i < 262144 ? s->n - i : 262144, got;
		if (tz_oplog_apply(db, s->v + i, n, &got, &err)) {
			fprintf(stderr, "authority_bench: %s\n", err.msg);
			return -1;
		}
	}
	*held = tz_oplog_denied(db) + tz_oplog_waiting(db);
	tz_oplog_authority(db, NULL);
	if (tz_db_commit(db, &err))
		return -1;
	double c1 = now(CLOCK_PROCESS_CPUTIME_ID);
	tz_db_bulk(db, 0);
	tz_db_close(db);
	return c1 - c0;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: authority_bench SRC ORIGIN ROLE REGION DIR\n");
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
	tz_db_close(db);
	char pa[4200], pb[4200];
	snprintf(pa, sizeof pa, "%s/checked.db", argv[5]);
	snprintf(pb, sizeof pb, "%s/unchecked.db", argv[5]);
	size_t held = 0, none = 0;
	double checked = apply_all(pa, &s, &a, &held), unchecked = apply_all(pb, &s, NULL, &none);
	const char *files[] = {pa, pb};
	for (int i = 0; i < 2; i++) {
		char f[4300];
		remove(files[i]);
		snprintf(f, sizeof f, "%s-wal", files[i]);
		remove(f);
		snprintf(f, sizeof f, "%s-shm", files[i]);
		remove(f);
	}
	if (checked < 0 || unchecked < 0)
		return 1;
	printf("ops=%zu held=%zu checked_cpu=%.3f unchecked_cpu=%.3f\n", s.n, held, checked, unchecked);
	for (size_t i = 0; i < s.n; i++)
		free((void *)s.v[i].data);
	free(s.v);
	return 0;
}
