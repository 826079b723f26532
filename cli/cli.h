/* cli.h - shared plumbing of the command-line face (no curses here). */
#ifndef TAIZHANG_CLI_H
#define TAIZHANG_CLI_H

#include <stdio.h>

#include "taizhang/err.h"
#include "taizhang/db.h"
#include "taizhang/sheet.h"

typedef struct {
	const char *db_path;         /* --db, $TAIZHANG_DB, or the XDG default */
	const char *passphrase_file; /* --passphrase-file */
	char *env_passphrase;        /* $TAIZHANG_PASSPHRASE, taken out of the environment */
} tz_cli;

/* A command: argv[0] is the command's name; returns the exit status. */
typedef int (*tz_cmd_fn)(tz_cli *c, int argc, char **argv);

/* Print "taizhang: <message>" to stderr; return the contract's exit status. */
int cli_error(const tz_err *err);
/* cli_error of tz_nomem: "taizhang: out of memory" (内存不足). */
int cli_nomem(void);
int cli_errorf(tz_status st, const char *en, const char *zh, ...)
	__attribute__((format(printf, 3, 4)));
/* A usage error (exit 2) naming the command's synopsis. */
int cli_usage(const char *synopsis);
/* A --date value (NULL: none given): 0 if valid, else the usage error's
 * exit code, its message printed. */
int cli_check_date(const char *date);

/* Open the database (creating the directory and file with TZ_OPEN_CREATE).
 * On failure prints the error and returns NULL with *rc set. */
tz_db *cli_open(tz_cli *c, unsigned flags, int *rc);
/* Like cli_open, and also requires that init has run. */
tz_db *cli_open_init(tz_cli *c, int *rc);

/* Read the passphrase: --passphrase-file, $TAIZHANG_PASSPHRASE, or the
 * terminal (twice when confirm).  Returns a sodium_malloc'd string to be
 * freed with cli_passphrase_free, or NULL after printing an error. */
char *cli_passphrase(tz_cli *c, int confirm, int *rc);
void cli_passphrase_free(char *p);
/* The operator proves they hold this device's passphrase: its signing key,
 * unlocked (TZ_SK_BYTES, sodium_malloc'd: sodium_free it), or NULL with
 * *rc the exit code of the error, printed. */
uint8_t *cli_unlock(tz_cli *c, tz_db *db, int *rc);
/* Move $TAIZHANG_PASSPHRASE into c (guarded memory) and out of the
 * environment: the value is overwritten and unset, so child processes and
 * /proc/PID/environ no longer show it.  0, or the exit code of the error. */
int cli_take_env_passphrase(tz_cli *c);

/* A --limit value: 0 with *out set, or the usage error's exit code (its
 * message printed) unless it is a whole number from 1 to max. */
int cli_limit(const char *val, long max, int *out);
/* A TSV field on stdout: tab, newline, carriage return and backslash
 * escaped as \t \n \r \\. */
void cli_tsv(const char *s);
/* The usage error (printed; its exit code returned) of an xlsx headed for a
 * terminal: fmt TZ_SHEET_XLSX, no --out, stdout a terminal.  0 otherwise. */
int cli_xlsx_not_on_screen(int fmt, const char *out);
/* A sheet for a command's result (csv or xlsx): to out (written safely: a
 * full stick leaves no part of a file), else to stdout, where xlsx refuses
 * a terminal.  0, or the exit code of the error, printed. */
int cli_sheet(tz_sheet **s, tz_sheet_format fmt, const char *out, const char *title,
	      const char *subtitle, const tz_sheet_col *cols, int ncols);
/* A --format value: one of others (NULL-ended: the command's own forms,
 * "tsv", "text") or a sheet, *sheet its tz_sheet_format or -1; --out only
 * with a sheet.  0, or the usage error's exit code, printed. */
int cli_format(const char *fmt, const char *const *others, const char *out, int *sheet);
/* tz_sheet_close, then flush stdout: 0 or the exit code, the error printed. */
int cli_sheet_close(tz_sheet *s);
/* Flush stdout: 0, or exit 3 with "cannot write the output" (a full disk,
 * a closed pipe). */
int cli_flush(void);

/* Option parsing: if argv[*i] is "--name" with a value (as the next argument
 * or "--name=value"), set *val, advance *i, return 1.  Return -1 when the
 * value is missing (usage error). */
int cli_opt(int argc, char **argv, int *i, const char *name, const char **val);

/* One option of a command: "--name VALUE" or "--name=VALUE" sets *val; a
 * flag (val NULL) is "--name" alone and sets *flag to 1. */
typedef struct {
	const char *name;
	const char **val;
	int *flag;
} cli_option;

/* Parse argv[first..] against opts (ended by {NULL}).  Every other word is
 * a positional argument, put in pos[0..npos-1] in order ("-" alone is one:
 * standard input).  An unknown option, a missing value or more than npos
 * positionals is the usage error of synopsis: its exit code is returned,
 * its message printed.  0 when the words fit. */
int cli_args(int argc, char **argv, int first, const cli_option *opts,
	     const char **pos, int npos, const char *synopsis);

/* cli_check_date of date, then cli_open (init: cli_open_init): the start
 * of every command that reads the register as of a day. */
tz_db *cli_open_dated(tz_cli *c, const char *date, int init, int *rc);

#endif
