// SPDX-License-Identifier: MIT
/*
 * The async batch API, basic contract: N operations prepared take N slots
 * of teeq_queue_space and reach nothing until one teeq_submit, which
 * returns N and rings at most one doorbell; teeq_reap with min == max
 * blocks for exactly that many, min < max returns at least min, min > max
 * is clamped, and each completion carries its user_data, its result and
 * origin, and its TEEC_Operation, whose outputs were written back. A
 * preparation refused for bad parameters queues nothing; a submit with
 * nothing prepared returns 0. Closing a queue with operations in flight
 * waits for them.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

#define N 32
#define UD(i) (0x1234567800000000ull + 977u * (i))

static TEEC_Operation ops[N];
static int seen[N];

static void prep_all(teeq_queue *q, TEEC_Session *sess, unsigned int space)
{
	int i;

	for (i = 0; i < N; i++) {
		memset(&ops[i], 0, sizeof(ops[i]));
		ops[i].paramTypes =
			TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
		ops[i].params[0].value.a = (uint32_t)i;
		ops[i].params[0].value.b = (uint32_t)(1000 + i);
		ops[i].params[2].value.a = 100;
		ops[i].params[2].value.b = 200;
		CHECK_EQ(teeq_prep_invoke(q, sess, TEEQ_ECHO_CMD_VALUES,
					  &ops[i], UD(i)),
			 TEEC_SUCCESS);
		CHECK_EQ(teeq_queue_space(q), space - 1 - (unsigned int)i);
	}
	memset(seen, 0, sizeof(seen));
}

static void check(const struct teeq_completion *c, unsigned int n)
{
	unsigned int k;

	for (k = 0; k < n; k++) {
		uint64_t i = (c[k].user_data - UD(0)) / 977u;

		CHECK(i < N);
		CHECK_EQ(c[k].user_data, UD(i));
		CHECK(!seen[i]);
		seen[i] = 1;
		CHECK(c[k].operation == &ops[i]);
		CHECK_EQ(c[k].result, TEEC_SUCCESS);
		CHECK_EQ(c[k].origin, TEEC_ORIGIN_TRUSTED_APP);
		CHECK_EQ(ops[i].params[1].value.a, i);
		CHECK_EQ(ops[i].params[1].value.b, 1000 + i);
		CHECK_EQ(ops[i].params[2].value.a, 100 + i);
		CHECK_EQ(ops[i].params[2].value.b, 1200 + i);
	}
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	struct teeq_completion done[N];
	struct teeq_stats st0, st;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation bad;
	teeq_queue *q;
	unsigned int space, n;
	uint32_t origin;
	int i;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &q), TEEC_SUCCESS);
	space = teeq_queue_space(q);
	CHECK(space >= N);
	CHECK_EQ(teeq_submit(q), 0);
	CHECK_EQ(sw_fixture_calls(&fx), 1);

	/* refused preparations queue nothing */
	memset(&bad, 0, sizeof(bad));
	bad.paramTypes = TEEC_PARAM_TYPES(8, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	CHECK_EQ(teeq_prep_invoke(q, &sess, TEEQ_ECHO_CMD_VALUES, &bad, 1),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(teeq_prep_invoke(q, NULL, TEEQ_ECHO_CMD_VALUES, &bad, 1),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(teeq_queue_space(q), space);

	/* prepared: nothing crosses before the submit */
	teeq_context_stats(&ctx, &st0);
	prep_all(q, &sess, space);
	usleep(20000);
	CHECK_EQ(sw_fixture_calls(&fx), 1);
	CHECK_EQ(teeq_reap(q, done, N, 0, 0), 0);
	CHECK_EQ(teeq_submit(q), N);
	teeq_context_stats(&ctx, &st);
	CHECK(st.doorbells - st0.doorbells <= 1);

	/* exactly 8, then at least 20 of the rest, then what is left */
	CHECK_EQ(teeq_reap(q, done, 8, 8, -1), 8);
	check(done, 8);
	n = teeq_reap(q, done, N, 20, -1);
	CHECK(n >= 20 && n <= N - 8);
	check(done, n);
	n = N - 8 - n;
	if (n)
		CHECK_EQ(teeq_reap(q, done, n, n, -1), n);
	check(done, n);
	for (i = 0; i < N; i++)
		CHECK(seen[i]);
	CHECK_EQ(teeq_queue_space(q), space);
	CHECK_EQ(sw_fixture_calls(&fx), 1 + N);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.calls - st0.calls, N);

	/* min > max is clamped to max */
	prep_all(q, &sess, space);
	CHECK_EQ(teeq_submit(q), N);
	CHECK_EQ(teeq_reap(q, done, 4, 100, -1), 4);
	check(done, 4);

	/* closing with 28 still in flight waits for them */
	teeq_queue_close(q);
	CHECK_EQ(sw_fixture_calls(&fx), 1 + 2 * N);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
