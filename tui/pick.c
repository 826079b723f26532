/* pick.c - choosing the record a reference field points at (see pick.h). */
#include "pick.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/pinyin.h"
#include "taizhang/record.h"
#include "taizhang/search.h"
#include "taizhang/settings.h"
#include "edit.h"
#include "list.h"

#define PICK_MAX 2000   /* rows of a table read for the list */
#define PICK_SEARCH 200 /* hits asked of the search index */
#define PICK_COLS 4

static int label_field(const tz_table *t)
{
	static const char *const names[] = {"name", "title", "head_name"};
	for (size_t k = 0; k < sizeof names / sizeof names[0]; k++) {
		int f = tz_schema_field_find(t, names[k]);
		if (f >= 0)
			return f;
	}
	return -1;
}

/* a, then b after a space if given, into out (size n): cut short, never in
 * the middle of a UTF-8 character */
static void put_text(char *out, size_t n, const char *a, const char *b)
{
	if (snprintf(out, n, "%s%s%s", a, b ? " " : "", b ? b : "") < (int)n)
		return;
	size_t l = strlen(out), i = l;
	while (i > 0 && ((unsigned char)out[i - 1] & 0xc0) == 0x80)
		i--;
	if (i == 0)
		return;
	unsigned char c = (unsigned char)out[i - 1];
	size_t need = c >= 0xf0 ? 4 : c >= 0xe0 ? 3 : c >= 0xc0 ? 2 : 1;
	if (l - (i - 1) < need)
		out[i - 1] = 0;
}

/* The label of a row already read; depth bounds the way through references. */
static void row_label(tz_db *db, const tz_row *r, char *out, size_t n, int depth)
{
	const tz_table *t = r->table;
	int lf = label_field(t);
	put_text(out, n, r->id, NULL);
	if (lf >= 0) {
		if (r->vals[lf] && r->vals[lf][0])
			put_text(out, n, r->vals[lf], NULL);
		return;
	}
	/* no name of its own: whom it is about, and when */
	const char *date = NULL;
	int ref = -1;
	for (int i = 0; i < t->nfields; i++) {
		if (t->fields[i].type == TZ_T_REF && ref < 0 && r->vals[i] && r->vals[i][0])
			ref = i;
		if (t->fields[i].type == TZ_T_DATE && !date && r->vals[i] && r->vals[i][0])
			date = r->vals[i];
	}
	char who[128] = "";
	if (ref >= 0 && depth < 2) {
		tz_row rr = {0};
		tz_err err;
		if (tz_record_get(db, t->fields[ref].ref, r->vals[ref], &rr, &err) == TZ_OK) {
			row_label(db, &rr, who, sizeof who, depth + 1);
			tz_record_row_free(&rr);
		}
	}
	if (who[0] && date)
		put_text(out, n, who, date);
	else if (who[0] || date)
		put_text(out, n, who[0] ? who : date, NULL);
}

void tz_pick_label(tz_db *db, const char *table, const char *id, char *out, size_t n)
{
	tz_row r = {0};
	tz_err err;
	put_text(out, n, id, NULL);
	if (!tz_schema_table_find(table) || tz_record_get(db, table, id, &r, &err) != TZ_OK)
		return;
	row_label(db, &r, out, n, 0);
	tz_record_row_free(&r);
}

/* ---- the picker ---- */

typedef struct {
	const tz_field *fd;
	const tz_table *t;
	int searched;     /* persons and households: through tz_search */
	int cols[PICK_COLS - 1]; /* other tables: the fields shown after the label */
	tz_edit query;
	tz_list list;     /* the rows shown */
	tz_list all;      /* other tables: every row read, sorted */
	char **keys;      /* all: the lower-cased text each row is found by */
	int capped;       /* more rows than PICK_MAX */
	int big;          /* capped when first read: read again for each query */
	tz_pick_done_fn done;
	void *ctx;
	tz_db *db;
} picker;

static void lower_ascii(char *s)
{
	for (; *s; s++)
		*s = (char)tolower((unsigned char)*s);
}

/* ---- persons and households: the search index ---- */

static int add_hit(void *ctx, const tz_search_hit *h)
{
	picker *p = ctx;
	int person = !strcmp(h->table, "person");
	if (!strcmp(p->t->name, "person")) {
		if (!person)
			return 0;
		const char *cells[PICK_COLS] = {h->name, h->id_number, h->phone, h->address};
		tz_list_add(&p->list, h->id, "person", cells);
		return 0;
	}
	/* a household: found by itself or by a member */
	const char *id = person ? h->household : h->id;
	if (!id || !*id)
		return 0;
	for (int i = 0; i < p->list.n; i++)
		if (!strcmp(p->list.ids[i], id))
			return 0;
	/* found by a member: the head's name (what the form will show), the
	 * member's after it */
	char name[256];
	if (person) {
		char head[128];
		tz_pick_label(p->db, "household", id, head, sizeof head);
		tz_ui_fmt(name, sizeof name, S_HEAD_MEMBER, head, h->name);
	} else {
		snprintf(name, sizeof name, "%s", h->name);
	}
	const char *cells[PICK_COLS] = {name, h->address, h->phone, h->village};
	tz_list_add(&p->list, id, "household", cells);
	return 0;
}

static int add_row_searched(void *ctx, const tz_row *r)
{
	picker *p = ctx;
	const tz_table *t = r->table;
	const char *cells[PICK_COLS];
	static const char *const person[] = {"name", "id_number", "phone", NULL};
	static const char *const household[] = {"head_name", "address", "phone", "village"};
	const char *const *names = !strcmp(t->name, "person") ? person : household;
	for (int c = 0; c < PICK_COLS; c++) {
		int f = names[c] ? tz_schema_field_find(t, names[c]) : -1;
		cells[c] = f >= 0 && r->vals[f] ? r->vals[f] : "";
	}
	tz_list_add(&p->list, r->id, t->name, cells);
	return p->list.n >= PICK_SEARCH;
}

/* ---- other tables: every row, filtered here ---- */

typedef struct {
	char id[33];
	char *cells[PICK_COLS];
	char *key;  /* what it is found by */
	char *sort; /* the label's pinyin, or the label */
} pickrow;

typedef struct {
	picker *p;
	tz_db *db;
	const char *q; /* only rows found by this (lower-cased, no spaces) */
	char today[11];
	pickrow *rows;
	int n, cap;
	char ref_id[PICK_COLS][33], ref_label[PICK_COLS][128]; /* last looked up */
} loadctx;

static void cell_text(loadctx *lc, int c, const tz_field *f, const char *v, char *out,
		      size_t n)
{
	out[0] = 0;
	if (!v || !*v)
		return;
	if (f->type == TZ_T_ENUM) {
		put_text(out, n, tz_schema_code_label(f->codes, v), NULL);
	} else if (f->type == TZ_T_REF && f->ref) {
		if (strcmp(lc->ref_id[c], v)) {
			tz_pick_label(lc->db, f->ref, v, lc->ref_label[c], sizeof lc->ref_label[c]);
			snprintf(lc->ref_id[c], sizeof lc->ref_id[c], "%s", v);
		}
		put_text(out, n, lc->ref_label[c], NULL);
	} else {
		put_text(out, n, v, NULL);
	}
}

/* A vacancy is offered only while open today (valid_from..valid_until), as
 * matching has it (core/match.c). */
static int vacancy_closed(const tz_row *r, const char *today)
{
	if (strcmp(r->table->name, "vacancy"))
		return 0;
	int u = tz_schema_field_find(r->table, "valid_until"), f = tz_schema_field_find(r->table, "valid_from");
	return (u >= 0 && r->vals[u] && r->vals[u][0] && strcmp(r->vals[u], today) < 0) ||
	       (f >= 0 && r->vals[f] && r->vals[f][0] && strcmp(r->vals[f], today) > 0);
}

static int add_row_all(void *ctx, const tz_row *r)
{
	loadctx *lc = ctx;
	picker *p = lc->p;
	if (vacancy_closed(r, lc->today))
		return 0;
	if (lc->n >= PICK_MAX) {
		p->capped = 1;
		return 1;
	}
	if (lc->n == lc->cap) {
		int cap = lc->cap ? lc->cap * 2 : 64;
		pickrow *nr = realloc(lc->rows, (size_t)cap * sizeof *nr);
		if (!nr)
			return 1;
		lc->rows = nr;
		lc->cap = cap;
	}
	pickrow *pr = &lc->rows[lc->n];
	memset(pr, 0, sizeof *pr);
	snprintf(pr->id, sizeof pr->id, "%s", r->id);
	char text[PICK_COLS][256], key[2048];
	row_label(lc->db, r, text[0], sizeof text[0], 0);
	for (int c = 1; c < PICK_COLS; c++) {
		int f = p->cols[c - 1];
		text[c][0] = 0;
		if (f >= 0)
			cell_text(lc, c, &r->table->fields[f], r->vals[f], text[c], sizeof text[c]);
	}
	/* found by any text shown, and by the label's initials and full pinyin */
	tz_pinyin_list ini, full;
	unsigned flags = !strcmp(p->t->name, "staff") ? TZ_PINYIN_NAME : 0;
	tz_pinyin_initials(text[0], flags, &ini);
	tz_pinyin_full(text[0], flags, &full);
	size_t o = 0;
	for (int c = 0; c < PICK_COLS; c++)
		o += (size_t)snprintf(key + o, o < sizeof key ? sizeof key - o : 0, "%s\n", text[c]);
	for (int i = 0; i < ini.n; i++)
		o += (size_t)snprintf(key + o, o < sizeof key ? sizeof key - o : 0, "%s\n", ini.s[i]);
	for (int i = 0; i < full.n; i++)
		o += (size_t)snprintf(key + o, o < sizeof key ? sizeof key - o : 0, "%s\n", full.s[i]);
	lower_ascii(key);
	if (lc->q && lc->q[0] && !strstr(key, lc->q))
		return 0;
	for (int c = 0; c < PICK_COLS; c++)
		pr->cells[c] = strdup(text[c]);
	pr->key = strdup(key);
	pr->sort = strdup(full.n ? full.s[0] : text[0]);
	int ok = pr->key && pr->sort;
	for (int c = 0; c < PICK_COLS; c++)
		if (!pr->cells[c])
			ok = 0;
	if (!ok) {
		for (int c = 0; c < PICK_COLS; c++)
			free(pr->cells[c]);
		free(pr->key);
		free(pr->sort);
		return 1;
	}
	lc->n++;
	return 0;
}

static int pickrow_cmp(const void *a, const void *b)
{
	const pickrow *x = a, *y = b;
	int c = strcmp(x->sort, y->sort);
	return c ? c : strcmp(x->id, y->id);
}

static void drop_all(picker *p)
{
	for (int i = 0; p->keys && i < p->all.n; i++)
		free(p->keys[i]);
	free(p->keys);
	p->keys = NULL;
	tz_list_clear(&p->all);
}

/* Read the table into p->all: the rows found by q (NULL: all), at most
 * PICK_MAX of them. */
static void load_all(tz_ui *ui, picker *p, const char *q)
{
	loadctx lc = {.p = p, .db = ui->db, .q = q};
	tz_clock_today(lc.today);
	drop_all(p);
	p->capped = 0;
	tz_err err;
	tz_record_list(ui->db, p->t->name, NULL, 0, add_row_all, &lc, &err);
	if (lc.n)
		qsort(lc.rows, (size_t)lc.n, sizeof *lc.rows, pickrow_cmp);
	p->keys = calloc((size_t)lc.n + 1, sizeof *p->keys);
	for (int i = 0; i < lc.n; i++) {
		pickrow *pr = &lc.rows[i];
		/* keys[k] is what row k of all is found by: a row tz_list_add could
		 * not hold (out of memory) must not shift the keys of the rest */
		int k = p->all.n;
		if (p->keys)
			tz_list_add(&p->all, pr->id, p->t->name, (const char *const *)pr->cells);
		if (p->keys && p->all.n > k)
			p->keys[k] = pr->key;
		else
			free(pr->key);
		for (int c = 0; c < PICK_COLS; c++)
			free(pr->cells[c]);
		free(pr->sort);
	}
	free(lc.rows);
}

/* Only the first n rows are listed: say so on the message line. */
static void say_capped(tz_ui *ui, int n)
{
	char msg[256];
	tz_ui_fmt(msg, sizeof msg, S_PICK_CAPPED, n);
	tz_ui_message(ui, 0, "%s", msg);
}

static void pick_load(tz_ui *ui, picker *p)
{
	char q[256];
	tz_err err;
	tz_edit_get(&p->query, q, sizeof q);
	tz_list_clear(&p->list);
	if (p->searched) {
		if (q[0]) {
			tz_search(ui->db, q, PICK_SEARCH, add_hit, p, &err);
			return;
		}
		/* nothing typed yet: the first rows, by name, and a word if there are more */
		tz_record_list(ui->db, p->t->name, NULL, 0, add_row_searched, p, &err);
		tz_list_sort(&p->list, 0, 0);
		if (p->list.n >= PICK_SEARCH)
			say_capped(ui, PICK_SEARCH);
		return;
	}
	/* spaces do not matter, nor ASCII case */
	char *w = q;
	for (const char *r = q; *r; r++)
		if (*r != ' ')
			*w++ = *r;
	*w = 0;
	lower_ascii(q);
	if (p->big) {
		/* what was read is not all there is: read again, narrowed */
		load_all(ui, p, q);
		if (p->capped)
			say_capped(ui, PICK_MAX);
	}
	for (int i = 0; i < p->all.n; i++) {
		if (q[0] && (!p->keys || !p->keys[i] || !strstr(p->keys[i], q)))
			continue;
		const char *cells[PICK_COLS];
		for (int c = 0; c < PICK_COLS; c++)
			cells[c] = tz_list_cell(&p->all, i, c);
		tz_list_add(&p->list, p->all.ids[i], p->t->name, cells);
	}
}

static void pick_draw(tz_ui *ui, tz_screen *s)
{
	picker *p = s->st;
	int y = TZ_UI_BODY_TOP;
	char prompt[256];
	tz_ui_fmt(prompt, sizeof prompt, S_FIELD_PROMPT, tz_tr(p->fd->en, p->fd->zh),
		  S(p->searched ? S_TYPE_TO_SEARCH : S_PICK_TYPE));
	int lw = tz_ui_put(ui, y, 1, ui->cols - 12, prompt, TZ_C_LABEL, 0);
	int x = 1 + lw, w = ui->cols - x - 1;
	if (w < 4)
		w = 4;
	int col = tz_ui_put_edit(ui, y, x, w, &p->query, TZ_C_FOCUS);
	tz_list_draw(ui, &p->list, y + 1, 1, TZ_UI_BODY_ROWS(ui) - 1, ui->cols - 2);
	if (!p->list.n)
		tz_ui_put(ui, y + 3, 2, ui->cols - 4, S(p->query.len ? S_NO_MATCH : S_PICK_EMPTY),
			  TZ_C_WARN, 0);
	ui->cur_y = y;
	ui->cur_x = x + col;
}

static int pick_key(tz_ui *ui, tz_screen *s, int key)
{
	picker *p = s->st;
	int lk = tz_list_key(ui, &p->list, key, TZ_UI_BODY_ROWS(ui) - 1);
	if (lk == 2)
		key = TZ_KENTER;
	else if (lk)
		return 1;
	if (key == TZ_KENTER || key == TZ_KF(4)) {
		const char *id = tz_list_sel_id(&p->list);
		if (!id) {
			tz_ui_message(ui, 1, "%s", S(S_NO_MATCH));
			return 1;
		}
		char chosen[40];
		snprintf(chosen, sizeof chosen, "%s", id);
		tz_pick_done_fn done = p->done;
		void *ctx = p->ctx;
		tz_ui_pop(ui); /* frees p */
		done(ui, ctx, chosen);
		return 1;
	}
	if (key == TZ_KESC) {
		tz_ui_pop(ui);
		return 1;
	}
	int ek = 0;
	switch (key) {
	case TZ_K(KEY_BACKSPACE): ek = TZ_EK_BACKSPACE; break;
	case TZ_K(KEY_DC): ek = TZ_EK_DELETE; break;
	case TZ_K(KEY_LEFT): ek = TZ_EK_LEFT; break;
	case TZ_K(KEY_RIGHT): ek = TZ_EK_RIGHT; break;
	case 21: ek = TZ_EK_KILL_START; break; /* ^U */
	case 23: ek = TZ_EK_KILL_WORD; break;  /* ^W */
	default: ek = key >= 0x20 && key < 0x110000 ? key : 0;
	}
	if (ek && tz_edit_key(&p->query, ek)) {
		pick_load(ui, p);
		return 1;
	}
	return 0;
}

static void pick_destroy(tz_screen *s)
{
	picker *p = s->st;
	drop_all(p);
	tz_ui_screen_free(s);
}

static const tz_binding pick_keys[] = {
	{TZ_KENTER, S_CHOOSE},
	{TZ_KF(4), S_CHOOSE},
	{TZ_KESC, S_BACK},
	{0, 0},
};

static const tz_screen pick_screen = {
	.name = "pick", .title = S_CHOOSE, .draw = pick_draw, .key = pick_key,
	.destroy = pick_destroy,
	.lists = {TZ_SCREEN_LIST(picker, list), TZ_SCREEN_LIST(picker, all)},
	.keys = pick_keys,
};

tz_screen *tz_pick_new(tz_ui *ui, const tz_field *fd, int seed, tz_pick_done_fn done,
		       void *ctx)
{
	const tz_table *t = fd && fd->type == TZ_T_REF && fd->ref ? tz_schema_table_find(fd->ref) : NULL;
	tz_screen *s = t ? tz_ui_screen_new(&pick_screen, sizeof(picker)) : NULL;
	if (!s)
		return NULL;
	picker *p = s->st;
	p->fd = fd;
	p->t = t;
	p->done = done;
	p->ctx = ctx;
	p->db = ui->db;
	p->searched = !strcmp(t->name, "person") || !strcmp(t->name, "household");
	tz_edit_init(&p->query, TZ_SEARCH_TEXT / 4);
	tz_list_init(&p->list, PICK_COLS);
	if (p->searched) {
		int person = !strcmp(t->name, "person");
		p->list.head[0] = S(S_COL_NAME);
		p->list.head[1] = S(person ? S_IDNUM : S_ADDRESS);
		p->list.head[2] = S(S_PHONE);
		p->list.head[3] = S(person ? S_ADDRESS : S_VILLAGE);
		p->list.width[0] = person ? 10 : 18; /* a household: "head（member）" */
		p->list.width[1] = person ? 19 : 22;
		p->list.width[2] = 12;
	} else {
		/* the label, then the first two other fields (a vacancy: its employer) */
		int lf = label_field(t), k = 0;
		for (int i = 0; i < t->nfields && k < PICK_COLS - 1; i++)
			if (i != lf && !(t->fields[i].flags & TZ_F_MULTILINE))
				p->cols[k++] = i;
		for (; k < PICK_COLS - 1; k++)
			p->cols[k] = -1;
		p->list.head[0] = lf >= 0 ? tz_tr(t->fields[lf].en, t->fields[lf].zh)
					  : tz_tr(t->en, t->zh);
		for (int c = 1; c < PICK_COLS; c++)
			p->list.head[c] = p->cols[c - 1] >= 0 ? tz_tr(t->fields[p->cols[c - 1]].en,
								       t->fields[p->cols[c - 1]].zh)
							      : "";
		p->list.width[0] = 20;
		p->list.width[1] = 16;
		p->list.width[2] = 12;
		tz_list_init(&p->all, PICK_COLS);
		load_all(ui, p, NULL);
		p->big = p->capped;
	}
	if (seed >= 0x20 && seed < 0x110000 && seed != ' ')
		tz_edit_key(&p->query, seed);
	pick_load(ui, p);
	if (p->capped)
		say_capped(ui, PICK_MAX);
	return s;
}

int tz_pick_confirm_delete(tz_ui *ui, const char *table, const char *id)
{
	char label[1024], q[1400];
	const tz_table *t = tz_schema_table_find(table);
	tz_pick_label(ui->db, table, id, label, sizeof label);
	tz_ui_fmt(q, sizeof q, S_CONFIRM_DELETE_OF, t ? tz_tr(t->en, t->zh) : table, label);
	return tz_ui_confirm(ui, q);
}
