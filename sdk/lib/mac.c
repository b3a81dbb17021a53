// SPDX-License-Identifier: MIT
/* MACs: HMAC with SHA-1/224/256/384/512 and AES-CMAC. */
#include "crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>

#include <stdio.h>
#include <string.h>

static struct ta_op *ta_mac_ready(TEE_OperationHandle operation,
				  const char *func)
{
	struct ta_op *op = ta_op_check(operation, TEE_OPERATION_MAC, func);

	if (!(op->info.handleState & TEE_HANDLE_FLAG_INITIALIZED))
		ta_rt_panic(TEE_ERROR_BAD_STATE, func,
			    "TEE_MACInit has not been called");
	return op;
}

void TEE_MACInit(TEE_OperationHandle operation, const void *IV, size_t IVLen)
{
	struct ta_op *op = ta_op_check(operation, TEE_OPERATION_MAC, __func__);
	OSSL_PARAM params[2];
	char cipher[32];

	(void)IV; /* HMAC and CMAC take no IV */
	(void)IVLen;
	TA_PANIC_IF(!(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET),
		    "the key is not set");
	if (op->alg->hash)
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_DIGEST,
			(char *)ta_hash_name(op->alg->hash), 0);
	else {
		snprintf(cipher, sizeof(cipher), "AES-%zu-CBC",
			 op->key_len * 8);
		params[0] = OSSL_PARAM_construct_utf8_string(
			OSSL_MAC_PARAM_CIPHER, cipher, 0);
	}
	params[1] = OSSL_PARAM_construct_end();
	if (!EVP_MAC_init(op->mac, op->key, op->key_len, params))
		TA_PANIC("OpenSSL MAC set-up failed");
	op->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
	op->state = TEE_OPERATION_STATE_ACTIVE;
}

static void ta_mac_feed(struct ta_op *op, const void *chunk, size_t len,
			const char *func)
{
	if (!chunk && len)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func, "input is NULL");
	if (len && !EVP_MAC_update(op->mac, chunk, len))
		ta_rt_panic(TEE_ERROR_GENERIC, func, "OpenSSL MAC failed");
}

void TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk,
		   size_t chunkSize)
{
	ta_mac_feed(ta_mac_ready(operation, __func__), chunk, chunkSize,
		    __func__);
}

static void ta_mac_final(struct ta_op *op, uint8_t *out, const char *func)
{
	size_t len;

	if (!EVP_MAC_final(op->mac, out, &len, op->info.digestLength))
		ta_rt_panic(TEE_ERROR_GENERIC, func, "OpenSSL MAC failed");
	ta_op_restart(op);
}

TEE_Result TEE_MACComputeFinal(TEE_OperationHandle operation,
			       const void *message, size_t messageLen,
			       void *mac, size_t *macLen)
{
	struct ta_op *op = ta_mac_ready(operation, __func__);
	TEE_Result res;

	res = ta_op_room(op->info.digestLength, mac, macLen, __func__);
	if (res)
		return res;
	ta_mac_feed(op, message, messageLen, __func__);
	ta_mac_final(op, mac, __func__);
	*macLen = op->info.digestLength;
	return TEE_SUCCESS;
}

TEE_Result TEE_MACCompareFinal(TEE_OperationHandle operation,
			       const void *message, size_t messageLen,
			       const void *mac, size_t macLen)
{
	struct ta_op *op = ta_mac_ready(operation, __func__);
	uint8_t computed[EVP_MAX_MD_SIZE];
	bool same;

	TA_CHECK_BUF(mac, macLen);
	ta_mac_feed(op, message, messageLen, __func__);
	ta_mac_final(op, computed, __func__);
	same = macLen == op->info.digestLength &&
	       !ta_mem_diff(computed, mac, macLen);
	OPENSSL_cleanse(computed, sizeof(computed));
	return same ? TEE_SUCCESS : TEE_ERROR_MAC_INVALID;
}
