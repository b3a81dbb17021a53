// SPDX-License-Identifier: MIT
/*
 * qemu-insn.so: a QEMU TCG plugin for `make bench-kernel-instr`. It counts
 * the guest kernel's instructions by translation block, and snapshots the
 * counts each time the guest runs the marker, an instruction no compiler
 * emits: `nopw 0x7165(%rax,%rax,1)` (bench/kinstr.c runs it before and
 * after each phase it measures). At exit it writes, one line per kernel
 * block executed, its address, then its count at each snapshot; and in
 * FILE.totals one line per interval between two snapshots: the kernel
 * instructions executed in it.
 *
 *   qemu-system-x86_64 ... -plugin qemu-insn.so,arg=out=FILE
 *
 * Instruction counts repeat where timings under emulation do not: they are
 * what the kernel rows cost, whatever else the host is doing. Only kernel
 * code is counted (addresses in the upper half): user space spins while it
 * polls, and its work is callgrind's to count.
 *
 * QEMU installs no header for its plugin API (Debian ships none), so the
 * few functions of API version 1 (QEMU 4.2 onwards) used here are declared
 * below, as QEMU's include/qemu/qemu-plugin.h declares them.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
struct qemu_info_t;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id,
					       struct qemu_plugin_tb *tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void *userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index,
					    void *userdata);

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id,
					   qemu_plugin_vcpu_tb_trans_cb_t cb);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id,
				    qemu_plugin_udata_cb_t cb, void *userdata);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *tb);
uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *tb);
struct qemu_plugin_insn *
qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *tb, size_t idx);
const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *insn);
size_t qemu_plugin_insn_size(const struct qemu_plugin_insn *insn);
void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *tb,
					      enum qemu_plugin_op op, void *ptr,
					      uint64_t imm);
void qemu_plugin_register_vcpu_insn_exec_cb(struct qemu_plugin_insn *insn,
					    qemu_plugin_vcpu_udata_cb_t cb,
					    enum qemu_plugin_cb_flags flags,
					    void *userdata);

#define QI_EXPORT __attribute__((visibility("default")))

/* what QEMU looks up in the plugin */
QI_EXPORT extern int qemu_plugin_version;
QI_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
				  const struct qemu_info_t *info, int argc,
				  char **argv);

int qemu_plugin_version = 1;

#define QI_BLOCKS (1u << 20) /* distinct kernel blocks, at most */
#define QI_SNAPS 64

/* nopw 0x7165(%rax,%rax,1) */
static const unsigned char qi_marker[] = { 0x66, 0x0f, 0x1f, 0x84, 0x00,
					   0x65, 0x71, 0x00, 0x00 };

struct qi_block {
	uint64_t vaddr;
	uint64_t count; /* instructions executed in it (racy adds: close) */
	uint32_t n;
};

static struct qi_block *qi_blocks;
static uint64_t *qi_snap[QI_SNAPS];
static int qi_nsnaps;
static pthread_mutex_t qi_lock = PTHREAD_MUTEX_INITIALIZER;
static const char *qi_out = "qemu-insn.txt";

static struct qi_block *qi_block(uint64_t vaddr, uint32_t n)
{
	uint64_t h = (vaddr * 0x9e3779b97f4a7c15ull) >> 40;
	struct qi_block *b;

	for (;; h++) {
		b = &qi_blocks[h & (QI_BLOCKS - 1)];
		if (!b->vaddr) {
			b->vaddr = vaddr;
			b->n = n;
			return b;
		}
		if (b->vaddr == vaddr && b->n == n)
			return b;
	}
}

static void qi_marked(unsigned int vcpu, void *userdata)
{
	uint64_t *snap;
	size_t i;

	(void)vcpu;
	(void)userdata;
	snap = malloc(QI_BLOCKS * sizeof(*snap));
	pthread_mutex_lock(&qi_lock);
	if (snap && qi_nsnaps < QI_SNAPS) {
		for (i = 0; i < QI_BLOCKS; i++)
			snap[i] = qi_blocks[i].count;
		qi_snap[qi_nsnaps++] = snap;
		snap = NULL;
	}
	pthread_mutex_unlock(&qi_lock);
	free(snap);
}

static void qi_translate(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	uint64_t vaddr = qemu_plugin_tb_vaddr(tb);
	size_t n = qemu_plugin_tb_n_insns(tb), i;
	struct qi_block *b;

	(void)id;
	if (vaddr >= 0xffff800000000000ull) {
		pthread_mutex_lock(&qi_lock);
		b = qi_block(vaddr, (uint32_t)n);
		pthread_mutex_unlock(&qi_lock);
		qemu_plugin_register_vcpu_tb_exec_inline(
			tb, QEMU_PLUGIN_INLINE_ADD_U64, &b->count, n);
		return;
	}
	for (i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);

		if (qemu_plugin_insn_size(insn) == sizeof(qi_marker) &&
		    !memcmp(qemu_plugin_insn_data(insn), qi_marker,
			    sizeof(qi_marker)))
			qemu_plugin_register_vcpu_insn_exec_cb(
				insn, qi_marked, QEMU_PLUGIN_CB_NO_REGS, NULL);
	}
}

static void qi_totals(void)
{
	char path[4096];
	uint64_t sum;
	FILE *f;
	size_t i;
	int s;

	snprintf(path, sizeof(path), "%s.totals", qi_out);
	f = fopen(path, "w");
	for (s = 0; f && s + 1 < qi_nsnaps; s++) {
		sum = 0;
		for (i = 0; i < QI_BLOCKS; i++)
			sum += qi_snap[s + 1][i] - qi_snap[s][i];
		fprintf(f, "%llu\n", (unsigned long long)sum);
	}
	if (f)
		fclose(f);
}

static void qi_exit(qemu_plugin_id_t id, void *userdata)
{
	FILE *f = fopen(qi_out, "w");
	size_t i;
	int s;

	(void)id;
	(void)userdata;
	qi_totals();
	if (!f)
		return;
	for (i = 0; i < QI_BLOCKS; i++) {
		if (!qi_blocks[i].count)
			continue;
		fprintf(f, "%llx", (unsigned long long)qi_blocks[i].vaddr);
		for (s = 0; s < qi_nsnaps; s++)
			fprintf(f, " %llu", (unsigned long long)qi_snap[s][i]);
		fprintf(f, "\n");
	}
	fclose(f);
}

QI_EXPORT int qemu_plugin_install(qemu_plugin_id_t id,
				  const struct qemu_info_t *info, int argc,
				  char **argv)
{
	int i;

	(void)info;
	for (i = 0; i < argc; i++)
		if (!strncmp(argv[i], "out=", 4))
			qi_out = argv[i] + 4;
	qi_blocks = calloc(QI_BLOCKS, sizeof(*qi_blocks));
	if (!qi_blocks)
		return -1;
	qemu_plugin_register_vcpu_tb_trans_cb(id, qi_translate);
	qemu_plugin_register_atexit_cb(id, qi_exit, NULL);
	return 0;
}
