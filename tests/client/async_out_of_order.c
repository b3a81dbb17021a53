// SPDX-License-Identifier: MIT
/*
 * Completions are matched by user_data, not by order. Across two queues
 * (pairs served by different teeq-sw workers): a 20 s CMD_WAIT on queue A
 * (in a session of its own) does not hold up a batch on queue B, whose completions all arrive while
 * A's is still pending; A's then completes (cancelled). Within one batch
 * mixing a 50 ms CMD_WAIT, noops, echo values, unknown commands and wrong
 * parameter types under scattered user_data values, every completion's
 * user_data names the operation whose result and outputs it carries.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

#define N 40

enum kind { K_WAIT, K_NOOP, K_VALUES, K_UNKNOWN, K_BADTYPES, K_KINDS };

struct item {
	enum kind kind;
	uint64_t user_data;
	int seen;
	TEEC_Operation op;
};

static struct item items[N];

static struct item *find(uint64_t user_data)
{
	int i;

	for (i = 0; i < N; i++)
		if (items[i].user_data == user_data)
			return &items[i];
	return NULL;
}

static void prep(teeq_queue *q, TEEC_Session *noop, TEEC_Session *echo,
		 struct item *it, uint64_t *seed, int i)
{
	TEEC_Session *sess = noop;
	uint32_t cmd = TEEQ_NOOP_CMD_NOOP;

	memset(&it->op, 0, sizeof(it->op));
	it->seen = 0;
	do
		it->user_data = test_rand(seed);
	while (!it->user_data || (find(it->user_data) != it));
	it->kind = i == 3 ? K_WAIT :
			    (enum kind)(1 + test_rand(seed) % (K_KINDS - 1));
	switch (it->kind) {
	case K_WAIT:
		it->op.paramTypes = TEEC_PARAM_TYPES(
			TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
		it->op.params[0].value.a = 50;
		cmd = TEEQ_NOOP_CMD_WAIT;
		break;
	case K_NOOP:
		break;
	case K_VALUES:
		sess = echo;
		cmd = TEEQ_ECHO_CMD_VALUES;
		it->op.paramTypes =
			TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
		it->op.params[0].value.a = (uint32_t)it->user_data;
		it->op.params[0].value.b = (uint32_t)(it->user_data >> 32);
		break;
	case K_UNKNOWN:
		sess = echo;
		cmd = 77;
		break;
	default:
		sess = echo;
		cmd = TEEQ_ECHO_CMD_VALUES;
		it->op.paramTypes = TEEC_PARAM_TYPES(
			TEEC_VALUE_OUTPUT, TEEC_NONE, TEEC_NONE, TEEC_NONE);
	}
	CHECK_EQ(teeq_prep_invoke(q, sess, cmd, &it->op, it->user_data),
		 TEEC_SUCCESS);
}

static void check(const struct teeq_completion *c)
{
	struct item *it = find(c->user_data);

	CHECK(it != NULL);
	CHECK(!it->seen);
	it->seen = 1;
	CHECK(c->operation == &it->op);
	CHECK_EQ(c->origin, TEEC_ORIGIN_TRUSTED_APP);
	switch (it->kind) {
	case K_WAIT:
	case K_NOOP:
		CHECK_EQ(c->result, TEEC_SUCCESS);
		break;
	case K_VALUES:
		CHECK_EQ(c->result, TEEC_SUCCESS);
		CHECK_EQ(it->op.params[1].value.a, (uint32_t)it->user_data);
		CHECK_EQ(it->op.params[1].value.b,
			 (uint32_t)(it->user_data >> 32));
		CHECK_EQ(it->op.params[2].value.a, (uint32_t)it->user_data);
		break;
	case K_UNKNOWN:
		CHECK_EQ(c->result, TEEC_ERROR_NOT_SUPPORTED);
		break;
	default:
		CHECK_EQ(c->result, TEEC_ERROR_BAD_PARAMETERS);
	}
}

int main(void)
{
	static const TEEC_UUID noop_uuid = TEEQ_TA_NOOP_UUID;
	static const TEEC_UUID echo_uuid = TEEQ_TA_ECHO_UUID;
	struct teeq_completion done[N];
	TEEC_Session noop, echo, slow;
	TEEC_Operation long_op;
	TEEC_Context ctx;
	teeq_queue *qa, *qb;
	uint64_t seed = 0x0dd5;
	uint32_t origin;
	unsigned int n, k, got;
	int i, round;

	alarm(25);
	sw_fixture_start(&fx, "--workers", "2");
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &noop, &noop_uuid, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &echo, &echo_uuid, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	/* a session of its own: calls into one session are serialised */
	CHECK_EQ(TEEC_OpenSession(&ctx, &slow, &noop_uuid, TEEC_LOGIN_PUBLIC,
				  NULL, NULL, &origin),
		 TEEC_SUCCESS);
	/* consecutive pairs go to alternate workers */
	CHECK_EQ(teeq_queue_open(&ctx, &qa), TEEC_SUCCESS);
	CHECK_EQ(teeq_queue_open(&ctx, &qb), TEEC_SUCCESS);

	/* A: a wait that only a cancellation ends */
	memset(&long_op, 0, sizeof(long_op));
	long_op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE,
					      TEEC_NONE, TEEC_NONE);
	long_op.params[0].value.a = 20000;
	CHECK_EQ(teeq_prep_invoke(qa, &slow, TEEQ_NOOP_CMD_WAIT, &long_op,
				  0xaaaa),
		 TEEC_SUCCESS);
	CHECK_EQ(teeq_submit(qa), 1);

	/* B: mixed batches, all back while A still waits */
	for (round = 0; round < 3; round++) {
		for (i = 0; i < N; i++)
			items[i].user_data = 0;
		for (i = 0; i < N; i++)
			prep(qb, &noop, &echo, &items[i], &seed, i);
		CHECK_EQ(teeq_submit(qb), N);
		for (got = 0; got < N; got += n) {
			n = teeq_reap(qb, done, N, 1, 10000);
			CHECK(n > 0);
			for (k = 0; k < n; k++)
				check(&done[k]);
		}
		for (i = 0; i < N; i++)
			CHECK(items[i].seen);
		CHECK_EQ(teeq_reap(qa, done, 1, 0, 0), 0);
	}

	TEEC_RequestCancellation(&long_op);
	CHECK_EQ(teeq_reap(qa, done, 1, 1, 10000), 1);
	CHECK_EQ(done[0].user_data, 0xaaaa);
	CHECK(done[0].operation == &long_op);
	CHECK_EQ(done[0].result, TEEC_ERROR_CANCEL);
	CHECK_EQ(done[0].origin, TEEC_ORIGIN_TRUSTED_APP);

	teeq_queue_close(qa);
	teeq_queue_close(qb);
	TEEC_CloseSession(&noop);
	TEEC_CloseSession(&echo);
	TEEC_CloseSession(&slow);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
