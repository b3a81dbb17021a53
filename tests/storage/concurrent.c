// SPDX-License-Identifier: MIT
/*
 * Many clients at once, each its own context (its own channel to
 * teeq-sw): every client rewrites an object of its own; all of them
 * increment one shared counter, each time opening it for reading and
 * writing without sharing, so that the share rules make the open a lock
 * (ACCESS_CONFLICT while another holds it: try again); and all of them
 * hold one shared object open together (SHARE_READ | SHARE_WRITE) and
 * write their own slot of it through their handles. No update is lost:
 * each own object holds its last write, the counter counts every
 * increment, every slot holds its client's last value; and the share
 * rules did turn clients away.
 */
#include "tests/storage/fixture.h"

#include <pthread.h>

#define CLIENTS 8
#define ROUNDS 12

static struct st_fixture fx;
static uint64_t conflicts; /* atomic */

static void increment(TEEC_Session *s)
{
	uint32_t h, count;
	TEEC_Result res;
	size_t n;

	for (;;) {
		res = st_open(s, "counter",
			      TEEQ_STORAGE_ACCESS_READ |
				      TEEQ_STORAGE_ACCESS_WRITE,
			      &h);
		if (res != TEEQ_ERROR_ACCESS_CONFLICT)
			break;
		__atomic_add_fetch(&conflicts, 1, __ATOMIC_RELAXED);
		sched_yield();
	}
	CHECK_EQ(res, TEEC_SUCCESS);
	CHECK_EQ(st_read(s, h, &count, sizeof(count), &n), TEEC_SUCCESS);
	CHECK_EQ(n, sizeof(count));
	count++;
	CHECK_EQ(st_seek(s, h, 0, TEEQ_STORAGE_SEEK_SET, NULL), TEEC_SUCCESS);
	CHECK_EQ(st_write(s, h, &count, sizeof(count)), TEEC_SUCCESS);
	CHECK_EQ(st_close(s, h), TEEC_SUCCESS);
}

static void *client(void *arg)
{
	int me = (int)(intptr_t)arg, round;
	uint32_t slots, value;
	TEEC_Context ctx;
	TEEC_Session s;
	char id[16];

	snprintf(id, sizeof(id), "own-%d", me);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	st_open_session(&ctx, &s);
	CHECK_EQ(st_open(&s, "slots",
			 TEEQ_STORAGE_ACCESS_READ | TEEQ_STORAGE_ACCESS_WRITE |
				 TEEQ_STORAGE_SHARE_READ |
				 TEEQ_STORAGE_SHARE_WRITE,
			 &slots),
		 TEEC_SUCCESS);
	for (round = 1; round <= ROUNDS; round++) {
		value = (uint32_t)(me << 16 | round);
		CHECK_EQ(st_put(&s, id, &value, sizeof(value)), TEEC_SUCCESS);
		increment(&s);
		CHECK_EQ(st_seek(&s, slots, me * 4, TEEQ_STORAGE_SEEK_SET,
				 NULL),
			 TEEC_SUCCESS);
		CHECK_EQ(st_write(&s, slots, &value, sizeof(value)),
			 TEEC_SUCCESS);
	}
	CHECK_EQ(st_close(&s, slots), TEEC_SUCCESS);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	return NULL;
}

int main(void)
{
	uint32_t zero = 0, count, all[CLIENTS] = { 0 }, value, h;
	pthread_t t[CLIENTS];
	TEEC_Context ctx;
	TEEC_Session s;
	char id[16];
	size_t n;
	int i;

	st_up(&fx, &ctx, &s);
	CHECK_EQ(st_put(&s, "counter", &zero, sizeof(zero)), TEEC_SUCCESS);
	CHECK_EQ(st_put(&s, "slots", all, sizeof(all)), TEEC_SUCCESS);

	for (i = 0; i < CLIENTS; i++)
		CHECK(!pthread_create(&t[i], NULL, client,
				      (void *)(intptr_t)i));
	for (i = 0; i < CLIENTS; i++)
		pthread_join(t[i], NULL);

	for (i = 0; i < CLIENTS; i++) {
		snprintf(id, sizeof(id), "own-%d", i);
		CHECK_EQ(st_get(&s, id, &value, sizeof(value), &n),
			 TEEC_SUCCESS);
		CHECK_EQ(n, sizeof(value));
		CHECK_EQ(value, (uint32_t)(i << 16 | ROUNDS));
	}
	CHECK_EQ(st_get(&s, "counter", &count, sizeof(count), &n),
		 TEEC_SUCCESS);
	CHECK_EQ(count, CLIENTS * ROUNDS);
	CHECK_EQ(st_get(&s, "slots", all, sizeof(all), &n), TEEC_SUCCESS);
	CHECK_EQ(n, sizeof(all));
	for (i = 0; i < CLIENTS; i++)
		CHECK_EQ(all[i], (uint32_t)(i << 16 | ROUNDS));
	/* the lock held: others were turned away meanwhile */
	CHECK(__atomic_load_n(&conflicts, __ATOMIC_RELAXED) > 0);
	/* and a handle that shares nothing keeps everyone out */
	CHECK_EQ(st_open(&s, "counter", TEEQ_STORAGE_ACCESS_READ, &h),
		 TEEC_SUCCESS);
	CHECK_EQ(st_open(&s, "counter",
			 TEEQ_STORAGE_ACCESS_READ | TEEQ_STORAGE_SHARE_READ,
			 &value),
		 TEEQ_ERROR_ACCESS_CONFLICT);
	CHECK_EQ(st_close(&s, h), TEEC_SUCCESS);
	printf("%d clients x %d rounds: counter %u, %llu opens turned away\n",
	       CLIENTS, ROUNDS, count,
	       (unsigned long long)__atomic_load_n(&conflicts,
						   __ATOMIC_RELAXED));
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&ctx);
	return T_PASS;
}
