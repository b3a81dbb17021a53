/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The supplicant protocol: requests from the secure world to the normal
 * world, which keeps the secure world's files (teeq-supplicant in host
 * mode). It is the ring protocol of teeq_ring.h run the other way: one
 * reverse queue pair in which the secure world produces the requests and
 * consumes the replies, and the supplicant consumes the requests and
 * produces the replies.
 *
 * One shared region holds, in this order:
 *
 *   struct teeq_rpc_region_hdr     at offset 0
 *   the request ring               teeq_ring_hdr + entries * 64-byte
 *                                  struct teeq_rpc_req, 64-byte aligned
 *   the reply ring                 teeq_ring_hdr + entries * 64-byte
 *                                  struct teeq_rpc_rsp, 64-byte aligned
 *   the data windows               page aligned: entries windows of
 *                                  window_size bytes each
 *
 * Ownership. The supplicant (the normal world, as for a client's channel)
 * creates the region, writes its header and the rings' immutable lines,
 * and hands it to the secure world in the handshake; each side then keeps
 * a validated private copy of the layout and never reads the header again.
 * Ring indices, stamps, NEED_WAKEUP and the doorbells work exactly as in
 * teeq_ring.h: a consumer about to sleep sets NEED_WAKEUP, a producer
 * rings only when it sees it.
 *
 * Data windows. A request owns the window whose index is its tag's low
 * bits (tag & (entries - 1)) from the moment it is produced until its
 * reply is consumed; the secure world never has two requests in flight on
 * one window, and so never more than entries requests, which is also what
 * keeps the reply ring from overflowing. A request's window holds, from
 * byte 0: its first name (name_len bytes, no terminator), its second name
 * (name2_len bytes), then, for TEEQ_RPC_FS_WRITE, len bytes of data. A
 * reply puts its bytes (READ data, LIST names) at byte 0 of the same
 * window.
 *
 * The peer is hostile, both ways. The supplicant reads each request once
 * into a private copy and copies names out of the window before it checks
 * them; the secure world reads each reply once, checks that its tag names
 * a request in flight and that its length fits the window, and copies the
 * window out before it relies on a byte. The secure world authenticates
 * everything it stores (docs/storage.md): to the supplicant file contents
 * and names are opaque bytes.
 */
#ifndef TEEQ_UAPI_RPC_H
#define TEEQ_UAPI_RPC_H

#include "teeq_host.h"
#include "teeq_ring.h"
#include "teeq_types.h"

#define TEEQ_RPC_REGION_MAGIC 0x43505154u /* "TQPC" */

/* ABI version: major in the upper 16 bits, minor in the lower 16. A peer
 * refuses a different major; a higher minor only adds feature bits. */
#define TEEQ_RPC_ABI_MAJOR 1u
#define TEEQ_RPC_ABI_MINOR 0u
#define TEEQ_RPC_ABI_VERSION ((TEEQ_RPC_ABI_MAJOR << 16) | TEEQ_RPC_ABI_MINOR)

/*
 * Feature bits in teeq_rpc_region_hdr.features: the services the
 * supplicant offers. The secure world refuses a region that sets a bit it
 * does not know, and sends no request of a service that is not offered.
 */
/* The file service: TEEQ_RPC_FS_* below. */
#define TEEQ_RPC_FEAT_FS (1ull << 0)
#define TEEQ_RPC_FEAT_ALL (TEEQ_RPC_FEAT_FS)

/* Geometry: entries and window_size are powers of two in these ranges. */
#define TEEQ_RPC_MIN_ENTRIES 2u
#define TEEQ_RPC_MAX_ENTRIES 64u
#define TEEQ_RPC_MIN_WINDOW 4096u
#define TEEQ_RPC_MAX_WINDOW (1u << 20)

/*
 * Region header at offset 0, written by the supplicant before the
 * handshake. Every offset is from the start of the region; the rings and
 * the windows lie inside it, do not overlap each other or the header, and
 * region_size is the size of what was actually handed over.
 */
struct teeq_rpc_region_hdr {
	__u32 magic; /* TEEQ_RPC_REGION_MAGIC */
	__u32 abi_version; /* TEEQ_RPC_ABI_VERSION */
	__u64 features; /* TEEQ_RPC_FEAT_* */
	__u64 region_size;
	__u32 hdr_size; /* sizeof(struct teeq_rpc_region_hdr) */
	__u32 entries; /* slots of each ring, and data windows */
	__u32 req_size; /* sizeof(struct teeq_rpc_req) */
	__u32 rsp_size; /* sizeof(struct teeq_rpc_rsp) */
	__u32 window_size; /* bytes per data window */
	__u32 reserved0; /* zero */
	__u64 req_off; /* request ring, 64-byte aligned */
	__u64 rsp_off; /* reply ring, 64-byte aligned */
	__u64 data_off; /* first window, page aligned */
	__u64 reserved[7]; /* zero */
};

TEEQ_PIN_SIZE(struct teeq_rpc_region_hdr, 128);
TEEQ_PIN(struct teeq_rpc_region_hdr, features, 8);
TEEQ_PIN(struct teeq_rpc_region_hdr, region_size, 16);
TEEQ_PIN(struct teeq_rpc_region_hdr, hdr_size, 24);
TEEQ_PIN(struct teeq_rpc_region_hdr, entries, 28);
TEEQ_PIN(struct teeq_rpc_region_hdr, window_size, 40);
TEEQ_PIN(struct teeq_rpc_region_hdr, req_off, 48);
TEEQ_PIN(struct teeq_rpc_region_hdr, rsp_off, 56);
TEEQ_PIN(struct teeq_rpc_region_hdr, data_off, 64);

/*
 * The file service. All names are single components inside the
 * supplicant's one storage directory: 1..TEEQ_RPC_NAME_MAX bytes of
 * [A-Za-z0-9_.-], not starting with '.'. Anything else is refused
 * (EINVAL, or ENAMETOOLONG for length) and reaches no file: there is no
 * path, no traversal and no symbolic link to follow.
 *
 * Handles name files the supplicant holds open for the secure world; they
 * live until CLOSE or until the secure world detaches.
 */
enum teeq_rpc_opcode {
	/* name -> handle (read only); reply value = the file's size. */
	TEEQ_RPC_FS_OPEN = 1,
	/* name -> handle of a new, empty file that nobody sees until CLOSE
	 * with TEEQ_RPC_CLOSE_COMMIT puts it in place of name, whole, or
	 * never: the supplicant's writes are atomic per file. */
	TEEQ_RPC_FS_CREATE = 2,
	/* handle, offset, len (<= window_size): reads into the window;
	 * reply len = value = bytes read (short only at the end of file). */
	TEEQ_RPC_FS_READ = 3,
	/* handle of a CREATE, offset, len data bytes in the window. */
	TEEQ_RPC_FS_WRITE = 4,
	/* handle of a CREATE, offset = the new size. */
	TEEQ_RPC_FS_TRUNCATE = 5,
	/* handle. For a CREATE's: with TEEQ_RPC_CLOSE_COMMIT the file is
	 * made durable and renamed into place (reply 0 means it is there,
	 * and stays there); without, it is discarded. */
	TEEQ_RPC_FS_CLOSE = 6,
	/* name. The removal becomes durable with the storage directory's
	 * next sync (a commit or a rename): a removed file that comes back
	 * after a crash is garbage, never data, to the secure world. */
	TEEQ_RPC_FS_REMOVE = 7,
	/* name -> name2, replacing name2 unless TEEQ_RPC_RENAME_NOREPLACE
	 * (then EEXIST); durable when the reply is 0. */
	TEEQ_RPC_FS_RENAME = 8,
	/* name = a prefix (may be empty), name2 = a cursor (may be empty):
	 * the names that start with the prefix and sort after the cursor
	 * (bytewise), in order, each followed by a NUL, as many as fit in
	 * the window; reply value = how many, flags TEEQ_RPC_RSP_MORE when
	 * some did not fit (ask again with the last one as the cursor). */
	TEEQ_RPC_FS_LIST = 9,
	TEEQ_RPC_FS_MAX = TEEQ_RPC_FS_LIST,
};

/* Request flags (teeq_rpc_req.flags); any other bit is refused (EINVAL). */
#define TEEQ_RPC_CLOSE_COMMIT (1u << 0) /* FS_CLOSE */
#define TEEQ_RPC_RENAME_NOREPLACE (1u << 0) /* FS_RENAME */

/* Reply flags (teeq_rpc_rsp.flags). */
#define TEEQ_RPC_RSP_MORE (1u << 0) /* FS_LIST: the listing goes on */

#define TEEQ_RPC_NAME_MAX 128u

/*
 * Request entry, 64 bytes, written by the secure world and read once by
 * the supplicant. Fields an opcode does not use, and reserved, are zero;
 * an unknown opcode is answered ENOSYS, other bad values EINVAL, so a
 * later field or flag is never silently ignored.
 */
struct teeq_rpc_req {
	__u32 stamp; /* the ring's: index + 1, see teeq_ring.h */
	__u16 opcode; /* enum teeq_rpc_opcode */
	__u16 flags; /* TEEQ_RPC_CLOSE_* / TEEQ_RPC_RENAME_* */
	/* Echoed in the reply; its low bits name the data window. */
	__u64 tag;
	__u64 handle; /* READ WRITE TRUNCATE CLOSE */
	__u64 offset; /* READ WRITE: file offset; TRUNCATE: the size */
	__u32 len; /* READ: bytes wanted; WRITE: data bytes */
	__u16 name_len; /* OPEN CREATE REMOVE RENAME LIST */
	__u16 name2_len; /* RENAME LIST */
	__u32 reserved[6];
};

TEEQ_PIN_SIZE(struct teeq_rpc_req, 64);
TEEQ_PIN(struct teeq_rpc_req, opcode, 4);
TEEQ_PIN(struct teeq_rpc_req, tag, 8);
TEEQ_PIN(struct teeq_rpc_req, handle, 16);
TEEQ_PIN(struct teeq_rpc_req, offset, 24);
TEEQ_PIN(struct teeq_rpc_req, len, 32);
TEEQ_PIN(struct teeq_rpc_req, name_len, 36);
TEEQ_PIN(struct teeq_rpc_req, reserved, 40);

/*
 * Reply entry, 64 bytes, written by the supplicant and read once by the
 * secure world. status is 0 or a negative TEEQ_RPC_E* code; the secure
 * world treats any other negative value as TEEQ_RPC_EIO.
 */
struct teeq_rpc_rsp {
	__u32 stamp; /* the ring's */
	__s32 status;
	__u64 tag; /* the request's */
	__u64 handle; /* OPEN CREATE: the new handle (never 0) */
	__u64 value; /* OPEN: file size; READ: bytes read; LIST: names */
	__u32 len; /* bytes of the window the reply wrote (READ, LIST) */
	__u32 flags; /* TEEQ_RPC_RSP_* */
	__u32 reserved[6];
};

TEEQ_PIN_SIZE(struct teeq_rpc_rsp, 64);
TEEQ_PIN(struct teeq_rpc_rsp, status, 4);
TEEQ_PIN(struct teeq_rpc_rsp, tag, 8);
TEEQ_PIN(struct teeq_rpc_rsp, handle, 16);
TEEQ_PIN(struct teeq_rpc_rsp, value, 24);
TEEQ_PIN(struct teeq_rpc_rsp, len, 32);
TEEQ_PIN(struct teeq_rpc_rsp, flags, 36);

/* Status codes: the Linux errno numbers, fixed here for a secure world
 * that has no errno.h. */
#define TEEQ_RPC_EPERM 1 /* not allowed (e.g. a read handle written) */
#define TEEQ_RPC_ENOENT 2
#define TEEQ_RPC_EIO 5
#define TEEQ_RPC_EBADF 9 /* not a live handle */
#define TEEQ_RPC_ENOMEM 12
#define TEEQ_RPC_EEXIST 17
#define TEEQ_RPC_EINVAL 22 /* a bad name, flag, reserved field, window */
#define TEEQ_RPC_EMFILE 24 /* too many handles open */
#define TEEQ_RPC_EFBIG 27 /* past the supplicant's largest file */
#define TEEQ_RPC_ENOSPC 28
#define TEEQ_RPC_ENAMETOOLONG 36
#define TEEQ_RPC_ENOSYS 38 /* unknown opcode */
#define TEEQ_RPC_ELOOP 40 /* a symbolic link, or not a regular file */

/* Is @status 0 or minus one of the codes above? (Anything else from a
 * supplicant is its own invention, and taken as EIO.) */
static inline int teeq_rpc_status_known(__s32 status)
{
	switch (-status) {
	case 0:
	case TEEQ_RPC_EPERM:
	case TEEQ_RPC_ENOENT:
	case TEEQ_RPC_EIO:
	case TEEQ_RPC_EBADF:
	case TEEQ_RPC_ENOMEM:
	case TEEQ_RPC_EEXIST:
	case TEEQ_RPC_EINVAL:
	case TEEQ_RPC_EMFILE:
	case TEEQ_RPC_EFBIG:
	case TEEQ_RPC_ENOSPC:
	case TEEQ_RPC_ENAMETOOLONG:
	case TEEQ_RPC_ENOSYS:
	case TEEQ_RPC_ELOOP:
		return 1;
	default:
		return 0;
	}
}

/*
 * The handshake, host mode. teeq-sw listens on a Unix SOCK_SEQPACKET
 * socket of its own for the supplicant (not the clients' socket); only a
 * peer whose SO_PEERCRED uid is the configured supplicant uid may attach,
 * and only one at a time. Each message starts with struct teeq_host_hdr,
 * magic TEEQ_RPC_SOCK_MAGIC.
 *
 *   supplicant                              teeq-sw
 *   HELLO + fds: region memfd (sealed  --->  checks uid, that none is
 *     against shrinking), request            attached, the seals, size
 *     doorbell, reply doorbell               and region header
 *     (eventfds)
 *                                      <---  HELLO_REPLY (status)
 *   ... requests and replies through the rings ...
 *
 * After the handshake nothing more is sent; the socket tells each side of
 * the other's death. Status: 0, -EPERM (not the supplicant's uid),
 * -EBUSY (another supplicant is attached), -EPROTO (a bad region or
 * message).
 */
#define TEEQ_RPC_SOCK_MAGIC 0x53525154u /* "TQRS" */

enum teeq_rpc_sock_type {
	TEEQ_RPC_HELLO = 1,
	TEEQ_RPC_HELLO_REPLY = 2,
};

struct teeq_rpc_hello {
	struct teeq_host_hdr hdr;
	__u32 abi_version; /* TEEQ_RPC_ABI_VERSION */
	__u32 reserved; /* zero */
	__u64 features; /* == the region header's */
	__u64 region_size; /* == the memfd's size */
};

struct teeq_rpc_hello_reply {
	struct teeq_host_hdr hdr;
	__s32 status;
	__u32 abi_version;
	__u64 features; /* what the secure world knows */
	__u32 sw_pid;
	__u32 reserved;
};

TEEQ_PIN_SIZE(struct teeq_rpc_hello, 40);
TEEQ_PIN_SIZE(struct teeq_rpc_hello_reply, 40);

/*
 * Kernel mode. When teeq-sw serves the teeq driver (teeq-sw --kernel),
 * the same file service travels through the driver's privileged node
 * (/dev/teeqpriv0, or /dev/teepriv0) with the upstream supplicant
 * semantics instead of a region of our own: the secure world asks with
 * TEEQ_SWDEV_IOC_SUPP_CALL (uapi/teeq_swdev.h), teeq-supplicant takes the
 * request with TEEQ_IOC_SUPPL_RECV and answers with TEEQ_IOC_SUPPL_SEND
 * (uapi/teeq_ioctl.h), one at a time. The data windows are the
 * supplicant's memory, as upstream's are: it registers one buffer of
 * entries * window_size bytes on its node (TEEQ_IOC_SHM_REGISTER) and
 * names it in its answer to TEEQ_RPC_KFUNC_SHM; the secure world maps it
 * (TEEQ_SWDEV_IOC_SUPP_SHM) and from then on writes names and data into
 * window i at i * window_size, and reads replies from there, in place.
 * The driver checks every memref against that buffer; each side checks
 * every length it is given against the window, as above.
 *
 * func TEEQ_RPC_KFUNC_SHM, 2 parameters, the supplicant writes both:
 *   p0 VALUE_OUTPUT  a = the buffer's shm id, b = window_size,
 *                    c = entries (windows in the buffer; each a power of
 *                    two in the ranges above)
 *   p1 VALUE_OUTPUT  a = TEEQ_RPC_ABI_VERSION, b = TEEQ_RPC_FEAT_*
 *   A secure world (re)starting: the supplicant drops every handle an
 *   earlier one held. The secure world asks it before its first file
 *   request, and again whenever the driver says the id is no longer the
 *   attached supplicant's (ENOENT: another supplicant came).
 *
 * func TEEQ_RPC_KFUNC_FS, 3 parameters: one struct teeq_rpc_req and its
 * reply, field for field:
 *   p0 VALUE_INOUT   in (secure world): a = opcode | flags << 16,
 *                    b = handle, c = offset;
 *                    out (supplicant): a = status (the s32 as u32),
 *                    b = handle, c = value
 *   p1 VALUE_INOUT   in: a = len, b = name_len | name2_len << 16, c = 0;
 *                    out: a = 0, b = reply flags, c = 0
 *   p2 MEMREF_INOUT  the request's window: a = i * window_size,
 *                    b = window_size, c = the buffer's id;
 *                    out: b = the reply's len (bytes it wrote there)
 *
 * ret (either func): TEEQ_SUCCESS when the request was served (the file
 * service's own outcome is p0's status), TEEQ_ERROR_BAD_PARAMETERS for
 * parameters not in this form, TEEQ_ERROR_NOT_SUPPORTED for another func.
 */
#define TEEQ_RPC_KFUNC_SHM 1u
#define TEEQ_RPC_KFUNC_FS 2u
#define TEEQ_RPC_KFUNC_SHM_PARAMS 2u
#define TEEQ_RPC_KFUNC_FS_PARAMS 3u

#endif /* TEEQ_UAPI_RPC_H */
