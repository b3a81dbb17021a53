// SPDX-License-Identifier: MIT
/*
 * Memory: the TA heap is the process heap (the TA host bounds the process),
 * and TEE_CheckMemoryAccessRights checks a range against the process's
 * mappings and against the client's shared memory of the call in progress.
 */
#include "internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *TEE_Malloc(size_t size, uint32_t hint)
{
	/* a zero size still gets a unique pointer TEE_Free accepts */
	size_t n = size ? size : 1;

	switch (hint) {
	case TEE_MALLOC_FILL_ZERO:
	case TEE_MALLOC_NO_SHARE:
		return calloc(1, n);
	case TEE_MALLOC_NO_FILL:
	case TEE_MALLOC_NO_FILL | TEE_MALLOC_NO_SHARE:
		return malloc(n);
	default:
		/* 0x80000000 and up are implementation hints: none here */
		if (hint & 0x80000000u)
			return calloc(1, n);
		ta_rt_log(TRACE_ERROR, "E/TA: %s: invalid hint 0x%" PRIx32,
			  __func__, hint);
		return NULL;
	}
}

void *TEE_Realloc(void *buffer, size_t newSize)
{
	return realloc(buffer, newSize ? newSize : 1);
}

void TEE_Free(void *buffer)
{
	free(buffer);
}

void *TEE_MemMove(void *dest, const void *src, size_t size)
{
	TA_CHECK_BUF(dest, size);
	TA_CHECK_BUF(src, size);
	return size ? memmove(dest, src, size) : dest;
}

int ta_mem_diff(const void *a, const void *b, size_t len)
{
	const unsigned char *pa = a, *pb = b;
	unsigned char acc = 0;
	size_t i;

	for (i = 0; i < len; i++)
		acc |= pa[i] ^ pb[i];
	return acc != 0;
}

/*
 * Constant time: every byte is read and the sign comes from the first
 * difference, found without a data-dependent branch.
 */
int32_t TEE_MemCompare(const void *buffer1, const void *buffer2, size_t size)
{
	const unsigned char *a = buffer1, *b = buffer2;
	int32_t result = 0;
	size_t i;

	TA_CHECK_BUF(buffer1, size);
	TA_CHECK_BUF(buffer2, size);
	for (i = size; i-- > 0;) {
		int32_t d = (int32_t)a[i] - (int32_t)b[i];
		/* all ones when d != 0: a later (lower) difference wins */
		int32_t nonzero = -(int32_t)((uint32_t)(d | -d) >> 31);

		result = (result & ~nonzero) | (d & nonzero);
	}
	return result;
}

void TEE_MemFill(void *buff, uint32_t x, size_t size)
{
	TA_CHECK_BUF(buff, size);
	if (size)
		memset(buff, (int)(uint8_t)x, size);
}

/* Does [start, end) of the call's shared memory meet the range? */
static TEE_Result ta_mem_check_params(uint32_t flags, uintptr_t start,
				      uintptr_t end)
{
	const struct ta_call *call = &ta_rt.call;
	unsigned int i;

	if (!call->params)
		return TEE_SUCCESS;
	for (i = 0; i < TEE_NUM_PARAMS; i++) {
		uint32_t type = TEE_PARAM_TYPE_GET(call->param_types, i);
		uintptr_t p_start, p_end;

		if (type < TEE_PARAM_TYPE_MEMREF_INPUT ||
		    !call->params[i].memref.buffer)
			continue;
		p_start = (uintptr_t)call->params[i].memref.buffer;
		p_end = p_start + call->params[i].memref.size;
		if (end <= p_start || start >= p_end)
			continue;
		/* client memory: only with ANY_OWNER, and never writable
		 * through an input-only memref */
		if (!(flags & TEE_MEMORY_ACCESS_ANY_OWNER))
			return TEE_ERROR_ACCESS_DENIED;
		if ((flags & TEE_MEMORY_ACCESS_WRITE) &&
		    type == TEE_PARAM_TYPE_MEMREF_INPUT)
			return TEE_ERROR_ACCESS_DENIED;
	}
	return TEE_SUCCESS;
}

/* Is every byte of [start, end) mapped with the rights asked for? */
static TEE_Result ta_mem_check_maps(uint32_t flags, uintptr_t start,
				    uintptr_t end)
{
	TEE_Result res = TEE_ERROR_ACCESS_DENIED;
	uintptr_t covered = start;
	char line[512];
	FILE *maps;

	maps = fopen("/proc/self/maps", "re");
	if (!maps)
		return TEE_ERROR_ACCESS_DENIED;
	/* the lines come sorted by address and do not overlap */
	while (covered < end && fgets(line, sizeof(line), maps)) {
		unsigned long lo, hi;
		char perms[5];

		if (sscanf(line, "%lx-%lx %4s", &lo, &hi, perms) != 3)
			break;
		if (hi <= covered)
			continue;
		if (lo > covered)
			break;
		if (perms[0] != 'r' ||
		    ((flags & TEE_MEMORY_ACCESS_WRITE) && perms[1] != 'w'))
			break;
		covered = hi;
	}
	if (covered >= end)
		res = TEE_SUCCESS;
	fclose(maps);
	return res;
}

TEE_Result TEE_CheckMemoryAccessRights(uint32_t accessFlags, void *buffer,
				       size_t size)
{
	uint32_t flags = accessFlags &
			 (TEE_MEMORY_ACCESS_READ | TEE_MEMORY_ACCESS_WRITE |
			  TEE_MEMORY_ACCESS_ANY_OWNER);
	uintptr_t start = (uintptr_t)buffer;

	if (!size)
		return TEE_SUCCESS;
	if (start + size < start)
		return TEE_ERROR_ACCESS_DENIED;
	if (ta_mem_check_params(flags, start, start + size))
		return TEE_ERROR_ACCESS_DENIED;
	return ta_mem_check_maps(flags, start, start + size);
}
