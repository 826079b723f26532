/* platform.c - the platform checklist with the full-employment-community
 * indicators (platform.h, docs/reports.md). */
#include "taizhang/platform.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "query.h"
#include "taizhang/buf.h"
#include "taizhang/match.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/settings.h"
#include "taizhang/validate.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- the platform checklist ---- */

static const struct {
	const char *word, *en, *zh;
} check_names[TZ_CHK_N] = {
#define TZ_X(e, word, en, zh) [e] = {word, en, zh},
	TZ_CHECK_ITEMS(TZ_X)
#undef TZ_X
};

const char *tz_platform_check_name(tz_platform_item i)
{
	return (unsigned)i < TZ_CHK_N ? check_names[i].word : "?";
}

const char *tz_platform_check_label(tz_platform_item i)
{
	return (unsigned)i < TZ_CHK_N ? tz_tr(check_names[i].en, check_names[i].zh) : "?";
}

void tz_platform_report_free(tz_platform_report *r)
{
	if (!r)
		return;
	for (int i = 0; i < r->n; i++)
		free(r->rows[i].name);
	free(r->rows);
	memset(r, 0, sizeof *r);
}

/* Platform level -> the report's staffing level and the space setting. */
static const struct {
	const char *level;
	tz_region_level rl;
	const char *space_key;
	int digits; /* region-code prefix its figures cover */
} levels[] = {
	{"township", TZ_LEVEL_TOWNSHIP, "platform.space_min.township", 9},
	{"street", TZ_LEVEL_TOWNSHIP, "platform.space_min.street", 9},
	{"community", TZ_LEVEL_COMMUNITY, "platform.space_min.community", 12},
	{"village", TZ_LEVEL_VILLAGE, "platform.space_min.village", 12},
};

static int level_index(const char *level)
{
	for (int i = 0; i < N(levels); i++)
		if (!strcmp(levels[i].level, level))
			return i;
	return N(levels) - 1;
}

/* 1, 0 or -1 for an unrecorded boolean field */
static int flag(const char *v) { return v ? atoi(v) != 0 : -1; }

static void set_rate(tz_platform_check *c, long num, long den, long need)
{
	c->need = need * 100;
	if (den <= 0) {
		c->have = -1;
		c->met = 1; /* nobody to employ: nothing missing */
		tz_trf(c->note, sizeof c->note, "nobody counted", "无统计对象");
		return;
	}
	c->have = (num * 20000 + den) / (2 * den);
	c->met = num * 100 >= need * den;
	/* persons to place for the rate to reach the standard */
	long want = (need * den + 99) / 100;
	c->gap = c->met ? 0 : want - num;
	tz_trf(c->note, sizeof c->note, "%ld of %ld employed", "%2$ld 人中 %1$ld 人就业", num, den);
}

static tz_status platform_row(tz_db *db, const tz_report *rep, const tz_row *pf,
			      tz_platform_row *row, tz_err *err)
{
	(void)err;
	const char *lv = pf ? tz_query_val(pf, "level") : NULL;
	if (lv)
		snprintf(row->level, sizeof row->level, "%s", lv);
	int li = level_index(row->level);
	size_t digits = (size_t)levels[li].digits;
	long rate_min = tz_settings_int(db, "platform.rate_min");
	tz_platform_check *c;

	/* staff: the staff records of the region, as the monthly report
	 * counts them; else the declared number */
	c = &row->items[TZ_CHK_STAFF];
	c->need = rep->staff_min[levels[li].rl];
	const tz_report_staff *rs = NULL;
	for (int i = 0; i < rep->nstaff; i++)
		if (!strcmp(rep->staff[i].region, row->region))
			rs = &rep->staff[i];
	const char *declared = pf ? tz_query_val(pf, "staff_count") : NULL;
	if (rs && rs->in_post > 0) {
		c->have = rs->counted;
		tz_trf(c->note, sizeof c->note, "%ld staff records in post, %ld counted",
		    "在岗 %ld 人，计入 %ld 人", rs->in_post, rs->counted);
	} else if (declared) {
		c->have = atol(declared);
		tz_trf(c->note, sizeof c->note, "declared on the platform record (no staff records)",
		    "平台登记的配备人数（无工作人员记录）");
	} else {
		c->have = 0;
		tz_trf(c->note, sizeof c->note, "no staff records", "无工作人员记录");
	}
	c->met = c->have >= c->need;
	c->gap = c->met ? 0 : c->need - c->have;

	/* space: m2 against the level's minimum; a village needs an office */
	c = &row->items[TZ_CHK_SPACE];
	c->need = tz_settings_int(db, levels[li].space_key);
	const char *sp = pf ? tz_query_val(pf, "space_m2") : NULL;
	int office = pf ? flag(tz_query_val(pf, "office")) : -1;
	if (levels[li].rl == TZ_LEVEL_VILLAGE) {
		c->have = sp ? atol(sp) : 0;
		c->met = office < 0 && !sp ? -1 : (office == 1 || c->have > 0) && c->have >= c->need;
		tz_trf(c->note, sizeof c->note, "office: %s", "办公场所：%s",
		    office < 0 ? tz_tr("not recorded", "未登记") : office ? tz_tr("yes", "有")
									     : tz_tr("no", "无"));
	} else if (!sp) {
		c->met = -1;
		tz_trf(c->note, sizeof c->note, "space not recorded", "未登记场地面积");
	} else {
		c->have = atol(sp);
		c->met = c->have >= c->need;
		c->gap = c->met ? 0 : c->need - c->have;
		tz_trf(c->note, sizeof c->note, "%ld m2 (minimum %ld)", "%ld 平方米（最低 %ld）", c->have,
		    c->need);
	}

	/* facilities */
	int comp = pf ? flag(tz_query_val(pf, "computer")) : -1, net = pf ? flag(tz_query_val(pf, "network")) : -1;
	c = &row->items[TZ_CHK_COMPUTER];
	c->need = 1;
	c->met = comp == 0 || net == 0 ? 0 : comp < 0 || net < 0 ? -1 : 1;
	c->have = c->met == 1;
	tz_trf(c->note, sizeof c->note, "computer: %s, network: %s", "电脑：%s，网络：%s",
	    comp < 0 ? "?" : comp ? tz_tr("yes", "有") : tz_tr("no", "无"),
	    net < 0 ? "?" : net ? tz_tr("yes", "有") : tz_tr("no", "无"));
	const struct {
		tz_platform_item i;
		const char *field;
	} simple[] = {{TZ_CHK_ARCHIVE, "archive"}, {TZ_CHK_NOTICE, "notice_board"}};
	for (int k = 0; k < N(simple); k++) {
		c = &row->items[simple[k].i];
		int v = pf ? flag(tz_query_val(pf, simple[k].field)) : -1;
		c->need = 1;
		c->met = v;
		c->have = v == 1;
		snprintf(c->note, sizeof c->note, "%s",
			 v < 0 ? tz_tr("not recorded", "未登记") : v ? tz_tr("yes", "有") : tz_tr("no", "无"));
	}

	/* the full-employment indicators over the villages the platform covers */
	tz_report_row sum;
	memset(&sum, 0, sizeof sum);
	for (int i = 0; i < rep->nrows; i++) {
		const tz_report_row *r = &rep->rows[i];
		if (strncmp(r->region, row->region, digits))
			continue;
#define TZ_X(f) sum.f += r->f;
		TZ_REPORT_FIGURES(TZ_X)
#undef TZ_X
	}
	set_rate(&row->items[TZ_CHK_RATE], sum.employed, sum.employed + sum.job_seekers, rate_min);
	set_rate(&row->items[TZ_CHK_RATE_REG], sum.reg_recent_employed, sum.reg_recent, rate_min);
	set_rate(&row->items[TZ_CHK_RATE_KEY], sum.kg_employed, sum.kg_employed + sum.kg_seekers,
		 rate_min);
	c = &row->items[TZ_CHK_LONG];
	c->have = sum.unemployed_long;
	c->need = 0;
	c->met = c->have == 0;
	c->gap = c->have;
	tz_trf(c->note, sizeof c->note, "%ld unemployed more than %ld months",
	    "失业超过 %2$ld 个月的 %1$ld 人", sum.unemployed_long, rep->long_unemp_months);
	c = &row->items[TZ_CHK_ZERO];
	long late = 0, open = 0;
	for (int i = 0; i < rep->nzero; i++) {
		if (strncmp(rep->zero[i].village, row->region, digits))
			continue;
		open++;
		late += rep->zero[i].late != 0;
	}
	c->have = late;
	c->need = 0;
	c->met = late == 0;
	c->gap = late;
	tz_trf(c->note, sizeof c->note, "%ld not cleared within %ld days (%ld not yet cleared)",
	    "超过 %2$ld 天未清零 %1$ld 户（未清零共 %3$ld 户）", late, rep->zero_emp_days, open);
	for (int i = 0; i < TZ_CHK_N; i++) {
		if (row->items[i].met == 1)
			row->nmet++;
		else if (row->items[i].met == 0)
			row->nnot++;
		else
			row->nunknown++;
	}
	return TZ_OK;
}

typedef struct {
	tz_db *db;
	const tz_report *rep;
	tz_platform_report *out;
	size_t cap;
	tz_status st;
	tz_err *err;
} pf_ctx;

static tz_platform_row *pf_new(pf_ctx *c)
{
	tz_platform_report *o = c->out;
	tz_platform_row *p = tz_buf_grow(o->rows, (size_t)o->n, &c->cap, sizeof *p);
	if (!p)
		return NULL;
	o->rows = p;
	tz_platform_row *r = &o->rows[o->n++];
	memset(r, 0, sizeof *r);
	return r;
}

static int pf_each(void *ctx, const tz_row *pf)
{
	pf_ctx *c = ctx;
	tz_platform_row *r = pf_new(c);
	if (!r) {
		c->st = tz_nomem(c->err);
		return 1;
	}
	snprintf(r->id, sizeof r->id, "%s", pf->id);
	snprintf(r->region, sizeof r->region, "%s", tz_query_val(pf, "region") ? tz_query_val(pf, "region") : "");
	r->name = tz_query_dup(tz_query_val(pf, "name"));
	snprintf(r->level, sizeof r->level, "village");
	if ((c->st = platform_row(c->db, c->rep, pf, r, c->err)))
		return 1;
	return 0;
}

static int pf_cmp(const void *a, const void *b)
{
	const tz_platform_row *x = a, *y = b;
	int r = strcmp(x->region, y->region);
	return r ? r : strcmp(x->id, y->id);
}

tz_status tz_platform_collect(tz_db *db, const char *period, tz_platform_report *out,
			     tz_err *err)
{
	memset(out, 0, sizeof *out);
	tz_report rep;
	tz_status st = tz_report_monthly(db, period, &rep, err);
	if (st)
		return st;
	memcpy(out->period, rep.period, sizeof out->period);
	memcpy(out->asat, rep.asat, sizeof out->asat);
	pf_ctx c = {.db = db, .rep = &rep, .out = out, .err = err};
	st = tz_record_list(db, "platform", NULL, 0, pf_each, &c, err);
	if (!st)
		st = c.st;
	if (!st && out->n == 0 && rep.region[0]) {
		/* no platform record: this database's region, facilities unknown */
		tz_platform_row *r = pf_new(&c);
		if (!r) {
			st = tz_nomem(err);
		} else {
			snprintf(r->region, sizeof r->region, "%s", rep.region);
			r->name = tz_query_dup(rep.name);
			static const char *const by_level[] = {
				[TZ_LEVEL_COUNTY] = "township", [TZ_LEVEL_TOWNSHIP] = "township",
				[TZ_LEVEL_COMMUNITY] = "community", [TZ_LEVEL_VILLAGE] = "village"};
			snprintf(r->level, sizeof r->level, "%s",
				 by_level[tz_report_level_of(rep.region)]);
			st = platform_row(db, &rep, NULL, r, err);
		}
	}
	tz_report_free(&rep);
	if (st) {
		tz_platform_report_free(out);
		return st;
	}
	if (out->n > 1)
		qsort(out->rows, (size_t)out->n, sizeof *out->rows, pf_cmp);
	return TZ_OK;
}

static void check_cells(const tz_platform_check *c, tz_platform_item i, char *have, char *need, char *gap,
			size_t n)
{
	int rate = i == TZ_CHK_RATE || i == TZ_CHK_RATE_REG || i == TZ_CHK_RATE_KEY;
	if (rate) {
		if (c->have < 0)
			snprintf(have, n, "-");
		else
			snprintf(have, n, "%ld.%02ld%%", c->have / 100, c->have % 100);
		snprintf(need, n, ">=%ld%%", c->need / 100);
	} else if (i == TZ_CHK_COMPUTER || i == TZ_CHK_ARCHIVE || i == TZ_CHK_NOTICE) {
		snprintf(have, n, "%s", c->met < 0 ? "?" : c->have ? tz_tr("yes", "有") : tz_tr("no", "无"));
		snprintf(need, n, "%s", tz_tr("yes", "有"));
	} else if (i == TZ_CHK_LONG || i == TZ_CHK_ZERO) {
		snprintf(have, n, "%ld", c->have);
		snprintf(need, n, "0");
	} else if (c->met < 0) {
		snprintf(have, n, "?");
		snprintf(need, n, ">=%ld", c->need);
	} else {
		snprintf(have, n, "%ld", c->have);
		snprintf(need, n, ">=%ld", c->need);
	}
	if (c->met == 1)
		snprintf(gap, n, "%s", "");
	else if (c->met == 0 && (i == TZ_CHK_COMPUTER || i == TZ_CHK_ARCHIVE || i == TZ_CHK_NOTICE))
		snprintf(gap, n, "%s", tz_tr("needed", "需配备"));
	else if (c->met < 0)
		snprintf(gap, n, "%s", tz_tr("?", "?"));
	else
		snprintf(gap, n, "%ld", c->gap);
}

static const char *met_word(int met)
{
	return met == 1 ? tz_tr("met", "达标") : met == 0 ? tz_tr("NOT MET", "未达标")
						       : tz_tr("not recorded", "未登记");
}

tz_status tz_platform_text(const tz_platform_report *r, FILE *f, tz_err *err)
{
	char line[512];
	tz_trf(line, sizeof line, "Platform checklist  %s", "服务平台达标情况  %s", r->period);
	tz_layout_line(f, line);
	tz_trf(line, sizeof line, "Figures as at the end of %s", "数据截至：%s", r->asat);
	tz_layout_line(f, line);
	const tz_tcol tc_zh[] = {{"结果", 1}, {"实有", 0}, {"标准", 0}, {"缺口", 0}, {"说明", 1}};
	const tz_tcol tc_en[] = {{"result", 1}, {"have", 0}, {"need", 0}, {"gap", 0}, {"how counted", 1}};
	const tz_tcol *tc = tz_lang_get() == TZ_LANG_ZH ? tc_zh : tc_en;
	for (int p = 0; p < r->n; p++) {
		const tz_platform_row *row = &r->rows[p];
		fputc('\n', f);
		tz_trf(line, sizeof line, "%s %s (%s)%s", "%s %s（%s）%s", row->region,
		    row->name ? row->name : "", tz_schema_code_label(tz_schema_codes_platform_level, row->level),
		    row->id[0] ? "" : tz_tr(" - no platform record", "——未登记平台信息"));
		tz_layout_line(f, line);
		tz_trf(line, sizeof line, "%d met, %d not met, %d not recorded",
		    "达标 %d 项，未达标 %d 项，未登记 %d 项", row->nmet, row->nnot, row->nunknown);
		tz_layout_line(f, line);
		enum { NC = 5 };
		char *keys[TZ_CHK_N], *cells[TZ_CHK_N * NC];
		char buf[TZ_CHK_N][4][32];
		for (int i = 0; i < TZ_CHK_N; i++) {
			const tz_platform_check *c = &row->items[i];
			keys[i] = (char *)tz_platform_check_label((tz_platform_item)i);
			check_cells(c, (tz_platform_item)i, buf[i][1], buf[i][2], buf[i][3], 32);
			snprintf(buf[i][0], 32, "%s", met_word(c->met));
			cells[i * NC] = buf[i][0];
			cells[i * NC + 1] = buf[i][1];
			cells[i * NC + 2] = buf[i][2];
			cells[i * NC + 3] = buf[i][3];
			cells[i * NC + 4] = (char *)c->note;
		}
		tz_layout_table(f, tz_tr("Item", "项目"), keys, TZ_CHK_N, tc, NC, cells, 0);
	}
	if (!r->n)
		tz_layout_line(f, tz_tr("No platform recorded and this database has no region.",
				     "未登记服务平台，本数据库也没有区划代码。"));
	fputc('\n', f);
	tz_layout_wrapped(f, tz_tr("Full-employment indicators count the villages the platform covers"
				" (a township: every village of the township). Definitions:"
				" docs/reports.md",
				"充分就业指标统计平台覆盖的村（乡镇平台：全乡镇各村）。各项口径见 docs/reports.md"));
	return tz_query_written(f, err);
}

tz_status tz_platform_sheet(const tz_platform_report *r, tz_sheet_format fmt, FILE *f,
			   const char *path, tz_err *err)
{
	static const struct {
		const char *en, *zh;
		tz_col_kind kind;
	} heads[] = {{"region code", "区划代码", TZ_COL_CODE}, {"platform", "平台名称", TZ_COL_TEXT},
		     {"level", "层级", TZ_COL_TEXT},           {"item", "项目代码", TZ_COL_TEXT},
		     {"item name", "项目", TZ_COL_TEXT},       {"result", "结果", TZ_COL_TEXT},
		     {"have", "实有", TZ_COL_NUM},             {"need", "标准", TZ_COL_NUM},
		     {"gap", "缺口", TZ_COL_NUM},              {"how counted", "说明", TZ_COL_TEXT}};
	tz_sheet_col sc[N(heads)];
	for (int i = 0; i < N(heads); i++)
		sc[i] = (tz_sheet_col){tz_tr(heads[i].en, heads[i].zh), heads[i].kind};
	char title[128], sub[64];
	tz_trf(title, sizeof title, "Service platforms %s", "基层就业服务平台建设 %s", r->period);
	tz_trf(sub, sizeof sub, "as at %s", "截至 %s", r->asat);
	tz_sheet *s;
	tz_status st = tz_sheet_open(&s, fmt, f, path, title, sub, sc, N(heads), err);
	if (st)
		return st;
	for (int p = 0; p < r->n; p++) {
		const tz_platform_row *row = &r->rows[p];
		for (int i = 0; i < TZ_CHK_N; i++) {
			const tz_platform_check *c = &row->items[i];
			char have[32], need[32], gap[32];
			check_cells(c, (tz_platform_item)i, have, need, gap, 32);
			tz_sheet_put(s, row->region);
			tz_sheet_put(s, row->name ? row->name : "");
			tz_sheet_put(s, tz_schema_code_label(tz_schema_codes_platform_level, row->level));
			tz_sheet_put(s, tz_platform_check_name((tz_platform_item)i));
			tz_sheet_put(s, tz_platform_check_label((tz_platform_item)i));
			tz_sheet_put(s, met_word(c->met));
			tz_sheet_put(s, have);
			tz_sheet_put(s, need);
			tz_sheet_put(s, gap);
			tz_sheet_put(s, c->note);
			tz_sheet_row(s);
		}
	}
	return tz_sheet_close(s, err);
}
