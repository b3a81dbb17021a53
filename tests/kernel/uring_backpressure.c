// SPDX-License-Identifier: MIT
/*
 * A full ring to the secure world: commands beyond the credits wait in the
 * driver, never TEEQ_ERROR_BUSY, and never hold up io_uring_enter.
 *   - 63 waits hold every credit (on 8 sessions, whose calls run side by
 *     side); 10 more commands are submitted and io_uring_enter returns at
 *     once; they complete only after waits did, all successfully.
 *   - 2,000 quick commands in one io_uring_enter: every one succeeds, in
 *     the order of their credits, and the driver counts the ones that
 *     waited for a credit.
 */
#include "tests/kernel/kuring.h"

#define KU_CREDITS 63
#define KU_MANY 2000

static struct ku_arg ku_args[KU_MANY];

static void ku_behind_waits(struct io_uring *ring, int fd, uint32_t s)
{
	struct teeq_ioctl_param wait = kt_value(KT_VIN, 400, 0);
	uint32_t sess[8];
	struct teeq_swdev_stats st0, st;
	uint64_t t0, t_submit;
	struct ku_cqe c;
	int i;

	for (i = 0; i < 8; i++)
		sess[i] = kt_session(fd, &kt_noop);
	kt_stats(&st0);
	for (i = 0; i < KU_CREDITS; i++)
		ku_prep_invoke(ku_sqe(ring), fd, &ku_args[i], sess[i % 8],
			       TEEQ_NOOP_CMD_WAIT, &wait, 1, i);
	CHECK_EQ(io_uring_submit(ring), KU_CREDITS);
	KT_WAIT_STATS(st, st.in_flight == KU_CREDITS, 5000);
	CHECK_EQ(st.in_flight, KU_CREDITS);
	for (i = 0; i < 10; i++)
		ku_prep_invoke(ku_sqe(ring), fd, &ku_args[KU_CREDITS + i], s,
			       TEEQ_NOOP_CMD_NOOP, NULL, 0, KU_CREDITS + i);
	t0 = t_now_ms();
	CHECK_EQ(io_uring_submit(ring), 10);
	t_submit = t_now_ms() - t0;
	/* queued behind the waits (400 ms), not refused, and not done */
	CHECK(t_submit < 300);
	kt_stats(&st);
	CHECK_EQ(st.credit_waits - st0.credit_waits, 10);
	CHECK_EQ(st.uring_in_flight, KU_CREDITS + 10);
	CHECK(ku_quiet(ring, 300));
	for (i = 0; i < KU_CREDITS + 10; i++) {
		c = ku_reap(ring, 10000);
		CHECK_EQ(c.res, 0);
		CHECK_EQ(ku_args[c.user_data].u.invoke.ret, TEEQ_SUCCESS);
	}
	printf("10 commands behind %d waits: submitted in %llu ms, "
	       "completed after them\n",
	       KU_CREDITS, (unsigned long long)t_submit);
	for (i = 0; i < 8; i++)
		CHECK_EQ(kt_close_session(fd, sess[i]), 0);
}

static void ku_many(struct io_uring *ring, int fd, uint32_t s)
{
	struct teeq_swdev_stats st0, st1;
	uint64_t t0, t_submit;
	struct ku_cqe c;
	int i;

	kt_stats(&st0);
	for (i = 0; i < KU_MANY; i++) {
		struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

		CHECK(sqe);
		ku_prep_invoke(sqe, fd, &ku_args[i], s, TEEQ_NOOP_CMD_NOOP,
			       NULL, 0, i);
	}
	t0 = t_now_ms();
	CHECK_EQ(io_uring_submit(ring), KU_MANY);
	t_submit = t_now_ms() - t0;
	for (i = 0; i < KU_MANY; i++) {
		c = ku_reap(ring, 10000);
		CHECK(c.user_data < KU_MANY);
		CHECK_EQ(c.res, 0);
		CHECK_EQ(ku_args[c.user_data].u.invoke.ret, TEEQ_SUCCESS);
	}
	kt_stats(&st1);
	CHECK_EQ(st1.calls - st0.calls, KU_MANY);
	CHECK(st1.credit_waits - st0.credit_waits >= KU_MANY - KU_CREDITS);
	CHECK_EQ(st1.uring_in_flight, 0);
	printf("%d commands in one io_uring_enter (%llu ms): %llu waited for "
	       "a credit, published in %llu batches, none BUSY\n",
	       KU_MANY, (unsigned long long)t_submit,
	       (unsigned long long)(st1.credit_waits - st0.credit_waits),
	       (unsigned long long)(st1.sq_publishes - st0.sq_publishes));
}

int main(void)
{
	struct io_uring ring;
	uint32_t s;
	int fd;

	kt_sw_start();
	fd = kt_open();
	s = kt_session(fd, &kt_noop);
	ku_ring(&ring, 2048, 0);
	ku_behind_waits(&ring, fd, s);
	ku_many(&ring, fd, s);
	CHECK_EQ(kt_close_session(fd, s), 0);
	io_uring_queue_exit(&ring);
	close(fd);
	return T_PASS;
}
