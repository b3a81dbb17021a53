// SPDX-License-Identifier: MIT
/*
 * The v1.1 API (uint32_t lengths, the v1.1 TEE_Attribute and
 * TEE_ObjectInfo), for TAs that ask for it: each function converts and
 * calls its v1.3 form. Where v1.1 behaved differently it says so.
 */
#include "internal.h"

#include <stdlib.h>

/* A v1.3 copy of a v1.1 attribute array; free() it after the call. */
static TEE_Attribute *gp11_attrs(const __GP11_TEE_Attribute *in, uint32_t n,
				 const char *func)
{
	TEE_Attribute *out;
	uint32_t i;

	if (!n)
		return NULL;
	if (!in)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func, "params is NULL");
	out = calloc(n, sizeof(*out));
	if (!out)
		ta_rt_panic(TEE_ERROR_OUT_OF_MEMORY, func, "out of memory");
	for (i = 0; i < n; i++) {
		out[i].attributeID = in[i].attributeID;
		if (in[i].attributeID & TEE_ATTR_FLAG_VALUE) {
			out[i].content.value.a = in[i].content.value.a;
			out[i].content.value.b = in[i].content.value.b;
		} else {
			out[i].content.ref.buffer = in[i].content.ref.buffer;
			out[i].content.ref.length = in[i].content.ref.length;
		}
	}
	return out;
}

/* In-out length: a v1.3 size_t from a v1.1 pointer, and back. */
#define GP11_LEN_IN(p) ((p) ? (size_t) * (p) : 0)
#define GP11_LEN_PTR(p, tmp) ((p) ? &(tmp) : NULL)
#define GP11_LEN_OUT(p, tmp)                    \
	do {                                    \
		if (p)                          \
			*(p) = (uint32_t)(tmp); \
	} while (0)

TEE_Result __GP11_TEE_GetPropertyAsString(TEE_PropSetHandle h, const char *name,
					  char *valueBuffer,
					  uint32_t *valueBufferLen)
{
	size_t len = GP11_LEN_IN(valueBufferLen);
	TEE_Result res = TEE_GetPropertyAsString(
		h, name, valueBuffer, GP11_LEN_PTR(valueBufferLen, len));

	GP11_LEN_OUT(valueBufferLen, len);
	return res;
}

TEE_Result __GP11_TEE_GetPropertyAsBinaryBlock(TEE_PropSetHandle h,
					       const char *name,
					       void *valueBuffer,
					       uint32_t *valueBufferLen)
{
	size_t len = GP11_LEN_IN(valueBufferLen);
	TEE_Result res = TEE_GetPropertyAsBinaryBlock(
		h, name, valueBuffer, GP11_LEN_PTR(valueBufferLen, len));

	GP11_LEN_OUT(valueBufferLen, len);
	return res;
}

TEE_Result __GP11_TEE_GetPropertyName(TEE_PropSetHandle enumerator,
				      void *nameBuffer, uint32_t *nameBufferLen)
{
	size_t len = GP11_LEN_IN(nameBufferLen);
	TEE_Result res = TEE_GetPropertyName(enumerator, nameBuffer,
					     GP11_LEN_PTR(nameBufferLen, len));

	GP11_LEN_OUT(nameBufferLen, len);
	return res;
}

TEE_Result __GP11_TEE_CheckMemoryAccessRights(uint32_t accessFlags,
					      void *buffer, uint32_t size)
{
	return TEE_CheckMemoryAccessRights(accessFlags, buffer, size);
}

void *__GP11_TEE_Malloc(uint32_t size, uint32_t hint)
{
	return TEE_Malloc(size, hint);
}

void *__GP11_TEE_Realloc(void *buffer, uint32_t newSize)
{
	return TEE_Realloc(buffer, newSize);
}

void *__GP11_TEE_MemMove(void *dest, const void *src, uint32_t size)
{
	return TEE_MemMove(dest, src, size);
}

int32_t __GP11_TEE_MemCompare(const void *buffer1, const void *buffer2,
			      uint32_t size)
{
	return TEE_MemCompare(buffer1, buffer2, size);
}

void __GP11_TEE_MemFill(void *buff, uint32_t x, uint32_t size)
{
	TEE_MemFill(buff, x, size);
}

static void gp11_info(const TEE_ObjectInfo *in, __GP11_TEE_ObjectInfo *out)
{
	out->objectType = in->objectType;
	out->objectSize = in->objectSize;
	out->maxObjectSize = in->maxObjectSize;
	out->objectUsage = in->objectUsage;
	out->dataSize = (uint32_t)in->dataSize;
	out->dataPosition = (uint32_t)in->dataPosition;
	out->handleFlags = in->handleFlags;
}

TEE_Result __GP11_TEE_GetObjectInfo1(TEE_ObjectHandle object,
				     __GP11_TEE_ObjectInfo *objectInfo)
{
	TEE_ObjectInfo info;
	TEE_Result res;

	TA_PANIC_IF(!objectInfo, "objectInfo is NULL");
	res = TEE_GetObjectInfo1(object, &info);
	gp11_info(&info, objectInfo);
	return res;
}

void __GP11_TEE_GetObjectInfo(TEE_ObjectHandle object,
			      __GP11_TEE_ObjectInfo *objectInfo)
{
	__GP11_TEE_GetObjectInfo1(object, objectInfo);
}

TEE_Result __GP11_TEE_GetObjectBufferAttribute(TEE_ObjectHandle object,
					       uint32_t attributeID,
					       void *buffer, uint32_t *size)
{
	size_t len = GP11_LEN_IN(size);
	TEE_Result res = TEE_GetObjectBufferAttribute(
		object, attributeID, buffer, GP11_LEN_PTR(size, len));

	GP11_LEN_OUT(size, len);
	return res;
}

TEE_Result __GP11_TEE_PopulateTransientObject(TEE_ObjectHandle object,
					      const __GP11_TEE_Attribute *attrs,
					      uint32_t attrCount)
{
	TEE_Attribute *a = gp11_attrs(attrs, attrCount, __func__);
	TEE_Result res = TEE_PopulateTransientObject(object, a, attrCount);

	free(a);
	return res;
}

void __GP11_TEE_InitRefAttribute(__GP11_TEE_Attribute *attr,
				 uint32_t attributeID, const void *buffer,
				 uint32_t length)
{
	TEE_Attribute a;

	TA_PANIC_IF(!attr, "attr is NULL");
	TEE_InitRefAttribute(&a, attributeID, buffer, length);
	attr->attributeID = attributeID;
	attr->content.ref.buffer = a.content.ref.buffer;
	attr->content.ref.length = length;
}

void __GP11_TEE_InitValueAttribute(__GP11_TEE_Attribute *attr,
				   uint32_t attributeID, uint32_t a, uint32_t b)
{
	TEE_Attribute tmp;

	TA_PANIC_IF(!attr, "attr is NULL");
	TEE_InitValueAttribute(&tmp, attributeID, a, b);
	attr->attributeID = attributeID;
	attr->content.value.a = a;
	attr->content.value.b = b;
}

TEE_Result __GP11_TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize,
				  const __GP11_TEE_Attribute *params,
				  uint32_t paramCount)
{
	TEE_Attribute *a = gp11_attrs(params, paramCount, __func__);
	TEE_Result res = TEE_GenerateKey(object, keySize, a, paramCount);

	free(a);
	return res;
}

/* v1.1 has no TEE_HANDLE_NULL exception: freeing it panics. */
void __GP11_TEE_FreeOperation(TEE_OperationHandle operation)
{
	TA_PANIC_IF(operation == TEE_HANDLE_NULL, "operation is NULL");
	TEE_FreeOperation(operation);
}

TEE_Result __GP11_TEE_GetOperationInfoMultiple(TEE_OperationHandle operation,
					       TEE_OperationInfoMultiple *info,
					       uint32_t *operationSize)
{
	size_t len = GP11_LEN_IN(operationSize);
	TEE_Result res = TEE_GetOperationInfoMultiple(
		operation, info, GP11_LEN_PTR(operationSize, len));

	GP11_LEN_OUT(operationSize, len);
	return res;
}

void __GP11_TEE_DigestUpdate(TEE_OperationHandle operation, const void *chunk,
			     uint32_t chunkSize)
{
	TEE_DigestUpdate(operation, chunk, chunkSize);
}

TEE_Result __GP11_TEE_DigestDoFinal(TEE_OperationHandle operation,
				    const void *chunk, uint32_t chunkLen,
				    void *hash, uint32_t *hashLen)
{
	size_t len = GP11_LEN_IN(hashLen);
	TEE_Result res = TEE_DigestDoFinal(operation, chunk, chunkLen, hash,
					   GP11_LEN_PTR(hashLen, len));

	GP11_LEN_OUT(hashLen, len);
	return res;
}

void __GP11_TEE_CipherInit(TEE_OperationHandle operation, const void *IV,
			   uint32_t IVLen)
{
	TEE_CipherInit(operation, IV, IVLen);
}

TEE_Result __GP11_TEE_CipherUpdate(TEE_OperationHandle operation,
				   const void *srcData, uint32_t srcLen,
				   void *destData, uint32_t *destLen)
{
	size_t len = GP11_LEN_IN(destLen);
	TEE_Result res = TEE_CipherUpdate(operation, srcData, srcLen, destData,
					  GP11_LEN_PTR(destLen, len));

	GP11_LEN_OUT(destLen, len);
	return res;
}

TEE_Result __GP11_TEE_CipherDoFinal(TEE_OperationHandle operation,
				    const void *srcData, uint32_t srcLen,
				    void *destData, uint32_t *destLen)
{
	size_t len = GP11_LEN_IN(destLen);
	TEE_Result res = TEE_CipherDoFinal(operation, srcData, srcLen, destData,
					   GP11_LEN_PTR(destLen, len));

	GP11_LEN_OUT(destLen, len);
	return res;
}

void __GP11_TEE_MACInit(TEE_OperationHandle operation, const void *IV,
			uint32_t IVLen)
{
	TEE_MACInit(operation, IV, IVLen);
}

void __GP11_TEE_MACUpdate(TEE_OperationHandle operation, const void *chunk,
			  uint32_t chunkSize)
{
	TEE_MACUpdate(operation, chunk, chunkSize);
}

TEE_Result __GP11_TEE_MACComputeFinal(TEE_OperationHandle operation,
				      const void *message, uint32_t messageLen,
				      void *mac, uint32_t *macLen)
{
	size_t len = GP11_LEN_IN(macLen);
	TEE_Result res = TEE_MACComputeFinal(operation, message, messageLen,
					     mac, GP11_LEN_PTR(macLen, len));

	GP11_LEN_OUT(macLen, len);
	return res;
}

TEE_Result __GP11_TEE_MACCompareFinal(TEE_OperationHandle operation,
				      const void *message, uint32_t messageLen,
				      const void *mac, uint32_t macLen)
{
	return TEE_MACCompareFinal(operation, message, messageLen, mac, macLen);
}

TEE_Result __GP11_TEE_AEInit(TEE_OperationHandle operation, const void *nonce,
			     uint32_t nonceLen, uint32_t tagLen,
			     uint32_t AADLen, uint32_t payloadLen)
{
	return TEE_AEInit(operation, nonce, nonceLen, tagLen, AADLen,
			  payloadLen);
}

void __GP11_TEE_AEUpdateAAD(TEE_OperationHandle operation, const void *AADdata,
			    uint32_t AADdataLen)
{
	TEE_AEUpdateAAD(operation, AADdata, AADdataLen);
}

TEE_Result __GP11_TEE_AEUpdate(TEE_OperationHandle operation,
			       const void *srcData, uint32_t srcLen,
			       void *destData, uint32_t *destLen)
{
	size_t len = GP11_LEN_IN(destLen);
	TEE_Result res = TEE_AEUpdate(operation, srcData, srcLen, destData,
				      GP11_LEN_PTR(destLen, len));

	GP11_LEN_OUT(destLen, len);
	return res;
}

TEE_Result __GP11_TEE_AEEncryptFinal(TEE_OperationHandle operation,
				     const void *srcData, uint32_t srcLen,
				     void *destData, uint32_t *destLen,
				     void *tag, uint32_t *tagLen)
{
	size_t len = GP11_LEN_IN(destLen), tlen = GP11_LEN_IN(tagLen);
	TEE_Result res = TEE_AEEncryptFinal(operation, srcData, srcLen,
					    destData,
					    GP11_LEN_PTR(destLen, len), tag,
					    GP11_LEN_PTR(tagLen, tlen));

	GP11_LEN_OUT(destLen, len);
	GP11_LEN_OUT(tagLen, tlen);
	return res;
}

TEE_Result __GP11_TEE_AEDecryptFinal(TEE_OperationHandle operation,
				     const void *srcData, uint32_t srcLen,
				     void *destData, uint32_t *destLen,
				     void *tag, uint32_t tagLen)
{
	size_t len = GP11_LEN_IN(destLen);
	TEE_Result res =
		TEE_AEDecryptFinal(operation, srcData, srcLen, destData,
				   GP11_LEN_PTR(destLen, len), tag, tagLen);

	GP11_LEN_OUT(destLen, len);
	return res;
}

/* v1.1 had no TEE_ERROR_CIPHERTEXT_INVALID: a bad ciphertext was
 * TEE_ERROR_BAD_PARAMETERS. */
static TEE_Result
gp11_asym(TEE_Result (*fn)(TEE_OperationHandle, const TEE_Attribute *, uint32_t,
			   const void *, size_t, void *, size_t *),
	  TEE_OperationHandle operation, const __GP11_TEE_Attribute *params,
	  uint32_t paramCount, const void *src, uint32_t srcLen, void *dest,
	  uint32_t *destLen, const char *func)
{
	TEE_Attribute *a = gp11_attrs(params, paramCount, func);
	size_t len = GP11_LEN_IN(destLen);
	TEE_Result res = fn(operation, a, paramCount, src, srcLen, dest,
			    GP11_LEN_PTR(destLen, len));

	free(a);
	GP11_LEN_OUT(destLen, len);
	return res == TEE_ERROR_CIPHERTEXT_INVALID ? TEE_ERROR_BAD_PARAMETERS :
						     res;
}

TEE_Result __GP11_TEE_AsymmetricEncrypt(TEE_OperationHandle operation,
					const __GP11_TEE_Attribute *params,
					uint32_t paramCount,
					const void *srcData, uint32_t srcLen,
					void *destData, uint32_t *destLen)
{
	return gp11_asym(TEE_AsymmetricEncrypt, operation, params, paramCount,
			 srcData, srcLen, destData, destLen, __func__);
}

TEE_Result __GP11_TEE_AsymmetricDecrypt(TEE_OperationHandle operation,
					const __GP11_TEE_Attribute *params,
					uint32_t paramCount,
					const void *srcData, uint32_t srcLen,
					void *destData, uint32_t *destLen)
{
	return gp11_asym(TEE_AsymmetricDecrypt, operation, params, paramCount,
			 srcData, srcLen, destData, destLen, __func__);
}

TEE_Result __GP11_TEE_AsymmetricSignDigest(TEE_OperationHandle operation,
					   const __GP11_TEE_Attribute *params,
					   uint32_t paramCount,
					   const void *digest,
					   uint32_t digestLen, void *signature,
					   uint32_t *signatureLen)
{
	return gp11_asym(TEE_AsymmetricSignDigest, operation, params,
			 paramCount, digest, digestLen, signature, signatureLen,
			 __func__);
}

TEE_Result __GP11_TEE_AsymmetricVerifyDigest(
	TEE_OperationHandle operation, const __GP11_TEE_Attribute *params,
	uint32_t paramCount, const void *digest, uint32_t digestLen,
	const void *signature, uint32_t signatureLen)
{
	TEE_Attribute *a = gp11_attrs(params, paramCount, __func__);
	TEE_Result res = TEE_AsymmetricVerifyDigest(operation, a, paramCount,
						    digest, digestLen,
						    signature, signatureLen);

	free(a);
	return res;
}

void __GP11_TEE_DeriveKey(TEE_OperationHandle operation,
			  const __GP11_TEE_Attribute *params,
			  uint32_t paramCount, TEE_ObjectHandle derivedKey)
{
	TEE_Attribute *a = gp11_attrs(params, paramCount, __func__);

	TEE_DeriveKey(operation, a, paramCount, derivedKey);
	free(a);
}

void __GP11_TEE_GenerateRandom(void *randomBuffer, uint32_t randomBufferLen)
{
	TEE_GenerateRandom(randomBuffer, randomBufferLen);
}

/* ---- persistent objects: uint32_t lengths ------------------------------- */

TEE_Result __GP11_TEE_OpenPersistentObject(uint32_t storageID,
					   const void *objectID,
					   uint32_t objectIDLen, uint32_t flags,
					   TEE_ObjectHandle *object)
{
	return TEE_OpenPersistentObject(storageID, objectID, objectIDLen, flags,
					object);
}

TEE_Result __GP11_TEE_CreatePersistentObject(
	uint32_t storageID, const void *objectID, uint32_t objectIDLen,
	uint32_t flags, TEE_ObjectHandle attributes, const void *initialData,
	uint32_t initialDataLen, TEE_ObjectHandle *object)
{
	return TEE_CreatePersistentObject(storageID, objectID, objectIDLen,
					  flags, attributes, initialData,
					  initialDataLen, object);
}

TEE_Result __GP11_TEE_RenamePersistentObject(TEE_ObjectHandle object,
					     const void *newObjectID,
					     uint32_t newObjectIDLen)
{
	return TEE_RenamePersistentObject(object, newObjectID, newObjectIDLen);
}

TEE_Result
__GP11_TEE_GetNextPersistentObject(TEE_ObjectEnumHandle objectEnumerator,
				   __GP11_TEE_ObjectInfo *objectInfo,
				   void *objectID, uint32_t *objectIDLen)
{
	TEE_ObjectInfo info;
	size_t len = 0;
	TEE_Result res;

	TA_PANIC_IF(!objectIDLen, "objectIDLen is NULL");
	res = TEE_GetNextPersistentObject(
		objectEnumerator, objectInfo ? &info : NULL, objectID, &len);
	if (res)
		return res;
	*objectIDLen = (uint32_t)len;
	if (objectInfo)
		gp11_info(&info, objectInfo);
	return TEE_SUCCESS;
}

TEE_Result __GP11_TEE_ReadObjectData(TEE_ObjectHandle object, void *buffer,
				     uint32_t size, uint32_t *count)
{
	size_t n = 0;
	TEE_Result res;

	TA_PANIC_IF(!count, "count is NULL");
	res = TEE_ReadObjectData(object, buffer, size, &n);
	*count = (uint32_t)n;
	return res;
}

TEE_Result __GP11_TEE_WriteObjectData(TEE_ObjectHandle object,
				      const void *buffer, uint32_t size)
{
	return TEE_WriteObjectData(object, buffer, size);
}

TEE_Result __GP11_TEE_TruncateObjectData(TEE_ObjectHandle object, uint32_t size)
{
	return TEE_TruncateObjectData(object, size);
}

TEE_Result __GP11_TEE_SeekObjectData(TEE_ObjectHandle object, int32_t offset,
				     TEE_Whence whence)
{
	return TEE_SeekObjectData(object, offset, whence);
}
