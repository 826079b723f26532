/* list.c - the scrolling list (see list.h). */
#include "list.h"

#include <stdlib.h>
#include <string.h>

void tz_list_init(tz_list *l, int ncols)
{
	memset(l, 0, sizeof *l);
	l->ncols = ncols > TZ_LIST_COLS ? TZ_LIST_COLS : ncols;
}

void tz_list_columns(tz_list *l, int ncols, const tz_list_col *cols)
{
	tz_list_init(l, ncols);
	for (int i = 0; i < l->ncols; i++) {
		l->head[i] = S(cols[i].title);
		l->width[i] = cols[i].width;
	}
}

void tz_list_clear(tz_list *l)
{
	for (int i = 0; i < l->n * l->ncols; i++)
		free(l->cells[i]);
	l->n = l->sel = l->top = 0;
}

void tz_list_free(tz_list *l)
{
	tz_list_clear(l);
	free(l->cells);
	free(l->ids);
	free(l->tags);
	l->cells = NULL;
	l->ids = NULL;
	l->tags = NULL;
	l->cap = 0;
}

void tz_list_add(tz_list *l, const char *id, const char *tag, const char *const *cells)
{
	if (l->n == l->cap) {
		int cap = l->cap ? l->cap * 2 : 64;
		char **c = realloc(l->cells, (size_t)cap * (size_t)l->ncols * sizeof *c);
		if (!c)
			return;
		l->cells = c;
		void *ids = realloc(l->ids, (size_t)cap * sizeof *l->ids);
		if (!ids)
			return;
		l->ids = ids;
		void *tags = realloc(l->tags, (size_t)cap * sizeof *l->tags);
		if (!tags)
			return;
		l->tags = tags;
		l->cap = cap;
	}
	for (int i = 0; i < l->ncols; i++)
		l->cells[l->n * l->ncols + i] = strdup(cells[i] ? cells[i] : "");
	snprintf(l->ids[l->n], sizeof l->ids[0], "%s", id ? id : "");
	snprintf(l->tags[l->n], sizeof l->tags[0], "%s", tag ? tag : "");
	l->n++;
}

const char *tz_list_cell(const tz_list *l, int row, int col)
{
	if (row < 0 || row >= l->n || col < 0 || col >= l->ncols)
		return "";
	return l->cells[row * l->ncols + col];
}

const char *tz_list_sel_id(const tz_list *l)
{
	return l->n ? l->ids[l->sel] : NULL;
}

const char *tz_list_sel_tag(const tz_list *l)
{
	return l->n ? l->tags[l->sel] : NULL;
}

static void draw_row(tz_ui *ui, tz_list *l, int y, int x, int w, const char *const *cells, int c)
{
	int cx = x;
	for (int i = 0; i < l->ncols && cx < x + w; i++) {
		int cw = l->width[i] ? l->width[i] : x + w - cx;
		if (cx + cw > x + w)
			cw = x + w - cx;
		tz_ui_put(ui, y, cx, cw, cells[i], c, 1);
		cx += cw;
		if (i + 1 < l->ncols && cx < x + w) {
			tz_ui_put(ui, y, cx, 1, " ", c, 1);
			cx++;
		}
	}
	if (cx < x + w)
		tz_ui_put(ui, y, cx, x + w - cx, "", c, 1);
}

void tz_list_draw(tz_ui *ui, tz_list *l, int y, int x, int h, int w)
{
	l->dy = y;
	l->dx = x;
	l->dh = h;
	l->dw = w;
	if (h < 2)
		return;
	draw_row(ui, l, y, x, w, l->head, TZ_C_LABEL);
	int rows = h - 1;
	if (l->sel < l->top)
		l->top = l->sel;
	if (l->sel >= l->top + rows)
		l->top = l->sel - rows + 1;
	for (int r = 0; r < rows && l->top + r < l->n; r++) {
		int row = l->top + r;
		draw_row(ui, l, y + 1 + r, x, w, (const char *const *)&l->cells[row * l->ncols],
			 row == l->sel ? TZ_C_SEL : TZ_C_NORMAL);
	}
}

int tz_list_hit(const tz_ui *ui, const tz_list *l)
{
	return l->dh > 0 && ui->mouse_y >= l->dy && ui->mouse_y < l->dy + l->dh &&
	       ui->mouse_x >= l->dx && ui->mouse_x < l->dx + l->dw;
}

int tz_list_key(tz_ui *ui, tz_list *l, int key, int h)
{
	int page = h > 2 ? h - 2 : 1;
	if (key == TZ_KMOUSE) {
		if (!tz_list_hit(ui, l))
			return 0;
		int row = l->top + ui->mouse_y - l->dy - 1; /* the header is not a row */
		if (ui->mouse_y == l->dy || row < 0 || row >= l->n)
			return 1;
		int open = ui->mouse_double || row == l->sel;
		l->sel = row;
		return open ? 2 : 1;
	}
	if (!l->n)
		return 0;
	if (key == TZ_K(KEY_UP))
		l->sel = l->sel > 0 ? l->sel - 1 : 0;
	else if (key == TZ_K(KEY_DOWN))
		l->sel = l->sel + 1 < l->n ? l->sel + 1 : l->n - 1;
	else if (key == TZ_K(KEY_PPAGE))
		l->sel = l->sel > page ? l->sel - page : 0;
	else if (key == TZ_K(KEY_NPAGE))
		l->sel = l->sel + page < l->n ? l->sel + page : l->n - 1;
	else if (key == TZ_K(KEY_HOME))
		l->sel = 0;
	else if (key == TZ_K(KEY_END))
		l->sel = l->n - 1;
	else
		return 0;
	return 1;
}

void tz_list_sort(tz_list *l, int col, int desc)
{
	/* insertion sort on row indexes: lists on screen are short */
	for (int i = 1; i < l->n; i++) {
		for (int j = i; j > 0; j--) {
			int c = strcmp(tz_list_cell(l, j - 1, col), tz_list_cell(l, j, col));
			if (desc ? c >= 0 : c <= 0)
				break;
			for (int k = 0; k < l->ncols; k++) {
				char *t = l->cells[j * l->ncols + k];
				l->cells[j * l->ncols + k] = l->cells[(j - 1) * l->ncols + k];
				l->cells[(j - 1) * l->ncols + k] = t;
			}
			char id[40], tag[16];
			memcpy(id, l->ids[j], sizeof id);
			memcpy(l->ids[j], l->ids[j - 1], sizeof id);
			memcpy(l->ids[j - 1], id, sizeof id);
			memcpy(tag, l->tags[j], sizeof tag);
			memcpy(l->tags[j], l->tags[j - 1], sizeof tag);
			memcpy(l->tags[j - 1], tag, sizeof tag);
		}
	}
}
