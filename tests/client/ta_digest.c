// SPDX-License-Identifier: MIT
/*
 * digest through the real transport, single-shot: SHA-256 of the FIPS
 * 180-2 vectors ("", "abc", the 448-bit message, a million 'a') and
 * HMAC-SHA256 of RFC 4231 test cases 1, 2 and 6 (a key longer than a
 * block), with data, key and output in temporary memrefs and in
 * AllocateSharedMemory buffers at odd offsets; the output size comes back
 * as 32. An output under 32 bytes (or NULL) is SHORT_BUFFER with 32 as the
 * needed size; a key of 0 or 1025 bytes is BAD_PARAMETERS from the TA.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static void unhex(const char *hex, unsigned char *out)
{
	size_t i;

	for (i = 0; hex[2 * i]; i++) {
		unsigned int v;

		CHECK(sscanf(hex + 2 * i, "%2x", &v) == 1);
		out[i] = (unsigned char)v;
	}
}

static const char *const sha_msgs[] = {
	"",
	"abc",
	"abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
};
static const char *const sha_want[] = {
	"e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	"248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1",
};
static const char million_a[] =
	"cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0";

/* SHA-256 with temporary memrefs. */
static void sha_tmp(TEEC_Session *sess, const void *data, size_t len,
		    const char *want_hex)
{
	unsigned char out[40], want[32];
	TEEC_Operation op;
	uint32_t origin = 0;

	unhex(want_hex, want);
	memset(out, 0xee, sizeof(out));
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)data;
	op.params[0].tmpref.size = len;
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = sizeof(out);
	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_DIGEST_CMD_SHA256, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[1].tmpref.size, TEEQ_DIGEST_LEN);
	CHECK_MEM(out, want, 32);
	CHECK_EQ(out[32], 0xee); /* nothing past the digest */
}

/* SHA-256 with data and digest in shared memory, at odd offsets. */
static void sha_shm(TEEC_Session *sess, TEEC_SharedMemory *shm,
		    const void *data, size_t len, const char *want_hex)
{
	unsigned char want[32];
	unsigned char *base = shm->buffer;
	TEEC_Operation op;
	uint32_t origin = 0;

	CHECK(len + 7 + 3 + 32 <= shm->size);
	unhex(want_hex, want);
	memcpy(base + 7, data, len);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = shm;
	op.params[0].memref.offset = 7;
	op.params[0].memref.size = len;
	op.params[1].memref.parent = shm;
	op.params[1].memref.offset = 7 + len + 3;
	op.params[1].memref.size = 32;
	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_DIGEST_CMD_SHA256, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[1].memref.size, 32);
	CHECK_MEM(base + 7 + len + 3, want, 32);
}

static TEEC_Result hmac(TEEC_Session *sess, const void *key, size_t key_len,
			const void *data, size_t len, void *out,
			size_t *out_len, uint32_t *origin)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)key;
	op.params[0].tmpref.size = key_len;
	op.params[1].tmpref.buffer = (void *)data;
	op.params[1].tmpref.size = len;
	op.params[2].tmpref.buffer = out;
	op.params[2].tmpref.size = *out_len;
	*origin = 0;
	res = TEEC_InvokeCommand(sess, TEEQ_DIGEST_CMD_HMAC, &op, origin);
	*out_len = op.params[2].tmpref.size;
	return res;
}

int main(void)
{
	static const TEEC_UUID digest = TEEQ_TA_DIGEST_UUID;
	unsigned char key[1025], out[32], want[32];
	char *many = malloc(1000000);
	TEEC_SharedMemory shm;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin;
	size_t i, n;

	CHECK(many);
	memset(many, 'a', 1000000);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &digest, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	memset(&shm, 0, sizeof(shm));
	shm.size = 1000000 + 64;
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);

	for (i = 0; i < 3; i++) {
		sha_tmp(&sess, sha_msgs[i], strlen(sha_msgs[i]), sha_want[i]);
		sha_shm(&sess, &shm, sha_msgs[i], strlen(sha_msgs[i]),
			sha_want[i]);
	}
	sha_tmp(&sess, NULL, 0, sha_want[0]); /* a null memref: no data */
	sha_tmp(&sess, many, 1000000, million_a);
	sha_shm(&sess, &shm, many, 1000000, million_a);

	/* RFC 4231 test cases 1, 2 and 6 */
	memset(key, 0x0b, 20);
	n = sizeof(out);
	CHECK_EQ(hmac(&sess, key, 20, "Hi There", 8, out, &n, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(n, 32);
	unhex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	      want);
	CHECK_MEM(out, want, 32);
	n = sizeof(out);
	CHECK_EQ(hmac(&sess, "Jefe", 4, "what do ya want for nothing?", 28, out,
		      &n, &origin),
		 TEEC_SUCCESS);
	unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	      want);
	CHECK_MEM(out, want, 32);
	memset(key, 0xaa, 131);
	n = sizeof(out);
	CHECK_EQ(hmac(&sess, key, 131,
		      "Test Using Larger Than Block-Size Key - Hash Key First",
		      54, out, &n, &origin),
		 TEEC_SUCCESS);
	unhex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	      want);
	CHECK_MEM(out, want, 32);

	/* outputs too small, and a NULL one: the needed size */
	n = 31;
	memset(out, 0xee, sizeof(out));
	CHECK_EQ(hmac(&sess, "Jefe", 4, "x", 1, out, &n, &origin),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(n, 32);
	CHECK_EQ(out[0], 0xee);
	n = 0;
	CHECK_EQ(hmac(&sess, "Jefe", 4, "x", 1, NULL, &n, &origin),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, 32);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = "abc";
	op.params[0].tmpref.size = 3;
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = 16;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_DIGEST_CMD_SHA256, &op,
				    &origin),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[1].tmpref.size, 32);

	/* keys out of range */
	n = sizeof(out);
	CHECK_EQ(hmac(&sess, key, 0, "x", 1, out, &n, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	n = sizeof(out);
	CHECK_EQ(hmac(&sess, key, 1025, "x", 1, out, &n, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	/* ... and at the limit */
	n = sizeof(out);
	CHECK_EQ(hmac(&sess, key, 1024, "x", 1, out, &n, &origin),
		 TEEC_SUCCESS);

	TEEC_ReleaseSharedMemory(&shm);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	free(many);
	sw_fixture_stop(&fx);
	return T_PASS;
}
