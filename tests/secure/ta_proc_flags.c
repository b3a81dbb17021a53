// SPDX-License-Identifier: MIT
/*
 * GP's TA_FLAGS for loaded TAs, told apart by the process that runs each
 * session and by the instance's own call count:
 *   none               an instance per session: two processes, two counts;
 *                      each gone with its session
 *   SINGLE_INSTANCE    one instance, one session at a time: a second
 *                      opening, by any client, is TEEC_ERROR_BUSY (origin
 *                      TEE); after the close, a new instance
 *   + MULTI_SESSION    one instance for every client's sessions: one
 *                      process, one count (two clients opening at once
 *                      start one); gone with the last session
 *   + KEEP_ALIVE       the instance outlives its last session: the next
 *                      session finds the same process and count
 */
#include "tests/secure/ta_proc_fixture.h"

static uint32_t flags_count(TEEC_Session *s, uint32_t *session_count)
{
	TEEC_Operation op;
	uint32_t origin;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	CHECK_EQ(TEEC_InvokeCommand(s, PROC_CMD_COUNT, &op, &origin),
		 TEEC_SUCCESS);
	if (session_count)
		*session_count = op.params[0].value.b;
	return op.params[0].value.a;
}

static void flags_plain(TEEC_Context *c1, TEEC_Context *c2)
{
	TEEC_Session a, b;
	uint32_t origin;
	pid_t pa, pb;

	CHECK_EQ(ta_fixture_open(c1, &a, &proc_plain, &origin), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(c2, &b, &proc_plain, &origin), TEEC_SUCCESS);
	pa = ta_fixture_pid(&a);
	pb = ta_fixture_pid(&b);
	CHECK(pa != pb);
	CHECK_EQ(flags_count(&a, NULL), 1);
	CHECK_EQ(flags_count(&a, NULL), 2);
	CHECK_EQ(flags_count(&b, NULL), 1);
	TEEC_CloseSession(&a);
	CHECK(ta_fixture_gone(pa, 5000, 0));
	CHECK_EQ(flags_count(&b, NULL), 2);
	TEEC_CloseSession(&b);
	CHECK(ta_fixture_gone(pb, 5000, 0));
}

static void flags_single(TEEC_Context *c1, TEEC_Context *c2)
{
	TEEC_Session a, b;
	uint32_t origin;
	pid_t pa;

	CHECK_EQ(ta_fixture_open(c1, &a, &proc_single, &origin), TEEC_SUCCESS);
	pa = ta_fixture_pid(&a);
	CHECK_EQ(ta_fixture_open(c2, &b, &proc_single, &origin),
		 TEEC_ERROR_BUSY);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	CHECK_EQ(ta_fixture_open(c1, &b, &proc_single, &origin),
		 TEEC_ERROR_BUSY);
	CHECK_EQ(flags_count(&a, NULL), 1);
	TEEC_CloseSession(&a);
	CHECK(ta_fixture_gone(pa, 5000, 0));
	CHECK_EQ(ta_fixture_open(c2, &b, &proc_single, &origin), TEEC_SUCCESS);
	CHECK(ta_fixture_pid(&b) != pa);
	CHECK_EQ(flags_count(&b, NULL), 1);
	TEEC_CloseSession(&b);
}

static void flags_multi(TEEC_Context *c1, TEEC_Context *c2)
{
	TEEC_Session a, b, c;
	uint32_t origin, mine = 0;
	pid_t pa;

	CHECK_EQ(ta_fixture_open(c1, &a, &proc_multi, &origin), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(c2, &b, &proc_multi, &origin), TEEC_SUCCESS);
	pa = ta_fixture_pid(&a);
	CHECK_EQ(ta_fixture_pid(&b), pa);
	CHECK_EQ(flags_count(&a, &mine), 1);
	CHECK_EQ(mine, 1);
	CHECK_EQ(flags_count(&b, &mine), 2);
	CHECK_EQ(mine, 1);
	CHECK_EQ(flags_count(&a, &mine), 3);
	CHECK_EQ(mine, 2);
	TEEC_CloseSession(&a);
	CHECK(!ta_fixture_gone(pa, 200, 0)); /* b still holds it */
	CHECK_EQ(flags_count(&b, &mine), 4);
	TEEC_CloseSession(&b);
	CHECK(ta_fixture_gone(pa, 5000, 0));
	CHECK_EQ(ta_fixture_open(c1, &c, &proc_multi, &origin), TEEC_SUCCESS);
	CHECK(ta_fixture_pid(&c) != pa);
	CHECK_EQ(flags_count(&c, NULL), 1);
	TEEC_CloseSession(&c);
}

struct flags_opener {
	TEEC_Context *ctx;
	TEEC_Session s;
	TEEC_Result res;
};

static void *flags_open_main(void *arg)
{
	struct flags_opener *o = arg;
	uint32_t origin;

	o->res = ta_fixture_open(o->ctx, &o->s, &proc_multi, &origin);
	return NULL;
}

/* Two clients open a single instance that is not running, at once: one
 * process starts, and both sessions are on it. */
static void flags_multi_race(TEEC_Context *c1, TEEC_Context *c2)
{
	struct flags_opener o[2] = { { .ctx = c1 }, { .ctx = c2 } };
	pthread_t t[2];
	pid_t pid;
	int i;

	for (i = 0; i < 2; i++)
		CHECK(!pthread_create(&t[i], NULL, flags_open_main, &o[i]));
	for (i = 0; i < 2; i++) {
		CHECK(!pthread_join(t[i], NULL));
		CHECK_EQ(o[i].res, TEEC_SUCCESS);
	}
	pid = ta_fixture_pid(&o[0].s);
	CHECK_EQ(ta_fixture_pid(&o[1].s), pid);
	CHECK_EQ(flags_count(&o[0].s, NULL) + flags_count(&o[1].s, NULL), 3);
	TEEC_CloseSession(&o[0].s);
	TEEC_CloseSession(&o[1].s);
	CHECK(ta_fixture_gone(pid, 5000, 0));
}

static void flags_keep(TEEC_Context *c1, TEEC_Context *c2)
{
	TEEC_Session a, b;
	uint32_t origin;
	pid_t pa;

	CHECK_EQ(ta_fixture_open(c1, &a, &proc_keep, &origin), TEEC_SUCCESS);
	pa = ta_fixture_pid(&a);
	CHECK_EQ(flags_count(&a, NULL), 1);
	TEEC_CloseSession(&a);
	CHECK(!ta_fixture_gone(pa, 300, 0)); /* kept */
	CHECK_EQ(ta_fixture_open(c2, &b, &proc_keep, &origin), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_pid(&b), pa);
	CHECK_EQ(flags_count(&b, NULL), 2);
	TEEC_CloseSession(&b);
}

int main(void)
{
	struct sw_fixture f;
	TEEC_Context c1, c2;
	TEEC_Session s;
	uint32_t origin;
	pid_t kept;

	ta_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &c1), TEEC_SUCCESS);
	CHECK_EQ(TEEC_InitializeContext(NULL, &c2), TEEC_SUCCESS);
	flags_plain(&c1, &c2);
	flags_single(&c1, &c2);
	flags_multi(&c1, &c2);
	flags_multi_race(&c1, &c2);
	flags_keep(&c1, &c2);

	/* the kept instance lasts until teeq-sw stops */
	CHECK_EQ(ta_fixture_open(&c1, &s, &proc_keep, &origin), TEEC_SUCCESS);
	kept = ta_fixture_pid(&s);
	TEEC_CloseSession(&s);
	TEEC_FinalizeContext(&c1);
	TEEC_FinalizeContext(&c2);
	sw_fixture_stop(&f);
	CHECK(ta_fixture_gone(kept, 5000, 1));
	return T_PASS;
}
