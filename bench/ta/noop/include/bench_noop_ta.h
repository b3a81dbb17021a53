/* SPDX-License-Identifier: MIT */
/* The benchmarks' loaded noop TA: its UUIDs and its one command. */
#ifndef BENCH_NOOP_TA_H
#define BENCH_NOOP_TA_H

/* TA_FLAG_SINGLE_INSTANCE | MULTI_SESSION | INSTANCE_KEEP_ALIVE */
#define BENCH_NOOP_TA_KEPT_UUID                                        \
	{                                                              \
		0x5b0e7c3a, 0x2f61, 0x4d8e,                            \
		{                                                      \
			0xa9, 0xc4, 0x1e, 0x7d, 0x3b, 0x5f, 0x6a, 0x01 \
		}                                                      \
	}
/* no flags: an instance, a process, per session */
#define BENCH_NOOP_TA_PER_SESSION_UUID                                 \
	{                                                              \
		0x5b0e7c3a, 0x2f61, 0x4d8e,                            \
		{                                                      \
			0xa9, 0xc4, 0x1e, 0x7d, 0x3b, 0x5f, 0x6a, 0x02 \
		}                                                      \
	}

/* nothing at all, TEE_SUCCESS */
#define BENCH_NOOP_CMD_NOOP 0

#endif /* BENCH_NOOP_TA_H */
