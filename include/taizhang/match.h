/* match.h - job matching: job seekers for a vacancy, vacancies for a person.
 *
 * No official formula exists; this one is explainable.  Hard filters
 * (all must pass): the vacancy is valid on the date (valid_from <= date <=
 * valid_until, each when given), has openings left (openings minus hired
 * referrals), the person's age on the date is within [age_min, age_max],
 * the gender is the one a vacancy states (M/F; "any" passes), and the
 * education is at least education_min (GB/T 4658 ranks: 10 highest ... 80,
 * then 90/95 and unknown lowest).  For a vacancy, the candidates are job
 * seekers: persons of working age (labour.* settings) whose employment
 * status is in match.seeker_status or who want work (want_work=1), except
 * those who said they do not (want_work=0) or cannot work
 * (work_ability=none).
 *
 * The soft score is a sum of parts, each with its points and a reason in
 * the user's language: skills, occupation code, location, wage, priority
 * (key group or open aid case) and work range.  Weights are settings
 * (match.w.*); the fractions per level are tables in match.c.  docs/cli.md
 * has the definition.
 */
#ifndef TAIZHANG_MATCH_H
#define TAIZHANG_MATCH_H

#include <stddef.h>

#include "taizhang/err.h"
#include "taizhang/db.h"

typedef struct {
	int score;
	char id[33];   /* person id (match vacancy) or vacancy id (match person) */
	char *name;    /* person's name, or "title (employer)" */
	char *flags;   /* comma-separated words ("employed", a referral status such
			* as "referred" or "hired", "gender_req"); "" if none */
	char *reasons; /* the parts, joined with "; " */
} tz_match_item;

typedef struct {
	tz_match_item *items; /* best first: score, then id */
	size_t n;
	size_t candidates; /* how many passed the hard filters (before the limit) */
	char date[11];
	char **warnings; /* in the user's language */
	size_t nwarnings;
} tz_match_list;

typedef struct {
	const char *date; /* YYYY-MM-DD; NULL: today */
	int limit;        /* 0: 20 */
} tz_match_opts;

#define TZ_MATCH_DEFAULT_LIMIT 20

/* Job seekers for a vacancy.  A vacancy that is not valid on the date or
 * has no openings left gives an empty list and a warning.  TZ_ENOTFOUND for
 * a missing or deleted vacancy. */
tz_status tz_match_vacancy(tz_db *db, const char *vacancy_id, const tz_match_opts *o,
			   tz_match_list *out, tz_err *err);
/* Vacancies for a person. */
tz_status tz_match_person(tz_db *db, const char *person_id, const tz_match_opts *o,
			  tz_match_list *out, tz_err *err);
void tz_match_free(tz_match_list *l);

/* Rank of a GB/T 4658 education code: 1 (postgraduate) .. 8 (other, no
 * schooling, unknown). */
int tz_match_education_rank(const char *code);

#endif
