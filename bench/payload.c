// SPDX-License-Identifier: MIT
/*
 * Payload throughput: SHA-256 (digest TA) and AES-128-CTR (cipher TA) over
 * 4 KiB to 16 MiB, in GB/s of input (10^9 bytes a second):
 *
 *   pool    zero-copy: windows of TEEC_AllocateSharedMemory
 *   fd      zero-copy: windows of a memfd registered with
 *           TEEC_RegisterSharedMemoryFileDescriptor
 *   tmpref  copied: temporary memrefs, bounced through the heap
 *   inproc  the ceiling: the same OpenSSL calls the TA makes, in this
 *           process, with no TEE at all
 *   copy_floor
 *           the floor of any copied call: the bytes copied into shared
 *           memory (as libteeq copies them), the same AES-CTR by a
 *           process on the secure world's CPU, the result copied back,
 *           the two sides handing over by spinning on one word each
 *
 * Each run first checks one TEE result against the in-process one, so a
 * figure is never the speed of doing nothing.
 */
#include "bench/bench.h"
#include "bench/calls.h"
#include "bench/env.h"
#include "bench/peer.h"

#include "shm/copy.h"
#include "shm/memfd.h"
#include "uapi/teeq_tas.h"

#include <openssl/evp.h>

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#define PAYLOAD_HDR 4096 /* iv or digest, then src, then dst */
#define PAYLOAD_IV_LEN 16
#define PAYLOAD_KEY_LEN 16

enum payload_alg { PAYLOAD_DIGEST, PAYLOAD_CIPHER };
enum payload_mode { PAYLOAD_POOL, PAYLOAD_FD, PAYLOAD_TMPREF };

static const unsigned char payload_key[PAYLOAD_KEY_LEN] = {
	0x2b, 0x7e, 0x15, 0x16, 0x28, 0xae, 0xd2, 0xa6,
	0xab, 0xf7, 0x15, 0x88, 0x09, 0xcf, 0x4f, 0x3c,
};
static const unsigned char payload_iv[PAYLOAD_IV_LEN] = {
	0xf0, 0xf1, 0xf2, 0xf3, 0xf4, 0xf5, 0xf6, 0xf7,
	0xf8, 0xf9, 0xfa, 0xfb, 0xfc, 0xfd, 0xfe, 0xff,
};

/* ---- in process: what the TAs do, without the TEE ------------------------- */

struct payload_local {
	EVP_CIPHER_CTX *cipher;
	EVP_MD_CTX *md;
};

static int payload_local_init(struct payload_local *l)
{
	EVP_CIPHER *aes = EVP_CIPHER_fetch(NULL, "AES-128-CTR", NULL);
	int ok;

	l->cipher = EVP_CIPHER_CTX_new();
	l->md = EVP_MD_CTX_new();
	ok = aes && l->cipher && l->md &&
	     EVP_CipherInit_ex2(l->cipher, aes, payload_key, NULL, 1, NULL);
	EVP_CIPHER_free(aes);
	return ok ? 0 : -1;
}

static void payload_local_fini(struct payload_local *l)
{
	EVP_CIPHER_CTX_free(l->cipher);
	EVP_MD_CTX_free(l->md);
}

/* As the cipher TA's CTR command: a new IV on the kept key schedule. */
static int payload_local_ctr(struct payload_local *l, unsigned char *dst,
			     const unsigned char *src, size_t len)
{
	int out_len;

	if (!EVP_CipherInit_ex2(l->cipher, NULL, NULL, payload_iv, 1, NULL))
		return -1;
	while (len) {
		size_t chunk = len < ((size_t)1 << 30) ? len : (size_t)1 << 30;

		if (!EVP_CipherUpdate(l->cipher, dst, &out_len, src,
				      (int)chunk))
			return -1;
		dst += chunk;
		src += chunk;
		len -= chunk;
	}
	return 0;
}

/* As the digest TA's SHA256 command. */
static int payload_local_sha256(struct payload_local *l, unsigned char *out,
				const unsigned char *src, size_t len)
{
	unsigned int md_len = 0;

	return EVP_DigestInit_ex2(l->md, EVP_sha256(), NULL) &&
			       EVP_DigestUpdate(l->md, src, len) &&
			       EVP_DigestFinal_ex(l->md, out, &md_len) &&
			       md_len == TEEQ_DIGEST_LEN ?
		       0 :
		       -1;
}

static void payload_fill(unsigned char *p, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		p[i] = (unsigned char)(i * 131 + (i >> 12));
}

static void bm_inproc(struct bench *b, enum payload_alg alg)
{
	size_t len = (size_t)bench_arg(b);
	unsigned char *src = aligned_alloc(4096, len);
	unsigned char *dst = aligned_alloc(4096, len);
	unsigned char digest[TEEQ_DIGEST_LEN];
	struct payload_local l;
	int err = 0;

	bench_env_none();
	if (!src || !dst || payload_local_init(&l)) {
		bench_fail(b, "setup failed");
		free(src);
		free(dst);
		return;
	}
	payload_fill(src, len);
	memset(dst, 0, len);
	while (bench_run(b)) {
		if (alg == PAYLOAD_CIPHER)
			err = payload_local_ctr(&l, dst, src, len);
		else
			err = payload_local_sha256(&l, digest, src, len);
		if (err) {
			bench_fail(b, "OpenSSL failed");
			break;
		}
		bench_clobber(dst);
		bench_clobber(digest);
	}
	bench_bytes(b, bench_iterations(b) * (int64_t)len);
	payload_local_fini(&l);
	free(src);
	free(dst);
	bench_label(b, "%s in this process, no TEE",
		    alg == PAYLOAD_CIPHER ? "AES-128-CTR" : "SHA-256");
}

static void bm_inproc_cipher(struct bench *b)
{
	bm_inproc(b, PAYLOAD_CIPHER);
}

static void bm_inproc_digest(struct bench *b)
{
	bm_inproc(b, PAYLOAD_DIGEST);
}

/* ---- the copied call's floor: copies and a peer, no TEE ----------------------- */

/* Set before the peer is forked: both sides see the shared mapping. */
static struct {
	/* in the mapping shared with the peer: the input, then two outputs,
	 * used in turn (see payload_floor_once()) */
	unsigned char *src, *dst;
	size_t len;
} payload_floor;

#define PAYLOAD_FLOOR_MAP(len) (3 * (len))

/* Ping @i's output in the shared mapping. */
static unsigned char *payload_floor_out(uint64_t i)
{
	return payload_floor.dst + (i % 2) * payload_floor.len;
}

/* The peer: AES-CTR of the shared input into the ping's shared output
 * for each ping, then the pong. */
static void payload_floor_child(struct peer *p)
{
	struct payload_local l;
	uint64_t last = 0, v;

	if (payload_local_init(&l))
		__atomic_store_n(&p->ctl->bad, 1, __ATOMIC_RELAXED);
	__atomic_store_n(&p->ctl->ready, 1, __ATOMIC_RELEASE);
	for (;;) {
		v = peer_next_ping(p, last);
		if (v == PEER_STOP)
			break;
		if (payload_local_ctr(&l, payload_floor_out(v),
				      payload_floor.src, payload_floor.len))
			__atomic_store_n(&p->ctl->bad, 1, __ATOMIC_RELAXED);
		__atomic_store_n(&p->ctl->pong, v, __ATOMIC_RELEASE);
		last = v;
	}
	payload_local_fini(&l);
}

static int payload_verify(struct bench *b, enum payload_alg alg,
			  const unsigned char *src, const unsigned char *out,
			  size_t len);

/* The floor's memory shared with its peer, PAYLOAD_FLOOR_MAP(@len)
 * bytes, or NULL. */
static unsigned char *payload_floor_map(size_t len)
{
	unsigned char *shared = mmap(NULL, PAYLOAD_FLOOR_MAP(len),
				     PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (shared == MAP_FAILED)
		return NULL;
	memset(shared, 0, PAYLOAD_FLOOR_MAP(len));
	return shared;
}

/*
 * One floor call, ping @i, its bytes copied as libteeq copies a copied
 * call's (client/params.c): in with shm_copy_for_peer(); out with
 * memcpy(), and from SHM_COPY_STREAM_MIN up the output's lines dropped
 * during the next call, whose output goes to the other half meanwhile.
 */
static void payload_floor_once(struct peer *p, uint64_t i,
			       const unsigned char *src, unsigned char *dst,
			       size_t len)
{
	shm_copy_for_peer(payload_floor.src, src, len);
	__atomic_store_n(&p->ctl->ping, i, __ATOMIC_RELEASE);
	if (len >= SHM_COPY_STREAM_MIN)
		shm_drop_lines(payload_floor_out(i - 1), len);
	peer_spin_until(&p->ctl->pong, i);
	memcpy(dst, payload_floor_out(i), len);
}

/* Its peer, on @shared: started, and checked with one round (ping 1),
 * never the speed of doing nothing; 0, or -1 with @b failed. */
static int payload_floor_start(struct bench *b, struct peer *p,
			       unsigned char *shared, const unsigned char *src,
			       unsigned char *dst, size_t len)
{
	payload_floor.src = shared;
	payload_floor.dst = shared + len;
	payload_floor.len = len;
	if (peer_start(b, p, payload_floor_child))
		return -1;
	payload_floor_once(p, 1, src, dst, len);
	if (!payload_verify(b, PAYLOAD_CIPHER, src, dst, len))
		return 0;
	bench_cipher_floor_stop(b, p);
	return -1;
}

void bench_cipher_floor_stop(struct bench *b, struct peer *p)
{
	peer_stop_pingpong(p);
	peer_finish(b, p);
}

static void bm_copy_floor_cipher(struct bench *b)
{
	size_t len = (size_t)bench_arg(b);
	unsigned char *src = aligned_alloc(4096, len);
	unsigned char *dst = aligned_alloc(4096, len);
	unsigned char *shared = payload_floor_map(len);
	struct peer p;
	uint64_t i = 1;

	bench_env_none();
	if (!src || !dst || !shared) {
		bench_fail(b, "setup failed");
		goto out;
	}
	payload_fill(src, len);
	memset(dst, 0, len);
	if (payload_floor_start(b, &p, shared, src, dst, len))
		goto out;
	bench_set_peer(b, p.pid);
	while (bench_run(b)) {
		payload_floor_once(&p, ++i, src, dst, len);
		bench_clobber(dst);
	}
	bench_bytes(b, bench_iterations(b) * (int64_t)len);
	bench_cipher_floor_stop(b, &p);
	bench_label(b, "AES-128-CTR on the other CPU, copied there and back, "
		       "no TEE");
out:
	if (shared)
		munmap(shared, PAYLOAD_FLOOR_MAP(len));
	free(src);
	free(dst);
}

/* ---- through the TEE ---------------------------------------------------------- */

struct payload_bufs {
	TEEC_SharedMemory shm;
	int shm_ok;
	int memfd;
	unsigned char *mem; /* header, src, dst (pool and fd) */
	unsigned char *tmp; /* the same, plain memory (tmpref) */
};

static int payload_bufs_init(struct bench *b, struct bench_env *env,
			     enum payload_mode mode, size_t total,
			     struct payload_bufs *p)
{
	TEEC_Result res = TEEC_SUCCESS;

	memset(p, 0, sizeof(*p));
	p->memfd = -1;
	p->shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	switch (mode) {
	case PAYLOAD_POOL:
		p->shm.size = total;
		res = TEEC_AllocateSharedMemory(&env->ctx, &p->shm);
		break;
	case PAYLOAD_FD:
		p->memfd = shm_memfd_create("teeq-bench-payload", total);
		if (p->memfd < 0) {
			bench_fail(b, "memfd: %s", strerror(-p->memfd));
			return -1;
		}
		res = TEEC_RegisterSharedMemoryFileDescriptor(
			&env->ctx, &p->shm, p->memfd);
		break;
	case PAYLOAD_TMPREF:
		p->tmp = aligned_alloc(4096, total);
		if (!p->tmp) {
			bench_fail(b, "out of memory");
			return -1;
		}
		p->mem = p->tmp;
		return 0;
	}
	if (res != TEEC_SUCCESS) {
		bench_fail(b, "shared memory of %zu bytes: 0x%08x", total, res);
		if (p->memfd >= 0)
			close(p->memfd);
		return -1;
	}
	p->shm_ok = 1;
	p->mem = p->shm.buffer;
	return 0;
}

static void payload_bufs_fini(struct payload_bufs *p)
{
	if (p->shm_ok)
		TEEC_ReleaseSharedMemory(&p->shm);
	if (p->memfd >= 0)
		close(p->memfd);
	free(p->tmp);
}

/* Parameter @i: @len bytes at @off of the buffers, as @mode passes them. */
static void payload_param(TEEC_Operation *op, int i, enum payload_mode mode,
			  struct payload_bufs *p, size_t off, size_t len,
			  int output, uint32_t *types)
{
	uint32_t type;

	if (mode == PAYLOAD_TMPREF) {
		type = output ? TEEC_MEMREF_TEMP_OUTPUT :
				TEEC_MEMREF_TEMP_INPUT;
		op->params[i].tmpref.buffer = p->tmp + off;
		op->params[i].tmpref.size = len;
	} else {
		type = output ? TEEC_MEMREF_PARTIAL_OUTPUT :
				TEEC_MEMREF_PARTIAL_INPUT;
		op->params[i].memref.parent = &p->shm;
		op->params[i].memref.offset = off;
		op->params[i].memref.size = len;
	}
	*types |= type << (4 * i);
}

/* The cipher TA's CTR operation on the buffers: the IV, @len bytes of
 * input after the header, @len of output after those. */
static void payload_cipher_op(TEEC_Operation *op, enum payload_mode mode,
			      struct payload_bufs *p, size_t len)
{
	uint32_t types = 0;

	memcpy(p->mem, payload_iv, sizeof(payload_iv));
	payload_param(op, 0, mode, p, 0, PAYLOAD_IV_LEN, 0, &types);
	payload_param(op, 1, mode, p, PAYLOAD_HDR, len, 0, &types);
	payload_param(op, 2, mode, p, PAYLOAD_HDR + len, len, 1, &types);
	op->paramTypes = types;
}

static int payload_set_key(struct bench *b, TEEC_Session *sess)
{
	TEEC_Operation op;
	uint32_t origin;
	TEEC_Result res;

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(
		TEEC_VALUE_INPUT, TEEC_MEMREF_TEMP_INPUT, TEEC_NONE, TEEC_NONE);
	op.params[0].value.a = TEEQ_CIPHER_MODE_CTR;
	op.params[1].tmpref.buffer = (void *)payload_key;
	op.params[1].tmpref.size = sizeof(payload_key);
	res = TEEC_InvokeCommand(sess, TEEQ_CIPHER_CMD_SET_KEY, &op, &origin);
	if (res != TEEC_SUCCESS) {
		bench_fail(b, "SET_KEY: 0x%08x origin %u", res, origin);
		return -1;
	}
	return 0;
}

/* The TEE's answer for one call must be the in-process one. */
static int payload_verify(struct bench *b, enum payload_alg alg,
			  const unsigned char *src, const unsigned char *out,
			  size_t len)
{
	unsigned char digest[TEEQ_DIGEST_LEN], *want;
	struct payload_local l;
	int bad;

	want = alg == PAYLOAD_CIPHER ? malloc(len) : digest;
	if (!want || payload_local_init(&l)) {
		bench_fail(b, "cannot verify");
		if (want != digest)
			free(want);
		return -1;
	}
	if (alg == PAYLOAD_CIPHER)
		bad = payload_local_ctr(&l, want, src, len) ||
		      memcmp(want, out, len);
	else
		bad = payload_local_sha256(&l, want, src, len) ||
		      memcmp(want, out, TEEQ_DIGEST_LEN);
	payload_local_fini(&l);
	if (want != digest)
		free(want);
	if (bad)
		bench_fail(b, "the TEE's result differs from OpenSSL's");
	return bad ? -1 : 0;
}

static void bm_tee(struct bench *b, enum payload_alg alg,
		   enum payload_mode mode)
{
	static const char *const mode_names[] = {
		[PAYLOAD_POOL] = "zero-copy, allocated shared memory",
		[PAYLOAD_FD] = "zero-copy, registered memfd",
		[PAYLOAD_TMPREF] = "copied, temporary memrefs",
	};
	size_t len = (size_t)bench_arg(b);
	size_t total = PAYLOAD_HDR + len + (alg == PAYLOAD_CIPHER ? len : 0);
	struct teeq_stats st0, st1;
	struct payload_bufs p;
	struct bench_env *env;
	TEEC_Session *sess;
	TEEC_Operation op;
	uint32_t origin, types = 0, cmd;
	TEEC_Result res;

	env = bench_env_use(b, BENCH_ENV_SPIN);
	sess = env ? bench_env_session(b, env,
				       alg == PAYLOAD_CIPHER ?
					       BENCH_TA_CIPHER :
					       BENCH_TA_DIGEST) :
		     NULL;
	if (!sess || (alg == PAYLOAD_CIPHER && payload_set_key(b, sess)) ||
	    payload_bufs_init(b, env, mode, total, &p))
		return;
	memset(&op, 0, sizeof(op));
	if (alg == PAYLOAD_CIPHER) {
		payload_cipher_op(&op, mode, &p, len);
		cmd = TEEQ_CIPHER_CMD_CTR;
	} else {
		payload_param(&op, 0, mode, &p, PAYLOAD_HDR, len, 0, &types);
		payload_param(&op, 1, mode, &p, 0, TEEQ_DIGEST_LEN, 1, &types);
		op.paramTypes = types;
		cmd = TEEQ_DIGEST_CMD_SHA256;
	}
	payload_fill(p.mem + PAYLOAD_HDR, len);

	res = TEEC_InvokeCommand(sess, cmd, &op, &origin);
	if (res != TEEC_SUCCESS) {
		bench_fail(b, "TEEC_InvokeCommand: 0x%08x origin %u", res,
			   origin);
	} else if (!payload_verify(b, alg, p.mem + PAYLOAD_HDR,
				   alg == PAYLOAD_CIPHER ?
					   p.mem + PAYLOAD_HDR + len :
					   p.mem,
				   len)) {
		bench_set_peer(b, env->pid);
		teeq_context_stats(&env->ctx, &st0);
		while (bench_run(b)) {
			res = TEEC_InvokeCommand(sess, cmd, &op, &origin);
			if (res != TEEC_SUCCESS) {
				bench_fail(b, "TEEC_InvokeCommand: 0x%08x",
					   res);
				break;
			}
		}
		teeq_context_stats(&env->ctx, &st1);
		bench_bytes(b, bench_iterations(b) * (int64_t)len);
		bench_counter(b, "bounce_bytes",
			      (double)(st1.bounce_bytes - st0.bounce_bytes),
			      BENCH_COUNTER_PER_ITER);
		bench_counter(b, "client_sleeps",
			      (double)(st1.waits_slept - st0.waits_slept),
			      BENCH_COUNTER_PER_ITER);
	}
	payload_bufs_fini(&p);
	bench_label(b, "%s through the TEE, %s",
		    alg == PAYLOAD_CIPHER ? "AES-128-CTR" : "SHA-256",
		    mode_names[mode]);
}

static void bm_cipher_pool(struct bench *b)
{
	bm_tee(b, PAYLOAD_CIPHER, PAYLOAD_POOL);
}

static void bm_cipher_fd(struct bench *b)
{
	bm_tee(b, PAYLOAD_CIPHER, PAYLOAD_FD);
}

static void bm_cipher_tmpref(struct bench *b)
{
	bm_tee(b, PAYLOAD_CIPHER, PAYLOAD_TMPREF);
}

static void bm_digest_pool(struct bench *b)
{
	bm_tee(b, PAYLOAD_DIGEST, PAYLOAD_POOL);
}

static void bm_digest_fd(struct bench *b)
{
	bm_tee(b, PAYLOAD_DIGEST, PAYLOAD_FD);
}

static void bm_digest_tmpref(struct bench *b)
{
	bm_tee(b, PAYLOAD_DIGEST, PAYLOAD_TMPREF);
}

/* ---- each way at once, for the paired rounds ---------------------------------- */

struct bench_cipher {
	size_t len;
	struct payload_local l;
	unsigned char *src, *dst; /* this process's: in process, the floor */
	unsigned char *shared; /* the floor's, shared with its peer */
	struct peer *peer; /* the floor's, while it runs */
	uint64_t ping;
	TEEC_Session *sess;
	struct payload_bufs bufs[2]; /* zero-copy (pool), copied (tmpref) */
	TEEC_Operation op[2];
	int bufs_ok[2];
};

static const enum payload_mode bench_cipher_modes[2] = { PAYLOAD_POOL,
							 PAYLOAD_TMPREF };

static int bench_cipher_tee(struct bench *b, struct bench_cipher *c, int k)
{
	uint32_t origin;
	TEEC_Result res;

	res = TEEC_InvokeCommand(c->sess, TEEQ_CIPHER_CMD_CTR, &c->op[k],
				 &origin);
	if (res == TEEC_SUCCESS)
		return 0;
	bench_fail(b, "TEEC_InvokeCommand: 0x%08x origin %u", res, origin);
	return -1;
}

struct bench_cipher *bench_cipher_open(struct bench *b, struct bench_env *env,
				       size_t len)
{
	struct bench_cipher *c = calloc(1, sizeof(*c));
	unsigned char *mem;
	int k;

	if (!c || payload_local_init(&c->l)) {
		bench_fail(b, "setup failed");
		bench_cipher_close(c);
		return NULL;
	}
	c->len = len;
	c->src = aligned_alloc(4096, len);
	c->dst = aligned_alloc(4096, len);
	c->shared = payload_floor_map(len);
	if (!c->src || !c->dst || !c->shared) {
		bench_fail(b, "setup failed");
		bench_cipher_close(c);
		return NULL;
	}
	payload_fill(c->src, len);
	memset(c->dst, 0, len);
	c->sess = bench_env_session(b, env, BENCH_TA_CIPHER);
	if (!c->sess || payload_set_key(b, c->sess)) {
		bench_cipher_close(c);
		return NULL;
	}
	for (k = 0; k < 2; k++) {
		if (payload_bufs_init(b, env, bench_cipher_modes[k],
				      PAYLOAD_HDR + 2 * len, &c->bufs[k])) {
			bench_cipher_close(c);
			return NULL;
		}
		c->bufs_ok[k] = 1;
		payload_cipher_op(&c->op[k], bench_cipher_modes[k], &c->bufs[k],
				  len);
		mem = c->bufs[k].mem;
		payload_fill(mem + PAYLOAD_HDR, len);
		if (bench_cipher_tee(b, c, k) ||
		    payload_verify(b, PAYLOAD_CIPHER, mem + PAYLOAD_HDR,
				   mem + PAYLOAD_HDR + len, len)) {
			bench_cipher_close(c);
			return NULL;
		}
	}
	return c;
}

void bench_cipher_close(struct bench_cipher *c)
{
	int k;

	if (!c)
		return;
	for (k = 0; k < 2; k++)
		if (c->bufs_ok[k])
			payload_bufs_fini(&c->bufs[k]);
	if (c->shared)
		munmap(c->shared, PAYLOAD_FLOOR_MAP(c->len));
	if (c->l.cipher || c->l.md)
		payload_local_fini(&c->l);
	free(c->src);
	free(c->dst);
	free(c);
}

int bench_cipher_floor_start(struct bench *b, struct bench_cipher *c,
			     struct peer *p)
{
	if (payload_floor_start(b, p, c->shared, c->src, c->dst, c->len))
		return -1;
	c->peer = p;
	c->ping = 1;
	return 0;
}

int bench_cipher_call(struct bench *b, struct bench_cipher *c,
		      enum bench_cipher_way way)
{
	switch (way) {
	case BENCH_CIPHER_INPROC:
		if (!payload_local_ctr(&c->l, c->dst, c->src, c->len))
			return 0;
		bench_fail(b, "OpenSSL failed");
		return -1;
	case BENCH_CIPHER_ZEROCOPY:
		return bench_cipher_tee(b, c, 0);
	case BENCH_CIPHER_COPIED:
		return bench_cipher_tee(b, c, 1);
	case BENCH_CIPHER_FLOOR:
		payload_floor_once(c->peer, ++c->ping, c->src, c->dst, c->len);
		return 0;
	}
	return -1;
}

size_t bench_payload_defs(struct bench_def *d, size_t n)
{
	static const int64_t sizes[] = { 4096, 65536, 1 << 20, 16 << 20 };
	static const struct {
		const char *name;
		void (*fn)(struct bench *b);
	} fams[] = {
		{ "baseline/memcpy", bench_memcpy },
		{ "baseline/inproc_cipher", bm_inproc_cipher },
		{ "baseline/copy_floor_cipher", bm_copy_floor_cipher },
		{ "teeq/payload/cipher_pool", bm_cipher_pool },
		{ "teeq/payload/cipher_fd", bm_cipher_fd },
		{ "teeq/payload/cipher_tmpref", bm_cipher_tmpref },
		{ "baseline/inproc_digest", bm_inproc_digest },
		{ "teeq/payload/digest_pool", bm_digest_pool },
		{ "teeq/payload/digest_fd", bm_digest_fd },
		{ "teeq/payload/digest_tmpref", bm_digest_tmpref },
	};
	size_t s, f;

	/* by size, so that each figure sits next to its ceiling */
	for (s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
		for (f = 0; f < sizeof(fams) / sizeof(fams[0]); f++)
			d[n++] = BENCH_DEF_ARG(fams[f].name, fams[f].fn,
					       "bytes", sizes[s]);
	return n;
}
