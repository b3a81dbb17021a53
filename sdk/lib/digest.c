// SPDX-License-Identifier: MIT
/* Message digests: SHA-1, SHA-224, SHA-256, SHA-384, SHA-512. */
#include "crypto.h"

static void ta_digest_feed(struct ta_op *op, const void *chunk, size_t len,
			   const char *func)
{
	if (!chunk && len)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func, "chunk is NULL");
	if (len && !EVP_DigestUpdate(op->md, chunk, len))
		ta_rt_panic(TEE_ERROR_GENERIC, func, "OpenSSL digest failed");
}

void TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk,
		      size_t chunkSize)
{
	struct ta_op *op =
		ta_op_check(operation, TEE_OPERATION_DIGEST, __func__);

	ta_digest_feed(op, chunk, chunkSize, __func__);
	op->state = TEE_OPERATION_STATE_ACTIVE;
}

TEE_Result TEE_DigestDoFinal(TEE_OperationHandle operation, const void *chunk,
			     size_t chunkLen, void *hash, size_t *hashLen)
{
	struct ta_op *op =
		ta_op_check(operation, TEE_OPERATION_DIGEST, __func__);
	TEE_Result res;
	unsigned int len;

	/* a short buffer leaves the operation as it was, chunk unfed */
	res = ta_op_room(op->info.digestLength, hash, hashLen, __func__);
	if (res)
		return res;
	ta_digest_feed(op, chunk, chunkLen, __func__);
	if (!EVP_DigestFinal_ex(op->md, hash, &len))
		TA_PANIC("OpenSSL digest failed");
	*hashLen = len;
	ta_op_restart(op);
	return TEE_SUCCESS;
}
