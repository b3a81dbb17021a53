/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * Batched submission to /dev/teeq0 through io_uring: IORING_OP_URING_CMD
 * on the client node, the same calls as the ioctls of uapi/teeq_ioctl.h
 * without a system call or a wait per call. A client prepares many
 * commands, submits them with one io_uring_enter and reaps their
 * completions, matched by the SQE's user_data, in any order:
 *
 *   sqe = io_uring_get_sqe(ring);
 *   io_uring_prep_rw(IORING_OP_URING_CMD, sqe, teeq_fd, NULL, 0, 0);
 *   sqe->cmd_op = TEEQ_URING_CMD_INVOKE;
 *   sqe->user_data = tag;
 *   *(struct teeq_uring_cmd *)sqe->cmd = (struct teeq_uring_cmd){
 *           .arg = (uintptr_t)&invoke_arg, .arg_len = len };
 *   ... more ...
 *   io_uring_submit_and_wait(ring, n);
 *
 * The argument a command points at is the ioctl's own: the struct
 * teeq_ioctl_invoke_arg or teeq_ioctl_open_session_arg followed by its
 * num_params parameters, checked as the ioctl checks it. It is read when
 * the command is issued and written back (result, origin, session,
 * output parameters, temporary memrefs' bytes) before the completion is
 * posted, so it and the memory it names must stay valid until then.
 *
 * Who does what:
 *   - A command is queued to the secure world without waiting. A queue
 *     pair keeps up to qp_credits calls there at once
 *     (teeq_ioctl_uring_info); further ones wait in the driver, in order,
 *     and go as calls end: never TEEQ_ERROR_BUSY, and never a blocked
 *     io_uring_enter.
 *   - The commands of one io_uring_enter are published to the secure
 *     world together, after the last of them is issued: when teeq-sw
 *     sleeps it gets one doorbell for the lot.
 *   - A command whose context first needs the secure world's answer (the
 *     context's first call, a registered buffer's first use) is issued
 *     from io_uring's worker threads, as io_uring does for any command
 *     that has to wait; its order against the others is then not kept,
 *     and a CANCEL may not find it before it gets there.
 *   - IORING_OP_ASYNC_CANCEL does not reach these commands on kernels
 *     before 6.7, which have no cancel hook for them: TEEQ_URING_CMD_CANCEL
 *     does. A command whose ring is closed, or whose submitter exits or
 *     execs, with the call in flight ends -ECANCELED within a tenth of a
 *     second: io_uring's teardown never waits on the secure world.
 *
 * Completion (struct io_uring_cqe, matched by user_data):
 *   res 0         the call ended with a GlobalPlatform result, written to
 *                 the argument's ret and ret_origin with its outputs
 *                 (TEEQ_ERROR_TARGET_DEAD, origin COMMS, when teeq-sw
 *                 died; TEEQ_ERROR_CANCEL, origin COMMS, when a CANCEL
 *                 ended it before it reached the secure world). On a ring
 *                 set up with IORING_SETUP_CQE32, big_cqe[0] also holds
 *                 ret | (__u64)ret_origin << 32.
 *   res -errno    refused, as the ioctl would refuse it (EINVAL, EFAULT,
 *                 ENOMEM, EPERM), nothing queued; or -ECANCELED: the
 *                 ring or its submitter went away with the call in
 *                 flight, nothing was written back (the secure world was
 *                 asked to cancel it; what it held is released when it
 *                 ends).
 *
 * Versions and features work as in teeq_ring.h: TEEQ_IOC_URING_INFO
 * (present when TEEQ_IOC_VERSION reports TEEQ_IMPL_CAP_URING_CMD) gives
 * the driver's version and features; a client refuses a different major.
 * Unknown commands, flags and reserved fields that are not zero are
 * refused with -EINVAL, never ignored.
 */
#ifndef TEEQ_UAPI_URING_H
#define TEEQ_UAPI_URING_H

#include "teeq_ioctl.h"

#define TEEQ_URING_MAJOR 1u
#define TEEQ_URING_MINOR 0u
#define TEEQ_URING_VERSION ((TEEQ_URING_MAJOR << 16) | TEEQ_URING_MINOR)

/* With IORING_SETUP_CQE32, a completion's big_cqe[0] carries the result
 * and origin (res 0 only). */
#define TEEQ_URING_FEAT_CQE32_RESULT (1ull << 0)
/* TEEQ_URING_CMD_CANCEL: cancel by user_data. */
#define TEEQ_URING_FEAT_CANCEL (1ull << 1)
#define TEEQ_URING_FEAT_ALL \
	(TEEQ_URING_FEAT_CQE32_RESULT | TEEQ_URING_FEAT_CANCEL)

/*
 * The command, in the SQE's cmd bytes (16 of them, so an ordinary 64-byte
 * SQE holds it; with IORING_SETUP_SQE128 the bytes past it are ignored).
 *
 *   OPEN_SESSION, INVOKE: arg is the address of the ioctl's argument
 *       struct with its parameters (what teeq_ioctl_buf_data.buf_ptr
 *       names), arg_len its length (buf_len), at most TEEQ_MAX_ARG_SIZE.
 *   CLOSE_SESSION: arg is the session id; arg_len 0. The session is
 *       closed for the client at once, as with the ioctl.
 *   CANCEL: arg is the user_data of the commands to cancel; arg_len 0.
 *       Every command of this context in flight with that user_data is
 *       cancelled: one still waiting in the driver ends at once with
 *       TEEQ_ERROR_CANCEL (origin COMMS); one in the secure world is
 *       cancelled there, as TEEQ_IOC_CANCEL would, and its completion
 *       says how it ended. res: how many commands were found (>= 1), or
 *       -ENOENT. The CANCEL completes without waiting for them.
 */
struct teeq_uring_cmd {
	__u64 arg;
	__u32 arg_len;
	__u32 flags; /* TEEQ_URING_F_*: none in 1.0, zero */
};

TEEQ_PIN_SIZE(struct teeq_uring_cmd, 16);
TEEQ_PIN(struct teeq_uring_cmd, arg_len, 8);
TEEQ_PIN(struct teeq_uring_cmd, flags, 12);

#define TEEQ_URING_CMD_BASE 0x31
#define TEEQ_URING_CMD_OPEN_SESSION \
	_IOWR(TEEQ_IOC_MAGIC, TEEQ_URING_CMD_BASE + 0, struct teeq_uring_cmd)
#define TEEQ_URING_CMD_INVOKE \
	_IOWR(TEEQ_IOC_MAGIC, TEEQ_URING_CMD_BASE + 1, struct teeq_uring_cmd)
#define TEEQ_URING_CMD_CLOSE_SESSION \
	_IOW(TEEQ_IOC_MAGIC, TEEQ_URING_CMD_BASE + 2, struct teeq_uring_cmd)
#define TEEQ_URING_CMD_CANCEL \
	_IOW(TEEQ_IOC_MAGIC, TEEQ_URING_CMD_BASE + 3, struct teeq_uring_cmd)

/* What the driver's uring commands are (TEEQ_IOC_URING_INFO). */
struct teeq_ioctl_uring_info {
	__u32 version; /* out: TEEQ_URING_VERSION */
	__u32 flags; /* in: zero */
	__u64 features; /* out: TEEQ_URING_FEAT_* */
	/* out: a context has qpairs queue pairs, and a command takes the
	 * one of the CPU that issues it; each keeps up to qp_credits calls
	 * in the secure world at once, the rest wait in the driver */
	__u32 qp_credits;
	__u32 qpairs;
	__u64 reserved[2]; /* out: zero */
};

TEEQ_PIN_SIZE(struct teeq_ioctl_uring_info, 40);
TEEQ_PIN(struct teeq_ioctl_uring_info, features, 8);
TEEQ_PIN(struct teeq_ioctl_uring_info, qp_credits, 16);

#define TEEQ_IOC_URING_INFO                         \
	_IOWR(TEEQ_IOC_MAGIC, TEEQ_IOC_BASE + 0x30, \
	      struct teeq_ioctl_uring_info)

#endif /* TEEQ_UAPI_URING_H */
