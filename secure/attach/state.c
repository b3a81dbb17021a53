// SPDX-License-Identifier: MIT
/*
 * The secure state directory of teeq-sw (host mode): the storage key and
 * the rollback anchors, out of the supplicant's reach (state.h).
 *
 * An anchor file holds two slots of SW_STATE_SLOT bytes; a slot is a
 * sequence number, a length, the record and a SHA-256 over them. A write
 * goes to the slot that does not hold the newest record, then fdatasync():
 * one disk flush per update, and a write a crash tears leaves the other
 * slot, the previous record, intact. A read takes the valid slot with the
 * higher sequence number.
 */
#include "secure/attach/state.h"

#include <openssl/evp.h>
#include <openssl/rand.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define SW_STATE_KEY_FILE "storage.key"
#define SW_STATE_ANCHORS "anchors"
#define SW_STATE_SLOT 512

struct sw_state_slot_hdr {
	uint64_t seq; /* 0: never written */
	uint32_t len;
	uint32_t reserved;
};

_Static_assert(sizeof(struct sw_state_slot_hdr) + SW_STATE_ANCHOR_MAX + 32 <=
		       SW_STATE_SLOT,
	       "an anchor record fits a slot");

/* Creates @name 0700 in @dirfd if missing, opens it; it must be a real
 * directory of ours that nobody else may enter. fd or -errno. */
static int sw_state_private_dir(int dirfd, const char *name, const char **why)
{
	struct stat st;
	int fd;

	if (mkdirat(dirfd, name, 0700) && errno != EEXIST) {
		*why = "cannot create the state directory";
		return -errno;
	}
	fd = openat(dirfd, name,
		    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0) {
		*why = "cannot open the state directory (a symbolic link?)";
		return -errno;
	}
	if (fstat(fd, &st) || st.st_uid != geteuid() || (st.st_mode & 077)) {
		close(fd);
		*why = "the state directory must be ours and private (0700)";
		return -EPERM;
	}
	return fd;
}

static int sw_state_read_all(int fd, void *buf, size_t len, off_t off)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pread(fd, (char *)buf + done, len - done,
			  off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

static int sw_state_write_all(int fd, const void *buf, size_t len, off_t off)
{
	size_t done = 0;
	ssize_t n;

	while (done < len) {
		n = pwrite(fd, (const char *)buf + done, len - done,
			   off + (off_t)done);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += (size_t)n;
	}
	return 0;
}

/* The key: read if it is there and sound, else created once. */
static int sw_state_key(struct sw_state *s, const char **why)
{
	char tmp[] = SW_STATE_KEY_FILE ".new";
	struct stat st;
	int fd, ret;

	fd = openat(s->dirfd, SW_STATE_KEY_FILE,
		    O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd >= 0) {
		if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
		    st.st_uid != geteuid() || (st.st_mode & 077) ||
		    st.st_size != SW_STATE_KEY_LEN) {
			close(fd);
			*why = "the storage key must be a "
			       "32-byte file of "
			       "ours that nobody else may read";
			return -EPERM;
		}
		ret = sw_state_read_all(fd, s->key, sizeof(s->key), 0);
		close(fd);
		if (ret)
			*why = "cannot read the storage key";
		return ret;
	}
	if (errno != ENOENT) {
		*why = "cannot open the storage key";
		return -errno;
	}
	/* first start: a new key, whole or not at all */
	if (RAND_priv_bytes(s->key, sizeof(s->key)) != 1) {
		*why = "no randomness for a storage key";
		return -EIO;
	}
	unlinkat(s->dirfd, tmp, 0);
	fd = openat(s->dirfd, tmp,
		    O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0400);
	if (fd < 0) {
		*why = "cannot create the storage key";
		return -errno;
	}
	ret = sw_state_write_all(fd, s->key, sizeof(s->key), 0);
	if (!ret && fsync(fd))
		ret = -errno;
	close(fd);
	if (!ret && renameat(s->dirfd, tmp, s->dirfd, SW_STATE_KEY_FILE))
		ret = -errno;
	if (!ret && fsync(s->dirfd))
		ret = -errno;
	if (ret)
		*why = "cannot write the storage key";
	return ret;
}

int sw_state_open(struct sw_state *s, const char *path, const char **why)
{
	int ret;

	memset(s, 0, sizeof(*s));
	s->dirfd = sw_state_private_dir(AT_FDCWD, path, why);
	if (s->dirfd < 0) {
		ret = s->dirfd;
		s->anchors_fd = -1;
		return ret;
	}
	s->anchors_fd = sw_state_private_dir(s->dirfd, SW_STATE_ANCHORS, why);
	if (s->anchors_fd < 0) {
		ret = s->anchors_fd;
		goto err;
	}
	ret = sw_state_key(s, why);
	if (ret)
		goto err;
	return 0;

err:
	sw_state_close(s);
	return ret;
}

void sw_state_close(struct sw_state *s)
{
	if (s->anchors_fd >= 0)
		close(s->anchors_fd);
	if (s->dirfd >= 0)
		close(s->dirfd);
	s->anchors_fd = s->dirfd = -1;
	memset(s->key, 0, sizeof(s->key));
}

/* ---- anchors ------------------------------------------------------------------ */

static int sw_state_slot_sum(const unsigned char *slot, size_t len,
			     unsigned char sum[32])
{
	unsigned int n = 0;

	return EVP_Digest(slot, len, sum, &n, EVP_sha256(), NULL) && n == 32 ?
		       0 :
		       -EIO;
}

/* Slot @i of the file @fd: its sequence number if valid (with the record
 * in @buf of @len bytes), else 0. */
static uint64_t sw_state_slot_read(int fd, int i, void *buf, size_t len)
{
	unsigned char slot[SW_STATE_SLOT], sum[32];
	struct sw_state_slot_hdr hdr;

	if (sw_state_read_all(fd, slot, sizeof(slot), (off_t)i * SW_STATE_SLOT))
		return 0;
	memcpy(&hdr, slot, sizeof(hdr));
	if (!hdr.seq || hdr.len != len || hdr.reserved ||
	    sw_state_slot_sum(slot, sizeof(hdr) + len, sum) ||
	    memcmp(sum, slot + sizeof(hdr) + len, sizeof(sum)))
		return 0;
	if (buf)
		memcpy(buf, slot + sizeof(hdr), len);
	return hdr.seq;
}

static int sw_state_name_ok(const char *name)
{
	size_t i, n = strlen(name);

	if (!n || n > 64)
		return 0;
	for (i = 0; i < n; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') ||
		      (name[i] >= '0' && name[i] <= '9')))
			return 0;
	return 1;
}

int sw_state_anchor_read(void *arg, const char *name, void *buf, size_t len)
{
	struct sw_state *s = arg;
	unsigned char other[SW_STATE_ANCHOR_MAX];
	uint64_t seq0, seq1;
	int fd;

	if (!sw_state_name_ok(name) || len > SW_STATE_ANCHOR_MAX)
		return -EINVAL;
	fd = openat(s->anchors_fd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	seq0 = sw_state_slot_read(fd, 0, buf, len);
	seq1 = sw_state_slot_read(fd, 1, other, len);
	close(fd);
	if (seq1 > seq0)
		memcpy(buf, other, len);
	return seq0 || seq1 ? 0 : -EBADMSG;
}

int sw_state_anchor_write(void *arg, const char *name, const void *buf,
			  size_t len)
{
	struct sw_state *s = arg;
	unsigned char slot[SW_STATE_SLOT] = { 0 };
	struct sw_state_slot_hdr hdr = { .len = (uint32_t)len };
	uint64_t seq0 = 0, seq1 = 0;
	char tmp[80];
	int fd, ret, created = 0;

	if (!sw_state_name_ok(name) || len > SW_STATE_ANCHOR_MAX)
		return -EINVAL;
	fd = openat(s->anchors_fd, name, O_RDWR | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && errno == ENOENT) {
		/* a new file appears whole, through a rename, so a crash
		 * never leaves one with no valid slot */
		snprintf(tmp, sizeof(tmp), "%s.new", name);
		fd = openat(s->anchors_fd, tmp,
			    O_RDWR | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
			    0600);
		created = 1;
	}
	if (fd < 0)
		return -errno;
	if (!created) {
		seq0 = sw_state_slot_read(fd, 0, NULL, len);
		seq1 = sw_state_slot_read(fd, 1, NULL, len);
	}
	/* over the older slot: the newest record survives a torn write */
	hdr.seq = (seq0 > seq1 ? seq0 : seq1) + 1;
	memcpy(slot, &hdr, sizeof(hdr));
	memcpy(slot + sizeof(hdr), buf, len);
	ret = sw_state_slot_sum(slot, sizeof(hdr) + len,
				slot + sizeof(hdr) + len);
	if (!ret)
		ret = sw_state_write_all(fd, slot, sizeof(slot),
					 (off_t)(seq0 > seq1 ? 1 : 0) *
						 SW_STATE_SLOT);
	if (!ret && fdatasync(fd))
		ret = -errno;
	close(fd);
	if (created && !ret &&
	    renameat(s->anchors_fd, tmp, s->anchors_fd, name))
		ret = -errno;
	/* the new file's name must survive a crash too */
	if (created && !ret && fsync(s->anchors_fd))
		ret = -errno;
	return ret;
}
