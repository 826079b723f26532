/* scr_login.c - the start screen: pick the staff member, type the PIN.
 * Shown at start when a staff member has a PIN, and pushed over the
 * stack by the idle lock (what is below stays as it was). */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/pin.h"
#include "list.h"
#include "scr.h"

#define LOGIN_TRIES 3
#define LOGIN_WAIT_S 30

typedef struct {
	tz_list list;
	int fails;
	tz_db *db;
} loginscr;

static int add_staff(void *ctx, const tz_row *r)
{
	loginscr *ls = ctx;
	const tz_table *t = r->table;
	int fn = tz_schema_field_find(t, "name"), fr = tz_schema_field_find(t, "role");
	if (fn < 0 || !tz_pin_has(ls->db, r->id))
		return 0;
	const char *role = fr >= 0 ? r->vals[fr] : NULL;
	if (role)
		role = tz_schema_code_label(t->fields[fr].codes, role);
	const char *cells[2] = {r->vals[fn] ? r->vals[fn] : "", role ? role : ""};
	tz_list_add(&ls->list, r->id, "staff", cells);
	return ls->list.n >= 500;
}

static void login_load(tz_ui *ui, tz_screen *s)
{
	loginscr *ls = s->st;
	tz_err err;
	tz_list_clear(&ls->list);
	ls->db = ui->db;
	tz_record_list(ui->db, "staff", NULL, 0, add_staff, ls, &err);
	tz_list_sort(&ls->list, 0, 0);
}

static void login_draw(tz_ui *ui, tz_screen *s)
{
	loginscr *ls = s->st;
	tz_ui_put(ui, TZ_UI_BODY_TOP + 1, 2, ui->cols - 4, S(S_LOGIN_HELP), TZ_C_LABEL, 0);
	tz_list_draw(ui, &ls->list, TZ_UI_BODY_TOP + 3, 2, TZ_UI_BODY_ROWS(ui) - 3, 40);
}

static void login_try(tz_ui *ui, loginscr *ls, const char *id)
{
	char pin[64], q[256], name[64];
	snprintf(name, sizeof name, "%s", tz_list_cell(&ls->list, ls->list.sel, 0));
	tz_ui_fmt(q, sizeof q, S_PIN_ASK, name);
	if (!tz_ui_prompt(ui, q, 1, pin, sizeof pin))
		return;
	tz_err err;
	tz_status st = tz_pin_check(ui->db, id, pin, &err);
	sodium_memzero(pin, sizeof pin);
	if (st == TZ_OK) {
		snprintf(ui->staff, sizeof ui->staff, "%s", name);
		tz_ui_pop(ui); /* back to what was there */
		tz_ui_lock_refresh(ui);
		char msg[256];
		tz_ui_fmt(msg, sizeof msg, S_WELCOME, name);
		tz_ui_message(ui, 0, "%s", msg);
		return;
	}
	if (++ls->fails < LOGIN_TRIES) {
		tz_ui_message(ui, 1, "%s", S(S_PIN_WRONG));
		return;
	}
	/* three wrong: wait (not in the test hook, but the message shows) */
	ls->fails = 0;
	tz_ui_message(ui, 1, "%s", S(S_PIN_WAIT));
	tz_ui_draw(ui);
	if (!ui->script) {
		sleep(LOGIN_WAIT_S);
		flushinp(); /* keys typed while waiting do not count */
	}
}

static int login_key(tz_ui *ui, tz_screen *s, int key)
{
	loginscr *ls = s->st;
	if (key == TZ_KF(10))
		return 0; /* quit stays possible */
	int lk = tz_list_key(ui, &ls->list, key, TZ_UI_BODY_ROWS(ui) - 3);
	if (lk == 2)
		key = TZ_KENTER; /* a click on the chosen row */
	else if (lk)
		return 1;
	if (key == TZ_KENTER) {
		const char *id = tz_list_sel_id(&ls->list);
		if (!id) {
			/* nobody has a PIN any more: nothing to guard */
			tz_ui_pop(ui);
			tz_ui_lock_refresh(ui);
			return 1;
		}
		char sid[40];
		snprintf(sid, sizeof sid, "%s", id);
		login_try(ui, ls, sid);
	}
	return 1; /* nothing else gets past this screen */
}

static const tz_binding login_keys[] = {
	{TZ_KENTER, S_LOGIN},
	{0, 0},
};

static const tz_screen login_screen = {
	.name = "login", .title = S_LOGIN, .draw = login_draw, .key = login_key,
	.reload = login_load, .lists = {TZ_SCREEN_LIST(loginscr, list)}, .keys = login_keys,
};

tz_screen *tz_scr_login_new(tz_ui *ui)
{
	tz_screen *s = tz_ui_screen_new(&login_screen, sizeof(loginscr));
	if (!s)
		return NULL;
	loginscr *ls = s->st;
	tz_list_columns(&ls->list, 2, (const tz_list_col[]){{S_NAME, 20}, {S_ROLE, 0}});
	ui->staff[0] = 0; /* whoever was signed in is no longer */
	login_load(ui, s);
	return s;
}
