// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * Channel layout: planning and formatting a region (creator), validating a
 * region handed over by a peer (receiver). Slow path, once per channel.
 */
#include "channel.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

static __u64 channel_align(__u64 v, __u64 a)
{
	return (v + a - 1) & ~(a - 1);
}

static int channel_pow2_in(__u32 v, __u32 lo, __u32 hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

int channel_plan(const struct channel_params *p, struct channel_layout *l)
{
	__u32 cq_entries = p->cq_entries ? p->cq_entries : p->sq_entries;
	__u64 off =
		channel_align(sizeof(struct teeq_region_hdr), TEEQ_CACHELINE);
	__u32 i;

	if (p->nr_qpairs < 1 || p->nr_qpairs > TEEQ_MAX_QPAIRS ||
	    !channel_pow2_in(p->sq_entries, TEEQ_RING_MIN_ENTRIES,
			     TEEQ_RING_MAX_ENTRIES) ||
	    !channel_pow2_in(cq_entries, p->sq_entries,
			     TEEQ_RING_MAX_ENTRIES) ||
	    (p->features & ~TEEQ_FEAT_ALL) || p->heap_size > (1ull << 40) ||
	    (p->heap_size & (TEEQ_PAGE_SIZE - 1)))
		return -EINVAL;

	memset(l, 0, sizeof(*l));
	l->features = p->features;
	l->nr_qpairs = p->nr_qpairs;
	for (i = 0; i < p->nr_qpairs; i++) {
		struct teeq_qpair_desc *qp = &l->qp[i];

		qp->sq_entries = p->sq_entries;
		qp->cq_entries = cq_entries;
		qp->sq_off = off;
		off += channel_align(ring_bytes(p->sq_entries,
						sizeof(struct teeq_sqe)),
				     TEEQ_CACHELINE);
		qp->cq_off = off;
		off += channel_align(ring_bytes(cq_entries,
						sizeof(struct teeq_cqe)),
				     TEEQ_CACHELINE);
	}
	l->heap_off = channel_align(off, TEEQ_PAGE_SIZE);
	l->heap_size = p->heap_size;
	l->region_size = l->heap_off + l->heap_size;
	return 0;
}

/* Write the region header and every ring header. Creator only. */
int channel_format(void *region, const struct channel_layout *l)
{
	struct teeq_region_hdr *hdr = region;
	unsigned char *base = region;
	__u32 i;
	int ret;

	memset(hdr, 0, sizeof(*hdr));
	hdr->magic = TEEQ_REGION_MAGIC;
	hdr->abi_version = TEEQ_ABI_VERSION;
	hdr->features = l->features;
	hdr->region_size = l->region_size;
	hdr->hdr_size = sizeof(*hdr);
	hdr->nr_qpairs = l->nr_qpairs;
	hdr->sqe_size = sizeof(struct teeq_sqe);
	hdr->cqe_size = sizeof(struct teeq_cqe);
	hdr->heap_off = l->heap_off;
	hdr->heap_size = l->heap_size;
	for (i = 0; i < l->nr_qpairs; i++) {
		const struct teeq_qpair_desc *qp = &l->qp[i];

		hdr->qp[i] = *qp;
		ret = ring_format(base + qp->sq_off,
				  l->region_size - qp->sq_off, qp->sq_entries,
				  sizeof(struct teeq_sqe), 0);
		if (ret)
			return ret;
		ret = ring_format(base + qp->cq_off,
				  l->region_size - qp->cq_off, qp->cq_entries,
				  sizeof(struct teeq_cqe), 0);
		if (ret)
			return ret;
	}
	return 0;
}

struct channel_span {
	__u64 off;
	__u64 len;
};

/* [off, off+len) lies in [0, size), 64-byte aligned, without overflow. */
static int channel_span_ok(const struct channel_span *s, __u64 size)
{
	return !(s->off & (TEEQ_CACHELINE - 1)) && s->off <= size &&
	       s->len <= size - s->off;
}

static int channel_spans_overlap(const struct channel_span *a,
				 const struct channel_span *b)
{
	return a->len && b->len && a->off < b->off + b->len &&
	       b->off < a->off + a->len;
}

#define CHANNEL_REFUSE(reason)   \
	do {                     \
		*why = (reason); \
		return -EPROTO;  \
	} while (0)

/*
 * Validate the region header of a region the peer created and mapped to us
 * with @mapped_size bytes. The header is copied once; only the copy is
 * checked and returned in @l. On failure *@why names the first problem.
 */
int channel_validate(const void *region, __u64 mapped_size,
		     __u64 known_features, struct channel_layout *l,
		     const char **why)
{
	struct channel_span spans[2 + 2 * TEEQ_MAX_QPAIRS];
	struct teeq_region_hdr hdr;
	__u32 i, j, nr_spans = 0;
	const char *ignored;

	if (!why)
		why = &ignored;
	if (mapped_size < sizeof(hdr))
		CHANNEL_REFUSE("region smaller than its header");
	memcpy(&hdr, region, sizeof(hdr));

	if (hdr.magic != TEEQ_REGION_MAGIC)
		CHANNEL_REFUSE("bad magic");
	if ((hdr.abi_version >> 16) != TEEQ_ABI_MAJOR)
		CHANNEL_REFUSE("unsupported ABI major version");
	if (hdr.features & ~known_features)
		CHANNEL_REFUSE("unknown feature bits");
	if (hdr.hdr_size != sizeof(hdr) ||
	    hdr.sqe_size != sizeof(struct teeq_sqe) ||
	    hdr.cqe_size != sizeof(struct teeq_cqe))
		CHANNEL_REFUSE("header or entry size mismatch");
	if (hdr.region_size != mapped_size)
		CHANNEL_REFUSE("region size differs from the mapping");
	if (hdr.nr_qpairs < 1 || hdr.nr_qpairs > TEEQ_MAX_QPAIRS)
		CHANNEL_REFUSE("bad queue pair count");
	if (hdr.reserved)
		CHANNEL_REFUSE("reserved header field set");

	spans[nr_spans++] = (struct channel_span){ 0, sizeof(hdr) };
	if ((hdr.heap_off & (TEEQ_PAGE_SIZE - 1)) ||
	    hdr.heap_off > mapped_size ||
	    hdr.heap_size > mapped_size - hdr.heap_off)
		CHANNEL_REFUSE("heap outside the region or misaligned");
	spans[nr_spans++] =
		(struct channel_span){ hdr.heap_off, hdr.heap_size };

	for (i = 0; i < hdr.nr_qpairs; i++) {
		const struct teeq_qpair_desc *qp = &hdr.qp[i];
		struct channel_span sq, cq;

		if (!channel_pow2_in(qp->sq_entries, TEEQ_RING_MIN_ENTRIES,
				     TEEQ_RING_MAX_ENTRIES) ||
		    !channel_pow2_in(qp->cq_entries, qp->sq_entries,
				     TEEQ_RING_MAX_ENTRIES) ||
		    qp->reserved)
			CHANNEL_REFUSE("bad ring geometry");
		sq = (struct channel_span){
			qp->sq_off,
			ring_bytes(qp->sq_entries, sizeof(struct teeq_sqe))
		};
		cq = (struct channel_span){
			qp->cq_off,
			ring_bytes(qp->cq_entries, sizeof(struct teeq_cqe))
		};
		if (!channel_span_ok(&sq, mapped_size) ||
		    !channel_span_ok(&cq, mapped_size))
			CHANNEL_REFUSE("ring outside the region or misaligned");
		spans[nr_spans++] = sq;
		spans[nr_spans++] = cq;
	}
	for (i = 0; i < nr_spans; i++)
		for (j = i + 1; j < nr_spans; j++)
			if (channel_spans_overlap(&spans[i], &spans[j]))
				CHANNEL_REFUSE("rings, header or heap overlap");

	memset(l, 0, sizeof(*l));
	l->region_size = hdr.region_size;
	l->features = hdr.features;
	l->nr_qpairs = hdr.nr_qpairs;
	l->heap_off = hdr.heap_off;
	l->heap_size = hdr.heap_size;
	memcpy(l->qp, hdr.qp, sizeof(l->qp[0]) * hdr.nr_qpairs);
	return 0;
}

int channel_attach_qpair(void *region, const struct channel_layout *l,
			 __u32 index, struct ring *sq, enum ring_role sq_role,
			 struct ring *cq, enum ring_role cq_role)
{
	const struct teeq_qpair_desc *qp;
	unsigned char *base = region;
	int ret;

	if (index >= l->nr_qpairs)
		return -EINVAL;
	qp = &l->qp[index];
	ret = ring_attach(sq, base + qp->sq_off, l->region_size - qp->sq_off,
			  qp->sq_entries, sizeof(struct teeq_sqe), sq_role);
	if (ret)
		return ret;
	return ring_attach(cq, base + qp->cq_off, l->region_size - qp->cq_off,
			   qp->cq_entries, sizeof(struct teeq_cqe), cq_role);
}
