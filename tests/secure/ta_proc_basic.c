// SPDX-License-Identifier: MIT
/*
 * A loaded TA, end to end: installed by copying its .ta into the TA
 * directory, it runs in a process of its own (a child of teeq-sw, not
 * teeq-sw), and every kind of parameter reaches it and comes back right:
 * values, temporary memrefs, allocated and registered shared memory, a
 * SHORT_BUFFER with the size needed; its own errors carry origin
 * TRUSTED_APP; the client's identity is GP's; teeq-sw stops cleanly and
 * takes the process with it.
 */
#include "tests/secure/ta_proc_fixture.h"

#include "shm/memfd.h"

#include <openssl/evp.h>
#include <sys/mman.h>

static void basic_tmpref(TEEC_Session *s)
{
	uint8_t in[300], out[512], inout[100];
	TEEC_Operation op;
	uint32_t origin;
	size_t i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)(i * 7 + 1);
	memset(inout, 0x41, sizeof(inout));
	memset(out, 0xee, sizeof(out));
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_TEMP_INPUT,
					 TEEC_MEMREF_TEMP_OUTPUT,
					 TEEC_MEMREF_TEMP_INOUT, TEEC_NONE);
	op.params[0].tmpref.buffer = in;
	op.params[0].tmpref.size = sizeof(in);
	op.params[1].tmpref.buffer = out;
	op.params[1].tmpref.size = sizeof(out);
	op.params[2].tmpref.buffer = inout;
	op.params[2].tmpref.size = sizeof(inout);
	CHECK_EQ(TEEC_InvokeCommand(s, PROC_CMD_ECHO, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[1].tmpref.size, sizeof(in));
	CHECK_MEM(out, in, sizeof(in));
	for (i = sizeof(in); i < sizeof(out); i++)
		CHECK_EQ(out[i], 0xee); /* past the size: untouched */
	for (i = 0; i < sizeof(inout); i++)
		CHECK_EQ(inout[i], 0x42);

	/* too small: the size needed comes back, origin the TA */
	op.params[1].tmpref.size = 10;
	CHECK_EQ(TEEC_InvokeCommand(s, PROC_CMD_ECHO, &op, &origin),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[1].tmpref.size, sizeof(in));
	/* ... also to a null memref asking for it */
	op.params[1].tmpref.buffer = NULL;
	op.params[1].tmpref.size = 0;
	CHECK_EQ(TEEC_InvokeCommand(s, PROC_CMD_ECHO, &op, &origin),
		 TEEC_ERROR_SHORT_BUFFER);
	CHECK_EQ(op.params[1].tmpref.size, sizeof(in));
}

static void basic_shm(TEEC_Context *ctx, TEEC_Session *s, int memfd)
{
	TEEC_SharedMemory shm = { .size = 8192,
				  .flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT };
	TEEC_Operation op;
	uint8_t *b;
	size_t i;

	if (memfd >= 0)
		CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(ctx, &shm,
								 memfd),
			 TEEC_SUCCESS);
	else
		CHECK_EQ(TEEC_AllocateSharedMemory(ctx, &shm), TEEC_SUCCESS);
	b = shm.buffer;
	for (i = 0; i < 4096; i++)
		b[i] = (uint8_t)(i ^ 0x5a);
	memset(b + 4096, 0, 4096);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = &shm;
	op.params[0].memref.offset = 0;
	op.params[0].memref.size = 4096;
	op.params[1].memref.parent = &shm;
	op.params[1].memref.offset = 4096;
	op.params[1].memref.size = 4096;
	CHECK_EQ(TEEC_InvokeCommand(s, PROC_CMD_ECHO, &op, NULL), TEEC_SUCCESS);
	CHECK_EQ(op.params[1].memref.size, 4096);
	CHECK_MEM(b + 4096, b, 4096);
	TEEC_ReleaseSharedMemory(&shm);
}

/* GP's client identity: the Linux TEE subsystem's version 5 UUID. */
static void basic_uuid_v5(const char *name, uint8_t out[16])
{
	static const uint8_t ns[16] = { 0x58, 0xac, 0x9c, 0xa0, 0x20, 0x86,
					0x46, 0x83, 0xa1, 0xb8, 0xec, 0x4b,
					0xc0, 0x8e, 0x01, 0xb6 };
	uint8_t md[EVP_MAX_MD_SIZE];
	unsigned int len;
	EVP_MD_CTX *c = EVP_MD_CTX_new();

	CHECK(c && EVP_DigestInit_ex(c, EVP_sha1(), NULL) &&
	      EVP_DigestUpdate(c, ns, 16) &&
	      EVP_DigestUpdate(c, name, strlen(name)) &&
	      EVP_DigestFinal_ex(c, md, &len));
	EVP_MD_CTX_free(c);
	memcpy(out, md, 16);
	out[6] = (uint8_t)((out[6] & 0x0f) | 0x50);
	out[8] = (uint8_t)((out[8] & 0x3f) | 0x80);
}

/* gpd.client.identity as the TA sees it: the login, and the UUID into
 * @uuid; @login is what it must be. */
static void basic_identity_of(TEEC_Session *s, uint32_t login, uint8_t uuid[16])
{
	TEEC_Operation op;
	uint32_t origin;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_OUTPUT,
					 TEEC_MEMREF_TEMP_OUTPUT, TEEC_NONE,
					 TEEC_NONE);
	op.params[1].tmpref.buffer = uuid;
	op.params[1].tmpref.size = 16;
	CHECK_EQ(TEEC_InvokeCommand(s, PROC_CMD_IDENTITY, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[0].value.a, login);
	CHECK_EQ(op.params[1].tmpref.size, 16);
}

static void basic_identity(TEEC_Context *ctx)
{
	uint8_t got[16], want[16];
	char name[32];
	TEEC_Session s;
	uint32_t origin;

	CHECK_EQ(TEEC_OpenSession(ctx, &s, &proc_plain, TEEC_LOGIN_USER, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	basic_identity_of(&s, TEEC_LOGIN_USER, got);
	snprintf(name, sizeof(name), "uid=%x", (unsigned int)geteuid());
	basic_uuid_v5(name, want);
	CHECK_MEM(got, want, 16);
	TEEC_CloseSession(&s);
}

int main(void)
{
	struct sw_fixture f;
	TEEC_Context ctx;
	TEEC_Session s;
	TEEC_Operation op;
	uint32_t origin, a = 0;
	uint8_t zero[16] = { 0 }, got[16];
	pid_t pid;
	int memfd;

	ta_fixture_start(&f);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(ta_fixture_open(&ctx, &s, &proc_plain, &origin), TEEC_SUCCESS);

	/* its own process, a child of teeq-sw */
	pid = ta_fixture_pid(&s);
	CHECK(pid != f.pid && pid != getpid());
	CHECK_EQ(ta_fixture_ppid(pid), f.pid);

	CHECK_EQ(ta_fixture_value(&s, PROC_CMD_COUNT, ~0u, &a, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(a, 1);
	CHECK_EQ(ta_fixture_value(&s, PROC_CMD_COUNT, ~0u, &a, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(a, 2);

	basic_tmpref(&s);
	basic_shm(&ctx, &s, -1);
	memfd = shm_memfd_create("ta-proc-basic", 8192);
	CHECK(memfd >= 0);
	basic_shm(&ctx, &s, memfd);
	close(memfd);

	/* the public login's identity: nil */
	basic_identity_of(&s, TEEC_LOGIN_PUBLIC, got);
	CHECK_MEM(got, zero, 16);
	basic_identity(&ctx);

	/* the TA's own errors */
	CHECK_EQ(TEEC_InvokeCommand(&s, 0x777, NULL, &origin),
		 TEEC_ERROR_NOT_SUPPORTED);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_NONE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].value.a = PROC_OPEN_FAIL;
	{
		TEEC_Session s2;

		CHECK_EQ(TEEC_OpenSession(&ctx, &s2, &proc_plain,
					  TEEC_LOGIN_PUBLIC, NULL, &op,
					  &origin),
			 TEEC_ERROR_ACCESS_DENIED);
		CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	}

	TEEC_CloseSession(&s);
	/* its only session closed: the instance is destroyed */
	CHECK(ta_fixture_gone(pid, 5000, 0));
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&f);
	return T_PASS;
}
