// SPDX-License-Identifier: MIT
/*
 * fuzz_region: channel validation and the rings of a validated channel.
 *
 * Input:
 *   [0, 576)     struct teeq_region_hdr as a peer wrote it (zero padded)
 *   then         one 16-byte ring record per ring of an accepted region
 *                (sq0, cq0, sq1, ...): what the peer left in that ring's
 *                header and slots
 *   then         a script of ring operations, both sides of every ring
 *                plus a hostile peer rewriting indices, flags and stamps
 *
 * The mapped size is the header's own region_size when it is at most
 * FZ_CAP (1 MiB), else a different size (so the region is refused). The
 * region lies at the start of a buffer whose bytes past the mapped size
 * are poisoned: any access past the mapping is an ASan report.
 *
 * Ring record: u32 head, u32 tail, u32 flags, u8 geom, u8 stamps,
 * u16 skew. geom bits: 0 entries doubled, 1 mask wrong, 2 entry_size
 * doubled, 3 tail = head + tail % (entries + 1). stamps % 6: 0 none
 * filled, 1 [head, tail) filled, 2 skew slots from head filled, 3 garbage,
 * 4 every slot filled, 5 as 1 with one slot wrong.
 *
 * Script: an op byte (bits 0-2 action, 3-7 ring handle: sq consumer, sq
 * producer, cq consumer, cq producer of each queue pair) and an arg byte;
 * peer writes take a 32-bit value after them. Actions: 0 consumer avail
 * and read / producer space and fill, 1 release / commit, 2 prepare sleep
 * / in-flight, 3 head :=, 4 tail :=, 5 flags :=, 6 stamp of slot
 * local + arg :=, 7 geometry words :=.
 *
 * Invariants: channel_validate() refuses with a reason, or accepts only a
 * layout that lies inside the mapping with the header, heap and every
 * ring aligned and disjoint, copied faithfully; channel_plan() +
 * channel_format() regions always validate to the planned layout;
 * ring_attach() succeeds exactly on a consistent ring header and its
 * slots lie inside the mapping; ring calls never return more than a ring
 * holds and return 0 once broken; on a ring nobody tampered with, both
 * sides agree exactly (what the consumer sees is what was committed, the
 * producer's space is what was released) and it never breaks.
 *
 * TEEQ_FUZZ_WRITE_SEEDS=dir writes the seed corpus to dir and exits;
 * TEEQ_FUZZ_VERBOSE=1 prints what validation, attach and each op did.
 */
#define FZ_NAME "fuzz_region"
#include "tests/fuzz/targets/fuzz.h"
#include "ring/channel.h"

#include <errno.h>
#include <sanitizer/asan_interface.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_CAP (1u << 20)
#define FZ_HDR sizeof(struct teeq_region_hdr)
#define FZ_REC 16u
#define FZ_RINGS (2 * TEEQ_MAX_QPAIRS)
#define FZ_READ_MAX 16u

static unsigned char fz_mem[FZ_CAP] __attribute__((aligned(4096)));

struct fz_ring_rec {
	uint32_t head, tail, flags;
	uint8_t geom, stamps;
	uint16_t skew;
};

/* Both sides of one ring of an accepted region. */
struct fz_ring {
	struct teeq_ring_hdr *hdr;
	uint32_t entries, entry_size;
	int attached;
	int clean; /* consistent at attach and never tampered with */
	struct ring cons, prod;
	uint32_t filled; /* producer: slots filled, not yet committed */
};

static struct fz_ring fz_rings[FZ_RINGS];
static int fz_verbose;

static const unsigned char *fz_in;
static size_t fz_len, fz_pos;

static uint32_t fz_take(size_t n)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < n; i++, fz_pos++)
		if (fz_pos < fz_len)
			v |= (uint32_t)fz_in[fz_pos] << (8 * i);
	return v;
}

static int fz_pow2_in(uint32_t v, uint32_t lo, uint32_t hi)
{
	return v >= lo && v <= hi && !(v & (v - 1));
}

/* ---- the layout ---------------------------------------------------------- */

struct fz_span {
	uint64_t off, len;
};

static void fz_check_span(const char *what, uint32_t i, uint64_t off,
			  uint64_t len, uint64_t align, uint64_t size)
{
	FZ_ASSERT(!(off & (align - 1)) && off <= size && len <= size - off,
		  "%s %u [%#llx +%#llx) outside a %#llx mapping or misaligned",
		  what, i, (unsigned long long)off, (unsigned long long)len,
		  (unsigned long long)size);
}

static void fz_check_layout(const struct channel_layout *l,
			    const struct teeq_region_hdr *hdr, uint64_t mapped)
{
	struct fz_span s[2 + 2 * TEEQ_MAX_QPAIRS];
	uint32_t i, j, n = 0;

	FZ_ASSERT(l->region_size == mapped &&
			  l->region_size == hdr->region_size,
		  "layout size");
	FZ_ASSERT(l->nr_qpairs >= 1 && l->nr_qpairs <= TEEQ_MAX_QPAIRS &&
			  l->nr_qpairs == hdr->nr_qpairs,
		  "layout nr_qpairs %u", l->nr_qpairs);
	FZ_ASSERT(l->features == hdr->features &&
			  !(l->features & ~TEEQ_FEAT_ALL),
		  "layout features");
	FZ_ASSERT(l->heap_off == hdr->heap_off &&
			  l->heap_size == hdr->heap_size,
		  "layout heap");
	fz_check_span("heap", 0, l->heap_off, l->heap_size, TEEQ_PAGE_SIZE,
		      mapped);
	s[n++] = (struct fz_span){ 0, FZ_HDR };
	s[n++] = (struct fz_span){ l->heap_off, l->heap_size };
	for (i = 0; i < l->nr_qpairs; i++) {
		const struct teeq_qpair_desc *qp = &l->qp[i];

		FZ_ASSERT(!memcmp(qp, &hdr->qp[i], sizeof(*qp)),
			  "queue pair %u not copied", i);
		FZ_ASSERT(fz_pow2_in(qp->sq_entries, TEEQ_RING_MIN_ENTRIES,
				     TEEQ_RING_MAX_ENTRIES) &&
				  fz_pow2_in(qp->cq_entries, qp->sq_entries,
					     TEEQ_RING_MAX_ENTRIES) &&
				  !qp->reserved,
			  "queue pair %u geometry", i);
		s[n] = (struct fz_span){ qp->sq_off,
					 ring_bytes(qp->sq_entries,
						    sizeof(struct teeq_sqe)) };
		fz_check_span("sq", i, s[n].off, s[n].len, TEEQ_CACHELINE,
			      mapped);
		n++;
		s[n] = (struct fz_span){ qp->cq_off,
					 ring_bytes(qp->cq_entries,
						    sizeof(struct teeq_cqe)) };
		fz_check_span("cq", i, s[n].off, s[n].len, TEEQ_CACHELINE,
			      mapped);
		n++;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			FZ_ASSERT(!s[i].len || !s[j].len ||
					  s[i].off >= s[j].off + s[j].len ||
					  s[j].off >= s[i].off + s[i].len,
				  "spans %u and %u overlap", i, j);
}

/* channel_plan() + channel_format() must give a region that validates to
 * exactly the plan. The parameters come from the input's header. */
static void fz_round_trip(const struct teeq_region_hdr *in)
{
	struct channel_params p = {
		.nr_qpairs = in->nr_qpairs,
		.sq_entries = in->qp[0].sq_entries,
		.cq_entries = in->qp[0].cq_entries,
		.heap_size = in->heap_size,
		.features = in->features,
	};
	struct channel_layout plan, got;
	const char *why = NULL;

	if (channel_plan(&p, &plan) || plan.region_size > FZ_CAP)
		return;
	memset(fz_mem, 0, plan.region_size);
	FZ_ASSERT(!channel_format(fz_mem, &plan), "format of a plan failed");
	FZ_ASSERT(!channel_validate(fz_mem, plan.region_size, TEEQ_FEAT_ALL,
				    &got, &why),
		  "a formatted region is refused: %s", why);
	FZ_ASSERT(!memcmp(&got, &plan, sizeof(got)),
		  "validated layout differs from the plan");
}

/* ---- rings --------------------------------------------------------------- */

/* The index whose slot is @j, at or after @head. */
static uint32_t fz_index_of(uint32_t head, uint32_t j, uint32_t mask)
{
	return head + ((j - head) & mask);
}

/* Writes what the peer left in ring @r: header words and stamps. */
static void fz_ring_prepare(struct fz_ring *r, const struct fz_ring_rec *rec)
{
	struct teeq_ring_hdr *h = r->hdr;
	unsigned char *slots = (unsigned char *)(h + 1);
	uint32_t n = r->entries, mask = n - 1, head = rec->head, tail;
	uint32_t j, idx, stamp, filled;

	tail = rec->geom & 8 ? head + rec->tail % (n + 1) : rec->tail;
	memset(h, 0, sizeof(*h));
	h->head = head;
	h->tail = tail;
	h->flags = rec->flags;
	h->entries = rec->geom & 1 ? n * 2 : n;
	h->mask = rec->geom & 2 ? mask ^ 1 : mask;
	h->entry_size = rec->geom & 4 ? r->entry_size * 2 : r->entry_size;
	filled = (uint32_t)rec->skew % (n + 1);
	for (j = 0; j < n; j++) {
		idx = fz_index_of(head, j, mask);
		switch (rec->stamps % 6) {
		case 1:
		case 5:
			stamp = idx - head < tail - head ? idx + 1 :
							   idx + 1 - n;
			if (rec->stamps % 6 == 5 && j == (rec->skew & mask))
				stamp ^= 0x80000000u;
			break;
		case 2:
			stamp = idx - head < filled ? idx + 1 : idx + 1 - n;
			break;
		case 3:
			stamp = rec->skew * j + tail;
			break;
		case 4:
			stamp = idx + 1;
			break;
		default:
			stamp = idx + 1 - n;
			break;
		}
		memcpy(slots + (size_t)j * r->entry_size, &stamp,
		       sizeof(stamp));
	}
	r->clean = !(rec->geom & 7) && !rec->flags &&
		   ((rec->stamps % 6 == 1 && tail - head <= n) ||
		    (rec->stamps % 6 == 0 && tail == head));
}

static void fz_check_attached(const struct ring *x, const struct fz_ring *r,
			      uint64_t mapped)
{
	const unsigned char *lo = (const unsigned char *)x->hdr;
	const unsigned char *end =
		x->slots + ((size_t)x->entries << x->entry_shift);

	FZ_ASSERT(x->entries == r->entries && x->mask == r->entries - 1 &&
			  (1u << x->entry_shift) == r->entry_size,
		  "attached geometry differs from the validated one");
	FZ_ASSERT(lo >= fz_mem && end <= fz_mem + mapped,
		  "attached ring outside the mapping");
}

static void fz_check_ring(struct fz_ring *r, const char *what)
{
	uint32_t n = r->entries;

	FZ_ASSERT(r->cons.cached - r->cons.local <= n,
		  "%s: consumer knows %u filled of %u", what,
		  r->cons.cached - r->cons.local, n);
	FZ_ASSERT(ring_prod_in_flight(&r->prod) <= n,
		  "%s: producer has %u in flight of %u", what,
		  ring_prod_in_flight(&r->prod), n);
	if (!r->clean)
		return;
	FZ_ASSERT(!ring_broken(&r->cons) && !ring_broken(&r->prod),
		  "%s: a ring nobody tampered with broke", what);
	FZ_ASSERT(r->prod.local - r->cons.local <= n,
		  "%s: producer %u and consumer %u more than a ring apart",
		  what, r->prod.local, r->cons.local);
}

static void fz_cons_avail(struct fz_ring *r, uint32_t arg)
{
	unsigned char buf[TEEQ_PAGE_SIZE];
	uint32_t want = arg == 0xff ? r->entries : arg, n, i;

	n = ring_cons_avail(&r->cons, want);
	FZ_ASSERT(n <= r->entries, "consumer avail %u > %u", n, r->entries);
	FZ_ASSERT(!ring_broken(&r->cons) || !n, "broken ring gave %u", n);
	if (r->clean && want >= r->entries)
		FZ_ASSERT(n == r->prod.local - r->cons.local,
			  "consumer sees %u, producer committed %u", n,
			  r->prod.local - r->cons.local);
	for (i = 0; i < n; i++) {
		if (i >= FZ_READ_MAX && i != n - 1)
			continue;
		memcpy(buf, ring_cons_slot(&r->cons, i), r->entry_size);
	}
}

static void fz_cons_release(struct fz_ring *r, uint32_t arg)
{
	uint32_t known = r->cons.cached - r->cons.local;

	if (ring_broken(&r->cons))
		return;
	ring_cons_release(&r->cons, arg < known ? arg : known);
}

static void fz_cons_sleep(struct fz_ring *r, uint32_t arg)
{
	uint32_t n = ring_cons_prepare_sleep(&r->cons);

	FZ_ASSERT(n <= r->entries, "prepare_sleep gave %u", n);
	if (r->clean) {
		FZ_ASSERT(!n == (r->prod.local == r->cons.local),
			  "prepare_sleep %u with %u committed", n,
			  r->prod.local - r->cons.local);
		if (!n)
			FZ_ASSERT(r->cons.sleep_tail == r->prod.local,
				  "sleeping on tail %u, producer at %u",
				  r->cons.sleep_tail, r->prod.local);
	}
	if (!n && !ring_broken(&r->cons)) {
		FZ_ASSERT(r->cons.sleep_tail - r->cons.local <= r->entries ||
				  r->cons.local - r->cons.sleep_tail <=
					  r->entries,
			  "sleep tail more than a ring away");
		if (arg & 1)
			ring_cons_end_sleep(&r->cons);
	}
}

static void fz_prod_space(struct fz_ring *r, uint32_t arg)
{
	uint32_t want = arg == 0xff ? r->entries : arg, n, i;

	n = ring_prod_space(&r->prod, want);
	FZ_ASSERT(n <= r->entries, "producer space %u > %u", n, r->entries);
	FZ_ASSERT(!ring_broken(&r->prod) || !n, "broken ring gave %u", n);
	if (r->clean && want >= r->entries)
		FZ_ASSERT(n == r->entries - (r->prod.local - r->cons.local),
			  "producer space %u, consumer released up to %u", n,
			  r->cons.local);
	for (i = 0; i < n; i++) {
		if (i >= FZ_READ_MAX && i != n - 1)
			continue;
		memset((unsigned char *)ring_prod_slot(&r->prod, i) +
			       RING_STAMP_SIZE,
		       0xa5, r->entry_size - RING_STAMP_SIZE);
	}
	r->filled = n;
}

static void fz_prod_commit(struct fz_ring *r, uint32_t arg)
{
	uint32_t n = arg < r->filled ? arg : r->filled;

	if (ring_broken(&r->prod))
		return;
	ring_prod_commit(&r->prod, n);
	r->filled -= n;
}

static void fz_script(uint32_t nr_rings)
{
	while (fz_pos < fz_len) {
		uint32_t op = fz_take(1), arg = fz_take(1);
		uint32_t k = (op >> 3) % (nr_rings * 2), v;
		struct fz_ring *r = &fz_rings[k / 2];
		int cons = !(k & 1);
		const char *what = cons ? "consumer" : "producer";

		if (!r->attached)
			continue;
		switch (op & 7) {
		case 0:
			if (cons)
				fz_cons_avail(r, arg);
			else
				fz_prod_space(r, arg);
			break;
		case 1:
			if (cons)
				fz_cons_release(r, arg);
			else
				fz_prod_commit(r, arg);
			break;
		case 2:
			if (cons)
				fz_cons_sleep(r, arg);
			break;
		case 3:
			r->hdr->head = fz_take(4);
			r->clean = 0;
			break;
		case 4:
			r->hdr->tail = fz_take(4);
			r->clean = 0;
			break;
		case 5:
			r->hdr->flags = fz_take(4);
			r->clean = 0;
			break;
		case 6:
			v = fz_take(4);
			*ring_stamp_at(cons ? &r->cons : &r->prod,
				       (cons ? r->cons.local : r->prod.local) +
					       arg) = v;
			r->clean = 0;
			break;
		case 7:
			/* the validated copies are what count */
			v = fz_take(4);
			r->hdr->entries = v;
			r->hdr->mask = v >> 1;
			r->hdr->entry_size = v << 1;
			break;
		}
		if (fz_verbose)
			fprintf(stderr,
				"op %u on %s %u: cons %u/%u prod %u/%u broken "
				"%d/%d clean %d\n",
				op & 7, what, k / 2, r->cons.local,
				r->cons.cached, r->prod.local, r->prod.cached,
				r->cons.broken, r->prod.broken, r->clean);
		fz_check_ring(r, what);
	}
}

/* ---- libFuzzer ----------------------------------------------------------- */

static void fz_write_seeds(const char *dir);

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	const char *seeds = getenv("TEEQ_FUZZ_WRITE_SEEDS");

	(void)argc;
	(void)argv;
	fz_verbose = getenv("TEEQ_FUZZ_VERBOSE") != NULL;
	if (seeds && *seeds) {
		fz_write_seeds(seeds);
		exit(0);
	}
	return 0;
}

static int fz_attach_expected(const struct fz_ring *r,
			      const struct fz_ring_rec *rec)
{
	uint32_t tail = rec->geom & 8 ?
				rec->head + rec->tail % (r->entries + 1) :
				rec->tail;

	return !(rec->geom & 7) && tail - rec->head <= r->entries;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct fz_ring_rec recs[FZ_RINGS];
	struct teeq_region_hdr hdr;
	struct channel_layout l;
	struct ring sq_c, cq_p;
	const char *why = NULL;
	uint64_t mapped;
	uint32_t i;
	int ret;

	memset(&hdr, 0, sizeof(hdr));
	memcpy(&hdr, data, size < FZ_HDR ? size : FZ_HDR);
	fz_in = data;
	fz_len = size;
	fz_pos = FZ_HDR;
	mapped = hdr.region_size <= FZ_CAP ?
			 hdr.region_size :
			 (hdr.region_size & (FZ_CAP - 1)) | 1;

	ASAN_UNPOISON_MEMORY_REGION(fz_mem, sizeof(fz_mem));
	fz_round_trip(&hdr);
	memset(fz_mem, 0, mapped);
	memcpy(fz_mem, &hdr, mapped < FZ_HDR ? mapped : FZ_HDR);
	ASAN_POISON_MEMORY_REGION(fz_mem + mapped, sizeof(fz_mem) - mapped);

	ret = channel_validate(fz_mem, mapped, TEEQ_FEAT_ALL, &l, &why);
	if (fz_verbose)
		fprintf(stderr, "region of %#llx bytes: %s\n",
			(unsigned long long)mapped, ret ? why : "accepted");
	if (ret) {
		FZ_ASSERT(ret == -EPROTO && why, "refused without a reason");
		return 0;
	}
	FZ_ASSERT(mapped >= FZ_HDR, "a region smaller than its header");
	fz_check_layout(&l, &hdr, mapped);
	FZ_ASSERT(channel_attach_qpair(fz_mem, &l, l.nr_qpairs, &sq_c,
				       RING_CONSUMER, &cq_p,
				       RING_PRODUCER) == -EINVAL,
		  "attached a queue pair past the last");

	/* what the peer left in the rings, then both sides attach */
	for (i = 0; i < 2 * l.nr_qpairs; i++) {
		struct fz_ring *r = &fz_rings[i];
		const struct teeq_qpair_desc *qp = &l.qp[i / 2];
		int sq = !(i & 1);

		memset(r, 0, sizeof(*r));
		r->hdr = (struct teeq_ring_hdr *)(fz_mem + (sq ? qp->sq_off :
								 qp->cq_off));
		r->entries = sq ? qp->sq_entries : qp->cq_entries;
		r->entry_size = sq ? sizeof(struct teeq_sqe) :
				     sizeof(struct teeq_cqe);
		recs[i].head = fz_take(4);
		recs[i].tail = fz_take(4);
		recs[i].flags = fz_take(4);
		recs[i].geom = (uint8_t)fz_take(1);
		recs[i].stamps = (uint8_t)fz_take(1);
		recs[i].skew = (uint16_t)fz_take(2);
		fz_ring_prepare(r, &recs[i]);
	}
	for (i = 0; i < l.nr_qpairs; i++) {
		struct fz_ring *sq = &fz_rings[2 * i],
			       *cq = &fz_rings[2 * i + 1];
		int want = fz_attach_expected(sq, &recs[2 * i]) &&
			   fz_attach_expected(cq, &recs[2 * i + 1]);

		/* the secure world's side, then the client's */
		ret = channel_attach_qpair(fz_mem, &l, i, &sq->cons,
					   RING_CONSUMER, &cq->prod,
					   RING_PRODUCER);
		if (fz_verbose)
			fprintf(stderr, "queue pair %u: attach %d\n", i, ret);
		FZ_ASSERT((ret == 0) == want, "attach of queue pair %u: %d", i,
			  ret);
		if (ret)
			continue;
		ret = channel_attach_qpair(fz_mem, &l, i, &sq->prod,
					   RING_PRODUCER, &cq->cons,
					   RING_CONSUMER);
		FZ_ASSERT(!ret, "second attach of queue pair %u: %d", i, ret);
		fz_check_attached(&sq->cons, sq, mapped);
		fz_check_attached(&sq->prod, sq, mapped);
		fz_check_attached(&cq->cons, cq, mapped);
		fz_check_attached(&cq->prod, cq, mapped);
		sq->attached = cq->attached = 1;
		fz_check_ring(sq, "sq");
		fz_check_ring(cq, "cq");
	}
	fz_script(2 * l.nr_qpairs);
	return 0;
}

/* ---- seeds --------------------------------------------------------------- */

struct fz_seed {
	unsigned char buf[FZ_HDR + FZ_RINGS * FZ_REC + 256];
	size_t len;
};

static void fz_put(struct fz_seed *s, uint32_t v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		s->buf[s->len++] = (unsigned char)(v >> (8 * i));
}

/* A region as channel_plan() + channel_format() make it. */
static void fz_seed_region(struct fz_seed *s, uint32_t nr, uint32_t sq,
			   uint32_t cq, uint64_t heap, uint64_t features)
{
	struct channel_params p = { nr, sq, cq, heap, features };
	struct channel_layout l;

	memset(s, 0, sizeof(*s));
	if (channel_plan(&p, &l) || l.region_size > FZ_CAP) {
		fprintf(stderr, "bad seed plan\n");
		exit(1);
	}
	memset(fz_mem, 0, l.region_size);
	channel_format(fz_mem, &l);
	memcpy(s->buf, fz_mem, FZ_HDR);
	s->len = FZ_HDR;
}

static void fz_seed_rec(struct fz_seed *s, uint32_t head, uint32_t tail,
			uint32_t flags, uint8_t geom, uint8_t stamps,
			uint16_t skew)
{
	fz_put(s, head, 4);
	fz_put(s, tail, 4);
	fz_put(s, flags, 4);
	fz_put(s, geom, 1);
	fz_put(s, stamps, 1);
	fz_put(s, skew, 2);
}

/* script op on handle @h (2 * ring + 0 consumer / 1 producer) */
static void fz_seed_op(struct fz_seed *s, uint32_t h, uint32_t act,
		       uint32_t arg)
{
	fz_put(s, h << 3 | act, 1);
	fz_put(s, arg, 1);
}

static void fz_seed_write(const char *dir, const char *name,
			  const struct fz_seed *s)
{
	fz_write_file(dir, name, s->buf, s->len);
}

static struct teeq_region_hdr *fz_seed_hdr(struct fz_seed *s)
{
	return (struct teeq_region_hdr *)(void *)s->buf;
}

/* A producer/consumer exchange on ring @ring: fill, commit, consume. */
static void fz_seed_traffic(struct fz_seed *s, uint32_t ring, uint32_t n)
{
	fz_seed_op(s, 2 * ring + 1, 0, 0xff);
	fz_seed_op(s, 2 * ring + 1, 1, n);
	fz_seed_op(s, 2 * ring, 0, 0xff);
	fz_seed_op(s, 2 * ring, 1, n);
	fz_seed_op(s, 2 * ring, 2, 1);
	fz_seed_op(s, 2 * ring + 1, 0, 0xff);
}

static void fz_write_seeds(const char *dir)
{
	static const uint32_t geo[][4] = {
		{ 1, 2, 0, 0 },	      { 1, 8, 8, 4096 },     { 2, 16, 32, 0 },
		{ 3, 64, 64, 65536 }, { 1, 256, 512, 8192 },
	};
	struct fz_seed s;
	uint32_t i, r;
	char name[64];

	for (i = 0; i < sizeof(geo) / sizeof(geo[0]); i++) {
		fz_seed_region(&s, geo[i][0], geo[i][1], geo[i][2], geo[i][3],
			       i & 1 ? TEEQ_FEAT_ALL : TEEQ_FEAT_NEED_WAKEUP);
		for (r = 0; r < 2 * geo[i][0]; r++)
			fz_seed_rec(&s, 0, 0, 0, 0, 0, 0);
		for (r = 0; r < 2 * geo[i][0]; r++)
			fz_seed_traffic(&s, r, 1 + r);
		snprintf(name, sizeof(name), "valid-%uqp-%u-%u", geo[i][0],
			 geo[i][1], geo[i][2]);
		fz_seed_write(dir, name, &s);
	}

	/* rings left mid-flight, across the 32-bit wrap */
	fz_seed_region(&s, 2, 8, 16, 4096, TEEQ_FEAT_ALL);
	fz_seed_rec(&s, 0xfffffffcu, 3, 0, 8, 1, 0);
	fz_seed_rec(&s, 100, 5, 0, 8, 1, 0);
	fz_seed_rec(&s, 7, 7, 0, 0, 0, 0);
	fz_seed_rec(&s, 0xfffffff0u, 16, 0, 8, 1, 0);
	for (r = 0; r < 4; r++)
		fz_seed_traffic(&s, r, 3);
	fz_seed_write(dir, "inflight-wrap", &s);

	/* hostile peers */
	fz_seed_region(&s, 1, 8, 8, 0, 0);
	fz_seed_rec(&s, 0, 9, 0, 0, 1, 0); /* tail beyond a ring */
	fz_seed_rec(&s, 0, 0, 0, 1, 0, 0); /* wrong entries */
	fz_seed_write(dir, "attach-refused", &s);

	fz_seed_region(&s, 1, 8, 8, 0, 0);
	fz_seed_rec(&s, 0, 0, 0, 0, 3, 77); /* garbage stamps */
	fz_seed_rec(&s, 0, 4, 2, 8, 4, 0); /* unknown flag, all stamped */
	fz_seed_op(&s, 0, 0, 0xff);
	fz_seed_op(&s, 0, 2, 0);
	fz_seed_op(&s, 3, 0, 0xff);
	fz_seed_op(&s, 3, 1, 4);
	fz_seed_op(&s, 2, 0, 0xff);
	fz_seed_op(&s, 2, 2, 1);
	fz_seed_write(dir, "hostile-stamps-flags", &s);

	fz_seed_region(&s, 1, 4, 4, 4096, 0);
	fz_seed_rec(&s, 0, 0, 0, 0, 0, 0);
	fz_seed_rec(&s, 0, 0, 0, 0, 0, 0);
	fz_seed_op(&s, 1, 0, 0xff);
	fz_seed_op(&s, 1, 1, 2);
	fz_seed_op(&s, 0, 3, 0); /* head := 100: beyond the tail */
	fz_put(&s, 100, 4);
	fz_seed_op(&s, 1, 0, 0xff);
	fz_seed_op(&s, 0, 4, 0); /* tail := 1000 */
	fz_put(&s, 1000, 4);
	fz_seed_op(&s, 0, 2, 0);
	fz_seed_op(&s, 0, 6, 0); /* next stamp := 1 */
	fz_put(&s, 3, 4);
	fz_seed_op(&s, 0, 0, 0xff);
	fz_seed_op(&s, 1, 7, 0);
	fz_put(&s, 0xffff, 4);
	fz_seed_op(&s, 3, 5, 0);
	fz_put(&s, 1, 4);
	fz_seed_op(&s, 3, 0, 0xff);
	fz_seed_op(&s, 3, 1, 1);
	fz_seed_write(dir, "hostile-indices", &s);

	/* refused headers */
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->magic ^= 1;
	fz_seed_write(dir, "bad-magic", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->abi_version = 2u << 16;
	fz_seed_write(dir, "bad-abi", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->features = 1ull << 40;
	fz_seed_write(dir, "bad-features", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->cqe_size = 128;
	fz_seed_write(dir, "bad-entry-size", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->region_size += 64;
	fz_seed_rec(&s, 0, 0, 0, 0, 0, 0);
	fz_seed_rec(&s, 0, 0, 0, 0, 0, 0);
	fz_seed_traffic(&s, 0, 2);
	fz_seed_write(dir, "slack-at-end", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->region_size += FZ_CAP;
	fz_seed_write(dir, "bad-size", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->nr_qpairs = 17;
	fz_seed_write(dir, "bad-nr-qpairs", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->reserved = 1;
	fz_seed_write(dir, "bad-reserved", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->heap_off += 64;
	fz_seed_write(dir, "bad-heap-align", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->heap_size = ~0ull - 4095;
	fz_seed_write(dir, "bad-heap-size", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->qp[0].cq_entries = 4;
	fz_seed_write(dir, "bad-cq-smaller", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->qp[0].sq_off = 8;
	fz_seed_write(dir, "bad-ring-align", &s);
	fz_seed_region(&s, 2, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->qp[1].sq_off = fz_seed_hdr(&s)->qp[0].cq_off;
	fz_seed_write(dir, "bad-overlap", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->qp[0].cq_off = fz_seed_hdr(&s)->heap_off;
	fz_seed_write(dir, "bad-ring-in-heap", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->qp[0].sq_off = 0;
	fz_seed_write(dir, "bad-ring-on-header", &s);
	fz_seed_region(&s, 1, 8, 8, 0, 0);
	fz_seed_hdr(&s)->qp[0].cq_off = fz_seed_hdr(&s)->region_size - 64;
	fz_seed_write(dir, "bad-ring-past-end", &s);
	fz_seed_region(&s, 1, 8, 8, 4096, 0);
	fz_seed_hdr(&s)->region_size = 100;
	fz_seed_write(dir, "bad-tiny", &s);
}
