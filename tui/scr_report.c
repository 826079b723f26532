/* scr_report.c - the monthly report (core/report.c): its text, or bar
 * charts (F6); F3/F4 the month, F5 CSV. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/clock.h"
#include "taizhang/report.h"
#include "scr.h"

/* A line of the chart page: a heading, or a bar of a section. */
typedef struct {
	char label[64];
	long v;
	int bar, section;
} chartline;

typedef struct {
	char period[8];
	char **lines;
	int n, top;
	int chart;        /* F6: the bar charts instead of the text */
	chartline *cl;
	int ncl;
	long cmax[2];     /* the largest figure of each section */
} reportscr;

static void chart_add(reportscr *r, const char *label, long v, int bar, int section)
{
	chartline *nv = realloc(r->cl, (size_t)(r->ncl + 1) * sizeof *nv);
	if (!nv)
		return;
	r->cl = nv;
	chartline *c = &r->cl[r->ncl++];
	snprintf(c->label, sizeof c->label, "%s", label);
	c->v = v;
	c->bar = bar;
	c->section = section;
	if (bar && v > r->cmax[section])
		r->cmax[section] = v;
}

/* The chart page from the report's figures: per village (and the total
 * when the text report shows one) employment, then placements by measure. */
static void chart_build(reportscr *r, const tz_report *rep)
{
	free(r->cl);
	r->cl = NULL;
	r->ncl = 0;
	r->cmax[0] = r->cmax[1] = 0;
	for (int sec = 0; sec < 2; sec++) {
		char title[128];
		if (sec)
			tz_ui_fmt(title, sizeof title, S_CHART_PLACED, rep->period);
		else
			tz_ui_fmt(title, sizeof title, S_CHART_EMP, rep->asat);
		chart_add(r, title, 0, 0, sec);
		for (int i = 0; i <= rep->nrows; i++) {
			const tz_report_row *row = i < rep->nrows ? &rep->rows[i] : &rep->total;
			if (i == rep->nrows && !rep->show_total)
				break;
			char head[64];
			if (i == rep->nrows)
				snprintf(head, sizeof head, " %s", S(S_CHART_TOTAL));
			else if (!strcmp(row->region, rep->region) && rep->name)
				snprintf(head, sizeof head, " %s %.40s", row->region, rep->name);
			else
				snprintf(head, sizeof head, " %s", row->region);
			chart_add(r, head, 0, 0, sec);
			if (!sec) {
				chart_add(r, S(S_CHART_LOCAL), row->employed_local, 1, sec);
				chart_add(r, S(S_CHART_MIGRANT), row->employed_migrant, 1, sec);
				chart_add(r, S(S_CHART_UNEMP), row->unemployed, 1, sec);
			} else {
				chart_add(r, S(S_CHART_REF), row->placed_referral, 1, sec);
				chart_add(r, S(S_CHART_POST), row->placed_post, 1, sec);
				chart_add(r, S(S_CHART_TRAIN), row->placed_training, 1, sec);
				chart_add(r, S(S_CHART_SUBSIDY), row->placed_subsidy, 1, sec);
				chart_add(r, S(S_CHART_OTHER), row->placed_other, 1, sec);
			}
		}
		if (!sec)
			chart_add(r, "", 0, 0, sec);
	}
}

/* Lines on the current page. */
static int report_lines(const reportscr *r)
{
	return r->chart ? r->ncl : r->n;
}

static void report_load(tz_ui *ui, tz_screen *s)
{
	reportscr *r = s->st;
	for (int i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	r->lines = NULL;
	r->n = r->top = 0;
	free(r->cl);
	r->cl = NULL;
	r->ncl = 0;
	r->cmax[0] = r->cmax[1] = 0;
	tz_report rep;
	tz_err err;
	char *buf = NULL;
	size_t len = 0;
	if (tz_report_monthly(ui->db, r->period, &rep, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	FILE *f = open_memstream(&buf, &len);
	if (f) {
		tz_report_text(&rep, f, &err);
		fclose(f);
	}
	chart_build(r, &rep);
	tz_report_free(&rep);
	for (char *p = buf, *nl; p && *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (!nl)
			nl = p + strlen(p) - 1;
		char **nv = realloc(r->lines, (size_t)(r->n + 1) * sizeof *nv);
		if (!nv)
			break;
		r->lines = nv;
		r->lines[r->n++] = strndup(p, (size_t)(nl - p + (*nl == '\n' ? 0 : 1)));
		if (!nl[1])
			break;
	}
	free(buf);
}

/* A bar of '#' (ASCII on every terminal) scaled to the section's largest
 * figure; a figure above 0 shows at least one '#'. */
static void chart_draw(tz_ui *ui, reportscr *r)
{
	int rows = TZ_UI_BODY_ROWS(ui), lw = 16, bw = ui->cols - 2 - lw - 10;
	char line[1024], num[32];
	if (r->ncl && !r->cmax[0] && !r->cmax[1])
		tz_ui_put(ui, TZ_UI_BODY_TOP + rows - 1, 2, ui->cols - 4, S(S_CHART_NONE),
			  TZ_C_WARN, 0);
	for (int i = 0; i < rows && r->top + i < r->ncl; i++) {
		const chartline *c = &r->cl[r->top + i];
		int y = TZ_UI_BODY_TOP + i;
		if (!c->bar) {
			tz_ui_put(ui, y, 1, ui->cols - 2, c->label,
				  c->label[0] == ' ' ? TZ_C_NORMAL : TZ_C_LABEL, 0);
			continue;
		}
		long max = r->cmax[c->section];
		int len = max > 0 ? (int)(c->v * bw / max) : 0;
		if (c->v > 0 && len < 1)
			len = 1;
		if (len > bw)
			len = bw;
		if (len > (int)sizeof line - 1)
			len = (int)sizeof line - 1;
		memset(line, '#', (size_t)len);
		line[len] = 0;
		snprintf(num, sizeof num, " %ld", c->v);
		tz_ui_put(ui, y, 3, lw - 1, c->label, TZ_C_NORMAL, 1);
		int x = 3 + lw;
		x += tz_ui_put(ui, y, x, bw, line, TZ_C_LABEL, 0);
		tz_ui_put(ui, y, x, ui->cols - x - 1, num, TZ_C_NORMAL, 0);
	}
}

static void report_draw(tz_ui *ui, tz_screen *s)
{
	reportscr *r = s->st;
	int rows = TZ_UI_BODY_ROWS(ui);
	if (r->chart) {
		chart_draw(ui, r);
		return;
	}
	for (int i = 0; i < rows && r->top + i < r->n; i++)
		tz_ui_put(ui, TZ_UI_BODY_TOP + i, 0, ui->cols, r->lines[r->top + i],
			  TZ_C_NORMAL, 0);
}

static void shift_period(char p[8], int delta)
{
	int y = atoi(p), m = atoi(p + 5) + delta;
	char out[16];
	while (m < 1) {
		m += 12;
		y--;
	}
	while (m > 12) {
		m -= 12;
		y++;
	}
	snprintf(out, sizeof out, "%04d-%02d", y % 10000 < 0 ? 0 : y % 10000, m);
	memcpy(p, out, 7);
	p[7] = 0;
}

static int report_key(tz_ui *ui, tz_screen *s, int key)
{
	reportscr *r = s->st;
	int rows = TZ_UI_BODY_ROWS(ui), n = report_lines(r);
	if (key == TZ_K(KEY_DOWN) && r->top + rows < n)
		r->top++;
	else if (key == TZ_K(KEY_UP) && r->top > 0)
		r->top--;
	else if (key == TZ_K(KEY_NPAGE))
		r->top = r->top + rows < n - rows ? r->top + rows : (n > rows ? n - rows : 0);
	else if (key == TZ_KF(6)) {
		r->chart = !r->chart;
		r->top = 0;
	}
	else if (key == TZ_K(KEY_PPAGE))
		r->top = r->top > rows ? r->top - rows : 0;
	else if (key == TZ_KF(3) || key == TZ_KF(4)) {
		shift_period(r->period, key == TZ_KF(3) ? -1 : 1);
		report_load(ui, s);
	} else if (key == TZ_KF(5)) {
		char path[4096], stem[64];
		tz_err err;
		tz_report rep;
		snprintf(stem, sizeof stem, "%s-%s", tz_tr("monthly", "月报"), r->period);
		if (!tz_ui_save_path(ui, stem, path, sizeof path))
			return 1;
		if (tz_report_monthly(ui->db, r->period, &rep, &err)) {
			tz_ui_message(ui, 1, "%s", err.msg);
			return 1;
		}
		if (tz_report_sheet(&rep, tz_ui_sheet_format(path), NULL, path, &err)) {
			tz_ui_message(ui, 1, "%s", err.msg);
		} else {
			char msg[4200];
			tz_ui_fmt(msg, sizeof msg, S_CSV_SAVED, path);
			tz_ui_message(ui, 0, "%s", msg);
		}
		tz_report_free(&rep);
	} else
		return 0;
	return 1;
}

static void report_destroy(tz_screen *s)
{
	reportscr *r = s->st;
	for (int i = 0; i < r->n; i++)
		free(r->lines[i]);
	free(r->lines);
	free(r->cl);
	tz_ui_screen_free(s);
}

static const tz_binding report_keys[] = {
	{TZ_KF(3), S_K_PREV},
	{TZ_KF(4), S_K_NEXT},
	{TZ_KF(5), S_K_CSV},
	{TZ_KF(6), S_K_CHART},
	{TZ_KESC, S_BACK},
	{0, 0},
};

static const tz_screen report_screen = {
	.name = "report", .title = S_REPORT, .draw = report_draw, .key = report_key,
	.destroy = report_destroy, .keys = report_keys,
};

tz_screen *tz_scr_report_new(tz_ui *ui)
{
	tz_screen *s = tz_ui_screen_new(&report_screen, sizeof(reportscr));
	if (!s)
		return NULL;
	reportscr *r = s->st;
	char d[11];
	tz_clock_today(d);
	memcpy(r->period, d, 7);
	r->period[7] = 0;
	report_load(ui, s);
	return s;
}
