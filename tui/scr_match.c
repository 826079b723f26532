/* scr_match.c - the candidates for a vacancy (core/match.c): F5 records a
 * referral, F6 lists the vacancy's referrals. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/clock.h"
#include "taizhang/match.h"
#include "taizhang/record.h"
#include "form.h"
#include "list.h"
#include "scr.h"

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
	tz_list_clear(&m->list);
	if (tz_match_vacancy(ui->db, m->vacancy, &o, &ml, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	for (size_t i = 0; i < ml.n; i++) {
		char sc[16];
		snprintf(sc, sizeof sc, "%d", ml.items[i].score);
		const char *cells[4] = {sc, ml.items[i].name, ml.items[i].flags, ml.items[i].reasons};
		tz_list_add(&m->list, ml.items[i].id, "person", cells);
	}
	if (ml.nwarnings)
		tz_ui_message(ui, 0, "%s", ml.warnings[0]);
	tz_match_free(&ml);
}

static void match_draw(tz_ui *ui, tz_screen *s)
{
	matchscr *m = s->st;
	tz_list_draw(ui, &m->list, TZ_UI_BODY_TOP, 1, TZ_UI_BODY_ROWS(ui), ui->cols - 2);
	if (!m->list.n)
		tz_ui_put(ui, TZ_UI_BODY_TOP + 2, 2, ui->cols - 4, S(S_NO_MATCH), TZ_C_WARN, 0);
}

static int match_key(tz_ui *ui, tz_screen *s, int key)
{
	matchscr *m = s->st;
	int lk = tz_list_key(ui, &m->list, key, TZ_UI_BODY_ROWS(ui));
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	const char *id = tz_list_sel_id(&m->list);
	if (key == TZ_KENTER && id) {
		tz_ui_push(ui, tz_form_new(ui, "person", NULL, id, NULL, NULL, S_EDIT_PERSON));
		return 1;
	}
	if (key == TZ_KF(6)) {
		static const char *const cols[] = {"date", "person", "status", "outcome_date",
						   "staff", NULL};
		tz_ui_push(ui, tz_scr_table_new(ui, "referral", "vacancy", m->vacancy, cols,
						S_REFERRALS));
		return 1;
	}
	if (key == TZ_KF(5) && id) {
		char d[11], rid[33];
		tz_clock_today(d);
		tz_kv kv[] = {{"vacancy", m->vacancy}, {"person", id}, {"date", d},
			      {"status", "referred"}, {"staff", ui->staff}};
		tz_err err;
		if (tz_record_add(ui->db, "referral", kv, ui->staff[0] ? 5 : 4, rid, &err))
			tz_ui_message(ui, 1, "%s", err.msg);
		else
			tz_ui_message(ui, 0, "%s", S(S_REFERRED));
		char msg[sizeof ui->msg];
		memcpy(msg, ui->msg, sizeof msg);
		match_load(ui, s);
		memcpy(ui->msg, msg, sizeof msg);
		return 1;
	}
	return 0;
}

static const tz_binding match_keys[] = {
	{TZ_KENTER, S_PERSON},
	{TZ_KF(5), S_K_REFER},
	{TZ_KF(6), S_K_REFERRALS},
	{TZ_KESC, S_BACK},
	{0, 0},
};

static const tz_screen match_screen = {
	.name = "match", .title = S_MATCH, .draw = match_draw, .key = match_key,
	.reload = match_load, .lists = {TZ_SCREEN_LIST(matchscr, list)}, .keys = match_keys,
};

tz_screen *tz_scr_match_new(tz_ui *ui, const char *vacancy)
{
	tz_screen *s = tz_ui_screen_new(&match_screen, sizeof(matchscr));
	if (!s)
		return NULL;
	matchscr *m = s->st;
	snprintf(m->vacancy, sizeof m->vacancy, "%s", vacancy);
	tz_list_columns(&m->list, 4,
			(const tz_list_col[]){{S_SCORE, 5}, {S_NAME, 10}, {S_FLAGS, 10},
						{S_REASONS, 0}});
	match_load(ui, s);
	return s;
}
