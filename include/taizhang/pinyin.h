/* pinyin.h - Mandarin readings of Chinese characters and of names.
 *
 * For search: typing `zs` finds 张三, `wangxm` finds 王小明.  Readings come
 * from Unihan (core/pinyin_table.c, made by tools/gen-pinyin.py), without
 * tones, ü written v.  A polyphonic character has all its modern readings,
 * and a name gets every combination of them, customary readings first,
 * capped.  The first character of a name is a surname and takes surname
 * readings where they differ (单 shan, 曾 zeng, 解 xie).  See docs/pinyin.md.
 */
#ifndef TAIZHANG_PINYIN_H
#define TAIZHANG_PINYIN_H

#include <stddef.h>
#include <stdint.h>

#define TZ_PINYIN_READINGS 4 /* most readings kept per character */
#define TZ_PINYIN_COMBOS 8   /* most spellings made of one text */
#define TZ_PINYIN_LEN 160    /* longest spelling, bytes with the NUL */
#define TZ_PINYIN_UNITS 32   /* units looked at; the rest of a text is ignored */
#define TZ_PINYIN_WORD 24    /* longest ASCII word kept, bytes with the NUL */

/* Readings of one code point, customary first; returns how many (0 when cp
 * is not a Han character the table knows).  The strings are static. */
int tz_pinyin_readings(uint32_t cp, const char *out[TZ_PINYIN_READINGS]);

enum {
	TZ_PINYIN_NAME = 1 << 0, /* a person's name: it begins with a surname */
};

/* A text cut into units: a Han character, a run of ASCII letters or digits
 * (a "word", lower-cased), or any other character (no spelling).  Spaces,
 * tabs, the ideographic space and name separators (· • ・ . - _ ') are not
 * units, nor are invalid UTF-8 bytes. */
typedef struct {
	size_t at, len; /* where in the text */
	int nalt;       /* spellings: 0 for a character without reading */
	const char *alt[TZ_PINYIN_READINGS]; /* Han: readings, customary first */
	char word[TZ_PINYIN_WORD];           /* ASCII word (then nalt is 1) */
} tz_pinyin_unit;

typedef struct {
	int n;
	tz_pinyin_unit u[TZ_PINYIN_UNITS];
} tz_pinyin_text;

void tz_pinyin_split(const char *utf8, size_t len, unsigned flags, tz_pinyin_text *out);

/* Spellings of units from..n-1: initials (one letter per unit: 张三 -> zs)
 * or full (zhangsan).  Every combination of the units' readings, those
 * with the fewest non-customary readings first, duplicates dropped, at most
 * TZ_PINYIN_COMBOS; empty when no unit from `from` on has a spelling. */
typedef struct {
	int n;
	char s[TZ_PINYIN_COMBOS][TZ_PINYIN_LEN];
} tz_pinyin_list;

void tz_pinyin_spell(const tz_pinyin_text *t, int from, int initials, tz_pinyin_list *out);

/* The two together for a NUL-terminated text. */
void tz_pinyin_initials(const char *utf8, unsigned flags, tz_pinyin_list *out);
void tz_pinyin_full(const char *utf8, unsigned flags, tz_pinyin_list *out);

/* Decode one UTF-8 character at s[*pos] (len bytes in all): the code point,
 * or -1 for an invalid byte (then *pos advances by one). */
int32_t tz_pinyin_utf8_next(const char *s, size_t len, size_t *pos);

#endif
