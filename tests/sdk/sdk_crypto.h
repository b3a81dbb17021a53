/* SPDX-License-Identifier: MIT */
/* Helpers of the crypto conformance tests: keys and OpenSSL references. */
#ifndef TEEQ_TESTS_SDK_CRYPTO_H
#define TEEQ_TESTS_SDK_CRYPTO_H

#include "sdk_test.h"

#include <openssl/evp.h>

/* A secret-key object of @type holding @key. */
static inline TEE_ObjectHandle sdk_secret(uint32_t type, const void *key,
					  size_t len)
{
	TEE_ObjectHandle o;
	TEE_Attribute a;

	CHECK_EQ(TEE_AllocateTransientObject(type, (uint32_t)len * 8, &o),
		 TEE_SUCCESS);
	TEE_InitRefAttribute(&a, TEE_ATTR_SECRET_VALUE, key, len);
	CHECK_EQ(TEE_PopulateTransientObject(o, &a, 1), TEE_SUCCESS);
	return o;
}

/* OpenSSL's one-shot of @name (padding off) as the reference. */
static inline size_t sdk_evp(const char *name, int enc, const uint8_t *key,
			     const uint8_t *iv, const uint8_t *in, size_t len,
			     uint8_t *out, const OSSL_PARAM *params)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
	int n1 = 0, n2 = 0;

	CHECK(ctx && c);
	CHECK(EVP_CipherInit_ex2(ctx, c, key, iv, enc, params));
	EVP_CIPHER_CTX_set_padding(ctx, 0);
	CHECK(EVP_CipherUpdate(ctx, out, &n1, in, (int)len));
	CHECK(EVP_CipherFinal_ex(ctx, out + n1, &n2));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);
	return (size_t)(n1 + n2);
}

#endif /* TEEQ_TESTS_SDK_CRYPTO_H */
