/* scr_page.c - a text page of platform work (issue 8): the notice board, a
 * call list, an event summary, staff performance and the platform
 * checklist, written by core/platform.c and core/report.c. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "taizhang/calllist.h"
#include "taizhang/event.h"
#include "taizhang/notice.h"
#include "taizhang/perf.h"
#include "taizhang/platform.h"
#include "taizhang/report.h"
#include "taizhang/settings.h"
#include "taizhang/utf8.h"
#include "scr.h"

typedef struct {
	tz_page kind;
	char arg[33];   /* event or vacancy id */
	char period[8]; /* reports */
	char **lines;
	int n, top;
} textpage;

static void page_clear(textpage *p)
{
	for (int i = 0; i < p->n; i++)
		free(p->lines[i]);
	free(p->lines);
	p->lines = NULL;
	p->n = p->top = 0;
}

static void page_add(textpage *p, const char *s, size_t len)
{
	char **nv = realloc(p->lines, (size_t)(p->n + 1) * sizeof *nv);
	if (!nv)
		return;
	p->lines = nv;
	if ((p->lines[p->n] = strndup(s, len)))
		p->n++;
}

/* Render the page's text with the core's writer into lines. */
static void page_load(tz_ui *ui, tz_screen *s)
{
	textpage *p = s->st;
	page_clear(p);
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	tz_err err = {0};
	tz_status st = TZ_OK;
	if (!f)
		return;
	switch (p->kind) {
	case TZ_PAGE_NOTICE: {
		tz_notice n;
		if (!(st = tz_notice_collect(ui->db, NULL, &n, &err))) {
			st = tz_notice_text(&n, f, &err);
			tz_notice_free(&n);
		}
		break;
	}
	case TZ_PAGE_CALLS: {
		tz_call_list l;
		if (!(st = tz_calllist(ui->db, p->arg, NULL, 0, &l, &err))) {
			fprintf(f, "%s\n%s\n\n", tz_calllist_reminder(), l.title ? l.title : "");
			for (size_t i = 0; i < l.n; i++) {
				int w = tz_utf8_width(l.items[i].name);
				fprintf(f, "%3zu  %s%*s  %s\n", i + 1, l.items[i].name,
					w < 12 ? 12 - w : 0, "",
					l.items[i].phone ? l.items[i].phone : "-");
			}
			if (!l.n)
				fprintf(f, "%s\n", S(S_NO_MATCH));
			tz_calllist_free(&l);
		}
		break;
	}
	case TZ_PAGE_SUMMARY: {
		tz_event_summary sm;
		if (!(st = tz_event_summarise(ui->db, p->arg, &sm, &err))) {
			st = tz_event_summary_text(&sm, f, &err);
			tz_event_summary_free(&sm);
		}
		break;
	}
	case TZ_PAGE_PERF: {
		tz_perf pf;
		if (!(st = tz_perf_collect(ui->db, p->period, &pf, &err))) {
			st = tz_perf_text(&pf, f, &err);
			tz_perf_free(&pf);
		}
		break;
	}
	case TZ_PAGE_CHECKLIST: {
		tz_platform_report r;
		if (!(st = tz_platform_collect(ui->db, p->period, &r, &err))) {
			st = tz_platform_text(&r, f, &err);
			tz_platform_report_free(&r);
		}
		break;
	}
	}
	fclose(f);
	if (st)
		tz_ui_message(ui, 1, "%s", err.msg);
	for (char *q = buf, *nl; q && *q; q = nl + 1) {
		nl = strchr(q, '\n');
		if (!nl) {
			page_add(p, q, strlen(q));
			break;
		}
		page_add(p, q, (size_t)(nl - q));
	}
	free(buf);
}

static void page_draw(tz_ui *ui, tz_screen *s)
{
	textpage *p = s->st;
	int rows = TZ_UI_BODY_ROWS(ui);
	for (int i = 0; i < rows && p->top + i < p->n; i++) {
		int warn = p->kind == TZ_PAGE_CALLS && p->top + i == 0;
		tz_ui_put(ui, TZ_UI_BODY_TOP + i, 0, ui->cols, p->lines[p->top + i],
			  warn ? TZ_C_WARN : TZ_C_NORMAL, 0);
	}
}

static void period_shift(char p[8], int delta)
{
	int y = atoi(p), m = atoi(p + 5) + delta;
	while (m < 1)
		m += 12, y--;
	while (m > 12)
		m -= 12, y++;
	char out[16];
	snprintf(out, sizeof out, "%04d-%02d", y < 0 ? 0 : y % 10000, m);
	memcpy(p, out, 8);
}

/* Write the page's export (HTML notice; the report as xlsx or CSV) to a
 * path asked for. */
static void page_export(tz_ui *ui, textpage *p)
{
	char path[4096], msg[4200], stem[64];
	int html = p->kind == TZ_PAGE_NOTICE;
	snprintf(stem, sizeof stem, "%s-%s",
		 p->kind == TZ_PAGE_PERF ? tz_tr("staff", "工作人员绩效") : tz_tr("platform", "平台建设"),
		 p->period);
	if (html ? !tz_ui_prompt(ui, S(S_HTML_PATH), 0, path, sizeof path) || !path[0]
		 : !tz_ui_save_path(ui, stem, path, sizeof path))
		return;
	FILE *f = NULL;
	if (html && !(f = fopen(path, "wb"))) {
		tz_ui_message(ui, 1, "%s: %s", path, tz_strerror(errno));
		return;
	}
	tz_sheet_format sf = tz_ui_sheet_format(path);
	tz_err err = {0};
	tz_status st = TZ_OK;
	if (html) {
		tz_notice n;
		if (!(st = tz_notice_collect(ui->db, NULL, &n, &err))) {
			st = tz_notice_html(&n, f, &err);
			tz_notice_free(&n);
		}
	} else if (p->kind == TZ_PAGE_PERF) {
		tz_perf pf;
		if (!(st = tz_perf_collect(ui->db, p->period, &pf, &err))) {
			st = tz_perf_sheet(&pf, sf, NULL, path, &err);
			tz_perf_free(&pf);
		}
	} else {
		tz_platform_report r;
		if (!(st = tz_platform_collect(ui->db, p->period, &r, &err))) {
			st = tz_platform_sheet(&r, sf, NULL, path, &err);
			tz_platform_report_free(&r);
		}
	}
	if (f && fclose(f) && !st)
		st = tz_fail(&err, TZ_EIO, "%s", "%s", tz_strerror(errno));
	if (st) {
		tz_ui_message(ui, 1, "%s: %s", path, err.msg);
		return;
	}
	tz_ui_fmt(msg, sizeof msg, html ? S_HTML_SAVED : S_CSV_SAVED, path);
	tz_ui_message(ui, 0, "%s", msg);
}

static int page_key(tz_ui *ui, tz_screen *s, int key)
{
	textpage *p = s->st;
	int rows = TZ_UI_BODY_ROWS(ui);
	int report = p->kind == TZ_PAGE_PERF || p->kind == TZ_PAGE_CHECKLIST;
	if (key == TZ_K(KEY_DOWN) && p->top + rows < p->n)
		p->top++;
	else if (key == TZ_K(KEY_UP) && p->top > 0)
		p->top--;
	else if (key == TZ_K(KEY_NPAGE))
		p->top = p->top + rows < p->n - rows ? p->top + rows : (p->n > rows ? p->n - rows : 0);
	else if (key == TZ_K(KEY_PPAGE))
		p->top = p->top > rows ? p->top - rows : 0;
	else if (report && (key == TZ_KF(3) || key == TZ_KF(4))) {
		period_shift(p->period, key == TZ_KF(3) ? -1 : 1);
		page_load(ui, s);
	} else if ((report || p->kind == TZ_PAGE_NOTICE) && key == TZ_KF(5))
		page_export(ui, p);
	else
		return 0;
	return 1;
}

static void page_destroy(tz_screen *s)
{
	page_clear(s->st);
	tz_ui_screen_free(s);
}

static const tz_binding page_keys_report[] = {
	{TZ_KF(3), S_K_PREV}, {TZ_KF(4), S_K_NEXT}, {TZ_KF(5), S_K_CSV}, {TZ_KESC, S_BACK}, {0, 0},
};
static const tz_binding page_keys_notice[] = {{TZ_KF(5), S_K_HTML}, {TZ_KESC, S_BACK}, {0, 0}};
static const tz_binding page_keys_plain[] = {{TZ_KESC, S_BACK}, {0, 0}};

static const tz_screen page_screen = {
	.draw = page_draw, .key = page_key, .reload = page_load, .destroy = page_destroy,
};

tz_screen *tz_scr_page_new(tz_ui *ui, tz_page kind, const char *arg)
{
	static const struct {
		const char *name;
		int title;
	} pages[] = {
		[TZ_PAGE_NOTICE] = {"notice", S_NOTICE},     [TZ_PAGE_CALLS] = {"calls", S_CALLS},
		[TZ_PAGE_SUMMARY] = {"summary", S_SUMMARY}, [TZ_PAGE_PERF] = {"perf", S_PERF},
		[TZ_PAGE_CHECKLIST] = {"checklist", S_CHECKLIST},
	};
	tz_screen *s = tz_ui_screen_new(&page_screen, sizeof(textpage));
	if (!s)
		return NULL;
	s->name = pages[kind].name;
	s->title = pages[kind].title;
	textpage *p = s->st;
	p->kind = kind;
	snprintf(p->arg, sizeof p->arg, "%s", arg ? arg : "");
	char d[11];
	tz_clock_today(d);
	memcpy(p->period, d, 7);
	p->period[7] = 0;
	s->keys = kind == TZ_PAGE_PERF || kind == TZ_PAGE_CHECKLIST ? page_keys_report
		  : kind == TZ_PAGE_NOTICE			  ? page_keys_notice
								  : page_keys_plain;
	page_load(ui, s);
	return s;
}
