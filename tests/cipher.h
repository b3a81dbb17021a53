/* SPDX-License-Identifier: MIT */
/*
 * The built-in cipher TA as tests of the call path use it: a session with
 * an AES-128-CTR key set, for calls that carry a payload. The key is
 * fixed; these tests look at how calls travel, not at what they compute
 * (tests/client/ta_cipher checks that against OpenSSL).
 */
#ifndef TEEQ_TESTS_CIPHER_H
#define TEEQ_TESTS_CIPHER_H

#include "tests/check.h"
#include "uapi/teeq_tas.h"

#include <string.h>
#include <tee_client_api.h>

static inline void t_cipher_open_ctr(TEEC_Context *ctx, TEEC_Session *s)
{
	static const unsigned char key[16] = { 1, 2,  3,  4,  5,  6,  7,  8,
					       9, 10, 11, 12, 13, 14, 15, 16 };
	TEEC_UUID uuid = TEEQ_TA_CIPHER_UUID;
	TEEC_Operation op;
	uint32_t origin;

	CHECK_EQ(TEEC_OpenSession(ctx, s, &uuid, TEEC_LOGIN_PUBLIC, NULL, NULL,
				  &origin),
		 TEEC_SUCCESS);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = TEEQ_CIPHER_MODE_CTR;
	op.params[1].tmpref.buffer = (void *)key;
	op.params[1].tmpref.size = sizeof(key);
	CHECK_EQ(TEEC_InvokeCommand(s, TEEQ_CIPHER_CMD_SET_KEY, &op, &origin),
		 TEEC_SUCCESS);
}

#endif /* TEEQ_TESTS_CIPHER_H */
