/* test_due.c - the follow-up schedule on a small hand-made register. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/internal.h"
#include "taizhang/due.h"
#include "taizhang/record.h"
#include "taizhang/settings.h"
#include "taizhang/db.h"
#include "taizhang/validate.h"
#include "tz_test.h"

static tz_db *db;

static tz_db *open_fresh(const char *name)
{
	char path[512];
	tz_err err = {0};
	tz_db *d = NULL;
	snprintf(path, sizeof path, "%s/%s.db", tz_test_tmpdir(), name);
	remove(path);
	if (tz_db_open(&d, path, TZ_OPEN_CREATE, &err) ||
	    tz_db_set_identity(d, TZ_ROLE_TOWNSHIP, "430181100000", "测试镇", &err)) {
		printf("open %s: %s\n", path, err.msg);
		exit(2);
	}
	return d;
}

/* Add a record from "field=value" strings (NULL-terminated); the new id
 * goes to id (33 bytes). */
static void add(const char *table, char *id, ...)
{
	tz_kv kv[32];
	int n = 0;
	va_list ap;
	va_start(ap, id);
	for (const char *s; (s = va_arg(ap, const char *)) && n < 32;) {
		static char buf[32][256];
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

/* A valid ID number of county 430181 for a birth date (YYYYMMDD). */
static const char *idnum(const char *birth8, int male, int seq)
{
	static char out[8][19];
	static int k;
	char *o = out[k++ % 8];
	snprintf(o, 19, "430181%s%02d%d", birth8, seq % 100, male ? 1 : 2);
	o[17] = tz_valid_idnum_check(o);
	o[18] = '\0';
	return o;
}

/* "name=value" */
static char *field(const char *name, const char *v)
{
	static char buf[16][300];
	static int k;
	char *o = buf[k++ % 16];
	snprintf(o, 300, "%s=%s", name, v);
	return o;
}

/* The lines of a due list as `due days kind table id label reason`. */
static char *lines(const tz_due_list *l)
{
	size_t cap = 1 + l->n * 600;
	char *s = calloc(cap, 1);
	for (size_t i = 0; i < l->n; i++) {
		const tz_due_item *it = &l->items[i];
		size_t len = strlen(s);
		snprintf(s + len, cap - len, "%s\t%ld\t%s\t%s\t%s\t%s\t%s\n", it->due, it->overdue,
			 tz_due_kind_name(it->kind), it->table, it->id, it->label, it->reason);
	}
	return s;
}

static char h1[33], h2[33], h3[33], h4[33], h5[33], hx[33];
static char p1[33], p2[33], p3[33], p4[33];
static char c1[33], c2[33], c3[33], c4[33];
static char r1[33], r2[33], r3[33];
static char s1[33], s2[33], s3[33], s4[33];
static char emp[33], vac[33];

static void fixture(void)
{
	setenv("TAIZHANG_NOW", "2026-06-15", 1);
	db = open_fresh("due");
	add("household", h1, "village=430181100201", "address=一组1号", NULL);
	add("household", h2, "village=430181100201", "address=一组2号", NULL);
	add("household", h3, "village=430181100202", "address=二组3号", "flags=zero_emp",
	    "zero_emp_since=2026-05-01", NULL);
	add("household", h4, "village=430181100202", "address=二组4号", "flags=零就业家庭,低保户",
	    "zero_emp_since=2026-06-01", NULL);
	add("household", h5, "village=430181100202", "address=二组5号", "flags=zero_emp",
	    "zero_emp_since=2026-01-01", "zero_emp_cleared=2026-01-20", NULL);
	add("household", hx, "village=430181100203", "address=三组6号", NULL);
	/* visits: only the latest counts */
	add("visit", NULL, field("household", h1), "date=2026-01-01", "next_visit=2026-02-01", NULL);
	add("visit", NULL, field("household", h1), "date=2026-03-01", "next_visit=2026-04-01", NULL);
	add("visit", NULL, field("household", h2), "date=2026-06-01", "next_visit=2026-07-01", NULL);
	add("visit", NULL, field("household", hx), "date=2026-02-01", NULL); /* no next visit */
	/* persons */
	add("person", p1, field("household", h3), "name=张伟",
	    field("id_number", idnum("19800101", 1, 1)), "key_groups=zero_emp", NULL);
	add("person", p2, field("household", h1), "name=李芳",
	    field("id_number", idnum("19600101", 0, 2)), "key_groups=disabled", NULL);
	add("person", p3, field("household", h1), "name=王强",
	    field("id_number", idnum("19750505", 1, 3)), "key_groups=age4050", NULL);
	add("person", p4, field("household", h2), "name=赵敏",
	    field("id_number", idnum("19900101", 0, 4)), "key_groups=dibao", NULL);
	add("person", NULL, field("household", hx), "name=钱多",
	    field("id_number", idnum("19850101", 1, 5)), NULL); /* no key group */
	/* aid cases */
	add("aid_case", c1, field("person", p1), "opened=2026-04-01", "status=active", NULL);
	add("aid_action", NULL, field("aid_case", c1), "date=2026-04-10", "kind=policy",
	    "next_due=2026-05-10", NULL);
	add("aid_case", c2, field("person", p3), "opened=2026-01-10", "status=open", NULL);
	add("aid_case", c3, field("person", p4), "opened=2026-05-01", "status=active", NULL);
	add("aid_action", NULL, field("aid_case", c3), "date=2026-06-01", "kind=follow_up", NULL);
	add("aid_case", c4, field("person", p2), "opened=2025-01-01", "status=closed",
	    "closed=2025-06-01", "close_reason=employed", NULL);
	/* referrals */
	add("employer", emp, "name=鑫达机械制造有限公司", NULL);
	add("vacancy", vac, field("employer", emp), "title=电工", "openings=2", NULL);
	add("referral", r1, field("vacancy", vac), field("person", p1), "date=2026-05-01",
	    "status=referred", NULL);
	add("referral", r2, field("vacancy", vac), field("person", p3), "date=2026-06-10",
	    "status=interviewed", NULL);
	add("referral", r3, field("vacancy", vac), field("person", p4), "date=2026-04-01",
	    "status=hired", NULL);
	/* staff */
	add("staff", s1, "name=周丽", "certificate=职业指导人员（四级）",
	    "certificate_expiry=2026-07-01", "region=430181100201", NULL);
	add("staff", s2, "name=吴刚", "certificate=证书甲", "certificate_expiry=2026-12-31", NULL);
	add("staff", s3, "name=郑和", "certificate=证书乙", "certificate_expiry=2026-01-01",
	    "status=left", NULL);
	add("staff", s4, "name=冯涛", "certificate=基层公共就业服务专员证",
	    "certificate_expiry=2026-06-01", "region=430181100202", NULL);
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

TEST(due_lists_every_kind_in_order)
{
	tz_lang_set(TZ_LANG_ZH);
	tz_due_list l;
	tz_err err = {0};
	CHECK(tz_due_collect(db, NULL, &l, &err) == TZ_OK);
	CHECK_STR(l.date, "2026-06-15");
	char *got = lines(&l);
	const char *want = expect(
		"2026-02-09\t126\tcase_idle\taid_case\t%s\t王强\t2026-01-10 认定后超过 30 天无援助措施\n"
		"2026-04-01\t75\tvisit\thousehold\t%s\t一组1号\t2026-03-01 走访时约定 2026-04-01 再次走访\n"
		"2026-05-10\t36\tcase_action\taid_case\t%s\t张伟\t2026-04-10 政策咨询后约定 2026-05-10 跟踪\n"
		"2026-05-15\t31\treferral_outcome\treferral\t%s\t张伟\t2026-05-01 推荐至电工（鑫达机械制造有限公司），14 天后仍为“已推荐”，请登记结果\n"
		"2026-05-30\t16\tkeygroup_unvisited\tperson\t%s\t王强\t重点群体（大龄(4050)）：超过 90 天未入户走访（上次走访 2026-03-01）\n"
		"2026-05-31\t15\tzero_emp\thousehold\t%s\t二组3号\t零就业家庭 2026-05-01 认定，30 天内未清零\n"
		"2026-06-01\t14\tcertificate\tstaff\t%s\t冯涛\t基层公共就业服务专员证已于 2026-06-01 过期\n"
		"2026-06-15\t0\tkeygroup_unvisited\tperson\t%s\t张伟\t重点群体（零就业家庭）：所在户从未走访\n"
		"2026-07-01\t-16\tcertificate\tstaff\t%s\t周丽\t职业指导人员（四级）将于 2026-07-01 到期\n",
		c2, h1, c1, r1, p3, h3, s4, p1, s1);
	CHECK_STR(got, want);
	free(got);
	tz_due_free(&l);
}

TEST(due_in_english)
{
	tz_lang_set(TZ_LANG_EN);
	tz_due_opts o = {.kinds = 1u << TZ_DUE_VISIT | 1u << TZ_DUE_CASE_IDLE | 1u << TZ_DUE_KEYGROUP};
	tz_due_list l;
	tz_err err = {0};
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	char *got = lines(&l);
	CHECK_STR(got, expect(
		"2026-02-09\t126\tcase_idle\taid_case\t%s\t王强\tno action for more than 30 days since the case was opened on 2026-01-10\n"
		"2026-04-01\t75\tvisit\thousehold\t%s\t一组1号\tnext visit planned for 2026-04-01 at the visit of 2026-03-01\n"
		"2026-05-30\t16\tkeygroup_unvisited\tperson\t%s\t王强\tkey group (4050 age): household not visited for more than 90 days (last visit 2026-03-01)\n"
		"2026-06-15\t0\tkeygroup_unvisited\tperson\t%s\t张伟\tkey group (zero-employment household): household never visited\n",
		c2, h1, p3, p1));
	free(got);
	tz_due_free(&l);
	tz_lang_set(TZ_LANG_ZH);
}

TEST(due_on_another_date)
{
	/* on 2026-04-02 the visit is a day overdue; the referral is not yet
	 * waiting (made 2026-05-01); the certificate of 2026-06-01 is just
	 * within the 60 days, the one of 2026-07-01 is not */
	tz_due_opts o = {.date = "2026-04-02"};
	tz_due_list l;
	tz_err err = {0};
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	int visit = 0, referral = 0, cert = 0;
	for (size_t i = 0; i < l.n; i++) {
		const tz_due_item *it = &l.items[i];
		if (it->kind == TZ_DUE_VISIT) {
			visit++;
			CHECK_INT(it->overdue, 1);
		}
		referral += it->kind == TZ_DUE_REFERRAL;
		if (it->kind == TZ_DUE_CERT) {
			cert++;
			CHECK_STR(it->id, s4);
			CHECK_INT(it->overdue, -60);
		}
	}
	CHECK_INT(visit, 1);
	CHECK_INT(referral, 0);
	CHECK_INT(cert, 1);
	tz_due_free(&l);
	o.date = "2026-02-30";
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_EINVAL);
	CHECK(l.n == 0 && l.items == NULL);
}

TEST(due_settings_change_the_list)
{
	tz_err err = {0};
	tz_due_list l;
	tz_due_opts o = {.kinds = 1u << TZ_DUE_VISIT};
	/* look 20 days ahead: h2's visit of 2026-07-01 appears, 16 days early */
	CHECK(tz_settings_set(db, "due.visit_lookahead_days", "20", &err) == TZ_OK);
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 2);
	if (l.n == 2) {
		CHECK_STR(l.items[1].id, h2);
		CHECK_INT(l.items[1].overdue, -16);
		CHECK_STR(l.items[1].due, "2026-07-01");
	}
	tz_due_free(&l);
	CHECK(tz_settings_set(db, "due.visit_lookahead_days", NULL, &err) == TZ_OK);

	/* zero-employment within 60 days instead of 30: h3 not yet due */
	o.kinds = 1u << TZ_DUE_ZERO_EMP;
	CHECK(tz_settings_set(db, "due.zero_emp_clear_days", "60", &err) == TZ_OK);
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 0);
	tz_due_free(&l);
	CHECK(tz_settings_set(db, "due.zero_emp_clear_days", "", &err) == TZ_OK);

	/* case idle after 200 days: c2 (opened 2026-01-10) not yet */
	o.kinds = 1u << TZ_DUE_CASE_IDLE;
	CHECK(tz_settings_set(db, "due.case_no_action_days", "200", &err) == TZ_OK);
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 0);
	tz_due_free(&l);
	CHECK(tz_settings_set(db, "due.case_no_action_days", NULL, &err) == TZ_OK);

	/* women's working age to 70: 李芳 (born 1960) counts as a key-group person */
	o.kinds = 1u << TZ_DUE_KEYGROUP;
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 2);
	tz_due_free(&l);
	CHECK(tz_settings_set(db, "labour.retire_age_f", "70", &err) == TZ_OK);
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 3);
	tz_due_free(&l);
	CHECK(tz_settings_set(db, "labour.retire_age_f", NULL, &err) == TZ_OK);

	/* refused values */
	CHECK(tz_settings_set(db, "due.visit_lookahead_days", "-1", &err) == TZ_EINVAL);
	CHECK(tz_settings_set(db, "due.visit_lookahead_days", "abc", &err) == TZ_EINVAL);
	CHECK(tz_settings_set(db, "due.no_such_key", "1", &err) == TZ_EUSAGE);
	/* a bad value stored behind our back falls back to the default */
	CHECK(tz_db_setting_set(db, "due.cert_warn_days", "lots", &err) == TZ_OK);
	CHECK_INT(tz_settings_int(db, "due.cert_warn_days"), 60);
	CHECK(tz_db_setting_set(db, "due.cert_warn_days", NULL, &err) == TZ_OK);
}

TEST(due_follows_new_records)
{
	tz_err err = {0};
	tz_due_list l;
	tz_due_opts o = {.kinds = 1u << TZ_DUE_VISIT | 1u << TZ_DUE_KEYGROUP |
				  1u << TZ_DUE_REFERRAL | 1u << TZ_DUE_ZERO_EMP};
	/* visiting h1 today with a next visit in the autumn clears its visit
	 * and 王强's key-group line */
	add("visit", NULL, field("household", h1), "date=2026-06-15", "next_visit=2026-09-15", NULL);
	/* the referral gets its outcome */
	tz_kv kv[] = {{"status", "rejected"}, {"outcome_date", "2026-06-12"}};
	CHECK(tz_record_set(db, "referral", r1, kv, 2, &err) == TZ_OK);
	/* h3 is cleared */
	tz_kv kv2[] = {{"zero_emp_cleared", "2026-06-14"}};
	CHECK(tz_record_set(db, "household", h3, kv2, 1, &err) == TZ_OK);
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 1); /* 张伟: h3 never visited */
	if (l.n == 1)
		CHECK_STR(l.items[0].id, p1);
	tz_due_free(&l);
}

TEST(due_region_filter)
{
	tz_err err = {0};
	tz_due_list l;
	tz_due_opts o = {.region = "430181100202"};
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	/* for 张伟 in h3: c1, r1, his key-group line; h3 itself; 冯涛's certificate */
	CHECK_INT(l.n, 5);
	for (size_t i = 0; i < l.n; i++)
		CHECK_STR(l.items[i].region, "430181100202");
	tz_due_free(&l);
	o.region = "430181100";
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 9);
	tz_due_free(&l);
}

TEST(due_kind_names)
{
	CHECK_STR(tz_due_kind_name(TZ_DUE_VISIT), "visit");
	CHECK_STR(tz_due_kind_name(TZ_DUE_CERT), "certificate");
	CHECK_INT(tz_due_kind_find("zero_emp"), TZ_DUE_ZERO_EMP);
	CHECK_INT(tz_due_kind_find("nope"), -1);
	tz_lang_set(TZ_LANG_ZH);
	CHECK_STR(tz_due_kind_label(TZ_DUE_VISIT), "走访");
}

/* With a limit: the first items of the whole list, the rest only counted
 * (the home screen); limit 1 and 2 trim again and again on the way. */
TEST(due_limit_keeps_the_first_items)
{
	tz_due_list all, l;
	tz_err err = {0};
	CHECK(tz_due_collect(db, NULL, &all, &err) == TZ_OK);
	size_t due = 0;
	for (size_t i = 0; i < all.n; i++)
		due += all.items[i].overdue >= 0;
	CHECK(all.n >= 4 && due >= 3 && due < all.n); /* both kinds, to test with */
	CHECK_INT(all.total, all.n);
	CHECK_INT(all.total_due, due);
	for (size_t limit = 1; limit <= all.n + 1; limit++) {
		tz_due_opts o = {.limit = limit};
		CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
		CHECK_INT(l.n, limit < all.n ? limit : all.n);
		CHECK_INT(l.total, all.n);
		CHECK_INT(l.total_due, due);
		for (size_t i = 0; i < l.n; i++) {
			CHECK_STR(l.items[i].id, all.items[i].id);
			CHECK_STR(l.items[i].due, all.items[i].due);
			CHECK_INT(l.items[i].kind, all.items[i].kind);
			CHECK_STR(l.items[i].label, all.items[i].label);
			CHECK_STR(l.items[i].reason, all.items[i].reason);
		}
		tz_due_free(&l);
	}
	/* a region filter counts only what it lets through */
	tz_due_opts o = {.limit = 1, .region = "430181100202"};
	CHECK(tz_due_collect(db, &o, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 1);
	CHECK(l.total >= 1 && l.total < all.n);
	tz_due_free(&l);
	tz_due_free(&all);
}

TEST(due_on_an_empty_database)
{
	tz_db *keep = db;
	db = open_fresh("empty");
	tz_due_list l;
	tz_err err = {0};
	CHECK(tz_due_collect(db, NULL, &l, &err) == TZ_OK);
	CHECK_INT(l.n, 0);
	tz_due_free(&l);
	tz_db_close(db);
	db = keep;
}

int main(void)
{
	fixture();
	RUN(due_lists_every_kind_in_order);
	RUN(due_in_english);
	RUN(due_on_another_date);
	RUN(due_settings_change_the_list);
	RUN(due_region_filter);
	RUN(due_follows_new_records);
	RUN(due_kind_names);
	RUN(due_limit_keeps_the_first_items);
	RUN(due_on_an_empty_database);
	tz_db_close(db);
	return tz_test_done();
}
