/* netlib.c - libcurl and libmicrohttpd, loaded with dlopen() when `push`,
 * `pull` or `serve` first needs them.
 *
 * Linked in, the two libraries and what they depend on (GnuTLS, OpenSSL,
 * Kerberos, LDAP, SSH, RTMP, ...) are 33 of the program's 39 shared objects,
 * and mapping and relocating them was most of every command's start-up:
 * about 20 ms of CPU on the benchmark machine before `main`, for the TUI,
 * `verify` and every script call alike -- and on a village PC's old disk,
 * the reads of all those files.  Loaded on demand, only the network
 * commands pay for them. */
#include "net_lib.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

/* the sonames of Debian 12's libcurl4 (libcurl3-gnutls, which many PCs
 * have for git, provides the same API as libcurl-gnutls.so.4: the second
 * choice) and libmicrohttpd12 */
#ifndef TZ_CURL_SONAME
#define TZ_CURL_SONAME "libcurl.so.4"
#endif
#ifndef TZ_CURL_SONAME2
#define TZ_CURL_SONAME2 "libcurl-gnutls.so.4"
#endif
#ifndef TZ_MHD_SONAME
#define TZ_MHD_SONAME "libmicrohttpd.so.12"
#endif

net_curl_api net_curl;
net_mhd_api net_mhd;

typedef struct {
	const char *soname, *soname2, *package; /* soname2: tried when soname is missing */
	const char *const *names;
	void *table; /* net_curl or net_mhd: n function pointers */
	size_t n;
	pthread_once_t once;
	int ok;
	char why[200];
} lib;

static const char *const curl_names[] = {
	"curl_global_init",   "curl_easy_init",    "curl_easy_setopt",
	"curl_easy_perform",  "curl_easy_getinfo", "curl_easy_cleanup",
	"curl_easy_strerror", "curl_slist_append", "curl_slist_free_all",
};
static const char *const mhd_names[] = {
	"MHD_start_daemon",
	"MHD_stop_daemon",
	"MHD_quiesce_daemon",
	"MHD_get_daemon_info",
	"MHD_get_connection_info",
	"MHD_get_connection_values",
	"MHD_lookup_connection_value",
	"MHD_suspend_connection",
	"MHD_resume_connection",
	"MHD_create_response_from_buffer",
	"MHD_create_response_from_fd64",
	"MHD_add_response_header",
	"MHD_queue_response",
	"MHD_destroy_response",
};
_Static_assert(sizeof(void *) == sizeof(void (*)(void)), "dlsym's addresses fit a function pointer");
_Static_assert(sizeof curl_names / sizeof *curl_names == sizeof(net_curl_api) / sizeof(void *),
	       "one name per slot of net_curl_api");
_Static_assert(sizeof mhd_names / sizeof *mhd_names == sizeof(net_mhd_api) / sizeof(void *),
	       "one name per slot of net_mhd_api");

static lib curl_lib = {TZ_CURL_SONAME, TZ_CURL_SONAME2, "libcurl4", curl_names, &net_curl,
		       sizeof curl_names / sizeof *curl_names, PTHREAD_ONCE_INIT, 0, ""};
static lib mhd_lib = {TZ_MHD_SONAME, NULL, "libmicrohttpd12", mhd_names, &net_mhd,
		      sizeof mhd_names / sizeof *mhd_names, PTHREAD_ONCE_INIT, 0, ""};

static void load(lib *l)
{
	/* never closed: the library stays for the life of the process */
	void *h = dlopen(l->soname, RTLD_NOW | RTLD_LOCAL);
	if (!h && l->soname2)
		h = dlopen(l->soname2, RTLD_NOW | RTLD_LOCAL);
	if (!h) {
		snprintf(l->why, sizeof l->why, "%s", l->soname);
		return;
	}
	for (size_t i = 0; i < l->n; i++) {
		void *f = dlsym(h, l->names[i]);
		if (!f) {
			snprintf(l->why, sizeof l->why, "%s (%s)", l->soname, l->names[i]);
			return;
		}
		/* POSIX: dlsym's void * holds the function's address */
		memcpy((char *)l->table + i * sizeof f, &f, sizeof f);
	}
	l->ok = 1;
}

static void load_curl(void) { load(&curl_lib); }
static void load_mhd(void) { load(&mhd_lib); }

static tz_status ready(lib *l, void (*once)(void), tz_err *err)
{
	pthread_once(&l->once, once);
	if (l->ok)
		return TZ_OK;
	return tz_fail(err, TZ_EIO, "the network library %s is missing: apt-get install %s",
		       "缺少网络程序库 %s：请运行 apt-get install %s", l->why, l->package);
}

tz_status net_curl_load(tz_err *err) { return ready(&curl_lib, load_curl, err); }
tz_status net_mhd_load(tz_err *err) { return ready(&mhd_lib, load_mhd, err); }
