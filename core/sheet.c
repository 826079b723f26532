/* sheet.c - lists and reports for spreadsheets: office CSV and xlsx.
 *
 * The CSV form is written as rows come.  The xlsx form goes through
 * libxlsxwriter (Debian's libxlsxwriter-dev) in constant-memory mode: each
 * row is flushed to its temporary file when the next begins; column widths,
 * the filter and the print setup are settled at close, when the whole sheet
 * is known.
 */
#include "taizhang/sheet.h"

#include <dlfcn.h>
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <xlsxwriter.h>

#include "taizhang/date.h"
#include "taizhang/file.h"
#include "taizhang/utf8.h"

#define MAX_COLS 128
#define COL_MIN 6
#define COL_MAX 50
#define XLSX_STR_MAX 32767 /* characters of one cell */

struct tz_sheet {
	tz_sheet_format fmt;
	tz_sheet_col cols[MAX_COLS];
	int ncols;
	int col;   /* next cell of the current row */
	int bold;  /* the current row is a total row */
	long rows; /* rows ended, header not counted */
	/* where it goes */
	FILE *out;        /* CSV: where rows go; xlsx: where the file is copied (or NULL) */
	int own_out;      /* out is ours (a FILE on the tz_file) */
	tz_file file;     /* open_path: the safe file */
	int have_file;
	char tmp[TZ_PATH_MAX]; /* xlsx to a stream: the temporary file */
	char name[TZ_PATH_MAX]; /* what errors name */
	/* xlsx */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head, *fmt_of[4][2]; /* [kind][total] */
	double width[MAX_COLS];
	char *title, *subtitle;
	/* sticky error */
	tz_status st;
	tz_err err;
};

int tz_sheet_format_parse(const char *name)
{
	if (!name)
		return -1;
	if (!strcmp(name, "csv"))
		return TZ_SHEET_CSV;
	if (!strcmp(name, "xlsx"))
		return TZ_SHEET_XLSX;
	return -1;
}

static void fail_write(tz_sheet *s, const char *detail)
{
	if (s->st)
		return;
	s->st = TZ_EIO;
	tz_fail(&s->err, TZ_EIO, "cannot write %.200s: %s", "无法写入 %.200s：%s", s->name, detail);
}

static void fail_io(tz_sheet *s, int e)
{
	if (s->st)
		return;
	if (e == ENOSPC || e == EDQUOT) {
		s->st = TZ_EIO;
		tz_fail(&s->err, TZ_EIO, "%.200s: the disk is full", "%.200s：磁盘已满", s->name);
	} else {
		fail_write(s, tz_strerror(e));
	}
}

/* ---- CSV ---- */

/* 1 if a spreadsheet would read s as something other than the text it is: a
 * number (4.30181E+17, 13800138000, 0731… losing its 0), a date or time
 * (5-1, 1/2, 12:30), a percentage, or a formula (= + - @ first). */
static int mangled(const char *s)
{
	if (!*s)
		return 0;
	if (strchr("=+-@\t\r", *s))
		return 1;
	int digit = 0;
	for (const char *p = s; *p; p++) {
		if (*p >= '0' && *p <= '9')
			digit = 1;
		else if (!strchr(".,/:eE%+- ", *p))
			return 0;
	}
	return digit;
}

static void csv_raw(FILE *f, const char *s, size_t n)
{
	/* quoted when it holds a separator, a quote, a line end, or spaces at an end */
	int q = n && (s[0] == ' ' || s[n - 1] == ' ');
	for (size_t i = 0; i < n && !q; i++)
		q = s[i] == ',' || s[i] == '"' || s[i] == '\r' || s[i] == '\n';
	if (!q) {
		fwrite(s, 1, n, f);
		return;
	}
	fputc('"', f);
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '"')
			fputc('"', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

/* Control characters other than a line break or a tab are dropped: they
 * have no place in a cell and some spreadsheets refuse the file for them. */
static size_t clean(const char *v, char *out, size_t n)
{
	size_t k = 0;
	for (; *v && k + 1 < n; v++) {
		unsigned char c = (unsigned char)*v;
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			continue;
		out[k++] = *v;
	}
	out[k] = '\0';
	return k;
}

/* Excel keeps a formula's text at 255 characters: longer values that need
 * keeping as text get a leading apostrophe, which both programs hide. */
static void csv_cell(FILE *f, const char *v, tz_col_kind kind)
{
	static char buf[3 * 64 * 1024];
	size_t n = clean(v, buf, sizeof buf);
	int keep = kind == TZ_COL_CODE || kind == TZ_COL_TEXT ? mangled(buf) : 0;
	if ((kind == TZ_COL_NUM || kind == TZ_COL_DATE) && mangled(buf) && strchr("=+@\t", buf[0]))
		keep = 1; /* not a number after all: never a formula */
	if (!keep) {
		csv_raw(f, buf, n);
		return;
	}
	if (n <= 255 && !strchr(buf, '\n')) {
		/* a formula's string: its quotes doubled */
		char t[2 * 255 + 4];
		size_t k = 0;
		t[k++] = '=';
		t[k++] = '"';
		for (size_t i = 0; i < n; i++) {
			if (buf[i] == '"')
				t[k++] = '"';
			t[k++] = buf[i];
		}
		t[k++] = '"';
		csv_raw(f, t, k);
		return;
	}
	static char t[3 * 64 * 1024 + 2];
	t[0] = '\'';
	memcpy(t + 1, buf, n + 1);
	csv_raw(f, t, n + 1);
}

void tz_sheet_csv_cell(const char *v, tz_col_kind kind, char *out, size_t n)
{
	char *p = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&p, &len);
	if (!f) {
		if (n)
			out[0] = '\0';
		return;
	}
	csv_cell(f, v, kind);
	fclose(f);
	snprintf(out, n, "%s", p ? p : "");
	free(p);
}

/* ---- xlsx ---- */

/* libxlsxwriter is loaded with dlopen() the first time an xlsx is asked
 * for: linked in, it and libcrypto (which it brings) cost every command
 * 2.7 ms against 1.4 ms for `schema person` (hyperfine, 500 runs). */
#ifndef TZ_XLSX_SONAME
#define TZ_XLSX_SONAME "libxlsxwriter.so.4"
#endif
#define LXW_FUNCS(X) \
	X(workbook_new_opt) \
	X(workbook_add_worksheet) \
	X(workbook_add_format) \
	X(workbook_set_properties) \
	X(workbook_close) \
	X(format_set_num_format) \
	X(format_set_align) \
	X(format_set_bold) \
	X(format_set_top) \
	X(format_set_bg_color) \
	X(format_set_bottom) \
	X(format_set_text_wrap) \
	X(worksheet_write_string) \
	X(worksheet_write_number) \
	X(worksheet_write_datetime) \
	X(worksheet_set_column) \
	X(worksheet_freeze_panes) \
	X(worksheet_autofilter) \
	X(worksheet_set_paper) \
	X(worksheet_set_landscape) \
	X(worksheet_fit_to_pages) \
	X(worksheet_repeat_rows) \
	X(worksheet_set_margins) \
	X(worksheet_set_header) \
	X(worksheet_set_footer) \
	X(lxw_strerror)

static struct {
#define X(n) __typeof__(&n) n;
	LXW_FUNCS(X)
#undef X
} lx;
static const char *const lx_names[] = {
#define X(n) #n,
	LXW_FUNCS(X)
#undef X
};
static pthread_once_t lx_once = PTHREAD_ONCE_INIT;
static int lx_ok;

static void lx_load(void)
{
	/* never closed: it stays for the life of the process */
	void *h = dlopen(TZ_XLSX_SONAME, RTLD_NOW | RTLD_LOCAL);
	if (!h)
		return;
	void **slot = (void **)&lx;
	for (size_t i = 0; i < sizeof lx_names / sizeof *lx_names; i++)
		if (!(slot[i] = dlsym(h, lx_names[i])))
			return;
	lx_ok = 1;
}

static tz_status lx_need(tz_err *err)
{
	pthread_once(&lx_once, lx_load);
	if (lx_ok)
		return TZ_OK;
	return tz_fail(err, TZ_EIO,
		       "Excel (xlsx) files need the libxlsxwriter4 package: sudo apt-get install libxlsxwriter4 (or use --format csv)",
		       "生成 Excel（xlsx）文件需要 libxlsxwriter4 软件包：sudo apt-get install libxlsxwriter4（或改用 --format csv）");
}


static double text_width(const char *s)
{
	/* the widest line, in characters of the default font (CJK: two) */
	int w = 0, best = 0;
	const char *p = s;
	while (*p) {
		size_t len;
		long cp = tz_utf8_decode(p, strlen(p), &len);
		if (cp == '\n') {
			w = 0;
		} else {
			w += cp < 0 ? 1 : tz_utf8_cp_width(cp) > 0 ? tz_utf8_cp_width(cp) : 0;
			if (w > best)
				best = w;
		}
		p += len ? len : 1;
	}
	return best;
}

static void xlsx_check(tz_sheet *s, lxw_error e)
{
	if (e != LXW_NO_ERROR)
		fail_write(s, lx.lxw_strerror(e));
}

static lxw_format *new_format(lxw_workbook *wb, tz_col_kind kind, int bold)
{
	lxw_format *f = lx.workbook_add_format(wb);
	if (!f)
		return NULL;
	if (kind == TZ_COL_CODE || kind == TZ_COL_TEXT)
		lx.format_set_num_format(f, "@");
	else if (kind == TZ_COL_DATE)
		lx.format_set_num_format(f, "yyyy-mm-dd");
	lx.format_set_align(f, LXW_ALIGN_VERTICAL_TOP);
	if (bold) {
		lx.format_set_bold(f);
		lx.format_set_top(f, LXW_BORDER_THIN);
	}
	return f;
}

/* A sheet name: at most 31 characters, none of []:*?/\ */
static void sheet_name(const char *title, char *out, size_t n)
{
	size_t k = 0;
	int chars = 0;
	for (const char *p = title ? title : ""; *p && chars < 31 && k + 5 < n;) {
		size_t len;
		long cp = tz_utf8_decode(p, strlen(p), &len);
		if (cp < 0 || !len)
			break;
		if (cp < 0x20 || strchr("[]:*?/\\'", (int)cp))
			out[k++] = '_';
		else
			for (size_t i = 0; i < len; i++)
				out[k++] = p[i];
		p += len;
		chars++;
	}
	out[k] = '\0';
	if (!k)
		snprintf(out, n, "Sheet1");
}

static tz_status xlsx_open(tz_sheet *s, const char *path)
{
	lxw_workbook_options o = {.constant_memory = LXW_TRUE};
	const char *tmpdir = getenv("TMPDIR");
	if (tmpdir && *tmpdir)
		o.tmpdir = (char *)tmpdir;
	if (!(s->wb = lx.workbook_new_opt(path, &o)))
		return tz_nomem(&s->err);
	char name[128];
	sheet_name(s->title, name, sizeof name);
	if (!(s->ws = lx.workbook_add_worksheet(s->wb, name)))
		return tz_nomem(&s->err);
	if (!(s->head = lx.workbook_add_format(s->wb)))
		return tz_nomem(&s->err);
	lx.format_set_bold(s->head);
	lx.format_set_bg_color(s->head, 0xD9D9D9);
	lx.format_set_bottom(s->head, LXW_BORDER_THIN);
	lx.format_set_align(s->head, LXW_ALIGN_CENTER);
	lx.format_set_align(s->head, LXW_ALIGN_VERTICAL_CENTER);
	lx.format_set_text_wrap(s->head);
	for (int k = 0; k < 4; k++)
		for (int b = 0; b < 2; b++)
			if (!(s->fmt_of[k][b] = new_format(s->wb, (tz_col_kind)k, b)))
				return tz_nomem(&s->err);
	static char author[] = "taizhang";
	lxw_doc_properties props = {.title = s->title, .subject = s->subtitle, .author = author};
	lx.workbook_set_properties(s->wb, &props);
	for (int c = 0; c < s->ncols; c++) {
		const char *h = s->cols[c].head ? s->cols[c].head : "";
		xlsx_check(s, lx.worksheet_write_string(s->ws, 0, (lxw_col_t)c, h, s->head));
		s->width[c] = text_width(h);
	}
	return s->st;
}

static void xlsx_cell(tz_sheet *s, const char *v)
{
	int c = s->col, b = s->bold;
	lxw_row_t r = (lxw_row_t)(s->rows + 1);
	tz_col_kind kind = s->cols[c].kind;
	if (kind == TZ_COL_NUM) {
		char *end;
		errno = 0;
		double d = strtod(v, &end);
		if (end != v && !*end && !errno && strspn(v, "0123456789+-.eE") == strlen(v)) {
			xlsx_check(s, lx.worksheet_write_number(s->ws, r, (lxw_col_t)c, d,
							     s->fmt_of[TZ_COL_NUM][b]));
			double w = text_width(v);
			if (w > s->width[c])
				s->width[c] = w;
			return;
		}
	} else if (kind == TZ_COL_DATE && strlen(v) == 10 && strspn(v, "0123456789-") == 10 &&
		   v[4] == '-' && v[7] == '-') {
		lxw_datetime dt = {.year = atoi(v), .month = atoi(v + 5), .day = atoi(v + 8)};
		if (dt.year >= 1900 && tz_date_real(dt.year, dt.month, dt.day)) {
			xlsx_check(s, lx.worksheet_write_datetime(s->ws, r, (lxw_col_t)c, &dt,
							       s->fmt_of[TZ_COL_DATE][b]));
			if (s->width[c] < 10)
				s->width[c] = 10;
			return;
		}
	}
	/* text: control characters dropped, at most a cell's worth of characters */
	static char buf[3 * 64 * 1024];
	size_t n = clean(v, buf, sizeof buf);
	if (tz_utf8_count(buf, n) > XLSX_STR_MAX) {
		size_t k = 0;
		for (long chars = 0; chars < XLSX_STR_MAX - 1 && k < n; chars++)
			k += (size_t)tz_utf8_len(buf + k, n - k) > 0 ? (size_t)tz_utf8_len(buf + k, n - k) : 1;
		memcpy(buf + k, "\xe2\x80\xa6", 4);
	}
	xlsx_check(s, lx.worksheet_write_string(s->ws, r, (lxw_col_t)c, buf,
					     s->fmt_of[kind == TZ_COL_CODE ? TZ_COL_CODE : TZ_COL_TEXT][b]));
	double w = text_width(buf);
	if (w > s->width[c])
		s->width[c] = w;
}

static void header_text(char *out, size_t n, const char *s)
{
	/* & starts a code in a page header: doubled */
	size_t k = 0;
	for (; s && *s && k + 3 < n; s++) {
		if (*s == '&')
			out[k++] = '&';
		out[k++] = *s == '\n' ? ' ' : *s;
	}
	out[k] = '\0';
}

static void xlsx_finish(tz_sheet *s)
{
	double total = 0;
	for (int c = 0; c < s->ncols; c++) {
		double w = s->width[c] + 2;
		if (s->cols[c].kind == TZ_COL_DATE && w < 12)
			w = 12;
		w = w < COL_MIN ? COL_MIN : w > COL_MAX ? COL_MAX : w;
		total += w;
		xlsx_check(s, lx.worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, w, NULL));
	}
	lx.worksheet_freeze_panes(s->ws, 1, 0);
	if (s->ncols)
		xlsx_check(s, lx.worksheet_autofilter(s->ws, 0, 0, (lxw_row_t)s->rows,
						   (lxw_col_t)(s->ncols - 1)));
	lx.worksheet_set_paper(s->ws, 9); /* A4 */
	if (total > 100)
		lx.worksheet_set_landscape(s->ws);
	lx.worksheet_fit_to_pages(s->ws, 1, 0);
	xlsx_check(s, lx.worksheet_repeat_rows(s->ws, 0, 0));
	lx.worksheet_set_margins(s->ws, 0.5, 0.5, 0.75, 0.75);
	char t[120], sub[120], h[256];
	header_text(t, sizeof t, s->title);
	header_text(sub, sizeof sub, s->subtitle);
	snprintf(h, sizeof h, "&L%s&C&\"-,Bold\"%s&R&D", sub, t);
	xlsx_check(s, lx.worksheet_set_header(s->ws, h));
	xlsx_check(s, lx.worksheet_set_footer(s->ws, "&C&P / &N"));
}

/* ---- open, put, close ---- */

static tz_status sheet_new(tz_sheet **out, tz_sheet_format fmt, const char *title,
			   const char *subtitle, const tz_sheet_col *cols, int ncols, tz_err *err)
{
	*out = NULL;
	if (ncols < 1 || ncols > MAX_COLS)
		return tz_fail(err, TZ_EINVAL, "a sheet of %d columns", "表格不能有 %d 列", ncols);
	tz_status st;
	if (fmt == TZ_SHEET_XLSX && (st = lx_need(err)))
		return st;
	tz_sheet *s = calloc(1, sizeof *s);
	if (!s)
		return tz_nomem(err);
	s->fmt = fmt;
	s->ncols = ncols;
	memcpy(s->cols, cols, (size_t)ncols * sizeof *cols);
	s->file.fd = -1;
	s->title = strdup(title ? title : "");
	s->subtitle = strdup(subtitle ? subtitle : "");
	if (!s->title || !s->subtitle) {
		free(s->title);
		free(s->subtitle);
		free(s);
		return tz_nomem(err);
	}
	*out = s;
	return TZ_OK;
}

static void csv_header(tz_sheet *s)
{
	fputs("\xef\xbb\xbf", s->out);
	for (int c = 0; c < s->ncols; c++) {
		if (c)
			fputc(',', s->out);
		csv_cell(s->out, s->cols[c].head ? s->cols[c].head : "", TZ_COL_TEXT);
	}
	fputs("\r\n", s->out);
}

static tz_status opened(tz_sheet *s, const char *xlsx_path, tz_err *err)
{
	if (s->fmt == TZ_SHEET_CSV)
		csv_header(s);
	else
		xlsx_open(s, xlsx_path);
	if (s->st) {
		*err = s->err;
		tz_status st = s->st;
		tz_sheet_abort(s);
		return st;
	}
	return TZ_OK;
}

static tz_status open_stream(tz_sheet **out, tz_sheet_format fmt, FILE *f, const char *title,
			     const char *subtitle, const tz_sheet_col *cols, int ncols, tz_err *err)
{
	tz_status st = sheet_new(out, fmt, title, subtitle, cols, ncols, err);
	if (st)
		return st;
	tz_sheet *s = *out;
	s->out = f;
	snprintf(s->name, sizeof s->name, "%s", tz_tr("the output", "输出"));
	if (fmt == TZ_SHEET_XLSX) {
		const char *dir = getenv("TMPDIR");
		snprintf(s->tmp, sizeof s->tmp, "%s/taizhang-xlsx.XXXXXX",
			 dir && *dir ? dir : "/tmp");
		int fd = mkstemp(s->tmp);
		if (fd < 0) {
			int e = errno;
			s->tmp[0] = '\0';
			tz_sheet_abort(s);
			*out = NULL;
			return tz_fail(err, TZ_EIO, "cannot make a temporary file: %s",
				       "无法创建临时文件：%s", tz_strerror(e));
		}
		close(fd);
	}
	if ((st = opened(s, s->tmp, err)))
		*out = NULL;
	return st;
}

static tz_status open_path(tz_sheet **out, tz_sheet_format fmt, const char *path,
			   const char *title, const char *subtitle, const tz_sheet_col *cols,
			   int ncols, tz_err *err)
{
	tz_status st = sheet_new(out, fmt, title, subtitle, cols, ncols, err);
	if (st)
		return st;
	tz_sheet *s = *out;
	snprintf(s->name, sizeof s->name, "%s", path);
	if ((st = tz_file_open(&s->file, path, 0644, err))) {
		tz_sheet_abort(s);
		*out = NULL;
		return st;
	}
	s->have_file = 1;
	if (fmt == TZ_SHEET_CSV) {
		int fd = dup(s->file.fd);
		if (fd < 0 || !(s->out = fdopen(fd, "wb"))) {
			int e = errno;
			if (fd >= 0)
				close(fd);
			tz_sheet_abort(s);
			*out = NULL;
			return tz_fail(err, TZ_EIO, "cannot write %.200s: %s", "无法写入 %.200s：%s",
				       path, tz_strerror(e));
		}
		s->own_out = 1;
	}
	if ((st = opened(s, s->file.tmp, err)))
		*out = NULL;
	return st;
}

tz_status tz_sheet_open(tz_sheet **out, tz_sheet_format fmt, FILE *f, const char *path,
			const char *title, const char *subtitle, const tz_sheet_col *cols, int ncols,
			tz_err *err)
{
	if (path)
		return open_path(out, fmt, path, title, subtitle, cols, ncols, err);
	return open_stream(out, fmt, f, title, subtitle, cols, ncols, err);
}

void tz_sheet_put(tz_sheet *s, const char *v)
{
	if (s->col >= s->ncols)
		return; /* more cells than columns: dropped */
	if (!v)
		v = "";
	if (s->fmt == TZ_SHEET_CSV) {
		if (s->col)
			fputc(',', s->out);
		csv_cell(s->out, v, s->cols[s->col].kind);
	} else if (*v && !s->st && s->rows < TZ_SHEET_XLSX_ROWS) {
		xlsx_cell(s, v);
	}
	s->col++;
}

void tz_sheet_putl(tz_sheet *s, long v)
{
	char b[32];
	snprintf(b, sizeof b, "%ld", v);
	tz_sheet_put(s, b);
}

void tz_sheet_total(tz_sheet *s)
{
	s->bold = 1;
}

void tz_sheet_row(tz_sheet *s)
{
	if (s->fmt == TZ_SHEET_CSV) {
		for (; s->col < s->ncols; s->col++)
			fputc(',', s->out);
		fputs("\r\n", s->out);
	} else if (s->rows >= TZ_SHEET_XLSX_ROWS && !s->st) {
		s->st = TZ_EINVAL;
		tz_fail(&s->err, TZ_EINVAL,
			"more than %ld rows: too many for one Excel sheet (use --format csv, or fewer rows)",
			"超过 %ld 行，一张 Excel 工作表放不下（请用 --format csv，或减少行数）",
			TZ_SHEET_XLSX_ROWS);
	}
	s->col = 0;
	s->bold = 0;
	s->rows++;
}

long tz_sheet_rows(const tz_sheet *s)
{
	return s->rows;
}

static void cleanup(tz_sheet *s)
{
	if (s->own_out && s->out)
		fclose(s->out);
	if (s->have_file)
		tz_file_abort(&s->file);
	if (s->tmp[0])
		unlink(s->tmp);
	free(s->title);
	free(s->subtitle);
	free(s);
}

void tz_sheet_abort(tz_sheet *s)
{
	if (!s)
		return;
	if (s->wb) {
		/* libxlsxwriter has no way to drop a workbook: it is written, then removed */
		lx.workbook_close(s->wb);
		s->wb = NULL;
	}
	cleanup(s);
}

static void copy_out(tz_sheet *s)
{
	FILE *in = fopen(s->tmp, "rb");
	char buf[65536];
	size_t n;
	if (!in) {
		fail_io(s, errno);
		return;
	}
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		if (fwrite(buf, 1, n, s->out) != n)
			break;
	if (ferror(in))
		fail_io(s, errno);
	fclose(in);
}

tz_status tz_sheet_close(tz_sheet *s, tz_err *err)
{
	if (s->fmt == TZ_SHEET_XLSX) {
		if (!s->st)
			xlsx_finish(s);
		lxw_error e = lx.workbook_close(s->wb);
		s->wb = NULL;
		if (e != LXW_NO_ERROR)
			fail_write(s, lx.lxw_strerror(e));
		if (!s->st && s->out)
			copy_out(s);
	}
	if (s->out && !s->st && (fflush(s->out) || ferror(s->out)))
		fail_io(s, errno ? errno : EIO);
	if (s->own_out) {
		FILE *f = s->out;
		s->own_out = 0;
		s->out = NULL;
		if (fclose(f) && !s->st)
			fail_io(s, errno);
	}
	if (s->have_file && !s->st) {
		s->have_file = 0;
		tz_err e2 = {0};
		if (tz_file_commit(&s->file, NULL, &e2)) {
			s->st = TZ_EIO;
			s->err = e2;
		}
	}
	tz_status st = s->st;
	if (st && err)
		*err = s->err;
	cleanup(s);
	return st;
}
