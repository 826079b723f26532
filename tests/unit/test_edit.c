/* test_edit.c - the field editor and display text, Chinese included. */
#include <locale.h>

#include "tui/edit.h"
#include "tui/text.h"
#include "tz_test.h"

static char out[2048];

static const char *get(const tz_edit *e)
{
	tz_edit_get(e, out, sizeof out);
	return out;
}

static void type(tz_edit *e, const wchar_t *s)
{
	for (; *s; s++)
		tz_edit_key(e, (int)*s);
}

TEST(insert_move_delete)
{
	tz_edit e;
	tz_edit_init(&e, 30);
	type(&e, L"张三");
	CHECK_STR(get(&e), "张三");
	CHECK_INT(e.cur, 2);
	tz_edit_key(&e, TZ_EK_HOME);
	type(&e, L"王");
	CHECK_STR(get(&e), "王张三");
	tz_edit_key(&e, TZ_EK_DELETE);
	CHECK_STR(get(&e), "王三");
	tz_edit_key(&e, TZ_EK_END);
	tz_edit_key(&e, TZ_EK_BACKSPACE);
	CHECK_STR(get(&e), "王");
	tz_edit_key(&e, TZ_EK_BACKSPACE);
	tz_edit_key(&e, TZ_EK_BACKSPACE); /* on empty: nothing */
	CHECK_STR(get(&e), "");
	CHECK_INT(e.cur, 0);
	CHECK(e.changed);
}

TEST(get_from)
{
	tz_edit e;
	tz_edit_init(&e, 20);
	type(&e, L"王小明a1");
	char part[8];
	tz_edit_get_from(&e, 1, out, sizeof out);
	CHECK_STR(out, "小明a1"); /* UTF-8 whatever the locale */
	tz_edit_get_from(&e, 3, out, sizeof out);
	CHECK_STR(out, "a1");
	tz_edit_get_from(&e, 5, out, sizeof out);
	CHECK_STR(out, "");
	tz_edit_get_from(&e, 9, out, sizeof out);
	CHECK_STR(out, "");
	tz_edit_get_from(&e, 0, part, 5); /* cut at a whole character */
	CHECK_STR(part, "王");
}

TEST(kill_and_words)
{
	tz_edit e;
	tz_edit_init(&e, 100);
	tz_edit_set(&e, "一组 12号 东头");
	CHECK(!e.changed);
	tz_edit_key(&e, TZ_EK_KILL_WORD);
	CHECK_STR(get(&e), "一组 12号 ");
	tz_edit_key(&e, TZ_EK_WORD_LEFT);
	CHECK_INT(e.cur, 3);
	tz_edit_key(&e, TZ_EK_KILL_END);
	CHECK_STR(get(&e), "一组 ");
	tz_edit_key(&e, TZ_EK_KILL_START);
	CHECK_STR(get(&e), "");
}

TEST(limit_and_controls)
{
	tz_edit e;
	tz_edit_init(&e, 3);
	type(&e, L"abcdef");
	CHECK_STR(get(&e), "abc");
	tz_edit_init(&e, 10);
	tz_edit_insert(&e, L"a\x1b[31mb\tc\x85" "d");
	CHECK_STR(get(&e), "a[31mbcd"); /* ESC, TAB and C1 never enter a field */
	/* nor bidirectional controls, surrogates, or values beyond Unicode
	 * (fuzz_edit found the first two reaching tz_edit_get) */
	tz_edit_init(&e, 10);
	tz_edit_key(&e, 0x202e);
	tz_edit_key(&e, 0xd800);
	tz_edit_key(&e, 0x110000);
	tz_edit_insert(&e, L"x\u2067y");
	CHECK_STR(get(&e), "xy");
	CHECK(tz_text_is_control(0x1b) && tz_text_is_control(0x9b) && tz_text_is_control(0x200f));
	CHECK(tz_text_is_control(-1) && tz_text_is_control(0xdfff) && tz_text_is_control(0x110000));
	CHECK(!tz_text_is_control(L'张') && !tz_text_is_control(0x200b) &&
	      !tz_text_is_control(0x10ffff));
}

TEST(scroll_keeps_cursor_visible_with_wide_chars)
{
	tz_edit e;
	tz_edit_init(&e, 100);
	type(&e, L"中华人民共和国");
	/* 14 columns in a 6-column field: the cursor at the end needs a cell */
	int col = tz_edit_view(&e, 6);
	CHECK(col <= 5);
	CHECK(e.scroll > 0);
	int cols = 0;
	for (int i = e.scroll; i < e.cur; i++)
		cols += tz_text_wc_cols(e.buf[i]);
	CHECK_INT(col, cols);
	tz_edit_key(&e, TZ_EK_HOME);
	CHECK_INT(tz_edit_view(&e, 6), 0);
	CHECK_INT(e.scroll, 0);
	/* cursor on a wide char at the right edge: it must fit whole */
	for (int i = 0; i < 3; i++)
		tz_edit_key(&e, TZ_EK_RIGHT);
	col = tz_edit_view(&e, 7);
	CHECK(col + 2 <= 7);
}

TEST(decode_escapes_hostile_text)
{
	wchar_t w[64];
	tz_text_decode("a\x1b[2Jb", w, 64, 0);
	CHECK(wcscmp(w, L"a^[[2Jb") == 0);
	tz_text_decode("x\x7fy\xc2\x85z", w, 64, 0);
	CHECK(wcscmp(w, L"x^?y<85>z") == 0);
	tz_text_decode("\xe2\x80\xae" "abc", w, 64, 0); /* RIGHT-TO-LEFT OVERRIDE */
	CHECK(wcscmp(w, L"<U+202E>abc") == 0);
	tz_text_decode("\xff\xe4\xb8", w, 64, 0); /* invalid and truncated UTF-8 */
	CHECK(w[0] == 0xfffd && w[1] == 0xfffd);
	tz_text_decode("张三", w, 64, 1); /* ASCII terminal */
	CHECK(wcscmp(w, L"??") == 0);
	tz_text_decode("0123456789", w, 5, 0); /* bounded */
	CHECK(wcscmp(w, L"0123") == 0);
}

TEST(widths_and_fit)
{
	CHECK_INT(tz_text_cols("张三abc", 0), 7);
	CHECK_INT(tz_text_cols("ＡＢ", 0), 4); /* full-width letters */
	wchar_t out2[32];
	/* a wide char that does not fit is replaced by a blank, never half drawn */
	CHECK_INT(tz_text_fit(L"ab张三", 5, out2, 32, 0), 5);
	CHECK(wcscmp(out2, L"ab张 ") == 0);
	CHECK_INT(tz_text_fit(L"ab", 5, out2, 32, 1), 5);
	CHECK(wcscmp(out2, L"ab   ") == 0);
	CHECK_INT(tz_text_fit(L"张", 1, out2, 32, 0), 1);
	CHECK(wcscmp(out2, L" ") == 0);
}

/* a terminal library that disagrees with the table now and then */
static int odd_width(wchar_t c)
{
	if (c == 0x1f680 || c == 0x2060)
		return 2; /* an emoji and a word joiner, drawn 2 wide */
	if (c == 0x4e00)
		return 1;  /* a CJK character drawn 1 wide */
	if (c == 0x301)
		return 1;  /* a combining mark given a cell */
	if (c == 0xe0001)
		return -1; /* a character it cannot print */
	return tz_text_wc_cols(c);
}

TEST(conform_to_the_terminal)
{
	wchar_t s[32];
	wcscpy(s, L"a\U0001F680b\u4e00c\u0301d\u2060\U000E0001张");
	int before = tz_text_wcs_cols(s);
	CHECK_INT(tz_text_conform(s, odd_width), 5);
	CHECK(wcscmp(s, L"a\ufffdb\uff1fcd\ufffd\ufffd张") == 0);
	CHECK_INT(tz_text_wcs_cols(s), before); /* the layout's arithmetic holds */
	for (wchar_t *p = s; *p; p++)
		CHECK_INT(odd_width(*p), tz_text_wc_cols(*p));
	wcscpy(s, L"张三 abc");
	CHECK_INT(tz_text_conform(s, odd_width), 0);
	CHECK(wcscmp(s, L"张三 abc") == 0);
}

int main(void)
{
	setlocale(LC_ALL, "C.UTF-8");
	RUN(insert_move_delete);
	RUN(get_from);
	RUN(kill_and_words);
	RUN(limit_and_controls);
	RUN(scroll_keeps_cursor_visible_with_wide_chars);
	RUN(decode_escapes_hostile_text);
	RUN(widths_and_fit);
	RUN(conform_to_the_terminal);
	return tz_test_done();
}
