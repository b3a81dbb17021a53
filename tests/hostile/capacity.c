// SPDX-License-Identifier: MIT
/*
 * Past its capacity teeq-sw refuses a client at the handshake: with one
 * worker (SW_WORKER_MAX_QPS queue pairs) and clients of 16 pairs, 64
 * attach and work, the 65th gets TEEC_ERROR_BUSY from
 * TEEC_InitializeContext (not a context that dies at its first call), the
 * others are unharmed, and once one leaves another fits. teeq-sw --help
 * states the figure.
 */
#include "secure/attach/attach.h"
#include "tests/hostile/watch.h"

#define PAIRS 16
#define FIT (SW_WORKER_MAX_QPS / PAIRS)

static struct sw_fixture fx;
static TEEC_Context ctx[FIT + 1];

static void call(TEEC_Context *c)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Session sess;
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(c, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	TEEC_CloseSession(&sess);
}

/* Does `teeq-sw --help` state the capacity? */
static int help_states_capacity(void)
{
	char exe[PATH_MAX], cmd[PATH_MAX + 16], line[256], want[64];
	int found = 0;
	FILE *p;

	sw_fixture_exe(exe, sizeof(exe));
	snprintf(cmd, sizeof(cmd), "'%s' --help", exe);
	snprintf(want, sizeof(want), "at most %d queue pairs",
		 SW_WORKER_MAX_QPS);
	p = popen(cmd, "r");
	CHECK(p);
	while (fgets(line, sizeof(line), p))
		found |= strstr(line, want) != NULL;
	CHECK_EQ(pclose(p), 0);
	return found;
}

int main(void)
{
	struct teeq_sw_stats st;
	TEEC_Context extra;
	int i;

	hostile_watchdog(240);
	CHECK(help_states_capacity());
	sw_fixture_start(&fx, "--workers", "1");
	setenv("TEEQ_QPAIRS", "16", 1);
	setenv("TEEQ_HEAP_MB", "1", 1);
	for (i = 0; i < FIT; i++)
		CHECK_EQ(TEEC_InitializeContext(NULL, &ctx[i]), TEEC_SUCCESS);
	call(&ctx[0]);
	call(&ctx[FIT - 1]);

	/* one too many */
	CHECK_EQ(TEEC_InitializeContext(NULL, &extra), TEEC_ERROR_BUSY);
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.clients, FIT);
	CHECK_EQ(st.qpairs, SW_WORKER_MAX_QPS);
	CHECK_EQ(st.clients_dropped, 0);
	call(&ctx[FIT / 2]);

	/* one leaves, another fits */
	TEEC_FinalizeContext(&ctx[0]);
	for (i = 0; i < 1000; i++) {
		sw_fixture_stats(&fx, &st);
		if (st.clients == FIT - 1)
			break;
		usleep(2000);
	}
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx[0]), TEEC_SUCCESS);
	call(&ctx[0]);

	for (i = 0; i < FIT; i++)
		TEEC_FinalizeContext(&ctx[i]);
	sw_fixture_stop(&fx);
	return T_PASS;
}
