// SPDX-License-Identifier: MIT
/*
 * One TA source (tests/sdk/ta/params) built by the dev kit at the GP v1.3
 * and v1.1 API levels, loaded from its .ta file through the loader, and
 * driven through its entry table: values and memrefs reach it and come
 * back right at both levels (the TA reports the width of its memref
 * sizes), SHORT_BUFFER sizes come back, its crypto and property calls go
 * through the level's functions, a memref past 4 GiB is refused for the
 * v1.1 build with origin TEE, and a panic ends the TA's process.
 */
#include "tests/check.h"
#include "sdk/host/host.h"

#include <openssl/evp.h>

#include <limits.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ta/params/include/params_ta.h"

#define API_UUID "5d2b6d8e-1c3a-4f6e-9b8a-7e1f0c2d3a4b"

static const struct teeq_uuid api_uuid = { { 0x5d, 0x2b, 0x6d, 0x8e, 0x1c, 0x3a,
					     0x4f, 0x6e, 0x9b, 0x8a, 0x7e, 0x1f,
					     0x0c, 0x2d, 0x3a, 0x4b } };

static void api_path(char *out, size_t len, const char *level)
{
	char exe[PATH_MAX];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);

	CHECK(n > 0);
	exe[n] = 0;
	*strrchr(exe, '/') = 0;
	snprintf(out, len, "%s/ta/params-%s/" API_UUID ".ta", exe, level);
}

static void api_run(const char *level, uint32_t want_size_bytes)
{
	const TEE_Identity client = { TEE_LOGIN_USER, { 0 } };
	const struct teeq_ta_entry *e;
	struct ta_host_ta ta;
	struct ta_host_rt rt;
	TEE_Param p[TEE_NUM_PARAMS];
	uint8_t in[300], out[300], want[32];
	char path[PATH_MAX + 64];
	const char *why = "";
	uint32_t origin, types;
	unsigned int i, md_len;
	void *session;
	int status;
	pid_t pid;

	api_path(path, sizeof(path), level);
	CHECK_EQ(ta_host_load_file(path, &api_uuid, NULL, &ta, &why), 0);
	e = ta.entry;
	CHECK_EQ(ta.api_level, want_size_bytes == 4 ? TEEQ_TA_FILE_API_1_1 :
						      TEEQ_TA_FILE_API_1_3);
	CHECK_EQ(ta_host_rt_init(&rt), 0);
	CHECK_EQ(e->bind(&ta_host_rt_ops, &rt), 0);
	CHECK_EQ(e->create(), TEE_SUCCESS);
	memset(p, 0, sizeof(p));
	CHECK_EQ(e->open_session(&client, 0, p, &session, &origin),
		 TEE_SUCCESS);

	types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_VALUE_INOUT,
				TEE_PARAM_TYPE_VALUE_OUTPUT,
				TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	p[0].value.a = 100;
	p[0].value.b = 200;
	CHECK_EQ(e->invoke(session, PARAMS_CMD_VALUES, types, p, &origin),
		 TEE_SUCCESS);
	CHECK_EQ(origin, TEE_ORIGIN_TRUSTED_APP);
	CHECK_EQ(p[0].value.a, 101);
	CHECK_EQ(p[0].value.b, 202);
	CHECK_EQ(p[1].value.a, 0x5ca1ab1e); /* cflags-<file>-y reached it */
	CHECK_EQ(p[1].value.b, types);

	for (i = 0; i < sizeof(in); i++)
		in[i] = (uint8_t)i;
	types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
				TEE_PARAM_TYPE_MEMREF_OUTPUT,
				TEE_PARAM_TYPE_VALUE_OUTPUT,
				TEE_PARAM_TYPE_NONE);
	memset(p, 0, sizeof(p));
	p[0].memref.buffer = in;
	p[0].memref.size = sizeof(in);
	p[1].memref.buffer = out;
	p[1].memref.size = 10;
	CHECK_EQ(e->invoke(session, PARAMS_CMD_REVERSE, types, p, &origin),
		 TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(p[1].memref.size, sizeof(in));
	CHECK_EQ(p[2].value.a, want_size_bytes);
	p[1].memref.size = sizeof(out);
	CHECK_EQ(e->invoke(session, PARAMS_CMD_REVERSE, types, p, &origin),
		 TEE_SUCCESS);
	CHECK_EQ(p[1].memref.size, sizeof(in));
	for (i = 0; i < sizeof(in); i++)
		CHECK_EQ(out[i], in[sizeof(in) - 1 - i]);

	p[1].memref.size = sizeof(out);
	CHECK_EQ(e->invoke(session, PARAMS_CMD_SHA256, types, p, &origin),
		 TEE_SUCCESS);
	CHECK(EVP_Digest(in, sizeof(in), want, &md_len, EVP_sha256(), NULL));
	CHECK_EQ(p[1].memref.size, 32);
	CHECK_MEM(out, want, 32);

	types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_OUTPUT,
				TEE_PARAM_TYPE_VALUE_OUTPUT,
				TEE_PARAM_TYPE_NONE, TEE_PARAM_TYPE_NONE);
	memset(p, 0, sizeof(p));
	p[0].memref.buffer = out;
	p[0].memref.size = 5;
	CHECK_EQ(e->invoke(session, PARAMS_CMD_PROPS, types, p, &origin),
		 TEE_ERROR_SHORT_BUFFER);
	CHECK_EQ(p[0].memref.size, sizeof("teeq API-level test TA"));
	CHECK_EQ(e->invoke(session, PARAMS_CMD_PROPS, types, p, &origin),
		 TEE_SUCCESS);
	CHECK(!strcmp((char *)out, "teeq API-level test TA"));
	CHECK_EQ(p[1].value.a, TEE_LOGIN_USER);
	CHECK_EQ(p[1].value.b, 0x10);

	/* a v1.1 TA cannot take a memref length past 32 bits */
	if (want_size_bytes == 4) {
		types = TEE_PARAM_TYPES(TEE_PARAM_TYPE_MEMREF_INPUT,
					TEE_PARAM_TYPE_MEMREF_OUTPUT,
					TEE_PARAM_TYPE_VALUE_OUTPUT,
					TEE_PARAM_TYPE_NONE);
		p[0].memref.buffer = in;
		p[0].memref.size = (size_t)1 << 32;
		p[1].memref.buffer = out;
		p[1].memref.size = sizeof(out);
		CHECK_EQ(e->invoke(session, PARAMS_CMD_REVERSE, types, p,
				   &origin),
			 TEE_ERROR_BAD_PARAMETERS);
		CHECK_EQ(origin, TEE_ORIGIN_TEE);
	}

	/* a panic ends the hosting process with the runtime's status */
	fflush(NULL);
	pid = fork();
	CHECK(pid >= 0);
	if (!pid) {
		e->invoke(session, PARAMS_CMD_PANIC, 0, p, &origin);
		_exit(0);
	}
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(WIFEXITED(status));
	CHECK_EQ(WEXITSTATUS(status), TA_HOST_PANIC_EXIT);

	e->close_session(session);
	e->destroy();
	ta_host_rt_destroy(&rt);
	ta_host_unload(&ta);
}

int main(void)
{
	api_run("1.3", sizeof(size_t));
	api_run("1.1", sizeof(uint32_t));
	return T_PASS;
}
