/* list.h - a scrolling list of rows with columns, one selected. */
#ifndef TAIZHANG_TUI_LIST_H
#define TAIZHANG_TUI_LIST_H

#include "ui.h"

#define TZ_LIST_COLS 8

typedef struct {
	int ncols;
	const char *head[TZ_LIST_COLS]; /* column titles */
	int width[TZ_LIST_COLS];        /* columns; the last one takes the rest if 0 */
	int n, cap, sel, top;
	char **cells; /* n * ncols strings */
	char (*ids)[40];
	char (*tags)[16]; /* which table a row is, for mixed lists */
	int dy, dx, dh, dw; /* where tz_list_draw last drew it (dh 0: not drawn) */
} tz_list;

void tz_list_init(tz_list *l, int ncols);
/* A column: its title (S_*) and width (0: the last one takes the rest). */
typedef struct {
	int title;
	int width;
} tz_list_col;
/* tz_list_init with the columns' titles (in the current language) and widths. */
void tz_list_columns(tz_list *l, int ncols, const tz_list_col *cols);
void tz_list_clear(tz_list *l);
void tz_list_free(tz_list *l);
/* Append a row; cells are copied. */
void tz_list_add(tz_list *l, const char *id, const char *tag, const char *const *cells);
/* Sort rows by a column's text (descending when desc). */
void tz_list_sort(tz_list *l, int col, int desc);
const char *tz_list_cell(const tz_list *l, int row, int col);
const char *tz_list_sel_id(const tz_list *l); /* NULL if empty */
const char *tz_list_sel_tag(const tz_list *l);
/* Draw in rows y..y+h-1 (a header line first). */
void tz_list_draw(tz_ui *ui, tz_list *l, int y, int x, int h, int w);
/* Up/Down/PgUp/PgDn/Home/End and mouse clicks (TZ_KMOUSE) on its rows;
 * 1 if handled, 2 for a double click or a click on the selected row (the
 * caller opens the row as for Enter).  h is the drawn height. */
int tz_list_key(tz_ui *ui, tz_list *l, int key, int h);
/* 1 if the last TZ_KMOUSE fell inside the list as last drawn. */
int tz_list_hit(const tz_ui *ui, const tz_list *l);

#endif
