// SPDX-License-Identifier: MIT
/*
 * Names that could reach outside the storage directory, or that are not
 * ours to use, are refused before any file is touched: paths ("a/b",
 * "/etc/x", "../x", "..", "."), hidden names (our temporaries), the empty
 * name, bytes outside [A-Za-z0-9_.-], a NUL inside a name, and (with
 * ENAMETOOLONG) names longer than TEEQ_RPC_NAME_MAX, for every request
 * that takes a name (open, create, remove, rename both ways, list's
 * prefix). Nothing appears outside the directory, and a planted file
 * beside it is never read or removed; a name of exactly the longest
 * length works.
 */
#include "tests/supplicant/fs_fixture.h"

static struct fs_fx fx;

static const char *const bad[] = {
	"a/b",	     "/etc/passwd", "../outside", "..",	    ".",
	".tmp.x.1",  ".hidden",	    "",		  "sp ace", "semi;colon",
	"back\\sla", "star*",	    "new\nline",  "tab\t",  "\xc3\xa9t\xc3\xa9",
};

static void check_bad(const char *name, int32_t want)
{
	uint64_t h = 0;

	CHECK_EQ(fs_fx_open_file(&fx, name, &h), want);
	CHECK_EQ(h, 0);
	CHECK_EQ(fs_fx_create(&fx, name, &h), want);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_REMOVE, 0, 0, 0, 0, name, NULL,
			   NULL),
		 want);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_RENAME, 0, 0, 0, 0, name, "ok",
			   NULL),
		 want);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_RENAME, 0, 0, 0, 0, "ok", name,
			   NULL),
		 want);
	if (*name) /* an empty prefix lists everything */
		CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_LIST, 0, 0, 0, 0, name,
				   NULL, NULL),
			 want);
}

int main(void)
{
	char outside[160], buf[64], longest[TEEQ_RPC_NAME_MAX + 2];
	struct teeq_rpc_req req = { .opcode = TEEQ_RPC_FS_OPEN, .tag = 7 };
	struct teeq_rpc_rsp rsp;
	size_t i;

	fs_fx_init(&fx);
	/* beside the storage directory: must stay as it is */
	snprintf(outside, sizeof(outside), "%s/outside", fx.root);
	fs_fx_plant(outside, "secret");
	CHECK_EQ(fs_fx_put(&fx, "ok", "fine"), 0);

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		check_bad(bad[i], -TEEQ_RPC_EINVAL);

	/* a NUL inside: what would be checked is not what the kernel sees */
	memcpy(fx.window, "ok\0/../outside", 14);
	req.name_len = 14;
	suppl_fs_request(&fx.fs, &req, fx.window, FX_WINDOW, &rsp);
	CHECK_EQ(rsp.status, -TEEQ_RPC_EINVAL);
	CHECK_EQ(rsp.handle, 0);

	/* too long, and the longest */
	memset(longest, 'n', sizeof(longest));
	longest[TEEQ_RPC_NAME_MAX + 1] = 0;
	check_bad(longest, -TEEQ_RPC_ENAMETOOLONG);
	longest[TEEQ_RPC_NAME_MAX] = 0;
	CHECK_EQ(fs_fx_put(&fx, longest, "long"), 0);
	CHECK_EQ(fs_fx_get(&fx, longest, buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "long"));

	/* nothing escaped, nothing was lost */
	CHECK_EQ(fs_fx_slurp(outside, buf, sizeof(buf)), 6);
	CHECK(!strcmp(buf, "secret"));
	CHECK_EQ(fs_fx_get(&fx, "ok", buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "fine"));
	CHECK_EQ(fx.fs.refused, 6 * (sizeof(bad) / sizeof(bad[0])) - 1 + 1 + 6);
	suppl_fs_close(&fx.fs);
	return T_PASS;
}
