/* text.h - display text: UTF-8 to safe wide characters, column widths,
 * cutting to a width.  Pure functions, no curses (unit-tested). */
#ifndef TAIZHANG_TUI_TEXT_H
#define TAIZHANG_TUI_TEXT_H

#include <stddef.h>
#include <wchar.h>

/* Decode UTF-8 for display: invalid bytes become U+FFFD; control
 * characters (C0, DEL, C1) become visible escapes (^[, ^?, <80>);
 * bidirectional controls become <U+202E>-style escapes, so data from
 * bundles can never move the cursor or reorder the screen.  With ascii
 * set, every non-ASCII character becomes '?' (TERM=linux).  Writes at
 * most max - 1 characters and a terminating 0; returns the count. */
int tz_text_decode(const char *utf8, wchar_t *out, int max, int ascii);

/* 1 for a character that never enters a field nor reaches the terminal
 * as itself: C0, DEL, C1, a bidirectional control, a surrogate, beyond
 * U+10FFFF or negative. */
int tz_text_is_control(wchar_t c);

/* Columns a character takes: 2 for East Asian wide, 0 for combining
 * marks, else 1. */
int tz_text_wc_cols(wchar_t c);
/* Columns of a wide string. */
int tz_text_wcs_cols(const wchar_t *s);
/* Columns of a UTF-8 string as displayed. */
int tz_text_cols(const char *utf8, int ascii);

/* Make s draw in exactly the columns tz_text_wc_cols counts, given the
 * terminal library's own width function (wcwidth): a character the two
 * disagree on (an emoji or symbol outside the table, a format character,
 * an unassigned code point) becomes U+FFFD (1 column) or U+FF1F (2), one of
 * 0 columns is dropped.  Layout computed with tz_text_wc_cols then stays true
 * on the screen whatever the data.  Returns the characters replaced. */
int tz_text_conform(wchar_t *s, int (*width)(wchar_t));

/* Cut s to at most cols columns into out (max characters with the 0): a
 * wide character that does not fit entirely is replaced by a space, so
 * a cell is never half drawn.  If pad, fill with spaces up to cols.
 * Returns the columns used. */
int tz_text_fit(const wchar_t *s, int cols, wchar_t *out, int max, int pad);

#endif
