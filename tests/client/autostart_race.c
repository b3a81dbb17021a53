// SPDX-License-Identifier: MIT
/*
 * Clients that find no teeq-sw at the same moment each start one: exactly
 * one of those takes the socket's lock and serves, the others see it and
 * go, and every client attaches to the one that serves (the same pid).
 * Eight processes, released together, several rounds.
 */
#include "tests/client/autostart.h"

#include <fcntl.h>

#define CLIENTS 8
#define ROUNDS 3

static struct sw_fixture fx;

/* Waits for the go byte, attaches, calls, reports the teeq-sw's pid. */
static void client(int go, int report)
{
	struct teeq_sw_stats st;
	TEEC_Context ctx;
	TEEC_Result res;
	char byte;
	pid_t pid = 0;

	CHECK_EQ(read(go, &byte, 1), 1);
	res = TEEC_InitializeContext(NULL, &ctx);
	if (res == TEEC_SUCCESS) {
		autostart_call(&ctx);
		CHECK_EQ(teeq_secure_stats(&ctx, &st), TEEC_SUCCESS);
		pid = (pid_t)st.pid;
		/* stay until every client has attached */
		CHECK_EQ(read(go, &byte, 1), 1);
		TEEC_FinalizeContext(&ctx);
	} else {
		fprintf(stderr, "client: 0x%08x\n", res);
	}
	CHECK_EQ(write(report, &pid, sizeof(pid)), sizeof(pid));
	_exit(0);
}

/*
 * Until @served is this process's only child: the losers have seen the
 * lock held and gone, reaped here. Each client's teeq-sw is reparented to
 * us; under load a loser may still be on its way to the lock when the
 * clients are done, and would take it once @served is stopped. Bounded:
 * 1 when only @served is left.
 */
static int only_child_left(pid_t served, uint64_t limit_ms)
{
	uint64_t t0 = t_now_ms();
	char path[64], buf[512], want[32];
	int status, fd;
	ssize_t n;
	pid_t pid;

	snprintf(path, sizeof(path), "/proc/self/task/%d/children",
		 (int)getpid());
	snprintf(want, sizeof(want), "%d ", (int)served);
	do {
		while ((pid = waitpid(-1, &status, WNOHANG)) > 0) {
			CHECK(pid != served); /* the winner must not go */
			CHECK(WIFEXITED(status)); /* a loser, exited */
		}
		fd = open(path, O_RDONLY | O_CLOEXEC);
		CHECK(fd >= 0);
		n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		CHECK(n > 0);
		buf[n] = 0;
		/* "pid pid ... ": only ours when it reads "<served> " */
		if (!strcmp(buf, want))
			return 1;
		usleep(5000);
	} while (t_now_ms() - t0 < limit_ms);
	return 0;
}

int main(void)
{
	pid_t kids[CLIENTS], served, pid;
	int go[2], report[2], status, i, r;
	char bytes[CLIENTS] = { 0 };

	sw_fixture_host_only("autostart: host mode starts its own teeq-sw");
	autostart_init(&fx);
	for (r = 0; r < ROUNDS; r++) {
		CHECK(!pipe2(go, O_CLOEXEC) && !pipe2(report, O_CLOEXEC));
		for (i = 0; i < CLIENTS; i++) {
			kids[i] = fork();
			CHECK(kids[i] >= 0);
			if (kids[i] == 0)
				client(go[0], report[1]);
		}
		close(report[1]);
		CHECK_EQ(write(go[1], bytes, CLIENTS), CLIENTS); /* go */
		/* all attached once each has reported; release them then */
		served = 0;
		usleep(100000);
		CHECK_EQ(write(go[1], bytes, CLIENTS), CLIENTS);
		for (i = 0; i < CLIENTS; i++) {
			CHECK_EQ(read(report[0], &pid, sizeof(pid)),
				 sizeof(pid));
			CHECK(pid > 0);
			if (!served)
				served = pid;
			CHECK_EQ(pid, served);
		}
		for (i = 0; i < CLIENTS; i++) {
			CHECK_EQ(waitpid(kids[i], &status, 0), kids[i]);
			CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		}
		close(go[0]);
		close(go[1]);
		close(report[0]);
		/* the one teeq-sw, reparented to us; the losers gone */
		CHECK(only_child_left(served, 10000));
		CHECK(!kill(served, SIGTERM));
		autostart_pids[0] = served;
		CHECK(autostart_exited(served, 5000, &status));
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		CHECK_EQ(ring_host_await(fx.sock, 0, 0), -ETIMEDOUT);
	}
	return T_PASS;
}
