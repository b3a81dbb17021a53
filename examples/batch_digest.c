// SPDX-License-Identifier: MIT
/*
 * batch_digest: SHA-256 of many buffers with libteeq's async batch API.
 * The buffers live in one shared-memory block the digest trusted app reads
 * in place (no copy); all the invocations are published with a single
 * teeq_submit(), then reaped as they complete, matched by user_data.
 * Each digest is checked against the one computed by the multi-part
 * commands of a second session, so the example verifies itself.
 *
 *   build/examples/batch_digest [buffers [bytes-each]]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tee_client_api.h>
#include <teeq.h>

#include "teeq_tas.h" /* installed in <includedir>/teeq */

#define MAX_BUFS 64

static const TEEC_UUID digest_uuid = TEEQ_TA_DIGEST_UUID;

/* Reference: the same digest through INIT/UPDATE/FINAL, two chunks. */
static int digest_multipart(TEEC_Session *s, TEEC_SharedMemory *shm, size_t off,
			    size_t len, unsigned char *out)
{
	TEEC_Operation op;
	uint32_t origin;
	size_t half = len / 2;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = TEEQ_DIGEST_ALG_SHA256;
	if (TEEC_InvokeCommand(s, TEEQ_DIGEST_CMD_INIT, &op, &origin))
		return -1;
	for (int part = 0; part < 2; part++) {
		memset(&op, 0, sizeof(op));
		op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
						 TEEC_NONE, TEEC_NONE,
						 TEEC_NONE);
		op.params[0].memref.parent = shm;
		op.params[0].memref.offset = off + (part ? half : 0);
		op.params[0].memref.size = part ? len - half : half;
		if (TEEC_InvokeCommand(s, TEEQ_DIGEST_CMD_UPDATE, &op, &origin))
			return -1;
	}
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = out;
	op.params[0].tmpref.size = TEEQ_DIGEST_LEN;
	return TEEC_InvokeCommand(s, TEEQ_DIGEST_CMD_FINAL, &op, &origin) ? -1 :
									    0;
}

int main(int argc, char **argv)
{
	unsigned int nbufs = argc > 1 ? (unsigned int)atoi(argv[1]) : 32;
	size_t each = argc > 2 ? (size_t)atol(argv[2]) : 4096;
	static unsigned char digests[MAX_BUFS][TEEQ_DIGEST_LEN];
	static TEEC_Operation ops[MAX_BUFS];
	struct teeq_completion done[MAX_BUFS];
	TEEC_SharedMemory data, out;
	TEEC_Session sess, ref;
	TEEC_Context ctx;
	teeq_queue *q;
	uint32_t origin;
	unsigned int i, reaped = 0, bad = 0;

	if (nbufs < 1 || nbufs > MAX_BUFS || each < 1) {
		fprintf(stderr, "usage: batch_digest [1..%d [bytes]]\n",
			MAX_BUFS);
		return 2;
	}
	if (TEEC_InitializeContext(NULL, &ctx) ||
	    TEEC_OpenSession(&ctx, &sess, &digest_uuid, TEEC_LOGIN_PUBLIC, NULL,
			     NULL, &origin) ||
	    TEEC_OpenSession(&ctx, &ref, &digest_uuid, TEEC_LOGIN_PUBLIC, NULL,
			     NULL, &origin)) {
		fprintf(stderr, "batch_digest: no secure world\n");
		return 1;
	}

	/* inputs and outputs in shared memory: the TA works in place */
	memset(&data, 0, sizeof(data));
	data.size = nbufs * each;
	data.flags = TEEC_MEM_INPUT;
	memset(&out, 0, sizeof(out));
	out.size = nbufs * TEEQ_DIGEST_LEN;
	out.flags = TEEC_MEM_OUTPUT;
	if (TEEC_AllocateSharedMemory(&ctx, &data) ||
	    TEEC_AllocateSharedMemory(&ctx, &out) ||
	    teeq_queue_open(&ctx, &q)) {
		fprintf(stderr, "batch_digest: out of shared memory\n");
		return 1;
	}
	for (i = 0; i < data.size; i++)
		((unsigned char *)data.buffer)[i] =
			(unsigned char)(i * 7 + i / each);

	for (i = 0; i < nbufs; i++) {
		TEEC_Operation *op = &ops[i];

		op->paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
						  TEEC_MEMREF_PARTIAL_OUTPUT,
						  TEEC_NONE, TEEC_NONE);
		op->params[0].memref.parent = &data;
		op->params[0].memref.offset = i * each;
		op->params[0].memref.size = each;
		op->params[1].memref.parent = &out;
		op->params[1].memref.offset = i * TEEQ_DIGEST_LEN;
		op->params[1].memref.size = TEEQ_DIGEST_LEN;
		if (teeq_prep_invoke(q, &sess, TEEQ_DIGEST_CMD_SHA256, op, i)) {
			fprintf(stderr, "batch_digest: prepare failed\n");
			return 1;
		}
	}
	printf("submitted %u digests of %zu bytes with one doorbell at most\n",
	       teeq_submit(q), each);

	while (reaped < nbufs) {
		unsigned int n = teeq_reap(q, done, MAX_BUFS, 1, 10000);

		if (!n) {
			fprintf(stderr, "batch_digest: timed out\n");
			return 1;
		}
		for (i = 0; i < n; i++) {
			unsigned int k = (unsigned int)done[i].user_data;

			if (done[i].result != TEEC_SUCCESS) {
				fprintf(stderr, "digest %u: 0x%08x\n", k,
					done[i].result);
				bad++;
				continue;
			}
			memcpy(digests[k],
			       (unsigned char *)out.buffer +
				       k * TEEQ_DIGEST_LEN,
			       TEEQ_DIGEST_LEN);
		}
		reaped += n;
	}

	for (i = 0; i < nbufs; i++) {
		unsigned char check[TEEQ_DIGEST_LEN];

		if (digest_multipart(&ref, &data, i * each, each, check) ||
		    memcmp(check, digests[i], sizeof(check)))
			bad++;
	}
	printf("digest[0] = ");
	for (i = 0; i < 8; i++)
		printf("%02x", digests[0][i]);
	printf("...; %u of %u match the multi-part reference\n", nbufs - bad,
	       nbufs);

	teeq_queue_close(q);
	TEEC_ReleaseSharedMemory(&data);
	TEEC_ReleaseSharedMemory(&out);
	TEEC_CloseSession(&ref);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	printf(bad ? "batch_digest: FAILED\n" : "batch_digest: ok\n");
	return bad ? 1 : 0;
}
