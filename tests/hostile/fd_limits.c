// SPDX-License-Identifier: MIT
/*
 * Descriptor limits and connections that never shake hands:
 *  (a) teeq-sw raises its soft descriptor limit to the hard one: started
 *      with 64 of 4096, it serves twenty clients (ten descriptors each);
 *  (b) out of descriptors, it neither spins on its listener (its CPU time
 *      over a second stays small) nor keeps connections waiting: those it
 *      cannot take are closed at once;
 *  (c) a connection that sends no HELLO is closed after
 *      TEEQ_HOST_HELLO_TIMEOUT_MS, and then clients attach again;
 *  (d) TEEC_InitializeContext against a listener whose backlog is full,
 *      and that never accepts, returns an error in bounded time instead of
 *      waiting in connect() for ever.
 */
#include "tests/hostile/watch.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/resource.h>

static struct sw_fixture fx;

/* teeq-sw's CPU time so far, in ms (utime + stime). */
static uint64_t cpu_ms(pid_t pid)
{
	char path[64], buf[1024], *p;
	unsigned long long ut, st;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	CHECK(f && fgets(buf, sizeof(buf), f));
	fclose(f);
	p = strrchr(buf, ')'); /* the name may hold spaces */
	CHECK(p && sscanf(p + 2,
			  "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu "
			  "%llu",
			  &ut, &st) == 2);
	return (ut + st) * 1000 / (uint64_t)sysconf(_SC_CLK_TCK);
}

/* A connection that never says a word; not waiting on a full backlog. */
static int silent(void)
{
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC | SOCK_NONBLOCK,
			0);

	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", fx.sock);
	CHECK(fd >= 0);
	if (connect(fd, (struct sockaddr *)&addr, sizeof(addr))) {
		CHECK(errno == EAGAIN); /* backlog full */
		close(fd);
		return -1;
	}
	return fd;
}

/* Has the peer closed @fd (within @ms)? */
static int closed_within(int fd, int ms)
{
	struct pollfd pfd = { .fd = fd, .events = POLLIN };
	char byte;

	return poll(&pfd, 1, ms) == 1 && recv(fd, &byte, 1, MSG_DONTWAIT) == 0;
}

/* sw_fixture_start(), with teeq-sw's descriptor limits set before exec. */
static void start_with_limit(rlim_t soft, rlim_t hard)
{
	struct rlimit lim = { soft, hard };
	char exe[PATH_MAX];

	sw_fixture_init(&fx);
	sw_fixture_exe(exe, sizeof(exe));
	fx.pid = fork();
	CHECK(fx.pid >= 0);
	if (fx.pid == 0) {
		if (setrlimit(RLIMIT_NOFILE, &lim))
			_exit(126);
		execl(exe, "teeq-sw", "--socket", fx.sock, (char *)NULL);
		_exit(127);
	}
	CHECK_EQ(ring_host_await(fx.sock, fx.pid, 10000), 0);
}

static TEEC_Result init_in_child(uint64_t limit_ms)
{
	uint64_t t0 = t_now_ms();
	TEEC_Result res = 0;
	int pipefd[2], status;
	pid_t pid, got;

	CHECK(!pipe(pipefd));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		TEEC_Context ctx;

		res = TEEC_InitializeContext(NULL, &ctx);
		(void)!write(pipefd[1], &res, sizeof(res));
		_exit(0);
	}
	close(pipefd[1]);
	while ((got = waitpid(pid, &status, WNOHANG)) == 0 &&
	       t_now_ms() - t0 < limit_ms)
		usleep(10000);
	if (got != pid) {
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		fprintf(stderr,
			"TEEC_InitializeContext still waiting after "
			"%llu ms\n",
			(unsigned long long)limit_ms);
		CHECK(0);
	}
	CHECK_EQ(read(pipefd[0], &res, sizeof(res)), sizeof(res));
	close(pipefd[0]);
	return res;
}

int main(void)
{
	static TEEC_Context ctx[20];
	int conns[128], nr = 0, refused = 0, i, listener;
	struct sockaddr_un addr = { .sun_family = AF_UNIX };
	uint64_t cpu0, t0;
	TEEC_Result res;

	hostile_watchdog(120);

	/* (a) */
	start_with_limit(64, 4096);
	for (i = 0; i < 20; i++) {
		res = TEEC_InitializeContext(NULL, &ctx[i]);
		if (res != TEEC_SUCCESS)
			fprintf(stderr, "client %d: 0x%08x\n", i, res);
		CHECK_EQ(res, TEEC_SUCCESS);
	}
	for (i = 0; i < 20; i++)
		TEEC_FinalizeContext(&ctx[i]);
	sw_fixture_stop(&fx);

	/* (b) 48 descriptors: full after some thirty connections */
	start_with_limit(48, 48);
	for (i = 0; i < 128; i++) {
		int fd = silent();

		if (fd >= 0)
			conns[nr++] = fd;
	}
	usleep(300000);
	cpu0 = cpu_ms(fx.pid);
	t0 = t_now_ms();
	usleep(1000000);
	fprintf(stderr,
		"%d connections, teeq-sw used %llu ms of CPU in "
		"%llu ms\n",
		nr, (unsigned long long)(cpu_ms(fx.pid) - cpu0),
		(unsigned long long)(t_now_ms() - t0));
	CHECK(cpu_ms(fx.pid) - cpu0 < 300);
	for (i = 0; i < nr; i++)
		refused += closed_within(conns[i], 0);
	CHECK(refused > 0); /* those it had no room for: closed already */

	/* (c) the rest are closed once their HELLO is overdue */
	for (i = 0; i < nr; i++)
		CHECK(closed_within(conns[i],
				    TEEQ_HOST_HELLO_TIMEOUT_MS + 2000));
	for (i = 0; i < nr; i++)
		close(conns[i]);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx[0]), TEEC_SUCCESS);
	TEEC_FinalizeContext(&ctx[0]);
	sw_fixture_stop(&fx);

	/* (d) a listener that never accepts, its backlog full */
	sw_fixture_init(&fx);
	listener = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", fx.sock);
	CHECK(listener >= 0);
	CHECK(!bind(listener, (struct sockaddr *)&addr, sizeof(addr)));
	CHECK(!listen(listener, 0));
	for (nr = 0; nr < 8; nr++)
		if ((conns[nr] = silent()) < 0)
			break;
	res = init_in_child(20000);
	CHECK(res != TEEC_SUCCESS);
	CHECK_EQ(res, TEEC_ERROR_COMMUNICATION);
	close(listener);
	return T_PASS;
}
