/* scr_due.c - what is due and overdue (core/due.c); Enter opens what an
 * item is about. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/due.h"
#include "form.h"
#include "list.h"
#include "scr.h"

typedef struct {
	tz_list list;
} duescr;

static void due_load(tz_ui *ui, tz_screen *s)
{
	duescr *d = s->st;
	tz_due_list dl = {0};
	tz_err err;
	tz_list_clear(&d->list);
	if (tz_due_collect(ui->db, NULL, &dl, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < dl.n; i++) {
		const tz_due_item *it = &dl.items[i];
		char od[16];
		snprintf(od, sizeof od, "%ld", it->overdue);
		const char *cells[5] = {it->due, od, tz_due_kind_label(it->kind), it->label,
					it->reason};
		tz_list_add(&d->list, it->id, it->table, cells);
	}
	tz_due_free(&dl);
}

static void due_draw(tz_ui *ui, tz_screen *s)
{
	duescr *d = s->st;
	tz_list_draw(ui, &d->list, TZ_UI_BODY_TOP, 1, TZ_UI_BODY_ROWS(ui), ui->cols - 2);
	if (!d->list.n)
		tz_ui_put(ui, TZ_UI_BODY_TOP + 2, 2, ui->cols - 4, S(S_NO_MATCH), TZ_C_WARN, 0);
}

/* Open what a due item is about. */
static int due_key(tz_ui *ui, tz_screen *s, int key)
{
	duescr *d = s->st;
	int lk = tz_list_key(ui, &d->list, key, TZ_UI_BODY_ROWS(ui));
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	const char *id = tz_list_sel_id(&d->list), *table = tz_list_sel_tag(&d->list);
	if (key != TZ_KENTER || !id)
		return 0;
	if (!strcmp(table, "calendar"))
		tz_ui_push(ui, tz_scr_settings_new(ui)); /* a report due upward: calendar.reports */
	else if (!strcmp(table, "aid_case"))
		tz_ui_push(ui, tz_scr_table_new(ui, "aid_action", "aid_case", id, NULL, S_ACTIONS));
	else if (!strcmp(table, "household"))
		tz_ui_push(ui, tz_scr_household_new(ui, id));
	else
		tz_ui_push(ui, tz_form_new(ui, table, NULL, id, NULL, NULL, S_EDIT));
	return 1;
}

static const tz_binding due_keys[] = {
	{TZ_KENTER, S_EDIT},
	{TZ_KESC, S_BACK},
	{0, 0},
};

static const tz_screen due_screen = {
	.name = "due", .title = S_DUE, .draw = due_draw, .key = due_key, .reload = due_load,
	.lists = {TZ_SCREEN_LIST(duescr, list)}, .keys = due_keys,
};

tz_screen *tz_scr_due_new(tz_ui *ui)
{
	tz_screen *s = tz_ui_screen_new(&due_screen, sizeof(duescr));
	if (!s)
		return NULL;
	duescr *d = s->st;
	tz_list_columns(&d->list, 5,
			(const tz_list_col[]){{S_DATE, 10}, {S_OVERDUE, 6}, {S_WHAT, 14},
						{S_WHO, 16}, {S_WHY, 0}});
	due_load(ui, s);
	return s;
}
