/* SPDX-License-Identifier: MIT */
/* aes: the TA's UUID and commands, shared with the host. */
#ifndef AES_TA_H
#define AES_TA_H

#define AES_TA_UUID                                                    \
	{                                                              \
		0x8b2e4f60, 0x1a7c, 0x4d39,                            \
		{                                                      \
			0xb5, 0xe8, 0x0c, 0x9d, 0x7a, 0x6f, 0x5e, 0x22 \
		}                                                      \
	}

/* p0 MEMREF_INPUT: the key, 16, 24 or 32 bytes (AES-128, -192, -256),
 * kept in the session for the calls below */
#define AES_CMD_SET_KEY 0
/* AES-CTR, which encrypts and decrypts alike: p0 MEMREF_INPUT the
 * initial counter block (16 bytes), p1 MEMREF_INPUT the input, p2
 * MEMREF_OUTPUT the output (at least as long; its size becomes the
 * input's, or with TEEC_ERROR_SHORT_BUFFER the size needed) */
#define AES_CMD_CTR 1

#endif /* AES_TA_H */
