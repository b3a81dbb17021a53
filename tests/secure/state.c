// SPDX-License-Identifier: MIT
/*
 * teeq-sw's secure state directory: on first start it is created 0700 with
 * a 32-byte random storage key of mode 0400, which later starts read back
 * unchanged; a key that others may read, of the wrong size, or a symbolic
 * link, and a state directory that others may enter, are refused with a
 * reason. Anchors: what was written reads back; a name never written is
 * ENOENT; each write goes to the older of two slots, so a slot torn by a
 * crash leaves the record before it, and only both torn is an error;
 * names that are not plain lowercase hex-like words and records too large
 * are refused.
 */
#include "secure/attach/state.h"
#include "tests/check.h"
#include "tests/tmpdir.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[64];

static void path_of(char *out, size_t len, const char *dir, const char *name)
{
	snprintf(out, len, "%s/%s", dir, name);
}

/* Damages slot @slot of anchor @name (one byte of its record). */
static void tear(const char *dir, const char *name, int slot)
{
	char path[PATH_MAX];
	unsigned char b;
	int fd;

	snprintf(path, sizeof(path), "%s/anchors/%s", dir, name);
	fd = open(path, O_RDWR);
	CHECK(fd >= 0);
	CHECK_EQ(pread(fd, &b, 1, slot * 512 + 20), 1);
	b ^= 0xff;
	CHECK_EQ(pwrite(fd, &b, 1, slot * 512 + 20), 1);
	close(fd);
}

int main(void)
{
	char dir[96], key[PATH_MAX], buf[SW_STATE_ANCHOR_MAX + 1];
	uint8_t first[SW_STATE_KEY_LEN];
	const char *why = NULL;
	struct sw_state s;
	struct stat st;
	int i;

	t_tmpdir(root, sizeof(root), "state");
	path_of(dir, sizeof(dir), root, "state");
	path_of(key, sizeof(key), dir, "storage.key");

	CHECK_EQ(sw_state_open(&s, dir, &why), 0);
	CHECK(!stat(dir, &st));
	CHECK_EQ(st.st_mode & 0777, 0700);
	CHECK(!stat(key, &st));
	CHECK_EQ(st.st_mode & 0777, 0400);
	CHECK_EQ(st.st_size, SW_STATE_KEY_LEN);
	memcpy(first, s.key, sizeof(first));
	for (i = 0; i < SW_STATE_KEY_LEN && !first[i]; i++)
		;
	CHECK(i < SW_STATE_KEY_LEN); /* not all zeros */

	/* anchors */
	CHECK_EQ(sw_state_anchor_read(&s, "ns0", buf, 4), -ENOENT);
	CHECK_EQ(sw_state_anchor_write(&s, "ns0", "one.", 4), 0);
	CHECK_EQ(sw_state_anchor_read(&s, "ns0", buf, 4), 0);
	CHECK_MEM(buf, "one.", 4);
	CHECK_EQ(sw_state_anchor_write(&s, "ns0", "two.", 4), 0);
	CHECK_EQ(sw_state_anchor_write(&s, "ns0", "thr.", 4), 0);
	CHECK_EQ(sw_state_anchor_read(&s, "ns0", buf, 4), 0);
	CHECK_MEM(buf, "thr.", 4);
	/* "thr." went to slot 0 (writes alternate: 0, 1, 0): torn, the
	 * record before it is read */
	tear(dir, "ns0", 0);
	CHECK_EQ(sw_state_anchor_read(&s, "ns0", buf, 4), 0);
	CHECK_MEM(buf, "two.", 4);
	/* the next write replaces the torn slot, not the good one */
	CHECK_EQ(sw_state_anchor_write(&s, "ns0", "fou.", 4), 0);
	CHECK_EQ(sw_state_anchor_read(&s, "ns0", buf, 4), 0);
	CHECK_MEM(buf, "fou.", 4);
	tear(dir, "ns0", 0);
	CHECK_EQ(sw_state_anchor_read(&s, "ns0", buf, 4), 0);
	CHECK_MEM(buf, "two.", 4);
	tear(dir, "ns0", 1);
	CHECK_EQ(sw_state_anchor_read(&s, "ns0", buf, 4), -EBADMSG);
	CHECK_EQ(sw_state_anchor_write(&s, "../x", "x", 1), -EINVAL);
	CHECK_EQ(sw_state_anchor_write(&s, "A", "x", 1), -EINVAL);
	CHECK_EQ(sw_state_anchor_write(&s, "", "x", 1), -EINVAL);
	CHECK_EQ(sw_state_anchor_write(&s, "big", buf, SW_STATE_ANCHOR_MAX + 1),
		 -EINVAL);
	sw_state_close(&s);

	/* again: the same key */
	CHECK_EQ(sw_state_open(&s, dir, &why), 0);
	CHECK_MEM(s.key, first, sizeof(first));
	sw_state_close(&s);

	/* a key others may read */
	CHECK(!chmod(key, 0444));
	CHECK_EQ(sw_state_open(&s, dir, &why), -EPERM);
	CHECK(strstr(why, "storage key"));
	CHECK(!chmod(key, 0400));
	/* the wrong size */
	CHECK(!truncate(key, 16));
	CHECK_EQ(sw_state_open(&s, dir, &why), -EPERM);
	CHECK(!unlink(key));
	/* a symbolic link */
	CHECK(!symlink("/etc/hostname", key));
	CHECK(sw_state_open(&s, dir, &why) < 0);
	CHECK(!unlink(key));
	/* a directory others may enter */
	CHECK(!chmod(dir, 0755));
	CHECK_EQ(sw_state_open(&s, dir, &why), -EPERM);
	CHECK(strstr(why, "state directory"));
	CHECK(!chmod(dir, 0700));
	/* no key (removed above): a new one, a new secret */
	CHECK_EQ(sw_state_open(&s, dir, &why), 0);
	CHECK(memcmp(s.key, first, sizeof(first)));
	sw_state_close(&s);
	return T_PASS;
}
