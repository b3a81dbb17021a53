// SPDX-License-Identifier: MIT
/*
 * What programs written for the common libteec expect of its headers:
 * <tee_client_api.h> alone brings bool and the <limits.h> constants;
 * <tee_client_api_extensions.h> exists and declares
 * TEEC_RegisterSharedMemoryFileDescriptor; TEEC_ERROR_STORAGE_NOT_AVAILABLE
 * is 0xF0100003; the TEE_* names of the Internal Core API mean the same
 * codes; TEEC_CONFIG_SHAREDMEM_MAX_SIZE is the wire's limit. Mostly
 * checked when this file compiles; a build without them fails here.
 */
#include <tee_client_api.h>
#include <tee_client_api_extensions.h>

/* nothing else included yet: the header brought these */
static const bool teeq_have_bool = true;
static const long teeq_have_limits = INT_MAX;

#include "tests/check.h"

#define SAME(name) _Static_assert(TEE_##name == TEEC_##name, #name)

SAME(SUCCESS);
SAME(ERROR_GENERIC);
SAME(ERROR_ACCESS_DENIED);
SAME(ERROR_CANCEL);
SAME(ERROR_ACCESS_CONFLICT);
SAME(ERROR_EXCESS_DATA);
SAME(ERROR_BAD_FORMAT);
SAME(ERROR_BAD_PARAMETERS);
SAME(ERROR_BAD_STATE);
SAME(ERROR_ITEM_NOT_FOUND);
SAME(ERROR_NOT_IMPLEMENTED);
SAME(ERROR_NOT_SUPPORTED);
SAME(ERROR_NO_DATA);
SAME(ERROR_OUT_OF_MEMORY);
SAME(ERROR_BUSY);
SAME(ERROR_COMMUNICATION);
SAME(ERROR_SECURITY);
SAME(ERROR_SHORT_BUFFER);
SAME(ERROR_EXTERNAL_CANCEL);
SAME(ERROR_TARGET_DEAD);
SAME(ERROR_STORAGE_NO_SPACE);
SAME(ERROR_STORAGE_NOT_AVAILABLE);
SAME(ERROR_MAC_INVALID);
SAME(ORIGIN_API);
SAME(ORIGIN_COMMS);
SAME(ORIGIN_TEE);
SAME(ORIGIN_TRUSTED_APP);
_Static_assert(TEEC_ERROR_STORAGE_NOT_AVAILABLE == 0xF0100003u,
	       "STORAGE_NOT_AVAILABLE");
_Static_assert(TEEC_CONFIG_SHAREDMEM_MAX_SIZE == 0xFFFFFFFFu,
	       "the wire's 32-bit size");

int main(void)
{
	TEEC_Result (*reg)(TEEC_Context *, TEEC_SharedMemory *, int) =
		TEEC_RegisterSharedMemoryFileDescriptor;
	TEEC_Context ctx = { 0 };
	TEEC_SharedMemory shm = { 0 };

	CHECK(teeq_have_bool && teeq_have_limits == INT_MAX);
	/* declared as the common header has it, and refuses what it must */
	shm.flags = TEEC_MEM_INPUT;
	CHECK_EQ(reg(&ctx, &shm, -1), TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(TEE_ERROR_STORAGE_NOT_AVAILABLE, 0xF0100003u);
	return T_PASS;
}
