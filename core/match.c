/* match.c - job matching with an explainable score.
 *
 * One pass over the candidates prefiltered in SQL: the exact hard filters
 * and the score are computed in C without building any text, the best
 * `limit` are kept, and only those are scored again with their reasons.
 */
#include "taizhang/match.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "taizhang/buf.h"
#include "taizhang/due.h"
#include "taizhang/schema.h"
#include "taizhang/settings.h"
#include "taizhang/utf8.h"
#include "taizhang/validate.h"

/* ---- policy as data ---- */

/* GB/T 4658 education codes by rank: a smaller rank is more education. */
static const struct {
	const char *code;
	int rank;
} edu_ranks[] = {
	{"10", 1}, {"20", 2}, {"30", 3}, {"40", 4}, {"60", 5},
	{"70", 6}, {"80", 7}, {"90", 8}, {"95", 8},
};
#define EDU_LOWEST 8 /* also an unknown education */

static const char case_live_status[] = "open,active"; /* aid_case.status */
static const char filled_status[] = "hired";          /* referral.status taking an opening */

/* The scoring parts and the settings holding their weights. */
typedef enum { P_SKILLS, P_OCC, P_LOC, P_WAGE, P_KEY, P_AID, P_RANGE, NPARTS } part_id;
static const char *const weight_keys[NPARTS] = {
	[P_SKILLS] = "match.w.skills",   [P_OCC] = "match.w.occupation",
	[P_LOC] = "match.w.location",    [P_WAGE] = "match.w.wage",
	[P_KEY] = "match.w.key_group",   [P_AID] = "match.w.aid_case",
	[P_RANGE] = "match.w.work_range",
};

/* Occupation codes (职业分类大典, 6-31-01-03): shared leading segments. */
static const struct {
	int segs, pct;
	const char *en, *zh;
} occ_levels[] = {
	{4, 100, "same occupation", "职业相同"},
	{3, 60, "same occupation minor group", "同职业小类"},
	{2, 40, "same occupation middle group", "同职业中类"},
	{1, 10, "same occupation major group", "同职业大类"},
};

/* Work place against the person's village: shared region-code digits, the
 * points, and the work range (person.work_range code) that reaches it. */
static const struct {
	int digits, pct;
	const char *range;
	const char *en, *zh;
} loc_levels[] = {
	{12, 100, "township", "in the home village", "在本村"},
	{9, 75, "township", "in the home township", "在本乡镇"},
	{6, 50, "county", "in the home county", "在本县"},
	{4, 25, "province", "in the home city", "在本市"},
	{2, 10, "province", "in the home province", "在本省"},
	{0, 0, "outside", "outside the home province", "在省外"},
};

/* Expected wage against the vacancy's pay range. */
enum { WAGE_MEETS, WAGE_WITHIN, WAGE_BELOW };
static const int wage_pct[] = {[WAGE_MEETS] = 100, [WAGE_WITHIN] = 60, [WAGE_BELOW] = 0};

/* Separators of skill words: ASCII and full-width punctuation, spaces. */
static const char *const separators[] = {
	",", ";", "/", " ", "\t", "|", "(", ")", "+",
	"，", "、", "；", "／", "　", "（", "）", "。", "：", ":",
};

int tz_match_education_rank(const char *code)
{
	for (size_t i = 0; code && i < sizeof edu_ranks / sizeof edu_ranks[0]; i++)
		if (!strcmp(edu_ranks[i].code, code))
			return edu_ranks[i].rank;
	return EDU_LOWEST;
}

/* ---- records ---- */

typedef struct {
	char id[33];
	const char *title, *employer, *location, *gender, *edu_min, *skills, *occupation,
		*valid_from, *valid_until, *ref_status;
	long openings, hired, wage_min, wage_max, age_min, age_max; /* -1: none */
} vac;

typedef struct {
	char id[33];
	const char *name, *gender, *birth, *education, *status, *key_groups, *skills, *intention,
		*occupation, *work_range, *village, *ref_status, *work_ability;
	long expected_wage, want_work; /* -1: none */
	int open_case;
} per;

typedef struct {
	char date[11];
	long w[NPARTS];
	long age_min, retire_m, retire_f;
	char *seekers, *employed;
	const tz_code *range_codes, *status_codes;
} ctx;

static const tz_code *field_codes(const char *table, const char *field)
{
	const tz_table *t = tz_schema_table_find(table);
	int i = t ? tz_schema_field_find(t, field) : -1;
	return i >= 0 ? t->fields[i].codes : NULL;
}

static int code_pos(const tz_code *codes, const char *code)
{
	for (int i = 0; codes && code && codes[i].code; i++)
		if (!strcmp(codes[i].code, code))
			return i;
	return -1;
}

static const char *col(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

static long col_long(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? -1 : (long)sqlite3_column_int64(st, i);
}

/* Age in whole years on date (both YYYY-MM-DD); -1 if unknown. */
static int age_on(const char *birth, const char *date)
{
	if (!birth || strlen(birth) < 10)
		return -1;
	int a = (int)(strtol(date, NULL, 10) - strtol(birth, NULL, 10));
	if (strcmp(date + 4, birth + 4) < 0)
		a--;
	return a;
}

static int working_age(const ctx *c, const per *p)
{
	int a = age_on(p->birth, c->date);
	long retire = p->gender && !strcmp(p->gender, "F") ? c->retire_f : c->retire_m;
	return a >= 0 && a >= c->age_min && a < retire;
}

static int is_seeker(const ctx *c, const per *p)
{
	if (p->want_work == 0 || (p->work_ability && !strcmp(p->work_ability, "none")))
		return 0;
	return p->want_work == 1 || tz_settings_codes_has(c->seekers, p->status);
}

static int vac_gender(const vac *v)
{
	return v->gender && strcmp(v->gender, "any") != 0;
}

/* The person-against-vacancy hard filters (age, gender, education). */
static int hard_ok(const ctx *c, const vac *v, const per *p)
{
	if (v->age_min >= 0 || v->age_max >= 0) {
		int a = age_on(p->birth, c->date);
		if (a < 0 || (v->age_min >= 0 && a < v->age_min) ||
		    (v->age_max >= 0 && a > v->age_max))
			return 0;
	}
	if (vac_gender(v) && (!p->gender || strcmp(p->gender, v->gender)))
		return 0;
	if (v->edu_min && tz_match_education_rank(p->education) > tz_match_education_rank(v->edu_min))
		return 0;
	return 1;
}

/* ---- text helpers ---- */

/* One reason: "text (+N)", joined with "; ". */
static void reason(tz_buf *b, int pts, const char *text)
{
	if (!b)
		return;
	if (b->len)
		tz_buf_str(b, "; ");
	tz_buf_printf(b, "%s (%+d)", text, pts);
}

static int pct_of(long w, int pct)
{
	return (int)((w * pct + 50) / 100);
}

/* ---- skills ---- */

static size_t sep_len(const char *s)
{
	for (size_t i = 0; i < sizeof separators / sizeof separators[0]; i++) {
		size_t n = strlen(separators[i]);
		if (!strncmp(s, separators[i], n))
			return n;
	}
	return 0;
}

static int lower_ascii(int c)
{
	return c >= 'A' && c <= 'Z' ? c + 32 : c;
}

/* 1 if the n bytes at w occur in s[0..sn) (ASCII letters without case). */
static int contains(const char *s, size_t sn, const char *w, size_t n)
{
	if (!s || !n)
		return 0;
	for (size_t i = 0; i + n <= sn; i++) {
		size_t k = 0;
		while (k < n &&
		       lower_ascii((unsigned char)s[i + k]) == lower_ascii((unsigned char)w[k]))
			k++;
		if (k == n)
			return 1;
	}
	return 0;
}

#define MAX_WORDS 24

typedef struct {
	const char *w[MAX_WORDS];
	size_t len[MAX_WORDS];
	int n;
} word_list;

/* Split s into words of two characters or more. */
static void words_of(const char *s, word_list *out)
{
	while (s && *s && out->n < MAX_WORDS) {
		size_t k = 0;
		while (s[k] && !sep_len(s + k))
			k++;
		if (k && (size_t)tz_utf8_count(s, k) >= 2) {
			out->w[out->n] = s;
			out->len[out->n] = k;
			out->n++;
		}
		s += k;
		if (*s)
			s += sep_len(s);
	}
}

/* The person's words found in the vacancy's (either containing the
 * other), without repeats, into hits (NULL: stop at the first).  Returns
 * how many. */
static int skill_hits(const vac *v, const per *p, tz_buf *hits)
{
	word_list pw = {0}, vw = {0};
	words_of(p->skills, &pw);
	words_of(p->intention, &pw);
	words_of(v->skills, &vw);
	words_of(v->title, &vw);
	int found = 0;
	for (int i = 0; i < pw.n; i++) {
		int hit = 0;
		for (int j = 0; j < vw.n && !hit; j++)
			hit = contains(vw.w[j], vw.len[j], pw.w[i], pw.len[i]) ||
			      contains(pw.w[i], pw.len[i], vw.w[j], vw.len[j]);
		for (int k = 0; hit && k < i; k++) /* said already */
			if (pw.len[k] == pw.len[i] && !memcmp(pw.w[k], pw.w[i], pw.len[i]))
				hit = 0;
		if (!hit)
			continue;
		if (!hits)
			return 1;
		char tmp[256];
		snprintf(tmp, sizeof tmp, "%s%.*s", found ? tz_tr(", ", "、") : "",
			 (int)(pw.len[i] < 200 ? pw.len[i] : 200), pw.w[i]);
		tz_buf_str(hits, tmp);
		found++;
	}
	return found;
}

/* Leading digits two region codes share. */
static int shared_digits(const char *a, const char *b)
{
	int n = 0;
	while (a[n] && a[n] == b[n])
		n++;
	return n;
}

/* Leading '-'-separated segments two occupation codes share. */
static int shared_segments(const char *a, const char *b)
{
	int segs = 0;
	for (;;) {
		size_t la = strcspn(a, "-"), lb = strcspn(b, "-");
		if (!la || la != lb || strncmp(a, b, la))
			return segs;
		segs++;
		a += la;
		b += lb;
		if (*a != '-' || *b != '-')
			return segs;
		a++;
		b++;
	}
}

/* ---- the score: one function per part ---- */

/* A part returns its points and, when why is not NULL, writes its reason
 * there; NO_PART when it does not apply (data missing on either side). */
#define NO_PART INT32_MIN
typedef int (*part_fn)(const ctx *c, const vac *v, const per *p, char *why, size_t cap);

static int part_skills(const ctx *c, const vac *v, const per *p, char *why, size_t cap)
{
	if (!(p->skills && *p->skills) && !(p->intention && *p->intention))
		return NO_PART;
	tz_buf hits = {0};
	int n = skill_hits(v, p, why ? &hits : NULL);
	int pts = n ? (int)c->w[P_SKILLS] : 0;
	if (why && n) {
		const char *list = tz_buf_cstr(&hits);
		tz_trf(why, cap, "skills match: %s", "技能匹配：%s", list ? list : "");
	} else if (why)
		snprintf(why, cap, "%s", tz_tr("no matching skills", "技能不符"));
	tz_buf_free(&hits);
	return pts;
}

static int part_occupation(const ctx *c, const vac *v, const per *p, char *why, size_t cap)
{
	if (!v->occupation || !*v->occupation || !p->occupation || !*p->occupation)
		return NO_PART;
	int segs = shared_segments(v->occupation, p->occupation);
	size_t i = 0, nl = sizeof occ_levels / sizeof occ_levels[0];
	while (i < nl && segs < occ_levels[i].segs)
		i++;
	if (i == nl) {
		if (why)
			tz_trf(why, cap, "different occupation (%s, wanted %s)",
			    "职业不同（%s，意向 %s）",
			    v->occupation, p->occupation);
		return 0;
	}
	if (why) {
		/* the shared prefix: `segs` segments */
		const char *end = v->occupation;
		for (int s = 0; s < segs && *end; s++) {
			end += strcspn(end, "-");
			if (s + 1 < segs && *end == '-')
				end++;
		}
		snprintf(why, cap, "%s%s%.*s", tz_tr(occ_levels[i].en, occ_levels[i].zh),
			 tz_tr(": ", "："), (int)(end - v->occupation), v->occupation);
	}
	return pct_of(c->w[P_OCC], occ_levels[i].pct);
}

/* The location level of the vacancy for the person; -1 if unknown. */
static int loc_level(const vac *v, const per *p)
{
	if (!v->location || strlen(v->location) != 12 || !p->village || strlen(p->village) != 12)
		return -1;
	int d = shared_digits(v->location, p->village);
	int i = 0, nl = (int)(sizeof loc_levels / sizeof loc_levels[0]);
	while (i + 1 < nl && d < loc_levels[i].digits)
		i++;
	return i;
}

static int part_location(const ctx *c, const vac *v, const per *p, char *why, size_t cap)
{
	int i = loc_level(v, p);
	if (i < 0)
		return NO_PART;
	if (why)
		tz_trf(why, cap, "works %s", "工作地%s", tz_tr(loc_levels[i].en, loc_levels[i].zh));
	return pct_of(c->w[P_LOC], loc_levels[i].pct);
}

static int part_range(const ctx *c, const vac *v, const per *p, char *why, size_t cap)
{
	int i = loc_level(v, p);
	int want = code_pos(c->range_codes, p->work_range);
	int need = i < 0 ? -1 : code_pos(c->range_codes, loc_levels[i].range);
	if (want < 0 || need < 0)
		return NO_PART;
	const char *label = tz_schema_code_label(c->range_codes, p->work_range);
	if (need > want) {
		if (why)
			tz_trf(why, cap, "farther than the person's work range (%s)",
			    "超出本人务工范围（%s）", label);
		return -(int)c->w[P_RANGE];
	}
	if (why)
		tz_trf(why, cap, "within the person's work range (%s)", "在本人务工范围内（%s）",
		    label);
	return 0;
}

static int part_wage(const ctx *c, const vac *v, const per *p, char *why, size_t cap)
{
	if (p->expected_wage < 0 || (v->wage_min < 0 && v->wage_max < 0))
		return NO_PART;
	long e = p->expected_wage;
	int tier;
	if (v->wage_min >= 0 && e <= v->wage_min)
		tier = WAGE_MEETS;
	else if (v->wage_max < 0 || e <= v->wage_max)
		tier = WAGE_WITHIN;
	else
		tier = WAGE_BELOW;
	if (why) {
		char r[64];
		if (v->wage_min >= 0 && v->wage_max >= 0)
			tz_trf(r, sizeof r, "%ld-%ld yuan", "%ld–%ld 元", v->wage_min, v->wage_max);
		else if (v->wage_min >= 0)
			tz_trf(r, sizeof r, "from %ld yuan", "%ld 元起", v->wage_min);
		else
			tz_trf(r, sizeof r, "up to %ld yuan", "最高 %ld 元", v->wage_max);
		if (tier == WAGE_MEETS)
			tz_trf(why, cap, "pay %s meets the expected %ld", "月薪 %s，不低于期望 %ld 元",
			    r, e);
		else if (tier == WAGE_WITHIN)
			tz_trf(why, cap, "expected %ld within the pay %s",
			    "期望 %ld 元，在月薪 %s范围内", e, r);
		else
			tz_trf(why, cap, "expected %ld above the pay %s", "期望 %ld 元，高于月薪 %s",
			    e, r);
	}
	return pct_of(c->w[P_WAGE], wage_pct[tier]);
}

/* An open aid case, else key groups. */
static int part_priority(const ctx *c, const vac *v, const per *p, char *why, size_t cap)
{
	(void)v;
	if (!p->open_case && !(p->key_groups && *p->key_groups))
		return NO_PART;
	if (why) {
		char groups[512] = "";
		for (const char *s = p->key_groups; s && *s;) {
			size_t k = strcspn(s, ",");
			char code[32];
			snprintf(code, sizeof code, "%.*s", (int)(k < 31 ? k : 31), s);
			size_t len = strlen(groups);
			snprintf(groups + len, sizeof groups - len, "%s%s",
				 len ? tz_tr(", ", "、") : "", tz_schema_code_label(tz_schema_codes_key_groups, code));
			s += k + (s[k] == ',');
		}
		if (p->open_case && groups[0])
			tz_trf(why, cap, "assisted person with an open aid case (key group: %s)",
			    "援助对象（援助案例未结，重点群体：%s）", groups);
		else if (p->open_case)
			snprintf(why, cap, "%s", tz_tr("assisted person with an open aid case",
						       "援助对象（援助案例未结）"));
		else
			tz_trf(why, cap, "key group: %s", "重点群体：%s", groups);
	}
	return (int)(p->open_case ? c->w[P_AID] : c->w[P_KEY]);
}

/* The parts in the order their reasons are given. */
static const part_fn parts[] = {
	part_skills, part_occupation, part_location, part_range, part_wage, part_priority,
};

/* The score of p for v (never below 0); with why, the reasons too. */
static int score(const ctx *c, const vac *v, const per *p, tz_buf *why)
{
	int total = 0;
	char t[512];
	for (size_t i = 0; i < sizeof parts / sizeof parts[0]; i++) {
		int pts = parts[i](c, v, p, why ? t : NULL, sizeof t);
		if (pts == NO_PART)
			continue;
		total += pts;
		if (why)
			reason(why, pts, t);
	}
	return total < 0 ? 0 : total;
}

/* ---- the best `limit` ---- */

typedef struct {
	int score;
	char id[33];
	void *rec; /* an owned copy of the record */
} slot;

typedef struct {
	slot *s;
	size_t n, limit;
	void (*free_rec)(void *);
} best;

/* 1 if (sa, ida) ranks before (sb, idb): higher score, then smaller id. */
static int before(int sa, const char *ida, int sb, const char *idb)
{
	return sa != sb ? sa > sb : strcmp(ida, idb) < 0;
}

/* Would (sc, id) make it into the list? */
static int best_wants(const best *b, int sc, const char *id)
{
	return b->n < b->limit || before(sc, id, b->s[b->n - 1].score, b->s[b->n - 1].id);
}

static void best_put(best *b, int sc, const char *id, void *rec)
{
	size_t i;
	if (b->n < b->limit) {
		i = b->n++;
	} else {
		i = b->n - 1;
		b->free_rec(b->s[i].rec);
	}
	while (i > 0 && before(sc, id, b->s[i - 1].score, b->s[i - 1].id)) {
		b->s[i] = b->s[i - 1];
		i--;
	}
	b->s[i].score = sc;
	snprintf(b->s[i].id, sizeof b->s[i].id, "%s", id);
	b->s[i].rec = rec;
}

/* ---- owned copies ---- */

static char *dup(const char *s)
{
	return s ? strdup(s) : NULL;
}

#define PER_STRS(X)                                                                            \
	X(name) X(gender) X(birth) X(education) X(status) X(key_groups) X(skills) X(intention) \
	X(occupation) X(work_range) X(village) X(ref_status) X(work_ability)
#define VAC_STRS(X)                                                                           \
	X(title) X(employer) X(location) X(gender) X(edu_min) X(skills) X(occupation)         \
	X(valid_from) X(valid_until) X(ref_status)

static void per_free(void *x)
{
	per *p = x;
	if (!p)
		return;
#define FREE(f) free((char *)p->f);
	PER_STRS(FREE)
#undef FREE
	free(p);
}

static per *per_copy(const per *src)
{
	per *p = malloc(sizeof *p);
	if (!p)
		return NULL;
	*p = *src;
#define DUP(f) p->f = dup(src->f);
	PER_STRS(DUP)
#undef DUP
	return p;
}

static void vac_free(void *x)
{
	vac *v = x;
	if (!v)
		return;
#define FREE(f) free((char *)v->f);
	VAC_STRS(FREE)
#undef FREE
	free(v);
}

static vac *vac_copy(const vac *src)
{
	vac *v = malloc(sizeof *v);
	if (!v)
		return NULL;
	*v = *src;
#define DUP(f) v->f = dup(src->f);
	VAC_STRS(DUP)
#undef DUP
	return v;
}

/* ---- reading records ---- */

#define VAC_COLS                                                                               \
	"v.id, v.title, e.name, coalesce(v.location, e.region), v.gender, v.education_min,"     \
	" v.skills, v.occupation, v.valid_from, v.valid_until, v.openings, v.wage_min,"       \
	" v.wage_max, v.age_min, v.age_max,"                                                  \
	" (SELECT count(*) FROM referral r WHERE r.vacancy=v.id AND r._deleted=0"             \
	"  AND instr(',' || ?1 || ',', ',' || r.status || ',') > 0)"

static void vac_from(sqlite3_stmt *st, int base, vac *v)
{
	memset(v, 0, sizeof *v);
	snprintf(v->id, sizeof v->id, "%s", col(st, base) ? col(st, base) : "");
	v->title = col(st, base + 1);
	v->employer = col(st, base + 2);
	v->location = col(st, base + 3);
	v->gender = col(st, base + 4);
	v->edu_min = col(st, base + 5);
	v->skills = col(st, base + 6);
	v->occupation = col(st, base + 7);
	v->valid_from = col(st, base + 8);
	v->valid_until = col(st, base + 9);
	v->openings = col_long(st, base + 10);
	v->wage_min = col_long(st, base + 11);
	v->wage_max = col_long(st, base + 12);
	v->age_min = col_long(st, base + 13);
	v->age_max = col_long(st, base + 14);
	v->hired = col_long(st, base + 15);
}
#define VAC_NCOLS 16

#define PER_COLS                                                                               \
	"p.id, p.name, p.gender, p.birth_date, p.education, p.employment_status, p.key_groups," \
	" p.skills, p.job_intention, p.occupation, p.work_range, h.village, p.work_ability,"    \
	" p.expected_wage, p.want_work,"                                                       \
	" EXISTS(SELECT 1 FROM aid_case a WHERE a.person=p.id AND a._deleted=0"                 \
	"  AND instr(',' || ?2 || ',', ',' || a.status || ',') > 0)"

static void per_from(sqlite3_stmt *st, int base, per *p)
{
	memset(p, 0, sizeof *p);
	snprintf(p->id, sizeof p->id, "%s", col(st, base) ? col(st, base) : "");
	p->name = col(st, base + 1);
	p->gender = col(st, base + 2);
	p->birth = col(st, base + 3);
	p->education = col(st, base + 4);
	p->status = col(st, base + 5);
	p->key_groups = col(st, base + 6);
	p->skills = col(st, base + 7);
	p->intention = col(st, base + 8);
	p->occupation = col(st, base + 9);
	p->work_range = col(st, base + 10);
	p->village = col(st, base + 11);
	p->work_ability = col(st, base + 12);
	p->expected_wage = col_long(st, base + 13);
	p->want_work = col_long(st, base + 14);
	p->open_case = sqlite3_column_int(st, base + 15);
}
#define PER_NCOLS 16

/* ---- the list ---- */

static void warn(tz_match_list *l, const char *en, const char *zh, ...)
	__attribute__((format(printf, 2, 4))) __attribute__((format(printf, 3, 4)));
static void warn(tz_match_list *l, const char *en, const char *zh, ...)
{
	char tmp[1024];
	va_list ap;
	va_start(ap, zh);
	vsnprintf(tmp, sizeof tmp, tz_tr(en, zh), ap);
	va_end(ap);
	char **w = realloc(l->warnings, (l->nwarnings + 1) * sizeof *w);
	if (!w)
		return;
	l->warnings = w;
	if ((w[l->nwarnings] = strdup(tmp)))
		l->nwarnings++;
}

void tz_match_free(tz_match_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].name);
		free(l->items[i].flags);
		free(l->items[i].reasons);
	}
	free(l->items);
	for (size_t i = 0; i < l->nwarnings; i++)
		free(l->warnings[i]);
	free(l->warnings);
	memset(l, 0, sizeof *l);
}

static tz_status ctx_init(ctx *c, tz_db *db, const tz_match_opts *o, tz_match_list *out,
			  tz_err *err)
{
	memset(out, 0, sizeof *out);
	memset(c, 0, sizeof *c);
	if (o && o->date) {
		tz_status st = tz_valid_date(o->date, c->date, err);
		if (st)
			return st;
	} else {
		tz_clock_today(c->date);
	}
	memcpy(out->date, c->date, sizeof out->date);
	for (int i = 0; i < NPARTS; i++)
		c->w[i] = tz_settings_int(db, weight_keys[i]);
	c->age_min = tz_settings_int(db, "labour.age_min");
	c->retire_m = tz_settings_int(db, "labour.retire_age_m");
	c->retire_f = tz_settings_int(db, "labour.retire_age_f");
	c->seekers = tz_settings_str(db, "match.seeker_status", NULL);
	c->employed = tz_settings_str(db, "match.employed_status", NULL);
	c->range_codes = field_codes("person", "work_range");
	c->status_codes = field_codes("person", "employment_status");
	if (!c->seekers || !c->employed)
		return tz_nomem(err);
	return TZ_OK;
}

static void ctx_free(ctx *c)
{
	free(c->seekers);
	free(c->employed);
}

static tz_status bad_id(const char *what_en, const char *what_zh, const char *id, tz_err *err)
{
	return tz_fail(err, TZ_ENOTFOUND, "no %s with id %.40s", "找不到编号为 %2$.40s 的%1$s",
		       tz_tr(what_en, what_zh), id ? id : "");
}

/* A record id (32 hex digits, either case) lower-cased into out; 0 if
 * it is not one. */
static int norm_id(const char *id, char out[33])
{
	if (!id || strlen(id) != 32 || strspn(id, "0123456789abcdefABCDEF") != 32)
		return 0;
	for (int i = 0; i < 32; i++)
		out[i] = (char)lower_ascii((unsigned char)id[i]);
	out[32] = '\0';
	return 1;
}

/* Is the vacancy open on the date?  Warns and returns 0 if not. */
static int vac_open(const ctx *c, const vac *v, tz_match_list *l, int say)
{
	if (v->valid_until && strcmp(v->valid_until, c->date) < 0) {
		if (say)
			warn(l, "the vacancy expired on %s", "岗位已过期（有效期至 %s）",
			     v->valid_until);
		return 0;
	}
	if (v->valid_from && strcmp(v->valid_from, c->date) > 0) {
		if (say)
			warn(l, "the vacancy opens on %s", "岗位尚未开始招聘（发布日期 %s）",
			     v->valid_from);
		return 0;
	}
	if (v->openings >= 0 && v->openings - (v->hired > 0 ? v->hired : 0) <= 0) {
		if (say)
			warn(l, "the vacancy is filled (%ld openings, %ld hired)",
			     "岗位已招满（招聘 %ld 人，已录用 %ld 人）", v->openings, v->hired);
		return 0;
	}
	return 1;
}

static void gender_warning(tz_match_list *l, const vac *v)
{
	warn(l,
	     "vacancy '%s' requires gender %s: the Employment Promotion Law forbids gender "
	     "discrimination in hiring, so this requirement may be unlawful",
	     "岗位“%s”限定性别（%s）：《就业促进法》禁止就业性别歧视，该要求可能违法",
	     v->title ? v->title : "", tz_schema_code_label(tz_schema_codes_gender, v->gender));
}

/* Comma-separated flags from up to two words (NULL or "" skipped). */
static char *flags_join(const char *a, const char *b)
{
	tz_buf f = {0};
	const char *words[2] = {a, b};
	for (int i = 0; i < 2; i++) {
		if (!words[i] || !*words[i])
			continue;
		if (f.len)
			tz_buf_str(&f, ",");
		tz_buf_str(&f, words[i]);
	}
	char *r = tz_buf_cstr(&f);
	if (!r)
		tz_buf_free(&f);
	return r;
}

/* Turn the kept slots into items with their reasons. */
static tz_status finish(const ctx *c, best *b, tz_match_list *out, const vac *the_vac,
			const per *the_per, tz_err *err)
{
	out->items = calloc(b->n ? b->n : 1, sizeof *out->items);
	if (!out->items)
		return tz_nomem(err);
	int oom = 0;
	for (size_t i = 0; i < b->n; i++) {
		const vac *v = the_vac ? the_vac : b->s[i].rec;
		const per *p = the_per ? the_per : b->s[i].rec;
		tz_match_item *it = &out->items[out->n++];
		tz_buf why = {0};
		it->score = score(c, v, p, &why);
		snprintf(it->id, sizeof it->id, "%s", b->s[i].id);
		if (!(it->reasons = tz_buf_cstr(&why)))
			tz_buf_free(&why);
		if (the_vac) {
			it->name = strdup(p->name ? p->name : "");
			const char *emp = tz_settings_codes_has(c->employed, p->status) ? "employed" : NULL;
			it->flags = flags_join(emp, p->ref_status);
		} else {
			char nm[512];
			if (v->employer)
				tz_trf(nm, sizeof nm, "%s (%s)", "%s（%s）", v->title ? v->title : "",
					 v->employer);
			else
				snprintf(nm, sizeof nm, "%s", v->title ? v->title : "");
			it->name = strdup(nm);
			it->flags = flags_join(v->ref_status, vac_gender(v) ? "gender_req" : NULL);
		}
		if (!it->name || !it->flags || !it->reasons)
			oom = 1;
	}
	return oom ? tz_nomem(err) : TZ_OK;
}

static void best_free(best *b)
{
	for (size_t i = 0; i < b->n; i++)
		b->free_rec(b->s[i].rec);
	free(b->s);
}

/* Append "?N,?N+1,..." for the codes of a comma-separated list to sql
 * ("NULL" for none); *next is the first parameter number and advances. */
static void sql_list(char *sql, size_t cap, const char *list, int *next)
{
	int first = 1;
	for (const char *p = list; p && *p;) {
		size_t k = strcspn(p, ",");
		size_t len = strlen(sql);
		snprintf(sql + len, cap - len, "%s?%d", first ? "" : ",", (*next)++);
		first = 0;
		p += k + (p[k] == ',');
	}
	if (first) {
		size_t len = strlen(sql);
		snprintf(sql + len, cap - len, "NULL");
	}
}

static int bind_list(sqlite3_stmt *st, int idx, const char *list)
{
	for (const char *p = list; p && *p;) {
		size_t k = strcspn(p, ",");
		sqlite3_bind_text(st, idx++, p, (int)k, SQLITE_TRANSIENT);
		p += k + (p[k] == ',');
	}
	return idx;
}

/* Birth-date bound: born after (year - years)-MM-DD means younger than
 * `years` on date. */
static void years_before(const char *date, long years, char out[16])
{
	long y = strtol(date, NULL, 10) - years;
	if (y < 0)
		y = 0;
	snprintf(out, 16, "%04ld%.6s", y % 10000, date + 4);
}

/* Start a match: the context, then the subject's live row by id.  sql
 * binds the id at id_idx and aux at aux_idx; on success *row stands on
 * the row (the caller copies it and resets the statement), on failure
 * the context is freed already. */
static tz_status match_start(ctx *c, tz_db *db, const tz_match_opts *o, tz_match_list *out,
			     const char *sql, int id_idx, int aux_idx, const char *aux,
			     const char *raw_id, const char *en, const char *zh,
			     sqlite3_stmt **row, tz_err *err)
{
	tz_status st = ctx_init(c, db, o, out, err);
	char id[33];
	if (!st && !norm_id(raw_id, id))
		st = bad_id(en, zh, raw_id, err);
	sqlite3_stmt *s = st ? NULL : tz_db_stmt(db, sql);
	if (!st && !s)
		st = tz_db_fail(db, err, en);
	if (!st) {
		sqlite3_bind_text(s, id_idx, id, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(s, aux_idx, aux, -1, SQLITE_STATIC);
		int rc = sqlite3_step(s);
		if (rc != SQLITE_ROW) {
			sqlite3_reset(s);
			st = rc == SQLITE_DONE ? bad_id(en, zh, raw_id, err)
					       : tz_db_fail(db, err, en);
		}
	}
	if (st)
		ctx_free(c);
	*row = s;
	return st;
}

/* The ranked list's slots, as many as asked for. */
static tz_status best_init(best *b, const tz_match_opts *o, void (*free_rec)(void *),
			   tz_err *err)
{
	*b = (best){.limit = o && o->limit > 0 ? (size_t)o->limit : TZ_MATCH_DEFAULT_LIMIT,
		    .free_rec = free_rec};
	b->s = calloc(b->limit, sizeof *b->s);
	return b->s ? TZ_OK : tz_nomem(err);
}

tz_status tz_match_vacancy(tz_db *db, const char *vacancy_id, const tz_match_opts *o,
			   tz_match_list *out, tz_err *err)
{
	ctx c;
	static const char vsql[] = "SELECT " VAC_COLS " FROM vacancy v"
				   " LEFT JOIN employer e ON e.id=v.employer"
				   " WHERE v.id=?2 AND v._deleted=0";
	sqlite3_stmt *vs;
	tz_status st = match_start(&c, db, o, out, vsql, 2, 1, filled_status, vacancy_id,
				   "vacancy", "岗位", &vs, err);
	if (st)
		return st;
	vac tmpv;
	vac_from(vs, 0, &tmpv);
	vac *v = vac_copy(&tmpv);
	sqlite3_reset(vs);
	if (!v) {
		ctx_free(&c);
		return tz_nomem(err);
	}
	if (vac_gender(v))
		gender_warning(out, v);
	best b;
	if ((st = best_init(&b, o, per_free, err))) {
		vac_free(v);
		ctx_free(&c);
		return st;
	}
	if (!vac_open(&c, v, out, 1))
		goto done;

	/* Prefilter in SQL: status (or wanting work), birth dates for the
	 * working age and the vacancy's ages, gender, education. */
	long lo_age = c.age_min, hi_m = c.retire_m - 1, hi_f = c.retire_f - 1;
	if (v->age_min > lo_age)
		lo_age = v->age_min;
	if (v->age_max >= 0 && v->age_max < hi_m)
		hi_m = v->age_max;
	if (v->age_max >= 0 && v->age_max < hi_f)
		hi_f = v->age_max;
	char young[16], old_m[16], old_f[16];
	years_before(c.date, lo_age, young);
	years_before(c.date, hi_m + 1, old_m);
	years_before(c.date, hi_f + 1, old_f);
	char edu_ok[64] = "";
	int min_rank = v->edu_min ? tz_match_education_rank(v->edu_min) : EDU_LOWEST;
	for (size_t i = 0; i < sizeof edu_ranks / sizeof edu_ranks[0]; i++) {
		if (edu_ranks[i].rank > min_rank)
			continue;
		size_t len = strlen(edu_ok);
		snprintf(edu_ok + len, sizeof edu_ok - len, "%s%s", len ? "," : "",
			 edu_ranks[i].code);
	}
	char sql[4096];
	snprintf(sql, sizeof sql,
		 "SELECT " PER_COLS ","
		 " (SELECT r.status FROM referral r WHERE r.person=p.id AND r.vacancy=?3"
		 "  AND r._deleted=0 ORDER BY r.date DESC, r.id DESC LIMIT 1)"
		 " FROM person p LEFT JOIN household h ON h.id=p.household"
		 " WHERE p._deleted=0 AND (p.employment_status IN (");
	int next = 9;
	sql_list(sql, sizeof sql, c.seekers, &next);
	size_t len = strlen(sql);
	snprintf(sql + len, sizeof sql - len,
		 ") AND p.birth_date > ?4 AND p.birth_date <= ?5"
		 " OR p.want_work = 1 AND p.birth_date > ?4 AND p.birth_date <= ?5)"
		 " AND p.birth_date > CASE p.gender WHEN 'F' THEN ?6 ELSE ?7 END"
		 " AND p.gender IS NOT NULL AND (?8 IS NULL OR p.gender = ?8)"
		 " AND %s", min_rank >= EDU_LOWEST ? "1" : "p.education IN (");
	if (min_rank < EDU_LOWEST) {
		sql_list(sql, sizeof sql, edu_ok, &next);
		len = strlen(sql);
		snprintf(sql + len, sizeof sql - len, ")");
	}
	/* placeholders: ?1 unused here, ?2 live case statuses, ?3 vacancy,
	 * ?4..?8, then the seeker codes, then the education codes */
	sqlite3_stmt *ps;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &ps, NULL) != SQLITE_OK) {
		st = tz_db_fail(db, err, "person");
		goto done;
	}
	sqlite3_bind_text(ps, 2, case_live_status, -1, SQLITE_STATIC);
	sqlite3_bind_text(ps, 3, v->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ps, 4, strcmp(old_m, old_f) < 0 ? old_m : old_f, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ps, 5, young, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ps, 6, old_f, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(ps, 7, old_m, -1, SQLITE_TRANSIENT);
	if (vac_gender(v))
		sqlite3_bind_text(ps, 8, v->gender, -1, SQLITE_TRANSIENT);
	int idx = bind_list(ps, 9, c.seekers);
	if (min_rank < EDU_LOWEST)
		bind_list(ps, idx, edu_ok);
	int rc;
	while ((rc = sqlite3_step(ps)) == SQLITE_ROW) {
		per p;
		per_from(ps, 0, &p);
		p.ref_status = col(ps, PER_NCOLS);
		if (!is_seeker(&c, &p) || !working_age(&c, &p) || !hard_ok(&c, v, &p))
			continue;
		out->candidates++;
		int sc = score(&c, v, &p, NULL);
		if (!best_wants(&b, sc, p.id))
			continue;
		per *keep = per_copy(&p);
		if (!keep) {
			st = tz_nomem(err);
			break;
		}
		best_put(&b, sc, p.id, keep);
	}
	if (!st && rc != SQLITE_DONE)
		st = tz_db_fail(db, err, "person");
	sqlite3_finalize(ps);
done:
	if (!st)
		st = finish(&c, &b, out, v, NULL, err);
	best_free(&b);
	vac_free(v);
	ctx_free(&c);
	if (st)
		tz_match_free(out);
	return st;
}

tz_status tz_match_person(tz_db *db, const char *person_id, const tz_match_opts *o,
			  tz_match_list *out, tz_err *err)
{
	ctx c;
	static const char psql[] = "SELECT " PER_COLS " FROM person p"
				   " LEFT JOIN household h ON h.id=p.household"
				   " WHERE p.id=?1 AND p._deleted=0";
	sqlite3_stmt *ps;
	tz_status st = match_start(&c, db, o, out, psql, 1, 2, case_live_status, person_id,
				   "person", "人员", &ps, err);
	if (st)
		return st;
	per tmpp;
	per_from(ps, 0, &tmpp);
	per *p = per_copy(&tmpp);
	sqlite3_reset(ps);
	if (!p) {
		ctx_free(&c);
		return tz_nomem(err);
	}
	const char *nm = p->name ? p->name : "";
	if (p->want_work == 0)
		warn(out, "%s does not want work", "%s 无就业意愿", nm);
	else if (p->work_ability && !strcmp(p->work_ability, "none"))
		warn(out, "%s is unable to work", "%s 无劳动能力", nm);
	else if (!is_seeker(&c, p))
		warn(out, "%s is not a job seeker (employment status: %s)",
		     "%s 不是求职人员（就业状态：%s）", nm,
		     p->status ? tz_schema_code_label(c.status_codes, p->status) : tz_tr("none", "未填"));
	else if (!working_age(&c, p))
		warn(out, "%s is not of working age", "%s 不在劳动年龄内", nm);

	best b;
	if ((st = best_init(&b, o, vac_free, err))) {
		per_free(p);
		ctx_free(&c);
		return st;
	}
	static const char vsql[] =
		"SELECT " VAC_COLS ","
		" (SELECT r.status FROM referral r WHERE r.vacancy=v.id AND r.person=?2"
		"  AND r._deleted=0 ORDER BY r.date DESC, r.id DESC LIMIT 1)"
		" FROM vacancy v LEFT JOIN employer e ON e.id=v.employer"
		" WHERE v._deleted=0 AND (v.valid_until IS NULL OR v.valid_until >= ?3)"
		" AND (v.valid_from IS NULL OR v.valid_from <= ?3)";
	sqlite3_stmt *vs = tz_db_stmt(db, vsql);
	if (!vs) {
		st = tz_db_fail(db, err, "vacancy");
		goto done;
	}
	sqlite3_bind_text(vs, 1, filled_status, -1, SQLITE_STATIC);
	sqlite3_bind_text(vs, 2, p->id, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(vs, 3, c.date, -1, SQLITE_TRANSIENT);
	int rc;
	while ((rc = sqlite3_step(vs)) == SQLITE_ROW) {
		vac v;
		vac_from(vs, 0, &v);
		v.ref_status = col(vs, VAC_NCOLS);
		if (!vac_open(&c, &v, out, 0) || !hard_ok(&c, &v, p))
			continue;
		out->candidates++;
		int sc = score(&c, &v, p, NULL);
		if (!best_wants(&b, sc, v.id))
			continue;
		vac *keep = vac_copy(&v);
		if (!keep) {
			st = tz_nomem(err);
			break;
		}
		best_put(&b, sc, v.id, keep);
	}
	if (!st && rc != SQLITE_DONE)
		st = tz_db_fail(db, err, "vacancy");
	sqlite3_reset(vs);
	for (size_t i = 0; !st && i < b.n; i++) {
		const vac *v = b.s[i].rec;
		if (vac_gender(v))
			gender_warning(out, v);
	}
done:
	if (!st)
		st = finish(&c, &b, out, NULL, p, err);
	best_free(&b);
	per_free(p);
	ctx_free(&c);
	if (st)
		tz_match_free(out);
	return st;
}
