// SPDX-License-Identifier: MIT
/*
 * Buffers the channel's heap cannot hold still work, as
 * TEEC_CONFIG_SHAREDMEM_MAX_SIZE promises. With TEEQ_HEAP_MB=1, 4 MiB
 * temporary memrefs (INOUT, and INPUT to OUTPUT) go through a memfd of
 * the call's own, registered for the call and gone after it; 4 MiB of
 * allocated shared memory is a memfd of its own, passed in place (no
 * bounce counted); 4 MiB of registered plain memory gets a memfd shadow.
 * The bytes are right every time, and nothing stays behind: the heap is
 * empty and the secure world holds no registered buffer at the end.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

#define BIG (4u << 20)

static struct sw_fixture fx;

static TEEC_Session sess;

static void fill(unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 131 + seed + (i >> 12));
}

static void check_inverted(const unsigned char *p, size_t n, unsigned int seed)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i] !=
		    (unsigned char)~(unsigned char)(i * 131 + seed + (i >> 12)))
			break;
	CHECK_EQ(i, n);
}

static void invert_tmp(unsigned char *buf)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = BIG;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[0].tmpref.size, BIG);
}

static void invert_shm(TEEC_SharedMemory *shm)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = shm;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	unsigned char *a = malloc(BIG), *b = malloc(BIG);
	struct teeq_stats st0, st;
	struct teeq_sw_stats sw;
	TEEC_SharedMemory alloc, reg;
	TEEC_Operation op;
	TEEC_Context ctx;
	uint32_t origin;

	sw_fixture_host_only("host mode's heap (TEEQ_HEAP_MB) and its memfds");

	CHECK(a && b);
	setenv("TEEQ_HEAP_MB", "1", 1);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	teeq_context_stats(&ctx, &st0);
	CHECK(st0.heap_size < BIG);

	/* temporary memrefs */
	fill(a, BIG, 1);
	invert_tmp(a);
	check_inverted(a, BIG, 1);
	fill(a, BIG, 2);
	memset(b, 0, BIG);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = a;
	op.params[0].tmpref.size = BIG;
	op.params[1].tmpref.buffer = b;
	op.params[1].tmpref.size = BIG;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_COPY, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[1].tmpref.size, BIG);
	CHECK_MEM(a, b, BIG);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.bounced_memrefs - st0.bounced_memrefs, 3);
	CHECK_EQ(st.heap_in_use, 0);

	/* allocated: zero-copy */
	memset(&alloc, 0, sizeof(alloc));
	alloc.size = BIG;
	alloc.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &alloc), TEEC_SUCCESS);
	fill(alloc.buffer, BIG, 3);
	teeq_context_stats(&ctx, &st0);
	invert_shm(&alloc);
	check_inverted(alloc.buffer, BIG, 3);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.zero_copy_memrefs - st0.zero_copy_memrefs, 1);
	CHECK_EQ(st.bounced_memrefs, st0.bounced_memrefs);

	/* registered plain memory: through a shadow of its own */
	memset(&reg, 0, sizeof(reg));
	reg.buffer = b;
	reg.size = BIG;
	reg.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemory(&ctx, &reg), TEEC_SUCCESS);
	fill(b, BIG, 4);
	invert_shm(&reg);
	check_inverted(b, BIG, 4);

	sw_fixture_stats(&fx, &sw);
	CHECK_EQ(sw.ext_buffers, 2); /* the allocation and the shadow */
	TEEC_ReleaseSharedMemory(&alloc);
	TEEC_ReleaseSharedMemory(&reg);
	sw_fixture_stats(&fx, &sw);
	CHECK_EQ(sw.ext_buffers, 0);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.heap_in_use, 0);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	free(a);
	free(b);
	return T_PASS;
}
