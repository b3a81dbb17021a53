// SPDX-License-Identifier: MIT
/*
 * TEEC_RegisterSharedMemoryFileDescriptor: a memfd sealed with
 * F_SEAL_SHRINK is mapped by teeq-sw itself, so memrefs over it are
 * zero-copy (zero_copy_memrefs counts them, nothing is bounced) and what
 * the TA writes is in the file. Zero-copy is shown where a copy could not
 * hide: a context whose whole heap (1 MiB) is smaller than the 4 MiB
 * memfd it passes to the TA, which inverts it in place. The shm takes the
 * memfd's size, teeq-sw counts the buffer (ext_buffers, ext_bytes) until
 * it is released, and the caller may close its fd right after
 * registering. An unsealed memfd, a regular file, a pipe, an empty sealed
 * memfd or fd -1 are BAD_PARAMETERS and register nothing; an INPUT-only
 * registration refuses an output window with BAD_PARAMETERS origin API.
 * Releasing twice is harmless. In kernel mode the driver pins the memfd's
 * pages, and teeq-sw maps them on their first use in a call (and counts
 * them from then); the heap that shows a copy could not hide is host
 * mode's, TEEQ_HEAP_MB.
 */
#include "tests/sw_fixture.h"
#include "uapi/teeq_tas.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <tee_client_api.h>
#include <teeq.h>

static struct sw_fixture fx;

static int memfd(size_t size, int seals)
{
	int fd = memfd_create("teeq-test", MFD_CLOEXEC | MFD_ALLOW_SEALING);

	CHECK(fd >= 0);
	CHECK(!ftruncate(fd, (off_t)size));
	if (seals)
		CHECK(!fcntl(fd, F_ADD_SEALS, seals));
	return fd;
}

/* teeq-sw's registered buffers; in kernel mode it hears of them from the
 * driver's events, so they are waited for (5 s at most). */
static void check_ext(uint64_t buffers, uint64_t bytes)
{
	struct teeq_sw_stats st;
	uint64_t t0 = t_now_ms();

	sw_fixture_stats(&fx, &st);
	while ((st.ext_buffers != buffers || st.ext_bytes != bytes) &&
	       sw_fixture_kernel() && t_now_ms() - t0 < 5000) {
		usleep(1000);
		sw_fixture_stats(&fx, &st);
	}
	CHECK_EQ(st.ext_buffers, buffers);
	CHECK_EQ(st.ext_bytes, bytes);
}

/*
 * A context with a 1 MiB heap and a 4 MiB registered memfd: the TA
 * inverts the whole buffer through one memref. Were the payload bounced
 * through the heap there would be no room for it; it comes back inverted,
 * nothing was copied or taken from the heap, and the file itself, read
 * through its own descriptor, holds the TA's bytes.
 */
static void larger_than_heap(const TEEC_UUID *echo)
{
	enum { BIG = 4 << 20 };
	unsigned char *ref = malloc(BIG), *file = malloc(BIG);
	TEEC_SharedMemory shm;
	struct teeq_stats st;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	uint32_t origin = 0;
	size_t i;
	int fd;

	CHECK(ref && file);
	setenv("TEEQ_HEAP_MB", "1", 1);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	unsetenv("TEEQ_HEAP_MB");
	teeq_context_stats(&ctx, &st);
	if (!sw_fixture_kernel())
		CHECK_EQ(st.heap_size, 1 << 20);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);

	fd = memfd(BIG, F_SEAL_SHRINK);
	for (i = 0; i < BIG; i++)
		ref[i] = (unsigned char)(i * 131 + (i >> 12));
	CHECK_EQ(pwrite(fd, ref, BIG, 0), BIG);
	memset(&shm, 0, sizeof(shm));
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &shm, fd),
		 TEEC_SUCCESS);
	CHECK_EQ(shm.size, BIG);

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &shm;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[0].memref.size, BIG);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.zero_copy_memrefs, 1);
	CHECK_EQ(st.bounced_memrefs, 0);
	CHECK_EQ(st.bounce_bytes, 0);
	CHECK_EQ(st.heap_in_use, 0);
	CHECK_EQ(pread(fd, file, BIG, 0), BIG);
	for (i = 0; i < BIG; i++)
		CHECK_EQ(file[i], (unsigned char)~ref[i]);

	TEEC_ReleaseSharedMemory(&shm);
	close(fd);
	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	free(ref);
	free(file);
}

static void refused(TEEC_Context *ctx, int fd)
{
	TEEC_SharedMemory shm;

	memset(&shm, 0, sizeof(shm));
	shm.size = 4096;
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(ctx, &shm, fd),
		 TEEC_ERROR_BAD_PARAMETERS);
}

int main(void)
{
	static const TEEC_UUID echo = TEEQ_TA_ECHO_UUID;
	enum { SIZE = 65536 };
	TEEC_SharedMemory shm, in, heap;
	unsigned char *ref = malloc(SIZE), *file = malloc(SIZE);
	struct teeq_stats st;
	TEEC_Context ctx;
	TEEC_Session sess;
	TEEC_Operation op;
	char path[128];
	uint32_t origin;
	int fd, fd2, pipefd[2], kernel = sw_fixture_kernel();
	size_t i;

	CHECK(ref && file);
	sw_fixture_start(&fx);
	CHECK_EQ(TEEC_InitializeContext(NULL, &ctx), TEEC_SUCCESS);
	CHECK_EQ(TEEC_OpenSession(&ctx, &sess, &echo, TEEC_LOGIN_PUBLIC, NULL,
				  NULL, &origin),
		 TEEC_SUCCESS);

	/* what cannot be registered */
	fd = memfd(SIZE, 0);
	refused(&ctx, fd); /* not sealed: could shrink under teeq-sw */
	close(fd);
	fd = memfd(0, F_SEAL_SHRINK);
	refused(&ctx, fd); /* empty */
	close(fd);
	snprintf(path, sizeof(path), "%s/regular", fx.dir);
	fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	CHECK(fd >= 0);
	CHECK(!ftruncate(fd, SIZE));
	refused(&ctx, fd); /* a regular file */
	close(fd);
	unlink(path);
	CHECK(!pipe(pipefd));
	refused(&ctx, pipefd[0]);
	close(pipefd[0]);
	close(pipefd[1]);
	refused(&ctx, -1);
	check_ext(0, 0);

	/* a sealed memfd, INOUT; the size given is replaced by the file's */
	fd = memfd(SIZE, F_SEAL_SHRINK);
	memset(&shm, 0, sizeof(shm));
	shm.size = 1;
	shm.flags = TEEC_MEM_INPUT | TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &shm, fd),
		 TEEC_SUCCESS);
	CHECK_EQ(shm.size, SIZE);
	CHECK(shm.buffer != NULL);
	check_ext(!kernel, kernel ? 0 : SIZE); /* kernel: at its first use */
	for (i = 0; i < SIZE; i++)
		((unsigned char *)shm.buffer)[i] = (unsigned char)(i * 31 + 7);
	memcpy(ref, shm.buffer, SIZE);

	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &shm;
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(origin, TEEC_ORIGIN_TRUSTED_APP);
	CHECK_EQ(op.params[0].memref.size, SIZE);
	for (i = 0; i < SIZE; i++)
		CHECK_EQ(((unsigned char *)shm.buffer)[i],
			 (unsigned char)~ref[i]);
	check_ext(1, SIZE);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.zero_copy_memrefs, 1);
	CHECK_EQ(st.bounced_memrefs, 0);
	CHECK_EQ(st.bounce_bytes, 0);

	/* a window, then a copy out of it into heap memory */
	memcpy(ref, shm.buffer, SIZE);
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INOUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.offset = SIZE - 4096;
	op.params[0].memref.size = 4096;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_SUCCESS);
	for (i = 0; i < SIZE; i++)
		CHECK_EQ(((unsigned char *)shm.buffer)[i],
			 i >= SIZE - 4096 ? (unsigned char)~ref[i] : ref[i]);

	memset(&heap, 0, sizeof(heap));
	heap.size = 1024;
	heap.flags = TEEC_MEM_OUTPUT;
	CHECK_EQ(TEEC_AllocateSharedMemory(&ctx, &heap), TEEC_SUCCESS);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_INPUT,
					 TEEC_MEMREF_WHOLE, TEEC_NONE,
					 TEEC_NONE);
	op.params[0].memref.parent = &shm;
	op.params[0].memref.offset = 12345;
	op.params[0].memref.size = 1000;
	op.params[1].memref.parent = &heap;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_COPY, &op, &origin),
		 TEEC_SUCCESS);
	CHECK_EQ(op.params[1].memref.size, 1000);
	CHECK_MEM(heap.buffer, (unsigned char *)shm.buffer + 12345, 1000);
	teeq_context_stats(&ctx, &st);
	CHECK_EQ(st.zero_copy_memrefs, 4);
	CHECK_EQ(st.bounced_memrefs, 0);

	/* an INPUT-only registration, read through a second fd */
	fd2 = memfd(8192, F_SEAL_SHRINK | F_SEAL_GROW);
	memset(&in, 0, sizeof(in));
	in.flags = TEEC_MEM_INPUT;
	CHECK_EQ(TEEC_RegisterSharedMemoryFileDescriptor(&ctx, &in, fd2),
		 TEEC_SUCCESS);
	CHECK_EQ(in.size, 8192);
	close(fd2); /* teeq-sw has its own mapping (kernel: the pin) */
	check_ext(kernel ? 1 : 2, kernel ? SIZE : SIZE + 8192);
	memset(&op, 0, sizeof(op));
	op.paramTypes = TEEC_PARAM_TYPES(TEEC_MEMREF_PARTIAL_OUTPUT, TEEC_NONE,
					 TEEC_NONE, TEEC_NONE);
	op.params[0].memref.parent = &in;
	op.params[0].memref.size = 16;
	origin = 0;
	CHECK_EQ(TEEC_InvokeCommand(&sess, TEEQ_ECHO_CMD_INVERT, &op, &origin),
		 TEEC_ERROR_BAD_PARAMETERS);
	CHECK_EQ(origin, TEEC_ORIGIN_API);
	TEEC_ReleaseSharedMemory(&in);
	check_ext(1, SIZE);

	/* what the TA wrote is in the file itself */
	memcpy(ref, shm.buffer, SIZE);
	TEEC_ReleaseSharedMemory(&shm);
	CHECK(shm.buffer == NULL);
	CHECK_EQ(pread(fd, file, SIZE, 0), SIZE);
	CHECK_MEM(file, ref, SIZE);
	close(fd);
	check_ext(0, 0);
	TEEC_ReleaseSharedMemory(&shm); /* twice: harmless */
	check_ext(0, 0);
	TEEC_ReleaseSharedMemory(&heap);

	TEEC_CloseSession(&sess);
	TEEC_FinalizeContext(&ctx);
	larger_than_heap(&echo);
	check_ext(0, 0);
	free(ref);
	free(file);
	sw_fixture_stop(&fx);
	return T_PASS;
}
