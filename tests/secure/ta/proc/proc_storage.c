// SPDX-License-Identifier: MIT
/*
 * The test TA's check of every persistent-object function, from inside
 * the TA (GP Internal Core API only): data larger than one message both
 * ways, positions and seeks (and their overflow), truncation, share
 * conflicts, renaming, a key kept as an object and used as one,
 * enumeration, deletion, and the errors for an unknown storage and bad
 * flags. The first step that goes wrong is reported with its result.
 */
#include <tee_internal_api.h>
#include <tee_internal_api_extensions.h>

#include <proc_ta.h>

#define CHECK_BIG (200u * 1024)
#define RW                                                        \
	(TEE_DATA_FLAG_ACCESS_READ | TEE_DATA_FLAG_ACCESS_WRITE | \
	 TEE_DATA_FLAG_ACCESS_WRITE_META)

#define STEP(n, cond)                            \
	do {                                     \
		if (!(cond)) {                   \
			params[0].value.a = (n); \
			params[0].value.b = res; \
			goto out;                \
		}                                \
	} while (0)

static TEE_Result check_open(const char *id, uint32_t flags,
			     TEE_ObjectHandle *o)
{
	size_t n = 0;

	while (id[n])
		n++;
	return TEE_OpenPersistentObject(TEE_STORAGE_PRIVATE, id, n, flags, o);
}

/* AES-128-ECB of one block with @key. */
static TEE_Result check_encrypt(TEE_ObjectHandle key, uint8_t out[16])
{
	static const uint8_t in[16] = "sixteen bytes!!";
	TEE_OperationHandle op = TEE_HANDLE_NULL;
	size_t len = 16;
	TEE_Result res;

	res = TEE_AllocateOperation(&op, TEE_ALG_AES_ECB_NOPAD,
				    TEE_MODE_ENCRYPT, 128);
	if (!res)
		res = TEE_SetOperationKey(op, key);
	if (!res) {
		TEE_CipherInit(op, NULL, 0);
		res = TEE_CipherDoFinal(op, in, 16, out, &len);
	}
	if (op != TEE_HANDLE_NULL)
		TEE_FreeOperation(op);
	return res;
}

TEE_Result proc_storage_check(uint32_t types, TEE_Param params[TEE_NUM_PARAMS]);

TEE_Result proc_storage_check(uint32_t types, TEE_Param params[TEE_NUM_PARAMS])
{
	TEE_ObjectHandle h = TEE_HANDLE_NULL, o = TEE_HANDLE_NULL;
	TEE_ObjectHandle key = TEE_HANDLE_NULL, pkey = TEE_HANDLE_NULL;
	TEE_ObjectEnumHandle e = TEE_HANDLE_NULL;
	TEE_ObjectInfo info;
	uint8_t *big, got[8], c1[16], c2[16], id[TEE_OBJECT_ID_MAX_LEN];
	size_t i, n = 0, seen = 0;
	TEE_Result res = TEE_SUCCESS;
	bool key_seen = false;

	if (types != TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_OUTPUT,
				     TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE,
				     TEE_PARAM_TYPE_NONE))
		return TEE_ERROR_BAD_PARAMETERS;
	params[0].value.a = 0;
	params[0].value.b = 0;
	big = TEE_Malloc(CHECK_BIG + 16, 0);
	STEP(1, big);
	for (i = 0; i < CHECK_BIG; i++)
		big[i] = (uint8_t)(i * 7 + (i >> 9));

	/* more initial data than one message carries */
	res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "check/data", 10,
					 RW | TEE_DATA_FLAG_OVERWRITE,
					 TEE_HANDLE_NULL, big, CHECK_BIG, &h);
	STEP(2, !res);
	res = TEE_GetObjectInfo1(h, &info);
	STEP(3, !res && info.dataSize == CHECK_BIG);
	STEP(33, !info.dataPosition);
	STEP(34, (info.handleFlags & TEE_HANDLE_FLAG_PERSISTENT) &&
			 (info.handleFlags & TEE_DATA_FLAG_ACCESS_READ));
	STEP(35, info.objectType == TEE_TYPE_DATA);
	TEE_MemFill(big + CHECK_BIG, 0, 16);
	for (i = 0; i < CHECK_BIG; i++)
		big[i] = 0;
	res = TEE_ReadObjectData(h, big, CHECK_BIG + 16, &n);
	STEP(4, !res && n == CHECK_BIG);
	for (i = 0; i < CHECK_BIG; i++)
		STEP(5, big[i] == (uint8_t)(i * 7 + (i >> 9)));
	res = TEE_ReadObjectData(h, got, sizeof(got), &n);
	STEP(6, !res && !n); /* at the end */

	/* positions */
	res = TEE_SeekObjectData(h, 100, TEE_DATA_SEEK_SET);
	STEP(7, !res);
	res = TEE_WriteObjectData(h, "XYZ", 3);
	STEP(8, !res);
	res = TEE_SeekObjectData(h, -5, TEE_DATA_SEEK_CUR);
	STEP(9, !res);
	res = TEE_ReadObjectData(h, got, 7, &n);
	STEP(10, !res && n == 7 && got[0] == big[98] && got[1] == big[99] &&
			 got[2] == 'X' && got[4] == 'Z' && got[5] == big[103]);
	res = TEE_SeekObjectData(h, -10, TEE_DATA_SEEK_END);
	STEP(11, !res && !TEE_GetObjectInfo1(h, &info) &&
			 info.dataPosition == CHECK_BIG - 10);
	res = TEE_SeekObjectData(h, (intmax_t)TEE_DATA_MAX_POSITION + 1,
				 TEE_DATA_SEEK_SET);
	STEP(12, res == TEE_ERROR_OVERFLOW);
	res = TEE_TruncateObjectData(h, 50);
	STEP(13, !res && !TEE_GetObjectInfo1(h, &info) && info.dataSize == 50);

	/* shared with nobody: a second writer is refused */
	res = check_open("check/data", TEE_DATA_FLAG_ACCESS_WRITE, &o);
	STEP(14, res == TEE_ERROR_ACCESS_CONFLICT);
	res = TEE_RenamePersistentObject(h, "check/renamed", 13);
	STEP(15, !res);
	TEE_CloseObject(h);
	h = TEE_HANDLE_NULL;
	res = check_open("check/data", TEE_DATA_FLAG_ACCESS_READ, &o);
	STEP(16, res == TEE_ERROR_ITEM_NOT_FOUND);

	/* a key kept as an object, and used as one */
	res = TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &key);
	STEP(17, !res);
	res = TEE_GenerateKey(key, 128, NULL, 0);
	STEP(18, !res);
	res = TEE_CreatePersistentObject(TEE_STORAGE_PRIVATE, "check/key", 9,
					 TEE_DATA_FLAG_ACCESS_READ |
						 TEE_DATA_FLAG_OVERWRITE,
					 key, NULL, 0, NULL);
	STEP(19, !res);
	res = check_open("check/key", TEE_DATA_FLAG_ACCESS_READ, &pkey);
	STEP(20, !res && !TEE_GetObjectInfo1(pkey, &info) &&
			 info.objectType == TEE_TYPE_AES &&
			 info.objectSize == 128);
	res = check_encrypt(key, c1);
	STEP(21, !res);
	res = check_encrypt(pkey, c2);
	STEP(22, !res && !TEE_MemCompare(c1, c2, sizeof(c1)));

	/* enumeration */
	res = TEE_AllocatePersistentObjectEnumerator(&e);
	STEP(23, !res);
	res = TEE_GetNextPersistentObject(e, &info, id, &n);
	STEP(24, res == TEE_ERROR_ITEM_NOT_FOUND); /* not started */
	res = TEE_StartPersistentObjectEnumerator(e, TEE_STORAGE_PRIVATE);
	STEP(25, !res);
	while (!(res = TEE_GetNextPersistentObject(e, &info, id, &n))) {
		if (n == 9 && !TEE_MemCompare(id, "check/key", 9)) {
			key_seen = info.objectType == TEE_TYPE_AES;
			seen++;
		}
		if (n == 13 && !TEE_MemCompare(id, "check/renamed", 13))
			seen += info.dataSize == 50;
	}
	STEP(26, res == TEE_ERROR_ITEM_NOT_FOUND && seen == 2 && key_seen);
	TEE_ResetPersistentObjectEnumerator(e);
	res = TEE_GetNextPersistentObject(e, &info, id, &n);
	STEP(27, res == TEE_ERROR_ITEM_NOT_FOUND);

	/* deletion */
	res = check_open("check/renamed", TEE_DATA_FLAG_ACCESS_WRITE_META, &h);
	STEP(28, !res);
	res = TEE_CloseAndDeletePersistentObject1(h);
	h = TEE_HANDLE_NULL;
	STEP(29, !res);
	res = check_open("check/renamed", TEE_DATA_FLAG_ACCESS_READ, &o);
	STEP(30, res == TEE_ERROR_ITEM_NOT_FOUND);

	/* what the spec answers with an error */
	res = TEE_OpenPersistentObject(0x12345, "check/key", 9,
				       TEE_DATA_FLAG_ACCESS_READ, &o);
	STEP(31, res == TEE_ERROR_ITEM_NOT_FOUND);
	res = check_open("check/key", 0x8000, &o);
	STEP(32, res == TEE_ERROR_BAD_PARAMETERS);
	res = TEE_SUCCESS;
out:
	TEE_FreePersistentObjectEnumerator(e);
	TEE_CloseObject(h);
	TEE_CloseObject(pkey);
	TEE_FreeTransientObject(key);
	if (!check_open("check/key", TEE_DATA_FLAG_ACCESS_WRITE_META, &o))
		TEE_CloseAndDeletePersistentObject1(o);
	TEE_Free(big);
	return TEE_SUCCESS;
}
