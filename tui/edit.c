/* edit.c - the field editor's logic (see edit.h). */
#include "edit.h"

#include <stdlib.h>
#include <string.h>
#include <wctype.h>

#include "taizhang/utf8.h"
#include "text.h"

void tz_edit_init(tz_edit *e, int limit)
{
	memset(e, 0, sizeof *e);
	e->limit = limit > 0 && limit < TZ_EDIT_MAX ? limit : TZ_EDIT_MAX - 1;
}

void tz_edit_set(tz_edit *e, const char *utf8)
{
	wchar_t tmp[TZ_EDIT_MAX];
	int n = tz_text_decode(utf8, tmp, e->limit + 1, 0);
	memcpy(e->buf, tmp, (size_t)n * sizeof *tmp);
	e->len = n;
	e->buf[n] = 0;
	e->cur = n;
	e->scroll = 0;
	e->changed = 0;
}

void tz_edit_get(const tz_edit *e, char *out, size_t n)
{
	tz_edit_get_from(e, 0, out, n);
}

void tz_edit_get_from(const tz_edit *e, int from, char *out, size_t n)
{
	size_t o = 0;
	for (int i = from < 0 ? 0 : from; i < e->len; i++) {
		char b[4];
		size_t k = (size_t)tz_utf8_encode((long)e->buf[i], b);
		if (o + k >= n)
			break;
		memcpy(out + o, b, k);
		o += k;
	}
	if (n)
		out[o] = '\0';
}

static void delete_range(tz_edit *e, int from, int to)
{
	if (from < 0)
		from = 0;
	if (to > e->len)
		to = e->len;
	if (from >= to)
		return;
	memmove(e->buf + from, e->buf + to, (size_t)(e->len - to + 1) * sizeof *e->buf);
	e->len -= to - from;
	if (e->cur > to)
		e->cur -= to - from;
	else if (e->cur > from)
		e->cur = from;
	e->changed = 1;
}

static int is_space(wchar_t c) { return c == L' ' || c == 0x3000; }

static int word_left(const tz_edit *e)
{
	int i = e->cur;
	while (i > 0 && is_space(e->buf[i - 1]))
		i--;
	while (i > 0 && !is_space(e->buf[i - 1]))
		i--;
	return i;
}

static int word_right(const tz_edit *e)
{
	int i = e->cur;
	while (i < e->len && !is_space(e->buf[i]))
		i++;
	while (i < e->len && is_space(e->buf[i]))
		i++;
	return i;
}

void tz_edit_insert(tz_edit *e, const wchar_t *s)
{
	for (; *s; s++) {
		if (tz_text_is_control(*s))
			continue; /* control characters (and non-characters) never enter a field */
		if (e->len >= e->limit)
			return;
		memmove(e->buf + e->cur + 1, e->buf + e->cur,
			(size_t)(e->len - e->cur + 1) * sizeof *e->buf);
		e->buf[e->cur++] = *s;
		e->len++;
		e->changed = 1;
	}
}

int tz_edit_key(tz_edit *e, int key)
{
	switch (key) {
	case TZ_EK_LEFT:
		if (e->cur > 0)
			e->cur--;
		return 1;
	case TZ_EK_RIGHT:
		if (e->cur < e->len)
			e->cur++;
		return 1;
	case TZ_EK_HOME:
		e->cur = 0;
		return 1;
	case TZ_EK_END:
		e->cur = e->len;
		return 1;
	case TZ_EK_WORD_LEFT:
		e->cur = word_left(e);
		return 1;
	case TZ_EK_WORD_RIGHT:
		e->cur = word_right(e);
		return 1;
	case TZ_EK_BACKSPACE:
		delete_range(e, e->cur - 1, e->cur);
		return 1;
	case TZ_EK_DELETE:
		delete_range(e, e->cur, e->cur + 1);
		return 1;
	case TZ_EK_KILL_END:
		delete_range(e, e->cur, e->len);
		return 1;
	case TZ_EK_KILL_START:
		delete_range(e, 0, e->cur);
		return 1;
	case TZ_EK_KILL_WORD:
		delete_range(e, word_left(e), e->cur);
		return 1;
	default:
		if (key > 0) {
			wchar_t s[2] = {(wchar_t)key, 0};
			int before = e->len;
			tz_edit_insert(e, s);
			return e->len != before || key >= 0x20;
		}
		return 0;
	}
}

int tz_edit_view(tz_edit *e, int width)
{
	if (width < 2)
		width = 2;
	if (e->scroll > e->cur)
		e->scroll = e->cur;
	/* columns from scroll to cursor must leave room for the cursor cell */
	for (;;) {
		int cols = 0;
		for (int i = e->scroll; i < e->cur; i++)
			cols += tz_text_wc_cols(e->buf[i]);
		int need = e->cur < e->len ? tz_text_wc_cols(e->buf[e->cur]) : 1;
		if (need < 1)
			need = 1;
		if (cols + need <= width || e->scroll >= e->cur)
			return cols;
		e->scroll++;
	}
}
