/* test_demo.c - the demo generator: deterministic, valid, realistic. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/demo.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/db.h"
#include "taizhang/validate.h"
#include "tz_test.h"

/* ---- helpers ---- */

static tz_db *make_db(const char *name, uint64_t seed, int villages, int households,
		      tz_demo_stats *stats)
{
	char path[512];
	tz_err err = {0};
	tz_db *db = NULL;
	snprintf(path, sizeof path, "%s/%s.db", tz_test_tmpdir(), name);
	remove(path);
	if (tz_db_open(&db, path, TZ_OPEN_CREATE, &err)) {
		printf("open %s: %s\n", path, err.msg);
		return NULL;
	}
	if (tz_db_set_identity(db, TZ_ROLE_TOWNSHIP, "430181100000", "测试镇", &err)) {
		printf("identity: %s\n", err.msg);
		tz_db_close(db);
		return NULL;
	}
	tz_demo_opts o = {.seed = seed, .villages = villages, .households = households,
			  .region = "430181"};
	if (tz_demo_fill(db, &o, stats, &err)) {
		printf("demo: %s\n", err.msg);
		tz_db_close(db);
		return NULL;
	}
	return db;
}

typedef struct {
	char *s;
	size_t len, cap;
} sbuf;

static void sb_add(sbuf *b, const char *s)
{
	size_t n = strlen(s);
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		b->s = realloc(b->s, b->cap);
		if (!b->s)
			abort();
	}
	memcpy(b->s + b->len, s, n + 1);
	b->len += n;
}

static int dump_cb(void *ctx, const tz_row *r)
{
	sbuf *b = ctx;
	sb_add(b, r->table->name);
	sb_add(b, "\t");
	sb_add(b, r->id);
	for (int i = 0; i < r->table->nfields; i++) {
		sb_add(b, "\t");
		sb_add(b, r->vals[i] ? r->vals[i] : "\\N");
	}
	sb_add(b, "\n");
	return 0;
}

/* Every live row of every table, all columns, in table and id order. */
static char *canonical(tz_db *db)
{
	sbuf b = {0};
	tz_err err = {0};
	sb_add(&b, "");
	for (int t = 0; t < tz_schema_ntables; t++)
		if (tz_record_list(db, tz_schema_tables[t]->name, NULL, 0, dump_cb, &b, &err))
			printf("list: %s\n", err.msg);
	return b.s;
}

static long count_rows(tz_db *db, const char *table, const char *field, const char *value)
{
	long n = 0;
	tz_err err = {0};
	tz_kv w = {field, value};
	sbuf b = {0};
	tz_record_list(db, table, field ? &w : NULL, field ? 1 : 0, dump_cb, &b, &err);
	for (size_t i = 0; i < b.len; i++)
		n += b.s[i] == '\n';
	free(b.s);
	return n;
}

/* ---- validity: every field re-validated, every row re-checked ---- */

#define TODAY "2025-06-15"

typedef struct {
	tz_db *db;
	long rows, bad_fields, bad_rows, dangling, future;
} valid_ctx;

/* Dates of things that have happened: not after today. */
static int past_only(const char *field)
{
	static const char *const f[] = {"date", "opened", "closed", "cancelled", "outcome_date",
					"birth_date", "unemployed_since", "zero_emp_since",
					"zero_emp_cleared"};
	for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
		if (!strcmp(field, f[i]))
			return 1;
	return 0;
}

static int valid_cb(void *ctx, const tz_row *r)
{
	valid_ctx *c = ctx;
	const tz_table *t = r->table;
	tz_err err = {0};
	char **copy = calloc((size_t)t->nfields, sizeof *copy);
	c->rows++;
	for (int i = 0; i < t->nfields; i++) {
		const tz_field *f = &t->fields[i];
		const char *v = r->vals[i];
		if (!v)
			continue;
		char *out = NULL;
		if (tz_validate_field(t, f, v, &out, &err) || !out || strcmp(out, v)) {
			if (c->bad_fields++ < 10)
				printf("  bad %s.%s = \"%s\" (%s, normalised \"%s\")\n", t->name, f->name, v,
				       err.msg, out ? out : "");
		}
		free(out);
		if (f->type == TZ_T_DATE && past_only(f->name) && strcmp(v, TODAY) > 0 &&
		    c->future++ < 10)
			printf("  future %s.%s = %s\n", t->name, f->name, v);
		copy[i] = strdup(v);
		if (f->type == TZ_T_REF) {
			tz_row ref = {0};
			if (tz_record_get(c->db, f->ref, v, &ref, &err) || ref.deleted) {
				if (c->dangling++ < 10)
					printf("  dangling %s.%s = %s\n", t->name, f->name, v);
			}
			tz_record_row_free(&ref);
		}
	}
	if (tz_record_check(t, copy, &err)) {
		if (c->bad_rows++ < 10)
			printf("  bad %s row %s: %s\n", t->name, r->id, err.msg);
	}
	for (int i = 0; i < t->nfields; i++)
		free(copy[i]);
	free(copy);
	return 0;
}

/* ---- statistics over persons ---- */

typedef struct {
	long persons, labour, migrant, unemployed, student, retired;
	long edu70, edu60, edu80, edu_high; /* adults */
	long heads, age4050, disabled, dibao, poverty, zero_emp, long_unemp, graduate, veteran;
	long bad_age, wang, two_char;
	char (*hh)[33];
	char (*idn)[19];
	long n;
} pstats;

static int is_labour_status(const char *s)
{
	static const char *const l[] = {"local", "migrant", "flexible", "business", "public_post",
					"unemployed"};
	for (size_t i = 0; s && i < sizeof l / sizeof l[0]; i++)
		if (!strcmp(s, l[i]))
			return 1;
	return 0;
}

static int has_group(const char *set, const char *g)
{
	size_t n = strlen(g);
	for (const char *p = set; p && *p;) {
		if (!strncmp(p, g, n) && (p[n] == ',' || !p[n]))
			return 1;
		p = strchr(p, ',');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

static int person_cb(void *ctx, const tz_row *r)
{
	pstats *s = ctx;
	const tz_table *t = r->table;
#define V(name) (r->vals[tz_schema_field_find(t, name)])
	const char *emp = V("employment_status"), *edu = V("education"), *kg = V("key_groups");
	const char *birth = V("birth_date"), *g = V("gender");
	int age = atoi(TODAY) - atoi(birth) - (strcmp(birth + 5, TODAY + 5) > 0);
	s->persons++;
	s->wang += !strncmp(V("name"), "王", strlen("王"));
	s->two_char += strlen(V("name")) == 2 * strlen("王");
	if (age < 0 || age > 100)
		s->bad_age++;
	int working = age >= 16 && age <= (g && !strcmp(g, "M") ? 59 : 54);
	if (working && is_labour_status(emp)) {
		s->labour++;
		s->migrant += !strcmp(emp, "migrant");
		s->unemployed += !strcmp(emp, "unemployed");
	}
	s->student += emp && !strcmp(emp, "student");
	s->retired += emp && !strcmp(emp, "retired");
	if (age >= 25 && edu) {
		s->edu70 += !strcmp(edu, "70");
		s->edu60 += !strcmp(edu, "60");
		s->edu80 += !strcmp(edu, "80");
		s->edu_high += !strcmp(edu, "30") || !strcmp(edu, "20");
	}
	s->heads += V("relation") && !strcmp(V("relation"), "head");
	s->age4050 += has_group(kg, "age4050");
	s->disabled += has_group(kg, "disabled");
	s->dibao += has_group(kg, "dibao");
	s->poverty += has_group(kg, "poverty");
	s->zero_emp += has_group(kg, "zero_emp");
	s->long_unemp += has_group(kg, "long_unemp");
	s->graduate += has_group(kg, "graduate");
	s->veteran += has_group(kg, "veteran");
	if (V("household"))
		memcpy(s->hh[s->n], V("household"), 33);
	else
		s->hh[s->n][0] = 0;
	memcpy(s->idn[s->n], V("id_number") ? V("id_number") : "", 19);
	s->n++;
#undef V
	return 0;
}

static int cmp33(const void *a, const void *b) { return strcmp(a, b); }
static int cmp19(const void *a, const void *b) { return strcmp(a, b); }

typedef struct {
	long n, zero, zero_cleared;
} hstats;

static int household_cb(void *ctx, const tz_row *r)
{
	hstats *s = ctx;
	const char *flags = r->vals[tz_schema_field_find(r->table, "flags")];
	s->n++;
	if (has_group(flags, "zero_emp")) {
		s->zero++;
		s->zero_cleared += r->vals[tz_schema_field_find(r->table, "zero_emp_cleared")] != NULL;
	}
	return 0;
}

typedef struct {
	char hh[33], date[11], next[11];
} vrow;

typedef struct {
	long n, cap, low, last_year;
	vrow *v;
} vstats;

static int visit_cb(void *ctx, const tz_row *r)
{
	vstats *s = ctx;
	const char *next = r->vals[tz_schema_field_find(r->table, "next_visit")];
	const char *date = r->vals[tz_schema_field_find(r->table, "date")];
	const char *sat = r->vals[tz_schema_field_find(r->table, "satisfaction")];
	if (s->n < s->cap) {
		vrow *v = &s->v[s->n];
		snprintf(v->hh, sizeof v->hh, "%s", r->vals[tz_schema_field_find(r->table, "household")]);
		snprintf(v->date, sizeof v->date, "%s", date ? date : "");
		snprintf(v->next, sizeof v->next, "%s", next ? next : "");
	}
	s->n++;
	s->low += sat && atoi(sat) < 3;
	s->last_year += date && strcmp(date, "2024-06-15") >= 0;
	return 0;
}

static int vrow_cmp(const void *a, const void *b)
{
	const vrow *x = a, *y = b;
	int c = strcmp(x->hh, y->hh);
	return c ? c : strcmp(x->date, y->date);
}

/* ---- tests ---- */

TEST(deterministic)
{
	tz_demo_stats a, b, c;
	tz_db *d1 = make_db("det1", 42, 2, 60, &a);
	tz_db *d2 = make_db("det2", 42, 2, 60, &b);
	tz_db *d3 = make_db("det3", 43, 2, 60, &c);
	CHECK(d1 && d2 && d3);
	if (!d1 || !d2 || !d3)
		return;
	char *s1 = canonical(d1), *s2 = canonical(d2), *s3 = canonical(d3);
	CHECK(strlen(s1) > 10000);
	CHECK_INT(strlen(s1), strlen(s2));
	CHECK(strcmp(s1, s2) == 0);
	CHECK(strcmp(s1, s3) != 0);
	CHECK_INT(a.ops, b.ops);
	for (int t = 0; t < tz_schema_ntables; t++)
		CHECK_INT(a.count[t], b.count[t]);
	/* the same seed again on the same database rewrites the same rows */
	tz_err err = {0};
	tz_demo_opts o = {.seed = 42, .villages = 2, .households = 60, .region = "430181"};
	CHECK_INT(tz_demo_fill(d1, &o, NULL, &err), TZ_OK);
	char *s4 = canonical(d1);
	CHECK(strcmp(s1, s4) == 0);
	free(s1);
	free(s2);
	free(s3);
	free(s4);
	tz_db_close(d1);
	tz_db_close(d2);
	tz_db_close(d3);
}

TEST(every_record_valid)
{
	tz_demo_stats st;
	tz_db *db = make_db("valid", 7, 3, 120, &st);
	CHECK(db != NULL);
	if (!db)
		return;
	tz_err err = {0};
	for (int t = 0; t < tz_schema_ntables; t++) {
		valid_ctx c = {.db = db};
		CHECK_INT(tz_record_list(db, tz_schema_tables[t]->name, NULL, 0, valid_cb, &c, &err), TZ_OK);
		CHECK(c.rows > 0);
		CHECK_INT(c.rows, st.count[t]);
		CHECK_INT(c.bad_fields, 0);
		CHECK_INT(c.bad_rows, 0);
		CHECK_INT(c.dangling, 0);
		CHECK_INT(c.future, 0);
		if (c.bad_fields || c.bad_rows || c.dangling || c.future)
			printf("  in table %s\n", tz_schema_tables[t]->name);
	}
	CHECK_INT(st.villages, 3);
	CHECK_STR(st.county, "430181");
	CHECK_INT(count_rows(db, "household", NULL, NULL), 360);
	CHECK_INT(count_rows(db, "household", "village", "430181100203"), 120);
	/* 2-3 staff per village and 3 for the township */
	long staff = count_rows(db, "staff", NULL, NULL);
	CHECK(staff >= 3 + 3 * 2 && staff <= 3 + 3 * 3);
	CHECK_INT(count_rows(db, "staff", "region", "430181100000"), 3);
	CHECK(count_rows(db, "aid_case", "close_reason", "employed") > 0);
	CHECK(count_rows(db, "aid_case", "status", "active") > 0);
	CHECK(count_rows(db, "referral", "status", "hired") > 0);
	CHECK(count_rows(db, "registration", "kind", "unemployment") > 0);
	CHECK(count_rows(db, "registration", "kind", "employment") > 0);
	CHECK(count_rows(db, "employer", NULL, NULL) >= 12);
	CHECK(count_rows(db, "vacancy", NULL, NULL) >= count_rows(db, "employer", NULL, NULL));
	tz_db_close(db);
}

TEST(realistic)
{
	tz_demo_stats st;
	tz_db *db = make_db("real", 2024, 3, 400, &st);
	CHECK(db != NULL);
	if (!db)
		return;
	tz_err err = {0};
	long np = st.count[tz_schema_table_index(tz_schema_table_find("person"))];
	pstats s = {0};
	s.hh = calloc((size_t)np + 1, sizeof *s.hh);
	s.idn = calloc((size_t)np + 1, sizeof *s.idn);
	CHECK_INT(tz_record_list(db, "person", NULL, 0, person_cb, &s, &err), TZ_OK);
	CHECK_INT(s.persons, np);
	CHECK_INT(s.bad_age, 0);
	/* names: the commonest surname about 7%, a third of names two characters */
	CHECK(s.wang > np * 4 / 100 && s.wang < np * 10 / 100);
	CHECK(s.two_char > np * 25 / 100 && s.two_char < np * 42 / 100);
	/* about four persons per household, 1 to 6, one head each */
	CHECK_INT(s.heads, 1200);
	CHECK(np > 1200 * 3.5 && np < 1200 * 4.5);
	qsort(s.hh, (size_t)s.n, sizeof *s.hh, cmp33);
	long run = 0, maxrun = 0, households = 0, empty = 0;
	for (long i = 0; i < s.n; i++) {
		if (!s.hh[i][0]) {
			empty++;
			continue;
		}
		run = i > 0 && !strcmp(s.hh[i], s.hh[i - 1]) ? run + 1 : 1;
		households += run == 1;
		if (run > maxrun)
			maxrun = run;
	}
	CHECK_INT(empty, 0);
	CHECK_INT(households, 1200);
	CHECK(maxrun <= 6 && maxrun >= 5);
	/* ID numbers: unique, of the county */
	qsort(s.idn, (size_t)s.n, sizeof *s.idn, cmp19);
	long dups = 0, foreign = 0;
	for (long i = 0; i < s.n; i++) {
		dups += i > 0 && !strcmp(s.idn[i], s.idn[i - 1]);
		foreign += strncmp(s.idn[i], "430181", 6) != 0;
	}
	CHECK_INT(dups, 0);
	CHECK_INT(foreign, 0);
	/* employment mix of the labour force */
	double mig = (double)s.migrant / (double)s.labour, un = (double)s.unemployed / (double)s.labour;
	printf("  labour %ld, migrant %.1f%%, unemployed %.1f%%, students %ld, retired %ld\n",
	       s.labour, 100 * mig, 100 * un, s.student, s.retired);
	CHECK(mig > 0.25 && mig < 0.45);
	CHECK(un > 0.04 && un < 0.12);
	/* education: mostly junior high, then senior high and primary */
	CHECK(s.edu70 > s.edu60 && s.edu70 > s.edu80 && s.edu_high > 0);
	/* key groups */
	printf("  4050 %ld, disabled %ld, dibao %ld, poverty %ld, zero_emp %ld, long %ld, grad %ld\n",
	       s.age4050, s.disabled, s.dibao, s.poverty, s.zero_emp, s.long_unemp, s.graduate);
	CHECK(s.age4050 > 0 && s.disabled > 0 && s.dibao > 0 && s.poverty > 0);
	CHECK(s.zero_emp > 0 && s.long_unemp > 0 && s.veteran > 0);
	CHECK(s.disabled > np / 200 && s.disabled < np / 25);
	/* zero-employment households: about 0.5%, at least one per village */
	hstats h = {0};
	CHECK_INT(tz_record_list(db, "household", NULL, 0, household_cb, &h, &err), TZ_OK);
	CHECK_INT(h.n, 1200);
	CHECK(h.zero >= 3 && h.zero <= 20);
	/* visits: one to six per household over the past year */
	long visits = st.count[tz_schema_table_index(tz_schema_table_find("visit"))];
	CHECK(visits >= 1200 && visits <= 6 * 1200);
	vstats vs = {.cap = visits, .v = calloc((size_t)visits, sizeof(vrow))};
	CHECK_INT(tz_record_list(db, "visit", NULL, 0, visit_cb, &vs, &err), TZ_OK);
	CHECK_INT(vs.n, visits);
	CHECK_INT(vs.last_year, visits);
	CHECK(vs.low < visits / 20); /* satisfaction mostly 3-5 */
	/* each household's latest visit: next one planned, some overdue by now */
	qsort(vs.v, (size_t)vs.n, sizeof *vs.v, vrow_cmp);
	long last = 0, overdue = 0, unordered = 0;
	for (long i = 0; i < vs.n; i++) {
		unordered += strcmp(vs.v[i].next, vs.v[i].date) < 0;
		if (i + 1 < vs.n && !strcmp(vs.v[i].hh, vs.v[i + 1].hh))
			continue;
		last++;
		overdue += strcmp(vs.v[i].next, TODAY) < 0;
	}
	printf("  households visited %ld, overdue %ld\n", last, overdue);
	CHECK_INT(last, 1200);
	CHECK_INT(unordered, 0);
	CHECK(overdue > last / 20 && overdue < last / 2);
	free(vs.v);
	free(s.hh);
	free(s.idn);
	tz_db_close(db);
}

TEST(refusals)
{
	char path[512];
	tz_err err = {0};
	tz_db *db = NULL;
	snprintf(path, sizeof path, "%s/noinit.db", tz_test_tmpdir());
	CHECK_INT(tz_db_open(&db, path, TZ_OPEN_CREATE, &err), TZ_OK);
	if (!db)
		return;
	tz_demo_opts o = {.villages = 1, .households = 5};
	CHECK_INT(tz_demo_fill(db, &o, NULL, &err), TZ_EUSAGE); /* no identity */
	CHECK_INT(tz_db_set_identity(db, TZ_ROLE_VILLAGE, "430181100201", "测试村", &err), TZ_OK);
	o.villages = TZ_DEMO_MAX_VILLAGES + 1;
	CHECK_INT(tz_demo_fill(db, &o, NULL, &err), TZ_EUSAGE);
	o.villages = 1;
	o.households = -1;
	CHECK_INT(tz_demo_fill(db, &o, NULL, &err), TZ_EUSAGE);
	o.households = 5;
	o.region = "990181";
	CHECK_INT(tz_demo_fill(db, &o, NULL, &err), TZ_EUSAGE);
	o.region = "43018";
	CHECK_INT(tz_demo_fill(db, &o, NULL, &err), TZ_EUSAGE);
	/* no region: this database's own county */
	o.region = NULL;
	tz_demo_stats st;
	CHECK_INT(tz_demo_fill(db, &o, &st, &err), TZ_OK);
	CHECK_STR(st.county, "430181");
	CHECK_INT(count_rows(db, "household", "village", "430181100201"), 5);
	tz_db_close(db);
}

int main(void)
{
	setenv("TAIZHANG_NOW", "2025-06-15", 1);
	setenv("TZ", "UTC", 1);
	RUN(deterministic);
	RUN(every_record_valid);
	RUN(realistic);
	RUN(refusals);
	return tz_test_done();
}
