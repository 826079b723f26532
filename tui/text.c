/* text.c - display text, widths and cutting (see text.h). */
#include "text.h"

#include <stdio.h>
#include <string.h>

#include "taizhang/utf8.h"

static int put(wchar_t *out, int *n, int max, wchar_t c)
{
	if (*n >= max - 1)
		return -1;
	out[(*n)++] = c;
	return 0;
}

static int put_ascii(wchar_t *out, int *n, int max, const char *s)
{
	for (; *s; s++)
		if (put(out, n, max, (wchar_t)(unsigned char)*s))
			return -1;
	return 0;
}

static int is_bidi_control(unsigned c)
{
	return c == 0x061c || c == 0x200e || c == 0x200f || (c >= 0x202a && c <= 0x202e) ||
	       (c >= 0x2066 && c <= 0x2069);
}

int tz_text_is_control(wchar_t c)
{
	if (c < 0x20)
		return 1;
	unsigned u = (unsigned)c;
	return u == 0x7f || (u >= 0x80 && u < 0xa0) || is_bidi_control(u) ||
	       (u >= 0xd800 && u <= 0xdfff) || u > 0x10ffff;
}

int tz_text_decode(const char *utf8, wchar_t *out, int max, int ascii)
{
	const unsigned char *p = (const unsigned char *)(utf8 ? utf8 : "");
	size_t len = strlen((const char *)p);
	int n = 0;
	char esc[16];
	if (max <= 0)
		return 0;
	while (len) {
		size_t k;
		long cp = tz_utf8_decode((const char *)p, len, &k);
		int bad;
		if (cp < 0) {
			bad = put(out, &n, max, ascii ? L'?' : (wchar_t)0xfffd);
			k = 1;
		} else if (cp < 0x20) {
			esc[0] = '^';
			esc[1] = (char)(cp + 64);
			esc[2] = 0;
			bad = put_ascii(out, &n, max, esc);
		} else if (cp == 0x7f) {
			bad = put_ascii(out, &n, max, "^?");
		} else if (cp >= 0x80 && cp < 0xa0) {
			snprintf(esc, sizeof esc, "<%02X>", (unsigned)cp);
			bad = put_ascii(out, &n, max, esc);
		} else if (is_bidi_control(cp)) {
			snprintf(esc, sizeof esc, "<U+%04X>", (unsigned)cp);
			bad = put_ascii(out, &n, max, esc);
		} else if (ascii && cp >= 0x80) {
			bad = put(out, &n, max, L'?');
		} else {
			bad = put(out, &n, max, (wchar_t)cp);
		}
		if (bad)
			break;
		p += k;
		len -= (size_t)k;
	}
	out[n] = 0;
	return n;
}

/* East Asian Wide and Fullwidth ranges (Unicode 15, abridged to the blocks
 * that occur in Chinese text and UI), so widths do not depend on the C
 * library's locale data. */
static const struct {
	unsigned lo, hi;
} wide[] = {
	{0x1100, 0x115f}, {0x2e80, 0x303e}, {0x3041, 0x33ff}, {0x3400, 0x4dbf},
	{0x4e00, 0x9fff}, {0xa000, 0xa4cf}, {0xac00, 0xd7a3}, {0xf900, 0xfaff},
	{0xfe30, 0xfe4f}, {0xff00, 0xff60}, {0xffe0, 0xffe6}, {0x1f300, 0x1f64f},
	{0x1f900, 0x1f9ff}, {0x20000, 0x2fffd}, {0x30000, 0x3fffd},
};

int tz_text_wc_cols(wchar_t c)
{
	unsigned u = (unsigned)c;
	if (u == 0)
		return 0;
	if ((u >= 0x300 && u <= 0x36f) || u == 0x200b || u == 0x200c || u == 0x200d ||
	    (u >= 0xfe00 && u <= 0xfe0f))
		return 0;
	for (size_t i = 0; i < sizeof wide / sizeof wide[0]; i++)
		if (u >= wide[i].lo && u <= wide[i].hi)
			return 2;
	return 1;
}

int tz_text_wcs_cols(const wchar_t *s)
{
	int w = 0;
	for (; *s; s++)
		w += tz_text_wc_cols(*s);
	return w;
}

int tz_text_cols(const char *utf8, int ascii)
{
	wchar_t buf[1024];
	tz_text_decode(utf8, buf, 1024, ascii);
	return tz_text_wcs_cols(buf);
}

int tz_text_conform(wchar_t *s, int (*width)(wchar_t))
{
	int n = 0;
	wchar_t *o = s;
	for (; *s; s++) {
		int tz = tz_text_wc_cols(*s);
		if (width(*s) == tz) {
			*o++ = *s;
			continue;
		}
		n++;
		if (tz == 1)
			*o++ = 0xfffd;
		else if (tz == 2)
			*o++ = 0xff1f;
	}
	*o = 0;
	return n;
}

int tz_text_fit(const wchar_t *s, int cols, wchar_t *out, int max, int pad)
{
	int used = 0, n = 0;
	for (; *s && n < max - 1; s++) {
		int w = tz_text_wc_cols(*s);
		if (used + w > cols) {
			if (w == 2 && used < cols && n < max - 1) { /* half a wide char: blank */
				out[n++] = L' ';
				used++;
			}
			break;
		}
		out[n++] = *s;
		used += w;
	}
	while (pad && used < cols && n < max - 1) {
		out[n++] = L' ';
		used++;
	}
	out[n] = 0;
	return used;
}
