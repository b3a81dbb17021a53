// SPDX-License-Identifier: MIT
/*
 * MACs and authenticated encryption: HMAC-SHA256 (RFC 4231 case 4) and
 * AES-CMAC (RFC 4493 example 2), HMAC with every SHA against OpenSSL;
 * MACCompareFinal's MAC_INVALID, ComputeFinal's SHORT_BUFFER; AES-GCM and
 * AES-CCM against OpenSSL, fed in pieces, tag mismatch MAC_INVALID with
 * the output wiped, unsupported tag lengths NOT_SUPPORTED, SHORT_BUFFER
 * on the final with both sizes written back.
 */
#include "sdk_crypto.h"

#include <openssl/core_names.h>
#include <openssl/hmac.h>

static const uint8_t rfc4231_mac[32] = {
	0x82, 0x55, 0x8a, 0x38, 0x9a, 0x44, 0x3c, 0x0e, 0xa4, 0xcc, 0x81,
	0x98, 0x99, 0xf2, 0x08, 0x3a, 0x85, 0xf0, 0xfa, 0xa3, 0xe5, 0x78,
	0xf8, 0x07, 0x7a, 0x2e, 0x3f, 0xf4, 0x67, 0x29, 0x66, 0x5b
};
static const uint8_t rfc4493_key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
					 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
					 0x09, 0xcf, 0x4f, 0x3c };
static const uint8_t rfc4493_msg[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40,
					 0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11,
					 0x73, 0x93, 0x17, 0x2a };
static const uint8_t rfc4493_mac[16] = { 0x07, 0x0a, 0x16, 0xb4, 0x6b, 0x4d,
					 0x41, 0x44, 0xf7, 0x9b, 0xdd, 0x9d,
					 0xd0, 0x4a, 0x28, 0x7c };

static TEE_OperationHandle mac_op(uint32_t alg, uint32_t type, const void *key,
				  size_t len)
{
	TEE_OperationHandle op;

	CHECK_EQ(TEE_AllocateOperation(&op, alg, TEE_MODE_MAC,
				       (uint32_t)len * 8),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_SetOperationKey(op, sdk_secret(type, key, len)),
		 TEE_SUCCESS);
	TEE_MACInit(op, NULL, 0);
	return op;
}

static TEE_OperationHandle ae_op(uint32_t alg, uint32_t mode)
{
	TEE_OperationHandle op;

	CHECK_EQ(TEE_AllocateOperation(&op, alg, mode, 128), TEE_SUCCESS);
	CHECK_EQ(TEE_SetOperationKey(op,
				     sdk_secret(TEE_TYPE_AES, rfc4493_key, 16)),
		 TEE_SUCCESS);
	return op;
}

static void mac_update_before_init(void *arg)
{
	TEE_OperationHandle op;

	(void)arg;
	TEE_AllocateOperation(&op, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256);
	TEE_SetOperationKey(op,
			    sdk_secret(TEE_TYPE_HMAC_SHA256, rfc4231_mac, 32));
	TEE_MACUpdate(op, "x", 1);
}

/* AE over @pt: TEE in pieces, then the same with OpenSSL one-shot. */
static void ae_check(uint32_t alg, const char *name, size_t nonce_len,
		     uint32_t tag_bits)
{
	uint8_t nonce[16], aad[20], pt[70], ct[80], back[80], tag[16], want[80],
		want_tag[16];
	size_t n, t, done;
	TEE_OperationHandle op;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	EVP_CIPHER *c = EVP_CIPHER_fetch(NULL, name, NULL);
	OSSL_PARAM p[3];
	int len;

	memset(nonce, 0x33, sizeof(nonce));
	memset(aad, 0x44, sizeof(aad));
	for (n = 0; n < sizeof(pt); n++)
		pt[n] = (uint8_t)(n * 3);
	/* OpenSSL reference */
	n = nonce_len;
	t = tag_bits / 8;
	p[0] = OSSL_PARAM_construct_size_t(OSSL_CIPHER_PARAM_AEAD_IVLEN, &n);
	p[1] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
						 NULL, t);
	p[2] = OSSL_PARAM_construct_end();
	if (alg == TEE_ALG_AES_GCM)
		p[1] = p[2];
	CHECK(EVP_EncryptInit_ex2(ctx, c, NULL, NULL, p));
	CHECK(EVP_EncryptInit_ex2(ctx, NULL, rfc4493_key, nonce, NULL));
	if (alg == TEE_ALG_AES_CCM)
		CHECK(EVP_EncryptUpdate(ctx, NULL, &len, NULL, sizeof(pt)));
	CHECK(EVP_EncryptUpdate(ctx, NULL, &len, aad, sizeof(aad)));
	CHECK(EVP_EncryptUpdate(ctx, want, &len, pt, sizeof(pt)));
	CHECK(EVP_EncryptFinal_ex(ctx, want + len, &len));
	p[0] = OSSL_PARAM_construct_octet_string(OSSL_CIPHER_PARAM_AEAD_TAG,
						 want_tag, t);
	p[1] = OSSL_PARAM_construct_end();
	CHECK(EVP_CIPHER_CTX_get_params(ctx, p));
	EVP_CIPHER_CTX_free(ctx);
	EVP_CIPHER_free(c);

	op = ae_op(alg, TEE_MODE_ENCRYPT);
	CHECK_EQ(TEE_AEInit(op, nonce, nonce_len, tag_bits, sizeof(aad),
			    sizeof(pt)),
		 TEE_SUCCESS);
	TEE_AEUpdateAAD(op, aad, 7);
	TEE_AEUpdateAAD(op, aad + 7, sizeof(aad) - 7);
	n = sizeof(ct);
	CHECK_EQ(TEE_AEUpdate(op, pt, 33, ct, &n), TEE_SUCCESS);
	done = n;
	n = 0;
	t = 1;
	CHECK_EQ(TEE_AEEncryptFinal(op, pt + 33, sizeof(pt) - 33, ct + done, &n,
				    tag, &t),
		 TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, sizeof(pt) - done);
	CHECK_EQ(t, tag_bits / 8);
	CHECK_EQ(TEE_AEEncryptFinal(op, pt + 33, sizeof(pt) - 33, ct + done, &n,
				    tag, &t),
		 TEE_SUCCESS);
	CHECK_EQ(done + n, sizeof(pt));
	CHECK_MEM(ct, want, sizeof(pt));
	CHECK_MEM(tag, want_tag, tag_bits / 8);
	TEE_FreeOperation(op);

	op = ae_op(alg, TEE_MODE_DECRYPT);
	CHECK_EQ(TEE_AEInit(op, nonce, nonce_len, tag_bits, sizeof(aad),
			    sizeof(pt)),
		 TEE_SUCCESS);
	TEE_AEUpdateAAD(op, aad, sizeof(aad));
	n = sizeof(back);
	CHECK_EQ(TEE_AEUpdate(op, ct, 40, back, &n), TEE_SUCCESS);
	done = n;
	n = sizeof(back) - done;
	CHECK_EQ(TEE_AEDecryptFinal(op, ct + 40, sizeof(pt) - 40, back + done,
				    &n, tag, tag_bits / 8),
		 TEE_SUCCESS);
	CHECK_EQ(done + n, sizeof(pt));
	CHECK_MEM(back, pt, sizeof(pt));
	/* a wrong tag: MAC_INVALID, and the final's output wiped */
	CHECK_EQ(TEE_AEInit(op, nonce, nonce_len, tag_bits, sizeof(aad),
			    sizeof(pt)),
		 TEE_SUCCESS);
	TEE_AEUpdateAAD(op, aad, sizeof(aad));
	tag[0] ^= 1;
	n = sizeof(back);
	memset(back, 0xee, sizeof(back));
	CHECK_EQ(TEE_AEDecryptFinal(op, ct, sizeof(pt), back, &n, tag,
				    tag_bits / 8),
		 TEE_ERROR_MAC_INVALID);
	for (n = 0; n < sizeof(pt); n++)
		CHECK_EQ(back[n], 0);
	TEE_FreeOperation(op);
}

int main(void)
{
	static const char *hashes[] = { "SHA1", "SHA224", "SHA256", "SHA384",
					"SHA512" };
	uint8_t key[64], msg[200], mac[64], want[64];
	unsigned int i, want_len;
	TEE_OperationHandle op;
	size_t len;

	sdk_test_init();
	/* RFC 4231 case 4: a 25-byte key, 50 x 0xcd */
	for (i = 0; i < 25; i++)
		key[i] = (uint8_t)(i + 1);
	memset(msg, 0xcd, 50);
	op = mac_op(TEE_ALG_HMAC_SHA256, TEE_TYPE_GENERIC_SECRET, key, 25);
	len = sizeof(mac);
	CHECK_EQ(TEE_MACComputeFinal(op, msg, 50, mac, &len), TEE_SUCCESS);
	CHECK_EQ(len, 32);
	CHECK_MEM(mac, rfc4231_mac, 32);
	TEE_FreeOperation(op);
	/* below HMAC-SHA256's smallest key */
	CHECK_EQ(TEE_AllocateOperation(&op, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC,
				       64),
		 TEE_ERROR_NOT_SUPPORTED);
	memset(key, 0x0b, sizeof(key));
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)i;
	for (i = 0; i < 5; i++) {
		const size_t klen = 32;

		CHECK(HMAC(EVP_get_digestbyname(hashes[i]), key, (int)klen, msg,
			   sizeof(msg), want, &want_len));
		op = mac_op(TEE_ALG_HMAC_SHA1 + i, TEE_TYPE_HMAC_SHA1 + i, key,
			    klen);
		TEE_MACUpdate(op, msg, 50);
		len = 1;
		CHECK_EQ(TEE_MACComputeFinal(op, msg + 50, 150, mac, &len),
			 TEE_ERROR_SHORT_BUFFER);
		CHECK_EQ(len, want_len);
		CHECK_EQ(TEE_MACComputeFinal(op, msg + 50, 150, mac, &len),
			 TEE_SUCCESS);
		CHECK_MEM(mac, want, want_len);
		TEE_MACInit(op, NULL, 0);
		CHECK_EQ(TEE_MACCompareFinal(op, msg, sizeof(msg), want,
					     want_len),
			 TEE_SUCCESS);
		want[3] ^= 0x40;
		TEE_MACInit(op, NULL, 0);
		CHECK_EQ(TEE_MACCompareFinal(op, msg, sizeof(msg), want,
					     want_len),
			 TEE_ERROR_MAC_INVALID);
		TEE_MACInit(op, NULL, 0);
		CHECK_EQ(TEE_MACCompareFinal(op, msg, sizeof(msg), want,
					     want_len - 1),
			 TEE_ERROR_MAC_INVALID);
		TEE_FreeOperation(op);
	}
	/* RFC 4493 example 2 */
	op = mac_op(TEE_ALG_AES_CMAC, TEE_TYPE_AES, rfc4493_key, 16);
	len = sizeof(mac);
	CHECK_EQ(TEE_MACComputeFinal(op, rfc4493_msg, 16, mac, &len),
		 TEE_SUCCESS);
	CHECK_EQ(len, 16);
	CHECK_MEM(mac, rfc4493_mac, 16);
	TEE_FreeOperation(op);

	ae_check(TEE_ALG_AES_GCM, "AES-128-GCM", 12, 128);
	ae_check(TEE_ALG_AES_GCM, "AES-128-GCM", 16, 96);
	ae_check(TEE_ALG_AES_CCM, "AES-128-CCM", 13, 128);
	ae_check(TEE_ALG_AES_CCM, "AES-128-CCM", 7, 64);
	op = ae_op(TEE_ALG_AES_GCM, TEE_MODE_ENCRYPT);
	CHECK_EQ(TEE_AEInit(op, key, 12, 64, 0, 0), TEE_ERROR_NOT_SUPPORTED);
	TEE_FreeOperation(op);
	op = ae_op(TEE_ALG_AES_CCM, TEE_MODE_ENCRYPT);
	CHECK_EQ(TEE_AEInit(op, key, 13, 40, 0, 0), TEE_ERROR_NOT_SUPPORTED);
	TEE_FreeOperation(op);
	CHECK_PANIC(mac_update_before_init, NULL, "TEE_MACUpdate");
	return T_PASS;
}
