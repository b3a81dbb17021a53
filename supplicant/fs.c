// SPDX-License-Identifier: MIT
/*
 * The supplicant's file service: open, create, read, write, truncate,
 * close (commit), remove, rename and list, confined to one directory.
 *
 * Confinement, in three layers: a name is one component of a small
 * alphabet that cannot spell a path, "." or "..", nor one of our hidden
 * temporary files (suppl_fs_name_ok()); every open goes through openat2()
 * relative to the directory with RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS |
 * RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV, so even a symbolic link planted
 * in the directory is refused rather than followed; and whatever is opened,
 * renamed or removed must be a regular file (not a link, FIFO, device or
 * directory). Sizes are bounded: no file past max_file, no transfer past
 * the request's window.
 */
#include "supplicant/fs.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

/* The wire codes are the Linux errno numbers. */
_Static_assert(TEEQ_RPC_EPERM == EPERM && TEEQ_RPC_ENOENT == ENOENT &&
		       TEEQ_RPC_EIO == EIO && TEEQ_RPC_EBADF == EBADF &&
		       TEEQ_RPC_ENOMEM == ENOMEM && TEEQ_RPC_EEXIST == EEXIST &&
		       TEEQ_RPC_EINVAL == EINVAL && TEEQ_RPC_EMFILE == EMFILE &&
		       TEEQ_RPC_EFBIG == EFBIG && TEEQ_RPC_ENOSPC == ENOSPC &&
		       TEEQ_RPC_ENAMETOOLONG == ENAMETOOLONG &&
		       TEEQ_RPC_ENOSYS == ENOSYS && TEEQ_RPC_ELOOP == ELOOP,
	       "TEEQ_RPC_E* are the Linux errno numbers");

#define SUPPL_FS_RESOLVE                                                 \
	(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | \
	 RESOLVE_NO_XDEV)

/* Any errno as a wire status: the codes the protocol names pass, others
 * are EIO. */
static int32_t suppl_fs_status(int err)
{
	switch (err) {
	case 0:
	case EPERM:
	case ENOENT:
	case EIO:
	case EBADF:
	case ENOMEM:
	case EEXIST:
	case EINVAL:
	case EMFILE:
	case EFBIG:
	case ENOSPC:
	case ENAMETOOLONG:
	case ENOSYS:
	case ELOOP:
		return -err;
	case EDQUOT:
		return -ENOSPC;
	default:
		return -EIO;
	}
}

int suppl_fs_name_ok(const char *name, size_t len)
{
	size_t i;

	if (len == 0)
		return -EINVAL;
	if (len > TEEQ_RPC_NAME_MAX)
		return -ENAMETOOLONG;
	/* hidden names are ours (temporaries), and cover "." and ".." */
	if (name[0] == '.')
		return -EINVAL;
	for (i = 0; i < len; i++) {
		char c = name[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '_' || c == '-' ||
		      c == '.'))
			return -EINVAL;
	}
	return 0;
}

/* openat2() beneath the storage directory, following no link of any
 * kind. Returns an fd or -errno. */
static int suppl_fs_openat(struct suppl_fs *fs, const char *name, int flags,
			   mode_t mode)
{
	struct open_how how = {
		.flags = (uint64_t)(flags | O_CLOEXEC | O_NOFOLLOW),
		.mode = (flags & O_CREAT) ? mode : 0,
		.resolve = SUPPL_FS_RESOLVE,
	};
	long fd = syscall(SYS_openat2, fs->dirfd, name, &how, sizeof(how));

	return fd < 0 ? -errno : (int)fd;
}

/* Only regular files are ours to touch: a FIFO could block us, a device
 * or a directory is not a stored object. */
static int suppl_fs_is_file(struct suppl_fs *fs, const char *name)
{
	struct stat st;

	if (fstatat(fs->dirfd, name, &st, AT_SYMLINK_NOFOLLOW))
		return -errno;
	return S_ISREG(st.st_mode) ? 0 : -ELOOP;
}

/* ---- handles ------------------------------------------------------------- */

static uint64_t suppl_fs_handle_id(const struct suppl_fs *fs,
				   const struct suppl_fs_handle *h)
{
	return (uint64_t)h->gen << 8 | (uint64_t)(h - fs->handles + 1);
}

static struct suppl_fs_handle *suppl_fs_handle_get(struct suppl_fs *fs,
						   uint64_t id)
{
	uint64_t slot = id & 0xff;
	struct suppl_fs_handle *h;

	if (slot < 1 || slot > SUPPL_FS_MAX_HANDLES)
		return NULL;
	h = &fs->handles[slot - 1];
	if (h->kind == SUPPL_FS_FREE || (uint64_t)h->gen != id >> 8)
		return NULL;
	return h;
}

static struct suppl_fs_handle *suppl_fs_handle_new(struct suppl_fs *fs)
{
	int i;

	for (i = 0; i < SUPPL_FS_MAX_HANDLES; i++) {
		struct suppl_fs_handle *h = &fs->handles[i];

		if (h->kind == SUPPL_FS_FREE) {
			/* never 0: a zero handle is no handle */
			h->gen = (h->gen + 1) & 0xffffff;
			if (!h->gen)
				h->gen = 1;
			return h;
		}
	}
	return NULL;
}

/* Closes a handle; a temporary that was not committed is removed. */
static void suppl_fs_handle_drop(struct suppl_fs *fs, struct suppl_fs_handle *h)
{
	if (h->kind == SUPPL_FS_NEW)
		unlinkat(fs->dirfd, h->tmp, 0);
	if (h->fd >= 0)
		close(h->fd);
	h->fd = -1;
	h->kind = SUPPL_FS_FREE;
}

void suppl_fs_reset(struct suppl_fs *fs)
{
	int i;

	for (i = 0; i < SUPPL_FS_MAX_HANDLES; i++)
		if (fs->handles[i].kind != SUPPL_FS_FREE)
			suppl_fs_handle_drop(fs, &fs->handles[i]);
}

/* ---- the storage directory ------------------------------------------------ */

/* Temporaries are only ever ours, and we hold the directory's lock: any
 * found now were left by a supplicant that died before committing them. */
static void suppl_fs_sweep_tmp(struct suppl_fs *fs)
{
	int fd = openat(fs->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	struct dirent *de;
	DIR *d;

	if (fd < 0)
		return;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return;
	}
	while ((de = readdir(d)))
		if (!strncmp(de->d_name, SUPPL_FS_TMP_PREFIX,
			     sizeof(SUPPL_FS_TMP_PREFIX) - 1))
			unlinkat(fs->dirfd, de->d_name, 0);
	closedir(d);
}

int suppl_fs_open(struct suppl_fs *fs, const char *path, uint64_t max_file,
		  const char **why)
{
	struct stat st;
	int i, err;

	memset(fs, 0, sizeof(*fs));
	fs->max_file = max_file;
	for (i = 0; i < SUPPL_FS_MAX_HANDLES; i++)
		fs->handles[i].fd = -1;
	if (mkdir(path, 0700) && errno != EEXIST) {
		*why = "cannot create the storage directory";
		return -errno;
	}
	/* the directory itself, not a link to one */
	fs->dirfd = open(path, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fs->dirfd < 0) {
		err = -errno;
		*why = "cannot open the storage directory (a symbolic link?)";
		return err;
	}
	if (fstat(fs->dirfd, &st)) {
		err = -errno;
		*why = "cannot stat the storage directory";
		goto err_close;
	}
	if (st.st_uid != geteuid() || (st.st_mode & 077)) {
		err = -EPERM;
		*why = "the storage directory must be ours and private "
		       "(mode 0700)";
		goto err_close;
	}
	if (flock(fs->dirfd, LOCK_EX | LOCK_NB)) {
		err = -errno;
		*why = "another supplicant serves the storage directory";
		goto err_close;
	}
	suppl_fs_sweep_tmp(fs);
	return 0;

err_close:
	close(fs->dirfd);
	fs->dirfd = -1;
	return err;
}

void suppl_fs_close(struct suppl_fs *fs)
{
	suppl_fs_reset(fs);
	if (fs->dirfd >= 0)
		close(fs->dirfd); /* and with it the lock */
	fs->dirfd = -1;
}

/* ---- requests ------------------------------------------------------------- */

/* A request's names, copied out of the window (shared memory) and then
 * checked: the copy is what is used. */
struct suppl_fs_names {
	char name[TEEQ_RPC_NAME_MAX + 1];
	char name2[TEEQ_RPC_NAME_MAX + 1];
};

static int suppl_fs_copy_names(const struct teeq_rpc_req *req,
			       const unsigned char *window,
			       uint32_t window_size, struct suppl_fs_names *n)
{
	if (req->name_len > TEEQ_RPC_NAME_MAX ||
	    req->name2_len > TEEQ_RPC_NAME_MAX)
		return -ENAMETOOLONG;
	if ((uint32_t)req->name_len + req->name2_len > window_size)
		return -EINVAL;
	memcpy(n->name, window, req->name_len);
	n->name[req->name_len] = 0;
	memcpy(n->name2, window + req->name_len, req->name2_len);
	n->name2[req->name2_len] = 0;
	/* a NUL inside would make the name we check differ from the one
	 * the kernel sees */
	if (strlen(n->name) != req->name_len ||
	    strlen(n->name2) != req->name2_len)
		return -EINVAL;
	return 0;
}

static int suppl_fs_do_open(struct suppl_fs *fs, const struct suppl_fs_names *n,
			    struct teeq_rpc_rsp *rsp)
{
	struct suppl_fs_handle *h;
	struct stat st;
	int fd, err;

	err = suppl_fs_name_ok(n->name, strlen(n->name));
	if (err)
		return err;
	h = suppl_fs_handle_new(fs);
	if (!h)
		return -EMFILE;
	/* O_NONBLOCK: opening a FIFO someone planted must not block us */
	fd = suppl_fs_openat(fs, n->name, O_RDONLY | O_NONBLOCK, 0);
	if (fd < 0)
		return fd;
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		close(fd);
		return -ELOOP;
	}
	h->kind = SUPPL_FS_READ;
	h->fd = fd;
	rsp->handle = suppl_fs_handle_id(fs, h);
	rsp->value = (uint64_t)st.st_size;
	return 0;
}

static int suppl_fs_do_create(struct suppl_fs *fs,
			      const struct suppl_fs_names *n,
			      struct teeq_rpc_rsp *rsp)
{
	struct suppl_fs_handle *h;
	int fd, err;

	err = suppl_fs_name_ok(n->name, strlen(n->name));
	if (err)
		return err;
	h = suppl_fs_handle_new(fs);
	if (!h)
		return -EMFILE;
	/* a hidden, unique name: no request can name it, no reader sees a
	 * half-written object under the real name */
	snprintf(h->tmp, sizeof(h->tmp), SUPPL_FS_TMP_PREFIX "%s.%llu", n->name,
		 (unsigned long long)++fs->tmp_seq);
	fd = suppl_fs_openat(fs, h->tmp, O_RDWR | O_CREAT | O_EXCL, 0600);
	if (fd < 0)
		return fd;
	strcpy(h->name, n->name);
	h->kind = SUPPL_FS_NEW;
	h->fd = fd;
	rsp->handle = suppl_fs_handle_id(fs, h);
	return 0;
}

static int suppl_fs_do_read(struct suppl_fs *fs, const struct teeq_rpc_req *req,
			    unsigned char *window, uint32_t window_size,
			    struct teeq_rpc_rsp *rsp)
{
	struct suppl_fs_handle *h = suppl_fs_handle_get(fs, req->handle);
	uint32_t done = 0;
	ssize_t n;

	if (!h)
		return -EBADF;
	if (req->len > window_size ||
	    req->offset > (uint64_t)INT64_MAX - window_size)
		return -EINVAL;
	while (done < req->len) {
		n = pread(h->fd, window + done, req->len - done,
			  (off_t)(req->offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			break;
		done += (uint32_t)n;
	}
	rsp->len = done;
	rsp->value = done;
	return 0;
}

/* The handle of a CREATE, which alone may be written: 0 or -errno. */
static int suppl_fs_new_handle(struct suppl_fs *fs, uint64_t id,
			       struct suppl_fs_handle **h)
{
	*h = suppl_fs_handle_get(fs, id);
	if (!*h)
		return -EBADF;
	return (*h)->kind == SUPPL_FS_NEW ? 0 : -EPERM;
}

static int suppl_fs_do_write(struct suppl_fs *fs,
			     const struct teeq_rpc_req *req,
			     const unsigned char *window, uint32_t window_size)
{
	struct suppl_fs_handle *h;
	int err = suppl_fs_new_handle(fs, req->handle, &h);
	uint32_t done = 0;
	ssize_t n;

	if (err)
		return err;
	if (req->len > window_size)
		return -EINVAL;
	if (req->offset > fs->max_file || req->len > fs->max_file - req->offset)
		return -EFBIG;
	while (done < req->len) {
		n = pwrite(h->fd, window + done, req->len - done,
			   (off_t)(req->offset + done));
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		done += (uint32_t)n;
	}
	return 0;
}

static int suppl_fs_do_truncate(struct suppl_fs *fs,
				const struct teeq_rpc_req *req)
{
	struct suppl_fs_handle *h;
	int err = suppl_fs_new_handle(fs, req->handle, &h);

	if (err)
		return err;
	if (req->offset > fs->max_file)
		return -EFBIG;
	return ftruncate(h->fd, (off_t)req->offset) ? -errno : 0;
}

/*
 * CLOSE of a created file with COMMIT: the atomic write. The new contents
 * went to a temporary file; now
 *   1. fsync the temporary, so its data is on disk before any name
 *      points to it;
 *   2. rename it over the real name: readers see the old file or the new
 *      one, whole, never a mix, whenever we are stopped;
 *   3. fsync the directory, so the rename itself survives a crash.
 * Only then is the reply 0: a committed file stays. An error before the
 * rename leaves the old file untouched; one in step 3 leaves it unknown
 * which of the two a crash would keep, and says so with EIO.
 */
static int suppl_fs_commit(struct suppl_fs *fs, struct suppl_fs_handle *h)
{
	int err = 0;

	if (fsync(h->fd))
		err = -errno;
	else if (renameat(fs->dirfd, h->tmp, fs->dirfd, h->name))
		err = -errno;
	else {
		h->kind = SUPPL_FS_READ; /* the temporary is gone */
		if (fsync(fs->dirfd))
			err = -EIO;
	}
	return err;
}

static int suppl_fs_do_close(struct suppl_fs *fs,
			     const struct teeq_rpc_req *req)
{
	struct suppl_fs_handle *h = suppl_fs_handle_get(fs, req->handle);
	int err = 0;

	if (req->flags & ~TEEQ_RPC_CLOSE_COMMIT)
		return -EINVAL;
	if (!h)
		return -EBADF;
	if (req->flags & TEEQ_RPC_CLOSE_COMMIT) {
		if (h->kind != SUPPL_FS_NEW)
			return -EPERM;
		err = suppl_fs_commit(fs, h);
	}
	suppl_fs_handle_drop(fs, h);
	return err;
}

static int suppl_fs_do_remove(struct suppl_fs *fs,
			      const struct suppl_fs_names *n)
{
	int err = suppl_fs_name_ok(n->name, strlen(n->name));

	if (!err)
		err = suppl_fs_is_file(fs, n->name);
	if (!err && unlinkat(fs->dirfd, n->name, 0))
		err = -errno;
	return err;
}

static int suppl_fs_do_rename(struct suppl_fs *fs,
			      const struct teeq_rpc_req *req,
			      const struct suppl_fs_names *n)
{
	int err;

	if (req->flags & ~TEEQ_RPC_RENAME_NOREPLACE)
		return -EINVAL;
	err = suppl_fs_name_ok(n->name, strlen(n->name));
	if (!err)
		err = suppl_fs_name_ok(n->name2, strlen(n->name2));
	if (!err)
		err = suppl_fs_is_file(fs, n->name);
	/* a target that exists must be a file too: never replace a link or
	 * a directory someone put there */
	if (!err) {
		err = suppl_fs_is_file(fs, n->name2);
		if (err == -ENOENT)
			err = 0;
	}
	if (err)
		return err;
	if (renameat2(fs->dirfd, n->name, fs->dirfd, n->name2,
		      (req->flags & TEEQ_RPC_RENAME_NOREPLACE) ?
			      RENAME_NOREPLACE :
			      0))
		return -errno;
	/* durable, like a commit */
	return fsync(fs->dirfd) ? -EIO : 0;
}

static int suppl_fs_name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The names after the cursor that start with the prefix, sorted. */
static int suppl_fs_do_list(struct suppl_fs *fs, const struct suppl_fs_names *n,
			    unsigned char *window, uint32_t window_size,
			    struct teeq_rpc_rsp *rsp)
{
	size_t prefix_len = strlen(n->name), nr = 0, cap = 0, i;
	char **names = NULL, **grown;
	uint32_t used = 0;
	struct dirent *de;
	int fd, err = 0;
	DIR *d;

	if (prefix_len && suppl_fs_name_ok(n->name, prefix_len))
		return -EINVAL;
	fd = openat(fs->dirfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	d = fdopendir(fd);
	if (!d) {
		close(fd);
		return -ENOMEM;
	}
	while ((de = readdir(d))) {
		if (suppl_fs_name_ok(de->d_name, strlen(de->d_name)) ||
		    strncmp(de->d_name, n->name, prefix_len) ||
		    strcmp(de->d_name, n->name2) <= 0)
			continue;
		if (nr == cap) {
			cap = cap ? 2 * cap : 64;
			grown = realloc(names, cap * sizeof(*names));
			if (!grown) {
				err = -ENOMEM;
				break;
			}
			names = grown;
		}
		names[nr] = strdup(de->d_name);
		if (!names[nr]) {
			err = -ENOMEM;
			break;
		}
		nr++;
	}
	closedir(d);
	if (!err && nr)
		qsort(names, nr, sizeof(*names), suppl_fs_name_cmp);
	for (i = 0; !err && i < nr; i++) {
		size_t len = strlen(names[i]) + 1;

		if (len > window_size - used) {
			rsp->flags |= TEEQ_RPC_RSP_MORE;
			break;
		}
		memcpy(window + used, names[i], len);
		used += (uint32_t)len;
		rsp->value++;
	}
	for (i = 0; i < nr; i++)
		free(names[i]);
	free(names);
	rsp->len = err ? 0 : used;
	return err;
}

static int suppl_fs_reserved_clear(const struct teeq_rpc_req *req)
{
	size_t i;

	for (i = 0; i < sizeof(req->reserved) / sizeof(req->reserved[0]); i++)
		if (req->reserved[i])
			return 0;
	return 1;
}

/* The fields each opcode uses; the others must be zero. */
#define SUPPL_F_HANDLE (1u << 0)
#define SUPPL_F_OFFSET (1u << 1)
#define SUPPL_F_LEN (1u << 2)
#define SUPPL_F_NAME (1u << 3)
#define SUPPL_F_NAME2 (1u << 4)
#define SUPPL_F_FLAGS (1u << 5)

static const uint8_t suppl_fs_fields[TEEQ_RPC_FS_MAX + 1] = {
	[TEEQ_RPC_FS_OPEN] = SUPPL_F_NAME,
	[TEEQ_RPC_FS_CREATE] = SUPPL_F_NAME,
	[TEEQ_RPC_FS_READ] = SUPPL_F_HANDLE | SUPPL_F_OFFSET | SUPPL_F_LEN,
	[TEEQ_RPC_FS_WRITE] = SUPPL_F_HANDLE | SUPPL_F_OFFSET | SUPPL_F_LEN,
	[TEEQ_RPC_FS_TRUNCATE] = SUPPL_F_HANDLE | SUPPL_F_OFFSET,
	[TEEQ_RPC_FS_CLOSE] = SUPPL_F_HANDLE | SUPPL_F_FLAGS,
	[TEEQ_RPC_FS_REMOVE] = SUPPL_F_NAME,
	[TEEQ_RPC_FS_RENAME] = SUPPL_F_NAME | SUPPL_F_NAME2 | SUPPL_F_FLAGS,
	[TEEQ_RPC_FS_LIST] = SUPPL_F_NAME | SUPPL_F_NAME2,
};

static int suppl_fs_fields_ok(const struct teeq_rpc_req *req)
{
	uint8_t used = suppl_fs_fields[req->opcode];

	return suppl_fs_reserved_clear(req) &&
	       ((used & SUPPL_F_HANDLE) || !req->handle) &&
	       ((used & SUPPL_F_OFFSET) || !req->offset) &&
	       ((used & SUPPL_F_LEN) || !req->len) &&
	       ((used & SUPPL_F_NAME) || !req->name_len) &&
	       ((used & SUPPL_F_NAME2) || !req->name2_len) &&
	       ((used & SUPPL_F_FLAGS) || !req->flags);
}

void suppl_fs_request(struct suppl_fs *fs, const struct teeq_rpc_req *req,
		      unsigned char *window, uint32_t window_size,
		      struct teeq_rpc_rsp *rsp)
{
	struct suppl_fs_names names;
	int err;

	memset(rsp, 0, sizeof(*rsp));
	rsp->tag = req->tag;
	fs->requests++;
	if (req->opcode < 1 || req->opcode > TEEQ_RPC_FS_MAX) {
		err = -ENOSYS;
		goto out;
	}
	if (!suppl_fs_fields_ok(req)) {
		err = -EINVAL;
		goto out;
	}
	err = suppl_fs_copy_names(req, window, window_size, &names);
	if (err)
		goto out;
	switch (req->opcode) {
	case TEEQ_RPC_FS_OPEN:
		err = suppl_fs_do_open(fs, &names, rsp);
		break;
	case TEEQ_RPC_FS_CREATE:
		err = suppl_fs_do_create(fs, &names, rsp);
		break;
	case TEEQ_RPC_FS_READ:
		err = suppl_fs_do_read(fs, req, window, window_size, rsp);
		break;
	case TEEQ_RPC_FS_WRITE:
		err = suppl_fs_do_write(fs, req, window, window_size);
		break;
	case TEEQ_RPC_FS_TRUNCATE:
		err = suppl_fs_do_truncate(fs, req);
		break;
	case TEEQ_RPC_FS_CLOSE:
		err = suppl_fs_do_close(fs, req);
		break;
	case TEEQ_RPC_FS_REMOVE:
		err = suppl_fs_do_remove(fs, &names);
		break;
	case TEEQ_RPC_FS_RENAME:
		err = suppl_fs_do_rename(fs, req, &names);
		break;
	case TEEQ_RPC_FS_LIST:
		err = suppl_fs_do_list(fs, &names, window, window_size, rsp);
		break;
	}
out:
	if (err) {
		fs->refused++;
		/* nothing but the status and tag on failure */
		memset(rsp, 0, sizeof(*rsp));
		rsp->tag = req->tag;
		rsp->status = suppl_fs_status(-err);
	}
}
