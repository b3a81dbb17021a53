// SPDX-License-Identifier: MIT
/*
 * TEEC_RequestCancellation from a second thread on an invoke of noop
 * CMD_WAIT (20 s) makes the invoke return TEEC_ERROR_CANCEL promptly
 * (within 5 s, as a timeout guard, not a measurement). Once the call has
 * reached the TA the origin is TRUSTED_APP; should the request overtake
 * the call on its way the TEE refuses to start it (origin TEE) and the
 * attempt is repeated, waiting a little longer before cancelling. Every
 * attempt ends in CANCEL, a TA-side cancel is seen, and the session serves
 * calls afterwards, cancellable ones included.
 */
#include "tests/client/waiter.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <pthread.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

/* One attempt; returns the origin of the CANCEL. */
static uint32_t attempt(TEEC_Session *sess, int delay_ms)
{
	struct waiter w;

	waiter_start(&w, sess, 20000);
	usleep((useconds_t)delay_ms * 1000);
	CHECK(!waiter_done(&w)); /* 20 s wait */
	TEEC_RequestCancellation(&w.op);
	waiter_join(&w); /* not 20 s */
	CHECK_EQ(w.res, TEEC_ERROR_CANCEL);
	CHECK(w.origin == TEEC_ORIGIN_TRUSTED_APP ||
	      w.origin == TEEC_ORIGIN_TEE);
	return w.origin;
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin;
	int i, in_ta = 0;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);

	for (i = 0; i < 8 && in_ta < 3; i++)
		if (attempt(&sess, 20 + 40 * i) == TEEC_ORIGIN_TRUSTED_APP)
			in_ta++;
	CHECK_EQ(in_ta, 3);

	/* the session is fine: a short wait runs to its end */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = 5;
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_WAIT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
