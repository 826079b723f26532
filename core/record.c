/* record.c - validated writes and reads of replicated records. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "query.h"
#include "taizhang/record.h"
#include "taizhang/validate.h"

#define LABEL(f) tz_tr((f)->en, (f)->zh)

void tz_record_row_free(tz_row *r)
{
	if (!r || !r->vals)
		return;
	for (int i = 0; r->table && i < r->table->nfields; i++)
		free(r->vals[i]);
	free(r->vals);
	r->vals = NULL;
}

static void vals_free(char **v, int n)
{
	if (!v)
		return;
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static const tz_table *find_table(const char *name, tz_err *err)
{
	const tz_table *t = tz_schema_table_find(name);
	if (!t) {
		char known[256] = "";
		for (int i = 0; i < tz_schema_ntables; i++) {
			if (i)
				strncat(known, ", ", sizeof known - strlen(known) - 1);
			strncat(known, tz_schema_tables[i]->name, sizeof known - strlen(known) - 1);
		}
		tz_fail(err, TZ_EUSAGE, "unknown table '%.40s' (tables: %s)",
			"没有名为“%.40s”的表（可用：%s）", name, known);
	}
	return t;
}

static int field_or_fail(const tz_table *t, const char *name, tz_err *err)
{
	int i = tz_schema_field_find(t, name);
	if (i < 0)
		tz_fail(err, TZ_EINVAL, "%s has no field '%.40s'", "%s 没有字段“%.40s”",
			tz_tr(t->en, t->zh), name);
	return i;
}

static long num(const char *s) { return s ? strtol(s, NULL, 10) : 0; }

static tz_status order_rule(const tz_field *a, const char *av, const tz_field *b, const char *bv,
			    tz_err *err)
{
	if (!av || !bv)
		return TZ_OK;
	int bad = (a->type == TZ_T_INT) ? num(av) > num(bv) : strcmp(av, bv) > 0;
	if (bad)
		return tz_fail(err, TZ_EINVAL, "%s (%s) must not be later or larger than %s (%s)",
			       "%s（%s）不能晚于或大于%s（%s）", LABEL(a), av, LABEL(b), bv);
	return TZ_OK;
}

static int fidx(const tz_table *t, const char *name) { return tz_schema_field_find(t, name); }

#define V(name) (vals[fidx(t, name)])
#define FD(name) (&t->fields[fidx(t, name)])

tz_status tz_record_check(const tz_table *t, char **vals, tz_err *err)
{
	tz_status st;
	const char *tn = t->name;

	if (!strcmp(tn, "person") && V("id_number")) {
		char norm[19], birth[11], g;
		if ((st = tz_valid_idnum(V("id_number"), norm, birth, &g, err)))
			return st;
		char gs[2] = {g, 0};
		char **gv = &V("gender"), **bv = &V("birth_date");
		if (*gv && strcmp(*gv, gs))
			return tz_fail(err, TZ_EINVAL,
				       "gender %s does not match the ID number (which says %s)",
				       "性别“%s”与身份证号不符（身份证号为%s）",
				       tz_schema_code_label(tz_schema_codes_gender, *gv),
				       tz_schema_code_label(tz_schema_codes_gender, gs));
		if (*bv && strcmp(*bv, birth))
			return tz_fail(err, TZ_EINVAL,
				       "birth date %s does not match the ID number (which says %s)",
				       "出生日期 %s 与身份证号不符（身份证号为 %s）", *bv, birth);
		if (!*gv && !(*gv = strdup(gs)))
			return tz_nomem(err);
		if (!*bv && !(*bv = strdup(birth)))
			return tz_nomem(err);
	}
	for (int i = 0; i < t->nfields; i++) {
		const tz_field *f = &t->fields[i];
		if ((f->flags & TZ_F_REQUIRED) && !vals[i])
			return tz_fail(err, TZ_EINVAL, "%s is required", "%s 必须填写", LABEL(f));
	}
	if (!strcmp(tn, "vacancy")) {
		if ((st = order_rule(FD("wage_min"), V("wage_min"), FD("wage_max"), V("wage_max"), err)) ||
		    (st = order_rule(FD("age_min"), V("age_min"), FD("age_max"), V("age_max"), err)) ||
		    (st = order_rule(FD("valid_from"), V("valid_from"), FD("valid_until"),
				     V("valid_until"), err)))
			return st;
	} else if (!strcmp(tn, "visit")) {
		if ((st = order_rule(FD("date"), V("date"), FD("next_visit"), V("next_visit"), err)))
			return st;
	} else if (!strcmp(tn, "aid_case")) {
		const char *s = V("status");
		int closed = s && !strcmp(s, "closed");
		if (closed && !V("closed"))
			return tz_fail(err, TZ_EINVAL, "a closed case needs %s", "结案须填写%s",
				       LABEL(FD("closed")));
		if (closed && !V("close_reason"))
			return tz_fail(err, TZ_EINVAL, "a closed case needs %s", "结案须填写%s",
				       LABEL(FD("close_reason")));
		if (!closed && (V("closed") || V("close_reason")))
			return tz_fail(err, TZ_EINVAL, "%s is set but the case is not closed",
				       "已填写%s，但案例状态不是已结案",
				       LABEL(FD(V("closed") ? "closed" : "close_reason")));
		if ((st = order_rule(FD("opened"), V("opened"), FD("closed"), V("closed"), err)))
			return st;
	} else if (!strcmp(tn, "aid_action")) {
		if ((st = order_rule(FD("date"), V("date"), FD("next_due"), V("next_due"), err)))
			return st;
	} else if (!strcmp(tn, "registration")) {
		const char *c = V("certificate_no");
		if (c && (strlen(c) != 16 || strspn(c, "0123456789") != 16))
			return tz_fail(err, TZ_EINVAL, "%s must be 16 digits", "%s 应为 16 位数字",
				       LABEL(FD("certificate_no")));
		if ((st = order_rule(FD("date"), V("date"), FD("cancelled"), V("cancelled"), err)))
			return st;
		if (V("cancel_reason") && !V("cancelled"))
			return tz_fail(err, TZ_EINVAL, "%s needs %s", "填写%s须同时填写%s",
				       LABEL(FD("cancel_reason")), LABEL(FD("cancelled")));
	} else if (!strcmp(tn, "household")) {
		if ((st = order_rule(FD("zero_emp_since"), V("zero_emp_since"),
				     FD("zero_emp_cleared"), V("zero_emp_cleared"), err)))
			return st;
	} else if (!strcmp(tn, "referral")) {
		if ((st = order_rule(FD("date"), V("date"), FD("outcome_date"), V("outcome_date"),
				     err)))
			return st;
	} else if (!strcmp(tn, "event")) {
		if ((st = order_rule(FD("start"), V("start"), FD("end"), V("end"), err)))
			return st;
	} else if (!strcmp(tn, "attendance")) {
		const char *tm = V("time");
		if (tm && !(strlen(tm) == 5 && strspn(tm, "0123456789") == 2 && tm[2] == ':' &&
			    strspn(tm + 3, "0123456789") == 2 && atoi(tm) < 24 && atoi(tm + 3) < 60))
			return tz_fail(err, TZ_EINVAL, "%s must be HH:MM (00:00 to 23:59), not '%s'",
				       "%s 应为 时:分（00:00 至 23:59），而不是“%s”",
				       LABEL(FD("time")), tm);
		if (V("referral") && !V("intention"))
			return tz_fail(err, TZ_EINVAL, "%s needs %s", "填写%s须同时填写%s",
				       LABEL(FD("referral")), LABEL(FD("intention")));
	} else if (!strcmp(tn, "complaint")) {
		const char *s = V("status");
		int done = s && !strcmp(s, "resolved");
		if (done && !V("resolved"))
			return tz_fail(err, TZ_EINVAL, "a resolved complaint needs %s", "办结须填写%s",
				       LABEL(FD("resolved")));
		if (done && !V("resolution"))
			return tz_fail(err, TZ_EINVAL, "a resolved complaint needs %s", "办结须填写%s",
				       LABEL(FD("resolution")));
		if (!done && V("resolved"))
			return tz_fail(err, TZ_EINVAL, "%s is set but the complaint is not resolved",
				       "已填写%s，但状态不是已办结", LABEL(FD("resolved")));
		if ((st = order_rule(FD("received"), V("received"), FD("deadline"), V("deadline"),
				     err)) ||
		    (st = order_rule(FD("received"), V("received"), FD("resolved"), V("resolved"),
				     err)))
			return st;
	} else if (!strcmp(tn, "staff_cert")) {
		if ((st = order_rule(FD("issued"), V("issued"), FD("expiry"), V("expiry"), err)))
			return st;
	}
	return TZ_OK;
}

#undef V
#undef FD

/* 1 live, 0 missing, -1 deleted */
static int row_state(tz_db *db, const tz_table *t, const char *id)
{
	char sql[128];
	snprintf(sql, sizeof sql, "SELECT _deleted FROM \"%s\" WHERE id=?1", t->name);
	sqlite3_stmt *st;
	int r = 0;
	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
	if (sqlite3_step(st) == SQLITE_ROW)
		r = sqlite3_column_int(st, 0) ? -1 : 1;
	sqlite3_finalize(st);
	return r;
}

/* A village registers its own households: one in another village's code is
 * that village's to register (the township would hold it for review). */
static tz_status check_own_village(tz_db *db, const tz_table *t, char **vals, tz_err *err)
{
	if (tz_db_role(db) != TZ_ROLE_VILLAGE || strcmp(t->name, "household"))
		return TZ_OK;
	const char *v = vals[fidx(t, "village")];
	char *mine = tz_db_region(db);
	tz_status st = TZ_OK;
	if (v && mine && strlen(mine) == 12 && strcmp(v, mine))
		st = tz_fail(err, TZ_EINVAL,
			     "village %s is not this village (%s): a household there is that village's to"
			     " register",
			     "村 %s 不是本村（%s）：该村的户应由该村登记", v, mine);
	free(mine);
	return st;
}

static tz_status check_refs(tz_db *db, const tz_table *t, char **vals, tz_err *err)
{
	for (int i = 0; i < t->nfields; i++) {
		const tz_field *f = &t->fields[i];
		if (f->type != TZ_T_REF || !vals[i])
			continue;
		const tz_table *rt = tz_schema_table_find(f->ref);
		int s = rt ? row_state(db, rt, vals[i]) : 0;
		if (s != 1)
			return tz_fail(err, TZ_EINVAL, "%s: no %s with id %s%s", "%s：找不到编号为 %s 的%s%s",
				       LABEL(f), tz_lang_get() == TZ_LANG_ZH ? vals[i] : rt->en,
				       tz_lang_get() == TZ_LANG_ZH ? rt->zh : vals[i],
				       s < 0 ? tz_tr(" (deleted)", "（已删除）") : "");
	}
	return TZ_OK;
}

/* A national ID number belongs to one live person (self: the row being
 * edited, or NULL). */
static tz_status check_unique_idnum(tz_db *db, const tz_table *t, char **vals, const char *self,
				   tz_err *err)
{
	if (strcmp(t->name, "person"))
		return TZ_OK;
	const char *idn = vals[fidx(t, "id_number")];
	if (!idn)
		return TZ_OK;
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT id, name FROM person WHERE id_number=?1 AND"
				       " _deleted=0 AND id<>?2 LIMIT 1");
	if (!st)
		return tz_db_fail(db, err, "person");
	sqlite3_bind_text(st, 1, idn, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, self ? self : "", -1, SQLITE_STATIC);
	tz_status r = TZ_OK;
	if (sqlite3_step(st) == SQLITE_ROW)
		r = tz_fail(err, TZ_EINVAL, "ID number %s is already registered (person %s, %s)",
			    "身份证号 %s 已登记（人员 %s，%s）", idn,
			    (const char *)sqlite3_column_text(st, 0),
			    (const char *)sqlite3_column_text(st, 1));
	sqlite3_reset(st);
	return r;
}

/* Parse kv into vals (validated, normalised); vals has nfields slots. */
static tz_status parse_kv(const tz_table *t, const tz_kv *kv, int n, char **vals, char *given,
			  tz_err *err)
{
	for (int k = 0; k < n; k++) {
		int i = field_or_fail(t, kv[k].name, err);
		if (i < 0)
			return TZ_EINVAL;
		char *out = NULL;
		tz_status st = tz_validate_field(t, &t->fields[i], kv[k].value ? kv[k].value : "", &out,
					      err);
		if (st)
			return st;
		free(vals[i]);
		vals[i] = out;
		given[i] = 1;
	}
	return TZ_OK;
}

static void put_val(tz_buf *b, const tz_field *f, int field, const char *v)
{
	if (!v)
		tz_oplog_data_null(b, field);
	else if (tz_schema_field_is_int(f))
		tz_oplog_data_int(b, field, strtoll(v, NULL, 10));
	else
		tz_oplog_data_text(b, field, v, strlen(v));
}

static tz_status write_op(tz_db *db, const tz_table *t, const uint8_t row[16], unsigned flags,
			  tz_buf *b, tz_err *err)
{
	if (b->failed)
		return tz_nomem(err);
	tz_status st = tz_db_begin(db, err);
	if (st)
		return st;
	if ((st = tz_oplog_local(db, tz_schema_table_index(t), row, flags, b->buf, b->len, err))) {
		tz_db_rollback(db);
		return st;
	}
	return tz_db_commit(db, err);
}

tz_status tz_record_add(tz_db *db, const char *table, const tz_kv *kv, int n, char id_out[33],
			tz_err *err)
{
	const tz_table *t = find_table(table, err);
	if (!t)
		return TZ_EUSAGE;
	char **vals = calloc((size_t)t->nfields, sizeof *vals);
	char given[64] = {0};
	tz_buf b = {0};
	tz_status st;
	if (!vals)
		return tz_nomem(err);
	if ((st = parse_kv(t, kv, n, vals, given, err)))
		goto out;
	for (int i = 0; i < t->nfields; i++)
		if (!vals[i] && t->fields[i].dflt && !(vals[i] = strdup(t->fields[i].dflt))) {
			st = tz_nomem(err);
			goto out;
		}
	if ((st = tz_record_check(t, vals, err)) || (st = check_own_village(db, t, vals, err)) ||
	    (st = check_refs(db, t, vals, err)) || (st = check_unique_idnum(db, t, vals, NULL, err)))
		goto out;
	for (int i = 0; i < t->nfields; i++)
		if (vals[i])
			put_val(&b, &t->fields[i], i + 1, vals[i]);
	uint8_t row[16];
	tz_db_new_id(row);
	if ((st = write_op(db, t, row, TZ_OP_FULL, &b, err)))
		goto out;
	if (id_out)
		tz_hex_encode(row, 16, id_out);
out:
	tz_buf_free(&b);
	vals_free(vals, t->nfields);
	return st;
}

static tz_status parse_id(const char *id, uint8_t row[16], tz_err *err)
{
	if (!id || strlen(id) != 32 || tz_hex_decode(id, row, 16))
		return tz_fail(err, TZ_EINVAL, "'%.40s' is not a record id (32 hex digits)",
			       "“%.40s”不是记录编号（应为 32 位十六进制）", id ? id : "");
	return TZ_OK;
}

static tz_status load_live(tz_db *db, const tz_table *t, const char *id, tz_row *r, tz_err *err)
{
	tz_status st = tz_record_get(db, t->name, id, r, err);
	if (st)
		return st;
	if (r->deleted) {
		tz_record_row_free(r);
		return tz_fail(err, TZ_ENOTFOUND, "%s %s has been deleted", "%s %s 已被删除",
			       tz_tr(t->en, t->zh), id);
	}
	return TZ_OK;
}

tz_status tz_record_set(tz_db *db, const char *table, const char *id, const tz_kv *kv, int n,
			tz_err *err)
{
	const tz_table *t = find_table(table, err);
	if (!t)
		return TZ_EUSAGE;
	uint8_t row[16];
	tz_row cur = {0};
	tz_status st;
	if ((st = parse_id(id, row, err)) || (st = load_live(db, t, id, &cur, err)))
		return st;
	char **vals = calloc((size_t)t->nfields, sizeof *vals);
	char given[64] = {0};
	tz_buf b = {0};
	if (!vals) {
		tz_record_row_free(&cur);
		return tz_nomem(err);
	}
	for (int i = 0; i < t->nfields; i++)
		vals[i] = cur.vals[i] ? strdup(cur.vals[i]) : NULL;
	if ((st = parse_kv(t, kv, n, vals, given, err)))
		goto out;
	/* a new ID number re-derives gender and birth date unless given */
	if (!strcmp(t->name, "person") && given[fidx(t, "id_number")]) {
		int g = fidx(t, "gender"), bd = fidx(t, "birth_date");
		if (!given[g]) {
			free(vals[g]);
			vals[g] = NULL;
		}
		if (!given[bd]) {
			free(vals[bd]);
			vals[bd] = NULL;
		}
	}
	if ((st = tz_record_check(t, vals, err)) ||
	    (!strcmp(t->name, "household") && given[fidx(t, "village")] &&
	     (st = check_own_village(db, t, vals, err))) ||
	    (st = check_refs(db, t, vals, err)) || (st = check_unique_idnum(db, t, vals, cur.id, err)))
		goto out;
	int changes = 0;
	for (int i = 0; i < t->nfields; i++) {
		const char *a = cur.vals[i], *v = vals[i];
		if ((!a && !v) || (a && v && !strcmp(a, v)))
			continue;
		put_val(&b, &t->fields[i], i + 1, v);
		changes++;
	}
	if (changes)
		st = write_op(db, t, row, 0, &b, err);
out:
	tz_buf_free(&b);
	vals_free(vals, t->nfields);
	tz_record_row_free(&cur);
	return st;
}

/* Live rows of other tables that point at this one. */
static tz_status check_dependents(tz_db *db, const tz_table *t, const char *id, tz_err *err)
{
	char sql[256];
	for (int k = 0; k < tz_schema_ntables; k++) {
		const tz_table *o = tz_schema_tables[k];
		for (int i = 0; i < o->nfields; i++) {
			const tz_field *f = &o->fields[i];
			if (f->type != TZ_T_REF || strcmp(f->ref, t->name))
				continue;
			snprintf(sql, sizeof sql,
				 "SELECT count(*) FROM \"%s\" WHERE \"%s\"=?1 AND _deleted=0",
				 o->name, f->name);
			sqlite3_stmt *st;
			if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
				return tz_db_fail(db, err, o->name);
			sqlite3_bind_text(st, 1, id, -1, SQLITE_STATIC);
			long cnt = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
			sqlite3_finalize(st);
			if (cnt)
				return tz_fail(err, TZ_EINVAL,
					       "%s %s still has %ld %s record(s); delete or move them first",
					       "%s %s 下还有 %ld 条%s记录，请先删除或转移", tz_tr(t->en, t->zh),
					       id, cnt, tz_tr(o->en, o->zh));
		}
	}
	return TZ_OK;
}

tz_status tz_record_del(tz_db *db, const char *table, const char *id, tz_err *err)
{
	const tz_table *t = find_table(table, err);
	if (!t)
		return TZ_EUSAGE;
	uint8_t row[16];
	tz_row cur = {0};
	tz_status st;
	if ((st = parse_id(id, row, err)) || (st = load_live(db, t, id, &cur, err)))
		return st;
	tz_record_row_free(&cur);
	if ((st = check_dependents(db, t, id, err)))
		return st;
	tz_buf b = {0};
	tz_oplog_data_int(&b, TZ_FIELD_DELETED, 1);
	st = write_op(db, t, row, 0, &b, err);
	tz_buf_free(&b);
	return st;
}

/* Fill r from a statement whose columns are id, _deleted, then the fields. */
static tz_status row_from_stmt(const tz_table *t, sqlite3_stmt *st, tz_row *r, tz_err *err)
{
	r->table = t;
	r->vals = calloc((size_t)t->nfields, sizeof *r->vals);
	if (!r->vals)
		return tz_nomem(err);
	const char *id = (const char *)sqlite3_column_text(st, 0);
	snprintf(r->id, sizeof r->id, "%s", id ? id : "");
	r->deleted = sqlite3_column_int(st, 1);
	for (int i = 0; i < t->nfields; i++) {
		int c = i + 2;
		if (sqlite3_column_type(st, c) == SQLITE_NULL)
			continue;
		const char *v = (const char *)sqlite3_column_text(st, c);
		if (v && !(r->vals[i] = strdup(v))) {
			tz_record_row_free(r);
			return tz_nomem(err);
		}
	}
	return TZ_OK;
}

static char *select_sql(const tz_table *t, const char *tail)
{
	size_t cap = 64 + strlen(tail);
	for (int i = 0; i < t->nfields; i++)
		cap += strlen(t->fields[i].name) + 4;
	char *s = malloc(cap + strlen(t->name));
	if (!s)
		return NULL;
	strcpy(s, "SELECT id,_deleted");
	for (int i = 0; i < t->nfields; i++) {
		strcat(s, ",\"");
		strcat(s, t->fields[i].name);
		strcat(s, "\"");
	}
	strcat(s, " FROM \"");
	strcat(s, t->name);
	strcat(s, "\"");
	strcat(s, tail);
	return s;
}

tz_status tz_record_get(tz_db *db, const char *table, const char *id, tz_row *out, tz_err *err)
{
	memset(out, 0, sizeof *out);
	const tz_table *t = find_table(table, err);
	if (!t)
		return TZ_EUSAGE;
	uint8_t row[16];
	tz_status st = parse_id(id, row, err);
	if (st)
		return st;
	char *sql = select_sql(t, " WHERE id=?1");
	sqlite3_stmt *s;
	if (!sql)
		return tz_nomem(err);
	if (sqlite3_prepare_v2(db->sql, sql, -1, &s, NULL) != SQLITE_OK) {
		free(sql);
		return tz_db_fail(db, err, t->name);
	}
	free(sql);
	char lower[33];
	tz_hex_encode(row, 16, lower);
	sqlite3_bind_text(s, 1, lower, 32, SQLITE_STATIC);
	int rc = sqlite3_step(s);
	if (rc == SQLITE_ROW)
		st = row_from_stmt(t, s, out, err);
	else if (rc == SQLITE_DONE)
		st = tz_fail(err, TZ_ENOTFOUND, "no %s with id %s", "找不到编号为 %2$s 的%1$s",
			     tz_tr(t->en, t->zh), lower);
	else
		st = tz_db_fail(db, err, t->name);
	sqlite3_finalize(s);
	return st;
}

tz_status tz_record_list(tz_db *db, const char *table, const tz_kv *where, int nwhere,
			 tz_row_cb cb, void *ctx, tz_err *err)
{
	const tz_table *t = find_table(table, err);
	if (!t)
		return TZ_EUSAGE;
	char tail[1024] = " WHERE _deleted=0";
	char *vals[16] = {0};
	tz_status st = TZ_OK;
	if (nwhere > 16)
		return tz_fail(err, TZ_EUSAGE, "too many conditions", "条件过多");
	for (int k = 0; k < nwhere; k++) {
		int i = field_or_fail(t, where[k].name, err);
		if (i < 0) {
			st = TZ_EINVAL;
			goto out;
		}
		if ((st = tz_validate_field(t, &t->fields[i], where[k].value, &vals[k], err)))
			goto out;
		size_t l = strlen(tail);
		snprintf(tail + l, sizeof tail - l, vals[k] ? " AND \"%s\"=?%d" : " AND \"%s\" IS NULL",
			 t->fields[i].name, k + 1);
	}
	strncat(tail, " ORDER BY id", sizeof tail - strlen(tail) - 1);
	char *sql = select_sql(t, tail);
	sqlite3_stmt *s;
	if (!sql) {
		st = tz_nomem(err);
		goto out;
	}
	if (sqlite3_prepare_v2(db->sql, sql, -1, &s, NULL) != SQLITE_OK) {
		free(sql);
		st = tz_db_fail(db, err, t->name);
		goto out;
	}
	free(sql);
	for (int k = 0; k < nwhere; k++) {
		int i = tz_schema_field_find(t, where[k].name);
		if (!vals[k])
			continue;
		if (tz_schema_field_is_int(&t->fields[i]))
			sqlite3_bind_int64(s, k + 1, strtoll(vals[k], NULL, 10));
		else
			sqlite3_bind_text(s, k + 1, vals[k], -1, SQLITE_STATIC);
	}
	int rc;
	while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
		tz_row r = {0};
		if ((st = row_from_stmt(t, s, &r, err)))
			break;
		int stop = cb(ctx, &r);
		tz_record_row_free(&r);
		if (stop)
			break;
	}
	if (!st && rc != SQLITE_ROW && rc != SQLITE_DONE)
		st = tz_db_fail(db, err, t->name);
	sqlite3_finalize(s);
out:
	for (int k = 0; k < nwhere; k++)
		free(vals[k]);
	return st;
}

long tz_record_count(tz_db *db, const char *table)
{
	const tz_table *t = tz_schema_table_find(table);
	char sql[128];
	sqlite3_stmt *st;
	long n = -1;
	if (!t)
		return -1;
	/* the counter the triggers keep (migration 6) */
	sqlite3_stmt *c = tz_db_stmt(db, "SELECT n FROM live_count WHERE tbl = ?1");
	if (c) {
		sqlite3_bind_text(c, 1, t->name, -1, SQLITE_STATIC);
		if (sqlite3_step(c) == SQLITE_ROW)
			n = (long)sqlite3_column_int64(c, 0);
		sqlite3_reset(c);
		if (n >= 0)
			return n;
	}
	snprintf(sql, sizeof sql, "SELECT count(*) FROM \"%s\" WHERE _deleted = 0", t->name);
	if (sqlite3_prepare_v2(db->sql, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

tz_status tz_record_by_idnum(tz_db *db, const char *idnum, char id_out[33], tz_err *err)
{
	char norm[19], birth[11], g;
	tz_status s = tz_valid_idnum(idnum, norm, birth, &g, err);
	if (s)
		return s;
	sqlite3_stmt *st = tz_db_stmt(db, "SELECT id FROM person WHERE id_number = ?1 AND _deleted = 0"
				       " ORDER BY id LIMIT 1");
	if (!st)
		return tz_db_fail(db, err, "person");
	sqlite3_bind_text(st, 1, norm, -1, SQLITE_TRANSIENT);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		snprintf(id_out, 33, "%s", tz_query_col(st, 0));
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return TZ_OK;
	if (rc != SQLITE_DONE)
		return tz_db_fail(db, err, "person");
	return tz_fail(err, TZ_ENOTFOUND, "no person with ID number %s", "没有身份证号为 %s 的人员",
		       norm);
}
