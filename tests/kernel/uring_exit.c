// SPDX-License-Identifier: MIT
/*
 * The submitter goes away with io_uring commands in flight, and nothing
 * waits on the secure world for it and nothing leaks:
 *   - a process exits with 1,000 commands in flight (waits in the trusted
 *     app holding every credit, the rest in the driver's backlog);
 *   - a process exits with 1,000 quick ones in flight;
 *   - a process closes its ring with commands in flight and lives on;
 *   - a process execs with commands in flight.
 * Each time the driver's gauges (contexts, calls and commands in flight,
 * shared memory, channels) come back to where they were, the commands
 * that were cut short are counted as orphaned, and teeq-sw serves on.
 */
#include "tests/kernel/kuring.h"

#define KU_N 1000

enum ku_how { KU_EXIT, KU_EXIT_QUICK, KU_CLOSE_RING, KU_EXEC };

static struct ku_arg ku_args[KU_N];

/* The child: a context, a session, KU_N commands, then @how. */
static void ku_child(enum ku_how how, int ready_fd)
{
	struct teeq_ioctl_param wait = kt_value(KT_VIN, 10000, 0);
	struct io_uring ring;
	int fd = kt_open(), i;
	uint32_t s = kt_session(fd, &kt_noop);
	/* a session's calls run in order: the quick ones on another */
	uint32_t quick = kt_session(fd, &kt_noop);
	char one = 1;

	ku_ring(&ring, 1024, 0);
	for (i = 0; i < KU_N; i++) {
		/* the first ones wait and hold the credits; the secure world
		 * remembers 32 cancellations of calls it has not started, so
		 * a ring closed by a living process cuts 16 waits short */
		if (how != KU_EXIT_QUICK &&
		    i < (how == KU_CLOSE_RING ? 16 : 100))
			ku_prep_invoke(ku_sqe(&ring), fd, &ku_args[i], s,
				       TEEQ_NOOP_CMD_WAIT, &wait, 1, i);
		else
			ku_prep_invoke(ku_sqe(&ring), fd, &ku_args[i], quick,
				       TEEQ_NOOP_CMD_NOOP, NULL, 0, i);
	}
	CHECK_EQ(io_uring_submit(&ring), KU_N);
	switch (how) {
	case KU_EXIT:
	case KU_EXIT_QUICK:
		_exit(0);
	case KU_CLOSE_RING:
		io_uring_queue_exit(&ring);
		CHECK_EQ(write(ready_fd, &one, 1), 1);
		pause();
		_exit(0);
	case KU_EXEC:
		execl("/bin/true", "true", (char *)NULL);
		_exit(127);
	}
}

static void ku_settled(const struct teeq_swdev_stats *st0, const char *what)
{
	struct teeq_swdev_stats st;

	KT_WAIT_STATS(st,
		      st.contexts == st0->contexts && !st.in_flight &&
			      !st.uring_in_flight && st.shms == st0->shms &&
			      st.channels == st0->channels,
		      10000);
	CHECK_EQ(st.contexts, st0->contexts);
	CHECK_EQ(st.in_flight, 0);
	CHECK_EQ(st.uring_in_flight, 0);
	CHECK_EQ(st.shms, st0->shms);
	CHECK_EQ(st.channels, st0->channels);
	CHECK_EQ(st.sessions, st0->sessions);
	CHECK(st.attached);
	printf("%s: settled, %llu commands orphaned so far, %llu calls "
	       "completed by the secure world\n",
	       what, (unsigned long long)st.uring_orphaned,
	       (unsigned long long)(st.calls - st0->calls));
}

static void ku_case(enum ku_how how, const char *what)
{
	struct teeq_swdev_stats st0, st;
	int status, pipefd[2];
	uint64_t t0;
	pid_t pid;
	char c;

	kt_stats(&st0);
	CHECK_EQ(pipe(pipefd), 0);
	t0 = t_now_ms();
	pid = fork();
	CHECK(pid >= 0);
	if (!pid)
		ku_child(how, pipefd[1]);
	if (how == KU_CLOSE_RING) {
		CHECK_EQ(read(pipefd[0], &c, 1), 1);
		/* the ring is gone, the process is not: the commands are */
		KT_WAIT_STATS(st, !st.uring_in_flight && !st.in_flight, 10000);
		CHECK_EQ(st.uring_in_flight, 0);
		CHECK_EQ(st.in_flight, 0);
		CHECK(st.uring_orphaned > st0.uring_orphaned);
		CHECK_EQ(waitpid(pid, &status, WNOHANG), 0);
		kill(pid, SIGKILL);
	}
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK(how == KU_CLOSE_RING ? WIFSIGNALED(status) :
				     WIFEXITED(status) && !WEXITSTATUS(status));
	printf("%s: the child was gone after %llu ms\n", what,
	       (unsigned long long)(t_now_ms() - t0));
	ku_settled(&st0, what);
	kt_stats(&st);
	if (how != KU_EXIT_QUICK)
		CHECK(st.uring_orphaned > st0.uring_orphaned);
	close(pipefd[0]);
	close(pipefd[1]);
}

int main(void)
{
	struct kt_result res;
	int fd;
	uint32_t s;

	kt_sw_start();
	ku_case(KU_EXIT, "exit with 1000 in flight");
	ku_case(KU_EXIT_QUICK, "exit with 1000 quick ones in flight");
	ku_case(KU_CLOSE_RING, "ring closed with 1000 in flight");
	ku_case(KU_EXEC, "exec with 1000 in flight");
	/* teeq-sw serves on */
	fd = kt_open();
	s = kt_session(fd, &kt_noop);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_NOOP_CMD_NOOP, NULL, 0, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	close(fd);
	return T_PASS;
}
