/* SPDX-License-Identifier: MIT */
/*
 * teeq-sw's attachment for the supplicant (host mode), and its options:
 * a privileged Unix socket of its own on which one teeq-supplicant at a
 * time, of one configured uid, attaches; the reverse queue pair of
 * uapi/teeq_rpc.h; the secure state directory (secure/attach/state.h); and the
 * storage core (secure/storage/storage.h) started over both.
 *
 * A storage call waits for the supplicant on a call thread (the storage
 * TA's commands are blocking_cmds), never on a ring worker, and never
 * longer than the timeout: a supplicant that does not answer in time is
 * detached, so the calls after it fail at once with
 * TEEQ_ERROR_STORAGE_NOT_AVAILABLE, as they do while none is attached.
 */
#ifndef TEEQ_SECURE_SUPPL_H
#define TEEQ_SECURE_SUPPL_H

#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

#define SW_SUPPL_DEFAULT_TIMEOUT_MS 10000

struct sw_suppl_opts {
	char socket_path[108]; /* "": the client socket + ".suppl" */
	char state_dir[PATH_MAX]; /* "": the default (see usage) */
	char program[PATH_MAX]; /* "": find it; "none": start none */
	uid_t uid; /* the only uid that may attach */
	uint32_t timeout_ms; /* longest wait for one request */
	int verbose;
};

/* Options teeq-sw's main() hands over: getopt long options with these
 * values, for sw_suppl_option(). */
enum {
	SW_SUPPL_OPT_STATE_DIR = 1024,
	SW_SUPPL_OPT_SOCKET,
	SW_SUPPL_OPT_UID,
	SW_SUPPL_OPT_PROGRAM,
	SW_SUPPL_OPT_TIMEOUT,
	SW_SUPPL_OPT_LAST = SW_SUPPL_OPT_TIMEOUT,
};

/* clang-format off */
#define SW_SUPPL_LONGOPTS \
	{ "state-dir", required_argument, NULL, SW_SUPPL_OPT_STATE_DIR }, \
	{ "supplicant-socket", required_argument, NULL, SW_SUPPL_OPT_SOCKET }, \
	{ "supplicant-uid", required_argument, NULL, SW_SUPPL_OPT_UID }, \
	{ "supplicant", required_argument, NULL, SW_SUPPL_OPT_PROGRAM }, \
	{ "supplicant-timeout-ms", required_argument, NULL, \
	  SW_SUPPL_OPT_TIMEOUT }
/* clang-format on */

/* A line of storage's on stderr, "teeq-sw[pid]: " first. */
void sw_suppl_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

void sw_suppl_defaults(struct sw_suppl_opts *o);
/* One of the options above: 0, or -1 with the reason printed. */
int sw_suppl_option(struct sw_suppl_opts *o, int opt, const char *arg);
void sw_suppl_usage(FILE *out);

/*
 * Opens the state directory, starts the storage core, listens for the
 * supplicant and starts one if configured. Storage problems are logged
 * and leave storage unavailable; teeq-sw runs on. @client_socket is
 * teeq-sw's client socket (for the default supplicant socket).
 */
void sw_suppl_start(const struct sw_suppl_opts *o, const char *client_socket);
/* How the storage core reaches a supplicant: the rpc and window of
 * struct storage_platform (secure/storage/storage.h). */
struct teeq_rpc_req;
struct teeq_rpc_rsp;
struct sw_suppl_transport {
	int (*rpc)(void *arg, const struct teeq_rpc_req *req, const void *in,
		   uint32_t in_len, void *out, uint32_t out_cap,
		   struct teeq_rpc_rsp *rsp);
	uint32_t (*window)(void *arg);
};

/*
 * Opens the state directory and starts the storage core over another
 * attachment's way to the supplicant (kernel mode: secure/attach/kernel/ksuppl.c);
 * nothing listens for a host-mode supplicant. Problems are logged and
 * leave storage unavailable.
 */
void sw_suppl_start_over(const struct sw_suppl_opts *o,
			 const struct sw_suppl_transport *t);
/* Detaches the supplicant, stops listening and the storage core. */
void sw_suppl_stop(void);

#endif /* TEEQ_SECURE_SUPPL_H */
