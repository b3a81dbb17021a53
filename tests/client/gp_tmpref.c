// SPDX-License-Identifier: MIT
/*
 * Temporary memory references (MEMREF_TEMP_INPUT/OUTPUT/INOUT) through the
 * real transport. They are the caller's own memory, so each is bounced
 * through the channel heap: the context's stats count every one and the
 * exact bytes copied (in for INPUT/INOUT, back for OUTPUT/INOUT, only the
 * bytes produced, nothing back on error), and the heap is empty again after
 * each call. Output sizes are updated: the produced size on success, the
 * needed size with SHORT_BUFFER (the buffer untouched). A NULL buffer is a
 * null memref that asks for the needed size; a zero-size window with a
 * buffer is an empty one and moves nothing.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

struct counts {
	uint64_t bounced, bytes, zero_copy;
};

static struct sw_fixture fx;

static struct counts last;

/* The stats moved by exactly this since the previous check. */
static void check_stats(TEEC_Context *ctx, uint64_t bounced, uint64_t bytes)
{
	struct teeq_stats st;

	teeq_context_stats(ctx, &st);
	CHECK_EQ(st.bounced_memrefs - last.bounced, bounced);
	CHECK_EQ(st.bounce_bytes - last.bytes, bytes);
	CHECK_EQ(st.zero_copy_memrefs, 0);
	CHECK_EQ(st.heap_in_use, 0);
	last.bounced = st.bounced_memrefs;
	last.bytes = st.bounce_bytes;
}

static TEEC_Result copy(TEEC_Session *sess, void *src, size_t src_size,
			void *dst, size_t *dst_size, uint32_t *origin)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = src;
	op.params[0].tmpref.size = src_size;
	op.params[1].tmpref.buffer = dst;
	op.params[1].tmpref.size = *dst_size;
	*origin = 0;
	res = TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_COPY, &op, origin);
	CHECK(op.params[0].tmpref.buffer == src);
	CHECK_EQ(op.params[0].tmpref.size, src_size); /* an input: as given */
	CHECK(op.params[1].tmpref.buffer == dst);
	*dst_size = op.params[1].tmpref.size;
	return res;
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	unsigned char src[1000], dst[1000], want[1000];
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin;
	size_t n, i;

	for (i = 0; i < sizeof(src); i++)
		src[i] = (unsigned char)(i * 7 + 3);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	check_stats(&ctx, 0, 0);

	/* INPUT -> OUTPUT: 100 bytes in, 100 back; the rest untouched */
	memset(dst, 0xee, sizeof(dst));
	n = 200;
	CHECK_EQ(copy(&sess, src, 100, dst, &n, &origin), TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(n, 100);
	CHECK_MEM(dst, src, 100);
	memset(want, 0xee, sizeof(want));
	CHECK_MEM(dst + 100, want, sizeof(dst) - 100);
	check_stats(&ctx, 2, 200);

	/* too small: SHORT_BUFFER with the needed size, nothing copied back */
	memset(dst, 0xee, sizeof(dst));
	n = 50;
	CHECK_EQ(copy(&sess, src, 100, dst, &n, &origin),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(n, 100);
	CHECK_MEM(dst, want, sizeof(dst));
	check_stats(&ctx, 2, 100);

	/* a NULL output buffer asks for the size: only the input moves */
	n = 0;
	CHECK_EQ(copy(&sess, src, 321, NULL, &n, &origin),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(n, 321);
	check_stats(&ctx, 1, 321);
	/* ... whatever size the NULL buffer claims */
	n = 4096;
	CHECK_EQ(copy(&sess, src, 321, NULL, &n, &origin),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, 321);
	check_stats(&ctx, 1, 321);

	/* NULL input and NULL output, both empty: nothing to do */
	n = 0;
	CHECK_EQ(copy(&sess, NULL, 0, NULL, &n, &origin), TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(n, 0);
	check_stats(&ctx, 0, 0);

	/* zero-size windows on real buffers: empty, nothing bounced */
	memset(dst, 0xee, sizeof(dst));
	n = 0;
	CHECK_EQ(copy(&sess, src, 0, dst, &n, &origin), TEEC_SUCCESS);
	CHECK_EQ(n, 0);
	CHECK_MEM(dst, want, sizeof(dst));
	check_stats(&ctx, 0, 0);
	/* an empty source into a real window: the size becomes 0 */
	n = 64;
	CHECK_EQ(copy(&sess, src, 0, dst, &n, &origin), TEEC_SUCCESS);
	CHECK_EQ(n, 0);
	CHECK_MEM(dst, want, sizeof(dst));
	check_stats(&ctx, 1, 0);

	/* the whole buffer, exactly fitting */
	n = sizeof(dst);
	CHECK_EQ(copy(&sess, src, sizeof(src), dst, &n, &origin), TEEC_SUCCESS);
	CHECK_EQ(n, sizeof(src));
	CHECK_MEM(dst, src, sizeof(src));
	check_stats(&ctx, 2, 2 * sizeof(src));

	/* INOUT: changed in place, in and back */
	memcpy(dst, src, sizeof(src));
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = dst + 17;
	op.params[0].tmpref.size = 333;
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[0].tmpref.size, 333);
	for (i = 0; i < sizeof(dst); i++)
		CHECK_EQ(dst[i], i >= 17 && i < 17 + 333 ?
					 (unsigned char)~src[i] :
					 src[i]);
	check_stats(&ctx, 1, 2 * 333);

	/* an INOUT where the TA wants an OUTPUT is the TA's to refuse; the
	 * input was bounced, nothing came back */
	memcpy(dst, src, sizeof(src));
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = src;
	op.params[0].tmpref.size = 10;
	op.params[1].tmpref.buffer = dst;
	op.params[1].tmpref.size = 20;
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_COPY, &op, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_MEM(dst, src, sizeof(src));
	check_stats(&ctx, 2, 30);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
