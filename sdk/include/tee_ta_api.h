/* SPDX-License-Identifier: MIT */
/*
 * The TA interface: the five entry points every trusted application
 * defines. The framework never runs two entry points of one TA instance
 * at once.
 */
#ifndef TEE_TA_API_H
#define TEE_TA_API_H

#include <tee_api_types.h>

#define TA_EXPORT

/* The instance's constructor; any result but TEE_SUCCESS means no instance. */
TEE_Result TA_EXPORT TA_CreateEntryPoint(void);
/* The instance's destructor: no session is open any more. */
void TA_EXPORT TA_DestroyEntryPoint(void);
/* A client opens a session; *sessionContext is the TA's, passed back later. */
TEE_Result TA_EXPORT TA_OpenSessionEntryPoint(uint32_t paramTypes,
					      TEE_Param params[TEE_NUM_PARAMS],
					      void **sessionContext);
TEE_Result TA_EXPORT __GP11_TA_OpenSessionEntryPoint(
	uint32_t paramTypes, __GP11_TEE_Param params[TEE_NUM_PARAMS],
	void **sessionContext);
/* The session closes; the TA cannot refuse. */
void TA_EXPORT TA_CloseSessionEntryPoint(void *sessionContext);
/* A client invokes a command within the session. */
TEE_Result TA_EXPORT TA_InvokeCommandEntryPoint(
	void *sessionContext, uint32_t commandID, uint32_t paramTypes,
	TEE_Param params[TEE_NUM_PARAMS]);
TEE_Result TA_EXPORT __GP11_TA_InvokeCommandEntryPoint(
	void *sessionContext, uint32_t commandID, uint32_t paramTypes,
	__GP11_TEE_Param params[TEE_NUM_PARAMS]);

#endif /* TEE_TA_API_H */
