// SPDX-License-Identifier: MIT
/*
 * hello_counter's host: a plain GlobalPlatform client of the loaded
 * hello_counter TA (examples/ta/hello_counter/ta). Install the TA first,
 * by copying its .ta into teeq's TA directory ($TEEQ_TA_DIR, or
 * `pkg-config --variable=ta_dir teeq-ta`).
 *
 *   build/examples/ta/hello_counter
 */
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>

#include "../ta/include/hello_counter_ta.h"

static const TEEC_UUID hello_uuid = HELLO_COUNTER_TA_UUID;

static int check(TEEC_Result res, uint32_t origin, const char *what)
{
	if (res == TEEC_SUCCESS)
		return 0;
	fprintf(stderr, "%s failed: 0x%08x (origin %u)\n", what, res, origin);
	return 1;
}

/* One call; 0 and *value updated, or 1. */
static int hello_call(TEEC_Session *s, uint32_t cmd, uint32_t *value,
		      uint32_t *instance_calls)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INOUT, TEEC_VALUE_OUTPUT,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = *value;
	res = TEEC_InvokeCommand(s, cmd, &op, &origin);
	if (check(res, origin, "TEEC_InvokeCommand"))
		return 1;
	*value = op.params[0].value.a;
	*instance_calls = op.params[1].value.b;
	return 0;
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Result res;
	uint32_t origin = 0, value = 42, calls = 0, first;
	int failed = 0;

	if (check(TEEC_InitializeContext(NULL, &ctx), TEEC_ORIGIN_API,
		  "TEEC_InitializeContext"))
		return 1;
	res = TEEC_OpenSession(&ctx, &sess, &hello_uuid, TEEC_LOGIN_PUBLIC,
			       NULL, NULL, &origin);
	if (check(res, origin, "TEEC_OpenSession")) {
		TEEC_FinalizeContext(&ctx);
		return 1;
	}
	failed |= hello_call(&sess, HELLO_COUNTER_CMD_INC, &value, &calls);
	printf("42 + 1 = %u\n", value);
	failed |= value != 43;
	first = calls;
	failed |= hello_call(&sess, HELLO_COUNTER_CMD_DEC, &value, &calls);
	failed |= hello_call(&sess, HELLO_COUNTER_CMD_DEC, &value, &calls);
	printf("43 - 2 = %u\n", value);
	failed |= value != 41 || calls != first + 2;
	printf("the TA instance has served %u calls\n", calls);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	printf("%s\n", failed ? "FAILED" : "ok");
	return failed;
}
