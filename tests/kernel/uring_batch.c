// SPDX-License-Identifier: MIT
/*
 * io_uring commands on /dev/teeq0: sessions opened, used and closed by
 * uring_cmd, and one io_uring_enter carrying a batch of mixed commands
 * (waits of different lengths, values, temporary and registered memrefs,
 * a SHA-256) whose completions come out of order and are matched by
 * user_data. Each completion finds its command's outputs already written
 * back. Refused commands get the ioctl's errors; the ABI's version and
 * features are what uapi/teeq_uring.h says.
 */
#include "tests/kernel/kuring.h"

#define KU_WAITS 8
#define KU_VALUES 16
#define KU_COPIES 8
#define KU_DIGESTS 4
#define KU_INVERTS 4
#define KU_BATCH (KU_WAITS + KU_VALUES + KU_COPIES + KU_DIGESTS + KU_INVERTS)

enum ku_kind { KU_WAIT, KU_VALUE, KU_COPY, KU_DIGEST, KU_INVERT };

struct ku_cmd {
	enum ku_kind kind;
	struct ku_arg arg;
	char in[32], out[32];
	int done;
};

static const uint8_t ku_abc_sha256[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
	0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
	0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
};

static void ku_abi(int fd)
{
	struct teeq_ioctl_uring_info info = { 0 };

	CHECK_EQ(ioctl(fd, TEEQ_IOC_URING_INFO, &info), 0);
	CHECK_EQ(info.version >> 16, TEEQ_URING_MAJOR);
	CHECK_EQ(info.features, TEEQ_URING_FEAT_ALL);
	/* ring_entries 64, one slot kept for cancellations */
	CHECK_EQ(info.qp_credits, 63);
	CHECK_EQ(info.qpairs, 1);
	CHECK_EQ(info.reserved[0] | info.reserved[1], 0);
	info.flags = 1;
	CHECK(ioctl(fd, TEEQ_IOC_URING_INFO, &info) < 0 && errno == EINVAL);
}

/* Sessions by uring_cmd: opened in one batch. */
static void ku_open3(struct io_uring *ring, int fd, uint32_t s[3])
{
	static const struct kt_uuid_form *tas[3] = { &kt_noop, &kt_echo,
						     &kt_digest };
	struct ku_arg a[3];
	int i, seen = 0;

	for (i = 0; i < 3; i++)
		ku_prep_open(ku_sqe(ring), fd, &a[i], tas[i], 100 + i);
	CHECK_EQ(io_uring_submit(ring), 3);
	for (i = 0; i < 3; i++) {
		struct ku_cqe c = ku_reap(ring, 10000);
		int k = (int)c.user_data - 100;

		CHECK(k >= 0 && k < 3 && !(seen & (1 << k)));
		seen |= 1 << k;
		CHECK_EQ(c.res, 0);
		CHECK_EQ(a[k].u.open.ret, TEEQ_SUCCESS);
		CHECK(a[k].u.open.session);
		s[k] = a[k].u.open.session;
	}
}

static void ku_prep(struct io_uring *ring, int fd, struct ku_cmd *c, int i,
		    const uint32_t s[3], int shm_id)
{
	struct teeq_ioctl_param p[3];
	struct io_uring_sqe *sqe = ku_sqe(ring);

	memset(c, 0, sizeof(*c));
	if (i < KU_WAITS) {
		/* the first ones wait longest: they complete last */
		c->kind = KU_WAIT;
		p[0] = kt_value(KT_VIN, 40 + 15 * (KU_WAITS - i), 0);
		ku_prep_invoke(sqe, fd, &c->arg, s[0], TEEQ_NOOP_CMD_WAIT, p, 1,
			       i);
	} else if ((i -= KU_WAITS) < KU_VALUES) {
		c->kind = KU_VALUE;
		p[0] = kt_value(KT_VIN, i, 2 * i);
		p[1] = kt_value(KT_VOUT, 0, 0);
		p[2] = kt_value(KT_VINOUT, 1000, 2000);
		ku_prep_invoke(sqe, fd, &c->arg, s[1], TEEQ_ECHO_CMD_VALUES, p,
			       3, KU_WAITS + i);
	} else if ((i -= KU_VALUES) < KU_COPIES) {
		c->kind = KU_COPY;
		snprintf(c->in, sizeof(c->in), "copy number %d", i);
		p[0] = kt_temp(KT_MIN, c->in, strlen(c->in));
		p[1] = kt_temp(KT_MOUT, c->out, sizeof(c->out));
		ku_prep_invoke(sqe, fd, &c->arg, s[1], TEEQ_ECHO_CMD_COPY, p, 2,
			       KU_WAITS + KU_VALUES + i);
	} else if ((i -= KU_COPIES) < KU_DIGESTS) {
		c->kind = KU_DIGEST;
		memcpy(c->in, "abc", 3);
		p[0] = kt_temp(KT_MIN, c->in, 3);
		p[1] = kt_temp(KT_MOUT, c->out, 32);
		ku_prep_invoke(sqe, fd, &c->arg, s[2], TEEQ_DIGEST_CMD_SHA256,
			       p, 2, KU_WAITS + KU_VALUES + KU_COPIES + i);
	} else {
		i -= KU_DIGESTS;
		c->kind = KU_INVERT;
		p[0] = kt_memref(KT_MINOUT, shm_id, 256 * i, 256);
		ku_prep_invoke(sqe, fd, &c->arg, s[1], TEEQ_ECHO_CMD_INVERT, p,
			       1, KU_BATCH - KU_INVERTS + i);
	}
}

/* What the completion of @c must have found written back. */
static void ku_check(struct ku_cmd *c, int i, const uint8_t *shm)
{
	const struct teeq_ioctl_invoke_arg *a = &c->arg.u.invoke;
	int j;

	CHECK_EQ(a->ret, TEEQ_SUCCESS);
	CHECK_EQ(a->ret_origin, TEEQ_ORIGIN_TRUSTED_APP);
	switch (c->kind) {
	case KU_WAIT:
		break;
	case KU_VALUE:
		i -= KU_WAITS;
		CHECK_EQ(a->params[1].a, i);
		CHECK_EQ(a->params[1].b, 2 * i);
		CHECK_EQ(a->params[2].a, 1000 + i);
		CHECK_EQ(a->params[2].b, 2000 + 2 * i);
		break;
	case KU_COPY:
		CHECK_EQ(a->params[1].b, strlen(c->in));
		CHECK_MEM(c->out, c->in, strlen(c->in));
		break;
	case KU_DIGEST:
		CHECK_EQ(a->params[1].b, 32);
		CHECK_MEM(c->out, ku_abc_sha256, 32);
		break;
	case KU_INVERT:
		i -= KU_BATCH - KU_INVERTS;
		for (j = 0; j < 256; j++)
			CHECK_EQ(shm[256 * i + j], (uint8_t) ~(uint8_t)(i + j));
		break;
	}
}

static void ku_mixed_batch(struct io_uring *ring, int fd, const uint32_t s[3])
{
	static struct ku_cmd cmds[KU_BATCH];
	struct teeq_swdev_stats st0, st1;
	int shm_id, shm_fd, i, n, in_order = 1, last = -1;
	uint8_t *shm;

	shm_fd = kt_shm_alloc(fd, 4096, &shm_id, (void **)&shm);
	for (i = 0; i < 4096; i++)
		shm[i] = (uint8_t)(i / 256 + i % 256);
	kt_stats(&st0);
	for (i = 0; i < KU_BATCH; i++)
		ku_prep(ring, fd, &cmds[i], i, s, shm_id);
	/* one io_uring_enter for the lot */
	CHECK_EQ(io_uring_submit(ring), KU_BATCH);
	for (n = 0; n < KU_BATCH; n++) {
		struct ku_cqe c = ku_reap(ring, 10000);

		CHECK(c.user_data < KU_BATCH && !cmds[c.user_data].done);
		CHECK_EQ(c.res, 0);
		cmds[c.user_data].done = 1;
		ku_check(&cmds[c.user_data], (int)c.user_data, shm);
		if ((int)c.user_data < last)
			in_order = 0;
		last = (int)c.user_data;
	}
	kt_stats(&st1);
	/* the waits, submitted first, came last */
	CHECK(!in_order);
	CHECK_EQ(st1.uring_cmds - st0.uring_cmds, KU_BATCH);
	CHECK_EQ(st1.calls - st0.calls, KU_BATCH);
	CHECK_EQ(st1.uring_in_flight, 0);
	printf("%d commands in one io_uring_enter: published %llu times, "
	       "%llu doorbells to teeq-sw, %llu from it\n",
	       KU_BATCH,
	       (unsigned long long)(st1.sq_publishes - st0.sq_publishes),
	       (unsigned long long)(st1.sq_doorbells - st0.sq_doorbells),
	       (unsigned long long)(st1.cq_doorbells - st0.cq_doorbells));
	munmap(shm, 4096);
	close(shm_fd);
}

/* Refused as the ioctl refuses, nothing queued. */
static void ku_refused(struct io_uring *ring, int fd, uint32_t session)
{
	struct teeq_uring_cmd bad = { .arg = 0, .arg_len = 0, .flags = 1 };
	struct ku_arg a;
	struct io_uring_sqe *sqe;
	struct ku_cqe c;
	int i;

	ku_prep_cmd(ku_sqe(ring), fd, 0x1234, 0, 0, 1); /* unknown */
	ku_prep_invoke(ku_sqe(ring), fd, &a, session, 0, NULL, 0, 2);
	sqe = ku_sqe(ring); /* flags set */
	ku_prep_cmd(sqe, fd, TEEQ_URING_CMD_INVOKE, 0, 0, 3);
	memcpy(sqe->cmd, &bad, sizeof(bad));
	/* too short for the argument struct; unmapped */
	ku_prep_cmd(ku_sqe(ring), fd, TEEQ_URING_CMD_INVOKE, (uintptr_t)&a.u, 4,
		    4);
	ku_prep_cmd(ku_sqe(ring), fd, TEEQ_URING_CMD_INVOKE, 4096,
		    sizeof(a.u.invoke), 5);
	/* a session that is not ours, a cancel of nothing */
	ku_prep_close(ku_sqe(ring), fd, 0x7ffffff0, 6);
	ku_prep_cancel(ku_sqe(ring), fd, 0xdead, 7);
	CHECK_EQ(io_uring_submit(ring), 7);
	for (i = 0; i < 7; i++) {
		c = ku_reap(ring, 10000);
		switch (c.user_data) {
		case 1:
		case 3:
		case 4:
		case 6:
			CHECK_EQ(c.res, -EINVAL);
			break;
		case 2: /* valid: the session is open */
			CHECK_EQ(c.res, 0);
			break;
		case 5:
			CHECK_EQ(c.res, -EFAULT);
			break;
		case 7:
			CHECK_EQ(c.res, -ENOENT);
			break;
		default:
			CHECK(!"a completion nobody asked for");
		}
	}
}

/* With 32-byte CQEs, the result and its origin come in the completion. */
static void ku_cqe32(int fd, uint32_t session)
{
	struct teeq_ioctl_param p[3] = { kt_value(KT_VIN, 5, 6),
					 kt_value(KT_VOUT, 0, 0),
					 kt_value(KT_VINOUT, 7, 8) };
	struct io_uring ring;
	struct ku_arg a[2];
	struct ku_cqe c;

	ku_ring(&ring, 8, IORING_SETUP_SQE128 | IORING_SETUP_CQE32);
	ku_prep_invoke(ku_sqe(&ring), fd, &a[0], session, TEEQ_ECHO_CMD_VALUES,
		       p, 3, 11);
	ku_prep_invoke(ku_sqe(&ring), fd, &a[1], session, 99, NULL, 0, 12);
	CHECK_EQ(io_uring_submit(&ring), 2);
	c = ku_reap(&ring, 10000);
	if (c.user_data == 11) {
		CHECK_EQ(c.res, 0);
		CHECK_EQ(c.big0,
			 TEEQ_SUCCESS | (uint64_t)TEEQ_ORIGIN_TRUSTED_APP
						<< 32);
		c = ku_reap(&ring, 10000);
	} else {
		CHECK_EQ(ku_reap(&ring, 10000).big0,
			 TEEQ_SUCCESS | (uint64_t)TEEQ_ORIGIN_TRUSTED_APP
						<< 32);
	}
	CHECK_EQ(c.user_data, 12);
	CHECK_EQ(c.res, 0);
	CHECK_EQ(a[1].u.invoke.ret, TEEQ_ERROR_NOT_SUPPORTED);
	CHECK_EQ(c.big0,
		 a[1].u.invoke.ret | (uint64_t)a[1].u.invoke.ret_origin << 32);
	CHECK_EQ(a[0].u.invoke.params[2].a, 12);
	io_uring_queue_exit(&ring);
}

int main(void)
{
	struct io_uring ring;
	struct ku_arg a;
	struct ku_cqe c;
	uint32_t s[3];
	int fd;

	kt_sw_start();
	fd = kt_open();
	ku_abi(fd);
	ku_ring(&ring, 64, 0);
	ku_open3(&ring, fd, s);
	ku_mixed_batch(&ring, fd, s);
	ku_refused(&ring, fd, s[0]);
	ku_cqe32(fd, s[1]);

	/* closed by uring_cmd: the id is stale for both paths after */
	ku_prep_close(ku_sqe(&ring), fd, s[1], 9);
	CHECK_EQ(io_uring_submit(&ring), 1);
	c = ku_reap(&ring, 10000);
	CHECK_EQ(c.user_data, 9);
	CHECK_EQ(c.res, 0);
	ku_prep_invoke(ku_sqe(&ring), fd, &a, s[1], TEEQ_ECHO_CMD_VALUES, NULL,
		       0, 10);
	CHECK_EQ(io_uring_submit(&ring), 1);
	c = ku_reap(&ring, 10000);
	CHECK_EQ(c.res, -EINVAL);
	CHECK_EQ(kt_close_session(fd, s[1]), -EINVAL);
	CHECK_EQ(kt_close_session(fd, s[0]), 0);
	CHECK_EQ(kt_close_session(fd, s[2]), 0);
	io_uring_queue_exit(&ring);
	close(fd);
	return T_PASS;
}
