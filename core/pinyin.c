/* pinyin.c - Mandarin readings of characters and spellings of names.
 *
 * The readings are Unihan's (core/pinyin_table.c, generated); the surname
 * readings below are not in Unihan's per-character data and are kept here
 * by hand.  docs/pinyin.md says where everything comes from.
 */
#include "taizhang/pinyin.h"

#include <string.h>

#include "pinyin_table.h"
#include "taizhang/utf8.h"

/* Surnames read differently from the character's customary reading.  For
 * the first character of a name (or the first two, for a compound surname)
 * these readings replace Unihan's: the surname reading first, then the
 * common reading where staff may well type that instead (单 is read shan
 * as a surname, but many would type dan).  Where the common reading is
 * plainly wrong for the surname (沈 chen, 石 dan, 车 ju) it is left out.
 * Sources: 《通用规范汉字字典》 and 《现代汉语词典》 entries marked 姓;
 * compound surnames from 《百家姓》. */
static const struct {
	const char *han;       /* one or two characters, UTF-8 */
	const char *read[2][3]; /* per character, surname reading first */
} surnames[] = {
	/* compound surnames (matched first) */
	{"万俟", {{"mo"}, {"qi"}}},
	{"尉迟", {{"yu"}, {"chi"}}},
	{"单于", {{"chan"}, {"yu"}}},
	{"长孙", {{"zhang"}, {"sun"}}},
	{"澹台", {{"tan"}, {"tai"}}},
	{"乐正", {{"yue"}, {"zheng"}}},
	{"亓官", {{"qi"}, {"guan"}}},
	{"鲜于", {{"xian"}, {"yu"}}},
	{"令狐", {{"ling"}, {"hu"}}},
	/* single */
	{"单", {{"shan", "dan"}}},
	{"曾", {{"zeng", "ceng"}}},
	{"解", {{"xie", "jie"}}},
	{"仇", {{"qiu", "chou"}}},
	{"朴", {{"piao", "pu"}}},
	{"区", {{"ou", "qu"}}},
	{"查", {{"zha", "cha"}}},
	{"盖", {{"ge", "gai"}}},
	{"覃", {{"qin", "tan"}}},
	{"尉", {{"wei", "yu"}}},
	{"员", {{"yun", "yuan"}}},
	{"乐", {{"yue", "le"}}},
	{"召", {{"shao", "zhao"}}},
	{"缪", {{"miao", "mou"}}},
	{"繁", {{"po", "fan"}}},
	{"翟", {{"zhai", "di"}}},
	{"秘", {{"bi", "mi"}}},
	{"种", {{"chong", "zhong"}}},
	{"褚", {{"chu", "zhu"}}},
	{"句", {{"gou", "ju"}}},
	{"折", {{"she", "zhe"}}},
	{"隗", {{"wei", "kui"}}},
	{"谌", {{"chen", "shen"}}},
	{"祭", {{"zhai", "ji"}}},
	{"能", {{"nai", "neng"}}},
	{"莘", {{"shen", "xin"}}},
	{"洗", {{"xian", "xi"}}},
	{"番", {{"pan", "fan"}}},
	{"蕃", {{"pi", "fan"}}},
	{"朝", {{"chao", "zhao"}}},
	{"柏", {{"bai", "bo"}}},
	{"重", {{"chong", "zhong"}}},
	{"长", {{"chang", "zhang"}}},
	{"都", {{"du", "dou"}}},
	{"宿", {{"su"}}},
	{"沈", {{"shen"}}},
	{"石", {{"shi"}}},
	{"车", {{"che"}}},
	{"贾", {{"jia"}}},
	{"薄", {{"bo"}}},
	{"曲", {{"qu"}}},
	{"冯", {{"feng"}}},
	{"华", {{"hua"}}},
	{"任", {{"ren"}}},
	{"过", {{"guo"}}},
	{"厍", {{"she"}}},
};

/* ---- UTF-8 ---- */

int32_t tz_pinyin_utf8_next(const char *s, size_t len, size_t *pos)
{
	size_t n;
	long c = tz_utf8_decode(s + *pos, len - *pos, &n);
	*pos += n;
	return (int32_t)c;
}

/* ---- one character ---- */

static const char *syllable(unsigned i)
{
	return tz_pinyin_pool + tz_pinyin_syl[i];
}

int tz_pinyin_readings(uint32_t cp, const char *out[TZ_PINYIN_READINGS])
{
	unsigned code;
	if (cp >= TZ_PINYIN_URO_FIRST && cp <= TZ_PINYIN_URO_LAST)
		code = tz_pinyin_uro[cp - TZ_PINYIN_URO_FIRST];
	else if (cp >= TZ_PINYIN_EXT_A_FIRST && cp <= TZ_PINYIN_EXT_A_LAST)
		code = tz_pinyin_ext_a[cp - TZ_PINYIN_EXT_A_FIRST];
	else
		return 0;
	if (code == 0)
		return 0;
	if (code <= (unsigned)tz_pinyin_nsyl) {
		out[0] = syllable(code - 1);
		return 1;
	}
	unsigned set = code - (unsigned)tz_pinyin_nsyl - 1;
	if (set >= (unsigned)tz_pinyin_nsets)
		return 0;
	int n = 0;
	for (int i = 0; i < TZ_PINYIN_READINGS; i++) {
		uint16_t s = tz_pinyin_sets[set * TZ_PINYIN_READINGS + (unsigned)i];
		if (s < tz_pinyin_nsyl)
			out[n++] = syllable(s);
	}
	return n;
}

/* ---- splitting a text into units ---- */

static int is_separator(int32_t c)
{
	switch (c) {
	case ' ': case '\t': case '\n': case '\r': case '.': case '-': case '_': case '\'':
	case 0x00B7: /* · middle dot, as in 买买提·艾力 */
	case 0x2022: /* • */
	case 0x2019: /* ’ */
	case 0x2027: /* ‧ */
	case 0x3000: /* ideographic space */
	case 0x30FB: /* ・ */
	case 0xFF0E: /* ． */
	case 0xFF65: /* ･ */
		return 1;
	default:
		return 0;
	}
}

/* ASCII letter or digit (full-width ones folded), lower-cased; 0 if not. */
static int ascii_alnum(int32_t c)
{
	if (c >= 0xFF10 && c <= 0xFF19)
		c = c - 0xFF10 + '0';
	else if (c >= 0xFF21 && c <= 0xFF3A)
		c = c - 0xFF21 + 'a';
	else if (c >= 0xFF41 && c <= 0xFF5A)
		c = c - 0xFF41 + 'a';
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 'a';
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
		return c;
	return 0;
}

static void apply_surname(const char *s, tz_pinyin_text *t)
{
	for (size_t k = 0; k < sizeof surnames / sizeof surnames[0]; k++) {
		const char *h = surnames[k].han;
		size_t hl = strlen(h), hp = 0;
		int i = 0, ok = 1;
		/* the surname's characters are the text's first units */
		while (hp < hl && ok) {
			size_t before = hp;
			tz_pinyin_utf8_next(h, hl, &hp);
			ok = i < t->n && !t->u[i].word[0] && t->u[i].len == hp - before &&
			     memcmp(s + t->u[i].at, h + before, hp - before) == 0;
			i++;
		}
		if (!ok)
			continue;
		for (int j = 0; j < i; j++) {
			int n = 0;
			for (int r = 0; r < 3 && surnames[k].read[j][r]; r++)
				t->u[j].alt[n++] = surnames[k].read[j][r];
			t->u[j].nalt = n;
		}
		return;
	}
}

void tz_pinyin_split(const char *s, size_t len, unsigned flags, tz_pinyin_text *t)
{
	size_t pos = 0;
	memset(t, 0, sizeof *t);
	while (pos < len && t->n < TZ_PINYIN_UNITS) {
		size_t at = pos;
		int32_t c = tz_pinyin_utf8_next(s, len, &pos);
		if (c < 0 || is_separator(c))
			continue;
		int a = ascii_alnum(c);
		tz_pinyin_unit *u = &t->u[t->n];
		if (a) {
			/* a run of ASCII letters or digits is one unit */
			int w = 0;
			u->word[w++] = (char)a;
			size_t end = pos;
			for (;;) {
				size_t p2 = end;
				if (p2 >= len)
					break;
				int32_t c2 = tz_pinyin_utf8_next(s, len, &p2);
				int a2 = c2 >= 0 ? ascii_alnum(c2) : 0;
				int digit = a >= '0' && a <= '9', digit2 = a2 >= '0' && a2 <= '9';
				if (!a2 || digit != digit2)
					break;
				if (w < TZ_PINYIN_WORD - 1)
					u->word[w++] = (char)a2;
				end = p2;
			}
			u->word[w] = '\0';
			u->nalt = 1;
			pos = end;
		} else {
			u->nalt = tz_pinyin_readings((uint32_t)c, u->alt);
		}
		u->at = at;
		u->len = pos - at;
		t->n++;
	}
	if ((flags & TZ_PINYIN_NAME) && t->n > 0)
		apply_surname(s, t);
}

/* ---- spellings ---- */

typedef struct {
	const tz_pinyin_text *t;
	int initials;
	/* per unit: its distinct spellings */
	const char *alt[TZ_PINYIN_UNITS][TZ_PINYIN_READINGS];
	int nalt[TZ_PINYIN_UNITS];
	int choices_after[TZ_PINYIN_UNITS + 1]; /* units with 2+ spellings from i on */
	char buf[TZ_PINYIN_LEN];
	int budget; /* bounds the work whatever the input */
	tz_pinyin_list *out;
} speller;

static const char *unit_alt(const tz_pinyin_unit *u, int i)
{
	return u->word[0] ? u->word : u->alt[i];
}

static void emit(speller *sp, size_t len)
{
	tz_pinyin_list *o = sp->out;
	if (len == 0 || o->n >= TZ_PINYIN_COMBOS)
		return;
	for (int i = 0; i < o->n; i++)
		if (strlen(o->s[i]) == len && memcmp(o->s[i], sp->buf, len) == 0)
			return;
	memcpy(o->s[o->n], sp->buf, len);
	o->s[o->n][len] = '\0';
	o->n++;
}

/* All spellings of units i.. with exactly `dev` non-customary choices. */
static void gen(speller *sp, int i, int end, int dev, size_t len)
{
	if (sp->out->n >= TZ_PINYIN_COMBOS || --sp->budget < 0)
		return;
	if (dev > sp->choices_after[i])
		return;
	if (i == end) {
		if (dev == 0)
			emit(sp, len);
		return;
	}
	for (int a = 0; a < sp->nalt[i] || (a == 0 && sp->nalt[i] == 0); a++) {
		if (a > 0 && dev == 0)
			break;
		size_t l = len;
		if (sp->nalt[i] > 0) {
			const char *s = sp->alt[i][a];
			size_t n = sp->initials ? 1 : strlen(s);
			if (n > sizeof sp->buf - 1 - l)
				n = sizeof sp->buf - 1 - l;
			memcpy(sp->buf + l, s, n);
			l += n;
		}
		gen(sp, i + 1, end, dev - (a > 0), l);
	}
}

void tz_pinyin_spell(const tz_pinyin_text *t, int from, int initials, tz_pinyin_list *out)
{
	speller sp;
	out->n = 0;
	if (from < 0 || from >= t->n)
		return;
	sp.t = t;
	sp.initials = initials;
	sp.out = out;
	sp.budget = 20000;
	for (int i = from; i < t->n; i++) {
		const tz_pinyin_unit *u = &t->u[i];
		int n = 0;
		for (int a = 0; a < u->nalt; a++) {
			const char *s = unit_alt(u, a);
			int dup = 0;
			for (int b = 0; b < n && !dup; b++)
				dup = initials ? sp.alt[i][b][0] == s[0] : strcmp(sp.alt[i][b], s) == 0;
			if (!dup && s[0])
				sp.alt[i][n++] = s;
		}
		sp.nalt[i] = n;
	}
	sp.choices_after[t->n] = 0;
	for (int i = t->n - 1; i >= from; i--)
		sp.choices_after[i] = sp.choices_after[i + 1] + (sp.nalt[i] > 1);
	for (int dev = 0; dev <= sp.choices_after[from] && out->n < TZ_PINYIN_COMBOS; dev++)
		gen(&sp, from, t->n, dev, 0);
}

void tz_pinyin_initials(const char *utf8, unsigned flags, tz_pinyin_list *out)
{
	tz_pinyin_text t;
	tz_pinyin_split(utf8, strlen(utf8), flags, &t);
	tz_pinyin_spell(&t, 0, 1, out);
}

void tz_pinyin_full(const char *utf8, unsigned flags, tz_pinyin_list *out)
{
	tz_pinyin_text t;
	tz_pinyin_split(utf8, strlen(utf8), flags, &t);
	tz_pinyin_spell(&t, 0, 0, out);
}
