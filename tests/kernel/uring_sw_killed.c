// SPDX-License-Identifier: MIT
/*
 * teeq-sw killed under a batch of io_uring commands: waits in the trusted
 * app, quick calls, and more behind them in the driver's backlog. Every
 * command completes, and each one the secure world had not answered ends
 * TEEQ_ERROR_TARGET_DEAD from COMMS; later commands on that context end
 * so at once. A new teeq-sw serves a new context through uring_cmd.
 */
#include "tests/kernel/kuring.h"

#define KU_N 300

static struct ku_arg ku_args[KU_N];

int main(void)
{
	struct teeq_ioctl_param wait = kt_value(KT_VIN, 10000, 0);
	struct teeq_swdev_stats st;
	struct io_uring ring;
	int fd, i, dead = 0, ok = 0;
	uint64_t seen[(KU_N + 63) / 64] = { 0 };
	struct ku_cqe c;
	uint32_t s;

	kt_sw_start();
	fd = kt_open();
	s = kt_session(fd, &kt_noop);
	ku_ring(&ring, 512, 0);
	for (i = 0; i < KU_N; i++) {
		if (i % 3 == 0)
			ku_prep_invoke(ku_sqe(&ring), fd, &ku_args[i], s,
				       TEEQ_NOOP_CMD_WAIT, &wait, 1, i);
		else
			ku_prep_invoke(ku_sqe(&ring), fd, &ku_args[i], s,
				       TEEQ_NOOP_CMD_NOOP, NULL, 0, i);
	}
	CHECK_EQ(io_uring_submit(&ring), KU_N);
	/* every credit held by a wait, the rest behind them */
	KT_WAIT_STATS(st, st.in_flight == 63, 5000);
	CHECK_EQ(st.in_flight, 63);
	CHECK(st.uring_in_flight > 63);
	kt_sw_kill();
	for (i = 0; i < KU_N; i++) {
		c = ku_reap(&ring, 10000);
		CHECK(c.user_data < KU_N);
		CHECK(!(seen[c.user_data / 64] & (1ull << (c.user_data % 64))));
		seen[c.user_data / 64] |= 1ull << (c.user_data % 64);
		CHECK_EQ(c.res, 0);
		if (ku_args[c.user_data].u.invoke.ret == TEEQ_SUCCESS) {
			/* answered before the kill */
			CHECK(c.user_data % 3);
			ok++;
			continue;
		}
		CHECK_EQ(ku_args[c.user_data].u.invoke.ret,
			 TEEQ_ERROR_TARGET_DEAD);
		CHECK_EQ(ku_args[c.user_data].u.invoke.ret_origin,
			 TEEQ_ORIGIN_COMMS);
		dead++;
	}
	printf("%d commands ended TARGET_DEAD, %d answered before the kill\n",
	       dead, ok);
	CHECK(dead >= KU_N / 3);
	kt_stats(&st);
	CHECK_EQ(st.uring_in_flight, 0);
	CHECK_EQ(st.in_flight, 0);

	/* the context stays dead: at once, without the secure world */
	ku_prep_invoke(ku_sqe(&ring), fd, &ku_args[0], s, TEEQ_NOOP_CMD_NOOP,
		       NULL, 0, 1);
	CHECK_EQ(io_uring_submit(&ring), 1);
	c = ku_reap(&ring, 2000);
	CHECK_EQ(c.res, 0);
	CHECK_EQ(ku_args[0].u.invoke.ret, TEEQ_ERROR_TARGET_DEAD);
	close(fd);

	/* a new secure world, a new context */
	kt_sw_start();
	fd = kt_open();
	ku_prep_open(ku_sqe(&ring), fd, &ku_args[0], &kt_noop, 2);
	CHECK_EQ(io_uring_submit(&ring), 1);
	c = ku_reap(&ring, 10000);
	CHECK_EQ(c.res, 0);
	CHECK_EQ(ku_args[0].u.open.ret, TEEQ_SUCCESS);
	s = ku_args[0].u.open.session;
	ku_prep_invoke(ku_sqe(&ring), fd, &ku_args[1], s, TEEQ_NOOP_CMD_NOOP,
		       NULL, 0, 3);
	CHECK_EQ(io_uring_submit(&ring), 1);
	c = ku_reap(&ring, 10000);
	CHECK_EQ(c.res, 0);
	CHECK_EQ(ku_args[1].u.invoke.ret, TEEQ_SUCCESS);
	io_uring_queue_exit(&ring);
	close(fd);
	return T_PASS;
}
