/* valid.c - the code-like values: national ID numbers, credit codes, dates,
 * periods, phone numbers, region codes; and the input handling that every
 * validator shares (trimming, folding, showing input in a message).
 *
 * Pure functions: no database, no printing, no state.  Every refusal is one
 * line naming the field, the (escaped, shortened) input and the rule broken.
 * Code-like values (ID numbers, credit codes, dates, phones, region codes,
 * integers) may be typed with full-width forms (０-９, Ｘ, －), as a Chinese
 * input method produces them; they are folded to ASCII first.
 */
#include "taizhang/valid.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/clock.h"
#include "taizhang/utf8.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define SHOW_CHARS TZ_SHOW_CHARS
#define SHOW_MAX TZ_SHOW_MAX

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

/* C0, DEL and C1 controls. */
int tz_valid_is_control(long cp)
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
void tz_valid_trim(const char **s, size_t *n)
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
void tz_valid_show(const char *s, size_t n, char out[TZ_SHOW_MAX])
{
	size_t i = 0, o = 0, l;
	int chars = 0;

	while (i < n) {
		long cp = tz_utf8_decode(s + i, n - i, &l);

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
		} else if (tz_valid_is_control(cp) || cp == 0x2028 || cp == 0x2029) {
			o += (size_t)snprintf(out + o, SHOW_MAX - o, "\\u%04lX", cp);
		} else {
			memcpy(out + o, s + i, l);
			o += l;
		}
		i += l;
	}
	out[o] = '\0';
}

void tz_valid_input(tz_input *in, const char *s)
{
	size_t i, o = 0, l;

	in->s = s ? s : "";
	in->n = strlen(in->s);
	tz_valid_trim(&in->s, &in->n);
	tz_valid_show(in->s, in->n, in->show);
	in->len = -1;
	in->b[0] = '\0';
	for (i = 0; i < in->n; i += l) {
		long cp = tz_utf8_decode(in->s + i, in->n - i, &l);

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
	return in->len < 0 ? tz_utf8_count(in->s, in->n) : tz_utf8_count(in->b, (size_t)in->len);
}

int tz_valid_is_digit(char c)
{
	return c >= '0' && c <= '9';
}

int tz_valid_all_digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!tz_valid_is_digit(s[i]))
			return 0;
	return 1;
}

/* First non-digit in s[0..n), as a 1-based character position; 0 if none. */
static long first_nondigit(const char *s, size_t n)
{
	size_t i = 0, l;
	long pos = 1;

	for (; i < n; i += l, pos++) {
		tz_utf8_decode(s + i, n - i, &l);
		if (l != 1 || !tz_valid_is_digit(s[i]))
			return pos;
	}
	return 0;
}

static int num(const char *s, int n)
{
	int v = 0;

	for (int i = 0; i < n; i++)
		v = v * 10 + (tz_valid_is_digit(s[i]) ? s[i] - '0' : 0);
	return v;
}

static tz_status fail_empty(const char *name, tz_err *err)
{
	return tz_fail(err, TZ_EINVAL, "%s: must not be empty", "%s：不能为空", name);
}

/* ---- dates ---- */


tz_status tz_valid_date_as(const char *name, const char *s, char out[11], tz_err *err)
{
	tz_input in;
	const char *b = in.b;
	long y;
	int m, d;

	tz_valid_input(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	if (in.len != 10 || b[4] != '-' || b[7] != '-' || !tz_valid_all_digits(b, 4) ||
	    !tz_valid_all_digits(b + 5, 2) || !tz_valid_all_digits(b + 8, 2))
		return tz_fail(err, TZ_EINVAL, "%s %s: not a date in the form YYYY-MM-DD",
			       "%s %s：日期格式应为 YYYY-MM-DD", name, in.show);
	y = num(b, 4);
	m = num(b + 5, 2);
	d = num(b + 8, 2);
	if (!tz_date_real(y, m, d))
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
	return tz_valid_date_as(tz_tr("Date", "日期"), in, out, err);
}

tz_status tz_valid_period(const char *s, char out[8], tz_err *err)
{
	const char *name = tz_tr("Period", "年月");
	tz_input in;
	const char *b = in.b;
	int y, m;

	tz_valid_input(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	if (in.len != 7 || b[4] != '-' || !tz_valid_all_digits(b, 4) || !tz_valid_all_digits(b + 5, 2))
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

int tz_valid_province(int code)
{
	for (size_t i = 0; i < N(provinces); i++)
		if (provinces[i] == code)
			return 1;
	return 0;
}

char tz_valid_idnum_check(const char *first17)
{
	int sum = 0;

	for (int i = 0; i < 17; i++) {
		if (!tz_valid_is_digit(first17[i]))
			return 0;
		sum += (first17[i] - '0') * idnum_weights[i];
	}
	return idnum_checks[sum % 11];
}

tz_status tz_valid_idnum_as(const char *name, const char *s, char out[19], char birth[11],
			  char *gender, tz_err *err)
{
	tz_input in;
	const char *b = in.b;
	char id[19], ymd[11], check;
	long y, nchars, pos;
	int m, d;

	tz_valid_input(&in, s);
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
		id[17] = tz_valid_idnum_check(id);
	} else {
		memcpy(id, b, 18);
		if (id[17] == 'x')
			id[17] = 'X';
	}
	id[18] = '\0';

	if (!tz_valid_province(num(id, 2)))
		return tz_fail(err, TZ_EINVAL, "%s %s: %.2s is not a province code",
			       "%s %s：前两位 %.2s 不是有效的省级行政区划代码", name, in.show,
			       id);

	y = num(id + 6, 4);
	m = num(id + 10, 2);
	d = num(id + 12, 2);
	snprintf(ymd, sizeof ymd, "%.4s-%.2s-%.2s", id + 6, id + 10, id + 12);
	if (!tz_date_real(y, m, d))
		return tz_fail(err, TZ_EINVAL, "%s %s: birth date %s does not exist",
			       "%s %s：出生日期 %s 不存在", name, in.show, ymd);
	if (y < 1900)
		return tz_fail(err, TZ_EINVAL, "%s %s: birth date %s is before 1900",
			       "%s %s：出生日期 %s 早于 1900 年", name, in.show, ymd);
	if (tz_date_from_civil(y, m, d) > tz_clock_today_days())
		return tz_fail(err, TZ_EINVAL, "%s %s: birth date %s is in the future",
			       "%s %s：出生日期 %s 晚于今天", name, in.show, ymd);

	check = tz_valid_idnum_check(id);
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
	return tz_valid_idnum_as(tz_tr("ID number", "身份证号"), in, out, birth, gender, err);
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

char tz_valid_credit_check(const char *first17)
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

tz_status tz_valid_credit_as(const char *name, const char *s, char out[19], tz_err *err)
{
	tz_input in;
	char code[19], check;
	long nchars;

	tz_valid_input(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	nchars = input_chars(&in);
	if (in.len < 0 || nchars != 18)
		return tz_fail(err, TZ_EINVAL, "%s %s: must have 18 characters, not %ld",
			       "%s %s：应为 18 位，实为 %ld 位", name, in.show, nchars);
	for (int i = 0, j = 0; i < 18; i++) {
		size_t l;
		char c = in.b[j];

		tz_utf8_decode(in.b + j, (size_t)in.len - (size_t)j, &l);
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
	check = tz_valid_credit_check(code);
	if (code[17] != check)
		return tz_fail(err, TZ_EINVAL, "%s %s: wrong check character (expected %c)",
			       "%s %s：校验码错误（应为 %c）", name, in.show, check);
	memcpy(out, code, 19);
	return TZ_OK;
}

tz_status tz_valid_credit(const char *in, char out[19], tz_err *err)
{
	return tz_valid_credit_as(tz_tr("Credit code", "统一社会信用代码"), in, out, err);
}

/* ---- phone numbers ---- */

static tz_status phone_bad(const char *name, const tz_input *in, tz_err *err)
{
	return tz_fail(err, TZ_EINVAL,
		       "%s %s: not a mobile number (11 digits, 13x-19x) or a fixed-line number (0 and area code, then 7-8 digits)",
		       "%s %s：不是手机号（11 位，13x-19x）或固定电话（0 加区号，再加 7-8 位号码）",
		       name, in->show);
}

tz_status tz_valid_phone_as(const char *name, const char *s, char out[24], tz_err *err)
{
	tz_input in;
	const char *p;
	char dg[32];
	int nd = 0, split = -1, intl = 0, paren = 0, area;

	tz_valid_input(&in, s);
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
		if (tz_valid_is_digit(*p)) {
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
	return tz_valid_phone_as(tz_tr("Phone number", "电话号码"), in, out, err);
}

/* ---- region codes ---- */

tz_status tz_valid_region_as(const char *name, const char *s, char out[13], tz_err *err)
{
	tz_input in;

	tz_valid_input(&in, s);
	if (!in.n)
		return fail_empty(name, err);
	if (in.len != 12 || !tz_valid_all_digits(in.b, 12))
		return tz_fail(err, TZ_EINVAL, "%s %s: must be 12 digits",
			       "%s %s：应为 12 位数字", name, in.show);
	if (!tz_valid_province(num(in.b, 2)))
		return tz_fail(err, TZ_EINVAL, "%s %s: %.2s is not a province code",
			       "%s %s：前两位 %.2s 不是有效的省级行政区划代码", name, in.show,
			       in.b);
	memcpy(out, in.b, 13);
	return TZ_OK;
}

tz_status tz_valid_region(const char *in, char out[13], tz_err *err)
{
	return tz_valid_region_as(tz_tr("Region code", "区划代码"), in, out, err);
}

/* ---- fields ---- */
