// SPDX-License-Identifier: MIT
/*
 * Reading a loaded TA's file: <dir>/<uuid>.ta, a regular file that
 * nobody but teeq-sw's user (or root) may have written, copied into a
 * memfd that is then sealed against writes, and checked there, so that
 * the bytes checked are the bytes the TA process maps: a file rewritten
 * meanwhile changes nothing. The checks are the parser's
 * (sdk/tafile/parse.c: format, limits, code for this machine), the UUID,
 * and the deployment's signature hook.
 */
#include "secure/loaded/ta_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define TA_LOAD_CHUNK (256u * 1024)

#define TA_LOAD_FAIL(err, reason) \
	do {                      \
		*why = (reason);  \
		ret = -(err);     \
		goto out;         \
	} while (0)

/* Owned by us or root, and not writable by group or others: whoever can
 * write a TA decides what code its process runs. */
static int ta_load_owner_ok(const struct stat *st)
{
	return (st->st_uid == geteuid() || st->st_uid == 0) &&
	       !(st->st_mode & (S_IWGRP | S_IWOTH));
}

void ta_load_uuid_str(const struct ta_uuid *u, char out[TA_UUID_STR_LEN])
{
	const uint8_t *n = u->clock_seq_and_node;

	snprintf(out, TA_UUID_STR_LEN,
		 "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u->time_low, u->time_mid, u->time_hi_and_version, n[0], n[1],
		 n[2], n[3], n[4], n[5], n[6], n[7]);
}

/* Copies @size bytes of @fd into a new memfd, sealed against every
 * change. The memfd, or -errno. The copy goes through write(), not a
 * writable mapping: a process that teeq-sw starts meanwhile would
 * inherit such a mapping until it execs, and the write seal would then
 * fail (EBUSY). */
static int ta_load_copy(int fd, uint64_t size)
{
	int memfd =
		memfd_create("teeq-ta-file", MFD_CLOEXEC | MFD_ALLOW_SEALING);
	uint64_t done = 0;
	char *buf = malloc(TA_LOAD_CHUNK);
	int err = 0;

	if (memfd < 0 || !buf) {
		err = memfd < 0 ? -errno : -ENOMEM;
		goto fail;
	}
	while (!err && done < size) {
		size_t want = size - done < TA_LOAD_CHUNK ?
				      (size_t)(size - done) :
				      TA_LOAD_CHUNK;
		ssize_t n = pread(fd, buf, want, (off_t)done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			err = n < 0 ? -errno : -EIO; /* shrunk meanwhile */
			break;
		}
		if (pwrite(memfd, buf, (size_t)n, (off_t)done) != n)
			err = -EIO;
		done += (uint64_t)n;
	}
	if (!err &&
	    fcntl(memfd, F_ADD_SEALS,
		  F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL))
		err = -errno;
	if (!err) {
		free(buf);
		return memfd;
	}
fail:
	free(buf);
	if (memfd >= 0)
		close(memfd);
	return err;
}

int ta_load(const char *dir, const struct ta_uuid *uuid,
	    const struct ta_file_verify_ops *verify, struct ta_load_file *out,
	    const char **why)
{
	size_t max = TEEQ_TA_FILE_HDR_SIZE + TEEQ_TA_FILE_MAX_PROPS_SIZE +
		     TEEQ_TA_FILE_MAX_CODE + 8 + TEEQ_TA_FILE_MAX_SIG;
	struct teeq_uuid want;
	const void *map = MAP_FAILED;
	struct stat st;
	struct ta_file f;
	char name[TA_UUID_STR_LEN + 3];
	int dfd, fd = -1, ret;

	out->memfd = -1;
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0) {
		*why = "cannot open the TA directory";
		return -ENOENT;
	}
	if (fstat(dfd, &st) || !ta_load_owner_ok(&st))
		TA_LOAD_FAIL(EACCES, "the TA directory is not teeq-sw's user's "
				     "or root's, or others may write to it");
	ta_load_uuid_str(uuid, name);
	strcat(name, ".ta");
	/* O_NONBLOCK: a FIFO planted there must not hold us in open() */
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0)
		TA_LOAD_FAIL(errno == ENOENT ? ENOENT : EACCES,
			     errno == ENOENT ? "no such TA file" :
					       "cannot open the TA file");
	if (fstat(fd, &st) || !S_ISREG(st.st_mode))
		TA_LOAD_FAIL(EACCES, "the TA file is not a regular file");
	if (!ta_load_owner_ok(&st))
		TA_LOAD_FAIL(EACCES, "the TA file is not teeq-sw's user's or "
				     "root's, or others may write to it");
	if (st.st_size < (off_t)TEEQ_TA_FILE_HDR_SIZE ||
	    (uint64_t)st.st_size > max)
		TA_LOAD_FAIL(EBADMSG, "the TA file's size is not a TA's");
	out->size = (uint64_t)st.st_size;
	out->memfd = ta_load_copy(fd, out->size);
	if (out->memfd < 0)
		TA_LOAD_FAIL(-out->memfd == EIO ? EIO : -out->memfd,
			     "cannot read the TA file");
	map = mmap(NULL, out->size, PROT_READ, MAP_SHARED, out->memfd, 0);
	if (map == MAP_FAILED)
		TA_LOAD_FAIL(ENOMEM, "cannot map the TA file");
	ret = ta_file_parse(map, out->size, &f, why);
	if (ret)
		goto out;
	ret = ta_file_verify(&f, map, verify);
	if (ret)
		TA_LOAD_FAIL(-ret,
			     ret == -ENOKEY ?
				     "the TA file is not signed" :
				     "the signature hook refused the file");
	ta_uuid_to_wire(uuid, &want);
	if (memcmp(want.b, f.uuid.b, sizeof(want.b)))
		TA_LOAD_FAIL(EBADMSG, "the TA file holds another TA (UUID)");
	out->ta_flags = f.ta_flags;
	ret = 0;
out:
	if (map != MAP_FAILED)
		munmap((void *)map, out->size);
	if (ret)
		ta_load_release(out);
	if (fd >= 0)
		close(fd);
	close(dfd);
	return ret;
}

void ta_load_release(struct ta_load_file *f)
{
	if (f->memfd >= 0)
		close(f->memfd);
	f->memfd = -1;
}
