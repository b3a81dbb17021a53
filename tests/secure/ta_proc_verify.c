// SPDX-License-Identifier: MIT
/*
 * The signature hook of the TA loader (ta_load(), the ops entry a
 * deployment fills in): with a hook that checks a toy signature (the
 * SHA-256 of the signed bytes, under a sig_algo of the deployment's), a
 * signed file loads, one whose code changed after signing is refused with
 * -EKEYREJECTED, and an unsigned one with -ENOKEY once signatures are
 * required; without a hook (host mode's default) the unsigned file loads.
 * Also: what the loader reads is a sealed copy, so the file changing
 * afterwards changes nothing.
 */
#include "tests/secure/ta_proc_fixture.h"

#include "secure/loaded/ta_proc.h"
#include "uapi/teeq_ta_file.h"

#include <openssl/evp.h>
#include <sys/mman.h>

#define VERIFY_ALGO 0x100u /* the deployment's */
#define VERIFY_SIG_LEN 32u

static int verify_calls;

static int verify_sha256(void *ctx, const struct ta_file *f, const void *data,
			 size_t len)
{
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int md_len = 0;

	(void)ctx;
	verify_calls++;
	if (f->sig_algo != VERIFY_ALGO || f->sig_size != VERIFY_SIG_LEN ||
	    !EVP_Digest(data, len, md, &md_len, EVP_sha256(), NULL))
		return -1;
	return memcmp(md, f->sig, VERIFY_SIG_LEN) ? -1 : 0;
}

/* The plain TA, signed: padding, then the signature. */
static uint8_t *verify_sign(const uint8_t *ta, size_t len, size_t *out_len)
{
	struct teeq_ta_file_hdr hdr;
	size_t sig_off = (len + 7) & ~(size_t)7;
	unsigned int md_len = 0;
	uint8_t *s = calloc(1, sig_off + VERIFY_SIG_LEN);

	CHECK(s);
	memcpy(s, ta, len);
	memcpy(&hdr, s, sizeof(hdr));
	hdr.sig_algo = VERIFY_ALGO;
	hdr.sig_offset = sig_off;
	hdr.sig_size = VERIFY_SIG_LEN;
	memcpy(s, &hdr, sizeof(hdr));
	CHECK(EVP_Digest(s, sig_off, s + sig_off, &md_len, EVP_sha256(), NULL));
	*out_len = sig_off + VERIFY_SIG_LEN;
	return s;
}

static void verify_write(const uint8_t *buf, size_t len)
{
	char path[PATH_MAX], name[37];
	int fd;

	ta_fixture_uuid_str(&proc_plain, name);
	snprintf(path, sizeof(path), "%s/%s.ta", ta_fixture_dir, name);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	CHECK(fd >= 0);
	CHECK_EQ(write(fd, buf, len), len);
	close(fd);
}

static int verify_load(const struct ta_file_verify_ops *ops,
		       struct ta_load_file *out)
{
	struct ta_uuid u = { proc_plain.timeLow,
			     proc_plain.timeMid,
			     proc_plain.timeHiAndVersion,
			     { 0 } };
	const char *why = "";
	int err;

	memcpy(u.clock_seq_and_node, proc_plain.clockSeqAndNode, 8);
	err = ta_load(ta_fixture_dir, &u, ops, out, &why);
	if (err)
		fprintf(stderr, "refused: %s\n", why);
	return err;
}

int main(void)
{
	const struct ta_file_verify_ops hook = { verify_sha256, NULL, false };
	const struct ta_file_verify_ops strict = { verify_sha256, NULL, true };
	struct ta_load_file f;
	char path[PATH_MAX + 64];
	uint8_t *ta, *signed_ta, *map;
	size_t len, signed_len;
	struct stat st;
	FILE *in;

	ta_fixture_dir_init();
	atexit(ta_fixture_cleanup);
	sw_fixture_owner = getpid();
	ta_fixture_built("plain", &proc_plain, path, sizeof(path));
	CHECK(!stat(path, &st));
	len = (size_t)st.st_size;
	ta = malloc(len);
	in = fopen(path, "rb");
	CHECK(ta && in && fread(ta, 1, len, in) == len);
	fclose(in);
	signed_ta = verify_sign(ta, len, &signed_len);

	/* host mode's default: no hook, the unsigned file loads */
	CHECK_EQ(verify_load(&ta_verify_ops, &f), 0);
	CHECK_EQ(f.size, len);
	ta_load_release(&f);
	CHECK_EQ(verify_load(&strict, &f), -ENOKEY);

	verify_write(signed_ta, signed_len);
	CHECK_EQ(verify_load(&strict, &f), 0);
	CHECK_EQ(verify_calls, 1);
	/* the sealed copy is what was checked: the file changing later
	 * changes nothing in it */
	map = mmap(NULL, f.size, PROT_READ, MAP_SHARED, f.memfd, 0);
	CHECK(map != MAP_FAILED);
	verify_write(ta, len);
	CHECK_MEM(map, signed_ta, signed_len);
	CHECK(mmap(NULL, f.size, PROT_READ | PROT_WRITE, MAP_SHARED, f.memfd,
		   0) == MAP_FAILED); /* sealed against writes */
	munmap(map, f.size);
	ta_load_release(&f);

	/* the code changed after signing */
	signed_ta[len - 100] ^= 1;
	verify_write(signed_ta, signed_len);
	CHECK_EQ(verify_load(&hook, &f), -EKEYREJECTED);
	CHECK_EQ(verify_calls, 2);

	free(ta);
	free(signed_ta);
	return T_PASS;
}
