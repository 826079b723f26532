/* screens.c - home, the household finder, a household with its members
 * and visits.  Each screen is a (state, draw, key) triple. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/bundle.h"
#include "taizhang/due.h"
#include "taizhang/oplog.h"
#include "taizhang/record.h"
#include "taizhang/search.h"
#include "taizhang/validate.h"
#include "tui/form.h"
#include "tui/list.h"
#include "tui/scr.h"
#include "tui/text.h"
#include "tui/ui.h"

static tz_screen *scr_households_new(tz_ui *ui);

/* ---- home ---- */

typedef struct {
	long counts[6];
	uint64_t unexported;
	tz_list due; /* the first items due today */
	long ndue;
	int due_stale; /* the due list is loaded after the first screen is up */
} home;

#define HOME_DUE_LINES 8

static const char *const home_tables[] = {"household", "person", "visit", "aid_case",
					  "vacancy", "referral"};

static void home_load(tz_ui *ui, tz_screen *s)
{
	home *h = s->st;
	for (int i = 0; i < 6; i++)
		h->counts[i] = tz_record_count(ui->db, home_tables[i]);
	h->unexported = tz_oplog_high_water(ui->db, tz_db_origin(ui->db)) -
			tz_bundle_exported(ui->db);
	h->due_stale = 1;
}

static int home_idle(tz_ui *ui, tz_screen *s)
{
	home *h = s->st;
	if (!h->due_stale)
		return 0;
	h->due_stale = 0;
	list_clear(&h->due);
	h->ndue = 0;
	tz_due_list dl = {0};
	tz_err err;
	/* only the lines shown: a county has 100,000 items due */
	tz_due_opts o = {.limit = HOME_DUE_LINES};
	if (tz_due_collect(ui->db, &o, &dl, &err) == TZ_OK) {
		h->ndue = (long)dl.total_due;
		for (size_t i = 0; i < dl.n; i++) {
			if (dl.items[i].overdue < 0)
				continue; /* not yet due: these sort last */
			const char *cells[3] = {dl.items[i].due, tz_due_kind_label(dl.items[i].kind),
						dl.items[i].label};
			list_add(&h->due, dl.items[i].id, dl.items[i].table, cells);
		}
		tz_due_free(&dl);
	}
	return 1;
}

static void home_draw(tz_ui *ui, tz_screen *s)
{
	home *h = s->st;
	char line[256];
	int y = UI_BODY_TOP + 1;
	ui_put(ui, y++, 2, 36, S(S_COUNTS), TZ_C_LABEL, 0);
	ui_fmt(line, sizeof line, S_HH_COUNT, h->counts[0], h->counts[1]);
	ui_put(ui, y++, 4, 34, line, TZ_C_NORMAL, 0);
	for (int i = 2; i < 6; i++) {
		const tz_table *t = tz_table_find(home_tables[i]);
		snprintf(line, sizeof line, "%ld", h->counts[i]);
		ui_put(ui, y, 4, 14, tz_tr(t->en, t->zh), TZ_C_NORMAL, 1);
		ui_put(ui, y++, 18, 12, line, TZ_C_NORMAL, 0);
	}
	y++;
	ui_fmt(line, sizeof line, S_NOT_EXPORTED, (unsigned long long)h->unexported);
	ui_put(ui, y++, 2, 36, line, h->unexported ? TZ_C_WARN : TZ_C_NORMAL, 0);
	/* the right half: what is due today */
	int x = 40, w = ui->cols - x - 1;
	if (h->due_stale)
		snprintf(line, sizeof line, "%s ...", S(S_DUE));
	else
		snprintf(line, sizeof line, "%s (%ld)", S(S_DUE), h->ndue);
	ui_put(ui, UI_BODY_TOP + 1, x, w, line, TZ_C_LABEL, 0);
	for (int i = 0; i < h->due.n; i++) {
		snprintf(line, sizeof line, "%s %s %s", list_cell(&h->due, i, 0),
			 list_cell(&h->due, i, 1), list_cell(&h->due, i, 2));
		ui_put(ui, UI_BODY_TOP + 2 + i, x, w, line, TZ_C_NORMAL, 0);
	}
	ui_put(ui, UI_BODY_ROWS(ui) - 1, 2, ui->cols - 4, S(S_HOME_MENU), TZ_C_WARN, 0);
}

static void home_destroy(tz_screen *s)
{
	home *h = s->st;
	list_free(&h->due);
	ui_screen_free(s);
}

static int home_key(tz_ui *ui, tz_screen *s, int key)
{
	(void)s;
	if (key == 'h' || key == 'H' || key == TZ_KF(3) || key == '/' || key == TZ_KENTER) {
		ui_push(ui, scr_households_new(ui));
		return 1;
	}
	if (key == TZ_KF(4) || key == 'e' || key == 'E') {
		ui_push(ui, scr_table_new(ui, "employer", NULL, NULL, NULL, S_EMPLOYERS));
		return 1;
	}
	if (key == TZ_KF(5) || key == 'd' || key == 'D') {
		ui_push(ui, scr_due_new(ui));
		return 1;
	}
	if (key == TZ_KF(7) || key == 'r' || key == 'R') {
		ui_push(ui, scr_report_new(ui));
		return 1;
	}
	if (key == TZ_KF(6) || key == 'u' || key == 'U') {
		ui_push(ui, scr_sync_new(ui));
		return 1;
	}
	if (key == TZ_KF(8) || key == 's' || key == 'S') {
		ui_push(ui, scr_table_new(ui, "staff", NULL, NULL, NULL, S_STAFF_LIST));
		return 1;
	}
	if (key == TZ_KF(2) || key == 'c' || key == 'C') {
		ui_push(ui, scr_settings_new(ui));
		return 1;
	}
	if (key == 'p' || key == 'P') {
		ui_push(ui, scr_platform_new(ui));
		return 1;
	}
	if (key == TZ_KF(9)) {
		tz_set_lang(tz_get_lang() == TZ_LANG_ZH || ui->ascii ? TZ_LANG_EN : TZ_LANG_ZH);
		return 1;
	}
	return 0;
}

static const tz_binding home_keys[] = {
	{TZ_KF(2), S_K_SETUP},
	{TZ_KF(3), S_K_FIND},
	{TZ_KF(4), S_K_EMPLOYERS},
	{TZ_KF(5), S_K_DUE},
	{TZ_KF(6), S_K_SYNC},
	{TZ_KF(7), S_K_REPORT},
	{TZ_KF(8), S_K_STAFF},
	{'/', S_SEARCH},
	{'p', S_K_PLATFORM},
	{TZ_KF(9), S_LANG},
	{0, 0},
};

tz_screen *scr_home_new(tz_ui *ui)
{
	tz_screen *s = ui_screen_new("home", S_HOME, sizeof(home));
	if (!s)
		return NULL;
	home *h = s->st;
	list_init(&h->due, 3);
	s->draw = home_draw;
	s->key = home_key;
	s->reload = home_load;
	s->idle = home_idle;
	s->destroy = home_destroy;
	s->keys = home_keys;
	home_load(ui, s);
	return s;
}

/* ---- the household finder: search as you type ---- */

typedef struct {
	tz_edit query;
	tz_list list;
} finder;

static int add_hit(void *ctx, const tz_search_hit *h)
{
	tz_list *l = ctx;
	const char *cells[5] = {h->name, h->id_number, h->phone, h->address, h->village};
	list_add(l, !strcmp(h->table, "person") ? h->household : h->id, h->table, cells);
	return 0;
}

static int add_household(void *ctx, const tz_row *r)
{
	tz_list *l = ctx;
	/* village, address, phone, note, head_name */
	const char *cells[5] = {r->vals[4], "", r->vals[2], r->vals[1], r->vals[0]};
	list_add(l, r->id, "household", cells);
	return l->n >= 500;
}

static void finder_load(tz_ui *ui, tz_screen *s)
{
	finder *f = s->st;
	char q[256];
	tz_err err;
	tz_edit_get(&f->query, q, sizeof q);
	list_clear(&f->list);
	if (q[0])
		tz_search(ui->db, q, 200, add_hit, &f->list, &err);
	else
		tz_record_list(ui->db, "household", NULL, 0, add_household, &f->list, &err);
}

static void finder_draw(tz_ui *ui, tz_screen *s)
{
	finder *f = s->st;
	int y = UI_BODY_TOP;
	int lw = ui_put(ui, y, 1, ui->cols - 2, S(S_TYPE_TO_SEARCH), TZ_C_LABEL, 0);
	int x = 1 + lw, w = ui->cols - x - 1;
	int col = ui_put_edit(ui, y, x, w, &f->query, TZ_C_FOCUS);
	list_draw(ui, &f->list, y + 1, 1, UI_BODY_ROWS(ui) - 1, ui->cols - 2);
	if (!f->list.n && f->query.len)
		ui_put(ui, y + 2, 2, ui->cols - 4, S(S_NO_MATCH), TZ_C_WARN, 0);
	ui->cur_y = y;
	ui->cur_x = x + col;
}

static int finder_key(tz_ui *ui, tz_screen *s, int key)
{
	finder *f = s->st;
	int lk = list_key(ui, &f->list, key, UI_BODY_ROWS(ui) - 1);
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	if (key == TZ_KENTER) {
		const char *id = list_sel_id(&f->list);
		if (id && *id)
			ui_push(ui, scr_household_new(ui, id));
		return 1;
	}
	if (key == TZ_KF(5)) {
		char *region = tz_db_region(ui->db);
		static const char *const fields[] = {"village", "address", "head_name", "phone",
						     "flags", "note", NULL};
		tz_screen *fs = form_screen_new(ui, "household", fields, NULL, NULL, NULL,
						S_NEW_HOUSEHOLD);
		if (fs && region)
			form_set(fs, "village", region);
		free(region);
		ui_push(ui, fs);
		return 1;
	}
	int ek = 0;
	if (key == TZ_K(KEY_BACKSPACE))
		ek = TZ_EK_BACKSPACE;
	else if (key == TZ_K(KEY_LEFT))
		ek = TZ_EK_LEFT;
	else if (key == TZ_K(KEY_RIGHT))
		ek = TZ_EK_RIGHT;
	else if (key == 21)
		ek = TZ_EK_KILL_START;
	else if (key >= 0x20 && key < 0x110000)
		ek = key;
	if (ek && tz_edit_key(&f->query, ek)) {
		finder_load(ui, s);
		return 1;
	}
	return 0;
}

static void finder_destroy(tz_screen *s)
{
	finder *f = s->st;
	list_free(&f->list);
	ui_screen_free(s);
}

static const tz_binding finder_keys[] = {
	{TZ_KENTER, S_HOUSEHOLD},
	{TZ_KF(5), S_NEW},
	{TZ_KESC, S_BACK},
	{0, 0},
};

static tz_screen *scr_households_new(tz_ui *ui)
{
	tz_screen *s = ui_screen_new("households", S_HOUSEHOLDS, sizeof(finder));
	if (!s)
		return NULL;
	finder *f = s->st;
	tz_edit_init(&f->query, 60);
	list_init(&f->list, 5);
	f->list.head[0] = S(S_NAME);
	f->list.head[1] = S(S_IDNUM);
	f->list.head[2] = S(S_PHONE);
	f->list.head[3] = S(S_ADDRESS);
	f->list.head[4] = S(S_VILLAGE);
	f->list.width[0] = 10;
	f->list.width[1] = 18;
	f->list.width[2] = 13;
	f->list.width[3] = 0;
	f->list.width[4] = 12;
	f->list.width[3] = 20;
	s->draw = finder_draw;
	s->key = finder_key;
	s->reload = finder_load;
	s->destroy = finder_destroy;
	s->keys = finder_keys;
	finder_load(ui, s);
	return s;
}

/* ---- one household: members and visits ---- */

typedef struct {
	char id[33];
	tz_row hh;
	tz_list members, visits;
	int focus; /* 0 members, 1 visits */
} household;

static int add_member(void *ctx, const tz_row *r)
{
	tz_list *l = ctx;
	const tz_table *t = r->table;
	/* name, id_number, gender, birth_date, employment_status, key_groups */
	const char *st = tz_code_label(t->fields[7].codes, r->vals[7]);
	const char *cells[5] = {r->vals[1], r->vals[2],
				tz_code_label(tz_codes_gender, r->vals[3]), st ? st : "",
				r->vals[8]};
	list_add(l, r->id, "person", cells);
	return 0;
}

static int add_visit(void *ctx, const tz_row *r)
{
	tz_list *l = ctx;
	const tz_table *t = r->table;
	const char *cells[4] = {r->vals[2], tz_code_label(t->fields[3].codes, r->vals[3]),
				r->vals[1], r->vals[4]};
	list_add(l, r->id, "visit", cells);
	return 0;
}

static void household_load(tz_ui *ui, tz_screen *s)
{
	household *h = s->st;
	tz_err err;
	tz_row_free(&h->hh);
	if (tz_record_get(ui->db, "household", h->id, &h->hh, &err))
		memset(&h->hh, 0, sizeof h->hh);
	list_clear(&h->members);
	list_clear(&h->visits);
	tz_kv w = {"household", h->id};
	tz_record_list(ui->db, "person", &w, 1, add_member, &h->members, &err);
	tz_record_list(ui->db, "visit", &w, 1, add_visit, &h->visits, &err);
	list_sort(&h->visits, 0, 1); /* newest visit first */
}

static void household_draw(tz_ui *ui, tz_screen *s)
{
	household *h = s->st;
	char line[512];
	int y = UI_BODY_TOP;
	if (h->hh.vals) {
		snprintf(line, sizeof line, "%s: %s   %s: %s   %s: %s", S(S_ADDRESS),
			 h->hh.vals[1] ? h->hh.vals[1] : "", S(S_HEAD),
			 h->hh.vals[4] ? h->hh.vals[4] : "", S(S_PHONE),
			 h->hh.vals[2] ? h->hh.vals[2] : "");
		ui_put(ui, y, 1, ui->cols - 2, line, TZ_C_NORMAL, 0);
	}
	y += 1;
	int body = UI_BODY_ROWS(ui) - 1, mh = body / 2 + 1, vh = body - mh;
	ui_put(ui, y, 1, ui->cols - 2, S(S_MEMBERS), h->focus == 0 ? TZ_C_FOCUS : TZ_C_LABEL, 1);
	list_draw(ui, &h->members, y + 1, 1, mh - 1, ui->cols - 2);
	y += mh;
	ui_put(ui, y, 1, ui->cols - 2, S(S_VISITS), h->focus == 1 ? TZ_C_FOCUS : TZ_C_LABEL, 1);
	list_draw(ui, &h->visits, y + 1, 1, vh - 1, ui->cols - 2);
}

static int household_key(tz_ui *ui, tz_screen *s, int key)
{
	household *h = s->st;
	int was = h->focus;
	if (key == TZ_KMOUSE && (list_hit(ui, &h->members) || list_hit(ui, &h->visits)))
		h->focus = list_hit(ui, &h->visits) ? 1 : 0; /* a click focuses its list */
	tz_list *l = h->focus == 0 ? &h->members : &h->visits;
	if (key == '\t') {
		h->focus = !h->focus;
		return 1;
	}
	int lk = list_key(ui, l, key, UI_BODY_ROWS(ui) / 2);
	if (lk == 2 && was != h->focus && !ui->mouse_double)
		lk = 1; /* the first click on the other list only selects */
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	if (key == TZ_KENTER || key == TZ_KF(4)) {
		const char *id = list_sel_id(l);
		if (h->focus == 0 && id)
			ui_push(ui, form_screen_new(ui, "person", NULL, id, "household", h->id,
						    S_EDIT_PERSON));
		else if (h->focus == 1 && id)
			ui_push(ui, form_screen_new(ui, "visit", NULL, id, "household", h->id, S_VISIT));
		return 1;
	}
	if (key == TZ_KF(5)) {
		ui_push(ui, form_screen_new(ui, "person", NULL, NULL, "household", h->id,
					    S_NEW_PERSON));
		return 1;
	}
	if (key == TZ_KF(3) && h->focus == 0) {
		const char *id = list_sel_id(l);
		if (id)
			ui_push(ui, scr_table_new(ui, "aid_case", "person", id, NULL, S_CASES));
		return 1;
	}
	if (key == TZ_KF(2) && h->focus == 0) {
		static const char *const cols[] = {"date", "vacancy", "status", "outcome_date",
						   "staff", NULL};
		const char *id = list_sel_id(l);
		if (id)
			ui_push(ui, scr_table_new(ui, "referral", "person", id, cols, S_REFERRALS));
		return 1;
	}
	if (key == TZ_KF(6)) {
		static const char *const fields[] = {"date", "kind", "staff", "met", "findings",
						     "needs", "satisfaction", "next_visit", NULL};
		tz_screen *fs = form_screen_new(ui, "visit", fields, NULL, "household", h->id,
						S_NEW_VISIT);
		char today[11];
		tz_days_date((long)(tz_wall_ms() / 86400000), today);
		if (fs)
			form_set(fs, "date", today);
		if (fs && ui->staff[0])
			form_set(fs, "staff", ui->staff); /* who logged in */
		ui_push(ui, fs);
		return 1;
	}
	if (key == TZ_KF(7)) {
		ui_push(ui, form_screen_new(ui, "household", NULL, h->id, NULL, NULL,
					    S_EDIT_HOUSEHOLD));
		return 1;
	}
	if (key == TZ_KF(8)) {
		const char *id = list_sel_id(l);
		if (!id || !ui_confirm(ui, S(S_CONFIRM_DELETE)))
			return 1;
		tz_err err;
		if (tz_record_del(ui->db, h->focus == 0 ? "person" : "visit", id, &err))
			ui_message(ui, 1, "%s", err.msg);
		else
			ui_message(ui, 0, "%s", S(S_DELETED));
		household_load(ui, s);
		ui_refresh_below(ui);
		return 1;
	}
	return 0;
}

static void household_destroy(tz_screen *s)
{
	household *h = s->st;
	tz_row_free(&h->hh);
	list_free(&h->members);
	list_free(&h->visits);
	ui_screen_free(s);
}

static const tz_binding household_keys[] = {
	{TZ_KENTER, S_PERSON},
	{TZ_KF(2), S_K_REFERRALS},
	{TZ_KF(3), S_K_CASES},
	{TZ_KF(5), S_MEMBER},
	{TZ_KF(6), S_VISIT},
	{TZ_KF(7), S_EDIT},
	{TZ_KF(8), S_DELETE},
	{'\t', S_MEMBERS},
	{TZ_KESC, S_BACK},
	{0, 0},
};

tz_screen *scr_household_new(tz_ui *ui, const char *id)
{
	tz_screen *s = ui_screen_new("household", S_HOUSEHOLD, sizeof(household));
	if (!s)
		return NULL;
	household *h = s->st;
	snprintf(h->id, sizeof h->id, "%s", id);
	list_init(&h->members, 5);
	h->members.head[0] = S(S_NAME);
	h->members.head[1] = S(S_IDNUM);
	h->members.head[2] = tz_tr("Sex", "性别");
	h->members.head[3] = S(S_STATUS);
	h->members.head[4] = tz_tr("Key groups", "重点群体");
	h->members.width[0] = 10;
	h->members.width[1] = 18;
	h->members.width[2] = 6;
	h->members.width[3] = 12;
	list_init(&h->visits, 4);
	h->visits.head[0] = S(S_DATE);
	h->visits.head[1] = S(S_KIND);
	h->visits.head[2] = S(S_BY);
	h->visits.head[3] = S(S_NOTES);
	h->visits.width[0] = 10;
	h->visits.width[1] = 6;
	h->visits.width[2] = 10;
	s->draw = household_draw;
	s->key = household_key;
	s->reload = household_load;
	s->destroy = household_destroy;
	s->keys = household_keys;
	household_load(ui, s);
	return s;
}
