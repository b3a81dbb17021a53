// SPDX-License-Identifier: MIT
/*
 * The loaded-TA test TA: counts calls per instance and per session, says
 * which process runs it, echoes memrefs, and misbehaves on request
 * (panics, crashes, loops, waits) so that the tests can see what teeq-sw
 * does about it. Apart from getpid(), only the GP Internal Core API.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <proc_ta.h>

#include <string.h>
#include <unistd.h>

struct proc_session {
	uint32_t calls;
	TEE_ObjectHandle held; /* PROC_CMD_HOLD's */
};

static uint32_t proc_instance_calls;

TEE_Result TA_CreateEntryPoint(void)
{
	return TEE_SUCCESS;
}

void TA_DestroyEntryPoint(void)
{
}

TEE_Result TA_OpenSessionEntryPoint(uint32_t types,
				    TEE_Param params[TEE_NUM_PARAMS],
				    void **sess_ctx)
{
	struct proc_session *s;
	uint32_t how = PROC_OPEN_OK;

	if (types == TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE))
		how = params[0].value.a;
	else if (types)
		return TEE_ERROR_BAD_PARAMETERS;
	switch (how) {
	case PROC_OPEN_FAIL:
		return TEE_ERROR_ACCESS_DENIED;
	case PROC_OPEN_PANIC:
		TEE_Panic(0xdead);
		break;
	case PROC_OPEN_WAIT:
		TEE_UnmaskCancellation();
		return TEE_Wait(TEE_TIMEOUT_INFINITE);
	}
	s = TEE_Malloc(sizeof(*s), TEE_MALLOC_FILL_ZERO);
	if (!s)
		return TEE_ERROR_OUT_OF_MEMORY;
	*sess_ctx = s;
	return TEE_SUCCESS;
}

void TA_CloseSessionEntryPoint(void *sess_ctx)
{
	struct proc_session *s = sess_ctx;

	TEE_CloseObject(s->held);
	TEE_Free(s);
}

#define PROC_RW                                                   \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | \
	 TEE_DATA_FLAG_ACCESS_WRITE_META)

static TEE_Result proc_store(uint32_t types, TEE_Param params[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_CreatePersistentObject(
		TEE_STORAGE_PRIVATE, params[0].memref.buffer,
		params[0].memref.size, PROC_RW | TEE_DATA_FLAG_OVERWRITE,
		TEE_HANDLE_NULL, params[1].memref.buffer, params[1].memref.size,
		NULL);
}

static TEE_Result proc_load(uint32_t types, TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_ObjectHandle o;
	TEE_ObjectInfo info;
	TEE_Result res;
	size_t n = 0;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_MEMREF_OUTPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	res = TEE_OpenPersistentObject(
		TEE_STORAGE_PRIVATE, params[0].memref.buffer,
		params[0].memref.size,
		TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_SHARE_READ, &o);
	if (res)
		return res;
	res = TEE_GetObjectInfo1(o, &info);
	if (!res && params[1].memref.size < info.dataSize) {
		params[1].memref.size = info.dataSize;
		res = TEE_ERROR_SHORT_BUFFER;
	}
	if (!res)
		res = TEE_ReadObjectData(o, params[1].memref.buffer,
					 params[1].memref.size, &n);
	if (!res)
		params[1].memref.size = n;
	TEE_CloseObject(o);
	return res;
}

static TEE_Result proc_hold(struct proc_session *s, uint32_t types,
			    TEE_Param params[TEE_NUM_PARAMS])
{
	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE) ||
	    s->held != TEE_HANDLE_NULL)
		return TEE_ERROR_BAD_PARAMETERS;
	return TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE,
					params[0].memref.buffer,
					params[0].memref.size,
					TEE_DATA_FLAG_ACCESS_WRITE, &s->held);
}

static TEE_Result proc_echo(uint32_t types, TEE_Param params[TEE_NUM_PARAMS])
{
	uint32_t t2 = TEE_PARAM_TYPE_GET(types, 2);
	uint8_t *p;
	size_t i;

	if (TEE_PARAM_TYPE_GET(types, 0) != TEE_PARAM_TYPE_MEMREF_INPUT ||
	    TEE_PARAM_TYPE_GET(types, 1) != TEE_PARAM_TYPE_MEMREF_OUTPUT ||
	    (t2 != TEE_PARAM_TYPE_NONE && t2 != TEE_PARAM_TYPE_MEMREF_INOUT))
		return TEE_ERROR_BAD_PARAMETERS;
	if (t2 == TEE_PARAM_TYPE_MEMREF_INOUT)
		for (p = params[2].memref.buffer, i = 0;
		     i < params[2].memref.size; i++)
			p[i]++;
	if (params[1].memref.size < params[0].memref.size) {
		params[1].memref.size = params[0].memref.size;
		return TEE_ERROR_SHORT_BUFFER;
	}
	TEE_MemMove(params[1].memref.buffer, params[0].memref.buffer,
		    params[0].memref.size);
	params[1].memref.size = params[0].memref.size;
	return TEE_SUCCESS;
}

static TEE_Result proc_identity(TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_Identity who;
	TEE_Result res;
	uint8_t *u = params[1].memref.buffer;
	int i;

	res = TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT,
					"gpd.client.identity", &who);
	if (res)
		return res;
	if (params[1].memref.size < 16)
		return TEE_ERROR_SHORT_BUFFER;
	params[0].value.a = who.login;
	for (i = 0; i < 4; i++)
		u[i] = (uint8_t)(who.uuid.timeLow >> (24 - 8 * i));
	u[4] = (uint8_t)(who.uuid.timeMid >> 8);
	u[5] = (uint8_t)who.uuid.timeMid;
	u[6] = (uint8_t)(who.uuid.timeHiAndVersion >> 8);
	u[7] = (uint8_t)who.uuid.timeHiAndVersion;
	memcpy(u + 8, who.uuid.clockSeqAndNode, 8);
	params[1].memref.size = 16;
	return TEE_SUCCESS;
}

TEE_Result proc_storage_check(uint32_t types, TEE_Param params[TEE_NUM_PARAMS]);

TEE_Result TA_InvokeCommandEntryPoint(void *sess_ctx, uint32_t cmd,
				      uint32_t types,
				      TEE_Param params[TEE_NUM_PARAMS])
{
	struct proc_session *s = sess_ctx;
	volatile uint32_t spin = 0;

	switch (cmd) {
	case PROC_CMD_COUNT:
		params[0].value.a = ++proc_instance_calls;
		params[0].value.b = ++s->calls;
		return TEE_SUCCESS;
	case PROC_CMD_PID:
		params[0].value.a = (uint32_t)getpid();
		return TEE_SUCCESS;
	case PROC_CMD_ECHO:
		return proc_echo(types, params);
	case PROC_CMD_PANIC:
		TEE_Panic(0xdead);
		break;
	case PROC_CMD_CRASH:
		*(volatile uint32_t *)(uintptr_t)spin = 1;
		break;
	case PROC_CMD_LOOP:
		for (;;)
			spin++;
	case PROC_CMD_SPIN_CANCEL:
		TEE_UnmaskCancellation();
		while (!TEE_GetCancellationFlag())
			spin++;
		return TEE_ERROR_CANCEL;
	case PROC_CMD_WAIT:
		TEE_UnmaskCancellation();
		return TEE_Wait(params[0].value.a);
	case PROC_CMD_IDENTITY:
		return proc_identity(params);
	case PROC_CMD_STORE:
		return proc_store(types, params);
	case PROC_CMD_LOAD:
		return proc_load(types, params);
	case PROC_CMD_HOLD:
		return proc_hold(s, types, params);
	case PROC_CMD_STORAGE_CHECK:
		return proc_storage_check(types, params);
	}
	return TEE_ERROR_NOT_SUPPORTED;
}
