// SPDX-License-Identifier: MIT
/*
 * A paramTypes nibble that is no GlobalPlatform type (4, 8, 9, 10, 11) in
 * any of the four positions is BAD_PARAMETERS with origin API, from
 * InvokeCommand and OpenSession alike: nothing reaches teeq-sw (its call
 * count does not move), and temporary memrefs already bounced for earlier
 * parameters of the same operation are given back (the heap is empty
 * again, nothing is copied back).
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	static const uint32_t bad[] = { 4, 8, 9, 10, 11 };
	unsigned char buf[4][64], ref[64];
	struct teeq_stats st;
	TEEC_Context ctx;
	TEEC_Session sess, s2;
	TEEC_Operation op;
	uint32_t origin;
	size_t b, pos, i;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(sw_fixture_calls(&fx), 1);
	memset(ref, 0x3c, sizeof(ref));

	for (b = 0; b < sizeof(bad) / sizeof(bad[0]); b++) {
		for (pos = 0; pos < 4; pos++) {
			uint32_t types = 0;

			/* valid temporary INOUT memrefs everywhere else */
			memset(&op, 0, sizeof(op));
			for (i = 0; i < 4; i++) {
				types |= (i == pos ? bad[b] :
						     TEEC_MEMREF_TEMP_INOUT)
					 << (4 * i);
				memset(buf[i], 0x3c, sizeof(buf[i]));
				op.params[i].tmpref.buffer = buf[i];
				op.params[i].tmpref.size = sizeof(buf[i]);
			}
			op.paramTypes = types;
			origin = 0;
			CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT,
						    &op, &origin),
				 TEEC_ERROR_BAD_PARAMETERS);
			CHECK_EQ(origin, TEEC_ORIGIN_API);
			for (i = 0; i < 4; i++)
				CHECK_MEM(buf[i], ref, sizeof(ref));
			teeq_context_stats(&ctx, &st);
			CHECK_EQ(st.heap_in_use, 0);

			/* the same operation opening a session */
			origin = 0;
			CHECK_EQ(TEEC_OpenSession(&ctx, &s2, &echo,
						  TEEC_LOGIN_PUBLIC, NULL, &op,
						  &origin),
				 TEEC_ERROR_BAD_PARAMETERS);
			CHECK_EQ(origin, TEEC_ORIGIN_API);
			teeq_context_stats(&ctx, &st);
			CHECK_EQ(st.heap_in_use, 0);
		}
	}
	/* the valid value nibbles next to them are fine */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(sw_fixture_calls(&fx),
		 2); /* only the open and that one reached the TEE */

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
