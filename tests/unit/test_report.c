/* test_report.c - the monthly report against hand-computed figures.
 *
 * A township database (430181100000) with two villages, A = 430181100201
 * and B = 430181100202, a community 430181100001 that has only staff, and
 * a fixed clock: today is 2026-06-15.  The report for 2026-05 is as at
 * 2026-05-31; the hand computation of every figure is in the comments next
 * to the fixture and the checks (docs/reports.md has the definitions).
 *
 * Dates used by the definitions, as at 2026-05-31 (default settings):
 *   age >= 16          born on or before 2010-05-31
 *   men: age < 60      born after 1966-05-31
 *   women: age < 55    born after 1971-05-31
 *   unemployed long    unemployed_since before 2025-11-30 (6 months)
 *   zero-emp late      recognised before 2026-05-01 (more than 30 days)
 */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <wchar.h>

#include "core/internal.h"
#include "taizhang/utf8.h"
#include "taizhang/record.h"
#include "taizhang/report.h"
#include "taizhang/db.h"
#include "tz_test.h"

#define A "430181100201"
#define B "430181100202"
#define COMMUNITY "430181100001"
#define TOWNSHIP "430181100000"

static tz_db *db;

/* Add a record from "field=value" strings (NULL-terminated); the new id
 * in a rotating static buffer. */
static const char *add(const char *table, ...)
{
	static char ids[64][33];
	static int next;
	tz_kv kv[32];
	char buf[32][512];
	int n = 0;
	va_list ap;
	va_start(ap, table);
	for (const char *s; (s = va_arg(ap, const char *)) && n < 32; n++) {
		snprintf(buf[n], sizeof buf[n], "%s", s);
		char *eq = strchr(buf[n], '=');
		*eq = '\0';
		kv[n].name = buf[n];
		kv[n].value = eq + 1;
	}
	va_end(ap);
	char *id = ids[next++ % 64];
	tz_err err = {0};
	if (tz_record_add(db, table, kv, n, id, &err)) {
		printf("FIXTURE: add %s: %s\n", table, err.msg);
		exit(2);
	}
	return id;
}

static char hid[16][33], pid[32][33], cid[16][33], reg14[33];

static void fixture(void)
{
	char hh[64], ca[64];
	/* ---- households ----
	 * HA1 A plain; HA2 A zero_emp since 04-10 (at end, late: 51 days);
	 * HA3 A zero_emp since 05-20 (at end, new, 11 days); HA4 A zero_emp
	 * since 03-01 cleared 05-10 (cleared in May); HA5 A zero_emp since
	 * 06-05 (not yet for May); HB1 B plain; HB2 B zero_emp since 05-02
	 * cleared 05-25 (new and cleared in May); HX A deleted (below). */
	strcpy(hid[1], add("household", "village=" A, "address=金塘村1组1号", "head_name=王大山",
			   NULL));
	strcpy(hid[2], add("household", "village=" A, "address=金塘村1组2号", "head_name=李秀英",
			   "flags=zero_emp", "zero_emp_since=2026-04-10", NULL));
	strcpy(hid[3], add("household", "village=" A, "address=金塘村2组3号", "head_name=张建国",
			   "flags=零就业家庭,低保户", "zero_emp_since=2026-05-20", NULL));
	strcpy(hid[4], add("household", "village=" A, "address=金塘村2组4号", "head_name=刘平",
			   "flags=zero_emp", "zero_emp_since=2026-03-01",
			   "zero_emp_cleared=2026-05-10", NULL));
	strcpy(hid[5], add("household", "village=" A, "address=金塘村3组5号", "head_name=陈红",
			   "flags=zero_emp", "zero_emp_since=2026-06-05", NULL));
	strcpy(hid[6], add("household", "village=" B, "address=石山村1组1号", "head_name=杨林",
			   NULL));
	strcpy(hid[7], add("household", "village=" B, "address=石山村1组2号", "head_name=黄梅",
			   "flags=zero_emp", "zero_emp_since=2026-05-02",
			   "zero_emp_cleared=2026-05-25", NULL));
	strcpy(hid[8], add("household", "village=" A, "address=已删除", "flags=zero_emp",
			   "zero_emp_since=2026-05-01", NULL));
	/* HB3 B zero_emp since 05-30 (at end, new, 1 day), never visited, with
	 * a head name and address too long for the text layout */
	strcpy(hid[9], add("household", "village=" B,
			   "address=湖南省长沙市浏阳市永安镇石山村第十八村民小组一百二十八号附"
			   "近原供销社旧址东侧第二栋三单元五楼五百零一室",
			   "head_name=欧阳诸葛司马上官东方西门", "flags=zero_emp",
			   "zero_emp_since=2026-05-30", NULL));

	/* ---- persons of A ---- (labour force: L; excluded: x) */
#define P(i, h, ...) (snprintf(hh, sizeof hh, "household=%s", hid[h]), \
		      strcpy(pid[i], add("person", hh, __VA_ARGS__, NULL)))
	/* a1 M 46 local/county: L, employed local; dibao */
	P(1, 1, "name=甲一", "gender=M", "birth_date=1980-03-02", "employment_status=local",
	  "work_range=county", "key_groups=dibao");
	/* a2 F 35 migrant/outside: L, employed migrant */
	P(2, 1, "name=甲二", "gender=F", "birth_date=1990-07-01", "employment_status=migrant",
	  "work_range=outside");
	/* a3 M born 1966-05-31: 60 on 05-31, x (age) */
	P(3, 1, "name=甲三", "gender=M", "birth_date=1966-05-31", "employment_status=local");
	/* a4 M born 1966-06-01: 59, flexible in the province: L, employed migrant (by
	 * range); age4050 */
	P(4, 2, "name=甲四", "gender=M", "birth_date=1966-06-01", "employment_status=flexible",
	  "work_range=province", "key_groups=age4050");
	/* a5 F born 1971-06-01: 54, unemployed since 2025-10-01 (long), wants
	 * work: L, unemployed, long, seeker; age4050, long_unemp, zero_emp */
	P(5, 2, "name=甲五", "gender=F", "birth_date=1971-06-01", "employment_status=unemployed",
	  "unemployed_since=2025-10-01", "want_work=1", "key_groups=age4050,long_unemp,zero_emp");
	/* a6 F born 1971-05-31: 55, x (age); zero_emp, disabled not counted */
	P(6, 5, "name=甲六", "gender=F", "birth_date=1971-05-31", "employment_status=unemployed",
	  "key_groups=zero_emp,disabled");
	/* a7 M born 2010-05-31: 16 on 05-31, unemployed since 2026-01-15, does
	 * not want work: L, unemployed (not long, not a seeker); zero_emp */
	P(7, 3, "name=甲七", "gender=M", "birth_date=2010-05-31", "employment_status=unemployed",
	  "unemployed_since=2026-01-15", "want_work=0", "key_groups=zero_emp");
	/* a8 M born 2010-06-01: 15, x (age) */
	P(8, 3, "name=甲八", "gender=M", "birth_date=2010-06-01", "employment_status=unemployed");
	/* a9 M 41 student: x (status) */
	P(9, 4, "name=甲九", "gender=M", "birth_date=1985-01-01", "employment_status=student");
	/* a10 F 31 no status: L, status unknown */
	P(10, 4, "name=甲十", "gender=F", "birth_date=1995-02-02");
	/* a11 M 37 business, no range: L, employed local; disabled */
	P(11, 5, "name=甲十一", "gender=M", "birth_date=1988-08-08", "employment_status=business",
	  "key_groups=disabled");
	/* a12 F 46 unemployed but no work ability: x (ability) */
	P(12, 5, "name=甲十二", "gender=F", "birth_date=1980-01-01", "employment_status=unemployed",
	  "work_ability=none");
	/* a13 M no birth date: x (age unknown) */
	P(13, 5, "name=甲十三", "gender=M", "employment_status=local");
	/* a14 in the deleted household HX: not counted at all */
	P(14, 8, "name=甲十四", "gender=M", "birth_date=1980-01-01", "employment_status=unemployed");

	/* ---- persons of B ---- */
	/* b1 M 51 migrant/province: L, employed migrant; veteran, poverty */
	P(21, 6, "name=乙一", "gender=M", "birth_date=1975-05-05", "employment_status=migrant",
	  "work_range=province", "key_groups=veteran,poverty");
	/* b2 F 25 unemployed since 2026-05-03, wants work: L, unemployed, seeker;
	 * graduate */
	P(22, 6, "name=乙二", "gender=F", "birth_date=2000-12-12", "employment_status=unemployed",
	  "unemployed_since=2026-05-03", "want_work=是", "key_groups=graduate");
	/* b3 M 76 retired: x */
	P(23, 6, "name=乙三", "gender=M", "birth_date=1950-01-01", "employment_status=retired",
	  "key_groups=disabled");
	/* b4 F 28 military: x */
	P(24, 7, "name=乙四", "gender=F", "birth_date=1998-03-03", "employment_status=military");
	/* b5 M 33 public post in the county: L, employed local; zero_emp */
	P(25, 7, "name=乙五", "gender=M", "birth_date=1992-09-09", "employment_status=public_post",
	  "work_range=county", "key_groups=zero_emp");
	/* a person without a household: no village, not counted */
	strcpy(pid[30], add("person", "name=无户", "gender=F", "birth_date=1990-01-01",
			    "employment_status=unemployed", NULL));
#undef P

	/* ---- registrations ---- */
#define R(p, ...) (snprintf(hh, sizeof hh, "person=%s", pid[p]), add("registration", hh, __VA_ARGS__, NULL))
	R(5, "kind=unemployment", "date=2025-10-05", "cancelled=2026-01-01");
	R(5, "kind=unemployment", "date=2026-01-10");                        /* a5 counts once */
	R(7, "kind=unemployment", "date=2026-02-01", "cancelled=2026-05-20"); /* cancelled */
	R(7, "kind=unemployment", "date=2026-05-25");                        /* a7 counts */
	R(2, "kind=unemployment", "date=2026-06-02");                        /* after 05-31 */
	R(3, "kind=unemployment", "date=2026-03-01", "cancelled=2026-06-10"); /* a3 counts */
	strcpy(reg14, R(14, "kind=unemployment", "date=2026-03-01")); /* deleted below */
	R(22, "kind=unemployment", "date=2026-05-05");      /* b2 counts */
	R(21, "kind=employment", "date=2026-05-01", "form=migrant"); /* not unemployment */
#undef R

	/* ---- aid cases and actions ---- */
#define CASE(i, p, ...) (snprintf(hh, sizeof hh, "person=%s", pid[p]), \
			 strcpy(cid[i], add("aid_case", hh, __VA_ARGS__, NULL)))
#define ACT(i, ...) (snprintf(ca, sizeof ca, "aid_case=%s", cid[i]), add("aid_action", ca, __VA_ARGS__, NULL))
	/* cA1 a5 opened 04-12, active, no placement: open at end */
	CASE(1, 5, "opened=2026-04-12", "status=active");
	ACT(1, "date=2026-04-12", "kind=policy");
	ACT(1, "date=2026-04-20", "kind=job_referral");
	ACT(1, "date=2026-05-08", "kind=training");
	/* cA2 a7 opened 05-03 (new), closed 05-28 employed: placed by the
	 * latest measure up to 05-28 = job_referral (05-20); the subsidy of
	 * 05-29 comes after the closing */
	CASE(2, 7, "opened=2026-05-03", "status=closed", "closed=2026-05-28",
	     "close_reason=employed");
	ACT(2, "date=2026-05-03", "kind=guidance");
	ACT(2, "date=2026-05-10", "kind=training");
	ACT(2, "date=2026-05-20", "kind=job_referral");
	ACT(2, "date=2026-05-29", "kind=subsidy");
	/* cA3 a4 opened 01-10, closed 05-15 employed: measure training (02-01);
	 * follow-ups are not measures */
	CASE(3, 4, "opened=2026-01-10", "status=closed", "closed=2026-05-15",
	     "close_reason=employed");
	ACT(3, "date=2026-02-01", "kind=training");
	ACT(3, "date=2026-05-14", "kind=follow_up");
	/* cA4 a1 closed 04-30: before the period */
	CASE(4, 1, "opened=2026-02-01", "status=closed", "closed=2026-04-30",
	     "close_reason=employed");
	ACT(4, "date=2026-04-25", "kind=job_referral");
	/* cA5 a10 opened 05-20 (new), open */
	CASE(5, 10, "opened=2026-05-20");
	/* cA6 a2 closed 05-31 moved: closed in May, not a placement */
	CASE(6, 2, "opened=2026-03-01", "status=closed", "closed=2026-05-31",
	     "close_reason=moved");
	ACT(6, "date=2026-05-30", "kind=public_post"); /* not counted: see below */
	/* cA7 a11 closed 05-12 employed, only follow-ups: placed, other */
	CASE(7, 11, "opened=2026-03-03", "status=closed", "closed=2026-05-12",
	     "close_reason=employed");
	ACT(7, "date=2026-04-01", "kind=follow_up");
	/* cB1 b5 opened 05-02 (new), active, public post 05-25: placed by post */
	CASE(8, 25, "opened=2026-05-02", "status=active");
	ACT(8, "date=2026-05-25", "kind=public_post");
	/* cB2 b2 opened 05-06 (new), subsidy 05-10, public post 06-03 (after):
	 * not placed */
	CASE(9, 22, "opened=2026-05-06", "status=active");
	ACT(9, "date=2026-05-10", "kind=subsidy");
	ACT(9, "date=2026-06-03", "kind=public_post");
	/* cB3 b1 opened 06-02: after the as-at date, nothing */
	CASE(10, 21, "opened=2026-06-02");
	/* cB4 b1 opened 2025-12-01, closed 05-20 employed; subsidy and job
	 * referral on 05-20: same day, job_referral comes first */
	CASE(11, 21, "opened=2025-12-01", "status=closed", "closed=2026-05-20",
	     "close_reason=employed");
	ACT(11, "date=2026-05-20", "kind=subsidy");
	ACT(11, "date=2026-05-20", "kind=job_referral");
	/* cB5 b2 deleted: nothing */
	CASE(12, 22, "opened=2026-05-07");
	/* a14's case, in the deleted household: nothing */
	CASE(13, 14, "opened=2026-05-07");
#undef CASE
#undef ACT
	/* cA6 was closed as moved; its public post of 05-30 is still a
	 * placement by post (the person was placed, then moved): so A has
	 * placements cA2 (referral), cA3 (training), cA6 (post), cA7 (other). */

	/* ---- visits ---- */
#define V(h, ...) (snprintf(hh, sizeof hh, "household=%s", hid[h]), add("visit", hh, __VA_ARGS__, NULL))
	/* HA1: latest before May 04-18 plans 05-18: due; visited 05-16 (5) */
	V(1, "date=2026-03-10", "next_visit=2026-04-20", "satisfaction=3");
	V(1, "date=2026-04-18", "next_visit=2026-05-18", "satisfaction=4");
	V(1, "date=2026-05-16", "satisfaction=5");
	/* HA2: plan 05-10, no visit in May: due, overdue */
	V(2, "date=2026-04-12", "next_visit=2026-05-10", "satisfaction=3");
	/* HA3: plan 03-01 long overdue: due; visited 05-30 (no satisfaction) */
	V(3, "date=2026-02-01", "next_visit=2026-03-01");
	V(3, "date=2026-05-30", "kind=phone");
	/* HA4: plan 06-15: not due in May; visited 05-05 (2) */
	V(4, "date=2026-04-30", "next_visit=2026-06-15");
	V(4, "date=2026-05-05", "satisfaction=2");
	/* HA5: never visited */
	/* HB1: two visits on 04-01, the later plan 05-31 counts: due, overdue */
	V(6, "date=2026-04-01", "next_visit=2026-05-31");
	V(6, "date=2026-04-01");
	/* HB2: first visit 05-03 (5): not due; 06-01 is after the period */
	V(7, "date=2026-05-03", "next_visit=2026-05-20", "satisfaction=5");
	V(7, "date=2026-06-01", "satisfaction=1");
#undef V
	/* a deleted visit of HA2 in May, a deleted case of b2, and the
	 * household HX with everything of a14: none of it counts */
	{
		tz_err err = {0};
		char vid[33];
		snprintf(hh, sizeof hh, "household=%s", hid[2]);
		strcpy(vid, add("visit", hh, "date=2026-05-20", "satisfaction=1", NULL));
		if (tz_record_del(db, "visit", vid, &err) || tz_record_del(db, "aid_case", cid[12], &err) ||
		    tz_record_del(db, "registration", reg14, &err) ||
		    tz_record_del(db, "aid_case", cid[13], &err) ||
		    tz_record_del(db, "person", pid[14], &err) ||
		    tz_record_del(db, "household", hid[8], &err)) {
			printf("FIXTURE: delete: %s\n", err.msg);
			exit(2);
		}
	}

	/* ---- staff ---- */
	add("staff", "name=员一", "region=" A, "status=fulltime", NULL);
	add("staff", "name=员二", "region=" A, "status=parttime", NULL);
	add("staff", "name=员三", "region=" A, "status=left", NULL);
	add("staff", "name=员四", "region=" B, "status=parttime", NULL);
	add("staff", "name=员五", "region=" TOWNSHIP, "role=head", NULL); /* fulltime */
	add("staff", "name=员六", "region=" TOWNSHIP, "role=township", "status=parttime", NULL);
	add("staff", "name=员七", "role=township", NULL); /* no region: the township's */
	add("staff", "name=员八", "region=" COMMUNITY, "role=community", NULL);

	/* ---- vacancies: valid on 05-31 are v1 (5) and v4 (2) ---- */
	const char *e = add("employer", "name=鑫达电子有限公司", NULL);
	char emp[48];
	snprintf(emp, sizeof emp, "employer=%s", e);
	add("vacancy", emp, "title=普工", "openings=5", "valid_from=2026-04-01",
	    "valid_until=2026-06-30", NULL);
	add("vacancy", emp, "title=电工", "openings=3", "valid_until=2026-05-15", NULL);
	add("vacancy", emp, "title=质检员", "openings=10", "valid_from=2026-06-01", NULL);
	add("vacancy", emp, "title=保安员", "openings=2", NULL);
}


/* ---- checks ---- */

static tz_report rep; /* 2026-05 */

#define ROW(code) tz_report_find(&rep, code)

TEST(period_and_rows)
{
	CHECK_STR(rep.period, "2026-05");
	CHECK_STR(rep.first, "2026-05-01");
	CHECK_STR(rep.last, "2026-05-31");
	CHECK_STR(rep.asat, "2026-05-31"); /* a past month: its last day */
	CHECK_STR(rep.region, TOWNSHIP);
	CHECK_STR(rep.name, "测试镇");
	CHECK(rep.role == TZ_ROLE_TOWNSHIP);
	/* the community (staff only) and the two villages, in code order */
	CHECK_INT(rep.nrows, 3);
	CHECK_STR(rep.rows[0].region, COMMUNITY);
	CHECK_STR(rep.rows[1].region, A);
	CHECK_STR(rep.rows[2].region, B);
	CHECK(rep.show_total);
	CHECK(ROW("430181100203") == NULL);
}

TEST(labour_force)
{
	const tz_report_row *a = ROW(A), *b = ROW(B), *c = ROW(COMMUNITY), *t = &rep.total;
	/* A: HA1..HA5; a1..a13 (a14 was in the deleted household) */
	CHECK_INT(a->households, 5);
	CHECK_INT(a->persons, 13);
	/* L = a1 a2 a4 a5 a7 a10 a11; a3 and a6 too old by a day, a8 too young
	 * by a day, a9 student, a12 no work ability, a13 no birth date */
	CHECK_INT(a->labour, 7);
	CHECK_INT(a->employed, 4);         /* a1 a2 a4 a11 */
	CHECK_INT(a->employed_local, 2);   /* a1 (county) a11 (no range) */
	CHECK_INT(a->employed_migrant, 2); /* a2 (status) a4 (range province) */
	CHECK_INT(a->unemployed, 2);       /* a5 a7 */
	CHECK_INT(a->unemployed_long, 1);  /* a5 since 2025-10-01 */
	CHECK_INT(a->status_unknown, 1);   /* a10 */
	CHECK_INT(a->job_seekers, 1);      /* a5; a7 does not want work */
	/* B: HB1 HB2 HB3; b1..b5; L = b1 b2 b5 */
	CHECK_INT(b->households, 3);
	CHECK_INT(b->persons, 5);
	CHECK_INT(b->labour, 3);
	CHECK_INT(b->employed, 2);
	CHECK_INT(b->employed_local, 1);   /* b5 */
	CHECK_INT(b->employed_migrant, 1); /* b1 */
	CHECK_INT(b->unemployed, 1);       /* b2 */
	CHECK_INT(b->unemployed_long, 0);
	CHECK_INT(b->status_unknown, 0);
	CHECK_INT(b->job_seekers, 1);
	CHECK_INT(c->households, 0);
	CHECK_INT(c->labour, 0);
	/* totals: sums */
	CHECK_INT(t->households, 8);
	CHECK_INT(t->persons, 18);
	CHECK_INT(t->labour, 10);
	CHECK_INT(t->employed, 6);
	CHECK_INT(t->employed_local, 3);
	CHECK_INT(t->employed_migrant, 3);
	CHECK_INT(t->unemployed, 3);
	CHECK_INT(t->unemployed_long, 1);
	CHECK_INT(t->status_unknown, 1);
	CHECK_INT(t->job_seekers, 2);
	CHECK_INT(t->labour, t->employed + t->unemployed + t->status_unknown);
}

TEST(registered_unemployed)
{
	/* A: a5 (second registration; counted once), a7 (05-25 after the
	 * cancelled one), a3 (cancelled only on 06-10; not in the labour force
	 * but registered); not a2 (06-02) nor a14 (deleted) */
	CHECK_INT(ROW(A)->reg_unemployed, 3);
	CHECK_INT(ROW(B)->reg_unemployed, 1); /* b2; b1's is an employment registration */
	CHECK_INT(rep.total.reg_unemployed, 4);
}

static long group(const tz_report_row *r, const char *code)
{
	for (int g = 0; g < rep.ngroups; g++)
		if (!strcmp(tz_schema_codes_key_groups[g].code, code))
			return r->key_group[g];
	return -1;
}

TEST(key_groups)
{
	const tz_report_row *a = ROW(A), *b = ROW(B);
	CHECK_INT(rep.ngroups, 12);
	/* within the labour force only: a6 (zero_emp, disabled) and b3
	 * (disabled) are outside it */
	CHECK_INT(group(a, "zero_emp"), 2);   /* a5 a7 */
	CHECK_INT(group(a, "disabled"), 1);   /* a11 */
	CHECK_INT(group(a, "age4050"), 2);    /* a4 a5 */
	CHECK_INT(group(a, "long_unemp"), 1); /* a5 */
	CHECK_INT(group(a, "dibao"), 1);      /* a1 */
	CHECK_INT(group(a, "veteran"), 0);
	CHECK_INT(a->key_group_any, 5);       /* a1 a4 a5 a7 a11 */
	CHECK_INT(group(b, "zero_emp"), 1);   /* b5 */
	CHECK_INT(group(b, "disabled"), 0);
	CHECK_INT(group(b, "veteran"), 1);
	CHECK_INT(group(b, "poverty"), 1);
	CHECK_INT(group(b, "graduate"), 1);
	CHECK_INT(b->key_group_any, 3);       /* b1 b2 b5 */
	CHECK_INT(group(&rep.total, "zero_emp"), 3);
	CHECK_INT(rep.total.key_group_any, 8);
}

TEST(aid_cases_and_placements)
{
	const tz_report_row *a = ROW(A), *b = ROW(B), *t = &rep.total;
	/* A: opened in May cA2 cA5; closed in May cA2 cA3 cA6 cA7; open at the
	 * end cA1 cA5 */
	CHECK_INT(a->cases_new, 2);
	CHECK_INT(a->cases_closed, 4);
	CHECK_INT(a->cases_open, 2);
	/* placed: cA2 by referral (05-20, before the 05-29 subsidy), cA3 by
	 * training, cA6 by its public post of 05-30 (closed as moved), cA7
	 * other (follow-ups only) */
	CHECK_INT(a->placed, 4);
	CHECK_INT(a->placed_referral, 1);
	CHECK_INT(a->placed_post, 1);
	CHECK_INT(a->placed_training, 1);
	CHECK_INT(a->placed_subsidy, 0);
	CHECK_INT(a->placed_other, 1);
	/* B: opened cB1 cB2 (cB3 in June, cB5 deleted); closed cB4; open at
	 * the end cB1 cB2 */
	CHECK_INT(b->cases_new, 2);
	CHECK_INT(b->cases_closed, 1);
	CHECK_INT(b->cases_open, 2);
	/* placed: cB1 by post (05-25), cB4 by referral (same day as a subsidy:
	 * referral comes first); cB2's post is in June */
	CHECK_INT(b->placed, 2);
	CHECK_INT(b->placed_referral, 1);
	CHECK_INT(b->placed_post, 1);
	CHECK_INT(b->placed_subsidy, 0);
	CHECK_INT(b->placed_other, 0);
	CHECK_INT(t->cases_new, 4);
	CHECK_INT(t->cases_closed, 5);
	CHECK_INT(t->cases_open, 4);
	CHECK_INT(t->placed, 6);
	CHECK_INT(t->placed, t->placed_referral + t->placed_post + t->placed_training +
				     t->placed_subsidy + t->placed_other);
}

TEST(zero_employment)
{
	const tz_report_row *a = ROW(A), *b = ROW(B);
	/* A at the end: HA2 (04-10) HA3 (05-20); HA4 cleared 05-10, HA5 only
	 * from 06-05 */
	CHECK_INT(a->zero_emp, 2);
	CHECK_INT(a->zero_emp_new, 1);     /* HA3 */
	CHECK_INT(a->zero_emp_cleared, 1); /* HA4 */
	CHECK_INT(a->zero_emp_late, 1);    /* HA2: 51 days */
	/* B: HB2 recognised and cleared in May; HB3 recognised 05-30 */
	CHECK_INT(b->zero_emp, 1);
	CHECK_INT(b->zero_emp_new, 2);
	CHECK_INT(b->zero_emp_cleared, 1);
	CHECK_INT(b->zero_emp_late, 0);
	CHECK_INT(rep.total.zero_emp, 3);
	CHECK_INT(rep.zero_emp_days, 30);
	/* the list: by village, then recognition date */
	CHECK_INT(rep.nzero, 3);
	if (rep.nzero == 3) {
		CHECK_STR(rep.zero[0].id, hid[2]);
		CHECK_STR(rep.zero[0].village, A);
		CHECK_STR(rep.zero[0].since, "2026-04-10");
		CHECK_STR(rep.zero[0].head, "李秀英");
		CHECK_INT(rep.zero[0].days, 51);
		CHECK(rep.zero[0].late);
		CHECK_STR(rep.zero[1].id, hid[3]);
		CHECK_INT(rep.zero[1].days, 11);
		CHECK(!rep.zero[1].late);
		CHECK_STR(rep.zero[2].id, hid[9]);
		CHECK_INT(rep.zero[2].days, 1);
	}
}

TEST(visits)
{
	const tz_report_row *a = ROW(A), *b = ROW(B);
	/* A in May: HA1 05-16 (5), HA3 05-30 (none), HA4 05-05 (2); the
	 * deleted 05-20 visit of HA2 does not count */
	CHECK_INT(a->visits, 3);
	CHECK_INT(a->sat_sum, 7);
	CHECK_INT(a->sat_n, 2);
	CHECK_INT(tz_report_sat100(a), 350);
	/* due: HA1 (plan 05-18), HA2 (05-10), HA3 (03-01, carried over); not
	 * HA4 (06-15) nor HA5 (never visited); overdue: HA2 */
	CHECK_INT(a->visits_due, 3);
	CHECK_INT(a->visits_overdue, 1);
	CHECK_INT(a->never_visited, 1);
	/* B: HB2 05-03 (5); due HB1 (the later plan of two visits on 04-01,
	 * 05-31), overdue; HB3 never visited */
	CHECK_INT(b->visits, 1);
	CHECK_INT(tz_report_sat100(b), 500);
	CHECK_INT(b->visits_due, 1);
	CHECK_INT(b->visits_overdue, 1);
	CHECK_INT(b->never_visited, 1);
	CHECK_INT(tz_report_sat100(ROW(COMMUNITY)), -1);
	CHECK_INT(rep.total.visits, 4);
	CHECK_INT(rep.total.visits_due, 4);
	CHECK_INT(rep.total.visits_overdue, 2);
	CHECK_INT(rep.total.never_visited, 2);
	CHECK_INT(tz_report_sat100(&rep.total), 400); /* 12 / 3, not the mean of means */
}

static const tz_report_staff *staff(const char *code)
{
	for (int i = 0; i < rep.nstaff; i++)
		if (!strcmp(rep.staff[i].region, code))
			return &rep.staff[i];
	return NULL;
}

TEST(staffing)
{
	CHECK(tz_report_level_of(TOWNSHIP) == TZ_LEVEL_TOWNSHIP);
	CHECK(tz_report_level_of(COMMUNITY) == TZ_LEVEL_COMMUNITY);
	CHECK(tz_report_level_of("430181100199") == TZ_LEVEL_COMMUNITY);
	CHECK(tz_report_level_of("430181100200") == TZ_LEVEL_VILLAGE);
	CHECK(tz_report_level_of(A) == TZ_LEVEL_VILLAGE);
	CHECK(tz_report_level_of("430181000000") == TZ_LEVEL_COUNTY);
	CHECK_INT(rep.nstaff, 4);
	const tz_report_staff *s;
	/* community: 员八 full time; minimum 2 counts full time only */
	if ((s = staff(COMMUNITY))) {
		CHECK_INT(s->in_post, 1);
		CHECK_INT(s->fulltime, 1);
		CHECK_INT(s->counted, 1);
		CHECK_INT(s->min, 2);
		CHECK_INT(s->shortfall, 1);
	} else {
		CHECK(!"community staff line");
	}
	/* A: 员一 full, 员二 part, 员三 left; a village counts both */
	if ((s = staff(A))) {
		CHECK_INT(s->in_post, 2);
		CHECK_INT(s->fulltime, 1);
		CHECK_INT(s->counted, 2);
		CHECK_INT(s->min, 1);
		CHECK_INT(s->shortfall, 0);
	} else {
		CHECK(!"village A staff line");
	}
	/* B: 员四 part time */
	if ((s = staff(B))) {
		CHECK_INT(s->in_post, 1);
		CHECK_INT(s->fulltime, 0);
		CHECK_INT(s->counted, 1);
		CHECK_INT(s->shortfall, 0);
	} else {
		CHECK(!"village B staff line");
	}
	/* township: 员五 (default full time), 员六 part time, 员七 (no region:
	 * the database's own); minimum 3 full time */
	if ((s = staff(TOWNSHIP))) {
		CHECK_INT(s->level, TZ_LEVEL_TOWNSHIP);
		CHECK_INT(s->in_post, 3);
		CHECK_INT(s->fulltime, 2);
		CHECK_INT(s->counted, 2);
		CHECK_INT(s->min, 3);
		CHECK_INT(s->shortfall, 1);
	} else {
		CHECK(!"township staff line");
	}
	CHECK_INT(rep.staff_total.in_post, 7);
	CHECK_INT(rep.staff_total.fulltime, 4);
	CHECK_INT(rep.staff_total.counted, 6);
	CHECK_INT(rep.staff_total.min, 7);
	CHECK_INT(rep.staff_total.shortfall, 2);
	/* village rows carry their own line; the total row all regions */
	CHECK_INT(ROW(A)->staff, 2);
	CHECK_INT(ROW(COMMUNITY)->staff_short, 1);
	CHECK_INT(rep.total.staff, 7);
	CHECK_INT(rep.total.staff_short, 2);
}

TEST(vacancy_ratio)
{
	/* valid on 05-31: 普工 (5) and 保安员 (2, no dates) */
	CHECK_INT(rep.vacancies, 2);
	CHECK_INT(rep.openings, 7);
	CHECK_INT(tz_report_ratio100(&rep), 350); /* 7 / 2 job seekers */
}

TEST(current_month)
{
	/* 2026-06 as at today, 2026-06-15 */
	tz_report r;
	tz_err err = {0};
	CHECK_INT(tz_report_monthly(db, "2026-06", &r, &err), TZ_OK);
	CHECK_STR(r.asat, "2026-06-15");
	const tz_report_row *a = tz_report_find(&r, A), *b = tz_report_find(&r, B);
	if (!a || !b) {
		CHECK(!"rows for June");
		tz_report_free(&r);
		return;
	}
	/* ages on 06-15: a4 turned 60 and a5 55 on 06-01, a8 16: L = a1 a2 a7
	 * a8 a10 a11 */
	CHECK_INT(a->labour, 6);
	CHECK_INT(a->unemployed, 2); /* a7 a8 */
	CHECK_INT(a->job_seekers, 1); /* a8: want_work not recorded */
	/* registered: a5, a7, a2 (06-02); a3 cancelled 06-10 */
	CHECK_INT(a->reg_unemployed, 3);
	CHECK_INT(b->cases_new, 1);       /* cB3 06-02 */
	CHECK_INT(b->placed_post, 1);     /* cB2's post 06-03 */
	CHECK_INT(b->visits, 1);          /* HB2 06-01 (1) */
	CHECK_INT(tz_report_sat100(b), 100);
	/* due: plans of the latest visit before June; HA4's 06-15 plan was
	 * replaced by its 05-05 visit without one */
	CHECK_INT(a->visits_due, 1);      /* HA2 */
	CHECK_INT(a->visits_overdue, 1);
	CHECK_INT(b->visits_due, 2);      /* HB1, HB2 (visited 06-01) */
	CHECK_INT(b->visits_overdue, 1);
	CHECK_INT(a->zero_emp, 3);        /* HA2 HA3 HA5 */
	CHECK_INT(a->zero_emp_new, 1);    /* HA5 */
	CHECK_INT(a->zero_emp_late, 1);   /* HA2; HA3 is 26 days */
	CHECK_INT(r.openings, 17);        /* 5 + 10 + 2 */
	CHECK_INT(tz_report_ratio100(&r), 850);
	tz_report_free(&r);
}

TEST(bad_periods)
{
	tz_report r;
	tz_err err = {0};
	CHECK_INT(tz_report_monthly(db, "2026-13", &r, &err), TZ_EUSAGE);
	CHECK_INT(tz_report_monthly(db, "2026-5", &r, &err), TZ_EUSAGE);
	CHECK_INT(tz_report_monthly(db, "", &r, &err), TZ_EUSAGE);
	CHECK_INT(tz_report_monthly(db, "2026-07", &r, &err), TZ_EUSAGE); /* not begun */
	CHECK(strstr(err.msg, "2026-07") != NULL);
	CHECK_INT(tz_report_monthly(db, "2020-01", &r, &err), TZ_OK); /* nothing yet: zeros */
	CHECK_INT(r.total.persons, 18); /* persons exist regardless of the period */
	CHECK_INT(r.total.visits, 0);
	CHECK_INT(r.total.cases_new, 0);
	tz_report_free(&r);
}

TEST(settings)
{
	tz_err err = {0};
	tz_report r;
	/* a province where women work to 60 and a village needs 2 staff */
	CHECK_INT(tz_db_setting_set(db, "report.staff_min.village", "2", &err), TZ_OK);
	CHECK_INT(tz_db_setting_set(db, "report.long_unemp_months", "3", &err), TZ_OK);
	CHECK_INT(tz_db_setting_set(db, "report.migrant_range", "outside", &err), TZ_OK);
	CHECK_INT(tz_report_monthly(db, "2026-05", &r, &err), TZ_OK);
	const tz_report_row *a = tz_report_find(&r, A), *b = tz_report_find(&r, B);
	if (a && b) {
		CHECK_INT(a->staff_min, 2);
		CHECK_INT(a->staff_short, 0);    /* 2 counted */
		CHECK_INT(b->staff_short, 1);    /* 1 counted */
		CHECK_INT(a->unemployed_long, 2); /* a7 since 2026-01-15 < 02-28 too */
		CHECK_INT(a->employed_migrant, 1); /* a4's province no longer counts */
	} else {
		CHECK(!"rows with settings");
	}
	tz_report_free(&r);
	/* a bad stored value falls back to the default */
	CHECK_INT(tz_db_setting_set(db, "report.staff_min.village", "lots", &err), TZ_OK);
	CHECK_INT(tz_report_monthly(db, "2026-05", &r, &err), TZ_OK);
	if ((a = tz_report_find(&r, A)))
		CHECK_INT(a->staff_min, 1);
	tz_report_free(&r);
	tz_db_setting_set(db, "report.staff_min.village", NULL, &err);
	tz_db_setting_set(db, "report.long_unemp_months", NULL, &err);
	tz_db_setting_set(db, "report.migrant_range", NULL, &err);
}

/* ---- rendering ---- */

typedef struct {
	char *buf;
	size_t len;
} mem;

static mem render(int csv, tz_lang lang)
{
	mem m = {0};
	tz_err err = {0};
	FILE *f = open_memstream(&m.buf, &m.len);
	tz_lang_set(lang);
	tz_status st = csv ? tz_report_sheet(&rep, TZ_SHEET_CSV, f, NULL, &err) : tz_report_text(&rep, f, &err);
	fclose(f);
	tz_lang_set(TZ_LANG_ZH);
	if (st)
		printf("render: %s\n", err.msg);
	return m;
}

/* Display width by the C library's wcwidth (an independent check of the
 * report's own width function). */
static int libc_width(const char *s, size_t n)
{
	mbstate_t ps;
	memset(&ps, 0, sizeof ps);
	int w = 0;
	for (size_t i = 0; i < n;) {
		wchar_t wc;
		size_t k = mbrtowc(&wc, s + i, n - i, &ps);
		if (k == (size_t)-1 || k == (size_t)-2)
			return 1000; /* invalid UTF-8 fails the check */
		if (k == 0)
			k = 1;
		int cw = wcwidth(wc);
		if (cw < 0)
			return 1000;
		w += cw;
		i += k;
	}
	return w;
}

static void check_text(tz_lang lang)
{
	mem m = render(0, lang);
	int lines = 0, wide = 0, mismatch = 0, maxw = 0;
	for (char *p = m.buf, *e; p && p < m.buf + m.len; p = e + 1) {
		e = memchr(p, '\n', (size_t)(m.buf + m.len - p));
		if (!e)
			e = m.buf + m.len;
		int w = libc_width(p, (size_t)(e - p));
		char save = *e;
		*e = '\0';
		if (w != tz_utf8_width(p))
			mismatch++;
		*e = save;
		if (w > 80 && wide++ < 3)
			printf("  too wide (%d): %.*s\n", w, (int)(e - p), p);
		maxw = w > maxw ? w : maxw;
		lines++;
	}
	CHECK(lines > 40);
	CHECK_INT(wide, 0);
	CHECK_INT(mismatch, 0);
	CHECK(maxw > 60); /* the tables do use the width */
	CHECK(m.len > 0 && m.buf[m.len - 1] == '\n');
	CHECK(strchr(m.buf, '\r') == NULL);
	CHECK(strstr(m.buf, A) != NULL);
	if (lang == TZ_LANG_ZH) {
		CHECK(strstr(m.buf, "就业动态监测月报  2026-05") != NULL);
		CHECK(strstr(m.buf, "合计") != NULL);
		CHECK(strstr(m.buf, "李秀英") != NULL);
		CHECK(strstr(m.buf, "51*") != NULL);
		CHECK(strstr(m.buf, "3.50") != NULL); /* satisfaction of A, and the ratio */
		CHECK(strstr(m.buf, "欧阳诸葛司马上官东方西门") == NULL); /* cut to fit */
		CHECK(strstr(m.buf, "Total") == NULL);
	} else {
		CHECK(strstr(m.buf, "Monthly employment monitoring report  2026-05") != NULL);
		CHECK(strstr(m.buf, "Total") != NULL);
		CHECK(strstr(m.buf, "合计") == NULL);
	}
	free(m.buf);
}

TEST(text_fits_80_columns_zh) { check_text(TZ_LANG_ZH); }
TEST(text_fits_80_columns_en) { check_text(TZ_LANG_EN); }

/* Field k (0-based) of a CSV line without quoted commas. */
static void csv_field(const char *line, int k, char *out, size_t n)
{
	const char *p = line;
	for (int i = 0; i < k && p; i++)
		p = strchr(p, ',') ? strchr(p, ',') + 1 : NULL;
	size_t len = p ? strcspn(p, ",\r\n") : 0;
	snprintf(out, n, "%.*s", (int)len, p ? p : "");
}

static int csv_col(const char *header, const char *label)
{
	char f[128];
	for (int k = 0; k < 200; k++) {
		csv_field(header, k, f, sizeof f);
		if (!strcmp(f, label))
			return k;
		if (!*f)
			break;
	}
	return -1;
}

TEST(csv_for_excel)
{
	mem m = render(1, TZ_LANG_ZH);
	CHECK(m.len > 3 && !memcmp(m.buf, "\xef\xbb\xbf", 3));
	int lines = 0, bare_lf = 0;
	for (size_t i = 0; i < m.len; i++)
		if (m.buf[i] == '\n') {
			lines++;
			bare_lf += i == 0 || m.buf[i - 1] != '\r';
		}
	CHECK_INT(bare_lf, 0);
	CHECK_INT(lines, 5); /* header, 3 villages, total */
	CHECK(m.buf[m.len - 1] == '\n');
	char *line[8] = {0};
	int n = 0;
	for (char *p = m.buf + 3; n < 8 && p < m.buf + m.len; n++) {
		line[n] = p;
		char *e = strstr(p, "\r\n");
		if (!e)
			break;
		*e = '\0';
		p = e + 2;
	}
	if (n < 5) {
		CHECK(!"five lines");
		free(m.buf);
		return;
	}
	char f[128];
	csv_field(line[0], 0, f, sizeof f);
	CHECK_STR(f, "村(区划代码)");
	/* every line has as many fields as the header */
	int nf = 1;
	for (const char *p = line[0]; (p = strchr(p, ',')); p++)
		nf++;
	for (int i = 1; i < 5; i++) {
		int k = 1;
		for (const char *p = line[i]; (p = strchr(p, ',')); p++)
			k++;
		CHECK_INT(k, nf);
	}
	/* the village code as an Excel text formula, the total labelled */
	csv_field(line[2], 0, f, sizeof f);
	CHECK_STR(f, "\"=\"\"" A "\"\"\"");
	csv_field(line[4], 0, f, sizeof f);
	CHECK_STR(f, "合计");
	/* figures under their headers */
	static const struct {
		const char *label;
		int row;
		const char *want;
	} cells[] = {
		{"劳动力", 2, "7"},         {"劳动力", 3, "3"},        {"劳动力", 4, "10"},
		{"外出务工", 2, "2"},       {"登记失业人数", 4, "4"},  {"失业超过6个月", 2, "1"},
		{"重点群体-零就业家庭", 2, "2"},     {"帮扶就业-公益性岗位", 4, "2"},
		{"零就业家庭户数", 3, "1"}, {"超过30天未清零", 2, "1"}, {"平均满意度", 2, "3.50"},
		{"平均满意度", 1, ""},      {"平均满意度", 4, "4.00"}, {"配备缺口", 1, "1"},
		{"配备缺口", 4, "2"},       {"岗位招聘人数", 4, "7"},  {"岗位招聘人数", 2, ""},
		{"求人倍率", 4, "3.50"},
	};
	for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
		int k = csv_col(line[0], cells[i].label);
		if (k < 0) {
			printf("FAIL no CSV column %s\n", cells[i].label);
			tz_t_cur_failed = 1;
			continue;
		}
		csv_field(line[cells[i].row], k, f, sizeof f);
		if (strcmp(f, cells[i].want)) {
			printf("FAIL CSV %s row %d: \"%s\", wanted \"%s\"\n", cells[i].label,
			       cells[i].row, f, cells[i].want);
			tz_t_cur_failed = 1;
		}
	}
	free(m.buf);
	/* English headers */
	m = render(1, TZ_LANG_EN);
	CHECK(strstr(m.buf, "\xef\xbb\xbfvillage code,households,persons,labour force,") == m.buf);
	CHECK(strstr(m.buf, "\r\nTotal,") != NULL);
	free(m.buf);
}

int main(void)
{
	char path[512];
	tz_err err = {0};
	setlocale(LC_ALL, "C.UTF-8");
	setenv("TAIZHANG_NOW", "2026-06-15", 1);
	setenv("TZ", "UTC", 1);
	tz_lang_set(TZ_LANG_ZH);
	snprintf(path, sizeof path, "%s/report.db", tz_test_tmpdir());
	remove(path);
	if (tz_db_open(&db, path, TZ_OPEN_CREATE, &err) ||
	    tz_db_set_identity(db, TZ_ROLE_TOWNSHIP, TOWNSHIP, "测试镇", &err)) {
		printf("open: %s\n", err.msg);
		return 2;
	}
	fixture();
	if (tz_report_monthly(db, "2026-05", &rep, &err)) {
		printf("report: %s\n", err.msg);
		return 2;
	}
	RUN(period_and_rows);
	RUN(labour_force);
	RUN(registered_unemployed);
	RUN(key_groups);
	RUN(aid_cases_and_placements);
	RUN(zero_employment);
	RUN(visits);
	RUN(staffing);
	RUN(vacancy_ratio);
	RUN(current_month);
	RUN(bad_periods);
	RUN(settings);
	RUN(text_fits_80_columns_zh);
	RUN(text_fits_80_columns_en);
	RUN(csv_for_excel);
	tz_report_free(&rep);
	tz_db_close(db);
	return tz_test_done();
}
