/* ui.h - the full-screen program's frame: screens on a stack, the title
 * and function-key bars, messages, keys (from the keyboard or a test
 * script), colours, and drawing text cut to its width. */
#ifndef TAIZHANG_TUI_UI_H
#define TAIZHANG_TUI_UI_H

#include <curses.h>
#include <stddef.h>
#include <stdio.h>
#include <time.h>

#include "taizhang/db.h"
#include "taizhang/sheet.h"
#include "edit.h"
#include "taizhang/tui.h"
#include "strings.h"

/* Keys: a character is itself; a curses key code is TZ_K(code). */
#define TZ_K(code) (0x110000 + (code))
#define TZ_KF(n) TZ_K(KEY_F(n))
#define TZ_KESC 27
#define TZ_KENTER 10
/* No key for ui.lock_minutes (or the script line "idle"): lock the screen. */
#define TZ_KIDLE TZ_K(0x7fff)
/* A mouse click in the body: where is in ui->mouse_y/x (ui->mouse_double:
 * a double click).  Clicks on the key bar arrive as their F-key. */
#define TZ_KMOUSE TZ_K(0x7ffe)

typedef struct tz_ui tz_ui;
typedef struct tz_screen tz_screen;

/* A key binding: shown in the function-key bar (F-keys) and in F1 help. */
typedef struct {
	int key;   /* TZ_KF(n) or a character */
	int label; /* S_* */
} tz_binding;

struct tz_screen {
	const char *name; /* stable, for tests */
	int title;        /* S_* */
	void (*draw)(tz_ui *ui, tz_screen *s);
	int (*key)(tz_ui *ui, tz_screen *s, int key); /* 1 if handled */
	/* frees what st holds beyond its lists, then tz_ui_screen_free; NULL:
	 * tz_ui_screen_free alone */
	void (*destroy)(tz_screen *s);
	void (*reload)(tz_ui *ui, tz_screen *s); /* reload data after a change above it */
	/* slow work done after the screen is first shown; 1 if it drew anything new */
	int (*idle)(tz_ui *ui, tz_screen *s);
	const tz_binding *keys; /* terminated by {0, 0} */
	/* the tz_list members of st (TZ_SCREEN_LIST), freed with it; 0 ends */
	size_t lists[3];
	void *st;
	tz_screen *below;
};

enum { TZ_C_NORMAL, TZ_C_TITLE, TZ_C_BAR, TZ_C_BARKEY, TZ_C_SEL, TZ_C_ERR, TZ_C_FIELD,
       TZ_C_FOCUS, TZ_C_LABEL, TZ_C_WARN, TZ_C_COUNT };

struct tz_ui {
	tz_db *db;
	const char *db_path;
	int ascii;   /* no UTF-8 or TERM=linux: ASCII drawing, English */
	int color;   /* colours in use */
	int rows, cols;
	int quit;
	tz_screen *top;
	char msg[512];
	int msg_err;
	int clock_warning;
	/* test hook (TAIZHANG_TUI_SCRIPT): lines "type TEXT", "key NAME",
	 * "save FILE", "resize ROWS COLS", "idle", "click Y X", "dclick Y X" */
	FILE *script;
	int script_eof;
	char village[64];
	char staff[64];   /* the staff member logged in ("" if none) */
	long lock_ms;     /* idle time before the lock, 0: never */
	long long last_key_ms; /* monotonic time of the last key */
	int idle_hit;     /* the idle time passed: lock at the next chance */
	int cur_y, cur_x; /* where the text cursor shows, -1: hidden */
	int mouse_y, mouse_x, mouse_double; /* the last TZ_KMOUSE */
	/* this device's keys, unlocked by the passphrase asked for once while
	 * the program runs (tz_ui_key); sodium_malloc'd, wiped when the screen
	 * locks and at the end */
	uint8_t *sk, *esk;
};


/* A screen of a kind (a screen file's static const tz_screen: its name,
 * title, functions and keys) with st bytes of zeroed state (none if st is
 * 0); NULL when out of memory.  tz_ui_screen_free frees both. */
tz_screen *tz_ui_screen_new(const tz_screen *kind, size_t st);
/* Free s, its state and the lists its kind names. */
void tz_ui_screen_free(tz_screen *s);
/* An entry of tz_screen.lists: the list `member` of the state struct type. */
#define TZ_SCREEN_LIST(type, member) (offsetof(type, member) + 1)
/* Put s on top (nothing if s is NULL: a screen that could not be made). */
void tz_ui_push(tz_ui *ui, tz_screen *s);
void tz_ui_pop(tz_ui *ui);
/* Format a string-table entry (S_*) with arguments. */
void tz_ui_fmt(char *buf, size_t n, int id, ...);
/* Tell the screens below (those with reload) that data changed. */
void tz_ui_refresh_below(tz_ui *ui);
void tz_ui_message(tz_ui *ui, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Draw utf8 at (y, x) cut to w columns (padded when pad), with attribute
 * class c; returns columns drawn. */
int tz_ui_put(tz_ui *ui, int y, int x, int w, const char *utf8, int c, int pad);
/* Draw an edit line at (y, x), w columns, from its scroll position (padded);
 * returns the cursor's column relative to x. */
int tz_ui_put_edit(tz_ui *ui, int y, int x, int w, tz_edit *e, int c);
/* Start the colour pairs once curses runs (none without colours or with
 * NO_COLOR set: drawing then uses monochrome attributes). */
void tz_ui_colours_start(tz_ui *ui);
/* Ask a yes/no question on the message line; 1 for yes. */
int tz_ui_confirm(tz_ui *ui, const char *question);
/* Ask for a line of text on the message line (hidden: shown as *).
 * Returns 1 with out filled, 0 if cancelled with Esc. */
int tz_ui_prompt(tz_ui *ui, const char *question, int hidden, char *out, size_t n);
/* The line editor's command for a key (tui/edit.h: arrows, Home, End,
 * Backspace, Delete, ^A ^E ^K ^U ^W), the character itself, or 0. */
int tz_ui_edit_key(int key);
/* tz_ui_prompt with the line already holding initial (may be NULL). */
int tz_ui_prompt_with(tz_ui *ui, const char *question, int hidden, const char *initial, char *out,
		      size_t n);
/* Where to save a sheet: asks, offering <folder>/<stem>.xlsx, the folder
 * being the stick last used (sync.last_dir) or the home folder.  1 with
 * out filled, 0 if cancelled or left empty. */
int tz_ui_save_path(tz_ui *ui, const char *stem, char *out, size_t n);
/* The form a file name asks for: CSV for *.csv, else xlsx. */
tz_sheet_format tz_ui_sheet_format(const char *path);
/* This device's signing key (enc 0: TZ_SK_BYTES) or encryption key (enc 1:
 * TZ_ESK_BYTES) into out: asks for the passphrase the first time (and after
 * the screen lock), then remembers the key for the session, so that five
 * sticks are imported with one passphrase.  TZ_OK; TZ_EUSAGE when the user
 * backed out (nothing to say); another status with err set. */
tz_status tz_ui_key(tz_ui *ui, int enc, uint8_t *out, tz_err *err);
/* Forget the keys tz_ui_key remembered (the screen locks, the program ends). */
void tz_ui_keys_forget(tz_ui *ui);
/* Read the next key (keyboard or script). */
int tz_ui_getkey(tz_ui *ui);
/* Redraw the whole screen now (e.g. before a wait). */
void tz_ui_draw(tz_ui *ui);
/* Re-read the lock time: ui.lock_minutes, and only when a staff PIN exists. */
void tz_ui_lock_refresh(tz_ui *ui);
/* Show F1 help for the top screen. */
void tz_ui_help(tz_ui *ui);

/* Rows available to a screen's body: between the title and the message line. */
#define TZ_UI_BODY_TOP 1
#define TZ_UI_BODY_ROWS(ui) ((ui)->rows - 3)

#endif
