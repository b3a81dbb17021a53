// SPDX-License-Identifier: MIT
/*
 * Cryptographic operations: the algorithm table, allocation, keys, reset,
 * copy and information. The class-specific functions (digest.c, mac.c,
 * cipher.c, ae.c, asym.c, derive.c) run on what is set up here.
 *
 * State, as GP defines it: an operation is in the initial state until an
 * init function (or a digest update) makes it active, and back in the
 * initial state after a final function or TEE_ResetOperation; keys are set
 * only in the initial state. Calls out of order, wrong-class calls, keys of
 * the wrong type, size or usage, and bad handles panic.
 */
#include "crypto.h"

#include <openssl/crypto.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct ta_alg ta_algs[] = {
	{ TEE_ALG_SHA1, TEE_OPERATION_DIGEST, TEE_ALG_SHA1, NULL },
	{ TEE_ALG_SHA224, TEE_OPERATION_DIGEST, TEE_ALG_SHA224, NULL },
	{ TEE_ALG_SHA256, TEE_OPERATION_DIGEST, TEE_ALG_SHA256, NULL },
	{ TEE_ALG_SHA384, TEE_OPERATION_DIGEST, TEE_ALG_SHA384, NULL },
	{ TEE_ALG_SHA512, TEE_OPERATION_DIGEST, TEE_ALG_SHA512, NULL },
	{ TEE_ALG_HMAC_SHA1, TEE_OPERATION_MAC, TEE_ALG_SHA1, "HMAC" },
	{ TEE_ALG_HMAC_SHA224, TEE_OPERATION_MAC, TEE_ALG_SHA224, "HMAC" },
	{ TEE_ALG_HMAC_SHA256, TEE_OPERATION_MAC, TEE_ALG_SHA256, "HMAC" },
	{ TEE_ALG_HMAC_SHA384, TEE_OPERATION_MAC, TEE_ALG_SHA384, "HMAC" },
	{ TEE_ALG_HMAC_SHA512, TEE_OPERATION_MAC, TEE_ALG_SHA512, "HMAC" },
	{ TEE_ALG_AES_CMAC, TEE_OPERATION_MAC, 0, "CMAC" },
	{ TEE_ALG_AES_ECB_NOPAD, TEE_OPERATION_CIPHER, 0, "ECB" },
	{ TEE_ALG_AES_CBC_NOPAD, TEE_OPERATION_CIPHER, 0, "CBC" },
	{ TEE_ALG_AES_CTR, TEE_OPERATION_CIPHER, 0, "CTR" },
	{ TEE_ALG_AES_CTS, TEE_OPERATION_CIPHER, 0, "ECB" },
	{ TEE_ALG_AES_XTS, TEE_OPERATION_CIPHER, 0, "ECB" },
	{ TEE_ALG_AES_GCM, TEE_OPERATION_AE, 0, "GCM" },
	{ TEE_ALG_AES_CCM, TEE_OPERATION_AE, 0, "CCM" },
	{ TEE_ALG_RSAES_PKCS1_V1_5, TEE_OPERATION_ASYMMETRIC_CIPHER, 0, NULL },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA1, TEE_OPERATION_ASYMMETRIC_CIPHER,
	  TEE_ALG_SHA1, NULL },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA224, TEE_OPERATION_ASYMMETRIC_CIPHER,
	  TEE_ALG_SHA224, NULL },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_OPERATION_ASYMMETRIC_CIPHER,
	  TEE_ALG_SHA256, NULL },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA384, TEE_OPERATION_ASYMMETRIC_CIPHER,
	  TEE_ALG_SHA384, NULL },
	{ TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA512, TEE_OPERATION_ASYMMETRIC_CIPHER,
	  TEE_ALG_SHA512, NULL },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA1, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
	  TEE_ALG_SHA1, NULL },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA224, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
	  TEE_ALG_SHA224, NULL },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA256, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
	  TEE_ALG_SHA256, NULL },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA384, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
	  TEE_ALG_SHA384, NULL },
	{ TEE_ALG_RSASSA_PKCS1_V1_5_SHA512, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
	  TEE_ALG_SHA512, NULL },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA1,
	  TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_ALG_SHA1, NULL },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA224,
	  TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_ALG_SHA224, NULL },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256,
	  TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_ALG_SHA256, NULL },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA384,
	  TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_ALG_SHA384, NULL },
	{ TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA512,
	  TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_ALG_SHA512, NULL },
	{ TEE_ALG_ECDSA_SHA1, TEE_OPERATION_ASYMMETRIC_SIGNATURE, TEE_ALG_SHA1,
	  NULL },
	{ TEE_ALG_ECDSA_SHA224, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
	  TEE_ALG_SHA224, NULL },
	{ TEE_ALG_ECDSA_SHA256, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
	  TEE_ALG_SHA256, NULL },
	{ TEE_ALG_ECDSA_SHA384, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
	  TEE_ALG_SHA384, NULL },
	{ TEE_ALG_ECDSA_SHA512, TEE_OPERATION_ASYMMETRIC_SIGNATURE,
	  TEE_ALG_SHA512, NULL },
	{ TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_OPERATION_KEY_DERIVATION, 0,
	  NULL },
};

static const struct ta_alg *ta_op_alg(uint32_t alg)
{
	size_t i;

	for (i = 0; i < sizeof(ta_algs) / sizeof(ta_algs[0]); i++)
		if (ta_algs[i].alg == alg)
			return &ta_algs[i];
	return NULL;
}

static bool ta_op_is_aes(uint32_t alg)
{
	return (alg & 0xFF) == 0x10;
}

static bool ta_op_is_rsa(uint32_t alg)
{
	return (alg & 0xFF) == 0x30;
}

static bool ta_op_is_ecc(uint32_t alg)
{
	return (alg & 0xFF) == 0x42;
}

static bool ta_op_mode_ok(uint32_t op_class, uint32_t mode)
{
	switch (op_class) {
	case TEE_OPERATION_DIGEST:
		return mode == TEE_MODE_DIGEST;
	case TEE_OPERATION_MAC:
		return mode == TEE_MODE_MAC;
	case TEE_OPERATION_CIPHER:
	case TEE_OPERATION_AE:
	case TEE_OPERATION_ASYMMETRIC_CIPHER:
		return mode == TEE_MODE_ENCRYPT || mode == TEE_MODE_DECRYPT;
	case TEE_OPERATION_ASYMMETRIC_SIGNATURE:
		return mode == TEE_MODE_SIGN || mode == TEE_MODE_VERIFY;
	default:
		return mode == TEE_MODE_DERIVE;
	}
}

/* The key sizes (bits) an operation of @a may be allocated for. */
static bool ta_op_key_size_ok(const struct ta_alg *a, uint32_t bits)
{
	static const uint32_t hmac_min[] = { 80, 112, 192, 256, 256 };

	if (a->op_class == TEE_OPERATION_DIGEST)
		return true;
	if (ta_op_is_aes(a->alg))
		return bits == 128 || bits == 192 || bits == 256;
	if (ta_op_is_rsa(a->alg))
		return bits >= 256 && bits <= 4096;
	if (ta_op_is_ecc(a->alg))
		return bits == 256 || bits == 384 || bits == 521;
	/* HMAC: per hash, in whole bytes */
	return bits % 8 == 0 && bits >= hmac_min[a->hash - TEE_ALG_SHA1] &&
	       bits <= (a->hash <= TEE_ALG_SHA224 ? 512u : 1024u);
}

static uint32_t ta_op_required_usage(uint32_t mode)
{
	switch (mode) {
	case TEE_MODE_ENCRYPT:
		return TEE_USAGE_ENCRYPT;
	case TEE_MODE_DECRYPT:
		return TEE_USAGE_DECRYPT;
	case TEE_MODE_SIGN:
		return TEE_USAGE_SIGN;
	case TEE_MODE_VERIFY:
		return TEE_USAGE_VERIFY;
	case TEE_MODE_MAC:
		return TEE_USAGE_MAC;
	case TEE_MODE_DERIVE:
		return TEE_USAGE_DERIVE;
	default:
		return 0;
	}
}

EVP_CIPHER *ta_op_fetch_cipher(const char *mode, size_t key_len)
{
	char name[32];

	snprintf(name, sizeof(name), "AES-%zu-%s", key_len * 8, mode);
	return EVP_CIPHER_fetch(NULL, name, NULL);
}

struct ta_op *ta_op_of(TEE_OperationHandle h, const char *func)
{
	if (!ta_handle_valid(h, TA_HANDLE_OPERATION))
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "not a valid operation handle");
	return (struct ta_op *)h;
}

struct ta_op *ta_op_check(TEE_OperationHandle h, uint32_t op_class,
			  const char *func)
{
	struct ta_op *op = ta_op_of(h, func);

	if (op->info.operationClass != op_class)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "operation of another class");
	return op;
}

TEE_Result ta_op_room(size_t need, void *dest, size_t *dest_len,
		      const char *func)
{
	if (!dest_len)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "output length is NULL");
	if (*dest_len < need) {
		*dest_len = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	if (!dest && need)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func, "output is NULL");
	return TEE_SUCCESS;
}

static void ta_op_digest_start(struct ta_op *op)
{
	EVP_MD *md = EVP_MD_fetch(NULL, ta_hash_name(op->alg->hash), NULL);

	if (!md || !EVP_DigestInit_ex2(op->md, md, NULL))
		TA_PANIC("OpenSSL digest set-up failed");
	EVP_MD_free(md);
}

void ta_op_restart(struct ta_op *op)
{
	op->state = TEE_OPERATION_STATE_INITIAL;
	op->held_len = 0;
	op->payload_started = false;
	op->aad_done = op->payload_done = 0;
	free(op->ccm_aad);
	free(op->ccm_data);
	op->ccm_aad = op->ccm_data = NULL;
	switch (op->info.operationClass) {
	case TEE_OPERATION_DIGEST:
		ta_op_digest_start(op);
		break;
	case TEE_OPERATION_CIPHER:
	case TEE_OPERATION_MAC:
	case TEE_OPERATION_AE:
		op->info.handleState &= ~TEE_HANDLE_FLAG_INITIALIZED;
		break;
	}
}

TEE_Result TEE_AllocateOperation(TEE_OperationHandle *operation,
				 uint32_t algorithm, uint32_t mode,
				 uint32_t maxKeySize)
{
	const struct ta_alg *a = ta_op_alg(algorithm);
	struct ta_op *op;
	EVP_MAC *mac;

	TA_PANIC_IF(!operation, "operation is NULL");
	*operation = TEE_HANDLE_NULL;
	if (!a || !ta_op_mode_ok(a->op_class, mode) ||
	    !ta_op_key_size_ok(a, maxKeySize))
		return TEE_ERROR_NOT_SUPPORTED;
	op = calloc(1, sizeof(*op));
	if (!op)
		return TEE_ERROR_OUT_OF_MEMORY;
	op->alg = a;
	op->info.algorithm = algorithm;
	op->info.operationClass = a->op_class;
	op->info.mode = mode;
	op->info.maxKeySize = a->op_class == TEE_OPERATION_DIGEST ? 0 :
								    maxKeySize;
	op->info.requiredKeyUsage = ta_op_required_usage(mode);
	switch (a->op_class) {
	case TEE_OPERATION_DIGEST:
		op->info.digestLength = (uint32_t)ta_hash_len(a->hash);
		op->info.handleState = TEE_HANDLE_FLAG_INITIALIZED;
		op->md = EVP_MD_CTX_new();
		if (!op->md)
			goto nomem;
		ta_op_digest_start(op);
		break;
	case TEE_OPERATION_MAC:
		op->info.digestLength =
			a->hash ? (uint32_t)ta_hash_len(a->hash) : 16;
		mac = EVP_MAC_fetch(NULL, a->name, NULL);
		op->mac = mac ? EVP_MAC_CTX_new(mac) : NULL;
		EVP_MAC_free(mac);
		if (!op->mac)
			goto nomem;
		break;
	case TEE_OPERATION_CIPHER:
	case TEE_OPERATION_AE:
		op->cipher = EVP_CIPHER_CTX_new();
		if (!op->cipher)
			goto nomem;
		if (algorithm == TEE_ALG_AES_XTS) {
			op->info.handleState = TEE_HANDLE_FLAG_EXPECT_TWO_KEYS;
			op->tweak = EVP_CIPHER_CTX_new();
			if (!op->tweak)
				goto nomem;
		}
		break;
	}
	if (ta_handle_add(op, TA_HANDLE_OPERATION))
		goto nomem;
	*operation = (TEE_OperationHandle)op;
	return TEE_SUCCESS;
nomem:
	EVP_MD_CTX_free(op->md);
	EVP_MAC_CTX_free(op->mac);
	EVP_CIPHER_CTX_free(op->cipher);
	EVP_CIPHER_CTX_free(op->tweak);
	free(op);
	return TEE_ERROR_OUT_OF_MEMORY;
}

static void ta_op_clear_key(struct ta_op *op)
{
	OPENSSL_cleanse(op->key, sizeof(op->key));
	OPENSSL_cleanse(op->key2, sizeof(op->key2));
	op->key_len = op->key2_len = 0;
	EVP_PKEY_free(op->pkey);
	op->pkey = NULL;
	op->info.keySize = 0;
	op->info.handleState &=
		~(TEE_HANDLE_FLAG_KEY_SET | TEE_HANDLE_FLAG_INITIALIZED);
}

void TEE_FreeOperation(TEE_OperationHandle operation)
{
	struct ta_op *op;

	if (operation == TEE_HANDLE_NULL)
		return;
	op = ta_op_of(operation, __func__);
	ta_op_clear_key(op);
	ta_handle_del(op);
	EVP_MD_CTX_free(op->md);
	EVP_MAC_CTX_free(op->mac);
	EVP_CIPHER_CTX_free(op->cipher);
	EVP_CIPHER_CTX_free(op->tweak);
	free(op->ccm_aad);
	free(op->ccm_data);
	OPENSSL_cleanse(op, sizeof(*op));
	free(op);
}

void TEE_GetOperationInfo(TEE_OperationHandle operation,
			  TEE_OperationInfo *operationInfo)
{
	struct ta_op *op = ta_op_of(operation, __func__);

	TA_PANIC_IF(!operationInfo, "operationInfo is NULL");
	*operationInfo = op->info;
}

TEE_Result
TEE_GetOperationInfoMultiple(TEE_OperationHandle operation,
			     TEE_OperationInfoMultiple *operationInfoMultiple,
			     size_t *operationSize)
{
	struct ta_op *op = ta_op_of(operation, __func__);
	uint32_t keys =
		op->info.handleState & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS ? 2 : 1;
	size_t need;
	TEE_OperationInfoMultiple *m = operationInfoMultiple;
	uint32_t i;

	TA_PANIC_IF(!operationSize, "operationSize is NULL");
	if (op->info.operationClass == TEE_OPERATION_DIGEST)
		keys = 0;
	need = sizeof(*m) + keys * sizeof(TEE_OperationInfoKey);
	if (!m || *operationSize < need) {
		*operationSize = need;
		return TEE_ERROR_SHORT_BUFFER;
	}
	memset(m, 0, need);
	m->algorithm = op->info.algorithm;
	m->operationClass = op->info.operationClass;
	m->mode = op->info.mode;
	m->digestLength = op->info.digestLength;
	m->maxKeySize = op->info.maxKeySize;
	m->handleState = op->info.handleState;
	m->operationState = op->state;
	m->numberOfKeys = keys;
	for (i = 0; i < keys; i++) {
		m->keyInformation[i].keySize = op->info.keySize;
		m->keyInformation[i].requiredKeyUsage =
			op->info.requiredKeyUsage;
	}
	*operationSize = need;
	return TEE_SUCCESS;
}

void TEE_ResetOperation(TEE_OperationHandle operation)
{
	struct ta_op *op = ta_op_of(operation, __func__);

	TA_PANIC_IF(op->info.operationClass != TEE_OPERATION_DIGEST &&
			    !(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET),
		    "the key is not set");
	ta_op_restart(op);
}

static bool ta_op_key_type_ok(const struct ta_op *op, uint32_t type)
{
	uint32_t alg = op->info.algorithm, mode = op->info.mode;
	bool pub_ok = mode == TEE_MODE_ENCRYPT || mode == TEE_MODE_VERIFY;

	if (ta_op_is_aes(alg))
		return type == TEE_TYPE_AES;
	if (ta_op_is_rsa(alg))
		return type == TEE_TYPE_RSA_KEYPAIR ||
		       (pub_ok && type == TEE_TYPE_RSA_PUBLIC_KEY);
	if (alg == TEE_ALG_ECDH_DERIVE_SHARED_SECRET)
		return type == TEE_TYPE_ECDH_KEYPAIR;
	if (ta_op_is_ecc(alg))
		return type == TEE_TYPE_ECDSA_KEYPAIR ||
		       (pub_ok && type == TEE_TYPE_ECDSA_PUBLIC_KEY);
	/* HMAC: its own type (same low byte as the algorithm) or generic */
	return type == TEE_TYPE_GENERIC_SECRET ||
	       type == (0xA0000000u | (alg & 0xFF));
}

/* The checks SetOperationKey and SetOperationKey2 share for one key. */
static struct ta_obj *ta_op_key_obj(struct ta_op *op, TEE_ObjectHandle key,
				    const char *func)
{
	struct ta_obj *o = ta_obj_of(key, func);

	if (!(o->flags & TEE_HANDLE_FLAG_INITIALIZED))
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "the key object is not initialized");
	if (!ta_op_key_type_ok(op, o->type))
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "key type does not suit the algorithm");
	if (o->size > op->info.maxKeySize)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "key larger than the operation's maxKeySize");
	if ((o->usage & op->info.requiredKeyUsage) != op->info.requiredKeyUsage)
		ta_rt_panic(TEE_ERROR_ACCESS_DENIED, func,
			    "key usage does not allow the operation");
	return o;
}

static void ta_op_key_state(struct ta_op *op, const char *func)
{
	if (op->info.operationClass == TEE_OPERATION_DIGEST)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "digests take no key");
	if (op->state != TEE_OPERATION_STATE_INITIAL)
		ta_rt_panic(TEE_ERROR_BAD_STATE, func,
			    "the operation is active");
}

static void ta_op_key_set(struct ta_op *op, uint32_t bits)
{
	op->info.keySize = bits;
	op->info.handleState |= TEE_HANDLE_FLAG_KEY_SET;
	/* the classes without an init function are ready with their key */
	if (op->info.operationClass == TEE_OPERATION_ASYMMETRIC_CIPHER ||
	    op->info.operationClass == TEE_OPERATION_ASYMMETRIC_SIGNATURE ||
	    op->info.operationClass == TEE_OPERATION_KEY_DERIVATION)
		op->info.handleState |= TEE_HANDLE_FLAG_INITIALIZED;
	else
		op->info.handleState &= ~TEE_HANDLE_FLAG_INITIALIZED;
}

TEE_Result TEE_SetOperationKey(TEE_OperationHandle operation,
			       TEE_ObjectHandle key)
{
	struct ta_op *op = ta_op_of(operation, __func__);
	const struct ta_attr *secret;
	struct ta_obj *o;

	ta_op_key_state(op, __func__);
	TA_PANIC_IF(op->info.handleState & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS,
		    "the algorithm takes two keys");
	ta_op_clear_key(op);
	if (key == TEE_HANDLE_NULL)
		return TEE_SUCCESS;
	o = ta_op_key_obj(op, key, __func__);
	secret = ta_obj_attr(o, TEE_ATTR_SECRET_VALUE);
	if (secret) {
		memcpy(op->key, secret->buf, secret->len);
		op->key_len = secret->len;
	} else {
		EVP_PKEY_up_ref(o->pkey);
		op->pkey = o->pkey;
	}
	ta_op_key_set(op, o->size);
	return TEE_SUCCESS;
}

TEE_Result TEE_SetOperationKey2(TEE_OperationHandle operation,
				TEE_ObjectHandle key1, TEE_ObjectHandle key2)
{
	struct ta_op *op = ta_op_of(operation, __func__);
	const struct ta_attr *s1, *s2;
	struct ta_obj *o1, *o2;

	ta_op_key_state(op, __func__);
	TA_PANIC_IF(!(op->info.handleState & TEE_HANDLE_FLAG_EXPECT_TWO_KEYS),
		    "the algorithm takes one key");
	TA_PANIC_IF(!key1 != !key2, "one key of two is TEE_HANDLE_NULL");
	ta_op_clear_key(op);
	if (key1 == TEE_HANDLE_NULL)
		return TEE_SUCCESS;
	o1 = ta_op_key_obj(op, key1, __func__);
	o2 = ta_op_key_obj(op, key2, __func__);
	s1 = ta_obj_attr(o1, TEE_ATTR_SECRET_VALUE);
	s2 = ta_obj_attr(o2, TEE_ATTR_SECRET_VALUE);
	TA_PANIC_IF(s1->len != s2->len, "the two keys differ in size");
	/* XTS with two equal keys is no longer XTS */
	if (!ta_mem_diff(s1->buf, s2->buf, s1->len))
		return TEE_ERROR_SECURITY;
	memcpy(op->key, s1->buf, s1->len);
	memcpy(op->key2, s2->buf, s2->len);
	op->key_len = s1->len;
	op->key2_len = s2->len;
	ta_op_key_set(op, o1->size);
	return TEE_SUCCESS;
}

static void ta_op_copy_ctx(struct ta_op *dst, const struct ta_op *src)
{
	bool ready = src->info.handleState & TEE_HANDLE_FLAG_INITIALIZED;

	if (src->md && !EVP_MD_CTX_copy_ex(dst->md, src->md))
		TA_PANIC("OpenSSL digest copy failed");
	if (src->mac && ready) {
		EVP_MAC_CTX *mac = EVP_MAC_CTX_dup(src->mac);

		if (!mac)
			TA_PANIC("OpenSSL MAC copy failed");
		EVP_MAC_CTX_free(dst->mac);
		dst->mac = mac;
	}
	if (src->cipher && ready &&
	    !EVP_CIPHER_CTX_copy(dst->cipher, src->cipher))
		TA_PANIC("OpenSSL cipher copy failed");
	if (src->tweak && ready && !EVP_CIPHER_CTX_copy(dst->tweak, src->tweak))
		TA_PANIC("OpenSSL cipher copy failed");
}

static uint8_t *ta_op_dup(const uint8_t *buf, size_t len)
{
	uint8_t *copy;

	if (!buf)
		return NULL;
	copy = malloc(len ? len : 1);
	if (!copy)
		TA_PANIC("out of memory copying an operation");
	memcpy(copy, buf, len);
	return copy;
}

void TEE_CopyOperation(TEE_OperationHandle dstOperation,
		       TEE_OperationHandle srcOperation)
{
	struct ta_op *dst = ta_op_of(dstOperation, __func__);
	struct ta_op *src = ta_op_of(srcOperation, __func__);
	struct ta_op keep = *dst;

	TA_PANIC_IF(dst == src, "source and destination are the same");
	TA_PANIC_IF(dst->info.algorithm != src->info.algorithm ||
			    dst->info.mode != src->info.mode,
		    "operations of different algorithms or modes");
	TA_PANIC_IF(src->info.keySize > dst->info.maxKeySize,
		    "the source key exceeds the destination's maxKeySize");
	ta_op_clear_key(dst);
	free(dst->ccm_aad);
	free(dst->ccm_data);
	*dst = *src;
	/* the engines stay the destination's own, with the source's state */
	dst->md = keep.md;
	dst->mac = keep.mac;
	dst->cipher = keep.cipher;
	dst->tweak = keep.tweak;
	dst->info.maxKeySize = keep.info.maxKeySize;
	dst->ccm_aad = ta_op_dup(src->ccm_aad, src->aad_len);
	dst->ccm_data = ta_op_dup(src->ccm_data, src->payload_len);
	if (dst->pkey)
		EVP_PKEY_up_ref(dst->pkey);
	ta_op_copy_ctx(dst, src);
}

TEE_Result TEE_IsAlgorithmSupported(uint32_t algId, uint32_t element)
{
	const struct ta_alg *a = ta_op_alg(algId);

	if (!a)
		return TEE_ERROR_NOT_SUPPORTED;
	if (ta_op_is_ecc(algId))
		return ta_curve_name(element) ? TEE_SUCCESS :
						TEE_ERROR_NOT_SUPPORTED;
	return element == TEE_CRYPTO_ELEMENT_NONE ? TEE_SUCCESS :
						    TEE_ERROR_NOT_SUPPORTED;
}
