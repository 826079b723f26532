/* validate.c - field validation and normalisation.
 *
 * Pure functions: no database, no printing, no state.  Every refusal is one
 * line naming the field, the (escaped, shortened) input and the rule broken.
 * Code-like values (ID numbers, credit codes, dates, phones, region codes,
 * integers) may be typed with full-width forms (０-９, Ｘ, －), as a Chinese
 * input method produces them; they are folded to ASCII first.
 */
#include "taizhang/validate.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/oplog.h" /* tz_wall_ms */

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Input echoed in messages: at most SHOW_CHARS characters, each escape at
 * most 6 bytes, then "...". */
#define SHOW_CHARS 40
#define SHOW_MAX (SHOW_CHARS * 6 + 8)
/* Folded code-like input; anything longer is refused as too long. */
#define FOLD_MAX 128

#define DATE_MIN "1900-01-01"
#define DATE_MAX "2200-12-31"

static const char idnum_checks[] = "10X98765432";
static const unsigned char idnum_weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6,
						3, 7, 9, 10, 5, 8, 4, 2};

static const char credit_chars[] = "0123456789ABCDEFGHJKLMNPQRTUWXY";
static const unsigned char credit_weights[17] = {1,  3,  9,  27, 19, 26, 16, 17, 20,
						 29, 25, 13, 8,  24, 10, 30, 28};

/* GB/T 2260 province-level codes. */
static const unsigned char provinces[] = {
	11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42,
	43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65, 71, 81, 82,
};

/* ---- UTF-8 ---- */

/* Decode the sequence at s[0..n): its code point and length, or -1 (and
 * length 1) if the bytes there are not valid UTF-8. */
static long u8_decode(const char *str, size_t n, size_t *len)
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

/* The same rules as u8_decode (no overlong forms, surrogates or code
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
static long u8_count(const char *s, size_t n)
{
	size_t i = 0, l;
	long c = 0;

	while (i < n) {
		u8_decode(s + i, n - i, &l);
		i += l;
		c++;
	}
	return c;
}

/* C0, DEL and C1 controls. */
static int is_control(long cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f);
}

/* ---- input handling ---- */

static int is_space(char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

#define IDEO_SPACE "\xe3\x80\x80" /* U+3000 */

/* Trim ASCII white space and U+3000 from both ends of s[0..*n). */
static void trim(const char **s, size_t *n)
{
	for (;;) {
		if (*n && is_space(**s)) {
			++*s;
			--*n;
		} else if (*n >= 3 && memcmp(*s, IDEO_SPACE, 3) == 0) {
			*s += 3;
			*n -= 3;
		} else {
			break;
		}
	}
	for (;;) {
		if (*n && is_space((*s)[*n - 1]))
			--*n;
		else if (*n >= 3 && memcmp(*s + *n - 3, IDEO_SPACE, 3) == 0)
			*n -= 3;
		else
			break;
	}
}

/* Write s[0..n) for a message: control characters, C1 characters, line
 * separators and invalid bytes escaped, cut after SHOW_CHARS characters. */
static void show(const char *s, size_t n, char out[SHOW_MAX])
{
	size_t i = 0, o = 0, l;
	int chars = 0;

	while (i < n) {
		long cp = u8_decode(s + i, n - i, &l);

		if (chars++ == SHOW_CHARS) {
			memcpy(out + o, "...", 3);
			o += 3;
			break;
		}
		if (cp == '\n' || cp == '\t' || cp == '\r') {
			out[o++] = '\\';
			out[o++] = cp == '\n' ? 'n' : cp == '\t' ? 't' : 'r';
		} else if (cp < 0 || cp < 0x20 || cp == 0x7f) {
			o += (size_t)snprintf(out + o, SHOW_MAX - o, "\\x%02X",
					      (unsigned)(unsigned char)s[i]);
		} else if (is_control(cp) || cp == 0x2028 || cp == 0x2029) {
			o += (size_t)snprintf(out + o, SHOW_MAX - o, "\\u%04lX", cp);
		} else {
			memcpy(out + o, s + i, l);
			o += l;
		}
		i += l;
	}
	out[o] = '\0';
}

/* One code-like value: trimmed, shown and folded to ASCII. */
typedef struct {
	const char *s; /* trimmed input */
	size_t n;
	char show[SHOW_MAX];
	char b[FOLD_MAX]; /* folded copy, NUL-terminated */
	int len;          /* its length, -1 if it did not fit */
} tz_input;

static void input_init(tz_input *in, const char *s)
{
	size_t i, o = 0, l;

	in->s = s ? s : "";
	in->n = strlen(in->s);
	trim(&in->s, &in->n);
	show(in->s, in->n, in->show);
	in->len = -1;
	in->b[0] = '\0';
	for (i = 0; i < in->n; i += l) {
		long cp = u8_decode(in->s + i, in->n - i, &l);

		if (o + l >= sizeof in->b)
			return;
		if (cp >= 0xff01 && cp <= 0xff5e) /* full-width ASCII forms */
			in->b[o++] = (char)(cp - 0xfee0);
		else if (cp == 0x3000)
			in->b[o++] = ' ';
		else {
			memcpy(in->b + o, in->s + i, l);
			o += l;
		}
	}
	in->b[o] = '\0';
	in->len = (int)o;
}

/* Characters in the folded input (or the raw input if it did not fit). */
static long input_chars(const tz_input *in)
{
	return in->len < 0 ? u8_count(in->s, in->n) : u8_count(in->b, (size_t)in->len);
}

static int is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static int all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!is_digit(s[i]))
			return 0;
	return 1;
}

/* First non-digit in s[0..n), as a 1-based character position; 0 if none. */
static long first_nondigit(const char *s, size_t n)
{
	size_t i = 0, l;
	long pos = 1;

	for (; i < n; i += l, pos++) {
		u8_decode(s + i, n - i, &l);
		if (l != 1 || !is_digit(s[i]))
			return pos;
	}
	return 0;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (is_digit(s[i]) ? s[i] - '0' : 0);
	return v;
}

static tz_status fail_empty(const char *name, tz_err *err)
{
	return tz_fail(err, TZ_EINVAL, "%s: must not be empty", "%s：不能为空", name);
}

static tz_status fail_nomem(tz_err *err)
{
	return tz_fail(err, TZ_ENOMEM, "out of memory", "内存不足");
}

/* ---- dates ---- */

static int is_leap(long y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int month_days(long y, int m)
{
	static const unsigned char days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};

	return m == 2 && is_leap(y) ? 29 : days[m - 1];
}

static int date_real(long y, int m, int d)
{
	return m >= 1 && m <= 12 && d >= 1 && d <= month_days(y, m);
}

/* Days since 1970-01-01 (H. Hinnant's days_from_civil). */
static long days_from_civil(long y, long m, long d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void civil_from_days(long z, long *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = yoe + era * 400 + (*m <= 2);
}

long tz_date_days(const char *ymd)
{
	if (!ymd || strnlen(ymd, 10) < 10)
		return 0;
	return days_from_civil(num(ymd, 4), num(ymd + 5, 2), num(ymd + 8, 2));
}

void tz_days_date(long days, char out[11])
{
	long y;
	int m, d;

	/* 0000-01-01 .. 9999-12-31 so the year has four digits */
	if (days < -719528)
		days = -719528;
	if (days > 2932896)
		days = 2932896;
	civil_from_days(days, &y, &m, &d);
	out[0] = (char)('0' + y / 1000);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[4] = '-';
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
	out[7] = '-';
	out[8] = (char)('0' + d / 10);
	out[9] = (char)('0' + d % 10);
	out[10] = '\0';
}

/* Today's local date in days since 1970-01-01, from tz_wall_ms() so that
 * TAIZHANG_NOW fixes it in tests. */
static long today_days(void)
{
	int64_t ms = tz_wall_ms();
	int64_t sec = ms / 1000 - (ms % 1000 < 0);
	time_t t = (time_t)sec;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return (long)(sec / 86400 - (sec % 86400 < 0));
	return days_from_civil(tm.tm_year + 1900L, tm.tm_mon + 1L, tm.tm_mday);
}

static tz_status date_do(const char *name, const char *s, char out[11], tz_err *err)
{
	tz_input in;
	const char *b = in.b;
	long y;
	int m, d;

	input_init(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	if (in.len != 10 || b[4] != '-' || b[7] != '-' || !all_digits(b, 4) ||
	    !all_digits(b + 5, 2) || !all_digits(b + 8, 2))
		return tz_fail(err, TZ_EINVAL, "%s %s: not a date in the form YYYY-MM-DD",
			       "%s %s：日期格式应为 YYYY-MM-DD", name, in.show);
	y = num(b, 4);
	m = num(b + 5, 2);
	d = num(b + 8, 2);
	if (!date_real(y, m, d))
		return tz_fail(err, TZ_EINVAL, "%s %s: no such date", "%s %s：日期不存在",
			       name, in.show);
	if (strcmp(b, DATE_MIN) < 0 || strcmp(b, DATE_MAX) > 0)
		return tz_fail(err, TZ_EINVAL, "%s %s: must be between %s and %s",
			       "%s %s：应在 %s 至 %s 之间", name, in.show, DATE_MIN, DATE_MAX);
	memcpy(out, b, 11);
	return TZ_OK;
}

tz_status tz_valid_date(const char *in, char out[11], tz_err *err)
{
	return date_do(tz_tr("Date", "日期"), in, out, err);
}

tz_status tz_valid_period(const char *s, char out[8], tz_err *err)
{
	const char *name = tz_tr("Period", "年月");
	tz_input in;
	const char *b = in.b;
	int y, m;

	input_init(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	if (in.len != 7 || b[4] != '-' || !all_digits(b, 4) || !all_digits(b + 5, 2))
		return tz_fail(err, TZ_EINVAL, "%s %s: not a month in the form YYYY-MM",
			       "%s %s：年月格式应为 YYYY-MM", name, in.show);
	y = num(b, 4);
	m = num(b + 5, 2);
	if (m < 1 || m > 12)
		return tz_fail(err, TZ_EINVAL, "%s %s: month must be 01 to 12",
			       "%s %s：月份应为 01 至 12", name, in.show);
	if (y < 1900 || y > 2200)
		return tz_fail(err, TZ_EINVAL, "%s %s: must be between 1900-01 and 2200-12",
			       "%s %s：应在 1900-01 至 2200-12 之间", name, in.show);
	memcpy(out, b, 8);
	return TZ_OK;
}

/* ---- ID numbers (GB 11643) ---- */

int tz_province_valid(int code)
{
	for (size_t i = 0; i < N(provinces); i++)
		if (provinces[i] == code)
			return 1;
	return 0;
}

char tz_idnum_check_char(const char *first17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		if (!is_digit(first17[i]))
			return 0;
		sum += (first17[i] - '0') * idnum_weights[i];
	}
	return idnum_checks[sum % 11];
}

static tz_status idnum_do(const char *name, const char *s, char out[19], char birth[11],
			  char *gender, tz_err *err)
{
	tz_input in;
	const char *b = in.b;
	char id[19], ymd[11], check;
	long y, nchars, pos;
	int m, d;

	input_init(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	nchars = input_chars(&in);
	if (in.len < 0 || (nchars != 18 && nchars != 15))
		return tz_fail(err, TZ_EINVAL,
			       "%s %s: must have 18 characters (or 15 digits for an old number), not %ld",
			       "%s %s：应为 18 位（旧号码为 15 位数字），实为 %ld 位", name,
			       in.show, nchars);
	/* 18: 17 digits and a digit or X; 15: digits only */
	pos = first_nondigit(b, (size_t)in.len);
	if (pos == 18 && (b[17] == 'x' || b[17] == 'X'))
		pos = 0;
	if (pos)
		return tz_fail(err, TZ_EINVAL, "%s %s: character %ld must be a digit%s",
			       "%s %s：第 %ld 位应为数字%s", name, in.show, pos,
			       pos == 18 ? tz_tr(" or X", "或 X") : "");
	if (nchars == 15) {
		memcpy(id, b, 6);
		memcpy(id + 6, "19", 2);
		memcpy(id + 8, b + 6, 9);
		id[17] = tz_idnum_check_char(id);
	} else {
		memcpy(id, b, 18);
		if (id[17] == 'x')
			id[17] = 'X';
	}
	id[18] = '\0';

	if (!tz_province_valid(num(id, 2)))
		return tz_fail(err, TZ_EINVAL, "%s %s: %.2s is not a province code",
			       "%s %s：前两位 %.2s 不是有效的省级行政区划代码", name, in.show,
			       id);

	y = num(id + 6, 4);
	m = num(id + 10, 2);
	d = num(id + 12, 2);
	snprintf(ymd, sizeof ymd, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
	if (!date_real(y, m, d))
		return tz_fail(err, TZ_EINVAL, "%s %s: birth date %s does not exist",
			       "%s %s：出生日期 %s 不存在", name, in.show, ymd);
	if (y < 1900)
		return tz_fail(err, TZ_EINVAL, "%s %s: birth date %s is before 1900",
			       "%s %s：出生日期 %s 早于 1900 年", name, in.show, ymd);
	if (days_from_civil(y, m, d) > today_days())
		return tz_fail(err, TZ_EINVAL, "%s %s: birth date %s is in the future",
			       "%s %s：出生日期 %s 晚于今天", name, in.show, ymd);

	check = tz_idnum_check_char(id);
	if (id[17] != check)
		return tz_fail(err, TZ_EINVAL, "%s %s: wrong check character (expected %c)",
			       "%s %s：校验码错误（应为 %c）", name, in.show, check);

	memcpy(out, id, 19);
	if (birth)
		memcpy(birth, ymd, 11);
	if (gender)
		*gender = (id[16] - '0') % 2 ? 'M' : 'F';
	return TZ_OK;
}

tz_status tz_valid_idnum(const char *in, char out[19], char birth[11], char *gender,
			 tz_err *err)
{
	return idnum_do(tz_tr("ID number", "身份证号"), in, out, birth, gender, err);
}

/* ---- credit codes (GB 32100) ---- */

static int credit_index(char c)
{
	const char *p;

	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	p = c ? strchr(credit_chars, c) : NULL;
	return p ? (int)(p - credit_chars) : -1;
}

char tz_credit_check_char(const char *first17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		int v = credit_index(first17[i]);

		if (v < 0)
			return 0;
		sum += v * credit_weights[i];
	}
	return credit_chars[(31 - sum % 31) % 31];
}

static tz_status credit_do(const char *name, const char *s, char out[19], tz_err *err)
{
	tz_input in;
	char code[19], check;
	long nchars;

	input_init(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	nchars = input_chars(&in);
	if (in.len < 0 || nchars != 18)
		return tz_fail(err, TZ_EINVAL, "%s %s: must have 18 characters, not %ld",
			       "%s %s：应为 18 位，实为 %ld 位", name, in.show, nchars);
	for (int i = 0, j = 0; i < 18; i++) {
		size_t l;
		char c = in.b[j];

		u8_decode(in.b + j, (size_t)in.len - (size_t)j, &l);
		j += (int)l;
		if (l != 1)
			c = '?'; /* not ASCII */
		else if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (credit_index(c) < 0) {
			if (c == 'I' || c == 'O' || c == 'S' || c == 'V' || c == 'Z')
				return tz_fail(err, TZ_EINVAL,
					       "%s %s: character %d is %c; I, O, S, V and Z are not used",
					       "%s %s：第 %d 位为 %c；代码中不使用 I、O、S、V、Z",
					       name, in.show, i + 1, c);
			return tz_fail(err, TZ_EINVAL,
				       "%s %s: character %d must be a digit or a capital letter",
				       "%s %s：第 %d 位应为数字或大写字母", name, in.show, i + 1);
		}
		code[i] = c;
	}
	code[18] = '\0';
	check = tz_credit_check_char(code);
	if (code[17] != check)
		return tz_fail(err, TZ_EINVAL, "%s %s: wrong check character (expected %c)",
			       "%s %s：校验码错误（应为 %c）", name, in.show, check);
	memcpy(out, code, 19);
	return TZ_OK;
}

tz_status tz_valid_credit(const char *in, char out[19], tz_err *err)
{
	return credit_do(tz_tr("Credit code", "统一社会信用代码"), in, out, err);
}

/* ---- phone numbers ---- */

static tz_status phone_bad(const char *name, const tz_input *in, tz_err *err)
{
	return tz_fail(err, TZ_EINVAL,
		       "%s %s: not a mobile number (11 digits, 13x-19x) or a fixed-line number (0 and area code, then 7-8 digits)",
		       "%s %s：不是手机号（11 位，13x-19x）或固定电话（0 加区号，再加 7-8 位号码）",
		       name, in->show);
}

static tz_status phone_do(const char *name, const char *s, char out[24], tz_err *err)
{
	tz_input in;
	const char *p;
	char dg[32];
	int nd = 0, split = -1, intl = 0, paren = 0, area;

	input_init(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	if (in.len < 0)
		return phone_bad(name, &in, err);
	p = in.b;
	if (strncmp(p, "+86", 3) == 0) {
		p += 3;
		intl = 1;
	} else if (strncmp(p, "86", 2) == 0 && (p[2] == '-' || p[2] == ' ')) {
		p += 3;
		intl = 1;
	} else if (*p == '+') {
		return tz_fail(err, TZ_EINVAL, "%s %s: only Chinese numbers (+86) are accepted",
			       "%s %s：只接受中国大陆号码（+86）", name, in.show);
	}
	while (*p == ' ' || *p == '-')
		p++;
	/* digits; the first '-' or ')' after some digits marks the area code */
	for (; *p; p++) {
		if (is_digit(*p)) {
			if (nd == 20)
				return phone_bad(name, &in, err);
			dg[nd++] = *p;
		} else if (*p == '(' && nd == 0 && !paren) {
			paren = 1;
		} else if (*p == ')' && paren == 1 && nd > 0) {
			paren = 2;
			split = nd;
		} else if (*p == '-') {
			if (split < 0 && nd > 0)
				split = nd;
		} else if (*p != ' ') {
			return tz_fail(err, TZ_EINVAL,
				       "%s %s: only digits, spaces and dashes are allowed",
				       "%s %s：只能包含数字、空格和短横线", name, in.show);
		}
	}
	if (paren == 1)
		return phone_bad(name, &in, err);
	dg[nd] = '\0';

	if (!intl && nd == 13 && strncmp(dg, "861", 3) == 0) {
		memmove(dg, dg + 2, 12); /* 86 before a mobile number */
		nd -= 2;
		split = -1;
	}
	if (intl && nd > 0 && dg[0] != '0' && !(nd == 11 && dg[0] == '1')) {
		/* +86 10 1234 5678: the trunk 0 is dropped abroad */
		memmove(dg + 1, dg, (size_t)nd + 1);
		dg[0] = '0';
		nd++;
		if (split > 0)
			split++;
	}

	if (nd == 11 && dg[0] == '1') {
		if (dg[1] < '3')
			return tz_fail(err, TZ_EINVAL,
				       "%s %s: mobile numbers start with 13 to 19",
				       "%s %s：手机号应以 13 至 19 开头", name, in.show);
		memcpy(out, dg, 12);
		return TZ_OK;
	}
	if (nd < 2 || dg[0] != '0' || dg[1] == '0')
		return phone_bad(name, &in, err);
	/* 010 and 02x have two digits after the 0, all other area codes three */
	area = dg[1] == '1' || dg[1] == '2' ? 3 : 4;
	if (split > 0 && split != area)
		return tz_fail(err, TZ_EINVAL, "%s %s: the area code should be %.*s",
			       "%s %s：区号应为 %.*s", name, in.show, area, dg);
	if (nd - area < 7 || nd - area > 8)
		return tz_fail(err, TZ_EINVAL,
			       "%s %s: the number after area code %.*s must have 7 or 8 digits",
			       "%s %s：区号 %.*s 之后的号码应为 7 或 8 位", name, in.show, area,
			       dg);
	if (split > 0)
		snprintf(out, 24, "%.*s-%s", area, dg, dg + area);
	else
		memcpy(out, dg, (size_t)nd + 1);
	return TZ_OK;
}

tz_status tz_valid_phone(const char *in, char out[24], tz_err *err)
{
	return phone_do(tz_tr("Phone number", "电话号码"), in, out, err);
}

/* ---- region codes ---- */

static tz_status region_do(const char *name, const char *s, char out[13], tz_err *err)
{
	tz_input in;

	input_init(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	if (in.len != 12 || !all_digits(in.b, 12))
		return tz_fail(err, TZ_EINVAL, "%s %s: must be 12 digits",
			       "%s %s：应为 12 位数字", name, in.show);
	if (!tz_province_valid(num(in.b, 2)))
		return tz_fail(err, TZ_EINVAL, "%s %s: %.2s is not a province code",
			       "%s %s：前两位 %.2s 不是有效的省级行政区划代码", name, in.show,
			       in.b);
	memcpy(out, in.b, 13);
	return TZ_OK;
}

tz_status tz_valid_region(const char *in, char out[13], tz_err *err)
{
	return region_do(tz_tr("Region code", "区划代码"), in, out, err);
}

/* ---- fields ---- */

static char *dupn(const char *s, size_t n)
{
	char *p = malloc(n + 1);

	if (p) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

static const char *code_label(const tz_code *c)
{
	const char *l = tz_tr(c->en, c->zh);

	return l ? l : c->code;
}

/* "code (label), ..." in the current language, cut to fit buf. */
static void code_list(const tz_code *codes, char *buf, size_t cap)
{
	const char *sep = tz_tr(", ", "、");
	size_t o = 0;

	buf[0] = '\0';
	for (const tz_code *c = codes; c && c->code; c++) {
		const char *l = code_label(c);
		char item[160];
		int k;

		if (strcmp(l, c->code) == 0)
			k = snprintf(item, sizeof item, "%s%s", o ? sep : "", c->code);
		else
			k = snprintf(item, sizeof item, "%s%s%s%s%s", o ? sep : "", c->code,
				     tz_tr(" (", "（"), l, tz_tr(")", "）"));
		if (k < 0 || (size_t)k >= sizeof item || o + (size_t)k + 6 >= cap) {
			snprintf(buf + o, cap - o, "%s...", o ? sep : "");
			return;
		}
		memcpy(buf + o, item, (size_t)k + 1);
		o += (size_t)k;
	}
}

static tz_status fail_code(const char *name, const tz_code *codes, const char *s, size_t n,
			   tz_err *err)
{
	char d[SHOW_MAX], list[220];

	show(s, n, d);
	code_list(codes, list, sizeof list);
	return tz_fail(err, TZ_EINVAL, "%s %s: not an allowed value (allowed: %s)",
		       "%s %s：不是可选值（可选：%s）", name, d, list);
}

static int code_index(const tz_code *codes, const tz_code *c)
{
	for (int i = 0; codes[i].code; i++)
		if (strcmp(codes[i].code, c->code) == 0)
			return i;
	return -1;
}

/* Length of the set separator at s ("," "，" "、"), 0 if none. */
static size_t set_sep(const char *s)
{
	if (*s == ',')
		return 1;
	if (strncmp(s, "\xef\xbc\x8c", 3) == 0 || strncmp(s, "\xe3\x80\x81", 3) == 0)
		return 3;
	return 0;
}

static tz_status set_do(const char *name, const tz_field *f, char *v, char **out,
			tz_err *err)
{
	const tz_code *c;
	char *sel, *res, *o;
	size_t nc = 0, len = 0;
	int idx;

	for (c = f->codes; c && c->code; c++)
		nc++;
	sel = calloc(nc + 1, 1);
	if (!sel)
		return fail_nomem(err);
	if ((c = tz_code_find(f->codes, v)) && (idx = code_index(f->codes, c)) >= 0) {
		sel[idx] = 1; /* one label that itself contains a separator */
	} else {
		char *p = v;

		while (*p) {
			const char *e;
			size_t k, n;

			for (k = 0; p[k] && !set_sep(p + k); k++)
				;
			e = p;
			n = k;
			trim(&e, &n);
			p += k + (p[k] ? set_sep(p + k) : 0);
			if (!n)
				continue;
			v[(size_t)(e - v) + n] = '\0';
			c = tz_code_find(f->codes, e);
			idx = c ? code_index(f->codes, c) : -1;
			if (idx < 0) {
				free(sel);
				return fail_code(name, f->codes, e, n, err);
			}
			sel[idx] = 1;
		}
	}
	for (size_t i = 0; i < nc; i++)
		if (sel[i])
			len += strlen(f->codes[i].code) + 1;
	*out = NULL;
	if (len) {
		res = malloc(len);
		if (!res) {
			free(sel);
			return fail_nomem(err);
		}
		o = res;
		for (size_t i = 0; i < nc; i++) {
			if (!sel[i])
				continue;
			if (o != res)
				*o++ = ',';
			len = strlen(f->codes[i].code);
			memcpy(o, f->codes[i].code, len);
			o += len;
		}
		*o = '\0';
		*out = res;
	}
	free(sel);
	return TZ_OK;
}

static tz_status int_do(const char *name, const tz_field *f, const char *s, char **out,
			tz_err *err)
{
	tz_input in;
	const char *p;
	long v = 0;
	int neg = 0;

	input_init(&in, s);
	p = in.b;
	if (in.len > 0 && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	if (in.len <= 0 || !*p || !all_digits(p, strlen(p)))
		return tz_fail(err, TZ_EINVAL, "%s %s: not a whole number", "%s %s：应为整数",
			       name, in.show);
	for (; *p; p++) {
		int dgt = *p - '0';

		/* accumulate negatively: LONG_MIN has no positive twin */
		if (v < (LONG_MIN + dgt) / 10)
			goto range;
		v = v * 10 - dgt;
	}
	if (!neg) {
		if (v == LONG_MIN)
			goto range;
		v = -v;
	}
	if ((f->min || f->max) && (v < f->min || v > f->max))
		goto range;
	*out = malloc(24);
	if (!*out)
		return fail_nomem(err);
	snprintf(*out, 24, "%ld", v);
	return TZ_OK;
range:
	if (!f->min && !f->max)
		return tz_fail(err, TZ_EINVAL, "%s %s: number too large", "%s %s：数值过大",
			       name, in.show);
	return tz_fail(err, TZ_EINVAL, "%s %s: must be between %ld and %ld",
		       "%s %s：应在 %ld 至 %ld 之间", name, in.show, f->min, f->max);
}

static int ascii_ieq(const char *a, const char *b)
{
	for (; *a && *b; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;

		if (x != *b)
			return 0;
	}
	return *a == *b;
}

static tz_status bool_do(const char *name, const char *v, char **out, tz_err *err)
{
	static const char *const yes[] = {"1", "yes", "y", "true", "是"};
	static const char *const no[] = {"0", "no", "n", "false", "否"};
	const char *r = NULL;
	char d[SHOW_MAX];

	for (size_t i = 0; i < N(yes) && !r; i++) {
		if (ascii_ieq(v, yes[i]))
			r = "1";
		else if (ascii_ieq(v, no[i]))
			r = "0";
	}
	if (!r) {
		show(v, strlen(v), d);
		return tz_fail(err, TZ_EINVAL, "%s %s: must be yes or no (1/0, 是/否)",
			       "%s %s：应为 是 或 否（1/0、yes/no）", name, d);
	}
	*out = dupn(r, 1);
	return *out ? TZ_OK : fail_nomem(err);
}

static tz_status ref_do(const char *name, char *v, char **out, tz_err *err)
{
	size_t n = strlen(v);
	char d[SHOW_MAX];

	for (size_t i = 0; i < n && n == 32; i++) {
		char c = v[i];

		if (c >= 'A' && c <= 'F')
			v[i] = (char)(c - 'A' + 'a');
		else if (!is_digit(c) && !(c >= 'a' && c <= 'f'))
			n = 0;
	}
	if (n != 32) {
		show(v, strlen(v), d);
		return tz_fail(err, TZ_EINVAL, "%s %s: must be a 32-character hexadecimal id",
			       "%s %s：应为 32 位十六进制编号", name, d);
	}
	*out = dupn(v, 32);
	return *out ? TZ_OK : fail_nomem(err);
}

/* The trimmed text checked for UTF-8 and control characters, copied; a
 * CR before LF is dropped in multi-line fields.  *chars gets its length in
 * characters. */
static tz_status text_copy(const char *name, const tz_field *f, const char *s, size_t n,
			   char **out, long *chars, tz_err *err)
{
	int ml = (f->flags & TZ_F_MULTILINE) != 0;
	size_t i, l, o = 0;
	char d[SHOW_MAX], *v;

	*chars = 0;
	for (i = 0; i < n; i += l) {
		long cp = u8_decode(s + i, n - i, &l);

		if (cp < 0) {
			show(s, n, d);
			return tz_fail(err, TZ_EINVAL,
				       "%s %s: not valid UTF-8 text (bad byte at %zu)",
				       "%s %s：不是有效的 UTF-8 文本（第 %zu 字节有误）", name, d,
				       i + 1);
		}
		if (cp == '\r' && ml && i + 1 < n && s[i + 1] == '\n')
			continue;
		if (is_control(cp) && !(ml && (cp == '\n' || cp == '\t'))) {
			show(s, n, d);
			return tz_fail(err, TZ_EINVAL,
				       "%s %s: control character U+%04lX (character %ld) is not allowed%s",
				       "%s %s：不允许控制字符 U+%04lX（第 %ld 个字符）%s", name, d,
				       cp, *chars + 1,
				       ml ? "" : tz_tr("; the field is one line", "；此项只能填一行"));
		}
		++*chars;
	}
	v = malloc(n + 1);
	if (!v)
		return fail_nomem(err);
	for (i = 0; i < n; i++)
		if (!(s[i] == '\r' && i + 1 < n && s[i + 1] == '\n'))
			v[o++] = s[i];
	v[o] = '\0';
	*out = v;
	return TZ_OK;
}

/* *out = a copy of buf if st is TZ_OK. */
static tz_status put(tz_status st, const char *buf, char **out, tz_err *err)
{
	if (st == TZ_OK && !(*out = dupn(buf, strlen(buf))))
		st = fail_nomem(err);
	return st;
}

tz_status tz_valid_field(const tz_table *t, const tz_field *f, const char *in, char **out,
			 tz_err *err)
{
	const char *name = tz_tr(f->en, f->zh), *s = in ? in : "";
	size_t n = strlen(s);
	char *v = NULL, buf[24];
	const tz_code *c;
	long chars;
	tz_status st;

	(void)t;
	if (!name)
		name = f->name;
	*out = NULL;
	trim(&s, &n);
	if (!n)
		return TZ_OK;
	st = text_copy(name, f, s, n, &v, &chars, err);
	if (st != TZ_OK)
		return st;

	switch (f->type) {
	case TZ_T_TEXT:
		if (f->max > 0 && chars > f->max) {
			st = tz_fail(err, TZ_EINVAL, "%s: too long (%ld characters, at most %ld)",
				     "%s：过长（%ld 个字，最多 %ld 个）", name, chars, f->max);
			break;
		}
		*out = v;
		return TZ_OK;
	case TZ_T_INT:
		st = int_do(name, f, v, out, err);
		break;
	case TZ_T_DATE:
		st = put(date_do(name, v, buf, err), buf, out, err);
		break;
	case TZ_T_ENUM:
		c = tz_code_find(f->codes, v);
		st = c ? put(TZ_OK, c->code, out, err) : fail_code(name, f->codes, v, strlen(v), err);
		break;
	case TZ_T_SET:
		st = set_do(name, f, v, out, err);
		break;
	case TZ_T_REF:
		st = ref_do(name, v, out, err);
		break;
	case TZ_T_IDNUM:
		st = put(idnum_do(name, v, buf, NULL, NULL, err), buf, out, err);
		break;
	case TZ_T_CREDIT:
		st = put(credit_do(name, v, buf, err), buf, out, err);
		break;
	case TZ_T_PHONE:
		st = put(phone_do(name, v, buf, err), buf, out, err);
		break;
	case TZ_T_REGION:
		st = put(region_do(name, v, buf, err), buf, out, err);
		break;
	case TZ_T_BOOL:
		st = bool_do(name, v, out, err);
		break;
	default:
		st = tz_fail(err, TZ_EINVAL, "%s: unknown field type %d",
			     "%s：未知的字段类型 %d", name, (int)f->type);
		break;
	}
	free(v);
	return st;
}
