// SPDX-License-Identifier: MIT
/*
 * digest: SHA-256 and HMAC-SHA256 with OpenSSL libcrypto, single-shot or
 * multi-part. A session keeps two operations, one for the single-shot
 * commands and one for INIT/UPDATE/FINAL, so that a single-shot call never
 * disturbs a multi-part operation in progress; their OpenSSL contexts are
 * allocated on first use and reused until close_session.
 *
 * Keys are copied out of shared memory before OpenSSL sees them; a digest
 * is computed into private memory and copied out once it is complete, so
 * an output window overlapping an input cannot change the result.
 */
#include "secure/core/ta.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <string.h>

#define TA_DIGEST_KEY_MAX 1024

struct ta_digest_op {
	EVP_MD_CTX *md; /* SHA-256 */
	EVP_MAC_CTX *mac; /* HMAC-SHA256 */
	uint32_t alg; /* TEEQ_DIGEST_ALG_* of the running operation */
	int active;
};

struct ta_digest_session {
	struct ta_digest_op once; /* CMD_SHA256, CMD_HMAC */
	struct ta_digest_op multi; /* CMD_INIT, CMD_UPDATE, CMD_FINAL */
};

/* Data input: a null memref is empty data, never a window to read. */
static int ta_digest_data_ok(const struct ta_param *param)
{
	return param->memref.buffer || !param->memref.size;
}

static int ta_digest_key_ok(const struct ta_param *param)
{
	return param->memref.buffer && param->memref.size >= 1 &&
	       param->memref.size <= TA_DIGEST_KEY_MAX;
}

/* Is there room for a digest? If not, tell the client how much it needs. */
static int ta_digest_out_room(struct ta_param *out)
{
	if (out->memref.buffer && out->memref.size >= TEEQ_DIGEST_LEN)
		return 1;
	out->memref.size = TEEQ_DIGEST_LEN;
	return 0;
}

static EVP_MAC_CTX *ta_digest_mac_ctx_new(void)
{
	char digest_name[] = "SHA256";
	OSSL_PARAM params[] = {
		OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST,
						 digest_name, 0),
		OSSL_PARAM_construct_end(),
	};
	EVP_MAC_CTX *ctx;
	EVP_MAC *hmac;

	hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
	if (!hmac)
		return NULL;
	/* the context holds its own reference to the algorithm */
	ctx = EVP_MAC_CTX_new(hmac);
	EVP_MAC_free(hmac);
	if (!ctx)
		return NULL;
	/* set once: later EVP_MAC_init() calls keep the digest */
	if (!EVP_MAC_CTX_set_params(ctx, params))
		goto err_free;
	return ctx;

err_free:
	EVP_MAC_CTX_free(ctx);
	return NULL;
}

static uint32_t ta_digest_start_sha256(struct ta_digest_op *op)
{
	if (!op->md) {
		op->md = EVP_MD_CTX_new();
		if (!op->md)
			return TEEQ_ERROR_OUT_OF_MEMORY;
	}
	if (!EVP_DigestInit_ex2(op->md, EVP_sha256(), NULL))
		return TEEQ_ERROR_GENERIC;
	return TEEQ_SUCCESS;
}

/* @key is shared memory, already checked by ta_digest_key_ok(). */
static uint32_t ta_digest_start_hmac(struct ta_digest_op *op,
				     const struct ta_param *key)
{
	unsigned char key_copy[TA_DIGEST_KEY_MAX];
	size_t key_len = key->memref.size;
	uint32_t res = TEEQ_SUCCESS;

	if (!op->mac) {
		op->mac = ta_digest_mac_ctx_new();
		if (!op->mac)
			return TEEQ_ERROR_OUT_OF_MEMORY;
	}
	memcpy(key_copy, key->memref.buffer, key_len);
	if (!EVP_MAC_init(op->mac, key_copy, key_len, NULL))
		res = TEEQ_ERROR_GENERIC;
	OPENSSL_cleanse(key_copy, key_len);
	return res;
}

/* Restarts @op; @key is NULL for SHA-256. */
static uint32_t ta_digest_start(struct ta_digest_op *op, uint32_t alg,
				const struct ta_param *key)
{
	uint32_t res;

	op->active = 0;
	if (alg == TEEQ_DIGEST_ALG_SHA256)
		res = ta_digest_start_sha256(op);
	else
		res = ta_digest_start_hmac(op, key);
	if (res != TEEQ_SUCCESS)
		return res;
	op->alg = alg;
	op->active = 1;
	return TEEQ_SUCCESS;
}

static uint32_t ta_digest_update(struct ta_digest_op *op,
				 const struct ta_param *data)
{
	size_t len = data->memref.size;
	int ok;

	if (!len)
		return TEEQ_SUCCESS;
	if (op->alg == TEEQ_DIGEST_ALG_SHA256)
		ok = EVP_DigestUpdate(op->md, data->memref.buffer, len);
	else
		ok = EVP_MAC_update(op->mac, data->memref.buffer, len);
	if (!ok) {
		op->active = 0;
		return TEEQ_ERROR_GENERIC;
	}
	return TEEQ_SUCCESS;
}

/* Ends @op and writes its digest to @out, which ta_digest_out_room()
 * accepted. */
static uint32_t ta_digest_finish(struct ta_digest_op *op, struct ta_param *out)
{
	unsigned char digest[TEEQ_DIGEST_LEN];
	unsigned int md_len = 0;
	size_t mac_len = 0;
	int ok;

	op->active = 0;
	if (op->alg == TEEQ_DIGEST_ALG_SHA256)
		ok = EVP_DigestFinal_ex(op->md, digest, &md_len) &&
		     md_len == TEEQ_DIGEST_LEN;
	else
		ok = EVP_MAC_final(op->mac, digest, &mac_len, sizeof(digest)) &&
		     mac_len == TEEQ_DIGEST_LEN;
	if (!ok)
		return TEEQ_ERROR_GENERIC;
	memcpy(out->memref.buffer, digest, TEEQ_DIGEST_LEN);
	out->memref.size = TEEQ_DIGEST_LEN;
	return TEEQ_SUCCESS;
}

static uint32_t ta_digest_run(struct ta_digest_op *op, uint32_t alg,
			      const struct ta_param *key,
			      const struct ta_param *data, struct ta_param *out)
{
	uint32_t res;

	res = ta_digest_start(op, alg, key);
	if (res != TEEQ_SUCCESS)
		return res;
	res = ta_digest_update(op, data);
	if (res != TEEQ_SUCCESS)
		return res;
	return ta_digest_finish(op, out);
}

static uint32_t ta_digest_sha256(struct ta_digest_session *s,
				 uint32_t param_types,
				 struct ta_param params[TEEQ_NUM_PARAMS])
{
	if (!ta_params_are(param_types, TEEQ_PARAM_MEMREF_INPUT,
			   TEEQ_PARAM_MEMREF_OUTPUT, TEEQ_PARAM_NONE,
			   TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!ta_digest_data_ok(&params[0]))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!ta_digest_out_room(&params[1]))
		return TEEQ_ERROR_SHORT_BUFFER;
	return ta_digest_run(&s->once, TEEQ_DIGEST_ALG_SHA256, NULL, &params[0],
			     &params[1]);
}

static uint32_t ta_digest_hmac(struct ta_digest_session *s,
			       uint32_t param_types,
			       struct ta_param params[TEEQ_NUM_PARAMS])
{
	if (!ta_params_are(param_types, TEEQ_PARAM_MEMREF_INPUT,
			   TEEQ_PARAM_MEMREF_INPUT, TEEQ_PARAM_MEMREF_OUTPUT,
			   TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!ta_digest_key_ok(&params[0]) || !ta_digest_data_ok(&params[1]))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!ta_digest_out_room(&params[2]))
		return TEEQ_ERROR_SHORT_BUFFER;
	return ta_digest_run(&s->once, TEEQ_DIGEST_ALG_HMAC_SHA256, &params[0],
			     &params[1], &params[2]);
}

/* Any INIT ends the operation in progress, so a failed INIT leaves none. */
static uint32_t ta_digest_init(struct ta_digest_session *s,
			       uint32_t param_types,
			       struct ta_param params[TEEQ_NUM_PARAMS])
{
	s->multi.active = 0;
	if (ta_params_are(param_types, TEEQ_PARAM_VALUE_INPUT, TEEQ_PARAM_NONE,
			  TEEQ_PARAM_NONE, TEEQ_PARAM_NONE) &&
	    params[0].value.a == TEEQ_DIGEST_ALG_SHA256)
		return ta_digest_start(&s->multi, TEEQ_DIGEST_ALG_SHA256, NULL);
	if (ta_params_are(param_types, TEEQ_PARAM_VALUE_INPUT,
			  TEEQ_PARAM_MEMREF_INPUT, TEEQ_PARAM_NONE,
			  TEEQ_PARAM_NONE) &&
	    params[0].value.a == TEEQ_DIGEST_ALG_HMAC_SHA256 &&
	    ta_digest_key_ok(&params[1]))
		return ta_digest_start(&s->multi, TEEQ_DIGEST_ALG_HMAC_SHA256,
				       &params[1]);
	return TEEQ_ERROR_BAD_PARAMETERS;
}

static uint32_t ta_digest_multi_update(struct ta_digest_session *s,
				       uint32_t param_types,
				       struct ta_param params[TEEQ_NUM_PARAMS])
{
	if (!ta_params_are(param_types, TEEQ_PARAM_MEMREF_INPUT,
			   TEEQ_PARAM_NONE, TEEQ_PARAM_NONE, TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!s->multi.active)
		return TEEQ_ERROR_BAD_STATE;
	if (!ta_digest_data_ok(&params[0]))
		return TEEQ_ERROR_BAD_PARAMETERS;
	return ta_digest_update(&s->multi, &params[0]);
}

/* A short output buffer keeps the operation, so the client may retry. */
static uint32_t ta_digest_final(struct ta_digest_session *s,
				uint32_t param_types,
				struct ta_param params[TEEQ_NUM_PARAMS])
{
	if (!ta_params_are(param_types, TEEQ_PARAM_MEMREF_OUTPUT,
			   TEEQ_PARAM_NONE, TEEQ_PARAM_NONE, TEEQ_PARAM_NONE))
		return TEEQ_ERROR_BAD_PARAMETERS;
	if (!s->multi.active)
		return TEEQ_ERROR_BAD_STATE;
	if (!ta_digest_out_room(&params[0]))
		return TEEQ_ERROR_SHORT_BUFFER;
	return ta_digest_finish(&s->multi, &params[0]);
}

static uint32_t ta_digest_invoke(void *session, struct ta_call *call,
				 uint32_t cmd, uint32_t param_types,
				 struct ta_param params[TEEQ_NUM_PARAMS])
{
	(void)call;

	switch (cmd) {
	case TEEQ_DIGEST_CMD_SHA256:
		return ta_digest_sha256(session, param_types, params);
	case TEEQ_DIGEST_CMD_HMAC:
		return ta_digest_hmac(session, param_types, params);
	case TEEQ_DIGEST_CMD_INIT:
		return ta_digest_init(session, param_types, params);
	case TEEQ_DIGEST_CMD_UPDATE:
		return ta_digest_multi_update(session, param_types, params);
	case TEEQ_DIGEST_CMD_FINAL:
		return ta_digest_final(session, param_types, params);
	default:
		return TEEQ_ERROR_NOT_SUPPORTED;
	}
}

static void ta_digest_op_free(struct ta_digest_op *op)
{
	EVP_MD_CTX_free(op->md);
	EVP_MAC_CTX_free(op->mac);
	memset(op, 0, sizeof(*op));
}

static void ta_digest_close_session(void *session)
{
	struct ta_digest_session *s = session;

	ta_digest_op_free(&s->once);
	ta_digest_op_free(&s->multi);
}

static const struct teeq_ta ta_digest = {
	.name = "digest",
	.uuid = TEEQ_TA_DIGEST_UUID,
	.session_size = sizeof(struct ta_digest_session),
	.close_session = ta_digest_close_session,
	.invoke = ta_digest_invoke,
};
TEEQ_TA_REGISTER(ta_digest);
