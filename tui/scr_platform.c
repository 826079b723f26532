/* scr_platform.c - running the platform (issue 8): the platform-work menu,
 * a job fair with its vacancies and sign-ins, and a text page for the
 * notice board, a call list, an event summary, staff performance and the
 * platform checklist.  Everything goes through core/platform.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/oplog.h"
#include "taizhang/platform.h"
#include "taizhang/record.h"
#include "taizhang/report.h"
#include "taizhang/settings.h"
#include "taizhang/validate.h"
#include "tui/list.h"
#include "tui/scr.h"

/* ---- a text page ---- */

typedef struct {
	tz_page kind;
	char arg[33];   /* event or vacancy id */
	char period[8]; /* reports */
	char **lines;
	int n, top;
} textpage;

static void page_clear(textpage *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	p->lines = NULL;
	p->n = p->top = 0;
}

static void page_add(textpage *p, const char *s, size_t len)
{
	char **nv = realloc(p->lines, (size_t)(p->n + 1) * sizeof *nv);
	if (!nv)
		return;
	p->lines = nv;
	if ((p->lines[p->n] = strndup(s, len)))
		p->n++;
}

/* Render the page's text with the core's writer into lines. */
static void page_load(tz_ui *ui, tz_screen *s)
{
	textpage *p = s->st;
	page_clear(p);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tz_err err = {0};
	tz_status st = TZ_OK;
	if (!f)
		return;
	switch (p->kind) {
	case TZ_PAGE_NOTICE: {
		tz_notice n;
		if (!(st = tz_notice_collect(ui->db, NULL, &n, &err))) {
			st = tz_notice_text(&n, f, &err);
			tz_notice_free(&n);
		}
		break;
	}
	case TZ_PAGE_CALLS: {
		tz_call_list l;
		if (!(st = tz_calllist(ui->db, p->arg, NULL, 0, &l, &err))) {
			fprintf(f, "%s\n%s\n\n", tz_calllist_reminder(), l.title ? l.title : "");
			for (size_t i = 0; i < l.n; i++) {
				int w = tz_utf8_width(l.items[i].name);
				fprintf(f, "%3zu  %s%*s  %s\n", i + 1, l.items[i].name,
					w < 12 ? 12 - w : 0, "",
					l.items[i].phone ? l.items[i].phone : "-");
			}
			if (!l.n)
				fprintf(f, "%s\n", S(S_NO_MATCH));
			tz_calllist_free(&l);
		}
		break;
	}
	case TZ_PAGE_SUMMARY: {
		tz_event_summary sm;
		if (!(st = tz_event_summarise(ui->db, p->arg, &sm, &err))) {
			st = tz_event_summary_text(&sm, f, &err);
			tz_event_summary_free(&sm);
		}
		break;
	}
	case TZ_PAGE_PERF: {
		tz_perf pf;
		if (!(st = tz_report_perf(ui->db, p->period, &pf, &err))) {
			st = tz_perf_text(&pf, f, &err);
			tz_perf_free(&pf);
		}
		break;
	}
	case TZ_PAGE_CHECKLIST: {
		tz_platform_report r;
		if (!(st = tz_report_platform(ui->db, p->period, &r, &err))) {
			st = tz_platform_text(&r, f, &err);
			tz_platform_report_free(&r);
		}
		break;
	}
	}
	fclose(f);
	if (st)
		ui_message(ui, 1, "%s", err.msg);
	for (char *q = buf, *nl; q && *q; q = nl + 1) {
		nl = strchr(q, '\n');
		if (!nl) {
			page_add(p, q, strlen(q));
			break;
		}
		page_add(p, q, (size_t)(nl - q));
	}
	free(buf);
}

static void page_draw(tz_ui *ui, tz_screen *s)
{
	textpage *p = s->st;
	int rows = UI_BODY_ROWS(ui);
	for (int i = 0; i < rows && p->top + i < p->n; i++) {
		int warn = p->kind == TZ_PAGE_CALLS && p->top + i == 0;
		ui_put(ui, UI_BODY_TOP + i, 0, ui->cols, p->lines[p->top + i],
		       warn ? TZ_C_WARN : TZ_C_NORMAL, 0);
	}
}

static void period_shift(char p[8], int delta)
{
	int y = atoi(p), m = atoi(p + 5) + delta;
	while (m < 1)
		m += 12, y--;
	while (m > 12)
		m -= 12, y++;
	char out[16];
	snprintf(out, sizeof out, "%04d-%02d", y < 0 ? 0 : y % 10000, m);
	memcpy(p, out, 8);
}

/* Write the page's export (HTML notice, CSV report) to a path asked for. */
static void page_export(tz_ui *ui, textpage *p)
{
	char path[4096], msg[4200];
	int html = p->kind == TZ_PAGE_NOTICE;
	if (!ui_prompt(ui, S(html ? S_HTML_PATH : S_CSV_PATH), 0, path, sizeof path) || !path[0])
		return;
	FILE *f = fopen(path, "wb");
	if (!f) {
		ui_message(ui, 1, "%s: %s", path, tz_strerror(errno));
		return;
	}
	tz_err err = {0};
	tz_status st = TZ_OK;
	if (html) {
		tz_notice n;
		if (!(st = tz_notice_collect(ui->db, NULL, &n, &err))) {
			st = tz_notice_html(&n, f, &err);
			tz_notice_free(&n);
		}
	} else if (p->kind == TZ_PAGE_PERF) {
		tz_perf pf;
		if (!(st = tz_report_perf(ui->db, p->period, &pf, &err))) {
			st = tz_perf_csv(&pf, f, &err);
			tz_perf_free(&pf);
		}
	} else {
		tz_platform_report r;
		if (!(st = tz_report_platform(ui->db, p->period, &r, &err))) {
			st = tz_platform_csv(&r, f, &err);
			tz_platform_report_free(&r);
		}
	}
	if (fclose(f) && !st)
		st = tz_fail(&err, TZ_EIO, "%s", "%s", tz_strerror(errno));
	if (st) {
		ui_message(ui, 1, "%s: %s", path, err.msg);
		return;
	}
	ui_fmt(msg, sizeof msg, html ? S_HTML_SAVED : S_CSV_SAVED, path);
	ui_message(ui, 0, "%s", msg);
}

static int page_key(tz_ui *ui, tz_screen *s, int key)
{
	textpage *p = s->st;
	int rows = UI_BODY_ROWS(ui), report = p->kind == TZ_PAGE_PERF || p->kind == TZ_PAGE_CHECKLIST;
	if (key == TZ_K(KEY_DOWN) && p->top + rows < p->n)
		p->top++;
	else if (key == TZ_K(KEY_UP) && p->top > 0)
		p->top--;
	else if (key == TZ_K(KEY_NPAGE))
		p->top = p->top + rows < p->n - rows ? p->top + rows : (p->n > rows ? p->n - rows : 0);
	else if (key == TZ_K(KEY_PPAGE))
		p->top = p->top > rows ? p->top - rows : 0;
	else if (report && (key == TZ_KF(3) || key == TZ_KF(4))) {
		period_shift(p->period, key == TZ_KF(3) ? -1 : 1);
		page_load(ui, s);
	} else if ((report || p->kind == TZ_PAGE_NOTICE) && key == TZ_KF(5))
		page_export(ui, p);
	else
		return 0;
	return 1;
}

static void page_destroy(tz_screen *s)
{
	page_clear(s->st);
	free(s->st);
	free(s);
}

static const tz_binding page_keys_report[] = {
	{TZ_KF(3), S_K_PREV}, {TZ_KF(4), S_K_NEXT}, {TZ_KF(5), S_K_CSV}, {TZ_KESC, S_BACK}, {0, 0},
};
static const tz_binding page_keys_notice[] = {{TZ_KF(5), S_K_HTML}, {TZ_KESC, S_BACK}, {0, 0}};
static const tz_binding page_keys_plain[] = {{TZ_KESC, S_BACK}, {0, 0}};

tz_screen *scr_page_new(tz_ui *ui, tz_page kind, const char *arg)
{
	static const struct {
		const char *name;
		int title;
	} pages[] = {
		[TZ_PAGE_NOTICE] = {"notice", S_NOTICE},     [TZ_PAGE_CALLS] = {"calls", S_CALLS},
		[TZ_PAGE_SUMMARY] = {"summary", S_SUMMARY}, [TZ_PAGE_PERF] = {"perf", S_PERF},
		[TZ_PAGE_CHECKLIST] = {"checklist", S_CHECKLIST},
	};
	tz_screen *s = calloc(1, sizeof *s);
	textpage *p = calloc(1, sizeof *p);
	if (!s || !p) {
		free(s);
		free(p);
		return NULL;
	}
	p->kind = kind;
	snprintf(p->arg, sizeof p->arg, "%s", arg ? arg : "");
	char d[11];
	tz_today(d);
	memcpy(p->period, d, 7);
	p->period[7] = 0;
	s->name = pages[kind].name;
	s->title = pages[kind].title;
	s->draw = page_draw;
	s->key = page_key;
	s->reload = page_load;
	s->destroy = page_destroy;
	s->keys = kind == TZ_PAGE_PERF || kind == TZ_PAGE_CHECKLIST ? page_keys_report
		  : kind == TZ_PAGE_NOTICE			  ? page_keys_notice
								  : page_keys_plain;
	s->st = p;
	page_load(ui, s);
	return s;
}

/* ---- a job fair: its vacancies and sign-ins ---- */

typedef struct {
	char id[33];
	int signins; /* which list shows */
	tz_list offers, people;
	char figures[512], head[256];
	/* the vacancy picker (F5) */
	int picking;
	tz_list pick;
} eventscr;

static void title_of(tz_ui *ui, const char *table, const char *id, const char *field, char *out,
		     size_t n)
{
	tz_row r = {0};
	tz_err err;
	snprintf(out, n, "%s", "");
	if (!id || tz_record_get(ui->db, table, id, &r, &err))
		return;
	int f = tz_field_find(r.table, field);
	if (f >= 0 && r.vals[f])
		snprintf(out, n, "%s", r.vals[f]);
	tz_row_free(&r);
}

typedef struct {
	tz_ui *ui;
	eventscr *e;
} evctx;

static int offer_row(void *ctx, const tz_row *r)
{
	evctx *c = ctx;
	const char *vac = r->vals[tz_field_find(r->table, "vacancy")];
	const char *emp = r->vals[tz_field_find(r->table, "employer")];
	char title[128], ename[128], open[16] = "";
	title_of(c->ui, "employer", emp, "name", ename, sizeof ename);
	title_of(c->ui, "vacancy", vac, "title", title, sizeof title);
	title_of(c->ui, "vacancy", vac, "openings", open, sizeof open);
	const char *cells[3] = {title, open, ename};
	list_add(&c->e->offers, vac ? vac : "", "vacancy", cells);
	return 0;
}

static int person_row(void *ctx, const tz_row *r)
{
	evctx *c = ctx;
	const char *pid = r->vals[tz_field_find(r->table, "person")];
	const char *vac = r->vals[tz_field_find(r->table, "intention")];
	const char *tm = r->vals[tz_field_find(r->table, "time")];
	const char *date = r->vals[tz_field_find(r->table, "date")];
	char name[64], title[128], when[32];
	title_of(c->ui, "person", pid, "name", name, sizeof name);
	title_of(c->ui, "vacancy", vac, "title", title, sizeof title);
	snprintf(when, sizeof when, "%s %s", date ? date + 5 : "", tm ? tm : "");
	const char *cells[3] = {when, name, title};
	list_add(&c->e->people, r->id, "attendance", cells);
	return 0;
}

static void event_load(tz_ui *ui, tz_screen *s)
{
	eventscr *e = s->st;
	tz_err err;
	list_clear(&e->offers);
	list_clear(&e->people);
	evctx c = {ui, e};
	tz_kv w = {"event", e->id};
	tz_record_list(ui->db, "event_offer", &w, 1, offer_row, &c, &err);
	tz_record_list(ui->db, "attendance", &w, 1, person_row, &c, &err);
	list_sort(&e->people, 0, 0);
	tz_event_summary sm;
	e->figures[0] = 0;
	if (tz_event_summarise(ui->db, e->id, &sm, &err) == TZ_OK) {
		ui_fmt(e->figures, sizeof e->figures, S_EV_FIGURES, sm.attendees, sm.attendees_key,
		       sm.employers, sm.vacancies, sm.openings, sm.intentions, sm.hired);
		snprintf(e->head, sizeof e->head, "%s  %s%s%s  %s", sm.name ? sm.name : "", sm.start,
			 sm.end[0] ? " - " : "", sm.end, sm.place ? sm.place : "");
		tz_event_summary_free(&sm);
	}
}

static void event_draw(tz_ui *ui, tz_screen *s)
{
	eventscr *e = s->st;
	int y = UI_BODY_TOP, h = UI_BODY_ROWS(ui);
	if (e->picking) {
		ui_put(ui, y, 1, ui->cols - 2, S(S_EV_PICK), TZ_C_LABEL, 0);
		list_draw(ui, &e->pick, y + 1, 1, h - 1, ui->cols - 2);
		return;
	}
	ui_put(ui, y, 1, ui->cols - 2, e->head, TZ_C_LABEL, 0);
	ui_put(ui, y + 1, 1, ui->cols - 2, e->figures, TZ_C_NORMAL, 0);
	ui_put(ui, y + 2, 1, ui->cols - 2, S(e->signins ? S_EV_SIGNINS : S_EV_OFFERS), TZ_C_LABEL,
	       0);
	tz_list *l = e->signins ? &e->people : &e->offers;
	list_draw(ui, l, y + 3, 1, h - 3, ui->cols - 2);
	if (!l->n)
		ui_put(ui, y + 5, 2, ui->cols - 4, S(S_NO_MATCH), TZ_C_WARN, 0);
}

/* Sign a person in by ID number; intention: a vacancy id or NULL. */
static void signin(tz_ui *ui, eventscr *e, const char *intention)
{
	char idn[64], pid[33], att[33], ref[33], msg[512], name[64], title[128];
	tz_err err = {0};
	if (!ui_prompt(ui, S(S_EV_IDNUM), 0, idn, sizeof idn) || !idn[0])
		return;
	if (tz_person_by_idnum(ui->db, idn, pid, &err)) {
		ui_message(ui, 1, "%s", err.msg);
		return;
	}
	tz_signin s = {.event = e->id, .person = pid, .intention = intention,
		       .staff = ui->staff[0] ? ui->staff : NULL};
	char now[16] = "";
	time_t t = (time_t)(tz_wall_ms() / 1000);
	struct tm tm;
	if (localtime_r(&t, &tm)) {
		snprintf(now, sizeof now, "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
		s.time = now;
	}
	if (tz_event_signin(ui->db, &s, att, ref, &err)) {
		ui_message(ui, 1, "%s", err.msg);
		return;
	}
	title_of(ui, "person", pid, "name", name, sizeof name);
	if (intention) {
		title_of(ui, "vacancy", intention, "title", title, sizeof title);
		ui_fmt(msg, sizeof msg, S_EV_SIGNED_INTENT, name, title);
	} else {
		ui_fmt(msg, sizeof msg, S_EV_SIGNED, name);
	}
	ui_message(ui, 0, "%s", msg);
}

static void pick_load(tz_ui *ui, eventscr *e)
{
	tz_notice n;
	tz_err err;
	list_clear(&e->pick);
	if (tz_notice_collect(ui->db, NULL, &n, &err)) {
		ui_message(ui, 1, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < n.n; i++) {
		char left[16];
		snprintf(left, sizeof left, "%ld", n.items[i].left);
		const char *cells[3] = {n.items[i].title, left, n.items[i].employer};
		list_add(&e->pick, n.items[i].id, "vacancy", cells);
	}
	tz_notice_free(&n);
}

static void add_offer(tz_ui *ui, eventscr *e, const char *vac)
{
	char emp[33];
	tz_err err = {0};
	title_of(ui, "vacancy", vac, "employer", emp, sizeof emp);
	tz_kv kv[3] = {{"event", e->id}, {"employer", emp}, {"vacancy", vac}};
	char id[33];
	if (tz_record_add(ui->db, "event_offer", kv, 3, id, &err))
		ui_message(ui, 1, "%s", err.msg);
	else
		ui_message(ui, 0, "%s", S(S_EV_ADDED));
}

static int event_key(tz_ui *ui, tz_screen *s, int key)
{
	eventscr *e = s->st;
	int h = UI_BODY_ROWS(ui);
	if (e->picking) {
		int lk = list_key(ui, &e->pick, key, h - 1);
		if (lk == 2)
			key = TZ_KENTER;
		else if (lk)
			return 1;
		if (key == TZ_KESC) {
			e->picking = 0;
			return 1;
		}
		if (key == TZ_KENTER && list_sel_id(&e->pick)) {
			add_offer(ui, e, list_sel_id(&e->pick));
			e->picking = 0;
			event_load(ui, s);
			return 1;
		}
		return 0;
	}
	tz_list *l = e->signins ? &e->people : &e->offers;
	int lk = list_key(ui, l, key, h - 3);
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	if (key == TZ_KF(3)) {
		signin(ui, e, NULL);
	} else if (key == TZ_KF(4)) {
		const char *vac = e->signins ? NULL : list_sel_id(&e->offers);
		if (!vac || !vac[0]) {
			ui_message(ui, 1, "%s", S(S_EV_PICK_OFFER));
			return 1;
		}
		char v[33];
		snprintf(v, sizeof v, "%s", vac);
		signin(ui, e, v);
	} else if (key == TZ_KF(5)) {
		pick_load(ui, e);
		e->picking = 1;
		return 1;
	} else if (key == TZ_KF(6)) {
		e->signins = !e->signins;
		return 1;
	} else if (key == TZ_KF(7)) {
		ui_push(ui, scr_page_new(ui, TZ_PAGE_SUMMARY, e->id));
		return 1;
	} else if (key == TZ_KENTER && !e->signins && list_sel_id(&e->offers)) {
		ui_push(ui, scr_page_new(ui, TZ_PAGE_CALLS, list_sel_id(&e->offers)));
		return 1;
	} else {
		return 0;
	}
	event_load(ui, s);
	ui_refresh_below(ui);
	return 1;
}

static void event_destroy(tz_screen *s)
{
	eventscr *e = s->st;
	list_free(&e->offers);
	list_free(&e->people);
	list_free(&e->pick);
	free(e);
	free(s);
}

static const tz_binding event_keys[] = {
	{TZ_KF(3), S_K_SIGNIN}, {TZ_KF(4), S_K_INTENT}, {TZ_KF(5), S_K_OFFER},
	{TZ_KF(6), S_K_VIEW},   {TZ_KF(7), S_K_SUMMARY}, {TZ_KENTER, S_K_CALLS},
	{TZ_KESC, S_BACK},      {0, 0},
};

tz_screen *scr_event_new(tz_ui *ui, const char *event)
{
	tz_screen *s = calloc(1, sizeof *s);
	eventscr *e = calloc(1, sizeof *e);
	if (!s || !e) {
		free(s);
		free(e);
		return NULL;
	}
	snprintf(e->id, sizeof e->id, "%s", event);
	list_init(&e->offers, 3);
	e->offers.head[0] = S(S_COL_TITLE);
	e->offers.head[1] = S(S_COL_LEFT);
	e->offers.head[2] = S(S_COL_EMPLOYER);
	e->offers.width[0] = 24;
	e->offers.width[1] = 6;
	list_init(&e->people, 3);
	e->people.head[0] = S(S_COL_TIME);
	e->people.head[1] = S(S_COL_NAME);
	e->people.head[2] = S(S_COL_INTENT);
	e->people.width[0] = 12;
	e->people.width[1] = 14;
	list_init(&e->pick, 3);
	e->pick.head[0] = S(S_COL_TITLE);
	e->pick.head[1] = S(S_COL_LEFT);
	e->pick.head[2] = S(S_COL_EMPLOYER);
	e->pick.width[0] = 24;
	e->pick.width[1] = 6;
	s->name = "event";
	s->title = S_EVENT;
	s->draw = event_draw;
	s->key = event_key;
	s->reload = event_load;
	s->destroy = event_destroy;
	s->keys = event_keys;
	s->st = e;
	event_load(ui, s);
	return s;
}

/* ---- the platform-work menu ---- */

typedef struct {
	tz_list list;
} menuscr;

static const struct {
	int label;
	const char *what;
} menu_items[] = {
	{S_PF_EVENTS, "event"},     {S_PF_COMPLAINTS, "complaint"}, {S_PF_NOTICE, "notice"},
	{S_PF_PERF, "perf"},        {S_PF_CHECK, "checklist"},      {S_PF_PLATFORMS, "platform"},
	{S_PF_CERTS, "staff_cert"}, {S_PF_TRAINING, "training"},    {S_PF_FILING, "staff_filing"},
};

static void menu_load(tz_ui *ui, tz_screen *s)
{
	(void)ui;
	menuscr *m = s->st;
	int sel = m->list.sel;
	list_clear(&m->list);
	for (size_t i = 0; i < sizeof menu_items / sizeof menu_items[0]; i++) {
		char num[8];
		snprintf(num, sizeof num, "%zu", i + 1);
		const char *cells[2] = {num, S(menu_items[i].label)};
		list_add(&m->list, menu_items[i].what, "menu", cells);
	}
	m->list.sel = sel;
}

static void menu_draw(tz_ui *ui, tz_screen *s)
{
	menuscr *m = s->st;
	menu_load(ui, s); /* labels follow the language */
	list_draw(ui, &m->list, UI_BODY_TOP, 1, UI_BODY_ROWS(ui) - 2, ui->cols - 2);
	ui_put(ui, UI_BODY_ROWS(ui) - 1, 2, ui->cols - 4, S(S_PF_HINT), TZ_C_WARN, 0);
}

static int menu_key(tz_ui *ui, tz_screen *s, int key)
{
	menuscr *m = s->st;
	int lk = list_key(ui, &m->list, key, UI_BODY_ROWS(ui) - 2);
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	if (key >= '1' && key <= '9' && key - '1' < m->list.n) {
		m->list.sel = key - '1';
		key = TZ_KENTER;
	}
	const char *w = list_sel_id(&m->list);
	if (key != TZ_KENTER || !w)
		return 0;
	tz_screen *n = NULL;
	if (!strcmp(w, "notice"))
		n = scr_page_new(ui, TZ_PAGE_NOTICE, NULL);
	else if (!strcmp(w, "perf"))
		n = scr_page_new(ui, TZ_PAGE_PERF, NULL);
	else if (!strcmp(w, "checklist"))
		n = scr_page_new(ui, TZ_PAGE_CHECKLIST, NULL);
	else {
		static const struct {
			const char *table;
			int title;
		} t[] = {{"event", S_EVENTS},       {"complaint", S_COMPLAINTS}, {"platform", S_PLATFORMS},
			 {"staff_cert", S_CERTS},   {"training", S_TRAINING},    {"staff_filing", S_FILING}};
		for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
			if (!strcmp(t[i].table, w))
				n = scr_table_new(ui, w, NULL, NULL, NULL, t[i].title);
	}
	if (n)
		ui_push(ui, n);
	return 1;
}

static void menu_destroy(tz_screen *s)
{
	menuscr *m = s->st;
	list_free(&m->list);
	free(m);
	free(s);
}

static const tz_binding menu_keys[] = {{TZ_KENTER, S_CHOOSE}, {TZ_KESC, S_BACK}, {0, 0}};

tz_screen *scr_platform_new(tz_ui *ui)
{
	tz_screen *s = calloc(1, sizeof *s);
	menuscr *m = calloc(1, sizeof *m);
	if (!s || !m) {
		free(s);
		free(m);
		return NULL;
	}
	list_init(&m->list, 2);
	m->list.head[0] = "#";
	m->list.head[1] = "";
	m->list.width[0] = 3;
	s->name = "platform";
	s->title = S_PLATFORM;
	s->draw = menu_draw;
	s->key = menu_key;
	s->destroy = menu_destroy;
	s->keys = menu_keys;
	s->st = m;
	menu_load(ui, s);
	return s;
}
