/* tui.h - the full-screen program's entry (tui/), for the command line (no curses
 * here: cli/ is compiled without the curses headers). */
#ifndef TAIZHANG_TUI_H
#define TAIZHANG_TUI_H

#include <time.h>

#include "taizhang/db.h"

/* When main() began (for the start-up benchmark). */
extern struct timespec tz_app_started;

/* Start curses (or the scripted test terminal), run until quit. */
int tz_app_main(tz_db *db, const char *db_path);

#endif
