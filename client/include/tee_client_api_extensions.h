/* SPDX-License-Identifier: MIT */
/*
 * Extensions to the GlobalPlatform TEE Client API that the common libteec
 * declares here, and libteeq implements the same way.
 */
#ifndef TEE_CLIENT_API_EXTENSIONS_H
#define TEE_CLIENT_API_EXTENSIONS_H

#include <tee_client_api.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * Registers a sealed memfd (sealed at least against shrinking) as shared
 * memory: the secure world maps the same pages, so nothing is copied.
 * size and buffer are set from the memfd (buffer is libteeq's mapping of
 * it); flags are TEEC_MEM_* as for TEEC_RegisterSharedMemory().
 */
TEEC_Result
TEEC_RegisterSharedMemoryFileDescriptor(TEEC_Context *context,
					TEEC_SharedMemory *sharedMem, int fd);

#ifdef __cplusplus
}
#endif

#endif /* TEE_CLIENT_API_EXTENSIONS_H */
