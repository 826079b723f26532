/* search.h - finding persons and households fast.
 *
 * By name (any part of it), by pinyin initials (zs -> 张三) or full pinyin
 * (zhangs...), by the beginning or the end of an ID number, by the
 * beginning of a phone number.  The table `search` holds one row per key
 * under which a live person or household is found; triggers on person and
 * household keep it right on every write path (local edits, demo, merged
 * bundles) by calling tz_search_keys(), a function every connection
 * registers.  Every query is a few range scans of that table's primary key,
 * (kind, key, ...): no scan of the persons.  See docs/cli.md "Search".
 */
#ifndef TAIZHANG_SEARCH_H
#define TAIZHANG_SEARCH_H

#include "taizhang/err.h"
#include "taizhang/db.h"

struct sqlite3;

/* Kinds of key, X(name, stored number, label).  The numbers are stored in
 * the database: never renumber. */
#define TZ_SEARCH_KINDS(X)                                                         \
	X(TZ_SK_NAME, 0, "name")                   /* the whole name */            \
	X(TZ_SK_NAME_PART, 1, "name_part")         /* the name from its 2nd, 3rd... character */ \
	X(TZ_SK_INITIALS, 2, "initials")           /* zs for 张三 */               \
	X(TZ_SK_INITIALS_PART, 3, "initials_part") /* xm for 王小明 */             \
	X(TZ_SK_PINYIN, 4, "pinyin")               /* zhangsan */                  \
	X(TZ_SK_ID, 5, "id_number")                /* the ID number */             \
	X(TZ_SK_ID_END, 6, "id_number_end")        /* the ID number reversed */    \
	X(TZ_SK_PHONE, 7, "phone")                 /* digits; also without area code */

typedef enum {
#define TZ_X(name, n, label) name = n,
	TZ_SEARCH_KINDS(TZ_X)
#undef TZ_X
} tz_search_kind;

const char *tz_search_kind_name(int kind);

/* Ranks: what the key had in common with the query. */
enum {
	TZ_SEARCH_EXACT = 1,  /* the whole key */
	TZ_SEARCH_PREFIX = 2, /* its beginning (for id_number_end: the ID's end) */
	TZ_SEARCH_PART = 3,   /* a later part of the name */
};

#define TZ_SEARCH_LIMIT 50   /* default cap on hits */
#define TZ_SEARCH_MAX 1000   /* largest cap accepted */
#define TZ_SEARCH_TEXT 200   /* longest query, bytes */

typedef struct {
	int rank;              /* TZ_SEARCH_EXACT.. */
	int kind;              /* the key that matched */
	const char *table;     /* "person" or "household" */
	const char *id;
	const char *name;      /* a person's name, a household's head */
	const char *id_number; /* "" when none (and for households) */
	const char *phone;
	const char *household; /* a person's household; a household's own id */
	const char *village;   /* the household's village code */
	const char *address;   /* the household's address */
} tz_search_hit;

/* Called once per hit, best first; a non-zero return stops. */
typedef int (*tz_search_cb)(void *ctx, const tz_search_hit *hit);

/* Search for text: digits (and a final X) look in ID numbers (beginning or
 * end) and phones; ASCII letters in pinyin initials, full pinyin and names;
 * anything else in names.  Case and spaces do not matter.  Hits are ranked
 * exact, prefix, part; then by the kind of key; then by name.  At most
 * `limit` (0: TZ_SEARCH_LIMIT) hits; when more match, the first in each
 * kind's key order are kept.  Empty text is TZ_EUSAGE. */
tz_status tz_search(tz_db *db, const char *text, int limit, tz_search_cb cb, void *ctx,
		    tz_err *err);

/* For core/db.c: register tz_search_keys(name, id_number, phone) (the keys
 * of a row as a JSON object {key: kind}; an empty object while *deferred is
 * set, see tz_search_defer in core/internal.h) and tz_search_backfill()
 * (fills the index from existing rows, used by the migration that creates
 * it) on a connection.  Returns an SQLite result code. */
int tz_search_register(struct sqlite3 *sql, const int *deferred);

/* For tests: the SQL statements a search runs, NULL-terminated. */
const char *const *tz_search_statements(void);

#endif
