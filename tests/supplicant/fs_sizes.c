// SPDX-License-Identifier: MIT
/*
 * Absurd sizes are refused and change nothing: a write or truncate past
 * the largest file (EFBIG, also where offset + length wraps 64 bits), a
 * read or write longer than the window, a read at an offset no file can
 * have, and names that together overrun the window (EINVAL). Up to the
 * largest file, writes and truncates work, and the file is exactly as
 * long as written.
 */
#include "tests/supplicant/fs_fixture.h"

static struct fs_fx fx;

#define MAX_FILE (1u << 20)

int main(void)
{
	struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_RENAME, .tag = 1 };
	struct teeq_rpc_rsp rsp;
	char path[160], buf[64];
	uint64_t h, r;
	struct stat st;

	fs_fx_dirs(&fx);
	fs_fx_open(&fx, MAX_FILE);
	CHECK_EQ(fs_fx_create(&fx, "f", &h), 0);
	CHECK_EQ(fs_fx_write(&fx, h, MAX_FILE, "x", 1), -TEEQ_RPC_EFBIG);
	CHECK_EQ(fs_fx_write(&fx, h, MAX_FILE - 1, "xy", 2), -TEEQ_RPC_EFBIG);
	CHECK_EQ(fs_fx_write(&fx, h, UINT64_MAX, "x", 1), -TEEQ_RPC_EFBIG);
	CHECK_EQ(fs_fx_write(&fx, h, UINT64_MAX - 1, "xyz", 3),
		 -TEEQ_RPC_EFBIG);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_WRITE, 0, h, 0, FX_WINDOW + 1, NULL,
			   NULL, NULL),
		 -TEEQ_RPC_EINVAL);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_WRITE, 0, h, 0, UINT32_MAX, NULL,
			   NULL, NULL),
		 -TEEQ_RPC_EINVAL);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_TRUNCATE, 0, h, MAX_FILE + 1, 0,
			   NULL, NULL, NULL),
		 -TEEQ_RPC_EFBIG);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_TRUNCATE, 0, h, UINT64_MAX, 0, NULL,
			   NULL, NULL),
		 -TEEQ_RPC_EFBIG);
	/* the largest file is fine */
	CHECK_EQ(fs_fx_write(&fx, h, MAX_FILE - 2, "zz", 2), 0);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_TRUNCATE, 0, h, MAX_FILE, 0, NULL,
			   NULL, NULL),
		 0);
	CHECK_EQ(fs_fx_close(&fx, h, 1), 0);
	snprintf(path, sizeof(path), "%s/f", fx.dir);
	CHECK(!stat(path, &st));
	CHECK_EQ(st.st_size, MAX_FILE);

	CHECK_EQ(fs_fx_open_file(&fx, "f", &r), 0);
	CHECK_EQ(fx.rsp.value, MAX_FILE);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_READ, 0, r, 0, FX_WINDOW + 1, NULL,
			   NULL, NULL),
		 -TEEQ_RPC_EINVAL);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_READ, 0, r, UINT64_MAX - 10, 5,
			   NULL, NULL, NULL),
		 -TEEQ_RPC_EINVAL);
	/* past the end: nothing, not an error */
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_READ, 0, r, MAX_FILE, 16, NULL,
			   NULL, NULL),
		 0);
	CHECK_EQ(fx.rsp.len, 0);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_READ, 0, r, MAX_FILE - 2, 16, NULL,
			   NULL, NULL),
		 0);
	CHECK_EQ(fx.rsp.len, 2);
	CHECK_MEM(fx.window, "zz", 2);
	CHECK_EQ(fs_fx_close(&fx, r, 0), 0);

	/* two names that overrun a small window, each fine alone */
	memset(fx.window, 'n', 200);
	req.name_len = 100;
	req.name2_len = 100;
	suppl_fs_request(&fx.fs, &req, fx.window, 150, &rsp);
	CHECK_EQ(rsp.status, -TEEQ_RPC_EINVAL);
	CHECK_EQ(fs_fx_get(&fx, "f", buf, 2), 0);
	suppl_fs_close(&fx.fs);
	return T_PASS;
}
