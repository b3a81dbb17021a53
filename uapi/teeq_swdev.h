/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * /dev/teeqsw0: the teeq driver's secure-world endpoint. The secure world
 * (teeq-sw --kernel) attaches here, as a ublk or VDUSE server attaches to
 * its kernel device, and serves the clients of /dev/teeq0 through the ring
 * protocol of uapi/teeq_ring.h, unchanged.
 *
 *   teeq-sw                                  driver
 *   open /dev/teeqsw0 (root), ATTACH   --->  one attacher at a time
 *   poll: POLLIN when events wait
 *   EVENT                              <---  CTX_OPEN: a client context
 *     mmap the channel fd (the region:         needs the secure world; its
 *     header, queue pairs, heap)               channel fd and identity
 *   REPLY CTX_OPEN + an eventfd per    --->  SQ doorbells; the context may
 *     queue pair                               now submit
 *   ... calls: entries through the rings; each side rings the other only
 *       when it set TEEQ_RING_NEED_WAKEUP (the driver signals the
 *       eventfd; teeq-sw writes 8 bytes to the channel fd) ...
 *   EVENT BUF_REG + a dma-buf fd       <---  a registered or imported
 *   REPLY BUF_REG + wire_id            --->    buffer on its first use
 *   EVENT BUF_UNREG                    <---  the client released it
 *   EVENT CTX_CLOSE                    <---  the client closed or died
 *   REPLY CTX_CLOSE + sessions closed  --->
 *
 * One channel per client context, so the secure world's per-client state
 * (sessions, registered buffers, identity) is the context's and the ring
 * entries need no context field. The region's creator is the driver: the
 * secure side validates its header (channel_validate()) as it would a
 * host-mode client's. The region's heap (buffer id TEEQ_BUF_ID_HEAP) holds
 * the context's TEEQ_IOC_SHM_ALLOC buffers and the driver's copies of
 * temporary memrefs; other buffers get their wire id from the BUF_REG reply.
 *
 * Who is trusted with what. The driver is the only producer of submission
 * entries: it checks every client request against the context (sessions,
 * buffers, windows) before an entry reaches a ring, and sets the login
 * identity from the caller's credentials. It does not trust the secure
 * side either: a completion is matched by user_data against the calls in
 * flight, and a forged, duplicated, late or malformed one is refused and
 * counted (teeq_swdev_stats), never delivered. When the attacher closes
 * the node or dies, every call in flight ends with TEEQ_ERROR_TARGET_DEAD
 * (origin COMMS) and its contexts stay dead; a new attacher serves new
 * contexts.
 *
 * Version and features work as in teeq_ring.h: a different major is
 * refused, unknown feature bits are refused, reserved fields must be zero.
 */
#ifndef TEEQ_UAPI_SWDEV_H
#define TEEQ_UAPI_SWDEV_H

#include "teeq_ioctl.h"
#include "teeq_ring.h"

#define TEEQ_SWDEV_MAJOR 1u
#define TEEQ_SWDEV_MINOR 1u
#define TEEQ_SWDEV_VERSION ((TEEQ_SWDEV_MAJOR << 16) | TEEQ_SWDEV_MINOR)

/* Features an attacher may ask for. */
/* The attacher may call the normal world's supplicant
 * (TEEQ_SWDEV_IOC_SUPP_CALL, TEEQ_SWDEV_IOC_SUPP_SHM), served on
 * /dev/teeqpriv0 and /dev/teepriv0. */
#define TEEQ_SWDEV_FEAT_SUPP (1ull << 0)
#define TEEQ_SWDEV_FEAT_ALL (TEEQ_SWDEV_FEAT_SUPP)

/*
 * ATTACH, once per open file; a second attacher while one is attached
 * gets EBUSY. The driver answers with its version, the features granted
 * and the geometry of every context's channel.
 */
struct teeq_swdev_attach {
	__u32 version; /* in: TEEQ_SWDEV_VERSION; out: the driver's */
	__u32 flags; /* in: zero */
	__u64 features; /* in: wanted; out: granted */
	__u64 heap_size; /* out: bytes of each channel's heap */
	__u32 sq_entries; /* out: per submission ring */
	__u32 cq_entries; /* out: per completion ring */
	__u32 nr_qpairs; /* out: per channel */
	__u32 reserved0;
	__u64 reserved[3];
};

TEEQ_PIN_SIZE(struct teeq_swdev_attach, 64);
TEEQ_PIN(struct teeq_swdev_attach, features, 8);
TEEQ_PIN(struct teeq_swdev_attach, heap_size, 16);
TEEQ_PIN(struct teeq_swdev_attach, sq_entries, 24);

enum teeq_swdev_event_type {
	/*
	 * A client context needs the secure world. fd: the channel, to mmap
	 * from offset 0 for size bytes, MAP_SHARED, read and write; writing
	 * 8 bytes (any count) to it is the completion doorbell of all its
	 * queue pairs. nr_qpairs: queue pairs in the region. uid, gid, pid:
	 * the effective uid and gid and the process id of the context's
	 * opener (initial namespaces): the identity of its sessions' logins.
	 * Answered by a REPLY with an eventfd per queue pair; until then the
	 * client waits.
	 */
	TEEQ_SWDEV_EV_CTX_OPEN = 1,
	/*
	 * The context is gone (closed, or its process died). Every call of
	 * it has ended or is abandoned: the secure side closes its sessions,
	 * releases its buffers, unmaps the channel and closes its fds, then
	 * answers with a REPLY whose count is the sessions it closed.
	 */
	TEEQ_SWDEV_EV_CTX_CLOSE = 2,
	/*
	 * A buffer from outside the heap, on its first use in a call. fd: a
	 * dma-buf fd to mmap from offset 0 for size bytes, MAP_SHARED, with
	 * the access in flags. buf: the driver's handle, named in the REPLY,
	 * which carries the wire id the secure side will recognise.
	 */
	TEEQ_SWDEV_EV_BUF_REG = 3,
	/* No call uses wire_id any more, and none will: unmap it. No reply. */
	TEEQ_SWDEV_EV_BUF_UNREG = 4,
};

/* teeq_swdev_event.flags of BUF_REG */
#define TEEQ_SWDEV_BUF_READ (1u << 0) /* the secure side may read */
#define TEEQ_SWDEV_BUF_WRITE (1u << 1) /* the secure side may write */

/*
 * One event, from TEEQ_SWDEV_IOC_EVENT (EAGAIN when there is none; poll
 * says POLLIN when there is). An fd in it is the attacher's, close-on-exec.
 * Fields an event type does not name are zero (fd: -1).
 */
struct teeq_swdev_event {
	__u32 type; /* enum teeq_swdev_event_type */
	__u32 ctx; /* the context, never 0 */
	__s32 fd;
	__u32 buf;
	__u64 size;
	__u32 flags;
	__u32 wire_id;
	__u32 nr_qpairs;
	__u32 uid;
	__u32 gid;
	__u32 pid;
	__u64 reserved[2];
};

TEEQ_PIN_SIZE(struct teeq_swdev_event, 64);
TEEQ_PIN(struct teeq_swdev_event, fd, 8);
TEEQ_PIN(struct teeq_swdev_event, size, 16);
TEEQ_PIN(struct teeq_swdev_event, nr_qpairs, 32);
TEEQ_PIN(struct teeq_swdev_event, pid, 44);

/* teeq_swdev_reply.type besides the event types it answers: the secure
 * side dropped the context on its own (its rings broke); the driver ends
 * its calls with TEEQ_ERROR_COMMUNICATION and refuses new ones. */
#define TEEQ_SWDEV_REPLY_CTX_BROKEN 16

/*
 * The answer to an event (TEEQ_SWDEV_IOC_REPLY). The driver checks it
 * against what it asked: a reply to nothing, twice, or with fds that are
 * not eventfds gets EINVAL and changes nothing; a CTX_OPEN answered with a
 * status other than 0 fails the context's calls.
 */
struct teeq_swdev_reply {
	__u32 type; /* the event type answered, or TEEQ_SWDEV_REPLY_* */
	__u32 ctx;
	__u32 buf; /* BUF_REG: the event's buf */
	__s32 status; /* 0 or -errno */
	__u32 wire_id; /* BUF_REG: the buffer's id on the wire (>= 2) */
	__u32 count; /* CTX_CLOSE: sessions closed */
	/* CTX_OPEN: the submission doorbell (an eventfd) of each queue pair;
	 * the rest -1 */
	__s32 sq_fds[TEEQ_MAX_QPAIRS];
	__u64 reserved[2];
};

TEEQ_PIN_SIZE(struct teeq_swdev_reply, 104);
TEEQ_PIN(struct teeq_swdev_reply, wire_id, 16);
TEEQ_PIN(struct teeq_swdev_reply, sq_fds, 24);
TEEQ_PIN(struct teeq_swdev_reply, reserved, 88);

/*
 * A request to the normal world's supplicant (TEEQ_SWDEV_FEAT_SUPP), with
 * the upstream semantics of /dev/teepriv0 (and /dev/teeqpriv0): the
 * supplicant takes it with TEEQ_IOC_SUPPL_RECV and answers with
 * TEEQ_IOC_SUPPL_SEND. Blocks on the calling thread until answered, at
 * most timeout_ms (0: no limit), unless NOWAIT finds no supplicant there.
 *
 * Who writes what. The secure side writes func, num_params, flags,
 * timeout_ms and the parameters' inputs; the driver writes ret and the
 * outputs, which are the supplicant's, checked. The driver passes func
 * and the parameters to the supplicant as they are: what they mean is
 * between the two ends (teeq's file service: uapi/teeq_rpc.h).
 *
 * Parameters. Values (VALUE_*): a, b, c both ways as the direction says.
 * Memrefs (MEMREF_*) name memory of the supplicant's own, never the
 * secure side's: c is the id of a shared-memory object the attached
 * supplicant registered or allocated on its node (TEEQ_IOC_SHM_REGISTER,
 * TEEQ_IOC_SHM_ALLOC), a the offset into it, b the size, at most
 * TEEQ_SWDEV_SUPP_MEMREF_MAX; the secure side maps the object with
 * TEEQ_SWDEV_IOC_SUPP_SHM, so the bytes are written and read in place by
 * both ends and the driver copies none of them. The driver checks each
 * memref before the request is queued (an id that is not the attached
 * supplicant's: ENOENT; a window past the object, or larger than the
 * bound: EINVAL) and holds the object until the request ends. For an
 * OUTPUT or INOUT memref the supplicant's answer sets b, the bytes it
 * produced: the driver refuses (EINVAL to the supplicant's SEND, the
 * request still waiting for a good answer) a b larger than the window.
 *
 * ret: the supplicant's result (TEEQ_SUCCESS or an error), or
 * TEEQ_ERROR_COMMUNICATION when it went away meanwhile, or none is there
 * with NOWAIT, or it did not answer within timeout_ms (then the ioctl
 * also fails with ETIMEDOUT); its answer, should it come later, is
 * refused.
 */
struct teeq_swdev_supp_call {
	__u32 func; /* in */
	__u32 num_params; /* in: 0..TEEQ_NUM_PARAMS */
	__u32 ret; /* out */
	__u32 flags; /* in: TEEQ_SWDEV_SUPP_* */
	struct teeq_ioctl_param params[TEEQ_NUM_PARAMS]; /* in/out */
	__u32 timeout_ms; /* in: longest wait for the answer; 0: none */
	__u32 reserved; /* in: zero */
};

#define TEEQ_SWDEV_SUPP_NOWAIT (1u << 0)

/* The largest memref window of one supplicant request. */
#define TEEQ_SWDEV_SUPP_MEMREF_MAX (1u << 20)

TEEQ_PIN_SIZE(struct teeq_swdev_supp_call, 16 + 4 * 32 + 8);
TEEQ_PIN(struct teeq_swdev_supp_call, timeout_ms, 144);

/*
 * TEEQ_SWDEV_IOC_SUPP_SHM: the secure side's mapping of a shared-memory
 * object of the attached supplicant, so that supplicant requests carry
 * memrefs into it (see above). The secure side writes id; the driver
 * writes the rest. fd: a dma-buf to mmap MAP_SHARED, read and write, from
 * offset 0 for offset + size bytes, close-on-exec; the object's byte 0 is
 * at offset in it (a registered buffer need not start at a page). The
 * mapping holds the memory, whatever the supplicant does later; the id
 * stays valid in requests only while that supplicant is attached.
 * ENOENT: no supplicant, or the id is not its object; EINVAL: reserved
 * not zero.
 */
struct teeq_swdev_supp_shm {
	__s32 id; /* in */
	__s32 fd; /* out */
	__u64 size; /* out: the object's size in bytes */
	__u64 offset; /* out: where its byte 0 lies in the fd */
	__u64 reserved; /* in: zero */
};

TEEQ_PIN_SIZE(struct teeq_swdev_supp_shm, 32);
TEEQ_PIN(struct teeq_swdev_supp_shm, size, 8);
TEEQ_PIN(struct teeq_swdev_supp_shm, offset, 16);

/*
 * What the driver counts (TEEQ_SWDEV_IOC_STATS, any opener of the node).
 * Gauges say what exists now; the rest count since the module loaded.
 */
struct teeq_swdev_stats {
	__u64 attached; /* gauge: 1 while an attacher is there */
	__u64 attaches;
	__u64 contexts; /* gauge: client contexts open */
	__u64 channels; /* gauge: channels (regions) alive */
	__u64 sessions; /* gauge: sessions the contexts hold */
	__u64 shms; /* gauge: shared-memory objects */
	__u64 heap_pages; /* gauge: heap pages allocated, all channels */
	__u64 in_flight; /* gauge: calls submitted, not yet ended */
	__u64 calls; /* calls completed by the secure side */
	__u64 calls_dead; /* calls ended TARGET_DEAD or COMMUNICATION */
	__u64 cqe_forged; /* user_data names no call ever issued */
	__u64 cqe_duplicate; /* the call was already completed */
	__u64 cqe_late; /* the call's slot has moved on to a later call */
	__u64 cqe_malformed; /* fields a completion may not have */
	__u64 sq_doorbells; /* eventfd signals to the secure side */
	__u64 cq_doorbells; /* completion doorbells from it */
	__u64 sw_sessions_closed; /* sessions the secure side closed on
				     CTX_CLOSE */
	__u64 broken; /* channels whose rings broke */
	__u64 supp_requests;
	/* io_uring commands (uapi/teeq_uring.h) */
	__u64 uring_cmds; /* issued */
	__u64 uring_in_flight; /* gauge: issued, not yet completed */
	__u64 uring_cancels; /* TEEQ_URING_CMD_CANCEL commands */
	/* ended -ECANCELED because their ring or submitter went away */
	__u64 uring_orphaned;
	/* calls that found no credit and waited for one (an io_uring
	 * command in the driver's backlog, an ioctl asleep) */
	__u64 credit_waits;
	/* times submission entries were published to the secure side (one
	 * per ioctl call; one per io_uring_enter batch of commands) */
	__u64 sq_publishes;
	__u64 reserved[7];
};

TEEQ_PIN_SIZE(struct teeq_swdev_stats, 32 * 8);

#define TEEQ_SWDEV_IOC_BASE 0x40
#define TEEQ_SWDEV_IOC_ATTACH \
	_IOWR(TEEQ_IOC_MAGIC, TEEQ_SWDEV_IOC_BASE + 0, struct teeq_swdev_attach)
#define TEEQ_SWDEV_IOC_EVENT \
	_IOR(TEEQ_IOC_MAGIC, TEEQ_SWDEV_IOC_BASE + 1, struct teeq_swdev_event)
#define TEEQ_SWDEV_IOC_REPLY \
	_IOW(TEEQ_IOC_MAGIC, TEEQ_SWDEV_IOC_BASE + 2, struct teeq_swdev_reply)
#define TEEQ_SWDEV_IOC_SUPP_CALL                       \
	_IOWR(TEEQ_IOC_MAGIC, TEEQ_SWDEV_IOC_BASE + 3, \
	      struct teeq_swdev_supp_call)
#define TEEQ_SWDEV_IOC_STATS \
	_IOR(TEEQ_IOC_MAGIC, TEEQ_SWDEV_IOC_BASE + 4, struct teeq_swdev_stats)
#define TEEQ_SWDEV_IOC_SUPP_SHM                        \
	_IOWR(TEEQ_IOC_MAGIC, TEEQ_SWDEV_IOC_BASE + 5, \
	      struct teeq_swdev_supp_shm)

#endif /* TEEQ_UAPI_SWDEV_H */
