/* SPDX-License-Identifier: MIT */
/*
 * teeq-sw's kernel attachment: the secure world served through the teeq
 * driver's endpoint /dev/teeqsw0 (uapi/teeq_swdev.h) instead of the host
 * socket. The same core, trusted apps, workers and call threads as host
 * mode; only how clients arrive, and how their memory is mapped, differ.
 */
#ifndef TEEQ_SECURE_KERNEL_H
#define TEEQ_SECURE_KERNEL_H

#include "secure/attach/attach.h"
#include "secure/attach/suppl.h"
#include "uapi/teeq_swdev.h"

#define SW_KERNEL_DEFAULT_DEV "/dev/teeqsw0"

/* Attaches to @dev and serves until SIGINT/SIGTERM/SIGHUP; detaching ends
 * every call in flight (the driver fails them TARGET_DEAD). Storage, with
 * @suppl's options, goes through the driver's supplicant node. With
 * @stats, h->opts.socket_path answers statistics requests once attached.
 * Returns 0, or -errno when it could not attach. */
int sw_kernel_run(struct sw_host *h, const char *dev,
		  const struct sw_suppl_opts *suppl, int stats);

#endif /* TEEQ_SECURE_KERNEL_H */
