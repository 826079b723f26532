/* scr_sync.c - the USB stick: export this PC's changes, import bundles
 * from the township, this PC's key fingerprint; over the network, push to
 * and pull from the township's server (F8, F9; docs/network.md); F7 opens
 * the keyring of enrolled devices (scr_keyring.c). */
#include <dirent.h>
#include <limits.h>
#include <wchar.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "taizhang/bundle.h"
#include "taizhang/keyring.h"
#include "taizhang/key.h"
#include "taizhang/net.h"
#include "taizhang/oplog.h"
#include "taizhang/receipt.h"
#include "taizhang/settings.h"
#include "list.h"
#include "text.h"
#include "scr.h"

typedef struct {
	tz_list dirs;    /* candidate folders */
	tz_list results; /* what the last export or import did */
	int focus;       /* 0 dirs, 1 results */
	int detail;      /* Enter on a result: its whole text, wrapped, until the next key */
} syncscr;

/* s wrapped into lines of at most w columns from row y, at most h rows */
static void put_wrapped(tz_ui *ui, int y, int x, int w, int h, const char *s)
{
	wchar_t all[2048], line[512];
	int n = tz_text_decode(s, all, (int)(sizeof all / sizeof *all), ui->ascii), i = 0;
	for (int row = 0; row < h && i < n; row++) {
		int cols = 0, k = 0;
		while (i < n && k < (int)(sizeof line / sizeof *line) - 1) {
			int c = tz_text_wc_cols(all[i]);
			if (cols + c > w)
				break;
			line[k++] = all[i++];
			cols += c;
		}
		line[k] = 0;
		char out[2048];
		size_t o = 0;
		mbstate_t ms = {0};
		for (int j = 0; j < k && o + MB_LEN_MAX < sizeof out; j++) {
			size_t m = wcrtomb(out + o, line[j], &ms);
			if (m != (size_t)-1)
				o += m;
		}
		out[o] = '\0';
		tz_ui_put(ui, y + row, x, w, out, TZ_C_NORMAL, 1);
	}
}

static int is_dir(const char *p)
{
	struct stat sb;
	return stat(p, &sb) == 0 && S_ISDIR(sb.st_mode);
}

/* Mounted removable media appear under /media/USER/LABEL (udisks) or
 * /media/LABEL, and /run/media/USER/LABEL. */
/* 1 if another file system is mounted at path (below parent) */
static int mounted(const char *path, const char *parent)
{
	struct stat a, b;
	return !stat(path, &a) && !stat(parent, &b) && a.st_dev != b.st_dev;
}

static void scan_media(tz_list *l, const char *root, int depth)
{
	DIR *d = opendir(root);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[4096];
		snprintf(p, sizeof p, "%s/%s", root, e->d_name);
		if (!is_dir(p))
			continue;
		if (depth > 1)
			scan_media(l, p, depth - 1);
		const char *cells[1] = {p};
		/* /media/USER is not a stick, /media/USER/LABEL is; /media/usb0
		 * (usbmount, older desktops) is one when something is mounted there */
		if (depth == 1 || strcmp(root, "/media") || mounted(p, root))
			tz_list_add(l, p, "dir", cells);
	}
	closedir(d);
}

static void sync_load(tz_ui *ui, tz_screen *s)
{
	syncscr *ss = s->st;
	tz_list_clear(&ss->dirs);
	char *last = tz_settings_str(ui->db, "sync.last_dir", NULL);
	if (last && is_dir(last)) {
		const char *cells[1] = {last};
		tz_list_add(&ss->dirs, last, "dir", cells);
	}
	free(last);
	scan_media(&ss->dirs, "/media", 2);
	scan_media(&ss->dirs, "/run/media", 2);
	scan_media(&ss->dirs, "/mnt", 1);
}

static void sync_draw(tz_ui *ui, tz_screen *s)
{
	syncscr *ss = s->st;
	char line[512], fp[40] = "";
	uint8_t pk[32], kid[8];
	tz_err err;
	int y = TZ_UI_BODY_TOP;
	if (tz_key_public(ui->db, pk, kid, &err) == TZ_OK)
		tz_key_fingerprint(pk, fp);
	tz_ui_fmt(line, sizeof line, S_FINGERPRINT, fp);
	tz_ui_put(ui, y++, 1, ui->cols - 2, line, TZ_C_NORMAL, 0);
	uint64_t made = tz_oplog_high_water(ui->db, tz_db_origin(ui->db)),
		 done = tz_bundle_exported(ui->db);
	tz_ui_fmt(line, sizeof line, S_NOT_EXPORTED, (unsigned long long)(made - done));
	tz_ui_put(ui, y++, 1, ui->cols - 2, line, made > done ? TZ_C_WARN : TZ_C_NORMAL, 0);
	/* what the level above signed that it holds */
	tz_receipt r;
	if (tz_receipt_best(ui->db, tz_db_origin(ui->db), &r)) {
		tz_keyent k;
		char day[16];
		tz_receipt_day(&r, day);
		tz_ui_fmt(line, sizeof line, S_HELD,
			  tz_keyring_find(ui->db, r.key_id, &k, &err) == TZ_OK ? k.name : "?",
			  (unsigned long long)r.seq, day);
	} else
		snprintf(line, sizeof line, "%s", S(S_HELD_NOTHING));
	tz_ui_put(ui, y++, 1, ui->cols - 2, line, TZ_C_NORMAL, 0);
	char *url = tz_settings_str(ui->db, "net.url", NULL);
	tz_ui_fmt(line, sizeof line, S_SERVER, url && *url ? url : S(S_NO_SERVER));
	free(url);
	tz_ui_put(ui, y++, 1, ui->cols - 2, line, TZ_C_NORMAL, 0);
	tz_ui_put(ui, y++, 1, ui->cols - 2, S(S_MEDIA),
		  ss->focus == 0 ? TZ_C_FOCUS : TZ_C_LABEL, 1);
	int dh = 5;
	tz_list_draw(ui, &ss->dirs, y, 1, dh, ui->cols - 2);
	y += dh;
	int rh = TZ_UI_BODY_ROWS(ui) - (y - TZ_UI_BODY_TOP);
	tz_list_draw(ui, &ss->results, y, 1, rh, ui->cols - 2);
	if (ss->detail && ss->results.n) {
		/* the selected result in full: a refusal's reason is long */
		for (int row = 0; row < rh; row++)
			tz_ui_put(ui, y + row, 1, ui->cols - 2, "", TZ_C_NORMAL, 1);
		char both[2048];
		snprintf(both, sizeof both, "%s: %s", tz_list_cell(&ss->results, ss->results.sel, 0),
			 tz_list_cell(&ss->results, ss->results.sel, 1));
		put_wrapped(ui, y, 1, ui->cols - 2, rh, both);
	}
}

static const char *chosen(syncscr *ss)
{
	return tz_list_sel_id(&ss->dirs);
}

/* "name  (encrypted to 城关镇, 县)": who else can read the bundle, by the
 * names (or key ids) the keyring gives its recipients; this device, always
 * one of them, is left out. */
static void describe(tz_db *db, const char *name, const tz_bundle_info *h, char *out, size_t n)
{
	if (h->version != TZ_BUNDLE_VERSION) {
		tz_ui_fmt(out, n, S_PLAIN, name);
		return;
	}
	char who[400] = "";
	size_t len = 0;
	tz_keyring kr = {0};
	tz_err err;
	tz_keyring_from_db(db, &kr, &err);
	for (int i = 0; i < h->nrecipients && i < TZ_BUNDLE_SHOW_RECIPIENTS; i++) {
		const char *nm = "?";
		char kid[17];
		int self = 0;
		for (size_t j = 0; j < kr.n; j++) {
			uint8_t id[32];
			if (!kr.v[j].has_enc)
				continue;
			tz_bundle_recipient_id(kr.v[j].epk, id);
			if (memcmp(id, h->recipient[i], 32))
				continue;
			tz_pubkey_id_hex(kr.v[j].key_id, kid);
			nm = kr.v[j].name[0] ? kr.v[j].name : kid;
			self = !memcmp(kr.v[j].origin, tz_db_origin(db), 16);
			break;
		}
		if (self)
			continue;
		len += (size_t)snprintf(who + len, sizeof who - len, "%s%s", len ? ", " : "", nm);
		if (len >= sizeof who)
			break;
	}
	if (h->nrecipients > TZ_BUNDLE_SHOW_RECIPIENTS && len < sizeof who)
		snprintf(who + len, sizeof who - len, ", +%d", h->nrecipients - TZ_BUNDLE_SHOW_RECIPIENTS);
	tz_keyring_free(&kr);
	tz_ui_fmt(out, n, S_ENC_TO, name, who);
}

typedef struct {
	tz_list *l;
	tz_db *db;
} exported;

static int result_line(void *ctx, const char *path)
{
	exported *e = ctx;
	tz_bundle_info h;
	tz_err err;
	char text[1024];
	const char *base = strrchr(path, '/');
	if (tz_bundle_peek(path, &h, &err) == TZ_OK)
		describe(e->db, base ? base + 1 : path, &h, text, sizeof text);
	else
		snprintf(text, sizeof text, "%s", path);
	const char *cells[2] = {S(S_K_EXPORT), text};
	tz_list_add(e->l, path, "export", cells);
	return 0;
}

static void do_export(tz_ui *ui, syncscr *ss, const char *dir)
{
	uint8_t *sk = sodium_malloc(TZ_SK_BYTES);
	tz_err err = {0};
	int n = 0;
	exported ex = {&ss->results, ui->db};
	tz_list_clear(&ss->results);
	if (!sk) {
		tz_ui_message(ui, 1, "%s", S(S_NO_MEMORY));
		return;
	}
	char outbox[4096], spool[4096];
	int nr = 0, nf = 0;
	tz_net_dirs(ui->db_path, outbox, spool);
	tz_status kst = tz_ui_key(ui, 0, sk, &err);
	if (kst == TZ_EUSAGE) {
		sodium_free(sk);
		return; /* backed out */
	}
	if (kst || tz_bundle_export_stick(ui->db, sk, dir, 0, outbox, 0, result_line, &ex, &n, &nf,
					  &nr, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
	} else {
		char msg[512];
		if (nr)
			tz_ui_fmt(msg, sizeof msg, S_RECEIPTS_WRITTEN, n, nr, dir);
		else if (n)
			tz_ui_fmt(msg, sizeof msg, S_EXPORTED, n, dir);
		else
			snprintf(msg, sizeof msg, "%s", S(S_NOTHING_NEW));
		tz_ui_message(ui, 0, "%s", msg);
		tz_settings_set(ui->db, "sync.last_dir", dir, &err);
	}
	sodium_free(sk);
}

typedef struct {
	tz_ui *ui;
	syncscr *ss;
} importing;

/* encrypted bundles: this device's encryption key, once */
static tz_status import_unlock(void *ctx, uint8_t *esk, tz_err *err)
{
	importing *im = ctx;
	/* asked once while the program runs: five sticks, one passphrase */
	return tz_ui_key(im->ui, 1, esk, err);
}

static void import_line(void *ctx, const tz_import_file *f)
{
	importing *im = ctx;
	const tz_import_result *res = &f->res;
	const char *what = res->outcome == TZ_IMPORT_APPLIED   ? S(S_R_APPLIED)
			   : res->outcome == TZ_IMPORT_PRESENT ? S(S_R_PRESENT)
							       : S(S_R_REFUSED);
	const char *base = strrchr(f->path, '/');
	char text[1024];
	if (f->receipt && res->outcome != TZ_IMPORT_REFUSED) {
		tz_keyent k;
		tz_err e;
		tz_ui_fmt(text, sizeof text, S_R_RECEIPT_TEXT,
			  tz_keyring_find(im->ui->db, f->rc.key_id, &k, &e) == TZ_OK ? k.name : "?",
			  (unsigned long long)f->rc.seq);
		const char *cells[2] = {S(S_R_RECEIPT), text};
		tz_list_add(&im->ss->results, f->path, "import", cells);
		return;
	}
	if (res->outcome == TZ_IMPORT_APPLIED) {
		/* which device it came from (the keyring's name), what it brought,
		 * what was held back and why -- what the CLI's line says */
		tz_keyent k;
		tz_err e;
		char kid[17];
		tz_pubkey_id_hex(res->info.key_id, kid);
		const char *from =
			tz_keyring_find(im->ui->db, res->info.key_id, &k, &e) == TZ_OK && k.name[0] ? k.name
												   : kid;
		size_t l = 0;
		char part[200];
		tz_ui_fmt(text, sizeof text, S_R_FROM, from, res->applied,
			  (unsigned long long)res->info.first_seq, (unsigned long long)res->info.last_seq);
		l = strlen(text);
		if (res->gap) {
			snprintf(text + l, sizeof text - l, "%s", S(S_R_GAP));
			l = strlen(text);
		}
		if (res->quarantined) {
			tz_ui_fmt(part, sizeof part, S_R_CLOCK, res->quarantined);
			snprintf(text + l, sizeof text - l, "%s", part);
			l = strlen(text);
		}
		if (res->waiting) {
			tz_ui_fmt(part, sizeof part, S_R_WAITING, res->waiting);
			snprintf(text + l, sizeof text - l, "%s", part);
			l = strlen(text);
		}
		if (res->reviews) {
			tz_ui_fmt(part, sizeof part, S_R_REVIEWS, res->reviews);
			snprintf(text + l, sizeof text - l, "%s", part);
		}
	} else if (res->outcome != TZ_IMPORT_REFUSED)
		describe(im->ui->db, base ? base + 1 : f->path, &res->info, text, sizeof text);
	if (res->outcome == TZ_IMPORT_APPLIED && res->unauthorized) {
		/* said first: the line is cut at the screen's edge */
		char held[1200];
		tz_ui_fmt(held, sizeof held, S_R_HELD, res->unauthorized, text);
		snprintf(text, sizeof text, "%.1000s", held);
	}
	const char *cells[2] = {what, res->outcome == TZ_IMPORT_REFUSED ? res->reason : text};
	tz_list_add(&im->ss->results, f->path, "import", cells);
}

static void do_import(tz_ui *ui, syncscr *ss, const char *dir)
{
	importing im = {ui, ss};
	char outbox[4096], spool[4096];
	tz_net_dirs(ui->db_path, outbox, spool);
	tz_import_opts o = {
		.unlock = import_unlock, .file = import_line, .ctx = &im, .outbox = outbox};
	tz_import_report rep;
	tz_err err = {0};
	char *paths[1] = {(char *)dir};
	tz_list_clear(&ss->results);
	tz_status st = tz_bundle_import_files(ui->db, paths, 1, &o, &rep, &err);
	int refused = rep.refused + rep.unreadable;
	if (!st && rep.unlisted) {
		tz_ui_message(ui, 1, "%s", dir);
		tz_bundle_import_report_free(&rep);
		return;
	}
	if (st) {
		if (err.msg[0])
			tz_ui_message(ui, 1, "%s", err.msg);
	} else if (!rep.found) {
		char msg[4300];
		tz_ui_fmt(msg, sizeof msg, S_NO_BUNDLES, dir);
		tz_ui_message(ui, 1, "%s", msg);
	} else {
		char msg[256];
		tz_ui_fmt(msg, sizeof msg, S_IMPORTED, rep.applied, rep.present, refused);
		tz_ui_message(ui, refused > 0, "%s", msg);
		tz_settings_set(ui->db, "sync.last_dir", dir, &err);
	}
	tz_bundle_import_report_free(&rep);
	tz_ui_refresh_below(ui);
}

static void net_line(void *ctx, const char *what, const char *name, const char *detail)
{
	tz_list *l = ctx;
	const char *word = !strcmp(what, "applied")	? S(S_R_APPLIED)
			   : !strcmp(what, "present")	? S(S_R_PRESENT)
			   : !strcmp(what, "refused")	? S(S_R_REFUSED)
			   : !strcmp(what, "exported") ? S(S_K_EXPORT)
			   : !strcmp(what, "kept")	? S(S_R_KEPT)
							: what;
	const char *cells[2] = {word, !strcmp(what, "refused") || !strcmp(what, "kept") ? detail : name};
	tz_list_add(l, name, what, cells);
}

/* F8 push, F9 pull: the server remembered in net.url, or asked for. */
static void do_net(tz_ui *ui, syncscr *ss, int push)
{
	char url[TZ_NET_MAX_URL], q[TZ_NET_MAX_URL + 64], msg[512];
	char *saved = tz_settings_str(ui->db, "net.url", NULL);
	tz_err err = {0};
	tz_ui_fmt(q, sizeof q, S_SERVER_ASK, saved && *saved ? saved : "http://");
	if (!tz_ui_prompt(ui, q, 0, url, sizeof url)) {
		free(saved);
		return;
	}
	if (!url[0])
		snprintf(url, sizeof url, "%s", saved ? saved : "");
	free(saved);
	if (tz_net_url_check(url, &err)) {
		tz_ui_message(ui, 1, "%s", err.msg);
		return;
	}
	/* push signs and encrypts; pull decrypts */
	uint8_t *sk = NULL, *esk = NULL;
	uint8_t *key = push ? (sk = sodium_malloc(TZ_SK_BYTES)) : (esk = sodium_malloc(TZ_ESK_BYTES));
	tz_status kst = key ? tz_ui_key(ui, !push, key, &err) : TZ_ENOMEM;
	if (kst) {
		if (kst != TZ_EUSAGE)
			tz_ui_message(ui, 1, "%s", key ? err.msg : S(S_NO_MEMORY));
		if (key)
			sodium_free(key);
		return;
	}
	char outbox[4096], spool[4096], down[4200];
	tz_net_dirs(ui->db_path, outbox, spool);
	snprintf(down, sizeof down, "%s/down", spool);
	tz_list_clear(&ss->results);
	tz_net_opts o = {
		.url = url,
		.outbox = outbox,
		.down = tz_db_role(ui->db) != TZ_ROLE_VILLAGE && is_dir(down) ? down : NULL,
		.sk = sk,
		.esk = esk,
		.retries = 1,
		.line = net_line,
		.ctx = &ss->results,
	};
	tz_net_stats st;
	tz_status rc = push ? tz_net_push(ui->db, &o, &st, &err) : tz_net_pull(ui->db, &o, &st, &err);
	sodium_free(key);
	if (rc) {
		tz_ui_message(ui, 1, "%s", err.msg);
	} else {
		if (push)
			tz_ui_fmt(msg, sizeof msg, S_PUSHED, st.sent, st.present, st.refused);
		else
			tz_ui_fmt(msg, sizeof msg, S_PULLED, st.applied, st.pulled_refused);
		tz_ui_message(ui, st.refused + st.pulled_refused > 0, "%s", msg);
		tz_settings_set(ui->db, "net.url", url, NULL);
	}
	ss->focus = 1;
	tz_ui_refresh_below(ui);
}

static int sync_key(tz_ui *ui, tz_screen *s, int key)
{
	syncscr *ss = s->st;
	if (ss->detail) {
		ss->detail = 0; /* any key closes the full text */
		if (key == TZ_KENTER || key == TZ_KESC)
			return 1;
	}
	if (key == TZ_KENTER && ss->focus == 1 && ss->results.n) {
		ss->detail = 1;
		return 1;
	}
	if (key == '\t') {
		ss->focus = !ss->focus;
		return 1;
	}
	if (key == TZ_KMOUSE && (tz_list_hit(ui, &ss->dirs) || tz_list_hit(ui, &ss->results)))
		ss->focus = tz_list_hit(ui, &ss->results) ? 1 : 0; /* a click focuses its list */
	if (tz_list_key(ui, ss->focus ? &ss->results : &ss->dirs, key, 5))
		return 1;
	if (key == TZ_KF(3)) {
		char path[4096];
		if (tz_ui_prompt(ui, S(S_TYPE_PATH), 0, path, sizeof path) && path[0]) {
			if (!is_dir(path)) {
				tz_ui_message(ui, 1, "%s: %s", path, S(S_NO_FOLDER));
				return 1;
			}
			const char *cells[1] = {path};
			tz_list_add(&ss->dirs, path, "dir", cells);
			ss->dirs.sel = ss->dirs.n - 1;
		}
		return 1;
	}
	if (key == TZ_KF(8) || key == TZ_KF(9)) {
		do_net(ui, ss, key == TZ_KF(8));
		return 1;
	}
	if (key == TZ_KF(4)) {
		const char *dir = chosen(ss);
		if (!dir) {
			tz_ui_message(ui, 1, "%s", S(S_NO_FOLDER));
			return 1;
		}
		tz_ui_push(ui, tz_scr_roster_new(ui, dir));
		return 1;
	}
	if (key == TZ_KF(7)) {
		tz_screen *k = tz_scr_keyring_new(ui);
		if (k)
			tz_ui_push(ui, k);
		return 1;
	}
	if (key == TZ_KF(5) || key == TZ_KF(6)) {
		const char *dir = chosen(ss);
		if (!dir) {
			tz_ui_message(ui, 1, "%s", S(S_NO_FOLDER));
			return 1;
		}
		char d[4096];
		snprintf(d, sizeof d, "%s", dir);
		if (key == TZ_KF(5))
			do_export(ui, ss, d);
		else
			do_import(ui, ss, d);
		return 1;
	}
	return 0;
}

static const tz_binding sync_keys[] = {
	{TZ_KF(3), S_K_PATH},
	{TZ_KF(4), S_K_ROSTER},
	{TZ_KF(5), S_K_EXPORT},
	{TZ_KF(6), S_K_IMPORT},
	{TZ_KF(7), S_K_KEYS},
	{TZ_KF(8), S_K_PUSH},
	{TZ_KF(9), S_K_PULL},
	{'\t', S_MEDIA},
	{TZ_KESC, S_BACK},
	{0, 0},
};

static const tz_screen sync_screen = {
	.name = "sync", .title = S_SYNC, .draw = sync_draw, .key = sync_key, .reload = sync_load,
	.lists = {TZ_SCREEN_LIST(syncscr, dirs), TZ_SCREEN_LIST(syncscr, results)},
	.keys = sync_keys,
};

tz_screen *tz_scr_sync_new(tz_ui *ui)
{
	tz_screen *s = tz_ui_screen_new(&sync_screen, sizeof(syncscr));
	if (!s)
		return NULL;
	syncscr *ss = s->st;
	tz_list_columns(&ss->dirs, 1, (const tz_list_col[]){{S_K_PATH, 0}});
	tz_list_init(&ss->results, 2);
	ss->results.head[0] = S(S_STATUS);
	ss->results.head[1] = "";
	ss->results.width[0] = 10;
	sync_load(ui, s);
	return s;
}
