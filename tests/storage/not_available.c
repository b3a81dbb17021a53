// SPDX-License-Identifier: MIT
/*
 * With no supplicant attached, every storage command that needs one fails
 * at once (well under the supplicant timeout) with
 * TEEQ_ERROR_STORAGE_NOT_AVAILABLE from the trusted app, while calls to
 * other trusted apps, on the same context, go on. Once a supplicant
 * attaches, storage works; when it dies, storage fails at once again,
 * and a new supplicant finds the objects stored before.
 */
#include "tests/storage/fixture.h"

static struct st_fixture fx;

/* Each storage command: NOT_AVAILABLE, quickly; echo still answers. */
static void check_unavailable(TEEC_Session *s, TEEC_Session *echo)
{
	TEEC_Operation op = { 0 };
	uint32_t h, origin, count;
	char buf[64];
	size_t n;
	uint64_t t0;

	t0 = t_now_ms();
	CHECK_EQ(st_create(s, "k", TEEQ_STORAGE_ACCESS_WRITE, "v", 1, &h),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK_EQ(st_open(s, "k", TEEQ_STORAGE_ACCESS_READ, &h),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK_EQ(st_get(s, "kept", buf, sizeof(buf), &n),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK_EQ(st_list(s, buf, sizeof(buf), &count),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	/* the supplicant timeout is 10 s: "at once" is far below it */
	CHECK(t_now_ms() - t0 < 2000);

	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
	op.params[0].value.a = 5;
	CHECK_EQ(TEEC_InvokeCommand(echo, TEEQ_ECHO_CMD_VALUES, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[1].value.a, 5);
}

int main(void)
{
	static const TEEC_UUID echo_uuid = TEEQ_TA_ECHO_UUID;
	TEEC_Session s, echo;
	TEEC_Operation op = { 0 };
	TEEC_Context ctx;
	uint32_t origin = 0;
	char buf[64];
	size_t n;

	st_init(&fx);
	st_start_sw(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	st_open_session(&ctx, &s);
	CHECK_EQ(TEEC_OpenSession(&ctx, &echo, &echo_uuid, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	/* the origin is the trusted app's */
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT,
					 TEEC_VALUE_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = sizeof(buf);
	CHECK_EQ(TEEC_InvokeCommand(&s, TEEQ_STORAGE_CMD_LIST, &op, &origin),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	check_unavailable(&s, &echo);

	st_start_suppl(&fx);
	CHECK_EQ(st_wait_storage(&s), TEEC_SUCCESS);
	CHECK_EQ(st_put(&s, "kept", "value", 5), TEEC_SUCCESS);

	st_kill_suppl(&fx, SIGKILL);
	/* the socket's hang-up detaches it: the very next call knows */
	check_unavailable(&s, &echo);

	st_start_suppl(&fx);
	CHECK_EQ(st_wait_storage(&s), TEEC_SUCCESS);
	CHECK_EQ(st_get(&s, "kept", buf, sizeof(buf), &n), TEEC_SUCCESS);
	CHECK_EQ(n, 5);
	CHECK_MEM(buf, "value", 5);
	TEEC_CloseSession(&echo);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	return T_PASS;
}
