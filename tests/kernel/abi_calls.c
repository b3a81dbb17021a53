// SPDX-License-Identifier: MIT
/*
 * The ioctl ABI end to end: VERSION, then sessions and calls on the noop,
 * echo, digest and cipher trusted apps, with the bytes and values each
 * must return (a SHA-256 and an AES-CTR known answer).
 */
#include "tests/kernel/kfixture.h"

static void kt_version(int fd)
{
	struct teeq_ioctl_version_data v;

	CHECK_EQ(ioctl(fd, TEEQ_IOC_VERSION, &v), 0);
	CHECK_EQ(v.impl_id, TEEQ_IMPL_ID_TEEQ);
	CHECK_EQ(v.gen_caps, TEEQ_GEN_CAP_GP | TEEQ_GEN_CAP_REG_MEM |
				     TEEQ_GEN_CAP_MEMREF_NULL);
	CHECK_EQ(v.impl_caps, TEEQ_IMPL_CAP_TEMP_MEMREF |
				      TEEQ_IMPL_CAP_REGISTER_FD |
				      TEEQ_IMPL_CAP_URING_CMD);
	/* an unknown request, and a known one of the wrong size */
	CHECK(ioctl(fd, _IO(TEEQ_IOC_MAGIC, 0x1f)) < 0 && errno == EINVAL);
	CHECK(ioctl(fd, _IOR(TEEQ_IOC_MAGIC, 0, uint64_t), &v) < 0 &&
	      errno == EINVAL);
}

static void kt_echo_values(int fd)
{
	struct teeq_ioctl_param p[3] = {
		kt_value(KT_VIN, 7, 11),
		kt_value(KT_VOUT, 0, 0),
		kt_value(KT_VINOUT, 100, 200),
	};
	uint32_t s = kt_session(fd, &kt_echo);
	struct kt_result res;

	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_VALUES, p, 3, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK_EQ(res.origin, TEEQ_ORIGIN_TRUSTED_APP);
	CHECK_EQ(p[1].a, 7);
	CHECK_EQ(p[1].b, 11);
	CHECK_EQ(p[2].a, 107);
	CHECK_EQ(p[2].b, 211);
	/* a value the wire cannot carry is refused, not cut */
	p[0] = kt_value(KT_VIN, 1ull << 32, 0);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_VALUES, p, 3, &res), -EINVAL);
	/* an unknown command: the TA's answer */
	CHECK_EQ(kt_invoke(fd, s, 99, NULL, 0, &res), 0);
	CHECK_EQ(res.ret, TEEQ_ERROR_NOT_SUPPORTED);
	CHECK_EQ(kt_close_session(fd, s), 0);
	/* closed: the id is stale */
	CHECK_EQ(kt_invoke(fd, s, TEEQ_ECHO_CMD_VALUES, p, 3, &res), -EINVAL);
	CHECK_EQ(kt_close_session(fd, s), -EINVAL);
}

static void kt_sha256(int fd)
{
	static const uint8_t abc_sha256[32] = {
		0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea,
		0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23,
		0xb0, 0x03, 0x61, 0xa3, 0x96, 0x17, 0x7a, 0x9c,
		0xb4, 0x10, 0xff, 0x61, 0xf2, 0x00, 0x15, 0xad,
	};
	uint8_t digest[32] = { 0 };
	char abc[] = "abc";
	struct teeq_ioctl_param p[2] = {
		kt_temp(KT_MIN, abc, 3),
		kt_temp(KT_MOUT, digest, sizeof(digest)),
	};
	uint32_t s = kt_session(fd, &kt_digest);
	struct kt_result res;

	CHECK_EQ(kt_invoke(fd, s, TEEQ_DIGEST_CMD_SHA256, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK_EQ(p[1].b, 32);
	CHECK_MEM(digest, abc_sha256, 32);
	CHECK_EQ(kt_close_session(fd, s), 0);
}

static void kt_aes_ctr(int fd)
{
	/* NIST SP 800-38A, F.5.1 CTR-AES128.Encrypt, block 1 */
	static const uint8_t key[16] = { 0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae,
					 0xd2, 0xa6, 0xab, 0xf7, 0x15, 0x88,
					 0x09, 0xcf, 0x4f, 0x3c };
	static const uint8_t iv[16] = { 0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5,
					0xf6, 0xf7, 0xf8, 0xf9, 0xfa, 0xfb,
					0xfc, 0xfd, 0xfe, 0xff };
	static const uint8_t plain[16] = { 0x6b, 0xc1, 0xbe, 0xe2, 0x2e, 0x40,
					   0x9f, 0x96, 0xe9, 0x3d, 0x7e, 0x11,
					   0x73, 0x93, 0x17, 0x2a };
	static const uint8_t cipher[16] = { 0x87, 0x4d, 0x61, 0x91, 0xb6, 0x20,
					    0xe3, 0x26, 0x1b, 0xef, 0x68, 0x64,
					    0x99, 0x0d, 0xb6, 0xce };
	uint8_t out[16] = { 0 };
	struct teeq_ioctl_param p[3] = {
		kt_value(KT_VIN, TEEQ_CIPHER_MODE_CTR, 0),
		kt_temp(KT_MIN, (void *)key, sizeof(key)),
	};
	uint32_t s = kt_session(fd, &kt_cipher);
	struct kt_result res;

	CHECK_EQ(kt_invoke(fd, s, TEEQ_CIPHER_CMD_SET_KEY, p, 2, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	p[0] = kt_temp(KT_MIN, (void *)iv, sizeof(iv));
	p[1] = kt_temp(KT_MIN, (void *)plain, sizeof(plain));
	p[2] = kt_temp(KT_MOUT, out, sizeof(out));
	CHECK_EQ(kt_invoke(fd, s, TEEQ_CIPHER_CMD_CTR, p, 3, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK_EQ(p[2].b, 16);
	CHECK_MEM(out, cipher, 16);
	CHECK_EQ(kt_close_session(fd, s), 0);
}

int main(void)
{
	struct kt_result res;
	uint8_t bogus[16] = { 1 };
	int fd, rc;
	uint32_t s;

	kt_sw_start();
	fd = kt_open();
	kt_version(fd);

	s = kt_session(fd, &kt_noop);
	CHECK_EQ(kt_invoke(fd, s, TEEQ_NOOP_CMD_NOOP, NULL, 0, &res), 0);
	CHECK_EQ(res.ret, TEEQ_SUCCESS);
	CHECK_EQ(kt_close_session(fd, s), 0);
	/* a trusted app that does not exist */
	s = kt_open_session_login(fd, (const void *)bogus,
				  TEEQ_IOCTL_LOGIN_PUBLIC, 0, NULL, 0, &res,
				  &rc);
	CHECK_EQ(rc, 0);
	CHECK_EQ(s, 0);
	CHECK_EQ(res.ret, TEEQ_ERROR_ITEM_NOT_FOUND);
	CHECK_EQ(res.origin, TEEQ_ORIGIN_TEE);

	kt_echo_values(fd);
	kt_sha256(fd);
	kt_aes_ctr(fd);
	close(fd);
	return T_PASS;
}
