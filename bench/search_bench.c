/* search_bench.c - latency of `taizhang search` on a big database.
 *
 * Usage: search_bench DB [QUERIES] [SEED]
 * Takes a sample of the database's persons, makes QUERIES (default 1000)
 * queries of the kinds staff type -- a whole name, a surname and the first
 * character of the given name, pinyin initials, full pinyin, the last four
 * digits of an ID number, the first seven digits of a phone -- runs each
 * through tz_search (limit 50, as the CLI) on one connection, and prints
 * the median, p90, p99 and max latency, by kind and in all (wall clock, and
 * CPU time for all).  Then the same
 * for a baseline: a scan of the whole person table per query (name LIKE
 * '%x%'), which is what a search without the index costs.
 *
 * Not part of `make test`: timings belong in benchmarks (bench/search.sh).
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/pinyin.h"
#include "taizhang/search.h"
#include "taizhang/db_sql.h"
#include "taizhang/db.h"

enum { Q_NAME, Q_NAME2, Q_INITIALS, Q_PINYIN, Q_ID4, Q_PHONE7, Q_KINDS };
static const char *const kind_label[Q_KINDS] = {"name", "name_start", "initials", "pinyin",
						"id_last4", "phone_start"};

typedef struct {
	int kind;
	char text[TZ_PINYIN_LEN];
	double us, cpu; /* wall-clock and CPU time */
	int hits;
} query;

static double clock_us(clockid_t c)
{
	struct timespec ts;
	clock_gettime(c, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}
static double now_us(void) { return clock_us(CLOCK_MONOTONIC); }
static double cpu_us(void) { return clock_us(CLOCK_PROCESS_CPUTIME_ID); }

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static int count_hit(void *ctx, const tz_search_hit *h)
{
	(void)h;
	(*(int *)ctx)++;
	return 0;
}

/* a small deterministic generator (xorshift) */
static uint64_t rng_state = 88172645463325252ULL;
static uint64_t rnd(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

static void report(const char *what, double *v, int n)
{
	if (n == 0)
		return;
	qsort(v, (size_t)n, sizeof *v, cmp_double);
	double sum = 0;
	for (int i = 0; i < n; i++)
		sum += v[i];
	int p90 = (int)(0.90 * (n - 1) + 0.5), p99 = (int)(0.99 * (n - 1) + 0.5);
	printf("%-12s %5d  median %8.3f ms  p90 %8.3f ms  p99 %8.3f ms  max %8.3f ms  mean %8.3f ms\n",
	       what, n, v[n / 2] / 1000, v[p90] / 1000, v[p99] / 1000, v[n - 1] / 1000,
	       sum / n / 1000);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: search_bench DB [QUERIES] [SEED]\n");
		return 2;
	}
	int nq = argc > 2 ? atoi(argv[2]) : 1000;
	if (nq < Q_KINDS)
		nq = Q_KINDS;
	if (argc > 3)
		rng_state ^= strtoull(argv[3], NULL, 10) * 0x9E3779B97F4A7C15ULL;
	tz_db *db;
	tz_err err = {0};
	if (tz_db_open(&db, argv[1], 0, &err)) {
		fprintf(stderr, "search_bench: %s\n", err.msg);
		return 1;
	}
	sqlite3 *s = tz_db_sql(db);

	/* a sample of persons to make queries from (not timed) */
	long persons = 0;
	sqlite3_stmt *st;
	sqlite3_prepare_v2(s, "SELECT count(*) FROM person WHERE _deleted = 0", -1, &st, NULL);
	if (sqlite3_step(st) == SQLITE_ROW)
		persons = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if (persons < 100) {
		fprintf(stderr, "search_bench: too few persons (%ld)\n", persons);
		return 1;
	}
	/* ids are random: a range from a random 32-bit prefix is a fair sample */
	query *q = calloc((size_t)nq, sizeof *q);
	sqlite3_prepare_v2(s,
			   "SELECT name, id_number, phone FROM person WHERE id >= ?1 AND _deleted = 0"
			   " AND id_number IS NOT NULL AND phone IS NOT NULL LIMIT 1",
			   -1, &st, NULL);
	for (int i = 0; i < nq; i++) {
		char from[16];
		snprintf(from, sizeof from, "%08x", (unsigned)(rnd() >> 32));
		sqlite3_bind_text(st, 1, from, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(st) != SQLITE_ROW) {
			sqlite3_reset(st);
			i--;
			continue;
		}
		const char *name = (const char *)sqlite3_column_text(st, 0);
		const char *idn = (const char *)sqlite3_column_text(st, 1);
		const char *phone = (const char *)sqlite3_column_text(st, 2);
		query *x = &q[i];
		x->kind = i % Q_KINDS;
		tz_pinyin_list l;
		switch (x->kind) {
		case Q_NAME:
			snprintf(x->text, sizeof x->text, "%s", name);
			break;
		case Q_NAME2: /* surname and one more character: many matches */
			snprintf(x->text, sizeof x->text, "%.6s", name);
			break;
		case Q_INITIALS:
			tz_pinyin_initials(name, TZ_PINYIN_NAME, &l);
			snprintf(x->text, sizeof x->text, "%s", l.n ? l.s[0] : "zs");
			break;
		case Q_PINYIN:
			tz_pinyin_full(name, TZ_PINYIN_NAME, &l);
			snprintf(x->text, sizeof x->text, "%s", l.n ? l.s[0] : "zhang");
			break;
		case Q_ID4:
			snprintf(x->text, sizeof x->text, "%s", idn + strlen(idn) - 4);
			break;
		default:
			snprintf(x->text, sizeof x->text, "%.7s", phone);
		}
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);

	/* the searches, in the sample's (random) order */
	double *all = malloc(sizeof(double) * (size_t)nq);
	double *byk = malloc(sizeof(double) * (size_t)nq);
	long hits = 0;
	for (int i = 0; i < nq; i++) {
		int n = 0;
		double c0 = cpu_us(), t0 = now_us();
		if (tz_search(db, q[i].text, 0, count_hit, &n, &err)) {
			fprintf(stderr, "search_bench: %s: %s\n", q[i].text, err.msg);
			return 1;
		}
		q[i].us = now_us() - t0;
		q[i].cpu = cpu_us() - c0;
		q[i].hits = n;
		all[i] = q[i].us;
		hits += n;
	}
	printf("database     %s: %ld persons\n", argv[1], persons);
	printf("searches     %d queries, %.1f hits on average (limit %d)\n", nq, (double)hits / nq,
	       TZ_SEARCH_LIMIT);
	for (int k = 0; k < Q_KINDS; k++) {
		int n = 0;
		for (int i = 0; i < nq; i++)
			if (q[i].kind == k)
				byk[n++] = q[i].us;
		report(kind_label[k], byk, n);
	}
	report("all", all, nq);
	/* the same in CPU time: on a busy machine the wall clock also counts
	 * the time other processes had the CPU */
	for (int i = 0; i < nq; i++)
		byk[i] = q[i].cpu;
	report("all (cpu)", byk, nq);
	double worst = 0;
	int wi = 0;
	for (int i = 0; i < nq; i++)
		if (q[i].us > worst)
			worst = q[i].us, wi = i;
	printf("slowest      '%s' (%s, %d hits)\n", q[wi].text, kind_label[q[wi].kind], q[wi].hits);
	double search_median = all[nq / 2]; /* report() sorted it */

	/* baseline: a full scan per query, as without the index */
	int nb = nq / 50 < 10 ? 10 : nq / 50;
	double *base = malloc(sizeof(double) * (size_t)nb);
	sqlite3_prepare_v2(s,
			   "SELECT count(*) FROM person WHERE _deleted = 0 AND"
			   " (name LIKE ?1 OR id_number LIKE ?1 OR phone LIKE ?1)",
			   -1, &st, NULL);
	for (int i = 0; i < nb; i++) {
		char pat[TZ_PINYIN_LEN + 4];
		snprintf(pat, sizeof pat, "%%%s%%", q[(i * 7) % nq].text);
		double t0 = now_us();
		sqlite3_bind_text(st, 1, pat, -1, SQLITE_TRANSIENT);
		sqlite3_step(st);
		sqlite3_reset(st);
		base[i] = now_us() - t0;
	}
	sqlite3_finalize(st);
	report("baseline", base, nb);
	printf("ratio        full scan median / search median = %.0f\n",
	       base[nb / 2] / search_median);
	free(base);
	free(all);
	free(byk);
	free(q);
	tz_db_close(db);
	return 0;
}
