// SPDX-License-Identifier: MIT
/*
 * Calls that wait (noop's CMD_WAIT) run on call threads; clients that park
 * many long ones there cannot make another client's short one wait for
 * theirs: three clients each park sixteen 4-second waits on sixteen
 * sessions, and a fourth client's 10 ms wait still returns in under half
 * of one of theirs (before, it queued behind a whole one; how much less
 * depends on the machine's load, so the bound is the one that tells the
 * two apart). The parked calls all complete, with success.
 */
#include "tests/hostile/watch.h"

#define HOGS 3
#define PARKED 16
#define LONG_MS 4000

static struct sw_fixture fx;

struct parked {
	TEEC_Session *sess;
	TEEC_Result res;
};

static void *park(void *arg)
{
	struct parked *p = arg;
	TEEC_Operation op = { 0 };
	uint32_t origin;

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = LONG_MS;
	p->res = TEEC_InvokeCommand(p->sess, TEEQ_NOOP_CMD_WAIT, &op, &origin);
	return NULL;
}

/* A client parking PARKED long waits; exits 0 if all succeeded. */
static int hog(void *arg)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	static TEEC_Session sess[PARKED];
	struct parked p[PARKED];
	pthread_t t[PARKED];
	TEEC_Context ctx;
	uint32_t origin;
	int i, bad = 0;

	(void)arg;
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	for (i = 0; i < PARKED; i++) {
		CHECK_EQ(TEEC_OpenSession(&ctx, &sess[i], &noop,
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin),
			 TEEC_SUCCESS);
		p[i].sess = &sess[i];
		CHECK_EQ(pthread_create(&t[i], NULL, park, &p[i]), 0);
	}
	for (i = 0; i < PARKED; i++) {
		CHECK_EQ(pthread_join(t[i], NULL), 0);
		bad += p[i].res != TEEC_SUCCESS;
	}
	TEEC_FinalizeContext(&ctx);
	return bad ? 1 : 0;
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Operation op = { 0 };
	TEEC_Session sess;
	TEEC_Context ctx;
	pid_t hogs[HOGS];
	uint32_t origin;
	struct teeq_sw_stats st;
	uint64_t t0, took;
	int i, status;

	hostile_watchdog(60);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	for (i = 0; i < HOGS; i++)
		hogs[i] = hostile_spawn(hog, NULL);
	/* all parked: on call threads, and not ended */
	sw_fixture_wait_stat(&fx, &st, calls_deferred, HOGS * PARKED);

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = 10;
	t0 = t_now_ms();
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_WAIT, &op, &origin),
		 TEEC_SUCCESS);
	took = t_now_ms() - t0;
	fprintf(stderr, "a 10 ms wait beside %d x %d parked took %llu ms\n",
		HOGS, PARKED, (unsigned long long)took);
	CHECK(took >= 10);
	CHECK(took < LONG_MS / 2);

	for (i = 0; i < HOGS; i++) {
		status = hostile_reap(hogs[i], 0);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
