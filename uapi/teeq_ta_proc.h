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
 *                                   <---   STORAGE (a persistent-object
 *                                          request of the TA's)
 *   STORAGE_REPLY                   --->
 *
 * STORAGE requests are answered while teeq-sw waits on the process: for
 * an entry of the ring, or for READY. One is outstanding at a time (the
 * TA's one thread asks and waits); the objects are the TA's own (teeq-sw
 * uses the TA's UUID as their namespace), and the handles are teeq-sw's,
 * valid in this process only, closed when it ends.
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
	TEEQ_TA_PROC_STORAGE = 5,
	TEEQ_TA_PROC_STORAGE_REPLY = 6,
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

/*
 * Persistent objects (GP's TEE_*PersistentObject*, TEE_*ObjectData): the
 * operations of the secure world's storage core. Flags are GP's
 * TEE_DATA_FLAG_*; whence is GP's TEE_DATA_SEEK_*. An object's id (1 to
 * TEEQ_TA_STORAGE_ID_MAX bytes) and its metadata (the object's type and
 * attributes, as libteeq_ta writes them) lead the request's data.
 */
enum teeq_ta_storage_op {
	TEEQ_TA_STORAGE_CREATE = 1, /* flags, id, meta, initial data */
	TEEQ_TA_STORAGE_OPEN = 2, /* flags, id -> handle, info, meta */
	TEEQ_TA_STORAGE_CLOSE = 3, /* handle */
	TEEQ_TA_STORAGE_READ = 4, /* handle, size -> data, info */
	TEEQ_TA_STORAGE_WRITE = 5, /* handle, data */
	TEEQ_TA_STORAGE_SEEK = 6, /* handle, offset, flags: whence -> info */
	TEEQ_TA_STORAGE_TRUNCATE = 7, /* handle, size */
	TEEQ_TA_STORAGE_RENAME = 8, /* handle, id */
	TEEQ_TA_STORAGE_DELETE = 9, /* handle; closed if it succeeds */
	TEEQ_TA_STORAGE_INFO = 10, /* handle -> info */
	TEEQ_TA_STORAGE_ENUM_START = 11, /* -> handle */
	TEEQ_TA_STORAGE_ENUM_NEXT = 12, /* handle -> info, meta, id */
	TEEQ_TA_STORAGE_ENUM_FREE = 13, /* handle */
	TEEQ_TA_STORAGE_OP_MAX = TEEQ_TA_STORAGE_ENUM_FREE,
};

#define TEEQ_TA_STORAGE_ID_MAX 64u
#define TEEQ_TA_STORAGE_META_MAX 4096u
/* bytes of data one message carries: reads and writes go in such pieces */
#define TEEQ_TA_STORAGE_DATA_MAX (60u * 1024)
#define TEEQ_TA_STORAGE_MSG_MAX                                     \
	(128u + TEEQ_TA_STORAGE_ID_MAX + TEEQ_TA_STORAGE_META_MAX + \
	 TEEQ_TA_STORAGE_DATA_MAX)

struct teeq_ta_proc_storage {
	struct teeq_ta_proc_hdr hdr; /* len: with data[] */
	__u32 op; /* enum teeq_ta_storage_op */
	__u32 handle; /* of an object or enumerator, from a reply */
	__u32 flags; /* CREATE, OPEN: TEE_DATA_FLAG_*; SEEK: whence */
	__u32 id_len; /* CREATE, OPEN, RENAME: the id, first in data[] */
	__u32 meta_len; /* CREATE: the metadata, after the id */
	__u32 reserved; /* zero */
	__s64 offset; /* SEEK */
	__u64 size; /* READ: bytes wanted; TRUNCATE: the new size */
	/* CREATE: id, meta, initial data; OPEN, RENAME: id; WRITE: data */
	__u8 data[];
};

struct teeq_ta_proc_storage_reply {
	struct teeq_ta_proc_hdr hdr; /* len: with data[] */
	__u32 result; /* TEEQ_SUCCESS or TEEQ_ERROR_* */
	__u32 handle; /* OPEN, CREATE, ENUM_START: the new handle */
	__u64 data_size; /* OPEN, READ, SEEK, INFO, ENUM_NEXT */
	__u64 position; /* OPEN, READ, SEEK, INFO: the handle's */
	__u32 flags; /* OPEN, INFO: the handle's TEE_DATA_FLAG_* */
	__u32 meta_len; /* OPEN, ENUM_NEXT: metadata, first in data[] */
	__u32 id_len; /* ENUM_NEXT: the id, after the metadata */
	__u32 reserved; /* zero */
	/* OPEN: meta; READ: the bytes read; ENUM_NEXT: meta, id */
	__u8 data[];
};

TEEQ_PIN_SIZE(struct teeq_ta_proc_hdr, 16);
TEEQ_PIN_SIZE(struct teeq_ta_proc_storage, 56);
TEEQ_PIN_SIZE(struct teeq_ta_proc_storage_reply, 56);
TEEQ_PIN_SIZE(struct teeq_ta_proc_hello, 64);
TEEQ_PIN_SIZE(struct teeq_ta_proc_ready, 96);
TEEQ_PIN_SIZE(struct teeq_ta_proc_cancel, 24);

#endif /* TEEQ_UAPI_TA_PROC_H */
