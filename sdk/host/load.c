// SPDX-License-Identifier: MIT
/*
 * Loading a .ta: the file is parsed and verified, then its code is copied
 * into a sealed memfd and mapped with dlopen() through /proc/self/fd. The
 * memfd stays open while the TA is loaded so that its path stays unique:
 * glibc would hand back an already loaded object for a reused name.
 */
#include "host.h"

#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#define TA_HOST_FAIL(err, reason) \
	do {                      \
		*why = (reason);  \
		return -(err);    \
	} while (0)

static int ta_host_memfd(const void *code, size_t len)
{
	const uint8_t *p = code;
	int fd = memfd_create("teeq-ta", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	if (fd < 0)
		return -errno;
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -EIO;
		}
		p += n;
		len -= (size_t)n;
	}
	/* nobody changes the code once it is mapped */
	fcntl(fd, F_ADD_SEALS,
	      F_SEAL_WRITE | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_SEAL);
	return fd;
}

static void ta_host_head_uuid(const TEE_UUID *u, struct teeq_uuid *out)
{
	teeq_uuid_pack(out, u->timeLow, u->timeMid, u->timeHiAndVersion,
		       u->clockSeqAndNode);
}

int ta_host_load(const void *buf, size_t len, const struct teeq_uuid *expect,
		 const struct ta_file_verify_ops *ops, struct ta_host_ta *ta,
		 const char **why)
{
	const struct teeq_ta_entry *e;
	struct teeq_uuid head_uuid;
	struct ta_file f;
	char path[64];
	int err;

	memset(ta, 0, sizeof(*ta));
	ta->fd = -1;
	err = ta_file_parse(buf, len, &f, why);
	if (err)
		return err;
	err = ta_file_verify(&f, buf, ops);
	if (err)
		TA_HOST_FAIL(-err, "the signature check refused the file");
	if (expect && memcmp(expect->b, f.uuid.b, sizeof(f.uuid.b)))
		TA_HOST_FAIL(ENOENT, "the file holds another TA (UUID)");
	ta->fd = ta_host_memfd(f.code, f.code_size);
	if (ta->fd < 0)
		TA_HOST_FAIL(-ta->fd, "cannot make a memfd for the code");
	snprintf(path, sizeof(path), "/proc/self/fd/%d", ta->fd);
	ta->dl = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	if (!ta->dl) {
		ta_host_unload(ta);
		TA_HOST_FAIL(ENOEXEC, "dlopen of the code failed");
	}
	e = dlsym(ta->dl, "teeq_ta_entry");
	if (!e || e->magic != TEEQ_TA_ENTRY_MAGIC ||
	    e->version != TEEQ_TA_ENTRY_VERSION || !e->head) {
		ta_host_unload(ta);
		TA_HOST_FAIL(ENOEXEC, "the code exports no teeq TA entry");
	}
	ta_host_head_uuid(&e->head->uuid, &head_uuid);
	if (memcmp(head_uuid.b, f.uuid.b, sizeof(f.uuid.b)) ||
	    e->head->flags != f.ta_flags || e->head->api_level != f.api_level) {
		ta_host_unload(ta);
		TA_HOST_FAIL(EBADMSG,
			     "the code's head disagrees with the file");
	}
	ta->entry = e;
	ta->uuid = f.uuid;
	ta->ta_flags = f.ta_flags;
	ta->api_level = f.api_level;
	return 0;
}

int ta_host_load_file(const char *path, const struct teeq_uuid *expect,
		      const struct ta_file_verify_ops *ops,
		      struct ta_host_ta *ta, const char **why)
{
	size_t max = TEEQ_TA_FILE_HDR_SIZE + TEEQ_TA_FILE_MAX_PROPS_SIZE +
		     TEEQ_TA_FILE_MAX_CODE + 8 + TEEQ_TA_FILE_MAX_SIG;
	struct stat st;
	size_t done = 0;
	uint8_t *buf;
	int fd, err;

	memset(ta, 0, sizeof(*ta));
	ta->fd = -1;
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		TA_HOST_FAIL(errno == ENOENT ? ENOENT : EACCES,
			     "cannot open the TA file");
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > max) {
		close(fd);
		TA_HOST_FAIL(EBADMSG, "not a regular file of a TA's size");
	}
	buf = malloc((size_t)st.st_size + 1);
	if (!buf) {
		close(fd);
		TA_HOST_FAIL(ENOMEM, "out of memory");
	}
	while (done < (size_t)st.st_size) {
		ssize_t n = read(fd, buf + done, (size_t)st.st_size - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		done += (size_t)n;
	}
	close(fd);
	err = done == (size_t)st.st_size ?
		      ta_host_load(buf, done, expect, ops, ta, why) :
		      -EIO;
	if (err == -EIO)
		*why = "cannot read the TA file";
	free(buf);
	return err;
}

void ta_host_unload(struct ta_host_ta *ta)
{
	if (ta->dl)
		dlclose(ta->dl);
	if (ta->fd >= 0)
		close(ta->fd);
	memset(ta, 0, sizeof(*ta));
	ta->fd = -1;
}
