// SPDX-License-Identifier: MIT
/*
 * digest multi-part across invokes: INIT, many UPDATEs over windows of an
 * AllocateSharedMemory buffer (sizes 0 to a few KiB), FINAL equals the
 * single-shot digest of the whole and libcrypto's, for SHA-256 and for
 * HMAC-SHA256 (key in shared memory too). Two sessions interleaved keep
 * separate state, and single-shot calls in between disturb nothing. UPDATE
 * or FINAL with no operation is BAD_STATE; a short FINAL output is
 * SHORT_BUFFER (needed 32) and keeps the operation for a retry; FINAL ends
 * it.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

#define DATA_LEN 200000

static TEEC_SharedMemory data, key, out;

static TEEC_Result call(TEEC_Session *sess, uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin = 0;
	TEEC_Result res = TEEC_InvokeCommand(sess, cmd, op, &origin);

	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	return res;
}

static void init(TEEC_Session *sess, uint32_t alg, size_t key_len)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
					 alg == TEEQ_DIGEST_ALG_SHA256 ?
						 TEEC_NONE :
						 TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = alg;
	op.params[1].memref.parent = &key;
	op.params[1].memref.size = key_len;
	CHECK_EQ(call(sess, TEEQ_DIGEST_CMD_INIT, &op), TEEC_SUCCESS);
}

static TEEC_Result update(TEEC_Session *sess, size_t off, size_t len)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &data;
	op.params[0].memref.offset = off;
	op.params[0].memref.size = len;
	return call(sess, TEEQ_DIGEST_CMD_UPDATE, &op);
}

/* FINAL into out[at .. at + room). */
static TEEC_Result final(TEEC_Session *sess, size_t at, size_t room,
			 size_t *size)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &out;
	op.params[0].memref.offset = at;
	op.params[0].memref.size = room;
	res = call(sess, TEEQ_DIGEST_CMD_FINAL, &op);
	*size = op.params[0].memref.size;
	return res;
}

/* The single-shot command over the whole data, into out[at ..]. */
static void once(TEEC_Session *sess, uint32_t alg, size_t key_len, size_t at)
{
	TEEC_Operation op;
	int hmac = alg == TEEQ_DIGEST_ALG_HMAC_SHA256, i = 0;

	memset(&op, 0, sizeof(op));
	if (hmac) {
		op.params[0].memref.parent = &key;
		op.params[0].memref.size = key_len;
		i = 1;
	}
	op.params[i].memref.parent = &data;
	op.params[i].memref.size = DATA_LEN;
	op.params[i + 1].memref.parent = &out;
	op.params[i + 1].memref.offset = at;
	op.params[i + 1].memref.size = 32;
	op.paramTypes = hmac ? TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
						TEEC_MEMREF_PARTIAL_INPUT,
						TEEC_MEMREF_PARTIAL_OUTPUT,
						TEEC_NONE) :
			       TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
						TEEC_MEMREF_PARTIAL_OUTPUT,
						TEEC_NONE, TEEC_NONE);
	CHECK_EQ(call(sess,
		      hmac ? TEEQ_DIGEST_CMD_HMAC : TEEQ_DIGEST_CMD_SHA256,
		      &op),
		 TEEC_SUCCESS);
}

static void reference(uint32_t alg, size_t key_len, unsigned char *md)
{
	unsigned int len = 0;

	if (alg == TEEQ_DIGEST_ALG_SHA256)
		CHECK(EVP_Digest(data.buffer, DATA_LEN, md, &len, EVP_sha256(),
				 NULL));
	else
		CHECK(HMAC(EVP_sha256(), key.buffer, (int)key_len, data.buffer,
			   DATA_LEN, md, &len));
	CHECK_EQ(len, 32);
}

/* Both sessions digest the data in chunks, interleaved, each its own alg;
 * a single-shot call runs in the middle of each. */
static void run(TEEC_Session *s1, TEEC_Session *s2, uint64_t *seed,
		size_t key_len)
{
	unsigned char want1[32], want2[32];
	unsigned char *o = out.buffer;
	size_t off1 = 0, off2 = 0, size;
	int step = 0;

	reference(TEEQ_DIGEST_ALG_SHA256, key_len, want1);
	reference(TEEQ_DIGEST_ALG_HMAC_SHA256, key_len, want2);
	init(s1, TEEQ_DIGEST_ALG_SHA256, 0);
	init(s2, TEEQ_DIGEST_ALG_HMAC_SHA256, key_len);
	while (off1 < DATA_LEN || off2 < DATA_LEN) {
		size_t n1 = test_rand(seed) % 5000, n2 = test_rand(seed) % 3000;

		if (n1 > DATA_LEN - off1)
			n1 = DATA_LEN - off1;
		if (n2 > DATA_LEN - off2)
			n2 = DATA_LEN - off2;
		CHECK_EQ(update(s1, off1, n1), TEEC_SUCCESS);
		CHECK_EQ(update(s2, off2, n2), TEEC_SUCCESS);
		off1 += n1;
		off2 += n2;
		if (++step == 10) { /* single-shot, same sessions */
			once(s1, TEEQ_DIGEST_ALG_HMAC_SHA256, key_len, 128);
			CHECK_MEM(o + 128, want2, 32);
			once(s2, TEEQ_DIGEST_ALG_SHA256, 0, 128);
			CHECK_MEM(o + 128, want1, 32);
		}
	}
	/* a short output keeps the operation */
	CHECK_EQ(final(s1, 0, 31, &size), TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(size, 32);
	CHECK_EQ(final(s1, 0, 32, &size), TEEC_SUCCESS);
	CHECK_EQ(size, 32);
	CHECK_MEM(o, want1, 32);
	CHECK_EQ(final(s2, 64, 40, &size), TEEC_SUCCESS);
	CHECK_EQ(size, 32);
	CHECK_MEM(o + 64, want2, 32);
	/* and the single-shot agrees */
	once(s1, TEEQ_DIGEST_ALG_SHA256, 0, 128);
	CHECK_MEM(o + 128, want1, 32);
	once(s2, TEEQ_DIGEST_ALG_HMAC_SHA256, key_len, 128);
	CHECK_MEM(o + 128, want2, 32);
	/* FINAL ended both */
	CHECK_EQ(update(s1, 0, 1), TEEC_ERROR_BAD_STATE);
	CHECK_EQ(final(s2, 0, 32, &size), TEEC_ERROR_BAD_STATE);
}

int main(void)
{
	static const TEEC_UUID digest = TEEQ_TA_DIGEST_UUID;
	TEEC_Context ctx;
	TEEC_Session s1, s2;
	uint64_t seed = 42;
	uint32_t origin;
	size_t i, size;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &s1, &digest, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &s2, &digest, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	data.size = DATA_LEN;
	data.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &data), TEEC_SUCCESS);
	key.size = 1024;
	key.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &key), TEEC_SUCCESS);
	out.size = 256;
	out.flags = TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &out), TEEC_SUCCESS);
	for (i = 0; i < DATA_LEN; i++)
		((unsigned char *)data.buffer)[i] =
			(unsigned char)test_rand(&seed);
	for (i = 0; i < key.size; i++)
		((unsigned char *)key.buffer)[i] = (unsigned char)(i * 3 + 1);

	/* nothing started yet */
	CHECK_EQ(update(&s1, 0, 10), TEEC_ERROR_BAD_STATE);
	CHECK_EQ(final(&s1, 0, 32, &size), TEEC_ERROR_BAD_STATE);

	run(&s1, &s2, &seed, 20);
	run(&s2, &s1, &seed, 1024); /* roles swapped, the longest key */
	run(&s1, &s2, &seed, 64); /* a key of exactly one block */

	TEEC_ReleaseSharedMemory(&data);
	TEEC_ReleaseSharedMemory(&key);
	TEEC_ReleaseSharedMemory(&out);
	TEEC_CloseSession(&s1);
	TEEC_CloseSession(&s2);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
