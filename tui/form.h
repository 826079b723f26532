/* form.h - a record form declared as data: the table, the fields shown,
 * one line editor per field.  Validation is the core's; saving goes
 * through tz_record_add/set.  Every keystroke updates a draft file so a
 * power cut loses nothing typed. */
#ifndef TAIZHANG_TUI_FORM_H
#define TAIZHANG_TUI_FORM_H

#include "taizhang/schema.h"
#include "edit.h"
#include "ui.h"

#define TZ_FORM_MAX 40

/* After a new record is saved and its form closed: its id. */
typedef void (*tz_form_saved_fn)(tz_ui *ui, const char *id);

typedef struct {
	const tz_table *table;
	char id[33];                 /* "" for a new record */
	int n;                       /* fields shown */
	int field[TZ_FORM_MAX];      /* index into table->fields */
	tz_edit ed[TZ_FORM_MAX];
	int focus, top, bad;         /* bad: field with an error, -1 none */
	char fixed_name[32];         /* a field given by the caller, not shown */
	char fixed_value[64];
	int changed;
	int typed;                   /* the user changed a field (or it is a restored draft):
				      * leaving asks first */
	int fresh, overwrite;        /* the field last entered; its shown date is replaced by the
				      * first character typed */
	char saved_id[33];           /* id of the record saved */
	tz_form_saved_fn then;       /* a new record saved: called after the form closed */
	/* reference fields: the id; the editor shows the record's label */
	char ref[TZ_FORM_MAX][33];
	int picking;                 /* the field a picker is open for */
	tz_db *db;
} tz_form;

/* Screen showing a form for table; fields: names, NULL-terminated (NULL
 * = all); id NULL for a new record; fixed_name/value preset and hidden. */
tz_screen *tz_form_new(tz_ui *ui, const char *table, const char *const *fields,
		       const char *id, const char *fixed_name, const char *fixed_value,
		       int title);
/* Set a field's text (by name) in an open form screen; for a reference
 * field, the id of the record. */
void tz_form_set(tz_screen *s, const char *field, const char *value);
/* What to do once a new record is saved and the form closed (NULL: nothing). */
void tz_form_then(tz_screen *s, tz_form_saved_fn fn);

/* Offer to restore a draft left by a crash (the form last being edited,
 * written to DB.draft on every change); pushes the form if taken. */
void tz_form_offer_draft(tz_ui *ui);

#endif
