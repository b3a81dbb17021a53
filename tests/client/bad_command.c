// SPDX-License-Identifier: MIT
/*
 * Each built-in TA answers a command id it does not know with
 * NOT_SUPPORTED and a known command with the wrong parameter types with
 * BAD_PARAMETERS, both with origin TRUSTED_APP; the session stays usable
 * afterwards (its next valid call succeeds).
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

struct wrong {
	int ta; /* index into uuids */
	uint32_t cmd;
	uint32_t types;
};

static const TEEC_UUID uuids[] = { TEEQ_TA_NOOP_UUID, TEEQ_TA_ECHO_UUID,
				   TEEQ_TA_DIGEST_UUID, TEEQ_TA_CIPHER_UUID };

#define V_IN TEEC_VALUE_INPUT
#define V_OUT TEEC_VALUE_OUTPUT
#define M_IN TEEC_MEMREF_TEMP_INPUT
#define M_OUT TEEC_MEMREF_TEMP_OUTPUT
#define M_IO TEEC_MEMREF_TEMP_INOUT
#define NONE TEEC_NONE
#define T(a, b, c, d) TEEC_PARAM_TYPES(a, b, c, d)

static const struct wrong wrongs[] = {
	{ 0, TEEQ_NOOP_CMD_WAIT, T(NONE, NONE, NONE, NONE) },
	{ 0, TEEQ_NOOP_CMD_WAIT, T(V_OUT, NONE, NONE, NONE) },
	{ 0, TEEQ_NOOP_CMD_WAIT, T(V_IN, V_IN, NONE, NONE) },
	{ 1, TEEQ_ECHO_CMD_VALUES, T(V_IN, V_OUT, NONE, NONE) },
	{ 1, TEEQ_ECHO_CMD_COPY, T(M_IN, M_IO, NONE, NONE) },
	{ 1, TEEQ_ECHO_CMD_COPY, T(M_OUT, M_IN, NONE, NONE) },
	{ 1, TEEQ_ECHO_CMD_INVERT, T(M_IN, NONE, NONE, NONE) },
	{ 1, TEEQ_ECHO_CMD_INVERT, T(M_IO, M_IO, NONE, NONE) },
	{ 1, TEEQ_ECHO_CMD_IDENTITY, T(V_OUT, NONE, NONE, NONE) },
	{ 2, TEEQ_DIGEST_CMD_SHA256, T(M_IN, M_IO, NONE, NONE) },
	{ 2, TEEQ_DIGEST_CMD_SHA256, T(V_IN, M_OUT, NONE, NONE) },
	{ 2, TEEQ_DIGEST_CMD_HMAC, T(M_IN, M_OUT, NONE, NONE) },
	{ 2, TEEQ_DIGEST_CMD_INIT, T(M_IN, NONE, NONE, NONE) },
	{ 2, TEEQ_DIGEST_CMD_UPDATE, T(M_IN, M_IN, NONE, NONE) },
	{ 2, TEEQ_DIGEST_CMD_FINAL, T(M_IO, NONE, NONE, NONE) },
	{ 3, TEEQ_CIPHER_CMD_SET_KEY, T(M_IN, V_IN, NONE, NONE) },
	{ 3, TEEQ_CIPHER_CMD_CTR, T(M_IN, M_IN, M_IN, NONE) },
	{ 3, TEEQ_CIPHER_CMD_GCM_ENCRYPT, T(M_IN, M_IN, M_OUT, M_IN) },
	{ 3, TEEQ_CIPHER_CMD_GCM_DECRYPT, T(M_IN, M_IN, M_OUT, M_OUT) },
};

static void fill(TEEC_Operation *op, uint32_t types, unsigned char *buf)
{
	int i;

	memset(op, 0, sizeof(*op));
	op->paramTypes = types;
	for (i = 0; i < 4; i++) {
		op->params[i].tmpref.buffer = buf + 64 * i;
		op->params[i].tmpref.size = 32;
	}
}

static void valid_call(TEEC_Session *sess, int ta, unsigned char *buf)
{
	TEEC_Operation op;
	uint32_t origin = 0;

	switch (ta) {
	case 0:
		CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_NOOP_CMD_NOOP, NULL,
					    &origin),
			 TEEC_SUCCESS);
		break;
	case 1:
		fill(&op, T(M_IO, NONE, NONE, NONE), buf);
		CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_ECHO_CMD_INVERT, &op,
					    &origin),
			 TEEC_SUCCESS);
		break;
	case 2:
		fill(&op, T(M_IN, M_OUT, NONE, NONE), buf);
		CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_DIGEST_CMD_SHA256, &op,
					    &origin),
			 TEEC_SUCCESS);
		break;
	default:
		fill(&op, T(V_IN, M_IN, NONE, NONE), buf);
		op.params[0].value.a = TEEQ_CIPHER_MODE_CTR;
		op.params[1].tmpref.buffer = buf;
		op.params[1].tmpref.size = 16;
		CHECK_EQ(TEEC_InvokeCommand(sess, TEEQ_CIPHER_CMD_SET_KEY, &op,
					    &origin),
			 TEEC_SUCCESS);
	}
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
}

int main(void)
{
	static const uint32_t unknown[] = { 5, 99, 0x7fffffffu, 0xffffffffu };
	unsigned char buf[256] = { 0 };
	TEEC_Session sess[4];
	TEEC_Context ctx;
	TEEC_Operation op;
	uint32_t origin;
	size_t i, j;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	for (i = 0; i < 4; i++)
		CHECK_EQ(TEEC_OpenSession(&ctx, &sess[i], &uuids[i],
					  TEEC_LOGIN_PUBLIC, NULL, NULL,
					  &origin),
			 TEEC_SUCCESS);

	for (i = 0; i < 4; i++) {
		for (j = 0; j < sizeof(unknown) / sizeof(unknown[0]); j++) {
			origin = 0;
			CHECK_EQ(TEEC_InvokeCommand(&sess[i], unknown[j], NULL,
						    &origin),
				 TEEC_ERROR_NOT_SUPPORTED);
			CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
			fill(&op, T(V_IN, M_IN, NONE, NONE), buf);
			origin = 0;
			CHECK_EQ(TEEC_InvokeCommand(&sess[i], unknown[j], &op,
						    &origin),
				 TEEC_ERROR_NOT_SUPPORTED);
			CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
		}
		valid_call(&sess[i], (int)i, buf);
	}

	for (i = 0; i < sizeof(wrongs) / sizeof(wrongs[0]); i++) {
		const struct wrong *w = &wrongs[i];

		fill(&op, w->types, buf);
		origin = 0;
		if (TEEC_InvokeCommand(&sess[w->ta], w->cmd, &op, &origin) !=
		    TEEC_ERROR_BAD_PARAMETERS) {
			fprintf(stderr, "wrong types case %zu accepted\n", i);
			CHECK(0);
		}
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
		valid_call(&sess[w->ta], w->ta, buf);
	}

	for (i = 0; i < 4; i++)
		TEEC_CloseSession(&sess[i]);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
