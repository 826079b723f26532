/* validate.c - field validation and normalisation: one value for one
 * field of the schema (text, integers, dates, code lists, sets, references,
 * and the code-like values of base/valid.c).
 *
 * Pure functions: no database, no printing, no state.  Every refusal is one
 * line naming the field, the (escaped, shortened) input and the rule broken.
 */
#include "taizhang/validate.h"

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/utf8.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define SHOW_MAX TZ_SHOW_MAX

static tz_status fail_nomem(tz_err *err)
{
	return tz_nomem(err);
}

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

	tz_valid_show(s, n, d);
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
	if ((c = tz_schema_code_find(f->codes, v)) && (idx = code_index(f->codes, c)) >= 0) {
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
			tz_valid_trim(&e, &n);
			p += k + (p[k] ? set_sep(p + k) : 0);
			if (!n)
				continue;
			v[(size_t)(e - v) + n] = '\0';
			c = tz_schema_code_find(f->codes, e);
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

	tz_valid_input(&in, s);
	p = in.b;
	if (in.len > 0 && (*p == '-' || *p == '+'))
		neg = *p++ == '-';
	if (in.len <= 0 || !*p || !tz_valid_all_digits(p, strlen(p)))
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
		tz_valid_show(v, strlen(v), d);
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
		else if (!tz_valid_is_digit(c) && !(c >= 'a' && c <= 'f'))
			n = 0;
	}
	if (n != 32) {
		tz_valid_show(v, strlen(v), d);
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
		long cp = tz_utf8_decode(s + i, n - i, &l);

		if (cp < 0) {
			tz_valid_show(s, n, d);
			return tz_fail(err, TZ_EINVAL,
				       "%s %s: not valid UTF-8 text (bad byte at %zu)",
				       "%s %s：不是有效的 UTF-8 文本（第 %zu 字节有误）", name, d,
				       i + 1);
		}
		if (cp == '\r' && ml && i + 1 < n && s[i + 1] == '\n')
			continue;
		if (tz_valid_is_control(cp) && !(ml && (cp == '\n' || cp == '\t'))) {
			tz_valid_show(s, n, d);
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

tz_status tz_validate_field(const tz_table *t, const tz_field *f, const char *in, char **out,
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
	tz_valid_trim(&s, &n);
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
		st = put(tz_valid_date_as(name, v, buf, err), buf, out, err);
		break;
	case TZ_T_ENUM:
		c = tz_schema_code_find(f->codes, v);
		st = c ? put(TZ_OK, c->code, out, err) : fail_code(name, f->codes, v, strlen(v), err);
		break;
	case TZ_T_SET:
		st = set_do(name, f, v, out, err);
		break;
	case TZ_T_REF:
		st = ref_do(name, v, out, err);
		break;
	case TZ_T_IDNUM:
		st = put(tz_valid_idnum_as(name, v, buf, NULL, NULL, err), buf, out, err);
		break;
	case TZ_T_CREDIT:
		st = put(tz_valid_credit_as(name, v, buf, err), buf, out, err);
		break;
	case TZ_T_PHONE:
		st = put(tz_valid_phone_as(name, v, buf, err), buf, out, err);
		break;
	case TZ_T_REGION:
		st = put(tz_valid_region_as(name, v, buf, err), buf, out, err);
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
