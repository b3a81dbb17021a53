// SPDX-License-Identifier: MIT
/* teeq-supplicant: keeps the secure world's files. See --help. */
#include "supplicant/kserve.h"
#include "supplicant/serve.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define SUPPL_DEFAULT_ENTRIES 16
#define SUPPL_DEFAULT_WINDOW_KB 256
/* Reconnecting: first after this long, then twice as long up to the max. */
#define SUPPL_RETRY_MIN_MS 20
#define SUPPL_RETRY_MAX_MS 1000

static volatile sig_atomic_t suppl_stop;

static void usage(FILE *out)
{
	fprintf(out,
		"usage: teeq-supplicant [options]\n"
		"\n"
		"Keeps the files of the teeq secure world in one storage directory.\n"
		"It attaches to teeq-sw's supplicant socket and serves the secure\n"
		"world's file requests (open, create, read, write, truncate, rename,\n"
		"remove, list) through a shared-memory ring. It sees only ciphertext\n"
		"and opaque names: the secure world encrypts and authenticates what\n"
		"it stores. teeq-sw starts one by itself (with --once) when it finds\n"
		"this program; run it yourself to keep it across teeq-sw restarts.\n"
		"\n"
		"In kernel mode (teeq-sw --kernel behind the teeq driver) it serves\n"
		"the same requests through the driver's privileged node instead, with\n"
		"the upstream TEE supplicant semantics (SUPPL_RECV/SUPPL_SEND), from a\n"
		"buffer of its own registered there; run it as root (the node's\n"
		"owner), one at a time. teeq-sw does not start it in kernel mode.\n"
		"\n"
		"options:\n"
		"  -d, --storage-dir DIR  the storage directory, created 0700 if\n"
		"                         missing; it must be ours and private\n"
		"                         (default: $TEEQ_STORAGE_DIR, else\n"
		"                         /var/lib/teeq/storage as root, else\n"
		"                         $XDG_STATE_HOME/teeq/storage or\n"
		"                         ~/.local/state/teeq/storage)\n"
		"  -m, --mode host|kernel host: attach to teeq-sw's socket; kernel:\n"
		"                         serve the driver's privileged node (default:\n"
		"                         $TEEQ_MODE, else kernel when /dev/teeq0\n"
		"                         exists, else host)\n"
		"  -k, --device PATH      kernel mode's node (implies --mode kernel;\n"
		"                         default " SUPPL_KSERVE_DEVICE
		", else\n"
		"                         " SUPPL_KSERVE_COMPAT_DEVICE ")\n"
		"  -s, --socket PATH      host mode: teeq-sw's supplicant socket (default: its\n"
		"                         client socket with \".suppl\" appended:\n"
		"                         $TEEQ_SOCKET, else $XDG_RUNTIME_DIR/teeq-sw.sock,\n"
		"                         else /tmp/teeq-<uid>/teeq-sw.sock)\n"
		"      --once             host mode: serve one attachment, exit when\n"
		"                         teeq-sw goes away (default: wait for teeq-sw\n"
		"                         and reattach whenever it restarts); kernel\n"
		"                         mode: exit if the node cannot be served\n"
		"                         rather than wait for it\n"
		"      --max-file-mb N    refuse files larger than N MiB (default %llu)\n"
		"      --entries N        requests in flight (kernel mode: windows of\n"
		"                         its buffer), a power of two in\n"
		"                         %u..%u (default %u)\n"
		"      --window-kb N      bytes one request carries, KiB, a power of\n"
		"                         two in %u..%u (default %u)\n"
		"  -v, --verbose          log every attachment attempt\n"
		"  -h, --help             this text\n"
		"\n"
		"Exit status: 0 when stopped (SIGTERM, SIGINT, or --once after\n"
		"teeq-sw went away), 1 when the storage directory, the socket or the\n"
		"node cannot be used, 2 for bad options.\n",
		(unsigned long long)(SUPPL_FS_DEFAULT_MAX_FILE >> 20),
		TEEQ_RPC_MIN_ENTRIES, TEEQ_RPC_MAX_ENTRIES,
		SUPPL_DEFAULT_ENTRIES, TEEQ_RPC_MIN_WINDOW / 1024,
		TEEQ_RPC_MAX_WINDOW / 1024, SUPPL_DEFAULT_WINDOW_KB);
}

static void suppl_on_signal(int sig)
{
	(void)sig;
	suppl_stop = 1;
}

/* mkdir -p, private: the parents of a default storage directory. */
static int suppl_mkdirs(char *path)
{
	char *p;

	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(path, 0700) && errno != EEXIST) {
			*p = '/';
			return -errno;
		}
		*p = '/';
	}
	return 0;
}

static int suppl_parse_u32(const char *s, uint32_t lo, uint32_t hi,
			   uint32_t *out)
{
	char *end;
	unsigned long v = strtoul(s, &end, 10);

	if (!*s || *end || v < lo || v > hi)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static void suppl_sleep_ms(uint32_t ms)
{
	struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000 };

	nanosleep(&ts, NULL);
}

/* Kernel mode: serve the driver's privileged node until stopped; it may
 * be missing (the driver not loaded yet) or busy, for a while. */
static int suppl_main_kernel(struct suppl_fs *fs, const char *device,
			     const struct suppl_serve_opts *so, int once)
{
	struct suppl_kserve_opts o = { .device = device,
				       .entries = so->entries,
				       .window_size = so->window_size,
				       .verbose = so->verbose };
	uint32_t retry_ms = SUPPL_RETRY_MIN_MS;
	int ret, last_err = 0;

	if (!o.device)
		o.device = access(SUPPL_KSERVE_DEVICE, F_OK) ?
				   SUPPL_KSERVE_COMPAT_DEVICE :
				   SUPPL_KSERVE_DEVICE;
	while (!suppl_stop) {
		ret = suppl_kserve(fs, &o, &suppl_stop);
		if (ret == 1)
			return 0;
		if (ret != last_err || o.verbose)
			suppl_log("cannot serve %s: %s%s", o.device,
				  strerror(-ret), once ? "" : "; trying again");
		last_err = ret;
		if (once || ret == -EACCES || ret == -EPERM || ret == -EPROTO)
			return 1;
		suppl_sleep_ms(retry_ms);
		retry_ms = retry_ms * 2 > SUPPL_RETRY_MAX_MS ?
				   SUPPL_RETRY_MAX_MS :
				   retry_ms * 2;
	}
	return 0;
}

int main(int argc, char **argv)
{
	enum { OPT_ONCE = 256, OPT_MAX_FILE, OPT_ENTRIES, OPT_WINDOW };
	static const struct option longopts[] = {
		{ "storage-dir", required_argument, NULL, 'd' },
		{ "socket", required_argument, NULL, 's' },
		{ "mode", required_argument, NULL, 'm' },
		{ "device", required_argument, NULL, 'k' },
		{ "once", no_argument, NULL, OPT_ONCE },
		{ "max-file-mb", required_argument, NULL, OPT_MAX_FILE },
		{ "entries", required_argument, NULL, OPT_ENTRIES },
		{ "window-kb", required_argument, NULL, OPT_WINDOW },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct suppl_serve_opts o = { .entries = SUPPL_DEFAULT_ENTRIES,
				      .window_size =
					      SUPPL_DEFAULT_WINDOW_KB * 1024 };
	char dir[PATH_MAX] = "", sock[108] = "";
	uint64_t max_file = SUPPL_FS_DEFAULT_MAX_FILE;
	uint32_t retry_ms = SUPPL_RETRY_MIN_MS, v;
	struct sigaction sa = { .sa_handler = suppl_on_signal };
	int opt, once = 0, ret, attached_once = 0, last_err = 0;
	const char *why = NULL;
	const char *mode = getenv("TEEQ_MODE"), *device = NULL;
	struct suppl_fs fs;

	while ((opt = getopt_long(argc, argv, "d:s:m:k:vh", longopts, NULL)) !=
	       -1) {
		switch (opt) {
		case 'd':
			if (snprintf(dir, sizeof(dir), "%s", optarg) >=
			    (int)sizeof(dir)) {
				fprintf(stderr,
					"teeq-supplicant: --storage-dir "
					"too long\n");
				return 2;
			}
			break;
		case 's':
			if (snprintf(sock, sizeof(sock), "%s", optarg) >=
			    (int)sizeof(sock)) {
				fprintf(stderr,
					"teeq-supplicant: --socket too long\n");
				return 2;
			}
			mode = "host";
			break;
		case 'm':
			if (strcmp(optarg, "host") &&
			    strcmp(optarg, "kernel")) {
				fprintf(stderr, "teeq-supplicant: --mode takes "
						"host or kernel\n");
				return 2;
			}
			mode = optarg;
			break;
		case 'k':
			device = optarg;
			mode = "kernel";
			break;
		case OPT_ONCE:
			once = 1;
			break;
		case OPT_MAX_FILE:
			if (suppl_parse_u32(optarg, 1, 1u << 20, &v)) {
				fprintf(stderr,
					"teeq-supplicant: --max-file-mb "
					"takes 1..1048576\n");
				return 2;
			}
			max_file = (uint64_t)v << 20;
			break;
		case OPT_ENTRIES:
			if (suppl_parse_u32(optarg, TEEQ_RPC_MIN_ENTRIES,
					    TEEQ_RPC_MAX_ENTRIES, &v) ||
			    (v & (v - 1))) {
				fprintf(stderr,
					"teeq-supplicant: --entries takes a "
					"power of two in %u..%u\n",
					TEEQ_RPC_MIN_ENTRIES,
					TEEQ_RPC_MAX_ENTRIES);
				return 2;
			}
			o.entries = v;
			break;
		case OPT_WINDOW:
			if (suppl_parse_u32(optarg, TEEQ_RPC_MIN_WINDOW / 1024,
					    TEEQ_RPC_MAX_WINDOW / 1024, &v) ||
			    (v & (v - 1))) {
				fprintf(stderr,
					"teeq-supplicant: --window-kb takes a "
					"power of two in %u..%u\n",
					TEEQ_RPC_MIN_WINDOW / 1024,
					TEEQ_RPC_MAX_WINDOW / 1024);
				return 2;
			}
			o.window_size = v * 1024;
			break;
		case 'v':
			o.verbose = 1;
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return 2;
	}
	if (!*sock && (teeq_host_socket_path(sock, sizeof(sock) - 6) ||
		       !strcat(sock, ".suppl"))) {
		fprintf(stderr, "teeq-supplicant: socket path too long\n");
		return 2;
	}
	if (!*dir) {
		if (teeq_host_state_path("TEEQ_STORAGE_DIR", "storage", dir,
					 sizeof(dir)) ||
		    suppl_mkdirs(dir)) {
			fprintf(stderr,
				"teeq-supplicant: no usable default "
				"storage directory; use --storage-dir\n");
			return 1;
		}
	}
	o.socket_path = sock;

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	ret = suppl_fs_open(&fs, dir, max_file, &why);
	if (ret) {
		suppl_log("%s: %s: %s", dir, why, strerror(-ret));
		return 1;
	}
	if (!mode || !*mode)
		mode = access("/dev/teeq0", F_OK) ? "host" : "kernel";
	if (!strcmp(mode, "kernel")) {
		ret = suppl_main_kernel(&fs, device, &o, once);
		suppl_fs_close(&fs);
		return ret;
	}
	suppl_log("serving %s for %s", dir, sock);
	while (!suppl_stop) {
		ret = suppl_serve(&fs, &o, &suppl_stop);
		if (ret == 1) {
			attached_once = 1;
			retry_ms = SUPPL_RETRY_MIN_MS;
			if (once)
				break;
			continue;
		}
		/* nobody there, or refused: say so once per change */
		if (ret != last_err || o.verbose)
			suppl_log("cannot attach to %s: %s%s", sock,
				  strerror(-ret), once ? "" : "; trying again");
		last_err = ret;
		if (once || ret == -EPERM) {
			suppl_fs_close(&fs);
			return attached_once ? 0 : 1;
		}
		suppl_sleep_ms(retry_ms);
		retry_ms = retry_ms * 2 > SUPPL_RETRY_MAX_MS ?
				   SUPPL_RETRY_MAX_MS :
				   retry_ms * 2;
	}
	suppl_fs_close(&fs);
	return 0;
}
