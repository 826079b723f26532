/* test_pinyin.c - readings of characters, spellings of names: common and
 * polyphonic characters, surnames read their own way, the caps. */
#include <stdint.h>

#include "core/pinyin_table.h"
#include "taizhang/pinyin.h"
#include "tz_test.h"

/* the readings of the first character of s, joined with spaces */
static const char *readings_of(const char *s)
{
	static char buf[128];
	const char *r[TZ_PINYIN_READINGS];
	size_t pos = 0;
	int32_t cp = tz_pinyin_utf8_next(s, strlen(s), &pos);
	int n = cp < 0 ? 0 : tz_pinyin_readings((uint32_t)cp, r);
	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (i)
			strcat(buf, " ");
		strcat(buf, r[i]);
	}
	return buf;
}

static int list_has(const tz_pinyin_list *l, const char *s)
{
	for (int i = 0; i < l->n; i++)
		if (!strcmp(l->s[i], s))
			return 1;
	return 0;
}

static const char *first_initials(const char *s, unsigned flags)
{
	static tz_pinyin_list l;
	tz_pinyin_initials(s, flags, &l);
	return l.n ? l.s[0] : "";
}

static const char *first_full(const char *s, unsigned flags)
{
	static tz_pinyin_list l;
	tz_pinyin_full(s, flags, &l);
	return l.n ? l.s[0] : "";
}

TEST(common_characters)
{
	CHECK_STR(readings_of("张"), "zhang");
	CHECK_STR(readings_of("三"), "san");
	CHECK_STR(readings_of("王"), "wang"); /* not the classical yu of 汉语大字典 */
	CHECK_STR(readings_of("明"), "ming");
	CHECK_STR(readings_of("女"), "nv");   /* ü written v */
	CHECK_STR(readings_of("吕"), "lv");
	CHECK_STR(readings_of("略"), "lve");
	CHECK_STR(readings_of("㐀"), "qiu"); /* Extension A */
	CHECK_STR(readings_of("a"), "");
	CHECK_STR(readings_of("𠀀"), ""); /* Extension B: not covered */
	CHECK_STR(readings_of("。"), "");
}

TEST(polyphonic_characters)
{
	/* customary reading first, then the modern dictionaries' others */
	CHECK_STR(readings_of("行"), "xing hang heng");
	CHECK_STR(readings_of("长"), "zhang chang");
	CHECK_STR(readings_of("单"), "dan chan shan");
	CHECK_STR(readings_of("曾"), "ceng zeng");
	CHECK_STR(readings_of("解"), "jie xie");
	CHECK_STR(readings_of("乐"), "le yue");
	CHECK_STR(readings_of("绿"), "lv lu");
}

TEST(table_is_sane)
{
	CHECK(tz_pinyin_nsyl > 390 && tz_pinyin_nsyl < 450);
	CHECK(tz_pinyin_nsets > 0);
	int with = 0;
	for (uint32_t cp = TZ_PINYIN_URO_FIRST; cp <= 0x9FA5; cp++) {
		const char *r[TZ_PINYIN_READINGS];
		int n = tz_pinyin_readings(cp, r);
		with += n > 0;
		for (int i = 0; i < n; i++) {
			size_t l = strlen(r[i]);
			CHECK(l >= 1 && l <= 6);
			CHECK(strspn(r[i], "abcdefghijklmnopqrstuvwxyz") == l);
		}
	}
	/* GB 2312's 6763 characters and more all have readings */
	CHECK(with > 20000);
}

TEST(initials_and_full)
{
	CHECK_STR(first_initials("张三", TZ_PINYIN_NAME), "zs");
	CHECK_STR(first_initials("王小明", TZ_PINYIN_NAME), "wxm");
	CHECK_STR(first_full("张三", TZ_PINYIN_NAME), "zhangsan");
	CHECK_STR(first_full("王小明", TZ_PINYIN_NAME), "wangxiaoming");
	CHECK_STR(first_full("吕绿", 0), "lvlv");
	/* separators and spaces do not count; ASCII words pass through */
	CHECK_STR(first_full("买买提·艾力", TZ_PINYIN_NAME), "maimaitiaili");
	CHECK_STR(first_initials("Tom Lee", TZ_PINYIN_NAME), "tl");
	CHECK_STR(first_full("Tom Lee", TZ_PINYIN_NAME), "tomlee");
	CHECK_STR(first_full("ＡＢ张", 0), "abzhang"); /* full-width letters folded */
	CHECK_STR(first_initials("张𠀀三", TZ_PINYIN_NAME), "zs"); /* no reading: skipped */
	CHECK_STR(first_full("", 0), "");
	CHECK_STR(first_full("。，", 0), "");
}

TEST(polyphonic_names)
{
	tz_pinyin_list l;
	/* 长行 (not a name): customary first, every combination */
	tz_pinyin_full("长行", 0, &l);
	CHECK_INT(l.n, 6);
	CHECK_STR(l.s[0], "zhangxing");
	CHECK(list_has(&l, "changhang"));
	CHECK(list_has(&l, "zhangheng"));
	tz_pinyin_initials("长行", 0, &l);
	CHECK_INT(l.n, 4); /* z c x h: h from hang and heng once */
	CHECK_STR(l.s[0], "zx");
	CHECK(list_has(&l, "ch"));
	tz_pinyin_full("张行", 0, &l);
	CHECK_INT(l.n, 3);
	CHECK_STR(l.s[0], "zhangxing");
	/* capped, no duplicates */
	tz_pinyin_full("长行长行长行长行", 0, &l);
	CHECK_INT(l.n, TZ_PINYIN_COMBOS);
	CHECK_STR(l.s[0], "zhangxingzhangxingzhangxingzhangxing");
	for (int i = 0; i < l.n; i++)
		for (int j = i + 1; j < l.n; j++)
			CHECK(strcmp(l.s[i], l.s[j]) != 0);
}

TEST(surnames)
{
	tz_pinyin_list l;
	/* 单 as a surname is shan; dan too, since many would type it */
	tz_pinyin_full("单田芳", TZ_PINYIN_NAME, &l);
	CHECK_STR(l.s[0], "shantianfang");
	CHECK(list_has(&l, "dantianfang"));
	CHECK(!list_has(&l, "chantianfang"));
	tz_pinyin_initials("单田芳", TZ_PINYIN_NAME, &l);
	CHECK_STR(l.s[0], "stf");
	CHECK(list_has(&l, "dtf"));
	/* not a name: the customary reading leads */
	CHECK_STR(first_full("单田芳", 0), "dantianfang");

	CHECK_STR(first_full("曾国藩", TZ_PINYIN_NAME), "zengguofan");
	CHECK_STR(first_initials("曾国藩", TZ_PINYIN_NAME), "zgf");
	CHECK_STR(first_full("解缙", TZ_PINYIN_NAME), "xiejin");
	CHECK_STR(first_full("仇英", TZ_PINYIN_NAME), "qiuying");
	CHECK_STR(first_full("朴树", TZ_PINYIN_NAME), "piaoshu");
	CHECK_STR(first_full("区小东", TZ_PINYIN_NAME), "ouxiaodong");
	CHECK_STR(first_full("查良镛", TZ_PINYIN_NAME), "zhaliangyong");
	CHECK_STR(first_full("覃明", TZ_PINYIN_NAME), "qinming");
	CHECK_STR(first_full("沈从文", TZ_PINYIN_NAME), "shencongwen");
	/* only the first character is a surname: 曾 later in a name is ceng too */
	tz_pinyin_full("王曾", TZ_PINYIN_NAME, &l);
	CHECK_STR(l.s[0], "wangceng");
	CHECK(list_has(&l, "wangzeng"));
	/* compound surnames */
	CHECK_STR(first_full("万俟卨", TZ_PINYIN_NAME), "moqixie");
	CHECK_STR(first_initials("尉迟恭", TZ_PINYIN_NAME), "ycg");
	CHECK_STR(first_full("尉缭", TZ_PINYIN_NAME), "weiliao");
	/* a leading space does not hide the surname */
	CHECK_STR(first_full(" 单雄信", TZ_PINYIN_NAME), "shanxiongxin");
}

TEST(units)
{
	tz_pinyin_text t;
	const char *s = "王 Tom·3号x";
	tz_pinyin_split(s, strlen(s), 0, &t);
	/* 王, tom, 3, 号, x */
	CHECK_INT(t.n, 5);
	CHECK_STR(t.u[1].word, "tom");
	CHECK_STR(t.u[2].word, "3");
	CHECK_INT(t.u[3].nalt, 1);
	CHECK_STR(t.u[4].word, "x");
	CHECK_INT((int)t.u[0].at, 0);
	CHECK_INT((int)t.u[0].len, 3);
	/* invalid UTF-8 is skipped, never read past the end */
	const char bad[] = "\xe5\xbc\xa0\xff\xe4\xb8";
	tz_pinyin_split(bad, sizeof bad - 1, TZ_PINYIN_NAME, &t);
	CHECK_INT(t.n, 1);
	/* a very long text is cut at TZ_PINYIN_UNITS units */
	char longs[400] = "";
	for (int i = 0; i < 60; i++)
		strcat(longs, "行");
	tz_pinyin_split(longs, strlen(longs), TZ_PINYIN_NAME, &t);
	CHECK_INT(t.n, TZ_PINYIN_UNITS);
	tz_pinyin_list l;
	tz_pinyin_spell(&t, 0, 0, &l);
	CHECK_INT(l.n, TZ_PINYIN_COMBOS);
	CHECK(strlen(l.s[0]) < TZ_PINYIN_LEN);
	tz_pinyin_spell(&t, 31, 1, &l); /* 行: x, h (hang and heng) */
	CHECK_INT(l.n, 2);
	tz_pinyin_spell(&t, 32, 1, &l);
	CHECK_INT(l.n, 0);
}

int main(void)
{
	RUN(common_characters);
	RUN(polyphonic_characters);
	RUN(table_is_sane);
	RUN(initials_and_full);
	RUN(polyphonic_names);
	RUN(surnames);
	RUN(units);
	return tz_test_done();
}
