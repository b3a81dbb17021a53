// SPDX-License-Identifier: MIT
/*
 * Async operations get their outputs exactly as TEEC_InvokeCommand would,
 * written back into each TEEC_Operation when its completion is reaped and
 * not before: value outputs, output sizes (produced, or needed with
 * SHORT_BUFFER), and bytes of temporary memrefs copied back into the
 * caller's buffers (which stay untouched while the operation is only
 * completed in the secure world), and in-place changes to shared memory.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;
static TEEC_Operation vals, copy, shortb, inv;

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	unsigned char src[300], dst[400], small[10], ref[400];
	int by_ud_seen[4] = { 0 };
	struct teeq_completion done[4];
	TEEC_SharedMemory shm;
	TEEC_Context ctx;
	TEEC_Session sess;
	teeq_queue *q;
	uint32_t origin;
	unsigned int k;
	size_t i;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	memset(&shm, 0, sizeof(shm));
	shm.size = 256;
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);
	memset(shm.buffer, 0x0f, 256);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	for (i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 5);
	memset(dst, 0xdd, sizeof(dst));
	memset(small, 0x55, sizeof(small));
	sw_fixture_wait_calls(&fx, 1);

	memset(&vals, 0, sizeof(vals));
	vals.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					   TEEC_VALUE_INOUT, TEEC_NONE);
	vals.params[0].value.a = 3;
	vals.params[0].value.b = 4;
	vals.params[1].value.a = 0xdead;
	vals.params[2].value.a = 10;
	vals.params[2].value.b = 20;
	memset(&copy, 0, sizeof(copy));
	copy.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					   TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					   TEEC_NONE);
	copy.params[0].tmpref.buffer = src;
	copy.params[0].tmpref.size = sizeof(src);
	copy.params[1].tmpref.buffer = dst;
	copy.params[1].tmpref.size = sizeof(dst);
	shortb = copy;
	shortb.params[1].tmpref.buffer = small;
	shortb.params[1].tmpref.size = sizeof(small);
	memset(&inv, 0, sizeof(inv));
	inv.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE,
					  TEEC_NONE, TEEC_NONE);
	inv.params[0].memref.parent = &shm;
	inv.params[0].memref.offset = 16;
	inv.params[0].memref.size = 32;

	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_ECHO_CMD_VALUES, &vals, 1),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_ECHO_CMD_COPY, &copy, 2),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_ECHO_CMD_COPY, &shortb, 3),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_ECHO_CMD_INVERT, &inv, 4),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_submit(q), 4);

	/* done in the secure world, not yet reaped: nothing written back */
	sw_fixture_wait_calls(&fx, 5);
	CHECK_EQ(vals.params[1].value.a, 0xdead);
	CHECK_EQ(vals.params[2].value.a, 10);
	CHECK_EQ(copy.params[1].tmpref.size, sizeof(dst));
	CHECK_EQ(shortb.params[1].tmpref.size, sizeof(small));
	memset(ref, 0xdd, sizeof(ref));
	CHECK_MEM(dst, ref, sizeof(dst));
	/* (shared memory is the secure world's to write at once) */
	CHECK_EQ(((unsigned char *)shm.buffer)[16], 0xf0);

	CHECK_EQ(teeq_reap(q, done, 4, 4, 10000), 4);
	for (k = 0; k < 4; k++) { /* in any order */
		static TEEC_Operation *const by_ud[] = { &vals, &copy, &shortb,
							 &inv };
		uint64_t u = done[k].user_data;

		CHECK(u >= 1 && u <= 4);
		CHECK(done[k].operation == by_ud[u - 1]);
		by_ud_seen[u - 1]++;
		CHECK_EQ(done[k].origin, TEEC_ORIGIN_TRUSTED_APP);
		CHECK_EQ(done[k].result,
			 u == 3 ? TEEC_ERROR_SHORT_BUFFER : TEEC_SUCCESS);
	}
	CHECK(by_ud_seen[0] == 1 && by_ud_seen[1] == 1 && by_ud_seen[2] == 1 &&
	      by_ud_seen[3] == 1);
	CHECK_EQ(vals.params[1].value.a, 3);
	CHECK_EQ(vals.params[1].value.b, 4);
	CHECK_EQ(vals.params[2].value.a, 13);
	CHECK_EQ(vals.params[2].value.b, 24);
	CHECK_EQ(copy.params[1].tmpref.size, sizeof(src));
	CHECK_MEM(dst, src, sizeof(src));
	CHECK_MEM(dst + sizeof(src), ref, sizeof(dst) - sizeof(src));
	CHECK_EQ(shortb.params[1].tmpref.size, sizeof(src));
	memset(ref, 0x55, sizeof(small));
	CHECK_MEM(small, ref, sizeof(small));
	CHECK_EQ(inv.params[0].memref.size, 32);
	for (i = 0; i < 256; i++)
		CHECK_EQ(((unsigned char *)shm.buffer)[i],
			 i >= 16 && i < 48 ? 0xf0 : 0x0f);

	teeq_queue_close(q);
	TEEC_ReleaseSharedMemory(&shm);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
