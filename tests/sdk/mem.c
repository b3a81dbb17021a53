// SPDX-License-Identifier: MIT
/*
 * Memory and system functions: TEE_Malloc's hints (zero fill, an invalid
 * hint refused), TEE_MemCompare's sign and TEE_MemFill/MemMove,
 * TEE_CheckMemoryAccessRights against the mappings (unmapped and
 * read-only pages) and against the client's shared memory of the call
 * (ANY_OWNER, input-only memrefs); cancellation masked by default, then
 * TEE_Wait cut short by a cancellation from another thread; and a
 * function not implemented yet panics naming itself.
 */
#include "sdk_test.h"
#include "sdk/host/host.h"

#include <pthread.h>
#include <sys/mman.h>

static struct ta_host_rt mem_rt;

static void *mem_canceller(void *arg)
{
	(void)arg;
	usleep(50 * 1000);
	ta_host_rt_cancel(&mem_rt);
	return NULL;
}

static void mem_not_yet(void *arg)
{
	TEE_Time t;

	(void)arg;
	TEE_GetTAPersistentTime(&t);
}

static void mem_bigint(void *arg)
{
	TEE_BigInt n[4];

	(void)arg;
	TEE_BigIntInit(n, 4);
}

int main(void)
{
	struct ta_session s = { .cancel_masked = true };
	uint8_t stack_buf[64], shared[64];
	TEE_Param params[TEE_NUM_PARAMS] = { 0 };
	uint8_t *p, *page;
	pthread_t thread;
	TEE_Time t0, t1;
	uint64_t start;
	unsigned int i;

	sdk_test_init();
	p = TEE_Malloc(100, TEE_MALLOC_FILL_ZERO);
	CHECK(p);
	for (i = 0; i < 100; i++)
		CHECK_EQ(p[i], 0);
	TEE_MemFill(p, 0x1a5, 100);
	CHECK_EQ(p[99], 0xa5);
	p = TEE_Realloc(p, 200);
	CHECK(p && p[50] == 0xa5);
	p[0] = 7;
	TEE_MemMove(p + 1, p, 99);
	CHECK_EQ(p[1], 7);
	CHECK_EQ(p[99], 0xa5);
	TEE_Free(p);
	TEE_Free(NULL);
	p = TEE_Malloc(0, TEE_MALLOC_FILL_ZERO);
	CHECK(p);
	TEE_Free(p);
	CHECK(!TEE_Malloc(16, 0x40));
	CHECK_EQ(TEE_MemCompare("abc", "abc", 3), 0);
	CHECK(TEE_MemCompare("abd", "abc", 3) > 0);
	CHECK(TEE_MemCompare("abc", "bbb", 3) < 0);

	/* mappings */
	page = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	CHECK(page != MAP_FAILED);
	CHECK_EQ(TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ |
						     TEE_MEMORY_ACCESS_WRITE,
					     stack_buf, sizeof(stack_buf)),
		 TEE_SUCCESS);
	CHECK(!mprotect(page + 4096, 4096, PROT_NONE));
	CHECK_EQ(TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ, page,
					     4096),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ,
					     page + 4000, 200),
		 TEE_ERROR_ACCESS_DENIED);
	CHECK(!mprotect(page, 4096, PROT_READ));
	CHECK_EQ(TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_WRITE, page, 16),
		 TEE_ERROR_ACCESS_DENIED);
	CHECK_EQ(TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ,
					     (void *)UINTPTR_MAX, 2),
		 TEE_ERROR_ACCESS_DENIED);
	CHECK_EQ(TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ, NULL, 0),
		 TEE_SUCCESS);
	munmap(page, 8192);

	/* the client's memory, during a call */
	params[0].memref.buffer = shared;
	params[0].memref.size = sizeof(shared);
	ta_rt.call.param_types =
		TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT, 0, 0, 0);
	ta_rt.call.params = params;
	CHECK_EQ(TEE_CheckMemoryAccessRights(TEE_MEMORY_ACCESS_READ, shared + 8,
					     8),
		 TEE_ERROR_ACCESS_DENIED);
	CHECK_EQ(TEE_CheckMemoryAccessRights(
			 TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_ANY_OWNER,
			 shared + 8, 8),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_CheckMemoryAccessRights(
			 TEE_MEMORY_ACCESS_WRITE | TEE_MEMORY_ACCESS_ANY_OWNER,
			 shared, 8),
		 TEE_ERROR_ACCESS_DENIED);
	ta_rt.call.params = NULL;

	/* cancellation: masked when the session opens */
	CHECK_EQ(ta_host_rt_init(&mem_rt), 0);
	ta_rt.ops = &ta_host_rt_ops;
	ta_rt.host = &mem_rt;
	ta_rt.call.session = &s;
	ta_host_rt_cancel(&mem_rt);
	CHECK(!TEE_GetCancellationFlag());
	CHECK(TEE_UnmaskCancellation());
	CHECK(TEE_GetCancellationFlag());
	CHECK_EQ(TEE_Wait(10000), TEE_ERROR_CANCEL);
	CHECK(!TEE_MaskCancellation());
	ta_host_rt_new_call(&mem_rt);
	TEE_GetSystemTime(&t0);
	CHECK_EQ(TEE_Wait(30), TEE_SUCCESS);
	TEE_GetSystemTime(&t1);
	CHECK((t1.seconds - t0.seconds) * 1000 + t1.millis - t0.millis >= 29);
	/* unmasked: a cancellation from another thread ends the wait */
	TEE_UnmaskCancellation();
	start = t_now_ms();
	CHECK(!pthread_create(&thread, NULL, mem_canceller, NULL));
	CHECK_EQ(TEE_Wait(TEE_TIMEOUT_INFINITE), TEE_ERROR_CANCEL);
	CHECK(t_now_ms() - start < 5000);
	pthread_join(thread, NULL);
	ta_rt.call.session = NULL;
	ta_rt.ops = &sdk_test_rt;
	ta_host_rt_destroy(&mem_rt);

	/* declared, not implemented yet: a panic naming the function */
	CHECK_PANIC(mem_not_yet, NULL, "TEE_GetTAPersistentTime");
	CHECK_PANIC(mem_bigint, NULL, "TEE_BigIntInit");
	return T_PASS;
}
