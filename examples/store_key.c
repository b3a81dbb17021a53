// SPDX-License-Identifier: MIT
/*
 * store_key: keep a key in the secure world's storage, a plain
 * GlobalPlatform client of the storage trusted app. "store" makes a new
 * random 256-bit key and stores it as a persistent object (encrypted and
 * authenticated by the secure world; teeq-supplicant keeps the file);
 * "load" reads it back, in a later run, after teeq-sw and teeq-supplicant
 * have been restarted or the machine rebooted. Each prints the key's
 * check value (not the key), so the two can be compared.
 *
 *   build/examples/store_key store
 *   build/examples/store_key load
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <tee_client_api.h>

#include "teeq_gp.h" /* installed in <includedir>/teeq */
#include "teeq_tas.h"

#define KEY_ID "example-aes-key"
#define KEY_LEN 32

static const TEEC_UUID storage_uuid = TEEQ_TA_STORAGE_UUID;

/* FNV-1a of the key: enough to see that two runs hold the same one. */
static unsigned long check_value(const unsigned char *key, size_t len)
{
	unsigned long h = 2166136261ul;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ key[i]) * 16777619ul & 0xfffffffful;
	return h;
}

static const char *what(TEEC_Result res)
{
	switch (res) {
	case TEEC_ERROR_ITEM_NOT_FOUND:
		return "no such key (run \"store\" first)";
	case TEEQ_ERROR_CORRUPT_OBJECT:
		return "the stored key was tampered with";
	case TEEQ_ERROR_STORAGE_NOT_AVAILABLE:
		return "no teeq-supplicant is attached";
	default:
		return "failed";
	}
}

static TEEC_Result store(TEEC_Session *sess, unsigned char *key)
{
	TEEC_Operation op;
	uint32_t origin = 0, handle;
	TEEC_Result res;

	if (getrandom(key, KEY_LEN, 0) != KEY_LEN)
		return TEEC_ERROR_GENERIC;
	/* create (replacing one there), write the key, close */
	memset(&op, 0, sizeof(op));
	op.paramTypes =
		TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT,
				 TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_OUTPUT);
	op.params[0].tmpref.buffer = KEY_ID;
	op.params[0].tmpref.size = strlen(KEY_ID);
	op.params[1].value.a = TEEQ_STORAGE_ACCESS_READ |
			       TEEQ_STORAGE_OVERWRITE;
	op.params[2].tmpref.buffer = key;
	op.params[2].tmpref.size = KEY_LEN;
	res = TEEC_InvokeCommand(sess, TEEQ_STORAGE_CMD_CREATE, &op, &origin);
	if (res != TEEC_SUCCESS)
		return res;
	handle = op.params[3].value.a;
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = handle;
	return TEEC_InvokeCommand(sess, TEEQ_STORAGE_CMD_CLOSE, &op, &origin);
}

static TEEC_Result load(TEEC_Session *sess, unsigned char *key)
{
	TEEC_Operation op;
	uint32_t origin = 0, handle;
	TEEC_Result res, closed;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_VALUE_INPUT, TEEC_NONE,
					 TEEC_VALUE_OUTPUT);
	op.params[0].tmpref.buffer = KEY_ID;
	op.params[0].tmpref.size = strlen(KEY_ID);
	op.params[1].value.a = TEEQ_STORAGE_ACCESS_READ;
	res = TEEC_InvokeCommand(sess, TEEQ_STORAGE_CMD_OPEN, &op, &origin);
	if (res != TEEC_SUCCESS)
		return res;
	handle = op.params[3].value.a;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = handle;
	op.params[1].tmpref.buffer = key;
	op.params[1].tmpref.size = KEY_LEN;
	res = TEEC_InvokeCommand(sess, TEEQ_STORAGE_CMD_READ, &op, &origin);
	if (res == TEEC_SUCCESS && op.params[1].tmpref.size != KEY_LEN)
		res = TEEC_ERROR_BAD_FORMAT;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = handle;
	closed = TEEC_InvokeCommand(sess, TEEQ_STORAGE_CMD_CLOSE, &op, &origin);
	return res != TEEC_SUCCESS ? res : closed;
}

int main(int argc, char **argv)
{
	unsigned char key[KEY_LEN];
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Result res;
	uint32_t origin = 0;
	int storing;

	if (argc != 2 ||
	    (strcmp(argv[1], "store") && strcmp(argv[1], "load"))) {
		fprintf(stderr, "usage: store_key store|load\n");
		return 2;
	}
	storing = !strcmp(argv[1], "store");
	res = TEEC_InitializeContext(NULL, &ctx);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "TEEC_InitializeContext: 0x%08x\n", res);
		return 1;
	}
	res = TEEC_OpenSession(&ctx, &sess, &storage_uuid, TEEC_LOGIN_PUBLIC,
			       NULL, NULL, &origin);
	if (res != TEEC_SUCCESS) {
		fprintf(stderr, "TEEC_OpenSession: 0x%08x (origin %u)\n", res,
			origin);
		TEEC_FinalizeContext(&ctx);
		return 1;
	}
	res = storing ? store(&sess, key) : load(&sess, key);
	if (res == TEEC_SUCCESS)
		printf("%s \"%s\": %d-byte key, check value %08lx\n",
		       storing ? "stored" : "loaded", KEY_ID, KEY_LEN,
		       check_value(key, KEY_LEN));
	else
		fprintf(stderr, "%s \"%s\": 0x%08x: %s\n", argv[1], KEY_ID, res,
			what(res));
	memset(key, 0, sizeof(key));
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	return res == TEEC_SUCCESS ? 0 : 1;
}
