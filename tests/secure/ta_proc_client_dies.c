// SPDX-License-Identifier: MIT
/*
 * A client killed while its call loops in a loaded TA: teeq-sw cancels
 * the call at once, frees the client, and serves another client all
 * along. An instance of the session's own is then killed --ta-kill-ms
 * later (it ends no one else's session); a shared one (single instance)
 * only at the time limit, so that one client going away cannot end the
 * sessions other clients have on it.
 */
#include "tests/secure/ta_proc_fixture.h"

#include <signal.h>
#include <sys/wait.h>

#define DIES_LIMIT_MS 2500

/* A client in a process of its own that opens @uuid, says which process
 * runs it, then loops in it; *@ta_pid gets that process. */
static pid_t dies_client(const TEEC_UUID *uuid, pid_t *ta_pid)
{
	int pipefd[2];
	pid_t child;

	CHECK(!pipe(pipefd));
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		TEEC_Context c;
		TEEC_Session s;
		uint32_t o;
		pid_t p;

		CHECK_EQ(TEEC_InitializeContext(NULL, &c), TEEC_SUCCESS);
		CHECK_EQ(ta_fixture_open(&c, &s, uuid, &o), TEEC_SUCCESS);
		p = ta_fixture_pid(&s);
		CHECK_EQ(write(pipefd[1], &p, sizeof(p)), sizeof(p));
		TEEC_InvokeCommand(&s, PROC_CMD_LOOP, NULL, &o);
		_exit(3); /* never: killed first */
	}
	CHECK_EQ(read(pipefd[0], ta_pid, sizeof(*ta_pid)), sizeof(*ta_pid));
	close(pipefd[0]);
	close(pipefd[1]);
	usleep(200000); /* in the loop by now */
	return child;
}

static void dies_kill(pid_t child)
{
	int status;

	kill(child, SIGKILL);
	CHECK_EQ(waitpid(child, &status, 0), child);
}

int main(void)
{
	struct sw_fixture f;
	struct teeq_sw_stats st;
	TEEC_Context ctx;
	TEEC_Session mine, shared;
	uint32_t origin, n = 0;
	pid_t child, ta_pid = 0, shared_pid;
	uint64_t start;

	ta_fixture_start(&f, "--ta-kill-ms", "300", "--ta-limit-ms", "2500");
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&ctx, &mine, &proc_plain, &origin),
		 TEEC_SUCCESS);

	/* its own instance: killed soon after the client */
	child = dies_client(&proc_plain, &ta_pid);
	start = t_now_ms();
	dies_kill(child);
	CHECK(ta_fixture_gone(ta_pid, 10000, 0));
	CHECK(t_now_ms() - start < DIES_LIMIT_MS);
	CHECK_EQ(ta_fixture_value(&mine, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 1);

	/* a shared instance: still there after --ta-kill-ms, gone at the
	 * time limit */
	CHECK_EQ(ta_fixture_open(&ctx, &shared, &proc_multi, &origin),
		 TEEC_SUCCESS);
	shared_pid = ta_fixture_pid(&shared);
	child = dies_client(&proc_multi, &ta_pid);
	CHECK_EQ(ta_pid, shared_pid);
	start = t_now_ms();
	dies_kill(child);
	CHECK(!ta_fixture_gone(ta_pid, 1000, 0));
	CHECK(ta_fixture_gone(ta_pid, 10000, 0));
	CHECK(t_now_ms() - start >= 1000);
	CHECK_EQ(ta_fixture_value(&mine, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 2);

	/* the dead clients are gone from teeq-sw too */
	start = t_now_ms();
	do {
		sw_fixture_stats(&f, &st);
		if (st.clients == 1)
			break;
		usleep(10000);
	} while (t_now_ms() - start < 5000);
	CHECK_EQ(st.clients, 1);

	TEEC_CloseSession(&shared);
	TEEC_CloseSession(&mine);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f);
	return T_PASS;
}
