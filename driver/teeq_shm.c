// SPDX-License-Identifier: GPL-2.0
/*
 * Shared-memory objects: what a client's memref names by id.
 *
 *   POOL    TEEQ_IOC_SHM_ALLOC: pages of the backend's pool, handed to the
 *           client as a dma-buf fd (mmap it, or give it to another driver)
 *   USER    TEEQ_IOC_SHM_REGISTER: the caller's pages, pinned
 *   DMABUF  TEEQ_IOC_SHM_REGISTER_FD: another driver's dma-buf, imported
 *           and used in place
 *   TEMP    a temporary memref's copy in the pool, for one call
 *
 * Ids are device-wide, so one context naming another's id gets EINVAL as
 * for an id never issued; ids are handed out cyclically, so a stale one
 * stays stale for long. An object lives while its client's fd is open or
 * a call uses it (one reference each); its memory may live longer, while
 * the secure side still maps it (that mapping holds the memory, not the
 * object).
 */
#include <linux/anon_inodes.h>
#include <linux/file.h>
#include <linux/highmem.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "teeq_private.h"

/* The largest registration: a memref window on the wire is below 4 GiB. */
#define TEEQ_SHM_MAX_SIZE ((u64)U32_MAX)

static void teeq_shm_free_rcu(struct rcu_head *rcu)
{
	kmem_cache_free(teeq_dev.shm_cache,
			container_of(rcu, struct teeq_shm, rcu));
}

static void teeq_shm_release(struct kref *ref)
{
	struct teeq_shm *shm = container_of(ref, struct teeq_shm, ref);

	if (shm->id)
		xa_erase(&teeq_dev.shm_ids, shm->id);
	switch (shm->kind) {
	case TEEQ_SHM_POOL:
	case TEEQ_SHM_TEMP:
		if (shm->pages) /* the pool gave it memory */
			teeq_dev.ops->shm_free(shm);
		break;
	case TEEQ_SHM_USER:
		teeq_dev.ops->shm_unregister(shm);
		teeq_pin_put(shm->pin);
		break;
	case TEEQ_SHM_DMABUF:
		teeq_dev.ops->shm_unregister(shm);
		dma_buf_put(shm->dmabuf);
		break;
	}
	mutex_destroy(&shm->reg_lock);
	teeq_ctx_put(shm->ctx);
	teeq_stat_dec(shms);
	/* a lookup may still be looking at it */
	call_rcu(&shm->rcu, teeq_shm_free_rcu);
}

void teeq_shm_put(struct teeq_shm *shm)
{
	kref_put(&shm->ref, teeq_shm_release);
}

/* The context's shm @id with a reference, or NULL. Lock-free. */
struct teeq_shm *teeq_shm_lookup(struct teeq_ctx *ctx, int id)
{
	struct teeq_shm *shm;

	rcu_read_lock();
	shm = xa_load(&teeq_dev.shm_ids, id);
	if (shm && (shm->ctx != ctx || !kref_get_unless_zero(&shm->ref)))
		shm = NULL;
	rcu_read_unlock();
	return shm;
}

static struct teeq_shm *teeq_shm_new(struct teeq_ctx *ctx,
				     enum teeq_shm_kind kind, u64 size)
{
	struct teeq_shm *shm =
		kmem_cache_zalloc(teeq_dev.shm_cache, GFP_KERNEL);

	if (!shm)
		return NULL;
	kref_init(&shm->ref);
	mutex_init(&shm->reg_lock);
	kref_get(&ctx->ref);
	shm->ctx = ctx;
	shm->kind = kind;
	shm->size = size;
	teeq_stat_inc(shms);
	return shm;
}

static int teeq_shm_publish(struct teeq_shm *shm)
{
	u32 id;
	int ret;

	ret = xa_alloc_cyclic(&teeq_dev.shm_ids, &id, shm, XA_LIMIT(1, INT_MAX),
			      &teeq_dev.shm_next, GFP_KERNEL);
	if (ret < 0)
		return ret;
	shm->id = (int)id;
	return 0;
}

/* Copies @len bytes between user memory and the pool pages of @shm at
 * @off; @off + @len lies inside the shm. */
int teeq_shm_copy(struct teeq_shm *shm, u64 off, void __user *ubuf, u64 len,
		  bool to_user)
{
	while (len) {
		struct page *page = shm->pages[off >> PAGE_SHIFT];
		size_t in_page = offset_in_page(off);
		size_t n = min_t(u64, len, PAGE_SIZE - in_page);
		void *kaddr = kmap_local_page(page);
		unsigned long left;

		if (to_user)
			left = copy_to_user(ubuf, kaddr + in_page, n);
		else
			left = copy_from_user(kaddr + in_page, ubuf, n);
		kunmap_local(kaddr);
		if (left)
			return -EFAULT;
		off += n;
		ubuf += n;
		len -= n;
		cond_resched();
	}
	return 0;
}

struct teeq_shm *teeq_shm_temp_alloc(struct teeq_ctx *ctx, u64 size)
{
	struct teeq_shm *shm = teeq_shm_new(ctx, TEEQ_SHM_TEMP, size);
	int ret;

	if (!shm)
		return ERR_PTR(-ENOMEM);
	ret = teeq_dev.ops->shm_alloc(ctx, shm);
	if (ret) {
		teeq_shm_put(shm);
		return ERR_PTR(ret);
	}
	return shm;
}

/* ---- the client's fd ---------------------------------------------------------- */

static void teeq_shm_export_release(struct teeq_export *exp)
{
	teeq_shm_put(container_of(exp, struct teeq_shm, export));
}

static int teeq_shm_file_release(struct inode *inode, struct file *filp)
{
	teeq_shm_put(filp->private_data);
	return 0;
}

/* Registered memory's fd: it owns the registration, as upstream's does;
 * the memory itself is mapped from where it came from. */
static const struct file_operations teeq_shm_fops = {
	.owner = THIS_MODULE,
	.release = teeq_shm_file_release,
};

/* The fd that owns @shm's first reference; on failure that reference is
 * dropped. Writes @data (@len bytes) to @uarg first, so a fault there
 * leaves no fd behind. */
static long teeq_shm_fd(struct teeq_shm *shm, void __user *uarg,
			const void *data, size_t len)
{
	struct dma_buf *dmabuf = NULL;
	struct file *file;
	int fd;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		teeq_shm_put(shm);
		return fd;
	}
	if (shm->kind == TEEQ_SHM_POOL) {
		shm->export.pages = shm->pages;
		shm->export.nr_pages = shm->nr_pages;
		shm->export.size = shm->size;
		shm->export.release = teeq_shm_export_release;
		dmabuf = teeq_export_dmabuf(&shm->export, O_RDWR | O_CLOEXEC);
		file = IS_ERR(dmabuf) ? ERR_CAST(dmabuf) : dmabuf->file;
	} else {
		file = anon_inode_getfile("teeq-shm", &teeq_shm_fops, shm,
					  O_RDWR | O_CLOEXEC);
	}
	if (IS_ERR(file)) {
		put_unused_fd(fd);
		teeq_shm_put(shm);
		return PTR_ERR(file);
	}
	/* from here the file holds the reference */
	if (copy_to_user(uarg, data, len)) {
		put_unused_fd(fd);
		fput(file);
		return -EFAULT;
	}
	fd_install(fd, file);
	return fd;
}

long teeq_shm_ioctl_alloc(struct teeq_ctx *ctx, void __user *uarg)
{
	struct teeq_ioctl_shm_alloc_data data;
	struct teeq_shm *shm;
	unsigned long i;
	int ret;

	if (copy_from_user(&data, uarg, sizeof(data)))
		return -EFAULT;
	if (data.flags || !data.size || data.size > TEEQ_SHM_MAX_SIZE)
		return -EINVAL;
	shm = teeq_shm_new(ctx, TEEQ_SHM_POOL, data.size);
	if (!shm)
		return -ENOMEM;
	ret = teeq_dev.ops->shm_alloc(ctx, shm);
	if (ret) {
		teeq_shm_put(shm);
		return ret;
	}
	/* the pool's pages may hold an earlier buffer's bytes */
	for (i = 0; i < shm->nr_pages; i++)
		clear_highpage(shm->pages[i]);
	ret = teeq_shm_publish(shm);
	if (ret) {
		teeq_shm_put(shm);
		return ret;
	}
	data.id = shm->id;
	data.flags = 0;
	return teeq_shm_fd(shm, uarg, &data, sizeof(data));
}

/* ---- registered user pages ------------------------------------------------------- */

static void teeq_pin_free(struct kref *ref)
{
	struct teeq_pin *pin = container_of(ref, struct teeq_pin, ref);

	unpin_user_pages(pin->pages, pin->nr_pages);
	kvfree(pin->pages);
	kfree(pin);
}

void teeq_pin_put(struct teeq_pin *pin)
{
	if (pin)
		kref_put(&pin->ref, teeq_pin_free);
}

static struct teeq_pin *teeq_pin_user(unsigned long start,
				      unsigned long nr_pages)
{
	struct teeq_pin *pin = kzalloc(sizeof(*pin), GFP_KERNEL);
	long got;

	if (!pin)
		return ERR_PTR(-ENOMEM);
	kref_init(&pin->ref);
	pin->pages = kvmalloc_array(nr_pages, sizeof(*pin->pages), GFP_KERNEL);
	if (!pin->pages) {
		kfree(pin);
		return ERR_PTR(-ENOMEM);
	}
	got = pin_user_pages_fast(start, (int)nr_pages,
				  FOLL_WRITE | FOLL_LONGTERM, pin->pages);
	if (got != (long)nr_pages) {
		if (got > 0)
			unpin_user_pages(pin->pages, got);
		kvfree(pin->pages);
		kfree(pin);
		return ERR_PTR(got < 0 ? got : -EFAULT);
	}
	pin->nr_pages = nr_pages;
	return pin;
}

long teeq_shm_ioctl_register(struct teeq_ctx *ctx, void __user *uarg)
{
	struct teeq_ioctl_shm_register_data data;
	unsigned long start, nr_pages;
	struct teeq_shm *shm;
	struct teeq_pin *pin;
	int ret;

	if (copy_from_user(&data, uarg, sizeof(data)))
		return -EFAULT;
	if (data.flags || !data.length || data.length > TEEQ_SHM_MAX_SIZE ||
	    data.addr + data.length < data.addr)
		return -EINVAL;
	start = data.addr & PAGE_MASK;
	nr_pages = (PAGE_ALIGN(data.addr + data.length) - start) >> PAGE_SHIFT;
	if (nr_pages > INT_MAX)
		return -EINVAL;
	pin = teeq_pin_user(start, nr_pages);
	if (IS_ERR(pin))
		return PTR_ERR(pin);
	shm = teeq_shm_new(ctx, TEEQ_SHM_USER, data.length);
	if (!shm) {
		teeq_pin_put(pin);
		return -ENOMEM;
	}
	shm->pin = pin;
	shm->pages = pin->pages;
	shm->nr_pages = nr_pages;
	shm->page_off = offset_in_page(data.addr);
	shm->access = TEEQ_SWDEV_BUF_READ | TEEQ_SWDEV_BUF_WRITE;
	ret = teeq_shm_publish(shm);
	if (ret) {
		teeq_shm_put(shm);
		return ret;
	}
	data.id = shm->id;
	return teeq_shm_fd(shm, uarg, &data, sizeof(data));
}

/* ---- imported dma-bufs -------------------------------------------------------------- */

long teeq_shm_ioctl_register_fd(struct teeq_ctx *ctx, void __user *uarg)
{
	struct teeq_ioctl_shm_register_fd_data data;
	struct dma_buf *dmabuf;
	struct teeq_shm *shm;
	int ret;

	if (copy_from_user(&data, uarg, sizeof(data)))
		return -EFAULT;
	if (data.flags || data.fd < 0 || data.fd > INT_MAX)
		return -EINVAL;
	dmabuf = dma_buf_get((int)data.fd);
	if (IS_ERR(dmabuf))
		return PTR_ERR(dmabuf);
	if (!dmabuf->size || dmabuf->size > TEEQ_SHM_MAX_SIZE) {
		dma_buf_put(dmabuf);
		return -EINVAL;
	}
	shm = teeq_shm_new(ctx, TEEQ_SHM_DMABUF, dmabuf->size);
	if (!shm) {
		dma_buf_put(dmabuf);
		return -ENOMEM;
	}
	shm->dmabuf = dmabuf;
	shm->access = TEEQ_SWDEV_BUF_READ;
	if (dmabuf->file->f_mode & FMODE_WRITE)
		shm->access |= TEEQ_SWDEV_BUF_WRITE;
	ret = teeq_shm_publish(shm);
	if (ret) {
		teeq_shm_put(shm);
		return ret;
	}
	data.id = shm->id;
	data.size = dmabuf->size;
	return teeq_shm_fd(shm, uarg, &data, sizeof(data));
}

/* ---- the secure side's view ---------------------------------------------------------- */

struct teeq_pin_export {
	struct teeq_export export;
	struct teeq_pin *pin;
};

static void teeq_pin_export_release(struct teeq_export *exp)
{
	struct teeq_pin_export *pe =
		container_of(exp, struct teeq_pin_export, export);

	teeq_pin_put(pe->pin);
	kfree(pe);
}

/* A file for the secure side to mmap @shm from: an imported dma-buf as it
 * is, pinned pages as a dma-buf of ours that holds the pin. */
struct file *teeq_shm_sw_file(struct teeq_shm *shm)
{
	struct teeq_pin_export *pe;
	struct dma_buf *dmabuf;

	if (shm->kind == TEEQ_SHM_DMABUF) {
		get_dma_buf(shm->dmabuf);
		return shm->dmabuf->file;
	}
	if (shm->kind != TEEQ_SHM_USER)
		return ERR_PTR(-EINVAL);
	pe = kzalloc(sizeof(*pe), GFP_KERNEL);
	if (!pe)
		return ERR_PTR(-ENOMEM);
	kref_get(&shm->pin->ref);
	pe->pin = shm->pin;
	pe->export.pages = shm->pin->pages;
	pe->export.nr_pages = shm->pin->nr_pages;
	pe->export.size = shm->pin->nr_pages << PAGE_SHIFT;
	pe->export.release = teeq_pin_export_release;
	dmabuf = teeq_export_dmabuf(&pe->export, O_RDWR | O_CLOEXEC);
	if (IS_ERR(dmabuf)) {
		teeq_pin_export_release(&pe->export);
		return ERR_CAST(dmabuf);
	}
	return dmabuf->file;
}
