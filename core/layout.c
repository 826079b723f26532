/* layout.c - plain-text layout for the reports (report.c, platform.c): no
 * wider than 80 columns, CJK characters counted as two; and CSV fields. */
#include "layout.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "taizhang/err.h"
#include "taizhang/report.h"
#include "taizhang/utf8.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define TEXT_COLS 80

/* ---- display width ---- */

/* One UTF-8 character at s (NUL-terminated): its code point, U+FFFD for
 * an invalid byte, and its length. */
static uint32_t utf8_get(const unsigned char *s, int *len)
{
	size_t l;
	long c = tz_utf8_decode((const char *)s, strnlen((const char *)s, 4), &l);
	*len = (int)l;
	return c < 0 ? 0xfffd : (uint32_t)c;
}

static int cp_control(uint32_t c) { return c < 0x20 || (c >= 0x7f && c < 0xa0); }

/* ---- text output ---- */

/* Write s in exactly `cols` columns: cut (ending in "..") when wider,
 * padded on the left (right) or the right (!right).  Control characters
 * and invalid UTF-8 show as '?'. */
void tz_layout_fit(FILE *f, const char *s, int cols, int right)
{
	char buf[1024];
	size_t o = 0;
	int w = tz_utf8_width(s ? s : ""), used = 0, n;
	int room = w > cols ? cols - 2 : cols;
	if (room < 0)
		room = 0;
	for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p += n) {
		uint32_t c = utf8_get(p, &n);
		int cw = tz_utf8_cp_width(c);
		if (used + cw > room || o + 8 > sizeof buf)
			break;
		if (cp_control(c) || c == 0xfffd) {
			buf[o++] = '?';
			used += 1;
			continue;
		}
		memcpy(buf + o, p, (size_t)n);
		o += (size_t)n;
		used += cw;
	}
	if (w > cols) {
		while (used < cols - 2 && o + 1 < sizeof buf)
			buf[o++] = ' ', used++;
		if (cols >= 2) {
			memcpy(buf + o, "..", 2);
			o += 2;
			used += 2;
		}
	}
	buf[o] = '\0';
	if (right)
		fprintf(f, "%*s%s", cols - used > 0 ? cols - used : 0, "", buf);
	else
		fprintf(f, "%s%*s", buf, cols - used > 0 ? cols - used : 0, "");
}

void tz_layout_line(FILE *f, const char *s)
{
	int w = tz_utf8_width(s);
	tz_layout_fit(f, s, w > TEXT_COLS ? TEXT_COLS : w, 0);
	fputc('\n', f);
}

void tz_layout_rule(FILE *f, int cols)
{
	for (int i = 0; i < cols; i++)
		fputc('-', f);
	fputc('\n', f);
}

/* Wrap text to TEXT_COLS: break at a space, or before a wide character. */
void tz_layout_wrapped(FILE *f, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	while (*p) {
		int used = 0, n;
		const unsigned char *q = p, *brk = NULL;
		while (*q) {
			uint32_t c = utf8_get(q, &n);
			int cw = tz_utf8_cp_width(c);
			if (used + cw > TEXT_COLS)
				break;
			if (c == ' ' || cw == 2)
				brk = q;
			used += cw;
			q += n;
		}
		if (*q && brk && brk > p)
			q = brk;
		char line[1024];
		size_t len = (size_t)(q - p) < sizeof line - 1 ? (size_t)(q - p) : sizeof line - 1;
		memcpy(line, p, len);
		line[len] = '\0';
		tz_layout_line(f, line);
		p = q;
		while (*p == ' ')
			p++;
	}
}

/* A table: a key column, then columns that are cut into chunks no wider
 * than TEXT_COLS, each repeating the key column.  cells[r * ncols + c];
 * when has_total, the last row is the total, set off by a rule. */
void tz_layout_table(FILE *f, const char *keyhead, char **keys, int nrows, const tz_tcol *cols,
		      int ncols, char **cells, int has_total)
{
	enum { GAP = 2, KEYMAX = 24 };
	int kw = tz_utf8_width(keyhead), w[64];
	for (int r = 0; r < nrows; r++) {
		int k = tz_utf8_width(keys[r]);
		kw = k > kw ? k : kw;
	}
	kw = kw > KEYMAX ? KEYMAX : kw;
	if (ncols > N(w))
		ncols = N(w);
	for (int c = 0; c < ncols; c++) {
		w[c] = tz_utf8_width(cols[c].head);
		for (int r = 0; r < nrows; r++) {
			int k = tz_utf8_width(cells[r * ncols + c]);
			w[c] = k > w[c] ? k : w[c];
		}
		if (w[c] > TEXT_COLS - kw - GAP)
			w[c] = TEXT_COLS - kw - GAP;
	}
	for (int c0 = 0, c1; c0 < ncols; c0 = c1) {
		int width = kw;
		for (c1 = c0; c1 < ncols && width + GAP + w[c1] <= TEXT_COLS; c1++)
			width += GAP + w[c1];
		if (c1 == c0)
			width += GAP + w[c1++];
		if (c0)
			fputc('\n', f);
		tz_layout_fit(f, keyhead, kw, 0);
		for (int c = c0; c < c1; c++) {
			fprintf(f, "%*s", GAP, "");
			tz_layout_fit(f, cols[c].head, w[c], !cols[c].left);
		}
		fputc('\n', f);
		tz_layout_rule(f, width);
		for (int r = 0; r < nrows; r++) {
			if (has_total && r == nrows - 1 && nrows > 1)
				tz_layout_rule(f, width);
			tz_layout_fit(f, keys[r], kw, 0);
			for (int c = c0; c < c1; c++) {
				fprintf(f, "%*s", GAP, "");
				tz_layout_fit(f, cells[r * ncols + c], w[c], !cols[c].left);
			}
			fputc('\n', f);
		}
	}
}
