// SPDX-License-Identifier: MIT
/*
 * Whatever someone plants in the storage directory, the service follows
 * nothing out of it and touches only regular files: a symbolic link to a
 * file outside cannot be opened (ELOOP, and its target's bytes are never
 * read), removed or renamed, and a commit onto its name replaces the link,
 * not the target; a link to a directory outside cannot be opened or
 * removed; a FIFO is refused without blocking; a subdirectory
 * cannot be removed or renamed. The storage directory itself must be a
 * real directory, ours and private: a symbolic link to one, one with
 * group or other permissions, and (as root) one owned by someone else
 * are refused at start. A second supplicant on the same directory is
 * refused while the first holds it.
 */
#include "tests/supplicant/fs_fixture.h"

#include <sys/stat.h>

static struct fs_fx fx;

static void in_dir(char *out, size_t len, const char *name)
{
	snprintf(out, len, "%s/%s", fx.dir, name);
}

int main(void)
{
	char outside[160], path[200], buf[64], link_dir[200];
	struct suppl_fs second;
	const char *why = NULL;
	uint64_t h;
	int before;

	fs_fx_init(&fx);
	snprintf(outside, sizeof(outside), "%s/outside", fx.root);
	fs_fx_plant(outside, "secret");

	in_dir(path, sizeof(path), "evil");
	CHECK(!symlink(outside, path));
	CHECK_EQ(fs_fx_open_file(&fx, "evil", &h), -TEEQ_RPC_ELOOP);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_REMOVE, 0, 0, 0, 0, "evil", NULL,
			   NULL),
		 -TEEQ_RPC_ELOOP);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_RENAME, 0, 0, 0, 0, "evil", "x",
			   NULL),
		 -TEEQ_RPC_ELOOP);
	CHECK_EQ(fs_fx_put(&fx, "plain", "plain"), 0);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_RENAME, 0, 0, 0, 0, "plain", "evil",
			   NULL),
		 -TEEQ_RPC_ELOOP);
	/* a commit replaces the link itself */
	CHECK_EQ(fs_fx_put(&fx, "evil", "mine"), 0);
	CHECK_EQ(fs_fx_get(&fx, "evil", buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "mine"));
	CHECK_EQ(fs_fx_slurp(outside, buf, sizeof(buf)), 6);
	CHECK(!strcmp(buf, "secret"));

	/* a link to a directory outside leads nowhere */
	in_dir(link_dir, sizeof(link_dir), "up");
	CHECK(!symlink(fx.root, link_dir));
	CHECK_EQ(fs_fx_open_file(&fx, "up", &h), -TEEQ_RPC_ELOOP);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_REMOVE, 0, 0, 0, 0, "up", NULL,
			   NULL),
		 -TEEQ_RPC_ELOOP);

	/* a FIFO: refused, and at once */
	in_dir(path, sizeof(path), "fifo");
	CHECK(!mkfifo(path, 0600));
	CHECK_EQ(fs_fx_open_file(&fx, "fifo", &h), -TEEQ_RPC_ELOOP);

	/* a subdirectory */
	in_dir(path, sizeof(path), "sub");
	CHECK(!mkdir(path, 0700));
	CHECK_EQ(fs_fx_open_file(&fx, "sub", &h), -TEEQ_RPC_ELOOP);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_REMOVE, 0, 0, 0, 0, "sub", NULL,
			   NULL),
		 -TEEQ_RPC_ELOOP);
	CHECK_EQ(fs_fx_req(&fx, TEEQ_RPC_FS_RENAME, 0, 0, 0, 0, "sub", "x",
			   NULL),
		 -TEEQ_RPC_ELOOP);
	CHECK_EQ(fs_fx_slurp(outside, buf, sizeof(buf)), 6);

	/* one supplicant per directory */
	CHECK(suppl_fs_open(&second, fx.dir, SUPPL_FS_DEFAULT_MAX_FILE, &why) <
	      0);
	CHECK(strstr(why, "another supplicant"));
	suppl_fs_close(&fx.fs);

	/* the directory itself */
	snprintf(path, sizeof(path), "%s/link", fx.root);
	CHECK(!symlink(fx.dir, path));
	CHECK(suppl_fs_open(&second, path, SUPPL_FS_DEFAULT_MAX_FILE, &why) <
	      0);
	before = chmod(fx.dir, 0750);
	CHECK_EQ(before, 0);
	CHECK_EQ(suppl_fs_open(&second, fx.dir, SUPPL_FS_DEFAULT_MAX_FILE,
			       &why),
		 -EPERM);
	CHECK(!chmod(fx.dir, 0700));
	if (geteuid() == 0) {
		CHECK(!chown(fx.dir, 65534, 65534));
		CHECK_EQ(suppl_fs_open(&second, fx.dir,
				       SUPPL_FS_DEFAULT_MAX_FILE, &why),
			 -EPERM);
		CHECK(!chown(fx.dir, 0, 0));
	}
	CHECK_EQ(suppl_fs_open(&second, fx.dir, SUPPL_FS_DEFAULT_MAX_FILE,
			       &why),
		 0);
	suppl_fs_close(&second);
	return T_PASS;
}
