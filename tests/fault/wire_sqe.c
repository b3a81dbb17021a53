// SPDX-License-Identifier: MIT
/*
 * Hostile submission entries, forged straight into a live context's
 * submission ring through libteeq's internals, each answered with the exact
 * error and origin TEE, never a crash: a heap window past the end or whose
 * offset + size overflows; a stale, foreign or made-up buffer id; a null
 * memref with an offset; a registered buffer used beyond its window or
 * against its access rights (ACCESS_DENIED); unknown opcodes and any flag
 * (NOT_SUPPORTED); nonzero reserved words, value padding, bytes of a NONE
 * parameter, uuid or login data outside OPEN_SESSION, invalid type
 * nibbles, unknown sessions, malformed OPEN/CLOSE/CANCEL entries
 * (BAD_PARAMETERS). Reserved bytes of a second line that the entry does not
 * use are not part of it and are ignored, as the ABI says. Then a
 * thousand random entries, each answered as the ABI (uapi/teeq_ring.h)
 * says: success with origin TEE when nothing is wrong with it, else one
 * of the errors its faults call for (which one wins when there are several
 * is not specified), origin TEE, no session and no outputs. teeq-sw drops
 * no one, stays up, and the same context and session keep working.
 */
#include "client/internal.h"
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <stddef.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static struct teeq_chan *chan;

/* Submits @t as it is (but for the ring's stamp and libteeq's user_data)
 * and returns its completion. */
static struct teeq_cqe run(const struct teeq_sqe *t)
{
	const size_t ud = offsetof(struct teeq_sqe, user_data);
	const size_t rest = offsetof(struct teeq_sqe, uuid);
	struct teeq_qp *qp = teeq_qp_acquire(chan);
	struct teeq_pending *p;
	struct teeq_sqe *sqe;
	struct teeq_cqe cqe;
	uint64_t user_data;
	uint32_t tag;

	sqe = teeq_qp_get_sqe(qp, TEEQ_PENDING_SYNC, &tag, &p);
	CHECK(sqe);
	CHECK(p == &qp->pend[tag]);
	user_data = teeq_qp_user_data(qp, tag);
	memcpy((char *)sqe + RING_STAMP_SIZE, (const char *)t + RING_STAMP_SIZE,
	       ud - RING_STAMP_SIZE);
	memcpy((char *)sqe + rest, (const char *)t + rest, sizeof(*t) - rest);
	teeq_qp_publish(qp);
	teeq_qp_wait_tag(qp, tag);
	cqe = qp->pend[tag].cqe;
	teeq_qp_put(qp, tag);
	teeq_qp_release(qp);
	CHECK(!teeq_chan_dead(chan));
	CHECK_EQ(cqe.user_data, user_data);
	return cqe;
}

#define EXPECT(t, res, org)                                              \
	do {                                                             \
		struct teeq_cqe c_ = run(t);                             \
		if (c_.result != (res) || c_.origin != (org))            \
			fprintf(stderr, "%s:%d: got %#x/%u\n", __FILE__, \
				__LINE__, c_.result, c_.origin);         \
		CHECK_EQ(c_.result, res);                                \
		CHECK_EQ(c_.origin, org);                                \
		if ((t)->opcode != TEEQ_OP_OPEN_SESSION ||               \
		    (res) != TEEQ_SUCCESS)                               \
			CHECK_EQ(c_.session, 0);                         \
	} while (0)

static uint32_t sid; /* an echo session */

static void invoke(struct teeq_sqe *t, uint32_t func, uint16_t types)
{
	memset(t, 0, sizeof(*t));
	t->opcode = TEEQ_OP_INVOKE;
	t->session = sid;
	t->func = func;
	t->param_types = types;
}

/* echo INVERT over one memref window. */
static void invert(struct teeq_sqe *t, uint32_t buf_id, uint64_t off,
		   uint32_t size)
{
	invoke(t, TEEQ_ECHO_CMD_INVERT,
	       TEEQ_PARAM_TYPES(TEEQ_PARAM_MEMREF_INOUT, 0, 0, 0));
	t->params[0].memref.buf_id = buf_id;
	t->params[0].memref.offset = off;
	t->params[0].memref.size = size;
}

static uint32_t wire_id(const TEEC_SharedMemory *shm)
{
	return shm->imp.shm->wire_id;
}

static TEEC_SharedMemory reg_memfd(TEEC_Context *ctx, size_t size,
				   uint32_t flags)
{
	TEEC_SharedMemory shm;
	int fd = memfd_create("teeq-wire", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	CHECK(fd >= 0);
	CHECK(!ftruncate(fd, (off_t)size));
	CHECK(!fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK));
	memset(&shm, 0, sizeof(shm));
	shm.flags = flags;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(ctx, &shm, fd),
		 TEEC_SUCCESS);
	close(fd);
	return shm;
}

static void memrefs(TEEC_Context *ctx, TEEC_Context *ctx2)
{
	uint64_t heap = chan->layout.heap_size;
	TEEC_SharedMemory stale, foreign, ro, rw;
	uint32_t stale_id;
	struct teeq_sqe t;

	/* the heap */
	invert(&t, TEEQ_BUF_ID_HEAP, heap - 10, 20);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invert(&t, TEEQ_BUF_ID_HEAP, heap, 1);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invert(&t, TEEQ_BUF_ID_HEAP, UINT64_MAX - 5, 10);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invert(&t, TEEQ_BUF_ID_HEAP, UINT64_MAX, 0);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invert(&t, TEEQ_BUF_ID_HEAP, 1ull << 63, 0xffffffffu);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invert(&t, TEEQ_BUF_ID_HEAP, heap, 0); /* empty, at the end */
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	invert(&t, TEEQ_BUF_ID_HEAP, heap - 4096, 4096);
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);

	/* null memrefs: no offset allowed */
	invert(&t, TEEQ_BUF_ID_NULL, 8, 0);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invert(&t, TEEQ_BUF_ID_NULL, 0, 0);
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);

	/* a registered buffer, released: its id is stale */
	stale = reg_memfd(ctx, 8192, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	stale_id = wire_id(&stale);
	invert(&t, stale_id, 0, 8192);
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	TEEC_ReleaseSharedMemory(&stale);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	/* one registered by another client only */
	foreign = reg_memfd(ctx2, 8192, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	invert(&t, wire_id(&foreign), 0, 16);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	/* made up */
	invert(&t, 2, 0, 16);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invert(&t, 0xdeadbeef, 0, 16);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);

	/* live ones: windows and rights */
	ro = reg_memfd(ctx, 8192, TEEC_MEM_INPUT);
	rw = reg_memfd(ctx, 8192, TEEC_MEM_INPUT | TEEC_MEM_OUTPUT);
	invert(&t, wire_id(&ro), 0, 16); /* INOUT needs write */
	EXPECT(&t, TEEQ_ERROR_ACCESS_DENIED, TEEQ_ORIGIN_TEE);
	invert(&t, wire_id(&rw), 8000, 193);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invert(&t, wire_id(&rw), UINT64_MAX - 100, 200);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invert(&t, wire_id(&rw), 8000, 192);
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	CHECK_EQ(((unsigned char *)rw.buffer)[8191], 0xff);
	CHECK_EQ(((unsigned char *)rw.buffer)[7999], 0);
	/* reading a read-only buffer is fine (echo COPY into the heap) */
	invoke(&t, TEEQ_ECHO_CMD_COPY,
	       TEEQ_PARAM_TYPES(TEEQ_PARAM_MEMREF_INPUT,
				TEEQ_PARAM_MEMREF_OUTPUT, 0, 0));
	t.params[0].memref.buf_id = wire_id(&ro);
	t.params[0].memref.size = 100;
	t.params[1].memref.buf_id = TEEQ_BUF_ID_HEAP;
	t.params[1].memref.size = 100;
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	t.params[0].memref.buf_id = wire_id(&rw);
	t.params[1].memref.buf_id = wire_id(&ro); /* but not writing it */
	EXPECT(&t, TEEQ_ERROR_ACCESS_DENIED, TEEQ_ORIGIN_TEE);
	TEEC_ReleaseSharedMemory(&ro);
	TEEC_ReleaseSharedMemory(&rw);
	TEEC_ReleaseSharedMemory(&foreign);
}

static void entry_fields(void)
{
	static const uint8_t opcodes[] = { 0, TEEQ_OP_MAX + 1, 0x7f, 0xff };
	uint32_t gid = (uint32_t)getgid();
	struct teeq_sqe t;
	size_t i;

	memset(&t, 0, sizeof(t));
	t.opcode = TEEQ_OP_NOP;
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TEE);
	for (i = 0; i < sizeof(opcodes); i++) {
		t.opcode = opcodes[i];
		EXPECT(&t, TEEQ_ERROR_NOT_SUPPORTED, TEEQ_ORIGIN_TEE);
	}
	/* any flag, on any opcode */
	for (i = 0; i < 8; i++) {
		memset(&t, 0, sizeof(t));
		t.opcode = TEEQ_OP_NOP;
		t.flags = (uint8_t)(1u << i);
		EXPECT(&t, TEEQ_ERROR_NOT_SUPPORTED, TEEQ_ORIGIN_TEE);
		invoke(&t, TEEQ_ECHO_CMD_VALUES, 0);
		t.flags = (uint8_t)(1u << i);
		EXPECT(&t, TEEQ_ERROR_NOT_SUPPORTED, TEEQ_ORIGIN_TEE);
	}

	/* reserved words of a second line in use */
	invoke(&t, TEEQ_ECHO_CMD_VALUES,
	       TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT, TEEQ_PARAM_VALUE_OUTPUT,
				TEEQ_PARAM_VALUE_INOUT, 0));
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TRUSTED_APP);
	for (i = 0; i < 4; i++) {
		t.reserved[i] = 0x100u << i;
		EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
		t.reserved[i] = 0;
	}
	/* value padding, and bytes of a NONE parameter in use lines */
	t.params[2].value.pad = 1;
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	t.params[2].value.pad = 0;
	t.params[3].value.b = 1; /* p3 is NONE */
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	t.params[3].value.b = 0;
	invoke(&t, TEEQ_ECHO_CMD_VALUES, 0);
	t.params[0].value.a = 1; /* p0 is NONE, first line */
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	/* the second line is not part of a call whose p1..p3 are NONE */
	memset(&t, 0, sizeof(t));
	t.opcode = TEEQ_OP_NOP;
	memset(&t.params[1], 0xff, 3 * sizeof(t.params[1]));
	memset(t.reserved, 0xff, sizeof(t.reserved));
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TEE);

	/* invalid type nibbles, in any position */
	for (i = 0; i < 4; i++) {
		static const unsigned int bad[] = { 4, 8, 0xb, 0xf };
		size_t b;

		for (b = 0; b < 4; b++) {
			invoke(&t, TEEQ_NOOP_CMD_NOOP,
			       (uint16_t)(bad[b] << (4 * i)));
			EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
		}
	}

	/* fields that belong to OPEN_SESSION only */
	invoke(&t, TEEQ_ECHO_CMD_VALUES, 0);
	t.login_data = 1;
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	invoke(&t, TEEQ_ECHO_CMD_VALUES, 0);
	t.uuid.b[15] = 1;
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);

	/* sessions */
	invoke(&t, TEEQ_ECHO_CMD_VALUES, 0);
	t.session = sid + 1;
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	t.session = 0;
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	memset(&t, 0, sizeof(t));
	t.opcode = TEEQ_OP_CLOSE_SESSION;
	t.session = 0xdeadbeef;
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	t.session = sid;
	t.param_types = TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT, 0, 0, 0);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE); /* kept */

	/* malformed opens */
	memset(&t, 0, sizeof(t));
	t.opcode = TEEQ_OP_OPEN_SESSION;
	t.uuid = (struct teeq_uuid){ { 0x74, 0x65, 0x65, 0x71, 0, 0, 0x40, 0,
				       0x80, 0, 0x65, 0x63, 0x68, 0x6f, 0,
				       2 } }; /* echo */
	t.session = 5;
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	t.session = 0;
	t.func = 3; /* no such login method */
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	t.func = TEEQ_LOGIN_PUBLIC;
	t.login_data = 7; /* data with a login that takes none */
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	t.func = TEEQ_LOGIN_GROUP;
	t.login_data = gid + 1;
	EXPECT(&t, TEEQ_ERROR_ACCESS_DENIED, TEEQ_ORIGIN_TEE);
	t.uuid.b[0] ^= 1;
	t.login_data = gid;
	EXPECT(&t, TEEQ_ERROR_ITEM_NOT_FOUND, TEEQ_ORIGIN_TEE);
	t.uuid.b[0] ^= 1;
	t.flags = 2;
	EXPECT(&t, TEEQ_ERROR_NOT_SUPPORTED, TEEQ_ORIGIN_TEE);

	/* malformed cancels */
	memset(&t, 0, sizeof(t));
	t.opcode = TEEQ_OP_CANCEL;
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	t.cancel_id = 12345;
	t.param_types = TEEQ_PARAM_TYPES(TEEQ_PARAM_VALUE_INPUT, 0, 0, 0);
	EXPECT(&t, TEEQ_ERROR_BAD_PARAMETERS, TEEQ_ORIGIN_TEE);
	t.param_types = 0;
	EXPECT(&t, TEEQ_SUCCESS, TEEQ_ORIGIN_TEE); /* nothing to cancel */
}

/* The results the ABI allows for a random entry on this channel: none of
 * its sessions is live (the test's own is never named) and its uuid names
 * no trusted app. Bit n of the mask: result n of the list below. */
enum {
	R_SUCCESS = 1,
	R_NOT_SUPPORTED = 2,
	R_BAD_PARAMETERS = 4,
	R_ITEM_NOT_FOUND = 8,
	R_ACCESS_DENIED = 16,
};

static unsigned int allowed(const struct teeq_sqe *t)
{
	struct teeq_sqe e = *t;
	unsigned int faults = 0;
	int i;

	/* the second line is part of the entry only if params 1..3 are */
	if (!(e.param_types & TEEQ_SQE_LINE2_PARAMS)) {
		memset(&e.params[1], 0, 3 * sizeof(e.params[1]));
		memset(e.reserved, 0, sizeof(e.reserved));
	}
	if (e.flags & ~TEEQ_SQE_FLAGS_ALL)
		faults |= R_NOT_SUPPORTED;
	for (i = 0; i < 4; i++)
		if (e.reserved[i])
			faults |= R_BAD_PARAMETERS;
	if (e.opcode != TEEQ_OP_OPEN_SESSION &&
	    (e.login_data ||
	     memcmp(&e.uuid, &(struct teeq_uuid){ { 0 } }, sizeof(e.uuid))))
		faults |= R_BAD_PARAMETERS;
	if (e.opcode != TEEQ_OP_OPEN_SESSION && e.opcode != TEEQ_OP_INVOKE) {
		static const union teeq_param zero[TEEQ_NUM_PARAMS];

		if (e.param_types || memcmp(e.params, zero, sizeof(zero)))
			faults |= R_BAD_PARAMETERS;
	}
	switch (e.opcode) {
	case TEEQ_OP_NOP:
		break;
	case TEEQ_OP_OPEN_SESSION:
		/* a session id set, an unknown TA; login and parameters may
		 * be refused too before the TA is looked up */
		faults |= R_BAD_PARAMETERS | R_ITEM_NOT_FOUND | R_ACCESS_DENIED;
		break;
	case TEEQ_OP_INVOKE:
		/* no such session; its parameters may be refused first */
		faults |= R_BAD_PARAMETERS | R_ACCESS_DENIED;
		break;
	case TEEQ_OP_CLOSE_SESSION:
		faults |= R_BAD_PARAMETERS; /* no such session */
		break;
	case TEEQ_OP_CANCEL:
		if (!e.cancel_id)
			faults |= R_BAD_PARAMETERS;
		break;
	default:
		faults |= R_NOT_SUPPORTED;
	}
	return faults ? faults : R_SUCCESS;
}

static unsigned int result_bit(uint32_t result)
{
	switch (result) {
	case TEEQ_SUCCESS:
		return R_SUCCESS;
	case TEEQ_ERROR_NOT_SUPPORTED:
		return R_NOT_SUPPORTED;
	case TEEQ_ERROR_BAD_PARAMETERS:
		return R_BAD_PARAMETERS;
	case TEEQ_ERROR_ITEM_NOT_FOUND:
		return R_ITEM_NOT_FOUND;
	case TEEQ_ERROR_ACCESS_DENIED:
		return R_ACCESS_DENIED;
	default:
		return 0;
	}
}

/* Random entries: each answered as allowed(), nothing breaks. */
static void random_entries(void)
{
	static const union teeq_param_out none[TEEQ_NUM_PARAMS];
	uint64_t seed = 0xbadc0ffee;
	unsigned int seen = 0;
	struct teeq_sqe t;
	int i;

	for (i = 0; i < 1000; i++) {
		struct teeq_cqe c;
		uint64_t r = test_rand(&seed);
		unsigned int ok;
		size_t j;

		for (j = 0; j < sizeof(t); j += 8) {
			uint64_t w = test_rand(&seed);

			memcpy((char *)&t + j, &w, 8);
		}
		/* mostly plausible opcodes and ids, never our own session */
		t.opcode = (uint8_t)(r % 8);
		if (r & 0x100)
			t.flags = 0;
		if (r & 0x200)
			memset(t.reserved, 0, sizeof(t.reserved));
		if (r & 0x400)
			t.param_types &= 0x7777;
		if (r & 0x800)
			t.params[0].memref.buf_id = TEEQ_BUF_ID_HEAP;
		if (r & 0x1000) { /* a bare entry of its opcode... */
			memset(t.params, 0,
			       sizeof(t) - offsetof(struct teeq_sqe, params));
			if (!(r & 0x2000))
				t.param_types = 0;
			if (!(r & 0x4000)) { /* ...or one with a uuid */
				memset(&t.uuid, 0, sizeof(t.uuid));
				t.login_data = 0;
			}
		}
		if (t.session == sid || t.opcode == TEEQ_OP_CLOSE_SESSION ||
		    t.opcode == TEEQ_OP_OPEN_SESSION)
			t.session = sid + 2;
		ok = allowed(&t);
		c = run(&t);
		if (!(result_bit(c.result) & ok) || c.origin != TEEQ_ORIGIN_TEE)
			fprintf(stderr,
				"entry %d: opcode %u flags %#x types %#x: got "
				"%#x/%u, allowed mask %#x\n",
				i, t.opcode, t.flags, t.param_types, c.result,
				c.origin, ok);
		CHECK(result_bit(c.result) & ok);
		CHECK_EQ(c.origin, TEEQ_ORIGIN_TEE);
		CHECK_EQ(c.session, 0);
		CHECK_MEM(c.params, none, sizeof(none));
		seen |= result_bit(c.result);
	}
	/* the entries reached every kind of answer */
	CHECK_EQ(seen, R_SUCCESS | R_NOT_SUPPORTED | R_BAD_PARAMETERS);
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	TEEC_Context ctx, ctx2;
	TEEC_Session sess;
	TEEC_Operation op;
	struct teeq_sw_stats st;
	uint32_t origin;
	int status;

	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx2), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);
	chan = ctx.imp;
	sid = sess.session_id;

	memrefs(&ctx, &ctx2);
	entry_fields();
	random_entries();

	/* nobody was dropped, teeq-sw is up, the session still works */
	CHECK_EQ(waitpid(fx.pid, &status, WNOHANG), 0);
	sw_fixture_stats(&fx, &st);
	CHECK_EQ(st.clients, 2);
	CHECK_EQ(st.clients_dropped, 0);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_VALUE_INPUT, TEEC_VALUE_OUTPUT,
					 TEEC_VALUE_INOUT, TEEC_NONE);
	op.params[0].value.a = 40;
	op.params[2].value.a = 2;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_VALUES, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[2].value.a, 42);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx2);
	TEEC_FinalizeContext(&ctx);
	sw_fixture_stop(&fx);
	return T_PASS;
}
