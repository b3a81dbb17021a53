// SPDX-License-Identifier: MIT
/*
 * TEEC_ReleaseSharedMemory clears buffer and size, as GlobalPlatform
 * says, for every kind of shared memory: allocated, registered plain
 * memory, registered heap memory and a registered memfd. A second release
 * of the same struct is harmless, and so is releasing a struct that was
 * never registered (its fields stay as the caller set them).
 */
#include "tests/sw_fixture.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <tee_client_api_extensions.h>
#include <teeq.h>

static struct sw_fixture fx;

static void released(TEEC_SharedMemory *shm)
{
	TEEC_ReleaseSharedMemory(shm);
	CHECK(shm->buffer == NULL);
	CHECK_EQ(shm->size, 0);
	TEEC_ReleaseSharedMemory(shm); /* again: nothing */
	CHECK(shm->buffer == NULL);
	CHECK_EQ(shm->size, 0);
}

int main(void)
{
	static unsigned char plain[1000];
	TEEC_SharedMemory alloc, reg, inheap, fd, never;
	struct teeq_stats st;
	TEEC_Context ctx;
	int mfd;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);

	memset(&alloc, 0, sizeof(alloc));
	alloc.size = 3000;
	alloc.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &alloc), TEEC_SUCCESS);

	memset(&reg, 0, sizeof(reg));
	reg.buffer = plain;
	reg.size = sizeof(plain);
	reg.flags = TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemory(&ctx, &reg), TEEC_SUCCESS);

	memset(&inheap, 0, sizeof(inheap));
	inheap.buffer = (char *)alloc.buffer + 100;
	inheap.size = 200;
	inheap.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_RegisterSharedMemory(&ctx, &inheap), TEEC_SUCCESS);

	mfd = memfd_create("t", MFD_ALLOW_SEALING);
	CHECK(mfd >= 0);
	CHECK(!ftruncate(mfd, 8192));
	CHECK(!fcntl(mfd, F_ADD_SEALS, F_SEAL_SHRINK));
	memset(&fd, 0, sizeof(fd));
	fd.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &fd, mfd),
		 TEEC_SUCCESS);
	CHECK_EQ(fd.size, 8192);

	released(&inheap);
	released(&reg);
	released(&fd);
	released(&alloc);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.heap_in_use, 0);

	memset(&never, 0, sizeof(never));
	never.buffer = plain;
	never.size = 10;
	TEEC_ReleaseSharedMemory(&never);
	CHECK(never.buffer == plain);
	CHECK_EQ(never.size, 10);

	close(mfd);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
