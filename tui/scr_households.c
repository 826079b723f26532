/* scr_households.c - the household finder: search as you type (name,
 * pinyin initials, ID number, phone), F5 a new household. */
#include <stdlib.h>
#include <string.h>

#include "taizhang/record.h"
#include "taizhang/search.h"
#include "form.h"
#include "list.h"
#include "scr.h"

typedef struct {
	tz_edit query;
	tz_list list;
} finder;

static int add_hit(void *ctx, const tz_search_hit *h)
{
	tz_list *l = ctx;
	const char *cells[5] = {h->name, h->id_number, h->phone, h->address, h->village};
	tz_list_add(l, !strcmp(h->table, "person") ? h->household : h->id, h->table, cells);
	return 0;
}

static int add_household(void *ctx, const tz_row *r)
{
	tz_list *l = ctx;
	/* village, address, phone, note, head_name */
	const char *cells[5] = {r->vals[4], "", r->vals[2], r->vals[1], r->vals[0]};
	tz_list_add(l, r->id, "household", cells);
	return l->n >= 500;
}

static void finder_load(tz_ui *ui, tz_screen *s)
{
	finder *f = s->st;
	char q[256];
	tz_err err;
	tz_edit_get(&f->query, q, sizeof q);
	tz_list_clear(&f->list);
	if (q[0])
		tz_search(ui->db, q, 200, add_hit, &f->list, &err);
	else
		tz_record_list(ui->db, "household", NULL, 0, add_household, &f->list, &err);
}

static void finder_draw(tz_ui *ui, tz_screen *s)
{
	finder *f = s->st;
	int y = TZ_UI_BODY_TOP;
	int lw = tz_ui_put(ui, y, 1, ui->cols - 2, S(S_TYPE_TO_SEARCH), TZ_C_LABEL, 0);
	int x = 1 + lw, w = ui->cols - x - 1;
	int col = tz_ui_put_edit(ui, y, x, w, &f->query, TZ_C_FOCUS);
	tz_list_draw(ui, &f->list, y + 1, 1, TZ_UI_BODY_ROWS(ui) - 1, ui->cols - 2);
	if (!f->list.n && f->query.len)
		tz_ui_put(ui, y + 2, 2, ui->cols - 4, S(S_NO_MATCH), TZ_C_WARN, 0);
	ui->cur_y = y;
	ui->cur_x = x + col;
}

static void open_household(tz_ui *ui, const char *id)
{
	if (id[0])
		tz_ui_push(ui, tz_scr_household_new(ui, id));
}

static int finder_key(tz_ui *ui, tz_screen *s, int key)
{
	finder *f = s->st;
	int lk = tz_list_key(ui, &f->list, key, TZ_UI_BODY_ROWS(ui) - 1);
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	if (key == TZ_KENTER) {
		const char *id = tz_list_sel_id(&f->list);
		if (id && *id)
			tz_ui_push(ui, tz_scr_household_new(ui, id));
		return 1;
	}
	if (key == TZ_KF(5)) {
		char *region = tz_db_region(ui->db);
		static const char *const fields[] = {"village", "address", "head_name", "phone",
						     "flags", "note", NULL};
		tz_screen *fs = tz_form_new(ui, "household", fields, NULL, NULL, NULL,
					    S_NEW_HOUSEHOLD);
		if (fs && region)
			tz_form_set(fs, "village", region);
		tz_form_then(fs, open_household); /* a new household opens once saved */
		free(region);
		tz_ui_push(ui, fs);
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

static const tz_binding finder_keys[] = {
	{TZ_KENTER, S_HOUSEHOLD},
	{TZ_KF(5), S_NEW},
	{TZ_KESC, S_BACK},
	{0, 0},
};

static const tz_screen households_screen = {
	.name = "households", .title = S_HOUSEHOLDS, .draw = finder_draw, .key = finder_key,
	.reload = finder_load, .lists = {TZ_SCREEN_LIST(finder, list)}, .keys = finder_keys,
};

tz_screen *tz_scr_households_new(tz_ui *ui)
{
	tz_screen *s = tz_ui_screen_new(&households_screen, sizeof(finder));
	if (!s)
		return NULL;
	finder *f = s->st;
	tz_edit_init(&f->query, 60);
	tz_list_columns(&f->list, 5,
			(const tz_list_col[]){{S_NAME, 10}, {S_IDNUM, 18}, {S_PHONE, 13},
						{S_ADDRESS, 20}, {S_VILLAGE, 12}});
	finder_load(ui, s);
	return s;
}
