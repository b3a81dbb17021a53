// SPDX-License-Identifier: MIT
/*
 * 8 MiB buffers through the real transport, byte-exact: echo COPY between
 * two AllocateSharedMemory buffers (zero-copy, nothing bounced), SHA-256
 * of 8 MiB in shared memory and in a registered sealed memfd against
 * libcrypto, AES-256-CTR in place over 8 MiB against libcrypto and back,
 * and an 8 MiB temporary INOUT memref (bounced: exactly 16 MiB copied and
 * the heap empty again afterwards).
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <openssl/evp.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

#define BIG ((size_t)8 << 20)

static void alloc(TEEC_Context *ctx, TEEC_SharedMemory *shm, uint32_t flags)
{
	memset(shm, 0, sizeof(*shm));
	shm->size = BIG;
	shm->flags = flags;
	CHECK_EQ(TEEC_AllocateSharedMemory(ctx, shm), TEEC_SUCCESS);
}

static void open_ta(TEEC_Context *ctx, TEEC_Session *sess,
		    const TEEC_UUID *uuid)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, sess, uuid, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

static void invoke_ok(TEEC_Session *sess, uint32_t cmd, TEEC_Operation *op)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_InvokeCommand(sess, cmd, op, &origin), TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

static void sha256_of(TEEC_Session *sess, TEEC_SharedMemory *shm,
		      const void *bytes)
{
	unsigned char md[32], want[32];
	unsigned int len = 0;
	TEEC_Operation op;

	CHECK(EVP_Digest(bytes, BIG, want, &len, EVP_sha256(), NULL));
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = shm;
	op.params[1].tmpref.buffer = md;
	op.params[1].tmpref.size = sizeof(md);
	invoke_ok(sess, TEEQ_DIGEST_CMD_SHA256, &op);
	CHECK_MEM(md, want, 32);
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	static const TEEC_UUID digest = TEEQ_TA_DIGEST_UUID;
	static const TEEC_UUID cipher = TEEQ_TA_CIPHER_UUID;
	TEEC_SharedMemory src, dst, io, mfd;
	TEEC_Session s_echo, s_digest, s_cipher;
	unsigned char key[32], iv[16], *want, *tmp;
	struct teeq_stats st0, st;
	EVP_CIPHER_CTX *c;
	TEEC_Context ctx;
	TEEC_Operation op;
	uint64_t seed = 99;
	size_t i;
	int n, fd;

	want = malloc(BIG);
	tmp = malloc(BIG);
	CHECK(want && tmp);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	open_ta(&ctx, &s_echo, &echo);
	open_ta(&ctx, &s_digest, &digest);
	open_ta(&ctx, &s_cipher, &cipher);
	teeq_context_stats(&ctx, &st0);
	CHECK(st0.heap_size >= 4 * BIG);

	alloc(&ctx, &src, TEEC_MEM_INPUT);
	alloc(&ctx, &dst, TEEC_MEM_OUTPUT);
	alloc(&ctx, &io, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	for (i = 0; i < BIG / 8; i++) {
		uint64_t r = test_rand(&seed);

		memcpy((char *)src.buffer + 8 * i, &r, 8);
	}

	/* copy 8 MiB in place in shared memory */
	memset(dst.buffer, 0, BIG);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_MEMREF_WHOLE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &src;
	op.params[1].memref.parent = &dst;
	invoke_ok(&s_echo, TEEQ_ECHO_CMD_COPY, &op);
	CHECK_EQ(op.params[1].memref.size, BIG);
	CHECK_MEM(dst.buffer, src.buffer, BIG);

	/* digest of 8 MiB in the heap */
	sha256_of(&s_digest, &src, src.buffer);

	/* and of 8 MiB in a registered memfd */
	fd = memfd_create("teeq-big", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK(!ftruncate(fd, (off_t)BIG));
	CHECK(!fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	memset(&mfd, 0, sizeof(mfd));
	mfd.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &mfd, fd),
		 TEEC_SUCCESS);
	CHECK_EQ(mfd.size, BIG);
	for (i = 0; i < BIG; i++)
		((unsigned char *)mfd.buffer)[i] =
			(unsigned char)(i ^ (i >> 9));
	sha256_of(&s_digest, &mfd, mfd.buffer);
	TEEC_ReleaseSharedMemory(&mfd);
	close(fd);

	/* AES-256-CTR over 8 MiB, in place */
	for (i = 0; i < 32; i++)
		key[i] = (unsigned char)(i + 1);
	for (i = 0; i < 16; i++)
		iv[i] = (unsigned char)(0xf0 + i);
	c = EVP_CIPHER_CTX_new();
	CHECK(c);
	CHECK(EVP_EncryptInit_ex(c, EVP_aes_256_ctr(), NULL, key, iv));
	CHECK(EVP_EncryptUpdate(c, want, &n, src.buffer, (int)BIG));
	CHECK_EQ(n, BIG);
	EVP_CIPHER_CTX_free(c);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = TEEQ_CIPHER_MODE_CTR;
	op.params[1].tmpref.buffer = key;
	op.params[1].tmpref.size = 32;
	invoke_ok(&s_cipher, TEEQ_CIPHER_CMD_SET_KEY, &op);
	memcpy(io.buffer, src.buffer, BIG);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = iv;
	op.params[0].tmpref.size = 16;
	op.params[1].memref.parent = &io;
	invoke_ok(&s_cipher, TEEQ_CIPHER_CMD_CTR, &op);
	CHECK_EQ(op.params[1].memref.size, BIG);
	CHECK_MEM(io.buffer, want, BIG);
	invoke_ok(&s_cipher, TEEQ_CIPHER_CMD_CTR, &op);
	CHECK_MEM(io.buffer, src.buffer, BIG);
	teeq_context_stats(&ctx, &st);
	/* only the small temporary memrefs moved: two digests out, the key
	 * in, two IVs in */
	CHECK_EQ(st.bounce_bytes - st0.bounce_bytes, 2 * 32 + 32 + 2 * 16);

	/* an 8 MiB temporary INOUT: bounced both ways */
	memcpy(tmp, src.buffer, BIG);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = tmp;
	op.params[0].tmpref.size = BIG;
	teeq_context_stats(&ctx, &st0);
	invoke_ok(&s_echo, TEEQ_ECHO_CMD_INVERT, &op);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.bounce_bytes - st0.bounce_bytes, 2 * BIG);
	CHECK_EQ(st.bounced_memrefs - st0.bounced_memrefs, 1);
	/* in host mode the bounce stays in use until the pair's next call
	 * with memory references (tests/client/bounce_deferred) */
	CHECK_EQ(st.heap_in_use,
		 st0.heap_in_use + (sw_fixture_kernel() ? 0 : BIG));
	for (i = 0; i < BIG; i++)
		CHECK_EQ(tmp[i],
			 (unsigned char)~((unsigned char *)src.buffer)[i]);

	TEEC_ReleaseSharedMemory(&src);
	TEEC_ReleaseSharedMemory(&dst);
	TEEC_ReleaseSharedMemory(&io);
	TEEC_CloseSession(&s_echo);
	TEEC_CloseSession(&s_digest);
	TEEC_CloseSession(&s_cipher);
	TEEC_FinalizeContext(&ctx);
	free(want);
	free(tmp);
	sw_fixture_stop(&fx);
	return T_PASS;
}
