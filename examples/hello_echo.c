// SPDX-License-Identifier: MIT
/*
 * hello_echo: a plain GlobalPlatform client of the echo trusted app. It
 * includes only <tee_client_api.h> (and the TA's command numbers) and
 * links with -lteeq; the same source builds against any GP client library.
 *
 *   build/examples/hello_echo
 */
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>

#include "teeq_tas.h" /* installed in <includedir>/teeq */

static const TEEC_UUID echo_uuid = TEEQ_TA_ECHO_UUID;

static int check(TEEC_Result res, uint32_t origin, const char *what)
{
	if (res == TEEC_SUCCESS)
		return 0;
	fprintf(stderr, "%s failed: 0x%08x (origin %u)\n", what, res, origin);
	return 1;
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	TEEC_SharedMemory shm;
	TEEC_Result res;
	uint32_t origin = 0;
	char reply[32] = { 0 };
	const char *hello = "hello, secure world";
	int failed = 0;

	res = TEEC_InitializeContext(NULL, &ctx);
	if (check(res, TEEC_ORIGIN_API, "TEEC_InitializeContext"))
		return 1;
	res = TEEC_OpenSession(&ctx, &sess, &echo_uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	if (check(res, origin, "TEEC_OpenSession")) {
		TEEC_FinalizeContext(&ctx);
		return 1;
	}

	/* values: p1 := p0, p2 += p0 */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
	op.params[0].value.a = 40;
	op.params[0].value.b = 2;
	op.params[2].value.a = 1;
	op.params[2].value.b = 1;
	res = TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &op, &origin);
	failed |= check(res, origin, "echo values");
	printf("values: (%u, %u) came back as (%u, %u); (1, 1) became (%u, %u)\n",
	       40, 2, op.params[1].value.a, op.params[1].value.b,
	       op.params[2].value.a, op.params[2].value.b);
	failed |= op.params[1].value.a != 40 || op.params[2].value.a != 41;

	/* temporary memory references: copied through the shared heap */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)hello;
	op.params[0].tmpref.size = strlen(hello) + 1;
	op.params[1].tmpref.buffer = reply;
	op.params[1].tmpref.size = sizeof(reply);
	res = TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_COPY, &op, &origin);
	failed |= check(res, origin, "echo copy");
	printf("copy: \"%s\" (%zu bytes)\n", reply, op.params[1].tmpref.size);
	failed |= strcmp(reply, hello) != 0;

	/* shared memory: the trusted app works on it in place */
	memset(&shm, 0, sizeof(shm));
	shm.size = 4096;
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	res = TEEC_AllocateSharedMemory(&ctx, &shm);
	failed |= check(res, TEEC_ORIGIN_API, "TEEC_AllocateSharedMemory");
	if (res == TEEC_SUCCESS) {
		memset(shm.buffer, 0x0f, shm.size);
		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
						 TEEC_NONE, TEEC_NONE);
		op.params[0].memref.parent = &shm;
		res = TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op,
					 &origin);
		failed |= check(res, origin, "echo invert");
		printf("invert in place: 0x0f became 0x%02x\n",
		       ((unsigned char *)shm.buffer)[123]);
		failed |= ((unsigned char *)shm.buffer)[123] != 0xf0;
		TEEC_ReleaseSharedMemory(&shm);
	}

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	printf(failed ? "hello_echo: FAILED\n" : "hello_echo: ok\n");
	return failed;
}
