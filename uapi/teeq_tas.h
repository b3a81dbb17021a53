/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR MIT */
/*
 * The trusted apps built into teeq-sw: UUIDs, command ids and, for each
 * command, its parameters (p0..p3). A command called with other parameter
 * types answers TEEQ_ERROR_BAD_PARAMETERS; an unknown command
 * TEEQ_ERROR_NOT_SUPPORTED. Client programs include this header.
 */
#ifndef TEEQ_UAPI_TAS_H
#define TEEQ_UAPI_TAS_H

/* As TEEC_UUID initialisers: { timeLow, timeMid, timeHiAndVersion,
 * { clockSeqAndNode[8] } }. */

/* ---- noop: the latency probe ------------------------------------------- */
#define TEEQ_TA_NOOP_UUID                                              \
	{                                                              \
		0x74656571, 0x0000, 0x4000,                            \
		{                                                      \
			0x80, 0x00, 0x6e, 0x6f, 0x6f, 0x70, 0x00, 0x01 \
		}                                                      \
	}
/* Any parameters, left untouched; returns at once. */
#define TEEQ_NOOP_CMD_NOOP 0
/* p0 VALUE_INPUT a = milliseconds to wait. Returns TEEQ_ERROR_CANCEL if
 * the call is cancelled meanwhile (TEEC_RequestCancellation). */
#define TEEQ_NOOP_CMD_WAIT 1

/* ---- echo: parameter plumbing ------------------------------------------ */
#define TEEQ_TA_ECHO_UUID                                              \
	{                                                              \
		0x74656571, 0x0000, 0x4000,                            \
		{                                                      \
			0x80, 0x00, 0x65, 0x63, 0x68, 0x6f, 0x00, 0x02 \
		}                                                      \
	}
/* p0 VALUE_INPUT (a, b); p1 VALUE_OUTPUT := (a, b);
 * p2 VALUE_INOUT (c, d) := (c + a, d + b); p3 NONE. */
#define TEEQ_ECHO_CMD_VALUES 0
/* p0 MEMREF_INPUT src; p1 MEMREF_OUTPUT dst := src, size := src size
 * (TEEQ_ERROR_SHORT_BUFFER with the needed size if dst is smaller). */
#define TEEQ_ECHO_CMD_COPY 1
/* p0 MEMREF_INOUT buf: every byte b becomes b ^ 0xff, in place. */
#define TEEQ_ECHO_CMD_INVERT 2
/* p0 VALUE_OUTPUT (login method, uid); p1 VALUE_OUTPUT (gid, pid) of the
 * session's client as the secure world established them. */
#define TEEQ_ECHO_CMD_IDENTITY 3

/* ---- digest: SHA-256 and HMAC-SHA256 (OpenSSL libcrypto) --------------- */
#define TEEQ_TA_DIGEST_UUID                                            \
	{                                                              \
		0x74656571, 0x0000, 0x4000,                            \
		{                                                      \
			0x80, 0x00, 0x64, 0x67, 0x73, 0x74, 0x00, 0x03 \
		}                                                      \
	}
#define TEEQ_DIGEST_LEN 32
#define TEEQ_DIGEST_ALG_SHA256 0
#define TEEQ_DIGEST_ALG_HMAC_SHA256 1
/* p0 MEMREF_INPUT data; p1 MEMREF_OUTPUT digest (32 bytes). */
#define TEEQ_DIGEST_CMD_SHA256 0
/* p0 MEMREF_INPUT key (1..1024 bytes); p1 MEMREF_INPUT data;
 * p2 MEMREF_OUTPUT mac (32 bytes). */
#define TEEQ_DIGEST_CMD_HMAC 1
/* Multi-part, state kept in the session:
 * INIT   p0 VALUE_INPUT a = TEEQ_DIGEST_ALG_*; p1 MEMREF_INPUT key for
 *        HMAC, NONE for SHA-256. Restarts any operation in progress.
 * UPDATE p0 MEMREF_INPUT data (TEEQ_ERROR_BAD_STATE without INIT).
 * FINAL  p0 MEMREF_OUTPUT digest (32 bytes); ends the operation. */
#define TEEQ_DIGEST_CMD_INIT 2
#define TEEQ_DIGEST_CMD_UPDATE 3
#define TEEQ_DIGEST_CMD_FINAL 4

/* ---- cipher: AES-CTR and AES-GCM (OpenSSL libcrypto) ------------------- */
#define TEEQ_TA_CIPHER_UUID                                            \
	{                                                              \
		0x74656571, 0x0000, 0x4000,                            \
		{                                                      \
			0x80, 0x00, 0x63, 0x69, 0x70, 0x68, 0x00, 0x04 \
		}                                                      \
	}
#define TEEQ_CIPHER_MODE_CTR 1
#define TEEQ_CIPHER_MODE_GCM 2
#define TEEQ_CIPHER_GCM_TAG_LEN 16
#define TEEQ_CIPHER_GCM_IV_LEN 12
/* p0 VALUE_INPUT a = TEEQ_CIPHER_MODE_*; p1 MEMREF_INPUT key (16 or 32
 * bytes: AES-128 or AES-256). Kept in the session for the calls below. */
#define TEEQ_CIPHER_CMD_SET_KEY 0
/* AES-CTR (encrypts and decrypts): p0 MEMREF_INPUT iv (16 bytes);
 * p1 MEMREF_INPUT src and p2 MEMREF_OUTPUT dst (>= src size, size := src
 * size), or p1 MEMREF_INOUT buf in place and p2 NONE. */
#define TEEQ_CIPHER_CMD_CTR 1
/* AES-GCM: p0 MEMREF_INPUT nonce (12 bytes) followed by the AAD (any
 * length); p1/p2 as for CTR; p3 MEMREF_OUTPUT tag (16 bytes) on encrypt,
 * MEMREF_INPUT tag on decrypt. A decrypt whose tag does not match answers
 * TEEQ_ERROR_MAC_INVALID and leaves the output zeroed. */
#define TEEQ_CIPHER_CMD_GCM_ENCRYPT 2
#define TEEQ_CIPHER_CMD_GCM_DECRYPT 3

/* ---- storage: GlobalPlatform persistent objects ------------------------ */
/*
 * Objects in the storage TA's own namespace, encrypted and authenticated
 * inside the secure world and kept by teeq-supplicant (docs/storage.md).
 * Every command may also answer TEEQ_ERROR_STORAGE_NOT_AVAILABLE (no
 * supplicant attached, or it failed to answer in time) and
 * TEEQ_ERROR_CORRUPT_OBJECT (what it keeps was tampered with or rolled
 * back). Handles belong to the session (at most TEEQ_STORAGE_HANDLES open;
 * closing the session closes them).
 */
#define TEEQ_TA_STORAGE_UUID                                           \
	{                                                              \
		0x74656571, 0x0000, 0x4000,                            \
		{                                                      \
			0x80, 0x00, 0x73, 0x74, 0x6f, 0x72, 0x00, 0x05 \
		}                                                      \
	}
#define TEEQ_STORAGE_HANDLES 16
#define TEEQ_STORAGE_ID_MAX 64
/* Handle flags: GP's TEE_DATA_FLAG_* values. WRITE_META (may rename and
 * delete) is exclusive: no other handle may be open with it. */
#define TEEQ_STORAGE_ACCESS_READ 0x00000001u
#define TEEQ_STORAGE_ACCESS_WRITE 0x00000002u
#define TEEQ_STORAGE_ACCESS_WRITE_META 0x00000004u
#define TEEQ_STORAGE_SHARE_READ 0x00000010u
#define TEEQ_STORAGE_SHARE_WRITE 0x00000020u
#define TEEQ_STORAGE_OVERWRITE 0x00000400u /* CREATE: replace one there */
#define TEEQ_STORAGE_SEEK_SET 0u
#define TEEQ_STORAGE_SEEK_CUR 1u
#define TEEQ_STORAGE_SEEK_END 2u
/* p0 MEMREF_INPUT id (1..64 bytes); p1 VALUE_INPUT a = flags; p2
 * MEMREF_INPUT initial data (may be empty); p3 VALUE_OUTPUT a = handle.
 * ACCESS_CONFLICT if the object exists (without OVERWRITE) or is open. */
#define TEEQ_STORAGE_CMD_CREATE 0
/* p0 MEMREF_INPUT id; p1 VALUE_INPUT a = flags; p2 NONE; p3 VALUE_OUTPUT
 * a = handle. ITEM_NOT_FOUND; ACCESS_CONFLICT when the share flags of
 * the handles open on it (or of this one) forbid it. */
#define TEEQ_STORAGE_CMD_OPEN 1
/* p0 VALUE_INPUT a = handle. */
#define TEEQ_STORAGE_CMD_CLOSE 2
/* p0 VALUE_INPUT a = handle; p1 MEMREF_OUTPUT buf, size := bytes read
 * from the handle's position, which advances. */
#define TEEQ_STORAGE_CMD_READ 3
/* p0 VALUE_INPUT a = handle; p1 MEMREF_INPUT data, written at the
 * position, which advances (a gap before it reads as zeros). */
#define TEEQ_STORAGE_CMD_WRITE 4
/* p0 VALUE_INPUT a = handle, b = TEEQ_STORAGE_SEEK_*; p1 VALUE_INPUT
 * (a, b) = the offset, a signed 64-bit number, low and high halves; p2
 * VALUE_OUTPUT (a, b) = the new position, low and high halves. */
#define TEEQ_STORAGE_CMD_SEEK 5
/* p0 VALUE_INPUT a = handle, b = the new data size. */
#define TEEQ_STORAGE_CMD_TRUNCATE 6
/* p0 VALUE_INPUT a = handle (WRITE_META); p1 MEMREF_INPUT new id. */
#define TEEQ_STORAGE_CMD_RENAME 7
/* p0 VALUE_INPUT a = handle (WRITE_META): the object is deleted and the
 * handle closed. */
#define TEEQ_STORAGE_CMD_DELETE 8
/* p0 VALUE_INPUT a = handle; p1 VALUE_OUTPUT a = data size, b =
 * position; p2 VALUE_OUTPUT a = the handle's flags. */
#define TEEQ_STORAGE_CMD_INFO 9
/* p0 MEMREF_OUTPUT every object's id, each as one length byte and the id
 * (SHORT_BUFFER with the size needed); p1 VALUE_OUTPUT a = how many. */
#define TEEQ_STORAGE_CMD_LIST 10

#endif /* TEEQ_UAPI_TAS_H */
