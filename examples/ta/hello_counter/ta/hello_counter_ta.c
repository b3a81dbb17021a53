// SPDX-License-Identifier: MIT
/*
 * hello_counter: the hello-world trusted app, written against the
 * GlobalPlatform TEE Internal Core API only. It adds or takes one from a
 * value, and counts its calls per session and per instance.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <hello_counter_ta.h>

struct hello_session {
	uint32_t calls;
};

/* every session's calls: the instance lives as long as teeq-sw does */
static uint32_t hello_instance_calls;

TEE_Result TA_CreateEntryPoint(void)
{
	DMSG("instance created");
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
	DMSG("instance destroyed");
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t param_types,
				    TEE_Param params[TEE_NUM_PARAMS],
				    void **sess_ctx)
{
	struct hello_session *s;

	(void)params;
	if (param_types !=
	    TEE_PARAM_TYPES(TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
			    TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	*sess_ctx = s;
	IMSG("hello, normal world");
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	TEE_Free(sess_ctx);
	IMSG("goodbye");
}

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd_id,
				      uint32_t param_types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	struct hello_session *s = sess_ctx;

	if (param_types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT,
					   TEE_PARAM_TYPE_VALUE_OUTPUT,
					   TEE_PARAM_TYPE_NONE,
					   TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	switch (cmd_id) {
	case HELLO_COUNTER_CMD_INC:
		params[0].value.a++;
		break;
	case HELLO_COUNTER_CMD_DEC:
		params[0].value.a--;
		break;
	default:
		return TEE_ERROR_NOT_SUPPORTED;
	}
	params[1].value.a = ++s->calls;
	params[1].value.b = ++hello_instance_calls;
	DMSG("value is now %u", params[0].value.a);
	return TEE_SUCCESS;
}
