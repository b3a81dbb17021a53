// SPDX-License-Identifier: MIT
/*
 * Channel regions: a planned and formatted region validates and its rings
 * attach; every kind of bad header is refused with a reason; and random
 * corruption of the header is either refused or yields a layout whose every
 * ring and heap lies inside the region.
 */
#include "ring/channel.h"
#include "tests/check.h"

static struct channel_params params = {
	.nr_qpairs = 3,
	.sq_entries = 64,
	.cq_entries = 128,
	.heap_size = 1 << 20,
	.features = TEEQ_FEAT_NEED_WAKEUP | TEEQ_FEAT_CANCEL,
};

static void *region;
static struct channel_layout good;

static void refused(const char *what, void (*corrupt)(struct teeq_region_hdr *),
		    const char *expect)
{
	struct teeq_region_hdr *hdr = region;
	struct teeq_region_hdr saved = *hdr;
	struct channel_layout l;
	const char *why = NULL;
	int ret;

	corrupt(hdr);
	ret = channel_validate(region, good.region_size, TEEQ_FEAT_ALL, &l,
			       &why);
	if (ret != -EPROTO || !why || !strstr(why, expect)) {
		fprintf(stderr, "%s: ret %d, why '%s', expected '%s'\n", what,
			ret, why ? why : "(none)", expect);
		exit(T_FAIL);
	}
	*hdr = saved;
}

static void c_magic(struct teeq_region_hdr *h)
{
	h->magic ^= 1;
}
static void c_major(struct teeq_region_hdr *h)
{
	h->abi_version += 1u << 16;
}
static void c_feat(struct teeq_region_hdr *h)
{
	h->features |= 1ull << 40;
}
static void c_hdrsz(struct teeq_region_hdr *h)
{
	h->hdr_size = 64;
}
static void c_sqesz(struct teeq_region_hdr *h)
{
	h->sqe_size = 64;
}
static void c_size(struct teeq_region_hdr *h)
{
	h->region_size += 4096;
}
static void c_nq0(struct teeq_region_hdr *h)
{
	h->nr_qpairs = 0;
}
static void c_nq17(struct teeq_region_hdr *h)
{
	h->nr_qpairs = 17;
}
static void c_resv(struct teeq_region_hdr *h)
{
	h->reserved = 1;
}
static void c_heapal(struct teeq_region_hdr *h)
{
	h->heap_off += 64;
}
static void c_heapsz(struct teeq_region_hdr *h)
{
	h->heap_size += 4096;
}
static void c_heapwrap(struct teeq_region_hdr *h)
{
	h->heap_size = UINT64_MAX - h->heap_off + 4097;
}
static void c_npow2(struct teeq_region_hdr *h)
{
	h->qp[1].sq_entries = 48;
}
static void c_cqsmall(struct teeq_region_hdr *h)
{
	h->qp[0].cq_entries = 32;
}
static void c_toobig(struct teeq_region_hdr *h)
{
	h->qp[0].sq_entries = 65536;
}
static void c_misal(struct teeq_region_hdr *h)
{
	h->qp[2].cq_off += 8;
}
static void c_past(struct teeq_region_hdr *h)
{
	h->qp[2].cq_off = h->region_size - 64;
}
static void c_wrap(struct teeq_region_hdr *h)
{
	h->qp[1].sq_off = UINT64_MAX - 63;
}
static void c_ovl_hdr(struct teeq_region_hdr *h)
{
	h->qp[0].sq_off = 0;
}
static void c_ovl_ring(struct teeq_region_hdr *h)
{
	h->qp[1].cq_off = h->qp[1].sq_off + 64;
}
static void c_ovl_heap(struct teeq_region_hdr *h)
{
	h->qp[2].cq_off = h->heap_off + 4096;
}
static void c_qresv(struct teeq_region_hdr *h)
{
	h->qp[1].reserved = 7;
}

int main(void)
{
	static const struct {
		void (*fn)(struct teeq_region_hdr *);
		const char *expect;
	} cases[] = {
		{ c_magic, "magic" },	       { c_major, "ABI" },
		{ c_feat, "feature" },	       { c_hdrsz, "size mismatch" },
		{ c_sqesz, "size mismatch" },  { c_size, "differs" },
		{ c_nq0, "queue pair count" }, { c_nq17, "queue pair count" },
		{ c_resv, "reserved" },	       { c_heapal, "heap" },
		{ c_heapsz, "heap" },	       { c_heapwrap, "heap" },
		{ c_npow2, "geometry" },       { c_cqsmall, "geometry" },
		{ c_toobig, "geometry" },      { c_misal, "misaligned" },
		{ c_past, "outside" },	       { c_wrap, "outside" },
		{ c_ovl_hdr, "overlap" },      { c_ovl_ring, "overlap" },
		{ c_ovl_heap, "overlap" },     { c_qresv, "geometry" },
	};
	struct channel_layout l;
	struct ring sq, cq;
	const char *why;
	uint64_t rng = 7;
	unsigned int i, trial, accepted = 0;

	CHECK_EQ(channel_plan(&params, &good), 0);
	CHECK_EQ(good.heap_off % 4096, 0);
	CHECK_EQ(good.region_size, good.heap_off + params.heap_size);
	CHECK(posix_memalign(&region, 4096, good.region_size) == 0);
	memset(region, 0xee, good.region_size);
	CHECK_EQ(channel_format(region, &good), 0);

	/* the peer's view equals the creator's */
	CHECK_EQ(channel_validate(region, good.region_size, TEEQ_FEAT_ALL, &l,
				  &why),
		 0);
	CHECK_MEM(&l, &good, sizeof(l));
	for (i = 0; i < l.nr_qpairs; i++) {
		CHECK_EQ(channel_attach_qpair(region, &l, i, &sq, RING_CONSUMER,
					      &cq, RING_PRODUCER),
			 0);
		CHECK_EQ(sq.entries, 64);
		CHECK_EQ(cq.entries, 128);
		CHECK_EQ(ring_cons_avail(&sq, 1), 0);
		CHECK_EQ(ring_prod_space(&cq, 1), 128);
	}
	CHECK_EQ(channel_attach_qpair(region, &l, 3, &sq, RING_CONSUMER, &cq,
				      RING_PRODUCER),
		 -EINVAL);
	/* a peer that knows fewer features refuses ours */
	CHECK_EQ(channel_validate(region, good.region_size,
				  TEEQ_FEAT_NEED_WAKEUP, &l, &why),
		 -EPROTO);
	/* mapped size must agree */
	CHECK_EQ(channel_validate(region, good.region_size - 4096,
				  TEEQ_FEAT_ALL, &l, &why),
		 -EPROTO);
	CHECK_EQ(channel_validate(region, 16, TEEQ_FEAT_ALL, &l, &why),
		 -EPROTO);

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		refused(cases[i].expect, cases[i].fn, cases[i].expect);

	/* ring header line 2 disagreeing with the region header */
	((struct teeq_ring_hdr *)((char *)region + good.qp[0].sq_off))->entries =
		32;
	CHECK_EQ(channel_attach_qpair(region, &good, 0, &sq, RING_CONSUMER, &cq,
				      RING_PRODUCER),
		 -EPROTO);
	CHECK_EQ(channel_format(region, &good), 0);

	/* random corruption: refused, or a layout that stays inside */
	for (trial = 0; trial < 200000; trial++) {
		struct teeq_region_hdr *h = region, saved = *h;
		unsigned char *b = region;
		int flips = 1 + (int)(test_rand(&rng) % 4), k;

		for (k = 0; k < flips; k++) {
			uint64_t r = test_rand(&rng);

			b[r % sizeof(*h)] ^=
				(unsigned char)(1u << (r >> 32) % 8);
		}
		if (channel_validate(region, good.region_size, TEEQ_FEAT_ALL,
				     &l, &why) == 0) {
			accepted++;
			CHECK(l.heap_off + l.heap_size <= l.region_size);
			for (i = 0; i < l.nr_qpairs; i++) {
				CHECK(l.qp[i].sq_off +
					      ring_bytes(l.qp[i].sq_entries,
							 128) <=
				      l.region_size);
				CHECK(l.qp[i].cq_off +
					      ring_bytes(l.qp[i].cq_entries,
							 64) <=
				      l.region_size);
			}
		}
		*h = saved;
	}
	fprintf(stderr, "random corruption: %u of 200000 still valid\n",
		accepted);
	free(region);
	return T_PASS;
}
