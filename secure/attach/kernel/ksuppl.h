/* SPDX-License-Identifier: MIT */
/*
 * teeq-sw's way to the supplicant in kernel mode: the storage core's file
 * requests through the driver's privileged node (uapi/teeq_rpc.h, "Kernel
 * mode"), with the same options, state directory and storage core as
 * host mode (secure/attach/suppl.h).
 */
#ifndef TEEQ_SECURE_KSUPPL_H
#define TEEQ_SECURE_KSUPPL_H

#include "secure/attach/suppl.h"
#include "uapi/teeq_rpc.h"
#include "uapi/teeq_swdev.h"

/* Starts storage over @fd, the endpoint attached with
 * TEEQ_SWDEV_FEAT_SUPP granted. Problems are logged and leave storage
 * unavailable. */
void sw_ksuppl_start(int fd, const struct sw_suppl_opts *o);
/* Stops the storage core and unmaps the supplicant's buffer; before the
 * endpoint is closed, after the call threads are stopped. */
void sw_ksuppl_stop(void);

#endif /* TEEQ_SECURE_KSUPPL_H */
