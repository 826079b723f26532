/* calllist.c - the call list of a vacancy: names and phone numbers of
 * matching job seekers (personal data; platform.h). */
#include "taizhang/calllist.h"

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "layout.h"
#include "query.h"
#include "taizhang/match.h"
#include "taizhang/record.h"
#include "taizhang/schema.h"
#include "taizhang/settings.h"
#include "taizhang/validate.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- the call list ---- */

const char *tz_calllist_reminder(void)
{
	return tz_tr("PERSONAL DATA: only for calling about this vacancy. Do not copy, post or pass"
		     " on; destroy after use.",
		     "本名单含个人信息，仅用于电话联系本岗位，不得复制、张贴或外传，用后销毁。");
}

void tz_calllist_free(tz_call_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++) {
		free(l->items[i].name);
		free(l->items[i].phone);
	}
	free(l->items);
	free(l->title);
	memset(l, 0, sizeof *l);
}

tz_status tz_calllist(tz_db *db, const char *vacancy, const char *date, int limit,
		      tz_call_list *out, tz_err *err)
{
	memset(out, 0, sizeof *out);
	tz_match_opts o = {.date = date, .limit = limit};
	tz_match_list ml;
	tz_status st = tz_match_vacancy(db, vacancy, &o, &ml, err);
	if (st)
		return st;
	memcpy(out->date, ml.date, sizeof out->date);
	sqlite3_stmt *t = tz_db_stmt(db, "SELECT v.title, e.name FROM vacancy v LEFT JOIN employer e"
				      " ON e.id = v.employer WHERE v.id = ?1");
	if (!t) {
		tz_match_free(&ml);
		return tz_db_fail(db, err, "person");
	}
	sqlite3_bind_text(t, 1, vacancy, -1, SQLITE_TRANSIENT);
	if (sqlite3_step(t) == SQLITE_ROW) {
		char buf[256];
		if (tz_query_col(t, 1))
			tz_trf(buf, sizeof buf, "%s (%s)", "%s（%s）", tz_query_col(t, 0), tz_query_col(t, 1));
		else
			snprintf(buf, sizeof buf, "%s", tz_query_col(t, 0));
		out->title = strdup(buf);
	}
	sqlite3_reset(t);
	sqlite3_stmt *q = tz_db_stmt(db, "SELECT coalesce(p.phone, h.phone) FROM person p"
			" LEFT JOIN household h ON h.id = p.household AND h._deleted = 0"
			" WHERE p.id = ?1");
	if (!q || (ml.n && !(out->items = calloc(ml.n, sizeof *out->items)))) {
		tz_match_free(&ml);
		tz_calllist_free(out);
		return q ? tz_nomem(err) : tz_db_fail(db, err, "person");
	}
	for (size_t i = 0; i < ml.n; i++) {
		tz_call_item *it = &out->items[out->n++];
		memcpy(it->id, ml.items[i].id, sizeof it->id);
		it->name = tz_query_dup(ml.items[i].name);
		sqlite3_reset(q);
		sqlite3_bind_text(q, 1, it->id, -1, SQLITE_TRANSIENT);
		if (sqlite3_step(q) == SQLITE_ROW && tz_query_col(q, 0))
			it->phone = strdup(tz_query_col(q, 0));
		if (!it->name) {
			sqlite3_reset(q);
			tz_match_free(&ml);
			tz_calllist_free(out);
			return tz_nomem(err);
		}
	}
	sqlite3_reset(q);
	tz_match_free(&ml);
	return TZ_OK;
}
