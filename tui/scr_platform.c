/* scr_platform.c - the platform-work menu (issue 8): job fairs,
 * complaints, the notice board, staff performance, the checklist and the
 * platform's own records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "list.h"
#include "scr.h"

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
	tz_list_clear(&m->list);
	for (size_t i = 0; i < sizeof menu_items / sizeof menu_items[0]; i++) {
		char num[8];
		snprintf(num, sizeof num, "%zu", i + 1);
		const char *cells[2] = {num, S(menu_items[i].label)};
		tz_list_add(&m->list, menu_items[i].what, "menu", cells);
	}
	m->list.sel = sel;
}

static void menu_draw(tz_ui *ui, tz_screen *s)
{
	menuscr *m = s->st;
	menu_load(ui, s); /* labels follow the language */
	tz_list_draw(ui, &m->list, TZ_UI_BODY_TOP, 1, TZ_UI_BODY_ROWS(ui) - 2, ui->cols - 2);
	tz_ui_put(ui, TZ_UI_BODY_ROWS(ui) - 1, 2, ui->cols - 4, S(S_PF_HINT), TZ_C_WARN, 0);
}

static int menu_key(tz_ui *ui, tz_screen *s, int key)
{
	menuscr *m = s->st;
	int lk = tz_list_key(ui, &m->list, key, TZ_UI_BODY_ROWS(ui) - 2);
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	if (key >= '1' && key <= '9' && key - '1' < m->list.n) {
		m->list.sel = key - '1';
		key = TZ_KENTER;
	}
	const char *w = tz_list_sel_id(&m->list);
	if (key != TZ_KENTER || !w)
		return 0;
	tz_screen *n = NULL;
	if (!strcmp(w, "notice"))
		n = tz_scr_page_new(ui, TZ_PAGE_NOTICE, NULL);
	else if (!strcmp(w, "perf"))
		n = tz_scr_page_new(ui, TZ_PAGE_PERF, NULL);
	else if (!strcmp(w, "checklist"))
		n = tz_scr_page_new(ui, TZ_PAGE_CHECKLIST, NULL);
	else {
		static const struct {
			const char *table;
			int title;
		} t[] = {{"event", S_EVENTS},       {"complaint", S_COMPLAINTS}, {"platform", S_PLATFORMS},
			 {"staff_cert", S_CERTS},   {"training", S_TRAINING},    {"staff_filing", S_FILING}};
		for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
			if (!strcmp(t[i].table, w))
				n = tz_scr_table_new(ui, w, NULL, NULL, NULL, t[i].title);
	}
	if (n)
		tz_ui_push(ui, n);
	return 1;
}

static const tz_binding menu_keys[] = {{TZ_KENTER, S_CHOOSE}, {TZ_KESC, S_BACK}, {0, 0}};

static const tz_screen platform_screen = {
	.name = "platform", .title = S_PLATFORM, .draw = menu_draw, .key = menu_key,
	.lists = {TZ_SCREEN_LIST(menuscr, list)}, .keys = menu_keys,
};

tz_screen *tz_scr_platform_new(tz_ui *ui)
{
	tz_screen *s = tz_ui_screen_new(&platform_screen, sizeof(menuscr));
	if (!s)
		return NULL;
	menuscr *m = s->st;
	tz_list_init(&m->list, 2);
	m->list.head[0] = "#";
	m->list.head[1] = "";
	m->list.width[0] = 3;
	menu_load(ui, s);
	return s;
}
