/* scr_event.c - a job fair (issue 8): its vacancies and sign-ins, an
 * intention recorded as a referral (core/platform.c). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/event.h"
#include "taizhang/notice.h"
#include "taizhang/oplog.h"
#include "taizhang/platform.h"
#include "taizhang/record.h"
#include "list.h"
#include "scr.h"

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
	int f = tz_schema_field_find(r.table, field);
	if (f >= 0 && r.vals[f])
		snprintf(out, n, "%s", r.vals[f]);
	tz_record_row_free(&r);
}

typedef struct {
	tz_ui *ui;
	eventscr *e;
} evctx;

static int offer_row(void *ctx, const tz_row *r)
{
	evctx *c = ctx;
	const char *vac = r->vals[tz_schema_field_find(r->table, "vacancy")];
	const char *emp = r->vals[tz_schema_field_find(r->table, "employer")];
	char title[128], ename[128], open[16] = "";
	title_of(c->ui, "employer", emp, "name", ename, sizeof ename);
	title_of(c->ui, "vacancy", vac, "title", title, sizeof title);
	title_of(c->ui, "vacancy", vac, "openings", open, sizeof open);
	const char *cells[3] = {title, open, ename};
	tz_list_add(&c->e->offers, vac ? vac : "", "vacancy", cells);
	return 0;
}

static int person_row(void *ctx, const tz_row *r)
{
	evctx *c = ctx;
	const char *pid = r->vals[tz_schema_field_find(r->table, "person")];
	const char *vac = r->vals[tz_schema_field_find(r->table, "intention")];
	const char *tm = r->vals[tz_schema_field_find(r->table, "time")];
	const char *date = r->vals[tz_schema_field_find(r->table, "date")];
	char name[64], title[128], when[32];
	title_of(c->ui, "person", pid, "name", name, sizeof name);
	title_of(c->ui, "vacancy", vac, "title", title, sizeof title);
	snprintf(when, sizeof when, "%s %s", date ? date + 5 : "", tm ? tm : "");
	const char *cells[3] = {when, name, title};
	tz_list_add(&c->e->people, r->id, "attendance", cells);
	return 0;
}

static void event_load(tz_ui *ui, tz_screen *s)
{
	eventscr *e = s->st;
	tz_err err;
	tz_list_clear(&e->offers);
	tz_list_clear(&e->people);
	evctx c = {ui, e};
	tz_kv w = {"event", e->id};
	tz_record_list(ui->db, "event_offer", &w, 1, offer_row, &c, &err);
	tz_record_list(ui->db, "attendance", &w, 1, person_row, &c, &err);
	tz_list_sort(&e->people, 0, 0);
	tz_event_summary sm;
	e->figures[0] = 0;
	if (tz_event_summarise(ui->db, e->id, &sm, &err) == TZ_OK) {
		tz_ui_fmt(e->figures, sizeof e->figures, S_EV_FIGURES, sm.attendees,
			  sm.attendees_key, sm.employers, sm.vacancies, sm.openings,
			  sm.intentions, sm.hired);
		snprintf(e->head, sizeof e->head, "%s  %s%s%s  %s", sm.name ? sm.name : "", sm.start,
			 sm.end[0] ? " - " : "", sm.end, sm.place ? sm.place : "");
		tz_event_summary_free(&sm);
	}
}

static void event_draw(tz_ui *ui, tz_screen *s)
{
	eventscr *e = s->st;
	int y = TZ_UI_BODY_TOP, h = TZ_UI_BODY_ROWS(ui);
	if (e->picking) {
		tz_ui_put(ui, y, 1, ui->cols - 2, S(S_EV_PICK), TZ_C_LABEL, 0);
		tz_list_draw(ui, &e->pick, y + 1, 1, h - 1, ui->cols - 2);
		return;
	}
	tz_ui_put(ui, y, 1, ui->cols - 2, e->head, TZ_C_LABEL, 0);
	tz_ui_put(ui, y + 1, 1, ui->cols - 2, e->figures, TZ_C_NORMAL, 0);
	tz_ui_put(ui, y + 2, 1, ui->cols - 2, S(e->signins ? S_EV_SIGNINS : S_EV_OFFERS),
		  TZ_C_LABEL, 0);
	tz_list *l = e->signins ? &e->people : &e->offers;
	tz_list_draw(ui, l, y + 3, 1, h - 3, ui->cols - 2);
	if (!l->n)
		tz_ui_put(ui, y + 5, 2, ui->cols - 4, S(S_NO_MATCH), TZ_C_WARN, 0);
}

/* Sign a person in by ID number; intention: a vacancy id or NULL. */
static void signin(tz_ui *ui, eventscr *e, const char *intention)
{
	char idn[64], pid[33], att[33], ref[33], msg[512], name[64], title[128];
	tz_err err = {0};
	if (!tz_ui_prompt(ui, S(S_EV_IDNUM), 0, idn, sizeof idn) || !idn[0])
		return;
	if (tz_record_by_idnum(ui->db, idn, pid, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	tz_signin s = {.event = e->id, .person = pid, .intention = intention,
		       .staff = ui->staff[0] ? ui->staff : NULL};
	char now[16] = "";
	time_t t = (time_t)(tz_clock_ms() / 1000);
	struct tm tm;
	if (localtime_r(&t, &tm)) {
		snprintf(now, sizeof now, "%02d:%02d", tm.tm_hour % 24, tm.tm_min % 60);
		s.time = now;
	}
	if (tz_event_signin(ui->db, &s, att, ref, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	title_of(ui, "person", pid, "name", name, sizeof name);
	if (intention) {
		title_of(ui, "vacancy", intention, "title", title, sizeof title);
		tz_ui_fmt(msg, sizeof msg, S_EV_SIGNED_INTENT, name, title);
	} else {
		tz_ui_fmt(msg, sizeof msg, S_EV_SIGNED, name);
	}
	tz_ui_message(ui, 0, "%s", msg);
}

static void pick_load(tz_ui *ui, eventscr *e)
{
	tz_notice n;
	tz_err err;
	tz_list_clear(&e->pick);
	if (tz_notice_collect(ui->db, NULL, &n, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < n.n; i++) {
		char left[16];
		snprintf(left, sizeof left, "%ld", n.items[i].left);
		const char *cells[3] = {n.items[i].title, left, n.items[i].employer};
		tz_list_add(&e->pick, n.items[i].id, "vacancy", cells);
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
		tz_ui_message(ui, 1, "%s", err.msg);
	else
		tz_ui_message(ui, 0, "%s", S(S_EV_ADDED));
}

static int event_key(tz_ui *ui, tz_screen *s, int key)
{
	eventscr *e = s->st;
	int h = TZ_UI_BODY_ROWS(ui);
	if (e->picking) {
		int lk = tz_list_key(ui, &e->pick, key, h - 1);
		if (lk == 2)
			key = TZ_KENTER;
		else if (lk)
			return 1;
		if (key == TZ_KESC) {
			e->picking = 0;
			return 1;
		}
		if (key == TZ_KENTER && tz_list_sel_id(&e->pick)) {
			add_offer(ui, e, tz_list_sel_id(&e->pick));
			e->picking = 0;
			event_load(ui, s);
			return 1;
		}
		return 0;
	}
	tz_list *l = e->signins ? &e->people : &e->offers;
	int lk = tz_list_key(ui, l, key, h - 3);
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	if (key == TZ_KF(3)) {
		signin(ui, e, NULL);
	} else if (key == TZ_KF(4)) {
		const char *vac = e->signins ? NULL : tz_list_sel_id(&e->offers);
		if (!vac || !vac[0]) {
			tz_ui_message(ui, 1, "%s", S(S_EV_PICK_OFFER));
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
		tz_ui_push(ui, tz_scr_page_new(ui, TZ_PAGE_SUMMARY, e->id));
		return 1;
	} else if (key == TZ_KENTER && !e->signins && tz_list_sel_id(&e->offers)) {
		tz_ui_push(ui, tz_scr_page_new(ui, TZ_PAGE_CALLS, tz_list_sel_id(&e->offers)));
		return 1;
	} else {
		return 0;
	}
	event_load(ui, s);
	tz_ui_refresh_below(ui);
	return 1;
}

static const tz_binding event_keys[] = {
	{TZ_KF(3), S_K_SIGNIN}, {TZ_KF(4), S_K_INTENT}, {TZ_KF(5), S_K_OFFER},
	{TZ_KF(6), S_K_VIEW},   {TZ_KF(7), S_K_SUMMARY}, {TZ_KENTER, S_K_CALLS},
	{TZ_KESC, S_BACK},      {0, 0},
};

static const tz_screen event_screen = {
	.name = "event", .title = S_EVENT, .draw = event_draw, .key = event_key,
	.reload = event_load,
	.lists = {TZ_SCREEN_LIST(eventscr, offers),
		   TZ_SCREEN_LIST(eventscr, people),
		   TZ_SCREEN_LIST(eventscr, pick)},
	.keys = event_keys,
};

tz_screen *tz_scr_event_new(tz_ui *ui, const char *event)
{
	tz_screen *s = tz_ui_screen_new(&event_screen, sizeof(eventscr));
	if (!s)
		return NULL;
	eventscr *e = s->st;
	snprintf(e->id, sizeof e->id, "%s", event);
	tz_list_columns(&e->offers, 3,
			(const tz_list_col[]){{S_COL_TITLE, 24}, {S_COL_LEFT, 6},
						{S_COL_EMPLOYER, 0}});
	tz_list_columns(&e->people, 3,
			(const tz_list_col[]){{S_COL_TIME, 12}, {S_COL_NAME, 14},
						{S_COL_INTENT, 0}});
	tz_list_columns(&e->pick, 3,
			(const tz_list_col[]){{S_COL_TITLE, 24}, {S_COL_LEFT, 6},
						{S_COL_EMPLOYER, 0}});
	event_load(ui, s);
	return s;
}
