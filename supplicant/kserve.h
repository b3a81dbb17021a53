/* SPDX-License-Identifier: MIT */
/*
 * teeq-supplicant in kernel mode: the file service through the teeq
 * driver's privileged node (/dev/teeqpriv0 or /dev/teepriv0) with the
 * upstream SUPPL_RECV / SUPPL_SEND semantics (uapi/teeq_rpc.h, "Kernel
 * mode").
 */
#ifndef TEEQ_SUPPLICANT_KSERVE_H
#define TEEQ_SUPPLICANT_KSERVE_H

#include "supplicant/serve.h"

#define SUPPL_KSERVE_DEVICE "/dev/teeqpriv0"
#define SUPPL_KSERVE_COMPAT_DEVICE "/dev/teepriv0"

struct suppl_kserve_opts {
	const char *device; /* the privileged node */
	uint32_t entries; /* windows of the buffer */
	uint32_t window_size; /* bytes per window */
	int verbose;
};

/*
 * Opens the node and serves the secure world's requests until *@stop is
 * set (the node does not tell us of teeq-sw's restarts: a new secure
 * world asks for our buffer again, and the handles of the old are
 * dropped then). Returns 1 when it stopped, or -errno before it began:
 * -ENOENT (no node: the driver is not loaded), -EBUSY (another
 * supplicant has it), -EACCES (not root), -EPROTO (not teeq's node).
 */
int suppl_kserve(struct suppl_fs *fs, const struct suppl_kserve_opts *o,
		 volatile sig_atomic_t *stop);

#endif /* TEEQ_SUPPLICANT_KSERVE_H */
