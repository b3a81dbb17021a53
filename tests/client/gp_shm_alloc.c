// SPDX-License-Identifier: MIT
/*
 * TEEC_AllocateSharedMemory: the buffer lives in the channel heap, so every
 * memref over it (MEMREF_WHOLE, MEMREF_PARTIAL_INPUT/OUTPUT/INOUT) is
 * passed in place: counted as zero-copy, never bounced. WHOLE takes the
 * direction of the shm's flags; PARTIAL windows touch exactly their bytes
 * at their offset; output sizes come back in memref.size (the produced size,
 * or the needed one with SHORT_BUFFER). Memory registered with
 * TEEC_RegisterSharedMemory inside such a buffer is zero-copy too. The heap
 * accounting returns to where it was after release; bad flags and a NULL
 * context are BAD_PARAMETERS.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static uint64_t zero_copy_seen;

static void check_zero_copy(TEEC_Context *ctx, uint64_t more)
{
	struct teeq_stats st;

	teeq_context_stats(ctx, &st);
	CHECK_EQ(st.zero_copy_memrefs - zero_copy_seen, more);
	CHECK_EQ(st.bounced_memrefs, 0);
	CHECK_EQ(st.bounce_bytes, 0);
	zero_copy_seen = st.zero_copy_memrefs;
}

static TEEC_Result invoke(TEEC_Session *sess, uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin = 0;
	TEEC_Result res = TEEC_InvokeCommand(sess, cmd, op, &origin);

	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	return res;
}

static void fill(TEEC_SharedMemory *shm, unsigned char seed)
{
	size_t i;

	for (i = 0; i < shm->size; i++)
		((unsigned char *)shm->buffer)[i] = (unsigned char)(seed + i);
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	TEEC_SharedMemory io, in, out, empty, inner, bad;
	unsigned char copy[4096];
	struct teeq_stats st0, st;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin;
	size_t i;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	teeq_context_stats(&ctx, &st0);
	CHECK_EQ(st0.heap_in_use, 0);

	/* bad requests */
	memset(&bad, 0, sizeof(bad));
	bad.size = 16;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &bad),
		 TEEC_ERROR_BAD_PARAMETERS); /* no flags */
	bad.flags = 4;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &bad),
		 TEEC_ERROR_BAD_PARAMETERS); /* unknown flag */
	bad.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(NULL, &bad),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, NULL),
		 TEEC_ERROR_BAD_PARAMETERS);

	memset(&io, 0, sizeof(io));
	io.size = 4096;
	io.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &io), TEEC_SUCCESS);
	CHECK(io.buffer != NULL);
	CHECK_EQ(io.size, 4096);
	memset(&in, 0, sizeof(in));
	in.size = 1000;
	in.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &in), TEEC_SUCCESS);
	memset(&out, 0, sizeof(out));
	out.size = 3000;
	out.flags = TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &out), TEEC_SUCCESS);
	memset(&empty, 0, sizeof(empty));
	empty.size = 0;
	empty.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &empty), TEEC_SUCCESS);
	teeq_context_stats(&ctx, &st);
	CHECK(st.heap_in_use >= 4096 + 1000 + 3000);
	check_zero_copy(&ctx, 0);

	/* WHOLE on an INOUT buffer: inverted in place */
	fill(&io, 1);
	memcpy(copy, io.buffer, io.size);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &io;
	CHECK_EQ(invoke(&sess, TEEQ_ECHO_CMD_INVERT, &op), TEEC_SUCCESS);
	CHECK_EQ(op.params[0].memref.size, 4096);
	for (i = 0; i < io.size; i++)
		CHECK_EQ(((unsigned char *)io.buffer)[i],
			 (unsigned char)~copy[i]);
	check_zero_copy(&ctx, 1);

	/* PARTIAL_INOUT: exactly the window */
	fill(&io, 9);
	memcpy(copy, io.buffer, io.size);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &io;
	op.params[0].memref.offset = 100;
	op.params[0].memref.size = 50;
	CHECK_EQ(invoke(&sess, TEEQ_ECHO_CMD_INVERT, &op), TEEC_SUCCESS);
	CHECK_EQ(op.params[0].memref.size, 50);
	CHECK_EQ(op.params[0].memref.offset, 100);
	for (i = 0; i < io.size; i++)
		CHECK_EQ(((unsigned char *)io.buffer)[i],
			 i >= 100 && i < 150 ? (unsigned char)~copy[i] :
					       copy[i]);
	check_zero_copy(&ctx, 1);
	/* a window ending exactly at the end of the buffer */
	op.params[0].memref.offset = 4000;
	op.params[0].memref.size = 96;
	CHECK_EQ(invoke(&sess, TEEQ_ECHO_CMD_INVERT, &op), TEEC_SUCCESS);
	CHECK_EQ(((unsigned char *)io.buffer)[4095], copy[4095] ^ 0xff);
	CHECK_EQ(((unsigned char *)io.buffer)[3999], copy[3999]);
	check_zero_copy(&ctx, 1);

	/* PARTIAL_INPUT -> PARTIAL_OUTPUT across two buffers */
	fill(&in, 50);
	memset(out.buffer, 0xcc, out.size);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = &in;
	op.params[0].memref.offset = 10;
	op.params[0].memref.size = 100;
	op.params[1].memref.parent = &out;
	op.params[1].memref.offset = 20;
	op.params[1].memref.size = 300;
	CHECK_EQ(invoke(&sess, TEEQ_ECHO_CMD_COPY, &op), TEEC_SUCCESS);
	CHECK_EQ(op.params[0].memref.size, 100);
	CHECK_EQ(op.params[1].memref.size, 100);
	CHECK_MEM((unsigned char *)out.buffer + 20,
		  (unsigned char *)in.buffer + 10, 100);
	for (i = 0; i < out.size; i++)
		if (i < 20 || i >= 120)
			CHECK_EQ(((unsigned char *)out.buffer)[i], 0xcc);
	check_zero_copy(&ctx, 2);

	/* too small an output window: SHORT_BUFFER, the needed size */
	memset(out.buffer, 0xcc, out.size);
	op.params[1].memref.size = 99;
	CHECK_EQ(invoke(&sess, TEEQ_ECHO_CMD_COPY, &op),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(op.params[1].memref.size, 100);
	for (i = 0; i < out.size; i++)
		CHECK_EQ(((unsigned char *)out.buffer)[i], 0xcc);
	check_zero_copy(&ctx, 2);

	/* WHOLE on an INPUT-only and an OUTPUT-only buffer: the directions
	 * come from the flags; the size comes back as produced */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_MEMREF_WHOLE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &in;
	op.params[1].memref.parent = &out;
	CHECK_EQ(invoke(&sess, TEEQ_ECHO_CMD_COPY, &op), TEEC_SUCCESS);
	CHECK_EQ(op.params[1].memref.size, 1000);
	CHECK_MEM(out.buffer, in.buffer, 1000);
	check_zero_copy(&ctx, 2);
	/* WHOLE over an INOUT buffer is an INOUT: not what COPY takes */
	op.params[0].memref.parent = &io;
	CHECK_EQ(invoke(&sess, TEEQ_ECHO_CMD_COPY, &op),
		 TEEC_ERROR_BAD_PARAMETERS);
	check_zero_copy(&ctx, 2);

	/* a zero-size buffer: an empty window */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &empty;
	CHECK_EQ(invoke(&sess, TEEQ_ECHO_CMD_INVERT, &op), TEEC_SUCCESS);
	CHECK_EQ(op.params[0].memref.size, 0);
	check_zero_copy(&ctx, 1);

	/* registered memory inside the heap is passed in place too */
	memset(&inner, 0, sizeof(inner));
	inner.buffer = (unsigned char *)io.buffer + 64;
	inner.size = 128;
	inner.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemory(&ctx, &inner), TEEC_SUCCESS);
	memcpy(copy, io.buffer, io.size);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &inner;
	op.params[0].memref.offset = 8;
	op.params[0].memref.size = 16;
	CHECK_EQ(invoke(&sess, TEEQ_ECHO_CMD_INVERT, &op), TEEC_SUCCESS);
	for (i = 0; i < io.size; i++)
		CHECK_EQ(((unsigned char *)io.buffer)[i],
			 i >= 72 && i < 88 ? (unsigned char)~copy[i] : copy[i]);
	check_zero_copy(&ctx, 1);
	TEEC_ReleaseSharedMemory(&inner);
	/* releasing the registration leaves the allocation alone */
	CHECK(io.buffer != NULL);
	((unsigned char *)io.buffer)[0] = 1;

	TEEC_ReleaseSharedMemory(&io);
	TEEC_ReleaseSharedMemory(&in);
	TEEC_ReleaseSharedMemory(&out);
	TEEC_ReleaseSharedMemory(&empty);
	CHECK(io.buffer == NULL);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.heap_in_use, st0.heap_in_use);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
