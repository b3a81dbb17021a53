// SPDX-License-Identifier: MIT
/*
 * A PARTIAL memref window that does not lie inside its shared memory is
 * BAD_PARAMETERS with origin API, and nothing reaches teeq-sw: one byte
 * past the end, an offset past the end, offset + size overflowing
 * (offset = SIZE_MAX, offset = SIZE_MAX - 10 with size 20, size =
 * SIZE_MAX), for allocated, registered (bounced) and memfd-backed shared
 * memory alike, in every parameter position. A window ending exactly at
 * the end, and an empty one at the end, are fine. A temporary memref over
 * 4 GiB - 1 bytes is EXCESS_DATA with origin API.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <stdint.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

#define SIZE 4096

/* noop takes any parameters: only libteeq's checks matter here. */
static TEEC_Result window(TEEC_Session *sess, TEEC_SharedMemory *shm, int pos,
			  uint32_t type, size_t off, size_t size,
			  uint32_t *origin)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = (uint32_t)type << (4 * pos);
	op.params[pos].memref.parent = shm;
	op.params[pos].memref.offset = off;
	op.params[pos].memref.size = size;
	*origin = 0;
	return TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_NOOP, &op, origin);
}

static void bounds(TEEC_Session *sess, TEEC_SharedMemory *shm)
{
	static const uint32_t types[] = { TEEC_MEMREF_PARTIAL_INPUT,
					  TEEC_MEMREF_PARTIAL_OUTPUT,
					  TEEC_MEMREF_PARTIAL_INOUT };
	static const size_t bad[][2] = {
		{ 0, SIZE + 1 },       { 1, SIZE },	{ SIZE - 1, 2 },
		{ SIZE + 1, 0 },       { SIZE_MAX, 0 }, { SIZE_MAX, 1 },
		{ SIZE_MAX - 10, 20 }, { 0, SIZE_MAX }, { 16, SIZE_MAX - 8 },
	};
	uint32_t origin;
	size_t t, i;
	int pos;

	for (t = 0; t < 3; t++) {
		for (pos = 0; pos < 4; pos++) {
			for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
				CHECK_EQ(window(sess, shm, pos, types[t],
						bad[i][0], bad[i][1], &origin),
					 TEEC_ERROR_BAD_PARAMETERS);
				CHECK_EQ(origin, TEEC_ORIGIN_API);
			}
		}
	}
}

static void fits(TEEC_Session *sess, TEEC_SharedMemory *shm)
{
	uint32_t origin;

	CHECK_EQ(window(sess, shm, 0, TEEC_MEMREF_PARTIAL_INOUT, 0, SIZE,
			&origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(window(sess, shm, 3, TEEC_MEMREF_PARTIAL_INPUT, SIZE - 1, 1,
			&origin),
		 TEEC_SUCCESS);
	CHECK_EQ(window(sess, shm, 1, TEEC_MEMREF_PARTIAL_OUTPUT, SIZE, 0,
			&origin),
		 TEEC_SUCCESS);
}

int main(void)
{
	static const TEEC_UUID noop = TEEQ_TA_NOOP_UUID;
	TEEC_SharedMemory heap, shadow, mfd;
	unsigned char *plain = malloc(SIZE), big[16];
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin;
	int fd;

	CHECK(plain);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &noop, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);

	memset(&heap, 0, sizeof(heap));
	heap.size = SIZE;
	heap.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &heap), TEEC_SUCCESS);
	memset(&shadow, 0, sizeof(shadow));
	shadow.buffer = plain;
	shadow.size = SIZE;
	shadow.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemory(&ctx, &shadow), TEEC_SUCCESS);
	fd = memfd_create("teeq-bounds", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	CHECK(fd >= 0);
	CHECK(!ftruncate(fd, SIZE));
	CHECK(!fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	memset(&mfd, 0, sizeof(mfd));
	mfd.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &mfd, fd),
		 TEEC_SUCCESS);
	close(fd);
	CHECK_EQ(sw_fixture_calls(&fx), 1);

	bounds(&sess, &heap);
	bounds(&sess, &shadow);
	bounds(&sess, &mfd);

	/* over 4 GiB - 1 in a temporary memref (never read: refused first) */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = big;
	op.params[0].tmpref.size = (size_t)1 << 32;
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_NOOP_CMD_NOOP, &op, &origin),
		 TEEC_ERROR_EXCESS_DATA);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	CHECK_EQ(sw_fixture_calls(&fx),
		 1); /* none of it reached the secure world */

	fits(&sess, &heap);
	fits(&sess, &shadow);
	fits(&sess, &mfd);
	CHECK_EQ(sw_fixture_calls(&fx), 1 + 9);

	TEEC_ReleaseSharedMemory(&heap);
	TEEC_ReleaseSharedMemory(&shadow);
	TEEC_ReleaseSharedMemory(&mfd);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	free(plain);
	sw_fixture_stop(&fx);
	return T_PASS;
}
