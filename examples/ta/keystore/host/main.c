// SPDX-License-Identifier: MIT
/*
 * keystore's host: a plain GlobalPlatform client of the loaded keystore
 * TA (examples/ta/keystore/ta), which keeps AES keys in its persistent
 * objects; the client only ever names them.
 *
 *   build/examples/ta/keystore new     a new key "example" (the old one
 *                                      deleted), a message enciphered and
 *                                      deciphered with it
 *   build/examples/ta/keystore again   the same message with the same key,
 *                                      in a later run (teeq-sw restarted,
 *                                      or the machine): the same bytes
 *   build/examples/ta/keystore delete  the key is gone
 *
 * Each run that enciphers prints the ciphertext's first bytes, so that
 * two runs can be compared.
 */
#include <stdio.h>
#include <string.h>
#include <tee_client_api.h>

#include "../ta/include/keystore_ta.h"

#define KS_NAME "example"

static const TEEC_UUID ks_uuid = KEYSTORE_TA_UUID;
static const char ks_msg[] = "a message for the key that stays in the TA";
static const unsigned char ks_ctr[16] = { 1, 2,	 3,  4,	 5,  6,	 7,  8,
					  9, 10, 11, 12, 13, 14, 15, 16 };

static int check(TEEC_Result res, uint32_t origin, const char *what)
{
	if (res == TEEC_SUCCESS)
		return 0;
	fprintf(stderr, "%s failed: 0x%08x (origin %u)\n", what, res, origin);
	return 1;
}

/* One command on the key KS_NAME: p0 the name, the rest from @op. */
static TEEC_Result ks_call(TEEC_Session *s, uint32_t cmd, TEEC_Operation *op,
			   uint32_t *origin)
{
	op->params[0].tmpref.buffer = (void *)KS_NAME;
	op->params[0].tmpref.size = strlen(KS_NAME);
	return TEEC_InvokeCommand(s, cmd, op, origin);
}

static TEEC_Result ks_generate(TEEC_Session *s, uint32_t *origin)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_MEMREF_TEMP_INPUT, TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[1].value.a = 256;
	return ks_call(s, KEYSTORE_CMD_GENERATE, &op, origin);
}

static TEEC_Result ks_cipher(TEEC_Session *s, const void *in, void *out,
			     size_t len, uint32_t *origin)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT);
	op.params[1].tmpref.buffer = (void *)ks_ctr;
	op.params[1].tmpref.size = sizeof(ks_ctr);
	op.params[2].tmpref.buffer = (void *)in;
	op.params[2].tmpref.size = len;
	op.params[3].tmpref.buffer = out;
	op.params[3].tmpref.size = len;
	return ks_call(s, KEYSTORE_CMD_CIPHER, &op, origin);
}

static TEEC_Result ks_delete(TEEC_Session *s, uint32_t *origin)
{
	TEEC_Operation op;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	return ks_call(s, KEYSTORE_CMD_DELETE, &op, origin);
}

/* The message there and back with the key; prints the ciphertext. */
static int ks_use(TEEC_Session *s)
{
	unsigned char ct[sizeof(ks_msg)], pt[sizeof(ks_msg)];
	uint32_t origin = 0;
	TEEC_Result res;
	size_t i;

	res = ks_cipher(s, ks_msg, ct, sizeof(ks_msg), &origin);
	if (check(res, origin, "encipher"))
		return 1;
	res = ks_cipher(s, ct, pt, sizeof(ct), &origin);
	if (check(res, origin, "decipher"))
		return 1;
	if (memcmp(pt, ks_msg, sizeof(ks_msg)) ||
	    !memcmp(ct, ks_msg, sizeof(ks_msg))) {
		fprintf(stderr, "the key does not encipher\n");
		return 1;
	}
	printf("ciphertext ");
	for (i = 0; i < 8; i++)
		printf("%02x", ct[i]);
	printf("\n");
	return 0;
}

static int ks_count(TEEC_Session *s, uint32_t *count)
{
	TEEC_Operation op;
	uint32_t origin = 0;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	res = TEEC_InvokeCommand(s, KEYSTORE_CMD_COUNT, &op, &origin);
	*count = op.params[0].value.a;
	return check(res, origin, "count");
}

static int ks_run(TEEC_Session *s, const char *what)
{
	uint32_t origin = 0, count = 0;
	TEEC_Result res;

	if (!strcmp(what, "new")) {
		res = ks_delete(s, &origin); /* an old one, if any */
		if (res != TEEC_SUCCESS && res != TEEC_ERROR_ITEM_NOT_FOUND)
			return check(res, origin, "delete");
		res = ks_generate(s, &origin);
		if (check(res, origin, "generate"))
			return 1;
		/* a name is taken once */
		res = ks_generate(s, &origin);
		if (res != TEEC_ERROR_ACCESS_CONFLICT)
			return check(res ? res : TEEC_ERROR_GENERIC, origin,
				     "generating it again");
		if (ks_count(s, &count))
			return 1;
		printf("key \"%s\" made: %u key%s kept\n", KS_NAME, count,
		       count == 1 ? "" : "s");
		return ks_use(s);
	}
	if (!strcmp(what, "again"))
		return ks_use(s);
	if (!strcmp(what, "delete")) {
		res = ks_delete(s, &origin);
		if (check(res, origin, "delete"))
			return 1;
		res = ks_cipher(s, ks_msg, NULL, 0, &origin);
		if (res != TEEC_ERROR_ITEM_NOT_FOUND)
			return check(res ? res : TEEC_ERROR_GENERIC, origin,
				     "using the deleted key");
		printf("key \"%s\" deleted\n", KS_NAME);
		return 0;
	}
	fprintf(stderr, "usage: keystore new|again|delete\n");
	return 2;
}

int main(int argc, char **argv)
{
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Result res;
	uint32_t origin = 0;
	int failed;

	if (check(TEEC_InitializeContext(NULL, &ctx), TEEC_ORIGIN_API,
		  "TEEC_InitializeContext"))
		return 1;
	res = TEEC_OpenSession(&ctx, &sess, &ks_uuid, TEEC_LOGIN_PUBLIC, NULL,
			       NULL, &origin);
	if (check(res, origin, "TEEC_OpenSession")) {
		TEEC_FinalizeContext(&ctx);
		return 1;
	}
	failed = ks_run(&sess, argc > 1 ? argv[1] : "new");
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	printf("%s\n", failed ? "FAILED" : "ok");
	return failed;
}
