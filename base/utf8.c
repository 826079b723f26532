/* utf8.c - the one UTF-8 decoder and validator (Unicode's table 3-7 of
 * well-formed sequences: no overlong forms, no surrogates, nothing past
 * U+10FFFF). */
#include "taizhang/utf8.h"

#include <stdint.h>
#include <string.h>

/* Decode the sequence at s[0..n): its code point and length, or -1 (and
 * length 1) if the bytes there are not valid UTF-8. */
long tz_utf8_decode(const char *str, size_t n, size_t *len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t k;
	long cp;

	*len = 1;
	if (s[0] < 0x80)
		return s[0];
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		k = 1;
		cp = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		k = 2;
		cp = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		k = 3;
		cp = s[0] & 0x07;
	} else {
		return -1;
	}
	if (n < k + 1)
		return -1;
	for (size_t i = 1; i <= k; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return -1;
		cp = cp << 6 | (s[i] & 0x3f);
	}
	if ((k == 2 && cp < 0x800) || (k == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
	    (cp >= 0xd800 && cp <= 0xdfff))
		return -1; /* overlong, out of range or a surrogate */
	*len = k + 1;
	return cp;
}

int tz_utf8_encode(long cp, char out[4])
{
	if (cp < 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	if (cp < 0x80) {
		out[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | cp >> 6);
		out[1] = (char)(0x80 | (cp & 0x3f));
		return 2;
	}
	if (cp < 0x10000) {
		out[0] = (char)(0xe0 | cp >> 12);
		out[1] = (char)(0x80 | (cp >> 6 & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		return 3;
	}
	out[0] = (char)(0xf0 | cp >> 18);
	out[1] = (char)(0x80 | (cp >> 12 & 0x3f));
	out[2] = (char)(0x80 | (cp >> 6 & 0x3f));
	out[3] = (char)(0x80 | (cp & 0x3f));
	return 4;
}

/* The same rules as tz_utf8_decode (no overlong forms, surrogates or code
 * points past U+10FFFF: the Unicode standard's table 3-7 of well-formed
 * sequences), without computing code points, and ASCII eight bytes at a
 * time: every text field of every op merged or verified passes here. */
int tz_utf8_valid(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str, *e = s + len;

	while (s < e) {
		uint64_t w;
		if (e - s >= 8 && (memcpy(&w, s, 8), !(w & 0x8080808080808080ull))) {
			s += 8;
			continue;
		}
		unsigned c = *s, lo = 0x80, hi = 0xbf;
		if (c < 0x80) {
			s++;
		} else if (c < 0xc2) {
			return 0; /* a continuation byte, or an overlong two-byte form */
		} else if (c < 0xe0) {
			if (e - s < 2 || (s[1] & 0xc0) != 0x80)
				return 0;
			s += 2;
		} else if (c < 0xf0) {
			if (c == 0xe0)
				lo = 0xa0; /* overlong */
			else if (c == 0xed)
				hi = 0x9f; /* surrogates */
			if (e - s < 3 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80)
				return 0;
			s += 3;
		} else if (c < 0xf5) {
			if (c == 0xf0)
				lo = 0x90; /* overlong */
			else if (c == 0xf4)
				hi = 0x8f; /* past U+10FFFF */
			if (e - s < 4 || s[1] < lo || s[1] > hi || (s[2] & 0xc0) != 0x80 ||
			    (s[3] & 0xc0) != 0x80)
				return 0;
			s += 4;
		} else {
			return 0;
		}
	}
	return 1;
}

/* Characters in s[0..n), an invalid byte counting as one. */
long tz_utf8_count(const char *s, size_t n)
{
	size_t i = 0, l;
	long c = 0;

	while (i < n) {
		tz_utf8_decode(s + i, n - i, &l);
		i += l;
		c++;
	}
	return c;
}

int tz_utf8_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned char b = p[0], lo = 0x80, hi = 0xbf;
	int len;
	if (b < 0x80)
		return 1;
	if (b >= 0xc2 && b <= 0xdf)
		len = 2;
	else if (b == 0xe0)
		len = 3, lo = 0xa0;
	else if (b == 0xed)
		len = 3, hi = 0x9f;
	else if (b >= 0xe1 && b <= 0xef)
		len = 3;
	else if (b == 0xf0)
		len = 4, lo = 0x90;
	else if (b == 0xf4)
		len = 4, hi = 0x8f;
	else if (b >= 0xf1 && b <= 0xf3)
		len = 4;
	else
		return -1;
	for (int k = 1; k < len; k++) {
		if ((size_t)k >= n)
			return 0;
		if (p[k] < (k == 1 ? lo : 0x80) || p[k] > (k == 1 ? hi : 0xbf))
			return -1;
	}
	return len;
}

/* Columns on a terminal or in a report (East Asian wide characters two,
 * combining marks none), the same on every machine: no locale. */
static const struct {
	long lo, hi;
	int w;
} widths[] = {
	{0x0300, 0x036f, 0}, {0x200b, 0x200f, 0}, {0xfe00, 0xfe0f, 0}, {0xfeff, 0xfeff, 0},
	{0x1100, 0x115f, 2}, {0x2e80, 0x303e, 2}, {0x3041, 0x33ff, 2}, {0x3400, 0x4dbf, 2},
	{0x4e00, 0x9fff, 2}, {0xa000, 0xa4cf, 2}, {0xac00, 0xd7a3, 2}, {0xf900, 0xfaff, 2},
	{0xfe30, 0xfe4f, 2}, {0xff00, 0xff60, 2}, {0xffe0, 0xffe6, 2}, {0x20000, 0x3fffd, 2},
};

int tz_utf8_cp_width(long c)
{
	for (size_t i = 0; i < sizeof widths / sizeof widths[0]; i++)
		if (c >= widths[i].lo && c <= widths[i].hi)
			return widths[i].w;
	return 1; /* control characters are shown as '?' */
}

int tz_utf8_width(const char *s)
{
	int w = 0;
	size_t n = s ? strlen(s) : 0, l;
	for (size_t i = 0; i < n; i += l) {
		long c = tz_utf8_decode(s + i, n - i, &l);
		w += tz_utf8_cp_width(c < 0 ? 0xfffd : c);
	}
	return w;
}
