/* scr_roster.c - import a roster (花名册) from the stick: pick the CSV file,
 * see how each column is read and the first rows, what a trial import
 * would add and what must be fixed first, then import.  The same importer
 * as `taizhang import-csv person` (core/roster.c), so the rules and the
 * messages are the same; nothing needs typing (no input method). */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>

#include "taizhang/roster.h"
#include "taizhang/schema.h"
#include "taizhang/utf8.h"
#include "list.h"
#include "scr.h"
#include "text.h"

#define MAX_BAD 200
#define MAX_MAP 64

typedef struct {
	char dir[4096];
	tz_list files;  /* *.csv in the folder and the folders just below it; id: index in paths */
	char **paths;
	int npaths;
	int preview;    /* 0: choosing a file; 1: its preview */
	char path[4096];
	int gb;         /* read as GB18030 */
	char *map[MAX_MAP]; /* "HEADER=field" / "HEADER=-" chosen with F3 and F4 */
	int nmap;
	tz_roster_report rep;
	tz_status st;          /* the trial's outcome */
	char err[TZ_ERR_MAX];  /* and its message */
	char *bad[MAX_BAD];    /* the bad lines, as the importer words them */
	int nbad;
	char **lines;          /* the preview as drawn */
	int n, cap, top;
} rosterscr;

/* ---- the file list ---- */

static int is_csv(const char *name)
{
	size_t n = strlen(name);
	return n > 4 && (!strcasecmp(name + n - 4, ".csv") || !strcasecmp(name + n - 4, ".txt"));
}

static void scan(rosterscr *r, const char *dir, int depth)
{
	tz_list *l = &r->files;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d)
		return;
	while ((e = readdir(d))) {
		char p[4096];
		struct stat sb;
		if (e->d_name[0] == '.')
			continue;
		snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
		if (stat(p, &sb))
			continue;
		if (S_ISDIR(sb.st_mode) && depth > 0) {
			scan(r, p, depth - 1);
		} else if (S_ISREG(sb.st_mode) && is_csv(e->d_name)) {
			char size[32], when[32];
			snprintf(size, sizeof size, "%lld KB", (long long)(sb.st_size + 1023) / 1024);
			strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime(&sb.st_mtime));
			char **np = realloc(r->paths, (size_t)(r->npaths + 1) * sizeof *np), id[16];
			if (!np)
				continue;
			r->paths = np;
			if (!(np[r->npaths] = strdup(p)))
				continue;
			snprintf(id, sizeof id, "%d", r->npaths++);
			const char *cells[3] = {p + strlen(r->dir) + 1, size, when};
			tz_list_add(l, id, "csv", cells);
		}
	}
	closedir(d);
}

/* ---- the preview ---- */

static void clear_lines(rosterscr *r)
{
	for (int i = 0; i < r->n; i++)
		free(r->lines[i]);
	r->n = 0;
	r->top = 0;
}

static void add_line(rosterscr *r, const char *s)
{
	if (r->n == r->cap) {
		int cap = r->cap ? 2 * r->cap : 64;
		char **p = realloc(r->lines, (size_t)cap * sizeof *p);
		if (!p)
			return;
		r->lines = p;
		r->cap = cap;
	}
	char *d = strdup(s);
	if (d)
		r->lines[r->n++] = d;
}

/* The character at s: its length in bytes, its code point (-1 if not
 * UTF-8) and the columns it takes (a control character none; ascii: every
 * other one, as the terminal shows it) */
static int char_at(const char *s, int ascii, long *cp, int *cols)
{
	int len = tz_utf8_len(s, strlen(s));
	size_t used;
	if (len <= 0)
		len = 1;
	*cp = tz_utf8_decode(s, (size_t)len, &used);
	int w = tz_utf8_cp_width(*cp);
	*cols = *cp >= 0 && *cp < 0x20 ? 0 : ascii || *cp < 0 ? 1 : w > 0 ? w : 0;
	return len;
}

/* s as lines of at most w columns, the later ones indented by two */
static void add_wrapped(rosterscr *r, const char *s, int w, int ascii)
{
	char line[1024];
	size_t k = 0;
	int cols = 0, first = 1;
	while (*s) {
		long cp;
		int cw, len = char_at(s, ascii, &cp, &cw);
		if (cols + cw > w || k + (size_t)len + 3 >= sizeof line) {
			line[k] = '\0';
			add_line(r, line);
			k = 0;
			cols = 0;
			first = 0;
		}
		if (!first && cols == 0) {
			memcpy(line, "  ", 2);
			k = 2;
			cols = 2;
		}
		memcpy(line + k, s, (size_t)len);
		k += (size_t)len;
		cols += cw;
		s += len;
	}
	line[k] = '\0';
	if (k)
		add_line(r, line);
}

/* what a column's target ("name", "household.address", "-") is called */
static void target_label(const char *target, char *out, size_t n)
{
	const char *dot = strchr(target, '.');
	const tz_table *t = tz_schema_table_find(dot ? "household" : "person");
	const char *fname = dot ? dot + 1 : target;
	int f = t ? tz_schema_field_find(t, fname) : -1;
	if (!strcmp(target, "-"))
		snprintf(out, n, "%s", tz_tr("not imported", "不导入"));
	else if (f >= 0)
		snprintf(out, n, "%s%s", dot ? tz_tr("household: ", "户·") : "",
			 tz_tr(t->fields[f].en, t->fields[f].zh));
	else
		snprintf(out, n, "%s", target);
}

/* s cut to w display columns, padded (ascii: every character one column,
 * as the terminal shows it) */
static void fit(char *out, size_t n, const char *s, int w, int ascii)
{
	size_t k = 0;
	int cols = 0;
	while (*s && k + 8 < n) {
		long cp;
		int cw, len = char_at(s, ascii, &cp, &cw); /* a line break in a cell: no column */
		if (cols + cw > w)
			break;
		if (cw || cp >= 0x20) {
			memcpy(out + k, s, (size_t)len);
			k += (size_t)len;
		}
		cols += cw;
		s += len;
	}
	while (cols < w && k + 1 < n) {
		out[k++] = ' ';
		cols++;
	}
	out[k] = '\0';
}

static void on_bad(void *ctx, long line, const char *msg)
{
	rosterscr *r = ctx;
	if (r->nbad >= MAX_BAD)
		return;
	char b[TZ_ERR_MAX + 64];
	if (line > 0)
		tz_trf(b, sizeof b, "line %ld: %s", "第 %ld 行：%s", line, msg);
	else
		snprintf(b, sizeof b, "%s", msg);
	r->bad[r->nbad] = strdup(b);
	if (r->bad[r->nbad])
		r->nbad++;
}

static void clear_trial(rosterscr *r)
{
	for (int i = 0; i < r->nbad; i++)
		free(r->bad[i]);
	r->nbad = 0;
	tz_roster_report_free(&r->rep);
	r->err[0] = '\0';
}

/* UTF-8 unless the first megabyte says otherwise: Excel's "CSV" on a
 * Chinese Windows is GB18030 (GBK), its "CSV UTF-8" UTF-8 */
static int looks_gb(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	static char buf[1 << 20];
	size_t n = fread(buf, 1, sizeof buf, f);
	fclose(f);
	while (n > 0 && n > sizeof buf - 4 && ((unsigned char)buf[n - 1] & 0xc0) == 0x80)
		n--; /* a character cut at the end of the sample */
	if (n > sizeof buf - 4 && n > 0 && (unsigned char)buf[n - 1] >= 0xc0)
		n--;
	return !tz_utf8_valid(buf, n);
}

static void build(tz_ui *ui, rosterscr *r)
{
	char line[2048], lab[160], a[128], b[128], c[160];
	int w = ui->cols - 2;
	clear_lines(r);
	tz_ui_fmt(line, sizeof line, S_ROSTER_FILE, r->path);
	add_wrapped(r, line, w, ui->ascii);
	tz_ui_fmt(line, sizeof line, S_ROSTER_ENC, r->gb ? "GB18030 (GBK)" : "UTF-8");
	add_line(r, line);
	if (r->st && !r->rep.cols) {
		add_line(r, "");
		add_wrapped(r, r->err, w, ui->ascii);
		return;
	}
	add_line(r, "");
	tz_ui_fmt(line, sizeof line, S_ROSTER_COLS, r->rep.ncols);
	add_line(r, line);
	for (int i = 0; i < r->rep.ncols; i++) {
		const tz_roster_col *col = &r->rep.cols[i];
		if (!col->header[0] && (!r->rep.sample || !r->rep.sample[i]))
			continue;
		if (col->unknown && col->suggest[0]) {
			target_label(col->suggest, lab, sizeof lab);
			tz_ui_fmt(c, sizeof c, S_ROSTER_NEAR, lab);
		} else if (col->unknown) {
			snprintf(c, sizeof c, "%s", S(S_ROSTER_UNKNOWN));
		} else {
			target_label(col->target, c, sizeof c);
		}
		char samples[512] = "";
		size_t k = 0;
		for (int s = 0; s < r->rep.nsample; s++) {
			const char *v = r->rep.sample[s * r->rep.ncols + i];
			if (v && *v && k < sizeof samples - 1)
				k += (size_t)snprintf(samples + k, sizeof samples - k, "%s%s",
						      k ? " | " : "", v);
		}
		fit(a, sizeof a, col->header[0] ? col->header : "-", 14, ui->ascii);
		fit(b, sizeof b, c, col->unknown ? tz_text_cols(c, ui->ascii) : 18, ui->ascii);
		snprintf(line, sizeof line, " %s %s %s %s", a, ui->ascii ? "->" : "→", b, samples);
		add_line(r, line);
	}
	add_line(r, "");
	add_line(r, S(S_ROSTER_TRY));
	if (r->rep.bad || r->st) {
		if (r->rep.bad) {
			tz_ui_fmt(line, sizeof line, S_ROSTER_BAD, r->rep.bad);
			add_wrapped(r, line, w, ui->ascii);
		}
		for (int i = 0; i < r->nbad; i++)
			add_wrapped(r, r->bad[i], w, ui->ascii);
		if (!r->rep.bad && r->err[0])
			add_wrapped(r, r->err, w, ui->ascii);
		return;
	}
	tz_ui_fmt(line, sizeof line, S_ROSTER_WOULD, r->rep.imported, r->rep.households,
		  r->rep.hh_found, r->rep.same + r->rep.differ, r->rep.same, r->rep.differ);
	add_wrapped(r, line, w, ui->ascii);
	for (int i = 0; i < r->nbad; i++)
		add_wrapped(r, r->bad[i], w, ui->ascii);
	add_line(r, "");
	add_line(r, S(r->rep.imported ? S_ROSTER_READY
		      : r->rep.differ ? S_ROSTER_DIFFER : S_ROSTER_NOTHING));
}

/* Import (for real when !dry; update: also the differences), then show the
 * outcome of a fresh trial. */
static void run(tz_ui *ui, rosterscr *r, int dry, int update)
{
	tz_roster_opts o = {.map = (const char *const *)r->map, .nmap = r->nmap, .dry_run = dry,
			    .update = update, .note = on_bad, .note_ctx = r};
	tz_err err = {0};
	clear_trial(r);
	r->st = tz_roster_import(ui->db, "person", r->path, r->gb ? "gb18030" : "utf-8", &o, on_bad,
				 r, &r->rep, &err);
	snprintf(r->err, sizeof r->err, "%s", r->st ? err.msg : "");
}

static void trial(tz_ui *ui, rosterscr *r)
{
	run(ui, r, 1, 0);
	build(ui, r);
}

static void add_map(rosterscr *r, const char *header, const char *target)
{
	if (r->nmap >= MAX_MAP)
		return;
	size_t n = strlen(header) + strlen(target) + 2;
	char *m = malloc(n);
	if (!m)
		return;
	snprintf(m, n, "%s=%s", header, target);
	r->map[r->nmap++] = m;
}

/* ---- the screen ---- */

static const tz_binding roster_file_keys[] = {
	{TZ_KENTER, S_K_OPEN}, {TZ_KESC, S_BACK}, {0, 0},
};

static const tz_binding roster_keys[] = {
	{TZ_KF(2), S_K_ENC},   {TZ_KF(3), S_K_SUGGEST}, {TZ_KF(4), S_K_SKIPCOL},
	{TZ_KF(5), S_K_UPDATE}, {TZ_KENTER, S_K_IMPORT}, {TZ_KESC, S_BACK},
	{0, 0},
};

static void free_paths(rosterscr *r)
{
	for (int i = 0; i < r->npaths; i++)
		free(r->paths[i]);
	free(r->paths);
	r->paths = NULL;
	r->npaths = 0;
}

static void roster_load(tz_ui *ui, tz_screen *s)
{
	rosterscr *r = s->st;
	(void)ui;
	tz_list_clear(&r->files);
	free_paths(r);
	scan(r, r->dir, 1);
	tz_list_sort(&r->files, 0, 0);
}

static void roster_draw(tz_ui *ui, tz_screen *s)
{
	rosterscr *r = s->st;
	int y = TZ_UI_BODY_TOP, rows = TZ_UI_BODY_ROWS(ui);
	char line[4200];
	if (!r->preview) {
		tz_ui_fmt(line, sizeof line, r->files.n ? S_ROSTER_FILES : S_ROSTER_NONE, r->dir);
		tz_ui_put(ui, y, 1, ui->cols - 2, line, r->files.n ? TZ_C_LABEL : TZ_C_WARN, 1);
		tz_list_draw(ui, &r->files, y + 1, 1, rows - 1, ui->cols - 2);
		return;
	}
	for (int i = 0; i < rows; i++) {
		const char *t = r->top + i < r->n ? r->lines[r->top + i] : "";
		int c = TZ_C_NORMAL;
		if (r->top + i == 0)
			c = TZ_C_LABEL;
		tz_ui_put(ui, y + i, 1, ui->cols - 2, t, c, 1);
	}
}

static void free_map(rosterscr *r)
{
	for (int i = 0; i < r->nmap; i++)
		free(r->map[i]);
	r->nmap = 0;
}

static int roster_key(tz_ui *ui, tz_screen *s, int key)
{
	rosterscr *r = s->st;
	int rows = TZ_UI_BODY_ROWS(ui);
	if (!r->preview) {
		int h = tz_list_key(ui, &r->files, key, rows - 1);
		if (h == 1)
			return 1;
		if ((key == TZ_KENTER || h == 2) && r->files.n) {
			int k = atoi(tz_list_sel_id(&r->files));
			if (k < 0 || k >= r->npaths)
				return 1;
			if (strcmp(r->path, r->paths[k]))
				free_map(r); /* the same file again keeps its F3/F4 choices */
			snprintf(r->path, sizeof r->path, "%s", r->paths[k]);
			r->gb = looks_gb(r->path);
			r->preview = 1;
			s->keys = roster_keys;
			trial(ui, r);
			return 1;
		}
		return 0;
	}
	if (key == TZ_KESC) {
		r->preview = 0; /* back to the files */
		s->keys = roster_file_keys;
		clear_trial(r);
		return 1;
	}
	if (key == TZ_K(KEY_DOWN) && r->top + rows < r->n)
		r->top++;
	else if (key == TZ_K(KEY_UP) && r->top > 0)
		r->top--;
	else if (key == TZ_K(KEY_NPAGE))
		r->top = r->top + rows < r->n - rows ? r->top + rows : (r->n > rows ? r->n - rows : 0);
	else if (key == TZ_K(KEY_PPAGE))
		r->top = r->top > rows ? r->top - rows : 0;
	else if (key == TZ_KF(2)) {
		r->gb = !r->gb;
		trial(ui, r);
	} else if (key == TZ_KF(3) || key == TZ_KF(4)) {
		/* F3: each unknown column to its closest field; F4: leave them out */
		int any = 0;
		for (int i = 0; i < r->rep.ncols; i++) {
			const tz_roster_col *c = &r->rep.cols[i];
			if (!c->unknown || (key == TZ_KF(3) && !c->suggest[0]))
				continue;
			add_map(r, c->header, key == TZ_KF(3) ? c->suggest : "-");
			any = 1;
		}
		if (!any) {
			tz_ui_message(ui, 1, "%s", S(S_ROSTER_NO_UNKNOWN));
			return 1;
		}
		trial(ui, r);
	} else if (key == TZ_KENTER || key == TZ_KF(5)) {
		int update = key == TZ_KF(5);
		char q[256], msg[256];
		if (r->st || r->rep.bad || (!r->rep.imported && !(update && r->rep.differ))) {
			tz_ui_message(ui, 1, "%s",
				      S(r->st || r->rep.bad ? S_ROSTER_FIX_FIRST : S_ROSTER_NOTHING));
			return 1;
		}
		if (update)
			tz_ui_fmt(q, sizeof q, S_ROSTER_ASK_UPDATE, r->rep.imported, r->rep.households,
				  r->rep.differ);
		else
			tz_ui_fmt(q, sizeof q, S_ROSTER_ASK, r->rep.imported, r->rep.households);
		if (!tz_ui_confirm(ui, q))
			return 1;
		run(ui, r, 0, update);
		if (r->st) {
			tz_ui_message(ui, 1, "%s", r->err);
		} else {
			tz_ui_fmt(msg, sizeof msg, S_ROSTER_DONE, r->rep.imported, r->rep.households,
				  r->rep.updated);
			tz_ui_message(ui, 0, "%s", msg);
			tz_ui_refresh_below(ui);
		}
		trial(ui, r); /* now: everything already there */
	} else
		return 0;
	return 1;
}

static void roster_destroy(tz_screen *s)
{
	rosterscr *r = s->st;
	clear_trial(r);
	clear_lines(r);
	free(r->lines);
	free_map(r);
	free_paths(r);
	tz_ui_screen_free(s);
}

static const tz_screen roster_screen = {
	.name = "roster", .title = S_ROSTER, .draw = roster_draw, .key = roster_key,
	.destroy = roster_destroy, .reload = roster_load, .keys = roster_file_keys,
	.lists = {TZ_SCREEN_LIST(rosterscr, files)},
};

tz_screen *tz_scr_roster_new(tz_ui *ui, const char *dir)
{
	tz_screen *s = tz_ui_screen_new(&roster_screen, sizeof(rosterscr));
	if (!s)
		return NULL;
	rosterscr *r = s->st;
	snprintf(r->dir, sizeof r->dir, "%s", dir);
	tz_list_columns(&r->files, 3,
			(const tz_list_col[]){{S_ROSTER_NAME, 0}, {S_ROSTER_SIZE, 10}, {S_ROSTER_WHEN, 17}});
	/* the name takes what the others leave */
	r->files.width[0] = ui->cols - 2 - 10 - 17 - 2;
	r->files.width[2] = 0;
	roster_load(ui, s);
	return s;
}
