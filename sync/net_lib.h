/* netlib.h - libcurl and libmicrohttpd, loaded when a network command first
 * needs them (sync/net_lib.c).  Internal to sync/. */
#ifndef TZ_SYNC_NETLIB_H
#define TZ_SYNC_NETLIB_H

#include <curl/curl.h>
#include <microhttpd.h>

#include "taizhang/err.h"

/* the functions push.c uses, with libcurl's own prototypes */
typedef struct {
	__typeof__(curl_global_init) *global_init;
	__typeof__(curl_easy_init) *easy_init;
	__typeof__(curl_easy_setopt) *easy_setopt;
	__typeof__(curl_easy_perform) *easy_perform;
	__typeof__(curl_easy_getinfo) *easy_getinfo;
	__typeof__(curl_easy_cleanup) *easy_cleanup;
	__typeof__(curl_easy_strerror) *easy_strerror;
	__typeof__(curl_slist_append) *slist_append;
	__typeof__(curl_slist_free_all) *slist_free_all;
} net_curl_api;

/* the functions serve.c uses */
typedef struct {
	__typeof__(MHD_start_daemon) *start_daemon;
	__typeof__(MHD_stop_daemon) *stop_daemon;
	__typeof__(MHD_quiesce_daemon) *quiesce_daemon;
	__typeof__(MHD_get_daemon_info) *get_daemon_info;
	__typeof__(MHD_get_connection_info) *get_connection_info;
	__typeof__(MHD_get_connection_values) *get_connection_values;
	__typeof__(MHD_lookup_connection_value) *lookup_connection_value;
	__typeof__(MHD_suspend_connection) *suspend_connection;
	__typeof__(MHD_resume_connection) *resume_connection;
	__typeof__(MHD_create_response_from_buffer) *create_response_from_buffer;
	__typeof__(MHD_create_response_from_fd64) *create_response_from_fd64;
	__typeof__(MHD_add_response_header) *add_response_header;
	__typeof__(MHD_queue_response) *queue_response;
	__typeof__(MHD_destroy_response) *destroy_response;
} net_mhd_api;

extern net_curl_api net_curl;
extern net_mhd_api net_mhd;

/* Load the library once (thread-safe) and fill the table; a missing
 * library is a one-line error naming the Debian package (exit 3). */
tz_status net_curl_load(tz_err *err);
tz_status net_mhd_load(tz_err *err);

#endif
