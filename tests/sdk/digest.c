// SPDX-License-Identifier: MIT
/*
 * Digests: SHA-1/224/256/384/512 against OpenSSL computed independently
 * and the FIPS 180 "abc" vector, fed whole and in pieces; SHORT_BUFFER
 * writes the size back and leaves the operation as it was; a copy carries
 * the state; the spec's panics (wrong class, bad and freed handles).
 */
#include "sdk_test.h"

#include <openssl/evp.h>

static const uint8_t digest_abc_sha256[32] = {
	0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea, 0x41, 0x41, 0x40,
	0xde, 0x5d, 0xae, 0x22, 0x23, 0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17,
	0x7a, 0x9c, 0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad
};

static void digest_update_on_mac(void *arg)
{
	TEE_OperationHandle op;

	(void)arg;
	TEE_AllocateOperation(&op, TEE_ALG_HMAC_SHA256, TEE_MODE_MAC, 256);
	TEE_DigestUpdate(op, "x", 1);
}

static void digest_update_forged(void *arg)
{
	TEE_DigestUpdate((TEE_OperationHandle)arg, "x", 1);
}

static void digest_update_freed(void *arg)
{
	TEE_OperationHandle op;

	(void)arg;
	TEE_AllocateOperation(&op, TEE_ALG_SHA1, TEE_MODE_DIGEST, 0);
	TEE_FreeOperation(op);
	TEE_DigestUpdate(op, "x", 1);
}

int main(void)
{
	static const struct {
		uint32_t alg;
		const char *name;
	} algs[] = { { TEE_ALG_SHA1, "SHA1" },
		     { TEE_ALG_SHA224, "SHA224" },
		     { TEE_ALG_SHA256, "SHA256" },
		     { TEE_ALG_SHA384, "SHA384" },
		     { TEE_ALG_SHA512, "SHA512" } };
	uint8_t msg[1000], got[64], want[64], stack_var = 0;
	TEE_OperationHandle op, copy;
	TEE_OperationInfo info;
	unsigned int i, want_len;
	size_t len;

	sdk_test_init();
	for (i = 0; i < sizeof(msg); i++)
		msg[i] = (uint8_t)(i * 7 + 3);
	len = sizeof(got);
	CHECK_EQ(TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_DIGEST, 0),
		 TEE_SUCCESS);
	CHECK_EQ(TEE_DigestDoFinal(op, "abc", 3, got, &len), TEE_SUCCESS);
	CHECK_EQ(len, 32);
	CHECK_MEM(got, digest_abc_sha256, 32);
	TEE_FreeOperation(op);

	for (i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		CHECK(EVP_Digest(msg, sizeof(msg), want, &want_len,
				 EVP_get_digestbyname(algs[i].name), NULL));
		CHECK_EQ(TEE_AllocateOperation(&op, algs[i].alg,
					       TEE_MODE_DIGEST, 0),
			 TEE_SUCCESS);
		TEE_GetOperationInfo(op, &info);
		CHECK_EQ(info.digestLength, want_len);
		CHECK_EQ(info.operationClass, TEE_OPERATION_DIGEST);
		TEE_DigestUpdate(op, msg, 100);
		TEE_DigestUpdate(op, msg + 100, 0);
		/* short buffer: size back, state kept */
		len = want_len - 1;
		CHECK_EQ(TEE_DigestDoFinal(op, msg + 100, 900, got, &len),
			 TEE_ERROR_SHORT_BUFFER);
		CHECK_EQ(len, want_len);
		CHECK_EQ(TEE_AllocateOperation(&copy, algs[i].alg,
					       TEE_MODE_DIGEST, 0),
			 TEE_SUCCESS);
		TEE_CopyOperation(copy, op);
		CHECK_EQ(TEE_DigestDoFinal(op, msg + 100, 900, got, &len),
			 TEE_SUCCESS);
		CHECK_EQ(len, want_len);
		CHECK_MEM(got, want, want_len);
		/* the copy goes on from the same state */
		len = sizeof(got);
		CHECK_EQ(TEE_DigestDoFinal(copy, msg + 100, 900, got, &len),
			 TEE_SUCCESS);
		CHECK_MEM(got, want, want_len);
		/* after a final the operation starts over */
		len = sizeof(got);
		CHECK_EQ(TEE_DigestDoFinal(op, msg, sizeof(msg), got, &len),
			 TEE_SUCCESS);
		CHECK_MEM(got, want, want_len);
		TEE_FreeOperation(op);
		TEE_FreeOperation(copy);
	}
	TEE_FreeOperation(TEE_HANDLE_NULL);
	CHECK_EQ(TEE_AllocateOperation(&op, TEE_ALG_SHA256, TEE_MODE_ENCRYPT,
				       0),
		 TEE_ERROR_NOT_SUPPORTED);
	CHECK(op == TEE_HANDLE_NULL);
	CHECK_EQ(TEE_AllocateOperation(&op, 0x50000077, TEE_MODE_DIGEST, 0),
		 TEE_ERROR_NOT_SUPPORTED);
	CHECK_PANIC(digest_update_on_mac, NULL, "TEE_DigestUpdate");
	CHECK_PANIC(digest_update_forged, &stack_var, "TEE_DigestUpdate");
	CHECK_PANIC(digest_update_freed, NULL, "TEE_DigestUpdate");
	return T_PASS;
}
