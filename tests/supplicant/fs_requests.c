// SPDX-License-Identifier: MIT
/*
 * Every request is checked before it acts: an unknown opcode is ENOSYS;
 * unknown flags, set reserved fields and fields the opcode does not use
 * are EINVAL; a handle that was never given, was closed, or is stale
 * after its slot was reused is EBADF; writing, truncating or committing a
 * read handle is EPERM; a full handle table is EMFILE, and closing one
 * makes room. Removing or renaming what is not there is ENOENT, a
 * NOREPLACE rename onto an existing file EEXIST (both untouched), a plain
 * rename replaces; LIST returns the names with a prefix, sorted, after
 * the cursor, hidden names never, and says MORE when the window is full.
 * Each failed reply carries nothing but its status and tag.
 */
#include "tests/supplicant/fs_fixture.h"

static struct fs_fx fx;

static void check_refused(struct teeq_rpc_req req, int32_t want)
{
	struct teeq_rpc_rsp rsp;

	memset(&rsp, 0xa5, sizeof(rsp));
	req.tag = 99;
	suppl_fs_request(&fx.fs, &req, fx.window, FX_WINDOW, &rsp);
	CHECK_EQ(rsp.status, want);
	CHECK_EQ(rsp.tag, 99);
	CHECK_EQ(rsp.handle | rsp.value | rsp.len | rsp.flags, 0);
}

/* LIST with @prefix after @cursor in a window of @window bytes: the names,
 * space-separated, in @out. */
static int32_t list(const char *prefix, const char *cursor, uint32_t window,
		    char *out, size_t cap, uint64_t *count)
{
	struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_LIST, .tag = 5 };
	size_t off = 0, o = 0;

	req.name_len = (uint16_t)strlen(prefix);
	req.name2_len = (uint16_t)strlen(cursor);
	memcpy(fx.window, prefix, req.name_len);
	memcpy(fx.window + req.name_len, cursor, req.name2_len);
	suppl_fs_request(&fx.fs, &req, fx.window, window, &fx.rsp);
	*count = fx.rsp.value;
	out[0] = 0;
	while (off < fx.rsp.len) {
		size_t n = strlen((char *)fx.window + off);

		CHECK(o + n + 2 <= cap);
		memcpy(out + o, fx.window + off, n);
		o += n;
		out[o++] = ' ';
		out[o] = 0;
		off += n + 1;
	}
	return fx.rsp.status;
}

int main(void)
{
	struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_OPEN };
	uint64_t h, r, handles[SUPPL_FS_MAX_HANDLES], count;
	char buf[256];
	int i;

	fs_fx_init(&fx);
	CHECK_EQ(fs_fx_put(&fx, "a", "A"), 0);

	req.opcode = 0;
	check_refused(req, -TEEQ_RPC_ENOSYS);
	req.opcode = TEEQ_RPC_FS_MAX + 1;
	check_refused(req, -TEEQ_RPC_ENOSYS);
	req.opcode = 0xffff;
	check_refused(req, -TEEQ_RPC_ENOSYS);
	/* OPEN takes a name only */
	memcpy(fx.window, "a", 1);
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_OPEN,
				     .name_len = 1,
				     .flags = 1 };
	check_refused(req, -TEEQ_RPC_EINVAL);
	req.flags = 0;
	req.reserved[5] = 1;
	check_refused(req, -TEEQ_RPC_EINVAL);
	req.reserved[5] = 0;
	req.offset = 1;
	check_refused(req, -TEEQ_RPC_EINVAL);
	req.offset = 0;
	req.handle = 1;
	check_refused(req, -TEEQ_RPC_EINVAL);
	req.handle = 0;
	req.name2_len = 1;
	check_refused(req, -TEEQ_RPC_EINVAL);
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_RENAME, .flags = 2 };
	check_refused(req, -TEEQ_RPC_EINVAL);
	req = (struct teeq_rpc_req){ .opcode = TEEQ_RPC_FS_CLOSE,
				     .flags = 2,
				     .handle = 1 };
	check_refused(req, -TEEQ_RPC_EINVAL);

	/* handles */
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_READ, 0, 0, 0, 1, NULL, NULL, NULL),
		 -TEEQ_RPC_EBADF);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_READ, 0, 0x1234567, 0, 1, NULL,
			   NULL, NULL),
		 -TEEQ_RPC_EBADF);
	CHECK_EQ(fs_fx_open_file(&fx, "a", &r), 0);
	CHECK(r != 0);
	CHECK_EQ(fs_fx_write(&fx, r, 0, "x", 1), -TEEQ_RPC_EPERM);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_TRUNCATE, 0, r, 0, 0, NULL, NULL,
			   NULL),
		 -TEEQ_RPC_EPERM);
	CHECK_EQ(fs_fx_close(&fx, r, 1), -TEEQ_RPC_EPERM);
	CHECK_EQ(fs_fx_close(&fx, r, 0), 0);
	CHECK_EQ(fs_fx_close(&fx, r, 0), -TEEQ_RPC_EBADF);
	/* the slot reused: the old handle stays dead */
	CHECK_EQ(fs_fx_open_file(&fx, "a", &h), 0);
	CHECK(h != r);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_READ, 0, r, 0, 1, NULL, NULL, NULL),
		 -TEEQ_RPC_EBADF);
	CHECK_EQ(fs_fx_close(&fx, h, 0), 0);
	for (i = 0; i < SUPPL_FS_MAX_HANDLES; i++)
		CHECK_EQ(fs_fx_open_file(&fx, "a", &handles[i]), 0);
	CHECK_EQ(fs_fx_open_file(&fx, "a", &h), -TEEQ_RPC_EMFILE);
	CHECK_EQ(fs_fx_create(&fx, "b", &h), -TEEQ_RPC_EMFILE);
	CHECK_EQ(fs_fx_close(&fx, handles[3], 0), 0);
	CHECK_EQ(fs_fx_open_file(&fx, "a", &handles[3]), 0);
	for (i = 0; i < SUPPL_FS_MAX_HANDLES; i++)
		CHECK_EQ(fs_fx_close(&fx, handles[i], 0), 0);

	/* remove, rename */
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_REMOVE, 0, 0, 0, 0, "nope", NULL,
			   NULL),
		 -TEEQ_RPC_ENOENT);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_RENAME, 0, 0, 0, 0, "nope", "a",
			   NULL),
		 -TEEQ_RPC_ENOENT);
	CHECK_EQ(fs_fx_put(&fx, "b", "B"), 0);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_RENAME, TEEQ_RPC_RENAME_NOREPLACE,
			   0, 0, 0, "b", "a", NULL),
		 -TEEQ_RPC_EEXIST);
	CHECK_EQ(fs_fx_get(&fx, "a", buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "A"));
	CHECK_EQ(fs_fx_get(&fx, "b", buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "B"));
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_RENAME, 0, 0, 0, 0, "b", "a", NULL),
		 0);
	CHECK_EQ(fs_fx_get(&fx, "a", buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "B"));
	CHECK_EQ(fs_fx_get(&fx, "b", buf, sizeof(buf)), -TEEQ_RPC_ENOENT);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_REMOVE, 0, 0, 0, 0, "a", NULL,
			   NULL),
		 0);
	CHECK_EQ(fs_fx_get(&fx, "a", buf, sizeof(buf)), -TEEQ_RPC_ENOENT);

	/* list: prefix, order, cursor, window, hidden names */
	CHECK_EQ(fs_fx_put(&fx, "p-c", "."), 0);
	CHECK_EQ(fs_fx_put(&fx, "p-a", "."), 0);
	CHECK_EQ(fs_fx_put(&fx, "q-z", "."), 0);
	CHECK_EQ(fs_fx_put(&fx, "p-b", "."), 0);
	CHECK_EQ(fs_fx_create(&fx, "p-d", &h), 0); /* a hidden temporary */
	CHECK_EQ(list("p-", "", FX_WINDOW, buf, sizeof(buf), &count), 0);
	CHECK(!strcmp(buf, "p-a p-b p-c "));
	CHECK_EQ(count, 3);
	CHECK_EQ(fx.rsp.flags, 0);
	CHECK_EQ(list("", "", FX_WINDOW, buf, sizeof(buf), &count), 0);
	CHECK(!strcmp(buf, "p-a p-b p-c q-z "));
	CHECK_EQ(list("p-", "p-a", FX_WINDOW, buf, sizeof(buf), &count), 0);
	CHECK(!strcmp(buf, "p-b p-c "));
	CHECK_EQ(list("p-", "p-c", FX_WINDOW, buf, sizeof(buf), &count), 0);
	CHECK_EQ(count, 0);
	CHECK_EQ(list("p-", "", 9, buf, sizeof(buf), &count), 0);
	CHECK(!strcmp(buf, "p-a p-b "));
	CHECK_EQ(fx.rsp.flags, TEEQ_RPC_RSP_MORE);
	CHECK_EQ(list("p-", "p-b", 9, buf, sizeof(buf), &count), 0);
	CHECK(!strcmp(buf, "p-c "));
	CHECK_EQ(fx.rsp.flags, 0);
	CHECK_EQ(fs_fx_close(&fx, h, 0), 0);
	suppl_fs_close(&fx.fs);
	return T_PASS;
}
