/* audit.h - the auditor's check of bundle files: needs no secret and no
 * database, only a keyring of public keys. */
#ifndef TAIZHANG_AUDIT_H
#define TAIZHANG_AUDIT_H

#include "taizhang/err.h"
#include "taizhang/db.h"
#include "taizhang/keyring.h"

/* One line of the report.  kind: "bundle" (line starts OK or FAIL) or
 * "device" (the per-device chain report).  ok is 0 for anything not in
 * order. */
typedef void (*tz_audit_cb)(void *ctx, const char *kind, int ok, const char *line);

/* Check every bundle among paths (files, or folders whose *.tzb files are
 * taken in name order): key known and not revoked for the range, signature,
 * payload; then per device: chain intact, gaps, forks.  *problems counts
 * the lines that are not OK. */
tz_status tz_audit(const tz_keyring *kr, char *const *paths, int npaths, tz_audit_cb cb, void *ctx,
		   int *problems, tz_err *err);

/* What a township's (or county's) database holds back from the devices
 * whose bundles it took (core/authority.c): per device, the changes not
 * applied because they lie outside what it may write (each such line is a
 * problem) and those waiting for a record not received yet. */
tz_status tz_audit_held(tz_db *db, tz_audit_cb cb, void *ctx, int *problems, tz_err *err);

#endif
