// SPDX-License-Identifier: MIT
/* The benchmarks' loaded noop TA: what a call costs, and nothing else. */
#include <tee_internal_api.h>

#include <bench_noop_ta.h>

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
	(void)param_types;
	(void)params;
	*sess_ctx = NULL;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	(void)sess_ctx;
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id,
				      uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	(void)sess_ctx;
	(void)param_types;
	(void)params;
	return cmd_id == BENCH_NOOP_CMD_NOOP ? TEE_SUCCESS :
					       TEE_ERROR_NOT_SUPPORTED;
}
