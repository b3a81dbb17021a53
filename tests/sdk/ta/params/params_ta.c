// SPDX-License-Identifier: MIT
/*
 * A TA written against the GP Internal Core API only, compiled unchanged
 * at v1.3 and at v1.1: every length it passes has the type of its
 * TEE_Param's memref size, which the API level decides.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <params_ta.h>

#include <string.h>

typedef __typeof__(((TEE_Param *)0)->memref.size) params_len_t;

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
	if (param_types !=
	    TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
			    TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	*sess_ctx = NULL;
	IMSG("session opened");
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}

static TEE_Result params_reverse(TEE_Param params[TEE_NUM_PARAMS])
{
	const uint8_t *in = params[0].memref.buffer;
	uint8_t *out = params[1].memref.buffer;
	params_len_t i, n = params[0].memref.size;

	params[2].value.a = sizeof(params[0].memref.size);
	if (params[1].memref.size < n) {
		params[1].memref.size = n;
		return TEE_ERROR_SHORT_BUFFER;
	}
	for (i = 0; i < n; i++)
		out[i] = in[n - 1 - i];
	params[1].memref.size = n;
	return TEE_SUCCESS;
}

static TEE_Result params_sha256(TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	params_len_t len = params[1].memref.size;
	TEE_Result res;

	res = TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0);
	if (res)
		return res;
	res = TEE_DigestDoFinal(op, params[0].memref.buffer,
				params[0].memref.size, params[1].memref.buffer,
				&len);
	params[1].memref.size = len;
	TEE_FreeOperation(op);
	return res;
}

static TEE_Result params_props(TEE_Param params[TEE_NUM_PARAMS])
{
	params_len_t len = params[0].memref.size;
	TEE_Identity id;
	TEE_Result res;

	res = TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA,
				      "gpd.ta.description",
				      params[0].memref.buffer, &len);
	params[0].memref.size = len;
	if (res)
		return res;
	res = TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT,
					"gpd.client.identity", &id);
	if (res)
		return res;
	params[1].value.a = id.login;
	return TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA,
				    "org.teeq.test.number", &params[1].value.b);
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id,
				      uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sess_ctx;
	switch (cmd_id) {
	case PARAMS_CMD_VALUES:
		params[0].value.a += 1;
		params[0].value.b += 2;
		params[1].value.a = PARAMS_TA_MAGIC;
		params[1].value.b = param_types;
		return TEE_SUCCESS;
	case PARAMS_CMD_REVERSE:
		return params_reverse(params);
	case PARAMS_CMD_SHA256:
		return params_sha256(params);
	case PARAMS_CMD_PANIC:
		TEE_Panic(0xbad);
	case PARAMS_CMD_PROPS:
		return params_props(params);
	default:
		EMSG("unknown command %u", (unsigned int)cmd_id);
		return TEE_ERROR_NOT_SUPPORTED;
	}
}
