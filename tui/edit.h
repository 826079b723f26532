/* edit.h - the line editor behind every form field: a wchar_t buffer, a
 * cursor and a horizontal scroll, as pure functions (unit-tested, no
 * curses).  Keys are the editor's own codes; the screen layer maps curses
 * keys to them. */
#ifndef TAIZHANG_TUI_EDIT_H
#define TAIZHANG_TUI_EDIT_H

#include <stddef.h>
#include <wchar.h>

#define TZ_EDIT_MAX 512

typedef struct {
	wchar_t buf[TZ_EDIT_MAX];
	int len;    /* characters */
	int cur;    /* cursor, 0..len */
	int scroll; /* first character shown */
	int limit;  /* most characters accepted (<= TZ_EDIT_MAX - 1) */
	int changed;
} tz_edit;

enum {
	TZ_EK_LEFT = -1,
	TZ_EK_RIGHT = -2,
	TZ_EK_HOME = -3,
	TZ_EK_END = -4,
	TZ_EK_BACKSPACE = -5,
	TZ_EK_DELETE = -6,
	TZ_EK_KILL_END = -7,   /* ^K */
	TZ_EK_KILL_START = -8, /* ^U */
	TZ_EK_KILL_WORD = -9,  /* ^W */
	TZ_EK_WORD_LEFT = -10,
	TZ_EK_WORD_RIGHT = -11,
};

void tz_edit_init(tz_edit *e, int limit);
/* Set from UTF-8 (cursor at the end, changed cleared). */
void tz_edit_set(tz_edit *e, const char *utf8);
/* The content as UTF-8 into out (size n). */
void tz_edit_get(const tz_edit *e, char *out, size_t n);
/* The text from character `from` on (what is shown from the scroll position). */
void tz_edit_get_from(const tz_edit *e, int from, char *out, size_t n);
/* Apply a key: a printable character (> 0) is inserted, negative codes
 * are the TZ_EK_* commands.  Returns 1 if handled. */
int tz_edit_key(tz_edit *e, int key);
/* Insert a string (paste, or an IME's committed text). */
void tz_edit_insert(tz_edit *e, const wchar_t *s);
/* Adjust scroll so the cursor is visible in a field `width` columns wide;
 * returns the cursor's column within the field. */
int tz_edit_view(tz_edit *e, int width);

#endif
