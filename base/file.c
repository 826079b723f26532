/* file.c - writing a file so that it is whole or absent: a temporary file
 * beside the target, fsync, rename, fsync the folder. */
#include "taizhang/file.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The message names path (at most 200 bytes of it) and says what a user can
 * do about the cause: a full disk, a read-only one, a stick pulled out. */
static tz_status io_fail(tz_err *err, const char *path, int e)
{
	size_t n = strlen(path);
	const char *cut = n > 200 ? "..." : "";
	int w = n > 200 ? 200 : (int)n;
	if (e == ENOSPC || e == EDQUOT)
		return tz_fail(err, TZ_EIO, "%.*s%s: the disk is full", "%.*s%s：磁盘已满", w, path, cut);
	if (e == EIO || e == ENODEV || e == ENXIO)
		return tz_fail(err, TZ_EIO, "%.*s%s: write error: %s (was the stick pulled out?)",
			       "%.*s%s：写入错误：%s（U 盘被拔出了吗？）", w, path, cut, tz_strerror(e));
	return tz_fail(err, TZ_EIO, "cannot write %.*s%s: %s", "无法写入 %.*s%s：%s", w, path, cut,
		       tz_strerror(e));
}

tz_status tz_file_sync_dir(const char *dir, tz_err *err)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return TZ_OK; /* a folder that cannot be opened cannot be synced */
	int r = fsync(fd), e = errno;
	close(fd);
	/* only a real I/O error counts: some file systems cannot sync a folder
	 * (EINVAL), and there the rename is all there is */
	if (r && e == EIO)
		return io_fail(err, dir, e);
	return TZ_OK;
}

tz_status tz_file_open(tz_file *a, const char *path, mode_t mode, tz_err *err)
{
	const char *slash = strrchr(path, '/');
	size_t dlen = slash ? (size_t)(slash - path) : 0;
	a->fd = -1;
	a->tmp[0] = a->dir[0] = '\0';
	snprintf(a->name, sizeof a->name, "%s", path);
	if (strlen(path) + 16 > sizeof a->tmp)
		return tz_fail(err, TZ_EIO, "%.200s...: the name is too long", "%.200s...：名称太长", path);
	if (slash) {
		memcpy(a->dir, path, dlen ? dlen : 1);
		a->dir[dlen ? dlen : 1] = '\0';
		snprintf(a->tmp, sizeof a->tmp, "%.*s/.%s.XXXXXX", (int)dlen, path, slash + 1);
	} else {
		strcpy(a->dir, ".");
		snprintf(a->tmp, sizeof a->tmp, ".%s.XXXXXX", path);
	}
	int e = 0;
	a->fd = mkostemp(a->tmp, O_CLOEXEC);
	if (a->fd < 0) {
		e = errno;
		a->tmp[0] = '\0';
	} else if (fchmod(a->fd, mode)) {
		e = errno;
		tz_file_abort(a);
	}
	if (e) {
		tz_status st = io_fail(err, path, e);
		errno = e; /* for a caller that words it itself */
		return st;
	}
	return TZ_OK;
}

tz_status tz_file_write(tz_file *a, const void *p, size_t n, tz_err *err)
{
	const char *c = p;
	while (n) {
		ssize_t w = write(a->fd, c, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return io_fail(err, a->name, w < 0 ? errno : ENOSPC);
		c += w;
		n -= (size_t)w;
	}
	return TZ_OK;
}

tz_status tz_file_commit(tz_file *a, const char *final, tz_err *err)
{
	char target[TZ_PATH_MAX];
	if (final)
		snprintf(target, sizeof target, "%s", final);
	else {
		/* the path given to open: "<dir>/.<name>.XXXXXX" without the dot and suffix */
		const char *slash = strrchr(a->tmp, '/');
		const char *name = slash ? slash + 2 : a->tmp + 1;
		size_t nlen = strlen(name) - 7;
		if (slash)
			snprintf(target, sizeof target, "%.*s%.*s", (int)(slash - a->tmp + 1), a->tmp,
				 (int)nlen, name);
		else
			snprintf(target, sizeof target, "%.*s", (int)nlen, name);
	}
	if (fsync(a->fd)) {
		int e = errno;
		tz_file_abort(a);
		return io_fail(err, target, e);
	}
	int r = close(a->fd), e = errno;
	a->fd = -1;
	if (r) {
		tz_file_abort(a);
		return io_fail(err, target, e);
	}
	if (rename(a->tmp, target)) {
		e = errno;
		tz_file_abort(a);
		return io_fail(err, target, e);
	}
	a->tmp[0] = '\0';
	return tz_file_sync_dir(a->dir, err);
}

void tz_file_abort(tz_file *a)
{
	if (a->fd >= 0)
		close(a->fd);
	a->fd = -1;
	if (a->tmp[0])
		unlink(a->tmp);
	a->tmp[0] = '\0';
}

tz_status tz_file_put(const char *path, const void *data, size_t len, mode_t mode, tz_err *err)
{
	tz_file a;
	tz_status st = tz_file_open(&a, path, mode, err);
	if (st)
		return st;
	if ((st = tz_file_write(&a, data, len, err))) {
		tz_file_abort(&a);
		return st;
	}
	return tz_file_commit(&a, NULL, err);
}
