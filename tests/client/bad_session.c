// SPDX-License-Identifier: MIT
/*
 * A TEEC_Session whose session_id names no open session of this context
 * (forged: 0, 0xffffffff, a neighbour of a real id; closed: a copy kept
 * past CloseSession, even after a new session may have reused the slot;
 * foreign: an id open only in another context) is BAD_PARAMETERS with
 * origin TEE, with and without parameters (bounced memory is given back).
 * CloseSession on such a struct is harmless: the real sessions stay open
 * and working, teeq-sw stays up and counts exactly the sessions opened.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
#define works(s) works_at(s, __LINE__)

static void open_echo(TEEC_Context *ctx, TEEC_Session *sess)
{
	uint32_t origin = 0;

	CHECK_EQ(TEEC_OpenSession(ctx, sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
}

static TEEC_Result invert(TEEC_Session *sess, uint32_t *origin)
{
	unsigned char buf[100];
	TEEC_Operation op;

	memset(buf, 0x11, sizeof(buf));
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].tmpref.buffer = buf;
	op.params[0].tmpref.size = sizeof(buf);
	*origin = 0;
	return TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_INVERT, &op, origin);
}

/* @sess names no session of its context: refused by the TEE. */
static void refused(TEEC_Session *sess)
{
	struct teeq_stats st;
	uint32_t origin = 0;

	CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_VALUES, NULL, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	CHECK_EQ(invert(sess, &origin), TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_TEE);
	teeq_context_stats(sess->ctx, &st);
	CHECK_EQ(st.heap_in_use, 0);
}

static void works_at(TEEC_Session *sess, int line)
{
	uint32_t origin;
	TEEC_Result res = invert(sess, &origin);

	if (res != TEEC_SUCCESS || origin != TEEC_ORIGIN_TRUSTED_APP)
		fprintf(stderr, "works() at line %d\n", line);
	CHECK_EQ(res, TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

int main(void)
{
	static const uint32_t ids[] = { 0, 1, 0xffffffffu, 0xdeadbeefu };
	TEEC_Session real, closed, again, foreign[4], forged;
	struct teeq_sw_stats st;
	TEEC_Context ctx, ctx2;
	size_t i;
	int status;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx2), TEEC_SUCCESS);
	open_echo(&ctx, &real);

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		forged = real;
		forged.session_id = ids[i];
		refused(&forged);
		TEEC_CloseSession(&forged);
	}
	forged = real;
	forged.session_id = real.session_id + 1;
	refused(&forged);
	TEEC_CloseSession(&forged);
	forged = real;
	forged.session_id = real.session_id - 1;
	refused(&forged);
	TEEC_CloseSession(&forged);
	works(&real);

	/* a session kept past its close; then a new one, maybe in its slot */
	open_echo(&ctx, &closed);
	forged = closed;
	TEEC_CloseSession(&closed);
	refused(&forged);
	open_echo(&ctx, &again);
	refused(&forged);
	TEEC_CloseSession(&forged);
	works(&again);

	/* an id open in the other context only (ids are per context, so
	 * the other's first ones may equal ours: take one that does not) */
	for (i = 0; i < 4; i++) {
		open_echo(&ctx2, &foreign[i]);
		works(&foreign[i]);
	}
	for (i = 0; i < 4; i++)
		if (foreign[i].session_id != real.session_id &&
		    foreign[i].session_id != again.session_id)
			break;
	CHECK(i < 4);
	forged = real;
	forged.session_id = foreign[i].session_id;
	refused(&forged);
	TEEC_CloseSession(&forged);
	works(&foreign[i]);
	works(&real);
	works(&again);

	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.sessions, 6); /* real, again, 4 foreign */
	CHECK_EQ(st.sessions_total, 7);
	CHECK_EQ(waitpid(fx.pid, &status, WNOHANG), 0);

	TEEC_CloseSession(&real);
	TEEC_CloseSession(&again);
	for (i = 0; i < 4; i++)
		TEEC_CloseSession(&foreign[i]);
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.sessions, 0);
	TEEC_FinalizeContext(&ctx2);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
