// SPDX-License-Identifier: MIT
/*
 * keystore: AES keys made inside a trusted app and kept there, in its
 * persistent objects, written against the GlobalPlatform TEE Internal
 * Core API only. A key is generated into a transient object, stored as
 * a persistent object carrying its attributes (not extractable), and
 * opened again by name for every use: the client names keys and gets
 * its data enciphered, and never sees a key.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <keystore_ta.h>

#define KS_BLOCK 16

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
	(void)params;
	(void)sess_ctx;
	if (param_types !=
	    TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
			    TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}

static bool ks_name_ok(const TEE_Param *p)
{
	return p->memref.size && p->memref.size <= TEE_OBJECT_ID_MAX_LEN;
}

static TEE_Result ks_generate(uint32_t types, TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	uint32_t bits = params[1].value.a;
	TEE_Result res;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_VALUE_INPUT,
				     TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE) ||
	    !ks_name_ok(&params[0]) || (bits != 128 && bits != 256))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_AllocateTransientObject(TEE_TYPE_AES, bits, &key);
	if (res)
		return res;
	res = TEE_GenerateKey(key, bits, NULL, 0);
	/* the key's attributes go with the object; no flag to overwrite:
	 * a name already taken stays as it is */
	if (!res)
		res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE,
						 params[0].memref.buffer,
						 params[0].memref.size,
						 TEE_DATA_FLAG_ACCESS_READ, key,
						 NULL, 0, NULL);
	TEE_FreeTransientObject(key);
	return res;
}

static TEE_Result ks_cipher(uint32_t types, TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_ObjectHandle key = TEE_HANDLE_NULL;
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	size_t out_len = params[3].memref.size;
	TEE_Result res;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_OUTPUT) ||
	    !ks_name_ok(&params[0]) || params[1].memref.size != KS_BLOCK)
		return TEE_ERROR_BAD_PARAMETERS;
	if (out_len < params[2].memref.size) {
		params[3].memref.size = params[2].memref.size;
		return TEE_ERROR_SHORT_BUFFER;
	}
	res = TEE_OpenPersistentObject(
		TEE_STORAGE_PRIVATE, params[0].memref.buffer,
		params[0].memref.size,
		TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ, &key);
	if (res)
		return res;
	res = TEE_GetObjectInfo1(key, &info);
	if (!res)
		res = TEE_AllocateOperation(&op, TEE_ALG_AES_CTR,
					    TEE_MODE_ENCRYPT, info.objectSize);
	if (!res)
		res = TEE_SetOperationKey(op, key);
	if (!res) {
		TEE_CipherInit(op, params[1].memref.buffer, KS_BLOCK);
		res = TEE_CipherDoFinal(op, params[2].memref.buffer,
					params[2].memref.size,
					params[3].memref.buffer, &out_len);
		params[3].memref.size = out_len;
	}
	if (op != TEE_HANDLE_NULL)
		TEE_FreeOperation(op);
	TEE_CloseObject(key);
	return res;
}

static TEE_Result ks_delete(uint32_t types, TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_ObjectHandle key;
	TEE_Result res;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE) ||
	    !ks_name_ok(&params[0]))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE,
				       params[0].memref.buffer,
				       params[0].memref.size,
				       TEE_DATA_FLAG_ACCESS_WRITE_META, &key);
	if (res)
		return res;
	return TEE_CloseAndDeletePersistentObject1(key);
}

static TEE_Result ks_count(uint32_t types, TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_ObjectEnumHandle e;
	uint8_t id[TEE_OBJECT_ID_MAX_LEN];
	size_t len;
	TEE_Result res;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	params[0].value.a = 0;
	res = TEE_AllocatePersistentObjectEnumerator(&e);
	if (res)
		return res;
	res = TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE);
	while (!res) {
		res = TEE_GetNextPersistentObject(e, NULL, id, &len);
		if (!res)
			params[0].value.a++;
	}
	TEE_FreePersistentObjectEnumerator(e);
	/* no keys, or the end of them */
	return res == TEE_ERROR_ITEM_NOT_FOUND ? TEE_SUCCESS : res;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id,
				      uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sess_ctx;
	switch (cmd_id) {
	case KEYSTORE_CMD_GENERATE:
		return ks_generate(param_types, params);
	case KEYSTORE_CMD_CIPHER:
		return ks_cipher(param_types, params);
	case KEYSTORE_CMD_DELETE:
		return ks_delete(param_types, params);
	case KEYSTORE_CMD_COUNT:
		return ks_count(param_types, params);
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
