/* scr_keyring.c - the keyring of enrolled devices (township and county):
 * F5 enrols a public key file once its fingerprint is checked by phone. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/keyring.h"
#include "taizhang/key.h"
#include "taizhang/validate.h"
#include "list.h"
#include "scr.h"

typedef struct {
	tz_list list;
} keyscr;

static int add_key(void *ctx, const tz_keyent *k)
{
	tz_list *l = ctx;
	char fp[40], kid[17];
	tz_key_fingerprint(k->pk, fp);
	tz_pubkey_id_hex(k->key_id, kid);
	const char *cells[5] = {fp, tz_db_role_name(k->role), k->region, k->name,
				k->revoked_after >= 0 ? S(S_REVOKED) : ""};
	tz_list_add(l, kid, "key", cells);
	return 0;
}

static void keys_load(tz_ui *ui, tz_screen *s)
{
	keyscr *ks = s->st;
	tz_err err;
	int sel = ks->list.sel;
	tz_list_clear(&ks->list);
	if (tz_keyring_list(ui->db, add_key, &ks->list, &err))
		tz_ui_message(ui, 1, "%s", err.msg);
	ks->list.sel = sel < ks->list.n ? sel : 0;
}

static void keys_draw(tz_ui *ui, tz_screen *s)
{
	keyscr *ks = s->st;
	tz_list_draw(ui, &ks->list, TZ_UI_BODY_TOP, 1, TZ_UI_BODY_ROWS(ui), ui->cols - 2);
	if (!ks->list.n)
		tz_ui_put(ui, TZ_UI_BODY_TOP + 2, 2, ui->cols - 4, S(S_KEYRING_EMPTY),
			  TZ_C_WARN, 0);
}

/* F5: a public key file by path, its role and region, and the
 * fingerprint read to its owner by phone before it is trusted. */
static void keys_enrol(tz_ui *ui, tz_screen *s)
{
	char path[4096], q[256], role[32], region[32];
	tz_keyent k;
	tz_err err;
	if (!tz_ui_prompt(ui, S(S_KEYFILE), 0, path, sizeof path) || !path[0])
		return;
	if (tz_pubkey_read(path, &k, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	/* the file's comment gives hints; an empty answer takes them */
	tz_ui_fmt(q, sizeof q, S_ROLE_ASK, tz_db_role_name(k.role));
	if (!tz_ui_prompt(ui, q, 0, role, sizeof role))
		return;
	int ro = role[0] ? tz_db_role_parse(role) : (int)k.role;
	if (ro < 0) {
		tz_ui_message(ui, 1, "%s", S(S_BAD_ROLE));
		return;
	}
	tz_ui_fmt(q, sizeof q, S_REGION_ASK, k.region);
	if (!tz_ui_prompt(ui, q, 0, region, sizeof region))
		return;
	char reg[13];
	if (tz_valid_region(region[0] ? region : k.region, reg, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	k.role = (tz_role)ro;
	memcpy(k.region, reg, sizeof reg);
	char fp[40];
	tz_key_fingerprint(k.pk, fp);
	tz_ui_fmt(q, sizeof q, S_FP_CHECK, fp);
	if (!tz_ui_confirm(ui, q))
		return;
	/* who changes whom this PC trusts proves they are its operator; the
	 * entry is signed with this PC's key */
	uint8_t *sk = sodium_malloc(TZ_SK_BYTES);
	tz_status st = !sk ? tz_nomem(&err) : tz_ui_key(ui, 0, sk, &err);
	if (!st)
		st = tz_keyring_add(ui->db, &k, sk, &err);
	if (sk)
		sodium_free(sk);
	if (st) {
		if (st != TZ_EUSAGE)
			tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	keys_load(ui, s);
	tz_ui_fmt(q, sizeof q, S_ENROLLED, fp);
	tz_ui_message(ui, 0, "%s", q);
}

static int keys_key(tz_ui *ui, tz_screen *s, int key)
{
	keyscr *ks = s->st;
	if (tz_list_key(ui, &ks->list, key, TZ_UI_BODY_ROWS(ui)))
		return 1;
	if (key == TZ_KF(5)) {
		keys_enrol(ui, s);
		return 1;
	}
	return 0;
}

static const tz_binding keyring_keys[] = {
	{TZ_KF(5), S_K_ENROL},
	{TZ_KESC, S_BACK},
	{0, 0},
};

static const tz_screen keyring_screen = {
	.name = "keyring", .title = S_KEYRING, .draw = keys_draw, .key = keys_key,
	.reload = keys_load, .lists = {TZ_SCREEN_LIST(keyscr, list)}, .keys = keyring_keys,
};

tz_screen *tz_scr_keyring_new(tz_ui *ui)
{
	tz_screen *s = tz_ui_screen_new(&keyring_screen, sizeof(keyscr));
	if (!s)
		return NULL;
	keyscr *ks = s->st;
	tz_list_columns(&ks->list, 5,
			(const tz_list_col[]){{S_FPR, 40}, {S_KROLE, 9}, {S_REGION, 13},
						{S_NAME, 8}, {S_STATUS, 0}});
	keys_load(ui, s);
	return s;
}
