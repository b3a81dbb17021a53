// SPDX-License-Identifier: MIT
/*
 * Shared memory used the wrong way is refused by libteeq itself
 * (BAD_PARAMETERS, origin API) and nothing reaches the secure world: a
 * PARTIAL_OUTPUT or PARTIAL_INOUT over an INPUT-only shm, a PARTIAL_INPUT
 * over an OUTPUT-only one, a NULL parent, a shm of another context, a
 * released shm, and a stale copy of a released shm's struct even after a
 * new shm took its place. Releasing twice, or releasing through the stale
 * copy, is harmless and leaves the new shm working; the heap accounting
 * ends where it began.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static void alloc(TEEC_Context *ctx, TEEC_SharedMemory *shm, size_t size,
		  uint32_t flags)
{
	memset(shm, 0, sizeof(*shm));
	shm->size = size;
	shm->flags = flags;
	CHECK_EQ(TEEC_AllocateSharedMemory(ctx, shm), TEEC_SUCCESS);
}

/* One memref parameter over @shm, for INVERT (p0 only). */
static TEEC_Result invert(TEEC_Session *sess, uint32_t type,
			  TEEC_SharedMemory *shm, size_t off, size_t size,
			  uint32_t *origin)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(type, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = shm;
	op.params[0].memref.offset = off;
	op.params[0].memref.size = size;
	*origin = 0;
	return TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_INVERT, &op, origin);
}

static void refused(TEEC_Session *sess, uint32_t type, TEEC_SharedMemory *shm,
		    size_t off, size_t size)
{
	uint32_t origin;

	CHECK_EQ(invert(sess, type, shm, off, size, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	TEEC_SharedMemory in, out, io, other, stale, fresh;
	struct teeq_sw_stats sw0, sw1;
	struct teeq_stats st0, st;
	TEEC_Context ctx, ctx2;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx2), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	teeq_context_stats(&ctx, &st0);
	/* the open, counted before its completion was published */
	sw_fixture_stats(&fx, &sw0);
	CHECK_EQ(sw0.calls, 1);

	alloc(&ctx, &in, 256, TEEC_MEM_INPUT);
	alloc(&ctx, &out, 256, TEEC_MEM_OUTPUT);
	alloc(&ctx, &io, 256, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	alloc(&ctx2, &other, 256, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);

	/* directions the shm does not allow */
	refused(&sess, TEEC_MEMREF_PARTIAL_OUTPUT, &in, 0, 16);
	refused(&sess, TEEC_MEMREF_PARTIAL_INOUT, &in, 0, 16);
	refused(&sess, TEEC_MEMREF_PARTIAL_INPUT, &out, 0, 16);
	refused(&sess, TEEC_MEMREF_PARTIAL_INOUT, &out, 0, 16);
	/* no parent, another context's shm */
	refused(&sess, TEEC_MEMREF_PARTIAL_INOUT, NULL, 0, 16);
	refused(&sess, TEEC_MEMREF_WHOLE, NULL, 0, 0);
	refused(&sess, TEEC_MEMREF_PARTIAL_INOUT, &other, 0, 16);
	refused(&sess, TEEC_MEMREF_WHOLE, &other, 0, 0);

	/* none of that reached the secure world */
	sw_fixture_stats(&fx, &sw1);
	CHECK_EQ(sw1.calls, sw0.calls);
	CHECK_EQ(sw1.calls, 1);

	/* the same shms used properly work */
	CHECK_EQ(invert(&sess, TEEC_MEMREF_PARTIAL_INOUT, &io, 0, 16, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = &in;
	op.params[0].memref.size = 16;
	op.params[1].memref.parent = &out;
	op.params[1].memref.size = 16;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_COPY, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);

	/* released: refused; released twice: harmless */
	stale = io; /* a copy of the struct, kept past the release */
	TEEC_ReleaseSharedMemory(&io);
	CHECK(io.buffer == NULL);
	refused(&sess, TEEC_MEMREF_WHOLE, &io, 0, 0);
	refused(&sess, TEEC_MEMREF_PARTIAL_INOUT, &io, 0, 16);
	TEEC_ReleaseSharedMemory(&io);
	TEEC_ReleaseSharedMemory(NULL);

	/* a new shm, perhaps in the same place: the stale copy stays dead */
	alloc(&ctx, &fresh, 256, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	refused(&sess, TEEC_MEMREF_WHOLE, &stale, 0, 0);
	refused(&sess, TEEC_MEMREF_PARTIAL_INOUT, &stale, 0, 16);
	TEEC_ReleaseSharedMemory(&stale); /* must not free the new one */
	memset(fresh.buffer, 0x0f, 256);
	CHECK_EQ(invert(&sess, TEEC_MEMREF_WHOLE, &fresh, 0, 0, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(((unsigned char *)fresh.buffer)[0], 0xf0);
	CHECK_EQ(((unsigned char *)fresh.buffer)[255], 0xf0);
	TEEC_ReleaseSharedMemory(&fresh);

	TEEC_ReleaseSharedMemory(&in);
	TEEC_ReleaseSharedMemory(&out);
	TEEC_ReleaseSharedMemory(&other);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.heap_in_use, st0.heap_in_use);
	CHECK_EQ(st.bounced_memrefs, 0);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx2);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
