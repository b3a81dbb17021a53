// SPDX-License-Identifier: MIT
/*
 * Value parameters through the real transport: echo's VALUES command takes
 * VALUE_INPUT (a, b), answers VALUE_OUTPUT := (a, b) and VALUE_INOUT
 * (c, d) := (c + a, d + b), wrapping modulo 2^32. Inputs are never written
 * back, outputs are, whatever garbage the caller left in them; the same
 * values in another parameter order are BAD_PARAMETERS from the TA.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static void values(TEEC_Session *sess, uint32_t a, uint32_t b, uint32_t c,
		   uint32_t d)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
	op.params[0].value.a = a;
	op.params[0].value.b = b;
	op.params[1].value.a = 0xdeadbeef; /* garbage, must be replaced */
	op.params[1].value.b = 0xfeedface;
	op.params[2].value.a = c;
	op.params[2].value.b = d;
	op.params[3].value.a = 0x33333333; /* NONE: left alone */
	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_VALUES, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[0].value.a, a);
	CHECK_EQ(op.params[0].value.b, b);
	CHECK_EQ(op.params[1].value.a, a);
	CHECK_EQ(op.params[1].value.b, b);
	CHECK_EQ(op.params[2].value.a, (uint32_t)(c + a));
	CHECK_EQ(op.params[2].value.b, (uint32_t)(d + b));
	CHECK_EQ(op.params[3].value.a, 0x33333333);
	CHECK_EQ(op.started, 1);
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	static const uint32_t types[] = {
		TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
				 TEEC_VALUE_INOUT, TEEC_VALUE_INPUT),
		TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_VALUE_OUTPUT,
				 TEEC_VALUE_INOUT, TEEC_NONE),
		TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_INOUT,
				 TEEC_VALUE_INOUT, TEEC_NONE),
		TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
				 TEEC_VALUE_OUTPUT, TEEC_NONE),
		TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT, TEEC_NONE,
				 TEEC_NONE),
		0,
	};
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint64_t seed = 0x5eed;
	uint32_t origin;
	size_t i;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);

	values(&sess, 1, 2, 3, 4);
	values(&sess, 0, 0, 0, 0);
	values(&sess, 0xffffffffu, 0x80000000u, 2, 0x80000000u); /* wraps */
	for (i = 0; i < 200; i++) {
		uint64_t r1 = test_rand(&seed), r2 = test_rand(&seed);

		values(&sess, (uint32_t)r1, (uint32_t)(r1 >> 32), (uint32_t)r2,
		       (uint32_t)(r2 >> 32));
	}

	/* other shapes are the TA's to refuse; inputs stay as they were */
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memset(&op, 0, sizeof(op));
		op.paramTypes = types[i];
		op.params[0].value.a = 11;
		op.params[0].value.b = 12;
		origin = 0;
		CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &op,
					    &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
		if (TEEC_PARAM_TYPE_GET(types[i], 0) == TEEC_VALUE_INPUT) {
			CHECK_EQ(op.params[0].value.a, 11);
			CHECK_EQ(op.params[0].value.b, 12);
		}
	}
	/* and no operation at all */
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, NULL, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
