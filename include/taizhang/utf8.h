/* utf8.h - decoding and checking UTF-8 (base/utf8.c). */
#ifndef TAIZHANG_UTF8_H
#define TAIZHANG_UTF8_H

#include <stddef.h>

/* Decode the sequence at s[0..n) (n >= 1): its code point, and its length
 * in *len; or -1 with *len = 1 if the bytes there are not valid UTF-8. */
long tz_utf8_decode(const char *s, size_t n, size_t *len);
/* Encode code point cp (0..U+10FFFF, no surrogates) into out: its length,
 * 1..4; 0 (nothing written) for what is not a code point. */
int tz_utf8_encode(long cp, char out[4]);
/* The length of the sequence at s[0..n) (n >= 1): 1..4 if valid, 0 if it
 * is valid so far but cut short by n (a stream's next read completes it),
 * -1 if invalid. */
int tz_utf8_len(const char *s, size_t n);
/* 1 if s[0..len) is valid UTF-8. */
int tz_utf8_valid(const char *s, size_t len);
/* Characters in s[0..n), an invalid byte counting as one. */
long tz_utf8_count(const char *s, size_t n);

/* Display columns of a code point: 2 for CJK and other wide characters,
 * 0 for combining marks and zero-width ones, else 1 (a fixed table, not the
 * locale's wcwidth: reports look the same on every PC). */
int tz_utf8_cp_width(long cp);
/* Display columns of a UTF-8 string (an invalid byte counting as one). */
int tz_utf8_width(const char *s);

#endif
