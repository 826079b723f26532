/* bytes.c - hex. */
#include "taizhang/hex.h"

void tz_hex_encode(const uint8_t *in, int n, char *out)
{
	static const char digits[] = "0123456789abcdef";
	for (int i = 0; i < n; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * n] = '\0';
}

int tz_hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int tz_hex_decode(const char *in, uint8_t *out, int n)
{
	for (int i = 0; i < n; i++) {
		int hi = tz_hex_digit(in[2 * i]), lo = hi < 0 ? -1 : tz_hex_digit(in[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = (uint8_t)(hi << 4 | lo);
	}
	return in[2 * n] == '\0' ? 0 : -1;
}

