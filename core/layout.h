/* layout.h - text layout shared by the reports (core/layout.c); internal to
 * core/. */
#ifndef TAIZHANG_LAYOUT_H
#define TAIZHANG_LAYOUT_H

#include <stdio.h>

/* Text layout shared by the reports (core/report.c): no wider than 80
 * columns, CJK characters counted as two. */
typedef struct {
	const char *head;
	int left; /* left-aligned (text); numbers are right-aligned */
} tz_tcol;
/* s in exactly cols columns, cut with ".." or padded (right: on the left) */
void tz_layout_fit(FILE *f, const char *s, int cols, int right);
void tz_layout_line(FILE *f, const char *s);
void tz_layout_rule(FILE *f, int cols);
/* wrapped at 80 columns */
void tz_layout_wrapped(FILE *f, const char *s);
/* a key column and columns cut into chunks no wider than 80, each
 * repeating the key column; cells[r * ncols + c]; has_total: the last row
 * is set off by a rule */
void tz_layout_table(FILE *f, const char *keyhead, char **keys, int nrows, const tz_tcol *cols,
		  int ncols, char **cells, int has_total);

#endif
