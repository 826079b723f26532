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
#include "taizhang/receipt.h"

typedef struct {
	char **v;
	unsigned char *in_folder; /* found in a folder, not named */
	size_t n, cap, fcap;
} names;

static int names_add(names *l, char *s, int in_folder)
{
	if (!s)
		return -1;
	char **v = tz_buf_grow(l->v, l->n, &l->cap, sizeof *v);
	unsigned char *fl = v ? tz_buf_grow(l->in_folder, l->n, &l->fcap, 1) : NULL;
	if (v)
		l->v = v;
	if (!fl) {
		free(s);
		return -1;
	}
	l->in_folder = fl;
	l->in_folder[l->n] = (unsigned char)in_folder;
	l->v[l->n++] = s;
	return 0;
}

static int ends_with(const char *d, const char *ext)
{
	size_t l = strlen(d);
	return d[0] != '.' && l > 4 && !strcmp(d + l - 4, ext);
}

static int is_bundle_name(const char *d)
{
	return ends_with(d, TZ_BUNDLE_EXT) || ends_with(d, TZ_RECEIPT_EXT);
}

/* The paths, folders expanded into their *.tzb (and *.tzr) files in chain
 * order (receipts last);
 * *unlisted counts the folders that could not be read.  -1: out of memory. */
static int collect(char *const *args, int nargs, names *out, int *unlisted)
{
	for (int i = 0; i < nargs; i++) {
		struct stat sb;
		if (stat(args[i], &sb) || !S_ISDIR(sb.st_mode)) {
			if (names_add(out, strdup(args[i]), 0))
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
							  names_add(out, p, 1)))
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
		f->from_folder = files->in_folder[i];
		files->v[i] = NULL; /* the report owns it now */
		const char *base = strrchr(f->path, '/');
		f->receipt = ends_with(base ? base + 1 : f->path, TZ_RECEIPT_EXT);
		if (f->receipt && !access(f->path, R_OK)) {
			if ((st = tz_receipt_take_file(db, f->path, &f->rc, &f->routcome,
						       f->res.reason, err))) {
				free(f->path);
				f->path = NULL;
				return st;
			}
			f->status = TZ_OK;
			if (f->routcome == TZ_RECEIPT_OTHER && f->from_folder) {
				/* another village's receipt on the township's stick */
				free(f->path);
				f->path = NULL;
				rep->found--;
				continue;
			}
			if (f->routcome == TZ_RECEIPT_STALE)
				f->routcome = TZ_RECEIPT_REFUSED; /* on a stick: an old receipt */
			f->res.outcome = f->routcome == TZ_RECEIPT_REFUSED ? TZ_IMPORT_REFUSED
					 : f->routcome == TZ_RECEIPT_TAKEN  ? TZ_IMPORT_APPLIED
									    : TZ_IMPORT_PRESENT;
			if (f->routcome == TZ_RECEIPT_OTHER)
				snprintf(f->res.reason, sizeof f->res.reason, "%s",
					 tz_tr("a receipt for another device's changes: nothing to do here",
					       "这是其他设备的回执，与本机无关"));
			rep->receipts += f->routcome == TZ_RECEIPT_TAKEN || f->routcome == TZ_RECEIPT_KNOWN;
			rep->refused += f->routcome == TZ_RECEIPT_REFUSED;
		} else if (access(f->path, R_OK)) {
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
	free(files.in_folder);
	if (!st && o->outbox)
		st = tz_receipt_prune(db, o->outbox, &rep->pruned, err);
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
