/* form.c - record forms (see form.h). */
#include "form.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "taizhang/buf.h"
#include "taizhang/file.h"
#include "taizhang/pinyin.h"
#include "taizhang/record.h"
#include "taizhang/validate.h"
#include "pick.h"
#include "text.h"

#define LABEL_W 16

static void code_text(const tz_field *f, const char *code, char *out, size_t n)
{
	out[0] = 0;
	if (!code)
		return;
	if (f->type == TZ_T_ENUM) {
		snprintf(out, n, "%s", tz_schema_code_label(f->codes, code));
		return;
	}
	if (f->type == TZ_T_SET) {
		char tmp[512];
		snprintf(tmp, sizeof tmp, "%s", code);
		size_t o = 0;
		for (char *tok = strtok(tmp, ","); tok; tok = strtok(NULL, ",")) {
			o += (size_t)snprintf(out + o, o < n ? n - o : 0, "%s%s", o ? "、" : "",
					      tz_schema_code_label(f->codes, tok));
			if (o >= n)
				break;
		}
		return;
	}
	if (f->type == TZ_T_BOOL) {
		snprintf(out, n, "%s", S(!strcmp(code, "1") ? S_YES : S_NO));
		return;
	}
	snprintf(out, n, "%s", code);
}

/* Drafts: the form last being edited, written on every change. */
static void draft_path(tz_ui *ui, char *out, size_t n)
{
	snprintf(out, n, "%s.draft", ui->db_path);
}

/* What field i holds: a reference's id, else the text typed. */
static void field_value(const tz_form *f, int i, char *out, size_t n)
{
	if (f->table->fields[f->field[i]].type == TZ_T_REF)
		snprintf(out, n, "%s", f->ref[i]);
	else
		tz_edit_get(&f->ed[i], out, n);
}

static void draft_write(tz_ui *ui, tz_form *f)
{
	char path[4200], val[2048];
	draft_path(ui, path, sizeof path);
	tz_buf b = {0};
	tz_buf_printf(&b, "table=%s\nid=%s\n", f->table->name, f->id);
	if (f->fixed_name[0])
		tz_buf_printf(&b, "fixed=%s=%s\n", f->fixed_name, f->fixed_value);
	for (int i = 0; i < f->n; i++) {
		field_value(f, i, val, sizeof val);
		tz_buf_printf(&b, "f=%s=%s\n", f->table->fields[f->field[i]].name, val);
	}
	/* the draft is a convenience: a failed write keeps the previous one */
	tz_err err;
	if (!b.failed)
		tz_file_put(path, b.buf, b.len, 0600, &err);
	tz_buf_free(&b);
}

static void draft_remove(tz_ui *ui)
{
	char path[4200];
	draft_path(ui, path, sizeof path);
	unlink(path);
}

static void form_draw(tz_ui *ui, tz_screen *s)
{
	tz_form *f = s->st;
	int rows = TZ_UI_BODY_ROWS(ui) - 1, y0 = TZ_UI_BODY_TOP + 1;
	if (f->focus < f->top)
		f->top = f->focus;
	if (f->focus >= f->top + rows)
		f->top = f->focus - rows + 1;
	for (int r = 0; r < rows && f->top + r < f->n; r++) {
		int i = f->top + r;
		const tz_field *fd = &f->table->fields[f->field[i]];
		char label[128];
		snprintf(label, sizeof label, "%s%s", tz_tr(fd->en, fd->zh),
			 fd->flags & TZ_F_REQUIRED ? "*" : "");
		tz_ui_put(ui, y0 + r, 1, LABEL_W, label, TZ_C_LABEL, 1);
		int x = 1 + LABEL_W + 1, w = ui->cols - x - 1;
		int c = i == f->bad ? TZ_C_ERR : i == f->focus ? TZ_C_FOCUS : TZ_C_FIELD;
		int curcol = tz_ui_put_edit(ui, y0 + r, x, w, &f->ed[i], c);
		if (i == f->focus) {
			ui->cur_y = y0 + r;
			ui->cur_x = x + curcol;
		}
	}
}

/* Derive gender and birth date once an ID number is typed. */
static void derive(tz_form *f)
{
	if (strcmp(f->table->name, "person"))
		return;
	int id = -1, g = -1, b = -1;
	for (int i = 0; i < f->n; i++) {
		const char *nm = f->table->fields[f->field[i]].name;
		if (!strcmp(nm, "id_number"))
			id = i;
		else if (!strcmp(nm, "gender"))
			g = i;
		else if (!strcmp(nm, "birth_date"))
			b = i;
	}
	if (id < 0)
		return;
	char v[64], norm[19], birth[11], gender;
	tz_edit_get(&f->ed[id], v, sizeof v);
	if (!v[0] || tz_valid_idnum(v, norm, birth, &gender, NULL))
		return;
	if (g >= 0) {
		tz_edit_set(&f->ed[g], tz_schema_code_label(tz_schema_codes_gender, gender == 'M' ? "M" : "F"));
		f->ed[g].changed = 1;
	}
	if (b >= 0) {
		tz_edit_set(&f->ed[b], birth);
		f->ed[b].changed = 1;
	}
}

static int choose(tz_ui *ui, const tz_field *fd, tz_edit *e)
{
	int n = 0;
	for (const tz_code *c = fd->codes; c && c->code; c++)
		n++;
	if (!n)
		return 0;
	char mark[64] = {0}, cur[512];
	tz_edit_get(e, cur, sizeof cur);
	for (int i = 0; i < n && i < 64; i++) {
		const char *lab = tz_tr(fd->codes[i].en, fd->codes[i].zh);
		if (cur[0] && (strstr(cur, lab) || !strcmp(cur, fd->codes[i].code)))
			mark[i] = 1;
	}
	int sel = 0, multi = fd->type == TZ_T_SET;
	/* open at the current value */
	for (int i = 0; i < n && i < 64; i++)
		if (mark[i]) {
			sel = i;
			break;
		}
	for (;;) {
		int h = n + 2 < ui->rows - 4 ? n + 2 : ui->rows - 4, w = 40, y = 2,
		    x = (ui->cols - w) / 2, top = sel >= h - 2 ? sel - (h - 3) : 0;
		for (int r = 0; r < h; r++)
			tz_ui_put(ui, y + r, x, w, "", TZ_C_BAR, 1);
		tz_ui_put(ui, y, x + 1, w - 2, tz_tr(fd->en, fd->zh), TZ_C_BAR, 0);
		for (int r = 0; r < h - 2 && top + r < n; r++) {
			int i = top + r;
			char line[160];
			snprintf(line, sizeof line, "%s%s %s", multi ? (mark[i] ? "[x] " : "[ ] ") : "",
				 fd->codes[i].code, tz_tr(fd->codes[i].en, fd->codes[i].zh));
			int cls = i == sel ? TZ_C_SEL : TZ_C_NORMAL;
			tz_ui_put(ui, y + 1 + r, x + 1, w - 2, line, cls, 1);
		}
		tz_ui_put(ui, ui->rows - 2, 0, ui->cols, S(multi ? S_SELECT_TITLE : S_SELECT_ONE),
			  TZ_C_WARN, 1);
		curs_set(0);
		refresh();
		int k = tz_ui_getkey(ui);
		if (k == TZ_K(KEY_UP) && sel > 0)
			sel--;
		else if (k == TZ_K(KEY_DOWN) && sel + 1 < n)
			sel++;
		else if (k == ' ' && multi)
			mark[sel] = !mark[sel];
		else if (k > ' ' && k < 0x7f) {
			/* a letter jumps to the next choice whose code or whose
			 * label's pinyin starts with it: no input method needed */
			int c = k >= 'A' && k <= 'Z' ? k - 'A' + 'a' : k;
			for (int step = 1; step <= n; step++) {
				int i = (sel + step) % n;
				tz_pinyin_list pl = {0};
				tz_pinyin_initials(fd->codes[i].zh, 0, &pl);
				int hit = fd->codes[i].code[0] == c ||
					  (pl.n && pl.s[0][0] == c);
				if (hit) {
					sel = i;
					break;
				}
			}
		}
		else if (k == TZ_KESC || (ui->script && ui->script_eof))
			return 0;
		else if (k == TZ_KENTER) {
			char out[512] = "";
			size_t o = 0;
			if (!multi) {
				snprintf(out, sizeof out, "%s", tz_tr(fd->codes[sel].en, fd->codes[sel].zh));
			} else {
				if (!memchr(mark, 1, (size_t)n))
					mark[sel] = 1;
				for (int i = 0; i < n; i++)
					if (mark[i])
						o += (size_t)snprintf(out + o, sizeof out - o, "%s%s", o ? "、" : "",
								      tz_tr(fd->codes[i].en, fd->codes[i].zh));
			}
			tz_edit_set(e, out);
			e->changed = 1;
			return 1;
		}
	}
}

static int save(tz_ui *ui, tz_screen *s)
{
	tz_form *f = s->st;
	tz_err err = {0};
	tz_kv kv[TZ_FORM_MAX + 1];
	char vals[TZ_FORM_MAX][1024];
	int n = 0;
	/* each field first, to put the cursor on the one that is wrong */
	for (int i = 0; i < f->n; i++) {
		const tz_field *fd = &f->table->fields[f->field[i]];
		char *norm = NULL;
		field_value(f, i, vals[i], sizeof vals[i]);
		if (tz_validate_field(f->table, fd, vals[i], &norm, &err)) {
			f->bad = f->focus = i;
			tz_ui_message(ui, 1, "%s", err.msg);
			return 1;
		}
		free(norm);
		if (f->id[0] && !f->ed[i].changed)
			continue; /* unchanged fields stay as they are */
		kv[n].name = fd->name;
		kv[n].value = vals[i];
		n++;
	}
	if (f->fixed_name[0] && !f->id[0]) {
		kv[n].name = f->fixed_name;
		kv[n].value = f->fixed_value;
		n++;
	}
	tz_status st = f->id[0] ? (n ? tz_record_set(ui->db, f->table->name, f->id, kv, n, &err)
				     : TZ_OK)
				: tz_record_add(ui->db, f->table->name, kv, n, f->saved_id, &err);
	if (st) {
		f->bad = -1;
		tz_ui_message(ui, 1, "%s", err.msg);
		return 1;
	}
	draft_remove(ui);
	f->changed = 0;
	tz_ui_message(ui, 0, "%s", S(S_SAVED));
	char msg[sizeof ui->msg], saved[33];
	memcpy(msg, ui->msg, sizeof msg);
	tz_form_saved_fn then = f->id[0] ? NULL : f->then;
	snprintf(saved, sizeof saved, "%s", f->saved_id);
	tz_ui_pop(ui);
	memcpy(ui->msg, msg, sizeof msg);
	if (then)
		then(ui, saved); /* e.g. open the household just made */
	return 1;
}

/* Point reference field i at id ("": at nothing); the editor shows its label. */
static void ref_set(tz_form *f, int i, const char *id)
{
	char label[1024] = ""; /* a name of up to 200 characters */
	snprintf(f->ref[i], sizeof f->ref[i], "%s", id);
	if (id[0])
		tz_pick_label(f->db, f->table->fields[f->field[i]].ref, id, label, sizeof label);
	tz_edit_set(&f->ed[i], label);
	f->ed[i].changed = 1;
}

static void ref_chosen(tz_ui *ui, void *ctx, const char *id)
{
	tz_form *f = ctx;
	ref_set(f, f->picking, id);
	f->changed = f->typed = 1;
	if (f->bad == f->picking)
		f->bad = -1;
	if (f->picking + 1 < f->n)
		f->focus = f->picking + 1;
	draft_write(ui, f);
}

/* Keys on a reference field: F4, Space or a character opens the picker
 * (the character its first), a deleting key empties the field. */
static int ref_key(tz_ui *ui, tz_form *f, const tz_field *fd, int key)
{
	int seed = key >= 0x20 && key < 0x110000 ? key : 0;
	if (key == TZ_KF(4) || seed) {
		tz_screen *p = tz_pick_new(ui, fd, seed, ref_chosen, f);
		if (p) {
			f->picking = f->focus;
			tz_ui_push(ui, p);
		}
		return 1;
	}
	switch (tz_ui_edit_key(key)) {
	case TZ_EK_BACKSPACE:
	case TZ_EK_DELETE:
	case TZ_EK_KILL_END:
	case TZ_EK_KILL_START:
	case TZ_EK_KILL_WORD:
		if (f->ref[f->focus][0]) {
			ref_set(f, f->focus, "");
			f->changed = f->typed = 1;
			draft_write(ui, f);
		}
		return 1;
	case TZ_EK_LEFT:
	case TZ_EK_RIGHT:
	case TZ_EK_HOME:
	case TZ_EK_END:
		return 1;
	default:
		return 0;
	}
}

static int form_key(tz_ui *ui, tz_screen *s, int key)
{
	tz_form *f = s->st;
	const tz_field *fd = &f->table->fields[f->field[f->focus]];
	if (key == TZ_KF(2))
		return save(ui, s);
	if (key == TZ_KESC || key == TZ_KF(10)) {
		/* a new form the user has not touched (today's date and the
		 * defaults filled in) is left without asking */
		if (!f->typed || tz_ui_confirm(ui, S(S_DISCARD))) {
			draft_remove(ui);
			tz_ui_pop(ui);
			if (key == TZ_KF(10))
				return 0; /* let the frame ask about quitting */
		}
		return 1;
	}
	if (fd->type == TZ_T_REF && ref_key(ui, f, fd, key))
		return 1;
	if (key == TZ_KF(4) || (key == ' ' && fd->codes && f->ed[f->focus].len == 0)) {
		if (choose(ui, fd, &f->ed[f->focus])) {
			f->bad = -1;
			f->changed = f->typed = 1;
			draft_write(ui, f);
		}
		return 1;
	}
	if (key == TZ_K(KEY_UP) || key == TZ_K(KEY_BTAB)) {
		derive(f);
		if (f->focus > 0)
			f->focus--;
		f->fresh = -1;
		return 1;
	}
	if (key == TZ_K(KEY_DOWN) || key == '\t' || key == TZ_KENTER) {
		derive(f);
		if (f->focus + 1 < f->n)
			f->focus++;
		else if (key == TZ_KENTER)
			return save(ui, s);
		f->fresh = -1;
		return 1;
	}
	int ek = tz_ui_edit_key(key);
	/* a date typed into a field that shows one (today's, by default)
	 * replaces it, unless the cursor was moved or a key edited it first:
	 * "2026-12-06" then "2026-02-03" is not "2026-12-062026-02-03" */
	if (fd->type == TZ_T_DATE && f->fresh != f->focus) {
		f->fresh = f->focus;
		f->overwrite = f->ed[f->focus].len > 0;
	}
	if (ek >= 0x20 && fd->type == TZ_T_DATE && f->overwrite)
		tz_edit_set(&f->ed[f->focus], "");
	if (ek && fd->type == TZ_T_DATE)
		f->overwrite = 0;
	if (ek && tz_edit_key(&f->ed[f->focus], ek)) {
		if (f->ed[f->focus].changed) {
			f->changed = f->typed = 1;
			if (f->bad == f->focus)
				f->bad = -1;
			draft_write(ui, f);
		}
		return 1;
	}
	return 0;
}

static const tz_binding form_keys[] = {
	{TZ_KF(2), S_SAVE},
	{TZ_KF(4), S_CHOOSE},
	{TZ_KESC, S_BACK},
	{0, 0},
};

void tz_form_then(tz_screen *s, tz_form_saved_fn fn)
{
	if (s)
		((tz_form *)s->st)->then = fn;
}

void tz_form_set(tz_screen *s, const char *field, const char *value)
{
	tz_form *f = s->st;
	for (int i = 0; i < f->n; i++)
		if (!strcmp(f->table->fields[f->field[i]].name, field)) {
			if (f->table->fields[f->field[i]].type == TZ_T_REF) {
				ref_set(f, i, value);
				continue;
			}
			tz_edit_set(&f->ed[i], value);
			f->ed[i].changed = 1;
		}
}

static const tz_screen form_screen = {
	.name = "form", .draw = form_draw, .key = form_key, 
	.keys = form_keys,
};

tz_screen *tz_form_new(tz_ui *ui, const char *table, const char *const *fields,
		       const char *id, const char *fixed_name, const char *fixed_value,
		       int title)
{
	const tz_table *t = tz_schema_table_find(table);
	tz_screen *s = t ? tz_ui_screen_new(&form_screen, sizeof(tz_form)) : NULL;
	if (!s)
		return NULL;
	s->title = title;
	tz_form *f = s->st;
	f->table = t;
	f->bad = -1;
	f->fresh = -1;
	f->db = ui->db;
	if (fields) {
		for (int k = 0; fields[k] && f->n < TZ_FORM_MAX; k++) {
			int i = tz_schema_field_find(t, fields[k]);
			if (i >= 0)
				f->field[f->n++] = i;
		}
	} else {
		for (int i = 0; i < t->nfields && f->n < TZ_FORM_MAX; i++)
			if (!fixed_name || strcmp(t->fields[i].name, fixed_name))
				f->field[f->n++] = i;
	}
	tz_row row = {0};
	tz_err err;
	int have = id && *id && tz_record_get(ui->db, table, id, &row, &err) == TZ_OK;
	for (int i = 0; i < f->n; i++) {
		const tz_field *fd = &t->fields[f->field[i]];
		tz_edit_init(&f->ed[i], fd->type == TZ_T_TEXT && fd->max ? (int)fd->max : 200);
		char text[1024];
		code_text(fd, have ? row.vals[f->field[i]] : NULL, text, sizeof text);
		if (!have && fd->dflt)
			code_text(fd, fd->dflt, text, sizeof text);
		tz_edit_set(&f->ed[i], text);
		if (fd->type == TZ_T_REF && have && row.vals[f->field[i]]) {
			ref_set(f, i, row.vals[f->field[i]]);
			f->ed[i].changed = 0;
		}
	}
	if (have) {
		snprintf(f->id, sizeof f->id, "%s", row.id);
		tz_record_row_free(&row);
	}
	if (fixed_name) {
		snprintf(f->fixed_name, sizeof f->fixed_name, "%s", fixed_name);
		snprintf(f->fixed_value, sizeof f->fixed_value, "%s", fixed_value ? fixed_value : "");
	}
	return s;
}

static void copy(char *dst, size_t n, const char *src)
{
	size_t l = strlen(src);
	if (l >= n)
		l = n - 1;
	memcpy(dst, src, l);
	dst[l] = 0;
}

void tz_form_offer_draft(tz_ui *ui)
{
	char path[4200], line[2048], table[64] = "", id[64] = "", fixed[256] = "";
	draft_path(ui, path, sizeof path);
	FILE *in = fopen(path, "r");
	if (!in)
		return;
	char (*names)[64] = calloc(TZ_FORM_MAX, sizeof *names);
	char (*vals)[1024] = calloc(TZ_FORM_MAX, sizeof *vals);
	int n = 0;
	while (names && vals && fgets(line, sizeof line, in)) {
		line[strcspn(line, "\n")] = 0;
		if (!strncmp(line, "table=", 6))
			copy(table, sizeof table, line + 6);
		else if (!strncmp(line, "id=", 3))
			copy(id, sizeof id, line + 3);
		else if (!strncmp(line, "fixed=", 6))
			copy(fixed, sizeof fixed, line + 6);
		else if (!strncmp(line, "f=", 2) && n < TZ_FORM_MAX) {
			char *eq = strchr(line + 2, '=');
			if (!eq)
				continue;
			*eq = 0;
			copy(names[n], 64, line + 2);
			copy(vals[n], 1024, eq + 1);
			n++;
		}
	}
	fclose(in);
	if (tz_schema_table_find(table) && tz_ui_confirm(ui, S(S_DRAFT_FOUND))) {
		char *fv = strchr(fixed, '=');
		if (fv)
			*fv++ = 0;
		const char *fields[TZ_FORM_MAX + 1];
		for (int i = 0; i < n; i++)
			fields[i] = names[i];
		fields[n] = NULL;
		tz_screen *s = tz_form_new(ui, table, fields, id[0] ? id : NULL,
					   fixed[0] ? fixed : NULL, fv, id[0] ? S_EDIT : S_NEW);
		if (s) {
			for (int i = 0; i < n; i++)
				tz_form_set(s, names[i], vals[i]);
			((tz_form *)s->st)->typed = 1; /* what was typed before the power cut */
			tz_ui_push(ui, s);
		}
	} else {
		unlink(path);
	}
	free(names);
	free(vals);
}
