// SPDX-License-Identifier: MIT
/*
 * Persistent objects of a loaded TA, end to end: teeq-sw with storage and
 * a teeq-supplicant (tests/storage/fixture.h) and the test TA, whose own
 * check of every persistent-object function passes; what it stores
 * outlives its instance, and teeq-sw and the supplicant restarted; the
 * objects are the TA's own (another TA finds none of them); a TA that
 * dies holding an object open lets go of it before the call that saw it
 * die returns; and with the supplicant gone the TA gets
 * TEE_ERROR_STORAGE_NOT_AVAILABLE.
 */
#include "tests/secure/ta_proc_fixture.h"
#include "tests/storage/fixture.h"

static TEEC_Result storage_call(TEEC_Session *s, uint32_t cmd, const char *id,
				void *buf, size_t *len, uint32_t out)
{
	TEEC_Operation op;
	uint32_t origin;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 buf ? out : TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].tmpref.buffer = (void *)id;
	op.params[0].tmpref.size = strlen(id);
	op.params[1].tmpref.buffer = buf;
	op.params[1].tmpref.size = len ? *len : 0;
	res = TEEC_InvokeCommand(s, cmd, &op, &origin);
	if (len)
		*len = op.params[1].tmpref.size;
	return res;
}

static TEEC_Result storage_store(TEEC_Session *s, const char *id,
				 const char *data)
{
	size_t len = strlen(data);

	return storage_call(s, PROC_CMD_STORE, id, (void *)data, &len,
			    TEEC_MEMREF_TEMP_INPUT);
}

static TEEC_Result storage_load(TEEC_Session *s, const char *id, char *out,
				size_t cap)
{
	size_t len = cap - 1;
	TEEC_Result res = storage_call(s, PROC_CMD_LOAD, id, out, &len,
				       TEEC_MEMREF_TEMP_OUTPUT);

	out[res == TEEC_SUCCESS ? len : 0] = 0;
	return res;
}

/*
 * A TA's instance dies holding an object open: another instance of the
 * same TA, already running, has the object as soon as the call that saw
 * the death has returned, not once teeq-sw has got round to reaping the
 * dead process (which lags under load). A few rounds, each a fresh race.
 */
static void storage_dead_holder(TEEC_Context *ctx)
{
	TEEC_Session holder, other;
	uint32_t origin;
	int i;

	for (i = 0; i < 8; i++) {
		CHECK_EQ(ta_fixture_open(ctx, &holder, &proc_plain, &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(ta_fixture_open(ctx, &other, &proc_plain, &origin),
			 TEEC_SUCCESS);
		CHECK(ta_fixture_pid(&holder) != ta_fixture_pid(&other));
		CHECK_EQ(storage_store(&other, "held2", "x"), TEEC_SUCCESS);
		CHECK_EQ(storage_call(&holder, PROC_CMD_HOLD, "held2", NULL,
				      NULL, 0),
			 TEEC_SUCCESS);
		CHECK_EQ(storage_store(&other, "held2", "y"),
			 TEEC_ERROR_ACCESS_CONFLICT);
		CHECK_EQ(TEEC_InvokeCommand(&holder, PROC_CMD_CRASH, NULL,
					    &origin),
			 TEEC_ERROR_TARGET_DEAD);
		CHECK_EQ(origin, TEEC_ORIGIN_TEE);
		CHECK_EQ(storage_store(&other, "held2", "y"), TEEC_SUCCESS);
		TEEC_CloseSession(&holder);
		TEEC_CloseSession(&other);
	}
}

static void storage_start(struct st_fixture *f, TEEC_Context *ctx,
			  TEEC_Session *st)
{
	st_start_sw(f, "--ta-dir", ta_fixture_dir);
	st_start_suppl(f);
	CHECK_EQ(TEEC_InitializeContext(NULL, ctx), TEEC_SUCCESS);
	st_open_session(ctx, st);
	CHECK_EQ(st_wait_storage(st), TEEC_SUCCESS);
}

int main(void)
{
	struct st_fixture f;
	TEEC_Context ctx;
	TEEC_Session st, a, b, holder;
	TEEC_Operation op;
	uint32_t origin;
	char buf[64];
	pid_t pid;

	st_init(&f);
	ta_fixture_dir_init();
	atexit(ta_fixture_cleanup);
	storage_start(&f, &ctx, &st);

	CHECK_EQ(ta_fixture_open(&ctx, &a, &proc_plain, &origin), TEEC_SUCCESS);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	CHECK_EQ(TEEC_InvokeCommand(&a, PROC_CMD_STORAGE_CHECK, &op, &origin),
		 TEEC_SUCCESS);
	if (op.params[0].value.a)
		fprintf(stderr, "the TA's check: step %u, result 0x%08x\n",
			op.params[0].value.a, op.params[0].value.b);
	CHECK_EQ(op.params[0].value.a, 0);

	CHECK_EQ(storage_store(&a, "alpha", "hello, storage"), TEEC_SUCCESS);
	CHECK_EQ(storage_load(&a, "alpha", buf, sizeof(buf)), TEEC_SUCCESS);
	CHECK(!strcmp(buf, "hello, storage"));
	CHECK_EQ(storage_load(&a, "alpha", buf, 4), TEEC_ERROR_SHORT_BUFFER);

	/* the objects are the TA's: another TA's namespace is its own */
	CHECK_EQ(ta_fixture_open(&ctx, &b, &proc_multi, &origin), TEEC_SUCCESS);
	CHECK_EQ(storage_load(&b, "alpha", buf, sizeof(buf)),
		 TEEC_ERROR_ITEM_NOT_FOUND);

	/* a TA that dies with an object open lets go of it */
	CHECK_EQ(storage_store(&b, "held", "x"), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&ctx, &holder, &proc_multi, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(storage_call(&holder, PROC_CMD_HOLD, "held", NULL, NULL, 0),
		 TEEC_SUCCESS);
	CHECK_EQ(storage_store(&b, "held", "y"), TEEC_ERROR_ACCESS_CONFLICT);
	CHECK_EQ(TEEC_InvokeCommand(&holder, PROC_CMD_CRASH, NULL, &origin),
		 TEEC_ERROR_TARGET_DEAD);
	TEEC_CloseSession(&holder);
	TEEC_CloseSession(&b);
	CHECK_EQ(ta_fixture_open(&ctx, &b, &proc_multi, &origin), TEEC_SUCCESS);
	CHECK_EQ(storage_store(&b, "held", "y"), TEEC_SUCCESS);
	TEEC_CloseSession(&b);
	storage_dead_holder(&ctx);

	/* it outlives the instance... */
	pid = ta_fixture_pid(&a);
	TEEC_CloseSession(&a);
	CHECK(ta_fixture_gone(pid, 5000, 0));
	CHECK_EQ(ta_fixture_open(&ctx, &a, &proc_plain, &origin), TEEC_SUCCESS);
	CHECK_EQ(storage_load(&a, "alpha", buf, sizeof(buf)), TEEC_SUCCESS);
	CHECK(!strcmp(buf, "hello, storage"));
	TEEC_CloseSession(&a);
	TEEC_CloseSession(&st);
	TEEC_FinalizeContext(&ctx);

	/* ...and both daemons */
	sw_fixture_kill(&f.sw, SIGTERM);
	st_kill_suppl(&f, SIGTERM);
	storage_start(&f, &ctx, &st);
	CHECK_EQ(ta_fixture_open(&ctx, &a, &proc_plain, &origin), TEEC_SUCCESS);
	CHECK_EQ(storage_load(&a, "alpha", buf, sizeof(buf)), TEEC_SUCCESS);
	CHECK(!strcmp(buf, "hello, storage"));

	/* no supplicant: no storage, said so */
	st_kill_suppl(&f, SIGKILL);
	st_wait_detached(&st);
	CHECK_EQ(storage_load(&a, "alpha", buf, sizeof(buf)),
		 TEEC_ERROR_STORAGE_NOT_AVAILABLE);

	TEEC_CloseSession(&a);
	TEEC_CloseSession(&st);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f.sw);
	return T_PASS;
}
