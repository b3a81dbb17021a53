// SPDX-License-Identifier: MIT
/*
 * Transient objects and properties, with their error paths: unsupported
 * types and sizes, SHORT_BUFFER with the size written back, ITEM_NOT_FOUND,
 * BAD_FORMAT, a key pair's public half copied out, usage restriction; and
 * the panics: a missing or foreign attribute, a value/buffer ID mix-up, a
 * secret read from a non-extractable object, an initialized object
 * populated again, a bad enumerator.
 */
#include "sdk_test.h"

static const uint8_t obj_key[32] = { 1, 2,  3,	4,  5,	6,  7,	8,
				     9, 10, 11, 12, 13, 14, 15, 16 };

static TEE_ObjectHandle obj_aes(void)
{
	TEE_ObjectHandle o;
	TEE_Attribute a;

	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 256, &o),
		 TEE_SUCCESS);
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, obj_key, 16);
	CHECK_EQ(TEE_PopulateTransientObject(o, &a, 1), TEE_SUCCESS);
	return o;
}

static void obj_missing_attr(void *arg)
{
	TEE_ObjectHandle o;

	(void)arg;
	TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &o);
	TEE_PopulateTransientObject(o, NULL, 0);
}

static void obj_foreign_attr(void *arg)
{
	TEE_ObjectHandle o;
	TEE_Attribute a;

	(void)arg;
	TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &o);
	TEE_InitRefAttribute(&a, TEE_ATTR_RSA_MODULUS, obj_key, 16);
	TEE_PopulateTransientObject(o, &a, 1);
}

static void obj_ref_with_value_id(void *arg)
{
	TEE_Attribute a;

	(void)arg;
	TEE_InitRefAttribute(&a, TEE_ATTR_ECC_CURVE, obj_key, 4);
}

static void obj_not_extractable(void *arg)
{
	TEE_ObjectHandle o = obj_aes();
	uint8_t buf[32];
	size_t len = sizeof(buf);

	(void)arg;
	TEE_RestrictObjectUsage1(o, TEE_USAGE_ENCRYPT);
	TEE_GetObjectBufferAttribute(o, TEE_ATTR_SECRET_VALUE, buf, &len);
}

static void obj_populate_twice(void *arg)
{
	TEE_ObjectHandle o = obj_aes();
	TEE_Attribute a;

	(void)arg;
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, obj_key, 16);
	TEE_PopulateTransientObject(o, &a, 1);
}

static void obj_too_big(void *arg)
{
	TEE_ObjectHandle o;
	TEE_Attribute a;

	(void)arg;
	TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &o);
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, obj_key, 32);
	TEE_PopulateTransientObject(o, &a, 1);
}

static void obj_bad_enum(void *arg)
{
	char name[64];
	size_t len = sizeof(name);

	TEE_GetPropertyName((TEE_PropSetHandle)arg, name, &len);
}

static void obj_properties(void)
{
	struct ta_session s = { .client = { TEE_LOGIN_APPLICATION,
					    { 0xabcdef01 } } };
	TEE_PropSetHandle e;
	TEE_Identity id;
	TEE_UUID uuid;
	uint8_t blob[8];
	char str[64];
	uint32_t u32;
	uint64_t u64;
	bool flag;
	size_t len;
	int count;

	len = sizeof(str);
	CHECK_EQ(TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA,
					 "gpd.ta.description", str, &len),
		 TEE_SUCCESS);
	CHECK(!strcmp(str, "in-process SDK test"));
	CHECK_EQ(len, sizeof("in-process SDK test"));
	len = 3;
	CHECK_EQ(TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID",
					 str, &len),
		 TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(len, 37);
	CHECK_EQ(TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID",
					 str, &len),
		 TEE_SUCCESS);
	CHECK(!strcmp(str, "11223344-5566-7788-99aa-bbccddeeff00"));
	CHECK_EQ(TEE_GetPropertyAsUUID(TEE_PROPSET_CURRENT_TA, "gpd.ta.appID",
				       &uuid),
		 TEE_SUCCESS);
	CHECK_EQ(uuid.timeLow, 0x11223344);
	CHECK_EQ(TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA,
				       "gpd.ta.singleInstance", &flag),
		 TEE_SUCCESS);
	CHECK(flag);
	CHECK_EQ(TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA, "org.teeq.flag",
				       &flag),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA,
				      "gpd.ta.stackSize", &u32),
		 TEE_SUCCESS);
	CHECK_EQ(u32, 8192);
	CHECK_EQ(TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "org.teeq.word",
				      &u32),
		 TEE_SUCCESS);
	CHECK_EQ(u32, 42);
	CHECK_EQ(TEE_GetPropertyAsU64(TEE_PROPSET_CURRENT_TA, "org.teeq.number",
				      &u64),
		 TEE_SUCCESS);
	CHECK_EQ(u64, 42);
	CHECK_EQ(TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "org.teeq.text",
				      &u32),
		 TEE_ERROR_BAD_FORMAT);
	CHECK_EQ(TEE_GetPropertyAsBool(TEE_PROPSET_CURRENT_TA,
				       "org.teeq.number", &flag),
		 TEE_ERROR_BAD_FORMAT);
	CHECK_EQ(TEE_GetPropertyAsU32(TEE_PROPSET_CURRENT_TA, "no.such", &u32),
		 TEE_ERROR_ITEM_NOT_FOUND);
	len = 2;
	CHECK_EQ(TEE_GetPropertyAsBinaryBlock(TEE_PROPSET_CURRENT_TA,
					      "org.teeq.blob", blob, &len),
		 TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(len, 4);
	CHECK_EQ(TEE_GetPropertyAsBinaryBlock(TEE_PROPSET_CURRENT_TA,
					      "org.teeq.blob", blob, &len),
		 TEE_SUCCESS);
	CHECK_MEM(blob, "teeq", 4);
	len = sizeof(str);
	CHECK_EQ(TEE_GetPropertyAsString(TEE_PROPSET_TEE_IMPLEMENTATION,
					 "gpd.tee.apiversion", str, &len),
		 TEE_SUCCESS);
	CHECK(!strcmp(str, "1.3.1"));
	/* no client outside a session; inside, the one the host gave */
	CHECK_EQ(TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT,
					   "gpd.client.identity", &id),
		 TEE_ERROR_ITEM_NOT_FOUND);
	ta_rt.call.session = &s;
	CHECK_EQ(TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_CLIENT,
					   "gpd.client.identity", &id),
		 TEE_SUCCESS);
	CHECK_EQ(id.login, TEE_LOGIN_APPLICATION);
	CHECK_EQ(id.uuid.timeLow, 0xabcdef01);
	len = sizeof(str);
	CHECK_EQ(TEE_GetPropertyAsString(TEE_PROPSET_CURRENT_CLIENT,
					 "gpd.client.identity", str, &len),
		 TEE_SUCCESS);
	CHECK(!strcmp(str, "4:abcdef01-0000-0000-0000-000000000000"));
	CHECK_EQ(TEE_GetPropertyAsIdentity(TEE_PROPSET_CURRENT_TA,
					   "gpd.ta.description", &id),
		 TEE_ERROR_BAD_FORMAT);
	ta_rt.call.session = NULL;

	/* walking the current TA: appID, 7 gpd.ta.*, 5 of its own */
	CHECK_EQ(TEE_AllocatePropertyEnumerator(&e), TEE_SUCCESS);
	len = sizeof(str);
	CHECK_EQ(TEE_GetPropertyName(e, str, &len), TEE_ERROR_ITEM_NOT_FOUND);
	TEE_StartPropertyEnumerator(e, TEE_PROPSET_CURRENT_TA);
	count = 1;
	while (TEE_GetNextProperty(e) == TEE_SUCCESS)
		count++;
	CHECK_EQ(count, 13);
	TEE_ResetPropertyEnumerator(e);
	TEE_StartPropertyEnumerator(e, TEE_PROPSET_CURRENT_TA);
	len = 2;
	CHECK_EQ(TEE_GetPropertyName(e, str, &len), TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(len, sizeof("gpd.ta.appID"));
	CHECK_EQ(TEE_GetPropertyName(e, str, &len), TEE_SUCCESS);
	CHECK(!strcmp(str, "gpd.ta.appID"));
	CHECK_EQ(TEE_GetPropertyAsUUID(e, NULL, &uuid), TEE_SUCCESS);
	CHECK_EQ(uuid.timeMid, 0x5566);
	TEE_FreePropertyEnumerator(e);
	CHECK_PANIC(obj_bad_enum, e, "TEE_GetPropertyName");
}

int main(void)
{
	TEE_ObjectHandle o, rsa, pub;
	TEE_ObjectInfo info;
	uint8_t buf[600];
	uint32_t a, b;
	size_t len;

	sdk_test_init();
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 100, &o),
		 TEE_ERROR_NOT_SUPPORTED);
	CHECK(o == TEE_HANDLE_NULL);
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_DES, 64, &o),
		 TEE_ERROR_NOT_SUPPORTED);
	o = obj_aes();
	CHECK_EQ(TEE_GetObjectInfo1(o, &info), TEE_SUCCESS);
	CHECK_EQ(info.objectType, TEE_TYPE_AES);
	CHECK_EQ(info.objectSize, 128);
	CHECK_EQ(info.maxObjectSize, 256);
	CHECK_EQ(info.handleFlags, TEE_HANDLE_FLAG_INITIALIZED);
	len = 4;
	CHECK_EQ(TEE_GetObjectBufferAttribute(o, TEE_ATTR_SECRET_VALUE, buf,
					      &len),
		 TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(len, 16);
	CHECK_EQ(TEE_GetObjectBufferAttribute(o, TEE_ATTR_SECRET_VALUE, buf,
					      &len),
		 TEE_SUCCESS);
	CHECK_MEM(buf, obj_key, 16);
	CHECK_EQ(TEE_GetObjectValueAttribute(o, TEE_ATTR_ECC_CURVE, &a, &b),
		 TEE_ERROR_ITEM_NOT_FOUND);
	TEE_ResetTransientObject(o);
	CHECK_EQ(TEE_GetObjectInfo1(o, &info), TEE_SUCCESS);
	CHECK_EQ(info.objectSize, 0);
	CHECK_EQ(info.handleFlags, 0);
	/* a 20-byte secret is no AES key */
	TEE_Attribute attr;
	TEE_InitRefAttribute(&attr, TEE_ATTR_SECRET_VALUE, obj_key, 20);
	CHECK_EQ(TEE_PopulateTransientObject(o, &attr, 1),
		 TEE_ERROR_BAD_PARAMETERS);
	TEE_FreeTransientObject(o);
	TEE_FreeTransientObject(TEE_HANDLE_NULL);

	/* a key pair's public half, and only that, goes to a public key */
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 1024, &rsa),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_GenerateKey(rsa, 1024, NULL, 0), TEE_SUCCESS);
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_RSA_PUBLIC_KEY, 1024,
					     &pub),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_CopyObjectAttributes1(pub, rsa), TEE_SUCCESS);
	len = sizeof(buf);
	CHECK_EQ(TEE_GetObjectBufferAttribute(pub, TEE_ATTR_RSA_MODULUS, buf,
					      &len),
		 TEE_SUCCESS);
	CHECK_EQ(len, 128);
	CHECK_EQ(TEE_GetObjectBufferAttribute(pub, TEE_ATTR_RSA_PRIME1, buf,
					      &len),
		 TEE_ERROR_ITEM_NOT_FOUND);
	TEE_FreeTransientObject(pub);
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_AES, 128, &pub),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_CopyObjectAttributes1(pub, rsa), TEE_ERROR_BAD_PARAMETERS);
	TEE_FreeTransientObject(pub);
	TEE_FreeTransientObject(rsa);

	CHECK_PANIC(obj_missing_attr, NULL, "TEE_PopulateTransientObject");
	CHECK_PANIC(obj_foreign_attr, NULL, "TEE_PopulateTransientObject");
	CHECK_PANIC(obj_ref_with_value_id, NULL, "TEE_InitRefAttribute");
	CHECK_PANIC(obj_not_extractable, NULL, "TEE_GetObjectBufferAttribute");
	CHECK_PANIC(obj_populate_twice, NULL, "TEE_PopulateTransientObject");
	CHECK_PANIC(obj_too_big, NULL, "TEE_PopulateTransientObject");
	obj_properties();
	return T_PASS;
}
