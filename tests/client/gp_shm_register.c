// SPDX-License-Identifier: MIT
/*
 * TEEC_RegisterSharedMemory over plain malloc memory: the secure side
 * cannot see it, so each memref over it is bounced through the shadow the
 * registration reserved in the heap, and teeq_context_stats counts exactly
 * that: one bounced_memref per memref, bounce_bytes = the window copied in
 * (INPUT/INOUT) plus the bytes produced copied back (OUTPUT/INOUT, not on
 * error), zero_copy_memrefs untouched. (In kernel mode the driver pins
 * the pages: one zero_copy_memref per memref, nothing copied.) Only the window moves: bytes of the
 * caller's buffer outside it, or past what the TA produced, are never
 * overwritten, and changes the caller makes between calls are seen. A NULL
 * buffer with a size, or no flags, is BAD_PARAMETERS.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static struct teeq_stats last;

/* The stats moved by exactly this since the previous check. In kernel
 * mode the driver pinned the pages instead: each memref is passed in
 * place, nothing is copied. */
static void check_bounced(TEEC_Context *ctx, uint64_t memrefs, uint64_t bytes)
{
	struct teeq_stats st;

	teeq_context_stats(ctx, &st);
	if (sw_fixture_kernel()) {
		CHECK_EQ(st.zero_copy_memrefs - last.zero_copy_memrefs,
			 memrefs);
		CHECK_EQ(st.bounced_memrefs, 0);
		CHECK_EQ(st.bounce_bytes, 0);
	} else {
		CHECK_EQ(st.bounced_memrefs - last.bounced_memrefs, memrefs);
		CHECK_EQ(st.bounce_bytes - last.bounce_bytes, bytes);
		CHECK_EQ(st.zero_copy_memrefs, 0);
	}
	CHECK_EQ(st.heap_in_use, last.heap_in_use); /* shadows stay put */
	last = st;
}

static void reg(TEEC_Context *ctx, TEEC_SharedMemory *shm, void *buf,
		size_t size, uint32_t flags)
{
	memset(shm, 0, sizeof(*shm));
	shm->buffer = buf;
	shm->size = size;
	shm->flags = flags;
	CHECK_EQ(TEEC_RegisterSharedMemory(ctx, shm), TEEC_SUCCESS);
	CHECK(shm->buffer == buf); /* the caller's memory stays the buffer */
	CHECK_EQ(shm->size, size);
}

static TEEC_Result copy(TEEC_Session *sess, uint32_t t0, TEEC_SharedMemory *src,
			size_t soff, size_t ssize, uint32_t t1,
			TEEC_SharedMemory *dst, size_t doff, size_t *dsize)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(t0, t1, TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = src;
	op.params[0].memref.offset = soff;
	op.params[0].memref.size = ssize;
	op.params[1].memref.parent = dst;
	op.params[1].memref.offset = doff;
	op.params[1].memref.size = *dsize;
	res = TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_COPY, &op, &origin);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	*dsize = op.params[1].memref.size;
	return res;
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	unsigned char *a = malloc(1000), *b = malloc(500), *c = malloc(300);
	unsigned char ref[1000];
	TEEC_SharedMemory sa, sb, sc, bad;
	struct teeq_stats st0, st;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin;
	size_t i, n;

	CHECK(a && b && c);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	teeq_context_stats(&ctx, &st0);

	memset(&bad, 0, sizeof(bad));
	bad.size = 10;
	bad.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_RegisterSharedMemory(&ctx, &bad),
		 TEEC_ERROR_BAD_PARAMETERS); /* NULL buffer with a size */
	bad.buffer = a;
	bad.flags = 0;
	CHECK_EQ(TEEC_RegisterSharedMemory(&ctx, &bad),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(TEEC_RegisterSharedMemory(NULL, &bad),
		 TEEC_ERROR_BAD_PARAMETERS);

	for (i = 0; i < 1000; i++)
		a[i] = (unsigned char)(i * 13);
	for (i = 0; i < 300; i++)
		c[i] = (unsigned char)(i + 100);
	memset(b, 0xbb, 500);
	reg(&ctx, &sa, a, 1000, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	reg(&ctx, &sb, b, 500, TEEC_MEM_OUTPUT);
	reg(&ctx, &sc, c, 300, TEEC_MEM_INPUT);
	teeq_context_stats(&ctx, &last);
	/* host mode's shadows are in the heap; kernel mode pins, no heap */
	if (sw_fixture_kernel())
		CHECK_EQ(last.heap_in_use, st0.heap_in_use);
	else
		CHECK(last.heap_in_use >= st0.heap_in_use + 1000 + 500 + 300);
	CHECK_EQ(last.bounced_memrefs, 0);

	/* PARTIAL_INOUT: 300 bytes in, 300 back; nothing else changes */
	memcpy(ref, a, 1000);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &sa;
	op.params[0].memref.offset = 100;
	op.params[0].memref.size = 300;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	for (i = 0; i < 1000; i++)
		CHECK_EQ(a[i],
			 i >= 100 && i < 400 ? (unsigned char)~ref[i] : ref[i]);
	check_bounced(&ctx, 1, 600);

	/* WHOLE over the INOUT registration: all of it, both ways */
	memcpy(ref, a, 1000);
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	for (i = 0; i < 1000; i++)
		CHECK_EQ(a[i], (unsigned char)~ref[i]);
	check_bounced(&ctx, 1, 2000);

	/* INPUT window in, only the 200 bytes produced back */
	n = 500;
	CHECK_EQ(copy(&sess, TEEC_MEMREF_PARTIAL_INPUT, &sc, 50, 200,
		      TEEC_MEMREF_PARTIAL_OUTPUT, &sb, 0, &n),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 200);
	CHECK_MEM(b, c + 50, 200);
	for (i = 200; i < 500; i++)
		CHECK_EQ(b[i], 0xbb);
	check_bounced(&ctx, 2, 400);

	/* SHORT_BUFFER: the input went in, nothing came back */
	memset(b, 0xbb, 500);
	n = 100;
	CHECK_EQ(copy(&sess, TEEC_MEMREF_PARTIAL_INPUT, &sc, 0, 300,
		      TEEC_MEMREF_PARTIAL_OUTPUT, &sb, 400, &n),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, 300);
	for (i = 0; i < 500; i++)
		CHECK_EQ(b[i], 0xbb);
	check_bounced(&ctx, 2, 300);

	/* WHOLE INPUT -> WHOLE OUTPUT; the caller changed the source since */
	for (i = 0; i < 300; i++)
		c[i] = (unsigned char)(255 - i);
	n = 0;
	CHECK_EQ(copy(&sess, TEEC_MEMREF_WHOLE, &sc, 0, 0, TEEC_MEMREF_WHOLE,
		      &sb, 0, &n),
		 TEEC_SUCCESS);
	CHECK_EQ(n, 300);
	CHECK_MEM(b, c, 300);
	for (i = 300; i < 500; i++)
		CHECK_EQ(b[i], 0xbb);
	check_bounced(&ctx, 2, 600);

	TEEC_ReleaseSharedMemory(&sa);
	TEEC_ReleaseSharedMemory(&sb);
	TEEC_ReleaseSharedMemory(&sc);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.heap_in_use, st0.heap_in_use);
	CHECK_EQ(st.zero_copy_memrefs, last.zero_copy_memrefs);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	free(a);
	free(b);
	free(c);
	sw_fixture_stop(&fx);
	return T_PASS;
}
