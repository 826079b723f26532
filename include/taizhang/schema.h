/* schema.h - the replicated tables, declared as data.
 *
 * Every replicated table and field is described once here; SQL creation,
 * validation, CSV headers, the op log's field indexes, dump and the TUI's
 * forms are all driven by these descriptors.  Field indexes are part of the
 * bundle format: append new fields at the end of a table, never reorder.
 */
#ifndef TAIZHANG_SCHEMA_H
#define TAIZHANG_SCHEMA_H

#include <stddef.h>

typedef enum {
	TZ_T_TEXT,   /* free text, one line unless TZ_F_MULTILINE */
	TZ_T_INT,    /* integer within [min, max] */
	TZ_T_DATE,   /* YYYY-MM-DD */
	TZ_T_ENUM,   /* one code of `codes` */
	TZ_T_SET,    /* comma-separated codes of `codes`, stored in code-table order */
	TZ_T_REF,    /* 32-hex id of a row in table `ref` */
	TZ_T_IDNUM,  /* national ID number, GB 11643 */
	TZ_T_CREDIT, /* unified social credit code, GB 32100 */
	TZ_T_PHONE,  /* mobile or fixed-line phone number */
	TZ_T_REGION, /* 12-digit statistical division code */
	TZ_T_BOOL,   /* 0 or 1 */
} tz_ftype;

enum {
	TZ_F_REQUIRED = 1 << 0,  /* must be non-empty when a record is added */
	TZ_F_MULTILINE = 1 << 1, /* newlines allowed */
	TZ_F_DERIVED = 1 << 2,   /* may be derived from another field */
};

typedef struct {
	const char *code; /* stored value */
	const char *zh;   /* label */
	const char *en;
} tz_code;

typedef struct {
	const char *name; /* as in contract.md */
	const char *zh;   /* label, also accepted as a CSV header */
	const char *en;
	tz_ftype type;
	unsigned flags;
	const tz_code *codes; /* ENUM and SET: NULL-terminated list */
	const char *ref;      /* REF: table name */
	long min, max;        /* INT: inclusive range; TEXT: max length in chars */
	const char *dflt;     /* value given on add when none is */
	const char *aka;      /* other headers rosters use for it, '|'-separated */
} tz_field;

typedef struct tz_table tz_table;
struct tz_table {
	const char *name;
	const char *zh;
	const char *en;
	const tz_field *fields; /* field index = position; id is not a field */
	int nfields;
};

/* The replicated tables, in their bundle index order. */
extern const tz_table *const tz_schema_tables[];
extern const int tz_schema_ntables;

const tz_table *tz_schema_table_find(const char *name);
int tz_schema_table_index(const tz_table *t);
/* Field by name or by Chinese/English label; -1 if none. */
int tz_schema_field_find(const tz_table *t, const char *name);
/* 1 if the field is stored as an SQL INTEGER (int and bool), else TEXT. */
int tz_schema_field_is_int(const tz_field *f);
/* A code by its code, its label, or another name rosters use for it (the
 * short and sub-level forms of the national code tables, everyday usage:
 * 大专, 长子, 在家务农); NULL if none. */
const tz_code *tz_schema_code_find(const tz_code *codes, const char *code_or_label);
/* 1 if s is one of the '|'-separated names in list. */
int tz_schema_aka_has(const char *list, const char *s);
/* Label of a code in the current language; the code itself if unknown. */
const char *tz_schema_code_label(const tz_code *codes, const char *code);

/* A stored value as people read it, in the current language: an ENUM's
 * label, a SET's labels joined (", " or "、"), a BOOL's yes/no; any other
 * value as it is.  Into out, truncated to n - 1 bytes. */
void tz_schema_value_label(const tz_field *f, const char *v, char *out, size_t n);

/* Shared code tables (also used by reports and the TUI). */
extern const tz_code tz_schema_codes_education[];
extern const tz_code tz_schema_codes_employment[];
extern const tz_code tz_schema_codes_key_groups[];
extern const tz_code tz_schema_codes_gender[];
extern const tz_code tz_schema_codes_platform_level[];
extern const tz_code tz_schema_codes_work_ability[];
extern const tz_code tz_schema_codes_work_range[];
extern const tz_code tz_schema_codes_close_reason[];
extern const tz_code tz_schema_codes_staff_status[];

#endif
