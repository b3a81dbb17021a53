// SPDX-License-Identifier: MIT
/*
 * Asymmetric operations: RSA encryption (PKCS#1 v1.5, OAEP with an
 * optional label) and signatures (PKCS#1 v1.5, PSS with an optional salt
 * length), and ECDSA on P-256/384/521 with GP's raw r||s signature format.
 * The input of a signature is the digest, whose length must be the
 * algorithm's hash length.
 */
#include "crypto.h"

#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/ec.h>
#include <openssl/rsa.h>

#include <stdlib.h>
#include <string.h>

static struct ta_op *ta_asym_ready(TEE_OperationHandle operation,
				   uint32_t op_class, uint32_t mode,
				   const char *func)
{
	struct ta_op *op = ta_op_check(operation, op_class, func);

	if (op->info.mode != mode)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func,
			    "operation of another mode");
	if (!(op->info.handleState & TEE_HANDLE_FLAG_KEY_SET))
		ta_rt_panic(TEE_ERROR_BAD_STATE, func, "the key is not set");
	return op;
}

static const TEE_Attribute *ta_asym_param(const TEE_Attribute *params,
					  uint32_t count, uint32_t id,
					  const char *func)
{
	uint32_t i;

	if (!params && count)
		ta_rt_panic(TEE_ERROR_BAD_PARAMETERS, func, "params is NULL");
	for (i = 0; i < count; i++)
		if (params[i].attributeID == id)
			return &params[i];
	return NULL;
}

static bool ta_asym_is_oaep(uint32_t alg)
{
	return alg != TEE_ALG_RSAES_PKCS1_V1_5;
}

static bool ta_asym_is_pss(uint32_t alg)
{
	return (alg & 0xF00) == 0x900 && (alg & 0xFF) == 0x30;
}

/* A context for @op's key, set up for encryption or decryption. */
static EVP_PKEY_CTX *ta_asym_cipher_ctx(struct ta_op *op,
					const TEE_Attribute *params,
					uint32_t count, const char *func)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, op->pkey, NULL);
	const TEE_Attribute *label;
	const char *md = ta_hash_name(op->alg->hash);
	bool enc = op->info.mode == TEE_MODE_ENCRYPT;
	int ok;

	if (!ctx)
		ta_rt_panic(TEE_ERROR_OUT_OF_MEMORY, func, "out of memory");
	ok = (enc ? EVP_PKEY_encrypt_init(ctx) : EVP_PKEY_decrypt_init(ctx)) >
	     0;
	if (ok && !ta_asym_is_oaep(op->info.algorithm)) {
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0;
	} else if (ok) {
		ok = EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_OAEP_PADDING) >
			     0 &&
		     EVP_PKEY_CTX_set_rsa_oaep_md_name(ctx, md, NULL) > 0 &&
		     EVP_PKEY_CTX_set_rsa_mgf1_md_name(ctx, md, NULL) > 0;
		label = ta_asym_param(params, count, TEE_ATTR_RSA_OAEP_LABEL,
				      func);
		if (ok && label && label->content.ref.length) {
			void *copy = OPENSSL_memdup(label->content.ref.buffer,
						    label->content.ref.length);

			/* the context takes the copy */
			ok = copy &&
			     EVP_PKEY_CTX_set0_rsa_oaep_label(
				     ctx, copy,
				     (int)label->content.ref.length) > 0;
			if (!ok)
				OPENSSL_free(copy);
		}
	}
	if (!ok) {
		EVP_PKEY_CTX_free(ctx);
		ta_rt_panic(TEE_ERROR_GENERIC, func,
			    "OpenSSL RSA set-up failed");
	}
	return ctx;
}

TEE_Result TEE_AsymmetricEncrypt(TEE_OperationHandle operation,
				 const TEE_Attribute *params,
				 uint32_t paramCount, const void *srcData,
				 size_t srcLen, void *destData, size_t *destLen)
{
	struct ta_op *op = ta_asym_ready(operation,
					 TEE_OPERATION_ASYMMETRIC_CIPHER,
					 TEE_MODE_ENCRYPT, __func__);
	EVP_PKEY_CTX *ctx;
	TEE_Result res;
	size_t need;

	TA_CHECK_BUF(srcData, srcLen);
	need = (size_t)EVP_PKEY_get_size(op->pkey);
	res = ta_op_room(need, destData, destLen, __func__);
	if (res)
		return res;
	ctx = ta_asym_cipher_ctx(op, params, paramCount, __func__);
	/* too long for the padding: the caller's data, not a bug */
	if (EVP_PKEY_encrypt(ctx, destData, &need, srcData, srcLen) <= 0)
		res = TEE_ERROR_BAD_PARAMETERS;
	else
		*destLen = need;
	EVP_PKEY_CTX_free(ctx);
	return res;
}

TEE_Result TEE_AsymmetricDecrypt(TEE_OperationHandle operation,
				 const TEE_Attribute *params,
				 uint32_t paramCount, const void *srcData,
				 size_t srcLen, void *destData, size_t *destLen)
{
	struct ta_op *op = ta_asym_ready(operation,
					 TEE_OPERATION_ASYMMETRIC_CIPHER,
					 TEE_MODE_DECRYPT, __func__);
	size_t size = (size_t)EVP_PKEY_get_size(op->pkey), len = size;
	uint8_t *plain = malloc(size);
	EVP_PKEY_CTX *ctx;
	TEE_Result res;

	TA_CHECK_BUF(srcData, srcLen);
	TA_PANIC_IF(!destLen, "destLen is NULL");
	if (!plain)
		return TEE_ERROR_OUT_OF_MEMORY;
	ctx = ta_asym_cipher_ctx(op, params, paramCount, __func__);
	if (EVP_PKEY_decrypt(ctx, plain, &len, srcData, srcLen) <= 0) {
		res = TEE_ERROR_CIPHERTEXT_INVALID;
	} else {
		res = ta_op_room(len, destData, destLen, __func__);
		if (!res) {
			memcpy(destData, plain, len);
			*destLen = len;
		}
	}
	EVP_PKEY_CTX_free(ctx);
	OPENSSL_clear_free(plain, size);
	return res;
}

static bool ta_asym_is_ecdsa(const struct ta_op *op)
{
	return (op->info.algorithm & 0xFF) == 0x42;
}

/* Bytes of r (and of s) in a raw ECDSA signature. */
static size_t ta_asym_ec_field(const struct ta_op *op)
{
	return ((size_t)EVP_PKEY_get_bits(op->pkey) + 7) / 8;
}

static EVP_PKEY_CTX *ta_asym_sig_ctx(struct ta_op *op,
				     const TEE_Attribute *params,
				     uint32_t count, const char *func)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_pkey(NULL, op->pkey, NULL);
	const EVP_MD *md = EVP_get_digestbyname(ta_hash_name(op->alg->hash));
	bool sign = op->info.mode == TEE_MODE_SIGN;
	const TEE_Attribute *salt;
	int ok;

	if (!ctx)
		ta_rt_panic(TEE_ERROR_OUT_OF_MEMORY, func, "out of memory");
	ok = (sign ? EVP_PKEY_sign_init(ctx) : EVP_PKEY_verify_init(ctx)) > 0 &&
	     EVP_PKEY_CTX_set_signature_md(ctx, md) > 0;
	if (ok && !ta_asym_is_ecdsa(op)) {
		bool pss = ta_asym_is_pss(op->info.algorithm);

		ok = EVP_PKEY_CTX_set_rsa_padding(ctx,
						  pss ? RSA_PKCS1_PSS_PADDING :
							RSA_PKCS1_PADDING) > 0;
		salt = ta_asym_param(params, count,
				     TEE_ATTR_RSA_PSS_SALT_LENGTH, func);
		if (ok && pss)
			ok = EVP_PKEY_CTX_set_rsa_mgf1_md(ctx, md) > 0 &&
			     EVP_PKEY_CTX_set_rsa_pss_saltlen(
				     ctx, salt ? (int)salt->content.value.a :
						 (int)ta_hash_len(
							 op->alg->hash)) > 0;
	}
	if (!ok) {
		EVP_PKEY_CTX_free(ctx);
		ta_rt_panic(TEE_ERROR_GENERIC, func,
			    "OpenSSL signature set-up failed");
	}
	return ctx;
}

TEE_Result TEE_AsymmetricSignDigest(TEE_OperationHandle operation,
				    const TEE_Attribute *params,
				    uint32_t paramCount, const void *digest,
				    size_t digestLen, void *signature,
				    size_t *signatureLen)
{
	struct ta_op *op = ta_asym_ready(operation,
					 TEE_OPERATION_ASYMMETRIC_SIGNATURE,
					 TEE_MODE_SIGN, __func__);
	size_t field = ta_asym_ec_field(op), der_len;
	uint8_t der[256];
	const unsigned char *p = der;
	const BIGNUM *r, *s;
	ECDSA_SIG *sig;
	EVP_PKEY_CTX *ctx;
	TEE_Result res;
	size_t need;

	TA_CHECK_BUF(digest, digestLen);
	if (digestLen != ta_hash_len(op->alg->hash))
		return TEE_ERROR_BAD_PARAMETERS;
	need = ta_asym_is_ecdsa(op) ? 2 * field :
				      (size_t)EVP_PKEY_get_size(op->pkey);
	res = ta_op_room(need, signature, signatureLen, __func__);
	if (res)
		return res;
	ctx = ta_asym_sig_ctx(op, params, paramCount, __func__);
	if (!ta_asym_is_ecdsa(op)) {
		if (EVP_PKEY_sign(ctx, signature, &need, digest, digestLen) <=
		    0)
			res = TEE_ERROR_BAD_PARAMETERS;
		goto out;
	}
	der_len = sizeof(der);
	if (EVP_PKEY_sign(ctx, der, &der_len, digest, digestLen) <= 0)
		TA_PANIC("OpenSSL ECDSA failed");
	sig = d2i_ECDSA_SIG(NULL, &p, (long)der_len);
	if (!sig)
		TA_PANIC("OpenSSL ECDSA failed");
	ECDSA_SIG_get0(sig, &r, &s);
	BN_bn2binpad(r, signature, (int)field);
	BN_bn2binpad(s, (uint8_t *)signature + field, (int)field);
	ECDSA_SIG_free(sig);
out:
	if (!res)
		*signatureLen = need;
	EVP_PKEY_CTX_free(ctx);
	return res;
}

TEE_Result TEE_AsymmetricVerifyDigest(TEE_OperationHandle operation,
				      const TEE_Attribute *params,
				      uint32_t paramCount, const void *digest,
				      size_t digestLen, const void *signature,
				      size_t signatureLen)
{
	struct ta_op *op = ta_asym_ready(operation,
					 TEE_OPERATION_ASYMMETRIC_SIGNATURE,
					 TEE_MODE_VERIFY, __func__);
	size_t field = ta_asym_ec_field(op);
	unsigned char *der = NULL;
	ECDSA_SIG *sig = NULL;
	EVP_PKEY_CTX *ctx;
	TEE_Result res = TEE_ERROR_SIGNATURE_INVALID;
	int der_len = 0;

	TA_CHECK_BUF(digest, digestLen);
	TA_CHECK_BUF(signature, signatureLen);
	if (digestLen != ta_hash_len(op->alg->hash))
		return TEE_ERROR_BAD_PARAMETERS;
	ctx = ta_asym_sig_ctx(op, params, paramCount, __func__);
	if (!ta_asym_is_ecdsa(op)) {
		if (EVP_PKEY_verify(ctx, signature, signatureLen, digest,
				    digestLen) == 1)
			res = TEE_SUCCESS;
		goto out;
	}
	if (signatureLen != 2 * field)
		goto out;
	sig = ECDSA_SIG_new();
	if (!sig ||
	    !ECDSA_SIG_set0(sig, BN_bin2bn(signature, (int)field, NULL),
			    BN_bin2bn((const uint8_t *)signature + field,
				      (int)field, NULL)))
		TA_PANIC("out of memory");
	der_len = i2d_ECDSA_SIG(sig, &der);
	if (der_len > 0 &&
	    EVP_PKEY_verify(ctx, der, (size_t)der_len, digest, digestLen) == 1)
		res = TEE_SUCCESS;
out:
	OPENSSL_free(der);
	ECDSA_SIG_free(sig);
	EVP_PKEY_CTX_free(ctx);
	return res;
}
