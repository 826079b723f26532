/* test_validate.c - field validation and normalisation. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/err.h"
#include "taizhang/schema.h"
#include "taizhang/validate.h"
#include "tz_test.h"

/* The fixed "today" for every test (see main). */
#define TODAY "2024-06-15"

/* ---- an independent GB 11643 implementation to build test numbers ---- */

static char id_check(const char *d17)
{
	static const int w[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
	int s = 0;

	for (int i = 0; i < 17; i++)
		s += (d17[i] - '0') * w[i];
	return "10X98765432"[s % 11];
}

/* region (6 digits) + birth (YYYYMMDD) + seq (3 digits) + check. */
static void make_id(const char *region, const char *ymd8, int seq, char out[19])
{
	snprintf(out, 19, "%.6s%.8s%03d", region, ymd8, seq % 1000);
	out[17] = id_check(out);
	out[18] = '\0';
}

/* The same number with a wrong check character. */
static void break_check(char id[19])
{
	id[17] = id[17] == '0' ? '1' : '0';
}

static char expect_err_buf[TZ_ERR_MAX];

/* The message of the last error, in the given language. */
static const char *msg_in(tz_lang lang, tz_status (*fn)(const char *, tz_err *), const char *in)
{
	tz_err err;
	tz_lang old = tz_lang_get();

	tz_err_clear(&err);
	tz_lang_set(lang);
	fn(in, &err);
	tz_lang_set(old);
	snprintf(expect_err_buf, sizeof expect_err_buf, "%s", err.msg);
	return expect_err_buf;
}

static tz_status idnum1(const char *in, tz_err *err)
{
	char out[19];
	return tz_valid_idnum(in, out, NULL, NULL, err);
}

static tz_status credit1(const char *in, tz_err *err)
{
	char out[19];
	return tz_valid_credit(in, out, err);
}

static tz_status date1(const char *in, tz_err *err)
{
	char out[11];
	return tz_valid_date(in, out, err);
}

static tz_status phone1(const char *in, tz_err *err)
{
	char out[24];
	return tz_valid_phone(in, out, err);
}

static tz_status region1(const char *in, tz_err *err)
{
	char out[13];
	return tz_valid_region(in, out, err);
}

static int has(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

static int one_line(const char *s)
{
	return !strchr(s, '\n') && !strchr(s, '\r') && !strchr(s, '\t');
}

/* ---- ID numbers ---- */

TEST(idnum_check_char)
{
	CHECK_INT(tz_valid_idnum_check("11010519491231002"), 'X');
	CHECK_INT(tz_valid_idnum_check("44052418800101001"), id_check("44052418800101001"));
	CHECK_INT(tz_valid_idnum_check("1101051949123100a"), 0);
	/* every check character shows up over a range of sequence numbers */
	{
		char seen[11] = {0}, id[19];
		for (int seq = 0; seq < 200; seq++) {
			make_id("350102", "19800101", seq, id);
			CHECK_INT(tz_valid_idnum_check(id), id[17]);
			seen[strchr("10X98765432", id[17]) - "10X98765432"] = 1;
		}
		for (int i = 0; i < 11; i++)
			CHECK(seen[i]);
	}
}

TEST(idnum_known_good)
{
	char out[19], birth[11], g = 0;
	tz_err err;

	CHECK_INT(tz_valid_idnum("11010519491231002X", out, birth, &g, &err), TZ_OK);
	CHECK_STR(out, "11010519491231002X");
	CHECK_STR(birth, "1949-12-31");
	CHECK_INT(g, 'F'); /* 17th digit 2 */

	/* lower-case x, surrounding spaces, ideographic space */
	memset(out, 0, sizeof out);
	CHECK_INT(tz_valid_idnum("  11010519491231002x\t", out, NULL, NULL, &err), TZ_OK);
	CHECK_STR(out, "11010519491231002X");
	CHECK_INT(tz_valid_idnum("\xe3\x80\x80" "11010519491231002x", out, NULL, NULL, &err),
		  TZ_OK);
	CHECK_STR(out, "11010519491231002X");

	/* full-width digits from a Chinese input method */
	CHECK_INT(tz_valid_idnum("１１０１０５１９４９１２３１００２Ｘ", out, birth, &g, &err),
		  TZ_OK);
	CHECK_STR(out, "11010519491231002X");
	CHECK_STR(birth, "1949-12-31");
}

TEST(idnum_generated)
{
	static const char *regions[] = {"110101", "310115", "440305", "650102",
					"710000", "810000", "820000", "150102"};
	static const char *dates[] = {"19000101", "19491001", "19600229", "19991231",
				      "20000229", "20120531", "20240615"};
	char id[19], out[19], birth[11], want[11], g;
	tz_err err;
	int n = 0;

	for (size_t r = 0; r < sizeof regions / sizeof regions[0]; r++)
		for (size_t d = 0; d < sizeof dates / sizeof dates[0]; d++)
			for (int seq = 1; seq <= 40; seq += 3) {
				make_id(regions[r], dates[d], seq, id);
				g = 0;
				CHECK_INT(tz_valid_idnum(id, out, birth, &g, &err), TZ_OK);
				CHECK_STR(out, id);
				snprintf(want, sizeof want, "%.4s-%.2s-%.2s", dates[d], dates[d] + 4,
					 dates[d] + 6);
				CHECK_STR(birth, want);
				CHECK_INT(g, seq % 2 ? 'M' : 'F');
				break_check(id);
				CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
				n++;
			}
	CHECK_INT(n, 8 * 7 * 14);
}

TEST(idnum_wrong_check)
{
	tz_err err;
	char out[19];

	CHECK_INT(tz_valid_idnum("110105194912310021", out, NULL, NULL, &err), TZ_EINVAL);
	CHECK_INT(err.status, TZ_EINVAL);
	CHECK_STR(msg_in(TZ_LANG_EN, idnum1, "110105194912310021"),
		  "ID number 110105194912310021: wrong check character (expected X)");
	CHECK_STR(msg_in(TZ_LANG_ZH, idnum1, "110105194912310021"),
		  "身份证号 110105194912310021：校验码错误（应为 X）");
	CHECK_STR(msg_in(TZ_LANG_EN, idnum1, "11010519491231002Y"),
		  "ID number 11010519491231002Y: character 18 must be a digit or X");
	/* a right-looking X on a number whose check is a digit */
	{
		char id[19];
		make_id("110105", "19800101", 11, id);
		CHECK(id[17] != 'X');
		char want[120];
		snprintf(want, sizeof want, "wrong check character (expected %c)", id[17]);
		id[17] = 'X';
		CHECK(has(msg_in(TZ_LANG_EN, idnum1, id), want));
	}
}

TEST(idnum_birth_date)
{
	char id[19], out[19];
	tz_err err;

	make_id("110105", "19900230", 1, id); /* Feb 30 */
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
	CHECK(has(msg_in(TZ_LANG_EN, idnum1, id), "birth date 1990-02-30 does not exist"));
	CHECK(has(msg_in(TZ_LANG_ZH, idnum1, id), "出生日期 1990-02-30 不存在"));

	make_id("110105", "19000230", 1, id); /* 1900 is not a leap year either */
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
	CHECK(has(err.msg, "1900-02-30"));
	make_id("110105", "19000229", 1, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
	make_id("110105", "20000229", 1, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_OK);
	make_id("110105", "19901301", 1, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
	make_id("110105", "19900100", 1, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
	make_id("110105", "19900431", 1, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);

	make_id("110105", "18991231", 1, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
	CHECK(has(msg_in(TZ_LANG_EN, idnum1, id), "birth date 1899-12-31 is before 1900"));

	/* today is fine, tomorrow is in the future (TAIZHANG_NOW) */
	make_id("110105", "20240615", 2, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_OK);
	make_id("110105", "20240616", 2, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
	CHECK(has(msg_in(TZ_LANG_EN, idnum1, id), "birth date 2024-06-16 is in the future"));
	CHECK(has(msg_in(TZ_LANG_ZH, idnum1, id), "出生日期 2024-06-16 晚于今天"));
	make_id("110105", "20250101", 2, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
	make_id("110105", "20990101", 2, id);
	CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
}

TEST(idnum_province)
{
	static const char *bad[] = {"000000", "100000", "160000", "240000", "380000",
				    "470000", "550000", "660000", "700000", "720000",
				    "800000", "830000", "900000", "990000"};
	char id[19], out[19];
	tz_err err;

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		make_id(bad[i], "19800101", 5, id);
		char want[40];
		snprintf(want, sizeof want, ": %.2s is not a province code", bad[i]);
		CHECK_INT(tz_valid_idnum(id, out, NULL, NULL, &err), TZ_EINVAL);
		CHECK(has(err.msg, want));
	}
	make_id("990101", "19800101", 5, id);
	CHECK(has(msg_in(TZ_LANG_EN, idnum1, id), ": 99 is not a province code"));
	CHECK(has(msg_in(TZ_LANG_ZH, idnum1, id), "前两位 99 不是有效的省级行政区划代码"));

	CHECK(tz_valid_province(11));
	CHECK(tz_valid_province(15));
	CHECK(tz_valid_province(23));
	CHECK(tz_valid_province(37));
	CHECK(tz_valid_province(46));
	CHECK(tz_valid_province(54));
	CHECK(tz_valid_province(65));
	CHECK(tz_valid_province(71));
	CHECK(tz_valid_province(81));
	CHECK(tz_valid_province(82));
	CHECK(!tz_valid_province(0));
	CHECK(!tz_valid_province(10));
	CHECK(!tz_valid_province(16));
	CHECK(!tz_valid_province(20));
	CHECK(!tz_valid_province(47));
	CHECK(!tz_valid_province(66));
	CHECK(!tz_valid_province(72));
	CHECK(!tz_valid_province(83));
	CHECK(!tz_valid_province(-11));
	CHECK(!tz_valid_province(111));
	{
		int n = 0;
		for (int c = -5; c < 200; c++)
			n += tz_valid_province(c);
		CHECK_INT(n, 34);
	}
}

TEST(idnum_15_digits)
{
	char out[19], birth[11], g = 0;
	tz_err err;

	CHECK_INT(tz_valid_idnum("110105491231002", out, birth, &g, &err), TZ_OK);
	CHECK_STR(out, "11010519491231002X");
	CHECK_STR(birth, "1949-12-31");
	CHECK_INT(g, 'F');

	CHECK_INT(tz_valid_idnum("440301800229123", out, birth, &g, &err), TZ_OK);
	{
		char want[19];
		make_id("440301", "19800229", 123, want);
		CHECK_STR(out, want);
	}
	CHECK_STR(birth, "1980-02-29");
	CHECK_INT(g, 'M');

	/* 1981 is not a leap year; 15-digit numbers have no X */
	CHECK_INT(tz_valid_idnum("440301810229123", out, NULL, NULL, &err), TZ_EINVAL);
	CHECK(has(err.msg, "1981-02-29"));
	CHECK_INT(tz_valid_idnum("44030180022912X", out, NULL, NULL, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_idnum("990301800229123", out, NULL, NULL, &err), TZ_EINVAL);
}

TEST(idnum_format)
{
	char out[19];
	tz_err err;

	CHECK_INT(tz_valid_idnum("", out, NULL, NULL, &err), TZ_EINVAL);
	CHECK_STR(msg_in(TZ_LANG_EN, idnum1, ""), "ID number: must not be empty");
	CHECK_STR(msg_in(TZ_LANG_ZH, idnum1, "  "), "身份证号：不能为空");
	CHECK_INT(tz_valid_idnum(NULL, out, NULL, NULL, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_idnum("1101051949123100", out, NULL, NULL, &err), TZ_EINVAL);
	CHECK_STR(msg_in(TZ_LANG_EN, idnum1, "1101051949123100"),
		  "ID number 1101051949123100: must have 18 characters (or 15 digits for an old number), not 16");
	CHECK_STR(msg_in(TZ_LANG_ZH, idnum1, "1101051949123100"),
		  "身份证号 1101051949123100：应为 18 位（旧号码为 15 位数字），实为 16 位");
	CHECK_INT(tz_valid_idnum("11010519491231002X1", out, NULL, NULL, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_idnum("1101051949-231002X", out, NULL, NULL, &err), TZ_EINVAL);
	CHECK_STR(msg_in(TZ_LANG_EN, idnum1, "1101051949-231002X"),
		  "ID number 1101051949-231002X: character 11 must be a digit");
	CHECK_STR(msg_in(TZ_LANG_EN, idnum1, "11010X19491231002X"),
		  "ID number 11010X19491231002X: character 6 must be a digit");
	/* a Chinese character counts as one character */
	CHECK_STR(msg_in(TZ_LANG_EN, idnum1, "1101051949123100中X"),
		  "ID number 1101051949123100中X: character 17 must be a digit");
	CHECK_INT(tz_valid_idnum("11010519491231 02X", out, NULL, NULL, &err), TZ_EINVAL);
}

TEST(message_escaping)
{
	const char *m;
	char in[300];

	/* control characters and invalid bytes are escaped, one line */
	m = msg_in(TZ_LANG_EN, idnum1, "1101\n0519491231\t002X");
	CHECK(one_line(m));
	CHECK(has(m, "1101\\n0519491231\\t002X"));
	m = msg_in(TZ_LANG_EN, idnum1, "11\x01\xff\xc2\x85");
	CHECK(one_line(m));
	CHECK(has(m, "11\\x01\\xFF\\u0085"));
	m = msg_in(TZ_LANG_EN, idnum1, "12\xe2\x80\xa8" "3");
	CHECK(has(m, "12\\u20283"));

	/* long input cut after 40 characters */
	memset(in, '7', 100);
	in[100] = '\0';
	m = msg_in(TZ_LANG_EN, idnum1, in);
	CHECK(has(m, "ID number 7777777777777777777777777777777777777777...: must have"));
	CHECK(!has(m, "77777777777777777777777777777777777777777"));
	CHECK(has(m, "not 100"));
	/* 100 Chinese characters: cut on a character boundary */
	in[0] = '\0';
	for (int i = 0; i < 90; i++)
		strcat(in, "中");
	m = msg_in(TZ_LANG_ZH, idnum1, in);
	CHECK(tz_utf8_valid(m, strlen(m)));
	CHECK(has(m, "中中...："));
	CHECK(has(m, "实为 90 位"));
}

/* ---- credit codes ---- */

TEST(credit_codes)
{
	static const char *good[] = {"91350100M000100Y43", "91110000600037341L",
				     "91440300708461136T", "91110108551385082Q",
				     "91310000MA1FL1MMXL",
				     "913501000000000240"}; /* sum mod 31 == 0 */
	char out[19];
	tz_err err;

	for (size_t i = 0; i < sizeof good / sizeof good[0]; i++) {
		memset(out, 0, sizeof out);
		CHECK_INT(tz_valid_credit(good[i], out, &err), TZ_OK);
		CHECK_STR(out, good[i]);
		CHECK_INT(tz_valid_credit_check(good[i]), good[i][17]);
	}
	CHECK_INT(tz_valid_credit_check("91350100M000100Y4"), '3');
	CHECK_INT(tz_valid_credit_check("91350100I000100Y4"), 0);
	CHECK_INT(tz_valid_credit_check("91350100-000100Y4"), 0);

	/* lower case is upper-cased; spaces trimmed; full-width folded */
	CHECK_INT(tz_valid_credit(" 91350100m000100y43 ", out, &err), TZ_OK);
	CHECK_STR(out, "91350100M000100Y43");
	CHECK_INT(tz_valid_credit("９１３５０１００Ｍ０００１００Ｙ４３", out, &err), TZ_OK);
	CHECK_STR(out, "91350100M000100Y43");

	/* wrong check: the expected character is named */
	CHECK_INT(tz_valid_credit("911100001000013428", out, &err), TZ_EINVAL);
	CHECK_STR(msg_in(TZ_LANG_EN, credit1, "911100001000013428"),
		  "Credit code 911100001000013428: wrong check character (expected C)");
	CHECK_STR(msg_in(TZ_LANG_ZH, credit1, "911100001000013428"),
		  "统一社会信用代码 911100001000013428：校验码错误（应为 C）");
	CHECK_INT(tz_valid_credit("91350100M000100Y44", out, &err), TZ_EINVAL);

	/* letters never used */
	{
		const char *bad = "IOZSV";
		for (int i = 0; bad[i]; i++) {
			char in[19] = "91350100M000100Y43";
			in[8] = bad[i];
			CHECK_INT(tz_valid_credit(in, out, &err), TZ_EINVAL);
			CHECK(has(err.msg, "character 9"));
			in[8] = (char)(bad[i] - 'A' + 'a');
			CHECK_INT(tz_valid_credit(in, out, &err), TZ_EINVAL);
		}
	}
	CHECK_STR(msg_in(TZ_LANG_EN, credit1, "91350100O000100Y43"),
		  "Credit code 91350100O000100Y43: character 9 is O; I, O, S, V and Z are not used");
	CHECK_STR(msg_in(TZ_LANG_ZH, credit1, "91350100O000100Y43"),
		  "统一社会信用代码 91350100O000100Y43：第 9 位为 O；代码中不使用 I、O、S、V、Z");
	CHECK_STR(msg_in(TZ_LANG_EN, credit1, "91350100-000100Y43"),
		  "Credit code 91350100-000100Y43: character 9 must be a digit or a capital letter");
	CHECK_STR(msg_in(TZ_LANG_EN, credit1, "91350100中000100Y43"),
		  "Credit code 91350100中000100Y43: character 9 must be a digit or a capital letter");
	CHECK_STR(msg_in(TZ_LANG_EN, credit1, "91350100M000100Y4"),
		  "Credit code 91350100M000100Y4: must have 18 characters, not 17");
	CHECK_STR(msg_in(TZ_LANG_EN, credit1, ""), "Credit code: must not be empty");
}

/* ---- dates ---- */

TEST(dates)
{
	char out[11];
	tz_err err;

	CHECK_INT(tz_valid_date("2024-02-29", out, &err), TZ_OK);
	CHECK_STR(out, "2024-02-29");
	CHECK_INT(tz_valid_date("2000-02-29", out, &err), TZ_OK);
	CHECK_STR(out, "2000-02-29");
	CHECK_INT(tz_valid_date("2023-02-29", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2100-02-29", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("1900-02-29", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2023-02-28", out, &err), TZ_OK);
	CHECK_INT(tz_valid_date("2023-04-31", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2023-12-31", out, &err), TZ_OK);
	CHECK_INT(tz_valid_date("2023-13-01", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2023-00-10", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2023-01-00", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2023-01-32", out, &err), TZ_EINVAL);
	CHECK_STR(msg_in(TZ_LANG_EN, date1, "2023-02-29"), "Date 2023-02-29: no such date");
	CHECK_STR(msg_in(TZ_LANG_ZH, date1, "2023-02-29"), "日期 2023-02-29：日期不存在");

	/* strict form */
	CHECK_INT(tz_valid_date("2024-2-29", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2024/02/29", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("20240229", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2024-02-29T00", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("+024-02-29", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2024-0a-29", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("", out, &err), TZ_EINVAL);
	CHECK_STR(msg_in(TZ_LANG_EN, date1, "2024/02/29"),
		  "Date 2024/02/29: not a date in the form YYYY-MM-DD");
	CHECK_STR(msg_in(TZ_LANG_ZH, date1, "2024/02/29"),
		  "日期 2024/02/29：日期格式应为 YYYY-MM-DD");
	CHECK_INT(tz_valid_date(" 2024-02-29\n", out, &err), TZ_OK);
	CHECK_STR(out, "2024-02-29");
	CHECK_INT(tz_valid_date("２０２４－０２－２９", out, &err), TZ_OK);
	CHECK_STR(out, "2024-02-29");

	/* range */
	CHECK_INT(tz_valid_date("1900-01-01", out, &err), TZ_OK);
	CHECK_INT(tz_valid_date("2200-12-31", out, &err), TZ_OK);
	CHECK_INT(tz_valid_date("1899-12-31", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_date("2201-01-01", out, &err), TZ_EINVAL);
	CHECK_STR(msg_in(TZ_LANG_EN, date1, "1899-12-31"),
		  "Date 1899-12-31: must be between 1900-01-01 and 2200-12-31");
}

TEST(periods)
{
	char out[8];
	tz_err err;

	CHECK_INT(tz_valid_period("2024-06", out, &err), TZ_OK);
	CHECK_STR(out, "2024-06");
	CHECK_INT(tz_valid_period(" 2024-12 ", out, &err), TZ_OK);
	CHECK_STR(out, "2024-12");
	CHECK_INT(tz_valid_period("2024-13", out, &err), TZ_EINVAL);
	CHECK(has(err.msg, "01") && has(err.msg, "12"));
	CHECK_INT(tz_valid_period("2024-00", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_period("2024-6", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_period("2024-06-01", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_period("202406", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_period("1899-12", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_period("2201-01", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_period("", out, &err), TZ_EINVAL);
	tz_lang_set(TZ_LANG_EN);
	tz_valid_period("2024/06", out, &err);
	CHECK_STR(err.msg, "Period 2024/06: not a month in the form YYYY-MM");
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

TEST(days)
{
	char out[11], want[16];
	long d;
	int y = 1900, m = 1, dd = 1;

	CHECK_INT(tz_date_days("1970-01-01"), 0);
	CHECK_INT(tz_date_days("1970-01-02"), 1);
	CHECK_INT(tz_date_days("1969-12-31"), -1);
	CHECK_INT(tz_date_days("2000-03-01"), 11017);
	CHECK_INT(tz_date_days("1900-01-01"), -25567);
	CHECK_INT(tz_date_days("2024-06-15"), 19889);
	CHECK_INT(tz_date_days("2200-12-31"), 84370);
	CHECK_INT(tz_date_days("0000-03-01"), -719468);
	CHECK_INT(tz_date_days("9999-12-31"), 2932896);
	tz_date_from_days(0, out);
	CHECK_STR(out, "1970-01-01");
	tz_date_from_days(-1, out);
	CHECK_STR(out, "1969-12-31");
	tz_date_from_days(19889, out);
	CHECK_STR(out, "2024-06-15");
	tz_date_from_days(11016, out);
	CHECK_STR(out, "2000-02-29");

	/* every day from 1900 to 2200 against a plain day counter */
	for (d = -25567; d <= 84370; d++) {
		static const int md[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
		snprintf(want, sizeof want, "%04d-%02d-%02d", y % 10000, m % 100, dd % 100);
		tz_date_from_days(d, out);
		if (strcmp(out, want) != 0) {
			CHECK_STR(out, want);
			break;
		}
		if (tz_date_days(want) != d) {
			CHECK_INT(tz_date_days(want), d);
			break;
		}
		if (++dd > md[m - 1] + (m == 2 && leap(y))) {
			dd = 1;
			if (++m > 12) {
				m = 1;
				y++;
			}
		}
	}
	CHECK_INT(y, 2201);
	CHECK_INT(m, 1);
	CHECK_INT(dd, 1);

	/* round trip far and wide */
	for (d = -719468; d <= 2932896; d += 997) {
		tz_date_from_days(d, out);
		if (tz_date_days(out) != d) {
			CHECK_INT(tz_date_days(out), d);
			break;
		}
	}
	/* out of range is clamped to four-digit years */
	tz_date_from_days(-100000000L, out);
	CHECK_STR(out, "0000-01-01");
	tz_date_from_days(100000000L, out);
	CHECK_STR(out, "9999-12-31");
	/* no check, but no crash on junk */
	(void)tz_date_days("");
	(void)tz_date_days("abcdefghij");
	(void)tz_date_days(NULL);
}

/* ---- phones ---- */

static void phone_ok(const char *in, const char *want)
{
	char out[24];
	tz_err err;

	tz_err_clear(&err);
	memset(out, 0, sizeof out);
	CHECK_INT(tz_valid_phone(in, out, &err), TZ_OK);
	if (err.msg[0])
		printf("  (%s: %s)\n", in, err.msg);
	CHECK_STR(out, want);
}

static void phone_bad(const char *in)
{
	char out[24];
	tz_err err;

	tz_err_clear(&err);
	CHECK_INT(tz_valid_phone(in, out, &err), TZ_EINVAL);
	CHECK(err.msg[0] != '\0');
	CHECK(one_line(err.msg));
}

TEST(phones)
{
	const char *m;

	phone_ok("13800138000", "13800138000");
	phone_ok("19912345678", "19912345678");
	phone_ok("138 0013 8000", "13800138000");
	phone_ok("138-0013-8000", "13800138000");
	phone_ok("+86 138 0013 8000", "13800138000");
	phone_ok("+8613800138000", "13800138000");
	phone_ok("8613800138000", "13800138000");
	phone_ok("86-13800138000", "13800138000");
	phone_ok("  13800138000  ", "13800138000");
	phone_ok("１３８００１３８０００", "13800138000");

	phone_ok("010-12345678", "010-12345678");
	phone_ok("01012345678", "01012345678");
	phone_ok("021-1234567", "021-1234567");
	phone_ok("0755-12345678", "0755-12345678");
	phone_ok("075512345678", "075512345678");
	phone_ok("0591-1234567", "0591-1234567");
	phone_ok("0591 123 4567", "05911234567");
	phone_ok("0755-1234-5678", "0755-12345678");
	phone_ok("(0755)12345678", "0755-12345678");
	phone_ok("(010) 1234 5678", "010-12345678");
	phone_ok("+86 755 1234 5678", "075512345678");
	phone_ok("+86-10-12345678", "010-12345678");

	phone_bad("");
	phone_bad("12800138000"); /* 12x is not a mobile prefix */
	phone_bad("10086");
	phone_bad("1380013800");
	phone_bad("138001380001");
	phone_bad("12345678");
	phone_bad("0755-123456");
	phone_bad("0755-123456789");
	phone_bad("07551-2345678");
	phone_bad("075-512345678");
	phone_bad("0012345678");
	phone_bad("008613800138000");
	phone_bad("+1 555 123 4567");
	phone_bad("138-0013-800a");
	phone_bad("138\n00138000");
	phone_bad("(0755 12345678");
	phone_bad("0755)12345678");
	phone_bad("0");
	phone_bad("+86");
	phone_bad("13800138000138001380001380013800138000");

	m = msg_in(TZ_LANG_EN, phone1, "12800138000");
	CHECK_STR(m, "Phone number 12800138000: mobile numbers start with 13 to 19");
	m = msg_in(TZ_LANG_ZH, phone1, "12800138000");
	CHECK_STR(m, "电话号码 12800138000：手机号应以 13 至 19 开头");
	m = msg_in(TZ_LANG_EN, phone1, "07551-2345678");
	CHECK_STR(m, "Phone number 07551-2345678: the area code should be 0755");
	m = msg_in(TZ_LANG_EN, phone1, "0755-123456");
	CHECK_STR(m, "Phone number 0755-123456: the number after area code 0755 must have 7 or 8 digits");
	m = msg_in(TZ_LANG_ZH, phone1, "138-0013-800a");
	CHECK_STR(m, "电话号码 138-0013-800a：只能包含数字、空格和短横线");
	m = msg_in(TZ_LANG_EN, phone1, "12345");
	CHECK(has(m, "Phone number 12345: not a mobile number"));
}

/* ---- regions ---- */

TEST(regions)
{
	char out[13];
	tz_err err;

	CHECK_INT(tz_valid_region("110105001001", out, &err), TZ_OK);
	CHECK_STR(out, "110105001001");
	CHECK_INT(tz_valid_region(" 820000000000 ", out, &err), TZ_OK);
	CHECK_STR(out, "820000000000");
	CHECK_INT(tz_valid_region("11010500100", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_region("1101050010011", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_region("11010500100a", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_region("110105-01001", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_region("990105001001", out, &err), TZ_EINVAL);
	CHECK_INT(tz_valid_region("", out, &err), TZ_EINVAL);
	CHECK_STR(msg_in(TZ_LANG_EN, region1, "11010500100"),
		  "Region code 11010500100: must be 12 digits");
	CHECK_STR(msg_in(TZ_LANG_ZH, region1, "11010500100"),
		  "区划代码 11010500100：应为 12 位数字");
	CHECK_STR(msg_in(TZ_LANG_EN, region1, "990105001001"),
		  "Region code 990105001001: 99 is not a province code");
}

/* ---- UTF-8 ---- */

TEST(utf8)
{
	CHECK(tz_utf8_valid("", 0));
	CHECK(tz_utf8_valid("abc", 3));
	CHECK(tz_utf8_valid("中文", strlen("中文")));
	CHECK(tz_utf8_valid("\xf0\x9f\x98\x80", 4));  /* U+1F600 */
	CHECK(tz_utf8_valid("\xf4\x8f\xbf\xbf", 4));  /* U+10FFFF */
	CHECK(tz_utf8_valid("\xc2\x80", 2));
	CHECK(tz_utf8_valid("\xef\xbf\xbf", 3));
	CHECK(!tz_utf8_valid("\xff", 1));
	CHECK(!tz_utf8_valid("\x80", 1));
	CHECK(!tz_utf8_valid("\xc0\xaf", 2));         /* overlong */
	CHECK(!tz_utf8_valid("\xe0\x80\xaf", 3));     /* overlong */
	CHECK(!tz_utf8_valid("\xf0\x80\x80\xaf", 4)); /* overlong */
	CHECK(!tz_utf8_valid("\xed\xa0\x80", 3));     /* surrogate */
	CHECK(!tz_utf8_valid("\xf4\x90\x80\x80", 4)); /* > U+10FFFF */
	CHECK(!tz_utf8_valid("\xe4\xb8", 2));         /* truncated */
	CHECK(!tz_utf8_valid("中", 2));               /* cut by len */
	CHECK(!tz_utf8_valid("a\xe4z\xad", 4));
}

/* ---- tz_validate_field ---- */

static const tz_code t_codes[] = {
	{"M", "男", "male"},
	{"F", "女", "female"},
	{NULL, NULL, NULL},
};

static const tz_code t_set[] = {
	{"a", "甲", "alpha"},
	{"b", "乙", "beta"},
	{"c", "丙", "gamma"},
	{"de", "丁、戊", "delta, epsilon"},
	{NULL, NULL, NULL},
};

static const tz_field t_fields[] = {
	{.name = "name", .zh = "姓名", .en = "name", .type = TZ_T_TEXT, .max = 4},
	{.name = "note", .zh = "备注", .en = "note", .type = TZ_T_TEXT,
	 .flags = TZ_F_MULTILINE},
	{.name = "score", .zh = "满意度", .en = "satisfaction", .type = TZ_T_INT, .min = 1,
	 .max = 5},
	{.name = "big", .zh = "大数", .en = "big", .type = TZ_T_INT},
	{.name = "date", .zh = "走访日期", .en = "visit date", .type = TZ_T_DATE},
	{.name = "gender", .zh = "性别", .en = "gender", .type = TZ_T_ENUM, .codes = t_codes},
	{.name = "groups", .zh = "群体", .en = "groups", .type = TZ_T_SET, .codes = t_set},
	{.name = "household", .zh = "户", .en = "household", .type = TZ_T_REF,
	 .ref = "household"},
	{.name = "id_number", .zh = "身份证号码", .en = "ID no.", .type = TZ_T_IDNUM},
	{.name = "credit", .zh = "信用代码", .en = "credit code", .type = TZ_T_CREDIT},
	{.name = "phone", .zh = "电话", .en = "phone", .type = TZ_T_PHONE},
	{.name = "village", .zh = "村", .en = "village", .type = TZ_T_REGION},
	{.name = "want", .zh = "就业意愿", .en = "wants work", .type = TZ_T_BOOL},
};

static const tz_table t_table = {"t", "表", "table", t_fields,
				 (int)(sizeof t_fields / sizeof t_fields[0])};

enum { F_NAME, F_NOTE, F_SCORE, F_BIG, F_DATE, F_GENDER, F_SET, F_REF, F_ID, F_CREDIT,
       F_PHONE, F_VILLAGE, F_BOOL };

static char field_out[4096];
static char field_msg[TZ_ERR_MAX];

/* Validate in for field i; "OK:<out>", "OK:(null)" or "ERR". Message in field_msg. */
static const char *fv(int i, const char *in)
{
	char *out = (char *)"junk";
	tz_err err;
	tz_status st;

	tz_err_clear(&err);
	st = tz_validate_field(&t_table, &t_fields[i], in, &out, &err);
	snprintf(field_msg, sizeof field_msg, "%s", err.msg);
	if (st == TZ_OK)
		snprintf(field_out, sizeof field_out, "OK:%s", out ? out : "(null)");
	else
		snprintf(field_out, sizeof field_out, "ERR%s", out ? ":out-set" : "");
	if (st != TZ_OK && st != TZ_EINVAL)
		snprintf(field_out, sizeof field_out, "status %d", (int)st);
	free(out);
	return field_out;
}

/* Reference: decode by code point, then apply the rules (no overlong form,
 * surrogate or value past U+10FFFF). */
static int ref_utf8_valid(const unsigned char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned c = s[i], k;
		long cp;
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xc0 && c < 0xe0)
			k = 1, cp = c & 0x1f;
		else if (c >= 0xe0 && c < 0xf0)
			k = 2, cp = c & 0x0f;
		else if (c >= 0xf0 && c < 0xf8)
			k = 3, cp = c & 0x07;
		else
			return 0;
		if (n - i < k + 1)
			return 0;
		for (unsigned j = 1; j <= k; j++) {
			if ((s[i + j] & 0xc0) != 0x80)
				return 0;
			cp = cp << 6 | (s[i + j] & 0x3f);
		}
		static const long min[4] = {0, 0x80, 0x800, 0x10000};
		if (cp < min[k] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += k + 1;
	}
	return 1;
}

/* every string of one to three bytes, and four-byte ones around every
 * boundary, alone and inside runs of ASCII (the validator's fast path) */
TEST(utf8_valid_matches_reference)
{
	unsigned char b[24];
	long bad = 0, valid = 0;
	for (uint32_t v = 0; v < (1u << 24); v++) {
		b[0] = (unsigned char)(v >> 16), b[1] = (unsigned char)(v >> 8), b[2] = (unsigned char)v;
		for (size_t n = 1; n <= 3; n++) {
			if (n < 3 && (v & ((1u << (8 * (3 - n))) - 1)))
				continue; /* shorter strings once each */
			int r = ref_utf8_valid(b, n);
			valid += r;
			bad += tz_utf8_valid((const char *)b, n) != r;
		}
	}
	static const unsigned char edge[] = {0x00, 0x7f, 0x80, 0x8f, 0x90, 0x9f, 0xa0, 0xbf, 0xc0, 0xff};
	for (unsigned lead = 0xe0; lead <= 0xff; lead++)
		for (unsigned x = 0; x < 256; x++)
			for (size_t y = 0; y < sizeof edge; y++)
				for (size_t z = 0; z < sizeof edge; z++)
					for (size_t at = 0; at < 12; at += 5) {
						memset(b, 'a', sizeof b);
						b[at] = (unsigned char)lead, b[at + 1] = (unsigned char)x;
						b[at + 2] = edge[y], b[at + 3] = edge[z];
						for (size_t n = at + 2; n <= sizeof b; n += 11) {
							int r = ref_utf8_valid(b, n);
							valid += r;
							bad += tz_utf8_valid((const char *)b, n) != r;
						}
					}
	CHECK_INT(bad, 0);
	CHECK(valid > 1000000); /* the reference accepts what it should */
	CHECK(tz_utf8_valid("\xe4\xb8\xad\xf0\x9f\x98\x80 abcdefghij", 18));
	CHECK(!tz_utf8_valid("abcdefgh\xed\xa0\x80", 11)); /* a surrogate after 8 ASCII */
}

TEST(field_text)
{
	CHECK_STR(fv(F_NAME, "张三"), "OK:张三");
	CHECK_STR(fv(F_NAME, "  张三 \t"), "OK:张三");
	CHECK_STR(fv(F_NAME, "\xe3\x80\x80张三\xe3\x80\x80"), "OK:张三");
	CHECK_STR(fv(F_NAME, "张 三"), "OK:张 三");
	CHECK_STR(fv(F_NAME, ""), "OK:(null)");
	CHECK_STR(fv(F_NAME, NULL), "OK:(null)");
	CHECK_STR(fv(F_NAME, " \xe3\x80\x80 \n"), "OK:(null)");
	CHECK_STR(fv(F_NAME, "张三李四"), "OK:张三李四");
	CHECK_STR(fv(F_NAME, "abcd"), "OK:abcd");
	CHECK_STR(fv(F_NAME, "张三李四五"), "ERR");
	tz_lang_set(TZ_LANG_EN);
	fv(F_NAME, "张三李四五");
	CHECK_STR(field_msg, "name: too long (5 characters, at most 4)");
	tz_lang_set(TZ_LANG_ZH);
	fv(F_NAME, "abcde");
	CHECK_STR(field_msg, "姓名：过长（5 个字，最多 4 个）");
	tz_lang_set(TZ_LANG_EN);

	/* control characters */
	CHECK_STR(fv(F_NAME, "a\x07" "b"), "ERR");
	CHECK_STR(field_msg,
		  "name a\\x07b: control character U+0007 (character 2) is not allowed; the field is one line");
	CHECK_STR(fv(F_NAME, "a\nb"), "ERR");
	CHECK(one_line(field_msg));
	CHECK(has(field_msg, "a\\nb"));
	CHECK_STR(fv(F_NAME, "a\tb"), "ERR");
	CHECK_STR(fv(F_NAME, "a\x7f"), "ERR");
	CHECK_STR(fv(F_NAME, "a\xc2\x85"), "ERR");
	CHECK(has(field_msg, "U+0085"));
	CHECK_STR(fv(F_NAME, "a\xc2\x9f"), "ERR");
	CHECK_STR(fv(F_NAME, "a\xc2\xa0"), "OK:a\xc2\xa0"); /* U+00A0 is not a control */
	CHECK_STR(fv(F_NAME, "a\xff"), "ERR");
	CHECK(has(field_msg, "UTF-8"));
	CHECK(has(field_msg, "a\\xFF"));
	CHECK_STR(fv(F_NAME, "\xe4\xb8"), "ERR");
	CHECK_STR(fv(F_NAME, "\xed\xa0\x80"), "ERR");
	tz_lang_set(TZ_LANG_ZH);
	fv(F_NAME, "a\x01");
	CHECK_STR(field_msg, "姓名 a\\x01：不允许控制字符 U+0001（第 2 个字符）；此项只能填一行");
	tz_lang_set(TZ_LANG_EN);

	/* multi-line: newline and tab kept, CR LF becomes LF, no length limit */
	CHECK_STR(fv(F_NOTE, "line 1\nline 2"), "OK:line 1\nline 2");
	CHECK_STR(fv(F_NOTE, "line 1\r\nline 2\r\n"), "OK:line 1\nline 2");
	CHECK_STR(fv(F_NOTE, "\ta\tb\n"), "OK:a\tb");
	CHECK_STR(fv(F_NOTE, "a\rb"), "ERR");
	CHECK_STR(fv(F_NOTE, "a\x1b[31m"), "ERR");
	CHECK_STR(fv(F_NOTE, "a\xc2\x85" "b"), "ERR");
	{
		char big[3001];
		memset(big, 'x', 3000);
		big[3000] = '\0';
		CHECK(strncmp(fv(F_NOTE, big), "OK:xxx", 6) == 0);
		CHECK_INT(strlen(field_out), 3003);
		/* a long bad value: message stays short and one line */
		big[2000] = '\x02';
		CHECK_STR(fv(F_NOTE, big), "ERR");
		CHECK(one_line(field_msg));
		CHECK(strlen(field_msg) < 200);
		CHECK(has(field_msg, "character 2001"));
	}
}

TEST(field_int)
{
	CHECK_STR(fv(F_SCORE, "3"), "OK:3");
	CHECK_STR(fv(F_SCORE, " 5 "), "OK:5");
	CHECK_STR(fv(F_SCORE, "+1"), "OK:1");
	CHECK_STR(fv(F_SCORE, "004"), "OK:4");
	CHECK_STR(fv(F_SCORE, "４"), "OK:4");
	CHECK_STR(fv(F_SCORE, ""), "OK:(null)");
	CHECK_STR(fv(F_SCORE, "0"), "ERR");
	CHECK_STR(field_msg, "satisfaction 0: must be between 1 and 5");
	tz_lang_set(TZ_LANG_ZH);
	CHECK_STR(fv(F_SCORE, "6"), "ERR");
	CHECK_STR(field_msg, "满意度 6：应在 1 至 5 之间");
	tz_lang_set(TZ_LANG_EN);
	CHECK_STR(fv(F_SCORE, "-1"), "ERR");
	CHECK_STR(fv(F_SCORE, "3.5"), "ERR");
	CHECK_STR(field_msg, "satisfaction 3.5: not a whole number");
	CHECK_STR(fv(F_SCORE, "1e3"), "ERR");
	CHECK_STR(fv(F_SCORE, "abc"), "ERR");
	CHECK_STR(fv(F_SCORE, "-"), "ERR");
	CHECK_STR(fv(F_SCORE, "+"), "ERR");
	CHECK_STR(fv(F_SCORE, "1 2"), "ERR");
	CHECK_STR(fv(F_SCORE, "0x3"), "ERR");
	CHECK_STR(fv(F_SCORE, "99999999999999999999999"), "ERR");

	/* no range given: the whole of long */
	CHECK_STR(fv(F_BIG, "-0"), "OK:0");
	CHECK_STR(fv(F_BIG, "-42"), "OK:-42");
	CHECK_STR(fv(F_BIG, "9223372036854775807"), "OK:9223372036854775807");
	CHECK_STR(fv(F_BIG, "-9223372036854775808"), "OK:-9223372036854775808");
	CHECK_STR(fv(F_BIG, "9223372036854775808"), "ERR");
	CHECK_STR(field_msg, "big 9223372036854775808: number too large");
	CHECK_STR(fv(F_BIG, "-9223372036854775809"), "ERR");
	CHECK_STR(fv(F_BIG, "00000000000000000000000000000000000000000000000001"), "OK:1");
}

TEST(field_date)
{
	CHECK_STR(fv(F_DATE, "2024-02-29"), "OK:2024-02-29");
	CHECK_STR(fv(F_DATE, " 2000-02-29 "), "OK:2000-02-29");
	CHECK_STR(fv(F_DATE, "2023-02-29"), "ERR");
	CHECK_STR(field_msg, "visit date 2023-02-29: no such date");
	tz_lang_set(TZ_LANG_ZH);
	CHECK_STR(fv(F_DATE, "2100-02-29"), "ERR");
	CHECK_STR(field_msg, "走访日期 2100-02-29：日期不存在");
	tz_lang_set(TZ_LANG_EN);
	CHECK_STR(fv(F_DATE, "2024-2-1"), "ERR");
	CHECK_STR(fv(F_DATE, ""), "OK:(null)");
}

TEST(field_enum)
{
	CHECK_STR(fv(F_GENDER, "M"), "OK:M");
	CHECK_STR(fv(F_GENDER, "F"), "OK:F");
	CHECK_STR(fv(F_GENDER, "女"), "OK:F");
	CHECK_STR(fv(F_GENDER, " 男 "), "OK:M");
	CHECK_STR(fv(F_GENDER, "female"), "OK:F");
	CHECK_STR(fv(F_GENDER, ""), "OK:(null)");
	CHECK_STR(fv(F_GENDER, "x"), "ERR");
	CHECK_STR(field_msg, "gender x: not an allowed value (allowed: M (male), F (female))");
	tz_lang_set(TZ_LANG_ZH);
	CHECK_STR(fv(F_GENDER, "未知"), "ERR");
	CHECK_STR(field_msg, "性别 未知：不是可选值（可选：M（男）、F（女））");
	tz_lang_set(TZ_LANG_EN);
	CHECK_STR(fv(F_GENDER, "M,F"), "ERR");
}

TEST(field_set)
{
	CHECK_STR(fv(F_SET, "a"), "OK:a");
	CHECK_STR(fv(F_SET, "c,a"), "OK:a,c");
	CHECK_STR(fv(F_SET, "丙，甲、乙"), "OK:a,b,c");
	CHECK_STR(fv(F_SET, "gamma, alpha"), "OK:a,c");
	CHECK_STR(fv(F_SET, "a,a,alpha,甲"), "OK:a");
	CHECK_STR(fv(F_SET, " b , a "), "OK:a,b");
	CHECK_STR(fv(F_SET, "b,,a,"), "OK:a,b");
	CHECK_STR(fv(F_SET, "b\xe3\x80\x80,\xe3\x80\x80" "c"), "OK:b,c");
	CHECK_STR(fv(F_SET, "de,c,b,a"), "OK:a,b,c,de");
	CHECK_STR(fv(F_SET, "丁、戊"), "OK:de"); /* a label holding a separator */
	CHECK_STR(fv(F_SET, "delta, epsilon"), "OK:de");
	CHECK_STR(fv(F_SET, ",,，"), "OK:(null)");
	CHECK_STR(fv(F_SET, ""), "OK:(null)");
	CHECK_STR(fv(F_SET, "a,zz,b"), "ERR");
	CHECK(has(field_msg, "groups zz: not an allowed value (allowed: a (alpha), b (beta)"));
	CHECK_STR(fv(F_SET, "a;b"), "ERR");
	CHECK(has(field_msg, "groups a;b:"));
	tz_lang_set(TZ_LANG_ZH);
	CHECK_STR(fv(F_SET, "甲，某"), "ERR");
	CHECK_STR(field_msg, "群体 某：不是可选值（可选：a（甲）、b（乙）、c（丙）、de（丁、戊））");
	tz_lang_set(TZ_LANG_EN);
}

TEST(field_ref)
{
	CHECK_STR(fv(F_REF, "0123456789abcdef0123456789abcdef"),
		  "OK:0123456789abcdef0123456789abcdef");
	CHECK_STR(fv(F_REF, " 0123456789ABCDEF0123456789AbCdEf "),
		  "OK:0123456789abcdef0123456789abcdef");
	CHECK_STR(fv(F_REF, "0123456789abcdef0123456789abcde"), "ERR");
	CHECK_STR(field_msg,
		  "household 0123456789abcdef0123456789abcde: must be a 32-character hexadecimal id");
	CHECK_STR(fv(F_REF, "0123456789abcdef0123456789abcdef0"), "ERR");
	CHECK_STR(fv(F_REF, "0123456789abcdef0123456789abcdeg"), "ERR");
	CHECK_STR(fv(F_REF, "0123456789abcdef-123456789abcdef"), "ERR");
	CHECK_STR(fv(F_REF, ""), "OK:(null)");
}

TEST(field_bool)
{
	CHECK_STR(fv(F_BOOL, "1"), "OK:1");
	CHECK_STR(fv(F_BOOL, "0"), "OK:0");
	CHECK_STR(fv(F_BOOL, "yes"), "OK:1");
	CHECK_STR(fv(F_BOOL, "No"), "OK:0");
	CHECK_STR(fv(F_BOOL, "TRUE"), "OK:1");
	CHECK_STR(fv(F_BOOL, "false"), "OK:0");
	CHECK_STR(fv(F_BOOL, "是"), "OK:1");
	CHECK_STR(fv(F_BOOL, " 否 "), "OK:0");
	CHECK_STR(fv(F_BOOL, ""), "OK:(null)");
	CHECK_STR(fv(F_BOOL, "2"), "ERR");
	CHECK_STR(fv(F_BOOL, "yess"), "ERR");
	CHECK_STR(fv(F_BOOL, "是的"), "ERR");
	CHECK_STR(field_msg, "wants work 是的: must be yes or no (1/0, 是/否)");
	tz_lang_set(TZ_LANG_ZH);
	fv(F_BOOL, "maybe");
	CHECK_STR(field_msg, "就业意愿 maybe：应为 是 或 否（1/0、yes/no）");
	tz_lang_set(TZ_LANG_EN);
}

TEST(field_codes)
{
	char id[19], want[40];

	/* ID number: the field's own label in messages */
	CHECK_STR(fv(F_ID, "11010519491231002x"), "OK:11010519491231002X");
	CHECK_STR(fv(F_ID, "110105491231002"), "OK:11010519491231002X");
	CHECK_STR(fv(F_ID, "110105194912310021"), "ERR");
	CHECK_STR(field_msg, "ID no. 110105194912310021: wrong check character (expected X)");
	tz_lang_set(TZ_LANG_ZH);
	CHECK_STR(fv(F_ID, "110105194912310021"), "ERR");
	CHECK_STR(field_msg, "身份证号码 110105194912310021：校验码错误（应为 X）");
	tz_lang_set(TZ_LANG_EN);
	make_id("110105", "20240616", 7, id);
	CHECK_STR(fv(F_ID, id), "ERR");
	CHECK(has(field_msg, "in the future"));
	make_id("370202", "19751003", 7, id);
	snprintf(want, sizeof want, "OK:%s", id);
	CHECK_STR(fv(F_ID, id), want);
	CHECK_STR(fv(F_ID, "1101051949\t1231002X"), "ERR");
	CHECK(has(field_msg, "control character"));

	/* credit code */
	CHECK_STR(fv(F_CREDIT, "91350100m000100y43"), "OK:91350100M000100Y43");
	CHECK_STR(fv(F_CREDIT, "911100001000013428"), "ERR");
	CHECK_STR(field_msg, "credit code 911100001000013428: wrong check character (expected C)");

	/* phone */
	CHECK_STR(fv(F_PHONE, "138 0013 8000"), "OK:13800138000");
	CHECK_STR(fv(F_PHONE, "0591-1234567"), "OK:0591-1234567");
	CHECK_STR(fv(F_PHONE, "12345"), "ERR");
	CHECK(has(field_msg, "phone 12345: not a mobile number"));

	/* region */
	CHECK_STR(fv(F_VILLAGE, "350102001001"), "OK:350102001001");
	CHECK_STR(fv(F_VILLAGE, "35010200100"), "ERR");
	CHECK_STR(field_msg, "village 35010200100: must be 12 digits");
	tz_lang_set(TZ_LANG_ZH);
	CHECK_STR(fv(F_VILLAGE, "000000000000"), "ERR");
	CHECK_STR(field_msg, "村 000000000000：前两位 00 不是有效的省级行政区划代码");
	tz_lang_set(TZ_LANG_EN);

	CHECK_STR(fv(F_ID, ""), "OK:(null)");
	CHECK_STR(fv(F_CREDIT, "   "), "OK:(null)");
	CHECK_STR(fv(F_PHONE, "\xe3\x80\x80"), "OK:(null)");
	CHECK_STR(fv(F_VILLAGE, NULL), "OK:(null)");
}

int main(void)
{
	/* A fixed today, in UTC, so "in the future" is deterministic. */
	setenv("TAIZHANG_NOW", TODAY, 1);
	setenv("TZ", "UTC", 1);
	tzset();
	tz_lang_set(TZ_LANG_EN);

	RUN(idnum_check_char);
	RUN(idnum_known_good);
	RUN(idnum_generated);
	RUN(idnum_wrong_check);
	RUN(idnum_birth_date);
	RUN(idnum_province);
	RUN(idnum_15_digits);
	RUN(idnum_format);
	RUN(message_escaping);
	RUN(credit_codes);
	RUN(dates);
	RUN(periods);
	RUN(days);
	RUN(phones);
	RUN(regions);
	RUN(utf8);
	RUN(utf8_valid_matches_reference);
	RUN(field_text);
	RUN(field_int);
	RUN(field_date);
	RUN(field_enum);
	RUN(field_set);
	RUN(field_ref);
	RUN(field_bool);
	RUN(field_codes);
	return tz_test_done();
}
