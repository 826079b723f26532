/* ui.c - the frame of the full-screen program (see ui.h). */
#include "ui.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <wchar.h>

#include <sodium.h>

#include "taizhang/clock.h"
#include "taizhang/key.h"
#include "taizhang/settings.h"
#include "taizhang/pin.h"
#include "edit.h"
#include "list.h"
#include "text.h"

const char *tz_ui_str(int id)
{
	static const char *const en[] = {
#define TZ_S(id, e, z) [id] = e,
		TZ_STRINGS(TZ_S)
#undef TZ_S
	};
	static const char *const zh[] = {
#define TZ_S(id, e, z) [id] = z,
		TZ_STRINGS(TZ_S)
#undef TZ_S
	};
	if (id < 0 || id >= S_COUNT)
		return "?";
	return tz_lang_get() == TZ_LANG_ZH ? zh[id] : en[id];
}

/* Wipe memory that held a passphrase (volatile: not optimised away). */
static void sodium_memzero_compat(void *p, size_t n)
{
	volatile unsigned char *v = p;
	while (n--)
		*v++ = 0;
}

/* ---- colours: a colour pair and a monochrome attribute per class ---- */

static const struct {
	short fg, bg;
	int mono;
} palette[TZ_C_COUNT] = {
	[TZ_C_NORMAL] = {-1, -1, A_NORMAL},
	[TZ_C_TITLE] = {COLOR_WHITE, COLOR_BLUE, A_REVERSE},
	[TZ_C_BAR] = {COLOR_BLACK, COLOR_CYAN, A_REVERSE},
	[TZ_C_BARKEY] = {COLOR_WHITE, COLOR_BLACK, A_NORMAL},
	[TZ_C_SEL] = {COLOR_BLACK, COLOR_CYAN, A_REVERSE},
	[TZ_C_ERR] = {COLOR_WHITE, COLOR_RED, A_BOLD | A_REVERSE},
	[TZ_C_FIELD] = {-1, -1, A_UNDERLINE},
	[TZ_C_FOCUS] = {COLOR_BLACK, COLOR_YELLOW, A_REVERSE},
	[TZ_C_LABEL] = {COLOR_CYAN, -1, A_BOLD},
	[TZ_C_WARN] = {COLOR_YELLOW, -1, A_BOLD},
};

/* The attribute for a colour class. */
static int attr_of(tz_ui *ui, int c)
{
	if (c <= 0 || c >= TZ_C_COUNT)
		return A_NORMAL;
	if (ui->color)
		return (int)(COLOR_PAIR(c) | (c == TZ_C_TITLE || c == TZ_C_ERR ? A_BOLD : 0));
	return palette[c].mono;
}

void tz_ui_colours_start(tz_ui *ui)
{
	const char *nc = getenv("NO_COLOR");
	ui->color = has_colors() && !(nc && *nc);
	if (!ui->color)
		return;
	start_color();
	use_default_colors();
	for (int c = 1; c < TZ_C_COUNT; c++)
		init_pair((short)c, palette[c].fg, palette[c].bg);
}

/* ---- drawing ---- */

/* The string table's formats are checked by hand: each takes the
 * arguments its English text shows, in both languages. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
void tz_ui_fmt(char *buf, size_t n, int id, ...)
{
	va_list ap;
	va_start(ap, id);
	vsnprintf(buf, n, S(id), ap);
	va_end(ap);
}
#pragma GCC diagnostic pop

/* the width curses will give a character (its C library's wcwidth) */
static int term_width(wchar_t c) { return wcwidth(c); }

int tz_ui_put(tz_ui *ui, int y, int x, int w, const char *utf8, int c, int pad)
{
	wchar_t dec[1024], fit[1024];
	if (w <= 0 || y < 0 || y >= ui->rows || x >= ui->cols)
		return 0;
	if (x + w > ui->cols)
		w = ui->cols - x;
	tz_text_decode(utf8, dec, 1024, ui->ascii);
	tz_text_conform(dec, term_width);
	int used = tz_text_fit(dec, w, fit, 1024, pad);
	attrset(attr_of(ui, c));
	mvaddnwstr(y, x, fit, -1);
	attrset(A_NORMAL);
	return used;
}

void tz_ui_message(tz_ui *ui, int err, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(ui->msg, sizeof ui->msg, fmt, ap);
	va_end(ap);
	ui->msg_err = err;
}

static void draw_title(tz_ui *ui)
{
	char left[256], right[128];
	snprintf(left, sizeof left, " %s  %s  %s", S(S_APP), ui->village,
		 ui->top ? S(ui->top->title) : "");
	char date[11];
	tz_clock_today(date);
	snprintf(right, sizeof right, "%s%s%s ", ui->staff, ui->staff[0] ? "  " : "", date);
	tz_ui_put(ui, 0, 0, ui->cols, left, TZ_C_TITLE, 1);
	int rw = tz_text_cols(right, ui->ascii);
	tz_ui_put(ui, 0, ui->cols - rw, rw, right, TZ_C_TITLE, 0);
}

/* The bar: ten slots of 8 columns, "1帮助" style; labels from the top
 * screen's bindings, F1 and F10 always. */
static void draw_keybar(tz_ui *ui)
{
	int y = ui->rows - 1, slot = ui->cols / 10;
	for (int n = 1; n <= 10; n++) {
		int label = -1;
		if (n == 1)
			label = S_HELP;
		else if (n == 10)
			label = S_QUIT;
		for (const tz_binding *b = ui->top && ui->top->keys ? ui->top->keys : NULL;
		     b && b->key; b++)
			if (b->key == TZ_KF(n))
				label = b->label;
		if (label == S_LANG && ui->ascii)
			label = -1; /* the console has one language */
		int x = (n - 1) * slot;
		char num[16];
		snprintf(num, sizeof num, "%d", n);
		int used = tz_ui_put(ui, y, x, 2, num, TZ_C_BARKEY, 0);
		tz_ui_put(ui, y, x + used, slot - used, label >= 0 ? S(label) : "", TZ_C_BAR, 1);
	}
}

static void draw_small(tz_ui *ui)
{
	char line[256];
	erase();
	tz_ui_fmt(line, sizeof line, S_TOO_SMALL, ui->cols, ui->rows);
	tz_ui_put(ui, 0, 0, ui->cols, line, TZ_C_ERR, 1);
	tz_ui_put(ui, 1, 0, ui->cols, S(S_TOO_SMALL2), TZ_C_NORMAL, 0);
}

static void draw_all(tz_ui *ui)
{
	getmaxyx(stdscr, ui->rows, ui->cols);
	erase();
	ui->cur_y = ui->cur_x = -1;
	if (ui->rows < 24 || ui->cols < 80) {
		draw_small(ui);
	} else {
		draw_title(ui);
		if (ui->top)
			ui->top->draw(ui, ui->top);
		if (ui->msg[0])
			tz_ui_put(ui, ui->rows - 2, 0, ui->cols, ui->msg,
				  ui->msg_err ? TZ_C_ERR : TZ_C_WARN, 1);
		else if (ui->clock_warning)
			tz_ui_put(ui, ui->rows - 2, 0, ui->cols, S(S_CLOCK_WARN), TZ_C_WARN, 1);
		draw_keybar(ui);
	}
	if (ui->cur_y >= 0) {
		curs_set(1);
		move(ui->cur_y, ui->cur_x);
	} else {
		curs_set(0);
	}
	refresh();
}

void tz_ui_draw(tz_ui *ui)
{
	draw_all(ui);
}

/* ---- keys: keyboard, or a test script ---- */

static long long mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void tz_ui_lock_refresh(tz_ui *ui)
{
	long m = tz_settings_int(ui->db, "ui.lock_minutes");
	ui->lock_ms = m > 0 && tz_pin_any(ui->db) ? m * 60000L : 0;
	ui->last_key_ms = mono_ms();
	if (!ui->script)
		timeout(ui->lock_ms ? 1000 : -1); /* wake each second to watch the time */
}

static const struct {
	const char *name;
	int key;
} keynames[] = {
	{"Enter", TZ_KENTER}, {"Esc", TZ_KESC}, {"Tab", '\t'}, {"BTab", TZ_K(KEY_BTAB)},
	{"Up", TZ_K(KEY_UP)}, {"Down", TZ_K(KEY_DOWN)}, {"Left", TZ_K(KEY_LEFT)},
	{"Right", TZ_K(KEY_RIGHT)}, {"Home", TZ_K(KEY_HOME)}, {"End", TZ_K(KEY_END)},
	{"PgUp", TZ_K(KEY_PPAGE)}, {"PgDn", TZ_K(KEY_NPAGE)}, {"Backspace", TZ_K(KEY_BACKSPACE)},
	{"Delete", TZ_K(KEY_DC)}, {"Space", ' '},
};

/* The key for a click at (y, x): an F-key on the bar, else TZ_KMOUSE. */
static int mouse_key(tz_ui *ui, int y, int x, int dbl)
{
	if (y == ui->rows - 1 && ui->cols >= 10)
		return TZ_KF(x / (ui->cols / 10) + 1 > 10 ? 10 : x / (ui->cols / 10) + 1);
	ui->mouse_y = y;
	ui->mouse_x = x;
	ui->mouse_double = dbl;
	return TZ_KMOUSE;
}

/* Queue of keys from the current script line. */
static int pending[1024], npending, ipending;

static void save_screen(tz_ui *ui, const char *path)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return;
	for (int y = 0; y < ui->rows; y++) {
		wchar_t row[1024];
		char out[4096];
		int n = mvinnwstr(y, 0, row, ui->cols < 1023 ? ui->cols : 1023);
		if (n < 0)
			n = 0;
		row[n] = 0;
		size_t o = wcstombs(out, row, sizeof out - 1);
		if (o == (size_t)-1)
			o = 0;
		out[o] = 0;
		while (o && out[o - 1] == ' ')
			out[--o] = 0;
		fprintf(f, "%s\n", out);
	}
	fclose(f);
}

static int script_key(tz_ui *ui)
{
	char line[2048];
	while (ipending >= npending) {
		npending = ipending = 0;
		if (!fgets(line, sizeof line, ui->script)) {
			ui->script_eof = 1;
			return TZ_KF(10);
		}
		line[strcspn(line, "\r\n")] = 0;
		if (!strncmp(line, "type ", 5)) {
			wchar_t w[1024];
			size_t n = mbstowcs(w, line + 5, 1023);
			for (size_t i = 0; n != (size_t)-1 && i < n && npending < 1024; i++)
				pending[npending++] = (int)w[i];
		} else if (!strncmp(line, "key ", 4)) {
			const char *k = line + 4;
			int key = 0;
			if (k[0] == 'F' && k[1] >= '1' && k[1] <= '9')
				key = TZ_KF(atoi(k + 1));
			for (size_t i = 0; !key && i < sizeof keynames / sizeof keynames[0]; i++)
				if (!strcmp(k, keynames[i].name))
					key = keynames[i].key;
			if (!key && k[0] && !k[1])
				key = (unsigned char)k[0];
			if (key)
				pending[npending++] = key;
		} else if (!strcmp(line, "idle")) {
			/* as if nobody had pressed a key for ui.lock_minutes */
			if (ui->lock_ms) {
				ui->idle_hit = 1;
				pending[npending++] = TZ_KIDLE;
			}
		} else if (!strncmp(line, "save ", 5)) {
			/* what is on the screen now: the frame or a dialog over it */
			save_screen(ui, line + 5);
		} else if (!strncmp(line, "click ", 6) || !strncmp(line, "dclick ", 7)) {
			/* a mouse click (dclick: double) at row Y, column X */
			int y = 0, x = 0;
			if (sscanf(line + (line[0] == 'd' ? 7 : 6), "%d %d", &y, &x) == 2 && y >= 0 &&
			    x >= 0)
				pending[npending++] = mouse_key(ui, y, x, line[0] == 'd');
		} else if (!strncmp(line, "resize ", 7)) {
			int r = 0, c = 0;
			if (sscanf(line + 7, "%d %d", &r, &c) == 2) {
				resizeterm(r, c);
				pending[npending++] = TZ_K(KEY_RESIZE);
			}
		}
	}
	return pending[ipending++];
}

int tz_ui_getkey(tz_ui *ui)
{
	if (ui->script)
		return script_key(ui);
	wint_t ch;
	int r;
	while ((r = get_wch(&ch)) == ERR && ui->lock_ms) {
		if (mono_ms() - ui->last_key_ms >= ui->lock_ms) {
			ui->last_key_ms = mono_ms();
			ui->idle_hit = 1;
			return TZ_KIDLE;
		}
	}
	ui->last_key_ms = mono_ms();
	if (r == KEY_CODE_YES) {
		if (ch == KEY_MOUSE) {
			MEVENT ev;
			if (getmouse(&ev) == OK && (ev.bstate & (BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED)))
				return mouse_key(ui, ev.y, ev.x, !!(ev.bstate & BUTTON1_DOUBLE_CLICKED));
			return 0;
		}
		return TZ_K((int)ch);
	}
	if (r == ERR)
		return 0;
	if (ch == 127 || ch == 8)
		return TZ_K(KEY_BACKSPACE);
	if (ch == '\r')
		return TZ_KENTER;
	return (int)ch;
}

int tz_ui_confirm(tz_ui *ui, const char *question)
{
	for (;;) {
		tz_ui_message(ui, 1, "%s  (%s)", question, S(S_YES_NO));
		draw_all(ui);
		int k = tz_ui_getkey(ui);
		if (k == 'y' || k == 'Y' || k == TZ_KENTER) {
			ui->msg[0] = 0;
			return 1;
		}
		if (k == 'n' || k == 'N' || k == TZ_KESC || k == TZ_KIDLE ||
		    (ui->script && ui->script_eof)) {
			ui->msg[0] = 0;
			return 0;
		}
	}
}

int tz_ui_put_edit(tz_ui *ui, int y, int x, int w, tz_edit *e, int c)
{
	int col = tz_edit_view(e, w);
	char shown[TZ_EDIT_MAX * 4];
	tz_edit_get_from(e, e->scroll, shown, sizeof shown);
	tz_ui_put(ui, y, x, w, shown, c, 1);
	return col;
}

int tz_ui_edit_key(int key)
{
	switch (key) {
	case TZ_K(KEY_LEFT): return TZ_EK_LEFT;
	case TZ_K(KEY_RIGHT): return TZ_EK_RIGHT;
	case TZ_K(KEY_HOME): return TZ_EK_HOME;
	case TZ_K(KEY_END): return TZ_EK_END;
	case TZ_K(KEY_BACKSPACE): return TZ_EK_BACKSPACE;
	case TZ_K(KEY_DC): return TZ_EK_DELETE;
	case 11: return TZ_EK_KILL_END;   /* ^K */
	case 21: return TZ_EK_KILL_START; /* ^U */
	case 23: return TZ_EK_KILL_WORD;  /* ^W */
	case 1: return TZ_EK_HOME;        /* ^A */
	case 5: return TZ_EK_END;         /* ^E */
	default: return key >= 0x20 && key < 0x110000 ? key : 0;
	}
}

int tz_ui_prompt(tz_ui *ui, const char *question, int hidden, char *out, size_t n)
{
	return tz_ui_prompt_with(ui, question, hidden, NULL, out, n);
}

tz_sheet_format tz_ui_sheet_format(const char *path)
{
	size_t n = strlen(path);
	return n >= 4 && !strcasecmp(path + n - 4, ".csv") ? TZ_SHEET_CSV : TZ_SHEET_XLSX;
}

int tz_ui_save_path(tz_ui *ui, const char *stem, char *out, size_t n)
{
	char *dir = tz_settings_str(ui->db, "sync.last_dir", NULL);
	const char *home = getenv("HOME");
	struct stat sb;
	const char *d = dir && *dir && !stat(dir, &sb) && S_ISDIR(sb.st_mode) ? dir
			: home && *home ? home : ".";
	char initial[TZ_EDIT_MAX];
	snprintf(initial, sizeof initial, "%s%s%s.xlsx", d, d[strlen(d) - 1] == '/' ? "" : "/", stem);
	free(dir);
	return tz_ui_prompt_with(ui, S(S_CSV_PATH), 0, initial, out, n) && out[0];
}

int tz_ui_prompt_with(tz_ui *ui, const char *question, int hidden, const char *initial, char *out,
		      size_t n)
{
	tz_edit e;
	tz_edit_init(&e, TZ_EDIT_MAX - 1);
	if (initial)
		tz_edit_set(&e, initial);
	for (;;) {
		draw_all(ui);
		int y = ui->rows - 2;
		tz_ui_put(ui, y, 0, ui->cols, "", TZ_C_NORMAL, 1);
		int qw = tz_ui_put(ui, y, 0, ui->cols / 2, question, TZ_C_WARN, 0);
		int w = ui->cols - qw - 1, col;
		if (hidden) {
			char shown[TZ_EDIT_MAX];
			col = tz_edit_view(&e, w);
			int k = e.len - e.scroll;
			memset(shown, '*', (size_t)(k < w ? k : w));
			shown[k < w ? k : w] = 0;
			tz_ui_put(ui, y, qw, w, shown, TZ_C_FOCUS, 1);
		} else {
			col = tz_ui_put_edit(ui, y, qw, w, &e, TZ_C_FOCUS);
		}
		curs_set(1);
		move(y, qw + col);
		refresh();
		int k = tz_ui_getkey(ui);
		if (k == TZ_KESC || k == TZ_KIDLE || (ui->script && ui->script_eof)) {
			sodium_memzero_compat(&e, sizeof e);
			return 0;
		}
		if (k == TZ_KENTER) {
			tz_edit_get(&e, out, n);
			sodium_memzero_compat(&e, sizeof e);
			return 1;
		}
		int ek = tz_ui_edit_key(k);
		if (ek)
			tz_edit_key(&e, ek);
	}
}

static const char *key_label(int key, char *buf, size_t n)
{
	if (key >= TZ_KF(1) && key <= TZ_KF(12))
		snprintf(buf, n, "F%d", key - TZ_KF(0));
	else if (key == TZ_KENTER)
		snprintf(buf, n, "Enter");
	else if (key == TZ_KESC)
		snprintf(buf, n, "Esc");
	else if (key == '\t')
		snprintf(buf, n, "Tab");
	else if (key > 0 && key < 0x110000)
		snprintf(buf, n, "%lc", (wint_t)key);
	else
		snprintf(buf, n, "?");
	return buf;
}

void tz_ui_help(tz_ui *ui)
{
	for (;;) {
		getmaxyx(stdscr, ui->rows, ui->cols);
		erase();
		char line[256], k[16];
		snprintf(line, sizeof line, " %s: %s", S(S_HELP_TITLE), ui->top ? S(ui->top->title) : "");
		tz_ui_put(ui, 0, 0, ui->cols, line, TZ_C_TITLE, 1);
		int y = 2;
		snprintf(line, sizeof line, "  %-8s %s", "F1", S(S_HELP));
		tz_ui_put(ui, y++, 0, ui->cols, line, TZ_C_NORMAL, 0);
		for (const tz_binding *b = ui->top ? ui->top->keys : NULL; b && b->key; b++) {
			if (y >= ui->rows - 2)
				break;
			snprintf(line, sizeof line, "  %-8s %s", key_label(b->key, k, sizeof k), S(b->label));
			tz_ui_put(ui, y++, 0, ui->cols, line, TZ_C_NORMAL, 0);
		}
		int has_esc = 0;
		for (const tz_binding *b = ui->top ? ui->top->keys : NULL; b && b->key; b++)
			has_esc |= b->key == TZ_KESC;
		if (!has_esc) {
			snprintf(line, sizeof line, "  %-8s %s", "Esc", S(S_BACK));
			tz_ui_put(ui, y++, 0, ui->cols, line, TZ_C_NORMAL, 0);
		}
		snprintf(line, sizeof line, "  %-8s %s", "F10", S(S_QUIT));
		tz_ui_put(ui, y++, 0, ui->cols, line, TZ_C_NORMAL, 0);
		if (ui->top && !strcmp(ui->top->name, "form")) {
			/* the editing keys every field takes */
			static const int edit[] = {S_HELP_EDIT_HOME, S_HELP_EDIT_END, S_HELP_EDIT_KILL,
						   S_HELP_EDIT_START, S_HELP_EDIT_WORD};
			y++;
			for (size_t i = 0; i < sizeof edit / sizeof *edit && y < ui->rows - 2; i++)
				tz_ui_put(ui, y++, 0, ui->cols, S(edit[i]), TZ_C_NORMAL, 0);
		}
		tz_ui_put(ui, ui->rows - 1, 0, ui->cols, S(S_PRESS_ANY), TZ_C_BAR, 1);
		curs_set(0);
		refresh();
		int key = tz_ui_getkey(ui);
		if (key != TZ_K(KEY_RESIZE))
			return;
	}
}

/* ---- the screen stack ---- */

tz_screen *tz_ui_screen_new(const tz_screen *kind, size_t st)
{
	tz_screen *s = malloc(sizeof *s);
	if (!s)
		return NULL;
	*s = *kind;
	s->below = NULL;
	s->st = st ? calloc(1, st) : NULL;
	if (st && !s->st) {
		free(s);
		return NULL;
	}
	return s;
}

void tz_ui_screen_free(tz_screen *s)
{
	for (size_t i = 0; s->st && i < sizeof s->lists / sizeof s->lists[0] && s->lists[i]; i++)
		tz_list_free((tz_list *)((char *)s->st + s->lists[i] - 1));
	free(s->st);
	free(s);
}

void tz_ui_push(tz_ui *ui, tz_screen *s)
{
	if (!s)
		return; /* it could not be made (out of memory) */
	s->below = ui->top;
	ui->top = s;
}

void tz_ui_pop(tz_ui *ui)
{
	tz_screen *s = ui->top;
	if (!s)
		return;
	ui->top = s->below;
	if (s->destroy)
		s->destroy(s);
	else
		tz_ui_screen_free(s);
	if (ui->top && ui->top->reload)
		ui->top->reload(ui, ui->top);
}

void tz_ui_refresh_below(tz_ui *ui)
{
	for (tz_screen *s = ui->top ? ui->top->below : NULL; s; s = s->below)
		if (s->reload)
			s->reload(ui, s);
}

tz_status tz_ui_key(tz_ui *ui, int enc, uint8_t *out, tz_err *err)
{
	uint8_t **slot = enc ? &ui->esk : &ui->sk;
	size_t len = enc ? TZ_ESK_BYTES : TZ_SK_BYTES;
	if (!*slot) {
		char pass[1024];
		if (!tz_ui_prompt(ui, S(S_PASSPHRASE), 1, pass, sizeof pass))
			return TZ_EUSAGE;
		uint8_t *k = sodium_malloc(len);
		tz_status st = !k ? tz_nomem(err)
			       : enc ? tz_key_unlock_enc(ui->db, pass, k, err)
				     : tz_key_unlock(ui->db, pass, k, err);
		sodium_memzero(pass, sizeof pass);
		if (st) {
			if (k)
				sodium_free(k);
			return st;
		}
		*slot = k;
	}
	memcpy(out, *slot, len);
	return TZ_OK;
}

void tz_ui_keys_forget(tz_ui *ui)
{
	if (ui->sk)
		sodium_free(ui->sk); /* sodium_free wipes it */
	if (ui->esk)
		sodium_free(ui->esk);
	ui->sk = ui->esk = NULL;
}
