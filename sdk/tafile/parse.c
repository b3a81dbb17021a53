// SPDX-License-Identifier: MIT
/*
 * The .ta parser. The file comes from outside (whoever could write the TA
 * directory), so every field is read once, by bytes, and checked before
 * anything relies on it: sizes against limits and the bytes there are,
 * with overflow-safe sums, the layout exactly as uapi/teeq_ta_file.h
 * fixes it, every property record, and the code's ELF identification.
 * No allocation, no libc beyond memcmp: the secure world links this.
 */
#include "tafile.h"

#include <errno.h>
#include <string.h>

#define TA_FILE_FAIL(err, reason)        \
	do {                             \
		if (why)                 \
			*why = (reason); \
		return -(err);           \
	} while (0)

static uint16_t ta_file_le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t ta_file_le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t ta_file_le64(const uint8_t *p)
{
	return ta_file_le32(p) | (uint64_t)ta_file_le32(p + 4) << 32;
}

static bool ta_file_zero(const uint8_t *p, size_t n)
{
	while (n--)
		if (*p++)
			return false;
	return true;
}

#if defined(__x86_64__)
#define TA_FILE_MACHINE 62 /* EM_X86_64 */
#elif defined(__aarch64__)
#define TA_FILE_MACHINE 183 /* EM_AARCH64 */
#else
#define TA_FILE_MACHINE 0
#endif

/* An ELF64 little-endian shared object for this machine. */
static bool ta_file_elf_ok(const uint8_t *code, size_t len)
{
	static const uint8_t ident[] = { 0x7f, 'E', 'L', 'F', 2, 1, 1 };

	return len >= 64 && !memcmp(code, ident, sizeof(ident)) &&
	       ta_file_le16(code + 16) == 3 /* ET_DYN */ &&
	       ta_file_le16(code + 18) == TA_FILE_MACHINE;
}

/* Reads the record at @off of @props; 0 or the reason it is bad. */
static const char *ta_file_rec(const uint8_t *props, size_t size, size_t off,
			       struct ta_file_prop *p, size_t *next)
{
	static const uint32_t fixed[] = { 4, 4, 16, 20, 0, 0, 8 };
	size_t i, rec;

	if (size - off < sizeof(struct teeq_ta_prop_rec))
		return "property record truncated";
	p->type = ta_file_le32(props + off);
	p->name_len = ta_file_le16(props + off + 4);
	p->value_len = ta_file_le32(props + off + 8);
	if (ta_file_le16(props + off + 6))
		return "property reserved field not zero";
	if (p->type > TEEQ_TA_PROP_U64)
		return "unknown property type";
	if (!p->name_len || p->name_len > 255)
		return "property name length";
	if (p->value_len > TEEQ_TA_PROP_MAX_VALUE ||
	    (fixed[p->type] && p->value_len != fixed[p->type]))
		return "property value length";
	rec = sizeof(struct teeq_ta_prop_rec) + p->name_len + p->value_len;
	rec = (rec + 7) & ~(size_t)7;
	if (rec > size - off)
		return "property record past the properties";
	p->name = (const char *)props + off + sizeof(struct teeq_ta_prop_rec);
	p->value = (const uint8_t *)p->name + p->name_len;
	for (i = 0; i < p->name_len; i++)
		if (p->name[i] <= 0x20 || p->name[i] >= 0x7f)
			return "property name not printable";
	if ((p->type == TEEQ_TA_PROP_STRING ||
	     p->type == TEEQ_TA_PROP_BINARY_BLOCK) &&
	    memchr(p->value, 0, p->value_len))
		return "NUL inside a string property";
	if (p->type == TEEQ_TA_PROP_BOOL && ta_file_le32(p->value) > 1)
		return "bool property not 0 or 1";
	if (!ta_file_zero(p->value + p->value_len,
			  off + rec -
				  (size_t)(p->value + p->value_len - props)))
		return "property padding not zero";
	*next = off + rec;
	return NULL;
}

static int ta_file_check_props(const struct ta_file *f, const char **why)
{
	struct ta_file_prop p, q;
	size_t off = 0, next, i, seen = 0, qoff;
	const char *bad;

	for (i = 0; i < f->props_count; i++) {
		bad = ta_file_rec(f->props, f->props_size, off, &p, &next);
		if (bad)
			TA_FILE_FAIL(EBADMSG, bad);
		/* unique names: compare with the records before this one */
		for (qoff = 0; qoff < off; qoff = seen) {
			ta_file_rec(f->props, f->props_size, qoff, &q, &seen);
			if (q.name_len == p.name_len &&
			    !memcmp(q.name, p.name, p.name_len))
				TA_FILE_FAIL(EBADMSG, "property named twice");
		}
		off = next;
	}
	if (off != f->props_size)
		TA_FILE_FAIL(EBADMSG, "properties do not fill props_size");
	return 0;
}

int ta_file_parse(const void *buf, size_t len, struct ta_file *f,
		  const char **why)
{
	const uint8_t *b = buf;
	uint64_t props_off, code_off, code_size, sig_off, end;
	uint32_t code_format;

	memset(f, 0, sizeof(*f));
	if (len < TEEQ_TA_FILE_HDR_SIZE)
		TA_FILE_FAIL(EBADMSG, "shorter than the header");
	if (memcmp(b, TEEQ_TA_FILE_MAGIC, 8))
		TA_FILE_FAIL(EBADMSG, "not a .ta file (magic)");
	if (ta_file_le16(b + 8) != TEEQ_TA_FILE_VERSION)
		TA_FILE_FAIL(EPROTONOSUPPORT, "unknown format version");
	if (ta_file_le16(b + 10) != TEEQ_TA_FILE_HDR_SIZE ||
	    ta_file_le32(b + 12) || ta_file_le32(b + 100) ||
	    !ta_file_zero(b + 104, 24))
		TA_FILE_FAIL(EBADMSG, "header size or reserved fields");
	memcpy(f->uuid.b, b + 16, 16);
	f->ta_flags = ta_file_le32(b + 32);
	f->stack_size = ta_file_le32(b + 36);
	f->data_size = ta_file_le32(b + 40);
	f->api_level = ta_file_le32(b + 44);
	f->props_count = ta_file_le32(b + 48);
	f->props_size = ta_file_le32(b + 52);
	props_off = ta_file_le64(b + 56);
	code_off = ta_file_le64(b + 64);
	code_size = ta_file_le64(b + 72);
	code_format = ta_file_le32(b + 80);
	f->sig_algo = ta_file_le32(b + 84);
	sig_off = ta_file_le64(b + 88);
	f->sig_size = ta_file_le32(b + 96);

	if (f->ta_flags & ~TEEQ_TA_FLAGS_KNOWN)
		TA_FILE_FAIL(EBADMSG, "unknown TA flags");
	if (!f->stack_size || f->stack_size > TEEQ_TA_FILE_MAX_STACK)
		TA_FILE_FAIL(E2BIG, "stack size");
	if (f->api_level != TEEQ_TA_FILE_API_1_1 &&
	    f->api_level != TEEQ_TA_FILE_API_1_3)
		TA_FILE_FAIL(EBADMSG, "unknown API level");
	if (f->props_count > TEEQ_TA_FILE_MAX_PROPS ||
	    f->props_size > TEEQ_TA_FILE_MAX_PROPS_SIZE)
		TA_FILE_FAIL(E2BIG, "too many properties");
	if (f->props_size % 8 || props_off != TEEQ_TA_FILE_HDR_SIZE ||
	    code_off != props_off + f->props_size)
		TA_FILE_FAIL(EBADMSG, "sections out of place");
	if (code_format != TEEQ_TA_CODE_ELF_DYN)
		TA_FILE_FAIL(ENOEXEC, "unknown code format");
	if (code_size < 64 || code_size > TEEQ_TA_FILE_MAX_CODE)
		TA_FILE_FAIL(E2BIG, "code size");
	end = code_off + code_size;
	if (f->sig_algo == TEEQ_TA_SIG_NONE) {
		if (sig_off || f->sig_size)
			TA_FILE_FAIL(EBADMSG, "signature without algorithm");
		f->signed_size = (size_t)end;
	} else {
		if (!f->sig_size || f->sig_size > TEEQ_TA_FILE_MAX_SIG)
			TA_FILE_FAIL(E2BIG, "signature size");
		if (sig_off != ((end + 7) & ~(uint64_t)7))
			TA_FILE_FAIL(EBADMSG, "signature out of place");
		if (sig_off > len || !ta_file_zero(b + end, sig_off - end))
			TA_FILE_FAIL(EBADMSG, "padding before the signature");
		f->signed_size = (size_t)sig_off;
		end = sig_off + f->sig_size;
	}
	if (end != len)
		TA_FILE_FAIL(EBADMSG, "file size does not match its sections");
	f->props = b + props_off;
	f->code = b + code_off;
	f->code_size = (size_t)code_size;
	if (f->sig_algo)
		f->sig = b + sig_off;
	if (!ta_file_elf_ok(f->code, f->code_size))
		TA_FILE_FAIL(ENOEXEC,
			     "code is not a shared object for this machine");
	return ta_file_check_props(f, why);
}

bool ta_file_prop_next(const struct ta_file *f, size_t *cursor,
		       struct ta_file_prop *p)
{
	size_t next;

	if (*cursor >= f->props_size ||
	    ta_file_rec(f->props, f->props_size, *cursor, p, &next))
		return false;
	*cursor = next;
	return true;
}

int ta_file_verify(const struct ta_file *f, const void *buf,
		   const struct ta_file_verify_ops *ops)
{
	if (!ops)
		return 0;
	if (f->sig_algo == TEEQ_TA_SIG_NONE)
		return ops->require_signature ? -ENOKEY : 0;
	if (!ops->verify)
		return ops->require_signature ? -EKEYREJECTED : 0;
	return ops->verify(ops->ctx, f, buf, f->signed_size) ? -EKEYREJECTED :
							       0;
}
