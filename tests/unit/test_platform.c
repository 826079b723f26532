/* test_platform.c - running the platform (issue 8) against hand-computed
 * figures: event sign-in and summary, the notice board, the call list,
 * per-staff performance, the platform checklist with the full-employment
 * indicators, and the due list's complaints, certificates and reporting
 * calendar.
 *
 * A township database (T = 430181100000) with villages A = 430181100201
 * and B = 430181100202, and a fixed clock: today is 2026-06-15.  Reports
 * are for 2026-05, as at 2026-05-31.  Every expected figure is worked out
 * in the comments next to the fixture and the checks (docs/reports.md has
 * the definitions).
 *
 * Dates used by the definitions, as at 2026-05-31 (default settings):
 *   labour force: age >= 16, men < 60 (born after 1966-05-31), women < 55
 *   (born after 1971-05-31); unemployed long: unemployed_since before
 *   2025-11-30; zero-emp late: recognised before 2026-05-01; a registration
 *   is recent when in force after 2025-05-31; complaints without their own
 *   deadline are due 15 days after receipt.
 */
#include <locale.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/utf8.h"
#include "taizhang/due.h"
#include "taizhang/calllist.h"
#include "taizhang/event.h"
#include "taizhang/notice.h"
#include "taizhang/perf.h"
#include "taizhang/platform.h"
#include "taizhang/record.h"
#include "taizhang/settings.h"
#include "taizhang/db.h"
#include "tz_test.h"

#define A "430181100201"
#define B "430181100202"
#define T "430181100000"

static tz_db *db;

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

static char s1[33], s2[33], s3[33], s4[33], s5[33];
static char p1[33], p2[33], p3[33], p4[33], p5[33], p6[33], p7[33];
static char ha1[33], ha2[33], hb1[33], hb2[33];
static char emp[33], emp2[33], vac[33], vac2[33], vac4[33], ev[33], k3[33], k4[33];

#define KV(buf, k, v) (snprintf(buf, sizeof buf, "%s=%s", k, v), buf)

static void fixture(void)
{
	char a[64], b[64], c[64];
	/* ---- staff ----
	 * S1 王芳 A fulltime, S2 李强 A parttime: A counts 2 (village counts
	 * fulltime and parttime) >= 1.  S3 赵敏, S4 钱进 T fulltime, S5 孙离 T
	 * left: T counts 2 (fulltime only) < 3, gap 1. */
	strcpy(s1, add("staff", "name=王芳", "region=" A, "status=fulltime", NULL));
	strcpy(s2, add("staff", "name=李强", "region=" A, "status=parttime", NULL));
	strcpy(s3, add("staff", "name=赵敏", "region=" T, "role=township", "status=fulltime", NULL));
	strcpy(s4, add("staff", "name=钱进", "region=" T, "role=township", "status=fulltime", NULL));
	strcpy(s5, add("staff", "name=孙离", "region=" T, "role=township", "status=left", NULL));

	/* ---- platforms ----
	 * PT township: 80 m2 < 100 (gap 20), computer and network, no archive
	 * storage, a notice board.  PA village: an office, computer but the
	 * network not recorded, archive storage, notice board not recorded. */
	add("platform", "region=" T, "name=测试镇劳动保障服务站", "level=township", "space_m2=80",
	    "office=1", "computer=1", "network=1", "archive=0", "notice_board=1", NULL);
	add("platform", "region=" A, "name=金塘村服务站", "level=village", "office=1", "computer=1",
	    "archive=1", NULL);

	/* ---- households and persons ----
	 * A: p1 M 46 local (employed); p2 F 36 unemployed since 2025-10-01
	 * (long), wants work, dibao; p3 M 51 migrant, age4050 (employed, key
	 * group); p4 F 41 unemployed, does not want work, disabled; p5 M 55
	 * (born 1970-07-07, under 60) unemployed since 2026-03-01, wants work,
	 * zero_emp and age4050, in HA2 (zero-employment since 2026-04-01, not
	 * cleared: late).  B: p6 M 37 flexible (employed); p7 F 34 unemployed,
	 * wish not recorded (counts as willing), no phone of her own; HB2
	 * zero-employment since 2026-05-20 (not late). */
	strcpy(ha1, add("household", "village=" A, "address=金塘村1组1号", "phone=0731-82345678",
			NULL));
	strcpy(ha2, add("household", "village=" A, "address=金塘村1组2号", "flags=zero_emp",
			"zero_emp_since=2026-04-01", NULL));
	strcpy(hb1, add("household", "village=" B, "address=石山村1组1号", "phone=0731-87654321",
			NULL));
	strcpy(hb2, add("household", "village=" B, "address=石山村1组2号", "flags=zero_emp",
			"zero_emp_since=2026-05-20", NULL));
	strcpy(p1, add("person", KV(a, "household", ha1), "name=甲一", "gender=M",
		       "birth_date=1980-01-01", "employment_status=local", "phone=13800000001", NULL));
	strcpy(p2, add("person", KV(a, "household", ha1), "name=甲二",
		       "id_number=43018119900101002X", "employment_status=unemployed",
		       "unemployed_since=2025-10-01", "want_work=1", "key_groups=dibao",
		       "phone=13800000002", NULL));
	strcpy(p3, add("person", KV(a, "household", ha1), "name=甲三", "gender=M",
		       "birth_date=1975-01-01", "employment_status=migrant", "key_groups=age4050",
		       NULL));
	strcpy(p4, add("person", KV(a, "household", ha1), "name=甲四", "gender=F",
		       "birth_date=1985-05-05", "employment_status=unemployed", "want_work=0",
		       "key_groups=disabled", NULL));
	strcpy(p5, add("person", KV(a, "household", ha2), "name=甲五", "gender=M",
		       "birth_date=1970-07-07", "employment_status=unemployed",
		       "unemployed_since=2026-03-01", "want_work=1", "key_groups=zero_emp,age4050",
		       NULL));
	strcpy(p6, add("person", KV(a, "household", hb1), "name=乙六", "gender=M",
		       "birth_date=1988-08-08", "employment_status=flexible", NULL));
	strcpy(p7, add("person", KV(a, "household", hb1), "name=乙七", "gender=F",
		       "birth_date=1992-02-02", "employment_status=unemployed", NULL));

	/* ---- registrations ----
	 * p2 unemployment 2025-09-01, in force: recent, not employed.  p1
	 * 2025-03-01 cancelled 2025-08-01 (after 2025-05-31): recent, employed.
	 * p6 2024-01-01 cancelled 2024-06-01: not recent.  p7: an employment
	 * registration, not counted. */
	add("registration", KV(a, "person", p2), "kind=unemployment", "date=2025-09-01", NULL);
	add("registration", KV(a, "person", p1), "kind=unemployment", "date=2025-03-01",
	    "cancelled=2025-08-01", NULL);
	add("registration", KV(a, "person", p6), "kind=unemployment", "date=2024-01-01",
	    "cancelled=2024-06-01", NULL);
	add("registration", KV(a, "person", p7), "kind=employment", "date=2025-01-01", NULL);

	/* ---- visits (staff by name) ----
	 * 王芳: 05-03 (5), 05-20 (3); 04-28 (1) is outside the period.  李强:
	 * 05-10 without a score.  外来人 (not on the staff list): 05-15 (4). */
	add("visit", KV(a, "household", ha1), "staff=王芳", "date=2026-05-03", "satisfaction=5", NULL);
	add("visit", KV(a, "household", ha2), "staff=王芳", "date=2026-05-20", "satisfaction=3", NULL);
	add("visit", KV(a, "household", hb1), "staff=李强", "date=2026-05-10", NULL);
	add("visit", KV(a, "household", ha1), "staff=王芳", "date=2026-04-28", "satisfaction=1", NULL);
	add("visit", KV(a, "household", hb2), "staff=外来人", "date=2026-05-15", "satisfaction=4", NULL);

	/* ---- aid cases (owner by name) ----
	 * C1 p5 opened 05-05 by 王芳; C2 p6 opened 03-01 by 李强, closed 05-25
	 * employed (a placement); C3 p4 opened 05-10 by 李强, closed 05-30 moved
	 * (closed, not a placement). */
	add("aid_case", KV(a, "person", p5), "opened=2026-05-05", "owner=王芳", NULL);
	add("aid_case", KV(a, "person", p6), "opened=2026-03-01", "owner=李强", "status=closed",
	    "closed=2026-05-25", "close_reason=employed", NULL);
	add("aid_case", KV(a, "person", p4), "opened=2026-05-10", "owner=李强", "status=closed",
	    "closed=2026-05-30", "close_reason=moved", NULL);

	/* ---- employers and vacancies ----
	 * VAC 5 openings valid 04-01..07-31; VAC2 valid until 06-01 (expired on
	 * 06-15); VAC4 2 openings, no end. */
	strcpy(emp, add("employer", "name=金塘A&B劳务公司", "contact=周经理",
			"phone=13900000000", "address=金塘村工业园", NULL));
	strcpy(emp2, add("employer", "name=石山服装厂", NULL));
	strcpy(vac, add("vacancy", KV(a, "employer", emp), "title=普工", "openings=5",
			"wage_min=3000", "wage_max=4500", "age_min=18", "age_max=55",
			"valid_from=2026-04-01", "valid_until=2026-07-31", NULL));
	strcpy(vac2, add("vacancy", KV(a, "employer", emp), "title=临时搬运", "openings=1",
			 "valid_until=2026-06-01", NULL));
	strcpy(vac4, add("vacancy", KV(a, "employer", emp2), "title=缝纫工", "openings=2",
			 "wage_min=3500", NULL));

	/* ---- referrals (staff by name) ----
	 * R1 p2 05-06 王芳 referred; R2 p7 05-07 王芳 hired 05-20 (placement);
	 * R3 p6 04-20 李强 hired 05-02 (placement; same person as C2); R4 p5
	 * 05-08 王芳 suggested (not counted).  VAC: 5 openings, 2 hired: 3 left. */
	add("referral", KV(a, "vacancy", vac), KV(b, "person", p2), "date=2026-05-06", "staff=王芳",
	    "status=referred", NULL);
	add("referral", KV(a, "vacancy", vac), KV(b, "person", p7), "date=2026-05-07", "staff=王芳",
	    "status=hired", "outcome_date=2026-05-20", NULL);
	add("referral", KV(a, "vacancy", vac), KV(b, "person", p6), "date=2026-04-20", "staff=李强",
	    "status=hired", "outcome_date=2026-05-02", NULL);
	add("referral", KV(a, "vacancy", vac), KV(b, "person", p5), "date=2026-05-08", "staff=王芳",
	    "status=suggested", NULL);

	/* ---- complaints (received_by: the staff record) ----
	 * K1 05-02 by S1, resolved 05-10 (due 05-17): on time, 5.  K2 05-01 by S1,
	 * deadline 05-05, resolved 05-12: late, 2.  K3 05-05 by S2, open: due
	 * 05-20, late at 05-31.  K4 05-25 by S3, open: due 06-09, not late at
	 * 05-31.  K5 04-01 by S3, resolved 04-10: outside the period. */
	add("complaint", "complainant=张三", KV(a, "received_by", s1), "received=2026-05-02",
	    "subject=工资不符", "status=resolved", "resolved=2026-05-10", "resolution=已补发",
	    "satisfaction=5", NULL);
	add("complaint", "complainant=李四", KV(a, "received_by", s1), "received=2026-05-01",
	    "deadline=2026-05-05", "subject=补贴未发", "status=resolved", "resolved=2026-05-12",
	    "resolution=已发放", "satisfaction=2", NULL);
	strcpy(k3, add("complaint", "complainant=王五", KV(a, "received_by", s2),
		       "received=2026-05-05", "subject=合同问题", NULL));
	strcpy(k4, add("complaint", "complainant=赵六", "kind=enquiry", KV(a, "received_by", s3),
		       "received=2026-05-25", "subject=咨询补贴", NULL));
	add("complaint", "complainant=钱七", KV(a, "received_by", s3), "received=2026-04-01",
	    "subject=旧事", "status=resolved", "resolved=2026-04-10", "resolution=已办", NULL);

	/* ---- training: S1 05-12 16 h (04-01 8 h outside); S3 05-20 24 h ---- */
	add("training", KV(a, "staff", s1), "date=2026-05-12", "topic=业务培训", "hours=16", NULL);
	add("training", KV(a, "staff", s1), "date=2026-04-01", "topic=政策", "hours=8", NULL);
	add("training", KV(a, "staff", s3), "date=2026-05-20", "topic=职业指导", "hours=24", NULL);

	/* ---- certificates: S1 expires 07-01 (within 60 days of 06-15); S3
	 * 12-31 (not); S5 06-20 but left (skipped) ---- */
	add("staff_cert", KV(a, "staff", s1), "name=职业指导人员（四级）", "expiry=2026-07-01", NULL);
	add("staff_cert", KV(a, "staff", s3), "name=劳动保障协理员", "expiry=2026-12-31", NULL);
	add("staff_cert", KV(a, "staff", s5), "name=旧证", "expiry=2026-06-20", NULL);

	/* ---- an event: two days, VAC offered by emp, emp2 without a vacancy ---- */
	strcpy(ev, add("event", "name=春风行动招聘会", "kind=spring", "start=2026-06-10",
		       "end=2026-06-11", "place=镇广场", NULL));
	add("event_offer", KV(a, "event", ev), KV(b, "employer", emp), KV(c, "vacancy", vac), NULL);
	add("event_offer", KV(a, "event", ev), KV(b, "employer", emp2), NULL);
}

/* ---- events ---- */

static char ref1[33];

TEST(signin_and_summary)
{
	tz_err err = {0};
	char att[33], ref[33], pid[33];
	/* by ID number, with an intention: a referral is made and linked */
	CHECK_INT(tz_record_by_idnum(db, "43018119900101002X", pid, &err), TZ_OK);
	CHECK_STR(pid, p2);
	tz_signin s = {.event = ev, .person = pid, .date = "2026-06-10", .time = "09:30",
		       .intention = vac, .staff = "王芳"};
	CHECK_INT(tz_event_signin(db, &s, att, ref, &err), TZ_OK);
	CHECK(strlen(att) == 32 && strlen(ref) == 32);
	memcpy(ref1, ref, 33);
	tz_row r = {0};
	CHECK_INT(tz_record_get(db, "referral", ref, &r, &err), TZ_OK);
	if (r.vals) {
		CHECK_STR(r.vals[tz_schema_field_find(r.table, "status")], "referred");
		CHECK_STR(r.vals[tz_schema_field_find(r.table, "date")], "2026-06-10");
		CHECK_STR(r.vals[tz_schema_field_find(r.table, "person")], p2);
		CHECK_STR(r.vals[tz_schema_field_find(r.table, "vacancy")], vac);
		tz_record_row_free(&r);
	}
	CHECK_INT(tz_record_get(db, "attendance", att, &r, &err), TZ_OK);
	if (r.vals) {
		CHECK_STR(r.vals[tz_schema_field_find(r.table, "referral")], ref);
		CHECK_STR(r.vals[tz_schema_field_find(r.table, "time")], "09:30");
		tz_record_row_free(&r);
	}
	/* the second day, no intention */
	tz_signin s2b = {.event = ev, .person = p5, .date = "2026-06-11"};
	CHECK_INT(tz_event_signin(db, &s2b, att, ref, &err), TZ_OK);
	CHECK_STR(ref, "");
	long nref = tz_record_count(db, "referral"), natt = tz_record_count(db, "attendance");
	/* refused, and nothing written: twice, outside the days, bad time,
	 * unknown person, unknown vacancy (the referral is rolled back) */
	CHECK_INT(tz_event_signin(db, &s, att, ref, &err), TZ_EINVAL);
	CHECK(strstr(err.msg, "已在本次活动签到") != NULL);
	tz_signin late = {.event = ev, .person = p7, .date = "2026-06-12"};
	CHECK_INT(tz_event_signin(db, &late, att, ref, &err), TZ_EINVAL);
	tz_signin badtime = {.event = ev, .person = p7, .date = "2026-06-10", .time = "25:00"};
	CHECK_INT(tz_event_signin(db, &badtime, att, ref, &err), TZ_EINVAL);
	tz_signin nobody = {.event = ev, .person = "0123456789abcdef0123456789abcdef",
			    .date = "2026-06-10"};
	CHECK_INT(tz_event_signin(db, &nobody, att, ref, &err), TZ_EINVAL);
	tz_signin novac = {.event = ev, .person = p7, .date = "2026-06-10",
			   .intention = "0123456789abcdef0123456789abcdef"};
	CHECK_INT(tz_event_signin(db, &novac, att, ref, &err), TZ_EINVAL);
	CHECK_INT(tz_record_count(db, "referral"), nref);
	CHECK_INT(tz_record_count(db, "attendance"), natt);
	CHECK_INT(tz_record_by_idnum(db, "430181199001010038", pid, &err), TZ_ENOTFOUND);
	CHECK_INT(tz_record_by_idnum(db, "12345", pid, &err), TZ_EINVAL);

	/* summary: attendees p2 (dibao) and p5 (zero_emp, age4050): 2, both in
	 * a key group; employers emp and emp2: 2; vacancies VAC: 1 with 5
	 * openings; 1 intention; nobody hired yet */
	tz_event_summary sm;
	CHECK_INT(tz_event_summarise(db, ev, &sm, &err), TZ_OK);
	CHECK_INT(sm.attendees, 2);
	CHECK_INT(sm.attendees_key, 2);
	CHECK_INT(sm.employers, 2);
	CHECK_INT(sm.vacancies, 1);
	CHECK_INT(sm.openings, 5);
	CHECK_INT(sm.intentions, 1);
	CHECK_INT(sm.hired, 0);
	long dibao = -1, zero = -1, a4050 = -1, disabled = -1;
	for (int g = 0; g < sm.ngroups; g++) {
		const char *code = tz_schema_codes_key_groups[g].code;
		long v = sm.by_group[g];
		if (!strcmp(code, "dibao"))
			dibao = v;
		else if (!strcmp(code, "zero_emp"))
			zero = v;
		else if (!strcmp(code, "age4050"))
			a4050 = v;
		else if (!strcmp(code, "disabled"))
			disabled = v;
	}
	CHECK_INT(dibao, 1);
	CHECK_INT(zero, 1);
	CHECK_INT(a4050, 1);
	CHECK_INT(disabled, 0);
	tz_event_summary_free(&sm);
	/* the intention turns into a hire: hired 1 */
	tz_kv kv[2] = {{"status", "hired"}, {"outcome_date", "2026-06-13"}};
	CHECK_INT(tz_record_set(db, "referral", ref1, kv, 2, &err), TZ_OK);
	CHECK_INT(tz_event_summarise(db, ev, &sm, &err), TZ_OK);
	CHECK_INT(sm.hired, 1);
	tz_event_summary_free(&sm);
	/* put it back: the notice below counts hires */
	tz_kv back[2] = {{"status", "referred"}, {"outcome_date", ""}};
	CHECK_INT(tz_record_set(db, "referral", ref1, back, 2, &err), TZ_OK);
	CHECK_INT(tz_event_summarise(db, "0123456789abcdef0123456789abcdef", &sm, &err), TZ_EINVAL);
}

TEST(complaint_rules)
{
	tz_err err = {0};
	char id[33];
	tz_kv k1[4] = {{"complainant", "甲"}, {"received_by", s1}, {"received", "2026-06-01"},
		       {"subject", "x"}};
	tz_kv bad[5];
	memcpy(bad, k1, sizeof k1);
	/* resolved without a date or a resolution; a date while open; a deadline
	 * before receipt; a received_by that is not a staff record */
	bad[4] = (tz_kv){"status", "resolved"};
	CHECK_INT(tz_record_add(db, "complaint", bad, 5, id, &err), TZ_EINVAL);
	bad[4] = (tz_kv){"resolved", "2026-06-02"};
	CHECK_INT(tz_record_add(db, "complaint", bad, 5, id, &err), TZ_EINVAL);
	bad[4] = (tz_kv){"deadline", "2026-05-30"};
	CHECK_INT(tz_record_add(db, "complaint", bad, 5, id, &err), TZ_EINVAL);
	bad[4] = (tz_kv){"satisfaction", "6"};
	CHECK_INT(tz_record_add(db, "complaint", bad, 5, id, &err), TZ_EINVAL);
	bad[1] = (tz_kv){"received_by", p1};
	CHECK_INT(tz_record_add(db, "complaint", bad, 4, id, &err), TZ_EINVAL);
	tz_kv ev_bad[3] = {{"name", "x"}, {"start", "2026-06-10"}, {"end", "2026-06-09"}};
	CHECK_INT(tz_record_add(db, "event", ev_bad, 3, id, &err), TZ_EINVAL);
	tz_kv cert_bad[4] = {{"staff", s1}, {"name", "x"}, {"issued", "2026-06-10"},
			     {"expiry", "2026-06-09"}};
	CHECK_INT(tz_record_add(db, "staff_cert", cert_bad, 4, id, &err), TZ_EINVAL);
	tz_kv pf_bad[3] = {{"region", A}, {"name", "x"}, {"level", "city"}};
	CHECK_INT(tz_record_add(db, "platform", pf_bad, 3, id, &err), TZ_EINVAL);
}

/* ---- notice and call list ---- */

TEST(notice_board)
{
	tz_err err = {0};
	tz_notice n;
	/* on 06-15: VAC (5 - 2 hired = 3 left) and VAC4 (2); VAC2 expired on
	 * 06-01.  Sorted by employer name: 石山服装厂 (U+77F3) after 金塘..
	 * (U+91D1)? No: by bytes, 石 e7 9f b3 < 金 e9 87 91. */
	CHECK_INT(tz_notice_collect(db, "2026-06-15", &n, &err), TZ_OK);
	CHECK_INT(n.n, 2);
	if (n.n == 2) {
		CHECK_STR(n.items[0].id, vac4);
		CHECK_INT(n.items[0].left, 2);
		CHECK_INT(n.items[0].wage_min, 3500);
		CHECK_INT(n.items[0].wage_max, -1);
		CHECK_STR(n.items[1].id, vac);
		CHECK_INT(n.items[1].left, 3);
		CHECK_STR(n.items[1].phone, "13900000000");
		CHECK_STR(n.items[1].requirements, "年龄18-55岁");
	}
	/* HTML: self-contained, escaped, A4, Chinese even in English mode */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tz_lang_set(TZ_LANG_EN);
	CHECK_INT(tz_notice_html(&n, f, &err), TZ_OK);
	tz_lang_set(TZ_LANG_ZH);
	fclose(f);
	CHECK(strstr(buf, "size: A4") != NULL);
	CHECK(strstr(buf, "金塘A&amp;B劳务公司") != NULL);
	CHECK(strstr(buf, "A&B") == NULL);
	CHECK(strstr(buf, "招3人") != NULL);
	CHECK(strstr(buf, "3000-4500元/月") != NULL);
	CHECK(strstr(buf, "charset=utf-8") != NULL);
	CHECK(strstr(buf, "<script") == NULL);
	free(buf);
	tz_notice_free(&n);
	/* on 05-31, VAC2 is still valid: 3 */
	CHECK_INT(tz_notice_collect(db, "2026-05-31", &n, &err), TZ_OK);
	CHECK_INT(n.n, 3);
	tz_notice_free(&n);
}

TEST(call_list)
{
	tz_err err = {0};
	tz_call_list l;
	CHECK_INT(tz_calllist(db, vac, "2026-06-15", 0, &l, &err), TZ_OK);
	int have_p2 = 0, have_p7 = 0, have_p1 = 0;
	for (size_t i = 0; i < l.n; i++) {
		if (!strcmp(l.items[i].id, p2)) {
			have_p2 = 1;
			CHECK_STR(l.items[i].phone, "13800000002");
		}
		if (!strcmp(l.items[i].id, p7)) {
			/* no phone of her own: the household's */
			have_p7 = 1;
			CHECK_STR(l.items[i].phone, "0731-87654321");
		}
		have_p1 |= !strcmp(l.items[i].id, p1); /* employed locally: not a seeker */
	}
	CHECK(have_p2 && have_p7 && !have_p1);
	CHECK(l.title && strstr(l.title, "普工") != NULL);
	tz_calllist_free(&l);
	CHECK(strstr(tz_calllist_reminder(), "个人信息") != NULL);
	CHECK_INT(tz_calllist(db, "0123456789abcdef0123456789abcdef", NULL, 0, &l, &err),
		  TZ_ENOTFOUND);
}

/* ---- staff performance ---- */

static const tz_perf_row *perf_find(const tz_perf *p, const char *name)
{
	for (int i = 0; i < p->n; i++)
		if ((!name && !p->rows[i].name) || (name && p->rows[i].name &&
						    !strcmp(p->rows[i].name, name)))
			return &p->rows[i];
	return NULL;
}

TEST(staff_performance)
{
	tz_err err = {0};
	tz_perf p;
	CHECK_INT(tz_perf_collect(db, "2026-05", &p, &err), TZ_OK);
	CHECK_STR(p.asat, "2026-05-31");
	/* five staff and the "others" row, by region then name: T 孙离 赵敏 钱进,
	 * A 李强 王芳 */
	CHECK_INT(p.n, 6);
	if (p.n == 6) {
		CHECK_STR(p.rows[0].name, "孙离");
		CHECK_STR(p.rows[2].name, "钱进");
		CHECK_STR(p.rows[3].name, "李强");
		CHECK_STR(p.rows[4].name, "王芳");
		CHECK(p.rows[5].name == NULL);
	}
	const tz_perf_row *w = perf_find(&p, "王芳"), *l = perf_find(&p, "李强"),
			  *z = perf_find(&p, "赵敏"), *o = perf_find(&p, NULL);
	CHECK(w && l && z && o);
	if (!w || !l || !z || !o) {
		tz_perf_free(&p);
		return;
	}
	/* 王芳: visits 05-03, 05-20: 2; C1 opened; R1, R2 (R4 suggested): 2
	 * referrals; R2 hired p7: 1 placement; K1 on time and K2 late: 2
	 * resolved, 1 in time; scores 5, 3 (visits), 5, 2 (complaints): 15 / 4
	 * = 3.75; training 16 h */
	CHECK_INT(w->visits, 2);
	CHECK_INT(w->cases_opened, 1);
	CHECK_INT(w->cases_closed, 0);
	CHECK_INT(w->referrals, 2);
	CHECK_INT(w->placements, 1);
	CHECK_INT(w->complaints, 2);
	CHECK_INT(w->complaints_on_time, 1);
	CHECK_INT(w->complaints_late_open, 0);
	CHECK_INT(tz_perf_sat100(w), 375);
	CHECK_INT(w->training_hours, 16);
	/* 李强: 1 visit without a score; C3 opened; C2 and C3 closed; p6 placed
	 * by R3 and by C2: 1 person; R3 is dated in April: 0 referrals; K3 open
	 * past its deadline */
	CHECK_INT(l->visits, 1);
	CHECK_INT(l->cases_opened, 1);
	CHECK_INT(l->cases_closed, 2);
	CHECK_INT(l->placements, 1);
	CHECK_INT(l->referrals, 0);
	CHECK_INT(l->complaints, 0);
	CHECK_INT(l->complaints_late_open, 1);
	CHECK_INT(tz_perf_sat100(l), -1);
	/* 赵敏: K5 was April, K4 not yet late; 24 h of training */
	CHECK_INT(z->complaints, 0);
	CHECK_INT(z->complaints_late_open, 0);
	CHECK_INT(z->training_hours, 24);
	/* others: 外来人's visit, score 4 */
	CHECK_INT(o->visits, 1);
	CHECK_INT(tz_perf_sat100(o), 400);
	/* totals: visits 4, opened 2, closed 2, placed 2, referrals 2, resolved
	 * 2, in time 1, late 1, scores 19 / 5 = 3.80, training 40 */
	CHECK_INT(p.total.visits, 4);
	CHECK_INT(p.total.cases_opened, 2);
	CHECK_INT(p.total.cases_closed, 2);
	CHECK_INT(p.total.placements, 2);
	CHECK_INT(p.total.referrals, 2);
	CHECK_INT(p.total.complaints, 2);
	CHECK_INT(p.total.complaints_on_time, 1);
	CHECK_INT(p.total.complaints_late_open, 1);
	CHECK_INT(tz_perf_sat100(&p.total), 380);
	CHECK_INT(p.total.training_hours, 40);
	/* text within 80 columns, CSV with a BOM and a header + 6 rows + total */
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CHECK_INT(tz_perf_sheet(&p, TZ_SHEET_CSV, f, NULL, &err), TZ_OK);
	fclose(f);
	CHECK(len > 3 && !memcmp(buf, "\xef\xbb\xbf", 3));
	int lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	CHECK_INT(lines, 8);
	CHECK(strstr(buf, "3.75") != NULL);
	free(buf);
	buf = NULL;
	f = open_memstream(&buf, &len);
	CHECK_INT(tz_perf_text(&p, f, &err), TZ_OK);
	fclose(f);
	for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (nl)
			*nl = '\0';
		CHECK(tz_utf8_width(line) <= 80);
	}
	free(buf);
	tz_perf_free(&p);
	CHECK_INT(tz_perf_collect(db, "2026-13", &p, &err), TZ_EUSAGE);
	CHECK_INT(tz_perf_collect(db, "2099-01", &p, &err), TZ_EUSAGE);
}

/* ---- the platform checklist ---- */

static const tz_platform_row *pf_find(const tz_platform_report *r, const char *region)
{
	for (int i = 0; i < r->n; i++)
		if (!strcmp(r->rows[i].region, region))
			return &r->rows[i];
	return NULL;
}

TEST(platform_checklist)
{
	tz_err err = {0};
	tz_platform_report r;
	CHECK_INT(tz_platform_collect(db, "2026-05", &r, &err), TZ_OK);
	CHECK_INT(r.n, 2);
	const tz_platform_row *t = pf_find(&r, T), *a = pf_find(&r, A);
	CHECK(t && a);
	if (!t || !a) {
		tz_platform_report_free(&r);
		return;
	}
	CHECK_STR(r.rows[0].region, T); /* by region */
	/* township: covers A and B */
	const tz_platform_check *c = t->items;
	CHECK_INT(c[TZ_CHK_STAFF].met, 0); /* 2 counted of 3 */
	CHECK_INT(c[TZ_CHK_STAFF].have, 2);
	CHECK_INT(c[TZ_CHK_STAFF].gap, 1);
	CHECK_INT(c[TZ_CHK_SPACE].met, 0); /* 80 of 100 m2 */
	CHECK_INT(c[TZ_CHK_SPACE].gap, 20);
	CHECK_INT(c[TZ_CHK_COMPUTER].met, 1);
	CHECK_INT(c[TZ_CHK_ARCHIVE].met, 0);
	CHECK_INT(c[TZ_CHK_NOTICE].met, 1);
	/* able and willing: employed p1, p3, p6 = 3; seekers p2, p5, p7 (p4
	 * does not want work) = 3: 3 / 6 = 50.00%; 95% of 6 is 5.7, so 6 must
	 * be employed: gap 3 */
	CHECK_INT(c[TZ_CHK_RATE].met, 0);
	CHECK_INT(c[TZ_CHK_RATE].have, 5000);
	CHECK_INT(c[TZ_CHK_RATE].need, 9500);
	CHECK_INT(c[TZ_CHK_RATE].gap, 3);
	/* registered unemployed: p2 and p1 recent, p1 employed: 1 / 2 = 50%,
	 * gap 2 - 1 = 1 */
	CHECK_INT(c[TZ_CHK_RATE_REG].have, 5000);
	CHECK_INT(c[TZ_CHK_RATE_REG].gap, 1);
	/* difficulties: p3 employed; p2, p5 seekers (p4 unwilling): 1 / 3 =
	 * 33.33%, gap 3 - 1 = 2 */
	CHECK_INT(c[TZ_CHK_RATE_KEY].have, 3333);
	CHECK_INT(c[TZ_CHK_RATE_KEY].gap, 2);
	/* long unemployed: p2 (since 2025-10-01) */
	CHECK_INT(c[TZ_CHK_LONG].have, 1);
	CHECK_INT(c[TZ_CHK_LONG].met, 0);
	/* zero-employment: HA2 late, HB2 not yet */
	CHECK_INT(c[TZ_CHK_ZERO].have, 1);
	CHECK_INT(c[TZ_CHK_ZERO].met, 0);
	CHECK_INT(t->nmet, 2);
	CHECK_INT(t->nnot, 8);
	CHECK_INT(t->nunknown, 0);
	/* village A */
	c = a->items;
	CHECK_INT(c[TZ_CHK_STAFF].met, 1); /* fulltime + parttime = 2 >= 1 */
	CHECK_INT(c[TZ_CHK_STAFF].have, 2);
	CHECK_INT(c[TZ_CHK_SPACE].met, 1); /* an office */
	CHECK_INT(c[TZ_CHK_COMPUTER].met, -1); /* network not recorded */
	CHECK_INT(c[TZ_CHK_ARCHIVE].met, 1);
	CHECK_INT(c[TZ_CHK_NOTICE].met, -1);
	/* A: employed p1, p3; seekers p2, p5: 50%, 95% of 4 = 3.8 -> 4: gap 2 */
	CHECK_INT(c[TZ_CHK_RATE].have, 5000);
	CHECK_INT(c[TZ_CHK_RATE].gap, 2);
	CHECK_INT(c[TZ_CHK_RATE_REG].have, 5000);
	CHECK_INT(c[TZ_CHK_RATE_KEY].have, 3333);
	CHECK_INT(c[TZ_CHK_LONG].have, 1);
	CHECK_INT(c[TZ_CHK_ZERO].have, 1);
	CHECK_INT(a->nmet, 3);
	CHECK_INT(a->nnot, 5);
	CHECK_INT(a->nunknown, 2);
	/* text within 80 columns in both languages; CSV one row per item */
	for (int lang = 0; lang < 2; lang++) {
		tz_lang_set(lang ? TZ_LANG_EN : TZ_LANG_ZH);
		char *buf = NULL;
		size_t len = 0;
		FILE *f = open_memstream(&buf, &len);
		CHECK_INT(tz_platform_text(&r, f, &err), TZ_OK);
		fclose(f);
		CHECK(strstr(buf, lang ? "NOT MET" : "未达标") != NULL);
		for (char *line = buf, *nl; line && *line; line = nl ? nl + 1 : NULL) {
			nl = strchr(line, '\n');
			if (nl)
				*nl = '\0';
			if (tz_utf8_width(line) > 80)
				printf("too wide: %s\n", line);
			CHECK(tz_utf8_width(line) <= 80);
		}
		free(buf);
	}
	tz_lang_set(TZ_LANG_ZH);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	CHECK_INT(tz_platform_sheet(&r, TZ_SHEET_CSV, f, NULL, &err), TZ_OK);
	fclose(f);
	int lines = 0;
	for (size_t i = 0; i < len; i++)
		lines += buf[i] == '\n';
	CHECK_INT(lines, 1 + 2 * TZ_CHK_N);
	free(buf);
	tz_platform_report_free(&r);
	/* the 95% standard is a setting: at 50% the rates of A and T are met */
	CHECK_INT(tz_settings_set(db, "platform.rate_min", "50", &err), TZ_OK);
	CHECK_INT(tz_platform_collect(db, "2026-05", &r, &err), TZ_OK);
	t = pf_find(&r, T);
	CHECK(t && t->items[TZ_CHK_RATE].met == 1 && t->items[TZ_CHK_RATE_KEY].met == 0);
	tz_platform_report_free(&r);
	CHECK_INT(tz_settings_set(db, "platform.rate_min", "", &err), TZ_OK);
}

/* ---- the due list ---- */

static int has_item(const tz_due_list *l, tz_due_kind k, const char *id, long overdue)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i].kind == k && !strcmp(l->items[i].id, id))
			return l->items[i].overdue == overdue;
	return 0;
}

static size_t count_kind(const tz_due_list *l, tz_due_kind k)
{
	size_t n = 0;
	for (size_t i = 0; i < l->n; i++)
		n += l->items[i].kind == k;
	return n;
}

TEST(due_items)
{
	tz_err err = {0};
	tz_due_list l;
	tz_due_opts o = {.date = "2026-06-15",
			 .kinds = 1u << TZ_DUE_COMPLAINT | 1u << TZ_DUE_CERT | 1u << TZ_DUE_REPORT};
	CHECK_INT(tz_due_collect(db, &o, &l, &err), TZ_OK);
	/* K3 due 05-20: 26 days overdue; K4 due 06-09: 6 days */
	CHECK(has_item(&l, TZ_DUE_COMPLAINT, k3, 26));
	CHECK(has_item(&l, TZ_DUE_COMPLAINT, k4, 6));
	CHECK_INT(count_kind(&l, TZ_DUE_COMPLAINT), 2);
	/* S1's certificate (07-01, 16 days ahead) only: S3's is far, S5 left */
	CHECK_INT(count_kind(&l, TZ_DUE_CERT), 1);
	/* the default calendar has nothing within 7 days of 06-15 */
	CHECK_INT(count_kind(&l, TZ_DUE_REPORT), 0);
	tz_due_free(&l);
	/* a complaint is listed due_complaint_warn_days (3) ahead: on 06-06 K4
	 * (due 06-09) is 3 days ahead, on 06-05 not yet */
	o.date = "2026-06-06";
	CHECK_INT(tz_due_collect(db, &o, &l, &err), TZ_OK);
	CHECK(has_item(&l, TZ_DUE_COMPLAINT, k4, -3));
	tz_due_free(&l);
	o.date = "2026-06-05";
	CHECK_INT(tz_due_collect(db, &o, &l, &err), TZ_OK);
	CHECK(!has_item(&l, TZ_DUE_COMPLAINT, k4, -4));
	tz_due_free(&l);
	/* resolving K3 takes it off */
	tz_kv kv[3] = {{"status", "resolved"}, {"resolved", "2026-06-14"}, {"resolution", "已办"}};
	CHECK_INT(tz_record_set(db, "complaint", k3, kv, 3, &err), TZ_OK);
	o.date = "2026-06-15";
	CHECK_INT(tz_due_collect(db, &o, &l, &err), TZ_OK);
	CHECK_INT(count_kind(&l, TZ_DUE_COMPLAINT), 1);
	tz_due_free(&l);

	/* the reporting calendar: monthly on the 20th is 5 days ahead; a yearly
	 * 06-16 is tomorrow; the 13th has passed (next: 07-13, too far); a
	 * 31st in a 30-day month falls on the 30th (15 days: too far at lead 7,
	 * listed at lead 15) */
	CHECK_INT(tz_settings_set(db, "calendar.reports", "monthly@20,年检@06-16,月报@13,x@31",
				  &err), TZ_OK);
	CHECK_INT(tz_due_collect(db, &o, &l, &err), TZ_OK);
	CHECK_INT(count_kind(&l, TZ_DUE_REPORT), 2);
	CHECK(has_item(&l, TZ_DUE_REPORT, "monthly", -5));
	CHECK(has_item(&l, TZ_DUE_REPORT, "年检", -1));
	tz_due_free(&l);
	CHECK_INT(tz_settings_set(db, "due.report_lead_days", "15", &err), TZ_OK);
	CHECK_INT(tz_due_collect(db, &o, &l, &err), TZ_OK);
	CHECK(has_item(&l, TZ_DUE_REPORT, "x", -15));
	tz_due_free(&l);
	/* malformed calendars are refused */
	const char *bad[] = {"monthly", "@05", "m@32", "m@13-01", "m@02-30", "m@5", "a@b@05",
			     "m@05,", ",m@05", "m@05-1"};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK_INT(tz_settings_set(db, "calendar.reports", bad[i], &err), TZ_EINVAL);
	CHECK_INT(tz_settings_calendar_parse("quarterly@01-10,m@02-29", NULL, 0), 2);
	CHECK_INT(tz_settings_set(db, "calendar.reports", "", &err), TZ_OK);
	CHECK_INT(tz_settings_set(db, "due.report_lead_days", "", &err), TZ_OK);
}

int main(void)
{
	char path[512];
	tz_err err = {0};
	setlocale(LC_ALL, "C.UTF-8");
	setenv("TAIZHANG_NOW", "2026-06-15", 1);
	setenv("TZ", "UTC", 1);
	tz_lang_set(TZ_LANG_ZH);
	snprintf(path, sizeof path, "%s/platform.db", tz_test_tmpdir());
	remove(path);
	if (tz_db_open(&db, path, TZ_OPEN_CREATE, &err) ||
	    tz_db_set_identity(db, TZ_ROLE_TOWNSHIP, T, "测试镇", &err)) {
		printf("open: %s\n", err.msg);
		return 2;
	}
	fixture();
	RUN(staff_performance);
	RUN(platform_checklist);
	RUN(signin_and_summary);
	RUN(complaint_rules);
	RUN(notice_board);
	RUN(call_list);
	RUN(due_items);
	tz_db_close(db);
	return tz_test_done();
}
