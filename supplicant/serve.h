/* SPDX-License-Identifier: MIT */
/*
 * teeq-supplicant's side of the supplicant protocol (uapi/teeq_rpc.h):
 * attach to teeq-sw, hand it the region, serve its requests until it goes
 * away.
 */
#ifndef TEEQ_SUPPLICANT_SERVE_H
#define TEEQ_SUPPLICANT_SERVE_H

#include "supplicant/fs.h"

#include <signal.h>
#include <stdint.h>

struct suppl_serve_opts {
	const char *socket_path; /* teeq-sw's supplicant socket */
	uint32_t entries; /* requests in flight at most */
	uint32_t window_size; /* bytes per request's data window */
	int verbose;
};

/*
 * Attaches to teeq-sw and serves requests until it hangs up, breaks the
 * protocol, or *@stop is set. Returns 1 after an attachment ended, or
 * -errno before one began: -ENOENT or -ECONNREFUSED when nobody listens,
 * -EPERM (a socket directory or a peer we do not trust, or teeq-sw
 * refused our uid), -EBUSY (another supplicant is attached), -EPROTO.
 * Every handle is dropped when it returns.
 */
int suppl_serve(struct suppl_fs *fs, const struct suppl_serve_opts *o,
		volatile sig_atomic_t *stop);

void suppl_log(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif /* TEEQ_SUPPLICANT_SERVE_H */
