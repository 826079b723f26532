/* scr_work.c - the day's work: what is due, candidates for a vacancy,
 * the monthly report. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/due.h"
#include "taizhang/match.h"
#include "taizhang/oplog.h"
#include "taizhang/record.h"
#include "taizhang/report.h"
#include "taizhang/validate.h"
#include "tui/form.h"
#include "tui/list.h"
#include "tui/scr.h"

static void today(char out[11])
{
	tz_days_date((long)(tz_wall_ms() / 86400000), out);
}

/* ---- due ---- */

typedef struct {
	tz_list list;
} duescr;

static void due_load(tz_ui *ui, tz_screen *s)
{
	duescr *d = s->st;
	tz_due_list dl = {0};
	tz_err err;
	list_clear(&d->list);
	if (tz_due_collect(ui->db, NULL, &dl, &err)) {
		ui_message(ui, 1, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < dl.n; i++) {
		const tz_due_item *it = &dl.items[i];
		char od[16];
		snprintf(od, sizeof od, "%ld", it->overdue);
		const char *cells[5] = {it->due, od, tz_due_kind_label(it->kind), it->label,
					it->reason};
		list_add(&d->list, it->id, it->table, cells);
	}
	tz_due_free(&dl);
}

static void due_draw(tz_ui *ui, tz_screen *s)
{
	duescr *d = s->st;
	list_draw(ui, &d->list, UI_BODY_TOP, 1, UI_BODY_ROWS(ui), ui->cols - 2);
	if (!d->list.n)
		ui_put(ui, UI_BODY_TOP + 2, 2, ui->cols - 4, S(S_NO_MATCH), TZ_C_WARN, 0);
}

/* Open what a due item is about. */
static int due_key(tz_ui *ui, tz_screen *s, int key)
{
	duescr *d = s->st;
	int lk = list_key(ui, &d->list, key, UI_BODY_ROWS(ui));
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	const char *id = list_sel_id(&d->list), *table = list_sel_tag(&d->list);
	if (key != TZ_KENTER || !id)
		return 0;
	if (!strcmp(table, "calendar"))
		ui_push(ui, scr_settings_new(ui)); /* a report due upward: calendar.reports */
	else if (!strcmp(table, "aid_case"))
		ui_push(ui, scr_table_new(ui, "aid_action", "aid_case", id, NULL, S_ACTIONS));
	else if (!strcmp(table, "household"))
		ui_push(ui, scr_household_new(ui, id));
	else
		ui_push(ui, form_screen_new(ui, table, NULL, id, NULL, NULL, S_EDIT));
	return 1;
}

static void due_destroy(tz_screen *s)
{
	duescr *d = s->st;
	list_free(&d->list);
	free(s->st);
	free(s);
}

static const tz_binding due_keys[] = {
	{TZ_KENTER, S_EDIT},
	{TZ_KESC, S_BACK},
	{0, 0},
};

tz_screen *scr_due_new(tz_ui *ui)
{
	tz_screen *s = calloc(1, sizeof *s);
	duescr *d = calloc(1, sizeof *d);
	if (!s || !d) {
		free(s);
		free(d);
		return NULL;
	}
	list_init(&d->list, 5);
	d->list.head[0] = S(S_DATE);
	d->list.head[1] = S(S_OVERDUE);
	d->list.head[2] = S(S_WHAT);
	d->list.head[3] = S(S_WHO);
	d->list.head[4] = S(S_WHY);
	d->list.width[0] = 10;
	d->list.width[1] = 6;
	d->list.width[2] = 14;
	d->list.width[3] = 16;
	s->name = "due";
	s->title = S_DUE;
	s->draw = due_draw;
	s->key = due_key;
	s->reload = due_load;
	s->destroy = due_destroy;
	s->keys = due_keys;
	s->st = d;
	due_load(ui, s);
	return s;
}

/* ---- candidates for a vacancy ---- */

typedef struct {
	char vacancy[33];
	tz_list list;
} matchscr;

static void match_load(tz_ui *ui, tz_screen *s)
{
	matchscr *m = s->st;
	tz_match_list ml = {0};
	tz_match_opts o = {.limit = 50};
	tz_err err;
	list_clear(&m->list);
	if (tz_match_vacancy(ui->db, m->vacancy, &o, &ml, &err)) {
		ui_message(ui, 1, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < ml.n; i++) {
		char sc[16];
		snprintf(sc, sizeof sc, "%d", ml.items[i].score);
		const char *cells[4] = {sc, ml.items[i].name, ml.items[i].flags, ml.items[i].reasons};
		list_add(&m->list, ml.items[i].id, "person", cells);
	}
	if (ml.nwarnings)
		ui_message(ui, 0, "%s", ml.warnings[0]);
	tz_match_free(&ml);
}

static void match_draw(tz_ui *ui, tz_screen *s)
{
	matchscr *m = s->st;
	list_draw(ui, &m->list, UI_BODY_TOP, 1, UI_BODY_ROWS(ui), ui->cols - 2);
	if (!m->list.n)
		ui_put(ui, UI_BODY_TOP + 2, 2, ui->cols - 4, S(S_NO_MATCH), TZ_C_WARN, 0);
}

static int match_key(tz_ui *ui, tz_screen *s, int key)
{
	matchscr *m = s->st;
	int lk = list_key(ui, &m->list, key, UI_BODY_ROWS(ui));
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	const char *id = list_sel_id(&m->list);
	if (key == TZ_KENTER && id) {
		ui_push(ui, form_screen_new(ui, "person", NULL, id, NULL, NULL, S_EDIT_PERSON));
		return 1;
	}
	if (key == TZ_KF(6)) {
		static const char *const cols[] = {"date", "person", "status", "outcome_date",
						   "staff", NULL};
		ui_push(ui, scr_table_new(ui, "referral", "vacancy", m->vacancy, cols,
					  S_REFERRALS));
		return 1;
	}
	if (key == TZ_KF(5) && id) {
		char d[11], rid[33];
		today(d);
		tz_kv kv[] = {{"vacancy", m->vacancy}, {"person", id}, {"date", d},
			      {"status", "referred"}, {"staff", ui->staff}};
		tz_err err;
		if (tz_record_add(ui->db, "referral", kv, ui->staff[0] ? 5 : 4, rid, &err))
			ui_message(ui, 1, "%s", err.msg);
		else
			ui_message(ui, 0, "%s", S(S_REFERRED));
		char msg[sizeof ui->msg];
		memcpy(msg, ui->msg, sizeof msg);
		match_load(ui, s);
		memcpy(ui->msg, msg, sizeof msg);
		return 1;
	}
	return 0;
}

static void match_destroy(tz_screen *s)
{
	matchscr *m = s->st;
	list_free(&m->list);
	free(s->st);
	free(s);
}

static const tz_binding match_keys[] = {
	{TZ_KENTER, S_PERSON},
	{TZ_KF(5), S_K_REFER},
	{TZ_KF(6), S_K_REFERRALS},
	{TZ_KESC, S_BACK},
	{0, 0},
};

tz_screen *scr_match_new(tz_ui *ui, const char *vacancy)
{
	tz_screen *s = calloc(1, sizeof *s);
	matchscr *m = calloc(1, sizeof *m);
	if (!s || !m) {
		free(s);
		free(m);
		return NULL;
	}
	snprintf(m->vacancy, sizeof m->vacancy, "%s", vacancy);
	list_init(&m->list, 4);
	m->list.head[0] = S(S_SCORE);
	m->list.head[1] = S(S_NAME);
	m->list.head[2] = S(S_FLAGS);
	m->list.head[3] = S(S_REASONS);
	m->list.width[0] = 5;
	m->list.width[1] = 10;
	m->list.width[2] = 10;
	s->name = "match";
	s->title = S_MATCH;
	s->draw = match_draw;
	s->key = match_key;
	s->reload = match_load;
	s->destroy = match_destroy;
	s->keys = match_keys;
	s->st = m;
	match_load(ui, s);
	return s;
}

/* ---- the monthly report ---- */

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
			ui_fmt(title, sizeof title, S_CHART_PLACED, rep->period);
		else
			ui_fmt(title, sizeof title, S_CHART_EMP, rep->asat);
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
		ui_message(ui, 1, "%s", err.msg);
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
	int rows = UI_BODY_ROWS(ui), lw = 16, bw = ui->cols - 2 - lw - 10;
	char line[1024], num[32];
	if (r->ncl && !r->cmax[0] && !r->cmax[1])
		ui_put(ui, UI_BODY_TOP + rows - 1, 2, ui->cols - 4, S(S_CHART_NONE), TZ_C_WARN, 0);
	for (int i = 0; i < rows && r->top + i < r->ncl; i++) {
		const chartline *c = &r->cl[r->top + i];
		int y = UI_BODY_TOP + i;
		if (!c->bar) {
			ui_put(ui, y, 1, ui->cols - 2, c->label, c->label[0] == ' ' ? TZ_C_NORMAL
										      : TZ_C_LABEL, 0);
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
		ui_put(ui, y, 3, lw - 1, c->label, TZ_C_NORMAL, 1);
		int x = 3 + lw;
		x += ui_put(ui, y, x, bw, line, TZ_C_LABEL, 0);
		ui_put(ui, y, x, ui->cols - x - 1, num, TZ_C_NORMAL, 0);
	}
}

static void report_draw(tz_ui *ui, tz_screen *s)
{
	reportscr *r = s->st;
	int rows = UI_BODY_ROWS(ui);
	if (r->chart) {
		chart_draw(ui, r);
		return;
	}
	for (int i = 0; i < rows && r->top + i < r->n; i++)
		ui_put(ui, UI_BODY_TOP + i, 0, ui->cols, r->lines[r->top + i], TZ_C_NORMAL, 0);
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
	int rows = UI_BODY_ROWS(ui), n = report_lines(r);
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
		char path[4096];
		if (!ui_prompt(ui, S(S_CSV_PATH), 0, path, sizeof path) || !path[0])
			return 1;
		tz_report rep;
		tz_err err;
		FILE *f;
		if (tz_report_monthly(ui->db, r->period, &rep, &err)) {
			ui_message(ui, 1, "%s", err.msg);
			return 1;
		}
		if (!(f = fopen(path, "wb"))) {
			ui_message(ui, 1, "%s: %s", path, tz_strerror(errno));
		} else {
			int bad = tz_report_csv(&rep, f, &err) != TZ_OK;
			bad |= fclose(f) != 0;
			if (bad)
				ui_message(ui, 1, "%s: %s", path, err.msg[0] ? err.msg : tz_strerror(errno));
			else {
				char msg[4200];
				ui_fmt(msg, sizeof msg, S_CSV_SAVED, path);
				ui_message(ui, 0, "%s", msg);
			}
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
	free(s->st);
	free(s);
}

static const tz_binding report_keys[] = {
	{TZ_KF(3), S_K_PREV},
	{TZ_KF(4), S_K_NEXT},
	{TZ_KF(5), S_K_CSV},
	{TZ_KF(6), S_K_CHART},
	{TZ_KESC, S_BACK},
	{0, 0},
};

tz_screen *scr_report_new(tz_ui *ui)
{
	tz_screen *s = calloc(1, sizeof *s);
	reportscr *r = calloc(1, sizeof *r);
	if (!s || !r) {
		free(s);
		free(r);
		return NULL;
	}
	char d[11];
	today(d);
	memcpy(r->period, d, 7);
	r->period[7] = 0;
	s->name = "report";
	s->title = S_REPORT;
	s->draw = report_draw;
	s->key = report_key;
	s->destroy = report_destroy;
	s->keys = report_keys;
	s->st = r;
	report_load(ui, s);
	return s;
}
