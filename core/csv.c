/* csv.c - a streaming CSV reader.
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
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/utf8.h"

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

tz_status tz_csv_status(const tz_csv *c, const char **msg)
{
	if (msg)
		*msg = c->err_msg;
	return c->st;
}
