// SPDX-License-Identifier: MIT
/*
 * Cancelling io_uring commands in flight. By user_data: a wait in the
 * trusted app ends TEEQ_ERROR_CANCEL soon after; a command still waiting
 * in the driver for a credit ends at once, TEEQ_ERROR_CANCEL from COMMS,
 * without reaching the secure world; a whole ring's worth of waits, every
 * credit held, is cancelled too (a slot is kept for cancellations). By the
 * client's cancel_id, TEEQ_IOC_CANCEL reaches commands as it reaches
 * ioctls. A cancel of nothing is -ENOENT.
 *
 * A session's calls run one after the other, so the waits queue behind
 * each other in the secure world, which remembers a client's latest 32
 * cancellations for the calls it has not started: they are cancelled 16
 * at a time.
 */
#include "tests/kernel/kuring.h"

#define KU_CREDITS 63 /* ring_entries 64, one slot kept for cancels */

static struct ku_arg ku_args[KU_CREDITS + 2];

static void ku_wait(struct io_uring *ring, int fd, uint32_t s, int i,
		    uint32_t cancel_id, uint64_t user_data)
{
	struct teeq_ioctl_param p = kt_value(KT_VIN, 10000, 0);

	ku_prep_invoke(ku_sqe(ring), fd, &ku_args[i], s, TEEQ_NOOP_CMD_WAIT, &p,
		       1, user_data);
	ku_args[i].u.invoke.cancel_id = cancel_id;
}

/* One command waiting in the trusted app, cancelled by user_data. */
static void ku_cancel_one(struct io_uring *ring, int fd, uint32_t s)
{
	struct teeq_swdev_stats st;
	struct ku_cqe c;
	uint64_t t0;

	ku_wait(ring, fd, s, 0, 0, 1);
	CHECK_EQ(io_uring_submit(ring), 1);
	KT_WAIT_STATS(st, st.in_flight == 1, 5000);
	CHECK_EQ(st.in_flight, 1);
	usleep(200 * 1000);
	CHECK(ku_quiet(ring, 0));
	t0 = t_now_ms();
	ku_prep_cancel(ku_sqe(ring), fd, 1, 100);
	CHECK_EQ(io_uring_submit(ring), 1);
	c = ku_reap(ring, 5000);
	if (c.user_data == 100) {
		CHECK_EQ(c.res, 1);
		c = ku_reap(ring, 5000);
	} else {
		CHECK_EQ(ku_reap(ring, 5000).res, 1);
	}
	CHECK_EQ(c.user_data, 1);
	CHECK_EQ(c.res, 0);
	CHECK_EQ(ku_args[0].u.invoke.ret, TEEQ_ERROR_CANCEL);
	CHECK(t_now_ms() - t0 < 5000);
	printf("a wait cancelled by user_data after %llu ms\n",
	       (unsigned long long)(t_now_ms() - t0));
}

/*
 * Every credit held by a wait, one more command in the driver's backlog:
 * that one is cancelled at once, then all the others in one batch.
 */
static void ku_cancel_full(struct io_uring *ring, int fd, uint32_t s)
{
	struct teeq_swdev_stats st0, st;
	uint64_t seen[2] = { 0 }, t0;
	struct ku_cqe c;
	int i, n, first;

	kt_stats(&st0);
	for (i = 0; i < KU_CREDITS + 1; i++)
		ku_wait(ring, fd, s, i, 0, 1000 + i);
	CHECK_EQ(io_uring_submit(ring), KU_CREDITS + 1);
	KT_WAIT_STATS(st, st.in_flight == KU_CREDITS, 5000);
	CHECK_EQ(st.in_flight, KU_CREDITS);
	CHECK_EQ(st.uring_in_flight, KU_CREDITS + 1);
	CHECK_EQ(st.credit_waits - st0.credit_waits, 1);
	/* the last one waits in the driver: cancelled, it ends at once */
	t0 = t_now_ms();
	ku_prep_cancel(ku_sqe(ring), fd, 1000 + KU_CREDITS, 2000);
	CHECK_EQ(io_uring_submit(ring), 1);
	for (i = 0; i < 2; i++) {
		c = ku_reap(ring, 2000);
		if (c.user_data == 2000) {
			CHECK_EQ(c.res, 1);
			continue;
		}
		CHECK_EQ(c.user_data, 1000 + KU_CREDITS);
		CHECK_EQ(c.res, 0);
		CHECK_EQ(ku_args[KU_CREDITS].u.invoke.ret, TEEQ_ERROR_CANCEL);
		CHECK_EQ(ku_args[KU_CREDITS].u.invoke.ret_origin,
			 TEEQ_ORIGIN_COMMS);
	}
	CHECK(t_now_ms() - t0 < 2000);
	/* the rest, every credit taken: the kept slot carries the cancels */
	for (first = 0; first < KU_CREDITS; first += 16) {
		int last = first + 16 < KU_CREDITS ? first + 16 : KU_CREDITS;

		for (i = first; i < last; i++)
			ku_prep_cancel(ku_sqe(ring), fd, 1000 + i, 3000 + i);
		CHECK_EQ(io_uring_submit(ring), last - first);
		for (n = 0; n < 2 * (last - first); n++) {
			c = ku_reap(ring, 8000);
			if (c.user_data >= 3000) {
				CHECK_EQ(c.res, 1);
				continue;
			}
			i = (int)c.user_data - 1000;
			CHECK(i >= first && i < last);
			CHECK(!(seen[i / 64] & (1ull << (i % 64))));
			seen[i / 64] |= 1ull << (i % 64);
			CHECK_EQ(c.res, 0);
			CHECK_EQ(ku_args[i].u.invoke.ret, TEEQ_ERROR_CANCEL);
		}
	}
	printf("%d waits holding every credit cancelled in %llu ms\n",
	       KU_CREDITS, (unsigned long long)(t_now_ms() - t0));
	CHECK(t_now_ms() - t0 < 8000);
	KT_WAIT_STATS(st, st.in_flight == 0 && st.uring_in_flight == 0, 5000);
	CHECK_EQ(st.in_flight, 0);
	CHECK_EQ(st.uring_in_flight, 0);
}

/* TEEQ_IOC_CANCEL with the client's cancel_id reaches commands, on the
 * secure side and in the backlog alike. */
static void ku_cancel_by_id(struct io_uring *ring, int fd, uint32_t s)
{
	struct teeq_ioctl_cancel_arg a = { .cancel_id = 77, .session = s };
	struct teeq_swdev_stats st;
	struct ku_cqe c;
	int i, n, first, cancelled = 0;

	/* credits for all but two; those two are 77 and wait behind, and
	 * so is the first, the one running */
	for (i = 0; i < KU_CREDITS + 2; i++)
		ku_wait(ring, fd, s, i, i == 0 || i >= KU_CREDITS ? 77 : 0,
			4000 + i);
	CHECK_EQ(io_uring_submit(ring), KU_CREDITS + 2);
	KT_WAIT_STATS(st, st.in_flight == KU_CREDITS, 5000);
	CHECK_EQ(ioctl(fd, TEEQ_IOC_CANCEL, &a), 0);
	for (i = 0; i < 3; i++) {
		c = ku_reap(ring, 5000);
		CHECK(c.user_data == 4000 || c.user_data >= 4000 + KU_CREDITS);
		CHECK_EQ(c.res, 0);
		CHECK_EQ(ku_args[c.user_data - 4000].u.invoke.ret,
			 TEEQ_ERROR_CANCEL);
		cancelled++;
	}
	CHECK(ku_quiet(ring, 300));
	/* the others, by user_data, 16 at a time */
	for (first = 0; first < KU_CREDITS; first += 16) {
		int last = first + 16 < KU_CREDITS ? first + 16 : KU_CREDITS;

		n = 0;
		for (i = first; i < last; i++)
			if (i != 0) {
				ku_prep_cancel(ku_sqe(ring), fd, 4000 + i,
					       5000 + i);
				n++;
			}
		CHECK_EQ(io_uring_submit(ring), n);
		for (i = 0; i < 2 * n; i++) {
			c = ku_reap(ring, 8000);
			CHECK_EQ(c.res, c.user_data >= 5000 ? 1 : 0);
		}
	}
	CHECK_EQ(cancelled, 3);
}

int main(void)
{
	struct io_uring ring;
	struct ku_cqe c;
	uint32_t s;
	int fd;

	kt_sw_start();
	fd = kt_open();
	s = kt_session(fd, &kt_noop);
	ku_ring(&ring, 256, 0);
	ku_cancel_one(&ring, fd, s);
	ku_cancel_full(&ring, fd, s);
	ku_cancel_by_id(&ring, fd, s);
	/* nothing of that user_data in flight any more */
	ku_prep_cancel(ku_sqe(&ring), fd, 1, 6000);
	CHECK_EQ(io_uring_submit(&ring), 1);
	c = ku_reap(&ring, 5000);
	CHECK_EQ(c.res, -ENOENT);
	CHECK_EQ(kt_close_session(fd, s), 0);
	io_uring_queue_exit(&ring);
	close(fd);
	return T_PASS;
}
