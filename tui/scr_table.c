/* scr_tables.c - a list of records of one table (optionally those that
 * point at a parent record), with new / edit / delete and a way down to
 * child records: aid cases and their steps, employers and their vacancies,
 * staff. */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/clock.h"
#include "taizhang/record.h"
#include "taizhang/pin.h"
#include "form.h"
#include "list.h"
#include "pick.h"
#include "scr.h"

typedef struct {
	const tz_table *t;
	char where_field[32], where_value[40];
	int cols[6], ncols;
	int sort_desc;
	tz_list list;
	const char *child_table, *child_field; /* F6 opens these */
	int child_title, child_key;
	const char *const *child_cols;
	/* REF columns show the referenced record's name or title: the last
	 * one looked up per column, as rows often repeat it */
	char ref_id[6][33], ref_label[6][128];
} tabscr;

/* The label of a referenced record (tz_pick_label), the last one per column
 * remembered. */
static void ref_label(tz_ui *ui, tabscr *ts, int col, const char *table, const char *id,
		      char *out, size_t n)
{
	if (strcmp(ts->ref_id[col], id)) {
		tz_pick_label(ui->db, table, id, ts->ref_label[col], sizeof ts->ref_label[col]);
		snprintf(ts->ref_id[col], sizeof ts->ref_id[col], "%s", id);
	}
	snprintf(out, n, "%s", ts->ref_label[col]);
}

typedef struct {
	tz_ui *ui;
	tabscr *ts;
} loadctx;

static int add_row(void *ctx, const tz_row *r)
{
	loadctx *lc = ctx;
	tabscr *ts = lc->ts;
	const char *cells[6];
	char buf[6][256];
	for (int i = 0; i < ts->ncols; i++) {
		const tz_field *f = &ts->t->fields[ts->cols[i]];
		const char *v = r->vals[ts->cols[i]];
		if (v && f->type == TZ_T_ENUM)
			v = tz_schema_code_label(f->codes, v);
		if (v && *v && f->type == TZ_T_REF && f->ref)
			ref_label(lc->ui, ts, i, f->ref, v, buf[i], sizeof buf[i]);
		else
			snprintf(buf[i], sizeof buf[i], "%s", v ? v : "");
		cells[i] = buf[i];
	}
	tz_list_add(&ts->list, r->id, ts->t->name, cells);
	return ts->list.n >= 2000;
}

static void tab_load(tz_ui *ui, tz_screen *s)
{
	tabscr *ts = s->st;
	tz_err err;
	int sel = ts->list.sel;
	tz_list_clear(&ts->list);
	tz_kv w = {ts->where_field, ts->where_value};
	loadctx lc = {ui, ts};
	memset(ts->ref_id, 0, sizeof ts->ref_id); /* names may have changed */
	tz_record_list(ui->db, ts->t->name, &w, ts->where_field[0] ? 1 : 0, add_row, &lc, &err);
	tz_list_sort(&ts->list, 0, ts->sort_desc);
	ts->list.sel = sel < ts->list.n ? sel : (ts->list.n ? ts->list.n - 1 : 0);
}

static void tab_draw(tz_ui *ui, tz_screen *s)
{
	tabscr *ts = s->st;
	tz_list_draw(ui, &ts->list, TZ_UI_BODY_TOP, 1, TZ_UI_BODY_ROWS(ui), ui->cols - 2);
	if (!ts->list.n)
		tz_ui_put(ui, TZ_UI_BODY_TOP + 2, 2, ui->cols - 4, S(S_NO_MATCH), TZ_C_WARN, 0);
}

/* F3 on the staff list: a new PIN for the selected member, typed twice. */
static void set_pin(tz_ui *ui, tabscr *ts, const char *id)
{
	char a[64], b[64];
	tz_err err;
	if (!tz_ui_prompt(ui, S(S_PIN_NEW), 1, a, sizeof a))
		return;
	if (!tz_pin_valid(a)) {
		tz_pin_set(ui->db, id, a, &err);
		tz_ui_message(ui, 1, "%s", err.msg);
	} else if (!tz_ui_prompt(ui, S(S_PIN_AGAIN), 1, b, sizeof b)) {
		/* cancelled */
	} else if (strcmp(a, b)) {
		tz_ui_message(ui, 1, "%s", S(S_PIN_MISMATCH));
	} else if (tz_pin_set(ui->db, id, a, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
	} else {
		char msg[256];
		tz_ui_fmt(msg, sizeof msg, S_PIN_SET, tz_list_cell(&ts->list, ts->list.sel, 0));
		tz_ui_message(ui, 0, "%s", msg);
		tz_ui_lock_refresh(ui);
	}
	sodium_memzero(a, sizeof a);
	sodium_memzero(b, sizeof b);
}

static int staff_by_name(void *ctx, const tz_row *r)
{
	snprintf(ctx, 33, "%s", r->id);
	return 1;
}

/* Preset a staff reference to the staff member signed in. */
static void staff_id_set(tz_ui *ui, tz_screen *f, const char *field)
{
	char id[33] = "";
	tz_kv w = {"name", ui->staff};
	tz_err err;
	if (tz_record_list(ui->db, "staff", &w, 1, staff_by_name, id, &err) == TZ_OK && id[0])
		tz_form_set(f, field, id);
}

static int tab_key(tz_ui *ui, tz_screen *s, int key)
{
	tabscr *ts = s->st;
	int lk = tz_list_key(ui, &ts->list, key, TZ_UI_BODY_ROWS(ui));
	if (lk == 2)
		key = TZ_KENTER; /* double click, or a click on the selected row */
	else if (lk)
		return 1;
	const char *id = tz_list_sel_id(&ts->list);
	if ((key == TZ_KENTER || key == TZ_KF(4)) && id && !strcmp(ts->t->name, "referral")) {
		/* the outcome: status (hired, rejected, no show ...) and its date */
		static const char *const fields[] = {"status", "outcome_date", "note", "date",
						     "staff", NULL};
		tz_ui_push(ui, tz_form_new(ui, "referral", fields, id, NULL, NULL, S_REFERRAL));
		return 1;
	}
	if ((key == TZ_KENTER || key == TZ_KF(4)) && id) {
		tz_ui_push(ui, tz_form_new(ui, ts->t->name, NULL, id,
					   ts->where_field[0] ? ts->where_field : NULL,
					   ts->where_value, S_EDIT));
		return 1;
	}
	if (key == TZ_KF(5) && !strcmp(ts->t->name, "referral")) {
		tz_ui_message(ui, 0, "%s", S(S_REFER_HOW)); /* referrals come from matching */
		return 1;
	}
	if (key == TZ_KF(5)) {
		tz_screen *f = tz_form_new(ui, ts->t->name, NULL, NULL,
					   ts->where_field[0] ? ts->where_field : NULL,
					   ts->where_value, S_NEW);
		/* dates default to today */
		char today[11];
		tz_clock_today(today);
		for (int i = 0; f && i < ts->t->nfields; i++) {
			const char *n = ts->t->fields[i].name;
			const tz_field *fd = &ts->t->fields[i];
			if (!strcmp(n, "date") || !strcmp(n, "opened") || !strcmp(n, "received") ||
			    !strcmp(n, "start"))
				tz_form_set(f, n, today);
			else if ((!strcmp(n, "staff") || !strcmp(n, "owner")) && ui->staff[0] &&
				 fd->type == TZ_T_TEXT)
				tz_form_set(f, n, ui->staff); /* who logged in */
			else if (!strcmp(n, "received_by") && ui->staff[0])
				staff_id_set(ui, f, n); /* first inquiry: who receives it owns it */
		}
		if (f)
			tz_ui_push(ui, f);
		return 1;
	}
	if (key == TZ_KF(3) && id && !strcmp(ts->t->name, "staff")) {
		set_pin(ui, ts, id);
		return 1;
	}
	if (key == TZ_KF(7) && id && !strcmp(ts->t->name, "vacancy")) {
		tz_ui_push(ui, tz_scr_match_new(ui, id));
		return 1;
	}
	if (key == TZ_KF(3) && id && !strcmp(ts->t->name, "vacancy")) {
		tz_ui_push(ui, tz_scr_page_new(ui, TZ_PAGE_CALLS, id));
		return 1;
	}
	if (key == TZ_KF(6) && id && !strcmp(ts->t->name, "event")) {
		tz_ui_push(ui, tz_scr_event_new(ui, id));
		return 1;
	}
	if ((key == TZ_KF(7) || key == TZ_KF(2)) && id && !strcmp(ts->t->name, "staff")) {
		static const char *const train_cols[] = {"date", "topic", "hours", "organiser", NULL};
		static const char *const filing_cols[] = {"year", "result", "date", "note", NULL};
		int tr = key == TZ_KF(7);
		tz_ui_push(ui, tz_scr_table_new(ui, tr ? "training" : "staff_filing", "staff", id,
						tr ? train_cols : filing_cols,
						tr ? S_TRAINING : S_FILING));
		return 1;
	}
	if (key == TZ_KF(6) && id && ts->child_table) {
		tz_ui_push(ui, tz_scr_table_new(ui, ts->child_table, ts->child_field, id,
						ts->child_cols, ts->child_title));
		return 1;
	}
	if (key == TZ_KF(8) && id) {
		if (!tz_pick_confirm_delete(ui, ts->t->name, id))
			return 1;
		tz_err err;
		if (tz_record_del(ui->db, ts->t->name, id, &err))
			tz_ui_message(ui, 1, "%s", err.msg);
		else
			tz_ui_message(ui, 0, "%s", S(S_DELETED));
		tab_load(ui, s);
		return 1;
	}
	return 0;
}

/* Per table: the columns shown, and where F6 leads. */
static const struct {
	const char *table;
	const char *cols[6];
	int sort_desc;
	const char *child, *child_field;
	int child_title, child_key;
	const char *child_cols[6];
} kinds[] = {
	{"aid_case", {"opened", "status", "category", "owner", "plan"}, 1,
	 "aid_action", "aid_case", S_ACTIONS, S_K_ACTIONS, {"date", "kind", "staff", "next_due", "note"}},
	{"aid_action", {"date", "kind", "staff", "next_due", "note"}, 1, NULL, NULL, 0, 0, {NULL}},
	{"employer", {"name", "industry", "contact", "phone", "address"}, 0,
	 "vacancy", "employer", S_VACANCIES, S_K_VACANCIES,
	 {"title", "openings", "wage_min", "wage_max", "valid_until"}},
	{"vacancy", {"title", "openings", "wage_min", "wage_max", "valid_until"}, 0, NULL, NULL, 0, 0,
	 {NULL}},
	{"staff", {"name", "role", "phone", "certificate_expiry", "status"}, 0, "staff_cert",
	 "staff", S_CERTS, S_K_CERTS, {"expiry", "name", "number", "issuer", "issued"}},
	{"referral", {"date", "vacancy", "person", "status", "outcome_date"}, 1, NULL, NULL, 0, 0,
	 {NULL}},
	/* platform work (issue 8); F6 on an event opens its own screen */
	{"event", {"start", "kind", "name", "place", "organiser"}, 1, NULL, NULL, 0, 0, {NULL}},
	{"complaint", {"received", "status", "complainant", "received_by", "subject"}, 1, NULL,
	 NULL, 0, 0, {NULL}},
	{"staff_cert", {"expiry", "staff", "name", "number", "issuer"}, 0, NULL, NULL, 0, 0,
	 {NULL}},
	{"training", {"date", "staff", "topic", "hours", "organiser"}, 1, NULL, NULL, 0, 0, {NULL}},
	{"staff_filing", {"year", "staff", "result", "date", "note"}, 1, NULL, NULL, 0, 0, {NULL}},
	{"platform", {"region", "name", "level", "space_m2", "staff_count"}, 0, NULL, NULL, 0, 0,
	 {NULL}},
};

static tz_binding tab_keys[16][10];

static const tz_screen table_screen = {
	.draw = tab_draw, .key = tab_key, .reload = tab_load,
	.lists = {TZ_SCREEN_LIST(tabscr, list)},
};

tz_screen *tz_scr_table_new(tz_ui *ui, const char *table, const char *where_field,
			    const char *where_value, const char *const *cols, int title)
{
	const tz_table *t = tz_schema_table_find(table);
	tz_screen *s = t ? tz_ui_screen_new(&table_screen, sizeof(tabscr)) : NULL;
	if (!s)
		return NULL;
	s->name = table;
	s->title = title;
	tabscr *ts = s->st;
	ts->t = t;
	if (where_field) {
		snprintf(ts->where_field, sizeof ts->where_field, "%s", where_field);
		snprintf(ts->where_value, sizeof ts->where_value, "%s", where_value);
	}
	int k = -1;
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (!strcmp(kinds[i].table, table))
			k = (int)i;
	if (!cols && k >= 0)
		cols = kinds[k].cols;
	for (int i = 0; cols && cols[i] && ts->ncols < 6; i++) {
		int f = tz_schema_field_find(t, cols[i]);
		if (f >= 0)
			ts->cols[ts->ncols++] = f;
	}
	tz_list_init(&ts->list, ts->ncols);
	for (int i = 0; i < ts->ncols; i++) {
		const tz_field *f = &t->fields[ts->cols[i]];
		ts->list.head[i] = tz_tr(f->en, f->zh);
		ts->list.width[i] = f->type == TZ_T_DATE ? 10 : f->type == TZ_T_INT ? 8 : 14;
	}
	if (ts->ncols)
		ts->list.width[ts->ncols - 1] = 0;
	tz_binding *b = tab_keys[k >= 0 ? k : 15];
	int nb = 0;
	b[nb++] = (tz_binding){TZ_KENTER, S_EDIT};
	if (strcmp(table, "referral"))
		b[nb++] = (tz_binding){TZ_KF(5), S_NEW};
	if (k >= 0) {
		ts->sort_desc = kinds[k].sort_desc;
		ts->child_table = kinds[k].child;
		ts->child_field = kinds[k].child_field;
		ts->child_title = kinds[k].child_title;
		ts->child_cols = kinds[k].child_cols;
		if (kinds[k].child)
			b[nb++] = (tz_binding){TZ_KF(6), kinds[k].child_key};
	}
	if (!strcmp(table, "vacancy")) {
		b[nb++] = (tz_binding){TZ_KF(7), S_K_MATCH};
		b[nb++] = (tz_binding){TZ_KF(3), S_K_CALLS};
	}
	if (!strcmp(table, "staff")) {
		b[nb++] = (tz_binding){TZ_KF(3), S_K_PIN};
		b[nb++] = (tz_binding){TZ_KF(7), S_K_TRAINING};
		b[nb++] = (tz_binding){TZ_KF(2), S_K_FILING};
	}
	if (!strcmp(table, "event"))
		b[nb++] = (tz_binding){TZ_KF(6), S_K_EVENT};
	b[nb++] = (tz_binding){TZ_KF(8), S_DELETE};
	b[nb++] = (tz_binding){TZ_KESC, S_BACK};
	b[nb] = (tz_binding){0, 0};
	s->keys = b;
	tab_load(ui, s);
	return s;
}
