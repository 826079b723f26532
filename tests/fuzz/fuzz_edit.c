/* fuzz_edit.c - the TUI's field editor (tui/edit.c) and the display-text
 * functions it is drawn with (tui/text.c): key sequences, wide and invalid
 * characters, pasted text, values set from stored UTF-8, and terminal
 * resizes (the field width changing between keys).
 *
 * Input: two bytes, then operations.
 *   byte 0     the field's limit: (int8_t) byte * 5 (negative, 0 and values
 *              over TZ_EDIT_MAX mean the default, as tz_edit_init says)
 *   byte 1     the field's width in columns: (int8_t) byte
 *   then one op byte each, low 3 bits the op, high 5 bits its argument A:
 *   0  an editor command key -(1 + A): TZ_EK_LEFT .. TZ_EK_WORD_RIGHT, and
 *      A >= 11 negative codes no command has (must be ignored)
 *   1  a key: the next byte (ASCII, C0 controls, Latin-1, C1 controls)
 *   2  a key: the next 3 bytes, little-endian (CJK, surrogates, > U+10FFFF)
 *   3  a key: the next 4 bytes as any int (as tz_ui_getkey may return)
 *   4  a resize: the width becomes (int8_t) next byte
 *   5  tz_edit_set: the next byte is a length, then that many bytes of
 *      UTF-8 (possibly invalid; cut at a NUL)
 *   6  tz_edit_insert (paste / IME): A + 1 characters of 3 bytes each
 *   7  tz_edit_get into a buffer of the next byte's size (0-255)
 *
 * Promises checked after every op:
 * - 0 <= cur <= len <= limit < TZ_EDIT_MAX, buf[len] == 0, 0 <= scroll;
 *   the buffer holds only Unicode scalar values that are not control
 *   characters (C0, DEL, C1) nor bidirectional controls
 * - tz_edit_get writes valid UTF-8, NUL-terminated, never more than the
 *   buffer, and a shorter buffer gets a prefix of the whole at a character
 *   boundary; set(get(e)) gives the same characters back
 * - tz_edit_view(width): scroll <= cur; the returned column is the width of
 *   buf[scroll..cur) and leaves room for the cursor's cell within the field
 *   (unless the cursor's own character is wider than the field)
 * - tz_text_conform (against a made-up terminal width) keeps the columns
 *   and leaves only characters the terminal draws as wide as counted
 * - the field as drawn (get, tz_text_decode, tz_text_fit with padding)
 *   holds no control or bidi characters, takes exactly the field's width,
 *   and its columns up to the cursor are the column tz_edit_view returned
 * - a key or paste that changed the content sets `changed`; tz_edit_key
 *   returning 0 changed nothing
 */
#define TZ_FUZZ_TARGET 1
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tui/edit.h"
#include "tui/text.h"

#define DIE(...)                              \
	do {                                  \
		fprintf(stderr, "fuzz_edit: " __VA_ARGS__); \
		fputc('\n', stderr);          \
		abort();                      \
	} while (0)

static int is_bidi(unsigned c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

static int bad_char(wchar_t w)
{
	unsigned c = (unsigned)w;
	return w < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0xd800 && c <= 0xdfff) ||
	       c > 0x10ffff || is_bidi(c);
}

/* Strict UTF-8 check; returns the number of characters or -1. */
static int utf8_count(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n = 0;
	while (*p) {
		unsigned c = *p, cp, min;
		int k;
		if (c < 0x80) {
			p++;
			n++;
			continue;
		}
		if (c >= 0xc2 && c <= 0xdf)
			k = 2, cp = c & 0x1f, min = 0x80;
		else if (c >= 0xe0 && c <= 0xef)
			k = 3, cp = c & 0x0f, min = 0x800;
		else if (c >= 0xf0 && c <= 0xf4)
			k = 4, cp = c & 0x07, min = 0x10000;
		else
			return -1;
		for (int i = 1; i < k; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return -1;
			cp = cp << 6 | (p[i] & 0x3f);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return -1;
		p += k;
		n++;
	}
	return n;
}

static void check_state(const tz_edit *e, int limit_in)
{
	int want = limit_in > 0 && limit_in < TZ_EDIT_MAX ? limit_in : TZ_EDIT_MAX - 1;
	if (e->limit != want)
		DIE("limit %d, wanted %d", e->limit, want);
	if (e->len < 0 || e->len > e->limit || e->cur < 0 || e->cur > e->len || e->scroll < 0)
		DIE("len %d cur %d scroll %d limit %d", e->len, e->cur, e->scroll, e->limit);
	if (e->buf[e->len] != 0)
		DIE("no terminating 0 at %d", e->len);
	for (int i = 0; i < e->len; i++)
		if (bad_char(e->buf[i]))
			DIE("character U+%04X at %d", (unsigned)e->buf[i], i);
}

static void check_get(const tz_edit *e)
{
	static char full[TZ_EDIT_MAX * 4 + 1];
	tz_edit_get(e, full, sizeof full);
	int n = utf8_count(full);
	if (n != e->len)
		DIE("get: %d characters of valid UTF-8 for %d", n, e->len);
	/* set(get) gives the characters back */
	tz_edit back;
	tz_edit_init(&back, e->limit);
	tz_edit_set(&back, full);
	if (back.len != e->len || memcmp(back.buf, e->buf, (size_t)e->len * sizeof e->buf[0]) ||
	    back.cur != back.len || back.changed)
		DIE("set(get(e)) differs: %d characters for %d", back.len, e->len);
}

static void check_get_n(const tz_edit *e, size_t n)
{
	static char full[TZ_EDIT_MAX * 4 + 1];
	tz_edit_get(e, full, sizeof full);
	char *out = malloc(n ? n : 1); /* exactly n: ASan sees any overrun */
	if (!out)
		abort();
	tz_edit_get(e, out, n);
	if (n) {
		size_t k = strnlen(out, n);
		if (k >= n)
			DIE("get into %zu bytes: not terminated", n);
		if (utf8_count(out) < 0 || strncmp(out, full, k))
			DIE("get into %zu bytes: not a valid prefix", n);
		/* cut at a character boundary, and only when the next one does not fit */
		size_t next = k;
		if (full[k]) {
			unsigned char c = (unsigned char)full[k];
			next += c < 0x80 ? 1 : c < 0xe0 ? 2 : c < 0xf0 ? 3 : 4;
			if (next < n)
				DIE("get into %zu bytes: stopped at %zu with room for more", n, k);
		}
	}
	free(out);
}

/* a terminal library that disagrees with tz_text_wc_cols on some characters */
static int odd_width(wchar_t c)
{
	if (c == 0xfffd)
		return 1;
	if (c == 0xff1f)
		return 2;
	return (int)((unsigned)c * 7u % 4u) - 1;
}

static void check_view(tz_edit *e, int width)
{
	int col = tz_edit_view(e, width);
	int w = width < 2 ? 2 : width;
	if (e->scroll < 0 || e->scroll > e->cur)
		DIE("view: scroll %d cur %d", e->scroll, e->cur);
	int cols = 0;
	for (int i = e->scroll; i < e->cur; i++)
		cols += tz_text_wc_cols(e->buf[i]);
	if (col != cols)
		DIE("view: column %d, characters before the cursor take %d", col, cols);
	int need = e->cur < e->len ? tz_text_wc_cols(e->buf[e->cur]) : 1;
	if (need < 1)
		need = 1;
	if (col + need > w && e->scroll != e->cur)
		DIE("view: cursor at %d + %d outside width %d", col, need, w);
	if (tz_text_wcs_cols(e->buf) < tz_text_wcs_cols(e->buf + e->scroll))
		DIE("view: widths not monotonic");

	/* drawn as the screens draw it: the text from the scroll position,
	 * decoded for display, cut and padded to the field */
	tz_edit t = *e;
	t.len -= t.scroll;
	memmove(t.buf, t.buf + t.scroll, (size_t)(t.len + 1) * sizeof t.buf[0]);
	static char shown[TZ_EDIT_MAX * 4 + 1];
	tz_edit_get(&t, shown, sizeof shown);
	wchar_t dec[1024], fit[1024];
	int nd = tz_text_decode(shown, dec, 1024, 0);
	if (nd != t.len)
		DIE("display: %d characters decoded from %d", nd, t.len);
	for (int i = 0; i < nd; i++)
		if (bad_char(dec[i]))
			DIE("display: U+%04X at %d", (unsigned)dec[i], i);
	if (tz_text_cols(shown, 0) != tz_text_wcs_cols(dec))
		DIE("display: tz_text_cols %d != %d", tz_text_cols(shown, 0),
		    tz_text_wcs_cols(dec));
	/* conformed to a terminal whose widths disagree with the table, the
	 * text keeps its width and every character draws as counted */
	wchar_t conf[1024];
	memcpy(conf, dec, (size_t)(nd + 1) * sizeof dec[0]);
	tz_text_conform(conf, odd_width);
	if (tz_text_wcs_cols(conf) != tz_text_wcs_cols(dec))
		DIE("conform: %d columns became %d", tz_text_wcs_cols(dec), tz_text_wcs_cols(conf));
	for (int i = 0; conf[i]; i++)
		if (odd_width(conf[i]) != tz_text_wc_cols(conf[i]))
			DIE("conform: U+%04X drawn %d wide, counted %d", (unsigned)conf[i],
			    odd_width(conf[i]), tz_text_wc_cols(conf[i]));
	int used = tz_text_fit(dec, w, fit, 1024, 1);
	if (used != w || tz_text_wcs_cols(fit) != w)
		DIE("display: fitted to %d columns (%d), field %d", used, tz_text_wcs_cols(fit), w);
	/* the cursor's column within the drawn text */
	int c2 = 0;
	for (int i = 0; i < e->cur - e->scroll; i++)
		c2 += tz_text_wc_cols(dec[i]);
	if (c2 != col)
		DIE("display: cursor column %d drawn at %d", col, c2);
	/* ASCII terminals (TERM=linux): one column per character */
	int na = tz_text_decode(shown, dec, 1024, 1);
	for (int i = 0; i < na; i++)
		if (dec[i] < 0x20 || dec[i] > 0x7e)
			DIE("ascii display: U+%04X", (unsigned)dec[i]);
}

static uint32_t take(const uint8_t **p, const uint8_t *end, int n)
{
	uint32_t v = 0;
	for (int i = 0; i < n && *p < end; i++)
		v |= (uint32_t)*(*p)++ << (8 * i);
	return v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	const uint8_t *p = data + 2, *end = data + size;
	int limit = (int8_t)data[0] * 5, width = (int8_t)data[1];
	static tz_edit e;
	tz_edit_init(&e, limit);
	check_state(&e, limit);
	while (p < end) {
		uint8_t op = *p++;
		int a = op >> 3, key = 0, iskey = 0;
		wchar_t before[TZ_EDIT_MAX];
		int blen = e.len;
		memcpy(before, e.buf, sizeof before);
		int bchanged = e.changed;
		switch (op & 7) {
		case 0:
			key = -(1 + a), iskey = 1;
			break;
		case 1:
			key = (int)take(&p, end, 1), iskey = 1;
			break;
		case 2:
			key = (int)take(&p, end, 3), iskey = 1;
			break;
		case 3:
			key = (int)take(&p, end, 4), iskey = 1;
			break;
		case 4:
			width = (int8_t)take(&p, end, 1);
			break;
		case 5: {
			size_t n = take(&p, end, 1);
			if (n > (size_t)(end - p))
				n = (size_t)(end - p);
			char s[256];
			memcpy(s, p, n);
			s[n] = 0;
			p += n;
			tz_edit_set(&e, s);
			if (e.changed || e.cur != e.len || e.scroll)
				DIE("set: changed %d cur %d len %d scroll %d", e.changed, e.cur, e.len,
				    e.scroll);
			break;
		}
		case 6: {
			wchar_t s[33];
			int n = 0;
			while (n <= a && p < end)
				s[n++] = (wchar_t)take(&p, end, 3);
			s[n] = 0;
			tz_edit_insert(&e, s);
			break;
		}
		case 7:
			check_get_n(&e, take(&p, end, 1));
			break;
		}
		if (iskey) {
			int r = tz_edit_key(&e, key);
			if (key < 0 && key >= -11 && r != 1)
				DIE("command key %d not handled", key);
			if ((key < -11 || key == 0) && r != 0)
				DIE("key %d has no command but was handled", key);
			if (!r && (e.len != blen || memcmp(before, e.buf, sizeof before)))
				DIE("key %d not handled but changed the content", key);
		}
		if ((op & 7) != 5 && (op & 7) != 4 && (op & 7) != 7) {
			int same = e.len == blen &&
				   !memcmp(before, e.buf, (size_t)(blen + 1) * sizeof e.buf[0]);
			if (!same && !e.changed)
				DIE("content changed, changed flag not set");
			if (same && e.changed != bchanged)
				DIE("content the same, changed flag set");
		}
		check_state(&e, limit);
		check_view(&e, width);
	}
	check_get(&e);
	return 0;
}
