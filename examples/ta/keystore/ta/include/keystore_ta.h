/* SPDX-License-Identifier: MIT */
/* keystore: the TA's UUID and commands, shared with the host. */
#ifndef KEYSTORE_TA_H
#define KEYSTORE_TA_H

#define KEYSTORE_TA_UUID                                               \
	{                                                              \
		0x0e6d2c4b, 0x7a91, 0x4f3e,                            \
		{                                                      \
			0x8b, 0x25, 0xd4, 0xc3, 0xb2, 0xa1, 0x9f, 0x33 \
		}                                                      \
	}

/* Every command's p0 MEMREF_INPUT: the key's name (1 to 64 bytes). */

/* p1 VALUE_INPUT a: the key's size in bits (128 or 256). A new AES key,
 * made in the TA and kept there; TEEC_ERROR_ACCESS_CONFLICT if the name
 * is taken. */
#define KEYSTORE_CMD_GENERATE 0
/* AES-CTR with the named key, which never leaves the TA: p1 MEMREF_INPUT
 * the initial counter block (16 bytes), p2 MEMREF_INPUT the input, p3
 * MEMREF_OUTPUT the output (its size becomes the input's).
 * TEEC_ERROR_ITEM_NOT_FOUND for no such key. */
#define KEYSTORE_CMD_CIPHER 1
/* The key is gone for good. */
#define KEYSTORE_CMD_DELETE 2
/* p0 VALUE_OUTPUT a: how many keys are kept (no name here). */
#define KEYSTORE_CMD_COUNT 3

#endif /* KEYSTORE_TA_H */
