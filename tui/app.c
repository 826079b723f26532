/* app.c - the full-screen program's main loop (see tui.h): start curses or
 * the scripted test terminal, put home (and the login, when a staff member
 * has a PIN) on the stack, and run keys to the top screen until quit.
 * Its two names are those tui.h gives cli/main.c (tz_ui_: the full-screen
 * program as a whole), not tz_app_. */
#include <langinfo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "taizhang/oplog.h"
#include "taizhang/pin.h"
#include "form.h"
#include "scr.h"
#include "taizhang/tui.h"
#include "ui.h"

struct timespec tz_app_started;

static int utf8_locale(void)
{
	const char *cs = nl_langinfo(CODESET);
	return cs && (!strcmp(cs, "UTF-8") || !strcmp(cs, "utf8"));
}

int tz_app_main(tz_db *db, const char *db_path)
{
	tz_ui ui = {.db = db, .db_path = db_path, .cur_y = -1, .cur_x = -1};
	const char *term = getenv("TERM");
#ifdef TZ_TEST_HOOKS
	/* keys from a file, the screens to files: for the tests only */
	const char *script = getenv("TAIZHANG_TUI_SCRIPT");
#else
	const char *script = NULL;
#endif
	SCREEN *scr = NULL;
	FILE *nullout = NULL;

	ui.ascii = !utf8_locale() || (term && !strcmp(term, "linux"));
	if (ui.ascii)
		tz_lang_set(TZ_LANG_EN); /* the Linux console cannot draw Chinese */
	if (script && *script) {
		/* test hook: keys from the script, the screen to files, no tty */
		ui.script = fopen(script, "r");
		if (!ui.script) {
			char msg[4200];
			tz_ui_fmt(msg, sizeof msg, S_NO_SCRIPT, script);
			fprintf(stderr, "%s\n", msg);
			return 3;
		}
		nullout = fopen("/dev/null", "w");
		scr = newterm(term && *term ? term : "xterm", nullout, stdin);
		if (!scr) {
			fprintf(stderr, "%s\n", S(S_NO_TEST_TERM));
			return 3;
		}
		set_term(scr);
	} else {
		if (!initscr()) {
			fprintf(stderr, "%s\n", S(S_NO_TERM));
			return 3;
		}
	}
	cbreak();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	mousemask(BUTTON1_CLICKED | BUTTON1_DOUBLE_CLICKED, NULL);
	tz_ui_colours_start(&ui);

	char *name = tz_db_name(db);
	snprintf(ui.village, sizeof ui.village, "%s", name ? name : "");
	free(name);
	ui.clock_warning = TZ_HLC_WALL(tz_oplog_hlc_last(db)) > tz_clock_ms() + 60000;

	tz_ui_push(&ui, tz_scr_home_new(&ui));
	tz_ui_lock_refresh(&ui);
	tz_screen *login = tz_pin_any(db) ? tz_scr_login_new(&ui) : NULL;
	if (login)
		tz_ui_push(&ui, login);
	int draft_offered = 0;
#ifdef TZ_TEST_HOOKS
	int first = 1;
#endif
	while (!ui.quit && ui.top) {
		if (ui.idle_hit) {
			/* nobody typed for ui.lock_minutes: the login screen over the
			 * stack (what is below stays; forms keep drafts) */
			ui.idle_hit = 0;
			int lock = ui.lock_ms && strcmp(ui.top->name, "login");
			if (lock)
				tz_ui_keys_forget(&ui); /* whoever signs in next types it again */
			tz_screen *l = lock ? tz_scr_login_new(&ui) : NULL;
			if (l)
				tz_ui_push(&ui, l);
		}
		tz_ui_draw(&ui);
#ifdef TZ_TEST_HOOKS
		if (first && getenv("TAIZHANG_TUI_TIMING")) {
			/* for bench/: start-up to the first full screen */
			struct timespec now;
			clock_gettime(CLOCK_MONOTONIC, &now);
			fprintf(stderr, "first_screen_ms %.1f\n",
				(double)(now.tv_sec - tz_app_started.tv_sec) * 1e3 +
					(double)(now.tv_nsec - tz_app_started.tv_nsec) / 1e6);
		}
		first = 0;
#endif
		if (!draft_offered && !strcmp(ui.top->name, "home") && ui.rows >= 24 && ui.cols >= 80) {
			/* a form left by a crash or power cut: once, when home first
			 * shows (after the login, if there is one) */
			draft_offered = 1;
			tz_form_offer_draft(&ui);
			continue;
		}
		if (ui.top->idle && ui.top->idle(&ui, ui.top))
			tz_ui_draw(&ui);
		int key = tz_ui_getkey(&ui);
		if (key == 0 || key == TZ_K(KEY_RESIZE) || key == TZ_KIDLE)
			continue;
		if (ui.script && ui.script_eof)
			break;
		ui.msg[0] = 0;
		if (ui.rows < 24 || ui.cols < 80) {
			if (key == TZ_KF(10))
				ui.quit = 1;
			continue;
		}
		if (key == TZ_KF(1)) {
			tz_ui_help(&ui);
			continue;
		}
		if (ui.top->key(&ui, ui.top, key) || key == TZ_KMOUSE)
			continue;
		if (key == TZ_KF(10)) {
			if (tz_ui_confirm(&ui, S(S_QUIT_Q)))
				ui.quit = 1;
		} else if (key == TZ_KESC) {
			if (ui.top->below)
				tz_ui_pop(&ui);
		} else {
			tz_ui_message(&ui, 0, "%s", S(S_UNKNOWN_KEY));
		}
	}
	while (ui.top)
		tz_ui_pop(&ui);
	tz_ui_keys_forget(&ui);
	endwin();
	if (scr)
		delscreen(scr);
	if (nullout)
		fclose(nullout);
	if (ui.script)
		fclose(ui.script);
	return 0;
}
