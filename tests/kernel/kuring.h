/* SPDX-License-Identifier: MIT */
/*
 * io_uring commands on /dev/teeq0 (uapi/teeq_uring.h) for the kernel
 * suite, with Debian's liburing: an argument block per command (the
 * ioctl's argument struct and its parameters, which the driver reads at
 * issue and writes back before the completion), and the preparation of
 * each command into an SQE.
 */
#ifndef TEEQ_TESTS_KURING_H
#define TEEQ_TESTS_KURING_H

#include "tests/kernel/kfixture.h"
#include "uapi/teeq_uring.h"

#include <liburing.h>

/* One command's argument: the ioctl's struct with room for its params. */
struct ku_arg {
	union {
		struct teeq_ioctl_invoke_arg invoke;
		struct teeq_ioctl_open_session_arg open;
		unsigned char raw[KT_ARG_MAX];
	} u;
	uint32_t len;
};

static inline void ku_prep_cmd(struct io_uring_sqe *sqe, int fd,
			       uint32_t cmd_op, uint64_t arg, uint32_t arg_len,
			       uint64_t user_data)
{
	struct teeq_uring_cmd cmd = { .arg = arg, .arg_len = arg_len };

	io_uring_prep_rw(IORING_OP_URING_CMD, sqe, fd, NULL, 0, 0);
	sqe->cmd_op = cmd_op;
	sqe->user_data = user_data;
	memcpy(sqe->cmd, &cmd, sizeof(cmd));
}

/* An SQE, submitting what is queued when the SQ ring is full. */
static inline struct io_uring_sqe *ku_sqe(struct io_uring *ring)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (!sqe) {
		CHECK(io_uring_submit(ring) > 0);
		sqe = io_uring_get_sqe(ring);
	}
	CHECK(sqe);
	return sqe;
}

static inline void ku_prep_invoke(struct io_uring_sqe *sqe, int fd,
				  struct ku_arg *a, uint32_t session,
				  uint32_t func,
				  const struct teeq_ioctl_param *params,
				  uint32_t n, uint64_t user_data)
{
	memset(a, 0, sizeof(*a));
	a->u.invoke.func = func;
	a->u.invoke.session = session;
	a->u.invoke.num_params = n;
	if (n)
		memcpy(a->u.invoke.params, params, n * sizeof(*params));
	a->len = sizeof(a->u.invoke) + n * sizeof(*params);
	ku_prep_cmd(sqe, fd, TEEQ_URING_CMD_INVOKE, (uintptr_t)&a->u, a->len,
		    user_data);
}

static inline void ku_prep_open(struct io_uring_sqe *sqe, int fd,
				struct ku_arg *a, const struct kt_uuid_form *ta,
				uint64_t user_data)
{
	memset(a, 0, sizeof(*a));
	kt_uuid(ta, a->u.open.uuid);
	a->u.open.clnt_login = TEEQ_IOCTL_LOGIN_PUBLIC;
	a->len = sizeof(a->u.open);
	ku_prep_cmd(sqe, fd, TEEQ_URING_CMD_OPEN_SESSION, (uintptr_t)&a->u,
		    a->len, user_data);
}

static inline void ku_prep_close(struct io_uring_sqe *sqe, int fd,
				 uint32_t session, uint64_t user_data)
{
	ku_prep_cmd(sqe, fd, TEEQ_URING_CMD_CLOSE_SESSION, session, 0,
		    user_data);
}

static inline void ku_prep_cancel(struct io_uring_sqe *sqe, int fd,
				  uint64_t target, uint64_t user_data)
{
	ku_prep_cmd(sqe, fd, TEEQ_URING_CMD_CANCEL, target, 0, user_data);
}

/* A completion, copied out of the ring. */
struct ku_cqe {
	uint64_t user_data;
	int32_t res;
	uint32_t flags;
	uint64_t big0; /* big_cqe[0], on a ring with IORING_SETUP_CQE32 */
};

/* Waits for one completion (at most @ms) and consumes it; the caller's
 * line is named if none comes. */
#define ku_reap(ring, ms) ku_reap_at(ring, ms, __LINE__)

static inline struct ku_cqe ku_reap_at(struct io_uring *ring, int ms, int line)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000,
					.tv_nsec = (ms % 1000) * 1000000ll };
	struct io_uring_cqe *cqe;
	struct ku_cqe copy;
	int ret;

	do
		ret = io_uring_wait_cqe_timeout(ring, &cqe, &ts);
	while (ret == -EINTR);
	if (ret) {
		struct teeq_swdev_stats st;

		kt_stats(&st);
		fprintf(stderr,
			"line %d: no completion in %d ms (%d): %llu calls and "
			"%llu commands in flight\n",
			line, ms, ret, (unsigned long long)st.in_flight,
			(unsigned long long)st.uring_in_flight);
		exit(T_FAIL);
	}
	copy.user_data = cqe->user_data;
	copy.res = cqe->res;
	copy.flags = cqe->flags;
	copy.big0 = ring->flags & IORING_SETUP_CQE32 ? cqe->big_cqe[0] : 0;
	io_uring_cqe_seen(ring, cqe);
	return copy;
}

/* No completion within @ms. */
static inline int ku_quiet(struct io_uring *ring, int ms)
{
	struct __kernel_timespec ts = { .tv_sec = ms / 1000,
					.tv_nsec = (ms % 1000) * 1000000ll };
	struct io_uring_cqe *cqe;

	return io_uring_wait_cqe_timeout(ring, &cqe, &ts) == -ETIME;
}

static inline void ku_ring(struct io_uring *ring, unsigned int entries,
			   unsigned int flags)
{
	struct io_uring_params p = { .flags = flags,
				     .cq_entries = 4 * entries };

	if (entries * 4 > 4096)
		p.cq_entries = 4096;
	p.flags |= IORING_SETUP_CQSIZE;
	CHECK_EQ(io_uring_queue_init_params(entries, ring, &p), 0);
}

#endif /* TEEQ_TESTS_KURING_H */
