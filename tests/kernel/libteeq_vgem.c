// SPDX-License-Identifier: MIT
/*
 * A DRM client's path through the GlobalPlatform API in kernel mode: a
 * vgem buffer, exported with PRIME, is registered with
 * TEEC_RegisterSharedMemoryFileDescriptor (the driver imports the
 * dma-buf), and the cipher TA decrypts 1 MiB straight into it. The
 * plaintext is checked through vgem's own mapping and through the shm's
 * buffer (libteeq's mapping of the same pages); libteeq counts the memref
 * as zero-copy, and only the temporary input as copied. A sealed memfd
 * goes through the same function (its pages pinned), and an fd that is
 * neither is BAD_PARAMETERS. Released and finalized, nothing of it is
 * left in the driver.
 */
#include "tests/kernel/kfixture.h"

#include <tee_client_api.h>
#include <tee_client_api_extensions.h>
#include <teeq.h>

#define KT_SIZE KT_VGEM_SIZE

static void kt_ctr(TEEC_Session *s, void *iv, TEEC_Operation *op)
{
	uint32_t origin = 0;

	op->params[0].tmpref.buffer = iv;
	op->params[0].tmpref.size = 16;
	CHECK_EQ(TEEC_InvokeCommand(s, TEEQ_CIPHER_CMD_CTR, op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

int main(void)
{
	static const TEEC_UUID cipher_ta = TEEQ_TA_CIPHER_UUID;
	static uint8_t key[16] = { 0x2b, 0x7e, 0x15, 0x16 };
	static uint8_t iv[16] = { 0xf0, 1, 2, 3 };
	struct drm_prime_handle prime = { .flags = DRM_CLOEXEC | DRM_RDWR };
	struct teeq_swdev_stats st;
	uint8_t *plain, *cipher, *vmap;
	TEEC_SharedMemory shm, mfd, bad;
	struct teeq_stats cs0, cs;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin, i;
	int vgem, fd;

	vgem = kt_vgem();
	kt_sw_start();
	CHECK_EQ(TEEC_InitializeContext(KT_CLIENT, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &cipher_ta, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = TEEQ_CIPHER_MODE_CTR;
	op.params[1].tmpref.buffer = key;
	op.params[1].tmpref.size = sizeof(key);
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_CIPHER_CMD_SET_KEY, &op,
				    &origin),
		 TEEC_SUCCESS);

	plain = malloc(KT_SIZE);
	cipher = malloc(KT_SIZE);
	CHECK(plain && cipher);
	for (i = 0; i < KT_SIZE; i++)
		plain[i] = (uint8_t)(i * 31 + (i >> 12));
	/* the ciphertext, through temporary memrefs (copied) */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE);
	op.params[1].tmpref.buffer = plain;
	op.params[1].tmpref.size = KT_SIZE;
	op.params[2].tmpref.buffer = cipher;
	op.params[2].tmpref.size = KT_SIZE;
	kt_ctr(&sess, iv, &op);
	CHECK_EQ(op.params[2].tmpref.size, KT_SIZE);
	CHECK(memcmp(plain, cipher, 4096));

	/* the vgem buffer, registered by its PRIME fd */
	prime.handle = kt_vgem_buffer(vgem, &vmap);
	memset(vmap, 0xaa, KT_SIZE);
	CHECK_EQ(ioctl(vgem, DRM_IOCTL_PRIME_HANDLE_TO_FD, &prime), 0);
	memset(&shm, 0, sizeof(shm));
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &shm, prime.fd),
		 TEEC_SUCCESS);
	close(prime.fd); /* the registration holds the buffer */
	CHECK(shm.size >= KT_SIZE);
	CHECK(shm.buffer != NULL);

	/* decrypted straight into vgem's pages */
	teeq_context_stats(&ctx, &cs0);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE);
	op.params[1].tmpref.buffer = cipher;
	op.params[1].tmpref.size = KT_SIZE;
	op.params[2].memref.parent = &shm;
	op.params[2].memref.size = KT_SIZE;
	kt_ctr(&sess, iv, &op);
	CHECK_EQ(op.params[2].memref.size, KT_SIZE);
	CHECK_MEM(vmap, plain, KT_SIZE);
	CHECK_MEM(shm.buffer, plain, KT_SIZE);
	teeq_context_stats(&ctx, &cs);
	CHECK_EQ(cs.zero_copy_memrefs - cs0.zero_copy_memrefs, 1);
	CHECK_EQ(cs.bounced_memrefs - cs0.bounced_memrefs, 2);
	CHECK_EQ(cs.bounce_bytes - cs0.bounce_bytes, 16 + KT_SIZE);

	/* a sealed memfd by the same function: its pages, pinned */
	fd = memfd_create("kt", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK(!ftruncate(fd, KT_SIZE));
	CHECK(!fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	memset(&mfd, 0, sizeof(mfd));
	mfd.flags = TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &mfd, fd),
		 TEEC_SUCCESS);
	CHECK_EQ(mfd.size, KT_SIZE);
	op.params[2].memref.parent = &mfd;
	kt_ctr(&sess, iv, &op);
	CHECK_MEM(mfd.buffer, plain, KT_SIZE);
	CHECK_EQ(pread(fd, cipher, KT_SIZE, 0), KT_SIZE); /* the file's own */
	CHECK_MEM(cipher, plain, KT_SIZE);
	close(fd);

	/* neither a dma-buf nor a sealed memfd */
	memset(&bad, 0, sizeof(bad));
	bad.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &bad, vgem),
		 TEEC_ERROR_BAD_PARAMETERS);

	TEEC_ReleaseSharedMemory(&mfd);
	TEEC_ReleaseSharedMemory(&shm);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	munmap(vmap, KT_SIZE);
	close(vgem);
	/* every buffer is gone once nobody holds it, the secure side
	 * included */
	KT_WAIT_STATS(st, !st.shms && !st.contexts, 5000);
	CHECK_EQ(st.shms, 0);
	CHECK_EQ(st.contexts, 0);
	free(plain);
	free(cipher);
	return T_PASS;
}
