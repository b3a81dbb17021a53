// SPDX-License-Identifier: MIT
/*
 * Transient objects: keys held as attributes (private copies of the
 * caller's buffers), with the OpenSSL key built once for RSA and ECC types.
 * The spec's split between errors and panics: a caller's programming error
 * (a bad handle, an initialized object, a missing or foreign attribute, a
 * size past maxObjectSize) panics; an unsupported type or size returns
 * TEE_ERROR_NOT_SUPPORTED; inconsistent key material returns
 * TEE_ERROR_BAD_PARAMETERS and leaves the object uninitialized.
 */
#include "crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/rand.h>
#include <openssl/rsa.h>

#include <stdlib.h>
#include <string.h>

#define TA_ATTRS(...)          \
	{                      \
		__VA_ARGS__, 0 \
	}

struct ta_obj_type {
	uint32_t type;
	uint32_t min_bits, max_bits, step; /* step 0: ECC curve sizes */
	uint32_t required[5];
	uint32_t optional[6];
};

#define TA_RSA_PUBLIC TEE_ATTR_RSA_MODULUS, TEE_ATTR_RSA_PUBLIC_EXPONENT
#define TA_ECC_PUBLIC                                             \
	TEE_ATTR_ECC_PUBLIC_VALUE_X, TEE_ATTR_ECC_PUBLIC_VALUE_Y, \
		TEE_ATTR_ECC_CURVE

static const struct ta_obj_type ta_obj_types[] = {
	{ TEE_TYPE_AES, 128, 256, 64, TA_ATTRS(TEE_ATTR_SECRET_VALUE), { 0 } },
	{ TEE_TYPE_HMAC_SHA1,
	  80,
	  512,
	  8,
	  TA_ATTRS(TEE_ATTR_SECRET_VALUE),
	  { 0 } },
	{ TEE_TYPE_HMAC_SHA224,
	  112,
	  512,
	  8,
	  TA_ATTRS(TEE_ATTR_SECRET_VALUE),
	  { 0 } },
	{ TEE_TYPE_HMAC_SHA256,
	  192,
	  1024,
	  8,
	  TA_ATTRS(TEE_ATTR_SECRET_VALUE),
	  { 0 } },
	{ TEE_TYPE_HMAC_SHA384,
	  256,
	  1024,
	  8,
	  TA_ATTRS(TEE_ATTR_SECRET_VALUE),
	  { 0 } },
	{ TEE_TYPE_HMAC_SHA512,
	  256,
	  1024,
	  8,
	  TA_ATTRS(TEE_ATTR_SECRET_VALUE),
	  { 0 } },
	{ TEE_TYPE_GENERIC_SECRET,
	  8,
	  4096,
	  8,
	  TA_ATTRS(TEE_ATTR_SECRET_VALUE),
	  { 0 } },
	{ TEE_TYPE_RSA_PUBLIC_KEY, 256, 4096, 1, TA_ATTRS(TA_RSA_PUBLIC), { 0 } },
	{ TEE_TYPE_RSA_KEYPAIR, 256, 4096, 1,
	  TA_ATTRS(TA_RSA_PUBLIC, TEE_ATTR_RSA_PRIVATE_EXPONENT),
	  TA_ATTRS(TEE_ATTR_RSA_PRIME1, TEE_ATTR_RSA_PRIME2,
		   TEE_ATTR_RSA_EXPONENT1, TEE_ATTR_RSA_EXPONENT2,
		   TEE_ATTR_RSA_COEFFICIENT) },
	{ TEE_TYPE_ECDSA_PUBLIC_KEY,
	  256,
	  521,
	  0,
	  TA_ATTRS(TA_ECC_PUBLIC),
	  { 0 } },
	{ TEE_TYPE_ECDSA_KEYPAIR,
	  256,
	  521,
	  0,
	  TA_ATTRS(TA_ECC_PUBLIC, TEE_ATTR_ECC_PRIVATE_VALUE),
	  { 0 } },
	{ TEE_TYPE_ECDH_PUBLIC_KEY, 256, 521, 0, TA_ATTRS(TA_ECC_PUBLIC), { 0 } },
	{ TEE_TYPE_ECDH_KEYPAIR,
	  256,
	  521,
	  0,
	  TA_ATTRS(TA_ECC_PUBLIC, TEE_ATTR_ECC_PRIVATE_VALUE),
	  { 0 } },
};

static const struct ta_obj_type *ta_obj_type_of(uint32_t type)
{
	size_t i;

	for (i = 0; i < sizeof(ta_obj_types) / sizeof(ta_obj_types[0]); i++)
		if (ta_obj_types[i].type == type)
			return &ta_obj_types[i];
	return NULL;
}

uint32_t ta_curve_bits(uint32_t curve)
{
	switch (curve) {
	case TEE_ECC_CURVE_NIST_P256:
		return 256;
	case TEE_ECC_CURVE_NIST_P384:
		return 384;
	case TEE_ECC_CURVE_NIST_P521:
		return 521;
	default:
		return 0;
	}
}

const char *ta_curve_name(uint32_t curve)
{
	switch (curve) {
	case TEE_ECC_CURVE_NIST_P256:
		return "P-256";
	case TEE_ECC_CURVE_NIST_P384:
		return "P-384";
	case TEE_ECC_CURVE_NIST_P521:
		return "P-521";
	default:
		return NULL;
	}
}

static bool ta_obj_size_ok(const struct ta_obj_type *t, uint32_t bits)
{
	if (bits < t->min_bits || bits > t->max_bits)
		return false;
	if (!t->step)
		return bits == 256 || bits == 384 || bits == 521;
	return (bits - t->min_bits) % t->step == 0;
}

static bool ta_obj_in(const uint32_t *list, uint32_t id)
{
	for (; *list; list++)
		if (*list == id)
			return true;
	return false;
}

bool ta_obj_is_public_type(uint32_t type)
{
	return type == TEE_TYPE_RSA_PUBLIC_KEY ||
	       type == TEE_TYPE_ECDSA_PUBLIC_KEY ||
	       type == TEE_TYPE_ECDH_PUBLIC_KEY;
}

struct ta_obj *ta_obj_of(TEE_ObjectHandle h, const char *func)
{
	if (!ta_handle_valid(h, TA_HANDLE_OBJECT))
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "not a valid object handle");
	return (struct ta_obj *)h;
}

const struct ta_attr *ta_obj_attr(const struct ta_obj *o, uint32_t id)
{
	unsigned int i;

	for (i = 0; i < o->n_attrs; i++)
		if (o->attrs[i].id == id)
			return &o->attrs[i];
	return NULL;
}

/* Back to allocated-but-empty; the key material is wiped. */
void ta_obj_clear(struct ta_obj *o)
{
	unsigned int i;

	for (i = 0; i < o->n_attrs; i++) {
		if (o->attrs[i].buf) {
			OPENSSL_cleanse(o->attrs[i].buf, o->attrs[i].len);
			free(o->attrs[i].buf);
		}
	}
	EVP_PKEY_free(o->pkey);
	o->pkey = NULL;
	memset(o->attrs, 0, sizeof(o->attrs));
	o->n_attrs = 0;
	o->size = 0;
	o->flags &= ~TEE_HANDLE_FLAG_INITIALIZED;
}

static TEE_Result ta_obj_add_buf(struct ta_obj *o, uint32_t id, const void *buf,
				 size_t len)
{
	struct ta_attr *a = &o->attrs[o->n_attrs];

	a->buf = malloc(len ? len : 1);
	if (!a->buf)
		return TEE_ERROR_OUT_OF_MEMORY;
	if (len)
		memcpy(a->buf, buf, len);
	a->id = id;
	a->len = len;
	o->n_attrs++;
	return TEE_SUCCESS;
}

static void ta_obj_add_value(struct ta_obj *o, uint32_t id, uint32_t a,
			     uint32_t b)
{
	o->attrs[o->n_attrs++] = (struct ta_attr){ .id = id, .a = a, .b = b };
}

TEE_Result TEE_AllocateTransientObject(TEE_ObjectType objectType,
				       uint32_t maxObjectSize,
				       TEE_ObjectHandle *object)
{
	const struct ta_obj_type *t = ta_obj_type_of(objectType);
	struct ta_obj *o;

	TA_PANIC_IF(!object, "object is NULL");
	*object = TEE_HANDLE_NULL;
	if (!t || !ta_obj_size_ok(t, maxObjectSize))
		return TEE_ERROR_NOT_SUPPORTED;
	o = calloc(1, sizeof(*o));
	if (!o || ta_handle_add(o, TA_HANDLE_OBJECT)) {
		free(o);
		return TEE_ERROR_OUT_OF_MEMORY;
	}
	o->type = objectType;
	o->max_size = maxObjectSize;
	o->usage = TEE_USAGE_DEFAULT;
	*object = (TEE_ObjectHandle)o;
	return TEE_SUCCESS;
}

static void ta_obj_free(struct ta_obj *o)
{
	ta_obj_clear(o);
	ta_handle_del(o);
	free(o);
}

void TEE_FreeTransientObject(TEE_ObjectHandle object)
{
	struct ta_obj *o;

	if (object == TEE_HANDLE_NULL)
		return;
	o = ta_obj_of(object, __func__);
	TA_PANIC_IF(o->pobj, "the object is persistent");
	ta_obj_free(o);
}

/* Transient or persistent: a persistent one's storage handle closes. */
void TEE_CloseObject(TEE_ObjectHandle object)
{
	struct ta_obj *o;

	if (object == TEE_HANDLE_NULL)
		return;
	o = ta_obj_of(object, __func__);
	if (o->pobj)
		ta_pobj_close(o);
	ta_obj_free(o);
}

void TEE_ResetTransientObject(TEE_ObjectHandle object)
{
	struct ta_obj *o;

	if (object == TEE_HANDLE_NULL)
		return;
	o = ta_obj_of(object, __func__);
	TA_PANIC_IF(o->pobj, "the object is persistent");
	ta_obj_clear(o);
	o->usage = TEE_USAGE_DEFAULT;
}

static struct ta_obj *ta_obj_empty(TEE_ObjectHandle object, const char *func)
{
	struct ta_obj *o = ta_obj_of(object, func);

	if (o->flags & TEE_HANDLE_FLAG_INITIALIZED)
		ta_rt_panic(TEE_ERROR_BAD_STATE, func,
			    "the object is already initialized");
	return o;
}

/* The object's size from its attributes, once they are in. */
static TEE_Result ta_obj_finish(struct ta_obj *o, const struct ta_obj_type *t,
				const char *func)
{
	const struct ta_attr *a;
	TEE_Result res;

	if (t->step == 0) {
		a = ta_obj_attr(o, TEE_ATTR_ECC_CURVE);
		o->size = ta_curve_bits(a->a);
		if (!o->size)
			return TEE_ERROR_NOT_SUPPORTED;
	} else if ((a = ta_obj_attr(o, TEE_ATTR_SECRET_VALUE))) {
		o->size = (uint32_t)(a->len * 8);
	} else {
		res = ta_pkey_build(o);
		if (res)
			return res;
		o->size = (uint32_t)EVP_PKEY_get_bits(o->pkey);
	}
	if (o->size > o->max_size)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "key larger than the object's maxObjectSize");
	if (!ta_obj_size_ok(t, o->size))
		return TEE_ERROR_BAD_PARAMETERS;
	if (t->step == 0 && !o->pkey) {
		res = ta_pkey_build(o);
		if (res)
			return res;
	}
	o->flags |= TEE_HANDLE_FLAG_INITIALIZED;
	return TEE_SUCCESS;
}

TEE_Result TEE_PopulateTransientObject(TEE_ObjectHandle object,
				       const TEE_Attribute *attrs,
				       uint32_t attrCount)
{
	struct ta_obj *o = ta_obj_empty(object, __func__);
	const struct ta_obj_type *t = ta_obj_type_of(o->type);
	unsigned int i;
	TEE_Result res;

	TA_PANIC_IF(!attrs && attrCount, "attrs is NULL");
	for (i = 0; i < attrCount; i++) {
		uint32_t id = attrs[i].attributeID;

		TA_PANIC_IF(!ta_obj_in(t->required, id) &&
				    !ta_obj_in(t->optional, id),
			    "attribute not defined for the object type");
		TA_PANIC_IF(ta_obj_attr(o, id), "attribute given twice");
		if (id & TEE_ATTR_FLAG_VALUE) {
			ta_obj_add_value(o, id, attrs[i].content.value.a,
					 attrs[i].content.value.b);
			continue;
		}
		TA_CHECK_BUF(attrs[i].content.ref.buffer,
			     attrs[i].content.ref.length);
		res = ta_obj_add_buf(o, id, attrs[i].content.ref.buffer,
				     attrs[i].content.ref.length);
		if (res)
			goto fail;
	}
	for (i = 0; t->required[i]; i++)
		TA_PANIC_IF(!ta_obj_attr(o, t->required[i]),
			    "a mandatory attribute is missing");
	/* the optional RSA CRT values come all together or not at all */
	for (i = 0; t->optional[i]; i++)
		if (!ta_obj_attr(o, t->optional[i]) !=
		    !ta_obj_attr(o, t->optional[0])) {
			res = TEE_ERROR_BAD_PARAMETERS;
			goto fail;
		}
	res = ta_obj_finish(o, t, __func__);
	if (res)
		goto fail;
	return TEE_SUCCESS;
fail:
	ta_obj_clear(o);
	return res;
}

void TEE_InitRefAttribute(TEE_Attribute *attr, uint32_t attributeID,
			  const void *buffer, size_t length)
{
	TA_PANIC_IF(!attr, "attr is NULL");
	TA_PANIC_IF(attributeID & TEE_ATTR_FLAG_VALUE,
		    "attributeID names a value attribute");
	attr->attributeID = attributeID;
	attr->content.ref.buffer = (void *)buffer;
	attr->content.ref.length = length;
}

void TEE_InitValueAttribute(TEE_Attribute *attr, uint32_t attributeID,
			    uint32_t a, uint32_t b)
{
	TA_PANIC_IF(!attr, "attr is NULL");
	TA_PANIC_IF(!(attributeID & TEE_ATTR_FLAG_VALUE),
		    "attributeID names a buffer attribute");
	attr->attributeID = attributeID;
	attr->content.value.a = a;
	attr->content.value.b = b;
}

/* The attribute a getter may read; panics where the spec says so. */
static const struct ta_attr *ta_obj_readable(struct ta_obj *o, uint32_t id,
					     bool value, const char *func)
{
	if (!!(id & TEE_ATTR_FLAG_VALUE) != value)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    value ? "attributeID names a buffer attribute" :
				    "attributeID names a value attribute");
	if (!(id & TEE_ATTR_FLAG_PUBLIC) && !(o->usage & TEE_USAGE_EXTRACTABLE))
		ta_rt_panic(TEE_ERROR_ACCESS_DENIED, func,
			    "secret attribute of a non-extractable object");
	return ta_obj_attr(o, id);
}

TEE_Result TEE_GetObjectBufferAttribute(TEE_ObjectHandle object,
					uint32_t attributeID, void *buffer,
					size_t *size)
{
	struct ta_obj *o = ta_obj_of(object, __func__);
	const struct ta_attr *a;

	TA_PANIC_IF(!size, "size is NULL");
	a = ta_obj_readable(o, attributeID, false, __func__);
	if (!a)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (!buffer || *size < a->len) {
		*size = a->len;
		return TEE_ERROR_SHORT_BUFFER;
	}
	memcpy(buffer, a->buf, a->len);
	*size = a->len;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetObjectValueAttribute(TEE_ObjectHandle object,
				       uint32_t attributeID, uint32_t *a,
				       uint32_t *b)
{
	struct ta_obj *o = ta_obj_of(object, __func__);
	const struct ta_attr *attr;

	attr = ta_obj_readable(o, attributeID, true, __func__);
	if (!attr)
		return TEE_ERROR_ITEM_NOT_FOUND;
	if (a)
		*a = attr->a;
	if (b)
		*b = attr->b;
	return TEE_SUCCESS;
}

TEE_Result TEE_GetObjectInfo1(TEE_ObjectHandle object,
			      TEE_ObjectInfo *objectInfo)
{
	struct ta_obj *o = ta_obj_of(object, __func__);

	TA_PANIC_IF(!objectInfo, "objectInfo is NULL");
	memset(objectInfo, 0, sizeof(*objectInfo));
	objectInfo->objectType = o->type;
	objectInfo->objectSize = o->size;
	objectInfo->maxObjectSize = o->max_size;
	objectInfo->objectUsage = o->usage;
	objectInfo->handleFlags = o->flags;
	/* a persistent object's data stream: the storage knows it */
	return o->pobj ? ta_pobj_info(o, objectInfo) : TEE_SUCCESS;
}

void TEE_GetObjectInfo(TEE_ObjectHandle object, TEE_ObjectInfo *objectInfo)
{
	TEE_GetObjectInfo1(object, objectInfo);
}

TEE_Result TEE_RestrictObjectUsage1(TEE_ObjectHandle object,
				    uint32_t objectUsage)
{
	struct ta_obj *o = ta_obj_of(object, __func__);

	o->usage &= objectUsage;
	return TEE_SUCCESS;
}

void TEE_RestrictObjectUsage(TEE_ObjectHandle object, uint32_t objectUsage)
{
	TEE_RestrictObjectUsage1(object, objectUsage);
}

/* May @src's attributes go into an object of type @dst_type? A key pair
 * gives its public half to a public key of its family. */
static bool ta_obj_copy_ok(uint32_t dst_type, uint32_t src_type)
{
	return dst_type == src_type || (ta_obj_is_public_type(dst_type) &&
					(dst_type | 0x01000000u) == src_type);
}

TEE_Result TEE_CopyObjectAttributes1(TEE_ObjectHandle destObject,
				     TEE_ObjectHandle srcObject)
{
	struct ta_obj *dst = ta_obj_empty(destObject, __func__);
	struct ta_obj *src = ta_obj_of(srcObject, __func__);
	const struct ta_obj_type *t = ta_obj_type_of(dst->type);
	unsigned int i;
	TEE_Result res;

	TA_PANIC_IF(!(src->flags & TEE_HANDLE_FLAG_INITIALIZED),
		    "the source object is not initialized");
	if (!ta_obj_copy_ok(dst->type, src->type) || src->size > dst->max_size)
		return TEE_ERROR_BAD_PARAMETERS;
	for (i = 0; i < src->n_attrs; i++) {
		const struct ta_attr *a = &src->attrs[i];

		if (!ta_obj_in(t->required, a->id) &&
		    !ta_obj_in(t->optional, a->id))
			continue;
		if (a->buf) {
			res = ta_obj_add_buf(dst, a->id, a->buf, a->len);
			if (res) {
				ta_obj_clear(dst);
				return res;
			}
		} else {
			ta_obj_add_value(dst, a->id, a->a, a->b);
		}
	}
	res = ta_obj_finish(dst, t, __func__);
	if (res) {
		ta_obj_clear(dst);
		return res;
	}
	dst->usage &= src->usage;
	return TEE_SUCCESS;
}

void TEE_CopyObjectAttributes(TEE_ObjectHandle destObject,
			      TEE_ObjectHandle srcObject)
{
	TEE_Result res = TEE_CopyObjectAttributes1(destObject, srcObject);

	if (res)
		ta_rt_panic(res, __func__, "the objects are incompatible");
}

/* Stores an OpenSSL bignum parameter of @pkey as a buffer attribute. */
static TEE_Result ta_obj_add_bn(struct ta_obj *o, uint32_t id, EVP_PKEY *pkey,
				const char *param)
{
	uint8_t bytes[TA_KEY_MAX * 8];
	BIGNUM *bn = NULL;
	TEE_Result res;
	int len;

	if (!EVP_PKEY_get_bn_param(pkey, param, &bn))
		return TEE_ERROR_GENERIC;
	len = BN_bn2bin(bn, bytes);
	BN_clear_free(bn);
	res = ta_obj_add_buf(o, id, bytes, (size_t)len);
	OPENSSL_cleanse(bytes, sizeof(bytes));
	return res;
}

static TEE_Result ta_obj_gen_rsa(struct ta_obj *o, uint32_t bits,
				 const TEE_Attribute *params, uint32_t count)
{
	static const struct {
		uint32_t id;
		const char *name;
	} rsa_params[] = {
		{ TEE_ATTR_RSA_MODULUS, OSSL_PKEY_PARAM_RSA_N },
		{ TEE_ATTR_RSA_PUBLIC_EXPONENT, OSSL_PKEY_PARAM_RSA_E },
		{ TEE_ATTR_RSA_PRIVATE_EXPONENT, OSSL_PKEY_PARAM_RSA_D },
		{ TEE_ATTR_RSA_PRIME1, OSSL_PKEY_PARAM_RSA_FACTOR1 },
		{ TEE_ATTR_RSA_PRIME2, OSSL_PKEY_PARAM_RSA_FACTOR2 },
		{ TEE_ATTR_RSA_EXPONENT1, OSSL_PKEY_PARAM_RSA_EXPONENT1 },
		{ TEE_ATTR_RSA_EXPONENT2, OSSL_PKEY_PARAM_RSA_EXPONENT2 },
		{ TEE_ATTR_RSA_COEFFICIENT, OSSL_PKEY_PARAM_RSA_COEFFICIENT1 },
	};
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL);
	BIGNUM *e = NULL;
	EVP_PKEY *pkey = NULL;
	TEE_Result res = TEE_ERROR_GENERIC;
	unsigned int i;

	for (i = 0; i < count; i++)
		if (params[i].attributeID == TEE_ATTR_RSA_PUBLIC_EXPONENT)
			e = BN_bin2bn(params[i].content.ref.buffer,
				      (int)params[i].content.ref.length, NULL);
	if (!ctx || EVP_PKEY_keygen_init(ctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_keygen_bits(ctx, (int)bits) <= 0 ||
	    (e && EVP_PKEY_CTX_set1_rsa_keygen_pubexp(ctx, e) <= 0)) {
		res = TEE_ERROR_BAD_PARAMETERS;
		goto out;
	}
	if (EVP_PKEY_generate(ctx, &pkey) <= 0)
		goto out;
	for (i = 0; i < sizeof(rsa_params) / sizeof(rsa_params[0]); i++) {
		res = ta_obj_add_bn(o, rsa_params[i].id, pkey,
				    rsa_params[i].name);
		if (res)
			goto out;
	}
	o->pkey = pkey;
	pkey = NULL;
	res = TEE_SUCCESS;
out:
	EVP_PKEY_free(pkey);
	BN_free(e);
	EVP_PKEY_CTX_free(ctx);
	return res;
}

static TEE_Result ta_obj_gen_ecc(struct ta_obj *o, uint32_t bits,
				 const TEE_Attribute *params, uint32_t count)
{
	const TEE_Attribute *curve = NULL;
	EVP_PKEY *pkey;
	TEE_Result res;
	unsigned int i;

	for (i = 0; i < count; i++)
		if (params[i].attributeID == TEE_ATTR_ECC_CURVE)
			curve = &params[i];
	if (!curve)
		TA_PANIC("TEE_ATTR_ECC_CURVE is missing");
	if (!ta_curve_name(curve->content.value.a))
		return TEE_ERROR_NOT_SUPPORTED;
	if (ta_curve_bits(curve->content.value.a) != bits)
		return TEE_ERROR_BAD_PARAMETERS;
	pkey = EVP_PKEY_Q_keygen(NULL, NULL, "EC",
				 ta_curve_name(curve->content.value.a));
	if (!pkey)
		return TEE_ERROR_GENERIC;
	ta_obj_add_value(o, TEE_ATTR_ECC_CURVE, curve->content.value.a, 0);
	res = ta_obj_add_bn(o, TEE_ATTR_ECC_PRIVATE_VALUE, pkey,
			    OSSL_PKEY_PARAM_PRIV_KEY);
	if (!res)
		res = ta_obj_add_bn(o, TEE_ATTR_ECC_PUBLIC_VALUE_X, pkey,
				    OSSL_PKEY_PARAM_EC_PUB_X);
	if (!res)
		res = ta_obj_add_bn(o, TEE_ATTR_ECC_PUBLIC_VALUE_Y, pkey,
				    OSSL_PKEY_PARAM_EC_PUB_Y);
	if (res) {
		EVP_PKEY_free(pkey);
		return res;
	}
	o->pkey = pkey;
	return TEE_SUCCESS;
}

TEE_Result TEE_GenerateKey(TEE_ObjectHandle object, uint32_t keySize,
			   const TEE_Attribute *params, uint32_t paramCount)
{
	struct ta_obj *o = ta_obj_empty(object, __func__);
	const struct ta_obj_type *t = ta_obj_type_of(o->type);
	uint8_t secret[TA_KEY_MAX * 4];
	TEE_Result res;

	TA_PANIC_IF(!params && paramCount, "params is NULL");
	TA_PANIC_IF(keySize > o->max_size || !ta_obj_size_ok(t, keySize),
		    "keySize not supported for the object");
	switch (o->type) {
	case TEE_TYPE_RSA_KEYPAIR:
		TA_PANIC_IF(keySize < 512, "RSA keySize below 512 bits");
		res = ta_obj_gen_rsa(o, keySize, params, paramCount);
		break;
	case TEE_TYPE_ECDSA_KEYPAIR:
	case TEE_TYPE_ECDH_KEYPAIR:
		res = ta_obj_gen_ecc(o, keySize, params, paramCount);
		break;
	case TEE_TYPE_RSA_PUBLIC_KEY:
	case TEE_TYPE_ECDSA_PUBLIC_KEY:
	case TEE_TYPE_ECDH_PUBLIC_KEY:
		TA_PANIC("cannot generate a public key alone");
	default:
		if (RAND_bytes(secret, (int)(keySize / 8)) != 1)
			TA_PANIC("the random generator failed");
		res = ta_obj_add_buf(o, TEE_ATTR_SECRET_VALUE, secret,
				     keySize / 8);
		OPENSSL_cleanse(secret, sizeof(secret));
		break;
	}
	if (res) {
		ta_obj_clear(o);
		return res;
	}
	o->size = keySize;
	o->flags |= TEE_HANDLE_FLAG_INITIALIZED;
	return TEE_SUCCESS;
}
