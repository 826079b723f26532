/* pick.h - choosing the record a reference field points at.
 *
 * A form never asks staff to type a record's id: a reference field shows
 * the record's name, and F4, Space or any letter opens a list to choose
 * from, narrowed as one types (persons and households through the search
 * index; staff, vacancies, employers and the rest by any text shown or the
 * name's pinyin). */
#ifndef TAIZHANG_TUI_PICK_H
#define TAIZHANG_TUI_PICK_H

#include "taizhang/schema.h"
#include "ui.h"

/* The label of record id of table: its name, title or head's name; for a
 * record without one (an aid case), the label of the first record it
 * points at and its first date ("张三 2026-06-01"); the id itself when the
 * record is not found. */
void tz_pick_label(tz_db *db, const char *table, const char *id, char *out, size_t n);

/* Ask before deleting record id of table, naming it: "确定删除人员“张三”？…".
 * 1 if the user said yes. */
int tz_pick_confirm_delete(tz_ui *ui, const char *table, const char *id);

/* Called with the id chosen, just before the picker closes. */
typedef void (*tz_pick_done_fn)(tz_ui *ui, void *ctx, const char *id);

/* A screen listing the records fd (a TZ_T_REF field) can point at; seed: a
 * first character already typed (0: none).  Enter (or a double click)
 * calls done and closes it; Esc closes it. */
tz_screen *tz_pick_new(tz_ui *ui, const tz_field *fd, int seed, tz_pick_done_fn done,
		       void *ctx);

#endif
