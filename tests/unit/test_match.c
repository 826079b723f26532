/* test_match.c - job matching on a small hand-made register: hard filters,
 * exact scores, order, reasons, flags and warnings. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/match.h"
#include "taizhang/record.h"
#include "taizhang/settings.h"
#include "taizhang/db.h"
#include "taizhang/validate.h"
#include "tz_test.h"

static tz_db *db;

static void add(const char *table, char *id, ...)
{
	tz_kv kv[32];
	static char buf[32][256];
	int n = 0;
	va_list ap;
	va_start(ap, id);
	for (const char *s; (s = va_arg(ap, const char *)) && n < 32;) {
		snprintf(buf[n], sizeof buf[n], "%s", s);
		char *eq = strchr(buf[n], '=');
		*eq = '\0';
		kv[n].name = buf[n];
		kv[n].value = eq + 1;
		n++;
	}
	va_end(ap);
	tz_err err = {0};
	char tmp[33];
	if (tz_record_add(db, table, kv, n, id ? id : tmp, &err)) {
		printf("FAIL add %s: %s\n", table, err.msg);
		exit(2);
	}
}

static const char *idnum(const char *region6, const char *birth8, int male, int seq)
{
	static char out[8][19];
	static int k;
	char *o = out[k++ % 8];
	snprintf(o, 19, "%.6s%.8s%02d%d", region6, birth8, seq % 100, male ? 1 : 2);
	o[17] = tz_valid_idnum_check(o);
	o[18] = '\0';
	return o;
}

static char *field(const char *name, const char *v)
{
	static char buf[24][300];
	static int k;
	char *o = buf[k++ % 24];
	snprintf(o, 300, "%s=%s", name, v);
	return o;
}

static char h1[33], h2[33], hz[33];
static char pa[33], pb[33], pc[33], pd[33], pe[33], pf[33], pg[33], ph[33];
static char emp[33], v1[33], v2[33], v3[33], v4[33], v5[33];

static void fixture(void)
{
	char path[512];
	tz_err err = {0};
	setenv("TAIZHANG_NOW", "2026-06-15", 1);
	snprintf(path, sizeof path, "%s/match.db", tz_test_tmpdir());
	remove(path);
	if (tz_db_open(&db, path, TZ_OPEN_CREATE, &err) ||
	    tz_db_set_identity(db, TZ_ROLE_TOWNSHIP, "430181100000", "测试镇", &err)) {
		printf("open: %s\n", err.msg);
		exit(2);
	}
	add("household", h1, "village=430181100201", "address=一组1号", NULL);
	add("household", h2, "village=430181100202", "address=二组2号", NULL);
	add("household", hz, "village=430202001001", "address=株洲某村", NULL);
	add("employer", emp, "name=鑫达机械制造有限公司", "region=430181100000", NULL);
	add("vacancy", v1, field("employer", emp), "title=电工", "openings=2", "wage_min=4500",
	    "wage_max=7500", "location=430181100201", "age_min=18", "age_max=50",
	    "education_min=70", "skills=有电工证者优先", "occupation=6-31-01-03",
	    "valid_until=2026-12-31", NULL);
	/* A: the ideal candidate */
	add("person", pa, field("household", h1), "name=甲",
	    field("id_number", idnum("430181", "19900303", 1, 1)), "education=60",
	    "employment_status=unemployed", "skills=电工", "occupation=6-31-01-03",
	    "expected_wage=4000", "work_range=county", NULL);
	/* B: another trade, next village, key group */
	add("person", pb, field("household", h2), "name=乙",
	    field("id_number", idnum("430181", "19850808", 0, 2)), "education=70",
	    "employment_status=flexible", "skills=焊工", "occupation=6-18-02-04",
	    "expected_wage=6000", "key_groups=dibao", NULL);
	/* C: too old for the vacancy */
	add("person", pc, field("household", h1), "name=丙",
	    field("id_number", idnum("430181", "19700101", 1, 3)), "education=60",
	    "employment_status=unemployed", "skills=电工", NULL);
	/* D: too little schooling */
	add("person", pd, field("household", h1), "name=丁",
	    field("id_number", idnum("430181", "19950101", 1, 4)), "education=80",
	    "employment_status=unemployed", "skills=电工", NULL);
	/* E: employed but wants work; an open aid case */
	add("person", pe, field("household", h1), "name=戊",
	    field("id_number", idnum("430181", "19920202", 1, 5)), "education=20",
	    "employment_status=local", "want_work=1", "skills=电工、驾驶",
	    "occupation=6-31-01-05", NULL);
	add("aid_case", NULL, field("person", pe), "opened=2026-03-01", "status=active", NULL);
	/* F: unemployed but does not want work */
	add("person", pf, field("household", h1), "name=己",
	    field("id_number", idnum("430181", "19910101", 1, 6)), "education=60",
	    "employment_status=unemployed", "want_work=0", "skills=电工", NULL);
	/* G: a student */
	add("person", pg, field("household", h1), "name=庚",
	    field("id_number", idnum("430181", "20000101", 1, 7)), "education=30",
	    "employment_status=student", "skills=电工", NULL);
	/* H: lives in another city, wants work near home */
	add("person", ph, field("household", hz), "name=辛",
	    field("id_number", idnum("430202", "19880808", 1, 8)), "education=40",
	    "employment_status=unemployed", "skills=电工", "work_range=township", NULL);
	/* more vacancies for match person */
	add("vacancy", v2, field("employer", emp), "title=女装缝纫工", "openings=3", "gender=F",
	    "location=430181100202", "skills=缝纫", "valid_until=2026-12-31", NULL);
	add("vacancy", v3, field("employer", emp), "title=过期电工", "openings=1",
	    "valid_until=2026-06-01", NULL);
	add("vacancy", v4, field("employer", emp), "title=将来电工", "openings=1",
	    "valid_from=2026-07-01", "valid_until=2026-12-31", NULL);
	add("vacancy", v5, field("employer", emp), "title=资深电工", "openings=1", "age_min=40",
	    "age_max=60", "skills=电工", NULL);
}

/* The list as "score id name flags reasons" lines. */
static char *lines(const tz_match_list *l)
{
	size_t cap = 1 + l->n * 1200;
	char *s = calloc(cap, 1);
	for (size_t i = 0; i < l->n; i++) {
		const tz_match_item *it = &l->items[i];
		size_t len = strlen(s);
		snprintf(s + len, cap - len, "%d %s %s [%s] %s\n", it->score, it->id, it->name,
			 it->flags, it->reasons);
	}
	return s;
}

static char *expect(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *expect(const char *fmt, ...)
{
	static char buf[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	return buf;
}

TEST(match_vacancy_ranks_with_reasons)
{
	tz_lang_set(TZ_LANG_ZH);
	tz_match_list l;
	tz_err err = {0};
	CHECK(tz_match_vacancy(db, v1, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.candidates, 4);
	CHECK_INT(l.nwarnings, 0);
	char *got = lines(&l);
	CHECK_STR(got, expect(
		"90 %s 甲 [] 技能匹配：电工 (+30); 职业相同：6-31-01-03 (+25); 工作地在本村 (+20); "
		"在本人务工范围内（县内） (+0); 月薪 4500–7500 元，不低于期望 4000 元 (+15)\n"
		"85 %s 戊 [employed] 技能匹配：电工 (+30); 同职业小类：6-31-01 (+15); 工作地在本村 (+20); "
		"援助对象（援助案例未结） (+20)\n"
		"37 %s 乙 [] 技能不符 (+0); 同职业大类：6 (+3); 工作地在本乡镇 (+15); "
		"期望 6000 元，在月薪 4500–7500 元范围内 (+9); 重点群体：低保 (+10)\n"
		"22 %s 辛 [] 技能匹配：电工 (+30); 工作地在本省 (+2); 超出本人务工范围（乡内） (-10)\n",
		pa, pe, pb, ph));
	free(got);
	tz_match_free(&l);
}

TEST(match_vacancy_in_english_and_limit)
{
	tz_lang_set(TZ_LANG_EN);
	tz_match_list l;
	tz_err err = {0};
	tz_match_opts o = {.limit = 2};
	CHECK(tz_match_vacancy(db, v1, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.candidates, 4);
	char *got = lines(&l);
	CHECK_STR(got, expect(
		"90 %s 甲 [] skills match: 电工 (+30); same occupation: 6-31-01-03 (+25); "
		"works in the home village (+20); within the person's work range (within the county) (+0); "
		"pay 4500-7500 yuan meets the expected 4000 (+15)\n"
		"85 %s 戊 [employed] skills match: 电工 (+30); same occupation minor group: 6-31-01 (+15); "
		"works in the home village (+20); assisted person with an open aid case (+20)\n",
		pa, pe));
	free(got);
	tz_match_free(&l);
	tz_lang_set(TZ_LANG_ZH);
}

TEST(match_weights_are_settings)
{
	tz_err err = {0};
	tz_match_list l;
	CHECK(tz_settings_set(db, "match.w.skills", "50", &err) == TZ_OK);
	CHECK(tz_settings_set(db, "match.w.aid_case", "0", &err) == TZ_OK);
	CHECK(tz_match_vacancy(db, v1, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 4);
	if (l.n == 4) {
		CHECK_INT(l.items[0].score, 110);
		CHECK_STR(l.items[0].id, pa);
		CHECK_INT(l.items[1].score, 85); /* 50 + 15 + 20 + 0 */
		CHECK(strstr(l.items[1].reasons, "援助对象（援助案例未结） (+0)") != NULL);
	}
	tz_match_free(&l);
	CHECK(tz_settings_set(db, "match.w.skills", NULL, &err) == TZ_OK);
	CHECK(tz_settings_set(db, "match.w.aid_case", NULL, &err) == TZ_OK);
	CHECK(tz_settings_set(db, "match.w.skills", "1001", &err) == TZ_EINVAL);

	/* job seekers by setting: students too */
	CHECK(tz_settings_set(db, "match.seeker_status", "unemployed,flexible,在校学生", &err) == TZ_OK);
	char *v = tz_settings_str(db, "match.seeker_status", NULL);
	CHECK_STR(v, "flexible,unemployed,student");
	free(v);
	CHECK(tz_match_vacancy(db, v1, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.candidates, 5); /* 庚 (born 2000, 本科 not needed) */
	tz_match_free(&l);
	CHECK(tz_settings_set(db, "match.seeker_status", "nonsense", &err) == TZ_EINVAL);
	CHECK(tz_settings_set(db, "match.seeker_status", NULL, &err) == TZ_OK);
}

TEST(match_referrals_mark_and_fill)
{
	tz_err err = {0};
	tz_match_list l;
	char r[33];
	/* 辛 referred: marked, not dropped */
	add("referral", r, field("vacancy", v1), field("person", ph), "date=2026-06-10",
	    "status=referred", NULL);
	CHECK(tz_match_vacancy(db, v1, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 4);
	if (l.n == 4) {
		CHECK_STR(l.items[3].id, ph);
		CHECK_STR(l.items[3].flags, "referred");
	}
	tz_match_free(&l);
	/* 甲 hired: one opening left, 甲 marked */
	add("referral", NULL, field("vacancy", v1), field("person", pa), "date=2026-06-11",
	    "status=hired", NULL);
	CHECK(tz_match_vacancy(db, v1, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 4);
	if (l.n == 4)
		CHECK_STR(l.items[0].flags, "hired");
	tz_match_free(&l);
	/* 乙 hired too: no openings left */
	add("referral", NULL, field("vacancy", v1), field("person", pb), "date=2026-06-12",
	    "status=hired", NULL);
	CHECK(tz_match_vacancy(db, v1, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 0);
	CHECK_INT(l.nwarnings, 1);
	if (l.nwarnings)
		CHECK_STR(l.warnings[0], "岗位已招满（招聘 2 人，已录用 2 人）");
	tz_match_free(&l);
	/* raising the openings brings the list back */
	tz_kv kv[] = {{"openings", "5"}};
	CHECK(tz_record_set(db, "vacancy", v1, kv, 1, &err) == TZ_OK);
	CHECK(tz_match_vacancy(db, v1, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 4);
	tz_match_free(&l);
	/* a later status wins: 辛 declined */
	add("referral", NULL, field("vacancy", v1), field("person", ph), "date=2026-06-14",
	    "status=declined", NULL);
	CHECK(tz_match_vacancy(db, v1, NULL, &l, &err) == TZ_OK);
	if (l.n == 4)
		CHECK_STR(l.items[3].flags, "declined");
	tz_match_free(&l);
}

TEST(match_gender_requirement_warns)
{
	tz_err err = {0};
	tz_match_list l;
	CHECK(tz_match_vacancy(db, v2, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 1); /* only 乙 is a woman */
	if (l.n == 1) {
		CHECK_STR(l.items[0].id, pb);
		CHECK_INT(l.items[0].score, 30); /* same village 20 + key group 10 */
	}
	CHECK_INT(l.nwarnings, 1);
	if (l.nwarnings)
		CHECK_STR(l.warnings[0], "岗位“女装缝纫工”限定性别（女）：《就业促进法》禁止就业性别歧视，"
					 "该要求可能违法");
	tz_match_free(&l);
}

TEST(match_vacancy_dates)
{
	tz_err err = {0};
	tz_match_list l;
	CHECK(tz_match_vacancy(db, v3, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 0);
	CHECK(l.nwarnings == 1 && strstr(l.warnings[0], "2026-06-01"));
	tz_match_free(&l);
	CHECK(tz_match_vacancy(db, v4, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 0);
	CHECK(l.nwarnings == 1 && strstr(l.warnings[0], "2026-07-01"));
	tz_match_free(&l);
	tz_match_opts o = {.date = "2026-07-02"};
	CHECK(tz_match_vacancy(db, v4, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.nwarnings, 0);
	CHECK(l.n > 0);
	tz_match_free(&l);
	/* a missing vacancy, a bad id, a bad date */
	CHECK(tz_match_vacancy(db, "0123456789abcdef0123456789abcdef", NULL, &l, &err) ==
	      TZ_ENOTFOUND);
	CHECK(tz_match_vacancy(db, "nope", NULL, &l, &err) == TZ_ENOTFOUND);
	o.date = "2026-13-01";
	CHECK(tz_match_vacancy(db, v1, &o, &l, &err) == TZ_EINVAL);
	CHECK(tz_match_person(db, v1, NULL, &l, &err) == TZ_ENOTFOUND);
}

TEST(match_person_ranks_vacancies)
{
	tz_err err = {0};
	tz_match_list l;
	CHECK(tz_match_person(db, pa, NULL, &l, &err) == TZ_OK);
	/* v1 only: v2 wants a woman, v3 expired, v4 not open yet, v5 ages 40-60 */
	CHECK_INT(l.candidates, 1);
	CHECK_INT(l.n, 1);
	if (l.n == 1) {
		CHECK_STR(l.items[0].id, v1);
		CHECK_STR(l.items[0].name, "电工（鑫达机械制造有限公司）");
		CHECK_INT(l.items[0].score, 90);
		CHECK_STR(l.items[0].flags, "hired");
	}
	CHECK_INT(l.nwarnings, 0);
	tz_match_free(&l);

	/* 乙 (woman, 40): v1 (hired there), v2 (gender warning), v5 (age 40-60) */
	CHECK(tz_match_person(db, pb, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 3);
	if (l.n == 3) {
		CHECK_STR(l.items[0].id, v1);
		CHECK_STR(l.items[0].flags, "hired");
		CHECK_STR(l.items[1].id, v2);
		CHECK_STR(l.items[1].flags, "gender_req");
		CHECK_STR(l.items[2].id, v5);
		/* no location: the employer's region (same township) */
		CHECK_INT(l.items[2].score, 25);
		CHECK_STR(l.items[2].reasons, "技能不符 (+0); 工作地在本乡镇 (+15); 重点群体：低保 (+10)");
	}
	CHECK_INT(l.nwarnings, 1);
	tz_match_free(&l);

	/* 庚 is a student: listed, with a warning */
	CHECK(tz_match_person(db, pg, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.nwarnings, 1);
	if (l.nwarnings)
		CHECK_STR(l.warnings[0], "庚 不是求职人员（就业状态：在校学生）");
	tz_match_free(&l);
	/* 己 does not want work */
	CHECK(tz_match_person(db, pf, NULL, &l, &err) == TZ_OK);
	CHECK(l.nwarnings == 1 && !strcmp(l.warnings[0], "己 无就业意愿"));
	tz_match_free(&l);
}

TEST(education_ranks)
{
	CHECK_INT(tz_match_education_rank("10"), 1);
	CHECK_INT(tz_match_education_rank("70"), 6);
	CHECK_INT(tz_match_education_rank("90"), 8);
	CHECK_INT(tz_match_education_rank("95"), 8);
	CHECK_INT(tz_match_education_rank(NULL), 8);
	CHECK(tz_match_education_rank("40") < tz_match_education_rank("60"));
}

int main(void)
{
	fixture();
	RUN(match_vacancy_ranks_with_reasons);
	RUN(match_vacancy_in_english_and_limit);
	RUN(match_weights_are_settings);
	RUN(match_referrals_mark_and_fill);
	RUN(match_gender_requirement_warns);
	RUN(match_vacancy_dates);
	RUN(match_person_ranks_vacancies);
	RUN(education_ranks);
	tz_db_close(db);
	return tz_test_done();
}
