// SPDX-License-Identifier: MIT
/*
 * TEEC_RequestCancellation reaches a loaded TA in its process: a
 * TEE_Wait(TEE_TIMEOUT_INFINITE) returns TEE_ERROR_CANCEL, a loop on
 * TEE_GetCancellationFlag sees it, an opening waiting in
 * TA_OpenSessionEntryPoint fails with TEEC_ERROR_CANCEL; each promptly
 * (a 5 s guard, with the time limit at its 30 s default), and the TA's
 * process lives on. A finite TEE_Wait runs to its end.
 */
#include "tests/secure/ta_proc_fixture.h"

struct open_call {
	TEEC_Context *ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	TEEC_Result res;
	uint32_t origin;
	int done;
};

static void *open_main(void *arg)
{
	struct open_call *o = arg;

	o->res = TEEC_OpenSession(o->ctx, &o->sess, &proc_plain,
				  TEEC_LOGIN_PUBLIC, NULL, &o->op, &o->origin);
	__atomic_store_n(&o->done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void cancel_call(TEEC_Session *s, uint32_t cmd, uint32_t a)
{
	struct ta_fixture_call c;
	int tries;

	/* a request that overtakes the call on its way ends it before the
	 * TA (origin TEE): then again, a little later */
	for (tries = 0; tries < 8; tries++) {
		ta_fixture_call_start(&c, s, cmd, a);
		usleep(50000 * (tries + 1));
		CHECK(!ta_fixture_call_done(&c));
		TEEC_RequestCancellation(&c.op);
		ta_fixture_call_join(&c, 5000);
		CHECK_EQ(c.res, TEEC_ERROR_CANCEL);
		if (c.origin == TEEC_ORIGIN_TRUSTED_APP)
			return;
	}
	CHECK(!"the cancellation never reached the TA");
}

int main(void)
{
	struct sw_fixture f;
	struct open_call o;
	pthread_t t;
	TEEC_Context ctx;
	TEEC_Session s;
	uint32_t origin;
	uint64_t start;
	pid_t pid;

	ta_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&ctx, &s, &proc_plain, &origin), TEEC_SUCCESS);
	pid = ta_fixture_pid(&s);

	cancel_call(&s, PROC_CMD_WAIT, 0xffffffffu); /* TEE_TIMEOUT_INFINITE */
	cancel_call(&s, PROC_CMD_SPIN_CANCEL, 0);
	CHECK_EQ(ta_fixture_pid(&s), pid);

	start = t_now_ms();
	CHECK_EQ(ta_fixture_value(&s, PROC_CMD_WAIT, 100, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK(t_now_ms() - start >= 100);

	/* an opening */
	memset(&o, 0, sizeof(o));
	o.ctx = &ctx;
	o.op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					   TEEC_NONE, TEEC_NONE);
	o.op.params[0].value.a = PROC_OPEN_WAIT;
	CHECK(!pthread_create(&t, NULL, open_main, &o));
	start = t_now_ms();
	while (!__atomic_load_n(&o.op.started, __ATOMIC_ACQUIRE) &&
	       t_now_ms() - start < 5000)
		usleep(100);
	usleep(300000); /* a process to start, then the wait */
	CHECK(!__atomic_load_n(&o.done, __ATOMIC_ACQUIRE));
	TEEC_RequestCancellation(&o.op);
	start = t_now_ms();
	while (!__atomic_load_n(&o.done, __ATOMIC_ACQUIRE) &&
	       t_now_ms() - start < 5000)
		usleep(1000);
	CHECK(!pthread_join(t, NULL));
	CHECK_EQ(o.res, TEEC_ERROR_CANCEL);

	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f);
	return T_PASS;
}
