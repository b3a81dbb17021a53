/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The TA process: how teeq-sw runs a loaded trusted app (a .ta file) in a
 * process of its own, teeq-ta-host, and reaches it (docs/ta-isolation.md).
 * One process is one instance of one TA.
 *
 * Descriptors. teeq-sw starts teeq-ta-host with exactly these open (all
 * others closed), and no arguments:
 *
 *   TEEQ_TA_PROC_FD_SOCK    the control socket (SOCK_SEQPACKET); teeq-sw
 *                           holds the other end
 *   TEEQ_TA_PROC_FD_TA      the .ta file, a memfd sealed against writes,
 *                           which teeq-sw has read, checked and verified
 *   TEEQ_TA_PROC_FD_REGION  the channel region, a memfd sealed against
 *                           shrinking, created and formatted by teeq-sw
 *   TEEQ_TA_PROC_FD_SQ_DB   eventfd teeq-sw writes when the process's
 *                           submission ring needs a wake-up
 *   TEEQ_TA_PROC_FD_CQ_DB   eventfd the process writes when teeq-sw's
 *                           completion ring needs a wake-up
 * and 0, 1, 2 as teeq-sw's own (the TA's trace goes to teeq-sw's stderr).
 *
 * The control socket carries the slow path only; every message starts
 * with struct teeq_ta_proc_hdr, and one of the wrong size, type or magic
 * ends the exchange (teeq-sw kills the process; the process exits):
 *
 *   teeq-sw                                TA process
 *   HELLO                           --->   maps the file and the region,
 *                                          checks both, loads the code,
 *                                          calls TA_CreateEntryPoint
 *                                   <---   READY (status, create's result,
 *                                          the code's flags, a reason)
 *   ... calls through the ring ...
 *   CANCEL (cancel id)              --->   the call with that id is
 *                                          cancelled (TEE_GetCancellationFlag,
 *                                          TEE_Wait)
 *   QUIT                            --->   once every entry already in the
 *                                          ring is done: TA_DestroyEntryPoint,
 *                                          exit 0
 *
 * Its hang-up means teeq-sw is gone: the process exits at once, whatever
 * its TA is doing. The process also exits when teeq-sw (HELLO's sw_pid)
 * dies, should the socket outlive it.
 *
 * The channel is a region of uapi/teeq_ring.h made by teeq-sw, with one
 * queue pair: teeq-sw produces submissions, the process consumes them in
 * order and produces one completion for each, in the same order, echoing
 * user_data. teeq-sw never has more entries outstanding than the
 * completion ring holds. Entries are those of the client rings, narrowed:
 *
 *   OPEN_SESSION   func: the client's login method (TEEQ_LOGIN_*); uuid:
 *                  the client's identity UUID (GP's TEE_Identity);
 *                  cancel_id; params. Completion: session, the process's
 *                  id for the session (nonzero) on success.
 *   INVOKE         session, func (the command), cancel_id, params.
 *
 * cancel_id is nonzero and names the entry in CANCEL messages: unique
 * among the entries not yet completed.
 *   CLOSE_SESSION  session. Completion: TEEQ_SUCCESS.
 *
 * Memrefs name TEEQ_BUF_ID_NULL (a null memref: buffer NULL, the size
 * given; offset zero) or TEEQ_BUF_ID_HEAP, the channel's heap, where
 * teeq-sw has put the client's bytes for the call and from where it takes
 * the outputs back. Completions carry the result and its origin as the
 * TA's entry point gave them (TEEQ_ORIGIN_TEE or TEEQ_ORIGIN_TRUSTED_APP).
 * Anything else is a broken peer: teeq-sw kills a process that completes
 * an entry it did not submit or breaks the ring, and the process exits on
 * an entry it cannot parse.
 */
#ifndef TEEQ_UAPI_TA_PROC_H
#define TEEQ_UAPI_TA_PROC_H

#include "teeq_types.h"
#include "teeq_gp.h"

#define TEEQ_TA_PROC_MAGIC 0x50415454u /* "TTAP" */
#define TEEQ_TA_PROC_VERSION 1u

#define TEEQ_TA_PROC_FD_SOCK 3
#define TEEQ_TA_PROC_FD_TA 4
#define TEEQ_TA_PROC_FD_REGION 5
#define TEEQ_TA_PROC_FD_SQ_DB 6
#define TEEQ_TA_PROC_FD_CQ_DB 7

enum teeq_ta_proc_type {
	TEEQ_TA_PROC_HELLO = 1,
	TEEQ_TA_PROC_READY = 2,
	TEEQ_TA_PROC_CANCEL = 3,
	TEEQ_TA_PROC_QUIT = 4,
};

struct teeq_ta_proc_hdr {
	__u32 magic; /* TEEQ_TA_PROC_MAGIC */
	__u16 type; /* enum teeq_ta_proc_type */
	__u16 reserved; /* zero */
	__u32 len; /* bytes of the whole message, header included */
	__u32 reserved2; /* zero */
};

struct teeq_ta_proc_hello {
	struct teeq_ta_proc_hdr hdr;
	__u32 version; /* TEEQ_TA_PROC_VERSION */
	__u32 sw_pid; /* teeq-sw: the process exits when it dies */
	struct teeq_uuid uuid; /* the TA the file must hold */
	__u64 file_size; /* the .ta memfd's size */
	__u64 region_size; /* the region memfd's size */
	__u64 spin_ns; /* how long the process polls its ring before
			* sleeping on its doorbell */
};

struct teeq_ta_proc_ready {
	struct teeq_ta_proc_hdr hdr;
	/* 0, or a negative errno: the TA could not be loaded (why says
	 * what), and the process exits */
	__s32 status;
	/* TA_CreateEntryPoint's result; the process exits unless it is
	 * TEEQ_SUCCESS */
	__u32 result;
	__u32 ta_flags; /* the code's own TA_FLAGS */
	__u32 api_level; /* TEEQ_TA_FILE_API_* */
	char why[64]; /* NUL-terminated, when status is not 0 */
};

struct teeq_ta_proc_cancel {
	struct teeq_ta_proc_hdr hdr;
	__u32 cancel_id; /* of an entry submitted before this message */
	__u32 reserved; /* zero */
};

TEEQ_PIN_SIZE(struct teeq_ta_proc_hdr, 16);
TEEQ_PIN_SIZE(struct teeq_ta_proc_hello, 64);
TEEQ_PIN_SIZE(struct teeq_ta_proc_ready, 96);
TEEQ_PIN_SIZE(struct teeq_ta_proc_cancel, 24);

#endif /* TEEQ_UAPI_TA_PROC_H */
