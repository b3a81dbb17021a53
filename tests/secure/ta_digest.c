// SPDX-License-Identifier: MIT
/*
 * digest: SHA-256 of "abc" and of empty data (a null memref) and RFC 4231
 * HMAC-SHA256 test cases 1, 2 and 6 (a key longer than a block) come out
 * exactly; INIT/UPDATE/FINAL over odd chunk sizes equals the single-shot
 * result, and a single-shot call in between does not disturb it; both
 * agree with libcrypto's SHA-256 and HMAC-SHA256, over 5000 bytes and over
 * a 3 MiB input. An output under 32 bytes is
 * SHORT_BUFFER with size 32 and nothing written (FINAL keeps the
 * operation); success sets the size to 32 and writes nothing past it.
 * Output may overlap the input. Key lengths 0 and 1025 are refused,
 * 1024 accepted; UPDATE/FINAL without INIT, after FINAL or after a failed
 * INIT are BAD_STATE; wrong types BAD_PARAMETERS; unknown commands
 * NOT_SUPPORTED.
 */
#include "secure/core/ta.h"
#include "tests/check.h"

#include <openssl/evp.h>
#include <openssl/hmac.h>

#define T_NONE TEEQ_PARAM_NONE
#define T_VIN TEEQ_PARAM_VALUE_INPUT
#define T_MIN TEEQ_PARAM_MEMREF_INPUT
#define T_MOUT TEEQ_PARAM_MEMREF_OUTPUT
#define T_MINOUT TEEQ_PARAM_MEMREF_INOUT

#define LEN TEEQ_DIGEST_LEN

static const struct ta_uuid digest_uuid = TEEQ_TA_DIGEST_UUID;
static const struct teeq_ta *ta;

static struct ta_param val(unsigned int type, uint32_t a, uint32_t b)
{
	struct ta_param p = { .type = type, .value = { a, b } };

	return p;
}

static struct ta_param mem(unsigned int type, const void *buffer, size_t size)
{
	struct ta_param p = { .type = type,
			      .memref = { (void *)buffer, size } };

	return p;
}

static const struct ta_param none = { .type = T_NONE };

static uint32_t call(void *s, uint32_t cmd, struct ta_param *p)
{
	return ta->invoke(s, NULL, cmd,
			  TEEQ_PARAM_TYPES(p[0].type, p[1].type, p[2].type,
					   p[3].type),
			  p);
}

static void unhex(const char *hex, unsigned char *out, size_t len)
{
	size_t i;

	CHECK_EQ(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		unsigned int byte;

		CHECK_EQ(sscanf(hex + 2 * i, "%2x", &byte), 1);
		out[i] = (unsigned char)byte;
	}
}

static uint32_t sha256(void *s, const void *data, size_t len,
		       unsigned char *out, size_t out_size, size_t *out_len)
{
	struct ta_param p[4] = { mem(T_MIN, data, len),
				 mem(T_MOUT, out, out_size), none, none };
	uint32_t res = call(s, TEEQ_DIGEST_CMD_SHA256, p);

	*out_len = p[1].memref.size;
	return res;
}

static uint32_t hmac(void *s, const void *key, size_t key_len, const void *data,
		     size_t len, unsigned char *out, size_t out_size,
		     size_t *out_len)
{
	struct ta_param p[4] = { mem(T_MIN, key, key_len),
				 mem(T_MIN, data, len),
				 mem(T_MOUT, out, out_size), none };
	uint32_t res = call(s, TEEQ_DIGEST_CMD_HMAC, p);

	*out_len = p[2].memref.size;
	return res;
}

static uint32_t init(void *s, uint32_t alg, const void *key, size_t key_len)
{
	struct ta_param p[4] = { val(T_VIN, alg, 0), none, none, none };

	if (key)
		p[1] = mem(T_MIN, key, key_len);
	return call(s, TEEQ_DIGEST_CMD_INIT, p);
}

static uint32_t update(void *s, const void *data, size_t len)
{
	struct ta_param p[4] = { mem(T_MIN, data, len), none, none, none };

	return call(s, TEEQ_DIGEST_CMD_UPDATE, p);
}

static uint32_t final(void *s, unsigned char *out, size_t out_size,
		      size_t *out_len)
{
	struct ta_param p[4] = { mem(T_MOUT, out, out_size), none, none, none };
	uint32_t res = call(s, TEEQ_DIGEST_CMD_FINAL, p);

	*out_len = p[0].memref.size;
	return res;
}

static void check_vectors(void *s)
{
	const char *tc6_data =
		"Test Using Larger Than Block-Size Key - Hash Key First";
	unsigned char out[LEN], expect[LEN], key[131];
	size_t n;

	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      expect, LEN);
	CHECK_EQ(sha256(s, "abc", 3, out, LEN, &n), TEEQ_SUCCESS);
	CHECK_EQ(n, LEN);
	CHECK_MEM(out, expect, LEN);

	unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	      expect, LEN);
	CHECK_EQ(sha256(s, NULL, 0, out, LEN, &n), TEEQ_SUCCESS);
	CHECK_EQ(n, LEN);
	CHECK_MEM(out, expect, LEN);

	/* RFC 4231 test case 1 */
	memset(key, 0x0b, 20);
	unhex("b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
	      expect, LEN);
	CHECK_EQ(hmac(s, key, 20, "Hi There", 8, out, LEN, &n), TEEQ_SUCCESS);
	CHECK_EQ(n, LEN);
	CHECK_MEM(out, expect, LEN);

	/* RFC 4231 test case 2 */
	unhex("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
	      expect, LEN);
	CHECK_EQ(hmac(s, "Jefe", 4, "what do ya want for nothing?", 28, out,
		      LEN, &n),
		 TEEQ_SUCCESS);
	CHECK_MEM(out, expect, LEN);

	/* RFC 4231 test case 6 */
	memset(key, 0xaa, sizeof(key));
	unhex("60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
	      expect, LEN);
	CHECK_EQ(hmac(s, key, sizeof(key), tc6_data, strlen(tc6_data), out, LEN,
		      &n),
		 TEEQ_SUCCESS);
	CHECK_MEM(out, expect, LEN);

	/* the same vectors, multi-part */
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_HMAC_SHA256, key, sizeof(key)),
		 TEEQ_SUCCESS);
	CHECK_EQ(update(s, tc6_data, 10), TEEQ_SUCCESS);
	CHECK_EQ(update(s, NULL, 0), TEEQ_SUCCESS);
	CHECK_EQ(update(s, tc6_data + 10, strlen(tc6_data) - 10), TEEQ_SUCCESS);
	CHECK_EQ(final(s, out, LEN, &n), TEEQ_SUCCESS);
	CHECK_EQ(n, LEN);
	CHECK_MEM(out, expect, LEN);

	unhex("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
	      expect, LEN);
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_SHA256, NULL, 0), TEEQ_SUCCESS);
	CHECK_EQ(final(s, out, LEN, &n), TEEQ_SUCCESS);
	CHECK_MEM(out, expect, LEN);
}

/* Multi-part over odd chunk sizes equals single-shot, for both algorithms,
 * with a single-shot call between the parts, and both equal libcrypto. */
static void check_multipart(void *s, const unsigned char *data, size_t len)
{
	static const size_t chunks[] = { 1, 63, 64, 65, 127, 3, 1000, 0, 4097 };
	unsigned char once[LEN], multi[LEN], scratch[LEN], key[77], want[LEN];
	unsigned int want_len;
	uint32_t alg;
	size_t i, off, n;

	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)(i * 13 + 5);
	for (alg = TEEQ_DIGEST_ALG_SHA256; alg <= TEEQ_DIGEST_ALG_HMAC_SHA256;
	     alg++) {
		want_len = 0;
		if (alg == TEEQ_DIGEST_ALG_SHA256)
			CHECK(EVP_Digest(data, len, want, &want_len,
					 EVP_sha256(), NULL));
		else
			CHECK(HMAC(EVP_sha256(), key, sizeof(key), data, len,
				   want, &want_len));
		CHECK_EQ(want_len, LEN);
		if (alg == TEEQ_DIGEST_ALG_SHA256) {
			CHECK_EQ(sha256(s, data, len, once, LEN, &n),
				 TEEQ_SUCCESS);
			CHECK_EQ(init(s, alg, NULL, 0), TEEQ_SUCCESS);
		} else {
			CHECK_EQ(hmac(s, key, sizeof(key), data, len, once, LEN,
				      &n),
				 TEEQ_SUCCESS);
			CHECK_EQ(init(s, alg, key, sizeof(key)), TEEQ_SUCCESS);
		}
		for (off = 0, i = 0; off < len; i++) {
			size_t chunk =
				chunks[i % (sizeof(chunks) / sizeof(chunks[0]))];

			if (chunk > len - off)
				chunk = len - off;
			CHECK_EQ(update(s, data + off, chunk), TEEQ_SUCCESS);
			off += chunk;
			if (i == 3)
				CHECK_EQ(hmac(s, "k", 1, "x", 1, scratch, LEN,
					      &n),
					 TEEQ_SUCCESS);
			if (i == 4)
				CHECK_EQ(sha256(s, "y", 1, scratch, LEN, &n),
					 TEEQ_SUCCESS);
		}
		CHECK_EQ(final(s, multi, LEN, &n), TEEQ_SUCCESS);
		CHECK_EQ(n, LEN);
		CHECK_MEM(once, want, LEN);
		CHECK_MEM(multi, want, LEN);
	}
}

static void check_large(void *s)
{
	size_t len = 3 << 20, n;
	unsigned char *data = malloc(len), out[LEN], expect[LEN];
	unsigned int expect_len;
	uint64_t seed = 42;
	size_t i;

	CHECK(data);
	for (i = 0; i < len; i++)
		data[i] = (unsigned char)test_rand(&seed);
	CHECK(EVP_Digest(data, len, expect, &expect_len, EVP_sha256(), NULL));
	CHECK_EQ(expect_len, LEN);
	CHECK_EQ(sha256(s, data, len, out, LEN, &n), TEEQ_SUCCESS);
	CHECK_MEM(out, expect, LEN);
	check_multipart(s, data, len);
	check_multipart(s, data, 5000);
	free(data);
}

static void check_output_sizes(void *s)
{
	unsigned char buf[LEN + 8], expect[LEN], key[1025];
	size_t n, i;

	memset(key, 0x5c, sizeof(key));
	/* short, and null: size 32, nothing written */
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(sha256(s, "abc", 3, buf, LEN - 1, &n),
		 TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, LEN);
	CHECK_EQ(sha256(s, "abc", 3, NULL, 0, &n), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, LEN);
	CHECK_EQ(sha256(s, "abc", 3, NULL, 64, &n), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, LEN);
	CHECK_EQ(hmac(s, "Jefe", 4, "abc", 3, buf, 0, &n),
		 TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, LEN);
	for (i = 0; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0xee);

	/* larger: size := 32, nothing past it */
	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      expect, LEN);
	CHECK_EQ(sha256(s, "abc", 3, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, LEN);
	CHECK_MEM(buf, expect, LEN);
	for (i = LEN; i < sizeof(buf); i++)
		CHECK_EQ(buf[i], 0xee);

	/* output over the input */
	memcpy(buf, "abc", 3);
	CHECK_EQ(sha256(s, buf, 3, buf, LEN, &n), TEEQ_SUCCESS);
	CHECK_MEM(buf, expect, LEN);

	/* FINAL: short keeps the operation */
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_SHA256, NULL, 0), TEEQ_SUCCESS);
	CHECK_EQ(update(s, "abc", 3), TEEQ_SUCCESS);
	memset(buf, 0xee, sizeof(buf));
	CHECK_EQ(final(s, buf, 16, &n), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, LEN);
	CHECK_EQ(buf[0], 0xee);
	CHECK_EQ(final(s, NULL, 0, &n), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(n, LEN);
	CHECK_EQ(final(s, buf, sizeof(buf), &n), TEEQ_SUCCESS);
	CHECK_EQ(n, LEN);
	CHECK_MEM(buf, expect, LEN);
	CHECK_EQ(buf[LEN], 0xee);

	/* key lengths */
	CHECK_EQ(hmac(s, key, 0, "abc", 3, buf, LEN, &n),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(hmac(s, NULL, 0, "abc", 3, buf, LEN, &n),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(hmac(s, key, 1025, "abc", 3, buf, LEN, &n),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(hmac(s, key, 1024, "abc", 3, buf, LEN, &n), TEEQ_SUCCESS);
	CHECK_EQ(hmac(s, key, 1, "abc", 3, buf, LEN, &n), TEEQ_SUCCESS);
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_HMAC_SHA256, key, 1025),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_HMAC_SHA256, key, 0),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_HMAC_SHA256, key, 1024), TEEQ_SUCCESS);
	/* a null data memref claiming bytes */
	CHECK_EQ(sha256(s, NULL, 3, buf, LEN, &n), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(update(s, NULL, 3), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(final(s, buf, LEN, &n), TEEQ_SUCCESS);
}

static void check_state(void *s)
{
	unsigned char out[LEN], expect[LEN];
	size_t n;

	/* a fresh session has no operation */
	CHECK_EQ(update(s, "abc", 3), TEEQ_ERROR_BAD_STATE);
	CHECK_EQ(final(s, out, LEN, &n), TEEQ_ERROR_BAD_STATE);

	/* FINAL ends it */
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_SHA256, NULL, 0), TEEQ_SUCCESS);
	CHECK_EQ(final(s, out, LEN, &n), TEEQ_SUCCESS);
	CHECK_EQ(update(s, "abc", 3), TEEQ_ERROR_BAD_STATE);
	CHECK_EQ(final(s, out, LEN, &n), TEEQ_ERROR_BAD_STATE);

	/* INIT restarts */
	unhex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
	      expect, LEN);
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_HMAC_SHA256, "Jefe", 4), TEEQ_SUCCESS);
	CHECK_EQ(update(s, "garbage", 7), TEEQ_SUCCESS);
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_SHA256, NULL, 0), TEEQ_SUCCESS);
	CHECK_EQ(update(s, "abc", 3), TEEQ_SUCCESS);
	CHECK_EQ(final(s, out, LEN, &n), TEEQ_SUCCESS);
	CHECK_MEM(out, expect, LEN);

	/* a failed INIT leaves no operation */
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_SHA256, NULL, 0), TEEQ_SUCCESS);
	CHECK_EQ(init(s, 7, NULL, 0), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(update(s, "abc", 3), TEEQ_ERROR_BAD_STATE);
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_SHA256, "key", 3),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_HMAC_SHA256, NULL, 0),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(final(s, out, LEN, &n), TEEQ_ERROR_BAD_STATE);

	/* an operation left open is freed by close_session */
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_HMAC_SHA256, "Jefe", 4), TEEQ_SUCCESS);
	CHECK_EQ(update(s, "abc", 3), TEEQ_SUCCESS);
}

static void check_types(void *s)
{
	unsigned char out[LEN];
	struct ta_param p[4] = { mem(T_MIN, "abc", 3), mem(T_MOUT, out, LEN),
				 none, none };

	p[1].type = T_MINOUT;
	CHECK_EQ(call(s, TEEQ_DIGEST_CMD_SHA256, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[1].type = T_MOUT;
	p[3] = val(T_VIN, 0, 0);
	CHECK_EQ(call(s, TEEQ_DIGEST_CMD_SHA256, p), TEEQ_ERROR_BAD_PARAMETERS);
	/* SHA-256 layout given to HMAC */
	p[3] = none;
	CHECK_EQ(call(s, TEEQ_DIGEST_CMD_HMAC, p), TEEQ_ERROR_BAD_PARAMETERS);
	/* INIT with a memref for p0 */
	CHECK_EQ(call(s, TEEQ_DIGEST_CMD_INIT, p), TEEQ_ERROR_BAD_PARAMETERS);
	/* UPDATE and FINAL with an extra parameter */
	CHECK_EQ(init(s, TEEQ_DIGEST_ALG_SHA256, NULL, 0), TEEQ_SUCCESS);
	CHECK_EQ(call(s, TEEQ_DIGEST_CMD_UPDATE, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[0] = mem(T_MOUT, out, LEN);
	CHECK_EQ(call(s, TEEQ_DIGEST_CMD_FINAL, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[1] = none;
	p[0].type = T_MINOUT;
	CHECK_EQ(call(s, TEEQ_DIGEST_CMD_FINAL, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[0].type = T_MOUT;
	CHECK_EQ(call(s, TEEQ_DIGEST_CMD_FINAL, p), TEEQ_SUCCESS);

	CHECK_EQ(call(s, 5, p), TEEQ_ERROR_NOT_SUPPORTED);
	CHECK_EQ(call(s, UINT32_MAX, p), TEEQ_ERROR_NOT_SUPPORTED);
}

int main(void)
{
	struct ta_param params[TEEQ_NUM_PARAMS] = { { 0 } };
	const struct ta_identity who = { TEEQ_LOGIN_PUBLIC, 0, 0, 1 };
	void *s;

	ta = ta_registry_find(&digest_uuid);
	CHECK(ta);
	s = calloc(1, ta->session_size ? ta->session_size : 1);
	CHECK(s);
	if (ta->open_session)
		CHECK_EQ(ta->open_session(s, &who, 0, params), TEEQ_SUCCESS);

	check_state(s);
	check_vectors(s);
	check_output_sizes(s);
	check_large(s);
	check_types(s);
	check_state(s);

	if (ta->close_session)
		ta->close_session(s);
	free(s);
	return T_PASS;
}
