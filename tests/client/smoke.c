// SPDX-License-Identifier: MIT
/* A context on a private teeq-sw: open a session, one call, the stats see
 * it, and closing the context closes the session on the secure side. */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	struct sw_fixture f;
	struct teeq_sw_stats st;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin = 0;
	int i;

	sw_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, NULL, &origin),
		 TEEC_SUCCESS);
	sw_fixture_stats(&f, &st);
	CHECK_EQ(st.clients, 1);
	CHECK_EQ(st.sessions, 1);
	CHECK_EQ(st.calls, 2);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	/* the secure world notices the hang-up on its own */
	for (i = 0; i < 2000; i++) {
		sw_fixture_stats(&f, &st);
		if (!st.clients)
			break;
		usleep(1000);
	}
	CHECK_EQ(st.clients, 0);
	CHECK_EQ(st.sessions, 0);
	CHECK_EQ(st.region_bytes, 0);
	sw_fixture_stop(&f);
	return T_PASS;
}
