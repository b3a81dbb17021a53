// SPDX-License-Identifier: MIT
/*
 * The signature hook of loaded TAs: the ops entry a deployment fills in
 * (sdk/tafile/tafile.h, docs/ta-isolation.md). A .ta file is loaded only
 * if verify() accepts the bytes its signature covers, and with
 * require_signature an unsigned file is refused.
 *
 * Host mode checks no signature by default: the TA directory is writable
 * by teeq-sw's user only, and a TA is isolated by being a process of its
 * own, nothing more. A deployment that wants proof of origin (a key of
 * its own, an HSM) replaces this descriptor; teeq defines no signature
 * algorithm (the file's sig_algo values are the deployment's).
 */
#include "secure/loaded/ta_proc.h"

#include <stddef.h>

const struct ta_file_verify_ops ta_verify_ops = {
	.verify = NULL,
	.ctx = NULL,
	.require_signature = false,
};
