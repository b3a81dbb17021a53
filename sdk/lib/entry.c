// SPDX-License-Identifier: MIT
/*
 * The TA's entry table (ta_abi.h): sessions, the call in progress, and the
 * parameters converted for a TA compiled for the v1.1 API.
 *
 * A TA defines either the v1.3 entry points or, through tee_api_compat.h,
 * the __GP11_ ones; the references below are weak so that the one it does
 * not define is NULL. Its head says which level it was compiled for, and
 * bind() refuses a TA whose head and entry points disagree.
 */
#include "internal.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* declared in tee_ta_api.h; a TA defines one pair or the other */
#pragma weak TA_OpenSessionEntryPoint
#pragma weak TA_InvokeCommandEntryPoint
#pragma weak __GP11_TA_OpenSessionEntryPoint
#pragma weak __GP11_TA_InvokeCommandEntryPoint

static bool ta_entry_gp11(void)
{
	return teeq_ta_head.api_level == TEEQ_TA_API_1_1;
}

static int ta_entry_bind(const struct teeq_ta_runtime *rt, void *host)
{
	bool gp11 = ta_entry_gp11();

	if (teeq_ta_head.api_level != TEEQ_TA_API_1_1 &&
	    teeq_ta_head.api_level != TEEQ_TA_API_1_3)
		return -EPROTO;
	if (gp11 ? !__GP11_TA_OpenSessionEntryPoint ||
			    !__GP11_TA_InvokeCommandEntryPoint :
		   !TA_OpenSessionEntryPoint || !TA_InvokeCommandEntryPoint)
		return -EPROTO;
	ta_rt.ops = rt;
	ta_rt.host = host;
	return 0;
}

static TEE_Result ta_entry_create(void)
{
	memset(&ta_rt.call, 0, sizeof(ta_rt.call));
	return TA_CreateEntryPoint();
}

static void ta_entry_destroy(void)
{
	memset(&ta_rt.call, 0, sizeof(ta_rt.call));
	TA_DestroyEntryPoint();
}

static void ta_entry_begin(struct ta_session *s, uint32_t types,
			   const TEE_Param *params)
{
	ta_rt.call.session = s;
	ta_rt.call.param_types = types;
	ta_rt.call.params = params;
}

static void ta_entry_end(void)
{
	memset(&ta_rt.call, 0, sizeof(ta_rt.call));
}

static bool ta_entry_is_memref(uint32_t type)
{
	return type >= TEE_PARAM_TYPE_MEMREF_INPUT &&
	       type <= TEE_PARAM_TYPE_MEMREF_INOUT;
}

/* v1.3 -> v1.1: false when a memref does not fit a uint32_t length. */
static bool ta_entry_to_gp11(uint32_t types, const TEE_Param *in,
			     __GP11_TEE_Param *out)
{
	unsigned int i;

	memset(out, 0, sizeof(*out) * TEE_NUM_PARAMS);
	for (i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t type = TEE_PARAM_TYPE_GET(types, i);

		if (ta_entry_is_memref(type)) {
			if (in[i].memref.size > UINT32_MAX)
				return false;
			out[i].memref.buffer = in[i].memref.buffer;
			out[i].memref.size = (uint32_t)in[i].memref.size;
		} else if (type != TEE_PARAM_TYPE_NONE) {
			out[i].value.a = in[i].value.a;
			out[i].value.b = in[i].value.b;
		}
	}
	return true;
}

/* v1.1 -> v1.3, the outputs only: what the TA wrote back. */
static void ta_entry_from_gp11(uint32_t types, const __GP11_TEE_Param *in,
			       TEE_Param *out)
{
	unsigned int i;

	for (i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t type = TEE_PARAM_TYPE_GET(types, i);

		if (type == TEE_PARAM_TYPE_VALUE_OUTPUT ||
		    type == TEE_PARAM_TYPE_VALUE_INOUT) {
			out[i].value.a = in[i].value.a;
			out[i].value.b = in[i].value.b;
		} else if (type == TEE_PARAM_TYPE_MEMREF_OUTPUT ||
			   type == TEE_PARAM_TYPE_MEMREF_INOUT)
			out[i].memref.size = in[i].memref.size;
	}
}

static TEE_Result ta_entry_open(const TEE_Identity *client, uint32_t types,
				TEE_Param params[TEE_NUM_PARAMS],
				void **session, uint32_t *origin)
{
	struct ta_session *s = calloc(1, sizeof(*s));
	__GP11_TEE_Param gp11[TEE_NUM_PARAMS];
	TEE_Result res;

	*origin = TEE_ORIGIN_TEE;
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	s->client = *client;
	s->cancel_masked = true;
	if (ta_entry_gp11() && !ta_entry_to_gp11(types, params, gp11)) {
		free(s);
		return TEE_ERROR_BAD_PARAMETERS;
	}
	ta_entry_begin(s, types, params);
	*origin = TEE_ORIGIN_TRUSTED_APP;
	if (ta_entry_gp11()) {
		res = __GP11_TA_OpenSessionEntryPoint(types, gp11, &s->ta_ctx);
		ta_entry_from_gp11(types, gp11, params);
	} else {
		res = TA_OpenSessionEntryPoint(types, params, &s->ta_ctx);
	}
	ta_entry_end();
	if (res != TEE_SUCCESS) {
		free(s);
		return res;
	}
	*session = s;
	return TEE_SUCCESS;
}

static TEE_Result ta_entry_invoke(void *session, uint32_t command,
				  uint32_t types,
				  TEE_Param params[TEE_NUM_PARAMS],
				  uint32_t *origin)
{
	struct ta_session *s = session;
	__GP11_TEE_Param gp11[TEE_NUM_PARAMS];
	TEE_Result res;

	*origin = TEE_ORIGIN_TEE;
	if (ta_entry_gp11() && !ta_entry_to_gp11(types, params, gp11))
		return TEE_ERROR_BAD_PARAMETERS;
	ta_entry_begin(s, types, params);
	*origin = TEE_ORIGIN_TRUSTED_APP;
	if (ta_entry_gp11()) {
		res = __GP11_TA_InvokeCommandEntryPoint(s->ta_ctx, command,
							types, gp11);
		ta_entry_from_gp11(types, gp11, params);
	} else {
		res = TA_InvokeCommandEntryPoint(s->ta_ctx, command, types,
						 params);
	}
	ta_entry_end();
	return res;
}

static void ta_entry_close(void *session)
{
	struct ta_session *s = session;

	ta_entry_begin(s, 0, NULL);
	TA_CloseSessionEntryPoint(s->ta_ctx);
	ta_entry_end();
	free(s);
}

const struct teeq_ta_entry teeq_ta_entry
	__attribute__((visibility("default"))) = {
		.magic = TEEQ_TA_ENTRY_MAGIC,
		.version = TEEQ_TA_ENTRY_VERSION,
		.head = &teeq_ta_head,
		.bind = ta_entry_bind,
		.create = ta_entry_create,
		.destroy = ta_entry_destroy,
		.open_session = ta_entry_open,
		.invoke = ta_entry_invoke,
		.close_session = ta_entry_close,
	};
