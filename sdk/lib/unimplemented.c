// SPDX-License-Identifier: MIT
/*
 * The one list of what tee_internal_api.h declares and teeq does not
 * implement yet (docs/ta-sdk.md repeats it). Each of these panics the TA
 * with a log line naming the function and never returns, so a TA that
 * depends on one fails loudly instead of seeing a success that did
 * nothing. TA persistent time would need a rollback-safe clock; the
 * internal client API comes with TAs calling TAs.
 */
#include "internal.h"

/* The stubs name their parameters for the reader but use none. */
#pragma GCC diagnostic ignored "-Wunused-parameter"

#define TA_NOT_YET                                       \
	ta_rt_panic(TEE_ERROR_NOT_IMPLEMENTED, __func__, \
		    "not implemented in teeq yet")

/* TA persistent time */
TEE_Result TEE_GetTAPersistentTime(TEE_Time *time)
{
	TA_NOT_YET;
}

TEE_Result TEE_SetTAPersistentTime(const TEE_Time *time)
{
	TA_NOT_YET;
}

/* Internal client API */
TEE_Result TEE_OpenTASession(const TEE_UUID *destination,
			     uint32_t cancellationRequestTimeout,
			     uint32_t paramTypes,
			     TEE_Param params[TEE_NUM_PARAMS],
			     TEE_TASessionHandle *session,
			     uint32_t *returnOrigin)
{
	TA_NOT_YET;
}

TEE_Result __GP11_TEE_OpenTASession(const TEE_UUID *destination,
				    uint32_t cancellationRequestTimeout,
				    uint32_t paramTypes,
				    __GP11_TEE_Param params[TEE_NUM_PARAMS],
				    TEE_TASessionHandle *session,
				    uint32_t *returnOrigin)
{
	TA_NOT_YET;
}

void TEE_CloseTASession(TEE_TASessionHandle session)
{
	TA_NOT_YET;
}

TEE_Result TEE_InvokeTACommand(TEE_TASessionHandle session,
			       uint32_t cancellationRequestTimeout,
			       uint32_t commandID, uint32_t paramTypes,
			       TEE_Param params[TEE_NUM_PARAMS],
			       uint32_t *returnOrigin)
{
	TA_NOT_YET;
}

TEE_Result __GP11_TEE_InvokeTACommand(TEE_TASessionHandle session,
				      uint32_t cancellationRequestTimeout,
				      uint32_t commandID, uint32_t paramTypes,
				      __GP11_TEE_Param params[TEE_NUM_PARAMS],
				      uint32_t *returnOrigin)
{
	TA_NOT_YET;
}

/* SHAKE output extraction */
TEE_Result TEE_DigestExtract(TEE_OperationHandle operation, void *hash,
			     size_t *hashLen)
{
	TA_NOT_YET;
}

/* Arithmetical API */
size_t TEE_BigIntFMMSizeInU32(size_t modulusSizeInBits)
{
	TA_NOT_YET;
}

size_t TEE_BigIntFMMContextSizeInU32(size_t modulusSizeInBits)
{
	TA_NOT_YET;
}

void TEE_BigIntInit(TEE_BigInt *bigInt, size_t len)
{
	TA_NOT_YET;
}

void TEE_BigIntInitFMMContext(TEE_BigIntFMMContext *context, size_t len,
			      const TEE_BigInt *modulus)
{
	TA_NOT_YET;
}

void TEE_BigIntInitFMM(TEE_BigIntFMM *bigIntFMM, size_t len)
{
	TA_NOT_YET;
}

TEE_Result TEE_BigIntConvertFromOctetString(TEE_BigInt *dest,
					    const uint8_t *buffer,
					    size_t bufferLen, int32_t sign)
{
	TA_NOT_YET;
}

TEE_Result TEE_BigIntConvertToOctetString(uint8_t *buffer, size_t *bufferLen,
					  const TEE_BigInt *bigInt)
{
	TA_NOT_YET;
}

void TEE_BigIntConvertFromS32(TEE_BigInt *dest, int32_t shortVal)
{
	TA_NOT_YET;
}

TEE_Result TEE_BigIntConvertToS32(int32_t *dest, const TEE_BigInt *src)
{
	TA_NOT_YET;
}

int32_t TEE_BigIntCmp(const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TA_NOT_YET;
}

int32_t TEE_BigIntCmpS32(const TEE_BigInt *op, int32_t shortVal)
{
	TA_NOT_YET;
}

void TEE_BigIntShiftRight(TEE_BigInt *dest, const TEE_BigInt *op, size_t bits)
{
	TA_NOT_YET;
}

bool TEE_BigIntGetBit(const TEE_BigInt *src, uint32_t bitIndex)
{
	TA_NOT_YET;
}

uint32_t TEE_BigIntGetBitCount(const TEE_BigInt *src)
{
	TA_NOT_YET;
}

void TEE_BigIntAdd(TEE_BigInt *dest, const TEE_BigInt *op1,
		   const TEE_BigInt *op2)
{
	TA_NOT_YET;
}

void TEE_BigIntSub(TEE_BigInt *dest, const TEE_BigInt *op1,
		   const TEE_BigInt *op2)
{
	TA_NOT_YET;
}

void TEE_BigIntNeg(TEE_BigInt *dest, const TEE_BigInt *op)
{
	TA_NOT_YET;
}

void TEE_BigIntMul(TEE_BigInt *dest, const TEE_BigInt *op1,
		   const TEE_BigInt *op2)
{
	TA_NOT_YET;
}

void TEE_BigIntSquare(TEE_BigInt *dest, const TEE_BigInt *op)
{
	TA_NOT_YET;
}

void TEE_BigIntDiv(TEE_BigInt *dest_q, TEE_BigInt *dest_r,
		   const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TA_NOT_YET;
}

void TEE_BigIntMod(TEE_BigInt *dest, const TEE_BigInt *op, const TEE_BigInt *n)
{
	TA_NOT_YET;
}

void TEE_BigIntAddMod(TEE_BigInt *dest, const TEE_BigInt *op1,
		      const TEE_BigInt *op2, const TEE_BigInt *n)
{
	TA_NOT_YET;
}

void TEE_BigIntSubMod(TEE_BigInt *dest, const TEE_BigInt *op1,
		      const TEE_BigInt *op2, const TEE_BigInt *n)
{
	TA_NOT_YET;
}

void TEE_BigIntMulMod(TEE_BigInt *dest, const TEE_BigInt *op1,
		      const TEE_BigInt *op2, const TEE_BigInt *n)
{
	TA_NOT_YET;
}

void TEE_BigIntSquareMod(TEE_BigInt *dest, const TEE_BigInt *op,
			 const TEE_BigInt *n)
{
	TA_NOT_YET;
}

void TEE_BigIntInvMod(TEE_BigInt *dest, const TEE_BigInt *op,
		      const TEE_BigInt *n)
{
	TA_NOT_YET;
}

bool TEE_BigIntRelativePrime(const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TA_NOT_YET;
}

void TEE_BigIntComputeExtendedGcd(TEE_BigInt *gcd, TEE_BigInt *u, TEE_BigInt *v,
				  const TEE_BigInt *op1, const TEE_BigInt *op2)
{
	TA_NOT_YET;
}

int32_t TEE_BigIntIsProbablePrime(const TEE_BigInt *op,
				  uint32_t confidenceLevel)
{
	TA_NOT_YET;
}

void TEE_BigIntConvertToFMM(TEE_BigIntFMM *dest, const TEE_BigInt *src,
			    const TEE_BigInt *n,
			    const TEE_BigIntFMMContext *context)
{
	TA_NOT_YET;
}

void TEE_BigIntConvertFromFMM(TEE_BigInt *dest, const TEE_BigIntFMM *src,
			      const TEE_BigInt *n,
			      const TEE_BigIntFMMContext *context)
{
	TA_NOT_YET;
}

void TEE_BigIntComputeFMM(TEE_BigIntFMM *dest, const TEE_BigIntFMM *op1,
			  const TEE_BigIntFMM *op2, const TEE_BigInt *n,
			  const TEE_BigIntFMMContext *context)
{
	TA_NOT_YET;
}
