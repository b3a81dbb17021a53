// SPDX-License-Identifier: MIT
/*
 * RSA and ECC: keys generated in the TA, their public halves exported as
 * attributes and rebuilt in OpenSSL by the test; RSA PKCS#1 v1.5 and OAEP
 * (with a label) encryption decrypted by OpenSSL and the reverse;
 * PKCS#1 v1.5 and PSS signatures verified by OpenSSL; ECDSA on
 * P-256/384/521 verified by OpenSSL after r||s -> DER; ECDH secrets equal
 * on both sides; the error paths: SHORT_BUFFER with the size, a wrong
 * digest length, a bad signature, a bad ciphertext, an off-curve point.
 */
#include "sdk_crypto.h"

#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

static BIGNUM *asym_bn(TEE_ObjectHandle key, uint32_t id)
{
	uint8_t buf[600];
	size_t len = sizeof(buf);

	CHECK_EQ(TEE_GetObjectBufferAttribute(key, id, buf, &len), TEE_SUCCESS);
	return BN_bin2bn(buf, (int)len, NULL);
}

static EVP_PKEY *asym_fromdata(const char *type, OSSL_PARAM_BLD *bld)
{
	EVP_PKEY_CTX *ctx = EVP_PKEY_CTX_new_from_name(NULL, type, NULL);
	OSSL_PARAM *params = OSSL_PARAM_BLD_to_param(bld);
	EVP_PKEY *pkey = NULL;

	CHECK(ctx && params && EVP_PKEY_fromdata_init(ctx) > 0);
	CHECK(EVP_PKEY_fromdata(ctx, &pkey, EVP_PKEY_PUBLIC_KEY, params) > 0);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	EVP_PKEY_CTX_free(ctx);
	return pkey;
}

/* The RSA public key of @key, in OpenSSL. */
static EVP_PKEY *asym_rsa_pub(TEE_ObjectHandle key)
{
	OSSL_PARAM_BLD *bld = OSSL_PARAM_BLD_new();
	BIGNUM *n = asym_bn(key, TEE_ATTR_RSA_MODULUS);
	BIGNUM *e = asym_bn(key, TEE_ATTR_RSA_PUBLIC_EXPONENT);
	EVP_PKEY *pkey;

	CHECK(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n));
	CHECK(OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e));
	pkey = asym_fromdata("RSA", bld);
	BN_free(n);
	BN_free(e);
	return pkey;
}

static TEE_OperationHandle asym_op(uint32_t alg, uint32_t mode, uint32_t bits,
				   TEE_ObjectHandle key)
{
	TEE_OperationHandle op;

	CHECK_EQ(TEE_AllocateOperation(&op, alg, mode, bits), TEE_SUCCESS);
	CHECK_EQ(TEE_SetOperationKey(op, key), TEE_SUCCESS);
	return op;
}

static void asym_rsa(void)
{
	uint8_t msg[32], ct[256], pt[256], sig[256], digest[32];
	TEE_Attribute label;
	TEE_ObjectHandle key;
	TEE_OperationHandle op;
	EVP_PKEY *pub;
	EVP_PKEY_CTX *ctx;
	size_t len, plen;

	memset(msg, 0x5a, sizeof(msg));
	memset(digest, 0x17, sizeof(digest));
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_RSA_KEYPAIR, 2048, &key),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_GenerateKey(key, 2048, NULL, 0), TEE_SUCCESS);
	pub = asym_rsa_pub(key);

	/* OAEP-SHA256 with a label: TEE encrypts, OpenSSL decrypts */
	TEE_InitRefAttribute(&label, TEE_ATTR_RSA_OAEP_LABEL, "lbl", 3);
	op = asym_op(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_ENCRYPT,
		     2048, key);
	len = 10;
	CHECK_EQ(TEE_AsymmetricEncrypt(op, &label, 1, msg, sizeof(msg), ct,
				       &len),
		 TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(len, 256);
	CHECK_EQ(TEE_AsymmetricEncrypt(op, &label, 1, msg, sizeof(msg), ct,
				       &len),
		 TEE_SUCCESS);
	CHECK_EQ(len, 256);
	CHECK_EQ(TEE_AsymmetricEncrypt(op, NULL, 0, ct, 250, pt, &len),
		 TEE_ERROR_BAD_PARAMETERS);
	TEE_FreeOperation(op);
	op = asym_op(TEE_ALG_RSAES_PKCS1_OAEP_MGF1_SHA256, TEE_MODE_DECRYPT,
		     2048, key);
	plen = sizeof(pt);
	CHECK_EQ(TEE_AsymmetricDecrypt(op, &label, 1, ct, 256, pt, &plen),
		 TEE_SUCCESS);
	CHECK_EQ(plen, sizeof(msg));
	CHECK_MEM(pt, msg, sizeof(msg));
	plen = 3;
	CHECK_EQ(TEE_AsymmetricDecrypt(op, &label, 1, ct, 256, pt, &plen),
		 TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(plen, sizeof(msg));
	ct[100] ^= 1;
	plen = sizeof(pt);
	CHECK_EQ(TEE_AsymmetricDecrypt(op, &label, 1, ct, 256, pt, &plen),
		 TEE_ERROR_CIPHERTEXT_INVALID);
	TEE_FreeOperation(op);

	/* PKCS#1 v1.5: OpenSSL encrypts, TEE decrypts */
	ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL);
	len = sizeof(ct);
	CHECK(EVP_PKEY_encrypt_init(ctx) > 0 &&
	      EVP_PKEY_CTX_set_rsa_padding(ctx, RSA_PKCS1_PADDING) > 0 &&
	      EVP_PKEY_encrypt(ctx, ct, &len, msg, sizeof(msg)) > 0);
	EVP_PKEY_CTX_free(ctx);
	op = asym_op(TEE_ALG_RSAES_PKCS1_V1_5, TEE_MODE_DECRYPT, 2048, key);
	plen = sizeof(pt);
	CHECK_EQ(TEE_AsymmetricDecrypt(op, NULL, 0, ct, len, pt, &plen),
		 TEE_SUCCESS);
	CHECK_MEM(pt, msg, sizeof(msg));
	TEE_FreeOperation(op);

	/* signatures, verified by OpenSSL */
	for (int pss = 0; pss < 2; pss++) {
		uint32_t alg = pss ? TEE_ALG_RSASSA_PKCS1_PSS_MGF1_SHA256 :
				     TEE_ALG_RSASSA_PKCS1_V1_5_SHA256;

		op = asym_op(alg, TEE_MODE_SIGN, 2048, key);
		len = sizeof(sig);
		CHECK_EQ(TEE_AsymmetricSignDigest(op, NULL, 0, digest, 20, sig,
						  &len),
			 TEE_ERROR_BAD_PARAMETERS);
		CHECK_EQ(TEE_AsymmetricSignDigest(op, NULL, 0, digest, 32, sig,
						  &len),
			 TEE_SUCCESS);
		TEE_FreeOperation(op);
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL);
		CHECK(EVP_PKEY_verify_init(ctx) > 0 &&
		      EVP_PKEY_CTX_set_rsa_padding(
			      ctx, pss ? RSA_PKCS1_PSS_PADDING :
					 RSA_PKCS1_PADDING) > 0 &&
		      EVP_PKEY_CTX_set_signature_md(ctx, EVP_sha256()) > 0);
		CHECK_EQ(EVP_PKEY_verify(ctx, sig, len, digest, 32), 1);
		EVP_PKEY_CTX_free(ctx);
		op = asym_op(alg, TEE_MODE_VERIFY, 2048, key);
		CHECK_EQ(TEE_AsymmetricVerifyDigest(op, NULL, 0, digest, 32,
						    sig, len),
			 TEE_SUCCESS);
		sig[7] ^= 1;
		CHECK_EQ(TEE_AsymmetricVerifyDigest(op, NULL, 0, digest, 32,
						    sig, len),
			 TEE_ERROR_SIGNATURE_INVALID);
		TEE_FreeOperation(op);
	}
	EVP_PKEY_free(pub);
	TEE_FreeTransientObject(key);
}

static void asym_ecc(uint32_t curve, uint32_t bits, const char *group,
		     uint32_t alg)
{
	uint8_t digest[64], sig[140], point[1 + 2 * 66], s1[66], s2[66];
	TEE_ObjectHandle k1, k2, secret;
	TEE_OperationHandle op;
	TEE_Attribute attrs[2], curve_attr;
	size_t len, field = (bits + 7) / 8, xl, yl;
	ECDSA_SIG *esig;
	unsigned char *der = NULL;
	OSSL_PARAM_BLD *bld;
	EVP_PKEY *pub;
	EVP_PKEY_CTX *ctx;
	BIGNUM *x, *y;
	int der_len;

	memset(digest, 0x42, sizeof(digest));
	TEE_InitValueAttribute(&curve_attr, TEE_ATTR_ECC_CURVE, curve, 0);
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, bits, &k1),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_GenerateKey(k1, bits, &curve_attr, 1), TEE_SUCCESS);
	op = asym_op(alg, TEE_MODE_SIGN, bits, k1);
	len = 10;
	CHECK_EQ(TEE_AsymmetricSignDigest(op, NULL, 0, digest,
					  alg == TEE_ALG_ECDSA_SHA256 ? 32 : 48,
					  sig, &len),
		 TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(len, 2 * field);
	TEE_FreeOperation(op);
	/* OpenSSL verifies the TEE's r||s */
	x = asym_bn(k1, TEE_ATTR_ECC_PUBLIC_VALUE_X);
	y = asym_bn(k1, TEE_ATTR_ECC_PUBLIC_VALUE_Y);
	point[0] = 4;
	CHECK(BN_bn2binpad(x, point + 1, (int)field) > 0);
	CHECK(BN_bn2binpad(y, point + 1 + field, (int)field) > 0);
	bld = OSSL_PARAM_BLD_new();
	CHECK(OSSL_PARAM_BLD_push_utf8_string(bld, OSSL_PKEY_PARAM_GROUP_NAME,
					      group, 0));
	CHECK(OSSL_PARAM_BLD_push_octet_string(bld, OSSL_PKEY_PARAM_PUB_KEY,
					       point, 1 + 2 * field));
	pub = asym_fromdata("EC", bld);
	op = asym_op(alg, TEE_MODE_SIGN, bits, k1);
	len = sizeof(sig);
	CHECK_EQ(TEE_AsymmetricSignDigest(op, NULL, 0, digest, 32, sig, &len),
		 alg == TEE_ALG_ECDSA_SHA256 ? TEE_SUCCESS :
					       TEE_ERROR_BAD_PARAMETERS);
	TEE_FreeOperation(op);
	if (alg == TEE_ALG_ECDSA_SHA256) {
		esig = ECDSA_SIG_new();
		CHECK(ECDSA_SIG_set0(esig, BN_bin2bn(sig, (int)field, NULL),
				     BN_bin2bn(sig + field, (int)field, NULL)));
		der_len = i2d_ECDSA_SIG(esig, &der);
		ctx = EVP_PKEY_CTX_new_from_pkey(NULL, pub, NULL);
		CHECK(EVP_PKEY_verify_init(ctx) > 0);
		CHECK_EQ(EVP_PKEY_verify(ctx, der, (size_t)der_len, digest, 32),
			 1);
		EVP_PKEY_CTX_free(ctx);
		OPENSSL_free(der);
		ECDSA_SIG_free(esig);
		op = asym_op(alg, TEE_MODE_VERIFY, bits, k1);
		CHECK_EQ(TEE_AsymmetricVerifyDigest(op, NULL, 0, digest, 32,
						    sig, len),
			 TEE_SUCCESS);
		sig[len - 1] ^= 1;
		CHECK_EQ(TEE_AsymmetricVerifyDigest(op, NULL, 0, digest, 32,
						    sig, len),
			 TEE_ERROR_SIGNATURE_INVALID);
		TEE_FreeOperation(op);
	}
	EVP_PKEY_free(pub);
	TEE_FreeTransientObject(k1);

	/* ECDH: both sides derive the same secret */
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_ECDH_KEYPAIR, bits, &k1),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_ECDH_KEYPAIR, bits, &k2),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_GenerateKey(k1, bits, &curve_attr, 1), TEE_SUCCESS);
	CHECK_EQ(TEE_GenerateKey(k2, bits, &curve_attr, 1), TEE_SUCCESS);
	for (int side = 0; side < 2; side++) {
		TEE_ObjectHandle mine = side ? k2 : k1, peer = side ? k1 : k2;
		uint8_t px[66], py[66];

		xl = sizeof(px);
		yl = sizeof(py);
		CHECK_EQ(TEE_GetObjectBufferAttribute(
				 peer, TEE_ATTR_ECC_PUBLIC_VALUE_X, px, &xl),
			 TEE_SUCCESS);
		CHECK_EQ(TEE_GetObjectBufferAttribute(
				 peer, TEE_ATTR_ECC_PUBLIC_VALUE_Y, py, &yl),
			 TEE_SUCCESS);
		TEE_InitRefAttribute(&attrs[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, px,
				     xl);
		TEE_InitRefAttribute(&attrs[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y, py,
				     yl);
		op = asym_op(TEE_ALG_ECDH_DERIVE_SHARED_SECRET, TEE_MODE_DERIVE,
			     bits, mine);
		CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_GENERIC_SECRET,
						     1024, &secret),
			 TEE_SUCCESS);
		TEE_DeriveKey(op, attrs, 2, secret);
		len = sizeof(s1);
		CHECK_EQ(TEE_GetObjectBufferAttribute(secret,
						      TEE_ATTR_SECRET_VALUE,
						      side ? s2 : s1, &len),
			 TEE_SUCCESS);
		CHECK_EQ(len, field);
		TEE_FreeTransientObject(secret);
		TEE_FreeOperation(op);
	}
	CHECK_MEM(s1, s2, field);
	TEE_FreeTransientObject(k1);
	TEE_FreeTransientObject(k2);
	BN_free(x);
	BN_free(y);
}

static void asym_off_curve(void)
{
	uint8_t x[32] = { 1 }, y[32] = { 2 };
	TEE_ObjectHandle k;
	TEE_Attribute a[3];

	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_ECDSA_PUBLIC_KEY, 256,
					     &k),
		 TEE_SUCCESS);
	TEE_InitRefAttribute(&a[0], TEE_ATTR_ECC_PUBLIC_VALUE_X, x, 32);
	TEE_InitRefAttribute(&a[1], TEE_ATTR_ECC_PUBLIC_VALUE_Y, y, 32);
	TEE_InitValueAttribute(&a[2], TEE_ATTR_ECC_CURVE,
			       TEE_ECC_CURVE_NIST_P256, 0);
	CHECK_EQ(TEE_PopulateTransientObject(k, a, 3),
		 TEE_ERROR_BAD_PARAMETERS);
	TEE_FreeTransientObject(k);
	CHECK_EQ(TEE_AllocateTransientObject(TEE_TYPE_ECDSA_KEYPAIR, 192, &k),
		 TEE_ERROR_NOT_SUPPORTED);
}

int main(void)
{
	sdk_test_init();
	asym_rsa();
	asym_ecc(TEE_ECC_CURVE_NIST_P256, 256, "P-256", TEE_ALG_ECDSA_SHA256);
	asym_ecc(TEE_ECC_CURVE_NIST_P384, 384, "P-384", TEE_ALG_ECDSA_SHA256);
	asym_ecc(TEE_ECC_CURVE_NIST_P521, 521, "P-521", TEE_ALG_ECDSA_SHA256);
	asym_ecc(TEE_ECC_CURVE_NIST_P384, 384, "P-384", TEE_ALG_ECDSA_SHA384);
	asym_off_curve();
	return T_PASS;
}
