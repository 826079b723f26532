/* scr_settings.c - the settings screen: the interface language, every
 * known setting (core/settings.c checks the values) and the passphrase
 * of this PC's key.  Staff PINs are set from the staff list (F3). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/key.h"
#include "taizhang/settings.h"
#include "list.h"
#include "scr.h"

typedef struct {
	tz_list list;
} setscr;

#define ROW_LANG "lang"
#define ROW_PASS "pass"

static void set_load(tz_ui *ui, tz_screen *s)
{
	setscr *ss = s->st;
	int sel = ss->list.sel;
	tz_list_clear(&ss->list);
	ss->list.head[0] = S(S_SETTING);
	ss->list.head[1] = S(S_VALUE);
	ss->list.head[2] = S(S_MEANING);
	const char *lang[3] = {"ui.lang", tz_lang_get() == TZ_LANG_ZH ? "zh" : "en", S(S_LANG_ROW)};
	tz_list_add(&ss->list, ROW_LANG, "lang", lang);
	for (int i = 0; i < tz_settings_ndefs; i++) {
		const tz_setting_def *d = &tz_settings_defs[i];
		if (!strcmp(d->key, "ui.lang"))
			continue; /* the row above */
		int dflt = 1;
		char *v = tz_settings_str(ui->db, d->key, &dflt), val[256];
		if (dflt)
			tz_ui_fmt(val, sizeof val, S_DEFAULT_MARK, v ? v : "");
		else
			snprintf(val, sizeof val, "%s", v ? v : "");
		free(v);
		const char *cells[3] = {d->key, val, tz_tr(d->en, d->zh)};
		tz_list_add(&ss->list, d->key, "setting", cells);
	}
	const char *pass[3] = {"passphrase", "", S(S_PASS_ROW)};
	tz_list_add(&ss->list, ROW_PASS, "pass", pass);
	ss->list.sel = sel < ss->list.n ? sel : 0;
}

static void set_draw(tz_ui *ui, tz_screen *s)
{
	setscr *ss = s->st;
	tz_list_draw(ui, &ss->list, TZ_UI_BODY_TOP, 1, TZ_UI_BODY_ROWS(ui), ui->cols - 2);
}

static void change_passphrase(tz_ui *ui)
{
	char old[1024], a[1024], b[1024];
	old[0] = a[0] = b[0] = 0;
	if (tz_ui_prompt(ui, S(S_OLD_PASS), 1, old, sizeof old) &&
	    tz_ui_prompt(ui, S(S_NEW_PASS), 1, a, sizeof a) &&
	    tz_ui_prompt(ui, S(S_NEW_PASS2), 1, b, sizeof b)) {
		tz_err err;
		if (strcmp(a, b))
			tz_ui_message(ui, 1, "%s", S(S_PASS_MISMATCH));
		else if (tz_key_rekey(ui->db, old, a, &err))
			tz_ui_message(ui, 1, "%s", err.msg);
		else
			tz_ui_message(ui, 0, "%s", S(S_PASS_CHANGED));
	}
	sodium_memzero(old, sizeof old);
	sodium_memzero(a, sizeof a);
	sodium_memzero(b, sizeof b);
}

static int set_key(tz_ui *ui, tz_screen *s, int key)
{
	setscr *ss = s->st;
	int lk = tz_list_key(ui, &ss->list, key, TZ_UI_BODY_ROWS(ui));
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	const char *id = tz_list_sel_id(&ss->list);
	if (key != TZ_KENTER || !id)
		return 0;
	tz_err err;
	if (!strcmp(id, ROW_LANG)) {
		int zh = tz_lang_get() != TZ_LANG_ZH && !ui->ascii;
		if (tz_settings_set(ui->db, "ui.lang", zh ? "zh" : "en", &err)) {
			tz_ui_message(ui, 1, "%s", err.msg);
			return 1;
		}
		tz_lang_set(zh ? TZ_LANG_ZH : TZ_LANG_EN);
		set_load(ui, s);
		tz_ui_refresh_below(ui);
		tz_ui_message(ui, 0, "%s", S(S_SAVED));
		return 1;
	}
	if (!strcmp(id, ROW_PASS)) {
		change_passphrase(ui);
		return 1;
	}
	char key_name[64], q[256], val[256];
	snprintf(key_name, sizeof key_name, "%s", id);
	tz_ui_fmt(q, sizeof q, S_NEW_VALUE, key_name);
	if (!tz_ui_prompt(ui, q, 0, val, sizeof val))
		return 1;
	if (tz_settings_set(ui->db, key_name, val, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return 1;
	}
	set_load(ui, s);
	tz_ui_lock_refresh(ui);
	tz_ui_refresh_below(ui);
	tz_ui_message(ui, 0, "%s", S(S_SAVED));
	return 1;
}

static const tz_binding set_keys[] = {
	{TZ_KENTER, S_EDIT},
	{TZ_KESC, S_BACK},
	{0, 0},
};

static const tz_screen settings_screen = {
	.name = "settings", .title = S_SETTINGS, .draw = set_draw, .key = set_key,
	.reload = set_load, .lists = {TZ_SCREEN_LIST(setscr, list)}, .keys = set_keys,
};

tz_screen *tz_scr_settings_new(tz_ui *ui)
{
	tz_screen *s = tz_ui_screen_new(&settings_screen, sizeof(setscr));
	if (!s)
		return NULL;
	setscr *ss = s->st;
	tz_list_init(&ss->list, 3);
	ss->list.width[0] = 30; /* report.labour_exclude_ability */
	ss->list.width[1] = 18;
	set_load(ui, s);
	return s;
}
