// SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT
/*
 * The supplicant's region: header, request ring, reply ring, data windows
 * (uapi/teeq_rpc.h). The supplicant plans and formats it; the secure world
 * validates a private copy of the header and attaches from that copy.
 */
#include "rpc_region.h"

#ifdef __KERNEL__
#include <linux/errno.h>
#include <linux/string.h>
#else
#include <errno.h>
#include <string.h>
#endif

static __u64 rpc_region_align(__u64 v, __u64 a)
{
	return (v + a - 1) & ~(a - 1);
}

static int rpc_region_pow2_in(__u32 v, __u32 lo, __u32 hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

int rpc_region_plan(__u32 entries, __u32 window_size, __u64 features,
		    struct rpc_layout *l)
{
	__u64 off = rpc_region_align(sizeof(struct teeq_rpc_region_hdr),
				     TEEQ_CACHELINE);

	if (!rpc_region_pow2_in(entries, TEEQ_RPC_MIN_ENTRIES,
				TEEQ_RPC_MAX_ENTRIES) ||
	    !rpc_region_pow2_in(window_size, TEEQ_RPC_MIN_WINDOW,
				TEEQ_RPC_MAX_WINDOW) ||
	    (features & ~TEEQ_RPC_FEAT_ALL))
		return -EINVAL;
	memset(l, 0, sizeof(*l));
	l->features = features;
	l->entries = entries;
	l->window_size = window_size;
	l->req_off = off;
	off += rpc_region_align(ring_bytes(entries,
					   sizeof(struct teeq_rpc_req)),
				TEEQ_CACHELINE);
	l->rsp_off = off;
	off += ring_bytes(entries, sizeof(struct teeq_rpc_rsp));
	l->data_off = rpc_region_align(off, TEEQ_PAGE_SIZE);
	l->region_size = l->data_off + (__u64)entries * window_size;
	return 0;
}

/* Writes the region header and both ring headers. Creator only. */
int rpc_region_format(void *region, const struct rpc_layout *l)
{
	struct teeq_rpc_region_hdr *hdr = region;
	unsigned char *base = region;
	int ret;

	memset(hdr, 0, sizeof(*hdr));
	hdr->magic = TEEQ_RPC_REGION_MAGIC;
	hdr->abi_version = TEEQ_RPC_ABI_VERSION;
	hdr->features = l->features;
	hdr->region_size = l->region_size;
	hdr->hdr_size = sizeof(*hdr);
	hdr->entries = l->entries;
	hdr->req_size = sizeof(struct teeq_rpc_req);
	hdr->rsp_size = sizeof(struct teeq_rpc_rsp);
	hdr->window_size = l->window_size;
	hdr->req_off = l->req_off;
	hdr->rsp_off = l->rsp_off;
	hdr->data_off = l->data_off;
	ret = ring_format(base + l->req_off, l->region_size - l->req_off,
			  l->entries, sizeof(struct teeq_rpc_req), 0);
	if (ret)
		return ret;
	return ring_format(base + l->rsp_off, l->region_size - l->rsp_off,
			   l->entries, sizeof(struct teeq_rpc_rsp), 0);
}

#define RPC_REGION_REFUSE(reason) \
	do {                      \
		*why = (reason);  \
		return -EPROTO;   \
	} while (0)

/* [a, a + alen) and [b, b + blen) share a byte; both already inside a
 * region, so the sums cannot overflow. */
static int rpc_region_overlap(__u64 a, __u64 alen, __u64 b, __u64 blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Validates the header of a region the supplicant created and handed over
 * with @mapped_size bytes. The header is copied once; only the copy is
 * checked and returned in @l. On failure *@why names the first problem.
 */
int rpc_region_validate(const void *region, __u64 mapped_size,
			__u64 known_features, struct rpc_layout *l,
			const char **why)
{
	struct teeq_rpc_region_hdr hdr;
	__u64 req_len, rsp_len, data_len;
	const char *ignored;
	unsigned int i;

	if (!why)
		why = &ignored;
	if (mapped_size < sizeof(hdr))
		RPC_REGION_REFUSE("region smaller than its header");
	memcpy(&hdr, region, sizeof(hdr));

	if (hdr.magic != TEEQ_RPC_REGION_MAGIC)
		RPC_REGION_REFUSE("bad magic");
	if ((hdr.abi_version >> 16) != TEEQ_RPC_ABI_MAJOR)
		RPC_REGION_REFUSE("unsupported ABI major version");
	if (hdr.features & ~known_features)
		RPC_REGION_REFUSE("unknown feature bits");
	if (hdr.hdr_size != sizeof(hdr) ||
	    hdr.req_size != sizeof(struct teeq_rpc_req) ||
	    hdr.rsp_size != sizeof(struct teeq_rpc_rsp))
		RPC_REGION_REFUSE("header or entry size mismatch");
	if (hdr.region_size != mapped_size)
		RPC_REGION_REFUSE("region size differs from the mapping");
	if (hdr.reserved0)
		RPC_REGION_REFUSE("reserved header field set");
	for (i = 0; i < sizeof(hdr.reserved) / sizeof(hdr.reserved[0]); i++)
		if (hdr.reserved[i])
			RPC_REGION_REFUSE("reserved header field set");
	if (!rpc_region_pow2_in(hdr.entries, TEEQ_RPC_MIN_ENTRIES,
				TEEQ_RPC_MAX_ENTRIES) ||
	    !rpc_region_pow2_in(hdr.window_size, TEEQ_RPC_MIN_WINDOW,
				TEEQ_RPC_MAX_WINDOW))
		RPC_REGION_REFUSE("bad ring or window geometry");

	/* small enough by the checks above that nothing here overflows */
	req_len = ring_bytes(hdr.entries, sizeof(struct teeq_rpc_req));
	rsp_len = ring_bytes(hdr.entries, sizeof(struct teeq_rpc_rsp));
	data_len = (__u64)hdr.entries * hdr.window_size;
	if ((hdr.req_off | hdr.rsp_off) & (TEEQ_CACHELINE - 1) ||
	    hdr.data_off & (TEEQ_PAGE_SIZE - 1))
		RPC_REGION_REFUSE("ring or windows misaligned");
	if (hdr.req_off > mapped_size || req_len > mapped_size - hdr.req_off ||
	    hdr.rsp_off > mapped_size || rsp_len > mapped_size - hdr.rsp_off ||
	    hdr.data_off > mapped_size || data_len > mapped_size - hdr.data_off)
		RPC_REGION_REFUSE("ring or windows outside the region");
	if (rpc_region_overlap(0, sizeof(hdr), hdr.req_off, req_len) ||
	    rpc_region_overlap(0, sizeof(hdr), hdr.rsp_off, rsp_len) ||
	    rpc_region_overlap(0, sizeof(hdr), hdr.data_off, data_len) ||
	    rpc_region_overlap(hdr.req_off, req_len, hdr.rsp_off, rsp_len) ||
	    rpc_region_overlap(hdr.req_off, req_len, hdr.data_off, data_len) ||
	    rpc_region_overlap(hdr.rsp_off, rsp_len, hdr.data_off, data_len))
		RPC_REGION_REFUSE("rings, header or windows overlap");

	memset(l, 0, sizeof(*l));
	l->region_size = hdr.region_size;
	l->features = hdr.features;
	l->entries = hdr.entries;
	l->window_size = hdr.window_size;
	l->req_off = hdr.req_off;
	l->rsp_off = hdr.rsp_off;
	l->data_off = hdr.data_off;
	return 0;
}

int rpc_region_attach(void *region, const struct rpc_layout *l,
		      struct ring *req, enum ring_role req_role,
		      struct ring *rsp, enum ring_role rsp_role)
{
	unsigned char *base = region;
	int ret;

	ret = ring_attach(req, base + l->req_off, l->region_size - l->req_off,
			  l->entries, sizeof(struct teeq_rpc_req), req_role);
	if (ret)
		return ret;
	return ring_attach(rsp, base + l->rsp_off, l->region_size - l->rsp_off,
			   l->entries, sizeof(struct teeq_rpc_rsp), rsp_role);
}
