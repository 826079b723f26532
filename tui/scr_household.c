/* scr_household.c - one household: its members and visits, and the way to
 * their forms, aid cases and referrals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/clock.h"
#include "taizhang/record.h"
#include "form.h"
#include "list.h"
#include "pick.h"
#include "scr.h"

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
	const char *st = tz_schema_code_label(t->fields[7].codes, r->vals[7]);
	const char *cells[5] = {r->vals[1], r->vals[2],
				tz_schema_code_label(tz_schema_codes_gender, r->vals[3]), st ? st : "",
				r->vals[8]};
	tz_list_add(l, r->id, "person", cells);
	return 0;
}

static int add_visit(void *ctx, const tz_row *r)
{
	tz_list *l = ctx;
	const tz_table *t = r->table;
	const char *cells[4] = {r->vals[2], tz_schema_code_label(t->fields[3].codes, r->vals[3]),
				r->vals[1], r->vals[4]};
	tz_list_add(l, r->id, "visit", cells);
	return 0;
}

static void household_load(tz_ui *ui, tz_screen *s)
{
	household *h = s->st;
	tz_err err;
	tz_record_row_free(&h->hh);
	if (tz_record_get(ui->db, "household", h->id, &h->hh, &err))
		memset(&h->hh, 0, sizeof h->hh);
	tz_list_clear(&h->members);
	tz_list_clear(&h->visits);
	tz_kv w = {"household", h->id};
	tz_record_list(ui->db, "person", &w, 1, add_member, &h->members, &err);
	tz_record_list(ui->db, "visit", &w, 1, add_visit, &h->visits, &err);
	tz_list_sort(&h->visits, 0, 1); /* newest visit first */
}

static void household_draw(tz_ui *ui, tz_screen *s)
{
	household *h = s->st;
	char line[512];
	int y = TZ_UI_BODY_TOP;
	if (h->hh.vals) {
		snprintf(line, sizeof line, "%s: %s   %s: %s   %s: %s", S(S_ADDRESS),
			 h->hh.vals[1] ? h->hh.vals[1] : "", S(S_HEAD),
			 h->hh.vals[4] ? h->hh.vals[4] : "", S(S_PHONE),
			 h->hh.vals[2] ? h->hh.vals[2] : "");
		tz_ui_put(ui, y, 1, ui->cols - 2, line, TZ_C_NORMAL, 0);
	}
	y += 1;
	int body = TZ_UI_BODY_ROWS(ui) - 1, mh = body / 2 + 1, vh = body - mh;
	/* which list the keys go to shows without colour too (Tab switches) */
	char head[128];
	snprintf(head, sizeof head, "%s%s", h->focus == 0 ? "> " : "  ", S(S_MEMBERS));
	tz_ui_put(ui, y, 1, ui->cols - 2, head, h->focus == 0 ? TZ_C_FOCUS : TZ_C_LABEL, 1);
	tz_list_draw(ui, &h->members, y + 1, 1, mh - 1, ui->cols - 2);
	y += mh;
	snprintf(head, sizeof head, "%s%s", h->focus == 1 ? "> " : "  ", S(S_VISITS));
	tz_ui_put(ui, y, 1, ui->cols - 2, head, h->focus == 1 ? TZ_C_FOCUS : TZ_C_LABEL, 1);
	tz_list_draw(ui, &h->visits, y + 1, 1, vh - 1, ui->cols - 2);
}

static int household_key(tz_ui *ui, tz_screen *s, int key)
{
	household *h = s->st;
	int was = h->focus;
	if (key == TZ_KMOUSE && (tz_list_hit(ui, &h->members) || tz_list_hit(ui, &h->visits)))
		h->focus = tz_list_hit(ui, &h->visits) ? 1 : 0; /* a click focuses its list */
	tz_list *l = h->focus == 0 ? &h->members : &h->visits;
	if (key == '\t') {
		h->focus = !h->focus;
		return 1;
	}
	int lk = tz_list_key(ui, l, key, TZ_UI_BODY_ROWS(ui) / 2);
	if (lk == 2 && was != h->focus && !ui->mouse_double)
		lk = 1; /* the first click on the other list only selects */
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	if (key == TZ_KENTER || key == TZ_KF(4)) {
		const char *id = tz_list_sel_id(l);
		if (h->focus == 0 && id)
			tz_ui_push(ui, tz_form_new(ui, "person", NULL, id, "household", h->id,
						   S_EDIT_PERSON));
		else if (h->focus == 1 && id)
			tz_ui_push(ui, tz_form_new(ui, "visit", NULL, id, "household", h->id,
						   S_VISIT));
		return 1;
	}
	if (key == TZ_KF(5)) {
		tz_ui_push(ui, tz_form_new(ui, "person", NULL, NULL, "household", h->id,
					   S_NEW_PERSON));
		return 1;
	}
	if (key == TZ_KF(3) && h->focus == 0) {
		const char *id = tz_list_sel_id(l);
		if (id)
			tz_ui_push(ui, tz_scr_table_new(ui, "aid_case", "person", id, NULL,
							S_CASES));
		return 1;
	}
	if (key == TZ_KF(2) && h->focus == 0) {
		static const char *const cols[] = {"date", "vacancy", "status", "outcome_date",
						   "staff", NULL};
		const char *id = tz_list_sel_id(l);
		if (id)
			tz_ui_push(ui, tz_scr_table_new(ui, "referral", "person", id, cols,
							S_REFERRALS));
		return 1;
	}
	if (key == TZ_KF(6)) {
		static const char *const fields[] = {"date", "kind", "staff", "met", "findings",
						     "needs", "satisfaction", "next_visit", NULL};
		tz_screen *fs = tz_form_new(ui, "visit", fields, NULL, "household", h->id,
					    S_NEW_VISIT);
		char today[11];
		tz_clock_today(today);
		if (fs)
			tz_form_set(fs, "date", today);
		if (fs && ui->staff[0])
			tz_form_set(fs, "staff", ui->staff); /* who logged in */
		tz_ui_push(ui, fs);
		return 1;
	}
	if (key == TZ_KF(7)) {
		tz_ui_push(ui, tz_form_new(ui, "household", NULL, h->id, NULL, NULL,
					   S_EDIT_HOUSEHOLD));
		return 1;
	}
	if (key == TZ_KF(8)) {
		const char *id = tz_list_sel_id(l);
		if (!id || !tz_pick_confirm_delete(ui, h->focus == 0 ? "person" : "visit", id))
			return 1;
		tz_err err;
		if (tz_record_del(ui->db, h->focus == 0 ? "person" : "visit", id, &err))
			tz_ui_message(ui, 1, "%s", err.msg);
		else
			tz_ui_message(ui, 0, "%s", S(S_DELETED));
		household_load(ui, s);
		tz_ui_refresh_below(ui);
		return 1;
	}
	return 0;
}

static void household_destroy(tz_screen *s)
{
	household *h = s->st;
	tz_record_row_free(&h->hh);
	tz_ui_screen_free(s);
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

static const tz_screen household_screen = {
	.name = "household", .title = S_HOUSEHOLD, .draw = household_draw, .key = household_key,
	.reload = household_load, .destroy = household_destroy,
	.lists = {TZ_SCREEN_LIST(household, members), TZ_SCREEN_LIST(household, visits)},
	.keys = household_keys,
};

tz_screen *tz_scr_household_new(tz_ui *ui, const char *id)
{
	tz_screen *s = tz_ui_screen_new(&household_screen, sizeof(household));
	if (!s)
		return NULL;
	household *h = s->st;
	snprintf(h->id, sizeof h->id, "%s", id);
	tz_list_columns(&h->members, 5,
			(const tz_list_col[]){{S_NAME, 10}, {S_IDNUM, 18}, {S_SEX, 6},
						{S_STATUS, 12}, {S_KEY_GROUPS, 0}});
	tz_list_columns(&h->visits, 4,
			(const tz_list_col[]){{S_DATE, 10}, {S_KIND, 6}, {S_BY, 10}, {S_NOTES, 0}});
	household_load(ui, s);
	return s;
}
