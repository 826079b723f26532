/* import_files.c - the import workflow of `taizhang import` and of the sync
 * screen (bundle.h, tz_bundle_import_files): release the quarantine, expand
 * folders into their bundle files in chain order, unlock the encryption key
 * once if a bundle needs it, import file by file, one result each.
 */
#include <dirent.h>
#include <errno.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "taizhang/buf.h"
#include "taizhang/bundle.h"
#include "taizhang/key.h"

typedef struct {
	char **v;
	size_t n, cap;
} names;

static int names_add(names *l, char *s)
{
	if (!s)
		return -1;
	char **v = tz_buf_grow(l->v, l->n, &l->cap, sizeof *v);
	if (!v) {
		free(s);
		return -1;
	}
	l->v = v;
	l->v[l->n++] = s;
	return 0;
}

static int is_bundle_name(const char *d)
{
	size_t l = strlen(d);
	return d[0] != '.' && l > 4 && !strcmp(d + l - 4, TZ_BUNDLE_EXT);
}

/* The paths, folders expanded into their *.tzb files in chain order;
 * *unlisted counts the folders that could not be read.  -1: out of memory. */
static int collect(char *const *args, int nargs, names *out, int *unlisted)
{
	for (int i = 0; i < nargs; i++) {
		struct stat sb;
		if (stat(args[i], &sb) || !S_ISDIR(sb.st_mode)) {
			if (names_add(out, strdup(args[i])))
				return -1;
			continue;
		}
		struct dirent **ents;
		int k = scandir(args[i], &ents, NULL, alphasort), first = out->n, bad = 0;
		if (k < 0) {
			(*unlisted)++;
			continue;
		}
		for (int j = 0; j < k; j++) {
			const char *d = ents[j]->d_name;
			char *p;
			if (!bad && is_bundle_name(d) && (asprintf(&p, "%s/%s", args[i], d) < 0 ||
							  names_add(out, p)))
				bad = 1;
			free(ents[j]);
		}
		free(ents);
		if (bad)
			return -1;
		tz_bundle_sort(out->v + first, out->n - first);
	}
	return 0;
}

static tz_status import_all(tz_db *db, names *files, const tz_import_opts *o, uint8_t **esk,
			    tz_import_report *rep, tz_err *err)
{
	tz_status st;
	/* encrypted bundles need this device's encryption key: unlock it
	 * once, and only if one of them is encrypted */
	for (size_t i = 0; i < files->n && !*esk && o->unlock; i++) {
		tz_bundle_info pi;
		tz_err perr = {0};
		if (tz_bundle_peek(files->v[i], &pi, &perr) || pi.version != TZ_BUNDLE_VERSION)
			continue;
		if (!(*esk = sodium_malloc(TZ_ESK_BYTES)))
			return tz_nomem(err);
		if ((st = o->unlock(o->ctx, *esk, err)))
			return st;
	}
	if (files->n && !(rep->files = calloc(files->n, sizeof *rep->files)))
		return tz_nomem(err);
	for (size_t i = 0; i < files->n; i++) {
		tz_import_file *f = &rep->files[rep->nfiles];
		f->path = files->v[i];
		files->v[i] = NULL; /* the report owns it now */
		if (access(f->path, R_OK)) {
			/* an unreadable file is the environment's fault, not the data's */
			tz_err why;
			f->status = tz_fail(&why, TZ_EIO, "cannot read %s: %s", "无法读取 %s：%s",
					    f->path, tz_strerror(errno));
			f->res.outcome = TZ_IMPORT_REFUSED;
			snprintf(f->res.reason, sizeof f->res.reason, "%s", why.msg);
			rep->unreadable++;
		} else if ((st = tz_bundle_import(db, f->path, *esk, &f->res, err))) {
			free(f->path);
			f->path = NULL;
			return st;
		} else {
			f->status = TZ_OK;
			rep->applied += f->res.outcome == TZ_IMPORT_APPLIED;
			rep->present += f->res.outcome == TZ_IMPORT_PRESENT;
			rep->refused += f->res.outcome == TZ_IMPORT_REFUSED;
		}
		rep->nfiles++;
		if (o->file)
			o->file(o->ctx, f);
	}
	return TZ_OK;
}

tz_status tz_bundle_import_files(tz_db *db, char *const *paths, int npaths,
				 const tz_import_opts *o, tz_import_report *rep, tz_err *err)
{
	static const tz_import_opts none = {0};
	names files = {0};
	uint8_t *esk = NULL;
	tz_status st;
	memset(rep, 0, sizeof *rep);
	if (!o)
		o = &none;
	/* changes held back while this PC's clock was wrong go in first */
	if ((st = tz_bundle_quarantine_release(db, &rep->released, err)))
		return st;
	if (o->released)
		o->released(o->ctx, rep->released);
	if (collect(paths, npaths, &files, &rep->unlisted))
		st = tz_nomem(err);
	rep->found = (int)files.n;
	if (!st)
		st = import_all(db, &files, o, &esk, rep, err);
	if (esk)
		sodium_free(esk);
	for (size_t i = 0; i < files.n; i++)
		free(files.v[i]);
	free(files.v);
	return st;
}

void tz_bundle_import_report_free(tz_import_report *rep)
{
	if (!rep)
		return;
	for (int i = 0; i < rep->nfiles; i++)
		free(rep->files[i].path);
	free(rep->files);
	rep->files = NULL;
	rep->nfiles = 0;
}
