// SPDX-License-Identifier: MIT
/*
 * teeq-sw maps at most SW_MAX_EXT_BUFS - 1 registered memfds per client
 * (id 0 names none): the next TEEC_RegisterSharedMemoryFileDescriptor is
 * refused with
 * TEEC_ERROR_OUT_OF_MEMORY (the table is full; the parameters are fine),
 * and once one is released the registration succeeds again.
 */
#include "secure/core/core.h"
#include "tests/sw_fixture.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;
#define FIT (SW_MAX_EXT_BUFS - 1)

static TEEC_SharedMemory shm[FIT + 1];
static int fds[FIT + 1];

static int sealed_memfd(void)
{
	int fd = memfd_create("teeq-limit", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	CHECK(fd >= 0);
	CHECK(!ftruncate(fd, 4096));
	CHECK(!fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW));
	return fd;
}

int main(void)
{
	TEEC_Context ctx;
	int i;

	sw_fixture_host_only(
		"teeq-sw's table of host mode's registered memfds");
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	for (i = 0; i <= FIT; i++) {
		fds[i] = sealed_memfd();
		shm[i].flags = TEEC_MEM_INPUT;
	}
	for (i = 0; i < FIT; i++)
		CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &shm[i],
								 fds[i]),
			 TEEC_SUCCESS);
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &shm[FIT],
							 fds[FIT]),
		 TEEC_ERROR_OUT_OF_MEMORY);
	TEEC_ReleaseSharedMemory(&shm[0]);
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &shm[FIT],
							 fds[FIT]),
		 TEEC_SUCCESS);
	for (i = 1; i <= FIT; i++)
		TEEC_ReleaseSharedMemory(&shm[i]);
	for (i = 0; i <= FIT; i++)
		close(fds[i]);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
