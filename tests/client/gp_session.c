// SPDX-License-Identifier: MIT
/*
 * TEEC_OpenSession / TEEC_CloseSession: sessions to every built-in TA open
 * with SUCCESS from the TA, get distinct nonzero ids and fill the session
 * struct; teeq-sw counts them open and closed exactly; NULL arguments, a
 * login method that does not exist, connection data where none is allowed
 * (or missing where it is required) are BAD_PARAMETERS with origin API and
 * reach nothing; closing twice or closing NULL is harmless, and a closed
 * session refuses calls with BAD_PARAMETERS origin API. An operation given
 * to OpenSession is marked started; a NULL returnOrigin is allowed.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static const TEEC_UUID uuids[] = { TEEQ_TA_NOOP_UUID, TEEQ_TA_ECHO_UUID,
				   TEEQ_TA_DIGEST_UUID, TEEQ_TA_CIPHER_UUID };
#define NR_TAS (sizeof(uuids) / sizeof(uuids[0]))
#define MANY 100

static void check_sessions(struct sw_fixture *f, uint64_t open, uint64_t total)
{
	struct teeq_sw_stats st;

	sw_fixture_stats(f, &st);
	CHECK_EQ(st.sessions, open);
	CHECK_EQ(st.sessions_total, total);
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	TEEC_Session sess[NR_TAS], many[MANY], s;
	struct teeq_sw_stats st, st2;
	TEEC_Context ctx;
	TEEC_Operation op;
	uint32_t origin, gid = (uint32_t)getgid();
	size_t i, j;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);

	/* refused before anything reaches the secure world */
	sw_fixture_stats(&fx, &st);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(NULL, &s, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, NULL, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, &s, NULL, TEEC_LOGIN_PUBLIC, NULL, NULL,
				  &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, &s, &echo, TEEC_LOGIN_PUBLIC, &gid,
				  NULL, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, &s, &echo, TEEC_LOGIN_USER, &gid, NULL,
				  &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, &s, &echo, TEEC_LOGIN_GROUP, NULL, NULL,
				  &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	origin = 0;
	CHECK_EQ(TEEC_OpenSession(&ctx, &s, &echo, TEEC_LOGIN_GROUP_APPLICATION,
				  NULL, NULL, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	for (i = 0; i < 3; i++) {
		static const uint32_t bad[] = { 3, 7, 0x80000000u };

		origin = 0;
		CHECK_EQ(TEEC_OpenSession(&ctx, &s, &echo, bad[i], NULL, NULL,
					  &origin),
			 TEEC_ERROR_BAD_PARAMETERS);
		CHECK_EQ(origin, TEEC_ORIGIN_API);
	}
	sw_fixture_stats(&fx, &st2);
	CHECK_EQ(st2.calls, st.calls);
	CHECK_EQ(st2.sessions_total, 0);

	/* one session per TA */
	for (i = 0; i < NR_TAS; i++) {
		origin = 0;
		memset(&sess[i], 0xa5, sizeof(sess[i]));
		CHECK_EQ(TEEC_OpenSession(&ctx, &sess[i], &uuids[i],
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin),
			 TEEC_SUCCESS);
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
		CHECK(sess[i].ctx == &ctx);
		CHECK(sess[i].session_id != 0);
		for (j = 0; j < i; j++)
			CHECK(sess[i].session_id != sess[j].session_id);
	}
	check_sessions(&fx, NR_TAS, NR_TAS);

	/* an operation handed to OpenSession; a NULL returnOrigin */
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = 7;
	CHECK_EQ(TEEC_OpenSession(&ctx, &s, &echo, TEEC_LOGIN_USER, NULL, &op,
				  NULL),
		 TEEC_SUCCESS);
	CHECK_EQ(op.started, 1);
	check_sessions(&fx, NR_TAS + 1, NR_TAS + 1);
	TEEC_CloseSession(&s);
	check_sessions(&fx, NR_TAS, NR_TAS + 1);
	TEEC_CloseSession(&s); /* twice: harmless */
	TEEC_CloseSession(NULL);
	check_sessions(&fx, NR_TAS, NR_TAS + 1);
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&s, TEEQ_ECHO_CMD_VALUES, NULL, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(NULL, TEEQ_ECHO_CMD_VALUES, NULL, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);

	/* the others still work */
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess[0], TEEQ_NOOP_CMD_NOOP, NULL,
				    &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);

	/* many at once, closed in a different order */
	for (i = 0; i < MANY; i++)
		CHECK_EQ(TEEC_OpenSession(&ctx, &many[i], &uuids[i % NR_TAS],
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin),
			 TEEC_SUCCESS);
	check_sessions(&fx, NR_TAS + MANY, NR_TAS + 1 + MANY);
	for (i = 0; i < MANY; i += 2)
		TEEC_CloseSession(&many[i]);
	check_sessions(&fx, NR_TAS + MANY / 2, NR_TAS + 1 + MANY);
	for (i = 1; i < MANY; i += 2) {
		CHECK_EQ(TEEC_InvokeCommand(&many[i], 0xffffu, NULL, &origin),
			 TEEC_ERROR_NOT_SUPPORTED);
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
		TEEC_CloseSession(&many[i]);
	}
	for (i = 0; i < NR_TAS; i++)
		TEEC_CloseSession(&sess[i]);
	check_sessions(&fx, 0, NR_TAS + 1 + MANY);

	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
