// SPDX-License-Identifier: GPL-2.0
/*
 * The dma-buf exporter: a dma-buf over an array of pages this module keeps
 * alive (pool pages of a channel's heap, or pinned user pages). Another
 * driver can attach and map it; user space (the client, or the secure side)
 * can mmap it; the kernel can vmap it; CPU access is bracketed by
 * begin/end_cpu_access.
 *
 * Mappings are PFN mappings: a page table entry holds no page reference,
 * and the pages stay alive because a mapping holds the dma-buf's file,
 * whose release is the only way the export lets go of them.
 */
#include <linux/dma-mapping.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/scatterlist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>

#include "teeq_private.h"

static struct sg_table *teeq_export_sgt(struct teeq_export *exp,
					struct device *dev,
					enum dma_data_direction dir)
{
	struct sg_table *sgt;
	int ret;

	sgt = kzalloc(sizeof(*sgt), GFP_KERNEL);
	if (!sgt)
		return ERR_PTR(-ENOMEM);
	ret = sg_alloc_table_from_pages(sgt, exp->pages, exp->nr_pages, 0,
					exp->nr_pages << PAGE_SHIFT,
					GFP_KERNEL);
	if (ret)
		goto err_free;
	ret = dma_map_sgtable(dev, sgt, dir, DMA_ATTR_SKIP_CPU_SYNC);
	if (ret)
		goto err_table;
	return sgt;

err_table:
	sg_free_table(sgt);
err_free:
	kfree(sgt);
	return ERR_PTR(ret);
}

static void teeq_export_sgt_free(struct sg_table *sgt, struct device *dev,
				 enum dma_data_direction dir)
{
	dma_unmap_sgtable(dev, sgt, dir, DMA_ATTR_SKIP_CPU_SYNC);
	sg_free_table(sgt);
	kfree(sgt);
}

static struct sg_table *teeq_dmabuf_map(struct dma_buf_attachment *at,
					enum dma_data_direction dir)
{
	return teeq_export_sgt(at->dmabuf->priv, at->dev, dir);
}

static void teeq_dmabuf_unmap(struct dma_buf_attachment *at,
			      struct sg_table *sgt, enum dma_data_direction dir)
{
	teeq_export_sgt_free(sgt, at->dev, dir);
}

static struct device *teeq_dmabuf_dev(void)
{
	return teeq_dev.client_node.this_device;
}

static void teeq_dmabuf_release(struct dma_buf *dmabuf)
{
	struct teeq_export *exp = dmabuf->priv;

	if (exp->cpu_sgt)
		teeq_export_sgt_free(exp->cpu_sgt, teeq_dmabuf_dev(),
				     exp->cpu_dir);
	exp->cpu_sgt = NULL;
	exp->release(exp);
}

static vm_fault_t teeq_dmabuf_fault(struct vm_fault *vmf)
{
	struct teeq_export *exp = vmf->vma->vm_private_data;

	if (vmf->pgoff >= exp->nr_pages)
		return VM_FAULT_SIGBUS;
	return vmf_insert_pfn(vmf->vma, vmf->address,
			      page_to_pfn(exp->pages[vmf->pgoff]));
}

static const struct vm_operations_struct teeq_dmabuf_vm_ops = {
	.fault = teeq_dmabuf_fault,
};

static int teeq_dmabuf_mmap(struct dma_buf *dmabuf, struct vm_area_struct *vma)
{
	if (!(vma->vm_flags & VM_SHARED))
		return -EINVAL;
	/* dma_buf_mmap_internal() checked the range against the size */
	teeq_vm_flags_set(vma, VM_PFNMAP | VM_DONTEXPAND | VM_DONTDUMP);
	vma->vm_ops = &teeq_dmabuf_vm_ops;
	vma->vm_private_data = dmabuf->priv;
	return 0;
}

static int teeq_dmabuf_begin_cpu(struct dma_buf *dmabuf,
				 enum dma_data_direction dir)
{
	struct teeq_export *exp = dmabuf->priv;
	struct sg_table *sgt;

	/* dma_buf_begin_cpu_access() holds the reservation lock */
	if (!exp->cpu_sgt) {
		sgt = teeq_export_sgt(exp, teeq_dmabuf_dev(),
				      DMA_BIDIRECTIONAL);
		if (IS_ERR(sgt))
			return PTR_ERR(sgt);
		exp->cpu_sgt = sgt;
		exp->cpu_dir = DMA_BIDIRECTIONAL;
	}
	dma_sync_sgtable_for_cpu(teeq_dmabuf_dev(), exp->cpu_sgt, dir);
	return 0;
}

static int teeq_dmabuf_end_cpu(struct dma_buf *dmabuf,
			       enum dma_data_direction dir)
{
	struct teeq_export *exp = dmabuf->priv;

	if (!exp->cpu_sgt)
		return -EINVAL;
	dma_sync_sgtable_for_device(teeq_dmabuf_dev(), exp->cpu_sgt, dir);
	return 0;
}

static int teeq_dmabuf_vmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct teeq_export *exp = dmabuf->priv;
	void *vaddr = vm_map_ram(exp->pages, exp->nr_pages, NUMA_NO_NODE);

	if (!vaddr)
		return -ENOMEM;
	iosys_map_set_vaddr(map, vaddr);
	return 0;
}

static void teeq_dmabuf_vunmap(struct dma_buf *dmabuf, struct iosys_map *map)
{
	struct teeq_export *exp = dmabuf->priv;

	vm_unmap_ram(map->vaddr, exp->nr_pages);
}

static const struct dma_buf_ops teeq_dmabuf_ops = {
	.cache_sgt_mapping = true,
	.map_dma_buf = teeq_dmabuf_map,
	.unmap_dma_buf = teeq_dmabuf_unmap,
	.release = teeq_dmabuf_release,
	.mmap = teeq_dmabuf_mmap,
	.begin_cpu_access = teeq_dmabuf_begin_cpu,
	.end_cpu_access = teeq_dmabuf_end_cpu,
	.vmap = teeq_dmabuf_vmap,
	.vunmap = teeq_dmabuf_vunmap,
};

/* A dma-buf over @exp's pages (its size rounded up to whole pages); from
 * here its release calls exp->release(). @flags: the file's O_* flags. */
struct dma_buf *teeq_export_dmabuf(struct teeq_export *exp, int flags)
{
	DEFINE_DMA_BUF_EXPORT_INFO(info);

	info.ops = &teeq_dmabuf_ops;
	info.size = exp->nr_pages << PAGE_SHIFT;
	info.flags = flags;
	info.priv = exp;
	/* each dma-buf holds the module: it cannot go while one lives */
	info.owner = THIS_MODULE;
	return dma_buf_export(&info);
}
