// SPDX-License-Identifier: MIT
/*
 * cipher through the real transport. AES-128-CTR gives NIST SP 800-38A
 * F.5.1 out of place (temporary memrefs) and in place on an
 * AllocateSharedMemory buffer (PARTIAL_INOUT), and decrypts back. AES-128-GCM
 * gives McGrew-Viega test case 4 (ciphertext and tag) out of place and in
 * place, and decrypts back in both; a 64 KiB random buffer under AES-256-GCM
 * with AAD agrees with libcrypto. Decrypting with a flipped tag bit, AAD
 * byte or ciphertext byte is TEEC_ERROR_MAC_INVALID with origin
 * TRUSTED_APP; no plaintext is left behind: a temporary output is not
 * written back at all, an in-place shared-memory buffer is zeroed.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <openssl/evp.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static size_t unhex(const char *hex, unsigned char *out)
{
	size_t i;

	for (i = 0; hex[2 * i]; i++) {
		unsigned int v;

		CHECK(sscanf(hex + 2 * i, "%2x", &v) == 1);
		out[i] = (unsigned char)v;
	}
	return i;
}

static TEEC_Result invoke(TEEC_Session *sess, uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin = 0;
	TEEC_Result res = TEEC_InvokeCommand(sess, cmd, op, &origin);

	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	return res;
}

static void set_key(TEEC_Session *sess, uint32_t mode, const void *key,
		    size_t len)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = mode;
	op.params[1].tmpref.buffer = (void *)key;
	op.params[1].tmpref.size = len;
	CHECK_EQ(invoke(sess, TEEQ_CIPHER_CMD_SET_KEY, &op), TEEC_SUCCESS);
}

/* GCM out of place with temporary memrefs; @tag is output or input. */
static TEEC_Result gcm_tmp(TEEC_Session *sess, int enc, const void *nonce_aad,
			   size_t na_len, const void *src, void *dst,
			   size_t len, void *tag)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_MEMREF_TEMP_INPUT, TEEC_MEMREF_TEMP_INPUT,
		TEEC_MEMREF_TEMP_OUTPUT,
		enc ? TEEC_MEMREF_TEMP_OUTPUT : TEEC_MEMREF_TEMP_INPUT);
	op.params[0].tmpref.buffer = (void *)nonce_aad;
	op.params[0].tmpref.size = na_len;
	op.params[1].tmpref.buffer = (void *)src;
	op.params[1].tmpref.size = len;
	op.params[2].tmpref.buffer = dst;
	op.params[2].tmpref.size = len;
	op.params[3].tmpref.buffer = tag;
	op.params[3].tmpref.size = TEEQ_CIPHER_GCM_TAG_LEN;
	res = invoke(sess,
		     enc ? TEEQ_CIPHER_CMD_GCM_ENCRYPT :
			   TEEQ_CIPHER_CMD_GCM_DECRYPT,
		     &op);
	if (res == TEEC_SUCCESS) {
		CHECK_EQ(op.params[2].tmpref.size, len);
		if (enc)
			CHECK_EQ(op.params[3].tmpref.size,
				 TEEQ_CIPHER_GCM_TAG_LEN);
	}
	return res;
}

/* GCM in place over shm: nonce+AAD at 0, data at @data_off, tag at
 * @tag_off. */
static TEEC_Result gcm_shm(TEEC_Session *sess, int enc, TEEC_SharedMemory *shm,
			   size_t na_len, size_t data_off, size_t len,
			   size_t tag_off)
{
	TEEC_Operation op;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_MEMREF_PARTIAL_INPUT, TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE,
		enc ? TEEC_MEMREF_PARTIAL_OUTPUT : TEEC_MEMREF_PARTIAL_INPUT);
	op.params[0].memref.parent = shm;
	op.params[0].memref.size = na_len;
	op.params[1].memref.parent = shm;
	op.params[1].memref.offset = data_off;
	op.params[1].memref.size = len;
	op.params[3].memref.parent = shm;
	op.params[3].memref.offset = tag_off;
	op.params[3].memref.size = TEEQ_CIPHER_GCM_TAG_LEN;
	res = invoke(sess,
		     enc ? TEEQ_CIPHER_CMD_GCM_ENCRYPT :
			   TEEQ_CIPHER_CMD_GCM_DECRYPT,
		     &op);
	if (res == TEEC_SUCCESS)
		CHECK_EQ(op.params[1].memref.size, len);
	return res;
}

static void ctr_known(TEEC_Session *sess, TEEC_SharedMemory *shm)
{
	unsigned char key[16], iv[16], pt[64], ct[64], buf[64];
	unsigned char *base = shm->buffer;
	TEEC_Operation op;
	size_t i;

	unhex("2b7e151628aed2a6abf7158809cf4f3c", key);
	unhex("f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff", iv);
	unhex("6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
	      "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710",
	      pt);
	unhex("874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
	      "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee",
	      ct);
	set_key(sess, TEEQ_CIPHER_MODE_CTR, key, 16);

	/* out of place, temporary memrefs */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE);
	op.params[0].tmpref.buffer = iv;
	op.params[0].tmpref.size = 16;
	op.params[1].tmpref.buffer = pt;
	op.params[1].tmpref.size = 64;
	op.params[2].tmpref.buffer = buf;
	op.params[2].tmpref.size = 64;
	CHECK_EQ(invoke(sess, TEEQ_CIPHER_CMD_CTR, &op), TEEC_SUCCESS);
	CHECK_EQ(op.params[2].tmpref.size, 64);
	CHECK_MEM(buf, ct, 64);
	op.params[1].tmpref.buffer = ct;
	CHECK_EQ(invoke(sess, TEEQ_CIPHER_CMD_CTR, &op), TEEC_SUCCESS);
	CHECK_MEM(buf, pt, 64);

	/* in place in shared memory: IV at 0, data at 100 */
	memcpy(base, iv, 16);
	memcpy(base + 100, pt, 64);
	memset(base + 164, 0x5a, 16);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = shm;
	op.params[0].memref.size = 16;
	op.params[1].memref.parent = shm;
	op.params[1].memref.offset = 100;
	op.params[1].memref.size = 64;
	CHECK_EQ(invoke(sess, TEEQ_CIPHER_CMD_CTR, &op), TEEC_SUCCESS);
	CHECK_EQ(op.params[1].memref.size, 64);
	CHECK_MEM(base + 100, ct, 64);
	for (i = 164; i < 180; i++)
		CHECK_EQ(base[i], 0x5a);
	CHECK_EQ(invoke(sess, TEEQ_CIPHER_CMD_CTR, &op), TEEC_SUCCESS);
	CHECK_MEM(base + 100, pt, 64);
}

static void gcm_known(TEEC_Session *sess, TEEC_SharedMemory *shm)
{
	unsigned char key[16], na[12 + 20], pt[60], ct[60], tag[16];
	unsigned char buf[60], got[16];
	unsigned char *base = shm->buffer;
	size_t na_len, len;

	unhex("feffe9928665731c6d6a8f9467308308", key);
	na_len = unhex("cafebabefacedbaddecaf888"
		       "feedfacedeadbeeffeedfacedeadbeefabaddad2",
		       na);
	len = unhex("d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d"
		    "8a318a721c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657"
		    "ba637b39",
		    pt);
	unhex("42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	      "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	      ct);
	unhex("5bc94fbc3221a5db94fae95ae7121a47", tag);
	CHECK_EQ(na_len, 32);
	CHECK_EQ(len, 60);
	set_key(sess, TEEQ_CIPHER_MODE_GCM, key, 16);

	/* out of place */
	CHECK_EQ(gcm_tmp(sess, 1, na, na_len, pt, buf, len, got), TEEC_SUCCESS);
	CHECK_MEM(buf, ct, len);
	CHECK_MEM(got, tag, 16);
	CHECK_EQ(gcm_tmp(sess, 0, na, na_len, ct, buf, len, tag), TEEC_SUCCESS);
	CHECK_MEM(buf, pt, len);

	/* in place: nonce+AAD at 0, data at 256, tag at 512 */
	memcpy(base, na, na_len);
	memcpy(base + 256, pt, len);
	CHECK_EQ(gcm_shm(sess, 1, shm, na_len, 256, len, 512), TEEC_SUCCESS);
	CHECK_MEM(base + 256, ct, len);
	CHECK_MEM(base + 512, tag, 16);
	CHECK_EQ(gcm_shm(sess, 0, shm, na_len, 256, len, 512), TEEC_SUCCESS);
	CHECK_MEM(base + 256, pt, len);

	/* tampering, out of place: nothing is written back */
	tag[0] ^= 1;
	memset(buf, 0x77, sizeof(buf));
	memset(got, 0x77, sizeof(got));
	CHECK_EQ(gcm_tmp(sess, 0, na, na_len, ct, buf, len, tag),
		 TEEC_ERROR_MAC_INVALID);
	CHECK_MEM(buf, got, 16);
	CHECK_MEM(buf + 44, got, 16);
	tag[0] ^= 1;
	CHECK_EQ(gcm_tmp(sess, 0, na, na_len, ct, buf, len, tag),
		 TEEC_SUCCESS); /* and untampered it still decrypts */
	na[20] ^= 0x80; /* an AAD byte */
	memset(buf, 0x77, sizeof(buf));
	CHECK_EQ(gcm_tmp(sess, 0, na, na_len, ct, buf, len, tag),
		 TEEC_ERROR_MAC_INVALID);
	CHECK_MEM(buf, got, 16);
	na[20] ^= 0x80;
	ct[59] ^= 0x01; /* a ciphertext byte */
	memset(buf, 0x77, sizeof(buf));
	CHECK_EQ(gcm_tmp(sess, 0, na, na_len, ct, buf, len, tag),
		 TEEC_ERROR_MAC_INVALID);
	CHECK_MEM(buf + 44, got, 16);
	ct[59] ^= 0x01;

	/* tampering in place: no unauthenticated plaintext left behind */
	memcpy(base + 256, ct, len);
	base[512 + 15] ^= 0x40;
	CHECK_EQ(gcm_shm(sess, 0, shm, na_len, 256, len, 512),
		 TEEC_ERROR_MAC_INVALID);
	memset(buf, 0, sizeof(buf));
	CHECK_MEM(base + 256, buf, len);
}

/* 64 KiB, AES-256-GCM, in place, checked against libcrypto. */
static void gcm_big(TEEC_Session *sess, TEEC_SharedMemory *shm)
{
	enum { LEN = 65536, NA = 12 + 100 };
	unsigned char key[32], *base = shm->buffer;
	unsigned char *want = malloc(LEN), tag[16];
	uint64_t seed = 7;
	EVP_CIPHER_CTX *c = EVP_CIPHER_CTX_new();
	int n;
	size_t i;

	CHECK(want && c);
	for (i = 0; i < 32; i++)
		key[i] = (unsigned char)test_rand(&seed);
	for (i = 0; i < NA; i++)
		base[i] = (unsigned char)test_rand(&seed);
	for (i = 0; i < LEN; i++)
		base[4096 + i] = (unsigned char)test_rand(&seed);
	CHECK(EVP_EncryptInit_ex(c, EVP_aes_256_gcm(), NULL, key, base));
	CHECK(EVP_EncryptUpdate(c, NULL, &n, base + 12, NA - 12));
	CHECK(EVP_EncryptUpdate(c, want, &n, base + 4096, LEN));
	CHECK(EVP_EncryptFinal_ex(c, tag, &n));
	CHECK(EVP_CIPHER_CTX_ctrl(c, EVP_CTRL_GCM_GET_TAG, 16, tag));
	EVP_CIPHER_CTX_free(c);

	set_key(sess, TEEQ_CIPHER_MODE_GCM, key, 32);
	CHECK_EQ(gcm_shm(sess, 1, shm, NA, 4096, LEN, 2048), TEEC_SUCCESS);
	CHECK_MEM(base + 4096, want, LEN);
	CHECK_MEM(base + 2048, tag, 16);
	CHECK_EQ(gcm_shm(sess, 0, shm, NA, 4096, LEN, 2048), TEEC_SUCCESS);
	seed = 7;
	for (i = 0; i < 32 + NA; i++)
		test_rand(&seed);
	for (i = 0; i < LEN; i++)
		CHECK_EQ(base[4096 + i], (unsigned char)test_rand(&seed));
	free(want);
}

int main(void)
{
	static const TEEC_UUID cipher = TEEQ_TA_CIPHER_UUID;
	TEEC_SharedMemory shm;
	TEEC_Context ctx;
	TEEC_Session sess;
	uint32_t origin;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &cipher, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	memset(&shm, 0, sizeof(shm));
	shm.size = 4096 + 65536;
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &shm), TEEC_SUCCESS);

	ctr_known(&sess, &shm);
	gcm_known(&sess, &shm);
	gcm_big(&sess, &shm);

	TEEC_ReleaseSharedMemory(&shm);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
