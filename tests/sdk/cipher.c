// SPDX-License-Identifier: MIT
/*
 * Symmetric ciphers: AES ECB, CBC, CTR, CTS (CS3) and XTS with 128 and
 * 256-bit keys, every length from 0 to 80 bytes, fed whole and in uneven
 * pieces, both directions, against OpenSSL's one-shot computed in the
 * test. SHORT_BUFFER writes the needed size back and changes nothing;
 * NOPAD modes refuse a partial final block; the spec's panics.
 */
#include "sdk_crypto.h"

#include <openssl/core_names.h>

static const uint8_t cipher_key[64] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6, 0xab, 0xf7, 0x15,
	0x88, 0x09, 0xcf, 0x4f, 0x3c, 0x60, 0x3d, 0xeb, 0x10, 0x15, 0xca,
	0x71, 0xbe, 0x2b, 0x73, 0xae, 0xf0, 0x85, 0x7d, 0x77, 0x81, 0x1f,
	0x35, 0x2c, 0x07, 0x3b, 0x61, 0x08, 0xd7, 0x2d, 0x98, 0x10, 0xa3,
	0x09, 0x14, 0xdf, 0xf4, 0x9f, 0x8a, 0x11, 0x62, 0x53, 0xc1, 0x01,
	0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a
};

/* The TEE result of @alg over @in, in pieces of @step (0: one final). */
static size_t cipher_tee(uint32_t alg, uint32_t mode, size_t key_len,
			 const uint8_t *iv, const uint8_t *in, size_t len,
			 size_t step, uint8_t *out)
{
	TEE_ObjectHandle k1, k2 = TEE_HANDLE_NULL;
	TEE_OperationHandle op;
	size_t done = 0, produced = 0, n;

	CHECK_EQ(TEE_AllocateOperation(&op, alg, mode, (uint32_t)key_len * 8),
		 TEE_SUCCESS);
	k1 = sdk_secret(TEE_TYPE_AES, cipher_key, key_len);
	if (alg == TEE_ALG_AES_XTS) {
		k2 = sdk_secret(TEE_TYPE_AES, cipher_key + key_len, key_len);
		CHECK_EQ(TEE_SetOperationKey2(op, k1, k2), TEE_SUCCESS);
	} else {
		CHECK_EQ(TEE_SetOperationKey(op, k1), TEE_SUCCESS);
	}
	TEE_FreeTransientObject(k1);
	TEE_FreeTransientObject(k2);
	TEE_CipherInit(op, iv, alg == TEE_ALG_AES_ECB_NOPAD ? 0 : 16);
	while (step && len - done > step) {
		n = 200;
		CHECK_EQ(TEE_CipherUpdate(op, in + done, step, out + produced,
					  &n),
			 TEE_SUCCESS);
		CHECK(n <= step + 32);
		done += step;
		produced += n;
	}
	n = 200;
	CHECK_EQ(TEE_CipherDoFinal(op, in + done, len - done, out + produced,
				   &n),
		 TEE_SUCCESS);
	TEE_FreeOperation(op);
	return produced + n;
}

static void cipher_update_before_init(void *arg)
{
	TEE_OperationHandle op;
	uint8_t out[16];
	size_t n = sizeof(out);

	(void)arg;
	TEE_AllocateOperation(&op, TEE_ALG_AES_CTR, TEE_MODE_ENCRYPT, 128);
	TEE_SetOperationKey(op, sdk_secret(TEE_TYPE_AES, cipher_key, 16));
	TEE_CipherUpdate(op, out, sizeof(out), out, &n);
}

static void cipher_wrong_key_type(void *arg)
{
	TEE_OperationHandle op;

	(void)arg;
	TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT,
			      256);
	TEE_SetOperationKey(op,
			    sdk_secret(TEE_TYPE_HMAC_SHA256, cipher_key, 32));
}

static void cipher_key_too_big(void *arg)
{
	TEE_OperationHandle op;

	(void)arg;
	TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT,
			      128);
	TEE_SetOperationKey(op, sdk_secret(TEE_TYPE_AES, cipher_key, 32));
}

static void cipher_cbc_without_iv(void *arg)
{
	TEE_OperationHandle op;

	(void)arg;
	TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD, TEE_MODE_ENCRYPT,
			      128);
	TEE_SetOperationKey(op, sdk_secret(TEE_TYPE_AES, cipher_key, 16));
	TEE_CipherInit(op, NULL, 0);
}

int main(void)
{
	static const struct {
		uint32_t alg;
		const char *mode; /* OpenSSL's */
		bool whole; /* whole blocks only */
		size_t min;
	} modes[] = {
		{ TEE_ALG_AES_ECB_NOPAD, "ECB", true, 0 },
		{ TEE_ALG_AES_CBC_NOPAD, "CBC", true, 0 },
		{ TEE_ALG_AES_CTR, "CTR", false, 0 },
		{ TEE_ALG_AES_CTS, "CBC-CTS", false, 16 },
		{ TEE_ALG_AES_XTS, "XTS", false, 16 },
	};
	uint8_t iv[16], in[80], want[96], got[96], back[96];
	OSSL_PARAM cs3[2] = { OSSL_PARAM_construct_utf8_string(
				      OSSL_CIPHER_PARAM_CTS_MODE, "CS3", 0),
			      OSSL_PARAM_construct_end() };
	static const size_t steps[] = { 0, 1, 7, 16, 17, 33 };
	TEE_OperationHandle op;
	unsigned int m, k, s;
	size_t len, n, key_len;
	char name[32];

	sdk_test_init();
	for (len = 0; len < sizeof(in); len++)
		in[len] = (uint8_t)(len * 13 + 1);
	for (len = 0; len < sizeof(iv); len++)
		iv[len] = (uint8_t)(0xf0 + len);
	for (m = 0; m < sizeof(modes) / sizeof(modes[0]); m++)
		for (k = 0; k < 2; k++) {
			key_len = k ? 32 : 16;
			snprintf(name, sizeof(name), "AES-%zu-%s", key_len * 8,
				 modes[m].mode);
			for (len = modes[m].min; len <= sizeof(in); len++) {
				uint8_t xts_key[64];

				if (modes[m].whole && len % 16)
					continue;
				if (!len && modes[m].min)
					continue;
				memcpy(xts_key, cipher_key, 2 * key_len);
				sdk_evp(name, 1, xts_key, iv, in, len, want,
					modes[m].alg == TEE_ALG_AES_CTS ? cs3 :
									  NULL);
				for (s = 0; s < sizeof(steps) / sizeof(*steps);
				     s++) {
					n = cipher_tee(modes[m].alg,
						       TEE_MODE_ENCRYPT,
						       key_len, iv, in, len,
						       steps[s], got);
					CHECK_EQ(n, len);
					CHECK_MEM(got, want, len);
					n = cipher_tee(modes[m].alg,
						       TEE_MODE_DECRYPT,
						       key_len, iv, got, len,
						       steps[s], back);
					CHECK_EQ(n, len);
					CHECK_MEM(back, in, len);
				}
			}
		}

	/* SHORT_BUFFER: the size back, nothing consumed */
	CHECK_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD,
				       TEE_MODE_ENCRYPT, 128),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_SetOperationKey(op,
				     sdk_secret(TEE_TYPE_AES, cipher_key, 16)),
		 TEE_SUCCESS);
	TEE_CipherInit(op, iv, 16);
	n = 10;
	CHECK_EQ(TEE_CipherUpdate(op, in, 40, got, &n), TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, 32);
	CHECK_EQ(TEE_CipherUpdate(op, in, 40, got, &n), TEE_SUCCESS);
	CHECK_EQ(n, 32);
	n = sizeof(got);
	/* 40 + 1 bytes is no whole number of blocks */
	CHECK_EQ(TEE_CipherDoFinal(op, in + 40, 1, got + 32, &n),
		 TEE_ERROR_BAD_PARAMETERS);
	CHECK_EQ(TEE_CipherDoFinal(op, in + 40, 8, got + 32, &n), TEE_SUCCESS);
	CHECK_EQ(n, 16);
	sdk_evp("AES-128-CBC", 1, cipher_key, iv, in, 48, want, NULL);
	CHECK_MEM(got, want, 48);
	TEE_FreeOperation(op);

	/* XTS refuses two equal keys */
	CHECK_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_XTS, TEE_MODE_ENCRYPT,
				       128),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_SetOperationKey2(op,
				      sdk_secret(TEE_TYPE_AES, cipher_key, 16),
				      sdk_secret(TEE_TYPE_AES, cipher_key, 16)),
		 TEE_ERROR_SECURITY);
	CHECK_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD,
				       TEE_MODE_ENCRYPT, 100),
		 TEE_ERROR_NOT_SUPPORTED);
	CHECK_EQ(TEE_AllocateOperation(&op, TEE_ALG_AES_CBC_NOPAD,
				       TEE_MODE_SIGN, 128),
		 TEE_ERROR_NOT_SUPPORTED);
	CHECK_PANIC(cipher_update_before_init, NULL, "TEE_CipherUpdate");
	CHECK_PANIC(cipher_wrong_key_type, NULL, "TEE_SetOperationKey");
	CHECK_PANIC(cipher_key_too_big, NULL, "TEE_SetOperationKey");
	CHECK_PANIC(cipher_cbc_without_iv, NULL, "TEE_CipherInit");
	return T_PASS;
}
