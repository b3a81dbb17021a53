// SPDX-License-Identifier: MIT
/*
 * aes: AES-CTR in a trusted app, written against the GlobalPlatform TEE
 * Internal Core API only. The key goes into a transient object once per
 * session; every cipher call restarts the operation with its own counter
 * block.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <aes_ta.h>

#define AES_BLOCK 16

struct aes_session {
	TEE_OperationHandle op; /* TEE_HANDLE_NULL until a key is set */
};

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types,
				    TEE_Param params[TEE_NUM_PARAMS],
				    void **sess_ctx)
{
	struct aes_session *s;

	(void)params;
	if (param_types !=
	    TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
			    TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	s->op = TEE_HANDLE_NULL;
	*sess_ctx = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	struct aes_session *s = sess_ctx;

	if (s->op != TEE_HANDLE_NULL)
		TEE_FreeOperation(s->op);
	TEE_Free(s);
}

static TEE_Result aes_set_key(struct aes_session *s, uint32_t param_types,
			      TEE_Param params[TEE_NUM_PARAMS])
{
	uint32_t bits = (uint32_t)params[0].memref.size * 8;
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_Attribute attr;
	TEE_Result res;

	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
					   TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE) ||
	    (bits != 128 && bits != 192 && bits != 256))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocateTransientObject(TEE_TYPE_AES, bits, &key);
	if (res)
		return res;
	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE,
			     params[0].memref.buffer, params[0].memref.size);
	res = TEE_PopulateTransientObject(key, &attr, 1);
	if (!res)
		res = TEE_AllocateOperation(&op, TEE_ALG_AES_CTR,
					    TEE_MODE_ENCRYPT, bits);
	if (!res)
		res = TEE_SetOperationKey(op, key);
	/* the operation holds its own copy of the key */
	TEE_FreeTransientObject(key);
	if (res) {
		if (op != TEE_HANDLE_NULL)
			TEE_FreeOperation(op);
		return res;
	}
	if (s->op != TEE_HANDLE_NULL)
		TEE_FreeOperation(s->op);
	s->op = op;
	return TEE_SUCCESS;
}

static TEE_Result aes_ctr(struct aes_session *s, uint32_t param_types,
			  TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_Result res;
	size_t out_len = params[2].memref.size;

	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
					   TEE_PARAM_TYPE_MEMREF_INPUT,
					   TEE_PARAM_TYPE_MEMREF_OUTPUT,
					   TEE_PARAM_TYPE_NONE) ||
	    params[0].memref.size != AES_BLOCK)
		return TEE_ERROR_BAD_PARAMETERS;
	if (s->op == TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_STATE;
	if (out_len < params[1].memref.size) {
		params[2].memref.size = params[1].memref.size;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_CipherInit(s->op, params[0].memref.buffer, AES_BLOCK);
	res = TEE_CipherDoFinal(s->op, params[1].memref.buffer,
				params[1].memref.size, params[2].memref.buffer,
				&out_len);
	params[2].memref.size = out_len;
	return res;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id,
				      uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	switch (cmd_id) {
	case AES_CMD_SET_KEY:
		return aes_set_key(sess_ctx, param_types, params);
	case AES_CMD_CTR:
		return aes_ctr(sess_ctx, param_types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
