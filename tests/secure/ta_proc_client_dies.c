// SPDX-License-Identifier: MIT
/*
 * A client killed while its call loops in a loaded TA: nobody waits for
 * that call any more, so teeq-sw cancels it at once and kills the TA's
 * process --ta-kill-ms later (not at the 30 s time limit), frees the
 * client, and serves another client all along.
 */
#include "tests/secure/ta_proc_fixture.h"

#include <signal.h>
#include <sys/wait.h>

int main(void)
{
	struct sw_fixture f;
	struct teeq_sw_stats st;
	TEEC_Context ctx;
	TEEC_Session mine;
	uint32_t origin, n = 0;
	int pipefd[2], status;
	pid_t child, ta_pid = 0;
	uint64_t start;

	ta_fixture_start(&f, "--ta-kill-ms", "300");
	CHECK(!pipe(pipefd));
	child = fork();
	CHECK(child >= 0);
	if (child == 0) {
		TEEC_Context c;
		TEEC_Session s;
		uint32_t o;
		pid_t p;

		CHECK_EQ(TEEC_InitializeContext(NULL, &c), TEEC_SUCCESS);
		CHECK_EQ(ta_fixture_open(&c, &s, &proc_multi, &o),
			 TEEC_SUCCESS);
		p = ta_fixture_pid(&s);
		CHECK_EQ(write(pipefd[1], &p, sizeof(p)), sizeof(p));
		TEEC_InvokeCommand(&s, PROC_CMD_LOOP, NULL, &o);
		_exit(3); /* never: killed first */
	}
	CHECK_EQ(read(pipefd[0], &ta_pid, sizeof(ta_pid)), sizeof(ta_pid));
	usleep(200000); /* in the loop by now */

	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&ctx, &mine, &proc_plain, &origin),
		 TEEC_SUCCESS);
	start = t_now_ms();
	kill(child, SIGKILL);
	CHECK_EQ(waitpid(child, &status, 0), child);
	CHECK(ta_fixture_gone(ta_pid, 10000, 0));
	CHECK(t_now_ms() - start < 10000); /* far from the 30 s limit */
	CHECK_EQ(ta_fixture_value(&mine, PROC_CMD_COUNT, ~0u, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 1);
	/* the dead client is gone from teeq-sw too */
	start = t_now_ms();
	do {
		sw_fixture_stats(&f, &st);
		if (st.clients == 1)
			break;
		usleep(10000);
	} while (t_now_ms() - start < 5000);
	CHECK_EQ(st.clients, 1);

	TEEC_CloseSession(&mine);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f);
	return T_PASS;
}
