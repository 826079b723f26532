/* pinyin_table.h - the generated reading table (core/pinyin_table.c).
 *
 * Made by tools/gen-pinyin.py from Unihan; only core/pinyin.c reads it.
 * Per block, tz_pinyin_<block>[cp - first] is 0 (no reading), 1..nsyl (one
 * syllable, index code - 1) or nsyl + 1 + k (reading set k: four syllable
 * indexes in tz_pinyin_sets[4k..4k+3], unused ones 0xFFFF).  Syllable i is
 * the NUL-terminated string at tz_pinyin_pool + tz_pinyin_syl[i].
 */
#ifndef TAIZHANG_PINYIN_TABLE_H
#define TAIZHANG_PINYIN_TABLE_H

#include <stdint.h>

#define TZ_PINYIN_EXT_A_FIRST 0x3400
#define TZ_PINYIN_EXT_A_LAST 0x4DBF
#define TZ_PINYIN_URO_FIRST 0x4E00
#define TZ_PINYIN_URO_LAST 0x9FFF

extern const int tz_pinyin_nsyl;
extern const int tz_pinyin_nsets;
extern const char tz_pinyin_pool[];
extern const uint16_t tz_pinyin_syl[];
extern const uint16_t tz_pinyin_sets[];
extern const uint16_t tz_pinyin_ext_a[TZ_PINYIN_EXT_A_LAST - TZ_PINYIN_EXT_A_FIRST + 1];
extern const uint16_t tz_pinyin_uro[TZ_PINYIN_URO_LAST - TZ_PINYIN_URO_FIRST + 1];

#endif
