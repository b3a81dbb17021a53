// SPDX-License-Identifier: MIT
/*
 * cipher: NIST SP 800-38A F.5.1 (AES-128-CTR) and F.5.5 (AES-256-CTR), and
 * the McGrew-Viega GCM test cases 1 (empty), 3 (no AAD), 4 (AAD) and 16
 * (AES-256, AAD) come out exactly, out of place and in place; a CTR prefix
 * of any odd length is the prefix of the vector; a 3 MiB + 7 buffer agrees
 * with libcrypto in CTR and in GCM (ciphertext and tag), in place equals
 * out of place, and decrypts back. GCM
 * decrypt with a flipped tag bit, AAD byte or ciphertext byte is
 * MAC_INVALID with the output zeroed. A short output or tag is
 * SHORT_BUFFER with the needed size and nothing written; success sets the
 * sizes and writes nothing past them. No key, the other mode's key, or a
 * failed SET_KEY is BAD_STATE; bad key, IV, nonce and tag lengths and
 * wrong types are BAD_PARAMETERS; unknown commands NOT_SUPPORTED.
 */
#include "secure/core/ta.h"
#include "tests/check.h"

#include <openssl/evp.h>

#define T_NONE TEEQ_PARAM_NONE
#define T_VIN TEEQ_PARAM_VALUE_INPUT
#define T_MIN TEEQ_PARAM_MEMREF_INPUT
#define T_MOUT TEEQ_PARAM_MEMREF_OUTPUT
#define T_MINOUT TEEQ_PARAM_MEMREF_INOUT

#define CTR TEEQ_CIPHER_MODE_CTR
#define GCM TEEQ_CIPHER_MODE_GCM
#define TAG_LEN TEEQ_CIPHER_GCM_TAG_LEN
#define NONCE_LEN TEEQ_CIPHER_GCM_IV_LEN

static const struct ta_uuid cipher_uuid = TEEQ_TA_CIPHER_UUID;
static const struct teeq_ta *ta;
static const struct ta_param none = { .type = T_NONE };

/* NIST SP 800-38A F.5.1 / F.5.5 */
static const char ctr_key128[] = "2b7e151628aed2a6abf7158809cf4f3c";
static const char ctr_key256[] =
	"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4";
static const char ctr_iv[] = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
static const char ctr_pt[] = "6bc1bee22e409f96e93d7e117393172a"
			     "ae2d8a571e03ac9c9eb76fac45af8e51"
			     "30c81c46a35ce411e5fbc1191a0a52ef"
			     "f69f2445df4f9b17ad2b417be66c3710";
static const char ctr_ct128[] = "874d6191b620e3261bef6864990db6ce"
				"9806f66b7970fdff8617187bb9fffdff"
				"5ae4df3edbd5d35e5b4f09020db03eab"
				"1e031dda2fbe03d1792170a0f3009cee";
static const char ctr_ct256[] = "601ec313775789a5b7a7f504bbf3d228"
				"f443e3ca4d62b59aca84e990cacaf5c5"
				"2b0930daa23de94ce87017ba2d84988d"
				"dfc9c58db67aada613c2dd08457941a6";

/* McGrew and Viega, "The Galois/Counter Mode of Operation", test cases */
struct gcm_vector {
	const char *key, *nonce, *aad, *pt, *ct, *tag;
};

static const struct gcm_vector gcm_vectors[] = {
	{ /* 1 */
	  "00000000000000000000000000000000", "000000000000000000000000", "",
	  "", "", "58e2fccefa7e3061367f1d57a4e7455a" },
	{ /* 3 */
	  "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888", "",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b391aafd255",
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091473f5985",
	  "4d5c2af327cd64a62cf35abd2ba6fab4" },
	{ /* 4 */
	  "feffe9928665731c6d6a8f9467308308", "cafebabefacedbaddecaf888",
	  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  "42831ec2217774244b7221b784d0d49ce3aa212f2c02a4e035c17e2329aca12e"
	  "21d514b25466931c7d8f6a5aac84aa051ba30b396a0aac973d58e091",
	  "5bc94fbc3221a5db94fae95ae7121a47" },
	{ /* 16 */
	  "feffe9928665731c6d6a8f9467308308feffe9928665731c6d6a8f9467308308",
	  "cafebabefacedbaddecaf888",
	  "feedfacedeadbeeffeedfacedeadbeefabaddad2",
	  "d9313225f88406e5a55909c5aff5269a86a7a9531534f7da2e4c303d8a318a72"
	  "1c3c0c95956809532fcf0e2449a6b525b16aedf5aa0de657ba637b39",
	  "522dc1f099567d07f47f37a32a84427d643a8cdcbfe5c0c97598a2bd2555d1aa"
	  "8cb08e48590dbb3da7b08b1056828838c5f61e6393ba7a0abcc9f662",
	  "76fc6ece0f4e1768cddf8853bb2d551b" },
};

/* Data in and out: out of place (src -> dst) or in place (src). */
struct io {
	unsigned char *src;
	size_t len;
	unsigned char *dst;
	size_t dst_size;
	int in_place;
	size_t out_len; /* the size the TA reported */
};

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

static uint32_t call(void *s, uint32_t cmd, struct ta_param *p)
{
	return ta->invoke(s, NULL, cmd,
			  TEEQ_PARAM_TYPES(p[0].type, p[1].type, p[2].type,
					   p[3].type),
			  p);
}

static size_t unhex(const char *hex, unsigned char *out)
{
	size_t i, len = strlen(hex) / 2;

	CHECK_EQ(strlen(hex), 2 * len);
	for (i = 0; i < len; i++) {
		unsigned int byte;

		CHECK_EQ(sscanf(hex + 2 * i, "%2x", &byte), 1);
		out[i] = (unsigned char)byte;
	}
	return len;
}

static void *session_open(void)
{
	struct ta_param params[TEEQ_NUM_PARAMS] = { { 0 } };
	const struct ta_identity who = { TEEQ_LOGIN_PUBLIC, 0, 0, 1 };
	void *s = calloc(1, ta->session_size ? ta->session_size : 1);

	CHECK(s);
	if (ta->open_session)
		CHECK_EQ(ta->open_session(s, &who, 0, params), TEEQ_SUCCESS);
	return s;
}

static void session_close(void *s)
{
	if (ta->close_session)
		ta->close_session(s);
	free(s);
}

static uint32_t set_key(void *s, uint32_t mode, const void *key, size_t len)
{
	struct ta_param p[4] = { val(T_VIN, mode, 0), mem(T_MIN, key, len),
				 none, none };

	return call(s, TEEQ_CIPHER_CMD_SET_KEY, p);
}

static uint32_t set_key_hex(void *s, uint32_t mode, const char *hex)
{
	unsigned char key[32];
	size_t len = unhex(hex, key);
	uint32_t res = set_key(s, mode, key, len);

	/* the TA keeps its own copy */
	memset(key, 0, sizeof(key));
	return res;
}

static void io_params(const struct io *io, struct ta_param *p)
{
	if (io->in_place) {
		p[1] = mem(T_MINOUT, io->src, io->len);
		p[2] = none;
	} else {
		p[1] = mem(T_MIN, io->src, io->len);
		p[2] = mem(T_MOUT, io->dst, io->dst_size);
	}
}

static void io_result(struct io *io, const struct ta_param *p)
{
	io->out_len = io->in_place ? p[1].memref.size : p[2].memref.size;
}

static uint32_t ctr(void *s, const void *iv, size_t iv_len, struct io *io)
{
	struct ta_param p[4] = { mem(T_MIN, iv, iv_len), none, none, none };
	uint32_t res;

	io_params(io, p);
	res = call(s, TEEQ_CIPHER_CMD_CTR, p);
	io_result(io, p);
	return res;
}

/* @tag_size is the tag window on encrypt, the tag length on decrypt. */
static uint32_t gcm(void *s, uint32_t cmd, const void *nonce_aad,
		    size_t nonce_aad_len, struct io *io, void *tag,
		    size_t *tag_size)
{
	unsigned int tag_type = cmd == TEEQ_CIPHER_CMD_GCM_ENCRYPT ? T_MOUT :
								     T_MIN;
	struct ta_param p[4] = { mem(T_MIN, nonce_aad, nonce_aad_len), none,
				 none, mem(tag_type, tag, *tag_size) };
	uint32_t res;

	io_params(io, p);
	res = call(s, cmd, p);
	io_result(io, p);
	*tag_size = p[3].memref.size;
	return res;
}

static int all_bytes(const unsigned char *buf, size_t len, unsigned char b)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (buf[i] != b)
			return 0;
	return 1;
}

static void check_ctr_vector(void *s, const char *key, const char *ct_hex)
{
	unsigned char iv[16], pt[64], ct[64], buf[80];
	struct io io;
	size_t len;

	unhex(ctr_iv, iv);
	unhex(ctr_pt, pt);
	unhex(ct_hex, ct);
	CHECK_EQ(set_key_hex(s, CTR, key), TEEQ_SUCCESS);

	/* every prefix, out of place then in place; the IV restarts */
	for (len = 0; len <= sizeof(pt); len++) {
		memset(buf, 0xee, sizeof(buf));
		io = (struct io){ pt, len, buf, sizeof(buf), 0, 0 };
		CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_SUCCESS);
		CHECK_EQ(io.out_len, len);
		CHECK_MEM(buf, ct, len);
		CHECK(all_bytes(buf + len, sizeof(buf) - len, 0xee));

		memcpy(buf, pt, len);
		io = (struct io){ len ? buf : NULL, len, NULL, 0, 1, 0 };
		CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_SUCCESS);
		CHECK_EQ(io.out_len, len);
		CHECK_MEM(buf, ct, len);
	}
	/* and back */
	io = (struct io){ ct, sizeof(ct), buf, sizeof(ct), 0, 0 };
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_SUCCESS);
	CHECK_MEM(buf, pt, sizeof(pt));
}

static void check_ctr_errors(void *s)
{
	unsigned char iv[16] = { 0 }, src[40], dst[40];
	struct ta_param p[4];
	struct io io;

	memset(src, 1, sizeof(src));
	CHECK_EQ(set_key_hex(s, CTR, ctr_key128), TEEQ_SUCCESS);

	/* short output: needed size, nothing written */
	memset(dst, 0xee, sizeof(dst));
	io = (struct io){ src, sizeof(src), dst, sizeof(src) - 1, 0, 0 };
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(io.out_len, sizeof(src));
	io = (struct io){ src, sizeof(src), NULL, 0, 0, 0 };
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(io.out_len, sizeof(src));
	CHECK(all_bytes(dst, sizeof(dst), 0xee));

	/* IV lengths, null source claiming bytes */
	io = (struct io){ src, sizeof(src), dst, sizeof(dst), 0, 0 };
	CHECK_EQ(ctr(s, iv, 15, &io), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(ctr(s, iv, 17, &io), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(ctr(s, NULL, 16, &io), TEEQ_ERROR_BAD_PARAMETERS);
	io = (struct io){ NULL, 8, dst, sizeof(dst), 0, 0 };
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK(all_bytes(dst, sizeof(dst), 0xee));

	/* wrong layouts */
	p[0] = mem(T_MIN, iv, sizeof(iv));
	p[1] = mem(T_MIN, src, sizeof(src));
	p[2] = mem(T_MOUT, dst, sizeof(dst));
	p[3] = mem(T_MOUT, dst, sizeof(dst));
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_CTR, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[3] = none;
	p[1].type = T_MINOUT;
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_CTR, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[2] = none;
	p[1].type = T_MIN;
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_CTR, p), TEEQ_ERROR_BAD_PARAMETERS);
	p[1].type = T_MINOUT;
	p[0].type = T_MINOUT;
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_CTR, p), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK(all_bytes(dst, sizeof(dst), 0xee));
	CHECK(all_bytes(src, sizeof(src), 1));
}

static void check_gcm_vector(void *s, const struct gcm_vector *v)
{
	unsigned char nonce_aad[NONCE_LEN + 20], pt[64], ct[64], tag[TAG_LEN];
	unsigned char buf[80], tag_out[TAG_LEN + 4];
	size_t na_len, len, tag_size;
	struct io io;

	CHECK_EQ(set_key_hex(s, GCM, v->key), TEEQ_SUCCESS);
	na_len = unhex(v->nonce, nonce_aad);
	na_len += unhex(v->aad, nonce_aad + na_len);
	len = unhex(v->pt, pt);
	CHECK_EQ(unhex(v->ct, ct), len);
	unhex(v->tag, tag);

	/* out of place; a larger tag window gets 16 bytes */
	memset(buf, 0xee, sizeof(buf));
	memset(tag_out, 0xee, sizeof(tag_out));
	tag_size = sizeof(tag_out);
	io = (struct io){ len ? pt : NULL, len, len ? buf : NULL, len, 0, 0 };
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, nonce_aad, na_len, &io,
		     tag_out, &tag_size),
		 TEEQ_SUCCESS);
	CHECK_EQ(io.out_len, len);
	CHECK_EQ(tag_size, TAG_LEN);
	CHECK_MEM(buf, ct, len);
	CHECK_MEM(tag_out, tag, TAG_LEN);
	CHECK(all_bytes(tag_out + TAG_LEN, 4, 0xee));
	CHECK(all_bytes(buf + len, sizeof(buf) - len, 0xee));

	/* in place */
	memcpy(buf, pt, len);
	memset(tag_out, 0, sizeof(tag_out));
	tag_size = TAG_LEN;
	io = (struct io){ len ? buf : NULL, len, NULL, 0, 1, 0 };
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, nonce_aad, na_len, &io,
		     tag_out, &tag_size),
		 TEEQ_SUCCESS);
	CHECK_EQ(io.out_len, len);
	CHECK_MEM(buf, ct, len);
	CHECK_MEM(tag_out, tag, TAG_LEN);

	/* decrypt in place, then out of place */
	tag_size = TAG_LEN;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, nonce_aad, na_len, &io,
		     tag, &tag_size),
		 TEEQ_SUCCESS);
	CHECK_MEM(buf, pt, len);
	memset(buf, 0xee, sizeof(buf));
	io = (struct io){ len ? ct : NULL, len, buf, sizeof(buf), 0, 0 };
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, nonce_aad, na_len, &io,
		     tag, &tag_size),
		 TEEQ_SUCCESS);
	CHECK_EQ(io.out_len, len);
	CHECK_MEM(buf, pt, len);
	CHECK(all_bytes(buf + len, sizeof(buf) - len, 0xee));
}

/* Decrypt of @ct (len) must fail authentication and zero the output. */
static void expect_mac_invalid(void *s, const unsigned char *nonce_aad,
			       size_t na_len, const unsigned char *ct,
			       size_t len, const unsigned char *tag)
{
	unsigned char buf[64];
	size_t tag_size = TAG_LEN;
	struct io io;

	memset(buf, 0xee, sizeof(buf));
	io = (struct io){ (unsigned char *)ct, len, buf, sizeof(buf), 0, 0 };
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, nonce_aad, na_len, &io,
		     (void *)tag, &tag_size),
		 TEEQ_ERROR_MAC_INVALID);
	CHECK(all_bytes(buf, len, 0));
	CHECK(all_bytes(buf + len, sizeof(buf) - len, 0xee));

	memcpy(buf, ct, len);
	io = (struct io){ buf, len, NULL, 0, 1, 0 };
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, nonce_aad, na_len, &io,
		     (void *)tag, &tag_size),
		 TEEQ_ERROR_MAC_INVALID);
	CHECK(all_bytes(buf, len, 0));
}

static void check_gcm_errors(void *s)
{
	const struct gcm_vector *v = &gcm_vectors[2];
	unsigned char nonce_aad[NONCE_LEN + 20], pt[60], ct[60], tag[TAG_LEN];
	unsigned char bad[NONCE_LEN + 20], buf[64], tag_out[TAG_LEN];
	size_t na_len, len, tag_size;
	struct ta_param p[4];
	struct io io;

	CHECK_EQ(set_key_hex(s, GCM, v->key), TEEQ_SUCCESS);
	na_len = unhex(v->nonce, nonce_aad);
	na_len += unhex(v->aad, nonce_aad + na_len);
	len = unhex(v->pt, pt);
	unhex(v->ct, ct);
	unhex(v->tag, tag);

	/* any bit of the tag, AAD, ciphertext or nonce */
	tag[15] ^= 0x80;
	expect_mac_invalid(s, nonce_aad, na_len, ct, len, tag);
	tag[15] ^= 0x80;
	tag[0] ^= 0x01;
	expect_mac_invalid(s, nonce_aad, na_len, ct, len, tag);
	tag[0] ^= 0x01;
	memcpy(bad, nonce_aad, na_len);
	bad[na_len - 1] ^= 1;
	expect_mac_invalid(s, bad, na_len, ct, len, tag);
	expect_mac_invalid(s, nonce_aad, na_len - 1, ct, len, tag);
	bad[na_len - 1] ^= 1;
	bad[0] ^= 1;
	expect_mac_invalid(s, bad, na_len, ct, len, tag);
	ct[7] ^= 4;
	expect_mac_invalid(s, nonce_aad, na_len, ct, len, tag);
	ct[7] ^= 4;

	/* short tag or output on encrypt: sizes, nothing written */
	memset(buf, 0xee, sizeof(buf));
	memset(tag_out, 0xee, sizeof(tag_out));
	io = (struct io){ pt, len, buf, len, 0, 0 };
	tag_size = TAG_LEN - 1;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, nonce_aad, na_len, &io,
		     tag_out, &tag_size),
		 TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(tag_size, TAG_LEN);
	CHECK_EQ(io.out_len, len);
	io = (struct io){ pt, len, buf, len - 1, 0, 0 };
	tag_size = TAG_LEN;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, nonce_aad, na_len, &io,
		     tag_out, &tag_size),
		 TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(io.out_len, len);
	CHECK_EQ(tag_size, TAG_LEN);
	io = (struct io){ pt, len, NULL, 0, 0, 0 };
	tag_size = 0;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, nonce_aad, na_len, &io,
		     NULL, &tag_size),
		 TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(io.out_len, len);
	CHECK_EQ(tag_size, TAG_LEN);
	CHECK(all_bytes(buf, sizeof(buf), 0xee));
	CHECK(all_bytes(tag_out, sizeof(tag_out), 0xee));

	/* short decrypt output: needed size, nothing written */
	io = (struct io){ ct, len, buf, len - 1, 0, 0 };
	tag_size = TAG_LEN;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, nonce_aad, na_len, &io,
		     tag, &tag_size),
		 TEEQ_ERROR_SHORT_BUFFER);
	CHECK_EQ(io.out_len, len);
	CHECK(all_bytes(buf, sizeof(buf), 0xee));

	/* tag must be exactly 16 on decrypt; nonce at least 12 */
	io = (struct io){ ct, len, buf, sizeof(buf), 0, 0 };
	tag_size = TAG_LEN - 1;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, nonce_aad, na_len, &io,
		     tag, &tag_size),
		 TEEQ_ERROR_BAD_PARAMETERS);
	tag_size = TAG_LEN + 1;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, nonce_aad, na_len, &io,
		     buf, &tag_size),
		 TEEQ_ERROR_BAD_PARAMETERS);
	tag_size = TAG_LEN;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, NULL, NONCE_LEN, &io, tag,
		     &tag_size),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, nonce_aad, NONCE_LEN - 1,
		     &io, tag, &tag_size),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, nonce_aad, NONCE_LEN - 1,
		     &io, tag_out, &tag_size),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK(all_bytes(buf, sizeof(buf), 0xee));
	CHECK(all_bytes(tag_out, sizeof(tag_out), 0xee));

	/* wrong layouts: the tag direction, p2 in place */
	p[0] = mem(T_MIN, nonce_aad, na_len);
	p[1] = mem(T_MIN, ct, len);
	p[2] = mem(T_MOUT, buf, sizeof(buf));
	p[3] = mem(T_MOUT, tag_out, sizeof(tag_out));
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, p),
		 TEEQ_ERROR_BAD_PARAMETERS);
	p[3] = mem(T_MIN, tag, sizeof(tag));
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, p),
		 TEEQ_ERROR_BAD_PARAMETERS);
	p[3] = none;
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, p),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, p),
		 TEEQ_ERROR_BAD_PARAMETERS);
	p[1].type = T_MINOUT;
	p[3] = mem(T_MIN, tag, sizeof(tag));
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, p),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK(all_bytes(buf, sizeof(buf), 0xee));
}

static void check_state(void)
{
	unsigned char key[32] = { 0 }, iv[16] = { 0 }, data[16] = { 0 };
	unsigned char tag[TAG_LEN] = { 0 };
	size_t tag_size = TAG_LEN;
	struct ta_param p[4];
	struct io io = { data, sizeof(data), NULL, 0, 1, 0 };
	void *s = session_open();

	/* no key yet */
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_ERROR_BAD_STATE);
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, iv, NONCE_LEN, &io, tag,
		     &tag_size),
		 TEEQ_ERROR_BAD_STATE);
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, iv, NONCE_LEN, &io, tag,
		     &tag_size),
		 TEEQ_ERROR_BAD_STATE);

	/* the other mode's key */
	CHECK_EQ(set_key(s, CTR, key, 16), TEEQ_SUCCESS);
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_SUCCESS);
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, iv, NONCE_LEN, &io, tag,
		     &tag_size),
		 TEEQ_ERROR_BAD_STATE);
	CHECK_EQ(set_key(s, GCM, key, 32), TEEQ_SUCCESS);
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_ERROR_BAD_STATE);
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, iv, NONCE_LEN, &io, tag,
		     &tag_size),
		 TEEQ_SUCCESS);

	/* bad keys are refused and leave no key */
	CHECK_EQ(set_key(s, GCM, key, 24), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, iv, NONCE_LEN, &io, tag,
		     &tag_size),
		 TEEQ_ERROR_BAD_STATE);
	CHECK_EQ(set_key(s, CTR, key, 16), TEEQ_SUCCESS);
	CHECK_EQ(set_key(s, 0, key, 16), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_ERROR_BAD_STATE);
	CHECK_EQ(set_key(s, 3, key, 16), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(set_key(s, CTR, key, 0), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(set_key(s, CTR, key, 15), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(set_key(s, CTR, key, 33), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(set_key(s, CTR, NULL, 16), TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(set_key(s, CTR, key, 32), TEEQ_SUCCESS);
	p[0] = val(T_VIN, CTR, 0);
	p[1] = mem(T_MINOUT, key, 16);
	p[2] = p[3] = none;
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_SET_KEY, p),
		 TEEQ_ERROR_BAD_PARAMETERS);
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_ERROR_BAD_STATE);
	p[1].type = T_MIN;
	p[2] = val(T_VIN, 0, 0);
	CHECK_EQ(call(s, TEEQ_CIPHER_CMD_SET_KEY, p),
		 TEEQ_ERROR_BAD_PARAMETERS);

	CHECK_EQ(call(s, 4, p), TEEQ_ERROR_NOT_SUPPORTED);
	CHECK_EQ(call(s, UINT32_MAX, p), TEEQ_ERROR_NOT_SUPPORTED);
	session_close(s);
}

static void ctr_reference(const unsigned char *key, const unsigned char *iv,
			  const unsigned char *in, unsigned char *out,
			  size_t len)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int out_len;

	CHECK(ctx);
	CHECK(EVP_EncryptInit_ex2(ctx, EVP_aes_256_ctr(), key, iv, NULL));
	CHECK(EVP_EncryptUpdate(ctx, out, &out_len, in, (int)len));
	CHECK_EQ(out_len, len);
	EVP_CIPHER_CTX_free(ctx);
}

/* AES-128-GCM of @len bytes, nonce @nonce (12 bytes), AAD @aad. */
static void gcm_reference(const unsigned char *key, const unsigned char *nonce,
			  const unsigned char *aad, size_t aad_len,
			  const unsigned char *in, unsigned char *out,
			  size_t len, unsigned char *tag)
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	int out_len;

	CHECK(ctx);
	CHECK(EVP_EncryptInit_ex2(ctx, EVP_aes_128_gcm(), key, nonce, NULL));
	CHECK(EVP_EncryptUpdate(ctx, NULL, &out_len, aad, (int)aad_len));
	CHECK(EVP_EncryptUpdate(ctx, out, &out_len, in, (int)len));
	CHECK_EQ(out_len, len);
	CHECK(EVP_EncryptFinal_ex(ctx, out + len, &out_len));
	CHECK_EQ(out_len, 0);
	CHECK(EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_AEAD_GET_TAG, TAG_LEN, tag));
	EVP_CIPHER_CTX_free(ctx);
}

static void check_large(void *s)
{
	size_t len = (3 << 20) + 7, tag_size;
	unsigned char *pt = malloc(len), *a = malloc(len), *b = malloc(len);
	unsigned char key[32], iv[16], tag_a[TAG_LEN], tag_b[TAG_LEN];
	uint64_t seed = 7;
	struct io io;
	size_t i;

	CHECK(pt && a && b);
	for (i = 0; i < len; i++)
		pt[i] = (unsigned char)test_rand(&seed);
	for (i = 0; i < sizeof(key); i++)
		key[i] = (unsigned char)test_rand(&seed);
	for (i = 0; i < sizeof(iv); i++)
		iv[i] = (unsigned char)test_rand(&seed);

	/* CTR: libcrypto agrees, in place equals out of place, and back */
	CHECK_EQ(set_key(s, CTR, key, sizeof(key)), TEEQ_SUCCESS);
	io = (struct io){ pt, len, a, len, 0, 0 };
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_SUCCESS);
	CHECK_EQ(io.out_len, len);
	ctr_reference(key, iv, pt, b, len);
	CHECK_MEM(a, b, len);
	memcpy(b, pt, len);
	io = (struct io){ b, len, NULL, 0, 1, 0 };
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_SUCCESS);
	CHECK_MEM(a, b, len);
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_SUCCESS);
	CHECK_MEM(b, pt, len);

	/* GCM: the 16-byte IV buffer doubles as nonce (12) and AAD (4);
	 * libcrypto agrees on ciphertext and tag */
	CHECK_EQ(set_key(s, GCM, key, 16), TEEQ_SUCCESS);
	io = (struct io){ pt, len, a, len, 0, 0 };
	tag_size = TAG_LEN;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, iv, sizeof(iv), &io, tag_a,
		     &tag_size),
		 TEEQ_SUCCESS);
	CHECK_EQ(io.out_len, len);
	CHECK_EQ(tag_size, TAG_LEN);
	gcm_reference(key, iv, iv + NONCE_LEN, sizeof(iv) - NONCE_LEN, pt, b,
		      len, tag_b);
	CHECK_MEM(a, b, len);
	CHECK_MEM(tag_a, tag_b, TAG_LEN);
	memcpy(b, pt, len);
	io = (struct io){ b, len, NULL, 0, 1, 0 };
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_ENCRYPT, iv, sizeof(iv), &io, tag_b,
		     &tag_size),
		 TEEQ_SUCCESS);
	CHECK_MEM(a, b, len);
	CHECK_MEM(tag_a, tag_b, TAG_LEN);
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, iv, sizeof(iv), &io, tag_a,
		     &tag_size),
		 TEEQ_SUCCESS);
	CHECK_MEM(b, pt, len);
	io = (struct io){ a, len, b, len, 0, 0 };
	tag_a[5] ^= 0x10;
	CHECK_EQ(gcm(s, TEEQ_CIPHER_CMD_GCM_DECRYPT, iv, sizeof(iv), &io, tag_a,
		     &tag_size),
		 TEEQ_ERROR_MAC_INVALID);
	CHECK(all_bytes(b, len, 0));

	free(pt);
	free(a);
	free(b);
}

/* A key set in one session changes nothing in another. */
static void check_sessions_apart(void *s, void *other)
{
	unsigned char iv[16], pt[64], ct[64], buf[64];
	struct io io = { pt, sizeof(pt), buf, sizeof(buf), 0, 0 };

	unhex(ctr_iv, iv);
	unhex(ctr_pt, pt);
	unhex(ctr_ct128, ct);
	CHECK_EQ(set_key_hex(s, CTR, ctr_key128), TEEQ_SUCCESS);
	CHECK_EQ(set_key_hex(other, GCM, gcm_vectors[3].key), TEEQ_SUCCESS);
	CHECK_EQ(ctr(s, iv, sizeof(iv), &io), TEEQ_SUCCESS);
	CHECK_MEM(buf, ct, sizeof(ct));
	CHECK_EQ(ctr(other, iv, sizeof(iv), &io), TEEQ_ERROR_BAD_STATE);
}

int main(void)
{
	void *s, *other;
	size_t i;

	ta = ta_registry_find(&cipher_uuid);
	CHECK(ta);
	check_state();

	s = session_open();
	other = session_open();
	check_ctr_vector(s, ctr_key128, ctr_ct128);
	check_ctr_vector(s, ctr_key256, ctr_ct256);
	check_sessions_apart(s, other);
	check_ctr_errors(s);
	for (i = 0; i < sizeof(gcm_vectors) / sizeof(gcm_vectors[0]); i++)
		check_gcm_vector(i % 2 ? other : s, &gcm_vectors[i]);
	check_gcm_errors(s);
	check_large(s);
	session_close(s);
	session_close(other);
	return T_PASS;
}
