// SPDX-License-Identifier: MIT
/*
 * Registering memory that lies in the context's heap (here: exactly where
 * an allocated shared memory begins) passes it in place, and releasing
 * that registration frees nothing: the allocation keeps its block (the
 * heap's use does not drop, the next allocation gets other memory) and
 * still works, both through itself and through the registration while it
 * lives. Only the allocation's own release gives the block back.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

#define SIZE 4096

/* echo INVERT over the whole of @shm: every byte b becomes b ^ 0xff. */
static void invert(TEEC_Session *sess, TEEC_SharedMemory *shm)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = shm;
	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

static uint64_t heap_in_use(TEEC_Context *ctx)
{
	struct teeq_stats st;

	teeq_context_stats(ctx, &st);
	return st.heap_in_use;
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	TEEC_SharedMemory alloc, reg, next;
	unsigned char *mem, want[SIZE];
	struct teeq_stats st;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;
	uint64_t used;
	size_t i;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);

	memset(&alloc, 0, sizeof(alloc));
	alloc.size = SIZE;
	alloc.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &alloc), TEEC_SUCCESS);
	mem = alloc.buffer;
	for (i = 0; i < SIZE; i++)
		mem[i] = want[i] = (unsigned char)(i * 7);
	used = heap_in_use(&ctx);
	CHECK(used >= SIZE);

	/* the same memory, registered: in place, no shadow */
	memset(&reg, 0, sizeof(reg));
	reg.buffer = mem;
	reg.size = SIZE;
	reg.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemory(&ctx, &reg), TEEC_SUCCESS);
	CHECK_EQ(heap_in_use(&ctx), used);
	invert(&sess, &reg);
	for (i = 0; i < SIZE; i++)
		want[i] ^= 0xff;
	CHECK_MEM(mem, want, SIZE);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.bounced_memrefs, 0);

	/* releasing the registration leaves the allocation alone */
	TEEC_ReleaseSharedMemory(&reg);
	CHECK_EQ(heap_in_use(&ctx), used);
	memset(&next, 0, sizeof(next));
	next.size = SIZE;
	next.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &next), TEEC_SUCCESS);
	CHECK(next.buffer != alloc.buffer);
	CHECK((unsigned char *)next.buffer + SIZE <= mem ||
	      mem + SIZE <= (unsigned char *)next.buffer);
	memset(next.buffer, 0x5a, SIZE);
	CHECK_MEM(mem, want, SIZE);
	invert(&sess, &alloc);
	for (i = 0; i < SIZE; i++)
		want[i] ^= 0xff;
	CHECK_MEM(mem, want, SIZE);

	/* the allocation's own release does free it */
	TEEC_ReleaseSharedMemory(&next);
	TEEC_ReleaseSharedMemory(&alloc);
	CHECK_EQ(heap_in_use(&ctx), 0);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
