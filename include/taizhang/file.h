/* file.h - the one way a file is written safely (base/file.c): a temporary
 * file beside the target, fsync, rename, fsync the folder.  A power cut, a
 * full disk or a pulled stick leaves the old file or none, never a part. */
#ifndef TAIZHANG_FILE_H
#define TAIZHANG_FILE_H

#include <stddef.h>
#include <sys/types.h>

#include "taizhang/err.h"

#define TZ_PATH_MAX 4096

typedef struct {
	int fd;                  /* the temporary file, for write or pwrite */
	char tmp[TZ_PATH_MAX];   /* "<dir>/.<name>.XXXXXX" */
	char dir[TZ_PATH_MAX];   /* its folder */
	char name[TZ_PATH_MAX];  /* what write errors name: the path given to
				  * open (a caller may put another there) */
} tz_file;

/* Create the temporary file for path (mode applied, e.g. 0644; 0600 for
 * secrets).  Errors name path, in the user's language, and say when the disk
 * is full, or the stick was pulled out; errno is the cause's. */
tz_status tz_file_open(tz_file *a, const char *path, mode_t mode, tz_err *err);
tz_status tz_file_write(tz_file *a, const void *p, size_t n, tz_err *err);
/* fsync, close, rename to final (in the same folder; NULL: the path given
 * to open), fsync the folder.  On failure the temporary file is removed. */
tz_status tz_file_commit(tz_file *a, const char *final, tz_err *err);
/* Close and remove the temporary file (after a failure; safe to repeat). */
void tz_file_abort(tz_file *a);

/* The whole file at once. */
tz_status tz_file_put(const char *path, const void *data, size_t len, mode_t mode, tz_err *err);
/* fsync a folder: TZ_OK, or TZ_EIO naming it. */
tz_status tz_file_sync_dir(const char *dir, tz_err *err);

#endif
