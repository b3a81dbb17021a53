// SPDX-License-Identifier: MIT
/*
 * aes's host: a plain GlobalPlatform client of the loaded aes TA
 * (examples/ta/aes/ta). It checks the TA against the AES-128-CTR vectors
 * of NIST SP 800-38A (F.5.1), through shared memory the TA sees in place,
 * then sends 1 MiB through and back as temporary memrefs.
 *
 *   build/examples/ta/aes
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tee_client_api.h>

#include "../ta/include/aes_ta.h"

static const TEEC_UUID aes_uuid = AES_TA_UUID;

static const uint8_t aes_key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
				     0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
				     0x09, 0xcf, 0x4f, 0x3c };
static const uint8_t aes_ctr0[16] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5,
				      0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb,
				      0xfc, 0xfd, 0xfe, 0xff };
static const uint8_t aes_plain[64] = {
	0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40, 0x9f, 0x96, 0xe9, 0x3d, 0x7e,
	0x11, 0x73, 0x93, 0x17, 0x2a, 0xae, 0x2d, 0x8a, 0x57, 0x1e, 0x03,
	0xac, 0x9c, 0x9e, 0xb7, 0x6f, 0xac, 0x45, 0xaf, 0x8e, 0x51, 0x30,
	0xc8, 0x1c, 0x46, 0xa3, 0x5c, 0xe4, 0x11, 0xe5, 0xfb, 0xc1, 0x19,
	0x1a, 0x0a, 0x52, 0xef, 0xf6, 0x9f, 0x24, 0x45, 0xdf, 0x4f, 0x9b,
	0x17, 0xad, 0x2b, 0x41, 0x7b, 0xe6, 0x6c, 0x37, 0x10,
};
static const uint8_t aes_cipher[64] = {
	0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20, 0xe3, 0x26, 0x1b, 0xef, 0x68,
	0x64, 0x99, 0x0d, 0xb6, 0xce, 0x98, 0x06, 0xf6, 0x6b, 0x79, 0x70,
	0xfd, 0xff, 0x86, 0x17, 0x18, 0x7b, 0xb9, 0xff, 0xfd, 0xff, 0x5a,
	0xe4, 0xdf, 0x3e, 0xdb, 0xd5, 0xd3, 0x5e, 0x5b, 0x4f, 0x09, 0x02,
	0x0d, 0xb0, 0x3e, 0xab, 0x1e, 0x03, 0x1d, 0xda, 0x2f, 0xbe, 0x03,
	0xd1, 0x79, 0x21, 0x70, 0xa0, 0xf3, 0x00, 0x9c, 0xee,
};

static int check(TEEC_Result res, uint32_t origin, const char *what)
{
	if (res == TEEC_SUCCESS)
		return 0;
	fprintf(stderr, "%s failed: 0x%08x (origin %u)\n", what, res, origin);
	return 1;
}

/* One command; 0, or 1 with what failed said. */
static int aes_invoke(TEEC_Session *s, uint32_t cmd, TEEC_Operation *op,
		      const char *what)
{
	uint32_t origin = 0;
	TEEC_Result res = TEEC_InvokeCommand(s, cmd, op, &origin);

	return check(res, origin, what);
}

static int aes_set_key(TEEC_Session *s)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)aes_key;
	op.params[0].tmpref.size = sizeof(aes_key);
	return aes_invoke(s, AES_CMD_SET_KEY, &op, "set key");
}

/* The vectors: counter block, input and output in one shared buffer. */
static int aes_vectors(TEEC_Context *ctx, TEEC_Session *s)
{
	TEEC_SharedMemory shm = { .size = 16 + 64 + 64,
				  .flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT };
	TEEC_Operation op;
	uint8_t *b;
	int failed;

	if (check(TEEC_AllocateSharedMemory(ctx, &shm), TEEC_ORIGIN_API,
		  "TEEC_AllocateSharedMemory"))
		return 1;
	b = shm.buffer;
	memcpy(b, aes_ctr0, 16);
	memcpy(b + 16, aes_plain, 64);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE);
	op.params[0].memref = (TEEC_RegisteredMemoryReference){ &shm, 16, 0 };
	op.params[1].memref = (TEEC_RegisteredMemoryReference){ &shm, 64, 16 };
	op.params[2].memref = (TEEC_RegisteredMemoryReference){ &shm, 64, 80 };
	failed = aes_invoke(s, AES_CMD_CTR, &op, "AES-CTR");
	failed |= op.params[2].memref.size != 64 ||
		  memcmp(b + 80, aes_cipher, 64);
	printf("NIST SP 800-38A F.5.1 AES-128-CTR: %s\n",
	       failed ? "WRONG" : "matches");
	TEEC_ReleaseSharedMemory(&shm);
	return failed;
}

/* 1 MiB there and back: CTR twice is the identity. */
static int aes_roundtrip(TEEC_Session *s)
{
	size_t len = 1 << 20, i;
	uint8_t *in = malloc(len), *mid = malloc(len), *out = malloc(len);
	TEEC_Operation op;
	int failed = !in || !mid || !out;

	for (i = 0; !failed && i < len; i++)
		in[i] = (uint8_t)(i * 31 + (i >> 10));
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)aes_ctr0;
	op.params[0].tmpref.size = 16;
	op.params[1].tmpref.buffer = in;
	op.params[1].tmpref.size = len;
	op.params[2].tmpref.buffer = mid;
	op.params[2].tmpref.size = len;
	if (!failed)
		failed = aes_invoke(s, AES_CMD_CTR, &op, "AES-CTR 1 MiB");
	op.params[1].tmpref.buffer = mid;
	op.params[2].tmpref.buffer = out;
	if (!failed)
		failed = aes_invoke(s, AES_CMD_CTR, &op, "AES-CTR 1 MiB back");
	failed |= !failed && (memcmp(in, out, len) || !memcmp(in, mid, 4096));
	printf("1 MiB encrypted and decrypted: %s\n",
	       failed ? "WRONG" : "the same bytes");
	free(in);
	free(mid);
	free(out);
	return failed;
}

int main(void)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Result res;
	uint32_t origin = 0;
	int failed;

	if (check(TEEC_InitializeContext(NULL, &ctx), TEEC_ORIGIN_API,
		  "TEEC_InitializeContext"))
		return 1;
	res = TEEC_OpenSession(&ctx, &sess, &aes_uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	if (check(res, origin, "TEEC_OpenSession")) {
		TEEC_FinalizeContext(&ctx);
		return 1;
	}
	failed = aes_set_key(&sess);
	if (!failed)
		failed = aes_vectors(&ctx, &sess) | aes_roundtrip(&sess);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	printf("%s\n", failed ? "FAILED" : "ok");
	return failed;
}
