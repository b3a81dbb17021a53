// SPDX-License-Identifier: MIT
/* 10 million 64-byte entries between two threads through a 256-slot ring:
 * order, checksums, and wake-ups after the consumer fell asleep. */
#include "tests/ring/ring_fixture.h"
#include "tests/ring/stress.h"

#include <pthread.h>

static struct ring_fixture fix;
static struct stress_result cons_res;
static uint64_t total;

static void *consumer(void *arg)
{
	(void)arg;
	stress_consume(&fix.cons, total, &cons_res);
	return NULL;
}

int main(void)
{
	struct stress_result prod_res = { 0 };
	pthread_t t;

	total = test_scaled(10000000);
	ring_fixture_init(&fix, 256, sizeof(struct stress_entry), 0u - 1000);
	CHECK_EQ(pthread_create(&t, NULL, consumer, NULL), 0);
	stress_produce(&fix.prod, total, &prod_res, &cons_res);
	CHECK_EQ(pthread_join(t, NULL), 0);
	stress_report(&prod_res, &cons_res, total);
	ring_fixture_fini(&fix);
	return T_PASS;
}
