/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The teeq ring protocol: the contract between a normal world (libteeq in
 * host mode, or the teeq driver) and a secure world (teeq-sw).
 *
 * One shared region per channel holds, in this order:
 *
 *   struct teeq_region_hdr         at offset 0
 *   queue pairs                    one SQ and one CQ each, 64-byte aligned
 *   the payload heap               page aligned, to the end of the region
 *
 * Every location is an offset from the start of the region; nothing in the
 * region is a pointer. Memory references name a buffer id known to the
 * receiver plus an offset and a size inside that buffer.
 *
 * Ownership. The creator of the region (the normal world) writes the region
 * header and the immutable line of each ring header before it hands the
 * region to the secure world. After the handshake each side copies and
 * validates what it needs (channel_validate() in ring/channel.c) and never
 * reads those fields again: a peer that rewrites them later changes
 * nothing.
 *
 * Each ring is single-producer/single-consumer. The producer owns the tail
 * and the slots between head and tail being filled; the consumer owns the
 * head and the flags word. Indices are free-running 32-bit counters, masked
 * by (entries - 1) to find a slot. A side reads the peer's index with
 * acquire semantics and publishes its own with release semantics.
 *
 * Stamps. The first four bytes of every slot belong to the ring: after
 * filling the slot for index i the producer stores i + 1 there (release),
 * and only then, for a whole batch, the tail. A consumer knows slot i is
 * filled when its stamp reads i + 1 (acquire), so the entry's first cache
 * line is the only one that must cross between the sides; it reads the
 * tail only before sleeping. A freshly formatted ring holds the previous
 * lap's stamps (i + 1 - entries). Producers never write a stamp with the
 * entry's contents: copying a whole entry struct over a slot could show a
 * stale value that happens to match (ring_fill_slot() in ring/ring.h is
 * the copy that leaves the stamp alone).
 *
 * The peer is hostile: a side must read each entry once into a private
 * copy before validating it, mask every index, and treat a peer index that
 * moves backwards or more than the ring size as a broken channel.
 */
#ifndef TEEQ_UAPI_RING_H
#define TEEQ_UAPI_RING_H

#include "teeq_types.h"
#include "teeq_gp.h"

#define TEEQ_REGION_MAGIC 0x51454554u /* "TEEQ" in little-endian memory */

/* ABI version: major in the upper 16 bits, minor in the lower 16. A peer
 * refuses a different major; a higher minor only adds feature bits. */
#define TEEQ_ABI_MAJOR 1u
#define TEEQ_ABI_MINOR 1u
#define TEEQ_ABI_VERSION ((TEEQ_ABI_MAJOR << 16) | TEEQ_ABI_MINOR)

/*
 * Feature bits in teeq_region_hdr.features: what the creator uses. The
 * secure world refuses a region that sets a bit it does not know.
 */
/* Consumers set TEEQ_RING_NEED_WAKEUP before sleeping; producers ring the
 * doorbell only when it is set. Without it, every commit rings. */
#define TEEQ_FEAT_NEED_WAKEUP (1ull << 0)
/* TEEQ_OP_CANCEL is understood. */
#define TEEQ_FEAT_CANCEL (1ull << 1)
/* Memrefs may name buffers registered from outside the heap (fd, dma-buf). */
#define TEEQ_FEAT_EXT_SHM (1ull << 2)
/* Completions may carry TEEQ_CQE_F_* hints (ABI 1.1); without it their
 * flags stay zero. */
#define TEEQ_FEAT_CQE_HINTS (1ull << 3)
#define TEEQ_FEAT_ALL                                                   \
	(TEEQ_FEAT_NEED_WAKEUP | TEEQ_FEAT_CANCEL | TEEQ_FEAT_EXT_SHM | \
	 TEEQ_FEAT_CQE_HINTS)

#define TEEQ_MAX_QPAIRS 16
#define TEEQ_RING_MIN_ENTRIES 2u
#define TEEQ_RING_MAX_ENTRIES 32768u
#define TEEQ_CACHELINE 64u
#define TEEQ_PAGE_SIZE 4096u

/*
 * Ring header: four cache lines, so that the producer's and consumer's
 * stores never share a line, and the flags word, which the producer reads
 * after every commit but the consumer writes only around sleeping, does
 * not sit on the line the consumer writes for every release.
 */
struct teeq_ring_hdr {
	/*
	 * Line 0, written by the producer only.
	 * tail: index of the next slot the producer fills. Stored with release
	 * after the slots it covers are written; loaded by the consumer with
	 * acquire. Valid values satisfy head <= tail <= head + entries (mod
	 * 2^32); anything else means a broken producer.
	 */
	__u32 tail;
	__u32 prod_reserved[15];

	/*
	 * Line 1, written by the consumer only.
	 * head: index of the next slot the consumer reads. Stored with release
	 * after it is done with the slots before it; loaded by the producer
	 * with acquire. Valid values never move backwards and never pass tail.
	 */
	__u32 head;
	__u32 cons_reserved[15];

	/*
	 * Line 2, written by the consumer only, rarely.
	 * flags: TEEQ_RING_* bits. NEED_WAKEUP is set by a consumer about to
	 * sleep (then it re-checks tail) and cleared when it wakes; the
	 * producer reads it after publishing a tail. A producer that sees a
	 * bit it does not know treats the channel as broken.
	 */
	__u32 flags;
	__u32 flags_reserved[15];

	/*
	 * Line 3, written once by the region's creator before the handshake;
	 * each side keeps its own validated copy and ignores later changes.
	 * entries: slot count, a power of two in [TEEQ_RING_MIN_ENTRIES,
	 * TEEQ_RING_MAX_ENTRIES]; mask = entries - 1; entry_size: bytes per
	 * slot (sizeof(struct teeq_sqe) or sizeof(struct teeq_cqe) for call
	 * rings, any power of two from 64 to 4096 for other rings).
	 */
	__u32 entries;
	__u32 mask;
	__u32 entry_size;
	__u32 setup_reserved[13];
	/* The slots follow, entries * entry_size bytes. */
};

/* Consumer is (about to be) asleep: the producer must ring the doorbell. */
#define TEEQ_RING_NEED_WAKEUP (1u << 0)
#define TEEQ_RING_FLAGS_ALL (TEEQ_RING_NEED_WAKEUP)

TEEQ_PIN_SIZE(struct teeq_ring_hdr, 4 * TEEQ_CACHELINE);
TEEQ_PIN(struct teeq_ring_hdr, tail, 0);
TEEQ_PIN(struct teeq_ring_hdr, head, 64);
TEEQ_PIN(struct teeq_ring_hdr, flags, 128);
TEEQ_PIN(struct teeq_ring_hdr, entries, 192);
TEEQ_PIN(struct teeq_ring_hdr, mask, 196);
TEEQ_PIN(struct teeq_ring_hdr, entry_size, 200);

/*
 * Submission opcodes. Zero is not an opcode, so a zeroed slot is refused.
 * The secure world completes an unknown opcode with
 * TEEQ_ERROR_NOT_SUPPORTED / TEEQ_ORIGIN_TEE.
 */
enum teeq_opcode {
	TEEQ_OP_NOP = 1, /* complete at once with TEEQ_SUCCESS */
	TEEQ_OP_OPEN_SESSION = 2, /* uuid, login, params -> session */
	TEEQ_OP_INVOKE = 3, /* session, func, params */
	TEEQ_OP_CLOSE_SESSION = 4, /* session */
	TEEQ_OP_CANCEL = 5, /* session (0 = any), cancel_id of a pending op */
	TEEQ_OP_MAX = TEEQ_OP_CANCEL,
};

/*
 * Submission entry flags (teeq_sqe.flags). None is defined in ABI 1.0: the
 * secure world refuses any set bit with TEEQ_ERROR_NOT_SUPPORTED, so that a
 * later flag can never be silently ignored by an older peer.
 */
#define TEEQ_SQE_FLAGS_ALL 0u

/*
 * A parameter on the wire: 16 bytes, interpreted per its 4-bit type in
 * teeq_sqe.param_types.
 *   value:  a, b as in TEEC_Value; pad must be zero.
 *   memref: buffer id (0 = null memref, size must then be 0), size of the
 *           window in bytes, offset of the window in the buffer. The
 *           receiver checks offset + size <= buffer size without overflow.
 * A memref window is at most 4 GiB - 1 bytes; larger requests are refused
 * by the client with TEEQ_ERROR_EXCESS_DATA before they reach the ring.
 */
union teeq_param {
	struct {
		__u32 a;
		__u32 b;
		__u64 pad;
	} value;
	struct {
		__u32 buf_id;
		__u32 size;
		__u64 offset;
	} memref;
};

TEEQ_PIN_SIZE(union teeq_param, 16);

/*
 * Submission queue entry, 128 bytes, written by the normal world and read
 * once by the secure world into a private copy before any check.
 *
 * The first cache line holds everything a call without parameters 1..3
 * needs. The second line (params[1..3] and reserved) is part of the entry
 * only when param_types gives parameter 1, 2 or 3 a type: otherwise the
 * secure world does not read it and the normal world need not write it.
 * Everything that is part of the entry and reserved, or a NONE
 * parameter's bytes, must be zero; the secure world refuses other values
 * with TEEQ_ERROR_BAD_PARAMETERS.
 */
struct teeq_sqe {
	__u32 stamp; /* the ring's: index + 1, see "Stamps" above */
	__u8 opcode; /* enum teeq_opcode */
	__u8 flags; /* TEEQ_SQE_F_*; none defined yet */
	__u16 param_types; /* TEEQ_PARAM_TYPES(); each nibble a TEEQ_PARAM_* */
	/* INVOKE, CLOSE_SESSION, CANCEL: the session id returned by
	 * OPEN_SESSION. Unknown: TEEQ_ERROR_BAD_PARAMETERS / ORIGIN_TEE. */
	__u32 session;
	/* INVOKE: the trusted app's command id. OPEN_SESSION: login method
	 * (TEEQ_LOGIN_*). Others: zero. */
	__u32 func;
	/* Nonzero: an id the client may name in a later TEEQ_OP_CANCEL to
	 * cancel this operation while it is pending. Zero: not cancellable.
	 * For TEEQ_OP_CANCEL itself: the id of the operation to cancel. */
	__u32 cancel_id;
	/* OPEN_SESSION with a GROUP login: the group id. Others: zero. */
	__u32 login_data;
	/* Opaque to the secure world; echoed in the completion. */
	__u64 user_data;
	/* OPEN_SESSION: the trusted app's UUID. Others: zero. */
	struct teeq_uuid uuid;
	union teeq_param params[TEEQ_NUM_PARAMS];
	__u32 reserved[4];
};

/* Parameters that live in the second line: present when nonzero. */
#define TEEQ_SQE_LINE2_PARAMS 0xfff0u

/*
 * The bytes of a submission entry that are part of it, for its
 * param_types: the first line only, unless parameter 1, 2 or 3 has a
 * type. Both sides size their copies of an entry by this and nothing else.
 */
static inline __u32 teeq_sqe_size(__u16 param_types)
{
	return (param_types & TEEQ_SQE_LINE2_PARAMS) ?
		       (__u32)sizeof(struct teeq_sqe) :
		       TEEQ_CACHELINE;
}

TEEQ_PIN_SIZE(struct teeq_sqe, 128);
TEEQ_PIN(struct teeq_sqe, stamp, 0);
TEEQ_PIN(struct teeq_sqe, opcode, 4);
TEEQ_PIN(struct teeq_sqe, flags, 5);
TEEQ_PIN(struct teeq_sqe, param_types, 6);
TEEQ_PIN(struct teeq_sqe, session, 8);
TEEQ_PIN(struct teeq_sqe, func, 12);
TEEQ_PIN(struct teeq_sqe, cancel_id, 16);
TEEQ_PIN(struct teeq_sqe, login_data, 20);
TEEQ_PIN(struct teeq_sqe, user_data, 24);
TEEQ_PIN(struct teeq_sqe, uuid, 32);
TEEQ_PIN(struct teeq_sqe, params, 48);
TEEQ_PIN(struct teeq_sqe, params[1], TEEQ_CACHELINE);
TEEQ_PIN(struct teeq_sqe, reserved, 112);

/*
 * A parameter written back in a completion, 8 bytes.
 *   value:  a, b for VALUE_OUTPUT / VALUE_INOUT.
 *   memref: the size the trusted app produced (OUTPUT / INOUT), or needs
 *           when result is TEEQ_ERROR_SHORT_BUFFER. The normal world trusts
 *           it only up to the window it submitted, except to report a
 *           needed size.
 * Parameters that are inputs are zero.
 */
union teeq_param_out {
	struct {
		__u32 a;
		__u32 b;
	} value;
	struct {
		__u32 size;
		__u32 pad;
	} memref;
};

TEEQ_PIN_SIZE(union teeq_param_out, 8);

/*
 * Completion queue entry, 64 bytes, written by the secure world and read
 * once by the normal world into a private copy. The normal world matches
 * it to a pending call by user_data and refuses one it does not expect.
 */
struct teeq_cqe {
	__u32 stamp; /* the ring's: index + 1, see "Stamps" above */
	__u32 result; /* TEEQ_SUCCESS or TEEQ_ERROR_* */
	__u32 origin; /* TEEQ_ORIGIN_* of result */
	/* OPEN_SESSION success: the new session id (never 0). Else zero. */
	__u32 session;
	__u64 user_data; /* as submitted */
	union teeq_param_out params[TEEQ_NUM_PARAMS];
	/* TEEQ_CQE_F_*, only where the region has TEEQ_FEAT_CQE_HINTS: a
	 * hint, never part of the result. Else zero. */
	__u32 flags;
	__u32 reserved;
};

/*
 * The call ran on one of the secure world's call threads, not inline in
 * the worker that took it: a trusted app that may wait (a loaded one, in
 * its own process) or a call behind such a call of its session. A caller
 * that spins for a completion gains nothing by spinning through such a
 * session's calls: the CPU it holds is one the call itself may need.
 */
#define TEEQ_CQE_F_DEFERRED (1u << 0)
#define TEEQ_CQE_FLAGS_ALL (TEEQ_CQE_F_DEFERRED)

TEEQ_PIN_SIZE(struct teeq_cqe, 64);
TEEQ_PIN(struct teeq_cqe, stamp, 0);
TEEQ_PIN(struct teeq_cqe, result, 4);
TEEQ_PIN(struct teeq_cqe, origin, 8);
TEEQ_PIN(struct teeq_cqe, session, 12);
TEEQ_PIN(struct teeq_cqe, user_data, 16);
TEEQ_PIN(struct teeq_cqe, params, 24);
TEEQ_PIN(struct teeq_cqe, flags, 56);

/*
 * Where one queue pair lives. Both rings are 64-byte aligned, do not
 * overlap each other, the region header or the heap, and lie inside the
 * region. cq_entries >= sq_entries so that a client bounding its in-flight
 * calls by sq_entries (its credits) can never overflow the CQ.
 */
struct teeq_qpair_desc {
	__u64 sq_off;
	__u64 cq_off;
	__u32 sq_entries;
	__u32 cq_entries;
	__u64 reserved;
};

TEEQ_PIN_SIZE(struct teeq_qpair_desc, 32);

/*
 * Region header at offset 0, written by the creator before the handshake.
 * region_size is the size the creator mapped; the secure world checks it
 * against the size of what it was actually given.
 */
struct teeq_region_hdr {
	__u32 magic; /* TEEQ_REGION_MAGIC */
	__u32 abi_version; /* TEEQ_ABI_VERSION */
	__u64 features; /* TEEQ_FEAT_* */
	__u64 region_size;
	__u32 hdr_size; /* sizeof(struct teeq_region_hdr) */
	__u32 nr_qpairs; /* 1..TEEQ_MAX_QPAIRS */
	__u32 sqe_size; /* sizeof(struct teeq_sqe) */
	__u32 cqe_size; /* sizeof(struct teeq_cqe) */
	__u64 heap_off; /* page aligned; heap_off + heap_size <= region */
	__u64 heap_size; /* may be zero */
	__u64 reserved;
	struct teeq_qpair_desc qp[TEEQ_MAX_QPAIRS];
};

TEEQ_PIN_SIZE(struct teeq_region_hdr, 64 + 32 * TEEQ_MAX_QPAIRS);
TEEQ_PIN(struct teeq_region_hdr, features, 8);
TEEQ_PIN(struct teeq_region_hdr, region_size, 16);
TEEQ_PIN(struct teeq_region_hdr, hdr_size, 24);
TEEQ_PIN(struct teeq_region_hdr, nr_qpairs, 28);
TEEQ_PIN(struct teeq_region_hdr, sqe_size, 32);
TEEQ_PIN(struct teeq_region_hdr, heap_off, 40);
TEEQ_PIN(struct teeq_region_hdr, heap_size, 48);
TEEQ_PIN(struct teeq_region_hdr, qp, 64);

/*
 * Buffer id 1 always names the channel's own heap; ids of buffers
 * registered from outside the heap are handed out by the receiver at
 * registration time. Id 0 is the null memref.
 */
#define TEEQ_BUF_ID_NULL 0u
#define TEEQ_BUF_ID_HEAP 1u

#endif /* TEEQ_UAPI_RING_H */
