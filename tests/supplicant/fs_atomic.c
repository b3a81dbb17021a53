// SPDX-License-Identifier: MIT
/*
 * Writes are atomic per file: while a created file is being written, the
 * name still reads as its old contents (for the service and for anyone
 * looking at the directory), and only a hidden temporary exists besides;
 * a close without COMMIT drops the new contents, old ones stay; COMMIT
 * puts the new contents in place whole. A supplicant killed in the middle
 * of a write leaves the old contents, and the next one to open the
 * directory sweeps the temporary away. Handles of a secure world that
 * detached are dropped with their temporaries.
 */
#include "tests/supplicant/fs_fixture.h"

#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>

static struct fs_fx fx;

static int hidden_files(void)
{
	DIR *d = opendir(fx.dir);
	struct dirent *de;
	int n = 0;

	CHECK(d);
	while ((de = readdir(d)))
		n += !strncmp(de->d_name, SUPPL_FS_TMP_PREFIX,
			      strlen(SUPPL_FS_TMP_PREFIX));
	closedir(d);
	return n;
}

int main(void)
{
	char path[160], buf[64];
	int pipefd[2], status;
	uint64_t h;
	pid_t pid;

	fs_fx_init(&fx);
	snprintf(path, sizeof(path), "%s/obj", fx.dir);
	CHECK_EQ(fs_fx_put(&fx, "obj", "old contents"), 0);

	/* mid-write: old contents under the name, one temporary */
	CHECK_EQ(fs_fx_create(&fx, "obj", &h), 0);
	CHECK_EQ(fs_fx_write(&fx, h, 0, "new", 3), 0);
	CHECK_EQ(fs_fx_slurp(path, buf, sizeof(buf)), 12);
	CHECK_EQ(fs_fx_get(&fx, "obj", buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "old contents"));
	CHECK_EQ(hidden_files(), 1);
	/* dropped */
	CHECK_EQ(fs_fx_close(&fx, h, 0), 0);
	CHECK_EQ(hidden_files(), 0);
	CHECK_EQ(fs_fx_get(&fx, "obj", buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "old contents"));
	/* committed */
	CHECK_EQ(fs_fx_create(&fx, "obj", &h), 0);
	CHECK_EQ(fs_fx_write(&fx, h, 0, "new contents", 12), 0);
	CHECK_EQ(fs_fx_write(&fx, h, 12, "!", 1), 0);
	CHECK_EQ(fs_fx_close(&fx, h, 1), 0);
	CHECK_EQ(hidden_files(), 0);
	CHECK_EQ(fs_fx_slurp(path, buf, sizeof(buf)), 13);
	CHECK(!strcmp(buf, "new contents!"));

	/* a detaching secure world's handles go, temporaries with them */
	CHECK_EQ(fs_fx_create(&fx, "obj", &h), 0);
	CHECK_EQ(fs_fx_write(&fx, h, 0, "lost", 4), 0);
	suppl_fs_reset(&fx.fs);
	CHECK_EQ(hidden_files(), 0);
	CHECK_EQ(fs_fx_close(&fx, h, 1), -TEEQ_RPC_EBADF);
	CHECK_EQ(fs_fx_slurp(path, buf, sizeof(buf)), 13);
	suppl_fs_close(&fx.fs);

	/* killed mid-write: a child supplicant writes, then waits to die */
	CHECK(!pipe(pipefd));
	pid = fork();
	CHECK(pid >= 0);
	if (pid == 0) {
		fs_fx_open(&fx, SUPPL_FS_DEFAULT_MAX_FILE);
		CHECK_EQ(fs_fx_create(&fx, "obj", &h), 0);
		CHECK_EQ(fs_fx_write(&fx, h, 0, "torn", 4), 0);
		CHECK_EQ(write(pipefd[1], "w", 1), 1);
		pause();
		_exit(0);
	}
	CHECK_EQ(read(pipefd[0], buf, 1), 1);
	CHECK_EQ(hidden_files(), 1);
	kill(pid, SIGKILL);
	CHECK_EQ(waitpid(pid, &status, 0), pid);
	CHECK_EQ(fs_fx_slurp(path, buf, sizeof(buf)), 13);
	CHECK(!strcmp(buf, "new contents!"));
	fs_fx_open(&fx, SUPPL_FS_DEFAULT_MAX_FILE);
	CHECK_EQ(hidden_files(), 0);
	CHECK_EQ(fs_fx_get(&fx, "obj", buf, sizeof(buf)), 0);
	CHECK(!strcmp(buf, "new contents!"));
	suppl_fs_close(&fx.fs);
	return T_PASS;
}
