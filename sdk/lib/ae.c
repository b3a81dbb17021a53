// SPDX-License-Identifier: MIT
/*
 * Authenticated encryption: AES-GCM streams through OpenSSL; AES-CCM is
 * collected (its AAD and payload lengths are declared at init, so the
 * buffers are bounded) and run in one go at the final call, since OpenSSL
 * takes CCM's AAD and payload in a single call each. TEE_AEUpdate on CCM
 * therefore outputs nothing; the final call outputs everything, which GP
 * allows (the split of output between calls is the implementation's).
 */
#include "crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include <stdlib.h>
#include <string.h>

static bool ta_ae_ccm(const struct ta_op *op)
{
	return op->info.algorithm == TEE_ALG_AES_CCM;
}

static struct ta_op *ta_ae_ready(TEE_OperationHandle operation,
				 const char *func)
{
	struct ta_op *op = ta_op_check(operation, TEE_OPERATION_AE, func);

	if (!(op->info.handleState & TEE_HANDLE_FLAG_INITIALIZED))
		ta_rt_panic(TEE_ERROR_BAD_STATE, func,
			    "TEE_AEInit has not been called");
	return op;
}

/* Sets up op->cipher for a GCM stream or a CCM one-shot; @tag is the
 * expected tag when decrypting CCM. */
static bool ta_ae_start(struct ta_op *op, const uint8_t *tag)
{
	int enc = op->info.mode == TEE_MODE_ENCRYPT;
	EVP_CIPHER *cipher = ta_op_fetch_cipher(op->alg->name, op->key_len);
	size_t ivlen = op->nonce_len;
	OSSL_PARAM params[3], *p = params;
	bool ok;

	*p++ = OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN,
					   &ivlen);
	if (ta_ae_ccm(op))
		*p++ = OSSL_PARAM_construct_octet_string(
			OSSL_CIPHER_PARAM_AEAD_TAG, enc ? NULL : (void *)tag,
			op->tag_len);
	*p = OSSL_PARAM_construct_end();
	ok = cipher &&
	     EVP_CipherInit_ex2(op->cipher, cipher, NULL, NULL, enc, params) &&
	     EVP_CipherInit_ex2(op->cipher, NULL, op->key, op->nonce, enc,
				NULL);
	EVP_CIPHER_free(cipher);
	return ok;
}

TEE_Result TEE_AEInit(TEE_OperationHandle operation, const void *nonce,
		      size_t nonceLen, uint32_t tagLen, size_t AADLen,
		      size_t payloadLen)
{
	struct ta_op *op = ta_op_check(operation, TEE_OPERATION_AE, __func__);

	TA_PANIC_IF(!(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET),
		    "the key is not set");
	TA_PANIC_IF(op->state != TEE_OPERATION_STATE_INITIAL,
		    "the operation is active");
	TA_CHECK_BUF(nonce, nonceLen);
	if (ta_ae_ccm(op)) {
		if (tagLen < 32 || tagLen > 128 || tagLen % 16)
			return TEE_ERROR_NOT_SUPPORTED;
		if (nonceLen < 7 || nonceLen > 13)
			return TEE_ERROR_BAD_PARAMETERS;
	} else {
		if (tagLen < 96 || tagLen > 128 || tagLen % 8)
			return TEE_ERROR_NOT_SUPPORTED;
		if (!nonceLen || nonceLen > sizeof(op->nonce))
			return TEE_ERROR_NOT_SUPPORTED;
	}
	op->tag_len = tagLen / 8;
	op->info.digestLength = tagLen / 8;
	memcpy(op->nonce, nonce, nonceLen);
	op->nonce_len = nonceLen;
	op->aad_done = op->payload_done = 0;
	op->payload_started = false;
	if (ta_ae_ccm(op)) {
		op->aad_len = AADLen;
		op->payload_len = payloadLen;
		op->ccm_aad = malloc(AADLen ? AADLen : 1);
		op->ccm_data = malloc(payloadLen ? payloadLen : 1);
		if (!op->ccm_aad || !op->ccm_data) {
			ta_op_restart(op);
			return TEE_ERROR_OUT_OF_MEMORY;
		}
	} else if (!ta_ae_start(op, NULL)) {
		TA_PANIC("OpenSSL AES-GCM set-up failed");
	}
	op->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
	op->state = TEE_OPERATION_STATE_ACTIVE;
	return TEE_SUCCESS;
}

void TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata,
		     size_t AADdataLen)
{
	struct ta_op *op = ta_ae_ready(operation, __func__);
	int out;

	TA_CHECK_BUF(AADdata, AADdataLen);
	TA_PANIC_IF(op->payload_started, "AAD after the payload started");
	if (ta_ae_ccm(op)) {
		TA_PANIC_IF(AADdataLen > op->aad_len - op->aad_done,
			    "more AAD than declared at TEE_AEInit");
		memcpy(op->ccm_aad + op->aad_done, AADdata, AADdataLen);
	} else if (AADdataLen && !EVP_CipherUpdate(op->cipher, NULL, &out,
						   AADdata, (int)AADdataLen)) {
		TA_PANIC("OpenSSL AES-GCM failed");
	}
	op->aad_done += AADdataLen;
}

/* GCM: the payload through the stream, @len bytes out. */
static void ta_ae_gcm(struct ta_op *op, const uint8_t *src, size_t len,
		      uint8_t *dst)
{
	int out;

	if (len && (!EVP_CipherUpdate(op->cipher, dst, &out, src, (int)len) ||
		    (size_t)out != len))
		TA_PANIC("OpenSSL AES-GCM failed");
}

TEE_Result TEE_AEUpdate(TEE_OperationHandle operation, const void *srcData,
			size_t srcLen, void *destData, size_t *destLen)
{
	struct ta_op *op = ta_ae_ready(operation, __func__);
	size_t out = ta_ae_ccm(op) ? 0 : srcLen;
	TEE_Result res;

	TA_CHECK_BUF(srcData, srcLen);
	if (ta_ae_ccm(op) && srcLen > op->payload_len - op->payload_done)
		return TEE_ERROR_BAD_PARAMETERS;
	res = ta_op_room(out, destData, destLen, __func__);
	if (res)
		return res;
	op->payload_started = true;
	if (ta_ae_ccm(op))
		memcpy(op->ccm_data + op->payload_done, srcData, srcLen);
	else
		ta_ae_gcm(op, srcData, srcLen, destData);
	op->payload_done += srcLen;
	*destLen = out;
	return TEE_SUCCESS;
}

/* CCM: everything in one go into @dst; false when the tag does not
 * verify (decryption). */
static bool ta_ae_ccm_run(struct ta_op *op, const uint8_t *tag, uint8_t *dst)
{
	int out;

	if (!ta_ae_start(op, tag) ||
	    !EVP_CipherUpdate(op->cipher, NULL, &out, NULL,
			      (int)op->payload_len) ||
	    (op->aad_len && !EVP_CipherUpdate(op->cipher, NULL, &out,
					      op->ccm_aad, (int)op->aad_len)))
		TA_PANIC("OpenSSL AES-CCM failed");
	return EVP_CipherUpdate(op->cipher, dst, &out, op->ccm_data,
				(int)op->payload_len) == 1;
}

/* The checks both finals share; *out is the payload output size. */
static TEE_Result ta_ae_final_prep(struct ta_op *op, const void *src,
				   size_t len, size_t *out)
{
	TA_CHECK_BUF(src, len);
	if (!ta_ae_ccm(op)) {
		*out = len;
		return TEE_SUCCESS;
	}
	if (len > op->payload_len - op->payload_done ||
	    op->payload_done + len != op->payload_len ||
	    op->aad_done != op->aad_len)
		return TEE_ERROR_BAD_PARAMETERS;
	*out = op->payload_len;
	return TEE_SUCCESS;
}

TEE_Result TEE_AEEncryptFinal(TEE_OperationHandle operation,
			      const void *srcData, size_t srcLen,
			      void *destData, size_t *destLen, void *tag,
			      size_t *tagLen)
{
	struct ta_op *op = ta_ae_ready(operation, __func__);
	OSSL_PARAM params[2];
	size_t out;
	TEE_Result res;
	int len;

	TA_PANIC_IF(op->info.mode != TEE_MODE_ENCRYPT, "a decrypt operation");
	TA_PANIC_IF(!destLen || !tagLen, "an output length is NULL");
	res = ta_ae_final_prep(op, srcData, srcLen, &out);
	if (res)
		return res;
	if (*destLen < out || *tagLen < op->tag_len) {
		*destLen = out;
		*tagLen = op->tag_len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TA_CHECK_BUF(destData, out);
	TA_CHECK_BUF(tag, op->tag_len);
	if (ta_ae_ccm(op)) {
		memcpy(op->ccm_data + op->payload_done, srcData, srcLen);
		if (!ta_ae_ccm_run(op, NULL, destData))
			TA_PANIC("OpenSSL AES-CCM failed");
	} else {
		ta_ae_gcm(op, srcData, srcLen, destData);
	}
	params[0] = OSSL_PARAM_construct_octet_string(
		OSSL_CIPHER_PARAM_AEAD_TAG, tag, op->tag_len);
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_CipherFinal_ex(op->cipher, NULL, &len) ||
	    !EVP_CIPHER_CTX_get_params(op->cipher, params))
		TA_PANIC("OpenSSL AE tag failed");
	*destLen = out;
	*tagLen = op->tag_len;
	ta_op_restart(op);
	return TEE_SUCCESS;
}

TEE_Result TEE_AEDecryptFinal(TEE_OperationHandle operation,
			      const void *srcData, size_t srcLen,
			      void *destData, size_t *destLen, void *tag,
			      size_t tagLen)
{
	struct ta_op *op = ta_ae_ready(operation, __func__);
	OSSL_PARAM params[2];
	size_t out;
	TEE_Result res;
	bool ok;
	int len;

	TA_PANIC_IF(op->info.mode != TEE_MODE_DECRYPT, "an encrypt operation");
	TA_CHECK_BUF(tag, tagLen);
	res = ta_ae_final_prep(op, srcData, srcLen, &out);
	if (res)
		return res;
	res = ta_op_room(out, destData, destLen, __func__);
	if (res)
		return res;
	if (tagLen != op->tag_len) {
		ta_op_restart(op);
		return TEE_ERROR_MAC_INVALID;
	}
	if (ta_ae_ccm(op)) {
		memcpy(op->ccm_data + op->payload_done, srcData, srcLen);
		ok = ta_ae_ccm_run(op, tag, destData);
	} else {
		ta_ae_gcm(op, srcData, srcLen, destData);
		params[0] = OSSL_PARAM_construct_octet_string(
			OSSL_CIPHER_PARAM_AEAD_TAG, tag, tagLen);
		params[1] = OSSL_PARAM_construct_end();
		ok = EVP_CIPHER_CTX_set_params(op->cipher, params) &&
		     EVP_CipherFinal_ex(op->cipher, NULL, &len) == 1;
	}
	ta_op_restart(op);
	if (!ok) {
		/* nothing unauthenticated from this call stays behind */
		if (out)
			OPENSSL_cleanse(destData, out);
		return TEE_ERROR_MAC_INVALID;
	}
	*destLen = out;
	return TEE_SUCCESS;
}
