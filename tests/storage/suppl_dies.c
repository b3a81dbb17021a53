// SPDX-License-Identifier: MIT
/*
 * A supplicant killed while a client writes 1 MiB objects in a loop: the
 * write in flight fails with TEEQ_ERROR_STORAGE_NOT_AVAILABLE promptly
 * (the socket's hang-up detaches it; nobody waits for the 10 s timeout),
 * every call after it fails at once, and a new supplicant finds the
 * object whole: the contents of the last write reported done, or of the
 * one that was cut (never a mix, never damaged).
 */
#include "tests/storage/fixture.h"

#include <pthread.h>

#define SIZE (1u << 20)

static struct st_fixture fx;
static TEEC_Session s;
static unsigned char data[SIZE], got[SIZE];
static int last_done = -1; /* generation reported written */
static int stop; /* atomic */
static TEEC_Result fail_res;
static uint64_t fail_at;

static void fill(int gen)
{
	memset(data, 'a' + gen % 26, SIZE);
	memcpy(data, &gen, sizeof(gen));
}

static void *writer(void *arg)
{
	TEEC_Result res;
	int gen;

	(void)arg;
	for (gen = 0; !__atomic_load_n(&stop, __ATOMIC_ACQUIRE); gen++) {
		fill(gen);
		res = st_put(&s, "big", data, SIZE);
		if (res) {
			fail_res = res;
			fail_at = t_now_ms();
			break;
		}
		__atomic_store_n(&last_done, gen, __ATOMIC_RELEASE);
	}
	return NULL;
}

int main(void)
{
	struct timespec wait = { 0, 20000000 };
	uint64_t end;
	TEEC_Context ctx;
	uint64_t killed;
	pthread_t t;
	size_t n;
	int gen;

	st_up(&fx, &ctx, &s);
	CHECK(!pthread_create(&t, NULL, writer, NULL));
	/* a write or two done, then into the next one */
	end = t_now_ms() + 20000;
	while (__atomic_load_n(&last_done, __ATOMIC_ACQUIRE) < 1) {
		CHECK(t_now_ms() < end);
		nanosleep(&wait, NULL);
	}
	nanosleep(&wait, NULL);
	killed = t_now_ms();
	st_kill_suppl(&fx, SIGKILL);
	pthread_join(t, NULL);
	__atomic_store_n(&stop, 1, __ATOMIC_RELEASE);
	CHECK(last_done >= 1);
	CHECK_EQ(fail_res, TEEQ_ERROR_STORAGE_NOT_AVAILABLE);
	printf("%d writes done; the one in flight failed %llu ms after the "
	       "kill\n",
	       last_done + 1, (unsigned long long)(fail_at - killed));
	CHECK(fail_at - killed < 2000);
	CHECK_EQ(st_get(&s, "big", got, sizeof(got), &n),
		 TEEQ_ERROR_STORAGE_NOT_AVAILABLE);

	st_start_suppl(&fx);
	CHECK_EQ(st_wait_storage(&s), TEEC_SUCCESS);
	CHECK_EQ(st_get(&s, "big", got, sizeof(got), &n), TEEC_SUCCESS);
	CHECK_EQ(n, SIZE);
	memcpy(&gen, got, sizeof(gen));
	CHECK(gen == last_done || gen == last_done + 1);
	fill(gen);
	CHECK_MEM(got, data, SIZE);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	return T_PASS;
}
