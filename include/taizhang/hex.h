/* hex.h - bytes as lowercase hex (base/hex.c). */
#ifndef TAIZHANG_HEX_H
#define TAIZHANG_HEX_H

#include <stdint.h>

void tz_hex_encode(const uint8_t *in, int n, char *out); /* writes 2n+1 bytes */
int tz_hex_decode(const char *in, uint8_t *out, int n); /* 0 ok, -1 bad */
int tz_hex_digit(char c);                          /* 0..15, or -1 */

#endif
