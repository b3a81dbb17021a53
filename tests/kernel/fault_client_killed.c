// SPDX-License-Identifier: MIT
/*
 * A client killed mid-call: its process dies at once (the call is
 * abandoned, not waited for); its sessions are closed in the secure world
 * (teeq-sw reports how many it closed); its buffers, one of them mapped by
 * the secure side, are released once the secure side is done with them;
 * nothing stays in flight. Other clients carry on.
 */
#include "tests/kernel/kfixture.h"

static void kt_client(int ready)
{
	struct teeq_ioctl_param p[2];
	struct kt_result res;
	uint32_t s1, s2, s3;
	int fd, id, reg_id;
	void *map, *user;

	fd = kt_open();
	s1 = kt_session(fd, &kt_noop);
	s2 = kt_session(fd, &kt_echo);
	s3 = kt_session(fd, &kt_noop);
	kt_shm_alloc(fd, 8192, &id, &map);
	user = aligned_alloc(4096, 8192);
	kt_shm_register(fd, user, 8192, &reg_id);
	/* the secure side maps the registered buffer on its first use */
	p[0] = kt_memref(KT_MINOUT, reg_id, 0, 8192);
	if (kt_invoke(fd, s2, TEEQ_ECHO_CMD_INVERT, p, 1, &res) ||
	    res.ret != TEEQ_SUCCESS)
		_exit(4);
	p[0] = kt_value(KT_VIN, 20000, 0);
	(void)!write(ready, "x", 1);
	kt_invoke(fd, s3, TEEQ_NOOP_CMD_WAIT, p, 1, &res);
	kt_invoke(fd, s1, TEEQ_NOOP_CMD_NOOP, NULL, 0, &res);
	_exit(3); /* never: it is killed first */
}

int main(void)
{
	struct teeq_swdev_stats st, before;
	int pipefd[2], status, fd;
	struct kt_result res;
	uint64_t t0;
	uint32_t s;
	pid_t child;
	char c;

	kt_sw_start();
	fd = kt_open();
	s = kt_session(fd, &kt_noop);
	kt_stats(&before);
	CHECK_EQ(pipe(pipefd), 0);
	child = fork();
	CHECK(child >= 0);
	if (!child)
		kt_client(pipefd[1]);
	CHECK_EQ(read(pipefd[0], &c, 1), 1);
	KT_WAIT_STATS(st, st.in_flight == 1, 5000);
	CHECK_EQ(st.in_flight, 1);
	CHECK_EQ(st.sessions, before.sessions + 3);
	CHECK_EQ(st.shms, before.shms + 2);
	t0 = t_now_ms();
	kill(child, SIGKILL);
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK(WIFSIGNALED(status));
	CHECK(t_now_ms() - t0 < 2000);
	/* the secure side closes the three sessions; the buffers go */
	KT_WAIT_STATS(st,
		      st.sw_sessions_closed >= before.sw_sessions_closed + 3 &&
			      !st.in_flight && st.shms == before.shms &&
			      st.contexts == before.contexts &&
			      st.channels == before.channels,
		      10000);
	CHECK_EQ(st.sw_sessions_closed, before.sw_sessions_closed + 3);
	CHECK_EQ(st.sessions, before.sessions);
	CHECK_EQ(st.in_flight, 0);
	CHECK_EQ(st.shms, before.shms);
	CHECK_EQ(st.contexts, before.contexts);
	CHECK_EQ(st.channels, before.channels);
	/* the survivor is served as before */
	CHECK_EQ(kt_invoke(fd, s, TEEQ_NOOP_CMD_NOOP, NULL, 0, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	close(fd);
	return T_PASS;
}
