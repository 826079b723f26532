/* due.h - the follow-up schedule: what is due or overdue on a date.
 *
 * Nine kinds of item, each from one aggregate query (no query per row):
 *
 *   visit               a household whose latest visit planned a next visit
 *                       that has come (due.visit_lookahead_days ahead)
 *   case_action         an open/active aid case whose latest action's
 *                       next_due has come
 *   case_idle           an open/active aid case with no action for
 *                       due.case_no_action_days (since the last action, or
 *                       since it was opened); not listed when case_action is
 *   keygroup_unvisited  a key-group person of working age whose household
 *                       has not been visited for due.keygroup_visit_days
 *   referral_outcome    a referral still referred/interviewed after
 *                       due.referral_outcome_days without an outcome
 *   zero_emp            a zero-employment household not cleared within
 *                       due.zero_emp_clear_days of its recognition
 *   certificate         a staff certificate expiring within
 *                       due.cert_warn_days (or expired): the staff
 *                       record's own certificate, or a staff_cert row;
 *                       staff who left are skipped
 *   complaint           an open complaint whose deadline (its own, or
 *                       complaint.deadline_days after it was received)
 *                       is within due.complaint_warn_days, or past
 *   report              a report due upward (calendar.reports) within
 *                       due.report_lead_days; table "calendar", id the
 *                       calendar name
 *
 * The intervals are settings (settings.h).  Items come sorted by due date,
 * then kind (in the order above), then id.
 */
#ifndef TAIZHANG_DUE_H
#define TAIZHANG_DUE_H

#include <stddef.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

#define TZ_DUE_KINDS(X)                                                               \
	X(TZ_DUE_VISIT, "visit", "visit", "走访")                                      \
	X(TZ_DUE_CASE_ACTION, "case_action", "aid follow-up", "援助跟踪")               \
	X(TZ_DUE_CASE_IDLE, "case_idle", "aid case idle", "援助无措施")                 \
	X(TZ_DUE_KEYGROUP, "keygroup_unvisited", "key group unvisited", "重点群体未走访") \
	X(TZ_DUE_REFERRAL, "referral_outcome", "referral outcome", "推荐结果")          \
	X(TZ_DUE_ZERO_EMP, "zero_emp", "zero-employment", "零就业清零")                 \
	X(TZ_DUE_CERT, "certificate", "certificate", "证书到期")                        \
	X(TZ_DUE_COMPLAINT, "complaint", "complaint", "投诉办理")                        \
	X(TZ_DUE_REPORT, "report", "report due upward", "报表上报")

typedef enum {
#define TZ_X(e, word, en, zh) e,
	TZ_DUE_KINDS(TZ_X)
#undef TZ_X
	TZ_DUE_NKINDS
} tz_due_kind;

/* The stable machine word of a kind ("visit" ...), and its label in the
 * current language. */
const char *tz_due_kind_name(tz_due_kind k);
const char *tz_due_kind_label(tz_due_kind k);
/* Kind by machine word; -1 if unknown. */
int tz_due_kind_find(const char *word);

typedef struct {
	char due[11];      /* YYYY-MM-DD it fell (or falls) due */
	long overdue;      /* days past due on the date asked; negative: not yet */
	tz_due_kind kind;
	const char *table; /* the record's table */
	char id[33];
	char region[13];   /* village (or staff region) code; "" if unknown */
	char *label;       /* household address, person or staff name */
	char *reason;      /* why, in the current language */
} tz_due_item;

typedef struct {
	tz_due_item *items;
	size_t n, cap;
	char date[11];    /* the date asked */
	size_t total;     /* items found, also those beyond the limit */
	size_t total_due; /* of them, due on or before the date (overdue >= 0) */
} tz_due_list;

typedef struct {
	const char *date;   /* YYYY-MM-DD; NULL: today */
	const char *region; /* only items whose region starts with this; NULL: all */
	unsigned kinds;     /* bit (1 << kind); 0: all kinds */
	size_t limit;       /* keep only the first `limit` items (in the order
			     * above) and count the rest; 0: keep all */
} tz_due_opts;

/* Everything due on the date.  o may be NULL.  With a limit, memory stays
 * in proportion to the limit however many items there are (the home screen
 * of a county database asks for its first lines out of 100,000 items).
 * Free with tz_due_free. */
tz_status tz_due_collect(tz_db *db, const tz_due_opts *o, tz_due_list *out, tz_err *err);
void tz_due_free(tz_due_list *l);

/* The indexes these queries use are made by migration 5 (core/db.c). */

#endif
