/* csv.c - a streaming CSV reader and the all-or-nothing roster import.
 *
 * Three layers: the source (a FILE or memory) gives raw bytes; the decoder
 * validates UTF-8 or converts GB18030 into a buffer of UTF-8, remembering a
 * decoding error until the parser reaches it; the parser splits records and
 * counts physical lines.  Errors are sticky: a reader that failed stays
 * failed, since nothing after a broken quote can be trusted.
 */
#include "taizhang/csv.h"

#include <errno.h>
#include <iconv.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "taizhang/buf.h"
#include "taizhang/db_sql.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/utf8.h"
#include "taizhang/validate.h"

#define RAW_CAP (64 * 1024)
#define UBUF_CAP (2 * RAW_CAP + 16) /* GB18030 -> UTF-8 grows at most 3/2 */

enum { CH_EOF = -1, CH_ERR = -2 };

struct tz_csv {
	/* source */
	FILE *f;
	const unsigned char *mem;
	size_t memlen, mempos;
	int src_done;
	/* decoder */
	tz_csv_enc enc;
	iconv_t cd;
	unsigned char raw[RAW_CAP];
	size_t rawlen;
	unsigned char *ubuf;
	size_t ulen, upos;
	int started, bom, eof; /* started: the first read is done */
	int pend; /* a decoding or read error after the decoded bytes */
	tz_status pend_st;
	char pend_msg[TZ_ERR_MAX];
	/* parser */
	int sep;
	int push; /* a pushed-back byte, or -1 */
	long line;
	char *rbuf;
	size_t rlen, rcap, content;
	size_t off[TZ_CSV_MAX_FIELDS];
	char *fields[TZ_CSV_MAX_FIELDS];
	size_t lens[TZ_CSV_MAX_FIELDS];
	/* sticky error */
	tz_status st;
	long err_line;
	char err_msg[TZ_ERR_MAX];
};

int tz_csv_encoding_parse(const char *name)
{
	static const char *const utf8[] = {"utf-8", "utf8"};
	static const char *const gb[] = {"gb18030", "gbk", "gb2312", "cp936"};
	if (!name)
		return -1;
	for (size_t i = 0; i < sizeof utf8 / sizeof utf8[0]; i++)
		if (!strcasecmp(name, utf8[i]))
			return TZ_ENC_UTF8;
	for (size_t i = 0; i < sizeof gb / sizeof gb[0]; i++)
		if (!strcasecmp(name, gb[i]))
			return TZ_ENC_GB18030;
	return -1;
}

/* ---- reader: source and decoder ---- */

static tz_status open_common(tz_csv **out, tz_csv_enc enc, tz_err *err)
{
	tz_csv *c = calloc(1, sizeof *c);
	*out = NULL;
	if (!c || !(c->ubuf = malloc(UBUF_CAP))) {
		free(c);
		return tz_nomem(err);
	}
	c->enc = enc;
	c->cd = (iconv_t)-1;
	if (enc == TZ_ENC_GB18030 && (c->cd = iconv_open("UTF-8", "GB18030")) == (iconv_t)-1) {
		int e = errno;
		free(c->ubuf);
		free(c);
		return tz_fail(err, TZ_EIO, "this system cannot convert GB18030 text: %s",
			       "本系统无法转换 GB18030 编码：%s", tz_strerror(e));
	}
	c->sep = ',';
	c->push = -1;
	c->line = 1;
	*out = c;
	return TZ_OK;
}

tz_status tz_csv_open(tz_csv **out, FILE *f, tz_csv_enc enc, tz_err *err)
{
	tz_status st = open_common(out, enc, err);
	if (!st)
		(*out)->f = f;
	return st;
}

tz_status tz_csv_open_mem(tz_csv **out, const char *buf, size_t len, tz_csv_enc enc,
			  tz_err *err)
{
	tz_status st = open_common(out, enc, err);
	if (!st) {
		(*out)->mem = (const unsigned char *)buf;
		(*out)->memlen = len;
	}
	return st;
}

void tz_csv_close(tz_csv *c)
{
	if (!c)
		return;
	if (c->cd != (iconv_t)-1)
		iconv_close(c->cd);
	free(c->ubuf);
	free(c->rbuf);
	free(c);
}

int tz_csv_separator(const tz_csv *c) { return c->sep; }

static void pend_set(tz_csv *c, const tz_err *e)
{
	c->pend = 1;
	c->pend_st = e->status;
	memcpy(c->pend_msg, e->msg, sizeof c->pend_msg);
}

/* Remember a decoding error for when the parser gets there. */
#define PEND(c, st_, ...)                          \
	do {                                       \
		tz_err e_;                         \
		tz_fail(&e_, st_, __VA_ARGS__);    \
		pend_set(c, &e_);                  \
	} while (0)

/* Append up to `room` raw bytes; sets src_done at the end. */
static int read_raw(tz_csv *c)
{
	size_t room = sizeof c->raw - c->rawlen, n;
	if (!room || c->src_done)
		return 0;
	if (c->mem) {
		n = c->memlen - c->mempos < room ? c->memlen - c->mempos : room;
		memcpy(c->raw + c->rawlen, c->mem + c->mempos, n);
		c->mempos += n;
		if (c->mempos == c->memlen)
			c->src_done = 1;
	} else {
		n = fread(c->raw + c->rawlen, 1, room, c->f);
		if (n < room) {
			if (ferror(c->f)) {
				PEND(c, TZ_EIO, "read error: %s", "读取出错：%s", tz_strerror(errno));
				return -1;
			}
			c->src_done = 1;
		}
	}
	c->rawlen += n;
	return 0;
}

/* Files that are not text at all get a message that says what they are. */
static int sniff_binary(tz_csv *c)
{
	const unsigned char *r = c->raw;
	size_t n = c->rawlen;
	if (n >= 2 && ((r[0] == 0xff && r[1] == 0xfe) || (r[0] == 0xfe && r[1] == 0xff))) {
		PEND(c, TZ_EINVAL, "the file is UTF-16 text (Excel's \"Unicode Text\"); save it as \"CSV UTF-8\"",
		     "文件是 UTF-16 文本（Excel 的“Unicode 文本”）；请另存为“CSV UTF-8”");
		return 1;
	}
	if ((n >= 4 && !memcmp(r, "PK\3\4", 4)) ||
	    (n >= 8 && !memcmp(r, "\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", 8))) {
		PEND(c, TZ_EINVAL, "this is an Excel workbook, not a CSV file; in Excel use Save As, \"CSV UTF-8\"",
		     "这是 Excel 工作簿而不是 CSV 文件；请在 Excel 中“另存为”“CSV UTF-8”");
		return 1;
	}
	return 0;
}

static void decode_utf8(tz_csv *c, int last)
{
	size_t i = 0;
	while (i < c->rawlen) {
		if (c->raw[i] < 0x80) {
			i++;
			continue;
		}
		int l = tz_utf8_len((const char *)c->raw + i, c->rawlen - i);
		if (l > 0) {
			i += (size_t)l;
			continue;
		}
		if (l == 0 && !last)
			break; /* the rest comes with the next read */
		if (c->bom)
			PEND(c, TZ_EINVAL, "not valid UTF-8 text (byte 0x%02X)",
				 "不是有效的 UTF-8 文本（字节 0x%02X）", (unsigned)c->raw[i]);
		else
			PEND(c, TZ_EINVAL,
				 "not valid UTF-8 text (byte 0x%02X); if the file was saved as GBK/GB18030 "
				 "(Excel's plain \"CSV\"), use --encoding gb18030",
				 "不是有效的 UTF-8 文本（字节 0x%02X）；如果文件是以 GBK/GB18030 编码保存的"
				 "（Excel 的普通“CSV”格式），请使用 --encoding gb18030",
				 (unsigned)c->raw[i]);
		break;
	}
	memcpy(c->ubuf, c->raw, i);
	c->ulen = i;
	memmove(c->raw, c->raw + i, c->rawlen - i);
	c->rawlen -= i;
}

static void decode_gb(tz_csv *c, int last)
{
	char *in = (char *)c->raw, *out = (char *)c->ubuf;
	size_t inleft = c->rawlen, outleft = UBUF_CAP;
	if (iconv(c->cd, &in, &inleft, &out, &outleft) == (size_t)-1) {
		if (errno == EILSEQ || (errno == EINVAL && last))
			PEND(c, TZ_EINVAL,
				 "not valid GB18030/GBK text (byte 0x%02X); if the file is UTF-8, "
				 "leave out --encoding",
				 "不是有效的 GB18030/GBK 文本（字节 0x%02X）；如果文件是 UTF-8 编码，"
				 "请去掉 --encoding",
				 (unsigned)(unsigned char)*in);
		/* EINVAL: a character cut by the read, E2BIG: more next time */
	}
	c->ulen = (size_t)(out - (char *)c->ubuf);
	memmove(c->raw, in, inleft);
	c->rawlen = inleft;
}

/* Refill the decoded buffer (it is empty). */
static void fill(tz_csv *c)
{
	c->upos = c->ulen = 0;
	if (read_raw(c))
		return;
	int last = c->src_done;
	if (!c->started) {
		if (sniff_binary(c))
			return;
		/* a UTF-8 BOM settles the encoding, whatever was asked */
		c->bom = c->rawlen >= 3 && !memcmp(c->raw, "\xef\xbb\xbf", 3);
		if (c->bom)
			c->enc = TZ_ENC_UTF8;
	}
	if (c->enc == TZ_ENC_GB18030)
		decode_gb(c, last);
	else
		decode_utf8(c, last);
	if (!c->started) {
		/* a BOM (UTF-8's, or GB18030's once converted) is skipped */
		if (c->ulen >= 3 && !memcmp(c->ubuf, "\xef\xbb\xbf", 3))
			c->upos = 3;
		/* a header line with tabs and no commas: TAB-separated */
		const unsigned char *p = c->ubuf + c->upos, *e = c->ubuf + c->ulen;
		int tabs = 0, commas = 0;
		for (; p < e && *p != '\n' && *p != '\r'; p++)
			tabs += *p == '\t', commas += *p == ',';
		if (tabs && !commas)
			c->sep = '\t';
	}
	c->started = 1;
	if (last && !c->rawlen && !c->pend)
		c->eof = 1;
}

static int getch(tz_csv *c)
{
	if (c->push >= 0) {
		int ch = c->push;
		c->push = -1;
		return ch;
	}
	while (c->upos == c->ulen) {
		if (c->pend)
			return CH_ERR;
		if (c->eof)
			return CH_EOF;
		fill(c);
	}
	return c->ubuf[c->upos++];
}

/* After a CR: swallow the LF of a CRLF. */
static void eat_lf(tz_csv *c)
{
	int ch = getch(c);
	if (ch >= 0 && ch != '\n')
		c->push = ch;
}

/* ---- parser ---- */

static tz_status fail_at(tz_csv *c, long line, tz_status st, const char *en, const char *zh, ...)
	__attribute__((format(printf, 4, 6)));

/* The two format strings take the same arguments; only one is used. */
static tz_status fail_at(tz_csv *c, long line, tz_status st, const char *en, const char *zh, ...)
{
	va_list ap;
	va_start(ap, zh);
	vsnprintf(c->err_msg, sizeof c->err_msg, tz_tr(en, zh), ap);
	va_end(ap);
	c->st = st;
	c->err_line = line;
	return st;
}

static tz_status pending(tz_csv *c)
{
	c->st = c->pend_st;
	c->err_line = c->line;
	memcpy(c->err_msg, c->pend_msg, sizeof c->err_msg);
	return c->st;
}

static tz_status room(tz_csv *c, long rline)
{
	if (c->rlen < c->rcap)
		return TZ_OK;
	size_t cap = c->rcap ? 2 * c->rcap : 4096;
	char *p = realloc(c->rbuf, cap);
	if (!p)
		return fail_at(c, rline, TZ_ENOMEM, "out of memory", "内存不足");
	c->rbuf = p;
	c->rcap = cap;
	return TZ_OK;
}

static tz_status put(tz_csv *c, int ch, size_t fstart, long rline, int nf)
{
	if (ch == 0)
		return fail_at(c, c->line, TZ_EINVAL,
			       "a NUL byte in field %d: is this really a CSV text file?",
			       "第 %d 个字段中有 NUL 字节：这真的是 CSV 文本文件吗？", nf + 1);
	if (c->rlen - fstart >= TZ_CSV_MAX_FIELD)
		return fail_at(c, rline, TZ_EINVAL, "field %d is longer than %d KiB",
			       "第 %d 个字段超过 %d KiB", nf + 1, TZ_CSV_MAX_FIELD / 1024);
	if (c->content >= TZ_CSV_MAX_RECORD)
		return fail_at(c, rline, TZ_EINVAL, "the record is longer than %d MiB",
			       "该记录超过 %d MiB", TZ_CSV_MAX_RECORD / (1024 * 1024));
	tz_status st = room(c, rline);
	if (st)
		return st;
	c->rbuf[c->rlen++] = (char)ch;
	c->content++;
	return TZ_OK;
}

static int is_eol(int ch) { return ch == '\n' || ch == '\r'; }

static tz_status next_record(tz_csv *c, tz_csv_rec *rec)
{
	int ch, nf = 0;
	tz_status st;

	c->rlen = c->content = 0;
	for (;;) { /* blank lines */
		ch = getch(c);
		if (ch == '\r')
			eat_lf(c);
		if (!is_eol(ch))
			break;
		c->line++;
	}
	rec->line = c->line;
	if (ch == CH_EOF)
		return TZ_OK;
	for (;;) {
		if (ch == CH_ERR)
			return pending(c);
		if (nf == TZ_CSV_MAX_FIELDS)
			return fail_at(c, rec->line, TZ_EINVAL, "more than %d fields",
				       "字段超过 %d 个", TZ_CSV_MAX_FIELDS);
		size_t fstart = c->rlen;
		c->off[nf] = fstart;
		if (ch == '"') {
			long qline = c->line;
			for (;;) {
				ch = getch(c);
				if (ch == '"' && (ch = getch(c)) != '"')
					break; /* ch follows the closing quote */
				if (ch == CH_EOF)
					return fail_at(c, qline, TZ_EINVAL,
						       "unterminated quote: the quoted field %d opened on line "
						       "%ld is never closed",
						       "引号未闭合：第 %d 个字段的引号从第 %ld 行开始，直到文件末尾"
						       "也没有结束",
						       nf + 1, qline);
				if (ch == CH_ERR)
					return pending(c);
				if (ch == '\r') {
					eat_lf(c);
					ch = '\n';
				}
				if (ch == '\n')
					c->line++;
				if ((st = put(c, ch, fstart, rec->line, nf)))
					return st;
			}
			if (ch != c->sep && !is_eol(ch) && ch != CH_EOF) {
				if (ch == CH_ERR)
					return pending(c);
				return fail_at(c, c->line, TZ_EINVAL,
					       "field %d: text after the closing quote (a quote inside a "
					       "quoted field is written twice: \"\")",
					       "第 %d 个字段：右引号后还有文字（引号内的引号应写成两个：\"\"）",
					       nf + 1);
			}
		} else {
			while (ch != c->sep && !is_eol(ch) && ch >= 0) {
				if ((st = put(c, ch, fstart, rec->line, nf)))
					return st;
				ch = getch(c);
			}
			if (ch == CH_ERR)
				return pending(c);
		}
		if ((st = room(c, rec->line)))
			return st;
		c->lens[nf] = c->rlen - fstart;
		c->rbuf[c->rlen++] = '\0';
		nf++;
		if (ch == c->sep) {
			ch = getch(c);
			continue;
		}
		if (ch == '\r')
			eat_lf(c);
		if (is_eol(ch))
			c->line++;
		break;
	}
	for (int i = 0; i < nf; i++)
		c->fields[i] = c->rbuf + c->off[i];
	rec->n = nf;
	return TZ_OK;
}

tz_status tz_csv_next(tz_csv *c, tz_csv_rec *rec, tz_err *err)
{
	rec->n = 0;
	rec->field = c->fields;
	rec->len = c->lens;
	if (!c->st)
		next_record(c, rec);
	if (c->st) {
		rec->n = 0;
		rec->line = c->err_line;
		if (err) {
			err->status = c->st;
			memcpy(err->msg, c->err_msg, sizeof err->msg);
		}
		return c->st;
	}
	return TZ_OK;
}

/* ---- import ---- */

void tz_csv_report_free(tz_csv_report *rep)
{
	if (!rep)
		return;
	free(rep->ids);
	rep->ids = NULL;
	rep->imported = 0;
}

/* National ID numbers already seen in the file: open addressing. */
typedef struct {
	char key[19];
	long line;
} seen_slot;

typedef struct {
	tz_db *db;
	const tz_table *t;
	tz_csv_bad_fn bad;
	void *ctx;
	tz_csv_report *rep;
	long last_bad;
	int ncol;
	int col[TZ_CSV_MAX_FIELDS]; /* field index per column, -1 for none */
	tz_kv kv[TZ_CSV_MAX_FIELDS];
	int uniq; /* field index of the ID number, -1 if the table has none */
	seen_slot *seen;
	size_t nseen, capseen;
	sqlite3_stmt *live;
	size_t capids;
} importer;

/* Report one problem; several on the same line count as one bad line. */
static void problem(importer *im, long line, const char *msg)
{
	if (line != im->last_bad || line == 0) {
		if (im->rep->bad == TZ_CSV_MAX_BAD) {
			im->rep->truncated = 1; /* this one is not counted */
			im->last_bad = line;
			return;
		}
		im->rep->bad++;
	}
	im->last_bad = line;
	if (im->bad)
		im->bad(im->ctx, line, msg);
}

#define PROBLEM(im, line, ...)                             \
	do {                                               \
		tz_err e_;                                 \
		tz_fail(&e_, TZ_EINVAL, __VA_ARGS__);      \
		problem(im, line, e_.msg);                 \
	} while (0)

static uint64_t hash19(const char *s)
{
	uint64_t h = 1469598103934665603u;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211u;
	return h;
}

/* The line a key was first seen on, or 0 after adding it with `line`; -1 if
 * out of memory. */
static long seen_add(importer *im, const char *key, long line)
{
	if (2 * (im->nseen + 1) > im->capseen) {
		size_t cap = im->capseen ? 2 * im->capseen : 1024;
		seen_slot *n = calloc(cap, sizeof *n);
		if (!n)
			return -1;
		for (size_t i = 0; i < im->capseen; i++) {
			if (!im->seen[i].key[0])
				continue;
			size_t j = hash19(im->seen[i].key) & (cap - 1);
			while (n[j].key[0])
				j = (j + 1) & (cap - 1);
			n[j] = im->seen[i];
		}
		free(im->seen);
		im->seen = n;
		im->capseen = cap;
	}
	size_t j = hash19(key) & (im->capseen - 1);
	for (; im->seen[j].key[0]; j = (j + 1) & (im->capseen - 1))
		if (!strcmp(im->seen[j].key, key))
			return im->seen[j].line;
	memcpy(im->seen[j].key, key, 19);
	im->seen[j].line = line;
	im->nseen++;
	return 0;
}

/* Trim ASCII white space, U+3000 and U+FEFF; in place. */
static char *trim(char *s)
{
	for (;;) {
		if (*s == ' ' || (*s >= '\t' && *s <= '\r'))
			s++;
		else if (!strncmp(s, "\xe3\x80\x80", 3) || !strncmp(s, "\xef\xbb\xbf", 3))
			s += 3;
		else
			break;
	}
	size_t n = strlen(s);
	for (;;) {
		if (n && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
			n--;
		else if (n >= 3 && (!strncmp(s + n - 3, "\xe3\x80\x80", 3) ||
				    !strncmp(s + n - 3, "\xef\xbb\xbf", 3)))
			n -= 3;
		else
			break;
	}
	s[n] = '\0';
	return s;
}

/* A header cell to a field: name or label, then ignoring case, then without
 * the "*" that templates put on required columns. */
static int header_field(const tz_table *t, char *h)
{
	int i = tz_schema_field_find(t, h);
	if (i >= 0)
		return i;
	for (i = 0; i < t->nfields; i++)
		if (!strcasecmp(t->fields[i].name, h) || !strcasecmp(t->fields[i].en, h))
			return i;
	size_t n = strlen(h);
	if (n > 1 && (h[0] == '*' || h[n - 1] == '*')) {
		if (h[n - 1] == '*')
			h[n - 1] = '\0';
		return header_field(t, trim(h[0] == '*' ? h + 1 : h));
	}
	if (n > 3 && (!strncmp(h, "\xef\xbc\x8a", 3) || !strcmp(h + n - 3, "\xef\xbc\x8a"))) {
		if (!strcmp(h + n - 3, "\xef\xbc\x8a")) /* full-width asterisk */
			h[n - 3] = '\0';
		return header_field(t, trim(!strncmp(h, "\xef\xbc\x8a", 3) ? h + 3 : h));
	}
	return -1;
}

/* A cell shown in a message: one line (control characters as \n or \xNN),
 * at most `max` bytes of text, cut at a character boundary. */
static const char *shown(const char *s, char *buf, size_t cap, size_t max)
{
	size_t n = 0;
	const unsigned char *p = (const unsigned char *)s;
	while (*p && n + 8 < cap) {
		if (n >= max) {
			memcpy(buf + n, "…", 3);
			n += 3;
			break;
		}
		if (*p < 0x20 || *p == 0x7f) {
			n += (size_t)snprintf(buf + n, cap - n, *p == '\n' ? "\\n" : "\\x%02x", *p);
			p++;
			continue;
		}
		int l = tz_utf8_len((const char *)p, strlen((const char *)p));
		if (l <= 0)
			l = 1;
		memcpy(buf + n, p, (size_t)l);
		n += (size_t)l;
		p += l;
	}
	buf[n] = '\0';
	return buf;
}

/* The table's columns for an error message, cut to fit. */
static void field_list(const tz_table *t, char *buf, size_t cap)
{
	size_t n = 0;
	buf[0] = '\0';
	for (int i = 0; i < t->nfields; i++) {
		const tz_field *f = &t->fields[i];
		const char *s = tz_lang_get() == TZ_LANG_ZH ? f->zh : f->name;
		size_t l = strlen(s) + (i ? 2 : 0);
		if (n + l + 4 >= cap) {
			snprintf(buf + n, cap - n, "%s", "…");
			return;
		}
		n += (size_t)snprintf(buf + n, cap - n, "%s%s", i ? (tz_lang_get() == TZ_LANG_ZH ? "、" : ", ") : "", s);
	}
}

static void header(importer *im, const tz_csv_rec *rec)
{
	const tz_table *t = im->t;
	im->ncol = rec->n;
	for (int i = 0; i < rec->n; i++) {
		char *h = trim(rec->field[i]);
		im->col[i] = -1;
		if (!*h)
			continue; /* no header: the column must stay empty */
		if (!strcasecmp(h, "id")) {
			PROBLEM(im, rec->line,
				"column %d \"id\": import-csv only adds new records (change existing ones "
				"with 'record set')",
				"第 %d 列“id”：导入只能新增记录（修改已有记录请用 record set）", i + 1);
			continue;
		}
		int f = header_field(t, h);
		if (f < 0) {
			char known[300];
			field_list(t, known, sizeof known);
			char sh[96];
			PROBLEM(im, rec->line, "column %d \"%s\": %s has no such field (fields: %s)",
				"第 %d 列“%s”：%s没有这个字段（可用：%s）", i + 1,
				shown(h, sh, sizeof sh, 60),
				tz_tr(t->en, t->zh), known);
			continue;
		}
		for (int j = 0; j < i; j++)
			if (im->col[j] == f) {
				PROBLEM(im, rec->line, "columns %d and %d are both %s",
					"第 %d 列和第 %d 列都是“%s”", j + 1, i + 1,
					tz_tr(t->fields[f].en, t->fields[f].zh));
				break;
			}
		im->col[i] = f;
	}
	int any = 0;
	for (int i = 0; i < rec->n; i++)
		any |= im->col[i] >= 0;
	if (!any && !im->rep->bad)
		PROBLEM(im, rec->line, "the first line must name the columns (%s)",
			"第一行应为表头，写明各列的字段名（%s）", tz_tr(t->en, t->zh));
}

/* Uniqueness of the ID number: within the file and against live records. */
static tz_status check_unique(importer *im, long line, const char *v, int *dup, tz_err *err)
{
	char norm[19];
	tz_err e;
	*dup = 0;
	if (tz_valid_idnum(v, norm, NULL, NULL, &e))
		return TZ_OK; /* tz_record_add says what is wrong */
	long first = seen_add(im, norm, line);
	if (first < 0)
		return tz_nomem(err);
	if (first) {
		*dup = 1;
		PROBLEM(im, line, "ID number %s is already on line %ld of the file",
			"身份证号 %s 与文件第 %ld 行重复", norm, first);
		return TZ_OK;
	}
	sqlite3_stmt *s = im->live;
	sqlite3_reset(s);
	sqlite3_bind_text(s, 1, norm, -1, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW) {
		*dup = 1;
		PROBLEM(im, line, "ID number %s is already registered (%s %s)",
			"身份证号 %s 已登记（%s %s）", norm, tz_tr(im->t->en, im->t->zh),
			(const char *)sqlite3_column_text(s, 0));
	} else if (rc != SQLITE_DONE) {
		sqlite3_reset(s);
		return tz_db_fail(im->db, err, tz_tr(im->t->en, im->t->zh));
	}
	sqlite3_reset(s);
	return TZ_OK;
}

static tz_status add_id(importer *im, const char id[33], tz_err *err)
{
	tz_csv_report *rep = im->rep;
	char(*p)[33] = tz_buf_grow(rep->ids, (size_t)rep->imported, &im->capids, sizeof *p);
	if (!p)
		return tz_nomem(err);
	rep->ids = p;
	memcpy(rep->ids[rep->imported++], id, 33);
	return TZ_OK;
}

static tz_status row(importer *im, const tz_csv_rec *rec, tz_err *err)
{
	int n = 0, empty = 1;
	for (int i = 0; i < rec->n && empty; i++)
		empty = !*trim(rec->field[i]);
	if (empty)
		return TZ_OK; /* Excel leaves rows of bare commas behind */
	im->rep->rows++;
	if (rec->n > im->ncol)
		for (int i = im->ncol; i < rec->n; i++)
			if (*trim(rec->field[i])) {
				PROBLEM(im, rec->line, "%d cells, but the header has only %d columns",
					"有 %d 个单元格，但表头只有 %d 列", rec->n, im->ncol);
				return TZ_OK;
			}
	const char *idv = NULL;
	for (int i = 0; i < rec->n && i < im->ncol; i++) {
		char *v = rec->field[i];
		if (!*v)
			continue;
		if (im->col[i] < 0) {
			if (*trim(v)) {
				char sh[64];
				PROBLEM(im, rec->line, "column %d has no header but holds \"%s\"",
					"第 %d 列没有表头，却填写了“%s”", i + 1, shown(v, sh, sizeof sh, 40));
				return TZ_OK;
			}
			continue;
		}
		im->kv[n].name = im->t->fields[im->col[i]].name;
		im->kv[n].value = v;
		n++;
		if (im->col[i] == im->uniq)
			idv = v;
	}
	tz_status st;
	if (idv) {
		int dup;
		if ((st = check_unique(im, rec->line, idv, &dup, err)))
			return st;
		if (dup)
			return TZ_OK;
	}
	char id[33];
	tz_err e;
	tz_err_clear(&e);
	st = tz_record_add(im->db, im->t->name, im->kv, n, id, &e);
	if (st == TZ_OK)
		return im->rep->bad ? TZ_OK : add_id(im, id, err);
	if (tz_status_exit(st) == 1) {
		problem(im, rec->line, e.msg);
		return TZ_OK;
	}
	*err = e; /* the environment failed: stop */
	return st;
}

static tz_status run(importer *im, tz_csv *c, tz_err *err)
{
	tz_csv_rec rec;
	tz_err e;
	tz_status st = tz_csv_next(c, &rec, &e);
	if (st == TZ_OK && rec.n == 0)
		st = tz_fail(&e, TZ_EINVAL, "the file is empty: the first line must name the columns",
			     "文件是空的：第一行应为表头（列名）");
	if (st == TZ_OK)
		header(im, &rec);
	if (st == TZ_OK && im->rep->bad)
		return TZ_OK; /* rows cannot be read without their columns */
	while (st == TZ_OK) {
		if ((st = tz_csv_next(c, &rec, &e)) || rec.n == 0)
			break;
		if ((st = row(im, &rec, err)))
			return st;
		if (im->rep->truncated)
			return TZ_OK;
	}
	if (st == TZ_EINVAL) {
		problem(im, rec.line, e.msg);
		return TZ_OK;
	}
	if (st)
		*err = e;
	return st;
}

tz_status tz_csv_import_reader(tz_db *db, const char *table, tz_csv *c, tz_csv_bad_fn bad,
			       void *ctx, tz_csv_report *rep, tz_err *err)
{
	const tz_table *t = tz_schema_table_find(table);
	memset(rep, 0, sizeof *rep);
	if (!t)
		return tz_fail(err, TZ_EUSAGE, "unknown table '%.40s'", "没有名为“%.40s”的表", table);
	importer *im = calloc(1, sizeof *im);
	if (!im)
		return tz_nomem(err);
	im->db = db;
	im->t = t;
	im->bad = bad;
	im->ctx = ctx;
	im->rep = rep;
	im->last_bad = -1;
	im->uniq = -1;
	for (int i = 0; i < t->nfields; i++)
		if (t->fields[i].type == TZ_T_IDNUM)
			im->uniq = i;
	tz_status st = TZ_OK;
	if (im->uniq >= 0) {
		char sql[160];
		snprintf(sql, sizeof sql,
			 "SELECT id FROM \"%s\" WHERE \"%s\"=?1 AND _deleted=0 ORDER BY id LIMIT 1",
			 t->name, t->fields[im->uniq].name);
		if (sqlite3_prepare_v2(tz_db_sql(db), sql, -1, &im->live, NULL) != SQLITE_OK)
			st = tz_db_fail(db, err, tz_tr(t->en, t->zh));
	}
	if (!st && !(st = tz_db_begin(db, err))) {
		st = run(im, c, err);
		if (!st && !rep->bad)
			st = tz_db_commit(db, err);
		else
			tz_db_rollback(db);
	}
	if (!st && rep->bad) {
		if (rep->truncated)
			st = tz_fail(err, TZ_EINVAL,
				     "nothing imported: more than %d bad lines, stopped at line %ld",
				     "未导入任何记录：错误超过 %d 行，已在第 %ld 行停止", TZ_CSV_MAX_BAD,
				     im->last_bad);
		else
			st = tz_fail(err, TZ_EINVAL, "nothing imported: %ld bad line%s",
				     "未导入任何记录：%ld 行有误%s", rep->bad,
				     tz_lang_get() == TZ_LANG_ZH || rep->bad == 1 ? "" : "s");
	}
	if (st)
		tz_csv_report_free(rep);
	sqlite3_finalize(im->live);
	free(im->seen);
	free(im);
	return st;
}

tz_status tz_csv_import(tz_db *db, const char *table, const char *path, const char *encoding,
			tz_csv_bad_fn bad, void *ctx, tz_csv_report *rep, tz_err *err)
{
	memset(rep, 0, sizeof *rep);
	int enc = encoding ? tz_csv_encoding_parse(encoding) : TZ_ENC_UTF8;
	if (enc < 0)
		return tz_fail(err, TZ_EUSAGE, "unknown encoding '%.40s' (use utf-8 or gb18030)",
			       "未知编码“%.40s”（可用 utf-8 或 gb18030）", encoding);
	if (!tz_schema_table_find(table))
		return tz_fail(err, TZ_EUSAGE, "unknown table '%.40s'", "没有名为“%.40s”的表", table);
	int std = !strcmp(path, "-");
	FILE *f = std ? stdin : fopen(path, "rb");
	if (!f)
		return tz_fail(err, TZ_EIO, "cannot open %s: %s", "无法打开 %s：%s", path,
			       tz_strerror(errno));
	tz_csv *c;
	tz_status st = tz_csv_open(&c, f, (tz_csv_enc)enc, err);
	if (!st) {
		st = tz_csv_import_reader(db, table, c, bad, ctx, rep, err);
		if (st == TZ_EIO && c->st == TZ_EIO)
			tz_fail(err, TZ_EIO, "%s: %s", "%s：%s", path, c->err_msg);
		tz_csv_close(c);
	}
	if (!std)
		fclose(f);
	return st;
}
