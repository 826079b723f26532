/* buf.c - the one growable buffer, and LEB128 varints.  A failed
 * allocation sets `failed` and later puts do nothing, so a caller checks
 * once at the end. */
#include "taizhang/buf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void tz_buf_free(tz_buf *b)
{
	free(b->buf);
	b->buf = NULL;
	b->len = b->cap = 0;
	b->failed = 0;
}

void tz_buf_put(tz_buf *b, const void *p, size_t n)
{
	if (b->failed)
		return;
	if (b->len + n > b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 64;
		while (cap < b->len + n)
			cap *= 2;
		uint8_t *nb = realloc(b->buf, cap);
		if (!nb) {
			b->failed = 1;
			return;
		}
		b->buf = nb;
		b->cap = cap;
	}
	if (n)
		memcpy(b->buf + b->len, p, n);
	b->len += n;
}

void *tz_buf_grow(void *items, size_t n, size_t *cap, size_t size)
{
	if (n < *cap)
		return items;
	size_t nc = *cap ? *cap * 2 : 16;
	if (nc <= n)
		nc = n + 1;
	if (!size || nc > SIZE_MAX / size)
		return NULL;
	void *p = realloc(items, nc * size);
	if (p)
		*cap = nc;
	return p;
}

void tz_buf_varint(tz_buf *b, uint64_t v)
{
	uint8_t tmp[10];
	int n = 0;
	do {
		tmp[n] = (uint8_t)(v & 0x7f);
		v >>= 7;
		if (v)
			tmp[n] |= 0x80;
		n++;
	} while (v);
	tz_buf_put(b, tmp, (size_t)n);
}

void tz_buf_str(tz_buf *b, const char *s)
{
	tz_buf_put(b, s, strlen(s));
}

void tz_buf_printf(tz_buf *b, const char *fmt, ...)
{
	char small[256];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if ((size_t)n < sizeof small) {
		tz_buf_put(b, small, (size_t)n);
		return;
	}
	/* room for the text and its NUL, which is not counted */
	tz_buf_put(b, NULL, 0);
	size_t need = b->len + (size_t)n + 1;
	if (!b->failed && need > b->cap) {
		uint8_t *nb = realloc(b->buf, need);
		if (!nb) {
			b->failed = 1;
			return;
		}
		b->buf = nb;
		b->cap = need;
	}
	if (b->failed)
		return;
	va_start(ap, fmt);
	vsnprintf((char *)b->buf + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *tz_buf_cstr(tz_buf *b)
{
	static const char nul = '\0';
	tz_buf_put(b, &nul, 1);
	if (b->failed)
		return NULL;
	b->len--;
	return (char *)b->buf;
}

int tz_buf_varint_get(const uint8_t *p, size_t len, size_t *pos, uint64_t *v)
{
	uint64_t r = 0;
	for (int shift = 0; shift < 64; shift += 7) {
		if (*pos >= len)
			return -1;
		uint8_t c = p[(*pos)++];
		if (shift == 63 && c > 1)
			return -1;
		r |= (uint64_t)(c & 0x7f) << shift;
		if (!(c & 0x80)) {
			*v = r;
			return 0;
		}
	}
	return -1;
}

