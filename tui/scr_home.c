/* scr_home.c - the first screen: the village's figures, what is due, and
 * the keys to everything else. */
#include <stdio.h>

#include "taizhang/bundle.h"
#include "taizhang/due.h"
#include "taizhang/oplog.h"
#include "taizhang/receipt.h"
#include "taizhang/record.h"
#include "taizhang/syncstat.h"
#include "taizhang/clock.h"
#include "list.h"
#include "scr.h"

typedef struct {
	long counts[6];
	uint64_t unexported;
	int held;          /* a receipt from the level above is kept */
	tz_receipt receipt;
	int devices, silent; /* township, county: devices enrolled, and those silent this month
			      * (-1: not counted yet) */
	tz_list due; /* the first items due today */
	long ndue, nsoon; /* due or overdue; coming within the look-ahead */
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
	h->held = tz_receipt_best(ui->db, tz_db_origin(ui->db), &h->receipt);
	h->silent = -1;
	h->due_stale = 1;
}

static int home_idle(tz_ui *ui, tz_screen *s)
{
	home *h = s->st;
	if (!h->due_stale)
		return 0;
	h->due_stale = 0;
	if (tz_db_role(ui->db) != TZ_ROLE_VILLAGE) {
		/* who has sent nothing this month (report sync) */
		char month[11];
		tz_syncstat ss;
		tz_err e;
		tz_clock_today(month);
		month[7] = '\0';
		if (tz_syncstat_collect(ui->db, month, &ss, &e) == TZ_OK) {
			h->devices = ss.n;
			h->silent = ss.silent;
			tz_syncstat_free(&ss);
		}
	}
	tz_list_clear(&h->due);
	h->ndue = 0;
	tz_due_list dl = {0};
	tz_err err;
	/* only the lines shown: a county has 100,000 items due */
	tz_due_opts o = {.limit = HOME_DUE_LINES};
	if (tz_due_collect(ui->db, &o, &dl, &err) == TZ_OK) {
		h->ndue = (long)dl.total_due;
		h->nsoon = (long)(dl.total - dl.total_due);
		for (size_t i = 0; i < dl.n; i++) {
			if (dl.items[i].overdue < 0)
				continue; /* not yet due: these sort last */
			const char *cells[3] = {dl.items[i].due, tz_due_kind_label(dl.items[i].kind),
						dl.items[i].label};
			tz_list_add(&h->due, dl.items[i].id, dl.items[i].table, cells);
		}
		tz_due_free(&dl);
	}
	return 1;
}

static void home_draw(tz_ui *ui, tz_screen *s)
{
	home *h = s->st;
	char line[256];
	int y = TZ_UI_BODY_TOP + 1;
	tz_ui_put(ui, y++, 2, 36, S(S_COUNTS), TZ_C_LABEL, 0);
	tz_ui_fmt(line, sizeof line, S_HH_COUNT, h->counts[0], h->counts[1]);
	tz_ui_put(ui, y++, 4, 34, line, TZ_C_NORMAL, 0);
	for (int i = 2; i < 6; i++) {
		const tz_table *t = tz_schema_table_find(home_tables[i]);
		snprintf(line, sizeof line, "%ld", h->counts[i]);
		tz_ui_put(ui, y, 4, 14, tz_tr(t->en, t->zh), TZ_C_NORMAL, 1);
		tz_ui_put(ui, y++, 18, 12, line, TZ_C_NORMAL, 0);
	}
	y++;
	tz_ui_fmt(line, sizeof line, S_NOT_EXPORTED, (unsigned long long)h->unexported);
	tz_ui_put(ui, y++, 2, 36, line, h->unexported ? TZ_C_WARN : TZ_C_NORMAL, 0);
	if (h->held) {
		char day[16];
		tz_receipt_day(&h->receipt, day);
		tz_ui_fmt(line, sizeof line, S_HELD_SHORT, (unsigned long long)h->receipt.seq, day);
	} else
		snprintf(line, sizeof line, "%s", S(S_HELD_NONE));
	tz_ui_put(ui, y++, 2, 36, line, TZ_C_NORMAL, 0);
	if (tz_db_role(ui->db) != TZ_ROLE_VILLAGE && h->silent >= 0 && h->devices) {
		tz_ui_fmt(line, sizeof line, S_SILENT, h->silent, h->devices);
		tz_ui_put(ui, y++, 2, 36, line, h->silent ? TZ_C_WARN : TZ_C_NORMAL, 0);
	}
	/* the right half: what is due today */
	int x = 40, w = ui->cols - x - 1;
	if (h->due_stale)
		snprintf(line, sizeof line, "%s ...", S(S_DUE));
	else if (h->nsoon)
		tz_ui_fmt(line, sizeof line, S_DUE_SOON, S(S_DUE), h->ndue, h->nsoon);
	else
		snprintf(line, sizeof line, "%s (%ld)", S(S_DUE), h->ndue);
	tz_ui_put(ui, TZ_UI_BODY_TOP + 1, x, w, line, TZ_C_LABEL, 0);
	for (int i = 0; i < h->due.n; i++) {
		snprintf(line, sizeof line, "%s %s %s", tz_list_cell(&h->due, i, 0),
			 tz_list_cell(&h->due, i, 1), tz_list_cell(&h->due, i, 2));
		tz_ui_put(ui, TZ_UI_BODY_TOP + 2 + i, x, w, line, TZ_C_NORMAL, 0);
	}
	tz_ui_put(ui, TZ_UI_BODY_ROWS(ui) - 1, 2, ui->cols - 4, S(S_HOME_MENU), TZ_C_WARN, 0);
}

static int home_key(tz_ui *ui, tz_screen *s, int key)
{
	(void)s;
	if (key == 'h' || key == 'H' || key == TZ_KF(3) || key == '/' || key == TZ_KENTER) {
		tz_ui_push(ui, tz_scr_households_new(ui));
		return 1;
	}
	if (key == TZ_KF(4) || key == 'e' || key == 'E') {
		tz_ui_push(ui, tz_scr_table_new(ui, "employer", NULL, NULL, NULL, S_EMPLOYERS));
		return 1;
	}
	if (key == TZ_KF(5) || key == 'd' || key == 'D') {
		tz_ui_push(ui, tz_scr_due_new(ui));
		return 1;
	}
	if (key == TZ_KF(7) || key == 'r' || key == 'R') {
		tz_ui_push(ui, tz_scr_report_new(ui));
		return 1;
	}
	if (key == TZ_KF(6) || key == 'u' || key == 'U') {
		tz_ui_push(ui, tz_scr_sync_new(ui));
		return 1;
	}
	if (key == TZ_KF(8) || key == 's' || key == 'S') {
		tz_ui_push(ui, tz_scr_table_new(ui, "staff", NULL, NULL, NULL, S_STAFF_LIST));
		return 1;
	}
	if (key == TZ_KF(2) || key == 'c' || key == 'C') {
		tz_ui_push(ui, tz_scr_settings_new(ui));
		return 1;
	}
	if (key == 'p' || key == 'P') {
		tz_ui_push(ui, tz_scr_platform_new(ui));
		return 1;
	}
	if (key == TZ_KF(9)) {
		tz_lang_set(tz_lang_get() == TZ_LANG_ZH || ui->ascii ? TZ_LANG_EN : TZ_LANG_ZH);
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

static const tz_screen home_screen = {
	.name = "home", .title = S_HOME, .draw = home_draw, .key = home_key, .reload = home_load,
	.lists = {TZ_SCREEN_LIST(home, due)}, .idle = home_idle, .keys = home_keys,
};

tz_screen *tz_scr_home_new(tz_ui *ui)
{
	tz_screen *s = tz_ui_screen_new(&home_screen, sizeof(home));
	if (!s)
		return NULL;
	home *h = s->st;
	tz_list_init(&h->due, 3);
	home_load(ui, s);
	return s;
}
